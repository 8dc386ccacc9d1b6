"""Keras-named schedules: Keras's argument names, order, defaults, config and values.

Each class here is readable by ``keras.optimizers.schedules.deserialize`` from its
``to_dict()``, and ``jaxsched.from_dict`` reads Keras's ``serialize()`` output.

Values equal Keras's (on its JAX backend) for every step ``>= 0``, and for negative
steps wherever Keras's value is finite. Where Keras divides by zero at a negative step
(``PolynomialDecay(cycle=True)`` for ``-decay_steps < step < 0``, ``CosineDecay``
with a warmup target and ``warmup_steps=0``) these classes return the continuation
of the curve instead of ``inf``/``NaN``; each class says so. Cycle and stair counts
and the position inside a cycle are computed with integer arithmetic for integer
steps, so they stay exact where float32 is not (past 2**24, and near the end of a
long cycle, where Keras's ``1 - step / decay_steps`` cancels).
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numbers, Numeric, leaf, static
from jaxsched.core._math import (
    _exact_int_floor_div,
    as_step,
    compute_dtype,
    floor_div,
    is_integer,
    leaves_in,
    value_dtype,
    whole_divisor,
    wide_int,
)
from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import (
    INCREASING,
    NON_NEGATIVE,
    POSITIVE,
    UNIT_INTERVAL,
    invalid,
)
from jaxsched.schedules._join import lookup

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
]

#: Keras writes ``"name": None`` in some configs; a name is a string or None.
_NAME = (str, type(None))


def _progress(step: jax.Array, decay_steps: Any, staircase: bool, dtype: Any):
    """``step / decay_steps``, floored (exactly, for integer steps) when staircase."""
    if staircase:
        return floor_div(step, decay_steps, dtype), None
    return step.astype(dtype), jnp.asarray(decay_steps, dtype)


# --------------------------------------------------------------- exact step helpers


def _divmod(
    step: jax.Array, period: Any, ct: Any
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``q = floor(step / period)``, ``r = step - q * period`` and ``period - r``.

    All three as ``ct``; exact (integer arithmetic) for an integer step and a whole
    ``period``: the count is right past 2**24, and ``r`` and ``period - r`` are the
    exact remainders, not differences of large rounded floats. Otherwise computed in
    floating point as Keras does.
    """
    p = jnp.asarray(period).astype(ct)
    q = jnp.floor(step.astype(ct) / p)
    r = step.astype(ct) - q * p
    if not is_integer(step):
        # Past 2**53 (float64) or 2**24 (float32) a rounded quotient can leave r
        # beyond p (jit fuses q * p into an exact multiply-add): never a negative rest.
        return q, r, jnp.maximum(p - r, 0)
    wide = step.astype(wide_int(step.dtype))
    usable, whole = whole_divisor(period, wide.dtype)
    qi = _exact_int_floor_div(wide, whole)
    ri = wide - qi * whole
    return (
        jnp.where(usable, qi.astype(ct), q),
        jnp.where(usable, ri.astype(ct), r),
        jnp.where(usable, (whole - ri).astype(ct), p - r),
    )


def _left(step: jax.Array, end: Any, ct: Any) -> jax.Array:
    """``end - min(step, end)`` as ``ct``: what is left of a phase ending at ``end``.

    Exact for an integer step and a whole ``end``; Keras computes ``1 - step / end``,
    which loses the small remainder to cancellation near the end of a long phase.
    """
    e = jnp.asarray(end).astype(ct)
    left = e - jnp.minimum(step.astype(ct), e)
    if not is_integer(step):
        return left
    wide = step.astype(wide_int(step.dtype))
    usable, whole = whole_divisor(end, wide.dtype)
    exact = (whole - jnp.minimum(wide, whole)).astype(ct)
    return jnp.where(usable, exact, left)


def _pow(base: jax.Array, exponent: jax.Array) -> jax.Array:
    """``base ** exponent`` with IEEE's ``0 ** p`` and no NaN gradient at base 0.

    ``0 ** 0 == 1``, ``0 ** p == 0`` for ``p > 0`` and ``inf`` for ``p < 0``; a negative
    base with a fractional exponent is NaN, as ``jnp.power`` (and Keras) gives.
    """
    zero = base == 0
    at_zero = jnp.where(exponent == 0, 1, jnp.where(exponent > 0, 0, jnp.inf))
    return jnp.where(
        zero, at_zero.astype(base.dtype), jnp.power(jnp.where(zero, 1, base), exponent)
    )


