"""Schedule.key_steps(), and every example checked at its phase edges.

The edge check evaluates each example instance (``tests.examples``) on integer steps
(its key steps, each -1/0/+1; -1, 0, 2**24 +- 1 and 2**31 - 1; and 4 seeded random
steps in [0, 2 * last key step]) and on float steps (0, +-0.5, each key step +- 0.5
and + 0.25, 4 seeded random steps), in three modes (eager; jit with the schedule as
an argument; jit with the schedule closed over, its leaves folded as constants), in
float32 and in x64 (float64 leaves; jit modes only, see ``_evaluate``), against
the independent NumPy float64 truth of ``tests/truth.py``. Error at most
max(1e-5 * |ref|, 1e-6 * peak) in float32 and 1e-12 * peak in x64, peak = max |ref|
over the grid; non-finite values must match. Deliberate differences and known misses
are listed in ``tests.truth.KNOWN``; nothing else is skipped.

To keep the compiles few, every example uses step arrays of one fixed length (the
suite's ``helpers.PADDED``, padded with their last step), so eager ops compile once
for all examples; jit with the
schedule as an argument is ``helpers.values`` (one compile per structure, shared with
the rest of the suite); the closed-over jit compiles once per class and precision.
"""

import dataclasses
import math
import zlib
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import truth as truth_module
from examples import ALL, registered_classes
from helpers import PADDED, rebuild_x64, values
from truth import KNOWN, has_reference, truth

import jaxsched as js

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


# ------------------------------------------------------------------ the edge grids


def _int_grid(name, s):
    points = {-1, 0, 2**24 - 1, 2**24, 2**24 + 1, INT32_MAX}
    keys = s.key_steps()
    for k in keys:
        base = math.floor(k)
        points |= {base - 1, base, base + 1, math.ceil(k) + 1}
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    high = max(2 * max(keys, default=0), 16)
    points |= {int(x) for x in rng.integers(0, high, 4, endpoint=True)}
    return sorted(p for p in points if -(2**31) <= p <= INT32_MAX)


def _float_grid(name, s):
    points = {-0.5, 0.0, 0.5}
    keys = s.key_steps()
    for k in keys:
        points |= {k - 0.5, k + 0.5, k + 0.25}
    rng = np.random.default_rng(zlib.crc32(name.encode()) + 1)
    high = max(2 * max(keys, default=0), 16)
    points |= {x / 16 for x in rng.integers(0, 16 * high, 4, endpoint=True).tolist()}
    # Rounded to float32, so both precisions see the same steps (one truth).
    return sorted({float(np.float32(p)) for p in points})


def _padded(points, length, dtype):
    return np.array(points + [points[-1]] * (length - len(points)), dtype)


_GRIDS = {name: (_int_grid(name, s), _float_grid(name, s)) for name, s in ALL}
# One length for every example and both step dtypes, the suite's ``PADDED``: eager
# ops compile once for all examples (and are shared with the other modules that
# evaluate eagerly at that length), and jit with the schedule as an argument
# compiles once per structure.
_LEN = PADDED
assert max(max(len(i), len(f)) for i, f in _GRIDS.values()) <= _LEN


def _steps(name):
    ints, floats = _GRIDS[name]
    return _padded(ints, _LEN, np.int64), _padded(floats, _LEN, np.float64)


# ------------------------------------------------------------------ the evaluation


_PRECISIONS = ("float32", "x64")
_MODES = ("eager", "jit-arg", "jit-closed")
_CLASSES = sorted({n.rsplit("-", 1)[0] for n, _ in ALL})


def _evaluate(precision):
    """{name: {mode: (values at the int steps, at the float steps or None)}}.

    float32: eager, jit-arg (int and float steps) and jit-closed (int steps; one
    program per class, every example of the class closed over). x64: jit-arg (int
    and float steps) and jit-closed (int steps). Eager in x64 is left out: its
    leaves are concrete as in jit-closed, which takes the same Python paths (and
    float32's eager mode takes them at float steps); eager would compile every
    primitive of every class again in float64.
    jit-arg is ``helpers.values``, the suite's one jitted evaluation: the programs it
    compiles here serve every other module that evaluates these structures.
    """
    int_t, float_t = (
        (jnp.int32, jnp.float32) if precision == "float32" else (jnp.int64, jnp.float64)
    )
    out = {name: {} for name, _ in ALL}
    for cls in _CLASSES:
        examples = [(n, s) for n, s in ALL if n.rsplit("-", 1)[0] == cls]
        if precision == "x64":
            examples = [(n, rebuild_x64(s)) for n, s in examples]
        steps = [_steps(n) for n, _ in examples]
        tis = [jnp.asarray(i, int_t) for i, _ in steps]
        tfs = [jnp.asarray(f, float_t) for _, f in steps]
        for (name, s), ti, tf, (ints, floats) in zip(examples, tis, tfs, steps):
            if precision == "float32":
                out[name]["eager"] = (s(ti), s(tf))
            out[name]["jit-arg"] = values(s, ints, floats)
        closed = jax.jit(
            lambda tis, ss=[s for _, s in examples]: [
                (s(t), None) for s, t in zip(ss, tis)
            ]
        )
        at = closed(tis)
        for (name, _), pair in zip(examples, at):
            out[name]["jit-closed"] = pair
    return {
        name: {
            m: tuple(None if v is None else np.asarray(v, np.float64) for v in pair)
            for m, pair in d.items()
        }
        for name, d in out.items()
    }


