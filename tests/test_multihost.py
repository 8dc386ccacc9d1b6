"""examples/multihost_sweep.py: the sweep over 2 processes (jax.distributed, gloo)
prints the same final losses as over 1 process, bit for bit, at the default length.

The global layout is fixed (8 devices: 1 process of 8 or 2 of 4), so every device
trains the same 2 members with the same compiled program. The losses are compared
at the script's default length (300 steps); the printed fingerprint of the compiled
per-device program shows why they agree at any length: the same program on the same
inputs per device (one process of 4 devices, the old layout, compiles another)."""

from pathlib import Path

import numpy as np
from helpers import run_python

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "multihost_sweep.py"


def run(processes):
    args = ["--processes", str(processes), "--fingerprint"]
    result = run_python(str(SCRIPT), *args, timeout=240)
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("losses: "), result.stdout
    assert lines[-2].startswith("program: "), result.stdout
    assert f"300 steps each, sharded over 8 devices in {processes} process" in (
        result.stdout
    )
    losses = np.array([float(v) for v in lines[-1][len("losses: ") :].split(",")])
    return losses, lines[-1], lines[-2]


def test_two_processes_print_the_same_losses_as_one_bit_for_bit():
    (one, one_line, one_program), (two, two_line, two_program) = run(1), run(2)
    assert one.shape == (16,)
    assert np.all(np.isfinite(one))
    assert len(set(one.tolist())) > 8  # the members differ
    assert two_program == one_program  # the same per-device program
    assert two_line == one_line  # every printed digit (9 significant)
    np.testing.assert_array_equal(two, one)
