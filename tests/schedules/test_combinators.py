"""Combinators: values against their definitions, composition, sweeps, serialization."""

import functools
import json
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import assert_finite, eager, group_sweeps, padded

import jaxsched as js
from jaxsched.schedules import _combinators

CALL = jax.jit(lambda s, t: s(t))  # the schedule passed in: one compile per structure
#: Gradient of the sum of the values with respect to every leaf, the schedule passed
#: in: one compile per structure (eager ``jax.grad`` compiles every op it runs).
GRAD = jax.jit(jax.grad(lambda s, t: s(t).sum(), allow_int=True))

A = js.ExponentialDecay(0.1, 10, 0.5)
C = js.InverseTimeDecay(0.2, 1.0, 0.5)
INT_STEPS = np.array([-3, 0, 1, 2, 5, 9, 10, 11, 19, 20, 21, 50, 99, 1000])
FLOAT_STEPS = np.array([-2.5, 0.0, 0.5, 4.5, 9.99, 10.0, 10.5, 20.0, 55.5, 1e4])
STEPS = pytest.mark.parametrize("steps", [INT_STEPS, FLOAT_STEPS], ids=["int", "float"])


def a(t):
    return 0.1 * 0.5 ** (np.asarray(t, np.float64) / 10)


def c(t):
    return 0.2 / (1 + 0.5 * np.asarray(t, np.float64))


def close(actual, expected, rtol=2e-6):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=rtol, atol=1e-8)


def _dtype(schedule, steps):
    """The dtype of ``schedule(steps)``, traced but not compiled (the schedule passed
    in: ``jax.eval_shape(schedule, ...)`` would key JAX's cache on schedule equality,
    which ignores leaf dtypes)."""
    return jax.eval_shape(CALL, schedule, steps).dtype


# ---------------------------------------------------------------- values


@STEPS
@pytest.mark.parametrize(
    ("schedule", "reference"),
    [
        (A + C, lambda t: a(t) + c(t)),
        (A - C, lambda t: a(t) - c(t)),
        (A * C, lambda t: a(t) * c(t)),
        (0.5 * A, lambda t: 0.5 * a(t)),
        (A * 3, lambda t: 3 * a(t)),
        (-A, lambda t: -a(t)),
        (A + 0.01, lambda t: a(t) + 0.01),
        (0.01 + A, lambda t: a(t) + 0.01),
        (A - 0.01, lambda t: a(t) - 0.01),
        (0.3 - A, lambda t: 0.3 - a(t)),
        (A / 4, lambda t: a(t) / 4),
        (js.Minimum(A, C), lambda t: np.minimum(a(t), c(t))),
        (js.Maximum(A, C), lambda t: np.maximum(a(t), c(t))),
        (js.Clip(A, minimum=0.02), lambda t: np.maximum(a(t), 0.02)),
        (js.Clip(A, maximum=0.05), lambda t: np.minimum(a(t), 0.05)),
        (js.Clip(A, 0.02, 0.05), lambda t: np.clip(a(t), 0.02, 0.05)),
        (js.Clip(A), a),
        (js.Shift(A, 10), lambda t: a(t - 10)),
        (js.Shift(A, -10), lambda t: a(t + 10)),
        (js.Shift(A, 2.5), lambda t: a(t - 2.5)),
    ],
    ids=lambda x: type(x).__name__ if isinstance(x, js.Schedule) else "",
)
def test_values_match_definitions(schedule, reference, steps):
    close(eager(schedule, steps), reference(steps))


def _warmup_reference(target_fn, w, init, shape):
    def reference(t):
        t = np.asarray(t, np.float64)
        target = target_fn(np.maximum(t - w, 0))
        f = np.clip(t, 0, w) / w if w else np.zeros_like(t)
        if shape == "linear":
            ramp = init + (target - init) * f
        elif shape == "cosine":
            ramp = init + (target - init) * (1 - np.cos(np.pi * f)) / 2
        else:
            start = init if init > 0 else 1e-3 * target
            ramp = start * (target / start) ** f
        return np.where(t < w, ramp, target)

    return reference


@STEPS
@pytest.mark.parametrize("shape", ["linear", "cosine", "exponential"])
@pytest.mark.parametrize(("w", "init"), [(20, 0.0), (20, 0.01), (0, 0.01), (2.5, 0.0)])
def test_warmup_values(shape, w, init, steps):
    schedule = js.Warmup(A, w, init, shape=shape)
    close(
        eager(schedule, steps), _warmup_reference(a, w, init, shape)(steps), rtol=1e-5
    )


