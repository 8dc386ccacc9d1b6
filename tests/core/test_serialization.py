"""``from_dict`` refuses bad data clearly and never imports what the data names."""

from __future__ import annotations

import builtins
import functools
import importlib
import json
import re
import sys
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from examples import EXAMPLES, registered_classes
from helpers import assert_each_rejected
from strategies import covered_classes, init_fields, kind
from sweep_checks import values

import jaxsched as js
from jaxsched.core._serialization import FORMAT

ERRORS = (ValueError, TypeError)


def _examples() -> list[Any]:
    return [
        pytest.param(e, id=f"{c.__name__}-{i}")
        for c in covered_classes()
        for i, e in enumerate(EXAMPLES[c])
    ]


def _first_examples() -> list[Any]:
    return [pytest.param(EXAMPLES[c][0], id=c.__name__) for c in covered_classes()]


def _leaf_names(schedule: js.Schedule) -> list[str]:
    return [f.name for f in init_fields(schedule) if kind(f) == "leaf"]


def _optional(schedule: js.Schedule, name: str) -> bool:
    field = next(f for f in init_fields(schedule) if f.name == name)
    return bool(field.metadata.get("optional", False))


# ------------------------------------------------------------------ the envelope


@pytest.mark.parametrize(
    "data", [None, [], "ExponentialDecay", 3, 2.5, True, ("a", "b"), b"{}"], ids=repr
)
def test_rejects_non_dicts(data):
    with pytest.raises(TypeError, match="from_dict: expected a dict"):
        js.from_dict(data)


@pytest.mark.parametrize(
    "name",
    ["NoSuchSchedule", "_private", "_REGISTRY", "", "exponentialdecay", "Schedule"],
)
def test_rejects_unknown_private_and_abstract_names_listing_known_ones(name):
    data = {"module": "jaxsched", "class_name": name, "config": {}}
    with pytest.raises(ValueError, match="unknown schedule class") as info:
        js.from_dict(data)
    assert repr(name) in str(info.value)
    for known in registered_classes():
        assert known in str(info.value)
    assert "_private" not in str(info.value).split("Known:")[1]


def test_rejects_the_abstract_base_through_from_config():
    with pytest.raises(TypeError, match="not a concrete schedule class"):
        js.Schedule.from_config({})


@pytest.mark.parametrize("name", [None, 3, ["ExponentialDecay"], {"a": 1}], ids=repr)
def test_rejects_a_class_name_that_is_not_a_string(name):
    with pytest.raises(TypeError, match="'class_name' must be a string"):
        js.from_dict({"class_name": name, "config": {}})


def test_rejects_unknown_envelope_keys_and_a_missing_config():
    data = EXAMPLES[covered_classes()[0]][0].to_dict()
    with pytest.raises(ValueError, match=r"unknown keys \['eval'\]"):
        js.from_dict({**data, "eval": "print(1)"})
    del data["config"]
    with pytest.raises(ValueError, match="has no 'config'"):
        js.from_dict(data)


@pytest.mark.parametrize("schedule", _first_examples())
def test_rejects_missing_and_unknown_fields(schedule):
    data = schedule.to_dict()
    name = type(schedule).__name__
    config = data["config"]
    with pytest.raises(ValueError, match=rf"{name}.*unknown fields \['bogus'\]"):
        js.from_dict({**data, "config": {**config, "bogus": 1}})
    with pytest.raises(ValueError, match=rf"{name}.*unknown fields \['_private'\]"):
        js.from_dict({**data, "config": {**config, "_private": 1}})
    required = [
        f.name
        for f in init_fields(schedule)
        if f.default is f.default_factory  # both MISSING: a required argument
    ]
    for field in required:
        trimmed = {k: v for k, v in config.items() if k != field}
        with pytest.raises(ValueError, match=rf"missing fields \['{field}'\]"):
            js.from_dict({**data, "config": trimmed})
    with pytest.raises(TypeError, match="'config' must be a dict"):
        js.from_dict({**data, "config": list(config.items())})


BAD_JSON_NUMBERS = [
    ('"0.1"', TypeError, "'0.1'"),
    ("true", TypeError, "True"),
    ("null", TypeError, "None"),
    ('{"a": 1}', TypeError, "{'a': 1}"),
    ("NaN", ValueError, "nan"),
    ("Infinity", ValueError, "inf"),
    ("-Infinity", ValueError, "-inf"),
    ('["1"]', TypeError, "'1'"),
    ("[NaN]", ValueError, "nan"),
    ("[true]", TypeError, "True"),
    ("[[1], [1, 2]]", ValueError, "rectangular"),
]


