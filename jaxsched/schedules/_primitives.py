"""The primitive schedules behind optax's factories: optax's values, as pytrees.

Each class gives the values of the optax schedule it mirrors for every step ``>= 0``.
Where optax decides in Python from a hyperparameter's value (``transition_steps <= 0``
makes a constant, a negative ``transition_begin`` counts as 0, ``decay_rate < 1``
picks the clip direction), these classes decide with ``jnp.where``, so the value may
be a tracer or a batch of a stacked sweep.
"""

from __future__ import annotations

import math
from typing import Any, cast

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numbers, Numeric, leaf, static
from jaxsched.core._math import (
    as_step,
    compute_dtype,
    floor_div,
    leaves_in,
    safe_div,
    value_dtype,
)
from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import (
    INCREASING,
    NON_DECREASING,
    NON_NEGATIVE,
    POSITIVE,
    invalid,
)
from jaxsched.schedules._join import (
    _COMPARE_ALL_MAX,
    active_piece,
    align_step,
    lookup,
)

__all__ = [
    "Constant",
    "Cosine",
    "Exponential",
    "Linear",
    "PiecewiseConstant",
    "PiecewiseInterpolate",
    "Polynomial",
]


def _ramp(step: jax.Array, begin: Any, steps: Any, ct: Any):
    """``clip(step - max(begin, 0), 0, T) / T``, and 0 where ``T <= 0``.

    The fraction of a transition of ``steps`` steps that starts at ``begin`` (a
    negative begin counts as 0, as in optax). Where ``steps <= 0`` the fraction is 0
    (and the caller holds its initial value): the "double where" keeps that member
    of a sweep from putting NaN into values or gradients.
    """
    step, begin = align_step(step, begin)
    elapsed = (step - jnp.maximum(begin, jnp.zeros_like(begin))).astype(ct)
    n = jnp.asarray(steps, ct)
    positive = n > 0
    n = jnp.where(positive, n, 1)
    return jnp.where(positive, jnp.clip(elapsed, 0, n) / n, 0)


def _remaining(step: jax.Array, begin: Any, steps: Any, ct: Any):
    """``(T - clip(step - max(begin, 0), 0, T)) / T``, and 1 where ``T <= 0``.

    The fraction of the transition still to go, ``1 - _ramp(...)`` computed so that
    it is exactly 0 at and after the end: XLA turns ``c / T`` into ``c * (1 / T)``
    under ``jit``, so ``1 - c / T`` leaves about 1e-9 at ``c == T`` (and a power
    below 1 magnifies it: ``1e-9 ** 0.1 = 0.125``), while ``T - T`` is exactly 0.
    """
    step, begin = align_step(step, begin)
    elapsed = (step - jnp.maximum(begin, jnp.zeros_like(begin))).astype(ct)
    n = jnp.asarray(steps, ct)
    positive = n > 0
    n = jnp.where(positive, n, 1)
    done = jnp.clip(elapsed, 0, n)
    # Exactly 1 at the start too (``n * (1 / n)`` under jit may be 1 - 2**-24).
    return jnp.where(positive & (done > 0), (n - done) / n, 1)


def _safe_pow(base: jax.Array, exponent: jax.Array) -> jax.Array:
    """``base ** exponent`` for ``base >= 0`` whose gradients stay finite at 0."""
    positive = base > 0
    at_zero = jnp.power(jnp.zeros((), base.dtype), exponent)
    return jnp.where(
        positive, jnp.power(jnp.where(positive, base, 1), exponent), at_zero
    )


def _identity_power(base: jax.Array, _: jax.Array) -> jax.Array:
    return base


def _square_power(base: jax.Array, _: jax.Array) -> jax.Array:
    return base * base


# Module-level branches: eager ``switch`` caches its compiled program per function
# object, so branches made anew at each call would recompile at every eager call.
_POWER_BRANCHES = (_identity_power, _square_power, _safe_pow)


@jax.custom_jvp
def _power(base: jax.Array, exponent: jax.Array) -> jax.Array:
    """:func:`_safe_pow` that skips the ``pow`` when the (scalar) exponent is 1 or 2.

    ``pow`` with a run-time exponent costs a ``log`` and an ``exp`` per element,
    while optax's closures usually see a constant exponent that XLA folds away; the
    ``switch`` keeps the common exponents 1 and 2 as fast. Derivatives are those of
    :func:`_safe_pow` (so ``d/d exponent`` is right at 1 and 2 too).
    """
    branch = jnp.where(exponent == 1, 0, jnp.where(exponent == 2, 1, 2))
    return jax.lax.switch(branch, _POWER_BRANCHES, base, exponent)


