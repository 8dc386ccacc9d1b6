import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import PADDED

from jaxsched.core._math import (
    as_step,
    compute_dtype,
    floor_div,
    floor_divmod,
    safe_div,
    value_dtype,
    whole_divisor,
    wide_int,
)

INT32_MAX = 2**31 - 1
DIVISORS = [1, 2, 3, 7, 255, 256, 1000, 1023, 1024, 4194305, 2**20 + 1, 2**24 + 3]
DIVISORS += [2**30 + 7, INT32_MAX]


def _pad(values, dtype):
    """``values`` as a ``dtype`` array of shape ``(PADDED,)``, padded with the last
    value: the module's eager ops see one shape per dtype, so each compiles once
    (compare the first ``len(values)`` results)."""
    values = np.asarray(values).astype(dtype)
    assert values.ndim == 1 and 0 < values.size <= PADDED, values.shape
    return jnp.asarray(
        np.concatenate([values, np.full(PADDED - values.size, values[-1])])
    )


def _steps(divisor):
    rng = np.random.default_rng(divisor)
    near = (np.arange(-300, 300)[:, None] * divisor + np.array([-1, 0, 1])).ravel()
    return np.concatenate(
        [
            rng.integers(-(2**31), INT32_MAX, 20_000),
            np.arange(INT32_MAX - 2000, INT32_MAX + 1),
            np.arange(-(2**31), -(2**31) + 2000),
            np.arange(-2000, 2000),
            np.arange(2**24 - 100, 2**24 + 100),
            near.clip(-(2**31), INT32_MAX),
        ]
    ).astype(np.int32)


@pytest.mark.parametrize("divisor", DIVISORS)
@pytest.mark.parametrize("divisor_dtype", ["int", "float"])
def test_floor_div_is_exact_for_int32_steps(divisor, divisor_dtype):
    steps = _steps(divisor)
    d = jnp.int32(divisor) if divisor_dtype == "int" else float(divisor)
    if divisor_dtype == "float" and divisor > 2**24:
        pytest.skip("not representable as float32")
    got = jax.jit(floor_div, static_argnums=2)(jnp.asarray(steps), d, jnp.float32)
    want = np.floor_divide(steps.astype(np.int64), divisor)
    np.testing.assert_array_equal(np.asarray(got, np.float64), want.astype(np.float32))


def test_floor_div_counts_three_stairs_where_float32_says_four():
    # 16777219 / 4194305 = 3.9999990...; float32 rounds the quotient to 4.0.
    quotient = _pad([16777219], np.float32) / jnp.float32(4194305)
    assert float(jnp.floor(quotient)[0]) == 4.0
    assert float(floor_div(_pad([16777219], np.int32), 4194305, jnp.float32)[0]) == 3.0


def test_floor_div_with_fractional_divisor_uses_float_division():
    got = floor_div(_pad(np.arange(0, 20), np.int32), 2.5, jnp.float32)
    np.testing.assert_array_equal(np.asarray(got)[:20], np.floor(np.arange(20) / 2.5))


def test_floor_div_float_steps():
    steps = _pad([-1.5, 0.0, 2.4, 2.5, 9.99], np.float32)
    got = floor_div(steps, 2.5, jnp.float32)
    np.testing.assert_array_equal(np.asarray(got)[:5], [-1.0, 0.0, 0.0, 1.0, 3.0])


