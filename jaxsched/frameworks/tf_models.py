"""TF Model Garden's schedules (``official/modeling/optimization/lr_schedule.py``).

Every class of Model Garden's ``lr_schedule.py`` under its own name, arguments and
defaults, as a jaxsched schedule of the optimizer's step count (Model Garden calls
its schedules with ``optimizer.iterations``). The four ``*WithOffset`` wrappers are
Keras's schedules at ``step - offset``, and jaxsched's Keras classes give Keras's
values (negative steps included, as before an offset). Model Garden computes in
float32; the mirrors give the float64 formula's values up to float32 rounding (and
to float64 rounding under x64). A ``name`` argument is accepted and kept where the
jaxsched class has one (the Keras classes), dropped elsewhere.

Model Garden -> jaxsched:

- ``PiecewiseConstantDecayWithOffset``: ``Shift(PiecewiseConstantDecay(b, v),
  offset)``
- ``PolynomialDecayWithOffset``: ``Shift(PolynomialDecay(...), offset)``
- ``ExponentialDecayWithOffset``: ``Shift(ExponentialDecay(...), offset)``
- ``CosineDecayWithOffset``: ``Shift(CosineDecay(lr, n, alpha), offset)``
- ``LinearWarmup(s, W, init)``: ``Warmup(Shift(s, -W), W, init)`` (the ramp targets
  ``s(W)``; ``s`` is not shifted)
- ``PolynomialWarmUp(s, W, power)``: ``WarmupHoldDecay(s, W, warmup_shape="power",
  warmup_power=power, handover="continuous")`` at ``max(step, 1)`` (a ``Join`` of
  two ``Shift(..., -1)``)
- ``DirectPowerDecay(lr, power)``: ``PowerLaw(lr, power, offset=0, min_step=1)``
- ``PowerAndLinearDecay``: ``Shift(Product(PowerLaw(lr, power, offset=0,
  min_step=1), Linear(1, 0, T * f, T * (1 - f))), offset)``
- ``PowerDecayWithOffset``: ``Join([Constant(pre), Minimum(PowerLaw(lr, power,
  offset=0, min_step=1), Constant(pre)) shifted by offset], [offset + 1])``
- ``StepCosineDecayWithOffset``: a ``Join`` of ``CosineAnnealingLR(v[i], b[i + 1] -
  b[i], v[i + 1])`` segments, shifted by ``offset``

Differences from Model Garden (documented; the tests check each):

- ``StepCosineDecayWithOffset``: the last segment has length 0 in Model Garden
  (``total_steps[-1] = 0``), so from the last boundary on (everywhere, with a single
  value) it divides by zero and returns NaN. The mirror holds ``values[-1]`` there
  (the limit of the cosine at the segment's start) and raises ``ValueError`` for a
  single value. Its first segment runs from step 0 (not ``boundaries[0]``) with
  length ``boundaries[1] - boundaries[0]``, and is not clamped: past its length it
  rises again, as in Model Garden.
- ``LinearWarmup`` at steps below 0 (which Model Garden never sees) holds
  ``warmup_learning_rate``; Model Garden extrapolates the ramp.
- ``PolynomialDecayWithOffset(cycle=True)`` before the offset: Keras divides by
  ``decay_steps * ceil(step / decay_steps) = 0`` there; the mirror gives the
  uncycled value.
- ``PowerAndLinearDecay`` with ``linear_decay_fraction > 1`` raises ``ValueError``
  (the linear factor would start below 1 inside the run).
- ``LinearWarmup`` and ``PolynomialWarmUp`` read ``after_warmup_lr_sched(
  warmup_steps)`` at every step (Model Garden reads it once, in ``__init__``): the
  same value, and a sweep over the inner schedule's leaves moves the target too.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from jaxsched.core._schedule import Schedule
from jaxsched.schedules._arithmetic import Minimum, Offset, Product
from jaxsched.schedules._combinators import Shift, Warmup
from jaxsched.schedules._join import Join
from jaxsched.schedules._keras import (
    CosineDecay,
    ExponentialDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
)
from jaxsched.schedules._power_law import PowerLaw
from jaxsched.schedules._primitives import Constant, Cosine, Linear
from jaxsched.schedules._shapes import WarmupHoldDecay
from jaxsched.schedules._torch import CosineAnnealingLR

__all__ = [
    "CosineDecayWithOffset",
    "DirectPowerDecay",
    "ExponentialDecayWithOffset",
    "LinearWarmup",
    "PiecewiseConstantDecayWithOffset",
    "PolynomialDecayWithOffset",
    "PolynomialWarmUp",
    "PowerAndLinearDecay",
    "PowerDecayWithOffset",
    "StepCosineDecayWithOffset",
]


def _error(owner: str, message: str) -> ValueError:
    return ValueError(f"tf_models.{owner}: {message}")


def _shifted(schedule: Schedule, offset: Any) -> Schedule:
    """``Shift(schedule, offset)``, also for ``offset=0``: the offset stays a leaf,
    so mirrors that differ only in it stack into one sweep."""
    return Shift(schedule, offset)


def _phases(parts: Sequence[tuple[float, Schedule, float]]) -> Schedule:
    """A ``Join`` of ``(start, schedule, origin)`` phases over steps >= 0: from
    ``start`` to the next start the value is ``schedule(step - origin)``. Starts
    below 0 count as 0; empty phases are dropped."""
    items = [(max(start, 0), schedule, origin) for start, schedule, origin in parts]
    kept = [
        item
        for i, item in enumerate(items)
        if i + 1 == len(items) or items[i + 1][0] > item[0]
    ]
    schedules, bounds = [], []
    for j, (start, schedule, origin) in enumerate(kept):
        begin = start if j else 0
        if j:
            bounds.append(start)
        if not isinstance(schedule, Constant):  # a leaf even when 0: one structure
            schedule = Shift(schedule, origin - begin)
        schedules.append(schedule)
    return schedules[0] if len(schedules) == 1 else Join(schedules, bounds)


def _keras_at_offset(keras: Any, args: tuple, name: Any, offset: Any) -> Schedule:
    """The Keras schedule ``keras(*args)`` (named ``name``, Keras's default name
    when None) at ``step - offset``: Model Garden's ``*WithOffset`` wrappers."""
    kw: dict[str, Any] = {} if name is None else {"name": name}
    return _shifted(keras(*args, **kw), offset)


