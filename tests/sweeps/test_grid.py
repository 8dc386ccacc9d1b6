"""Sweeps: ``grid``, ``grid_points``, ``fixed``, ``as_arrays``; every leaf sweepable."""

import dataclasses
import doctest
import functools
import importlib
import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import call_padded, padded
from sweep_checks import check_stacked_call

import jaxsched as js

# tests/examples (imported by name: ruff sorts `examples` differently depending on
# whether a top-level examples/ folder exists)
EXAMPLES = importlib.import_module("examples").EXAMPLES
CLASSES = sorted(EXAMPLES, key=lambda cls: cls.__name__)

STEPS = jnp.array([0, 1, 5, 10, 33, 100, 1000])
LEAF_STEPS = [0, 1, 3, 7, 20, 64, 500]
RTOL = 2e-6


def _close(a, b, rtol=RTOL):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=1e-7)


# A sweep (passed in) under vmap at padded steps: one compile per structure and
# member count, shared by the tests below.
_MEMBERS = jax.jit(lambda batched, steps: jax.vmap(lambda s: s(steps))(batched))


def _evaluate(batched, steps=STEPS):
    """Every member's values at ``steps`` (one jitted vmap, steps padded)."""
    steps = np.asarray(steps)
    return _MEMBERS(batched, padded(steps))[:, : steps.size]


def _ref(schedule, steps=STEPS):
    """One schedule's own values at ``steps`` (``helpers.values``: one program per
    structure, shared with the suite)."""
    return call_padded(schedule, np.asarray(steps))


# ------------------------------------------------------------------------- grid


def test_grid_is_the_cartesian_product_in_order():
    lrs, rates = [0.1, 0.3, 1.0], [0.5, 0.9]
    batched = js.grid(
        js.ExponentialDecay, initial_learning_rate=lrs, decay_steps=10, decay_rate=rates
    )
    assert js.batch_size(batched) == 6
    for x in jax.tree.leaves(batched):  # the fixed decay_steps is broadcast too
        assert np.shape(x) == (6,)
    expected = [js.ExponentialDecay(lr, 10, rate) for lr in lrs for rate in rates]
    assert [m.to_dict() for m in js.unstack(batched)] == [m.to_dict() for m in expected]
    out = _evaluate(batched)
    for row, member in zip(out, expected):
        _close(row, _ref(member))
    grid_shape = out.reshape(len(lrs), len(rates), len(STEPS))
    _close(grid_shape[2, 0], _ref(expected[4]))
    points = js.grid_points(initial_learning_rate=lrs, decay_steps=10, decay_rate=rates)
    assert points[4] == {"initial_learning_rate": 1.0, "decay_rate": 0.5}


def _inverse_time_grid(lrs, decay_steps):
    """``InverseTimeDecay`` over learning rates x decay steps, decay rate 0.5."""
    return js.grid(
        js.InverseTimeDecay,
        initial_learning_rate=lrs,
        decay_steps=decay_steps,
        decay_rate=0.5,
    )


def test_grid_stack_unstack_round_trip():
    batched = _inverse_time_grid([0.1, 0.2], [1.0, 4.0])
    again = js.stack(js.unstack(batched))
    assert jax.tree.structure(again) == jax.tree.structure(batched)
    for a, b in zip(jax.tree.leaves(again), jax.tree.leaves(batched)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "axis",
    [
        [0.1, 0.2, 0.4],
        (0.1, 0.2, 0.4),
        np.array([0.1, 0.2, 0.4]),
        jnp.array([0.1, 0.2, 0.4]),
    ],
    ids=["list", "tuple", "numpy", "jax"],
)
def test_grid_axis_kinds(axis):
    batched = js.grid(
        js.ExponentialDecay,
        initial_learning_rate=axis,
        decay_steps=range(10, 40, 10),
        decay_rate=0.5,
    )
    assert js.batch_size(batched) == 9
    members = js.unstack(batched)
    _close(_ref(members[5]), _ref(js.ExponentialDecay(0.2, 30, 0.5)), rtol=1e-6)


def test_grid_keeps_the_dtype_of_numpy_axes():
    batched = js.grid(
        js.ExponentialDecay,
        initial_learning_rate=np.array([0.1, 0.2], dtype=jnp.bfloat16),
        decay_steps=10,
        decay_rate=np.array([0.5], dtype=jnp.bfloat16),
    )
    assert _evaluate(batched).dtype == jnp.bfloat16


