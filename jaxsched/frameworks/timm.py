"""timm's learning-rate schedulers by their class names, as jaxsched schedules.

The classes of ``timm/scheduler/*.py`` (timm 1.0.31), with timm's argument names and
defaults; the optimizer argument is replaced by ``learning_rate`` (the base rate
timm reads from the optimizer's param groups). The value at ``t`` is timm's
``_get_lr(t)`` with its noise: what ``step(epoch=t)`` (``t_in_epochs=True``) or
``step_update(num_updates=t)`` sets. With ``t_in_epochs=True`` and
``steps_per_epoch`` the schedule takes optimizer steps and holds each epoch's value
(``PerEpoch``), as ``train.py`` does when it steps per epoch; without
``steps_per_epoch`` it takes the epoch. ``initialize`` is accepted and has no effect.

The arguments after each class's own leading ones (``t_initial``, ``lb``, ``ub``,
``power``, ``decay_t``, ``decay_rate``, and ``WSDLRScheduler``'s through
``decay_ratio``) are keywords here (timm also takes them by position), with timm's
defaults:

- ``lr_min=0.0``, ``cycle_mul=1.0``, ``cycle_decay=1.0``, ``cycle_limit=1``: the
  floor and the cycles (``CosineLRScheduler``, ``TanhLRScheduler``,
  ``PolyLRScheduler``); ``k_decay=1.0``: the ``t ** k`` of the position in a cycle
  (``CosineLRScheduler``, ``PolyLRScheduler``);
- ``warmup_t=0`` (whole), ``warmup_lr_init=0.0``: the linear warmup;
  ``warmup_prefix``: the schedule starts after the warmup (``True``) or runs on the
  absolute ``t`` (``False``); ``False`` by default, ``True`` for
  ``StepLRScheduler`` and ``MultiStepLRScheduler``; ``WSDLRScheduler`` always
  prefixes and does not take it;
- ``t_in_epochs=True``, ``steps_per_epoch=None``: the clock (above);
- ``noise_range_t=None`` (a start or ``(begin, end)``), ``noise_pct=0.67``,
  ``noise_std=1.0``, ``noise_seed=42``: the noise (below; none without a range);
- ``initialize=True``: no effect.

========================  ==========================================================
timm                      jaxsched (``W = warmup_t``, ``T0 = t_initial``)
========================  ==========================================================
warmup                    ``Join([Linear(warmup_lr_init, lr, W), after], [W])``,
                          ``after`` = the schedule (``warmup_prefix=True``) or
                          ``Shift(schedule, -W)`` (``False``: absolute ``t``); tanh
                          with ``warmup_prefix=False``: ``WarmupHoldDecay(...,
                          handover="continuous")`` (ramps to ``f(W)``)
``CosineLRScheduler``     ``Cycles(Cosine(lr, T0, lr_min / lr), T0, cycle_mul,
                          cycle_decay, floor=lr_min, peak=lr, limit=cycle_limit)``;
                          ``k_decay``: the ``Cosine`` under ``Clock(...,
                          PowerClock(k_decay, T0))``
``TanhLRScheduler``       the same ``Cycles`` of ``WarmupHoldDecay(Constant(lr),
                          hold=0, decay=T0, end_value=lr_min, decay_shape="tanh",
                          tanh_lower=lb, tanh_upper=ub)``
``PolyLRScheduler``       the same ``Cycles`` of ``Polynomial(lr, lr_min, power,
                          T0)`` (``k_decay``: under ``PowerClock``)
``StepLRScheduler``       ``ExponentialDecay(lr, decay_t, decay_rate,
                          staircase=True)``
``MultiStepLRScheduler``  ``MultiStepLR(lr, [m - 1 for m in decay_t],
                          decay_rate)`` (timm drops one step before torch)
``WSDLRScheduler``        ``WarmupHoldDecay(stable, hold=T0 - decay_t,
                          decay=decay_t, end_value=lr_min, decay_shape=...)`` after
                          the warmup; ``stable`` is ``Constant(lr)`` or
                          ``Maximum(PowerLaw(lr, -p, timescale), Constant(lr_min))``
noise                     ``MultiplicativeNoise(..., seed=noise_seed,
                          pct=noise_pct, std=noise_std, begin, end)`` around it all
``PlateauLRScheduler``    ``ValueError`` (driven by a metric)
========================  ==========================================================

Every one is exact (under x64 within 1.3e-14 of the peak of timm 1.0.31's own
values at 301,800 steps of 1,006 configurations, ``tests/external/compare_timm.py``)
except:

- **Noise** has timm's distribution and range (``noise_std * z`` with ``z``
  standard normal, redrawn while ``|noise_std * z| >= noise_pct``: here one draw
  through the truncated normal's inverse CDF) and is a pure function of
  ``(noise_seed, t)``, but it is not bit-equal to timm's numbers, which come from
  ``torch.Generator`` seeded with ``noise_seed + t``. timm's classes always draw
  normal noise (the base class's ``noise_type`` is not passed through).
- **Cycles with** ``cycle_mul != 1``: timm picks the cycle with
  ``math.floor(math.log(...))``, which lands one cycle early at some exact
  restarts (``t_initial=1, cycle_mul=3``: ``t = 121`` starts cycle 5, where the
  logarithm gives 4.999999999999999, so timm gives the end of cycle 4, ``lr_min``,
  instead of the restart's peak); jaxsched finds the cycle exactly. With
  ``cycle_mul < 1`` timm raises ``ValueError`` (math domain error) past the sum
  of all cycles; here ``lr_min``.
- ``t = 0`` before the first ``step``: the constructor sets the base rate (or
  ``warmup_lr_init``), while ``_get_lr(0)`` (what jaxsched gives) differs for
  ``TanhLRScheduler`` (``(1 - tanh(lb)) / 2`` of the way) and for a
  ``MultiStepLRScheduler`` milestone at 0 or 1. timm's ``train.py`` uses the
  constructor's value for the first epoch (or update).
- A callable ``decay_fn`` of ``WSDLRScheduler`` cannot be serialized: not offered.
- Measured limits: ``PolyLRScheduler`` with ``k_decay < 1`` on geometric cycles
  (``cycle_mul != 1``) lands a few ulps past each restart, which ``k_decay``
  magnifies: 1.7e-8 of the peak in x64, up to 7e-4 in float32, at the restarts.
  ``TanhLRScheduler``'s ``(1 - tanh(x)) / 2`` loses digits in float32 near the end
  of a cycle (8e-5 of the value with ``ub=5``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, cast

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid
from jaxsched.frameworks._keywords import checked
from jaxsched.schedules._arithmetic import Maximum
from jaxsched.schedules._clock import Clock, PowerClock
from jaxsched.schedules._combinators import Shift
from jaxsched.schedules._cycles import Cycles
from jaxsched.schedules._epochs import PerEpoch
from jaxsched.schedules._join import Join
from jaxsched.schedules._keras import ExponentialDecay
from jaxsched.schedules._noise import MultiplicativeNoise
from jaxsched.schedules._power_law import PowerLaw
from jaxsched.schedules._primitives import Constant, Cosine, Linear, Polynomial
from jaxsched.schedules._shapes import WarmupHoldDecay
from jaxsched.schedules._torch import MultiStepLR

__all__ = [
    "CosineLRScheduler",
    "MultiStepLRScheduler",
    "PlateauLRScheduler",
    "PolyLRScheduler",
    "StepLRScheduler",
    "TanhLRScheduler",
    "WSDLRScheduler",
]

if TYPE_CHECKING:  # only type checkers read the annotations (typing's from 3.11)
    from typing_extensions import Unpack

NoiseRange = Sequence[float] | float | None


class _Options(TypedDict, total=False):
    """The keywords every class here takes (the module docstring says each)."""

    warmup_t: int
    warmup_lr_init: float
    t_in_epochs: bool
    noise_range_t: NoiseRange
    noise_pct: float
    noise_std: float
    noise_seed: int
    initialize: bool
    steps_per_epoch: int | None


class _PrefixOptions(_Options, total=False):
    """:class:`_Options` and ``warmup_prefix`` (all but ``WSDLRScheduler``)."""

    warmup_prefix: bool


class _CycleOptions(_PrefixOptions, total=False):
    """:class:`_PrefixOptions` and the cycles' (cosine, tanh, poly)."""

    lr_min: float
    cycle_mul: float
    cycle_decay: float
    cycle_limit: int