def _as_schedule(after: Any) -> Schedule:
    return after if isinstance(after, Schedule) else Constant(after)


def PiecewiseConstantDecayWithOffset(
    boundaries: Sequence[Any],
    values: Sequence[Any],
    offset: Any = 0,
    name: str | None = None,
) -> Schedule:
    """Keras's ``PiecewiseConstantDecay(boundaries, values)`` at ``step - offset``.

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> s = tf_models.PiecewiseConstantDecayWithOffset([10, 20], [1.0, 0.5, 0.1],
      ...                                                offset=5)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 15, 16, 25, 26)))
      1 1 0.5 0.5 0.1
    """
    args = (boundaries, values)
    return _keras_at_offset(PiecewiseConstantDecay, args, name, offset)


def PolynomialDecayWithOffset(
    initial_learning_rate: Any,
    decay_steps: Any,
    end_learning_rate: Any = 0.0001,
    power: Any = 1.0,
    cycle: bool = False,
    name: str | None = None,
    offset: Any = 0,
) -> Schedule:
    """Keras's ``PolynomialDecay`` at ``step - offset``.

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> s = tf_models.PolynomialDecayWithOffset(1.0, 10, 0.0, offset=10)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (10, 15, 20, 30)))
      1 0.5 0 0
    """
    args = (initial_learning_rate, decay_steps, end_learning_rate, power, cycle)
    return _keras_at_offset(PolynomialDecay, args, name, offset)


