"""Values and checks of stacked sweeps shared by several test modules.

Every value goes through one step shape: a member through ``helpers.values`` (int32
and float32 steps padded to ``helpers.PADDED`` in one jitted call: one compile per
structure, shared by every module that evaluates that structure), a sweep through
its own direct call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from helpers import PADDED, padded, values

import jaxsched as js


def check_stacked_call(
    members: Sequence[js.Schedule], steps: Any, rtol: float = 1e-6, atol: float = 0.0
) -> np.ndarray:
    """``js.stack(members)`` called directly gives shape ``(members, steps)`` and, in
    row ``i``, member ``i``'s own value. Returns the rows (float64)."""
    steps = np.asarray(steps)
    out = js.stack(members)(padded(steps))
    assert out.shape == (len(members), PADDED)
    rows = np.asarray(out, np.float64)[:, : steps.size]
    for row, member in zip(rows, members):
        np.testing.assert_allclose(row, values(member, steps)[0], rtol=rtol, atol=atol)
    return rows


def check_piecewise_table(cls: Any, n: int, side: str) -> Any:
    """``cls(boundaries, values)`` with ``n`` boundaries 10, 20, ... switches where
    ``np.searchsorted(..., side=side)`` says (int32 steps from -5 to past the last
    boundary, and 2**31 - 1). Returns the schedule and the int steps and values."""
    bounds = np.arange(1, n + 1) * 10
    table = np.linspace(1.0, 0.1, n + 1)
    schedule = cls(bounds, table)
    steps = np.concatenate([[-5], np.arange(0, 10 * n + 15), [2**31 - 1]])
    want = table[np.searchsorted(bounds, steps, side=side)].astype(np.float32)
    out = jax.jit(schedule)(jnp.asarray(steps, jnp.int32))
    np.testing.assert_array_equal(np.asarray(out), want)
    return schedule, steps, want
