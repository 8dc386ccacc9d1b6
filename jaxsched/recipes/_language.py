"""Language-model pre-training recipes: GPT-3, Chinchilla, LLaMA 1/2/3, DeepSeek
LLM/V2/V3, MiniCPM, OLMo 1/2, nanoGPT, Pythia, Kaplan et al., Hägele et al.

Token-defined recipes (GPT-3, Chinchilla, DeepSeek, OLMo 2) read their token phases
on a token clock: ``tokens_per_step`` (a number) or ``batch_ramp`` (a schedule giving
the cumulative tokens at a step, e.g. :class:`~jaxsched.TokenClock`); their default is
the paper's batch size or batch-size ramp.
"""

from __future__ import annotations

import math

from jaxsched.core._schedule import Schedule
from jaxsched.recipes._common import (
    check_positive,
    clock_for,
    pick,
    pick_row,
    run_steps,
)
from jaxsched.recipes._registry import finish, recipe
from jaxsched.recipes._tokens import batch_steps, on_clock
from jaxsched.schedules._arithmetic import Maximum
from jaxsched.schedules._clock import TokenClock
from jaxsched.schedules._combinators import Shift, Warmup
from jaxsched.schedules._join import Join
from jaxsched.schedules._primitives import (
    Constant,
    Cosine,
    Exponential,
    Linear,
    PiecewiseConstant,
)
from jaxsched.schedules._shapes import WarmupHoldDecay

__all__ = [
    "chinchilla", "deepseek_llm", "deepseek_v2", "deepseek_v3", "gopher", "gpt3",
    "hagele_wsd", "kaplan", "llama", "minicpm", "nanogpt", "olmo", "olmo2", "pythia",
]  # fmt: skip


def _warmup_in_steps(
    after: Schedule, warmup_steps: float, init: float = 0.0
) -> Schedule:
    """A linear warmup over the first ``warmup_steps`` steps (from ``init`` to
    ``after(warmup_steps)``), then ``after(step)`` at the global step."""
    if warmup_steps == 0:
        return after
    return Warmup(Shift(after, -warmup_steps), warmup_steps, init_value=init)


# --------------------------------------------------------------------------- GPT-3

#: Table 2.1 of Brown et al. (2020): size -> (peak learning rate, batch in tokens).
GPT3_SIZES = {
    "small": (6.0e-4, 0.5e6),
    "medium": (3.0e-4, 0.5e6),
    "large": (2.5e-4, 0.5e6),
    "xl": (2.0e-4, 1e6),
    "2.7b": (1.6e-4, 1e6),
    "6.7b": (1.2e-4, 2e6),
    "13b": (1.0e-4, 2e6),
    "175b": (0.6e-4, 3.2e6),
}


@recipe(
    summary="GPT-3 (Brown et al. 2020): warmup 375M tokens, cosine to 10% at 260B "
    "tokens, then held",
    shape="linear warmup (tokens) -> cosine to 0.1 -> constant 0.1",
    source="Brown et al. 2020, arXiv:2005.14165, App. B and Table 2.1",
    units="tokens",
)
def gpt3(
    size: str = "175b",
    tokens_per_step: float | None = None,
    *,
    batch_ramp: Schedule | None = None,
    peak_lr: float | None = None,
    warmup_tokens: float = 375e6,
    decay_tokens: float = 260e9,
    final_fraction: float = 0.1,
    total_tokens: float = 300e9,
) -> Schedule:
    """GPT-3's schedule, for the eight sizes of Table 2.1.

    In tokens ``T``: linear warmup from 0 to ``peak_lr`` over ``warmup_tokens``, then
    a cosine from ``peak_lr`` down to ``final_fraction * peak_lr`` reached at
    ``decay_tokens`` tokens, then held there until the run ends at ``total_tokens``.

    Source: T. Brown, B. Mann, N. Ryder, M. Subbiah, et al., "Language Models are
    Few-Shot Learners", 2020, arXiv:2005.14165. App. B ("Details of Model
    Training"): "cosine decay for learning rate down to 10% of its value, over 260
    billion tokens (after 260 billion tokens, training continues at 10% of the
    original learning rate). There is a linear LR warmup over the first 375 million
    tokens"; the batch grows "linearly from a small value (32k tokens) to the full
    value over the first 4-12 billion tokens of training, depending on the model
    size". Table 2.1: the peak learning rate and batch size (tokens) per size; its
    caption: 300 billion tokens in all.

    Choices: the cosine ends when the cumulative count reaches 260B tokens (it
    starts at the warmup's end); the warmup starts at 0 (not stated). The default
    clock is the constant batch of Table 2.1: the paper's batch ramp depends on the
    size in a way it does not state (4 to 12B tokens), so give it as ``batch_ramp``,
    e.g. ``jaxsched.TokenClock(16, 1536, 12e9, sequence_length=2048,
    ramp_unit="tokens")`` (32k to 3.2M tokens over 12B tokens) for the 175B model.

    Args:
      size: ``"small"``, ``"medium"``, ``"large"``, ``"xl"``, ``"2.7b"``, ``"6.7b"``,
        ``"13b"`` or ``"175b"`` (Table 2.1).
      tokens_per_step: a constant batch in tokens (default: Table 2.1's).
      batch_ramp: a schedule of the cumulative tokens at a step, instead.
      peak_lr: the peak (default: Table 2.1's for ``size``).
      warmup_tokens, decay_tokens, final_fraction, total_tokens: App. B's numbers.

    Returns:
      A schedule of the step.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.gpt3("small")  # 0.5M tokens a step: warmup 750 steps
      >>> print(f"{float(s(750)):.1e} {float(s(520_000)):.1e}")
      6.0e-04 6.0e-05
    """
    peak, batch = pick_row("gpt3", "size", GPT3_SIZES, size, peak_lr)
    warmup_tokens, decay_tokens = float(warmup_tokens), float(decay_tokens)
    check_positive("gpt3", warmup_tokens=warmup_tokens, total_tokens=total_tokens)
    if not warmup_tokens < decay_tokens:
        raise ValueError(
            "gpt3: `decay_tokens` must exceed `warmup_tokens`. Received: "
            f"warmup_tokens={warmup_tokens!r}, decay_tokens={decay_tokens!r}"
        )
    clock = clock_for("gpt3", tokens_per_step, batch_ramp, batch)
    in_tokens = Warmup(
        Cosine(peak, decay_tokens - warmup_tokens, alpha=final_fraction), warmup_tokens
    )
    return finish(on_clock(in_tokens, clock), run_steps(clock, total_tokens))


# ---------------------------------------------------------------------- Chinchilla


