"""Combinators: schedules made of schedules (warmup, arithmetic, clip, shift, repeat).

A combinator is a schedule like any other: a frozen dataclass pytree whose nested
schedules are subtrees and whose numbers are leaves. A composite therefore jits with
the schedule as an argument (changing a number does not recompile), stacks into a
sweep for ``vmap``, differentiates with respect to its numbers, and round-trips
through ``to_dict()`` / ``from_dict()`` as nested dicts. The arithmetic operators of
:class:`~jaxsched.Schedule` build them: ``0.5 * s`` is ``Scale(s, 0.5)``, ``s1 + s2``
is ``Sum(s1, s2)``, ``s - 0.1`` is ``Offset(s, -0.1)``, ``s / 4`` is
``Quotient(s, 4)``.

Local steps: ``Warmup``, ``Shift`` and ``Repeat`` hand their schedule a moved step.
With an integer step and an integer step count (``warmup_steps=100``) the local step
is an integer, computed with integer arithmetic that saturates at the dtype's limits
instead of wrapping, so it is exact at any step (2**31 - 1 included). A float count
(``100.0``) gives a float local step; its whole part is still subtracted in integer
arithmetic, so it is exact while the local step is below 2**24 (float32).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._core import _REGISTRY, Schedule, _config_value, child, leaf, static
from ._math import (
    as_step,
    compute_dtype,
    default_float,
    floor_divmod,
    is_integer,
    safe_div,
    value_dtype,
    whole_divisor,
    wide_int,
)
from ._validation import NON_NEGATIVE, POSITIVE, Check, describe, invalid

__all__ = [
    "Clip",
    "Difference",
    "Lambda",
    "Maximum",
    "Minimum",
    "Offset",
    "Product",
    "Quotient",
    "Repeat",
    "Scale",
    "Shift",
    "Sum",
    "Warmup",
    "add",
    "divide",
    "multiply",
    "subtract",
]

NON_ZERO = Check("!= 0", lambda a: a != 0)

#: With ``shape="exponential"`` and ``init_value <= 0``, the geometric warmup starts
#: at this fraction of its target (a geometric ramp cannot start at 0).
EXPONENTIAL_WARMUP_FLOOR = 1e-3


# --------------------------------------------------------------------- local steps


def _float_for(step: jax.Array) -> np.dtype:
    """The float dtype of a float local step: the step's (at least float32)."""
    if is_integer(step):
        return compute_dtype(default_float())
    return compute_dtype(step.dtype)


def _saturating_sub(a: jax.Array, b: jax.Array) -> jax.Array:
    """``a - b`` for signed integers of one dtype, saturating instead of wrapping."""
    info = jnp.iinfo(a.dtype)
    low = jnp.where(b > 0, info.min + b, info.min)  # the unselected sums may wrap:
    high = jnp.where(b < 0, info.max + b, info.max)  # they are never used
    return jnp.clip(a, low, high) - b


def _local_step(step: jax.Array, offset: Any) -> jax.Array:
    """``step - offset``: integer (and saturating) for an integer step and offset.

    A float step gives a float result. An integer step with a float offset subtracts
    the offset's whole part with integer arithmetic and its fraction in floating
    point, so the result is exact wherever the float can hold it.
    """
    offset = jnp.asarray(offset)
    if not is_integer(step):
        ft = _float_for(step)
        return step.astype(ft) - offset.astype(ft)
    wide = wide_int(step.dtype)
    step = step.astype(wide)
    if is_integer(offset):
        return _saturating_sub(step, offset.astype(wide))
    ft = _float_for(step)
    offset = offset.astype(ft)
    info = jnp.iinfo(wide)
    whole = jnp.floor(offset)
    whole_int = jnp.clip(whole, float(info.min), float(info.max)).astype(wide)
    return _saturating_sub(step, whole_int).astype(ft) - (offset - whole)


