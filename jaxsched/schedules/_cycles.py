"""Cycles of a schedule: a geometric period, a decaying peak, a cycle limit."""

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
    is_integer,
    power_by_log,
    value_dtype,
)
from jaxsched.core._schedule import Schedule, require_children
from jaxsched.core._validation import NON_NEGATIVE, POSITIVE
from jaxsched.schedules._combinators import _cycle, _float_for
from jaxsched.schedules._keras import _restarts_exact

__all__ = ["Cycles"]


class Cycles(Schedule):
    """A schedule restarted in cycles of growing length and decaying peak.

    The cycles grow by ``period_factor`` and their peak decays by ``decay``, up to
    ``limit`` cycles (timm's ``cycle_mul``, ``cycle_decay``, ``cycle_limit``).

    Cycle ``i`` lasts ``T_i = period * period_factor ** i`` steps and starts at
    ``S_i = period * (period_factor ** i - 1) / (period_factor - 1)`` (``i *
    period`` when the factor is 1). With ``u`` the step's position in its cycle,
    ``u / period_factor ** i`` (the cycle stretched onto the first one, in
    ``[0, period)``) is the step the schedule sees, and the value is::

        floor + decay ** i * (schedule(u / period_factor ** i) - floor)

    so ``decay`` scales the height above ``floor`` (Keras's ``m_mul``; with
    ``floor=0`` the whole value, as fairseq's ``lr_shrink`` and :class:`Repeat`).
    With ``peak`` given (the schedule's top), ``decay`` scales the peak and the
    floor stays: the factor on the height is ``(decay ** i * peak - floor) / (peak -
    floor)`` instead (timm's ``lr_min + 0.5 * (base * cycle_decay ** i - lr_min) *
    (1 + cos(...))``). From cycle ``limit`` on (``None``: no limit), and with
    ``period_factor < 1`` past the sum of all cycles ``period / (1 -
    period_factor)``, the value is ``floor``. timm's ``CosineLRScheduler(t_initial,
    lr_min, cycle_mul, cycle_decay, cycle_limit, k_decay)`` is ``Cycles(Cosine(1.0,
    t_initial, alpha=lr_min) ...)`` (``k_decay``: the schedule under
    ``Clock(..., PowerClock(k_decay, t_initial))``, ``peak=base``).

    The cycle is found exactly: for an integer step and a whole ``period`` by
    integer arithmetic when ``period_factor`` is 1 or a whole number (exact at any
    step, as :class:`CosineDecayRestarts`); otherwise by comparing the step with
    the starts ``S_i`` computed in floating point (a step within 4 ulps of a start
    is that restart), after a first guess from the logarithm: exact while the
    starts stay well below 2**24 in float32 (2**53 with x64), a few steps off
    beyond. timm (and
    fairseq) pick the cycle with ``math.floor(math.log(...))`` alone, which lands
    one cycle early at some exact restarts (``t_initial=5``, ``cycle_mul=10``:
    ``math.log(1000, 10) = 2.9999999999999996``, so step 555 is cycle 2's end, the
    floor, there, and the restart's peak here). Negative steps belong to cycle 0
    (the schedule sees them as they are). The schedule sees a float step (its
    position in a cycle is exact while it is below 2**24 in float32).

    Args:
      schedule: one cycle over ``[0, period)`` (child).
      period: the length of the first cycle; > 0 (count leaf).
      period_factor: the factor on each next cycle's length; > 0 (leaf).
      decay: the factor on each next cycle's height above ``floor``; >= 0 (leaf).
      floor: the value the cycles decay to and hold after the limit (leaf).
      peak: the schedule's top, where ``decay`` scales the peak, not the height
        (leaf, optional).
      limit: the number of cycles, then ``floor``; >= 0, ``None``: no limit
        (count leaf, optional).

    Raises:
      ValueError: ``period <= 0``, ``period_factor <= 0``, ``decay < 0`` or
        ``limit < 0``.
      TypeError: ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> one = jaxsched.Cosine(1.0, 10, alpha=0.1)
      >>> s = jaxsched.Cycles(one, 10, period_factor=2.0, decay=0.5, floor=0.1,
      ...                     limit=2)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 5, 10, 20, 30, 40)))
      1.000 0.550 0.550 0.325 0.100 0.100
    """

    schedule: Schedule = child()
    period: Numeric = leaf(check=POSITIVE, count=True)
    period_factor: Numeric = leaf(default=1.0, check=POSITIVE)
    decay: Numeric = leaf(default=1.0, check=NON_NEGATIVE)
    floor: Numeric = leaf(default=0.0)
    peak: Numeric | None = leaf(default=None, optional=True)
    limit: Numeric | None = leaf(
        default=None, check=NON_NEGATIVE, count=True, optional=True
    )

    _check = require_children

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        ft = _float_for(step)
        gt = np.dtype(jnp.promote_types(ft, value_dtype(self.period_factor)))
        equal_count, equal_local = _cycle(step, self.period)

        g = jnp.asarray(self.period_factor, gt)
        equal = g == 1
        g = jnp.where(equal, 2, g)
        log_g = jnp.log(g)
        p = jnp.asarray(self.period).astype(gt)
        s = step.astype(gt)
        arg = s / p * (g - 1)  # timm: log(1 - s / p * (1 - g)) / log(g)
        inside = arg > -1  # g < 1: before the sum of all cycles
        guess = jnp.floor(jnp.log1p(jnp.where(inside, arg, 0)) / log_g)
        limit = float(np.finfo(gt).maxexp)  # no start beyond the float range
        i = jnp.clip(guess, 0, limit)

        def start(k: jax.Array) -> jax.Array:
            return p * (jnp.expm1(k * log_g) / (g - 1))

        tol = 4 * float(jnp.finfo(gt).eps)

        def reached(k: jax.Array) -> jax.Array:
            """Whether cycle ``k`` has started: a step within a few ulps of a start
            computed in floating point counts as that restart."""
            start_k = start(k)
            return s >= start_k - tol * jnp.abs(start_k)

        for _ in range(2):  # the logarithm's guess is off by at most one
            early = ~reached(i) & (i > 0)
            i = i + reached(i + 1).astype(gt) - early.astype(gt)
        position = jnp.maximum(s - start(i), 0)
        geometric_local = jnp.clip(position * jnp.exp(-i * log_g), 0, p)
        if is_integer(step):  # whole period and factor: the cycle in integers
            exact, k, left = _restarts_exact(step, self.period, g, i, gt)
            i = jnp.where(exact, k, i)
            geometric_local = jnp.where(exact, p * (1 - left), geometric_local)
        geometric_local = jnp.where(s > 0, geometric_local, s)
        count = jnp.where(equal, equal_count.astype(gt), i)
        local = jnp.where(equal, equal_local.astype(gt), geometric_local)
        ended = ~equal & ~inside & (s > 0)

        inner = self.schedule(local.astype(ft))
        dtype = value_dtype(inner, self.decay, self.floor, self.peak)
        ct = compute_dtype(dtype)
        floor = jnp.asarray(self.floor, ct)
        factor = power_by_log(jnp.asarray(self.decay, ct), count.astype(ct), ct)
        if self.peak is not None:
            peak = jnp.asarray(self.peak, ct)
            height = peak - floor
            above = height != 0
            scaled = (factor * peak - floor) / jnp.where(above, height, 1)
            factor = jnp.where(above, scaled, factor)
        value = floor + factor * (inner.astype(ct) - floor)
        if self.limit is not None:
            ended = ended | (count >= jnp.asarray(self.limit).astype(gt))
        return jnp.where(ended, floor, value).astype(dtype)

    def key_steps(self) -> list[float]:
        """The starts of the first cycles (up to ``limit``) and the schedule's own
        key steps inside each (one member)."""
        p, g = ks.number(self.period), ks.number(self.period_factor)
        cycles = ks.CYCLES
        if self.limit is not None:
            cycles = min(cycles, int(np.ceil(ks.number(self.limit))))
        inner = [x for x in ks.union(self.schedule) if 0 <= x <= p]
        out, start = [0.0], 0.0
        for k in range(cycles):
            out += [start + x * g**k for x in inner]
            start += p * g**k
            out.append(start)
        return out
