"""Phase arithmetic shared by the PyTorch and Hugging Face families.

Where a step lies in a phase (warmup, cosine turn, cycle) is computed here once:
steps below 0 moved to 0, integer-exact splits of a step into whole cycles and a
remainder, and the fraction of a cosine turn taken exactly for integer steps.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core._math import as_step, floor_divmod, is_integer, wide_int
from jaxsched.schedules._join import align_step

# ------------------------------------------------------------------- PyTorch


def start_at_zero(step: Any) -> jax.Array:
    """The step as an array, with steps below 0 moved to 0."""
    step = as_step(step)
    return jnp.maximum(step, jnp.zeros((), step.dtype))


def clipped_divmod(
    step: jax.Array, length: Any, ct: Any
) -> tuple[jax.Array, jax.Array]:
    """``(floor(step / length), step mod length)`` as ``ct``, for ``length > 0``.

    :func:`floor_divmod` (exact for an integer step and a whole ``length``), with the
    floating-point remainder kept within ``[0, length]``.
    """
    q, r = floor_divmod(step, length, ct)
    return q, jnp.clip(r, 0, jnp.asarray(length).astype(ct))


def cosine_between(lo: jax.Array, hi: jax.Array, position: jax.Array) -> jax.Array:
    """``lo + (hi - lo) * (1 + cos(pi * position)) / 2``."""
    return lo + (hi - lo) * (0.5 * (1 + jnp.cos(math.pi * position)))


# -------------------------------------------------------------- Hugging Face


def hf_steps(step: Any, ct: Any) -> jax.Array:
    return start_at_zero(step).astype(ct)


def hf_warmup(t: jax.Array, warmup: jax.Array) -> jax.Array:
    """Hugging Face's warmup multiplier ``t / max(1, W)``."""
    return t / jnp.maximum(warmup, 1)


def safe_sqrt(x: jax.Array) -> jax.Array:
    """``sqrt(max(x, 0))`` with a finite gradient everywhere (0 at x <= 0)."""
    positive = x > 0
    return jnp.where(positive, jnp.sqrt(jnp.where(positive, x, 1)), 0)


def half_cosine(x: jax.Array) -> jax.Array:
    """``(1 + cos(pi * x)) / 2``."""
    return 0.5 * (1 + jnp.cos(math.pi * x))


def aligned_counts(step: Any, ct: Any, *counts: Any) -> tuple[jax.Array, ...]:
    """The step (below 0 moved to 0) and step counts in one dtype: a signed integer
    of at least 32 bits when the step and every count are integers, so comparisons
    and differences stay exact beyond 2**24; ``ct`` otherwise."""
    aligned = align_step(start_at_zero(step), *counts)
    if is_integer(aligned[0]):
        return aligned
    return tuple(a.astype(ct) for a in aligned)


def float_int(ct: Any) -> np.dtype:
    """The integer dtype as wide as the float ``ct`` (int32 or int64)."""
    return np.dtype(np.int64 if np.dtype(ct).itemsize == 8 else np.int32)


def whole_part(x: jax.Array, dtype: Any) -> jax.Array:
    """``floor(x)`` of a float array ``x >= 0`` as the integer ``dtype``, clipped to
    ``2**(bits - 2)`` (beyond that a float step has long lost its unit digits)."""
    limit = float(2 ** (np.iinfo(dtype).bits - 2))
    return jnp.clip(jnp.floor(x), 0, limit).astype(dtype)


