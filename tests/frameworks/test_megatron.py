"""jaxsched.frameworks.megatron against the float64 transcription of Megatron-LM's
OptimizerParamScheduler (tests/truth_frameworks_pt.py): every decay style, every
WSD anneal, every weight-decay increment, on edge grids and random
configurations."""

import inspect
import itertools
import random

import numpy as np
import pt_mirrors
import pytest
import truth_frameworks_pt as truth

from jaxsched.frameworks import megatron

STEPS = pt_mirrors.STEPS


def _case(lr_args, wd_args, wsd=(None, None)):
    p = megatron.OptimizerParamScheduler(
        *lr_args, *wd_args, wsd_decay_steps=wsd[0], lr_wsd_decay_style=wsd[1]
    )
    lr = truth.megatron_lr(STEPS, *lr_args, *wsd)
    if wd_args[2] == 0 and wd_args[3] != "constant":
        # Megatron raises ZeroDivisionError at step 0 only; jaxsched gives end_wd
        wd = np.concatenate([[wd_args[1]], truth.megatron_wd(STEPS[1:], *wd_args)])
    else:
        wd = truth.megatron_wd(STEPS, *wd_args)
    return [(p.learning_rate, lr), (p.weight_decay, wd)]


def _cases():
    """Edge configurations (no warmup, an anneal over the whole decay, one inside
    the warmup, min_lr = max_lr, no increment), then random ones."""
    rng = random.Random(4)
    cases = []
    wd = (0.0, 0.1, 50, "linear")
    for style, (init, w) in itertools.product(
        ["constant", "linear", "cosine", "inverse-square-root"],
        [(0.0, 0), (0.01, 10), (0.02, 1)],
    ):
        for lo, hi in [(0.001, 0.5), (0.2, 0.2), (0.0, 0.5)]:
            cases += _case((init, hi, lo, w, 60, style), wd)
    for wsd_style, (w, wsd) in itertools.product(
        ["linear", "cosine", "exponential", "minus_sqrt"],
        [(10, 20), (0, 60), (10, 58), (5, 1)],
    ):
        cases += _case((0.0, 0.5, 0.01, w, 60, "WSD"), wd, (wsd, wsd_style))
    for start, end, steps, style in [
        (0.0, 0.1, 50, "cosine"),
        (0.05, 0.1, 1, "linear"),
        (0.05, 0.1, 1, "cosine"),
        (0.1, 0.1, 50, "constant"),
        (0.0, 0.1, 0, "linear"),
        (0.02, 0.3, 0, "cosine"),
    ]:
        cases += _case((0.0, 0.5, 0.0, 3, 60, "linear"), (start, end, steps, style))
    for _ in range(8):
        d = rng.randrange(2, 110)
        w = rng.randrange(0, d)
        hi = rng.uniform(0.01, 1.0)
        lr_args = (rng.uniform(0, hi), hi, rng.uniform(0, hi), w, d)
        style = rng.choice(["linear", "cosine", "inverse-square-root", "WSD"])
        anneal = rng.randrange(1, d + 1)
        wsd_style = rng.choice(["linear", "cosine", "exponential", "minus_sqrt"])
        start = rng.uniform(0, 0.1)
        wd_args = (start, start + rng.uniform(0, 0.1), rng.randrange(1, 110))
        wd_args += (rng.choice(["linear", "cosine"]),)
        cases += _case(
            (*lr_args, style),
            wd_args,
            (anneal, wsd_style) if style == "WSD" else (None, None),
        )
    return cases


def test_values_equal_megatron():
    assert pt_mirrors.check_cases(_cases()) >= 10


def test_step_zero_with_no_increment():
    # Megatron divides 0 by 0 at step 0 (ZeroDivisionError) and gives end_wd after
    p = megatron.OptimizerParamScheduler(
        0.0, 1.0, 0.0, 0, 10, "linear", 0.0, 0.1, 0, "linear"
    )
    assert float(p.weight_decay(0)) == pytest.approx(0.1)
    with pytest.raises(ZeroDivisionError):
        truth.megatron_wd([0], 0.0, 0.1, 0, "linear")


def test_one_compile_for_a_stack():
    members = [
        megatron.OptimizerParamScheduler(
            0.0, 0.1 * (i + 1), 0.001, 5 + i, 50, "cosine", 0.0, 0.1, 40, "cosine"
        )
        for i in range(4)
    ]
    out = pt_mirrors.check_one_compile(members)
    steps = pt_mirrors.STEPS[:16]
    lr = [
        truth.megatron_lr(steps, 0.0, 0.1 * (i + 1), 0.001, 5 + i, 50, "cosine")
        for i in range(4)
    ]
    np.testing.assert_allclose(np.asarray(out[0]), np.stack(lr), rtol=1e-5)
    wd = truth.megatron_wd(steps, 0.0, 0.1, 40, "cosine")
    np.testing.assert_allclose(
        np.asarray(out[1]), np.stack([wd] * 4), rtol=1e-5, atol=1e-7
    )
    pt_mirrors.check_round_trip(members[0])


@pytest.mark.parametrize(
    "change, match",
    [
        ({"min_lr": -1.0}, "min_lr"),
        ({"max_lr": 0.0001}, "max_lr"),
        ({"init_lr": 2.0}, "init_lr"),
        ({"lr_warmup_steps": 100}, "lr_warmup_steps"),
        ({"lr_decay_steps": 0}, "lr_decay_steps"),
        ({"lr_decay_style": "step"}, "lr_decay_style"),
        ({"lr_decay_style": "WSD"}, "wsd_decay_steps"),
        ({"lr_decay_style": "WSD", "wsd_decay_steps": 5}, "lr_wsd_decay_style"),
        ({"end_wd": 0.0, "start_wd": 0.1}, "end_wd"),
        ({"wd_incr_style": "constant"}, "end_wd"),
        ({"wd_incr_style": "step"}, "wd_incr_style"),
    ],
)
def test_megatron_asserts_are_value_errors(change, match):
    # A valid configuration, positional as in the calls above, bound to the argument
    # names so that ``change`` can replace any of them.
    args = inspect.signature(megatron.OptimizerParamScheduler).bind(
        0.0, 1.0, 0.001, 5, 50, "linear", 0.0, 0.1, 50, "linear"
    )
    with pytest.raises(ValueError, match=match):
        megatron.OptimizerParamScheduler(**{**args.arguments, **change})