@recipe(
    summary="Chinchilla 70B (Hoffmann et al. 2022): cosine 10x decay over the run's "
    "1.4T tokens, batch 1.5M -> 3M tokens",
    shape="linear warmup (steps, from 1e-7) -> cosine to 0.1 over the run (tokens)",
    source="Hoffmann et al. 2022, arXiv:2203.15556, Table 4, App. B; Rae et al. 2021",
    units="tokens",
)
def chinchilla(
    tokens_per_step: float | None = None,
    *,
    batch_ramp: Schedule | None = None,
    peak_lr: float = 1e-4,
    total_tokens: float = 1.4e12,
    horizon_tokens: float | None = None,
    final_fraction: float = 0.1,
    warmup_steps: int = 1500,
    warmup_init: float = 1e-7,
) -> Schedule:
    """Chinchilla's schedule: a cosine cycle as long as the run, decaying 10x.

    Linear warmup from ``warmup_init`` to ``peak_lr`` over ``warmup_steps`` steps;
    the cosine runs in tokens from token 0 to ``horizon_tokens`` (default: the run's
    ``total_tokens``), from ``peak_lr`` to ``final_fraction * peak_lr``.

    Source: J. Hoffmann, S. Borgeaud, A. Mensch, E. Buchatskaya, et al., "Training
    Compute-Optimal Large Language Models", 2022, arXiv:2203.15556. Table 4:
    Chinchilla's max LR 1e-4 and batch "1.5M -> 3M" tokens ("we double the batch
    size midway through training"); Section 4: 1.4T tokens; App. B: "a 10x
    learning rate decay in line with [Gopher]", the cosine cycle length matched to
    the run. The warmup (1,500 steps from 1e-7) is Gopher's (J. Rae et al., "Scaling
    Language Models: Methods, Analysis & Insights from Training Gopher", 2021,
    arXiv:2112.11446), read in secondary notes only: Chinchilla states no warmup.

    Choices: "midway" is taken in tokens (the batch doubles at 0.7T tokens:
    466,667 steps of 1.5M, then 233,333 of 3M); "1.5M" is 1.5e6 tokens.

    Args:
      tokens_per_step: a constant batch in tokens, instead of the doubling.
      batch_ramp: a schedule of the cumulative tokens at a step, instead.
      peak_lr, total_tokens, final_fraction: Table 4, Section 4, App. B.
      horizon_tokens: the cosine's length in tokens (default ``total_tokens``).
      warmup_steps, warmup_init: Gopher's warmup.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.chinchilla()
      >>> print(f"{float(s(1500)):.2e} {float(s(700_000)):.2e}")
      1.00e-04 1.00e-05
    """
    check_positive("chinchilla", peak_lr=peak_lr, total_tokens=total_tokens)
    horizon = float(total_tokens if horizon_tokens is None else horizon_tokens)
    default = batch_steps([1.5e6, 3e6], [total_tokens / 2])
    clock = clock_for("chinchilla", tokens_per_step, batch_ramp, default)
    decay = on_clock(Cosine(peak_lr, horizon, alpha=final_fraction), clock)
    schedule = _warmup_in_steps(decay, warmup_steps, warmup_init)
    return finish(schedule, run_steps(clock, total_tokens))


@recipe(
    summary="Gopher 280B (Rae et al. 2021): warmup from 1e-7 over 1,500 steps, cosine "
    "10x decay over 300B tokens, batch 3M -> 6M tokens",
    shape="linear warmup (steps, from 1e-7) -> cosine to 0.1 over the run (tokens)",
    source="Rae et al. 2021, arXiv:2112.11446, Sec. 3 (Training); Hoffmann et al. "
    "2022, Table 4",
    units="tokens",
)
def gopher(
    tokens_per_step: float | None = None,
    *,
    batch_ramp: Schedule | None = None,
    peak_lr: float = 4e-5,
    total_tokens: float = 300e9,
    final_fraction: float = 0.1,
    warmup_steps: int = 1500,
    warmup_init: float = 1e-7,
) -> Schedule:
    """Gopher 280B's schedule: Chinchilla's shape with Gopher's numbers.

    Linear warmup from ``warmup_init`` to ``peak_lr`` over ``warmup_steps`` steps;
    a cosine over the run's ``total_tokens`` (from token 0) from ``peak_lr`` to
    ``final_fraction * peak_lr``.

    Sources: J. W. Rae, S. Borgeaud, T. Cai, K. Millican, et al., "Scaling Language
    Models: Methods, Analysis & Insights from Training Gopher", 2021,
    arXiv:2112.11446, Training: "We train all models for 300 billion tokens ... We
    warm up the learning rate from 10^-7 to the maximum learning rate over the first
    1500 steps, and then decay it 10x using a cosine schedule", "we increase
    Gopher's batch size from three to six million tokens per batch during
    training". The 280B's maximum rate 4e-5 and its batch "3M -> 6M" are in
    Hoffmann et al. (2022), Table 4, whose caption says the batch doubles midway.

    Choices: as :func:`chinchilla`: the batch doubles at half the tokens (150B);
    "3M" is 3e6 tokens. The smaller Gopher models' rates are not included.

    Args:
      tokens_per_step: a constant batch in tokens, instead of the doubling.
      batch_ramp: a schedule of the cumulative tokens at a step, instead.
      peak_lr, total_tokens, final_fraction, warmup_steps, warmup_init: the papers'.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.gopher()
      >>> print(f"{float(s(0)):.0e} {float(s(1500)):.2e} {float(s(75_000)):.1e}")
      1e-07 4.00e-05 4.0e-06
    """
    check_positive("gopher", peak_lr=peak_lr, total_tokens=total_tokens)
    default = batch_steps([3e6, 6e6], [total_tokens / 2])
    clock = clock_for("gopher", tokens_per_step, batch_ramp, default)
    decay = on_clock(Cosine(peak_lr, float(total_tokens), alpha=final_fraction), clock)
    schedule = _warmup_in_steps(decay, warmup_steps, warmup_init)
    return finish(schedule, run_steps(clock, total_tokens))


# --------------------------------------------------------------------------- LLaMA

#: version -> size -> (peak learning rate, training tokens); the batch is 4M tokens.
LLAMA_SIZES = {
    1: {
        "7b": (3.0e-4, 1.0e12),
        "13b": (3.0e-4, 1.0e12),
        "33b": (1.5e-4, 1.4e12),
        "65b": (1.5e-4, 1.4e12),
    },
    2: {
        "7b": (3.0e-4, 2.0e12),
        "13b": (3.0e-4, 2.0e12),
        "34b": (1.5e-4, 2.0e12),
        "70b": (1.5e-4, 2.0e12),
    },
    3: {"8b": (3.0e-4, 15.6e12), "70b": (1.5e-4, 15.6e12), "405b": (8.0e-5, 15.6e12)},
}

#: Llama 3's batch: 4M tokens, 8M from 252M tokens on, 16M from 2.87T on (sequences
#: of 4,096 then 8,192 tokens: 1,024 and 2,048 of them, so 4M = 4 * 2**20).
LLAMA3_BATCHES = ([4 * 2**20, 8 * 2**20, 16 * 2**20], [252e6, 2.87e12])