class _KDecayOptions(_CycleOptions, total=False):
    """:class:`_CycleOptions` and ``k_decay`` (cosine, poly)."""

    k_decay: float


def _positive(owner: str, field: str, value: Any) -> None:
    if not value > 0:
        raise invalid(owner, field, value, "> 0")


def _non_negative(owner: str, field: str, value: Any) -> None:
    if not value >= 0:
        raise invalid(owner, field, value, ">= 0")


@dataclasses.dataclass(frozen=True)
class _Resolved:
    """The keywords with timm's defaults (their one place), and what they build:
    cycles, warmup, noise and the epoch clock."""

    owner: str
    lr_min: Any = 0.0
    cycle_mul: Any = 1.0
    cycle_decay: Any = 1.0
    cycle_limit: Any = 1
    k_decay: Any = 1.0
    warmup_t: Any = 0
    warmup_lr_init: Any = 0.0
    warmup_prefix: bool = False
    t_in_epochs: bool = True
    noise_range_t: NoiseRange = None
    noise_pct: Any = 0.67
    noise_std: Any = 1.0
    noise_seed: Any = 42
    initialize: bool = True
    steps_per_epoch: int | None = None

    @property
    def w(self) -> int:
        """``warmup_t``, checked whole and >= 0."""
        warmup_t = self.warmup_t
        if isinstance(warmup_t, bool) or float(warmup_t) != int(warmup_t):
            raise invalid(self.owner, "warmup_t", warmup_t, "a whole number")
        _non_negative(self.owner, "warmup_t", warmup_t)
        return int(warmup_t)

    def cycles(self, one: Schedule, learning_rate: Any, t_initial: Any) -> Schedule:
        """``one`` (the first cycle; under ``k_decay``'s clock) repeated, decayed
        and floored as timm's (``t_initial`` checked > 0 by the caller)."""
        _non_negative(self.owner, "lr_min", self.lr_min)
        _non_negative(self.owner, "cycle_limit", self.cycle_limit)
        if self.k_decay != 1:
            one = Clock(one, PowerClock(self.k_decay, t_initial))
        return Cycles(
            one,
            t_initial,
            self.cycle_mul,
            self.cycle_decay,
            floor=self.lr_min,
            peak=learning_rate,
            limit=self.cycle_limit,
        )

    def warmup(self, body: Schedule, learning_rate: Any) -> Schedule:
        """timm's linear warmup from ``warmup_lr_init`` to the base rate over
        ``warmup_t``, then ``body`` from its 0 (prefix) or at the absolute step."""
        w = self.w
        if w == 0:
            return body
        after = body if self.warmup_prefix else Shift(body, -w)
        return Join([Linear(self.warmup_lr_init, learning_rate, w), after], [w])

    def finish(self, schedule: Schedule) -> Schedule:
        """The noise (timm's ``_add_noise``) and the epoch clock."""
        owner, range_t = self.owner, self.noise_range_t
        if range_t is not None:
            if isinstance(range_t, (list, tuple)):
                if len(range_t) != 2:
                    raise invalid(owner, "noise_range_t", range_t, "(begin, end)")
                begin, end = (math.ceil(x) for x in range_t)
            else:
                begin, end = math.ceil(cast(float, range_t)), None
            seed = 42 if self.noise_seed is None else self.noise_seed
            schedule = MultiplicativeNoise(
                schedule, seed, self.noise_pct, self.noise_std, max(begin, 0), end
            )
        if self.steps_per_epoch is not None:
            if not self.t_in_epochs:
                raise invalid(
                    owner,
                    "steps_per_epoch",
                    self.steps_per_epoch,
                    "None with t_in_epochs=False (t counts updates already)",
                )
            schedule = PerEpoch(schedule, self.steps_per_epoch)
        return schedule


