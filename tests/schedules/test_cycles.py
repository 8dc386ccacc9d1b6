"""Cycles: timm's cosine and poly schedulers (cycle_mul, cycle_decay, cycle_limit,
k_decay, both warmup conventions) and fairseq's cosine (t_mult, lr_shrink) as one
instance each, against tests/truth_frameworks_pt.py; the cycle picked exactly where
timm's float logarithm is one cycle early; shrinking cycles; validation."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import truth_frameworks_pt as fp
from helpers import assert_each_rejected, values
from truth import truth

import jaxsched as js

STEPS = np.concatenate([np.arange(0, 160), [209, 210, 211, 309, 310, 311, 10**5]])


def _timm(kind, lr, t0, lr_min, mul, decay, limit, k, warmup_t, init, prefix):
    """timm's CosineLRScheduler / PolyLRScheduler(power=2) as one jaxsched tree."""
    if kind == "cosine":
        one = js.Cosine(lr, t0, alpha=lr_min / lr)
    else:
        one = js.Polynomial(lr, lr_min, 2.0, t0)
    if k != 1:
        one = js.Clock(one, js.PowerClock(k, t0))
    cycles = js.Cycles(one, t0, mul, decay, lr_min, peak=lr, limit=limit)
    handover = "shift" if prefix else "jump"
    return js.WarmupHoldDecay(cycles, warmup=warmup_t, init_value=init,
                              handover=handover)  # fmt: skip


TIMM = [
    # kind, lr, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, k_decay,
    # warmup_t, warmup_lr_init, warmup_prefix
    ("cosine", 1.0, 20, 0.05, 1.0, 0.5, 4, 1.0, 5, 0.01, False),
    ("cosine", 1.0, 10, 0.05, 2.0, 0.7, 3, 1.0, 6, 0.0, True),
    ("cosine", 2.0, 25, 0.0, 1.5, 0.9, 5, 2.0, 0, 0.0, False),
    ("poly", 1.0, 20, 0.1, 2.0, 0.5, 3, 0.5, 4, 0.02, True),
]


def _timm_expected(kind, lr, t0, lr_min, mul, decay, limit, k, warmup_t, init, prefix):
    kw = dict(lr_min=lr_min, cycle_mul=mul, cycle_decay=decay, cycle_limit=limit,
              warmup_t=warmup_t, warmup_lr_init=init, warmup_prefix=prefix,
              k_decay=k)  # fmt: skip
    if kind == "cosine":
        return fp.timm_cosine(STEPS, lr, t0, **kw)
    return fp.timm_poly(STEPS, lr, t0, power=2.0, **kw)


@pytest.mark.parametrize(
    "config", TIMM, ids=[f"timm-{c[0]}-{i}" for i, c in enumerate(TIMM)]
)
def test_timm_cycles_are_one_instance(config):
    expected = _timm_expected(*config)
    got = values(_timm(*config), STEPS)[0]
    peak = float(np.max(np.abs(expected)))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6 * peak)
    with jax.enable_x64(True):
        wide = np.asarray(jax.jit(lambda s, t: s(t))(_timm(*config), STEPS))
    np.testing.assert_allclose(wide, expected, rtol=0, atol=1e-12 * peak)


def test_fairseq_cosine_is_one_instance():
    lr, lo, period, warmup = 1.0, 0.1, 20, 5
    cycles = js.Cycles(js.Cosine(lr, period, alpha=lo / lr), period, decay=0.5)
    mine = js.WarmupHoldDecay(cycles, warmup=warmup, init_value=lo)
    expected = fp.fairseq_cosine(STEPS, lr, warmup, min_lr=lo, lr_period_updates=period,
                                 lr_shrink=0.5)  # fmt: skip
    np.testing.assert_allclose(values(mine, STEPS)[0], expected, rtol=1e-5, atol=1e-6)


def test_the_cycle_is_exact_where_timms_logarithm_lands_one_early():
    # t_initial=5, cycle_mul=10: cycle 3 starts at 5 * 999 / 9 = 555, where
    # math.log(1000, 10) = 2.9999999999999996 makes timm pick cycle 2's end.
    assert math.floor(math.log(1 - 555 / 5 * (1 - 10), 10)) == 2
    timm = fp.timm_cosine([554, 555, 556], 1.0, 5, cycle_mul=10.0, cycle_limit=9)
    assert timm[1] == pytest.approx(0.0)  # the end of cycle 2, not a restart
    s = js.Cycles(js.Cosine(1.0, 5), 5, period_factor=10.0)
    got = values(s, [554, 555, 556])[0]
    np.testing.assert_allclose(got[1], 1.0)  # the restart's peak
    np.testing.assert_allclose(got[[0, 2]], timm[[0, 2]], rtol=1e-5, atol=1e-6)


def test_shrinking_cycles_end_at_the_floor():
    # period_factor 0.5: cycles 16, 8, 4, ... fill 32 steps, then the floor.
    s = js.Cycles(js.Cosine(1.0, 16), 16, period_factor=0.5, floor=0.25)
    got = values(s, [0, 16, 24, 28, 31, 32, 10**6])[0]
    np.testing.assert_allclose(got[[0, 1, 2, 3]], 1.0)  # every restart at the peak
    np.testing.assert_allclose(got[[5, 6]], 0.25)
    assert s.key_steps() == (0, 16, 24, 28)


def test_negative_steps_stay_in_the_first_cycle():
    s = js.Cycles(js.Linear(1.0, 0.0, 10, transition_begin=0), 10, 2.0)
    np.testing.assert_allclose(values(s, [-5, -1, 0])[0], [1.0, 1.0, 1.0])


def test_bad_values_name_the_class_field_and_value():
    one = js.Cosine(1.0, 10)
    cases = [
        ({"period": 0}, ValueError,
         r"Cycles: argument `period` must be > 0\. Received: period=0"),
        ({"period_factor": -1.0}, ValueError,
         r"`period_factor` must be > 0.*period_factor=-1\.0"),
        ({"decay": -0.5}, ValueError, r"`decay` must be >= 0.*decay=-0\.5"),
        ({"limit": -1}, ValueError, r"`limit` must be >= 0.*limit=-1"),
        ({"schedule": 0.5}, TypeError, r"`schedule` must be a jaxsched Schedule"),
    ]  # fmt: skip
    assert_each_rejected(
        cases, lambda kw: js.Cycles(**{"schedule": one, "period": 10, **kw})
    )


def test_a_sweep_of_cycles_runs_in_one_program():
    members = [
        js.Cycles(js.Cosine(1.0, 10), 10, m, d, 0.1, peak=1.0, limit=lim)
        for m, d, lim in [(1.0, 0.5, 3), (2.0, 0.9, 2), (0.5, 1.0, 10)]
    ]
    steps = np.arange(0, 50)
    at = np.asarray(
        jax.jit(jax.vmap(lambda s: s(jnp.asarray(steps))))(js.stack(members))
    )
    for row, member in zip(at, members):
        np.testing.assert_allclose(row, truth(member, steps), rtol=1e-5, atol=1e-6)
