"""Unit tests of the Keras-named schedules (``jaxsched/_keras.py``).

Values against Keras itself are in ``test_parity_keras.py``; here: exact counts past
2**24, integer and float steps, validation messages, dtypes, gradients, the
``warmup_target=None`` structure, and the documented choices where Keras's value is
not finite.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import re
from collections.abc import Iterator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from helpers import PADDED, assert_finite_sweep, call_padded, fresh_arrays
from helpers import values as padded_values
from sweep_checks import check_piecewise_table

import jaxsched as js

KERAS_CLASSES = [
    js.ExponentialDecay,
    js.InverseTimeDecay,
    js.PolynomialDecay,
    js.PiecewiseConstantDecay,
    js.CosineDecay,
    js.CosineDecayRestarts,
]

#: One instance of every Keras-named class and static option.
SCHEDULES = [
    js.ExponentialDecay(0.1, 10, 0.5),
    js.ExponentialDecay(0.1, 7, 0.9, staircase=True),
    js.InverseTimeDecay(0.1, 3, 0.5),
    js.InverseTimeDecay(0.5, 10, 2.0, staircase=True),
    js.PolynomialDecay(0.1, 20, 0.01, 2.0),
    js.PolynomialDecay(0.1, 7, 0.01, 0.5, cycle=True),
    js.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]),
    js.CosineDecay(0.1, 30, alpha=0.1),
    js.CosineDecay(0.0, 30, warmup_target=1.0, warmup_steps=5),
    js.CosineDecayRestarts(1.0, 10, 2.0, 0.5, 0.1),
    js.CosineDecayRestarts(1.0, 7, 1.0, 0.9),
]
IDS = [f"{type(s).__name__}-{i}" for i, s in enumerate(SCHEDULES)]
each = pytest.mark.parametrize("schedule", SCHEDULES, ids=IDS)

BIG_STEP = 16777219  # 2**24 + 3: float32 rounds it to 2**24 + 4
BIG_DECAY = 4194305  # (2**24 + 4) / 4194305 == 4.0000..., but 16777219 // 4194305 == 3


@contextlib.contextmanager
def x64() -> Iterator[None]:
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        jax.config.update("jax_enable_x64", previous)


@jax.jit
def evaluate(schedule: js.Schedule, steps: jax.Array) -> jax.Array:
    """``schedule(steps)`` in one compiled program (eager is covered elsewhere)."""
    return schedule(steps)


#: The int32 steps of the value checks below: -3 to 199, one shape for every test.
GRID = np.arange(-3, 200)
#: ``steps`` (a dict of arrays) evaluated by ``schedule``: one compile per structure.
_EVALUATE_ALL = jax.jit(lambda schedule, steps: jax.tree.map(schedule, steps))
#: Both schedules at the same steps, in one compiled program.
_EVALUATE_PAIR = jax.jit(lambda a, b, steps: (a(steps), b(steps)))


def grid_values(schedule: js.Schedule) -> dict[str, np.ndarray]:
    """``schedule`` at ``GRID`` as int32 (``values_at``: the program the other
    value checks of that structure share), and in one more jitted call as float32
    and int16, at ``GRID``'s non-negative steps as uint8 and uint32, and at
    ``arange(24)`` shaped (2, 3, 4) (one step shape per key for every schedule)."""
    steps = {
        "float32": jnp.asarray(GRID, jnp.float32),
        "int16": jnp.asarray(GRID, jnp.int16),
        "uint8": jnp.asarray(GRID[3:], jnp.uint8),
        "uint32": jnp.asarray(GRID[3:], jnp.uint32),
        "shaped": jnp.arange(24, dtype=jnp.int32).reshape(2, 3, 4),
    }
    out = _EVALUATE_ALL(schedule, steps)
    assert all(v.dtype == jnp.float32 for v in out.values())
    return {"int32": values_at(schedule, GRID)} | {
        k: np.asarray(v) for k, v in out.items()
    }


def grid_values_x64(schedule: js.Schedule) -> dict[str, np.ndarray]:
    """``schedule`` at ``GRID`` as int64 and float64 under x64, through the suite's
    one jitted program per structure (``helpers.values``); both values must be
    float64."""
    with x64():
        wide = fresh_arrays(schedule)
        for dtype in (jnp.int64, jnp.float64):
            spec = jax.ShapeDtypeStruct(GRID.shape, dtype)
            assert jax.eval_shape(wide, spec).dtype == jnp.float64
        ints, floats = padded_values(wide, GRID, GRID.astype(np.float64))
        return {"int64": ints, "float64": floats}


def values_at(schedule: js.Schedule, steps: Any) -> np.ndarray:
    """``schedule(steps)`` (float64) through ``call_padded``, ``PADDED`` steps at a
    time: one jitted program per structure for every test here and elsewhere."""
    steps = np.asarray(steps)
    return np.concatenate(
        [
            call_padded(schedule, steps[i : i + PADDED])
            for i in range(0, steps.size, PADDED)
        ]
    )


def _rebuild(schedule: js.Schedule, **changes: Any) -> js.Schedule:
    config = schedule.get_config()
    config.update(changes)
    return type(schedule)(**config)


# ------------------------------------------------------------ exact past 2**24


def test_staircase_counts_three_stairs_not_four_beyond_2_pow_24():
    assert BIG_STEP // BIG_DECAY == 3
    assert math.floor(np.float32(BIG_STEP) / np.float32(BIG_DECAY)) == 4  # float32
    exp = js.ExponentialDecay(1.0, BIG_DECAY, 0.5, staircase=True)
    inv = js.InverseTimeDecay(1.0, BIG_DECAY, 1.0, staircase=True)
    assert float(exp(BIG_STEP)) == 0.5**3  # eager, Python step
    assert float(inv(BIG_STEP)) == 1 / (1 + 3)
    for step in (jnp.int32(BIG_STEP), np.int64(BIG_STEP)):
        at_exp, at_inv = _EVALUATE_PAIR(exp, inv, step)  # jitted
        assert float(at_exp) == 0.5**3
        assert float(at_inv) == 1 / (1 + 3)
    # A float32 step is itself rounded to 2**24 + 4 first: four stairs, as in Keras.
    assert float(_EVALUATE_PAIR(exp, inv, jnp.float32(BIG_STEP))[0]) == 0.5**4


def test_polynomial_cycle_counts_exactly_beyond_2_pow_24():
    poly = js.PolynomialDecay(1.0, BIG_DECAY, end_learning_rate=0.0, cycle=True)
    # 16777219 = 3 * 4194305 + 4194304: the fourth cycle, one step before its end.
    horizon = 4 * BIG_DECAY
    at_big, at_horizon, after = values_at(poly, [BIG_STEP, horizon, horizon + 1])
    np.testing.assert_allclose(at_big, (horizon - BIG_STEP) / horizon, rtol=1e-6)
    assert at_horizon == 0.0  # an exact multiple is the end value
    np.testing.assert_allclose(after, 1 - (horizon + 1) / (5 * BIG_DECAY), rtol=1e-6)
    assert at_big > 0  # float32 ceil would say 5 cycles


def _sgdr(step: int, first: int, t_mul: int, m_mul: float, alpha: float) -> float:
    """SGDR in exact integer arithmetic (whole t_mul), for step >= 0."""
    start, length, cycle = 0, first, 0
    while step >= start + length:
        start, length, cycle = start + length, length * t_mul, cycle + 1
    cosine = 0.5 * (1 + math.cos(math.pi * (step - start) / length))
    return (1 - alpha) * m_mul**cycle * cosine + alpha


@pytest.mark.parametrize("t_mul", [1, 2, 3])
def test_restart_cycles_are_exact_beyond_2_pow_24(t_mul):
    schedule = js.CosineDecayRestarts(1.0, BIG_DECAY, float(t_mul), 0.5, 0.1)
    starts = [0]
    length = BIG_DECAY
    while starts[-1] + length < 2**31 - 1:
        starts.append(starts[-1] + length)
        length *= t_mul
    steps = sorted({s + d for s in starts for d in (-2, -1, 0, 1, 2) if s + d >= 0})
    steps += [BIG_STEP, 2**31 - 1]
    out = values_at(schedule, steps)
    expected = [_sgdr(s, BIG_DECAY, t_mul, 0.5, 0.1) for s in steps]
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-7)


def test_piecewise_boundaries_beyond_2_pow_24_switch_exactly():
    b = 2**24 + 1  # not a float32
    schedule = js.PiecewiseConstantDecay([b], [1.0, 0.5])
    np.testing.assert_array_equal(
        values_at(schedule, [b - 1, b, b + 1]), [1.0, 1.0, 0.5]
    )


# ------------------------------------------------------- integer and float steps


@each
def test_integer_and_float_steps_agree(schedule):
    got = grid_values(schedule)
    ints = got["int32"][:123]  # steps -3 to 119
    for dtype in ("float32", "int16"):
        np.testing.assert_allclose(got[dtype][:123], ints, rtol=2e-6, atol=1e-8)
    for dtype in ("uint8", "uint32"):  # steps 0 to 119
        np.testing.assert_allclose(got[dtype][:120], ints[3:], rtol=2e-6, atol=1e-8)
    wide = grid_values_x64(schedule)["int64"][:123]
    np.testing.assert_allclose(wide, ints, rtol=2e-5, atol=1e-8)


@each
def test_step_shapes_broadcast(schedule):
    got = grid_values(schedule)
    assert got["shaped"].shape == (2, 3, 4)
    np.testing.assert_allclose(got["shaped"].ravel(), got["int32"][3:27], rtol=1e-6)
    assert jax.eval_shape(schedule, 3).shape == ()


def test_piecewise_switches_one_step_after_each_boundary():
    schedule = js.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    steps = [-5, 0, 9, 10, 11, 19, 20, 21, 10**6]
    expected = np.float32([1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.1, 0.1])
    np.testing.assert_array_equal(values_at(schedule, steps), expected)
    floats = np.float32([10.0, 10.25, 20.0, 20.5])
    np.testing.assert_array_equal(
        values_at(schedule, floats), np.float32([1.0, 0.5, 0.5, 0.1])
    )


def test_piecewise_float_boundaries_with_integer_steps():
    """An integer step is past ``b`` exactly when it is past ``floor(b)``."""
    schedule = js.PiecewiseConstantDecay([-2.5, 7.5], [3.0, 2.0, 1.0])
    steps = np.int32([-3, -2, 7, 8])
    # Keras truncates -2.5 to -2 (its cast to the step's dtype) and gives 3.0 at -2.
    np.testing.assert_array_equal(values_at(schedule, steps), [3.0, 2.0, 2.0, 1.0])
    np.testing.assert_array_equal(
        values_at(schedule, np.float32([-2.5, -2.4, 7.5, 7.6])), [3.0, 2.0, 2.0, 1.0]
    )


def test_piecewise_lookup_does_not_grow_with_the_number_of_pieces():
    def size(n: int) -> int:
        schedule = js.PiecewiseConstantDecay(
            list(range(1, n + 1)), np.linspace(1.0, 0.0, n + 1)
        )
        return len(jax.make_jaxpr(lambda s, t: s(t))(schedule, jnp.arange(5)).eqns)

    # up to 16 boundaries: a chain of selects (vectorizes; a gather does not), whose
    # length is bounded; beyond: a gather at a binary-search index
    assert size(3) < size(12) < size(16) + 1
    assert size(20) == size(2000)


@pytest.mark.parametrize("n", [1, 5, 16, 17, 40])
def test_piecewise_small_and_large_tables_switch_one_step_after(n):
    check_piecewise_table(js.PiecewiseConstantDecay, n, side="left")
    schedule = js.PiecewiseConstantDecay(list(range(10, 10001, 10)), np.arange(1001.0))
    np.testing.assert_array_equal(
        values_at(schedule, [10, 11, 5000, 5001, 10**5]), [0, 1, 499, 500, 1000]
    )


def test_piecewise_sweep_over_boundaries_and_values():
    members = [
        js.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]),
        js.PiecewiseConstantDecay([5, 50], [2.0, 0.2, 0.02]),
    ]
    batched = js.stack(members)
    steps = jnp.arange(0, 60)
    out = jax.jit(jax.vmap(lambda s: s(steps)))(batched)
    for i, member in enumerate(members):
        np.testing.assert_array_equal(out[i], values_at(member, steps))
    assert jax.jit(members[0])(11) == 0.5  # hashable with array leaves
    assert members[0] == js.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert members[0] != members[1]


# ------------------------------------------------------------------ validation


def _message(cls: type, field: str, shown: str) -> re.Pattern:
    return re.compile(
        rf"{cls.__name__}: argument `{field}` must be .*Received: "
        rf"{field}={re.escape(shown)}",
        re.S,
    )


def _invalid(cls: type, base: dict, *rows: tuple) -> list[tuple]:
    """``(cls, kwargs, field, shown, error)`` cases: each row ``(changes, field, shown,
    error)`` builds ``cls`` from ``base`` with ``changes``."""
    return [(cls, {**base, **changes}, *rest) for changes, *rest in rows]


INVALID = [
    *_invalid(
        js.ExponentialDecay,
        dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5),
        (dict(decay_steps=0), "decay_steps", "0", ValueError),
    ),
    *_invalid(
        js.InverseTimeDecay,
        dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5),
        (dict(decay_rate=-1.0), "decay_rate", "-1.0", ValueError),
    ),
    *_invalid(
        js.PolynomialDecay,
        dict(initial_learning_rate=0.1, decay_steps=5),
        (dict(decay_steps=-5), "decay_steps", "-5", ValueError),
        (dict(power=-1.0), "power", "-1.0", ValueError),
        (dict(initial_learning_rate=float("nan")), "initial_learning_rate", "nan",
         ValueError),
        (dict(cycle="yes"), "cycle", "'yes'", TypeError),
        (dict(initial_learning_rate="0.1"), "initial_learning_rate", "'0.1'",
         TypeError),
    ),
    *_invalid(
        js.PiecewiseConstantDecay,
        {},
        (dict(boundaries=[], values=[1.0]), "boundaries", "[]", ValueError),
        (dict(boundaries=[10, 5], values=[1.0, 0.5, 0.1]), "boundaries", "[10, 5]",
         ValueError),
        (dict(boundaries=[10, 10], values=[1.0, 0.5, 0.1]), "boundaries",
         "[10, 10]", ValueError),
        (dict(boundaries=[10], values=[1.0]), "values", "[1.]", ValueError),
        (dict(boundaries=[10], values=[1.0, 0.5, 0.1]), "values", "[1. , 0.5, 0.1]",
         ValueError),
        (dict(boundaries=10, values=[1.0, 0.5]), "boundaries", "10", ValueError),
        (dict(boundaries=[10], values=[1.0, "x"]), "values", "[1.0, 'x']",
         TypeError),
    ),
    *_invalid(
        js.CosineDecay,
        dict(initial_learning_rate=0.1, decay_steps=10),
        (dict(decay_steps=0), "decay_steps", "0", ValueError),
        (dict(alpha=1.5), "alpha", "1.5", ValueError),
        (dict(warmup_target=1.0, warmup_steps=-1), "warmup_steps", "-1", ValueError),
        (dict(warmup_target=float("inf")), "warmup_target", "inf", ValueError),
        (dict(warmup_target="1"), "warmup_target", "'1'", TypeError),
        (dict(name=5), "name", "5", TypeError),
    ),
    *_invalid(
        js.CosineDecayRestarts,
        dict(initial_learning_rate=1.0, first_decay_steps=10),
        (dict(first_decay_steps=-3), "first_decay_steps", "-3", ValueError),
        (dict(t_mul=0.0), "t_mul", "0.0", ValueError),
        (dict(m_mul=-0.5), "m_mul", "-0.5", ValueError),
        (dict(alpha=-0.1), "alpha", "-0.1", ValueError),
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("cls", "kwargs", "field", "shown", "error"),
    INVALID,
    ids=[f"{c.__name__}-{f}-{i}" for i, (c, _, f, _, _) in enumerate(INVALID)],
)
def test_invalid_hyperparameters_name_class_field_and_value(
    cls, kwargs, field, shown, error
):
    with pytest.raises(error, match=_message(cls, field, shown)):
        cls(**kwargs)


def test_messages_read_like_keras():
    with pytest.raises(ValueError) as info:
        js.PolynomialDecay(0.1, 0)
    assert str(info.value) == (
        "PolynomialDecay: argument `decay_steps` must be > 0. Received: decay_steps=0"
    )
    with pytest.raises(ValueError, match="2 boundaries, 2 values"):
        js.PiecewiseConstantDecay([1, 2], [1.0, 0.5])


def test_names_may_be_none_as_in_keras_configs():
    """Keras's own docs deserialize ``{"name": None, ...}``."""
    schedule = js.from_dict(
        {
            "class_name": "PolynomialDecay",
            "config": {
                "initial_learning_rate": 0.1,
                "decay_steps": 10000,
                "end_learning_rate": 0.01,
                "power": 0.5,
                "cycle": False,
                "name": None,
            },
        }
    )
    assert schedule.name is None
    assert schedule.to_dict()["config"]["name"] is None


