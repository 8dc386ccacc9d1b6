"""Parity with Keras 3 on its JAX backend: every Keras-named class, the real schedule.

Each case builds the jaxsched schedule and the Keras schedule from the same Python
arguments and evaluates both on a grid of integer and float steps: 0, negatives, every
boundary (stairs, cycle ends, restarts, warmup end) and its neighbours, and far
beyond the end (up to 10**6 + 1).

A third column is an exact re-implementation of Keras's formulas (float64, with cycle
boundaries in ``fractions.Fraction``). Everywhere Keras's formula is finite, jaxsched
must equal the exact value (rtol 1e-5, atol 1e-7 of the schedule's largest value);
wherever Keras's own float32 value is that accurate too, jaxsched must equal Keras.
``keras_float32_misses`` lists where float32 Keras is not: cancellation late in
long phases (``1 - step / decay_steps``, ``f - floor(f)``, ``1 + cos``), a
``ceil`` that XLA computes through a reciprocal, and restarts that Keras's rounded
logarithm puts in the previous cycle. Where Keras's formula is not finite (negative
steps, past the end of a shrinking ``CosineDecayRestarts``) the documented
behaviour is tested in ``test_keras.py``.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import CALL, call_padded
from helpers import eager as padded_eager

import jaxsched as js

keras = pytest.importorskip("keras")
if keras.backend.backend() != "jax":  # pragma: no cover - conftest sets it
    pytest.skip("Keras must run on its JAX backend", allow_module_level=True)
KS = keras.optimizers.schedules

RTOL = 1e-5
#: Absolute slack, as a fraction of the schedule's largest value: float32 rounding
#: of values that are themselves ~1e-7 of the peak (the bottom of a cosine).
ATOL = 1e-7

# --------------------------------------------------------------------------- cases


def _in_order(keys: str, rows) -> list[tuple[str, dict[str, Any]]]:
    """``(name, kwargs)`` from ``(name, values)`` rows: ``values`` are for the first of
    ``keys`` (Keras's argument order); the arguments after them keep their defaults."""
    return [(name, dict(zip(keys.split(), values))) for name, values in rows]


CASES: list[tuple[str, dict[str, Any]]] = [
    *_in_order(
        "initial_learning_rate decay_steps decay_rate staircase",
        [
            ("ExponentialDecay", (0.1, 10, 0.5)),
            ("ExponentialDecay", (0.1, 7, 0.9, True)),
            ("ExponentialDecay", (2.0, 2.5, 1.5)),
            ("ExponentialDecay", (1.0, 2.5, 0.5, True)),
            ("ExponentialDecay", (1.0, 10, 0.0)),
            ("InverseTimeDecay", (0.1, 1.0, 0.5)),
            ("InverseTimeDecay", (0.5, 10, 2.0, True)),
            ("InverseTimeDecay", (1.0, 7, 0.3)),
        ],
    ),
    *_in_order(
        "initial_learning_rate decay_steps end_learning_rate power cycle",
        [
            ("PolynomialDecay", (0.1, 10)),
            ("PolynomialDecay", (0.1, 10, 0.01, 2.0)),
            ("PolynomialDecay", (0.01, 100, 0.1, 0.5)),
            ("PolynomialDecay", (1.0, 2.5, 0.1, 3.0)),
            ("PolynomialDecay", (0.1, 10, 0.01, 1.0, True)),
            ("PolynomialDecay", (1.0, 7, 0.0, 0.5, True)),
        ],
    ),
    (
        "PolynomialDecay",
        dict(initial_learning_rate=1.0, decay_steps=3, power=2.0, cycle=True),
    ),
    (
        "PiecewiseConstantDecay",
        dict(boundaries=[10, 20, 1000], values=[1.0, 0.5, 0.1, 0.01]),
    ),
    ("PiecewiseConstantDecay", dict(boundaries=[0], values=[2.0, 1.0])),
    ("PiecewiseConstantDecay", dict(boundaries=[-5, 5], values=[0.3, 0.2, 0.1])),
    ("PiecewiseConstantDecay", dict(boundaries=[2.5, 7.5], values=[1.0, 0.5, 0.25])),
    (
        "PiecewiseConstantDecay",
        dict(
            boundaries=list(range(10, 400, 10)),
            values=[1.0 / (k + 1) for k in range(40)],
        ),
    ),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=100)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=100, alpha=0.1)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=12.5, alpha=0.2)),
    (
        "CosineDecay",
        dict(
            initial_learning_rate=0.0,
            decay_steps=100,
            warmup_target=1.0,
            warmup_steps=10,
        ),
    ),
    (
        "CosineDecay",
        dict(
            initial_learning_rate=0.2,
            decay_steps=50,
            alpha=0.05,
            warmup_target=1.0,
            warmup_steps=0,
        ),
    ),
    (
        "CosineDecay",
        dict(
            initial_learning_rate=1.0,
            decay_steps=7,
            warmup_target=0.5,
            warmup_steps=3,
        ),
    ),
    ("CosineDecayRestarts", dict(initial_learning_rate=1.0, first_decay_steps=10)),
    (
        "CosineDecayRestarts",
        dict(
            initial_learning_rate=1.0,
            first_decay_steps=10,
            t_mul=2.0,
            m_mul=0.5,
            alpha=0.1,
        ),
    ),
    (
        "CosineDecayRestarts",
        dict(initial_learning_rate=1.0, first_decay_steps=7, t_mul=1.0, m_mul=0.9),
    ),
    (
        "CosineDecayRestarts",
        dict(initial_learning_rate=0.5, first_decay_steps=10, t_mul=1.0, alpha=0.2),
    ),
    (
        "CosineDecayRestarts",
        dict(initial_learning_rate=0.5, first_decay_steps=10, t_mul=1.5, m_mul=1.0),
    ),
    (
        "CosineDecayRestarts",
        dict(
            initial_learning_rate=1.0,
            first_decay_steps=5,
            t_mul=10.0,
            m_mul=0.8,
            alpha=0.05,
        ),
    ),
    (
        "CosineDecayRestarts",
        dict(
            initial_learning_rate=1.0,
            first_decay_steps=100,
            t_mul=0.9,
            m_mul=0.5,
        ),
    ),
]

