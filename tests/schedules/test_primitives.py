import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import eager, sweep_values_and_grads, values
from sweep_checks import check_piecewise_table

import jaxsched as js

STEPS = np.array([-5, 0, 1, 5, 9, 10, 11, 20, 50, 10**6])
#: ``schedule(step)`` with the schedule passed in (one compile per structure).
CALL = jax.jit(lambda s, t: s(t))
#: The gradient of the sum of the values with respect to every leaf, the schedule
#: passed in: one compile per structure (eager ``jax.grad`` compiles every op).
GRAD = jax.jit(jax.grad(lambda s, t: s(t).sum(), allow_int=True))


def _close(a, b, rtol=1e-6):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=1e-7)


def _traced(schedule, steps):
    """The shape and dtype of ``schedule(steps)``, traced but not compiled (the
    schedule passed in: ``jax.eval_shape(schedule, ...)`` would key JAX's cache on
    schedule equality, which ignores leaf dtypes)."""
    return jax.eval_shape(CALL, schedule, steps)


def _assert_finite(tree):
    for g in jax.tree.leaves(tree):
        if jnp.issubdtype(jnp.result_type(g), jnp.floating):
            assert np.all(np.isfinite(np.asarray(g)))


def _sweep(members, steps=STEPS):
    """vmap over the stacked members equals each member alone, with finite
    gradients (one jitted program for values and gradients, shared by the suite)."""
    out, grads = sweep_values_and_grads(js.stack(members), steps)
    for i, m in enumerate(members):
        _close(out[i], values(m, steps)[0])
    _assert_finite(grads)
    return out


def test_constant_broadcasts_and_keeps_its_dtype():
    assert _traced(
        js.Constant(2.0), jax.ShapeDtypeStruct((2, 3), jnp.float32)
    ).shape == (2, 3)
    assert _traced(js.Constant(jnp.bfloat16(2.0)), 3).dtype == jnp.bfloat16
    assert _traced(js.Constant(5), 3).dtype == jnp.float32


def test_linear_values():
    s = js.Linear(1.0, 0.0, 10, transition_begin=5)
    _close(eager(s, STEPS), [1, 1, 1, 1, 0.6, 0.5, 0.4, 0, 0, 0])


@pytest.mark.parametrize("cls", [js.Linear, js.Polynomial])
def test_non_positive_transition_steps_hold_the_initial_value(cls):
    extra = (2.0,) if cls is js.Polynomial else ()
    members = [cls(1.0, 0.1, *extra, n) for n in (0, -3, 10)]
    out = _sweep(members)
    _close(out[0], np.ones(STEPS.shape))
    _close(out[1], np.ones(STEPS.shape))


@pytest.mark.parametrize("cls", [js.Linear, js.Polynomial])
def test_negative_transition_begin_counts_as_zero(cls):
    extra = (2.0,) if cls is js.Polynomial else ()
    _close(
        eager(cls(1.0, 0.0, *extra, 10, -4), STEPS),
        eager(cls(1.0, 0.0, *extra, 10), STEPS),
    )


def test_polynomial_values_and_fractional_power():
    _close(eager(js.Polynomial(1.0, 0.0, 2, 10), [0, 5, 10, 15]), [1, 0.25, 0, 0])
    s = js.Polynomial(1.0, 0.0, 0.5, 10)
    _close(eager(s, [0, 6, 10]), [1, np.sqrt(0.4), 0])
    grads = GRAD(s, jnp.array([0, 10, 20]))
    _assert_finite(grads)


def test_exponential_values():
    s = js.Exponential(2.0, 10, 0.5, transition_begin=5)
    d = np.maximum(np.asarray(STEPS, np.float64) - 5, 0)
    _close(eager(s, STEPS), 2.0 * 0.5 ** (d / 10), 2e-5)
    stair = js.Exponential(2.0, 10, 0.5, transition_begin=5, staircase=True)
    _close(eager(stair, STEPS), 2.0 * 0.5 ** np.floor(d / 10), 2e-5)


@pytest.mark.parametrize("staircase", [False, True])
def test_exponential_bound_direction_is_traced(staircase):
    steps = jnp.arange(0, 60, 3)
    rates = (0.2, 0.5, 1.0, 2.0, 0.0)
    members = [
        js.Exponential(1.0, 10, r, 0, staircase, end_value=0.4, bounded=True)
        for r in rates
    ]
    out = _sweep(members, steps)
    d = np.asarray(steps, np.float64) / 10
    d = np.floor(d) if staircase else d
    for i, r in enumerate(rates[:-1]):
        raw = r**d
        want = np.maximum(raw, 0.4) if r < 1 else np.minimum(raw, 0.4)
        _close(out[i], want, 2e-5)
    _close(out[-1], np.ones(steps.shape))  # decay_rate 0: constant, unbounded


