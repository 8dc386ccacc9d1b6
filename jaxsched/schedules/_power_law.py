"""Power laws of the step: ``(1 + t / tau) ** -p``, ``max(t, 1) ** p``, and Noam's
Transformer schedule ``d_model ** -0.5 * min(t ** -0.5, t * warmup ** -1.5)``."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numeric, leaf
from jaxsched.core._math import as_step, leaves_in, power_by_log
from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import NON_NEGATIVE, POSITIVE

__all__ = ["Noam", "PowerLaw"]


class PowerLaw(Schedule):
    """A power law of the step: ``init_value * (offset + t / timescale) ** exponent``.

    ``t = max(step, min_step)``. The two forms of the frameworks:

    * ``init_value * (1 + t / tau) ** -p`` (timm's WSD ``stable_fn="power"``,
      ``"rsqrt"`` with ``p = 0.5``; Levanter's ``inv_sqrt_decay``):
      ``PowerLaw(lr, -p, timescale=tau)``;
    * ``init_value * max(t, 1) ** p`` (TF Model Garden's ``DirectPowerDecay``,
      ``p = -0.5`` by default; Megatron's ``inverse-square-root`` is ``max_lr *
      sqrt(max(W, 1))`` times ``max(t, 1) ** -0.5``; T5's ``rsqrt_decay`` is
      ``min_step=W``): ``PowerLaw(lr, p, offset=0, min_step=1)``.

    Steps below ``min_step`` (and below 0) give the value at ``min_step``. With
    ``offset=0`` and ``min_step=0`` the base is 0 at step 0, where a negative
    exponent gives ``inf``: keep ``offset > 0`` or ``min_step > 0`` for a finite
    curve.

    Args:
      init_value: the value where the base is 1 (leaf).
      exponent: the power; negative for a decay (leaf).
      timescale: the steps per unit of the base; > 0 (leaf).
      offset: the base at step 0 (before ``min_step``); >= 0 (leaf).
      min_step: the step below which the value holds; >= 0 (count leaf).

    Raises:
      ValueError: ``timescale <= 0``, a negative ``offset`` or ``min_step``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.PowerLaw(1.0, -0.5, timescale=100.0)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 100, 300, 9900)))
      1.000 0.707 0.500 0.100
      >>> r = jaxsched.PowerLaw(1.0, -0.5, offset=0.0, min_step=1)
      >>> print(" ".join(f"{float(r(t)):.3f}" for t in (0, 1, 4, 100)))
      1.000 1.000 0.500 0.100
    """

    init_value: Numeric = leaf()
    exponent: Numeric = leaf()
    timescale: Numeric = leaf(default=1.0, check=POSITIVE)
    offset: Numeric = leaf(default=1.0, check=NON_NEGATIVE)
    min_step: Numeric = leaf(default=0, check=NON_NEGATIVE, count=True)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, lr, exponent, timescale, offset = leaves_in(
            self.init_value, self.exponent, self.timescale, self.offset
        )
        floor = jnp.maximum(jnp.asarray(self.min_step).astype(ct), 0)
        t = jnp.maximum(step.astype(ct), floor)
        base = offset + t / timescale
        return (lr * power_by_log(base, exponent, ct)).astype(dtype)

    def key_steps(self) -> list[float]:
        """0, and ``min_step`` where it is > 0 (one member)."""
        return [0.0, ks.number(self.min_step)]


class Noam(Schedule):
    """The Transformer ("Noam") schedule of Vaswani et al.: warmup, then ``1 / sqrt``.

    ``scale * d_model ** -0.5 * min(t ** -0.5, t * warmup_steps ** -1.5)`` with ``t =
    max(step, 1)`` (NeMo's ``NoamAnnealing``; praxis's ``Transformer`` evaluates at
    ``step + 1``: ``Shift(Noam(...), -1)``): a linear rise to the peak ``scale *
    (d_model * warmup_steps) ** -0.5`` at ``warmup_steps``, then ``t ** -0.5``.
    ``warmup_steps=0`` is no warmup (``t ** -0.5`` from step 1). Steps below 1
    give the step-1 value.

    Args:
      d_model: the model width; > 0 (leaf).
      warmup_steps: the step of the peak; >= 0 (count leaf).
      scale: a factor (the base learning rate of NeMo, 1 in the paper) (leaf).

    Raises:
      ValueError: ``d_model <= 0`` or ``warmup_steps < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Noam(d_model=512, warmup_steps=4000)
      >>> print(" ".join(f"{float(s(t)):.2e}" for t in (1, 4000, 16000)))
      1.75e-07 6.99e-04 3.49e-04
    """

    d_model: Numeric = leaf(default=512, check=POSITIVE)
    warmup_steps: Numeric = leaf(default=4000, check=NON_NEGATIVE, count=True)
    scale: Numeric = leaf(default=1.0)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, scale, d_model = leaves_in(self.scale, self.d_model)
        w = jnp.asarray(self.warmup_steps).astype(ct)
        t = jnp.maximum(step.astype(ct), 1)
        warm = w > 0
        w = jnp.where(warm, w, 1)
        rise = jnp.where(warm, t * (w * jnp.sqrt(w)) ** -1, jnp.inf)
        value = jnp.minimum(jax.lax.rsqrt(t), rise)
        return (scale * jax.lax.rsqrt(d_model) * value).astype(dtype)

    def key_steps(self) -> list[float]:
        """0 and the peak at ``warmup_steps`` (one member)."""
        return [0.0, ks.number(self.warmup_steps)]
