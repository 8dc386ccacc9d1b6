"""The primitive schedules behind optax's factories: optax's values, as pytrees.

Each class gives the values of the optax schedule it mirrors for every step ``>= 0``.
Where optax decides in Python from a hyperparameter's value (``transition_steps <= 0``
makes a constant, a negative ``transition_begin`` counts as 0, ``decay_rate < 1``
picks the clip direction), these classes decide with ``jnp.where``, so the value may
be a tracer or a batch of a stacked sweep.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ._core import Schedule, leaf
from ._join import align_step
from ._math import as_step, compute_dtype, value_dtype

__all__ = ["Constant", "Linear"]


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
    return jnp.where(positive, jnp.clip(elapsed, 0, n) * (1 / n), 0)


class Constant(Schedule):
    """A constant, as ``optax.constant_schedule``: ``value`` at every step.

    Args:
      value: the value (leaf).

    Returns:
      ``schedule(step)`` is ``value`` broadcast to the shape of ``step``, of the
      dtype of ``value`` (float32 for Python numbers).

    Raises:
      ValueError: a non-finite value.
      TypeError: a non-numeric value.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Constant(0.1)
      >>> print(f"{float(s(0)):.2f} {float(s(10**9)):.2f}")
      0.10 0.10
    """

    value: Any = leaf()

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype = value_dtype(self.value)
        return jnp.broadcast_to(jnp.asarray(self.value, dtype), step.shape)


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

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the dtype of the float
      values (float32 by default).

    Raises:
      ValueError: a non-finite value.
      TypeError: a non-numeric value.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Linear(0.0, 1.0, transition_steps=10, transition_begin=5)
      >>> print(f"{float(s(5)):.2f} {float(s(10)):.2f} {float(s(20)):.2f}")
      0.00 0.50 1.00
    """

    init_value: Any = leaf()
    end_value: Any = leaf()
    transition_steps: Any = leaf(count=True)
    transition_begin: Any = leaf(0, count=True)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype = value_dtype(self.init_value, self.end_value)
        ct = compute_dtype(dtype)
        init = jnp.asarray(self.init_value, ct)
        end = jnp.asarray(self.end_value, ct)
        frac = _ramp(step, self.transition_begin, self.transition_steps, ct)
        return ((init - end) * (1 - frac) + end).astype(dtype)