def _resolve(
    owner: str, taken: Any, options: Mapping[str, Any], **defaults: Any
) -> _Resolved:
    """``options`` over ``defaults`` over timm's; a keyword that the class
    (``taken``, its TypedDict) does not take is a ``TypeError``, as Python's."""
    return _Resolved(owner, **{**defaults, **checked(owner, taken, options)})


def CosineLRScheduler(
    learning_rate: Any,
    t_initial: int,
    **options: Unpack[_KDecayOptions],
) -> Schedule:
    """timm ``CosineLRScheduler``: cosine cycles (SGDR) with warmup, k-decay, noise.

    In cycle ``i`` (length ``T_i = t_initial * cycle_mul ** i``) at position
    ``t_cur``: ``lr_min + (lr * cycle_decay ** i - lr_min) * (1 + cos(pi * t_cur
    ** k / T_i ** k)) / 2``; ``lr_min`` from cycle ``cycle_limit`` on. Before
    ``warmup_t``: ``warmup_lr_init + t * (lr - warmup_lr_init) / warmup_t``; after
    it the cycles start at 0 (``warmup_prefix``) or continue at ``t`` (the value
    jumps). See the module docstring for the keywords, noise, steps and
    differences.

    Example:
      >>> from jaxsched.frameworks import timm
      >>> s = timm.CosineLRScheduler(1.0, 10, lr_min=0.1, cycle_limit=2,
      ...                            cycle_decay=0.5, t_in_epochs=False)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 5, 10, 15, 20)))
      1.000 0.550 0.500 0.300 0.100
    """
    o = _resolve("timm.CosineLRScheduler", _KDecayOptions, options)
    _positive(o.owner, "t_initial", t_initial)
    alpha = o.lr_min / learning_rate if learning_rate else 0.0
    body = o.cycles(Cosine(learning_rate, t_initial, alpha), learning_rate, t_initial)
    return o.finish(o.warmup(body, learning_rate))


