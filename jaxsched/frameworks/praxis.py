# ruff: noqa: A002  (praxis's class names, and its fields max and min)
"""praxis's schedules by their class names, as jaxsched schedules.

Each function takes the fields of the class of ``praxis/schedules.py``
(``google/praxis`` at ``feeaff1``), with praxis's names, order and defaults, and
returns what its ``value_at(step)`` returns: a **multiplier** (praxis's optimizers
multiply it by their ``learning_rate``). Sub-schedules of ``PiecewiseSchedule`` and
``CycleSchedule`` are jaxsched schedules (these functions' results). Each row gives
praxis's values (up to praxis's float32 rounding):

=================================  =====================================================
praxis                             jaxsched
=================================  =====================================================
``Constant``                       ``Constant(value)``
``Polynomial(origin="limit")``     ``Polynomial(y0, y1, power, x1 - x0, x0)``
``Polynomial(origin="start")``     ``Shift(WarmupHoldDecay(Constant(y1), warmup=x1 - x0,
                                   init_value=y0, end_value=y1,
                                   warmup_shape="power", warmup_power=power), x0)``
                                   (the ease-in ``y0 + r**p * (y1 - y0)``;
                                   ``power=1``: ``Linear``)
``Linear``                         ``Linear(y0, y1, x1 - x0, x0)``
``Exponential``                    ``Exponential(y0, x1 - x0, y1 / y0, x0,
                                   end_value=y1, bounded=True)``
``Cosine``                         ``Cosine(initial - final, total_steps) + final``
``DelayedCosine``                  ``PiecewiseInterpolate([x0, x1], [y0, y1],
                                   "cosine")``
``LinearRampupPolynomialDecay``    ``WarmupHoldDecay(Constant(max), W, decay_start - W,
                                   decay_end - decay_start, end_value=max *
                                   min_ratio, decay_shape="power")``
``LinearRampupCosineDecay``        the same with ``decay_shape="cosine"``, after
                                   ``Constant(1.0)`` until ``start_step`` (``Join``)
``LinearRampupExponentialDecay``   the same with ``decay_shape="exponential",
                                   decay_rate=min_ratio``
``PiecewiseConstant``              ``PiecewiseConstant`` (praxis's values, see
                                   below)
``LinearRampupPiecewiseConstant``  ``Join([Linear(0, values[0], b0),
                                   PiecewiseConstant(...)], [b0])``
``Transformer``                    ``Shift(Noam(model_dim, W * worker_replicas),
                                   -1)``; ``decay_end``: on the clock ``min(step,
                                   decay_end)`` (``Clock``)
``SqrtDecay``                      ``Shift(PowerLaw(multiplier, -0.5, offset=0,
                                   min_step=decay_start), offset)``
``LinearRampupSqrtDecay``          ``Noam(1, W, scale=peak * sqrt(W))``
``PiecewiseSchedule``              ``Join(schedules, boundaries)``
``CycleSchedule``                  ``sum(schedule_i * Repeat(indicator_i,
                                   period))``: each sub-schedule sees the absolute
                                   step, as in praxis
``ContinuousSchedule``             ``initial_value * Exponential(1.0,
                                   half_life_steps, 0.5, start_step, end_value=min,
                                   bounded=True)``
=================================  =====================================================

praxis's quirks, kept: ``PiecewiseConstant`` picks its value with ``where(v > 0,
...)``, so an interval whose value is 0 or negative shows the next positive value of
a later interval (or 0 when there is none; the last interval always shows its own):
the mirror computes those shown values at construction, for integer steps (at a float
step within one step below the last boundary praxis already shows the last value).
``LinearRampupCosineDecay`` is 1.0, not 0, before ``start_step``. ``Transformer``
peaks at ``step = warmup_steps * worker_replicas - 1`` (it evaluates at ``step +
1``). ``LinearRampupSqrtDecay`` gives step 1's value at step 0; with
``warmup_steps=0`` it is 0 everywhere. ``SqrtDecay`` with ``decay_start=0`` is
``inf`` at ``step == offset``. These are praxis's values.

Differences from praxis: what praxis rejects with ``assert`` or an exception at
construction (``x0 >= x1``, ``decay_end <= decay_start``, ``max <= 0``, a
non-positive ``Exponential`` end, ``ContinuousSchedule(min)`` outside (0, 1)) is a
``ValueError`` here; so is what praxis accepts but divides by zero at
(``Cosine(total_steps=0)``: NaN at step 0; ``CycleSchedule`` with no steps), and a
``Polynomial(origin="start")`` or ``LinearRampupPolynomialDecay`` power <= 0. praxis
computes in float32 (and compares float32 steps with the boundaries, inexact past
2**24); jaxsched's integer steps are exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid
from jaxsched.schedules._arithmetic import Minimum, Scale, Sum
from jaxsched.schedules._clock import Clock, StretchClock
from jaxsched.schedules._combinators import Repeat, Shift
from jaxsched.schedules._join import Join
from jaxsched.schedules._power_law import Noam, PowerLaw
from jaxsched.schedules._primitives import Constant as _Constant
from jaxsched.schedules._primitives import Cosine as _Cosine
from jaxsched.schedules._primitives import Exponential as _Exponential
from jaxsched.schedules._primitives import Linear as _Linear
from jaxsched.schedules._primitives import PiecewiseConstant as _PiecewiseConstant
from jaxsched.schedules._primitives import PiecewiseInterpolate
from jaxsched.schedules._primitives import Polynomial as _Polynomial
from jaxsched.schedules._shapes import WarmupHoldDecay

__all__ = [
    "Constant",
    "ContinuousSchedule",
    "Cosine",
    "CycleSchedule",
    "DelayedCosine",
    "Exponential",
    "Linear",
    "LinearRampupCosineDecay",
    "LinearRampupExponentialDecay",
    "LinearRampupPiecewiseConstant",
    "LinearRampupPolynomialDecay",
    "LinearRampupSqrtDecay",
    "PiecewiseConstant",
    "PiecewiseSchedule",
    "Polynomial",
    "SqrtDecay",
    "Transformer",
]


def _fail(owner: str, field: str, value: Any, expected: str, detail: str = ""):
    return invalid(f"praxis.{owner}", field, value, expected, detail=detail)


def _points(owner: str, start: Any, limit: Any) -> tuple[Any, Any, Any, Any]:
    """``(x0, y0, x1, y1)``, with praxis's check ``x0 < x1``."""
    for name, point in (("start", start), ("limit", limit)):
        if len(point) != 2:
            raise _fail(owner, name, point, "a pair (step, value)")
    (x0, y0), (x1, y1) = start, limit
    if not x0 < x1:
        raise _fail(owner, "limit", limit, f"at a step > start's {x0}")
    return x0, y0, x1, y1


