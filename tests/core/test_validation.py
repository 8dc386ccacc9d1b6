"""Bad input everywhere: every field of every registered class rejects invalid values.

The invalid values are generated from the field metadata (``leaf`` / ``static`` /
``child`` / ``children``, a leaf's ``check``, a static's ``type`` and ``choices``) and
applied to the example instances in ``tests/examples``, so new classes are covered
as they land. Every error must be a ValueError or TypeError whose message names the
class, the field and the received value.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import jax.numpy as jnp
import numpy as np
import pytest
from examples import EXAMPLES
from helpers import assert_each_rejected
from strategies import covered_classes, init_fields, kind, rebuild

import jaxsched as js
from jaxsched.core import _validation

NAN, INF = float("nan"), float("inf")

# (value, the error it must raise, text that must appear in the message)
BAD_NUMBERS = [
    ("0.1", TypeError, "'0.1'"),
    (True, TypeError, "True"),
    (np.bool_(False), TypeError, "False"),
    (b"1", TypeError, "b'1'"),
    (1 + 2j, TypeError, "(1+2j)"),
    ({"value": 1}, TypeError, "{'value': 1}"),
    (NAN, ValueError, "nan"),
    (INF, ValueError, "inf"),
    (-INF, ValueError, "-inf"),
    (np.float32("nan"), ValueError, "nan"),
    (jnp.asarray(INF), ValueError, "inf"),
]
BAD_STATICS = ["no-such-mode", "", 5, 2.5, True, None, b"x", [1], object()]
BAD_CHILDREN = ["ExponentialDecay", 3, 0.5, {"class_name": "ExponentialDecay"}]
PROBES = [-1, 0, 0.5, 1, 1.5, -0.5, 2]  # tried against each leaf's own check


def _cases() -> list[Any]:
    """``(instance, field)`` for the first example of each structure of every class."""
    cases = []
    for cls in covered_classes():
        seen = set()
        for index, example in enumerate(EXAMPLES[cls]):
            for field in init_fields(example):
                key = (field.name, _shape_key(getattr(example, field.name)))
                if key in seen:
                    continue
                seen.add(key)
                cases.append(
                    pytest.param(
                        example, field, id=f"{cls.__name__}-{index}-{field.name}"
                    )
                )
    return cases


def _shape_key(value: Any) -> Any:
    return (type(value).__name__, np.ndim(value) if _is_number_like(value) else None)


def _is_number_like(value: Any) -> bool:
    return isinstance(value, (int, float, np.ndarray, np.generic, jnp.ndarray))


CASES = _cases()


def _fields_of_kind(wanted: str) -> list[Any]:
    return [c for c in CASES if kind(c.values[1]) == wanted]


def _pattern(owner: str, field: str, shown: str) -> re.Pattern[str]:
    """A message that names the class, the field and ``shown``."""
    pattern = (
        rf"{re.escape(owner)}\b.*`?{re.escape(field)}`?.*"
        rf"{re.escape(shown)}"
    )
    return re.compile(pattern, re.S)


def _expect(owner: str, field: str, shown: str, error: Any):
    """pytest.raises(error) whose message names the class, the field and ``shown``."""
    return pytest.raises(error, match=_pattern(owner, field, shown))


def _owner(example: js.Schedule) -> str:
    return type(example).__name__


@pytest.mark.parametrize(("example", "field"), _fields_of_kind("leaf"))
def test_leaf_rejects_non_numbers_and_non_finite(example, field):
    owner = _owner(example)
    assert_each_rejected(
        [
            (bad, error, _pattern(owner, field.name, shown))
            for bad, error, shown in BAD_NUMBERS
        ],
        lambda bad: rebuild(example, **{field.name: bad}),
    )


# Numbers JAX cannot store in the leaf's dtype without x64 (int32, float32): refused
# when the schedule is built, not on its first call (an OverflowError inside jit, or
# a warning about a cast to inf). The message gives the limit and the way out.
UNREPRESENTABLE = [
    (2**32, ValueError, "int32, [-2147483648, 2147483647]. Received"),
    (-(2**31) - 1, ValueError, "int32, [-2147483648, 2147483647]. Received"),
    (np.int64(2**40), ValueError, "int32, [-2147483648, 2147483647]. Received"),
    (1e300, ValueError, "float32's range, |x| <= 3.4028235e+38. Received"),
    (np.float64(-4e38), ValueError, "float32's range, |x| <= 3.4028235e+38. Received"),
]


@pytest.mark.parametrize(("example", "field"), _fields_of_kind("leaf"))
def test_leaf_rejects_numbers_its_dtype_cannot_hold(example, field):
    owner = _owner(example)
    value = getattr(example, field.name)
    ndim = np.ndim(value) if value is not None else 0
    assert_each_rejected(
        [
            (
                bad if ndim == 0 else [bad] * int(np.shape(value)[0]),
                error,
                _pattern(owner, field.name, shown),
            )
            for bad, error, shown in UNREPRESENTABLE
        ],
        lambda bad: rebuild(example, **{field.name: bad}),
    )
    # and the way out is named
    with pytest.raises(ValueError, match="enable x64"):
        rebuild(example, **{field.name: 2**32 if ndim == 0 else [2**32]})


def test_numbers_at_the_limits_are_accepted():
    js.StepLR(0.1, step_size=2**31 - 1)
    js.MultiStepLR(0.1, [1, 2**31 - 1])
    js.StepLR(3.4e38, step_size=10)


@pytest.mark.parametrize(("example", "field"), _fields_of_kind("leaf"))
def test_sequence_leaf_rejects_a_bad_element(example, field):
    value = getattr(example, field.name)
    if np.ndim(value) == 0:
        pytest.skip("a scalar leaf")
    elements = np.asarray(value, dtype=np.float64).tolist()
    for position in (0, len(elements) - 1):
        for bad, error, shown in [(NAN, ValueError, "nan"), ("x", TypeError, "'x'")]:
            broken = list(elements)
            broken[position] = bad
            with _expect(_owner(example), field.name, shown, error):
                rebuild(example, **{field.name: broken})
    with pytest.raises((ValueError, TypeError), match=_owner(example)):
        rebuild(example, **{field.name: [[*elements], [*elements, 1.0]]})


@pytest.mark.parametrize(("example", "field"), _fields_of_kind("leaf"))
def test_leaf_check_rejects_what_it_documents(example, field):
    """Each leaf's own check (> 0, >= 0, in [0, 1], increasing, ...) is enforced."""
    check = field.metadata.get("check")
    if check is None:
        pytest.skip("no elementwise check on this field")
    value = getattr(example, field.name)
    if np.ndim(value) == 0:
        probes = PROBES
    else:
        array = np.asarray(value, dtype=np.float64)
        probes = [array[::-1].tolist(), (-array).tolist(), (array * 0).tolist()]
    tried = 0
    for probe in probes:
        if bool(np.all(check.predicate(np.asarray(probe)))):
            continue  # the check allows this probe
        tried += 1
        probe = np.asarray(probe)
        shown = _validation.describe(probe)
        with _expect(_owner(example), field.name, shown, ValueError):
            rebuild(example, **{field.name: probe})
    assert tried, f"no probe violates {check.expected!r}"


