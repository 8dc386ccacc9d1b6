"""Random search: ``jaxsched.sample`` and its distributions."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxsched as js

SPACE = {
    "init_value": 0.0,
    "peak_value": js.log_uniform(1e-3, 1.0),
    "warmup_steps": js.int_uniform(0, 3),
    "decay_steps": 100,
    "end_value": js.uniform(0.0, 1e-4),
}


def configs(batched):
    return [m.to_dict() for m in js.unstack(batched)]


def test_same_key_same_sweep_and_points_label_the_members():
    a = js.sample(jax.random.key(7), 200, js.warmup_cosine_decay_schedule, **SPACE)
    b = js.sample(jax.random.key(7), 200, js.warmup_cosine_decay_schedule, **SPACE)
    c = js.sample(jax.random.key(8), 200, js.warmup_cosine_decay_schedule, **SPACE)
    assert js.batch_size(a) == 200
    assert configs(a) == configs(b)
    assert configs(a) != configs(c)
    points = js.sample_points(jax.random.key(7), 200, **SPACE)
    assert list(points[0]) == ["peak_value", "warmup_steps", "end_value"]
    for member, point in zip(js.unstack(a), points):
        linear, cosine = member.schedules
        assert linear.end_value == point["peak_value"]
        assert linear.transition_steps == point["warmup_steps"]
        assert cosine.alpha == pytest.approx(point["end_value"] / point["peak_value"])
    peaks = np.array([p["peak_value"] for p in points])
    warmups = {p["warmup_steps"] for p in points}
    assert peaks.min() >= 1e-3 and peaks.max() <= 1.0
    # log-uniform: about a third of the draws in each decade
    counts = np.histogram(np.log10(peaks), bins=[-3, -2, -1, 0])[0]
    assert counts.min() > 40, counts
    assert warmups == {0, 1, 2, 3}  # both ends included
    assert all(0.0 <= p["end_value"] <= 1e-4 for p in points)


def test_key_forms():
    space = {"value": js.uniform(0.0, 1.0)}
    typed = js.sample(jax.random.key(3), 4, js.Constant, **space)
    raw = js.sample(jax.random.PRNGKey(3), 4, js.Constant, **space)
    seed = js.sample(3, 4, js.Constant, **space)
    assert configs(typed) == configs(raw) == configs(seed)
    with pytest.raises(TypeError, match="sample: `key` must be"):
        js.sample("three", 4, js.Constant, **space)


def test_two_samples_of_one_structure_share_one_compilation():
    traces = []

    @jax.jit
    def evaluate(batched):
        traces.append(1)
        return jax.vmap(lambda s: s(jnp.arange(8)))(batched)

    space = dict(SPACE, exponent=js.choice([1, 2.0]))
    for key in (0, 1, 2):
        batched = js.sample(key, 16, js.warmup_cosine_decay_schedule, **space)
        values = evaluate(batched)
        expected = [m(jnp.arange(8)) for m in js.unstack(batched)[:2]]
        np.testing.assert_allclose(values[:2], expected, rtol=1e-6)
    assert len(traces) == 1


def test_fixed_values_lists_and_choice_of_arrays():
    batched = js.sample(
        0,
        6,
        js.PiecewiseConstantDecay,
        boundaries=[10, 20],  # a list is held fixed (not an axis, unlike grid)
        values=js.choice([[1.0, 0.5, 0.1], [2.0, 1.0, 0.2]]),
    )
    for member, point in zip(
        js.unstack(batched),
        js.sample_points(0, 6, values=js.choice([[1.0, 0.5, 0.1], [2.0, 1.0, 0.2]])),
    ):
        np.testing.assert_array_equal(member.boundaries, [10, 20])
        np.testing.assert_array_equal(member.values, point["values"])
    wrapped = js.sample(0, 2, js.Constant, value=js.fixed(0.25))
    assert [m.value for m in js.unstack(wrapped)] == [0.25, 0.25]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: js.log_uniform(0.0, 1.0), "log_uniform: expected positive bounds"),
        (lambda: js.log_uniform(-1.0, 1.0), "log_uniform: expected positive bounds"),
        (lambda: js.log_uniform(1.0, 0.1), "log_uniform: expected low <= high"),
        (lambda: js.uniform(2.0, 1.0), "uniform: expected low <= high"),
        (lambda: js.uniform(0.0, float("inf")), "uniform: `high` must be finite"),
        (lambda: js.int_uniform(5, 1), "int_uniform: expected low <= high"),
        (lambda: js.choice([]), "choice: expected at least one value"),
    ],
)
def test_impossible_spaces_fail_before_drawing(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_arguments():
    with pytest.raises(TypeError, match="int_uniform: `low` must be an integer"):
        js.int_uniform(0.5, 2)
    with pytest.raises(TypeError, match="uniform: `low` must be a real number"):
        js.uniform("0", 1)
    with pytest.raises(TypeError, match="choice: expected a sequence"):
        js.choice(3)
    with pytest.raises(ValueError, match="sample: `num` must be an integer >= 1"):
        js.sample(0, 0, js.Constant, value=js.uniform(0, 1))
    with pytest.raises(TypeError, match="sample: expected a schedule class"):
        js.sample(0, 2, "Constant", value=js.uniform(0, 1))


def test_every_member_is_validated():
    with pytest.raises(ValueError, match=r"sample: member \d+ \{'warmup_steps': \d+\}"):
        js.sample(
            0,
            32,
            js.warmup_cosine_decay_schedule,
            init_value=0.0,
            peak_value=1.0,
            warmup_steps=js.int_uniform(0, 200),
            decay_steps=100,
        )


def test_static_options_cannot_be_drawn_into_one_batch():
    with pytest.raises(ValueError, match="differ in structure"):
        js.sample(
            0,
            32,
            js.ExponentialDecay,
            initial_learning_rate=0.1,
            decay_steps=10,
            decay_rate=0.5,
            staircase=js.choice([False, True]),
        )
