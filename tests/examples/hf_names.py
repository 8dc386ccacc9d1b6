import jaxsched as js

EXAMPLES = {
    js.CosineWarmupWithMinLR: [
        js.CosineWarmupWithMinLR(1.0, 10, 100, min_lr_rate=0.1),
        js.CosineWarmupWithMinLR(0.5, 5, 50, 1.5, 0.0, warmup_lr_rate=0.1),
        js.CosineWarmupWithMinLR(0.1, 0, 30, 0.5, 0.2),
        js.CosineWarmupWithMinLR(2.0, 1, 20.0, 0.5, 0.05, 0.5),
    ],
}
