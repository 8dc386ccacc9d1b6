"""jaxsched.frameworks.praxis against the float64 transcription of praxis's
schedules (tests/truth_frameworks_jax.py): every class, on the edge grid (every
boundary below 123, -1/0/+1 around each, far steps) and random configurations."""

import random

import jax_mirrors as jm
import numpy as np
import pytest
import truth_frameworks_jax as truth

from jaxsched.frameworks import praxis

GRID = jm.GRID


def _case(name, steps=GRID, **kw):
    ref = truth.PRAXIS[name](**kw).value_at(steps)
    return getattr(praxis, name)(**kw), steps, ref


def _cases():
    rng = random.Random(7)
    cases = []

    def point():
        x0 = rng.randint(0, 40)
        return (x0, rng.uniform(0.05, 2.0)), (
            x0 + rng.randint(1, 60),
            rng.uniform(0.05, 2),
        )

    for _ in range(3):
        start, limit = point()
        cases += [
            _case("Constant", value=start[1]),
            _case("Polynomial", power=2, start=start, limit=limit, origin="start"),
            _case("Polynomial", power=3, start=start, limit=limit, origin="limit"),
            _case("Linear", start=start, limit=limit),
            _case("Exponential", start=start, limit=limit),
            _case(
                "Cosine",
                initial_value=start[1],
                final_value=limit[1],
                total_steps=limit[0],
            ),
            _case("DelayedCosine", start=start, limit=limit),
            _case(
                "SqrtDecay",
                decay_start=rng.choice([1, 9, 50]),
                multiplier=start[1],
                offset=rng.choice([0.0, 5.0, 7.5]),
            ),
            _case(
                "LinearRampupSqrtDecay",
                peak=start[1],
                warmup_steps=rng.choice([1, 10, 40]),
            ),
            _case(
                "ContinuousSchedule",
                initial_value=start[1],
                start_step=start[0],
                half_life_steps=rng.randint(1, 30),
                min=rng.uniform(0.01, 0.5),
            ),
            _case(
                "Transformer",
                warmup_steps=rng.choice([1, 10, 40]),
                model_dim=rng.choice([64, 512]),
                worker_replicas=rng.choice([1, 2]),
            ),
            _case(
                "Transformer",
                warmup_steps=rng.choice([10, 40]),
                model_dim=128,
                decay_end=rng.choice([30, 100]),
            ),
        ]
        w = rng.randint(0, 20)
        ds = w + rng.randint(0, 20)
        de = ds + rng.randint(1, 60)
        ramp = dict(
            warmup_steps=w,
            decay_start=ds,
            decay_end=de,
            min_ratio=rng.uniform(0.01, 0.9),
            max=rng.uniform(0.5, 3),
        )
        cases += [
            _case("LinearRampupPolynomialDecay", power=rng.choice([1, 2, 3]), **ramp),
            _case("LinearRampupExponentialDecay", **ramp),
            _case("LinearRampupCosineDecay", start_step=rng.choice([1, 7]), **ramp),
        ]
        b = sorted(rng.sample(range(1, 120), 3))
        values = [rng.choice([rng.uniform(0.01, 1), 0.0, -0.5]) for _ in range(4)]
        cases.append(_case("PiecewiseConstant", boundaries=b, values=values))
        values = [rng.choice([rng.uniform(0.01, 1), 0.0]) for _ in range(3)]
        cases.append(
            _case("LinearRampupPiecewiseConstant", boundaries=b, values=values)
        )
    # praxis's edge cases: a zero-length first phase, repeated boundaries, W = 0
    cases += [
        _case("LinearRampupPolynomialDecay", decay_end=10, power=2, max=1.0),
        _case("LinearRampupCosineDecay", decay_end=10, max=1.0, min_ratio=0.0),
        _case("PiecewiseConstant", boundaries=[5, 5, 9], values=[0.0, 0.3, -1.0, 0.2]),
        _case("LinearRampupSqrtDecay", warmup_steps=0),
        _case("SqrtDecay", decay_start=0, offset=3.0),
        _case("Transformer", warmup_steps=0, model_dim=64),
    ]
    pairs = [
        (
            praxis.Linear(start=(0, 1.0), limit=(10, 2.0)),
            truth.PRAXIS["Linear"](start=(0, 1.0), limit=(10, 2.0)),
        ),
        (praxis.Cosine(2.0, 0.5, 20), truth.PRAXIS["Cosine"](2.0, 0.5, 20)),
        (praxis.Constant(0.3), truth.PRAXIS["Constant"](0.3)),
    ]
    mirrors, truths = [p for p, _ in pairs], [t for _, t in pairs]
    for bounds in ([10, 40], [0, 30], [25, 25]):
        ref = truth.PRAXIS["PiecewiseSchedule"](bounds, truths).value_at(GRID)
        cases.append((praxis.PiecewiseSchedule(bounds, mirrors), GRID, ref))
    for steps in ([3, 5, 4], [0, 7, 2], [6, 0, 9]):
        ref = truth.PRAXIS["CycleSchedule"](truths, steps).value_at(GRID)
        cases.append((praxis.CycleSchedule(mirrors, steps), GRID, ref))
    # large steps: boundaries past 2**24, where praxis's float32 steps round
    big = 50_000_000
    steps = jm.edges(big, big + 10_000, far=False)
    cases.append(
        _case(
            "LinearRampupCosineDecay",
            steps=steps,
            warmup_steps=big,
            decay_start=big,
            decay_end=big + 10_000,
            max=1.0,
        )
    )
    return cases