def test_warmup_cosine_equals_optax_warmup_cosine_decay():
    import optax

    reference = optax.warmup_cosine_decay_schedule(0.1, 1.0, 10, 100, end_value=0.0)
    schedule = js.Warmup(js.Cosine(1.0, 90), 10, 0.1)
    steps = padded([0, 1, 5, 9, 10, 11, 50, 99, 100, 101, 10**6])
    close(CALL(schedule, steps), reference(steps), rtol=1e-5)


def test_warmup_reaches_target_and_continues():
    schedule = js.Warmup(A, 100, 0.0)
    close(eager(schedule, [0, 50, 100, 110]), [0.0, 0.05, 0.1, a(10)])


def test_exponential_warmup_starts_at_floor_and_is_geometric():
    schedule = js.Warmup(js.Constant(0.1), 4, shape="exponential")
    close(
        eager(schedule, np.arange(5)), 0.1 * 10 ** np.array([-3, -2.25, -1.5, -0.75, 0])
    )
    assert _combinators.EXPONENTIAL_WARMUP_FLOOR == 1e-3


def test_exponential_warmup_with_non_positive_target_is_linear():
    schedule = js.Warmup(js.Constant(-1.0), 4, 0.5, shape="exponential")
    close(eager(schedule, np.arange(5)), [0.5, 0.125, -0.25, -0.625, -1.0])


@STEPS
def test_repeat_values(steps):
    schedule = js.Repeat(A, 20, 0.5)
    t = np.asarray(steps, np.float64)
    k = np.maximum(np.floor(t / 20), 0)
    close(eager(schedule, steps), 0.5**k * a(t - 20 * k))


def test_repeat_restarts_with_a_shrinking_peak():
    schedule = js.Repeat(js.Linear(1.0, 0.0, 10), 10, decay=0.5)
    close(eager(schedule, [0, 5, 10, 15, 20, 30]), [1, 0.5, 0.5, 0.25, 0.25, 0.125])
    once = js.Repeat(js.Linear(1.0, 0.0, 10), 10, decay=0.0)
    close(eager(once, [0, 5, 10, 25]), [1.0, 0.5, 0.0, 0.0])


def test_shift_direction_delays_and_resumes():
    delayed = js.Shift(A, 1000)
    resumed = js.Shift(A, -1000)
    close(eager(delayed, [1000]), a([0]))
    close(eager(resumed, [0]), a([1000]))


# ------------------------------------------------------------- giant steps


BIG = 2**31 - 1


@pytest.mark.parametrize("dtype", [jnp.int32, jnp.int16, jnp.uint8])
def test_local_steps_stay_integer_and_exact(dtype):
    seen = []
    probe = js.Lambda(lambda t: (seen.append(t), t.astype(jnp.float32))[1])
    top = int(jnp.iinfo(dtype).max)
    step = np.array([top - 1, top], dtype)
    close(
        eager(js.Warmup(probe, 100), step), np.array([top - 101, top - 100], np.float64)
    )
    close(eager(js.Shift(probe, 7), step), np.array([top - 8, top - 7], np.float64))
    assert all(jnp.issubdtype(t.dtype, jnp.integer) for t in seen)


def test_warmup_at_the_largest_int32_step_does_not_overflow():
    probe = js.Lambda(lambda t: (t % 1000).astype(jnp.float32))
    out = eager(js.Warmup(probe, 100), np.array([BIG, BIG - 1], np.int32))
    close(out, [(BIG - 100) % 1000, (BIG - 101) % 1000])


def test_shift_saturates_instead_of_wrapping():
    probe = js.Lambda(lambda t: jnp.sign(t).astype(jnp.float32))
    close(js.Shift(probe, -10)(jnp.int32(BIG - 3)), 1.0)
    close(js.Shift(probe, 10)(jnp.int32(-(2**31) + 3)), -1.0)


@pytest.mark.parametrize("period", [1000, 1000.0, 7, 7.0])
def test_repeat_is_integer_exact_at_giant_steps(period):
    probe = js.Lambda(lambda t: t.astype(jnp.float32))
    steps = np.array([BIG, BIG - 1, 2**24 + 1, 2**30 + 3], np.int64)
    schedule = js.Repeat(probe, period, decay=1.0)
    expected = steps % int(period)
    close(eager(schedule, steps.astype(np.int32)), expected.astype(np.float64))


