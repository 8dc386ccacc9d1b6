"""jaxsched.frameworks.maxtext against the float64 transcription of MaxText's
``create_learning_rate_schedule`` (tests/truth_frameworks_jax.py), on edge grids and
random configurations."""

import itertools
import random

import jax_mirrors as jm
import numpy as np
import pytest
import truth_frameworks_jax as truth

from jaxsched.frameworks import maxtext


def _case(config, steps=None):
    if steps is None:
        steps = jm.GRID
        c = dict(maxtext.DEFAULTS, **config)
        total = c["learning_rate_schedule_steps"]
        total = c["steps"] if total == -1 else total
        if (c["steps"] if c["steps"] != -1 else total) <= total:
            # no zero piece: a cosine is evaluated past its end (MaxText's own
            # extrapolation, never trained); its float32 phase error grows with
            # the step, so the far steps stay within twice the run
            steps = np.minimum(jm.GRID, 2 * 120)
    ref = truth.maxtext_create_learning_rate_schedule(config)(steps)
    return maxtext.create_learning_rate_schedule(config), steps, ref


def _cases():
    cases = []
    # the edges: each kind and style, a zero tail or none, one-step and empty pieces
    for kind, style, (s, steps) in itertools.product(
        ["cosine", "wsd"], ["linear", "cosine"], [(100, 120), (100, 100), (29, -1)]
    ):
        for warmup, decay in [(0.1, 0.1), (0.0, 0.2), (0.29, 0.01), (0.5, 0.5)]:
            config = {
                "learning_rate": 0.3,
                "lr_schedule_type": kind,
                "wsd_decay_style": style,
                "warmup_steps_fraction": warmup,
                "wsd_decay_steps_fraction": decay,
                "learning_rate_schedule_steps": s,
                "steps": steps,
            }
            cases.append(_case(config))
    cases.append(_case({"steps": 100, "warmup_steps_fraction": 1.0}))
    cases.append(_case({"steps": 50, "learning_rate_schedule_steps": 0}))
    rng = random.Random(11)
    for _ in range(16):
        s = rng.randint(2, 110)
        config = {
            "learning_rate": rng.uniform(1e-4, 1.0),
            "lr_schedule_type": rng.choice(["cosine", "wsd"]),
            "learning_rate_final_fraction": rng.choice([0.0, 0.1, rng.random()]),
            "warmup_steps_fraction": rng.uniform(0, 0.5),
            "wsd_decay_steps_fraction": rng.uniform(0, 0.5),
            "wsd_decay_style": rng.choice(["linear", "cosine"]),
            "learning_rate_schedule_steps": s,
            "steps": s + rng.choice([0, 1, 10]),
        }
        cases.append(_case(config))
    # a long run: the boundaries -1/0/+1 and far steps
    big = {"learning_rate": 3e-4, "steps": 150_001, "lr_schedule_type": "wsd"}
    w, d = int(150_001 * 0.1), int(150_001 * 0.1)
    edges = jm.edges(w, 150_001 - d, 150_000, 150_001, far=False)
    cases.append(_case(big, edges))
    cases.append(_case(dict(big, lr_schedule_type="cosine"), edges))
    return cases


CASES = _cases()


test_values_equal_maxtext, test_round_trip = jm.case_tests(CASES)


def test_one_structure_one_compile():
    def make(lr, s):
        return maxtext.create_learning_rate_schedule(
            {"learning_rate": lr, "steps": s + 5, "learning_rate_schedule_steps": s}
        )

    _, b = jm.check_one_compile(
        [make(1.0, 10), make(0.5, 20)], [make(2.0, 12), make(0.1, 30)]
    )
    config = {"learning_rate": 2.0, "steps": 17, "learning_rate_schedule_steps": 12}
    ref = truth.maxtext_create_learning_rate_schedule(config)(np.arange(16))
    np.testing.assert_allclose(b[0], ref, rtol=1e-6, atol=1e-7)


def test_run_length_sweep_keeps_the_fractions():
    """Mirrors of several run lengths, stacked: each warms up over 10 % of its own
    run and decays to the end of it."""
    lengths = [50, 80, 120]
    members = [
        maxtext.create_learning_rate_schedule({"learning_rate": 1.0, "steps": n})
        for n in lengths
    ]
    values, _ = jm.check_one_compile(members, members[::-1], length=128)
    for n, got in zip(lengths, values, strict=True):
        w = n // 10
        np.testing.assert_allclose(
            got[[w - 1, w, n - 1]], [(w - 1) / w, 1.0, 0.1], rtol=1e-6
        )


@pytest.mark.parametrize(
    "config, match",
    [
        ({"lr_schedule_type": "linear"}, "lr_schedule_type"),
        ({"wsd_decay_style": "sqrt"}, "wsd_decay_style"),
        ({"warmup_steps_fraction": 1.5}, "warmup_steps_fraction"),
        (
            {
                "lr_schedule_type": "wsd",
                "warmup_steps_fraction": 0.6,
                "wsd_decay_steps_fraction": 0.5,
            },
            "wsd_decay_steps_fraction",
        ),
        ({"steps": 0, "learning_rate_schedule_steps": 0}, "steps"),
        ({"learning_rate": -1.0}, "learning_rate"),
    ],
)
def test_rejected(config, match):
    with pytest.raises(ValueError, match=match):
        maxtext.create_learning_rate_schedule(config)


def test_differentiable():
    jm.check_grads([CASES[0][0], CASES[-1][0]])
