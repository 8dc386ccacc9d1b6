"""The ``jaxsched`` command line, run as real subprocesses.

Starting an interpreter (and JAX) costs more than most commands, so the commands whose
output is checked run in one subprocess (``COMMANDS``, each through ``_cli.main`` with
its own stdout and stderr section and exit status); ``python -m jaxsched`` and the
console script are run on their own, and the error cases run in-process too.
"""

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import jaxsched as js
from jaxsched.tools import _cli

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
KERAS_CONFIG = {
    "module": "keras.optimizers.schedules",
    "class_name": "InverseTimeDecay",
    "config": {
        "initial_learning_rate": 0.1,
        "decay_steps": 100,
        "decay_rate": 0.5,
        "staircase": False,
        "name": "InverseTimeDecay",
    },
    "registered_name": None,
}


def jaxsched(*args, cwd=None, code=None, timeout=180):
    """Run ``python -m jaxsched ARGS`` (or ``python -c CODE ARGS``); no shell."""
    env = dict(os.environ, JAX_PLATFORMS="cpu", PYTHONIOENCODING="utf-8")
    command = [sys.executable, "-m", "jaxsched"] if code is None else [sys.executable]
    if code is not None:
        command += ["-c", code]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


STAIRCASE = js.ExponentialDecay(0.1, 100, 0.5, staircase=True)
#: The saved grid's swept arguments (``show`` labels its members by them).
SWEPT = {"peak_value": [3e-4, 1e-3], "warmup_steps": [100, 200]}
GRID = js.grid(
    js.warmup_cosine_decay_schedule, init_value=0.0, decay_steps=1000, **SWEPT
)


@pytest.fixture
def staircase(tmp_path):
    return write(tmp_path, "stairs.json", STAIRCASE.to_dict())


COMMANDS = """
import json
import sys
from jaxsched.tools import _cli
codes = {}
for label, *argv in [a.split("|") for a in sys.argv[1:]]:
    print("=== " + label, flush=True)
    print("=== " + label, file=sys.stderr, flush=True)
    try:
        codes[label] = _cli.main(argv)
    except SystemExit as exit_info:
        codes[label] = exit_info.code
print("=== codes\\n" + json.dumps(codes), flush=True)
"""


def _sections(text):
    """``{label: what it printed}`` from COMMANDS' ``=== label`` headers."""
    parts = [part.partition("\n") for part in text.split("=== ")[1:]]
    return {head: body for head, _, body in parts}


