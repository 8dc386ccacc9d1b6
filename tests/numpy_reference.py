"""Independent references for the PyTorch and Hugging Face families, in plain Python.

Written from the libraries' documented formulas and code paths (PyTorch's
``torch.optim.lr_scheduler`` closed forms and step-by-step updates, Hugging Face's
``transformers.optimization`` lambdas, T5X's factors), one step at a time in float64
Python arithmetic, without JAX and without sharing code with ``jaxsched``. PyTorch and
transformers are not installed: these functions stand in for them.

Each function returns the value for one step ``t``. The Hugging Face functions return
the *multiplier* ``lambda(t)``, as Hugging Face does; multiply by the learning rate.
"""

from __future__ import annotations

import bisect
import math
from fractions import Fraction

from truth_frameworks_pt2 import torch_one_cycle

# --------------------------------------------------------------------- PyTorch


def step_lr(base: float, step_size: float, gamma: float, t: float) -> float:
    """``StepLR``: ``base * gamma ** (t // step_size)``."""
    return base * gamma ** math.floor(t / step_size)


def multistep_lr(base: float, milestones, gamma: float, t: float) -> float:
    """``MultiStepLR`` closed form: ``gamma ** bisect_right(sorted milestones, t)``."""
    return base * gamma ** bisect.bisect_right(sorted(milestones), t)


def constant_lr(base: float, factor: float, total_iters: float, t: float) -> float:
    """``ConstantLR`` closed form."""
    return base * (factor + (t >= total_iters) * (1 - factor))


def linear_lr(base: float, start: float, end: float, total: float, t: float) -> float:
    """``LinearLR`` closed form; ``total = 0`` (a ZeroDivisionError in PyTorch) is
    taken as "the ramp is already over"."""
    if total == 0:
        return base * end
    return base * (start + (end - start) * min(total, t) / total)


def cyclic_lr(
    base_lr: float,
    max_lr: float,
    up: float,
    down: float | None,
    mode: str,
    gamma: float,
    t: float,
) -> float:
    """``CyclicLR.get_lr`` with the built-in modes, as PyTorch computes it."""
    down = up if down is None else down
    total_size = float(up + down)
    step_ratio = up / total_size
    cycle = math.floor(1 + t / total_size)
    x = 1.0 + t / total_size - cycle
    scale_factor = x / step_ratio if x <= step_ratio else (x - 1) / (step_ratio - 1)
    base_height = (max_lr - base_lr) * scale_factor
    if mode == "triangular":
        return base_lr + base_height * 1.0
    if mode == "triangular2":
        # PyTorch writes 1 / 2.0 ** (cycle - 1), which overflows after ~1024 cycles.
        return base_lr + base_height * 0.5 ** (cycle - 1)
    if mode == "exp_range":
        return base_lr + base_height * gamma**t
    raise ValueError(mode)


def one_cycle_lr(max_lr: float, total_steps: int, t: float = 0, **kwargs) -> float:
    """``OneCycleLR.get_lr`` at ``t``: the learning rate of
    ``truth_frameworks_pt2.torch_one_cycle`` (whose keywords, ``pct_start`` to
    ``three_phase``, it takes); PyTorch raises past ``total_steps``."""
    if t > total_steps:
        raise ValueError("Tried to step past total_steps")
    lr, _ = torch_one_cycle([t], max_lr, total_steps, **kwargs)
    return float(lr[0])


def cosine_annealing_lr(base: float, t_max: float, eta_min: float, t: float) -> float:
    """``CosineAnnealingLR`` closed form (periodic past ``T_max``)."""
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * t / t_max)) / 2


def cosine_warm_restarts(
    base: float, t_0: int, t_mult: int, eta_min: float, t: float
) -> float:
    """``CosineAnnealingWarmRestarts``.

    Integer steps follow PyTorch's step-by-step update (``T_cur += 1``; at ``T_i`` it
    restarts and ``T_i *= T_mult``), walked a whole cycle at a time (integer modulo
    for ``T_mult = 1``); fractional steps
    use PyTorch's ``step(epoch)`` formula with the logarithm.
    """
    if float(t).is_integer() and t_mult == 1:
        t_cur, t_i = t % t_0, t_0
    elif float(t).is_integer():
        start, length = 0, t_0
        while t >= start + length:
            start += length
            length *= t_mult
        t_cur, t_i = t - start, length
    elif t < t_0:
        t_cur, t_i = t, t_0
    elif t_mult == 1:
        t_cur, t_i = t % t_0, t_0
    else:
        n = int(math.log(t / t_0 * (t_mult - 1) + 1, t_mult))
        t_cur = t - t_0 * (t_mult**n - 1) / (t_mult - 1)
        t_i = t_0 * t_mult**n
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2


def epoch_of(steps_per_epoch: float, t: float) -> int:
    """The epoch a PyTorch loop is in at update ``t`` when it calls
    ``scheduler.step()`` after every ``steps_per_epoch`` updates: ``floor(t /
    steps_per_epoch)`` in exact rational arithmetic (any step, any float)."""
    return math.floor(Fraction(t) / Fraction(steps_per_epoch))


def exponential_lr(base: float, gamma: float, t: float) -> float:
    """``ExponentialLR`` closed form: ``base * gamma ** t``."""
    return base * gamma**t


def exponential_lr_recursive(base: float, gamma: float, t: int) -> float:
    """``ExponentialLR`` as PyTorch steps it: ``lr *= gamma`` once per step."""
    lr = base
    for _ in range(t):
        lr *= gamma
    return lr


