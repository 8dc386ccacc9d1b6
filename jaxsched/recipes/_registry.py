"""The recipe registry: every published schedule by name, for discovery.

Each recipe is a plain function returning an ordinary jaxsched schedule.
:func:`recipe` records it with a one-line summary, its shape in building blocks, its
source and the units its phases are counted in. A recipe ends with
:func:`finish`, which also hands its run length in steps to :func:`build` (the
command line and the figure draw a recipe over its own run).
"""

from __future__ import annotations

import contextvars
import dataclasses
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from jaxsched.core._schedule import Schedule

__all__ = ["Recipe", "build", "finish", "recipe", "registry"]

F = TypeVar("F", bound=Callable[..., Schedule])


@dataclasses.dataclass(frozen=True)
class Recipe:
    """A published schedule: its function and what it is.

    Attributes:
      name: the function's name, ``jaxsched.recipes.<name>``.
      function: the recipe; ``function(**kwargs)`` returns a schedule.
      summary: one line: the run and its schedule.
      shape: the shape in building blocks (``linear warmup -> cosine to 0.1``).
      source: the paper or code it follows (authors, year, arXiv id).
      units: what its phases are counted in: ``"steps"``, ``"tokens"`` or
        ``"epochs"``.
    """

    name: str
    function: Callable[..., Schedule]
    summary: str
    shape: str
    source: str
    units: str

    def build(self, **kwargs: Any) -> tuple[Schedule, int]:
        """``(schedule, total_steps)``: the recipe and its run length in steps."""
        lengths: list[int] = []
        token = _LENGTHS.set(lengths)
        try:
            schedule = self.function(**kwargs)
        finally:
            _LENGTHS.reset(token)
        return schedule, lengths[-1]

    def parameters(self) -> dict[str, inspect.Parameter]:
        """The recipe's arguments and their defaults."""
        return dict(inspect.signature(self.function).parameters)


_RECIPES: dict[str, Recipe] = {}
_LENGTHS: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "jaxsched_recipe_lengths", default=None
)


def recipe(
    *, summary: str, shape: str, source: str, units: str = "steps"
) -> Callable[[F], F]:
    """Register a recipe function under its name (the function is unchanged)."""

    def register(function: F) -> F:
        name = function.__name__
        _RECIPES[name] = Recipe(name, function, summary, shape, source, units)
        return function

    return register


def finish(schedule: Schedule, total_steps: int) -> Schedule:
    """A recipe's return: the schedule; its run length goes to :func:`build`."""
    lengths = _LENGTHS.get()
    if lengths is not None:
        lengths.append(int(total_steps))
    return schedule


def registry() -> dict[str, Recipe]:
    """Every recipe by name (a copy), in the order they are listed."""
    return dict(_RECIPES)


def build(name: str, **kwargs: Any) -> tuple[Schedule, int]:
    """``(schedule, total_steps)`` of the recipe ``name`` with ``kwargs``: the
    schedule and the run's length in steps.

    Raises:
      ValueError: an unknown name (the message lists the known ones).
    """
    if name not in _RECIPES:
        known = ", ".join(_RECIPES)
        raise ValueError(f"unknown recipe {name!r}; the recipes are: {known}")
    return _RECIPES[name].build(**kwargs)
