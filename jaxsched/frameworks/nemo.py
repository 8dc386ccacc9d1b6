"""NVIDIA NeMo's learning-rate policies (``nemo/core/optim/lr_scheduler.py``).

Each function takes the policy's keyword arguments (NeMo's names and defaults:
``warmup_steps`` or ``warmup_ratio``, ``hold_steps`` or ``hold_ratio``,
``constant_steps`` or ``constant_ratio``, ``max_steps``, ``min_lr``, ...; a
``*_ratio`` is ``int(ratio * max_steps)``, as in NeMo) after ``learning_rate``, the
optimizer's rate NeMo reads as ``base_lrs``. As in NeMo, where the annealing
policies pass ``**kwargs`` on to ``WarmupPolicy`` or ``WarmupHoldPolicy``, the
warmup and hold keywords arrive as ``**options``, typed (an IDE lists them; a
misspelt one is a ``TypeError`` naming the policy). It returns an ordinary jaxsched
schedule of ``t = last_epoch`` (the number of optimizer steps taken; NeMo steps its
schedulers once per optimizer step): a :class:`~jaxsched.Join` of the policy's
phases, each phase a jaxsched schedule. NeMo's phases (``s = t - W``):

NeMo -> jaxsched (phases of a ``Join``; every policy but Noam and T5 then gives
``min_lr`` after ``max_steps``):

- NeMo's warmup (all but Noam, T5 and the Megatron-style cosine):
  ``Linear(lr / (W + 1), lr, W)`` for ``t <= W``, i.e. ``lr * (t + 1) / (W + 1)``
- ``WarmupPolicy``: warmup; ``Constant(lr)``
- ``WarmupHoldPolicy``: warmup; ``Constant(lr)`` (hold and after)
- ``WarmupAnnealHoldPolicy``: warmup; ``Constant(lr)``; ``min_lr`` for the
  ``constant_steps`` before ``max_steps``
- ``WarmupHoldAnnealOneMinusSquareRoot``: warmup; hold; ``Maximum(
  WarmupStableDecay(lr, 0, M - H, num_stable_steps=0, decay_type="1-sqrt"),
  min_lr)`` at ``t - H``
- ``WarmupHoldAnnealLinear``: warmup; hold; ``Linear(lr, min_lr, M - H)`` at ``t - H``
- ``SquareAnnealing``: warmup; ``Maximum(Polynomial(lr, 0, 2, M - W), min_lr)`` at
  ``t - W``
- ``SquareRootAnnealing``: warmup; ``Maximum(Polynomial(lr, 0, 0.5, M), min_lr)``
  at the absolute ``t``
- ``CosineAnnealing``: warmup; ``Offset(Cosine(lr - min_lr, M - W), min_lr)`` at
  ``t - W``; with ``constant_steps > 0``: ``Linear(0, lr, W)``, the same cosine over
  ``M - C - W``, then ``min_lr``
- ``NoamAnnealing``: ``Linear`` ramp to ``lr / sqrt(d_model * W)`` (step 0 as step
  1); ``Maximum(RsqrtDecay(lr / sqrt(d_model), 0), min_lr)``
- ``NoamHoldAnnealing``: warmup; hold; ``Maximum(PowerLaw(lr * W**r, -r, offset=0,
  min_step=1), min_lr)`` at ``t - hold_steps``
- ``WarmupAnnealing``: warmup; ``Linear(lr, min_lr, M - W)`` at ``t - W``
- ``InverseSquareRootAnnealing``: warmup; ``RsqrtDecay(lr * sqrt(W + 1), 0)`` at
  ``t + 1``
- ``T5InverseSquareRootAnnealing``: ``RsqrtDecay(1.0, C)`` (the rate is ignored)
- ``PolynomialDecayAnnealing``: warmup; ``PolynomialDecay(lr, M - W, min_lr, power,
  cycle)`` at ``t - W``
- ``PolynomialHoldDecayAnnealing``: warmup; hold; ``PolynomialDecay(lr, M - max(W,
  H), min_lr, power, cycle)`` at ``t - H``
- ``ReduceLROnPlateau``: raises ``ValueError`` (metric-driven)

``W`` is the warmup, ``H`` the end of the hold (``hold_steps + W``; 0 when no hold
is given, so the decays of the hold policies then start from step 0's clock: NeMo's
jump right after the warmup, reproduced), ``M`` is ``max_steps``, ``C`` the
constant steps. Each value equals NeMo's ``get_lr()`` at ``last_epoch = t``, up to
float rounding.

NeMo's quirks, reproduced: ``SquareRootAnnealing`` decays with the absolute step;
``PolynomialDecayAnnealing``'s ``cycle`` never changes a value (the decay never runs
past ``max_steps``, where ``min_lr`` takes over); ``PolynomialHoldDecayAnnealing``
without a hold decays with the absolute step over ``max_steps - W`` and its ``cycle``
then restarts once; ``T5InverseSquareRootAnnealing`` ignores the optimizer's rate.

Where NeMo fails, the mirror raises ``ValueError`` at construction instead of
failing at some step: a decay over 0 steps (``ZeroDivisionError`` in NeMo at that
step: ``max_steps == hold`` etc.), ``T5InverseSquareRootAnnealing`` with
``constant_ratio`` (NeMo reads the argument ``constant_steps``: ``TypeError``) or
``constant_steps=0``, ``NoamHoldAnnealing`` without warmup, ``CosineAnnealing``
with ``learning_rate < min_lr`` (or ``<=`` with ``constant_steps``). Two
differences: ``WarmupHoldPolicy`` with ``max_steps=None`` never decays (NeMo raises
``TypeError`` after the hold), and the ``reset_lr`` hook of
``WarmupAnnealHoldPolicy`` (a parameter-group flag that restarts the schedule) is not
modelled: restart with ``Shift(schedule, -num_steps)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from jaxsched.core._schedule import Schedule
from jaxsched.frameworks._keywords import checked
from jaxsched.schedules._arithmetic import Maximum, Offset
from jaxsched.schedules._combinators import Shift
from jaxsched.schedules._join import Join
from jaxsched.schedules._keras import PolynomialDecay
from jaxsched.schedules._power_law import PowerLaw
from jaxsched.schedules._primitives import Constant, Cosine, Linear, Polynomial
from jaxsched.schedules._transformers import RsqrtDecay, WarmupStableDecay

__all__ = [
    "CosineAnnealing",
    "InverseSquareRootAnnealing",
    "NoamAnnealing",
    "NoamHoldAnnealing",
    "PolynomialDecayAnnealing",
    "PolynomialHoldDecayAnnealing",
    "ReduceLROnPlateau",
    "SquareAnnealing",
    "SquareRootAnnealing",
    "T5InverseSquareRootAnnealing",
    "WarmupAnnealHoldPolicy",
    "WarmupAnnealing",
    "WarmupHoldAnnealLinear",
    "WarmupHoldAnnealOneMinusSquareRoot",
    "WarmupHoldPolicy",
    "WarmupPolicy",
]

if TYPE_CHECKING:  # only type checkers read the annotations (typing's from 3.11)
    from typing_extensions import Unpack

_INF = math.inf


def _error(owner: str, message: str) -> ValueError:
    return ValueError(f"nemo.{owner}: {message}")


def _count(owner: str, name: str, value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or value < 0
    ):
        raise _error(
            owner, f"`{name}` must be an integer >= 0. Received: {name}={value!r}"
        )


def _steps(owner, steps, ratio, max_steps, names) -> int:
    """NeMo's ``x_steps`` / ``int(x_ratio * max_steps)`` / 0."""
    _count(owner, names[0], steps)
    if steps is not None and ratio is not None:
        raise _error(owner, f"give `{names[0]}` or `{names[1]}`, not both")
    if ratio is not None and max_steps is None:
        raise _error(owner, f"`{names[1]}` needs `max_steps`")
    if steps is not None:
        return steps
    if ratio is not None:
        return int(ratio * max_steps)
    return 0