def _at(schedule: Schedule, x0: Any) -> Schedule:
    """``schedule`` moved to start at ``x0`` (``Shift`` only where ``x0 != 0``)."""
    return schedule if x0 == 0 else Shift(schedule, x0)


def _schedules(owner: str, schedules: Any) -> list[Schedule]:
    if schedules is None or not all(isinstance(s, Schedule) for s in schedules):
        raise invalid(
            f"praxis.{owner}",
            "schedules",
            schedules,
            "a sequence of jaxsched schedules",
            error=TypeError,
        )
    return list(schedules)


def _kept(parts: Sequence[tuple[Any, Schedule]]) -> list[tuple[Any, Schedule]]:
    """``(start, schedule)`` pairs with non-decreasing starts, less each part that a
    later part starting at the same step replaces."""
    kept: list[tuple[Any, Schedule]] = []
    for start, part in parts:
        while kept and kept[-1][0] >= start:
            kept.pop()
        kept.append((start, part))
    return kept


def _join(parts: Sequence[tuple[Any, Schedule]]) -> Schedule:
    """optax's ``join_schedules`` of ``(start, schedule)`` pairs with non-decreasing
    starts: a later part starting where an earlier one does replaces it."""
    kept = _kept(parts)
    if len(kept) == 1:
        return kept[0][1]
    return Join([p for _, p in kept], [s for s, _ in kept[1:]])


