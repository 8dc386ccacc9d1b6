"""Parity with optax: every factory, the same arguments, the same values.

Each case builds a schedule with ``lib.<factory>(...)`` for ``lib`` in (optax,
jaxsched) and compares them on a grid of steps that holds 0, every knot and its
neighbours, giant steps, integer and float steps, and negative steps where optax's
values are meaningful (all factories but the piecewise-interpolate family, whose
documented difference is tested separately).
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from helpers import call_padded, eager, values

import jaxsched as js

RTOL = 1e-5
ATOL = 1e-12
INT32_MAX = 2**31 - 1

# Worst relative error seen against optax, per case (reported by the last test).
MAX_ERROR: dict[str, float] = {}

CYCLES = [
    dict(init_value=0.0, peak_value=1.0, warmup_steps=500, decay_steps=2000),
    dict(init_value=0.0, peak_value=0.5, warmup_steps=500, decay_steps=3000),
    dict(init_value=0.1, peak_value=0.2, warmup_steps=500, decay_steps=5000),
]
SHORT_CYCLES = [
    dict(init_value=0.0, peak_value=1.0, warmup_steps=5, decay_steps=20),
    dict(
        init_value=0.1, peak_value=0.5, warmup_steps=0, decay_steps=30, end_value=0.05
    ),
    dict(init_value=0.2, peak_value=0.4, warmup_steps=3, decay_steps=7, exponent=2.0),
]

# (id, build(lib), knots, negative steps comparable)
CASES = [
    ("constant-float", lambda o: o.constant_schedule(0.1), [], True),
    ("constant-int", lambda o: o.constant_schedule(5), [], True),
    ("linear", lambda o: o.linear_schedule(1.0, 0.1, 100), [100], True),
    ("linear-begin", lambda o: o.linear_schedule(0.0, 1.0, 50, 10), [10, 60], True),
    ("linear-zero-steps", lambda o: o.linear_schedule(0.5, 0.1, 0), [0], True),
    ("linear-neg-steps", lambda o: o.linear_schedule(0.5, 0.1, -5), [0], True),
    ("linear-neg-begin", lambda o: o.linear_schedule(1.0, 0.0, 30, -7), [30], True),
    ("poly-2", lambda o: o.polynomial_schedule(1.0, 0.01, 2, 100), [100], True),
    (
        "poly-half",
        lambda o: o.polynomial_schedule(0.5, 0.0, 0.5, 40, 20),
        [20, 60],
        True,
    ),
    ("poly-zero-steps", lambda o: o.polynomial_schedule(1.0, 0.1, 3, 0), [0], True),
    (
        "poly-neg-begin",
        lambda o: o.polynomial_schedule(1.0, 2.0, 1.5, 17, -3),
        [17],
        True,
    ),
    ("exp", lambda o: o.exponential_decay(1.0, 100, 0.5), [100, 200], True),
    ("exp-stair", lambda o: o.exponential_decay(1.0, 10, 0.9, 5, True), [5, 15], True),
    (
        "exp-floor",
        lambda o: o.exponential_decay(1.0, 10, 0.5, 0, False, 0.1),
        [33],
        True,
    ),
    (
        "exp-floor-stair",
        lambda o: o.exponential_decay(1.0, 10, 0.2, 0, True, 0.1),
        [10],
        True,
    ),
    (
        "exp-ceil",
        lambda o: o.exponential_decay(0.1, 10, 2.0, 3, True, 1.0),
        [3, 43],
        True,
    ),
    (
        "exp-ceil-cont",
        lambda o: o.exponential_decay(0.1, 10, 2.0, 0, False, 1.0),
        [33],
        True,
    ),
    (
        "exp-rate-1-end",
        lambda o: o.exponential_decay(1.0, 10, 1.0, 0, True, 0.5),
        [10],
        True,
    ),
    ("exp-rate-1", lambda o: o.exponential_decay(1.0, 7, 1.0), [7], True),
    (
        "exp-zero-steps",
        lambda o: o.exponential_decay(1.0, 0, 0.5, 0, False, 0.2),
        [0],
        True,
    ),
    (
        "exp-zero-rate",
        lambda o: o.exponential_decay(1.0, 10, 0.0, 0, False, 0.2),
        [0],
        True,
    ),
    ("exp-neg-begin", lambda o: o.exponential_decay(1.0, 10, 0.5, -5), [10], True),
    ("exp-grow", lambda o: o.exponential_decay(0.01, 3, 1.5, 2, True), [2, 5], True),
    ("cos", lambda o: o.cosine_decay_schedule(1.0, 100), [100], True),
    ("cos-alpha", lambda o: o.cosine_decay_schedule(0.5, 100, 0.1), [100], True),
    ("cos-exp", lambda o: o.cosine_decay_schedule(0.1, 37, 0.2, 2.0), [37, 74], True),
    ("cos-sqrt", lambda o: o.cosine_decay_schedule(1.0, 1000, 0.0, 0.5), [1000], True),
    (
        "pwc",
        lambda o: o.piecewise_constant_schedule(1.0, {100: 0.1, 200: 0.5}),
        [100, 200],
        True,
    ),
    (
        "pwc-neg-init",
        lambda o: o.piecewise_constant_schedule(-2.0, {3: 2.0, 6: 0.5}),
        [3, 6],
        True,
    ),
    ("pwc-none", lambda o: o.piecewise_constant_schedule(0.1), [], True),
    ("pwc-empty", lambda o: o.piecewise_constant_schedule(0.1, {}), [], True),
    (
        "pwc-at-zero",
        lambda o: o.piecewise_constant_schedule(1.0, {10: 3.0, 0: 0.5}),
        [0, 10],
        True,
    ),
    (
        "pwi-linear",
        lambda o: o.piecewise_interpolate_schedule("linear", 200.0, {5: 1.5, 10: 0.25}),
        [5, 10],
        False,
    ),
    (
        "pwi-cosine",
        lambda o: o.piecewise_interpolate_schedule(
            "cosine", 400.0, {5: 1.2, 3: 0.6, 7: 1.0}
        ),
        [3, 5, 7],
        False,
    ),
    ("pwi-none", lambda o: o.piecewise_interpolate_schedule("linear", 1.0), [], False),
    (
        "pwi-at-zero",
        lambda o: o.piecewise_interpolate_schedule("cosine", 1.0, {0: 2.0, 10: 0.5}),
        [0, 10],
        False,
    ),
    (
        "onecycle-linear",
        lambda o: o.linear_onecycle_schedule(10, 1000.0, 0.3, 0.7, 10.0, 100.0),
        [3, 7, 10],
        False,
    ),
    (
        "onecycle-linear-default",
        lambda o: o.linear_onecycle_schedule(100, 1.0),
        [],
        False,
    ),
    (
        "onecycle-linear-collision",
        lambda o: o.linear_onecycle_schedule(10, 1.0, 0.3, 1.0),
        [3, 10],
        False,
    ),
    (
        "onecycle-cosine",
        lambda o: o.cosine_onecycle_schedule(5, 1000.0, 0.4, 10.0, 100.0),
        [2, 5],
        False,
    ),
    (
        "onecycle-cosine-default",
        lambda o: o.cosine_onecycle_schedule(1000, 0.1),
        [],
        False,
    ),
    (
        "onecycle-cosine-collision",
        lambda o: o.cosine_onecycle_schedule(10, 1.0, 0.0),
        [0, 10],
        False,
    ),
    ("warmup-const", lambda o: o.warmup_constant_schedule(0.0, 1.0, 10), [10], True),
    ("warmup-const-zero", lambda o: o.warmup_constant_schedule(0.1, 1.0, 0), [0], True),
    (
        "warmup-cos",
        lambda o: o.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100),
        [10, 100],
        True,
    ),
    (
        "warmup-cos-exp",
        lambda o: o.warmup_cosine_decay_schedule(0.2, 1.21, 50, 100, -3.0, 2.0),
        [50, 100],
        True,
    ),
    (
        "warmup-cos-zero-peak",
        lambda o: o.warmup_cosine_decay_schedule(0.0, 0.0, 10, 100, 0.5),
        [10, 100],
        True,
    ),
    (
        "warmup-cos-no-warmup",
        lambda o: o.warmup_cosine_decay_schedule(0.1, 1.0, 0, 50, 0.01),
        [0, 50],
        True,
    ),
    (
        "warmup-exp",
        lambda o: o.warmup_exponential_decay_schedule(0.0, 1.0, 10, 20, 0.5),
        [10, 30],
        True,
    ),
    (
        "warmup-exp-stair-floor",
        lambda o: o.warmup_exponential_decay_schedule(
            0.0, 1.0, 10, 20, 0.5, 5, True, 0.1
        ),
        [10, 15, 35, 75],
        True,
    ),
    (
        "warmup-exp-grow-ceil",
        lambda o: o.warmup_exponential_decay_schedule(
            0.1, 1.0, 0, 10, 2.0, 0, False, 3.0
        ),
        [0, 16],
        True,
    ),
    ("sgdr", lambda o: o.sgdr_schedule(CYCLES), [500, 2000, 2500, 5000, 10000], True),
    ("sgdr-short", lambda o: o.sgdr_schedule(SHORT_CYCLES), [5, 20, 50, 53, 57], True),
    (
        "join-constants",
        lambda o: o.join_schedules(
            [
                o.constant_schedule(1.0),
                o.constant_schedule(2.0),
                o.constant_schedule(1.0),
            ],
            [3, 6],
        ),
        [3, 6],
        True,
    ),
    (
        "join-mixed",
        lambda o: o.join_schedules(
            [
                o.linear_schedule(0.0, 1.0, 10),
                o.cosine_decay_schedule(1.0, 50, 0.1),
                o.exponential_decay(0.1, 7, 0.5, staircase=True),
            ],
            [10, 100],
        ),
        [10, 60, 100],
        True,
    ),
]

IDS = [case[0] for case in CASES]


def _grid(knots, negative):
    points = [np.arange(0, 130), [1000, 10**4, 10**5, 10**6, INT32_MAX]]
    points += [[k - 1, k, k + 1] for k in knots]
    if negative:
        points.append([-1000, -50, -10, -3, -2, -1])
    steps = np.unique(np.concatenate([np.asarray(p, np.int64) for p in points]))
    return steps[(steps >= 0) | negative]


def _compare(case_id, ours, theirs):
    ours = np.asarray(ours, np.float64)
    theirs = np.asarray(theirs, np.float64)
    # float32's standard: 1e-5 of the value, or 1e-6 of the curve's peak where the
    # formula itself cancels (optax's cosine with alpha < 0 near its zero crossing
    # leaves a few ulps of its 3.0-sized terms in both libraries).
    finite_peak = np.abs(theirs[np.isfinite(theirs)])
    peak = float(finite_peak.max()) if finite_peak.size else 0.0
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=max(ATOL, 1e-6 * peak))
    finite = np.isfinite(theirs)
    diff = np.abs(ours[finite] - theirs[finite])
    scale = np.maximum(np.abs(theirs[finite]), max(ATOL, 1e-6 * peak / RTOL))
    error = np.where(diff <= ATOL, 0.0, diff / scale)
    worst = float(error.max()) if error.size else 0.0
    MAX_ERROR[case_id] = max(MAX_ERROR.get(case_id, 0.0), worst)


def _narrow(steps):
    """``steps`` as int32 or float32."""
    steps = np.asarray(steps)
    return steps.astype(np.int32 if steps.dtype.kind in "iu" else np.float32)


def _eager(make, steps):
    """``make``'s eager values under vmap (float64), at ``steps`` in their dtype
    (``helpers.eager``: the suite's one padded step shape, so each op compiles once
    for every case, sweep and module)."""
    return eager(jax.vmap(make), steps).astype(np.float64)


def _optax(make, steps):
    """optax's eager values under vmap at int32 or float32 ``steps``."""
    return _eager(make, _narrow(steps))