def _warmup(owner, warmup_steps, warmup_ratio, max_steps) -> int:
    return _steps(
        owner, warmup_steps, warmup_ratio, max_steps, ("warmup_steps", "warmup_ratio")
    )


def _constant(owner, constant_steps, constant_ratio, max_steps) -> int:
    names = ("constant_steps", "constant_ratio")
    return _steps(owner, constant_steps, constant_ratio, max_steps, names)


def _start(owner: str, max_steps: Any, warmup_steps: Any, warmup_ratio: Any) -> int:
    """Checks the required ``max_steps``; NeMo's warmup ``W``."""
    _require_max(owner, max_steps)
    return _warmup(owner, warmup_steps, warmup_ratio, max_steps)


def _start_with(owner: str, max_steps: Any, options: Mapping[str, Any]) -> int:
    """:func:`_start` with the warmup keywords of a policy's ``**options``
    (``_WarmupOptions``, checked by name)."""
    given = checked(f"nemo.{owner}", _WarmupOptions, options)
    return _start(
        owner, max_steps, given.get("warmup_steps"), given.get("warmup_ratio")
    )


def _concrete(*values: Any) -> bool:
    return all(isinstance(value, (int, float)) for value in values)


def _phases(parts: Sequence[tuple[float, Schedule, float]]) -> Schedule:
    """A ``Join`` of ``(start, schedule, origin)`` phases: from ``start`` (until the
    next start) the value is ``schedule(t - origin)``. Empty phases are dropped."""
    kept: list[tuple[float, Schedule, float]] = []
    for i, (start, schedule, origin) in enumerate(parts):
        end = parts[i + 1][0] if i + 1 < len(parts) else _INF
        if end > start:
            kept.append((start, schedule, origin))
    schedules, bounds = [], []
    for start, schedule, origin in kept:
        begin = start if bounds or start > 0 else 0
        if begin > 0:
            bounds.append(int(begin))
        if not isinstance(schedule, Constant):  # a leaf even when 0: one structure
            schedule = Shift(schedule, int(origin - begin))
        schedules.append(schedule)
    return schedules[0] if len(schedules) == 1 else Join(schedules, bounds)


