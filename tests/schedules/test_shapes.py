"""WarmupHoldDecay: fractions that survive a sweep of the run length, the frameworks'
warmup-stable-decay schedules as single instances (against the float64
transcriptions of tests/truth_frameworks_pt.py and truth_frameworks_jax.py),
integer-exact phases at 2**31 - 1, zero-length phases, and validation."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import truth_frameworks_jax as fj
import truth_frameworks_pt as fp
from helpers import assert_each_rejected, assert_finite_sweeps, values

import jaxsched as js

ONE = js.Constant(1.0)
STEPS = np.array([0, 1, 2, 3, 4, 5, 9, 10, 11, 19, 20, 21, 29, 30, 31, 39, 40, 41, 59])
STEPS = np.concatenate([STEPS, np.arange(60, 130), [200, 1000, 10**6]])


def _close(actual, expected, peak=None):
    expected = np.asarray(expected, np.float64)
    peak = float(np.max(np.abs(expected))) if peak is None else peak
    tol = np.maximum(1e-5 * np.abs(expected), 1e-6 * peak)
    assert np.all(np.abs(np.asarray(actual) - expected) <= tol), (
        np.asarray(actual)[np.abs(np.asarray(actual) - expected) > tol][:5],
        expected[np.abs(np.asarray(actual) - expected) > tol][:5],
    )


def test_a_sweep_over_the_run_length_keeps_a_fractional_warmup_at_its_fraction():
    totals = [100, 1000, 12_340, 10**6, 2**30]
    sweep = js.grid(
        js.WarmupHoldDecay,
        schedule=ONE,
        warmup=0.1,
        hold=0,
        decay=None,
        total_steps=totals,
        unit="fraction",
        rounding="floor",
        decay_shape="cosine",
    )
    ends = np.array([t // 10 for t in totals])
    steps = np.stack([ends - 1, ends, ends + (np.array(totals) - ends) // 2], 1)
    at = np.asarray(jax.jit(jax.vmap(lambda s, t: s(t)))(sweep, jnp.asarray(steps)))
    np.testing.assert_allclose(at[:, 0], (ends - 1) / ends, rtol=1e-6)  # warming
    np.testing.assert_array_equal(at[:, 1], 1.0)  # the warmup ends at 10 % ...
    np.testing.assert_allclose(at[:, 2], 0.5, atol=1e-6)  # ... half-way down after
    for member, total in zip(js.unstack(sweep), totals):
        assert member.key_steps() == (0, total // 10, total)


# Each framework's schedule as one instance (or one inside a Shift/Maximum/Cycles).
MEGATRON = [
    (style, wsd)
    for style, wsd in [
        ("linear", None),
        ("cosine", None),
        ("WSD", "linear"),
        ("WSD", "cosine"),
        ("WSD", "exponential"),
        ("WSD", "minus_sqrt"),
    ]
]
_SHAPE = {"linear": "linear", "cosine": "cosine", "exponential": "exponential"}


def _megatron(style, wsd):
    w, total, decay = 10, 100, 30
    kw = dict(init_value=0.01, end_value=0.1, warmup=w, total_steps=total)
    if style != "WSD":
        return js.WarmupHoldDecay(
            js.Constant(1.0), hold=0, decay=None, decay_shape=style, **kw
        )
    shape = {"minus_sqrt": "power", "exponential": "exponential"}.get(wsd, wsd)
    return js.WarmupHoldDecay(
        js.Constant(1.0),
        decay=decay,
        decay_shape=shape,
        decay_power=0.5,
        decay_rate=0.5,
        **kw,
    )


def _cases():
    """``(name, schedule, expected values at STEPS)``."""
    out = []
    for style, wsd in MEGATRON:
        expected = fp.megatron_lr(STEPS, 0.01, 1.0, 0.1, 10, 100, style, 30, wsd)
        out.append((f"megatron {style} {wsd}", _megatron(style, wsd), expected))

    # fairseq tri_stage: init and final scales 0.01, an exponential decay.
    def tri_stage(**phases):
        return js.WarmupHoldDecay(
            js.Constant(2.0), init_value=0.02, end_value=0.02,
            decay_shape="exponential", decay_rate=0.01, **phases,
        )  # fmt: skip

    tri = tri_stage(warmup=7, hold=13, decay=40)
    out.append(("fairseq tri_stage", tri, fp.fairseq_tri_stage(STEPS, 2.0, 7, 13, 40)))
    ratio = tri_stage(warmup=0.1, hold=0.3, decay=0.6, total_steps=97,
                      unit="fraction", rounding="floor")  # fmt: skip
    expected = fp.fairseq_tri_stage(
        STEPS, 2.0, phase_ratio=(0.1, 0.3, 0.6), max_update=97
    )
    out.append(("fairseq tri_stage phase_ratio", ratio, expected))
    # DeepSpeed WarmupLR (log): its value at t is the shape at t - 1.
    log = js.WarmupHoldDecay(ONE * 3.0, warmup=50, init_value=0.5, warmup_shape="log")
    expected = fp.deepspeed_warmup_lr(STEPS, 3.0, 0.5, None, 50, "log")
    out.append(("deepspeed WarmupLR log", js.Shift(log, 1), expected))

    # praxis LinearRampup{Polynomial,Exponential}Decay: an ease-in and a geometric.
    def praxis_rampup(**decay):
        return js.WarmupHoldDecay(
            js.Constant(4.0), warmup=10, hold=20, decay=60, end_value=0.4, **decay
        )

    poly = fj.PraxisLinearRampupPolynomialDecay(10, 30, 90, 2.0, 0.1, 4.0)
    mine = praxis_rampup(decay_shape="power", decay_power=2.0)
    out.append(("praxis LinearRampupPolynomialDecay", mine, poly.value_at(STEPS)))
    expo = fj.PraxisLinearRampupExponentialDecay(10, 30, 90, 0.1, 4.0)
    mine = praxis_rampup(decay_shape="exponential", decay_rate=0.1)
    out.append(("praxis LinearRampupExponentialDecay", mine, expo.value_at(STEPS)))
    # timm's tanh with warmup_prefix=False: the warmup ramps to the schedule at W.
    tanh = js.Cycles(
        js.WarmupHoldDecay(
            js.Constant(1.0), hold=0, decay=40, end_value=0.05, decay_shape="tanh"
        ),
        40,
        decay=0.5,
        floor=0.05,
        peak=1.0,
        limit=2,
    )
    mine = js.WarmupHoldDecay(tanh, warmup=8, init_value=0.001, handover="continuous")
    expected = fp.timm_tanh(
        STEPS, 1.0, 40, lr_min=0.05, cycle_decay=0.5, cycle_limit=2, warmup_t=8,
        warmup_lr_init=0.001,
    )  # fmt: skip
    out.append(("timm tanh, no prefix", mine, expected))
    # MaxText: fractions of learning_rate_schedule_steps, int() truncation, an
    # inclusive endpoint, and 0 from learning_rate_schedule_steps on (a Join).
    for kind, style in [("wsd", "linear"), ("wsd", "cosine"), ("cosine", "linear")]:
        config = dict(
            learning_rate=2.0,
            lr_schedule_type=kind,
            wsd_decay_style=style,
            wsd_decay_steps_fraction=0.3,
            warmup_steps_fraction=0.1,
            learning_rate_schedule_steps=100,
            steps=120,
        )
        expected = fj.maxtext_create_learning_rate_schedule(config)(STEPS)
        wsd = kind == "wsd"
        phases = js.WarmupHoldDecay(
            js.Constant(2.0),
            warmup=0.1,
            hold=None if wsd else 0,
            decay=0.3 if wsd else None,
            total_steps=100,
            end_value=0.2,
            decay_shape=style if wsd else "cosine",
            unit="fraction",
            rounding="floor",
            inclusive_end=True,
        )
        mine = js.Join([phases, js.Constant(0.0)], [100])
        out.append((f"maxtext {kind} {style}", mine, expected))
    # big_vision: warmup and cooldown multiply the decay (the cooldown goes below 0
    # after total_steps where the decay has not reached 0: rsqrt).
    for decay_type in ("cosine", "rsqrt"):
        if decay_type == "cosine":
            inner = js.WarmupHoldDecay(
                js.Constant(3.0), hold=10, decay=90, decay_shape="cosine"
            )
        else:
            rsqrt = js.PowerLaw(3.0, -0.5, 50.0)
            inner = js.WarmupHoldDecay(rsqrt, warmup=10, init_value=3.0)
        mine = js.WarmupHoldDecay(
            inner,
            warmup=10,
            decay=20,
            total_steps=100,
            handover="jump",
            after_end="extrapolate",
        )
        expected = fj.big_vision_create_learning_rate_schedule(
            100, base=3.0, decay_type=decay_type, warmup_steps=10,
            cooldown_steps=20, timescale_steps=50,
        )(STEPS)  # fmt: skip
        out.append((f"big_vision {decay_type}", mine, expected))
    return out


CASES = _cases()


@pytest.mark.parametrize("name, schedule, expected", CASES, ids=[c[0] for c in CASES])
def test_a_framework_schedule_is_one_instance(name, schedule, expected):
    _close(values(schedule, STEPS)[0], expected)


def test_the_frameworks_in_x64_within_1e_12():
    with jax.enable_x64(True):
        for name, schedule, expected in CASES:
            got = np.asarray(jax.jit(lambda s, t: s(t))(schedule, STEPS), np.float64)
            peak = float(np.max(np.abs(expected)))
            assert np.max(np.abs(got - expected)) <= 1e-12 * peak, name


def test_maxtext_fractions_floor_like_int_under_x64():
    # int(100 * 0.29) == 28 in float64; the float32 leaf 0.29 times 100 rounds to
    # 29.0 (documented: use x64 for the framework's exact step there).
    s = js.WarmupHoldDecay(ONE, warmup=0.29, total_steps=100, unit="fraction",
                           rounding="floor")  # fmt: skip
    assert s.phase_lengths()[0] == 28
    with jax.enable_x64(True):
        at = s(jnp.asarray([27, 28], jnp.int64))
    np.testing.assert_allclose(np.asarray(at), [27 / 28, 1.0])


def test_phases_are_integer_exact_at_the_end_of_int32():
    w, h, d = 2**30, 2**29, 2**29 - 2
    s = js.WarmupHoldDecay(ONE, warmup=w, hold=h, decay=d)
    end = w + h + d  # 2**31 - 2
    steps = jnp.asarray([w + h - 1, w + h, end - 1, end, end + 1], jnp.int32)
    for at in (s(steps), jax.jit(lambda t: s(t))(steps)):
        np.testing.assert_allclose(np.asarray(at), [1, 1, 1 / d, 0, 0], rtol=1e-6)


def test_zero_length_phases_keep_a_sweep_finite():
    members = [
        js.WarmupHoldDecay(ONE, warmup=w, hold=h, decay=d, init_value=0.1,
                           end_value=0.01, warmup_shape=ws, decay_shape=ds)
        for w, h, d in [(0, 0, 0), (0, 5, 0), (4, 0, 0), (0, 0, 6), (3, 2, 5)]
        for ws, ds in [("linear", "linear")]
    ]  # fmt: skip
    shapes = [
        js.WarmupHoldDecay(ONE, warmup=w, hold=0, decay=d, init_value=0.1,
                           warmup_shape=ws, decay_shape=ds, decay_power=0.5)
        for w, d in [(0, 0), (3, 0), (0, 4)]
        for ws, ds in [("power", "power"), ("log", "exponential"),
                       ("exponential", "polynomial")]
    ]  # fmt: skip
    groups = [[m for m in shapes if m.warmup_shape == ws] for ws in
              ("power", "log", "exponential")]  # fmt: skip
    assert_finite_sweeps([members, *groups], np.arange(-2, 12))


def test_handover_sets_the_step_the_schedule_sees():
    inner = js.Linear(1.0, 0.0, 100)  # 1 - t / 100
    shift = js.WarmupHoldDecay(inner, warmup=10)
    jump = js.WarmupHoldDecay(inner, warmup=10, handover="jump")
    smooth = js.WarmupHoldDecay(inner, warmup=10, handover="continuous")
    at = [values(s, [5, 10, 50])[0] for s in (shift, jump, smooth)]
    np.testing.assert_allclose(at[0], [0.5, 1.0, 0.6])  # toward s(0), then s(t - W)
    np.testing.assert_allclose(at[1], [0.5, 0.9, 0.5])  # toward s(0), jumps to s(W)
    np.testing.assert_allclose(at[2], [0.45, 0.9, 0.5])  # toward s(W), continuous


def test_bad_values_name_the_class_field_and_value():
    def build(kw):
        return js.WarmupHoldDecay(**{"schedule": ONE, "total_steps": 100, **kw})

    must = "WarmupHoldDecay: argument `{}` must be {}"
    cases = [
        ({"warmup": -1}, ValueError,
         must.format("warmup", r">= 0\. Received: warmup=-1")),
        ({"warmup": 1.5, "unit": "fraction"}, ValueError,
         must.format("warmup", r"a fraction in \[0, 1\].*warmup=1\.5")),
        ({"warmup": 0.1, "unit": "fraction", "total_steps": None}, ValueError,
         must.format("total_steps", "given for unit='fraction'")),
        ({"hold": None, "decay": None}, ValueError,
         must.format("decay", "given where hold is None")),
        ({"rounding": "floor"}, ValueError,
         must.format("rounding", "'none' with unit='steps'.*rounding='floor'")),
        ({"warmup": 60, "decay": 50}, ValueError,
         must.format("total_steps", r">= the given phases \(110 steps\).*=100")),
        ({"decay": 5, "total_steps": None}, ValueError,
         must.format("total_steps", "given, or hold")),
        ({"decay_rate": 0.0}, ValueError,
         must.format("decay_rate", r"> 0.*decay_rate=0\.0")),
        ({"decay_shape": "step"}, ValueError,
         must.format("decay_shape", "one of 'linear'.*decay_shape='step'")),
        ({"handover": "prefix"}, ValueError,
         must.format("handover", "one of.*handover='prefix'")),
        ({"schedule": 1.0}, TypeError,
         must.format("schedule", r"a jaxsched Schedule.*schedule=1\.0")),
    ]  # fmt: skip
    assert_each_rejected(cases, build)
    with pytest.raises(ValueError, match="decay=None"):
        js.WarmupHoldDecay(ONE, decay=None)
    assert math.isinf(js.WarmupHoldDecay(ONE, warmup=5).phase_lengths()[1])