def test_grid_with_a_factory_function():
    def halved(lr, steps):
        return js.ExponentialDecay(lr, decay_steps=steps, decay_rate=0.5)

    batched = js.grid(halved, lr=[0.1, 1.0], steps=[10, 20])
    assert js.grid_points(lr=[0.1, 1.0], steps=[10, 20])[1] == {"lr": 0.1, "steps": 20}
    _close(_evaluate(batched)[1], _ref(halved(0.1, 20)))


def test_grid_over_fixed_and_swept_sequences():
    # A factory taking a sequence: `fixed` holds it, a list of lists sweeps it.
    def first_of(rates, lr):
        return js.ExponentialDecay(lr, 10, rates[0])

    held = js.grid(first_of, rates=js.fixed([0.5, 0.9]), lr=[0.1, 0.2])
    assert js.batch_size(held) == 2
    _close(_evaluate(held)[1], _ref(js.ExponentialDecay(0.2, 10, 0.5)))
    swept = js.grid(first_of, rates=[[0.5, 0.9], [0.8, 0.1]], lr=0.1)
    _close(_evaluate(swept)[1], _ref(js.ExponentialDecay(0.1, 10, 0.8)))
    rows = js.grid(first_of, rates=np.array([[0.5, 0.9], [0.8, 0.1]]), lr=0.1)
    assert js.batch_size(rows) == 2
    assert repr(js.fixed([1])) == "fixed([1])"


def test_grid_with_nothing_swept_has_one_member():
    batched = js.grid(
        js.ExponentialDecay, initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5
    )
    assert js.batch_size(batched) == 1
    assert js.grid_points(a=1) == [{}]


def test_grid_errors():
    with pytest.raises(ValueError, match="axis `decay_rate` is empty"):
        js.grid(
            js.ExponentialDecay,
            initial_learning_rate=0.1,
            decay_steps=10,
            decay_rate=[],
        )
    with pytest.raises(ValueError, match=r"member 1 .*decay_steps.* must be > 0"):
        js.grid(
            js.ExponentialDecay,
            initial_learning_rate=0.1,
            decay_steps=[10, 0],
            decay_rate=0.5,
        )
    with pytest.raises(TypeError, match="missing"):
        js.grid(js.ExponentialDecay, initial_learning_rate=[0.1, 0.2])
    with pytest.raises(
        ValueError, match=r"axes \['staircase'\] change the computation"
    ):
        js.grid(
            js.ExponentialDecay,
            initial_learning_rate=0.1,
            decay_steps=10,
            decay_rate=0.5,
            staircase=[False, True],
        )
    with pytest.raises(TypeError, match="expected a schedule class"):
        js.grid(3, a=[1, 2])
    with pytest.raises(TypeError, match="returned float, not a jaxsched Schedule"):
        js.grid(lambda a: a * 1.0, a=[1, 2])

    @jax.jit
    def traced(lrs):
        return js.grid(
            js.ExponentialDecay,
            initial_learning_rate=lrs,
            decay_steps=10,
            decay_rate=0.5,
        )

    with pytest.raises(TypeError, match="traced value"):
        traced(jnp.array([0.1, 0.2]))


# ------------------------------------------------------- every leaf is sweepable


def _other_values(value):
    """Candidate valid values different from ``value``, of the same kind."""
    array = np.asarray(value)
    if array.dtype.kind in "iu":
        candidates = [array + 1, array * 2, array + 3]
    else:
        candidates = [array * 0.5, array * 2, array + 0.5, array + 1]
    out = []
    for c in candidates:
        if not np.array_equal(c, array):
            out.append(c.item() if c.ndim == 0 else c.tolist())
    return out


def _leaf_names(cls):
    return [
        f.name
        for f in dataclasses.fields(EXAMPLES[cls][0])
        if f.metadata.get("kind", "leaf") == "leaf" and f.init
    ]


