"""T5X's learning-rate schedule by its name, as a jaxsched schedule.

``create_learning_rate_scheduler`` takes the arguments of
``t5x.utils.create_learning_rate_scheduler`` (``google-research/t5x`` at
``cc342d4``), with T5X's names and defaults, parses the factor string the same way
(names split at ``*`` and stripped) and returns the product of one jaxsched schedule
per factor, floored at ``min_learning_rate`` and evaluated at ``max(0, step -
step_offset)``. The value at step ``t`` is what T5X's ``step_fn(t)`` returns (T5X
rounds it to float32; here the value has the dtype of the leaves).

==========================  ======================================================
T5X factor                  jaxsched
==========================  ======================================================
``constant``                ``base_learning_rate *`` (a ``Scale`` of the product)
``linear_warmup``           ``Linear(0.0, 1.0, warmup_steps)``
``linear_decay``            ``base_learning_rate * WarmupHoldDecay(Constant(1.0),
                            warmup=W, decay=1, end_value=1 - decay_factor,
                            after_end="extrapolate")``: ``t / W``, then ``1 +
                            decay_factor * (W - t)`` without end
``rsqrt_decay``             ``PowerLaw(1.0, -0.5, offset=0, min_step=W)``
``rsqrt_normalized_decay``  ``PowerLaw(sqrt(W), -0.5, offset=0, min_step=W)``
``decay_every``             ``Exponential(1.0, steps_per_decay, decay_factor,
                            staircase=True)`` (``decay_factor=0``:
                            ``PiecewiseConstant([steps_per_decay], [1.0, 0.0])``)
``cosine_decay``            ``Join([Constant(1.0), Repeat(Cosine(1.0, P), P)],
                            [W])``, ``P = steps_per_cycle``
floor, offset               ``Maximum(Shift(product, step_offset),
                            Constant(min_learning_rate))``
==========================  ======================================================

Each factor holds its step-0 value below step 0, so ``Shift`` by ``step_offset``
gives T5X's ``max(0, step - step_offset)``. The structure depends on the factor
string only (and on ``warmup_steps == 0`` and ``decay_factor == 0``, which T5X
handles apart): mirrors of one factor string stack into one sweep.

Differences from T5X:

- ``warmup_steps=0``: T5X divides by it. ``linear_warmup`` gives NaN at step 0
  (then 1): here 1 (``Constant(1.0)``); ``linear_decay`` gives NaN at step 0: here
  1, the limit; ``rsqrt_decay`` gives ``inf`` at step 0 as in T5X, and
  ``rsqrt_normalized_decay`` NaN at step 0 and 0 after, as in T5X.
- Unknown factor names raise ``ValueError`` here at construction; T5X raises when
  the schedule is first called.
- ``steps_per_decay <= 0`` (with ``decay_every``), ``steps_per_cycle <= 0`` (with
  ``cosine_decay``) and a negative ``decay_factor`` with ``decay_every`` raise
  ``ValueError``: T5X divides by zero or alternates the sign.
"""

from __future__ import annotations

import math
from typing import Any

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid
from jaxsched.schedules._arithmetic import Maximum, Scale
from jaxsched.schedules._combinators import Repeat, Shift
from jaxsched.schedules._join import Join
from jaxsched.schedules._power_law import PowerLaw
from jaxsched.schedules._primitives import (
    Constant,
    Cosine,
    Exponential,
    Linear,
    PiecewiseConstant,
)
from jaxsched.schedules._shapes import WarmupHoldDecay

__all__ = ["create_learning_rate_scheduler"]

#: The factor names T5X knows.
FACTORS = (
    "constant",
    "linear_warmup",
    "linear_decay",
    "rsqrt_decay",
    "rsqrt_normalized_decay",
    "decay_every",
    "cosine_decay",
)

_OWNER = "t5x.create_learning_rate_scheduler"


def _positive(field: str, value: Any, why: str) -> None:
    if not value > 0:
        raise invalid(
            _OWNER, field, value, f"> 0 with {why}", detail="T5X divides by it"
        )


def create_learning_rate_scheduler(
    factors: str = "constant * linear_warmup * rsqrt_decay",
    base_learning_rate: float = 0.5,
    warmup_steps: int = 1000,
    decay_factor: float = 0.5,
    steps_per_decay: int = 20000,
    steps_per_cycle: int = 100000,
    step_offset: int = 0,
    min_learning_rate: float = 1e-8,
) -> Schedule:
    """T5X ``create_learning_rate_scheduler``: a product of named factors.

    ``max(min_learning_rate, prod(factor(t)))`` at ``t = max(0, step -
    step_offset)``, each factor as in the module's table (``constant`` is
    ``base_learning_rate``; ``linear_decay`` carries ``base_learning_rate`` too).

    Args:
      factors: factor names separated by ``*``.
      base_learning_rate, warmup_steps, decay_factor, steps_per_decay: as in T5X.
      steps_per_cycle, step_offset, min_learning_rate: as in T5X.

    Returns:
      ``Maximum(Shift(product, step_offset), Constant(min_learning_rate))``.

    Raises:
      ValueError: an unknown factor name, or a length T5X would divide by zero.

    Example:
      >>> from jaxsched.frameworks import t5x
      >>> s = t5x.create_learning_rate_scheduler(warmup_steps=100)
      >>> print(" ".join(f"{float(s(t)):.4f}" for t in (0, 50, 100, 400)))
      0.0000 0.0250 0.0500 0.0250
    """
    names = [n.strip() for n in factors.split("*")]
    w = warmup_steps
    scale = 1.0
    scaled = False
    parts: list[Schedule] = []
    for name in names:
        if name == "constant":
            scale, scaled = scale * base_learning_rate, True
        elif name == "linear_warmup":
            parts.append(Linear(0.0, 1.0, w) if w else Constant(1.0))
        elif name == "linear_decay":
            scale, scaled = scale * base_learning_rate, True
            parts.append(
                WarmupHoldDecay(
                    Constant(1.0),
                    warmup=w,
                    hold=0,
                    decay=1,
                    end_value=1.0 - decay_factor,
                    after_end="extrapolate",
                )
            )
        elif name == "rsqrt_decay":
            parts.append(PowerLaw(1.0, -0.5, offset=0.0, min_step=w))
        elif name == "rsqrt_normalized_decay":
            parts.append(PowerLaw(math.sqrt(w), -0.5, offset=0.0, min_step=w))
        elif name == "decay_every":
            _positive("steps_per_decay", steps_per_decay, "decay_every")
            if decay_factor < 0:
                raise invalid(
                    _OWNER,
                    "decay_factor",
                    decay_factor,
                    ">= 0 with decay_every",
                    detail="T5X alternates the sign",
                )
            if decay_factor == 0:
                parts.append(PiecewiseConstant([steps_per_decay], [1.0, 0.0]))
            else:
                parts.append(
                    Exponential(1.0, steps_per_decay, decay_factor, staircase=True)
                )
        elif name == "cosine_decay":
            _positive("steps_per_cycle", steps_per_cycle, "cosine_decay")
            period = steps_per_cycle
            cycle = Repeat(Cosine(1.0, period), period)
            parts.append(Join([Constant(1.0), cycle], [w]))
        else:
            raise invalid(
                _OWNER,
                "factors",
                factors,
                f"names among {', '.join(FACTORS)}",
                detail=f"unknown factor {name!r}",
            )
    if parts:
        product = parts[0]
        for part in parts[1:]:
            product = product * part
        if scaled:
            product = Scale(product, scale)
    else:
        product = Constant(scale)
    return Maximum(Shift(product, step_offset), Constant(min_learning_rate))