def fraction_of_product(c: jax.Array, k: jax.Array, ct: Any) -> jax.Array:
    """``c * k`` modulo 1, as a float of ``ct`` near [-1/2, 1/2] (an exact result up
    to about 2**-20 for float32), for a float scalar ``c`` and an integer array
    ``k >= 0`` of any size.

    ``c`` is cut into two halves of at most ``h`` significant bits (a bit mask,
    exact) and ``k`` into pieces of ``p - h`` bits (``p``: the precision of ``ct``),
    so each partial product ``half * piece * 2**shift`` is an exact float; their
    fractional parts are exact, and only their short sum rounds. ``|c| >= 2**(p -
    1)`` is a whole number and contributes nothing.
    """
    info = jnp.finfo(ct)
    p = info.nmant + 1  # significant bits: 24 (float32) or 53 (float64)
    h = (p + 1) // 2
    bits = p - h  # piece width: 12 (float32) or 26 (float64)
    c = jnp.where(jnp.abs(c) < 2.0 ** (p - 1), c, 0)
    uint = jnp.uint64 if info.bits == 64 else jnp.uint32
    mask = np.array(~((1 << (p - h)) - 1) & ((1 << info.bits) - 1), uint)
    high = jax.lax.bitcast_convert_type(
        jax.lax.bitcast_convert_type(c, uint) & mask, c.dtype
    )
    low = c - high
    total = jnp.zeros(k.shape, ct)
    for i in range(-(-(np.iinfo(k.dtype).bits - 1) // bits)):
        piece = ((k >> (bits * i)) & ((1 << bits) - 1)).astype(ct)
        for half in (high, low):
            product = (half * 2.0 ** (bits * i)) * piece
            total = total + (product - jnp.round(product))
    return total


def _turns(
    step: jax.Array,
    fraction: Any,
    warmup: Any,
    total: Any,
    cycles: jax.Array,
    ct: Any,
    lead: int,
) -> tuple[jax.Array, jax.Array]:
    """``(t < W, x)`` of :func:`cosine_turns` for a step ``>= 0`` plus ``fraction``:
    exact splits when the step and lengths are integers, float ones otherwise."""
    t, w, n = aligned_counts(step, ct, warmup, total)
    span = jnp.maximum(n - w, 1)
    d = jnp.maximum(t - w, 0)
    if is_integer(t):
        k, r = floor_divmod(d, span, d.dtype)
        r = r.astype(ct) + fraction
    else:
        whole = jnp.floor(d / span)
        r = jnp.clip(d - whole * span, 0, span)
        k = whole_part(whole, float_int(ct))
    if lead:
        r = r + lead
    x = fraction_of_product(cycles, k, ct) + cycles * (r / span.astype(ct))
    return t < w, x - jnp.round(x)


def _whole_counts(
    warmup: jax.Array, total: jax.Array, dtype: Any
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(usable, W, N)``: where both lengths hold whole numbers in ``[0, 2**(bits -
    2))`` of the integer ``dtype``, and the lengths as ``dtype`` (0 where not)."""
    limit = float(2 ** (np.iinfo(dtype).bits - 2))
    usable = jnp.asarray(True)
    for c in (warmup, total):
        if not is_integer(c):
            usable = usable & (c == jnp.floor(c)) & (c >= 0) & (c < limit)
    return (
        usable,
        jnp.where(usable, warmup, 0).astype(dtype),
        jnp.where(usable, total, 0).astype(dtype),
    )


def cosine_turns(
    step: Any, warmup: Any, total: Any, cycles: jax.Array, ct: Any, lead: int = 0
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(warming, t, x)``: where ``t < W`` (exact), the step as ``ct`` (below 0 moved
    to 0), and HF's cosine phase ``x = cycles * (t - W + lead) / max(1, N
    - W)`` reduced modulo 1 (in [-1/2, 1/2]), for ``t >= W``.

    With whole lengths (integers, or floats such as ``100.0``), ``t - W = k * span +
    r`` is split with exact integer arithmetic (a float step: its whole part, with
    its fraction added to ``r``), and ``x = cycles * k + cycles * (r + lead) / span``
    with ``cycles * k`` modulo 1 taken exactly, so the phase does not come from a
    rounded step: it is right to about ``(cycles + 1) * 2**-22`` turns (float32) at
    any integer step, and jit agrees with eager. Float lengths keep the derivative
    of the float computation. What remains: ``cycles`` is a float32 leaf without
    x64, so a non-dyadic ``num_cycles`` (0.3) is rounded before it is multiplied by
    ``k`` (x64 or a dyadic value such as 0.5 avoids that); fractional lengths use
    float arithmetic throughout.
    """
    step = start_at_zero(step)
    ramp_step = step.astype(ct)
    counts = (jnp.asarray(warmup), jnp.asarray(total))
    whole_step, fraction = step, jnp.zeros((), ct)
    if not is_integer(step):
        # A float step: its whole part takes the integer path.
        whole = jnp.floor(ramp_step)
        fraction = ramp_step - whole
        whole_step = whole_part(whole, jax.dtypes.canonicalize_dtype(np.int64))
    if all(is_integer(c) for c in counts):
        warming, x = _turns(whole_step, fraction, *counts, cycles, ct, lead)
        return warming, ramp_step, x
    warming, x = _turns(step, 0, *counts, cycles, ct, lead)
    usable, w, n = _whole_counts(*counts, wide_int(whole_step.dtype))
    exact_warming, exact = _turns(whole_step, fraction, w, n, cycles, ct, lead)
    # The exact phase's value with the float phase's derivative (lengths are leaves).
    exact = exact + (x - jax.lax.stop_gradient(x))
    warming = jnp.where(usable, exact_warming, warming)
    return warming, ramp_step, jnp.where(usable, exact, x)


def mul_mod(a: jax.Array, b: jax.Array, m: jax.Array) -> jax.Array:
    """``(a * b) mod m`` for integer arrays with ``0 <= a, b < m``, without the
    product (which overflows).

    The quotient is estimated in floating point and corrected twice with wrapping
    integer arithmetic (only the small true remainders are used). Exact while ``a *
    b < 2**52`` and ``m < 2**30`` for int32 (float32 estimates), always for int64
    counts below 2**62; otherwise some value in ``[0, m)``.
    """
    fdtype = jnp.float64 if a.dtype == jnp.int64 else jnp.float32
    fm = m.astype(fdtype)
    limit = float(np.iinfo(a.dtype).max) / 2
    q = jnp.floor(a.astype(fdtype) * b.astype(fdtype) / fm)
    q = jnp.clip(q, 0, limit).astype(a.dtype)
    r = a * b - q * m
    q = q + jnp.floor(r.astype(fdtype) / fm).astype(a.dtype)
    r = a * b - q * m
    r = jnp.where(r >= m, r - m, r)
    r = jnp.where(r < 0, r + m, r)
    return jnp.clip(r, 0, m - 1)


def cosine_tail(x: jax.Array, floor: Any) -> jax.Array:
    """HF's cosine multiplier after warmup, ``max(0, f * (1 - r) + r)``, with ``f =
    (1 + cos(2 * pi * x)) / 2`` for the phase ``x`` from :func:`cosine_turns`."""
    factor = half_cosine(2 * x)
    return jnp.maximum(factor * (1 - floor) + floor, 0)
