"""Hyperparameter sweeps: cartesian grids of schedules, and leaves as JAX arrays.

A sweep is one batched schedule: every leaf has a leading member axis, so
``jax.vmap(train)(grid(...))`` trains every configuration in one compiled program, and
changing the values never recompiles. :func:`grid` builds it from lists of values;
:func:`jaxsched.unstack` gives the members back, in grid order.

``equinox.filter_jit`` traces only JAX and NumPy arrays and treats Python numbers as
static (one compilation per value); :func:`as_arrays` turns a schedule's Python-number
leaves into JAX arrays so that it stays dynamic there.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, TypeVar

import jax
import jax.core
import jax.numpy as jnp
import numpy as np

from jaxsched.core._batch import label_members, stack
from jaxsched.core._schedule import Schedule
from jaxsched.core._validation import concrete, no_validation

__all__ = ["as_arrays", "fixed", "grid", "grid_points"]


class fixed:
    """Marks a sequence argument of :func:`grid` as one value held fixed, not an axis.

    ``grid(cls, boundaries=fixed([100, 200]), values=[[1, .5, .1], [2, 1, .2]])``
    sweeps ``values`` over two members that share the boundaries ``[100, 200]``.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"fixed({self.value!r})"


def _is_axis(value: Any) -> bool:
    if isinstance(value, fixed | str | bytes | dict | Schedule):
        return False
    if isinstance(value, list | tuple | range):
        return True
    if isinstance(value, np.ndarray | jax.Array):
        return np.ndim(value) >= 1
    return False


def _axis_values(name: str, value: Any) -> list[Any]:
    if isinstance(value, jax.core.Tracer):
        raise TypeError(
            f"grid: axis `{name}` is a traced value; grid needs concrete values "
            "(build the grid outside jit, then pass it in as an argument)"
        )
    if isinstance(value, np.ndarray | jax.Array):
        array = np.asarray(value)
        items = [array[i] for i in range(len(array))]  # NumPy scalars keep the dtype
    else:
        items = list(value)
    if not items:
        raise ValueError(f"grid: axis `{name}` is empty. Received: {name}={value!r}")
    return items