IDS = [f"{name}-{i}" for i, (name, _) in enumerate(CASES)]
cases = pytest.mark.parametrize(("name", "kwargs"), CASES, ids=IDS)

# --------------------------------------------------------------------------- steps

NEGATIVE = [-1000, -25, -11, -10, -9, -5, -2, -1]
BASE = [0, 1, 2, 3, 5, 7, 50, 99, 100, 101, 999, 1000, 1001]
FAR = [10**6 - 1, 10**6, 10**6 + 1]


def _starts(first: Any, t_mul: Any, count: int, sign: int = 1) -> list[Fraction]:
    """Exact restart steps of a CosineDecayRestarts schedule (cycles ``0..count``)."""
    g = Fraction(str(t_mul))
    if g == 1:
        return [Fraction(first) * k * sign for k in range(1, count + 1)]
    return [
        Fraction(first) * (g ** (k * sign) - 1) / (g - 1) for k in range(1, count + 1)
    ]


def marks(name: str, kw: dict[str, Any]) -> list[float]:
    """The steps where the case changes behaviour: stairs, ends, restarts."""
    if name in ("ExponentialDecay", "InverseTimeDecay"):
        n = kw["decay_steps"]
        return [n, 2 * n, 3 * n, 100 * n]
    if name == "PolynomialDecay":
        n = kw["decay_steps"]
        return [-n, n, 2 * n, 3 * n, 1000 * n]
    if name == "PiecewiseConstantDecay":
        return list(kw["boundaries"])
    if name == "CosineDecay":
        w = kw.get("warmup_steps", 0) if kw.get("warmup_target") is not None else 0
        return [-kw["decay_steps"], w, w + kw["decay_steps"]]
    if name == "CosineDecayRestarts":
        first, t_mul = kw["first_decay_steps"], kw.get("t_mul", 2.0)
        points = _starts(first, t_mul, 8)
        if t_mul > 1:
            points += _starts(first, t_mul, 3, sign=-1)
        return [float(p) for p in points if abs(p) < 2 * 10**6]
    raise AssertionError(name)


#: Every grid is padded to this length (repeating its last step), so that the eager
#: evaluations reuse their compiled ops across cases instead of compiling per shape.
GRID = 160


