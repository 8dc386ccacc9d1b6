"""``jaxsched demo``: a task where the learning-rate schedule decides the outcome.

Two interleaved spirals in 2-D (made with NumPy, a train and a held-out split; chance
is 0.5), a small tanh MLP trained with optax SGD with momentum. First the Keras
documentation's example, ``InverseTimeDecay(0.1, 1.0, 0.5)`` with plain SGD; then a
sweep of 16 ``jaxsched.warmup_cosine_decay_schedule`` configurations (4 peak learning
rates x 4 warmup lengths) built with :func:`jaxsched.grid` and trained together: the
batched schedule is ``jax.vmap``-ed through one jitted training program, so the whole
sweep compiles once. Then the same sweep two other ways, timed beside it (compile and
run apart): the way it is done without jaxsched, one
``optax.warmup_cosine_decay_schedule`` closure per configuration, each jitted and
trained on its own (a compile each); and one compiled program with the schedule as
an argument, called once per configuration (one compile, as the vmapped program).
Optionally a random search (:func:`jaxsched.sample`) beside the grid.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from jaxsched.core._batch import batch_size, stack, unstack
from jaxsched.core._schedule import Schedule
from jaxsched.schedules._keras import InverseTimeDecay
from jaxsched.schedules._optax import warmup_cosine_decay_schedule
from jaxsched.sweeps._grid import grid, grid_points

__all__ = [
    "CHANCE",
    "Data",
    "baseline",
    "loop",
    "make_arrays",
    "make_data",
    "report",
    "run",
    "search_axes",
    "sweep_axes",
    "train",
]

HIDDEN = 32
#: Steps of training per configuration (batches of ``Data.batch_size``).
STEPS = 1000
MOMENTUM = 0.9
#: Held-out accuracy of a guess: two balanced classes.
CHANCE = 0.5

#: The default grid: peak learning rates x warmup steps (a zero-length warmup among
#: them), for warmup + cosine decay over ``STEPS``.
PEAKS = (0.03, 0.3, 1.0, 3.0)
WARMUPS = (0, 100, 300, 600)


@dataclass(frozen=True)
class Data:
    """Two interleaved spirals: a training split and a held-out split."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    batch_size: int

    @property
    def batches(self) -> int:
        """Full batches per pass over the training split."""
        return len(self.x_train) // self.batch_size


