"""PyTorch-named schedules against independent references and PyTorch's test vectors.

Every value check goes through one jitted call (``helpers.call_padded``: the schedule
passed as an argument, the steps padded to one shape): one compile per structure, not
one per case. Every grid also holds negative steps, which give the step-zero value.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import numpy_reference as ref
import pytest
from helpers import CALL, assert_finite_sweeps, padded
from helpers import call_padded as _values
from helpers import check_reference as _check
from helpers import reference_grid as _grid

import jaxsched as js

RTOL = 1e-5


FLOAT_STEPS = np.array(
    [-2.5, -0.5, 0.0, 0.25, 0.5, 1.5, 2.5, 2.75, 4.5, 9.5, 10.5, 99.5, 123.25]
)


# ---------------------------------------------------------------- step decays


@pytest.mark.parametrize(
    ("args", "points"),
    [
        ((0.1, 10, 0.5), [10, 20, 30]),
        ((1.0, 3, 0.9), [3, 6, 99]),
        ((0.5, 2.5, 0.1), [5]),
    ],
)
def test_step_lr_matches_reference(args, points):
    s = js.StepLR(*args)
    reference = functools.partial(ref.step_lr, *args)
    _check(s, reference, _grid(*points))
    _check(s, reference, FLOAT_STEPS)


@pytest.mark.parametrize(
    ("args", "points"),
    [
        ((0.1, [3, 10, 10, 50], 0.5), [3, 10, 50]),
        ((1.0, [0, 5, 99, 1000], 0.1), [0, 5, 99, 1000]),
        ((0.2, [2.5, 9.5, 9.5, 20.0], 0.3), [2, 9, 20]),
        ((0.2, [], 0.3), [5]),
    ],
)
def test_multistep_lr_matches_reference(args, points):
    s = js.MultiStepLR(*args)
    reference = functools.partial(ref.multistep_lr, *args)
    _check(s, reference, _grid(*points))
    _check(s, reference, FLOAT_STEPS)


def test_multistep_lr_switches_at_the_milestone_and_repeats_count():
    s = js.MultiStepLR(1.0, [3, 5, 5], 0.1)
    np.testing.assert_allclose(
        _values(s, np.arange(7)), [1, 1, 1, 0.1, 0.1, 1e-3, 1e-3], rtol=RTOL
    )


def test_integer_counts_are_exact_beyond_2_to_the_24():
    n = 2**24 + 1  # not a float32 number
    s = js.StepLR(1.0, n, 0.5)
    steps = np.array([n - 1, n, 2 * n - 1, 2 * n], dtype=np.int32)
    np.testing.assert_array_equal(_values(s, steps), [1.0, 0.5, 0.5, 0.25])
    m = js.MultiStepLR(1.0, [2**25 + 1], 0.5)
    steps = np.array([2**25, 2**25 + 1], dtype=np.int32)
    np.testing.assert_array_equal(_values(m, steps), [1.0, 0.5])


@pytest.mark.parametrize(
    "args", [(0.1, 1.0 / 3, 5), (1.0, 0.5, 10), (0.3, 0.0, 0), (2.0, 1.0, 3)]
)
def test_constant_lr_matches_reference(args):
    s = js.ConstantLR(*args)
    reference = functools.partial(ref.constant_lr, *args)
    _check(s, reference, _grid(args[2]))
    _check(s, reference, FLOAT_STEPS)


@pytest.mark.parametrize(
    "args",
    [(0.1, 1.0 / 3, 1.0, 5), (1.0, 0.25, 0.75, 10), (0.3, 1.0, 0.1, 7), (1, 0.5, 1, 0)],
)
def test_linear_lr_matches_reference(args):
    s = js.LinearLR(*args)
    reference = functools.partial(ref.linear_lr, *args)
    _check(s, reference, _grid(args[3]))
    _check(s, reference, FLOAT_STEPS)


def test_linear_lr_with_no_ramp_is_the_end_factor():
    # PyTorch divides by zero; pytorch#193682 asks for a no-op.
    s = js.LinearLR(2.0, start_factor=0.5, end_factor=1.0, total_iters=0)
    np.testing.assert_allclose(_values(s, [0, 1, 100]), [2.0, 2.0, 2.0])


# ---------------------------------------------------------------------- cyclic


CYCLIC = [
    (0.1, 1.0, 4, None, "triangular", 1.0),
    (0.01, 0.5, 3, 7, "triangular", 1.0),
    (1.0, 5.0, 2, None, "triangular2", 1.0),
    (0.5, 2.0, 5, 1, "triangular2", 1.0),
    (0.1, 1.0, 4, 6, "exp_range", 0.99),
    (0.2, 0.8, 2.5, 0, "exp_range", 0.9),
    (1.0, 0.5, 2000, None, "triangular", 1.0),
]


@pytest.mark.parametrize("args", CYCLIC)
def test_cyclic_lr_matches_reference(args):
    base, peak, up, down, mode, gamma = args
    s = js.CyclicLR(base, peak, up, down, mode=mode, gamma=gamma)
    reference = functools.partial(ref.cyclic_lr, *args)
    total = up + (up if down is None else down)
    _check(s, reference, _grid(up, total, total + up, 2 * total, 5 * total))
    _check(s, reference, FLOAT_STEPS)


def test_cyclic_lr_vectors():
    s = js.CyclicLR(1.0, 5.0, step_size_up=2, mode="triangular2")
    np.testing.assert_allclose(
        _values(s, np.arange(13)),
        [1, 3, 5, 3, 1, 2, 3, 2, 1, 1.5, 2, 1.5, 1],
        rtol=RTOL,
    )
    assert s.step_size_down == 2  # None is resolved to step_size_up


def test_cyclic_lr_position_is_exact_for_large_integer_steps():
    s = js.CyclicLR(0.0, 12.0, step_size_up=3, step_size_down=4)
    k = 2**22  # 7 * k > 2**24
    r = np.arange(8)
    got = _values(s, 7 * k + r)
    want = np.where(r <= 3, r / 3, (7 - r) / 4) * 12
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


# -------------------------------------------------------------------- one-cycle


ONE_CYCLE = [
    dict(max_lr=25.0, total_steps=10, anneal_strategy="linear", final_div_factor=2.0),
    dict(max_lr=25.0, total_steps=10, final_div_factor=2.0),
    dict(max_lr=1.0, total_steps=100),
    dict(max_lr=0.5, total_steps=37, pct_start=0.2, div_factor=10.0),
    dict(max_lr=2.0, total_steps=50, pct_start=0.0, anneal_strategy="linear"),
    dict(max_lr=2.0, total_steps=50, pct_start=1.0),
    dict(
        max_lr=25.0,
        total_steps=10,
        pct_start=0.4,
        anneal_strategy="linear",
        final_div_factor=4.0,
        three_phase=True,
    ),
    dict(max_lr=1.0, total_steps=100, three_phase=True),
    dict(max_lr=1.0, total_steps=200, pct_start=0.25, three_phase=True),
]


@pytest.mark.parametrize("kwargs", ONE_CYCLE)
def test_one_cycle_matches_reference_and_holds_the_final_value_past_the_end(kwargs):
    # Up to total_steps - 1: PyTorch's values. PyTorch extrapolates at total_steps and
    # raises past it; we hold the minimum (the value at total_steps - 1).
    s = js.OneCycleLR(**kwargs)
    reference = functools.partial(ref.one_cycle_lr, **kwargs)
    total = kwargs["total_steps"]
    pct = kwargs.get("pct_start", 0.3)
    ends = [pct * total - 1, 2 * pct * total - 2, total - 1]
    steps = np.concatenate([_grid(*ends, total), [10**9]]).astype(np.int32)
    _check(s, lambda t: reference(t=min(t, total - 1)), steps)
    floats = [t for t in FLOAT_STEPS if t <= total - 1]
    _check(s, lambda t: reference(t=t), floats)


def test_one_cycle_pytorch_vectors():
    linear = js.OneCycleLR(
        25.0, 10, anneal_strategy="linear", div_factor=25.0, final_div_factor=2.0
    )
    np.testing.assert_allclose(
        _values(linear, np.arange(10)),
        [1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5],
        rtol=RTOL,
    )
    three = js.OneCycleLR(
        25.0, 10, 0.4, "linear", final_div_factor=4.0, three_phase=True
    )
    np.testing.assert_allclose(
        _values(three, np.arange(10)),
        [1, 9, 17, 25, 17, 9, 1, 0.75, 0.5, 0.25],
        rtol=RTOL,
    )


def test_one_cycle_zero_length_phase_gives_its_end_value():
    # pct_start * total_steps == 1: PyTorch divides by zero at step 0.
    s = js.OneCycleLR(0.5, 10, 0.1, div_factor=10.0)
    assert _values(s, [0])[0] == pytest.approx(0.5)
    assert float(jax.jit(s)(0)) == pytest.approx(0.5)  # closed over: constants


# ------------------------------------------------------------------ cosines


@pytest.mark.parametrize("args", [(0.1, 10, 0.0), (1.0, 7, 0.1), (0.5, 2.5, 0.05)])
def test_cosine_annealing_matches_reference(args):
    s = js.CosineAnnealingLR(*args)
    reference = functools.partial(ref.cosine_annealing_lr, *args)
    t_max = args[1]
    _check(s, reference, _grid(t_max, 2 * t_max, 3 * t_max))
    _check(s, reference, FLOAT_STEPS)


def test_cosine_annealing_is_periodic_and_exact_far_out():
    s = js.CosineAnnealingLR(1.0, 4, 0.0)
    k = 2**23 * 8  # a multiple of the period 8 beyond 2**24
    got = _values(s, k + np.arange(9))
    np.testing.assert_allclose(got, _values(s, np.arange(9)), rtol=1e-6, atol=1e-7)


WARM_RESTARTS = [
    (0.1, 10, 1, 0.0),
    (1.0, 3, 2, 0.1),
    (0.5, 1, 3, 0.01),
    (1.0, 2, 2, 0.0),
]


@pytest.mark.parametrize("args", WARM_RESTARTS)
def test_warm_restarts_match_reference(args):
    s = js.CosineAnnealingWarmRestarts(*args)
    reference = functools.partial(ref.cosine_warm_restarts, *args)
    _, t_0, t_mult, _ = args
    starts, start, length = [], 0, t_0
    while start < 10**7 and len(starts) < 30:
        starts.append(start)
        start, length = start + length, length * t_mult
    _check(s, reference, _grid(*starts))
    _check(s, reference, FLOAT_STEPS)


def test_warm_restarts_land_exactly_on_their_step():
    s = js.CosineAnnealingWarmRestarts(1.0, 1, 2, 0.0)
    restarts = np.array([2**k - 1 for k in range(1, 24)], dtype=np.int32)
    np.testing.assert_array_equal(_values(s, restarts), np.ones(len(restarts)))
    equal = js.CosineAnnealingWarmRestarts(1.0, 7, 1, 0.0)
    np.testing.assert_array_equal(_values(equal, [7 * 2**22]), [1.0])


# ---------------------------------------------------------- shared conventions
# (negative steps: every reference grid above holds some, see _grid and FLOAT_STEPS)


def test_zero_length_members_do_not_poison_a_sweep():
    steps = jnp.array([0.0, 0.5, 1.0, 3.0, 7.0, 50.0, 200.0])
    assert_finite_sweeps(
        [
            [js.LinearLR(1.0, 0.5, 1.0, 0.0), js.LinearLR(1.0, 0.5, 0.2, 5.0)],
            [js.ConstantLR(1.0, 0.5, 0.0), js.ConstantLR(1.0, 0.2, 5.0)],
            [js.OneCycleLR(1.0, 10.0, 0.1), js.OneCycleLR(1.0, 10.0, 0.0)],
            [
                js.OneCycleLR(1.0, 10.0, 0.5, three_phase=True),
                js.OneCycleLR(1.0, 10.0, 0.1, three_phase=True),
            ],
            [js.CyclicLR(0.1, 1.0, 4.0, 0.0), js.CyclicLR(0.1, 1.0, 4.0, 2.0)],
            [
                js.CyclicLR(0.1, 1.0, 4.0, 0.0, "exp_range", 0.0),
                js.CyclicLR(0.1, 1.0, 4.0, 2.0, "exp_range", 0.9),
            ],
            [js.StepLR(1.0, 3.0, 0.0), js.StepLR(1.0, 3.0, 0.5)],
            [
                js.MultiStepLR(1.0, [0.0, 2.0], 0.0),
                js.MultiStepLR(1.0, [1.0, 2.0], 0.5),
            ],
            [
                js.CosineAnnealingWarmRestarts(1.0, 3.0, 2.0, 0.1),
                js.CosineAnnealingWarmRestarts(1.0, 3.0, 1.0, 0.1),
            ],
        ],
        steps,
    )


def test_sweep_over_milestones_and_step_sizes_in_one_program():
    members = [js.MultiStepLR(1.0, [m, 2 * m], 0.5) for m in (2, 3, 5)]
    out = jax.jit(jax.vmap(lambda s: s(jnp.arange(12))))(js.stack(members))
    for row, member in zip(out, members):
        np.testing.assert_allclose(row, _values(member, np.arange(12)), rtol=RTOL)


def test_float64_under_x64():
    with jax.enable_x64(True):
        s = js.CosineAnnealingWarmRestarts(np.float64(1.0), 3, 2)
        assert CALL(s, jnp.arange(5)).dtype == jnp.float64
        assert CALL(js.StepLR(1.0, 3), jnp.arange(5)).dtype == jnp.float64


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: js.StepLR(0.1, 0), ValueError, r"StepLR: argument `step_size` must"),
        (lambda: js.StepLR(0.1, 5, -0.5), ValueError, r"`gamma` must be >= 0"),
        (lambda: js.StepLR("0.1", 5), TypeError, r"`learning_rate` must be a number"),
        (lambda: js.MultiStepLR(0.1, [5, 3]), ValueError, r"non-decreasing"),
        (lambda: js.MultiStepLR(0.1, [[1, 2]]), ValueError, r"must be a 1-D"),
        (lambda: js.ConstantLR(0.1, 1.5), ValueError, r"`factor` must be in \[0, 1\]"),
        (lambda: js.ConstantLR(0.1, 0.5, -1), ValueError, r"`total_iters` must be"),
        (lambda: js.LinearLR(0.1, 0.0), ValueError, r"`start_factor` must be in \(0"),
        (lambda: js.LinearLR(0.1, 0.5, 1.5), ValueError, r"`end_factor` must be in"),
        (lambda: js.CyclicLR(0.1, 1.0, 0), ValueError, r"`step_size_up` must be > 0"),
        (lambda: js.CyclicLR(0.1, 1.0, 2, -1), ValueError, r"`step_size_down` must"),
        (lambda: js.CyclicLR(0.1, 1.0, mode="tri"), ValueError, r"`mode` must be one"),
        (lambda: js.OneCycleLR(1.0, 0), ValueError, r"`total_steps` must be > 0"),
        (lambda: js.OneCycleLR(1.0, 10, 1.5), ValueError, r"`pct_start` must be in"),
        (
            lambda: js.OneCycleLR(1.0, 10, anneal_strategy="cosine"),
            ValueError,
            r"`anneal_strategy` must be one of 'cos', 'linear'",
        ),
        (lambda: js.OneCycleLR(1.0, 10, div_factor=0), ValueError, r"`div_factor`"),
        (
            lambda: js.OneCycleLR(1.0, 10, three_phase=1),
            TypeError,
            r"`three_phase` must be a bool",
        ),
        (lambda: js.CosineAnnealingLR(0.1, 0), ValueError, r"`T_max` must be > 0"),
        (
            lambda: js.CosineAnnealingWarmRestarts(0.1, 2.5),
            ValueError,
            r"CosineAnnealingWarmRestarts: argument `T_0` must be a positive integer",
        ),
        (
            lambda: js.CosineAnnealingWarmRestarts(0.1, 0),
            ValueError,
            r"`T_0` must be a positive integer. Received: T_0=0",
        ),
        (
            lambda: js.CosineAnnealingWarmRestarts(0.1, 2, 0),
            ValueError,
            r"`T_mult` must be an integer >= 1",
        ),
        (
            lambda: js.CosineAnnealingWarmRestarts(0.1, 2, 1.5),
            ValueError,
            r"`T_mult` must be an integer >= 1",
        ),
    ],
)
def test_invalid_arguments_raise(build, error, match):
    with pytest.raises(error, match=match):
        build()


# ---------------------------------------------- giant steps (float32 issues)


def test_constant_lr_switches_exactly_beyond_2_pow_24():
    """step < total_iters is compared in integers (was: float32, 0.1 at steps
    16789563 and 16789564)."""
    schedule = js.ConstantLR(0.1, 1 / 3, total_iters=16789565)
    steps = np.arange(16789562, 16789568, dtype=np.int32)
    _check(schedule, functools.partial(ref.constant_lr, 0.1, 1 / 3, 16789565), steps)
    eager = np.asarray(schedule(padded(steps)))[: steps.size]  # one eager shape
    np.testing.assert_allclose(eager, _values(schedule, steps), rtol=1e-7)


_EXP_RANGE_UP = js.CyclicLR(0.1, 1.0, 4, 6, mode="exp_range", gamma=1.5)


@pytest.mark.parametrize(
    "steps",
    [
        jnp.asarray([10**4, 10**5, 2**24 + 1, 10**9, 2**31 - 1], jnp.int32),
        jnp.asarray([1e4, 1e5, 2.0**24 + 2, 1e9, 2.0**31, 3e38], jnp.float32),
    ],
)
def test_exp_range_overflow_is_inf_in_jit_and_eager(steps):
    """gamma > 1 overflows; every step past it is +inf, the cycle's low points
    (height 0) too, in jit and eager alike (was: nan or inf by rounding)."""
    eager = np.asarray(_EXP_RANGE_UP(padded(steps)))  # one eager shape: padded
    jitted = np.asarray(CALL(_EXP_RANGE_UP, steps))
    np.testing.assert_array_equal(eager, np.inf)
    np.testing.assert_array_equal(jitted, np.inf)
    low = js.CyclicLR(1.0, 0.5, 4, 6, mode="exp_range", gamma=1.5)
    np.testing.assert_array_equal(CALL(low, steps), -np.inf)
    flat = js.CyclicLR(0.5, 0.5, 4, 6, mode="exp_range", gamma=1.5)
    np.testing.assert_allclose(CALL(flat, steps), 0.5, rtol=1e-7)


# ------------------------------------------------- ExponentialLR, PolynomialLR


@pytest.mark.parametrize(("base", "gamma"), [(0.1, 0.9), (1.0, 0.5), (0.3, 0.0)])
def test_exponential_lr_matches_closed_form_and_recursive_steps(base, gamma):
    schedule = js.ExponentialLR(base, gamma)
    steps = np.array([0, 1, 2, 3, 7, 10, 50, 100, 300], np.int32)
    _check(schedule, lambda t: ref.exponential_lr(base, gamma, t), steps)
    _check(schedule, lambda t: ref.exponential_lr_recursive(base, gamma, t), steps)
    _check(schedule, lambda t: ref.exponential_lr(base, gamma, t), FLOAT_STEPS[1:])
    assert _values(schedule, [-5])[0] == np.float32(base)


POLY = [(0.1, 5, 1.0), (1.0, 10, 0.5), (0.5, 7.0, 2.0), (0.2, 3, 0.1), (1.0, 8, 0.0)]


@pytest.mark.parametrize(("base", "total", "power"), POLY)
def test_polynomial_lr_matches_reference(base, total, power):
    schedule = js.PolynomialLR(base, total, power)
    _check(schedule, lambda t: ref.polynomial_lr(base, total, power, t), _grid(total))
    floats = FLOAT_STEPS[FLOAT_STEPS > 0]
    _check(schedule, lambda t: ref.polynomial_lr(base, total, power, t), floats)


@pytest.mark.parametrize("power", [1.0, 0.5, 0.1])
def test_polynomial_lr_is_exactly_zero_at_the_end_under_jit(power):
    steps = jnp.arange(0, 40, dtype=jnp.int32)
    for total in (3, 7, 10, 30, 7.0):
        schedule = js.PolynomialLR(1.0, total, power)
        closed = np.asarray(jax.jit(lambda t, s=schedule: s(t))(steps))
        passed = np.asarray(CALL(schedule, steps))
        eager = np.asarray(schedule(padded(steps)))[: steps.size]  # one shape
        for got in (closed, passed, eager):
            assert np.all(got[int(total) :] == 0.0), (total, got)
            assert np.all(got[: int(total)] > 0)
        last = ref.polynomial_lr(1.0, total, power, total - 1)
        np.testing.assert_allclose(closed[int(total) - 1], last, rtol=1e-5)


def test_polynomial_lr_without_decay_steps_and_gradients():
    assert _values(js.PolynomialLR(0.5, 0, 1.0), [0])[0] == 0.0
    assert _values(js.PolynomialLR(0.5, 0, 0.0), [3])[0] == 0.5
    grad_at = jax.jit(jax.grad(lambda s, t: s(t), allow_int=True))
    grad = grad_at(js.PolynomialLR(1.0, 4, 2.0), jnp.int32(2))
    # d/d power of (1/2)**power = log(1/2) * (1/2)**power
    np.testing.assert_allclose(grad.power, np.log(0.5) * 0.25, rtol=1e-5)
    end = grad_at(js.PolynomialLR(1.0, 4, 2.0), jnp.int32(4))
    assert np.isfinite(end.power) and np.isfinite(end.learning_rate)


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: js.ExponentialLR(0.1, -0.5), "gamma"),
        (lambda: js.PolynomialLR(0.1, -1), "total_iters"),
        (lambda: js.PolynomialLR(0.1, 5, -1.0), "power"),
    ],
)
def test_exponential_and_polynomial_lr_validate(build, match):
    with pytest.raises(ValueError, match=match):
        build()
