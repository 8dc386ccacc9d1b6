"""The benchmark harness runs (``--quick``) and writes a table of the right shape.

Timings are not checked: the machine may be busy.
"""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("jaxsched_benchmarks_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


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
    assert [row["K"] for row in saved["sweep"]["rows"]] == [4]
    table = (tmp_path / "latest.md").read_text()
    header = "| schedule | jaxsched ms | optax ms | keras ms | optax/js | keras/js |"
    assert header in table
    assert table.count("| ExponentialDecay |") == 1
    assert "| 4 |" in table


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
