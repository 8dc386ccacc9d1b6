"""timm's learning-rate schedulers by their class names, as jaxsched schedules.

The classes of ``timm/scheduler/*.py`` (timm 1.0.31), with timm's argument names and
defaults; the optimizer argument is replaced by ``learning_rate`` (the base rate
timm reads from the optimizer's param groups). The value at ``t`` is timm's
``_get_lr(t)`` with its noise: what ``step(epoch=t)`` (``t_in_epochs=True``) or
``step_update(num_updates=t)`` sets. With ``t_in_epochs=True`` and
``steps_per_epoch`` the schedule takes optimizer steps and holds each epoch's value
(``PerEpoch``), as ``train.py`` does when it steps per epoch; without
``steps_per_epoch`` it takes the epoch. ``initialize`` is accepted and has no effect.

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

import math
from collections.abc import Sequence
from typing import Any, NamedTuple, cast

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid
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

NoiseRange = Sequence[float] | float | None


def _positive(owner: str, field: str, value: Any) -> None:
    if not value > 0:
        raise invalid(owner, field, value, "> 0")


def _non_negative(owner: str, field: str, value: Any) -> None:
    if not value >= 0:
        raise invalid(owner, field, value, ">= 0")


def _warmup_t(owner: str, warmup_t: Any) -> int:
    if isinstance(warmup_t, bool) or float(warmup_t) != int(warmup_t):
        raise invalid(owner, "warmup_t", warmup_t, "a whole number")
    _non_negative(owner, "warmup_t", warmup_t)
    return int(warmup_t)


def _with_warmup(
    body: Schedule,
    learning_rate: Any,
    warmup_t: int,
    warmup_lr_init: Any,
    warmup_prefix: bool,
) -> Schedule:
    """timm's linear warmup from ``warmup_lr_init`` to the base rate over
    ``warmup_t``, then ``body`` from its 0 (prefix) or at the absolute step."""
    if warmup_t == 0:
        return body
    after = body if warmup_prefix else Shift(body, -warmup_t)
    return Join([Linear(warmup_lr_init, learning_rate, warmup_t), after], [warmup_t])


class _Noise(NamedTuple):
    """timm's noise arguments (``noise_range_t``, ``noise_pct``, ``noise_std``,
    ``noise_seed``)."""

    range_t: NoiseRange
    pct: Any
    std: Any
    seed: Any

    def around(self, schedule: Schedule, owner: str) -> Schedule:
        """``schedule`` with timm's ``_add_noise`` (itself without a range)."""
        if self.range_t is None:
            return schedule
        if isinstance(self.range_t, (list, tuple)):
            if len(self.range_t) != 2:
                raise invalid(owner, "noise_range_t", self.range_t, "(begin, end)")
            begin, end = (math.ceil(x) for x in self.range_t)
        else:
            begin, end = math.ceil(cast(float, self.range_t)), None
        seed = 42 if self.seed is None else self.seed
        return MultiplicativeNoise(
            schedule, seed, self.pct, self.std, max(begin, 0), end
        )


def _finish(
    schedule: Schedule,
    owner: str,
    noise: _Noise,
    t_in_epochs: bool,
    steps_per_epoch: int | None,
) -> Schedule:
    """The noise (timm's ``_add_noise``) and the epoch clock."""
    schedule = noise.around(schedule, owner)
    if steps_per_epoch is not None:
        if not t_in_epochs:
            raise invalid(
                owner,
                "steps_per_epoch",
                steps_per_epoch,
                "None with t_in_epochs=False (t counts updates already)",
            )
        schedule = PerEpoch(schedule, steps_per_epoch)
    return schedule