def _padded(steps: set[Any], dtype: Any) -> np.ndarray:
    ordered = sorted(steps)
    assert len(ordered) <= GRID
    return np.array(ordered + ordered[-1:] * (GRID - len(ordered)), dtype=dtype)


def int_steps(name: str, kw: dict[str, Any]) -> np.ndarray:
    steps = set(NEGATIVE + BASE + FAR)
    for b in marks(name, kw):
        for base in {math.floor(b), math.ceil(b)}:
            steps.update((base - 1, base, base + 1))
    return _padded(steps, np.int32)


def float_steps(name: str, kw: dict[str, Any]) -> np.ndarray:
    steps = {float(s) for s in NEGATIVE + BASE + FAR}
    steps.update([-0.5, 0.25, 0.5, 2.5, 99.5, 1e6 + 0.5])
    for b in marks(name, kw):
        steps.update((b - 0.5, b, b + 0.5))
    return _padded(steps, np.float32)


def steps_of(name: str, kw: dict[str, Any], kind: str) -> np.ndarray:
    return int_steps(name, kw) if kind == "int" else float_steps(name, kw)


# ------------------------------------------------------ exact reference (float64)


def _exact(t: Any) -> Fraction:
    return (
        Fraction(float(t)) if isinstance(t, (float, np.floating)) else Fraction(int(t))
    )


def _reference_one(name: str, kw: dict[str, Any], t: Any) -> float:
    """Keras's formula for one step, in exact or float64 arithmetic."""
    x = _exact(t)
    if name in ("ExponentialDecay", "InverseTimeDecay"):
        lr, n, rate = kw["initial_learning_rate"], kw["decay_steps"], kw["decay_rate"]
        p = x / Fraction(str(n))
        p = Fraction(math.floor(p)) if kw.get("staircase", False) else p
        if name == "ExponentialDecay":
            if rate == 0:
                return lr * (1.0 if p == 0 else 0.0 if p > 0 else math.inf)
            return lr * float(np.float64(rate) ** float(p))
        denominator = 1 + Fraction(str(rate)) * p
        return (
            math.copysign(math.inf, lr) if denominator == 0 else lr / float(denominator)
        )
    if name == "PolynomialDecay":
        lr, n = kw["initial_learning_rate"], Fraction(str(kw["decay_steps"]))
        end = kw.get("end_learning_rate", 0.0001)
        power = kw.get("power", 1.0)
        if kw.get("cycle", False):
            m = 1 if x == 0 else math.ceil(x / n)
            if m == 0:  # Keras divides by a zero horizon
                return math.nan
            base = 1 - x / (n * m)
        else:
            base = 1 - min(x, n) / n
        if base < 0 and power != int(power):
            return math.nan
        return (lr - end) * float(base) ** power + end
    if name == "PiecewiseConstantDecay":
        bounds, values = kw["boundaries"], kw["values"]
        if not isinstance(t, (float, np.floating)):  # Keras casts to the step's int
            bounds = [int(b) for b in bounds]
        index = sum(1 for b in bounds if x > _exact(b))
        return float(values[index])
    if name == "CosineDecay":
        lr, n = kw["initial_learning_rate"], Fraction(str(kw["decay_steps"]))
        alpha = kw.get("alpha", 0.0)
        target = kw.get("warmup_target")
        w = Fraction(str(kw.get("warmup_steps", 0)))
        if target is None:
            start, peak, x = Fraction(0), lr, min(x, n)
        else:
            x = min(x, n + w)
            if w == 0 and x < 0:
                return math.nan  # Keras divides by warmup_steps = 0
            if x < w:
                return lr + (target - lr) * float(x / w)
            start, peak = w, target
        cosine = 0.5 * (1 + math.cos(math.pi * float((x - start) / n)))
        return peak * ((1 - alpha) * cosine + alpha)
    if name == "CosineDecayRestarts":
        lr, n = kw["initial_learning_rate"], Fraction(kw["first_decay_steps"])
        g = Fraction(str(kw.get("t_mul", 2.0)))
        m_mul, alpha = kw.get("m_mul", 1.0), kw.get("alpha", 0.0)
        f = x / n
        if g == 1:
            i = math.floor(f)
            frac = f - i
        else:
            if 1 + f * (g - 1) <= 0:
                return math.nan  # Keras's log of a non-positive number
            i = math.floor(math.log(float(1 + f * (g - 1))) / math.log(float(g)))

            def start(k: int) -> Fraction:
                return (g**k - 1) / (g - 1)

            while start(i + 1) <= f:
                i += 1
            while start(i) > f:
                i -= 1
            frac = (f - start(i)) / g**i
        if m_mul == 0 and i < 0:
            return math.inf
        cosine = 0.5 * (1 + math.cos(math.pi * float(frac)))
        return lr * ((1 - alpha) * m_mul**i * cosine + alpha)
    raise AssertionError(name)