def _steps(knots, negative, kind):
    """The grid as int32, or as float32 shifted by 0.5 below 10**6."""
    steps = _grid(knots, negative)
    if kind == "int":
        return np.asarray(steps, np.int32)
    return np.asarray(np.where(steps < 10**6, steps + 0.5, steps), np.float32)


@pytest.mark.parametrize(("case_id", "build", "knots", "negative"), CASES, ids=IDS)
@pytest.mark.parametrize("kind", ["int", "float"])
def test_values_match_optax(case_id, build, knots, negative, kind):
    ints, floats = _steps(knots, negative, "int"), _steps(knots, negative, "float")
    ours = build(js)
    assert isinstance(ours, js.Schedule)
    # Both kinds in one program, the suite's (``helpers.values``: one compile per
    # structure; the second kind's test reuses it).
    got = dict(zip(("int", "float"), values(ours, ints, floats)))[kind]
    steps = ints if kind == "int" else floats
    _compare(case_id, got, _optax_or_truth(build(optax), steps))


def _optax_or_truth(make, steps):
    """optax's float32 values, or the float64 truth where optax's are wrong.

    optax's values are its eager ones under vmap (``_eager``: one step shape, so each
    of its ops compiles once for all cases and sweeps). The truth is optax's own
    formula evaluated in float64 on the same steps, as float64 steps also for integer
    ones: optax's schedules have no integer-only path and float64 holds every int32
    step exactly, so this is its int64 truth (bit for bit for every case and sweep
    here when this was written) with half the x64 ops to compile.
    Where optax's float32 value is off it by more than the tolerance (its ``1 + cos``
    cancels near the end of a cosine decay: 2.46733e-4 for 2.46720e-4 at step 99 of
    100; its ``init + (end - init) * c / T`` cancels at the start of a ramp),
    jaxsched is compared with the truth instead of with optax.
    """
    steps = _narrow(steps)
    theirs = _eager(make, steps)
    with jax.enable_x64(True):
        truth = _eager(make, steps.astype(np.float64))
    finite = np.isfinite(theirs) & np.isfinite(truth)  # overflow stays optax's
    with np.errstate(invalid="ignore"):
        off = np.abs(np.where(finite, theirs - truth, 0.0))
    peer_wrong = finite & (off > RTOL * np.abs(np.where(finite, truth, 0.0)) + ATOL)
    return np.where(peer_wrong, truth, theirs)


