import jaxsched as js

EXAMPLES = {
    js.PerEpoch: [
        js.PerEpoch(js.StepLR(0.1, 3, 0.5), 10),
        js.PerEpoch(js.CosineAnnealingLR(1.0, 7, 0.1), 4.0),
        js.PerEpoch(js.MultiStepLR(0.5, [2, 5], 0.1), 2.5),
        js.PerEpoch(js.Warmup(js.ExponentialDecay(0.2, 3, 0.5), 2), 33),
    ],
}
