"""``sin_quarter_turn``: the float32 sine of an exactly reduced argument that
``Cosine`` evaluates (a polynomial, faster than XLA's ``sin`` on CPUs)."""

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.schedules._primitives import sin_quarter_turn


def test_within_two_ulp_of_the_float64_sine_on_the_quarter_turn():
    x = np.linspace(-np.pi / 2, np.pi / 2, 1_000_001, dtype=np.float32)
    x = np.concatenate([x, np.float32([0.0, 1e-30, -1e-7, np.pi / 2, -np.pi / 2])])
    got = np.asarray(jax.jit(sin_quarter_turn)(x), np.float64)
    ref = np.sin(x.astype(np.float64))
    ulp = np.spacing(np.abs(ref).astype(np.float32)).astype(np.float64)
    assert np.max(np.abs(got - ref) / ulp) <= 2.5
    assert got[-5] == 0.0 and got[-4] == np.float32(1e-30)  # odd: exact near 0
    assert np.all(np.abs(got) <= 1.0)


def test_other_dtypes_take_jnp_sin():
    with jax.enable_x64(True):
        x = jnp.linspace(-1.5, 1.5, 7, dtype=jnp.float64)
        np.testing.assert_array_equal(sin_quarter_turn(x), jnp.sin(x))
