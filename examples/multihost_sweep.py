"""A learning-rate sweep sharded over the devices of several processes (multi-host JAX).

    python examples/multihost_sweep.py --processes 2 [--steps 300] [--peaks 4]

Starts ``--processes`` local processes that join one JAX runtime with
``jax.distributed`` (the coordinator on 127.0.0.1 at a free port, CPU collectives over
gloo); ``--processes 1`` runs in this process. The global layout is held fixed: 8
simulated CPU devices in all (1 process of 8, 2 of 4, 4 of 2 or 8 of 1), so every
device trains the same 2 members with the same compiled program whatever the number of
processes, and the printed losses are the same bit for bit. (With a fixed number of
devices *per process* instead, one process's device would train 4 members and two
processes' devices 2: XLA batches them differently, the last bits of a step differ,
and members at chaotic learning rates amplify that over hundreds of steps.)

The ``jaxsched demo`` task (two spirals, a small MLP, SGD with momentum) is trained for
every configuration of a ``jaxsched.grid`` of warmup + cosine schedules (4 peak rates x
4 warmup lengths = 16 by default), the member axis sharded over all devices of all
processes with ``jaxsched.shard``: each device trains its own members. The final
losses are gathered with ``jax.experimental.multihost_utils.process_allgather`` and
process 0 prints them; the last line is ``losses: `` and every member's final loss,
comma-separated, in member order. ``--fingerprint`` also prints a hash of the
per-device program that XLA compiled (the same for any number of processes).

On a real cluster (a TPU pod slice, or GPU nodes) run one copy of the worker per host
with ``--worker``: on Cloud TPU, ``jax.distributed.initialize()`` finds its peers
itself; elsewhere pass ``--coordinator HOST:PORT --processes N --process-id I`` (or
set them through SLURM / Open MPI, which ``jax.distributed.initialize()`` also
detects). The member count must be a multiple of the global device count; results are
the same bit for bit across launches only where the devices and members per device
are the same.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

#: Simulated CPU devices in all, split evenly over the local processes.
DEVICES = 8


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fingerprint(hlo: str) -> str:
    """A hash of a compiled per-device program's text without its debug information
    (source files, lines, stack frames): only the operations, shapes and layouts."""
    debug = ("FileNames", "FunctionNames", "FileLocations", "StackFrames")
    blocks = [b for b in hlo.split("\n\n") if not b.startswith(debug)]
    text = re.sub(r", metadata=\{[^}]*\}", "", "\n\n".join(blocks))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def worker(args: argparse.Namespace) -> int:
    """One process of the sweep (all of it, with one process)."""
    import jax

    if args.coordinator:  # local processes, or a cluster named by hand
        # CPU collectives (used only on CPU devices) over gloo.
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
        jax.distributed.initialize(
            coordinator_address=args.coordinator,
            num_processes=args.processes,
            process_id=args.process_id,
            initialization_timeout=args.timeout,
        )
    elif args.worker:  # a cluster that JAX detects (Cloud TPU, SLURM, Open MPI)
        jax.distributed.initialize(initialization_timeout=args.timeout)
    import numpy as np
    from jax.experimental import multihost_utils
    from jax.sharding import Mesh

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import jaxsched
    from jaxsched.tools import _demo

    devices = jax.devices()  # every device of every process
    mesh = Mesh(np.array(devices), ("members",))
    steps = args.steps
    # The demo's grid, with warmups as fractions of --steps and --peaks of its peaks.
    axes = _demo.sweep_axes(steps)
    axes["peak_value"] = list(_demo.PEAKS[: args.peaks])
    axes["warmup_steps"] = sorted({round(f * steps) for f in (0.0, 0.1, 0.3, 0.6)})
    sweep = jaxsched.grid(jaxsched.warmup_cosine_decay_schedule, **axes)
    members = jaxsched.batch_size(sweep)
    placed = jaxsched.shard(sweep, mesh, axis="members")
    arrays = _demo.make_arrays(_demo.make_data())  # the same data in every process

    def train(schedule: jaxsched.Schedule) -> jax.Array:
        loss, _, _ = _demo._train(schedule, arrays, steps)
        return loss

    start = time.perf_counter()
    compiled = jax.jit(jax.vmap(train)).lower(placed).compile()
    losses = compiled(placed)
    gathered = np.asarray(multihost_utils.process_allgather(losses, tiled=True))
    seconds = time.perf_counter() - start
    if jax.process_index() == 0:
        print(
            f"{members} members, {steps} steps each, sharded over {len(devices)} "
            f"devices in {jax.process_count()} process(es): {seconds:.2f} s "
            "(compile included)",
            flush=True,
        )
        if args.fingerprint:
            print(f"program: {_fingerprint(compiled.as_text())}", flush=True)
        print("losses: " + ",".join(f"{v:.9g}" for v in gathered), flush=True)
    if jax.process_count() > 1:
        jax.distributed.shutdown()
    return 0


def launch(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Starts ``args.processes`` local workers and waits for them."""
    coordinator = f"127.0.0.1:{_free_port()}"
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    env["XLA_FLAGS"] = (
        env.get("XLA_FLAGS", "")
        + f" --xla_force_host_platform_device_count={DEVICES // args.processes}"
    ).strip()
    children = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                *argv,
                "--worker",
                "--coordinator",
                coordinator,
                "--process-id",
                str(index),
            ],
            env=env,
        )
        for index in range(args.processes)
    ]
    deadline = time.monotonic() + args.timeout
    status = 0
    try:
        for child in children:
            left = max(1.0, deadline - time.monotonic())
            code = child.wait(timeout=left)
            status = status or code
    except subprocess.TimeoutExpired:
        print(f"multihost_sweep: timed out after {args.timeout} s", file=sys.stderr)
        status = 1
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=2, help="processes (2)")
    parser.add_argument("--steps", type=int, default=300, help="training steps (300)")
    parser.add_argument(
        "--peaks", type=int, default=4, help="peak rates: 4 x 4 warmups = 16 members"
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds (300)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--coordinator", help="HOST:PORT of process 0 (a cluster)")
    parser.add_argument("--process-id", type=int, default=0)
    parser.add_argument(
        "--fingerprint", action="store_true", help="print the program's hash too"
    )
    args = parser.parse_args(argv)
    local = args.coordinator is None and not args.worker
    if args.processes < 1 or (local and DEVICES % args.processes):
        parser.error(
            f"--processes must divide the {DEVICES} devices (1, 2, 4 or 8). "
            f"Received: {args.processes}"
        )
    if not 1 <= args.peaks <= 4:
        parser.error(f"--peaks must be in [1, 4]. Received: {args.peaks}")
    if args.worker:
        return worker(args)
    if args.processes == 1:  # one process: the devices are set before JAX starts
        if "jax" not in sys.modules:
            flags = os.environ.get("XLA_FLAGS", "")
            os.environ["XLA_FLAGS"] = (
                f"{flags} --xla_force_host_platform_device_count={DEVICES}"
            ).strip()
            os.environ.setdefault("JAX_PLATFORMS", "cpu")
        return worker(args)
    return launch(args, argv)


if __name__ == "__main__":
    sys.exit(main())
