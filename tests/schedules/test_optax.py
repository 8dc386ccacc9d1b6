"""The optax-named factories: what they return, their errors, and their differences."""

import json
import re

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jaxsched as js


def _close(a, b, rtol=1e-6):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=1e-7)


CYCLE = dict(init_value=0.0, peak_value=1.0, warmup_steps=5, decay_steps=20)

FACTORIES = [
    (lambda: js.constant_schedule(0.1), js.Constant),
    (lambda: js.linear_schedule(1.0, 0.0, 10), js.Linear),
    (lambda: js.polynomial_schedule(1.0, 0.0, 2.0, 10), js.Polynomial),
    (lambda: js.exponential_decay(1.0, 10, 0.5, end_value=0.1), js.Exponential),
    (lambda: js.cosine_decay_schedule(1.0, 10), js.Cosine),
    (lambda: js.piecewise_constant_schedule(1.0, {5: 0.5}), js.PiecewiseConstant),
    (
        lambda: js.piecewise_interpolate_schedule("cosine", 1.0, {5: 0.5}),
        js.PiecewiseInterpolate,
    ),
    (lambda: js.linear_onecycle_schedule(100, 1.0), js.PiecewiseInterpolate),
    (lambda: js.cosine_onecycle_schedule(100, 1.0), js.PiecewiseInterpolate),
    (lambda: js.warmup_constant_schedule(0.0, 1.0, 10), js.Linear),
    (lambda: js.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100), js.Join),
    (lambda: js.warmup_exponential_decay_schedule(0.0, 1.0, 10, 5, 0.5), js.Join),
    (lambda: js.sgdr_schedule([CYCLE, CYCLE]), js.Join),
    (
        lambda: js.join_schedules([js.constant_schedule(1.0)] * 2, [3]),
        js.Join,
    ),
]


@pytest.mark.parametrize(("build", "cls"), FACTORIES)
def test_factories_return_serializable_schedules(build, cls):
    s = build()
    assert type(s) is cls
    again = js.from_dict(json.loads(json.dumps(s.to_dict())))
    assert again.to_dict() == s.to_dict()
    steps = jnp.arange(0, 120, 3)
    _close(again(steps), s(steps))


def test_exponential_end_value_none_is_unbounded():
    s = js.exponential_decay(1.0, 10, 0.5)
    assert s.bounded is False
    assert s.get_config()["end_value"] == 0.0
    bounded = js.exponential_decay(1.0, 10, 0.5, end_value=0.2)
    assert bounded.bounded is True
    _close(bounded(100), 0.2)


def test_piecewise_values_are_absolute_and_keep_a_float_dtype():
    s = js.piecewise_constant_schedule(2.0, {20: 0.1, 10: 0.5})
    np.testing.assert_array_equal(s.boundaries, [10, 20])
    _close(s.values, [2.0, 1.0, 0.1])
    low = js.piecewise_constant_schedule(jnp.bfloat16(2.0), {10: 0.5})
    assert low(3).dtype == jnp.bfloat16


def test_piecewise_constant_with_a_traced_init_value():
    @jax.jit
    def f(init):
        return js.piecewise_constant_schedule(init, {10: 0.5})(jnp.array([0, 10]))

    _close(f(jnp.float32(4.0)), [4.0, 2.0])


def _message(call):
    with pytest.raises(ValueError) as info:
        call()
    return str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda o: o.cosine_decay_schedule(1.0, 0),
        lambda o: o.cosine_decay_schedule(1.0, -5),
        lambda o: o.piecewise_constant_schedule(1.0, {5: -0.5}),
        lambda o: o.piecewise_interpolate_schedule("quadratic", 1.0, {5: 0.5}),
        lambda o: o.piecewise_interpolate_schedule("linear", 1.0, {5: -0.5}),
        lambda o: o.linear_onecycle_schedule(0, 1.0),
        lambda o: o.warmup_cosine_decay_schedule(0.0, 1.0, 10, 10),
        lambda o: o.warmup_cosine_decay_schedule(0.0, 1.0, 10, 5),
    ],
)
def test_errors_match_optax(call):
    assert _message(lambda: call(js)) == _message(lambda: call(optax))


def test_cosine_onecycle_error_names_the_right_schedule():
    pattern = "onecycle schedule was set with a non-positive `transition_steps`"
    assert re.search(pattern, _message(lambda: optax.cosine_onecycle_schedule(0, 1.0)))
    message = _message(lambda: js.cosine_onecycle_schedule(0, 1.0))
    assert message.startswith("A cosine onecycle") and re.search(pattern, message)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: js.join_schedules([js.constant_schedule(1.0)] * 3, [5]),
            "one boundary fewer than schedules",
        ),
        (
            lambda: js.join_schedules([js.constant_schedule(1.0)] * 2, [6, 5]),
            "one boundary fewer than schedules",
        ),
        (
            lambda: js.join_schedules([js.constant_schedule(1.0)] * 3, [6, 5]),
            "strictly increasing",
        ),
        (lambda: js.sgdr_schedule([]), "at least one cycle"),
        (lambda: js.warmup_cosine_decay_schedule(0.0, 1.0, -5, 100), ">= 0"),
        (lambda: js.exponential_decay(1.0, 10, -0.5), r"`decay_rate` must be >= 0"),
        (
            lambda: js.piecewise_interpolate_schedule("linear", 1.0, {-5: 0.5}),
            "non-decreasing",
        ),
    ],
)
def test_where_jaxsched_is_stricter_than_optax(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_onecycle_knot_collision_matches_optax():
    # int(0.3 * 10) == 3 and int(1.0 * 10) == 10 == transition_steps: the last wins
    ours = js.linear_onecycle_schedule(10, 1.0, 0.3, 1.0)
    assert ours.boundaries.tolist() == [0, 3, 10]
    _close(ours(20), 1.0 / 25.0 * 25.0 / 1e4)
    _close(ours(20), optax.linear_onecycle_schedule(10, 1.0, 0.3, 1.0)(20))


def test_trains_like_optax():
    ours = js.warmup_cosine_decay_schedule(0.0, 0.1, 3, 20, 0.01)
    theirs = optax.warmup_cosine_decay_schedule(0.0, 0.1, 3, 20, 0.01)

    def run(schedule):
        opt = optax.adam(schedule)
        params = jnp.array([1.0, -2.0])
        state = opt.init(params)

        def step(carry, _):
            params, state = carry
            grads = 2 * params
            updates, state = opt.update(grads, state, params)
            return (optax.apply_updates(params, updates), state), None

        (params, _), _ = jax.lax.scan(step, (params, state), length=25)
        return params

    _close(jax.jit(run)(ours), run(theirs), 1e-5)


def test_docstring_examples():
    import doctest

    from jaxsched.schedules import _optax

    result = doctest.testmod(_optax)
    assert result.attempted > 0 and result.failed == 0