def _shown(values: Sequence[Any]) -> list[float]:
    """The values praxis's ``PiecewiseConstant`` shows per interval (integer steps):
    the first value > 0 from the interval's own on (not the last's), else 0; the last
    interval its own."""
    values = [float(v) for v in values]
    shown = []
    for j in range(len(values) - 1):
        shown.append(next((v for v in values[j:-1] if v > 0), 0.0))
    return [*shown, values[-1]]


def _piecewise(owner: str, boundaries: Any, values: Any) -> Schedule:
    if boundaries is None or values is None:
        raise _fail(owner, "boundaries", boundaries, "given, and values too")
    boundaries, values = list(boundaries), list(values)
    if len(values) != len(boundaries) + 1:
        raise _fail(owner, "values", values, f"{len(boundaries) + 1} values")
    if sorted(boundaries) != boundaries:
        raise _fail(owner, "boundaries", boundaries, "sorted")
    shown = _shown(values)
    if not boundaries:
        return _Constant(shown[0])
    # an empty interval [b, b) is left out with its boundary
    kept_b, kept_v = [], [shown[0]]
    for i in range(len(boundaries)):
        if i + 1 < len(boundaries) and boundaries[i] == boundaries[i + 1]:
            continue
        kept_b.append(boundaries[i])
        kept_v.append(shown[i + 1])
    return _PiecewiseConstant(kept_b, kept_v)


# ----------------------------------------------------------------------- classes


def Constant(value: float = 1.0) -> Schedule:
    """praxis ``Constant``: ``value`` at every step.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> print(f"{float(praxis.Constant(0.5)(10)):.2f}")
      0.50
    """
    return _Constant(value)


def Polynomial(
    power: float = 1,
    start: tuple[int, float] = (0, 1.0),
    limit: tuple[int, float] = (1, 1.0),
    origin: str = "start",
) -> Schedule:
    """praxis ``Polynomial``: ``y0`` before ``x0``, ``y1`` from ``x1`` on, between
    ``y0 + f(r) * (y1 - y0)`` with ``r = (x - x0) / (x1 - x0)`` and ``f(r) = r **
    power`` (``origin="start"``, an ease-in) or ``1 - (1 - r) ** power``
    (``"limit"``).

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.Polynomial(2, start=(0, 0.0), limit=(10, 1.0))
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 5, 10)))
      0.00 0.25 1.00
    """
    x0, y0, x1, y1 = _points("Polynomial", start, limit)
    if origin not in ("start", "limit"):
        raise _fail("Polynomial", "origin", origin, "'start' or 'limit'")
    if origin == "limit":
        return _at(_Polynomial(y0, y1, power, x1 - x0), x0)
    if power == 1:
        return _at(_Linear(y0, y1, x1 - x0), x0)
    if not power > 0:
        raise _fail(
            "Polynomial",
            "power",
            power,
            "> 0 with origin='start'",
            detail="praxis gives y1 from x0 on (power 0) or inf (power < 0)",
        )
    ramp = WarmupHoldDecay(
        _Constant(y1),
        warmup=x1 - x0,
        hold=0,
        decay=0,
        init_value=y0,
        end_value=y1,
        warmup_shape="power",
        warmup_power=power,
    )
    return _at(ramp, x0)


