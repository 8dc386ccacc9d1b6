"""The ``jaxsched`` command line (also ``python -m jaxsched``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _demo(args: argparse.Namespace) -> int:
    from ._demo import report, run

    print(report(run(epochs=args.epochs)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jaxsched",
        description="Learning-rate schedules for JAX that are pytrees.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    demo = commands.add_parser(
        "demo",
        help="train a small classifier with a schedule sweep in one compiled program",
        description="Train a small classifier with optax SGD: the Keras seed example, "
        "then 16 schedules trained together under jax.vmap (one compilation).",
    )
    demo.add_argument("--epochs", type=int, default=5, help="epochs (default 5)")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, TypeError, OSError) as error:
        print(f"jaxsched {args.command}: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