@_power.defjvp
def _power_jvp(primals: Any, tangents: Any) -> Any:
    return jax.jvp(_safe_pow, primals, tangents)


class Constant(Schedule):
    """A constant, as ``optax.constant_schedule``: ``value`` at every step.

    Args:
      value: the value (leaf).

    Returns:
      ``schedule(step)`` is ``value`` broadcast to the shape of ``step``, of the
      dtype of ``value`` (float32 for Python numbers).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Constant(0.1)
      >>> print(f"{float(s(0)):.2f} {float(s(10**9)):.2f}")
      0.10 0.10
    """

    value: Numeric = leaf()

    def key_steps(self) -> list[float] | tuple[()]:
        return ()

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype = value_dtype(self.value)
        return jnp.broadcast_to(jnp.asarray(self.value, dtype), step.shape)


def _transition_key_steps(self: Linear | Polynomial) -> list[float]:
    return ks.begin_end(self.transition_begin, self.transition_steps)


class Linear(Schedule):
    """A linear ramp, as ``optax.linear_schedule``.

    ``init_value + (end_value - init_value) * c / transition_steps`` with
    ``c = clip(step - transition_begin, 0, transition_steps)``: ``init_value``
    before ``transition_begin`` (negative steps included), ``end_value`` from
    ``transition_begin + transition_steps`` on. As in optax, ``transition_steps <=
    0`` holds ``init_value`` forever and a negative ``transition_begin`` counts as 0;
    both are decided with ``jnp.where``, so they can vary within a stacked sweep.

    Args:
      init_value: the value up to ``transition_begin`` (leaf).
      end_value: the value from ``transition_begin + transition_steps`` on (leaf).
      transition_steps: the length of the ramp (count leaf).
      transition_begin: the step where the ramp starts (count leaf).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Linear(0.0, 1.0, transition_steps=10, transition_begin=5)
      >>> print(f"{float(s(5)):.2f} {float(s(10)):.2f} {float(s(20)):.2f}")
      0.00 0.50 1.00
    """

    init_value: Numeric = leaf()
    end_value: Numeric = leaf()
    transition_steps: Numeric = leaf(count=True)
    transition_begin: Numeric = leaf(default=0, count=True)

    key_steps = _transition_key_steps

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, init, end = leaves_in(self.init_value, self.end_value)
        frac = _ramp(step, self.transition_begin, self.transition_steps, ct)
        left = _remaining(step, self.transition_begin, self.transition_steps, ct)
        # From the nearer end: exact at both ends, no cancellation next to either.
        value = jnp.where(
            frac < 0.5, init + (end - init) * frac, end + (init - end) * left
        )
        return value.astype(dtype)


class Polynomial(Schedule):
    """A polynomial transition, as ``optax.polynomial_schedule``.

    ``(init_value - end_value) * (1 - c / transition_steps) ** power + end_value``
    with ``c = clip(step - transition_begin, 0, transition_steps)``: ``init_value``
    before ``transition_begin`` (negative steps included), ``end_value`` from
    ``transition_begin + transition_steps`` on. As in optax, ``transition_steps <=
    0`` holds ``init_value`` forever and a negative ``transition_begin`` counts as 0
    (decided with ``jnp.where``, so both can vary within a stacked sweep).

    Args:
      init_value, end_value, transition_steps, transition_begin: as in
        :class:`Linear`, with its errors (the ramp is the transition).
      power: the exponent of the transition; 1 is linear (leaf).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Polynomial(1.0, 0.0, power=2, transition_steps=10)
      >>> print(f"{float(s(0)):.2f} {float(s(5)):.2f} {float(s(10)):.2f}")
      1.00 0.25 0.00
    """

    init_value: Numeric = leaf()
    end_value: Numeric = leaf()
    power: Numeric = leaf()
    transition_steps: Numeric = leaf(count=True)
    transition_begin: Numeric = leaf(default=0, count=True)

    key_steps = _transition_key_steps

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, init, end, power = leaves_in(
            self.init_value, self.end_value, self.power
        )
        left = _remaining(step, self.transition_begin, self.transition_steps, ct)
        return ((init - end) * _power(left, power) + end).astype(dtype)


