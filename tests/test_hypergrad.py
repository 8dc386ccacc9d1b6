"""Hypergradients: d(final loss of an unrolled training) / d(schedule hyperparameters).

Float leaves are differentiable. Integer leaves (``decay_steps=1000``) are not: plain
``jax.grad`` refuses them, ``jax.grad(..., allow_int=True)`` gives them a ``float0``
(zero-size, no information) cotangent, and a step count given as a float
(``decay_steps=1000.0``) gets a real derivative (zero under ``staircase``, where the
value is piecewise constant in it).
"""

import dataclasses
import functools

import helpers
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jaxsched as js

UNROLL = 8


def _final_loss(schedule, optimizer="sgd"):
    """Train a linear model for ``UNROLL`` optax steps; the loss at the end."""
    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.normal(size=(32, 4)))
    y = jnp.asarray(x @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.normal(size=32))

    def loss(w):
        return jnp.mean((x @ w - y) ** 2)

    tx = optax.sgd(schedule) if optimizer == "sgd" else optax.adam(schedule)
    w = jnp.zeros(4, x.dtype)
    state = tx.init(w)

    def step(carry, _):
        w, state = carry
        updates, state = tx.update(jax.grad(loss)(w), state, w)
        return (optax.apply_updates(w, updates), state), None

    (w, _), _ = jax.lax.scan(step, (w, state), None, length=UNROLL)
    return loss(w)


def _central_difference(f, schedule, name, h=1e-6):
    value = getattr(schedule, name)
    up = dataclasses.replace(schedule, **{name: value + h})
    down = dataclasses.replace(schedule, **{name: value - h})
    return (f(up) - f(down)) / (2 * h)


CASES = [
    ("sgd", js.ExponentialDecay(0.05, 3.0, 0.6)),
    ("sgd", js.InverseTimeDecay(0.08, 2.0, 0.7)),
    ("adam", js.ExponentialDecay(0.1, 4.0, 0.8)),
]


FIELDS = ("initial_learning_rate", "decay_steps", "decay_rate")
H = 1e-6


@functools.cache
def _finite_difference_results():
    """For every case (float64): the analytic hypergradient, the loss's dtype and
    the central differences of every field. Every case's gradient in one program
    and every loss (each schedule on its own, ``lax.map``) in one program: two
    compiles where there were two per case."""
    optimizers = [optimizer for optimizer, _ in CASES]
    with jax.enable_x64(True):
        schedules = [helpers.rebuild_x64(schedule) for _, schedule in CASES]
        grads = jax.jit(
            lambda ss: [
                jax.grad(_final_loss)(s, o) for s, o in zip(ss, optimizers, strict=True)
            ]
        )(schedules)
        # per case: the schedule, then each field moved up and down by H
        groups = [
            js.stack(
                [s]
                + [
                    dataclasses.replace(s, **{n: float(getattr(s, n)) + sign * H})
                    for n in FIELDS
                    for sign in (1, -1)
                ]
            )
            for s in schedules
        ]
        losses = jax.jit(
            lambda gs: [
                jax.lax.map(functools.partial(_final_loss, optimizer=o), g)
                for g, o in zip(gs, optimizers, strict=True)
            ]
        )(groups)
    out = {}
    for (optimizer, schedule), g, loss in zip(CASES, grads, losses, strict=True):
        loss = np.asarray(loss)
        numeric = {
            n: (loss[1 + 2 * i] - loss[2 + 2 * i]) / (2 * H)
            for i, n in enumerate(FIELDS)
        }
        out[optimizer, id(schedule)] = (g, loss.dtype, numeric)
    return out


@pytest.mark.parametrize(
    ("optimizer", "schedule"), CASES, ids=[f"{o}-{type(s).__name__}" for o, s in CASES]
)
def test_hypergradient_matches_finite_differences(optimizer, schedule):
    grads, dtype, numeric = _finite_difference_results()[optimizer, id(schedule)]
    assert dtype == np.float64
    for name in FIELDS:
        analytic = float(getattr(grads, name))
        assert np.isfinite(analytic)
        assert abs(analytic) > 1e-8, name  # the check is not vacuous
        np.testing.assert_allclose(analytic, numeric[name], rtol=1e-5, err_msg=name)


