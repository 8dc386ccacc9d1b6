"""jaxsched.frameworks.levanter against the float64 transcription of Levanter's
``OptimizerConfig.lr_scheduler`` (tests/truth_frameworks_jax.py), on edge grids and
random configurations: every decay shape, fractions and steps, cycles (a count, a
list, a length), rewarmup, decay, the deprecated cooldown and haps."""

import random

import jax_mirrors as jm
import numpy as np
import pytest
import truth_frameworks_jax as truth

from jaxsched.frameworks import levanter

GRID = jm.GRID
SHAPES = ["constant", "cosine", "linear", "inv_sqrt", "inv"]

#: the mirror's LrSchedule objects, and the transcription's tuples for them
OBJECTS = [
    (levanter.CosineLrSchedule(2.0), ("cosine", 2.0)),
    (levanter.InvSqrtLrSchedule(30.0), ("inv_sqrt", 30.0)),
    (levanter.PowerLrSchedule(4, 16, 4.6, -0.51), ("power", 4, 16, 4.6, -0.51)),
]


def _case(n, grid=GRID, truth_schedule=None, **kw):
    tkw = dict(kw)
    if truth_schedule is not None:
        tkw["lr_schedule"] = truth_schedule
    ref = truth.levanter_lr_scheduler(n, **tkw)(grid)
    return levanter.OptimizerConfig(**kw).lr_scheduler(n), grid, ref


def _cases():
    """Few structures (one compile each, the suite's budget), several members each:
    the values vary, the shape of the configuration does not."""
    rng = random.Random(5)

    def values():
        return {
            "learning_rate": rng.uniform(1e-4, 1.0),
            "min_lr_ratio": rng.choice([0.05, 0.1, rng.uniform(0.01, 0.9)]),
        }

    cases = []
    for shape in SHAPES:  # one cycle: the warmup as a fraction, or in steps
        for warmup in (0.1, 0.05, 7):
            n = rng.randint(60, 120)
            cases.append(_case(n, warmup=warmup, lr_schedule=shape, **values()))
    for n in (100, 90, 120):  # cycles (a count, haps), rewarmup from the last end
        cases.append(_case(n, cycles=3, rewarmup=0.25, **values()))
        cases.append(_case(n, haps=[n // 3, 2 * n // 3], rewarmup=0.25, **values()))
    for decay in (20, 0.5, 0.9):  # decay of each cycle, as a list of cycle ends
        kw = {"warmup": 5, "decay": decay, "rewarmup": 3, "cycles": [30, 70]}
        cases.append(_case(100, lr_schedule="linear", **kw, **values()))
    for schedule, mirrored in OBJECTS:
        for n in (80, 100):
            cases.append(
                _case(
                    n,
                    truth_schedule=mirrored,
                    lr_schedule=schedule,
                    warmup=0.1,
                    **values(),
                )
            )
    # the edges: warmup=1 (the whole cycle), a decay longer than its cycle, the
    # cooldown, cycle lengths (a list; a length: the remainder in the last cycle)
    cases += [
        _case(100, warmup=1, lr_schedule="linear"),
        _case(100, warmup=0.3, decay=0.9, cycles=2, lr_schedule="linear"),
        _case(100, warmup=10, decay=30, cooldown=0.2, min_lr_ratio=0.0),
        _case(110, cycle_length=[30, 50], rewarmup=5, lr_schedule="inv"),
        _case(100, cycle_length=30, rewarmup=2, lr_schedule="cosine"),
        _case(37, warmup=0.05, lr_schedule="inv_sqrt", min_lr_ratio=0.0),
    ]
    # a long run: the boundaries -1/0/+1 and far steps
    n = 1_000_000
    kw = {"warmup": 0.01, "cycles": 2, "rewarmup": 0.05, "decay": 0.4}
    grid = jm.edges(10_000, 300_000, 500_000, 525_000, 800_000, n)
    cases.append(_case(n, grid=grid, **kw))
    return cases


CASES = _cases()


test_values_equal_levanter, test_round_trip = jm.case_tests(CASES)


def test_one_structure_one_compile():
    a = levanter.OptimizerConfig(learning_rate=1.0, cycles=2, rewarmup=0.1)
    b = levanter.OptimizerConfig(learning_rate=0.3, cycles=2, rewarmup=0.1)
    _, second = jm.check_one_compile(
        [a.lr_scheduler(20), b.lr_scheduler(30)],
        [b.lr_scheduler(20), a.lr_scheduler(40)],
    )
    ref = truth.levanter_lr_scheduler(20, learning_rate=0.3, cycles=2, rewarmup=0.1)
    np.testing.assert_allclose(second[0], ref(np.arange(16)), rtol=1e-5, atol=1e-9)


def test_run_length_sweep_keeps_the_fractions():
    """Mirrors of several run lengths, stacked under one vmap: each warms up over
    10 % of its first cycle, rewarms over 20 % of its second and decays over the
    last 60 % of each, as Levanter at that length."""
    lengths = [40, 60, 100, 120]
    config = levanter.OptimizerConfig(
        learning_rate=1.0, warmup=0.1, decay=0.6, cycles=2, rewarmup=0.2
    )
    members = [config.lr_scheduler(n) for n in lengths]
    values, _ = jm.check_one_compile(members, members[::-1], length=128)
    for n, got in zip(lengths, values, strict=True):
        ref = truth.levanter_lr_scheduler(
            n, learning_rate=1.0, warmup=0.1, decay=0.6, cycles=2, rewarmup=0.2
        )(np.arange(128))
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-7)
        half = n // 2
        w, d = int(0.1 * half), int(0.6 * half)
        peak = 1 - 1e-6
        assert got[w] > peak > got[w - 1]  # the warmup ends at 10 %
        assert got[half - d] > peak > got[half - d + 1]  # decay: the last 60 %
        rewarmed = half + int(0.2 * half)
        assert got[rewarmed] > peak > got[rewarmed - 1]  # the rewarmup's end


@pytest.mark.parametrize(
    "kw, n, match",
    [
        ({"warmup": 1.5}, 100, "warmup"),
        ({"warmup": 1, "lr_schedule": "cosine"}, 100, "decay"),
        ({"lr_schedule": "step"}, 100, "lr_schedule"),
        ({"cycles": 2, "cycle_length": 10}, 100, "cycles"),
        ({"cycle_length": [60, 60]}, 100, "cycle_length"),
        ({"lr_schedule": "inv", "min_lr_ratio": 0.0}, 100, "min_lr_ratio"),
        ({"cycle_length": 0.001}, 100, "cycle_length"),
        ({"cycles": [50, 30]}, 100, "cycles"),
    ],
)
def test_rejected(kw, n, match):
    with pytest.raises(ValueError, match=match):
        levanter.OptimizerConfig(**kw).lr_scheduler(n)


def test_power_schedule_checks_its_exponent():
    with pytest.raises(ValueError, match="b < 0"):
        levanter.PowerLrSchedule(4, 16, 4.6, 0.5)


def test_differentiable():
    jm.check_grads([CASES[0][0], CASES[-1][0]])
