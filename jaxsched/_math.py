"""Numerical helpers shared by schedules: step casting, dtypes, exact floor division."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "as_step",
    "compute_dtype",
    "default_float",
    "floor_div",
    "safe_div",
    "value_dtype",
]


def default_float() -> np.dtype:
    """float32, or float64 when ``jax_enable_x64`` is on."""
    return np.dtype(jax.dtypes.canonicalize_dtype(np.float64))


def _dtype_of(value: Any) -> np.dtype | None:
    dtype = getattr(value, "dtype", None)
    if dtype is None:
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


def _exact_int_floor_div(step: jax.Array, divisor: jax.Array) -> jax.Array:
    """``floor(step / divisor)`` for signed integer arrays, exact over the whole range.

    Integer division does not vectorize on CPUs; this estimates the quotient in floating
    point and corrects it twice with integer arithmetic, which is exact for any
    ``divisor >= 1`` (the first estimate is off by at most ``2**(bits-22) / divisor``,
    the second by at most one). Products wrap around harmlessly: only the small true
    remainder is ever used.
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
    return (
        quotient
        + (remainder >= divisor).astype(step.dtype)
        - (remainder < 0).astype(step.dtype)
    )


def floor_div(step: jax.Array, divisor: Any, dtype: Any) -> jax.Array:
    """``floor(step / divisor)`` as ``dtype``; exact for integer steps.

    With an integer step and a divisor that holds a whole number >= 1 (an integer
    leaf, or a float leaf such as ``1000.0``) the count is computed with integer
    arithmetic, so it is right beyond 2**24 where float32 division lands a stair early.
    A fractional divisor, or a float step, uses ``floor(step / divisor)`` as Keras and
    optax do.
    """
    divisor = jnp.asarray(divisor)
    as_float = jnp.floor(step.astype(dtype) / divisor.astype(dtype))
    if not is_integer(step):
        return as_float
    wide = step.dtype
    if not jnp.issubdtype(wide, jnp.signedinteger) or jnp.iinfo(wide).bits < 32:
        wide = jnp.int64 if jnp.iinfo(wide).bits >= 32 else jnp.int32
        wide = jax.dtypes.canonicalize_dtype(wide)
    step = step.astype(wide)
    limit = float(jnp.iinfo(wide).max)
    if is_integer(divisor):
        usable = divisor >= 1
        whole = jnp.where(usable, divisor, 1).astype(wide)
    else:
        usable = (divisor >= 1) & (divisor == jnp.floor(divisor)) & (divisor <= limit)
        whole = jnp.where(usable, divisor, 1).astype(wide)
    if jnp.issubdtype(step.dtype, jnp.signedinteger) and jnp.iinfo(wide).bits >= 32:
        exact = _exact_int_floor_div(step, whole)
    else:  # pragma: no cover - only reached for exotic dtypes
        exact = jnp.floor_divide(step, whole)
    return jnp.where(usable, exact.astype(dtype), as_float)
