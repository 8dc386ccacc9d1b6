"""MultiplicativeNoise: a pure function of (seed, step), with timm's range and
distribution (the truncated normal and the uniform), jit/vmap safe; validation."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import truth_frameworks_pt as fp
from helpers import assert_each_rejected, values

import jaxsched as js

ONE = js.Constant(1.0)
N = 20_000


def _noise(schedule, steps):
    return values(schedule, steps)[0] - 1.0


def test_normal_noise_has_timms_range_and_distribution():
    pct, std = 0.67, 1.0
    n = np.asarray(js.MultiplicativeNoise(ONE, seed=3, pct=pct, std=std)(jnp.arange(N)))
    n = n.astype(np.float64) - 1.0
    assert np.all(np.abs(n) < pct)
    # A standard normal truncated to (-b, b): mean 0, variance
    # 1 - 2 b phi(b) / (2 Phi(b) - 1).
    b = pct / std
    phi = math.exp(-b * b / 2) / math.sqrt(2 * math.pi)
    mass = math.erf(b / math.sqrt(2))
    var = std**2 * (1 - 2 * b * phi / mass)
    assert abs(n.mean()) < 4 * math.sqrt(var / N)
    assert abs(n.var() / var - 1) < 0.05
    # std scales the normal before truncation: a narrow one rarely reaches pct.
    narrow = np.asarray(js.MultiplicativeNoise(ONE, 3, 0.67, 0.1)(jnp.arange(N))) - 1
    assert abs(narrow.std() / 0.1 - 1) < 0.05 and np.all(np.abs(narrow) < 0.67)


def test_uniform_noise_fills_its_range():
    n = (
        np.asarray(
            js.MultiplicativeNoise(ONE, 5, 0.2, distribution="uniform")(jnp.arange(N))
        ).astype(np.float64)
        - 1.0
    )
    assert np.all(np.abs(n) <= 0.2) and n.min() < -0.199 and n.max() > 0.199
    assert abs(n.var() / (0.2**2 / 3) - 1) < 0.05


def test_noise_is_a_pure_function_of_seed_and_step():
    s = js.MultiplicativeNoise(js.Cosine(1.0, 100), seed=11, begin=0)
    steps = np.array([0, 1, 2, 50, 99, 2**31 - 1])
    eager = np.asarray(s(jnp.asarray(steps)))
    again = values(s, steps)[0]
    np.testing.assert_allclose(eager, again, rtol=1e-6)  # jit == eager (rounding)
    np.testing.assert_allclose(eager[3], np.asarray(s(50)), rtol=1e-6)  # one step
    # a float step keeps the noise of its whole part
    np.testing.assert_allclose(
        values(s, [0], [50.25])[1][0],
        eager[3] * s.schedule(50.25) / s.schedule(50),
        rtol=1e-6,
    )
    # the same numbers in a stacked sweep; other seeds, other numbers
    sweep = js.stack([s, js.MultiplicativeNoise(js.Cosine(1.0, 100), seed=12)])
    rows = np.asarray(jax.jit(jax.vmap(lambda m: m(jnp.asarray(steps))))(sweep))
    np.testing.assert_allclose(rows[0], eager, rtol=1e-6)
    assert not np.allclose(rows[1], eager)
    with jax.enable_x64(True):  # the same draw under x64, to float32's rounding
        wide = np.asarray(s(jnp.asarray(steps, jnp.int64)))
    np.testing.assert_allclose(wide, eager, rtol=1e-6)


def test_noise_applies_where_timm_applies_it():
    steps = np.arange(0, 40)
    for begin, end, timm in [(5, 30, (5, 30)), (10, None, 10)]:
        s = js.MultiplicativeNoise(ONE, seed=1, begin=begin, end=end)
        noisy = _noise(s, steps) != 0
        np.testing.assert_array_equal(noisy, fp.timm_noise_mask(steps, timm))


def test_bad_values_name_the_class_field_and_value():
    cases = [
        ({"seed": -1}, ValueError,
         r"MultiplicativeNoise: argument `seed` must be a whole number >= 0.*seed=-1"),
        ({"seed": 1.5}, ValueError, r"`seed` must be a whole number.*seed=1\.5"),
        ({"pct": 0.0}, ValueError, r"`pct` must be > 0.*pct=0\.0"),
        ({"std": -1.0}, ValueError, r"`std` must be > 0.*std=-1\.0"),
        ({"distribution": "laplace"}, ValueError,
         r"`distribution` must be one of 'normal', 'uniform'"),
    ]  # fmt: skip
    assert_each_rejected(
        cases, lambda kw: js.MultiplicativeNoise(**{"schedule": ONE, **kw})
    )
