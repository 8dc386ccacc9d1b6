"""float64 references of the field's vocabulary (imported at the end of ``truth``).

Warmup-hold-decay, power laws, cycles, seeded noise and clocks, each written from
its documented formula in NumPy float64. Cycles are found in exact rational
arithmetic (:class:`fractions.Fraction` of the float leaves), not with a
logarithm. The noise is its definition: jax's float32 uniform draw with the key
``fold_in(PRNGKey(seed), step mod 2**32)`` (jax, not jaxsched), turned into the
uniform or truncated normal noise in float64.
"""

from __future__ import annotations

import math
from fractions import Fraction
from statistics import NormalDist

import jax
import jax.numpy as jnp
import numpy as np
from truth import _f, reference, truth

# ------------------------------------------------------------- warmup-hold-decay

_ROUND = {"none": lambda x: x, "floor": math.floor, "round": round, "ceil": math.ceil}


def _lengths(s) -> tuple[float, float, float]:
    """``(W, H, D)`` in steps: fractions of ``total_steps`` rounded as asked (in
    float64), the phase left None the rest (at least 0), or a hold forever."""
    total = None if s.total_steps is None else _f(s.total_steps)

    def steps(x):
        if x is None:
            return None
        if s.unit == "steps":
            return _f(x)
        return float(_ROUND[s.rounding](_f(x) * total))

    w, h, d = steps(s.warmup), steps(s.hold), steps(s.decay)
    if h is None:
        h = math.inf if total is None else max(total - w - d, 0.0)
    if d is None:
        d = max(total - w - h, 0.0)
    return w, h, d


def _rise(s, f, t, w, v, y0):
    """The warmup's value at the fraction ``f`` (step ``t``) toward ``v``."""
    shape = s.warmup_shape
    if shape == "cosine":
        g = (1 - np.cos(np.pi * f)) / 2
    elif shape == "power":
        g = f ** _f(s.warmup_power)
    elif shape == "log":
        g = np.minimum(1.0, np.log1p(t) / np.log(w)) if w > 1 else f
    else:
        g = f
    linear = y0 + (v - y0) * g
    if shape != "exponential":
        return linear
    geometric = (y0 > 0) & (v > 0)
    ratio = np.where(geometric, v, 1.0) / (y0 if y0 > 0 else 1.0)
    return np.where(geometric, y0 * ratio**f, linear)


def _fall(s, f):
    """The decay's ``r(f)`` (``f`` may exceed 1: extrapolation)."""
    shape = s.decay_shape
    if shape == "linear":
        return 1 - f
    if shape == "cosine":
        return (1 + np.cos(np.pi * f)) / 2
    if shape == "power":
        return 1 - f ** _f(s.decay_power)
    if shape == "polynomial":
        return np.maximum(1 - f, 0.0) ** _f(s.decay_power)
    if shape == "exponential":
        q = _f(s.decay_rate)
        return 1 - f if q == 1 else (q**f - q) / (1 - q)
    a, b = _f(s.tanh_lower), _f(s.tanh_upper)
    return 0.5 * (1 - np.tanh(a + (b - a) * f))


@reference("WarmupHoldDecay")
def _warmup_hold_decay(s, t):
    w, h, d = _lengths(s)
    y0, y1 = _f(s.init_value), _f(s.end_value)
    t = np.maximum(t, 0.0)
    if s.handover == "shift":
        local = np.maximum(t - w, 0.0)
    elif s.handover == "jump":
        local = np.where(t < w, 0.0, t)
    else:
        local = np.maximum(t, w)
    v = truth(s.schedule, local)
    f_warm = np.clip(t, 0, w) / w if w > 0 else np.zeros(t.shape)
    ramp = _rise(s, f_warm, t, w, v, y0)
    elapsed = np.maximum(t - w - h, 0.0) if h < math.inf else np.zeros(t.shape)
    span = max(d - 1, 0.0) if s.inclusive_end else d
    f = elapsed / span if span > 0 else np.where(elapsed > 0, 1.0, 0.0)
    if s.after_end == "hold":
        f = np.minimum(f, 1.0)
    fallen = y1 + (v - y1) * _fall(s, f)
    after = fallen if (s.after_end == "extrapolate" and span > 0) else y1
    end = w + h + d
    return np.where(
        t < w, ramp, np.where(t < w + h, v, np.where(t < end, fallen, after))
    )


# ------------------------------------------------------------------ power laws


@reference("PowerLaw")
def _power_law(s, t):
    lr, p, tau, offset = map(_f, (s.init_value, s.exponent, s.timescale, s.offset))
    t = np.maximum(t, max(_f(s.min_step), 0.0))
    return lr * (offset + t / tau) ** p