def _nemo_warmup(learning_rate: Any, w: int) -> tuple[float, Schedule, float]:
    """``lr * (t + 1) / (w + 1)`` for ``t <= w`` (empty when ``w == 0``)."""
    return (0, Linear(learning_rate / (w + 1), learning_rate, w), 0)


def _min_tail(min_lr: Any, max_steps: Any, after: float) -> list:
    if max_steps is None:
        return []
    return [(max(after, max_steps + 1), Constant(min_lr), 0)]


def _warmup_policy(learning_rate, w, max_steps, min_lr, decay, origin=0):
    """``WarmupPolicy.get_lr`` with ``_get_lr`` given by ``decay(t - origin)``."""
    a = w + 1 if w > 0 else 0
    return _phases(
        [
            _nemo_warmup(learning_rate, w),
            (a, decay, origin),
            *_min_tail(min_lr, max_steps, a),
        ]
    )


def _hold(owner, w, hold_steps, hold_ratio, max_steps) -> int:
    """``WarmupHoldPolicy.hold_steps``: ``hold + W``, or 0 without a hold."""
    names = ("hold_steps", "hold_ratio")
    hold = _steps(owner, hold_steps, hold_ratio, max_steps, names)
    return 0 if hold_steps is None and hold_ratio is None else hold + w


def _span(owner: str, w: int, max_steps: int) -> int:
    """NeMo divides by ``max_steps - W`` in the decay: 0 when both are 0. Returns
    the decay's length, at least 1."""
    if w == 0 and max_steps == 0:
        raise _error(owner, "max_steps=0 without warmup: NeMo divides by 0 at step 0")
    return max(max_steps - w, 1)


_HOLD_END = "max_steps equals the end of the hold: NeMo divides by 0"

_REQUIRED: Any = object()  # _held: max_steps comes with the keywords


