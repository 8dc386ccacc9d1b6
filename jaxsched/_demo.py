"""The ``jaxsched demo`` job: train a small classifier with optax and jaxsched.

First the seed example, ``InverseTimeDecay(0.1, 1.0, 0.5)``, for 5 epochs; then a
sweep of 16 ``jaxsched.warmup_cosine_decay_schedule`` configurations (4 peak learning
rates x 4 warmup lengths, a zero-length warmup among them) built with
:func:`jaxsched.grid` and trained together: the batched schedule is ``jax.vmap``-ed
through one jitted training program, so the whole sweep compiles once, step counts
included.
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

from ._batch import batch_size, stack, unstack
from ._core import Schedule
from ._keras import InverseTimeDecay
from ._optax import warmup_cosine_decay_schedule
from ._sweep import grid, grid_points

__all__ = [
    "Data",
    "make_data",
    "report",
    "run",
    "sweep_axes",
    "sweep_schedules",
    "train",
]

FEATURES, CLASSES, HIDDEN = 16, 3, 32

#: The default sweep: peak learning rates, and warmup lengths as fractions of training.
PEAKS = (0.5, 2.0, 8.0, 30.0)
WARMUP_FRACTIONS = (0.0, 0.1, 0.3, 0.6)


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


def _init_params(seed: int = 0) -> dict[str, np.ndarray]:
    """The initial parameters, made with NumPy (no random-number code to compile)."""
    rng = np.random.default_rng(seed)
    return {
        "w1": (rng.normal(size=(FEATURES, HIDDEN)) / np.sqrt(FEATURES)).astype(
            np.float32
        ),
        "b1": np.zeros(HIDDEN, np.float32),
        "w2": (rng.normal(size=(HIDDEN, CLASSES)) / np.sqrt(HIDDEN)).astype(np.float32),
        "b2": np.zeros(CLASSES, np.float32),
    }


def _logits(params: dict[str, jax.Array], x: jax.Array) -> jax.Array:
    hidden = jnp.tanh(x @ params["w1"] + params["b1"])
    return hidden @ params["w2"] + params["b2"]


def _loss(params: dict[str, jax.Array], x: jax.Array, y: jax.Array) -> jax.Array:
    logits = _logits(params, x)
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


def train(
    schedule: Schedule, data: Data, epochs: int
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """SGD with ``learning_rate=schedule`` over ``epochs``.

    Returns the final loss and accuracy on the whole data set, and the training loss
    of every step (shape ``(epochs * steps_per_epoch,)``). Pure and traceable: the
    schedule may be traced (a jit argument) or batched (under vmap).
    """
    steps = data.steps_per_epoch
    used = steps * data.batch_size
    xb = data.x[:used].reshape(steps, data.batch_size, FEATURES)
    yb = data.y[:used].reshape(steps, data.batch_size)
    return _train(schedule, (xb, yb, data.x, data.y), epochs)


def _train(
    schedule: Schedule, arrays: tuple[Any, ...], epochs: int
) -> tuple[jax.Array, jax.Array, jax.Array]:
    xb, yb, x, y = arrays
    optimizer = optax.sgd(learning_rate=schedule)
    params = jax.tree.map(jnp.asarray, _init_params())
    state = optimizer.init(params)

    def step(carry: Any, batch: tuple[jax.Array, jax.Array]) -> tuple[Any, jax.Array]:
        params, state = carry
        loss, grads = jax.value_and_grad(_loss)(params, *batch)
        updates, state = optimizer.update(grads, state, params)
        return (optax.apply_updates(params, updates), state), loss

    def epoch(carry: Any, _: None) -> tuple[Any, jax.Array]:
        return jax.lax.scan(step, carry, (xb, yb))

    (params, _), curve = jax.lax.scan(epoch, (params, state), None, length=epochs)
    accuracy = (_logits(params, x).argmax(-1) == y).mean()
    return _loss(params, x, y), accuracy, curve.reshape(-1)


#: ``train`` for one schedule, compiled once per process (data are arguments).
_train_one = jax.jit(_train, static_argnames=("epochs",))


def sweep_axes(total_steps: int) -> dict[str, Any]:
    """The default sweep's :func:`jaxsched.grid` arguments for ``total_steps``."""
    warmups = sorted({round(f * total_steps) for f in WARMUP_FRACTIONS})
    warmups = [w for w in warmups if w < total_steps]
    return {
        "init_value": 0.0,
        "peak_value": list(PEAKS),
        "warmup_steps": warmups,
        "decay_steps": total_steps,
    }


