"""Hypothesis strategies and tree helpers shared by the hardening tests.

Everything here works from the field metadata of the registered classes (``leaf``
with ``count=True/False``, ``static``, ``child``, ``children``) and the example
instances in ``tests/examples``, so classes that land later are covered without
edits here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from examples import EXAMPLES, registered_classes
from hypothesis import strategies as st

import jaxsched as js

INT32_MAX = 2**31 - 1


# --------------------------------------------------------------------- the registry


def covered_classes() -> list[type]:
    """jaxsched's registered classes that have example instances, sorted by name."""
    with_examples = set(EXAMPLES)
    return sorted(
        (c for c in registered_classes().values() if c in with_examples),
        key=lambda c: c.__name__,
    )


def class_params() -> list[Any]:
    """``pytest.param(cls, id=name)`` for every covered class."""
    import pytest

    return [pytest.param(c, id=c.__name__) for c in covered_classes()]


def kind(field: dataclasses.Field) -> str:
    return field.metadata.get("kind", "leaf")


def init_fields(schedule_or_cls: Any) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(schedule_or_cls) if f.init]


def kwargs_of(schedule: js.Schedule) -> dict[str, Any]:
    return {f.name: getattr(schedule, f.name) for f in init_fields(schedule)}


def rebuild(instance: js.Schedule, /, **changes: Any) -> js.Schedule:
    """``type(instance)(**fields, **changes)``: goes through validation."""
    kwargs = kwargs_of(instance)
    kwargs.update(changes)
    return type(instance)(**kwargs)


def nodes(schedule: js.Schedule) -> Iterator[js.Schedule]:
    """The schedule and every nested schedule, depth first."""
    yield schedule
    for field in init_fields(schedule):
        value = getattr(schedule, field.name)
        if kind(field) == "schedule" and isinstance(value, js.Schedule):
            yield from nodes(value)
        elif kind(field) == "schedules" and isinstance(value, tuple):
            for item in value:
                if isinstance(item, js.Schedule):
                    yield from nodes(item)


def leaf_fields(schedule: js.Schedule) -> Iterator[tuple[js.Schedule, Any, Any]]:
    """``(node, field, value)`` for every numeric leaf field in the tree."""
    for node in nodes(schedule):
        for field in init_fields(node):
            if kind(field) == "leaf":
                yield node, field, getattr(node, field.name)


def map_leaves(
    schedule: js.Schedule,
    fn: Callable[..., Any],
    *,
    validate: bool = True,
    with_owner: bool = False,
) -> js.Schedule:
    """Rebuild the tree with ``fn(field, value)`` at every leaf field (bottom up);
    ``fn(field, value, owner)`` with ``with_owner`` (the schedule holding the leaf)."""
    changes = {}
    options = {"validate": validate, "with_owner": with_owner}
    for field in init_fields(schedule):
        value = getattr(schedule, field.name)
        k = kind(field)
        if k == "leaf" and value is not None:
            args = (field, value, schedule) if with_owner else (field, value)
            changes[field.name] = fn(*args)
        elif k == "schedule" and isinstance(value, js.Schedule):
            changes[field.name] = map_leaves(value, fn, **options)
        elif k == "schedules" and isinstance(value, tuple):
            changes[field.name] = tuple(map_leaves(v, fn, **options) for v in value)
    if validate:
        return rebuild(schedule, **changes)
    with js.no_validation():
        return rebuild(schedule, **changes)