def TanhLRScheduler(
    learning_rate: Any,
    t_initial: int,
    lb: float = -7.0,
    ub: float = 3.0,
    **options: Unpack[_CycleOptions],
) -> Schedule:
    """timm ``TanhLRScheduler``: hyperbolic-tangent decay cycles.

    In cycle ``i`` with ``r = t_cur / T_i``: ``lr_min + (lr * cycle_decay ** i -
    lr_min) * (1 - tanh(lb * (1 - r) + ub * r)) / 2``; cycles and warmup as
    :func:`CosineLRScheduler`, except that with ``warmup_prefix=False`` the warmup
    ramps to the value at ``warmup_t`` (no jump).

    Example:
      >>> from jaxsched.frameworks import timm
      >>> s = timm.TanhLRScheduler(1.0, 10, t_in_epochs=False)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 7, 9, 10)))
      1.000 0.500 0.018 0.000
    """
    o = _resolve("timm.TanhLRScheduler", _CycleOptions, options)
    _positive(o.owner, "t_initial", t_initial)
    if not lb < ub:
        raise invalid(o.owner, "lb", lb, f"< ub={ub}")
    _non_negative(o.owner, "warmup_lr_init", o.warmup_lr_init)
    one = WarmupHoldDecay(
        Constant(learning_rate),
        hold=0,
        decay=t_initial,
        end_value=o.lr_min,
        decay_shape="tanh",
        tanh_lower=lb,
        tanh_upper=ub,
        after_end="extrapolate",
    )
    body = o.cycles(one, learning_rate, t_initial)
    if o.w > 0 and not o.warmup_prefix:
        schedule: Schedule = WarmupHoldDecay(
            body, o.w, init_value=o.warmup_lr_init, handover="continuous"
        )
    else:
        schedule = o.warmup(body, learning_rate)
    return o.finish(schedule)