@pytest.mark.parametrize(
    "case_id", [c[0] for c in CASES if not c[3] and c[0].startswith("pwi")]
)
def test_interpolate_negative_steps_hold_the_first_value(case_id):
    build = dict((c[0], c[1]) for c in CASES)[case_id]
    steps = np.array([-100, -5, -1, 0], np.int32)
    theirs = _optax(build(optax), steps)[:3]
    np.testing.assert_array_equal(theirs, 0.0)
    ours = call_padded(build(js), steps)
    first = ours[3]
    if case_id == "pwi-at-zero":  # the knot at 0 jumps; before it, init_value holds
        first = 1.0
    np.testing.assert_allclose(ours[:3], np.full(3, first), rtol=RTOL)


#: A stacked sweep at the steps, under one vmap, jitted (one compile per sweep).
_SWEEP = jax.jit(lambda stacked, steps: jax.vmap(lambda s: s(steps))(stacked))


def _sweep_vs_optax(members, steps):
    """vmap over the stacked jaxsched members == optax member by member."""
    ours = _SWEEP(js.stack([m(js) for m in members]), steps)
    for i, member in enumerate(members):
        _compare(f"sweep-{i}", ours[i], _optax_or_truth(member(optax), steps))


STEPS = jnp.array([0, 1, 5, 9, 10, 11, 19, 20, 21, 33, 50, 99, 100, 101, 500, 10**6])


