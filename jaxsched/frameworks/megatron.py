"""Megatron-LM's ``OptimizerParamScheduler`` by its name, as jaxsched schedules.

``OptimizerParamScheduler(...)`` takes the arguments of
``megatron/core/optimizer_param_scheduler.py`` (``NVIDIA/Megatron-LM`` at
``d98e8a6``) without the optimizer, and returns :class:`ParamSchedules`, a pytree
of two jaxsched schedules: ``.learning_rate`` (``get_lr``) and ``.weight_decay``
(``get_wd``), each a function of Megatron's ``num_steps``. ``training.py`` advances
that counter by the global batch size (it counts **samples**) and gives the lengths
in samples too; call the schedules with the same clock, or pass lengths in
iterations and call them with the iteration.

=======================  =====================================================  =====
Megatron                 jaxsched (``W, D = lr_warmup_steps, lr_decay_steps``)  equal
=======================  =====================================================  =====
warmup (``n <= W``)      ``Join([Linear(init_lr, max_lr, W), Shift(decay,       exact
                         -(W + 1))], [W + 1])``: ``decay`` sees ``n``
``constant``             ``Constant(max_lr)``                                   exact
``linear``               ``Linear(max_lr, min_lr, D - W, W)``                   exact
``cosine``               ``min_lr + (max_lr - min_lr) * Cosine(1, D - W)``      exact
                         from ``W`` (``min_lr`` after ``D``)
``inverse-square-root``  ``Join([Maximum(RsqrtDecay(max_lr, W, normalized),     exact
                         min_lr), Constant(min_lr)], [D + 1])``
``WSD``                  ``max_lr`` until ``D - wsd_decay_steps``, then         exact
                         ``Linear``, ``Cosine``, ``2 * Exponential(1, wsd,
                         0.5) - 1`` or ``WarmupStableDecay("1-sqrt")``
                         between the rates; ``min_lr`` after ``D``
wd ``constant``          ``Constant(end_wd)``                                   exact
wd ``linear``            ``Linear(start_wd, end_wd, wd_incr_steps)``            exact
wd ``cosine``            ``end_wd + (start_wd - end_wd) * Cosine(1,             exact
                         wd_incr_steps)``
=======================  =====================================================  =====

Differences from Megatron:

- ``wd_incr_steps=0`` with a ``linear`` or ``cosine`` increment: Megatron raises
  ``ZeroDivisionError`` at step 0 and gives ``end_wd`` after; here ``end_wd`` from
  step 0.
- Megatron's asserts (``max_lr >= min_lr >= 0``, ``init_lr <= max_lr``,
  ``lr_warmup_steps < lr_decay_steps``, ``end_wd >= start_wd >= 0``, a known
  style; ``start_wd == end_wd`` for ``constant``) are ``ValueError`` here, raised at
  construction; Megatron raises an unknown ``lr_wsd_decay_style`` only once the
  anneal starts.
- The per-group overrides (``max_lr``, ``min_lr``, ``start_wd``, ``end_wd`` of a
  param group, ``wd_mult``) are not read: build one scheduler per group.
  ``use_checkpoint_opt_param_scheduler`` and ``override_opt_param_scheduler``
  (checkpoint policy) are accepted and have no effect.
- Megatron's WSD with ``wsd_decay_steps > lr_decay_steps - lr_warmup_steps`` starts
  the anneal inside the warmup and drops right after it (no check there); here too.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid, whole_number
from jaxsched.schedules._arithmetic import Maximum
from jaxsched.schedules._combinators import Shift
from jaxsched.schedules._join import Join
from jaxsched.schedules._primitives import Constant, Cosine, Exponential, Linear
from jaxsched.schedules._transformers import RsqrtDecay, WarmupStableDecay

__all__ = ["OptimizerParamScheduler", "ParamSchedules"]

_OWNER = "megatron.OptimizerParamScheduler"
_LR_STYLES = ("constant", "linear", "cosine", "inverse-square-root", "WSD")
_WSD_STYLES = ("linear", "cosine", "exponential", "minus_sqrt")
_WD_STYLES = ("constant", "linear", "cosine")


class ParamSchedules(NamedTuple):
    """The schedules of one ``OptimizerParamScheduler`` (a pytree: jit, vmap, stack).

    Attributes:
      learning_rate: Megatron's ``get_lr`` at ``num_steps``.
      weight_decay: Megatron's ``get_wd`` at ``num_steps``.
    """

    learning_rate: Schedule
    weight_decay: Schedule


def _between(lo: Any, hi: Any, shape: Schedule) -> Schedule:
    """``lo + (hi - lo) * shape`` (``shape`` from 1 to 0)."""
    return shape * (hi - lo) + lo


def _wsd_piece(style: Any, max_lr: Any, min_lr: Any, steps: int) -> Schedule:
    """The anneal of Megatron's WSD over ``steps``, from ``max_lr`` to ``min_lr``."""
    if style == "linear":
        return Linear(max_lr, min_lr, steps)
    if style == "cosine":
        return _between(min_lr, max_lr, Cosine(1.0, steps))
    if style == "exponential":
        # coeff = 2 * 0.5 ** r - 1
        return _between(min_lr, max_lr, Exponential(2.0, steps, 0.5) - 1.0)
    return _minus_sqrt(max_lr, min_lr, steps)


