"""jaxsched.frameworks.tf_models against the float64 transcription of Model Garden.

Every class of ``official/modeling/optimization/lr_schedule.py``, with and without
offsets (steps before an offset included), on edge grids and random
configurations, through ``mirror_checks.check_cases`` (float32 passed in / closed
over / eager, x64).
"""

from __future__ import annotations

import numpy as np
import pytest
import truth_frameworks_pt2 as T
from mirror_checks import check_cases, edge_grid, key_points

from jaxsched.frameworks import tf_models

COSINE = ("CosineDecayWithOffset", {"initial_learning_rate": 1.0, "decay_steps": 40})
EXPONENTIAL = (
    "ExponentialDecayWithOffset",
    {"initial_learning_rate": 0.5, "decay_steps": 10, "decay_rate": 0.8, "offset": 3},
)

CONFIGS = [
    (
        "PiecewiseConstantDecayWithOffset",
        {"boundaries": [10, 30], "values": [1.0, 0.5, 0.1]},
    ),
    (
        "PiecewiseConstantDecayWithOffset",
        {"boundaries": [10, 30], "values": [1.0, 0.5, 0.1], "offset": 15},
    ),
    (
        "PolynomialDecayWithOffset",
        {
            "initial_learning_rate": 1.0,
            "decay_steps": 50,
            "end_learning_rate": 0.01,
            "power": 2.0,
            "offset": 20,
        },
    ),
    (
        "PolynomialDecayWithOffset",
        {"initial_learning_rate": 1.0, "decay_steps": 30, "power": 0.5, "cycle": True},
    ),
    (
        "ExponentialDecayWithOffset",
        {
            "initial_learning_rate": 0.5,
            "decay_steps": 10,
            "decay_rate": 0.8,
            "offset": 7,
        },
    ),
    (
        "ExponentialDecayWithOffset",
        {
            "initial_learning_rate": 0.5,
            "decay_steps": 10,
            "decay_rate": 0.8,
            "staircase": True,
            "offset": 7,
        },
    ),
    (
        "CosineDecayWithOffset",
        {"initial_learning_rate": 1.0, "decay_steps": 40, "alpha": 0.1},
    ),
    (
        "CosineDecayWithOffset",
        {"initial_learning_rate": 1.0, "decay_steps": 40, "alpha": 0.1, "offset": 25},
    ),
    (
        "LinearWarmup",
        {
            "after_warmup_lr_sched": COSINE,
            "warmup_steps": 10,
            "warmup_learning_rate": 0.01,
        },
    ),
    (
        "LinearWarmup",
        {"after_warmup_lr_sched": 0.3, "warmup_steps": 8, "warmup_learning_rate": 0.0},
    ),
    (
        "PolynomialWarmUp",
        {"after_warmup_lr_sched": EXPONENTIAL, "warmup_steps": 10, "power": 2.0},
    ),
    ("PolynomialWarmUp", {"after_warmup_lr_sched": 0.3, "warmup_steps": 8}),
    ("DirectPowerDecay", {"initial_learning_rate": 1.0, "power": -0.5}),
    ("DirectPowerDecay", {"initial_learning_rate": 0.1, "power": 0.3}),
    (
        "PowerAndLinearDecay",
        {"initial_learning_rate": 1.0, "total_decay_steps": 100, "power": -0.5},
    ),
    (
        "PowerAndLinearDecay",
        {
            "initial_learning_rate": 1.0,
            "total_decay_steps": 100,
            "power": -0.5,
            "linear_decay_fraction": 1.0,
            "offset": 20,
        },
    ),
    (
        "PowerAndLinearDecay",
        {
            "initial_learning_rate": 1.0,
            "total_decay_steps": 100,
            "linear_decay_fraction": 0.0,
        },
    ),
    (
        "PowerDecayWithOffset",
        {
            "initial_learning_rate": 1.0,
            "power": -0.5,
            "offset": 10,
            "pre_offset_learning_rate": 3.0,
        },
    ),
    ("PowerDecayWithOffset", {"initial_learning_rate": 0.5, "power": -1.0}),
    (
        "StepCosineDecayWithOffset",
        {"boundaries": [0, 10, 30], "values": [1.0, 0.5, 0.1]},
    ),
    (
        "StepCosineDecayWithOffset",
        {"boundaries": [0, 10, 30], "values": [1.0, 0.5, 0.1], "offset": 15},
    ),
    ("StepCosineDecayWithOffset", {"boundaries": [5, 20], "values": [0.2, 1.0]}),
]