def _swept_members(cls, name):
    """Two members that differ in leaf ``name``: a two-member ``grid`` over it with
    every other field held by ``fixed``, or (where a cross-field constraint keeps a
    field from changing alone, e.g. warmup + stable + decay == training steps) two
    examples of one structure that differ in it."""
    for example in EXAMPLES[cls]:
        original = getattr(example, name)
        if original is None:
            continue
        for candidate in _other_values(original):
            try:
                other = dataclasses.replace(example, **{name: candidate})
            except ValueError:
                continue
            held = {
                f.name: js.fixed(getattr(example, f.name))
                for f in dataclasses.fields(example)
                if f.init and f.name != name
            }
            if isinstance(original, np.ndarray):
                original = original.tolist()
            members = js.unstack(js.grid(cls, **held, **{name: [original, candidate]}))
            assert [m.to_dict() for m in members] == [
                example.to_dict(),
                other.to_dict(),
            ]
            return members
    for a, b in itertools.combinations(EXAMPLES[cls], 2):
        if jax.tree.structure(a) != jax.tree.structure(b):
            continue
        if not np.array_equal(
            np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
        ):
            return [a, b]
    pytest.fail(f"no sweep found for {cls.__name__}.{name}")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_numeric_leaf_can_be_swept(cls):
    """For every leaf of every class, members that differ only in it, all in one
    sweep per structure, called directly (``_sweep_aware``: one jitted vmap): each
    row is that member's own value (also what ``test_stacked_call`` relies on)."""
    by_structure = {}
    for name in _leaf_names(cls):
        for member in _swept_members(cls, name):
            by_structure.setdefault(jax.tree.structure(member), []).append(member)
    for members in by_structure.values():
        check_stacked_call(members, LEAF_STEPS)


# --------------------------------------------------------- degenerate members


def _warmup_cosine(peak, warmup):
    return js.Warmup(js.Cosine(peak, 50), warmup)


