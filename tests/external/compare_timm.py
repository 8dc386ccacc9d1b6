"""Compare timm's real schedulers with the float64 transcriptions and the mirrors.

Not part of the test suite (the test extra carries no torch). Run it in an
environment with torch's CPU wheel, jax and optax, and timm installed without its
dependencies (``pip install --no-deps timm``); timm's package ``__init__`` imports
torchvision, so the scheduler modules are loaded from their files under a stub
package::

    python tests/external/compare_timm.py

It prints, per class, how many values were compared and the largest difference
relative to the peak: timm against ``tests/truth_frameworks_pt.py`` (the oracle
the tests use) and, where ``jaxsched.frameworks.timm`` exists, the mirror (float64)
against timm. Noise is compared for its range and its switch points only: torch's
generator is not reproduced.
"""

from __future__ import annotations

import importlib.util
import itertools
import pathlib
import random
import sys
import types

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import truth_frameworks_pt as truth  # noqa: E402


def load_timm_scheduler():
    """timm.scheduler's modules, without timm/__init__.py (it imports torchvision)."""
    spec = importlib.util.find_spec("timm")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("timm is not installed (pip install --no-deps timm)")
    folder = pathlib.Path(spec.submodule_search_locations[0]) / "scheduler"
    package = types.ModuleType("timm")
    package.__path__ = [str(folder.parent)]
    sys.modules["timm"] = package
    scheduler = types.ModuleType("timm.scheduler")
    scheduler.__path__ = [str(folder)]
    sys.modules["timm.scheduler"] = scheduler
    names = ["scheduler", "cosine_lr", "tanh_lr", "poly_lr", "step_lr", "multistep_lr"]
    if (folder / "wsd_lr.py").exists():
        names.append("wsd_lr")
    modules = {}
    for name in names:
        full = f"timm.scheduler.{name}"
        spec = importlib.util.spec_from_file_location(full, folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)
        modules[name] = module
    return modules


def timm_values(make, steps):
    """What timm sets at each t (``step_update`` with t_in_epochs=False)."""
    import torch

    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=LR)
    scheduler = make(optimizer)
    out = []
    for t in steps:
        scheduler.step_update(int(t))
        out.append(optimizer.param_groups[0]["lr"])
    return np.asarray(out, dtype=np.float64)


LR = 0.1


def configurations():
    """(class name, timm kwargs) pairs: every argument, both warmup modes."""
    rng = random.Random(0)
    for cls, extra in [
        ("CosineLRScheduler", {"k_decay": [1.0, 0.5, 2.0]}),
        ("TanhLRScheduler", {"lb": [-7.0, -3.0], "ub": [3.0, 5.0]}),
        ("PolyLRScheduler", {"k_decay": [1.0, 0.5, 2.0], "power": [0.5, 1.0, 2.0]}),
    ]:
        grid = {
            "t_initial": [7, 20],
            "lr_min": [0.0, 1e-3],
            "cycle_mul": [1.0, 2.0, 1.5],
            "cycle_decay": [1.0, 0.5],
            "cycle_limit": [1, 3],
            "warmup_t": [0, 5],
            "warmup_lr_init": [0.0, 1e-4],
            "warmup_prefix": [False, True],
            **extra,
        }
        keys = list(grid)
        for values in itertools.product(*grid.values()):
            if rng.random() < 0.15:
                yield cls, dict(zip(keys, values))
    for decay_t, rate, w, prefix in itertools.product(
        [3, 10, 2.5], [0.5, 0.1], [0, 4], [True, False]
    ):
        yield (
            "StepLRScheduler",
            {
                "decay_t": decay_t,
                "decay_rate": rate,
                "warmup_t": w,
                "warmup_lr_init": 1e-3,
                "warmup_prefix": prefix,
            },
        )
    for milestones, w, prefix in itertools.product(
        [[1, 5, 12], [3, 30], [0, 10]], [0, 4], [True, False]
    ):
        yield (
            "MultiStepLRScheduler",
            {
                "decay_t": milestones,
                "decay_rate": 0.3,
                "warmup_t": w,
                "warmup_lr_init": 2e-3,
                "warmup_prefix": prefix,
            },
        )
    for stable, decay, w, ts in itertools.product(
        ["constant", "rsqrt", "power"],
        ["linear", "1-sqrt", "cosine", "power", "exp"],
        [0, 5],
        [None, 3.0],
    ):
        if stable != "constant" and w == 0 and ts is None:
            continue
        yield (
            "WSDLRScheduler",
            {
                "t_initial": 40,
                "decay_t": 10,
                "lr_min": 1e-3,
                "stable_fn": stable,
                "stable_timescale": ts,
                "stable_power": 0.3,
                "decay_fn": decay,
                "decay_power": 1.5,
                "decay_ratio": 0.05,
                "warmup_t": w,
                "warmup_lr_init": 1e-4,
            },
        )


