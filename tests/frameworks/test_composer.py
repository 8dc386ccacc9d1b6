"""jaxsched.frameworks.composer against the float64 transcription of Composer.

Every scheduler class, with batch, epoch, duration, sample and token times, with
and without ``scale_schedule_ratio`` (and ``scale_warmup``), on edge grids (0, each
phase boundary -1/0/+1, far past the end) and random configurations, through
``mirror_checks.check_cases`` (float32 passed in / closed over / eager, x64).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import truth_frameworks_pt2 as T
from mirror_checks import check_cases, edge_grid, key_points

from jaxsched.frameworks import composer

BA = {"max_duration": "100ba"}
EP = {"max_duration": "10ep", "steps_per_epoch": 7}
SP = {"max_duration": "20000sp", "samples_per_step": 96}
TOK = {"max_duration": "1e6tok", "tokens_per_step": 4096}
SSR_UP = {"max_duration": "100ba", "scale_schedule_ratio": 1.5}
SSR_DOWN = {"max_duration": "10ep", "steps_per_epoch": 7, "scale_schedule_ratio": 0.7}
STATES = {"ba": BA, "ep": EP, "sp": SP, "tok": TOK, "ssr>1": SSR_UP, "ssr<1": SSR_DOWN}


def _horizon(state: dict) -> int:
    value, unit = T.composer_time(state["max_duration"])
    value = int(value * state.get("scale_schedule_ratio", 1.0))
    if unit == "ep":
        return value * state["steps_per_epoch"]
    per = {
        "ba": 1,
        "sp": state.get("samples_per_step"),
        "tok": state.get("tokens_per_step"),
    }
    return -(-value // per[unit])


def _truth(name, lr, state, kwargs, steps):
    out = []
    for t in steps:
        try:
            out.append(T.composer([t], name, lr, **state, **kwargs)[0])
        except ValueError:  # Composer's cycles shrank to 0 batches
            out.append(math.nan)
    return np.array(out)


def _case(name, state, lr=0.5, label="", **kwargs):
    mirror = getattr(composer, name)(lr, **kwargs, **state)
    h = _horizon(state)
    steps = edge_grid(key_points(mirror), far=(h, 2 * h, 10 * h))
    return (f"{name}{label}", mirror, steps, _truth(name, lr, state, kwargs, steps))


# (scheduler, per-state time arguments): each is checked in every state it names.
CONFIGS = [
    (
        "StepScheduler",
        {
            "ba": {"step_size": "10ba", "gamma": 0.5},
            "ep": {"step_size": "2ep"},
            "sp": {"step_size": "960sp", "gamma": 0.7},
            "tok": {"step_size": "40960tok", "gamma": 0.7},
            "ssr>1": {"step_size": "10ba", "gamma": 0.5},
            "ssr<1": {"step_size": "3ep", "gamma": 0.5},
        },
    ),
    (
        "MultiStepScheduler",
        {
            "ba": {"milestones": ["30ba", "0.5dur", "80ba"]},
            "ep": {"milestones": ["2ep", "0.5dur", "50ba"], "gamma": 0.3},
            "sp": {"milestones": ["5000sp", "0.8dur"], "gamma": 0.3},
            "ssr<1": {"milestones": ["3ep", "0.9dur"], "gamma": 0.3},
        },
    ),
    (
        "ConstantScheduler",
        {
            "ba": {"alpha": 0.3, "t_max": "0.5dur"},
            "ep": {"alpha": 2.0, "t_max": "3ep"},
            "tok": {"alpha": 0.3},
            "ssr>1": {"alpha": 0.3, "t_max": "40ba"},
        },
    ),
    (
        "LinearScheduler",
        {
            "ba": {"alpha_i": 0.9, "alpha_f": 0.2, "t_max": "0.7dur"},
            "ep": {"alpha_f": 0.1},
            "sp": {"alpha_i": 0.2, "alpha_f": 1.0, "t_max": "7000sp"},
            "ssr<1": {"alpha_i": 0.9, "alpha_f": 0.2},
        },
    ),
    (
        "ExponentialScheduler",
        {
            "ba": {"gamma": 0.7, "decay_period": "10ba"},
            "ep": {"gamma": 0.5},
            "sp": {"gamma": 0.9, "decay_period": "1000sp"},
            "ssr>1": {"gamma": 0.8, "decay_period": "10ba"},
        },
    ),
    (
        "CosineAnnealingScheduler",
        {
            "ba": {"alpha_f": 0.1},
            "ep": {"t_max": "4ep", "alpha_f": 0.2},
            "tok": {"alpha_f": 0.05},
            "ssr<1": {},
        },
    ),
    (
        "CosineAnnealingWarmRestartsScheduler",
        {
            "ba": {"t_0": "10ba", "t_mult": 2.0, "alpha_f": 0.1},
            "ep": {"t_0": "1ep"},
            "sp": {"t_0": "960sp", "t_mult": 1.0},
            "ssr>1": {"t_0": "10ba", "t_mult": 2.0},
        },
    ),
    (
        "PolynomialScheduler",
        {
            "ba": {"power": 2.0, "alpha_f": 0.05},
            "ep": {"power": 0.5, "t_max": "5ep"},
            "sp": {"power": 1.5},
            "ssr>1": {"power": 2.0},
        },
    ),
    (
        "MultiStepWithWarmupScheduler",
        {
            "ba": {
                "t_warmup": "5ba",
                "milestones": ["3ba", "40ba", "0.8dur"],
                "gamma": 0.5,
            },
            "ep": {"t_warmup": "1ep", "milestones": ["5ep"]},
            "sp": {"t_warmup": "1000sp", "milestones": ["5000sp"]},
            "ssr>1": {"t_warmup": "10ba", "milestones": ["40ba"], "scale_warmup": True},
            "ssr<1": {"t_warmup": "10ba", "milestones": ["40ba"], "scale_warmup": True},
        },
    ),
    (
        "ConstantWithWarmupScheduler",
        {
            "ba": {"t_warmup": "0.1dur", "alpha": 0.5},
            "ep": {"t_warmup": "1ep"},
            "tok": {"t_warmup": "0.1dur", "alpha": 0.5},
            "ssr>1": {"t_warmup": "10ba", "scale_warmup": True},
        },
    ),
    (
        "LinearWithWarmupScheduler",
        {
            "ba": {"t_warmup": "0.1dur", "alpha_f": 0.1},
            "ep": {"t_warmup": "1ep", "alpha_i": 0.8, "t_max": "12ep"},
            "sp": {"t_warmup": "0.1dur", "alpha_f": 0.1},
            "ssr>1": {"t_warmup": "10ba", "scale_warmup": True},
            "ssr<1": {"t_warmup": "10ba", "scale_warmup": True, "alpha_f": 0.3},
        },
    ),
    (
        "CosineAnnealingWithWarmupScheduler",
        {
            "ba": {"t_warmup": "5ba", "alpha_f": 0.05},
            "ep": {"t_warmup": "0.05dur"},
            "sp": {"t_warmup": "1000sp", "alpha_f": 0.1},
            "tok": {"t_warmup": "0.05dur", "alpha_f": 0.1},
            "ssr>1": {"t_warmup": "10ba"},
            "ssr<1": {"t_warmup": "10ba", "scale_warmup": True},
        },
    ),
    (
        "PolynomialWithWarmupScheduler",
        {
            "ba": {"t_warmup": "5ba", "power": 1.5, "alpha_f": 0.05},
            "ep": {"t_warmup": "1ep", "t_max": "11ep"},
            "tok": {"t_warmup": "100000tok"},
            "ssr<1": {"t_warmup": "10ba", "scale_warmup": True},
        },
    ),
]


def _edge_cases():
    cases = []
    for name, per_state in CONFIGS:
        for state_name, kwargs in per_state.items():
            cases.append(
                _case(name, STATES[state_name], label=f"[{state_name}]", **kwargs)
            )
    return cases


def _random_cases(rng: np.random.Generator):
    """Random configurations of five structures (one stack each)."""
    cases = []
    for _ in range(6):
        w, a, p = (
            int(rng.integers(1, 30)),
            float(rng.uniform(0, 0.5)),
            float(rng.uniform(0.5, 3)),
        )
        lr = float(rng.uniform(0.01, 2))
        state = {"max_duration": f"{int(rng.integers(40, 500))}ba"}
        warmup = {"t_warmup": f"{w}ba", "alpha_f": a}
        alpha_i = float(rng.uniform(0.5, 1))
        step_gamma, exponential_gamma = rng.uniform(0.1, 1), rng.uniform(0.5, 1)
        table = [
            ("CosineAnnealingWithWarmupScheduler", warmup),
            ("PolynomialWithWarmupScheduler", {**warmup, "power": p}),
            ("LinearWithWarmupScheduler", {**warmup, "alpha_i": alpha_i}),
            ("StepScheduler", {"step_size": f"{w}ba", "gamma": float(step_gamma)}),
            (
                "ExponentialScheduler",
                {"gamma": float(exponential_gamma), "decay_period": f"{w}ba"},
            ),
        ]
        cases += [_case(name, state, lr, **kwargs) for name, kwargs in table]
    return cases


def test_every_scheduler_is_mirrored():
    names = {n for n, _ in CONFIGS}
    assert (
        names == set(T._COMPOSER) == {n for n in composer.__all__ if n != "parse_time"}
    )


def test_values_equal_composer():
    """Edge grids of every class in every unit, random configurations (stacked:
    five structures), fractional warm restarts and a zero warmup, in one program
    per mode."""
    random = _random_cases(np.random.default_rng(23))
    cases = [*_edge_cases(), *random, *_fractional_restart_cases(), _zero_warmup_case()]
    stacks = check_cases(cases)
    assert stacks < len(cases) - len(random) + 5  # the random ones share 5 stacks


def _fractional_restart_cases():
    """The cycles of a fractional ``t_mult`` equal Composer's up to max_duration; the
    mirror holds ``alpha_f`` after the cycles it lays out (Composer keeps
    restarting, or raises once the cycles shrink to 0 batches)."""
    cases = []
    for state, t_0, t_mult in [
        (BA, "10ba", 1.5),
        (BA, "30ba", 0.5),
        (SP, "1000sp", 1.5),
        (EP, "1ep", 1.3),
        (SSR_UP, "7ba", 1.7),
    ]:
        lr, alpha_f = 0.5, 0.1
        label, mirror, steps, ref = _case(
            "CosineAnnealingWarmRestartsScheduler",
            state,
            lr,
            label=f"[{t_mult}]",
            t_0=t_0,
            t_mult=t_mult,
            alpha_f=alpha_f,
        )
        # where the laid-out cycles end (as the mirror lays them out)
        s = T.ComposerState(**state)
        value, unit = T.composer_convert(t_0, s, state.get("scale_schedule_ratio", 1.0))
        k = s.per[unit]
        start, length = 0, value
        while length and start + length <= _horizon(state) * k:
            start, length = start + length, int(t_mult * length)
        end = math.ceil((start + length) / k)
        ref = np.where(steps >= end, lr * alpha_f, ref)
        assert not np.any(np.isnan(ref)), label
        cases.append((label, mirror, steps, ref))
    return cases


def _zero_warmup_case():
    with pytest.warns(UserWarning, match="warmup duration is 0"):
        s = composer.LinearWithWarmupScheduler(1.0, "0ba", max_duration="10ba")
    steps = np.array([0, 5, 9, 10, 11, 1000])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = T.composer(
            steps, "LinearWithWarmupScheduler", 1.0, max_duration="10ba", t_warmup="0ba"
        )
    return ("zero warmup", s, steps, ref)


def test_time_strings():
    assert composer.parse_time("10ep") == (10, "ep")
    assert composer.parse_time("3e4tok") == (30000, "tok")
    assert composer.parse_time("0.25DUR") == (0.25, "dur")
    assert composer.parse_time("1000sp") == (1000, "sp")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: composer.StepScheduler(1.0, "2ep", max_duration="10ba"),
            "steps_per_epoch",
        ),
        (lambda: composer.LinearScheduler(1.0, max_duration="10ep"), "steps_per_epoch"),
        (
            lambda: composer.LinearScheduler(1.0, t_max="10sp", max_duration="10ba"),
            "samples_per_step",
        ),
        (
            lambda: composer.CosineAnnealingScheduler(1.0, max_duration="1e6tok"),
            "tokens_per_step",
        ),
        (
            lambda: composer.LinearScheduler(1.0, t_max="0ba", max_duration="10ba"),
            "zero",
        ),
        (
            lambda: composer.StepScheduler(1.0, "10sec", max_duration="10ba"),
            "wall clock",
        ),
        (lambda: composer.StepScheduler(1.0, "1h", max_duration="10ba"), "wall clock"),
        (lambda: composer.StepScheduler(1.0, "2iter", max_duration="10ba"), "iter"),
        (lambda: composer.StepScheduler(1.0, "1.5ba", max_duration="10ba"), "whole"),
        (lambda: composer.StepScheduler(1.0, "10xyz", max_duration="10ba"), "invalid"),
        (lambda: composer.LinearScheduler(1.0, max_duration="0.5dur"), "max_duration"),
        (
            lambda: composer.CosineAnnealingWithWarmupScheduler(
                1.0, "2ba", t_max="50ba", max_duration="100ba"
            ),
            "greater than or equal",
        ),
        (
            lambda: composer.CosineAnnealingWithWarmupScheduler(
                1.0, "2ba", max_duration="1000sp", samples_per_step=10
            ),
            "same units",
        ),
        (
            lambda: composer.ExponentialScheduler(1.0, -0.5, "1ba", max_duration="9ba"),
            "gamma",
        ),
        (
            lambda: composer.StepScheduler(
                1.0, "10sp", max_duration="100ba", samples_per_step=3
            ),
            "whole number of batches",
        ),
        (
            lambda: composer.LinearScheduler(
                1.0, max_duration="10ba", scale_schedule_ratio=0.01
            ),
            "reduces",
        ),
    ],
)
def test_errors_are_clear(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_a_time_is_a_string():
    with pytest.raises(TypeError, match="string"):
        composer.StepScheduler(1.0, 10, max_duration="100ba")