def test_repeat_with_fractional_period_uses_float_steps():
    probe = js.Lambda(lambda t: t)
    close(eager(js.Repeat(probe, 2.5), [0, 2, 3, 5, 6]), [0, 2, 0.5, 0, 1])


def test_repeat_gradient_wrt_a_whole_float_period():
    def value(period):
        return js.Repeat(js.Lambda(lambda t: t * 1.0), period)(jnp.array(25)).sum()

    # local = 25 - 2 * period, so d/d period = -2 (integer path, same value).
    total, grad = jax.jit(jax.value_and_grad(value))(10.0)
    close(grad, -2.0)
    close(total, 5.0)


# ------------------------------------------------- operators and numbers


def test_operators_build_the_documented_classes():
    assert type(A + C) is js.Sum
    assert type(A - C) is js.Difference
    assert type(A * C) is js.Product
    assert type(2.0 * A) is js.Scale and (2.0 * A).factor == 2.0
    assert type(A * 2.0) is js.Scale
    assert type(-A) is js.Scale and (-A).factor == -1.0
    assert type(A + 1) is js.Offset and type(1 + A) is js.Offset
    assert (A - 0.25).value == -0.25
    assert type(0.3 - A) is js.Offset and type((0.3 - A).schedule) is js.Scale
    assert type(A / 2) is js.Quotient


@pytest.mark.parametrize(
    "number", [np.float32(2.0), np.int64(2), jnp.float32(2.0), np.array(2.0)]
)
def test_numpy_and_jax_numbers_on_either_side(number):
    for built in (number * A, A * number):
        assert type(built) is js.Scale
        close(built(5), 2 * a(5))


def test_numbers_are_leaves_and_differentiable():
    s = 0.5 * A + 0.01
    assert len(jax.tree.leaves(s)) == 5
    grads = GRAD(s, jnp.array([0, 10]))
    close(grads.schedule.factor, a(0) + a(10))
    close(grads.value, 2.0)


def test_operators_reject_what_is_not_a_number():
    with pytest.raises(TypeError, match="unsupported operand"):
        A + "0.1"
    with pytest.raises(TypeError, match="unsupported operand"):
        A * True
    with pytest.raises(TypeError, match="divided by a number"):
        A / C
    with pytest.raises(TypeError, match="unsupported operand"):
        2.0 / A


def test_traced_numbers_build_schedules_inside_jit():
    @jax.jit
    def f(factor, w):
        return js.Warmup(A * factor, w)(jnp.array([0, 5, 20]))

    close(f(2.0, 10), [0.0, 0.1, 2 * a(10)])


# ------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: js.Warmup(A, -1), ValueError, r"Warmup: argument `warmup_steps`"),
        (lambda: js.Warmup(A, 5, shape="quadratic"), ValueError, r"`shape`.*'linear'"),
        (lambda: js.Warmup(A, 5, math.nan), ValueError, r"`init_value` must be finite"),
        (lambda: js.Warmup(0.1, 5), TypeError, r"`schedule` must be a jaxsched"),
        (lambda: js.Warmup(lambda t: t, 5), TypeError, r"jaxsched\.Lambda"),
        (lambda: js.Clip(A, 0.2, 0.1), ValueError, r"`maximum` must be >= minimum"),
        (lambda: js.Clip(A, "0.1"), TypeError, r"Clip: argument `minimum`"),
        (lambda: js.Repeat(A, 0), ValueError, r"Repeat: argument `period` must be > 0"),
        (lambda: js.Repeat(A, -5.0), ValueError, r"`period` must be > 0"),
        (lambda: js.Repeat(A, 10, -0.5), ValueError, r"`decay` must be >= 0"),
        (lambda: A / 0, ValueError, r"Quotient: argument `divisor` must be != 0"),
        (lambda: A * math.inf, ValueError, r"Scale: argument `factor` must be finite"),
        (lambda: js.Shift(A, math.nan), ValueError, r"Shift: argument `offset`"),
        (lambda: js.Minimum(A, 0.1), TypeError, r"Minimum: argument `right`"),
        (lambda: js.Sum(A, None), TypeError, r"Sum: argument `right`"),
        (lambda: js.Lambda(3.0), TypeError, r"Lambda: argument `fn` must be callable"),
    ],
)
def test_invalid_arguments_raise_clear_errors(build, error, match):
    with pytest.raises(error, match=match):
        build()


