"""Numerical helpers shared by schedules: step casting, dtypes, exact floor division."""

from __future__ import annotations

from typing import Any

import jax
import jax.core
import jax.numpy as jnp
import numpy as np

__all__ = [
    "as_step",
    "compute_dtype",
    "default_float",
    "floor_div",
    "floor_divmod",
    "leaves_in",
    "power_by_log",
    "safe_div",
    "value_dtype",
    "whole_divisor",
    "wide_int",
]


def _is_weak(value: Any) -> bool:
    """A weakly typed array: a Python number as JAX holds it (e.g. a Python-float
    leaf of a schedule passed into ``jit``), which must not decide the dtype."""
    if isinstance(value, jax.core.Tracer):
        return bool(getattr(value.aval, "weak_type", False))
    return bool(getattr(value, "weak_type", False))


def default_float() -> np.dtype:
    """float32, or float64 when ``jax_enable_x64`` is on."""
    return np.dtype(jax.dtypes.canonicalize_dtype(np.float64))


def _dtype_of(value: Any) -> np.dtype | None:
    dtype = getattr(value, "dtype", None)
    if dtype is None or _is_weak(value):  # a Python number, also once traced
        return None
    dtype = np.dtype(dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        return None
    return np.dtype(jax.dtypes.canonicalize_dtype(dtype))


def value_dtype(*values: Any) -> np.dtype:
    """The output dtype of a schedule whose value hyperparameters are ``values``.

    Floating arrays decide (bfloat16 stays bfloat16, float64 needs x64); Python numbers,
    integer leaves and placeholders do not, and alone give the default float.
    """
    dtypes = [d for d in map(_dtype_of, values) if d is not None]
    if not dtypes:
        return default_float()
    return np.dtype(jnp.result_type(*dtypes))


def compute_dtype(dtype: np.dtype) -> np.dtype:
    """Arithmetic runs in at least float32; the result is cast back to ``dtype``."""
    return np.dtype(jnp.promote_types(dtype, jnp.float32))


def leaves_in(*values: Any) -> tuple[Any, ...]:
    """``(dtype, ct, *arrays)``: the output dtype of the value hyperparameters
    ``values`` (:func:`value_dtype`), the dtype arithmetic runs in
    (:func:`compute_dtype`), and each value as an array of that dtype."""
    dtype = value_dtype(*values)
    ct = compute_dtype(dtype)
    return (dtype, ct, *(jnp.asarray(v, ct) for v in values))


def as_step(step: Any) -> jax.Array:
    """The step as a JAX array of an integer or floating dtype (any shape)."""
    step = jnp.asarray(step)
    if not (
        jnp.issubdtype(step.dtype, jnp.integer)
        or jnp.issubdtype(step.dtype, jnp.floating)
    ):
        raise TypeError(
            f"a schedule's step must be an integer or float number or array. "
            f"Received: step of dtype {step.dtype}"
        )
    return step


def is_integer(x: jax.Array) -> bool:
    return bool(jnp.issubdtype(x.dtype, jnp.integer))


def safe_div(numerator: jax.Array, denominator: jax.Array) -> jax.Array:
    """``numerator / denominator`` where the denominator is non-zero, else 0.

    The "double where": the unselected branch divides by 1, so neither the value nor
    the gradient can become NaN when a sweep member has a zero-length phase.
    """
    nonzero = denominator != 0
    return jnp.where(nonzero, numerator / jnp.where(nonzero, denominator, 1), 0)


def wide_int(dtype: Any) -> np.dtype:
    """A signed integer dtype of at least 32 bits (64 under x64) for an integer step.

    Signed types of 32 or 64 bits are kept; narrower or unsigned ones widen to the
    canonical 64-bit type (int32 without x64). Decided with NumPy, so it also works
    under ``jax.numpy_dtype_promotion("strict")``.
    """
    dtype = np.dtype(dtype)
    if np.issubdtype(dtype, np.signedinteger) and dtype.itemsize >= 4:
        return dtype
    return np.dtype(jax.dtypes.canonicalize_dtype(np.int64))


def whole_divisor(divisor: Any, dtype: Any) -> tuple[jax.Array, jax.Array]:
    """``(usable, whole)``: where ``divisor`` is a whole number >= 1 that fits the
    integer ``dtype``, and the divisor as ``dtype`` there (1 elsewhere).

    An integer leaf is usable where it is >= 1; a float leaf (``1000.0``) also needs
    to hold a whole number below ``2**(bits - 1)``.
    """
    divisor = jnp.asarray(divisor)
    usable = divisor >= 1
    if not is_integer(divisor):
        limit = float(2 ** (jnp.iinfo(dtype).bits - 1))
        usable = usable & (divisor == jnp.floor(divisor)) & (divisor < limit)
    return usable, jnp.where(usable, divisor, 1).astype(dtype)


def _exact_int_floor_div(step: jax.Array, divisor: jax.Array) -> jax.Array:
    """``floor(step / divisor)`` for signed integer arrays, exact over the whole range.

    Integer division does not vectorize on CPUs; this estimates the quotient in floating
    point and corrects it twice with integer arithmetic, which is exact for any
    ``divisor >= 2`` (the first estimate is off by at most ``2**(bits-22) / divisor``,
    the second by at most one); ``divisor == 1`` returns the step itself (the first
    estimate is clipped to half the range). Products wrap around harmlessly: only the
    small true remainder is ever used.
    """
    fdtype = jnp.float64 if step.dtype == jnp.int64 else jnp.float32
    info = jnp.iinfo(step.dtype)
    fdiv = divisor.astype(fdtype)
    quotient = jnp.floor(step.astype(fdtype) / fdiv)
    quotient = jnp.clip(quotient, float(info.min), float(info.max) / 2).astype(
        step.dtype
    )
    remainder = step - quotient * divisor
    quotient = quotient + jnp.floor(remainder.astype(fdtype) / fdiv).astype(step.dtype)
    remainder = step - quotient * divisor
    quotient = (
        quotient
        + (remainder >= divisor).astype(step.dtype)
        - (remainder < 0).astype(step.dtype)
    )
    return jnp.where(divisor == 1, step, quotient)


def floor_divmod(
    step: jax.Array, divisor: Any, dtype: Any
) -> tuple[jax.Array, jax.Array]:
    """``(q, r)`` with ``q = floor(step / divisor)`` and ``r = step - q * divisor``.

    With an integer step and a divisor that holds a whole number >= 1 (an integer
    leaf, or a float leaf such as ``1000.0``) both are computed with integer
    arithmetic: the count is right beyond 2**24 where float32 division lands a stair
    early, and ``r`` is the exact remainder, not a difference of rounded floats. A
    fractional divisor, or a float step, uses ``floor(step / divisor)`` in ``dtype``
    as Keras and optax do.

    ``dtype`` is the result dtype: floating, or, for an integer step and an integer
    divisor (>= 1), an integer dtype (then both are exact integers).
    """
    divisor = jnp.asarray(divisor)
    dtype = np.dtype(dtype)
    if jnp.issubdtype(dtype, jnp.integer):
        if not (is_integer(step) and is_integer(divisor)):
            raise TypeError("an integer result needs an integer step and divisor")
        wide = wide_int(step.dtype)
        whole = jnp.maximum(divisor.astype(wide), 1)
        step = step.astype(wide)
        q = _exact_int_floor_div(step, whole)
        return q.astype(dtype), (step - q * whole).astype(dtype)
    t = step.astype(dtype)
    n = divisor.astype(dtype)
    q_float = jnp.floor(t / n)
    r_float = t - q_float * n
    if not is_integer(step):
        return q_float, r_float
    wide = wide_int(step.dtype)
    usable, whole = whole_divisor(divisor, wide)
    step = step.astype(wide)
    q = _exact_int_floor_div(step, whole)
    r = step - q * whole
    return (
        jnp.where(usable, q.astype(dtype), q_float),
        jnp.where(usable, r.astype(dtype), r_float),
    )


def floor_div(step: jax.Array, divisor: Any, dtype: Any) -> jax.Array:
    """``floor(step / divisor)`` as ``dtype``; exact for integer steps.

    The quotient of :func:`floor_divmod` (under ``jit`` the unused remainder is
    dropped).
    """
    return floor_divmod(step, divisor, dtype)[0]


def power_by_log(rate: jax.Array, exponent: jax.Array, ct: Any) -> jax.Array:
    """``rate ** exponent`` for ``rate >= 0``, as ``exp(exponent * log(rate))``.

    The scalar log is hoisted out of the per-step work; ``rate == 0`` uses the largest
    finite slope, so ``0 ** 0 == 1`` and ``0 ** k == 0``, with finite gradients.
    """
    positive = rate > 0
    log_rate = jnp.where(
        positive, jnp.log(jnp.where(positive, rate, 1)), -jnp.finfo(ct).max
    )
    return jnp.exp(exponent * log_rate)