def _build(name, kwargs):
    kw = dict(kwargs)
    after = kw.get("after_warmup_lr_sched")
    if isinstance(after, tuple):
        kw["after_warmup_lr_sched"] = getattr(tf_models, after[0])(**after[1])
    return getattr(tf_models, name)(**kw)


def _case(name, kwargs, label=""):
    mirror = _build(name, kwargs)
    steps = edge_grid([*key_points(mirror), kwargs.get("offset", 0)], far=(200, 1000))
    ref = T.tf_models(steps, name, **kwargs)
    if name == "StepCosineDecayWithOffset":  # Model Garden: NaN from the last boundary
        last = kwargs["boundaries"][-1] + kwargs.get("offset", 0)
        assert np.all(np.isnan(ref[steps >= last]))
        ref = np.where(steps >= last, kwargs["values"][-1], ref)
    return (f"{name}{label}", mirror, steps, ref)


def _random_cases(rng: np.random.Generator):
    cases = []
    for i in range(6):
        lr = float(rng.uniform(0.1, 2))
        off = int(rng.integers(0, 30))
        b1, b2 = sorted(int(x) for x in rng.choice(np.arange(1, 200), 2, replace=False))
        v = sorted(rng.uniform(0.01, 1, 3).tolist(), reverse=True)
        label = f"[random {i}]"
        cases += [
            _case(
                "CosineDecayWithOffset",
                {
                    "initial_learning_rate": lr,
                    "decay_steps": int(rng.integers(10, 300)),
                    "alpha": float(rng.uniform(0, 0.3)),
                    "offset": off,
                },
                label,
            ),
            _case(
                "PowerAndLinearDecay",
                {
                    "initial_learning_rate": lr,
                    "total_decay_steps": int(rng.integers(50, 500)),
                    "power": float(rng.uniform(-1, 0)),
                    "linear_decay_fraction": float(rng.uniform(0.05, 1)),
                    "offset": off,
                },
                label,
            ),
            _case(
                "StepCosineDecayWithOffset",
                {"boundaries": [0, b1, b2], "values": v, "offset": off},
                label,
            ),
        ]
    return cases


def test_every_class_is_mirrored():
    assert {n for n, _ in CONFIGS} == set(tf_models.__all__)


def test_values_equal_model_garden():
    random = _random_cases(np.random.default_rng(23))
    cases = [_case(n, kw, f"[{i}]") for i, (n, kw) in enumerate(CONFIGS)]
    stacks = check_cases(cases + random)
    assert stacks <= len(cases) + 3


def test_step_cosine_with_one_value_is_nan_in_model_garden():
    ref = T.tf_models([0, 5], "StepCosineDecayWithOffset", boundaries=[0], values=[1.0])
    assert np.all(np.isnan(ref))
    with pytest.raises(ValueError, match="at least 2 values"):
        tf_models.StepCosineDecayWithOffset([0], [1.0])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: tf_models.StepCosineDecayWithOffset([0, 5], [1.0, 0.5, 0.1]),
            "as many",
        ),
        (
            lambda: tf_models.StepCosineDecayWithOffset([0, 5, 5], [1.0, 0.5, 0.1]),
            "strictly",
        ),
        (lambda: tf_models.PowerAndLinearDecay(1.0, 100, -0.5, 1.5), "fraction"),
    ],
)
def test_errors_are_clear(call, match):
    with pytest.raises(ValueError, match=match):
        call()