@pytest.mark.parametrize("schedule", _first_examples())
def test_rejects_bad_numbers_from_json(schedule):
    """Strings, bools, null, NaN and inf (as Python's json writes and reads them)."""
    data = json.loads(json.dumps(schedule.to_dict()))
    name = type(schedule).__name__
    for field in _leaf_names(schedule):
        cases = [
            (text, error, rf"{name}.*{field}.*{re.escape(shown)}")
            for text, error, shown in BAD_JSON_NUMBERS
            # None means "absent" for an optional leaf
            if not (text == "null" and _optional(schedule, field))
        ]
        assert_each_rejected(
            cases,
            lambda text, field=field: js.from_dict(
                {**data, "config": {**data["config"], field: json.loads(text)}}
            ),
        )


@pytest.mark.parametrize("schedule", _first_examples())
def test_rejects_non_plain_static_values(schedule):
    data = schedule.to_dict()
    for field in init_fields(schedule):
        if kind(field) != "static":
            continue
        for bad in ([1], {"a": 1}):
            config = {**data["config"], field.name: bad}
            with pytest.raises(TypeError, match=field.name):
                js.from_dict({**data, "config": config})


# ----------------------------------------------------------------------- nesting


def _nestable() -> list[Any]:
    """Examples with a single nested schedule field (``child`` or ``children``)."""
    out = []
    for cls in covered_classes():
        for i, e in enumerate(EXAMPLES[cls]):
            nested = [f for f in init_fields(e) if kind(f) in ("schedule", "schedules")]
            if nested:
                out.append(pytest.param(e, nested[0], id=f"{cls.__name__}-{i}"))
                break
    return out or [pytest.param(None, None, marks=pytest.mark.skip("no combinator"))]


def _wrap(outer: dict, field: Any, inner: dict) -> dict:
    """``outer`` with its (first) nested schedule replaced by ``inner``."""
    config = dict(outer["config"])
    if kind(field) == "schedule":
        config[field.name] = inner
    else:
        config[field.name] = [inner, *config[field.name][1:]]
    return {**outer, "config": config}


def _simple() -> js.Schedule:
    """An example without nested schedules."""
    return next(
        e
        for c in covered_classes()
        for e in EXAMPLES[c]
        if all(kind(f) not in ("schedule", "schedules") for f in init_fields(e))
    )


def _chain(outer: dict, field: Any, depth: int) -> dict:
    """``depth`` copies of ``outer`` around a simple schedule: root at level 0,
    the simple schedule at level ``depth``."""
    data = _simple().to_dict()
    for _ in range(depth):  # built iteratively: no recursion in the test itself
        data = _wrap(outer, field, data)
    return data


@pytest.mark.parametrize(("schedule", "field"), _nestable())
def test_nesting_up_to_max_depth_loads_and_deeper_is_a_clean_value_error(
    schedule, field
):
    outer = schedule.to_dict()
    deepest = js.from_dict(_chain(outer, field, js.MAX_DEPTH))
    assert isinstance(deepest, type(schedule))
    with pytest.raises(ValueError, match=f"deeper than {js.MAX_DEPTH}"):
        js.from_dict(_chain(outer, field, js.MAX_DEPTH + 1))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 1000))
    try:
        with pytest.raises(ValueError, match=f"deeper than {js.MAX_DEPTH}"):
            js.from_dict(_chain(outer, field, 5000))
    finally:
        sys.setrecursionlimit(limit)


def test_deeply_nested_lists_in_a_leaf_are_a_clean_error():
    schedule = _simple()
    data = schedule.to_dict()
    deep: Any = [1.0]
    for _ in range(5000):
        deep = [deep]
    field = _leaf_names(schedule)[0]
    with pytest.raises(ValueError, match="nested too deeply"):
        js.from_dict({**data, "config": {**data["config"], field: deep}})


# ------------------------------------------------------------------ no imports

HOSTILE = [
    {"module": "os", "class_name": "system", "config": {"command": "true"}},
    {"module": "subprocess", "class_name": "Popen", "config": {"args": ["true"]}},
    {
        "module": "keras.optimizers.schedules",
        "class_name": "Popen",
        "registered_name": "subprocess.Popen",
        "config": {},
    },
    {"module": "builtins", "class_name": "eval", "config": {"source": "1"}},
    {"class_name": "os.system", "config": {}},
    {"class_name": "__import__", "config": {"name": "os"}},
    {"module": "jaxsched_not_installed_module", "class_name": "X", "config": {}},
]