def PolyLRScheduler(
    learning_rate: Any,
    t_initial: int,
    power: float = 0.5,
    **options: Unpack[_KDecayOptions],
) -> Schedule:
    """timm ``PolyLRScheduler``: polynomial decay cycles.

    In cycle ``i``: ``lr_min + (lr * cycle_decay ** i - lr_min) * (1 - t_cur ** k
    / T_i ** k) ** power``; cycles and warmup as :func:`CosineLRScheduler`.

    Example:
      >>> from jaxsched.frameworks import timm
      >>> s = timm.PolyLRScheduler(1.0, 10, power=2.0, t_in_epochs=False)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 5, 10)))
      1.000 0.250 0.000
    """
    o = _resolve("timm.PolyLRScheduler", _KDecayOptions, options)
    _positive(o.owner, "t_initial", t_initial)
    one = Polynomial(learning_rate, o.lr_min, power, t_initial)
    return o.finish(o.warmup(o.cycles(one, learning_rate, t_initial), learning_rate))


def StepLRScheduler(
    learning_rate: Any,
    decay_t: float,
    decay_rate: float = 1.0,
    **options: Unpack[_PrefixOptions],
) -> Schedule:
    """timm ``StepLRScheduler``: ``lr * decay_rate ** (t // decay_t)`` after warmup.

    ``decay_t`` may be a float (timm's ``t // decay_t`` floors the quotient);
    ``warmup_prefix`` defaults to True.

    Example:
      >>> from jaxsched.frameworks import timm
      >>> s = timm.StepLRScheduler(1.0, 2.5, 0.5, warmup_t=2, t_in_epochs=False)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 4, 5, 7)))
      0.000 0.500 1.000 1.000 0.500 0.250
    """
    o = _resolve("timm.StepLRScheduler", _PrefixOptions, options, warmup_prefix=True)
    _positive(o.owner, "decay_t", decay_t)
    body = ExponentialDecay(learning_rate, decay_t, decay_rate, staircase=True)
    return o.finish(o.warmup(body, learning_rate))


def MultiStepLRScheduler(
    learning_rate: Any,
    decay_t: Sequence[int],
    decay_rate: float = 1.0,
    **options: Unpack[_PrefixOptions],
) -> Schedule:
    """timm ``MultiStepLRScheduler``: ``lr * decay_rate ** k``, ``k`` the milestones
    ``m`` of ``decay_t`` with ``m <= t + 1`` (one step before torch's);
    ``warmup_prefix`` defaults to True.

    Example:
      >>> from jaxsched.frameworks import timm
      >>> s = timm.MultiStepLRScheduler(1.0, [3, 6], 0.1, t_in_epochs=False)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 5, 9)))
      1.000 1.000 0.100 0.010 0.010
    """
    owner = "timm.MultiStepLRScheduler"
    o = _resolve(owner, _PrefixOptions, options, warmup_prefix=True)
    milestones = list(decay_t)
    if milestones != sorted(milestones):
        raise invalid(owner, "decay_t", decay_t, "sorted (timm's bisect assumes it)")
    body: Schedule = (
        MultiStepLR(learning_rate, [m - 1 for m in milestones], decay_rate)
        if milestones
        else Constant(learning_rate)
    )
    return o.finish(o.warmup(body, learning_rate))


_STABLE_FNS = ("constant", "rsqrt", "power")
_DECAY_FNS = {
    "linear": ("linear", 1.0),
    "1-sqrt": ("power", 0.5),
    "cosine": ("cosine", 1.0),
    "power": ("power", None),
    "exp": ("exponential", 1.0),
}


