"""Draw every published recipe side by side: ``python -m jaxsched.recipes -o
recipes.png``.

One panel per recipe at its defaults, over its own run (the step axis normalized
to the run's length) with the rate on a log axis. Needs matplotlib.
"""

from __future__ import annotations

import argparse
import math

import jax
import numpy as np

from jaxsched.recipes import registry

POINTS = 400  # the docs gallery's count: op by op, one compile serves both


def draw(output: str, columns: int = 5) -> None:
    """Write the figure of every recipe to ``output`` (PNG, SVG or PDF)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    entries = list(registry().values())
    rows = math.ceil(len(entries) / columns)
    figure = Figure(figsize=(3.2 * columns, 2.3 * rows))
    # Fixed margins: a constrained layout of 25 panels took longer than drawing them.
    figure.subplots_adjust(0.07, 0.06, 0.99, 0.97, wspace=0.35, hspace=0.55)
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax, entry in zip(axes, entries):
        schedule, total = entry.build()
        # The same number of points for every recipe: one shape, so a build that
        # evaluates op by op (the docs) compiles each operation once for all of them.
        steps = np.round(np.linspace(0, total, POINTS)).astype(np.int64)
        values = np.asarray(jax.jit(schedule)(steps.astype(np.int32)), np.float64)
        shown = values > 0
        ax.plot(steps[shown] / total, values[shown], lw=1.5)
        ax.set_yscale("log")
        ax.set_xlim(0, 1)
        ax.set_title(f"{entry.name} ({total:,} steps)", fontsize=9)
        ax.tick_params(which="both", labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes[len(entries) :]:
        ax.set_visible(False)
    figure.supxlabel("step / run length")
    figure.supylabel("learning rate (log)")
    figure.savefig(output, dpi=80)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m jaxsched.recipes",
        description="Draw every published recipe side by side.",
    )
    parser.add_argument("-o", "--output", default="recipes.png")
    args = parser.parse_args()
    draw(args.output)
    print(f"wrote {args.output}: {len(registry())} recipes")


if __name__ == "__main__":
    main()