def _spirals(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    turns = 2.0
    y = rng.integers(0, 2, size=n)
    angle = np.sqrt(rng.uniform(0.0, 1.0, size=n)) * turns * 2 * np.pi
    radius = angle / (turns * 2 * np.pi)
    phase = angle + np.pi * y  # the second spiral is the first turned by 180 degrees
    x = np.stack([radius * np.cos(phase), radius * np.sin(phase)], axis=1)
    x = 2.0 * (x + 0.02 * rng.normal(size=x.shape))
    return x.astype(np.float32), y.astype(np.int32)


def make_data(
    train: int = 1024, test: int = 1024, batch_size: int = 128, seed: int = 0
) -> Data:
    """Two interleaved spirals (2 turns each) in 2-D, made with NumPy.

    Args:
      train: points in the training split.
      test: points in the held-out split (drawn independently).
      batch_size: the training batch size.
      seed: the NumPy random seed of the data.

    Returns:
      The two splits; labels are 0 or 1, balanced in expectation (chance 0.5).
    """
    rng = np.random.default_rng(seed)
    x_train, y_train = _spirals(train, rng)
    x_test, y_test = _spirals(test, rng)
    return Data(x_train, y_train, x_test, y_test, batch_size)


def make_arrays(data: Data) -> tuple[np.ndarray, ...]:
    """``(x batches, y batches, x held-out, y held-out)``: what the training program
    takes as arguments (the data are arguments, never compiled in as constants)."""
    n, size = data.batches, data.batch_size
    used = n * size
    return (
        data.x_train[:used].reshape(n, size, 2),
        data.y_train[:used].reshape(n, size),
        data.x_test,
        data.y_test,
    )


def _init_params(seed: int = 42) -> dict[str, np.ndarray]:
    """The initial parameters, made with NumPy (the same for every configuration)."""
    rng = np.random.default_rng(seed)

    def dense(fan_in: int, fan_out: int, scale: float) -> np.ndarray:
        return (rng.normal(size=(fan_in, fan_out)) * scale).astype(np.float32)

    return {
        "w1": dense(2, HIDDEN, 1.0),
        "b1": np.zeros(HIDDEN, np.float32),
        "w2": dense(HIDDEN, HIDDEN, HIDDEN**-0.5),
        "b2": np.zeros(HIDDEN, np.float32),
        "w3": dense(HIDDEN, 2, HIDDEN**-0.5),
        "b3": np.zeros(2, np.float32),
    }


def _logits(params: dict[str, jax.Array], x: jax.Array) -> jax.Array:
    hidden = jnp.tanh(x @ params["w1"] + params["b1"])
    hidden = jnp.tanh(hidden @ params["w2"] + params["b2"])
    return hidden @ params["w3"] + params["b3"]


def _loss(params: dict[str, jax.Array], x: jax.Array, y: jax.Array) -> jax.Array:
    logits = _logits(params, x)
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


def _train(
    learning_rate: Any,
    arrays: tuple[Any, ...],
    steps: int,
    momentum: float | None = MOMENTUM,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Train from the fixed initial parameters; pure and traceable."""
    xb, yb, x_test, y_test = arrays
    xb, yb = jnp.asarray(xb), jnp.asarray(yb)
    optimizer = optax.sgd(learning_rate=learning_rate, momentum=momentum)
    params = jax.tree.map(jnp.asarray, _init_params())
    state = optimizer.init(params)

    def step(carry: Any, index: jax.Array) -> tuple[Any, jax.Array]:
        params, state = carry
        batch = index % xb.shape[0]
        loss, grads = jax.value_and_grad(_loss)(params, xb[batch], yb[batch])
        updates, state = optimizer.update(grads, state, params)
        return (optax.apply_updates(params, updates), state), loss

    (params, _), curve = jax.lax.scan(step, (params, state), jnp.arange(steps))
    accuracy = (_logits(params, x_test).argmax(-1) == y_test).mean()
    return curve[-1], accuracy, curve


def train(
    schedule: Any,
    data: Data,
    steps: int = STEPS,
    momentum: float | None = MOMENTUM,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """SGD (with ``momentum``) with ``learning_rate=schedule`` for ``steps`` steps.

    Args:
      schedule: a jaxsched schedule (traced, batched under vmap, or concrete), or any
        optax learning rate (a number or a step -> rate callable).
      data: the spirals, from :func:`make_data`.
      steps: training steps (the batches are cycled).
      momentum: SGD momentum; ``None`` for plain SGD.

    Returns:
      The final training loss (the last batch's), the held-out accuracy, and the
      training loss of every step (shape ``(steps,)``).
    """
    return _train(schedule, make_arrays(data), steps, momentum)


def sweep_axes(steps: int = STEPS) -> dict[str, Any]:
    """The default grid's :func:`jaxsched.grid` arguments for ``steps`` steps."""
    warmups = [w for w in WARMUPS if w < steps]
    return {
        "init_value": 0.0,
        "peak_value": list(PEAKS),
        "warmup_steps": warmups,
        "decay_steps": steps,
    }


def search_axes(steps: int = STEPS) -> dict[str, Any]:
    """The random search's :func:`jaxsched.sample` arguments for ``steps`` steps:
    the peak log-uniform over the grid's range, the warmup uniform over whole steps."""
    from jaxsched.sweeps._search import int_uniform, log_uniform

    return {
        "init_value": 0.0,
        "peak_value": log_uniform(PEAKS[0], PEAKS[-1]),
        "warmup_steps": int_uniform(0, min(max(WARMUPS), steps - 1)),
        "decay_steps": steps,
    }


class _Counter:
    def __init__(self) -> None:
        self.traces = 0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any) -> Any:
            self.traces += 1
            return fn(*args)

        return counted


def _label(point: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in point.items()
    )


def _member(
    schedule: Schedule, arrays: tuple[Any, ...], steps: int
) -> tuple[jax.Array, ...]:
    """One member: final loss, held-out accuracy, loss curve, learning rates."""
    loss, accuracy, curve = _train(schedule, arrays, steps)
    return loss, accuracy, curve, schedule(jnp.arange(steps))


def _sweep(batched: Schedule, arrays: tuple[Any, ...], steps: int) -> dict[str, Any]:
    """Train every member of ``batched`` in one jitted, vmapped program (compile and
    run timed apart)."""
    counter = _Counter()
    vmapped = jax.vmap(lambda s, a: _member(s, a, steps), in_axes=(0, None))
    program = jax.jit(counter.wrap(vmapped))
    start = time.perf_counter()
    compiled = program.lower(batched, arrays).compile()
    compiled_at = time.perf_counter()
    losses, accs, curves, lrs = jax.block_until_ready(compiled(batched, arrays))
    end = time.perf_counter()
    return {
        "losses": np.asarray(losses),
        "accuracies": np.asarray(accs),
        "loss_curves": np.asarray(curves),
        "lr": np.asarray(lrs),
        "compiles": counter.traces,
        "seconds": end - start,
        "compile_seconds": compiled_at - start,
        "run_seconds": end - compiled_at,
    }


def loop(
    batched: Schedule, arrays: tuple[Any, ...], steps: int = STEPS
) -> dict[str, Any]:
    """The sweep as a loop over one compiled program: the member's schedule is an
    argument of the jitted training function (a pytree), so it compiles once and is
    called once per member; the same work per member as the vmapped program.

    Returns:
      ``losses``, ``accuracies`` per member; ``compile_seconds``, ``run_seconds``
      and ``seconds`` (both).
    """
    members = unstack(batched)
    program = jax.jit(lambda s, a: _member(s, a, steps))
    start = time.perf_counter()
    compiled = program.lower(members[0], arrays).compile()
    compiled_at = time.perf_counter()
    outs = jax.block_until_ready([compiled(m, arrays) for m in members])
    end = time.perf_counter()
    return {
        "losses": np.asarray([float(o[0]) for o in outs]),
        "accuracies": np.asarray([float(o[1]) for o in outs]),
        "seconds": end - start,
        "compile_seconds": compiled_at - start,
        "run_seconds": end - compiled_at,
    }


def baseline(
    points: Sequence[dict[str, Any]], arrays: tuple[Any, ...], steps: int = STEPS
) -> dict[str, Any]:
    """The sweep without jaxsched: one ``optax.warmup_cosine_decay_schedule`` closure
    per configuration, each training program jitted and run on its own.

    Args:
      points: the configurations (``init_value``, ``peak_value``, ``warmup_steps``,
        ``decay_steps``, as keyword arguments of the optax factory).
      arrays: the data, from :func:`make_arrays`.
      steps: training steps.

    Returns:
      ``losses`` and ``accuracies`` per configuration; ``compile_seconds`` (the K
      compilations), ``run_seconds`` and ``seconds`` (both).
    """
    losses, accuracies = [], []
    compile_seconds = run_seconds = 0.0
    for point in points:
        schedule = optax.warmup_cosine_decay_schedule(**point)  # all four arguments
        program = jax.jit(
            lambda arrays, schedule=schedule: _train(schedule, arrays, steps)
        )
        start = time.perf_counter()
        compiled = program.lower(arrays).compile()
        compiled_at = time.perf_counter()
        loss, accuracy, _ = jax.block_until_ready(compiled(arrays))
        compile_seconds += compiled_at - start
        run_seconds += time.perf_counter() - compiled_at
        losses.append(float(loss))
        accuracies.append(float(accuracy))
    return {
        "losses": np.asarray(losses),
        "accuracies": np.asarray(accuracies),
        "seconds": compile_seconds + run_seconds,
        "compile_seconds": compile_seconds,
        "run_seconds": run_seconds,
    }


def _best(accuracies: np.ndarray, losses: np.ndarray) -> int:
    """The highest held-out accuracy; ties broken by the lower final loss."""
    losses = np.where(np.isfinite(losses), losses, np.inf)
    return int(np.lexsort((losses, -np.nan_to_num(accuracies, nan=-1.0)))[0])


def run(
    steps: int = STEPS,
    schedules: Sequence[Schedule] | Schedule | None = None,
    *,
    compare: bool = True,
    trials: int = 0,
    key: int = 0,
) -> dict[str, Any]:
    """Run the demo and return its results (used by the CLI and the tests).

    Args:
      steps: training steps per configuration.
      schedules: replaces the default grid: a list of same-structure schedules or a
        stacked (batched) schedule such as a :func:`jaxsched.grid`.
      compare: also train the default grid the way it is done without jaxsched (one
        jitted optax closure per configuration) and as a loop over one compiled
        program (:func:`loop`), and time all three.
      trials: members of a random search (:func:`jaxsched.sample`) trained beside the
        grid; 0 for none.
      key: the random search's ``jax.random.key`` seed.

    Returns:
      A dict with
        ``task``: what is trained (a line of text); ``chance``: its chance accuracy;
        ``keras``: ``(schedule, final loss, held-out accuracy)`` of the Keras docs'
        example;
        ``sweep``: ``[(member schedule, final loss, held-out accuracy), ...]``;
        ``labels``: a short text per member (the swept arguments and values);
        ``best``: the index of the best member (highest held-out accuracy);
        ``lr``: the learning rate each member used at each step, ``(members, steps)``;
        ``loss_curves``: each member's training loss at each step;
        ``compiles``: how often the sweep program was compiled (traced);
        ``seconds``: the sweep's wall time, compile included, and
        ``compile_seconds`` / ``run_seconds`` its two parts; ``steps``;
        ``baseline``: :func:`baseline`'s result (``None`` without ``compare``);
        ``loop``: :func:`loop`'s result (``None`` without ``compare``);
        ``random``: the random search (``None`` without ``trials``): ``sweep``,
        ``labels``, ``best``, ``compiles``, ``seconds`` as for the grid.
    """
    if steps < 1:
        raise ValueError(f"run: steps must be >= 1. Received: {steps}")
    if trials < 0:
        raise ValueError(f"run: trials must be >= 0. Received: {trials}")
    data = make_data()
    arrays = make_arrays(data)
    points: list[dict[str, Any]] | None = None
    if schedules is None:
        axes = sweep_axes(steps)
        batched = grid(warmup_cosine_decay_schedule, **axes)
        points = grid_points(**axes)
        labels = [_label(p) for p in points]
    else:
        batched = schedules if isinstance(schedules, Schedule) else stack(schedules)
        batch_size(batched)  # a clear error for an unbatched schedule, before training
        labels = [_describe(member) for member in unstack(batched)]
    random_batched = None
    if trials:
        from jaxsched.sweeps._search import sample, sample_points

        space = search_axes(steps)
        random_key = jax.random.key(key)
        random_batched = sample(
            random_key, trials, warmup_cosine_decay_schedule, **space
        )
        random_labels = [_label(p) for p in sample_points(random_key, trials, **space)]

    keras = InverseTimeDecay(0.1, 1.0, 0.5)
    keras_loss, keras_acc, _ = jax.jit(
        lambda arrays: _train(keras, arrays, steps, momentum=None)
    )(arrays)

    grid_run = _sweep(batched, arrays, steps)
    members = unstack(batched)
    results: dict[str, Any] = {
        "task": (
            f"two interleaved spirals in 2-D ({len(data.x_train)} training points, "
            f"{len(data.x_test)} held out; chance accuracy {CHANCE}); an MLP "
            f"2-{HIDDEN}-{HIDDEN}-2 (tanh), {steps} steps of optax SGD "
            f"(momentum {MOMENTUM}) on batches of {data.batch_size}"
        ),
        "chance": CHANCE,
        "keras": (keras, float(keras_loss), float(keras_acc)),
        "sweep": list(zip(members, grid_run["losses"], grid_run["accuracies"])),
        "labels": labels,
        "best": _best(grid_run["accuracies"], grid_run["losses"]),
        "lr": grid_run["lr"],
        "loss_curves": grid_run["loss_curves"],
        "compiles": grid_run["compiles"],
        "seconds": grid_run["seconds"],
        "compile_seconds": grid_run["compile_seconds"],
        "run_seconds": grid_run["run_seconds"],
        "steps": steps,
        "baseline": None,
        "loop": None,
        "random": None,
    }
    if compare and points is not None:
        held = {k: v for k, v in sweep_axes(steps).items() if k not in points[0]}
        results["baseline"] = baseline([{**held, **p} for p in points], arrays, steps)
        results["loop"] = loop(batched, arrays, steps)
    if random_batched is not None:
        found = _sweep(random_batched, arrays, steps)
        results["random"] = {
            "sweep": list(
                zip(unstack(random_batched), found["losses"], found["accuracies"])
            ),
            "labels": random_labels,
            "best": _best(found["accuracies"], found["losses"]),
            "compiles": found["compiles"],
            "seconds": found["seconds"],
        }
    return results


def _describe(schedule: Schedule) -> str:
    config = schedule.get_config()
    shown = {k: v for k, v in config.items() if k != "name"}
    return f"{type(schedule).__name__}(" + _label(shown) + ")"


def _best_line(
    kind: str, sweep: list[tuple[Schedule, Any, Any]], labels: list[str], best: int
) -> str:
    member, loss, acc = sweep[best]
    config = json.dumps(member.to_dict(), separators=(",", ":"))
    return (
        f"best{kind}: held-out accuracy {acc:.3f} (final loss {loss:.4f}) "
        f"at {labels[best]}; config {config}"
    )


def report(results: dict[str, Any]) -> str:
    """The demo's printed text."""
    _, loss, acc = results["keras"]
    sweep = results["sweep"]
    names = results["labels"]
    chance = results["chance"]
    lines = [
        f"task: {results['task']}",
        "",
        f"Keras docs example, InverseTimeDecay(0.1, 1.0, 0.5) with plain SGD: "
        f"held-out accuracy {acc:.3f} (chance {chance}), final loss {loss:.4f}",
        "",
        f"sweep: {len(sweep)} schedules trained together under jax.vmap "
        f"in one compiled program",
    ]
    width = max(map(len, ["configuration", *names]))
    lines.append(
        f"  {'configuration':<{width}}  {'held-out acc':>12}  {'final loss':>10}"
    )
    for name, (_, loss, acc) in zip(names, sweep):
        lines.append(f"  {name:<{width}}  {acc:>12.3f}  {loss:>10.4f}")
    lines += [
        "",
        _best_line("", sweep, names, results["best"]),
        f"compilations of the sweep program: {results['compiles']} "
        f"({results['seconds']:.2f} s, compile included)",
    ]
    found = results.get("random")
    if found is not None:
        lines.append(
            f"random search: {len(found['sweep'])} members drawn with jaxsched.sample, "
            f"trained in one program ({found['compiles']} compilation, "
            f"{found['seconds']:.2f} s)"
        )
        lines.append(
            _best_line(
                " (random search)", found["sweep"], found["labels"], found["best"]
            )
        )
    base = results.get("baseline")
    if base is not None:
        k = len(base["losses"])
        gaps = np.abs(base["accuracies"] - np.asarray([row[2] for row in sweep]))
        agree = int(np.sum(gaps <= 0.01))
        lines += [
            f"the same {k} configurations as separate optax runs "
            "(optax.warmup_cosine_decay_schedule closures, each jitted): held-out "
            f"accuracy within 0.01 of the sweep's for {agree} of {k}"
            + (
                ""
                if agree == k
                else "; the others train at the edge of stability, where rounding "
                "differences between programs (batched or not) grow"
            ),
        ]
        ways = [("one vmapped program", results)]
        if results.get("loop") is not None:
            ways.append(
                ("one compiled program called per configuration", results["loop"])
            )
        ways.append((f"{k} separate optax runs", base))
        lines.append(
            "time, compile + run: "
            + "; ".join(
                f"{name} {w['compile_seconds']:.2f} + {w['run_seconds']:.2f} s"
                for name, w in ways
            )
        )
        lines.append(
            f"speedup: one program {results['seconds']:.1f} s vs {k} separate optax "
            f"runs {base['seconds']:.1f} s "
            f"({base['seconds'] / results['seconds']:.1f}x)"
            + (
                ""
                if results.get("loop") is None
                else f"; vs one compiled program called {k} times "
                f"{results['loop']['seconds']:.1f} s "
                f"({results['loop']['seconds'] / results['seconds']:.1f}x)"
            )
        )
        explained = (
            f"the gain over separate optax runs is compilation ({k} compiles against 1)"
        )
        if results.get("loop") is not None:
            pace = results["loop"]["run_seconds"] / results["run_seconds"]
            explained += (
                f"; the run alone: the vmapped program {pace:.2f}x as fast as the loop"
            )
        lines.append(f"({explained})")
    return "\n".join(lines)
