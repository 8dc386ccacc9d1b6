"""The benchmark sections: throughput, compile, sweep, train and import."""

from __future__ import annotations

import itertools
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import numpy as np
import optax
from harness import block, build, interleaved, kernels, ms, progress, ratio
from peers import LR, PAIRS, keras, keras_schedules

import jaxsched

# ------------------------------------------------------------------------ throughput


def bench_throughput(
    n_steps: int, repeats: int, names: Sequence[str] | None
) -> dict[str, Any]:
    steps = block(jnp.arange(n_steps, dtype=jnp.int32))
    floor_fn = jax.jit(lambda t: t.astype(jnp.float32))
    block(floor_fn(steps))
    rows, skipped = [], {}
    for pair in PAIRS:
        if names and pair.name not in names:
            continue
        ours, why = build(pair.jaxsched, jaxsched)
        if ours is None:
            skipped[pair.name] = why
            continue
        fns: dict[str, Callable[[], Any]] = {}
        closure = jax.jit(lambda t, s=ours: s(t))  # hyperparameters are constants
        as_arg = jax.jit(lambda s, t: s(t))  # hyperparameters are runtime values
        reference, _ = block((closure(steps), as_arg(ours, steps)))
        reference = np.asarray(reference, np.float64)
        fns["jaxsched"] = lambda f=closure: f(steps)
        fns["jaxsched_arg"] = lambda f=as_arg, s=ours: f(s, steps)
        notes, diffs = [], {}
        counts = {"jaxsched": kernels(closure, steps)}
        for peer, module in (("optax", optax), ("keras", keras)):
            twin, _ = build(getattr(pair, peer), module)
            if twin is None:
                continue
            try:
                f = jax.jit(lambda t, s=twin: s(t))
                values = block(f(steps))
            except Exception:  # e.g. Keras's ops.cond wants a scalar step
                f = jax.jit(jax.vmap(lambda t, s=twin: s(t)))
                values = block(f(steps))
                notes.append(f"{peer} vmapped over steps")
            fns[peer] = lambda f=f: f(steps)
            counts[peer] = kernels(f, steps)
            # Same numbers? (relative to the schedule's largest value)
            gap = np.abs(np.asarray(values, np.float64) - reference).max()
            diffs[peer] = float(gap / max(np.abs(reference).max(), 1e-30))
        fns["floor"] = lambda: floor_fn(steps)
        med = interleaved(fns, repeats)
        js = med["jaxsched"]
        rows.append(
            {
                "schedule": pair.name,
                "family": pair.family,
                "jaxsched_ms": ms(js),
                "jaxsched_arg_ms": ms(med["jaxsched_arg"]),
                "optax_ms": ms(med.get("optax")),
                "keras_ms": ms(med.get("keras")),
                "floor_ms": ms(med["floor"]),
                "optax_ratio": ratio(med.get("optax"), js),
                "keras_ratio": ratio(med.get("keras"), js),
                "over_floor": round(js / med["floor"], 2),
                "arg_over_floor": round(med["jaxsched_arg"] / med["floor"], 2),
                "max_diff": {k: float(f"{v:.2g}") for k, v in diffs.items()},
                "notes": notes,
                "kernels": counts,
            }
        )
    return {"n_steps": n_steps, "repeats": repeats, "rows": rows, "skipped": skipped}


# --------------------------------------------------------------------------- compile


def _first(module: Any, *builders: Callable[[Any], Any]) -> Any:
    """The first builder whose names the module has (an AttributeError skips one)."""
    for builder in builders[:-1]:
        try:
            return builder(module)
        except AttributeError:
            continue
    return builders[-1](module)


