"""Levanter's learning-rate schedule by its names, as a jaxsched schedule.

``OptimizerConfig(...).lr_scheduler(num_train_steps)`` takes the fields of
Levanter's ``OptimizerConfig`` (``src/levanter/optim/config.py``,
``stanford-crfm/levanter`` at ``9263f81``), with Levanter's names and defaults, and
returns what its ``lr_scheduler`` builds, as one jaxsched schedule: the value at step
``t`` is the rate of Levanter's update ``t + 1``. ``lr_schedule`` is a name
(``"constant"``, ``"cosine"``, ``"linear"``, ``"inv_sqrt"``, ``"inv"``) or one of
the ``LrSchedule`` classes below (``CosineLrSchedule(exponent)``,
``InvSqrtLrSchedule(timescale)``, ``PowerLrSchedule(batch_size, seq_length, a,
b)``, ...). Only the schedule is mirrored: the optimizer fields (``weight_decay``,
...) are accepted and not used.

The run is cut into cycles (``cycles``, ``cycle_length`` or the deprecated
``haps``); each is ``[warmup | rewarmup] -> [stable] -> [decay]``, the lengths as
Levanter computes them (a value <= 1 is a fraction: ``int(fraction * length)``;
``warmup`` of the first cycle, ``rewarmup`` of the others, ``decay`` of each cycle;
``cooldown`` of the run), then the deprecated linear ``cooldown`` to ``min_lr``.
The pieces, with ``lr``, ``min_lr = lr * min_lr_ratio``, ``D`` the decay's length
and ``W`` the cycle's warmup:

=================================  ================================================
Levanter                           jaxsched
=================================  ================================================
warmup, rewarmup                   ``Linear(previous_end, lr, W)`` (the previous
                                   cycle's final value, 0 for the first)
stable                             ``Constant(lr)``
``constant``                       ``Constant(lr)``
``cosine`` (``exponent``)          ``Cosine(lr, D, min_lr_ratio, exponent)``
``linear``                         ``Linear(lr, min_lr, D)``
``inv_sqrt`` (``timescale`` 1e4)   ``Clip(Clip(Shift(PowerLaw(lr, -0.5, timescale,
                                   offset=0, min_step=1), -W), maximum=lr),
                                   minimum=min_lr)``
``inv``                            ``Clip(Clip(PowerLaw(lr, -1, D / r, min_step=1),
                                   maximum=lr), minimum=min_lr)``, ``r = 1 /
                                   min_lr_ratio - 1``
``PowerLrSchedule``                ``Clip(PowerLaw(batch_size * a, b, 1 /
                                   (batch_size * seq_length), offset=0),
                                   maximum=lr)``: ``a * B * tokens ** b``
cooldown                           ``Linear(final, min_lr, cooldown)``
all pieces                         ``Join`` at Levanter's boundaries
=================================  ================================================

Levanter joins its pieces with ``optax.join_schedules``, where a later piece wins
from its boundary on; the mirror keeps what wins (a decay longer than its cycle
starts before the warmup ends and cuts it, as in Levanter) and leaves out the
pieces that never show.

The lengths are computed as Levanter computes them (``int()`` of float64 products),
so the values equal Levanter's at every run length; to sweep over the run length,
build one mirror per length and ``jaxsched.stack`` them (one compile, each member
keeps its fractions). (For a run length that is itself a leaf, write the schedule
with ``WarmupHoldDecay(unit="fraction", rounding="floor")``.)

Levanter's own behaviour, kept: ``warmup=1`` is the whole first cycle (a value <= 1
is a fraction); with ``cycle_length`` the last cycle takes the remainder (it is
longer, not shorter, despite Levanter's warning); ``inv`` gives step 1's value at
step 0 (``max(count, 1)``) and never reaches ``lr``; ``inv_sqrt`` holds ``lr`` until
``count + W >= timescale``; a rewarmup starts from the previous cycle's final value.

Differences: Levanter's errors are ``ValueError`` here too (a fraction > 1 that is
not whole, a cosine decay of 0 steps, both ``cycles`` and ``cycle_length``, cycle
lengths over the run, an unknown ``lr_schedule``). Also ``ValueError``: what
Levanter divides by zero (``inv`` with ``min_lr_ratio=0``, a ``cycle_length`` of 0
steps), ``inv`` with ``min_lr_ratio > 1`` (a pole), cycle ends that do not increase
(``cycles`` as a list), and a run of no steps. Levanter computes each rewarmup's
start in float32; here in float64.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Any

import numpy as np

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid
from jaxsched.schedules._arithmetic import Clip
from jaxsched.schedules._combinators import Shift
from jaxsched.schedules._join import Join
from jaxsched.schedules._power_law import PowerLaw
from jaxsched.schedules._primitives import Constant, Cosine, Linear

__all__ = [
    "AdamConfig",
    "ConstantLrSchedule",
    "CosineLrSchedule",
    "InvLrSchedule",
    "InvSqrtLrSchedule",
    "LinearLrSchedule",
    "LrSchedule",
    "OptimizerConfig",
    "PowerLrSchedule",
]

_OWNER = "levanter.OptimizerConfig"


@dataclasses.dataclass(frozen=True)
class LrSchedule:
    """Levanter's ``LrSchedule`` choices (``lr_schedule=CosineLrSchedule(2.0)``)."""

    name = ""