class _WarmupOptions(TypedDict, total=False):
    """NeMo's ``WarmupPolicy`` keywords, which its annealing policies take through
    ``**kwargs``: ``warmup_steps`` or ``warmup_ratio`` (``None``: no warmup)."""

    warmup_steps: int | None
    warmup_ratio: float | None


class _HoldOptions(_WarmupOptions, total=False):
    """NeMo's ``WarmupHoldPolicy`` keywords (defaults in :func:`_held`): ``min_lr``
    (0.0), ``warmup_steps`` or ``warmup_ratio``, ``hold_steps`` or ``hold_ratio``
    (``None``: no warmup, no hold)."""

    min_lr: Any
    hold_steps: int | None
    hold_ratio: float | None


class _DecayOptions(_HoldOptions):
    """``_HoldOptions`` and the required ``max_steps`` (the decaying subclasses)."""

    max_steps: int


class _Held(NamedTuple):
    """A ``WarmupHoldPolicy``'s resolved keywords: the warmup ``w``, the hold's end
    ``hold`` (``H``), ``max_steps`` and ``min_lr``."""

    owner: str
    w: int
    hold: int
    max_steps: Any
    min_lr: Any

    def decays(self) -> bool:
        """Whether the decay phase ``[max(a, hold), max_steps]`` has a step."""
        a = self.w + 1 if self.w > 0 else 0
        return self.max_steps is None or max(a, self.hold) <= self.max_steps

    def span(self, span: int, message: str = _HOLD_END) -> int:
        """A decay after the hold over ``span`` steps: NeMo divides by ``span``, so 0
        raises when the decay has a step. Returns the length, at least 1."""
        if self.decays() and span <= 0:
            raise _error(self.owner, message)
        return max(span, 1)

    def policy(self, learning_rate: Any, decay: Schedule, origin: float) -> Schedule:
        """``WarmupHoldPolicy.get_lr`` with ``_get_lr`` given by ``decay(t -
        origin)``."""
        a = self.w + 1 if self.w > 0 else 0
        b = max(a, self.hold)
        return _phases(
            [
                _nemo_warmup(learning_rate, self.w),
                (a, Constant(learning_rate), 0),
                (b, decay, origin),
                *_min_tail(self.min_lr, self.max_steps, b),
            ]
        )


def _held(owner: str, options: Any, max_steps: Any = _REQUIRED) -> _Held:
    """Checks the keywords (``max_steps`` among them unless given apart, where
    ``None`` means none) and resolves the warmup and the hold's end."""
    block = _DecayOptions if max_steps is _REQUIRED else _HoldOptions
    given = checked(f"nemo.{owner}", block, options)
    if max_steps is _REQUIRED:
        max_steps = given["max_steps"]
    if max_steps is not None or block is _DecayOptions:
        _require_max(owner, max_steps)
    w = _warmup(owner, given.get("warmup_steps"), given.get("warmup_ratio"), max_steps)
    hold_steps, hold_ratio = given.get("hold_steps"), given.get("hold_ratio")
    hold = _hold(owner, w, hold_steps, hold_ratio, max_steps)
    return _Held(owner, w, hold, max_steps, given.get("min_lr", 0.0))


def _require_max(owner: str, max_steps: Any) -> int:
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 0:
        raise _error(
            owner, f"`max_steps` must be an integer >= 0. Received: {max_steps!r}"
        )
    return max_steps


def WarmupPolicy(
    learning_rate: Any,
    *,
    warmup_steps: int | None = None,
    warmup_ratio: float | None = None,
    max_steps: int | None = None,
    min_lr: Any = 0.0,
) -> Schedule:
    """NeMo's warmup, then ``learning_rate``; ``min_lr`` after ``max_steps``.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.WarmupPolicy(1.0, warmup_steps=3, max_steps=6, min_lr=0.1)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(8)))
      0.25 0.5 0.75 1 1 1 1 0.1
    """
    owner = "WarmupPolicy"
    if max_steps is not None:
        _require_max(owner, max_steps)
    w = _warmup(owner, warmup_steps, warmup_ratio, max_steps)
    return _warmup_policy(learning_rate, w, max_steps, min_lr, Constant(learning_rate))


