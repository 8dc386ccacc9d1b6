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
import datetime
import itertools
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import numpy as np
import optax

import jaxsched

try:  # Keras is a test extra: the benchmark runs without it.
    import keras

    if keras.backend.backend() != "jax":  # pragma: no cover
        keras = None
except ImportError:  # pragma: no cover
    keras = None

SECTIONS = ("throughput", "compile", "sweep", "train", "import")
RESULTS = Path(__file__).resolve().parent / "results"

# Schedule hyperparameters shared by the twins (a 10M-step run covers every phase).
LR, PEAK, T, RATE, W = 0.1, 0.1, 2_000_000, 0.96, 500_000
BOUNDS = [1_000_000 * i for i in range(1, 10)]


@dataclass(frozen=True)
class Pair:
    """A jaxsched schedule and its twins; a builder takes its library's module."""

    name: str
    family: str  # "exponential" (target 1.5x optax) or "other" (target 1.0x)
    jaxsched: Callable[[Any], Any]
    optax: Callable[[Any], Any] | None = None
    keras: Callable[[Any], Any] | None = None


def _ks(module):
    return module.optimizers.schedules


def _scales(n: int, scale: float = 0.9) -> dict[int, float]:
    return {b: scale for b in BOUNDS[:n]}


def _onecycle_kw() -> dict[str, Any]:
    return {"transition_steps": 9_000_000, "peak_value": PEAK}


def _wexp(staircase: bool) -> Callable[[Any], Any]:
    def build(m):
        return m.warmup_exponential_decay_schedule(
            0.0, PEAK, W, T, RATE, 1000, staircase=staircase, end_value=1e-3
        )

    return build


def _sgdr(m):
    cycles = [
        {"init_value": 0.0, "peak_value": PEAK, "warmup_steps": W, "decay_steps": d}
        for d in (3_000_000, 3_000_000, 4_000_000)
    ]
    return m.sgdr_schedule(cycles)


def _join(m):
    parts = [m.linear_schedule(0.0, PEAK, W), m.cosine_decay_schedule(PEAK, 9 * T)]
    return m.join_schedules(parts, [W])


