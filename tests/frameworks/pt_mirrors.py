"""Checks shared by the mirrors of the PyTorch-world frameworks (timm, fairseq,
DeepSpeed, Megatron-LM) against their float64 transcriptions
(``tests/truth_frameworks_pt.py``).

Cases are ``(schedule, reference values at STEPS)``. The mirrors of one structure
are stacked and evaluated under one jitted ``vmap`` (float32, then x64), and one
member of each structure also eagerly and under ``jit`` with the schedule closed
over; every mirror round-trips through ``to_dict``/``from_dict``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import helpers
import jax
import jax.numpy as jnp
import numpy as np

import jaxsched as js

#: Every phase boundary of the configurations is below 120 (so each one's -1/0/+1
#: is in the grid), then far steps.
FAR = np.array([1_000, 10**5, 10**6, 10**7])
STEPS = np.concatenate([np.arange(0, 125), FAR])

TRACES = {"sweep": 0}


def _at(s: Any, steps: Any) -> Any:
    """A schedule's values, or each field's of a several-hyperparameter mirror."""
    if isinstance(s, js.Schedule):
        return s(steps)
    return tuple(None if f is None else f(steps) for f in s)


def _counted(batch: Any, steps: Any) -> Any:
    TRACES["sweep"] += 1
    return jax.vmap(lambda s: _at(s, steps))(batch)


_COUNTED = jax.jit(_counted)


#: The issue's tolerances: float32 ``max(1e-5 |ref|, 1e-6 peak)``, x64 ``1e-12
#: peak``; a case may carry its own (a documented known limit).
STRICT = (1e-5, 1e-6, 1e-12)


def _tolerance(ref: np.ndarray, x64: bool, limits=STRICT) -> np.ndarray:
    rtol, ptol, ptol64 = limits
    peak = np.max(np.abs(ref), axis=-1, keepdims=True)
    if x64:
        return ptol64 * peak + 1e-300
    return np.maximum(rtol * np.abs(ref), ptol * peak) + 1e-300


def _assert_close(got, ref, x64: bool, label: Any, steps=STEPS, limits=STRICT):
    got = np.asarray(got, np.float64)
    bad = np.abs(got - ref) > _tolerance(ref, x64, limits)
    if np.any(bad):
        where = np.argwhere(bad)[:5]
        detail = [
            (tuple(int(i) for i in w), int(steps[w[-1]]), got[tuple(w)], ref[tuple(w)])
            for w in where
        ]
        raise AssertionError(f"{label} ({'x64' if x64 else 'float32'}): {detail}")


_SWEEPS = jax.jit(lambda batches, steps: [_sweep_one(b, steps) for b in batches])


def _sweep_one(batch: Any, steps: Any) -> Any:
    return jax.vmap(lambda s: s(steps))(batch)


def check_cases(
    cases: Sequence[tuple[Any, ...]],
    steps: np.ndarray = STEPS,
    sample: int = 6,
    eager: int = 1,
) -> int:
    """Values of every case against its reference: all cases stacked per structure
    and evaluated in one jitted program of vmaps (the schedules passed in), float32
    and x64; the first member of ``sample`` structures spread over the list also
    in one program with the schedules closed over, and the ``eager`` structures
    with the fewest leaves eagerly
    (float32 and x64: eager calls compile each primitive op, about 0.7 CPU-s a
    structure; the contract tests check eager == jit for every class these
    mirrors compose). Every case round-trips through JSON. Returns the number of
    structures."""
    schedules = [case[0] for case in cases]
    refs = {id(case[0]): case[1] for case in cases}
    limits = {id(case[0]): case[2] if len(case) > 2 else STRICT for case in cases}
    groups = helpers.structure_groups(schedules)
    ref = [np.stack([refs[id(s)] for s in members]) for members in groups]
    lim = [
        np.array([limits[id(s)] for s in members]).T[..., None] for members in groups
    ]
    picked = sorted(set(np.linspace(0, len(groups) - 1, sample).astype(int)))
    for x64 in (False, True):
        with jax.enable_x64(x64):
            wide = [[helpers.rebuild_x64(m) for m in g] if x64 else g for g in groups]
            t = jnp.asarray(steps, jnp.int64 if x64 else jnp.int32)
            got = _SWEEPS([js.stack(list(g)) for g in wide], t)
            for i in range(len(groups)):
                _assert_close(got[i], ref[i], x64, str(groups[i][0]), steps, lim[i])
            firsts = [wide[i][0] for i in picked]
            closed = jax.jit(lambda t, ss=firsts: [s(t) for s in ss])(t)
            for i, at in zip(picked, closed, strict=True):
                first = lim[i][:, :1]
                _assert_close(at, ref[i][0], x64, str(groups[i][0]), steps, first)
            sizes = [len(jax.tree.leaves(g[0])) for g in groups]
            for i in sorted(range(len(groups)), key=sizes.__getitem__)[:eager]:
                at = helpers.eager(wide[i][0], np.asarray(steps, t.dtype))
                first = lim[i][:, :1]
                _assert_close(at, ref[i][0], x64, str(groups[i][0]), steps, first)
    for schedule in schedules:
        check_round_trip(schedule)
    return len(groups)


def check_round_trip(schedule: Any) -> None:
    """``to_dict`` -> JSON -> ``from_dict`` gives the same config (each field of a
    several-hyperparameter mirror on its own)."""
    import json

    parts = schedule if isinstance(schedule, tuple) else (schedule,)
    for part in parts:
        if part is None:
            continue
        data = json.loads(json.dumps(part.to_dict()))
        back = js.from_dict(data)
        assert type(back) is type(part)
        assert back.to_dict() == part.to_dict()


def check_one_compile(members: Sequence[Any], steps=STEPS[:16]) -> np.ndarray:
    """A stack of mirrors of one structure (any pytree of schedules) under one
    ``vmap``: compiled once for all members; different values of the same
    structure reuse the program."""
    before = TRACES["sweep"]
    batch = js.stack(list(members)) if isinstance(members[0], js.Schedule) else None
    if batch is None:  # a NamedTuple of schedules: stack each field
        batch = type(members[0])(
            *(
                None if parts[0] is None else js.stack(list(parts))
                for parts in zip(*members, strict=True)
            )
        )
    out = _COUNTED(batch, jnp.asarray(steps, jnp.int32))
    again = _COUNTED(batch, jnp.asarray(steps, jnp.int32) + 1)
    assert TRACES["sweep"] - before <= 1
    jax.block_until_ready(again)
    return out
