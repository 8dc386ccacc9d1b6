"""One run on an accelerator: values against the float64 truth, sweeps three ways.

    python benchmarks/gpu.py            # full run (under 8 minutes on one GPU),
                                        # writes benchmarks/results/gpu.md
    python benchmarks/gpu.py --smoke    # tiny sizes, any device (the test suite)
    python benchmarks/gpu.py --out DIR  # write gpu.md (and gpu.json) to DIR

Three sections, on JAX's default device:

1. **Values**: every example instance of every registered class
   (``tests/examples``) evaluated in float32 on the device (jitted, the schedule an
   argument, int32 steps: its key steps +- 1, 0, -1, 2**24 +- 1, 2**31 - 1 and 32
   seeded random steps) against the NumPy float64 truth (``tests/truth.py``), with
   the tolerance of ``tests/core/test_key_steps.py``: max(1e-5 * |truth|, 1e-6 *
   peak). The library's known float32 misses (``truth.KNOWN``) are listed as known.
2. **The demo sweep**: the ``jaxsched demo`` grid (16 members, 1000 steps) three ways
   (``baselines.py``): one optax closure per member (16 compiles), one compiled
   program called once per member, and the vmapped program.
3. **A ~1M-parameter model**: an MLP 784-1024-256-10 (1,068,810 parameters, SGD on a
   fixed batch of 128 random images) swept over K = 16 ... 4096 warmup + cosine
   schedules the same three ways plus chunks of 256 members (``jax.lax.map``), with
   compile and run times apart and memory (XLA's estimate of the program, and the
   device's peak where it reports one). A K that would not finish within the time
   budget is skipped and says so; one that runs out of memory says so.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(
    0, str(Path(__file__).resolve().parents[1] / "tests")
)  # truth, examples
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import baselines
import jax
import jax.numpy as jnp
import numpy as np
import optax

import jaxsched
from jaxsched.tools import _demo

HERE = Path(__file__).resolve().parent

#: Seconds the full run may spend: a model size that would end past it is skipped.
BUDGET_S = 450


def _key_steps(schedule: Any, rng: np.random.Generator, randoms: int) -> np.ndarray:
    """int32 steps: each key step -1/0/+1, the fixed edges, seeded random steps."""
    try:
        keys = [int(k) for k in schedule.key_steps() if abs(int(k)) < 2**31 - 2]
    except Exception:  # a class without key steps (Lambda, say)
        keys = []
    last = max([abs(k) for k in keys] + [100])
    edges = [-1, 0, 1, 2**24 - 1, 2**24, 2**24 + 1, 2**31 - 1]
    steps = [k + d for k in keys for d in (-1, 0, 1)] + edges
    steps += rng.integers(0, 2 * last + 1, randoms).tolist()
    return np.unique(np.clip(np.asarray(steps, np.int64), -(2**31), 2**31 - 1))


def check_values(limit: int | None, randoms: int) -> dict[str, Any]:
    """Every example (``limit`` of them, spread over the classes, with --smoke) on
    the device against the float64 truth."""
    import truth as truth_module
    from examples import ALL

    evaluate = jax.jit(lambda s, t: s(t))
    rows, failures = [], []
    rng = np.random.default_rng(0)
    chosen = ALL if limit is None else ALL[:: max(1, len(ALL) // limit)][:limit]
    for name, schedule in chosen:
        cls = name.rsplit("-", 1)[0]
        known = truth_module.KNOWN.get(f"{name} float32")
        steps = _key_steps(schedule, rng, randoms)
        try:
            got = np.asarray(evaluate(schedule, jnp.asarray(steps, jnp.int32)))
        except Exception as error:  # e.g. a Lambda that cannot be an argument
            rows.append({"example": name, "class": cls, "error": str(error)[:120]})
            continue
        ref = truth_module.truth(schedule, steps)
        finite = np.isfinite(ref)
        peak = float(np.max(np.abs(ref[finite]))) if finite.any() else 0.0
        got = got.astype(np.float64)
        same = (got == ref) | (np.isnan(got) & np.isnan(ref))
        with np.errstate(invalid="ignore", over="ignore"):
            err = np.where(finite, np.abs(got - ref), np.inf)
        tol = np.maximum(1e-5 * np.abs(np.where(finite, ref, 0)), 1e-6 * peak)
        bad = ~(same | (err <= tol))
        worst = float(np.max(np.where(same, 0, err))) / peak if peak else 0.0
        row = {
            "example": name,
            "class": cls,
            "steps": int(steps.size),
            "worst_of_peak": worst,
            "misses": int(bad.sum()),
            "known": known.kind if known else None,
        }
        rows.append(row)
        if bad.any() and known is None:
            failures.append(name)
    classes: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = classes.setdefault(
            row["class"], {"examples": 0, "worst_of_peak": 0.0, "misses": 0}
        )
        entry["examples"] += 1
        entry["misses"] += row.get("misses", 0)
        entry["worst_of_peak"] = max(
            entry["worst_of_peak"], row.get("worst_of_peak", 0)
        )
        if row.get("known"):
            entry["known"] = row["known"]
        if row.get("error"):
            entry["error"] = row["error"]
    return {"rows": rows, "classes": classes, "failures": failures}


def _strip(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        name: {k: v for k, v in row.items() if k != "output"}
        for name, row in results.items()
    }


def demo_sweep(steps: int, peaks: int, closures: int) -> dict[str, Any]:
    """The demo's grid three ways."""
    axes = _demo.sweep_axes(steps)
    axes["peak_value"] = axes["peak_value"][:peaks]
    sweep = jaxsched.grid(jaxsched.warmup_cosine_decay_schedule, **axes)
    held = {k: v for k, v in axes.items() if not isinstance(v, list)}
    points = [
        {**held, **p}
        for p in jaxsched.grid_points(
            peak_value=axes["peak_value"], warmup_steps=axes["warmup_steps"]
        )
    ]
    arrays = _demo.make_arrays(_demo.make_data())

    def train(schedule: Any, arrays: Any) -> jax.Array:
        return _demo._train(schedule, arrays, steps)[0]

    def closure(i: int) -> Any:
        schedule = optax.warmup_cosine_decay_schedule(**points[i])
        return lambda arrays: _demo._train(schedule, arrays, steps)[0]

    results = baselines.measure(
        train, sweep, arrays, closure=closure, closures=closures
    )
    return {
        "K": jaxsched.batch_size(sweep),
        "steps": steps,
        "methods": _strip(results),
        "agreement": baselines.agreement(results),
    }


