"""jaxsched.frameworks.nemo against the float64 transcription of NeMo's policies.

Every policy of ``nemo/core/optim/lr_scheduler.py``, with step counts and ratios,
with and without warmup and hold, on edge grids (0, each phase boundary -1/0/+1, far
past ``max_steps``) and random configurations, through
``mirror_checks.check_cases`` (float32 passed in / closed over / eager, x64).
"""

from __future__ import annotations

import numpy as np
import pytest
import truth_frameworks_pt2 as T
from mirror_checks import check_cases, edge_grid, key_points

from jaxsched.frameworks import nemo

# (policy, keyword arguments): edge configurations, each on its own grid.
CONFIGS = [
    ("WarmupPolicy", dict(warmup_steps=5, max_steps=40, min_lr=0.01)),
    ("WarmupPolicy", dict(warmup_ratio=0.1, max_steps=50)),
    ("WarmupPolicy", dict(warmup_steps=0)),
    (
        "WarmupHoldPolicy",
        dict(warmup_steps=5, hold_steps=10, max_steps=40, min_lr=0.02),
    ),
    ("WarmupHoldPolicy", dict(warmup_ratio=0.1, hold_ratio=0.2, max_steps=50)),
    ("WarmupHoldPolicy", dict(warmup_steps=5, hold_steps=50, max_steps=40)),
    (
        "WarmupAnnealHoldPolicy",
        dict(warmup_steps=5, constant_steps=8, max_steps=40, min_lr=0.05),
    ),
    (
        "WarmupAnnealHoldPolicy",
        dict(warmup_ratio=0.1, constant_ratio=0.2, max_steps=50),
    ),
    (
        "WarmupHoldAnnealOneMinusSquareRoot",
        dict(max_steps=60, warmup_steps=5, hold_steps=10, min_lr=0.05),
    ),
    ("WarmupHoldAnnealOneMinusSquareRoot", dict(max_steps=60, warmup_steps=5)),
    ("WarmupHoldAnnealOneMinusSquareRoot", dict(max_steps=60, hold_ratio=0.3)),
    (
        "WarmupHoldAnnealLinear",
        dict(max_steps=60, warmup_steps=5, hold_steps=10, min_lr=0.05),
    ),
    ("WarmupHoldAnnealLinear", dict(max_steps=60, warmup_ratio=0.1)),
    ("SquareAnnealing", dict(max_steps=40, warmup_steps=5)),
    ("SquareAnnealing", dict(max_steps=40, min_lr=0.1)),
    ("SquareRootAnnealing", dict(max_steps=40, warmup_steps=5, min_lr=0.05)),
    ("SquareRootAnnealing", dict(max_steps=40)),
    ("CosineAnnealing", dict(max_steps=40, warmup_steps=5, min_lr=0.05)),
    ("CosineAnnealing", dict(max_steps=40)),
    (
        "CosineAnnealing",
        dict(max_steps=60, warmup_steps=5, constant_steps=10, min_lr=0.05),
    ),
    (
        "CosineAnnealing",
        dict(max_steps=60, warmup_ratio=0.1, constant_ratio=0.2, min_lr=0.01),
    ),
    ("CosineAnnealing", dict(max_steps=60, constant_steps=10, min_lr=0.01)),
    ("NoamAnnealing", dict(d_model=256, warmup_steps=10, min_lr=1e-3)),
    ("NoamAnnealing", dict(d_model=64, warmup_ratio=0.1, max_steps=100)),
    ("NoamAnnealing", dict(d_model=64, min_lr=0.01)),
    (
        "NoamHoldAnnealing",
        dict(max_steps=100, warmup_steps=10, hold_steps=20, min_lr=0.01),
    ),
    ("NoamHoldAnnealing", dict(max_steps=100, warmup_steps=10)),
    (
        "NoamHoldAnnealing",
        dict(max_steps=100, warmup_steps=10, hold_steps=5, decay_rate=1.0, min_lr=0.01),
    ),
    ("NoamHoldAnnealing", dict(max_steps=100, warmup_ratio=0.05, decay_rate=0.3)),
    ("WarmupAnnealing", dict(max_steps=40, warmup_steps=5, min_lr=0.05)),
    ("WarmupAnnealing", dict(max_steps=40)),
    ("InverseSquareRootAnnealing", dict(max_steps=100, warmup_steps=9, min_lr=0.01)),
    ("InverseSquareRootAnnealing", dict(max_steps=100)),
    (
        "T5InverseSquareRootAnnealing",
        dict(max_steps=100, constant_steps=16, min_lr=0.01),
    ),
    (
        "PolynomialDecayAnnealing",
        dict(max_steps=40, warmup_steps=5, power=2.0, min_lr=0.05),
    ),
    ("PolynomialDecayAnnealing", dict(max_steps=40, power=0.5, cycle=True)),
    (
        "PolynomialHoldDecayAnnealing",
        dict(max_steps=60, warmup_steps=5, hold_steps=10, power=2.0, min_lr=0.05),
    ),
    (
        "PolynomialHoldDecayAnnealing",
        dict(max_steps=60, warmup_steps=10, power=1.0, cycle=True),
    ),
    ("PolynomialHoldDecayAnnealing", dict(max_steps=60, warmup_steps=10, power=2.0)),
]


