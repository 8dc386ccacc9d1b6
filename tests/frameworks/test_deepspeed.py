"""jaxsched.frameworks.deepspeed against the float64 transcription of DeepSpeed's
lr_schedules.py (tests/truth_frameworks_pt.py): both warmup types, OneCycle's
stairs and momentum, on edge grids and random configurations."""

import itertools
import random

import numpy as np
import pt_mirrors
import pytest
import truth_frameworks_pt as truth

from jaxsched.frameworks import deepspeed

STEPS = pt_mirrors.STEPS
LR = 0.5


def _one_cycle(**kw):
    mirror = deepspeed.OneCycle(**kw)
    lr, mom = truth.deepspeed_one_cycle(STEPS, **kw)
    cases = [(mirror.learning_rate, lr)]
    if mirror.momentum is not None:
        cases.append((mirror.momentum, mom))
    return cases


def _cases():
    """Edge configurations (W = 1 counts as 2, T <= W, stairs finer than a step,
    a second ramp of 0), then random ones."""
    rng = random.Random(5)
    cases = []
    for size, rate, stairs in itertools.product(
        [1, 7, 30], [0.0, 1.0, 2.5], [False, True]
    ):
        args = (0.01, size, rate, stairs)
        cases.append(
            (deepspeed.LRRangeTest(*args), truth.deepspeed_lr_range_test(STEPS, *args))
        )
    for kind, w, lo, hi in itertools.product(
        ["log", "linear"], [1, 2, 10], [0.0, 0.01], [None, 0.3]
    ):
        args = (lo, hi, w, kind)
        cases.append(
            (deepspeed.WarmupLR(LR, *args), truth.deepspeed_warmup_lr(STEPS, LR, *args))
        )
    for kind, w, total, hi in itertools.product(
        ["log", "linear"], [1, 10], [5, 10, 11, 60], [None, 0.001]
    ):
        args = (total, 0.001 if hi is None else 0.0, hi, w, kind)
        cases.append(
            (
                deepspeed.WarmupDecayLR(LR, *args),
                truth.deepspeed_warmup_decay_lr(STEPS, LR, *args),
            )
        )
    for kind, w, total, lo_ratio, cos_min in itertools.product(
        ["log", "linear"], [1, 10], [5, 10, 11, 60], [0.0, 0.1], [0.0001, 0.2, -0.1]
    ):
        args = (total, lo_ratio, w, cos_min, kind)
        cases.append(
            (
                deepspeed.WarmupCosineLR(LR, *args),
                truth.deepspeed_warmup_cosine_lr(STEPS, LR, *args),
            )
        )
    for first, second, n1, n2, decay in [
        (10, 20, 0, None, (5, 1.0, 0.5)),
        (10, 0, 0, None, (0, 1.0, 0.5)),
        (12, 7, 4, None, (3, 0.2, 0.0)),
        (9, 30, 5, 0, (7, 0.0, 0.3)),
        (3, 5, 7, 11, (2, 2.0, 0.1)),
    ]:
        kw = dict(
            cycle_min_lr=0.01,
            cycle_max_lr=LR,
            cycle_first_step_size=first,
            cycle_second_step_size=second,
            cycle_first_stair_count=n1,
            cycle_second_stair_count=n2,
            decay_step_size=decay[0],
            decay_lr_rate=decay[1],
            decay_mom_rate=decay[2],
        )
        cases += _one_cycle(**kw)
    cases += _one_cycle(cycle_min_lr=0.01, cycle_max_lr=LR, cycle_momentum=False)
    for i in range(6):
        kw = dict(
            cycle_min_lr=rng.uniform(0.001, 0.1),
            cycle_max_lr=rng.uniform(0.2, 1.0),
            cycle_first_step_size=rng.randrange(1, 60),
            cycle_second_step_size=rng.randrange(0, 60),
            cycle_first_stair_count=rng.choice([0, rng.randrange(1, 20)]),
            cycle_second_stair_count=rng.choice([0, rng.randrange(1, 20)]),
            decay_step_size=rng.randrange(1, 20),
            decay_lr_rate=rng.uniform(0, 2),
            cycle_min_mom=rng.uniform(0.7, 0.85),
            cycle_max_mom=rng.uniform(0.86, 0.99),
            decay_mom_rate=rng.uniform(0, 0.1),
        )
        if i == 0:
            cases += _one_cycle(**kw)
        total, w = rng.randrange(1, 120), rng.randrange(1, 60)
        args = (
            total,
            rng.uniform(0, 0.5),
            w,
            rng.uniform(0, 0.3),
            rng.choice(["log", "linear"]),
        )
        cases.append(
            (
                deepspeed.WarmupCosineLR(LR, *args),
                truth.deepspeed_warmup_cosine_lr(STEPS, LR, *args),
            )
        )
    return cases


def test_values_equal_deepspeed():
    assert pt_mirrors.check_cases(_cases()) >= 10


def test_one_compile_for_a_stack():
    members = [
        deepspeed.OneCycle(0.01 * (i + 1), LR, 1.0, 10, decay_step_size=5)
        for i in range(4)
    ]
    out = pt_mirrors.check_one_compile(members)
    steps = pt_mirrors.STEPS[:16]
    ref = [
        truth.deepspeed_one_cycle(steps, 0.01 * (i + 1), LR, 1.0, 10, decay_step_size=5)
        for i in range(4)
    ]
    np.testing.assert_allclose(np.asarray(out[0]), [r[0] for r in ref], rtol=1e-5)
    np.testing.assert_allclose(np.asarray(out[1]), [r[1] for r in ref], rtol=1e-5)
    pt_mirrors.check_round_trip(members[0])


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: deepspeed.LRRangeTest(lr_range_test_step_size=0), "step_size"),
        (lambda: deepspeed.OneCycle(0.1, 1.0, cycle_first_step_size=0), "first_step"),
        (lambda: deepspeed.OneCycle(0.1, 1.0, cycle_first_step_size=2.5), "first_step"),
        (lambda: deepspeed.WarmupLR(LR, warmup_num_steps=0), "warmup_num_steps"),
        (lambda: deepspeed.WarmupLR(LR, warmup_type="cubic"), "warmup_type"),
        (lambda: deepspeed.WarmupLR(None), "learning_rate"),
        (lambda: deepspeed.WarmupDecayLR(LR, None), "total_num_steps"),
    ],
)
def test_errors(build, match):
    with pytest.raises(ValueError, match=match):
        build()
