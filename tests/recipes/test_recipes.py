"""Each published recipe against the numbers its source states.

Every recipe is held to at least three values its paper (or released config)
states: the peak after the warmup, the value at a stated phase boundary or token
count, the final value; token-defined recipes also under a user's batch-size ramp
(DeepSeek-V3's 3,072 -> 15,360 sequences over 469B tokens, linear in tokens), where
the phase boundaries must fall at the stated token counts. All recipes are
evaluated in one jitted program with the schedules closed over and one with them
passed in, in float32 and in float64.
"""

import json
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxsched as js
from jaxsched import recipes

STEPS = 12  # steps per case (padded with the last)


def _at_tokens(clock, tokens):
    """The first whole step at which the clock has seen ``tokens``."""
    return math.ceil(clock.steps_at(tokens) * (1 - 1e-12))


def _v3_ramp():
    return js.TokenClock(3072, 15360, 469e9, sequence_length=4096, ramp_unit="tokens")


def _cases():
    """``label -> (schedule, [(step, stated value)], float32 rtol)``; each value is
    written from the source's own numbers (see the recipe's docstring)."""
    cases = {}

    def case(label, schedule, points, rtol=1e-5, rounded=False):
        """``rounded``: the stated values are given to a few digits (configs) or
        fall between steps, so ``rtol`` holds in float64 too."""
        assert len(points) >= 3 and len(points) <= STEPS, label
        cases[label] = (schedule, points, (rtol, rtol if rounded else 1e-9))

    # GPT-3, App. B / Table 2.1: 375M-token warmup, 10% at 260B tokens, held to 300B.
    case(
        "gpt3 small",
        recipes.gpt3("small"),
        [(0, 0.0), (750, 6e-4), (520_000, 6e-5), (600_000, 6e-5)],
    )
    case(
        "gpt3 175b",
        recipes.gpt3("175b"),
        [(0, 0.0), (81_250, 6e-6), (93_750, 6e-6), (10**6, 6e-6)],
    )
    ramp = js.TokenClock(16, 1536, 12e9, sequence_length=2048, ramp_unit="tokens")
    end = _at_tokens(ramp, 260e9)
    case(
        "gpt3 175b ramp",
        recipes.gpt3("175b", batch_ramp=ramp),
        [(0, 0.0), (end, 6e-6), (_at_tokens(ramp, 300e9), 6e-6)],
    )
    # Chinchilla: Table 4's 1e-4, 10x cosine decay over 1.4T tokens (midpoint 55%).
    case(
        "chinchilla",
        recipes.chinchilla(),
        [(0, 1e-7), (700_000, 1e-5), (466_667, 5.5e-5), (10**7, 1e-5)],
        rounded=True,
    )
    case(
        "chinchilla const",
        recipes.chinchilla(tokens_per_step=2e6),
        [(0, 1e-7), (350_000, 5.5e-5), (700_000, 1e-5)],
    )
    # Gopher: from 1e-7 over 1,500 steps to 4e-5, 10x cosine decay over 300B tokens
    # (batch 3M -> 6M at 150B: 50,000 + 25,000 steps).
    case(
        "gopher",
        recipes.gopher(),
        [(0, 1e-7), (75_000, 4e-6), (50_000, 2.2e-5), (10**6, 4e-6)],
    )
    # LLaMA 1 / Llama 2: 2,000 warmup steps, 10% at the end; 4M-token batches.
    case("llama1 7b", recipes.llama(1, "7b"), [(0, 0.0), (2000, 3e-4), (250_000, 3e-5)])
    case(
        "llama1 65b",
        recipes.llama(1, "65b"),
        [(0, 0.0), (2000, 1.5e-4), (350_000, 1.5e-5)],
    )
    case(
        "llama2 70b",
        recipes.llama(2, "70b"),
        [(0, 0.0), (2000, 1.5e-4), (500_000, 1.5e-5), (10**6, 1.5e-5)],
    )
    # Llama 3 405B: 8,000 warmup steps to 8e-5, 8e-7 at 1.2M steps, annealed to 0.
    case(
        "llama3 405b long",
        recipes.llama(3, "405b", total_steps=1_300_000),
        [(8000, 8e-5), (1_200_000, 8e-7), (1_299_000, 8e-7), (1_300_000, 0.0)],
    )
    l3 = recipes.llama(3, "405b", anneal_tokens=40e9)
    _, l3_total = recipes.build("llama", version=3, size="405b", anneal_tokens=40e9)
    anneal = round(40e9 / (16 * 2**20))  # whole steps
    begin = l3_total - anneal
    cosine = (
        8e-7 + (8e-5 - 8e-7) * (1 + math.cos(math.pi * (begin - 8000) / 1_192_000)) / 2
    )
    case(
        "llama3 405b",
        l3,
        [
            (0, 0.0),
            (8000, 8e-5),
            (begin, cosine),
            (l3_total - anneal // 2, cosine / 2),
            (l3_total, 0.0),
        ],
    )
    # DeepSeek LLM 7B: 31.6% after 80% of 2T tokens, 10% after 90%.
    tps = 2304 * 4096
    b80, b90 = math.ceil(1.6e12 / tps), math.ceil(1.8e12 / tps)
    case(
        "deepseek_llm 7b",
        recipes.deepseek_llm("7b"),
        [
            (2000, 4.2e-4),
            (b80 - 1, 4.2e-4),
            (b80, 0.316 * 4.2e-4),
            (b90 - 1, 0.316 * 4.2e-4),
            (b90, 4.2e-5),
            (math.ceil(2e12 / tps), 4.2e-5),
        ],
    )
    ramp = js.TokenClock(2304, 4608, 100e9, sequence_length=4096, ramp_unit="tokens")
    b80, b90 = _at_tokens(ramp, 1.6e12), _at_tokens(ramp, 1.8e12)
    case(
        "deepseek_llm 67b ramp",
        recipes.deepseek_llm("67b", batch_ramp=ramp),
        [
            (2000, 3.2e-4),
            (b80 - 1, 3.2e-4),
            (b80, 0.316 * 3.2e-4),
            (b90 - 1, 0.316 * 3.2e-4),
            (b90, 3.2e-5),
        ],
    )
    # DeepSeek-V2: x0.316 after 60% and again after 90% of 8.1T tokens (its ramp).
    ramp = js.TokenClock(2304, 9216, 225e9, sequence_length=4096, ramp_unit="tokens")
    b60, b90 = _at_tokens(ramp, 0.6 * 8.1e12), _at_tokens(ramp, 0.9 * 8.1e12)
    low = 2.4e-4 * 0.316
    case(
        "deepseek_v2",
        recipes.deepseek_v2(),
        [
            (2000, 2.4e-4),
            (b60 - 1, 2.4e-4),
            (b60, low),
            (b90 - 1, low),
            (b90, 0.316 * low),
            (_at_tokens(ramp, 8.1e12), 0.316 * low),
        ],
    )
    tps = 9216 * 4096
    b60, b90 = math.ceil(0.6 * 8.1e12 / tps), math.ceil(0.9 * 8.1e12 / tps)
    case(
        "deepseek_v2 const",
        recipes.deepseek_v2(tokens_per_step=tps),
        [(2000, 2.4e-4), (b60 - 1, 2.4e-4), (b60, low), (b90, 0.316 * low)],
    )
    # DeepSeek-V3: constant to 10T, cosine to 2.2e-5 by 14.3T, 7.3e-6 from 14.633T.
    # The paper's ramp (the default, and given by the user), and other ramps: the
    # boundaries move with the clock and stay at the stated token counts.
    slow = js.TokenClock(1024, 8192, 2e12, sequence_length=4096, ramp_unit="tokens")
    steps = js.TokenClock(3072, 15360, 20_000, sequence_length=4096)
    for label, clock, kwargs in (
        ("deepseek_v3", _v3_ramp(), {}),
        ("deepseek_v3 user ramp", _v3_ramp(), {"batch_ramp": _v3_ramp()}),
        ("deepseek_v3 slow ramp", slow, {"batch_ramp": slow}),
        ("deepseek_v3 step ramp", steps, {"batch_ramp": steps}),
    ):
        s10, s143, s14633 = (_at_tokens(clock, t) for t in (10e12, 14.3e12, 14.633e12))
        case(
            label,
            recipes.deepseek_v3(**kwargs),
            [
                (0, 0.0),
                (2000, 2.2e-4),
                (s10 - 1, 2.2e-4),
                (s143, 2.2e-5),
                (s14633 - 1, 2.2e-5),
                (s14633, 7.3e-6),
                (_at_tokens(clock, 14.8e12), 7.3e-6),
            ],
        )
    tps = 15360 * 4096
    s10, s143, s14633 = (math.ceil(t / tps) for t in (10e12, 14.3e12, 14.633e12))
    case(
        "deepseek_v3 const",
        recipes.deepseek_v3(tokens_per_step=tps),
        [
            (2000, 2.2e-4),
            (s10 - 1, 2.2e-4),
            (s143, 2.2e-5),
            (s14633 - 1, 2.2e-5),
            (s14633, 7.3e-6),
        ],
    )
    # MiniCPM: WSD, decay over the last 10%, halving every 5,000 steps.
    case(
        "minicpm",
        recipes.minicpm(),
        [(0, 0.0), (2800, 0.01), (252_000, 0.01), (257_000, 0.005), (262_000, 0.0025)],
    )
    # OLMo: warmup 5,000 steps (from 10% in the code), linear to 10% of 3e-4.
    case(
        "olmo 7b",
        recipes.olmo("7b", anneal_steps=1000),
        [(0, 3e-5), (5000, 3e-4), (476_837, 3e-5), (477_837, 0.0)],
    )
    # OLMo 2: configs' stage-2 starting rates (1B 7.4487e-5 at 4T tokens, 13B 9e-5
    # at 5T, 7B 6.1499e-5 at step 928,000), 0 after the anneal.
    case("olmo2 1b", recipes.olmo2("1b"),
         [(0, 0.0), (4000, 4e-4), (math.floor(4e12 / 2**21), 7.4487e-5),
          (math.ceil(4.05e12 / 2**21), 0.0)], rtol=3e-5, rounded=True)  # fmt: skip
    case("olmo2 13b", recipes.olmo2("13b"),
         [(1000, 9e-4), (math.floor(5e12 / 2**23), 9e-5),
          (math.ceil(5.1e12 / 2**23), 0.0)], rtol=2e-5, rounded=True)  # fmt: skip
    case(
        "olmo2 7b",
        recipes.olmo2("7b"),
        [(2000, 3e-4), (928_000, 6.1499e-5), (math.ceil(4.05e12 / 2**22), 0.0)],
        rtol=2e-5,
        rounded=True,
    )
    # T5: 1/sqrt(max(n, 10^4)); fine-tuning 1e-3.
    case(
        "t5",
        recipes.t5(),
        [(0, 0.01), (10_000, 0.01), (2**19, 2**-9.5), (40_000, 0.005)],
    )
    case(
        "t5 finetune",
        recipes.t5("finetune"),
        [(0, 1e-3), (10_000, 1e-3), (2**18, 1e-3)],
    )
    # PaLM: 10^-2 for 10,000 steps, then 1/sqrt(k).
    case(
        "palm",
        recipes.palm(),
        [(0, 0.01), (10_000, 0.01), (40_000, 0.005), (10**6, 0.001)],
    )
    # BERT: warmup 10k to 1e-4, linear decay from step 0 to 0 at 1M.
    case(
        "bert",
        recipes.bert(),
        [
            (0, 0.0),
            (9_999, 1e-4 * 0.9999),
            (10_000, 0.99e-4),
            (500_000, 0.5e-4),
            (10**6, 0.0),
        ],
    )
    case(
        "bert finetune",
        recipes.bert("finetune", total_steps=1000),
        [(0, 0.0), (100, 5e-5 * 0.9), (1000, 0.0)],
    )
    # RoBERTa, Table 9.
    case(
        "roberta base",
        recipes.roberta("base"),
        [(0, 0.0), (24_000, 6e-4), (262_000, 3e-4), (500_000, 0.0)],
    )
    case(
        "roberta large",
        recipes.roberta("large"),
        [(0, 0.0), (30_000, 4e-4), (500_000, 0.0)],
    )
    # The Transformer: d^-0.5 * min(n^-0.5, n * 4000^-1.5).
    case(
        "transformer",
        recipes.transformer(),
        [
            (0, 0.0),
            (4000, (512 * 4000) ** -0.5),
            (16_000, (512 * 16_000) ** -0.5),
            (1000, 1000 * 512**-0.5 * 4000**-1.5),
        ],
    )
    case(
        "transformer big",
        recipes.transformer(1024),
        [
            (4000, (1024 * 4000) ** -0.5),
            (300_000, (1024 * 300_000) ** -0.5),
            (2000, 0.5 * (1024 * 4000) ** -0.5),
        ],
    )
    # Goyal et al.: 0.1 -> 3.2 (batch 8,192) over 5 epochs, /10 at 30, 60, 80.
    spe = 157
    case("goyal_resnet50", recipes.goyal_resnet50(),
         [(0, 0.1), (5 * spe, 3.2), (30 * spe - 1, 3.2), (30 * spe, 0.32),
          (60 * spe, 0.032), (80 * spe, 0.0032), (90 * spe, 0.0032)])  # fmt: skip
    # ViT, Table 3: 10k warmup steps, linear (i21k, JFT) or cosine (i1k) to 0.
    case(
        "vit imagenet",
        recipes.vit("imagenet", "b/16"),
        [(0, 0.0), (10_000, 3e-3), (93_835, 0.0)],
    )
    case(
        "vit i21k",
        recipes.vit("imagenet21k", "l/16", total_steps=110_000),
        [(10_000, 1e-3), (60_000, 5e-4), (110_000, 0.0)],
    )
    case(
        "vit jft",
        recipes.vit("jft", "h/14"),
        [(0, 0.0), (10_000, 3e-4), (round(14 * 303e6 / 4096), 0.0)],
    )
    # big_vision: ViT-g's rsqrt with cooldown; vit_i1k's warmup-cosine.
    case(
        "big_vision vit_g",
        recipes.big_vision("vit_g"),
        [
            (10_000, 8e-4),
            (950_000, 8e-4 / math.sqrt(95)),
            (10**6, 0.0),
            (975_000, 0.5 * 8e-4 / math.sqrt(97.5)),
        ],
    )
    case(
        "big_vision vit_i1k",
        recipes.big_vision("vit_i1k"),
        [(0, 0.0), (10_000, 1e-3), (93_835, 0.0)],
    )
    # SGDR: lr 0.05, T_0 = 10 epochs, T_mult = 2 (restarts at epochs 10, 30, 70).
    spe = 391
    case("sgdr", recipes.sgdr(),
         [(0, 0.05), (5 * spe, 0.025), (10 * spe, 0.05), (20 * spe, 0.025),
          (30 * spe, 0.05), (70 * spe, 0.05), (150 * spe, 0.05)])  # fmt: skip
    # Super-convergence: 0.1 -> 3.0 -> 0.1 over 10,000 iterations.
    case(
        "one_cycle",
        recipes.one_cycle(),
        [(0, 0.1), (5000, 3.0), (10_000, 0.1), (2500, 1.55)],
    )
    # nanoGPT: lr * (it + 1) / 2001, 6e-4 at 2,000, 6e-5 at 600,000.
    case(
        "nanogpt",
        recipes.nanogpt(),
        [
            (0, 6e-4 / 2001),
            (1999, 6e-4 * 2000 / 2001),
            (2000, 6e-4),
            (600_000, 6e-5),
            (700_000, 6e-5),
        ],
    )
    # Pythia 410M (gpt-neox v1.0): 1,430 warmup steps, floor 0.1 lr.
    case(
        "pythia 410m",
        recipes.pythia("410m"),
        [(0, 0.0), (1430, 3e-4), (143_000, 3e-5), (130_000, 3e-5)],
    )
    case(
        "pythia 1b",
        recipes.pythia("1b"),
        [(1430, 2.5e-4), (143_000, 2.5e-5), (715, 1.25e-4)],
    )
    # Kaplan et al.: 3,000 warmup steps, cosine to 0 at 250,000.
    case(
        "kaplan",
        recipes.kaplan(peak_lr=6e-4),
        [(0, 0.0), (3000, 6e-4), (126_500, 3e-4), (250_000, 0.0)],
    )
    # Hägele et al.: warmup from lr/100, 1-sqrt cooldown over the last 20%.
    case(
        "hagele_wsd",
        recipes.hagele_wsd(),
        [
            (0, 1e-5),
            (300, 1e-3),
            (12_000, 1e-3),
            (13_500, 1e-3 * (1 - 0.5**0.5)),
            (15_000, 0.0),
        ],
    )
    # The code's defaults: linear over the last 10%; and the "square" cooldown.
    case(
        "hagele_wsd linear",
        recipes.hagele_wsd(decay="linear", decay_fraction=0.1),
        [(13_500, 1e-3), (14_250, 0.5e-3), (15_000, 0.0)],
    )
    case(
        "hagele_wsd square",
        recipes.hagele_wsd(decay="square"),
        [(12_000, 1e-3), (13_500, 0.75e-3), (15_000, 0.0)],
    )
    return cases


def _evaluate(cases, wide):
    """Every case at its steps: (closed over, passed in) values, float64."""
    labels = list(cases)
    schedules = tuple(cases[k][0] for k in labels)
    steps = np.array(
        [
            [p[0] for p in cases[k][1]]
            + [cases[k][1][-1][0]] * (STEPS - len(cases[k][1]))
            for k in labels
        ],
        np.int64 if wide else np.int32,
    )
    closed = jax.jit(lambda t: [s(t[i]) for i, s in enumerate(schedules)])(steps)
    passed = jax.jit(lambda ss, t: [s(t[i]) for i, s in enumerate(ss)])(
        schedules, jnp.asarray(steps)
    )
    return {
        k: (np.asarray(closed[i], np.float64), np.asarray(passed[i], np.float64))
        for i, k in enumerate(labels)
    }


def _check(cases, values, wide):
    dtype = np.float64 if wide else np.float32
    misses = []
    for label, (_, points, rtol) in cases.items():
        closed, passed = values[label]
        assert closed.dtype == np.float64  # converted above; the schedules' dtype:
        for i, (step, stated) in enumerate(points):
            tolerance = rtol[1] if wide else rtol[0]
            atol = 1e-12 if wide else 1e-9 * max(abs(v) for _, v in points if v)
            for how, got in (("closed over", closed[i]), ("passed in", passed[i])):
                if not abs(got - stated) <= atol + tolerance * abs(stated):
                    misses.append(f"{label} at {step} ({how}): {got!r} != {stated!r}")
    assert not misses, f"{np.dtype(dtype).name}:\n" + "\n".join(misses)


def test_stated_values_float32():
    cases = _cases()
    values = _evaluate(cases, wide=False)
    _check(cases, values, wide=False)


def test_stated_values_float64():
    with jax.enable_x64(True):
        cases = _cases()
        for label, (schedule, _, _) in cases.items():
            dtype = jax.eval_shape(schedule, jnp.zeros((), jnp.int64)).dtype
            assert dtype == jnp.float64, (label, dtype)
        _check(cases, _evaluate(cases, wide=True), wide=True)


def test_token_recipes_are_clocks_over_token_schedules():
    # The default DeepSeek-V3 clock is the paper's ramp; a user's ramp replaces it.
    ramp = js.TokenClock(1000, 2000, 1e9, sequence_length=4096, ramp_unit="tokens")
    s = recipes.deepseek_v3(batch_ramp=ramp)
    assert s.to_dict() == js.from_dict(s.to_dict()).to_dict()
    with pytest.raises(ValueError, match="not both"):
        recipes.deepseek_v3(tokens_per_step=1e6, batch_ramp=ramp)
    with pytest.raises(TypeError, match="batch_ramp"):
        recipes.gpt3("small", batch_ramp=lambda t: t)


def test_every_recipe_saves_and_loads_as_json():
    for name, entry in recipes.registry().items():
        config = entry.build()[0].to_dict()
        assert js.from_dict(json.loads(json.dumps(config))).to_dict() == config, name


def test_registry_lists_every_recipe_with_its_run_length():
    found = recipes.registry()
    assert set(found) >= {
        "gpt3",
        "chinchilla",
        "llama",
        "deepseek_llm",
        "deepseek_v2",
        "deepseek_v3",
        "minicpm",
        "olmo",
        "olmo2",
        "t5",
        "palm",
        "bert",
        "roberta",
        "transformer",
        "goyal_resnet50",
        "vit",
        "big_vision",
        "sgdr",
        "one_cycle",
        "nanogpt",
        "pythia",
        "kaplan",
        "hagele_wsd",
    }
    for name, entry in found.items():
        assert getattr(recipes, name) is entry.function
        assert entry.summary and "\n" not in entry.summary
        assert entry.source and entry.units in ("steps", "tokens", "epochs")
        assert "Source" in entry.function.__doc__, name
    schedule, total = recipes.build("llama", version=2, size="7b")
    assert total == 500_000 and isinstance(schedule, js.Schedule)
    assert recipes.build("deepseek_v3")[1] == math.ceil(_v3_ramp().steps_at(14.8e12))
    with pytest.raises(ValueError, match=r"unknown recipe 'gpt4'.*gpt3"):
        recipes.build("gpt4")
    with pytest.raises(ValueError, match=r"llama \(version 2\): unknown size '8b'"):
        recipes.llama(2, "8b")


def test_a_recipe_sweeps_in_one_program():
    sweep = js.grid(recipes.llama, version=2, size="7b", peak_lr=[1e-4, 3e-4, 6e-4])
    values = jax.jit(jax.vmap(lambda s: s(jnp.array([2000, 500_000]))))(sweep)
    np.testing.assert_allclose(
        values, [[1e-4, 1e-5], [3e-4, 3e-5], [6e-4, 6e-5]], rtol=1e-6
    )
