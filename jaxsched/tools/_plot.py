"""Drawing schedules with matplotlib (the optional ``plot`` extra).

matplotlib is imported only when something is drawn, so ``import jaxsched`` never needs
it. :func:`describe` (a one-line text form of a schedule) and :func:`is_batched` are
used by the command line as well.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, cast

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core._batch import batch_size, unstack
from jaxsched.core._fields import kind as _kind
from jaxsched.core._printing import format_value
from jaxsched.core._schedule import Schedule

__all__ = [
    "describe",
    "differences",
    "evaluate",
    "is_batched",
    "member_labels",
    "plot",
    "plot_steps",
]

#: Most points drawn per curve; longer ranges are sampled evenly (integer steps).
MAX_POINTS = 4096

_INSTALL = "pip install matplotlib (or pip install '.[plot]' in a jaxsched clone)"


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(f"plotting needs matplotlib: {_INSTALL}") from error
    return matplotlib


def _format_number(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return f"{float(value):g}"


def _format_leaf(value: Any) -> str:
    if value is None:
        return "None"
    try:
        array = np.asarray(value)
    except Exception:  # a tracer or placeholder
        return type(value).__name__
    if array.ndim == 0:
        return _format_number(array.item())
    items = [_format_leaf(x) for x in array[:6]]
    if len(array) > 6:
        items.append(f"... ({len(array)} in all)")
    return "[" + ", ".join(items) + "]"


def describe(schedule: Schedule, compact: bool = False) -> str:
    """A one-line text form: ``ExponentialDecay(initial_learning_rate=0.1, ...)``.

    Numeric hyperparameters are all shown; options (static fields) only where they
    differ from their defaults. Nested schedules are described in place. ``compact``
    gives the leading numbers positionally (``ExponentialDecay(0.1, 1000, 0.96)``),
    as in a legend.
    """
    parts = []
    positional = compact
    for field in dataclasses.fields(cast(Any, schedule)):
        value = getattr(schedule, field.name)
        kind = _kind(field)
        if kind == "static":
            if field.default is not dataclasses.MISSING and value == field.default:
                positional = False
                continue
            shown = repr(value)
        elif kind == "schedule":
            shown = "None" if value is None else describe(value, compact)
        elif kind == "schedules":
            shown = "[" + ", ".join(describe(v, compact) for v in value) + "]"
        elif value is None and field.default is None:
            positional = False
            continue  # an optional leaf left out
        else:
            shown = _format_leaf(value)
        positional = positional and kind != "static"
        parts.append(shown if positional else f"{field.name}={shown}")
    return f"{type(schedule).__name__}(" + ", ".join(parts) + ")"


def is_batched(schedule: Schedule) -> bool:
    """Whether ``schedule`` is a stacked batch (``jaxsched.stack``) of schedules.

    Its leaves share a leading axis and calling it on one step does not give one
    value. (A single schedule whose sequence leaves happen to share a length, such as
    boundaries and values, still gives one value.)
    """
    try:
        batch_size(schedule)
    except ValueError:
        return False
    try:
        shape = jax.eval_shape(schedule, jax.ShapeDtypeStruct((), jnp.int32)).shape
    except Exception:  # batched sequence leaves need not broadcast with a step
        return True
    return shape != ()


def plot_steps(steps: Any) -> np.ndarray:
    """The integer steps drawn for ``steps``: ``[0, steps)``, sampled evenly when long.

    An array or sequence of steps is used as given.
    """
    if isinstance(steps, (int, np.integer)) and not isinstance(steps, bool):
        n = int(steps)
        if n < 1:
            raise ValueError(f"plot: `steps` must be >= 1. Received: steps={n}")
        if n > 2**31 - 1:
            raise ValueError(f"plot: `steps` must be < 2**31. Received: steps={n}")
        if n <= MAX_POINTS:
            return np.arange(n, dtype=np.int32)
        return np.unique(np.linspace(0, n - 1, MAX_POINTS).round().astype(np.int32))
    array = np.asarray(steps)
    if array.ndim != 1 or array.size == 0 or array.dtype.kind not in "iuf":
        raise ValueError(
            "plot: `steps` must be a number of steps or a 1-D sequence of steps. "
            f"Received: steps={steps!r}"
        )
    if array.dtype.kind in "iu":
        return array.astype(np.int32)
    return array.astype(np.float32)


def _flat_config(config: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(config, dict) and "class_name" in config and "config" in config:
        return _flat_config(config["config"], prefix)
    if isinstance(config, dict):
        out = {}
        for key, value in config.items():
            out.update(_flat_config(value, f"{prefix}{key}."))
        return out
    if isinstance(config, list) and any(isinstance(x, dict) for x in config):
        out = {}
        for index, value in enumerate(config):
            out.update(_flat_config(value, f"{prefix}{index}."))
        return out
    return {prefix[:-1]: config}


def differences(members: Sequence[Schedule]) -> tuple[list[str], list[list[str]]]:
    """What differs between schedules of one structure: the field names, and for each
    member its values of those fields as text.

    A field of a nested schedule is named by the shortest end of its dotted path that
    is unique (``schedules.1.decay_steps`` is ``decay_steps``); a field that varies
    exactly as an earlier one (a warmup's ``end_value`` and the decay's
    ``init_value``, both the peak) is shown once, under the earlier name.
    """
    flat = [_flat_config(m.get_config()) for m in members]
    keys = [k for k in flat[0] if any(f.get(k) != flat[0][k] for f in flat[1:])]
    columns: dict[str, list[str]] = {}
    for key in keys:
        column = [_format_leaf(f[key]) for f in flat]
        if column not in columns.values():
            columns[key] = column
    names = _short_names(list(columns))
    return names, [list(row) for row in zip(*columns.values())] or [[] for _ in flat]


def _short_names(paths: list[str]) -> list[str]:
    """Each dotted path's shortest unique ending that starts with a name (not an
    index)."""
    parts = [path.split(".") for path in paths]

    def ending(p: list[str], n: int) -> str:
        while n < len(p) and p[-n].isdigit():
            n += 1
        return ".".join(p[-n:])

    names = []
    for p in parts:
        n = 1
        while n < len(p) and sum(ending(q, n) == ending(p, n) for q in parts) > 1:
            n += 1
        names.append(ending(p, n))
    return names


def member_labels(sweep: Schedule) -> tuple[list[str], list[list[str]], bool]:
    """The names and each member's values that label a stacked sweep, and whether
    they are the swept arguments of :func:`jaxsched.grid` / :func:`jaxsched.sample`
    (kept through ``to_dict`` / ``from_dict`` as ``"swept"``) or else the fields
    that differ (:func:`differences`)."""
    points = sweep.__dict__.get("_points")
    if points and len(points) == batch_size(sweep) and points[0]:
        keys = list(dict.fromkeys(k for point in points for k in point))
        rows = [[format_value(p[k]) if k in p else "" for k in keys] for p in points]
        return keys, rows, True
    return *differences(unstack(sweep)), False


def evaluate(schedule: Schedule, steps: Any) -> np.ndarray:
    """Values of ``schedule`` at :func:`plot_steps` ``(steps)``, shaped
    ``(members, points)``: one row for a single schedule, one per member of a stacked
    batch."""
    if not isinstance(schedule, Schedule):
        raise TypeError(
            f"plot: expected a jaxsched Schedule. Received: {type(schedule).__name__}"
        )
    points = jnp.asarray(plot_steps(steps))
    if is_batched(schedule):
        values = _evaluate_batch(schedule, points)
    else:
        values = _evaluate_one(schedule, points)[None]
    return np.asarray(values, dtype=np.float64)


# Compiled once per schedule structure: faster than op-by-op for nested schedules.
_evaluate_one = jax.jit(lambda schedule, steps: schedule(steps))
_evaluate_batch = jax.jit(jax.vmap(lambda schedule, steps: schedule(steps), (0, None)))


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _legend(ax: Any, lines: int, title: str | None) -> None:
    if lines > 24:  # a legend would hide the curves; the colours order the family
        return
    if lines <= 6:
        ax.legend(fontsize="small", title=title, title_fontsize="small")
        return
    ax.legend(
        fontsize="x-small",
        title=title,
        title_fontsize="x-small",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
        ncols=1 if lines <= 16 else 2,
    )


def plot(
    schedules: Schedule | Sequence[Schedule],
    steps: Any = 1000,
    ax: Any = None,
    log: bool = False,
    labels: Sequence[str] | None = None,
    mark_key_steps: bool = False,
) -> Any:
    """Draw one or several schedules against the step, on ``ax`` or a new figure.

    A stacked schedule (``jaxsched.stack``) is drawn as a family of curves, one per
    member, coloured along a colormap (viridis, in member order) and labelled by the
    hyperparameters that differ between members.

    Args:
      schedules: a schedule, a stacked schedule, or a sequence of them.
      steps: the number of steps ``N`` (draws ``[0, N)``, sampled evenly at most
        ``MAX_POINTS`` times), or a 1-D sequence of steps.
      ax: a matplotlib ``Axes``; a new figure (``matplotlib.pyplot``) when None.
      log: a logarithmic value axis.
      labels: one legend label per schedule (for a stacked one: the family's
        prefix); by default each schedule is described by its hyperparameters.
      mark_key_steps: draw a dotted vertical line at each step where a phase of a
        schedule begins or ends (``Schedule.key_steps``) inside the drawn range.

    Returns:
      The ``Axes`` drawn on.

    Raises:
      ImportError: matplotlib is not installed (``pip install matplotlib``).
      TypeError: an element is not a Schedule.
      ValueError: bad ``steps``, or ``labels`` of the wrong length.

    Example:
      >>> import jaxsched
      >>> sweep = jaxsched.stack(
      ...     [jaxsched.ExponentialDecay(0.1, 100, rate) for rate in (0.5, 0.9)]
      ... )
      >>> ax = jaxsched.plot(sweep, steps=500, log=True)
      >>> legend = ax.get_legend().get_title().get_text()
      >>> print(len(ax.get_lines()), ax.get_xlabel(), ax.get_yscale(), legend)
      2 step log decay_rate
    """
    items = [schedules] if isinstance(schedules, Schedule) else list(schedules)
    if not items:
        raise ValueError("plot: expected at least one schedule. Received: []")
    if labels is not None:
        labels = [str(label) for label in labels]
        if len(labels) != len(items):
            raise ValueError(
                f"plot: expected one label per schedule ({len(items)}). "
                f"Received {len(labels)} labels"
            )
    x = plot_steps(steps)
    curves = [evaluate(item, x) for item in items]  # fail before drawing anything
    matplotlib = _matplotlib()
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    colormap = matplotlib.colormaps["viridis"]
    cycle = iter(matplotlib.rcParams["axes.prop_cycle"].by_key().get("color", []))
    lines, title = 0, None
    for index, (item, values) in enumerate(zip(items, curves)):
        prefix = None if labels is None else labels[index]
        if len(values) == 1:
            label = prefix if prefix is not None else _shorten(describe(item, True))
            ax.plot(x, values[0], label=label, color=next(cycle, None), linewidth=1.8)
        else:
            keys, rows, swept = member_labels(item)
            if swept:  # grid and sample: name=value
                names = [", ".join(map("=".join, zip(keys, row))) for row in rows]
            elif len(items) == 1 and prefix is None and keys:
                title, names = ", ".join(keys), [", ".join(row) for row in rows]
            elif keys:
                names = [", ".join(map("=".join, zip(keys, row))) for row in rows]
            else:
                names = [f"member {i}" for i in range(len(values))]
            if prefix is not None:
                names = [f"{prefix}: {name}" for name in names]
            shades = colormap(np.linspace(0.0, 0.85, len(values)))
            for row, name, color in zip(values, names, shades):
                ax.plot(x, row, label=_shorten(name), color=color, linewidth=1.4)
        lines += len(values)
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    if log:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.margins(x=0)
    if mark_key_steps:
        marked = {
            float(k)
            for item in items
            for k in (item.key_steps() if hasattr(item, "key_steps") else ())
            if x[0] < k <= x[-1]
        }
        for k in sorted(marked):
            ax.axvline(k, color="0.5", linestyle=":", linewidth=0.9)
    _legend(ax, lines, title)
    return ax