@dataclasses.dataclass(frozen=True)
class ConstantLrSchedule(LrSchedule):
    """``"constant"``: ``lr`` through the decay."""

    name = "constant"


@dataclasses.dataclass(frozen=True)
class CosineLrSchedule(LrSchedule):
    """``"cosine"``: ``optax.cosine_decay_schedule(lr, D, min_lr_ratio, exponent)``."""

    exponent: float = 1.0
    name = "cosine"


@dataclasses.dataclass(frozen=True)
class LinearLrSchedule(LrSchedule):
    """``"linear"``: ``optax.linear_schedule(lr, min_lr, D)``."""

    name = "linear"


@dataclasses.dataclass(frozen=True)
class InvSqrtLrSchedule(LrSchedule):
    """``"inv_sqrt"``: ``max(min_lr, lr * min(1, sqrt(timescale / max(t + W,
    1))))``."""

    timescale: float = 10000
    name = "inv_sqrt"


@dataclasses.dataclass(frozen=True)
class InvLrSchedule(LrSchedule):
    """``"inv"``: ``max(min_lr, lr * min(1, 1 / ((lr / min_lr - 1) * max(t, 1) / D +
    1)))``."""

    name = "inv"


@dataclasses.dataclass(frozen=True)
class PowerLrSchedule(LrSchedule):
    """``"power"`` (Shen et al. 2024): ``min(lr, batch_size * a * (t * batch_size *
    seq_length) ** b)``."""

    batch_size: int = 0
    seq_length: int = 0
    a: float = 4.6
    b: float = -0.51
    name = "power"

    def __post_init__(self) -> None:
        if self.a <= 0 or self.b >= 0:
            raise invalid(
                "levanter.PowerLrSchedule", "a", (self.a, self.b), "a > 0 and b < 0"
            )


_BY_NAME = {
    "constant": ConstantLrSchedule(),
    "cosine": CosineLrSchedule(),
    "linear": LinearLrSchedule(),
    "inv_sqrt": InvSqrtLrSchedule(),
    "inv": InvLrSchedule(),
}


def _convert_frac_or_steps(field: str, value: float, steps: int) -> int:
    """Levanter's ``_convert_frac_or_steps``: a value <= 1 is a fraction."""
    if value < 0.0 or (value > 1.0 and value % 1 != 0):
        raise invalid(
            _OWNER, field, value, "a fraction in [0, 1] or a whole number of steps"
        )
    if value <= 1.0:
        return int(value * steps)
    return int(value)