def WSDLRScheduler(
    learning_rate: Any,
    t_initial: int,
    decay_t: int,
    lr_min: float = 0.0,
    stable_fn: str = "constant",
    stable_timescale: float | None = None,
    stable_power: float = 0.5,
    decay_fn: str = "1-sqrt",
    decay_power: float = 0.5,
    decay_ratio: float = 0.1,
    **options: Unpack[_Options],
) -> Schedule:
    """timm ``WSDLRScheduler`` (timm 1.0.31): warmup, stable, decay to ``lr_min``.

    With ``t_s = t - warmup_t`` after the (always prefix) warmup and ``f =
    clip((t_s - (t_initial - decay_t)) / decay_t, 0, 1)``: ``lr_min + (max(lr *
    stable(t_s), lr_min) - lr_min) * decay(f)``; ``stable`` is 1 (``constant``) or
    ``(1 + t_s / stable_timescale) ** -p`` (``rsqrt``: ``p = 0.5``; ``power``:
    ``stable_power``); ``decay`` is ``1 - f`` (``linear``), ``1 - sqrt(f)``
    (``1-sqrt``), ``(1 + cos(pi f)) / 2`` (``cosine``), ``1 - f ** decay_power``
    (``power``) or ``(r ** f - r) / (1 - r)`` with ``r = decay_ratio`` (``exp``).

    Example:
      >>> from jaxsched.frameworks import timm
      >>> s = timm.WSDLRScheduler(1.0, 10, 4, decay_fn="linear", t_in_epochs=False)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 6, 7, 9, 10)))
      1.000 1.000 0.750 0.250 0.000
    """
    owner = "timm.WSDLRScheduler"
    o = _resolve(owner, _Options, options, warmup_prefix=True)
    _positive(owner, "t_initial", t_initial)
    if not 0 < decay_t <= t_initial:
        raise invalid(owner, "decay_t", decay_t, f"in (0, t_initial={t_initial}]")
    _non_negative(owner, "lr_min", lr_min)
    if stable_fn not in _STABLE_FNS:
        raise invalid(owner, "stable_fn", stable_fn, f"one of {_STABLE_FNS}")
    if not isinstance(decay_fn, str) or decay_fn not in _DECAY_FNS:
        raise invalid(
            owner,
            "decay_fn",
            decay_fn,
            f"one of {tuple(_DECAY_FNS)}",
            detail="a callable cannot be serialized",
        )
    if not 0.0 < decay_ratio < 1.0:
        raise invalid(owner, "decay_ratio", decay_ratio, "in (0, 1)")
    _positive(owner, "decay_power", decay_power)
    _positive(owner, "stable_power", stable_power)
    w = o.w
    if stable_fn == "constant":
        stable: Schedule = Constant(max(learning_rate, lr_min))
    else:
        timescale = w if stable_timescale is None else stable_timescale
        if not timescale > 0:
            raise invalid(
                owner,
                "stable_timescale",
                stable_timescale,
                "> 0",
                detail=f"it defaults to warmup_t={w}",
            )
        p = 0.5 if stable_fn == "rsqrt" else stable_power
        stable = Maximum(PowerLaw(learning_rate, -p, timescale), Constant(lr_min))
    shape, power = _DECAY_FNS[decay_fn]
    body = WarmupHoldDecay(
        stable,
        hold=t_initial - decay_t,
        decay=decay_t,
        end_value=lr_min,
        decay_shape=shape,
        decay_power=decay_power if power is None else power,
        decay_rate=decay_ratio,
    )
    return o.finish(o.warmup(body, learning_rate))


def PlateauLRScheduler(*args: Any, **kwargs: Any) -> Schedule:
    """timm ``PlateauLRScheduler``: not a function of the step.

    Raises:
      ValueError: always; the rate follows a validation metric.
    """
    raise ValueError(
        "timm.PlateauLRScheduler: the rate follows a validation metric (state "
        "outside the schedule; timm 1.0.31 deprecates it for that reason), so it is "
        "not a function of the step. Use a fixed schedule such as "
        "timm.CosineLRScheduler or timm.WSDLRScheduler, or apply "
        "optax.contrib.reduce_on_plateau to the updates."
    )