def _compile_builders(n: int) -> dict[str, dict[str, Callable[[], Any]]]:
    """kind -> library -> thunk that builds a schedule of ``n`` pieces.

    jaxsched uses its optax-named factory, or the class behind it while the factory
    has not landed.
    """
    bounds = [100 * (i + 1) for i in range(n)]
    scales = {b: 0.999 for b in bounds}
    values = [LR * 0.999**i for i in range(n + 1)]

    def parts(m, linear):
        return [
            linear(m)(LR * 0.999**i, LR * 0.999 ** (i + 1), 100) for i in range(n + 1)
        ]

    def lib(builder, module):
        return None if module is None else (lambda: builder(module))

    def js_pc(m):
        return _first(
            m,
            lambda m: m.piecewise_constant_schedule(LR, scales),
            lambda m: m.PiecewiseConstant(bounds, values),
        )

    def js_pi(m):
        return _first(
            m,
            lambda m: m.piecewise_interpolate_schedule("linear", LR, scales),
            lambda m: m.PiecewiseInterpolate([0, *bounds], values),
        )

    def js_join(m):
        def linear(m):
            return getattr(m, "linear_schedule", None) or m.Linear

        return _first(
            m,
            lambda m: m.join_schedules(parts(m, linear), bounds),
            lambda m: m.Join(parts(m, linear), bounds),
        )

    kinds = {
        "piecewise_constant": {
            "jaxsched": lib(js_pc, jaxsched),
            "jaxsched:PiecewiseConstantDecay": lib(
                lambda m: m.PiecewiseConstantDecay(bounds, values), jaxsched
            ),
            "optax": lib(lambda m: m.piecewise_constant_schedule(LR, scales), optax),
            "keras": lib(
                lambda m: keras_schedules(m).PiecewiseConstantDecay(bounds, values),
                keras,
            ),
        },
        "piecewise_interpolate": {
            "jaxsched": lib(js_pi, jaxsched),
            "optax": lib(
                lambda m: m.piecewise_interpolate_schedule("linear", LR, scales), optax
            ),
        },
        "join": {
            "jaxsched": lib(js_join, jaxsched),
            "optax": lib(
                lambda m: m.join_schedules(
                    parts(m, lambda m: m.linear_schedule), bounds
                ),
                optax,
            ),
        },
    }
    return {
        k: {name: f for name, f in v.items() if f is not None} for k, v in kinds.items()
    }


def _compile_once(schedule: Any) -> float:
    """Seconds to trace, lower and compile a fresh jitted function of one int32 step."""
    spec = jax.ShapeDtypeStruct((), jnp.int32)
    start = time.perf_counter()
    jax.jit(lambda t: schedule(t)).lower(spec).compile()
    return time.perf_counter() - start


def bench_compile(
    pieces: Sequence[int], repeats: int, budget: float = 40.0
) -> dict[str, Any]:
    rows, skipped = [], {}
    last: dict[tuple[str, str], tuple[int, float]] = {}
    for n in pieces:
        for kind, libs in _compile_builders(n).items():
            built = {}
            for name, thunk in libs.items():
                try:
                    built[name] = thunk()
                except AttributeError as error:
                    skipped[f"{kind}/{name}"] = f"missing: {error}"
            if "jaxsched" not in built and not any(
                k.startswith("jaxsched") for k in built
            ):
                continue
            if n == pieces[0]:  # warm up: first traces fill JAX's own caches
                for schedule in built.values():
                    _compile_once(schedule)
            # Slow compiles (seconds each) are measured once; a compile whose linear
            # extrapolation from the previous size exceeds the budget is skipped.
            times: dict[str, list[float]] = {name: [] for name in built}
            estimates: dict[str, float] = {}
            for name in built:
                if (name, kind) in last:
                    prev_n, prev_s = last[name, kind]
                    if prev_s * n / prev_n > budget:
                        estimates[name] = prev_s * n / prev_n
            for rep in range(repeats):
                for name, schedule in built.items():
                    if name in estimates or (rep and times[name][0] > 3.0):
                        continue
                    times[name].append(_compile_once(schedule))
            med = {name: statistics.median(ts) for name, ts in times.items() if ts}
            for name, seconds in med.items():
                last[name, kind] = (n, seconds)
            js = med.get("jaxsched")
            row: dict[str, Any] = {"kind": kind, "pieces": n}
            if "jaxsched" in built:
                row["jaxsched_class"] = type(built["jaxsched"]).__name__
            for name, seconds in med.items():
                row[f"{name}_ms"] = ms(seconds)
            for name, seconds in estimates.items():
                row[f"{name}_ms"] = None
                row[f"{name}_estimate_ms"] = ms(seconds)
            for peer in ("optax", "keras"):
                row[f"{peer}_ratio"] = ratio(med.get(peer), js)
            rows.append(row)
            progress(
                f"compile {kind} {n}: "
                + ", ".join(f"{k} {v * 1e3:.0f} ms" for k, v in med.items())
                + "".join(f", {k} skipped (~{v:.0f} s)" for k, v in estimates.items())
            )
    # Flatness: jaxsched's compile time at each size over its time at the smallest.
    first: dict[str, float] = {}
    for row in rows:
        base = first.setdefault(row["kind"], row.get("jaxsched_ms") or 0.0)
        if row.get("jaxsched_ms") and base:
            row["jaxsched_vs_smallest"] = round(row["jaxsched_ms"] / base, 2)
    return {
        "pieces": list(pieces),
        "repeats": repeats,
        "budget_s": budget,
        "rows": rows,
        "skipped": skipped,
    }