def test_floor_div_int64_under_x64():
    with jax.enable_x64(True):
        steps = jnp.array([2**62 + 5, 2**63 - 1, -(2**63)], dtype=jnp.int64)
        # one jitted program (the divisor passed in) instead of an x64 eager
        # compile per op
        got = jax.jit(floor_div, static_argnums=2)(steps, jnp.int64(3), jnp.float64)
        want = [float((2**62 + 5) // 3), float((2**63 - 1) // 3), float(-(2**63) // 3)]
        np.testing.assert_array_equal(np.asarray(got), want)


def test_floor_div_small_int_dtypes():
    for dtype in (jnp.int8, jnp.int16, jnp.uint8, jnp.uint32):
        got = floor_div(_pad(np.arange(0, 100), dtype), 7, jnp.float32)
        np.testing.assert_array_equal(np.asarray(got)[:100], np.arange(100) // 7)


def test_value_dtype_rules():
    assert value_dtype(0.1, 3) == np.float32
    assert value_dtype(jnp.bfloat16(0.1), 0.5) == jnp.bfloat16
    assert value_dtype(np.float64(0.1)) == np.float32  # canonicalized without x64
    assert value_dtype(np.array([1, 2])) == np.float32
    assert compute_dtype(jnp.bfloat16) == np.float32
    with jax.enable_x64(True):
        assert value_dtype(0.1) == np.float64


def test_as_step_rejects_non_numeric():
    with pytest.raises(TypeError, match="integer or float"):
        as_step(jnp.array([True]))
    with pytest.raises(TypeError, match="integer or float"):
        as_step(jnp.array([1 + 2j]))


def test_safe_div_has_finite_values_and_gradients_at_zero():
    # value and gradient in one jitted program (not an eager compile per op)
    at_zero = jax.jit(jax.value_and_grad(lambda d: safe_div(jnp.float32(3.0), d)))
    value, grad = at_zero(jnp.float32(0.0))
    assert float(value) == 0.0
    assert np.isfinite(float(grad))


@pytest.mark.parametrize("step_dtype", [jnp.int32, jnp.uint8, jnp.int16])
@pytest.mark.parametrize("divisor", [1, 3, 7.0, 1000, 2**20 + 1])
def test_floor_divmod_is_exact_for_integer_steps(step_dtype, divisor):
    info = np.iinfo(step_dtype)
    steps = np.array(
        sorted({0, 1, 2, info.max // 2, info.max - 1, info.max, 2**24 + 1}), np.int64
    )
    steps = steps[steps <= info.max]
    q, r = floor_divmod(_pad(steps, step_dtype), divisor, jnp.float32)
    d, n = int(divisor), steps.size
    np.testing.assert_array_equal(np.asarray(q)[:n], (steps // d).astype(np.float32))
    np.testing.assert_array_equal(np.asarray(r)[:n], (steps % d).astype(np.float32))


def test_floor_divmod_integer_result_and_divisor_one_near_int32_max():
    steps = _pad([-7, 0, 2**30 + 3, 2**31 - 1], np.int32)
    q, r = floor_divmod(steps, jnp.int32(1), jnp.int32)
    np.testing.assert_array_equal(np.asarray(q), np.asarray(steps))
    np.testing.assert_array_equal(np.asarray(r), 0)
    q, r = floor_divmod(steps, 5, jnp.int32)
    np.testing.assert_array_equal(np.asarray(q), np.asarray(steps) // 5)
    np.testing.assert_array_equal(np.asarray(r), np.asarray(steps) % 5)
    with pytest.raises(TypeError, match="integer step and divisor"):
        floor_divmod(steps, 2.0, jnp.int32)


def test_floor_divmod_float_paths():
    q, r = floor_divmod(_pad([0.5, 7.0, -1.0], np.float32), 2.0, jnp.float32)
    np.testing.assert_allclose(np.asarray(q)[:3], [0.0, 3.0, -1.0], rtol=0)
    np.testing.assert_allclose(np.asarray(r)[:3], [0.5, 1.0, 1.0], rtol=0)
    q, r = floor_divmod(_pad([7, 9], np.int32), 2.5, jnp.float32)  # fractional
    np.testing.assert_allclose(np.asarray(q)[:2], [2.0, 3.0], rtol=0)
    np.testing.assert_allclose(np.asarray(r)[:2], [2.0, 1.5], rtol=0)


def test_wide_int_and_whole_divisor():
    assert wide_int(np.int32) == np.int32
    assert wide_int(np.uint8) == np.dtype(jax.dtypes.canonicalize_dtype(np.int64))
    divisors = _pad([0.0, 1.0, 2.5, 4.0, 2.0**31], np.float32)
    usable, whole = whole_divisor(divisors, np.int32)
    np.testing.assert_array_equal(
        np.asarray(usable)[:5], [False, True, False, True, False]
    )
    np.testing.assert_array_equal(np.asarray(whole)[:5], [1, 1, 1, 4, 1])
