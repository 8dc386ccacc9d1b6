"""MosaicML Composer's schedulers (``composer.optim.scheduler``) under their own names.

Each function takes the scheduler's own arguments (Composer's names, order and
defaults, time strings such as ``"10ep"``, ``"100ba"``, ``"0.1dur"``, ``"1000sp"``,
``"2048tok"``) and, keyword-only, what Composer reads from the trainer's ``State``:
``max_duration`` (as given to the ``Trainer``; it is scaled here by
``scale_schedule_ratio``, as the trainer does), ``steps_per_epoch`` (the
``dataloader_len``, needed by ``"ep"`` times and by ``"dur"`` when ``max_duration``
counts epochs), ``samples_per_step`` and ``tokens_per_step`` (needed by ``"sp"`` and
``"tok"`` times; the timestamp at batch ``t`` counts ``t * samples_per_step``
samples), and ``scale_schedule_ratio`` (Composer's ``ssr``, default ``1.0``; the
three counts default to ``None``). A missing count that a time needs raises a
``ValueError`` that names it. Every time is converted once, at construction, exactly
as Composer's ``_convert_time`` converts it (with its truncations), and the result is
an ordinary jaxsched schedule of the batch count ``t = state.timestamp.batch``.

Composer's schedulers return a multiplier ``alpha`` of the optimizer's rate; the
mirrors take that rate as ``learning_rate`` (first argument) and return
``learning_rate * alpha(t)`` (a :class:`~jaxsched.Scale`; pass ``1.0`` for ``alpha``
itself). Several Composer schedulers multiply: multiply the jaxsched schedules
(``a * b`` is a :class:`~jaxsched.Product`).

Composer scheduler (``t`` in batches, ``k`` units per batch) -> jaxsched, times
``learning_rate``:

- ``StepScheduler(step_size, gamma)``: ``StepLR(1, S, gamma)``
- ``MultiStepScheduler(milestones, gamma)``: ``MultiStepLR(1, [ceil(m / k)], gamma)``
- ``ConstantScheduler(alpha, t_max)``: ``Join([Constant(alpha), Constant(1)],
  [ceil(T / k)])``
- ``LinearScheduler(alpha_i, alpha_f, t_max)``: ``Linear(alpha_i, alpha_f, T / k)``
- ``ExponentialScheduler(gamma, decay_period)``: ``Exponential(1, P / k, gamma)``
- ``CosineAnnealingScheduler(t_max, alpha_f)``: ``Cosine(1, T / k, alpha_f)``
- ``CosineAnnealingWarmRestartsScheduler(t_0, t_mult, alpha_f)``:
  ``CosineAnnealingWarmRestarts(1, T0, t_mult, alpha_f)`` for a whole ``t_mult``,
  else a ``Join`` of ``Cosine`` cycles
- ``PolynomialScheduler(power, t_max, alpha_f)``: ``Polynomial(1, alpha_f, power,
  T / k)``
- ``MultiStepWithWarmupScheduler``: ``Join([Linear(0, 1, Wr / k),
  Shift(MultiStepLR(...), -W)], [W])``
- ``ConstantWithWarmupScheduler``: ``Join([Linear(0, alpha, Wr / k),
  Constant(alpha)], [W])``
- ``LinearWithWarmupScheduler``: ``Join([Linear(0, alpha_i, Wr / k),
  Linear(alpha_i, alpha_f, (T - W) / k)], [W])``
- ``CosineAnnealingWithWarmupScheduler``: ``Join([Linear(0, 1, Wr / k), Cosine(1,
  (T - W) / k, alpha_f)], [W])``
- ``PolynomialWithWarmupScheduler``: ``Join([Linear(0, 1, Wr / k), Polynomial(1,
  alpha_f, power, (T - W) / k)], [W])``

``S``, ``T``, ``P``, ``T0``, ``W`` are the converted times (``W`` in batches,
``ceil(W / k)``: the first batch whose count reaches it; ``Wr`` is the warmup
converted with ``ssr`` when ``scale_warmup``). Where a converted time is not a
whole number of batches (``"sp"``/``"tok"`` times), a phase switches at the first
batch that reaches it and a fraction ``x / T`` of samples or tokens becomes
``(t - d) / (T / k)`` with the remainder ``d`` as a :class:`~jaxsched.Shift`: equal up
to rounding. ``StepScheduler`` and the warm restarts need a whole number of batches
per stair or cycle there, and raise otherwise.

Differences from Composer (all documented, none silent):

- Composer divides by zero (``ZeroDivisionError``) for a zero ``t_max``,
  ``step_size``, ``decay_period`` or ``t_0``, or a warmup that ``ssr`` truncates to
  0 with ``scale_warmup``; the mirrors raise ``ValueError`` at construction.
  ``ExponentialScheduler`` with ``gamma < 0`` (a complex number in Composer) raises.
- ``CosineAnnealingWarmRestartsScheduler`` with a fractional ``t_mult``: the cycles
  are laid out up to ``max_duration`` (the last cycle that covers it then holds
  ``alpha_f`` instead of restarting); with ``t_mult < 1`` Composer raises once the
  cycles have shrunk to 0 batches, the mirror holds ``alpha_f`` from there.
- The trainer calls ``scheduler.step()`` before it advances the timestamp, so batch
  ``k`` trains with ``alpha(max(k - 1, 0))`` (Composer's one-batch lag, read from
  ``trainer.py``); the mirrors give ``alpha(t)`` at the timestamp ``t``, like
  Composer's schedulers themselves. ``Shift(s, 1)`` reproduces the lag (but at
  ``t = 0``, which Composer evaluates twice).
- ``"iter"`` and wall-clock (``"sec"``) times raise ``ValueError`` (Composer rejects
  ``"sec"`` too). Integers are not times in Composer's ``_convert_time`` (an
  ``AttributeError``); they are rejected here with a ``TypeError``.
- The sample and token counts assume every batch has ``samples_per_step`` samples
  (``drop_last``); Composer counts the samples actually seen.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict

from jaxsched.core._schedule import Schedule
from jaxsched.frameworks._keywords import checked
from jaxsched.schedules._arithmetic import Scale
from jaxsched.schedules._combinators import Shift
from jaxsched.schedules._join import Join
from jaxsched.schedules._primitives import (
    Constant,
    Cosine,
    Exponential,
    Linear,
    Polynomial,
)
from jaxsched.schedules._torch import CosineAnnealingWarmRestarts, MultiStepLR, StepLR

__all__ = [
    "ConstantScheduler",
    "ConstantWithWarmupScheduler",
    "CosineAnnealingScheduler",
    "CosineAnnealingWarmRestartsScheduler",
    "CosineAnnealingWithWarmupScheduler",
    "ExponentialScheduler",
    "LinearScheduler",
    "LinearWithWarmupScheduler",
    "MultiStepScheduler",
    "MultiStepWithWarmupScheduler",
    "PolynomialScheduler",
    "PolynomialWithWarmupScheduler",
    "StepScheduler",
    "parse_time",
]

if TYPE_CHECKING:  # only type checkers read the annotations (typing's from 3.11)
    from typing_extensions import Unpack

_UNITS = ("iter", "ep", "ba", "sp", "tok", "dur", "sec")
_TIME = re.compile(r"^(.+)(" + "|".join(_UNITS) + r")$", flags=re.IGNORECASE)
_WALL_CLOCK = re.compile(r"^(\d+h)?(\d+m)?(\d+s)?$")
_PER = {"sp": "samples_per_step", "tok": "tokens_per_step"}
#: The most cycles a fractional-``t_mult`` warm-restart schedule is laid out with.
MAX_CYCLES = 10_000


def parse_time(text: str) -> tuple[float | int, str]:
    """Composer's ``Time.from_timestring``: ``"0.1dur"`` -> ``(0.1, "dur")``.

    The value is parsed as a float (``"3e4tok"`` works) and must be whole except in
    ``"dur"``. Wall-clock strings (``"1h"``, ``"30sec"``) are recognised and
    rejected, as Composer's schedulers reject them.

    Raises:
      TypeError: ``text`` is not a string.
      ValueError: an invalid string, a fractional count, or a wall-clock time.
    """
    if not isinstance(text, str):
        raise TypeError(
            "composer: a time must be a string such as '10ep', '100ba' or '0.1dur'. "
            f"Received: {text!r}"
        )
    if text and _WALL_CLOCK.match(text) and any(c in text for c in "hms"):
        raise ValueError(
            f"composer: wall clock time is not allowed. Received: {text!r}"
        )
    match = _TIME.findall(text)
    if len(match) != 1:
        raise ValueError(f"composer: invalid time string. Received: {text!r}")
    value_text, unit = (x for x in match[0] if x != "")
    unit = unit.lower()
    try:
        value = float(value_text)
    except ValueError:
        raise ValueError(f"composer: invalid time string. Received: {text!r}") from None
    if unit == "sec":
        raise ValueError(
            f"composer: wall clock time is not allowed. Received: {text!r}"
        )
    if unit == "iter":
        raise ValueError(
            f"composer: 'iter' times are not supported by jaxsched. Received: {text!r}"
        )
    if unit != "dur":
        if not math.isfinite(value) or int(value) != value:
            raise ValueError(
                f"composer: {unit} times must be whole numbers. Received: {text!r}"
            )
        return int(value), unit
    return value, unit


class _Duration(TypedDict):
    """The one required key of :class:`_TrainerState`."""

    max_duration: str


class _TrainerState(_Duration, total=False):
    """The keyword-only arguments of every scheduler: what Composer reads from the
    trainer's ``State`` (defaults in :class:`_State`).

    Keys:
      max_duration: required; the trainer's ``max_duration``, a time string
        (unscaled).
      steps_per_epoch: batches per epoch (``dataloader_len``), for epoch times
        (default ``None``).
      samples_per_step: samples per batch, for ``"sp"`` times (default ``None``).
      tokens_per_step: tokens per batch, for ``"tok"`` times (default ``None``).
      scale_schedule_ratio: Composer's ``ssr`` (the trainer's
        ``scale_schedule_ratio``; default ``1.0``).
    """

    steps_per_epoch: int | None
    samples_per_step: int | None
    tokens_per_step: int | None
    scale_schedule_ratio: float


class _State:
    """What Composer's schedulers read from ``State``, and its conversions."""

    def __init__(self, owner: str, trainer: _TrainerState) -> None:
        given = checked(f"composer.{owner}", _TrainerState, trainer)
        max_duration = given["max_duration"]
        scale_schedule_ratio = given.get("scale_schedule_ratio", 1.0)
        value, unit = parse_time(max_duration)
        if unit == "dur":
            raise ValueError(
                "composer: max_duration must count epochs, batches, samples or "
                f"tokens. Received: max_duration={max_duration!r}"
            )
        ssr = scale_schedule_ratio
        if isinstance(ssr, bool) or not isinstance(ssr, (int, float)) or ssr <= 0:
            raise ValueError(
                "composer: scale_schedule_ratio must be a number > 0. Received: "
                f"scale_schedule_ratio={ssr!r}"
            )
        if ssr != 1.0:  # trainer._scale_max_duration_by_ssr: Time(int(v * ssr))
            value = int(value * ssr)
            if value == 0:
                raise ValueError(
                    "composer: scale_schedule_ratio reduces max_duration to 0. "
                    f"Received: max_duration={max_duration!r}, "
                    f"scale_schedule_ratio={ssr!r}"
                )
        self.max_duration: tuple[int, str] = (int(value), unit)
        self.ssr = float(ssr)
        self.counts = {
            name: given.get(name)
            for name in ("steps_per_epoch", "samples_per_step", "tokens_per_step")
        }
        for name, count in self.counts.items():
            if count is not None and (
                isinstance(count, bool) or not isinstance(count, int) or count <= 0
            ):
                raise ValueError(
                    f"composer: {name} must be a positive integer. Received: "
                    f"{name}={count!r}"
                )

    def _count(self, name: str, why: str) -> int:
        count = self.counts[name]
        if count is None:
            raise ValueError(f"composer: {why} needs {name}; pass {name}=...")
        return count

    def per_batch(self, unit: str) -> int:
        """How many ``unit`` the timestamp gains per batch."""
        if unit == "ba":
            return 1
        return self._count(_PER[unit], f"a time in '{unit}'")

    def convert(self, time: str, ssr: float = 1.0) -> tuple[int, str]:
        """Composer's ``_convert_time(time, state, ssr)``."""
        value, unit = parse_time(time)
        md_value, md_unit = self.max_duration
        if unit == "dur":
            if md_unit == "ep":
                dl = self._count(
                    "steps_per_epoch", f"{time!r} of an epoch max_duration"
                )
                return int(value * dl * md_value), "ba"
            return int(value * md_value), md_unit
        if unit == "ep":
            value = value * self._count("steps_per_epoch", f"the time {time!r}")
            unit = "ba"
        return int(value * ssr), unit

    def first_batch(self, value: int, unit: str) -> int:
        """The first batch ``t`` with ``t * per_batch >= value``."""
        return -(-value // self.per_batch(unit))

    def span(self, value: int, unit: str) -> float | int:
        """``value`` in batches (an int when whole)."""
        k = self.per_batch(unit)
        return value // k if value % k == 0 else value / k

    def whole(self, value: int, unit: str, what: str) -> int:
        k = self.per_batch(unit)
        if value % k:
            raise ValueError(
                f"composer: {what} of {value}{unit} is not a whole number of batches "
                f"({k}{unit} per batch); jaxsched needs whole batches here"
            )
        return value // k

    def horizon(self) -> int:
        """``max_duration`` in batches (rounded up)."""
        value, unit = self.max_duration
        if unit == "ep":
            return value * self._count("steps_per_epoch", "an epoch max_duration")
        return self.first_batch(value, unit)

    def check_warmup_and_max(self, warmup: tuple[int, str], top: tuple[int, str]):
        """``_raise_if_warmup_and_max_incompatible`` and
        ``_raise_if_max_duration_exceeds_t_max``."""
        if warmup[1] != top[1]:
            raise ValueError(
                f"composer: cannot use a warmup in '{warmup[1]}' with t_max in "
                f"'{top[1]}'; t_warmup and t_max must use the same units"
            )
        md_value, md_unit = self.max_duration
        dl = self.counts["steps_per_epoch"]
        if top[1] == md_unit:
            bad = top[0] < md_value
        elif top[1] == "ba" and md_unit == "ep" and dl is not None:
            bad = top[0] < md_value * dl
        else:
            bad = False
        if bad:
            raise ValueError(
                f"composer: t_max {top[0]}{top[1]} must be greater than or equal to "
                f"max_duration {md_value}{md_unit}"
            )


def _nonzero(value: int, unit: str, name: str, time: str) -> None:
    if value == 0:
        raise ValueError(
            f"composer: {name}={time!r} converts to 0{unit} (Composer divides by "
            "zero there)"
        )


def _scaled(state: _State, time: str, name: str) -> tuple[int, str]:
    """The argument ``name`` (``time``) scaled by ``scale_schedule_ratio``: not 0."""
    value, unit = state.convert(time, state.ssr)
    _nonzero(value, unit, name, time)
    return value, unit


def _at(schedule: Schedule, state: _State, value: int, unit: str) -> Schedule:
    """``schedule`` of the fraction elapsed since ``value`` (in ``unit``), for a
    part that a ``Join`` starts at ``state.first_batch(value, unit)``."""
    k = state.per_batch(unit)
    lead = state.first_batch(value, unit) * k - value  # in unit, 0 <= lead < k
    # always a Shift (0 when the phase starts on a batch): one structure for every
    # unit, so mirrors that differ in their times stack into one sweep
    return Shift(schedule, -lead / k if lead else 0)


def _join(parts: Sequence[Schedule], boundaries: Sequence[int]) -> Schedule:
    """``Join`` without its empty parts."""
    keep_parts, keep_bounds = [parts[0]], []
    for part, bound in zip(parts[1:], boundaries):
        if (keep_bounds and bound == keep_bounds[-1]) or (
            not keep_bounds and bound == 0
        ):
            keep_parts[-1] = part
            continue
        keep_parts.append(part)
        keep_bounds.append(bound)
    if not keep_bounds:
        return keep_parts[0]
    return Join(keep_parts, keep_bounds)


def _rate(learning_rate: Any, alpha: Schedule) -> Scale:
    return Scale(alpha, learning_rate)


def StepScheduler(
    learning_rate: Any,
    step_size: str,
    gamma: Any = 0.1,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """``learning_rate * gamma ** floor(t / step_size)`` (Composer's StepScheduler).

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.StepScheduler(1.0, "2ep", 0.5, max_duration="10ep",
      ...                            steps_per_epoch=10)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 19, 20, 40)))
      1 1 0.5 0.25
    """
    state = _State("StepScheduler", trainer)
    value, unit = _scaled(state, step_size, "step_size")
    size = state.whole(value, unit, "a step_size")
    return _rate(learning_rate, StepLR(1.0, size, gamma))


def _milestones(state: _State, milestones: Sequence[str], ssr: float) -> list[int]:
    if isinstance(milestones, str):
        raise TypeError(
            "composer: milestones must be a list of time strings. Received: "
            f"{milestones!r}"
        )
    return sorted(state.first_batch(*state.convert(m, ssr)) for m in milestones)


def _multistep(state: _State, milestones: Sequence[str], gamma: Any) -> Schedule:
    bounds = _milestones(state, milestones, state.ssr)
    if not bounds:
        return Constant(1.0)
    return MultiStepLR(1.0, bounds, gamma)


def MultiStepScheduler(
    learning_rate: Any,
    milestones: Sequence[str],
    gamma: Any = 0.1,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """``learning_rate * gamma ** (milestones reached)`` (MultiStepScheduler).

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.MultiStepScheduler(1.0, ["10ba", "0.5dur"], 0.1,
      ...                                 max_duration="100ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (9, 10, 49, 50)))
      1 0.1 0.1 0.01
    """
    state = _State("MultiStepScheduler", trainer)
    return _rate(learning_rate, _multistep(state, milestones, gamma))


def ConstantScheduler(
    learning_rate: Any,
    alpha: Any = 1.0,
    t_max: str = "1dur",
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """``learning_rate * alpha`` before ``t_max``, ``learning_rate`` after.

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.ConstantScheduler(1.0, 0.5, "10ba", max_duration="20ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 9, 10)))
      0.5 0.5 1
    """
    state = _State("ConstantScheduler", trainer)
    value, unit = state.convert(t_max, state.ssr)
    end = state.first_batch(value, unit)
    return _rate(learning_rate, _join([Constant(alpha), Constant(1.0)], [end]))


def LinearScheduler(
    learning_rate: Any,
    alpha_i: Any = 1.0,
    alpha_f: Any = 0.0,
    t_max: str = "1dur",
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """``alpha_i + (alpha_f - alpha_i) * min(1, t / t_max)``, times the rate.

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.LinearScheduler(2.0, max_duration="10ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 5, 10, 20)))
      2 1 0 0
    """
    state = _State("LinearScheduler", trainer)
    value, unit = _scaled(state, t_max, "t_max")
    alpha = Linear(alpha_i, alpha_f, state.span(value, unit))
    return _rate(learning_rate, alpha)


def ExponentialScheduler(
    learning_rate: Any,
    gamma: Any,
    decay_period: str = "1ep",
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """``learning_rate * gamma ** (t / decay_period)`` (ExponentialScheduler).

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.ExponentialScheduler(1.0, 0.5, max_duration="3ep",
      ...                                   steps_per_epoch=4)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 2, 4, 8)))
      1 0.707107 0.5 0.25
    """
    state = _State("ExponentialScheduler", trainer)
    value, unit = _scaled(state, decay_period, "decay_period")
    if isinstance(gamma, (int, float)) and gamma <= 0:
        if gamma < 0:
            raise ValueError(
                f"composer: gamma must be >= 0 (a negative gamma gives complex "
                f"numbers in Composer). Received: gamma={gamma!r}"
            )
        return _rate(learning_rate, _join([Constant(1.0), Constant(0.0)], [1]))
    return _rate(learning_rate, Exponential(1.0, state.span(value, unit), gamma))


def CosineAnnealingScheduler(
    learning_rate: Any,
    t_max: str = "1dur",
    alpha_f: Any = 0.0,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """``alpha_f + (1 - alpha_f) * (1 + cos(pi * min(1, t / t_max))) / 2``.

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.CosineAnnealingScheduler(1.0, alpha_f=0.1, max_duration="10ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 5, 10, 20)))
      1 0.55 0.1 0.1
    """
    state = _State("CosineAnnealingScheduler", trainer)
    value, unit = _scaled(state, t_max, "t_max")
    return _rate(learning_rate, Cosine(1.0, state.span(value, unit), alpha_f))


def CosineAnnealingWarmRestartsScheduler(
    learning_rate: Any,
    t_0: str,
    t_mult: float = 1.0,
    alpha_f: Any = 0.0,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """Cosine cycles of ``t_0``, then ``int(t_mult * previous)`` batches each.

    A whole ``t_mult`` (``1.0``, ``2.0``, ...) gives
    :class:`~jaxsched.CosineAnnealingWarmRestarts`, restarting forever. A fractional
    one lays the cycles out with Composer's truncations up to ``max_duration`` (see
    the module's differences).

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.CosineAnnealingWarmRestartsScheduler(
      ...     1.0, "4ba", 2.0, max_duration="100ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 2, 4, 8, 12)))
      1 0.5 1 0.5 1
    """
    state = _State("CosineAnnealingWarmRestartsScheduler", trainer)
    value, unit = _scaled(state, t_0, "t_0")
    if isinstance(t_mult, bool) or not isinstance(t_mult, (int, float)) or t_mult < 0:
        raise ValueError(
            f"composer: t_mult must be a number >= 0. Received: t_mult={t_mult!r}"
        )
    if float(t_mult).is_integer() and t_mult >= 1:
        first = state.whole(value, unit, "a t_0")
        alpha = CosineAnnealingWarmRestarts(1.0, first, int(t_mult), alpha_f)
        return _rate(learning_rate, alpha)
    k = state.per_batch(unit)
    horizon = state.horizon() * k  # max_duration in ``unit``
    parts, bounds = [], []
    start, length = 0, value
    while True:
        if length == 0:
            break
        if start > 0:
            bounds.append(state.first_batch(start, unit))
        parts.append(_at(Cosine(1.0, length / k, alpha_f), state, start, unit))
        if start + length > horizon:
            break
        if len(parts) >= MAX_CYCLES:
            raise ValueError(
                f"composer: more than {MAX_CYCLES} restart cycles up to max_duration"
            )
        start, length = start + length, int(t_mult * length)
    return _rate(learning_rate, _join(parts, bounds))


def PolynomialScheduler(
    learning_rate: Any,
    power: Any,
    t_max: str = "1dur",
    alpha_f: Any = 0.0,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """``alpha_f + (1 - alpha_f) * (1 - min(1, t / t_max)) ** power``.

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.PolynomialScheduler(1.0, 2.0, max_duration="10ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 5, 10)))
      1 0.25 0
    """
    state = _State("PolynomialScheduler", trainer)
    value, unit = _scaled(state, t_max, "t_max")
    alpha = Polynomial(1.0, alpha_f, power, state.span(value, unit))
    return _rate(learning_rate, alpha)


def _warmup_parts(
    state: _State, t_warmup: str, peak: Any, scale_warmup: bool
) -> tuple[tuple[int, str], int, Schedule | None]:
    """``(W, first batch after the warmup, the warmup ramp)``."""
    if not isinstance(scale_warmup, bool):
        raise TypeError(
            f"composer: scale_warmup must be a bool. Received: {scale_warmup!r}"
        )
    warmup = state.convert(t_warmup)
    if warmup[0] == 0:
        warnings.warn(
            "composer: the warmup duration is 0 (a 'dur' warmup counts the unit of "
            "max_duration)",
            UserWarning,
            stacklevel=3,
        )
        return warmup, 0, None
    ramp = state.convert(t_warmup, state.ssr if scale_warmup else 1.0)
    _nonzero(ramp[0], ramp[1], "t_warmup (scaled)", t_warmup)
    return warmup, state.first_batch(*warmup), Linear(0.0, peak, state.span(*ramp))


def _warmed(
    learning_rate: Any,
    state: _State,
    t_warmup: str,
    t_max: str,
    scale_warmup: bool,
    peak: Any,
    after: Callable[[Any], Schedule],
) -> Schedule:
    """The ``*WithWarmupScheduler``s: ``learning_rate`` times the ramp to ``peak``,
    then ``after(span)`` of the fraction ``(t - W) / (t_max - W)`` (``peak`` when
    ``t_max <= W``)."""
    warmup, end, ramp = _warmup_parts(state, t_warmup, peak, scale_warmup)
    top = state.convert(t_max, state.ssr)
    state.check_warmup_and_max(warmup, top)
    if top[0] > warmup[0]:
        decay = _at(after(state.span(top[0] - warmup[0], top[1])), state, *warmup)
    else:
        decay = Constant(peak)
    return _rate(learning_rate, decay if ramp is None else _join([ramp, decay], [end]))


def MultiStepWithWarmupScheduler(
    learning_rate: Any,
    t_warmup: str,
    milestones: Sequence[str],
    gamma: Any = 0.1,
    scale_warmup: bool = False,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """A linear warmup from 0, then ``gamma ** (milestones reached)``.

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.MultiStepWithWarmupScheduler(
      ...     1.0, "4ba", ["10ba"], 0.5, max_duration="20ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 2, 4, 10)))
      0 0.5 1 0.5
    """
    state = _State("MultiStepWithWarmupScheduler", trainer)
    _, end, ramp = _warmup_parts(state, t_warmup, 1.0, scale_warmup)
    steps = _multistep(state, milestones, gamma)
    if ramp is None:
        return _rate(learning_rate, steps)
    steps = steps if isinstance(steps, Constant) else Shift(steps, -end)
    return _rate(learning_rate, _join([ramp, steps], [end]))


def ConstantWithWarmupScheduler(
    learning_rate: Any,
    t_warmup: str,
    alpha: Any = 1.0,
    t_max: str = "1dur",
    scale_warmup: bool = False,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """A linear warmup from 0 to ``alpha``, then ``alpha`` (for good: Composer's
    docstring promises 1.0 after ``t_max``, its code keeps ``alpha``).

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.ConstantWithWarmupScheduler(1.0, "4ba", 0.5,
      ...                                          max_duration="20ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 2, 4, 30)))
      0 0.25 0.5 0.5
    """

    def after(span: int) -> Schedule:
        return Constant(alpha)

    return _warmed(
        learning_rate,
        _State("ConstantWithWarmupScheduler", trainer),
        t_warmup,
        t_max,
        scale_warmup,
        alpha,
        after,
    )


def LinearWithWarmupScheduler(
    learning_rate: Any,
    t_warmup: str,
    alpha_i: Any = 1.0,
    alpha_f: Any = 0.0,
    t_max: str = "1dur",
    scale_warmup: bool = False,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """A linear warmup from 0 to ``alpha_i``, then linear to ``alpha_f`` at
    ``t_max`` (the fraction is ``(t - t_warmup) / (t_max - t_warmup)``).

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.LinearWithWarmupScheduler(1.0, "2ba", max_duration="10ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 1, 2, 6, 10)))
      0 0.5 1 0.5 0
    """
    after = partial(Linear, alpha_i, alpha_f)
    return _warmed(
        learning_rate,
        _State("LinearWithWarmupScheduler", trainer),
        t_warmup,
        t_max,
        scale_warmup,
        alpha_i,
        after,
    )


def CosineAnnealingWithWarmupScheduler(
    learning_rate: Any,
    t_warmup: str,
    t_max: str = "1dur",
    alpha_f: Any = 0.0,
    scale_warmup: bool = False,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """A linear warmup from 0 to 1, then a cosine to ``alpha_f`` at ``t_max``.

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.CosineAnnealingWithWarmupScheduler(
      ...     1.0, "0.2dur", max_duration="10ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 1, 2, 6, 10)))
      0 0.5 1 0.5 0
    """
    after = partial(Cosine, 1.0, alpha=alpha_f)
    return _warmed(
        learning_rate,
        _State("CosineAnnealingWithWarmupScheduler", trainer),
        t_warmup,
        t_max,
        scale_warmup,
        1.0,
        after,
    )


def PolynomialWithWarmupScheduler(
    learning_rate: Any,
    t_warmup: str,
    power: Any = 2.0,
    t_max: str = "1dur",
    alpha_f: Any = 0.0,
    scale_warmup: bool = False,
    **trainer: Unpack[_TrainerState],
) -> Schedule:
    """A linear warmup from 0 to 1, then ``alpha_f + (1 - alpha_f) * (1 - x) **
    power`` with ``x = (t - t_warmup) / (t_max - t_warmup)``.

    Example:
      >>> from jaxsched.frameworks import composer
      >>> s = composer.PolynomialWithWarmupScheduler(1.0, "2ba", max_duration="12ba")
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 1, 2, 7, 12)))
      0 0.5 1 0.25 0
    """
    after = partial(Polynomial, 1.0, alpha_f, power)
    return _warmed(
        learning_rate,
        _State("PolynomialWithWarmupScheduler", trainer),
        t_warmup,
        t_max,
        scale_warmup,
        1.0,
        after,
    )
