"""jaxsched.frameworks.fairseq against the float64 transcription of fairseq's
schedulers (tests/truth_frameworks_pt.py), on edge grids and random
configurations."""

import itertools
import random
from fractions import Fraction

import numpy as np
import pt_mirrors
import pytest
import truth_frameworks_pt as truth

from jaxsched.frameworks import fairseq

STEPS = pt_mirrors.STEPS
LR = 0.5


def _cases():
    """Edge configurations of each scheduler (zero-length phases, both warmup
    defaults), then random ones."""
    rng = random.Random(23)
    cases = []
    for w, init in itertools.product([1, 4, 10], [-1, 0.01]):
        cases.append(
            (
                fairseq.inverse_sqrt(LR, w, init),
                truth.fairseq_inverse_sqrt(STEPS, LR, w, init),
            )
        )
    for w, h, d, fls in itertools.product([0, 3], [0, 4], [1, 5], [0.01, 0.5]):
        cases.append(
            (
                fairseq.tri_stage(LR, w, h, d, final_lr_scale=fls),
                truth.fairseq_tri_stage(STEPS, LR, w, h, d, final_lr_scale=fls),
            )
        )
    kw = {"phase_ratio": (0.1, 0.4, 0.5), "max_update": 100, "init_lr_scale": 0.1}
    cases.append(
        (fairseq.tri_stage(LR, **kw), truth.fairseq_tri_stage(STEPS, LR, **kw))
    )
    for w, init, lo, period, shrink in itertools.product(
        [0, 5], [-1, 0.2], [0.0, 0.05], [7, 30], [0.1, 1.0]
    ):
        args = (w, init, lo, 1.0, period, shrink)
        cases.append(
            (fairseq.cosine(LR, *args), truth.fairseq_cosine(STEPS, LR, *args))
        )
    for w, lo, period, t_mult, shrink in [
        (0, 0.0, 7, 2.0, 0.5),
        (5, 0.05, 4, 1.5, 0.1),
        (3, 0.01, 10, 3.0, 1.0),
    ]:
        args = (w, -1, lo, t_mult, period, shrink)
        cases.append(
            (fairseq.cosine(LR, *args), truth.fairseq_cosine(STEPS, LR, *args))
        )
    cases.append(
        (
            fairseq.cosine(LR, 5, max_update=60),
            truth.fairseq_cosine(STEPS, LR, 5, max_update=60),
        )
    )
    for w, end, power, total in itertools.product(
        [0, 5, 20], [0.0, 0.01], [1.0, 2.0, 0.5], [10, 50]
    ):
        cases.append(
            (
                fairseq.polynomial_decay(LR, w, None, end, power, total),
                truth.fairseq_polynomial_decay(STEPS, LR, w, end, power, total),
            )
        )
    for w, init, lo, period, decay in itertools.product(
        [0, 5], [-1, 0.01], [0.0, 0.1], [3, 10], [0.5, 0.0, 1.0]
    ):
        args = (w, init, lo, period, decay)
        cases.append((fairseq.step(LR, *args), truth.fairseq_step(STEPS, LR, *args)))
    for lrs, anneal, shrink, w in [
        ([LR], None, 0.1, 0),
        ([LR], 1, 0.5, 15),
        ([LR, 0.3, 0.2], 4, 0.1, 1),
        ([LR, 0.3, 0.2], 2, 0.5, 15),
        ([LR, 0.3, 0.2], None, 0.5, 15),
        ([LR, 0.3, 0.2], 3, 0.5, 0),
        ([0.2, 0.3], 1, 0.1, 0),
    ]:
        cases.append(
            (
                fairseq.fixed(lrs, 7, anneal, shrink, w),
                truth.fairseq_fixed(STEPS, lrs, 7, anneal, shrink, w),
            )
        )
    for epoch2lr, update2lr in [
        ({}, {"5": 0.5, "10-11": 0.1}),
        ({"1": 0.3, "3": 0.2}, {}),
        ({"2": 0.3, "4": 0.2}, {"50": 0.01, "1": 0.7}),
        ({}, {"0": 0.9, "7,9": 0.1}),
        ("{'2': 0.3}", "{'60': 0.01}"),
    ]:
        parsed = [fairseq._manual_dict("", "", d) for d in (epoch2lr, update2lr)]
        cases.append(
            (
                fairseq.manual(LR, epoch2lr, update2lr, 9),
                truth.fairseq_manual(STEPS, LR, *parsed, steps_per_epoch=9),
            )
        )
    # random configurations
    for _ in range(12):
        w, h, d = rng.randrange(0, 30), rng.randrange(0, 30), rng.randrange(1, 50)
        scales = rng.uniform(0.001, 0.5), rng.uniform(0.001, 0.9)
        kwargs = dict(init_lr_scale=scales[0], final_lr_scale=scales[1])
        cases.append(
            (
                fairseq.tri_stage(LR, w, h, d, **kwargs),
                truth.fairseq_tri_stage(STEPS, LR, w, h, d, **kwargs),
            )
        )
        args = (rng.randrange(0, 40), -1, rng.uniform(0, 0.1), 1.0)
        args += (rng.randrange(1, 60), rng.uniform(0.05, 1.0))
        cases.append(
            (fairseq.cosine(LR, *args), truth.fairseq_cosine(STEPS, LR, *args))
        )
    return cases


