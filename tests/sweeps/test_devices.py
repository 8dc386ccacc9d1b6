"""Sweeps and training across devices with jax.sharding, on 8 simulated CPU devices.

The device count is fixed when JAX starts, so the checks run in a fresh interpreter
with ``XLA_FLAGS=--xla_force_host_platform_device_count=8``.
"""

import textwrap

from helpers import run_python

SCRIPT = textwrap.dedent(
    """
    import jax
    import jax.numpy as jnp
    import numpy as np
    import optax
    from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

    import jaxsched as js

    assert jax.device_count() == 8, jax.devices()

    # 1. A sweep sharded on its member axis: 16 members, 2 per device.
    members_mesh = Mesh(np.array(jax.devices()), ("members",))
    sweep = js.grid(
        js.ExponentialDecay,
        initial_learning_rate=[0.01, 0.03, 0.1, 0.3],
        decay_steps=[5, 50],
        decay_rate=[0.5, 0.9],
    )
    by_member = NamedSharding(members_mesh, P("members"))
    sharded = jax.device_put(sweep, by_member)
    for leaf in jax.tree.leaves(sharded):
        assert leaf.sharding.is_equivalent_to(by_member, leaf.ndim), leaf.sharding
        assert {s.data.shape for s in leaf.addressable_shards} == {(2,)}
    steps = jnp.arange(0, 200, 7)
    evaluate = jax.jit(jax.vmap(lambda s: s(steps)))
    out = evaluate(sharded)
    assert out.shape == (16, steps.size)
    assert {s.data.shape for s in out.addressable_shards} == {(2, steps.size)}
    unsharded = np.stack([m(steps) for m in js.unstack(sweep)])
    np.testing.assert_allclose(np.asarray(out), unsharded, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(out), evaluate(sweep), rtol=0)

    # 2. The sweep's 16 models trained together, sharded on the member axis.
    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.normal(size=(64, 4)), jnp.float32)
    y = jnp.asarray(x @ np.array([1.0, -2.0, 0.5, 3.0]), jnp.float32)

    def loss_fn(w, x, y):
        return jnp.mean((x @ w - y) ** 2)

    def train_step(w, opt_state, schedule, x, y):
        tx = optax.adam(schedule)
        grads = jax.grad(loss_fn)(w, x, y)
        updates, opt_state = tx.update(grads, opt_state, w)
        return optax.apply_updates(w, updates), opt_state

    def train(schedule, x, y, n=10):
        w = jnp.zeros(4)
        state = optax.adam(schedule).init(w)
        for _ in range(n):
            w, state = train_step(w, state, schedule, x, y)
        return w

    many = jax.jit(jax.vmap(train, in_axes=(0, None, None)))
    w_sharded = many(sharded, x, y)
    assert {s.data.shape for s in w_sharded.addressable_shards} == {(2, 4)}
    np.testing.assert_allclose(np.asarray(w_sharded), many(sweep, x, y), rtol=1e-6)

    # 3. Data parallelism: the batch is split over 8 devices, the parameters, the
    #    optimizer state and the schedule are replicated.
    data_mesh = Mesh(np.array(jax.devices()), ("data",))
    replicated = NamedSharding(data_mesh, P())
    by_batch = NamedSharding(data_mesh, P("data"))
    schedule = js.as_arrays(js.InverseTimeDecay(0.05, 2, 0.5))
    traces = []

    def counted_step(*args):
        traces.append(1)
        return train_step(*args)

    step = jax.jit(counted_step)

    def run(schedule, x, y):
        w = jnp.zeros(4)
        state = optax.adam(schedule).init(w)
        for _ in range(10):
            w, state = step(w, state, schedule, x, y)
        return w, state

    w_ref, _ = run(schedule, x, y)  # one device
    schedule_r = jax.device_put(schedule, replicated)
    for leaf in jax.tree.leaves(schedule_r):
        assert leaf.sharding.is_fully_replicated
        assert len(leaf.sharding.device_set) == 8
    x_d, y_d = jax.device_put((x, y), by_batch)
    assert {s.data.shape for s in x_d.addressable_shards} == {(8, 4)}
    w0 = jax.device_put(jnp.zeros(4), replicated)
    state = jax.device_put(optax.adam(schedule_r).init(w0), replicated)
    w = w0
    for _ in range(10):
        w, state = step(w, state, schedule_r, x_d, y_d)
    assert w.sharding.is_fully_replicated
    np.testing.assert_allclose(np.asarray(w), np.asarray(w_ref), rtol=1e-5)
    assert len(traces) == 2, traces  # one device, then 8 devices: no more

    # 4. jaxsched.shard: the demo task's 16 models (spirals, MLP, SGD + momentum),
    #    2 per device, equal the unsharded sweep; a member count that does not divide
    #    is a clear error.
    from jaxsched.tools import _demo

    demo_sweep = js.grid(
        js.warmup_cosine_decay_schedule,
        init_value=0.0,
        peak_value=[0.03, 0.1, 0.3, 0.5],
        warmup_steps=[0, 5, 10, 20],
        decay_steps=30,
    )
    placed = js.shard(demo_sweep, members_mesh, axis="members")
    for leaf in jax.tree.leaves(placed):
        assert leaf.sharding.is_equivalent_to(by_member, leaf.ndim), leaf.sharding
    arrays = _demo.make_arrays(_demo.make_data())
    demo_train = jax.jit(
        jax.vmap(lambda s, a: _demo._train(s, a, 30), in_axes=(0, None))
    )
    loss_s, acc_s, curve_s = demo_train(placed, arrays)
    assert {s.data.shape for s in curve_s.addressable_shards} == {(2, 30)}
    loss_u, acc_u, curve_u = demo_train(demo_sweep, arrays)
    np.testing.assert_allclose(np.asarray(curve_s), np.asarray(curve_u), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(acc_s), np.asarray(acc_u), atol=2e-3)
    twelve = js.grid(js.Constant, value=list(np.linspace(0.1, 1.2, 12)))
    try:
        js.shard(twelve, members_mesh)
    except ValueError as error:
        assert "12 members cannot be split evenly over the 8 devices" in str(error)
    else:
        raise AssertionError("shard accepted 12 members on 8 devices")
    print("devices OK", jax.device_count())
    """
)


def test_sharded_sweep_and_data_parallel_training_on_8_cpu_devices():
    result = run_python("-c", SCRIPT, devices=8)
    assert "devices OK 8" in result.stdout
