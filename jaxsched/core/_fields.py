"""The fields of a schedule: leaves (numbers), static options and nested schedules.

A schedule class declares each hyperparameter with one of these specifiers; the base
class (:mod:`jaxsched.core._schedule`) reads the ``kind`` in each field's metadata to
register the pytree (leaves are children, static fields are metadata), validate
concrete values, write the config and print the schedule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, TypeAlias

import jax
import numpy as np

from jaxsched.core._validation import Check

__all__ = [
    "Numbers",
    "Numeric",
    "child",
    "children",
    "kind",
    "leaf",
    "static",
]

_MISSING: Any = dataclasses.MISSING

#: A numeric hyperparameter: a Python number, a NumPy number or array, a JAX array
#: (a stacked sweep holds arrays). Type checkers flag a string or ``None``.
Numeric: TypeAlias = float | int | np.number | np.ndarray | jax.Array
#: A table of numbers (boundaries, values): an array or a sequence of numbers.
Numbers: TypeAlias = Numeric | Sequence[Numeric]


def leaf(
    default: Any = _MISSING,
    *,
    check: Check | None = None,
    count: bool = False,
    optional: bool = False,
) -> Any:
    """A numeric hyperparameter: a pytree leaf (Python number, NumPy or JAX array).

    Args:
      default: the default value.
      check: extra elementwise condition on concrete values (finiteness and being a
        real number are always checked).
      count: a step count (``decay_steps``, boundaries, ...). Counts do not decide the
        output dtype; values (rates, learning rates) do.
      optional: ``None`` is a meaningful value ("absent", e.g. Keras's
        ``warmup_target=None``), serialized as ``null``. ``None`` is an empty pytree,
        so it is part of the structure: ``__call__`` may branch on ``is None``.
    """
    return dataclasses.field(
        default=default,
        metadata={"kind": "leaf", "check": check, "count": count, "optional": optional},
    )


def static(
    default: Any = _MISSING,
    *,
    type: type | tuple[type, ...] = object,  # noqa: A002
    choices: tuple[Any, ...] | None = None,
) -> Any:
    """An option that changes the computation (bool, mode string, name): not a leaf."""
    return dataclasses.field(
        default=default,
        metadata={"kind": "static", "static": True, "type": type, "choices": choices},
    )


def child(default: Any = _MISSING) -> Any:
    """A nested schedule (a pytree subtree; serialized as a nested dict)."""
    return dataclasses.field(default=default, metadata={"kind": "schedule"})


def children(default: Any = _MISSING) -> Any:
    """A tuple of nested schedules (a list of nested dicts when serialized)."""
    return dataclasses.field(default=default, metadata={"kind": "schedules"})


def kind(field: dataclasses.Field) -> str:
    """``"leaf"``, ``"static"``, ``"schedule"`` (a child) or ``"schedules"``."""
    return field.metadata.get("kind", "leaf")


def type_name(expected: type | tuple[type, ...]) -> str:
    if isinstance(expected, tuple):
        return " or ".join(t.__name__ for t in expected)
    return expected.__name__