DEGENERATE = {
    # name: (factory, axes); each grid has a member with a zero-length phase or a
    # zero rate next to ordinary members.
    "exponential-rate-0": (
        js.ExponentialDecay,
        {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": [0.0, 0.5]},
    ),
    "exponential-staircase-rate-0": (
        lambda lr, n, rate: js.ExponentialDecay(lr, n, rate, staircase=True),
        {"lr": [0.1, 1.0], "n": [1, 7], "rate": [0.0, 0.9]},
    ),
    "inverse-time-rate-0": (
        js.InverseTimeDecay,
        {
            "initial_learning_rate": 0.1,
            "decay_steps": [1.0, 1e-3],
            "decay_rate": [0.0, 2.0],
        },
    ),
    "optax-warmup-cosine-warmup-0": (
        js.warmup_cosine_decay_schedule,
        {
            "init_value": 0.0,
            "peak_value": [0.1, 1.0],
            "warmup_steps": [0, 1, 10],
            "decay_steps": 100,
        },
    ),
    "warmup-combinator-warmup-0": (
        _warmup_cosine,
        {"peak": [0.5, 1.0], "warmup": [0, 5]},
    ),
    "linear-transition-0": (
        js.Linear,
        {"init_value": 1.0, "end_value": 0.0, "transition_steps": [0, 10]},
    ),
    "polynomial-transition-0": (
        js.Polynomial,
        {
            "init_value": 1.0,
            "end_value": 0.0,
            "power": [1.0, 2.0],
            "transition_steps": [0, 10],
        },
    ),
    "exponential-transition-0": (
        js.Exponential,
        {"init_value": 1.0, "transition_steps": [0, 10], "decay_rate": [0.0, 0.5]},
    ),
    "hf-cosine-warmup-0-decay-0": (
        js.CosineWithWarmup,
        {
            "learning_rate": 0.1,
            "num_warmup_steps": [0, 10],
            "num_training_steps": [10, 100],
        },
    ),
    "wsd-phases-0": (
        js.WarmupStableDecay,
        {
            "learning_rate": 0.5,
            "num_warmup_steps": [0, 2],
            "num_decay_steps": [0, 4],
            "num_training_steps": 10,
        },
    ),
    "onecycle-pct-start-0": (
        js.OneCycleLR,
        {"max_lr": 1.0, "total_steps": [10, 100], "pct_start": [0.0, 0.3]},
    ),
    "interpolate-repeated-boundary": (
        js.PiecewiseInterpolate,
        {"boundaries": [[0, 0, 20], [0, 5, 20]], "values": js.fixed([1.0, 2.0, 0.5])},
    ),
}


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_degenerate_member_does_not_poison_values_or_grads(name):
    factory, axes = DEGENERATE[name]
    batched = js.grid(factory, **axes)
    steps = jnp.array([0, 1, 2, 4, 9, 10, 11, 20, 100])

    def total(s):
        return s(steps).sum()

    @jax.jit
    def value_and_grad(s):
        return s(steps), jax.grad(total, allow_int=True)(s)

    values, grads = jax.jit(jax.vmap(value_and_grad))(batched)
    assert np.all(np.isfinite(values))
    for i, member in enumerate(js.unstack(batched)):
        value, solo = value_and_grad(member)
        _close(values[i], value, rtol=1e-5)
        for g_batch, g_solo in zip(jax.tree.leaves(grads), jax.tree.leaves(solo)):
            if jnp.issubdtype(jnp.result_type(g_solo), jnp.floating):
                assert np.all(np.isfinite(g_batch[i])), (name, i)
                _close(g_batch[i], g_solo, rtol=1e-4)


def test_grid_over_child_schedules_and_step_counts():
    children = [js.Cosine(1.0, 100), js.Cosine(0.5, 50, alpha=0.1)]
    batched = js.grid(js.Warmup, schedule=children, warmup_steps=[0, 10, 30])
    assert js.batch_size(batched) == 6
    steps = jnp.arange(0, 200, 9)
    out = _evaluate(batched, steps)
    _close(out[5], _ref(js.Warmup(children[1], 30), steps), rtol=1e-5)
    _close(out[0], _ref(children[0], steps), rtol=1e-5)  # warmup_steps=0: no warmup


def test_grid_over_boundaries():
    # A 2-D axis sweeps whole boundary arrays; `fixed` shares the values.
    batched = js.grid(
        js.PiecewiseConstant,
        boundaries=[[10, 20], [5, 50], [0, 1]],
        values=js.fixed([1.0, 0.5, 0.1]),
    )
    assert batched.boundaries.shape == (3, 2)
    assert batched.values.shape == (3, 3)
    out = _evaluate(batched)
    for row, bounds in zip(out, ([10, 20], [5, 50], [0, 1])):
        _close(row, _ref(js.PiecewiseConstant(bounds, [1.0, 0.5, 0.1])))
    milestones = js.grid(
        js.MultiStepLR,
        learning_rate=[0.1, 1.0],
        milestones=np.array([[3, 10], [30, 100]]),
        gamma=0.5,
    )
    _close(_evaluate(milestones)[3], _ref(js.MultiStepLR(1.0, [30, 100], 0.5)))


def test_warmup_cosine_sweep_over_step_counts_matches_optax():
    import optax

    axes = dict(peak_value=[0.1, 1.0], warmup_steps=[0, 5, 20], decay_steps=[50, 100])
    batched = js.grid(js.warmup_cosine_decay_schedule, init_value=0.0, **axes)
    assert js.batch_size(batched) == 12
    steps = jnp.arange(0, 120, 7)
    out = _evaluate(batched, steps)
    points = js.grid_points(**axes)

    @jax.jit  # optax's own schedules, every point in one program
    def expected(steps):
        return [optax.warmup_cosine_decay_schedule(0.0, **p)(steps) for p in points]

    for row, want in zip(out, expected(steps), strict=True):
        _close(row, want, rtol=1e-5)


# ------------------------------------------------------------ vmap axis specs


def test_partial_axis_spec_built_without_validation():
    # Only the learning rate is batched; the spec holds 0 / None where a real schedule
    # would need decay_steps > 0, so it is built with no_validation().
    schedule = js.ExponentialDecay(jnp.array([0.1, 0.2, 0.4]), 10, 0.5)
    with js.no_validation():
        spec = js.ExponentialDecay(0, None, None)
    out = jax.jit(jax.vmap(lambda s: s(STEPS), in_axes=(spec,)))(schedule)
    for row, lr in zip(out, [0.1, 0.2, 0.4]):
        _close(row, _ref(js.ExponentialDecay(lr, 10, 0.5)))
    with pytest.raises(ValueError, match="decay_steps"):
        js.ExponentialDecay(0, 0, 0)


def test_vmap_over_schedules_and_steps_at_once():
    batched = _inverse_time_grid([0.1, 1.0], [2, 3])
    steps = jnp.array([0, 5, 7, 11])  # one step per member
    paired = jax.jit(jax.vmap(lambda s, t: s(t)))(batched, steps)
    table = jax.jit(
        jax.vmap(jax.vmap(lambda s, t: s(t), in_axes=(None, 0)), in_axes=(0, None))
    )(batched, steps)
    for i, member in enumerate(js.unstack(batched)):
        _close(paired[i], _ref(member, steps[i : i + 1])[0])
        _close(table[i], _ref(member, steps))


# ------------------------------------------------------------------- as_arrays


def test_as_arrays_turns_every_numeric_leaf_into_a_jax_array():
    schedule = js.as_arrays(js.ExponentialDecay(0.1, 1000, 0.96))
    assert isinstance(schedule.initial_learning_rate, jax.Array)
    assert schedule.initial_learning_rate.dtype == jnp.float32
    assert not schedule.initial_learning_rate.weak_type
    assert schedule.decay_steps.dtype == jnp.int32
    _close(_ref(schedule), _ref(js.ExponentialDecay(0.1, 1000, 0.96)))
    # NumPy leaves (a grid) keep their dtype; trees holding schedules work too.
    state = {
        "schedule": _inverse_time_grid([0.1, 0.2], 10),
        "step": 3,
    }
    converted = js.as_arrays(state)
    assert all(isinstance(x, jax.Array) for x in jax.tree.leaves(converted))
    assert converted["schedule"].decay_steps.shape == (2,)
    with jax.enable_x64(True):
        wide = js.as_arrays(js.ExponentialDecay(0.1, 2**40, 0.96))
        assert wide.initial_learning_rate.dtype == jnp.float64
        assert int(wide.decay_steps) == 2**40


def test_as_arrays_errors_and_placeholders():
    with pytest.raises(ValueError, match="within int32"):  # refused when built
        js.ExponentialDecay(0.1, 2**40, 0.96)
    with jax.enable_x64(True):  # built under x64, converted without it
        big = js.ExponentialDecay(0.1, 2**40, 0.96)
    with pytest.raises(ValueError, match="does not fit in int32"):
        js.as_arrays(big)
    sentinel = object()
    spec = jax.tree.map(lambda _: sentinel, js.ExponentialDecay(0.1, 10, 0.5))
    assert all(x is sentinel for x in jax.tree.leaves(js.as_arrays(spec)))


def _filter_jit(fn, traces):
    """What ``equinox.filter_jit`` does: arrays are traced, everything else is static.

    equinox partitions the arguments with ``equinox.is_array`` (JAX and NumPy arrays)
    and passes the rest as a hashed static argument, so each new Python float is a new
    cache key, i.e. a new compilation.
    """

    def is_array(x):
        return isinstance(x, (jax.Array, np.ndarray, np.generic))

    @functools.partial(jax.jit, static_argnums=(1, 2))
    def inner(dynamic, static, treedef):
        traces.append(1)
        leaves = [d if s is None else s for d, s in zip(dynamic, static)]
        return fn(jax.tree.unflatten(treedef, leaves))

    def call(tree):
        leaves, treedef = jax.tree.flatten(tree)
        dynamic = [x if is_array(x) else None for x in leaves]
        static = tuple(None if is_array(x) else x for x in leaves)
        return inner(dynamic, static, treedef)

    return call


def test_filter_jit_recompiles_python_floats_but_not_as_arrays():
    values = [(0.1, 1000, 0.96), (0.3, 500, 0.5), (1.0, 20, 0.9)]
    traces = []
    f = _filter_jit(lambda s: s(STEPS), traces)
    for args in values:
        f(js.ExponentialDecay(*args))
    assert len(traces) == 3  # the equinox pitfall: one compilation per value
    traces.clear()
    for args in values:
        out = f(js.as_arrays(js.ExponentialDecay(*args)))
        _close(out, _ref(js.ExponentialDecay(*args)))
    assert len(traces) == 1
    traces.clear()
    g = _filter_jit(lambda s: jax.vmap(lambda m: m(STEPS))(s), traces)
    for lrs in ([0.1, 0.2], [0.5, 0.7]):  # grids hold NumPy arrays: dynamic already
        g(
            js.grid(
                js.ExponentialDecay,
                initial_learning_rate=lrs,
                decay_steps=10,
                decay_rate=0.5,
            )
        )
    assert len(traces) == 1


def test_docstring_examples():
    module = importlib.import_module("jaxsched.sweeps._grid")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3
    assert result.failed == 0