def _violates(field: dataclasses.Field, value: Any) -> bool:
    expected = field.metadata.get("type", object)
    types = expected if isinstance(expected, tuple) else (expected,)
    if expected is not object:
        ok = isinstance(value, types)
        if isinstance(value, bool) and bool not in types:
            ok = False
        if not ok:
            return True
    choices = field.metadata.get("choices")
    if choices is not None:
        try:
            return value not in choices
        except TypeError:
            return True
    return False


@pytest.mark.parametrize(("example", "field"), _fields_of_kind("static"))
def test_static_rejects_wrong_types_and_unknown_choices(example, field):
    tried = 0
    for bad in BAD_STATICS:
        if not _violates(field, bad):
            continue
        tried += 1
        shown = _validation.describe(bad)[:40]
        with _expect(_owner(example), field.name, shown, (ValueError, TypeError)):
            rebuild(example, **{field.name: bad})
    if not tried:
        pytest.skip("this static option accepts any value")


@pytest.mark.parametrize(("example", "field"), _fields_of_kind("static"))
def test_static_rejects_unknown_mode_strings(example, field):
    choices = field.metadata.get("choices")
    if not choices or not all(isinstance(c, str) for c in choices if c is not None):
        pytest.skip("not a mode string")
    for bad in ["no-such-mode", choices[0].upper() + "!", f" {choices[0]}"]:
        if bad in choices:
            continue
        with _expect(_owner(example), field.name, repr(bad), ValueError) as info:
            rebuild(example, **{field.name: bad})
        for choice in choices:  # the message lists what is allowed
            assert repr(choice) in str(info.value)


@pytest.mark.parametrize(
    ("example", "field"), _fields_of_kind("schedule") + _fields_of_kind("schedules")
)
def test_child_rejects_non_schedules(example, field):
    many = kind(field) == "schedules"
    for bad in BAD_CHILDREN:
        value = [bad] if many else bad
        name = f"{field.name}[0]" if many else field.name
        shown = _validation.describe(bad)[:30]
        with _expect(_owner(example), name, shown, TypeError):
            rebuild(example, **{field.name: value})
    with pytest.raises(TypeError, match=rf"{_owner(example)}.*Lambda"):
        rebuild(example, **{field.name: [math.cos] if many else math.cos})


@pytest.mark.parametrize(("example", "field"), _fields_of_kind("schedules"))
def test_children_reject_a_string(example, field):
    with _expect(_owner(example), field.name, "'abc'", TypeError):
        rebuild(example, **{field.name: "abc"})


def _sequence_fields(example: js.Schedule) -> list[str]:
    return [
        f.name
        for f in init_fields(example)
        if kind(f) == "leaf" and np.ndim(getattr(example, f.name)) == 1
    ]


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(e, id=f"{type(e).__name__}-{i}")
        for cls in covered_classes()
        for i, e in enumerate(EXAMPLES[cls])
        if len(_sequence_fields(e)) >= 2
    ]
    or [pytest.param(None, marks=pytest.mark.skip("no class with two sequences"))],
)
def test_sequences_of_mismatched_length_are_rejected(example):
    """Classes with two sequence leaves (boundaries and values...) check lengths."""
    for name in _sequence_fields(example):
        short = np.asarray(getattr(example, name))[:-1]
        with pytest.raises(ValueError, match=re.escape(_owner(example))):
            rebuild(example, **{name: short})


def test_keyword_and_missing_arguments_are_python_errors():
    for cls in covered_classes():
        with pytest.raises(TypeError):
            cls(no_such_argument=1)


@pytest.mark.parametrize(("example", "field"), _fields_of_kind("leaf"))
def test_validation_can_be_switched_off_for_specs(example, field):
    with js.no_validation():
        spec = rebuild(example, **{field.name: NAN})
    assert getattr(spec, field.name) is NAN
    with pytest.raises(ValueError):
        rebuild(example, **{field.name: NAN})
