"""Vision and classic SGD recipes: Goyal et al.'s ResNet-50, ViT, big_vision's
configs, SGDR and 1cycle (super-convergence)."""

from __future__ import annotations

import math

from jaxsched.core._schedule import Schedule
from jaxsched.recipes._common import check_positive, pick, pick_row
from jaxsched.recipes._registry import finish, recipe
from jaxsched.schedules._combinators import Shift, Warmup
from jaxsched.schedules._join import Join
from jaxsched.schedules._primitives import Cosine, Linear, PiecewiseConstant
from jaxsched.schedules._torch import CosineAnnealingWarmRestarts
from jaxsched.schedules._transformers import InverseSqrt

__all__ = ["big_vision", "goyal_resnet50", "one_cycle", "sgdr", "vit"]

#: ImageNet-1k's training images (the ILSVRC-2012 train split).
IMAGENET_TRAIN = 1_281_167


@recipe(
    summary="ResNet-50 in 1 hour (Goyal et al. 2017): lr 0.1 * batch/256, 5-epoch "
    "warmup from 0.1, /10 at epochs 30, 60, 80 of 90",
    shape="linear warmup (from the base rate, epochs) -> multi-step x0.1",
    source="Goyal et al. 2017, arXiv:1706.02677, Sec. 2.1-2.2, 5.1",
    units="epochs",
)
def goyal_resnet50(
    steps_per_epoch: int | None = None,
    batch_size: int = 8192,
    *,
    base_lr: float = 0.1,
    reference_batch: int = 256,
    warmup_epochs: float = 5,
    milestones: tuple[float, ...] = (30, 60, 80),
    gamma: float = 0.1,
    epochs: int = 90,
) -> Schedule:
    """The linear scaling rule with gradual warmup.

    The reference rate ``peak = base_lr * batch_size / reference_batch`` (3.2 for a
    batch of 8,192); per step, linear from ``base_lr`` to ``peak`` over
    ``warmup_epochs`` epochs, then ``peak`` divided by 10 at each milestone epoch.

    Source: P. Goyal, P. Dollár, R. Girshick, P. Noordhuis, et al., "Accurate, Large
    Minibatch SGD: Training ImageNet in 1 Hour", 2017, arXiv:1706.02677. Section
    2.1: the linear scaling rule; Section 2.2 (gradual warmup): "we start from a
    learning rate of eta and increment it by a constant amount at each iteration
    such that it reaches eta_hat = k * eta after 5 epochs"; Section 5.1: 90 epochs,
    "learning rate of eta = 0.1 * kn/256 ... reduce it by 1/10 at the 30-th,
    60-th, and 80-th epoch".

    Choices: ``steps_per_epoch`` defaults to ``ceil(1,281,167 / batch_size)`` (157
    at 8,192); milestones fall on the first step of their epoch.

    Args:
      steps_per_epoch: optimizer steps per epoch.
      batch_size: ``kn``, the total minibatch.
      base_lr, reference_batch: the rate 0.1 per 256 images.
      warmup_epochs, milestones, gamma, epochs: Section 5.1's.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.goyal_resnet50(steps_per_epoch=100)
      >>> print(" ".join(f"{float(s(t)):.4g}" for t in (0, 500, 3000, 6000, 8000)))
      0.1 3.2 0.32 0.032 0.0032
    """
    check_positive(
        "goyal_resnet50",
        batch_size=batch_size,
        base_lr=base_lr,
        steps_per_epoch=steps_per_epoch,
    )
    spe = steps_per_epoch or math.ceil(IMAGENET_TRAIN / batch_size)
    peak = base_lr * batch_size / reference_batch
    warmup = round(warmup_epochs * spe)
    bounds = [round(m * spe) for m in milestones]
    values = [peak * gamma**i for i in range(len(bounds) + 1)]
    stairs = PiecewiseConstant(bounds, values)
    if warmup == 0:
        return finish(stairs, epochs * spe)
    schedule = Join([Linear(base_lr, peak, warmup), Shift(stairs, -warmup)], [warmup])
    return finish(schedule, epochs * spe)