class Run:
    """One COMMANDS process: per label, ``out``, ``err`` and the exit ``code``."""

    def __init__(self, folder, commands):
        self.folder = folder
        result = jaxsched(*("|".join(map(str, c)) for c in commands), code=COMMANDS)
        assert result.returncode == 0, result.stderr
        self.out, self.err = _sections(result.stdout), _sections(result.stderr)
        self.code = json.loads(self.out.pop("codes"))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Every command below in one subprocess (one interpreter and JAX start)."""
    folder = tmp_path_factory.mktemp("cli")
    stairs = write(folder, "stairs.json", STAIRCASE.to_dict())
    keras = write(folder, "keras.json", KERAS_CONFIG)
    sweep = js.stack([js.ExponentialDecay(0.1, 50, rate) for rate in (0.5, 0.7, 0.9)])
    batch = write(folder, "sweep.json", sweep.to_dict())
    bad = folder / "bad"
    bad.mkdir()
    config, _ = write_case(bad, "unknown-field")
    empty = write(folder, "empty.json", "  \n")
    typo = write(folder, "typo.json", {"class_name": "ExponentalDecay", "config": {}})
    field = write(
        folder,
        "field.json",
        {"class_name": "StepLR", "config": {"learning_rate": 0.1, "step_sise": 3}},
    )
    factory = write(
        folder, "factory.json", {"class_name": "linear_schedule", "config": {}}
    )
    good = write(folder, "good.json", js.StepLR(0.1, 10, 0.5).to_dict())
    grid = write(folder, "grid.json", GRID.to_dict())
    out = folder / "out.png"
    return Run(
        folder,
        [
            ("list", "list"),
            ("show stairs", "show", stairs),
            ("show keras", "show", keras, "--at", "0,100,2.5,-10", "--steps", "1000",
             "--log"),
            ("plot", "plot", stairs, keras, batch, "--steps", "300", "-o", out,
             "--log"),
            ("plot error", "plot", config, "-o", bad / "out.png"),
            ("list cosine", "list", "cosine"),
            ("show empty", "show", empty),
            ("show typo", "show", typo),
            ("show field", "show", field),
            ("show factory", "show", factory),
            ("show -5,10", "show", good, "--at", "-5,10"),
            ("show =-5,10", "show", good, "--at=-5,10"),
            ("show 1e12", "show", good, "--at", "1e12"),
            ("show grid", "show", grid, "--at", "0,100,200"),
            ("usage error", "show", stairs, "--steps", "ten"),
            ("show recipe", "show", "--recipe", "llama", "--version", "2",
             "--size=7b", "--at", "0,2000,500000"),
            ("plot recipe", "plot", "--recipe", "deepseek_v3", "--steps", "500",
             "-o", folder / "recipe.png", "--log"),
            ("show recipe typo", "show", "--recipe", "llama", "--sise", "7b"),
            ("list llama", "list", "llama"),
        ],
    )  # fmt: skip


# ------------------------------------------------------------------------ success


def test_help():
    result = jaxsched("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: jaxsched [-h] [--version] COMMAND ...")
    for command in ("list", "show", "plot", "demo"):
        assert f"    {command} " in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("command", ["list", "show", "plot", "demo"])
def test_help_of_every_subcommand(capsys, command):
    with pytest.raises(SystemExit) as exit_info:
        _cli.main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: jaxsched {command} [-h]")
    assert "options:" in out


def test_list_names_every_registered_schedule_with_its_fields(run):
    assert run.code["list"] == 0, run.err["list"]
    out = run.out["list"]
    for name, cls in js.registry().items():
        if cls.__module__.startswith("jaxsched."):
            assert f"\n{name}: " in f"\n{out}", name
    assert "ExponentialDecay: Exponential decay, as keras.optimizers" in out
    assert (
        "initial_learning_rate (leaf, required), decay_steps (leaf, required),\n"
        "    decay_rate (leaf, required), staircase=False (static),"
    ) in out
    assert "name='ExponentialDecay' (static)" in out
    assert "\nwarmup_cosine_decay_schedule(init_value, peak_value, warmup_steps," in out
    assert "end_value=0.0, exponent=1.0) -> saved as Join\n" in out


def test_recipes_are_listed_shown_and_plotted(run):
    from jaxsched import recipes

    listing = run.out["list"]
    for name, entry in recipes.registry().items():
        assert f"\n{name}: {entry.summary}\n" in listing, name
    assert "\nllama: LLaMA 1/2/3" in run.out["list llama"]
    assert "\ngpt3: " not in run.out["list llama"]
    assert run.code["show recipe"] == 0, run.err["show recipe"]
    out = run.out["show recipe"]
    assert "recipe llama(version=2, size='7b'): LLaMA" in out
    assert "steps [0, 500000)" in out  # the run's length by default
    rows = [line.split() for line in out.splitlines()]
    values = {r[0]: r[1] for r in rows if len(r) >= 2 and r[0].isdigit()}
    assert [float(values[k]) for k in ("0", "2000", "500000")] == pytest.approx(
        [0.0, 3e-4, 3e-5], rel=1e-5
    )
    assert run.code["plot recipe"] == 0, run.err["plot recipe"]
    png = run.folder / "recipe.png"
    assert png.read_bytes().startswith(PNG_MAGIC)
    assert run.code["show recipe typo"] == 1
    assert (
        "recipe llama has no argument --sise; its arguments are: --version"
        in (run.err["show recipe typo"])
    )


def test_show_prints_schedule_key_steps_range_and_sparkline(run):
    assert run.code["show stairs"] == 0, run.err["show stairs"]
    out = run.out["show stairs"]
    lines = out.splitlines()
    assert lines[0] == (
        "ExponentialDecay(initial_learning_rate=0.1, decay_steps=100, "
        "decay_rate=0.5, staircase=True)"
    )
    assert "(jaxsched format); steps [0, 200)" in lines[1]
    table = lines[4 : lines.index("", 4)]
    rows = {line.split()[0]: line.split()[1:] for line in table}
    assert rows["0"] == ["0.1", "start"]
    if hasattr(js.Schedule, "key_steps"):  # both sides of where a phase begins
        assert rows["99"] == ["0.1"]
        assert rows["100"] == ["0.05", "decay_steps,", "phase"]
    else:
        assert rows["100"] == ["0.05", "decay_steps"]
    assert rows["200"] == ["0.025", "end", "(--steps)"]
    assert rows["400"] == ["0.00625", "beyond"]
    assert "min over [0, 200): 0.05 at step 100" in out
    assert "max over [0, 200): 0.1 at step 0" in out
    spark = lines[-1].split()[0]
    assert spark == "█" * 32 + "▁" * 32


def test_show_reads_keras_config_at_requested_steps(run):
    assert run.code["show keras"] == 0, run.err["show keras"]
    out = run.out["show keras"]
    assert "(Keras serialize() format); steps [0, 1000)" in out
    schedule = js.InverseTimeDecay(0.1, 100, 0.5)
    values = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] != "step":
            values[float(parts[0])] = float(parts[1])
    assert list(values) == [0.0, 100.0, 2.5, -10.0]
    for step, value in values.items():
        np.testing.assert_allclose(value, float(schedule(step)), rtol=1e-5)
    np.testing.assert_allclose(values[100.0], 0.1 / 1.5, rtol=1e-5)
    assert "min over [0, 1000): 0.0166806 at step 999" in out
    assert "(log, steps 0 to 999)" in out


def test_plot_writes_png_of_several_schedules_and_a_batch(run):
    assert run.code["plot"] == 0, run.err["plot"]
    out = run.folder / "out.png"
    assert f"wrote {out}: 3 schedule(s), steps [0, 300)" in run.out["plot"]
    data = out.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 20_000  # a real figure, not an empty canvas
    width, height = (
        int.from_bytes(data[16:20], "big"),
        int.from_bytes(data[20:24], "big"),
    )
    assert (width, height) == (960, 540)  # 8 x 4.5 inches at 120 dpi


def test_console_script_runs(tmp_path, staircase):
    script = Path(sys.executable).parent / "jaxsched"
    if not script.exists():
        pytest.skip("the package is not installed with its console script")
    result = subprocess.run(
        [str(script), "show", str(staircase), "--at", "150"],
        capture_output=True,
        text=True,
        env=dict(os.environ, JAX_PLATFORMS="cpu"),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "150  0.05" in result.stdout


# The demo's --plot (the real command, full demo) is checked in test_demo.py.


# ------------------------------------------------------------------------- errors


ERRORS = {
    "missing-file": (None, "no such file"),
    "invalid-json": ('{"class_name": ', "not valid JSON"),
    "not-a-dict": ("[1, 2]", "expected a dict with 'class_name'"),
    "unknown-class": (
        {"class_name": "Nope", "config": {}},
        "unknown schedule class 'Nope'",
    ),
    "bad-value": (
        {
            "class_name": "ExponentialDecay",
            "config": {
                "initial_learning_rate": 0.1,
                "decay_steps": -5,
                "decay_rate": 0.5,
            },
        },
        "argument `decay_steps` must be > 0. Received: decay_steps=-5",
    ),
    "unknown-field": (
        {
            "class_name": "ExponentialDecay",
            "config": {
                "initial_learning_rate": 0.1,
                "decay_steps": 5,
                "decay_rat": 0.5,
            },
        },
        "unknown fields ['decay_rat']",
    ),
    "wrong-type": (
        {
            "class_name": "ExponentialDecay",
            "config": {
                "initial_learning_rate": "big",
                "decay_steps": 5,
                "decay_rate": 0.5,
            },
        },
        "must be a number or a list of numbers",
    ),
}


def write_case(tmp_path, case):
    content, message = ERRORS[case]
    path = tmp_path / "config.json"
    if content is not None:
        write(tmp_path, "config.json", content)
    return path, message


def test_config_error_prints_one_line(run):
    # Every case of ERRORS, for both commands, is checked in-process below.
    assert run.code["plot error"] == 1
    assert run.out["plot error"] == ""
    (line,) = run.err["plot error"].strip().splitlines()
    assert line.startswith(f"jaxsched plot: error: {run.folder / 'bad'}")
    assert "config.json" in line and ERRORS["unknown-field"][1] in line
    assert not (run.folder / "bad" / "out.png").exists()


def test_usage_error_prints_one_line(run):
    assert run.code["usage error"] == 2
    assert run.out["usage error"] == ""
    (line,) = run.err["usage error"].strip().splitlines()
    assert line.startswith(
        "jaxsched show: error: argument --steps: invalid int value: 'ten'"
    )


# In-process (same code path, no interpreter start-up): every case, both commands.
@pytest.mark.parametrize("case", list(ERRORS))
@pytest.mark.parametrize("command", ["show", "plot"])
def test_every_config_error_in_process(capsys, tmp_path, command, case):
    path, message = write_case(tmp_path, case)
    extra = ["-o", str(tmp_path / "out.png")] if command == "plot" else []
    assert _cli.main([command, str(path), *extra]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"jaxsched {command}: error: {path}: ")
    assert message in captured.err


@pytest.mark.parametrize(
    ("args", "message", "status"),
    [
        (["--at", "1,x"], "show: error: --at expects comma-separated step numbers", 1),
        (["--at", ","], "show: error: --at expects comma-separated step numbers", 1),
        (["--steps", "0"], "show: error: --steps must be in [1, 2**30]", 1),
        (["--steps", "ten"], "show: error: argument --steps: invalid int value", 2),
        (["--colour"], "jaxsched: error: unrecognized arguments: --colour", 2),
    ],
)
def test_bad_options_print_one_line(capsys, staircase, args, message, status):
    try:
        code = _cli.main(["show", str(staircase), *args])
    except SystemExit as exit_info:
        code = exit_info.code
    assert code == status
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err


def test_unwritable_output_prints_one_line(capsys, tmp_path, staircase):
    out = tmp_path / "out.unknown"
    assert _cli.main(["plot", str(staircase), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"jaxsched plot: error: cannot write {out}: ")
    assert "not supported" in err
    assert err.count("\n") == 1


def test_show_prints_a_table_per_member_of_a_sweep(capsys, tmp_path):
    members = [js.ExponentialDecay(0.1, 50, rate) for rate in (0.5, 0.9)]
    stacked = write(tmp_path, "sweep.json", js.stack(members).to_dict())
    listed = write(tmp_path, "list.json", [m.to_dict() for m in members])
    for path in (stacked, listed):
        assert _cli.main(["show", str(path), "--at", "0,50,100"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("2 members of ExponentialDecay")
        assert "differing: decay_rate" in out
        rows = [line.split() for line in out.splitlines()]
        table = {r[0]: r[1:] for r in rows if len(r) == 4 and r[0] in "01"}
        for index, member in enumerate(members):
            want = [float(member(step)) for step in (0, 50, 100)]
            got = list(map(float, table[str(index)]))
            np.testing.assert_allclose(got, want, rtol=1e-5)
        assert "     1: decay_rate=0.9" in out


def test_missing_matplotlib_prints_one_line(capsys, monkeypatch, tmp_path, staircase):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = tmp_path / "out.png"
    assert _cli.main(["plot", str(staircase), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("jaxsched plot: error:")
    assert "needs matplotlib" in line and "pip install matplotlib" in line
    assert not out.exists()


def test_demo_checks_matplotlib_before_training(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = tmp_path / "out.png"
    assert _cli.main(["demo", "--steps", "40", "--plot", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # did not train first
    assert captured.err.startswith("jaxsched demo: error: plotting needs matplotlib")
    assert not out.exists()


def test_unexpected_errors_print_one_line(capsys, monkeypatch):
    def broken(args):
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(_cli, "_list", broken)
    assert _cli.main(["list"]) == 1
    err = capsys.readouterr().err
    assert err == "jaxsched list: error: unexpected RuntimeError: something broke\n"


# ------------------------------------------------------------------ helpers, fast


def test_sparkline():
    assert _cli.sparkline(np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])) == (
        "▁▂▃▄▅▆▇█"
    )
    assert _cli.sparkline(np.array([1.0, 1.0])) == "▅▅"
    assert _cli.sparkline(np.array([1.0, 10.0, 100.0]), log=True) == "▁▅█"
    assert _cli.sparkline(np.array([0.0, 1.0]), ascii_only=True) == "_#"


def test_default_steps_is_twice_the_largest_step_count():
    assert _cli.default_steps([js.ExponentialDecay(0.1, 250, 0.5)]) == 500
    assert _cli.default_steps([js.InverseTimeDecay(0.1, 1.0, 0.5)]) == 10
    batch = js.stack([js.ExponentialDecay(0.1, n, 0.5) for n in (10, 400)])
    assert _cli.default_steps([batch]) == 800


def test_list_filter_hints_at_and_empty_file(run):
    """Each command says what is wrong, and exits 1 (0 for the good ones)."""
    out, err = run.out, run.err
    listing = out["list cosine"]
    assert "CosineDecay: " in listing and "\nStepLR" not in listing
    assert "warmup_cosine_decay_schedule(" in listing
    assert "linear_schedule(" not in listing
    assert "the file is empty" in err["show empty"]
    assert "Did you mean 'ExponentialDecay'" in err["show typo"]
    assert "did you mean 'step_size' for 'step_sise'?" in err["show field"]
    assert "saved as class_name 'Linear'" in err["show factory"]
    for label in ("show empty", "show typo", "show field", "show factory"):
        assert run.code[label] == 1 and out[label] == "", label
    for spelling in ("show -5,10", "show =-5,10"):
        assert run.code[spelling] == 0, err[spelling]
        rows = [line.split() for line in out[spelling].splitlines()]
        values = {r[0]: float(r[1]) for r in rows if len(r) == 2 and r[0][0] in "-1"}
        assert values == {"-5": 0.1, "10": 0.05}, out[spelling]
        low, high = re.search(
            r" (\S+) to (\S+) \(linear, steps 0 to", out[spelling]
        ).groups()
        assert (float(low), float(high)) == (0.05, 0.1)
    assert "out of range" in err["show 1e12"]
    assert "-2147483647 to 2147483647" in err["show 1e12"]


def test_show_of_a_saved_grid_names_the_swept_arguments(run):
    # The JSON holds the members' class fields (a Join of Linear and Cosine) and, as
    # "swept", each member's grid arguments: the rows are labelled by those.
    assert run.code["show grid"] == 0, run.err["show grid"]
    out = run.out["show grid"]
    assert out.startswith("4 members of Join")
    assert "swept: peak_value, warmup_steps" in out
    for index, (peak, warmup) in enumerate(itertools.product(*SWEPT.values())):
        assert f"     {index}: peak_value={peak}, warmup_steps={warmup}\n" in out
    rows = {r[0]: r[1:] for r in map(str.split, out.splitlines()) if len(r) == 4}
    np.testing.assert_allclose(
        [float(v) for v in rows["1"]], [0.0, 1.5e-4, 3e-4], rtol=1e-6
    )
