"""``jaxsched demo``: the schedule decides the outcome, one compiled sweep, the real
command (one full run, ``jaxsched demo --no-baseline --plot OUT.png`` through the
command line's ``main``, serves every check of its printed lines and its figure; the
baseline of separate optax runs and the speedup line run on a 1 x 2 grid)."""

import contextlib
import io
import json
import re

import jax
import numpy as np
import pytest

import jaxsched as js
from jaxsched.tools import _demo

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """``jaxsched demo --no-baseline --plot OUT.png`` (the default 1000 steps and
    16-member grid): its printed text and the image path. The baseline's 16 separate
    optax runs (a compile each, most of the demo's time) are checked on a smaller
    grid by ``baseline_output``: the same code, grid size is data."""
    pytest.importorskip("matplotlib")
    from jaxsched.tools._cli import main

    image = tmp_path_factory.mktemp("demo") / "demo.png"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["demo", "--no-baseline", "--plot", str(image)]) == 0
    return printed.getvalue(), image


@pytest.fixture(scope="module")
def baseline_output():
    """``jaxsched demo --steps 40`` with the baseline, on a 1 x 2 grid (the module's
    PEAKS and WARMUPS patched): its printed text."""
    from jaxsched.tools._cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_demo, "PEAKS", (0.3,))
        patch.setattr(_demo, "WARMUPS", (0, 10))
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            assert main(["demo", "--steps", "40"]) == 0
    return printed.getvalue()


@pytest.fixture(scope="module")
def demo_output(demo_run):
    return demo_run[0]


def _rows(out):
    """(label, held-out accuracy, final loss) of every printed sweep row."""
    pattern = r"^  (peak_value=\S+, warmup_steps=\d+)\s+([\d.]+)\s+(\S+)$"
    return [(m[1], float(m[2]), float(m[3])) for m in re.finditer(pattern, out, re.M)]


def test_the_schedule_decides_the_outcome(demo_output):
    out = demo_output
    assert "two interleaved spirals" in out
    assert "chance accuracy 0.5" in out
    assert "Keras docs example, InverseTimeDecay(0.1, 1.0, 0.5) with plain SGD" in out
    rows = _rows(out)
    assert len(rows) == 16, out
    accuracy = {label: acc for label, acc, _ in rows}
    best = max(accuracy.values())
    assert best >= 0.95
    # A peak far too low, and no warmup at a high peak, stay clearly below.
    assert accuracy["peak_value=0.03, warmup_steps=0"] <= best - 0.2
    assert accuracy["peak_value=3, warmup_steps=0"] <= best - 0.2
    (line,) = [x for x in out.splitlines() if x.startswith("best:")]
    assert f"held-out accuracy {best:.3f}" in line
    config = json.loads(line.split("; config ", 1)[1])
    best_label = re.search(r" at (.*); config", line)[1]
    point = dict(item.split("=") for item in best_label.split(", "))
    schedule = js.from_dict(config)
    assert float(schedule(0)) == 0.0
    assert float(schedule(int(point["warmup_steps"]))) == pytest.approx(
        float(point["peak_value"]), rel=1e-6
    )


def test_one_program_and_no_baseline_when_asked(demo_output):
    assert "sweep: 16 schedules trained together under jax.vmap" in demo_output
    assert "compilations of the sweep program: 1 (" in demo_output
    assert "speedup:" not in demo_output  # --no-baseline
    assert "time, compile + run:" not in demo_output
    assert "separate optax runs" not in demo_output


