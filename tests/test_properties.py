"""Property tests over the whole registry (hypothesis).

For every registered class, perturbed example instances (value leaves scaled by a
positive factor, counts by a whole factor) and generated steps (0, negative, huge,
floats): jit equals eager, vmap over ``stack`` equals a loop, the JSON round trip is
exact, outputs are finite for steps >= 0, dtypes follow the rules, and documented
decays are non-increasing. Compiled functions take the schedule as an argument, so
examples of one structure share one compile.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from examples import EXAMPLES
from helpers import (
    SWEEP_STEPS,
    call_padded,
    group_sweeps,
    padded,
    structure_groups,
    values,
)
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from strategies import (
    class_params,
    float_steps,
    has_non_default_float_leaf,
    int_steps,
    is_float_value,
    map_leaves,
    may_grow,
    perturbed,
    schedule_of,
)

import jaxsched as js

# 3 examples per class and property: perturbed instances of the examples (the
# deterministic edge grids of every example are tests/test_key_steps.py's). The cost
# is compiling (one program per class structure, property and step dtype; examples
# reuse it), so evaluations are jitted with the schedule as an argument
# (``helpers.values``: 8 drawn steps padded to 128); eager (costlier: each primitive
# compiles) only where eager is the point, at the same padded length.
# Derandomized (the same examples on every run, so CI is stable) and without the
# shrink phase (a failure is reported as found).
#: Perturbations of each class's first BASES examples (at most two structures, so
#: at most two compiles per class and property); every example and structure is
#: checked deterministically in tests/test_contract.py and tests/test_key_steps.py.
BASES = 2
SETTINGS = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


def _attr(name: str, default: Any = None):
    return lambda s: getattr(s, name, default)


def _le(a: Any, b: Any) -> bool:
    return bool(np.all(np.asarray(a, np.float64) <= np.asarray(b, np.float64)))


def _ge0(x: Any) -> bool:
    return _le(0, x)


#: Classes documented as decays, with the condition under which an instance decays
#: (e.g. ``decay_rate <= 1``); checked to be non-increasing over steps >= 0.
DECAYS = {
    "ExponentialDecay": lambda s: (
        _le(s.decay_rate, 1) and _ge0(s.initial_learning_rate)
    ),
    "InverseTimeDecay": lambda s: _ge0(s.initial_learning_rate),
    "PolynomialDecay": lambda s: (
        not s.cycle and _le(s.end_learning_rate, s.initial_learning_rate)
    ),
    "PiecewiseConstantDecay": lambda s: _le(np.diff(s.values), 0),
    "CosineDecay": lambda s: (
        not getattr(s, "warmup_steps", 0)
        and _ge0(s.initial_learning_rate)
        and _le(s.alpha, 1)
    ),
    "Exponential": lambda s: _le(s.decay_rate, 1) and _ge0(s.init_value),
    "Cosine": lambda s: _ge0(s.init_value) and _le(s.alpha, 1),
    "Polynomial": lambda s: _le(s.end_value, s.init_value),
    "Linear": lambda s: _le(s.end_value, s.init_value),
    "PiecewiseConstant": lambda s: _le(np.diff(s.values), 0),
    "StepLR": lambda s: _le(s.gamma, 1) and _ge0(s.learning_rate),
    "MultiStepLR": lambda s: _le(s.gamma, 1) and _ge0(s.learning_rate),
}


_PROBE = jnp.asarray([0, 1, 10, 100, 1000, 1000, 1000, 1000], jnp.int32)  # as int_steps


def _close(actual: Any, expected: Any, magnitude: float = 0.0, rtol: float = 1e-4):
    """Close where finite, non-finite where the other is (an overflow may read as
    inf or nan); ``atol`` is relative to the schedule's ``magnitude``."""
    actual = np.asarray(actual, np.float64)
    expected = np.asarray(expected, np.float64)
    finite = np.isfinite(expected)
    np.testing.assert_array_equal(np.isfinite(actual), finite)
    actual, expected = actual[finite], expected[finite]
    scale = max(float(np.max(np.abs(expected), initial=0.0)), magnitude)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=1e-5 * scale + 1e-30)


def _dtype(schedule: js.Schedule, steps: Any) -> Any:
    """The output dtype under jit, from tracing alone (a compiled program returns
    the dtype it was traced to; eager: test_jit_equals_eager)."""
    return jax.eval_shape(lambda s, t: s(t), schedule, steps).dtype


def _magnitude(schedule: js.Schedule) -> float:
    out = np.abs(np.asarray(call_padded(schedule, _PROBE), np.float64))
    return float(np.max(out[np.isfinite(out)], initial=0.0))


def prop(test: Any = None, *, examples: int | None = None) -> Any:
    """A property over every class, drawing with ``data`` (hypothesis, SETTINGS;
    ``examples`` draws per class instead of SETTINGS' where fewer prove the same)."""
    if test is None:
        return lambda test: prop(test, examples=examples)
    chosen = SETTINGS if examples is None else settings(SETTINGS, max_examples=examples)
    return pytest.mark.parametrize("cls", class_params())(
        given(data=st.data())(chosen(test))
    )


def _schedule(data: Any, cls: type) -> js.Schedule:
    """A perturbed example of ``cls`` (draws that break a constraint are retried)."""
    schedule = data.draw(schedule_of(cls, BASES))
    assume(schedule is not None)
    return schedule


