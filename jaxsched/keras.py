"""jaxsched schedules as Keras 3 learning-rate schedules (JAX backend).

``to_keras(schedule)`` wraps any jaxsched schedule (the Keras-named classes, the rest
of the catalogue, composites, user-registered classes) in a
``keras.optimizers.schedules.LearningRateSchedule`` that gives the schedule's values::

    import jaxsched
    from jaxsched.keras import to_keras

    schedule = jaxsched.Warmup(jaxsched.CosineDecay(1e-3, 1000), 100) * 0.5
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=to_keras(schedule)))

The wrapper is registered with Keras as ``"jaxsched>KerasSchedule"``: its
``get_config()`` is ``{"schedule": schedule.to_dict()}``, so ``model.save("m.keras")``
stores the whole composed schedule, and ``keras.models.load_model("m.keras")`` in a
process that has run ``import jaxsched.keras`` rebuilds it (with
:func:`jaxsched.from_dict`; no ``custom_objects`` needed).

This module imports Keras; ``import jaxsched`` alone never does. The schedule is
evaluated with JAX, so the wrapper works with Keras's JAX backend (the step Keras
passes is a JAX array or tracer there); other backends are refused with a clear error.
"""

from __future__ import annotations

from typing import Any

import keras

from jaxsched.core._schedule import Schedule
from jaxsched.core._serialization import from_dict

__all__ = ["KerasSchedule", "to_keras"]


@keras.saving.register_keras_serializable(package="jaxsched")
class KerasSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """A jaxsched schedule seen by Keras: ``KerasSchedule(s)(step) == s(step)``.

    Args:
      schedule: any jaxsched :class:`~jaxsched.Schedule`.

    Attributes:
      schedule: the wrapped schedule (a pytree; its leaves are the hyperparameters).
    """

    def __init__(self, schedule: Schedule):
        if not isinstance(schedule, Schedule):
            raise TypeError(
                "to_keras: expected a jaxsched Schedule (wrap a plain function in "
                f"jaxsched.Lambda first). Received: {type(schedule).__name__}"
            )
        self.schedule = schedule

    def __call__(self, step: Any) -> Any:
        backend = keras.backend.backend()
        if backend != "jax":
            raise RuntimeError(
                "jaxsched.keras: jaxsched schedules are evaluated with JAX and need "
                f"Keras's JAX backend (KERAS_BACKEND=jax). Current backend: {backend}"
            )
        return self.schedule(keras.ops.convert_to_tensor(step))

    def get_config(self) -> dict[str, Any]:
        """``{"schedule": schedule.to_dict()}`` (JSON-ready)."""
        return {"schedule": self.schedule.to_dict()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> KerasSchedule:
        """Rebuild from :meth:`get_config` output with :func:`jaxsched.from_dict`."""
        if not isinstance(config, dict) or set(config) != {"schedule"}:
            raise ValueError(
                "KerasSchedule.from_config: expected {'schedule': <a jaxsched "
                f"schedule dict>}}. Received: {config!r}"
            )
        return cls(from_dict(config["schedule"]))

    def __repr__(self) -> str:
        return f"KerasSchedule({self.schedule!r})"


def to_keras(schedule: Schedule) -> KerasSchedule:
    """A Keras ``LearningRateSchedule`` that gives ``schedule``'s values.

    Pass it as any Keras optimizer's ``learning_rate``. It is saved in ``.keras``
    files with the schedule's full config and loaded back after
    ``import jaxsched.keras``. A :class:`KerasSchedule` is returned unchanged.

    Raises:
      TypeError: ``schedule`` is not a jaxsched schedule.
    """
    if isinstance(schedule, KerasSchedule):
        return schedule
    return KerasSchedule(schedule)
