"""str(schedule): one line when short, an indented tree, float32 numbers."""

import ast

import numpy as np
import pytest

import jaxsched as js
from jaxsched.core import _printing
from tests.examples import ALL

WARMUP_COSINE = js.warmup_cosine_decay_schedule(0.0, 1 / 300, 100, 1000, end_value=1e-7)


def test_short_schedule_is_one_line():
    text = str(js.ExponentialDecay(0.1, 1000, 0.96))
    assert text == (
        "ExponentialDecay(initial_learning_rate=0.1, decay_steps=1000, decay_rate=0.96)"
    )
    assert str(js.ExponentialDecay(0.1, 10, 0.5, staircase=True)) == (
        "ExponentialDecay(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5,"
        " staircase=True)"
    )
    # Past 100 characters: one field a line.
    named = str(js.ExponentialDecay(0.1, 10, 0.5, staircase=True, name="lr"))
    assert named.splitlines()[0] == "ExponentialDecay("
    assert named.splitlines()[-2:] == ["    name='lr',", ")"]


def test_numbers_in_shortest_float32_form():
    assert _printing.format_number(1 / 300) == "0.0033333334"
    assert _printing.format_number(3e-4) == "0.0003"
    assert _printing.format_number(1e-7) == "1e-07"
    assert _printing.format_number(np.int64(7)) == "7"
    assert _printing.format_value(np.array([[1.0, 0.5], [2.0, 1 / 3]])) == (
        "[[1.0, 0.5], [2.0, 0.33333334]]"
    )
    assert "0.0033333334" in str(WARMUP_COSINE)
    assert "0.0033333333333333335" in repr(WARMUP_COSINE)  # repr stays complete


def test_composite_is_an_indented_tree():
    text = str(0.5 * WARMUP_COSINE + js.Constant(0.01))
    lines = text.splitlines()
    assert lines[0] == "Sum("
    assert lines[1] == "    left=Scale("
    assert lines[-2] == "    right=Constant(value=0.01),"
    assert lines[-1] == ")"
    assert max(map(len, lines)) <= 100
    assert "factor=0.5," in text


def test_long_tables_wrap_within_100_columns():
    schedule = js.PiecewiseConstant(np.arange(1, 60), np.linspace(1.0, 0.0, 60))
    lines = str(schedule).splitlines()
    assert len(lines) > 4 and max(map(len, lines)) <= 100
    body = "".join(line.strip() for line in lines[1:-1])
    values = body.split("values=")[1].rstrip(",")
    read = np.asarray(ast.literal_eval(values), np.float32)
    np.testing.assert_array_equal(read, np.linspace(1.0, 0.0, 60).astype(np.float32))


def test_stacked_sweep_shows_member_lists():
    sweep = js.stack([js.Constant(0.1), js.Constant(1 / 3)])
    assert str(sweep) == "Constant(value=[0.1, 0.33333334])"


@pytest.mark.parametrize("name, schedule", ALL)
def test_every_example_prints_within_100_columns(name, schedule):
    text = str(schedule)
    assert text.startswith(type(schedule).__name__ + "(")
    assert max(map(len, text.splitlines())) <= 100
    assert text.count("(") == text.count(")")