def _decay(
    kind: LrSchedule, lr: float, ratio: float, warmup: int, decay: int
) -> tuple[Schedule, float]:
    """The decay piece of one cycle, and its value at ``decay`` (the next cycle's
    rewarmup start), computed as Levanter's pieces compute it."""
    min_lr = lr * ratio
    if isinstance(kind, ConstantLrSchedule):
        return Constant(lr), lr
    if isinstance(kind, CosineLrSchedule):
        if not decay > 0:
            raise invalid(
                _OWNER,
                "decay",
                decay,
                "> 0 steps with a cosine decay",
                detail="optax's cosine_decay_schedule raises",
            )
        with np.errstate(all="ignore"):
            end = lr * ((1 - ratio) * np.float64(0.0) ** kind.exponent + ratio)
        return Cosine(lr, decay, ratio, kind.exponent), float(end)
    if isinstance(kind, LinearLrSchedule):
        return Linear(lr, min_lr, decay), min_lr if decay > 0 else lr
    if isinstance(kind, InvSqrtLrSchedule):
        tau = kind.timescale
        law = Shift(PowerLaw(lr, -0.5, timescale=tau, offset=0.0, min_step=1), -warmup)
        piece = Clip(Clip(law, maximum=lr), minimum=min_lr)
        end = max(lr * min(1.0, 1.0 / math.sqrt(max(decay + warmup, 1) / tau)), min_lr)
        return piece, end
    if isinstance(kind, InvLrSchedule):
        if not 0 < ratio <= 1:
            raise invalid(
                _OWNER,
                "min_lr_ratio",
                ratio,
                "in (0, 1] with 'inv'",
                detail="Levanter divides by min_lr, or has a pole",
            )
        r = lr / min_lr - 1
        if decay <= 0 or r == 0:
            value = min_lr if decay <= 0 else lr
            return Constant(value), value
        law = PowerLaw(lr, -1.0, timescale=decay / r, offset=1.0, min_step=1)
        piece = Clip(Clip(law, maximum=lr), minimum=min_lr)
        end = max(lr * min(1.0, 1.0 / (r * max(decay, 1) / decay + 1)), min_lr)
        return piece, end
    if isinstance(kind, PowerLrSchedule):
        scale = kind.batch_size * kind.a
        tokens = kind.batch_size * kind.seq_length
        if not tokens > 0:
            raise invalid(
                "levanter.PowerLrSchedule",
                "batch_size",
                (kind.batch_size, kind.seq_length),
                "batch_size > 0 and seq_length > 0",
            )
        law = PowerLaw(scale, kind.b, timescale=1.0 / tokens, offset=0.0)
        with np.errstate(all="ignore"):
            end = min(lr, float(scale * np.float64(decay * tokens) ** kind.b))
        return Clip(law, maximum=lr), end
    raise invalid(_OWNER, "lr_schedule", kind, f"a name among {sorted(_BY_NAME)}")


def _resolve(parts: list[tuple[float | None, Schedule]]) -> Schedule:
    """``optax.join_schedules`` of ``(start, piece)`` (the first piece's start is
    None): a piece shows from its start until a later piece's start, whatever the
    order of the starts. What shows at steps >= 0, as a ``Join``."""
    shown: list[tuple[float, Schedule]] = []
    cut = math.inf
    for start, piece in reversed(parts):
        begin = -math.inf if start is None else start
        if begin < cut:
            shown.append((begin, piece))
            cut = begin
    shown.reverse()
    # what shows only below step 0 is left out
    shown = [
        (b, p)
        for i, (b, p) in enumerate(shown)
        if i + 1 == len(shown) or shown[i + 1][0] > 0
    ]
    first_start, first = shown[0]
    if first_start not in (-math.inf, 0):
        first = Shift(first, first_start)
    if len(shown) == 1:
        return first
    return Join([first, *(p for _, p in shown[1:])], [b for b, _ in shown[1:]])