def _half_cosine(left: jax.Array) -> jax.Array:
    """``0.5 * (1 + cos(pi * (1 - left)))``, as ``sin(pi / 2 * left) ** 2``.

    The same number without the cancellation of ``1 + cos(...)`` near the end of a
    decay (``left -> 0``), where float32 ``1 + cos`` keeps few correct digits.
    """
    return jnp.square(jnp.sin(left * (math.pi / 2)))


class _RateDecay(Schedule, abstract=True):
    """Keras's ``(initial_learning_rate, decay_steps, decay_rate, staircase, name)``
    schedules: ``_decay(lr, rate, p, n)`` of the progress ``p / n`` (``n`` None: ``p``
    is already ``step / decay_steps``, floored when ``staircase``)."""

    initial_learning_rate: Numeric = leaf()
    decay_steps: Numeric = leaf(check=POSITIVE, count=True)
    decay_rate: Numeric = leaf(check=NON_NEGATIVE)
    staircase: bool = static(default=False, type=bool)
    name: str | None = static(default=None, type=_NAME)

    def _decay(
        self, lr: jax.Array, rate: jax.Array, p: jax.Array, n: jax.Array | None
    ) -> jax.Array:
        raise NotImplementedError

    def key_steps(self) -> list[float]:
        if self.staircase:
            return ks.stairs(self.decay_steps)
        return [0.0, ks.number(self.decay_steps)]

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, lr, rate = leaves_in(self.initial_learning_rate, self.decay_rate)
        p, n = _progress(step, self.decay_steps, self.staircase, ct)
        return self._decay(lr, rate, p, n).astype(dtype)


class ExponentialDecay(_RateDecay):
    """Exponential decay, as ``keras.optimizers.schedules.ExponentialDecay``.

    ``initial_learning_rate * decay_rate ** (step / decay_steps)``; with ``staircase``
    the exponent is ``floor(step / decay_steps)``, computed with integer arithmetic
    for integer steps (exact beyond 2**24, where float32 division lands a stair
    early). Negative steps extrapolate, as in Keras. Equals
    ``optax.exponential_decay(lr, decay_steps, decay_rate, staircase=...)`` for
    ``step >= 0``.

    Args:
      initial_learning_rate: the value at step 0 (leaf).
      decay_steps: steps per factor of ``decay_rate``; must be > 0 (leaf).
      decay_rate: the factor per ``decay_steps``; must be >= 0 (leaf). Rates above 1
        grow.
      staircase: decay in discrete steps (static).
      name: Keras's name, kept for config compatibility (static).

    Raises:
      ValueError: ``decay_steps <= 0`` or ``decay_rate < 0``.
      TypeError: ``staircase`` not a bool.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
      >>> print(f"{float(s(0)):.4f} {float(s(10)):.4f} {float(s(15)):.4f}")
      0.1000 0.0500 0.0354
    """

    name: str | None = static(default="ExponentialDecay", type=_NAME)

    def _decay(
        self, lr: jax.Array, rate: jax.Array, p: jax.Array, n: jax.Array | None
    ) -> jax.Array:
        # rate ** p == exp(p * log(rate)), with the scalar log hoisted out of the
        # per-step work; rate == 0 uses the largest finite slope so 0 ** 0 == 1.
        positive = rate > 0
        log_rate = jnp.where(
            positive, jnp.log(jnp.where(positive, rate, 1)), -jnp.finfo(rate.dtype).max
        )
        slope = log_rate if n is None else log_rate / n
        return lr * jnp.exp(p * slope)


class InverseTimeDecay(_RateDecay):
    """Inverse time decay, as ``keras.optimizers.schedules.InverseTimeDecay``.

    ``initial_learning_rate / (1 + decay_rate * step / decay_steps)``; with
    ``staircase`` the ratio is ``floor(step / decay_steps)`` (integer-exact for integer
    steps). Negative steps extrapolate, as in Keras.

    Arguments and errors: as :class:`ExponentialDecay`, with ``decay_rate`` the decay
    per ``decay_steps`` (how often it is applied).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.InverseTimeDecay(0.1, decay_steps=1.0, decay_rate=0.5)
      >>> print(f"{float(s(0)):.4f} {float(s(2)):.4f} {float(s(8)):.4f}")
      0.1000 0.0500 0.0200
    """

    name: str | None = static(default="InverseTimeDecay", type=_NAME)

    def _decay(
        self, lr: jax.Array, rate: jax.Array, p: jax.Array, n: jax.Array | None
    ) -> jax.Array:
        slope = rate if n is None else rate / n
        return lr / (1 + p * slope)


