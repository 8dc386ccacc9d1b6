"""Transformer-era recipes: the Transformer (Noam), T5, PaLM, BERT, RoBERTa."""

from __future__ import annotations

from jaxsched.core._schedule import Schedule
from jaxsched.recipes._common import check_positive, pick, pick_row
from jaxsched.recipes._registry import finish, recipe
from jaxsched.schedules._combinators import Shift, Warmup
from jaxsched.schedules._join import Join
from jaxsched.schedules._primitives import Constant, Linear
from jaxsched.schedules._transformers import RsqrtDecay

__all__ = ["bert", "palm", "roberta", "t5", "transformer"]


@recipe(
    summary="The Transformer (Vaswani et al. 2017): d_model^-0.5 * min(n^-0.5, n * "
    "warmup^-1.5), warmup 4,000",
    shape="linear warmup -> 1/sqrt(step) (Noam)",
    source="Vaswani et al. 2017, arXiv:1706.03762, Sec. 5.3",
)
def transformer(
    d_model: int = 512,
    warmup_steps: int = 4000,
    *,
    scale: float = 1.0,
    total_steps: int = 100_000,
) -> Schedule:
    """The "Noam" schedule of "Attention Is All You Need".

    ``scale * d_model ** -0.5 * min(step ** -0.5, step * warmup_steps ** -1.5)``:
    linear from 0 to its peak ``scale * (d_model * warmup_steps) ** -0.5`` at
    ``warmup_steps``, then ``1 / sqrt(step)``.

    Source: A. Vaswani, N. Shazeer, N. Parmar, J. Uszkoreit, et al., "Attention Is
    All You Need", NeurIPS 2017, arXiv:1706.03762. Section 5.3: ``lrate =
    d_model^-0.5 * min(step_num^-0.5, step_num * warmup_steps^-1.5)``,
    ``warmup_steps = 4000``; Section 5.2: base models 100,000 steps, big 300,000
    (``d_model`` 512 and 1,024).

    Args:
      d_model: the model width (512 base, 1,024 big).
      warmup_steps: 4,000.
      scale: a factor in front (1 in the paper; implementations often add one).
      total_steps: the run's length (100,000 for the base model), for plots.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.transformer()
      >>> print(f"{float(s(4000)):.4e} {float(s(16_000)):.4e}")
      6.9877e-04 3.4939e-04
    """
    check_positive("transformer", d_model=d_model, warmup_steps=warmup_steps)
    rate = scale * float(d_model) ** -0.5
    return finish(RsqrtDecay(rate, warmup_steps, linear_warmup=True), int(total_steps))


@recipe(
    summary="T5 (Raffel et al. 2020): pre-training 1/sqrt(max(n, 10^4)); "
    "fine-tuning constant 1e-3",
    shape="constant 0.01 for 10^4 steps -> 1/sqrt(step); or constant",
    source="Raffel et al. 2020, arXiv:1910.10683, Sec. 3.1.2 and 3.1.3",
)
def t5(
    stage: str = "pretrain",
    *,
    warmup_steps: int = 10_000,
    finetune_lr: float = 1e-3,
    total_steps: int | None = None,
) -> Schedule:
    """T5's schedules: the inverse square root of pre-training, the constant rate
    of fine-tuning.

    Pre-training: ``1 / sqrt(max(n, warmup_steps))`` (0.01 for the first 10^4
    steps, 1.38e-3 at the end, step 2^19). Fine-tuning: ``finetune_lr``.

    Source: C. Raffel, N. Shazeer, A. Roberts, K. Lee, et al., "Exploring the
    Limits of Transfer Learning with a Unified Text-to-Text Transformer", JMLR 2020,
    arXiv:1910.10683. Section 3.1.2: "an 'inverse square root' learning rate
    schedule: 1/sqrt(max(n, k)) where n is the current training iteration and k is
    the number of warm-up steps (set to 10^4 in all of our experiments)",
    pre-training for 2^19 = 524,288 steps; Section 3.1.3: fine-tuning for 2^18 =
    262,144 steps with "a constant learning rate of 0.001".

    Args:
      stage: ``"pretrain"`` or ``"finetune"``.
      warmup_steps: ``k`` (10^4).
      finetune_lr: 1e-3.
      total_steps: the run's length (2^19 pre-training, 2^18 fine-tuning).

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.t5()
      >>> print(f"{float(s(0)):.4f} {float(s(10_000)):.4f} {float(s(2**19)):.4e}")
      0.0100 0.0100 1.3811e-03
    """
    kind = pick("t5", "stage", {"pretrain": "pretrain", "finetune": "finetune"}, stage)
    if kind == "finetune":
        check_positive("t5", finetune_lr=finetune_lr)
        return finish(Constant(finetune_lr), int(total_steps or 2**18))
    check_positive("t5", warmup_steps=warmup_steps)
    return finish(RsqrtDecay(1.0, warmup_steps), int(total_steps or 2**19))