NAMED = {"os", "subprocess", "builtins", "keras", "jaxsched_not_installed_module"}


def _no_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail on ``import_module``, on any import of a module not loaded yet, and on
    any import of a module the data names (NumPy's internal look-ups of modules
    that are already loaded stay allowed)."""
    real_import = builtins.__import__

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"from_dict called import_module{args[:1]}")

    def guarded(name: str, *args: Any, **kwargs: Any) -> Any:
        level = kwargs.get("level", args[3] if len(args) > 3 else 0)
        if level == 0 and (name not in sys.modules or name.split(".")[0] in NAMED):
            raise AssertionError(f"from_dict imported {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", refuse)
    monkeypatch.setattr(builtins, "__import__", guarded)


@pytest.mark.parametrize("data", HOSTILE, ids=lambda d: d["class_name"])
def test_data_naming_a_module_never_imports_it(data, monkeypatch):
    before = set(sys.modules)
    with monkeypatch.context() as patch:
        _no_imports(patch)
        with pytest.raises(ValueError, match="unknown schedule class"):
            js.from_dict(data)
    assert set(sys.modules) == before


@pytest.mark.parametrize("schedule", _examples())
def test_loading_valid_data_with_foreign_module_names_imports_nothing(
    schedule, monkeypatch
):
    """``module`` and ``registered_name`` are informational: never imported."""
    data = schedule.to_dict()
    hostile = {
        **data,
        "module": "jaxsched_not_installed_module",
        "registered_name": "subprocess.Popen",
    }
    before = set(sys.modules)
    with monkeypatch.context() as patch:
        _no_imports(patch)
        again = js.from_dict(hostile)
        keras_style = js.from_dict(
            {**data, "module": "keras.optimizers.schedules", "registered_name": None}
        )
    assert set(sys.modules) == before
    assert again.to_dict() == data
    assert keras_style.to_dict() == data


@pytest.mark.parametrize("key", ["module", "registered_name"])
@pytest.mark.parametrize("value", [3, ["os"], {"a": 1}], ids=repr)
def test_module_entries_must_be_strings(key, value):
    data = {**EXAMPLES[covered_classes()[0]][0].to_dict(), key: value}
    with pytest.raises(TypeError, match=key):
        js.from_dict(data)


# -------------------------------------------------------------------- versions


def test_the_format_key_is_optional_and_newer_formats_are_refused():
    schedule = EXAMPLES[covered_classes()[0]][0]
    data = schedule.to_dict()
    assert "format" not in data  # format 1 is written without the key (Keras shape)
    assert js.from_dict({**data, "format": FORMAT}).to_dict() == data
    with pytest.raises(ValueError, match="unsupported serialization format 2"):
        js.from_dict({**data, "format": FORMAT + 1})
    with pytest.raises(ValueError, match="unsupported serialization format 0"):
        js.from_dict({**data, "format": 0})
    for bad in ("1", 1.0, True, None):
        with pytest.raises(TypeError, match="'format' must be an integer"):
            js.from_dict({**data, "format": bad})


KERAS_NAMED = {
    "ExponentialDecay",
    "InverseTimeDecay",
    "PolynomialDecay",
    "PiecewiseConstantDecay",
    "CosineDecay",
    "CosineDecayRestarts",
}


def _keras_examples() -> list[Any]:
    return [
        pytest.param(e, id=f"{c.__name__}-{i}")
        for c in covered_classes()
        if c.__name__ in KERAS_NAMED
        for i, e in enumerate(EXAMPLES[c])
    ]


KERAS_STEPS = np.array([0, 1, 5, 10, 99, 1000], dtype=np.int32)


def _keras_read(keras, schedule):
    """Keras's schedule read from our dict (through JSON)."""
    data = json.loads(json.dumps(schedule.to_dict()))
    return keras.optimizers.schedules.deserialize(data)


@functools.cache
def _keras_values() -> dict[int, np.ndarray]:
    """Every Keras-read example's values at KERAS_STEPS (by ``id`` of our example):
    one jitted program for all of them (each Keras schedule vmapped over the steps,
    closed over), where each was a run of eager ops."""
    keras = pytest.importorskip("keras")
    examples = [p.values[0] for p in _keras_examples()]
    theirs = [_keras_read(keras, e) for e in examples]
    at = jax.jit(lambda t: [jax.vmap(k)(t) for k in theirs])(jnp.asarray(KERAS_STEPS))
    return {id(e): np.asarray(v, np.float64) for e, v in zip(examples, at, strict=True)}


