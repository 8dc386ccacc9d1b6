"""Compare DeepSpeed's, Megatron-LM's and fairseq's real scheduler code with the
float64 transcriptions and the mirrors.

Not part of the test suite (the test extra carries no torch). Run it in an
environment with torch's CPU wheel, jax and optax, giving the frameworks' own
source files (from their repositories: DeepSpeed's
``deepspeed/runtime/lr_schedules.py``, Megatron-LM's
``megatron/core/optimizer_param_scheduler.py``, fairseq's
``fairseq/optim/lr_scheduler`` folder); their package imports (``deepspeed.utils``,
``megatron.core.utils``, ``omegaconf.II``, fairseq's dataclass and optimizer base
classes) are stubbed, and fairseq's trainer is played: ``step_update(t)`` after
each update, ``step_begin_epoch(e)`` when an epoch starts::

    python tests/external/compare_pt.py --deepspeed lr_schedules.py \\
        --megatron optimizer_param_scheduler.py --fairseq lr_scheduler/

It prints, per class, how many values were compared and the largest differences
relative to the peak: the framework against ``tests/truth_frameworks_pt.py`` and
the mirror (x64) against the framework.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import logging
import pathlib
import random
import sys
import types

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import truth_frameworks_pt as truth  # noqa: E402

STEPS = np.arange(0, 160)


def _stub(name: str, **attributes) -> None:
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        full = ".".join(parts[:i])
        if full not in sys.modules:
            module = types.ModuleType(full)
            module.__path__ = []
            sys.modules[full] = module
    for key, value in attributes.items():
        setattr(sys.modules[name], key, value)


def _load(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _stats(rows: dict, name: str, real, ref, mirror=None) -> None:
    peak = max(float(np.max(np.abs(real))), 1e-300)
    row = rows.setdefault(name, [0, 0.0, 0.0])
    row[0] += np.size(real)
    row[1] = max(row[1], float(np.max(np.abs(real - ref))) / peak)
    if mirror is not None:
        row[2] = max(row[2], float(np.max(np.abs(mirror - real))) / peak)


def deepspeed(path: str, rows: dict, call) -> None:
    import torch

    _stub("deepspeed.utils", logger=logging.getLogger("deepspeed"))
    ds = _load("deepspeed_lr_schedules", path)
    from jaxsched.frameworks import deepspeed as mirror

    def run(make, momentum=False):
        param = torch.nn.Parameter(torch.zeros(1))
        optimizer = torch.optim.Adam([param], lr=0.5)
        scheduler = make(optimizer)
        lrs, moms = [], []
        for _ in STEPS:
            lrs.append(optimizer.param_groups[0]["lr"])
            moms.append(optimizer.param_groups[0]["betas"][0])
            scheduler.step()
        return np.array(lrs, np.float64), np.array(moms, np.float64)

    for size, rate, stairs in itertools.product([1, 7, 30], [0.0, 2.5], [False, True]):
        args = (0.01, size, rate, stairs)
        real, _ = run(lambda o, a=args: ds.LRRangeTest(o, *a))
        got = np.asarray(call(mirror.LRRangeTest(*args), STEPS))
        _stats(
            rows, "LRRangeTest", real, truth.deepspeed_lr_range_test(STEPS, *args), got
        )
    for kind, w, lo, hi in itertools.product(
        ["log", "linear"], [1, 2, 10], [0.0, 0.01], [None, 0.3]
    ):
        args = (lo, hi, w, kind)
        real, _ = run(lambda o, a=args: ds.WarmupLR(o, *a))
        got = np.asarray(call(mirror.WarmupLR(0.5, *args), STEPS))
        _stats(
            rows, "WarmupLR", real, truth.deepspeed_warmup_lr(STEPS, 0.5, *args), got
        )
    for kind, w, total, hi in itertools.product(
        ["log", "linear"], [1, 10], [5, 10, 11, 60], [None, 0.001]
    ):
        args = (total, 0.0, hi, w, kind)
        real, _ = run(lambda o, a=args: ds.WarmupDecayLR(o, *a))
        got = np.asarray(call(mirror.WarmupDecayLR(0.5, *args), STEPS))
        ref = truth.deepspeed_warmup_decay_lr(STEPS, 0.5, *args)
        _stats(rows, "WarmupDecayLR", real, ref, got)
    for kind, w, total, lo, cos_min in itertools.product(
        ["log", "linear"], [1, 10], [5, 10, 60], [0.0, 0.1], [0.0001, 0.2]
    ):
        args = (total, lo, w, cos_min, kind)
        real, _ = run(lambda o, a=args: ds.WarmupCosineLR(o, *a))
        got = np.asarray(call(mirror.WarmupCosineLR(0.5, *args), STEPS))
        ref = truth.deepspeed_warmup_cosine_lr(STEPS, 0.5, *args)
        _stats(rows, "WarmupCosineLR", real, ref, got)
    rng = random.Random(0)
    for _ in range(40):
        kw = dict(
            cycle_min_lr=rng.uniform(0.001, 0.1),
            cycle_max_lr=rng.uniform(0.2, 1.0),
            cycle_first_step_size=rng.randrange(1, 60),
            cycle_second_step_size=rng.choice([None, rng.randrange(0, 60)]),
            cycle_first_stair_count=rng.choice([0, rng.randrange(1, 20)]),
            cycle_second_stair_count=rng.choice([None, 0, rng.randrange(1, 20)]),
            decay_step_size=rng.choice([0, rng.randrange(1, 20)]),
            decay_lr_rate=rng.choice([0.0, rng.uniform(0, 2)]),
            cycle_min_mom=rng.uniform(0.7, 0.85),
            cycle_max_mom=rng.uniform(0.86, 0.99),
            decay_mom_rate=rng.choice([0.0, rng.uniform(0, 0.1)]),
        )
        real_lr, real_mom = run(lambda o, k=kw: ds.OneCycle(o, **k))
        ref_lr, ref_mom = truth.deepspeed_one_cycle(STEPS, **kw)
        schedules = mirror.OneCycle(**kw)
        got_lr = np.asarray(call(schedules.learning_rate, STEPS))
        got_mom = np.asarray(call(schedules.momentum, STEPS))
        _stats(rows, "OneCycle (lr)", real_lr, ref_lr, got_lr)
        _stats(rows, "OneCycle (momentum)", real_mom, ref_mom, got_mom)


def megatron(path: str, rows: dict, call) -> None:
    _stub("megatron.core.utils", log_single_rank=lambda *a, **k: None)
    mg = _load("megatron_optimizer_param_scheduler", path)
    from jaxsched.frameworks import megatron as mirror

    class Optimizer:
        def __init__(self):
            self.param_groups = [{}]

    rng = random.Random(1)
    configs = []
    for style in ["constant", "linear", "cosine", "inverse-square-root"]:
        for w, lo in itertools.product([0, 1, 10], [0.0, 0.001, 0.5]):
            configs.append(((0.01, 0.5, lo, w, 60, style), (None, None)))
    for wsd_style, (w, wsd) in itertools.product(
        ["linear", "cosine", "exponential", "minus_sqrt"],
        [(10, 20), (0, 60), (10, 58), (5, 1)],
    ):
        configs.append(((0.0, 0.5, 0.01, w, 60, "WSD"), (wsd, wsd_style)))
    for _ in range(40):
        d = rng.randrange(2, 150)
        hi = rng.uniform(0.01, 1.0)
        style = rng.choice(["linear", "cosine", "inverse-square-root", "WSD"])
        wsd = (
            rng.randrange(1, d + 1),
            rng.choice(["linear", "cosine", "exponential", "minus_sqrt"]),
        )
        lr = (rng.uniform(0, hi), hi, rng.uniform(0, hi), rng.randrange(0, d), d, style)
        configs.append((lr, wsd if style == "WSD" else (None, None)))
    for lr, wsd in configs:
        start = rng.uniform(0, 0.1)
        wd = (
            start,
            start + rng.uniform(0, 0.1),
            rng.randrange(1, 150),
            rng.choice(["linear", "cosine"]),
        )
        optimizer = Optimizer()
        scheduler = mg.OptimizerParamScheduler(
            optimizer, *lr, *wd, wsd_decay_steps=wsd[0], lr_wsd_decay_style=wsd[1]
        )
        real_lr, real_wd = [], []
        for _ in STEPS:
            real_lr.append(optimizer.param_groups[0]["lr"])
            real_wd.append(optimizer.param_groups[0]["weight_decay"])
            scheduler.step(1)
        schedules = mirror.OptimizerParamScheduler(
            *lr, *wd, wsd_decay_steps=wsd[0], lr_wsd_decay_style=wsd[1]
        )
        _stats(
            rows,
            "OptimizerParamScheduler (lr)",
            np.array(real_lr),
            truth.megatron_lr(STEPS, *lr, *wsd),
            np.asarray(call(schedules.learning_rate, STEPS)),
        )
        _stats(
            rows,
            "OptimizerParamScheduler (wd)",
            np.array(real_wd),
            truth.megatron_wd(STEPS, *wd),
            np.asarray(call(schedules.weight_decay, STEPS)),
        )


def fairseq(folder: str, rows: dict, call) -> None:
    class FairseqOptimizer:
        def __init__(self, lr):
            self.lr = lr

        def set_lr(self, lr):
            self.lr = lr

        def get_lr(self):
            return self.lr

    schedulers = {}  # by the name fairseq registers each under

    def register(name, dataclass=None):
        return lambda cls: schedulers.setdefault(name, cls)

    _stub("omegaconf", II=lambda text: None)
    _stub("fairseq.dataclass", FairseqDataclass=object)
    _stub("fairseq.dataclass.utils", gen_parser_from_dataclass=lambda *a: None)
    _stub("fairseq.optim", FairseqOptimizer=FairseqOptimizer)
    folder_path = pathlib.Path(folder)
    base = _load("fairseq_lr_base", str(folder_path / "fairseq_lr_scheduler.py"))
    _stub(
        "fairseq.optim.lr_scheduler",
        FairseqLRScheduler=base.FairseqLRScheduler,
        LegacyFairseqLRScheduler=base.LegacyFairseqLRScheduler,
        register_lr_scheduler=register,
    )
    for module in [
        "inverse_square_root_schedule",
        "tri_stage_lr_scheduler",
        "cosine_lr_scheduler",
        "polynomial_decay_schedule",
        "triangular_lr_scheduler",
        "step_lr_scheduler",
        "fixed_schedule",
        "manual_lr_scheduler",
    ]:
        _load(f"fairseq.optim.lr_scheduler.{module}", str(folder_path / f"{module}.py"))
    from jaxsched.frameworks import fairseq as mirror

    def run(cls, spe=None, **cfg):
        # With the trainer's optimization.max_update and .force_anneal, which the
        # configs of tri_stage, cosine and polynomial_decay read (``II(...)``).
        cfg = types.SimpleNamespace(**{"max_update": 100, "force_anneal": None, **cfg})
        optimizer = FairseqOptimizer(0.0)
        scheduler = cls(cfg, optimizer)
        out = []
        for t in STEPS:
            scheduler.step_update(int(t))
            if spe is not None and t % spe == 0:
                scheduler.step_begin_epoch(int(t) // spe + 1)
            out.append(optimizer.get_lr())
        return np.array(out, np.float64)

    def check(name, real, ref, schedule):
        _stats(rows, name, real, ref, np.asarray(call(schedule, STEPS)))

    lr = 0.5

    def compare(name, grid, rate=lr, spe=None, **config):
        """fairseq's scheduler ``name`` (its ``config`` plus one combination of
        ``grid``, by fairseq's argument names) against ``truth.fairseq_<name>`` and
        ``mirror.<name>`` at every combination; a list ``rate`` is ``fixed``'s."""
        epochs = {} if spe is None else {"steps_per_epoch": spe}
        for values in itertools.product(*grid.values()):
            kw = dict(zip(grid, values))
            rates = rate if isinstance(rate, list) else [rate]
            real = run(schedulers[name], spe, lr=rates, **config, **kw)
            ref = getattr(truth, f"fairseq_{name}")(STEPS, rate, **epochs, **kw)
            check(name, real, ref, getattr(mirror, name)(rate, **epochs, **kw))

    compare(
        "inverse_sqrt",
        {"warmup_updates": [1, 4, 10], "warmup_init_lr": [-1, 0.01]},
    )
    compare(
        "tri_stage",
        {
            "warmup_steps": [0, 3],
            "hold_steps": [0, 4],
            "decay_steps": [1, 5, 30],
            "init_lr_scale": [0.1],
            "final_lr_scale": [0.01, 0.5],
        },
        phase_ratio=None,
    )
    compare(
        "cosine",
        {
            "warmup_updates": [0, 5],
            "warmup_init_lr": [-1, 0.2],
            "min_lr": [0.0, 0.05],
            "t_mult": [1.0, 2.0, 1.5],
            "lr_period_updates": [7, 30],
            "lr_shrink": [0.1, 1.0],
        },
    )
    compare(
        "polynomial_decay",
        {
            "warmup_updates": [0, 5, 20],
            "end_learning_rate": [0.0, 0.01],
            "power": [1.0, 2.0, 0.5],
            "total_num_update": [10, 50],
        },
    )
    compare(
        "triangular",
        {
            "max_lr": [lr],
            "lr_period_updates": [4, 7, 20],
            "lr_shrink": [0.1, 1.0],
            "shrink_min": [False, True],
        },
        rate=0.05,
    )
    compare(
        "step",
        {
            "warmup_updates": [0, 5],
            "warmup_init_lr": [-1, 0.01],
            "min_lr": [0.0, 0.1],
            "lr_deacy_period": [3, 10],
            "lr_decay": [0.5, 0.0, 1.0],
        },
    )
    for lrs in ([lr], [lr, 0.3, 0.2]):
        compare(
            "fixed",
            {
                "force_anneal": [None, 1, 2, 4],
                "lr_shrink": [0.1, 0.5],
                "warmup_updates": [0, 1, 15],
            },
            rate=lrs,
            spe=7,
        )
    for epoch2lr, update2lr in [
        ("{}", "{'5': 0.5, '10-11': 0.1}"),
        ("{'1': 0.3, '3': 0.2}", "{}"),
        ("{'2': 0.3, '4': 0.2}", "{'50': 0.01, '1': 0.7}"),
        ("{}", "{'0': 0.9, '7,9': 0.1}"),
    ]:
        real = run(
            schedulers["manual"], spe=9, lr=[lr], epoch2lr=epoch2lr, update2lr=update2lr
        )
        parsed = [mirror._manual_dict("", "", d) for d in (epoch2lr, update2lr)]
        check(
            "manual",
            real,
            truth.fairseq_manual(STEPS, lr, *parsed, 9),
            mirror.manual(lr, epoch2lr, update2lr, 9),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deepspeed", help="DeepSpeed's lr_schedules.py")
    parser.add_argument("--megatron", help="Megatron's optimizer_param_scheduler.py")
    parser.add_argument("--fairseq", help="fairseq's fairseq/optim/lr_scheduler folder")
    args = parser.parse_args()
    import jax

    jax.config.update("jax_enable_x64", True)
    call = jax.jit(lambda s, t: s(t))
    rows: dict = {}
    if args.deepspeed:
        deepspeed(args.deepspeed, rows, call)
    if args.megatron:
        megatron(args.megatron, rows, call)
    if args.fairseq:
        fairseq(args.fairseq, rows, call)
    for name, (count, err_truth, err_mirror) in rows.items():
        print(
            f"{name}: {count} values, |framework - truth|/peak = {err_truth:.3g}, "
            f"|mirror(x64) - framework|/peak = {err_mirror:.3g}"
        )


if __name__ == "__main__":
    main()