def _case(name, lr=0.5, label="", **kwargs):
    mirror = getattr(nemo, name)(lr, **kwargs)
    m = kwargs.get("max_steps") or 100
    steps = edge_grid(key_points(mirror), far=(m, 2 * m, 10 * m))
    return (f"{name}{label}", mirror, steps, T.nemo(steps, name, lr, **kwargs))


def _random_cases(rng: np.random.Generator):
    """Random configurations of six structures (one stack each)."""
    cases = []
    for i in range(6):
        lr = float(rng.uniform(0.1, 2))
        m = int(rng.integers(60, 400))
        w = int(rng.integers(1, 20))
        h = int(rng.integers(1, 20))
        low = float(rng.uniform(0, 0.05))
        label = f"[random {i}]"
        common = {"max_steps": m, "warmup_steps": w, "min_lr": low}
        hold = {**common, "hold_steps": h}
        power = float(rng.uniform(0.5, 3))
        decay_rate = float(rng.uniform(0.1, 1.5))
        table = [
            ("CosineAnnealing", common),
            ("WarmupHoldAnnealLinear", hold),
            ("WarmupHoldAnnealOneMinusSquareRoot", hold),
            ("PolynomialDecayAnnealing", {**common, "power": power}),
            ("NoamHoldAnnealing", {**hold, "decay_rate": decay_rate}),
            ("InverseSquareRootAnnealing", common),
        ]
        cases += [_case(name, lr, label, **kwargs) for name, kwargs in table]
    return cases


def test_every_policy_is_mirrored():
    names = {n for n, _ in CONFIGS}
    assert names == set(T._NEMO)
    assert names | {"ReduceLROnPlateau"} == set(nemo.__all__)


def test_values_equal_nemo():
    random = _random_cases(np.random.default_rng(23))
    cases = [_case(n, label=f"[{i}]", **kw) for i, (n, kw) in enumerate(CONFIGS)]
    stacks = check_cases(cases + random)
    assert stacks <= len(cases) + 6  # the random configurations share 6 stacks


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: nemo.WarmupPolicy(
                1.0, warmup_steps=2, warmup_ratio=0.1, max_steps=9
            ),
            "not both",
        ),
        (lambda: nemo.WarmupPolicy(1.0, warmup_ratio=0.1), "needs `max_steps`"),
        (
            lambda: nemo.WarmupHoldAnnealLinear(1.0, max_steps=10, hold_steps=10),
            "divides by 0",
        ),
        (
            lambda: nemo.WarmupHoldAnnealOneMinusSquareRoot(
                1.0, max_steps=10, warmup_steps=2, hold_steps=8
            ),
            "divides by 0",
        ),
        (
            lambda: nemo.T5InverseSquareRootAnnealing(
                1.0, max_steps=10, constant_ratio=0.1
            ),
            "constant_steps",
        ),
        (
            lambda: nemo.T5InverseSquareRootAnnealing(
                1.0, max_steps=10, constant_steps=0
            ),
            "divides by 0",
        ),
        (lambda: nemo.NoamHoldAnnealing(1.0, max_steps=10), "without warmup"),
        (
            lambda: nemo.NoamHoldAnnealing(
                1.0, max_steps=10, warmup_steps=2, decay_rate=-1.0
            ),
            "decay_rate",
        ),
        (lambda: nemo.CosineAnnealing(0.1, max_steps=10, min_lr=0.2), "lower than"),
        (
            lambda: nemo.CosineAnnealing(
                0.1, max_steps=10, constant_steps=2, min_lr=0.1
            ),
            "> min_lr",
        ),
        (lambda: nemo.SquareAnnealing(1.0, max_steps=0), "divides by 0"),
        (lambda: nemo.WarmupAnnealing(1.0, max_steps=-1), "max_steps"),
        (lambda: nemo.ReduceLROnPlateau(1.0, mode="min"), "metric"),
    ],
)
def test_errors_are_clear(call, match):
    with pytest.raises(ValueError, match=match):
        call()