def _cycle(step: jax.Array, period: Any) -> tuple[jax.Array, jax.Array]:
    """``(max(floor(step / period), 0), step - that * period)``.

    Integer arithmetic (exact over the whole range) for an integer step with an
    integer period, or with a float period that holds a whole number; floating point
    otherwise. Negative steps stay in cycle 0 with their own (negative) local step.
    """
    period = jnp.asarray(period)
    if not is_integer(step):
        ft = _float_for(step)
        s, p = step.astype(ft), period.astype(ft)
        count = jnp.maximum(jnp.floor(s / p), 0)
        return count, s - count * p
    wide = wide_int(step.dtype)
    s = step.astype(wide)
    if is_integer(period):  # > 0 is validated; floor_divmod guards placeholders
        count, local = floor_divmod(s, period, wide)
        return jnp.maximum(count, 0), jnp.where(count < 0, s, local)
    ft = _float_for(step)
    pf = period.astype(ft)
    usable, p = whole_divisor(pf, wide)
    count_int = jnp.maximum(floor_divmod(s, p, wide)[0], 0)
    # Exact integer value; the zero term carries d local / d period = -count.
    exact = (s - count_int * p).astype(ft) - count_int.astype(ft) * (
        pf - jax.lax.stop_gradient(pf)
    )
    sf = s.astype(ft)
    count_f = jnp.maximum(jnp.floor(sf / pf), 0)
    count = jnp.where(usable, count_int.astype(ft), count_f)
    return count, jnp.where(usable, exact, sf - count_f * pf)


def _log_factor(rate: jax.Array, ct: Any) -> jax.Array:
    """``log(rate)``, with the largest finite negative slope for ``rate == 0``.

    ``exp(k * _log_factor(rate))`` is ``rate ** k`` with ``0 ** 0 == 1`` and finite
    gradients at ``rate == 0`` (the "double where").
    """
    positive = rate > 0
    return jnp.where(
        positive, jnp.log(jnp.where(positive, rate, 1)), -jnp.finfo(ct).max
    )


def _binary(
    left: Schedule, right: Schedule, step: Any, op: Callable[[Any, Any], Any]
) -> jax.Array:
    step = as_step(step)
    a, b = left(step), right(step)
    dtype = value_dtype(a, b)
    ct = compute_dtype(dtype)
    return op(a.astype(ct), b.astype(ct)).astype(dtype)


def _with_number(
    schedule: Schedule, number: Any, step: Any, op: Callable[[Any, Any], Any]
) -> jax.Array:
    inner = schedule(as_step(step))
    dtype = value_dtype(inner, number)
    ct = compute_dtype(dtype)
    return op(inner.astype(ct), jnp.asarray(number, ct)).astype(dtype)


def _require_children(self: Schedule) -> None:
    """The ``_check`` of the combinators: every nested schedule is present.

    The core accepts ``None`` for a nested schedule (a placeholder); a combinator
    built for use needs all of them, so ``None`` is refused here.
    """
    for field in dataclasses.fields(self):
        if (
            field.metadata.get("kind") == "schedule"
            and getattr(self, field.name) is None
        ):
            raise invalid(
                type(self).__name__, field.name, None, "a jaxsched Schedule", TypeError
            )


# ---------------------------------------------------------------------- arithmetic


class Sum(Schedule):
    """The sum of two schedules: ``left(step) + right(step)`` (``s1 + s2``).

    Args:
      left: a schedule (child).
      right: a schedule (child).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the two values.

    Raises:
      TypeError: an argument that is not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Constant(0.1) + jaxsched.ExponentialDecay(0.2, 10, 0.5)
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Sum 0.300 0.200
    """

    left: Schedule = child()
    right: Schedule = child()

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        return _binary(self.left, self.right, step, jnp.add)


class Difference(Schedule):
    """The difference of two schedules: ``left(step) - right(step)`` (``s1 - s2``).

    Args:
      left: a schedule (child).
      right: a schedule (child).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the two values.

    Raises:
      TypeError: an argument that is not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Constant(0.5) - jaxsched.ExponentialDecay(0.2, 10, 0.5)
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Difference 0.300 0.400
    """

    left: Schedule = child()
    right: Schedule = child()

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        return _binary(self.left, self.right, step, jnp.subtract)


class Product(Schedule):
    """The product of two schedules: ``left(step) * right(step)`` (``s1 * s2``).

    Useful for a multiplier schedule applied to a base schedule, as PyTorch's
    ``ChainedScheduler`` does for multiplicative schedulers.

    Args:
      left: a schedule (child).
      right: a schedule (child).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the two values.

    Raises:
      TypeError: an argument that is not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Constant(0.5) * jaxsched.ExponentialDecay(0.2, 10, 0.5)
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Product 0.100 0.050
    """

    left: Schedule = child()
    right: Schedule = child()

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        return _binary(self.left, self.right, step, jnp.multiply)


