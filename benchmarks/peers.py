"""The peers: each benchmarked schedule with its optax and Keras twins."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")


try:  # Keras is a test extra: the benchmark runs without it.
    import keras

    if keras.backend.backend() != "jax":  # pragma: no cover
        keras = None
except ImportError:  # pragma: no cover
    keras = None

# Schedule hyperparameters shared by the twins (a 10M-step run covers every phase).
LR, PEAK, T, RATE, W = 0.1, 0.1, 2_000_000, 0.96, 500_000
BOUNDS = [1_000_000 * i for i in range(1, 10)]


@dataclass(frozen=True)
class Pair:
    """A jaxsched schedule and its twins; a builder takes its library's module."""

    name: str
    family: str  # "exponential" (target 1.5x optax) or "other" (target 1.0x)
    jaxsched: Callable[[Any], Any]
    optax: Callable[[Any], Any] | None = None
    keras: Callable[[Any], Any] | None = None


def keras_schedules(module):
    return module.optimizers.schedules


def _scales(n: int, scale: float = 0.9) -> dict[int, float]:
    return {b: scale for b in BOUNDS[:n]}


def _onecycle_kw() -> dict[str, Any]:
    return {"transition_steps": 9_000_000, "peak_value": PEAK}


def _wexp(staircase: bool) -> Callable[[Any], Any]:
    def build(m):
        return m.warmup_exponential_decay_schedule(
            0.0, PEAK, W, T, RATE, 1000, staircase=staircase, end_value=1e-3
        )

    return build


def _sgdr(m):
    cycles = [
        {"init_value": 0.0, "peak_value": PEAK, "warmup_steps": W, "decay_steps": d}
        for d in (3_000_000, 3_000_000, 4_000_000)
    ]
    return m.sgdr_schedule(cycles)


def _join(m):
    parts = [m.linear_schedule(0.0, PEAK, W), m.cosine_decay_schedule(PEAK, 9 * T)]
    return m.join_schedules(parts, [W])