def _mlp_init(sizes: tuple[int, ...]) -> list[dict[str, np.ndarray]]:
    rng = np.random.default_rng(0)
    return [
        {
            "w": (rng.normal(size=(a, b)) / np.sqrt(a)).astype(np.float32),
            "b": np.zeros(b, np.float32),
        }
        for a, b in itertools.pairwise(sizes)
    ]


def _mlp_loss(params: Any, x: jax.Array, y: jax.Array) -> jax.Array:
    for layer in params[:-1]:
        x = jax.nn.relu(x @ layer["w"] + layer["b"])
    logits = x @ params[-1]["w"] + params[-1]["b"]
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


def model_sweep(
    sizes: tuple[int, ...],
    ks: list[int],
    steps: int,
    batch: int,
    chunk: int,
    closures: int,
    started: float,
    budget: float,
) -> dict[str, Any]:
    """An MLP of ``sizes`` swept over K warmup + cosine schedules, three ways."""
    rng = np.random.default_rng(1)
    data = {
        "params": _mlp_init(sizes),
        "x": rng.normal(size=(batch, sizes[0])).astype(np.float32),
        "y": rng.integers(0, sizes[-1], batch).astype(np.int32),
    }
    params_count = sum(p["w"].size + p["b"].size for p in data["params"])

    def train_with(learning_rate: Any, data: Any) -> jax.Array:
        tx = optax.sgd(learning_rate)
        params = data["params"]
        state = tx.init(params)

        def step(carry: Any, _: Any) -> tuple[Any, None]:
            params, state = carry
            grads = jax.grad(_mlp_loss)(params, data["x"], data["y"])
            updates, state = tx.update(grads, state, params)
            return (optax.apply_updates(params, updates), state), None

        (params, _), _ = jax.lax.scan(step, (params, state), None, length=steps)
        return _mlp_loss(params, data["x"], data["y"])

    space = {
        "init_value": 0.0,
        "peak_value": jaxsched.log_uniform(1e-3, 0.3),
        "warmup_steps": jaxsched.int_uniform(0, max(steps // 2, 1)),
        "decay_steps": steps,
    }
    rows: list[dict[str, Any]] = []
    last = 0.0  # seconds the previous K took; the next one takes about 4x (4x K)
    for k in ks:
        elapsed = time.perf_counter() - started
        if rows and elapsed + 4 * last > budget:
            rows.append(
                {
                    "K": k,
                    "skipped": f"time budget ({elapsed:.0f} s spent, the previous K "
                    f"took {last:.0f} s)",
                }
            )
            continue
        begun = time.perf_counter()
        sweep = jaxsched.sample(k, k, jaxsched.warmup_cosine_decay_schedule, **space)
        points = jaxsched.sample_points(k, k, **space)

        def closure(i: int, points: list[dict[str, Any]] = points) -> Any:
            schedule = optax.warmup_cosine_decay_schedule(**{**space, **points[i]})
            return lambda data: train_with(schedule, data)

        results = baselines.measure(
            train_with,
            sweep,
            data,
            closure=closure,
            closures=closures,
            chunks=(chunk,),
            repeats=2 if k <= 256 else 1,  # a loop of 4096 calls takes a while
        )
        stats = jax.devices()[0].memory_stats() or {}
        rows.append(
            {
                "K": k,
                "methods": _strip(results),
                "agreement": baselines.agreement(results, rtol=1e-3),
                "device_peak_mib": (
                    round(stats["peak_bytes_in_use"] / 2**20, 1)
                    if "peak_bytes_in_use" in stats
                    else None
                ),
            }
        )
        last = time.perf_counter() - begun
        print(f"model sweep K={k}: {time.perf_counter() - started:.0f} s", flush=True)
    return {
        "sizes": sizes,
        "params": int(params_count),
        "steps": steps,
        "batch": batch,
        "chunk": chunk,
        "rows": rows,
    }


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _method_cells(row: dict[str, Any], names: list[str], steps: int) -> list[str]:
    cells = []
    for name in names:
        m = row["methods"].get(name)
        if m is None:
            cells += ["—", "—", "—"]
        elif m.get("error"):
            cells += ["error", "error", "—"]
        else:
            star = "*" if m.get("estimated") else ""
            per = m["run_s"] / (row["K"] * steps) * 1e6
            cells += [_s(m["compile_s"]) + star, _s(m["run_s"]) + star, f"{per:.2f}"]
    return cells


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# jaxsched on an accelerator (`benchmarks/gpu.py`)",
        "",
        f"Run {m['date']} on {m['device']} ({m['backend']}), jax {m['jax']}, "
        f"optax {m['optax']}, {m['platform']}; {results['seconds']:.0f} s in all."
        + (
            " **Smoke run (tiny sizes): not a measurement.**"
            if results["smoke"]
            else ""
        ),
        "",
    ]
    values = results["values"]
    total = sum(c["examples"] for c in values["classes"].values())
    lines += [
        f"## Values against the float64 truth ({len(values['classes'])} classes, "
        f"{total} examples, float32 on the device)",
        "",
        "Tolerance max(1e-5 * |truth|, 1e-6 * peak). Failures (misses not listed "
        f"in `truth.KNOWN`): {', '.join(values['failures']) or 'none'}.",
        "",
        "| class | examples | worst error / peak | misses | known |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for cls, c in sorted(values["classes"].items()):
        lines.append(
            f"| {cls} | {c['examples']} | {c['worst_of_peak']:.2g} | {c['misses']} | "
            f"{c.get('known') or c.get('error') or ''} |"
        )
    names = ["optax", "loop", "vmap"]
    head = " | ".join(
        f"{n}: compile s | {n}: run s | {n}: µs/member-step" for n in names
    )
    rule = " | ".join("---: | ---: | ---:" for _ in names)
    d = results["demo"]
    lines += [
        "",
        f"## The demo sweep ({d['K']} members, {d['steps']} steps)",
        "",
        "`optax`: one optax closure per member, each jitted (* = timed on the first "
        "members, scaled to K); `loop`: one compiled program called once per member; "
        "`vmap`: one vmapped program. Run: best of 2 after the first call.",
        "",
        f"| K | {head} |",
        f"| ---: | {rule} |",
        f"| {d['K']} | " + " | ".join(_method_cells(d, names, d["steps"])) + " |",
        "",
        f"Final losses equal to the loop's (rtol 1e-4): {d['agreement']}.",
    ]
    s = results["model"]
    chunk = f"map {s['chunk']}"
    names_m = [*names, chunk]
    head_m = " | ".join(
        f"{n}: compile s | {n}: run s | {n}: µs/member-step" for n in names_m
    )
    rule_m = " | ".join("---: | ---: | ---:" for _ in names_m)
    lines += [
        "",
        f"## A {s['params']:,}-parameter MLP ({'-'.join(map(str, s['sizes']))}), "
        f"SGD, batch {s['batch']}, {s['steps']} steps per member",
        "",
        f"`{chunk}`: `jax.lax.map(..., batch_size={s['chunk']})`. Memory: XLA's "
        "estimate for the vmapped program (arguments + outputs + temporaries) and "
        "the device's peak so far. Run: best of 2 after the first call up to K = "
        "256, one call after the first above.",
        "",
        f"| K | {head_m} | vmap MiB | {chunk} MiB | device peak MiB |",
        f"| ---: | {rule_m} | ---: | ---: | ---: |",
    ]
    for row in s["rows"]:
        if "skipped" in row:
            lines.append(f"| {row['K']} | skipped: {row['skipped']} |")
            continue
        mem = [row["methods"].get(n, {}).get("memory_mib") for n in ("vmap", chunk)]
        lines.append(
            f"| {row['K']} | "
            + " | ".join(_method_cells(row, names_m, s["steps"]))
            + " | "
            + " | ".join("—" if v is None else f"{v:.0f}" for v in mem)
            + f" | {row['device_peak_mib'] or '—'} |"
        )
    errors = [
        f"- K={row['K']} {n}: {m['error']}"
        for row in [d, *s["rows"]]
        for n, m in row.get("methods", {}).items()
        if m.get("error")
    ]
    agree = [f"- K={r['K']}: {r['agreement']}" for r in s["rows"] if "agreement" in r]
    lines += ["", "Final losses equal to the loop's (rtol 1e-3):", *agree]
    if errors:
        lines += ["", "Errors:", *errors]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, any device")
    parser.add_argument(
        "--out", help="folder for gpu.md and gpu.json (default: benchmarks/results)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    device = jax.devices()[0]
    results: dict[str, Any] = {
        "smoke": args.smoke,
        "machine": {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "device": getattr(device, "device_kind", str(device)),
            "backend": jax.default_backend(),
            "jax": jax.__version__,
            "optax": optax.__version__,
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
        },
    }
    if args.smoke:
        results["values"] = check_values(limit=6, randoms=4)
        results["demo"] = demo_sweep(steps=5, peaks=1, closures=1)
        results["model"] = model_sweep(
            (8, 16, 4), [4], 3, 8, 2, 1, started, budget=BUDGET_S
        )
    else:
        results["values"] = check_values(limit=None, randoms=32)
        print(f"values: {time.perf_counter() - started:.0f} s", flush=True)
        results["demo"] = demo_sweep(steps=_demo.STEPS, peaks=4, closures=16)
        print(f"demo sweep: {time.perf_counter() - started:.0f} s", flush=True)
        results["model"] = model_sweep(
            (784, 1024, 256, 10),
            [16, 64, 256, 1024, 4096],
            20,
            128,
            256,
            4,
            started,
            budget=BUDGET_S,
        )
    results["seconds"] = time.perf_counter() - started
    text = markdown(results)
    print(text)
    out = (
        args.out if args.out is not None else (None if args.smoke else HERE / "results")
    )
    if out is not None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "gpu.md").write_text(text, encoding="utf-8")
        (folder / "gpu.json").write_text(
            json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8"
        )
    return results


if __name__ == "__main__":
    main()
