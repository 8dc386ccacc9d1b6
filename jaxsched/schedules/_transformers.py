"""Hugging Face ``transformers.optimization`` schedules, and T5's inverse square root.

Hugging Face's ``get_*_schedule*`` functions return a PyTorch ``LambdaLR`` whose
lambda is a *multiplier* of the optimizer's learning rate. The classes here take that
learning rate (the peak) as the leaf ``learning_rate`` and return the absolute rate,
``learning_rate * lambda(step)``, with Hugging Face's step convention (step 0 is the
value at construction, the first update). The argument names are Hugging Face's
(``num_warmup_steps``, ``num_training_steps``, ...).

Hugging Face's warmup is ``step / max(1, num_warmup_steps)`` for ``step <
num_warmup_steps``: it starts at 0 and reaches the peak at ``num_warmup_steps``
(``WarmupStableDecay`` starts at ``min_lr_ratio`` instead). Lengths enter through
``max(1, n)`` as in Hugging Face, so a zero-length phase cannot divide by zero.
Hugging Face never sees a negative step; here a step below 0 gives the step-0 value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numeric, leaf, static
from jaxsched.core._math import compute_dtype, floor_divmod, is_integer, value_dtype
from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import (
    NON_NEGATIVE,
    POSITIVE,
    UNIT_INTERVAL,
    concrete,
    validation_enabled,
)
from jaxsched.schedules._phases import (
    aligned_counts,
    cosine_tail,
    cosine_turns,
    half_cosine,
    hf_steps,
    hf_warmup,
    mul_mod,
    safe_sqrt,
)

__all__ = [
    "ConstantWithWarmup",
    "CosineWithHardRestarts",
    "CosineWithMinLR",
    "CosineWithWarmup",
    "InverseSqrt",
    "LinearWithWarmup",
    "PolynomialWithWarmup",
    "RsqrtDecay",
    "WarmupStableDecay",
]

_SHAPES = ("linear", "cosine", "1-sqrt")


class _Warmup(Schedule, abstract=True):
    """Hugging Face's first arguments: the optimizer's ``learning_rate`` and the
    warmup length ``num_warmup_steps`` (``W``, >= 0)."""

    learning_rate: Numeric = leaf()
    num_warmup_steps: Numeric = leaf(check=NON_NEGATIVE, count=True)


class _WarmupDecay(_Warmup, abstract=True):
    """:class:`_Warmup` and the total length ``num_training_steps`` (``N``, >= 0)."""

    num_training_steps: Numeric = leaf(check=NON_NEGATIVE, count=True)


class _WarmupCosine(_WarmupDecay, abstract=True):
    """:class:`_WarmupDecay` and ``num_cycles``, the cosine periods over ``[W, N]``."""

    num_cycles: Numeric = leaf(default=0.5)

    def _cosine(
        self,
        step: Any,
        floor: Any = None,
        *,
        lead: int = 0,
        ramp: Callable[[jax.Array, jax.Array], jax.Array] = hf_warmup,
        values: tuple[Any, ...] = (),
    ) -> jax.Array:
        """``learning_rate * ramp(t, W)`` while ``t < W``, then ``learning_rate *``
        :func:`cosine_tail` with the ``floor`` rate (None: 0), of the phase from
        :func:`cosine_turns` (with ``lead``). ``values``: more float leaves that
        decide the dtype."""
        dtype = value_dtype(self.learning_rate, self.num_cycles, floor, *values)
        ct = compute_dtype(dtype)
        cycles = jnp.asarray(self.num_cycles, ct)
        warming, t, x = cosine_turns(
            step, self.num_warmup_steps, self.num_training_steps, cycles, ct, lead
        )
        rate = 0 if floor is None else jnp.asarray(floor, ct)
        warmup = jnp.asarray(self.num_warmup_steps).astype(ct)
        factor = jnp.where(warming, ramp(t, warmup), cosine_tail(x, rate))
        return (jnp.asarray(self.learning_rate, ct) * factor).astype(dtype)


def _start(
    step: Any, learning_rate: Any, warmup: Any, *values: Any
) -> tuple[np.dtype, jax.Array, jax.Array, jax.Array]:
    """``(dtype, t, lr, warmup)``: the output dtype (of ``learning_rate`` and the
    float leaves ``values``), and the step (below 0 moved to 0), ``learning_rate``
    and ``warmup`` in the compute dtype (``t.dtype``)."""
    dtype = value_dtype(learning_rate, *values)
    ct = compute_dtype(dtype)
    t = hf_steps(step, ct)
    return dtype, t, jnp.asarray(learning_rate, ct), jnp.asarray(warmup, ct)


# ---------------------------------------------------------------- warmup family


class ConstantWithWarmup(_Warmup):
    """HF ``get_constant_schedule_with_warmup``: a linear warmup, then constant.

    ``learning_rate * min(1, step / max(1, num_warmup_steps))``: 0 at step 0, the
    full rate from ``num_warmup_steps`` on. A step below 0 gives the step-0 value
    (0 with a warmup).

    Args:
      learning_rate: the optimizer's learning rate, reached after warmup (leaf).
      num_warmup_steps: the warmup length; must be >= 0 (leaf).

    Raises:
      ValueError: ``num_warmup_steps < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ConstantWithWarmup(10.0, num_warmup_steps=4)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(6)))
      0 2.5 5 7.5 10 10
    """

    def key_steps(self) -> list[float]:
        return [0.0, ks.number(self.num_warmup_steps)]

    def __call__(self, step: Any) -> jax.Array:
        dtype, t, lr, warmup = _start(step, self.learning_rate, self.num_warmup_steps)
        factor = jnp.where(t < warmup, hf_warmup(t, warmup), 1)
        return (lr * factor).astype(dtype)


class LinearWithWarmup(_WarmupDecay):
    """HF ``get_linear_schedule_with_warmup`` (the ``Trainer`` default).

    ``learning_rate`` times ``step / max(1, W)`` for ``step < W``, then
    ``max(0, (N - step) / max(1, N - W))``: a linear warmup from 0 to the peak at
    ``W = num_warmup_steps``, a linear decay to 0 at ``N = num_training_steps``, and
    0 after. A step below 0 gives the step-0 value (0 with a warmup).

    Args:
      learning_rate: the optimizer's learning rate, the peak (leaf).
      num_warmup_steps: the warmup length ``W``; must be >= 0 (leaf).
      num_training_steps: the total length ``N``; must be >= 0 (leaf).

    Raises:
      ValueError: a negative length.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.LinearWithWarmup(10.0, num_warmup_steps=2,
      ...                               num_training_steps=10)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(11)))
      0 5 10 8.75 7.5 6.25 5 3.75 2.5 1.25 0
    """

    def key_steps(self) -> list[float]:
        return _warmup_and_total(self)

    def __call__(self, step: Any) -> jax.Array:
        dtype, t, lr, warmup = _start(step, self.learning_rate, self.num_warmup_steps)
        total = jnp.asarray(self.num_training_steps, t.dtype)
        decay = jnp.maximum((total - t) / jnp.maximum(total - warmup, 1), 0)
        factor = jnp.where(t < warmup, hf_warmup(t, warmup), decay)
        return (lr * factor).astype(dtype)


class CosineWithWarmup(_WarmupCosine):
    """HF ``get_cosine_schedule_with_warmup``: linear warmup, then cosine.

    ``learning_rate`` times ``step / max(1, W)`` for ``step < W``, then
    ``max(0, (1 + cos(2 * pi * num_cycles * p)) / 2)`` with ``p = (step - W) /
    max(1, N - W)``. Like Hugging Face it is *not* clamped at ``N``: with the
    default half cycle it rises again after ``N``. For whole lengths (100 or 100.0)
    the phase comes from the exact step, also far past ``N`` (a non-dyadic
    ``num_cycles``, e.g. 0.3, is itself rounded to float32 without x64). A step below 0
    gives the step-0 value (0 with a warmup).

    Args:
      learning_rate, num_warmup_steps, num_training_steps: the peak, ``W`` and
        ``N``, as in :class:`LinearWithWarmup` (with its errors).
      num_cycles: the number of cosine periods over ``[W, N]`` (0.5: one decay to
        0) (leaf).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.CosineWithWarmup(10.0, num_warmup_steps=2,
      ...                               num_training_steps=10)
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 1, 2, 6, 10, 14)))
      0.00 5.00 10.00 5.00 0.00 5.00
    """

    def key_steps(self) -> list[float]:
        return _warmup_and_total(self)

    def __call__(self, step: Any) -> jax.Array:
        return self._cosine(step)


class CosineWithMinLR(_WarmupCosine):
    """HF ``get_cosine_with_min_lr_schedule_with_warmup`` (``"cosine_with_min_lr"``).

    ``learning_rate`` times ``step / max(1, W)`` for ``step < W``, then
    ``max(0, f * (1 - min_lr_rate) + min_lr_rate)`` with ``f = (1 + cos(2 * pi *
    num_cycles * p)) / 2`` and ``p = (step - W) / max(1, N - W)``: the cosine ends at
    ``learning_rate * min_lr_rate`` at ``N``, and, as in Hugging Face, is periodic
    past ``N``. The warmup starts at 0. Hugging Face's absolute ``min_lr=x`` is
    ``min_lr_rate=x / learning_rate``; Hugging Face requires one of them, here
    ``min_lr_rate`` defaults to 0 (then this equals :class:`CosineWithWarmup`). A
    step below 0 gives the step-0 value (0 with a warmup).

    Args:
      learning_rate, num_warmup_steps, num_training_steps: the peak, ``W`` and
        ``N``, as in :class:`LinearWithWarmup` (with its errors).
      num_cycles: the number of cosine periods over ``[W, N]`` (leaf).
      min_lr_rate: the floor as a fraction of ``learning_rate`` (leaf).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.CosineWithMinLR(10.0, num_warmup_steps=2,
      ...                              num_training_steps=10, min_lr_rate=0.1)
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 1, 2, 6, 10, 14)))
      0.00 5.00 10.00 5.50 1.00 5.50
    """

    min_lr_rate: Numeric = leaf(default=0.0)

    def key_steps(self) -> list[float]:
        return _warmup_and_total(self)

    def __call__(self, step: Any) -> jax.Array:
        return self._cosine(step, self.min_lr_rate)


class CosineWithHardRestarts(_WarmupDecay):
    """HF ``get_cosine_with_hard_restarts_schedule_with_warmup``.

    ``learning_rate`` times ``step / max(1, W)`` for ``step < W``, then, with
    ``p = (step - W) / max(1, N - W)``, ``max(0, (1 + cos(pi * ((num_cycles * p)
    mod 1))) / 2)`` for ``p < 1`` and 0 from ``N`` on: ``num_cycles`` equal cosine
    decays, each restarting at the peak, inside ``[W, N]``. For an integer step and
    integer arguments the phase is ``((num_cycles * (step - W)) mod (N - W)) / (N -
    W)`` with exact integer arithmetic (int32: while ``num_cycles * (N - W) <
    2**52``), so restarts land exactly on their step beyond 2**24. A step below 0
    gives the step-0 value (0 with a warmup).

    Args:
      learning_rate, num_warmup_steps, num_training_steps: the peak, ``W`` and
        ``N``, as in :class:`LinearWithWarmup` (with its errors).
      num_cycles: the number of hard restarts; must be > 0 (leaf).

    Raises:
      ValueError: also ``num_cycles <= 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.CosineWithHardRestarts(10.0, num_warmup_steps=2,
      ...                                     num_training_steps=10, num_cycles=2)
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in range(11)))
      0.00 5.00 10.00 8.54 5.00 1.46 10.00 8.54 5.00 1.46 0.00
    """

    num_cycles: Numeric = leaf(default=1, check=POSITIVE, count=True)

    def key_steps(self) -> list[float]:
        w = ks.number(self.num_warmup_steps)
        n = ks.number(self.num_training_steps)
        c = ks.number(self.num_cycles)
        out = [0.0, w, n]
        k = 1
        while c > 0 and n > w and k < c and k <= ks.CYCLES:
            out.append(w + k * (n - w) / c)
            k += 1
        return out

    def __call__(self, step: Any) -> jax.Array:
        dtype = value_dtype(self.learning_rate)
        ct = compute_dtype(dtype)
        lr = jnp.asarray(self.learning_rate, ct)
        t, warmup, total, cycles = aligned_counts(
            step, ct, self.num_warmup_steps, self.num_training_steps, self.num_cycles
        )
        span = jnp.maximum(total - warmup, 1)
        d = t - warmup
        if is_integer(t):  # (cycles * d) mod span, exact: restarts land on their step
            inside = jnp.clip(d, 0, span - 1)
            turns = mul_mod(floor_divmod(cycles, span, span.dtype)[1], inside, span)
            phase = turns.astype(ct) / span.astype(ct)
        else:
            phase = cycles * d / span
            phase = phase - jnp.floor(phase)
        decay = jnp.maximum(half_cosine(phase), 0)
        decay = jnp.where(d >= span, 0, decay)
        ramp = hf_warmup(t.astype(ct), warmup.astype(ct))
        factor = jnp.where(t < warmup, ramp, decay)
        return (lr * factor).astype(dtype)


class PolynomialWithWarmup(_WarmupDecay):
    """HF ``get_polynomial_decay_schedule_with_warmup``.

    ``learning_rate * step / max(1, W)`` for ``step < W``; then ``(learning_rate -
    lr_end) * (1 - (step - W) / (N - W)) ** power + lr_end`` up to ``N``, and
    ``lr_end`` after. Hugging Face reads the peak from the optimizer's default
    learning rate; here it is ``learning_rate``. ``N = W`` (a ``ZeroDivisionError`` in
    Hugging Face at ``step = W``) gives ``learning_rate`` at ``W`` and ``lr_end``
    after. A step below 0 gives the step-0 value (0 with a warmup).

    Args:
      learning_rate, num_warmup_steps, num_training_steps: the peak, ``W`` and
        ``N``, as in :class:`LinearWithWarmup` (with its errors).
      lr_end: the final learning rate; must be < ``learning_rate`` (leaf).
      power: the power of the decay; must be >= 0 (leaf).

    Raises:
      ValueError: also ``lr_end >= learning_rate`` or a negative ``power``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.PolynomialWithWarmup(10.0, num_warmup_steps=2,
      ...                                   num_training_steps=10, power=2.0)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 3, 6, 9, 10, 11)))
      0.000 5.000 10.000 7.656 2.500 0.156 0.000 0.000
    """

    lr_end: Numeric = leaf(default=1e-7)
    power: Numeric = leaf(default=1.0, check=NON_NEGATIVE)

    def _check(self) -> None:
        lr, end = self._concrete("learning_rate"), self._concrete("lr_end")
        if lr is not None and end is not None and not bool(np.all(lr > end)):
            raise self._invalid("lr_end", f"smaller than learning_rate={lr.tolist()}")

    def key_steps(self) -> list[float]:
        return _warmup_and_total(self)

    def __call__(self, step: Any) -> jax.Array:
        dtype, t, lr, warmup = _start(
            step, self.learning_rate, self.num_warmup_steps, self.lr_end, self.power
        )
        total, end, power = (
            jnp.asarray(x, t.dtype)
            for x in (self.num_training_steps, self.lr_end, self.power)
        )
        span = total - warmup
        nonzero = span > 0
        # (N - t) / (N - W), not 1 - (t - W) / (N - W): exactly 0 at N under jit too.
        left = (total - t) / jnp.where(nonzero, span, 1)
        remaining = jnp.where(nonzero, jnp.clip(left, 0, 1), 1)
        positive = remaining > 0
        shape = jnp.where(
            positive,
            jnp.where(positive, remaining, 1) ** power,
            jnp.where(power == 0, 1, 0),
        )
        decay = jnp.where(t > total, end, (lr - end) * shape + end)
        return jnp.where(t < warmup, lr * hf_warmup(t, warmup), decay).astype(dtype)


# ------------------------------------------------------------ inverse square root


class InverseSqrt(_Warmup):
    """HF ``get_inverse_sqrt_schedule``: linear warmup, then ``1 / sqrt``.

    ``learning_rate * step / max(1, W)`` for ``step < W``, then ``learning_rate /
    sqrt(1 + (step - W) / timescale)``; the value is the peak at ``W`` and halves
    when ``step - W = 3 * timescale``. ``timescale=None`` means Hugging Face's
    default ``W``, or 10000 when ``W = 0``, resolved at construction. Equals
    big_vision's ``rsqrt`` with ``shift=0``, and with ``timescale = W`` it equals
    T5X's ``rsqrt_normalized_decay`` from ``W`` on. A step below 0 gives the
    step-0 value (0 with a warmup).

    Args:
      learning_rate: the optimizer's learning rate, the peak (leaf).
      num_warmup_steps: the warmup length ``W``; must be >= 0 (leaf).
      timescale: the decay time scale; must be > 0 (leaf).

    Raises:
      ValueError: a negative ``W`` or ``timescale <= 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.InverseSqrt(10.0, num_warmup_steps=2)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 3, 8)))
      0.000 5.000 10.000 8.165 5.000
    """

    timescale: Numeric | None = leaf(default=None, check=POSITIVE, count=True)

    def __post_init__(self) -> None:
        if self.timescale is None:  # Hugging Face: `num_warmup_steps or 10_000`
            warmup = concrete(self.num_warmup_steps)
            if warmup is not None and warmup.dtype.kind in "iuf":
                timescale = np.where(warmup == 0, 10_000, warmup)
                value = timescale.item() if timescale.ndim == 0 else timescale
                object.__setattr__(self, "timescale", value)
        super().__post_init__()

    def key_steps(self) -> list[float]:
        return [0.0, ks.number(self.num_warmup_steps)]

    def __call__(self, step: Any) -> jax.Array:
        dtype, t, lr, warmup = _start(step, self.learning_rate, self.num_warmup_steps)
        if self.timescale is None:  # a traced num_warmup_steps at construction
            timescale = jnp.where(warmup == 0, 10_000, warmup)
        else:
            timescale = jnp.asarray(self.timescale, t.dtype)
        decay = jax.lax.rsqrt(jnp.maximum(1 + (t - warmup) / timescale, 1))
        factor = jnp.where(t < warmup, hf_warmup(t, warmup), decay)
        return (lr * factor).astype(dtype)


class RsqrtDecay(Schedule):
    """T5's inverse square root decay (T5X ``rsqrt_decay`` and friends).

    ``learning_rate / sqrt(max(step, warmup_steps, 1))``: constant at
    ``learning_rate / sqrt(warmup_steps)`` up to ``warmup_steps``, then ``1 /
    sqrt(step)`` decay (the T5 pretraining schedule, with ``learning_rate=1.0`` and
    ``warmup_steps=10000``). With ``normalized`` the value is multiplied by
    ``sqrt(max(warmup_steps, 1))``, so it equals ``learning_rate`` up to
    ``warmup_steps`` (``rsqrt_normalized_decay``). With ``linear_warmup`` it is
    multiplied by ``min(1, step / warmup_steps)`` (T5X's default ``"constant *
    linear_warmup * rsqrt_decay"``; no warmup when ``warmup_steps = 0``). The step is
    floored at 1 in the square root, so ``warmup_steps=0`` gives ``learning_rate`` at
    step 0, not T5X's infinity. With ``normalized`` and ``warmup_steps=0`` T5X
    multiplies by ``sqrt(0)`` and gives 0 after step 0 (NaN at step 0); here the
    factor is ``sqrt(max(0, 1)) = 1``, so the value is ``learning_rate / sqrt(max(step,
    1))``, the decay that the normalization is meant to start at ``learning_rate``.
    T5X's ``step_offset`` and ``min_learning_rate`` are not included. A step below 0
    gives the step-0 value.

    Args:
      learning_rate: T5X's ``base_learning_rate`` (leaf).
      warmup_steps: the step where the decay starts; must be >= 0 (leaf).
      normalized: divide by the value at ``warmup_steps`` (static).
      linear_warmup: ramp linearly from 0 over ``warmup_steps`` (static).

    Raises:
      ValueError: ``warmup_steps < 0``.
      TypeError: a non-bool option.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.RsqrtDecay(1.0, warmup_steps=10_000)
      >>> print(" ".join(f"{float(s(t)):.4f}" for t in (0, 10_000, 40_000)))
      0.0100 0.0100 0.0050
    """

    learning_rate: Numeric = leaf()
    warmup_steps: Numeric = leaf(check=NON_NEGATIVE, count=True)
    normalized: bool = static(default=False, type=bool)
    linear_warmup: bool = static(default=False, type=bool)

    def key_steps(self) -> list[float]:
        return [0.0, ks.number(self.warmup_steps)]

    def __call__(self, step: Any) -> jax.Array:
        dtype, t, lr, warmup = _start(step, self.learning_rate, self.warmup_steps)
        knee = jnp.maximum(warmup, 1)
        scale = lr * jnp.sqrt(knee) if self.normalized else lr
        out = scale * jax.lax.rsqrt(jnp.maximum(t, knee))
        if self.linear_warmup:
            ramp = jnp.where(warmup > 0, jnp.minimum(t / knee, 1), 1)
            out = out * ramp
        return out.astype(dtype)


# ------------------------------------------------------------ warmup-stable-decay


class WarmupStableDecay(_Warmup):
    """Warmup-stable-decay, as HF ``get_wsd_schedule``.

    With ``W, S, D = num_warmup_steps, num_stable_steps, num_decay_steps`` and ``m =
    min_lr_ratio``, the multiplier of ``learning_rate`` is:

    * warmup, ``step < W``: ``p = step / max(1, W)`` and ``f = p`` (``"linear"``),
      ``(1 - cos(pi * p)) / 2`` (``"cosine"``) or ``1 - sqrt(1 - p)``
      (``"1-sqrt"``); the value is ``max(0, f * (1 - m) + m)``, so the warmup starts
      at ``m``, not at 0;
    * stable, ``W <= step < W + S``: 1;
    * decay, ``W + S <= step < W + S + D``: ``p = (step - W - S) / max(1, D)`` and
      ``f = 1 - p`` (``"linear"``), ``(1 + cos(2 * pi * num_cycles * p)) / 2``
      (``"cosine"``) or ``1 - sqrt(p)`` (``"1-sqrt"``); ``max(0, f * (1 - m) + m)``;
    * after: ``m``.

    As in Hugging Face, give ``num_training_steps`` (then ``S = N - W - D``) or
    ``num_stable_steps``; both are stored (the other is derived at construction),
    and the computation uses ``S``. A step below 0 gives the step-0 value.

    Args:
      learning_rate: the optimizer's learning rate, the plateau (leaf).
      num_warmup_steps: ``W``; must be >= 0 (leaf).
      num_decay_steps: ``D``; must be >= 0 (leaf).
      num_training_steps: ``N = W + S + D`` (leaf).
      num_stable_steps: ``S``; must be >= 0 (leaf).
      warmup_type: ``"linear"``, ``"cosine"`` or ``"1-sqrt"`` (static).
      decay_type: ``"linear"``, ``"cosine"`` or ``"1-sqrt"`` (static).
      min_lr_ratio: the floor as a fraction of ``learning_rate``; in [0, 1] (leaf).
      num_cycles: cosine periods over the decay (0.5: one decay) (leaf).

    Raises:
      ValueError: neither ``num_training_steps`` nor ``num_stable_steps`` given, the two
        inconsistent (Hugging Face warns and uses ``num_stable_steps``), a negative
        length or an unknown type.
      TypeError: a non-string type.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.WarmupStableDecay(1.0, num_warmup_steps=2, num_decay_steps=4,
      ...                                num_stable_steps=3, min_lr_ratio=0.1)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in range(11)))
      0.100 0.550 1.000 1.000 1.000 1.000 0.868 0.550 0.232 0.100 0.100
    """

    num_decay_steps: Numeric = leaf(check=NON_NEGATIVE, count=True)
    num_training_steps: Numeric | None = leaf(default=None, count=True)
    num_stable_steps: Numeric | None = leaf(
        default=None, check=NON_NEGATIVE, count=True
    )
    warmup_type: str = static(default="linear", type=str, choices=_SHAPES)
    decay_type: str = static(default="cosine", type=str, choices=_SHAPES)
    min_lr_ratio: Numeric = leaf(default=0.0, check=UNIT_INTERVAL)
    num_cycles: Numeric = leaf(default=0.5)

    def __post_init__(self) -> None:
        warmup = concrete(self.num_warmup_steps)
        decay = concrete(self.num_decay_steps)
        known = warmup is not None and decay is not None
        neither = self.num_stable_steps is None and self.num_training_steps is None
        if neither and validation_enabled():
            raise self._invalid("num_stable_steps", "given, or num_training_steps")
        if known and self.num_stable_steps is None:
            total = concrete(self.num_training_steps)
            if total is not None and total.dtype.kind in "iuf":
                stable = total - warmup - decay
                stable = stable.item() if stable.ndim == 0 else stable
                object.__setattr__(self, "num_stable_steps", stable)
        if known and self.num_training_steps is None:
            stable = concrete(self.num_stable_steps)
            if stable is not None and stable.dtype.kind in "iuf":
                total = warmup + stable + decay
                total = total.item() if total.ndim == 0 else total
                object.__setattr__(self, "num_training_steps", total)
        super().__post_init__()

    def _check(self) -> None:
        w, d = self._concrete("num_warmup_steps"), self._concrete("num_decay_steps")
        s, n = self._concrete("num_stable_steps"), self._concrete("num_training_steps")
        if any(x is None for x in (w, d, s, n)):
            return
        assert w is not None and d is not None and s is not None and n is not None
        if not bool(np.all(w + s + d == n)):
            raise self._invalid(
                "num_training_steps",
                "num_warmup_steps + num_stable_steps + num_decay_steps "
                f"= {(w + s + d).tolist()}",
            )

    def key_steps(self) -> list[float]:
        w, st = ks.number(self.num_warmup_steps), ks.number(self.num_stable_steps)
        return [0.0, w, w + st, w + st + ks.number(self.num_decay_steps)]

    def __call__(self, step: Any) -> jax.Array:
        dtype = value_dtype(self.learning_rate, self.min_lr_ratio, self.num_cycles)
        ct = compute_dtype(dtype)
        lr = jnp.asarray(self.learning_rate, ct)
        if self.num_stable_steps is None:  # traced lengths at construction
            t, warmup, decay, total = aligned_counts(
                step,
                ct,
                self.num_warmup_steps,
                self.num_decay_steps,
                self.num_training_steps,
            )
            stable = total - warmup - decay
        else:
            t, warmup, decay, stable = aligned_counts(
                step,
                ct,
                self.num_warmup_steps,
                self.num_decay_steps,
                self.num_stable_steps,
            )
        floor = jnp.asarray(self.min_lr_ratio, ct)
        cycles = jnp.asarray(self.num_cycles, ct)
        # Phases are compared, and the decay offset taken, in the aligned dtype:
        # exact integers for an integer step and lengths.
        decay_start = warmup + stable
        stable_phase = (t >= warmup) & (t < decay_start)
        after = t >= decay_start + decay
        offset = (t - decay_start).astype(ct)
        warming = t < warmup
        t, warmup, decay = t.astype(ct), warmup.astype(ct), decay.astype(ct)

        p = jnp.clip(t / jnp.maximum(warmup, 1), 0, 1)
        if self.warmup_type == "linear":
            rise = p
        elif self.warmup_type == "cosine":
            rise = 1 - half_cosine(p)
        else:
            rise = 1 - safe_sqrt(1 - p)
        q = jnp.clip(offset / jnp.maximum(decay, 1), 0, 1)
        if self.decay_type == "linear":
            fall = 1 - q
        elif self.decay_type == "cosine":
            fall = half_cosine(2 * cycles * q)
        else:
            fall = 1 - safe_sqrt(q)
        shape = jnp.where(warming, rise, fall)
        shape = jnp.where(stable_phase, 1, shape)
        factor = jnp.maximum(shape * (1 - floor) + floor, 0)
        factor = jnp.where(after, floor, factor)
        return (lr * factor).astype(dtype)


def _warmup_and_total(s: Any) -> list[float]:
    """The key steps of a warmup to ``num_warmup_steps`` and a decay to
    ``num_training_steps``."""
    return [0.0, ks.number(s.num_warmup_steps), ks.number(s.num_training_steps)]