#: ViT, App. B.1 Table 3: dataset -> (images per epoch, {model: (base lr, epochs)},
#: decay).
VIT_TABLE = {
    "jft": (
        303_000_000,
        {"b/16": (8e-4, 7), "b/32": (8e-4, 7), "l/32": (6e-4, 7), "l/16": (4e-4, 7),
         "h/14": (3e-4, 14)},
        "linear",
    ),
    "imagenet21k": (
        14_197_122,
        {m: (1e-3, 90) for m in ("b/16", "b/32", "l/16", "l/32")},
        "linear",
    ),
    "imagenet": (
        IMAGENET_TRAIN,
        {m: (3e-3, 300) for m in ("b/16", "b/32", "l/16", "l/32", "h/14")},
        "cosine",
    ),
}  # fmt: skip


@recipe(
    summary="ViT pre-training (Dosovitskiy et al. 2021): 10k warmup steps, linear "
    "decay (JFT, ImageNet-21k) or cosine (ImageNet) to 0",
    shape="linear warmup -> linear to 0 (or cosine to 0)",
    source="Dosovitskiy et al. 2021, arXiv:2010.11929, Sec. 4.1, App. B.1 Table 3",
    units="epochs",
)
def vit(
    dataset: str = "imagenet21k",
    model: str = "b/16",
    total_steps: int | None = None,
    *,
    batch_size: int = 4096,
    peak_lr: float | None = None,
    warmup_steps: int = 10_000,
    decay: str | None = None,
) -> Schedule:
    """ViT's pre-training schedules (App. B.1, Table 3).

    Linear warmup from 0 to ``peak_lr`` over ``warmup_steps``, then linear (JFT-300M,
    ImageNet-21k) or cosine (ImageNet) decay to 0 at ``total_steps``.

    Source: A. Dosovitskiy, L. Beyer, A. Kolesnikov, D. Weissenborn, et al., "An
    Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", ICLR
    2021, arXiv:2010.11929. Section 4.1: batch 4,096, "linear learning rate warmup
    and decay"; App. B.1, Table 3: "learning rate warmup of 10k steps", base rates
    and epochs per model and dataset (JFT 7 or 14 epochs at 8e-4 .. 3e-4, linear;
    ImageNet-21k 90 epochs at 1e-3, linear; ImageNet 300 epochs at 3e-3, cosine).

    Choices: ``total_steps`` defaults to epochs x images / 4,096 (JFT-300M's 303M,
    ImageNet-21k's 14,197,122 and ImageNet's 1,281,167 images); the decay ends at
    0 (big_vision's default ``linear_end``); ViT-L/16 on JFT is the 7-epoch run.

    Args:
      dataset: ``"jft"``, ``"imagenet21k"`` or ``"imagenet"``.
      model: ``"b/16"``, ``"b/32"``, ``"l/16"``, ``"l/32"``, ``"h/14"`` (per dataset).
      total_steps: the run's length in steps.
      batch_size: 4,096, for the default ``total_steps``.
      peak_lr, warmup_steps: Table 3's.
      decay: ``"linear"`` or ``"cosine"`` (default: Table 3's for the dataset).

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.vit("imagenet", "b/16")  # 93,835 steps
      >>> print(f"{float(s(10_000)):.0e} {float(s(93_835)):.0e}")
      3e-03 0e+00
    """
    images, models, default_decay = pick("vit", "dataset", VIT_TABLE, dataset)
    peak, epochs = pick_row(f"vit ({dataset})", "model", models, model, peak_lr)
    total = round(epochs * images / batch_size) if total_steps is None else total_steps
    check_positive("vit", total_steps=total, peak_lr=peak)
    kind = default_decay if decay is None else decay
    if kind == "linear":
        after: Schedule = Linear(peak, 0.0, total - warmup_steps)
    elif kind == "cosine":
        after = Cosine(peak, total - warmup_steps)
    else:
        raise ValueError(
            f"vit: `decay` must be 'linear' or 'cosine'. Received: {decay!r}"
        )
    return finish(Warmup(after, warmup_steps), total)


#: big_vision configs: name -> (lr, warmup steps, decay, total steps, cooldown).
BIG_VISION_CONFIGS = {
    "vit_i1k": (0.001, 10_000, "cosine", round(300 * IMAGENET_TRAIN / 4096), 0),
    "bit_i1k": (0.1 / 256 * 4096, 1000, "cosine", round(90 * IMAGENET_TRAIN / 4096), 0),
    "transfer": (0.01, 500, "cosine", 20_000, 0),
    "vit_g": (8e-4, 10_000, "rsqrt", 1_000_000, 50_000),
}


