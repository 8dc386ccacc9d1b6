"""Training with optax: K models at once under vmap, one compilation, save/restore."""

import json
import runpy
from pathlib import Path
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from helpers import call_padded

import jaxsched as js

FEATURES, HIDDEN, SAMPLES, STEPS = 6, 8, 48, 12

OPTIMIZERS = {
    "sgd-momentum": lambda lr: optax.sgd(lr, momentum=0.9, nesterov=True),
    "adam": lambda lr: optax.adam(lr),
    "adamw": lambda lr: optax.adamw(lr, weight_decay=0.1),
}


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(SAMPLES, FEATURES)).astype(np.float32)
    w = rng.normal(size=(FEATURES,))
    y = (np.sin(x @ w) + 0.1 * rng.normal(size=SAMPLES)).astype(np.float32)
    return jnp.asarray(x), jnp.asarray(y)


def _init_numpy(seed):
    rng = np.random.default_rng(seed)
    return {
        "w1": (rng.normal(size=(FEATURES, HIDDEN)) / np.sqrt(FEATURES)).astype("f4"),
        "w2": (rng.normal(size=(HIDDEN,)) / np.sqrt(HIDDEN)).astype("f4"),
    }


def _init(seed):
    """One model's initial parameters (NumPy's generator: jax.random's eager
    programs cost seconds of compiling per key shape, and the tests are not about
    them)."""
    return jax.tree.map(jnp.asarray, _init_numpy(seed))


def _inits(seeds):
    """The initial parameters of ``_init(seed)`` for each seed, stacked."""
    models = [_init_numpy(seed) for seed in seeds]
    return jax.tree.map(lambda *xs: jnp.asarray(np.stack(xs)), *models)


def _loss(params, x, y):
    prediction = jnp.tanh(x @ params["w1"]) @ params["w2"]
    return jnp.mean((prediction - y) ** 2)


def _trainer(make_optimizer, traces):
    """(init, step): the optimizer is built from the schedule argument at trace time."""

    def init(params, schedule):
        return make_optimizer(schedule).init(params)

    def step(params, opt_state, schedule, x, y):
        traces.append(1)  # runs once per trace, i.e. once per compilation
        loss, grads = jax.value_and_grad(_loss)(params, x, y)
        updates, opt_state = make_optimizer(schedule).update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    return init, step


def _sweep():
    return js.grid(
        js.ExponentialDecay,
        initial_learning_rate=[0.01, 0.05, 0.2],
        decay_steps=[4, 10],
        decay_rate=0.5,
    )


def _warmup_cosine_sweep():
    # Step counts are swept too, a zero-length warmup among them.
    return js.grid(
        js.warmup_cosine_decay_schedule,
        init_value=0.0,
        peak_value=[0.02, 0.1],
        warmup_steps=[0, 3, 6],
        decay_steps=STEPS,
    )


SWEEPS = {"exponential": _sweep, "warmup-cosine": _warmup_cosine_sweep}
# The schedule enters every optimizer the same way (optax's scale_by_learning_rate at
# the update count); sgd-momentum and adamw hold sgd's and adam's transformations and
# more state, so they stand for those too.
RUNS = [
    ("sgd-momentum", "exponential"),
    ("adamw", "exponential"),
    ("adam", "warmup-cosine"),
]


@pytest.mark.parametrize(("name", "sweep"), RUNS, ids=[f"{a}-{b}" for a, b in RUNS])
def test_k_models_under_vmap_equal_k_separate_runs(name, sweep):
    x, y = _data()
    batched = SWEEPS[sweep]()
    members = js.unstack(batched)
    k = len(members)
    seeds = range(100, 100 + k)

    traces = []
    init, step = _trainer(OPTIMIZERS[name], traces)
    params = _inits(seeds)
    opt_state = jax.vmap(init)(params, batched)
    together = jax.jit(jax.vmap(step, in_axes=(0, 0, 0, None, None)))
    losses = []
    for _ in range(STEPS):
        params, opt_state, loss = together(params, opt_state, batched, x, y)
        losses.append(loss)
    assert len(traces) == 1
    losses = np.stack([np.asarray(x) for x in losses])  # (steps, k), in NumPy
    params = [np.asarray(leaf) for leaf in jax.tree.leaves(params)]

    separate_traces = []
    init1, step1 = _trainer(OPTIMIZERS[name], separate_traces)
    alone = jax.jit(step1)
    for i, member in enumerate(members):
        p = _init(seeds[i])
        s = init1(p, member)
        for t in range(STEPS):
            p, s, loss = alone(p, s, member, x, y)
            np.testing.assert_allclose(loss, losses[t][i], rtol=1e-5, atol=1e-7)
        for a, b in zip(jax.tree.leaves(p), params):
            np.testing.assert_allclose(a, b[i], rtol=1e-5, atol=1e-6)
    # K separate runs with different hyperparameter values: still one compilation.
    assert len(separate_traces) == 1
    assert float(losses[-1].min()) < float(losses[0].min())


