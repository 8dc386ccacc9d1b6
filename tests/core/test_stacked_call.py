"""A stacked sweep called directly gives every member's value, for every class."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxsched as js

STEPS = jnp.array([0, 3, 7, 50])

# Every class: tests/sweeps/test_grid.py::test_every_numeric_leaf_can_be_swept calls one
# stacked sweep per class (members differing in each leaf) directly and checks every
# row against that member's own value (sweeps.check_stacked_call).


def _warmup_cosine_sweep(peaks):
    """A 2 x 2 grid of optax warmup-cosine schedules: ``peaks`` x warmups 10, 20."""
    return js.grid(
        js.warmup_cosine_decay_schedule,
        init_value=0.0,
        peak_value=peaks,
        warmup_steps=[10, 20],
        decay_steps=100,
    )


def test_grid_call_and_rebuilt_sweep():
    sweep = _warmup_cosine_sweep([1e-3, 3e-3])
    assert np.asarray(sweep(STEPS)).shape == (4, 4)
    # Rebuilt by JAX, the sweep is one schedule again: map with jax.vmap.
    values = jax.jit(lambda s: jax.vmap(lambda m: m(STEPS))(s))(sweep)
    np.testing.assert_allclose(values, sweep(STEPS), rtol=1e-6)


def test_grid_and_sample_curves_are_labelled_by_their_swept_arguments():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    sweep = _warmup_cosine_sweep([1e-3, 3e-4])
    ax = js.plot(sweep, steps=50)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == [
        "peak_value=0.001, warmup_steps=10",
        "peak_value=0.001, warmup_steps=20",
    ]
    assert labels[3] == "peak_value=0.0003, warmup_steps=20"
    searched = js.sample(
        jax.random.key(0), 3, js.Constant, value=js.log_uniform(1e-4, 1e-2)
    )
    labels = [line.get_label() for line in js.plot(searched, steps=5).get_lines()]
    assert all(label.startswith("value=0.") for label in labels) and len(labels) == 3
    matplotlib.pyplot.close("all")


@pytest.mark.skipif(not hasattr(js.Schedule, "key_steps"), reason="no key_steps yet")
def test_plot_marks_key_steps():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    schedule = js.warmup_cosine_decay_schedule(0.0, 1e-3, 100, 1000)
    ax = js.plot(schedule, steps=2000, mark_key_steps=True)
    marks = sorted(line.get_xdata()[0] for line in ax.get_lines()[1:])
    assert marks == [k for k in schedule.key_steps() if 0 < k <= 1999]
    assert 100 in marks and 1000 in marks
    assert len(js.plot(schedule, steps=2000).get_lines()) == 1
    matplotlib.pyplot.close("all")