def Linear(
    power: float = 1,
    start: tuple[int, float] = (0, 1.0),
    limit: tuple[int, float] = (1, 1.0),
    origin: str = "start",
) -> Schedule:
    """praxis ``Linear`` (a ``Polynomial`` whose ``power`` defaults to 1): ``y0``
    before ``x0``, linear to ``y1`` at ``x1``, then ``y1``.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.Linear(start=(2, 1.0), limit=(6, 0.0))
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 4, 6, 9)))
      1.00 0.50 0.00 0.00
    """
    return Polynomial(power, start, limit, origin)


def Exponential(
    start: tuple[int, float] = (0, 1.0), limit: tuple[int, float] = (1, 0.5)
) -> Schedule:
    """praxis ``Exponential``: ``y0`` before ``x0``, ``y0 * (y1 / y0) ** r`` between
    (the exponential of a linear interpolation of ``log y``), ``y1`` from ``x1`` on.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.Exponential(start=(0, 1.0), limit=(10, 0.01))
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 5, 10, 20)))
      1.000 0.100 0.010 0.010
    """
    x0, y0, x1, y1 = _points("Exponential", start, limit)
    for name, y in (("start", y0), ("limit", y1)):
        if not y > 0:
            raise _fail(
                "Exponential", name, (start, limit)[name == "limit"], "a value > 0"
            )
    decay = _Exponential(y0, x1 - x0, y1 / y0, end_value=y1, bounded=True)
    return _at(decay, x0)


def Cosine(
    initial_value: float = 1.0, final_value: float = 0.0, total_steps: int = 0
) -> Schedule:
    """praxis ``Cosine``: ``final + (initial - final) * (1 + cos(pi * min(1, t /
    total_steps))) / 2``.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.Cosine(1.0, 0.1, total_steps=10)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 5, 10, 20)))
      1.000 0.550 0.100 0.100
    """
    if not total_steps > 0:
        raise _fail(
            "Cosine",
            "total_steps",
            total_steps,
            "> 0",
            detail="praxis gives NaN at step 0",
        )
    return _Cosine(initial_value - final_value, total_steps) + final_value


def DelayedCosine(
    start: tuple[int, float] = (0, 1.0), limit: tuple[int, float] = (1, 0.5)
) -> Schedule:
    """praxis ``DelayedCosine``: ``y0`` before ``x0``, a half cosine from ``y0`` to
    ``y1`` between, ``y1`` from ``x1`` on.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.DelayedCosine(start=(10, 1.0), limit=(20, 0.0))
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 10, 15, 20)))
      1.00 1.00 0.50 0.00
    """
    x0, y0, x1, y1 = _points("DelayedCosine", start, limit)
    if not y0 > 0:
        raise _fail("DelayedCosine", "start", start, "a value > 0")
    if not y1 >= 0:
        raise _fail("DelayedCosine", "limit", limit, "a value >= 0")
    return PiecewiseInterpolate([x0, x1], [y0, y1], "cosine")


def _rampup(
    owner: str,
    fields: tuple[Any, Any, Any, Any, Any],
    checks: Sequence[tuple[str, Any, bool, str, str]] = (),
    **decay: Any,
) -> WarmupHoldDecay:
    """0 to ``max`` over ``warmup_steps``, ``max`` until ``decay_start``, then the
    ``decay`` shape to ``max * min_ratio`` at ``decay_end``, from ``fields =
    (warmup_steps, decay_start, decay_end, min_ratio, max)`` checked as praxis needs
    them, then ``checks``: ``(field, value, ok, expected, detail)``."""
    warmup_steps, decay_start, decay_end, min_ratio, peak = fields
    if warmup_steps < 0:
        raise _fail(owner, "warmup_steps", warmup_steps, ">= 0")
    if not decay_start >= warmup_steps:
        raise _fail(
            owner, "decay_start", decay_start, f">= warmup_steps ({warmup_steps})"
        )
    if not decay_end > decay_start:
        raise _fail(
            owner,
            "decay_end",
            decay_end,
            f"> decay_start ({decay_start})",
            detail="praxis's decay needs start < limit",
        )
    if not peak > 0:
        raise _fail(owner, "max", peak, "> 0")
    for field, value, ok, expected, detail in checks:
        if not ok:
            raise _fail(owner, field, value, expected, detail=detail)
    return WarmupHoldDecay(
        _Constant(peak),
        warmup=warmup_steps,
        hold=decay_start - warmup_steps,
        decay=decay_end - decay_start,
        end_value=peak * min_ratio,
        **decay,
    )