class Exponential(Schedule):
    """Exponential decay (or growth), as ``optax.exponential_decay``.

    With ``d = step - transition_begin`` and ``p = d / transition_steps`` (floored
    when ``staircase``, with integer arithmetic for integer steps, so exact past
    2**24): ``init_value`` where ``d <= 0`` (negative steps included), else
    ``init_value * decay_rate ** p``. When ``bounded``, ``end_value`` is a floor if
    ``decay_rate < 1`` and a ceiling otherwise.

    As in optax, ``transition_steps <= 0`` or ``decay_rate == 0`` hold
    ``init_value`` forever (unbounded), and a negative ``transition_begin`` counts
    as 0. Unlike optax, these are decided with ``jnp.where``, so ``decay_rate`` and
    the step counts can vary within a stacked sweep.

    optax's ``end_value=None`` is ``bounded=False``: a leaf cannot be ``None`` and
    still serialize, so the bound is a leaf that counts only when ``bounded``.

    Args:
      init_value: the value up to ``transition_begin`` (leaf).
      transition_steps: steps per factor of ``decay_rate`` (count leaf).
      decay_rate: the factor per ``transition_steps``; must be >= 0 (leaf).
      transition_begin: the step where the decay starts (count leaf).
      staircase: decay in discrete steps (static).
      end_value: the bound, used only when ``bounded`` (leaf).
      bounded: clip at ``end_value`` (static).

    Raises:
      ValueError: ``decay_rate < 0``, or a non-zero ``end_value`` without
        ``bounded=True``.
      TypeError: ``staircase``/``bounded`` not a bool.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Exponential(1.0, 10, 0.5, end_value=0.3, bounded=True)
      >>> print(f"{float(s(0)):.2f} {float(s(10)):.2f} {float(s(30)):.2f}")
      1.00 0.50 0.30
    """

    init_value: Numeric = leaf()
    transition_steps: Numeric = leaf(count=True)
    decay_rate: Numeric = leaf(check=NON_NEGATIVE)
    transition_begin: Numeric = leaf(default=0, count=True)
    staircase: bool = static(default=False, type=bool)
    end_value: Numeric = leaf(default=0.0)
    bounded: bool = static(default=False, type=bool)

    def _check(self) -> None:
        end = self._concrete("end_value")
        if not self.bounded and end is not None and bool(np.any(end != 0)):
            raise self._invalid(
                "end_value",
                "0 unless bounded=True",
                detail="pass bounded=True to bound the decay at end_value",
            )

    def key_steps(self) -> list[float]:
        out = ks.begin_end(self.transition_begin, self.transition_steps)
        b, n = out[0], ks.number(self.transition_steps)
        if self.staircase and n > 0:
            out += ks.stairs(n, b)
        rate, init = ks.number(self.decay_rate), ks.number(self.init_value)
        bounded = self.bounded and self.end_value is not None
        if bounded and n > 0 and rate > 0 and rate != 1:
            ratio = ks.number(self.end_value) / init if init else 0.0
            if ratio > 0:  # where the decay is clipped
                out.append(b + n * math.log(ratio) / math.log(rate))
        return out

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        values = (self.init_value, self.decay_rate)
        dtype = value_dtype(*values, *((self.end_value,) if self.bounded else ()))
        ct = compute_dtype(dtype)
        init = jnp.asarray(self.init_value, ct)
        rate = jnp.asarray(self.decay_rate, ct)
        n = jnp.asarray(self.transition_steps)
        step, begin = align_step(step, self.transition_begin)
        elapsed = step - jnp.maximum(begin, jnp.zeros_like(begin))
        decaying = (n > 0) & (rate != 0)
        n = jnp.where(n > 0, n, jnp.ones_like(n))
        positive = rate > 0
        log_rate = jnp.log(jnp.where(positive, rate, 1))
        if self.staircase:
            exponent = floor_div(elapsed, n, ct) * log_rate
        else:
            exponent = elapsed.astype(ct) * (log_rate / n.astype(ct))
        value = jnp.where(elapsed <= 0, init, init * jnp.exp(exponent))
        if self.bounded:
            end = jnp.asarray(self.end_value, ct)
            value = jnp.where(
                rate < 1, jnp.maximum(value, end), jnp.minimum(value, end)
            )
        return jnp.where(decaying, value, init).astype(dtype)


#: sin(x) / x - 1 == x**2 * P(x**2) on [-pi/2, pi/2]: P's coefficients, lowest first
#: (a least-squares fit of the relative error on Chebyshev nodes, rounded to
#: float32; the first two are Taylor's -1/6 and 1/120 to float32's digits).
_SIN_COEFFICIENTS = (
    -0.1666666716337204,
    0.008333333767950535,
    -0.00019841267203446478,
    2.755699824774638e-06,
    -2.5032052874962574e-08,
    1.5436774081223348e-10,
)


