"""Compare Composer's, NeMo's and torch's real schedulers with the transcriptions.

Not part of the test suite (the test extra carries no torch). Run it in an
environment with torch's CPU wheel, jax and optax, and point it at the source
files of Composer and NeMo (their packages pull in far more than the scheduler
modules need, so the modules are loaded from their files under stub packages)::

    python tests/external/compare_pt2.py --composer COMPOSER_CHECKOUT \\
        --nemo NEMO_CHECKOUT

``COMPOSER_CHECKOUT`` holds ``composer/core/time.py``,
``composer/core/serializable.py``, ``composer/utils/string_enum.py`` and
``composer/optim/scheduler.py``; ``NEMO_CHECKOUT`` holds
``nemo/core/optim/lr_scheduler.py``. Either may be left out (torch alone is then
compared). TF Model Garden is not compared (TensorFlow is not installed here).

Per class it prints how many values were compared and the largest difference
relative to the peak: the framework against ``tests/truth_frameworks_pt2.py`` (the
oracle the tests use) and against the mirror in ``jaxsched.frameworks`` (float64,
under x64). Composer is called with a ``State`` stand-in (``max_duration`` scaled as
the trainer scales it, ``dataloader_len``, the real ``Timestamp``); NeMo's policies
and torch's schedulers are stepped as a training loop steps them, on a real
optimizer, and read after each ``step()``.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import pathlib
import random
import sys
import types
import warnings

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import truth_frameworks_pt2 as truth  # noqa: E402

from jaxsched.frameworks import composer as js_composer  # noqa: E402
from jaxsched.frameworks import nemo as js_nemo  # noqa: E402
from jaxsched.frameworks import torch as js_torch  # noqa: E402

RESULTS: dict[str, list[float]] = {}


def _record(name: str, real, ref, mirror) -> None:
    real, ref, mirror = (np.asarray(x, np.float64) for x in (real, ref, mirror))
    peak = max(np.max(np.abs(real)), 1e-300)
    rows = RESULTS.setdefault(name, [0, 0.0, 0.0])
    rows[0] += real.size
    rows[1] = max(rows[1], float(np.max(np.abs(ref - real)) / peak))
    rows[2] = max(rows[2], float(np.max(np.abs(mirror - real)) / peak))


def _load(name: str, path: pathlib.Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _package(name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__path__ = []  # type: ignore[attr-defined]
    module.__dict__.update(attrs)
    sys.modules[name] = module
    return module


# ----------------------------------------------------------------------- Composer


def load_composer(root: pathlib.Path):
    _package("composer")
    utils = _package("composer.utils")
    core = _package("composer.core")
    _package("composer.optim")
    utils.StringEnum = _load(
        "composer.utils.string_enum", root / "composer/utils/string_enum.py"
    ).StringEnum
    _load("composer.core.serializable", root / "composer/core/serializable.py")
    time = _load("composer.core.time", root / "composer/core/time.py")

    class State:  # what the schedulers read
        pass

    core.State, core.Time, core.TimeUnit = State, time.Time, time.TimeUnit
    core.Timestamp = time.Timestamp
    scheduler = _load("composer.optim.scheduler", root / "composer/optim/scheduler.py")
    return scheduler, time, State


def compare_composer(root: pathlib.Path, rng: random.Random) -> None:
    scheduler, time, State = load_composer(root)
    states = [
        {"max_duration": "100ba"},
        {"max_duration": "10ep", "steps_per_epoch": 7},
        {"max_duration": "20000sp", "samples_per_step": 96},
        {"max_duration": "1e6tok", "tokens_per_step": 4096},
        {"max_duration": "100ba", "scale_schedule_ratio": 1.5},
        {"max_duration": "10ep", "steps_per_epoch": 7, "scale_schedule_ratio": 0.7},
    ]

    def times(state):
        unit = time.Time.from_timestring(state["max_duration"]).unit.value
        pool = ["0.1dur", "0.3dur", "0.5dur", "7ba", "20ba"]
        if "steps_per_epoch" in state:
            pool += ["1ep", "3ep"]
        if unit == "sp":
            pool += ["960sp", "5000sp"]
        if unit == "tok":
            pool += ["40960tok", "100000tok"]
        return pool

    for _ in range(40):
        state = rng.choice(states)
        w = rng.choice(times(state))
        configs = [
            (
                "StepScheduler",
                {"step_size": rng.choice(times(state)[3:]), "gamma": 0.5},
            ),
            ("MultiStepScheduler", {"milestones": rng.sample(times(state), 2)}),
            ("ConstantScheduler", {"alpha": 0.3, "t_max": rng.choice(times(state))}),
            (
                "LinearScheduler",
                {"alpha_i": 0.9, "alpha_f": 0.2, "t_max": rng.choice(times(state))},
            ),
            (
                "ExponentialScheduler",
                {"gamma": 0.8, "decay_period": rng.choice(times(state))},
            ),
            ("CosineAnnealingScheduler", {"alpha_f": 0.1}),
            (
                "CosineAnnealingWarmRestartsScheduler",
                {
                    "t_0": rng.choice(times(state)[3:]),
                    "t_mult": rng.choice([1.0, 2.0]),
                    "alpha_f": 0.05,
                },
            ),
            ("PolynomialScheduler", {"power": rng.uniform(0.5, 3), "alpha_f": 0.05}),
            (
                "MultiStepWithWarmupScheduler",
                {
                    "t_warmup": w,
                    "milestones": rng.sample(times(state), 2),
                    "scale_warmup": rng.random() < 0.5,
                },
            ),
            ("ConstantWithWarmupScheduler", {"t_warmup": w, "alpha": 0.7}),
            (
                "LinearWithWarmupScheduler",
                {"t_warmup": w, "alpha_f": 0.1, "scale_warmup": rng.random() < 0.5},
            ),
            ("CosineAnnealingWithWarmupScheduler", {"t_warmup": w, "alpha_f": 0.05}),
            ("PolynomialWithWarmupScheduler", {"t_warmup": w, "power": 1.5}),
        ]
        ssr = state.get("scale_schedule_ratio", 1.0)
        max_duration = time.Time.from_timestring(state["max_duration"])
        if ssr != 1.0:  # trainer._scale_max_duration_by_ssr
            max_duration = max_duration * ssr
        spe = state.get("steps_per_epoch")
        sps, tps = state.get("samples_per_step", 1), state.get("tokens_per_step", 1)
        for name, kwargs in configs:
            try:
                mirror = getattr(js_composer, name)(1.0, **kwargs, **state)
            except ValueError:  # a configuration the mirror (or Composer) rejects
                continue
            fn = getattr(scheduler, name)(**kwargs)
            steps = np.arange(0, 3 * 300)
            real = []
            for t in steps:
                s = State()
                s.max_duration, s.dataloader_len = max_duration, spe
                s.timestamp = time.Timestamp(
                    epoch=int(t) // spe if spe else 0,
                    batch=int(t),
                    sample=int(t) * sps,
                    token=int(t) * tps,
                )
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    real.append(fn(s, ssr))
            ref = truth.composer(steps, name, 1.0, **state, **kwargs)
            _record(f"composer.{name}", real, ref, np.asarray(mirror(steps)))


# --------------------------------------------------------------------------- NeMo


def load_nemo(root: pathlib.Path):
    _package("hydra")
    _package("omegaconf", DictConfig=dict, OmegaConf=object)
    _package("nemo")
    _package("nemo.core")
    _package(
        "nemo.core.config",
        SchedulerParams=object,
        get_scheduler_config=None,
        register_scheduler_params=None,
    )
    _package("nemo.utils", logging=None)
    _package("nemo.utils.model_utils", maybe_update_config_version=None)
    _package("nemo.core.optim")
    return _load(
        "nemo.core.optim.lr_scheduler", root / "nemo/core/optim/lr_scheduler.py"
    )


def compare_nemo(root: pathlib.Path, rng: random.Random) -> None:
    import torch

    lr_scheduler = load_nemo(root)
    for _ in range(60):
        m = rng.randint(20, 200)
        w = rng.choice([0, 1, rng.randint(2, 30)])
        h = rng.randint(1, 30)
        low = rng.choice([0.0, 0.01])
        warm = rng.choice([{"warmup_steps": w}, {"warmup_ratio": round(w / m, 3)}])
        configs = [
            ("WarmupPolicy", {**warm, "max_steps": m, "min_lr": low}),
            (
                "WarmupHoldPolicy",
                {**warm, "hold_steps": h, "max_steps": m, "min_lr": low},
            ),
            (
                "WarmupAnnealHoldPolicy",
                {
                    **warm,
                    "max_steps": m,
                    "min_lr": low,
                    **rng.choice([{}, {"constant_steps": h}, {"constant_ratio": 0.1}]),
                },
            ),
            (
                "WarmupHoldAnnealOneMinusSquareRoot",
                {
                    **warm,
                    "max_steps": m,
                    "min_lr": low,
                    **rng.choice([{}, {"hold_steps": h}, {"hold_ratio": 0.2}]),
                },
            ),
            (
                "WarmupHoldAnnealLinear",
                {**warm, "hold_steps": h, "max_steps": m, "min_lr": low},
            ),
            ("SquareAnnealing", {**warm, "max_steps": m}),
            ("SquareRootAnnealing", {**warm, "max_steps": m, "min_lr": low}),
            (
                "CosineAnnealing",
                {
                    **warm,
                    "max_steps": m,
                    "min_lr": low,
                    **rng.choice([{}, {"constant_steps": h}, {"constant_ratio": 0.1}]),
                },
            ),
            ("NoamAnnealing", {**warm, "d_model": 64, "max_steps": m, "min_lr": low}),
            (
                "NoamHoldAnnealing",
                {
                    **warm,
                    "hold_steps": h,
                    "max_steps": m,
                    "min_lr": low,
                    "decay_rate": rng.uniform(0.2, 1.5),
                },
            ),
            ("WarmupAnnealing", {**warm, "max_steps": m, "min_lr": low}),
            ("InverseSquareRootAnnealing", {**warm, "max_steps": m, "min_lr": low}),
            (
                "T5InverseSquareRootAnnealing",
                {"constant_steps": h, "max_steps": m, "min_lr": low},
            ),
            (
                "PolynomialDecayAnnealing",
                {
                    **warm,
                    "max_steps": m,
                    "min_lr": low,
                    "power": rng.uniform(0.5, 3),
                    "cycle": rng.random() < 0.5,
                },
            ),
            (
                "PolynomialHoldDecayAnnealing",
                {
                    **warm,
                    "max_steps": m,
                    "min_lr": low,
                    "power": rng.uniform(0.5, 3),
                    "cycle": rng.random() < 0.5,
                    **rng.choice([{}, {"hold_steps": h}]),
                },
            ),
        ]
        lr = rng.uniform(0.1, 2)
        for name, kwargs in configs:
            try:
                mirror = getattr(js_nemo, name)(lr, **kwargs)
            except ValueError:  # NeMo fails there too (tested in test_nemo)
                continue
            param = torch.nn.Parameter(torch.zeros(1))
            optimizer = torch.optim.SGD([param], lr=lr)
            policy = getattr(lr_scheduler, name)(optimizer, **kwargs)
            steps = np.arange(0, 2 * m + 5)
            real = []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for _t in steps:  # last_epoch == t after t step() calls
                    real.append(optimizer.param_groups[0]["lr"])
                    optimizer.step()
                    policy.step()
            ref = truth.nemo(steps, name, lr, **kwargs)
            _record(f"nemo.{name}", real, ref, np.asarray(mirror(steps)))


# -------------------------------------------------------------------------- torch


def compare_torch(rng: random.Random) -> None:
    import torch

    for _ in range(60):
        total = rng.randint(10, 400)
        kwargs = {
            "max_lr": rng.uniform(0.1, 3),
            "total_steps": total,
            "pct_start": rng.uniform(0.1, 0.7),
            "anneal_strategy": rng.choice(["cos", "linear"]),
            "base_momentum": rng.uniform(0.5, 0.9),
            "max_momentum": rng.uniform(0.91, 0.99),
            "div_factor": rng.uniform(5, 50),
            "final_div_factor": rng.uniform(10, 1e4),
            "three_phase": rng.random() < 0.5,
        }
        if round(kwargs["pct_start"] * total) <= 1:
            continue  # a phase of length 0: torch divides by zero (documented)
        for optimizer_name in ("SGD", "Adam"):
            param = torch.nn.Parameter(torch.zeros(1))
            if optimizer_name == "SGD":
                optimizer = torch.optim.SGD([param], lr=0.1, momentum=0.9)
            else:
                optimizer = torch.optim.Adam([param], lr=0.1)
            sched = torch.optim.lr_scheduler.OneCycleLR(optimizer, **kwargs)
            lrs, moms = [], []
            for _t in range(total):
                group = optimizer.param_groups[0]
                lrs.append(group["lr"])
                moms.append(
                    group["momentum"] if optimizer_name == "SGD" else group["betas"][0]
                )
                optimizer.step()
                sched.step()
            steps = np.arange(total)
            ref_lr, ref_m = truth.torch_one_cycle(steps, **kwargs)
            mirror = js_torch.OneCycleLR(**kwargs)
            _record("torch.OneCycleLR.lr", lrs, ref_lr, mirror.learning_rate(steps))
            _record("torch.OneCycleLR.momentum", moms, ref_m, mirror.momentum(steps))
    for mode in itertools.islice(
        itertools.cycle(["triangular", "triangular2", "exp_range"]), 60
    ):
        kwargs = {
            "base_lr": rng.uniform(0.01, 0.1),
            "max_lr": rng.uniform(0.2, 2),
            "step_size_up": rng.randint(1, 40),
            "step_size_down": rng.choice([None, rng.randint(1, 40)]),
            "mode": mode,
            "gamma": rng.uniform(0.99, 1.0),
            "base_momentum": rng.uniform(0.5, 0.85),
            "max_momentum": rng.uniform(0.86, 0.99),
        }
        param = torch.nn.Parameter(torch.zeros(1))
        optimizer = torch.optim.SGD([param], lr=0.1, momentum=0.9)
        sched = torch.optim.lr_scheduler.CyclicLR(optimizer, **kwargs)
        lrs, moms = [], []
        steps = np.arange(300)
        for _t in steps:
            lrs.append(optimizer.param_groups[0]["lr"])
            moms.append(optimizer.param_groups[0]["momentum"])
            optimizer.step()
            sched.step()
        ref_lr, ref_m = truth.torch_cyclic(steps, **kwargs)
        mirror = js_torch.CyclicLR(**kwargs)
        _record("torch.CyclicLR.lr", lrs, ref_lr, mirror.learning_rate(steps))
        _record("torch.CyclicLR.momentum", moms, ref_m, mirror.momentum(steps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--composer", type=pathlib.Path)
    parser.add_argument("--nemo", type=pathlib.Path)
    parser.add_argument("--no-torch", action="store_true", help="skip torch's own")
    args = parser.parse_args()
    rng = random.Random(23)
    if not args.no_torch:
        compare_torch(rng)
    if args.composer:
        compare_composer(args.composer, rng)
    if args.nemo:
        compare_nemo(args.nemo, rng)
    print(f"{'class':45} {'values':>8} {'truth-real':>11} {'mirror-real':>12}")
    for name, (count, truth_err, mirror_err) in sorted(RESULTS.items()):
        print(f"{name:45} {count:8d} {truth_err:11.2e} {mirror_err:12.2e}")


if __name__ == "__main__":
    main()
