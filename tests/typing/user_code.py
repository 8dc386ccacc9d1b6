"""Documented calls of every public class and factory: pyright reports no error here.

tests/test_typing.py runs pyright over this file (and mistakes.py, where every marked
line must be flagged). Each class is called positionally and with keywords, in the
reference's argument order (generated once from tests/examples, then kept by hand).
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax

import jaxsched as js

base = js.ExponentialDecay(0.1, 1000, 0.96)
lr: jax.Array = base(10)
lr = base(jnp.arange(5))
lr = jax.jit(base)(3)

# Every registered class, positionally and by keyword.
js.Clock(base, js.StretchClock(2.0))
js.Clock(schedule=base, clock=js.PowerClock(power=0.5, horizon=100))
js.Cycles(base, 100, 2.0, 0.5, 0.0, None, 3)
js.Cycles(schedule=base, period=100, period_factor=2.0, decay=0.5, floor=0.0, peak=0.1)
js.MultiplicativeNoise(base, 42, 0.67, 1.0, 0, None, "normal")
js.MultiplicativeNoise(
    schedule=base, seed=0, pct=0.5, std=0.5, begin=10, end=100, distribution="uniform"
)
js.Noam(512, 4000, 1.0)
js.Noam(d_model=1024, warmup_steps=8000, scale=2.0)
js.PowerClock(0.5, 100)
js.PowerLaw(0.1, -0.5, 1000.0, 1.0, 0)
js.PowerLaw(init_value=0.1, exponent=-0.5, timescale=1000.0, offset=1.0, min_step=1)
js.StretchClock(2.0)
js.StretchClock(factor=0.5)
js.TokenClock(3072, 15360, 469e9, 4096, "tokens")
js.TokenClock(
    initial_batch=32, final_batch=256, ramp=1000, sequence_length=1, ramp_unit="steps"
)
js.WarmupHoldDecay(js.Constant(1.0), 100, None, 200, 1000, 0.0, 0.1)
js.WarmupHoldDecay(
    schedule=js.Constant(1.0),
    warmup=0.01,
    hold=None,
    decay=0.2,
    total_steps=10_000,
    init_value=0.0,
    end_value=0.1,
    warmup_shape="linear",
    decay_shape="power",
    decay_power=0.5,
    handover="shift",
    after_end="hold",
    inclusive_end=False,
    unit="fraction",
    rounding="floor",
)
js.Clip(base, 0.02, None)
js.Clip(schedule=base, minimum=0.02, maximum=None)
js.Constant(0.1)
js.Constant(value=0.1)
js.ConstantLR(0.1, 0.3333333333333333, 5)
js.ConstantLR(learning_rate=0.1, factor=0.3333333333333333, total_iters=5)
js.ConstantWithWarmup(0.1, 10)
js.ConstantWithWarmup(learning_rate=0.1, num_warmup_steps=10)
js.Cosine(1.0, 20, 0.0, 1.0)
js.Cosine(init_value=1.0, decay_steps=20, alpha=0.0, exponent=1.0)
js.CosineAnnealingLR(0.1, 10, 0.0)
js.CosineAnnealingLR(learning_rate=0.1, T_max=10, eta_min=0.0)
js.CosineAnnealingWarmRestarts(0.1, 10, 1, 0.0)
js.CosineAnnealingWarmRestarts(learning_rate=0.1, T_0=10, T_mult=1, eta_min=0.0)
js.CosineDecay(0.1, 20, 0.0, "CosineDecay", None, 0)
js.CosineDecay(
    initial_learning_rate=0.1,
    decay_steps=20,
    alpha=0.0,
    name="CosineDecay",
    warmup_target=None,
    warmup_steps=0,
)
js.CosineDecayRestarts(1.0, 10, 2.0, 1.0, 0.0, "SGDRDecay")
js.CosineDecayRestarts(
    initial_learning_rate=1.0,
    first_decay_steps=10,
    t_mul=2.0,
    m_mul=1.0,
    alpha=0.0,
    name="SGDRDecay",
)
js.CosineWithHardRestarts(0.1, 10, 100, 2)
js.CosineWithHardRestarts(
    learning_rate=0.1, num_warmup_steps=10, num_training_steps=100, num_cycles=2
)
js.CosineWithMinLR(0.1, 10, 100, 0.5, 0.1)
js.CosineWithMinLR(
    learning_rate=0.1,
    num_warmup_steps=10,
    num_training_steps=100,
    num_cycles=0.5,
    min_lr_rate=0.1,
)
js.CosineWithWarmup(0.1, 10, 100, 0.5)
js.CosineWithWarmup(
    learning_rate=0.1, num_warmup_steps=10, num_training_steps=100, num_cycles=0.5
)
js.CyclicLR(0.1, 1.0, 4, 4, "triangular", 1.0)
js.CyclicLR(
    base_lr=0.1,
    max_lr=1.0,
    step_size_up=4,
    step_size_down=4,
    mode="triangular",
    gamma=1.0,
)
js.Difference(base, base)
js.Difference(left=base, right=base)
js.Exponential(1.0, 10, 0.5, 0, False, 0.0, False)
js.Exponential(
    init_value=1.0,
    transition_steps=10,
    decay_rate=0.5,
    transition_begin=0,
    staircase=False,
    end_value=0.0,
    bounded=False,
)
js.ExponentialDecay(0.1, 10, 0.5, False, "ExponentialDecay")
js.ExponentialDecay(
    initial_learning_rate=0.1,
    decay_steps=10,
    decay_rate=0.5,
    staircase=False,
    name="ExponentialDecay",
)
js.ExponentialLR(0.1, 0.9)
js.ExponentialLR(learning_rate=0.1, gamma=0.9)
js.InverseSqrt(0.1, 10, 10)
js.InverseSqrt(learning_rate=0.1, num_warmup_steps=10, timescale=10)
js.InverseTimeDecay(0.1, 1.0, 0.5, False, "InverseTimeDecay")
js.InverseTimeDecay(
    initial_learning_rate=0.1,
    decay_steps=1.0,
    decay_rate=0.5,
    staircase=False,
    name="InverseTimeDecay",
)
js.Join((base, base), [10])
js.Join(schedules=(base, base), boundaries=[10])
js.Linear(1.0, 0.1, 20, 0)
js.Linear(init_value=1.0, end_value=0.1, transition_steps=20, transition_begin=0)
js.LinearLR(0.1, 0.3333333333333333, 1.0, 5)
js.LinearLR(
    learning_rate=0.1, start_factor=0.3333333333333333, end_factor=1.0, total_iters=5
)
js.LinearWithWarmup(0.1, 10, 100)
js.LinearWithWarmup(learning_rate=0.1, num_warmup_steps=10, num_training_steps=100)
js.Maximum(base, base)
js.Maximum(left=base, right=base)
js.Minimum(base, base)
js.Minimum(left=base, right=base)
js.MultiStepLR(0.1, [3, 10, 10, 50], 0.5)
js.MultiStepLR(learning_rate=0.1, milestones=[3, 10, 10, 50], gamma=0.5)
js.Offset(base, 0.01)
js.Offset(schedule=base, value=0.01)
js.OneCycleLR(1.0, 100, 0.3, "cos", 25.0, 10000.0, False)
js.OneCycleLR(
    max_lr=1.0,
    total_steps=100,
    pct_start=0.3,
    anneal_strategy="cos",
    div_factor=25.0,
    final_div_factor=10000.0,
    three_phase=False,
)
js.PerEpoch(base, 10)
js.PerEpoch(schedule=base, steps_per_epoch=10)
js.PiecewiseConstant([10, 50], [1.0, 0.1, 0.01])
js.PiecewiseConstant(boundaries=[10, 50], values=[1.0, 0.1, 0.01])
js.PiecewiseConstantDecay([10, 50], [1.0, 0.1, 0.01], "PiecewiseConstant")
js.PiecewiseConstantDecay(
    boundaries=[10, 50], values=[1.0, 0.1, 0.01], name="PiecewiseConstant"
)
js.PiecewiseInterpolate([0, 10, 50], [0.0, 1.0, 0.1], "linear")
js.PiecewiseInterpolate(
    boundaries=[0, 10, 50], values=[0.0, 1.0, 0.1], interpolate_type="linear"
)
js.Polynomial(1.0, 0.01, 2.0, 20, 0)
js.Polynomial(
    init_value=1.0, end_value=0.01, power=2.0, transition_steps=20, transition_begin=0
)
js.PolynomialDecay(0.1, 10, 0.0001, 1.0, False, "PolynomialDecay")
js.PolynomialDecay(
    initial_learning_rate=0.1,
    decay_steps=10,
    end_learning_rate=0.0001,
    power=1.0,
    cycle=False,
    name="PolynomialDecay",
)
js.PolynomialLR(0.1, 5, 1.0)
js.PolynomialLR(learning_rate=0.1, total_iters=5, power=1.0)
js.PolynomialWithWarmup(0.1, 10, 100, 1e-07, 1.0)
js.PolynomialWithWarmup(
    learning_rate=0.1,
    num_warmup_steps=10,
    num_training_steps=100,
    lr_end=1e-07,
    power=1.0,
)
js.Product(base, base)
js.Product(left=base, right=base)
js.Quotient(base, 4)
js.Quotient(schedule=base, divisor=4)
js.Repeat(base, 20, 0.5)
js.Repeat(schedule=base, period=20, decay=0.5)
js.RsqrtDecay(1.0, 10, False, False)
js.RsqrtDecay(learning_rate=1.0, warmup_steps=10, normalized=False, linear_warmup=False)
js.Scale(base, 0.5)
js.Scale(schedule=base, factor=0.5)
js.Shift(base, 10)
js.Shift(schedule=base, offset=10)
js.StepLR(0.1, 10, 0.5)
js.StepLR(learning_rate=0.1, step_size=10, gamma=0.5)
js.Sum(base, base)
js.Sum(left=base, right=base)
js.Warmup(base, 5, 0.0, "linear")
js.Warmup(schedule=base, warmup_steps=5, init_value=0.0, shape="linear")
js.WarmupStableDecay(0.1, 10, 20, 100, 70, "linear", "cosine", 0.0, 0.5)
js.WarmupStableDecay(
    learning_rate=0.1,
    num_warmup_steps=10,
    num_decay_steps=20,
    num_training_steps=100,
    num_stable_steps=70,
    warmup_type="linear",
    decay_type="cosine",
    min_lr_ratio=0.0,
    num_cycles=0.5,
)

js.Lambda(lambda step: 0.1 * jnp.cos(step))
js.Lambda(fn=lambda step: 0.1 * step)

# Numbers of every kind: NumPy numbers, arrays, JAX arrays.
js.ExponentialDecay(np.float32(0.1), np.int32(1000), jnp.asarray(0.96))
js.PiecewiseConstant(np.array([10, 50]), jnp.asarray([1.0, 0.1, 0.01]))
js.Join([base, js.Constant(0.01)], [100])

# The optax-named factories.
js.constant_schedule(0.1)
js.linear_schedule(0.0, 1.0, 100)
js.linear_schedule(init_value=0.0, end_value=1.0, transition_steps=100)
js.polynomial_schedule(1.0, 0.0, 2.0, 100, transition_begin=10)
js.exponential_decay(0.1, 100, 0.9, staircase=True, end_value=0.01)
js.cosine_decay_schedule(0.1, 1000, alpha=0.1)
js.piecewise_constant_schedule(0.1, {100: 0.5, 200: 0.1})
js.piecewise_interpolate_schedule("linear", 0.1, {100: 0.5})
js.warmup_constant_schedule(0.0, 0.1, 100)
js.warmup_cosine_decay_schedule(0.0, 3e-4, 100, 1000, end_value=1e-5)
js.warmup_exponential_decay_schedule(0.0, 0.1, 10, 100, 0.9)
js.sgdr_schedule([dict(init_value=0.1, peak_value=0.2, warmup_steps=5, decay_steps=50)])
js.cosine_onecycle_schedule(1000, 0.1)
js.linear_onecycle_schedule(1000, 0.1, pct_start=0.25)
js.join_schedules([base, js.Constant(0.01)], [100])

# Operators: schedules and numbers on either side.
composed: js.Schedule = 0.5 * base + js.Constant(0.01)
composed = base * base - 1e-4
composed = base / 2
composed = 1.0 - base
composed = np.float32(2.0) * base

# optax takes a schedule as its learning rate.
optimizer = optax.adamw(base)
optimizer = optax.adamw(learning_rate=composed, weight_decay=1e-4)
optimizer = optax.sgd(js.warmup_cosine_decay_schedule(0.0, 0.1, 10, 100))

# Sweeps.
sweep = js.grid(
    js.warmup_cosine_decay_schedule,
    init_value=0.0,
    peak_value=[1e-4, 3e-4],
    warmup_steps=[10, 100],
    decay_steps=1000,
)
sweep = js.grid(
    js.ExponentialDecay,
    initial_learning_rate=[0.1, 0.01],
    decay_steps=100,
    decay_rate=0.9,
)
points = js.grid_points(peak_value=[1e-4, 3e-4], warmup_steps=js.fixed([10, 20]))
stacked: js.ExponentialDecay = js.stack([base, js.ExponentialDecay(0.2, 100, 0.5)])
members: list[js.ExponentialDecay] = js.unstack(stacked)
size: int = js.batch_size(stacked)
values = jax.vmap(lambda s: s(10))(stacked)
searched = js.sample(
    jax.random.key(0),
    4,
    js.CosineDecay,
    initial_learning_rate=js.log_uniform(1e-4, 1e-2),
    decay_steps=js.int_uniform(100, 1000),
)

# Serialization.
config = base.to_dict()
restored: js.Schedule = js.from_dict(config)
restored = js.deserialize(js.serialize(base))
restored = js.ExponentialDecay.from_config(base.get_config())

# Hugging Face's cosine_warmup_with_min_lr.
js.CosineWarmupWithMinLR(1.0, 10, 100, 0.5, 0.1, None)
js.CosineWarmupWithMinLR(
    learning_rate=1.0, num_warmup_steps=10, num_training_steps=100, min_lr_rate=0.1
)