class PolynomialDecay(Schedule):
    """Polynomial decay, as ``keras.optimizers.schedules.PolynomialDecay``.

    ``(initial_learning_rate - end_learning_rate) * (1 - t / decay_steps) ** power +
    end_learning_rate`` with ``t = min(step, decay_steps)``: from
    ``initial_learning_rate`` at step 0 to ``end_learning_rate`` at ``decay_steps``,
    held after. Equals ``optax.polynomial_schedule(initial_learning_rate,
    end_learning_rate, power, decay_steps)`` for ``step >= 0`` without ``cycle``.

    With ``cycle`` the horizon is the first multiple of ``decay_steps`` at or above
    the step, ``decay_steps * ceil(step / decay_steps)`` (``decay_steps`` at step 0):
    the value at an exact multiple is ``end_learning_rate`` and the decay restarts,
    slower each time, one step later. The multiple is counted with integer
    arithmetic for integer steps.

    Negative steps extrapolate above ``initial_learning_rate``, as in Keras. With
    ``cycle`` and ``-decay_steps < step < 0``, Keras divides by a zero horizon
    (``inf`` or ``NaN``); here the horizon is ``decay_steps`` there, as at step 0,
    which continues the first cycle's curve. For ``step <= -decay_steps`` both
    follow Keras's formula, whose base is then negative (``NaN`` for a fractional
    ``power``).

    Args:
      initial_learning_rate: the value at step 0 (leaf).
      decay_steps: the length of the decay; must be > 0 (leaf).
      end_learning_rate: the value from ``decay_steps`` on (leaf).
      power: the exponent of the polynomial; must be >= 0 (leaf).
      cycle: restart the decay after each multiple of ``decay_steps`` (static).
      name: Keras's name, kept for config compatibility (static).

    Raises:
      ValueError: ``decay_steps <= 0`` or ``power < 0``.
      TypeError: ``cycle`` not a bool.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0)
      >>> print(" ".join(f"{float(s(t)):.4f}" for t in (0, 5, 10, 99)))
      0.1000 0.0325 0.0100 0.0100
    """

    initial_learning_rate: Numeric = leaf()
    decay_steps: Numeric = leaf(check=POSITIVE, count=True)
    end_learning_rate: Numeric = leaf(default=0.0001)
    power: Numeric = leaf(default=1.0, check=NON_NEGATIVE)
    cycle: bool = static(default=False, type=bool)
    name: str | None = static(default="PolynomialDecay", type=_NAME)

    def key_steps(self) -> list[float]:
        if self.cycle:
            return ks.stairs(self.decay_steps)
        return [0.0, ks.number(self.decay_steps)]

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, lr, end, power = leaves_in(
            self.initial_learning_rate, self.end_learning_rate, self.power
        )
        n = jnp.asarray(self.decay_steps, ct)
        if self.cycle:
            q, r, rest = _divmod(step, self.decay_steps, ct)
            ahead = r > 0
            cycles = q + ahead.astype(ct)  # ceil(step / decay_steps)
            first = cycles == 0  # -decay_steps < step <= 0: one decay_steps
            horizon = jnp.where(first, 1, cycles) * n
            # horizon - step: decay_steps - r, exact for integer steps.
            left = jnp.where(first, n - step.astype(ct), jnp.where(ahead, rest, 0))
        else:
            horizon = n
            left = _left(step, self.decay_steps, ct)
        return ((lr - end) * _pow(left / horizon, power) + end).astype(dtype)