# ------------------------------------------------------------------ evaluation


@prop
def test_jit_equals_eager(cls, data):
    schedule = _schedule(data, cls)
    ints, floats = data.draw(int_steps()), data.draw(float_steps())
    magnitude = _magnitude(schedule)
    for steps, jitted in zip((ints, floats), values(schedule, ints, floats)):
        # Eager at the suite's one padded length: its primitives are compiled once
        # for every class (and shared with tests/test_key_steps.py's eager mode).
        eager = schedule(padded(steps))
        assert eager.dtype == _dtype(schedule, steps)
        _close(jitted, eager[: steps.size], magnitude)


def _perturbed_or_same(data: Any, member: js.Schedule) -> js.Schedule:
    """A perturbed ``member`` (the member itself where a draw breaks a constraint)."""
    drawn = data.draw(perturbed(member))
    return member if drawn is None else drawn


@prop
def test_vmap_over_stack_equals_loop(cls, data):
    """Perturbed instances of every example of the class, stacked in the groups of
    tests/test_contract.py's sweeps and evaluated by the same program
    (``helpers.group_sweeps``, compiled once per class for both modules) at drawn
    steps: under vmap each member equals the member alone."""
    groups = [
        [_perturbed_or_same(data, m) for m in group]
        for group in structure_groups(EXAMPLES[cls])
    ]
    steps = data.draw(int_steps(SWEEP_STEPS.size))
    for members, (out, _) in zip(groups, group_sweeps(groups, steps)):
        for i, member in enumerate(members):
            _close(out[i], call_padded(member, steps), _magnitude(member))


@prop
def test_outputs_are_finite_for_non_negative_steps(cls, data):
    schedule = data.draw(schedule_of(cls, BASES))
    assume(schedule is not None and not may_grow(schedule))
    for steps in (
        data.draw(int_steps(min_value=0)),
        data.draw(float_steps(min_value=0)),
    ):
        out = np.asarray(call_padded(schedule, steps), np.float64)
        assert np.all(np.isfinite(out)), (schedule, steps, out)


# ----------------------------------------------------------------- round trip


@prop
def test_json_round_trip_is_exact(cls, data):
    import json

    schedule = _schedule(data, cls)
    config = schedule.to_dict()
    again = js.from_dict(json.loads(json.dumps(config, allow_nan=False)))
    assert type(again) is type(schedule)
    assert again.to_dict() == config
    steps = data.draw(int_steps())
    if has_non_default_float_leaf(schedule):  # JSON keeps values, not dtypes
        _close(call_padded(again, steps), call_padded(schedule, steps), rtol=1e-2)
    else:
        np.testing.assert_array_equal(
            call_padded(again, steps), call_padded(schedule, steps)
        )


# ---------------------------------------------------------------------- dtypes


def _to_bfloat16(schedule: js.Schedule) -> js.Schedule:
    def convert(field: Any, value: Any) -> Any:
        if field.metadata.get("count", False) or not is_float_value(value):
            return value
        return np.asarray(value, dtype=jnp.bfloat16)

    return map_leaves(schedule, convert)


def _has_plain_values(schedule: js.Schedule) -> bool:
    return not has_non_default_float_leaf(schedule)


# One draw per class: a perturbation changes leaf values, never their dtypes, and
# the output dtype is decided by dtypes alone (every unperturbed example's default
# dtype: tests/test_contract.py).
@prop(examples=1)
def test_dtype_rules(cls, data):
    schedule = _schedule(data, cls)
    ints = data.draw(int_steps(min_value=0))
    floats = data.draw(float_steps())
    if _has_plain_values(schedule):
        for steps in (ints, floats, 7):
            assert _dtype(schedule, steps) == jnp.float32
        with jax.enable_x64(True):  # float64 values: tests/test_key_steps.py
            for steps in (jnp.asarray(ints, jnp.int64), floats.astype(jnp.float64), 7):
                assert _dtype(schedule, steps) == jnp.float64
    try:
        low = _to_bfloat16(schedule)
    except ValueError:  # a constraint broken by rounding to bfloat16
        return
    if any(  # only schedules that have float value leaves
        is_float_value(x) and np.asarray(x).dtype == jnp.bfloat16
        for x in jax.tree.leaves(low)
    ):
        assert _dtype(low, ints) == jnp.bfloat16
        assert _dtype(low, floats) == jnp.bfloat16
        with jax.enable_x64(True):
            assert _dtype(low, jnp.asarray(ints, jnp.int64)) == jnp.bfloat16


# ---------------------------------------------------------------------- decays


@prop
def test_documented_decays_do_not_increase(cls, data):
    condition = DECAYS.get(cls.__name__)
    if condition is None:
        pytest.skip("not documented as a decay")
    schedule = data.draw(schedule_of(cls, BASES))
    assume(schedule is not None and condition(schedule))
    drawn = data.draw(int_steps(min_value=0))
    grid = jnp.concatenate([jnp.arange(0, 400, dtype=jnp.int32), drawn])
    ints = jnp.sort(grid)
    for out in values(schedule, ints, ints.astype(np.float32) + 0.5):
        rises = np.diff(out)
        tolerance = 1e-6 * np.abs(out[:-1]) + 1e-12
        assert np.all(rises <= tolerance), (schedule, np.asarray(ints)[1:][rises > 0])