def _misses(got, ref, precision, peak):
    """Where ``got`` misses ``ref``, and the worst error as a fraction of peak."""
    finite = np.isfinite(ref)
    same = (got == ref) | (np.isnan(got) & np.isnan(ref))
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.where(finite, np.abs(got - ref), np.inf)
    if precision == "float32":
        tol = np.maximum(1e-5 * np.abs(np.where(finite, ref, 0)), 1e-6 * peak)
    else:
        tol = np.full(ref.shape, 1e-12 * peak)
    bad = ~(same | (err <= tol))
    worst = float(np.max(np.where(bad, err, 0))) / peak if peak else math.inf
    return bad, worst


# ------------------------------------------------------------------------ the tests


@pytest.mark.parametrize("precision", _PRECISIONS)
def test_edges_match_the_float64_truth(precision):
    # One test per precision: each warms its own eager and jit caches, so pytest-xdist
    # workers never compile the same thing twice.
    with jax.enable_x64(precision == "x64"):
        got = _evaluate(precision)
    failures = []
    for name, s in ALL:
        ti, tf = _steps(name)
        ref_i, ref_f = truth(s, ti), truth(s, tf)
        both = np.concatenate([ref_i, ref_f])
        finite = both[np.isfinite(both)]
        peak = float(np.max(np.abs(finite))) if finite.size else 0.0
        worst_all, missed = 0.0, []
        for mode in _MODES:
            pair = got[name].get(mode, (None, None))
            for steps, v, ref in zip((ti, tf), pair, (ref_i, ref_f)):
                if v is None:
                    continue
                bad, worst = _misses(v, ref, precision, peak)
                worst_all = max(worst_all, worst)
                if bad.any():
                    where = (steps[bad][:4].tolist(), v[bad][:4].tolist())
                    missed.append((mode, *where, ref[bad][:4].tolist()))
        known = KNOWN.get(f"{name} {precision}")
        if known is None:
            if missed:
                failures.append((name, f"worst {worst_all:.3g} of peak", missed))
        elif not missed:
            failures.append((name, "listed in KNOWN but matches the truth now"))
        elif known.max_error is not None and worst_all > known.max_error:
            failures.append((name, f"worst {worst_all:.3g} > KNOWN", missed))
    assert not failures, failures


def test_every_registered_class_has_a_float64_truth():
    missing = sorted(n for n, c in registered_classes().items() if not has_reference(c))
    assert not missing, f"no float64 reference in tests/truth.py for {missing}"


def test_known_is_one_consistent_list():
    # Every deliberate difference is used by a reference on the example grids ...
    for name, s in ALL:
        ti, tf = _steps(name)
        truth(s, ti)
        truth(s, tf)
    deliberate = {k for k, v in KNOWN.items() if v.kind == "deliberate"}
    assert truth_module.used_deliberate() == deliberate
    # ... and has its row in the table of docs/differences.md where it is listed.
    table = (Path(__file__).parents[2] / "docs" / "differences.md").read_text()
    for key, known in KNOWN.items():
        assert known.kind in ("deliberate", "limit", "bug"), key
        if known.readme is not None:
            assert f"| {known.readme}" in table, (key, known.readme)
        if known.kind != "deliberate":
            # "<example> <precision>" of an existing example, with a measured bound.
            name, precision = key.rsplit(" ", 1)
            assert name in _GRIDS and precision in _PRECISIONS, key
            assert known.kind == "bug" or known.max_error is not None, key


class _Bump(js.Schedule, registered_name="tests.key_steps.Bump"):
    """A user's class, defined outside jaxsched: 1 between ``start`` and ``end``."""

    start: float
    end: float

    def __call__(self, step):
        t = jnp.asarray(step, jnp.float32)
        return jnp.where((t >= self.start) & (t < self.end), 1.0, 0.0)

    def key_steps(self):
        return [self.end, self.start, math.inf]  # any order; infinite steps dropped


class _Plain(js.Schedule, registered_name="tests.key_steps.Plain"):
    """A user's class without key_steps: its child's steps."""

    inner: js.Schedule = dataclasses.field(metadata={"kind": "schedule"})

    def __call__(self, step):
        return self.inner(step)


def test_a_class_defined_outside_jaxsched_is_treated_as_one_inside():
    bump = _Bump(start=3, end=10.5)
    assert bump.key_steps() == (3, 10.5)
    # stacked: the union over members, as for jaxsched's own classes
    assert js.stack([bump, _Bump(start=1, end=3)]).key_steps() == (1, 3, 10.5)
    # inside composites: shifted and joined like a built-in part
    assert js.Warmup(bump, 5).key_steps() == (0, 5, 8, 15.5)
    assert js.Join([js.Constant(0.1), bump], [4]).key_steps() == (4, 7, 14.5)
    # no method of its own: its children's steps
    assert _Plain(js.StepLR(0.1, 10)).key_steps() == (0, 10, 20, 30)
    with pytest.raises(TypeError, match="concrete"):
        jax.jit(lambda s: s.key_steps() and 0.0)(bump)
