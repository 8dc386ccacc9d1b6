"""jaxsched.frameworks.timm against the float64 transcription of timm 1.0.31's
schedulers (tests/truth_frameworks_pt.py; the transcription equals the real timm:
tests/external/compare_timm.py): every argument, both warmup_prefix modes, cycles,
k_decay, noise, epochs."""

import itertools
import math
import random

import jax
import jax.numpy as jnp
import numpy as np
import pt_mirrors
import pytest
import truth_frameworks_pt as truth

from jaxsched.frameworks import timm

STEPS = pt_mirrors.STEPS
LR = 0.1
CLASSES = {
    "CosineLRScheduler": (timm.CosineLRScheduler, truth.timm_cosine),
    "TanhLRScheduler": (timm.TanhLRScheduler, truth.timm_tanh),
    "PolyLRScheduler": (timm.PolyLRScheduler, truth.timm_poly),
    "StepLRScheduler": (timm.StepLRScheduler, truth.timm_step),
    "MultiStepLRScheduler": (timm.MultiStepLRScheduler, truth.timm_multistep),
    "WSDLRScheduler": (timm.WSDLRScheduler, truth.timm_wsd),
}


#: Known limits (float32 rtol and peak tolerance, x64 peak tolerance), measured:
#: - after a restart of geometric cycles jaxsched's Cycles gives a position a few
#:   ulps above 0 (``Cycles(Linear(0, 10, 10), 10, 3.0)(130)`` is 1.2e-6, not 0); a
#:   ``k_decay < 1`` magnifies it (``(eps / T) ** k``) and a polynomial's
#:   first-order slope passes it on: 7e-4 of the peak in float32, 2e-8 in x64;
#: - WarmupHoldDecay's tanh shape computes ``(1 - tanh(x)) / 2``, which cancels in
#:   float32 where ``tanh(x)`` is near 1 (the end of a cycle with ``ub > 3``): 8e-5
#:   of the value; it counts where that tail is the row's peak, as when
#:   ``warmup_prefix=False`` ramps to it.
POLY_K_GEOMETRIC = (1e-5, 1e-3, 1e-7)
TANH_TAIL = (2e-4, 1e-6, 1e-12)


def _case(name, limits=None, **kw):
    mirror, reference = CLASSES[name]
    case = (mirror(LR, t_in_epochs=False, **kw), reference(STEPS, LR, **kw))
    return case if limits is None else (*case, limits)


def _known_limits():
    cases = []
    for power, cycle_mul in itertools.product([0.5, 2.0], [1.5, 3.0]):
        kw = dict(t_initial=7, lr_min=1e-3, cycle_mul=cycle_mul, cycle_limit=4)
        cases.append(
            _case(
                "PolyLRScheduler",
                POLY_K_GEOMETRIC,
                power=power,
                k_decay=0.5,
                warmup_t=2,
                warmup_prefix=True,
                **kw,
            )
        )
    kw = dict(t_initial=7, lb=-3.0, ub=5.0, warmup_t=5, cycle_limit=1)
    cases.append(_case("TanhLRScheduler", TANH_TAIL, **kw))
    return cases


