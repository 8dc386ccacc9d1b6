import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import assert_finite_sweep, eager

import jaxsched as js
import jaxsched.schedules._join as join_module
from jaxsched.core._fields import leaf
from jaxsched.core._schedule import Schedule

DTYPES_SEEN: list = []
CALL = jax.jit(lambda s, t: s(t))  # the schedule passed in: one compile per structure
GRAD = jax.jit(jax.grad(lambda s, t: s(t).sum(), allow_int=True))


class _StepProbe(Schedule, registered_name="tests.StepProbe"):
    """``offset + step`` in float64-free form; records the step dtype it was given."""

    offset: float = leaf(0.0)

    def __call__(self, step):
        DTYPES_SEEN.append(jnp.asarray(step).dtype)
        return jnp.asarray(self.offset, jnp.float32) + jnp.asarray(step, jnp.float32)


class _Sqrt(Schedule, registered_name="tests.Sqrt"):
    """``scale * sqrt(step)``: NaN for negative steps, like many warmup formulas."""

    scale: float = leaf(1.0)

    def __call__(self, step):
        return jnp.asarray(self.scale, jnp.float32) * jnp.sqrt(
            jnp.asarray(step, jnp.float32)
        )


def _assert_finite(tree):
    for g in jax.tree.leaves(tree):
        if jnp.issubdtype(jnp.result_type(g), jnp.floating):
            assert np.all(np.isfinite(np.asarray(g)))


def _dtype(schedule, steps):
    """The dtype of ``schedule(steps)``, traced but not compiled. (The schedule is
    passed as an argument: ``jax.eval_shape(schedule, ...)`` would key JAX's cache on
    ``schedule == other``, which ignores leaf dtypes.)"""
    return jax.eval_shape(CALL, schedule, steps).dtype


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-7)


def test_parts_see_local_steps_and_switch_at_the_boundary():
    s = js.Join([_StepProbe(0.0), _StepProbe(100.0), _StepProbe(200.0)], [3, 6])
    steps = jnp.arange(-2, 9)
    want = [-2, -1, 0, 1, 2, 100, 101, 102, 200, 201, 202]
    _close(eager(s, steps), want)
    _close(jax.jit(s)(steps), want)


def test_float_steps_and_float_boundaries():
    s = js.Join([_StepProbe(0.0), _StepProbe(100.0)], [2.5])
    _close(
        eager(s, np.array([2.0, 2.4, 2.5, 3.0], np.float32)), [2.0, 2.4, 100.0, 100.5]
    )
    _close(s(3), 100.5)


def test_integer_steps_stay_integer_and_exact_near_int32_max():
    # local step 100000 * 21472 - 1: float32 rounds it up to a whole stair.
    DTYPES_SEEN.clear()
    stair = js.Exponential(1.0, 100_000, 0.9999, staircase=True)
    s = js.Join([_StepProbe(), stair], [1000])
    step = 1000 + 100_000 * 21472 - 1
    assert step <= 2**31 - 1
    out = CALL(s, jnp.array([step], jnp.int32))
    assert DTYPES_SEEN and all(jnp.issubdtype(d, jnp.integer) for d in DTYPES_SEEN)
    rate = float(np.float32(0.9999))  # the float32 rate the schedule computes with
    np.testing.assert_allclose(np.asarray(out), [rate**21471], rtol=1e-5)


def test_unselected_parts_cannot_poison_values_or_gradients():
    s = js.Join([js.Constant(1.0), _Sqrt(2.0)], [10.0])
    steps = jnp.array([0.0, 5.0, 9.5, 10.0, 14.0])
    _close(CALL(s, steps), [1.0, 1.0, 1.0, 0.0, 4.0])

    # sqrt is unselected (and evaluated at 0, where its derivative is infinite)
    # everywhere but at 14.0
    steps = jnp.array([0.0, 5.0, 9.5, 14.0])
    grads = GRAD(s, steps)
    _assert_finite(grads)
    _close(grads.schedules[1].scale, 2.0)  # sqrt(14 - 10)


def test_sweep_with_a_zero_boundary_member_is_finite():
    members = [
        js.Join([js.Linear(0.0, 1.0, w), _Sqrt(1.0)], [w]) for w in (0.0, 4.0, 8.0)
    ]
    steps = jnp.arange(0.5, 12.0)
    out = assert_finite_sweep(members, steps)  # values and gradients, under vmap
    for i, m in enumerate(members):
        _close(out[i], CALL(m, steps))


def test_gradient_wrt_a_float_boundary():
    s = js.Join([js.Constant(0.0), js.Linear(0.0, 10.0, 10.0)], [5.0])
    g = GRAD(s, jnp.array(8.0))
    _close(g.boundaries, [-1.0])  # d/db of (8 - b)


def test_parts_of_different_dtypes_promote():
    s = js.Join([js.Constant(jnp.bfloat16(1.0)), js.Constant(jnp.float32(2.0))], [5])
    assert _dtype(s, jnp.arange(8)) == jnp.float32
    low = js.Join([js.Constant(jnp.bfloat16(1.0)), js.Constant(jnp.bfloat16(2.0))], [5])
    assert _dtype(low, jnp.arange(8)) == jnp.bfloat16
    with jax.numpy_dtype_promotion("strict"):
        assert _dtype(s, jnp.arange(8)) == jnp.float32