@recipe(
    summary="LLaMA 1/2/3 (Touvron et al. 2023; Llama Team 2024): warmup, cosine to "
    "10% (Llama 3: 1% over 1.2M steps, then a linear anneal to 0)",
    shape="linear warmup -> cosine to 0.1 (v3: to 0.01, then linear to 0)",
    source="arXiv:2302.13971 Sec. 2.3; arXiv:2307.09288 Sec. 2.2; arXiv:2407.21783 "
    "Sec. 3.4",
)
def llama(
    version: int = 2,
    size: str = "7b",
    total_steps: int | None = None,
    *,
    peak_lr: float | None = None,
    warmup_steps: int | None = None,
    final_fraction: float | None = None,
    tokens_per_step: float = 4e6,
    cosine_steps: int = 1_200_000,
    anneal_tokens: float = 40e6,
    anneal_tokens_per_step: float = 16 * 2**20,
) -> Schedule:
    """LLaMA's schedules: LLaMA 1 and Llama 2 (cosine to 10%), Llama 3 405B.

    Versions 1 and 2: linear warmup from 0 to ``peak_lr`` over ``warmup_steps``
    (2,000), then a cosine to ``final_fraction * peak_lr`` (10%) at ``total_steps``
    (default: the paper's tokens over 4M-token batches: 250,000 steps for 1.0T
    tokens, 350,000 for 1.4T, 500,000 for 2.0T).

    Version 3: linear warmup over 8,000 steps, a cosine to 1% of the peak reached at
    step ``cosine_steps`` (1.2M), and in the last ``anneal_tokens`` tokens a linear
    anneal from the value there to 0. ``total_steps`` defaults to 15.6T tokens at
    the paper's batch sizes (4M, 8M from 252M tokens, 16M from 2.87T:
    1,100,918 steps), so the cosine is cut before its end by the anneal.

    Sources:

    - H. Touvron, T. Lavril, G. Izacard, X. Martinet, et al., "LLaMA: Open and
      Efficient Foundation Language Models", 2023, arXiv:2302.13971. Section 2.3:
      cosine schedule, "the final learning rate is equal to 10% of the maximal
      learning rate", 2,000 warmup steps; Table 2: learning rates, 4M-token batches,
      1.0T/1.4T tokens.
    - H. Touvron, L. Martin, K. Stone, et al., "Llama 2: Open Foundation and
      Fine-Tuned Chat Models", 2023, arXiv:2307.09288. Section 2.2: "cosine learning
      rate schedule, with warmup of 2000 steps, and decay final learning rate down
      to 10% of the peak"; Table 1: learning rates, 2.0T tokens, 4M-token batches.
    - Llama Team, AI @ Meta, "The Llama 3 Herd of Models", 2024, arXiv:2407.21783.
      Table 3: peaks 3e-4 (8B), 1.5e-4 (70B), 8e-5 (405B). Section 3.4.1 (405B):
      "a linear warm up of 8,000 steps, and a cosine learning rate schedule decaying
      to 8 x 10^-7 over 1,200,000 steps", batch 4M -> 8M (after 252M tokens) ->
      16M tokens (after 2.87T); 15.6T tokens. Section 3.4.3: "During pre-training
      on the final 40M tokens, we linearly annealed the learning rate to 0".

    Choices: the 8B and 70B get the 405B's shape with their own peaks (the paper
    says "similar recipes" and gives no more). The printed "40M tokens" is kept as
    the default although at 16M tokens a step it is 2.5 steps (perhaps 40B was
    meant; Section 3.1.3 anneals on 40B tokens): pass ``anneal_tokens=40e9`` for
    that reading. The anneal is rounded to whole steps (at least 1: 2 steps for
    40M tokens). Versions 1/2 count steps from the paper's tokens at 4e6 tokens a
    step.

    Args:
      version: 1, 2 or 3.
      size: version 1: ``"7b"``, ``"13b"``, ``"33b"``, ``"65b"``; 2: ``"7b"``,
        ``"13b"``, ``"34b"``, ``"70b"``; 3: ``"8b"``, ``"70b"``, ``"405b"``.
      total_steps: the run's length in steps.
      peak_lr, warmup_steps, final_fraction: the paper's per version and size.
      tokens_per_step: versions 1/2, for the default ``total_steps``.
      cosine_steps, anneal_tokens, anneal_tokens_per_step: version 3.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.llama(2, "7b")
      >>> print(f"{float(s(2000)):.1e} {float(s(500_000)):.1e}")
      3.0e-04 3.0e-05
    """
    table = pick(
        "llama", "version", {str(k): v for k, v in LLAMA_SIZES.items()}, version
    )
    peak, tokens = pick_row(f"llama (version {version})", "size", table, size, peak_lr)
    v3 = int(version) == 3
    warmup = (8000 if v3 else 2000) if warmup_steps is None else warmup_steps
    floor = (0.01 if v3 else 0.1) if final_fraction is None else final_fraction
    if not v3:
        total = round(tokens / tokens_per_step) if total_steps is None else total_steps
        check_positive("llama", total_steps=total)
        cosine = Cosine(peak, total - warmup, alpha=floor)
        return finish(Warmup(cosine, warmup), int(total))
    if total_steps is None:
        clock = batch_steps(*LLAMA3_BATCHES)
        total = run_steps(clock, tokens)
    else:
        total = total_steps
    main = Warmup(Cosine(peak, cosine_steps - warmup, alpha=floor), warmup)
    anneal = max(1, round(anneal_tokens / anneal_tokens_per_step))
    if anneal_tokens <= 0:
        return finish(main, int(total))
    begin = total - anneal
    start = _cosine_value(peak, floor, warmup, cosine_steps, begin)
    return finish(Join([main, Linear(start, 0.0, anneal)], [begin]), int(total))


def _cosine_value(
    peak: float, floor: float, warmup: float, end: float, step: float
) -> float:
    """``Warmup(Cosine(peak, end - warmup, floor), warmup)`` at ``step``."""
    if step < warmup:
        return peak * step / warmup
    p = min(1.0, (step - warmup) / (end - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * p)))


# ------------------------------------------------------------------------ DeepSeek

#: DeepSeek LLM, Table 2: size -> (peak learning rate, batch in sequences of 4,096).
DEEPSEEK_LLM_SIZES = {"7b": (4.2e-4, 2304), "67b": (3.2e-4, 4608)}


def _stepped(
    name: str,
    peak: float,
    factors: tuple[float, ...],
    fractions: tuple[float, ...],
    total_tokens: float,
    warmup_steps: int,
    clock: Schedule,
) -> Schedule:
    """Warmup over steps, then ``peak * factors[i]`` from ``fractions[i]`` of the
    tokens on (DeepSeek's multi-step schedules)."""
    if len(factors) != len(fractions) or list(fractions) != sorted(fractions):
        raise ValueError(
            f"{name}: one factor per stage, stages in increasing order. Received: "
            f"factors={factors!r}, fractions={fractions!r}"
        )
    bounds = [float(f * total_tokens) for f in fractions]
    values = [peak, *(peak * f for f in factors)]
    decay = on_clock(PiecewiseConstant(bounds, values), clock)
    return finish(_warmup_in_steps(decay, warmup_steps), run_steps(clock, total_tokens))


