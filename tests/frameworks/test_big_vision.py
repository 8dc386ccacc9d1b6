"""jaxsched.frameworks.big_vision against the float64 transcription of big_vision's
``create_learning_rate_schedule`` (tests/truth_frameworks_jax.py), on edge grids and
random configurations."""

import itertools
import random

import jax_mirrors as jm
import numpy as np
import pytest
import truth_frameworks_jax as truth

from jaxsched.frameworks import big_vision

GRID = jm.GRID


def _case(total, *args, grid=GRID, **kw):
    ref = truth.big_vision_create_learning_rate_schedule(total, *args, **kw)(grid)
    return big_vision.create_learning_rate_schedule(total, *args, **kw), grid, ref


DECAYS = {
    "linear": {},
    "polynomial": {"power": 2.0, "end": 0.01},
    "cosine": {},
    "rsqrt": {"timescale": 20, "shift": 5},
    "stair": {"steps": [30, 60, 60, 90], "mults": [0.5, 0.3, 0.1, 0.01]},
}


def _cases():
    cases = []
    # every decay type with and without warmup and cooldown, durations in each unit
    for (kind, kw), warmup, cooldown in itertools.product(
        DECAYS.items(),
        [{}, {"warmup_steps": 10}, {"warmup_percent": 0.125}],
        [{}, {"cooldown_examples": 640}],
    ):
        cases.append(_case(100, 32, 3200, 0.8, kind, **kw, **warmup, **cooldown))
    cases.append(
        _case(
            100,
            32,
            3200,
            0.8,
            "linear",
            warmup_epochs=0.5,
            cooldown_percent=0.2,
            linear_end=0.05,
        )
    )
    cases.append(
        _case(
            100,
            512,
            None,
            0.1,
            "cosine",
            scale_with_batchsize=True,
            warmup_steps=60,
            cooldown_steps=70,
        )
    )  # overlapping factors
    cases.append(
        _case(
            100,
            8,
            None,
            0.5,
            "rsqrt",
            timescale_percent=0.25,
            shift_steps=0,
            warmup_percent=0.001,
        )
    )  # at least one step
    cases.append(_case(1, None, None, 0.3, "cosine"))
    rng = random.Random(3)
    for kind in DECAYS:
        for _ in range(3):
            kw = {"warmup_steps": rng.randint(0, 40)}
            if rng.random() < 0.6:
                kw["cooldown_steps"] = rng.randint(1, 60)
            if kind in ("linear", "polynomial"):
                kw.update(power=rng.choice([1.0, 0.5, 3.0]), end=rng.uniform(0, 0.1))
            if kind == "rsqrt":
                kw.update(timescale=rng.choice([3.0, 50.0]), shift=rng.choice([0, 7]))
            if kind == "stair":
                bounds = sorted(rng.sample(range(1, 110), 3))
                kw.update(steps=bounds, mults=[rng.random() for _ in bounds])
            total = rng.randint(kw["warmup_steps"] + 1, 110)
            if kw.get("cooldown_steps", 0) > total:
                kw["cooldown_steps"] = total
            cases.append(_case(total, None, None, rng.uniform(0.01, 1.0), kind, **kw))
    # a long run: the boundaries -1/0/+1 and far steps
    total = 1_000_000
    grid = jm.edges(5_000, 1_000_000 - 50_000, total)
    kw = {"warmup_percent": 0.005, "cooldown_percent": 0.05}
    cases.append(_case(total, None, None, 1e-3, "cosine", grid=grid, **kw))
    cases.append(_case(total, None, None, 1e-3, "rsqrt", grid=grid, **kw))
    return cases


CASES = _cases()


test_values_equal_big_vision, test_round_trip = jm.case_tests(CASES)


def test_steps_reads_durations_as_big_vision():
    for prefix, config, kw in [
        ("warmup", {"warmup_steps": 7}, {}),
        ("warmup", {"warmup_examples": 80}, {"batch_size": 32}),  # 2.5: half to even
        ("warmup", {"warmup_epochs": 0.25}, {"batch_size": 10, "data_size": 100}),
        ("warmup", {"warmup_percent": 0.0001}, {"total_steps": 100}),  # at least 1
        ("warmup", {"warmup_percent": 0.0}, {"total_steps": 100}),
        ("warmup", {"warmup_steps": -1}, {}),  # negative: absent
    ]:
        want = truth.big_vision_steps(prefix, config, default=0, **kw)
        assert big_vision.steps(prefix, config, default=0, **kw) == want
    assert big_vision.steps("warmup", {"warmup_examples": 80}, batch_size=32) == 2


def test_one_structure_one_compile():
    def make(total, base):
        return big_vision.create_learning_rate_schedule(
            total, base=base, decay_type="cosine", warmup_steps=3, cooldown_steps=4
        )

    _, b = jm.check_one_compile(
        [make(10, 1.0), make(20, 2.0)], [make(12, 0.5), make(30, 1.0)]
    )
    ref = truth.big_vision_create_learning_rate_schedule(
        12, base=0.5, decay_type="cosine", warmup_steps=3, cooldown_steps=4
    )(np.arange(16))
    np.testing.assert_allclose(b[0], ref, rtol=1e-5, atol=1e-7)


def test_run_length_sweep_keeps_the_fractions():
    """Mirrors of several run lengths with a warmup and a cooldown in percent,
    stacked under one vmap: each member warms up over 10 % of its own run and cools
    down over its last 20 %, as big_vision at that length."""
    lengths = [40, 60, 100, 120]

    def make(n):
        return big_vision.create_learning_rate_schedule(
            n, decay_type="linear", warmup_percent=0.1, cooldown_percent=0.2
        )

    grid = np.arange(128)
    members = [make(n) for n in lengths]
    values, _ = jm.check_one_compile(members, members[::-1], length=128)
    for n, got in zip(lengths, values, strict=True):
        ref = truth.big_vision_create_learning_rate_schedule(
            n, decay_type="linear", warmup_percent=0.1, cooldown_percent=0.2
        )(grid)
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-7)
        w, c = round(0.1 * n), round(0.2 * n)
        assert got[w - 1] < got[w] and np.argmax(got) == w  # the warmup's end
        # the cooldown: the linear decay times (n - t) / c over the last c steps
        ramp = np.arange(n - c, n + 1)
        decay = 1.0 - (ramp - w) / (n - w)
        np.testing.assert_allclose(got[ramp], decay * (n - ramp) / c, atol=1e-6)


@pytest.mark.parametrize(
    "args, kw, match",
    [
        ((100,), {"decay_type": "step"}, "decay_type"),
        ((100,), {"warmup_steps": 100}, "warmup"),
        ((100,), {"warmup_steps": 5, "warmup_percent": 0.1}, "given once"),
        ((100,), {"warmup_percent": 1.5}, "in \\[0, 1\\]"),
        ((1,), {"decay_type": "cosine", "warmup_steps": 1}, "total_steps"),
        ((100,), {"steps": [10, 20], "mults": [0.1]}, "mults"),
        ((100,), {"steps": [20, 10], "mults": [0.1, 0.2]}, "sorted"),
        ((100,), {"decay_type": "cosine", "cooldown_steps": 101}, "cooldown"),
        ((100,), {"decay_type": "rsqrt", "timescale": 5, "shift": -5}, "timescale"),
    ],
)
def test_rejected(args, kw, match):
    with pytest.raises(ValueError, match=match):
        big_vision.create_learning_rate_schedule(*args, **kw)


def test_differentiable():
    jm.check_grads([CASES[0][0], CASES[-1][0]])