def _cycle_config(rng, name, k, warmup):
    """A random configuration of a cycle class (cycles, floor, k, warmup)."""
    t_initial = rng.randrange(4, 41)
    kw = dict(
        t_initial=t_initial,
        lr_min=rng.choice([0.0, rng.uniform(0, 1e-3)]),
        cycle_mul=rng.choice([1.0, 2.0, 1.5, rng.uniform(1.1, 3.0)]),
        cycle_decay=rng.choice([1.0, rng.uniform(0.2, 1.0)]),
        cycle_limit=rng.choice([0, 1, 2, 5, 100]),
        warmup_t=0 if warmup is None else rng.randrange(1, 11),
        warmup_lr_init=rng.uniform(0, 1e-3),
        warmup_prefix=bool(warmup),
    )
    if name == "TanhLRScheduler":
        kw.update(lb=rng.uniform(-8, -2), ub=rng.uniform(2, 4))
        # without prefix the warmup ramps to f(warmup_t): keep that out of the
        # tanh's tail (TANH_TAIL)
        kw["warmup_t"] = min(kw["warmup_t"], t_initial // 2)
        return kw
    if k:
        kw["k_decay"] = rng.uniform(0.5, 2.0)
    if name == "PolyLRScheduler":
        kw["power"] = rng.choice([0.5, 1.0, 2.0, rng.uniform(0.3, 3.0)])
        if kw.get("k_decay", 1) < 1:  # POLY_K_GEOMETRIC
            kw["cycle_mul"] = 1.0
    return kw


def _cycle_cases(rng):
    """Cosine, tanh and poly: structures (k_decay or not; no warmup, a prefix
    warmup, a warmup on the absolute step; each structure one compile) with
    several random members each."""
    cases = []
    for name, k, warmup in [
        ("CosineLRScheduler", False, None),
        ("CosineLRScheduler", False, True),
        ("CosineLRScheduler", True, True),
        ("CosineLRScheduler", True, False),
        ("TanhLRScheduler", False, True),
        ("TanhLRScheduler", False, False),
        ("PolyLRScheduler", True, True),
        ("PolyLRScheduler", False, False),
    ]:
        for _ in range(6):
            cases.append(_case(name, **_cycle_config(rng, name, k, warmup)))
    return cases


def _cases():
    rng = random.Random(31)
    cases = _cycle_cases(rng)
    for w, prefix in [(0, True), (4, True), (4, False)]:
        for decay_t, rate in itertools.product([3, 10, 2.5], [0.5, 0.1]):
            kw = dict(decay_t=decay_t, decay_rate=rate, warmup_t=w)
            cases.append(
                _case(
                    "StepLRScheduler", warmup_lr_init=1e-3, warmup_prefix=prefix, **kw
                )
            )
    for w, prefix in [(4, True), (4, False)]:
        for milestones in [[1, 5, 12], [0, 10, 30]]:
            kw = dict(decay_t=milestones, decay_rate=0.3, warmup_t=w)
            cases.append(
                _case(
                    "MultiStepLRScheduler",
                    warmup_lr_init=2e-3,
                    warmup_prefix=prefix,
                    **kw,
                )
            )
    cases.append(
        _case("MultiStepLRScheduler", decay_t=[], warmup_t=3, warmup_prefix=False)
    )
    # each decay shape once, the stable functions and warmups in turn (every
    # pairing is one structure, so the full product would cost 20 compiles)
    for decay, stable, w, timescale in [
        ("linear", "constant", 5, None),
        ("1-sqrt", "rsqrt", 5, None),
        ("cosine", "power", 5, 3.0),
        ("power", "constant", 0, None),
        ("exp", "rsqrt", 0, 3.0),
    ]:
        kw = dict(
            t_initial=40,
            decay_t=10,
            lr_min=1e-3,
            stable_fn=stable,
            stable_timescale=timescale,
            stable_power=0.3,
            decay_fn=decay,
            decay_power=1.5,
            decay_ratio=0.05,
            warmup_t=w,
            warmup_lr_init=1e-4,
        )
        cases.append(_case("WSDLRScheduler", **kw))
    edges = dict(stable_fn="rsqrt", decay_fn="1-sqrt", warmup_t=5)
    cases.append(_case("WSDLRScheduler", t_initial=30, decay_t=30, **edges))
    cases.append(_case("WSDLRScheduler", t_initial=30, decay_t=1, lr_min=0.2, **edges))
    # t_in_epochs with steps_per_epoch: the epoch's value at every step of it;
    # without steps_per_epoch the step is the epoch
    epoch_kw = dict(warmup_t=2, lr_min=1e-3, cycle_limit=3, cycle_decay=0.5)
    for spe in (4, 7):
        cases.append(
            (
                timm.CosineLRScheduler(LR, 10, steps_per_epoch=spe, **epoch_kw),
                truth.timm_cosine(STEPS // spe, LR, 10, **epoch_kw),
            )
        )
    cases.append(
        (
            timm.CosineLRScheduler(LR, 10, **epoch_kw),
            truth.timm_cosine(STEPS, LR, 10, **epoch_kw),
        )
    )
    return cases


def test_values_equal_timm():
    assert pt_mirrors.check_cases(_cases() + _known_limits()) >= 10


def test_cycle_found_exactly_where_timm_logarithm_rounds_down():
    """timm: ``floor(log(1 + 121 * 2, 3)) = floor(4.999999999999999) = 4``, so at
    t = 242 (t_initial=2, cycle_mul=3: the start of cycle 5) timm gives the end of
    cycle 4; jaxsched gives cycle 5's peak."""
    kw = dict(t_initial=2, cycle_mul=3.0, cycle_decay=0.5, cycle_limit=10)
    assert math.floor(math.log(1 + 121 * 2, 3)) == 4
    timm_value = truth.timm_cosine(np.array([242]), LR, **kw)[0]
    assert timm_value == pytest.approx(0.0, abs=1e-12)  # cycle 4's end (lr_min=0)
    with jax.enable_x64(True):
        s = timm.CosineLRScheduler(LR, t_in_epochs=False, **kw)
        at = np.asarray(jax.jit(s)(jnp.array([241, 242], jnp.int64)))
        before = truth.timm_cosine(np.array([241]), LR, **kw)[0]
        np.testing.assert_allclose(at, [before, LR * 0.5**5], rtol=1e-12)


def test_noise():
    """Same range and distribution as timm, a pure function of (seed, t), only
    inside noise_range_t; per epoch with t_in_epochs and steps_per_epoch."""
    steps = np.arange(0, 2048)
    kw = dict(t_initial=1500, noise_pct=0.3, noise_std=0.5, t_in_epochs=False)
    mask = truth.timm_noise_mask(steps, (100, 1500))
    members = [
        timm.CosineLRScheduler(LR, noise_range_t=(100, 1500), noise_seed=7, **kw),
        timm.CosineLRScheduler(LR, noise_range_t=(100, 1500), noise_seed=7, **kw),
        timm.CosineLRScheduler(LR, noise_range_t=(100, 1500), noise_seed=8, **kw),
    ]
    at = np.asarray(pt_mirrors.check_one_compile(members, steps), np.float64)
    quiet = timm.CosineLRScheduler(LR, **kw)  # the same without noise
    clean = np.asarray(pt_mirrors.check_one_compile([quiet], steps), np.float64)[0]
    n = at / np.where(clean > 0, clean, 1) - 1
    assert np.all(n[:, ~mask & (clean > 0)] == 0)
    inside = n[:, mask & (clean > 0)]
    assert np.all(np.abs(inside) < 0.3) and np.all(inside != 0)
    np.testing.assert_array_equal(at[0], at[1])  # deterministic per seed and t
    assert np.mean(at[0, mask] != at[2, mask]) > 0.99  # another seed, other numbers
    # the normal of std 0.5 truncated to (-0.3, 0.3): std 0.1691
    a = 0.3 / 0.5
    pdf = math.exp(-a * a / 2) / math.sqrt(2 * math.pi)
    std = 0.5 * math.sqrt(1 - 2 * a * pdf / math.erf(a / math.sqrt(2)))
    assert abs(np.std(inside[0]) - std) < 0.01 and abs(np.mean(inside[0])) < 0.01
    # a scalar range: from t on; per epoch: one draw per epoch
    epochs = timm.StepLRScheduler(
        LR, 10, noise_range_t=2, noise_pct=0.5, steps_per_epoch=5
    )
    values = np.asarray(jax.jit(epochs)(np.arange(0, 40)))
    assert np.all(values[:10] == np.float32(LR))
    per_epoch = values.reshape(8, 5)
    assert np.all(per_epoch == per_epoch[:, :1]) and len(set(per_epoch[2:, 0])) == 6


def test_one_compile_for_a_stack():
    members = [
        timm.CosineLRScheduler(
            LR * (i + 1),
            20,
            lr_min=1e-3,
            cycle_mul=2.0,
            cycle_decay=0.5,
            cycle_limit=3,
            warmup_t=5,
            warmup_lr_init=1e-4,
            warmup_prefix=True,
            t_in_epochs=False,
            k_decay=0.5 + i,
        )
        for i in range(4)
    ]
    out = pt_mirrors.check_one_compile(members)
    ref = [
        truth.timm_cosine(
            STEPS[:16], LR * (i + 1), 20, 1e-3, 2.0, 0.5, 3, 5, 1e-4, True, 0.5 + i
        )
        for i in range(4)
    ]
    np.testing.assert_allclose(np.asarray(out), np.stack(ref), rtol=1e-5)


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: timm.CosineLRScheduler(LR, 0), "t_initial"),
        (lambda: timm.CosineLRScheduler(LR, 10, lr_min=-1.0), "lr_min"),
        (lambda: timm.TanhLRScheduler(LR, 10, lb=3.0, ub=3.0), "lb"),
        (lambda: timm.PolyLRScheduler(LR, 10, warmup_t=2.5), "warmup_t"),
        (lambda: timm.MultiStepLRScheduler(LR, [5, 2]), "decay_t"),
        (lambda: timm.WSDLRScheduler(LR, 10, 11), "decay_t"),
        (lambda: timm.WSDLRScheduler(LR, 10, 2, stable_fn="rsqrt"), "stable_timescale"),
        (lambda: timm.WSDLRScheduler(LR, 10, 2, decay_fn=lambda f: 1 - f), "decay_fn"),
        (lambda: timm.WSDLRScheduler(LR, 10, 2, decay_ratio=1.0), "decay_ratio"),
        (lambda: timm.CosineLRScheduler(LR, 10, noise_range_t=[3]), "noise_range_t"),
        (
            lambda: timm.StepLRScheduler(LR, 3, t_in_epochs=False, steps_per_epoch=4),
            "steps_per_epoch",
        ),
        (lambda: timm.PlateauLRScheduler(), "metric"),
    ],
)
def test_errors(build, match):
    with pytest.raises(ValueError, match=match):
        build()


@pytest.mark.parametrize(
    "build",
    [
        lambda: timm.TanhLRScheduler(LR, 10, k_decay=2.0),  # cosine and poly only
        lambda: timm.StepLRScheduler(LR, 3, lr_min=0.1),  # the cycle classes only
        lambda: timm.WSDLRScheduler(LR, 10, 2, warmup_prefix=False),  # always prefix
        lambda: timm.CosineLRScheduler(LR, 10, warmup_steps=5),  # not timm's name
    ],
)
def test_keywords_a_class_does_not_take(build):
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        build()