def test_no_recompilation_across_hyperparameter_values():
    x, y = _data()
    traces = []
    init, step = _trainer(OPTIMIZERS["adam"], traces)
    jitted = jax.jit(step)
    params = _init(0)
    schedules = [
        js.ExponentialDecay(0.1, 1000, 0.96),
        js.ExponentialDecay(0.3, 500, 0.5),
        js.ExponentialDecay(1e-3, 7, 0.999),
    ]
    for schedule in schedules:
        jitted(params, init(params, schedule), schedule, x, y)
    assert len(traces) == 1
    # A sweep is one argument too: new grid values of the same size reuse it.
    together = jax.jit(jax.vmap(step, in_axes=(None, 0, 0, None, None)))
    for lrs in ([0.1, 0.2], [0.3, 0.4], [1e-4, 1.0]):
        sweep = js.grid(
            js.ExponentialDecay,
            initial_learning_rate=lrs,
            decay_steps=10,
            decay_rate=[0.5, 0.9],
        )
        opt_state = jax.vmap(init, in_axes=(None, 0))(params, sweep)
        together(params, opt_state, sweep, x, y)
    assert len(traces) == 2  # the vmapped program compiled once
    # What does recompile: a new structure (a static option such as `staircase`).
    other = js.ExponentialDecay(0.1, 10, 0.5, staircase=True)
    jitted(params, init(params, other), other, x, y)
    assert len(traces) == 3


def test_inject_hyperparams_reports_the_schedule_value():
    schedule = js.ExponentialDecay(0.5, 3, 0.5)
    optimizer = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
    params = {"w": jnp.ones(3)}
    state = optimizer.init(params)
    np.testing.assert_allclose(state.hyperparams["learning_rate"], 0.5, rtol=1e-6)
    update = jax.jit(optimizer.update)
    grads = {"w": jnp.full(3, 2.0)}
    lrs = call_padded(schedule, np.arange(8))  # helpers.values: a shared program
    for count in range(8):
        updates, state = update(grads, state, params)
        lr = lrs[count]  # the n-th update (from 0) uses schedule(n)
        np.testing.assert_allclose(state.hyperparams["learning_rate"], lr, rtol=1e-6)
        np.testing.assert_allclose(updates["w"], -2.0 * lr * jnp.ones(3), rtol=1e-6)


def test_inject_hyperparams_under_vmap_over_a_sweep():
    sweep = _sweep()
    params = {"w": jnp.ones(3)}
    grads = {"w": jnp.full(3, 2.0)}

    def run(schedule):
        optimizer = optax.inject_hyperparams(optax.adam)(learning_rate=schedule)
        state = optimizer.init(params)

        def body(state, _):
            _, state = optimizer.update(grads, state, params)
            return state, state.hyperparams["learning_rate"]

        return jax.lax.scan(body, state, None, length=6)[1]

    reported = jax.jit(jax.vmap(run))(sweep)
    expected = jax.jit(jax.vmap(lambda s: s(jnp.arange(6))))(sweep)
    np.testing.assert_allclose(reported, expected, rtol=1e-6)


class TrainState(NamedTuple):
    params: Any
    opt_state: Any
    schedule: js.Schedule


def _save(state, directory):
    arrays = jax.tree_util.tree_flatten_with_path((state.params, state.opt_state))[0]
    np.savez(
        directory / "arrays.npz",
        **{jax.tree_util.keystr(path): np.asarray(x) for path, x in arrays},
    )
    meta = {"schedule": state.schedule.to_dict(), "optimizer": "adam"}
    (directory / "state.json").write_text(json.dumps(meta, allow_nan=False))


def _restore(directory, template):
    meta = json.loads((directory / "state.json").read_text())
    schedule = js.from_dict(meta["schedule"])
    with np.load(directory / "arrays.npz") as stored:
        paths, treedef = jax.tree_util.tree_flatten_with_path(
            (template.params, template.opt_state)
        )
        leaves = [jnp.asarray(stored[jax.tree_util.keystr(p)]) for p, _ in paths]
    params, opt_state = jax.tree.unflatten(treedef, leaves)
    return TrainState(params, opt_state, schedule)


@pytest.mark.parametrize("batched", [False, True], ids=["single", "sweep"])
def test_schedule_in_train_state_survives_save_and_restore(tmp_path, batched):
    x, y = _data()
    traces = []
    init, step = _trainer(OPTIMIZERS["adam"], traces)

    def train_step(state):
        params, opt_state, _ = step(state.params, state.opt_state, state.schedule, x, y)
        return TrainState(params, opt_state, state.schedule)

    if batched:
        schedule = _sweep()
        params = _inits(range(200, 200 + js.batch_size(schedule)))
        opt_state = jax.vmap(init)(params, schedule)
        train_step = jax.vmap(train_step)
    else:
        schedule = js.InverseTimeDecay(0.05, 2, 0.5)
        params = _init(2)
        opt_state = init(params, schedule)
    train_step = jax.jit(train_step)
    state = TrainState(params, opt_state, schedule)
    for _ in range(5):
        state = train_step(state)
    _save(state, tmp_path)
    restored = _restore(tmp_path, template=state)
    # Out of jit the schedule's leaves are float32 arrays: compare with its own dict.
    assert restored.schedule.to_dict() == state.schedule.to_dict()
    assert jax.tree.structure(restored) == jax.tree.structure(state)
    for _ in range(5):
        state = train_step(state)
        restored = train_step(restored)
    for a, b in zip(jax.tree.leaves(state), jax.tree.leaves(restored)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6)
    assert len(traces) == 1  # the restored state reuses the compiled step


def test_example_script_trains_a_sweep_and_saves_the_best(tmp_path, capsys):
    script = Path(__file__).resolve().parents[1] / "examples" / "train_sweep.py"
    main = runpy.run_path(str(script), run_name="example")["main"]
    out = tmp_path / "best.json"
    result = main(["--steps", "20", "--out", str(out)])
    assert result["compiles"] == 1
    assert result["losses"].shape == (15,)
    saved = json.loads(out.read_text())
    assert js.from_dict(saved).to_dict() == saved == result["schedule"].to_dict()
    printed = capsys.readouterr().out
    assert "15 models trained together; train step compiled 1 time(s)" in printed
