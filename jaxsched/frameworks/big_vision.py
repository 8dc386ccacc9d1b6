"""big_vision's learning-rate schedule by its name, as a jaxsched schedule.

``create_learning_rate_schedule`` takes the arguments of
``big_vision.utils.create_learning_rate_schedule`` (``google-research/big_vision``
at ``0127fb6``), with big_vision's names and defaults, and returns its
``step_fn`` as one jaxsched schedule. Durations are read as big_vision's
``utils.steps`` reads them: exactly one of ``{name}_steps`` (as given),
``_examples`` (over ``batch_size``), ``_epochs`` (over ``data_size / batch_size``)
or ``_percent`` (of ``total_steps``), the last three rounded to the nearest step
(half to even, as Python's ``round``), at least 1 unless 0. That covers
``warmup``, ``cooldown``, ``timescale`` and ``shift``. ``base`` is big_vision's
``mult``: the schedule is a multiplier of the optimizer's rate in big_vision, the
rate itself when ``base`` is the rate.

With ``T = total_steps``, ``W`` the warmup, ``C`` the cooldown, ``lr = base`` (times
``batch_size / 256`` with ``scale_with_batchsize``) and ``p = clip((t - W) / (T -
W), 0, 1)``, each row gives big_vision's values (up to float rounding):

===============================  ======================================================
big_vision ``decay_type``        jaxsched
===============================  ======================================================
``linear``, ``polynomial``       ``WarmupHoldDecay(Constant(lr), warmup=W, decay=T - W,
                                 end_value=end, decay_shape="polynomial",
                                 decay_power=power)``: ``end + (lr - end) * (1 -
                                 p) ** power``
``cosine``                       ``WarmupHoldDecay(Constant(lr), warmup=W, decay=T - W,
                                 decay_shape="cosine")``
``rsqrt``                        ``InverseSqrt(lr / sqrt(1 + shift / timescale),
                                 W, timescale + shift)`` (``lr / sqrt(1 + (t +
                                 shift - W) / timescale)`` after the warmup)
``stair``                        ``PiecewiseConstant(steps, lr * [1, *mults]) *
                                 Linear(0, 1, W)``
warmup (any)                     multiplies by ``min(1, t / W)`` (inside the rows
                                 above)
cooldown (any)                   ``WarmupHoldDecay(above, hold=T - C, decay=C,
                                 after_end="extrapolate")``: multiplies by
                                 ``min(1, (T - t) / C)``
===============================  ======================================================

The step counts are computed as big_vision computes them (float64 products, Python
rounding), so the values equal big_vision's at every run length; to sweep over the
run length, build one mirror per length and ``jaxsched.stack`` them (one compile,
each member keeps its fractions). (For a run length that is itself a leaf, write the
schedule with ``WarmupHoldDecay(unit="fraction", rounding="round")``.)

big_vision's own behaviour, kept: the warmup and the cooldown multiply whatever the
decay gives (they may overlap); past ``total_steps`` the cooldown factor ``(T - t) /
C`` goes below 0, so the rate turns negative after the run (big_vision never trains
there).

Differences: what big_vision asserts becomes ``ValueError`` (two forms of one
duration, a percent outside [0, 1], ``warmup >= total_steps`` for ``total_steps >
1``); so does what it divides by zero or runs backwards (``T <= W`` for
``total_steps <= 1``), a ``stair`` with fewer ``mults`` than ``steps`` (big_vision's
``jnp.take`` gives NaN past them) or unsorted ``steps`` (its ``searchsorted`` needs
them sorted), a ``cooldown`` longer than the run, ``timescale + shift <= 0`` for
``rsqrt``, ``scale_with_batchsize`` without ``batch_size``, and an unknown
``decay_type`` (big_vision raises when the schedule is first called). Repeated
``stair`` steps keep the later multiplier, as big_vision's ``searchsorted`` does.
"""

from __future__ import annotations

