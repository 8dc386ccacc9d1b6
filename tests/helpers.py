"""Small helpers shared by several test modules (one definition, one compile)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np

import jaxsched as js

#: ``schedule(step)`` with the schedule passed in: one compile per structure.
CALL = jax.jit(lambda s, t: s(t))
#: The step-array length of ``call_padded`` (one shape: one compile per structure).
PADDED = 128
FAR = [1_000, 10**5, 10**6, 10**7]
NEGATIVE = [-(10**6), -3, -1]


def reference_grid(*points) -> np.ndarray:
    """Negative steps, 0..3, every point with its neighbours, and steps far beyond
    (int32)."""
    steps = {*NEGATIVE, 0, 1, 2, 3, *FAR}
    for p in points:
        steps |= {int(p) - 1, int(p), int(p) + 1}
    return np.array(sorted(s for s in steps if s >= 0 or s in NEGATIVE), np.int32)


def call_padded(schedule: js.Schedule, steps) -> np.ndarray:
    """``schedule(steps)`` through ``CALL``, the steps (int32 or float32) padded to
    the shape ``(PADDED,)``; float64 values, one per step."""
    steps = np.asarray(steps)
    steps = steps.astype(np.int32 if steps.dtype.kind in "iu" else np.float32)
    assert steps.ndim == 1 and steps.size <= PADDED, steps.shape
    pad = np.full(PADDED - steps.size, steps[-1], steps.dtype)
    values = CALL(schedule, jnp.asarray(np.concatenate([steps, pad])))
    return np.asarray(values, np.float64)[: steps.size]


def check_reference(
    schedule, reference, steps, lr=1.0, rtol=1e-5, far_atol=0.0
) -> None:
    """Values (``call_padded``) against ``lr * reference(step)``; a negative step
    gives the step-zero value."""
    steps = np.asarray(steps)
    got = call_padded(schedule, steps)
    want = lr * np.array([reference(max(s.item(), 0)) for s in steps])
    atol = 1e-6 * max(1.0, float(np.abs(want).max()))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=max(atol, far_atol))


@jax.jit
def _sweep_values_and_grads(batched, steps):
    def values(s):
        return jax.vmap(lambda member: member(steps))(s)

    return values(batched), jax.grad(lambda s: values(s).sum(), allow_int=True)(batched)


def assert_finite_sweep(members: Sequence[js.Schedule], steps) -> np.ndarray:
    """A sweep of ``members`` (stacked, under vmap) has finite values at ``steps`` and
    finite gradients for every floating leaf (one jitted program per structure).
    Returns the values, shape ``(len(members),) + steps.shape``."""
    values, grads = _sweep_values_and_grads(js.stack(members), jnp.asarray(steps))
    values = np.asarray(values)
    assert np.all(np.isfinite(values))
    for g in jax.tree.leaves(grads):
        if jnp.issubdtype(jnp.result_type(g), jnp.floating):
            assert np.all(np.isfinite(np.asarray(g))), grads
    return values


def run_python(
    *args: str, devices: int | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` with this interpreter on CPU, its output captured; it must exit
    0. ``devices``: simulated CPU devices (``XLA_FLAGS``); otherwise JAX's default."""
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    env.pop("XLA_FLAGS", None)
    if devices is not None:
        env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={devices}"
    result = subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result
