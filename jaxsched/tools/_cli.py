"""The ``jaxsched`` command line (also ``python -m jaxsched``).

``jaxsched list`` (the registered schedules and the published recipes), ``jaxsched
show CONFIG.json`` (values, range and a sparkline), ``jaxsched plot CONFIG.json ... -o
out.png`` (matplotlib), both also ``--recipe NAME`` with the recipe's own arguments
(``jaxsched plot --recipe llama --version 2 --size 7b -o out.png``), and ``jaxsched
demo`` (the training demo). Errors print one line to stderr and exit 1
(2 for usage errors); never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import math
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, cast

import numpy as np

#: Largest ``--steps``: the step and twice it ("beyond") must fit an int32.
MAX_STEPS = 2**30

_SPARK = "▁▂▃▄▅▆▇█"
_SPARK_ASCII = "_.-~=+*#"


class CommandError(Exception):
    """A user error: printed as one line, exit status 1."""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line of stderr (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


# ------------------------------------------------------------------------- helpers


def _load(path: str) -> tuple[Any, str]:
    """The schedule in a JSON file, and the format it was written in."""
    from jaxsched.core._serialization import from_dict

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a directory, not a JSON file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot read: {error}") from None
    if not text.strip():
        raise CommandError(f"{path}: the file is empty (expected a schedule's JSON)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}: not valid JSON: {error}") from None
    try:
        if isinstance(data, list) and data:  # a sweep as a list of configs
            from jaxsched.core._batch import stack

            return stack([from_dict(item) for item in data]), "a list of configs"
        schedule = from_dict(data)
    except (ValueError, TypeError) as error:
        raise CommandError(f"{path}: {error}") from None
    module = data.get("module") if isinstance(data, dict) else None
    if isinstance(module, str) and module.startswith("keras"):
        return schedule, "Keras serialize() format"
    return schedule, "jaxsched format"


def _recipe(name: str, arguments: dict[str, Any]) -> tuple[Any, int, str]:
    """A published recipe built with its arguments: ``(schedule, run length in
    steps, a description)``."""
    from jaxsched.recipes import registry

    recipes = registry()
    if name not in recipes:
        raise CommandError(
            f"unknown recipe {name!r}; the recipes are: {', '.join(recipes)}"
        )
    entry = recipes[name]
    known = entry.parameters()
    unknown = [k for k in arguments if k not in known]
    if unknown:
        listed = ", ".join("--" + k.replace("_", "-") for k in known)
        raise CommandError(
            f"recipe {name} has no argument --{unknown[0].replace('_', '-')}; "
            f"its arguments are: {listed}"
        )
    schedule, total = entry.build(**arguments)
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    return schedule, total, f"recipe {name}({shown}): {entry.summary}"


def _value(text: str) -> Any:
    """A recipe argument from the command line: a number, ``true``/``false``/
    ``none``, a comma-separated tuple of numbers, or the text itself."""
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "none":
        return None
    if "," in text:
        return tuple(_value(part) for part in text.split(","))
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _split_recipe_arguments(
    parser: argparse.ArgumentParser, argv: list[str]
) -> tuple[list[str], dict[str, Any]]:
    """For ``show``/``plot`` with ``--recipe``: the options the command does not
    know (``--version 2``, ``--size=7b``) taken out of ``argv`` as the recipe's
    arguments."""
    if len(argv) < 2 or argv[0] not in ("show", "plot"):
        return argv, {}
    if not any(a == "--recipe" or a.startswith("--recipe=") for a in argv):
        return argv, {}
    sub = parser._subparsers._group_actions[0].choices[argv[0]]  # type: ignore[union-attr]
    options = sub._option_string_actions
    kept, arguments = [argv[0]], {}
    items = argv[1:]
    while items:
        item = items.pop(0)
        name, equals, inline = item.partition("=")
        if not item.startswith("--") or name in options:
            kept.append(item)
            action = options.get(name)
            if action is not None and not equals and action.nargs != 0 and items:
                kept.append(items.pop(0))
            continue
        if not equals:
            if not items:
                raise CommandError(f"recipe argument {item} needs a value")
            inline = items.pop(0)
        arguments[name[2:].replace("-", "_")] = _value(inline)
    return kept, arguments


def _count_fields(
    schedule: Any, prefix: str = "", nested: bool = True
) -> Iterator[tuple[str, float]]:
    """``(dotted field name, value)`` for every step count in the schedule (and in its
    nested schedules, with ``nested``)."""
    from jaxsched.core._fields import kind as _kind

    for field in dataclasses.fields(schedule):
        value = getattr(schedule, field.name)
        kind = _kind(field)
        if kind == "leaf" and field.metadata.get("count") and value is not None:
            array = np.asarray(value, dtype=np.float64).ravel()
            scalar = np.ndim(value) == 0
            for index, item in enumerate(array):
                name = field.name if scalar else f"{field.name}[{index}]"
                yield prefix + name, float(item)
        elif not nested:
            continue
        elif kind == "schedule" and value is not None:
            yield from _count_fields(value, f"{prefix}{field.name}.")
        elif kind == "schedules":
            for index, item in enumerate(value or ()):
                yield from _count_fields(item, f"{prefix}{field.name}[{index}].")


def default_steps(schedules: Sequence[Any]) -> int:
    """Twice the largest step count (decay steps, boundaries, ...) of the schedules;
    1000 when they have none."""
    counts = [v for s in schedules for _, v in _count_fields(s) if math.isfinite(v)]
    largest = max(counts, default=0.0)
    if largest <= 0:
        return 1000
    return int(min(max(10, math.ceil(2 * largest)), MAX_STEPS))


def _check_steps(steps: int | None, schedules: Sequence[Any]) -> int:
    if steps is None:
        return default_steps(schedules)
    if not 1 <= steps <= MAX_STEPS:
        raise CommandError(f"--steps must be in [1, 2**30]. Received: {steps}")
    return steps


def _parse_at(text: str) -> list[int | float]:
    steps: list[int | float] = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            value: int | float = int(item)
        except ValueError:
            try:
                value = float(item)
            except ValueError:
                raise CommandError(
                    f"--at expects comma-separated step numbers. Received: {item!r}"
                ) from None
        if not math.isfinite(value) or abs(value) > 2**31 - 1:
            raise CommandError(
                f"--at: step {item} is out of range: steps are finite numbers "
                f"from {-(2**31 - 1)} to {2**31 - 1}"
            )
        steps.append(value)
    if not steps:
        raise CommandError("--at expects comma-separated step numbers, e.g. 0,100,1000")
    return steps


def _value_at(schedule: Any, step: int | float) -> float:
    if float(step).is_integer():
        return float(schedule(np.int32(step)))
    return float(schedule(np.float32(step)))


def _extremes(schedule: Any, n: int) -> tuple[float, int, float, int]:
    """(min, argmin, max, argmax) of the schedule over the integer steps [0, n)."""
    import jax
    import jax.numpy as jnp

    chunk = min(n, 1 << 20)

    @jax.jit
    def part(s: Any, start: jax.Array) -> tuple[jax.Array, ...]:
        steps = start + jnp.arange(chunk, dtype=jnp.int32)
        values = s(steps).astype(jnp.float32)
        inside = steps < n
        low = jnp.where(inside, values, jnp.inf)
        high = jnp.where(inside, values, -jnp.inf)
        return low.min(), steps[low.argmin()], high.max(), steps[high.argmax()]

    best = (math.inf, 0, -math.inf, 0)
    for start in range(0, n, chunk):
        low, at_low, high, at_high = map(np.asarray, part(schedule, np.int32(start)))
        if low < best[0]:
            best = (float(low), int(at_low), best[2], best[3])
        if high > best[2]:
            best = (best[0], best[1], float(high), int(at_high))
    return best


def sparkline(values: np.ndarray, log: bool = False, ascii_only: bool = False) -> str:
    """The values as a row of block characters, lowest to highest (one per value)."""
    ramp = _SPARK_ASCII if ascii_only else _SPARK
    values = np.asarray(values, dtype=np.float64)
    if log:
        values = np.log10(np.where(values > 0, values, np.nan))
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return "?" * len(values)
    low, high = finite.min(), finite.max()
    span = high - low
    out = []
    for value in values:
        if not np.isfinite(value):
            out.append(" ")
        elif span <= 0 or span < 1e-12 * max(abs(high), abs(low)):
            out.append(ramp[len(ramp) // 2])
        else:
            out.append(ramp[round((value - low) / span * (len(ramp) - 1))])
    return "".join(out)


def _wrap(items: Sequence[str], indent: str, width: int = 88) -> str:
    """``items`` joined by commas, wrapped at ``width`` between items only."""
    lines, line = [], indent
    for index, item in enumerate(items):
        text = item + ("," if index < len(items) - 1 else "")
        if line.strip() and len(line) + 1 + len(text) > width:
            lines.append(line)
            line = indent
        line += text if not line.strip() else " " + text
    lines.append(line)
    return "\n".join(lines)


def _can_print(text: str) -> bool:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


# ------------------------------------------------------------------------ commands


def _list(args: argparse.Namespace) -> int:
    from jaxsched.core._fields import kind as _kind
    from jaxsched.core._printing import format_value
    from jaxsched.core._schedule import registry
    from jaxsched.schedules import _optax

    def wanted(name: str, doc: str) -> bool:
        text = args.filter.lower() if args.filter else ""
        return text in name.lower() or text in doc.lower()

    def summary(obj: Any) -> str:
        doc = (obj.__doc__ or "").strip().splitlines()
        return doc[0].replace("``", "") if doc else ""

    def field_text(f: dataclasses.Field) -> str:
        if f.default is dataclasses.MISSING:
            return f"{f.name} ({_kind(f)}, required)"
        shown = repr(f.default) if _kind(f) == "static" else format_value(f.default)
        return f"{f.name}={shown} ({_kind(f)})"

    classes = {
        k: v
        for k, v in sorted(registry().items())
        if not k.startswith("_") and wanted(k, summary(v))
    }
    for name, cls in classes.items():
        print(f"{name}: {summary(cls)}" if summary(cls) else name)
        fields = dataclasses.fields(cast(Any, cls))
        print(_wrap([field_text(f) for f in fields], indent="    "))
    factories = [n for n in _optax.__all__ if wanted(n, summary(getattr(_optax, n)))]
    if factories:
        print("\noptax-named factories (each returns a schedule, saved as its class):")
    for name in factories:
        factory = getattr(_optax, name)
        signature = inspect.signature(factory)
        saved = signature.return_annotation
        params = ", ".join(
            p.name
            if p.default is inspect.Parameter.empty
            else f"{p.name}={p.default!r}"
            for p in signature.parameters.values()
        )
        print(f"{name}({params}) -> saved as {getattr(saved, '__name__', saved)}")
    from jaxsched.recipes import registry as recipe_registry

    recipes = {n: r for n, r in recipe_registry().items() if wanted(n, r.summary)}
    if recipes:
        print(
            "\nPublished recipes (jaxsched.recipes.NAME(...); "
            "jaxsched show --recipe NAME --ARG VALUE ...):"
        )
    for name, entry in recipes.items():
        print(f"{name}: {entry.summary}")
    if not classes and not factories and not recipes:
        raise CommandError(f"no schedule, factory or recipe matches {args.filter!r}")
    print(
        f"\n{len(classes)} schedules, {len(factories)} factories, "
        f"{len(recipes)} recipes."
    )
    print(
        "Fields: leaf = a number, a pytree leaf (jit, vmap, grad); static = an option"
    )
    print("that changes the computation; schedule(s) = nested schedules; name=value")
    print("gives the default, (required) marks an argument without one.")
    return 0


def _show(args: argparse.Namespace) -> int:
    from jaxsched.core._printing import to_text
    from jaxsched.tools._plot import is_batched

    requested = None if args.at is None else _parse_at(args.at)
    if (args.config is None) == (args.recipe is None):
        raise CommandError("give a CONFIG.json or --recipe NAME (one of them)")
    if args.recipe is not None:
        schedule, total, origin = _recipe(args.recipe, args.recipe_arguments)
        n = total if args.steps is None else _check_steps(args.steps, [schedule])
    else:
        schedule, kind = _load(args.config)
        if is_batched(schedule):
            return _show_sweep(args, schedule, kind, requested)
        n = _check_steps(args.steps, [schedule])
        origin = f"read from {args.config} ({kind})"
    print(to_text(schedule))
    print(f"{origin}; steps [0, {n})")
    print()
    if requested is not None:
        rows: dict[float, list[str]] = {float(s): [] for s in requested}
    else:
        rows = {0.0: ["start"]}
        # The schedule's own step counts and boundaries; those of nested schedules
        # count from where the nested schedule starts, so they are not shown.
        counts = [(k, v) for k, v in _count_fields(schedule, nested=False) if 0 < v < n]
        for name, value in counts[:16]:
            rows.setdefault(value, []).append(name)
        key_steps = getattr(schedule, "key_steps", None)  # where phases take effect
        found = [k for k in (key_steps() if key_steps else ()) if 0 < k < n]
        for k in found[:8]:
            rows.setdefault(float(k), []).append("phase")
            rows.setdefault(float(k) - 1, [])  # the other side of the boundary
        rows.setdefault(float(n), []).append("end (--steps)")
        rows.setdefault(float(2 * n), []).append("beyond")
        if len(counts) > 16:
            print(f"({len(counts) - 16} more step counts not shown; use --at)")
    steps = sorted(rows) if requested is None else list(rows)
    width = max(len(_format_step(s)) for s in steps)
    print(f"{'step':>{width}}  value")
    for step in steps:
        note = ", ".join(rows[step])
        value = _value_at(schedule, step)
        line = f"{_format_step(step):>{width}}  {value:<12.6g}"
        print(f"{line}  {note}".rstrip())
    low, at_low, high, at_high = _extremes(schedule, n)
    print()
    print(f"min over [0, {n}): {low:.6g} at step {at_low}")
    print(f"max over [0, {n}): {high:.6g} at step {at_high}")
    points = np.unique(np.linspace(0, n - 1, min(n, 64)).round().astype(np.int32))
    values = np.asarray(schedule(points), dtype=np.float64)
    line = sparkline(values, log=args.log)
    if not _can_print(line):
        line = sparkline(values, log=args.log, ascii_only=True)
    scale = "log" if args.log else "linear"
    span = f"{values.min():.6g} to {values.max():.6g}"
    print(f"{line}  {span} ({scale}, steps 0 to {n - 1})")
    return 0


def _show_sweep(
    args: argparse.Namespace,
    sweep: Any,
    kind: str,
    requested: list[int | float] | None,
) -> int:
    """A stacked sweep: one row per member (what differs), one column per step."""
    import jax

    from jaxsched.core._batch import unstack
    from jaxsched.tools._plot import member_labels

    members = unstack(sweep)
    n = _check_steps(args.steps, members)
    if requested is None:
        key_steps = getattr(sweep, "key_steps", None)
        found = [s for s in (key_steps() if key_steps else ()) if 0 < s < n]
        requested = sorted({0, *found[:6], n})
    keys, rows, swept = member_labels(sweep)
    names = [", ".join(map("=".join, zip(keys, row))) or "member" for row in rows]
    steps = np.asarray(requested)
    steps = steps.astype(np.int32 if steps.dtype.kind == "i" else np.float32)
    values = np.asarray(jax.vmap(lambda m: m(steps))(sweep), dtype=np.float64)
    print(f"{len(members)} members of {type(sweep).__name__}, read from {args.config}")
    what = "swept" if swept else "differing"
    print(f"({kind}); {what}: {', '.join(keys) or 'nothing'}")
    print()
    columns = [f"{_format_step(float(s)):>11}" for s in requested]
    print("member  " + " ".join(columns) + "   (value at step)")
    for index, row in enumerate(values):
        print(f"{index:>6}  " + " ".join(f"{v:>11.6g}" for v in row))
    print()
    for index, name in enumerate(names):
        print(f"{index:>6}: {name}")
    return 0


def _format_step(step: float) -> str:
    return str(int(step)) if float(step).is_integer() else f"{step:g}"


def _figure(rows: int = 1, cols: int = 1, size: tuple[float, float] = (8, 4.5)) -> Any:
    """A matplotlib Figure on the Agg canvas (no pyplot, no display needed)."""
    from jaxsched.tools._plot import _matplotlib

    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots(rows, cols, squeeze=False).ravel()


def _save(figure: Any, output: str) -> None:
    try:
        figure.savefig(output, dpi=120)
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot write {output}: {error}") from None


def _plot(args: argparse.Namespace) -> int:
    from jaxsched.tools._plot import _matplotlib, plot

    _matplotlib()  # fail early, before loading and evaluating
    loaded = [_load(path)[0] for path in args.configs]
    if not loaded and args.recipe is None:
        raise CommandError("give one or more CONFIG.json files or --recipe NAME")
    total = None
    if args.recipe is not None:
        schedule, total, _ = _recipe(args.recipe, args.recipe_arguments)
        loaded.append(schedule)
    n = total if args.steps is None and total is not None else None
    n = _check_steps(args.steps, loaded) if n is None else n
    labels = None
    if args.recipe is not None:
        shown = ", ".join(f"{k}={v!r}" for k, v in args.recipe_arguments.items())
        labels = [Path(p).stem for p in args.configs] + [f"{args.recipe}({shown})"]
    elif len(args.configs) > 1:
        from jaxsched.tools._plot import describe

        labels = [
            f"{Path(p).stem}: {describe(s, compact=True)}"
            for p, s in zip(args.configs, loaded)
        ]
        labels = [t if len(t) <= 60 else t[:57] + "..." for t in labels]
    figure, (ax,) = _figure()
    plot(loaded, steps=n, ax=ax, log=args.log, labels=labels)
    if args.title:
        ax.set_title(args.title)
    _save(figure, args.output)
    print(f"wrote {args.output}: {len(loaded)} schedule(s), steps [0, {n})")
    return 0


def _demo(args: argparse.Namespace) -> int:
    if args.steps < 1:
        raise CommandError(f"--steps must be >= 1. Received: {args.steps}")
    if args.trials < 1:
        raise CommandError(f"--trials must be >= 1. Received: {args.trials}")
    if args.plot is not None:
        from jaxsched.tools._plot import _matplotlib

        _matplotlib()  # fail before training, not after
        _check_output(args.plot)
    from jaxsched.tools._demo import report, run

    trials = args.trials if args.search == "random" else 0
    results = run(steps=args.steps, compare=not args.no_baseline, trials=trials)
    print(report(results))
    if args.plot is not None:
        _demo_plot(results, args.plot)
        print(f"wrote {args.plot}")
    return 0


def _check_output(output: str) -> None:
    """A clear error now for an image path that cannot be written later."""
    import os

    path = Path(output)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CommandError(f"--plot {output}: is a directory, not an image file")
    if not folder.is_dir():
        raise CommandError(f"--plot {output}: the directory {folder} does not exist")
    writable = os.access(path if path.exists() else folder, os.W_OK)
    if not writable:
        raise CommandError(f"--plot {output}: not writable")
    if path.suffix.lower() not in {".png", ".svg", ".pdf", ".jpg", ".jpeg"}:
        raise CommandError(
            f"--plot {output}: expected an image file name ending in .png, .svg, "
            f".pdf or .jpg"
        )


def _demo_plot(results: dict[str, Any], output: str) -> None:
    """Each grid member's learning rate per step on a log axis, the best highlighted
    (left), and each member's held-out accuracy (right)."""
    from jaxsched.tools._plot import _matplotlib

    sweep = results["sweep"]
    labels = results["labels"]
    accuracies = np.asarray([float(row[2]) for row in sweep])
    best = int(results["best"])
    lr = np.asarray(results["lr"], dtype=np.float64)
    colors = _matplotlib().colormaps["viridis"](np.linspace(0.0, 0.85, len(sweep)))
    figure, (left, right) = _figure(1, 2, size=(13, 5.2))
    x = np.arange(lr.shape[-1])
    for index, (row, label, color) in enumerate(zip(lr, labels, colors)):
        shown = np.where(row > 0, row, np.nan)  # log axis: zero is not drawn
        if index == best:
            left.plot(
                x,
                shown,
                color="crimson",
                linewidth=3.0,
                zorder=3,
                label=f"best: {label}",
            )
        else:
            left.plot(x, shown, color=color, linewidth=1.0, alpha=0.8, label=label)
    left.set(xlabel="step", ylabel="learning rate (log)", yscale="log")
    peaks = lr.max(axis=-1)
    if np.any(peaks > 0):  # the last steps of a decay to 0 would squash the rest
        left.set_ylim(bottom=peaks[peaks > 0].min() / 100)
    left.set_title(f"{len(sweep)} schedules, trained together under jax.vmap")
    left.legend(fontsize="xx-small", ncols=1 + len(sweep) // 20, loc="lower center")
    positions = np.arange(len(sweep))
    bar_colors = ["crimson" if i == best else colors[i] for i in positions]
    right.barh(positions, accuracies, color=bar_colors)
    right.axvline(results["chance"], color="gray", linestyle="--", linewidth=1)
    right.text(
        results["chance"],
        len(sweep) - 0.5,
        " chance",
        color="gray",
        fontsize="small",
        va="bottom",
    )
    right.set_yticks(positions, labels, fontsize="x-small")
    right.invert_yaxis()
    right.set(xlabel="held-out accuracy", xlim=(0.0, 1.0))
    # Two lines: the best member's label is as wide as the axes (was cut at the edge).
    right.set_title(
        f"held-out accuracy, best {accuracies[best]:.3f}:\n{labels[best]}",
        fontsize="medium",
    )
    for ax in (left, right):
        ax.grid(True, alpha=0.3)
    left.margins(x=0)
    _save(figure, output)


# --------------------------------------------------------------------------- parser


def _command(
    commands: Any, name: str, run: Any, summary: str, description: str
) -> argparse.ArgumentParser:
    """A subcommand ``name`` that calls ``run(args)``."""
    sub = commands.add_parser(name, help=summary, description=description)
    sub.set_defaults(run=run)
    return sub


def _steps_option(sub: argparse.ArgumentParser, what: str) -> None:
    sub.add_argument(
        "--steps",
        type=int,
        metavar="N",
        help=f"{what} (default: twice the largest step count, else 1000)",
    )


def build_parser() -> argparse.ArgumentParser:
    from jaxsched import __version__

    parser = _Parser(
        prog="jaxsched",
        description="Learning-rate schedules for JAX that are pytrees.",
    )
    parser.add_argument(
        "--version", action="version", version=f"jaxsched {__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    listing = _command(
        commands,
        "list",
        _list,
        "list every registered schedule and its fields",
        "List every registered schedule class: a one-line description and its "
        "fields, marked leaf (a number: a pytree leaf) or static (an option).",
    )
    listing.add_argument(
        "filter",
        nargs="?",
        help="show only names (or first doc lines) containing this text, e.g. cosine",
    )

    config_help = (
        "a JSON file holding a schedule: jaxsched's to_dict() or Keras's "
        "keras.optimizers.schedules.serialize() output"
    )
    show = _command(
        commands,
        "show",
        _show,
        "print a schedule from a JSON config: values, range, sparkline",
        "Print the schedule in CONFIG.json, its values at key steps (0, its step "
        "counts and boundaries, the end and beyond) or at --at, its minimum and "
        "maximum over [0, N), and a text sparkline of the curve.",
    )
    recipe_help = (
        "a published recipe (see `jaxsched list`), followed by its arguments as "
        "options, e.g. --recipe llama --version 2 --size 7b"
    )
    show.add_argument("config", metavar="CONFIG.json", nargs="?", help=config_help)
    show.add_argument("--recipe", metavar="NAME", help=recipe_help)
    _steps_option(show, "the range [0, N)")
    show.add_argument(
        "--at",
        metavar="STEPS",
        help="comma-separated steps to print values at, e.g. 0,100,1000",
    )
    show.add_argument("--log", action="store_true", help="log-scale sparkline")

    drawing = _command(
        commands,
        "plot",
        _plot,
        "draw schedules from JSON configs into an image (needs matplotlib)",
        "Draw the schedules of one or more JSON configs on one figure (PNG, SVG or "
        "PDF, by the file extension). Needs matplotlib: pip install matplotlib. A "
        "stacked (batched) schedule is drawn as a family of curves.",
    )
    drawing.add_argument("configs", nargs="*", metavar="CONFIG.json", help=config_help)
    drawing.add_argument("--recipe", metavar="NAME", help=recipe_help)
    _steps_option(drawing, "draw steps [0, N)")
    drawing.add_argument(
        "-o", "--output", required=True, metavar="OUT.png", help="the image to write"
    )
    drawing.add_argument("--log", action="store_true", help="log-scale value axis")
    drawing.add_argument("--title", help="a title for the figure")

    demo = _command(
        commands,
        "demo",
        _demo,
        "train a small classifier: a schedule sweep in one compiled program",
        "Two interleaved spirals and a small MLP (optax SGD): the Keras docs' "
        "InverseTimeDecay example, then 16 warmup-cosine schedules trained together "
        "under jax.vmap (one compilation), their held-out accuracies, the best one, "
        "and the same sweep as 16 separate optax runs, timed.",
    )
    demo.add_argument(
        "--steps", type=int, default=1000, help="training steps (default 1000)"
    )
    demo.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the 16 separate optax runs (and the speedup line)",
    )
    demo.add_argument(
        "--search",
        choices=("grid", "random"),
        default="grid",
        help="random: also a random search (jaxsched.sample) beside the grid",
    )
    demo.add_argument(
        "--trials",
        type=int,
        default=64,
        help="members of the random search (default 64)",
    )
    demo.add_argument(
        "--plot",
        metavar="OUT.png",
        help="also save the learning-rate curves (log axis, best highlighted) and "
        "held-out accuracies (needs matplotlib)",
    )
    return parser


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def _join_at(argv: Sequence[str]) -> list[str]:
    """``--at -5,10`` as ``--at=-5,10`` (argparse reads ``-5,10`` as an option)."""
    joined: list[str] = []
    items = list(argv)
    while items:
        item = items.pop(0)
        if item == "--at" and items and items[0].startswith("-"):
            item = "--at=" + items.pop(0)
        joined.append(item)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    try:
        argv, recipe_arguments = _split_recipe_arguments(parser, _join_at(argv))
    except CommandError as error:
        parser.error(str(error))
    args = parser.parse_args(argv)
    args.recipe_arguments = recipe_arguments
    prefix = f"jaxsched {args.command}: error:"
    try:
        return args.run(args)
    except BrokenPipeError:  # e.g. `jaxsched list | head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (CommandError, ImportError, ValueError, TypeError, OSError) as error:
        message = _one_line(error)
    except KeyboardInterrupt:
        print(f"jaxsched {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # never a traceback; say it is unexpected
        message = f"unexpected {type(error).__name__}: {_one_line(error)}"
    print(f"{prefix} {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
