"""Hugging Face and T5 schedules against independent references and test vectors.

Every value check goes through one jitted call (``helpers.call_padded``: the schedule
passed as an argument, the steps padded to one shape): one compile per structure, not
one per case. Every grid also holds negative steps, which give the step-zero value.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import numpy_reference as ref
import pytest
from helpers import CALL, assert_finite, group_sweeps, padded
from helpers import call_padded as _values
from helpers import check_reference as _check
from helpers import reference_grid as _grid

import jaxsched as js

RTOL = 1e-5
FLOAT_STEPS = np.array(
    [-2.5, -0.5, 0.0, 0.25, 0.5, 1.5, 2.5, 3.75, 9.5, 10.5, 99.5, 123.25]
)


# ---------------------------------------------- the published HF test vectors


HF_VECTORS = [
    (js.ConstantWithWarmup(10.0, 4), [0, 2.5, 5, 7.5, 10, 10, 10, 10, 10, 10]),
    (js.LinearWithWarmup(10.0, 2, 10), [0, 5, 10, 8.75, 7.5, 6.25, 5, 3.75, 2.5, 1.25]),
    (
        js.CosineWithWarmup(10.0, 2, 10),
        [0.0, 5.0, 10.0, 9.61, 8.53, 6.91, 5.0, 3.08, 1.46, 0.38],
    ),
    (
        js.CosineWithHardRestarts(10.0, 2, 10, num_cycles=2),
        [0.0, 5.0, 10.0, 8.53, 5.0, 1.46, 10.0, 8.53, 5.0, 1.46],
    ),
    (
        js.PolynomialWithWarmup(10.0, 2, 10, power=2.0),
        [0.0, 5.0, 10.0, 7.656, 5.625, 3.906, 2.5, 1.406, 0.625, 0.156],
    ),
    (
        js.InverseSqrt(10.0, 2),
        [0.0, 5.0, 10.0, 8.165, 7.071, 6.325, 5.774, 5.345, 5.0, 4.714],
    ),
]


@pytest.mark.parametrize(
    ("schedule", "expected"), HF_VECTORS, ids=lambda x: type(x).__name__
)
def test_hugging_face_test_vectors(schedule, expected):
    # Hugging Face's own tolerance for these lists is 1e-2.
    np.testing.assert_allclose(_values(schedule, np.arange(10)), expected, atol=1e-2)


def test_wsd_catalogue_example():
    s = js.WarmupStableDecay(
        1.0, num_warmup_steps=2, num_decay_steps=4, num_stable_steps=3, min_lr_ratio=0.1
    )
    expected = [0.1, 0.55, 1, 1, 1, 1, 0.868, 0.55, 0.232, 0.1, 0.1]
    np.testing.assert_allclose(_values(s, np.arange(11)), expected, atol=1e-3)


# -------------------------------------------------- against the references


@pytest.mark.parametrize("args", [(10.0, 4), (0.1, 0), (1.0, 1), (0.5, 25)])
def test_constant_with_warmup(args):
    lr, w = args
    s = js.ConstantWithWarmup(lr, w)
    reference = functools.partial(ref.hf_constant_with_warmup, w)
    _check(s, reference, _grid(w), lr)
    _check(s, reference, FLOAT_STEPS, lr)


@pytest.mark.parametrize(
    "args", [(10.0, 2, 10), (0.1, 0, 50), (1.0, 5, 5), (1.0, 7, 3)]
)
def test_linear_with_warmup(args):
    lr, w, n = args
    s = js.LinearWithWarmup(lr, w, n)
    reference = functools.partial(ref.hf_linear, w, n)
    _check(s, reference, _grid(w, n), lr)
    _check(s, reference, FLOAT_STEPS, lr)


COSINES = [(10.0, 2, 10, 0.5), (0.1, 0, 40, 1.5), (1.0, 5, 5, 0.5), (1.0, 3, 30, 0.25)]


@pytest.mark.parametrize("args", COSINES)
def test_cosine_with_warmup_is_periodic_past_the_end(args):
    lr, w, n, cycles = args
    s = js.CosineWithWarmup(lr, w, n, cycles)
    reference = functools.partial(ref.hf_cosine, w, n, cycles)
    _check(s, reference, _grid(w, n, 2 * n, 3 * n - w), lr, far_atol=1e-5 * lr)
    _check(s, reference, FLOAT_STEPS, lr)


@pytest.mark.parametrize("rate", [0.0, 0.1, 0.5])
@pytest.mark.parametrize("args", COSINES)
def test_cosine_with_min_lr(args, rate):
    lr, w, n, cycles = args
    s = js.CosineWithMinLR(lr, w, n, cycles, rate)
    reference = functools.partial(ref.hf_cosine, w, n, cycles, min_lr_rate=rate)
    _check(s, lambda t: reference(t), _grid(w, n, 2 * n), lr, far_atol=1e-5 * lr)
    _check(s, lambda t: reference(t), FLOAT_STEPS, lr)


def test_cosine_with_min_lr_ends_at_the_floor():
    s = js.CosineWithMinLR(2.0, 10, 110, min_lr_rate=0.05)
    end, middle = _values(s, [110, 60])
    assert end == pytest.approx(0.1, rel=1e-5)
    assert middle == pytest.approx(2.0 * (0.5 * 0.95 + 0.05), rel=1e-5)


@pytest.mark.parametrize(
    "args", [(10.0, 2, 10, 2), (1.0, 0, 40, 3), (1.0, 5, 5, 1), (0.1, 10, 100, 4)]
)
def test_cosine_with_hard_restarts(args):
    lr, w, n, cycles = args
    s = js.CosineWithHardRestarts(lr, w, n, cycles)
    reference = functools.partial(ref.hf_hard_restarts, w, n, cycles)
    restarts = [w + k * (n - w) / cycles for k in range(cycles + 1)]
    _check(s, reference, _grid(w, n, *restarts), lr)
    _check(s, reference, FLOAT_STEPS, lr)


@pytest.mark.parametrize(
    "args",
    [
        (10.0, 2, 10, 1e-7, 2.0),
        (1.0, 0, 50, 0.1, 1.0),
        (1.0, 5, 30, 0.0, 0.5),
        (0.1, 3, 20, 0.01, 3.0),
    ],
)
def test_polynomial_with_warmup(args):
    lr, w, n, end, power = args
    s = js.PolynomialWithWarmup(lr, w, n, end, power)
    reference = functools.partial(ref.hf_polynomial, lr, w, n, end, power)
    _check(s, reference, _grid(w, n), lr)
    _check(s, reference, FLOAT_STEPS, lr)


def test_polynomial_with_no_decay_steps():
    # num_training_steps == num_warmup_steps: a ZeroDivisionError in Hugging Face.
    s = js.PolynomialWithWarmup(1.0, 5, 5, lr_end=0.1)
    np.testing.assert_allclose(_values(s, [0, 4, 5, 6]), [0, 0.8, 1.0, 0.1], rtol=RTOL)


@pytest.mark.parametrize(
    "args", [(10.0, 2, None), (1.0, 0, None), (0.5, 4, 100), (1.0, 1000, None)]
)
def test_inverse_sqrt(args):
    lr, w, timescale = args
    s = js.InverseSqrt(lr, w, timescale)
    reference = functools.partial(ref.hf_inverse_sqrt, w, timescale)
    _check(s, reference, _grid(w), lr)
    _check(s, reference, FLOAT_STEPS, lr)


def test_inverse_sqrt_default_timescale_is_resolved():
    assert js.InverseSqrt(1.0, 0).timescale == 10_000
    assert js.InverseSqrt(1.0, 300).timescale == 300
    assert js.InverseSqrt(1.0, 300, 7).timescale == 7


RSQRT = [
    (1.0, 10_000, False, False),
    (0.5, 4, False, False),
    (0.1, 10, True, False),
    (1.0, 10, False, True),
    (0.2, 7, True, True),
]


@pytest.mark.parametrize("args", RSQRT)
def test_rsqrt_decay_matches_t5x(args):
    lr, w, normalized, warmup = args
    s = js.RsqrtDecay(lr, w, normalized=normalized, linear_warmup=warmup)

    def reference(t):
        return ref.t5x_rsqrt(lr, w, t, normalized, warmup)

    _check(s, reference, _grid(w), 1.0)
    _check(s, reference, FLOAT_STEPS, 1.0)


def test_rsqrt_decay_t5_pretraining_values_and_no_warmup():
    s = js.RsqrtDecay(1.0, 10_000)
    np.testing.assert_allclose(
        _values(s, [0, 10_000, 40_000]), [0.01, 0.01, 0.005], rtol=1e-7
    )
    free = js.RsqrtDecay(1.0, 0)  # T5X would give inf at step 0
    np.testing.assert_allclose(_values(free, [0, 1, 4]), [1.0, 1.0, 0.5], rtol=1e-7)


WSD = [
    (2, 3, 4, "linear", "cosine", 0.1, 0.5),
    (10, 0, 20, "linear", "linear", 0.0, 0.5),
    (0, 10, 0, "cosine", "cosine", 0.2, 1.0),
    (5, 20, 10, "1-sqrt", "1-sqrt", 0.05, 0.5),
    (4, 8, 8, "cosine", "1-sqrt", 0.0, 0.5),
    (3, 1, 7, "1-sqrt", "linear", 0.3, 0.5),
    (0, 0, 0, "linear", "cosine", 0.25, 0.5),
]


@pytest.mark.parametrize("args", WSD)
def test_warmup_stable_decay(args):
    w, stable, d, warmup_type, decay_type, m, cycles = args
    s = js.WarmupStableDecay(
        2.0,
        w,
        d,
        num_stable_steps=stable,
        warmup_type=warmup_type,
        decay_type=decay_type,
        min_lr_ratio=m,
        num_cycles=cycles,
    )
    reference = functools.partial(ref.hf_wsd, *args)
    _check(s, reference, _grid(w, w + stable, w + stable + d), 2.0)
    _check(s, reference, FLOAT_STEPS, 2.0)


def test_wsd_training_steps_and_stable_steps_are_both_stored():
    by_total = js.WarmupStableDecay(1.0, 2, 4, num_training_steps=9)
    assert by_total.num_stable_steps == 3
    by_stable = js.WarmupStableDecay(1.0, 2, 4, num_stable_steps=3)
    assert by_stable.num_training_steps == 9
    assert by_total.to_dict() == by_stable.to_dict()
    assert js.from_dict(by_total.to_dict()).to_dict() == by_total.to_dict()


# ---------------------------------------------------------- shared conventions
# (negative steps: every reference grid above holds some, see _grid and FLOAT_STEPS)


STEPS = jnp.array([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 9.0, 10.0, 11.0, 50.0, 1e4])


def _wsd_zero_length_sweep(kind):
    lengths = [(0.0, 0.0, 0.0), (2.0, 0.0, 4.0), (0.0, 3.0, 0.0), (2.0, 3.0, 4.0)]
    return [
        js.WarmupStableDecay(1.0, w, d, num_stable_steps=s, min_lr_ratio=0.1,
                             warmup_type=kind, decay_type=kind)
        for w, s, d in lengths
    ]  # fmt: skip


WSD_KINDS = ["linear", "cosine", "1-sqrt"]
ZERO_LENGTH_SWEEPS = [
    [js.PolynomialWithWarmup(1.0, 5.0, 5.0, 0.1, 0.5),
     js.PolynomialWithWarmup(1.0, 0.0, 10.0, 0.1, 0.0),
     js.PolynomialWithWarmup(1.0, 2.0, 10.0, 0.0, 2.0)],
    [js.InverseSqrt(1.0, 0.0, 5.0), js.InverseSqrt(1.0, 10.0, 1.0)],
    [js.LinearWithWarmup(1.0, 0.0, 0.0), js.LinearWithWarmup(1.0, 2.0, 10.0)],
    [js.CosineWithMinLR(1.0, 0.0, 0.0, 0.5, 0.1),
     js.CosineWithMinLR(1.0, 2.0, 10.0, 1.5, 0.0)],
    [js.CosineWithHardRestarts(1.0, 0.0, 0.0, 1.0),
     js.CosineWithHardRestarts(1.0, 2.0, 10.0, 3.0)],
    [js.RsqrtDecay(1.0, 0.0), js.RsqrtDecay(1.0, 4.0)],
]  # fmt: skip


@functools.cache
def _zero_length_results():
    """Values and gradients of every zero-length sweep of this module (the WSD kinds
    and ZERO_LENGTH_SWEEPS), under vmap, in one program (one gradient compile where
    there were nine)."""
    sweeps = [_wsd_zero_length_sweep(kind) for kind in WSD_KINDS] + ZERO_LENGTH_SWEEPS
    return list(zip(sweeps, group_sweeps(sweeps, STEPS), strict=True))


def _assert_finite(members, result):
    """``helpers.assert_finite_sweep``'s checks on a result of the one program."""
    at, grads = result
    assert at.shape == (len(members), STEPS.size)
    assert_finite(at, grads, members)