def LinearRampupPolynomialDecay(
    warmup_steps: int = 0,
    decay_start: int = 0,
    decay_end: int = 0,
    power: int = 1,
    min_ratio: float = 0.01,
    max: float = 0.0,
) -> Schedule:
    """praxis ``LinearRampupPolynomialDecay``: 0 to ``max`` over ``warmup_steps``,
    ``max`` until ``decay_start``, then praxis's ``Polynomial`` (``origin="start"``:
    ``max + r ** power * (max * min_ratio - max)``) until ``decay_end``, then ``max *
    min_ratio``.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.LinearRampupPolynomialDecay(2, 4, 8, power=2, min_ratio=0.0,
      ...                                        max=1.0)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in range(10)))
      0.000 0.500 1.000 1.000 1.000 0.938 0.750 0.438 0.000 0.000
    """
    return _rampup(
        "LinearRampupPolynomialDecay",
        (warmup_steps, decay_start, decay_end, min_ratio, max),
        [("power", power, power > 0, "> 0", "praxis: a jump or inf")],
        decay_shape="power",
        decay_power=power,
    )


def LinearRampupCosineDecay(
    start_step: int = 0,
    warmup_steps: int = 0,
    decay_start: int = 0,
    decay_end: int = 0,
    min_ratio: float = 0.01,
    max: float = 0.0,
) -> Schedule:
    """praxis ``LinearRampupCosineDecay``: 1.0 until ``start_step``; from there (the
    other steps count from ``start_step``) 0 to ``max`` over ``warmup_steps``,
    ``max`` until ``decay_start``, a half cosine to ``max * min_ratio`` at
    ``decay_end``, then ``max * min_ratio``.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.LinearRampupCosineDecay(2, 2, 2, 6, min_ratio=0.0, max=2.0)
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in range(9)))
      1.00 1.00 0.00 1.00 2.00 1.71 1.00 0.29 0.00
    """
    core = _rampup(
        "LinearRampupCosineDecay",
        (warmup_steps, decay_start, decay_end, min_ratio, max),
        [
            ("min_ratio", min_ratio, min_ratio >= 0, ">= 0", ""),
            ("start_step", start_step, not start_step < 0, ">= 0", ""),
        ],
        decay_shape="cosine",
    )
    return Join([_Constant(1.0), core], [start_step]) if start_step > 0 else core


def PiecewiseConstant(
    boundaries: Sequence[int] | None = None, values: Sequence[float] | None = None
) -> Schedule:
    """praxis ``PiecewiseConstant``: ``values[i]`` for ``boundaries[i - 1] <= step <
    boundaries[i]``, with praxis's handling of values <= 0 (module docstring).

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.PiecewiseConstant([5, 10], [1.0, 0.5, 0.1])
      >>> print(" ".join(f"{float(s(t)):.1f}" for t in (4, 5, 10)))
      1.0 0.5 0.1
    """
    return _piecewise("PiecewiseConstant", boundaries, values)


def Transformer(
    warmup_steps: int = 4000,
    model_dim: int = 512,
    worker_replicas: int = 1,
    decay_end: int | None = None,
) -> Schedule:
    """praxis ``Transformer``: ``model_dim ** -0.5 * min((t + 1) * W ** -1.5, (t +
    1) ** -0.5)`` with ``W = warmup_steps * worker_replicas`` and ``t = min(step,
    decay_end)``.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.Transformer(warmup_steps=4, model_dim=16)
      >>> print(" ".join(f"{float(s(t)):.4f}" for t in (0, 3, 15)))
      0.0312 0.1250 0.0625
    """
    noam = Shift(
        Noam(d_model=model_dim, warmup_steps=warmup_steps * worker_replicas), -1
    )
    if decay_end is None:
        return noam
    clock = Minimum(StretchClock(1.0), _Constant(float(decay_end)))
    return Clock(noam, clock)


