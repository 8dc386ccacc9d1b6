"""optax's schedule factories, with optax's signatures and values, returning pytrees.

Replace ``optax.`` with ``jaxsched.``: ``jaxsched.warmup_cosine_decay_schedule(0.0,
1e-3, 100, 1000)`` gives optax's values at every step ``>= 0``, and the result is a
jaxsched schedule (a pytree: jit it, stack and vmap it over a sweep, differentiate
it, save it as JSON). Where optax decides in Python from a value, these decide with
``jnp.where``, so ``decay_rate``, step counts and boundaries can vary within a sweep.

Differences from optax (all deliberate):

- ``constant_schedule(5)(0)`` is a float32 array, not the Python ``5``.
- ``exponential_decay``: a negative ``decay_rate`` raises (optax returns NaN for
  fractional exponents). ``end_value=None`` becomes ``bounded=False`` in the config.
- ``join_schedules`` (and the joined factories) check that there is one boundary
  fewer than schedules and that the boundaries are ``>= 0`` and strictly increasing;
  optax silently ignores extra schedules or boundaries, and joins in the given order.
  Hence ``warmup_steps < 0`` and an empty ``sgdr_schedule`` raise.
- ``piecewise_interpolate_schedule`` (and the onecycle schedules) hold the initial
  value for negative steps, where optax returns 0.0; negative boundaries raise.
- ``cosine_onecycle_schedule``'s error message says "cosine onecycle" (optax 0.2.8
  says "linear onecycle"; later optax fixes it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxsched.core._fields import Numeric
from jaxsched.core._schedule import Schedule
from jaxsched.core._serialization import note_factories
from jaxsched.core._validation import concrete
from jaxsched.schedules._join import Join
from jaxsched.schedules._primitives import (
    Constant,
    Cosine,
    Exponential,
    Linear,
    PiecewiseConstant,
    PiecewiseInterpolate,
    Polynomial,
)

__all__ = [
    "constant_schedule",
    "cosine_decay_schedule",
    "cosine_onecycle_schedule",
    "exponential_decay",
    "join_schedules",
    "linear_onecycle_schedule",
    "linear_schedule",
    "piecewise_constant_schedule",
    "piecewise_interpolate_schedule",
    "polynomial_schedule",
    "sgdr_schedule",
    "warmup_constant_schedule",
    "warmup_cosine_decay_schedule",
    "warmup_exponential_decay_schedule",
]


def constant_schedule(value: Numeric) -> Constant:
    """``value`` at every step, as ``optax.constant_schedule``.

    Args:
      value: the value.

    Returns:
      A :class:`jaxsched.Constant`. Unlike optax, which returns ``value`` itself,
      it returns an array (float32 for Python numbers).

    Example:
      >>> import jaxsched
      >>> print(f"{float(jaxsched.constant_schedule(5)(100)):.1f}")
      5.0
    """
    return Constant(value)


def polynomial_schedule(
    init_value: Numeric,
    end_value: Numeric,
    power: Numeric,
    transition_steps: Numeric,
    transition_begin: Numeric = 0,
) -> Polynomial:
    """A polynomial transition, as ``optax.polynomial_schedule``.

    ``(init_value - end_value) * (1 - c / transition_steps) ** power + end_value``,
    ``c = clip(step - transition_begin, 0, transition_steps)``. As in optax,
    ``transition_steps <= 0`` holds ``init_value`` and a negative
    ``transition_begin`` counts as 0 (decided traced, so both can be swept).

    Returns:
      A :class:`jaxsched.Polynomial`.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.polynomial_schedule(1.0, 0.01, power=2, transition_steps=100)
      >>> print(f"{float(s(0)):.4f} {float(s(50)):.4f} {float(s(100)):.4f}")
      1.0000 0.2575 0.0100
    """
    return Polynomial(init_value, end_value, power, transition_steps, transition_begin)


def linear_schedule(
    init_value: Numeric,
    end_value: Numeric,
    transition_steps: Numeric,
    transition_begin: Numeric = 0,
) -> Linear:
    """A linear ramp, as ``optax.linear_schedule``.

    ``polynomial_schedule`` with ``power=1``, with the same edge cases.

    Returns:
      A :class:`jaxsched.Linear`.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.linear_schedule(1.0, 0.0, transition_steps=10)
      >>> print(f"{float(s(0)):.2f} {float(s(4)):.2f} {float(s(20)):.2f}")
      1.00 0.60 0.00
    """
    return Linear(init_value, end_value, transition_steps, transition_begin)


def exponential_decay(
    init_value: Numeric,
    transition_steps: Numeric,
    decay_rate: Numeric,
    transition_begin: Numeric = 0,
    staircase: bool = False,
    end_value: Numeric | None = None,
) -> Exponential:
    """Exponential decay, as ``optax.exponential_decay``.

    ``init_value * decay_rate ** ((step - transition_begin) / transition_steps)``
    after ``transition_begin`` (floored exponent when ``staircase``, exact for
    integer steps), ``init_value`` before. ``end_value`` is a floor when
    ``decay_rate < 1`` and a ceiling otherwise. As in optax, ``transition_steps <=
    0`` or ``decay_rate == 0`` hold ``init_value``; unlike optax, all of this is
    decided traced, so ``decay_rate`` and the step counts can be swept.

    Returns:
      A :class:`jaxsched.Exponential` (``end_value=None`` is ``bounded=False``).

    Raises:
      ValueError: ``decay_rate < 0`` (optax returns NaN for fractional exponents).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.exponential_decay(1.0, 10, 0.5, staircase=True)
      >>> print(f"{float(s(9)):.2f} {float(s(10)):.2f} {float(s(25)):.2f}")
      1.00 0.50 0.25
    """
    bounded = end_value is not None
    return Exponential(
        init_value,
        transition_steps,
        decay_rate,
        transition_begin,
        staircase,
        end_value if bounded else 0.0,
        bounded,
    )


def cosine_decay_schedule(
    init_value: Numeric,
    decay_steps: Numeric,
    alpha: Numeric = 0.0,
    exponent: Numeric = 1.0,
) -> Cosine:
    """Cosine decay, as ``optax.cosine_decay_schedule``.

    ``init_value * ((1 - alpha) * f ** exponent + alpha)`` with ``f = (1 + cos(pi *
    min(step, decay_steps) / decay_steps)) / 2``.

    Returns:
      A :class:`jaxsched.Cosine`.

    Raises:
      ValueError: ``decay_steps <= 0`` (optax's message).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.cosine_decay_schedule(1.0, decay_steps=100, alpha=0.1)
      >>> print(f"{float(s(0)):.2f} {float(s(50)):.2f} {float(s(200)):.2f}")
      1.00 0.55 0.10
    """
    steps = concrete(decay_steps)
    if steps is not None and not bool(np.all(steps > 0)):
        raise ValueError(
            f"The cosine_decay_schedule requires positive decay_steps, got "
            f"{decay_steps=}."
        )
    return Cosine(init_value, decay_steps, alpha, exponent)


def _sorted_items(
    name: str, boundaries_and_scales: dict[Any, Any] | None
) -> tuple[list[Any], list[Any]]:
    """Boundaries and scales sorted by boundary; scales must be >= 0 (as optax)."""
    if not boundaries_and_scales:
        return [], []
    boundaries, scales = zip(*sorted(boundaries_and_scales.items()), strict=True)
    if not all(scale >= 0.0 for scale in scales):
        raise ValueError(f"`{name}` expects non-negative scale factors")
    return list(boundaries), list(scales)


def _cumulative(init_value: Any, scales: Sequence[Any]) -> Any:
    """``init_value * cumprod([1, *scales])``, in the dtype of a float init value."""
    init = concrete(init_value)
    if init is None:  # a tracer: stay in jnp
        factors = jnp.cumprod(jnp.asarray([1.0, *scales]))
        return jnp.asarray(init_value) * factors.astype(jnp.result_type(init_value))
    factors = np.cumprod(np.asarray([1.0, *scales], dtype=np.float64))
    values = init.astype(np.float64) * factors
    floating = np.issubdtype(init.dtype, np.floating) or init.dtype.name == "bfloat16"
    return values.astype(init.dtype) if floating else values


def piecewise_constant_schedule(
    init_value: Numeric,
    boundaries_and_scales: dict[Any, Any] | None = None,
) -> PiecewiseConstant:
    """Cumulative scales at boundaries, as ``optax.piecewise_constant_schedule``.

    ``init_value`` times the product of every scale whose boundary is ``<= step``.
    The scales become absolute values (``init_value * cumprod(scales)``) of a
    :class:`jaxsched.PiecewiseConstant`.

    Returns:
      A :class:`jaxsched.PiecewiseConstant`.

    Raises:
      ValueError: a negative scale (optax's message).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.piecewise_constant_schedule(1.0, {100: 0.1, 200: 0.1})
      >>> print(f"{float(s(99)):.3f} {float(s(100)):.3f} {float(s(250)):.3f}")
      1.000 0.100 0.010
    """
    boundaries, scales = _sorted_items(
        "piecewise_constant_schedule", boundaries_and_scales
    )
    return PiecewiseConstant(boundaries, _cumulative(init_value, scales))


def piecewise_interpolate_schedule(
    interpolate_type: str,
    init_value: Numeric,
    boundaries_and_scales: dict[Any, Any] | None = None,
) -> PiecewiseInterpolate:
    """Interpolated cumulative scales, as ``optax.piecewise_interpolate_schedule``.

    Knots at ``(0, *sorted boundaries)`` with values ``init_value * cumprod(scales)``,
    interpolated linearly or with a half cosine; the last value from the last
    boundary on. Unlike optax (0.0), negative steps give ``init_value``.

    Returns:
      A :class:`jaxsched.PiecewiseInterpolate`.

    Raises:
      ValueError: an unknown ``interpolate_type`` or a negative scale (optax's
        messages), or a negative boundary.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.piecewise_interpolate_schedule("linear", 1.0, {4: 0.1, 8: 0.01})
      >>> print(f"{float(s(2)):.4f} {float(s(6)):.4f} {float(s(10)):.4f}")
      0.5500 0.0505 0.0010
    """
    if interpolate_type not in ("linear", "cosine"):
        raise ValueError("`interpolate_type` must be either 'cosine' or 'linear'")
    boundaries, scales = _sorted_items(
        "piecewise_interpolate_schedule", boundaries_and_scales
    )
    return PiecewiseInterpolate(
        [0, *boundaries], _cumulative(init_value, scales), interpolate_type
    )


def linear_onecycle_schedule(
    transition_steps: int,
    peak_value: Numeric,
    pct_start: float = 0.3,
    pct_final: float = 0.85,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> PiecewiseInterpolate:
    """Three linear phases, as ``optax.linear_onecycle_schedule``.

    Knots ``0 -> peak / div``, ``int(pct_start * T) -> peak``, ``int(pct_final * T)
    -> peak / div``, ``T -> peak / (div * final_div)``, and constant after. As in
    optax, knots that fall on the same step collide silently and the later scale
    wins (e.g. ``pct_final=1.0`` ends at ``peak / final_div``); such schedules have
    fewer knots, so they cannot be stacked with ones that have all four.

    Returns:
      A :class:`jaxsched.PiecewiseInterpolate`.

    Raises:
      ValueError: ``transition_steps <= 0`` (optax's message).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.linear_onecycle_schedule(100, 1.0, div_factor=10.0)
      >>> print(f"{float(s(0)):.2f} {float(s(30)):.2f} {float(s(85)):.2f}")
      0.10 1.00 0.10
    """
    return _onecycle(
        "linear",
        transition_steps,
        peak_value / div_factor,
        {
            int(pct_start * transition_steps): div_factor,
            int(pct_final * transition_steps): 1.0 / div_factor,
            transition_steps: 1.0 / final_div_factor,
        },
    )


def cosine_onecycle_schedule(
    transition_steps: int,
    peak_value: Numeric,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> PiecewiseInterpolate:
    """Cosine up then down, as ``optax.cosine_onecycle_schedule``.

    Knots ``0 -> peak / div``, ``int(pct_start * T) -> peak``, ``T -> peak / (div *
    final_div)``, joined by half cosines, constant after. Colliding knots behave as
    in optax (see :func:`linear_onecycle_schedule`).

    Returns:
      A :class:`jaxsched.PiecewiseInterpolate`.

    Raises:
      ValueError: ``transition_steps <= 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.cosine_onecycle_schedule(5, 1000.0, 0.4, 10.0, 100.0)
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in range(6)))
      100.00 550.00 1000.00 750.25 250.75 1.00
    """
    return _onecycle(
        "cosine",
        transition_steps,
        peak_value / div_factor,
        {
            int(pct_start * transition_steps): div_factor,
            int(transition_steps): 1.0 / (div_factor * final_div_factor),
        },
    )


def _onecycle(
    kind: str, transition_steps: int, start: Any, scales: dict[Any, Any]
) -> PiecewiseInterpolate:
    """optax's ``{kind}_onecycle_schedule``: its check of ``transition_steps`` (and
    message), then the ``kind`` interpolation from ``start`` with ``scales``."""
    if transition_steps <= 0:
        raise ValueError(
            f"A {kind} onecycle schedule was set with a non-positive `transition_steps`"
        )
    return piecewise_interpolate_schedule(kind, start, scales)


def warmup_constant_schedule(
    init_value: Numeric, peak_value: Numeric, warmup_steps: Numeric
) -> Linear:
    """A linear warmup then constant, as ``optax.warmup_constant_schedule``.

    ``linear_schedule(init_value, peak_value, warmup_steps)``; as in optax,
    ``warmup_steps <= 0`` holds ``init_value`` forever (never ``peak_value``).

    Returns:
      A :class:`jaxsched.Linear`.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.warmup_constant_schedule(0.0, 1.0, 10)
      >>> print(f"{float(s(5)):.2f} {float(s(50)):.2f}")
      0.50 1.00
    """
    return Linear(init_value, peak_value, warmup_steps)


def _ratio(end_value: Any, peak_value: Any) -> Any:
    """``0 if peak_value == 0 else end_value / peak_value``, traced when needed."""
    plain = (int, float)
    if isinstance(end_value, plain) and isinstance(peak_value, plain):
        return 0.0 if peak_value == 0 else end_value / peak_value
    peak = jnp.asarray(peak_value)
    zero = peak == 0
    return jnp.where(zero, 0, jnp.asarray(end_value) / jnp.where(zero, 1, peak))


def warmup_cosine_decay_schedule(
    init_value: Numeric,
    peak_value: Numeric,
    warmup_steps: Numeric,
    decay_steps: Numeric,
    end_value: Numeric = 0.0,
    exponent: Numeric = 1.0,
) -> Join:
    """A linear warmup then cosine decay, as ``optax.warmup_cosine_decay_schedule``.

    ``init_value -> peak_value`` over ``warmup_steps``, then a cosine from
    ``peak_value`` to ``end_value`` over ``decay_steps - warmup_steps`` (so
    ``decay_steps`` includes the warmup), ``end_value`` after. As in optax, a zero
    ``peak_value`` ignores ``end_value`` (alpha = 0); the test is traced.

    Returns:
      A :class:`jaxsched.Join` of a :class:`jaxsched.Linear` and a
      :class:`jaxsched.Cosine`.

    Raises:
      ValueError: ``decay_steps <= warmup_steps`` (optax's message) or
        ``warmup_steps < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.warmup_cosine_decay_schedule(0.0, 1.0, 10, 110, end_value=0.1)
      >>> print(f"{float(s(5)):.2f} {float(s(10)):.2f} {float(s(60)):.2f}")
      0.50 1.00 0.55
    """
    alpha = _ratio(end_value, peak_value)
    schedules = [
        Linear(init_value, peak_value, warmup_steps),
        cosine_decay_schedule(peak_value, decay_steps - warmup_steps, alpha, exponent),
    ]
    return join_schedules(schedules, [warmup_steps])


def warmup_exponential_decay_schedule(
    init_value: Numeric,
    peak_value: Numeric,
    warmup_steps: Numeric,
    transition_steps: Numeric,
    decay_rate: Numeric,
    transition_begin: Numeric = 0,
    staircase: bool = False,
    end_value: Numeric | None = None,
) -> Join:
    """A linear warmup then exponential decay, as optax's namesake.

    ``init_value -> peak_value`` over ``warmup_steps``, then
    ``exponential_decay(peak_value, ...)`` on the step counted from the end of the
    warmup (so ``transition_begin`` is counted after the warmup).

    Returns:
      A :class:`jaxsched.Join` of a :class:`jaxsched.Linear` and a
      :class:`jaxsched.Exponential`.

    Raises:
      ValueError: ``warmup_steps < 0`` or ``decay_rate < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.warmup_exponential_decay_schedule(0.0, 1.0, 10, 10, 0.5)
      >>> print(f"{float(s(5)):.2f} {float(s(10)):.2f} {float(s(30)):.2f}")
      0.50 1.00 0.25
    """
    schedules = [
        Linear(init_value, peak_value, warmup_steps),
        exponential_decay(
            peak_value,
            transition_steps,
            decay_rate,
            transition_begin,
            staircase,
            end_value,
        ),
    ]
    return join_schedules(schedules, [warmup_steps])


def sgdr_schedule(cosine_kwargs: Iterable[dict[str, Any]]) -> Join:
    """Cosine cycles with warm restarts, as ``optax.sgdr_schedule``.

    Each dict holds the arguments of :func:`warmup_cosine_decay_schedule`; a cycle
    lasts its ``decay_steps`` (warmup included), and the last cycle's ``end_value``
    holds after it.

    Returns:
      A :class:`jaxsched.Join` of one :class:`jaxsched.Join` per cycle.

    Raises:
      ValueError: no cycle (optax fails only when called), or an invalid cycle.

    Example:
      >>> import jaxsched
      >>> cycle = dict(init_value=0.0, peak_value=1.0, warmup_steps=5, decay_steps=20)
      >>> s = jaxsched.sgdr_schedule([cycle, cycle])
      >>> print(f"{float(s(5)):.2f} {float(s(20)):.2f} {float(s(25)):.2f}")
      1.00 0.00 1.00
    """
    schedules: list[Schedule] = []
    boundaries: list[Any] = []
    step: Any = 0
    for kwargs in cosine_kwargs:
        schedules.append(warmup_cosine_decay_schedule(**kwargs))
        step = step + kwargs["decay_steps"]
        boundaries.append(step)
    if not schedules:
        raise ValueError("sgdr_schedule: expected at least one cycle. Received: []")
    return join_schedules(schedules, boundaries[:-1])


def join_schedules(
    schedules: Sequence[Schedule], boundaries: Sequence[Numeric]
) -> Join:
    """Schedules one after another, as ``optax.join_schedules``.

    ``schedules[i]`` runs from ``boundaries[i - 1]`` on, seeing ``step -
    boundaries[i - 1]``. Unlike optax, which silently ignores extra schedules or
    boundaries, there must be exactly one boundary fewer than schedules, and the
    boundaries must be ``>= 0`` and strictly increasing.

    Returns:
      A :class:`jaxsched.Join`.

    Raises:
      ValueError: a length mismatch, or negative or non-increasing boundaries.
      TypeError: a part that is not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> c = jaxsched.constant_schedule
      >>> s = jaxsched.join_schedules([c(1.0), c(2.0), c(1.0)], [3, 6])
      >>> print(" ".join(f"{float(s(t)):.0f}" for t in range(8)))
      1 1 1 2 2 2 1 1
    """
    schedules = tuple(schedules)
    boundaries = list(boundaries)
    if len(schedules) != len(boundaries) + 1:
        raise ValueError(
            "join_schedules: expected one boundary fewer than schedules. Received: "
            f"{len(schedules)} schedules and {len(boundaries)} boundaries"
        )
    return Join(schedules, boundaries)


note_factories(*(globals()[name] for name in __all__))
