"""Fuzzing ``from_dict``: garbage in, only ValueError or TypeError out.

Two sources: arbitrary JSON-like data (hypothesis ``recursive``), and valid configs
of every example with a few random mutations (values replaced by garbage, NaN, huge
or boolean numbers, keys dropped or added, values wrapped in lists). Whatever loads
must serialize again.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from examples import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import class_params, json_data, mutated

import jaxsched as js

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _load(data: Any) -> None:
    try:
        schedule = js.from_dict(data)
    except (ValueError, TypeError):
        return
    # It loaded: it must be a schedule that writes a dict it reads back.
    assert isinstance(schedule, js.Schedule)
    config = schedule.to_dict()
    text = json.dumps(config, allow_nan=False)
    assert js.from_dict(json.loads(text)).to_dict() == config


@given(data=json_data)
@settings(SETTINGS, max_examples=200)
def test_garbage_gives_value_or_type_errors(data):
    _load(data)


@given(
    name=st.sampled_from(sorted(js.registry())),
    config=st.dictionaries(st.text(max_size=6), json_data, max_size=4),
)
@settings(SETTINGS, max_examples=100)
def test_known_class_with_garbage_config(name, config):
    _load({"class_name": name, "config": config})


@pytest.mark.parametrize("cls", class_params())
@given(data=st.data())
@SETTINGS
def test_mutated_valid_configs(cls, data):
    base = data.draw(st.sampled_from(EXAMPLES[cls])).to_dict()
    _load(data.draw(mutated(base)))


@pytest.mark.parametrize("cls", class_params())
@given(data=st.data())
@SETTINGS
def test_mutated_configs_through_json_text(cls, data):
    """The same after a trip through JSON text (NaN/Infinity literals included)."""
    base = data.draw(st.sampled_from(EXAMPLES[cls])).to_dict()
    text = json.dumps(data.draw(mutated(base)))
    _load(json.loads(text))


def test_json_nan_and_infinity_literals_are_refused():
    for cls in [c.values[0] for c in class_params()]:
        data = EXAMPLES[cls][0].to_dict()
        for key, value in data["config"].items():
            if isinstance(value, float) and math.isfinite(value):
                for literal in ("NaN", "Infinity", "-Infinity"):
                    text = json.dumps(data).replace(
                        f'"{key}": {json.dumps(value)}', f'"{key}": {literal}', 1
                    )
                    with pytest.raises(ValueError, match=key):
                        js.from_dict(json.loads(text))