@recipe(
    summary="PaLM (Chowdhery et al. 2022): Adafactor rate 10^-2 for 10,000 steps, "
    "then 1/sqrt(k)",
    shape="constant 0.01 for 10^4 steps -> 1/sqrt(step)",
    source='Chowdhery et al. 2022, arXiv:2204.02311, "Training Setup"',
)
def palm(
    learning_rate: float = 1e-2,
    constant_steps: int = 10_000,
    *,
    total_steps: int = 255_000,
) -> Schedule:
    """PaLM's schedule: constant, then ``1 / sqrt(k)``.

    ``learning_rate`` for the first ``constant_steps`` steps, then
    ``learning_rate * sqrt(constant_steps / k)`` (with the defaults, ``1 /
    sqrt(k)``: T5's form).

    Source: A. Chowdhery, S. Narang, J. Devlin, M. Bosma, et al., "PaLM: Scaling
    Language Modeling with Pathways", 2022, arXiv:2204.02311, "Training Setup": "We
    use an Adafactor learning rate of 10^-2 for the first 10,000 steps, which is
    then decayed at a rate of 1/sqrt(k), where k is the step number."

    Choices: for another ``learning_rate`` the decay stays continuous (scaled by
    ``learning_rate * sqrt(constant_steps)``). ``total_steps`` (for plots) is
    PaLM 540B's 255k steps, read in secondary notes only.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.palm()
      >>> print(f"{float(s(10_000)):.4f} {float(s(40_000)):.4f} {float(s(10**6)):.4f}")
      0.0100 0.0050 0.0010
    """
    check_positive("palm", learning_rate=learning_rate, constant_steps=constant_steps)
    rate = RsqrtDecay(learning_rate, constant_steps, normalized=True)
    return finish(rate, int(total_steps))


