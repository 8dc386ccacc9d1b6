"""Giant steps: exact stairs, cycles, boundaries up to 2**31 - 1 (2**63 - 1 with x64).

The reference for a float32 schedule evaluated at int32 steps is the same schedule
(its float leaves rounded to float32 first) evaluated in float64 at int64 steps under
x64, where every count, stair, cycle position and shifted step is exact. A stair
landing one step early past 2**24, a cycle position computed from a rounded float32
step, or an int32 sum (warmup + step) that wraps around all show up as mismatches.
Every example structure of every registered class is checked as it is, and with its
counts scaled so that its boundaries lie beyond 2**24.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from examples import EXAMPLES
from helpers import rebuild_x64, values
from strategies import (
    count_values,
    covered_classes,
    init_fields,
    kind,
    map_leaves,
    may_grow,
)

import jaxsched as js
from jaxsched.core._math import floor_div

BIG = 2**24
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
GIANT = [
    0,
    1,
    BIG - 2,
    BIG - 1,
    BIG,
    BIG + 1,
    BIG + 2,
    BIG + 3,
    3 * BIG + 1,
    10**9 + 7,
    2**30,
    INT32_MAX - 1,
    INT32_MAX,
]


def _one_per_structure() -> list[Any]:
    params = []
    for cls in covered_classes():
        seen = set()
        for index, example in enumerate(EXAMPLES[cls]):
            structure = jax.tree.structure(example)
            if structure in seen:
                continue
            seen.add(structure)
            params.append(pytest.param(example, id=f"{cls.__name__}-{index}"))
    return params


STRUCTURES = _one_per_structure()


def _as_float32(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (float, np.ndarray)):
        return value
    if isinstance(value, float):
        return float(np.float32(value))
    if value.dtype.kind == "f":
        return value.astype(np.float32).astype(np.float64)
    # A fresh copy: JAX can hand a NumPy array that already went through a float32
    # jit to the x64 program as a 32-bit buffer (RuntimeProgramInputMismatch).
    return value.copy()


def _reference(schedule: js.Schedule, steps: list[int]) -> np.ndarray:
    """float64 values at int64 steps under x64, leaves rounded to float32 first (as
    float64 and int64 arrays: the structure test_key_steps.py's x64 check compiles)."""
    with jax.enable_x64(True):
        return values(rebuild_x64(_rounded(schedule)), ints=steps)[0]


def _rounded(schedule: js.Schedule) -> js.Schedule:
    return map_leaves(schedule, lambda _, v: _as_float32(v), validate=False)


def _compare(schedule: js.Schedule, steps: list[int], rtol: float = 2e-5) -> None:
    if may_grow(schedule):
        pytest.skip("a growing schedule overflows at giant steps")
    steps = sorted({s for s in steps if 0 <= s <= INT32_MAX} | {0})
    actual = values(schedule, ints=steps)[0]
    expected = _reference(schedule, steps)
    assert np.all(np.isfinite(actual)), dict(zip(steps, actual))
    magnitude = max(float(np.max(np.abs(expected), initial=0.0)), abs(actual[0]))
    bad = ~np.isclose(actual, expected, rtol=rtol, atol=1e-6 * magnitude + 1e-30)
    assert not bad.any(), {
        s: (a, e) for s, a, e in zip(np.asarray(steps)[bad], actual[bad], expected[bad])
    }


@pytest.mark.parametrize("schedule", STRUCTURES)
def test_examples_at_giant_int32_steps_match_exact_int64_arithmetic(schedule):
    _compare(schedule, GIANT + [INT32_MAX - c for c in count_values(schedule)])


def _scaled(schedule: js.Schedule) -> tuple[js.Schedule, int] | None:
    """The schedule with every count multiplied by an odd factor that puts its
    largest count just beyond 2**24 (None: no positive counts, or constraints)."""
    counts = [abs(c) for c in count_values(schedule) if c]
    if not counts:
        return None
    factor = (BIG + 12345) // max(counts) + 1
    factor += 1 - factor % 2

    def scale(field: Any, value: Any, owner: Any) -> Any:
        if not field.metadata.get("count", False) or isinstance(value, bool):
            return value
        if getattr(owner, "unit", None) == "fraction" and field.name != "total_steps":
            return value  # a fraction of the run (total_steps), not a count
        if isinstance(value, (int, float)):
            return type(value)(value * factor)
        array = np.asarray(value)
        return (array * factor).astype(array.dtype)

    try:
        return map_leaves(schedule, scale, with_owner=True), factor
    except ValueError:
        return None


def _boundaries(schedule: js.Schedule) -> list[int]:
    """Every count value, and the sums of counts within each node (a warmup plus
    a decay, a shift plus a child's boundaries): where values switch."""
    values = count_values(schedule)
    sums = {a + b for a in values for b in values}
    return sorted(set(values) | sums)


@pytest.mark.parametrize("schedule", STRUCTURES)
def test_boundaries_beyond_2_pow_24_switch_exactly(schedule):
    scaled = _scaled(schedule)
    if scaled is None:
        pytest.skip("no positive counts to scale")
    big, _ = scaled
    steps = [b + d for b in _boundaries(big) for d in (-2, -1, 0, 1, 2)]
    _compare(big, steps + GIANT)


@pytest.mark.parametrize("schedule", STRUCTURES)
def test_giant_float_steps_are_finite(schedule):
    """Float steps are accepted at any size. Beyond 2**24 a float32 step is itself
    rounded, so only finiteness is promised there (integer steps are the exact ones;
    jit equals eager at float steps is tests/test_contract.py's)."""
    if may_grow(schedule, giant=True):
        pytest.skip("a growing schedule overflows at giant steps")
    steps = [0.0, 0.5, 1e3 + 0.5, BIG - 0.5, BIG, BIG + 2.0, 1e9, 2.0**31, 1e12, 3.0e38]
    out = values(schedule, floats=steps)[1]
    assert np.all(np.isfinite(out)), dict(zip(steps, out))


@pytest.mark.parametrize("schedule", STRUCTURES)
def test_int64_steps_up_to_2_pow_63_under_x64(schedule):
    if may_grow(schedule):
        pytest.skip("a growing schedule overflows at giant steps")
    steps = [
        0,
        1,
        BIG + 1,
        INT32_MAX,
        2**31,
        2**53 + 1,
        2**62,
        INT64_MAX - 1,
        INT64_MAX,
    ]
    schedule = rebuild_x64(_rounded(schedule))  # the structure _reference compiles
    with jax.enable_x64(True):
        step = jax.ShapeDtypeStruct((4,), jnp.int64)
        assert jax.eval_shape(lambda s, t: s(t), schedule, step).dtype == jnp.float64
        out, floats = values(schedule, steps, np.asarray(steps, np.float64))
    assert np.all(np.isfinite(out)), dict(zip(steps, out))
    assert np.all(np.isfinite(floats)), dict(zip(steps, floats))


# ------------------------------------------------------------ exact stair counts

DIVISORS = [1, 2, 3, 7, 10, 1000, 4097, 65537, BIG - 1, BIG + 1, 10**9 + 7, INT32_MAX]


def test_floor_div_is_exact_for_int32_steps():
    steps = np.array(
        [s + d for s in (0, BIG, 3 * BIG, 2**30, INT32_MAX - 3) for d in range(-3, 4)]
        + [-INT32_MAX, -BIG - 1],
        dtype=np.int64,
    )
    steps = steps[(steps <= INT32_MAX) & (steps >= -INT32_MAX)]
    for divisor in DIVISORS:
        exact = float(np.float32(divisor)) == divisor
        for div in (divisor, float(divisor)) if exact else (divisor,):
            got = np.asarray(
                floor_div(jnp.asarray(steps, jnp.int32), div, jnp.float32), np.float64
            )
            want = np.array([float(np.float32(int(s) // divisor)) for s in steps])
            np.testing.assert_array_equal(got, want, err_msg=f"divisor {div}")


def test_floor_div_is_exact_for_int64_steps_under_x64():
    steps = [
        s + d
        for s in (0, 2**31, 2**53, 2**62, INT64_MAX - 3)
        for d in range(-3, 4)
        if s + d <= INT64_MAX
    ]
    steps += [-INT64_MAX, -(2**53) - 1]
    with jax.enable_x64(True):
        for divisor in [*DIVISORS, 2**33 + 1, 2**53 - 1, 2**61 + 3]:
            got = np.asarray(
                floor_div(jnp.asarray(steps, jnp.int64), divisor, jnp.float64)
            )
            want = np.array([float(s // divisor) for s in steps])
            np.testing.assert_array_equal(got, want, err_msg=f"divisor {divisor}")


def _staircase(cls_name: str) -> type | None:
    cls = js.registry().get(cls_name)
    return cls if cls is not None and cls in EXAMPLES else None


@pytest.mark.parametrize("name", ["ExponentialDecay", "InverseTimeDecay"])
def test_keras_staircase_counts_are_exact_at_int64_steps(name):
    cls = _staircase(name)
    if cls is None:
        pytest.skip(f"{name} not registered")
    decay_steps = 2**61 + 3  # stairs at multiples of it, up to 2**63 - 1
    steps = [k * decay_steps + d for k in (1, 2, 3) for d in (-1, 0, 1)]
    steps = [s for s in steps if s <= INT64_MAX] + [INT64_MAX]
    with jax.enable_x64(True):  # (without x64 such a count is refused when built)
        schedule = cls(1.0, decay_steps, 0.5, staircase=True)
        out = np.asarray(schedule(jnp.asarray(steps, jnp.int64)))
    stairs = [s // decay_steps for s in steps]
    if name == "ExponentialDecay":
        want = [0.5**k for k in stairs]
    else:
        want = [1.0 / (1.0 + 0.5 * k) for k in stairs]
    np.testing.assert_allclose(out, want, rtol=1e-15)


def test_count_scaling_keeps_every_class_covered():
    """Guard: the scaled variants exist for every class that has counts."""
    missing = []
    for param in STRUCTURES:
        schedule = param.values[0]
        has_counts = any(
            kind(f) == "leaf" and f.metadata.get("count", False)
            for f in init_fields(schedule)
        )
        if has_counts and any(count_values(schedule)) and _scaled(schedule) is None:
            missing.append(param.id)
    assert not missing, f"count scaling breaks a constraint of: {missing}"
    assert math.isfinite(BIG)