@recipe(
    summary="DeepSeek LLM 7B/67B (2024): warmup 2k steps, then x0.316 at 80% and "
    "x0.1 at 90% of the tokens",
    shape="linear warmup (steps) -> multi-step at token fractions 0.8, 0.9",
    source="DeepSeek-AI 2024, arXiv:2401.02954, Sec. 2.3 and Table 2",
    units="tokens",
)
def deepseek_llm(
    size: str = "7b",
    tokens_per_step: float | None = None,
    *,
    batch_ramp: Schedule | None = None,
    peak_lr: float | None = None,
    total_tokens: float = 2e12,
    warmup_steps: int = 2000,
    stage_fractions: tuple[float, float] = (0.8, 0.9),
    stage_factors: tuple[float, float] = (0.316, 0.1),
) -> Schedule:
    """DeepSeek LLM's multi-step schedule.

    Linear warmup from 0 to ``peak_lr`` over ``warmup_steps`` steps; ``peak_lr``
    until 80% of the tokens, then 31.6% of it, and 10% from 90% of the tokens on.

    Source: DeepSeek-AI (X. Bi, D. Chen, G. Chen, et al.), "DeepSeek LLM: Scaling
    Open-Source Language Models with Longtermism", 2024, arXiv:2401.02954. Section
    2.3: "the learning rate of the model reaches its maximum value after 2000
    warmup steps, and then decreases to 31.6% of the maximum value after
    processing 80% of the training tokens. It further reduces to 10% of the maximum
    value after 90% of the tokens." Table 2: peak 4.2e-4 (7B) and 3.2e-4 (67B),
    batches of 2,304 and 4,608 sequences of 4,096 tokens, 2.0T tokens.

    Args:
      size: ``"7b"`` or ``"67b"``.
      tokens_per_step: a constant batch in tokens (default: Table 2's, times 4,096).
      batch_ramp: a schedule of the cumulative tokens at a step, instead.
      peak_lr, total_tokens, warmup_steps, stage_fractions, stage_factors: the
        paper's numbers.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.deepseek_llm("7b")  # 9,437,184 tokens a step
      >>> print(f"{float(s(2000)):.3e} {float(s(200_000)):.3e}")
      4.200e-04 4.200e-05
    """
    peak, sequences = pick_row(
        "deepseek_llm", "size", DEEPSEEK_LLM_SIZES, size, peak_lr
    )
    clock = clock_for("deepseek_llm", tokens_per_step, batch_ramp, sequences * 4096.0)
    return _stepped(
        "deepseek_llm",
        peak,
        tuple(stage_factors),
        tuple(stage_fractions),
        total_tokens,
        warmup_steps,
        clock,
    )


def deepseek_v2_ramp() -> Schedule:
    """DeepSeek-V2's batch ramp: 2,304 to 9,216 sequences of 4,096 tokens over the
    first 225B tokens (taken as linear in tokens), as a token clock."""
    return TokenClock(2304, 9216, 225e9, sequence_length=4096, ramp_unit="tokens")


def deepseek_v3_ramp() -> Schedule:
    """DeepSeek-V3's batch ramp: 3,072 to 15,360 sequences of 4,096 tokens over the
    first 469B tokens (taken as linear in tokens), as a token clock."""
    return TokenClock(3072, 15360, 469e9, sequence_length=4096, ramp_unit="tokens")


@recipe(
    summary="DeepSeek-V2 (2024): warmup 2k steps, then x0.316 at 60% and again at "
    "90% of 8.1T tokens; batch ramp 2304 -> 9216 sequences",
    shape="linear warmup (steps) -> multi-step at token fractions 0.6, 0.9",
    source="DeepSeek-AI 2024, arXiv:2405.04434, pre-training hyper-parameters",
    units="tokens",
)
def deepseek_v2(
    tokens_per_step: float | None = None,
    *,
    batch_ramp: Schedule | None = None,
    peak_lr: float = 2.4e-4,
    total_tokens: float = 8.1e12,
    warmup_steps: int = 2000,
    stage_fractions: tuple[float, float] = (0.6, 0.9),
    factor: float = 0.316,
) -> Schedule:
    """DeepSeek-V2's multi-step schedule under its batch-size ramp.

    Linear warmup from 0 to ``peak_lr`` over ``warmup_steps`` steps; multiplied by
    ``factor`` after 60% of the tokens and again after 90% (the final rate is
    ``0.316**2 = 0.0999`` of the peak).

    Source: DeepSeek-AI (A. Liu, B. Feng, B. Wang, et al.), "DeepSeek-V2: A Strong,
    Economical, and Efficient Mixture-of-Experts Language Model", 2024,
    arXiv:2405.04434, pre-training "Training Hyper-Parameters": "the learning rate
    linearly increases from 0 to the maximum value during the first 2K steps.
    Subsequently, the learning rate is multiplied by 0.316 after training about 60%
    of tokens, and again by 0.316 after training about 90% of tokens. The maximum
    learning rate is set to 2.4 x 10^-4"; the batch grows from 2,304 to 9,216
    sequences (4K tokens) over the first 225B tokens; 8.1T tokens.

    Choices: the batch ramp (the default clock, :func:`deepseek_v2_ramp`) is taken
    as linear in tokens; "2K" is 2,000 steps.

    Args:
      tokens_per_step: a constant batch in tokens, instead of the ramp.
      batch_ramp: a schedule of the cumulative tokens at a step, instead.
      peak_lr, total_tokens, warmup_steps, stage_fractions, factor: the paper's.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.deepseek_v2()
      >>> print(f"{float(s(2000)):.2e} {float(s(10**6)):.3e}")
      2.40e-04 2.397e-05
    """
    clock = clock_for("deepseek_v2", tokens_per_step, batch_ramp, deepseek_v2_ramp())
    return _stepped(
        "deepseek_v2",
        peak_lr,
        (factor, factor * factor),
        tuple(stage_fractions),
        total_tokens,
        warmup_steps,
        clock,
    )


