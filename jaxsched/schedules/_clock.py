"""A schedule on another clock: ``schedule(clock(step))``, and the clocks.

A clock is an ordinary schedule whose value is a time: steps stretched
(:class:`StretchClock`), warped (:class:`PowerClock`, timm's ``k_decay``) or the
tokens (or samples) seen under a batch-size ramp (:class:`TokenClock`). Through
:class:`Clock`, a schedule written in that time (phases in tokens, in fractions of
the run, ...) runs on the optimizer's step.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numeric, child, leaf, static
from jaxsched.core._math import as_step, leaves_in, safe_div
from jaxsched.core._schedule import Schedule, require_children
from jaxsched.core._validation import NON_NEGATIVE, POSITIVE
from jaxsched.schedules._join import align_step

__all__ = ["Clock", "PowerClock", "StretchClock", "TokenClock"]


class Clock(Schedule):
    """A schedule evaluated on another clock: ``schedule(clock(step))``.

    ``clock`` is any schedule whose value is the time the ``schedule`` is written
    in: ``StretchClock(2.0)`` runs a schedule twice as long (Composer's
    ``scale_schedule_ratio``), ``StretchClock(total_steps)`` writes it in
    fractions of the run, ``PowerClock(k, T)`` is timm's ``k_decay``,
    ``TokenClock(...)`` gives token-defined phases under a batch-size ramp (a
    :class:`Join` whose boundaries are token counts, a cosine over 10**12 tokens).
    The schedule sees the clock's value, a float array (a float32 clock keeps 24
    bits: token counts beyond 2**24 are rounded relatively by 6e-8; use x64 where
    a boundary must fall on an exact token).

    Key steps: the clock's own, and the schedule's key times mapped back to steps
    where the clock can invert itself (the clocks here can).

    Args:
      schedule: the schedule, in the clock's time (child).
      clock: the time as a function of the step (child).

    Raises:
      TypeError: a part that is not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> half_speed = jaxsched.Clock(jaxsched.Linear(0.0, 1.0, 10),
      ...                             jaxsched.StretchClock(2.0))
      >>> print(" ".join(f"{float(half_speed(t)):.2f}" for t in (0, 10, 20, 30)))
      0.00 0.50 1.00 1.00
      >>> half_speed.key_steps()
      (0, 20)
    """

    schedule: Schedule = child()
    clock: Schedule = child()

    _check = require_children

    def __call__(self, step: Any) -> jax.Array:
        return self.schedule(self.clock(as_step(step)))

    def key_steps(self) -> list[float]:
        """The clock's key steps and the schedule's, mapped through the clock."""
        inverse = getattr(self.clock, "steps_at", None)
        inner = ks.union(self.schedule)
        mapped = [inverse(x) for x in inner] if inverse is not None else []
        return [*ks.union(self.clock), *mapped]


class StretchClock(Schedule):
    """Time as the step stretched by ``factor``: ``step / factor``.

    Under :class:`Clock`, ``StretchClock(2.0)`` makes a schedule last twice as
    many steps (Composer's ``scale_schedule_ratio``); ``StretchClock(total_steps)``
    lets a schedule be written in fractions of a run whose length is this leaf.

    Args:
      factor: the steps per unit of time; > 0 (leaf).

    Raises:
      ValueError: ``factor <= 0``.

    Example:
      >>> import jaxsched
      >>> print(f"{float(jaxsched.StretchClock(4.0)(10)):.2f}")
      2.50
    """

    factor: Numeric = leaf(check=POSITIVE)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, factor = leaves_in(self.factor)
        return (step.astype(ct) / factor).astype(dtype)

    def steps_at(self, time: float) -> float:
        """The step where the time is ``time`` (concrete, one member)."""
        return time * ks.number(self.factor)

    def key_steps(self) -> list[float]:
        """None of its own: a stretch has no phases."""
        return []


class PowerClock(Schedule):
    """Time warped by a power: ``horizon * (max(step, 0) / horizon) ** power``.

    timm's ``k_decay``: a cosine over ``T`` steps on ``PowerClock(k, T)`` is
    ``cos(pi * t**k / T**k)``; ``power > 1`` keeps the value high longer. The
    clock equals the step at 0 and at ``horizon``.

    Args:
      power: the exponent; > 0 (leaf).
      horizon: the step where time and step agree again; > 0 (count leaf).

    Raises:
      ValueError: ``power <= 0`` or ``horizon <= 0``.

    Example:
      >>> import jaxsched
      >>> c = jaxsched.PowerClock(2.0, 100)
      >>> print(" ".join(f"{float(c(t)):.1f}" for t in (0, 50, 100)))
      0.0 25.0 100.0
    """

    power: Numeric = leaf(check=POSITIVE)
    horizon: Numeric = leaf(check=POSITIVE, count=True)

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, power = leaves_in(self.power)
        horizon = jnp.asarray(self.horizon).astype(ct)
        f = jnp.maximum(step.astype(ct), 0) / horizon
        positive = f > 0
        warped = jnp.where(positive, jnp.power(jnp.where(positive, f, 1), power), 0)
        return (horizon * warped).astype(dtype)

    def steps_at(self, time: float) -> float:
        """The step where the time is ``time`` (concrete, one member)."""
        horizon, power = ks.number(self.horizon), ks.number(self.power)
        return horizon * (max(time, 0.0) / horizon) ** (1 / power)

    def key_steps(self) -> list[float]:
        """0 and ``horizon`` (one member)."""
        return [0.0, ks.number(self.horizon)]


class TokenClock(Schedule):
    """The tokens (or samples) seen before a step, under a linear batch-size ramp.

    The batch (in samples) ramps linearly from ``initial_batch`` to
    ``final_batch``, then stays there; each sample holds ``sequence_length`` tokens
    (1: the clock counts samples). The value at step ``t >= 0`` is the tokens
    consumed by the steps before ``t``, in closed form, with the ramp taken as
    continuous (real batches are whole numbers; the continuous ramp is within one
    batch of any rounding of it):

    * ``ramp_unit="steps"``: the batch is linear in the step over ``n = ramp``
      steps, ``L * (b0 * t + (b1 - b0) * t**2 / (2 n))`` for ``t <= n``, then
      ``L * (n * (b0 + b1) / 2 + b1 * (t - n))``: the ramp's tokens are exactly
      ``L * n * (b0 + b1) / 2``;
    * ``ramp_unit="tokens"``: the batch is linear in the tokens seen, reaching
      ``b1`` after ``ramp`` tokens (as DeepSeek-V3: 3,072 to 15,360 sequences of
      4K tokens over the first 469B tokens; GPT-3's ramp over the first 4-12B
      tokens). Then ``dS/dt = b(S)`` gives ``S = b0 * expm1(k t) / k`` samples with
      ``k = (b1 - b0) * L / ramp``, up to ``t_R = ln(b1 / b0) / k`` where ``S``
      reaches ``ramp / L`` exactly, and ``ramp + L * b1 * (t - t_R)`` tokens after.

    Steps below 0 count 0 tokens. Under :class:`Clock` a schedule written in tokens
    (or samples) runs on the steps; ``steps_at`` inverts the clock (for key steps).

    Args:
      initial_batch: ``b0``, samples per step at step 0; > 0 (leaf).
      final_batch: ``b1``, samples per step after the ramp; > 0 (leaf).
      ramp: the ramp's length, in steps or in tokens (``ramp_unit``); >= 0 (count
        leaf).
      sequence_length: ``L``, tokens per sample; > 0 (leaf).
      ramp_unit: ``"steps"`` or ``"tokens"`` (static).

    Raises:
      ValueError: a batch or ``sequence_length`` <= 0, or ``ramp < 0``.

    Example:
      >>> import jaxsched
      >>> c = jaxsched.TokenClock(2, 6, ramp=4, sequence_length=10)
      >>> print(" ".join(f"{float(c(t)):g}" for t in (0, 2, 4, 5)))
      0 60 160 220
    """

    initial_batch: Numeric = leaf(check=POSITIVE)
    final_batch: Numeric = leaf(check=POSITIVE)
    ramp: Numeric = leaf(check=NON_NEGATIVE, count=True)
    sequence_length: Numeric = leaf(default=1, check=POSITIVE)
    ramp_unit: str = static(default="steps", type=str, choices=("steps", "tokens"))

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        dtype, ct, b0, b1, length = leaves_in(
            self.initial_batch, self.final_batch, self.sequence_length
        )
        ramp = jnp.asarray(self.ramp)
        if self.ramp_unit == "steps":
            t_int, n_int = align_step(jnp.maximum(step, 0), ramp)
            n = n_int.astype(ct)
            t = jnp.minimum(t_int, n_int).astype(ct)
            after = jnp.maximum(t_int - n_int, 0).astype(ct)
            rising = b0 * t + safe_div((b1 - b0) * t * t, 2 * n)
            samples = rising + b1 * after
        else:
            t = jnp.maximum(step.astype(ct), 0)
            ramp_samples = ramp.astype(ct) / length
            k = safe_div(b1 - b0, ramp_samples)
            flat = (k == 0) | (ramp_samples == 0)
            k_safe = jnp.where(flat, 1, k)
            t_end = jnp.where(flat, 0, jnp.log(b1 / b0) / k_safe)
            inside = t < t_end
            ramped = b0 * jnp.expm1(k_safe * jnp.where(inside, t, 0)) / k_safe
            past = ramp_samples + b1 * jnp.maximum(t - t_end, 0)
            samples = jnp.where(flat, b1 * t, jnp.where(inside, ramped, past))
        return (length * samples).astype(dtype)

    def _ramp_end(self) -> tuple[float, float]:
        """``(n, tokens)``: the step where the ramp ends and the tokens seen then."""
        b0, b1 = ks.number(self.initial_batch), ks.number(self.final_batch)
        length, ramp = ks.number(self.sequence_length), ks.number(self.ramp)
        if self.ramp_unit == "steps":
            return ramp, length * ramp * (b0 + b1) / 2
        if ramp == 0 or b0 == b1:
            return 0.0, 0.0
        k = (b1 - b0) * length / ramp
        return math.log(b1 / b0) / k, ramp

    def steps_at(self, tokens: float) -> float:
        """The step where ``tokens`` have been seen (concrete, one member)."""
        b0, b1 = ks.number(self.initial_batch), ks.number(self.final_batch)
        length = ks.number(self.sequence_length)
        n, at_end = self._ramp_end()
        x = max(tokens, 0.0) / length
        if tokens >= at_end:
            return n + (x - at_end / length) / b1
        if self.ramp_unit == "tokens":
            k = (b1 - b0) * length / ks.number(self.ramp)
            return math.log1p(k * x / b0) / k
        a = (b1 - b0) / (2 * n)
        if a == 0:
            return x / b0
        return (-b0 + math.sqrt(b0 * b0 + 4 * a * x)) / (2 * a)

    def key_steps(self) -> list[float]:
        """0 and the end of the ramp (one member)."""
        return [0.0, self._ramp_end()[0]]