@reference("Noam")
def _noam(s, t):
    d, w, scale = _f(s.d_model), _f(s.warmup_steps), _f(s.scale)
    t = np.maximum(t, 1.0)
    value = t**-0.5 if w == 0 else np.minimum(t**-0.5, t * w**-1.5)
    return scale * d**-0.5 * value


# ---------------------------------------------------------------------- cycles


def _cycle_of(x: float, period: Fraction, g: Fraction):
    """``(i, local)`` of the step ``x >= 0`` (exact), or None past the sum of all
    cycles (``g < 1``)."""
    fx = Fraction(x)
    if g == 1:
        i = math.floor(fx / period)
        return i, float(fx - i * period)
    if g < 1 and fx >= period / (1 - g):
        return None
    i, start, length = 0, Fraction(0), period
    while fx >= start + length:
        start += length
        length *= g
        i += 1
    return i, float((fx - start) / g**i)


@reference("Cycles")
def _cycles(s, t):
    period, g = Fraction(_f(s.period)), Fraction(_f(s.period_factor))
    decay, floor = _f(s.decay), _f(s.floor)
    limit = math.inf if s.limit is None else _f(s.limit)
    flat = t.ravel()
    count = np.zeros(flat.shape)
    local = np.zeros(flat.shape)
    ended = np.zeros(flat.shape, bool)
    for k, x in enumerate(flat):
        if x <= 0:
            local[k] = x
            continue
        found = _cycle_of(float(x), period, g)
        if found is None:
            ended[k] = True
        else:
            count[k], local[k] = found
    inner = truth(s.schedule, local)
    factor = decay**count
    if s.peak is not None and _f(s.peak) != floor:
        peak = _f(s.peak)
        factor = (factor * peak - floor) / (peak - floor)  # the peak decays
    value = floor + factor * (inner - floor)
    value = np.where(ended | (count >= limit), floor, value)
    return value.reshape(t.shape)


# ----------------------------------------------------------------------- noise


def _noise(s, whole: np.ndarray) -> np.ndarray:
    """The definition: one float32 uniform ``u`` per ``(seed, step mod 2**32)``
    (jax's bits), then in float64 ``pct * (2 u - 1)`` or the truncated normal's
    inverse CDF (Python's ``statistics.NormalDist``)."""
    key = jax.random.PRNGKey(np.uint32(int(_f(s.seed))))
    data = jnp.asarray(np.mod(whole.ravel(), 2**32).astype(np.uint32))

    def draw(k):
        return jax.random.uniform(jax.random.fold_in(key, k), (), jnp.float32)

    u = np.asarray(jax.jit(jax.vmap(draw))(data), np.float64)
    pct, std = _f(s.pct), _f(s.std)
    if s.distribution == "uniform":
        out = pct * (2 * u - 1)
    else:
        normal = NormalDist()
        hi = normal.cdf(pct / std)
        lo = 1 - hi
        out = np.array([std * normal.inv_cdf(lo + x * (hi - lo)) for x in u])
    return out.reshape(whole.shape)


@reference("MultiplicativeNoise")
def _multiplicative_noise(s, t):
    whole = np.floor(t).astype(np.int64)
    active = t >= _f(s.begin)
    if s.end is not None:
        active &= t < _f(s.end)
    return truth(s.schedule, t) * (1 + np.where(active, _noise(s, whole), 0.0))


# ---------------------------------------------------------------------- clocks


@reference("Clock")
def _clock(s, t):
    return truth(s.schedule, truth(s.clock, t))


@reference("StretchClock")
def _stretch_clock(s, t):
    return t / _f(s.factor)


@reference("PowerClock")
def _power_clock(s, t):
    p, h = _f(s.power), _f(s.horizon)
    return h * (np.maximum(t, 0.0) / h) ** p


@reference("TokenClock")
def _token_clock(s, t):
    b0, b1 = _f(s.initial_batch), _f(s.final_batch)
    ramp, length = _f(s.ramp), _f(s.sequence_length)
    t = np.maximum(t, 0.0)
    if s.ramp_unit == "steps":
        n = ramp
        if n == 0:
            return length * b1 * t
        u = np.minimum(t, n)
        rising = b0 * u + (b1 - b0) * u * u / (2 * n)
        return length * (rising + b1 * np.maximum(t - n, 0.0))
    samples = ramp / length
    if samples == 0 or b0 == b1:
        return length * b1 * t
    k = (b1 - b0) / samples
    t_end = math.log(b1 / b0) / k
    inside = b0 * np.expm1(k * np.minimum(t, t_end)) / k
    return length * np.where(t < t_end, inside, samples + b1 * (t - t_end))
