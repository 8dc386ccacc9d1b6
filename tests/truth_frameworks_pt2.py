"""Float64 transcriptions of Composer, NeMo, TF Model Garden and torch's momentum.

Each function is a line-by-line transcription of one scheduler's value at its own
clock ``t``, in Python float64 (Composer, NeMo and torch compute in Python floats;
Model Garden computes in float32 and is transcribed in float64), with the framework's
argument names and defaults. Nothing here imports jaxsched or a framework. Sources,
read at these commits:

- Composer ``mosaicml/composer`` at ``6405188805a0``:
  ``composer/optim/scheduler.py`` (last changed ``dfbaf1436453``) and
  ``composer/core/time.py`` (``Time``, ``Timestamp``; last changed ``58c39052b583``),
  ``composer/trainer/trainer.py`` (``_scale_max_duration_by_ssr``). ``t`` is
  ``state.timestamp.batch``; the timestamp at batch ``t`` counts ``t *
  samples_per_step`` samples and ``t * tokens_per_step`` tokens. The value is the
  multiplier ``alpha`` times the optimizer's rate.
- NeMo ``NVIDIA/NeMo`` at ``8cfedd720346``: ``nemo/core/optim/lr_scheduler.py``
  (last changed ``c83adff36efa``). ``t`` is ``last_epoch``.
- TF Model Garden ``tensorflow/models`` at ``00b830c7ca64``:
  ``official/modeling/optimization/lr_schedule.py``; Keras's schedules from
  ``keras-team/tf-keras`` ``tf_keras/optimizers/schedules/learning_rate_schedule.py``
  (the formulas of ``PolynomialDecay``, ``ExponentialDecay``,
  ``PiecewiseConstantDecay``, ``CosineDecay`` without warmup). ``t`` is the
  optimizer's step count.
- PyTorch ``pytorch/pytorch`` at ``008f727ece15``: ``torch/optim/lr_scheduler.py``
  (``OneCycleLR.get_lr``, ``CyclicLR.get_lr`` with ``cycle_momentum``). ``t`` is
  ``last_epoch``.

Checked against the frameworks' own code by ``tests/external/compare_pt2.py``
(Composer's and NeMo's scheduler files, torch 2.13: equal, CyclicLR within 1.1e-14
of the peak) and ``tests/external/compare_tf_models.py`` (Model Garden's
``lr_schedule.py`` of tf-models-official 2.20 on TensorFlow 2.21: within its
float32 rounding, 2.3e-7 of the peak, NaN where it gives NaN).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Sequence

import numpy as np


def _vector(function: Callable[[float], float], steps) -> np.ndarray:
    steps = np.asarray(steps)
    flat = [function(s.item()) for s in steps.reshape(-1)]
    return np.asarray(flat, dtype=np.float64).reshape(steps.shape)


# ----------------------------------------------------------------------- Composer

_UNITS = ("iter", "ep", "ba", "sp", "tok", "dur", "sec")
_TIME_RE = re.compile(r"^(.+)(" + "|".join(_UNITS) + r")$", flags=re.IGNORECASE)


def composer_time(text: str) -> tuple[float | int, str]:
    """``Time.from_timestring`` (without the ``XhYmZs`` wall-clock forms)."""
    match = _TIME_RE.findall(text)
    if len(match) != 1:
        raise ValueError(f"Invalid time string: {text}")
    value, unit = (x for x in match[0] if x != "")
    unit = unit.lower()
    value = float(value)
    if unit != "dur":
        if int(value) != value:
            raise TypeError(f"value {value} is not an integer")
        value = int(value)
    return value, unit


class ComposerState:
    """The parts of ``State`` the schedulers read: ``max_duration`` (already scaled
    by the trainer's ``scale_schedule_ratio``), ``dataloader_len`` and the counters
    of the timestamp at batch ``t``."""

    def __init__(
        self,
        max_duration: str,
        steps_per_epoch=None,
        samples_per_step=None,
        tokens_per_step=None,
        scale_schedule_ratio=1.0,
    ):
        value, unit = composer_time(max_duration)
        if scale_schedule_ratio != 1.0:  # trainer._scale_max_duration_by_ssr
            value = int(value * scale_schedule_ratio)  # Time.__mul__: int(v * ssr)
        self.max_duration = (value, unit)
        self.dataloader_len = steps_per_epoch
        self.per = {"ba": 1, "sp": samples_per_step, "tok": tokens_per_step}
        self.batch = 0

    def get(self, unit: str) -> int:
        """``Timestamp.get(unit)`` at batch ``self.batch``."""
        if unit == "ep":
            return self.batch // self.dataloader_len
        return self.batch * self.per[unit]


def composer_convert(time: str, state: ComposerState, ssr: float = 1.0):
    """``_convert_time`` (composer/optim/scheduler.py)."""
    value, unit = composer_time(time)
    if unit == "sec":
        raise ValueError("Wall clock time not an allowed time unit.")
    md_value, md_unit = state.max_duration
    if unit == "dur":
        if md_unit == "ep":
            return int(value * int(state.dataloader_len) * md_value), "ba"
        return int(value * md_value), md_unit
    if unit == "ep":
        value, unit = value * int(state.dataloader_len), "ba"
    return int(value * ssr), unit


def _cosine_anneal(x, min_y=0.0, max_y=1.0):
    x = min(max(x, 0.0), 1.0)
    return min_y + (max_y - min_y) * (1 + math.cos(x * math.pi)) / 2


def _check_warmup_and_max(t_warmup, t_max, state):
    # _raise_if_warmup_and_max_incompatible, _raise_if_max_duration_exceeds_t_max
    if t_warmup[1] != t_max[1]:
        raise ValueError("t_warmup and t_max must use the same units.")
    md_value, md_unit = state.max_duration
    if t_max[1] == md_unit:
        bad = t_max[0] < md_value
    elif t_max[1] == "ba" and md_unit == "ep":
        bad = t_max[0] < md_value * int(state.dataloader_len)
    else:
        bad = False
    if bad:
        raise ValueError("t_max must be greater than or equal to max_duration")


def _composer_linear(state, alpha_i, alpha_f, t_max, ssr):
    """``LinearScheduler.__call__``."""
    value, unit = composer_convert(t_max, state, ssr)
    frac = min(1.0, state.get(unit) / value)
    return alpha_i + frac * (alpha_f - alpha_i)


def _composer_warmup_phase(state, t_warmup, t_max, ssr, scale_warmup, alpha):
    """The common head of the ``*WithWarmupScheduler``s: the warmup value, or
    ``frac_of_total`` after it."""
    warm = composer_convert(t_warmup, state)
    top = composer_convert(t_max, state, ssr)
    _check_warmup_and_max(warm, top, state)
    if state.get(warm[1]) < warm[0]:
        return True, _composer_linear(
            state, 0.0, alpha, t_warmup, ssr if scale_warmup else 1.0
        )
    now = state.get(warm[1])
    frac = (now - warm[0]) / (top[0] - warm[0]) if top[0] > warm[0] else 0.0
    return False, min(1.0, frac)


def composer(
    steps,
    name: str,
    learning_rate: float,
    *,
    max_duration: str,
    steps_per_epoch=None,
    samples_per_step=None,
    tokens_per_step=None,
    scale_schedule_ratio=1.0,
    **kwargs,
) -> np.ndarray:
    """``learning_rate * scheduler(state, ssr)`` of Composer's scheduler ``name``
    (its constructor arguments in ``kwargs``) at each batch ``t`` of ``steps``."""
    state = ComposerState(
        max_duration,
        steps_per_epoch,
        samples_per_step,
        tokens_per_step,
        scale_schedule_ratio,
    )
    ssr = scale_schedule_ratio
    alpha_of = _COMPOSER[name]

    def f(t):
        state.batch = int(t)
        return learning_rate * alpha_of(state, ssr, **kwargs)

    return _vector(f, steps)


def _c_step(state, ssr, step_size, gamma=0.1):
    value, unit = composer_convert(step_size, state, ssr)
    return gamma ** int(state.get(unit) / value)


def _c_multistep(state, ssr, milestones, gamma=0.1):
    factor = 1.0
    for milestone in milestones:
        value, unit = composer_convert(milestone, state, ssr)
        if state.get(unit) >= value:
            factor *= gamma
    return factor


def _c_constant(state, ssr, alpha=1.0, t_max="1dur"):
    value, unit = composer_convert(t_max, state, ssr)
    return alpha if state.get(unit) < value else 1.0


def _c_linear(state, ssr, alpha_i=1.0, alpha_f=0.0, t_max="1dur"):
    return _composer_linear(state, alpha_i, alpha_f, t_max, ssr)


def _c_exponential(state, ssr, gamma, decay_period="1ep"):
    value, unit = composer_convert(decay_period, state, ssr)
    return gamma ** float(state.get(unit) / value)


def _c_cosine(state, ssr, t_max="1dur", alpha_f=0.0):
    value, unit = composer_convert(t_max, state, ssr)
    return _cosine_anneal(state.get(unit) / value, min_y=alpha_f)


def _c_cosine_restarts(state, ssr, t_0, t_mult=1.0, alpha_f=0.0):
    value, unit = composer_convert(t_0, state, ssr)
    length, end = value, value
    now = state.get(unit)
    if t_mult == 1 and length > 0 and end <= now:  # the loop's result, in one step
        end += (now - end) // length * length
    while end <= now:
        if length == 0:
            raise ValueError("Interval between restarts has decayed to 0.")
        length = int(t_mult * length)
        end += length
    start = end - length
    return _cosine_anneal((now - start) / length, min_y=alpha_f)


def _c_polynomial(state, ssr, power, t_max="1dur", alpha_f=0.0):
    value, unit = composer_convert(t_max, state, ssr)
    frac = min(1.0, state.get(unit) / value)
    return alpha_f + (1 - frac) ** power * (1.0 - alpha_f)


def _c_multistep_warmup(
    state, ssr, t_warmup, milestones, gamma=0.1, scale_warmup=False
):
    value, unit = composer_convert(t_warmup, state)
    if state.get(unit) < value:
        return _composer_linear(state, 0.0, 1.0, t_warmup, ssr if scale_warmup else 1.0)
    return _c_multistep(state, ssr, milestones, gamma)


def _c_linear_warmup(
    state, ssr, t_warmup, alpha_i=1.0, alpha_f=0.0, t_max="1dur", scale_warmup=False
):
    warming, x = _composer_warmup_phase(
        state, t_warmup, t_max, ssr, scale_warmup, alpha_i
    )
    return x if warming else alpha_i + x * (alpha_f - alpha_i)


def _c_constant_warmup(
    state, ssr, t_warmup, alpha=1.0, t_max="1dur", scale_warmup=False
):
    return _c_linear_warmup(state, ssr, t_warmup, alpha, alpha, t_max, scale_warmup)


def _c_cosine_warmup(
    state, ssr, t_warmup, t_max="1dur", alpha_f=0.0, scale_warmup=False
):
    warming, x = _composer_warmup_phase(state, t_warmup, t_max, ssr, scale_warmup, 1.0)
    return x if warming else _cosine_anneal(x, min_y=alpha_f)


def _c_polynomial_warmup(
    state, ssr, t_warmup, power=2.0, t_max="1dur", alpha_f=0.0, scale_warmup=False
):
    warming, x = _composer_warmup_phase(state, t_warmup, t_max, ssr, scale_warmup, 1.0)
    return x if warming else alpha_f + (1 - x) ** power * (1.0 - alpha_f)


_COMPOSER = {
    "StepScheduler": _c_step,
    "MultiStepScheduler": _c_multistep,
    "ConstantScheduler": _c_constant,
    "LinearScheduler": _c_linear,
    "ExponentialScheduler": _c_exponential,
    "CosineAnnealingScheduler": _c_cosine,
    "CosineAnnealingWarmRestartsScheduler": _c_cosine_restarts,
    "PolynomialScheduler": _c_polynomial,
    "MultiStepWithWarmupScheduler": _c_multistep_warmup,
    "ConstantWithWarmupScheduler": _c_constant_warmup,
    "LinearWithWarmupScheduler": _c_linear_warmup,
    "CosineAnnealingWithWarmupScheduler": _c_cosine_warmup,
    "PolynomialWithWarmupScheduler": _c_polynomial_warmup,
}


# --------------------------------------------------------------------------- NeMo


def _steps_or_ratio(steps, ratio, max_steps):
    if steps is not None:
        return steps
    if ratio is not None:
        return int(ratio * max_steps)
    return 0


def _nemo_warmup(base, step, warmup_steps):
    return base * ((step + 1) / (warmup_steps + 1))


def nemo(steps, name: str, learning_rate: float, **kwargs) -> np.ndarray:
    """``get_lr()[0]`` of NeMo's scheduler ``name`` built with one parameter group
    of rate ``learning_rate`` and ``kwargs``, at ``last_epoch = t``."""
    policy = _NEMO[name](learning_rate, **kwargs)
    return _vector(lambda t: policy(int(t)), steps)


def _warmup_policy(base, *, get_lr=None, **kw):
    """``WarmupPolicy.get_lr`` with ``_get_lr = get_lr(step, warmup_steps)``: the
    ``WarmupHoldPolicy`` below without a hold (``hold = 0``: its hold branch never
    runs; the rest is ``WarmupPolicy.get_lr`` line for line)."""
    get_lr = get_lr or (lambda step, w: base)
    return _warmup_hold_policy(base, get_lr=lambda step, w, hold: get_lr(step, w), **kw)


def _warmup_hold_policy(
    base,
    *,
    warmup_steps=None,
    warmup_ratio=None,
    hold_steps=None,
    hold_ratio=None,
    max_steps=None,
    min_lr=0.0,
    get_lr=None,
):
    """``WarmupHoldPolicy.get_lr`` with ``_get_lr = get_lr(step, w, hold)``."""
    w = _steps_or_ratio(warmup_steps, warmup_ratio, max_steps)
    if hold_steps is not None:
        hold = hold_steps + w
    elif hold_ratio is not None:
        hold = int(hold_ratio * max_steps) + w
    else:
        hold = 0
    get_lr = get_lr or (lambda step, w, hold: base)

    def f(step):
        if step <= w and w > 0:
            return _nemo_warmup(base, step, w)
        if step >= w and step < hold:
            return base
        if max_steps is not None and step > max_steps:
            return min_lr
        return get_lr(step, w, hold)

    return f


def _warmup_anneal_hold_policy(
    base,
    *,
    warmup_steps=None,
    warmup_ratio=None,
    constant_steps=None,
    constant_ratio=None,
    max_steps=None,
    min_lr=0.0,
    get_lr=None,
    warmup_lr=None,
    constant_lr=None,
):
    """``WarmupAnnealHoldPolicy.get_lr`` (no ``reset_lr`` hook)."""
    w = _steps_or_ratio(warmup_steps, warmup_ratio, max_steps)
    c = _steps_or_ratio(constant_steps, constant_ratio, max_steps)
    decay = max_steps - (c + w)
    get_lr = get_lr or (lambda step, w, c, decay: base)
    warmup_lr = warmup_lr or (lambda step, w, c, decay: _nemo_warmup(base, step, w))
    constant_lr = constant_lr or (lambda step, w, c, decay: min_lr)

    def f(step):
        if w > 0 and step <= w:
            return warmup_lr(step, w, c, decay)
        if c > 0 and (w + decay) < step <= max_steps:
            return constant_lr(step, w, c, decay)
        if step > max_steps:
            return min_lr
        return get_lr(step, w, c, decay)

    return f


def _n_one_minus_sqrt(base, *, max_steps, min_lr=0.0, **kw):
    def get_lr(step, w, hold):
        mult = 1 - ((step - hold) / (max_steps - hold)) ** 0.5
        return max(min_lr, base * mult)

    return _warmup_hold_policy(
        base, max_steps=max_steps, min_lr=min_lr, get_lr=get_lr, **kw
    )


def _n_hold_linear(base, *, max_steps, min_lr=0.0, **kw):
    def get_lr(step, w, hold):
        ratio = (step - hold) / (max_steps - hold)
        return base - (base - min_lr) * ratio

    return _warmup_hold_policy(
        base, max_steps=max_steps, min_lr=min_lr, get_lr=get_lr, **kw
    )


def _n_square(base, *, max_steps, min_lr=1e-5, **kw):
    def get_lr(step, w):  # _square_annealing
        mult = (((max_steps - w) - (step - w)) / (max_steps - w)) ** 2
        return max(base * mult, min_lr)

    return _warmup_policy(base, max_steps=max_steps, min_lr=min_lr, get_lr=get_lr, **kw)


def _n_square_root(base, *, max_steps, min_lr=0, **kw):
    def get_lr(step, w):  # _squareroot_annealing at the absolute step
        mult = ((max_steps - step) / max_steps) ** 0.5
        return max(base * mult, min_lr)

    return _warmup_policy(base, max_steps=max_steps, min_lr=min_lr, get_lr=get_lr, **kw)


def _megatron_cosine(max_lr, warmup_steps, step, decay_steps, min_lr):
    """``_linear_warmup_with_cosine_annealing``."""
    assert max_lr > min_lr
    if warmup_steps > 0 and step <= warmup_steps:
        return max_lr * float(step) / float(warmup_steps)
    if step > warmup_steps + decay_steps:
        return min_lr
    decay_ratio = float(step - warmup_steps) / float(decay_steps)
    assert 0.0 <= decay_ratio <= 1.0
    coeff = 0.5 * (math.cos(math.pi * decay_ratio) + 1.0)
    return min_lr + coeff * (max_lr - min_lr)


def _n_cosine(base, *, max_steps, min_lr=0, **kw):
    if base < min_lr:
        raise ValueError("initial learning rate lower than the minimum")
    constant = _steps_or_ratio(
        kw.get("constant_steps"), kw.get("constant_ratio"), max_steps
    )

    def get_lr(step, w, c, decay):
        if constant == 0:  # _cosine_annealing
            s, m = step - w, max_steps - w
            return (base - min_lr) * (0.5 * (1 + math.cos(math.pi * s / m))) + min_lr
        return _megatron_cosine(base, w, step, decay, min_lr)

    def megatron(step, w, c, decay):
        return _megatron_cosine(base, w, step, decay, min_lr)

    return _warmup_anneal_hold_policy(
        base,
        max_steps=max_steps,
        min_lr=min_lr,
        get_lr=get_lr,
        warmup_lr=None if constant == 0 else megatron,
        constant_lr=megatron,
        **kw,
    )


def _n_noam(
    base, *, d_model, warmup_steps=None, warmup_ratio=None, max_steps=None, min_lr=0.0
):
    normalize = d_model ** (-0.5)
    w = _steps_or_ratio(warmup_steps, warmup_ratio, max_steps)
    if base < min_lr:
        raise ValueError("initial learning rate lower than the minimum")

    def f(last_epoch):
        step = max(1, last_epoch)
        if w > 0:
            mult = normalize * min(step ** (-0.5), step * (w ** (-1.5)))
        else:
            mult = normalize * step ** (-0.5)
        out = base * mult
        if step > w:
            out = max(out, min_lr)
        return out

    return f


def _n_noam_hold(base, *, max_steps, decay_rate=0.5, min_lr=0.0, **kw):
    def get_lr(step, w, hold):
        if w is None or w == 0:
            raise ValueError("Noam scheduler cannot be used without warmup steps")
        h = hold - w if hold > 0 else 0
        t_warmup_decay = max(1, w**decay_rate)
        t_hold_decay = max(1, (step - h) ** decay_rate)
        return max(base * t_warmup_decay / t_hold_decay, min_lr)

    return _warmup_hold_policy(
        base, max_steps=max_steps, min_lr=min_lr, get_lr=get_lr, **kw
    )


def _n_warmup_annealing(base, *, max_steps, min_lr=0.0, **kw):
    def get_lr(step, w):
        mult = (step - w) / (max_steps - w)
        return min_lr + (1 - mult) * (base - min_lr)

    return _warmup_policy(base, max_steps=max_steps, min_lr=min_lr, get_lr=get_lr, **kw)


def _n_inverse_sqrt(base, *, max_steps, min_lr=0.0, **kw):
    def get_lr(step, w):
        return base / ((step + 1) / (w + 1)) ** 0.5

    return _warmup_policy(base, max_steps=max_steps, min_lr=min_lr, get_lr=get_lr, **kw)


def _n_t5(base, *, max_steps, min_lr=0.0, constant_steps=None, constant_ratio=None):
    # SquareRootConstantPolicy: constant_lr from the *argument* constant_steps.
    c = _steps_or_ratio(constant_steps, constant_ratio, max_steps)
    constant_lr = 1 / (constant_steps**0.5)

    def f(step):
        if step <= c:
            return constant_lr
        if step > max_steps:
            return min_lr
        return 1 / (step**0.5)

    return f


def _poly_decay(initial_lr, step, decay_steps, power, min_lr, cycle):
    if cycle:
        multiplier = 1.0 if step == 0 else math.ceil(step / decay_steps)
        decay_steps *= multiplier
    else:
        step = min(step, decay_steps)
    p = step / decay_steps
    return (initial_lr - min_lr) * math.pow(1.0 - p, power) + min_lr


def _n_poly(base, *, max_steps, min_lr=0.0, power=1.0, cycle=False, **kw):
    def get_lr(step, w):
        return _poly_decay(base, step - w, max_steps - w, power, min_lr, cycle)

    return _warmup_policy(base, max_steps=max_steps, min_lr=min_lr, get_lr=get_lr, **kw)


def _n_poly_hold(base, *, max_steps, min_lr=0.0, power=1.0, cycle=False, **kw):
    def get_lr(step, w, hold):
        d = max_steps - max(w, hold)
        return _poly_decay(base, step - hold, d, power, min_lr, cycle)

    return _warmup_hold_policy(
        base, max_steps=max_steps, min_lr=min_lr, get_lr=get_lr, **kw
    )


_NEMO = {
    "WarmupPolicy": _warmup_policy,
    "WarmupHoldPolicy": _warmup_hold_policy,
    "WarmupAnnealHoldPolicy": _warmup_anneal_hold_policy,
    "WarmupHoldAnnealOneMinusSquareRoot": _n_one_minus_sqrt,
    "WarmupHoldAnnealLinear": _n_hold_linear,
    "SquareAnnealing": _n_square,
    "SquareRootAnnealing": _n_square_root,
    "CosineAnnealing": _n_cosine,
    "NoamAnnealing": _n_noam,
    "NoamHoldAnnealing": _n_noam_hold,
    "WarmupAnnealing": _n_warmup_annealing,
    "InverseSquareRootAnnealing": _n_inverse_sqrt,
    "T5InverseSquareRootAnnealing": _n_t5,
    "PolynomialDecayAnnealing": _n_poly,
    "PolynomialHoldDecayAnnealing": _n_poly_hold,
}


# ---------------------------------------------------------------- TF Model Garden


def _keras_polynomial(
    step, initial_learning_rate, decay_steps, end_learning_rate, power, cycle
):
    if cycle:
        multiplier = 1.0 if step == 0 else math.ceil(step / decay_steps)
        decay_steps = decay_steps * multiplier
    else:
        step = min(step, decay_steps)
    p = step / decay_steps
    return (initial_learning_rate - end_learning_rate) * (
        1 - p
    ) ** power + end_learning_rate


def _keras_exponential(step, initial_learning_rate, decay_steps, decay_rate, staircase):
    p = step / decay_steps
    if staircase:
        p = math.floor(p)
    return initial_learning_rate * decay_rate**p


def _keras_piecewise(step, boundaries, values):
    # x <= b0 -> v0; b_{i-1} < x <= b_i -> v_i; x > b_last -> v_last
    return values[bisect.bisect_left(boundaries, step)]


def _keras_cosine(step, initial_learning_rate, decay_steps, alpha):
    step = min(step, decay_steps)
    cosine = 0.5 * (1.0 + math.cos(math.pi * step / decay_steps))
    return initial_learning_rate * ((1 - alpha) * cosine + alpha)


def _tf_cos(x: float, y: float) -> float:
    """``tf.cos(x / y)`` with TF's float division: ``x / 0`` is inf or NaN, and the
    cosine of either is NaN."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.cos(np.float64(x) / np.float64(y)))


# the Keras schedules of the *WithOffset wrappers: (function of the step, required
# arguments, optional arguments with Keras's defaults), in the function's order
_KERAS_WITH_OFFSET: dict[str, tuple[Callable[..., float], tuple, dict]] = {
    "PiecewiseConstantDecayWithOffset": (
        _keras_piecewise,
        ("boundaries", "values"),
        {},
    ),
    "PolynomialDecayWithOffset": (
        _keras_polynomial,
        ("initial_learning_rate", "decay_steps"),
        {"end_learning_rate": 0.0001, "power": 1.0, "cycle": False},
    ),
    "ExponentialDecayWithOffset": (
        _keras_exponential,
        ("initial_learning_rate", "decay_steps", "decay_rate"),
        {"staircase": False},
    ),
    "CosineDecayWithOffset": (
        _keras_cosine,
        ("initial_learning_rate", "decay_steps"),
        {"alpha": 0.0},
    ),
}


def tf_models(steps, name: str, **kwargs) -> np.ndarray:
    """Model Garden's schedule ``name`` built with ``kwargs``, at each step.

    ``LinearWarmup`` and ``PolynomialWarmUp`` take ``after_warmup_lr_sched`` as a
    float or a ``(name, kwargs)`` pair of another schedule here.
    """
    fn = _tf_function(name, kwargs)
    return _vector(lambda t: fn(float(t)), steps)


def _tf_function(name: str, kwargs: dict) -> Callable[[float], float]:
    kw = dict(kwargs)
    if name in ("LinearWarmup", "PolynomialWarmUp"):
        after = kw.pop("after_warmup_lr_sched")
        sched = (
            (lambda t: float(after))
            if not isinstance(after, tuple)
            else (_tf_function(after[0], after[1]))
        )
        w = kw["warmup_steps"]
        final = sched(float(w))
        if name == "LinearWarmup":
            init = kw["warmup_learning_rate"]

            def linear(t):
                if t < w:
                    return init + t / w * (final - init)
                return sched(t)

            return linear
        power = kw.get("power", 1.0)

        def polynomial(t):
            done = 1.0 if w <= 0 else max(t, 1.0) / w
            if t < w:
                return final * done**power
            return sched(t)

        return polynomial
    offset = kw.pop("offset", 0)
    if name in _KERAS_WITH_OFFSET:
        fn, required, defaults = _KERAS_WITH_OFFSET[name]
        args = [kw[k] for k in required] + [kw.get(k, d) for k, d in defaults.items()]
        return lambda t: fn(t - offset, *args)
    if name == "DirectPowerDecay":
        lr, power = kw["initial_learning_rate"], kw.get("power", 1.0)
        return lambda t: lr * max(t, 1.0) ** power
    if name == "PowerAndLinearDecay":
        lr, total = kw["initial_learning_rate"], kw["total_decay_steps"]
        power, fraction = kw.get("power", 1.0), kw.get("linear_decay_fraction", 0.1)

        def power_linear(t):
            t = t - offset
            out = lr * max(t, 1.0) ** power
            if total * fraction > 0:
                out *= min(1.0, (total - t) / (total * fraction))
                out = max(0.0, out)
            return out

        return power_linear
    if name == "PowerDecayWithOffset":
        lr, power = kw["initial_learning_rate"], kw.get("power", 1.0)
        pre = kw.get("pre_offset_learning_rate", 1.0e6)

        def power_offset(t):
            after = max(t - offset, 1.0) ** power * lr
            sign = float(t > offset)
            return min((1.0 - sign) * pre + sign * after, pre)

        return power_offset
    if name == "StepCosineDecayWithOffset":
        bounds, values = kw["boundaries"], kw["values"]
        totals = [bounds[i + 1] - bounds[i] for i in range(len(bounds) - 1)] + [0]

        def cosine_steps(t):
            t = t - offset
            n = len(values)
            nxt = values[1] if n > 1 else 0.0
            lr = (values[0] - nxt) * (_tf_cos(math.pi * t, totals[0]) + 1) / 2 + nxt
            for i in range(1, n):
                nn = values[i + 1] if n > i + 1 else 0.0
                if t >= bounds[i]:
                    x = _tf_cos(math.pi * (t - bounds[i]), totals[i])
                    lr = (values[i] - nn) * (x + 1) / 2 + nn
            return lr

        return cosine_steps
    raise KeyError(name)


# ---------------------------------------------------------------- torch momentum


def torch_one_cycle(
    steps,
    max_lr,
    total_steps,
    pct_start=0.3,
    anneal_strategy="cos",
    base_momentum=0.85,
    max_momentum=0.95,
    div_factor=25.0,
    final_div_factor=1e4,
    three_phase=False,
) -> tuple[np.ndarray, np.ndarray]:
    """``OneCycleLR.get_lr`` with ``cycle_momentum``: (lr, momentum) at ``t <=
    total_steps``."""
    group = {
        "initial_lr": max_lr / div_factor,
        "max_lr": max_lr,
        "base_momentum": base_momentum,
        "max_momentum": max_momentum,
    }
    group["min_lr"] = group["initial_lr"] / final_div_factor
    up = (
        float(pct_start * total_steps) - 1,
        "initial_lr",
        "max_lr",
        "max_momentum",
        "base_momentum",
    )
    if three_phase:
        phases = [
            up,
            (
                float(2 * pct_start * total_steps) - 2,
                "max_lr",
                "initial_lr",
                "base_momentum",
                "max_momentum",
            ),
            (total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
        ]
    else:
        phases = [
            up,
            (total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
        ]

    def anneal(start, end, pct):
        if anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def both(step_num):
        start_step = 0.0
        for i, (end_step, a, b, ma, mb) in enumerate(phases):
            if step_num <= end_step or i == len(phases) - 1:
                pct = (step_num - start_step) / (end_step - start_step)
                return anneal(group[a], group[b], pct), anneal(
                    group[ma], group[mb], pct
                )
            start_step = end_step
        raise AssertionError

    return _vector(lambda t: both(t)[0], steps), _vector(lambda t: both(t)[1], steps)


def torch_cyclic(
    steps,
    base_lr,
    max_lr,
    step_size_up=2000,
    step_size_down=None,
    mode="triangular",
    gamma=1.0,
    base_momentum=0.8,
    max_momentum=0.9,
) -> tuple[np.ndarray, np.ndarray]:
    """``CyclicLR.get_lr`` with ``cycle_momentum``: (lr, momentum)."""
    up = float(step_size_up)
    down = float(step_size_down) if step_size_down is not None else up
    total_size = up + down
    step_ratio = up / total_size
    if mode == "triangular":
        scale_fn, scale_mode = (lambda x: 1.0), "cycle"
    elif mode == "triangular2":
        scale_fn, scale_mode = (lambda x: 1 / (2.0 ** (x - 1))), "cycle"
    else:
        scale_fn, scale_mode = (lambda x: gamma**x), "iterations"

    def both(last_epoch):
        # torch: cycle = floor(1 + t / total), x = 1 + t / total - cycle; the same
        # position from the exact remainder (torch's float x rounds by ~1e-9 at 2**31)
        cycle = 1 + last_epoch // total_size
        x = (last_epoch % total_size) / total_size
        scale_factor = x / step_ratio if x <= step_ratio else (x - 1) / (step_ratio - 1)
        arg = cycle if scale_mode == "cycle" else last_epoch
        lr = base_lr + (max_lr - base_lr) * scale_factor * scale_fn(arg)
        momentum = max_momentum - (
            max_momentum - base_momentum
        ) * scale_factor * scale_fn(arg)
        return lr, momentum

    return _vector(lambda t: both(t)[0], steps), _vector(lambda t: both(t)[1], steps)


__all__: Sequence[str] = (
    "composer",
    "composer_convert",
    "composer_time",
    "nemo",
    "tf_models",
    "torch_cyclic",
    "torch_one_cycle",
)