@recipe(
    summary="big_vision configs (vit_i1k, bit_i1k, transfer, ViT-g's rsqrt with "
    "cooldown): warmup times decay times cooldown",
    shape="linear warmup x (cosine to 0, or rsqrt) x linear cooldown",
    source="google-research/big_vision @ 0127fb6: utils.py, configs/",
)
def big_vision(
    config: str = "vit_i1k",
    total_steps: int | None = None,
    *,
    lr: float | None = None,
    warmup_steps: int | None = None,
    cooldown_steps: int | None = None,
    timescale: float = 10_000,
) -> Schedule:
    """big_vision's ``create_learning_rate_schedule`` for its released configs.

    ``lr * decay(progress) * min(1, step / warmup_steps) * min(1, (total_steps -
    step) / cooldown_steps)`` with ``progress = clip((step - warmup_steps) /
    (total_steps - warmup_steps), 0, 1)``; ``decay`` is ``(1 + cos(pi *
    progress)) / 2`` (``"cosine"``) or, for ``"rsqrt"``, ``1 / sqrt(1 + (step -
    warmup_steps) / timescale)`` after the warmup.

    Source: google-research/big_vision @ 0127fb6b337e, ``big_vision/utils.py``
    (``create_learning_rate_schedule``, ``steps``) and the configs:
    ``configs/vit_i1k.py`` (``lr = 0.001``, ``warmup_steps=10_000``, cosine, 300
    epochs at batch 4,096: 93,835 steps), ``configs/bit_i1k.py`` (``lr = 0.1 / 256
    * batch``, batch 4,096, ``warmup_steps=1000``, cosine, 90 epochs),
    ``configs/transfer.py`` (``lr = 0.01``, cosine, ImageNet: 20,000 steps with
    500 warmup) and ``configs/proj/scaling_laws/train_vit_g.py`` (X. Zhai, A.
    Kolesnikov, N. Houlsby, L. Beyer, "Scaling Vision Transformers", CVPR 2022,
    arXiv:2106.04560: ``lr = 8e-4``, ``decay_type='rsqrt'``, ``timescale=10_000``,
    ``warmup_steps=10_000``, ``cooldown_steps=50_000``, 1,000,000 steps).

    Choices: total steps from epochs are rounded, as ``utils.steps`` does.

    Args:
      config: ``"vit_i1k"``, ``"bit_i1k"``, ``"transfer"`` or ``"vit_g"``.
      total_steps, lr, warmup_steps, cooldown_steps: the config's.
      timescale: the rsqrt decay's (``"vit_g"``).

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.big_vision("vit_g")
      >>> print(f"{float(s(10_000)):.1e} {float(s(950_000)):.3e} {float(s(10**6)):.0e}")
      8.0e-04 8.208e-05 0e+00
    """
    base, warmup, decay, total, cooldown = pick_row(
        "big_vision", "config", BIG_VISION_CONFIGS, config,
        lr, warmup_steps, None, total_steps, cooldown_steps,
    )  # fmt: skip
    check_positive("big_vision", total_steps=total, lr=base)
    if decay == "rsqrt":
        schedule: Schedule = InverseSqrt(base, warmup, timescale=timescale)
    else:
        schedule = Warmup(Cosine(base, total - warmup), warmup)
    if cooldown:
        schedule = schedule * Linear(1.0, 0.0, cooldown, total - cooldown)
    return finish(schedule, total)


