"""PyTorch's cycled momentum: ``OneCycleLR`` and ``CyclicLR`` with ``cycle_momentum``.

``jaxsched.OneCycleLR`` and ``jaxsched.CyclicLR`` give the learning rate of torch's
schedulers; torch also moves the optimizer's momentum (``momentum``, or ``betas[0]``
for Adam-like optimizers) on the same cycle, inverted between ``base_momentum`` and
``max_momentum``. The functions here take torch's arguments (names, order and
defaults; the optimizer left out: torch reads no rate from it for these two) and
return :class:`CycleSchedules`, a pytree of two jaxsched schedules of ``t =
last_epoch`` (it passes through ``jit`` and ``vmap``; stack a sweep field by field
with ``jaxsched.stack``; each field serializes with ``to_dict``):

torch -> jaxsched:

- ``OneCycleLR(...).learning_rate``: ``OneCycleLR(max_lr, total_steps, pct_start,
  anneal_strategy, div_factor, final_div_factor, three_phase)``
- ``OneCycleLR(...).momentum``: ``OneCycleLR(base_momentum, total_steps, pct_start,
  anneal_strategy, div_factor=base_momentum / max_momentum, final_div_factor=1,
  three_phase)``
- ``CyclicLR(...).learning_rate``: ``CyclicLR(base_lr, max_lr, step_size_up,
  step_size_down, mode, gamma)``
- ``CyclicLR(...).momentum``: ``CyclicLR(max_momentum, base_momentum, step_size_up,
  step_size_down, mode, gamma)``
- ``ReduceLROnPlateau``: raises ``ValueError`` (metric-driven)

The momentum of ``OneCycleLR`` goes from ``max_momentum`` to ``base_momentum`` while
the rate rises, and back while it falls (three phases: back during the second, then
held at ``max_momentum``): a one-cycle of peak ``base_momentum`` that starts at
``base_momentum / div_factor = max_momentum`` and ends at ``max_momentum``. For
``CyclicLR`` it is ``max_momentum - (max_momentum - base_momentum) * height *
scale``, the rate's cycle with the two bounds swapped.

Differences from torch, as for the rate (see ``jaxsched.OneCycleLR``): past ``T - 1``
the values hold (torch extrapolates at ``T`` and raises after), and a phase of length
0 gives its end value (torch divides by zero). ``OneCycleLR``'s momentum needs
``base_momentum > 0`` and ``max_momentum > 0``. A custom ``scale_fn`` of ``CyclicLR``
is not a serializable schedule (``ValueError``: multiply schedules instead); as in
torch, ``scale_mode`` only counts with a custom ``scale_fn``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from jaxsched.core._schedule import Schedule
from jaxsched.schedules._torch import CyclicLR as _CyclicLR
from jaxsched.schedules._torch import OneCycleLR as _OneCycleLR

__all__ = ["CycleSchedules", "CyclicLR", "OneCycleLR", "ReduceLROnPlateau"]


class CycleSchedules(NamedTuple):
    """The schedules of torch's ``OneCycleLR`` or ``CyclicLR`` (a pytree: jit, vmap;
    ``jaxsched.stack`` each field for a sweep).

    Attributes:
      learning_rate: the rate.
      momentum: ``momentum`` (or ``betas[0]``); ``None`` with
        ``cycle_momentum=False`` (torch leaves the optimizer's momentum alone).
    """

    learning_rate: Schedule
    momentum: Schedule | None


def _positive_int(owner: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"torch.{owner}: expected a positive integer {name}. Received: {value!r}"
        )
    return value


def OneCycleLR(
    max_lr: Any,
    total_steps: int | None = None,
    epochs: int | None = None,
    steps_per_epoch: int | None = None,
    pct_start: Any = 0.3,
    anneal_strategy: str = "cos",
    cycle_momentum: bool = True,
    base_momentum: Any = 0.85,
    max_momentum: Any = 0.95,
    div_factor: Any = 25.0,
    final_div_factor: Any = 1e4,
    three_phase: bool = False,
) -> CycleSchedules:
    """torch's ``OneCycleLR``: the rate and the inverted momentum.

    ``total_steps``, or ``epochs * steps_per_epoch``, as in torch.

    Example:
      >>> from jaxsched.frameworks import torch
      >>> s = torch.OneCycleLR(1.0, total_steps=10, anneal_strategy="linear")
      >>> print(" ".join(f"{float(s.learning_rate(t)):.2f}" for t in (0, 2, 9)))
      0.04 1.00 0.00
      >>> print(" ".join(f"{float(s.momentum(t)):.2f}" for t in (0, 2, 9)))
      0.95 0.85 0.95
    """
    owner = "OneCycleLR"
    if total_steps is not None:
        total = _positive_int(owner, "total_steps", total_steps)
    elif epochs is not None and steps_per_epoch is not None:
        total = _positive_int(owner, "epochs", epochs) * _positive_int(
            owner, "steps_per_epoch", steps_per_epoch
        )
    else:
        raise ValueError(
            "torch.OneCycleLR: define either total_steps or (epochs and "
            "steps_per_epoch)"
        )
    lr = _OneCycleLR(
        max_lr,
        total,
        pct_start,
        anneal_strategy,
        div_factor,
        final_div_factor,
        three_phase,
    )
    if not cycle_momentum:
        return CycleSchedules(lr, None)
    for name, value in (
        ("base_momentum", base_momentum),
        ("max_momentum", max_momentum),
    ):
        if isinstance(value, (int, float)) and not value > 0:
            raise ValueError(
                f"torch.OneCycleLR: {name} must be > 0 for the cycled momentum. "
                f"Received: {name}={value!r}"
            )
    momentum = _OneCycleLR(
        base_momentum,
        total,
        pct_start,
        anneal_strategy,
        base_momentum / max_momentum,
        1.0,
        three_phase,
    )
    return CycleSchedules(lr, momentum)


def CyclicLR(
    base_lr: Any,
    max_lr: Any,
    step_size_up: Any = 2000,
    step_size_down: Any = None,
    mode: str = "triangular",
    gamma: Any = 1.0,
    scale_fn: Any = None,
    scale_mode: str = "cycle",
    cycle_momentum: bool = True,
    base_momentum: Any = 0.8,
    max_momentum: Any = 0.9,
) -> CycleSchedules:
    """torch's ``CyclicLR``: the rate and the momentum on the inverted cycle.

    Example:
      >>> from jaxsched.frameworks import torch
      >>> s = torch.CyclicLR(0.1, 1.0, step_size_up=2, mode="triangular2")
      >>> print(" ".join(f"{float(s.learning_rate(t)):.2f}" for t in range(7)))
      0.10 0.55 1.00 0.55 0.10 0.32 0.55
      >>> print(" ".join(f"{float(s.momentum(t)):.3f}" for t in range(7)))
      0.900 0.850 0.800 0.850 0.900 0.875 0.850
    """
    del scale_mode  # torch overrides it from ``mode`` when scale_fn is None
    if scale_fn is not None:
        raise ValueError(
            "torch.CyclicLR: a custom scale_fn is not a serializable schedule; use "
            "mode='triangular' and multiply by a jaxsched schedule instead"
        )
    lr = _CyclicLR(base_lr, max_lr, step_size_up, step_size_down, mode, gamma)
    if not cycle_momentum:
        return CycleSchedules(lr, None)
    momentum = _CyclicLR(
        max_momentum, base_momentum, step_size_up, step_size_down, mode, gamma
    )
    return CycleSchedules(lr, momentum)


def ReduceLROnPlateau(*args: Any, **kwargs: Any) -> Schedule:
    """Not a schedule: torch's ``ReduceLROnPlateau`` reads a validation metric.

    Raises:
      ValueError: always. Keep the plateau logic in the training loop (e.g.
        ``optax.contrib.reduce_on_plateau``) on top of a jaxsched schedule.
    """
    del args, kwargs
    raise ValueError(
        "torch.ReduceLROnPlateau is metric-driven: its rate depends on a validation "
        "metric, not on the step, so it is not a schedule. Use "
        "optax.contrib.reduce_on_plateau (a gradient transformation) in the "
        "training loop, on top of a jaxsched schedule."
    )
