"""Sweeps at scale: K members of the ``jaxsched demo`` task, timed three ways.

    python benchmarks/sweep_scale.py [--steps 200] [--sizes 16,64,256,1024]
                                     [--chunks 8,64] [--closures 8] [--out PATH]

For each K, a ``jaxsched.sample`` random search of K warmup + cosine schedules trains
K models (two spirals, MLP 2-32-32-2, SGD with momentum, ``--steps`` steps), timed as
(``baselines.py``): ``optax``, one ``optax.warmup_cosine_decay_schedule`` closure per
member, each jitted (K compiles; timed on ``--closures`` members and scaled to K);
``loop``, one compiled program with the schedule as an argument, called once per
member (1 compile); ``vmap``, one ``jax.vmap`` program (1 compile); and ``map B``,
``jax.lax.map(..., batch_size=B)`` chunks. Compile and run times apart, the run time
per member-step, XLA's memory estimate of the vmapped program, and the vmapped sweep
sharded over 8 simulated CPU devices with ``jaxsched.shard``. Standalone: imports
nothing from ``run.py``.
"""

from __future__ import annotations

import os

os.environ["XLA_FLAGS"] = (
    os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=8"
).strip()
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import argparse
import platform
import sys
import time
from pathlib import Path
from typing import Any

import jax
import numpy as np
import optax
from jax.sharding import Mesh

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import baselines

import jaxsched
from jaxsched.tools import _demo

METHODS = ("optax", "loop", "vmap")


def demo_sweep(k: int, steps: int) -> tuple[Any, list[dict[str, Any]]]:
    """K drawn warmup + cosine members of the demo's random search, and their
    values (the optax factory's keyword arguments)."""
    space = _demo.search_axes(steps)
    sweep = jaxsched.sample(k, k, jaxsched.warmup_cosine_decay_schedule, **space)
    fixed = {n: v for n, v in space.items() if not hasattr(v, "draw")}
    drawn = jaxsched.sample_points(k, k, **space)
    return sweep, [{**fixed, **point} for point in drawn]


def measure(
    sizes: list[int], steps: int, chunks: list[int], closures: int
) -> list[dict[str, Any]]:
    arrays = _demo.make_arrays(_demo.make_data())

    def train(schedule: Any, arrays: Any) -> jax.Array:
        return _demo._train(schedule, arrays, steps)[0]

    mesh = Mesh(np.array(jax.devices()), ("members",))
    rows = []
    for k in sizes:
        sweep, points = demo_sweep(k, steps)

        def closure(i: int, points: list[dict[str, Any]] = points) -> Any:
            schedule = optax.warmup_cosine_decay_schedule(**points[i])
            return lambda arrays: _demo._train(schedule, arrays, steps)[0]

        results = baselines.measure(
            train, sweep, arrays, closure=closure, closures=closures, chunks=chunks
        )
        placed = jaxsched.shard(jaxsched.as_arrays(sweep), mesh)
        sharded = jax.jit(jax.vmap(train, in_axes=(0, None)))
        sharded = sharded.lower(placed, arrays).compile()
        jax.block_until_ready(sharded(placed, arrays))
        start = time.perf_counter()
        jax.block_until_ready(sharded(placed, arrays))
        rows.append(
            {
                "K": k,
                "steps": steps,
                "methods": {
                    name: {key: v for key, v in row.items() if key != "output"}
                    for name, row in results.items()
                },
                "agreement": baselines.agreement(results),
                "sharded_s": time.perf_counter() - start,
            }
        )
        print(rows[-1], flush=True)
    return rows


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def table(rows: list[dict[str, Any]], steps: int) -> str:
    names = list(rows[0]["methods"]) if rows else []
    chunk_names = sorted(
        {n for r in rows for n in r["methods"] if n.startswith("map ")},
        key=lambda n: int(n.split()[1]),
    )
    shown = [n for n in ("optax", "loop", "vmap") if n in names] + chunk_names
    lines = [
        f"Sweeps of the demo task ({steps} steps per member; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores; "
        f"jax {jax.__version__}, {jax.devices()[0].platform}). `optax`: one "
        "optax closure per member, each jitted (K compiles; * = timed on the first "
        "members and scaled to K). `loop`: one compiled program, the schedule an "
        "argument, called once per member. `vmap`: one vmapped program. `map B`: "
        "`jax.lax.map(..., batch_size=B)`. Compile = trace + lower + compile; run = "
        "best of 2 calls after the first. Memory: XLA's estimate for the vmapped "
        "program. Sharded: the vmapped program over 8 simulated CPU devices (the "
        "same cores).",
        "",
        "| K | "
        + " | ".join(f"{n}: compile s | {n}: run s" for n in shown)
        + " | µs per member-step: "
        + " / ".join(shown)
        + " | vmap memory MiB | 8 devices: run s |",
        "| ---: | "
        + " | ".join("---: | ---:" for _ in shown)
        + " | ---: | ---: | ---: |",
    ]
    for r in rows:
        cells, per_step = [], []
        for n in shown:
            m = r["methods"].get(n, {})
            star = "*" if m.get("estimated") else ""
            if m.get("error"):
                cells += ["error", "error"]
                per_step.append("—")
                continue
            cells += [_fmt(m.get("compile_s")) + star, _fmt(m.get("run_s")) + star]
            run = m.get("run_s")
            per_step.append(
                "—" if run is None else f"{run / (r['K'] * r['steps']) * 1e6:.1f}"
            )
        memory = r["methods"].get("vmap", {}).get("memory_mib")
        lines.append(
            f"| {r['K']} | "
            + " | ".join(cells)
            + f" | {' / '.join(per_step)} | {_fmt(memory, 1)} | {r['sharded_s']:.2f} |"
        )
    errors = [
        f"- K={r['K']} {n}: {m['error']}"
        for r in rows
        for n, m in r["methods"].items()
        if m.get("error")
    ]
    agree = [f"- K={r['K']}: {r['agreement']}" for r in rows]
    lines += ["", "Members whose final loss matches the loop's (rtol 1e-4):", *agree]
    if errors:
        lines += ["", "Errors:", *errors]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--sizes", default="16,64,256,1024")
    parser.add_argument("--chunks", default="8,64", help="lax.map batch sizes")
    parser.add_argument(
        "--closures", type=int, default=8, help="optax closures timed per K"
    )
    parser.add_argument("--out", help="also write the table (Markdown) here")
    args = parser.parse_args(argv)
    sizes = [int(v) for v in args.sizes.split(",")]
    chunks = [int(v) for v in args.chunks.split(",") if v]
    if any(k % 8 for k in sizes):
        parser.error("--sizes: every K must be a multiple of 8 (the devices)")
    rows = measure(sizes, args.steps, chunks, args.closures)
    text = table(rows, args.steps)
    print(text)
    if args.out:
        Path(args.out).write_text("# Sweep scale\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