@pytest.mark.parametrize("kind", WSD_KINDS)
def test_wsd_sweep_with_zero_length_phases_has_finite_grads(kind):
    members, result = _zero_length_results()[WSD_KINDS.index(kind)]
    assert members[0].warmup_type == members[0].decay_type == kind
    _assert_finite(members, result)


def test_zero_length_sweeps_have_finite_grads():
    results = _zero_length_results()[len(WSD_KINDS) :]
    assert len(results) == len(ZERO_LENGTH_SWEEPS) == 6
    for members, result in results:
        _assert_finite(members, result)


def test_sweep_over_warmup_lengths_in_one_program():
    members = [js.WarmupStableDecay(1.0, w, 4, 20) for w in (0, 2, 5)]
    out = jax.jit(jax.vmap(lambda s: s(jnp.arange(25))))(js.stack(members))
    for row, member in zip(out, members):
        np.testing.assert_allclose(row, _values(member, np.arange(25)), rtol=RTOL)


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (
            lambda: js.ConstantWithWarmup(1.0, -1),
            ValueError,
            r"ConstantWithWarmup: argument `num_warmup_steps` must be >= 0",
        ),
        (lambda: js.LinearWithWarmup(1.0, 2, -5), ValueError, r"`num_training_steps`"),
        (
            lambda: js.CosineWithHardRestarts(1.0, 2, 10, 0),
            ValueError,
            r"`num_cycles` must be > 0",
        ),
        (
            lambda: js.PolynomialWithWarmup(1.0, 2, 10, lr_end=1.0),
            ValueError,
            r"PolynomialWithWarmup: argument `lr_end` must be smaller than",
        ),
        (
            lambda: js.PolynomialWithWarmup(1.0, 2, 10, power=-1.0),
            ValueError,
            r"`power` must be >= 0",
        ),
        (lambda: js.InverseSqrt(1.0, 2, 0), ValueError, r"`timescale` must be > 0"),
        (
            lambda: js.RsqrtDecay(1.0, 10, normalized="yes"),
            TypeError,
            r"`normalized` must be a bool",
        ),
        (
            lambda: js.WarmupStableDecay(1.0, 2, 4),
            ValueError,
            r"WarmupStableDecay: argument `num_stable_steps` must be given",
        ),
        (
            lambda: js.WarmupStableDecay(1.0, 2, 4, 10, 3),
            ValueError,
            r"`num_training_steps` must be num_warmup_steps \+ num_stable_steps",
        ),
        (
            lambda: js.WarmupStableDecay(1.0, 2, 4, 5),
            ValueError,
            r"`num_stable_steps` must be >= 0. Received: num_stable_steps=-1",
        ),
        (
            lambda: js.WarmupStableDecay(1.0, 2, 4, 9, warmup_type="sqrt"),
            ValueError,
            r"`warmup_type` must be one of 'linear', 'cosine', '1-sqrt'",
        ),
        (
            lambda: js.WarmupStableDecay(1.0, 2, 4, 9, min_lr_ratio=1.5),
            ValueError,
            r"`min_lr_ratio` must be in \[0, 1\]",
        ),
    ],
)
def test_invalid_arguments_raise(build, error, match):
    with pytest.raises(error, match=match):
        build()