def WarmupHoldPolicy(
    learning_rate: Any,
    *,
    max_steps: int | None = None,
    **options: Unpack[_HoldOptions],
) -> Schedule:
    """NeMo's warmup, a hold at ``learning_rate``, then ``learning_rate``.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.WarmupHoldPolicy(1.0, warmup_steps=1, hold_steps=2, max_steps=4)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(6)))
      0.5 1 1 1 1 0
    """
    h = _held("WarmupHoldPolicy", options, max_steps)
    return h.policy(learning_rate, Constant(learning_rate), 0)


def WarmupHoldAnnealOneMinusSquareRoot(
    learning_rate: Any,
    **options: Unpack[_DecayOptions],
) -> Schedule:
    """Warmup, hold, then ``max(min_lr, lr * (1 - sqrt((t - H) / (M - H))))``.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.WarmupHoldAnnealOneMinusSquareRoot(
      ...     1.0, max_steps=8, warmup_steps=1, hold_steps=3)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 4, 5, 8, 9)))
      0.500 1.000 1.000 0.500 0.000 0.000
    """
    h = _held("WarmupHoldAnnealOneMinusSquareRoot", options)
    span = h.span(h.max_steps - h.hold)
    shape = WarmupStableDecay(
        learning_rate, 0, span, num_stable_steps=0, decay_type="1-sqrt"
    )
    return h.policy(learning_rate, Maximum(shape, Constant(h.min_lr)), h.hold)


def WarmupHoldAnnealLinear(
    learning_rate: Any,
    **options: Unpack[_DecayOptions],
) -> Schedule:
    """Warmup, hold, then linear from ``learning_rate`` at ``H`` to ``min_lr``.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.WarmupHoldAnnealLinear(1.0, max_steps=8, warmup_steps=1,
      ...                                  hold_steps=3, min_lr=0.2)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 4, 6, 8, 9)))
      0.500 1.000 1.000 0.600 0.200 0.200
    """
    h = _held("WarmupHoldAnnealLinear", options)
    decay = Linear(learning_rate, h.min_lr, h.span(h.max_steps - h.hold))
    return h.policy(learning_rate, decay, h.hold)


def WarmupAnnealHoldPolicy(
    learning_rate: Any,
    *,
    warmup_steps: int | None = None,
    warmup_ratio: float | None = None,
    constant_steps: int | None = None,
    constant_ratio: float | None = None,
    max_steps: int,
    min_lr: Any = 0.0,
) -> Schedule:
    """NeMo's warmup, ``learning_rate``, then ``min_lr`` for the last
    ``constant_steps`` and after ``max_steps`` (the base class of
    ``CosineAnnealing``; ``max_steps`` is required, as NeMo subtracts it).

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.WarmupAnnealHoldPolicy(1.0, warmup_steps=1, constant_steps=2,
      ...                                 max_steps=5, min_lr=0.1)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(7)))
      0.5 1 1 1 0.1 0.1 0.1
    """
    owner = "WarmupAnnealHoldPolicy"
    w = _start(owner, max_steps, warmup_steps, warmup_ratio)
    c = _constant(owner, constant_steps, constant_ratio, max_steps)
    return _anneal_hold(
        learning_rate, w, c, max_steps, min_lr, Constant(learning_rate), 0
    )


def _anneal_hold(lr, w, c, max_steps, min_lr, decay, origin, warmup=None):
    """``WarmupAnnealHoldPolicy.get_lr``: warmup for ``t <= W``; ``min_lr`` for
    ``W + decay_steps < t <= max_steps`` when ``c > 0`` and after ``max_steps``;
    ``decay(t - origin)`` otherwise."""
    decay_steps = max_steps - (c + w)
    a = w + 1 if w > 0 else 0
    floor = max(a, w + decay_steps + 1) if c > 0 else max(a, max_steps + 1)
    return _phases(
        [
            warmup or _nemo_warmup(lr, w),
            (a, decay, origin),
            (floor, Constant(min_lr), 0),
        ]
    )


