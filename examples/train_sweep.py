"""Train a whole learning-rate sweep as one compiled program, then keep the best.

    python examples/train_sweep.py [--steps 200] [--out best_schedule.json]

A grid of ``jaxsched.warmup_cosine_decay_schedule`` configurations (peak learning rate
x warmup length: step counts are swept too) trains one small MLP per configuration
with optax Adam, all at once: the batched schedule goes through ``jax.vmap`` inside
one jitted train step, which compiles once. The best configuration is saved as JSON
with ``to_dict()`` and read back with ``jaxsched.from_dict``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

import jaxsched

FEATURES, HIDDEN, BATCH = 8, 32, 32


def make_batches(steps: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``steps`` mini-batches of a noisy nonlinear regression problem."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=FEATURES)
    x = rng.normal(size=(steps, BATCH, FEATURES)).astype(np.float32)
    y = (np.sin(x @ w) + 0.1 * rng.normal(size=(steps, BATCH))).astype(np.float32)
    return x, y


def init_params(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "w1": (rng.normal(size=(FEATURES, HIDDEN)) / np.sqrt(FEATURES)).astype(
            np.float32
        ),
        "w2": (rng.normal(size=HIDDEN) / np.sqrt(HIDDEN)).astype(np.float32),
    }


def loss_fn(params: Any, x: jax.Array, y: jax.Array) -> jax.Array:
    prediction = jnp.tanh(x @ params["w1"]) @ params["w2"]
    return jnp.mean((prediction - y) ** 2)


def train_step(params: Any, opt_state: Any, schedule: jaxsched.Schedule, x, y):
    """One Adam step; the optimizer is built from the schedule *argument*."""
    optimizer = optax.adam(learning_rate=schedule)
    loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
    updates, opt_state = optimizer.update(grads, opt_state, params)
    return optax.apply_updates(params, updates), opt_state, loss


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--out", default="best_schedule.json")
    args = parser.parse_args(argv)

    # 1. The sweep: 5 peak rates x 3 warmup lengths = 15 members, one schedule.
    peaks = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1]
    warmups = [0, args.steps // 10, args.steps // 2]
    sweep = jaxsched.grid(
        jaxsched.warmup_cosine_decay_schedule,
        init_value=0.0,
        peak_value=peaks,
        warmup_steps=warmups,
        decay_steps=args.steps,
    )
    k = jaxsched.batch_size(sweep)

    # 2. K models, the same initial parameters, one optimizer state per member.
    params = jax.tree.map(lambda p: jnp.broadcast_to(p, (k, *p.shape)), init_params())
    opt_state = jax.vmap(lambda p, s: optax.adam(s).init(p))(params, sweep)
    traces = []

    def counted_step(*step_args: Any) -> Any:
        traces.append(1)  # runs when JAX traces, i.e. compiles
        return train_step(*step_args)

    step = jax.jit(jax.vmap(counted_step, in_axes=(0, 0, 0, None, None)))
    xs, ys = make_batches(args.steps)
    losses = []
    for t in range(args.steps):
        params, opt_state, loss = step(params, opt_state, sweep, xs[t], ys[t])
        losses.append(loss)
    final = np.mean(np.stack(losses[-10:]), axis=0)  # per member, last 10 steps

    # 3. The best configuration, as JSON.
    points = jaxsched.grid_points(peak_value=peaks, warmup_steps=warmups)
    for point, value in zip(points, final):
        print(
            f"peak {point['peak_value']:<6g} warmup {point['warmup_steps']:<4d}"
            f" loss {value:.4f}"
        )
    best = int(np.argmin(final))
    best_schedule = jaxsched.unstack(sweep)[best]
    config = best_schedule.to_dict()
    Path(args.out).write_text(json.dumps(config, indent=1))
    restored = jaxsched.from_dict(json.loads(Path(args.out).read_text()))
    assert restored.to_dict() == config
    print(f"best: {points[best]} (loss {final[best]:.4f}), saved to {args.out}")
    print(f"{k} models trained together; train step compiled {len(traces)} time(s)")
    return {
        "best": points[best],
        "losses": final,
        "compiles": len(traces),
        "schedule": restored,
    }


if __name__ == "__main__":
    main()
