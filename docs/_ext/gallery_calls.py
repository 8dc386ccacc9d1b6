"""The calls the gallery draws for functions (classes draw their first example,
recipes their defaults over their run, from ``jaxsched.recipes.registry()``).

Group -> qualified name -> (the call's arguments as Python source, the peer's call
on ``optax.`` with the same arguments, or "" where no peer has the name[, the
attribute drawn, for a mirror that returns several schedules: "learning_rate"]).
"""

_WCD = "init_value=0.0, peak_value=1.0, warmup_steps=100, decay_steps=1000"

CALLS: dict[str, dict[str, tuple[str, ...]]] = {
    "frameworks": {
        # big_vision
        "jaxsched.frameworks.big_vision.create_learning_rate_schedule": (
            "10000, base=1e-3, decay_type='cosine', warmup_steps=500",
            "",
        ),
        # composer
        "jaxsched.frameworks.composer.ConstantScheduler": (
            "1e-3, 0.5, '2000ba', max_duration='10000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.ConstantWithWarmupScheduler": (
            "1e-3, '500ba', max_duration='10000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.CosineAnnealingScheduler": (
            "1e-3, alpha_f=0.1, max_duration='10000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.CosineAnnealingWarmRestartsScheduler": (
            "1e-3, '1000ba', 2.0, alpha_f=0.01, max_duration='7000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.CosineAnnealingWithWarmupScheduler": (
            "1e-3, '0.05dur', alpha_f=0.1, max_duration='10000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.ExponentialScheduler": (
            "1e-3, 0.5, '1000ba', max_duration='10000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.LinearScheduler": (
            "1e-3, 1.0, 0.1, max_duration='10000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.LinearWithWarmupScheduler": (
            "1e-3, '500ba', max_duration='10000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.MultiStepScheduler": (
            "0.1, ['30ep', '60ep', '80ep'], 0.1, max_duration='90ep', "
            "steps_per_epoch=100",
            "",
        ),
        "jaxsched.frameworks.composer.MultiStepWithWarmupScheduler": (
            "0.1, '5ep', ['30ep', '60ep', '80ep'], 0.1, max_duration='90ep', "
            "steps_per_epoch=100",
            "",
        ),
        "jaxsched.frameworks.composer.PolynomialScheduler": (
            "1e-3, 2.0, alpha_f=0.01, max_duration='10000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.PolynomialWithWarmupScheduler": (
            "1e-3, '500ba', max_duration='10000ba'",
            "",
        ),
        "jaxsched.frameworks.composer.StepScheduler": (
            "0.1, '30ep', 0.1, max_duration='90ep', steps_per_epoch=100",
            "",
        ),
        # deepspeed
        "jaxsched.frameworks.deepspeed.LRRangeTest": (
            "1e-4, 10, 0.5, lr_range_test_staircase=True",
            "",
        ),
        "jaxsched.frameworks.deepspeed.OneCycle": (
            "1e-4, 1e-3, decay_lr_rate=0.5, cycle_first_step_size=4000, "
            "decay_step_size=500",
            "",
            "learning_rate",
        ),
        "jaxsched.frameworks.deepspeed.WarmupCosineLR": (
            "1e-3, 10000, warmup_num_steps=500",
            "",
        ),
        "jaxsched.frameworks.deepspeed.WarmupDecayLR": (
            "total_num_steps=10000, warmup_max_lr=1e-3, warmup_num_steps=500",
            "",
        ),
        "jaxsched.frameworks.deepspeed.WarmupLR": (
            "warmup_min_lr=0.0, warmup_max_lr=1e-3, warmup_num_steps=1000",
            "",
        ),
        # fairseq
        "jaxsched.frameworks.fairseq.cosine": (
            "5e-4, warmup_updates=1000, warmup_init_lr=1e-7, min_lr=1e-5, "
            "max_update=10000",
            "",
        ),
        "jaxsched.frameworks.fairseq.fixed": (
            "[0.25], steps_per_epoch=1000, force_anneal=5, warmup_updates=200",
            "",
        ),
        "jaxsched.frameworks.fairseq.inverse_sqrt": (
            "5e-4, warmup_updates=4000, warmup_init_lr=1e-7",
            "",
        ),
        "jaxsched.frameworks.fairseq.manual": (
            "1e-3, epoch2lr={'1-3': 1e-3, '4-6': 5e-4, '7': 1e-4}, "
            "steps_per_epoch=1000",
            "",
        ),
        "jaxsched.frameworks.fairseq.polynomial_decay": (
            "5e-4, 1000, end_learning_rate=1e-5, total_num_update=10000",
            "",
        ),
        "jaxsched.frameworks.fairseq.step": (
            "1e-3, warmup_updates=500, min_lr=1e-5, lr_deacy_period=2000, lr_decay=0.5",
            "",
        ),
        "jaxsched.frameworks.fairseq.tri_stage": (
            "5e-4, phase_ratio=[0.1, 0.4, 0.5], final_lr_scale=0.05, max_update=10000",
            "",
        ),
        "jaxsched.frameworks.fairseq.triangular": (
            "1e-5, 1e-3, lr_period_updates=2000, lr_shrink=0.5",
            "",
        ),
        # levanter
        "jaxsched.frameworks.levanter.AdamConfig": (
            "learning_rate=3e-4, warmup=0.05, min_lr_ratio=0.1, lr_schedule='cosine'",
            "",
            "lr_scheduler(10000)",
        ),
        "jaxsched.frameworks.levanter.OptimizerConfig": (
            "learning_rate=3e-4, warmup=500, decay=0.2, min_lr_ratio=0.0, "
            "lr_schedule='linear'",
            "",
            "lr_scheduler(10000)",
        ),
        # maxtext
        "jaxsched.frameworks.maxtext.create_learning_rate_schedule": (
            "{'learning_rate': 3e-4, 'lr_schedule_type': 'wsd', 'steps': 10000, "
            "'warmup_steps_fraction': 0.05, 'wsd_decay_steps_fraction': 0.2}",
            "",
        ),
        # megatron
        "jaxsched.frameworks.megatron.OptimizerParamScheduler": (
            "init_lr=0.0, max_lr=3e-4, min_lr=3e-5, lr_warmup_steps=500, "
            "lr_decay_steps=10000, lr_decay_style='cosine', start_wd=0.1, "
            "end_wd=0.1, wd_incr_steps=10000, wd_incr_style='constant'",
            "",
            "learning_rate",
        ),
        # nemo
        "jaxsched.frameworks.nemo.CosineAnnealing": (
            "1e-3, max_steps=10000, min_lr=1e-5, warmup_steps=500",
            "",
        ),
        "jaxsched.frameworks.nemo.InverseSquareRootAnnealing": (
            "1e-3, max_steps=10000, warmup_steps=500",
            "",
        ),
        "jaxsched.frameworks.nemo.NoamAnnealing": (
            "1.0, d_model=512, warmup_steps=1000, max_steps=10000, min_lr=1e-5",
            "",
        ),
        "jaxsched.frameworks.nemo.NoamHoldAnnealing": (
            "1e-3, max_steps=10000, warmup_steps=500, hold_steps=2000, min_lr=1e-5",
            "",
        ),
        "jaxsched.frameworks.nemo.PolynomialDecayAnnealing": (
            "1e-3, max_steps=10000, min_lr=1e-5, power=2.0, warmup_steps=500",
            "",
        ),
        "jaxsched.frameworks.nemo.PolynomialHoldDecayAnnealing": (
            "1e-3, max_steps=10000, min_lr=1e-5, power=2.0, warmup_steps=500, "
            "hold_steps=2000",
            "",
        ),
        "jaxsched.frameworks.nemo.SquareAnnealing": (
            "1e-3, max_steps=10000, warmup_steps=500",
            "",
        ),
        "jaxsched.frameworks.nemo.SquareRootAnnealing": (
            "1e-3, max_steps=10000, min_lr=1e-5, warmup_steps=500",
            "",
        ),
        "jaxsched.frameworks.nemo.T5InverseSquareRootAnnealing": (
            "1e-2, max_steps=10000, constant_steps=1000",
            "",
        ),
        "jaxsched.frameworks.nemo.WarmupAnnealHoldPolicy": (
            "1e-3, warmup_steps=500, constant_steps=2000, max_steps=10000, min_lr=1e-5",
            "",
        ),
        "jaxsched.frameworks.nemo.WarmupAnnealing": (
            "1e-3, max_steps=10000, min_lr=1e-5, warmup_steps=500",
            "",
        ),
        "jaxsched.frameworks.nemo.WarmupHoldAnnealLinear": (
            "1e-3, max_steps=10000, min_lr=1e-5, warmup_steps=500, hold_steps=2000",
            "",
        ),
        "jaxsched.frameworks.nemo.WarmupHoldAnnealOneMinusSquareRoot": (
            "1e-3, max_steps=10000, min_lr=1e-5, warmup_steps=500, hold_steps=2000",
            "",
        ),
        "jaxsched.frameworks.nemo.WarmupHoldPolicy": (
            "1e-3, warmup_steps=500, hold_steps=2000, max_steps=10000, min_lr=1e-5",
            "",
        ),
        "jaxsched.frameworks.nemo.WarmupPolicy": (
            "1e-3, warmup_steps=500, max_steps=10000, min_lr=1e-5",
            "",
        ),
        # praxis
        "jaxsched.frameworks.praxis.Constant": ("1e-3", ""),
        "jaxsched.frameworks.praxis.ContinuousSchedule": (
            "1e-3, start_step=2000, half_life_steps=1000, min=0.01",
            "",
        ),
        "jaxsched.frameworks.praxis.Cosine": ("1e-3, 1e-5, total_steps=10000", ""),
        "jaxsched.frameworks.praxis.CycleSchedule": (
            "[jaxsched.frameworks.praxis.Constant(1e-3), "
            "jaxsched.frameworks.praxis.Constant(1e-4)], [800, 200]",
            "",
        ),
        "jaxsched.frameworks.praxis.DelayedCosine": (
            "start=(1000, 1e-3), limit=(10000, 1e-5)",
            "",
        ),
        "jaxsched.frameworks.praxis.Exponential": (
            "start=(0, 1e-3), limit=(10000, 1e-5)",
            "",
        ),
        "jaxsched.frameworks.praxis.Linear": (
            "start=(1000, 1e-3), limit=(10000, 0.0)",
            "",
        ),
        "jaxsched.frameworks.praxis.LinearRampupCosineDecay": (
            "warmup_steps=500, decay_start=1000, decay_end=10000, min_ratio=0.01, "
            "max=1e-3",
            "",
        ),
        "jaxsched.frameworks.praxis.LinearRampupExponentialDecay": (
            "warmup_steps=500, decay_start=1000, decay_end=10000, min_ratio=0.01, "
            "max=1e-3",
            "",
        ),
        "jaxsched.frameworks.praxis.LinearRampupPiecewiseConstant": (
            "[500, 6000, 8000], [1e-3, 1e-4, 1e-5]",
            "",
        ),
        "jaxsched.frameworks.praxis.LinearRampupPolynomialDecay": (
            "warmup_steps=500, decay_start=1000, decay_end=10000, power=2, "
            "min_ratio=0.01, max=1e-3",
            "",
        ),
        "jaxsched.frameworks.praxis.LinearRampupSqrtDecay": (
            "1e-3, warmup_steps=1000",
            "",
        ),
        "jaxsched.frameworks.praxis.PiecewiseConstant": (
            "[3000, 6000, 8000], [1e-3, 3e-4, 1e-4, 3e-5]",
            "",
        ),
        "jaxsched.frameworks.praxis.PiecewiseSchedule": (
            "[500], [jaxsched.frameworks.praxis.Linear(start=(0, 0.0), "
            "limit=(500, 1e-3)), jaxsched.frameworks.praxis.Cosine(1e-3, 1e-5, 9500)]",
            "",
        ),
        "jaxsched.frameworks.praxis.Polynomial": (
            "2, start=(0, 1e-3), limit=(10000, 1e-5)",
            "",
        ),
        "jaxsched.frameworks.praxis.SqrtDecay": (
            "decay_start=1000, multiplier=1.0",
            "",
        ),
        "jaxsched.frameworks.praxis.Transformer": (
            "warmup_steps=1000, model_dim=512",
            "",
        ),
        # t5x
        "jaxsched.frameworks.t5x.create_learning_rate_scheduler": (
            "'constant * linear_warmup * rsqrt_decay', base_learning_rate=1.0, "
            "warmup_steps=1000",
            "",
        ),
        # tf_models
        "jaxsched.frameworks.tf_models.CosineDecayWithOffset": (
            "1e-3, 10000, alpha=0.01",
            "",
        ),
        "jaxsched.frameworks.tf_models.DirectPowerDecay": ("1e-3, -0.5", ""),
        "jaxsched.frameworks.tf_models.ExponentialDecayWithOffset": (
            "1e-3, 1000, 0.5, staircase=True",
            "",
        ),
        "jaxsched.frameworks.tf_models.LinearWarmup": (
            "jaxsched.frameworks.tf_models.CosineDecayWithOffset(1e-3, 10000), "
            "500, 0.0",
            "",
        ),
        "jaxsched.frameworks.tf_models.PiecewiseConstantDecayWithOffset": (
            "[3000, 6000, 8000], [1e-3, 3e-4, 1e-4, 3e-5]",
            "",
        ),
        "jaxsched.frameworks.tf_models.PolynomialDecayWithOffset": (
            "1e-3, 10000, 1e-5, power=2.0",
            "",
        ),
        "jaxsched.frameworks.tf_models.PolynomialWarmUp": (
            "jaxsched.frameworks.tf_models.PolynomialDecayWithOffset(1e-3, 10000, "
            "0.0), 1000, power=2.0",
            "",
        ),
        "jaxsched.frameworks.tf_models.PowerAndLinearDecay": (
            "1e-3, 10000, -0.5, 0.1",
            "",
        ),
        "jaxsched.frameworks.tf_models.PowerDecayWithOffset": (
            "1e-2, -0.5, offset=1000, pre_offset_learning_rate=1e-3",
            "",
        ),
        "jaxsched.frameworks.tf_models.StepCosineDecayWithOffset": (
            "[0, 3000, 6000], [1e-3, 3e-4, 1e-4]",
            "",
        ),
        # timm
        "jaxsched.frameworks.timm.CosineLRScheduler": (
            "1e-3, 10000, lr_min=1e-5, warmup_t=500, warmup_lr_init=1e-6, "
            "t_in_epochs=False",
            "",
        ),
        "jaxsched.frameworks.timm.MultiStepLRScheduler": (
            "0.1, [30, 60, 80], 0.1, warmup_t=5, warmup_lr_init=1e-4, "
            "steps_per_epoch=100",
            "",
        ),
        "jaxsched.frameworks.timm.PolyLRScheduler": (
            "1e-3, 10000, power=2.0, warmup_t=500, warmup_lr_init=1e-6, "
            "t_in_epochs=False",
            "",
        ),
        "jaxsched.frameworks.timm.StepLRScheduler": (
            "0.1, 30, 0.1, warmup_t=5, warmup_lr_init=1e-4, steps_per_epoch=100",
            "",
        ),
        "jaxsched.frameworks.timm.TanhLRScheduler": (
            "1e-3, 10000, warmup_t=500, warmup_lr_init=1e-6, t_in_epochs=False",
            "",
        ),
        "jaxsched.frameworks.timm.WSDLRScheduler": (
            "1e-3, 9500, 2000, warmup_t=500, warmup_lr_init=1e-6, t_in_epochs=False",
            "",
        ),
        # torch
        "jaxsched.frameworks.torch.CyclicLR": (
            "1e-4, 1e-3, step_size_up=1000, mode='triangular2'",
            "",
            "learning_rate",
        ),
        "jaxsched.frameworks.torch.OneCycleLR": (
            "1e-3, total_steps=10000",
            "",
            "learning_rate",
        ),
    },
    "optax": {
        "jaxsched.constant_schedule": ("0.5", "constant_schedule(0.5)"),
        "jaxsched.linear_schedule": (
            "1.0, 0.1, 500, 100",
            "linear_schedule(1.0, 0.1, 500, 100)",
        ),
        "jaxsched.polynomial_schedule": (
            "1.0, 0.0, 2.0, 500, 100",
            "polynomial_schedule(1.0, 0.0, 2.0, 500, 100)",
        ),
        "jaxsched.exponential_decay": (
            "1.0, 100, 0.5, 50, staircase=True",
            "exponential_decay(1.0, 100, 0.5, 50, staircase=True)",
        ),
        "jaxsched.cosine_decay_schedule": (
            "1.0, 800, alpha=0.1",
            "cosine_decay_schedule(1.0, 800, alpha=0.1)",
        ),
        "jaxsched.piecewise_constant_schedule": (
            "1.0, {200: 0.5, 500: 0.1}",
            "piecewise_constant_schedule(1.0, {200: 0.5, 500: 0.1})",
        ),
        "jaxsched.piecewise_interpolate_schedule": (
            "'cosine', 1.0, {200: 0.5, 500: 0.1}",
            "piecewise_interpolate_schedule('cosine', 1.0, {200: 0.5, 500: 0.1})",
        ),
        "jaxsched.warmup_constant_schedule": (
            "0.0, 1.0, 100",
            "warmup_constant_schedule(0.0, 1.0, 100)",
        ),
        "jaxsched.warmup_cosine_decay_schedule": (
            _WCD + ", end_value=0.1",
            f"warmup_cosine_decay_schedule({_WCD}, end_value=0.1)",
        ),
        "jaxsched.warmup_exponential_decay_schedule": (
            "0.0, 1.0, 100, 200, 0.5",
            "warmup_exponential_decay_schedule(0.0, 1.0, 100, 200, 0.5)",
        ),
        "jaxsched.sgdr_schedule": (
            f"[dict({_WCD})] * 3",
            f"sgdr_schedule([dict({_WCD})] * 3)",
        ),
        "jaxsched.cosine_onecycle_schedule": (
            "1000, 1.0",
            "cosine_onecycle_schedule(1000, 1.0)",
        ),
        "jaxsched.join_schedules": (
            "[jaxsched.constant_schedule(1.0), jaxsched.linear_schedule(1.0, 0.1, 500)]"
            ", [200]",
            "join_schedules([optax.constant_schedule(1.0), "
            "optax.linear_schedule(1.0, 0.1, 500)], [200])",
        ),
        "jaxsched.linear_onecycle_schedule": (
            "1000, 1.0",
            "linear_onecycle_schedule(1000, 1.0)",
        ),
    },
}

#: Public names of the framework mirrors and recipes that are not drawn, and why.
NOT_DRAWN: dict[str, str] = {
    "jaxsched.frameworks.big_vision.steps": "a helper: reads one duration of a "
    "config in steps",
    "jaxsched.frameworks.composer.parse_time": "a helper: parses a Composer time "
    "string",
    "jaxsched.frameworks.deepspeed.OneCycleSchedules": "the result of "
    "deepspeed.OneCycle (learning rate and momentum)",
    "jaxsched.frameworks.fairseq.reduce_lr_on_plateau": "metric-driven: raises "
    "(the rate follows a validation metric)",
    "jaxsched.frameworks.levanter.ConstantLrSchedule": "a decay choice for "
    "levanter.OptimizerConfig(lr_schedule=...), not a schedule",
    "jaxsched.frameworks.levanter.CosineLrSchedule": "a decay choice for "
    "levanter.OptimizerConfig(lr_schedule=...), not a schedule",
    "jaxsched.frameworks.levanter.InvLrSchedule": "a decay choice for "
    "levanter.OptimizerConfig(lr_schedule=...), not a schedule",
    "jaxsched.frameworks.levanter.InvSqrtLrSchedule": "a decay choice for "
    "levanter.OptimizerConfig(lr_schedule=...), not a schedule",
    "jaxsched.frameworks.levanter.LinearLrSchedule": "a decay choice for "
    "levanter.OptimizerConfig(lr_schedule=...), not a schedule",
    "jaxsched.frameworks.levanter.LrSchedule": "the base of the decay choices of "
    "levanter.OptimizerConfig(lr_schedule=...)",
    "jaxsched.frameworks.levanter.PowerLrSchedule": "a decay choice for "
    "levanter.OptimizerConfig(lr_schedule=...), not a schedule",
    "jaxsched.frameworks.megatron.ParamSchedules": "the result of "
    "megatron.OptimizerParamScheduler (learning rate and weight decay)",
    "jaxsched.frameworks.nemo.ReduceLROnPlateau": "metric-driven: raises (a "
    "schedule is a function of the step only)",
    "jaxsched.frameworks.timm.PlateauLRScheduler": "metric-driven: raises (the "
    "rate follows a validation metric)",
    "jaxsched.frameworks.torch.CycleSchedules": "the result of torch.CyclicLR and "
    "torch.OneCycleLR (learning rate and momentum)",
    "jaxsched.frameworks.torch.ReduceLROnPlateau": "metric-driven: raises (the "
    "rate follows a validation metric)",
    "jaxsched.recipes.Recipe": "the registry's record type",
    "jaxsched.recipes.registry": "lists the recipes",
    "jaxsched.recipes.build": "builds a recipe by name (each is drawn)",
    "jaxsched.recipes.deepseek_v2_ramp": "a batch-size ramp (a clock), drawn inside "
    "recipes.deepseek_v2",
    "jaxsched.recipes.deepseek_v3_ramp": "a batch-size ramp (a clock), drawn inside "
    "recipes.deepseek_v3",
}
