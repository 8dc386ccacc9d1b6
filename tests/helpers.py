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
