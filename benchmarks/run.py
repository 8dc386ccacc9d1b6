"""jaxsched against optax and Keras (JAX backend), measured in one process.

Run from the repository root::

    python benchmarks/run.py            # full run, writes benchmarks/results/latest.*
    python benchmarks/run.py --quick    # smoke run (small sizes, few repeats)
    python benchmarks/run.py --only throughput,compile

Every number is the median of repeated runs; peers and jaxsched run interleaved in the
same process, and every ratio is ``peer time / jaxsched time`` (> 1: jaxsched is
faster). Sections:

- ``throughput``: one jitted evaluation of N int32 steps (10 million; compile
  excluded, result blocked on), per schedule with an optax or Keras twin, against
  the memory floor (a jitted int-to-float conversion of the same steps).
- ``compile``: trace + lower + compile of a fresh function for piecewise constant,
  piecewise interpolate and join schedules with 10 ... 3000 pieces.
- ``sweep``: K configurations over 10,000 steps, compile included: jaxsched's one
  vmapped program against one jitted optax closure per configuration.
- ``train``: a jitted optax SGD step on a ~1M-parameter MLP with a jaxsched schedule,
  its optax twin and a constant learning rate.
- ``import``: ``import jaxsched`` on top of ``import jax`` (fresh interpreters).

Keras is optional (a test extra): without it the Keras columns are empty.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")


sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules

from cases import (
    bench_compile,
    bench_import,
    bench_sweep,
    bench_throughput,
    bench_train,
)
from report import machine, markdown, missed_targets

SECTIONS = ("throughput", "compile", "sweep", "train", "import")
RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    parser.add_argument(
        "--only", default="", help=f"comma-separated sections of {', '.join(SECTIONS)}"
    )
    parser.add_argument(
        "--schedules", default="", help="comma-separated throughput rows (default all)"
    )
    parser.add_argument(
        "--out",
        default=None,
        help="folder for latest.json / latest.md (default: benchmarks/results for a "
        "full run, nothing for --quick or --only)",
    )
    args = parser.parse_args(argv)
    only = [s for s in args.only.split(",") if s]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}")
    sections = only or list(SECTIONS)
    names = [s for s in args.schedules.split(",") if s] or None
    q = args.quick
    results: dict[str, Any] = {
        "machine": machine(),
        "options": " ".join(argv if argv is not None else sys.argv[1:]) or "full",
    }
    started = time.perf_counter()
    for section in sections:
        t0 = time.perf_counter()
        if section == "throughput":
            results[section] = bench_throughput(
                100_000 if q else 10_000_000, 3 if q else 9, names
            )
        elif section == "compile":
            results[section] = bench_compile(
                (10, 100) if q else (10, 100, 1000, 3000), 1 if q else 3
            )
        elif section == "sweep":
            results[section] = bench_sweep(
                (4,) if q else (16, 64, 256), 10_000, 1 if q else 3
            )
        elif section == "train":
            results[section] = bench_train(2 if q else 20, 3 if q else 21)
        elif section == "import":
            results[section] = bench_import(1 if q else 5)
        print(
            f"[{section}: {time.perf_counter() - t0:.1f} s]",
            file=sys.stderr,
            flush=True,
        )
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["missed"] = missed_targets(results)
    text = markdown(results)
    print(text)
    out = args.out if args.out is not None else (None if q or only else str(RESULTS))
    if out:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "latest.json").write_text(json.dumps(results, indent=1) + "\n")
        (folder / "latest.md").write_text(text)
    return results


if __name__ == "__main__":
    main()