def is_float_value(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return True
    dtype = getattr(value, "dtype", None)
    return dtype is not None and jnp.issubdtype(dtype, jnp.floating)


def has_non_default_float_leaf(schedule: js.Schedule) -> bool:
    """Whether a float leaf is an array of a dtype that JSON does not keep."""
    for _, _, value in leaf_fields(schedule):
        dtype = getattr(value, "dtype", None)
        floating = dtype is not None and jnp.issubdtype(dtype, jnp.floating)
        if floating and np.dtype(dtype) != np.float64:
            return True
    return False


#: Fields that make a schedule grow without bound when > 1 (Keras extrapolates
#: ``decay_rate ** (step / decay_steps)``): such instances may overflow to inf.
GROWTH_FIELDS = ("decay_rate", "gamma", "decay", "m_mul")
#: Clocks: their value is a time (steps stretched or warped, tokens seen), which grows
#: with the step and overflows at giant float steps.
CLOCKS = ("StretchClock", "PowerClock", "TokenClock")


def may_grow(schedule: js.Schedule, giant: bool = False) -> bool:
    """Whether the schedule may overflow to inf (``giant``: at float steps up to
    3e38, where a clock or a positive power of the step overflows too)."""
    name = type(schedule).__name__
    if giant and name in CLOCKS:
        return True
    positive = name == "PowerLaw" and not bool(
        np.all(np.asarray(schedule.exponent) <= 0)
    )
    if giant and positive:
        return True
    return any(
        field.name in GROWTH_FIELDS
        and value is not None
        and not bool(np.all(np.asarray(value, np.float64) <= 1))
        for _, field, value in leaf_fields(schedule)
    )


def count_values(schedule: js.Schedule) -> list[int]:
    """Every whole-number value of a count leaf in the tree (scalars and elements)."""
    out = []
    for _, field, value in leaf_fields(schedule):
        if not field.metadata.get("count", False) or value is None:
            continue
        for x in np.ravel(np.asarray(value, dtype=np.float64)):
            if math.isfinite(x) and x == math.floor(x):
                out.append(int(x))
    return out


# ----------------------------------------------------------------- perturbations


def _scale(value: Any, factor: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return type(value)(value * factor)
    if isinstance(value, jax.Array):
        return jnp.asarray(np.asarray(value) * factor, value.dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(np.asarray(value) * factor).astype(value.dtype)
    return value


@st.composite
def perturbed(draw: Any, base: js.Schedule) -> js.Schedule | None:
    """``base`` with its value leaves scaled by a positive factor in [0.5, 2] and its
    count leaves by a whole factor in 1..3 (integer value leaves by a whole factor too).

    Returns None where the scaled values break a constraint (the caller ``assume``s).
    """

    def scale(field: dataclasses.Field, value: Any) -> Any:
        whole = field.metadata.get("count", False) or not is_float_value(value)
        if whole:
            factor = draw(st.integers(1, 3), label=f"{field.name} factor")
        else:
            factor = draw(
                st.floats(0.5, 2.0, allow_nan=False, allow_infinity=False),
                label=f"{field.name} factor",
            )
        return _scale(value, factor)

    try:
        return map_leaves(base, scale)
    except ValueError:
        return None


def example_of(cls: type, first: int | None = None) -> st.SearchStrategy[js.Schedule]:
    """One of the example instances of ``cls`` (of its ``first`` ones, if given)."""
    return st.sampled_from(EXAMPLES[cls][:first])


@st.composite
def schedule_of(draw: Any, cls: type, first: int | None = None) -> js.Schedule | None:
    """A perturbed example instance of ``cls`` (None: constraints broken)."""
    return draw(perturbed(draw(example_of(cls, first))))


# ------------------------------------------------------------------------- steps

SPECIAL_INTS = [0, 1, 2, 7, 2**24 - 1, 2**24, 2**24 + 1, 10**9, INT32_MAX]


def int_steps(size: int = 8, *, min_value: int = -1000) -> st.SearchStrategy:
    """A fixed-length int32 array of steps: 0, negative, ordinary and huge (up to
    2**31 - 1). Negative steps stay small: extrapolations such as optax's periodic
    cosine for t < 0 are float32 arithmetic whose rounding grows with |t|."""
    element = st.one_of(
        st.sampled_from([s for s in SPECIAL_INTS if s >= min_value]),
        st.integers(max(min_value, -1000), 10**5),
        st.integers(max(min_value, 0), INT32_MAX),
    )
    return st.lists(element, min_size=size, max_size=size).map(
        lambda xs: jnp.asarray(xs, jnp.int32)
    )


def float_steps(
    size: int = 8, *, min_value: float = -1000.0, max_value: float = 2.0**24
) -> st.SearchStrategy:
    """A fixed-length float32 array of steps. Up to 2**24 by default, where float32
    still holds every whole step; pass ``max_value`` for giant float steps."""
    element = st.one_of(
        st.floats(min_value, 1e5, allow_nan=False, width=32),
        st.floats(max(min_value, 0.0), max_value, allow_nan=False, width=32),
        st.sampled_from([x for x in [0.0, 0.5, 1.0, 2.0**24, 1e9] if x <= max_value]),
    )
    return st.lists(element, min_size=size, max_size=size).map(
        lambda xs: jnp.asarray(xs, jnp.float32)
    )


# ----------------------------------------------------------------- JSON garbage

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        ["ExponentialDecay", "Schedule", "_private", "os", "subprocess.Popen", ""]
    ),
)

json_data = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    ["module", "class_name", "config", "registered_name", "format"]
                ),
                st.text(max_size=8),
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=20,
)


def _paths(data: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


def _replace(data: Any, path: tuple, fn: Callable[[Any], Any]) -> Any:
    if not path:
        return fn(data)
    head, *rest = path
    out = dict(data) if isinstance(data, dict) else list(data)
    out[head] = _replace(data[head], tuple(rest), fn)
    return out


_DELETE = object()


@st.composite
def mutated(draw: Any, data: Any) -> Any:
    """``data`` (a valid config) with one to three random mutations."""
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        action = draw(
            st.sampled_from(["replace", "delete", "add", "wrap", "number", "string"])
        )
        if action == "replace":
            garbage = draw(json_data)
            data = _replace(data, path, lambda _, new=garbage: new)
        elif action == "number":
            number = draw(
                st.sampled_from(
                    [
                        float("nan"),
                        float("inf"),
                        -float("inf"),
                        -1,
                        0,
                        0.0,
                        -0.5,
                        1e308,
                        2**31,
                        2**63,
                        2**64,
                        10**30,
                        True,
                        False,
                    ]
                )
            )
            data = _replace(data, path, lambda _, new=number: new)
        elif action == "string":
            text = draw(st.sampled_from(["", "0.1", "nan", "os.system", "linear"]))
            data = _replace(data, path, lambda _, new=text: new)
        elif action == "wrap":
            data = _replace(data, path, lambda v: [v])
        elif action == "delete" and path and isinstance(data, dict | list):
            parent, key = path[:-1], path[-1]

            def drop(container: Any, key: Any = key) -> Any:
                if isinstance(container, dict):
                    out = dict(container)
                else:
                    out = list(container)
                del out[key]
                return out

            data = _replace(data, parent, drop)
        elif action == "add":
            key = draw(st.sampled_from(["extra", "format", "module", "config", "_x"]))
            value = draw(json_scalars)

            def add(container: Any, key: Any = key, value: Any = value) -> Any:
                if isinstance(container, dict):
                    return {**container, key: value}
                if isinstance(container, list):
                    return [*container, value]
                return container

            data = _replace(data, path, add)
    return data