def sin_quarter_turn(x: jax.Array) -> jax.Array:
    """``sin(x)`` for ``|x| <= pi / 2`` (an argument already reduced exactly).

    In float32 an odd polynomial of degree 13 (within 2 ulp of the float64 sine on
    the whole range, exactly 0 at 0): XLA's ``sin`` reduces any float argument
    first and, on CPUs, is most of a cosine schedule's time (a 10-million-step
    ``warmup_cosine_decay_schedule`` ran at 0.8x optax with it, at about 1.8x with
    this). Other dtypes take ``jnp.sin``.
    """
    if x.dtype != np.float32:
        return jnp.sin(x)
    x2 = x * x
    poly = jnp.asarray(_SIN_COEFFICIENTS[-1], x.dtype)
    for c in _SIN_COEFFICIENTS[-2::-1]:
        poly = poly * x2 + c
    return x + x * (x2 * poly)


class Cosine(Schedule):
    """Cosine decay, as ``optax.cosine_decay_schedule``.

    ``init_value * ((1 - alpha) * f ** exponent + alpha)`` with ``f = (1 + cos(pi *
    min(step, decay_steps) / decay_steps)) / 2``: from ``init_value`` at step 0 to
    ``alpha * init_value`` at ``decay_steps`` and after. As in optax, negative steps
    are not clamped (the cosine is even: ``s(-k) == s(k)`` for ``k <=
    decay_steps``).

    Args:
      init_value: the value at step 0 (leaf).
      decay_steps: the length of the decay; must be > 0 (count leaf).
      alpha: the final value as a fraction of ``init_value`` (leaf).
      exponent: the power of the cosine factor (leaf).

    Raises:
      ValueError: ``decay_steps <= 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Cosine(1.0, decay_steps=10, alpha=0.1)
      >>> print(f"{float(s(0)):.2f} {float(s(5)):.2f} {float(s(20)):.2f}")
      1.00 0.55 0.10
    """

    init_value: Numeric = leaf()
    decay_steps: Numeric = leaf(check=POSITIVE, count=True)
    alpha: Numeric = leaf(default=0.0)
    exponent: Numeric = leaf(default=1.0)

    def key_steps(self) -> list[float]:
        return [0.0, ks.number(self.decay_steps)]

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, init, alpha, exponent = leaves_in(
            self.init_value, self.alpha, self.exponent
        )
        n = jnp.asarray(self.decay_steps, ct)
        n = jnp.where(n > 0, n, 1)
        # (1 + cos(pi * c / n)) / 2 == sin(pi / 2 * m / n) ** 2 with m = n - c, of
        # period 2n in m (optax's even extension to negative steps): m reduced to
        # [-n, n] exactly, so the factor is exactly 0 at the end (and at c = -n), with
        # no ``1 + cos`` cancellation and no reciprocal-multiply residue under jit.
        m = n - jnp.minimum(step.astype(ct), n)
        m = m - 2 * n * jnp.round(m / (2 * n))
        half = sin_quarter_turn(m / n * (np.pi / 2))
        factor = jnp.where(m == n, 1, jnp.square(half))
        decayed = (1 - alpha) * _power(factor, exponent) + alpha
        return (init * decayed).astype(dtype)


class PiecewiseConstant(Schedule):
    """Piecewise constant values, switching AT each boundary.

    ``values[i]`` for ``boundaries[i - 1] <= step < boundaries[i]``: ``values[0]``
    before the first boundary (negative steps included), ``values[-1]`` from the
    last one on. The values are absolute (``optax.piecewise_constant_schedule``'s
    cumulative scales become ``init_value * cumprod(scales)``; see
    :func:`jaxsched.piecewise_constant_schedule`). The lookup is one
    ``searchsorted``, so the program does not grow with the number of pieces.

    Args:
      boundaries: strictly increasing step counts (count leaf, one array).
      values: ``len(boundaries) + 1`` values (leaf, one array).

    Raises:
      ValueError: boundaries not strictly increasing or a length mismatch.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.PiecewiseConstant([10, 20], [1.0, 0.1, 0.01])
      >>> print(f"{float(s(9)):.2f} {float(s(10)):.2f} {float(s(25)):.2f}")
      1.00 0.10 0.01
    """

    boundaries: Numbers = leaf(check=INCREASING, count=True)
    values: Numbers = leaf()

    def _check(self) -> None:
        _check_lengths(self, extra=1)

    def key_steps(self) -> list[float]:
        return ks.numbers(self.boundaries)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, _, values = leaves_in(self.values)
        step, bounds = align_step(step, self.boundaries)
        return lookup(bounds, values, step).astype(dtype)


