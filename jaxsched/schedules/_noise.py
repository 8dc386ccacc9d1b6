"""Seeded multiplicative noise on a schedule: a pure function of ``(seed, step)``."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import ndtr, ndtri

from jaxsched.core import _key_steps as ks
from jaxsched.core._fields import Numeric, child, leaf, static
from jaxsched.core._math import as_step, compute_dtype, is_integer, value_dtype
from jaxsched.core._schedule import Schedule, require_children
from jaxsched.core._validation import POSITIVE, Check
from jaxsched.schedules._join import align_step

__all__ = ["MultiplicativeNoise"]

_WHOLE = Check(
    "a whole number >= 0", lambda a: (a >= 0) & (a == np.floor(a)) & (a < 2.0**32)
)


def noise_at(
    seed: Any, step: jax.Array, pct: Any, std: Any, distribution: str, dtype: Any
) -> jax.Array:
    """The noise ``n`` at each integer ``step`` (of the float ``dtype``, shaped like
    ``step``): one float32 uniform ``u`` in [0, 1) drawn with the key
    ``fold_in(PRNGKey(seed), step mod 2**32)`` (the same bits under jit, vmap and
    x64), turned into ``n`` in ``dtype``: ``pct * (2 u - 1)``, or the truncated
    normal by its inverse CDF, ``std * ndtri(lo + u * (hi - lo))`` with ``lo, hi =
    ndtr(-+pct / std)``."""
    key = jax.random.PRNGKey(jnp.asarray(seed).astype(jnp.uint32))
    data = jnp.ravel(step).astype(jnp.uint32)
    keys = jax.vmap(jax.random.fold_in, in_axes=(None, 0))(key, data)
    u = jax.vmap(lambda k: jax.random.uniform(k, (), jnp.float32))(keys)
    u = u.reshape(jnp.shape(step)).astype(dtype)
    pct = jnp.asarray(pct).astype(dtype)
    if distribution == "uniform":
        return pct * (2 * u - 1)
    std = jnp.asarray(std).astype(dtype)
    hi = ndtr(pct / std)
    lo = 1 - hi  # ndtr(-b), by symmetry
    return std * ndtri(lo + u * (hi - lo))


class MultiplicativeNoise(Schedule):
    """A schedule times ``1 + n``, ``n`` a seeded random number per step.

    timm's ``noise_range_t``, ``noise_pct``, ``noise_std``, ``noise_type`` and
    ``noise_seed``, as a pure function of the seed and the step.

    For ``begin <= step < end`` (``end=None``: no end) the value is
    ``schedule(step) * (1 + n)``; elsewhere ``schedule(step)``. ``n`` is

    * ``"normal"``: ``std * z`` with ``z`` a standard normal conditioned on
      ``|std * z| < pct`` (timm resamples until ``|std * z| < noise_pct``; here one
      uniform draw goes through the truncated normal's inverse CDF, which gives the
      same distribution with no loop and no redraws, so it jits and vmaps and can
      never run out of tries);
    * ``"uniform"``: uniform in ``(-pct, pct)``.

    ``n`` is a pure function of ``(seed, floor(step))``: one float32 uniform drawn
    with the key ``jax.random.fold_in(jax.random.PRNGKey(seed), step mod 2**32)``
    (the default PRNG implementation), the same bits under jit, vmap, x64 and on
    every device, turned into ``n`` in the compute dtype; a float step keeps the
    noise of its whole part. It has timm's distribution and range (timm 1.0.31
    draws ``noise_std * z`` until it is below ``noise_pct`` in size; older timm
    ignores ``noise_std``, which is ``std=1.0`` here) but is NOT bit-equal to timm's
    numbers (timm seeds ``torch.Generator`` with ``noise_seed + t``).

    Args:
      schedule: the schedule to perturb (child).
      seed: the seed; a whole number in [0, 2**32) (count leaf).
      pct: the bound on ``|n|``; > 0 (leaf).
      std: the standard deviation of the normal before truncation; > 0 (leaf).
      begin: the first step with noise (count leaf).
      end: the first step without noise after ``begin``; ``None``: never (count
        leaf, optional).
      distribution: ``"normal"`` or ``"uniform"`` (static).

    Raises:
      ValueError: a seed that is not a whole number in [0, 2**32), ``pct <= 0``,
        ``std <= 0``, or an unknown distribution.
      TypeError: ``schedule`` not a jaxsched schedule.

    Example:
      >>> import jaxsched
      >>> s = jaxsched.MultiplicativeNoise(jaxsched.Constant(1.0), seed=0, begin=2)
      >>> v = [float(s(t)) for t in range(6)]
      >>> v[:2], all(0.33 < x < 1.67 for x in v), v[3] == float(s(3))
      ([1.0, 1.0], True, True)
    """

    schedule: Schedule = child()
    seed: Numeric = leaf(default=42, check=_WHOLE, count=True)
    pct: Numeric = leaf(default=0.67, check=POSITIVE)
    std: Numeric = leaf(default=1.0, check=POSITIVE)
    begin: Numeric = leaf(default=0, count=True)
    end: Numeric | None = leaf(default=None, count=True, optional=True)
    distribution: str = static(
        default="normal", type=str, choices=("normal", "uniform")
    )

    _check = require_children

    def __call__(self, step: Any) -> jax.Array:
        step = as_step(step)
        inner = self.schedule(step)
        dtype = value_dtype(inner, self.pct, self.std)
        ct = compute_dtype(dtype)
        if is_integer(step):
            whole = step
        else:
            limit = float(2**31)
            whole = jnp.clip(jnp.floor(step), -limit, limit - 1).astype(jnp.int32)
        noise = noise_at(self.seed, whole, self.pct, self.std, self.distribution, ct)
        ends = () if self.end is None else (self.end,)
        t, begin, *end = align_step(step, self.begin, *ends)
        active = t >= begin
        if end:
            active = active & (t < end[0])
        factor = 1 + jnp.where(active, noise.astype(ct), 0)
        return (inner.astype(ct) * factor).astype(dtype)

    def key_steps(self) -> list[float]:
        """Where the noise begins and ends, and the schedule's own (one member)."""
        out = [ks.number(self.begin), *ks.union(self.schedule)]
        if self.end is not None:
            out.append(ks.number(self.end))
        return out
