"""Helpers shared by the recipe modules."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any, TypeVar

from jaxsched.core._schedule import Schedule
from jaxsched.recipes._tokens import constant_tokens, steps_to_reach

T = TypeVar("T")


def pick(recipe: str, what: str, table: Mapping[str, T], key: Any) -> T:
    """``table[key]`` with ``key`` read case-insensitively (``"7B"``, ``"7b"``);
    a ValueError naming the recipe and the known keys otherwise."""
    text = str(key).strip().lower()
    if text not in table:
        known = ", ".join(repr(k) for k in table)
        raise ValueError(f"{recipe}: unknown {what} {key!r}; the paper gives {known}")
    return table[text]


def pick_row(
    recipe: str, what: str, table: Mapping[str, tuple], key: Any, *given: Any
) -> tuple:
    """:func:`pick`'s row (a tuple) with each of ``given`` that is not None in place
    of the row's entry at its position: the user's keyword over the paper's
    number."""
    row = pick(recipe, what, table, key)
    return tuple(
        mine if mine is not None else paper
        for paper, mine in itertools.zip_longest(row, given[: len(row)])
    )


def clock_for(
    recipe: str,
    tokens_per_step: float | None,
    batch_ramp: Schedule | None,
    default: Schedule | float,
) -> Schedule:
    """The token clock of a token-defined recipe: the user's ``batch_ramp`` (a
    schedule of cumulative tokens), or a constant ``tokens_per_step``, or the
    recipe's default (a clock, or a constant number of tokens per step)."""
    if tokens_per_step is not None and batch_ramp is not None:
        raise ValueError(
            f"{recipe}: give `tokens_per_step` or `batch_ramp`, not both. Received: "
            f"tokens_per_step={tokens_per_step!r} and a batch_ramp"
        )
    if batch_ramp is not None:
        if not isinstance(batch_ramp, Schedule):
            raise TypeError(
                f"{recipe}: `batch_ramp` must be a jaxsched schedule giving the "
                f"cumulative tokens at a step. Received: {batch_ramp!r}"
            )
        return batch_ramp
    if tokens_per_step is not None:
        return constant_tokens(tokens_per_step)
    return default if isinstance(default, Schedule) else constant_tokens(default)


def run_steps(clock: Schedule, total_tokens: float) -> int:
    """The steps of a run of ``total_tokens`` tokens on ``clock``."""
    return steps_to_reach(clock, total_tokens)


def check_positive(recipe: str, **values: Any) -> None:
    for name, value in values.items():
        if value is None:
            continue
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise ValueError(
                f"{recipe}: `{name}` must be a number > 0. Received: {name}={value!r}"
            )
