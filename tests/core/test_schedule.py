"""The Schedule base class: dataclass + pytree + registry, user-defined schedules."""

import dataclasses
import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxsched as js
from jaxsched.core._fields import leaf, static
from jaxsched.core._math import as_step, compute_dtype, value_dtype
from jaxsched.core._validation import POSITIVE


class Linear(js.Schedule, registered_name="tests.Linear"):
    """A user-defined schedule: ``start + slope * step``."""

    start: float = leaf()
    slope: float = leaf()
    horizon: int = leaf(100, check=POSITIVE, count=True)
    clamp: bool = static(False, type=bool)

    def __call__(self, step):
        step = as_step(step)
        dtype = value_dtype(self.start, self.slope)
        ct = compute_dtype(dtype)
        t = step.astype(ct)
        if self.clamp:
            t = jnp.minimum(t, jnp.asarray(self.horizon, ct))
        out = jnp.asarray(self.start, ct) + jnp.asarray(self.slope, ct) * t
        return out.astype(dtype)


def test_subclass_is_a_frozen_dataclass_and_pytree():
    s = Linear(1.0, 0.5)
    assert dataclasses.is_dataclass(s)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.start = 2.0
    leaves, treedef = jax.tree.flatten(s)
    assert leaves == [1.0, 0.5, 100]
    assert jax.tree.unflatten(treedef, leaves) == s
    paths = [jax.tree_util.keystr(p) for p, _ in jax.tree_util.tree_leaves_with_path(s)]
    assert paths == [".start", ".slope", ".horizon"]


def test_static_fields_are_not_leaves_and_change_the_treedef():
    a, b = Linear(1.0, 0.5), Linear(1.0, 0.5, clamp=True)
    assert jax.tree.structure(a) != jax.tree.structure(b)
    assert len(jax.tree.leaves(b)) == 3


def test_user_schedule_is_registered_and_round_trips():
    assert js.registry()["tests.Linear"] is Linear
    s = Linear(1.0, 0.5, 10, clamp=True)
    data = json.loads(json.dumps(s.to_dict()))
    assert data["class_name"] == "tests.Linear"
    again = js.from_dict(data)
    assert again == s
    np.testing.assert_allclose(again(jnp.arange(20)), s(jnp.arange(20)), rtol=0)


def test_register_decorator_renames():
    @js.register("tests.Renamed")
    class Renamed(js.Schedule):
        value: float = leaf()

        def __call__(self, step):
            return jnp.full(jnp.shape(step), self.value, jnp.float32)

    assert js.registry()["tests.Renamed"] is Renamed
    assert "Renamed" not in js.registry()
    assert js.from_dict(Renamed(2.0).to_dict()) == Renamed(2.0)
    assert js.register(Renamed) is Renamed


def test_register_rejects_non_schedules():
    with pytest.raises(TypeError, match=r"subclass of jaxsched\.Schedule"):
        js.register(int)
    with pytest.raises(TypeError, match=r"subclass of jaxsched\.Schedule"):
        js.register(js.Schedule)
    with pytest.raises(ValueError, match="private"):
        js.register("_hidden")


def test_name_clash_with_another_class_is_an_error():
    with pytest.raises(TypeError, match="already registered"):

        class ExponentialDecay(js.Schedule):
            value: float = leaf()


def test_redefining_the_same_class_replaces_it():
    def make():
        class Again(js.Schedule):
            value: float = leaf()

        return Again

    first, second = make(), make()
    assert js.registry()["Again"] is second is not first


def test_validation_runs_on_concrete_values_only():
    with pytest.raises(ValueError, match=r"Linear: argument `horizon` must be > 0"):
        Linear(1.0, 0.5, 0)

    @jax.jit
    def build_inside_jit(horizon):
        return Linear(1.0, 0.5, horizon)(5)

    assert float(build_inside_jit(0)) == 3.5  # traced: not validated
    with js.no_validation():
        spec = Linear(0, 0, 0)
    assert spec.horizon == 0


