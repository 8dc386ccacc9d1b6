"""The core contract, checked on the examples of every registered schedule class.

The jitted helpers below are module-level, so examples of the same structure share
one compilation across all the tests here (each test still compiles what it must
check compiles).
"""

import dataclasses
import functools
import json

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from examples import ALL, EXAMPLES, registered_classes

import jaxsched as js

BY_ID = dict(ALL)
IDS = list(BY_ID)
FIRST_OF_CLASS = [name for name in IDS if name.endswith("-0")]
STEPS_INT = jnp.array([-3, 0, 1, 2, 5, 9, 10, 11, 50, 99, 100, 101, 1000, 10**6])
STEPS_FLOAT = jnp.array([-2.5, 0.0, 0.5, 1.0, 9.5, 10.0, 10.5, 99.5, 1e4, 1e6])
STEPS = {"int": STEPS_INT, "float": STEPS_FLOAT}
GRAD_STEPS = jnp.array([0, 3, 12, 40])

CALL = jax.jit(lambda s, t: s(t))
VMAP_CALL = jax.jit(jax.vmap(lambda s, t: s(t), in_axes=(0, None)))
GRAD = jax.jit(jax.grad(lambda s: s(GRAD_STEPS).sum(), allow_int=True))


@jax.jit
def _sgd_update(schedule, grads):
    optimizer = optax.sgd(learning_rate=schedule)
    params = jax.tree.map(jnp.ones_like, grads)
    return optimizer.update(grads, optimizer.init(params), params)[0]


contract = pytest.mark.parametrize("name", IDS)
per_class = pytest.mark.parametrize("name", FIRST_OF_CLASS)


@functools.cache
def eager(name, kind):
    return BY_ID[name](STEPS[kind])


@functools.cache
def jitted(name, kind):
    return CALL(BY_ID[name], STEPS[kind])


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-6, atol=1e-7)


def test_every_registered_class_has_an_example():
    missing = sorted(set(registered_classes()) - {c.__name__ for c in EXAMPLES})
    assert not missing, f"registered classes without an example: {missing}"


def test_every_registered_class_is_exported():
    for name, cls in registered_classes().items():
        assert getattr(js, cls.__name__) is cls, name
        assert cls.__name__ in js.__all__


@contract
def test_jit_equals_eager_at_float_steps(name):
    """Integer steps in eager / jit / jit-closed: tests/test_key_steps.py's edge
    grids; float steps here (half steps, negative, far beyond)."""
    result = eager(name, "float")
    assert result.shape == STEPS_FLOAT.shape
    _close(jitted(name, "float"), result)


@per_class
def test_jit_of_the_schedule_itself(name):
    schedule = BY_ID[name]
    _close(jax.jit(schedule)(STEPS_INT), jitted(name, "int"))


@per_class
def test_scalar_steps_of_every_kind(name):
    schedule = BY_ID[name]
    expected = CALL(schedule, jnp.int32(7))
    assert expected.shape == ()
    _close(schedule(7), expected)
    _close(schedule(7.0), expected)
    for step in (np.int64(7), np.float32(7), jnp.float32(7), jnp.int32(7)):
        out = CALL(schedule, step)
        assert out.shape == ()
        _close(out, expected)
    assert CALL(schedule, jnp.full((2, 3), 7)).shape == (2, 3)


@contract
def test_default_dtype_is_float32(name):
    assert jitted(name, "int").dtype == jnp.float32
    assert jitted(name, "float").dtype == jnp.float32


@contract
def test_one_compile_across_values(name):
    schedule = BY_ID[name]
    CALL(schedule, STEPS_INT)
    compiled = CALL._cache_size()
    CALL(jax.tree.map(lambda x: x, schedule), STEPS_INT)  # same structure, new leaves
    CALL(js.unstack(js.stack([schedule, schedule]))[1], STEPS_INT)
    assert CALL._cache_size() == compiled


@contract
def test_vmap_over_stack_equals_loop(name):
    schedule = BY_ID[name]
    structure = jax.tree.structure(schedule)
    members = [schedule] + [
        s for s in EXAMPLES[type(schedule)] if jax.tree.structure(s) == structure
    ]
    members = [
        m
        for m in members
        if [np.shape(x) for x in jax.tree.leaves(m)]
        == [np.shape(x) for x in jax.tree.leaves(schedule)]
    ]
    batched = js.stack(members)
    out = VMAP_CALL(batched, STEPS_INT)
    for i, member in enumerate(members):
        _close(out[i], CALL(member, STEPS_INT))
    assert [m.to_dict() for m in js.unstack(batched)] == [m.to_dict() for m in members]


@contract
def test_json_round_trip(name):
    schedule = BY_ID[name]
    data = schedule.to_dict()
    again = js.from_dict(json.loads(json.dumps(data, allow_nan=False)))
    assert type(again) is type(schedule)
    assert again.to_dict() == data
    for kind, steps in STEPS.items():
        _close(CALL(again, steps), jitted(name, kind))
    assert type(schedule).from_config(schedule.get_config()).to_dict() == data


@per_class
def test_traced_values_pass_through_init(name):
    schedule = BY_ID[name]
    leaves, treedef = jax.tree.flatten(schedule)
    fields = [f for f in dataclasses.fields(schedule) if f.init]

    @jax.jit
    def rebuild_and_call(leaves):
        # Calls __init__ through the constructor with tracers as leaves.
        rebuilt = jax.tree.unflatten(treedef, leaves)
        kwargs = {f.name: getattr(rebuilt, f.name) for f in fields}
        return type(schedule)(**kwargs)(STEPS_INT)

    _close(rebuild_and_call(leaves), jitted(name, "int"))


@contract
def test_placeholders_pass_through_tree_map(name):
    schedule = BY_ID[name]
    sentinel = object()
    spec = jax.tree.map(lambda _: sentinel, schedule)
    assert all(x is sentinel for x in jax.tree.leaves(spec))
    axes = js.in_axes(schedule)
    assert all(x == 0 for x in jax.tree.leaves(axes))
    with js.no_validation():
        zeros = jax.tree.map(lambda _: 0, schedule)
    assert all(x == 0 for x in jax.tree.leaves(zeros))


@contract
def test_grad_wrt_float_leaves_is_finite(name):
    grads = GRAD(BY_ID[name])
    for g in jax.tree.leaves(grads):
        if jnp.issubdtype(jnp.result_type(g), jnp.floating):
            assert np.all(np.isfinite(np.asarray(g, dtype=np.float64)))


#: optax calls every schedule the same way (an int32 scalar count, checked for every
#: class in test_scalar_steps_of_every_kind): one class of each family here.
OPTAX_CASES = [
    "ExponentialDecay-0",
    "Warmup-0",
    "OneCycleLR-0",
    "CosineWithWarmup-0",
    "Join-0",
    "Sum-0",
]


@pytest.mark.parametrize("name", OPTAX_CASES)
def test_works_as_optax_learning_rate(name):
    schedule = BY_ID[name]
    updates = _sgd_update(schedule, {"w": jnp.ones(3)})
    _close(updates["w"], -CALL(schedule, 0) * jnp.ones(3))
