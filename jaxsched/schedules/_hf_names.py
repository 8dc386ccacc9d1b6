"""Hugging Face scheduler names: ``jaxsched.get_scheduler("cosine", 3e-4, ...)``.

``transformers.get_scheduler(name, optimizer, num_warmup_steps, num_training_steps,
scheduler_specific_kwargs)`` builds a PyTorch ``LambdaLR`` from a
``TrainingArguments.lr_scheduler_type`` name. :func:`get_scheduler` takes the same
names and arguments, with the optimizer's learning rate in the optimizer's place,
and returns the jaxsched schedule that gives the same learning rates (serializable,
sweepable, differentiable). The names that follow a metric instead of the step
(``reduce_lr_on_plateau``, ``greedy``) have no schedule and are refused.
"""

from __future__ import annotations

import enum
from typing import Any

import jax
import jax.numpy as jnp

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numeric, leaf
from jaxsched.core._schedule import Schedule
from jaxsched.schedules._primitives import Constant
from jaxsched.schedules._transformers import (
    ConstantWithWarmup,
    CosineWithHardRestarts,
    CosineWithMinLR,
    CosineWithWarmup,
    InverseSqrt,
    LinearWithWarmup,
    PolynomialWithWarmup,
    WarmupStableDecay,
    _WarmupCosine,
)

__all__ = ["CosineWarmupWithMinLR", "SchedulerType", "get_scheduler"]


class SchedulerType(str, enum.Enum):
    """Hugging Face's scheduler names (``TrainingArguments.lr_scheduler_type``)."""

    LINEAR = "linear"
    COSINE = "cosine"
    COSINE_WITH_RESTARTS = "cosine_with_restarts"
    POLYNOMIAL = "polynomial"
    CONSTANT = "constant"
    CONSTANT_WITH_WARMUP = "constant_with_warmup"
    INVERSE_SQRT = "inverse_sqrt"
    REDUCE_ON_PLATEAU = "reduce_lr_on_plateau"
    COSINE_WITH_MIN_LR = "cosine_with_min_lr"
    COSINE_WARMUP_WITH_MIN_LR = "cosine_warmup_with_min_lr"
    WARMUP_STABLE_DECAY = "warmup_stable_decay"
    GREEDY = "greedy"

    @classmethod
    def _missing_(cls, value: object) -> Any:
        names = [member.value for member in cls]
        raise ValueError(
            f"{value} is not a valid {cls.__name__}, please select one of {names}"
        )


_METRIC_DRIVEN = {SchedulerType.REDUCE_ON_PLATEAU, SchedulerType.GREEDY}


class CosineWarmupWithMinLR(_WarmupCosine):
    """HF ``get_cosine_with_min_lr_schedule_with_warmup_lr_rate``
    (``"cosine_warmup_with_min_lr"``).

    With ``W = num_warmup_steps`` and ``N = num_training_steps``, ``learning_rate``
    times, for ``step < W``, ``(step + 1) / max(1, W)`` (``warmup_lr_rate=None``) or
    ``warmup_lr_rate + (1 - warmup_lr_rate) * step / max(1, W - 1)``; then
    ``max(0, f * (1 - min_lr_rate) + min_lr_rate)`` with ``f = (1 + cos(2 * pi *
    num_cycles * p)) / 2`` and ``p = (step - W + 1) / max(1, N - W)``. Unlike
    :class:`CosineWithMinLR`, the warmup reaches the peak on its last step and the
    cosine reaches ``min_lr_rate`` at step ``N - 1``; as in Hugging Face it is
    periodic past ``N``. For whole lengths (100 or 100.0) the phase comes from the
    exact step. A step below 0 gives the step-0 value.

    Args:
      learning_rate, num_warmup_steps, num_training_steps: the peak, ``W`` and
        ``N``, as in :class:`LinearWithWarmup` (with its errors).
      num_cycles: the number of cosine periods over ``[W, N]`` (leaf).
      min_lr_rate: the floor as a fraction of ``learning_rate`` (leaf).
      warmup_lr_rate: the warmup's start as a fraction of ``learning_rate``, or
        ``None`` for ``1 / max(1, W)`` (leaf, optional).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.CosineWarmupWithMinLR(10.0, 2, 10, min_lr_rate=0.1)
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 1, 2, 5, 9)))
      5.00 10.00 9.66 5.50 1.00
    """

    min_lr_rate: Numeric = leaf(default=0.0)
    warmup_lr_rate: Numeric | None = leaf(default=None, optional=True)

    def _ramp(self, t: jax.Array, warmup: jax.Array) -> jax.Array:
        if self.warmup_lr_rate is None:
            return (t + 1) / jnp.maximum(warmup, 1)
        start = jnp.asarray(self.warmup_lr_rate, t.dtype)
        return start + (1 - start) * (t / jnp.maximum(warmup - 1, 1))

    def key_steps(self) -> list[float]:
        return [
            0.0,
            ks.number(self.num_warmup_steps),
            ks.number(self.num_training_steps),
        ]

    def __call__(self, step: Any) -> jax.Array:
        # HF's phase counts from step - W + 1 over max(1, N - W): one step ahead.
        return self._cosine(
            step,
            self.min_lr_rate,
            lead=1,
            ramp=self._ramp,
            values=(self.warmup_lr_rate,),
        )


def _name(name: Any) -> SchedulerType:
    value = getattr(name, "value", name)
    if not isinstance(value, str):
        raise TypeError(
            "get_scheduler: `name` must be a scheduler name (a string, or an enum "
            f"with a string value). Received: {name!r}"
        )
    return SchedulerType(value)