def test_values_equal_fairseq():
    assert pt_mirrors.check_cases(_cases() + _triangular_cases()) >= 10


def _triangular_cases():
    """fairseq's float phase (``t / stepsize - 2 * cycle - 1``) loses digits with
    ``t`` (2e-12 of the peak at t = 1e5, 3.5e-11 at 1e6); jaxsched's is exact, so
    the reference past 1000 is the exact fraction."""
    cases = []
    for period, shrink, shrink_min in itertools.product(
        [4, 7, 20], [0.1, 1.0], [False, True]
    ):
        args = (0.05, LR, period, shrink, shrink_min)
        ref = truth.fairseq_triangular(STEPS, *args)
        half = period // 2
        for i in np.flatnonzero(STEPS > 1000):
            t = int(STEPS[i])
            cycle, rest = divmod(t, 2 * half)
            height = 1 - abs(Fraction(rest, half) - 1)
            top = LR * shrink**cycle
            low = 0.05 * shrink**cycle if shrink_min else 0.05
            ref[i] = low + (top - low) * float(height)
        cases.append((fairseq.triangular(*args), ref))
    return cases


def test_one_compile_for_a_stack():
    members = [
        fairseq.cosine(LR * (1 + i), 3 + i, -1, 0.01, 1.0, 20, 0.5) for i in range(4)
    ]
    out = pt_mirrors.check_one_compile(members)
    ref = [
        truth.fairseq_cosine(
            pt_mirrors.STEPS[:16], LR * (1 + i), 3 + i, -1, 0.01, 1.0, 20, 0.5
        )
        for i in range(4)
    ]
    np.testing.assert_allclose(np.asarray(out), np.stack(ref), rtol=1e-5)


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: fairseq.inverse_sqrt(LR, 0), "warmup_updates"),
        (lambda: fairseq.tri_stage(LR, 1, 1, 0), "decay_steps"),
        (
            lambda: fairseq.tri_stage(LR, phase_ratio=(0.5, 0.5, 0.1), max_update=9),
            "phase_ratio",
        ),
        (lambda: fairseq.cosine([LR, 0.1], 1, lr_period_updates=5), "lr"),
        (lambda: fairseq.cosine(LR), "max_update"),
        (
            lambda: fairseq.polynomial_decay(LR, force_anneal=3, total_num_update=9),
            "force_anneal",
        ),
        (lambda: fairseq.triangular(LR, LR), "max_lr"),
        (lambda: fairseq.step(LR, lr_decay=1.5), "lr_decay"),
        (lambda: fairseq.manual(LR, {"2": 0.1}), "steps_per_epoch"),
        (lambda: fairseq.reduce_lr_on_plateau(), "metric"),
    ],
)
def test_errors(build, match):
    with pytest.raises(ValueError, match=match):
        build()
