"""PyTorch-named schedules (``torch.optim.lr_scheduler``) as pure functions of a step.

PyTorch's schedulers are stateful objects that rescale an optimizer's learning rate
in place. The classes here are their closed forms: each takes the learning rate that
PyTorch reads from the optimizer (``learning_rate``, the group's ``initial_lr``) as a
leaf where PyTorch takes the optimizer, and ``schedule(step)`` returns the absolute
learning rate PyTorch would set after ``step`` calls of ``scheduler.step()``
(``step = last_epoch``; step 0 is the value at construction). Momentum cycling
(``CyclicLR``/``OneCycleLR``) is not part of a learning-rate schedule and is left out.

PyTorch never sees a negative step; here a step below 0 gives the step-0 value.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numbers, Numeric, leaf, static
from jaxsched.core._math import (
    compute_dtype,
    is_integer,
    leaves_in,
    power_by_log,
    safe_div,
    value_dtype,
)
from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import (
    NON_DECREASING,
    NON_NEGATIVE,
    OPEN_CLOSED_UNIT,
    POSITIVE,
    UNIT_INTERVAL,
    Check,
    invalid,
)
from jaxsched.schedules._join import align_step
from jaxsched.schedules._phases import (
    aligned_counts,
    clipped_divmod,
    cosine_between,
    start_at_zero,
)

__all__ = [
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "PolynomialLR",
    "StepLR",
]

POSITIVE_INTEGER = Check("a positive integer", lambda a: (a > 0) & (np.floor(a) == a))
INTEGER_AT_LEAST_ONE = Check("an integer >= 1", lambda a: (a >= 1) & (np.floor(a) == a))

#: Cycles tabulated by CosineAnnealingWarmRestarts for T_mult > 1 (2**128 steps).
_MAX_RESTARTS = 128


# ------------------------------------------------------------- step decay family


class StepLR(Schedule):
    """Step decay, as ``torch.optim.lr_scheduler.StepLR``.

    ``learning_rate * gamma ** floor(step / step_size)``: the rate drops by ``gamma``
    at every multiple of ``step_size`` (PyTorch switches *at* the multiple). The count
    is computed with integer arithmetic for integer steps (exact beyond 2**24). Equals
    ``ExponentialDecay(learning_rate, step_size, gamma, staircase=True)`` for
    ``step >= 0``; a step below 0 gives ``learning_rate``.

    A non-integer ``step_size`` follows PyTorch's closed form (a drop at each
    ``floor(step / step_size)`` change); PyTorch's normal stepping instead decays only
    where ``last_epoch % step_size == 0``, i.e. at multiples of ``step_size`` that are
    whole steps (for 2.5: at 5, 10, ..., so half as many drops).

    float32 limit (measured): ``gamma`` itself is rounded to float32
    (``float32(0.999)`` is off by 1.3e-8 relative), and ``gamma ** k`` multiplies that
    by ``k``: ``StepLR(1.0, 1000, 0.999)`` at step 997000 (k = 997) is off by 1.29e-5
    relative (0.3688055 for 0.3688007). Pass float64 leaves under x64 to avoid it.

    Args:
      learning_rate: the optimizer's learning rate, the value at step 0 (leaf).
      step_size: steps per decay; must be > 0 (leaf).
      gamma: the factor per ``step_size`` steps; must be >= 0 (leaf).

    Raises:
      ValueError: ``step_size <= 0`` or ``gamma < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.StepLR(0.1, step_size=10, gamma=0.5)
      >>> print(f"{float(s(9)):.4f} {float(s(10)):.4f} {float(s(25)):.4f}")
      0.1000 0.0500 0.0250
    """

    learning_rate: Numeric = leaf()
    step_size: Numeric = leaf(check=POSITIVE, count=True)
    gamma: Numeric = leaf(default=0.1, check=NON_NEGATIVE)

    def key_steps(self) -> list[float]:
        return ks.stairs(self.step_size)

    def __call__(self, step: Any) -> jax.Array:
        step = start_at_zero(step)
        dtype, ct, lr, gamma = leaves_in(self.learning_rate, self.gamma)
        count, _ = clipped_divmod(step, self.step_size, ct)
        return (lr * power_by_log(gamma, count, ct)).astype(dtype)


def _count_reached(milestones: Any, step: jax.Array, ct: Any) -> jax.Array:
    """How many (sorted) milestones are ``<= step``, with repeats counted."""
    m = jnp.asarray(milestones)
    if is_integer(step) and jnp.issubdtype(m.dtype, jnp.integer):
        wide = jax.dtypes.canonicalize_dtype(np.promote_types(step.dtype, m.dtype))
        return jnp.searchsorted(m.astype(wide), step.astype(wide), side="right")
    return jnp.searchsorted(m.astype(ct), step.astype(ct), side="right")


class MultiStepLR(Schedule):
    """Multi-step decay, as ``torch.optim.lr_scheduler.MultiStepLR``.

    ``learning_rate * gamma ** count``, where ``count`` is the number of milestones
    ``<= step`` (PyTorch's ``bisect_right``): the rate drops *at* each milestone, and
    a milestone listed ``k`` times applies ``gamma ** k``. Integer steps are compared
    with integer milestones in integers. A step below 0 gives ``learning_rate``.

    Args:
      learning_rate: the optimizer's learning rate, the value at step 0 (leaf).
      milestones: a 1-D sequence of non-decreasing steps; repeats count (leaf).
      gamma: the factor per milestone; must be >= 0 (leaf).

    Raises:
      ValueError: ``milestones`` not 1-D or decreasing, or ``gamma < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.MultiStepLR(1.0, milestones=[3, 5, 5], gamma=0.1)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(7)))
      1 1 1 0.1 0.1 0.001 0.001
    """

    learning_rate: Numeric = leaf()
    milestones: Numbers = leaf(check=NON_DECREASING, count=True)
    gamma: Numeric = leaf(default=0.1, check=NON_NEGATIVE)

    def _check(self) -> None:
        milestones = self._concrete("milestones")
        if milestones is not None and milestones.ndim != 1:
            raise invalid(
                type(self).__name__, "milestones", milestones, "a 1-D sequence"
            )

    def key_steps(self) -> list[float]:
        return [0.0, *ks.numbers(self.milestones)]

    def __call__(self, step: Any) -> jax.Array:
        step = start_at_zero(step)
        dtype, ct, lr, gamma = leaves_in(self.learning_rate, self.gamma)
        count = _count_reached(self.milestones, step, ct).astype(ct)
        return (lr * power_by_log(gamma, count, ct)).astype(dtype)


class ConstantLR(Schedule):
    """A constant factor for a while, as ``torch.optim.lr_scheduler.ConstantLR``.

    ``learning_rate * factor`` for ``step < total_iters``, then ``learning_rate``.
    ``total_iters = 0`` gives ``learning_rate`` throughout, as PyTorch's closed form
    does; PyTorch's normal stepping gives ``factor * learning_rate`` forever there
    (it multiplies by ``factor`` at ``last_epoch = 0`` and only divides it out at
    ``last_epoch == total_iters``, which is never reached again). ``factor = 0``:
    PyTorch's stepping raises ``ZeroDivisionError`` at ``total_iters`` (it divides by
    ``factor``); here the value is ``learning_rate`` from ``total_iters`` on, as in
    its closed form. A step below 0 gives the step-0 value.

    Args:
      learning_rate: the optimizer's learning rate (leaf).
      factor: the factor before ``total_iters``; must be in [0, 1] (leaf).
      total_iters: the step at which the factor stops; must be >= 0 (leaf).

    Raises:
      ValueError: ``factor`` outside [0, 1] or ``total_iters < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ConstantLR(0.1, factor=0.5, total_iters=2)
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in range(4)))
      0.05 0.05 0.10 0.10
    """

    learning_rate: Numeric = leaf()
    factor: Numeric = leaf(default=1.0 / 3, check=UNIT_INTERVAL)
    total_iters: Numeric = leaf(default=5, check=NON_NEGATIVE, count=True)

    def key_steps(self) -> list[float]:
        return [0.0, ks.number(self.total_iters)]

    def __call__(self, step: Any) -> jax.Array:
        step = start_at_zero(step)
        dtype, ct, lr, factor = leaves_in(self.learning_rate, self.factor)
        step, total = align_step(step, self.total_iters)  # integers stay exact
        if not is_integer(step):
            step, total = step.astype(ct), total.astype(ct)
        before = step < total
        return (lr * jnp.where(before, factor, 1)).astype(dtype)


class LinearLR(Schedule):
    """A linear ramp of the factor, as ``torch.optim.lr_scheduler.LinearLR``.

    ``learning_rate * (start_factor + (end_factor - start_factor) *
    min(step, total_iters) / total_iters)``: the factor goes linearly from
    ``start_factor`` at step 0 to ``end_factor`` at ``total_iters`` and stays there.
    ``total_iters = 0`` gives ``end_factor`` from step 0: PyTorch's closed form
    raises ``ZeroDivisionError`` there, while its normal stepping (``scheduler.step()``)
    never leaves ``start_factor`` (it only changes the factor while ``last_epoch <=
    total_iters``, at ``last_epoch = 0``), so the ramp of length 0 that ends at
    ``end_factor`` is the answer here. A step below 0 gives the step-0 value.

    Args:
      learning_rate: the optimizer's learning rate (leaf).
      start_factor: the factor at step 0; must be in (0, 1] (leaf).
      end_factor: the factor from ``total_iters`` on; must be in [0, 1] (leaf).
      total_iters: the length of the ramp; must be >= 0 (leaf).

    Raises:
      ValueError: a factor out of range or ``total_iters < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.LinearLR(0.1, start_factor=0.5, end_factor=1.0, total_iters=4)
      >>> print(" ".join(f"{float(s(t)):.4f}" for t in range(6)))
      0.0500 0.0625 0.0750 0.0875 0.1000 0.1000
    """

    learning_rate: Numeric = leaf()
    start_factor: Numeric = leaf(default=1.0 / 3, check=OPEN_CLOSED_UNIT)
    end_factor: Numeric = leaf(default=1.0, check=UNIT_INTERVAL)
    total_iters: Numeric = leaf(default=5, check=NON_NEGATIVE, count=True)

    def key_steps(self) -> list[float]:
        return [0.0, ks.number(self.total_iters)]

    def __call__(self, step: Any) -> jax.Array:
        step = start_at_zero(step)
        dtype, ct, lr, start, end = leaves_in(
            self.learning_rate, self.start_factor, self.end_factor
        )
        n = jnp.asarray(self.total_iters, ct)
        t = jnp.minimum(step.astype(ct), n)
        done = jnp.where(n > 0, safe_div(t, n), 1)
        left = jnp.where(n > 0, safe_div(n - t, n), 0)  # exactly 0 at the end
        factor = jnp.where(
            done < 0.5, start + (end - start) * done, end + (start - end) * left
        )
        return (lr * factor).astype(dtype)


class ExponentialLR(Schedule):
    """Exponential decay per step, as ``torch.optim.lr_scheduler.ExponentialLR``.

    ``learning_rate * gamma ** step``: PyTorch multiplies the rate by ``gamma`` at
    every ``scheduler.step()``; this is its closed form (a float step gives the
    continuous power). Equals ``ExponentialDecay(learning_rate, 1, gamma)`` for
    ``step >= 0``; a step below 0 gives ``learning_rate``. To decay once per epoch
    as PyTorch code usually steps it, wrap it in :class:`jaxsched.PerEpoch`.

    float32 limit: ``gamma`` is rounded to float32 and ``gamma ** step`` multiplies
    its relative error by ``step`` (``float32(0.999)`` is off by 1.3e-8, so the value
    at step 1000 is off by 1.29e-5 relative, measured); use float64 leaves under x64
    for long exact decays.

    Args:
      learning_rate: the optimizer's learning rate, the value at step 0 (leaf).
      gamma: the factor per step; must be >= 0 (leaf).

    Raises:
      ValueError: ``gamma < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.ExponentialLR(0.1, gamma=0.5)
      >>> print(" ".join(f"{float(s(t)):.4f}" for t in range(4)))
      0.1000 0.0500 0.0250 0.0125
    """

    learning_rate: Numeric = leaf()
    gamma: Numeric = leaf(check=NON_NEGATIVE)

    def key_steps(self) -> list[float]:
        return [0.0]

    def __call__(self, step: Any) -> jax.Array:
        step = start_at_zero(step)
        dtype, ct, lr, gamma = leaves_in(self.learning_rate, self.gamma)
        return (lr * power_by_log(gamma, step.astype(ct), ct)).astype(dtype)


class PolynomialLR(Schedule):
    """Polynomial decay to 0, as ``torch.optim.lr_scheduler.PolynomialLR``.

    ``learning_rate * ((total_iters - min(step, total_iters)) / total_iters) **
    power``: from ``learning_rate`` at step 0 to exactly 0 at ``total_iters``, and 0
    after. What is left of the decay is computed as ``(total_iters - step) /
    total_iters`` (in integers for an integer step and ``total_iters``), not as ``1 -
    step / total_iters``, so the end value is exactly 0 also under ``jit`` and for
    ``power < 1``. ``total_iters = 0`` (a ``ZeroDivisionError`` in PyTorch) means
    the decay is already over: 0 from step 0 (``learning_rate`` when ``power ==
    0``). A step below 0 gives ``learning_rate``.

    Args:
      learning_rate: the optimizer's learning rate, the value at step 0 (leaf).
      total_iters: the length of the decay; must be >= 0 (leaf).
      power: the exponent; must be >= 0 (leaf).

    Raises:
      ValueError: ``total_iters < 0`` or ``power < 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.PolynomialLR(0.1, total_iters=4, power=2.0)
      >>> print(" ".join(f"{float(s(t)):.5f}" for t in range(6)))
      0.10000 0.05625 0.02500 0.00625 0.00000 0.00000
    """

    learning_rate: Numeric = leaf()
    total_iters: Numeric = leaf(default=5, check=NON_NEGATIVE, count=True)
    power: Numeric = leaf(default=1.0, check=NON_NEGATIVE)

    def key_steps(self) -> list[float]:
        return [0.0, ks.number(self.total_iters)]

    def __call__(self, step: Any) -> jax.Array:
        dtype = value_dtype(self.learning_rate, self.power)
        ct = compute_dtype(dtype)
        t, n = aligned_counts(step, ct, self.total_iters)
        left = (n - jnp.minimum(t, n)).astype(ct)
        remaining = safe_div(left, n.astype(ct))
        lr = jnp.asarray(self.learning_rate, ct)
        power = jnp.asarray(self.power, ct)
        return (lr * power_by_log(remaining, power, ct)).astype(dtype)


# ------------------------------------------------------------------ cyclic family


class CyclicLR(Schedule):
    """Cyclical learning rate, as ``torch.optim.lr_scheduler.CyclicLR``.

    With ``L = step_size_up + step_size_down``, ``cycle = 1 + floor(step / L)`` and
    ``r = step mod L``, the height is ``r / step_size_up`` while ``r <=
    step_size_up`` and ``(L - r) / step_size_down`` after, and
    ``lr = base_lr + (max_lr - base_lr) * height * scale``, with ``scale = 1``
    (``"triangular"``), ``1 / 2 ** (cycle - 1)`` (``"triangular2"``) or
    ``gamma ** step`` (``"exp_range"``, PyTorch's ``scale_mode="iterations"``). The
    cycle count and position are integer-exact for integer steps and whole step
    sizes. With ``gamma > 1``, ``"exp_range"`` grows without bound: from the step
    where ``gamma ** step`` overflows the float dtype (float32: about ``88.7 /
    log(gamma)``) the value is ``inf`` (``-inf`` if ``max_lr < base_lr``) at every
    step, integer or float, jit or not. Like PyTorch, the optimizer's own learning
    rate is ignored (there is no ``learning_rate`` argument). Custom ``scale_fn``
    and momentum cycling are not provided: multiply schedules instead. A step below
    0 gives ``base_lr``.

    float32 limit of ``"exp_range"``: ``gamma`` is rounded to float32 and ``gamma **
    step`` multiplies its relative error by ``step`` (``float32(0.99999)`` is off by
    1.36e-8 relative, so ``gamma ** 210000`` is off by 2.8e-3 relative, measured);
    use float64 leaves under x64 for long runs with ``gamma`` near 1.

    Args:
      base_lr: the lower boundary of the cycle (leaf).
      max_lr: the upper boundary (leaf).
      step_size_up: steps from ``base_lr`` to ``max_lr``; must be > 0 (leaf).
      step_size_down: steps back down; ``None`` means ``step_size_up`` (resolved at
        construction); must be >= 0 (leaf).
      mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"`` (static).
      gamma: the per-step factor of ``"exp_range"``; must be >= 0 (leaf).

    Raises:
      ValueError: a step size out of range, an unknown ``mode``, or ``gamma < 0``.
      TypeError: a non-string ``mode``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.CyclicLR(1.0, 5.0, step_size_up=2, mode="triangular2")
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(9)))
      1 3 5 3 1 2 3 2 1
    """

    base_lr: Numeric = leaf()
    max_lr: Numeric = leaf()
    step_size_up: Numeric = leaf(default=2000, check=POSITIVE, count=True)
    step_size_down: Numeric | None = leaf(default=None, check=NON_NEGATIVE, count=True)
    mode: str = static(
        default="triangular",
        type=str,
        choices=("triangular", "triangular2", "exp_range"),
    )
    gamma: Numeric = leaf(default=1.0, check=NON_NEGATIVE)

    def __post_init__(self) -> None:
        if self.step_size_down is None:  # PyTorch: step_size_down=None means up
            object.__setattr__(self, "step_size_down", self.step_size_up)
        super().__post_init__()

    def key_steps(self) -> list[float]:
        up = ks.number(self.step_size_up)
        down = up if self.step_size_down is None else ks.number(self.step_size_down)
        out = []
        for k in range(ks.CYCLES):
            out += [k * (up + down), k * (up + down) + up]
        return [*out, ks.CYCLES * (up + down)]

    def __call__(self, step: Any) -> jax.Array:
        step = start_at_zero(step)
        dtype = value_dtype(self.base_lr, self.max_lr, self.gamma)
        ct = compute_dtype(dtype)
        base = jnp.asarray(self.base_lr, ct)
        peak = jnp.asarray(self.max_lr, ct)
        up_count = jnp.asarray(self.step_size_up)
        down_count = jnp.asarray(self.step_size_down)
        if is_integer(up_count) and is_integer(down_count):
            wide = np.promote_types(up_count.dtype, down_count.dtype)
            wide = jax.dtypes.canonicalize_dtype(wide)
            total = up_count.astype(wide) + down_count.astype(wide)
        else:
            total = up_count.astype(ct) + down_count.astype(ct)
        up = up_count.astype(ct)
        down = down_count.astype(ct)
        cycles, r = clipped_divmod(step, total, ct)
        height = jnp.where(
            r <= up, safe_div(r, up), safe_div(total.astype(ct) - r, down)
        )
        amplitude = (peak - base) * height
        if self.mode == "triangular2":
            amplitude = amplitude * jnp.exp2(-cycles)
        elif self.mode == "exp_range":
            gamma = jnp.asarray(self.gamma, ct)
            scale = power_by_log(gamma, step.astype(ct), ct)
            # Once gamma ** step overflows, +-inf at every step, the cycle's low
            # points too (not 0 * inf = nan): jit and eager agree.
            amplitude = jnp.where(jnp.isinf(scale), peak - base, amplitude)
            amplitude = jnp.where(peak == base, 0, amplitude * scale)
        return (base + amplitude).astype(dtype)


class OneCycleLR(Schedule):
    """The 1cycle policy with PyTorch's step conventions (``OneCycleLR``).

    ``initial = max_lr / div_factor`` and ``minimum = initial / final_div_factor``.
    The phases end at ``pct_start * T - 1`` (``initial -> max_lr``) and ``T - 1``
    (``max_lr -> minimum``), or, with ``three_phase``, at ``pct_start * T - 1``
    (``initial -> max_lr``), ``2 * pct_start * T - 2`` (``max_lr -> initial``) and
    ``T - 1`` (``initial -> minimum``), where ``T = total_steps``. A step uses the
    first phase whose end is ``>= step``; within it ``pct = (step - start) / (end -
    start)`` (``start`` is the previous phase's end, 0 for the first) and the value
    is ``a + (b - a) * (1 + cos(pi * pct)) / 2``... written as PyTorch's
    ``b + (a - b) / 2 * (cos(pi * pct) + 1)`` for ``"cos"``, or ``a + (b - a) * pct``
    for ``"linear"``.

    Beyond PyTorch: steps past ``T - 1`` give the value at ``T - 1`` (``minimum``,
    or ``max_lr`` when ``pct_start = 1``); PyTorch extrapolates at ``step = T``, e.g.
    to a negative rate with ``"linear"``, and raises past it. A step below 0 gives
    the step-0 value ``initial``, and a zero-length phase (``pct_start * T = 1``, a
    ``ZeroDivisionError`` in PyTorch) gives its end value. Unlike optax's
    ``*_onecycle_schedule`` the peak is at ``pct_start * T - 1``, not
    ``int(pct_start * T)``. Momentum cycling is not provided.

    Args:
      max_lr: the peak learning rate (leaf).
      total_steps: the number of steps of the cycle ``T``; must be > 0 (leaf).
      pct_start: the fraction of the cycle spent increasing; in [0, 1] (leaf).
      anneal_strategy: ``"cos"`` or ``"linear"`` (static).
      div_factor: ``initial = max_lr / div_factor``; must be > 0 (leaf).
      final_div_factor: ``minimum = initial / final_div_factor``; must be > 0 (leaf).
      three_phase: go back down to ``initial`` before annealing to ``minimum``, as
        fast.ai does (static).

    Raises:
      ValueError: a value out of range or an unknown ``anneal_strategy``.
      TypeError: a wrongly typed static option.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.OneCycleLR(25.0, total_steps=10, anneal_strategy="linear",
      ...                         div_factor=25.0, final_div_factor=2.0)
      >>> print(" ".join(f"{float(s(t)):g}" for t in range(11)))
      1 13 25 21.5 18 14.5 11 7.5 4 0.5 0.5
    """

    max_lr: Numeric = leaf()
    total_steps: Numeric = leaf(check=POSITIVE, count=True)
    pct_start: Numeric = leaf(default=0.3, check=UNIT_INTERVAL)
    anneal_strategy: str = static(default="cos", type=str, choices=("cos", "linear"))
    div_factor: Numeric = leaf(default=25.0, check=POSITIVE)
    final_div_factor: Numeric = leaf(default=1e4, check=POSITIVE)
    three_phase: bool = static(default=False, type=bool)

    def key_steps(self) -> list[float]:
        t, pct = ks.number(self.total_steps), ks.number(self.pct_start)
        if self.three_phase:
            return [0.0, pct * t - 1, 2 * pct * t - 2, t - 1]
        return [0.0, pct * t - 1, t - 1]

    def __call__(self, step: Any) -> jax.Array:
        step = start_at_zero(step)
        dtype = value_dtype(
            self.max_lr, self.pct_start, self.div_factor, self.final_div_factor
        )
        ct = compute_dtype(dtype)
        peak = jnp.asarray(self.max_lr, ct)
        total = jnp.asarray(self.total_steps, ct)
        pct = jnp.asarray(self.pct_start, ct)
        initial = peak / jnp.asarray(self.div_factor, ct)
        minimum = initial / jnp.asarray(self.final_div_factor, ct)
        # The max (a no-op) keeps XLA from fusing the product into ``- 1`` as an
        # FMA: jit and eager then agree on a phase of length exactly 0.
        rise_steps = jnp.maximum(pct * total, 0)
        rise = rise_steps - 1
        if self.three_phase:
            phases = [
                (rise, initial, peak),
                (2 * rise_steps - 2, peak, initial),
                (total - 1, initial, minimum),
            ]
        else:
            phases = [(rise, initial, peak), (total - 1, peak, minimum)]
        t = jnp.minimum(step.astype(ct), total - 1)  # hold the value at T - 1
        start = jnp.zeros((), ct)
        values = []
        for end, a, b in phases:
            length = end - start
            fraction = jnp.where(length == 0, 1, safe_div(t - start, length))
            fraction = jnp.clip(fraction, 0, 1)
            if self.anneal_strategy == "cos":
                values.append(cosine_between(b, a, fraction))
            else:
                values.append(a * (1 - fraction) + b * fraction)  # exact ends
            start = end
        out = values[-1]
        for (end, _, _), value in zip(phases[-2::-1], values[-2::-1]):
            out = jnp.where(t <= end, value, out)
        return out.astype(dtype)


# ------------------------------------------------------------------ cosine family


class CosineAnnealingLR(Schedule):
    """Cosine annealing, as ``torch.optim.lr_scheduler.CosineAnnealingLR``.

    ``eta_min + (learning_rate - eta_min) * (1 + cos(pi * step / T_max)) / 2``.
    Like PyTorch's closed form it is *not* clamped: past ``T_max`` it rises again,
    with period ``2 * T_max`` (use ``CosineDecay`` to hold the floor). The phase
    ``step mod 2 * T_max`` is integer-exact for integer steps. A step below 0 gives
    ``learning_rate``.

    Args:
      learning_rate: the optimizer's learning rate, the value at step 0 (leaf).
      T_max: the half period; must be > 0 (leaf).
      eta_min: the value at ``T_max`` (leaf).

    Raises:
      ValueError: ``T_max <= 0``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.CosineAnnealingLR(1.0, T_max=4, eta_min=0.0)
      >>> print(" ".join(f"{float(s(t)):.4f}" for t in (0, 2, 4, 6, 8)))
      1.0000 0.5000 0.0000 0.5000 1.0000
    """

    learning_rate: Numeric = leaf()
    T_max: Numeric = leaf(check=POSITIVE, count=True)
    eta_min: Numeric = leaf(default=0.0)

    def key_steps(self) -> list[float]:
        return ks.stairs(self.T_max)

    def __call__(self, step: Any) -> jax.Array:
        step = start_at_zero(step)
        dtype, ct, lr, eta_min = leaves_in(self.learning_rate, self.eta_min)
        half = jnp.asarray(self.T_max)
        _, r = clipped_divmod(step, 2 * half, ct)
        return cosine_between(eta_min, lr, r / half.astype(ct)).astype(dtype)


class CosineAnnealingWarmRestarts(Schedule):
    """SGDR, as ``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts``.

    Cycle ``i`` lasts ``T_i = T_0 * T_mult ** i`` steps and starts at ``S_i = T_0 *
    (T_mult ** i - 1) / (T_mult - 1)`` (``i * T_0`` when ``T_mult = 1``); with
    ``T_cur = step - S_i`` in the cycle that contains ``step``, the value is
    ``eta_min + (learning_rate - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2``.
    PyTorch's closed form finds ``i`` with a floating-point logarithm; here the cycle
    is looked up in a table of exact starts (``T_mult > 1``) or by integer division
    (``T_mult = 1``), so restarts land exactly on their step as in PyTorch's
    step-by-step updates. Fractional steps are accepted, as in PyTorch; a step below
    0 (a ``ValueError`` in PyTorch) gives ``learning_rate``. ``T_0`` and ``T_mult``
    are integers, as PyTorch requires; ``T_mult`` gets no gradient.

    Args:
      learning_rate: the optimizer's learning rate, the value at each restart (leaf).
      T_0: the length of the first cycle; a positive integer (leaf).
      T_mult: the growth factor of the cycle length; an integer >= 1 (leaf).
      eta_min: the value approached at the end of each cycle (leaf).

    Raises:
      ValueError: ``T_0`` or ``T_mult`` not an integer in range.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.CosineAnnealingWarmRestarts(1.0, T_0=2, T_mult=2)
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in range(8)))
      1.00 0.50 1.00 0.85 0.50 0.15 1.00 0.96
    """

    learning_rate: Numeric = leaf()
    T_0: Numeric = leaf(check=POSITIVE_INTEGER, count=True)
    T_mult: Numeric = leaf(default=1, check=INTEGER_AT_LEAST_ONE, count=True)
    eta_min: Numeric = leaf(default=0.0)

    def key_steps(self) -> list[float]:
        return ks.geometric_starts(self.T_0, self.T_mult)

    def __call__(self, step: Any) -> jax.Array:
        step = start_at_zero(step)
        dtype, ct, lr, eta_min = leaves_in(self.learning_rate, self.eta_min)
        first = jnp.asarray(self.T_0)
        first_ct = first.astype(ct)
        mult = jax.lax.stop_gradient(jnp.asarray(self.T_mult, ct))
        t = step.astype(ct)
        # T_mult == 1: equal cycles, by (integer-exact) division.
        _, equal_pos = clipped_divmod(step, first, ct)
        # T_mult > 1: cycle i starts at T_0 * (1 + m + ... + m**(i-1)); a table of
        # these sums (exact integers in floating point while they fit), located
        # with searchsorted and refined against the exact products.
        big = jnp.finfo(ct).max
        grow = jnp.where(mult > 1, mult, 2)
        powers = jnp.cumprod(jnp.full((_MAX_RESTARTS,), grow).at[0].set(1))
        powers = jnp.minimum(powers, big)
        ends = jnp.minimum(jnp.cumsum(powers), big)
        unit_starts = jnp.concatenate([jnp.zeros((1,), ct), ends[:-1]])
        last = _MAX_RESTARTS - 1
        index = jnp.searchsorted(unit_starts, t / first_ct, side="right") - 1
        index = jnp.clip(index, 0, last)
        index = index - (t < first_ct * unit_starts[index]).astype(index.dtype)
        index = jnp.clip(index, 0, last)
        later = (index < last) & (t >= first_ct * ends[index])
        index = index + later.astype(index.dtype)
        grow_pos = t - first_ct * unit_starts[index]
        grow_len = first_ct * powers[index]
        equal = mult == 1
        position = jnp.where(equal, equal_pos, grow_pos)
        length = jnp.where(equal, first_ct, grow_len)
        return cosine_between(eta_min, lr, position / length).astype(dtype)
