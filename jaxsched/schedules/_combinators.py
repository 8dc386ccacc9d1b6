"""Combinators that move the step axis (warmup, shift, repeat) and the escape hatch.

A combinator is a schedule like any other: a frozen dataclass pytree whose nested
schedules are subtrees and whose numbers are leaves. A composite therefore jits with
the schedule as an argument (changing a number does not recompile), stacks into a
sweep for ``vmap``, differentiates with respect to its numbers, and round-trips
through ``to_dict()`` / ``from_dict()`` as nested dicts. Arithmetic on schedules
(``0.5 * s``, ``s1 + s2``, min, max, clip) lives in
:mod:`jaxsched.schedules._arithmetic`.

Local steps: ``Warmup``, ``Shift`` and ``Repeat`` hand their schedule a moved step.
With an integer step and an integer step count (``warmup_steps=100``) the local step
is an integer, computed with integer arithmetic that saturates at the dtype's limits
instead of wrapping, so it is exact at any step (2**31 - 1 included). A float count
(``100.0``) gives a float local step; its whole part is still subtracted in integer
arithmetic, so it is exact while the local step is below 2**24 (float32).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numeric, child, leaf, static
from jaxsched.core._math import (
    as_step,
    compute_dtype,
    default_float,
    floor_divmod,
    is_integer,
    power_by_log,
    safe_div,
    value_dtype,
    whole_divisor,
    wide_int,
)
from jaxsched.core._schedule import _REGISTRY, Schedule, require_children
from jaxsched.core._validation import NON_NEGATIVE, POSITIVE, invalid

__all__ = [
    "Lambda",
    "Repeat",
    "Shift",
    "Warmup",
]

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
        local = s - count * p
        # A rounded quotient of a giant step can leave local outside [0, p] (under
        # jit q * p fuses into an exact multiply-add): keep it in the cycle.
        return count, jnp.where(count > 0, jnp.clip(local, 0, p), local)
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
    warmup_steps: Numeric = leaf(check=NON_NEGATIVE, count=True)
    init_value: Numeric = leaf(default=0.0)
    shape: str = static(
        default="linear", type=str, choices=("linear", "cosine", "exponential")
    )

    _check = require_children

    def key_steps(self) -> list[float]:
        w = ks.number(self.warmup_steps)
        return [0.0, w, *ks.shifted(self.schedule, w)]

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
            # (1 - cos(pi * f)) / 2 as sin(pi / 2 * f) ** 2: no cancellation at start
            ramp = init + (target - init) * jnp.square(jnp.sin(f * (jnp.pi / 2)))
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
    offset: Numeric = leaf(count=True)

    _check = require_children

    def key_steps(self) -> list[float]:
        return ks.shifted(self.schedule, ks.number(self.offset))

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
    period: Numeric = leaf(check=POSITIVE, count=True)
    decay: Numeric = leaf(default=1.0, check=NON_NEGATIVE)

    _check = require_children

    def key_steps(self) -> list[float]:
        p = ks.number(self.period)
        inner = [x for x in ks.union(self.schedule) if 0 <= x <= p]
        out = []
        for k in range(ks.CYCLES):
            out += [k * p + x for x in inner] + [k * p]
        return [*out, ks.CYCLES * p]

    def __call__(self, step: Any) -> jax.Array:
        count, local = _cycle(as_step(step), self.period)
        inner = self.schedule(local)
        dtype = value_dtype(inner, self.decay)
        ct = compute_dtype(dtype)
        factor = power_by_log(jnp.asarray(self.decay, ct), count.astype(ct), ct)
        return (factor * inner.astype(ct)).astype(dtype)


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