# Every schedule with an optax or Keras twin; a name jaxsched does not have (yet) is
# skipped. The exponential family is held to 1.5x optax, the rest to 1.0x.
PAIRS: tuple[Pair, ...] = (
    Pair(
        "ExponentialDecay",
        "exponential",
        lambda m: m.ExponentialDecay(LR, T, RATE),
        lambda m: m.exponential_decay(LR, T, RATE),
        lambda m: _ks(m).ExponentialDecay(LR, T, RATE),
    ),
    Pair(
        "ExponentialDecay(staircase)",
        "exponential",
        lambda m: m.ExponentialDecay(LR, 1000, RATE, staircase=True),
        lambda m: m.exponential_decay(LR, 1000, RATE, staircase=True),
        lambda m: _ks(m).ExponentialDecay(LR, 1000, RATE, staircase=True),
    ),
    Pair(
        "InverseTimeDecay",
        "exponential",
        lambda m: m.InverseTimeDecay(LR, 1000, 0.5),
        None,
        lambda m: _ks(m).InverseTimeDecay(LR, 1000, 0.5),
    ),
    Pair(
        "InverseTimeDecay(staircase)",
        "exponential",
        lambda m: m.InverseTimeDecay(LR, 1000, 0.5, staircase=True),
        None,
        lambda m: _ks(m).InverseTimeDecay(LR, 1000, 0.5, staircase=True),
    ),
    Pair(
        "exponential_decay(begin,end)",
        "exponential",
        lambda m: m.exponential_decay(LR, T, RATE, 1000, end_value=1e-3),
        lambda m: m.exponential_decay(LR, T, RATE, 1000, end_value=1e-3),
    ),
    Pair(
        "exponential_decay(staircase)",
        "exponential",
        lambda m: m.exponential_decay(LR, 1000, RATE, 1000, True, 1e-3),
        lambda m: m.exponential_decay(LR, 1000, RATE, 1000, True, 1e-3),
    ),
    Pair(
        "warmup_exponential_decay_schedule",
        "exponential",
        _wexp(False),
        _wexp(False),
    ),
    Pair(
        "warmup_exponential_decay_schedule(staircase)",
        "exponential",
        _wexp(True),
        _wexp(True),
    ),
    # optax's constant_schedule returns the bare number, not an array shaped like the
    # step: no twin to compare with, only the floor.
    Pair("constant_schedule", "other", lambda m: m.constant_schedule(LR)),
    Pair(
        "linear_schedule",
        "other",
        lambda m: m.linear_schedule(LR, 1e-3, T, 1000),
        lambda m: m.linear_schedule(LR, 1e-3, T, 1000),
    ),
    Pair(
        "polynomial_schedule",
        "other",
        lambda m: m.polynomial_schedule(LR, 1e-3, 2.0, T, 1000),
        lambda m: m.polynomial_schedule(LR, 1e-3, 2.0, T, 1000),
    ),
    Pair(
        "PolynomialDecay",
        "other",
        lambda m: m.PolynomialDecay(LR, T, 1e-3, power=2.0),
        lambda m: m.polynomial_schedule(LR, 1e-3, 2.0, T),
        lambda m: _ks(m).PolynomialDecay(LR, T, 1e-3, power=2.0),
    ),
    Pair(
        "PolynomialDecay(cycle)",
        "other",
        lambda m: m.PolynomialDecay(LR, T, 1e-3, power=2.0, cycle=True),
        None,
        lambda m: _ks(m).PolynomialDecay(LR, T, 1e-3, power=2.0, cycle=True),
    ),
    Pair(
        "cosine_decay_schedule",
        "other",
        lambda m: m.cosine_decay_schedule(LR, 9 * T, 0.01, 2.0),
        lambda m: m.cosine_decay_schedule(LR, 9 * T, 0.01, 2.0),
    ),
    Pair(
        "CosineDecay",
        "other",
        lambda m: m.CosineDecay(LR, 9 * T, 0.01),
        lambda m: m.cosine_decay_schedule(LR, 9 * T, 0.01),
        lambda m: _ks(m).CosineDecay(LR, 9 * T, 0.01),
    ),
    Pair(
        "CosineDecay(warmup)",
        "other",
        lambda m: m.CosineDecay(0.0, 9 * T, 0.0, warmup_target=PEAK, warmup_steps=W),
        lambda m: m.warmup_cosine_decay_schedule(0.0, PEAK, W, 9 * T + W),
        lambda m: _ks(m).CosineDecay(
            0.0, 9 * T, 0.0, warmup_target=PEAK, warmup_steps=W
        ),
    ),
    Pair(
        "CosineDecayRestarts",
        "other",
        lambda m: m.CosineDecayRestarts(LR, 1_000_000, 2.0, 0.9, 0.01),
        None,
        lambda m: _ks(m).CosineDecayRestarts(LR, 1_000_000, 2.0, 0.9, 0.01),
    ),
    Pair(
        "PiecewiseConstantDecay",
        "other",
        lambda m: m.PiecewiseConstantDecay(BOUNDS, [LR * 0.9**i for i in range(10)]),
        None,
        lambda m: _ks(m).PiecewiseConstantDecay(
            BOUNDS, [LR * 0.9**i for i in range(10)]
        ),
    ),
    Pair(
        "piecewise_constant_schedule",
        "other",
        lambda m: m.piecewise_constant_schedule(LR, _scales(9)),
        lambda m: m.piecewise_constant_schedule(LR, _scales(9)),
    ),
    Pair(
        "piecewise_interpolate_schedule(linear)",
        "other",
        lambda m: m.piecewise_interpolate_schedule("linear", LR, _scales(9)),
        lambda m: m.piecewise_interpolate_schedule("linear", LR, _scales(9)),
    ),
    Pair(
        "piecewise_interpolate_schedule(cosine)",
        "other",
        lambda m: m.piecewise_interpolate_schedule("cosine", LR, _scales(9)),
        lambda m: m.piecewise_interpolate_schedule("cosine", LR, _scales(9)),
    ),
    Pair(
        "warmup_constant_schedule",
        "other",
        lambda m: m.warmup_constant_schedule(0.0, PEAK, W),
        lambda m: m.warmup_constant_schedule(0.0, PEAK, W),
    ),
    Pair(
        "warmup_cosine_decay_schedule",
        "other",
        lambda m: m.warmup_cosine_decay_schedule(0.0, PEAK, W, 9 * T, 1e-3, 1.0),
        lambda m: m.warmup_cosine_decay_schedule(0.0, PEAK, W, 9 * T, 1e-3, 1.0),
    ),
    Pair("sgdr_schedule", "other", _sgdr, _sgdr),
    Pair(
        "cosine_onecycle_schedule",
        "other",
        lambda m: m.cosine_onecycle_schedule(**_onecycle_kw()),
        lambda m: m.cosine_onecycle_schedule(**_onecycle_kw()),
    ),
    Pair(
        "linear_onecycle_schedule",
        "other",
        lambda m: m.linear_onecycle_schedule(**_onecycle_kw()),
        lambda m: m.linear_onecycle_schedule(**_onecycle_kw()),
    ),
    Pair("join_schedules", "other", _join, _join),
)