TRUTH = {
    "CosineLRScheduler": truth.timm_cosine,
    "TanhLRScheduler": truth.timm_tanh,
    "PolyLRScheduler": truth.timm_poly,
    "StepLRScheduler": truth.timm_step,
    "MultiStepLRScheduler": truth.timm_multistep,
    "WSDLRScheduler": truth.timm_wsd,
}
MODULE = {
    "CosineLRScheduler": "cosine_lr",
    "TanhLRScheduler": "tanh_lr",
    "PolyLRScheduler": "poly_lr",
    "StepLRScheduler": "step_lr",
    "MultiStepLRScheduler": "multistep_lr",
    "WSDLRScheduler": "wsd_lr",
}


def main() -> None:
    modules = load_timm_scheduler()
    try:
        import jax

        jax.config.update("jax_enable_x64", True)
        from jaxsched.frameworks import timm as mirror
    except ImportError:
        mirror = None
    steps = np.arange(0, 300)
    call = None if mirror is None else jax.jit(lambda s, t: s(t))  # one per structure
    stats: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for name, kwargs in configurations():
        if MODULE[name] not in modules:
            continue
        cls = getattr(modules[MODULE[name]], name)
        real = timm_values(
            lambda o, c=cls, k=kwargs: c(o, t_in_epochs=False, **k), steps
        )
        ref = TRUTH[name](steps, LR, **kwargs)
        peak = max(np.max(np.abs(real)), 1e-30)
        row = stats.setdefault(name, [0.0, 0.0])
        row[0] = max(row[0], float(np.max(np.abs(real - ref))) / peak)
        if mirror is not None:
            schedule = getattr(mirror, name)(LR, t_in_epochs=False, **kwargs)
            got = np.asarray(call(schedule, steps))
            row[1] = max(row[1], float(np.max(np.abs(got - real))) / peak)
        counts[name] = counts.get(name, 0) + steps.size
    # noise: range and switch points against the real timm
    cls = modules["cosine_lr"].CosineLRScheduler
    kwargs = {
        "t_initial": 50,
        "noise_range_t": (10, 40),
        "noise_pct": 0.3,
        "noise_std": 0.5,
        "noise_seed": 7,
    }
    real = timm_values(lambda o: cls(o, t_in_epochs=False, **kwargs), steps)
    clean = truth.timm_cosine(steps, LR, t_initial=50)
    mask = truth.timm_noise_mask(steps, (10, 40))
    ratio = np.where(clean > 0, real / np.where(clean > 0, clean, 1) - 1, 0)
    assert np.all(ratio[~mask] == 0), "noise outside its range"
    assert np.all(np.abs(ratio[mask]) < 0.3), "noise past noise_pct"
    print(f"noise: timm applies it on {int(mask.sum())} steps, |n| < noise_pct: ok")
    if mirror is not None:  # the same distribution: compare the spread over 3000 t
        kwargs = {
            "t_initial": 10**6,
            "noise_range_t": 0,
            "noise_pct": 0.3,
            "noise_std": 0.5,
            "noise_seed": 3,
        }
        many = np.arange(3000)
        real = timm_values(lambda o: cls(o, t_in_epochs=False, **kwargs), many)
        ours = np.asarray(
            mirror.CosineLRScheduler(LR, t_in_epochs=False, **kwargs)(many)
        )
        clean = truth.timm_cosine(many, LR, t_initial=10**6)
        n_timm, n_ours = real / clean - 1, ours / clean - 1
        print(
            f"noise spread over 3000 steps (truncated normal, std 0.5, |n| < 0.3): "
            f"timm std {n_timm.std():.4f} mean {n_timm.mean():+.4f}; mirror std "
            f"{n_ours.std():.4f} mean {n_ours.mean():+.4f}; max |n| "
            f"{abs(n_timm).max():.4f} / {abs(n_ours).max():.4f}"
        )
    for name, (err_truth, err_mirror) in stats.items():
        line = f"{name}: {counts[name]} values, |timm - truth|/peak = {err_truth:.3g}"
        if mirror is not None:
            line += f", |mirror(x64) - timm|/peak = {err_mirror:.3g}"
        print(line)


if __name__ == "__main__":
    main()