def test_gradient_trees_are_not_validated():
    # d/d horizon is 0 and d/d slope can be negative: gradients are not hyperparameters.
    grads = jax.grad(lambda s: -s(3.0))(Linear(1.0, 0.5, 10.0))
    assert float(grads.slope) == -3.0
    assert float(grads.horizon) == 0.0


def test_sequences_of_numbers_become_arrays():
    class Knots(js.Schedule):
        points: object = leaf(count=True)

        def __call__(self, step):
            return jnp.sum(jnp.asarray(self.points, jnp.float32)) + 0 * as_step(step)

    k = Knots([1, 2, 3])
    assert isinstance(k.points, np.ndarray)
    assert len(jax.tree.leaves(k)) == 1
    assert k.to_dict()["config"] == {"points": [1, 2, 3]}


def test_nested_schedule_fields_must_be_schedules():
    from jaxsched.core._fields import child

    class Wrapper(js.Schedule):
        inner: js.Schedule = child()

        def __call__(self, step):
            return self.inner(step)

    w = Wrapper(Linear(1.0, 0.5))
    assert js.from_dict(json.loads(json.dumps(w.to_dict()))) == w
    with pytest.raises(TypeError, match="Lambda"):
        Wrapper(lambda step: step)
    with pytest.raises(TypeError, match="a jaxsched Schedule"):
        Wrapper(3.0)


def test_to_dict_of_traced_schedule_is_an_error():
    @jax.jit
    def f(s):
        s.to_dict()
        return s(0)

    with pytest.raises(TypeError, match="cannot be serialized"):
        f(Linear(1.0, 0.5))


def test_base_class_is_abstract():
    with pytest.raises(NotImplementedError):
        js.Schedule()(0)
    with pytest.raises(ValueError, match="unknown schedule class 'Schedule'"):
        js.from_dict({"class_name": "Schedule", "config": {}})


def test_equality_and_hash_compare_numbers_by_value():
    a = js.ExponentialDecay(jnp.float32(0.05), 10, 0.5)
    again = js.from_dict(json.loads(json.dumps(a.to_dict())))
    assert a == again and hash(a) == hash(again)
    assert js.ExponentialDecay(0.1, jnp.int32(10), 0.5) == js.ExponentialDecay(
        0.1, 10, 0.5
    )
    assert a != js.ExponentialDecay(0.06, 10, 0.5)
    assert a != js.ExponentialDecay(jnp.float32(0.05), 10, 0.5, staircase=True)
    piecewise = js.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert piecewise == js.PiecewiseConstantDecay(np.array([10, 20]), [1, 0.5, 0.1])
    assert float(jax.jit(piecewise)(15)) == 0.5  # jit(schedule) hashes array leaves


def test_numpy_numbers_on_the_left_give_schedules():
    s = js.ExponentialDecay(0.1, 10, 0.5)
    assert isinstance(np.float32(2) * s, js.Schedule)
    assert isinstance(np.array(2.0) * s, js.Schedule)


def test_half_precision_leaves_are_not_equal_to_float32_ones():
    """== and hash decide jax.jit(schedule)'s cache: a bfloat16 schedule must not
    reuse the float32 one's program (its output would be float32)."""
    wide, narrow = js.Constant(jnp.float32(2.0)), js.Constant(jnp.bfloat16(2.0))
    assert wide != narrow and wide == js.Constant(2.0)
    assert jax.jit(wide)(1).dtype == jnp.float32
    assert jax.jit(narrow)(1).dtype == jnp.bfloat16


def test_python_number_leaf_keeps_bfloat16_when_passed_into_jit():
    """A Python float leaf is weakly typed once traced: it must not widen a
    bfloat16 schedule (eager, closed over and passed as an argument agree)."""
    s = 2.0 * js.Exponential(jnp.bfloat16(1.0), 10, 0.5)
    assert s(3).dtype == jnp.bfloat16
    assert jax.jit(lambda t: s(t))(3).dtype == jnp.bfloat16
    assert jax.jit(lambda q, t: q(t))(s, 3).dtype == jnp.bfloat16