class _Cycles(NamedTuple):
    """timm's cycle arguments (``t_initial``, ``lr_min``, ``cycle_mul``,
    ``cycle_decay``, ``cycle_limit``)."""

    t_initial: Any
    lr_min: Any
    cycle_mul: Any
    cycle_decay: Any
    cycle_limit: Any

    def around(self, one: Schedule, learning_rate: Any, owner: str) -> Schedule:
        """``one`` (the first cycle) repeated, decayed and floored as timm's."""
        _positive(owner, "t_initial", self.t_initial)
        _non_negative(owner, "lr_min", self.lr_min)
        _non_negative(owner, "cycle_limit", self.cycle_limit)
        return Cycles(
            one,
            self.t_initial,
            self.cycle_mul,
            self.cycle_decay,
            floor=self.lr_min,
            peak=learning_rate,
            limit=self.cycle_limit,
        )


def _k_decay(one: Schedule, k_decay: Any, t_initial: Any) -> Schedule:
    return one if k_decay == 1 else Clock(one, PowerClock(k_decay, t_initial))


def CosineLRScheduler(
    learning_rate: Any,
    t_initial: int,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    k_decay: float = 1.0,
    initialize: bool = True,
    *,
    steps_per_epoch: int | None = None,
) -> Schedule:
    """timm ``CosineLRScheduler``: cosine cycles (SGDR) with warmup, k-decay, noise.

    In cycle ``i`` (length ``T_i = t_initial * cycle_mul ** i``) at position
    ``t_cur``: ``lr_min + (lr * cycle_decay ** i - lr_min) * (1 + cos(pi * t_cur
    ** k / T_i ** k)) / 2``; ``lr_min`` from cycle ``cycle_limit`` on. Before
    ``warmup_t``: ``warmup_lr_init + t * (lr - warmup_lr_init) / warmup_t``; after
    it the cycles start at 0 (``warmup_prefix``) or continue at ``t`` (the value
    jumps). See the module docstring for noise, steps and differences.

    Example:
      >>> from jaxsched.frameworks import timm
      >>> s = timm.CosineLRScheduler(1.0, 10, lr_min=0.1, cycle_limit=2,
      ...                            cycle_decay=0.5, t_in_epochs=False)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 5, 10, 15, 20)))
      1.000 0.550 0.500 0.300 0.100
    """
    del initialize
    owner = "timm.CosineLRScheduler"
    _positive(owner, "t_initial", t_initial)
    w = _warmup_t(owner, warmup_t)
    alpha = lr_min / learning_rate if learning_rate else 0.0
    one = _k_decay(Cosine(learning_rate, t_initial, alpha), k_decay, t_initial)
    cycles = _Cycles(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit)
    body = cycles.around(one, learning_rate, owner)
    schedule = _with_warmup(body, learning_rate, w, warmup_lr_init, warmup_prefix)
    noise = _Noise(noise_range_t, noise_pct, noise_std, noise_seed)
    return _finish(schedule, owner, noise, t_in_epochs, steps_per_epoch)