def test_stacked_bounds_are_checked_elementwise():
    with pytest.raises(ValueError, match="maximum"):
        js.Clip(A, np.array([0.1, 0.3]), np.array([0.2, 0.2]))


# -------------------------------------------------------- the composite


def composite(scale=0.5, floor=0.05, boundary=1000, warmup=100, factor=2.0):
    join = js.Join([scale * A, js.Clip(C, minimum=floor)], [boundary])
    return js.Warmup(join, warmup) * factor


def composite_reference(
    t, scale=0.5, floor=0.05, boundary=1000, warmup=100, factor=2.0
):
    t = np.asarray(t, np.float64)
    local = np.maximum(t - warmup, 0)
    inner = np.where(
        local < boundary, scale * a(local), np.maximum(c(local - boundary), floor)
    )
    ramp = inner * (np.clip(t, 0, warmup) / warmup if warmup else 0)
    return factor * np.where(t < warmup, ramp, inner)


COMPOSITE_STEPS = np.array([-5, 0, 50, 99, 100, 101, 1099, 1100, 1101, 5000, BIG])


def test_composite_values():
    close(
        eager(composite(), COMPOSITE_STEPS), composite_reference(COMPOSITE_STEPS), 1e-5
    )


def test_composite_json_round_trip_is_identical():
    schedule = composite()
    data = schedule.to_dict()
    again = js.from_dict(json.loads(json.dumps(data, allow_nan=False)))
    assert again.to_dict() == data
    assert data["class_name"] == "Scale"
    warmup = data["config"]["schedule"]
    assert warmup["class_name"] == "Warmup"
    clip = warmup["config"]["schedule"]["config"]["schedules"][1]
    assert clip == {
        "module": "jaxsched",
        "class_name": "Clip",
        "config": {"schedule": C.to_dict(), "minimum": 0.05},
    }
    np.testing.assert_array_equal(
        eager(again, COMPOSITE_STEPS), eager(schedule, COMPOSITE_STEPS)
    )


@pytest.mark.parametrize(
    "schedule", [js.Clip(A), js.Clip(A, maximum=0.1), js.Clip(A, -1, 1)], ids=str
)
def test_clip_round_trips_unbounded_sides(schedule):
    data = json.loads(json.dumps(schedule.to_dict()))
    again = js.from_dict(data)
    assert (again.minimum, again.maximum) == (schedule.minimum, schedule.maximum)
    assert again.to_dict() == data


def test_composite_sweep_with_stack_and_vmap():
    settings = [
        dict(scale=0.5, floor=0.05, boundary=1000, warmup=100, factor=2.0),
        dict(scale=0.25, floor=0.01, boundary=10, warmup=0, factor=1.0),
        dict(scale=1.0, floor=0.1, boundary=500, warmup=3, factor=0.5),
    ]
    batched = js.stack([composite(**kw) for kw in settings])
    steps = jnp.asarray(COMPOSITE_STEPS[:-1])
    out = jax.jit(jax.vmap(lambda s: s(steps)))(batched)
    for row, kw in zip(out, settings):
        close(row, composite_reference(COMPOSITE_STEPS[:-1], **kw), 1e-5)


def test_composite_jits_once_for_different_numbers():
    traces = []

    @jax.jit
    def f(schedule, step):
        traces.append(1)
        return schedule(step)

    steps = jnp.asarray(COMPOSITE_STEPS)
    for kw in (dict(), dict(scale=0.1, warmup=7, boundary=20), dict(factor=3.0)):
        close(
            f(composite(**kw), steps), composite_reference(COMPOSITE_STEPS, **kw), 1e-5
        )
    assert len(traces) == 1


ZERO_WARMUP_SHAPES = ["linear", "cosine", "exponential"]
ZERO_WARMUP_STEPS = np.array([-2, 0, 1, 3, 50, 100, 150])


