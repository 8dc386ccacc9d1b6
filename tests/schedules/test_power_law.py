"""PowerLaw and Noam against the frameworks' formulas (TF Model Garden's
DirectPowerDecay, timm's WSD power stable phase, praxis's Transformer, NeMo's
NoamAnnealing); validation."""

from __future__ import annotations

import numpy as np
import truth_frameworks_jax as fj
from helpers import assert_each_rejected, values

import jaxsched as js


def test_power_laws_are_the_frameworks_forms():
    t = np.array([0, 1, 2, 10, 99, 100, 1000, 10**6])
    tf_direct = js.PowerLaw(0.5, -0.5, offset=0.0, min_step=1)  # DirectPowerDecay
    np.testing.assert_allclose(
        values(tf_direct, t)[0], 0.5 * np.maximum(t, 1.0) ** -0.5, rtol=1e-6
    )
    timm = js.PowerLaw(1.0, -0.7, timescale=50.0)  # timm wsd stable_fn="power"
    np.testing.assert_allclose(values(timm, t)[0], (1 + t / 50) ** -0.7, rtol=1e-6)
    praxis = fj.PraxisTransformer(warmup_steps=40, model_dim=256)
    noam = js.Shift(js.Noam(256, 40), -1)  # praxis evaluates at step + 1
    np.testing.assert_allclose(values(noam, t)[0], praxis.value_at(t), rtol=1e-6)
    nemo = 2.0 * 256**-0.5 * np.minimum(np.maximum(t, 1.0) ** -0.5,
                                        np.maximum(t, 1.0) * 40**-1.5)  # fmt: skip
    np.testing.assert_allclose(values(js.Noam(256, 40, 2.0), t)[0], nemo, rtol=1e-6)


def test_bad_values_name_the_class_field_and_value():
    assert_each_rejected(
        [
            ({"timescale": 0.0}, ValueError,
             r"PowerLaw: argument `timescale` must be > 0"),
            ({"offset": -1.0}, ValueError, r"`offset` must be >= 0.*offset=-1\.0"),
            ({"min_step": -2}, ValueError, r"`min_step` must be >= 0.*min_step=-2"),
        ],
        lambda kw: js.PowerLaw(**{"init_value": 1.0, "exponent": -0.5, **kw}),
    )  # fmt: skip
    assert_each_rejected(
        [
            ({"d_model": 0}, ValueError, r"Noam: argument `d_model` must be > 0"),
            ({"warmup_steps": -1}, ValueError, r"`warmup_steps` must be >= 0"),
        ],
        lambda kw: js.Noam(**kw),
    )  # fmt: skip
