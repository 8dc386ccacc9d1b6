"""Timing primitives: interleaved medians, kernel counts, unit helpers."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax


def block(x: Any) -> Any:
    return jax.block_until_ready(x)


def interleaved(
    fns: dict[str, Callable[[], Any]], repeats: int, once_over: float = 3.0
) -> dict[str, float]:
    """Median seconds per call of each thunk, interleaved so load hits all alike.

    The order rotates every round (no thunk always runs first); a thunk whose first
    call takes more than ``once_over`` seconds runs only once.
    """
    names = list(fns)
    times: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(repeats):
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            if rep and times[name][0] > once_over:
                continue
            start = time.perf_counter()
            block(fns[name]())
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(builder: Callable[[Any], Any] | None, module: Any) -> tuple[Any, str]:
    """The schedule, or None with the reason it is missing."""
    if builder is None or module is None:
        return None, "no twin" if builder is None else "library not installed"
    try:
        return builder(module), ""
    except AttributeError as error:  # a name that has not landed
        return None, f"missing: {error}"
    except TypeError as error:  # a signature that differs
        return None, f"signature: {error}"


def kernels(fn: Any, *args: Any) -> int:
    """How many kernels (fusions and unfused ops) the compiled program launches.

    More than one on an elementwise schedule means an intermediate array of the
    steps' size is written to memory and read back.
    """
    text = fn.lower(*args).compile().as_text()
    entry = text[text.rindex("ENTRY") :]
    skip = ("parameter(", "constant(", "tuple(", "get-tuple-element(", "bitcast(")
    return sum(
        1
        for line in entry.splitlines()[1:]
        if " = " in line and not any(op in line for op in skip)
    )


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1e3, 3)


def ratio(peer: float | None, ours: float | None) -> float | None:
    if peer is None or ours is None or ours <= 0:
        return None
    return round(peer / ours, 2)