# ------------------------------------------- float32 phases beyond 2**24 (issue)

BIG = 2**24
GIANT = [BIG - 1, BIG, BIG + 1, BIG + 2, 3 * BIG + 1, 10**9, 10**9 + 7, 2**31 - 1]


@pytest.mark.parametrize(
    "schedule, reference",
    [
        (
            js.CosineWithWarmup(0.1, 10, 100, 0.5),
            functools.partial(ref.hf_cosine, 10, 100, 0.5),
        ),
        (  # 0.3 is rounded to float32 first, as the leaf is
            js.CosineWithWarmup(1.0, 7, 1000, 0.3),
            functools.partial(ref.hf_cosine, 7, 1000, float(np.float32(0.3))),
        ),
        (
            js.CosineWithMinLR(1.0, 0, 40, 1.0, 0.5),
            functools.partial(ref.hf_cosine, 0, 40, 1.0, min_lr_rate=0.5),
        ),
    ],
)
def test_cosine_phase_at_giant_integer_steps_is_exact(schedule, reference):
    """HF's cosine keeps cycling past N; the phase comes from the exact integer step
    (was: a float32-rounded step, 0.0379 instead of 0.0 at 10**9, jit != eager)."""
    lr = float(schedule.learning_rate)
    steps = np.array(GIANT, np.int32)
    _check(schedule, reference, steps, lr=lr, rtol=2e-5)  # jitted
    eager = np.asarray(schedule(padded(steps)), np.float64)[: steps.size]
    want = [lr * reference(t) for t in GIANT]
    np.testing.assert_allclose(eager, want, rtol=2e-5, atol=1e-6 * max(1.0, lr))
    jitted = np.asarray(CALL(schedule, jnp.asarray(steps)), np.float64)
    np.testing.assert_allclose(jitted, eager, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(  # a Python int step
        float(CALL(schedule, 2**24 + 1)), lr * reference(2**24 + 1), rtol=2e-5
    )


def test_cosine_float_steps_agree_with_integer_steps_and_jit():
    schedule = js.CosineWithWarmup(0.1, 10, 100, 0.5)
    # exact in float32; eager calls of this file take one shape (helpers.padded)
    whole = np.array([0, 1, 10, 99, BIG - 1, BIG, BIG + 2, 2**30], np.int32)
    np.testing.assert_allclose(
        schedule(padded(whole.astype(np.float32))),
        schedule(padded(whole)),
        rtol=1e-6,
    )
    giant = [BIG + 2.0, 2.0**25, 1e9, 2.0**31, 2.0**40, 1e12, 1e20, 3.0e38]
    giant = padded(np.asarray(giant, np.float32))
    eager = np.asarray(schedule(giant))
    assert np.all(np.isfinite(eager))
    np.testing.assert_allclose(CALL(schedule, giant), eager, rtol=1e-5, atol=1e-7)


def test_hard_restarts_with_many_cycles_are_exact():
    """num_cycles * (step - W) is reduced modulo N - W with integers (was: 0.06510
    instead of 0.06545 at step 3357938 with 335794 cycles)."""
    schedule = js.CosineWithHardRestarts(0.1, 1678970, 16789700, 335794)
    span = 16789700 - 1678970
    restarts = [1678970 + span * i // 335794 for i in (1, 2, 1000, 335793)]
    steps = [3357938, 16789699, 16789700, *restarts, *(r + 1 for r in restarts)]
    reference = functools.partial(ref.hf_hard_restarts, 1678970, 16789700, 335794)
    _check(schedule, reference, np.array(steps, np.int32), lr=0.1, rtol=2e-5)
    np.testing.assert_allclose(_values(schedule, [3357938]), [0.0654508], rtol=1e-5)


def test_wsd_phase_boundaries_beyond_2_pow_24_are_exact():
    """Phase boundaries are compared in integers (was: 0.2 at step 16789579, the
    last decay step, instead of 0.99999...)."""
    schedule = js.WarmupStableDecay(
        1.0, 3357916, 6715832, 16789580, 6715832, "cosine", "cosine", 0.2, 1.0
    )
    reference = functools.partial(
        ref.hf_wsd, 3357916, 6715832, 6715832, "cosine", "cosine", 0.2, 1.0
    )
    steps = [b + d for b in (3357916, 10073748, 16789580) for d in (-2, -1, 0, 1, 2)]
    _check(schedule, reference, np.array(steps, np.int32), rtol=2e-5)
    assert _values(schedule, [16789579])[0] > 0.999
