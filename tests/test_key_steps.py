"""Schedule.key_steps(), and every example checked at its phase edges.

The edge check evaluates each example instance at its key steps (each -1/0/+1), 0,
2**24 +- 1 and 2**31 - 1 in three modes (eager; jit with the schedule as an argument;
jit with the schedule closed over, its leaves folded as constants) in float32, against
the same schedule evaluated in float64 (``jax.enable_x64``). Error at most max(1e-5 *
|ref|, 1e-6 * peak), peak = max |ref| over the grid.
"""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxsched as js
from tests.examples import ALL

INT32_MAX = 2**31 - 1


def test_examples_give_sorted_distinct_numbers():
    for name, s in ALL:
        steps = s.key_steps()
        assert isinstance(steps, tuple), name
        assert all(type(x) in (int, float) for x in steps), (name, steps)
        assert list(steps) == sorted(set(steps)), (name, steps)
        assert all(math.isfinite(x) for x in steps), (name, steps)


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (js.Linear(1.0, 0.0, 10, 5), (5, 15)),
        (js.Polynomial(1.0, 0.0, 0.1, 77), (0, 77)),
        (js.Cosine(1.0, 100), (0, 100)),
        (js.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100), (0, 10, 100)),
        (js.OneCycleLR(1.0, 100), (0, 29, 99)),
        (js.OneCycleLR(1.0, 10, 0.25, three_phase=True), (0, 1.5, 3, 9)),
        (js.StepLR(0.1, 10, 0.5), (0, 10, 20, 30)),
        (js.MultiStepLR(0.1, [3, 10, 10, 50], 0.5), (0, 3, 10, 50)),
        (js.CyclicLR(0.1, 1.0, 4, 6), (0, 4, 10, 14, 20, 24, 30)),
        (js.CosineAnnealingWarmRestarts(1.0, 2, 2), (0, 2, 6, 14)),
        (js.CosineDecayRestarts(1.0, 5, 2.0), (0, 5, 15, 35)),
        (js.ExponentialDecay(1.0, 10, 0.5), (0, 10)),
        (js.ExponentialDecay(1.0, 10, 0.5, staircase=True), (0, 10, 20, 30)),
        (js.CosineDecay(1.0, 100, warmup_target=2.0, warmup_steps=10), (0, 10, 110)),
        (js.PolynomialWithWarmup(1.0, 10, 110, lr_end=0.0), (0, 10, 110)),
        (js.CosineWithHardRestarts(1.0, 10, 110, 4), (0, 10, 35, 60, 85, 110)),
        (js.Warmup(js.Cosine(1.0, 50), 10), (0, 10, 60)),
        (js.Shift(js.Cosine(1.0, 50), 7), (7, 57)),
        (js.Repeat(js.Linear(1.0, 0.0, 4), 10), (0, 4, 10, 14, 20, 24, 30)),
        (js.Cosine(1.0, 50) + js.StepLR(1.0, 20), (0, 20, 40, 50, 60)),
        (js.Constant(0.5), ()),
        (
            js.join_schedules([js.Linear(0.0, 1.0, 10), js.Cosine(1.0, 90)], [10]),
            (0, 10, 100),
        ),
    ],
)
def test_known_key_steps(schedule, expected):
    assert schedule.key_steps() == expected


def test_stacked_is_the_union_of_members():
    members = [js.Linear(1.0, 0.0, 10), js.Linear(1.0, 0.0, 20, 5)]
    assert js.stack(members).key_steps() == (0, 5, 10, 25)
    joins = [
        js.join_schedules([js.Linear(0.0, 1.0, w), js.Cosine(1.0, 50)], [w])
        for w in (5, 10)
    ]
    # each member's cosine is shifted by its own boundary: no cross products
    assert js.stack(joins).key_steps() == (0, 5, 10, 55, 60)


def test_traced_leaves_are_a_type_error():
    with pytest.raises(TypeError, match=r"key_steps.*traced"):
        jax.jit(lambda s: s.key_steps())(js.Linear(1.0, 0.0, 10))


def _edge_grid(s):
    points = {0, 2**24 - 1, 2**24, 2**24 + 1, INT32_MAX}
    for k in s.key_steps():
        base = math.floor(k)
        points |= {base - 1, base, base + 1, math.ceil(k) + 1}
    return np.array(sorted(p for p in points if 0 <= p <= INT32_MAX), np.int32)


def _f32_modes(s, steps):
    eager = np.asarray(s(steps), np.float64)
    arg = np.asarray(_call(s, steps), np.float64)
    closed = np.asarray(jax.jit(lambda t: s(t))(steps), np.float64)
    return {"eager": eager, "jit-arg": arg, "jit-closed": closed}


@jax.jit
def _call(s, steps):
    return s(steps)


def _rebuild_x64(s):
    """The same schedule with its float leaves as float64 (inside enable_x64)."""
    with js.no_validation():
        return jax.tree.map(
            lambda x: (
                np.asarray(x, np.float64)
                if np.asarray(x).dtype.kind == "f" or isinstance(x, float)
                else x
            ),
            s,
        )


# Deliberate or known differences of float32 from float64 at the edge grid, with the
# reason. Nothing else is skipped.
KNOWN = {
    "CosineWarmupWithMinLR-2": (
        "added today in _hf_names by another engineer: its float32 cosine phase is "
        "off at 2**31 - 1 (0.1 for 0.0868); reported"
    ),
    "CosineWarmupWithMinLR-3": (
        "added today in _hf_names by another engineer: its float32 cosine phase is "
        "off at 2**24 + 1 and 2**31 - 1 (0.668 for 0.817, 0.1 for 0.0868); reported"
    ),
}


def _param(name, s):
    reason = KNOWN.get(name)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, s, id=name, marks=marks)


@pytest.mark.parametrize(("name", "s"), [_param(n, s) for n, s in ALL])
def test_edges_float32_vs_float64(name, s):
    steps = _edge_grid(s)
    got = _f32_modes(s, jnp.asarray(steps))
    with jax.enable_x64(True):
        ref = np.asarray(_call(_rebuild_x64(s), jnp.asarray(steps.astype(np.int64))))
    finite = np.isfinite(ref)
    peak = float(np.max(np.abs(ref[finite]))) if finite.any() else 0.0
    for mode, v in got.items():
        same_inf = ~finite & (v == ref)
        with np.errstate(invalid="ignore", over="ignore"):
            err = np.where(finite, np.abs(v - ref), 0.0)
        tol = np.maximum(1e-5 * np.abs(np.where(finite, ref, 0.0)), 1e-6 * peak)
        bad = ~(same_inf | (finite & (err <= tol)))
        assert not bad.any(), (
            name,
            mode,
            steps[bad][:5].tolist(),
            v[bad][:5].tolist(),
            ref[bad][:5].tolist(),
        )
