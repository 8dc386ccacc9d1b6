"""Float64 transcriptions of the PyTorch-world frameworks' schedulers (the oracles).

Each function is a line-by-line transcription of one scheduler's value at its own
clock ``t``, in Python float64 (the frameworks compute in Python floats too), with
the framework's argument names and defaults. Nothing here imports jaxsched or a
framework. Sources, read at these commits:

- timm 1.0.31 (the wheel; ``huggingface/pytorch-image-models`` at
  ``aa4b5850c154`` has the same ``cosine_lr.py``, ``tanh_lr.py``, ``poly_lr.py``,
  ``step_lr.py``, ``multistep_lr.py``; ``wsd_lr.py`` is only in 1.0.31, and
  ``scheduler.py`` of 1.0.31 multiplies the normal noise by ``noise_std``):
  ``timm/scheduler/*.py``. ``t`` is what the training loop passes to ``step(epoch)``
  or ``step_update(num_updates)``; the value is ``_get_lr(t)`` (the constructor sets
  the base rate, or ``warmup_lr_init``, before the first call).
- fairseq ``facebookresearch/fairseq`` at ``3d262bb25690``:
  ``fairseq/optim/lr_scheduler/*.py``. ``t`` is ``num_updates`` of
  ``step_update(num_updates)``; epochs (``fixed``, ``manual``'s ``epoch2lr``) count
  from 1, epoch ``t // steps_per_epoch + 1``.
- DeepSpeed ``deepspeedai/DeepSpeed`` at ``edaa7221267``:
  ``deepspeed/runtime/lr_schedules.py``. ``t`` is the number of ``step()`` calls
  since construction (``last_batch_iteration = t - 1``); ``t = 0`` is the
  constructor's value.
- Megatron-LM ``NVIDIA/Megatron-LM`` at ``d98e8a64ddf3``:
  ``megatron/core/optimizer_param_scheduler.py``. ``t`` is ``num_steps`` (the
  sample count when ``training.py`` drives it).

Noise (timm) is not transcribed: torch's generator cannot be reproduced; the tests
check its range, its distribution and its determinism instead (``timm_noise_mask``
gives where the frameworks apply it).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence

import numpy as np


def _vector(function: Callable[[float], float], steps) -> np.ndarray:
    steps = np.asarray(steps)
    flat = [function(s.item()) for s in steps.reshape(-1)]
    return np.asarray(flat, dtype=np.float64).reshape(steps.shape)


# --------------------------------------------------------------------------- timm


def _timm_cycle(t, t_initial, cycle_mul):
    # cosine_lr.py / tanh_lr.py / poly_lr.py, _get_lr: the cycle picked by a float
    # logarithm (exactly as timm does).
    if cycle_mul != 1:
        i = math.floor(math.log(1 - t / t_initial * (1 - cycle_mul), cycle_mul))
        t_i = cycle_mul**i * t_initial
        t_curr = t - (1 - cycle_mul**i) / (1 - cycle_mul) * t_initial
    else:
        i = t // t_initial
        t_i = t_initial
        t_curr = t - (t_initial * i)
    return i, t_i, t_curr


def _timm_warmup(
    steps, peak, after, warmup_t=0, warmup_lr_init=0.0, warmup_prefix=True
):
    """timm's linear warmup from ``warmup_lr_init`` to ``peak`` over ``warmup_t``,
    then ``after`` at ``t - warmup_t`` (``warmup_prefix``) or at ``t``."""
    warmup_step = (peak - warmup_lr_init) / warmup_t if warmup_t else 1

    def f(t):
        if t < warmup_t:
            return warmup_lr_init + t * warmup_step
        if warmup_prefix:
            t = t - warmup_t
        return after(t)

    return _vector(f, steps)


def _timm_cycles(
    steps,
    lr,
    t_initial,
    shape,
    lr_min=0.0,
    cycle_mul=1.0,
    cycle_decay=1.0,
    cycle_limit=1,
    warmup_t=0,
    warmup_lr_init=0.0,
    warmup_prefix=False,
    k_decay=1.0,
    *,
    ramp_to_cycle=False,
):
    """The ``_get_lr`` of cosine_lr.py, tanh_lr.py and poly_lr.py: in cycle ``i``
    at ``t_curr`` of ``t_i``, ``lr_min + shape(lr * cycle_decay ** i - lr_min,
    t_curr ** k, t_i ** k)`` (``lr_min`` from ``cycle_limit`` on) after the warmup,
    which ramps to ``lr`` or, with ``ramp_to_cycle`` and no ``warmup_prefix`` (tanh),
    to the cycle's value at ``warmup_t``."""

    def after(t):
        i, t_i, t_curr = _timm_cycle(t, t_initial, cycle_mul)
        lr_max = lr * cycle_decay**i
        k = k_decay
        if i < cycle_limit:
            return lr_min + shape(lr_max - lr_min, t_curr**k, t_i**k)
        return lr_min

    continuous = ramp_to_cycle and warmup_t and not warmup_prefix
    peak = after(warmup_t) if continuous else lr
    return _timm_warmup(steps, peak, after, warmup_t, warmup_lr_init, warmup_prefix)