#: Shared by the tests below: one compile per schedule structure.
_GRAD = jax.jit(jax.grad(_final_loss))
_GRAD_INT = jax.jit(jax.grad(_final_loss, allow_int=True))


def test_integer_leaves_need_allow_int_and_get_float0():
    schedule = js.ExponentialDecay(0.05, 3, 0.6)  # decay_steps is an int
    with pytest.raises(TypeError, match="allow_int"):
        jax.grad(_final_loss)(schedule)
    grads = _GRAD_INT(schedule)
    assert grads.decay_steps.dtype == jax.dtypes.float0
    as_float = _GRAD(dataclasses.replace(schedule, decay_steps=3.0))
    np.testing.assert_allclose(
        grads.initial_learning_rate, as_float.initial_learning_rate, rtol=1e-6
    )
    np.testing.assert_allclose(grads.decay_rate, as_float.decay_rate, rtol=1e-6)
    assert float(as_float.decay_steps) != 0.0


def test_staircase_step_count_has_zero_derivative():
    schedule = js.ExponentialDecay(0.05, 3.0, 0.6, staircase=True)
    grads = _GRAD(schedule)
    assert float(grads.decay_steps) == 0.0
    assert np.isfinite(float(grads.initial_learning_rate))


def test_gradient_with_respect_to_chosen_fields_only():
    schedule = js.ExponentialDecay(0.05, 3, 0.6)

    def loss_of(lr, rate):  # rebuilding inside grad: tracers skip validation
        return _final_loss(
            dataclasses.replace(schedule, initial_learning_rate=lr, decay_rate=rate)
        )

    d_lr, d_rate = jax.jit(jax.grad(loss_of, argnums=(0, 1)))(0.05, 0.6)
    full = _GRAD_INT(schedule)
    np.testing.assert_allclose(d_lr, full.initial_learning_rate, rtol=1e-6)
    np.testing.assert_allclose(d_rate, full.decay_rate, rtol=1e-6)


def test_hypergradients_of_a_whole_sweep_under_vmap():
    sweep = js.grid(
        js.ExponentialDecay,
        initial_learning_rate=[0.01, 0.05],
        decay_steps=[2.0, 5.0],
        decay_rate=[0.0, 0.7],  # decay_rate=0 is a degenerate member
    )
    grads = jax.jit(jax.vmap(jax.grad(_final_loss)))(sweep)
    for i, member in enumerate(js.unstack(sweep)):
        solo = _GRAD(member)
        for a, b in zip(jax.tree.leaves(grads), jax.tree.leaves(solo)):
            assert np.isfinite(a[i])
            np.testing.assert_allclose(a[i], b, rtol=2e-5, atol=1e-7)


def test_hypergradient_descent_improves_the_learning_rate():
    schedule = js.InverseTimeDecay(0.01, 4.0, 0.5)
    f = jax.jit(_final_loss)
    start = float(f(schedule))
    for _ in range(5):
        g = _GRAD(schedule)
        schedule = dataclasses.replace(
            schedule,
            initial_learning_rate=schedule.initial_learning_rate
            - 1e-3 * g.initial_learning_rate,
        )
    assert float(f(schedule)) < start


def test_hypergradient_through_a_factory_matches_finite_differences():
    # A composed schedule (Join of Linear and Cosine) rebuilt from a traced peak:
    # the peak appears in three leaves, and the factory's derivative sums them.
    def loss_of(peak, end):
        schedule = js.warmup_cosine_decay_schedule(0.0, peak, 3, UNROLL, end)
        return _final_loss(schedule)

    with jax.enable_x64(True):
        grad = jax.jit(jax.grad(loss_of, argnums=(0, 1)))
        f = jax.jit(loss_of)
        h = 1e-6
        for peak, end in ((0.05, 0.0), (0.08, 0.01)):
            d_peak, d_end = grad(peak, end)
            fd_peak = (f(peak + h, end) - f(peak - h, end)) / (2 * h)
            fd_end = (f(peak, end + h) - f(peak, end - h)) / (2 * h)
            assert abs(float(d_peak)) > 1e-8
            np.testing.assert_allclose(d_peak, fd_peak, rtol=1e-5)
            np.testing.assert_allclose(d_end, fd_end, rtol=1e-5, atol=1e-9)