@recipe(
    summary="SGDR (Loshchilov & Hutter 2017): cosine warm restarts per batch, T_0 = "
    "10 epochs, T_mult = 2, lr 0.05",
    shape="cosine to 0 with restarts, periods 10, 20, 40, ... epochs",
    source="Loshchilov & Hutter 2017, arXiv:1608.03983; loshchil/SGDR @ 5269a61",
    units="epochs",
)
def sgdr(
    steps_per_epoch: int = 391,
    *,
    learning_rate: float = 0.05,
    t0_epochs: float = 10,
    t_mult: int = 2,
    eta_min: float = 0.0,
    epochs: int = 200,
) -> Schedule:
    """SGDR: stochastic gradient descent with warm restarts.

    ``eta_min + (learning_rate - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2``, with
    ``T_cur`` counted in steps (updated every batch) since the last restart and
    ``T_i = t0_epochs * t_mult ** i`` epochs (restarts at epochs 10, 30, 70, 150).

    Sources: I. Loshchilov, F. Hutter, "SGDR: Stochastic Gradient Descent with Warm
    Restarts", ICLR 2017, arXiv:1608.03983. Code: loshchil/SGDR @ 5269a615448b,
    ``SGDR_WRNs.py``: ``new_lr = lr * (1.0 + math.sin(curT)) / 2.0`` with ``curT =
    pi / 2 + tt`` (a cosine from ``lr`` to 0), at a restart ``tt = 0; Te = Te *
    multFactor``; defaults ``lr = 0.05``, ``num_epochs = 200``, ``batchsize = 128``;
    the README reports the best results with "T0 = 10 and Tmult = 2".

    Choices: ``steps_per_epoch`` defaults to CIFAR's 50,000 images in batches of
    128 (391 steps); a 200-epoch run stops in the fourth cycle.

    Args:
      steps_per_epoch: optimizer steps per epoch.
      learning_rate, t0_epochs, t_mult, eta_min, epochs: the code's and README's.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.sgdr(steps_per_epoch=100)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in (0, 500, 999, 1000, 2000)))
      0.050 0.025 0.000 0.050 0.025
    """
    check_positive("sgdr", steps_per_epoch=steps_per_epoch, learning_rate=learning_rate)
    schedule = CosineAnnealingWarmRestarts(
        learning_rate, round(t0_epochs * steps_per_epoch), t_mult, eta_min
    )
    return finish(schedule, epochs * steps_per_epoch)


@recipe(
    summary="Super-convergence (Smith & Topin 2017): one triangle 0.1 -> 3.0 -> 0.1 "
    "over 10,000 iterations",
    shape="linear up -> linear down (-> optional linear annihilation)",
    source="Smith & Topin 2017, arXiv:1708.07120; "
    "lnsmith54/super-convergence @ ecc5615",
)
def one_cycle(
    total_steps: int = 10_000,
    *,
    base_lr: float = 0.1,
    max_lr: float = 3.0,
    step_size: int | None = None,
    annihilation_steps: int = 0,
    final_lr: float | None = None,
) -> Schedule:
    """One cycle of the triangular policy (super-convergence).

    Linear from ``base_lr`` to ``max_lr`` over ``step_size`` steps, back to
    ``base_lr`` over the next ``step_size``; with ``annihilation_steps``, a last
    linear phase from ``base_lr`` down to ``final_lr`` (Smith's 1cycle policy: the
    rate falls "several orders of magnitude" below the initial one at the end).

    Sources: L. N. Smith, N. Topin, "Super-Convergence: Very Fast Training of Neural
    Networks Using Large Learning Rates", 2017, arXiv:1708.07120. Code:
    lnsmith54/super-convergence @ ecc561594b39, ``clrsolver.prototxt``:
    ``lr_policy: "triangular"``, ``base_lr: 0.1``, ``max_lr: 3.0``, ``stepsize:
    5000``, ``max_iter: 10000``. L. N. Smith, "A disciplined approach to neural
    network hyper-parameters: Part 1", 2018, arXiv:1803.09820 (the annihilation).

    Choices: ``step_size`` defaults to half of ``total_steps - annihilation_steps``;
    ``final_lr`` to ``base_lr / 100`` (the paper gives no number).

    Args:
      total_steps: ``max_iter`` (the cycle plus the annihilation).
      base_lr, max_lr, step_size: the prototxt's.
      annihilation_steps, final_lr: the last phase (none by default).

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.one_cycle()
      >>> print(" ".join(f"{float(s(t)):.2f}" for t in (0, 2500, 5000, 10_000)))
      0.10 1.55 3.00 0.10
    """
    check_positive("one_cycle", total_steps=total_steps, max_lr=max_lr)
    cycle = total_steps - annihilation_steps
    up = cycle // 2 if step_size is None else step_size
    down = cycle - up
    parts: list[Schedule] = [Linear(base_lr, max_lr, up), Linear(max_lr, base_lr, down)]
    bounds = [up]
    if annihilation_steps:
        end = base_lr / 100 if final_lr is None else final_lr
        parts.append(Linear(base_lr, end, annihilation_steps))
        bounds.append(cycle)
    return finish(Join(parts, bounds), total_steps)
