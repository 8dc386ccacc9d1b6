"""Clock and the clocks: a time stretch, fractions of a swept run length, timm's
k_decay warp, and token-defined phases under a batch-size ramp (the clock exact at
the ramp's end, its inverse for key steps); validation."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from helpers import assert_each_rejected, values

import jaxsched as js


def test_a_stretch_makes_a_schedule_last_longer():
    s = js.Clock(js.Cosine(1.0, 10), js.StretchClock(3.0))
    steps = np.arange(0, 40)
    expected = values(js.Cosine(1.0, 30), steps)[0]
    np.testing.assert_allclose(values(s, steps)[0], expected, rtol=1e-5, atol=1e-6)
    assert s.key_steps() == (0, 30)


def test_a_schedule_in_fractions_of_a_swept_run_length():
    # Phases written in fractions of the run (total_steps=1), on StretchClock(T).
    phases = js.WarmupHoldDecay(js.Constant(1.0), warmup=0.1, total_steps=1.0,
                                hold=0, decay=None)  # fmt: skip
    totals = [200, 5000, 10**6]
    sweep = js.stack([js.Clock(phases, js.StretchClock(float(t))) for t in totals])
    steps = jnp.asarray(
        [[t // 20, t // 10, t // 10 + (t - t // 10) // 2] for t in totals]
    )
    at = np.asarray(jax.jit(jax.vmap(lambda s, t: s(t)))(sweep, steps))
    np.testing.assert_allclose(at, [[0.5, 1.0, 0.5]] * 3, rtol=1e-5)


def test_the_token_clock_is_exact_at_the_ramps_end():
    # DeepSeek-V3: 3,072 -> 15,360 sequences of 4,096 tokens over the first 469B.
    c = js.TokenClock(3072, 15360, 469e9, 4096, ramp_unit="tokens")
    end = c.key_steps()[1]
    assert end == c.steps_at(469e9)
    with jax.enable_x64(True):
        at = np.asarray(c(jnp.asarray([end, end + 1000.0])))
    np.testing.assert_allclose(at, [469e9, 469e9 + 1000 * 15360 * 4096], rtol=1e-12)
    # the batch grows along the ramp: tokens per step rise from b0 L to b1 L
    with jax.enable_x64(True):
        seen = np.asarray(c(jnp.asarray([0, 1, end - 1, end, end + 1], jnp.float64)))
    per_step = np.diff(seen)
    np.testing.assert_allclose(per_step[0], 3072 * 4096, rtol=1e-3)
    np.testing.assert_allclose(per_step[-1], 15360 * 4096, rtol=1e-9)
    # linear in the step: the ramp's tokens are n (b0 + b1) / 2 sequences, exactly
    s = js.TokenClock(3, 11, 1000, 7)
    np.testing.assert_array_equal(values(s, [1000])[0], [1000 * 7 * (3 + 11) / 2])
    for tokens in (0.0, 1.0, 12345.0, 49_000.0, 10**7):
        np.testing.assert_allclose(values(s, [0], [s.steps_at(tokens)])[1], tokens,
                                   rtol=1e-6, atol=1e-3)  # fmt: skip


def test_token_defined_phases_under_a_batch_ramp():
    clock = js.TokenClock(4, 12, 10, sequence_length=16)  # 1,280 tokens in the ramp
    s = js.Clock(js.Join([js.Constant(1.0), js.Constant(0.5)], [2000.0]), clock)
    # 1,280 + 192 (t - 10) = 2,000 at t = 13.75: the switch is at step 14
    np.testing.assert_array_equal(values(s, [13, 14])[0], [1.0, 0.5])
    assert s.key_steps() == (0, 10, 13.75)


def test_power_clock_is_timms_k_decay():
    c = js.PowerClock(2.0, 100)
    np.testing.assert_allclose(
        values(c, [0, 10, 50, 100])[0], [0, 1, 25, 100], rtol=1e-6
    )
    assert c.steps_at(25.0) == 50.0


def test_bad_values_name_the_class_field_and_value():
    assert_each_rejected(
        [
            ({"factor": 0.0}, ValueError,
             r"StretchClock: argument `factor` must be > 0.*factor=0\.0"),
        ],
        lambda kw: js.StretchClock(**kw),
    )  # fmt: skip
    assert_each_rejected(
        [
            ({"power": -1.0}, ValueError, r"PowerClock: argument `power` must be > 0"),
            ({"horizon": 0}, ValueError, r"`horizon` must be > 0.*horizon=0"),
        ],
        lambda kw: js.PowerClock(**{"power": 2.0, "horizon": 10, **kw}),
    )  # fmt: skip
    token = {"initial_batch": 2, "final_batch": 8, "ramp": 100}
    assert_each_rejected(
        [
            ({"initial_batch": 0}, ValueError,
             r"TokenClock: argument `initial_batch` must be > 0"),
            ({"ramp": -1}, ValueError, r"`ramp` must be >= 0.*ramp=-1"),
            ({"ramp_unit": "samples"}, ValueError, r"`ramp_unit` must be one of"),
        ],
        lambda kw: js.TokenClock(**{**token, **kw}),
    )  # fmt: skip
    assert_each_rejected(
        [({"clock": 1.0}, TypeError, r"Clock: argument `clock` must be a jaxsched")],
        lambda kw: js.Clock(**{"schedule": js.Constant(1.0), **kw}),
    )
