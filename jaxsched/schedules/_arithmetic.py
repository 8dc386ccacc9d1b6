"""Arithmetic on schedules: ``s1 + s2``, ``0.5 * s``, ``s - c``, ``s / c``, min, max.

The operators of :class:`~jaxsched.Schedule` build these: ``0.5 * s`` is
``Scale(s, 0.5)``, ``s1 + s2`` is ``Sum(s1, s2)``, ``s - 0.1`` is
``Offset(s, -0.1)``, ``s / 4`` is ``Quotient(s, 4)``. Each is a schedule like any
other (a frozen dataclass pytree): nested schedules are subtrees, numbers are leaves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar, TypeGuard

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core._fields import Numeric, child, leaf
from jaxsched.core._math import as_step, compute_dtype, value_dtype
from jaxsched.core._schedule import (
    Schedule,
    _config_value,
    provide,
    require_children,
)
from jaxsched.core._validation import Check, describe

__all__ = [
    "BinaryOperator",
    "Clip",
    "Difference",
    "Maximum",
    "Minimum",
    "Offset",
    "Product",
    "Quotient",
    "Scale",
    "Sum",
    "add",
    "divide",
    "multiply",
    "subtract",
]

NON_ZERO = Check("!= 0", lambda a: a != 0)


# ---------------------------------------------------------------------- arithmetic


class BinaryOperator(Schedule, abstract=True):
    """A two-schedule operator: ``operator(left(step), right(step))``.

    Subclasses (:class:`Sum`, :class:`Difference`, :class:`Product`,
    :class:`Minimum`, :class:`Maximum`) set ``operator``; both values are cast to
    their promoted dtype before it is applied.

    Args:
      left: a schedule (child).
      right: a schedule (child).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the two values.

    Raises:
      TypeError: an argument that is not a jaxsched schedule (use :class:`Clip` or
        :class:`Scale`/:class:`Offset` to combine a schedule with a number).
    """

    left: Schedule = child()
    right: Schedule = child()

    operator: ClassVar[Callable[[Any, Any], Any]]
    _check = require_children

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        a, b = self.left(step), self.right(step)
        dtype = value_dtype(a, b)
        ct = compute_dtype(dtype)
        return type(self).operator(a.astype(ct), b.astype(ct)).astype(dtype)


class Sum(BinaryOperator):
    """The sum of two schedules: ``left(step) + right(step)`` (``s1 + s2``).

    Arguments, result and errors: see :class:`BinaryOperator`.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Constant(0.1) + jaxsched.ExponentialDecay(0.2, 10, 0.5)
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Sum 0.300 0.200
    """

    operator = staticmethod(jnp.add)


class Difference(BinaryOperator):
    """The difference of two schedules: ``left(step) - right(step)`` (``s1 - s2``).

    Arguments, result and errors: see :class:`BinaryOperator`.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Constant(0.5) - jaxsched.ExponentialDecay(0.2, 10, 0.5)
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Difference 0.300 0.400
    """

    operator = staticmethod(jnp.subtract)


class Product(BinaryOperator):
    """The product of two schedules: ``left(step) * right(step)`` (``s1 * s2``).

    Useful for a multiplier schedule applied to a base schedule, as PyTorch's
    ``ChainedScheduler`` does for multiplicative schedulers.

    Arguments, result and errors: see :class:`BinaryOperator`.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Constant(0.5) * jaxsched.ExponentialDecay(0.2, 10, 0.5)
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Product 0.100 0.050
    """

    operator = staticmethod(jnp.multiply)


class _WithNumber(Schedule, abstract=True):
    """``operator(schedule(step), number)``, in the promoted dtype of the two.

    A subclass names both: ``class Scale(_WithNumber, operator=jnp.multiply,
    number="factor")``, and declares the number's leaf (after ``schedule``).
    """

    schedule: Schedule = child()

    operator: ClassVar[Callable[[Any, Any], Any]]
    number_field: ClassVar[str]
    _check = require_children

    def __init_subclass__(
        cls, *, operator: Callable[[Any, Any], Any], number: str, **kwargs: Any
    ) -> None:
        cls.operator = staticmethod(operator)
        cls.number_field = number
        super().__init_subclass__(**kwargs)

    def __call__(self, step: Any) -> jax.Array:
        inner = self.schedule(as_step(step))
        number = getattr(self, self.number_field)
        dtype = value_dtype(inner, number)
        ct = compute_dtype(dtype)
        return self.operator(inner.astype(ct), jnp.asarray(number, ct)).astype(dtype)


class Scale(_WithNumber, operator=jnp.multiply, number="factor"):
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

    factor: Numeric = leaf()


class Offset(_WithNumber, operator=jnp.add, number="value"):
    """A schedule plus a number: ``schedule(step) + value`` (``s + c``, ``s - c``).

    ``s - c`` is ``Offset(s, -c)``; ``c - s`` is ``Offset(Scale(s, -1.0), c)``.

    Args:
      schedule: the schedule (child).
      value: the number added (leaf).

    Result and errors: as :class:`Scale`, with ``value`` for ``factor``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ExponentialDecay(0.2, 10, 0.5) + 0.01
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Offset 0.210 0.110
    """

    value: Numeric = leaf()


class Quotient(_WithNumber, operator=jnp.divide, number="divisor"):
    """A schedule divided by a number: ``schedule(step) / divisor`` (``s / c``).

    Args:
      schedule: the schedule (child).
      divisor: the number to divide by; must be != 0 (leaf).

    Result and errors: as :class:`Scale`, with ``divisor`` for ``factor``; also a
    ValueError for ``divisor == 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ExponentialDecay(0.2, 10, 0.5) / 4
      >>> print(type(s).__name__, f"{float(s(0)):.3f} {float(s(10)):.3f}")
      Quotient 0.050 0.025
    """

    divisor: Numeric = leaf(check=NON_ZERO)


def _is_number(value: Any) -> TypeGuard[Numeric]:
    """A real number or numeric array (Python, NumPy, JAX, tracers); never a bool."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    if isinstance(value, (np.ndarray, jax.Array)):
        dtype = np.dtype(value.dtype)
        return dtype.kind in "iuf" or dtype.name == "bfloat16"
    return False


