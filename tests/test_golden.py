"""Configs keep loading: golden files written by earlier versions give the same values.

``tests/golden/<ClassName>-<n>.json`` holds ``{"format": 1, "jaxsched": <version that
wrote it>, "schedule": <to_dict()>, "steps": [...], "values": [...]}``. Files are only
ever added (``python tests/golden/generate.py`` writes them for classes that have
none), never rewritten: each one is a config some user may have saved.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from examples import registered_classes
from sweep_checks import values

import jaxsched as js
from jaxsched.core._serialization import FORMAT

GOLDEN = Path(__file__).resolve().parent / "golden"
FILES = sorted(GOLDEN.glob("*.json"))
NAME = re.compile(r"^(?P<cls>[A-Za-z_][\w.]*)-(?P<n>\d+)\.json$")


def _evaluate(schedule: js.Schedule, steps: list) -> np.ndarray:
    """Integer steps as int32, float steps as float32, as the generator did (in one
    jitted call: one compile per structure, shared with other modules)."""
    out = np.empty(len(steps))
    ints = [i for i, s in enumerate(steps) if isinstance(s, int)]
    floats = [i for i, s in enumerate(steps) if isinstance(s, float)]
    assert len(ints) + len(floats) == len(steps)
    at_ints, at_floats = values(
        schedule, [steps[i] for i in ints] or [0], [steps[i] for i in floats] or [0.0]
    )
    out[ints] = at_ints[: len(ints)]
    out[floats] = at_floats[: len(floats)]
    return out


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_golden_config_loads_and_gives_its_values(path):
    match = NAME.match(path.name)
    assert match, f"golden files are named <ClassName>-<n>.json: {path.name}"
    data = json.loads(path.read_text())
    assert isinstance(data["format"], int) and 1 <= data["format"] <= FORMAT
    config = data["schedule"]
    assert config["class_name"] == match["cls"]
    schedule = js.from_dict(config)
    assert type(schedule).registered_name == match["cls"]
    values = np.asarray(data["values"], np.float64)
    scale = float(np.max(np.abs(values), initial=0.0))
    actual = _evaluate(schedule, data["steps"])
    # Values are float32: besides 1e-6 relative, allow one float32 ulp of the curve's
    # largest value (a more accurate rewrite may move a value near a trough by that).
    ulp = float(np.spacing(np.float32(scale))) if scale else 0.0
    np.testing.assert_allclose(actual, values, rtol=1e-6, atol=ulp + 1e-30)
    # what this version writes for it loads again
    again = js.from_dict(json.loads(json.dumps(schedule.to_dict(), allow_nan=False)))
    assert again.to_dict() == schedule.to_dict()


def test_every_registered_class_has_a_golden_file():
    have = {NAME.match(p.name)["cls"] for p in FILES if NAME.match(p.name)}
    missing = sorted(set(registered_classes()) - have)
    assert not missing, (
        f"registered classes without a golden config: {missing}; "
        "run `python tests/golden/generate.py` (it only adds files)"
    )


def _refuse(constant: str) -> None:
    raise ValueError(f"golden files hold no {constant}")


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_golden_files_are_plain_json_without_nan(path):
    json.loads(path.read_text(), parse_constant=_refuse)