@pytest.mark.parametrize("schedule", _keras_examples())
def test_keras_deserialize_reads_our_dicts_and_we_read_keras(schedule):
    keras = pytest.importorskip("keras")
    data = json.loads(json.dumps(schedule.to_dict()))
    theirs = _keras_read(keras, schedule)
    # With the optional format key, Keras reads the same schedule.
    formatted = keras.optimizers.schedules.deserialize({**data, "format": FORMAT})
    assert type(formatted) is type(theirs)
    assert formatted.get_config() == theirs.get_config()
    ours = values(schedule, KERAS_STEPS)[0]
    keras_values = _keras_values()[id(schedule)]
    defined = np.isfinite(keras_values)  # Keras gives NaN past t_mul < 1 horizons
    np.testing.assert_allclose(
        keras_values[defined], ours[defined], rtol=1e-5, atol=1e-7
    )
    again = js.from_dict(keras.optimizers.schedules.serialize(theirs))
    assert again.to_dict() == schedule.to_dict()


SWEPT = js.grid(js.ExponentialDecay, initial_learning_rate=[0.1, 1.0], decay_steps=10,
                decay_rate=np.array([0.5, 0.9], np.float32))  # fmt: skip


def test_a_grid_keeps_its_swept_arguments_through_json():
    data = json.loads(json.dumps(SWEPT.to_dict(), allow_nan=False))
    assert data["swept"] == [
        {"initial_learning_rate": 0.1, "decay_rate": 0.5},
        {"initial_learning_rate": 0.1, "decay_rate": 0.9},
        {"initial_learning_rate": 1.0, "decay_rate": 0.5},
        {"initial_learning_rate": 1.0, "decay_rate": 0.9},
    ]
    again = js.from_dict(data)
    assert again.to_dict() == data
    at = jax.jit(jax.vmap(lambda member: member(jnp.array([0, 10, 25]))))
    np.testing.assert_array_equal(at(again), at(SWEPT))
    # A member, or a sweep rebuilt by JAX, has no swept values to write.
    assert "swept" not in js.unstack(again)[0].to_dict()
    assert "swept" not in jax.tree.map(lambda x: x, again).to_dict()


@pytest.mark.parametrize(
    ("swept", "error", "message"),
    [
        ({"a": 1}, ValueError, r"'swept' must be a list of 4 dicts, one per member. "
         r"Received: dict"),
        ([{}] * 3, ValueError, r"'swept' must be a list of 4 dicts.*Received: 3 items"),
        ([{}, {}, {}, 7], TypeError, r"'swept'\[3\] must be a dict of argument names"),
        ([{}, {}, {}, {1: 2}], TypeError, r"'swept'\[3\] must be a dict"),
        ([{}, {}, {}, {"a": {"b": 1}}], TypeError,
         r"'swept'\[3\]\['a'\] must be a number, string, bool, null or a list"),
    ],
    ids=repr,
)  # fmt: skip
def test_bad_swept_labels_are_clear_errors(swept, error, message):
    data = dict(SWEPT.to_dict(), swept=swept)
    with pytest.raises(error, match=r"from_dict: ExponentialDecay: " + message):
        js.from_dict(data)


def test_swept_labels_only_on_the_outer_stacked_schedule():
    single = dict(js.Constant(0.1).to_dict(), swept=[{"value": 0.1}])
    with pytest.raises(ValueError, match="labels the members of a stacked sweep"):
        js.from_dict(single)
    inner = js.grid(js.Constant, value=[0.1, 0.2]).to_dict()
    outer = js.Shift(js.Constant(0.1), 3).to_dict()
    outer["config"]["schedule"] = inner
    with pytest.raises(ValueError, match="only read on the outermost schedule"):
        js.from_dict(outer)


def test_swept_text_is_kept_as_text_never_evaluated(monkeypatch):
    text = "__import__('subprocess').run('false')"
    data = dict(
        js.grid(js.Constant, value=[0.1, 0.2]).to_dict(), swept=[{"x": text}] * 2
    )
    before = set(sys.modules)
    with monkeypatch.context() as patch:
        _no_imports(patch)
        loaded = js.from_dict(data)
    assert set(sys.modules) == before
    assert loaded.to_dict()["swept"] == [{"x": text}] * 2
