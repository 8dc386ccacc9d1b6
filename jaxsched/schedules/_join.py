"""``Join``: schedules run one after another, each from its own boundary."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numbers, children, leaf
from jaxsched.core._math import (
    as_step,
    compute_dtype,
    default_float,
    is_integer,
    wide_int,
)
from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import Check, concrete, invalid

__all__ = ["Join"]

#: With more parts than this, all sharing one structure, only the active part is
#: evaluated (its leaves gathered from stacked leaves), so the program does not grow
#: with the number of parts; with fewer (or mixed structures) every part is
#: evaluated and the active one selected.
_STACK_MIN_PARTS = 8

#: Up to this many boundaries the active part is found by comparing with all of
#: them (one vectorized op); beyond it by binary search. Both compile in constant
#: time in the number of parts.
_COMPARE_ALL_MAX = 16

_BOUNDARIES = Check(
    ">= 0 and strictly increasing",
    lambda a: (
        np.all(a >= 0, axis=-1)
        & (np.all(np.diff(a, axis=-1) > 0, axis=-1) if a.ndim else np.True_)
    ),
)


def align_step(step: jax.Array, *counts: Any) -> tuple[jax.Array, ...]:
    """The step and step counts (offsets, boundaries) as arrays of one dtype.

    An integer step with integer counts stays integer (a signed type of at least 32
    bits), so ``step - offset`` is exact and cannot overflow for ``0 <= offset <=
    step``. Otherwise everything is floating (at least float32).
    """
    arrays = [jnp.asarray(c) for c in counts]
    if is_integer(step) and all(is_integer(a) for a in arrays):
        dtype = wide_int(step.dtype)
    else:
        floats = [a.dtype for a in (step, *arrays) if not is_integer(a)]
        dtype = compute_dtype(_promote(floats) if floats else default_float())
    return (step.astype(dtype), *(a.astype(dtype) for a in arrays))


def _promote(dtypes: Sequence[Any]) -> np.dtype:
    """The common dtype of ``dtypes`` (standard promotion, even under "strict")."""
    unique = {np.dtype(d) for d in dtypes}
    if len(unique) == 1:
        return unique.pop()
    with jax.numpy_dtype_promotion("standard"):
        return np.dtype(jnp.result_type(*unique))


def active_piece(boundaries: jax.Array, step: jax.Array) -> jax.Array:
    """How many of the sorted ``boundaries`` are ``<= step`` (int32, shaped like step).

    ``searchsorted(..., side="right")``; the program does not grow with the number of
    boundaries.
    """
    method = "compare_all" if boundaries.shape[-1] <= _COMPARE_ALL_MAX else "scan"
    return jnp.searchsorted(boundaries, step, side="right", method=method)


def lookup(
    boundaries: jax.Array, values: jax.Array, step: jax.Array, *, after: bool = False
) -> jax.Array:
    """``values[k]`` with ``k`` the number of sorted ``boundaries`` ``<= step``.

    ``after=True`` counts the boundaries ``< step`` instead (Keras switches one step
    after a boundary). Small tables (up to :data:`_COMPARE_ALL_MAX` boundaries, a
    static property of the leaf's shape) use a chain of selects, which vectorizes,
    where the indexed gather does not on CPUs; larger ones gather at a
    ``searchsorted`` index, so the program stays the same size for any number of
    pieces. Result shaped like ``step``.
    """
    n = boundaries.shape[-1]
    if n > _COMPARE_ALL_MAX:
        side = "left" if after else "right"
        index = jnp.searchsorted(boundaries, step, side=side, method="scan")
        return values[index]
    result = jnp.broadcast_to(values[0], step.shape)
    for i in range(n):
        passed = step > boundaries[i] if after else step >= boundaries[i]
        result = jnp.where(passed, values[i + 1], result)
    return result


class Join(Schedule):
    """Schedules one after another, as ``optax.join_schedules``.

    ``schedules[0](step)`` for ``step < boundaries[0]``, then
    ``schedules[i](step - boundaries[i - 1])`` for ``boundaries[i - 1] <= step <
    boundaries[i]``, and the last schedule from the last boundary on. Every part
    sees a local step that starts at 0 at its boundary (the first part sees the
    step itself, negative steps included). The switch happens AT the boundary.

    The active part is found with ``searchsorted``; every part is evaluated once,
    unselected parts at local step 0, so a part that is undefined outside its own
    range cannot put NaN into values or gradients. An integer step stays integer in
    the local steps when the boundaries are integers (exact, no overflow for steps
    up to 2**31 - 1). Parts of different dtypes promote (bfloat16 and float32 give
    float32).

    Unlike ``optax.join_schedules``, which silently ignores extra schedules or
    boundaries, the lengths are checked.

    Args:
      schedules: the parts, a sequence of jaxsched schedules (children).
      boundaries: ``len(schedules) - 1`` step counts, ``>= 0`` and strictly
        increasing (a count leaf, stored as one array).

    Returns:
      ``schedule(step)`` is an array shaped like ``step``, of the promoted dtype of
      the parts.

    Raises:
      ValueError: a length mismatch, negative or non-increasing boundaries.
      TypeError: a part that is not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.Join(
      ...     [jaxsched.Constant(1.0), jaxsched.Linear(1.0, 0.0, 10)], [5])
      >>> print(f"{float(s(4)):.2f} {float(s(5)):.2f} {float(s(10)):.2f}")
      1.00 1.00 0.50
    """

    schedules: Sequence[Schedule] = children()  # stored as a tuple
    boundaries: Numbers = leaf(check=_BOUNDARIES, count=True)

    def _check(self) -> None:
        owner = type(self).__name__
        bounds = self._concrete("boundaries")
        if not isinstance(self.schedules, tuple) or bounds is None:
            return
        if bounds.ndim == 0:
            raise invalid(owner, "boundaries", self.boundaries, "a sequence of numbers")
        if len(self.schedules) != bounds.shape[-1] + 1:
            raise invalid(
                owner,
                "boundaries",
                self.boundaries,
                "one fewer than the schedules",
                detail=f"{len(self.schedules)} schedules, {bounds.shape[-1]} "
                "boundaries",
            )

    def key_steps(self) -> list[float]:
        bounds = ks.numbers(self.boundaries)
        out = list(bounds)
        edges = [-math.inf, *bounds, math.inf]
        for i, part in enumerate(self.schedules):
            by = bounds[i - 1] if i > 0 else 0.0
            out += [x for x in ks.shifted(part, by) if edges[i] <= x <= edges[i + 1]]
        return out

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        parts = self.schedules
        if len(parts) == 1:
            return parts[0](step)
        step, bounds = align_step(step, self.boundaries)
        index = active_piece(bounds, step)
        stacked = _stack_parts(parts) if len(parts) > _STACK_MIN_PARTS else None
        if stacked is not None:
            return _call_active(*stacked, bounds, index, step)
        zero = jnp.zeros_like(step)
        outs = []
        for i, part in enumerate(parts):
            local = step if i == 0 else step - bounds[i - 1]
            outs.append(part(jnp.where(index == i, local, zero)))
        dtype = _promote([out.dtype for out in outs])
        result = outs[0].astype(dtype)
        for i in range(1, len(parts)):
            result = jnp.where(index == i, outs[i].astype(dtype), result)
        return result


def _leaf_kind(x: Any) -> Any:
    """What must agree between parts for a leaf position to be stacked."""
    if isinstance(x, (bool, int, float)):
        return type(x)
    dtype, shape = getattr(x, "dtype", None), getattr(x, "shape", None)
    if dtype is None or shape is None:
        return None
    return np.dtype(dtype), tuple(shape)


def _stack_parts(parts: Sequence[Schedule]) -> tuple[Any, list[Any]] | None:
    """``(treedef, stacked leaves)`` when every part has one structure, else None.

    The structures (classes and static fields) and each leaf's dtype and shape (or
    Python number type) must agree, so that a stacked part gives the same values and
    dtype as the part itself. Concrete leaves stack with NumPy (no equations).
    """
    flat = [jax.tree.flatten(part) for part in parts]
    treedef = flat[0][1]
    if any(td != treedef for _, td in flat):
        return None
    columns = list(zip(*(leaves for leaves, _ in flat), strict=True))
    stacked = []
    for column in columns:
        kinds = {_leaf_kind(x) for x in column}
        if len(kinds) != 1 or None in kinds:
            return None
        arrays = [a for a in map(concrete, column) if a is not None]
        if len(arrays) == len(column):
            stacked.append(np.stack(arrays))
        else:
            stacked.append(jnp.stack(column))
    return treedef, stacked


def _call_active(
    treedef: Any,
    stacked: list[Any],
    bounds: jax.Array,
    index: jax.Array,
    step: jax.Array,
) -> jax.Array:
    """Each step evaluated by its active part only, at its local step.

    The active part's leaves are gathered from ``stacked`` at ``index`` (under
    ``vmap`` over the steps), so unselected parts are never evaluated and cannot put
    NaN into values or gradients.
    """
    previous = jnp.maximum(index - 1, 0)
    offset = jnp.where(index > 0, bounds[previous], jnp.zeros_like(step))
    local = step - offset

    def one(i: jax.Array, s: jax.Array) -> jax.Array:
        part = jax.tree.unflatten(treedef, [jnp.asarray(x)[i] for x in stacked])
        return part(s)

    if step.ndim == 0:
        return one(index, local)
    flat = jax.vmap(one)(index.reshape(-1), local.reshape(-1))
    return flat.reshape(step.shape)
