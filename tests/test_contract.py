"""The core contract, checked on an example of every registered schedule class."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from examples import ALL, EXAMPLES, registered_classes

import jaxsched as js

IDS = [name for name, _ in ALL]
SCHEDULES = [item for _, item in ALL]
STEPS_INT = jnp.array([-3, 0, 1, 2, 5, 9, 10, 11, 50, 99, 100, 101, 1000, 10**6])
STEPS_FLOAT = jnp.array([-2.5, 0.0, 0.5, 1.0, 9.5, 10.0, 10.5, 99.5, 1e4, 1e6])

contract = pytest.mark.parametrize("schedule", SCHEDULES, ids=IDS)


def test_every_registered_class_has_an_example():
    missing = sorted(set(registered_classes()) - {c.__name__ for c in EXAMPLES})
    assert not missing, f"registered classes without an example: {missing}"


def test_every_registered_class_is_exported():
    for name, cls in registered_classes().items():
        assert getattr(js, cls.__name__) is cls, name
        assert cls.__name__ in js.__all__


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-6, atol=1e-7)


@contract
@pytest.mark.parametrize("steps", [STEPS_INT, STEPS_FLOAT], ids=["int", "float"])
def test_jit_equals_eager(schedule, steps):
    eager = schedule(steps)
    assert eager.shape == steps.shape
    _close(jax.jit(lambda s, t: s(t))(schedule, steps), eager)
    _close(jax.jit(schedule)(steps), eager)


@contract
def test_scalar_steps_of_every_kind(schedule):
    expected = schedule(jnp.array(7))
    for step in (7, 7.0, np.int64(7), np.float32(7), jnp.int32(7), jnp.float32(7)):
        out = schedule(step)
        assert out.shape == ()
        _close(out, expected)


@contract
def test_default_dtype_is_float32(schedule):
    assert schedule(STEPS_INT).dtype == jnp.float32
    assert schedule(STEPS_FLOAT).dtype == jnp.float32


@contract
def test_one_compile_across_values(schedule):
    traces = []

    @jax.jit
    def f(s, t):
        traces.append(1)
        return s(t)

    f(schedule, STEPS_INT)
    doubled = jax.tree.map(lambda x: x, schedule)  # same structure, fresh leaves
    f(doubled, STEPS_INT)
    stacked = js.stack([schedule, schedule])
    f(js.unstack(stacked)[1], STEPS_INT)
    assert len(traces) == 1


@contract
def test_vmap_over_stack_equals_loop(schedule):
    same_structure = [
        s
        for s in EXAMPLES[type(schedule)]
        if jax.tree.structure(s) == jax.tree.structure(schedule)
    ]
    members = [schedule, *same_structure]
    batched = js.stack(members)
    out = jax.vmap(lambda s: s(STEPS_INT))(batched)
    for i, member in enumerate(members):
        _close(out[i], member(STEPS_INT))
    assert [m.to_dict() for m in js.unstack(batched)] == [m.to_dict() for m in members]


@contract
def test_json_round_trip(schedule):
    data = schedule.to_dict()
    text = json.dumps(data, allow_nan=False)
    again = js.from_dict(json.loads(text))
    assert type(again) is type(schedule)
    assert again.to_dict() == data
    _close(again(STEPS_INT), schedule(STEPS_INT))
    _close(again(STEPS_FLOAT), schedule(STEPS_FLOAT))
    assert type(schedule).from_config(schedule.get_config()).to_dict() == data


@contract
def test_traced_values_pass_through_init(schedule):
    leaves, treedef = jax.tree.flatten(schedule)
    fields = [f for f in type(schedule).__dataclass_fields__.values()]
    assert fields

    @jax.jit
    def rebuild_and_call(leaves):
        # Calls __init__ through the constructor with tracers as leaves.
        rebuilt = jax.tree.unflatten(treedef, leaves)
        kwargs = {f.name: getattr(rebuilt, f.name) for f in fields if f.init}
        return type(schedule)(**kwargs)(STEPS_INT)

    _close(rebuild_and_call(leaves), schedule(STEPS_INT))


@contract
def test_placeholders_pass_through_tree_map(schedule):
    sentinel = object()
    spec = jax.tree.map(lambda _: sentinel, schedule)
    assert all(x is sentinel for x in jax.tree.leaves(spec))
    axes = js.in_axes(schedule)
    assert all(x == 0 for x in jax.tree.leaves(axes))
    with js.no_validation():
        zeros = jax.tree.map(lambda _: 0, schedule)
    assert all(x == 0 for x in jax.tree.leaves(zeros))


@contract
def test_grad_wrt_float_leaves_is_finite(schedule):
    def total(s):
        return s(jnp.array([0, 3, 12, 40])).sum()

    grads = jax.grad(total, allow_int=True)(schedule)
    for g in jax.tree.leaves(grads):
        if jnp.issubdtype(jnp.result_type(g), jnp.floating):
            assert np.all(np.isfinite(np.asarray(g, dtype=np.float64)))


@contract
def test_works_as_optax_learning_rate(schedule):
    import optax

    optimizer = optax.sgd(learning_rate=schedule)
    params = {"w": jnp.ones(3)}
    state = optimizer.init(params)
    updates, state = jax.jit(optimizer.update)({"w": jnp.ones(3)}, state, params)
    _close(updates["w"], -schedule(0) * jnp.ones(3))