@dataclasses.dataclass(frozen=True)
class OptimizerConfig:
    """Levanter's ``OptimizerConfig``, its schedule fields (and the rest, unused).

    Example:
      >>> from jaxsched.frameworks import levanter
      >>> s = levanter.OptimizerConfig(learning_rate=1.0, warmup=0.1,
      ...                              min_lr_ratio=0.0).lr_scheduler(100)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 5, 10, 55, 100)))
      0.000 0.500 1.000 0.500 0.000
    """

    learning_rate: float = 6e-4
    weight_decay: float = 0.1
    min_lr_ratio: float = 0.1
    warmup: int | float = 0.01
    decay: int | float | None = None
    rewarmup: int | float = 0.0
    cooldown: float | None = None
    cycle_length: int | float | list[int] | None = None
    cycles: int | list[int] | None = None
    lr_schedule: LrSchedule | str = "cosine"
    haps: list[int] | None = None
    weight_decay_modules: list[str] | str | None = None
    default_weight_decay_mask: bool | None = None

    def lr_scheduler(
        self, num_train_steps: int, override_lr: float | None = None
    ) -> Schedule:
        """Levanter's ``lr_scheduler``: the schedule of ``num_train_steps`` steps."""
        kind = self.lr_schedule
        if isinstance(kind, str):
            if kind not in _BY_NAME:
                raise invalid(
                    _OWNER, "lr_schedule", kind, f"a name among {sorted(_BY_NAME)}"
                )
            kind = _BY_NAME[kind]
        if not isinstance(kind, LrSchedule):
            raise invalid(_OWNER, "lr_schedule", kind, "a name or an LrSchedule")
        cooldown = 0
        if self.cooldown is not None:
            cooldown = _convert_frac_or_steps(
                "cooldown", self.cooldown, num_train_steps
            )
        main = num_train_steps - cooldown
        points = self._get_cycle_minima(main)
        if not all(a < b for a, b in itertools.pairwise(points)):
            raise invalid(
                _OWNER,
                "cycles",
                self.cycles if self.cycles is not None else self.haps,
                "cycle ends increasing within the run",
                detail=f"cycle points {points}",
            )
        lr = self.learning_rate if override_lr is None else override_lr
        ratio = self.min_lr_ratio
        min_lr = lr * ratio
        parts: list[tuple[float | None, Schedule]] = []
        starts: list[float | None] = [None]
        previous_end = 0.0
        for cycle, (start, end) in enumerate(itertools.pairwise(points)):
            length = end - start
            if cycle == 0:
                warmup = _convert_frac_or_steps("warmup", self.warmup, length)
            else:
                warmup = _convert_frac_or_steps("rewarmup", self.rewarmup, length)
            if warmup != 0:
                parts.append((starts[-1], Linear(previous_end, lr, warmup)))
                starts.append(start + warmup)
            if self.decay is not None:
                decay = _convert_frac_or_steps("decay", self.decay, length)
            else:
                decay = length - warmup
            stable = length - warmup - decay
            if stable != 0:
                parts.append((starts[-1], Constant(lr)))
                starts.append(start + warmup + stable)
            piece, previous_end = _decay(kind, lr, ratio, warmup, decay)
            parts.append((starts[-1], piece))
            starts.append(end)
        if not parts:
            raise invalid(_OWNER, "num_train_steps", num_train_steps, "> the cooldown")
        if cooldown != 0:
            parts.append((starts[-1], Linear(previous_end, min_lr, cooldown)))
        return _resolve(parts)

    def _get_cycle_minima(self, total: int) -> list[int]:
        """Levanter's ``_get_cycle_minima``: the cycles' ends, from 0."""
        if self.cycle_length is not None:
            if self.cycles is not None:
                raise invalid(
                    _OWNER, "cycles", self.cycles, "None with cycle_length given"
                )
            if self.haps is not None:
                raise invalid(_OWNER, "haps", self.haps, "None with cycle_length given")
            if isinstance(self.cycle_length, int | float):
                length = _convert_frac_or_steps(
                    "cycle_length", self.cycle_length, total
                )
                if length <= 0:
                    raise invalid(
                        _OWNER,
                        "cycle_length",
                        self.cycle_length,
                        "at least one step",
                        detail="Levanter divides by it",
                    )
                points = [i * length for i in range(1, total // length)]
            else:
                ends = np.cumsum(np.array(self.cycle_length))
                if ends[-1] > total:
                    raise invalid(
                        _OWNER,
                        "cycle_length",
                        self.cycle_length,
                        f"lengths adding up to at most {total}",
                    )
                points = [int(x) for x in ends]
        elif self.haps is not None:
            points = list(self.haps)
        elif isinstance(self.cycles, int):
            points = [
                int(total / self.cycles * (i + 1)) for i in range(self.cycles - 1)
            ]
        elif isinstance(self.cycles, list):
            points = list(self.cycles)
        else:
            points = []
        points = [0, *points]
        return points if points[-1] == total else [*points, total]


@dataclasses.dataclass(frozen=True)
class AdamConfig(OptimizerConfig):
    """Levanter's ``AdamConfig`` (``OptimizerConfig``'s default choice): the schedule
    is ``OptimizerConfig``'s; the Adam fields are accepted and not used."""

    beta1: float = 0.9
    beta2: float = 0.95
    epsilon: float = 1e-8
    max_grad_norm: float | None = 1.0
    nesterov: bool = False
    update_rms_clipping: float | None = None
    clip_update_norm: Any = None
    skip_bad_steps: Any = False
    adamc_weight_decay: bool = False