def reference(name: str, kw: dict[str, Any], steps: np.ndarray) -> np.ndarray:
    """The exact values; beyond float32's range they count as not finite (inf)."""
    out = np.array([_reference_one(name, kw, t) for t in steps.tolist()])
    big = np.finfo(np.float32).max
    return np.where(np.abs(out) > big, np.copysign(np.inf, out), out)


def restart_window(
    name: str, kw: dict[str, Any], steps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Steps within float32 resolution of a restart (``t_mul != 1``), and its peak.

    jaxsched takes a step within a few ulps of a restart to be the restart (its
    float32 closed form cannot tell the sides apart, and neither can Keras's); the
    exact value is then the previous cycle's end. Either side is accepted there.
    Returns the mask and, where it is set, the value at the restart.
    """
    near = np.zeros(steps.shape, bool)
    peak = np.full(steps.shape, np.nan)
    g = Fraction(str(kw.get("t_mul", 2.0)))
    if name != "CosineDecayRestarts" or g == 1:
        return near, peak
    lr, n = kw["initial_learning_rate"], Fraction(kw["first_decay_steps"])
    m_mul, alpha = kw.get("m_mul", 1.0), kw.get("alpha", 0.0)
    window = 32 * float(np.finfo(np.float32).eps)
    for index, t in enumerate(steps.tolist()):
        f = _exact(t) / n
        if 1 + f * (g - 1) <= 0:
            continue
        i = math.floor(math.log(float(1 + f * (g - 1))) / math.log(float(g)))
        for k in (i - 1, i, i + 1, i + 2):
            start = (g**k - 1) / (g - 1)
            if start != f and abs(f - start) <= window * abs(start):
                near[index] = True
                peak[index] = lr * ((1 - alpha) * m_mul**k + alpha)
    return near, peak


# --------------------------------------------------------------------- evaluation


def _grid_shaped(steps: Any) -> tuple[jnp.ndarray, int]:
    """``steps`` as int32 or float32, padded to ``(GRID,)``, and their count: every
    Keras evaluation has one shape."""
    steps = np.asarray(steps)
    steps = steps.astype(np.int32 if steps.dtype.kind in "iu" else np.float32)
    assert steps.ndim == 1 and 0 < steps.size <= GRID, steps.shape
    pad = np.full(GRID - steps.size, steps[-1], steps.dtype)
    return jnp.asarray(np.concatenate([steps, pad])), steps.size


def call(schedule: js.Schedule, steps: Any) -> np.ndarray:
    """``schedule(steps)`` jitted with the schedule passed in, as float64: the suite's
    one program per structure (``helpers.call_padded``)."""
    return call_padded(schedule, steps)


def eager(schedule: js.Schedule, steps: Any) -> np.ndarray:
    """``schedule(steps)`` called eagerly on int32 ``steps``, as float64, at the
    suite's one padded shape (``helpers.eager``): its ops compile once, for every
    case and with the suite's other eager calls."""
    return padded_eager(schedule, np.asarray(steps, np.int32)).astype(np.float64)


def ours(name: str, kw: dict[str, Any], steps: Any) -> np.ndarray:
    return call(getattr(js, name)(**kw), steps)


def keras_values(schedule: Any, steps: Any) -> np.ndarray:
    """Keras's values under one jitted vmap, at the one ``(GRID,)`` shape."""
    padded, size = _grid_shaped(steps)
    with np.errstate(all="ignore"):
        return np.asarray(jax.jit(jax.vmap(schedule))(padded), np.float64)[:size]


_KERAS_GRIDS: dict[str, dict[str, np.ndarray]] = {}


def keras_grid_values(name: str, kw: dict[str, Any], kind: str) -> np.ndarray:
    """Keras's values at ``steps_of(name, kw, kind)``: both kinds of step in one
    jitted vmap (one compile per case), kept for the other kind's test."""
    key = name + json.dumps(kw, sort_keys=True)
    if key not in _KERAS_GRIDS:
        schedule = jax.vmap(keras_schedule(name, kw))
        both = jax.jit(lambda ints, floats: (schedule(ints), schedule(floats)))
        ints, floats = int_steps(name, kw), float_steps(name, kw)
        with np.errstate(all="ignore"):
            at_ints, at_floats = both(jnp.asarray(ints), jnp.asarray(floats))
        _KERAS_GRIDS[key] = {
            "int": np.asarray(at_ints, np.float64),
            "float": np.asarray(at_floats, np.float64),
        }
    return _KERAS_GRIDS[key][kind]


def keras_schedule(name: str, kw: dict[str, Any]) -> Any:
    return getattr(KS, name)(**kw)


def _atol(ref: np.ndarray) -> float:
    finite = ref[np.isfinite(ref)]
    return ATOL * float(np.max(np.abs(finite))) if finite.size else 0.0


def relative_error(a: np.ndarray, b: np.ndarray, atol: float) -> np.ndarray:
    """``|a - b| / max(|b|, atol / RTOL)``: <= RTOL where rtol and atol allow it."""
    return np.abs(a - b) / np.maximum(np.abs(b), atol / RTOL)


def compare(name: str, kw: dict[str, Any], kind: str) -> dict[str, Any]:
    """The three columns and the masks at ``steps_of(name, kw, kind)``, for the
    assertions and for reports."""
    steps = steps_of(name, kw, kind)
    with np.errstate(all="ignore"):
        ref = reference(name, kw, steps)
    mine = ours(name, kw, steps)
    theirs = keras_grid_values(name, kw, kind)
    near, peak = restart_window(name, kw, steps)
    finite = np.isfinite(ref) & ~near
    atol = _atol(ref)
    with np.errstate(all="ignore"):
        keras_ok = finite & np.isclose(theirs, ref, rtol=RTOL, atol=atol)
        vs_exact = relative_error(mine, ref, atol)
        vs_keras = relative_error(mine, theirs, atol)
    return {
        "steps": steps,
        "ours": mine,
        "keras": theirs,
        "exact": ref,
        "finite": finite,
        "keras_ok": keras_ok,
        "near_restart": near,
        "restart_peak": peak,
        "atol": atol,
        "max_vs_exact": float(np.max(vs_exact[finite], initial=0.0)),
        "max_vs_keras": float(np.max(vs_keras[keras_ok], initial=0.0)),
    }


def keras_float32_misses(result: dict[str, Any]) -> list[tuple[float, float, float]]:
    """``(step, keras, exact)`` where Keras's float32 value is off by more than rtol."""
    miss = result["finite"] & ~result["keras_ok"]
    return [
        (float(t), float(k), float(e))
        for t, k, e in zip(
            result["steps"][miss], result["keras"][miss], result["exact"][miss]
        )
    ]


# -------------------------------------------------------------------------- values


@cases
@pytest.mark.parametrize("kind", ["int", "float"])
def test_values_equal_keras(name, kwargs, kind):
    steps = steps_of(name, kwargs, kind)
    result = compare(name, kwargs, kind)
    finite, keras_ok, atol = result["finite"], result["keras_ok"], result["atol"]
    assert not np.isnan(result["exact"][steps >= 0]).any() or (
        name == "CosineDecayRestarts" and kwargs.get("t_mul", 2.0) < 1
    ), "Keras's formula is defined at every step >= 0"
    # Everywhere Keras's formula is finite, jaxsched gives its exact value...
    np.testing.assert_allclose(
        result["ours"][finite], result["exact"][finite], rtol=RTOL, atol=atol
    )
    # ...and Keras's own value wherever float32 Keras is accurate.
    np.testing.assert_allclose(
        result["ours"][keras_ok], result["keras"][keras_ok], rtol=RTOL, atol=atol
    )
    # Within float32 resolution of a restart: the restart or the cycle's end.
    near = result["near_restart"]
    ends = np.isclose(result["ours"], result["exact"], rtol=RTOL, atol=atol)
    peaks = np.isclose(result["ours"], result["restart_peak"], rtol=RTOL, atol=atol)
    assert (ends | peaks)[near].all()
    # Float32 Keras is accurate on enough of the grid for the comparison to bite
    # (see keras_float32_misses for where it is not).
    assert keras_ok.sum() >= 10


@cases
def test_values_equal_exact_formula_under_x64(name, kwargs):
    """In float64 the values equal Keras's formula to float64 precision."""
    steps = int_steps(name, kwargs).astype(np.int64)
    with np.errstate(all="ignore"):
        ref = reference(name, kwargs, steps)
    finite = np.isfinite(ref)
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    try:  # the shared jitted call (x64 is part of its cache key), one shape
        out = CALL(getattr(js, name)(**kwargs), jnp.asarray(steps, jnp.int64))
        assert out.dtype == jnp.float64
        mine = np.asarray(out)
    finally:
        jax.config.update("jax_enable_x64", previous)
    scale = float(np.max(np.abs(ref[finite])))
    np.testing.assert_allclose(mine[finite], ref[finite], rtol=1e-9, atol=1e-13 * scale)


@cases
def test_jit_and_eager_agree_with_keras(name, kwargs):
    """The jitted schedule (leaves as arguments) gives the same numbers as the
    eager call (eager at the suite's one padded int32 shape: its ops compile once)."""
    steps = int_steps(name, kwargs)
    schedule = getattr(js, name)(**kwargs)
    with np.errstate(all="ignore"):
        atol = _atol(reference(name, kwargs, steps))
    np.testing.assert_allclose(
        call(schedule, steps), eager(schedule, steps), rtol=RTOL, atol=atol
    )


# --------------------------------------------------------------------- interop


def _same_config(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert list(a) == list(b)
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, list) or isinstance(y, list):
            assert list(x) == list(y), key
        else:
            assert x == y and type(x) is type(y), (key, x, y)


@cases
def test_config_keys_and_values_equal_keras(name, kwargs):
    mine = getattr(js, name)(**kwargs).get_config()
    theirs = keras_schedule(name, kwargs).get_config()
    assert list(mine.keys()) == list(theirs.keys())
    _same_config(mine, theirs)


def test_defaults_and_names_equal_keras():
    for name, kwargs in CASES:
        mine = getattr(js, name)(**kwargs).get_config()
        theirs = keras_schedule(name, kwargs).get_config()
        for key in set(theirs) - set(kwargs):  # the defaults
            assert mine[key] == theirs[key], (name, key)


@cases
def test_keras_deserializes_to_dict(name, kwargs):
    schedule = getattr(js, name)(**kwargs)
    data = json.loads(json.dumps(schedule.to_dict(), allow_nan=False))
    restored = KS.deserialize(data)
    direct = keras_schedule(name, kwargs)
    assert type(restored) is type(direct)
    _same_config(restored.get_config(), direct.get_config())
    steps = int_steps(name, kwargs)
    theirs = keras_values(restored, steps)
    np.testing.assert_array_equal(theirs, keras_grid_values(name, kwargs, "int"))
    with np.errstate(all="ignore"):
        ref = reference(name, kwargs, steps)
        atol = _atol(ref)
        ok = np.isfinite(ref) & np.isclose(theirs, ref, rtol=RTOL, atol=atol)
    ok &= ~restart_window(name, kwargs, steps)[0]
    mine = ours(name, kwargs, steps)
    np.testing.assert_allclose(mine[ok], theirs[ok], rtol=RTOL, atol=atol)


@cases
def test_from_dict_reads_keras_serialize(name, kwargs):
    direct = keras_schedule(name, kwargs)
    data = json.loads(json.dumps(KS.serialize(direct)))
    assert data["module"] == "keras.optimizers.schedules"
    schedule = js.from_dict(data)
    assert type(schedule) is getattr(js, name)
    _same_config(schedule.get_config(), direct.get_config())
    for kind in ("int", "float"):
        steps = steps_of(name, kwargs, kind)
        np.testing.assert_array_equal(call(schedule, steps), ours(name, kwargs, steps))


@pytest.mark.parametrize(
    "name",
    sorted({name for name, _ in CASES}),
)
def test_every_keras_schedule_class_is_covered(name):
    """Every schedule class Keras exports has a jaxsched class of the same name."""
    exported = {
        n
        for n, obj in vars(KS).items()
        if isinstance(obj, type)
        and issubclass(obj, KS.LearningRateSchedule)
        and obj is not KS.LearningRateSchedule
    }
    assert name in exported
    assert exported <= {n for n, _ in CASES}


# ------------------------------------------------- documented differences, pinned


def _keras_at(name: str, kw: dict[str, Any], steps: list[int]) -> np.ndarray:
    return keras_values(keras_schedule(name, kw), np.asarray(steps, np.int32))


def test_where_keras_is_not_finite_jaxsched_is_as_documented():
    """Each difference that the docstrings name: Keras's value, then ours."""
    steps = [-9, -5, -1]
    poly = dict(initial_learning_rate=0.1, decay_steps=10, end_learning_rate=0.01)
    cycle = {**poly, "power": 0.5, "cycle": True}
    assert not np.isfinite(_keras_at("PolynomialDecay", cycle, steps)).any()
    np.testing.assert_allclose(
        ours("PolynomialDecay", cycle, np.asarray(steps)),
        ours("PolynomialDecay", {**poly, "power": 0.5}, np.asarray(steps)),
        rtol=1e-6,
    )
    warm = dict(
        initial_learning_rate=0.2, decay_steps=50, warmup_target=1.0, warmup_steps=0
    )
    assert not np.isfinite(_keras_at("CosineDecay", warm, steps)).any()
    np.testing.assert_allclose(
        ours("CosineDecay", warm, np.asarray(steps)),
        ours("CosineDecay", dict(initial_learning_rate=1.0, decay_steps=50), steps),
        rtol=1e-6,
    )
    shrink = dict(initial_learning_rate=1.0, first_decay_steps=10, t_mul=0.5, alpha=0.1)
    assert np.isnan(_keras_at("CosineDecayRestarts", shrink, [20, 25, 1000])).all()
    np.testing.assert_allclose(
        ours("CosineDecayRestarts", shrink, np.asarray([20, 25, 1000])), 0.1, rtol=1e-6
    )
    grow = dict(initial_learning_rate=1.0, first_decay_steps=10)
    assert np.isnan(_keras_at("CosineDecayRestarts", grow, [-10, -100])).all()
    assert np.isnan(ours("CosineDecayRestarts", grow, np.asarray([-10, -100]))).all()


def test_restart_steps_where_keras_rounds_into_the_previous_cycle():
    """t_mul=10, first_decay_steps=5: restarts at 5, 55, 555, 5555; Keras gives the
    previous cycle's end (alpha) at 5, 55 and 5555."""
    kw = dict(
        initial_learning_rate=1.0,
        first_decay_steps=5,
        t_mul=10.0,
        m_mul=0.8,
        alpha=0.05,
    )
    restarts = np.asarray([5, 55, 555, 5555])
    peaks = [0.95 * 0.8**k + 0.05 for k in (1, 2, 3, 4)]
    theirs = _keras_at("CosineDecayRestarts", kw, restarts.tolist())
    np.testing.assert_allclose(theirs[[0, 1, 3]], 0.05, rtol=1e-6)
    np.testing.assert_allclose(theirs[2], peaks[2], rtol=1e-6)
    np.testing.assert_allclose(
        ours("CosineDecayRestarts", kw, restarts), peaks, rtol=1e-6
    )
    np.testing.assert_allclose(
        reference("CosineDecayRestarts", kw, restarts), peaks, rtol=1e-12
    )


def test_keras_int_learning_rate_breaks_ours_does_not():
    """Keras computes in the dtype of initial_learning_rate: an int truncates."""
    k = keras_schedule(
        "ExponentialDecay",
        dict(initial_learning_rate=1, decay_steps=10, decay_rate=0.5),
    )
    assert float(k(5)) == 0.0
    np.testing.assert_allclose(
        float(js.ExponentialDecay(1, 10, 0.5)(5)), 0.5**0.5, rtol=1e-6
    )
