import jaxsched as js

EXAMPLES = {
    js.Join: [
        js.Join([js.Constant(1.0), js.Linear(1.0, 0.1, 20)], [10]),
        js.Join([js.Constant(0.5), js.Linear(0.5, 0.0, 50, 5)], [3]),
        js.Join(
            [js.Linear(0.0, 1.0, 10), js.Constant(1.0), js.Linear(1.0, 0.0, 100)],
            [10, 50],
        ),
        js.Join([js.Constant(0.3)], []),
    ],
}
