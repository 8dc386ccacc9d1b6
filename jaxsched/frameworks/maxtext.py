"""MaxText's learning-rate schedule by its name, as a jaxsched schedule.

``create_learning_rate_schedule(config)`` takes a mapping with MaxText's config keys
(``src/maxtext/configs/base.yml`` and ``types.py``, ``AI-Hypercomputer/maxtext`` at
``e591f30``; missing keys take MaxText's defaults, other keys are ignored) and returns
what ``maxtext_utils.create_learning_rate_schedule(config)`` builds, as one jaxsched
schedule: the value at step ``t`` is the rate of MaxText's update ``t + 1``.

With ``S = learning_rate_schedule_steps`` (``-1``: ``steps``; and ``steps = -1``:
``S``), ``W = int(S * warmup_steps_fraction)``, ``D = int(S *
wsd_decay_steps_fraction)``, ``lr = learning_rate`` and ``final = lr *
learning_rate_final_fraction``:

========================  ==========================================================
MaxText                   jaxsched
========================  ==========================================================
``cosine``                ``WarmupHoldDecay(Constant(lr), warmup=W, hold=0,
                          decay=S - W - 1, end_value=final, decay_shape="cosine",
                          after_end="extrapolate")``: MaxText's cosine divides by
                          ``len - 1``, so it reaches ``final`` on its last step
``wsd``, ``linear``       ``WarmupHoldDecay(Constant(lr), warmup=W, hold=S - W -
                          D, decay=D - 1, end_value=final)`` (optax's
                          ``linear_schedule(lr, final, D - 1)``)
``wsd``, ``cosine``       ``WarmupHoldDecay(Constant(lr), warmup=W, hold=S - W -
                          D, decay=D - 1, end_value=final, decay_shape="cosine",
                          after_end="extrapolate")``
``steps > S``             ``Join([that, Constant(0.0)], [S])``
========================  ==========================================================

The lengths are computed as MaxText computes them (``int()`` of the float64
product), so the values equal MaxText's for every run length; to sweep over the run
length, build one mirror per length and ``jaxsched.stack`` them (one compile for
all, each member with its own fractions).

MaxText's own behaviour, kept: a cosine piece is evaluated past its end when nothing
follows it (``steps == S``): it rises again after step ``S - 1`` (a cosine past
``pi``); training stops before that. A one-step cosine piece is ``final`` throughout.
A WSD linear decay of ``D = 1`` step is no decay (optax's ``linear_schedule`` with
``transition_steps=0`` holds ``lr``).

Differences: MaxText's config validation (``types.py``) becomes ``ValueError``:
``lr_schedule_type`` not ``cosine``/``wsd``, ``wsd_decay_style`` not
``linear``/``cosine``, fractions outside [0, 1], ``warmup_steps_fraction +
wsd_decay_steps_fraction > 1`` with ``wsd``, a negative ``learning_rate``; so does a
schedule of no steps at all (``S = 0`` and ``steps <= 0``: optax's
``join_schedules`` fails on no pieces).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import invalid
from jaxsched.schedules._join import Join
from jaxsched.schedules._primitives import Constant
from jaxsched.schedules._shapes import WarmupHoldDecay

__all__ = ["create_learning_rate_schedule"]

#: MaxText's defaults of the keys the schedule reads (``base.yml``).
DEFAULTS: dict[str, Any] = {
    "learning_rate": 3.0e-5,
    "lr_schedule_type": "cosine",
    "learning_rate_final_fraction": 0.1,
    "wsd_decay_steps_fraction": 0.1,
    "wsd_decay_style": "linear",
    "warmup_steps_fraction": 0.1,
    "learning_rate_schedule_steps": -1,
    "steps": 150_001,
}

_OWNER = "maxtext.create_learning_rate_schedule"


def _value(config: Mapping[str, Any], key: str) -> Any:
    value = config.get(key, DEFAULTS[key])
    return getattr(value, "value", value)  # MaxText's str enums


def _check(key: str, value: Any, ok: bool, expected: str) -> None:
    if not ok:
        raise invalid(
            _OWNER, key, value, expected, detail="MaxText's config rejects it"
        )


def create_learning_rate_schedule(config: Mapping[str, Any]) -> Schedule:
    """MaxText ``create_learning_rate_schedule``: warmup, then cosine or WSD, then 0.

    Args:
      config: a mapping with MaxText's keys (``learning_rate``,
        ``lr_schedule_type``, ``learning_rate_final_fraction``,
        ``warmup_steps_fraction``, ``wsd_decay_steps_fraction``,
        ``wsd_decay_style``, ``learning_rate_schedule_steps``, ``steps``); an object
        with these attributes (MaxText's pydantic config) works too.

    Returns:
      The schedule of the module's table.

    Raises:
      ValueError: what MaxText's config validation rejects (module docstring).

    Example:
      >>> from jaxsched.frameworks import maxtext
      >>> s = maxtext.create_learning_rate_schedule(
      ...     {"learning_rate": 1.0, "steps": 12, "learning_rate_schedule_steps": 11})
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 1, 6, 10, 11)))
      0.00 1.00 0.47 0.10 0.00
    """
    if not isinstance(config, Mapping):
        config = {k: getattr(config, k) for k in DEFAULTS if hasattr(config, k)}
    lr = _value(config, "learning_rate")
    kind = _value(config, "lr_schedule_type")
    style = _value(config, "wsd_decay_style")
    final_fraction = _value(config, "learning_rate_final_fraction")
    warmup_fraction = _value(config, "warmup_steps_fraction")
    decay_fraction = _value(config, "wsd_decay_steps_fraction")
    schedule_steps = _value(config, "learning_rate_schedule_steps")
    steps = _value(config, "steps")
    _check("learning_rate", lr, lr >= 0, ">= 0")
    _check("lr_schedule_type", kind, kind in ("cosine", "wsd"), "'cosine' or 'wsd'")
    _check(
        "wsd_decay_style", style, style in ("linear", "cosine"), "'linear' or 'cosine'"
    )
    for key, fraction in (
        ("warmup_steps_fraction", warmup_fraction),
        ("wsd_decay_steps_fraction", decay_fraction),
    ):
        _check(key, fraction, 0 <= fraction <= 1, "in [0, 1]")
    for key, count in (
        ("steps", steps),
        ("learning_rate_schedule_steps", schedule_steps),
    ):
        _check(key, count, int(count) == count and count >= -1, "a whole number >= -1")
    if kind == "wsd":
        _check(
            "wsd_decay_steps_fraction",
            decay_fraction,
            warmup_fraction + decay_fraction <= 1.0,
            f"<= 1 - warmup_steps_fraction ({warmup_fraction}) with 'wsd'",
        )
    if schedule_steps == -1:
        schedule_steps = steps
    if steps == -1:
        steps = schedule_steps
    total = int(schedule_steps)
    final = lr * final_fraction
    warmup = int(total * warmup_fraction)
    if kind == "cosine":
        length = total - warmup
        hold = 0
        shape = "cosine"
    else:
        length = int(total * decay_fraction)
        hold = total - warmup - length
        shape = style
    if length > 1:
        decay, end = length - 1, final
    elif length == 1:  # MaxText's one-step cosine: final; optax's 0-step linear: lr
        decay, end = 0, final if shape == "cosine" else lr
    else:  # no decay piece: the warmup's end (or lr) holds
        decay, end = 0, lr
    if total == 0 and steps <= 0:
        raise invalid(
            _OWNER, "steps", steps, "> 0 or a schedule of steps", detail="no pieces"
        )
    main = WarmupHoldDecay(
        Constant(lr),
        warmup=warmup,
        hold=hold,
        decay=decay,
        end_value=end,
        decay_shape=shape,
        after_end="extrapolate" if shape == "cosine" else "hold",
    )
    if total == 0:
        return Constant(0.0)
    if steps > total:
        return Join([main, Constant(0.0)], [total])
    return main