@recipe(
    summary="BERT (Devlin et al. 2019): warmup 10,000 steps, linear decay to 0 at "
    "1M measured from step 0 (the released code)",
    shape="linear warmup -> linear to 0 from step 0 (a drop at the warmup's end)",
    source="Devlin et al. 2019, arXiv:1810.04805, App. A.2; google-research/bert "
    "optimization.py @ eedf571",
)
def bert(
    stage: str = "pretrain",
    total_steps: int | None = None,
    *,
    peak_lr: float | None = None,
    warmup_steps: int | None = None,
    warmup_proportion: float = 0.1,
) -> Schedule:
    """BERT's schedule as ``create_optimizer`` computes it.

    ``peak_lr * step / warmup_steps`` for ``step < warmup_steps``, else ``peak_lr *
    (1 - step / total_steps)``: the linear decay is measured from step 0, so at the
    warmup's end the rate drops from about ``peak_lr`` to ``peak_lr * (1 -
    warmup_steps / total_steps)`` (0.99 of it in pre-training).

    Sources: J. Devlin, M.-W. Chang, K. Lee, K. Toutanova, "BERT: Pre-training of
    Deep Bidirectional Transformers for Language Understanding", NAACL 2019,
    arXiv:1810.04805. App. A.2: 1,000,000 steps, Adam with learning rate 1e-4,
    "learning rate warmup over the first 10,000 steps, and linear decay of the
    learning rate". Code: google-research/bert @ eedf5716ce12,
    ``optimization.py`` (``tf.train.polynomial_decay(init_lr, global_step,
    num_train_steps, end_learning_rate=0.0, power=1.0)``, replaced by ``init_lr *
    global_step / num_warmup_steps`` while ``global_step < num_warmup_steps``) and
    ``run_classifier.py`` (fine-tuning: ``learning_rate`` 5e-5,
    ``warmup_proportion`` 0.1, 3 epochs).

    Choices: the code's decay from step 0 (the paper does not say). Fine-tuning
    needs ``total_steps`` (3 epochs of your data); its warmup is
    ``warmup_proportion`` of it.

    Args:
      stage: ``"pretrain"`` or ``"finetune"``.
      total_steps: ``num_train_steps`` (1,000,000 in pre-training; required for
        fine-tuning).
      peak_lr: ``init_lr`` (1e-4; 5e-5 for fine-tuning).
      warmup_steps: 10,000 (default for fine-tuning: ``warmup_proportion`` of the
        run).

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.bert()
      >>> print(f"{float(s(9_999)):.4e} {float(s(10_000)):.4e} {float(s(10**6)):.1e}")
      9.9990e-05 9.9000e-05 0.0e+00
    """
    kind = pick(
        "bert", "stage", {"pretrain": "pretrain", "finetune": "finetune"}, stage
    )
    if kind == "pretrain":
        total = 1_000_000 if total_steps is None else total_steps
        peak = 1e-4 if peak_lr is None else peak_lr
        warmup = 10_000 if warmup_steps is None else warmup_steps
    else:
        if total_steps is None:
            raise ValueError(
                "bert: fine-tuning needs `total_steps` (3 epochs of your data)"
            )
        total = total_steps
        peak = 5e-5 if peak_lr is None else peak_lr
        warmup = (
            int(total * warmup_proportion) if warmup_steps is None else warmup_steps
        )
    check_positive("bert", total_steps=total, peak_lr=peak)
    decay = Linear(peak, 0.0, total)  # from step 0: global steps
    if warmup == 0:
        return finish(decay, int(total))
    ramp = Linear(0.0, peak, warmup)
    return finish(Join([ramp, Shift(decay, -warmup)], [warmup]), int(total))


#: RoBERTa, Table 9: size -> (peak learning rate, warmup steps).
ROBERTA_SIZES = {"base": (6e-4, 24_000), "large": (4e-4, 30_000)}


@recipe(
    summary="RoBERTa (Liu et al. 2019): warmup 24k (base) / 30k (large) steps, "
    "linear decay to 0 at 500k",
    shape="linear warmup -> linear to 0",
    source="Liu et al. 2019, arXiv:1907.11692, App. B Table 9",
)
def roberta(
    size: str = "base",
    total_steps: int = 500_000,
    *,
    peak_lr: float | None = None,
    warmup_steps: int | None = None,
) -> Schedule:
    """RoBERTa's pre-training schedule.

    Linear warmup from 0 to ``peak_lr`` over ``warmup_steps``, then linear to 0 at
    ``total_steps`` (fairseq's ``polynomial_decay`` with power 1, measured after
    the warmup).

    Source: Y. Liu, M. Ott, N. Goyal, J. Du, et al., "RoBERTa: A Robustly
    Optimized BERT Pretraining Approach", 2019, arXiv:1907.11692. App. B, Table 9:
    peak 6e-4 (base) and 4e-4 (large), warmup 24k and 30k steps, 500k steps,
    linear decay.

    Choices: the Hugging Face ``roberta-large`` model card says 6e-4 (with 30k
    warmup steps); Table 9's 4e-4 is used.

    Args:
      size: ``"base"`` or ``"large"``.
      total_steps: 500,000.
      peak_lr, warmup_steps: Table 9's per size.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.roberta("large")
      >>> print(" ".join(f"{float(s(t)):.1e}" for t in (30_000, 265_000, 500_000)))
      4.0e-04 2.0e-04 0.0e+00
    """
    peak, warmup = pick_row(
        "roberta", "size", ROBERTA_SIZES, size, peak_lr, warmup_steps
    )
    check_positive("roberta", total_steps=total_steps, peak_lr=peak)
    return finish(
        Warmup(Linear(peak, 0.0, total_steps - warmup), warmup), int(total_steps)
    )
