"""The ``jaxsched demo`` job: train a small classifier with optax and jaxsched schedules.

First the seed example, ``InverseTimeDecay(0.1, 1.0, 0.5)``, for 5 epochs; then a sweep of
16 schedules trained together: the batched schedule is ``jax.vmap``-ed through one jitted
training program, so the whole sweep compiles once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from ._batch import stack, unstack
from ._core import Schedule
from ._keras import ExponentialDecay, InverseTimeDecay

__all__ = ["Data", "make_data", "run", "sweep_schedules", "train"]

FEATURES, CLASSES, HIDDEN = 16, 3, 32


@dataclass(frozen=True)
class Data:
    x: np.ndarray
    y: np.ndarray
    batch_size: int

    @property
    def steps_per_epoch(self) -> int:
        return len(self.x) // self.batch_size


def make_data(samples: int = 1536, batch_size: int = 64, seed: int = 0) -> Data:
    """Three overlapping Gaussian blobs in 16 dimensions, made with NumPy."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(CLASSES, FEATURES)) * 0.35
    y = rng.integers(0, CLASSES, size=samples)
    x = centers[y] + rng.normal(size=(samples, FEATURES))
    return Data(x.astype(np.float32), y.astype(np.int32), batch_size)


def _init_params(seed: int = 0) -> dict[str, jax.Array]:
    k1, k2 = jax.random.split(jax.random.key(seed))
    return {
        "w1": jax.random.normal(k1, (FEATURES, HIDDEN)) / np.sqrt(FEATURES),
        "b1": jnp.zeros(HIDDEN),
        "w2": jax.random.normal(k2, (HIDDEN, CLASSES)) / np.sqrt(HIDDEN),
        "b2": jnp.zeros(CLASSES),
    }


def _logits(params: dict[str, jax.Array], x: jax.Array) -> jax.Array:
    hidden = jnp.tanh(x @ params["w1"] + params["b1"])
    return hidden @ params["w2"] + params["b2"]


def _loss(params: dict[str, jax.Array], x: jax.Array, y: jax.Array) -> jax.Array:
    logits = _logits(params, x)
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


def train(schedule: Schedule, data: Data, epochs: int) -> tuple[jax.Array, jax.Array]:
    """SGD with ``learning_rate=schedule`` over ``epochs``; returns (loss, accuracy).

    Pure and traceable: the schedule may be traced (jit argument) or batched (vmap).
    """
    optimizer = optax.sgd(learning_rate=schedule)
    params = _init_params()
    state = optimizer.init(params)
    steps = data.steps_per_epoch
    xb = jnp.asarray(data.x[: steps * data.batch_size]).reshape(
        steps, data.batch_size, FEATURES
    )
    yb = jnp.asarray(data.y[: steps * data.batch_size]).reshape(steps, data.batch_size)

    def step(carry: Any, batch: tuple[jax.Array, jax.Array]) -> tuple[Any, None]:
        params, state = carry
        grads = jax.grad(_loss)(params, *batch)
        updates, state = optimizer.update(grads, state, params)
        return (optax.apply_updates(params, updates), state), None

    def epoch(carry: Any, _: None) -> tuple[Any, None]:
        return jax.lax.scan(step, carry, (xb, yb))[0], None

    (params, _), _ = jax.lax.scan(epoch, (params, state), None, length=epochs)
    x, y = jnp.asarray(data.x), jnp.asarray(data.y)
    accuracy = (_logits(params, x).argmax(-1) == y).mean()
    return _loss(params, x, y), accuracy


def sweep_schedules() -> list[Schedule]:
    """16 exponential-decay configurations: 4 initial rates x 4 decay rates."""
    return [
        ExponentialDecay(lr, 24, rate)
        for lr in (0.05, 0.1, 0.3, 1.0)
        for rate in (0.5, 0.8, 0.95, 1.0)
    ]


class _Counter:
    def __init__(self) -> None:
        self.traces = 0

    def wrap(self, fn: Any) -> Any:
        def counted(*args: Any) -> Any:
            self.traces += 1
            return fn(*args)

        return counted


def run(epochs: int = 5, schedules: Sequence[Schedule] | None = None) -> dict[str, Any]:
    """Run the demo and return its results (used by the CLI and the tests)."""
    data = make_data()
    seed = InverseTimeDecay(0.1, 1.0, 0.5)
    seed_loss, seed_acc = jax.jit(lambda s: train(s, data, epochs))(seed)

    members = list(schedules) if schedules is not None else sweep_schedules()
    batched = stack(members)
    counter = _Counter()
    program = jax.jit(counter.wrap(jax.vmap(lambda s: train(s, data, epochs))))
    start = time.perf_counter()
    losses, accs = jax.block_until_ready(program(batched))
    elapsed = time.perf_counter() - start
    return {
        "seed": (seed, float(seed_loss), float(seed_acc)),
        "sweep": list(zip(unstack(batched), np.asarray(losses), np.asarray(accs))),
        "compiles": counter.traces,
        "seconds": elapsed,
        "steps": epochs * data.steps_per_epoch,
    }


def _describe(schedule: Schedule) -> str:
    config = schedule.get_config()
    shown = {k: v for k, v in config.items() if k != "name"}
    return f"{type(schedule).__name__}(" + ", ".join(
        f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in shown.items()
    ) + ")"


def report(results: dict[str, Any]) -> str:
    """The demo's printed table."""
    seed, loss, acc = results["seed"]
    lines = [
        f"seed example: {_describe(seed)}, {results['steps']} SGD steps",
        f"  final loss {loss:.4f}, accuracy {acc:.3f}",
        "",
        f"sweep: {len(results['sweep'])} schedules trained together under jax.vmap",
    ]
    names = [_describe(schedule) for schedule, _, _ in results["sweep"]]
    width = max(map(len, names))
    lines.append(f"{'configuration':<{width}} {'loss':>8} {'acc':>6}")
    for name, (_, loss, acc) in zip(names, results["sweep"]):
        lines.append(f"{name:<{width}} {loss:>8.4f} {acc:>6.3f}")
    best = min(results["sweep"], key=lambda row: row[1])
    lines += [
        "",
        f"best: {_describe(best[0])} (loss {best[1]:.4f}, accuracy {best[2]:.3f})",
        f"compilations of the sweep program: {results['compiles']} "
        f"({results['seconds']:.2f} s, compile included)",
    ]
    return "\n".join(lines)
