"""``jaxsched.get_scheduler``: Hugging Face's scheduler names, against references
written from ``transformers.optimization``'s lambdas (``numpy_reference``)."""

from __future__ import annotations

import enum
import re

import jax
import jax.numpy as jnp
import numpy as np
import numpy_reference as ref
import pytest

import jaxsched as js

LR = 0.5
W, N = 10, 50
STEPS = np.array(
    [0, 1, 5, 8, 9, 10, 11, 12, 20, 24, 25, 26, 30, 48, 49, 50, 51, 60, 99, 100, 1000],
    np.int32,
)
CALL = jax.jit(lambda s, t: s(t))

CASES = [
    ("linear", {}, lambda t: ref.hf_linear(W, N, t)),
    ("cosine", {}, lambda t: ref.hf_cosine(W, N, 0.5, t)),
    ("cosine", {"num_cycles": 1.5}, lambda t: ref.hf_cosine(W, N, 1.5, t)),
    ("cosine_with_restarts", {"num_cycles": 3},
     lambda t: ref.hf_hard_restarts(W, N, 3, t)),
    ("polynomial", {"lr_end": 0.05, "power": 2.0},
     lambda t: ref.hf_polynomial(LR, W, N, 0.05, 2.0, t)),
    ("constant", {}, lambda t: 1.0),
    ("constant_with_warmup", {}, lambda t: ref.hf_constant_with_warmup(W, t)),
    ("inverse_sqrt", {}, lambda t: ref.hf_inverse_sqrt(W, None, t)),
    ("cosine_with_min_lr", {"min_lr_rate": 0.1},
     lambda t: ref.hf_cosine(W, N, 0.5, t, min_lr_rate=0.1)),
    ("cosine_with_min_lr", {"min_lr": 0.1 * LR},
     lambda t: ref.hf_cosine(W, N, 0.5, t, min_lr_rate=0.1)),
    ("cosine_warmup_with_min_lr", {"min_lr_rate": 0.1},
     lambda t: ref.hf_cosine_warmup_min_lr(W, N, 0.5, 0.1, None, t)),
    ("cosine_warmup_with_min_lr", {"min_lr": 0.05, "warmup_lr_rate": 0.2},
     lambda t: ref.hf_cosine_warmup_min_lr(W, N, 0.5, 0.1, 0.2, t)),
    ("cosine_warmup_with_min_lr", {"min_lr_rate": 0.0, "num_cycles": 1.0},
     lambda t: ref.hf_cosine_warmup_min_lr(W, N, 1.0, 0.0, None, t)),
    ("warmup_stable_decay", {"num_decay_steps": 15},
     lambda t: ref.hf_wsd(W, N - W - 15, 15, "linear", "cosine", 0.0, 0.5, t)),
    ("warmup_stable_decay",
     {"num_decay_steps": 20, "num_stable_steps": 5, "decay_type": "linear",
      "min_lr_ratio": 0.1},
     lambda t: ref.hf_wsd(W, 5, 20, "linear", "linear", 0.1, 0.5, t)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kwargs", "reference"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_every_step_scheduler_name_matches_hugging_face(name, kwargs, reference):
    schedule = js.get_scheduler(name, LR, W, N, scheduler_specific_kwargs=kwargs)
    got = np.asarray(CALL(schedule, jnp.asarray(STEPS)), np.float64)
    want = np.array([LR * reference(t) for t in STEPS.tolist()])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)
    again = js.from_dict(schedule.to_dict())
    np.testing.assert_array_equal(CALL(again, jnp.asarray(STEPS)), got)


def test_warmup_with_min_lr_float_steps_and_edges():
    for w, wr in [(0, None), (1, None), (1, 0.3), (4, 0.5)]:
        s = js.CosineWarmupWithMinLR(1.0, w, 12, 0.5, 0.1, wr)
        floats = np.array([0.0, 0.5, 1.5, 3.25, 11.0, 11.5, 20.0], np.float32)
        for steps in (floats, np.arange(-2, 30, dtype=np.int32)):
            got = np.asarray(CALL(s, jnp.asarray(steps)), np.float64)
            want = [
                ref.hf_cosine_warmup_min_lr(w, 12, 0.5, 0.1, wr, max(t, 0.0))
                for t in steps.tolist()
            ]
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


class _Names(enum.Enum):  # transformers.SchedulerType has a string .value too
    COSINE = "cosine"


def test_names_as_enums_and_hugging_face_errors():
    a = js.get_scheduler(_Names.COSINE, LR, W, N)
    assert a.to_dict() == js.get_scheduler("cosine", LR, W, N).to_dict()
    assert type(js.get_scheduler("constant", LR)) is js.Constant
    with pytest.raises(ValueError, match="please select one of") as info:
        js.get_scheduler("cosine_annealing", LR, W, N)
    for valid in ("linear", "warmup_stable_decay", "cosine_warmup_with_min_lr"):
        assert valid in str(info.value)
    for name in ("linear", "inverse_sqrt", "warmup_stable_decay"):
        with pytest.raises(ValueError) as info:
            js.get_scheduler(name, LR)
        assert re.fullmatch(
            r"SchedulerType\.\w+ requires `num_warmup_steps`, please provide that "
            r"argument\.|\w+ requires `num_warmup_steps`, please provide that "
            r"argument\.",
            str(info.value),
        )
    with pytest.raises(ValueError, match="requires `num_training_steps`, please"):
        js.get_scheduler("cosine", LR, W)
    with pytest.raises(ValueError, match="Either num_training_steps or num_stable"):
        js.get_scheduler("warmup_stable_decay", LR, W, None, {"num_decay_steps": 5})
    with pytest.raises(ValueError, match="Only one of min_lr or min_lr_rate"):
        js.get_scheduler(
            "cosine_with_min_lr", LR, W, N, {"min_lr": 0.1, "min_lr_rate": 0.1}
        )
    with pytest.raises(ValueError, match="One of min_lr or min_lr_rate"):
        js.get_scheduler("cosine_warmup_with_min_lr", LR, W, N)
    for name in ("reduce_lr_on_plateau", "greedy"):
        with pytest.raises(ValueError, match=r"follows a metric.*not the step"):
            js.get_scheduler(name, LR, W, N)
    with pytest.raises(TypeError, match="name"):
        js.get_scheduler(3, LR, W, N)
    with pytest.raises(TypeError):
        js.get_scheduler("cosine", LR, W, N, {"bogus": 1})