def timm_cosine(steps, lr, t_initial, *args, **kwargs):
    """``CosineLRScheduler._get_lr`` (timm/scheduler/cosine_lr.py); the arguments
    from ``lr_min`` on as :func:`_timm_cycles`'s."""

    def shape(span, t_curr_k, t_i_k):
        return 0.5 * span * (1 + math.cos(math.pi * t_curr_k / t_i_k))

    return _timm_cycles(steps, lr, t_initial, shape, *args, **kwargs)


def timm_tanh(steps, lr, t_initial, lb=-7.0, ub=3.0, *args, **kwargs):
    """``TanhLRScheduler._get_lr`` (timm/scheduler/tanh_lr.py); the arguments from
    ``lr_min`` to ``warmup_prefix`` as :func:`_timm_cycles`'s (no ``k_decay``)."""

    def shape(span, t_curr, t_i):
        tr = t_curr / t_i
        return 0.5 * span * (1 - math.tanh(lb * (1.0 - tr) + ub * tr))

    return _timm_cycles(
        steps, lr, t_initial, shape, *args, ramp_to_cycle=True, **kwargs
    )


def timm_poly(steps, lr, t_initial, power=0.5, *args, **kwargs):
    """``PolyLRScheduler._get_lr`` (timm/scheduler/poly_lr.py); the arguments from
    ``lr_min`` on as :func:`_timm_cycles`'s."""

    def shape(span, t_curr_k, t_i_k):
        return span * (1 - t_curr_k / t_i_k) ** power

    return _timm_cycles(steps, lr, t_initial, shape, *args, **kwargs)