# ----------------------------------------------------------------------------- sweep


def _sweep_configs(k: int) -> tuple[str, list[Any], list[Callable[[Any], Any]]]:
    """K jaxsched schedules and K optax closures of the same configurations."""
    rng = np.random.default_rng(0)
    lrs = rng.uniform(1e-3, 1.0, k).tolist()
    rates = rng.uniform(0.5, 0.99, k).tolist()
    decays = rng.integers(500, 5000, k).tolist()
    if hasattr(jaxsched, "warmup_cosine_decay_schedule"):
        name = "warmup_cosine_decay_schedule(peak, warmup, decay_steps)"
        warm = rng.integers(10, 1000, k).tolist()

        def make(m, i):
            return m.warmup_cosine_decay_schedule(
                0.0, lrs[i], warm[i], warm[i] + 10 * decays[i], 1e-4
            )

    else:
        name = "ExponentialDecay / exponential_decay(lr, steps, rate)"

        def make(m, i):
            if m is optax:
                return m.exponential_decay(lrs[i], decays[i], rates[i])
            return m.ExponentialDecay(lrs[i], decays[i], rates[i])

    ours = [make(jaxsched, i) for i in range(k)]
    theirs = [make(optax, i) for i in range(k)]
    return name, ours, theirs


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = block(fn())
    return time.perf_counter() - start, out


def _sweep_once(ours: list[Any], theirs: list[Any], steps: jax.Array) -> dict:
    """One round of the three ways, each compiled afresh: seconds of compile and run.

    ``optax``: one jitted closure per configuration (K compiles, K runs). ``loop``:
    one jitted jaxsched program, the schedule an argument, compiled once and called
    once per configuration. ``vmap``: the stacked configurations in one vmapped
    program (one compile, one run).
    """
    times: dict[str, float] = {}
    compile_s = run_s = 0.0
    outs = []
    for s in theirs:
        c, compiled = _timed(lambda s=s: jax.jit(lambda t: s(t)).lower(steps).compile())
        r, out = _timed(lambda compiled=compiled: compiled(steps))
        compile_s, run_s = compile_s + c, run_s + r
        outs.append(out)
    times |= {"optax_compile": compile_s, "optax_run": run_s}
    members = [jaxsched.as_arrays(s) for s in ours]
    c, compiled = _timed(
        lambda: jax.jit(lambda s, t: s(t)).lower(members[0], steps).compile()
    )
    r, loop_out = _timed(lambda: [compiled(m, steps) for m in members])
    times |= {"loop_compile": c, "loop_run": r}
    batched = jaxsched.as_arrays(jaxsched.stack(ours))
    program = jax.jit(jax.vmap(lambda s, t: s(t), in_axes=(0, None)))
    c, compiled = _timed(lambda: program.lower(batched, steps).compile())
    r, vmap_out = _timed(lambda: compiled(batched, steps))
    times |= {"vmap_compile": c, "vmap_run": r}
    np.testing.assert_allclose(
        np.asarray(vmap_out), np.stack(outs), rtol=1e-4, atol=1e-7
    )
    np.testing.assert_allclose(np.asarray(vmap_out), np.stack(loop_out), rtol=1e-6)
    return times


def bench_sweep(ks: Sequence[int], n_steps: int, repeats: int) -> dict[str, Any]:
    """K configurations over ``n_steps`` steps three ways (see :func:`_sweep_once`),
    compile and run apart; medians over ``repeats`` rounds."""
    steps = block(jnp.arange(n_steps, dtype=jnp.int32))
    rows, name = [], ""
    for k in ks:
        name, ours, theirs = _sweep_configs(k)
        rounds = [_sweep_once(ours, theirs, steps) for _ in range(repeats)]
        med = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
        total = {
            way: med[f"{way}_compile"] + med[f"{way}_run"]
            for way in ("optax", "loop", "vmap")
        }
        rows.append(
            {
                "K": k,
                **{f"{key}_ms": ms(value) for key, value in med.items()},
                "jaxsched_ms": ms(total["vmap"]),
                "loop_ms": ms(total["loop"]),
                "optax_ms": ms(total["optax"]),
                "optax_ratio": ratio(total["optax"], total["vmap"]),
                "loop_ratio": ratio(total["loop"], total["vmap"]),
                "loop_run_ratio": ratio(med["loop_run"], med["vmap_run"]),
            }
        )
    return {"schedule": name, "n_steps": n_steps, "repeats": repeats, "rows": rows}


