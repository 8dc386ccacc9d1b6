import jaxsched as js

A = js.ExponentialDecay(0.1, 10, 0.5)
B = js.ExponentialDecay(0.3, 7, 0.8, staircase=True)
C = js.InverseTimeDecay(0.2, 1.0, 0.5)
D = js.InverseTimeDecay(0.05, 10, 2.0)


def _nested(scale, floor, boundary, warmup, factor):
    """The composite of the issue: ``Warmup(Join([...], [b]), w) * factor``."""
    join = js.Join([scale * A, js.Clip(C, minimum=floor)], [boundary])
    return js.Warmup(join, warmup) * factor


EXAMPLES = {
    js.Sum: [A + C, B + D],
    js.Difference: [js.Constant(0.5) - A, js.Constant(0.4) - B],
    js.Product: [A * js.Linear(1.0, 0.0, 50), B * js.Linear(0.5, 1.0, 20)],
    js.Scale: [
        0.5 * A,
        A * 3,
        -A,
        _nested(0.5, 0.05, 50, 10, 2.0),
        _nested(0.25, 0.01, 30, 0, 1.5),
    ],
    js.Offset: [A + 0.01, A - 0.05, 0.2 + A],
    js.Quotient: [A / 4, A / 0.5, A / -2.0],
    js.Minimum: [js.Minimum(A, C), js.Minimum(B, D)],
    js.Maximum: [js.Maximum(A, C), js.Maximum(B, D)],
    js.Clip: [
        js.Clip(A, minimum=0.02),
        js.Clip(C, minimum=0.05),
        js.Clip(A, maximum=0.05),
        js.Clip(A, 0.01, 0.08),
        js.Clip(C, 0.03, 0.1),
        js.Clip(A),
    ],
    js.Warmup: [
        js.Warmup(A, 5),
        js.Warmup(A, 0),
        js.Warmup(A, 2.5, 0.01),
        js.Warmup(B, 20, 0.01, shape="cosine"),
        js.Warmup(B, 0, 0.5, shape="cosine"),
        js.Warmup(A, 10, shape="exponential"),
        js.Warmup(A, 3, 0.001, shape="exponential"),
        js.Warmup(A, 0, 0.001, shape="exponential"),
    ],
    js.Shift: [js.Shift(A, 10), js.Shift(A, -5), js.Shift(A, 2.5)],
    js.Repeat: [
        js.Repeat(A, 20, 0.5),
        js.Repeat(A, 7),
        js.Repeat(A, 12.0, 0.0),
        js.Repeat(B, 2.5, 0.9),
    ],
}