def CosineAnnealing(
    learning_rate: Any,
    *,
    max_steps: int,
    min_lr: Any = 0,
    constant_steps: int | None = None,
    constant_ratio: float | None = None,
    **options: Unpack[_WarmupOptions],
) -> Schedule:
    """Warmup, then a cosine from ``learning_rate`` to ``min_lr`` at ``max_steps``.

    With ``constant_steps`` (or ``constant_ratio``) > 0 this is NeMo's
    "Megatron-style" variant: the warmup is ``lr * t / W`` (from 0), the cosine ends
    at ``max_steps - constant_steps`` and ``min_lr`` is held after it.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.CosineAnnealing(1.0, max_steps=6, warmup_steps=2, min_lr=0.2)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 2, 4, 6, 7)))
      0.333 1.000 0.600 0.200 0.200
    """
    owner = "CosineAnnealing"
    w = _start_with(owner, max_steps, options)
    c = _constant(owner, constant_steps, constant_ratio, max_steps)
    concrete = _concrete(learning_rate, min_lr)
    warmup = None
    if c == 0:
        _span(owner, w, max_steps)
        if concrete and learning_rate < min_lr:
            raise _error(owner, "learning_rate is lower than min_lr")
    else:
        if concrete and not learning_rate > min_lr:
            raise _error(owner, "learning_rate must be > min_lr (NeMo asserts it)")
        warmup = (0, Linear(0.0, learning_rate, w), 0)
    span = max(max_steps - (c + w), 1)
    decay = Offset(Cosine(learning_rate - min_lr, span), min_lr)
    return _anneal_hold(learning_rate, w, c, max_steps, min_lr, decay, w, warmup)


def SquareAnnealing(
    learning_rate: Any,
    *,
    max_steps: int,
    min_lr: Any = 1e-5,
    **options: Unpack[_WarmupOptions],
) -> Schedule:
    """Warmup, then ``max(lr * ((M - t) / (M - W)) ** 2, min_lr)``.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.SquareAnnealing(1.0, max_steps=4, min_lr=0.0)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(6)))
      1 0.5625 0.25 0.0625 0 0
    """
    owner = "SquareAnnealing"
    w = _start_with(owner, max_steps, options)
    square = Polynomial(learning_rate, 0.0, 2.0, _span(owner, w, max_steps))
    return _warmup_policy(
        learning_rate, w, max_steps, min_lr, Maximum(square, Constant(min_lr)), w
    )


def SquareRootAnnealing(
    learning_rate: Any,
    *,
    max_steps: int,
    min_lr: Any = 0,
    **options: Unpack[_WarmupOptions],
) -> Schedule:
    """Warmup, then ``max(lr * sqrt((M - t) / M), min_lr)`` of the absolute ``t``.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.SquareRootAnnealing(1.0, max_steps=4)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in range(6)))
      1.000 0.866 0.707 0.500 0.000 0.000
    """
    owner = "SquareRootAnnealing"
    w = _start_with(owner, max_steps, options)
    if max_steps == 0:
        raise _error(owner, "max_steps=0: NeMo divides by 0")
    decay = Maximum(Polynomial(learning_rate, 0.0, 0.5, max_steps), Constant(min_lr))
    return _warmup_policy(learning_rate, w, max_steps, min_lr, decay, 0)