def polynomial_lr(base: float, total_iters: float, power: float, t: float) -> float:
    """``PolynomialLR`` closed form:
    ``base * (1 - min(total_iters, t) / total_iters) ** power``."""
    return base * (1.0 - min(total_iters, t) / total_iters) ** power


# ---------------------------------------------------------- Hugging Face lambdas


def hf_constant_with_warmup(num_warmup_steps: int, t: float) -> float:
    if t < num_warmup_steps:
        return float(t) / float(max(1.0, num_warmup_steps))
    return 1.0


def hf_linear(num_warmup_steps: int, num_training_steps: int, t: float) -> float:
    if t < num_warmup_steps:
        return float(t) / float(max(1, num_warmup_steps))
    return max(
        0.0,
        float(num_training_steps - t)
        / float(max(1, num_training_steps - num_warmup_steps)),
    )


def hf_cosine(
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float,
    t: float,
    min_lr_rate: float = 0.0,
) -> float:
    """``cosine`` and ``cosine_with_min_lr`` (``min_lr_rate``)."""
    if t < num_warmup_steps:
        return float(t) / float(max(1, num_warmup_steps))
    progress = float(t - num_warmup_steps) / float(
        max(1, num_training_steps - num_warmup_steps)
    )
    factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
    factor = factor * (1 - min_lr_rate) + min_lr_rate
    return max(0.0, factor)


def hf_hard_restarts(
    num_warmup_steps: int, num_training_steps: int, num_cycles: int, t: float
) -> float:
    if t < num_warmup_steps:
        return float(t) / float(max(1, num_warmup_steps))
    progress = float(t - num_warmup_steps) / float(
        max(1, num_training_steps - num_warmup_steps)
    )
    if progress >= 1.0:
        return 0.0
    return max(
        0.0, 0.5 * (1.0 + math.cos(math.pi * ((float(num_cycles) * progress) % 1.0)))
    )


def hf_polynomial(
    lr_init: float,
    num_warmup_steps: int,
    num_training_steps: int,
    lr_end: float,
    power: float,
    t: float,
) -> float:
    if t < num_warmup_steps:
        return float(t) / float(max(1, num_warmup_steps))
    if t > num_training_steps:
        return lr_end / lr_init
    lr_range = lr_init - lr_end
    decay_steps = num_training_steps - num_warmup_steps
    pct_remaining = 1 - (t - num_warmup_steps) / decay_steps
    decay = lr_range * pct_remaining**power + lr_end
    return decay / lr_init


def hf_inverse_sqrt(num_warmup_steps: int, timescale: float | None, t: float) -> float:
    if timescale is None:
        timescale = num_warmup_steps or 10_000
    if t < num_warmup_steps:
        return float(t) / float(max(1, num_warmup_steps))
    shift = timescale - num_warmup_steps
    return 1.0 / math.sqrt((t + shift) / timescale)


def hf_wsd(
    num_warmup_steps: int,
    num_stable_steps: int,
    num_decay_steps: int,
    warmup_type: str,
    decay_type: str,
    min_lr_ratio: float,
    num_cycles: float,
    t: float,
) -> float:
    if t < num_warmup_steps:
        progress = float(t) / float(max(1, num_warmup_steps))
        if warmup_type == "linear":
            factor = progress
        elif warmup_type == "cosine":
            factor = 0.5 * (1.0 - math.cos(math.pi * progress))
        else:
            factor = 1.0 - math.sqrt(1.0 - progress)
        factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
        return max(0.0, factor)
    if t < num_warmup_steps + num_stable_steps:
        return 1.0
    if t < num_warmup_steps + num_stable_steps + num_decay_steps:
        progress = float(t - num_warmup_steps - num_stable_steps) / float(
            max(1, num_decay_steps)
        )
        if decay_type == "linear":
            factor = 1.0 - progress
        elif decay_type == "cosine":
            factor = 0.5 * (
                1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)
            )
        else:
            factor = 1.0 - math.sqrt(progress)
        factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
        return max(0.0, factor)
    return min_lr_ratio


def hf_cosine_warmup_min_lr(
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float,
    min_lr_rate: float,
    warmup_lr_rate: float | None,
    t: float,
) -> float:
    """``cosine_warmup_with_min_lr``
    (``get_cosine_with_min_lr_schedule_with_warmup_lr_rate``)."""
    t, w, n = float(t), float(num_warmup_steps), float(num_training_steps)
    if t < w:
        if warmup_lr_rate is None:
            return (t + 1.0) / max(1.0, w)
        return warmup_lr_rate + (1.0 - warmup_lr_rate) * t / max(1, w - 1)
    progress = (t - w + 1.0) / max(1.0, n - w)
    factor = 0.5 * (1.0 + math.cos(math.pi * num_cycles * 2.0 * progress))
    factor = factor * (1 - min_lr_rate) + min_lr_rate
    return max(0.0, factor)


# -------------------------------------------------------------------------- T5X


def t5x_rsqrt(
    base: float,
    warmup_steps: int,
    t: float,
    normalized: bool = False,
    linear_warmup: bool = False,
) -> float:
    """T5X factors ``constant * [linear_warmup *] rsqrt[_normalized]_decay``."""
    value = base
    if linear_warmup:
        value *= min(1.0, t / warmup_steps)
    if normalized:
        value *= math.sqrt(warmup_steps) / math.sqrt(max(t, warmup_steps))
    else:
        value *= 1.0 / math.sqrt(max(t, warmup_steps))
    return value
