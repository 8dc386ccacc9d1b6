"""Checks shared by the mirror tests of Composer, NeMo, TF Model Garden and torch.

A *case* is a mirror (a jaxsched schedule built by ``jaxsched.frameworks.<x>``),
integer steps and the framework's float64 values there (from
``truth_frameworks_pt2``). :func:`check_cases` evaluates every case four ways, with
the members of one structure stacked under one ``vmap`` and every structure of the
module in one program: float32 under ``jit`` with the schedules passed in, float32
under ``jit`` with them closed over (leaves folded as constants), float32 eagerly
(``vmap`` without ``jit``), and float64 under x64 (leaves rebuilt as float64/int64).
Tolerances: ``max(1e-5 |ref|, 1e-6 peak)`` in float32 and ``1e-12 peak`` in x64, where
``peak`` is the largest ``|ref|`` of the case.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import helpers
import jax
import jax.numpy as jnp
import numpy as np

import jaxsched as js

#: The largest int32 step, and a few far steps.
FAR = (10**5, 10**6, 10**7, 2**31 - 1)


def _call_all(stacks: Sequence[js.Schedule], steps: Sequence[jax.Array]) -> list:
    return [
        jax.vmap(lambda s, t: s(t))(g, t) for g, t in zip(stacks, steps, strict=True)
    ]


_JIT_ALL = jax.jit(_call_all)


def edge_grid(points: Iterable[float], far: Iterable[float] = ()) -> np.ndarray:
    """0..3, each point with its neighbours (-1, 0, +1), ``far`` and :data:`FAR`:
    sorted non-negative int steps that fit int32."""
    steps = {0, 1, 2, 3, *FAR}
    for p in points:
        if not np.isfinite(p):
            continue
        for q in (np.floor(p), np.ceil(p)):
            steps.update({int(q) - 1, int(q), int(q) + 1})
    steps.update(int(f) for f in far)
    # inside each phase too: its quarter points
    edges = sorted(s for s in steps if 0 <= s <= 2**31 - 1)
    for a, b in itertools.pairwise(edges):
        if b - a > 3:
            steps.update(int(a + (b - a) * q) for q in (0.25, 0.5, 0.75))
    return np.array(sorted(s for s in steps if 0 <= s <= 2**31 - 1), np.int64)


def key_points(schedule: js.Schedule) -> list[float]:
    """The mirror's own phase boundaries (its ``key_steps``)."""
    return [float(x) for x in schedule.key_steps() if np.isfinite(x)][:60]


def _groups(schedules: Sequence[js.Schedule]) -> list[list[int]]:
    keys: list[Any] = []
    groups: list[list[int]] = []
    for i, s in enumerate(schedules):
        key = (jax.tree.structure(s), [np.shape(x) for x in jax.tree.leaves(s)])
        for k, members in zip(keys, groups, strict=True):
            if k == key:
                members.append(i)
                break
        else:
            keys.append(key)
            groups.append([i])
    return groups


def _pad(rows: Sequence[np.ndarray]) -> np.ndarray:
    n = max(len(r) for r in rows)
    return np.stack([np.concatenate([r, np.full(n - len(r), r[-1])]) for r in rows])


def _assert_close(label, got, ref, steps, rel, peak_rel):
    for g, r, t, name in zip(got, ref, steps, label, strict=True):
        g = np.asarray(g, np.float64)[: len(r)]
        peak = np.max(np.abs(r[np.isfinite(r)]), initial=0.0)
        tol = np.maximum(rel * np.abs(r), peak_rel * peak)
        bad = ~(np.abs(g - r) <= tol)
        if np.any(bad):
            i = np.flatnonzero(bad)[:5]
            raise AssertionError(
                f"{name}: at steps {t[i].tolist()} got {g[i].tolist()}, "
                f"want {r[i].tolist()} (rel {rel}, {peak_rel} of peak {peak})"
            )


def check_cases(
    cases: Sequence[tuple[str, js.Schedule, np.ndarray, np.ndarray]],
) -> int:
    """Each ``(label, mirror, steps, reference)`` equals its reference four ways
    (see the module docstring); every mirror round-trips through ``to_dict`` /
    ``from_dict``. Returns the number of structures (stacks) evaluated."""
    labels = [c[0] for c in cases]
    mirrors = [c[1] for c in cases]
    for label, mirror in zip(labels, mirrors, strict=True):
        data = mirror.to_dict()
        back = js.from_dict(data)
        assert type(back) is type(mirror), label
        assert back.to_dict() == data, label
        assert back == mirror, label
    groups = _groups(mirrors)
    stacks = [js.stack([mirrors[i] for i in g]) for g in groups]
    steps = [_pad([cases[i][2] for i in g]) for g in groups]
    refs = [[cases[i][3] for i in g] for g in groups]
    names = [[labels[i] for i in g] for g in groups]
    steps32 = [jnp.asarray(s.astype(np.int32)) for s in steps]

    def check(outs, rel, peak_rel):
        for out, ref, st, name in zip(outs, refs, steps, names, strict=True):
            _assert_close(name, np.asarray(out), ref, st, rel, peak_rel)

    check(_JIT_ALL(stacks, steps32), 1e-5, 1e-6)  # passed in
    # closed over: the leaves as (canonical) constants of the program
    with js.no_validation():
        consts = [jax.tree.map(jnp.asarray, s) for s in stacks]
    check(jax.jit(lambda t: _call_all(consts, t))(steps32), 1e-5, 1e-6)
    # eager: the first case of each class (the label up to "[" or "."), at the
    # suite's one padded step shape (each primitive compiles once per shape, shared
    # with the other modules)
    seen = set()
    for label, mirror, st, ref in cases:
        kind = label.split("[")[0].split(".")[0]
        if kind not in seen:
            seen.add(kind)
            got = helpers.eager(mirror, st)
            _assert_close([label], [got], [ref], [st], 1e-5, 1e-6)
    with jax.enable_x64(True):
        wide = [helpers.rebuild_x64(s) for s in stacks]
        steps64 = [jnp.asarray(s.astype(np.int64)) for s in steps]
        check(_JIT_ALL(wide, steps64), 0.0, 1e-12)
    return len(groups)
