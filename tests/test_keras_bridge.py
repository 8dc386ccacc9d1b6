"""``jaxsched.keras``: jaxsched schedules as Keras 3 learning-rate schedules.

Real (tiny) Keras models on the JAX backend: the Keras docs example trains to the same
weights with ``to_keras(jaxsched.InverseTimeDecay(...))`` as with Keras's own class;
a composed schedule fits in Adam, is saved in a ``.keras`` file, and a fresh process
that only imports ``jaxsched.keras`` loads it with its full config and trains on to
the same weights as the process that saved it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import jax.numpy as jnp
import keras
import numpy as np
import pytest
from examples import EXAMPLES
from helpers import padded

import jaxsched as js
from jaxsched.core._fields import leaf
from jaxsched.core._math import as_step, compute_dtype, value_dtype
from jaxsched.core._validation import POSITIVE
from jaxsched.keras import KerasSchedule, to_keras

# Keras 3.15's ``Variable.numpy()`` (``get_weights``, ``model.save``) trips NumPy 2's
# copy-keyword DeprecationWarning, which this suite turns into an error (Keras's bug).
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


class _HalfLife(js.Schedule, registered_name="tests.keras_bridge.HalfLife"):
    """A user-registered schedule: ``initial * 2 ** (-step / half_life)``."""

    initial: Any = leaf()
    half_life: Any = leaf(check=POSITIVE, count=True)

    def __call__(self, step: Any) -> Any:
        step = as_step(step)
        dtype = value_dtype(self.initial)
        ct = compute_dtype(dtype)
        t = step.astype(ct) / jnp.asarray(self.half_life, ct)
        return (jnp.asarray(self.initial, ct) * jnp.exp2(-t)).astype(dtype)


SERIALIZABLE = [
    s
    for items in EXAMPLES.values()
    for s in items
    if not isinstance(s, js.Lambda) and "Lambda" not in repr(s)
]
COMPOSED = js.Warmup(js.CosineDecay(0.01, 40, alpha=0.1), 10) * 0.5


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]]) + 0.1).astype("float32")
    return x, y


def _model(optimizer: keras.optimizers.Optimizer) -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    return model


# ------------------------------------------------------------------ values


def test_wrapper_is_a_registered_keras_schedule():
    wrapped = to_keras(js.ExponentialDecay(0.1, 10, 0.5))
    assert isinstance(wrapped, keras.optimizers.schedules.LearningRateSchedule)
    assert keras.saving.get_registered_name(KerasSchedule) == "jaxsched>KerasSchedule"
    assert to_keras(wrapped) is wrapped


@pytest.mark.parametrize(
    "schedule",
    [
        js.ExponentialDecay(0.1, 7, 0.5, staircase=True),
        js.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]),
        COMPOSED,
        js.Join((js.Constant(1.0), js.Linear(1.0, 0.0, 5)), (3,)),
        _HalfLife(1.0, 4),
    ],
    ids=lambda s: type(s).__name__,
)
def test_values_on_keras_iteration_variables(schedule):
    # padded to the suite's one eager step shape (PADDED,): each op compiles once
    steps = np.asarray(padded([0, 1, 3, 9, 10, 11, 49, 50, 51, 1000]))
    assert steps.dtype == np.int32
    expected = np.asarray(schedule(jnp.asarray(steps)))
    wrapped = to_keras(schedule)
    # Keras's optimizer passes its ``iterations`` variable (an int variable).
    variable = keras.Variable(steps, dtype="int", trainable=False)
    result = wrapped(variable)
    assert result.dtype == expected.dtype
    np.testing.assert_array_equal(np.asarray(result), expected)


def test_every_example_round_trips_through_keras_serialization():
    for schedule in [*SERIALIZABLE, COMPOSED, _HalfLife(0.5, 3)]:
        data = keras.saving.serialize_keras_object(to_keras(schedule))
        assert data["registered_name"] == "jaxsched>KerasSchedule"
        assert data["config"] == {"schedule": schedule.to_dict()}
        restored = keras.optimizers.schedules.deserialize(json.loads(json.dumps(data)))
        assert isinstance(restored, KerasSchedule)
        assert restored.schedule.to_dict() == schedule.to_dict()
    assert len(SERIALIZABLE) > 50


def test_errors():
    with pytest.raises(TypeError, match=r"jaxsched\.Lambda"):
        to_keras(lambda step: 0.1)  # type: ignore[arg-type]
    keras_own = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    with pytest.raises(TypeError, match="ExponentialDecay"):
        to_keras(keras_own)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expected"):
        KerasSchedule.from_config({"initial_learning_rate": 0.1})
    with pytest.raises(ValueError, match="unknown schedule class"):
        KerasSchedule.from_config({"schedule": {"class_name": "Nope", "config": {}}})
    lam = to_keras(js.Lambda(lambda t: 0.1 + 0.0 * t))  # trains, cannot be saved
    step = keras.Variable(3, dtype="int32", trainable=False)
    assert float(lam(step)) == np.float32(0.1)
    with pytest.raises(TypeError, match="cannot be serialized"):
        lam.get_config()


# ------------------------------------------------------------- real models


def test_keras_docs_example_trains_like_keras_inverse_time_decay():
    x, y = _data()
    weights = []
    for schedule in (
        to_keras(js.InverseTimeDecay(0.1, 1.0, 0.5)),
        keras.optimizers.schedules.InverseTimeDecay(0.1, 1.0, 0.5),
    ):
        model = _model(keras.optimizers.SGD(learning_rate=schedule))
        model.fit(x, y, epochs=5, batch_size=8, shuffle=False, verbose=0)
        assert int(model.optimizer.iterations) == 20
        weights.append(model.get_weights())
    for ours, theirs in zip(*weights):
        np.testing.assert_array_equal(ours, theirs)
    assert not np.array_equal(weights[0][0], _model("sgd").get_weights()[0])


_LOAD_SCRIPT = """
import json, sys
import numpy as np
import jaxsched
assert "keras" not in sys.modules, "import jaxsched imported keras"
import jaxsched.keras
import keras
x, y, path = np.load(sys.argv[1]), np.load(sys.argv[2]), sys.argv[3]
model = keras.models.load_model(path)
lr = model.optimizer._learning_rate
before = int(model.optimizer.iterations)
model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
print(json.dumps({
    "type": type(lr).__name__,
    "config": lr.get_config(),
    "iterations": [before, int(model.optimizer.iterations)],
    "lr": [float(lr(s)) for s in range(0, 60, 7)],
    "weights": [w.tolist() for w in model.get_weights()],
}))
"""


def test_composed_schedule_in_adam_saves_and_loads_in_a_fresh_process(tmp_path):
    x, y = _data()
    model = _model(keras.optimizers.Adam(learning_rate=to_keras(COMPOSED)))
    model.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)  # go on here

    files = [str(tmp_path / "x.npy"), str(tmp_path / "y.npy"), str(path)]
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu")
    result = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT, *files],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["type"] == "KerasSchedule"
    assert loaded["config"] == {"schedule": COMPOSED.to_dict()}
    assert loaded["iterations"] == [12, 16]
    expected = [float(COMPOSED(s)) for s in range(0, 60, 7)]
    assert loaded["lr"] == expected
    for theirs, ours in zip(loaded["weights"], model.get_weights()):
        np.testing.assert_array_equal(np.asarray(theirs, dtype=ours.dtype), ours)