@recipe(
    summary="DeepSeek-V3 (2024): warmup 2k steps, constant to 10T tokens, cosine to "
    "10% over 4.3T, 2.2e-5 for 333B, 7.3e-6 for the last 167B",
    shape="linear warmup (steps) -> constant -> cosine to 0.1 -> constant -> "
    "constant (tokens)",
    source="DeepSeek-AI 2024, arXiv:2412.19437, pre-training hyper-parameters",
    units="tokens",
)
def deepseek_v3(
    tokens_per_step: float | None = None,
    *,
    batch_ramp: Schedule | None = None,
    peak_lr: float = 2.2e-4,
    warmup_steps: int = 2000,
    stable_tokens: float = 10e12,
    cosine_tokens: float = 4.3e12,
    low_lr: float = 2.2e-5,
    low_tokens: float = 333e9,
    final_lr: float = 7.3e-6,
    final_tokens: float = 167e9,
) -> Schedule:
    """DeepSeek-V3's token-defined phases under its batch-size ramp.

    Linear warmup from 0 to ``peak_lr`` over ``warmup_steps`` steps; ``peak_lr``
    until ``stable_tokens`` tokens; a cosine down to ``low_lr`` over the next
    ``cosine_tokens``; ``low_lr`` for ``low_tokens``; ``final_lr`` for the last
    ``final_tokens``. The run is 14.8T tokens.

    Source: DeepSeek-AI (A. Liu, B. Feng, B. Xue, et al.), "DeepSeek-V3 Technical
    Report", 2024, arXiv:2412.19437, pre-training "Training Hyper-Parameters": "we
    first linearly increase it from 0 to 2.2 x 10^-4 during the first 2K steps.
    Then, we keep a constant learning rate of 2.2 x 10^-4 until the model consumes
    10T training tokens. Subsequently, we gradually decay the learning rate to 2.2
    x 10^-5 in 4.3T tokens, following a cosine decay curve. During the training of
    the final 500B tokens, we keep a constant learning rate of 2.2 x 10^-5 in the
    first 333B tokens, and switch to another constant learning rate of 7.3 x 10^-6
    in the remaining 167B tokens"; the batch grows from 3,072 to 15,360 sequences
    (4K tokens) over the first 469B tokens; 14.8T tokens.

    Choices: the batch ramp (the default clock, :func:`deepseek_v3_ramp`) is taken
    as linear in tokens; "2K" is 2,000 steps; the warmup is in steps and every
    other phase in tokens.

    Args:
      tokens_per_step: a constant batch in tokens, instead of the ramp.
      batch_ramp: a schedule of the cumulative tokens at a step, instead.
      peak_lr, warmup_steps, stable_tokens, cosine_tokens: the paper's numbers.
      low_lr, low_tokens, final_lr, final_tokens: the paper's numbers.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.deepseek_v3()
      >>> print(f"{float(s(2000)):.2e} {float(s(300_000)):.2e}")
      2.20e-04 7.30e-06
    """
    check_positive("deepseek_v3", peak_lr=peak_lr, cosine_tokens=cosine_tokens)
    clock = clock_for("deepseek_v3", tokens_per_step, batch_ramp, deepseek_v3_ramp())
    stable_tokens, cosine_tokens = float(stable_tokens), float(cosine_tokens)
    cosine_end = stable_tokens + cosine_tokens
    in_tokens = Join(
        [
            Constant(peak_lr),
            Cosine(peak_lr, cosine_tokens, alpha=low_lr / peak_lr),
            Constant(final_lr),
        ],
        [stable_tokens, cosine_end + float(low_tokens)],
    )
    total = cosine_end + low_tokens + final_tokens
    return finish(
        _warmup_in_steps(on_clock(in_tokens, clock), warmup_steps),
        run_steps(clock, total),
    )


# ------------------------------------------------------------------------- MiniCPM


@recipe(
    summary="MiniCPM (Hu et al. 2024): warmup-stable-decay, the decay exponential "
    "with a half-life of 5,000 steps over the last 10%",
    shape="linear warmup -> constant -> exponential decay (half-life)",
    source="Hu et al. 2024, arXiv:2404.06395, Sec. 4.2-4.3 and 6.2",
)
def minicpm(
    total_steps: int = 280_000,
    *,
    peak_lr: float = 0.01,
    warmup_steps: int | None = None,
    decay_fraction: float = 0.1,
    half_life_steps: float = 5000,
) -> Schedule:
    """MiniCPM's warmup-stable-decay (WSD) schedule with exponential annealing.

    Linear warmup from 0 to ``peak_lr`` over ``warmup_steps``; ``peak_lr`` until the
    last ``decay_fraction`` of the run; then ``peak_lr * 0.5 ** ((step - T) /
    half_life_steps)`` from the decay's start ``T``.

    Source: S. Hu, Y. Tu, X. Han, C. He, et al., "MiniCPM: Unveiling the Potential
    of Small Language Models with Scalable Training Strategies", 2024,
    arXiv:2404.06395. Section 4.2, Eq. 1: WSD's warmup, stable and decay phases;
    Section 4.3: "a decay of about 10%" of the tokens; Section 6.2: batch 3.93M
    tokens, max learning rate 0.01 (in the paper's muP parameterization),
    "exponential annealing, i.e. f(s - T) = 0.5^((s - S)/T), in which T is set to
    be 5000 steps (20B tokens)".

    Choices: the printed exponent reuses S and T and, read literally, exceeds 1 in
    the decay; it is read as a half-life, ``0.5 ** ((s - T_decay) / 5000)``, as a
    public bmtrain-style ``WarmupStableExp`` scheduler computes it ("here drop_iter
    is half-life"). The run length (about 1.1T tokens at 3.93M tokens a step:
    ``total_steps=280_000``) is derived; the paper gives no warmup length for the
    production run, so ``warmup_steps`` defaults to 1% of the run (2,800 steps).

    Args:
      total_steps: the run's length in steps.
      peak_lr: the stable rate (0.01 under muP).
      warmup_steps: the warmup length (default 1% of ``total_steps``).
      decay_fraction: the decay's share of the run.
      half_life_steps: steps per halving in the decay.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.minicpm()
      >>> print(f"{float(s(252_000)):.4f} {float(s(257_000)):.4f}")
      0.0100 0.0050
    """
    check_positive(
        "minicpm",
        total_steps=total_steps,
        peak_lr=peak_lr,
        half_life_steps=half_life_steps,
    )
    warmup = round(0.01 * total_steps) if warmup_steps is None else warmup_steps
    decay_begin = total_steps - round(decay_fraction * total_steps)
    if not warmup <= decay_begin:
        raise ValueError(
            f"minicpm: the warmup ({warmup} steps) must end before the decay begins "
            f"(step {decay_begin})"
        )
    after = Join(
        [Constant(peak_lr), Exponential(peak_lr, half_life_steps, 0.5)],
        [decay_begin - warmup],
    )
    return finish(Warmup(after, warmup), int(total_steps))


# ---------------------------------------------------------------------------- OLMo

#: OLMo: size -> (peak learning rate, run length in steps).
OLMO_SIZES = {"1b": (4.0e-4, 739_328), "7b": (3.0e-4, 476_837)}