@functools.cache
def _zero_warmup_sweeps():
    """For every shape and zero warmup (int and float), a sweep of Warmups with that
    zero warmup, 100 and 3 under vmap: values and the gradients of their sum with
    respect to every leaf, all six sweeps in ONE jitted program (six separate
    programs compile about 40 % longer)."""
    cases = [(shape, w) for shape in ZERO_WARMUP_SHAPES for w in (0, 0.0)]
    sweeps = [
        [js.Warmup(A, w, 0.0, shape) for w in (w_zero, 100, 3)]
        for shape, w_zero in cases
    ]
    out = group_sweeps(sweeps, ZERO_WARMUP_STEPS)
    # keyed by the zero's type: 0 == 0.0 (and they hash alike)
    return {(shape, type(w)): vg for (shape, w), vg in zip(cases, out, strict=True)}


@pytest.mark.parametrize("shape", ZERO_WARMUP_SHAPES)
@pytest.mark.parametrize("w_zero", [0, 0.0])
def test_zero_warmup_in_a_sweep_keeps_values_and_grads_finite(shape, w_zero):
    values, grads = _zero_warmup_sweeps()[shape, type(w_zero)]
    assert_finite(values, grads)
    want = _warmup_reference(a, w_zero, 0.0, shape)(ZERO_WARMUP_STEPS)
    close(values[0], want, 1e-5)


def test_repeat_with_zero_decay_keeps_grads_finite():
    def total(decay):
        return js.Repeat(A, 10, decay)(jnp.array([0, 5, 15, 25])).sum()

    grad = jax.jit(jax.grad(total))
    assert np.isfinite(grad(0.0))
    close(grad(0.5), a(5) + 2 * 0.5 * a(5), 1e-5)


def test_results_follow_dtypes():
    step = jnp.arange(3)
    half = js.ExponentialDecay(jnp.bfloat16(0.1), 10, jnp.bfloat16(0.5))
    assert _dtype(2.0 * half, step) == jnp.bfloat16
    assert _dtype(js.Warmup(half, 5), step) == jnp.bfloat16
    assert _dtype(half + A, step) == jnp.float32
    assert _dtype(js.Clip(half, jnp.float32(0.0)), step) == jnp.float32


def test_giant_int64_steps_under_x64():
    with jax.enable_x64(True):
        probe = js.Lambda(lambda t: t.astype(jnp.float64))
        step = jnp.array([2**40 + 12345, 2**62], jnp.int64)
        repeat, warmup = js.Repeat(probe, 1000), js.Warmup(probe, 100)
        close(CALL(repeat, step), [(2**40 + 12345) % 1000, 2**62 % 1000])
        close(CALL(warmup, step), [2**40 + 12245, 2**62 - 100], rtol=0)


# ------------------------------------------------------------------ Lambda


def test_lambda_jits_vmaps_and_composes():
    fn = lambda t: 0.1 / jnp.sqrt(1.0 + t)  # noqa: E731
    traces = []

    @jax.jit
    def f(schedule, step):
        traces.append(1)
        return schedule(step)

    steps = jnp.array([0, 3, 8])
    for w in (2, 5):
        s = js.Warmup(js.Lambda(fn), w, 0.0) * 2.0
        out = f(s, steps)
        close(
            out,
            2.0
            * _warmup_reference(lambda t: 0.1 / np.sqrt(1 + t), w, 0, "linear")(steps),
        )
    assert len(traces) == 1
    batched = js.stack([js.Lambda(fn) * 2.0, js.Lambda(fn) * 3.0])
    out = jax.vmap(lambda s: s(steps))(batched)
    close(out[1], 3 * 0.1 / np.sqrt(1 + np.array([0, 3, 8])))
    assert js.Lambda(lambda t: 1)(jnp.arange(4)).dtype == jnp.float32


def test_lambda_cannot_be_serialized_even_when_nested():
    def my_schedule(t):
        return 0.1 * jnp.ones_like(t, jnp.float32)

    with pytest.raises(TypeError, match=r"Lambda\(fn=.*my_schedule\) cannot be"):
        js.Lambda(my_schedule).to_dict()
    nested = js.Warmup(js.Join([A, js.Lambda(my_schedule) * 2.0], [10]), 5)
    with pytest.raises(TypeError, match="neither can a schedule that contains it"):
        nested.to_dict()
    with pytest.raises(TypeError, match="cannot be serialized"):
        js.serialize(nested)
    with pytest.raises(ValueError, match="unknown schedule class 'Lambda'"):
        js.from_dict({"class_name": "Lambda", "config": {"fn": "os.system"}})
    assert "Lambda" not in js.registry()