def get_scheduler(
    name: Any,
    learning_rate: Any,
    num_warmup_steps: Any = None,
    num_training_steps: Any = None,
    scheduler_specific_kwargs: dict[str, Any] | None = None,
) -> Schedule:
    """The schedule that ``transformers.get_scheduler`` builds, as a jaxsched schedule.

    Hugging Face's ``get_scheduler(name, optimizer, ...)`` with the optimizer's
    learning rate in the optimizer's place: the result gives the absolute learning
    rate (Hugging Face's multiplier times ``learning_rate``) at each step.

    ================================  =============================================
    name                              schedule
    ================================  =============================================
    ``linear``                        :class:`LinearWithWarmup`
    ``cosine``                        :class:`CosineWithWarmup`
    ``cosine_with_restarts``          :class:`CosineWithHardRestarts`
    ``polynomial``                    :class:`PolynomialWithWarmup`
    ``constant``                      :class:`Constant`
    ``constant_with_warmup``          :class:`ConstantWithWarmup`
    ``inverse_sqrt``                  :class:`InverseSqrt`
    ``cosine_with_min_lr``            :class:`CosineWithMinLR`
    ``cosine_warmup_with_min_lr``     :class:`CosineWarmupWithMinLR`
    ``warmup_stable_decay``           :class:`WarmupStableDecay`
    ================================  =============================================

    As in Hugging Face, ``scheduler_specific_kwargs`` go to the schedule (e.g.
    ``num_cycles``, ``lr_end``, ``power``, ``min_lr`` or ``min_lr_rate``,
    ``num_decay_steps``) and are ignored by ``constant``, ``constant_with_warmup``
    and ``inverse_sqrt``; ``constant`` ignores the step counts too. For
    ``warmup_stable_decay`` with both ``num_training_steps`` and
    ``num_stable_steps``, ``num_stable_steps`` is used (Hugging Face warns).

    Args:
      name: a Hugging Face scheduler name, or anything whose ``.value`` is one (such
        as ``transformers.SchedulerType.COSINE``).
      learning_rate: the optimizer's learning rate (the peak).
      num_warmup_steps: the warmup length (required by every name but ``constant``).
      num_training_steps: the total length (required by the decaying names).
      scheduler_specific_kwargs: extra arguments of the schedule.

    Returns:
      A jaxsched schedule.

    Raises:
      ValueError: an unknown name (the message lists the valid ones), a name that
        follows a metric instead of the step (``reduce_lr_on_plateau``,
        ``greedy``), or a missing argument (Hugging Face's messages).
      TypeError: an unexpected keyword in ``scheduler_specific_kwargs``.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.get_scheduler("linear", 1.0, num_warmup_steps=2,
      ...                            num_training_steps=10)
      >>> print(type(s).__name__, " ".join(f"{float(s(t)):g}" for t in (0, 1, 2, 6)))
      LinearWithWarmup 0 0.5 1 0.5
    """
    name = _name(name)
    if name in _METRIC_DRIVEN:
        raise ValueError(
            f"get_scheduler: {name.value!r} follows a metric (it changes the learning "
            "rate when a monitored value stops improving), not the step, so it is not "
            "a function of the step and has no jaxsched schedule; adjust the rate "
            "in the training loop, e.g. with optax.contrib.reduce_on_plateau"
        )
    if name == SchedulerType.CONSTANT:
        return Constant(learning_rate)
    kwargs = dict(scheduler_specific_kwargs or {})
    if num_warmup_steps is None:
        raise ValueError(
            f"{name} requires `num_warmup_steps`, please provide that argument."
        )
    if name == SchedulerType.CONSTANT_WITH_WARMUP:
        return ConstantWithWarmup(learning_rate, num_warmup_steps)
    if name == SchedulerType.INVERSE_SQRT:
        return InverseSqrt(learning_rate, num_warmup_steps)
    if name == SchedulerType.WARMUP_STABLE_DECAY:
        if num_training_steps is None and kwargs.get("num_stable_steps") is None:
            raise ValueError(
                "Either num_training_steps or num_stable_steps must be specified."
            )
        if kwargs.get("num_stable_steps") is not None:
            num_training_steps = None  # Hugging Face: num_stable_steps is used
        return WarmupStableDecay(
            learning_rate,
            num_warmup_steps,
            num_training_steps=num_training_steps,
            **kwargs,
        )
    if num_training_steps is None:
        raise ValueError(
            f"{name} requires `num_training_steps`, please provide that argument."
        )
    if name in (
        SchedulerType.COSINE_WITH_MIN_LR,
        SchedulerType.COSINE_WARMUP_WITH_MIN_LR,
    ):
        min_lr = kwargs.pop("min_lr", None)
        if min_lr is not None and kwargs.get("min_lr_rate") is not None:
            raise ValueError("Only one of min_lr or min_lr_rate should be set")
        if min_lr is not None:
            kwargs["min_lr_rate"] = min_lr / learning_rate
        elif kwargs.get("min_lr_rate") is None:
            raise ValueError(
                "One of min_lr or min_lr_rate should be set through the "
                "`lr_scheduler_kwargs`"
            )
    classes: dict[SchedulerType, Any] = {
        SchedulerType.LINEAR: LinearWithWarmup,
        SchedulerType.COSINE: CosineWithWarmup,
        SchedulerType.COSINE_WITH_RESTARTS: CosineWithHardRestarts,
        SchedulerType.POLYNOMIAL: PolynomialWithWarmup,
        SchedulerType.COSINE_WITH_MIN_LR: CosineWithMinLR,
        SchedulerType.COSINE_WARMUP_WITH_MIN_LR: CosineWarmupWithMinLR,
    }
    return classes[name](learning_rate, num_warmup_steps, num_training_steps, **kwargs)
