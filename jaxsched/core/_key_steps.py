"""``Schedule.key_steps()``: the steps where a schedule's phases begin and end.

One function per registered class, computed in Python from the concrete leaves of one
member (a stacked schedule is split into its members and the results are united).
Periodic schedules list their first few cycles only (:data:`CYCLES`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
from typing import Any

import jax
import numpy as np
from jax.core import Tracer

#: How many cycles of a periodic schedule (restarts, stairs, repeats) are listed.
CYCLES = 3


def _num(x: Any) -> float:
    return float(np.asarray(x))


def _arr(x: Any) -> list[float]:
    return [float(v) for v in np.ravel(np.asarray(x))]


def _shifted(schedule: Any, by: float) -> list[float]:
    return [by + s for s in member_steps(schedule)]


def _union(*schedules: Any) -> list[float]:
    return [s for child in schedules for s in member_steps(child)]


def _begin_end(begin: Any, length: Any) -> list[float]:
    b, n = max(_num(begin), 0.0), _num(length)
    return [b, b + n] if n > 0 else [b]


def _stairs(length: Any, start: float = 0.0) -> list[float]:
    n = _num(length)
    return [start + k * n for k in range(CYCLES + 1)] if n > 0 else [start]


def _exponential(s: Any) -> list[float]:
    out = _begin_end(s.transition_begin, s.transition_steps)
    b, n = out[0], _num(s.transition_steps)
    if s.staircase and n > 0:
        out += _stairs(n, b)
    rate, init = _num(s.decay_rate), _num(s.init_value)
    if s.bounded and s.end_value is not None and n > 0 and rate > 0 and rate != 1:
        ratio = _num(s.end_value) / init if init else 0.0
        if ratio > 0:
            out.append(b + n * math.log(ratio) / math.log(rate))  # where it is clipped
    return out


def _staircase_decay(s: Any) -> list[float]:
    return _stairs(s.decay_steps) if s.staircase else [0.0, _num(s.decay_steps)]


def _polynomial_decay(s: Any) -> list[float]:
    return _stairs(s.decay_steps) if s.cycle else [0.0, _num(s.decay_steps)]


def _cosine_decay(s: Any) -> list[float]:
    if s.warmup_target is None:
        return [0.0, _num(s.decay_steps)]
    w = _num(s.warmup_steps)
    return [0.0, w, w + _num(s.decay_steps)]


def _geometric_starts(first: Any, mul: Any) -> list[float]:
    """Starts of cycles 0..CYCLES of lengths ``first * mul ** i``."""
    length, m, start, out = _num(first), _num(mul), 0.0, [0.0]
    for _ in range(CYCLES):
        start += length
        length *= m
        out.append(start)
    return out


def _cyclic(s: Any) -> list[float]:
    up = _num(s.step_size_up)
    down = up if s.step_size_down is None else _num(s.step_size_down)
    out = []
    for k in range(CYCLES):
        out += [k * (up + down), k * (up + down) + up]
    return [*out, CYCLES * (up + down)]


def _one_cycle(s: Any) -> list[float]:
    t, pct = _num(s.total_steps), _num(s.pct_start)
    if s.three_phase:
        return [0.0, pct * t - 1, 2 * pct * t - 2, t - 1]
    return [0.0, pct * t - 1, t - 1]


def _warmup_total(s: Any) -> list[float]:
    return [0.0, _num(s.num_warmup_steps), _num(s.num_training_steps)]


def _hard_restarts(s: Any) -> list[float]:
    w, n, c = _num(s.num_warmup_steps), _num(s.num_training_steps), _num(s.num_cycles)
    out = [0.0, w, n]
    if c > 0 and n > w:
        k = 1
        while k < c and k <= CYCLES:
            out.append(w + k * (n - w) / c)
            k += 1
    return out


def _wsd(s: Any) -> list[float]:
    w, st = _num(s.num_warmup_steps), _num(s.num_stable_steps)
    return [0.0, w, w + st, w + st + _num(s.num_decay_steps)]


def _join(s: Any) -> list[float]:
    bounds = _arr(s.boundaries)
    out = list(bounds)
    edges = [-math.inf, *bounds, math.inf]
    for i, part in enumerate(s.schedules):
        by = bounds[i - 1] if i > 0 else 0.0
        lo, hi = edges[i], edges[i + 1]
        out += [x for x in _shifted(part, by) if lo <= x <= hi]
    return out


def _warmup(s: Any) -> list[float]:
    w = _num(s.warmup_steps)
    return [0.0, w, *_shifted(s.schedule, w)]


def _repeat(s: Any) -> list[float]:
    p = _num(s.period)
    inner = [x for x in member_steps(s.schedule) if 0 <= x <= p]
    out = []
    for k in range(CYCLES):
        out += [k * p + x for x in inner] + [k * p]
    return [*out, CYCLES * p]


def _per_epoch(s: Any) -> list[float]:
    e = _num(s.steps_per_epoch)
    return [x * e for x in member_steps(s.schedule)]


_EDGES: dict[str, Callable[[Any], Iterable[float]]] = {
    # optax primitives
    "Constant": lambda s: [],
    "Linear": lambda s: _begin_end(s.transition_begin, s.transition_steps),
    "Polynomial": lambda s: _begin_end(s.transition_begin, s.transition_steps),
    "Exponential": _exponential,
    "Cosine": lambda s: [0.0, _num(s.decay_steps)],
    "PiecewiseConstant": lambda s: _arr(s.boundaries),
    "PiecewiseInterpolate": lambda s: _arr(s.boundaries),
    # Keras
    "ExponentialDecay": _staircase_decay,
    "InverseTimeDecay": _staircase_decay,
    "PolynomialDecay": _polynomial_decay,
    "PiecewiseConstantDecay": lambda s: _arr(s.boundaries),
    "CosineDecay": _cosine_decay,
    "CosineDecayRestarts": lambda s: _geometric_starts(s.first_decay_steps, s.t_mul),
    # PyTorch
    "StepLR": lambda s: _stairs(s.step_size),
    "MultiStepLR": lambda s: [0.0, *_arr(s.milestones)],
    "ConstantLR": lambda s: [0.0, _num(s.total_iters)],
    "LinearLR": lambda s: [0.0, _num(s.total_iters)],
    "ExponentialLR": lambda s: [0.0],
    "PolynomialLR": lambda s: [0.0, _num(s.total_iters)],
    "CyclicLR": _cyclic,
    "OneCycleLR": _one_cycle,
    "CosineAnnealingLR": lambda s: _stairs(s.T_max),
    "CosineAnnealingWarmRestarts": lambda s: _geometric_starts(s.T_0, s.T_mult),
    # Hugging Face and T5
    "ConstantWithWarmup": lambda s: [0.0, _num(s.num_warmup_steps)],
    "LinearWithWarmup": _warmup_total,
    "CosineWithWarmup": _warmup_total,
    "CosineWithMinLR": _warmup_total,
    "CosineWarmupWithMinLR": _warmup_total,
    "CosineWithHardRestarts": _hard_restarts,
    "PolynomialWithWarmup": _warmup_total,
    "InverseSqrt": lambda s: [0.0, _num(s.num_warmup_steps)],
    "RsqrtDecay": lambda s: [0.0, _num(s.warmup_steps)],
    "WarmupStableDecay": _wsd,
    # combinators
    "Join": _join,
    "Warmup": _warmup,
    "Shift": lambda s: _shifted(s.schedule, _num(s.offset)),
    "Repeat": _repeat,
    "PerEpoch": _per_epoch,
    "Sum": lambda s: _union(s.left, s.right),
    "Difference": lambda s: _union(s.left, s.right),
    "Product": lambda s: _union(s.left, s.right),
    "Minimum": lambda s: _union(s.left, s.right),
    "Maximum": lambda s: _union(s.left, s.right),
    "Quotient": lambda s: _union(s.schedule, s.divisor),
    "Scale": lambda s: _union(s.schedule),
    "Offset": lambda s: _union(s.schedule),
    "Clip": lambda s: _union(s.schedule),
}


def _children(s: Any) -> list[Any]:
    from ._core import Schedule

    out = []
    for field in dataclasses.fields(s):
        value = getattr(s, field.name)
        if isinstance(value, Schedule):
            out.append(value)
        elif isinstance(value, (list, tuple)):
            out += [v for v in value if isinstance(v, Schedule)]
    return out


def member_steps(s: Any) -> list[float]:
    """The key steps of one (unstacked) member, unsorted, possibly repeated."""
    from ._core import Schedule

    if not isinstance(s, Schedule):
        return []  # a number in an arithmetic node
    edges = _EDGES.get(type(s).__name__)
    if edges is None or type(s).__module__.split(".")[0] != "jaxsched":
        own = getattr(type(s), "key_steps", None)
        if own is not None and own is not Schedule.key_steps:
            return [float(x) for x in s.key_steps()]
        return _union(*_children(s))  # a custom schedule: its children's steps
    return list(edges(s))


def _is_stacked(s: Any) -> bool:
    from ._batch import batch_size

    try:
        batch_size(s)
    except ValueError:
        return False
    return True


def key_steps(s: Any) -> tuple[int | float, ...]:
    for leaf in jax.tree.leaves(s):
        if isinstance(leaf, Tracer):
            raise TypeError(
                f"{type(s).__name__}.key_steps: needs concrete hyperparameters; a "
                f"leaf is a traced value ({type(leaf).__name__}). Call it outside "
                "jit/vmap/grad."
            )
    if _is_stacked(s):
        from ._batch import unstack

        steps = [x for member in unstack(s) for x in member_steps(member)]
    else:
        steps = member_steps(s)
    found = sorted({x for x in steps if math.isfinite(x)})
    return tuple(int(x) if float(x).is_integer() else x for x in found)
