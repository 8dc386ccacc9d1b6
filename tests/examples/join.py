import jaxsched as js

_CYCLE = dict(init_value=0.0, peak_value=1.0, warmup_steps=5, decay_steps=20)

EXAMPLES = {
    js.Join: [
        js.Join([js.Constant(1.0), js.Linear(1.0, 0.1, 20)], [10]),
        js.Join([js.Constant(0.5), js.Linear(0.5, 0.0, 50, 5)], [3]),
        js.Join(
            [js.Linear(0.0, 1.0, 10), js.Constant(1.0), js.Linear(1.0, 0.0, 100)],
            [10, 50],
        ),
        js.Join([js.Constant(0.3)], []),
        js.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100, 0.1),
        js.warmup_cosine_decay_schedule(0.1, 0.5, 0, 30, 0.0, 2.0),
        js.warmup_exponential_decay_schedule(0.0, 1.0, 5, 10, 0.5, 2, True, 0.1),
        js.sgdr_schedule([_CYCLE, {**_CYCLE, "peak_value": 0.5}]),
    ],
}