class Scale(Schedule):
    """A schedule times a number: ``factor * schedule(step)`` (``c * s``, ``s * c``).

    ``-s`` is ``Scale(s, -1.0)``. The factor is a leaf: it can be swept, traced and
    differentiated.

    Args:
      schedule: the schedule (child).
      factor: the multiplier (leaf).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the schedule's values and ``factor``.

    Raises:
      ValueError: a non-finite factor.
      TypeError: a non-numeric factor, or ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = 0.5 * jaxsched.ExponentialDecay(0.2, 10, 0.5)
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Scale 0.100 0.050
    """

    schedule: Schedule = child()
    factor: Any = leaf()

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        return _with_number(self.schedule, self.factor, step, jnp.multiply)


class Offset(Schedule):
    """A schedule plus a number: ``schedule(step) + value`` (``s + c``, ``s - c``).

    ``s - c`` is ``Offset(s, -c)``; ``c - s`` is ``Offset(Scale(s, -1.0), c)``.

    Args:
      schedule: the schedule (child).
      value: the number added (leaf).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the schedule's values and ``value``.

    Raises:
      ValueError: a non-finite value.
      TypeError: a non-numeric value, or ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ExponentialDecay(0.2, 10, 0.5) + 0.01
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Offset 0.210 0.110
    """

    schedule: Schedule = child()
    value: Any = leaf()

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        return _with_number(self.schedule, self.value, step, jnp.add)


class Quotient(Schedule):
    """A schedule divided by a number: ``schedule(step) / divisor`` (``s / c``).

    Args:
      schedule: the schedule (child).
      divisor: the number to divide by; must be != 0 (leaf).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the schedule's values and ``divisor``.

    Raises:
      ValueError: ``divisor == 0`` or a non-finite divisor.
      TypeError: a non-numeric divisor, or ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ExponentialDecay(0.2, 10, 0.5) / 4
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Quotient 0.050 0.025
    """

    schedule: Schedule = child()
    divisor: Any = leaf(check=NON_ZERO)

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        return _with_number(self.schedule, self.divisor, step, jnp.divide)