def test_single_part_and_many_parts():
    _close(eager(js.Join([js.Constant(0.5)], []), np.arange(3)), [0.5] * 3)
    n = 40
    parts = [js.Constant(float(i)) for i in range(n)]
    s = js.Join(parts, list(range(10, 10 * n, 10)))
    steps = jnp.arange(0, 10 * n + 5, 5)
    _close(jax.jit(s)(steps), np.minimum(np.asarray(steps) // 10, n - 1))


def _equations(parts):
    s = js.Join(parts, list(range(1, len(parts))))
    return len(jax.make_jaxpr(s)(jnp.arange(4)).jaxpr.eqns)


def test_program_does_not_grow_with_same_structure_parts():
    def linear(n):
        return [js.Linear(1.0 / (i + 1), 0.5 / (i + 1), 10 + i) for i in range(n)]

    assert _equations(linear(2000)) == _equations(linear(20))
    assert _equations([js.Constant(float(i)) for i in range(2000)]) == _equations(
        [js.Constant(float(i)) for i in range(20)]
    )


def test_parts_of_mixed_structures_are_each_evaluated():
    def mixed(n):
        return [js.Constant(1.0) if i % 2 else js.Linear(1.0, 0.0, 5) for i in range(n)]

    sizes = [_equations(mixed(n)) for n in (10, 20, 40)]
    assert sizes[2] - sizes[1] == pytest.approx(2 * (sizes[1] - sizes[0]))


def _loop(monkeypatch, join, steps):
    """The join evaluated part by part (the path for few or mixed parts), eagerly
    (``at``)."""
    with monkeypatch.context() as m:
        m.setattr(join_module, "_STACK_MIN_PARTS", 10**9)
        return eager(join, steps)


def test_many_same_structure_parts_match_the_loop(monkeypatch):
    n = 64  # > _STACK_MIN_PARTS (stacked) and > _COMPARE_ALL_MAX (binary search)
    assert n > join_module._STACK_MIN_PARTS and n > join_module._COMPARE_ALL_MAX
    parts = [
        js.Linear(0.1 * 0.999**i, 0.1 * 0.999 ** (i + 1), 7 + i % 5) for i in range(n)
    ]
    s = js.Join(parts, list(range(10, 10 * n, 10)))
    steps = np.concatenate([np.arange(-3, 10 * n + 20), [2**31 - 1]]).astype(np.int32)
    want = _loop(monkeypatch, s, steps)
    _close(eager(s, steps), want)  # eager: concrete leaves, stacked with NumPy
    _close(CALL(s, steps), want)  # traced leaves
    # A 2-d step array and a scalar step, in one program with the schedule closed
    # over: its leaves are concrete when traced, so the same path as eager (NumPy
    # stacking) at one compile instead of an eager compile per op and shape.
    square, scalar = jax.jit(lambda a, b: (s(a), s(b)))(
        steps.reshape(-1, 8), jnp.int32(321)
    )
    _close(square, want.reshape(-1, 8))
    _close(scalar, want[324])


def test_many_parts_stacked_sweep_and_finite_gradients(monkeypatch):
    def member(w):
        parts = [js.Linear(0.0, 1.0, w), *[_Sqrt(float(k)) for k in range(1, 12)]]
        return js.Join(parts, [w, *range(20, 20 + 10 * 11, 10)][: len(parts) - 1])

    members = [member(w) for w in (0.0, 4.0, 8.0)]
    steps = jnp.arange(0.5, 140.0)
    out = assert_finite_sweep(members, steps)  # values and gradients, under vmap
    for i, m in enumerate(members):
        _close(out[i], _loop(monkeypatch, m, steps))


def test_many_parts_with_mixed_leaf_dtypes_promote_as_the_loop(monkeypatch):
    parts = [js.Constant(jnp.bfloat16(1.0))] + [js.Constant(2.0)] * 11
    s = js.Join(parts, list(range(1, 12)))
    assert _dtype(s, jnp.arange(14)) == jnp.float32
    low = js.Join([js.Constant(jnp.bfloat16(i)) for i in range(12)], list(range(1, 12)))
    assert _dtype(low, jnp.arange(14)) == jnp.bfloat16
    _close(eager(low, np.arange(14)), _loop(monkeypatch, low, np.arange(14)))


@pytest.mark.parametrize(
    ("schedules", "boundaries", "match"),
    [
        ([js.Constant(1.0)] * 3, [5], "one fewer than the schedules"),
        ([js.Constant(1.0)] * 2, [5, 6], "one fewer than the schedules"),
        ([js.Constant(1.0)] * 3, [5, 5], "strictly increasing"),
        ([js.Constant(1.0)] * 3, [6, 5], "strictly increasing"),
        ([js.Constant(1.0)] * 2, [-1], ">= 0"),
        ([], [], "one fewer than the schedules"),
        ([js.Constant(1.0)] * 2, 5, "a sequence of numbers"),
    ],
)
def test_invalid_arguments_raise(schedules, boundaries, match):
    with pytest.raises(ValueError, match=match):
        js.Join(schedules, boundaries)


def test_parts_must_be_schedules():
    with pytest.raises(TypeError, match=r"Join: argument `schedules\[1\]`"):
        js.Join([js.Constant(1.0), lambda t: t], [3])


def test_json_round_trip_of_a_nested_join():
    inner = js.Join([js.Linear(0.0, 1.0, 5), js.Cosine(1.0, 20)], [5])
    s = js.Join([inner, js.Constant(0.01)], [25])
    data = json.loads(json.dumps(s.to_dict()))
    again = js.from_dict(data)
    assert again.to_dict() == s.to_dict()
    steps = jnp.arange(0, 40)
    _close(CALL(again, steps), CALL(s, steps))
    assert again == s
    assert hash(again) == hash(s)
    assert again != js.Join([inner, js.Constant(0.02)], [25])