def ExponentialDecayWithOffset(
    initial_learning_rate: Any,
    decay_steps: Any,
    decay_rate: Any,
    staircase: bool = False,
    name: str | None = None,
    offset: Any = 0,
) -> Schedule:
    """Keras's ``ExponentialDecay`` at ``step - offset``.

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> s = tf_models.ExponentialDecayWithOffset(1.0, 10, 0.5, offset=10)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (10, 20, 30)))
      1 0.5 0.25
    """
    args = (initial_learning_rate, decay_steps, decay_rate, staircase)
    return _keras_at_offset(ExponentialDecay, args, name, offset)


def CosineDecayWithOffset(
    initial_learning_rate: Any,
    decay_steps: Any,
    alpha: Any = 0.0,
    name: str | None = None,
    offset: Any = 0,
) -> Schedule:
    """Keras's ``CosineDecay`` (``tf.keras.experimental.CosineDecay``, no warmup) at
    ``step - offset``; before the offset the cosine is evaluated at a negative
    fraction (its mirror image), as in Model Garden.

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> s = tf_models.CosineDecayWithOffset(1.0, 10, offset=10)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (5, 10, 15, 20)))
      0.5 1 0.5 0
    """
    args = (initial_learning_rate, decay_steps, alpha)
    return _keras_at_offset(CosineDecay, args, name, offset)


def LinearWarmup(
    after_warmup_lr_sched: Schedule | float,
    warmup_steps: Any,
    warmup_learning_rate: Any,
    name: str | None = None,
) -> Schedule:
    """A linear ramp from ``warmup_learning_rate`` towards
    ``after_warmup_lr_sched(warmup_steps)``, then the schedule at the same step (not
    shifted).

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> from jaxsched.frameworks.tf_models import CosineDecayWithOffset
      >>> s = tf_models.LinearWarmup(CosineDecayWithOffset(1.0, 10), 5, 0.0)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 1, 5, 10)))
      0 0.1 0.5 0
    """
    del name
    after = _as_schedule(after_warmup_lr_sched)
    return Warmup(_shifted(after, -warmup_steps), warmup_steps, warmup_learning_rate)


def PolynomialWarmUp(
    after_warmup_lr_sched: Schedule | float,
    warmup_steps: Any,
    power: Any = 1.0,
    name: str = "PolynomialWarmup",
) -> Schedule:
    """``target * (max(step, 1) / warmup_steps) ** power`` below ``warmup_steps``
    (``target = after_warmup_lr_sched(warmup_steps)``), then the schedule (not
    shifted).

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> s = tf_models.PolynomialWarmUp(0.1, 10, power=2.0)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 1, 5, 10)))
      0.001 0.001 0.025 0.1
    """
    del name
    after = _as_schedule(after_warmup_lr_sched)
    if isinstance(warmup_steps, (int, float)) and warmup_steps <= 0:
        return after  # Model Garden: the warmup branch is never taken
    ramp = WarmupHoldDecay(
        after,
        warmup_steps,
        warmup_shape="power",
        warmup_power=power,
        handover="continuous",
    )
    # max(step, 1): step 0 takes step 1's value (both parts see the step + 1)
    return Join([Shift(ramp, -1), Shift(ramp, -1)], [1])


def DirectPowerDecay(
    initial_learning_rate: Any,
    power: Any = 1.0,
    name: str = "DirectPowerDecay",
) -> Schedule:
    """``initial_learning_rate * max(step, 1) ** power``.

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> s = tf_models.DirectPowerDecay(1.0, -0.5)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 1, 4, 100)))
      1 1 0.5 0.1
    """
    del name
    return PowerLaw(initial_learning_rate, power, offset=0.0, min_step=1)