def _minus_sqrt(max_lr: Any, min_lr: Any, steps: int) -> Schedule:
    """``min_lr + (max_lr - min_lr) * (1 - sqrt(r))``: Hugging Face's WSD decay."""
    return WarmupStableDecay(
        max_lr,
        num_warmup_steps=0,
        num_decay_steps=steps,
        num_stable_steps=0,
        decay_type="1-sqrt",
        min_lr_ratio=min_lr / max_lr if max_lr else 0.0,
    )


def _learning_rate(
    init_lr, max_lr, min_lr, w, d, style, wsd_decay_steps, wsd_style
) -> Schedule:
    if style == "constant":
        decay: Schedule = Constant(max_lr)
    elif style == "linear":
        decay = Linear(max_lr, min_lr, d - w, w)
    elif style == "cosine":
        decay = Join(
            [Constant(max_lr), _between(min_lr, max_lr, Cosine(1.0, d - w))], [w]
        )
    elif style == "inverse-square-root":
        decay = Join(
            [
                Maximum(RsqrtDecay(max_lr, w, normalized=True), Constant(min_lr)),
                Constant(min_lr),
            ],
            [d + 1],
        )
    else:
        start = d - wsd_decay_steps
        piece = _wsd_piece(wsd_style, max_lr, min_lr, wsd_decay_steps)
        parts = [Constant(max_lr), piece, Constant(min_lr)]
        if start > 0:
            decay = Join(parts, [start, d])
        else:  # the anneal starts at (or before) step 0
            decay = Join(parts[1:], [d - start])
            decay = Shift(decay, start) if start < 0 else decay
    if w == 0:
        return decay
    return Join([Linear(init_lr, max_lr, w), Shift(decay, -(w + 1))], [w + 1])


def _weight_decay(start_wd, end_wd, steps, style) -> Schedule:
    if style == "constant" or steps == 0:
        return Constant(end_wd)
    if style == "linear":
        return Linear(start_wd, end_wd, steps)
    return _between(end_wd, start_wd, Cosine(1.0, steps))