def test_exponential_degenerate_members_in_a_sweep():
    members = [js.Exponential(1.0, n, 0.5, b) for n in (0, 10, -2) for b in (-3, 4)]
    out = _sweep(members)
    _close(out[0], np.ones(STEPS.shape))
    _close(out[4], np.ones(STEPS.shape))


def test_exponential_staircase_is_exact_beyond_two_to_the_24():
    # 100000 * 21472 - 1 is rounded up to a whole stair in float32
    s = js.Exponential(1.0, 100_000, 0.9999, staircase=True)
    step = 100_000 * 21472 - 1
    rate = float(np.float32(0.9999))
    _close(
        eager(s, np.array([step, step + 1], np.int32)), [rate**21471, rate**21472], 1e-5
    )


def test_exponential_end_value_needs_bounded():
    with pytest.raises(
        ValueError, match=r"Exponential: argument `end_value` must be 0"
    ):
        js.Exponential(1.0, 10, 0.5, end_value=0.1)
    with pytest.raises(ValueError, match=r"`decay_rate` must be >= 0"):
        js.Exponential(1.0, 10, -0.5)


def test_cosine_values_and_even_negative_steps():
    s = js.Cosine(1.0, 10, alpha=0.1)
    t = np.array([0, 2, 5, 10, 30], np.float64)
    want = 0.9 * 0.5 * (1 + np.cos(np.pi * np.minimum(t, 10) / 10)) + 0.1
    _close(eager(s, t.astype(np.float32)), want)
    _close(eager(s, [-3, -10, -20]), eager(s, [3, 10, 0]))
    with pytest.raises(ValueError, match=r"Cosine: argument `decay_steps` must be > 0"):
        js.Cosine(1.0, 0)


def test_cosine_fractional_exponent_has_finite_gradients():
    s = js.Cosine(1.0, 10.0, alpha=0.1, exponent=0.5)
    grads = GRAD(s, jnp.array([0.0, 5.0, 10.0, 20.0]))
    _assert_finite(grads)


def test_piecewise_constant_switches_at_the_boundary():
    s = js.PiecewiseConstant([10, 20], [1.0, 0.5, 0.25])
    _close(eager(s, [-1, 9, 10, 19, 20, 10**6]), [1, 1, 0.5, 0.5, 0.25, 0.25])
    _close(eager(s, np.array([9.5, 10.0, 19.99], np.float32)), [1, 0.5, 0.5])
    _close(eager(js.PiecewiseConstant([], [0.7]), np.arange(3)), [0.7] * 3)


def test_piecewise_constant_many_pieces_one_program():
    n = 1000
    s = js.PiecewiseConstant(np.arange(1, n) * 10, np.arange(n, dtype=np.float32))
    steps = jnp.arange(0, 10 * n, 7)
    _close(jax.jit(s)(steps), np.asarray(steps) // 10)
    eqns = len(jax.make_jaxpr(s)(steps).jaxpr.eqns)
    small = js.PiecewiseConstant(np.arange(1, 40) * 10, np.arange(40.0))
    assert len(jax.make_jaxpr(small)(steps).jaxpr.eqns) == eqns


def test_piecewise_constant_sweep_over_boundaries():
    members = [
        js.PiecewiseConstant([a, b], [1.0, 0.1, 0.01]) for a, b in ((1, 2), (5, 50))
    ]
    out = _sweep(members)
    _close(out[1], [1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01])


@pytest.mark.parametrize(
    ("boundaries", "values", "match"),
    [
        ([10, 5], [1.0, 2.0, 3.0], "strictly increasing"),
        ([10, 10], [1.0, 2.0, 3.0], "strictly increasing"),
        ([10], [1.0], "one more than the boundaries"),
        ([10], [1.0, 2.0, 3.0], "one more than the boundaries"),
        (10, [1.0, 2.0], "a sequence of numbers"),
    ],
)
def test_piecewise_constant_invalid(boundaries, values, match):
    with pytest.raises(ValueError, match=match):
        js.PiecewiseConstant(boundaries, values)


def test_piecewise_interpolate_linear_and_cosine():
    lin = js.PiecewiseInterpolate([0, 10, 20], [0.0, 1.0, 0.5])
    _close(eager(lin, [-5, 0, 5, 10, 15, 20, 100]), [0, 0, 0.5, 1, 0.75, 0.5, 0.5])
    cos = js.PiecewiseInterpolate([0, 10], [1.0, 0.0], "cosine")
    t = np.array([0.0, 2.5, 5.0, 10.0])
    _close(eager(cos, t.astype(np.float32)), 0.5 * (np.cos(np.pi * t / 10) + 1))


def test_piecewise_interpolate_holds_before_the_first_knot_and_jumps_at_repeats():
    s = js.PiecewiseInterpolate([5, 5, 15], [1.0, 3.0, 1.0])
    _close(eager(s, [0, 4, 5, 10, 15, 20]), [1, 1, 3, 2, 1, 1])
    one = js.PiecewiseInterpolate([3], [0.4])
    _close(eager(one, [-1, 3, 100]), [0.4] * 3)


def test_piecewise_interpolate_gradients_are_finite_at_a_jump():
    s = js.PiecewiseInterpolate([0.0, 0.0, 10.0], [1.0, 3.0, 1.0], "cosine")
    grads = GRAD(s, jnp.array([-1.0, 0.0, 5.0, 10.0, 11.0]))
    _assert_finite(grads)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([0, 10, 5], [1.0, 2.0, 3.0]), "non-decreasing"),
        (([0, 10], [1.0, 2.0, 3.0]), "one per boundary"),
        (([], []), "one per boundary"),
        (([0, 10], [1.0, 2.0], "quadratic"), "one of 'linear', 'cosine'"),
    ],
)
def test_piecewise_interpolate_invalid(args, match):
    with pytest.raises(ValueError, match=match):
        js.PiecewiseInterpolate(*args)


