"""Warmup, hold and decay around any schedule: the warmup-stable-decay family.

One class, :class:`WarmupHoldDecay`, covers the warmup-hold-decay shapes of the
training frameworks (Megatron's WSD, MaxText's ``wsd``, fairseq's ``tri_stage``,
NeMo's ``WarmupHold*``, praxis's ``LinearRampup*Decay``, timm's warmups and
decays, big_vision's multiplicative cooldown): a warmup of several shapes from a
start value, a hold, a decay of several shapes to a floor, and what comes after,
with every length in steps or as a fraction of a run length that is itself a leaf
(a sweep over the run length keeps a 10 % warmup at 10 %).
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numeric, child, leaf, static
from jaxsched.core._math import (
    as_step,
    compute_dtype,
    is_integer,
    safe_div,
    value_dtype,
    wide_int,
)
from jaxsched.core._schedule import Schedule, require_children
from jaxsched.core._validation import NON_NEGATIVE, POSITIVE, concrete

__all__ = ["WarmupHoldDecay"]

WARMUP_SHAPES = ("linear", "cosine", "power", "log", "exponential")
DECAY_SHAPES = ("linear", "cosine", "power", "polynomial", "exponential", "tanh")
HANDOVERS = ("shift", "jump", "continuous")
AFTER_END = ("hold", "extrapolate")
UNITS = ("steps", "fraction")
ROUNDINGS = ("none", "floor", "round", "ceil")

_ROUND = {"floor": np.floor, "round": np.round, "ceil": np.ceil}
_JROUND = {"floor": jnp.floor, "round": jnp.round, "ceil": jnp.ceil}


def _safe_power(base: jax.Array, exponent: jax.Array) -> jax.Array:
    """``base ** exponent`` for ``base >= 0`` and ``exponent > 0``: 0 at base 0,
    with finite gradients there."""
    positive = base > 0
    return jnp.where(positive, jnp.power(jnp.where(positive, base, 1), exponent), 0)


def _sin2(x: jax.Array) -> jax.Array:
    """``sin(pi / 2 * x) ** 2 == (1 - cos(pi * x)) / 2``, without cancellation."""
    return jnp.square(jnp.sin(x * (math.pi / 2)))


class WarmupHoldDecay(Schedule):
    """Warmup, hold, decay and after, around a schedule (warmup-stable-decay).

    With ``W, H, D`` the lengths of the warmup, the hold and the decay (phases
    ``[0, W)``, ``[W, W + H)``, ``[W + H, W + H + D)``), ``s`` the ``schedule``
    and ``y0, y1`` = ``init_value``,
    ``end_value``:

    * warmup, ``t < W``: ``y0 + (target - y0) * g(f)``, ``f = t / W``, where
      ``g`` is ``warmup_shape``: ``"linear"`` ``f``; ``"cosine"`` ``(1 - cos(pi
      f)) / 2``; ``"power"`` ``f ** warmup_power`` (the ease-in ramp ``y0 + f**p *
      (y1 - y0)``); ``"log"`` ``min(1, ln(1 + t) / ln(W))`` (DeepSpeed's
      ``warmup_type="log"``; linear where ``W <= 1``); ``"exponential"`` geometric,
      ``y0 * (target / y0) ** f`` (linear where ``y0`` or the target is not > 0);
    * hold, ``W <= t < W + H``: ``s(t')``;
    * decay, ``W + H <= t < W + H + D``: ``y1 + (s(t') - y1) * r(f)`` with ``f =
      (t - W - H) / D`` and ``r`` the ``decay_shape``: ``"linear"`` ``1 - f``;
      ``"cosine"`` ``(1 + cos(pi f)) / 2`` (with ``inclusive_end``, ``f = (t - W -
      H) / (D - 1)``: the decay reaches ``y1`` on its last step, MaxText's
      inclusive endpoint); ``"power"`` ``1 - f ** decay_power``
      (0.5: Megatron's ``minus_sqrt``, HF's ``1-sqrt``; praxis's
      ``Polynomial(origin="start")``, timm's ``power``); ``"polynomial"`` ``(1 - f)
      ** decay_power`` (optax, Keras); ``"exponential"`` ``(q ** f - q) / (1 - q)``
      with ``q = decay_rate`` (Megatron's ``2 * 0.5**f - 1`` is ``q = 0.5``; a
      geometric decay from ``p`` to ``y1``, fairseq's ``tri_stage`` and praxis's
      ``Exponential``, is ``q = y1 / p``; timm's ``exp`` ``decay_ratio``);
      ``"tanh"`` ``(1 - tanh(a + (b - a) f)) / 2`` with ``a, b = tanh_lower,
      tanh_upper`` (timm's ``TanhLRScheduler``: not exactly 1 and 0 at the ends).
      The decay multiplies what the schedule gives (big_vision's multiplicative
      cooldown, timm's WSD on a decaying stable phase), toward the floor ``y1``.
      Decays that are not a shape of a finite phase go in the schedule: an
      inverse square root or power law is a :class:`PowerLaw` schedule (it decays
      through the hold), a stair is a ``PiecewiseConstant`` one;
    * after, ``t >= W + H + D``: ``y1`` (``after_end="hold"``), or the decay's
      formula continued with ``f > 1`` (``"extrapolate"``: big_vision's cooldown
      factor ``(T - t) / C`` that goes below 0; shapes undefined there hold ``y1``).

    ``handover`` says which step ``t'`` the schedule sees and what the warmup ramps
    to: ``"shift"`` (default; timm's ``warmup_prefix=True``, jaxsched's
    :class:`Warmup`): ``t' = t - W``, target ``s(0)``; ``"jump"`` (timm's
    ``warmup_prefix=False`` for cosine and poly): ``t' = t``, target ``s(0)``, so the
    value jumps to ``s(W)`` when the warmup ends; ``"continuous"`` (timm's tanh,
    TF Model Garden's ``LinearWarmup``): ``t' = t``, target ``s(W)``.

    Durations: with ``unit="steps"`` ``warmup``, ``hold`` and ``decay`` are step
    counts; with ``unit="fraction"`` they are fractions of ``total_steps`` (a leaf),
    turned into steps by ``rounding``: ``"none"`` (Megatron's fractional warmup),
    ``"floor"`` (``int(x * total)``: MaxText, NeMo, fairseq), ``"round"`` (half to
    even, Python's ``round``: big_vision) or ``"ceil"``. The product is rounded in
    the compute dtype (float32 unless x64), so where ``x * total`` lies within
    float32 rounding of a whole number the step can differ by one from a float64
    framework's. With ``total_steps``, the phase left ``None`` (``hold`` by
    default) is the rest of the run (``total_steps - W - D`` or ``total_steps - W -
    H``, at least 0); with all three lengths given, ``total_steps`` serves the
    fractions only. Without ``total_steps``, ``hold=None`` holds forever (a warmup
    in front of a schedule; ``decay`` must then be 0). Steps below 0 give the
    step-0 value. With an integer step and whole lengths (integer leaves, or
    rounded fractions) the phases are compared and the offsets taken in integer
    arithmetic, exact at any step, and a zero-length phase is skipped (no NaN in
    values or gradients of a sweep member).

    Args:
      schedule: the value of the hold, e.g. ``Constant(peak)`` (child).
      warmup: ``W``, steps or a fraction; >= 0 (count leaf).
      hold: ``H``, steps or a fraction; >= 0; ``None``: the rest, or forever
        without ``total_steps`` (count leaf).
      decay: ``D``, steps or a fraction; >= 0; ``None``: the rest (count leaf).
      total_steps: the run length the fractions and the rest refer to; >= 0
        (count leaf, optional).
      init_value: ``y0``, where the warmup starts (leaf).
      end_value: ``y1``, the floor the decay reaches and holds (leaf).
      warmup_shape: ``"linear"``, ``"cosine"``, ``"power"``, ``"log"`` or
        ``"exponential"`` (static).
      decay_shape: ``"linear"``, ``"cosine"``, ``"power"``, ``"polynomial"``,
        ``"exponential"`` or ``"tanh"`` (static).
      warmup_power: the exponent of the ``"power"`` warmup; > 0 (leaf).
      decay_power: the exponent of the ``"power"`` and ``"polynomial"`` decays;
        > 0 (leaf).
      decay_rate: ``q`` of the ``"exponential"`` decay; > 0 (1: linear) (leaf).
      tanh_lower, tanh_upper: ``a`` and ``b`` of the ``"tanh"`` decay (leaves).
      handover: ``"shift"``, ``"jump"`` or ``"continuous"`` (static).
      after_end: ``"hold"`` or ``"extrapolate"`` (static).
      inclusive_end: the decay reaches ``end_value`` at step ``W + H + D - 1``
        (static).
      unit: ``"steps"`` or ``"fraction"`` (static).
      rounding: ``"none"``, ``"floor"``, ``"round"`` or ``"ceil"``; only with
        ``unit="fraction"`` (static).

    Raises:
      ValueError: a negative length, a fraction outside [0, 1], ``total_steps``
        missing where a fraction or the rest needs it (or a decay after a hold
        that never ends), both ``hold`` and ``decay`` None, lengths that exceed
        ``total_steps``, a rounding with ``unit="steps"``, a non-positive power or
        rate, or an unknown option.
      TypeError: ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> peak = jaxsched.Constant(1.0)
      >>> s = jaxsched.WarmupHoldDecay(peak, warmup=2, decay=4, total_steps=10,
      ...                              end_value=0.1)
      >>> print(" ".join(f"{float(s(t)):.3f}" for t in range(12)))
      0.000 0.500 1.000 1.000 1.000 1.000 1.000 0.775 0.550 0.325 0.100 0.100
      >>> f = jaxsched.WarmupHoldDecay(peak, warmup=0.1, hold=0, decay=None,
      ...                              total_steps=1000, decay_shape="cosine",
      ...                              unit="fraction")
      >>> f.key_steps(), f"{float(f(550)):.3f}"
      ((0, 100, 1000), '0.500')
    """

    schedule: Schedule = child()
    warmup: Numeric = leaf(default=0, check=NON_NEGATIVE, count=True)
    hold: Numeric | None = leaf(
        default=None, check=NON_NEGATIVE, count=True, optional=True
    )
    decay: Numeric | None = leaf(
        default=0, check=NON_NEGATIVE, count=True, optional=True
    )
    total_steps: Numeric | None = leaf(
        default=None, check=NON_NEGATIVE, count=True, optional=True
    )
    init_value: Numeric = leaf(default=0.0)
    end_value: Numeric = leaf(default=0.0)
    warmup_shape: str = static(default="linear", type=str, choices=WARMUP_SHAPES)
    decay_shape: str = static(default="linear", type=str, choices=DECAY_SHAPES)
    warmup_power: Numeric = leaf(default=1.0, check=POSITIVE)
    decay_power: Numeric = leaf(default=1.0, check=POSITIVE)
    decay_rate: Numeric = leaf(default=0.1, check=POSITIVE)
    tanh_lower: Numeric = leaf(default=-7.0)
    tanh_upper: Numeric = leaf(default=3.0)
    handover: str = static(default="shift", type=str, choices=HANDOVERS)
    after_end: str = static(default="hold", type=str, choices=AFTER_END)
    inclusive_end: bool = static(default=False, type=bool)
    unit: str = static(default="steps", type=str, choices=UNITS)
    rounding: str = static(default="none", type=str, choices=ROUNDINGS)

    # ------------------------------------------------------------ validation

    def _check(self) -> None:
        require_children(self)
        if self.unit == "steps" and self.rounding != "none":
            raise self._invalid("rounding", "'none' with unit='steps'")
        rest = [n for n in ("hold", "decay") if getattr(self, n) is None]
        if len(rest) > 1:
            raise self._invalid("decay", "given where hold is None (one rest phase)")
        if self.total_steps is None:
            if self.unit == "fraction":
                raise self._invalid("total_steps", "given for unit='fraction'")
            if self.decay is None:
                raise self._invalid("total_steps", "given for decay=None (the rest)")
            decay = self._concrete("decay")
            if rest and decay is not None and not bool(np.all(decay == 0)):
                raise self._invalid(
                    "total_steps",
                    "given, or hold (hold=None without total_steps holds forever, "
                    "and the decay would never start)",
                )
        if self.unit == "fraction":
            for name in ("warmup", "hold", "decay"):
                value = self._concrete(name)
                if value is not None and not bool(np.all(value <= 1)):
                    raise self._invalid(name, "a fraction in [0, 1] (unit='fraction')")
        if rest and self.total_steps is not None:
            lengths = self.phase_lengths()
            if lengths is not None and lengths[3] < 0:
                raise self._invalid(
                    "total_steps",
                    f">= the given phases ({lengths[0] + lengths[1] + lengths[2]:g} "
                    "steps)",
                )

    # ------------------------------------------------------------ lengths

    def phase_lengths(self) -> tuple[float, float, float, float] | None:
        """``(W, H, D, rest)`` in steps from the concrete leaves of one member
        (``rest``: what is left of ``total_steps`` for the rest phase before it is
        clipped at 0; 0 without one), or None where a leaf is not concrete."""
        values = {}
        for name in ("warmup", "hold", "decay", "total_steps"):
            raw = getattr(self, name)
            if raw is None:
                values[name] = None
                continue
            array = concrete(raw)
            if array is None or array.ndim:
                return None
            values[name] = float(array)
        total = values["total_steps"]

        def steps(x: float | None) -> float | None:
            if x is None or self.unit == "steps":
                return x
            assert total is not None
            y = float(np.float64(x) * np.float64(total))
            return float(_ROUND[self.rounding](y)) if self.rounding != "none" else y

        w, h, d = steps(values["warmup"]), steps(values["hold"]), steps(values["decay"])
        assert w is not None
        rest = 0.0
        if h is None and total is None:
            h = math.inf
        elif h is None:
            assert d is not None
            rest = total - w - d
            h = max(rest, 0.0)
        elif d is None:
            assert total is not None
            rest = total - w - h
            d = max(rest, 0.0)
        assert d is not None  # decay=None without total_steps is refused
        return w, h, d, rest

    def _lengths(self, ct: Any) -> tuple[jax.Array, jax.Array, jax.Array, bool]:
        """``(W, H, D, whole)`` as arrays: integer leaves stay integer (``whole``:
        every length is a whole number), fractions become ``ct`` steps."""
        total = None if self.total_steps is None else jnp.asarray(self.total_steps)

        def steps(x: Any) -> jax.Array | None:
            if x is None:
                return None
            x = jnp.asarray(x)
            if self.unit == "steps":
                return x
            assert total is not None
            y = x.astype(ct) * total.astype(ct)
            return _JROUND[self.rounding](y) if self.rounding != "none" else y

        w, h, d = steps(self.warmup), steps(self.hold), steps(self.decay)
        assert w is not None
        given = [x for x in (w, h, d, total) if x is not None]
        if all(is_integer(x) for x in given):
            dtype = np.result_type(*[np.dtype(x.dtype) for x in given])
            whole = True
        else:
            dtype, whole = ct, self.unit == "fraction" and self.rounding != "none"
        w = w.astype(dtype)
        if h is None and total is None:  # hold forever
            forever = jnp.iinfo(dtype).max if whole and dtype != ct else jnp.inf
            assert d is not None
            h, d = jnp.asarray(forever, dtype), d.astype(dtype)
        elif h is None:
            assert d is not None and total is not None
            d = d.astype(dtype)
            h = jnp.maximum(total.astype(dtype) - w - d, 0)
        elif d is None:
            assert total is not None
            h = h.astype(dtype)
            d = jnp.maximum(total.astype(dtype) - w - h, 0)
        return w, h.astype(dtype), d.astype(dtype), whole

    # ------------------------------------------------------------ evaluation

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        step = jnp.maximum(step, jnp.zeros((), step.dtype))  # below 0: step 0
        lct = compute_dtype(value_dtype(self.init_value, self.end_value))
        w, h, d, whole = self._lengths(lct)
        if is_integer(step) and whole:
            wide = wide_int(step.dtype)
            top = int(np.iinfo(wide).max)
            t = step.astype(wide)
            w, h, d = (
                jnp.minimum(x, top).astype(wide)
                if is_integer(x)
                else jnp.clip(x, 0, float(top // 2)).astype(wide)
                for x in (w, h, d)
            )
        else:
            ft = compute_dtype(step.dtype) if not is_integer(step) else lct
            ft = np.dtype(jnp.promote_types(ft, lct))
            t, w, h, d = (x.astype(ft) for x in (step, w, h, d))
        # Differences, not sums: exact for integers, and a hold that lasts forever
        # (the dtype's maximum, or inf) cannot overflow. ``elapsed`` may wrap where
        # the hold is not over; it is not used there.
        since_warmup = t - w
        warming = since_warmup < 0
        holding = since_warmup < h
        elapsed = since_warmup - h
        decaying = elapsed < d
        span = d
        if self.inclusive_end:  # the decay's last step, D - 1, reaches y1
            span = jnp.maximum(d - 1, jnp.zeros((), d.dtype))
        if self.after_end == "hold":
            elapsed = jnp.clip(elapsed, 0, span)
        else:
            elapsed = jnp.maximum(elapsed, 0)
        left = span - elapsed  # exact for integers: 0 at the decay's end

        if self.handover == "shift":
            local = jnp.maximum(since_warmup, jnp.zeros((), t.dtype))
        elif self.handover == "jump":
            local = jnp.where(warming, jnp.zeros((), t.dtype), t)
        else:
            local = jnp.maximum(t, w)
        inner = self.schedule(local)
        dtype = value_dtype(inner, self.init_value, self.end_value)
        ct = compute_dtype(dtype)
        value = inner.astype(ct)
        y0 = jnp.asarray(self.init_value, ct)
        y1 = jnp.asarray(self.end_value, ct)

        # Warmup: the fraction done, and the ramp from y0 to the target.
        wf = w.astype(ct)
        done = safe_div(jnp.clip(t.astype(ct), 0, wf), wf)
        ramp = y0 + (value - y0) * self._rise(done, t.astype(ct), wf, ct)
        if self.warmup_shape == "exponential":
            geometric = (y0 > 0) & (value > 0)
            start = jnp.where(geometric, y0, 1)
            ratio = jnp.where(geometric, value, 1) / start
            ramp = jnp.where(geometric, start * jnp.exp(done * jnp.log(ratio)), ramp)

        # Decay: the fractions done and left of D, from the exact differences.
        df = span.astype(ct)
        f = safe_div(elapsed.astype(ct), df)
        g = safe_div(left.astype(ct), df)
        rest = self._fall(f, g, ct)
        fallen = y1 + (value - y1) * rest
        after = y1 if self.after_end == "hold" else jnp.where(df > 0, fallen, y1)
        out = jnp.where(
            warming,
            ramp,
            jnp.where(holding, value, jnp.where(decaying, fallen, after)),
        )
        return out.astype(dtype)

    def _rise(self, f: jax.Array, t: jax.Array, w: jax.Array, ct: Any) -> jax.Array:
        """The warmup's ``g(f)`` (the exponential warmup: linear here)."""
        shape = self.warmup_shape
        if shape == "cosine":
            return _sin2(f)
        if shape == "power":
            return _safe_power(f, jnp.asarray(self.warmup_power, ct))
        if shape == "log":
            usable = w > 1
            log_w = jnp.log(jnp.where(usable, w, 2))
            logarithmic = jnp.log1p(jnp.clip(t, 0, w)) / log_w
            return jnp.where(usable, jnp.minimum(logarithmic, 1), f)
        return f

    def _fall(self, f: jax.Array, g: jax.Array, ct: Any) -> jax.Array:
        """The decay's ``r(f)``; ``g = (end - t) / D`` is ``1 - f`` taken from the
        exact remainder (no cancellation near the end)."""
        shape = self.decay_shape
        if shape == "linear":
            return g
        if shape == "cosine":
            return _sin2(g)
        if shape == "power":
            p = jnp.asarray(self.decay_power, ct)
            positive = f > 0
            log_f = jnp.log(jnp.where(positive, f, 1))
            return jnp.where(positive, -jnp.expm1(p * log_f), 1)
        if shape == "polynomial":
            return _safe_power(g, jnp.asarray(self.decay_power, ct))
        if shape == "exponential":
            q = jnp.asarray(self.decay_rate, ct)
            one = q == 1
            q = jnp.where(one, 2, q)
            # (q**f - q) / (1 - q) = q * (q**-g - 1) / (1 - q), accurate near the end
            return jnp.where(one, g, q * jnp.expm1(-g * jnp.log(q)) / (1 - q))
        a = jnp.asarray(self.tanh_lower, ct)
        b = jnp.asarray(self.tanh_upper, ct)
        return 0.5 * (1 - jnp.tanh(a + (b - a) * f))

    def key_steps(self) -> list[float]:
        """0 and the ends of the warmup, hold and decay (one member), and the
        schedule's own key steps where it acts (before the decay ends)."""
        lengths = self.phase_lengths()
        if lengths is None:
            return []
        w, h, d, _ = lengths
        end = w + h + d
        by = w if self.handover == "shift" else 0.0
        inner = [x for x in ks.shifted(self.schedule, by) if w <= x <= end]
        return [0.0, w, w + h, end, *inner]