def NoamAnnealing(
    learning_rate: Any,
    *,
    d_model: Any,
    warmup_steps: int | None = None,
    warmup_ratio: float | None = None,
    max_steps: int | None = None,
    min_lr: Any = 0.0,
) -> Schedule:
    """``lr * d_model ** -0.5 * min(t ** -0.5, t * W ** -1.5)`` with ``t = max(1,
    last_epoch)``; floored at ``min_lr`` after the warmup (``max_steps`` only
    resolves ``warmup_ratio``).

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.NoamAnnealing(1.0, d_model=4, warmup_steps=4)
      >>> print(" ".join(f"{float(s(t)):.4f}" for t in (0, 1, 4, 16)))
      0.0625 0.0625 0.2500 0.1250
    """
    owner = "NoamAnnealing"
    w = _warmup(owner, warmup_steps, warmup_ratio, max_steps)
    if _concrete(learning_rate, min_lr) and learning_rate < min_lr:
        raise _error(owner, "learning_rate is lower than min_lr")
    scale = learning_rate * d_model ** (-0.5)
    decay = Maximum(RsqrtDecay(scale, 0), Constant(min_lr))
    if w == 0:
        return decay
    # for 1 <= t <= W: scale * t * W ** -1.5 (t = max(1, last_epoch))
    ramp = Linear(0.0, scale * w ** (-0.5), w)
    return _phases(
        [
            (0, Constant(scale * w ** (-1.5)), 0),
            (1, ramp, 0),
            (w + 1, decay, 0),
        ]
    )


def NoamHoldAnnealing(
    learning_rate: Any,
    *,
    decay_rate: float = 0.5,
    **options: Unpack[_DecayOptions],
) -> Schedule:
    """Warmup, hold, then ``max(lr * W ** r / (t - hold_steps) ** r, min_lr)``
    with ``r = decay_rate`` (SqueezeFormer's Noam-hold).

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.NoamHoldAnnealing(1.0, max_steps=100, warmup_steps=4,
      ...                            hold_steps=4)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 4, 7, 8, 20)))
      0.200 1.000 1.000 1.000 0.500
    """
    owner = "NoamHoldAnnealing"
    h = _held(owner, options)
    if h.w == 0 and h.decays():
        raise _error(owner, "NeMo's Noam scheduler cannot be used without warmup steps")
    if isinstance(decay_rate, (int, float)) and decay_rate < 0:
        raise _error(owner, f"decay_rate must be >= 0. Received: {decay_rate!r}")
    hold_only = h.hold - h.w if h.hold > 0 else 0
    # max(1, W ** r) / max(1, (t - hold_only) ** r): t - hold_only >= 1 in the decay
    peak = learning_rate * max(1, h.w**decay_rate)
    power_law = PowerLaw(peak, -decay_rate, offset=0.0, min_step=1)
    decay = Maximum(power_law, Constant(h.min_lr))
    return h.policy(learning_rate, decay, hold_only)


def WarmupAnnealing(
    learning_rate: Any,
    *,
    max_steps: int,
    min_lr: Any = 0.0,
    **options: Unpack[_WarmupOptions],
) -> Schedule:
    """Warmup, then linear from ``learning_rate`` at ``W`` to ``min_lr`` at ``M``.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.WarmupAnnealing(1.0, max_steps=4, min_lr=0.2)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(6)))
      1 0.8 0.6 0.4 0.2 0.2
    """
    w = _start_with("WarmupAnnealing", max_steps, options)
    decay = Linear(learning_rate, min_lr, _span("WarmupAnnealing", w, max_steps))
    return _warmup_policy(learning_rate, w, max_steps, min_lr, decay, w)


def InverseSquareRootAnnealing(
    learning_rate: Any,
    *,
    max_steps: int,
    min_lr: Any = 0.0,
    **options: Unpack[_WarmupOptions],
) -> Schedule:
    """Warmup, then ``lr / sqrt((t + 1) / (W + 1))`` (no floor before
    ``max_steps``).

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.InverseSquareRootAnnealing(1.0, max_steps=100, warmup_steps=3)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 3, 15, 101)))
      0.25 1 0.5 0
    """
    w = _start_with("InverseSquareRootAnnealing", max_steps, options)
    decay = RsqrtDecay(learning_rate * math.sqrt(w + 1), 0)
    return _warmup_policy(learning_rate, w, max_steps, min_lr, decay, -1)