@pytest.mark.parametrize("staircase", [False, True])
def test_sweep_over_decay_rate_and_transition_steps(staircase):
    members = [
        lambda o, r=r, n=n: o.exponential_decay(1.0, n, r, 3, staircase, 0.05)
        for r in (0.5, 0.9, 1.0, 0.0, 2.0)
        for n in (10, 7, 0)
    ]
    _sweep_vs_optax(members, STEPS)


def test_sweep_over_transition_steps_and_begin():
    members = [
        lambda o, n=n, b=b: o.polynomial_schedule(1.0, 0.1, 2.0, n, b)
        for n in (0, 10, 100)
        for b in (-5, 0, 20)
    ]
    _sweep_vs_optax(members, STEPS)


def test_sweep_over_boundaries():
    members = [
        lambda o, a=a, b=b: o.piecewise_constant_schedule(1.0, {a: 0.1, b: 0.5})
        for a, b in ((10, 20), (5, 50), (0, 100))
    ]
    _sweep_vs_optax(members, STEPS)
    members = [
        lambda o, w=w: o.join_schedules(
            [o.linear_schedule(0.0, 1.0, w), o.cosine_decay_schedule(1.0, 100)], [w]
        )
        for w in (0, 10, 50)
    ]
    _sweep_vs_optax(members, STEPS)