def _is_number(value: Any) -> bool:
    """A real number or numeric array (Python, NumPy, JAX, tracers); never a bool."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    if isinstance(value, (np.ndarray, jax.Array)):
        dtype = np.dtype(value.dtype)
        return dtype.kind in "iuf" or dtype.name == "bfloat16"
    return False


def add(a: Any, b: Any) -> Any:
    """``a + b`` where either may be a number: ``Sum`` or ``Offset``."""
    if isinstance(a, Schedule) and isinstance(b, Schedule):
        return Sum(a, b)
    if isinstance(a, Schedule) and _is_number(b):
        return Offset(a, b)
    if _is_number(a) and isinstance(b, Schedule):
        return Offset(b, a)
    return NotImplemented


def subtract(a: Any, b: Any) -> Any:
    """``a - b``: ``Difference``, ``Offset(a, -b)`` or ``Offset(Scale(b, -1.0), a)``."""
    if isinstance(a, Schedule) and isinstance(b, Schedule):
        return Difference(a, b)
    if isinstance(a, Schedule) and _is_number(b):
        return Offset(a, -b)
    if _is_number(a) and isinstance(b, Schedule):
        return Offset(Scale(b, -1.0), a)
    return NotImplemented


def multiply(a: Any, b: Any) -> Any:
    """``a * b`` where either may be a number: ``Product`` or ``Scale``."""
    if isinstance(a, Schedule) and isinstance(b, Schedule):
        return Product(a, b)
    if isinstance(a, Schedule) and _is_number(b):
        return Scale(a, b)
    if _is_number(a) and isinstance(b, Schedule):
        return Scale(b, a)
    return NotImplemented


def divide(a: Any, b: Any) -> Any:
    """``schedule / number``: ``Quotient``. Dividing by a schedule is not supported."""
    if isinstance(a, Schedule) and _is_number(b):
        return Quotient(a, b)
    if isinstance(a, Schedule) and isinstance(b, Schedule):
        raise TypeError(
            f"cannot divide {type(a).__name__} by {type(b).__name__}: a schedule "
            "can be divided by a number (Quotient), not by another schedule"
        )
    return NotImplemented


# --------------------------------------------------------------- min, max and clip


class Minimum(Schedule):
    """The elementwise minimum of two schedules: ``min(left(step), right(step))``.

    Args:
      left: a schedule (child).
      right: a schedule (child).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the two values.

    Raises:
      TypeError: an argument that is not a jaxsched schedule (use :class:`Clip` to
        bound a schedule by a number).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Minimum(
      ...     jaxsched.Constant(0.08), jaxsched.ExponentialDecay(0.1, 10, 0.5))
      >>> print(f"{float(s(0)):.3f} {float(s(10)):.3f}")
      0.080 0.050
    """

    left: Schedule = child()
    right: Schedule = child()

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        return _binary(self.left, self.right, step, jnp.minimum)


class Maximum(Schedule):
    """The elementwise maximum of two schedules: ``max(left(step), right(step))``.

    Args:
      left: a schedule (child).
      right: a schedule (child).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the two values.

    Raises:
      TypeError: an argument that is not a jaxsched schedule (use :class:`Clip` to
        bound a schedule by a number).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Maximum(
      ...     jaxsched.Constant(0.08), jaxsched.ExponentialDecay(0.1, 10, 0.5))
      >>> print(f"{float(s(0)):.3f} {float(s(10)):.3f}")
      0.100 0.080
    """

    left: Schedule = child()
    right: Schedule = child()

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        return _binary(self.left, self.right, step, jnp.maximum)


class Clip(Schedule):
    """A schedule bounded by numbers: ``clip(schedule(step), minimum, maximum)``.

    ``None`` leaves that side unbounded. Whether a bound is present is part of the
    structure (a ``None`` bound is no leaf), so ``Clip(s, minimum=0.01)`` and
    ``Clip(s, 0.01, 0.1)`` do not stack together. ``to_dict()`` leaves a ``None``
    bound out of the config, and ``from_dict`` reads the missing entry back as
    ``None``.

    Args:
      schedule: the schedule (child).
      minimum: the lower bound, or None (leaf).
      maximum: the upper bound, or None (leaf).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the schedule's values and the bounds.

    Raises:
      ValueError: ``minimum > maximum``, or a non-finite bound.
      TypeError: a non-numeric bound, or ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Clip(jaxsched.ExponentialDecay(0.1, 10, 0.5), minimum=0.03)
      >>> print(f"{float(s(0)):.3f} {float(s(10)):.3f} {float(s(100)):.3f}")
      0.100 0.050 0.030
    """

    schedule: Schedule = child()
    minimum: Any = leaf(default=None)
    maximum: Any = leaf(default=None)

    def _check(self) -> None:
        _require_children(self)
        low, high = self._concrete("minimum"), self._concrete("maximum")
        if low is None or high is None:
            return
        try:
            ok = bool(np.all(low <= high))
        except ValueError:  # shapes that do not broadcast: left to the call
            return
        if not ok:
            raise invalid(
                type(self).__name__,
                "maximum",
                self.maximum,
                f">= minimum ({describe(self.minimum)})",
            )

    def __call__(self, step: Any) -> jax.Array:
        inner = self.schedule(as_step(step))
        dtype = value_dtype(inner, self.minimum, self.maximum)
        ct = compute_dtype(dtype)
        out = inner.astype(ct)
        if self.minimum is not None:
            out = jnp.maximum(out, jnp.asarray(self.minimum, ct))
        if self.maximum is not None:
            out = jnp.minimum(out, jnp.asarray(self.maximum, ct))
        return out.astype(dtype)

    def get_config(self) -> dict[str, Any]:
        """The config, without the ``None`` (unbounded) sides."""
        return {
            field.name: _config_value(self, field)
            for field in dataclasses.fields(self)
            if getattr(self, field.name) is not None
        }


# ------------------------------------------------------------- moving the step axis


class Warmup(Schedule):
    """A warmup ramp in front of a schedule.

    For ``step < warmup_steps`` a ramp from ``init_value`` (at step 0) towards
    ``target = schedule(0)``; from ``warmup_steps`` on, ``schedule(step -
    warmup_steps)``: the schedule starts at its own step 0 when the warmup ends.
    With ``f = clip(step, 0, warmup_steps) / warmup_steps`` the ramp is

    - ``"linear"``: ``init + (target - init) * f`` (as optax's
      ``warmup_*_schedule`` factories and Keras's ``CosineDecay(warmup_target=...)``),
    - ``"cosine"``: ``init + (target - init) * (1 - cos(pi * f)) / 2``,
    - ``"exponential"``: geometric, ``start * (target / start) ** f`` with
      ``start = init_value`` if ``init_value > 0``, else
      ``start = EXPONENTIAL_WARMUP_FLOOR * target`` (1e-3: a geometric ramp cannot
      start at 0, so the default ``init_value=0.0`` starts 3 decades below the
      target). Where ``target <= 0`` the ramp is linear.

    Negative steps give the ramp's start (``init_value``, or the floor above);
    ``warmup_steps=0`` is no warmup. The
    schedule is evaluated once per step (at local step 0 during the warmup, which
    is where the target comes from), so nesting does not multiply the work, and the
    ramp's division by ``warmup_steps`` is guarded so that a member of a stacked
    sweep with ``warmup_steps=0`` keeps values and gradients finite. With an integer
    step and an integer ``warmup_steps`` the schedule sees an integer local step,
    exact at any step.

    Args:
      schedule: the schedule after the warmup (child).
      warmup_steps: the length of the warmup; must be >= 0 (leaf).
      init_value: the value at step 0 (leaf).
      shape: ``"linear"``, ``"cosine"`` or ``"exponential"`` (static).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the schedule's values and ``init_value``.

    Raises:
      ValueError: ``warmup_steps < 0``, a non-finite number, or an unknown shape.
      TypeError: a non-numeric number, or ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Warmup(jaxsched.ExponentialDecay(0.1, 10, 0.5), 4)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 2, 4, 14)))
      0.000 0.050 0.100 0.050
      >>> e = jaxsched.Warmup(jaxsched.Constant(0.1), 4, 1e-4, shape="exponential")
      >>> print(" ".join(f"{float(e(t)):.5f}" for t in (0, 2, 4)))
      0.00010 0.00316 0.10000
    """

    schedule: Schedule = child()
    warmup_steps: Any = leaf(check=NON_NEGATIVE, count=True)
    init_value: Any = leaf(default=0.0)
    shape: str = static(
        default="linear", type=str, choices=("linear", "cosine", "exponential")
    )

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        local = _local_step(step, self.warmup_steps)
        warming = local < 0
        target = self.schedule(jnp.maximum(local, 0))  # schedule(0) while warming
        dtype = value_dtype(target, self.init_value)
        ct = compute_dtype(dtype)
        init = jnp.asarray(self.init_value, ct)
        target = target.astype(ct)
        n = jnp.asarray(self.warmup_steps, ct)
        f = safe_div(jnp.clip(step.astype(ct), 0, n), n)
        if self.shape == "linear":
            ramp = init + (target - init) * f
        elif self.shape == "cosine":
            ramp = init + (target - init) * (0.5 - 0.5 * jnp.cos(jnp.pi * f))
        else:
            linear = init + (target - init) * f
            start = jnp.where(init > 0, init, EXPONENTIAL_WARMUP_FLOOR * target)
            geometric = (start > 0) & (target > 0)
            start = jnp.where(geometric, start, 1)
            log_ratio = jnp.log(jnp.where(geometric, target, 1) / start)
            ramp = jnp.where(geometric, start * jnp.exp(f * log_ratio), linear)
        return jnp.where(warming, ramp, target).astype(dtype)


class Shift(Schedule):
    """A schedule moved along the step axis: ``Shift(s, k)(step) == s(step - k)``.

    A positive offset delays the schedule: it reaches its step 0 at ``step ==
    offset`` (and sees negative steps before that, which it extrapolates or holds
    as it does on its own). A negative offset advances it, which is what resuming
    needs: after a restart that counts steps from 0 again, ``Shift(s, -10_000)``
    continues ``s`` from its step 10 000. With an integer step and an integer offset
    the schedule sees an integer step, saturating at the dtype's limits.

    Args:
      schedule: the schedule to move (child).
      offset: how many steps later the schedule starts; any sign (leaf).

    Returns:
      ``schedule(step)`` is ``schedule(step - offset)``.

    Raises:
      ValueError: a non-finite offset.
      TypeError: a non-numeric offset, or ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ExponentialDecay(0.1, 10, 0.5)
      >>> delayed, resumed = jaxsched.Shift(s, 10), jaxsched.Shift(s, -10)
      >>> print(f"{float(delayed(10)):.3f} {float(resumed(0)):.3f}")
      0.100 0.050
    """

    schedule: Schedule = child()
    offset: Any = leaf(count=True)

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        return self.schedule(_local_step(as_step(step), self.offset))


class Repeat(Schedule):
    """A schedule restarted every ``period`` steps, each cycle's peak times ``decay``.

    ``decay ** floor(step / period) * schedule(step mod period)``, the restarts of
    SGDR with a shrinking peak (``decay < 1``). The cycle count and the local step
    are computed with integer arithmetic for an integer step and a whole-number
    period, so they are exact at any step. Negative steps belong to cycle 0 (the
    schedule sees them as they are). ``decay == 0`` gives one cycle and then 0.

    Args:
      schedule: the schedule of one cycle (child).
      period: the length of a cycle; must be > 0 (leaf).
      decay: the factor per cycle; must be >= 0 (leaf).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the schedule's values and ``decay``.

    Raises:
      ValueError: ``period <= 0``, ``decay < 0``, or a non-finite number.
      TypeError: a non-numeric number, or ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Repeat(jaxsched.ExponentialDecay(0.1, 10, 0.5), 20, 0.5)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 10, 20, 30, 40)))
      0.100 0.050 0.050 0.025 0.025
    """

    schedule: Schedule = child()
    period: Any = leaf(check=POSITIVE, count=True)
    decay: Any = leaf(default=1.0, check=NON_NEGATIVE)

    _check = _require_children

    def __call__(self, step: Any) -> jax.Array:
        count, local = _cycle(as_step(step), self.period)
        inner = self.schedule(local)
        dtype = value_dtype(inner, self.decay)
        ct = compute_dtype(dtype)
        log_decay = _log_factor(jnp.asarray(self.decay, ct), ct)
        return (jnp.exp(count.astype(ct) * log_decay) * inner.astype(ct)).astype(dtype)


# ------------------------------------------------------------------- escape hatch


class Lambda(Schedule):
    """Any Python function of the step, as a schedule; it cannot be serialized.

    The escape hatch for a schedule that has no class: ``fn(step)`` must be a pure
    ``jnp`` function (it is traced under ``jit`` and ``vmap``). ``fn`` is a static
    field, so a composite containing a ``Lambda`` still jits, stacks and vmaps (its
    other numbers stay leaves), and jit compiles once per function object.
    ``to_dict()`` on a ``Lambda``, or on any schedule containing one, raises
    ``TypeError``: a function is code, and jaxsched never saves or loads code. To
    make it serializable, write it as a ``jaxsched.Schedule`` subclass.

    Args:
      fn: a function from the step (an array) to the value (static).

    Returns:
      ``schedule(step)`` is ``fn(step)`` broadcast to the shape of ``step``, of its
      floating dtype (the default float for integer results).

    Raises:
      TypeError: ``fn`` is not callable; from ``to_dict()`` and ``get_config()``.

    Example:
      >>> import jax.numpy as jnp, jaxsched
      >>> s = jaxsched.Lambda(lambda t: 0.1 / jnp.sqrt(1.0 + t))
      >>> print(f"{float(s(0)):.3f} {float(s(3)):.3f} {float((2 * s)(3)):.3f}")
      0.100 0.050 0.100
    """

    fn: Callable[[jax.Array], Any] = static()

    def _check(self) -> None:
        if not callable(self.fn):
            raise invalid(type(self).__name__, "fn", self.fn, "callable", TypeError)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        out = jnp.asarray(self.fn(step))
        if not jnp.issubdtype(out.dtype, jnp.floating):
            out = out.astype(default_float())
        return jnp.broadcast_to(out, step.shape)

    def get_config(self) -> dict[str, Any]:
        """Always raises: a Python function cannot be saved as data."""
        name = getattr(self.fn, "__qualname__", None) or repr(self.fn)
        raise TypeError(
            f"Lambda(fn={name}) cannot be serialized, and neither can a schedule "
            "that contains it: it wraps an arbitrary Python function, and jaxsched "
            "saves only data (loading never imports or runs code). Write the "
            "function as a jaxsched.Schedule subclass to make it serializable."
        )

    def to_dict(self) -> dict[str, Any]:
        """Always raises ``TypeError``; see :meth:`get_config`."""
        return self.get_config()


# Lambda cannot be loaded from data, so it has no entry in the serialization
# registry (subclassing entered it): from_dict reports "Lambda" as unknown.
if _REGISTRY.get("Lambda") is Lambda:
    del _REGISTRY["Lambda"]
