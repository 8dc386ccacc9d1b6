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


_DRAWS = jax.jit(lambda s: s(jnp.arange(N)))


def _draws(schedule):
    """``n`` at steps 0..N-1 (one compile per distribution)."""
    return np.asarray(_DRAWS(schedule), np.float64) - 1.0


def _noise(schedule, steps):
    return values(schedule, steps)[0] - 1.0


def test_normal_noise_has_timms_range_and_distribution():
    pct, std = 0.67, 1.0
    n = _draws(js.MultiplicativeNoise(ONE, seed=3, pct=pct, std=std))
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
    narrow = _draws(js.MultiplicativeNoise(ONE, 3, 0.67, 0.1))
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
    at, at_float = values(s, steps, [50.25])  # jitted, the schedule passed in
    closed = np.asarray(jax.jit(lambda t: s(t))(jnp.asarray(steps)))
    np.testing.assert_allclose(closed, at, rtol=1e-6)  # to float32 rounding
    np.testing.assert_allclose(values(s, [50])[0], at[3], rtol=1e-6)  # one at a time
    # a float step keeps the noise of its whole part
    cosine = np.cos(np.pi / 200 * np.array([50.25, 50.0])) ** 2
    np.testing.assert_allclose(at_float[0], at[3] * cosine[0] / cosine[1], rtol=1e-5)
    # the same numbers in a stacked sweep; another seed, other numbers
    sweep = js.stack([s, js.MultiplicativeNoise(js.Cosine(1.0, 100), seed=12)])
    rows = np.asarray(jax.jit(jax.vmap(lambda m: m(jnp.asarray(steps))))(sweep))
    np.testing.assert_allclose(rows[0], at, rtol=1e-6)
    assert not np.allclose(rows[1], at)
    with jax.enable_x64(True):  # the same draws under x64, to float32's rounding
        wide = np.asarray(jax.jit(lambda t: s(t))(jnp.asarray(steps, jnp.int64)))
    np.testing.assert_allclose(wide, at, rtol=1e-6)


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
