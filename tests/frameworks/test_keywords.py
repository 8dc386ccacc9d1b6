"""The shared keyword blocks (``**options: Unpack[...]``): at run time a keyword that
the block does not name, or a missing required one, is Python's ``TypeError`` with the
public function's name (pyright flags the same calls: tests/typing/mistakes.py)."""

import re

import pytest

from jaxsched.frameworks import composer, nemo, timm

CALLS = [
    (
        lambda: timm.CosineLRScheduler(0.1, 100, warmup_lr=1e-4),
        "timm.CosineLRScheduler() got an unexpected keyword argument 'warmup_lr'",
    ),
    (
        lambda: timm.TanhLRScheduler(0.1, 100, k_decay=2.0),
        "timm.TanhLRScheduler() got an unexpected keyword argument 'k_decay'",
    ),
    (
        lambda: composer.StepScheduler(
            1.0, "2ep", max_duration="9ep", steps_per_epoc=9
        ),
        "composer.StepScheduler() got an unexpected keyword argument 'steps_per_epoc'",
    ),
    (
        lambda: composer.CosineAnnealingWithWarmupScheduler("2ba", "1dur"),
        "composer.CosineAnnealingWithWarmupScheduler() missing required keyword "
        "argument(s): 'max_duration'",
    ),
    (
        lambda: nemo.WarmupHoldAnnealLinear(1.0, max_steps=8, hold_step=2),
        "nemo.WarmupHoldAnnealLinear() got an unexpected keyword argument 'hold_step'",
    ),
    (
        lambda: nemo.WarmupHoldPolicy(1.0, max_steps=8, max_step=2),
        "nemo.WarmupHoldPolicy() got an unexpected keyword argument 'max_step'",
    ),
    (
        lambda: nemo.CosineAnnealing(1.0, max_steps=10, warmup_step=2),
        "nemo.CosineAnnealing() got an unexpected keyword argument 'warmup_step'",
    ),
    (
        lambda: nemo.NoamHoldAnnealing(1.0, warmup_steps=4),
        "nemo.NoamHoldAnnealing() missing required keyword argument(s): 'max_steps'",
    ),
]


@pytest.mark.parametrize(("call", "message"), CALLS)
def test_a_keyword_outside_the_block_is_a_type_error(call, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        call()