def T5InverseSquareRootAnnealing(
    learning_rate: Any,
    *,
    max_steps: int,
    min_lr: Any = 0.0,
    constant_steps: int | None = None,
    constant_ratio: float | None = None,
) -> Schedule:
    """``1 / sqrt(max(t, constant_steps))`` until ``max_steps``, then ``min_lr``.

    NeMo ignores the optimizer's rate here: ``learning_rate`` is accepted for the
    common signature and unused.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.T5InverseSquareRootAnnealing(1.0, max_steps=100,
      ...                                       constant_steps=4)
      >>> print(" ".join(f"{float(s(t)):g}" for t in (0, 4, 16, 101)))
      0.5 0.5 0.25 0
    """
    owner = "T5InverseSquareRootAnnealing"
    del learning_rate
    _require_max(owner, max_steps)
    if constant_steps is None:
        raise _error(
            owner,
            "NeMo computes its constant from the argument `constant_steps` (a "
            "`constant_ratio` alone raises TypeError there); give constant_steps",
        )
    c = _constant(owner, constant_steps, constant_ratio, max_steps)
    if c == 0:
        raise _error(owner, "constant_steps=0: NeMo divides by 0")
    return _phases(
        [(0, RsqrtDecay(1.0, c), 0), (max(c, max_steps) + 1, Constant(min_lr), 0)]
    )


def _poly(owner, lr, min_lr, power, cycle, span):
    if not isinstance(cycle, bool):
        raise TypeError(f"nemo.{owner}: `cycle` must be a bool. Received: {cycle!r}")
    return PolynomialDecay(lr, span, min_lr, power, cycle=cycle)


def PolynomialDecayAnnealing(
    learning_rate: Any,
    *,
    max_steps: int,
    min_lr: Any = 0.0,
    power: Any = 1.0,
    cycle: bool = False,
    **options: Unpack[_WarmupOptions],
) -> Schedule:
    """Warmup, then ``(lr - min_lr) * (1 - (t - W) / (M - W)) ** power + min_lr``.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.PolynomialDecayAnnealing(1.0, max_steps=4, power=2.0)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(6)))
      1 0.5625 0.25 0.0625 0 0
    """
    owner = "PolynomialDecayAnnealing"
    w = _start_with(owner, max_steps, options)
    span = _span(owner, w, max_steps)
    decay = _poly(owner, learning_rate, min_lr, power, cycle, span)
    return _warmup_policy(learning_rate, w, max_steps, min_lr, decay, w)


def PolynomialHoldDecayAnnealing(
    learning_rate: Any,
    *,
    power: Any = 1.0,
    cycle: bool = False,
    **options: Unpack[_DecayOptions],
) -> Schedule:
    """Warmup, hold, then the polynomial decay of ``t - H`` over ``M - max(W, H)``.

    Example:
      >>> from jaxsched.frameworks import nemo
      >>> s = nemo.PolynomialHoldDecayAnnealing(1.0, max_steps=6, warmup_steps=1,
      ...                                       hold_steps=1)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(8)))
      0.5 1 1 0.75 0.5 0.25 0 0
    """
    owner = "PolynomialHoldDecayAnnealing"
    h = _held(owner, options)
    span = h.max_steps - max(h.w, h.hold)
    span = h.span(span, "the decay has 0 steps: NeMo divides by 0")
    decay = _poly(owner, learning_rate, h.min_lr, power, cycle, span)
    return h.policy(learning_rate, decay, h.hold)


def ReduceLROnPlateau(*args: Any, **kwargs: Any) -> Schedule:
    """Not a schedule: NeMo registers torch's ``ReduceLROnPlateau``, which reads a
    validation metric.

    Raises:
      ValueError: always; a schedule is a function of the step only. Keep the
        plateau logic in the training loop (e.g. ``optax.contrib.reduce_on_plateau``
        as a gradient transformation) and a jaxsched schedule for the rest.
    """
    del args, kwargs
    raise ValueError(
        "nemo.ReduceLROnPlateau is metric-driven: its rate depends on a validation "
        "metric, not on the step, so it is not a schedule. Use "
        "optax.contrib.reduce_on_plateau (a gradient transformation) in the "
        "training loop, on top of a jaxsched schedule."
    )
