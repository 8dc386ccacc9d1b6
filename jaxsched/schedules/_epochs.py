"""Per-epoch stepping: a schedule that advances once per epoch, as PyTorch users step.

PyTorch code usually calls ``scheduler.step()`` once per epoch, so a ``StepLR(
step_size=30)`` there means 30 *epochs*. An optax (or Keras) optimizer calls its
schedule with the update count; :class:`PerEpoch` turns that count into the epoch
index, so the PyTorch numbers carry over unchanged.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numeric, child, leaf
from jaxsched.core._math import (
    as_step,
    compute_dtype,
    default_float,
    floor_divmod,
    is_integer,
    whole_divisor,
    wide_int,
)
from jaxsched.core._schedule import Schedule, require_children
from jaxsched.core._validation import POSITIVE

__all__ = ["PerEpoch"]


def _epoch(step: jax.Array, steps_per_epoch: Any) -> jax.Array:
    """``floor(step / steps_per_epoch)``: an integer for an integer step.

    An integer step with a whole ``steps_per_epoch`` (an integer leaf, or a float leaf
    such as ``100.0``) is divided with exact integer arithmetic at any step; with a
    fractional one (``2.5``) the float floor is taken and converted to the integer
    dtype (saturating at ``2**(bits - 2)``). A float step gives the float floor.
    """
    per = jnp.asarray(steps_per_epoch)
    if not is_integer(step):
        ft = compute_dtype(step.dtype)
        return jnp.floor(step.astype(ft) / per.astype(ft))
    wide = wide_int(step.dtype)
    step = step.astype(wide)
    if is_integer(per):  # > 0 is validated; floor_divmod guards placeholders
        return floor_divmod(step, per, wide)[0]
    usable, whole = whole_divisor(per, wide)
    exact = floor_divmod(step, whole, wide)[0]
    ft = compute_dtype(default_float())
    limit = float(2 ** (np.iinfo(wide).bits - 2))
    rounded = jnp.floor(step.astype(ft) / per.astype(ft))
    rounded = jnp.clip(rounded, -limit, limit).astype(wide)
    return jnp.where(usable, exact, rounded)


class PerEpoch(Schedule):
    """A schedule advanced once per epoch: ``schedule(floor(step / steps_per_epoch))``.

    The inner schedule counts epochs, as a PyTorch scheduler stepped once per epoch
    does, while the optimizer counts updates: ``PerEpoch(StepLR(0.1, 30), 500)``
    drops the rate every 30 epochs of 500 updates. The epoch index is an exact
    integer for an integer step (beyond 2**24 too; ``steps_per_epoch`` may be an
    integer or a whole float such as ``500.0``; a fractional one such as ``2.5``
    takes the float floor), and the float ``floor(step / steps_per_epoch)`` for a
    float step. Negative steps give negative epochs (``-1`` for the epoch before
    0); the inner schedule decides what that means. Gradients flow to the inner
    schedule's hyperparameters (the floor has none with respect to
    ``steps_per_epoch``).

    Args:
      schedule: the per-epoch schedule (child).
      steps_per_epoch: optimizer updates per epoch; must be > 0 (leaf).

    Returns:
      ``schedule(step)`` is the inner schedule's value at the epoch index, shaped
      like ``step``, of the inner schedule's dtype.

    Raises:
      ValueError: ``steps_per_epoch <= 0``.
      TypeError: a non-numeric ``steps_per_epoch``, or ``schedule`` not a jaxsched
        schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.PerEpoch(jaxsched.StepLR(0.1, step_size=2, gamma=0.5), 100)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 199, 200, 399, 400)))
      0.1 0.1 0.05 0.05 0.025
    """

    schedule: Schedule = child()
    steps_per_epoch: Numeric = leaf(check=POSITIVE, count=True)

    _check = require_children

    def key_steps(self) -> list[float]:
        e = ks.number(self.steps_per_epoch)
        return [x * e for x in ks.union(self.schedule)]

    def __call__(self, step: Any) -> jax.Array:
        return self.schedule(_epoch(as_step(step), self.steps_per_epoch))