def _split(axes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    held: dict[str, Any] = {}
    swept: dict[str, list[Any]] = {}
    for name, value in axes.items():
        if _is_axis(value):
            swept[name] = _axis_values(name, value)
        else:
            held[name] = value.value if isinstance(value, fixed) else value
    return held, swept


def grid_points(**axes: Any) -> list[dict[str, Any]]:
    """The swept values of each member of ``grid(..., **axes)``, in the same order.

    Example:
      >>> import jaxsched
      >>> jaxsched.grid_points(a=[1, 2], b=[0.5, 0.9], c=7)
      [{'a': 1, 'b': 0.5}, {'a': 1, 'b': 0.9}, {'a': 2, 'b': 0.5}, {'a': 2, 'b': 0.9}]
    """
    _, swept = _split(axes)
    names = list(swept)
    return [dict(zip(names, combo)) for combo in itertools.product(*swept.values())]


def grid(cls_or_factory: Callable[..., Schedule], /, **axes: Any) -> Schedule:
    """A batched schedule over the cartesian product of the given value lists.

    Each keyword is an argument of ``cls_or_factory`` (a schedule class, or any
    function returning a schedule, such as ``jaxsched.warmup_cosine_decay_schedule``).
    A list, tuple, range, or NumPy/JAX array with at least one dimension is an *axis*:
    its elements (rows, for a 2-D array) are swept. Anything else (a number, a string,
    a bool, a schedule) is held fixed; wrap a sequence that should be held fixed, such
    as shared ``boundaries``, in :class:`jaxsched.fixed`.

    Every member is built (and validated) with ``cls_or_factory(**point)``, then the
    members are stacked with :func:`jaxsched.stack`: every leaf, fixed ones included,
    gains a leading member axis. Members are in ``itertools.product`` order of the
    axes as given (the last axis varies fastest), so a result of
    ``jax.vmap(f)(batched)`` reshapes to the grid's shape
    ``(len(axis_1), len(axis_2), ...)``; :func:`jaxsched.unstack` gives the member
    schedules back in that order and :func:`jaxsched.grid_points` their swept values.

    Any numeric hyperparameter can be an axis, step counts (``decay_steps``,
    ``warmup_steps``) and boundaries included. Static options (``staircase``, mode
    strings) change the computation, so they cannot be swept in one batch: build one
    grid per option.

    Args:
      cls_or_factory: a Schedule subclass or a function returning a Schedule.
      **axes: the arguments: value lists (axes) or fixed values.

    Returns:
      One schedule whose leaves have a leading axis of size
      ``len(axis_1) * len(axis_2) * ...`` (1 when nothing is swept).

    Raises:
      ValueError: an empty axis, an invalid member (the message names the member and
        the field), or axes that change the structure (static options).
      TypeError: ``cls_or_factory`` is not callable or does not return a Schedule,
        or an axis is a traced value.

    Example:
      >>> import jax, jax.numpy as jnp
      >>> import jaxsched
      >>> sweep = jaxsched.grid(
      ...     jaxsched.ExponentialDecay,
      ...     initial_learning_rate=[0.1, 1.0],
      ...     decay_steps=[10, 100],
      ...     decay_rate=0.5,
      ... )
      >>> values = jax.vmap(lambda s: s(jnp.array(10)))(sweep)
      >>> print(" ".join(f"{float(v):.3f}" for v in values))
      0.050 0.093 0.500 0.933
      >>> print(jaxsched.unstack(sweep)[1].get_config()["decay_steps"])
      100
    """
    if not callable(cls_or_factory):
        raise TypeError(
            "grid: expected a schedule class or a function returning a schedule. "
            f"Received: {cls_or_factory!r}"
        )
    held, swept = _split(axes)
    points = grid_points(**axes)
    members = build_members("grid", cls_or_factory, held, points)
    first = jax.tree.structure(members[0])
    for index, member in enumerate(members[1:], start=1):
        if jax.tree.structure(member) != first:
            changed = [n for n in swept if points[index][n] != points[0][n]]
            raise ValueError(
                f"grid: members 0 {points[0]} and {index} {points[index]} of "
                f"{_name(cls_or_factory)} differ in structure (class, static options "
                f"or number of pieces), so they cannot be stacked; axes {changed} "
                "change the computation: build one grid per value of a static option"
            )
    return label_members(stack(members), points)


def build_members(
    caller: str,
    cls_or_factory: Callable[..., Any],
    held: dict[str, Any],
    points: list[dict[str, Any]],
    name: str | None = None,
) -> list[Schedule]:
    """``cls_or_factory(**held, **point)`` for each point; an error names the member
    (``caller: member 3 {...}: ...``), and a result that is not a Schedule is a
    TypeError."""
    members = []
    for index, point in enumerate(points):
        try:
            member = cls_or_factory(**held, **point)
        except (ValueError, TypeError) as error:
            where = f"{caller}: member {index} {point}" if point else caller
            raise type(error)(f"{where}: {error}") from error
        if not isinstance(member, Schedule):
            raise TypeError(
                f"{caller}: {name or _name(cls_or_factory)} returned "
                f"{type(member).__name__}, not a jaxsched Schedule"
            )
        members.append(member)
    return members


def _name(fn: Any) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__name__


def _as_array(value: Any) -> Any:
    if isinstance(value, jax.Array):  # JAX arrays and tracers stay as they are
        return value
    array = concrete(value)
    if array is None or not (
        array.dtype.kind in "iuf" or array.dtype.name == "bfloat16"
    ):
        return value  # placeholders (None, sentinels, float0) pass through
    dtype = jax.dtypes.canonicalize_dtype(array.dtype)
    if array.dtype.kind in "iu" and array.size:
        info = np.iinfo(dtype)
        if array.min() < info.min or array.max() > info.max:
            raise ValueError(
                f"as_arrays: integer leaf {value!r} does not fit in {np.dtype(dtype)}; "
                "enable jax_enable_x64 or pass it as a float"
            )
    return jnp.asarray(array, dtype)


T = TypeVar("T")


def as_arrays(schedule: T) -> T:
    """The same schedule with every numeric leaf a (strongly typed) JAX array.

    ``equinox.filter_jit`` (and anything that partitions a pytree with
    ``equinox.is_array``) traces JAX and NumPy arrays but treats Python ``int`` and
    ``float`` leaves as static: a schedule such as ``ExponentialDecay(0.1, 1000,
    0.96)`` then compiles once per hyperparameter value. After ``as_arrays`` every leaf
    is traced, so new values reuse the compiled program. ``jax.jit`` needs none of
    this: it traces every leaf. A :func:`jaxsched.grid` already holds NumPy arrays
    (dynamic under ``filter_jit``), but its members from :func:`jaxsched.unstack`
    hold Python numbers again: convert them too.

    Python floats become the default float (float32, float64 under x64), Python ints
    the default int; NumPy leaves keep their dtype (canonicalized). Tracers, JAX
    arrays and non-numeric placeholders are left as they are. Works on any pytree
    (a train state holding schedules, a stacked sweep).

    Raises:
      ValueError: an integer leaf does not fit in the default int (int32 without
        x64).

    Example:
      >>> import jaxsched
      >>> s = jaxsched.as_arrays(jaxsched.ExponentialDecay(0.1, 1000, 0.96))
      >>> print(s.initial_learning_rate.dtype, s.decay_steps.dtype)
      float32 int32
    """
    with no_validation():
        return jax.tree.map(_as_array, schedule)
