import jaxsched as js

EXAMPLES = {
    js.ConstantWithWarmup: [
        js.ConstantWithWarmup(0.1, 10),
        js.ConstantWithWarmup(1.0, 0),
    ],
    js.LinearWithWarmup: [
        js.LinearWithWarmup(0.1, 10, 100),
        js.LinearWithWarmup(1.0, 0, 50),
        js.LinearWithWarmup(0.5, 5, 5),
    ],
    js.CosineWithWarmup: [
        js.CosineWithWarmup(0.1, 10, 100),
        js.CosineWithWarmup(1.0, 0, 40, 1.5),
    ],
    js.CosineWithMinLR: [
        js.CosineWithMinLR(0.1, 10, 100, min_lr_rate=0.1),
        js.CosineWithMinLR(1.0, 0, 40, 1.0, 0.5),
    ],
    js.CosineWithHardRestarts: [
        js.CosineWithHardRestarts(0.1, 10, 100, 2),
        js.CosineWithHardRestarts(1.0, 0, 40, 3),
    ],
    js.PolynomialWithWarmup: [
        js.PolynomialWithWarmup(0.1, 10, 100),
        js.PolynomialWithWarmup(1.0, 2, 10, 0.1, 2.0),
        js.PolynomialWithWarmup(0.5, 5, 5, 0.0, 0.5),
    ],
    js.InverseSqrt: [
        js.InverseSqrt(0.1, 10),
        js.InverseSqrt(1.0, 0),
        js.InverseSqrt(0.5, 4, 100),
    ],
    js.RsqrtDecay: [
        js.RsqrtDecay(1.0, 10),
        js.RsqrtDecay(0.5, 0),
        js.RsqrtDecay(0.1, 10, normalized=True),
        js.RsqrtDecay(0.2, 3, normalized=True),
        js.RsqrtDecay(1.0, 10, linear_warmup=True),
        js.RsqrtDecay(0.1, 0, linear_warmup=True),
        js.RsqrtDecay(0.1, 10, normalized=True, linear_warmup=True),
    ],
    js.WarmupStableDecay: [
        js.WarmupStableDecay(0.1, 10, 20, 100),
        js.WarmupStableDecay(1.0, 2, 4, num_stable_steps=3, min_lr_ratio=0.1),
        js.WarmupStableDecay(0.5, 0, 0, 10),
        js.WarmupStableDecay(1.0, 5, 10, 50, warmup_type="cosine", decay_type="linear"),
        js.WarmupStableDecay(0.3, 3, 7, 30, warmup_type="cosine", decay_type="linear"),
        js.WarmupStableDecay(1.0, 5, 10, 20, warmup_type="1-sqrt", decay_type="1-sqrt"),
        js.WarmupStableDecay(0.2, 1, 4, 9, warmup_type="1-sqrt", decay_type="1-sqrt"),
        js.WarmupStableDecay(1.0, 4, 8, 20, warmup_type="linear", decay_type="linear"),
        js.WarmupStableDecay(
            1.0,
            4,
            8,
            20,
            warmup_type="cosine",
            decay_type="cosine",
            min_lr_ratio=0.2,
            num_cycles=1.0,
        ),
    ],
}
