"""DeepSpeed's learning-rate schedules by their names, as jaxsched schedules.

The classes of ``deepspeed/runtime/lr_schedules.py`` (``deepspeedai/DeepSpeed`` at
``edaa722``), with DeepSpeed's argument names and defaults and without the
optimizer; where DeepSpeed reads the optimizer's rate (``WarmupLR`` and
``WarmupDecayLR`` with ``warmup_max_lr=None``, ``WarmupCosineLR`` always) the first
argument is ``learning_rate``. The value at step ``t`` is what DeepSpeed sets after
``t`` calls of ``scheduler.step()`` (its ``last_batch_iteration`` is ``t - 1``);
``t = 0`` is what the constructor sets. The engine steps once per optimizer update.

==================  ========================================================  =====
DeepSpeed           jaxsched                                                  equal
==================  ========================================================  =====
``LRRangeTest``     ``Constant(min_lr) + PowerLaw(min_lr * rate / step_size,  exact
                    1.0, offset=0.0)`` (a line without end); ``staircase``:
                    the same per step in ``PerEpoch(..., step_size)``
``OneCycle``        :class:`OneCycleSchedules`: ``.learning_rate`` a          exact
                    ``PiecewiseInterpolate`` of the cycle's knots (stairs
                    as repeated knots) joined to ``InverseTimeDecay``;
                    ``.momentum`` the mirrored cycle after the
                    constructor's value at 0, then a line (DeepSpeed's
                    "decay" multiplies by ``1 + rate * interval``)
``WarmupLR``        ``Join([Constant(min), WarmupHoldDecay(Constant(max),     exact
                    W, init_value=min, warmup_shape=warmup_type)], [1])``
                    (``"log"``: ``ln(t) / ln(W)``)
``WarmupDecayLR``   that warmup, then ``Linear(max, min, T - W)`` from        exact
                    ``W + 1``
``WarmupCosineLR``  ``Join([Constant(0), warmup, Shift(Cosine(lr, T - W,      exact
                    cos_min_ratio), -1)], [1, W + 1])``
==================  ========================================================  =====

Quirks of DeepSpeed kept here (they are its values):

- Both warmup types give ``warmup_min_lr`` at ``t = 0`` and ``t = 1``;
  ``warmup_num_steps`` below 2 counts as 2; the linear warmup reaches ``(W - 1) /
  W`` at ``t = W`` and the top only at ``W + 1``.
- ``WarmupCosineLR`` gives 0 at ``t = 0`` (not ``warmup_min_ratio * lr``) and its
  cosine is one step ahead, so a linear warmup never reaches ``lr``.
- ``OneCycle``'s momentum at ``t = 0`` is ``cycle_min_mom`` (the constructor's),
  then ``cycle_max_mom`` at ``t = 1`` minus the cycle; after the cycle it grows.
  ``betas[1]`` is set to 0.99 by DeepSpeed: not a schedule here.
- ``WarmupDecayLR``'s ``warmup_max_lr`` defaults to 0.001 (``WarmupLR``'s to the
  optimizer's rate).

Differences: an unknown ``warmup_type`` is a ``ValueError`` here (DeepSpeed warns
and uses ``"log"``); fractional step sizes of ``OneCycle`` must be whole numbers.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, NamedTuple

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid, whole_number
from jaxsched.schedules._arithmetic import Clip
from jaxsched.schedules._combinators import Shift
from jaxsched.schedules._epochs import PerEpoch
from jaxsched.schedules._join import Join
from jaxsched.schedules._keras import InverseTimeDecay
from jaxsched.schedules._power_law import PowerLaw
from jaxsched.schedules._primitives import (
    Constant,
    Cosine,
    Linear,
    PiecewiseInterpolate,
)
from jaxsched.schedules._shapes import WarmupHoldDecay

__all__ = [
    "LRRangeTest",
    "OneCycle",
    "OneCycleSchedules",
    "WarmupCosineLR",
    "WarmupDecayLR",
    "WarmupLR",
]

_TYPES = ("log", "linear")


class OneCycleSchedules(NamedTuple):
    """The schedules of one ``OneCycle`` (a pytree: jit, vmap, stack).

    Attributes:
      learning_rate: the rate.
      momentum: ``betas[0]`` (``None`` with ``cycle_momentum=False``).
    """

    learning_rate: Schedule
    momentum: Schedule | None


def _growth(start: Any, slope: Any) -> Schedule:
    """``start + slope * t`` for ``t >= 0``, without end."""
    return Constant(start) + PowerLaw(slope, 1.0, offset=0.0)


def _ramp(owner: str, lo: Any, hi: Any, w: int, warmup_type: str) -> Schedule:
    """DeepSpeed's warmup at ``t >= 1`` seen from ``t = 1`` (local ``u = t - 1``):
    ``lo + (hi - lo) * g`` with ``g = u / W`` (linear) or ``ln(u + 1) / ln(W)``
    (log), ``hi`` from ``u = W`` on."""
    if warmup_type not in _TYPES:
        raise invalid(owner, "warmup_type", warmup_type, f"one of {_TYPES}")
    return WarmupHoldDecay(Constant(hi), w, init_value=lo, warmup_shape=warmup_type)


def LRRangeTest(
    lr_range_test_min_lr: float = 1e-3,
    lr_range_test_step_size: int = 2000,
    lr_range_test_step_rate: float = 1.0,
    lr_range_test_staircase: bool = False,
) -> Schedule:
    """DeepSpeed ``LRRangeTest``: a rate that grows linearly, for a range test.

    ``min_lr * (1 + step_rate * t / step_size)``, with ``floor(t / step_size)``
    when ``staircase``.

    Example:
      >>> from jaxsched.frameworks import deepspeed
      >>> s = deepspeed.LRRangeTest(0.1, 10, 1.0, lr_range_test_staircase=True)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 9, 10, 25)))
      0.100 0.100 0.200 0.300
    """
    owner = "deepspeed.LRRangeTest"
    size = whole_number(owner, "lr_range_test_step_size", lr_range_test_step_size, 1)
    min_lr = lr_range_test_min_lr
    if lr_range_test_staircase:
        return PerEpoch(_growth(min_lr, min_lr * lr_range_test_step_rate), size)
    return _growth(min_lr, min_lr * lr_range_test_step_rate / size)


def OneCycle(
    cycle_min_lr: float,
    cycle_max_lr: float,
    decay_lr_rate: float = 0.0,
    cycle_first_step_size: int = 2000,
    cycle_second_step_size: int | None = None,
    cycle_first_stair_count: int = 0,
    cycle_second_stair_count: int | None = None,
    decay_step_size: int = 0,
    cycle_momentum: bool = True,
    cycle_min_mom: float = 0.8,
    cycle_max_mom: float = 0.9,
    decay_mom_rate: float = 0.0,
) -> OneCycleSchedules:
    """DeepSpeed ``OneCycle``: one triangle of the rate (and momentum), then decay.

    With ``F, S = cycle_first_step_size, cycle_second_step_size`` (``S = F`` when
    None) and ``L = F + S``, for ``t <= L`` the height ``h`` rises linearly from 0
    at ``t = 0`` to 1 at ``F`` and falls back to 0 at ``L`` (with stairs:
    ``floor(h * n) / n`` for the ramp's stair count ``n > 0``); the rate is
    ``cycle_min_lr + (cycle_max_lr - cycle_min_lr) * h`` and the momentum
    ``cycle_max_mom - (cycle_max_mom - cycle_min_mom) * h``. After the cycle, at
    ``k = t - L``: ``cycle_min_lr / (1 + decay_lr_rate * k / decay_step_size)`` and
    ``cycle_max_mom * (1 + decay_mom_rate * k / decay_step_size)`` (each constant when
    its rate or ``decay_step_size`` is 0).

    Returns:
      :class:`OneCycleSchedules` (``.learning_rate``, ``.momentum``).

    Example:
      >>> from jaxsched.frameworks import deepspeed
      >>> s = deepspeed.OneCycle(0.1, 1.0, 1.0, 10, decay_step_size=5)
      >>> lr = s.learning_rate
      >>> print(" ".join(f"{float(lr(t)):.3f}" for t in (0, 5, 10, 20, 25)))
      0.100 0.550 1.000 0.100 0.050
      >>> print(" ".join(f"{float(s.momentum(t)):.3f}" for t in (0, 1, 10, 20)))
      0.800 0.890 0.800 0.900
    """
    owner = "deepspeed.OneCycle"
    first = whole_number(owner, "cycle_first_step_size", cycle_first_step_size, 1)
    second = (
        first
        if cycle_second_step_size is None
        else whole_number(owner, "cycle_second_step_size", cycle_second_step_size, 0)
    )
    n1 = whole_number(owner, "cycle_first_stair_count", cycle_first_stair_count, 0)
    n2 = (
        n1
        if cycle_second_stair_count is None
        else whole_number(
            owner, "cycle_second_stair_count", cycle_second_stair_count, 0
        )
    )
    if decay_step_size < 0:
        raise invalid(owner, "decay_step_size", decay_step_size, ">= 0")
    total = first + second
    height = _height(first, second, n1, n2)

    def cycle(lo: Any, hi: Any) -> Schedule:
        bounds, heights = height
        return PiecewiseInterpolate(
            bounds, [lo + (hi - lo) * float(h) for h in heights]
        )

    if decay_step_size == 0 or decay_lr_rate == 0:
        lr_tail: Schedule = Constant(cycle_min_lr)
    else:
        lr_tail = InverseTimeDecay(cycle_min_lr, decay_step_size, decay_lr_rate)
    learning_rate = Join([cycle(cycle_min_lr, cycle_max_lr), lr_tail], [total])
    if not cycle_momentum:
        return OneCycleSchedules(learning_rate, None)
    if decay_step_size == 0 or decay_mom_rate == 0:
        mom_tail: Schedule = Constant(cycle_max_mom)
    else:
        mom_tail = _growth(
            cycle_max_mom, cycle_max_mom * decay_mom_rate / decay_step_size
        )
    momentum = Join(
        [
            Constant(cycle_min_mom),
            Shift(cycle(cycle_max_mom, cycle_min_mom), -1),
            mom_tail,
        ],
        [1, total],
    )
    return OneCycleSchedules(learning_rate, momentum)


def _height(first: int, second: int, n1: int, n2: int):
    """The cycle's height as knots ``(steps, heights)`` of a linear interpolation
    over ``0 <= t <= F + S`` (a repeated step is a stair's jump).

    Rising (``t <= F``): ``t / F``, or ``floor(t * n1 / F) / n1``; falling:
    ``(L - t) / S``, or ``floor((L - t) * n2 / S) / n2`` (DeepSpeed's
    ``_get_scale_factor`` at integer steps).
    """
    total = first + second
    knots: list[tuple[int, Fraction]] = [(0, Fraction(0))]
    if n1 == 0:
        knots.append((first, Fraction(1)))
    else:
        levels: dict[int, int] = {}
        for k in range(1, n1 + 1):
            levels[math.ceil(Fraction(k * first, n1))] = k
        for t, k in sorted(levels.items()):
            knots += [(t, knots[-1][1]), (t, Fraction(k, n1))]
    if second > 0:
        if n2 == 0:
            knots.append((total, Fraction(0)))
        else:
            drops: dict[int, int] = {}
            for j in range(n2 - 1, -1, -1):
                edge = Fraction(total) - Fraction((j + 1) * second, n2)
                drops[max(first + 1, math.floor(edge) + 1)] = j
            for t, j in sorted(drops.items()):
                knots += [(t, knots[-1][1]), (t, Fraction(j, n2))]
    return [t for t, _ in knots], [h for _, h in knots]


def WarmupLR(
    learning_rate: Any = None,
    warmup_min_lr: float = 0.0,
    warmup_max_lr: float | None = None,
    warmup_num_steps: int = 1000,
    warmup_type: str = "log",
) -> Schedule:
    """DeepSpeed ``WarmupLR``: a warmup from ``warmup_min_lr``, then constant.

    ``min + (max - min) * g``: ``g = ln(t) / ln(W)`` (``"log"``) or ``(t - 1) / W``
    (``"linear"``) for ``1 <= t <= W``, 0 at ``t = 0``, 1 after; ``W =
    max(2, warmup_num_steps)``; ``max`` is ``warmup_max_lr``, or ``learning_rate``
    (the optimizer's rate) when None.

    Example:
      >>> from jaxsched.frameworks import deepspeed
      >>> s = deepspeed.WarmupLR(1.0, warmup_num_steps=4, warmup_type="linear")
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 4, 5)))
      0.000 0.000 0.250 0.750 1.000
    """
    owner = "deepspeed.WarmupLR"
    hi = _top(owner, learning_rate, warmup_max_lr)
    w = max(2, whole_number(owner, "warmup_num_steps", warmup_num_steps, 1))
    ramp = _ramp(owner, warmup_min_lr, hi, w, warmup_type)
    return Join([Constant(warmup_min_lr), ramp], [1])


def _top(owner: str, learning_rate: Any, warmup_max_lr: Any) -> Any:
    if warmup_max_lr is not None:
        return warmup_max_lr
    if learning_rate is None:
        raise invalid(
            owner, "learning_rate", None, "a number when warmup_max_lr is None"
        )
    return learning_rate


def WarmupDecayLR(
    learning_rate: Any = None,
    total_num_steps: int | None = None,
    warmup_min_lr: float = 0.0,
    warmup_max_lr: float | None = 0.001,
    warmup_num_steps: int = 1000,
    warmup_type: str = "log",
) -> Schedule:
    """DeepSpeed ``WarmupDecayLR``: ``WarmupLR``'s warmup, then linear to the minimum.

    As :func:`WarmupLR` for ``t <= W``; then ``g = max(0, (T - t + 1) / max(1, T -
    W))`` with ``T = total_num_steps``: ``min`` from ``t = T + 1`` on.

    Example:
      >>> from jaxsched.frameworks import deepspeed
      >>> s = deepspeed.WarmupDecayLR(None, 10, 0.0, 1.0, 4, "linear")
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 4, 5, 8, 11)))
      0.000 0.750 1.000 0.500 0.000
    """
    owner = "deepspeed.WarmupDecayLR"
    hi = _top(owner, learning_rate, warmup_max_lr)
    total = whole_number(owner, "total_num_steps", total_num_steps, 0)
    w = max(2, whole_number(owner, "warmup_num_steps", warmup_num_steps, 1))
    ramp = _ramp(owner, warmup_min_lr, hi, w, warmup_type)
    decay = (
        Linear(hi, warmup_min_lr, total - w) if total > w else Constant(warmup_min_lr)
    )
    return Join([Constant(warmup_min_lr), ramp, decay], [1, w + 1])


def WarmupCosineLR(
    learning_rate: Any,
    total_num_steps: int,
    warmup_min_ratio: float = 0.0,
    warmup_num_steps: int = 1000,
    cos_min_ratio: float = 0.0001,
    warmup_type: str = "log",
) -> Schedule:
    """DeepSpeed ``WarmupCosineLR``: a warmup ratio, then a cosine ratio, of ``lr``.

    ``lr * ratio``: 0 at ``t = 0``; ``warmup_min_ratio + (1 - warmup_min_ratio) *
    g`` for ``1 <= t <= W`` (``g`` as in :func:`WarmupLR`); then ``max(0, cos_min +
    (1 - cos_min) * (1 + cos(pi * p)) / 2)`` with ``p = min(1, (t - W) / max(1, T -
    W))``.

    Example:
      >>> from jaxsched.frameworks import deepspeed
      >>> s = deepspeed.WarmupCosineLR(1.0, 10, 0.0, 4, 0.0, "linear")
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 4, 5, 7, 10)))
      0.000 0.000 0.750 0.933 0.500 0.000
    """
    owner = "deepspeed.WarmupCosineLR"
    total = whole_number(owner, "total_num_steps", total_num_steps, 0)
    w = max(2, whole_number(owner, "warmup_num_steps", warmup_num_steps, 1))
    ramp = _ramp(owner, learning_rate * warmup_min_ratio, learning_rate, w, warmup_type)
    cosine: Schedule = Shift(
        Cosine(learning_rate, max(1, total - w), cos_min_ratio), -1
    )
    if cos_min_ratio < 0:
        cosine = Clip(cosine, minimum=0.0)
    return Join([Constant(0.0), ramp, cosine], [1, w + 1])
