"""Reading schedules back from plain data (JSON), in jaxsched's or Keras's envelope.

The format, version 1::

    {"module": "jaxsched", "class_name": "ExponentialDecay",
     "config": {"initial_learning_rate": 0.1, "decay_steps": 1000, ...}}

Nested schedules are nested dicts of the same shape, arrays are (nested) lists. A
stacked sweep from ``grid`` or ``sample`` adds ``"swept"``: one dict per member of
the arguments swept and their values (labels only: they are checked to be plain
data and never change the schedule).
``keras.optimizers.schedules.serialize()`` output (``"module":
"keras.optimizers.schedules"``, ``"registered_name": null``) is read as well.

Loading is data only: ``class_name`` is looked up in jaxsched's registry, and the
``module`` and ``registered_name`` entries are never imported or evaluated.

Versioning: the envelope may carry ``"format": <int>``; a missing key means format 1,
the format that ``to_dict`` writes (without the key, so that the dict stays exactly
Keras's shape). Every later jaxsched reads format 1: fields added later have
defaults, and renamed fields keep reading their old names. An incompatible change
would raise :data:`FORMAT` and write the key; a reader refuses formats newer than
its own with a clear ValueError instead of misreading them.
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import math
from collections.abc import Callable
from typing import Any, cast

import numpy as np

from jaxsched.core._batch import batch_size, label_members
from jaxsched.core._fields import kind as _kind
from jaxsched.core._schedule import _REGISTRY, Schedule, provide

__all__ = [
    "FORMAT",
    "MAX_DEPTH",
    "deserialize",
    "from_config",
    "from_dict",
    "serialize",
]

#: Deepest nesting of schedules that :func:`from_dict` accepts.
MAX_DEPTH = 64

#: The newest serialization format this version reads (and the one it writes).
FORMAT = 1

_ENVELOPE_KEYS = {
    "module",
    "class_name",
    "config",
    "registered_name",
    "format",
    "swept",
}


def serialize(schedule: Schedule) -> dict[str, Any]:
    """``schedule.to_dict()``; the name Keras uses."""
    if not isinstance(schedule, Schedule):
        raise TypeError(
            "serialize: expected a jaxsched Schedule. "
            f"Received: {type(schedule).__name__}"
        )
    return schedule.to_dict()


def from_dict(data: Any) -> Schedule:
    """Build a schedule from :meth:`Schedule.to_dict` or Keras ``serialize()`` output.

    Raises:
      TypeError: ``data`` or a field has the wrong type.
      ValueError: unknown or private class name, missing or unknown fields, invalid
        values (NaN, non-positive lengths, ...), nesting deeper than ``MAX_DEPTH``.
    """
    return _from_dict(data, depth=0, where="from_dict")


deserialize = from_dict


def from_config(cls: type[Schedule], config: Any) -> Schedule:
    """``cls(**config)`` with the same checks as :func:`from_dict`."""
    return _build(cls, config, depth=0, where=f"{cls.__name__}.from_config")


def _from_dict(data: Any, depth: int, where: str) -> Schedule:
    if depth > MAX_DEPTH:
        raise ValueError(
            f"{where}: schedules nested deeper than {MAX_DEPTH} levels are not accepted"
        )
    if not isinstance(data, dict):
        raise TypeError(
            f"{where}: expected a dict with 'class_name' and 'config'. "
            f"Received: {type(data).__name__}"
        )
    unknown = set(data) - _ENVELOPE_KEYS
    if unknown:
        raise ValueError(
            f"{where}: unknown keys {sorted(map(str, unknown))}; expected only "
            f"{sorted(_ENVELOPE_KEYS)}"
        )
    name = data.get("class_name")
    if not isinstance(name, str):
        raise TypeError(f"{where}: 'class_name' must be a string. Received: {name!r}")
    for key in ("module", "registered_name"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise TypeError(f"{where}: {key!r} must be a string or null")
    _check_format(data.get("format", FORMAT), where)
    cls = _REGISTRY.get(name)
    if cls is None or name.startswith("_"):
        public = sorted(n for n in _REGISTRY if not n.startswith("_"))
        raise ValueError(
            f"{where}: unknown schedule class {name!r}.{_hint_class(name, public)} "
            f"Known: {', '.join(public)}"
        )
    if "config" not in data:
        raise ValueError(f"{where}: {name} has no 'config'")
    schedule = _build(cls, data["config"], depth, where=name)
    if "swept" in data:
        _label(schedule, data["swept"], depth, where=f"{where}: {name}")
    return schedule


def _label(schedule: Schedule, swept: Any, depth: int, where: str) -> None:
    """Attach a sweep's ``"swept"`` labels (one dict of JSON values per member)."""
    if depth:
        raise ValueError(f"{where}: 'swept' is only read on the outermost schedule")
    try:
        size = batch_size(schedule)
    except ValueError:
        raise ValueError(
            f"{where}: 'swept' labels the members of a stacked sweep; this config "
            "is not stacked"
        ) from None
    if not isinstance(swept, list) or len(swept) != size:
        got = f"{len(swept)} items" if isinstance(swept, list) else type(swept).__name__
        raise ValueError(
            f"{where}: 'swept' must be a list of {size} dicts, one per member. "
            f"Received: {got}"
        )
    for index, point in enumerate(swept):
        if not isinstance(point, dict) or not all(isinstance(k, str) for k in point):
            raise TypeError(
                f"{where}: 'swept'[{index}] must be a dict of argument names to "
                f"values. Received: {point!r}"
            )
        for key, value in point.items():
            if not _is_plain(value, 0):
                raise TypeError(
                    f"{where}: 'swept'[{index}][{key!r}] must be a number, string, "
                    f"bool, null or a list of them. Received: {value!r}"
                )
    label_members(schedule, swept)