def timm_step(steps, lr, decay_t, decay_rate=1.0, *warmup, **warmup_kwargs):
    """``StepLRScheduler._get_lr`` (timm/scheduler/step_lr.py); ``warmup_t``,
    ``warmup_lr_init`` and ``warmup_prefix`` (default True) follow."""

    def after(t):
        return lr * (decay_rate ** (t // decay_t))

    return _timm_warmup(steps, lr, after, *warmup, **warmup_kwargs)


def timm_multistep(
    steps, lr, decay_t: Sequence[int], decay_rate=1.0, *warmup, **warmup_kwargs
):
    """``MultiStepLRScheduler._get_lr`` (timm/scheduler/multistep_lr.py);
    ``warmup_t``, ``warmup_lr_init`` and ``warmup_prefix`` (default True) follow."""

    def after(t):
        return lr * (decay_rate ** bisect.bisect_right(list(decay_t), t + 1))

    return _timm_warmup(steps, lr, after, *warmup, **warmup_kwargs)


def timm_wsd(
    steps,
    lr,
    t_initial,
    decay_t,
    lr_min=0.0,
    stable_fn="constant",
    stable_timescale=None,
    stable_power=0.5,
    decay_fn="1-sqrt",
    decay_power=0.5,
    decay_ratio=0.1,
    warmup_t=0,
    warmup_lr_init=0.0,
):
    """``WSDLRScheduler._get_lr`` (timm 1.0.31 timm/scheduler/wsd_lr.py)."""
    if stable_fn != "constant" and stable_timescale is None:
        stable_timescale = warmup_t

    def stable(t_s):
        if stable_fn == "constant":
            return 1.0
        power = 0.5 if stable_fn == "rsqrt" else stable_power
        return (1.0 + t_s / stable_timescale) ** -power

    def decay(frac):
        if decay_fn == "linear":
            return 1.0 - frac
        if decay_fn == "1-sqrt":
            return 1.0 - math.sqrt(frac)
        if decay_fn == "cosine":
            return 0.5 * (1.0 + math.cos(math.pi * frac))
        if decay_fn == "power":
            return 1.0 - frac**decay_power
        r = decay_ratio
        return (r**frac - r) / (1.0 - r)

    def after(t_s):  # t_s = t - warmup_t (the warmup is always a prefix)
        stable_lr = max(lr * stable(t_s), lr_min)
        t_decay = t_s - (t_initial - decay_t)
        if t_decay <= 0:
            return stable_lr
        return lr_min + (stable_lr - lr_min) * decay(min(t_decay / decay_t, 1.0))

    return _timm_warmup(steps, lr, after, warmup_t, warmup_lr_init)


def timm_noise_mask(steps, noise_range_t) -> np.ndarray:
    """``Scheduler._is_apply_noise`` (timm/scheduler/scheduler.py)."""

    def f(t):
        if noise_range_t is None:
            return False
        if isinstance(noise_range_t, (list, tuple)):
            return noise_range_t[0] <= t < noise_range_t[1]
        return t >= noise_range_t

    steps = np.asarray(steps)
    return np.asarray([f(s.item()) for s in steps.reshape(-1)]).reshape(steps.shape)


# ------------------------------------------------------------------------ fairseq


def fairseq_inverse_sqrt(steps, lr, warmup_updates=4000, warmup_init_lr=-1):
    """``InverseSquareRootSchedule`` (inverse_square_root_schedule.py)."""
    if warmup_init_lr < 0:
        warmup_init_lr = 0 if warmup_updates > 0 else lr
    lr_step = (lr - warmup_init_lr) / warmup_updates
    decay_factor = lr * warmup_updates**0.5

    def f(t):
        if t < warmup_updates:
            return warmup_init_lr + t * lr_step
        return decay_factor * t**-0.5

    return _vector(f, steps)


def fairseq_tri_stage(
    steps,
    lr,
    warmup_steps=0,
    hold_steps=0,
    decay_steps=0,
    phase_ratio=None,
    init_lr_scale=0.01,
    final_lr_scale=0.01,
    max_update=None,
):
    """``TriStageLRSchedule`` (tri_stage_lr_scheduler.py)."""
    peak_lr = lr
    init_lr = init_lr_scale * lr
    final_lr = final_lr_scale * lr
    if phase_ratio is not None:
        warmup_steps = int(max_update * phase_ratio[0])
        hold_steps = int(max_update * phase_ratio[1])
        decay_steps = int(max_update * phase_ratio[2])
    warmup_rate = (peak_lr - init_lr) / warmup_steps if warmup_steps != 0 else 0
    decay_factor = -math.log(final_lr_scale) / decay_steps

    def f(t):
        if t < warmup_steps:
            return init_lr + warmup_rate * t
        offset = warmup_steps
        if t < offset + hold_steps:
            return peak_lr
        offset += hold_steps
        if t <= offset + decay_steps:
            return peak_lr * math.exp(-decay_factor * (t - offset))
        return final_lr

    return _vector(f, steps)


def fairseq_cosine(
    steps,
    lr,
    warmup_updates=0,
    warmup_init_lr=-1,
    min_lr=0.0,
    t_mult=1.0,
    lr_period_updates=-1,
    lr_shrink=0.1,
    max_update=None,
):
    """``CosineLRSchedule`` (cosine_lr_scheduler.py)."""
    max_lr = lr
    if max_lr < min_lr:
        min_lr = max_lr
    if warmup_init_lr < 0:
        warmup_init_lr = min_lr
    period = lr_period_updates
    if period <= 0:
        period = max_update - warmup_updates
    lr_step = (max_lr - warmup_init_lr) / warmup_updates if warmup_updates > 0 else 1

    def f(t):
        if t < warmup_updates:
            return warmup_init_lr + t * lr_step
        curr = t - warmup_updates
        if t_mult != 1:
            i = math.floor(math.log(1 - curr / period * (1 - t_mult), t_mult))
            t_i = t_mult**i * period
            t_curr = curr - (1 - t_mult**i) / (1 - t_mult) * period
        else:
            i = math.floor(curr / period)
            t_i = period
            t_curr = curr - (period * i)
        shrink = lr_shrink**i
        lo = min_lr * shrink
        hi = max_lr * shrink
        return lo + 0.5 * (hi - lo) * (1 + math.cos(math.pi * t_curr / t_i))

    return _vector(f, steps)


def fairseq_polynomial_decay(
    steps,
    lr,
    warmup_updates=0,
    end_learning_rate=0.0,
    power=1.0,
    total_num_update=None,
):
    """``PolynomialDecayLRSchedule.step_update`` (polynomial_decay_schedule.py)."""

    def f(t):
        if warmup_updates > 0 and t <= warmup_updates:
            return t / float(warmup_updates) * lr
        if t >= total_num_update:
            return end_learning_rate
        pct_remaining = 1 - (t - warmup_updates) / (total_num_update - warmup_updates)
        return (lr - end_learning_rate) * pct_remaining**power + end_learning_rate

    return _vector(f, steps)


def fairseq_triangular(
    steps, lr, max_lr, lr_period_updates=5000, lr_shrink=0.1, shrink_min=False
):
    """``TriangularLRSchedule`` (triangular_lr_scheduler.py); ``lr`` is the minimum."""
    stepsize = lr_period_updates // 2

    def f(t):
        cycle = math.floor(t / (2 * stepsize))
        shrink = lr_shrink**cycle
        hi = max_lr * shrink
        lo = lr * shrink if shrink_min else lr
        x = abs(t / stepsize - 2 * (cycle + 1) + 1)
        return lo + (hi - lo) * max(0, (1 - x))

    return _vector(f, steps)


def fairseq_step(
    steps,
    lr,
    warmup_updates=0,
    warmup_init_lr=-1,
    min_lr=0.0,
    lr_deacy_period=25000,
    lr_decay=0.5,
):
    """``StepLRSchedule`` (step_lr_scheduler.py)."""
    init = warmup_init_lr if warmup_init_lr >= 0 else min_lr
    lr_step = (lr - init) / warmup_updates if warmup_updates > 0 else 1

    def f(t):
        if t < warmup_updates:
            return init + t * lr_step
        curr = t - warmup_updates
        return max(lr * lr_decay ** (curr // lr_deacy_period), min_lr)

    return _vector(f, steps)


def fairseq_fixed(
    steps, lr, steps_per_epoch, force_anneal=None, lr_shrink=0.1, warmup_updates=0
):
    """``FixedLRSchedule`` (fixed_schedule.py): ``lr`` is the per-epoch list."""
    lrs = list(lr) if isinstance(lr, (list, tuple)) else [lr]

    def epoch_lr(epoch):
        if force_anneal is None or epoch < force_anneal:
            return lrs[min(epoch - 1, len(lrs) - 1)]
        return lrs[-1] * lr_shrink ** (epoch + 1 - force_anneal)

    def f(t):
        value = epoch_lr(t // steps_per_epoch + 1)
        if warmup_updates > 0 and t < warmup_updates:
            return (t + 1) / float(warmup_updates) * value
        return value

    return _vector(f, steps)


def fairseq_manual(steps, lr, epoch2lr=None, update2lr=None, steps_per_epoch=None):
    """``ManualSchedule`` (manual_lr_scheduler.py), with parsed dicts of int keys.

    ``update2lr`` wins where one of its keys is <= t; otherwise the epoch's
    ``epoch2lr`` value; otherwise the constructor's lr (``epoch2lr[1]``, else
    ``update2lr[1]``, else ``lr``). Except at the first step of an epoch (``t %
    steps_per_epoch == 0``): fairseq's trainer calls ``step_begin_epoch`` after the
    last update's ``step_update``, so the epoch's ``epoch2lr`` value (when one of
    its keys is <= the epoch) is what that step gets.
    """
    epoch2lr = dict(epoch2lr or {})
    update2lr = dict(update2lr or {})
    if 1 in epoch2lr:
        initial = epoch2lr[1]
    elif 1 in update2lr:
        initial = update2lr[1]
    else:
        initial = lr

    def f(t):
        if epoch2lr and t % steps_per_epoch == 0:
            keys = [k for k in epoch2lr if k <= t // steps_per_epoch + 1]
            if keys:
                return epoch2lr[max(keys)]
        keys = [k for k in update2lr if k <= t]
        if keys:
            return update2lr[max(keys)]
        if epoch2lr:
            epoch = t // steps_per_epoch + 1
            keys = [k for k in epoch2lr if k <= epoch]
            if keys:
                return epoch2lr[max(keys)]
        return initial

    return _vector(f, steps)


# ---------------------------------------------------------------------- DeepSpeed


def deepspeed_lr_range_test(
    steps,
    lr_range_test_min_lr=1e-3,
    lr_range_test_step_size=2000,
    lr_range_test_step_rate=1.0,
    lr_range_test_staircase=False,
):
    """``LRRangeTest`` (lr_schedules.py)."""

    def f(t):
        last = t - 1
        if lr_range_test_staircase:
            interval = math.floor(float(last + 1) / lr_range_test_step_size)
        else:
            interval = float(last + 1) / lr_range_test_step_size
        return lr_range_test_min_lr * (1 + lr_range_test_step_rate * interval)

    return _vector(f, steps)


def deepspeed_one_cycle(
    steps,
    cycle_min_lr,
    cycle_max_lr,
    decay_lr_rate=0.0,
    cycle_first_step_size=2000,
    cycle_second_step_size=None,
    cycle_first_stair_count=0,
    cycle_second_stair_count=None,
    decay_step_size=0,
    cycle_momentum=True,
    cycle_min_mom=0.8,
    cycle_max_mom=0.9,
    decay_mom_rate=0.0,
):
    """``OneCycle`` (lr_schedules.py): returns ``(learning_rate, momentum)``."""
    first = float(cycle_first_step_size)
    second = (
        float(cycle_second_step_size) if cycle_second_step_size is not None else first
    )
    total = first + second
    step_ratio = first / total
    first_stairs = cycle_first_stair_count
    second_stairs = (
        cycle_first_stair_count
        if cycle_second_stair_count is None
        else cycle_second_stair_count
    )
    skip_lr = math.isclose(decay_step_size, 0) or math.isclose(decay_lr_rate, 0)
    skip_mom = math.isclose(decay_step_size, 0) or math.isclose(decay_mom_rate, 0)

    def scale(batch_iteration):
        cycle = math.floor(1 + batch_iteration / total)
        x = 1.0 + batch_iteration / total - cycle
        if x <= step_ratio:
            factor = x / step_ratio
            stairs = first_stairs
        else:
            factor = (x - 1) / (step_ratio - 1)
            stairs = second_stairs
        if stairs > 0:
            cycle_iteration = batch_iteration % total
            if cycle_iteration <= first:
                position = cycle_iteration * stairs / first
            else:
                position = (total - cycle_iteration) * stairs / second
            factor = math.floor(position) / stairs
        return factor

    def lr(t):
        if t == 0:
            return cycle_min_lr
        last = t - 1
        if last < total:
            return cycle_min_lr + (cycle_max_lr - cycle_min_lr) * scale(last + 1)
        if skip_lr:
            return cycle_min_lr
        interval = (last - total + 1) / decay_step_size
        return cycle_min_lr / (1 + decay_lr_rate * interval)

    def mom(t):
        if t == 0:
            return cycle_min_mom
        last = t - 1
        if last < total:
            return cycle_max_mom - (cycle_max_mom - cycle_min_mom) * scale(last + 1)
        if skip_mom:
            return cycle_max_mom
        interval = (last - total + 1) / decay_step_size
        return cycle_max_mom * (1 + decay_mom_rate * interval)

    return _vector(lr, steps), _vector(mom, steps)


def _deepspeed_gamma(last, warmup_num_steps, warmup_type):
    w = max(2, warmup_num_steps)
    if warmup_type == "log":
        return 1.0 / math.log(w) * math.log(last + 1)
    return last / w


def deepspeed_warmup_lr(
    steps,
    lr,
    warmup_min_lr=0.0,
    warmup_max_lr=None,
    warmup_num_steps=1000,
    warmup_type="log",
    *,
    total_num_steps=None,
):
    """``WarmupLR`` (lr_schedules.py); ``lr`` is the optimizer's rate. With
    ``total_num_steps``, its subclass ``WarmupDecayLR``'s ``_get_gamma`` after the
    warmup (see :func:`deepspeed_warmup_decay_lr`)."""
    hi = lr if warmup_max_lr is None else warmup_max_lr
    w = max(2, warmup_num_steps)

    def f(t):
        last = t - 1
        if last < 0:
            return warmup_min_lr
        if last < w:
            gamma = _deepspeed_gamma(last, w, warmup_type)
        elif total_num_steps is None:
            gamma = 1.0
        else:
            gamma = max(
                0.0,
                float(total_num_steps - last) / float(max(1.0, total_num_steps - w)),
            )
        return warmup_min_lr + (hi - warmup_min_lr) * gamma

    return _vector(f, steps)


def deepspeed_warmup_decay_lr(
    steps, lr, total_num_steps, warmup_min_lr=0.0, warmup_max_lr=0.001, *args, **kw
):
    """``WarmupDecayLR`` (lr_schedules.py): :func:`deepspeed_warmup_lr` (its
    ``warmup_num_steps`` and ``warmup_type`` follow) decaying linearly to 0 at
    ``total_num_steps``."""
    return deepspeed_warmup_lr(
        steps,
        lr,
        warmup_min_lr,
        warmup_max_lr,
        *args,
        total_num_steps=total_num_steps,
        **kw,
    )


def deepspeed_warmup_cosine_lr(
    steps,
    lr,
    total_num_steps,
    warmup_min_ratio=0.0,
    warmup_num_steps=1000,
    cos_min_ratio=0.0001,
    warmup_type="log",
):
    """``WarmupCosineLR`` (lr_schedules.py)."""
    w = max(2, warmup_num_steps)

    def ratio(last):
        if last < w:
            g = _deepspeed_gamma(last, w, warmup_type)
            return warmup_min_ratio + g * (1.0 - warmup_min_ratio)
        real_last_step = last - w + 1
        real_total_steps = max(1, total_num_steps - w)
        progress = min(1.0, real_last_step / real_total_steps)
        value = (1 + math.cos(math.pi * progress)) / 2
        return max(0.0, cos_min_ratio + (1.0 - cos_min_ratio) * value)

    def f(t):
        if t == 0:
            return 0.0
        return lr * ratio(t - 1)

    return _vector(f, steps)


# ---------------------------------------------------------------------- Megatron


def megatron_lr(
    steps,
    init_lr,
    max_lr,
    min_lr,
    lr_warmup_steps,
    lr_decay_steps,
    lr_decay_style,
    wsd_decay_steps=None,
    lr_wsd_decay_style=None,
):
    """``OptimizerParamScheduler.get_lr`` (optimizer_param_scheduler.py)."""

    def f(n):
        if lr_warmup_steps > 0 and n <= lr_warmup_steps:
            return init_lr + ((max_lr - init_lr) * float(n) / float(lr_warmup_steps))
        if lr_decay_style == "constant":
            return max_lr
        if n > lr_decay_steps:
            return min_lr
        if lr_decay_style == "inverse-square-root":
            warmup = max(lr_warmup_steps, 1)
            num = max(n, 1)
            return max(min_lr, max_lr * warmup**0.5 / (num**0.5))
        ratio = float(n - lr_warmup_steps) / float(lr_decay_steps - lr_warmup_steps)
        delta = max_lr - min_lr
        if lr_decay_style == "linear":
            coeff = 1.0 - ratio
        elif lr_decay_style == "cosine":
            coeff = 0.5 * (math.cos(math.pi * ratio) + 1.0)
        elif lr_decay_style == "WSD":
            start = lr_decay_steps - wsd_decay_steps
            if n <= start:
                coeff = 1.0
            else:
                r = float(n - start) / float(wsd_decay_steps)
                if lr_wsd_decay_style == "linear":
                    coeff = 1.0 - r
                elif lr_wsd_decay_style == "cosine":
                    coeff = 0.5 * (math.cos(math.pi * r) + 1.0)
                elif lr_wsd_decay_style == "exponential":
                    coeff = (2.0 * math.pow(0.5, r)) - 1.0
                elif lr_wsd_decay_style == "minus_sqrt":
                    coeff = 1.0 - math.sqrt(r)
                else:
                    raise AssertionError("coeff is None")
        else:
            raise ValueError(lr_decay_style)
        return min_lr + coeff * delta

    return _vector(f, steps)


def megatron_wd(steps, start_wd, end_wd, wd_incr_steps, wd_incr_style):
    """``OptimizerParamScheduler.get_wd`` (optimizer_param_scheduler.py)."""

    def f(n):
        if n > wd_incr_steps:
            return end_wd
        if wd_incr_style == "constant":
            return end_wd
        ratio = float(n) / float(wd_incr_steps)
        delta = end_wd - start_wd
        if wd_incr_style == "linear":
            coeff = ratio
        else:
            coeff = 0.5 * (math.cos(math.pi * (1 - ratio)) + 1.0)
        return start_wd + coeff * delta

    return _vector(f, steps)
