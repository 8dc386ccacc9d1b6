"""jaxsched.frameworks.torch: OneCycleLR and CyclicLR with their cycled momentum,
against the float64 transcription of torch's ``get_lr`` (rate and momentum).

(Not ``test_torch.py``: tests/schedules has one, and two test modules of one name
in folders without ``__init__.py`` collide.)
"""

from __future__ import annotations

import jax
import numpy as np
import pytest
import truth_frameworks_pt2 as T
from mirror_checks import check_cases, edge_grid, key_points

import jaxsched as js
from jaxsched.frameworks import torch

ONE_CYCLE = [
    {"max_lr": 1.0, "total_steps": 100},
    {"max_lr": 0.5, "total_steps": 50, "anneal_strategy": "linear", "pct_start": 0.25},
    {
        "max_lr": 2.0,
        "total_steps": 90,
        "three_phase": True,
        "base_momentum": 0.8,
        "max_momentum": 0.99,
    },
    {
        "max_lr": 2.0,
        "total_steps": 80,
        "three_phase": True,
        "anneal_strategy": "linear",
        "div_factor": 10.0,
        "final_div_factor": 100.0,
    },
]
CYCLIC = [
    {"base_lr": 0.1, "max_lr": 1.0, "step_size_up": 10},
    {
        "base_lr": 0.1,
        "max_lr": 1.0,
        "step_size_up": 10,
        "step_size_down": 5,
        "mode": "triangular2",
        "base_momentum": 0.7,
    },
    {
        "base_lr": 0.1,
        "max_lr": 1.0,
        "step_size_up": 7,
        "mode": "exp_range",
        "gamma": 0.99,
    },
]


def _one_cycle_cases(kwargs, label):
    s = torch.OneCycleLR(**kwargs)
    n = kwargs["total_steps"]
    steps = edge_grid(key_points(s.learning_rate), far=(n, 2 * n))
    inside = np.minimum(steps, n - 1)  # torch raises past T; jaxsched holds T - 1
    lr, momentum = T.torch_one_cycle(inside, **kwargs)
    return [
        (f"OneCycleLR{label}.lr", s.learning_rate, steps, lr),
        (f"OneCycleLR{label}.momentum", s.momentum, steps, momentum),
    ]


def _cyclic_cases(kwargs, label):
    s = torch.CyclicLR(**kwargs)
    steps = edge_grid(key_points(s.learning_rate), far=(500,))
    if kwargs.get("mode") == "exp_range":  # up to where gamma ** t stays readable
        steps = steps[steps <= 3000]
    if kwargs.get("mode") == "triangular2":  # torch's 2.0 ** (cycle - 1) overflows
        period = kwargs["step_size_up"] + kwargs.get(
            "step_size_down", kwargs["step_size_up"]
        )
        steps = steps[steps < 1000 * period]
    lr, momentum = T.torch_cyclic(steps, **kwargs)
    return [
        (f"CyclicLR{label}.lr", s.learning_rate, steps, lr),
        (f"CyclicLR{label}.momentum", s.momentum, steps, momentum),
    ]


def test_rate_and_momentum_equal_torch():
    cases = []
    for i, kwargs in enumerate(ONE_CYCLE):
        cases += _one_cycle_cases(kwargs, f"[{i}]")
    for i, kwargs in enumerate(CYCLIC):
        cases += _cyclic_cases(kwargs, f"[{i}]")
    rng = np.random.default_rng(23)
    for i in range(6):  # random configurations: one stack per structure
        base_m = float(rng.uniform(0.5, 0.9))
        cases += _one_cycle_cases(
            {
                "max_lr": float(rng.uniform(0.1, 3)),
                "total_steps": int(rng.integers(20, 500)),
                "pct_start": float(rng.uniform(0.1, 0.6)),
                "base_momentum": base_m,
                "max_momentum": base_m + float(rng.uniform(0.01, 0.09)),
            },
            f"[random {i}]",
        )
        cases += _cyclic_cases(
            {
                "base_lr": float(rng.uniform(0.01, 0.1)),
                "max_lr": float(rng.uniform(0.2, 2)),
                "step_size_up": int(rng.integers(1, 50)),
                "step_size_down": int(rng.integers(1, 50)),
                "mode": "triangular2",
                "base_momentum": base_m,
                "max_momentum": base_m + 0.05,
            },
            f"[random {i}]",
        )
    check_cases(cases)


def test_the_pair_is_a_pytree():
    """jit, vmap over a stack of pairs, JSON of each field."""
    pairs = [torch.OneCycleLR(lr, total_steps=100) for lr in (0.5, 1.0, 2.0)]
    stacked = torch.CycleSchedules(*(js.stack(list(field)) for field in zip(*pairs)))
    values = jax.jit(jax.vmap(lambda s: (s.learning_rate(10), s.momentum(10))))(stacked)
    for k, pair in enumerate(pairs):
        assert np.isclose(values[0][k], pair.learning_rate(10))
        assert np.isclose(values[1][k], pair.momentum(10))
        assert js.from_dict(pair.momentum.to_dict()) == pair.momentum


def test_without_momentum_cycling():
    s = torch.CyclicLR(0.1, 1.0, cycle_momentum=False)
    assert s.momentum is None
    assert s.learning_rate == js.CyclicLR(0.1, 1.0)
    assert torch.OneCycleLR(1.0, epochs=2, steps_per_epoch=5).learning_rate == (
        js.OneCycleLR(1.0, 10)
    )


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: torch.OneCycleLR(1.0), "total_steps"),
        (lambda: torch.OneCycleLR(1.0, 10, base_momentum=0.0), "base_momentum"),
        (lambda: torch.CyclicLR(0.1, 1.0, scale_fn=lambda x: 1.0), "scale_fn"),
        (lambda: torch.ReduceLROnPlateau(mode="min"), "metric"),
    ],
)
def test_errors_are_clear(call, match):
    with pytest.raises(ValueError, match=match):
        call()