def test_sweep_over_warmup_and_peak_including_zero():
    members = [
        lambda o, p=p, w=w: o.warmup_cosine_decay_schedule(0.0, p, w, 100, 0.05)
        for p in (0.0, 1.0)
        for w in (0, 10)
    ]
    _sweep_vs_optax(members, STEPS)


def test_sweep_over_sgdr_cycle_lengths():
    members = [
        lambda o, d=d: o.sgdr_schedule(
            [dict(init_value=0.0, peak_value=1.0, warmup_steps=5, decay_steps=d)] * 3
        )
        for d in (20, 30, 50)
    ]
    _sweep_vs_optax(members, STEPS)


def test_zero_peak_is_decided_inside_jit():
    steps = jnp.arange(0, 120, 7)

    @jax.jit
    def values(peak):
        return js.warmup_cosine_decay_schedule(0.0, peak, 10, 100, 0.5)(steps)

    for peak in (0.0, 2.0):
        theirs = optax.warmup_cosine_decay_schedule(0.0, peak, 10, 100, 0.5)
        _compare("traced-peak", values(jnp.float32(peak)), _optax(theirs, steps))


def test_factories_accept_traced_step_counts_and_rates():
    steps = jnp.arange(0, 60, 5)

    @jax.jit
    def values(warmup, decay, rate):
        cos = js.warmup_cosine_decay_schedule(0.0, 1.0, warmup, decay, 0.1)
        exp = js.warmup_exponential_decay_schedule(0.0, 1.0, warmup, decay, rate)
        return cos(steps), exp(steps)

    cos, exp = values(10, 30, 0.5)
    theirs = optax.warmup_cosine_decay_schedule(0.0, 1.0, 10, 30, 0.1)
    _compare("traced-counts", cos, _optax(theirs, steps))
    theirs = optax.warmup_exponential_decay_schedule(0.0, 1.0, 10, 30, 0.5)
    _compare("traced-counts", exp, _optax(theirs, steps))


def test_report_max_error():
    """Summarizes the worst relative error of the cases that ran before it."""
    if not MAX_ERROR:
        pytest.skip("run with the parity cases to get a summary")
    worst = max(MAX_ERROR, key=MAX_ERROR.__getitem__)
    print(f"\nmax relative error vs optax: {MAX_ERROR[worst]:.3g} ({worst})")
    for name, error in sorted(MAX_ERROR.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {name}: {error:.3g}")
    assert MAX_ERROR[worst] <= RTOL