def _is_plain(value: Any, depth: int) -> bool:
    if value is None or isinstance(value, bool | int | float | str):
        return True
    return (
        isinstance(value, list)
        and depth < MAX_DEPTH
        and all(_is_plain(v, depth + 1) for v in value)
    )


#: Factories (optax-named functions) by name: loading a config that names one says
#: what its schedules are saved as. Filled by the modules that define factories.
_FACTORIES: dict[str, Callable[..., Schedule]] = {}


def note_factories(*factories: Callable[..., Schedule]) -> None:
    """Tell the loader about factory functions, for its error messages."""
    _FACTORIES.update((f.__name__, f) for f in factories)


def _hint_class(name: str, public: list[str]) -> str:
    """`` Did you mean ...?``, or what a factory's schedules are saved as."""
    factory = _FACTORIES.get(name)
    if factory is not None:
        saved = inspect.signature(factory).return_annotation
        saved = getattr(saved, "__name__", saved)
        return (
            f" {name} is a factory, not a class: the schedules it returns are saved"
            f" as class_name {saved!r}."
        )
    close = difflib.get_close_matches(name, public, n=3, cutoff=0.6)
    lowered = {n.lower(): n for n in public}
    if name.lower() in lowered and lowered[name.lower()] not in close:
        close.insert(0, lowered[name.lower()])
    return f" Did you mean {' or '.join(map(repr, close))}?" if close else ""


def _check_format(version: Any, where: str) -> None:
    if isinstance(version, bool) or not isinstance(version, int):
        raise TypeError(
            f"{where}: 'format' must be an integer. Received: format={version!r}"
        )
    if not 1 <= version <= FORMAT:
        raise ValueError(
            f"{where}: unsupported serialization format {version}; this jaxsched "
            f"reads formats 1 to {FORMAT} (a newer jaxsched wrote this data?)"
        )