def SqrtDecay(
    decay_start: int = 10000, multiplier: float = 1.0, offset: float = 0.0
) -> Schedule:
    """praxis ``SqrtDecay``: ``multiplier / sqrt(max(step - offset, decay_start))``.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.SqrtDecay(decay_start=4, offset=2.0)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 6, 18)))
      0.500 0.500 0.250
    """
    if decay_start < 0:
        raise _fail(
            "SqrtDecay", "decay_start", decay_start, ">= 0", detail="praxis: NaN"
        )
    law = PowerLaw(multiplier, -0.5, offset=0.0, min_step=decay_start)
    return Shift(law, offset)


def LinearRampupSqrtDecay(peak: float = 1.0, warmup_steps: int = 4000) -> Schedule:
    """praxis ``LinearRampupSqrtDecay``: ``peak * min(t / W, sqrt(W / t))`` with ``t =
    max(step, 1)``.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.LinearRampupSqrtDecay(2.0, warmup_steps=4)
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 1, 4, 16)))
      0.50 0.50 2.00 1.00
    """
    if warmup_steps < 0:
        raise _fail("LinearRampupSqrtDecay", "warmup_steps", warmup_steps, ">= 0")
    return Noam(
        d_model=1.0, warmup_steps=warmup_steps, scale=peak * math.sqrt(warmup_steps)
    )


def LinearRampupExponentialDecay(
    warmup_steps: int = 0,
    decay_start: int = 0,
    decay_end: int = 0,
    min_ratio: float = 0.01,
    max: float = 0.0,
) -> Schedule:
    """praxis ``LinearRampupExponentialDecay``: 0 to ``max`` over ``warmup_steps``,
    ``max`` until ``decay_start``, geometric to ``max * min_ratio`` at
    ``decay_end``, then ``max * min_ratio``.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.LinearRampupExponentialDecay(2, 2, 4, min_ratio=0.25, max=1.0)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in range(6)))
      0.000 0.500 1.000 0.500 0.250 0.250
    """
    return _rampup(
        "LinearRampupExponentialDecay",
        (warmup_steps, decay_start, decay_end, min_ratio, max),
        [("min_ratio", min_ratio, min_ratio > 0, "> 0", "praxis takes its log")],
        decay_shape="exponential",
        decay_rate=min_ratio,
    )


def LinearRampupPiecewiseConstant(
    boundaries: Sequence[int] | None = None, values: Sequence[float] | None = None
) -> Schedule:
    """praxis ``LinearRampupPiecewiseConstant``: 0 to ``values[0]`` over
    ``boundaries[0]`` steps, then ``values[i]`` from ``boundaries[i]`` on (praxis's
    ``PiecewiseConstant`` after the ramp).

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.LinearRampupPiecewiseConstant([4, 8], [1.0, 0.1])
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 2, 4, 8)))
      0.00 0.50 1.00 0.10
    """
    owner = "LinearRampupPiecewiseConstant"
    if boundaries is None or values is None or not len(boundaries) >= 1:
        raise _fail(owner, "boundaries", boundaries, "at least one boundary")
    if len(boundaries) != len(values):
        raise _fail(
            owner, "values", values, f"{len(boundaries)} values (one per boundary)"
        )
    b0 = boundaries[0]
    if not b0 > 0:
        raise _fail(owner, "boundaries", boundaries, "starting > 0 (the ramp's end)")
    rest = _piecewise(owner, [b - b0 for b in boundaries[1:]], values)
    return Join([_Linear(0.0, values[0], b0), rest], [b0])


