"""Token clocks for the token-defined recipes: the tokens seen before a step.

A token-defined recipe writes its phases in tokens and runs on a clock,
``Clock(schedule_in_tokens, clock)``. The clock is a constant ``tokens_per_step``,
a :class:`~jaxsched.TokenClock` (a batch that ramps linearly in steps or in
tokens), batch sizes switched at token counts (Chinchilla's doubling, Llama 3's
4M -> 8M -> 16M), or any schedule of the step the user gives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from jaxsched.core._schedule import Schedule
from jaxsched.schedules._clock import Clock, TokenClock
from jaxsched.schedules._primitives import PiecewiseInterpolate

__all__ = ["batch_steps", "constant_tokens", "on_clock", "steps_to_reach"]

#: A step beyond every run, where :func:`batch_steps` puts its last knot.
_FAR = 2.0**40


def constant_tokens(tokens_per_step: float) -> Schedule:
    """The clock of a constant batch: ``tokens_per_step * step``."""
    return TokenClock(tokens_per_step, tokens_per_step, 0)


def batch_steps(
    tokens_per_step: Sequence[float], switch_tokens: Sequence[float]
) -> Schedule:
    """The clock of batch sizes switched at token counts: ``tokens_per_step[0]``
    tokens a step until ``switch_tokens[0]`` tokens are seen, then
    ``tokens_per_step[1]``, and so on (piecewise linear in the step)."""
    sizes = [float(b) for b in tokens_per_step]
    marks = [float(t) for t in switch_tokens]
    if len(sizes) != len(marks) + 1 or min(sizes) <= 0:
        raise ValueError(
            "batch_steps: one more positive batch size than switch points. "
            f"Received: tokens_per_step={sizes}, switch_tokens={marks}"
        )
    steps, tokens = [0.0], [0.0]
    for size, mark in zip(sizes, marks):
        steps.append(steps[-1] + (mark - tokens[-1]) / size)
        tokens.append(mark)
    tokens.append(tokens[-1] + sizes[-1] * (_FAR - steps[-1]))
    steps.append(_FAR)
    return PiecewiseInterpolate(steps, tokens)


def on_clock(schedule: Schedule, clock: Schedule) -> Schedule:
    """``schedule(clock(step))``: a schedule written in tokens, on the steps."""
    return Clock(schedule, clock)


def steps_to_reach(clock: Schedule, tokens: float) -> int:
    """The first whole step at which ``clock(step) >= tokens``.

    The clock's own inverse (``steps_at``) where it has one, else a bisection on
    whole steps evaluating the clock (concrete, float64 where x64 is on)."""
    inverse = getattr(clock, "steps_at", None)
    if inverse is not None:
        return math.ceil(inverse(tokens) * (1 - 1e-12))
    if isinstance(clock, PiecewiseInterpolate) and clock.interpolate_type == "linear":
        knots = np.asarray(clock.boundaries, np.float64)
        values = np.asarray(clock.values, np.float64)
        if np.all(np.diff(values) > 0):
            return math.ceil(float(np.interp(tokens, values, knots)) * (1 - 1e-12))

    def at(step: int) -> float:
        return float(np.asarray(clock(np.float64(step)), np.float64))

    high = 1
    while at(high) < tokens:
        high *= 2
        if high > 2**40:
            raise ValueError(f"the clock never reaches {tokens:g} tokens")
    low = 0
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if at(middle) < tokens else (low, middle)
    return high
