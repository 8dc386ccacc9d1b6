import jaxsched as js

EXAMPLES = {
    js.Constant: [js.Constant(0.1), js.Constant(2.0)],
    js.Linear: [
        js.Linear(1.0, 0.1, 20),
        js.Linear(0.0, 1.0, 10, transition_begin=5),
        js.Linear(0.5, 0.0, 0),
        js.Linear(0.5, 0.0, 7, transition_begin=-3),
    ],
}