@recipe(
    summary="OLMo 1 (Groeneveld et al. 2024): warmup 5,000 steps from 10% of the "
    "peak, linear decay to 10%",
    shape="linear warmup (from 0.1) -> linear to 0.1 (-> optional linear to 0)",
    source="Groeneveld et al. 2024, arXiv:2402.00838, Sec. 3.2, Table 4; allenai/OLMo "
    "configs/official-0724 @ 59a53e3",
)
def olmo(
    size: str = "7b",
    total_steps: int | None = None,
    *,
    peak_lr: float | None = None,
    warmup_steps: int = 5000,
    final_fraction: float = 0.1,
    warmup_init_fraction: float = 0.1,
    anneal_steps: int = 0,
) -> Schedule:
    """OLMo's schedule: warmup, then a linear decay to a tenth of the peak.

    Linear warmup from ``warmup_init_fraction * peak_lr`` to ``peak_lr`` over
    ``warmup_steps``, then linear to ``final_fraction * peak_lr`` at
    ``total_steps``; with ``anneal_steps``, a further linear decay to 0 over that
    many steps after ``total_steps`` (the run is then ``total_steps +
    anneal_steps``).

    Sources: D. Groeneveld, I. Beltagy, P. Walsh, A. Bhagia, et al., "OLMo:
    Accelerating the Science of Language Models", 2024, arXiv:2402.00838. Section
    3.2: "For all model sizes, we warm up the learning rate over 5000 steps (~21B
    tokens) and then decay it linearly from there down to a tenth of the peak
    learning rate over the remainder of training"; Table 4: peaks 4.0e-4 (1B),
    3.0e-4 (7B); Section 4: the 7B checkpoint was tuned further "for 1000 steps
    with the learning rate linearly decayed to 0" (``anneal_steps=1000``). Code:
    allenai/OLMo @ 59a53e3f68e5, ``configs/official-0724/OLMo-7B.yaml``
    (``linear_with_warmup``, ``t_warmup: 5000``, ``alpha_f: 0.1``, ``max_duration:
    2e12T``, batch 2,048 x 2,048 tokens: 476,837 steps) and ``olmo/optim.py``
    (``Scheduler._linear_warmup`` starts at ``warmup_min_lr``, which defaults to
    ``initial_lr * 0.10``; ``LinearWithWarmup`` measures the decay after the
    warmup).

    Choices: the warmup starts at 10% of the peak, as the released code does (the
    paper does not say). ``configs/official-0724/OLMo-1B.yaml`` uses
    ``cosine_with_warmup`` with 2,000 warmup steps over 739,328 steps, against the
    paper's "all sizes: 5000 steps, linear": the paper's shape is used, with the
    config's length.

    Args:
      size: ``"1b"`` or ``"7b"`` (Table 4).
      total_steps: the decay's end (default: the config's run length).
      peak_lr, warmup_steps, final_fraction: the paper's numbers.
      warmup_init_fraction: the warmup's start as a fraction of the peak (code).
      anneal_steps: a final linear decay to 0 after ``total_steps``.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.olmo("7b")
      >>> print(f"{float(s(0)):.1e} {float(s(5000)):.1e} {float(s(476_837)):.1e}")
      3.0e-05 3.0e-04 3.0e-05
    """
    peak, total = pick_row("olmo", "size", OLMO_SIZES, size, peak_lr, total_steps)
    check_positive("olmo", total_steps=total, peak_lr=peak)
    floor = final_fraction * peak
    decay = Linear(peak, floor, total - warmup_steps)
    schedule = Warmup(decay, warmup_steps, init_value=warmup_init_fraction * peak)
    if anneal_steps:
        schedule = Join([schedule, Linear(floor, 0.0, anneal_steps)], [total])
    return finish(schedule, int(total + anneal_steps))


#: OLMo 2: size -> (peak, batch in sequences of 4,096, cosine horizon in tokens,
#: stop of stage 1 in tokens, stage-2 anneal in tokens).
OLMO2_SIZES = {
    "1b": (4.0e-4, 512, 5e12, 4e12, 50e9),
    "7b": (3.0e-4, 1024, 5e12, 4e12, 50e9),
    "13b": (9.0e-4, 2048, 5e12, 5e12, 100e9),
    "32b": (6.0e-4, 2048, 6.5e12, 6e12, 100e9),
}


@recipe(
    summary="OLMo 2 (Team OLMo 2024): warmup 8.4B tokens, cosine to 10% over a "
    "token horizon cut short, then linear to 0 (mid-training)",
    shape="linear warmup -> truncated cosine to 0.1 -> linear to 0 (tokens)",
    source="Team OLMo 2024, arXiv:2501.00656, Table 3; allenai/OLMo "
    "configs/official-1124, official-0425 @ 59a53e3",
    units="tokens",
)
def olmo2(
    size: str = "7b",
    tokens_per_step: float | None = None,
    *,
    batch_ramp: Schedule | None = None,
    peak_lr: float | None = None,
    warmup_tokens: float = 8_388_608_000,
    final_fraction: float = 0.1,
    horizon_tokens: float | None = None,
    stop_tokens: float | None = None,
    anneal_tokens: float | None = None,
) -> Schedule:
    """OLMo 2's two stages: a truncated cosine, then a linear anneal to 0.

    In tokens ``T``. Stage 1: linear warmup from 0 to ``peak_lr`` over
    ``warmup_tokens``, then a cosine (counted from the warmup's end) that would
    reach ``final_fraction * peak_lr`` at ``horizon_tokens``, cut at
    ``stop_tokens``. Stage 2 (mid-training): from the value there, linear to 0 over
    ``anneal_tokens``.

    Sources: Team OLMo (P. Walsh, L. Soldaini, D. Groeneveld, et al.), "2 OLMo 2
    Furious", 2024, arXiv:2501.00656: stage 1 "warms up the learning rate from 0
    to the peak learning rate over 2000 steps, followed by a cosine decay calibrated
    to reach 10% of the peak learning rate after a specified max tokens"; stage 2:
    "we linearly decay the learning rate to zero"; Table 3: peaks 3.0e-4 (7B),
    9.0e-4 (13B), 6.0e-4 (32B), batches of 1,024/2,048/2,048 sequences of 4,096,
    horizons 5T/5T/6.5T tokens, truncation after 4T (7B) and 6T (32B). Code:
    allenai/OLMo @ 59a53e3f68e5, ``configs/official-1124/OLMo2-7B-stage1.yaml``
    (``cosine_with_warmup``, ``units: tokens``, ``t_warmup: 8388608000``, ``t_max:
    5e12``, ``alpha_f: 0.1``, ``warmup_min_lr: 0.0``), ``OLMo2-*-stage2-*.yaml``
    (``linear_with_warmup`` to ``alpha_f: 0`` over 50B (7B) or 100B/300B tokens
    (13B)), the 1B of ``configs/official-0425/`` (peak 4.0e-4, batch 512, stage 1
    to 4e12 tokens, stage 2 from 7.4487e-5 over 50B tokens) and ``olmo/optim.py``
    (``CosWithWarmup``: the cosine over ``t_max - t_warmup`` after the warmup).

    Choices: the warmup is the configs' 8,388,608,000 tokens: the paper's 2,000
    steps for the 7B, but 4,000 steps for the 1B and 1,000 for the 13B and 32B
    (other batch sizes); the stage-2 configs' starting rates confirm it (the 1B's
    7.4487e-5 is this cosine at 4T tokens to 5 digits; with a 2,000-step warmup it
    would be 7.4432e-5). ``OLMo2-13B-stage1.yaml`` lists ``learning_rate:
    3.0e-4`` against the paper's 9.0e-4; the 13B stage-2 configs start at 9e-5,
    10% of 9.0e-4 at the horizon, so 9.0e-4 is used. The 7B's stage 2 starts at
    6.1499e-5, this cosine's value at step 928,000 (3.892T tokens; its checkpoint
    is step 928,646); the paper's "after 4T" is used. The 32B's anneal is taken as
    100B tokens.

    Args:
      size: ``"1b"``, ``"7b"``, ``"13b"`` or ``"32b"``.
      tokens_per_step: a constant batch in tokens (default: Table 3's, x 4,096).
      batch_ramp: a schedule of the cumulative tokens at a step, instead.
      peak_lr, warmup_tokens, final_fraction: Table 3 and the configs, per size.
      horizon_tokens, stop_tokens, anneal_tokens: Table 3 and the configs, per size.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.olmo2("1b")  # 2,097,152 tokens a step
      >>> print(f"{float(s(4000)):.2e} {float(s(1_907_349)):.3e}")
      4.00e-04 7.449e-05
    """
    peak, sequences, horizon, stop, anneal = pick_row(
        "olmo2", "size", OLMO2_SIZES, size,
        peak_lr, None, horizon_tokens, stop_tokens, anneal_tokens,
    )  # fmt: skip
    warmup_tokens = float(warmup_tokens)  # token counts overflow int32 leaves
    horizon, stop, anneal = float(horizon), float(stop), float(anneal)
    if not warmup_tokens < stop <= horizon:
        raise ValueError(
            "olmo2: need warmup_tokens < stop_tokens <= horizon_tokens. Received: "
            f"warmup_tokens={warmup_tokens!r}, stop_tokens={stop!r}, "
            f"horizon_tokens={horizon!r}"
        )
    clock = clock_for("olmo2", tokens_per_step, batch_ramp, sequences * 4096.0)
    cosine = Cosine(peak, horizon - warmup_tokens, alpha=final_fraction)
    p = (stop - warmup_tokens) / (horizon - warmup_tokens)
    at_stop = peak * (
        final_fraction + (1 - final_fraction) * 0.5 * (1 + math.cos(math.pi * p))
    )
    after: Schedule = cosine
    if anneal > 0:
        after = Join([cosine, Linear(at_stop, 0.0, anneal)], [stop - warmup_tokens])
    in_tokens = Warmup(after, warmup_tokens)
    return finish(on_clock(in_tokens, clock), run_steps(clock, stop + anneal))


