import numpy as np

import jaxsched as js

EXAMPLES = {
    js.Constant: [js.Constant(0.1), js.Constant(2.0)],
    js.Linear: [
        js.Linear(1.0, 0.1, 20),
        js.Linear(0.0, 1.0, 10, transition_begin=5),
        js.Linear(0.5, 0.0, 0),
        js.Linear(0.5, 0.0, 7, transition_begin=-3),
    ],
    js.Polynomial: [
        js.Polynomial(1.0, 0.01, 2.0, 20),
        js.Polynomial(0.5, 0.0, 0.5, 10, transition_begin=5),
        js.Polynomial(0.1, 1.0, 1, 0),
        js.Polynomial(1.0, 0.0, 3.0, 7.5, transition_begin=-2),
    ],
    js.Exponential: [
        js.Exponential(1.0, 10, 0.5),
        js.Exponential(0.1, 7, 0.9, transition_begin=3),
        js.Exponential(1.0, 0, 0.5),
        js.Exponential(1.0, 10, 0.0),
        js.Exponential(2.0, 2.5, 1.5, transition_begin=-4),
        js.Exponential(1.0, 10, 0.5, staircase=True),
        js.Exponential(0.5, 3, 2.0, 2, staircase=True),
        js.Exponential(1.0, 10, 0.5, end_value=0.2, bounded=True),
        js.Exponential(0.1, 10, 3.0, end_value=0.5, bounded=True),
        js.Exponential(1.0, 5, 0.8, 4, staircase=True, end_value=0.3, bounded=True),
        js.Exponential(1.0, 5, 1.2, 0, staircase=True, end_value=2.0, bounded=True),
    ],
    js.Cosine: [
        js.Cosine(1.0, 20),
        js.Cosine(0.5, 7, alpha=0.1),
        js.Cosine(0.1, 100, alpha=0.2, exponent=2.0),
        js.Cosine(0.1, 10, exponent=0.5),
    ],
    js.PiecewiseConstant: [
        js.PiecewiseConstant([10, 50], [1.0, 0.1, 0.01]),
        js.PiecewiseConstant([3, 7], [0.5, 2.0, 1.0]),
        js.PiecewiseConstant(np.array([2.5, 100.0]), [0.3, 0.2, 0.1]),
    ],
    js.PiecewiseInterpolate: [
        js.PiecewiseInterpolate([0, 10, 50], [0.0, 1.0, 0.1]),
        js.PiecewiseInterpolate([0, 0, 20], [1.0, 2.0, 0.5]),
        js.PiecewiseInterpolate([0, 5, 10], [0.2, 1.0, 0.0], interpolate_type="cosine"),
        js.PiecewiseInterpolate([0, 3, 100], [1.0, 0.5, 0.1], "cosine"),
    ],
}
