"""Write golden configs for registered classes that have none yet.

    python tests/golden/generate.py

For every jaxsched class in the registry that has example instances
(``tests/examples``) but no ``tests/golden/<ClassName>-*.json`` file, this writes
``<ClassName>-<n>.json`` for its examples: ``{"format": 1, "jaxsched": <version>,
"schedule": <to_dict()>, "steps": [...], "values": [...]}``, the values computed by
the installed jaxsched (float32, CPU). It never rewrites or deletes a file: golden
files record what an earlier version wrote and computed, and later versions must
keep loading them with the same values (``tests/test_golden.py``). A class whose
values change on purpose gets a new file, not an edited one.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/, for the examples package
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from examples import EXAMPLES, registered_classes  # noqa: E402

import jaxsched  # noqa: E402
from jaxsched.core._serialization import FORMAT  # noqa: E402

#: Integer steps (int32) and float steps (float32) at which values are recorded.
INT_STEPS = [
    -3, 0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 15, 19, 20, 21, 25, 30, 49, 50, 51, 75,
    99, 100, 101, 150, 200, 500, 1000, 12345, 10**6, 2**24 + 1, 2**31 - 1,
]  # fmt: skip
FLOAT_STEPS = [0.5, 2.5, 9.5, 10.5, 33.25, 99.5, 1e4 + 0.25]


def golden_files(name: str) -> list[Path]:
    return sorted(HERE.glob(f"{name}-*.json"))


def _as_float32(value):
    if isinstance(value, bool) or not isinstance(value, (float, np.ndarray)):
        return value
    if isinstance(value, float):
        return float(np.float32(value))
    return (
        value.astype(np.float32).astype(np.float64)
        if value.dtype.kind == "f"
        else value
    )


def _exact(schedule: jaxsched.Schedule, steps: list[int]) -> np.ndarray:
    """The same schedule in float64 at int64 steps (x64): the exact reference."""
    rounded = jax.tree.map(_as_float32, schedule)
    with jax.enable_x64(True):
        return np.asarray(rounded(jnp.asarray(steps, jnp.int64)), np.float64)


def record(schedule: jaxsched.Schedule) -> dict:
    """Values at the fixed steps; integer steps whose float32 value disagrees with
    the exact float64 reference (a float32 rounding a family has not fixed yet) are
    left out, so that a golden file never pins a wrong value."""
    ints = np.asarray(schedule(jnp.asarray(INT_STEPS, jnp.int32)), np.float64)
    exact = _exact(schedule, INT_STEPS)
    scale = float(np.max(np.abs(exact[np.isfinite(exact)]), initial=0.0))
    good = np.isclose(ints, exact, rtol=1e-5, atol=1e-6 * scale + 1e-30)
    floats = schedule(jnp.asarray(FLOAT_STEPS, jnp.float32)).tolist()
    pairs = [
        (step, value)
        for step, value, ok in zip(INT_STEPS, ints.tolist(), good)
        if ok and math.isfinite(value)
    ]
    pairs += [(s, v) for s, v in zip(FLOAT_STEPS, floats) if math.isfinite(v)]
    return {
        "format": FORMAT,
        "jaxsched": jaxsched.__version__,
        "schedule": schedule.to_dict(),
        "steps": [step for step, _ in pairs],
        "values": [value for _, value in pairs],
    }


def main() -> list[Path]:
    written = []
    by_class = {cls: items for cls, items in EXAMPLES.items()}
    for name, cls in sorted(registered_classes().items()):
        if golden_files(name) or cls not in by_class:
            continue
        for index, schedule in enumerate(by_class[cls]):
            path = HERE / f"{name}-{index}.json"
            data = record(schedule)
            path.write_text(json.dumps(data, indent=1, allow_nan=False) + "\n")
            written.append(path)
    return written


if __name__ == "__main__":
    for path in main():
        print(f"wrote {path.name}")