CASES = _cases()


test_values_equal_praxis, test_round_trip = jm.case_tests(CASES)


def test_one_structure_one_compile():
    def make(w, ds, de, top):
        return praxis.LinearRampupCosineDecay(0, w, ds, de, 0.1, top)

    _, b = jm.check_one_compile(
        [make(2, 4, 9, 1.0), make(3, 5, 12, 2.0)],
        [make(1, 6, 8, 0.5), make(0, 2, 15, 3.0)],
    )
    ref = truth.PRAXIS["LinearRampupCosineDecay"](0, 1, 6, 8, 0.1, 0.5).value_at(
        np.arange(16)
    )
    np.testing.assert_allclose(b[0], ref, rtol=1e-6)


@pytest.mark.parametrize(
    "make, match",
    [
        (
            lambda: praxis.Polynomial(start=(5, 1.0), limit=(5, 0.0)),
            "at a step > start",
        ),
        (lambda: praxis.Polynomial(origin="middle", limit=(2, 0.0)), "origin"),
        (lambda: praxis.Polynomial(0, limit=(2, 0.0)), "power"),
        (lambda: praxis.Exponential(limit=(2, 0.0)), "a value > 0"),
        (lambda: praxis.Cosine(), "total_steps"),
        (lambda: praxis.LinearRampupPolynomialDecay(5, 2, 9, max=1.0), "decay_start"),
        (lambda: praxis.LinearRampupCosineDecay(decay_end=0, max=1.0), "decay_end"),
        (lambda: praxis.LinearRampupExponentialDecay(decay_end=4), "max"),
        (lambda: praxis.PiecewiseConstant([3, 1], [1.0, 0.5, 0.2]), "sorted"),
        (lambda: praxis.PiecewiseConstant([3], [1.0]), "values"),
        (lambda: praxis.LinearRampupPiecewiseConstant([0, 4], [1.0, 0.5]), "> 0"),
        (lambda: praxis.CycleSchedule([praxis.Constant()], [0]), "sum > 0"),
        (lambda: praxis.ContinuousSchedule(min=1.0), "min"),
    ],
)
def test_rejected(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_sub_schedules_are_schedules():
    with pytest.raises(TypeError, match="schedules"):
        praxis.PiecewiseSchedule([3], [praxis.Constant(), 0.5])


def test_differentiable():
    jm.check_grads([CASES[0][0], praxis.LinearRampupCosineDecay(3, 2, 5, 30, 0.1, 2.0)])