# --------------------------------------------------------------------------- helpers


def _block(x: Any) -> Any:
    return jax.block_until_ready(x)


def _interleaved(
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
            _block(fns[name]())
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build(builder: Callable[[Any], Any] | None, module: Any) -> tuple[Any, str]:
    """The schedule, or None with the reason it is missing."""
    if builder is None or module is None:
        return None, "no twin" if builder is None else "library not installed"
    try:
        return builder(module), ""
    except AttributeError as error:  # a name that has not landed
        return None, f"missing: {error}"
    except TypeError as error:  # a signature that differs
        return None, f"signature: {error}"


def _kernels(fn: Any, *args: Any) -> int:
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


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1e3, 3)


def _ratio(peer: float | None, ours: float | None) -> float | None:
    if peer is None or ours is None or ours <= 0:
        return None
    return round(peer / ours, 2)


# ------------------------------------------------------------------------ throughput


def bench_throughput(
    n_steps: int, repeats: int, names: Sequence[str] | None
) -> dict[str, Any]:
    steps = _block(jnp.arange(n_steps, dtype=jnp.int32))
    floor_fn = jax.jit(lambda t: t.astype(jnp.float32))
    _block(floor_fn(steps))
    rows, skipped = [], {}
    for pair in PAIRS:
        if names and pair.name not in names:
            continue
        ours, why = _build(pair.jaxsched, jaxsched)
        if ours is None:
            skipped[pair.name] = why
            continue
        fns: dict[str, Callable[[], Any]] = {}
        closure = jax.jit(lambda t, s=ours: s(t))  # hyperparameters are constants
        as_arg = jax.jit(lambda s, t: s(t))  # hyperparameters are runtime values
        reference, _ = _block((closure(steps), as_arg(ours, steps)))
        reference = np.asarray(reference, np.float64)
        fns["jaxsched"] = lambda f=closure: f(steps)
        fns["jaxsched_arg"] = lambda f=as_arg, s=ours: f(s, steps)
        notes, diffs = [], {}
        kernels = {"jaxsched": _kernels(closure, steps)}
        for peer, module in (("optax", optax), ("keras", keras)):
            twin, _ = _build(getattr(pair, peer), module)
            if twin is None:
                continue
            try:
                f = jax.jit(lambda t, s=twin: s(t))
                values = _block(f(steps))
            except Exception:  # e.g. Keras's ops.cond wants a scalar step
                f = jax.jit(jax.vmap(lambda t, s=twin: s(t)))
                values = _block(f(steps))
                notes.append(f"{peer} vmapped over steps")
            fns[peer] = lambda f=f: f(steps)
            kernels[peer] = _kernels(f, steps)
            # Same numbers? (relative to the schedule's largest value)
            gap = np.abs(np.asarray(values, np.float64) - reference).max()
            diffs[peer] = float(gap / max(np.abs(reference).max(), 1e-30))
        fns["floor"] = lambda: floor_fn(steps)
        med = _interleaved(fns, repeats)
        js = med["jaxsched"]
        rows.append(
            {
                "schedule": pair.name,
                "family": pair.family,
                "jaxsched_ms": _ms(js),
                "jaxsched_arg_ms": _ms(med["jaxsched_arg"]),
                "optax_ms": _ms(med.get("optax")),
                "keras_ms": _ms(med.get("keras")),
                "floor_ms": _ms(med["floor"]),
                "optax_ratio": _ratio(med.get("optax"), js),
                "keras_ratio": _ratio(med.get("keras"), js),
                "over_floor": round(js / med["floor"], 2),
                "arg_over_floor": round(med["jaxsched_arg"] / med["floor"], 2),
                "max_diff": {k: float(f"{v:.2g}") for k, v in diffs.items()},
                "notes": notes,
                "kernels": kernels,
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
                lambda m: _ks(m).PiecewiseConstantDecay(bounds, values), keras
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
                row[f"{name}_ms"] = _ms(seconds)
            for name, seconds in estimates.items():
                row[f"{name}_ms"] = None
                row[f"{name}_estimate_ms"] = _ms(seconds)
            for peer in ("optax", "keras"):
                row[f"{peer}_ratio"] = _ratio(med.get(peer), js)
            rows.append(row)
            _progress(
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


def bench_sweep(ks: Sequence[int], n_steps: int, repeats: int) -> dict[str, Any]:
    steps = _block(jnp.arange(n_steps, dtype=jnp.int32))
    rows, name = [], ""
    for k in ks:
        name, ours, theirs = _sweep_configs(k)

        def run_ours(ours=ours):
            batched = jaxsched.stack(ours)
            return jax.jit(jax.vmap(lambda s: s(steps)))(batched)  # fresh: compiles

        def run_theirs(theirs=theirs):
            return [jax.jit(lambda t, s=s: s(t))(steps) for s in theirs]

        out_ours, out_theirs = _block((run_ours(), run_theirs()))
        np.testing.assert_allclose(
            np.asarray(out_ours), np.stack(out_theirs), rtol=1e-4, atol=1e-7
        )
        med = _interleaved({"jaxsched": run_ours, "optax": run_theirs}, repeats)
        rows.append(
            {
                "K": k,
                "jaxsched_ms": _ms(med["jaxsched"]),
                "optax_ms": _ms(med["optax"]),
                "optax_ratio": _ratio(med["optax"], med["jaxsched"]),
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
        state = _block(step(*state))  # compile

        def loop(step=step, state=state):
            p, s = state
            for _ in range(n_steps):
                p, s = step(p, s)
            return p

        loops[label] = loop
    med = _interleaved(loops, repeats)
    per_step = {k: v / n_steps for k, v in med.items()}
    const = per_step["constant"]
    return {
        "schedule": name,
        "params": n_params,
        "batch": batch,
        "steps_per_sample": n_steps,
        "repeats": repeats,
        "ms_per_step": {k: _ms(v) for k, v in per_step.items()},
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


# --------------------------------------------------------------------------- report


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def machine() -> dict[str, Any]:
    device = jax.devices()[0]
    return {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M"
        ),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "jax": jax.__version__,
        "jaxlib": getattr(__import__("jaxlib"), "__version__", "?"),
        "optax": optax.__version__,
        "keras": None if keras is None else keras.__version__,
        "jaxsched": jaxsched.__version__,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "backend": jax.default_backend(),
        "device": getattr(device, "device_kind", str(device)),
    }


def _fmt(value: Any, suffix: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}{suffix}" if value < 100 else f"{value:,.0f}{suffix}"
    return f"{value}{suffix}"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [
        "| " + " | ".join(_fmt(c) if not isinstance(c, str) else c for c in r) + " |"
        for r in rows
    ]
    return lines


def _cell(row: dict[str, Any], name: str) -> Any:
    """A compile time in ms, or the estimate of one that was not run."""
    estimate = row.get(f"{name}_estimate_ms")
    if estimate is not None:
        return f"~{estimate:,.0f} (est.)"
    return row.get(f"{name}_ms")


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    out = [
        f"Run {m['date_utc']} UTC on {m['backend']} ({m['device']}), "
        f"{m['cpu_count']} CPUs, {m['platform']}; jax {m['jax']}, optax {m['optax']}, "
        f"keras {m['keras']}, jaxsched {m['jaxsched']} (commit {m['commit']}). "
        f"Options: {results['options']}; {results.get('seconds', 0):.0f} s in all.",
        "",
        "Ratios are peer time / jaxsched time (> 1: jaxsched is faster); medians of "
        "interleaved repeats in one process.",
    ]
    if "throughput" in results:
        r = results["throughput"]
        out += [
            "",
            f"**Evaluation throughput** ({r['n_steps']:,} int32 steps, jitted, compile "
            f"excluded; median of {r['repeats']}). `floor` is a jitted int-to-float "
            "conversion of the same steps; `js/floor` uses the schedule closed over as "
            "constants (as the peers), `arg/floor` passes it as a jit argument.",
            "",
        ]
        out += _table(
            [
                "schedule",
                "jaxsched ms",
                "optax ms",
                "keras ms",
                "optax/js",
                "keras/js",
                "js/floor",
                "arg/floor",
                "max diff",
                "kernels js/optax/keras",
            ],
            [
                [
                    row["schedule"],
                    row["jaxsched_ms"],
                    row["optax_ms"],
                    row["keras_ms"],
                    row["optax_ratio"],
                    row["keras_ratio"],
                    row["over_floor"],
                    row["arg_over_floor"],
                    f"{max(row['max_diff'].values()):.0e}" if row["max_diff"] else "—",
                    "/".join(
                        str(row["kernels"].get(k, "—"))
                        for k in ("jaxsched", "optax", "keras")
                    ),
                ]
                for row in r["rows"]
            ],
        )
        floor = statistics.median([row["floor_ms"] for row in r["rows"]] or [0])
        out += [
            "",
            f"Memory floor: {floor:.2f} ms (median over rows). `max diff`: the largest "
            "difference from a twin over all the steps, relative to the schedule's "
            "largest value. `kernels`: loops the compiled program runs over the steps "
            "(more than one writes an intermediate array of 10M values to memory).",
        ]
        notes = [f"{row['schedule']}: {n}" for row in r["rows"] for n in row["notes"]]
        if notes:
            out += ["", "Notes: " + "; ".join(notes) + "."]
        if r["skipped"]:
            out += [
                "",
                "Not measured (not in jaxsched yet): " + ", ".join(r["skipped"]) + ".",
            ]
    if "compile" in results:
        r = results["compile"]
        out += [
            "",
            "**Compile time** (trace + lower + compile of a fresh function of one "
            f"int32 step; median of {r['repeats']}, a single run where one takes "
            "over 3 s), ms. `~N (est.)`: not run, because the linear extrapolation "
            f"from the previous size exceeds the {r['budget_s']:.0f} s budget (a lower "
            "bound where the growth is superlinear).",
            "",
        ]
        out += _table(
            [
                "kind",
                "pieces",
                "jaxsched",
                "jaxsched PiecewiseConstantDecay",
                "optax",
                "keras",
                "optax/js",
                "keras/js",
                "js vs 10 pieces",
            ],
            [
                [
                    row["kind"],
                    row["pieces"],
                    _cell(row, "jaxsched"),
                    _cell(row, "jaxsched:PiecewiseConstantDecay"),
                    _cell(row, "optax"),
                    _cell(row, "keras"),
                    row.get("optax_ratio"),
                    row.get("keras_ratio"),
                    row.get("jaxsched_vs_smallest"),
                ]
                for row in r["rows"]
            ],
        )
    if "sweep" in results:
        r = results["sweep"]
        out += [
            "",
            f"**Sweep** of K configurations of {r['schedule']} over {r['n_steps']:,} "
            "steps, compile included: jaxsched stacks them and runs one vmapped "
            "program; "
            f"optax jits one closure per configuration (median of {r['repeats']}).",
            "",
        ]
        out += _table(
            ["K", "jaxsched ms", "optax ms", "optax/js"],
            [
                [row["K"], row["jaxsched_ms"], row["optax_ms"], row["optax_ratio"]]
                for row in r["rows"]
            ],
        )
    if "train" in results:
        r = results["train"]
        out += [
            "",
            f"**Train step**: jitted optax SGD on a {r['params']:,}-parameter MLP, "
            f"batch {r['batch']}, schedule {r['schedule']} (median of "
            f"{r['repeats']} runs of {r['steps_per_sample']} steps).",
            "",
        ]
        out += _table(
            ["learning rate", "ms / step", "vs constant"],
            [
                [k, v, f"{r['vs_constant_pct'][k]:+.2f}%"]
                for k, v in r["ms_per_step"].items()
            ],
        )
    if "import" in results:
        r = results["import"]
        out += [
            "",
            f"**Import time** on top of `import jax` ({r['jax_ms']:.0f} ms alone), "
            f"`python -X importtime`, median of {r['repeats']} fresh interpreters.",
            "",
        ]
        out += _table(
            ["module", "ms after jax"],
            [[row["module"], row["ms_after_jax"]] for row in r["rows"]],
        )
        if r["jaxsched_imports_optax"]:
            out += ["", "(`import jaxsched` also imports optax.)"]
    if results.get("missed"):
        out += ["", "**Missed targets**", ""] + [f"- {m}" for m in results["missed"]]
    return "\n".join(out) + "\n"


def missed_targets(results: dict[str, Any]) -> list[str]:
    """The issue's targets that this run missed, with the measured ratios."""
    missed = []
    for row in results.get("throughput", {}).get("rows", []):
        # The exponential family is held to 1.5x optax; everything else to 1.0x.
        for peer in ("optax", "keras"):
            want = 1.5 if peer == "optax" and row["family"] == "exponential" else 1.0
            ratio = row[f"{peer}_ratio"]
            if ratio is not None and ratio < want:
                noise = " (within run-to-run noise)" if ratio >= 0.95 * want else ""
                missed.append(
                    f"throughput {row['schedule']}: {ratio:.2f}x {peer} "
                    f"(target {want}x){noise}"
                )
        if row["over_floor"] > 1.7:
            missed.append(
                f"throughput {row['schedule']}: {row['over_floor']:.2f}x the memory "
                "floor (target <= 1.7x)"
            )
    for row in results.get("compile", {}).get("rows", []):
        ratio = row.get("optax_ratio")
        if row["pieces"] < 3000:
            continue
        if ratio is not None and ratio < 20:
            missed.append(
                f"compile {row['kind']} at {row['pieces']} pieces: "
                f"{ratio:.1f}x optax (target 20x)"
            )
        if row.get("jaxsched_estimate_ms") is not None:
            peer = row.get("optax_ms") or row.get("optax_estimate_ms")
            missed.append(
                f"compile {row['kind']} at {row['pieces']} pieces: not run, "
                f"~{row['jaxsched_estimate_ms'] / 1e3:.0f} s or more extrapolated "
                f"(optax ~{(peer or 0) / 1e3:.0f} s; target 20x faster than optax)"
            )
        if (row.get("jaxsched_vs_smallest") or 0) > 2:
            missed.append(
                f"compile {row['kind']}: {row['jaxsched_vs_smallest']:.1f}x its "
                "10-piece time at 3000 pieces (target: flat)"
            )
    for row in results.get("sweep", {}).get("rows", []):
        if row["K"] == 64 and (row["optax_ratio"] or 0) < 20:
            missed.append(f"sweep K=64: {row['optax_ratio']:.1f}x optax (target 20x)")
    train = results.get("train")
    if train and train["vs_constant_pct"]["jaxsched"] > 2:
        missed.append(
            f"train step: {train['vs_constant_pct']['jaxsched']:+.2f}% vs a constant "
            "learning rate (target <= +2%)"
        )
    return missed


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
