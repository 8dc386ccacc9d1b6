"""fairseq's learning-rate schedulers by their registered names, as jaxsched schedules.

Each function takes the fields of the scheduler's fairseq config (its dataclass in
``fairseq/optim/lr_scheduler/*.py``, ``facebookresearch/fairseq`` at ``3d262bb``),
with fairseq's names and defaults; ``lr`` is fairseq's ``--lr`` (one value: the
per-epoch lists of ``fixed`` are ``fixed``'s alone). The value at step ``t`` is what
``step_update(num_updates=t)`` sets, the rate of update ``t + 1``. Epoch-based
parts (``fixed``, ``manual``'s ``epoch2lr``) count epochs from 1, epoch ``t //
steps_per_epoch + 1``, as fairseq's trainer does.

========================  =======================================================  =====
fairseq                   jaxsched                                                 equal
========================  =======================================================  =====
``inverse_sqrt``          ``Warmup(Shift(RsqrtDecay(lr, W, normalized=True), -W),  exact
                          W, warmup_init_lr)``
``tri_stage``             ``Join([Linear(init, lr, W), Constant(lr),               exact
                          Exponential(lr, D, final_lr_scale), Constant(final)],
                          [W, W + H, W + H + D])`` (empty phases left out)
``cosine``                ``Warmup(Repeat(Cosine(lr, P, min_lr / lr), P,           exact
                          lr_shrink), W, warmup_init_lr)``; ``t_mult != 1``:
                          ``Cycles(Cosine(...), P, t_mult, lr_shrink)``
``polynomial_decay``      ``Join([Linear(0, lr, W), Shift(Polynomial(lr, end,      exact
                          power, T - W), -1)], [W + 1])``
``triangular``            ``Repeat(PiecewiseInterpolate([0, s, 2s], [lr, max_lr,   exact
                          lr]), 2s, lr_shrink)`` (``shrink_min``), else that
                          triangle split into a shrinking and a fixed part
``step``                  ``Warmup(Maximum(StepLR(lr, period, lr_decay),           exact
                          Constant(min_lr)), W, warmup_init_lr)``
``fixed``                 ``PerEpoch(Join([PiecewiseConstant(...),                 exact
                          StepLR(...)]), steps_per_epoch) * warmup factor``
``manual``                ``PiecewiseConstant`` of ``update2lr`` joined after the  exact
                          per-epoch ``PiecewiseConstant`` of ``epoch2lr``; with
                          both, ``epoch2lr`` at each epoch's first step (a
                          ``Repeat`` indicator times it, plus the rest)
``reduce_lr_on_plateau``  ``ValueError``: driven by a validation metric
========================  =======================================================  =====

Differences from fairseq (fairseq's own errors become ``ValueError`` at
construction):

- ``inverse_sqrt`` with ``warmup_updates=0`` and ``tri_stage`` with a zero-length
  decay raise ``ZeroDivisionError`` in fairseq; here a ``ValueError``.
- ``cosine`` with ``t_mult != 1`` picks the cycle with a float logarithm in fairseq
  (``math.floor(math.log(...))``), which lands in the previous cycle at some
  restarts (``t_mult=3``, period 2: after the warmup, update 242 starts cycle 5,
  where ``log(243, 3)`` is 4.999999999999999, so fairseq gives cycle 4's end);
  jaxsched finds the cycle exactly. With ``t_mult < 1`` fairseq raises
  ``ValueError`` (math domain error) once the sum of all periods is passed; here
  the value is 0 there (the floor of :class:`jaxsched.Cycles`).
- ``polynomial_decay``'s ``force_anneal`` and per-epoch ``lr`` lists read the
  optimizer's current rate (state): not offered.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid
from jaxsched.schedules._arithmetic import Maximum, Product, Sum
from jaxsched.schedules._combinators import Repeat, Shift, Warmup
from jaxsched.schedules._cycles import Cycles
from jaxsched.schedules._epochs import PerEpoch
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
from jaxsched.schedules._torch import StepLR
from jaxsched.schedules._transformers import RsqrtDecay

__all__ = [
    "cosine",
    "fixed",
    "inverse_sqrt",
    "manual",
    "polynomial_decay",
    "reduce_lr_on_plateau",
    "step",
    "tri_stage",
    "triangular",
]


def _one_lr(owner: str, lr: Any) -> Any:
    """fairseq's ``lr`` as one number (a one-element list is accepted)."""
    if isinstance(lr, (list, tuple)):
        if len(lr) != 1:
            raise invalid(
                owner,
                "lr",
                lr,
                "one learning rate",
                detail="fairseq raises: use fixed for a per-epoch list",
            )
        return lr[0]
    return lr