# ------------------------------------------------------------ nanoGPT and Pythia


@recipe(
    summary="nanoGPT's GPT-2 124M (Karpathy): warmup 2,000 iterations, cosine to "
    "6e-5 at 600,000",
    shape="linear warmup (from lr/2001) -> cosine to 0.1 -> constant",
    source="karpathy/nanoGPT train.py, config/train_gpt2.py @ 3adf61e",
)
def nanogpt(
    learning_rate: float = 6e-4,
    *,
    warmup_iters: int = 2000,
    lr_decay_iters: int = 600_000,
    min_lr: float = 6e-5,
    max_iters: int = 600_000,
) -> Schedule:
    """nanoGPT's ``get_lr``, exactly.

    ``learning_rate * (it + 1) / (warmup_iters + 1)`` for ``it < warmup_iters``;
    then ``min_lr + (learning_rate - min_lr) * (1 + cos(pi * r)) / 2`` with ``r =
    (it - warmup_iters) / (lr_decay_iters - warmup_iters)``; ``min_lr`` after
    ``lr_decay_iters``.

    Source: karpathy/nanoGPT @ 3adf61e154c3, ``train.py`` (``get_lr`` and the
    defaults ``learning_rate = 6e-4``, ``warmup_iters = 2000``, ``lr_decay_iters =
    600000``, ``min_lr = 6e-5``) and ``config/train_gpt2.py`` (``max_iters =
    600000``, batch 12 x 1024 x 40 = 491,520 tokens). A community reproduction of
    GPT-2 (124M): the GPT-2 paper publishes no schedule.

    Args:
      learning_rate, warmup_iters, lr_decay_iters, min_lr, max_iters: ``train.py``'s.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.nanogpt()
      >>> print(f"{float(s(0)):.4e} {float(s(2000)):.1e} {float(s(600_000)):.1e}")
      2.9985e-07 6.0e-04 6.0e-05
    """
    check_positive(
        "nanogpt", learning_rate=learning_rate, lr_decay_iters=lr_decay_iters
    )
    cosine = Cosine(
        learning_rate, lr_decay_iters - warmup_iters, alpha=min_lr / learning_rate
    )
    init = learning_rate / (warmup_iters + 1)
    return finish(Warmup(cosine, warmup_iters, init_value=init), int(max_iters))


#: Pythia: size -> peak learning rate (models/*/pythia-*.yml).
PYTHIA_SIZES = {
    "14m": 1.0e-3,
    "31m": 1.0e-3,
    "70m": 1.0e-3,
    "160m": 6.0e-4,
    "410m": 3.0e-4,
    "1b": 2.5e-4,
    "1.4b": 2.0e-4,
    "2.8b": 1.6e-4,
    "6.9b": 1.2e-4,
    "12b": 1.2e-4,
}


@recipe(
    summary="Pythia (Biderman et al. 2023): warmup 1% of 143,000 steps, GPT-NeoX's "
    "cosine clipped at 10% (reached near step 115,000)",
    shape="linear warmup -> max(cosine to 0 over the run, 0.1)",
    source="Biderman et al. 2023, arXiv:2304.01373; EleutherAI/pythia models/ @ "
    "a19eecb; EleutherAI/gpt-neox v1.0 megatron/learning_rates.py",
)
def pythia(
    size: str = "410m",
    *,
    peak_lr: float | None = None,
    train_iters: int = 143_000,
    warmup: float = 0.01,
    min_fraction: float = 0.1,
) -> Schedule:
    """Pythia's schedule as GPT-NeoX v1.0 computes it.

    ``lr * n / W`` for ``n <= W = warmup * train_iters`` (1,430 steps); then
    ``max(min_lr, lr * (1 + cos(pi * (n - W) / train_iters)) / 2)``: the cosine runs
    towards 0 over ``train_iters`` steps counted from the warmup's end and is
    clipped at ``min_lr = 0.1 * lr``, which it reaches near step 115,140, not at the
    run's end.

    Sources: S. Biderman, H. Schoelkopf, Q. Anthony, H. Bradley, et al., "Pythia: A
    Suite for Analyzing Large Language Models Across Training and Scaling", ICML
    2023, arXiv:2304.01373. EleutherAI/pythia @ a19eecb807ec, ``models/*/pythia-*.yml``
    (``"lr-decay-style": "cosine"``, ``"warmup": 0.01``, ``"train-iters": 143000``,
    ``"lr-decay-iters": 143000``, ``"min_lr"`` = 0.1 lr). EleutherAI/gpt-neox tag
    v1.0 (71df4d50, the version the Pythia README checks out),
    ``megatron/learning_rates.py`` (``AnnealingLR.get_lr``: the warmup, the cosine
    over ``end_iter`` after ``warmup_iter``, ``max(lr, self.min_lr)``) and
    ``megatron/training.py`` (``warmup_iter = warmup * lr_decay_iters``).

    Choices: the 1B's config has ``"lr": 0.00025``, the README's table 3.0e-4; the
    config (what was run) is used. GPT-NeoX also stops the cosine's argument at
    ``train_iters - 2W``; that only matters below ``0.001 * lr`` (under the default
    floor it is not seen).

    Args:
      size: ``"14m"``, ``"31m"``, ``"70m"``, ``"160m"``, ``"410m"``, ``"1b"``,
        ``"1.4b"``, ``"2.8b"``, ``"6.9b"`` or ``"12b"``.
      peak_lr: the peak (default: the size's config).
      train_iters, warmup, min_fraction: the configs'.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.pythia("410m")
      >>> print(f"{float(s(1430)):.1e} {float(s(143_000)):.1e}")
      3.0e-04 3.0e-05
    """
    peak = pick("pythia", "size", PYTHIA_SIZES, size)
    peak = peak if peak_lr is None else peak_lr
    check_positive("pythia", peak_lr=peak, train_iters=train_iters)
    warmup_steps = warmup * train_iters
    clipped = Maximum(Constant(min_fraction * peak), Cosine(peak, train_iters))
    return finish(Warmup(clipped, warmup_steps), int(train_iters))