def _build(
    a: Any,
    b: Any,
    both: Callable[[Schedule, Schedule], Schedule],
    number_after: Callable[[Schedule, Any], Schedule],
    number_before: Callable[[Any, Schedule], Schedule],
) -> Any:
    """``a <op> b``: ``both(a, b)`` for two schedules, ``number_after(a, b)`` or
    ``number_before(a, b)`` with a number on one side, else ``NotImplemented``."""
    if isinstance(a, Schedule) and isinstance(b, Schedule):
        return both(a, b)
    if isinstance(a, Schedule) and _is_number(b):
        return number_after(a, b)
    if _is_number(a) and isinstance(b, Schedule):
        return number_before(a, b)
    return NotImplemented


def add(a: Any, b: Any) -> Any:
    """``a + b`` where either may be a number: ``Sum`` or ``Offset``."""
    return _build(a, b, Sum, Offset, lambda c, s: Offset(s, c))


def subtract(a: Any, b: Any) -> Any:
    """``a - b``: ``Difference``, ``Offset(a, -b)`` or ``Offset(Scale(b, -1.0), a)``."""
    return _build(
        a,
        b,
        Difference,
        lambda s, c: Offset(s, -c),
        lambda c, s: Offset(Scale(s, -1.0), c),
    )


def multiply(a: Any, b: Any) -> Any:
    """``a * b`` where either may be a number: ``Product`` or ``Scale``."""
    return _build(a, b, Product, Scale, lambda c, s: Scale(s, c))


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


class Minimum(BinaryOperator):
    """The elementwise minimum of two schedules: ``min(left(step), right(step))``.

    Arguments, result and errors: see :class:`BinaryOperator`.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Minimum(
      ...     jaxsched.Constant(0.08), jaxsched.ExponentialDecay(0.1, 10, 0.5))
      >>> print(f"{float(s(0)):.3f} {float(s(10)):.3f}")
      0.080 0.050
    """

    operator = staticmethod(jnp.minimum)


class Maximum(BinaryOperator):
    """The elementwise maximum of two schedules: ``max(left(step), right(step))``.

    Arguments, result and errors: see :class:`BinaryOperator`.

    Example (a decay held at a floor):
      >>> import jaxsched
      >>> decay = jaxsched.ExponentialDecay(0.1, 10, 0.5)
      >>> s = jaxsched.Maximum(decay, jaxsched.Constant(0.02))
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 10, 20, 30)))
      0.100 0.050 0.025 0.020
    """

    operator = staticmethod(jnp.maximum)


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
    minimum: Numeric | None = leaf(default=None)
    maximum: Numeric | None = leaf(default=None)

    def _check(self) -> None:
        require_children(self)
        low, high = self._concrete("minimum"), self._concrete("maximum")
        if low is None or high is None:
            return
        try:
            ok = bool(np.all(low <= high))
        except ValueError:  # shapes that do not broadcast: left to the call
            return
        if not ok:
            raise self._invalid("maximum", f">= minimum ({describe(self.minimum)})")

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


provide(
    "operators",
    {"add": add, "subtract": subtract, "multiply": multiply, "divide": divide},
)
