"""A float64 truth for every registered schedule class: ``truth(schedule, steps)``.

Each reference is written from the documented formula of the class (the peer's
formula: Keras, optax, PyTorch, Hugging Face, T5X; and jaxsched's own docstring where
it decides what the peer leaves open or gets wrong) in NumPy float64, reading the
schedule's fields with ``getattr``. Nothing here calls jaxsched to compute a value.
A composite's reference composes the references of its parts: ``truth(Sum(a, b)) ==
truth(a) + truth(b)``, ``Join`` hands each part its local step, and so on.

Where the truth follows jaxsched's documented choice instead of the peer's value (a
negative step, a zero-length phase, past the end of OneCycleLR, ...), the branch
calls :func:`deliberate` with a key of :data:`KNOWN`, the one list of these
choices and of the library's known misses (``tests/test_key_steps.py`` checks that
each is used and that the README's table "Differences from the originals" has its
row).

Phases are reduced exactly before a cosine is taken (``np.mod`` of exact float64
numbers, or :class:`fractions.Fraction` where a product would round), so the truth
keeps its digits at 2**31 - 1 where ``cos(2 * pi * c * p)`` of the raw step would
not.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np


@dataclasses.dataclass(frozen=True)
class Known:
    """One deliberate or known difference.

    ``kind`` is ``"deliberate"`` (the truth follows jaxsched's documented choice,
    not the original's value; ``readme`` is the start of the row of the README's
    table "Differences from the originals" that covers it), ``"limit"`` (a measured
    precision limit: the library misses the truth by at most ``max_error`` times the
    peak) or ``"bug"`` (the library is wrong there; to be fixed).
    """

    kind: str
    reason: str
    readme: str | None = None
    max_error: float | None = None


_NEGATIVE_TORCH_HF = "Negative steps, PyTorch and HF classes"
_NEGATIVE_OPTAX_KERAS = "Negative steps, optax and Keras classes"

#: Every deliberate difference from the originals that the truth follows, and every
#: known miss of the library against the truth (keyed ``"<example> <precision>"``,
#: e.g. ``"StepLR-1 float32"``), in one place. Nothing else is skipped.
KNOWN: dict[str, Known] = {
    "negative-hold": Known(
        "deliberate",
        "PyTorch, Hugging Face and T5X never see a step below 0; jaxsched gives the "
        "step-0 value there (0 for the Hugging Face warmups that start at 0)",
        _NEGATIVE_TORCH_HF,
    ),
    "keras-poly-cycle-negative": Known(
        "deliberate",
        "PolynomialDecay(cycle=True) for -decay_steps < step < 0: Keras divides by a "
        "zero horizon (inf/NaN); jaxsched continues the first cycle",
        _NEGATIVE_OPTAX_KERAS,
    ),
    "keras-cosine-warmup0-negative": Known(
        "deliberate",
        "CosineDecay(warmup_target=P, warmup_steps=0) below step 0: Keras divides by "
        "zero; jaxsched continues the mirrored cosine",
        _NEGATIVE_OPTAX_KERAS,
    ),
    "keras-restarts-exact": Known(
        "deliberate",
        "CosineDecayRestarts: Keras's rounded logarithm misses some exact restarts; "
        "jaxsched (and this truth) put every restart on its exact step",
        "`CosineDecayRestarts` (Keras)",
    ),
    "keras-restarts-shrinking-end": Known(
        "deliberate",
        "CosineDecayRestarts with t_mul < 1 past the sum of all cycles: Keras gives "
        "NaN, jaxsched the floor alpha * initial_learning_rate",
        "`CosineDecayRestarts` (Keras) with `t_mul < 1`",
    ),
    "torch-total-iters-0": Known(
        "deliberate",
        "LinearLR/PolynomialLR(total_iters=0): a ZeroDivisionError in PyTorch's "
        "closed form; jaxsched: the ramp or decay is already over at step 0",
        "`LinearLR(total_iters=0)`",
    ),
    "torch-onecycle-after-end": Known(
        "deliberate",
        "OneCycleLR past total_steps - 1: PyTorch extrapolates at total_steps and "
        "raises after; jaxsched holds the value at total_steps - 1",
        "`OneCycleLR` after `total_steps - 1`",
    ),
    "torch-onecycle-zero-phase": Known(
        "deliberate",
        "OneCycleLR with a phase of length 0 (pct_start * total_steps == 1): a "
        "ZeroDivisionError in PyTorch; jaxsched gives the phase's end value",
        "`OneCycleLR` with a phase of length 0",
    ),
    "torch-cawr-table": Known(
        "deliberate",
        "CosineAnnealingWarmRestarts: the cycle from a table of exact starts (as "
        "PyTorch's step-by-step updates), not its closed form's float logarithm",
        "`CosineAnnealingWarmRestarts`",
    ),
    "hf-polynomial-zero-decay": Known(
        "deliberate",
        "PolynomialWithWarmup with num_training_steps == num_warmup_steps: a "
        "ZeroDivisionError in Hugging Face; jaxsched gives learning_rate at W",
        "HF `PolynomialWithWarmup` with `N = W`",
    ),
    "t5x-rsqrt-zero-warmup": Known(
        "deliberate",
        "RsqrtDecay(warmup_steps=0): T5X gives inf at step 0 (and 0 after it when "
        "normalized); jaxsched floors the step at 1 in the square root",
        "T5X `rsqrt_decay(warmup_steps=0)`",
    ),
    "optax-interpolate-negative": Known(
        "deliberate",
        "PiecewiseInterpolate below its first knot: optax returns 0.0; jaxsched "
        "holds the first value",
        "`PiecewiseInterpolate` (optax `piecewise_interpolate_schedule`)",
    ),
}

_USED: set[str] = set()


def deliberate(key: str) -> bool:
    """Mark that a reference follows the deliberate choice ``key`` (always True)."""
    if key not in KNOWN or KNOWN[key].kind != "deliberate":
        raise KeyError(f"{key!r} is not a deliberate difference listed in KNOWN")
    _USED.add(key)
    return True


def used_deliberate() -> frozenset[str]:
    return frozenset(_USED)


_REFERENCES: dict[str, Callable[[Any, np.ndarray], np.ndarray]] = {}


def reference(*names: str):
    def register(fn):
        for name in names:
            _REFERENCES[name] = fn
        return fn

    return register


def has_reference(cls: type) -> bool:
    return cls.__name__ in _REFERENCES


def truth(schedule: Any, steps: Any) -> np.ndarray:
    """The float64 value of ``schedule`` at ``steps`` (any float64-exact numbers)."""
    t = np.asarray(steps, np.float64)
    name = type(schedule).__name__
    if name not in _REFERENCES:
        raise KeyError(f"no float64 reference for {name}")
    with np.errstate(all="ignore"):
        out = np.asarray(_REFERENCES[name](schedule, t), np.float64)
    return np.broadcast_to(out, t.shape).copy()


# ------------------------------------------------------------------------- helpers


def _f(value: Any) -> Any:
    """A leaf as float64 (a Python float for scalars, an array otherwise)."""
    array = np.asarray(value, np.float64)
    return float(array) if array.ndim == 0 else array


def _fields(schedule: Any) -> dict[str, Any]:
    return {f.name: getattr(schedule, f.name) for f in dataclasses.fields(schedule)}


def _exact(x: float) -> Fraction:
    return Fraction(float(x))


def _frac_mod(c: float, t: np.ndarray, shift: float, period: float) -> np.ndarray:
    """``(c * (t - shift)) mod period`` in exact rational arithmetic, as float64."""
    c, shift, period = _exact(c), _exact(shift), _exact(period)
    return np.array(
        [float((c * (_exact(x) - shift)) % period) for x in t.ravel()]
    ).reshape(t.shape)


def _half_cos(x: np.ndarray) -> np.ndarray:
    """``(1 + cos(pi * x)) / 2`` as ``cos(pi * x / 2) ** 2`` (no cancellation)."""
    return np.cos(np.pi / 2 * x) ** 2


def _hf_warmup(t: np.ndarray, warmup: float) -> np.ndarray:
    """Hugging Face's warmup ``t / max(1, W)`` (``t`` already at least 0)."""
    return t / max(1.0, warmup)


