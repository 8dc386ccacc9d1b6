"""Batches of same-structure schedules: ``stack``, ``unstack`` and vmap axis specs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import jax
import jax.core
import jax.numpy as jnp
import numpy as np

from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import no_validation

__all__ = ["batch_size", "in_axes", "label_members", "stack", "unstack"]

S = TypeVar("S", bound=Schedule)


def _stack_leaves(*leaves: Any) -> Any:
    if any(isinstance(x, jax.core.Tracer) for x in leaves):
        return jnp.stack([jnp.asarray(x) for x in leaves])
    arrays = [np.asarray(x) for x in leaves]
    return np.stack(arrays)


def stack(schedules: Sequence[S]) -> S:
    """One schedule whose leaves gain a leading axis: member ``i`` is ``schedules[i]``.

    All members must have the same structure (class, static options, number of pieces).
    ``jax.vmap(lambda s: s(step))(stack([...]))`` evaluates them all in one program.
    Called directly, the stacked schedule does the same for every class: its value
    has shape ``(len(schedules),) + step.shape``, member ``i`` first. (Once JAX has
    rebuilt the sweep, e.g. passed into ``jit`` as an argument, call it through
    ``jax.vmap`` as above.)

    Raises:
      ValueError: empty input or members of different structure.
      TypeError: a member is not a Schedule.
    """
    schedules = list(schedules)
    if not schedules:
        raise ValueError("stack: expected at least one schedule. Received: []")
    for index, item in enumerate(schedules):
        if not isinstance(item, Schedule):
            raise TypeError(
                f"stack: element {index} is {type(item).__name__}, not a Schedule"
            )
    first = jax.tree.structure(schedules[0])
    for index, item in enumerate(schedules[1:], start=1):
        if jax.tree.structure(item) != first:
            raise ValueError(
                "stack: all schedules must have the same structure (class, static "
                f"options, number of pieces); element {index} differs: "
                f"{jax.tree.structure(item)} vs {first}"
            )
    first_leaves = jax.tree.leaves(schedules[0])
    for index, item in enumerate(schedules[1:], start=1):
        for path, a, b in zip(
            _leaf_paths(schedules[0]), first_leaves, jax.tree.leaves(item)
        ):
            if np.shape(a) != np.shape(b):
                raise ValueError(
                    f"stack: all schedules must have the same leaf shapes; element "
                    f"{index} has {path} of shape {np.shape(b)}, element 0 has "
                    f"{np.shape(a)} (e.g. a different number of pieces)"
                )
    with no_validation():  # every member was validated when it was built
        stacked = jax.tree.map(_stack_leaves, *schedules)
    # Called directly, the sweep gives every member's value (see _core._sweep_aware).
    object.__setattr__(stacked, "_members", len(schedules))
    return stacked


def _leaf_paths(schedule: Schedule) -> list[str]:
    paths = jax.tree_util.tree_flatten_with_path(schedule)[0]
    return [jax.tree_util.keystr(path).lstrip(".") for path, _ in paths]


def batch_size(batched: Schedule) -> int:
    """The number of members of a stacked schedule (the leading axis of its leaves)."""
    leaves = jax.tree.leaves(batched)
    sizes = {int(np.shape(x)[0]) if np.ndim(x) else -1 for x in leaves}
    if not leaves or -1 in sizes or len(sizes) != 1:
        shapes = [np.shape(x) for x in leaves]
        raise ValueError(
            "expected a stacked schedule whose leaves share a leading axis. "
            f"Received leaves of shapes {shapes}"
        )
    return sizes.pop()


def unstack(batched: S) -> list[S]:
    """The members of a stacked schedule as separate schedules (inverse of stack)."""
    if not isinstance(batched, Schedule):
        raise TypeError(
            f"unstack: expected a Schedule. Received: {type(batched).__name__}"
        )
    size = batch_size(batched)
    leaves, treedef = jax.tree.flatten(batched)
    out = []
    for index in range(size):
        members = [_member(x, index) for x in leaves]
        out.append(jax.tree.unflatten(treedef, members))
    return out


def _member(leaf: Any, index: int) -> Any:
    if isinstance(leaf, np.ndarray):
        member = leaf[index]
        return (
            member.item() if member.ndim == 0 and member.dtype.kind in "iuf" else member
        )
    return leaf[index]


def in_axes(schedule: Schedule, axis: int | None = 0) -> Any:
    """A ``jax.vmap`` axis spec with ``axis`` at every leaf of ``schedule``.

    ``jax.vmap(f, in_axes=(jaxsched.in_axes(batched), None))``. Built without
    validation, so placeholder values such as ``0`` for ``decay_steps`` are fine.
    """
    with no_validation():
        return jax.tree.map(lambda _: axis, schedule)


def label_members(sweep: Schedule, points: list[dict[str, Any]]) -> Schedule:
    """Keep each member's swept values on the sweep, for labels (``jaxsched.plot``,
    ``jaxsched show``), as plain JSON values: ``to_dict`` writes them as ``"swept"``
    and ``from_dict`` reads them back.

    Like the member count ``stack`` leaves, this is not part of the pytree: a sweep
    rebuilt by JAX (``tree_map``, ``jit``) is labelled by the leaves that differ.
    """
    plain = [{str(k): _plain(v) for k, v in point.items()} for point in points]
    object.__setattr__(sweep, "_points", plain)
    return sweep


def _plain(value: Any) -> Any:
    """A swept value as JSON data: numbers (NumPy scalars in their shortest form),
    strings, bools, None and lists of them; anything else as its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray | np.generic | jax.Array):
        array = np.asarray(value)
        if array.ndim:
            return [_plain(v) for v in array]
        if array.dtype.kind == "b":
            return bool(array)
        if array.dtype.kind in "iu":
            return int(array)
        if array.dtype.kind == "f" or array.dtype.name == "bfloat16":
            return float(str(array))  # float32(0.3) -> 0.3, not 0.30000001192...
    return str(value)
