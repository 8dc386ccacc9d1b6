import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxsched as js

MEMBERS = [
    js.ExponentialDecay(0.1, 10, 0.5),
    js.ExponentialDecay(0.2, 20, 0.9),
    js.ExponentialDecay(0.3, 5, 0.99),
]


def test_stack_adds_a_leading_axis_and_unstack_inverts_it():
    batched = js.stack(MEMBERS)
    assert all(np.shape(x) == (3,) for x in jax.tree.leaves(batched))
    assert js.batch_size(batched) == 3
    assert js.unstack(batched) == MEMBERS


def test_vmap_over_stack():
    steps = jnp.arange(0, 50, 7)
    out = jax.vmap(lambda s: s(steps))(js.stack(MEMBERS))
    for row, member in zip(out, MEMBERS):
        np.testing.assert_allclose(row, member(steps), rtol=1e-6)


def test_stack_inside_jit_with_traced_members():
    @jax.jit
    def f(lrs):
        members = [js.ExponentialDecay(lrs[i], 10, 0.5) for i in range(2)]
        return jax.vmap(lambda s: s(10))(js.stack(members))

    np.testing.assert_allclose(f(jnp.array([0.1, 0.2])), [0.05, 0.1], rtol=1e-6)


def test_stack_errors():
    with pytest.raises(ValueError, match="at least one"):
        js.stack([])
    with pytest.raises(TypeError, match="not a Schedule"):
        js.stack([MEMBERS[0], 3.0])
    with pytest.raises(ValueError, match="same structure"):
        js.stack([MEMBERS[0], js.ExponentialDecay(0.1, 10, 0.5, staircase=True)])
    with pytest.raises(ValueError, match="same structure"):
        js.stack([MEMBERS[0], js.InverseTimeDecay(0.1, 10, 0.5)])
    short, long = (
        js.PiecewiseConstant([10], [1.0, 0.5]),
        js.PiecewiseConstant([10, 20], [1.0, 0.5, 0.1]),
    )
    with pytest.raises(ValueError, match=r"element 1 has boundaries of shape \(2,\)"):
        js.stack([short, long])


def test_unstack_errors():
    with pytest.raises(ValueError, match="leading axis"):
        js.unstack(MEMBERS[0])
    with pytest.raises(TypeError, match="expected a Schedule"):
        js.unstack([1, 2])


def test_in_axes_spec_for_vmap():
    batched = js.stack(MEMBERS)
    spec = js.in_axes(batched)
    out = jax.vmap(lambda s, t: s(t), in_axes=(spec, None))(batched, 10)
    np.testing.assert_allclose(out, [m(10) for m in MEMBERS], rtol=1e-6)
    assert js.in_axes(batched, None).decay_steps is None