def sweep_schedules(total_steps: int = 120) -> list[Schedule]:
    """16 warmup + cosine configurations: 4 peak rates x 4 warmup lengths."""
    return unstack(grid(warmup_cosine_decay_schedule, **sweep_axes(total_steps)))


class _Counter:
    def __init__(self) -> None:
        self.traces = 0

    def wrap(self, fn: Any) -> Any:
        def counted(*args: Any) -> Any:
            self.traces += 1
            return fn(*args)

        return counted


def run(
    epochs: int = 5, schedules: Sequence[Schedule] | Schedule | None = None
) -> dict[str, Any]:
    """Run the demo and return its results (used by the CLI and the tests).

    ``schedules`` replaces the default sweep: a list of same-structure schedules or a
    stacked (batched) schedule such as a :func:`jaxsched.grid`.

    Returns a dict with
      ``seed``: ``(schedule, final loss, accuracy)`` of the seed example;
      ``sweep``: ``[(member schedule, final loss, accuracy), ...]``;
      ``labels``: a short text per member (what varies across the sweep);
      ``lr``: the learning rate each member used at each step, ``(members, steps)``;
      ``loss_curves``: each member's training loss at each step, ``(members, steps)``;
      ``compiles``: how often the sweep program was compiled (traced);
      ``seconds``: the sweep's wall time, compile included; ``steps``: steps per run.
    """
    data = make_data()
    total = epochs * data.steps_per_epoch
    if schedules is None:
        axes = sweep_axes(total)
        batched = grid(warmup_cosine_decay_schedule, **axes)
        labels = [
            f"peak {p['peak_value']:g}, warmup {p['warmup_steps']}"
            for p in grid_points(**axes)
        ]
    else:
        batched = schedules if isinstance(schedules, Schedule) else stack(schedules)
        labels = [_describe(member) for member in unstack(batched)]
    batch_size(batched)  # a clear error for an unbatched schedule, before training

    steps = data.steps_per_epoch
    used = steps * data.batch_size
    arrays = (
        data.x[:used].reshape(steps, data.batch_size, FEATURES),
        data.y[:used].reshape(steps, data.batch_size),
        data.x,
        data.y,
    )
    seed = InverseTimeDecay(0.1, 1.0, 0.5)
    seed_loss, seed_acc, _ = _train_one(seed, arrays, epochs=epochs)

    def member(schedule: Schedule, arrays: tuple[Any, ...]) -> tuple[jax.Array, ...]:
        loss, accuracy, curve = _train(schedule, arrays, epochs)
        return loss, accuracy, curve, schedule(jnp.arange(total))

    counter = _Counter()
    program = jax.jit(counter.wrap(jax.vmap(member, in_axes=(0, None))))
    start = time.perf_counter()
    losses, accs, curves, lrs = jax.block_until_ready(program(batched, arrays))
    elapsed = time.perf_counter() - start
    return {
        "seed": (seed, float(seed_loss), float(seed_acc)),
        "sweep": list(zip(unstack(batched), np.asarray(losses), np.asarray(accs))),
        "labels": labels,
        "lr": np.asarray(lrs),
        "loss_curves": np.asarray(curves),
        "compiles": counter.traces,
        "seconds": elapsed,
        "steps": total,
    }


def _describe(schedule: Schedule) -> str:
    config = schedule.get_config()
    shown = {k: v for k, v in config.items() if k != "name"}
    return (
        f"{type(schedule).__name__}("
        + ", ".join(
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
            for k, v in shown.items()
        )
        + ")"
    )


def report(results: dict[str, Any]) -> str:
    """The demo's printed table."""
    seed, loss, acc = results["seed"]
    sweep = results["sweep"]
    names = results.get("labels") or [_describe(s) for s, _, _ in sweep]
    lines = [
        f"seed example: {_describe(seed)}, {results['steps']} SGD steps",
        f"  final loss {loss:.4f}, accuracy {acc:.3f}",
        "",
        f"sweep: {len(sweep)} schedules trained together under jax.vmap",
    ]
    width = max(map(len, ["configuration", *names]))
    lines.append(f"{'configuration':<{width}} {'loss':>8} {'acc':>6}")
    for name, (_, loss, acc) in zip(names, sweep):
        lines.append(f"{name:<{width}} {loss:>8.4f} {acc:>6.3f}")
    best = int(np.nanargmin([row[1] for row in sweep]))
    _, best_loss, best_acc = sweep[best]
    lines += [
        "",
        f"best: {names[best]} (loss {best_loss:.4f}, accuracy {best_acc:.3f})",
        f"compilations of the sweep program: {results['compiles']} "
        f"({results['seconds']:.2f} s, compile included)",
    ]
    return "\n".join(lines)
