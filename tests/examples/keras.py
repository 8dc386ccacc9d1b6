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
}