# ---------------------------------------------------------- primitives (optax's)


@reference("Constant")
def _constant(s, t):
    return np.full(t.shape, _f(s.value))


@reference("Linear")
def _linear(s, t):
    i, e, n = map(_f, (s.init_value, s.end_value, s.transition_steps))
    b = max(_f(s.transition_begin), 0.0)
    if n <= 0:
        return np.full(t.shape, i)
    c = np.clip(t - b, 0, n)
    return i + (e - i) * c / n


@reference("Polynomial")
def _polynomial(s, t):
    i, e, p, n = map(_f, (s.init_value, s.end_value, s.power, s.transition_steps))
    b = max(_f(s.transition_begin), 0.0)
    if n <= 0:
        return np.full(t.shape, i)
    c = np.clip(t - b, 0, n)
    return (i - e) * ((n - c) / n) ** p + e


@reference("Exponential")
def _exponential(s, t):
    i, n, r = _f(s.init_value), _f(s.transition_steps), _f(s.decay_rate)
    d = t - max(_f(s.transition_begin), 0.0)
    if n <= 0 or r == 0:
        return np.full(t.shape, i)
    p = np.floor_divide(d, n) if s.staircase else d / n
    v = np.where(d <= 0, i, i * r**p)
    if s.bounded:
        e = _f(s.end_value)
        v = np.maximum(v, e) if r < 1 else np.minimum(v, e)
    return v


