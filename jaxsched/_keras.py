"""Keras-named schedules: Keras's argument names, order, defaults, config keys and values.

Each class here is readable by ``keras.optimizers.schedules.deserialize`` from its
``to_dict()``, and ``jaxsched.from_dict`` reads Keras's ``serialize()`` output.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ._core import Schedule, leaf, static
from ._math import as_step, compute_dtype, floor_div, value_dtype
from ._validation import NON_NEGATIVE, POSITIVE

__all__ = ["ExponentialDecay", "InverseTimeDecay"]


def _progress(step: jax.Array, decay_steps: Any, staircase: bool, dtype: Any):
    """``step / decay_steps``, floored (exactly, for integer steps) when staircase."""
    if staircase:
        return floor_div(step, decay_steps, dtype), None
    return step.astype(dtype), jnp.asarray(decay_steps, dtype)


class ExponentialDecay(Schedule):
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

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the dtype of the float
      hyperparameters (float32 by default).

    Raises:
      ValueError: ``decay_steps <= 0``, ``decay_rate < 0``, or a non-finite value.
      TypeError: a non-numeric value, or ``staircase`` not a bool.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
      >>> print(f"{float(s(0)):.4f} {float(s(10)):.4f} {float(s(15)):.4f}")
      0.1000 0.0500 0.0354
    """

    initial_learning_rate: Any = leaf()
    decay_steps: Any = leaf(check=POSITIVE, count=True)
    decay_rate: Any = leaf(check=NON_NEGATIVE)
    staircase: bool = static(False, type=bool)
    name: str = static("ExponentialDecay", type=str)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype = value_dtype(self.initial_learning_rate, self.decay_rate)
        ct = compute_dtype(dtype)
        lr = jnp.asarray(self.initial_learning_rate, ct)
        rate = jnp.asarray(self.decay_rate, ct)
        # rate ** p == exp(p * log(rate)), with the scalar log hoisted out of the
        # per-step work; rate == 0 uses the largest finite slope so 0 ** 0 == 1.
        positive = rate > 0
        log_rate = jnp.where(
            positive, jnp.log(jnp.where(positive, rate, 1)), -jnp.finfo(ct).max
        )
        p, n = _progress(step, self.decay_steps, self.staircase, ct)
        slope = log_rate if n is None else log_rate / n
        return (lr * jnp.exp(p * slope)).astype(dtype)


class InverseTimeDecay(Schedule):
    """Inverse time decay, as ``keras.optimizers.schedules.InverseTimeDecay``.

    ``initial_learning_rate / (1 + decay_rate * step / decay_steps)``; with
    ``staircase`` the ratio is ``floor(step / decay_steps)`` (integer-exact for integer
    steps). Negative steps extrapolate, as in Keras.

    Args:
      initial_learning_rate: the value at step 0 (leaf).
      decay_steps: how often to apply the decay; must be > 0 (leaf).
      decay_rate: the decay per ``decay_steps``; must be >= 0 (leaf).
      staircase: decay in discrete steps (static).
      name: Keras's name, kept for config compatibility (static).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the dtype of the float
      hyperparameters (float32 by default).

    Raises:
      ValueError: ``decay_steps <= 0``, ``decay_rate < 0``, or a non-finite value.
      TypeError: a non-numeric value, or ``staircase`` not a bool.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.InverseTimeDecay(0.1, decay_steps=1.0, decay_rate=0.5)
      >>> print(f"{float(s(0)):.4f} {float(s(2)):.4f} {float(s(8)):.4f}")
      0.1000 0.0500 0.0200
    """

    initial_learning_rate: Any = leaf()
    decay_steps: Any = leaf(check=POSITIVE, count=True)
    decay_rate: Any = leaf(check=NON_NEGATIVE)
    staircase: bool = static(False, type=bool)
    name: str = static("InverseTimeDecay", type=str)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype = value_dtype(self.initial_learning_rate, self.decay_rate)
        ct = compute_dtype(dtype)
        lr = jnp.asarray(self.initial_learning_rate, ct)
        rate = jnp.asarray(self.decay_rate, ct)
        p, n = _progress(step, self.decay_steps, self.staircase, ct)
        slope = rate if n is None else rate / n
        return (lr / (1 + p * slope)).astype(dtype)