# ---------------------------------------------------------------------- dtypes


@each
def test_default_dtype_is_float32(schedule):
    for steps in (jnp.arange(5), jnp.arange(5.0), jnp.arange(5, dtype=jnp.bfloat16)):
        assert jax.eval_shape(schedule, steps).dtype == jnp.float32


def _with_dtype(schedule: js.Schedule, dtype: Any) -> js.Schedule:
    """The schedule with its float (non-count) leaves as ``dtype`` arrays."""
    changes = {}
    for field in dataclasses.fields(schedule):
        value = getattr(schedule, field.name)
        if field.metadata.get("kind") != "leaf" or field.metadata.get("count"):
            continue
        if value is None:
            continue
        changes[field.name] = jnp.asarray(value, dtype)
    return _rebuild_values(schedule, changes)


def _rebuild_values(schedule: js.Schedule, changes: dict[str, Any]) -> js.Schedule:
    kwargs = {
        f.name: getattr(schedule, f.name)
        for f in dataclasses.fields(schedule)
        if f.init
    }
    kwargs.update(changes)
    return type(schedule)(**kwargs)


@each
def test_bfloat16_hyperparameters_give_bfloat16(schedule):
    low = _with_dtype(schedule, jnp.bfloat16)
    # The same hyperparameters (rounded to bfloat16) computed in float32: only the
    # output's rounding to bfloat16 differs.
    rounded = jax.tree.map(lambda x: jnp.asarray(x, jnp.float32), low)
    out, wide = _EVALUATE_PAIR(low, rounded, jnp.arange(0, 100, 7))
    assert out.dtype == jnp.bfloat16
    assert wide.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(out, np.float32), wide, rtol=8e-3, atol=1e-6)