def PowerAndLinearDecay(
    initial_learning_rate: Any,
    total_decay_steps: Any,
    power: Any = 1.0,
    linear_decay_fraction: Any = 0.1,
    offset: Any = 0,
    name: str = "PowerAndLinearDecay",
) -> Schedule:
    """``lr * max(t, 1) ** power * clip((T - t) / (T * f), 0, 1)`` with ``t = step -
    offset``, ``T = total_decay_steps`` and ``f = linear_decay_fraction`` (no linear
    factor when ``T * f <= 0``, as in Model Garden).

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> s = tf_models.PowerAndLinearDecay(1.0, 100, -0.5, 0.5)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 4, 50, 75, 100)))
      1.000 0.500 0.141 0.058 0.000
    """
    del name
    power_law = PowerLaw(initial_learning_rate, power, offset=0.0, min_step=1)
    total, fraction = total_decay_steps, linear_decay_fraction
    if not total * fraction > 0:
        return _shifted(power_law, offset)
    if fraction > 1:
        raise _error(
            "PowerAndLinearDecay",
            "linear_decay_fraction > 1 is not supported. "
            f"Received: linear_decay_fraction={fraction!r}",
        )
    linear = Linear(1.0, 0.0, total * fraction, total - total * fraction)
    return _shifted(Product(power_law, linear), offset)


def PowerDecayWithOffset(
    initial_learning_rate: Any,
    power: Any = 1.0,
    offset: Any = 0,
    pre_offset_learning_rate: Any = 1.0e6,
    name: str = "PowerDecayWithOffset",
) -> Schedule:
    """``pre_offset_learning_rate`` up to ``offset``, then ``min(lr * max(step -
    offset, 1) ** power, pre_offset_learning_rate)``.

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> s = tf_models.PowerDecayWithOffset(1.0, -0.5, offset=10,
      ...                                    pre_offset_learning_rate=3.0)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 10, 11, 14, 110)))
      3 3 1 0.5 0.1
    """
    del name
    power_law = PowerLaw(initial_learning_rate, power, offset=0.0, min_step=1)
    pre = Constant(pre_offset_learning_rate)
    after = Minimum(power_law, pre)
    return _phases([(0, pre, 0), (math.floor(offset) + 1, after, offset)])


def StepCosineDecayWithOffset(
    boundaries: Sequence[Any],
    values: Sequence[Any],
    offset: Any = 0,
    name: str = "StepCosineDecayWithOffset",
) -> Schedule:
    """Cosine segments: from ``values[i]`` at ``boundaries[i]`` towards
    ``values[i + 1]`` at ``boundaries[i + 1]`` (``step - offset``); the first segment
    from step 0 with length ``boundaries[1] - boundaries[0]``; ``values[-1]`` from
    the last boundary on (Model Garden: NaN there).

    Example:
      >>> from jaxsched.frameworks import tf_models
      >>> s = tf_models.StepCosineDecayWithOffset([0, 10, 20], [1.0, 0.5, 0.1])
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 5, 10, 15, 20, 99)))
      1 0.75 0.5 0.3 0.1 0.1
    """
    del name
    owner = "StepCosineDecayWithOffset"
    b, v = list(boundaries), list(values)
    if len(v) < 2:
        raise _error(
            owner,
            "needs at least 2 values: with one, Model Garden divides by a segment "
            f"of length 0 (NaN at every step). Received: values={values!r}",
        )
    if len(b) != len(v):
        raise _error(
            owner,
            f"needs as many boundaries as values. Received: {len(b)} boundaries, "
            f"{len(v)} values",
        )
    if any(not q > p for p, q in itertools.pairwise(b)):
        raise _error(owner, f"boundaries must increase strictly. Received: {b!r}")
    first = b[1] - b[0]
    parts: list[tuple[float, Schedule, float]] = []
    if offset > 0:  # before the offset: the cosine's mirror image (Cosine is even)
        parts.append((0, Offset(Cosine(v[0] - v[1], first), v[1]), offset))
    parts.append((offset, CosineAnnealingLR(v[0], first, v[1]), offset))
    for i in range(1, len(v) - 1):
        segment = CosineAnnealingLR(v[i], b[i + 1] - b[i], v[i + 1])
        parts.append((offset + b[i], segment, offset + b[i]))
    parts.append((offset + b[-1], Constant(v[-1]), 0))
    return _phases(parts)