@reference("Cosine")
def _cosine(s, t):
    i, n, a, p = map(_f, (s.init_value, s.decay_steps, s.alpha, s.exponent))
    # optax: (1 + cos(pi * min(t, T) / T)) / 2, even in t (negative steps mirror).
    c = np.minimum(t, n)
    phase = np.mod(c, 2 * n)  # exact; the cosine has period 2T
    return i * ((1 - a) * _half_cos(phase / n) ** p + a)


def _table(s, t, side):
    """``values[k]`` with ``k`` the count of boundaries passed (``side`` as in
    ``np.searchsorted``: "right" switches at a boundary, "left" just after it)."""
    bounds, values = np.atleast_1d(_f(s.boundaries)), np.atleast_1d(_f(s.values))
    return values[np.searchsorted(bounds, t, side=side)]


@reference("PiecewiseConstant")
def _piecewise_constant(s, t):
    return _table(s, t, "right")  # switch AT b


@reference("PiecewiseInterpolate")
def _piecewise_interpolate(s, t):
    b, v = np.atleast_1d(_f(s.boundaries)), np.atleast_1d(_f(s.values))
    hi = np.searchsorted(b, t, side="right")  # knots <= t
    out = np.where(hi == 0, v[0], v[-1])
    if np.any(hi == 0):
        deliberate("optax-interpolate-negative")
    inside = (hi > 0) & (hi < len(b))
    k = np.clip(hi - 1, 0, len(b) - 1)
    k1 = np.clip(hi, 0, len(b) - 1)
    width = b[k1] - b[k]
    pct = np.where(width > 0, (t - b[k]) / np.where(width > 0, width, 1), 0)
    if s.interpolate_type == "linear":
        value = v[k] + (v[k1] - v[k]) * pct
    else:
        value = v[k1] + (v[k] - v[k1]) * _half_cos(pct)
    return np.where(inside, value, out)


# ---------------------------------------------------------------------- Keras


@reference("ExponentialDecay")
def _exponential_decay(s, t):
    i, n, r = map(_f, (s.initial_learning_rate, s.decay_steps, s.decay_rate))
    p = np.floor_divide(t, n) if s.staircase else t / n
    return i * r**p


@reference("InverseTimeDecay")
def _inverse_time_decay(s, t):
    i, n, r = map(_f, (s.initial_learning_rate, s.decay_steps, s.decay_rate))
    p = np.floor_divide(t, n) if s.staircase else t / n
    return i / (1 + r * p)


@reference("PolynomialDecay")
def _polynomial_decay(s, t):
    i, n, e, p = map(
        _f, (s.initial_learning_rate, s.decay_steps, s.end_learning_rate, s.power)
    )
    if not s.cycle:
        left = (n - np.minimum(t, n)) / n
        return (i - e) * left**p + e
    cycles = np.ceil(t / n)
    first = cycles == 0
    if np.any(first & (t < 0)):
        deliberate("keras-poly-cycle-negative")
    horizon = np.where(first, 1, cycles) * n
    return (i - e) * ((horizon - t) / horizon) ** p + e