# Every schedule with an optax or Keras twin; a name jaxsched does not have (yet) is
# skipped. The exponential family is held to 1.5x optax, the rest to 1.0x.
PAIRS: tuple[Pair, ...] = (
    Pair(
        "ExponentialDecay",
        "exponential",
        lambda m: m.ExponentialDecay(LR, T, RATE),
        lambda m: m.exponential_decay(LR, T, RATE),
        lambda m: keras_schedules(m).ExponentialDecay(LR, T, RATE),
    ),
    Pair(
        "ExponentialDecay(staircase)",
        "exponential",
        lambda m: m.ExponentialDecay(LR, 1000, RATE, staircase=True),
        lambda m: m.exponential_decay(LR, 1000, RATE, staircase=True),
        lambda m: keras_schedules(m).ExponentialDecay(LR, 1000, RATE, staircase=True),
    ),
    Pair(
        "InverseTimeDecay",
        "exponential",
        lambda m: m.InverseTimeDecay(LR, 1000, 0.5),
        None,
        lambda m: keras_schedules(m).InverseTimeDecay(LR, 1000, 0.5),
    ),
    Pair(
        "InverseTimeDecay(staircase)",
        "exponential",
        lambda m: m.InverseTimeDecay(LR, 1000, 0.5, staircase=True),
        None,
        lambda m: keras_schedules(m).InverseTimeDecay(LR, 1000, 0.5, staircase=True),
    ),
    Pair(
        "exponential_decay(begin,end)",
        "exponential",
        lambda m: m.exponential_decay(LR, T, RATE, 1000, end_value=1e-3),
        lambda m: m.exponential_decay(LR, T, RATE, 1000, end_value=1e-3),
    ),
    Pair(
        "exponential_decay(staircase)",
        "exponential",
        lambda m: m.exponential_decay(LR, 1000, RATE, 1000, True, 1e-3),
        lambda m: m.exponential_decay(LR, 1000, RATE, 1000, True, 1e-3),
    ),
    Pair(
        "warmup_exponential_decay_schedule",
        "exponential",
        _wexp(False),
        _wexp(False),
    ),
    Pair(
        "warmup_exponential_decay_schedule(staircase)",
        "exponential",
        _wexp(True),
        _wexp(True),
    ),
    # optax's constant_schedule returns the bare number, not an array shaped like the
    # step: no twin to compare with, only the floor.
    Pair("constant_schedule", "other", lambda m: m.constant_schedule(LR)),
    Pair(
        "linear_schedule",
        "other",
        lambda m: m.linear_schedule(LR, 1e-3, T, 1000),
        lambda m: m.linear_schedule(LR, 1e-3, T, 1000),
    ),
    Pair(
        "polynomial_schedule",
        "other",
        lambda m: m.polynomial_schedule(LR, 1e-3, 2.0, T, 1000),
        lambda m: m.polynomial_schedule(LR, 1e-3, 2.0, T, 1000),
    ),
    Pair(
        "PolynomialDecay",
        "other",
        lambda m: m.PolynomialDecay(LR, T, 1e-3, power=2.0),
        lambda m: m.polynomial_schedule(LR, 1e-3, 2.0, T),
        lambda m: keras_schedules(m).PolynomialDecay(LR, T, 1e-3, power=2.0),
    ),
    Pair(
        "PolynomialDecay(cycle)",
        "other",
        lambda m: m.PolynomialDecay(LR, T, 1e-3, power=2.0, cycle=True),
        None,
        lambda m: keras_schedules(m).PolynomialDecay(
            LR, T, 1e-3, power=2.0, cycle=True
        ),
    ),
    Pair(
        "cosine_decay_schedule",
        "other",
        lambda m: m.cosine_decay_schedule(LR, 9 * T, 0.01, 2.0),
        lambda m: m.cosine_decay_schedule(LR, 9 * T, 0.01, 2.0),
    ),
    Pair(
        "CosineDecay",
        "other",
        lambda m: m.CosineDecay(LR, 9 * T, 0.01),
        lambda m: m.cosine_decay_schedule(LR, 9 * T, 0.01),
        lambda m: keras_schedules(m).CosineDecay(LR, 9 * T, 0.01),
    ),
    Pair(
        "CosineDecay(warmup)",
        "other",
        lambda m: m.CosineDecay(0.0, 9 * T, 0.0, warmup_target=PEAK, warmup_steps=W),
        lambda m: m.warmup_cosine_decay_schedule(0.0, PEAK, W, 9 * T + W),
        lambda m: keras_schedules(m).CosineDecay(
            0.0, 9 * T, 0.0, warmup_target=PEAK, warmup_steps=W
        ),
    ),
    Pair(
        "CosineDecayRestarts",
        "other",
        lambda m: m.CosineDecayRestarts(LR, 1_000_000, 2.0, 0.9, 0.01),
        None,
        lambda m: keras_schedules(m).CosineDecayRestarts(LR, 1_000_000, 2.0, 0.9, 0.01),
    ),
    Pair(
        "PiecewiseConstantDecay",
        "other",
        lambda m: m.PiecewiseConstantDecay(BOUNDS, [LR * 0.9**i for i in range(10)]),
        None,
        lambda m: keras_schedules(m).PiecewiseConstantDecay(
            BOUNDS, [LR * 0.9**i for i in range(10)]
        ),
    ),
    Pair(
        "piecewise_constant_schedule",
        "other",
        lambda m: m.piecewise_constant_schedule(LR, _scales(9)),
        lambda m: m.piecewise_constant_schedule(LR, _scales(9)),
    ),
    Pair(
        "piecewise_interpolate_schedule(linear)",
        "other",
        lambda m: m.piecewise_interpolate_schedule("linear", LR, _scales(9)),
        lambda m: m.piecewise_interpolate_schedule("linear", LR, _scales(9)),
    ),
    Pair(
        "piecewise_interpolate_schedule(cosine)",
        "other",
        lambda m: m.piecewise_interpolate_schedule("cosine", LR, _scales(9)),
        lambda m: m.piecewise_interpolate_schedule("cosine", LR, _scales(9)),
    ),
    Pair(
        "warmup_constant_schedule",
        "other",
        lambda m: m.warmup_constant_schedule(0.0, PEAK, W),
        lambda m: m.warmup_constant_schedule(0.0, PEAK, W),
    ),
    Pair(
        "warmup_cosine_decay_schedule",
        "other",
        lambda m: m.warmup_cosine_decay_schedule(0.0, PEAK, W, 9 * T, 1e-3, 1.0),
        lambda m: m.warmup_cosine_decay_schedule(0.0, PEAK, W, 9 * T, 1e-3, 1.0),
    ),
    Pair("sgdr_schedule", "other", _sgdr, _sgdr),
    Pair(
        "cosine_onecycle_schedule",
        "other",
        lambda m: m.cosine_onecycle_schedule(**_onecycle_kw()),
        lambda m: m.cosine_onecycle_schedule(**_onecycle_kw()),
    ),
    Pair(
        "linear_onecycle_schedule",
        "other",
        lambda m: m.linear_onecycle_schedule(**_onecycle_kw()),
        lambda m: m.linear_onecycle_schedule(**_onecycle_kw()),
    ),
    Pair("join_schedules", "other", _join, _join),
)