@each
def test_float64_under_x64(schedule):
    wide = grid_values_x64(schedule)  # float64 at int64 and float64 steps
    out, floats = wide["int64"][::3], wide["float64"][::3]  # steps -3, 0, ..., 198
    with x64():
        assert jax.eval_shape(schedule, 7).dtype == jnp.float64  # Python step
    np.testing.assert_allclose(out, floats, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(
        out, grid_values(schedule)["int32"][::3], rtol=2e-5, atol=1e-7
    )
    # x64 is off again
    assert jax.eval_shape(schedule, jnp.arange(3)).dtype == jnp.float32


# ------------------------------------------------------------------- gradients

STEPS = jnp.asarray([0, 3, 10, 17, 25, 60], jnp.int32)
#: The gradient of ``schedule(step)`` at each step, in one compiled program.
_GRADS = jax.jit(
    jax.vmap(jax.grad(lambda s, t: s(t), allow_int=True), in_axes=(None, 0))
)


def _grads(cls: type, staircase: bool) -> tuple[Any, float, float, float, Any, Any]:
    """``cls(lr, n, rate, staircase=...)``'s gradients at STEPS (``_GRADS``), with
    ``lr, n, rate``, the steps ``t`` as floats and the exponent ``p`` (``t / n``, or
    its floor)."""
    lr, n, rate = 0.3, 10.0, 0.7
    grads = _GRADS(cls(lr, n, rate, staircase=staircase), STEPS)
    t = np.asarray(STEPS, np.float64)
    return grads, lr, n, rate, t, np.floor(t / n) if staircase else t / n


@pytest.mark.parametrize("staircase", [False, True])
def test_exponential_decay_gradients_are_analytic(staircase):
    grads, lr, n, rate, t, p = _grads(js.ExponentialDecay, staircase)
    np.testing.assert_allclose(grads.initial_learning_rate, rate**p, rtol=1e-5)
    np.testing.assert_allclose(
        grads.decay_rate, lr * p * rate ** (p - 1), rtol=1e-5, atol=1e-7
    )
    if not staircase:  # d/dn of lr * rate ** (t / n)
        np.testing.assert_allclose(
            grads.decay_steps,
            lr * rate**p * np.log(rate) * (-t / n**2),
            rtol=1e-5,
            atol=1e-7,
        )


@pytest.mark.parametrize("staircase", [False, True])
def test_inverse_time_decay_gradients_are_analytic(staircase):
    grads, lr, _, rate, _, p = _grads(js.InverseTimeDecay, staircase)
    np.testing.assert_allclose(
        grads.initial_learning_rate, 1 / (1 + rate * p), rtol=1e-5
    )
    np.testing.assert_allclose(
        grads.decay_rate, -lr * p / (1 + rate * p) ** 2, rtol=1e-5, atol=1e-8
    )


def test_integer_leaves_give_float0_gradients_with_allow_int():
    """``decay_steps=10`` is an int leaf: plain ``jax.grad`` refuses the tree."""
    schedule = js.ExponentialDecay(0.1, 10, 0.5)
    with pytest.raises(TypeError, match=r"allow_int"):
        jax.grad(lambda s: s(5))(schedule)
    grads = jax.jit(jax.grad(lambda s: s(5), allow_int=True))(schedule)
    assert grads.decay_steps.dtype == jax.dtypes.float0
    np.testing.assert_allclose(grads.initial_learning_rate, 0.5**0.5, rtol=1e-6)
    # The working forms: float counts, or differentiate only the float leaves.
    floats = js.ExponentialDecay(0.1, 10.0, 0.5)
    assert jax.jit(jax.grad(lambda s: s(5)))(floats).decay_steps.dtype == jnp.float32
    lr_only = jax.jit(jax.grad(lambda lr: js.ExponentialDecay(lr, 10, 0.5)(5)))(0.1)
    np.testing.assert_allclose(lr_only, 0.5**0.5, rtol=1e-6)


GRAD_STEPS = [-5, 0, 1, 5, 9, 10, 11, 19, 20, 21, 29, 30, 70, 1000]
GRAD_CASES = [
    js.PolynomialDecay(0.1, 10.0, 0.01, 0.5),  # base 0 past the end
    js.PolynomialDecay(0.1, 10.0, 0.01, 0.0),  # 0 ** 0
    js.PolynomialDecay(0.1, 10.0, 0.01, 0.5, cycle=True),
    js.PiecewiseConstantDecay([10.0, 20.0], [1.0, 0.5, 0.1]),
    js.CosineDecay(0.1, 20.0, 0.1),
    js.CosineDecay(0.0, 20.0, 0.1, warmup_target=1.0, warmup_steps=0.0),
    js.CosineDecay(0.0, 20.0, 0.1, warmup_target=1.0, warmup_steps=5.0),
    js.CosineDecayRestarts(1.0, 10.0, 1.0, 0.0),  # t_mul == 1, m_mul == 0
    js.CosineDecayRestarts(1.0, 10.0, 2.0, 0.5, 0.1),
    js.CosineDecayRestarts(1.0, 10.0, 0.5, 0.5, 0.1),  # ends at step 20
]


@pytest.mark.parametrize("schedule", GRAD_CASES, ids=lambda s: type(s).__name__)
def test_gradients_are_finite_at_every_step(schedule):
    steps = np.asarray(GRAD_STEPS)
    if isinstance(schedule, js.CosineDecayRestarts) and schedule.m_mul == 0:
        steps = np.maximum(steps, 0)  # 0 ** -1: Keras's inf before step 0
    grads = _GRADS(schedule, jnp.asarray(steps, jnp.int32))
    for path, g in jax.tree_util.tree_leaves_with_path(grads):
        if g.dtype != jax.dtypes.float0:  # warmup_steps=0 is an int leaf
            assert np.all(np.isfinite(np.asarray(g))), (path, g)


def test_polynomial_gradient_wrt_power_matches_finite_differences():
    def value(power: Any) -> Any:
        return js.PolynomialDecay(1.0, 10, 0.1, power)(4)

    at = jax.jit(value)
    numeric = (at(2.0 + 1e-3) - at(2.0 - 1e-3)) / 2e-3
    grad = jax.jit(jax.grad(value))(2.0)
    np.testing.assert_allclose(grad, numeric, rtol=1e-3)
    np.testing.assert_allclose(grad, 0.9 * 0.6**2 * math.log(0.6), rtol=1e-5)


def test_restart_sweep_mixes_equal_and_growing_cycles():
    """``t_mul`` is a leaf: one vmapped program runs t_mul = 1 and 2 side by side."""
    members = [js.CosineDecayRestarts(1.0, 10, t_mul, 0.5) for t_mul in (1.0, 2.0, 0.5)]
    # values and gradients (of the sum over the steps: finite only if every step's
    # is) of the stacked sweep, every floating leaf (t_mul, m_mul, ...), one program
    out = assert_finite_sweep(members, jnp.asarray(GRID, jnp.int32))
    for i, member in enumerate(members):
        np.testing.assert_allclose(
            out[i], values_at(member, GRID), rtol=1e-6, atol=1e-7
        )


# ------------------------------------------------------------- CosineDecay


def test_cosine_warmup_then_decay_over_decay_steps_more():
    schedule = js.CosineDecay(0.1, 100, alpha=0.1, warmup_target=1.0, warmup_steps=10)
    values = values_at(schedule, [0, 5, 10, 60, 110, 500])
    np.testing.assert_allclose(values, [0.1, 0.55, 1.0, 0.55, 0.1, 0.1], rtol=1e-6)


def _check_against_optax(ours: js.Schedule, theirs: Any, steps: np.ndarray) -> None:
    """Both schedules at int32 ``steps`` (padded to 256 steps), in one jitted call."""
    padded = np.concatenate([steps, np.full(256 - steps.size, steps[-1])])
    both = jax.jit(lambda s, t: (s(t), theirs(t)))(ours, jnp.asarray(padded, jnp.int32))
    got, want = (np.asarray(v)[: steps.size] for v in both)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_cosine_matches_optax_warmup_cosine_decay():
    """Keras's decay_steps excludes the warmup, optax's includes it."""
    peak, warmup, total = 0.8, 15, 120
    ours = js.CosineDecay(0.0, total - warmup, warmup_target=peak, warmup_steps=warmup)
    theirs = optax.warmup_cosine_decay_schedule(0.0, peak, warmup, total, 0.0)
    _check_against_optax(ours, theirs, np.arange(0, 200))


def test_cosine_without_warmup_matches_optax_including_negative_steps():
    ours = js.CosineDecay(0.5, 40, alpha=0.2)
    theirs = optax.cosine_decay_schedule(0.5, 40, alpha=0.2)
    _check_against_optax(ours, theirs, np.arange(-50, 100))


def test_warmup_target_none_is_structure():
    plain = js.CosineDecay(0.1, 100)
    warm = js.CosineDecay(0.1, 100, warmup_target=1.0, warmup_steps=10)
    assert len(jax.tree.leaves(plain)) == 4  # warmup_target None is no leaf
    assert len(jax.tree.leaves(warm)) == 5
    assert jax.tree.structure(plain) != jax.tree.structure(warm)
    with pytest.raises(ValueError, match="same structure"):
        js.stack([plain, warm])
    # warmup_steps is ignored without a target, as in Keras.
    np.testing.assert_array_equal(
        values_at(_rebuild(plain, warmup_steps=50), np.arange(100)),
        values_at(plain, np.arange(100)),
    )


def test_warmup_target_none_round_trips_through_json_and_jit():
    plain = js.CosineDecay(0.1, 100)
    data = json.loads(json.dumps(plain.to_dict()))
    assert data["config"]["warmup_target"] is None
    again = js.from_dict(data)
    assert again.warmup_target is None
    # through jit with the schedule as an argument (``call_padded``)
    np.testing.assert_array_equal(
        values_at(again, np.arange(120)), values_at(plain, np.arange(120))
    )
    axes = js.in_axes(plain)
    assert axes.warmup_target is None


def test_sweep_over_warmup_targets():
    members = [
        js.CosineDecay(0.0, 50, 0.0, warmup_target=peak, warmup_steps=warmup)
        for peak, warmup in ((1.0, 5), (0.5, 0), (2.0, 20))
    ]
    batched = js.stack(members)
    steps = jnp.arange(-3, 90)
    out = jax.jit(jax.vmap(lambda s: s(steps)))(batched)
    for i, member in enumerate(members):
        np.testing.assert_allclose(
            out[i], values_at(member, steps), rtol=1e-6, atol=1e-8
        )


# ------------------------------------------ documented choices at negative steps


def test_polynomial_cycle_continues_the_first_cycle_before_step_0():
    """Keras divides by a zero horizon for -decay_steps < step < 0 (inf or NaN)."""
    cycle = js.PolynomialDecay(0.1, 10, 0.01, 0.5, cycle=True)
    plain = js.PolynomialDecay(0.1, 10, 0.01, 0.5)
    steps = np.arange(-9, 1)
    np.testing.assert_allclose(
        values_at(cycle, steps), values_at(plain, steps), rtol=1e-6
    )
    assert np.all(np.isfinite(values_at(cycle, steps)))
    # From -decay_steps on down Keras's formula holds, negative base included.
    squared = js.PolynomialDecay(1.0, 10, 0.0, 2.0, cycle=True)
    np.testing.assert_allclose(values_at(squared, [-15]), 0.25, rtol=1e-6)
    assert np.isnan(values_at(cycle, [-15])).all()  # (-0.5) ** 0.5, as in Keras


def test_cosine_warmup_of_zero_steps_continues_the_cosine_before_step_0():
    """Keras divides by warmup_steps = 0 at negative steps (inf or NaN)."""
    warm = js.CosineDecay(0.2, 50, 0.05, warmup_target=1.0, warmup_steps=0)
    plain = js.CosineDecay(1.0, 50, 0.05)
    steps = np.arange(-60, 80)
    np.testing.assert_allclose(
        values_at(warm, steps), values_at(plain, steps), rtol=1e-6
    )


def test_cosine_warmup_extends_its_line_before_step_0():
    warm = js.CosineDecay(0.5, 50, warmup_target=1.0, warmup_steps=10)
    np.testing.assert_allclose(values_at(warm, [-10, -2]), [0.0, 0.4], atol=1e-7)


def test_restarts_outside_keras_domain():
    growing = js.CosineDecayRestarts(1.0, 10, t_mul=2.0)
    # log(1 - f * (1 - t_mul)) is undefined from step -first/(t_mul - 1) = -10 down.
    out = values_at(growing, [-10, -11, -1000, -9, -5, -1])
    assert np.all(np.isnan(out[:3]))
    assert np.all(np.isfinite(out[3:]))
    shrinking = js.CosineDecayRestarts(1.0, 10, t_mul=0.5, alpha=0.1)
    # Cycles of 10, 5, 2.5, ... steps end at step 20: the floor from there on.
    out = values_at(shrinking, [19, 20, 21, 1000, 10**9])
    np.testing.assert_allclose(out[1:], 0.1, rtol=1e-6)
    assert out[0] > 0.1


def test_restarts_at_exact_restart_steps():
    """The first step of a cycle is its peak, also where Keras's log rounds down."""
    for t_mul, first, m_mul in ((10.0, 5, 0.8), (0.9, 100, 0.5), (2.0, 10, 0.5)):
        schedule = js.CosineDecayRestarts(1.0, first, t_mul, m_mul)
        start, length = 0.0, float(first)
        for cycle in range(4):
            if start == round(start):
                np.testing.assert_allclose(
                    values_at(schedule, [int(start)]), m_mul**cycle, rtol=1e-5
                )
                np.testing.assert_allclose(  # jitted, Python step
                    float(evaluate(schedule, int(start))), m_mul**cycle, rtol=1e-5
                )
            start += length
            length *= t_mul


def test_restarts_catalogue_values():
    schedule = js.CosineDecayRestarts(1.0, 10, t_mul=2.0, m_mul=0.5, alpha=0.1)
    np.testing.assert_allclose(
        values_at(schedule, [10, 30, 70]), [0.55, 0.325, 0.2125], rtol=1e-6
    )


# --------------------------------------------------------------- config and optax


@pytest.mark.parametrize("cls", KERAS_CLASSES, ids=lambda c: c.__name__)
def test_field_order_is_keras_argument_order(cls):
    import inspect

    lr = "initial_learning_rate"
    keras_order = {
        "ExponentialDecay": f"{lr} decay_steps decay_rate staircase name",
        "InverseTimeDecay": f"{lr} decay_steps decay_rate staircase name",
        "PolynomialDecay": f"{lr} decay_steps end_learning_rate power cycle name",
        "PiecewiseConstantDecay": "boundaries values name",
        "CosineDecay": f"{lr} decay_steps alpha name warmup_target warmup_steps",
        "CosineDecayRestarts": f"{lr} first_decay_steps t_mul m_mul alpha name",
    }[cls.__name__]
    assert " ".join(inspect.signature(cls).parameters) == keras_order


@each
def test_works_in_optax_training_under_jit(schedule):
    optimizer = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
    params = jnp.ones(3)
    # init jitted too: the schedule at count 0 compiles with the rest of the program
    # (eager, each of its ops would compile on its own)
    state = jax.jit(optimizer.init)(params)

    @jax.jit
    def step(params, state):
        updates, state = optimizer.update(jnp.ones(3), state, params)
        return optax.apply_updates(params, updates), state

    for _ in range(12):
        params, state = step(params, state)
    values = grid_values(schedule)["int32"][3:15]  # steps 0 to 11
    expected = 1 - sum(float(v) for v in values)
    np.testing.assert_allclose(params, expected, rtol=1e-5)