@reference("PiecewiseConstantDecay")
def _piecewise_constant_decay(s, t):
    return _table(s, t, "left")  # switch after b


@reference("CosineDecay")
def _cosine_decay(s, t):
    i, n, a = map(_f, (s.initial_learning_rate, s.decay_steps, s.alpha))
    if s.warmup_target is None:
        c = np.minimum(t, n)
        return i * ((1 - a) * _half_cos(np.mod(c, 2 * n) / n) + a)
    peak, w = _f(s.warmup_target), _f(s.warmup_steps)
    if w == 0 and np.any(t < 0):
        deliberate("keras-cosine-warmup0-negative")
    c = np.minimum(t, w + n) - w
    decayed = peak * ((1 - a) * _half_cos(np.mod(c, 2 * n) / n) + a)
    ramp = i + (peak - i) * t / (w if w > 0 else 1)
    return np.where((t < w) & (w > 0), ramp, decayed)


def _restart_cycle(f: Fraction, g: Fraction) -> tuple[int, Fraction] | None:
    """SGDR's cycle ``i`` (any sign) with ``S(i) <= f < S(i + 1)``, and ``S(i)``,
    where ``S(i) = (g**i - 1) / (g - 1)`` (``i`` for ``g == 1``); None where no
    cycle holds ``f`` (below the limit of ``S`` at minus infinity, or at/after the
    sum of all cycles for ``g < 1``)."""

    def start(i: int) -> Fraction:
        return Fraction(i) if g == 1 else (g**i - 1) / (g - 1)

    if g == 1:
        i = math.floor(f)
        return i, start(i)
    if g > 1 and f <= -1 / (g - 1):
        return None
    if g < 1 and f >= 1 / (1 - g):
        return None
    x = 1 + float(f) * (float(g) - 1)
    i = math.floor(math.log(x) / math.log(float(g))) if x > 0 else 0
    i = max(min(i, 10_000), -10_000)
    while start(i) > f:
        i -= 1
    while start(i + 1) <= f:
        i += 1
    return i, start(i)


@reference("CosineDecayRestarts")
def _cosine_decay_restarts(s, t):
    i0, n = _f(s.initial_learning_rate), _exact(_f(s.first_decay_steps))
    g, m, a = _exact(_f(s.t_mul)), _f(s.m_mul), _f(s.alpha)
    deliberate("keras-restarts-exact")
    out = []
    for x in t.ravel():
        f = _exact(x) / n
        found = _restart_cycle(f, g)
        if found is None:
            if g < 1 and f > 0 and deliberate("keras-restarts-shrinking-end"):
                out.append(a * i0)
            else:
                out.append(math.nan)
            continue
        k, begin = found
        done = (f - begin) / g**k  # fraction of cycle k done, exact
        with np.errstate(all="ignore"):
            mk = np.float64(m) ** np.float64(k)
        out.append(i0 * ((1 - a) * mk * float(_half_cos(np.float64(done))) + a))
    return np.array(out).reshape(t.shape)


# -------------------------------------------------------------------- PyTorch


def _at_least_zero(t: np.ndarray) -> np.ndarray:
    """Steps below 0 moved to 0 (jaxsched's documented hold)."""
    if np.any(t < 0):
        deliberate("negative-hold")
    return np.maximum(t, 0)


@reference("StepLR")
def _step_lr(s, t):
    lr, n, g = map(_f, (s.learning_rate, s.step_size, s.gamma))
    return lr * g ** np.floor_divide(_at_least_zero(t), n)


@reference("MultiStepLR")
def _multistep_lr(s, t):
    lr, g = _f(s.learning_rate), _f(s.gamma)
    milestones = np.sort(np.atleast_1d(_f(s.milestones)))
    count = np.searchsorted(milestones, _at_least_zero(t), side="right")
    return lr * g**count


@reference("ConstantLR")
def _constant_lr(s, t):
    lr, factor, n = map(_f, (s.learning_rate, s.factor, s.total_iters))
    return lr * np.where(_at_least_zero(t) < n, factor, 1.0)