def OptimizerParamScheduler(
    init_lr: float,
    max_lr: float,
    min_lr: float,
    lr_warmup_steps: int,
    lr_decay_steps: int,
    lr_decay_style: str,
    start_wd: float,
    end_wd: float,
    wd_incr_steps: int,
    wd_incr_style: str,
    use_checkpoint_opt_param_scheduler: bool | None = True,
    override_opt_param_scheduler: bool | None = False,
    wsd_decay_steps: int | None = None,
    lr_wsd_decay_style: str | None = None,
) -> ParamSchedules:
    """Megatron-LM's learning rate and weight decay schedules.

    Learning rate at ``n``: ``init_lr + (max_lr - init_lr) * n / W`` for ``n <=
    W`` (when ``W > 0``); ``max_lr`` forever (``constant``); ``min_lr`` after ``D``;
    between, ``min_lr + coeff * (max_lr - min_lr)`` with ``r = (n - W) / (D - W)``
    and ``coeff = 1 - r`` (``linear``), ``(cos(pi * r) + 1) / 2`` (``cosine``), or
    ``max(min_lr, max_lr * sqrt(max(W, 1) / max(n, 1)))`` (``inverse-square-root``);
    ``WSD`` holds ``max_lr`` until ``D - wsd_decay_steps`` and anneals with ``r`` the
    anneal's progress: ``1 - r``, ``(cos(pi * r) + 1) / 2``, ``2 * 0.5 ** r - 1`` or
    ``1 - sqrt(r)``. Weight decay: ``end_wd`` after ``wd_incr_steps``; before,
    ``start_wd + coeff * (end_wd - start_wd)`` with ``r = n / wd_incr_steps`` and
    ``coeff = r`` (``linear``) or ``(cos(pi * (1 - r)) + 1) / 2`` (``cosine``),
    ``end_wd`` (``constant``).

    Returns:
      :class:`ParamSchedules` with ``.learning_rate`` and ``.weight_decay``.

    Raises:
      ValueError: where Megatron asserts (see the module docstring).

    Example:
      >>> from jaxsched.frameworks import megatron
      >>> p = megatron.OptimizerParamScheduler(
      ...     0.0, 1.0, 0.1, 2, 10, "cosine", 0.0, 0.1, 10, "linear")
      >>> print(" ".join(f"{float(p.learning_rate(t)):.3f}" for t in (1, 2, 6, 20)))
      0.500 1.000 0.550 0.100
      >>> print(" ".join(f"{float(p.weight_decay(t)):.3f}" for t in (0, 5, 20)))
      0.000 0.050 0.100
    """
    del use_checkpoint_opt_param_scheduler, override_opt_param_scheduler
    if not min_lr >= 0.0:
        raise invalid(_OWNER, "min_lr", min_lr, ">= 0")
    if not max_lr >= min_lr:
        raise invalid(_OWNER, "max_lr", max_lr, f">= min_lr={min_lr}")
    if not init_lr <= max_lr:
        raise invalid(_OWNER, "init_lr", init_lr, f"<= max_lr={max_lr}")
    d = whole_number(_OWNER, "lr_decay_steps", lr_decay_steps, 1)
    w = whole_number(_OWNER, "lr_warmup_steps", lr_warmup_steps, 0)
    if not w < d:
        raise invalid(
            _OWNER, "lr_warmup_steps", lr_warmup_steps, f"< lr_decay_steps={d}"
        )
    if lr_decay_style not in _LR_STYLES:
        raise invalid(_OWNER, "lr_decay_style", lr_decay_style, f"one of {_LR_STYLES}")
    wsd = None
    if lr_decay_style == "WSD":
        wsd = whole_number(_OWNER, "wsd_decay_steps", wsd_decay_steps, 1)
        if lr_wsd_decay_style not in _WSD_STYLES:
            raise invalid(
                _OWNER,
                "lr_wsd_decay_style",
                lr_wsd_decay_style,
                f"one of {_WSD_STYLES}",
            )
    if not start_wd >= 0.0:
        raise invalid(_OWNER, "start_wd", start_wd, ">= 0")
    if not end_wd >= start_wd:
        raise invalid(_OWNER, "end_wd", end_wd, f">= start_wd={start_wd}")
    steps = whole_number(_OWNER, "wd_incr_steps", wd_incr_steps, 0)
    if wd_incr_style not in _WD_STYLES:
        raise invalid(_OWNER, "wd_incr_style", wd_incr_style, f"one of {_WD_STYLES}")
    if wd_incr_style == "constant" and start_wd != end_wd:
        raise invalid(_OWNER, "end_wd", end_wd, f"== start_wd={start_wd} (constant)")
    return ParamSchedules(
        _learning_rate(
            init_lr, max_lr, min_lr, w, d, lr_decay_style, wsd, lr_wsd_decay_style
        ),
        _weight_decay(start_wd, end_wd, steps, wd_incr_style),
    )