def test_bfloat16_values_give_bfloat16():
    bf = jnp.bfloat16
    assert _traced(js.Linear(bf(1.0), bf(0.0), 10), STEPS).dtype == bf
    assert _traced(js.Cosine(bf(1.0), 10), STEPS).dtype == bf
    assert _traced(js.Exponential(bf(1.0), 10, bf(0.5)), STEPS).dtype == bf
    assert (
        _traced(js.PiecewiseConstant([5], jnp.array([1.0, 0.5], bf)), STEPS).dtype == bf
    )


@jax.jit
def _fast_paths(p):
    """At a (traced) exponent ``p``: Cosine's and Polynomial's sums and their
    gradients with respect to ``p``, and the same written out directly; one jitted
    program for every exponent (the exponent is a run-time value either way)."""
    steps = jnp.array([0.0, 3.0, 5.0, 8.0])

    def direct(p):
        f = 0.5 * (1 + jnp.cos(jnp.pi * steps / 10))
        return (0.9 * f**p + 0.1).sum()

    def ours(p):
        return js.Cosine(1.0, 10.0, alpha=0.1, exponent=p)(steps).sum()

    def poly(p):
        return js.Polynomial(1.0, 0.0, p, 10.0)(steps).sum()

    def poly_direct(p):
        return ((1 - steps / 10) ** p).sum()

    return [jax.value_and_grad(f)(p) for f in (ours, direct, poly, poly_direct)]


@pytest.mark.parametrize("exponent", [1.0, 2.0, 0.5])
def test_exponent_gradient_is_right_on_the_fast_paths(exponent):
    (ours, d_ours), (direct, d_direct), (_, d_poly), (_, want) = _fast_paths(exponent)
    _close(d_ours, d_direct, 1e-5)
    _close(ours, direct, 1e-6)
    _close(d_poly, want, 1e-5)


@pytest.mark.parametrize("n", [1, 5, 16, 17, 40])
def test_piecewise_constant_small_and_large_tables_agree(n):
    # <= 16 boundaries: a chain of selects; more: a gather at a searchsorted index
    s, steps, want = check_piecewise_table(js.PiecewiseConstant, n, side="right")
    np.testing.assert_array_equal(np.asarray(jax.jit(s)(steps + 0.5)), want)
    gathers = "gather" in str(jax.make_jaxpr(s)(jnp.arange(3)))
    assert gathers == (n > 16)


@pytest.mark.parametrize("kind", ["linear", "cosine"])
@pytest.mark.parametrize("n", [1, 2, 17, 18, 40])
def test_piecewise_interpolate_small_and_large_tables_agree(n, kind):
    # <= 17 knots: one chain of selects; more: gathers at a searchsorted index
    bounds = np.array([0, *np.cumsum(np.arange(1, n) % 3)]) * 10  # repeats: jumps
    values = np.linspace(1.0, 0.1, n)
    s = js.PiecewiseInterpolate(bounds, values, kind)
    steps = np.concatenate([[-5], np.arange(0, bounds[-1] + 15), [2**31 - 1]])
    want = []
    for t in steps:
        c = np.searchsorted(bounds, t, side="right")
        k, j = min(max(c - 1, 0), n - 1), min(c, n - 1)
        span = bounds[j] - bounds[k]
        pct = (t - bounds[k]) / span if span else 0.0
        if kind == "linear":
            want.append(values[k] + (values[j] - values[k]) * pct)
        else:
            want.append(
                values[j] + (values[k] - values[j]) / 2 * (np.cos(np.pi * pct) + 1)
            )
    out = jax.jit(s)(jnp.asarray(steps, jnp.int32))
    np.testing.assert_allclose(np.asarray(out), want, rtol=1e-5, atol=1e-6)
    gathers = "gather" in str(jax.make_jaxpr(s)(jnp.arange(3)))
    assert gathers == (n > 17)