@reference("LinearLR")
def _linear_lr(s, t):
    lr, a, b, n = map(
        _f, (s.learning_rate, s.start_factor, s.end_factor, s.total_iters)
    )
    t = _at_least_zero(t)
    if n == 0 and deliberate("torch-total-iters-0"):
        return np.full(t.shape, lr * b)
    return lr * (a + (b - a) * np.minimum(t, n) / n)


@reference("ExponentialLR")
def _exponential_lr(s, t):
    lr, g = _f(s.learning_rate), _f(s.gamma)
    return lr * g ** _at_least_zero(t)


@reference("PolynomialLR")
def _polynomial_lr(s, t):
    lr, n, p = map(_f, (s.learning_rate, s.total_iters, s.power))
    t = _at_least_zero(t)
    if n == 0 and deliberate("torch-total-iters-0"):
        return np.full(t.shape, lr if p == 0 else 0.0)
    return lr * ((n - np.minimum(t, n)) / n) ** p


@reference("CyclicLR")
def _cyclic_lr(s, t):
    base, peak, up, g = map(_f, (s.base_lr, s.max_lr, s.step_size_up, s.gamma))
    down = up if s.step_size_down is None else _f(s.step_size_down)
    t = _at_least_zero(t)
    total = up + down
    cycle = 1 + np.floor_divide(t, total)
    r = np.mod(t, total)  # exact
    height = np.where(r <= up, r / up, (total - r) / (down if down > 0 else 1))
    if s.mode == "triangular":
        scale = np.ones_like(t)
    elif s.mode == "triangular2":
        scale = 0.5 ** (cycle - 1)
    else:
        scale = g**t
    return base + (peak - base) * height * scale


@reference("OneCycleLR")
def _one_cycle_lr(s, t):
    peak, n, pct = _f(s.max_lr), _f(s.total_steps), _f(s.pct_start)
    initial = peak / _f(s.div_factor)
    minimum = initial / _f(s.final_div_factor)
    rise = float(pct * n) - 1
    if s.three_phase:
        phases = [
            (rise, initial, peak),
            (float(2 * pct * n) - 2, peak, initial),
            (n - 1, initial, minimum),
        ]
    else:
        phases = [(rise, initial, peak), (n - 1, peak, minimum)]
    t = _at_least_zero(t)
    if np.any(t > n - 1):
        deliberate("torch-onecycle-after-end")
    t = np.minimum(t, n - 1)
    out = np.full(t.shape, np.nan)
    start = 0.0
    done = np.zeros(t.shape, bool)
    for k, (end, a, b) in enumerate(phases):
        here = ~done & ((t <= end) | (k == len(phases) - 1))
        if end == start:
            if np.any(here) and deliberate("torch-onecycle-zero-phase"):
                out[here] = b
        else:
            frac = (t[here] - start) / (end - start)
            if s.anneal_strategy == "cos":
                out[here] = b + (a - b) * _half_cos(frac)
            else:
                out[here] = (b - a) * frac + a
        done |= here
        start = end
    return out


@reference("CosineAnnealingLR")
def _cosine_annealing_lr(s, t):
    lr, n, eta = map(_f, (s.learning_rate, s.T_max, s.eta_min))
    phase = np.mod(_at_least_zero(t), 2 * n)  # periodic, exact
    return eta + (lr - eta) * _half_cos(phase / n)


@reference("CosineAnnealingWarmRestarts")
def _cosine_annealing_warm_restarts(s, t):
    lr, eta = _f(s.learning_rate), _f(s.eta_min)
    first, mult = int(_f(s.T_0)), int(_f(s.T_mult))
    deliberate("torch-cawr-table")
    out = []
    for x in _at_least_zero(t).ravel():
        start, length = 0, first
        if mult == 1:
            start = math.floor(x / first) * first
        else:
            while x >= start + length:
                start, length = start + length, length * mult
        out.append(
            eta + (lr - eta) * float(_half_cos(np.float64((x - start) / length)))
        )
    return np.array(out).reshape(t.shape)


# ------------------------------------------------ Hugging Face (and T5X) families


@reference("ConstantWithWarmup")
def _constant_with_warmup(s, t):
    t = _at_least_zero(t)
    lr, w = _f(s.learning_rate), _f(s.num_warmup_steps)
    return lr * np.where(t < w, _hf_warmup(t, w), 1.0)


