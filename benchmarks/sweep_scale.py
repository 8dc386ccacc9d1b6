"""Sweeps at scale: K = 64, 256, 1024 members of the ``jaxsched demo`` task.

    python benchmarks/sweep_scale.py [--steps 50] [--sizes 64,256,1024] [--out PATH]

For each K: a ``jaxsched.sample`` random search of K warmup + cosine schedules trains
K models (two spirals, MLP 2-32-32-2, SGD with momentum) in one jitted ``jax.vmap``
program. Reports the compilations (1 per K), the time per member-step after
compilation against one model trained alone (the vmap efficiency: single-model time
per step / batched time per member-step), XLA's memory estimate of the program
(arguments + outputs + temporaries), and the same sweep sharded over 8 simulated CPU
devices with ``jaxsched.shard``. Standalone: imports nothing from ``run.py``.
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
from jax.sharding import Mesh

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import jaxsched
from jaxsched.tools import _demo


def _best_of(fn: Any, repeats: int = 2) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn())
        times.append(time.perf_counter() - start)
    return min(times)


def _memory(compiled: Any) -> float:
    """MiB: arguments + outputs + temporaries, from XLA's memory analysis."""
    stats = compiled.memory_analysis()
    if stats is None:
        return float("nan")
    total = (
        stats.argument_size_in_bytes
        + stats.output_size_in_bytes
        + stats.temp_size_in_bytes
    )
    return total / 2**20


def measure(sizes: list[int], steps: int) -> list[dict[str, Any]]:
    arrays = _demo.make_arrays(_demo.make_data())
    space = _demo.search_axes(steps)

    def train(schedule: Any) -> jax.Array:
        return _demo._train(schedule, arrays, steps)[0]

    single = jax.jit(train)
    one = jaxsched.unstack(
        jaxsched.sample(0, 1, jaxsched.warmup_cosine_decay_schedule, **space)
    )[0]
    one = jaxsched.as_arrays(one)
    jax.block_until_ready(single(one))
    single_step = _best_of(lambda: single(one), 3) / steps

    mesh = Mesh(np.array(jax.devices()), ("members",))
    rows = []
    for k in sizes:
        sweep = jaxsched.sample(k, k, jaxsched.warmup_cosine_decay_schedule, **space)
        traces = []

        def counted(s: Any, traces: list[int] = traces) -> jax.Array:
            traces.append(1)
            return jax.vmap(train)(s)

        program = jax.jit(counted)
        start = time.perf_counter()
        compiled = program.lower(sweep).compile()
        compile_s = time.perf_counter() - start
        jax.block_until_ready(compiled(sweep))
        run_s = _best_of(lambda c=compiled, s=sweep: c(s))
        compiles = len(traces)
        placed = jaxsched.shard(sweep, mesh)
        sharded = jax.jit(counted).lower(placed).compile()
        jax.block_until_ready(sharded(placed))
        sharded_s = _best_of(lambda c=sharded, s=placed: c(s))
        member_step = run_s / (k * steps)
        rows.append(
            {
                "K": k,
                "compiles": compiles,
                "compile_s": compile_s,
                "run_s": run_s,
                "member_step_us": member_step * 1e6,
                "single_step_us": single_step * 1e6,
                "efficiency": single_step / member_step,
                "memory_mib": _memory(compiled),
                "sharded_s": sharded_s,
                "sharded_memory_mib": _memory(sharded),
            }
        )
        print(rows[-1], flush=True)
    return rows


def table(rows: list[dict[str, Any]], steps: int) -> str:
    lines = [
        f"Sweeps of the demo task ({steps} steps per member; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores; "
        f"jax {jax.__version__}). One compilation per K. Efficiency: one model alone "
        "per step / batched per member-step (> 1: the batch is cheaper per model). "
        "Memory: XLA's estimate (arguments + outputs + temporaries). Sharded: the "
        "same program over 8 simulated CPU devices (they share the same cores).",
        "",
        "| K | compiles | compile s | run s | us per member-step | one model alone, "
        "us per step | vmap efficiency | memory MiB | 8 devices: run s | "
        "8 devices: memory MiB per device |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['K']} | {r['compiles']} | {r['compile_s']:.2f} | {r['run_s']:.2f} "
            f"| {r['member_step_us']:.1f} | {r['single_step_us']:.1f} "
            f"| {r['efficiency']:.1f}x | {r['memory_mib']:.1f} "
            f"| {r['sharded_s']:.2f} | {r['sharded_memory_mib']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--sizes", default="64,256,1024")
    parser.add_argument("--out", help="also write the table (Markdown) here")
    args = parser.parse_args()
    sizes = [int(v) for v in args.sizes.split(",")]
    if any(k % 8 for k in sizes):
        parser.error("--sizes: every K must be a multiple of 8 (the devices)")
    text = table(measure(sizes, args.steps), args.steps)
    print(text)
    if args.out:
        Path(args.out).write_text("# Sweep scale\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