def test_the_three_ways_and_the_speedup_line(baseline_output):
    out = baseline_output
    assert "sweep: 2 schedules trained together under jax.vmap" in out
    assert "compilations of the sweep program: 1 (" in out
    (times,) = [x for x in out.splitlines() if x.startswith("time, compile + run:")]
    number = r"([\d.]+)"
    match = re.fullmatch(
        rf"time, compile \+ run: one vmapped program {number} \+ {number} s; "
        rf"one compiled program called per configuration {number} \+ {number} s; "
        rf"2 separate optax runs {number} \+ {number} s",
        times,
    )
    assert match, times
    vmap_total, loop_total, optax_total = (
        float(match[i]) + float(match[i + 1]) for i in (1, 3, 5)
    )
    (line,) = [x for x in out.splitlines() if x.startswith("speedup:")]
    match = re.fullmatch(
        rf"speedup: one program {number} s vs 2 separate optax runs {number} s "
        rf"\({number}x\); vs one compiled program called 2 times {number} s "
        rf"\({number}x\)",
        line,
    )
    assert match, line
    one, separate, ratio, looped, loop_ratio = map(float, match.groups())
    assert one == pytest.approx(vmap_total, abs=0.06)
    assert separate == pytest.approx(optax_total, abs=0.06)
    assert looped == pytest.approx(loop_total, abs=0.06)
    assert ratio == pytest.approx(separate / one, abs=0.15)
    assert loop_ratio == pytest.approx(looped / one, abs=0.15)
    assert "(the gain over separate optax runs is compilation (2 compiles" in out
    assert "held-out accuracy within 0.01 of the sweep's for" in out


def test_plot_option_writes_the_figure(demo_run):
    out, image = demo_run
    assert out.rstrip().endswith(f"wrote {image}")
    data = image.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 40_000


@pytest.fixture(scope="module")
def short():
    return _demo.run(steps=40, compare=False, trials=8)


def test_members_equal_separate_runs(short):
    assert short["compiles"] == 1
    data = _demo.make_data()
    arrays = _demo.make_arrays(data)  # arguments, as in the demo: not constants
    single = jax.jit(lambda s, arrays: _demo._train(s, arrays, 40))
    rates = jax.jit(lambda s: s(np.arange(40)))  # one compile for every member
    points = js.grid_points(**_demo.sweep_axes(40))
    for index, (member, loss, accuracy) in enumerate(short["sweep"]):
        np.testing.assert_allclose(short["lr"][index], rates(member), rtol=1e-5)
        if points[index]["peak_value"] > 0.3:
            continue  # at the edge of stability: rounding differences grow
        alone_loss, alone_accuracy, curve = single(member, arrays)
        np.testing.assert_allclose(curve, short["loss_curves"][index], rtol=1e-4)
        np.testing.assert_allclose(alone_loss, loss, rtol=1e-4)
        assert abs(float(alone_accuracy) - float(accuracy)) <= 2 / len(data.y_test)


def test_report_of_a_short_run_with_random_search(short):
    # The figure (_demo_plot) is drawn by the full run: test_plot_option_writes_...
    text = _demo.report(short)
    assert "  peak_value=0.03, warmup_steps=0 " in text
    assert "speedup:" not in text  # compare=False
    found = short["random"]
    assert found["compiles"] == 1 and len(found["sweep"]) == 8
    (line,) = [x for x in text.splitlines() if x.startswith("best (random search):")]
    assert found["labels"][found["best"]] in line


def test_custom_schedules_and_bad_input():
    members = [js.ExponentialDecay(lr, 24, 0.5) for lr in (0.1, 0.5)]
    results = _demo.run(steps=8, schedules=members, compare=False)
    assert results["compiles"] == 1
    assert results["labels"][1].startswith("ExponentialDecay(initial_learning_rate=0.5")
    assert results["baseline"] is None
    with pytest.raises(ValueError, match="leading axis"):  # before any training
        _demo.run(steps=8, schedules=members[0])


def test_plot_path_is_checked_before_training(tmp_path, capsys):
    from jaxsched.tools._cli import main

    pytest.importorskip("matplotlib")
    missing = tmp_path / "no" / "such" / "dir" / "demo.png"
    assert main(["demo", "--plot", str(missing)]) == 1
    err = capsys.readouterr()
    assert "does not exist" in err.err and err.out == ""
    assert main(["demo", "--plot", str(tmp_path)]) == 1
    assert "is a directory" in capsys.readouterr().err
