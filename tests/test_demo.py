"""``jaxsched demo``: one compiled sweep, results a plot can use, the real command."""

import os
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxsched as js
from jaxsched import _demo


@pytest.fixture(scope="module")
def results():
    return _demo.run(epochs=1)


def test_sweep_is_one_compiled_program(results):
    assert results["compiles"] == 1
    assert len(results["sweep"]) >= 16
    assert results["steps"] == make_steps(1)
    for _, loss, accuracy in results["sweep"]:
        assert np.isfinite(loss)
        assert 0.0 <= accuracy <= 1.0


def make_steps(epochs):
    return epochs * _demo.make_data().steps_per_epoch


def test_results_hold_what_a_plot_needs(results):
    members = [row[0] for row in results["sweep"]]
    k, steps = len(members), results["steps"]
    assert results["lr"].shape == (k, steps)
    assert results["loss_curves"].shape == (k, steps)
    assert len(results["labels"]) == k
    assert np.all(np.isfinite(results["loss_curves"]))
    evaluate = jax.jit(lambda s: s(jnp.arange(steps)))
    for row, member in zip(results["lr"], members):
        np.testing.assert_allclose(row, evaluate(member), rtol=1e-5, atol=1e-7)
    # The grid sweeps warmup lengths, a zero-length warmup among them: that member
    # starts at its peak, the others at 0.
    points = js.grid_points(**_demo.sweep_axes(steps))
    for row, point, label in zip(results["lr"], points, results["labels"]):
        assert f"warmup {point['warmup_steps']}" in label
        start = point["peak_value"] if point["warmup_steps"] == 0 else 0.0
        np.testing.assert_allclose(row[0], start, rtol=1e-6)
        np.testing.assert_allclose(row.max(), point["peak_value"], rtol=1e-6)


def test_members_equal_separate_runs(results):
    data = _demo.make_data()
    single = jax.jit(lambda s: _demo.train(s, data, 1))
    for index in (0, 7):
        member, loss, accuracy = results["sweep"][index]
        alone_loss, alone_accuracy, curve = single(member)
        np.testing.assert_allclose(alone_loss, loss, rtol=1e-5)
        np.testing.assert_allclose(curve, results["loss_curves"][index], rtol=1e-5)
        assert abs(float(alone_accuracy) - float(accuracy)) <= 1 / len(data.y)


def test_report(results):
    text = _demo.report(results)
    assert "seed example: InverseTimeDecay(initial_learning_rate=0.1" in text
    assert "sweep: 16 schedules trained together under jax.vmap" in text
    assert "peak 0.5, warmup 0 " in text
    assert "compilations of the sweep program: 1 (" in text
    best = min(range(16), key=lambda i: results["sweep"][i][1])
    assert f"best: {results['labels'][best]} (loss" in text


def test_custom_schedules():
    members = [js.ExponentialDecay(lr, 24, 0.5) for lr in (0.1, 0.5)]
    results = _demo.run(epochs=1, schedules=members)  # a list (a grid works too)
    assert results["compiles"] == 1
    assert results["labels"][1].startswith("ExponentialDecay(initial_learning_rate=0.5")
    assert results["lr"].shape == (2, results["steps"])
    with pytest.raises(ValueError, match="leading axis"):  # before any training
        _demo.run(epochs=1, schedules=members[0])


def test_jaxsched_demo_command_in_a_subprocess():
    result = subprocess.run(
        [sys.executable, "-m", "jaxsched", "demo"],
        env=dict(os.environ, JAX_PLATFORMS="cpu"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = result.stdout
    assert "120 SGD steps" in out
    assert "sweep: 16 schedules trained together under jax.vmap" in out
    assert "peak 30, warmup 72" in out
    assert "compilations of the sweep program: 1 (" in out
    assert out.count("\n") >= 20
    assert "best: peak " in out
