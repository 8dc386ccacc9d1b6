# ruff: noqa: A002  (praxis names its arguments max and min)
"""float64 NumPy transcriptions of the JAX trainers' schedules: the oracles of
``tests/frameworks/test_{big_vision,maxtext,levanter,praxis,t5x}.py``.

Each function or class below is the framework's own code, line by line, with
``jnp`` replaced by NumPy in float64 (the frameworks compute in float32; the
transcription keeps their branches, clamps, integer truncations and quirks, not
their rounding). Nothing here imports jaxsched or a framework. Sources:

- big_vision: google-research/big_vision ``big_vision/utils.py`` (``steps``,
  ``create_learning_rate_schedule``) at commit
  0127fb6b337ee2a27bf4e54dea79cff176527356 (file last changed 8e9b05bf19fb).
- MaxText: AI-Hypercomputer/maxtext ``src/maxtext/utils/maxtext_utils.py``
  (``create_learning_rate_schedule``), defaults from ``src/maxtext/configs/base.yml``
  and the ``-1`` resolution from ``src/maxtext/configs/types.py``, at commit
  e591f30cbbf217ed67ef71263ec0538239f9c3b8 (file last changed c660f58ee96f).
- Levanter: stanford-crfm/levanter ``src/levanter/optim/config.py``
  (``OptimizerConfig.lr_scheduler``, ``_get_cycle_minima``, ``_convert_frac_or_steps``,
  ``_inv_sqrt_decay_schedule``, ``_inv_decay_schedule``, the ``LrSchedule`` classes)
  at commit 9263f81e8b453241332c2c0b2d2001bfb2d2241c (file last changed 9fde0781a173).
- praxis: google/praxis ``praxis/schedules.py`` at commit
  feeaff19915ca9c3de8b372b7427d15c81f0d757 (file last changed b2323f80652e).
- T5X: google-research/t5x ``t5x/utils.py`` (``create_learning_rate_scheduler``) at
  commit cc342d419ec3e3e9c4bf1df33c82330cafdc1e16 (file last changed 94a89731086a).
- optax 0.2.8 ``optax/schedules/_schedule.py`` and ``_join.py`` (the pieces the
  frameworks join): ``constant_schedule``, ``polynomial_schedule``,
  ``linear_schedule``, ``cosine_decay_schedule``, ``join_schedules``.

Every schedule here is a function ``f(steps) -> np.ndarray`` (float64) of an array
of steps.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

Fn = Callable[[np.ndarray], np.ndarray]


def _a(step: Any) -> np.ndarray:
    return np.asarray(step, dtype=np.float64)


def _quiet(fn: Fn) -> Fn:
    def wrapped(step: Any) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(fn(_a(step)), dtype=np.float64) + np.zeros_like(_a(step))

    return wrapped


# ------------------------------------------------------------------------ optax


def constant_schedule(value: float) -> Fn:
    return lambda count: np.full_like(_a(count), value)


def polynomial_schedule(
    init_value: float,
    end_value: float,
    power: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> Fn:
    if transition_steps <= 0:
        return lambda count: np.full_like(_a(count), init_value)
    if transition_begin < 0:
        transition_begin = 0

    def schedule(count):
        count = np.clip(_a(count) - transition_begin, 0, transition_steps)
        frac = 1 - count / transition_steps
        return (init_value - end_value) * (frac**power) + end_value

    return schedule


def linear_schedule(init_value, end_value, transition_steps, transition_begin=0) -> Fn:
    return polynomial_schedule(
        init_value, end_value, 1, transition_steps, transition_begin
    )


def cosine_decay_schedule(
    init_value: float, decay_steps: int, alpha: float = 0.0, exponent: float = 1.0
) -> Fn:
    if not decay_steps > 0:
        raise ValueError(
            "The cosine_decay_schedule requires positive decay_steps, got"
            f" {decay_steps=}."
        )

    def schedule(count):
        count = np.minimum(_a(count), float(decay_steps))
        cosine_decay = 0.5 * (1 + np.cos(np.pi * count / decay_steps))
        decayed = (1 - alpha) * cosine_decay**exponent + alpha
        return init_value * decayed

    return schedule


def join_schedules(schedules: Sequence[Fn], boundaries: Sequence[float]) -> Fn:
    def schedule(step):
        step = _a(step)
        output = schedules[0](step)
        for boundary, sched in zip(boundaries, schedules[1:]):
            output = np.where(step < boundary, output, sched(step - boundary))
        return output

    return schedule


# ------------------------------------------------------------------- big_vision


def big_vision_steps(
    prefix,
    config,
    data_size=None,
    batch_size=None,
    total_steps=None,
    default=ValueError,
):
    """``big_vision.utils.steps``."""
    suffixes = {"steps", "examples", "epochs", "percent"}
    matches = {
        f"{prefix}_{s}"
        for s in suffixes
        if (x := config.get(f"{prefix}_{s}")) is not None and x >= 0
    }
    assert len(matches) <= 1, f"Only one of '{matches}' should be defined."

    if f"{prefix}_steps" in matches:
        return config[f"{prefix}_steps"]

    def to_integer(x):
        return max(1, round(x)) if x else 0

    if batch_size and f"{prefix}_examples" in matches:
        return to_integer(config[f"{prefix}_examples"] / batch_size)

    if batch_size and data_size and f"{prefix}_epochs" in matches:
        steps_per_epoch = data_size / batch_size
        return to_integer(config[f"{prefix}_epochs"] * steps_per_epoch)

    if total_steps and f"{prefix}_percent" in matches:
        pct = config[f"{prefix}_percent"]
        assert 0.0 <= pct <= 1.0
        return to_integer(pct * total_steps)

    if default is ValueError:
        raise ValueError(f"Cannot convert {prefix} to steps")
    return default


def big_vision_create_learning_rate_schedule(
    total_steps,
    batch_size=None,
    data_size=None,
    base=1.0,
    decay_type="stair",
    scale_with_batchsize=False,
    **kw,
) -> Fn:
    """``big_vision.utils.create_learning_rate_schedule``."""

    def to_steps(name, default=0):
        return big_vision_steps(
            name, kw, data_size, batch_size, total_steps, default=default
        )

    warmup_steps = to_steps("warmup")
    cooldown_steps = to_steps("cooldown")
    assert (total_steps <= 1) or (warmup_steps < total_steps)

    def step_fn(step):
        lr = base
        if scale_with_batchsize:
            lr = lr * batch_size / 256.0
        progress = (step - warmup_steps) / float(total_steps - warmup_steps)
        progress = np.clip(progress, 0.0, 1.0)
        if decay_type in ("linear", "polynomial"):
            power = kw.get("power", 1)
            zero = kw.get("end", kw.get("linear_end", 0))
            lr = zero + (lr - zero) * (1.0 - progress) ** power
        elif decay_type == "cosine":
            lr = lr * 0.5 * (1.0 + np.cos(np.pi * progress))
        elif decay_type == "rsqrt":
            t = to_steps("timescale", default=kw.get("timescale", 10_000))
            shift = to_steps("shift", default=kw.get("shift", 0))
            lr = np.where(
                warmup_steps <= step,
                lr / np.sqrt(1 + (step + shift - warmup_steps) / t),
                lr / np.sqrt(1 + shift / t),
            )
        elif decay_type == "stair":
            i = np.searchsorted(np.array(kw.get("steps", []), np.float64), step + 1)
            table = np.array([1.0, *kw.get("mults", [])])
            # jnp.take's default mode fills out-of-bounds indices with NaN
            lr = lr * np.where(
                i < len(table), table[np.minimum(i, len(table) - 1)], np.nan
            )
        else:
            raise ValueError(f"Unknown lr type {decay_type}")

        if warmup_steps:
            lr = lr * np.minimum(1.0, step / warmup_steps)
        if cooldown_steps:
            lr = lr * np.minimum(1.0, (total_steps - step) / cooldown_steps)
        return lr

    return _quiet(step_fn)


# ---------------------------------------------------------------------- MaxText

MAXTEXT_DEFAULTS: dict[str, Any] = {
    "learning_rate": 3.0e-5,
    "lr_schedule_type": "cosine",
    "learning_rate_final_fraction": 0.1,
    "wsd_decay_steps_fraction": 0.1,
    "wsd_decay_style": "linear",
    "warmup_steps_fraction": 0.1,
    "learning_rate_schedule_steps": -1,
    "steps": 150_001,
}


def maxtext_create_learning_rate_schedule(config: Mapping[str, Any]) -> Fn:
    """``maxtext_utils.create_learning_rate_schedule`` after ``types.py`` resolves
    ``learning_rate_schedule_steps == -1`` (-> ``steps``) and ``steps == -1``."""
    c = dict(MAXTEXT_DEFAULTS, **config)
    if c["learning_rate_schedule_steps"] == -1:
        c["learning_rate_schedule_steps"] = c["steps"]
    if c["steps"] == -1:
        c["steps"] = c["learning_rate_schedule_steps"]
    schedule_steps = c["learning_rate_schedule_steps"]

    def make_cos_schedule(init_lr, final_lr, len_steps):
        def schedule(step):
            pct = step / (len_steps - 1) if len_steps > 1 else 1.0
            a = 0.5 * (np.cos(np.pi * pct) + 1)
            return init_lr * a + final_lr * (1 - a)

        return schedule

    lr = c["learning_rate"]
    final_lr = lr * c["learning_rate_final_fraction"]
    warmup_steps = int(schedule_steps * c["warmup_steps_fraction"])
    constant_zero_steps = c["steps"] - schedule_steps

    pieces, boundaries = [], []
    if warmup_steps > 0:
        pieces.append(linear_schedule(0.0, lr, warmup_steps))
        boundaries.append(warmup_steps)
    if c["lr_schedule_type"] == "cosine":
        cos_steps = schedule_steps - warmup_steps
        if cos_steps > 0:
            pieces.append(make_cos_schedule(lr, final_lr, cos_steps))
            boundaries.append(warmup_steps + cos_steps)
    else:
        decay_steps = int(schedule_steps * c["wsd_decay_steps_fraction"])
        stable_steps = schedule_steps - warmup_steps - decay_steps
        if stable_steps > 0:
            pieces.append(constant_schedule(lr))
            boundaries.append(warmup_steps + stable_steps)
        if decay_steps > 0:
            if c["wsd_decay_style"] == "linear":
                decay = linear_schedule(lr, final_lr, decay_steps - 1)
            else:
                decay = make_cos_schedule(lr, final_lr, decay_steps)
            pieces.append(decay)
            boundaries.append(warmup_steps + stable_steps + decay_steps)
    if constant_zero_steps > 0:
        pieces.append(constant_schedule(0.0))
        boundaries.append(schedule_steps)
    return _quiet(join_schedules(pieces, boundaries))


# --------------------------------------------------------------------- Levanter


def _convert_frac_or_steps(frac_or_steps, num_train_steps):
    if frac_or_steps < 0.0 or (frac_or_steps > 1.0 and frac_or_steps % 1 != 0):
        raise ValueError(f"Invalid fraction {frac_or_steps}.")
    if frac_or_steps <= 1.0:
        return int(frac_or_steps * num_train_steps)
    return int(frac_or_steps)


def _inv_sqrt_decay_schedule(lr, min_lr, warmup_steps, timescale=10000.0) -> Fn:
    def schedule(count):
        decay = np.minimum(
            1.0, 1.0 / np.sqrt(np.maximum(_a(count) + warmup_steps, 1) / timescale)
        )
        return np.maximum(lr * decay, min_lr)

    return schedule


def _inv_decay_schedule(lr, min_lr, decay_steps) -> Fn:
    def schedule(count):
        with np.errstate(all="ignore"):
            decay = np.minimum(
                1.0,
                1.0 / ((lr / min_lr - 1) * np.maximum(_a(count), 1) / decay_steps + 1),
            )
        return np.maximum(lr * decay, min_lr)

    return schedule


def _levanter_cycle_minima(total_main_steps, cycle_length, cycles, haps):
    if cycle_length is not None:
        if cycles is not None:
            raise ValueError("Can't use both cycle_length and cycles.")
        if haps is not None:
            raise ValueError("Can't use both cycle_length and haps.")
        if isinstance(cycle_length, int | float):
            length = _convert_frac_or_steps(cycle_length, total_main_steps)
            points = [length * i for i in range(1, total_main_steps // length)]
        else:
            steps = np.cumsum(np.array(cycle_length))
            if steps[-1] > total_main_steps:
                raise ValueError("Cycle lengths exceed total number of steps")
            points = steps.tolist()
    elif haps is not None:
        points = list(haps)
    elif isinstance(cycles, int):
        points = [int(total_main_steps / cycles * (i + 1)) for i in range(cycles - 1)]
    elif isinstance(cycles, list):
        points = list(cycles)
    else:
        points = []
    points.insert(0, 0)
    if points[-1] != total_main_steps:
        points.append(total_main_steps)
    return points


def levanter_lr_scheduler(
    num_train_steps: int,
    *,
    learning_rate: float = 6e-4,
    min_lr_ratio: float = 0.1,
    warmup: float = 0.01,
    decay: float | None = None,
    rewarmup: float = 0.0,
    cooldown: float | None = None,
    cycle_length: Any = None,
    cycles: Any = None,
    lr_schedule: str | tuple = "cosine",
    haps: list[int] | None = None,
) -> Fn:
    """``OptimizerConfig(...).lr_scheduler(num_train_steps)``.

    ``lr_schedule`` is a name, or a tuple naming an ``LrSchedule`` object and its
    fields: ``("cosine", exponent)``, ``("inv_sqrt", timescale)``, ``("power",
    batch_size, seq_length, a, b)``.
    """
    if cooldown is not None:
        cooldown_steps = _convert_frac_or_steps(cooldown, num_train_steps)
    else:
        cooldown_steps = 0
    total_main_steps = num_train_steps - cooldown_steps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        points = _levanter_cycle_minima(total_main_steps, cycle_length, cycles, haps)
    min_lr = learning_rate * min_lr_ratio
    schedules: list[Fn] = []
    boundaries: list[float] = []
    previous_end = 0.0
    schedule = None
    lr_decay_steps = 0
    for cycle, (start, end) in enumerate(itertools.pairwise(points)):
        cycle_steps = end - start
        if cycle == 0:
            warmup_steps = _convert_frac_or_steps(warmup, cycle_steps)
        else:
            warmup_steps = _convert_frac_or_steps(rewarmup, cycle_steps)
        if warmup_steps != 0:
            schedules.append(linear_schedule(previous_end, learning_rate, warmup_steps))
            boundaries.append(start + warmup_steps)
        lr_decay_steps = (
            _convert_frac_or_steps(decay, cycle_steps)
            if decay is not None
            else cycle_steps - warmup_steps
        )
        stable_steps = cycle_steps - warmup_steps - lr_decay_steps
        if stable_steps != 0:
            schedules.append(constant_schedule(learning_rate))
            boundaries.append(start + warmup_steps + stable_steps)
        kind = lr_schedule if isinstance(lr_schedule, str) else lr_schedule[0]
        args = () if isinstance(lr_schedule, str) else tuple(lr_schedule[1:])
        if kind == "constant":
            schedule = constant_schedule(learning_rate)
        elif kind == "cosine":
            schedule = cosine_decay_schedule(
                learning_rate, lr_decay_steps, min_lr_ratio, *args
            )
        elif kind == "linear":
            schedule = linear_schedule(learning_rate, min_lr, lr_decay_steps)
        elif kind == "inv_sqrt":
            schedule = _inv_sqrt_decay_schedule(
                learning_rate, min_lr, warmup_steps, *(args or (10000,))
            )
        elif kind == "inv":
            schedule = _inv_decay_schedule(learning_rate, min_lr, lr_decay_steps)
        elif kind == "power":
            batch_size, seq_length, a, b = args

            def schedule(step, batch_size=batch_size, seq_length=seq_length, a=a, b=b):
                with np.errstate(all="ignore"):
                    tokens = _a(step) * batch_size * seq_length
                    return np.minimum(learning_rate, batch_size * a * tokens**b)

        else:
            raise ValueError(f"Unknown lr_schedule: {lr_schedule}")
        previous_end = float(schedule(np.float64(lr_decay_steps)))
        schedules.append(schedule)
        boundaries.append(end)
    if cooldown_steps != 0:
        assert schedule is not None
        final_main_lr = float(schedule(np.float64(lr_decay_steps)))
        schedules.append(linear_schedule(final_main_lr, min_lr, cooldown_steps))
    if len(schedules) > 1:
        return _quiet(join_schedules(schedules, boundaries))
    return _quiet(schedules[0])


# ----------------------------------------------------------------------- praxis


class PraxisConstant:
    def __init__(self, value=1.0):
        self.value = value

    def value_at(self, step):
        return np.full_like(_a(step), self.value)


class PraxisPolynomial:
    def __init__(self, power=1, start=(0, 1.0), limit=(1, 1.0), origin="start"):
        x0, x1 = start[0], limit[0]
        if x0 >= x1:
            raise ValueError(f"{x0} must be < {x1}")
        if origin not in {"start", "limit"}:
            raise ValueError(f"Invalid parameter origin: {origin}")
        self.power, self.start, self.limit, self.origin = power, start, limit, origin

    def value_at(self, step):
        x = _a(step)
        x0, y0 = self.start
        x1, y1 = self.limit
        with np.errstate(all="ignore"):
            ratio = (x - x0) / (x1 - x0)
            if self.origin == "start":
                f_x = ratio**self.power
            else:
                f_x = 1 - (1 - ratio) ** self.power
            y = y0 + f_x * (y1 - y0)
        return np.where(x < x0, y0, np.where(x >= x1, y1, y))


def PraxisLinear(start=(0, 1.0), limit=(1, 1.0), origin="start"):
    return PraxisPolynomial(1, start, limit, origin)


class PraxisExponential:
    def __init__(self, start=(0, 1.0), limit=(1, 0.5)):
        (x0, y0), (x1, y1) = start, limit
        assert x0 < x1 and y0 > 0 and y1 > 0
        self.linear = PraxisLinear(start=(x0, math.log(y0)), limit=(x1, math.log(y1)))

    def value_at(self, step):
        return np.exp(self.linear.value_at(step))


class PraxisCosine:
    def __init__(self, initial_value=1.0, final_value=0.0, total_steps=0):
        self.initial_value, self.final_value = initial_value, final_value
        self.total_steps = total_steps

    def value_at(self, step):
        gap = self.initial_value - self.final_value
        with np.errstate(all="ignore"):
            r = _a(step) / self.total_steps
        return self.final_value + 0.5 * gap * (1 + np.cos(math.pi * np.minimum(1.0, r)))


class PraxisDelayedCosine:
    def __init__(self, start=(0, 1.0), limit=(1, 0.5)):
        (x0, y0), (x1, y1) = start, limit
        assert x0 < x1 and y0 > 0 and y1 >= 0
        self.max, self.min = y0, y1
        self.linear = PraxisLinear(start=(x0, 0), limit=(x1, math.pi))

    def value_at(self, step):
        gap = self.max - self.min
        return self.min + 0.5 * gap * (1 + np.cos(self.linear.value_at(step)))


class _PraxisJoined:
    _schedules: list[Any]
    _boundaries: list[float]

    def value_at(self, step):
        return join_schedules([s.value_at for s in self._schedules], self._boundaries)(
            _a(step)
        )

    def _rampup(self, warmup_steps, decay_start, decay_end, min_ratio, max, decay,
                start_step=0):  # fmt: skip
        """praxis's LinearRampup*Decay: 1.0 until start_step (if > 0), then 0 to max
        over warmup_steps, max until decay_start, then decay((0, max), (decay_end -
        decay_start, max * min_ratio)); the boundaries count from start_step."""
        assert decay_start >= warmup_steps and decay_end >= decay_start and max > 0
        self._schedules, self._boundaries = [], []
        if start_step > 0:
            self._schedules.append(PraxisLinear((0, 1.0), (start_step, 1.0)))
            self._boundaries.append(start_step)
        if warmup_steps > 0:
            self._schedules.append(PraxisLinear((0, 0.0), (warmup_steps, max)))
            self._boundaries.append(start_step + warmup_steps)
        if decay_start > warmup_steps:
            self._schedules.append(
                PraxisLinear((0, max), (decay_start - warmup_steps, max))
            )
            self._boundaries.append(start_step + decay_start)
        self._schedules.append(
            decay((0, max), (decay_end - decay_start, max * min_ratio))
        )


class PraxisLinearRampupPolynomialDecay(_PraxisJoined):
    def __init__(self, warmup_steps=0, decay_start=0, decay_end=0, power=1,
                 min_ratio=0.01, max=0.0):  # fmt: skip
        self._rampup(warmup_steps, decay_start, decay_end, min_ratio, max,
                     functools.partial(PraxisPolynomial, power))  # fmt: skip


class PraxisLinearRampupCosineDecay(_PraxisJoined):
    def __init__(self, start_step=0, warmup_steps=0, decay_start=0, decay_end=0,
                 min_ratio=0.01, max=0.0):  # fmt: skip
        self._rampup(warmup_steps, decay_start, decay_end, min_ratio, max,
                     PraxisDelayedCosine, start_step)  # fmt: skip


class PraxisPiecewiseConstant:
    def __init__(self, boundaries=None, values=None):
        if boundaries is None or values is None:
            raise ValueError("boundaries and values must not be None")
        if len(values) != len(boundaries) + 1:
            raise ValueError("len(values) != len(boundaries) + 1")
        if sorted(boundaries) != list(boundaries):
            raise ValueError("boundaries must be sorted")
        self.boundaries, self.values = boundaries, values

    def value_at(self, step):
        boundaries = [float(v) for v in self.boundaries]
        values = [float(v) for v in self.values]
        step = _a(step)
        if not boundaries:
            return np.full_like(step, values[0])
        v = np.zeros_like(step)
        for i, threshold in enumerate(boundaries):
            indicator = np.maximum(0.0, np.sign(threshold - step))
            v = np.where(v > 0, v, indicator * values[i])
        indicator = np.maximum(0.0, np.sign(1 + step - boundaries[-1]))
        return np.where(v > 0, v, indicator * values[-1])


class PraxisTransformer:
    def __init__(
        self, warmup_steps=4000, model_dim=512, worker_replicas=1, decay_end=None
    ):
        self.warmup_steps, self.model_dim = warmup_steps, model_dim
        self.worker_replicas, self.decay_end = worker_replicas, decay_end

    def value_at(self, step):
        current = _a(step)
        warmup = np.float64(self.warmup_steps * self.worker_replicas)
        if self.decay_end is not None:
            current = np.where(current < self.decay_end, current, float(self.decay_end))
        with np.errstate(all="ignore"):
            return np.float64(self.model_dim) ** -0.5 * np.minimum(
                (current + 1) * warmup**-1.5, (current + 1) ** -0.5
            )


class PraxisSqrtDecay:
    def __init__(self, decay_start=10000, multiplier=1.0, offset=0.0):
        self.decay_start, self.multiplier, self.offset = decay_start, multiplier, offset

    def value_at(self, step):
        with np.errstate(all="ignore"):
            x = np.maximum(_a(step) - self.offset, float(self.decay_start))
            return 1 / np.sqrt(x) * self.multiplier


class PraxisLinearRampupSqrtDecay:
    def __init__(self, peak=1.0, warmup_steps=4000):
        self.peak, self.warmup_steps = peak, warmup_steps

    def value_at(self, step):
        current = np.maximum(_a(step), 1)
        w = float(self.warmup_steps)
        with np.errstate(all="ignore"):
            return self.peak * np.minimum(current / w, np.sqrt(w / current))


class PraxisLinearRampupExponentialDecay(_PraxisJoined):
    def __init__(
        self, warmup_steps=0, decay_start=0, decay_end=0, min_ratio=0.01, max=0.0
    ):
        self._rampup(warmup_steps, decay_start, decay_end, min_ratio, max,
                     PraxisExponential)  # fmt: skip


class PraxisLinearRampupPiecewiseConstant(_PraxisJoined):
    def __init__(self, boundaries=None, values=None):
        assert boundaries is not None and values is not None
        assert len(boundaries) >= 1 and len(boundaries) == len(values)
        p0 = PraxisLinear((0, 0.0), (boundaries[0], values[0]))
        pc = [b - boundaries[0] for b in boundaries[1:]]
        p1 = PraxisPiecewiseConstant(pc, values)
        self._schedules, self._boundaries = [p0, p1], list(boundaries[:1])


class PraxisPiecewiseSchedule(_PraxisJoined):
    def __init__(self, boundaries=None, schedules=None):
        assert boundaries is not None and schedules is not None
        prev = 0
        for b in boundaries:
            if b < prev:
                raise ValueError(f"Invalid boundary {b} < {prev}")
            prev = b
        if len(schedules) != len(boundaries) + 1:
            raise ValueError("len(schedules) != len(boundaries) + 1")
        self._schedules, self._boundaries = list(schedules), list(boundaries)


class PraxisCycleSchedule:
    def __init__(self, schedules=None, steps=None):
        assert schedules is not None and steps is not None
        if len(schedules) != len(steps):
            raise ValueError("len(schedules) != len(steps)")
        bounds = [0]
        for s in steps:
            bounds.append(bounds[-1] + s)
        self.schedules, self._period, self._boundaries = (
            schedules,
            bounds[-1],
            bounds[1:-1],
        )

    def value_at(self, step):
        step = _a(step)
        relative = np.mod(step, self._period)
        out = self.schedules[0].value_at(step)
        for b, s in zip(self._boundaries, self.schedules[1:]):
            out = np.where(relative < b, out, s.value_at(step))
        return out


class PraxisContinuousSchedule:
    def __init__(
        self, initial_value=1.0, start_step=400_000, half_life_steps=100_000, min=0.01
    ):
        limit = start_step + half_life_steps * math.log(min) / math.log(0.5)
        self.initial_value = initial_value
        self.exp = PraxisExponential((start_step, 1.0), (limit, min))

    def value_at(self, step):
        return self.initial_value * self.exp.value_at(step)


PRAXIS: dict[str, Any] = {
    "Constant": PraxisConstant,
    "Polynomial": PraxisPolynomial,
    "Linear": PraxisLinear,
    "Exponential": PraxisExponential,
    "Cosine": PraxisCosine,
    "DelayedCosine": PraxisDelayedCosine,
    "LinearRampupPolynomialDecay": PraxisLinearRampupPolynomialDecay,
    "LinearRampupCosineDecay": PraxisLinearRampupCosineDecay,
    "PiecewiseConstant": PraxisPiecewiseConstant,
    "Transformer": PraxisTransformer,
    "SqrtDecay": PraxisSqrtDecay,
    "LinearRampupSqrtDecay": PraxisLinearRampupSqrtDecay,
    "LinearRampupExponentialDecay": PraxisLinearRampupExponentialDecay,
    "LinearRampupPiecewiseConstant": PraxisLinearRampupPiecewiseConstant,
    "PiecewiseSchedule": PraxisPiecewiseSchedule,
    "CycleSchedule": PraxisCycleSchedule,
    "ContinuousSchedule": PraxisContinuousSchedule,
}


# -------------------------------------------------------------------------- T5X


def t5x_create_learning_rate_scheduler(
    factors: str = "constant * linear_warmup * rsqrt_decay",
    base_learning_rate: float = 0.5,
    warmup_steps: int = 1000,
    decay_factor: float = 0.5,
    steps_per_decay: int = 20000,
    steps_per_cycle: int = 100000,
    step_offset: int = 0,
    min_learning_rate: float = 1e-8,
) -> Fn:
    """``t5x.utils.create_learning_rate_scheduler`` (steps are whole numbers)."""
    names = [n.strip() for n in factors.split("*")]

    def step_fn(step):
        step = np.maximum(0, _a(step) - step_offset)
        ret = 1.0
        for name in names:
            if name == "constant":
                ret *= base_learning_rate
            elif name == "linear_warmup":
                ret *= np.minimum(1.0, step / warmup_steps)
            elif name == "linear_decay":
                ret *= base_learning_rate * np.minimum(
                    step / warmup_steps, 1.0 + decay_factor * (warmup_steps - step)
                )
            elif name == "rsqrt_decay":
                ret /= np.sqrt(np.maximum(step, warmup_steps))
            elif name == "rsqrt_normalized_decay":
                ret *= np.sqrt(warmup_steps)
                ret /= np.sqrt(np.maximum(step, warmup_steps))
            elif name == "decay_every":
                ret *= decay_factor ** (step // steps_per_decay)
            elif name == "cosine_decay":
                # T5X: (max(0, (t - W) / cycle)) % 1.0; reduced exactly here (the
                # float64 quotient's mod 1 keeps only ~1e-10 at t = 1e7)
                done = np.maximum(0.0, step - warmup_steps)
                progress = np.mod(done, steps_per_cycle) / float(steps_per_cycle)
                ret *= np.maximum(0.0, 0.5 * (1.0 + np.cos(np.pi * progress)))
            else:
                raise ValueError(f"Unknown factor {name}.")
        return np.maximum(ret, min_learning_rate)

    return _quiet(step_fn)