def _build(cls: type[Schedule], config: Any, depth: int, where: str) -> Schedule:
    if not (isinstance(cls, type) and issubclass(cls, Schedule)) or cls is Schedule:
        raise TypeError(f"{where}: not a concrete schedule class: {cls!r}")
    if not isinstance(config, dict):
        raise TypeError(
            f"{where}: 'config' must be a dict. Received: {type(config).__name__}"
        )
    fields = {f.name: f for f in dataclasses.fields(cast(Any, cls)) if f.init}
    unknown = [k for k in config if k not in fields]
    if unknown:
        close = [
            f"{m[0]!r} for {k!r}"
            for k in sorted(map(str, unknown))
            if (m := difflib.get_close_matches(k, list(fields), n=1))
        ]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ValueError(
            f"{where}: unknown fields {sorted(map(str, unknown))}{hint}; "
            f"{cls.__name__} takes {list(fields)}"
        )
    required = [
        n
        for n, f in fields.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    missing = [n for n in required if n not in config]
    if missing:
        raise ValueError(f"{where}: missing fields {missing} for {cls.__name__}")
    kwargs = {
        name: _parse(cls.__name__, fields[name], value, depth)
        for name, value in config.items()
    }
    return cls(**kwargs)


def _parse(owner: str, field: dataclasses.Field, value: Any, depth: int) -> Any:
    kind = _kind(field)
    name = field.name
    if kind == "schedule":
        return _from_dict(value, depth + 1, where=f"{owner}.{name}")
    if kind == "schedules":
        if not isinstance(value, list):
            raise TypeError(
                f"{owner}: field `{name}` must be a list of schedule dicts. "
                f"Received: {type(value).__name__}"
            )
        return tuple(
            _from_dict(item, depth + 1, where=f"{owner}.{name}[{i}]")
            for i, item in enumerate(value)
        )
    if kind == "static":
        if value is not None and not isinstance(value, (str, bool, int, float)):
            raise TypeError(
                f"{owner}: field `{name}` must be a plain value. "
                f"Received: {type(value).__name__}"
            )
        return value
    if value is None and field.metadata.get("optional", False):
        return None
    return _number_or_array(owner, name, value, depth)


def _check_number(
    owner: str, name: str, value: Any, types: tuple, must: str, element: bool
) -> None:
    """A TypeError unless ``value`` is one of ``types`` (not a bool), a ValueError
    for a float that is not finite; ``element``: ``value`` is an element of the
    argument's list."""
    bad_type = isinstance(value, bool) or not isinstance(value, types)
    if not bad_type and not (isinstance(value, float) and not math.isfinite(value)):
        return
    received = f" an element {value!r}" if element else f": {name}={value!r}"
    if bad_type:
        raise TypeError(f"{owner}: argument `{name}` must {must}. Received{received}")
    raise ValueError(f"{owner}: argument `{name}` must be finite. Received{received}")


def _number_or_array(owner: str, name: str, value: Any, depth: int) -> Any:
    _check_number(
        owner,
        name,
        value,
        (int, float, list),
        "be a number or a list of numbers",
        element=False,
    )
    if isinstance(value, list):
        _check_nested_numbers(owner, name, value, depth)
        try:
            array = np.asarray(value)
        except ValueError as error:
            raise ValueError(
                f"{owner}: argument `{name}` must be a rectangular list of numbers"
            ) from error
        if array.dtype.kind not in "iuf":
            raise TypeError(
                f"{owner}: argument `{name}` must be a rectangular list of numbers"
            )
        return array
    return value


def _check_nested_numbers(owner: str, name: str, value: list, depth: int) -> None:
    stack = [(value, 0)]
    while stack:
        items, level = stack.pop()
        if level > MAX_DEPTH:
            raise ValueError(f"{owner}: argument `{name}` is nested too deeply")
        for item in items:
            if isinstance(item, list):
                stack.append((item, level + 1))
            else:
                _check_number(
                    owner,
                    name,
                    item,
                    (int, float),
                    "hold only numbers",
                    element=True,
                )


provide("from_config", from_config)
