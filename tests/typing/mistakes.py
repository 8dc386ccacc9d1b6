"""Mistakes a type checker must catch: pyright reports an error on each marked line.

tests/test_typing.py checks that every line whose comment starts with "error" gets
an error and that no other line does. One mistake per line.
"""

import optax

import jaxsched as js

base = js.ExponentialDecay(0.1, 1000, 0.96)

js.ExponentialDecay(0.1, 1000)  # error: missing decay_rate
js.ExponentialDecay(0.1, 1000, decay_rat=0.96)  # error: misspelt keyword
js.ExponentialDecay("0.1", 1000, 0.96)  # error: a string for a number
js.ExponentialDecay(0.1, None, 0.96)  # error: None for a required count
js.ExponentialDecay(0.1, 1000, 0.96, staircase="yes")  # error: a string for a bool
js.CosineDecay(0.1, decay_steps="1000")  # error: a string for a count
js.Linear(0.0, 1.0)  # error: missing transition_steps
js.PiecewiseConstant([10, 50], ["a", "b", "c"])  # error: strings for values
js.Warmup(0.1, 100)  # error: a number where a schedule belongs
js.Join((base, base), [10], [20])  # error: too many arguments
js.Minimum(base)  # error: missing right
js.CosineWithWarmup(learning_rate=0.1, num_warmup_steps=10)  # error: missing steps
js.StepLR(0.1, step_size=10, gama=0.5)  # error: misspelt keyword
js.Scale(base, factor="2")  # error: a string for a number
js.linear_schedule(0.0, 1.0)  # error: missing transition_steps
js.warmup_cosine_decay_schedule(0.0, 3e-4, 100, decay_step=1000)  # error: misspelt
js.exponential_decay("0.1", 100, 0.9)  # error: a string for a number
js.cosine_decay_schedule(0.1, "1000")  # error: a string for a count
js.join_schedules([base, base], ["10"])  # error: a string for a boundary
base.decay_steps = 10  # error: schedules are frozen
base + "0.1"  # error: a string in an operator
value: str = base(10)  # error: a schedule returns an array
js.from_dict(base).to_dict(1)  # error: to_dict takes no argument
js.stack(base)  # error: stack takes a list of schedules
optax.adamw(learning_rate="3e-4")  # error: a string as the learning rate
timm = js.frameworks.timm
timm.CosineLRScheduler(0.1, 100, warmup_lr=1e-4)  # error: misspelt shared keyword
timm.TanhLRScheduler(0.1, 100, k_decay=2.0)  # error: k_decay is for cosine/poly
composer = js.frameworks.composer
composer.StepScheduler(1.0, "2ep", max_duration="9ep", steps_per_epo=9)  # error
composer.StepScheduler(1.0, "2ep")  # error: missing max_duration
js.frameworks.nemo.WarmupHoldAnnealLinear(1.0, max_steps=8, hold_step=2)  # error
