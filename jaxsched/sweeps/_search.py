"""Random search: sweeps drawn from distributions, stacked into one batched schedule.

``jaxsched.sample(key, 64, cls, peak=jaxsched.log_uniform(1e-3, 1.0), ...)`` draws 64
configurations and stacks them like :func:`jaxsched.grid`: every leaf gains a leading
member axis, so ``jax.vmap(train)`` trains them all in one compiled program, and a new
draw of the same space (same structure and dtypes) reuses that program.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.core
import jax.numpy as jnp
import numpy as np

from jaxsched.core._batch import stack
from jaxsched.core._schedule import Schedule
from jaxsched.sweeps._grid import build_members, fixed

__all__ = ["choice", "int_uniform", "log_uniform", "sample", "sample_points", "uniform"]


def _number(owner: str, name: str, value: Any, integer: bool = False) -> Any:
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds):
        expected = "an integer" if integer else "a real number"
        raise TypeError(f"{owner}: `{name}` must be {expected}. Received: {value!r}")
    if not integer and not math.isfinite(float(value)):
        raise ValueError(f"{owner}: `{name}` must be finite. Received: {value!r}")
    return int(value) if integer else float(value)


class _Axis:
    """A distribution to draw one argument of each member from."""

    def draw(self, rng: np.random.Generator, num: int) -> list[Any]:
        raise NotImplementedError


class uniform(_Axis):
    """A sweep axis for :func:`jaxsched.sample`: floats uniform in ``[low, high]``.

    Args:
      low: the smallest value.
      high: the largest value (``low <= high``).

    Raises:
      ValueError: ``low > high`` or a bound is not finite.
      TypeError: a bound is not a real number.
    """

    __slots__ = ("high", "low")

    def __init__(self, low: float, high: float) -> None:
        self.low = _number("uniform", "low", low)
        self.high = _number("uniform", "high", high)
        if self.low > self.high:
            raise ValueError(
                f"uniform: expected low <= high. Received: low={low!r}, high={high!r}"
            )

    def draw(self, rng: np.random.Generator, num: int) -> list[Any]:
        values = self.low + (self.high - self.low) * rng.random(num)
        return [float(min(v, self.high)) for v in values]

    def __repr__(self) -> str:
        return f"uniform({self.low!r}, {self.high!r})"


class log_uniform(_Axis):
    """A sweep axis for :func:`jaxsched.sample`: floats whose logarithm is uniform,
    in ``[low, high]`` (learning rates, decay rates: every decade equally likely).

    Args:
      low: the smallest value, > 0.
      high: the largest value (``0 < low <= high``).

    Raises:
      ValueError: a bound is not positive or not finite, or ``low > high``.
      TypeError: a bound is not a real number.
    """

    __slots__ = ("high", "low")

    def __init__(self, low: float, high: float) -> None:
        self.low = _number("log_uniform", "low", low)
        self.high = _number("log_uniform", "high", high)
        if self.low <= 0 or self.high <= 0:
            raise ValueError(
                "log_uniform: expected positive bounds (the logarithm of a number "
                f"<= 0 is undefined). Received: low={low!r}, high={high!r}"
            )
        if self.low > self.high:
            raise ValueError(
                "log_uniform: expected low <= high. "
                f"Received: low={low!r}, high={high!r}"
            )

    def draw(self, rng: np.random.Generator, num: int) -> list[Any]:
        lo, hi = math.log(self.low), math.log(self.high)
        values = np.exp(lo + (hi - lo) * rng.random(num))
        return [float(np.clip(v, self.low, self.high)) for v in values]

    def __repr__(self) -> str:
        return f"log_uniform({self.low!r}, {self.high!r})"


class int_uniform(_Axis):
    """A sweep axis for :func:`jaxsched.sample`: integers uniform in ``[low, high]``,
    both ends included (step counts such as ``warmup_steps``).

    Args:
      low: the smallest integer.
      high: the largest integer (``low <= high``).

    Raises:
      ValueError: ``low > high``.
      TypeError: a bound is not an integer.
    """

    __slots__ = ("high", "low")

    def __init__(self, low: int, high: int) -> None:
        self.low = _number("int_uniform", "low", low, integer=True)
        self.high = _number("int_uniform", "high", high, integer=True)
        if self.low > self.high:
            raise ValueError(
                "int_uniform: expected low <= high. "
                f"Received: low={low!r}, high={high!r}"
            )

    def draw(self, rng: np.random.Generator, num: int) -> list[Any]:
        values = rng.integers(self.low, self.high, size=num, endpoint=True)
        return [int(v) for v in values]

    def __repr__(self) -> str:
        return f"int_uniform({self.low!r}, {self.high!r})"


class choice(_Axis):
    """A sweep axis for :func:`jaxsched.sample`: one of ``values``, each equally likely.

    Numbers (or equally shaped arrays, such as ``boundaries`` lists) are converted to
    one common dtype, so every draw of the space stacks to the same leaf dtypes (one
    compilation however the draw falls).

    Args:
      values: a non-empty sequence of candidates.

    Raises:
      ValueError: ``values`` is empty.
      TypeError: ``values`` is not a sequence.
    """

    __slots__ = ("values",)

    def __init__(self, values: Sequence[Any]) -> None:
        if isinstance(values, str | bytes | dict) or not hasattr(values, "__len__"):
            raise TypeError(
                f"choice: expected a sequence of values. Received: {values!r}"
            )
        items = list(values)
        if not items:
            raise ValueError(
                f"choice: expected at least one value. Received: {values!r}"
            )
        numeric = all(
            not isinstance(v, bool | str | bytes | Schedule) and v is not None
            for v in items
        )
        if numeric:
            try:
                array = np.asarray(items)
            except ValueError:  # ragged: keep the values as they are
                array = None
            if array is not None and array.dtype.kind in "iuf":
                items = [a.item() if a.ndim == 0 else a for a in array]
        self.values = items

    def draw(self, rng: np.random.Generator, num: int) -> list[Any]:
        return [self.values[i] for i in rng.integers(0, len(self.values), size=num)]

    def __repr__(self) -> str:
        return f"choice({self.values!r})"


def _rng(key: Any, name: str) -> np.random.Generator:
    """A NumPy generator seeded from a JAX key (typed or raw) or an int."""
    if isinstance(key, int | np.integer) and not isinstance(key, bool):
        data = np.asarray(jax.random.key_data(jax.random.key(int(key))))
    elif isinstance(key, jax.core.Tracer):
        raise TypeError(
            f"{name}: `key` is a traced value; draw the sweep outside jit, then pass "
            "it in as an argument"
        )
    else:
        try:
            array = key
            dtype = getattr(key, "dtype", None)
            if dtype is not None and jnp.issubdtype(dtype, jax.dtypes.prng_key):
                array = jax.random.key_data(key)
            data = np.asarray(array)
        except (TypeError, ValueError):
            data = None
        if data is None or data.dtype.kind not in "iu" or data.ndim != 1:
            raise TypeError(
                f"{name}: `key` must be a jax.random.key (or PRNGKey), or an int "
                f"seed. Received: {key!r}"
            )
    return np.random.default_rng(np.asarray(data, np.uint64).tolist())


def _split(name: str, axes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, _Axis]]:
    held: dict[str, Any] = {}
    swept: dict[str, _Axis] = {}
    for arg, value in axes.items():
        if isinstance(value, _Axis):
            swept[arg] = value
        else:
            held[arg] = value.value if isinstance(value, fixed) else value
    return held, swept


def _check_num(name: str, num: Any) -> int:
    if isinstance(num, bool) or not isinstance(num, int | np.integer) or num < 1:
        raise ValueError(f"{name}: `num` must be an integer >= 1. Received: {num!r}")
    return int(num)


def sample_points(key: Any, num: int, /, **axes: Any) -> list[dict[str, Any]]:
    """The swept values of each member of ``sample(key, num, ..., **axes)``.

    Only the arguments given as distributions (:class:`jaxsched.uniform`,
    :class:`jaxsched.log_uniform`, :class:`jaxsched.int_uniform`,
    :class:`jaxsched.choice`) appear, in member order: use them to label results and
    plots, as :func:`jaxsched.grid_points` does for a grid.

    Example:
      >>> import jax, jaxsched
      >>> points = jaxsched.sample_points(
      ...     jax.random.key(0), 3, peak=jaxsched.log_uniform(1e-3, 1.0), steps=100
      ... )
      >>> [sorted(p) for p in points]
      [['peak'], ['peak'], ['peak']]
    """
    return _points("sample_points", key, num, axes)


def _points(
    name: str, key: Any, num: Any, axes: dict[str, Any]
) -> list[dict[str, Any]]:
    num = _check_num(name, num)
    rng = _rng(key, name)
    _, swept = _split(name, axes)
    columns = {arg: dist.draw(rng, num) for arg, dist in swept.items()}
    return [{arg: columns[arg][i] for arg in swept} for i in range(num)]


def sample(
    key: Any, num: int, cls_or_factory: Callable[..., Schedule], /, **axes: Any
) -> Schedule:
    """A batched schedule of ``num`` members drawn at random: a random search.

    Each keyword is an argument of ``cls_or_factory`` (a schedule class, or a function
    returning a schedule such as ``jaxsched.warmup_cosine_decay_schedule``). An
    argument given as :class:`jaxsched.uniform`, :class:`jaxsched.log_uniform`,
    :class:`jaxsched.int_uniform` or :class:`jaxsched.choice` is drawn independently
    for each member; anything else (numbers, lists, schedules; :class:`jaxsched.fixed`
    is unwrapped) is held fixed. The space is checked when the distributions are
    built, so an impossible space (``log_uniform(0, 1)``, ``uniform(2, 1)``,
    ``choice([])``) fails before anything is drawn.

    The draw is a function of ``key`` alone (a NumPy generator seeded from the key's
    data): the same key gives the same sweep, and the distributions are drawn in the
    order the keywords are given. Every member is built, and validated, with
    ``cls_or_factory(**fixed_args, **point)``, then the members are stacked with
    :func:`jaxsched.stack`. Two draws of one space have the same structure and leaf
    dtypes, so a jitted ``jax.vmap(train)`` compiles once for both.
    :func:`jaxsched.sample_points` (same key, same arguments) gives the drawn values.

    Args:
      key: a ``jax.random.key`` (or a raw ``PRNGKey``), or an int seed.
      num: the number of members, >= 1.
      cls_or_factory: a Schedule subclass or a function returning a Schedule.
      **axes: the arguments: distributions, or values held fixed.

    Returns:
      One schedule whose leaves have a leading axis of size ``num``.

    Raises:
      ValueError: ``num < 1``, an invalid member (the message names the member, its
        drawn values and the field), or draws that change the structure (a static
        option drawn with :class:`jaxsched.choice`).
      TypeError: a bad key, ``cls_or_factory`` not callable or not returning a
        Schedule.

    Example:
      >>> import jax, jaxsched
      >>> sweep = jaxsched.sample(
      ...     jax.random.key(0), 8, jaxsched.warmup_cosine_decay_schedule,
      ...     init_value=0.0, peak_value=jaxsched.log_uniform(1e-3, 1.0),
      ...     warmup_steps=jaxsched.int_uniform(0, 100), decay_steps=1000,
      ... )
      >>> jaxsched.batch_size(sweep)
      8
    """
    if not callable(cls_or_factory):
        raise TypeError(
            "sample: expected a schedule class or a function returning a schedule. "
            f"Received: {cls_or_factory!r}"
        )
    num = _check_num("sample", num)
    held, swept = _split("sample", axes)
    points = _points("sample", key, num, axes)
    name = getattr(cls_or_factory, "__qualname__", None) or repr(cls_or_factory)
    members = build_members("sample", cls_or_factory, held, points, name)
    first = jax.tree.structure(members[0])
    for index, member in enumerate(members[1:], start=1):
        if jax.tree.structure(member) != first:
            raise ValueError(
                f"sample: members 0 {points[0]} and {index} {points[index]} of {name} "
                "differ in structure (class, static options or number of pieces), so "
                "they cannot be stacked; draw static options outside the sweep (one "
                f"sample per value). Swept: {sorted(swept)}"
            )
    from jaxsched.core._batch import label_members

    return label_members(stack(members), points)