import math
from typing import Any

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid
from jaxsched.schedules._arithmetic import Product
from jaxsched.schedules._primitives import Constant, Linear, PiecewiseConstant
from jaxsched.schedules._shapes import WarmupHoldDecay
from jaxsched.schedules._transformers import InverseSqrt

__all__ = ["create_learning_rate_schedule", "steps"]

#: big_vision's decay types.
DECAY_TYPES = ("linear", "polynomial", "cosine", "rsqrt", "stair")

_OWNER = "big_vision.create_learning_rate_schedule"
_SUFFIXES = ("steps", "examples", "epochs", "percent")


def steps(
    prefix: str,
    config: dict[str, Any],
    data_size: int | None = None,
    batch_size: int | None = None,
    total_steps: int | None = None,
    default: Any = ValueError,
) -> Any:
    """big_vision ``utils.steps``: the duration ``prefix`` of ``config`` in steps.

    Reads one of ``{prefix}_steps`` (as is), ``_examples`` (``/ batch_size``),
    ``_epochs`` (``* data_size / batch_size``) or ``_percent`` (``* total_steps``);
    the last three rounded half to even, at least 1 unless 0. A negative entry counts
    as absent, as in big_vision.

    Raises:
      ValueError: two entries for one duration, a percent outside [0, 1], or none
        usable when ``default`` is ``ValueError``.

    Example:
      >>> from jaxsched.frameworks import big_vision
      >>> big_vision.steps("warmup", {"warmup_percent": 0.05}, total_steps=1000)
      50
    """
    matches = [
        f"{prefix}_{s}"
        for s in _SUFFIXES
        if (x := config.get(f"{prefix}_{s}")) is not None and x >= 0
    ]
    if len(matches) > 1:
        raise invalid(
            "big_vision.steps",
            prefix,
            {m: config[m] for m in matches},
            f"given once (one of {', '.join(matches)})",
        )
    if f"{prefix}_steps" in matches:
        return config[f"{prefix}_steps"]

    def to_integer(x: float) -> int:
        return max(1, round(x)) if x else 0

    if batch_size and f"{prefix}_examples" in matches:
        return to_integer(config[f"{prefix}_examples"] / batch_size)
    if batch_size and data_size and f"{prefix}_epochs" in matches:
        return to_integer(config[f"{prefix}_epochs"] * (data_size / batch_size))
    if total_steps and f"{prefix}_percent" in matches:
        pct = config[f"{prefix}_percent"]
        if not 0.0 <= pct <= 1.0:
            raise invalid("big_vision.steps", f"{prefix}_percent", pct, "in [0, 1]")
        return to_integer(pct * total_steps)
    if default is ValueError:
        raise invalid(
            "big_vision.steps",
            prefix,
            None,
            "given in a form the sizes can convert",
            detail=f"batch_size={batch_size}, data_size={data_size}, "
            f"total_steps={total_steps}",
        )
    return default


def _stair(lr: float, boundaries: list[Any], mults: list[Any]) -> Schedule:
    if sorted(boundaries) != boundaries:
        raise invalid(_OWNER, "steps", boundaries, "sorted", detail="searchsorted")
    if len(mults) < len(boundaries):
        raise invalid(
            _OWNER,
            "mults",
            mults,
            f"at least {len(boundaries)} multipliers (one per step)",
            detail="big_vision gives NaN past them",
        )
    if not boundaries:
        return Constant(lr)
    values = [lr, *(lr * m for m in mults[: len(boundaries)])]
    kept_b, kept_v = [], [values[0]]
    for i, b in enumerate(boundaries):
        if kept_b and kept_b[-1] == b:  # a repeated step: the later multiplier
            kept_v[-1] = values[i + 1]
            continue
        kept_b.append(b)
        kept_v.append(values[i + 1])
    return PiecewiseConstant(kept_b, kept_v)


