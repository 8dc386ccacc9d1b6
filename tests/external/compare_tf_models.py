"""Compare TF Model Garden's real ``lr_schedule.py`` with the transcription.

Not part of the test suite. Two steps, because TensorFlow and jaxsched need not
share an environment:

1. in an environment with TensorFlow (``tensorflow-cpu``; with Keras 3 also
   ``tf-keras``, used through ``TF_USE_LEGACY_KERAS=1``, since ``lr_schedule.py``
   calls ``tf.keras.experimental.CosineDecay``), evaluate Model Garden's classes::

       TF_USE_LEGACY_KERAS=1 python tests/external/compare_tf_models.py dump \\
           --lr-schedule PATH/official/modeling/optimization/lr_schedule.py \\
           --out values.npz

   (``lr_schedule.py`` needs only TensorFlow; take it from a checkout of
   ``tensorflow/models`` or from the ``tf-models-official`` wheel);
2. in the development environment, compare them with
   ``tests/truth_frameworks_pt2.py`` (the oracle the tests use) and with
   ``jaxsched.frameworks.tf_models`` (float64, under x64)::

       python tests/external/compare_tf_models.py check values.npz

Model Garden computes in float32, so the differences are float32 roundings (about
1e-7 of the peak), not float64 ones. Where Model Garden gives NaN (the last segment
of ``StepCosineDecayWithOffset``), the script checks that the transcription gives
NaN there too and the mirror ``values[-1]`` (its documented difference).
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import random
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
STEPS = np.array(
    sorted({*range(0, 130), *range(130, 1200, 7), 2000, 5000, 10**5}), np.int64
)


def configs() -> list[tuple[str, dict]]:
    """The configurations both steps evaluate (fixed, then random with a seed)."""
    rng = random.Random(23)
    out: list[tuple[str, dict]] = []
    for _ in range(12):
        lr = rng.uniform(0.1, 2)
        off = rng.choice([0, rng.randint(1, 60)])
        n = rng.randint(10, 400)
        b = sorted(rng.sample(range(1, 600), 3))
        v = sorted((rng.uniform(0.01, 1) for _ in range(4)), reverse=True)
        cosine = (
            "CosineDecayWithOffset",
            {
                "initial_learning_rate": lr,
                "decay_steps": n,
                "alpha": 0.1,
                "offset": off,
            },
        )
        out += [
            (
                "PiecewiseConstantDecayWithOffset",
                {"boundaries": b, "values": v, "offset": off},
            ),
            (
                "PolynomialDecayWithOffset",
                {
                    "initial_learning_rate": lr,
                    "decay_steps": n,
                    "end_learning_rate": 0.01,
                    "power": rng.uniform(0.5, 3),
                    "cycle": rng.random() < 0.5 and off == 0,
                    "offset": off,
                },
            ),
            (
                "ExponentialDecayWithOffset",
                {
                    "initial_learning_rate": lr,
                    "decay_steps": n,
                    "decay_rate": rng.uniform(0.3, 0.99),
                    "staircase": rng.random() < 0.5,
                    "offset": off,
                },
            ),
            cosine,
            (
                "LinearWarmup",
                {
                    "after_warmup_lr_sched": rng.choice([cosine, lr]),
                    "warmup_steps": rng.randint(0, 50),
                    "warmup_learning_rate": rng.uniform(0, 0.01),
                },
            ),
            (
                "PolynomialWarmUp",
                {
                    "after_warmup_lr_sched": rng.choice([cosine, lr]),
                    "warmup_steps": rng.randint(1, 50),
                    "power": rng.uniform(0.5, 3),
                },
            ),
            (
                "DirectPowerDecay",
                {"initial_learning_rate": lr, "power": rng.uniform(-1, 0.3)},
            ),
            (
                "PowerAndLinearDecay",
                {
                    "initial_learning_rate": lr,
                    "total_decay_steps": rng.randint(50, 900),
                    "power": rng.uniform(-1, 0),
                    "linear_decay_fraction": rng.uniform(0, 1),
                    "offset": off,
                },
            ),
            (
                "PowerDecayWithOffset",
                {
                    "initial_learning_rate": lr,
                    "power": rng.uniform(-1, 0),
                    "offset": off,
                    "pre_offset_learning_rate": rng.uniform(1, 5),
                },
            ),
            (
                "StepCosineDecayWithOffset",
                {"boundaries": [0, *b], "values": v, "offset": off},
            ),
        ]
    return out


def _build(module, name, kwargs):
    """``module.name(**kwargs)``, a ``(name, kwargs)`` pair given as
    ``after_warmup_lr_sched`` built first, from the same module."""
    kw = dict(kwargs)
    after = kw.get("after_warmup_lr_sched")
    if isinstance(after, tuple):
        kw["after_warmup_lr_sched"] = _build(module, *after)
    return getattr(module, name)(**kw)


def dump(path: pathlib.Path, out: pathlib.Path) -> None:
    spec = importlib.util.spec_from_file_location("lr_schedule", path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import tensorflow as tf

    values = []
    for name, kwargs in configs():
        schedule = _build(module, name, kwargs)
        values.append([float(schedule(tf.constant(int(t), tf.int64))) for t in STEPS])
    np.savez(out, values=np.asarray(values, np.float64))
    print(f"{len(values)} configurations x {STEPS.size} steps -> {out}")


def check(path: pathlib.Path) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    import jax

    jax.config.update("jax_enable_x64", True)
    import truth_frameworks_pt2 as truth

    from jaxsched.frameworks import tf_models

    real_all = np.load(path)["values"]
    results: dict[str, list] = {}
    for (name, kwargs), real in zip(configs(), real_all, strict=True):
        ref = truth.tf_models(STEPS, name, **kwargs)
        mirror = np.asarray(_build(tf_models, name, kwargs)(STEPS), np.float64)
        nan = np.isnan(real)
        assert np.array_equal(nan, np.isnan(ref)), (name, kwargs)
        if nan.any():  # Model Garden's NaN last segment: the mirror holds values[-1]
            assert name == "StepCosineDecayWithOffset", (name, kwargs)
            assert np.allclose(mirror[nan], kwargs["values"][-1]), (name, kwargs)
        ok = ~nan
        peak = max(np.max(np.abs(real[ok])), 1e-300)
        row = results.setdefault(name, [0, 0.0, 0.0, 0])
        row[0] += int(ok.sum())
        row[1] = max(row[1], float(np.max(np.abs(ref[ok] - real[ok])) / peak))
        row[2] = max(row[2], float(np.max(np.abs(mirror[ok] - real[ok])) / peak))
        row[3] += int(nan.sum())
    print(f"{'class':36} {'values':>7} {'truth-TF':>9} {'mirror-TF':>10} {'NaN':>5}")
    for name, (count, t_err, m_err, nans) in sorted(results.items()):
        print(f"{name:36} {count:7d} {t_err:9.2e} {m_err:10.2e} {nans:5d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--lr-schedule", type=pathlib.Path, required=True)
    d.add_argument("--out", type=pathlib.Path, required=True)
    c = sub.add_parser("check")
    c.add_argument("values", type=pathlib.Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.lr_schedule, args.out)
    else:
        check(args.values)


if __name__ == "__main__":
    main()
