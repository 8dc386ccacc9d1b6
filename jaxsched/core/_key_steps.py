"""``Schedule.key_steps()``: the driver, and the helpers each class's method uses.

Every class computes its own key steps in a ``key_steps(self)`` method next to its
``__call__``, for one (unstacked) member, in Python from its concrete leaves, in any
order. The base class wraps that method (:mod:`jaxsched.core._schedule`), and
:func:`whole` (provided to the base class as its ``"key_steps"`` ability) makes the
result whole: a tracer leaf is refused, a stacked schedule is split into its members
and their steps united, infinite steps are left out, and the rest are sorted, whole
numbers as Python ints. Periodic schedules list their first :data:`CYCLES` cycles.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import jax
import numpy as np
from jax.core import Tracer

from jaxsched.core._batch import batch_size, unstack
from jaxsched.core._schedule import Schedule, member_key_steps, provide

__all__ = [
    "CYCLES",
    "begin_end",
    "geometric_starts",
    "number",
    "numbers",
    "shifted",
    "stairs",
    "union",
    "whole",
]

#: How many cycles of a periodic schedule (restarts, stairs, repeats) are listed.
CYCLES = 3


def number(x: Any) -> float:
    """A concrete scalar leaf as a Python float."""
    return float(np.asarray(x))


def numbers(x: Any) -> list[float]:
    """A concrete array leaf (boundaries, milestones) as Python floats."""
    return [float(v) for v in np.ravel(np.asarray(x))]


def shifted(schedule: Any, by: float) -> list[float]:
    """A part's key steps moved by ``by`` (where a combinator starts it)."""
    return [by + s for s in member_key_steps(schedule)]


def union(*schedules: Any) -> list[float]:
    """The key steps of several parts (numbers among them have none)."""
    return [s for child in schedules for s in member_key_steps(child)]


def begin_end(begin: Any, length: Any) -> list[float]:
    """A transition that starts at ``max(begin, 0)`` and lasts ``length`` steps."""
    b, n = max(number(begin), 0.0), number(length)
    return [b, b + n] if n > 0 else [b]


def stairs(length: Any, start: float = 0.0) -> list[float]:
    """The first :data:`CYCLES` stairs (or periods) of ``length`` from ``start``."""
    n = number(length)
    return [start + k * n for k in range(CYCLES + 1)] if n > 0 else [start]


def geometric_starts(first: Any, mul: Any) -> list[float]:
    """Starts of cycles 0..CYCLES of lengths ``first * mul ** i``."""
    length, m, start, out = number(first), number(mul), 0.0, [0.0]
    for _ in range(CYCLES):
        start += length
        length *= m
        out.append(start)
    return out


def _is_stacked(schedule: Schedule) -> bool:
    try:
        batch_size(schedule)
    except ValueError:
        return False
    return True


def whole(
    schedule: Schedule, member_steps: Callable[[Any], Iterable[Any]]
) -> tuple[int | float, ...]:
    """``schedule.key_steps()``: ``member_steps`` (a class's own method, one member)
    over every member, united, finite, sorted, whole numbers as ints."""
    for leaf in jax.tree.leaves(schedule):
        if isinstance(leaf, Tracer):
            raise TypeError(
                f"{type(schedule).__name__}.key_steps: needs concrete "
                f"hyperparameters; a leaf is a traced value ({type(leaf).__name__}). "
                "Call it outside jit/vmap/grad."
            )
    members = unstack(schedule) if _is_stacked(schedule) else [schedule]
    steps = [float(x) for member in members for x in member_steps(member)]
    found = sorted({x for x in steps if math.isfinite(x)})
    return tuple(int(x) if x.is_integer() else x for x in found)


provide("key_steps", whole)