def _comparable(bounds: jax.Array, step: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Boundaries and step in one dtype, so that ``step > boundary`` is exact.

    An integer step stays integer (Keras casts the boundaries to the step's dtype):
    integer boundaries are compared as they are, float boundaries as their floor,
    since an integer ``t > b`` exactly when ``t > floor(b)`` (Keras truncates, which
    differs only for negative non-integer boundaries). A float step is compared in
    the common float dtype (at least float32).
    """
    if is_integer(step):
        step = step.astype(wide_int(step.dtype))
        if is_integer(bounds):
            dtype = jax.dtypes.canonicalize_dtype(
                jnp.promote_types(step.dtype, bounds.dtype)
            )
            return bounds.astype(dtype), step.astype(dtype)
        info = jnp.iinfo(step.dtype)
        floor = jnp.floor(bounds)
        high = floor >= float(2 ** (info.bits - 1))
        low = floor < -float(2 ** (info.bits - 1))
        safe = jnp.where(high | low, 0, floor).astype(step.dtype)
        bounds = jnp.where(high, info.max, jnp.where(low, info.min, safe))
        return bounds.astype(step.dtype), step
    dtype = step.dtype
    if not is_integer(bounds):
        dtype = jnp.promote_types(dtype, bounds.dtype)
    dtype = compute_dtype(np.dtype(dtype))
    return bounds.astype(dtype), step.astype(dtype)


class PiecewiseConstantDecay(Schedule):
    """Piecewise constant, as ``keras.optimizers.schedules.PiecewiseConstantDecay``.

    ``values[0]`` for ``step <= boundaries[0]``, ``values[i]`` for ``boundaries[i - 1]
    < step <= boundaries[i]``, and ``values[-1]`` for ``step > boundaries[-1]``: the
    boundary step itself still has the OLD value and the new one starts one step
    later (optax, PyTorch ``MultiStepLR`` and :class:`jaxsched.PiecewiseConstant`
    switch AT the boundary). The values are absolute, not multipliers. The lookup is
    one ``searchsorted``, so the program does not grow with the number of pieces,
    and the boundaries and values are leaves: a sweep may stack schedules with
    different boundaries (the same number of them).

    Differences from Keras: the boundaries must be strictly increasing (Keras does
    not check); the output is a float of the values' dtype (Keras returns
    ``values[0]``'s dtype, an integer for integer values); a float boundary compared
    with an integer step is floored (Keras truncates it, which differs for negative
    non-integer boundaries).

    Args:
      boundaries: strictly increasing step counts, at least one (count leaf, one
        array).
      values: ``len(boundaries) + 1`` values (leaf, one array).
      name: Keras's name, kept for config compatibility (static).

    Raises:
      ValueError: no boundary, boundaries not strictly increasing, or
        ``len(values) != len(boundaries) + 1``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
      >>> print(" ".join(f"{float(s(t)):.1f}" for t in (10, 11, 20, 21)))
      1.0 0.5 0.5 0.1
    """

    boundaries: Numbers = leaf(check=INCREASING, count=True)
    values: Numbers = leaf()
    name: str | None = static(default="PiecewiseConstant", type=_NAME)

    def _check(self) -> None:
        owner = type(self).__name__
        bounds = self._concrete("boundaries")
        values = self._concrete("values")
        for name, array in (("boundaries", bounds), ("values", values)):
            if array is not None and array.ndim == 0:
                raise invalid(owner, name, getattr(self, name), "a sequence of numbers")
        if bounds is not None and bounds.shape[-1] == 0:
            raise invalid(
                owner, "boundaries", self.boundaries, "a non-empty sequence of numbers"
            )
        if bounds is None or values is None:
            return
        if values.shape[-1] != bounds.shape[-1] + 1:
            raise invalid(
                owner,
                "values",
                self.values,
                "one longer than `boundaries`",
                detail=f"{bounds.shape[-1]} boundaries, {values.shape[-1]} values",
            )

    def key_steps(self) -> list[float]:
        return ks.numbers(self.boundaries)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype = value_dtype(self.values)
        values = jnp.asarray(self.values).astype(dtype)
        bounds, step = _comparable(jnp.asarray(self.boundaries), step)
        # after=True: the value of how many boundaries are < step, i.e. the switch
        # comes one step after each boundary.
        return lookup(bounds, values, step, after=True)


def _sum_counts(a: Any, b: Any, ct: Any) -> jax.Array:
    """``a + b`` for two step counts: integer if both are, else ``ct``."""
    a, b = jnp.asarray(a), jnp.asarray(b)
    if is_integer(a) and is_integer(b):
        dtype = jax.dtypes.canonicalize_dtype(jnp.promote_types(a.dtype, b.dtype))
        return a.astype(dtype) + b.astype(dtype)
    return a.astype(ct) + b.astype(ct)


class CosineDecay(Schedule):
    """Cosine decay after an optional warmup, as Keras's ``CosineDecay``.

    Without ``warmup_target`` (``None``): ``initial_learning_rate * ((1 - alpha) *
    0.5 * (1 + cos(pi * t / decay_steps)) + alpha)`` with ``t = min(step,
    decay_steps)``; ``warmup_steps`` is ignored. Negative steps mirror the curve.
    Equals ``optax.cosine_decay_schedule(initial_learning_rate, decay_steps, alpha)``.

    With ``warmup_target = P``: a line from ``initial_learning_rate`` at step 0 to
    ``P`` at ``warmup_steps``, then the cosine decay from ``P`` to ``alpha * P`` over
    ``decay_steps`` MORE steps (``decay_steps`` excludes the warmup, unlike optax's
    ``warmup_cosine_decay_schedule``), held after. Negative steps extend the warmup
    line, as in Keras. With ``warmup_steps=0`` and a negative step Keras divides by
    zero (``inf``/``NaN``); here the decay's mirrored curve continues instead.

    ``warmup_target`` being ``None`` or a number is part of the structure (``None``
    is an empty pytree): schedules with and without a warmup do not stack together;
    a number is a leaf like any other. Computed as ``sin(pi / 2 * left) ** 2`` with
    the exact remaining fraction ``left``, which is the same number without the
    cancellation of ``1 + cos`` near the end of the decay.

    Args:
      initial_learning_rate: the value at step 0 (leaf).
      decay_steps: the length of the cosine decay; must be > 0 (leaf).
      alpha: the final value as a fraction of the decay's start; in [0, 1] (leaf).
      name: Keras's name, kept for config compatibility (static).
      warmup_target: the value at the end of the warmup, or ``None`` for no warmup
        (leaf, or ``None``).
      warmup_steps: the length of the warmup; must be >= 0 (leaf).

    Raises:
      ValueError: ``decay_steps <= 0``, ``alpha`` outside [0, 1], or
        ``warmup_steps < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.CosineDecay(0.0, 100, warmup_target=1.0, warmup_steps=10)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 5, 10, 60, 110)))
      0.000 0.500 1.000 0.500 0.000
    """

    initial_learning_rate: Numeric = leaf()
    decay_steps: Numeric = leaf(check=POSITIVE, count=True)
    alpha: Numeric = leaf(default=0.0, check=UNIT_INTERVAL)
    name: str | None = static(default="CosineDecay", type=_NAME)
    warmup_target: Numeric | None = leaf(default=None, optional=True)
    warmup_steps: Numeric = leaf(default=0, check=NON_NEGATIVE, count=True)

    def key_steps(self) -> list[float]:
        if self.warmup_target is None:
            return [0.0, ks.number(self.decay_steps)]
        w = ks.number(self.warmup_steps)
        return [0.0, w, w + ks.number(self.decay_steps)]

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        target = self.warmup_target
        dtype = value_dtype(self.initial_learning_rate, self.alpha, target)
        ct = compute_dtype(dtype)
        lr = jnp.asarray(self.initial_learning_rate, ct)
        alpha = jnp.asarray(self.alpha, ct)
        n = jnp.asarray(self.decay_steps, ct)
        if target is None:  # static: None is an empty pytree, not a leaf
            left = _left(step, self.decay_steps, ct) / n
            return (lr * ((1 - alpha) * _half_cosine(left) + alpha)).astype(dtype)
        peak = jnp.asarray(target, ct)
        warmup = jnp.asarray(self.warmup_steps, ct)
        t = step.astype(ct)
        ramping = (t < warmup) & (warmup > 0)
        ramp = (peak - lr) * (t / jnp.where(warmup > 0, warmup, 1)) + lr
        end = _sum_counts(self.decay_steps, self.warmup_steps, ct)
        left = _left(step, end, ct) / n
        decayed = peak * ((1 - alpha) * _half_cosine(left) + alpha)
        return jnp.where(ramping, ramp, decayed).astype(dtype)


def _restarts_exact(
    step: jax.Array, first: Any, g: jax.Array, estimate: jax.Array, ct: Any
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Cycle and remaining fraction of SGDR for integer steps, whole lengths.

    With ``step = q * first + r`` (exact) and a whole ``t_mul = g >= 2``, cycle ``k``
    starts at ``first * S(k)`` with the integer ``S(k) = (g**k - 1) / (g - 1)``, so
    the cycle is the largest ``k`` with ``S(k) <= q``: found from the float
    ``estimate`` and corrected with integer comparisons, exact at any step. Returns
    ``(usable, cycle, left)``; ``usable`` is False where this does not apply (a float
    step is handled by the caller; here: negative steps, fractional lengths).
    """
    wide = step.astype(wide_int(step.dtype))
    dtype = wide.dtype
    bits = jnp.iinfo(dtype).bits
    ok_first, whole = whole_divisor(first, dtype)
    ok_g = (g >= 2) & (g == jnp.floor(g)) & (g < 2.0**16)
    gi = jnp.where(ok_g, g, 2).astype(dtype)
    q = _exact_int_floor_div(wide, whole)
    r = wide - q * whole
    log_g = jnp.log(gi.astype(ct))

    # The estimate is off by at most one: the cycle is base, base + 1 or base + 2.
    # S(base) from one integer power (which must fit), the next starts from
    # S(k + 1) = g * S(k) + 1, which fits exactly when S(k) <= (max - 1) // g.
    base = jnp.clip(estimate - 1, 0, bits).astype(dtype)
    power_fits = base.astype(ct) * log_g < (bits - 1) * math.log(2) - 1e-3
    s0 = _exact_int_floor_div(jnp.power(gi, jnp.where(power_fits, base, 0)) - 1, gi - 1)
    cap = _exact_int_floor_div(jnp.asarray(jnp.iinfo(dtype).max - 1, dtype), gi)
    ok1 = s0 <= cap
    s1 = gi * s0 + 1
    ok2 = ok1 & (s1 <= cap)
    s2 = gi * s1 + 1
    ok3 = ok2 & (s2 <= cap)
    past1 = ok1 & (s1 <= q)
    past2 = past1 & ok2 & (s2 <= q)
    k = base + past1.astype(dtype) + past2.astype(dtype)
    following = jnp.where(past2, gi * s2 + 1, jnp.where(past1, s2, s1))  # S(k + 1)
    following_ok = jnp.where(past2, ok3, jnp.where(past1, ok2, ok1))
    # (first * S(k + 1) - step) / (first * g**k), from the exact integer parts
    # S(k + 1) - q - 1 >= 0 and first - r in [1, first]: no cancellation. Where
    # S(k + 1) does not fit the integers (the last cycle of the range), in float.
    beyond = jnp.expm1((k + 1).astype(ct) * log_g) / (gi.astype(ct) - 1)
    cycles_ahead = jnp.where(
        following_ok,
        (following - q - 1).astype(ct),
        beyond - q.astype(ct) - 1,
    )
    ahead = cycles_ahead * whole.astype(ct) + (whole - r).astype(ct)
    left = ahead / (whole.astype(ct) * jnp.exp(k.astype(ct) * log_g))
    usable = ok_first & ok_g & (wide >= 0) & power_fits
    return usable, k.astype(ct), left


