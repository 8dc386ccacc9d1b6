import numpy as np

import jaxsched as js

EXAMPLES = {
    js.ExponentialDecay: [
        js.ExponentialDecay(0.1, 10, 0.5),
        js.ExponentialDecay(0.1, 7, 0.9, staircase=True),
        js.ExponentialDecay(2.0, 2.5, 1.5, name="grow"),
    ],
    js.InverseTimeDecay: [
        js.InverseTimeDecay(0.1, 1.0, 0.5),
        js.InverseTimeDecay(0.5, 10, 2.0, staircase=True),
    ],
    js.PolynomialDecay: [
        js.PolynomialDecay(0.1, 10),
        js.PolynomialDecay(0.1, 20, end_learning_rate=0.01, power=2.0),
        js.PolynomialDecay(1.0, 7.5, 0.1, 0.5),
        js.PolynomialDecay(0.1, 10, 0.01, 1.0, cycle=True),
        js.PolynomialDecay(1.0, 3, 0.0, 0.5, cycle=True, name="poly"),
    ],
    js.PiecewiseConstantDecay: [
        js.PiecewiseConstantDecay([10, 50], [1.0, 0.1, 0.01]),
        js.PiecewiseConstantDecay([3, 7], [0.5, 2.0, 1.0]),
        js.PiecewiseConstantDecay(np.array([2.5, 100.0]), [0.3, 0.2, 0.1]),
        js.PiecewiseConstantDecay([0, 1000], [1e-3, 1e-2, 1e-4], name="steps"),
    ],
    js.CosineDecay: [
        js.CosineDecay(0.1, 20),
        js.CosineDecay(0.5, 7, alpha=0.1),
        js.CosineDecay(0.0, 20, warmup_target=1.0, warmup_steps=5),
        js.CosineDecay(0.2, 12.5, 0.05, "cosine", 1.0, 0),
        js.CosineDecay(1.0, 30, warmup_target=0.5, warmup_steps=2.5),
    ],
    js.CosineDecayRestarts: [
        js.CosineDecayRestarts(1.0, 10),
        js.CosineDecayRestarts(1.0, 10, t_mul=1.0, m_mul=0.9),
        js.CosineDecayRestarts(0.5, 7, 1.5, 0.5, 0.1),
        js.CosineDecayRestarts(1.0, 4, t_mul=0.8, m_mul=0.0, alpha=0.2),
        js.CosineDecayRestarts(0.1, 2.5, 3.0),
    ],
}