def _join(parts: Sequence[tuple[int, Schedule]]) -> Schedule:
    """``Join`` of ``(start, schedule)`` pairs, the empty phases left out."""
    kept: list[tuple[int, Schedule]] = []
    for start, part in parts:
        while kept and kept[-1][0] >= start:
            kept.pop()
        kept.append((start, part))
    if len(kept) == 1:
        return kept[0][1]
    return Join([p for _, p in kept], [s for s, _ in kept[1:]])


def _whole(owner: str, field: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or float(value) != int(value) or value < minimum:
        raise invalid(owner, field, value, f"a whole number >= {minimum}")
    return int(value)


def inverse_sqrt(lr: Any, warmup_updates: int = 4000, warmup_init_lr: float = -1):
    """fairseq ``inverse_sqrt``: a linear warmup, then ``lr * sqrt(W / t)``.

    ``warmup_init_lr + t * (lr - warmup_init_lr) / W`` for ``t < W``, then
    ``lr * sqrt(W) / sqrt(t)``. ``warmup_init_lr < 0`` means 0.

    Example:
      >>> from jaxsched.frameworks import fairseq
      >>> s = fairseq.inverse_sqrt(1.0, warmup_updates=4)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 2, 4, 16)))
      0.000 0.500 1.000 0.500
    """
    owner = "fairseq.inverse_sqrt"
    lr = _one_lr(owner, lr)
    w = _whole(owner, "warmup_updates", warmup_updates, 1)
    if warmup_init_lr < 0:
        warmup_init_lr = 0.0
    return Warmup(Shift(RsqrtDecay(lr, w, normalized=True), -w), w, warmup_init_lr)


def tri_stage(
    lr: Any,
    warmup_steps: int = 0,
    hold_steps: int = 0,
    decay_steps: int = 0,
    phase_ratio: Sequence[float] | None = None,
    init_lr_scale: float = 0.01,
    final_lr_scale: float = 0.01,
    max_update: int | None = None,
):
    """fairseq ``tri_stage``: linear warmup, hold, exponential decay, hold.

    From ``lr * init_lr_scale`` to ``lr`` over ``warmup_steps``, ``lr`` for
    ``hold_steps``, ``lr * final_lr_scale ** (k / decay_steps)`` for ``k <=
    decay_steps``, then ``lr * final_lr_scale``. ``phase_ratio`` (three fractions of
    ``max_update`` adding up to exactly 1) sets the three lengths as
    ``int(max_update * ratio)``.

    Example:
      >>> from jaxsched.frameworks import fairseq
      >>> s = fairseq.tri_stage(1.0, 2, 2, 2, final_lr_scale=0.25)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 4, 5, 6, 9)))
      0.010 0.505 1.000 1.000 0.500 0.250 0.250
    """
    owner = "fairseq.tri_stage"
    lr = _one_lr(owner, lr)
    if phase_ratio is not None:
        if max_update is None or max_update <= 0:
            raise invalid(owner, "max_update", max_update, "> 0 with phase_ratio")
        if len(phase_ratio) != 3 or sum(phase_ratio) != 1:
            raise invalid(
                owner, "phase_ratio", phase_ratio, "three fractions adding up to 1"
            )
        warmup_steps, hold_steps, decay_steps = (
            int(max_update * r) for r in phase_ratio
        )
    w = _whole(owner, "warmup_steps", warmup_steps)
    h = _whole(owner, "hold_steps", hold_steps)
    d = _whole(owner, "decay_steps", decay_steps)
    if d == 0:
        raise invalid(
            owner, "decay_steps", decay_steps, "> 0", detail="fairseq divides by it"
        )
    return _join(
        [
            (0, Linear(lr * init_lr_scale, lr, w)),
            (w, Constant(lr)),
            (w + h, Exponential(lr, d, final_lr_scale)),
            (w + h + d, Constant(lr * final_lr_scale)),
        ]
    )


def cosine(
    lr: Any,
    warmup_updates: int = 0,
    warmup_init_lr: float = -1,
    min_lr: float = 0.0,
    t_mult: float = 1.0,
    lr_period_updates: float = -1,
    lr_shrink: float = 0.1,
    max_update: int | None = None,
):
    """fairseq ``cosine``: a linear warmup, then cosine cycles (SGDR).

    After the warmup, with ``c = t - warmup_updates`` in cycle ``i`` of length
    ``P * t_mult ** i`` (``P = lr_period_updates``, or ``max_update -
    warmup_updates`` when ``<= 0``) at position ``t_curr``: ``s * min_lr + (s * lr -
    s * min_lr) * (1 + cos(pi * t_curr / t_i)) / 2`` with ``s = lr_shrink ** i``.
    There is no cycle limit. ``warmup_init_lr < 0`` means ``min_lr``; ``lr <
    min_lr`` lowers ``min_lr`` to ``lr``.

    Example:
      >>> from jaxsched.frameworks import fairseq
      >>> s = fairseq.cosine(1.0, lr_period_updates=4, lr_shrink=0.5)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 2, 4, 6)))
      1.000 0.500 0.500 0.250
    """
    owner = "fairseq.cosine"
    lr = _one_lr(owner, lr)
    if lr < min_lr:
        min_lr = lr
    if warmup_init_lr < 0:
        warmup_init_lr = min_lr
    w = _whole(owner, "warmup_updates", warmup_updates)
    period = lr_period_updates
    if period <= 0:
        if max_update is None or max_update <= 0:
            raise invalid(
                owner,
                "max_update",
                max_update,
                "> 0 when lr_period_updates <= 0",
            )
        period = max_update - w
    period = _whole(owner, "lr_period_updates", period, 1)
    if not t_mult > 0:
        raise invalid(owner, "t_mult", t_mult, "> 0")
    alpha = min_lr / lr if lr else 0.0
    one = Cosine(lr, period, alpha)
    if t_mult == 1:
        body: Schedule = Repeat(one, period, lr_shrink)
    else:
        body = Cycles(one, period, t_mult, lr_shrink)
    return Warmup(body, w, warmup_init_lr) if w > 0 else body


def polynomial_decay(
    lr: Any,
    warmup_updates: int = 0,
    force_anneal: int | None = None,
    end_learning_rate: float = 0.0,
    power: float = 1.0,
    total_num_update: int | None = None,
):
    """fairseq ``polynomial_decay``: a linear warmup from 0, then a polynomial decay.

    ``lr * t / W`` for ``t <= W`` (when ``W > 0``), ``end_learning_rate`` from
    ``total_num_update`` on, and between them ``(lr - end) * (1 - (t - W) / (T -
    W)) ** power + end``.

    Example:
      >>> from jaxsched.frameworks import fairseq
      >>> s = fairseq.polynomial_decay(1.0, 2, total_num_update=6, power=2.0)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 4, 6)))
      0.000 0.500 1.000 0.250 0.000
    """
    owner = "fairseq.polynomial_decay"
    lr = _one_lr(owner, lr)
    if force_anneal is not None:
        raise invalid(
            owner,
            "force_anneal",
            force_anneal,
            "None",
            detail="fairseq then reads the optimizer's current rate, a state",
        )
    if total_num_update is None or total_num_update <= 0:
        raise invalid(owner, "total_num_update", total_num_update, "> 0")
    w = _whole(owner, "warmup_updates", warmup_updates)
    total = _whole(owner, "total_num_update", total_num_update, 1)
    if total > w:
        decay: Schedule = Polynomial(lr, end_learning_rate, power, total - w)
    else:
        decay = Constant(end_learning_rate)
    if w == 0:
        return decay
    return Join([Linear(0.0, lr, w), Shift(decay, -1)], [w + 1])


def triangular(
    lr: Any,
    max_lr: float,
    lr_period_updates: float = 5000,
    lr_shrink: float = 0.1,
    shrink_min: bool = False,
):
    """fairseq ``triangular``: triangles from ``lr`` up to ``max_lr`` and back.

    With ``s = lr_period_updates // 2`` and cycle ``c = floor(t / (2 s))``: ``lo +
    (hi - lo) * max(0, 1 - |t / s - 2 c - 1|)``, ``hi = max_lr * lr_shrink ** c``,
    ``lo = lr * lr_shrink ** c`` with ``shrink_min``, else ``lr``.

    Example:
      >>> from jaxsched.frameworks import fairseq
      >>> s = fairseq.triangular(0.0, 1.0, lr_period_updates=4, lr_shrink=0.5)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 4, 6)))
      0.000 0.500 1.000 0.000 0.500
    """
    owner = "fairseq.triangular"
    lr = _one_lr(owner, lr)
    if not max_lr > lr:
        raise invalid(owner, "max_lr", max_lr, f"> lr={lr}")
    half = _whole(owner, "lr_period_updates // 2", lr_period_updates // 2, 1)
    knots = [0, half, 2 * half]
    if shrink_min:
        return Repeat(
            PiecewiseInterpolate(knots, [lr, max_lr, lr]), 2 * half, lr_shrink
        )
    moving = Repeat(
        PiecewiseInterpolate(knots, [0.0, max_lr, 0.0]), 2 * half, lr_shrink
    )
    fixed = Repeat(PiecewiseInterpolate(knots, [lr, 0.0, lr]), 2 * half)
    return Sum(moving, fixed)


def step(
    lr: Any,
    warmup_updates: int = 0,
    warmup_init_lr: float = -1,
    min_lr: float = 0.0,
    lr_deacy_period: int = 25000,
    lr_decay: float = 0.5,
):
    """fairseq ``step`` (sic ``lr_deacy_period``): a warmup, then stairs, floored.

    ``warmup_init_lr + t * (lr - warmup_init_lr) / W`` for ``t < W``, then
    ``max(lr * lr_decay ** ((t - W) // lr_deacy_period), min_lr)``.
    ``warmup_init_lr < 0`` means ``min_lr``.

    Example:
      >>> from jaxsched.frameworks import fairseq
      >>> s = fairseq.step(1.0, 2, min_lr=0.2, lr_deacy_period=3)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 1, 2, 5, 8, 11)))
      0.200 0.600 1.000 0.500 0.250 0.200
    """
    owner = "fairseq.step"
    lr = _one_lr(owner, lr)
    period = _whole(owner, "lr_deacy_period", lr_deacy_period, 1)
    if not lr_decay <= 1:
        raise invalid(owner, "lr_decay", lr_decay, "<= 1")
    if not min_lr >= 0:
        raise invalid(owner, "min_lr", min_lr, ">= 0")
    if not lr > min_lr:
        raise invalid(owner, "lr", lr, f"> min_lr={min_lr}")
    w = _whole(owner, "warmup_updates", warmup_updates)
    init = warmup_init_lr if warmup_init_lr >= 0 else min_lr
    body = Maximum(StepLR(lr, period, lr_decay), Constant(min_lr))
    return Warmup(body, w, init) if w > 0 else body


def fixed(
    lr: Any,
    steps_per_epoch: int,
    force_anneal: int | None = None,
    lr_shrink: float = 0.1,
    warmup_updates: int = 0,
):
    """fairseq ``fixed``: a rate per epoch, an annealing from ``force_anneal`` on.

    In epoch ``e = t // steps_per_epoch + 1``: ``lr[min(e - 1, len(lr) - 1)]``
    before ``force_anneal``, then ``lr[-1] * lr_shrink ** (e + 1 - force_anneal)``;
    times ``(t + 1) / warmup_updates`` for ``t < warmup_updates``.

    Example:
      >>> from jaxsched.frameworks import fairseq
      >>> s = fairseq.fixed([1.0, 0.5], steps_per_epoch=10, force_anneal=3)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 10, 20, 30)))
      1.000 0.500 0.050 0.005
    """
    owner = "fairseq.fixed"
    lrs = list(lr) if isinstance(lr, (list, tuple)) else [lr]
    if not lrs:
        raise invalid(owner, "lr", lr, "one or more learning rates")
    spe = _whole(owner, "steps_per_epoch", steps_per_epoch, 1)
    w = _whole(owner, "warmup_updates", warmup_updates)
    listed: Schedule = (
        PiecewiseConstant(list(range(1, len(lrs))), lrs)
        if len(lrs) > 1
        else Constant(lrs[0])
    )
    if force_anneal is None:
        per_epoch = listed
    else:
        # epoch index k = e - 1 >= force_anneal - 1: lr[-1] * shrink ** (k + 2 - fa)
        start = int(force_anneal) - 1
        first = lrs[-1] * lr_shrink ** (1 + max(0, -start))
        annealed = StepLR(first, 1, lr_shrink)
        per_epoch = annealed if start <= 0 else Join([listed, annealed], [start])
    body: Schedule = PerEpoch(per_epoch, spe)
    if w > 0:
        body = Product(body, Linear(1.0 / w, 1.0, w - 1))
    return body


def _manual_dict(owner: str, field: str, value: Any) -> dict[int, float]:
    """fairseq's ``parse_manuallr_args``: keys ``"k"``, ``"a,b,c"`` or ``"a-b"``."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = ast.literal_eval(value.replace(" ", ""))
    if not isinstance(value, Mapping):
        raise invalid(owner, field, value, "a dict (or its string)")
    out: dict[int, float] = {}
    for key, val in value.items():
        key = str(key)
        if "," in key:
            for k in key.split(","):
                out[int(k)] = float(val)
        elif "-" in key[1:]:
            s, e = key.split("-")
            for k in range(int(s), int(e) + 1):
                out[k] = float(val)
        else:
            out[int(key)] = float(val)
    return out


def _latest(table: Mapping[int, float], first: Any, shift: int = 0) -> Schedule:
    """The value of the largest key <= step (``first`` before any), keys - shift."""
    keys = sorted(table)
    bounds = [k - shift for k in keys]
    values = [first, *(table[k] for k in keys)]
    while bounds and bounds[0] <= 0:
        bounds.pop(0)
        values.pop(0)
    if not bounds:
        return Constant(values[0])
    return PiecewiseConstant(bounds, values)


def manual(
    lr: Any,
    epoch2lr: Mapping[Any, float] | str | None = None,
    update2lr: Mapping[Any, float] | str | None = None,
    steps_per_epoch: int | None = None,
):
    """fairseq ``manual``: rates at listed updates (``update2lr``) or epochs.

    At step ``t``: ``update2lr`` of its largest key ``<= t``; before its first key,
    ``epoch2lr`` of the largest key ``<= t // steps_per_epoch + 1``; before any,
    the constructor's rate (``epoch2lr[1]``, else ``update2lr[1]``, else ``lr``).
    At the first step of an epoch an ``epoch2lr`` value wins over ``update2lr``
    (fairseq's trainer calls ``step_begin_epoch`` after that step's update).
    Keys may be ``"a,b,c"`` or ``"a-b"`` ranges, as in fairseq's strings.

    Example:
      >>> from jaxsched.frameworks import fairseq
      >>> s = fairseq.manual(1.0, update2lr={"5": 0.5, "10-11": 0.1})
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 4, 5, 10, 99)))
      1.000 1.000 0.500 0.100 0.100
    """
    owner = "fairseq.manual"
    lr = _one_lr(owner, lr)
    by_epoch = _manual_dict(owner, "epoch2lr", epoch2lr)
    by_update = _manual_dict(owner, "update2lr", update2lr)
    first: Any = by_epoch.get(1, by_update.get(1, lr))
    if by_epoch:
        if steps_per_epoch is None:
            raise invalid(
                owner, "steps_per_epoch", None, "a whole number with epoch2lr"
            )
        spe = _whole(owner, "steps_per_epoch", steps_per_epoch, 1)
        before: Schedule = PerEpoch(_latest(by_epoch, first, shift=1), spe)
    else:
        before = Constant(first)
    if not by_update:
        return before
    start = min(by_update)
    if start <= 0:
        updates = _latest(by_update, first)
    else:
        updates = Join([before, _latest(by_update, first, shift=start)], [start])
    if not by_epoch:
        return updates
    # fairseq's trainer calls step_begin_epoch after the last update's
    # step_update: at the first step of an epoch its epoch2lr value wins
    at_start = Repeat(PiecewiseConstant([1], [1.0, 0.0]), spe)
    listed = PerEpoch(_latest(dict.fromkeys(by_epoch, 1.0), 0.0, shift=1), spe)
    wins = at_start * listed
    return (
        wins * PerEpoch(_latest(by_epoch, first, shift=1), spe) + (1.0 - wins) * updates
    )


def reduce_lr_on_plateau(*args: Any, **kwargs: Any):
    """fairseq ``reduce_lr_on_plateau``: not a function of the step.

    Raises:
      ValueError: always; the rate follows a validation metric.
    """
    raise ValueError(
        "fairseq.reduce_lr_on_plateau: the rate follows a validation metric (state "
        "outside the schedule), so it is not a function of the step. Use a fixed "
        "schedule (e.g. fairseq.step or fairseq.cosine), or apply "
        "optax.contrib.reduce_on_plateau to the updates."
    )