# ------------------------------------------------------ Kaplan et al., Hägele et al.


@recipe(
    summary="Kaplan et al. 2020 (scaling laws): 3,000-step warmup, cosine to 0 over "
    "250,000 steps",
    shape="linear warmup -> cosine to 0",
    source="Kaplan et al. 2020, arXiv:2001.08361, Sec. 2.2",
)
def kaplan(
    total_steps: int = 250_000,
    *,
    peak_lr: float | None = None,
    n_params: float = 1.5e9,
    warmup_steps: int = 3000,
) -> Schedule:
    """The schedule of Kaplan et al.'s scaling-law runs.

    Linear warmup from 0 to ``peak_lr`` over 3,000 steps, then a cosine to 0 at
    ``total_steps``.

    Source: J. Kaplan, S. McCandlish, T. Henighan, T. Brown, et al., "Scaling Laws
    for Neural Language Models", 2020, arXiv:2001.08361. Section 2.2: 2.5 x 10^5
    steps, batches of 512 sequences of 1,024 tokens, "a 3000 step linear warmup
    followed by a cosine decay to zero".

    Choices: the runs' learning rate varied with the model size; the default
    ``peak_lr`` is the paper's fit ``0.003239 - 0.0001395 * ln(n_params)``
    (Appendix D, not re-checked against the paper here) at ``n_params`` (1.5B,
    the largest models: 2.5e-4); pass ``peak_lr`` to set it.

    Args:
      total_steps: the run's length (2.5e5).
      peak_lr: the peak (default from the fit at ``n_params``).
      n_params: non-embedding parameters, for the default peak.
      warmup_steps: 3,000.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.kaplan(peak_lr=1e-3)
      >>> print(f"{float(s(3000)):.1e} {float(s(250_000)):.1e}")
      1.0e-03 0.0e+00
    """
    peak = 0.003239 - 0.0001395 * math.log(n_params) if peak_lr is None else peak_lr
    check_positive("kaplan", total_steps=total_steps, peak_lr=peak)
    return finish(
        Warmup(Cosine(peak, total_steps - warmup_steps), warmup_steps), int(total_steps)
    )


@recipe(
    summary="Hägele et al. 2024: constant rate and a 1-sqrt cooldown over the last "
    "20% (warmup from peak/100)",
    shape="linear warmup (from 0.01) -> constant -> 1-sqrt (or linear, cosine, "
    "square) to 0",
    source="Hägele et al. 2024, arXiv:2405.18392; "
    "epfml/schedules-and-scaling @ 17e78d6",
)
def hagele_wsd(
    total_steps: int = 15_000,
    *,
    peak_lr: float = 1e-3,
    warmup_steps: int = 300,
    decay_fraction: float = 0.2,
    decay: str = "1-sqrt",
    init_div_factor: float = 100.0,
    final_lr_factor: float = 0.0,
) -> Schedule:
    """Warmup-stable-decay as Hägele et al. run it (``wsd_schedule``).

    ``peak_lr * (s / W + (1 - s / W) / init_div_factor)`` for ``s < W``; ``peak_lr``
    until ``n_hold = N - int(decay_fraction * N)``; then with ``p = (s - n_hold) /
    (N - n_hold)`` and ``f = final_lr_factor``: ``f + (1 - f) * (1 - sqrt(p))``
    (``"1-sqrt"``), ``f + (1 - f) * (1 - p)`` (``"linear"``) or ``f + (1 - f) * (1 +
    cos(pi * p)) / 2`` (``"cosine"``) or ``f + (1 - f) * (1 - p ** 2)``
    (``"square"``), times ``peak_lr``; ``f * peak_lr`` after ``N``.

    Sources: A. Hägele, E. Bakouch, A. Kosson, L. Ben Allal, L. Von Werra, M. Jaggi,
    "Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations",
    NeurIPS 2024, arXiv:2405.18392 (a cooldown of about 20% matches a cosine;
    1-sqrt beats linear: read in secondary notes). Code:
    epfml/schedules-and-scaling @ 17e78d600a70, ``src/optim/utils.py``
    (``wsd_schedule``) and ``src/config/base.py`` (``--lr 1e-3``,
    ``--warmup-steps 300``, ``--iterations 15000``, ``--wsd-fract-decay 0.1``,
    ``--wsd-final-lr-scale 0.0``, ``--decay-type linear``; ``init_div_factor=1e2``
    in ``src/main.py``).

    Choices: the paper's recommendation (1-sqrt over 20%) is the default; the code's
    defaults are ``decay="linear", decay_fraction=0.1``.

    Args:
      total_steps, peak_lr, warmup_steps: ``wsd_schedule``'s ``n_iterations``, the
        rate, ``n_warmup``.
      decay_fraction, init_div_factor, final_lr_factor: ``wsd_schedule``'s
        ``fract_decay``, ``init_div_factor``, ``final_lr_factor``.
      decay: ``"1-sqrt"``, ``"linear"``, ``"cosine"`` or ``"square"``.

    Example:
      >>> from jaxsched import recipes
      >>> s = recipes.hagele_wsd()
      >>> print(f"{float(s(0)):.0e} {float(s(12_000)):.0e} {float(s(13_500)):.4f}")
      1e-05 1e-03 0.0003
    """
    check_positive("hagele_wsd", total_steps=total_steps, peak_lr=peak_lr)
    shapes = {
        "1-sqrt": ("power", 0.5),
        "linear": ("linear", 1.0),
        "cosine": ("cosine", 1.0),
        "square": ("power", 2.0),
    }
    if decay not in shapes:
        raise ValueError(
            "hagele_wsd: `decay` must be '1-sqrt', 'linear', 'cosine' or 'square'. "
            f"Received: decay={decay!r}"
        )
    shape, power = shapes[decay]
    schedule = WarmupHoldDecay(
        Constant(peak_lr),
        warmup=warmup_steps,
        decay=int(decay_fraction * total_steps),
        total_steps=total_steps,
        init_value=peak_lr / init_div_factor,
        end_value=final_lr_factor * peak_lr,
        decay_shape=shape,
        decay_power=power,
    )
    return finish(schedule, int(total_steps))
