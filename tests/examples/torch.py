import jaxsched as js

EXAMPLES = {
    js.StepLR: [
        js.StepLR(0.1, 10, 0.5),
        js.StepLR(1.0, 7, 0.9),
        js.StepLR(0.5, 2.5, 0.1),
    ],
    js.MultiStepLR: [
        js.MultiStepLR(0.1, [3, 10, 10, 50], 0.5),
        js.MultiStepLR(1.0, [0, 5, 99, 1000], 0.1),
        js.MultiStepLR(0.2, [2.5, 9.5, 9.5, 20.0], 0.3),
    ],
    js.ConstantLR: [
        js.ConstantLR(0.1),
        js.ConstantLR(1.0, 0.5, 10),
        js.ConstantLR(0.3, 0.0, 0),
    ],
    js.LinearLR: [
        js.LinearLR(0.1),
        js.LinearLR(1.0, 0.25, 0.75, 10),
        js.LinearLR(0.3, 1.0, 0.1, 0),
    ],
    js.CyclicLR: [
        js.CyclicLR(0.1, 1.0, 4),
        js.CyclicLR(0.01, 0.5, 3, 7),
        js.CyclicLR(1.0, 5.0, 2, mode="triangular2"),
        js.CyclicLR(0.5, 2.0, 5, 1, mode="triangular2"),
        js.CyclicLR(0.1, 1.0, 4, 6, mode="exp_range", gamma=0.99),
        js.CyclicLR(0.2, 0.8, 2.5, 0, mode="exp_range", gamma=0.9),
    ],
    js.OneCycleLR: [
        js.OneCycleLR(1.0, 100),
        js.OneCycleLR(0.5, 10, 0.1, div_factor=10.0),
        js.OneCycleLR(25.0, 10, anneal_strategy="linear", final_div_factor=2.0),
        js.OneCycleLR(2.0, 50, 0.0, anneal_strategy="linear"),
        js.OneCycleLR(25.0, 10, 0.4, "linear", final_div_factor=4.0, three_phase=True),
        js.OneCycleLR(1.0, 200, 0.25, "linear", three_phase=True),
        js.OneCycleLR(1.0, 100, 0.3, three_phase=True),
        js.OneCycleLR(0.1, 20, 0.5, div_factor=5.0, three_phase=True),
    ],
    js.CosineAnnealingLR: [
        js.CosineAnnealingLR(0.1, 10),
        js.CosineAnnealingLR(1.0, 7, 0.1),
        js.CosineAnnealingLR(0.5, 2.5, 0.05),
    ],
    js.CosineAnnealingWarmRestarts: [
        js.CosineAnnealingWarmRestarts(0.1, 10),
        js.CosineAnnealingWarmRestarts(1.0, 3, 2, 0.1),
        js.CosineAnnealingWarmRestarts(0.5, 1, 3, 0.01),
    ],
    js.ExponentialLR: [
        js.ExponentialLR(0.1, 0.9),
        js.ExponentialLR(1.0, 0.5),
        js.ExponentialLR(0.3, 0.0),
    ],
    js.PolynomialLR: [
        js.PolynomialLR(0.1),
        js.PolynomialLR(1.0, 10, 0.5),
        js.PolynomialLR(0.5, 7.0, 2.0),
        js.PolynomialLR(0.2, 0, 1.0),
    ],
}
