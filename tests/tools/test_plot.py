"""``jaxsched.plot``: curves, families of a stacked sweep, axes, legends, errors."""

import doctest
import json
import sys

import matplotlib
import numpy as np
import pytest

import jaxsched as js
from jaxsched.tools import _plot

matplotlib.use("Agg")
import matplotlib.pyplot as plt

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
STAIRS = js.ExponentialDecay(0.1, 100, 0.5, staircase=True)
INVERSE = js.InverseTimeDecay(0.1, 10, 0.5)
SWEEP = [js.ExponentialDecay(lr, 24, rate) for lr in (0.1, 1.0) for rate in (0.5, 0.9)]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_single_schedule_on_a_new_axis():
    ax = js.plot(STAIRS, steps=500)
    (line,) = ax.get_lines()
    x, y = line.get_data()
    np.testing.assert_array_equal(x, np.arange(500))
    np.testing.assert_allclose(y, np.asarray(STAIRS(np.arange(500))), rtol=1e-6)
    assert y[99] == pytest.approx(0.1) and y[100] == pytest.approx(0.05)
    assert ax.get_xlabel() == "step"
    assert ax.get_ylabel() == "learning rate"
    assert ax.get_yscale() == "linear"
    (text,) = ax.get_legend().get_texts()
    assert text.get_text() == "ExponentialDecay(0.1, 100, 0.5, staircase=True)"


def test_several_schedules_on_a_given_axis_with_labels_and_log_scale():
    _, given = plt.subplots()
    ax = js.plot(
        [STAIRS, INVERSE],
        steps=[0, 5, 10, 1000],
        ax=given,
        log=True,
        labels=["stairs", "inverse"],
    )
    assert ax is given
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["stairs", "inverse"]
    np.testing.assert_array_equal(lines[1].get_xdata(), [0, 5, 10, 1000])
    np.testing.assert_allclose(
        lines[1].get_ydata(), [0.1, 0.08, 0.1 / 1.5, 0.1 / 51], rtol=1e-6
    )
    assert lines[0].get_color() != lines[1].get_color()


def test_stacked_schedule_is_a_family_of_curves():
    batch = js.stack(SWEEP)
    ax = js.plot(batch, steps=100)
    lines = ax.get_lines()
    assert len(lines) == len(SWEEP)
    for line, member in zip(lines, SWEEP):
        np.testing.assert_allclose(
            line.get_ydata(), np.asarray(member(np.arange(100))), rtol=1e-6
        )
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "initial_learning_rate, decay_rate"
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["0.1, 0.5", "0.1, 0.9", "1, 0.5", "1, 0.9"]
    colors = {tuple(line.get_color()) for line in lines}
    assert len(colors) == len(SWEEP)


def test_family_next_to_a_single_schedule_names_its_fields():
    batch = js.stack(SWEEP[:2])
    ax = js.plot([INVERSE, batch], steps=50, labels=["inverse", "sweep"])
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["inverse", "sweep: decay_rate=0.5", "sweep: decay_rate=0.9"]


def test_long_ranges_are_sampled_and_keep_their_ends():
    ax = js.plot(INVERSE, steps=10**6)
    x = ax.get_lines()[0].get_xdata()
    assert len(x) <= _plot.MAX_POINTS
    assert x[0] == 0 and x[-1] == 10**6 - 1
    assert np.all(np.diff(x) > 0)


def test_png_is_written():
    figure, ax = plt.subplots()
    js.plot([STAIRS, js.stack(SWEEP)], steps=300, ax=ax)
    from io import BytesIO

    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 10_000


def test_is_batched():
    assert not _plot.is_batched(STAIRS)
    assert _plot.is_batched(js.stack(SWEEP))
    assert _plot.is_batched(js.stack(SWEEP[:1]))


def test_describe():
    assert _plot.describe(STAIRS) == (
        "ExponentialDecay(initial_learning_rate=0.1, decay_steps=100, "
        "decay_rate=0.5, staircase=True)"
    )
    assert _plot.describe(INVERSE, compact=True) == "InverseTimeDecay(0.1, 10, 0.5)"
    named = js.ExponentialDecay(0.1, 100, 0.5, name="mine")
    assert _plot.describe(named, compact=True) == (
        "ExponentialDecay(0.1, 100, 0.5, name='mine')"
    )
    # Nested schedules in place; after a left-out field, the rest are keywords.
    composed = js.Clip(0.5 * js.Warmup(js.Cosine(1.0, 900), 100), maximum=0.4)
    assert _plot.describe(composed, compact=True) == (
        "Clip(Scale(Warmup(Cosine(1, 900, 0, 1), 100, 0), 0.5), maximum=0.4)"
    )
    assert _plot.describe(js.stack([INVERSE, INVERSE]), compact=True) == (
        "InverseTimeDecay([0.1, 0.1], [10, 10], [0.5, 0.5])"
    )


def test_docstring_example():
    result = doctest.testmod(_plot)
    assert result.attempted >= 3 and result.failed == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"schedules": []}, ValueError, "at least one schedule"),
        ({"schedules": [STAIRS, "x"]}, TypeError, "expected a jaxsched Schedule"),
        ({"schedules": STAIRS, "steps": 0}, ValueError, "`steps` must be >= 1"),
        ({"schedules": STAIRS, "steps": [[1, 2]]}, ValueError, "1-D sequence"),
        ({"schedules": STAIRS, "labels": ["a", "b"]}, ValueError, "one label per"),
    ],
)
def test_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        js.plot(**kwargs)
    assert not plt.get_fignums()  # nothing drawn before the error


def test_missing_matplotlib_is_a_clear_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(
        ImportError, match=r"plotting needs matplotlib: pip install matplotlib"
    ):
        js.plot(STAIRS, steps=10)


def test_a_grid_read_back_from_json_is_labelled_by_its_swept_arguments():
    sweep = js.grid(
        js.warmup_cosine_decay_schedule,
        init_value=0.0,
        peak_value=np.array([3e-4, 1e-3], np.float32),
        warmup_steps=[100, 200],
        decay_steps=1000,
    )
    data = json.loads(json.dumps(sweep.to_dict()))
    assert data["swept"][1] == {"peak_value": 0.0003, "warmup_steps": 200}
    for loaded in (sweep, js.from_dict(data)):
        labels = [t.get_text() for t in js.plot(loaded, steps=300).get_legend().texts]
        assert labels == [
            "peak_value=0.0003, warmup_steps=100",
            "peak_value=0.0003, warmup_steps=200",
            "peak_value=0.001, warmup_steps=100",
            "peak_value=0.001, warmup_steps=200",
        ]


def test_without_swept_names_nested_fields_are_shortened_and_merged():
    # Stacked by hand: no grid arguments, so the fields that differ label the members,
    # by their shortest unique names; the warmup's end_value and the cosine's
    # init_value (both the peak) are one column.
    members = [
        js.warmup_cosine_decay_schedule(0.0, peak, warmup, 1000)
        for peak, warmup in [(0.1, 10), (0.2, 20)]
    ]
    keys, rows = _plot.differences(members)
    assert keys == ["end_value", "transition_steps", "decay_steps", "boundaries"]
    assert rows == [["0.1", "10", "990", "[10]"], ["0.2", "20", "980", "[20]"]]
    # A name shared by two nested schedules keeps enough of its path to be unique.
    pair = [js.Linear(0.0, a, 10) + js.Linear(0.0, b, 10) for a, b in [(1, 2), (3, 4)]]
    assert _plot.differences(pair) == (
        ["left.end_value", "right.end_value"],
        [["1", "2"], ["3", "4"]],
    )
