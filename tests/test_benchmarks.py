"""The benchmark harness runs (``--quick``) and writes a table of the right shape.

Timings are not checked: the machine may be busy.
"""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name):
    spec = importlib.util.spec_from_file_location(
        f"jaxsched_benchmarks_{name}", BENCHMARKS / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load("run")


def test_quick_run_writes_table_and_json(bench, tmp_path):
    names = "ExponentialDecay,InverseTimeDecay"
    argv = ["--quick", "--only", "throughput,sweep", "--schedules", names]
    results = bench.main([*argv, "--out", str(tmp_path)])
    saved = json.loads((tmp_path / "latest.json").read_text())
    assert saved["options"] == results["options"]
    assert {"cpu_count", "jax", "platform", "backend"} <= set(saved["machine"])
    rows = saved["throughput"]["rows"]
    assert [row["schedule"] for row in rows] == names.split(",")
    for row in rows:
        assert row["jaxsched_ms"] > 0 and row["floor_ms"] > 0
        assert row["over_floor"] > 0
    assert rows[0]["optax_ratio"] > 0  # ExponentialDecay has an optax twin
    assert rows[1]["optax_ratio"] is None  # InverseTimeDecay has none
    (sweep,) = saved["sweep"]["rows"]
    assert sweep["K"] == 4
    for way in ("optax", "loop", "vmap"):  # three ways, compile and run apart
        assert sweep[f"{way}_compile_ms"] > 0 and sweep[f"{way}_run_ms"] > 0
    assert sweep["optax_ratio"] > 0 and sweep["loop_ratio"] > 0
    table = (tmp_path / "latest.md").read_text()
    header = "| schedule | jaxsched ms | optax ms | keras ms | optax/js | keras/js |"
    assert header in table
    assert table.count("| ExponentialDecay |") == 1
    assert "| 4 |" in table
    assert "| K | optax compile ms | optax run ms | loop compile ms |" in table


def test_missed_targets_name_the_ratio(bench):
    results = {
        "throughput": {
            "rows": [
                {
                    "schedule": "ExponentialDecay",
                    "family": "exponential",
                    "optax_ratio": 1.2,
                    "keras_ratio": 2.0,
                    "over_floor": 1.9,
                }
            ]
        },
        "sweep": {"rows": [{"K": 64, "optax_ratio": 30.0}]},
        "train": {"vs_constant_pct": {"jaxsched": 3.5}},
    }
    missed = bench.missed_targets(results)
    assert len(missed) == 3
    assert "1.20x optax (target 1.5x)" in missed[0]
    assert "1.90x the memory floor" in missed[1]
    assert "+3.50%" in missed[2]


def test_unknown_section_is_an_error(bench):
    with pytest.raises(SystemExit):
        bench.main(["--only", "nope"])


def test_gpu_script_smoke_run_writes_its_table(tmp_path):
    """``benchmarks/gpu.py --smoke`` on the test machine's device: every section
    runs at tiny sizes, the values agree with the float64 truth, the three ways of
    each sweep give the same losses."""
    gpu = _load("gpu")
    results = gpu.main(["--smoke", "--out", str(tmp_path)])
    assert results["values"]["failures"] == []
    assert len(results["values"]["classes"]) == 6
    demo = results["demo"]["methods"]
    model = results["model"]["rows"][0]["methods"]
    for methods in (demo, model):
        assert {"optax", "loop", "vmap"} <= set(methods)
        for row in methods.values():
            assert row["error"] is None
            assert row["compile_s"] > 0 and row["run_s"] > 0
    assert model["optax"]["compiles"] == 4 and model["optax"]["estimated"]
    assert "map 2" in model  # chunks of members through jax.lax.map
    assert results["model"]["rows"][0]["agreement"] == "vmap 4/4, map 2 4/4, optax 1/1"
    text = (tmp_path / "gpu.md").read_text()
    assert "Smoke run (tiny sizes): not a measurement." in text
    assert "## Values against the float64 truth (6 classes" in text
    assert "| K | optax: compile s | optax: run s |" in text
    assert (tmp_path / "gpu.json").exists()