@reference("LinearWithWarmup")
def _linear_with_warmup(s, t):
    t = _at_least_zero(t)
    lr, w, n = map(_f, (s.learning_rate, s.num_warmup_steps, s.num_training_steps))
    decay = np.maximum(0.0, (n - t) / max(1.0, n - w))
    return lr * np.where(t < w, _hf_warmup(t, w), decay)


def _hf_cosine_factor(s, t, shift: float) -> np.ndarray:
    """``(1 + cos(2 pi c p)) / 2``, ``p = (t - W + shift) / max(1, N - W)``, with the
    phase ``c * (t - W + shift) mod max(1, N - W)`` exact."""
    w, n, c = map(_f, (s.num_warmup_steps, s.num_training_steps, s.num_cycles))
    span = max(1.0, n - w)
    phase = _frac_mod(c, t, w - shift, span)
    return _half_cos(2 * phase / span)


@reference("CosineWithWarmup")
def _cosine_with_warmup(s, t):
    t = _at_least_zero(t)
    lr, w = _f(s.learning_rate), _f(s.num_warmup_steps)
    factor = np.maximum(0.0, _hf_cosine_factor(s, t, 0.0))
    return lr * np.where(t < w, _hf_warmup(t, w), factor)


@reference("CosineWithMinLR")
def _cosine_with_min_lr(s, t):
    t = _at_least_zero(t)
    lr, w, r = _f(s.learning_rate), _f(s.num_warmup_steps), _f(s.min_lr_rate)
    factor = np.maximum(0.0, _hf_cosine_factor(s, t, 0.0) * (1 - r) + r)
    return lr * np.where(t < w, _hf_warmup(t, w), factor)


@reference("CosineWithHardRestarts")
def _cosine_with_hard_restarts(s, t):
    t = _at_least_zero(t)
    lr, w, n, c = map(
        _f, (s.learning_rate, s.num_warmup_steps, s.num_training_steps, s.num_cycles)
    )
    span = max(1.0, n - w)
    phase = _frac_mod(c, t, w, span) / span  # (c * p) mod 1, exact
    factor = np.where((t - w) / span >= 1, 0.0, np.maximum(0.0, _half_cos(phase)))
    return lr * np.where(t < w, _hf_warmup(t, w), factor)


@reference("PolynomialWithWarmup")
def _polynomial_with_warmup(s, t):
    t = _at_least_zero(t)
    lr, w, n, end, p = map(
        _f,
        (s.learning_rate, s.num_warmup_steps, s.num_training_steps, s.lr_end, s.power),
    )
    if n == w and np.any(t == w):
        deliberate("hf-polynomial-zero-decay")
    left = np.where(n > w, (n - t) / (n - w if n > w else 1), 1.0)
    decay = np.where(t > n, end, (lr - end) * left**p + end)
    return np.where(t < w, lr * _hf_warmup(t, w), decay)


@reference("InverseSqrt")
def _inverse_sqrt(s, t):
    t = _at_least_zero(t)
    lr, w, ts = map(_f, (s.learning_rate, s.num_warmup_steps, s.timescale))
    decay = 1.0 / np.sqrt(1.0 + (t - w) / ts)
    return lr * np.where(t < w, _hf_warmup(t, w), decay)


@reference("RsqrtDecay")
def _rsqrt_decay(s, t):
    lr, w = _f(s.learning_rate), _f(s.warmup_steps)
    t = _at_least_zero(t)
    if w == 0:
        deliberate("t5x-rsqrt-zero-warmup")
    value = lr / np.sqrt(np.maximum(np.maximum(t, w), 1.0))
    if s.normalized:
        value = value * math.sqrt(max(w, 1.0))
    if s.linear_warmup and w > 0:
        value = value * np.minimum(1.0, t / w)
    return value


