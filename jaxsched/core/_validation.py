"""Validation of hyperparameters: one error formatter, checks on concrete values only.

JAX rebuilds schedules with tracers, ``None`` and other placeholders as leaves (jit,
vmap axis specs, ``tree_map``). Those pass through ``__init__`` too, so every check here
first asks :func:`concrete` whether a value is a real number it can look at, and lets
anything else through untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Iterator
from typing import Any

import jax
import jax.core
import numpy as np

__all__ = [
    "Check",
    "concrete",
    "describe",
    "invalid",
    "no_validation",
    "validation_enabled",
]

_state = threading.local()


def validation_enabled() -> bool:
    """Whether schedule constructors currently validate their arguments."""
    return getattr(_state, "depth", 0) == 0


@contextlib.contextmanager
def no_validation() -> Iterator[None]:
    """Build schedules without validating them (for axis specs and placeholder trees).

    ``jax.vmap(f, in_axes=(jaxsched.ExponentialDecay(0, 0, 0),))`` would otherwise fail,
    because ``decay_steps=0`` is not a valid hyperparameter. Inside this context it is
    accepted: such trees are specs, not schedules to evaluate. :func:`jaxsched.in_axes`
    uses it.
    """
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1


def concrete(value: Any) -> np.ndarray | None:
    """The value as a NumPy array when it is a concrete number or array, else ``None``.

    Python numbers, NumPy scalars and arrays, and JAX arrays that are not tracers are
    concrete. Tracers, ``None``, sentinels, ShapeDtypeStructs and other placeholders
    are not: they are accepted without validation.
    """
    if isinstance(value, jax.core.Tracer):
        return None
    if isinstance(value, (bool, int, float, complex, np.generic, np.ndarray)):
        array = np.asarray(value)
        return None if array.dtype == jax.dtypes.float0 else array
    if isinstance(value, jax.Array):
        try:
            return np.asarray(value)
        except Exception:  # deleted or non-addressable arrays
            return None
    if isinstance(value, (list, tuple)) and all(
        concrete(v) is not None or isinstance(v, (list, tuple)) for v in value
    ):
        try:
            return np.asarray(value)
        except (ValueError, TypeError):
            return np.asarray(value, dtype=object)
    return None


def describe(value: Any) -> str:
    """A short, readable rendering of a received value for error messages."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return repr(value.item())
        text = np.array2string(value, threshold=8, separator=", ")
        return text
    if isinstance(value, jax.Array) and not isinstance(value, jax.core.Tracer):
        return describe(np.asarray(value))
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def invalid(
    owner: str,
    field: str,
    value: Any,
    expected: str,
    error: type[Exception] = ValueError,
    detail: str = "",
) -> Exception:
    """The one error format: class, field, expectation and the received value.

    ``ExponentialDecay: argument `decay_steps` must be > 0. Received: decay_steps=0``
    """
    message = (
        f"{owner}: argument `{field}` must be {expected}. "
        f"Received: {field}={describe(value)}"
    )
    if detail:
        message += f" ({detail})"
    return error(message)


def whole_number(owner: str, field: str, value: Any, minimum: int) -> int:
    """``value`` as an ``int``, once it is a whole number (not a bool, not ``None``)
    ``>= minimum``; else :func:`invalid`'s ``ValueError``. For the Python-side
    counts of the framework mirrors (decided at construction, never traced)."""
    if isinstance(value, bool) or value is None or float(value) != int(value):
        raise invalid(owner, field, value, "a whole number")
    if value < minimum:
        raise invalid(owner, field, value, f">= {minimum}")
    return int(value)


@dataclasses.dataclass(frozen=True)
class Check:
    """A named elementwise predicate on a concrete hyperparameter.

    ``expected`` completes the sentence "argument `x` must be ...".
    """

    expected: str
    predicate: Callable[[np.ndarray], Any]

    def __call__(self, owner: str, field: str, value: Any, array: np.ndarray) -> None:
        ok = np.asarray(self.predicate(array))
        if not bool(np.all(ok)):
            detail = ""
            if array.ndim > 0 and ok.shape == array.shape:
                index = tuple(int(i) for i in np.argwhere(~ok)[0])
                detail = f"element {index} is {array[index].item()!r}"
            raise invalid(owner, field, value, self.expected, detail=detail)


POSITIVE = Check("> 0", lambda a: a > 0)
NON_NEGATIVE = Check(">= 0", lambda a: a >= 0)
UNIT_INTERVAL = Check("in [0, 1]", lambda a: (a >= 0) & (a <= 1))
OPEN_CLOSED_UNIT = Check("in (0, 1]", lambda a: (a > 0) & (a <= 1))
AT_LEAST_ONE = Check(">= 1", lambda a: a >= 1)
INCREASING = Check(
    "strictly increasing",
    lambda a: np.all(np.diff(a, axis=-1) > 0, axis=-1) if a.ndim else np.True_,
)
NON_DECREASING = Check(
    "non-decreasing",
    lambda a: np.all(np.diff(a, axis=-1) >= 0, axis=-1) if a.ndim else np.True_,
)


def check_number(owner: str, field: str, value: Any, array: np.ndarray) -> None:
    """Numeric leaves hold real, finite numbers (never bools, strings or NaN) that
    fit the dtype JAX stores them in."""
    given, kind = array, array.dtype.kind
    if kind == "b" or isinstance(value, (bool, np.bool_)):
        raise invalid(owner, field, value, "a number, not a bool", TypeError)
    if kind not in "iuf" and not (kind == "V" or array.dtype.name == "bfloat16"):
        if kind == "O":
            bad = [v for v in array.ravel() if not _is_real_number(v)]
            if bad:
                raise invalid(owner, field, value, "a real number", TypeError)
            array = array.astype(np.float64)
        else:
            raise invalid(owner, field, value, "a real number", TypeError)
    if kind == "f" or array.dtype.name == "bfloat16":
        finite = np.isfinite(array.astype(np.float64))
        if not bool(np.all(finite)):
            raise invalid(owner, field, value, "finite")
    _check_representable(owner, field, value, given)


_ENABLE_X64 = "enable x64 (jax.config.update('jax_enable_x64', True)) for more"


def _check_representable(owner: str, field: str, value: Any, array: np.ndarray) -> None:
    """The number fits the dtype JAX will store it in: int32 and float32 without
    ``jax_enable_x64``, int64 with it (a float64 always fits under x64). Otherwise a
    schedule would build and then overflow (or warn about a cast) on its first call."""
    x64 = bool(jax.config.read("jax_enable_x64"))
    if array.dtype.kind in "iu" or (
        array.dtype.kind == "O" and all(isinstance(v, int) for v in array.ravel())
    ):
        info = np.iinfo(np.int64 if x64 else np.int32)
        numbers = [int(v) for v in array.ravel()]
        if numbers and (min(numbers) < info.min or max(numbers) > info.max):
            name = "int64" if x64 else "int32"
            limit = f"an integer within {name}, [{info.min}, {info.max}]"
            detail = "" if x64 else f"JAX stores integers as int32; {_ENABLE_X64}"
            raise invalid(owner, field, value, limit, detail=detail)
        return
    if x64 or array.dtype.kind not in "fO" or array.dtype.itemsize <= 4:
        return
    biggest = float(np.max(np.abs(array.astype(np.float64)), initial=0.0))
    if biggest > float(np.finfo(np.float32).max):
        raise invalid(
            owner,
            field,
            value,
            "within float32's range, |x| <= 3.4028235e+38",
            detail=f"JAX stores floats as float32; {_ENABLE_X64}",
        )


def _is_real_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_)
    )