def create_learning_rate_schedule(
    total_steps: int,
    batch_size: int | None = None,
    data_size: int | None = None,
    base: float = 1.0,
    decay_type: str = "stair",
    scale_with_batchsize: bool = False,
    **kw: Any,
) -> Schedule:
    """big_vision ``create_learning_rate_schedule``: a decay, with a multiplicative
    warmup and cooldown.

    Args:
      total_steps: the run's length ``T``.
      batch_size, data_size: for durations in examples or epochs, and
        ``scale_with_batchsize``.
      base: the rate (big_vision's multiplier) before the warmup and cooldown.
      decay_type: ``"linear"``, ``"polynomial"``, ``"cosine"``, ``"rsqrt"`` or
        ``"stair"``.
      scale_with_batchsize: multiply ``base`` by ``batch_size / 256``.
      **kw: ``{warmup,cooldown}_{steps,examples,epochs,percent}``; ``power`` and
        ``end`` (or ``linear_end``) for ``linear``/``polynomial``; ``timescale``,
        ``shift`` (or their ``_steps``/... forms) for ``rsqrt``; ``steps`` and
        ``mults`` for ``stair``.

    Returns:
      The schedule of the module's table.

    Raises:
      ValueError: what the module docstring lists.

    Example:
      >>> from jaxsched.frameworks import big_vision
      >>> s = big_vision.create_learning_rate_schedule(
      ...     100, base=1.0, decay_type="cosine", warmup_percent=0.1)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 5, 10, 55, 100)))
      0.000 0.500 1.000 0.500 0.000
    """
    if decay_type not in DECAY_TYPES:
        raise invalid(_OWNER, "decay_type", decay_type, f"one of {DECAY_TYPES}")

    def to_steps(name: str, default: Any = 0) -> Any:
        return steps(name, kw, data_size, batch_size, total_steps, default=default)

    warmup = to_steps("warmup")
    cooldown = to_steps("cooldown")
    if not (total_steps <= 1 or warmup < total_steps):
        raise invalid(_OWNER, "warmup", warmup, f"< total_steps ({total_steps})")
    if total_steps - warmup <= 0 and decay_type not in ("rsqrt", "stair"):
        raise invalid(
            _OWNER,
            "total_steps",
            total_steps,
            f"> the warmup ({warmup})",
            detail="big_vision divides by total_steps - warmup, or runs backwards",
        )
    lr = base
    if scale_with_batchsize:
        if not batch_size:
            raise invalid(
                _OWNER, "batch_size", batch_size, "given with scale_with_batchsize"
            )
        lr = lr * batch_size / 256.0
    if decay_type in ("linear", "polynomial"):
        core: Schedule = WarmupHoldDecay(
            Constant(lr),
            warmup=warmup,
            hold=0,
            decay=total_steps - warmup,
            end_value=kw.get("end", kw.get("linear_end", 0)),
            decay_shape="polynomial",
            decay_power=kw.get("power", 1),
        )
    elif decay_type == "cosine":
        core = WarmupHoldDecay(
            Constant(lr),
            warmup=warmup,
            hold=0,
            decay=total_steps - warmup,
            decay_shape="cosine",
        )
    elif decay_type == "rsqrt":
        timescale = to_steps("timescale", default=kw.get("timescale", 10_000))
        shift = to_steps("shift", default=kw.get("shift", 0))
        if not timescale + shift > 0:
            raise invalid(
                _OWNER, "timescale", timescale, f"> -shift ({-shift})", detail="rsqrt"
            )
        peak = lr / math.sqrt(1 + shift / timescale)
        core = InverseSqrt(peak, warmup, timescale + shift)
    else:
        core = _stair(lr, list(kw.get("steps", [])), list(kw.get("mults", [])))
        if warmup:
            core = Product(core, Linear(0.0, 1.0, warmup))
    if cooldown:
        if cooldown > total_steps:
            raise invalid(
                _OWNER, "cooldown", cooldown, f"<= total_steps ({total_steps})"
            )
        core = WarmupHoldDecay(
            core,
            hold=total_steps - cooldown,
            decay=cooldown,
            after_end="extrapolate",
        )
    return core
