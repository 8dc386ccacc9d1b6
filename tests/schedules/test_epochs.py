"""``PerEpoch``: a schedule advanced once per epoch, against PyTorch's epoch loop.

The reference (``numpy_reference.epoch_of``) is the epoch a PyTorch loop that calls
``scheduler.step()`` every ``steps_per_epoch`` updates is in, in exact rational
arithmetic; the inner schedules' references are PyTorch's closed forms.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import numpy_reference as ref
import pytest
from helpers import call_padded

import jaxsched as js
from jaxsched.core._schedule import Schedule

BIG_STEP = 16777219  # 2**24 + 3: float32 rounds it to 2**24 + 4
BIG_EPOCH = 4194305  # 16777219 // 4194305 == 3, but float32 division says 4


class _EpochProbe(Schedule, registered_name="tests.epochs.EpochProbe"):
    """Returns the step it is given (as float32): the epoch index, made visible."""

    def __call__(self, step):
        return jnp.asarray(step, jnp.float32)


#: step sizes and epochs: every epoch boundary with its neighbours, far steps,
#: negative steps.
INT_STEPS = np.array(
    [-21, -20, -19, -11, -10, -9, -1, 0, 1, 6, 7, 8, 9, 10, 11, 19, 20, 21,
     29, 30, 31, 32, 33, 34, 99, 100, 101, 1000, 12345, 10**6],
    dtype=np.int32,
)  # fmt: skip
FLOAT_STEPS = np.array([-0.5, 0.0, 0.5, 2.49, 2.5, 9.99, 10.0, 10.5, 33.0, 1e4 + 0.25])
STEPS_PER_EPOCH = [1, 2, 7, 10, 33, 10.0, 2.5, 0.5]

CALL = jax.jit(jax.vmap(lambda s, t: s(t), in_axes=(0, None)))


def test_epoch_index_matches_the_pytorch_loop():
    probes = js.stack([js.PerEpoch(_EpochProbe(), n) for n in STEPS_PER_EPOCH])
    for steps in (INT_STEPS, FLOAT_STEPS.astype(np.float32)):
        got = np.asarray(CALL(probes, jnp.asarray(steps)))
        want = [
            [ref.epoch_of(n, float(np.float32(t))) for t in steps.tolist()]
            for n in STEPS_PER_EPOCH
        ]
        np.testing.assert_array_equal(got, np.array(want, np.float32))


def test_integer_steps_give_the_inner_schedule_integer_epochs():
    seen = []

    class Record(Schedule, registered_name="tests.epochs.Record"):
        def __call__(self, step):
            seen.append(jnp.asarray(step).dtype)
            return jnp.zeros(jnp.shape(step))

    # Traced only (jax.eval_shape: the same dtypes reach the inner schedule, and
    # nothing is compiled).
    for n in (10, 10.0, 2.5):
        jax.eval_shape(js.PerEpoch(Record(), n), jnp.arange(5))
    jax.eval_shape(js.PerEpoch(Record(), 10), jnp.arange(5, dtype=jnp.int16))
    jax.eval_shape(js.PerEpoch(Record(), 10), jnp.arange(5.0))
    assert seen == [jnp.int32] * 4 + [jnp.float32]


@pytest.mark.parametrize("steps_per_epoch", [BIG_EPOCH, float(BIG_EPOCH)])
def test_epochs_are_exact_beyond_2_pow_24(steps_per_epoch):
    assert BIG_STEP // BIG_EPOCH == 3
    assert np.floor(np.float32(BIG_STEP) / np.float32(BIG_EPOCH)) == 4
    schedule = js.PerEpoch(js.StepLR(1.0, 1, 0.5), steps_per_epoch)
    for step in (BIG_STEP, jnp.int32(BIG_STEP), np.int64(BIG_STEP)):
        assert float(schedule(step)) == 0.5**3
    assert float(jax.jit(schedule)(jnp.int32(BIG_STEP))) == 0.5**3
    boundary = 4 * BIG_EPOCH  # the first step of epoch 4
    got = jax.jit(lambda s, t: s(t))(schedule, jnp.array([boundary - 1, boundary]))
    np.testing.assert_array_equal(got, [0.5**3, 0.5**4])
    probe = js.PerEpoch(_EpochProbe(), steps_per_epoch)
    assert float(probe(jnp.int32(2**31 - 1))) == (2**31 - 1) // BIG_EPOCH


@pytest.mark.parametrize(
    ("inner", "reference"),
    [
        (js.StepLR(0.1, 3, 0.5), lambda e: ref.step_lr(0.1, 3, 0.5, e)),
        (
            js.MultiStepLR(1.0, [2, 5, 5], 0.1),
            lambda e: ref.multistep_lr(1.0, [2, 5, 5], 0.1, e),
        ),
        (
            js.CosineAnnealingLR(0.5, 8, 0.05),
            lambda e: ref.cosine_annealing_lr(0.5, 8, 0.05, e),
        ),
    ],
    ids=["StepLR", "MultiStepLR", "CosineAnnealingLR"],
)
def test_pytorch_schedulers_stepped_per_epoch(inner, reference):
    steps_per_epoch = 7
    schedule = js.PerEpoch(inner, steps_per_epoch)
    steps = INT_STEPS[INT_STEPS >= 0]
    got = np.asarray(jax.jit(lambda s, t: s(t))(schedule, jnp.asarray(steps)))
    want = [reference(ref.epoch_of(steps_per_epoch, t)) for t in steps.tolist()]
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_sweep_gradients_and_round_trip():
    members = [js.PerEpoch(js.StepLR(lr, 3, g), n) for lr, g, n in
               [(0.1, 0.5, 10), (0.2, 0.9, 4), (1.0, 0.1, 1)]]  # fmt: skip
    batch = js.stack(members)
    steps = jnp.asarray(INT_STEPS)
    np.testing.assert_array_equal(  # each member on its own: helpers.values
        CALL(batch, steps), np.stack([call_padded(m, INT_STEPS) for m in members])
    )
    # d/d learning_rate = gamma**k, d/d gamma = k * lr * gamma**(k - 1)
    grad = jax.jit(jax.grad(lambda s: s(jnp.int32(95)), allow_int=True))(members[0])
    k = (95 // 10) // 3
    np.testing.assert_allclose(grad.schedule.learning_rate, 0.5**k, rtol=1e-6)
    np.testing.assert_allclose(grad.schedule.gamma, k * 0.1 * 0.5 ** (k - 1), rtol=1e-6)
    data = members[1].to_dict()
    assert data["config"]["schedule"]["class_name"] == "StepLR"
    assert data["config"]["steps_per_epoch"] == 4
    np.testing.assert_array_equal(
        call_padded(js.from_dict(data), INT_STEPS), call_padded(members[1], INT_STEPS)
    )


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: js.PerEpoch(js.StepLR(0.1, 3), 0), ValueError, "steps_per_epoch"),
        (lambda: js.PerEpoch(js.StepLR(0.1, 3), -2.5), ValueError, "must be > 0"),
        (lambda: js.PerEpoch(js.StepLR(0.1, 3), float("nan")), ValueError, "finite"),
        (lambda: js.PerEpoch(js.StepLR(0.1, 3), "10"), TypeError, "steps_per_epoch"),
        (lambda: js.PerEpoch(lambda t: t, 10), TypeError, "Lambda"),
        (lambda: js.PerEpoch(None, 10), TypeError, "PerEpoch"),
    ],
)
def test_invalid_arguments_raise(build, error, match):
    with pytest.raises(error, match=match):
        build()


def test_docstring_examples_run():
    import doctest

    import jaxsched.schedules._epochs as module

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3 and result.failed == 0
