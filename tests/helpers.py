"""Small helpers shared by several test modules (one definition, one compile)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxsched as js

#: ``schedule(step)`` with the schedule passed in: one compile per structure and
#: step shape. Prefer ``values`` (one step shape for the whole suite).
CALL = jax.jit(lambda s, t: s(t))
#: The length every step array of ``values`` is padded (or cut) to.
PADDED = 128
FAR = [1_000, 10**5, 10**6, 10**7]
#: Where stacked sweeps' values and gradients are checked (``group_sweeps``):
#: training steps, up to where the growing examples (a decay rate above 1) would
#: overflow. Sweeps at any other steps of this count share the compiled program.
SWEEP_STEPS = np.array([0, 1, 2, 3, 5, 9, 10, 11, 12, 40], np.int32)
NEGATIVE = [-(10**6), -3, -1]

# The suite's one evaluation: a schedule (passed in) at PADDED integer steps and
# PADDED float steps. Every module evaluating a schedule through it shares one
# compile per structure (int32/float32 steps; int64/float64 under x64), also across
# the pytest-xdist workers (the run's persistent compilation cache, conftest.py).
_VALUES = jax.jit(lambda s, ints, floats: (s(ints), s(floats)))


def _step_dtype(steps: np.ndarray) -> type:
    """int32 for integer steps, float32 for float steps."""
    return np.int32 if steps.dtype.kind in "iu" else np.float32


def padded(steps: Any) -> jnp.ndarray:
    """1 to PADDED ``steps`` (int32 or float32), padded to ``(PADDED,)`` with the
    last."""
    steps = np.asarray(steps)
    assert steps.ndim == 1 and 0 < steps.size <= PADDED, steps.shape
    return _chunks(steps, _step_dtype(steps), 1)[0]


def eager(schedule: js.Schedule, steps: Any) -> np.ndarray:
    """``schedule(steps)`` called eagerly (not jitted) on 1-D ``steps`` in pieces of
    ``PADDED``, each padded with its last step, cut back to ``len(steps)``: eager ops
    see one step shape per dtype, so each compiles once for every module on the
    worker. Steps become int32 or float32; narrower integer dtypes are kept, and so
    are int64 and float64 under x64. ``schedule`` is any callable of the steps (an
    optax schedule under ``jax.vmap`` too)."""
    steps = np.asarray(steps).reshape(-1)
    assert steps.size > 0, steps.shape
    wide = bool(jax.config.read("jax_enable_x64")) and steps.dtype.itemsize == 8
    narrow = steps.dtype.kind in "iu" and steps.dtype.itemsize < 4
    dtype = steps.dtype if wide or narrow else _step_dtype(steps)
    if steps.dtype.kind in "iu":
        assert np.array_equal(steps.astype(dtype), steps), "steps overflow the dtype"
    steps = steps.astype(dtype)
    pieces = []
    for start in range(0, steps.size, PADDED):
        piece = steps[start : start + PADDED]
        pad = np.full(PADDED - piece.size, piece[-1], dtype)
        pieces.append(np.asarray(schedule(jnp.asarray(np.concatenate([piece, pad])))))
    return np.concatenate(pieces)[: steps.size]


def _chunks(steps: np.ndarray, dtype: type, count: int) -> list[jnp.ndarray]:
    """``steps`` as ``count`` arrays of shape ``(PADDED,)``, padded with the last."""
    if steps.dtype.kind in "iu":
        assert np.array_equal(steps.astype(dtype), steps), "steps overflow the dtype"
    steps = steps.astype(dtype)
    if steps.size == 0:
        steps = np.zeros(1, dtype)
    pad = np.full(count * PADDED - steps.size, steps[-1], dtype)
    whole = np.concatenate([steps, pad])
    return [jnp.asarray(whole[i * PADDED : (i + 1) * PADDED]) for i in range(count)]


def values(
    schedule: js.Schedule, ints: Any = (0,), floats: Any = (0.0,)
) -> tuple[np.ndarray, np.ndarray]:
    """``schedule`` at integer ``ints`` and float ``floats`` (float64 values), jitted
    with the schedule passed in: int32/float32 steps, or int64/float64 under x64.
    Any number of steps (padded to PADDED, in several calls when longer)."""
    ints = np.asarray(ints).reshape(-1)
    floats = np.asarray(floats).reshape(-1)
    wide = bool(jax.config.read("jax_enable_x64"))
    count = max(1, -(-max(ints.size, floats.size) // PADDED))
    pairs = zip(
        _chunks(ints, np.int64 if wide else np.int32, count),
        _chunks(floats, np.float64 if wide else np.float32, count),
    )
    out = [_VALUES(schedule, i, f) for i, f in pairs]
    return (
        np.concatenate([np.asarray(i, np.float64) for i, _ in out])[: ints.size],
        np.concatenate([np.asarray(f, np.float64) for _, f in out])[: floats.size],
    )


def _wide(x: Any) -> Any:
    """A float leaf as a new float64 array, an integer leaf as a new int64 array."""
    kind = np.asarray(x).dtype.kind
    if kind == "f" or isinstance(x, float):
        return np.array(x, np.float64)
    return np.array(x, np.int64) if kind in "iu" else x


def rebuild_x64(schedule: js.Schedule) -> js.Schedule:
    """The same schedule with float64 float leaves and int64 integer leaves, for
    evaluation under ``jax.enable_x64``. New arrays: JAX hands a NumPy array that
    already went through a float32 program to an x64 one as its 32-bit device copy
    (a RuntimeProgramInputMismatch, or float32-rounded values in eager mode)."""
    with js.no_validation():
        return jax.tree.map(_wide, schedule)


def fresh_arrays(schedule: js.Schedule) -> js.Schedule:
    """The same schedule with new copies of its NumPy array leaves (see
    ``rebuild_x64``), for passing to an x64 program."""
    with js.no_validation():
        return jax.tree.map(
            lambda x: np.array(x) if isinstance(x, np.ndarray) else x, schedule
        )


def reference_grid(*points) -> np.ndarray:
    """Negative steps, 0..3, every point with its neighbours, and steps far beyond
    (int32)."""
    steps = {*NEGATIVE, 0, 1, 2, 3, *FAR}
    for p in points:
        steps |= {int(p) - 1, int(p), int(p) + 1}
    return np.array(sorted(s for s in steps if s >= 0 or s in NEGATIVE), np.int32)


def call_padded(schedule: js.Schedule, steps) -> np.ndarray:
    """``schedule(steps)`` (integer or float steps) through ``values``; float64
    values, one per step."""
    steps = np.asarray(steps)
    if steps.dtype.kind in "iu":
        return values(schedule, ints=steps)[0]
    return values(schedule, floats=steps)[1]


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


def sweep_value_and_grad(batched: js.Schedule, steps: Any) -> tuple[Any, Any]:
    """Traceable: a stacked schedule's values under vmap at ``steps``, and the
    gradient of their sum with respect to every leaf."""

    def at(s):
        return jax.vmap(lambda member: member(steps))(s)

    return at(batched), jax.grad(lambda s: at(s).sum(), allow_int=True)(batched)


_sweep_values_and_grads = jax.jit(sweep_value_and_grad)


#: Values and gradients of several stacked sweeps in one program (a class's sweeps
#: compiled together cost less than one program per structure).
_GROUP_SWEEPS = jax.jit(
    lambda sweeps, steps: [sweep_value_and_grad(b, steps) for b in sweeps]
)


def _shape_key(schedule: js.Schedule) -> Any:
    return jax.tree.structure(schedule), [
        np.shape(x) for x in jax.tree.leaves(schedule)
    ]


def structure_groups(schedules: Sequence[js.Schedule]) -> list[list[js.Schedule]]:
    """``schedules`` in groups of one structure and leaf shapes (stackable), in
    order of first appearance."""
    groups: list[list[js.Schedule]] = []
    for schedule in schedules:
        for members in groups:
            if _shape_key(members[0]) == _shape_key(schedule):
                members.append(schedule)
                break
        else:
            groups.append([schedule])
    return groups


def group_sweeps(
    groups: Sequence[Sequence[js.Schedule]], steps: Any
) -> list[tuple[np.ndarray, Any]]:
    """Each group stacked and evaluated under vmap at int32 or float32 ``steps``: per
    group, the members' values (float64, ``(members, steps)``) and the gradients of
    their sum with respect to every leaf, all in one jitted program (one compile per
    list of structures, member counts and step shape: tests/test_contract.py and
    tests/test_properties.py share it for a class's example groups)."""
    steps = np.asarray(steps)
    steps = jnp.asarray(steps.astype(_step_dtype(steps)))
    results = _GROUP_SWEEPS([js.stack(list(m)) for m in groups], steps)
    return [(np.asarray(v, np.float64), g) for v, g in results]


def assert_finite_sweep(members: Sequence[js.Schedule], steps) -> np.ndarray:
    """A sweep of ``members`` (stacked, under vmap) has finite values at ``steps`` and
    finite gradients for every floating leaf (one jitted program per structure).
    Returns the values, shape ``(len(members),) + steps.shape``."""
    at, grads = sweep_values_and_grads(js.stack(members), steps)
    assert_finite(at, grads, members)
    return at


def assert_finite(values: Any, grads: Any, context: Any = None) -> None:
    """``values`` are finite, and so is every floating leaf of ``grads``;
    ``context`` goes into the failure message."""
    assert np.all(np.isfinite(np.asarray(values, np.float64))), (context, values)
    assert_finite_grads(grads, context)


def assert_finite_grads(grads: Any, context: Any = None) -> None:
    """Every floating leaf of ``grads`` is finite (integer leaves' gradients are
    float0); ``context`` goes into the failure message."""
    for g in jax.tree.leaves(grads):
        if jnp.issubdtype(jnp.result_type(g), jnp.floating):
            assert np.all(np.isfinite(np.asarray(g, np.float64))), (context, grads)


def assert_finite_sweeps(sweeps: Sequence[Sequence[js.Schedule]], steps: Any) -> None:
    """Every sweep (a list of members, stacked) has finite values at ``steps`` and
    finite gradients for every floating leaf: ``assert_finite_sweep`` for several
    sweeps in one program (``group_sweeps``: one gradient compile for all)."""
    for members, (at, grads) in zip(sweeps, group_sweeps(sweeps, steps), strict=True):
        assert at.shape == (len(members), np.size(steps))
        assert_finite(at, grads, members)


def sweep_values_and_grads(batched: js.Schedule, steps) -> tuple[np.ndarray, Any]:
    """A stacked schedule under vmap at int32 or float32 ``steps`` (padded to
    PADDED, in several calls when longer): each member's values, shape ``(members,
    len(steps))``, and the gradients of their sum with respect to every leaf (a list,
    one tree per call); one compile per structure, member count and step dtype."""
    steps = np.asarray(steps).reshape(-1)
    assert steps.size > 0, steps.shape
    chunks = _chunks(steps, _step_dtype(steps), -(-steps.size // PADDED))
    out = [_sweep_values_and_grads(batched, chunk) for chunk in chunks]
    at = np.concatenate([np.asarray(a, np.float64) for a, _ in out], axis=1)
    return at[:, : steps.size], [g for _, g in out]


def assert_each_rejected(cases: Sequence[tuple[Any, Any, Any]], attempt: Any) -> None:
    """``attempt(bad)`` raises ``error`` matching ``pattern`` for every ``(bad, error,
    pattern)`` of ``cases``. Every case is tried and the misses are reported
    together: one test per field instead of one per field and bad value (pytest's
    own cost per test was most of these tests' time)."""
    missed = []
    for bad, error, pattern in cases:
        try:
            with pytest.raises(error, match=pattern):
                attempt(bad)
        except (AssertionError, pytest.fail.Exception) as miss:
            missed.append((bad, str(miss)))
    assert not missed, missed


def run_python(
    *args: str, devices: int | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` with this interpreter on CPU, its output captured; it must exit
    0. ``devices``: simulated CPU devices (``XLA_FLAGS``); otherwise JAX's default."""
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    # Single-threaded XLA ops, as in the test workers (conftest.py): the suite's
    # processes already fill the cores.
    flags = "--xla_cpu_multi_thread_eigen=false"
    if devices is not None:
        flags += f" --xla_force_host_platform_device_count={devices}"
    env["XLA_FLAGS"] = flags
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


# The convention of the README's and the docs pages' examples: a top-level
# ``print(...)`` whose line ends in ``# -> TEXT`` (or is followed by a line
# ``# -> TEXT``) must print exactly TEXT.
PRINTED = re.compile(r"^print\((.*)\)(?:[ \t]+|\n)# -> (.*)$", flags=re.MULTILINE)


def check_printed(expected: str, *args: Any) -> None:
    """What ``print(*args)`` would print is ``expected``."""
    printed = " ".join(map(str, args))
    assert printed == expected, f"the text says {expected!r}, prints {printed!r}"


def instrument(source: str) -> str:
    """``source`` with each checked print turned into a :func:`check_printed` call
    (run it in a namespace holding ``check_printed``)."""
    return PRINTED.sub(
        lambda m: f"check_printed({m.group(2).strip()!r}, {m.group(1)})", source
    )
