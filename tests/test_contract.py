"""The core contract, checked on the examples of every registered schedule class.

Values go through ``helpers.values``, the suite's one jitted evaluation (the schedule
passed in, steps padded to one shape), so this module compiles nothing that
tests/test_key_steps.py (which checks every example against the float64 truth at its
edges, in eager, jit-arg and jit-closed modes, at integer and float steps) does not
compile anyway; sweeps compute values and gradients of every example of a class in
one program.
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
from helpers import (
    _VALUES,
    SWEEP_STEPS,
    assert_finite_grads,
    group_sweeps,
    structure_groups,
    values,
)

import jaxsched as js

BY_ID = dict(ALL)
IDS = list(BY_ID)
FIRST_OF_CLASS = [name for name in IDS if name.endswith("-0")]
STEPS_INT = np.array([-3, 0, 1, 2, 5, 9, 10, 11, 50, 99, 100, 101, 1000, 10**6])
STEPS_FLOAT = np.array([-2.5, 0.0, 0.5, 1.0, 9.5, 10.0, 10.5, 99.5, 1e4, 1e6])


@jax.jit
def _sgd_update(schedule, grads):
    optimizer = optax.sgd(learning_rate=schedule)
    params = jax.tree.map(jnp.ones_like, grads)
    return optimizer.update(grads, optimizer.init(params), params)[0]


contract = pytest.mark.parametrize("name", IDS)
per_class = pytest.mark.parametrize("name", FIRST_OF_CLASS)


@functools.cache
def jitted(name):
    """The example's values at STEPS_INT and STEPS_FLOAT (jit, passed in)."""
    return values(BY_ID[name], STEPS_INT, STEPS_FLOAT)


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-6, atol=1e-7)


def test_every_registered_class_has_an_example():
    missing = sorted(set(registered_classes()) - {c.__name__ for c in EXAMPLES})
    assert not missing, f"registered classes without an example: {missing}"


def test_every_registered_class_is_exported():
    for name, cls in registered_classes().items():
        assert getattr(js, cls.__name__) is cls, name
        assert cls.__name__ in js.__all__


@per_class
def test_scalar_steps_of_every_kind(name):
    # optax calls a schedule with an int32 scalar count under jit; ``jax.jit`` of the
    # schedule itself (hashed by its leaves' values; its leaves folded as constants,
    # as at every step of tests/test_key_steps.py's closed-over mode); eager takes
    # any scalar; shapes follow the step (from tracing).
    schedule = BY_ID[name]
    expected = values(schedule, [7], [7.0])
    out = jax.jit(schedule)(jnp.int32(7))
    assert out.shape == ()
    _close(out, expected[0][0])
    for step in (7, np.int64(7), jnp.int32(7)):
        _close(schedule(step), expected[0][0])
    for step in (7.0, np.float32(7), jnp.float32(7)):
        _close(schedule(step), expected[1][0])
    for shape, dtype in (((), jnp.float32), ((2, 3), jnp.int32), ((5,), jnp.int32)):
        step = jax.ShapeDtypeStruct(shape, dtype)
        assert jax.eval_shape(schedule, step).shape == shape


@contract
def test_default_dtype_is_float32(name):
    schedule = BY_ID[name]
    for dtype in (jnp.int32, jnp.float32):
        step = jax.ShapeDtypeStruct((4,), dtype)
        assert jax.eval_shape(lambda s, t: s(t), schedule, step).dtype == jnp.float32


@contract
def test_one_compile_across_values(name):
    schedule = BY_ID[name]
    jitted(name)
    compiled = _VALUES._cache_size()
    values(jax.tree.map(lambda x: x, schedule), STEPS_INT)  # same structure, new leaves
    values(js.unstack(js.stack([schedule, schedule]))[1], STEPS_INT)
    assert _VALUES._cache_size() == compiled


@functools.cache
def class_sweeps(cls):
    """The class's examples in groups of one structure (and leaf shapes), each group
    stacked: ``[(members, values (members, steps), gradients)]``."""
    groups = structure_groups(EXAMPLES[cls])
    results = group_sweeps(groups, SWEEP_STEPS)
    return [(m, v, g) for m, (v, g) in zip(groups, results)]


def _group_of(name):
    """The example's group in ``class_sweeps``: (members, values, gradients)."""
    schedule = BY_ID[name]
    (group,) = [
        group
        for group in class_sweeps(type(schedule))
        if any(m is schedule for m in group[0])
    ]
    return group


@contract
def test_vmap_over_stack_equals_loop_with_finite_gradients(name):
    """The example stacked with its class's examples of the same structure: vmap
    equals each member alone, and gradients with respect to every float leaf are
    finite (every example of the class in one program)."""
    members, out, grads = _group_of(name)
    for i, member in enumerate(members):
        _close(out[i], values(member, SWEEP_STEPS)[0])
    assert_finite_grads(grads, name)
    batched = js.stack(members)
    assert [m.to_dict() for m in js.unstack(batched)] == [m.to_dict() for m in members]


@contract
def test_json_round_trip(name):
    schedule = BY_ID[name]
    data = schedule.to_dict()
    again = js.from_dict(json.loads(json.dumps(data, allow_nan=False)))
    assert type(again) is type(schedule)
    assert again.to_dict() == data
    for got, want in zip(values(again, STEPS_INT, STEPS_FLOAT), jitted(name)):
        _close(got, want)
    assert type(schedule).from_config(schedule.get_config()).to_dict() == data


@per_class
def test_traced_values_pass_through_init(name):
    """The constructor called with tracers as leaves (as ``jax.tree.unflatten`` and
    transformations do) passes them through: the traced program is the same as the
    schedule's own, op for op."""
    schedule = BY_ID[name]
    leaves, treedef = jax.tree.flatten(schedule)
    fields = [f for f in dataclasses.fields(schedule) if f.init]
    steps = jnp.asarray(STEPS_INT)

    def rebuild_and_call(leaves):
        rebuilt = jax.tree.unflatten(treedef, leaves)
        kwargs = {f.name: getattr(rebuilt, f.name) for f in fields}
        return type(schedule)(**kwargs)(steps)

    def call(leaves):
        return jax.tree.unflatten(treedef, leaves)(steps)

    assert str(jax.make_jaxpr(rebuild_and_call)(leaves)) == str(
        jax.make_jaxpr(call)(leaves)
    )


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
    _close(updates["w"], -values(schedule, [0])[0][0] * np.ones(3))