class CosineDecayRestarts(Schedule):
    """Cosine decay with warm restarts (SGDR), as Keras's ``CosineDecayRestarts``.

    Cycle ``i`` lasts ``first_decay_steps * t_mul ** i`` steps and decays from
    ``m_mul ** i`` to 0 on a half cosine, rescaled to ``[alpha, 1]``: ``value =
    initial_learning_rate * ((1 - alpha) * m_mul ** i * 0.5 * (1 + cos(pi * f)) +
    alpha)``, ``f`` the fraction of cycle ``i`` done. The floor ``alpha *
    initial_learning_rate`` is not scaled by ``m_mul ** i`` (as in Keras). A restart
    step is the first step of the new cycle.

    ``t_mul == 1`` (equal cycles) or not is decided with ``jnp.where``, so ``t_mul``
    is a leaf that a sweep may vary; the unselected branch stays finite. For integer
    steps, a whole ``first_decay_steps`` and a whole ``t_mul`` (1, 2, 3, ...: every
    restart is then a whole step) the cycle and the position in it are computed with
    integer arithmetic, exact at any step (Keras's float32 ``f - floor(f)`` keeps few
    digits at large steps). Otherwise the cycle comes from Keras's closed form
    ``floor(log(1 - f * (1 - t_mul)) / log(t_mul))`` in floating point, and a step
    within a few ulps (relative, about 2e-6 in float32) of a restart counts as that
    restart. Keras's rounded logarithm misses some exact restarts (``t_mul=10``:
    steps 5, 55 and 5555 for ``first_decay_steps=5``) and gives the end of the
    previous cycle, ``alpha * initial_learning_rate``, instead of the restart's peak.

    Negative steps follow Keras's formula where it is finite, and are ``NaN`` where
    its logarithm is undefined (``step <= -first_decay_steps / (t_mul - 1)``), as in
    Keras. With ``t_mul < 1`` the cycles shrink and their total length is
    ``first_decay_steps / (1 - t_mul)``: from that step on, where Keras gives
    ``NaN``, the value is the floor ``alpha * initial_learning_rate``.

    Args:
      initial_learning_rate: the value at step 0 (leaf).
      first_decay_steps: the length of the first cycle; must be > 0 (leaf).
      t_mul: the factor on the length of each next cycle; must be > 0 (leaf).
      m_mul: the factor on the peak of each next cycle; must be >= 0 (leaf).
      alpha: the floor as a fraction of ``initial_learning_rate``; in [0, 1] (leaf).
      name: Keras's name, kept for config compatibility (static).

    Raises:
      ValueError: ``first_decay_steps <= 0``, ``t_mul <= 0``, ``m_mul < 0``, or
        ``alpha`` outside [0, 1].

    Example:
      >>> import jaxsched
      >>> s = jaxsched.CosineDecayRestarts(1.0, 10, t_mul=2.0, m_mul=0.5, alpha=0.1)
      >>> print(" ".join(f"{float(s(t)):.4f}" for t in (0, 10, 30, 70)))
      1.0000 0.5500 0.3250 0.2125
    """

    initial_learning_rate: Numeric = leaf()
    first_decay_steps: Numeric = leaf(check=POSITIVE, count=True)
    t_mul: Numeric = leaf(default=2.0, check=POSITIVE)
    m_mul: Numeric = leaf(default=1.0, check=NON_NEGATIVE)
    alpha: Numeric = leaf(default=0.0, check=UNIT_INTERVAL)
    name: str | None = static(default="SGDRDecay", type=_NAME)

    def key_steps(self) -> list[float]:
        return ks.geometric_starts(self.first_decay_steps, self.t_mul)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, lr, t_mul, m_mul, alpha = leaves_in(
            self.initial_learning_rate, self.t_mul, self.m_mul, self.alpha
        )
        n = jnp.asarray(self.first_decay_steps, ct)

        # t_mul == 1: cycles of first_decay_steps; exact for integer steps.
        q, _, rest = _divmod(step, self.first_decay_steps, ct)
        even_left = rest / n

        # t_mul != 1: cycle i covers [S(i), S(i + 1)) in units of first_decay_steps,
        # S(i) = (t_mul**i - 1) / (t_mul - 1), computed with expm1 so that it stays
        # accurate for t_mul near 1. The t_mul == 1 members of a sweep compute this
        # branch with t_mul = 2 so that it stays finite.
        equal = t_mul == 1
        g = jnp.where(equal, 2, t_mul)
        log_g = jnp.log(g)
        f = step.astype(ct) / n
        arg = f * (g - 1)  # Keras's log(1 - f * (1 - t_mul)) is log1p(arg)
        inside = arg > -1
        i = jnp.floor(jnp.log1p(jnp.where(inside, arg, 0)) / log_g)
        tol = 16 * jnp.finfo(ct).eps

        def start(k: jax.Array) -> jax.Array:
            return jnp.expm1(k * log_g) / (g - 1)

        def reached(k: jax.Array) -> jax.Array:
            s = start(k)
            return (f >= s - tol * jnp.abs(s)).astype(ct)

        # The rounded logarithm can land one cycle off at an exact restart (Keras's
        # glitch: t_mul=10 at step first_decay_steps gives the previous cycle's
        # end). A step within a few ulps of a restart is that restart.
        i = i + reached(i + 1) - (1 - reached(i))
        geometric_left = (start(i + 1) - f) / jnp.exp(i * log_g)
        if is_integer(step):  # whole lengths: exact cycles at any step
            exact, k, k_left = _restarts_exact(step, self.first_decay_steps, g, i, ct)
            i = jnp.where(exact, k, i)
            geometric_left = jnp.where(exact, k_left, geometric_left)

        i = jnp.where(equal, q, i)
        left = jnp.where(equal, even_left, geometric_left)
        value = lr * ((1 - alpha) * _pow(m_mul, i) * _half_cosine(left) + alpha)
        ended = ~equal & ~inside & (f > 0)  # t_mul < 1, past the sum of all cycles
        value = jnp.where(ended, lr * alpha, value)
        return jnp.where(equal | inside | ended, value, jnp.nan).astype(dtype)