# ----------------------------------------------------------------------------- train


def _mlp(key: jax.Array, sizes: Sequence[int]) -> list[dict[str, jax.Array]]:
    params = []
    for a, b in itertools.pairwise(sizes):
        key, sub = jax.random.split(key)
        w = jax.random.normal(sub, (a, b), jnp.float32) / np.sqrt(a)
        params.append({"w": w, "b": jnp.zeros((b,), jnp.float32)})
    return params


def _loss(params, x, y):
    for layer in params[:-1]:
        x = jax.nn.relu(x @ layer["w"] + layer["b"])
    logits = x @ params[-1]["w"] + params[-1]["b"]
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


def bench_train(n_steps: int, repeats: int, batch: int = 128) -> dict[str, Any]:
    sizes = (784, 1024, 256, 10)
    key = jax.random.PRNGKey(0)
    params = _mlp(key, sizes)
    n_params = sum(int(np.prod(x.shape)) for x in jax.tree.leaves(params))
    x = jax.random.normal(key, (batch, sizes[0]), jnp.float32)
    y = jax.random.randint(key, (batch,), 0, sizes[-1])
    if hasattr(jaxsched, "warmup_cosine_decay_schedule"):
        name = "warmup_cosine_decay_schedule(0, 0.1, 100, 10000)"
        ours = jaxsched.warmup_cosine_decay_schedule(0.0, 0.1, 100, 10_000)
        theirs = optax.warmup_cosine_decay_schedule(0.0, 0.1, 100, 10_000)
    else:
        name = "ExponentialDecay(0.1, 1000, 0.96)"
        ours = jaxsched.ExponentialDecay(0.1, 1000, 0.96)
        theirs = optax.exponential_decay(0.1, 1000, 0.96)
    variants = {"jaxsched": ours, "optax": theirs, "constant": 0.1}
    loops = {}
    for label, lr in variants.items():
        tx = optax.sgd(lr)

        @jax.jit
        def step(p, s, tx=tx):
            grads = jax.grad(_loss)(p, x, y)
            updates, s = tx.update(grads, s, p)
            return optax.apply_updates(p, updates), s

        state = (params, tx.init(params))
        state = block(step(*state))  # compile

        def loop(step=step, state=state):
            p, s = state
            for _ in range(n_steps):
                p, s = step(p, s)
            return p

        loops[label] = loop
    med = interleaved(loops, repeats)
    per_step = {k: v / n_steps for k, v in med.items()}
    const = per_step["constant"]
    return {
        "schedule": name,
        "params": n_params,
        "batch": batch,
        "steps_per_sample": n_steps,
        "repeats": repeats,
        "ms_per_step": {k: ms(v) for k, v in per_step.items()},
        "vs_constant_pct": {
            k: round(100 * (v / const - 1), 2) for k, v in per_step.items()
        },
    }


# ---------------------------------------------------------------------------- import


_IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|\s+(\S.*)$")


def _import_us(module: str, after: str = "jax") -> tuple[float, float]:
    """(cumulative us of ``module`` imported after ``after``, wall seconds)."""
    code = f"import {after}; import {module}"
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "JAX_PLATFORMS": os.environ.get("JAX_PLATFORMS", "cpu")},
    )
    wall = time.perf_counter() - start
    cumulative = 0.0
    for line in out.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match and match.group(3).strip() == module:
            cumulative = float(match.group(2))
    return cumulative, wall


def bench_import(repeats: int) -> dict[str, Any]:
    rows = []
    for module in ("jaxsched", "optax"):
        us = [_import_us(module)[0] for _ in range(repeats)]
        rows.append(
            {"module": module, "ms_after_jax": round(statistics.median(us) / 1e3, 1)}
        )
    jax_alone = [_import_us("jax", after="sys")[0] for _ in range(repeats)]
    return {
        "repeats": repeats,
        "jax_ms": round(statistics.median(jax_alone) / 1e3, 1),
        "rows": rows,
        "jaxsched_imports_optax": _imports_optax(),
    }


def _imports_optax() -> bool:
    out = subprocess.run(
        [sys.executable, "-c", "import sys, jaxsched; print('optax' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "True"