@reference("WarmupStableDecay")
def _warmup_stable_decay(s, t):
    lr, w, d, stable, m, c = map(
        _f,
        (
            s.learning_rate,
            s.num_warmup_steps,
            s.num_decay_steps,
            s.num_stable_steps,
            s.min_lr_ratio,
            s.num_cycles,
        ),
    )
    t = _at_least_zero(t)
    p = t / max(1.0, w)
    warm = {
        "linear": p,
        "cosine": np.sin(np.pi / 2 * p) ** 2,
        "1-sqrt": 1 - np.sqrt(np.maximum(1 - p, 0)),
    }[s.warmup_type]
    q = (t - w - stable) / max(1.0, d)
    cool = {
        "linear": 1 - q,
        "cosine": _half_cos(np.mod(2 * c * q, 2)),
        "1-sqrt": 1 - np.sqrt(np.maximum(q, 0)),
    }[s.decay_type]
    out = np.full(t.shape, m)
    out = np.where(t < w + stable + d, np.maximum(0.0, cool * (1 - m) + m), out)
    out = np.where(t < w + stable, 1.0, out)
    out = np.where(t < w, np.maximum(0.0, warm * (1 - m) + m), out)
    return lr * out


@reference("CosineWarmupWithMinLR")
def _cosine_warmup_with_min_lr(s, t):
    lr, w, r = _f(s.learning_rate), _f(s.num_warmup_steps), _f(s.min_lr_rate)
    t = _at_least_zero(t)
    if s.warmup_lr_rate is None:
        warm = (t + 1) / max(1.0, w)
    else:
        rate = _f(s.warmup_lr_rate)
        warm = rate + (1 - rate) * t / max(1.0, w - 1)
    factor = np.maximum(0.0, _hf_cosine_factor(s, t, 1.0) * (1 - r) + r)
    return lr * np.where(t < w, warm, factor)


# ----------------------------------------------------------------- combinators


def _binary(op):
    return lambda s, t: op(truth(s.left, t), truth(s.right, t))


reference("Sum")(_binary(np.add))
reference("Difference")(_binary(np.subtract))
reference("Product")(_binary(np.multiply))
reference("Minimum")(_binary(np.minimum))
reference("Maximum")(_binary(np.maximum))


@reference("Scale")
def _scale(s, t):
    return _f(s.factor) * truth(s.schedule, t)


@reference("Offset")
def _offset(s, t):
    return truth(s.schedule, t) + _f(s.value)


@reference("Quotient")
def _quotient(s, t):
    return truth(s.schedule, t) / _f(s.divisor)


@reference("Clip")
def _clip(s, t):
    v = truth(s.schedule, t)
    if s.minimum is not None:
        v = np.maximum(v, _f(s.minimum))
    if s.maximum is not None:
        v = np.minimum(v, _f(s.maximum))
    return v


@reference("Join")
def _join(s, t):
    bounds = np.atleast_1d(_f(s.boundaries)) if len(s.schedules) > 1 else np.zeros(0)
    part = np.searchsorted(bounds, t, side="right")  # switch AT each boundary
    out = truth(s.schedules[0], t)
    for k, child in enumerate(s.schedules[1:], start=1):
        out = np.where(part == k, truth(child, t - bounds[k - 1]), out)
    return out


@reference("Warmup")
def _warmup(s, t):
    w, init = _f(s.warmup_steps), _f(s.init_value)
    target = float(truth(s.schedule, np.zeros(1))[0])
    f = np.clip(t, 0, w) / w if w > 0 else np.zeros(t.shape)
    linear = init + (target - init) * f
    if s.shape == "linear":
        ramp = linear
    elif s.shape == "cosine":
        ramp = init + (target - init) * np.sin(np.pi / 2 * f) ** 2
    else:
        start = init if init > 0 else 1e-3 * target  # EXPONENTIAL_WARMUP_FLOOR
        geometric = start > 0 and target > 0
        ramp = start * (target / start) ** f if geometric else linear
    return np.where(t < w, ramp, truth(s.schedule, t - w))


@reference("Shift")
def _shift(s, t):
    return truth(s.schedule, t - _f(s.offset))


@reference("Repeat")
def _repeat(s, t):
    period, decay = _f(s.period), _f(s.decay)
    count = np.maximum(np.floor_divide(t, period), 0)
    local = t - count * period
    return decay**count * truth(s.schedule, local)


@reference("PerEpoch")
def _per_epoch(s, t):
    return truth(s.schedule, np.floor_divide(t, _f(s.steps_per_epoch)))


import truth_vocabulary  # noqa: E402, F401  (registers its references)
