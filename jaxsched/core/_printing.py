"""Readable text of a schedule: ``str(schedule)`` and ``jaxsched show``.

One line when it fits, an indented tree for composites; numbers in their shortest
float32 form (``0.0033333334``, not ``0.0033333333333333335``), arrays as lists.
Static options are shown only where they differ from their defaults (a Keras
``name`` left at the class name is not shown). ``repr`` stays the complete dataclass
form.
"""

from __future__ import annotations

import dataclasses
from typing import Any, cast

import numpy as np

from jaxsched.core._fields import kind as _kind
from jaxsched.core._schedule import Schedule, provide

__all__ = ["format_number", "format_value", "to_text"]

WIDTH = 100
INDENT = "    "


def format_number(value: Any) -> str:
    """``3``, ``0.1``, ``0.0033333334``, ``1e-07``, ``True``: the shortest text of a
    number that reads back as the same float32 (integers as integers)."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return str(np.float32(value))


def format_value(value: Any) -> str:
    """A leaf's text: a number, a list of numbers (arrays of any rank), or the type
    name of a placeholder (a tracer, an axis spec)."""
    if value is None:
        return "None"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    try:
        array = np.asarray(value)
    except Exception:  # a tracer or another placeholder
        return type(value).__name__
    if array.dtype.kind not in "biuf":
        return repr(value)
    if array.ndim == 0:
        return format_number(array.item())
    return "[" + ", ".join(format_value(x) for x in array) + "]"


def _items(schedule: Schedule) -> list[tuple[str, Any, str]]:
    """``(name, value, kind)`` of the fields to show."""
    shown = []
    for field in dataclasses.fields(cast(Any, schedule)):
        value = getattr(schedule, field.name)
        kind = _kind(field)
        default = field.default
        if kind == "static" and default is not dataclasses.MISSING:
            left_out = value == default or (field.name == "name" and value is None)
            if left_out:
                continue
        if value is None and default is None:
            continue  # an optional leaf left out
        shown.append((field.name, value, kind))
    return shown


def _one_line(value: Any, kind: str) -> str:
    if kind == "schedule":
        return "None" if value is None else _line(value)
    if kind == "schedules":
        return "None" if value is None else "[" + ", ".join(map(_line, value)) + "]"
    if kind == "static":
        return repr(value)
    return format_value(value)


def _line(schedule: Schedule) -> str:
    parts = [f"{name}={_one_line(v, kind)}" for name, v, kind in _items(schedule)]
    return f"{type(schedule).__name__}(" + ", ".join(parts) + ")"


def _wrap_list(items: list[str], indent: str, head: str, tail: str) -> list[str]:
    """``head[`` + items packed into lines of at most WIDTH + ``]tail``."""
    lines = [head + "["]
    current = indent + INDENT
    for item in items:
        piece = item + ","
        if current.strip() and len(current) + 1 + len(piece) > WIDTH:
            lines.append(current.rstrip())
            current = indent + INDENT
        current += ("" if not current.strip() else " ") + piece
    if current.strip():
        lines.append(current.rstrip())
    lines.append(indent + "]" + tail)
    return lines


def _tree(schedule: Schedule, indent: str, head: str, tail: str) -> list[str]:
    line = indent + head + _line(schedule) + tail
    if len(line) <= WIDTH:
        return [line]
    inner = indent + INDENT
    lines = [indent + head + type(schedule).__name__ + "("]
    for name, value, kind in _items(schedule):
        if kind == "schedule" and value is not None:
            lines += _tree(value, inner, f"{name}=", ",")
        elif kind == "schedules" and value is not None:
            text = f"{inner}{name}=[" + ", ".join(_line(v) for v in value) + "],"
            if len(text) <= WIDTH:
                lines.append(text)
                continue
            lines.append(f"{inner}{name}=[")
            for item in value:
                lines += _tree(item, inner + INDENT, "", ",")
            lines.append(inner + "],")
        else:
            text = f"{inner}{name}={_one_line(value, kind)},"
            array = None if kind == "static" else _as_list(value)
            if len(text) > WIDTH and array is not None:
                lines += _wrap_list(array, inner, f"{inner}{name}=", ",")
            else:
                lines.append(text)
    lines.append(indent + ")" + tail)
    return lines


def _as_list(value: Any) -> list[str] | None:
    try:
        array = np.asarray(value)
    except Exception:
        return None
    if array.ndim == 0 or array.dtype.kind not in "biuf":
        return None
    return [format_value(x) for x in array]


def to_text(schedule: Schedule) -> str:
    """The readable text of ``schedule``: what ``str(schedule)`` gives.

    Example:
      >>> import jaxsched
      >>> print(jaxsched.ExponentialDecay(0.1, 1000, 0.96))
      ExponentialDecay(initial_learning_rate=0.1, decay_steps=1000, decay_rate=0.96)
    """
    return "\n".join(_tree(schedule, "", "", ""))


provide("text", to_text)
