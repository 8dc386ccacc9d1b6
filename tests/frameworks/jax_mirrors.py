"""Checks shared by the mirrors of the JAX trainers (big_vision, MaxText, Levanter,
praxis, T5X) against their float64 transcriptions (``tests/truth_frameworks_jax.py``).

A case is ``(mirror, steps, reference values at steps)``, every ``steps`` of one
length (``LENGTH``: the edge grid 0..124 and steps far past the end, or a case's own
boundaries -1/0/+1 padded to it). All cases of a module are evaluated in one jitted
program per precision: the mirrors of one structure stacked and ``vmap``-ed with the
schedules passed in, float32 and then x64 (leaves rebuilt as float64/int64). One
member per structure is also evaluated under ``jit`` with the schedule closed over
(one program for all of them), in float32 and x64, and the first ``eager``
structures' members eagerly (float32; the first in x64 too: each eager primitive
compiles once per dtype, most of these tests' time).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import helpers
import jax
import jax.numpy as jnp
import numpy as np

import jaxsched as js

FAR = np.array([1_000, 10**5, 10**6, 10**7])
#: The edge grid: every phase boundary of the small configurations is below 123.
#: 128 steps: the suite's one padded length (helpers.PADDED), so the eager
#: primitives compile once for every module.
GRID = np.concatenate([np.arange(0, 124), FAR])
LENGTH = GRID.size

Case = tuple[js.Schedule, np.ndarray, np.ndarray]

TRACES = {"sweep": 0}


def _program(closed: Sequence[js.Schedule]) -> Any:
    """One jitted program: stacked schedules passed in and ``vmap``-ed, and the
    ``closed`` schedules closed over (their leaves compiled in as constants)."""

    def run(batches, steps, closed_steps):
        swept = [
            jax.vmap(lambda s, t: s(t))(b, t)
            for b, t in zip(batches, steps, strict=True)
        ]
        return swept, [s(t) for s, t in zip(closed, closed_steps, strict=True)]

    return jax.jit(run)


def edges(*points: float, far: bool = True) -> np.ndarray:
    """0, 1, every point -1/0/+1, and (``far``) FAR, padded to LENGTH with the last
    point's steps (sorted, int64)."""
    steps = {0, 1}
    for p in points:
        steps |= {int(p) - 1, int(p), int(p) + 1}
    grid = sorted(s for s in steps if s >= 0)
    if far:
        grid += [int(f) for f in FAR if f > grid[-1]]
    assert len(grid) <= LENGTH, len(grid)
    grid += [grid[-1]] * (LENGTH - len(grid))
    return np.array(grid, np.int64)


def tolerance(ref: np.ndarray, x64: bool) -> np.ndarray:
    """``max(1e-5 |ref|, 1e-6 peak)`` in float32, ``1e-12 peak`` in x64 (peak: the
    largest finite |value| of the member)."""
    finite = np.where(np.isfinite(ref), np.abs(ref), 0)
    peak = np.max(finite, axis=-1, keepdims=True)
    if x64:
        return 1e-12 * peak + 1e-300
    return np.maximum(1e-5 * finite, 1e-6 * peak) + 1e-300


def assert_close(got: Any, ref: np.ndarray, x64: bool, label: Any, steps) -> float:
    """``got`` within ``tolerance`` of ``ref`` (infinities and NaN where ``ref`` has
    them); returns the largest error as a fraction of the peak."""
    got = np.asarray(got, np.float64)
    finite = np.isfinite(ref)
    same = (got == ref) | (np.isnan(got) & np.isnan(ref))
    with np.errstate(invalid="ignore"):
        err = np.where(finite, np.abs(got - ref), 0.0)
    bad = np.where(finite, err > tolerance(ref, x64), ~same)
    if np.any(bad):
        where = np.argwhere(bad)[:4]
        detail = [
            (int(np.asarray(steps)[tuple(w)]), got[tuple(w)], ref[tuple(w)])
            for w in where
        ]
        raise AssertionError(f"{label} ({'x64' if x64 else 'float32'}): {detail}")
    peak = np.max(np.where(finite, np.abs(ref), 0), axis=-1, keepdims=True)
    return float(np.max(err / np.maximum(peak, 1e-300)))