def TanhLRScheduler(
    learning_rate: Any,
    t_initial: int,
    lb: float = -7.0,
    ub: float = 3.0,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    initialize: bool = True,
    *,
    steps_per_epoch: int | None = None,
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
    del initialize
    owner = "timm.TanhLRScheduler"
    _positive(owner, "t_initial", t_initial)
    if not lb < ub:
        raise invalid(owner, "lb", lb, f"< ub={ub}")
    _non_negative(owner, "warmup_lr_init", warmup_lr_init)
    w = _warmup_t(owner, warmup_t)
    one = WarmupHoldDecay(
        Constant(learning_rate),
        hold=0,
        decay=t_initial,
        end_value=lr_min,
        decay_shape="tanh",
        tanh_lower=lb,
        tanh_upper=ub,
        after_end="extrapolate",
    )
    cycles = _Cycles(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit)
    body = cycles.around(one, learning_rate, owner)
    if w > 0 and not warmup_prefix:
        schedule: Schedule = WarmupHoldDecay(
            body, w, init_value=warmup_lr_init, handover="continuous"
        )
    else:
        schedule = _with_warmup(body, learning_rate, w, warmup_lr_init, warmup_prefix)
    noise = _Noise(noise_range_t, noise_pct, noise_std, noise_seed)
    return _finish(schedule, owner, noise, t_in_epochs, steps_per_epoch)


def PolyLRScheduler(
    learning_rate: Any,
    t_initial: int,
    power: float = 0.5,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    k_decay: float = 1.0,
    initialize: bool = True,
    *,
    steps_per_epoch: int | None = None,
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
    del initialize
    owner = "timm.PolyLRScheduler"
    _positive(owner, "t_initial", t_initial)
    w = _warmup_t(owner, warmup_t)
    one = _k_decay(
        Polynomial(learning_rate, lr_min, power, t_initial), k_decay, t_initial
    )
    cycles = _Cycles(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit)
    body = cycles.around(one, learning_rate, owner)
    schedule = _with_warmup(body, learning_rate, w, warmup_lr_init, warmup_prefix)
    noise = _Noise(noise_range_t, noise_pct, noise_std, noise_seed)
    return _finish(schedule, owner, noise, t_in_epochs, steps_per_epoch)


def StepLRScheduler(
    learning_rate: Any,
    decay_t: float,
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    initialize: bool = True,
    *,
    steps_per_epoch: int | None = None,
) -> Schedule:
    """timm ``StepLRScheduler``: ``lr * decay_rate ** (t // decay_t)`` after warmup.

    ``decay_t`` may be a float (timm's ``t // decay_t`` floors the quotient).

    Example:
      >>> from jaxsched.frameworks import timm
      >>> s = timm.StepLRScheduler(1.0, 2.5, 0.5, warmup_t=2, t_in_epochs=False)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 4, 5, 7)))
      0.000 0.500 1.000 1.000 0.500 0.250
    """
    del initialize
    owner = "timm.StepLRScheduler"
    _positive(owner, "decay_t", decay_t)
    w = _warmup_t(owner, warmup_t)
    body = ExponentialDecay(learning_rate, decay_t, decay_rate, staircase=True)
    schedule = _with_warmup(body, learning_rate, w, warmup_lr_init, warmup_prefix)
    noise = _Noise(noise_range_t, noise_pct, noise_std, noise_seed)
    return _finish(schedule, owner, noise, t_in_epochs, steps_per_epoch)


def MultiStepLRScheduler(
    learning_rate: Any,
    decay_t: Sequence[int],
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    initialize: bool = True,
    *,
    steps_per_epoch: int | None = None,
) -> Schedule:
    """timm ``MultiStepLRScheduler``: ``lr * decay_rate ** k``, ``k`` the milestones
    ``m`` of ``decay_t`` with ``m <= t + 1`` (one step before torch's).

    Example:
      >>> from jaxsched.frameworks import timm
      >>> s = timm.MultiStepLRScheduler(1.0, [3, 6], 0.1, t_in_epochs=False)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 5, 9)))
      1.000 1.000 0.100 0.010 0.010
    """
    del initialize
    owner = "timm.MultiStepLRScheduler"
    milestones = list(decay_t)
    if milestones != sorted(milestones):
        raise invalid(owner, "decay_t", decay_t, "sorted (timm's bisect assumes it)")
    w = _warmup_t(owner, warmup_t)
    body: Schedule = (
        MultiStepLR(learning_rate, [m - 1 for m in milestones], decay_rate)
        if milestones
        else Constant(learning_rate)
    )
    schedule = _with_warmup(body, learning_rate, w, warmup_lr_init, warmup_prefix)
    noise = _Noise(noise_range_t, noise_pct, noise_std, noise_seed)
    return _finish(schedule, owner, noise, t_in_epochs, steps_per_epoch)


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
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    initialize: bool = True,
    *,
    steps_per_epoch: int | None = None,
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
    del initialize
    owner = "timm.WSDLRScheduler"
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
    w = _warmup_t(owner, warmup_t)
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
    schedule = _with_warmup(body, learning_rate, w, warmup_lr_init, True)
    noise = _Noise(noise_range_t, noise_pct, noise_std, noise_seed)
    return _finish(schedule, owner, noise, t_in_epochs, steps_per_epoch)


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