class PiecewiseInterpolate(Schedule):
    """Interpolation between knots, as ``optax.piecewise_interpolate_schedule``.

    Between knots ``(boundaries[k], values[k])`` and ``(boundaries[k + 1],
    values[k + 1])``, with ``pct = (step - boundaries[k]) / (boundaries[k + 1] -
    boundaries[k])``:

    - ``"linear"``: ``values[k] + (values[k + 1] - values[k]) * pct``;
    - ``"cosine"``: ``values[k + 1] + (values[k] - values[k + 1]) / 2 * (cos(pi *
      pct) + 1)``.

    ``values[-1]`` from the last knot on. Repeated boundaries make a jump (the later
    value holds from that step). Before the first knot the first value holds;
    optax, whose first knot is always 0, returns 0.0 for negative steps instead.

    Args:
      boundaries: non-decreasing knot positions (count leaf, one array).
      values: the values at the knots, as many as boundaries (leaf, one array).
      interpolate_type: ``"linear"`` or ``"cosine"`` (static).

    Raises:
      ValueError: decreasing boundaries, a length mismatch, no knot, or an unknown
        ``interpolate_type``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.PiecewiseInterpolate([0, 10, 20], [0.0, 1.0, 0.5])
      >>> print(f"{float(s(5)):.2f} {float(s(15)):.2f} {float(s(30)):.2f}")
      0.50 0.75 0.50
    """

    boundaries: Numbers = leaf(check=NON_DECREASING, count=True)
    values: Numbers = leaf()
    interpolate_type: str = static(
        default="linear", type=str, choices=("linear", "cosine")
    )

    def _check(self) -> None:
        _check_lengths(self, extra=0)

    def key_steps(self) -> list[float]:
        return ks.numbers(self.boundaries)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, values = leaves_in(self.values)
        step, bounds = align_step(step, self.boundaries)
        start, end, v0, v1 = _knots(bounds, values, step)
        pct = safe_div((step - start).astype(ct), (end - start).astype(ct))
        if self.interpolate_type == "linear":
            value = v0 + (v1 - v0) * pct
        else:
            value = v1 + (v0 - v1) / 2 * (jnp.cos(jnp.pi * pct) + 1)
        return value.astype(dtype)


def _knots(
    bounds: jax.Array, values: jax.Array, step: jax.Array
) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """The knots around ``step``: ``bounds[lo], bounds[hi], values[lo], values[hi]``.

    ``hi`` is the number of knots ``<= step`` and ``lo = hi - 1``, both clipped to
    the table. Small tables (up to :data:`_COMPARE_ALL_MAX` + 1 knots) select with
    one chain of ``where`` (it vectorizes on CPUs, a gather does not); larger ones
    gather at a ``searchsorted`` index, so the program does not grow with the table.
    """
    n = bounds.shape[-1]
    if n > _COMPARE_ALL_MAX + 1:
        k = active_piece(bounds, step) - 1
        lo = jnp.clip(k, 0, n - 1)
        hi = jnp.clip(k + 1, 0, n - 1)
        return bounds[lo], bounds[hi], values[lo], values[hi]
    start = end = jnp.broadcast_to(bounds[0], step.shape)
    v0 = v1 = jnp.broadcast_to(values[0], step.shape)
    for i in range(n):
        passed = step >= bounds[i]
        if i >= 1:
            start = jnp.where(passed, bounds[i], start)
            v0 = jnp.where(passed, values[i], v0)
        if i < n - 1:
            end = jnp.where(passed, bounds[i + 1], end)
            v1 = jnp.where(passed, values[i + 1], v1)
    return start, end, v0, v1


def _check_lengths(schedule: Schedule, extra: int) -> None:
    """``len(values) == len(boundaries) + extra``, both 1-D, at least one value."""
    owner = type(schedule).__name__
    bounds = schedule._concrete("boundaries")
    values = schedule._concrete("values")
    for name, array in (("boundaries", bounds), ("values", values)):
        if array is not None and array.ndim == 0:
            value = getattr(schedule, name)
            raise invalid(owner, name, value, "a sequence of numbers")
    if bounds is None or values is None:
        return
    if values.shape[-1] != bounds.shape[-1] + extra or values.shape[-1] == 0:
        expected = "one more than the boundaries" if extra else "one per boundary"
        raise invalid(
            owner,
            "values",
            cast(Any, schedule).values,
            expected + " (and at least one)",
            detail=f"{bounds.shape[-1]} boundaries, {values.shape[-1]} values",
        )
