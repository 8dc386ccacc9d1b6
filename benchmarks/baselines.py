"""A sweep timed three ways (and in chunks), compile and run apart.

One function, :func:`measure`, used by ``sweep_scale.py`` and ``gpu.py``: for a
training function ``train(schedule, data)`` and a stacked sweep of K members it times

- ``optax``: one ``optax`` closure per member, each jitted on its own (K compiles; the
  way a sweep is written without jaxsched). Timed on ``closures`` members and scaled
  to K when fewer (``estimated``);
- ``loop``: one compiled program, the schedule passed as an argument, called once per
  member (1 compile; a jaxsched schedule is a pytree, so new values never recompile);
- ``vmap``: ``jax.vmap`` over the members in one compiled program (1 compile);
- ``map B``: ``jax.lax.map(..., batch_size=B)``: chunks of B members vmapped, the
  chunks one after another in the same program (1 compile).

Compilation (trace + lower + compile) and run time are reported separately; the run
time is the best of ``repeats`` calls after the first (for ``optax``, the sum over the
closures of each one's best). The data are arguments of every
program (never compiled in as constants).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import jax
import numpy as np

import jaxsched


def _memory_mib(compiled: Any) -> float | None:
    """Arguments + outputs + temporaries, from XLA's memory analysis (MiB)."""
    try:
        stats = compiled.memory_analysis()
    except Exception:  # not every backend implements it
        return None
    if stats is None:
        return None
    total = (
        stats.argument_size_in_bytes
        + stats.output_size_in_bytes
        + stats.temp_size_in_bytes
    )
    return round(total / 2**20, 2)


def _best(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    out = None
    times = []
    for _ in range(max(repeats, 1)):
        start = time.perf_counter()
        out = jax.block_until_ready(fn())
        times.append(time.perf_counter() - start)
    return min(times), out


def _error(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".splitlines()[0]
    return text[:160]


def measure(
    train: Callable[[Any, Any], Any],
    sweep: Any,
    data: Any,
    *,
    closure: Callable[[int], Callable[[Any], Any]] | None = None,
    closures: int = 8,
    chunks: Sequence[int] = (),
    repeats: int = 2,
    methods: Sequence[str] = ("optax", "loop", "vmap", "map"),
) -> dict[str, dict[str, Any]]:
    """Times one sweep as separate closures, a loop over one program, vmap, chunks.

    Args:
      train: ``train(schedule, data) -> output`` for one member (traceable).
      sweep: a stacked jaxsched schedule of K members.
      data: the training data, a pytree of arrays passed as arguments.
      closure: ``closure(i)`` returns ``f(data) -> output`` training member ``i``
        with an optax closure (the schedule compiled in); None skips ``optax``.
      closures: how many of the K closures are compiled and run (the rest scaled).
      chunks: member chunk sizes for ``jax.lax.map(..., batch_size=B)``.
      repeats: runs timed per method after the first call (best taken).
      methods: which of ``optax``, ``loop``, ``vmap``, ``map`` to run.

    Returns:
      ``{name: {"compile_s", "run_s", "compiles", "timed", "estimated",
      "memory_mib", "output", "error"}}`` per method (``map B`` per chunk size);
      ``output`` is the members' outputs as a NumPy array (None on error).
    """
    k = jaxsched.batch_size(sweep)
    sweep = jaxsched.as_arrays(sweep)
    data = jax.device_put(data)
    results: dict[str, dict[str, Any]] = {}

    def record(name: str, **values: Any) -> None:
        row = {
            "compile_s": None,
            "run_s": None,
            "compiles": 1,
            "timed": k,
            "estimated": False,
            "memory_mib": None,
            "output": None,
            "error": None,
        }
        row.update(values)
        results[name] = row

    def fresh(fn: Callable[..., Any]) -> Callable[..., Any]:
        """A new function object: ``jax.jit`` of it compiles (no cache hit)."""
        return lambda *args: fn(*args)

    def one_program(name: str, fn: Callable[[Any, Any], Any]) -> None:
        try:
            start = time.perf_counter()
            compiled = jax.jit(fn).lower(sweep, data).compile()
            compile_s = time.perf_counter() - start
            jax.block_until_ready(compiled(sweep, data))
            run_s, out = _best(lambda: compiled(sweep, data), repeats)
            record(
                name,
                compile_s=compile_s,
                run_s=run_s,
                memory_mib=_memory_mib(compiled),
                output=np.asarray(out),
            )
        except Exception as error:  # out of memory at a large K, say
            record(name, error=_error(error))

    if "vmap" in methods:
        one_program("vmap", jax.vmap(fresh(train), in_axes=(0, None)))
    if "map" in methods:
        for size in chunks:
            if size >= k:
                continue

            def chunked(s: Any, d: Any, size: int = size) -> Any:
                return jax.lax.map(lambda m: train(m, d), s, batch_size=size)

            one_program(f"map {size}", chunked)
    if "loop" in methods:
        try:
            members = [jax.device_put(m) for m in jaxsched.unstack(sweep)]
            start = time.perf_counter()
            compiled = jax.jit(fresh(train)).lower(members[0], data).compile()
            compile_s = time.perf_counter() - start
            jax.block_until_ready(compiled(members[0], data))
            run_s, out = _best(lambda: [compiled(m, data) for m in members], repeats)
            record(
                "loop",
                compile_s=compile_s,
                run_s=run_s,
                memory_mib=_memory_mib(compiled),
                output=np.stack([np.asarray(o) for o in out]),
            )
        except Exception as error:
            record("loop", error=_error(error))
    if "optax" in methods and closure is not None:
        timed = min(k, max(closures, 1))
        compile_s = run_s = 0.0
        outs = []
        try:
            for i in range(timed):
                start = time.perf_counter()
                compiled = jax.jit(closure(i)).lower(data).compile()
                compile_s += time.perf_counter() - start
                jax.block_until_ready(compiled(data))  # the first call's set-up
                best, out = _best(lambda c=compiled: c(data), repeats)
                run_s += best
                outs.append(np.asarray(out))
            scale = k / timed
            record(
                "optax",
                compile_s=compile_s * scale,
                run_s=run_s * scale,
                compiles=k,
                timed=timed,
                estimated=timed < k,
                output=np.stack(outs),
            )
        except Exception as error:
            record("optax", compiles=k, timed=timed, error=_error(error))
    return results


def agreement(results: dict[str, dict[str, Any]], rtol: float = 1e-4) -> str:
    """How many members each method's outputs match the loop's to ``rtol`` (the
    timed members only for ``optax``): a check that every method did the same work.
    Members at learning rates where training is chaotic may differ in the last bits
    between programs and drift apart; they are counted, not hidden."""
    base = results.get("loop", {}).get("output")
    if base is None:
        return "no loop output to compare"
    parts = []
    for name, row in results.items():
        out = row.get("output")
        if name == "loop" or out is None:
            continue
        ref = base[: len(out)]
        close = np.isclose(out, ref, rtol=rtol, atol=0, equal_nan=True)
        close = close.reshape(len(out), -1).all(axis=1)
        parts.append(f"{name} {int(close.sum())}/{len(out)}")
    return ", ".join(parts)
