"""Compare the JAX trainers' own schedule code with the float64 transcriptions and
the mirrors.

Not part of the test suite: big_vision, MaxText, Levanter, praxis and T5X do not
install from the package registries without their whole training stacks (TPU
libraries, TensorFlow, ...). Their schedule functions need only jax and optax, so
this script reads them from a clone of each repository (at the commits named in
``tests/truth_frameworks_jax.py``), executes just those functions and classes
under x64 (praxis's base class, ``pax_fiddle`` and ``instantiate`` replaced by a
dataclass and a call; MaxText's enums by their strings; Levanter's ``self`` by a
namespace of its fields), and compares them, on random configurations, with

- the transcription ``tests/truth_frameworks_jax.py`` (the oracle of the tests),
- the mirror ``jaxsched.frameworks.<name>`` evaluated in float64::

    python tests/external/compare_jax_trainers.py --big-vision CLONE \\
        --maxtext CLONE --levanter CLONE --praxis CLONE --t5x CLONE

Any of the five may be left out. It prints, per framework, the configurations
compared and the largest difference relative to each configuration's peak (praxis,
big_vision and T5X round their values to float32; the others compute in float64
under x64).
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import pathlib
import random
import re
import sys
import types
import warnings

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import truth_frameworks_jax as truth  # noqa: E402

from jaxsched.frameworks import (  # noqa: E402
    big_vision,
    levanter,
    maxtext,
    praxis,
    t5x,
)

FILES = {
    "big_vision": "big_vision/utils.py",
    "maxtext": "src/maxtext/utils/maxtext_utils.py",
    "levanter": "src/levanter/optim/config.py",
    "praxis": "praxis/schedules.py",
    "t5x": "t5x/utils.py",
}


def _source(clone: pathlib.Path, name: str, names: set[str]) -> str:
    text = (clone / FILES[name]).read_text()
    tree = ast.parse(text)
    found = [
        ast.get_source_segment(text, node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in names
    ]
    return "\n\n".join(s for s in found if s)


def _methods(clone: pathlib.Path, name: str, cls: str, names: set[str]) -> str:
    text = (clone / FILES[name]).read_text()
    lines = text.splitlines()
    out = []
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name in names:
                    body = lines[item.lineno - 1 : item.end_lineno]
                    out.append("\n".join(line[4:] for line in body))
    return "\n\n".join(out)


class _Report:
    def __init__(self, name: str) -> None:
        self.name, self.count, self.values = name, 0, 0
        self.worst = {"truth": 0.0, "mirror": 0.0}

    def add(self, real, ref, mirror) -> None:
        real = np.asarray(real, np.float64) + np.zeros(np.shape(ref))
        finite = np.isfinite(real)
        peak = np.max(np.abs(real[finite])) if finite.any() else 1.0
        peak = max(peak, 1e-300)
        for key, other in (("truth", ref), ("mirror", mirror)):
            other = np.asarray(other, np.float64)
            same = (other == real) | (np.isnan(other) & np.isnan(real))
            diff = np.where(finite, np.abs(other - real), np.where(same, 0, np.inf))
            self.worst[key] = max(self.worst[key], float(np.max(diff)) / peak)
        self.count += 1
        self.values += real.size

    def line(self) -> str:
        return (
            f"{self.name:11s} {self.count:4d} configurations, {self.values:7d} values: "
            f"real vs transcription {self.worst['truth']:.1e}, "
            f"real vs mirror {self.worst['mirror']:.1e} (of the peak)"
        )


def _mirror(schedule, steps) -> np.ndarray:
    wide = jax.tree.map(
        lambda x: (
            np.asarray(x, np.float64)
            if np.asarray(x).dtype.kind == "f"
            else np.asarray(x, np.int64)
        ),
        schedule,
    )
    return np.asarray(wide(jnp.asarray(steps, jnp.int64)), np.float64)


# ------------------------------------------------------------------ big_vision


def compare_big_vision(clone: pathlib.Path, rng: random.Random) -> _Report:
    ns = {"jnp": jnp, "np": np}
    exec(_source(clone, "big_vision", {"steps", "create_learning_rate_schedule"}), ns)
    real = ns["create_learning_rate_schedule"]
    report = _Report("big_vision")
    while report.count < 300:
        total = rng.choice([10, 37, 100, 1000])
        kind = rng.choice(big_vision.DECAY_TYPES)
        kw: dict = {}
        warm = rng.choice(["steps", "percent", "examples", None])
        if warm == "steps":
            kw["warmup_steps"] = rng.randint(0, total - 1)
        elif warm == "percent":
            kw["warmup_percent"] = rng.random() * 0.5
        elif warm == "examples":
            kw["warmup_examples"] = rng.randint(0, 300)
        if rng.random() < 0.5:
            kw[rng.choice(["cooldown_steps", "cooldown_percent"])] = rng.choice(
                [rng.randint(1, total), rng.random() * 0.5]
            )
            if kw.get("cooldown_steps", 0) > total:
                kw["cooldown_steps"] = total
        if kind in ("linear", "polynomial"):
            kw.update(power=rng.choice([1, 2, 0.5]), end=rng.random() * 0.1)
        if kind == "rsqrt":
            kw.update(timescale=rng.choice([10, 100]), shift=rng.choice([0, 5]))
        if kind == "stair":
            bounds = sorted(rng.choices(range(0, 2 * total), k=rng.randint(0, 3)))
            kw.update(steps=bounds, mults=[rng.random() for _ in bounds])
        args = (total, 8, 1000, rng.random(), kind)
        try:
            mirror = big_vision.create_learning_rate_schedule(*args, **kw)
        except ValueError:
            continue
        steps = np.concatenate([np.arange(0, 2 * total + 5), [10**5]])
        got = real(*args, **kw)(jnp.asarray(steps))
        ref = truth.big_vision_create_learning_rate_schedule(*args, **kw)(steps)
        report.add(got, ref, _mirror(mirror, steps))
    return report


# --------------------------------------------------------------------- MaxText


def compare_maxtext(clone: pathlib.Path, rng: random.Random) -> _Report:
    enums = types.SimpleNamespace(
        LearningRateScheduleType=types.SimpleNamespace(COSINE="cosine"),
        WsdDecayStyle=types.SimpleNamespace(LINEAR="linear"),
    )
    ns = {"jnp": jnp, "np": np, "optax": optax, "types": enums}
    exec(_source(clone, "maxtext", {"create_learning_rate_schedule"}), ns)
    report = _Report("MaxText")
    while report.count < 300:
        s = rng.choice([1, 2, 3, 10, 29, 100, 1000])
        config = {
            "learning_rate": rng.random(),
            "lr_schedule_type": rng.choice(["cosine", "wsd"]),
            "learning_rate_final_fraction": rng.choice([0.0, 0.1, rng.random()]),
            "warmup_steps_fraction": rng.choice([0.0, 0.1, 0.29, rng.random() * 0.5]),
            "wsd_decay_steps_fraction": rng.choice([0.0, 0.1, rng.random() * 0.5]),
            "wsd_decay_style": rng.choice(["linear", "cosine"]),
            "learning_rate_schedule_steps": s,
            "steps": s + rng.choice([0, 1, 30]),
        }
        resolved = types.SimpleNamespace(**dict(maxtext.DEFAULTS, **config))
        steps = np.arange(0, 2 * s + 40)
        got = ns["create_learning_rate_schedule"](resolved)(jnp.asarray(steps))
        ref = truth.maxtext_create_learning_rate_schedule(config)(steps)
        mirror = maxtext.create_learning_rate_schedule(config)
        report.add(got, ref, _mirror(mirror, steps))
    return report


# -------------------------------------------------------------------- Levanter


def compare_levanter(clone: pathlib.Path, rng: random.Random) -> _Report:
    helpers = {
        "_inv_sqrt_decay_schedule",
        "_inv_decay_schedule",
        "_convert_frac_or_steps",
    }
    code = _source(clone, "levanter", helpers)
    code += "\n\n" + _methods(
        clone, "levanter", "OptimizerConfig", {"lr_scheduler", "_get_cycle_minima"}
    )

    class LrSchedule:  # only the string forms reach it here
        pass

    ns = {"jnp": jnp, "np": np, "optax": optax, "warnings": warnings}
    ns["LrSchedule"] = LrSchedule
    exec(code, ns)
    report = _Report("Levanter")
    while report.count < 300:
        n = rng.choice([10, 37, 100, 1000])
        kw = {
            "learning_rate": rng.random(),
            "min_lr_ratio": rng.choice([0.05, 0.1, rng.random()]),
            "warmup": rng.choice([0.0, 0.01, 0.1, 1, 3]),
            "lr_schedule": rng.choice(
                ["cosine", "linear", "constant", "inv_sqrt", "inv"]
            ),
        }
        if rng.random() < 0.4:
            kw["decay"] = rng.choice([0.1, 0.5, 0.9, 5])
        if rng.random() < 0.4:
            kw["rewarmup"] = rng.choice([0.1, 0.3, 2])
        choice = rng.random()
        if choice < 0.3:
            kw["cycles"] = rng.choice([1, 2, 3])
        elif choice < 0.5:
            kw["cycle_length"] = rng.choice([0.3, 0.25, 7])
        if rng.random() < 0.15:
            kw["cooldown"] = rng.choice([0.1, 5])
        try:
            mirror = levanter.OptimizerConfig(**kw).lr_scheduler(n)
        except ValueError:
            continue
        fields = dict(dataclasses.asdict(levanter.OptimizerConfig()), **kw)
        self = types.SimpleNamespace(**fields)
        self._get_cycle_minima = lambda total, self=self: ns["_get_cycle_minima"](
            self, total
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            real = ns["lr_scheduler"](self, n)
        steps = np.arange(0, n + 20)
        ref = truth.levanter_lr_scheduler(n, **kw)(steps)
        report.add(real(jnp.asarray(steps)), ref, _mirror(mirror, steps))
    return report


# ---------------------------------------------------------------------- praxis


def _praxis_namespace(clone: pathlib.Path) -> dict:
    text = (clone / FILES["praxis"]).read_text()
    text = re.sub(r"^from praxis import .*$", "", text, flags=re.M)
    text = text.replace("instantiate = base_hyperparams.instantiate", "")

    class Config:
        def __init__(self, cls, kw):
            self.cls, self.kw = cls, kw

        def Instantiate(self):
            return self.cls(**self.kw)

    class Base:
        def __init_subclass__(cls, **kw):
            super().__init_subclass__(**kw)
            dataclasses.dataclass(cls)

        def __post_init__(self):
            pass

        @classmethod
        def config(cls, **kw):
            return Config(cls, kw)

    module = types.ModuleType("praxis_schedules")
    sys.modules["praxis_schedules"] = module
    module.__dict__.update(
        base_hyperparams=types.SimpleNamespace(FiddleBaseParameterizable=Base),
        pax_fiddle=types.SimpleNamespace(Config=lambda cls, **kw: Config(cls, kw)),
        instantiate=lambda config: config.Instantiate(),
    )
    exec(compile(text, str(clone / FILES["praxis"]), "exec"), module.__dict__)
    return module.__dict__


def compare_praxis(clone: pathlib.Path, rng: random.Random) -> _Report:
    real = _praxis_namespace(clone)
    report = _Report("praxis")
    steps = np.arange(0, 200)
    for _ in range(40):
        x0 = rng.randint(0, 20)
        x1 = x0 + rng.randint(1, 50)
        y0, y1 = rng.random() + 0.01, rng.random() + 0.01
        w = rng.randint(0, 20)
        ds = w + rng.randint(0, 20)
        de = ds + rng.randint(1, 40)
        ramp = {"warmup_steps": w, "decay_start": ds, "decay_end": de}
        ramp.update(min_ratio=rng.random() + 0.01, max=3 * y0)
        bounds = sorted(rng.choices(range(0, 60), k=3))
        cases = [
            ("Constant", {"value": y0}),
            (
                "Polynomial",
                {
                    "power": rng.choice([1, 2, 3]),
                    "start": (x0, y0),
                    "limit": (x1, y1),
                    "origin": rng.choice(["start", "limit"]),
                },
            ),
            ("Linear", {"start": (x0, y0), "limit": (x1, y1)}),
            ("Exponential", {"start": (x0, y0), "limit": (x1, y1)}),
            ("Cosine", {"initial_value": y0, "final_value": y1, "total_steps": x1}),
            ("DelayedCosine", {"start": (x0, y0), "limit": (x1, y1)}),
            (
                "Transformer",
                {
                    "warmup_steps": rng.choice([0, 10, 40]),
                    "model_dim": 64,
                    "decay_end": rng.choice([None, 30, 100]),
                },
            ),
            (
                "SqrtDecay",
                {
                    "decay_start": rng.choice([1, 10]),
                    "multiplier": y0,
                    "offset": rng.choice([0.0, 7.5]),
                },
            ),
            (
                "LinearRampupSqrtDecay",
                {"peak": y0, "warmup_steps": rng.choice([1, 40])},
            ),
            (
                "ContinuousSchedule",
                {
                    "initial_value": y0,
                    "start_step": x0,
                    "half_life_steps": rng.randint(1, 30),
                    "min": rng.random() * 0.5 + 0.01,
                },
            ),
            ("LinearRampupPolynomialDecay", dict(ramp, power=rng.choice([1, 2, 3]))),
            ("LinearRampupExponentialDecay", ramp),
            ("LinearRampupCosineDecay", dict(ramp, start_step=rng.choice([0, 7]))),
            (
                "PiecewiseConstant",
                {
                    "boundaries": bounds,
                    "values": [
                        rng.choice([rng.random() + 0.01, 0.0, -0.5]) for _ in range(4)
                    ],
                },
            ),
            (
                "LinearRampupPiecewiseConstant",
                {
                    "boundaries": sorted(rng.sample(range(1, 60), 2)),
                    "values": [rng.random(), 0.0],
                },
            ),
        ]
        for name, kw in cases:
            got = real[name](**kw).value_at(jnp.asarray(steps, jnp.uint32))
            ref = truth.PRAXIS[name](**kw).value_at(steps)
            report.add(got, ref, _mirror(getattr(praxis, name)(**kw), steps))
    return report


# ------------------------------------------------------------------------- T5X


def compare_t5x(clone: pathlib.Path, rng: random.Random) -> _Report:
    ns = {"jnp": jnp, "np": np, "LearningRateCallable": object}
    exec(_source(clone, "t5x", {"create_learning_rate_scheduler"}), ns)
    report = _Report("T5X")
    steps = np.arange(0, 400)
    while report.count < 300:
        kw = {
            "factors": " * ".join(rng.sample(list(t5x.FACTORS), rng.randint(1, 4))),
            "base_learning_rate": rng.random(),
            "warmup_steps": rng.choice([1, 10, 100]),
            "decay_factor": rng.choice([0.5, 0.01, 0.9, 0.0]),
            "steps_per_decay": rng.choice([7, 100]),
            "steps_per_cycle": rng.choice([13, 100]),
            "step_offset": rng.choice([0, 5]),
            "min_learning_rate": rng.choice([1e-8, 0.0, 1e-3]),
        }
        got = ns["create_learning_rate_scheduler"](**kw)(jnp.asarray(steps))
        ref = truth.t5x_create_learning_rate_scheduler(**kw)(steps)
        mirror = t5x.create_learning_rate_scheduler(**kw)
        report.add(got, ref, _mirror(mirror, steps))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in FILES:
        parser.add_argument(f"--{name.replace('_', '-')}", type=pathlib.Path)
    args = parser.parse_args()
    rng = random.Random(0)
    compare = {
        "big_vision": compare_big_vision,
        "maxtext": compare_maxtext,
        "levanter": compare_levanter,
        "praxis": compare_praxis,
        "t5x": compare_t5x,
    }
    for name, run in compare.items():
        clone = getattr(args, name)
        if clone is not None:
            print(run(clone, rng).line(), flush=True)


if __name__ == "__main__":
    main()