def check_cases(cases: Sequence[Case], eager: int = 3) -> dict[str, float]:
    """Every case against its reference (module docstring); returns the largest
    errors (fractions of the peak) per mode."""
    groups = helpers.structure_groups([s for s, _, _ in cases])
    by_id = {id(s): (t, r) for s, t, r in cases}
    worst: dict[str, float] = {}

    def note(mode: str, value: float) -> None:
        worst[mode] = max(worst.get(mode, 0.0), value)

    for x64 in (False, True):
        with jax.enable_x64(x64):
            int_dtype = jnp.int64 if x64 else jnp.int32
            members = [
                [helpers.rebuild_x64(m) if x64 else m for m in group]
                for group in groups
            ]
            steps = [np.stack([by_id[id(m)][0] for m in g]) for g in groups]
            refs = [np.stack([by_id[id(m)][1] for m in g]) for g in groups]
            batches = [js.stack(g) for g in members]
            firsts = [g[0] for g in members]
            first_steps = [jnp.asarray(t[0], int_dtype) for t in steps]
            # one program: the stacks passed in (vmap), the firsts closed over
            outs, closed = _program(firsts)(
                batches, [jnp.asarray(t, int_dtype) for t in steps], first_steps
            )
            for g, out, ref, t in zip(groups, outs, refs, steps, strict=True):
                note(
                    f"vmap {'x64' if x64 else 'f32'}",
                    assert_close(out, ref, x64, g[0], t),
                )
            for g, out, ref, t in zip(groups, closed, refs, steps, strict=True):
                note(
                    f"closed {'x64' if x64 else 'f32'}",
                    assert_close(out, ref[0], x64, g[0], t[0]),
                )
            some = slice(0, 1 if x64 else eager)
            for g, s, ref, t in zip(
                groups[some], firsts[some], refs[some], steps[some], strict=True
            ):
                out = helpers.eager(s, t[0].astype(np.int64 if x64 else np.int32))
                note(
                    f"eager {'x64' if x64 else 'f32'}",
                    assert_close(out, ref[0], x64, g[0], t[0]),
                )
    return worst


def check_round_trip(schedules: Sequence[js.Schedule]) -> None:
    """``to_dict`` -> JSON -> ``from_dict`` gives back the same classes and config."""
    for schedule in schedules:
        data = json.loads(json.dumps(schedule.to_dict()))
        back = js.from_dict(data)
        assert type(back) is type(schedule)
        assert back.to_dict() == schedule.to_dict()


def case_tests(cases: Sequence[Case]) -> tuple[Any, Any]:
    """The two tests of every mirror module's ``CASES``: its values against the
    references (``check_cases``) and its JSON round trip (``check_round_trip``), to
    bind as ``test_values_equal_<framework>, test_round_trip``."""

    def values_equal() -> None:
        check_cases(cases)

    def round_trip() -> None:
        check_round_trip([s for s, _, _ in cases])

    return values_equal, round_trip


def _counted(batch: Any, steps: Any) -> Any:
    TRACES["sweep"] += 1
    return jax.vmap(lambda s: s(steps))(batch)


_COUNTED = jax.jit(_counted)


def check_one_compile(
    members: Sequence[js.Schedule], other: Sequence[js.Schedule], length: int = 16
):
    """Two stacks of mirrors of one structure (different values) under one ``vmap``:
    one trace for both. Returns the two stacks' values at ``0..length - 1``."""
    steps = jnp.arange(length, dtype=jnp.int32)
    before = TRACES["sweep"]
    first = _COUNTED(js.stack(list(members)), steps)
    second = _COUNTED(js.stack(list(other)), steps)
    assert TRACES["sweep"] - before <= 1
    return np.asarray(first), np.asarray(second)


_GRADS = jax.jit(
    lambda schedules, steps: jax.grad(
        lambda ss: sum(jnp.sum(s(steps)) for s in ss), allow_int=True
    )(schedules)
)


def check_grads(schedules: Sequence[js.Schedule]) -> Any:
    """The gradients of the mirrors' values (summed over GRID) with respect to
    every leaf, in one program: finite for every float leaf."""
    grads = _GRADS(list(schedules), jnp.asarray(GRID, jnp.int32))
    helpers.assert_finite_grads(grads, schedules)
    return grads