def PiecewiseSchedule(
    boundaries: Sequence[int] | None = None,
    schedules: Sequence[Schedule] | None = None,
) -> Schedule:
    """praxis ``PiecewiseSchedule``: ``schedules[i]`` from ``boundaries[i - 1]`` on,
    seeing the step relative to its start.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.PiecewiseSchedule(
      ...     [4], [praxis.Linear(start=(0, 0.0), limit=(4, 1.0)),
      ...           praxis.Cosine(1.0, 0.0, 8)])
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 2, 4, 8, 12)))
      0.00 0.50 1.00 0.50 0.00
    """
    owner = "PiecewiseSchedule"
    parts = _schedules(owner, schedules)
    if boundaries is None:
        raise _fail(owner, "boundaries", boundaries, "a sequence of steps")
    boundaries = list(boundaries)
    previous = 0
    for b in boundaries:
        if b < previous:
            raise _fail(owner, "boundaries", boundaries, "non-decreasing, from 0")
        previous = b
    if len(parts) != len(boundaries) + 1:
        raise _fail(owner, "schedules", schedules, f"{len(boundaries) + 1} schedules")
    return _join(list(zip([0, *boundaries], parts, strict=True)))


def CycleSchedule(
    schedules: Sequence[Schedule] | None = None, steps: Sequence[int] | None = None
) -> Schedule:
    """praxis ``CycleSchedule``: ``schedules[i]`` for ``steps[i]`` steps in turn,
    cycling; each sees the absolute step (not the step within its turn).

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.CycleSchedule([praxis.Constant(1.0), praxis.Constant(0.5)],
      ...                          [2, 3])
      >>> print(" ".join(f"{float(s(t)):.1f}" for t in range(7)))
      1.0 1.0 0.5 0.5 0.5 1.0 1.0
    """
    owner = "CycleSchedule"
    parts = _schedules(owner, schedules)
    if steps is None or len(steps) != len(parts):
        raise _fail(owner, "steps", steps, f"{len(parts)} lengths (one per schedule)")
    if any(s < 0 for s in steps) or not sum(steps) > 0:
        raise _fail(
            owner, "steps", steps, "lengths >= 0 with a sum > 0", detail="praxis: mod 0"
        )
    starts = [0]
    for s in steps[:-1]:
        starts.append(starts[-1] + s)
    kept = _kept(list(zip(starts, parts, strict=True)))
    if len(kept) == 1:
        return kept[0][1]
    period = sum(steps)
    bounds = [s for s, _ in kept[1:]]
    terms = []
    for i, (_, part) in enumerate(kept):
        onehot = [1.0 if j == i else 0.0 for j in range(len(kept))]
        terms.append(part * Repeat(_PiecewiseConstant(bounds, onehot), period))
    total = terms[0]
    for term in terms[1:]:
        total = Sum(total, term)
    return total


def ContinuousSchedule(
    initial_value: float = 1.0,
    start_step: int = 400_000,
    half_life_steps: int = 100_000,
    min: float = 0.01,
) -> Schedule:
    """praxis ``ContinuousSchedule``: ``initial_value`` until ``start_step``, then
    halved every ``half_life_steps`` down to ``initial_value * min``.

    Example:
      >>> from jaxsched.frameworks import praxis
      >>> s = praxis.ContinuousSchedule(1.0, 10, 10, min=0.2)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 10, 20, 30, 99)))
      1.000 1.000 0.500 0.250 0.200
    """
    owner = "ContinuousSchedule"
    if not 0 < min < 1:
        raise _fail(owner, "min", min, "in (0, 1)", detail="praxis fails on its log")
    if not half_life_steps > 0:
        raise _fail(owner, "half_life_steps", half_life_steps, "> 0")
    decay = _Exponential(1.0, half_life_steps, 0.5, end_value=min, bounded=True)
    return Scale(_at(decay, start_step), initial_value)
