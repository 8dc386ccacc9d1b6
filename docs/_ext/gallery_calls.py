"""The calls the gallery draws for functions (classes draw their first example).

Group -> qualified name -> (the call's arguments as Python source, the peer's call
on ``optax.`` with the same arguments, or "" where no peer has the name[, the
attribute drawn, for a mirror that returns several schedules: "learning_rate"]).
"""

_WCD = "init_value=0.0, peak_value=1.0, warmup_steps=100, decay_steps=1000"

CALLS: dict[str, dict[str, tuple[str, ...]]] = {
    "frameworks": {},
    "recipes": {},
    "optax": {
        "jaxsched.constant_schedule": ("0.5", "constant_schedule(0.5)"),
        "jaxsched.linear_schedule": (
            "1.0, 0.1, 500, 100",
            "linear_schedule(1.0, 0.1, 500, 100)",
        ),
        "jaxsched.polynomial_schedule": (
            "1.0, 0.0, 2.0, 500, 100",
            "polynomial_schedule(1.0, 0.0, 2.0, 500, 100)",
        ),
        "jaxsched.exponential_decay": (
            "1.0, 100, 0.5, 50, staircase=True",
            "exponential_decay(1.0, 100, 0.5, 50, staircase=True)",
        ),
        "jaxsched.cosine_decay_schedule": (
            "1.0, 800, alpha=0.1",
            "cosine_decay_schedule(1.0, 800, alpha=0.1)",
        ),
        "jaxsched.piecewise_constant_schedule": (
            "1.0, {200: 0.5, 500: 0.1}",
            "piecewise_constant_schedule(1.0, {200: 0.5, 500: 0.1})",
        ),
        "jaxsched.piecewise_interpolate_schedule": (
            "'cosine', 1.0, {200: 0.5, 500: 0.1}",
            "piecewise_interpolate_schedule('cosine', 1.0, {200: 0.5, 500: 0.1})",
        ),
        "jaxsched.warmup_constant_schedule": (
            "0.0, 1.0, 100",
            "warmup_constant_schedule(0.0, 1.0, 100)",
        ),
        "jaxsched.warmup_cosine_decay_schedule": (
            _WCD + ", end_value=0.1",
            f"warmup_cosine_decay_schedule({_WCD}, end_value=0.1)",
        ),
        "jaxsched.warmup_exponential_decay_schedule": (
            "0.0, 1.0, 100, 200, 0.5",
            "warmup_exponential_decay_schedule(0.0, 1.0, 100, 200, 0.5)",
        ),
        "jaxsched.sgdr_schedule": (
            f"[dict({_WCD})] * 3",
            f"sgdr_schedule([dict({_WCD})] * 3)",
        ),
        "jaxsched.cosine_onecycle_schedule": (
            "1000, 1.0",
            "cosine_onecycle_schedule(1000, 1.0)",
        ),
        "jaxsched.join_schedules": (
            "[jaxsched.constant_schedule(1.0), jaxsched.linear_schedule(1.0, 0.1, 500)]"
            ", [200]",
            "join_schedules([optax.constant_schedule(1.0), "
            "optax.linear_schedule(1.0, 0.1, 500)], [200])",
        ),
        "jaxsched.linear_onecycle_schedule": (
            "1000, 1.0",
            "linear_onecycle_schedule(1000, 1.0)",
        ),
    },
}

#: Public names of the framework mirrors and recipes that are not drawn, and why.
NOT_DRAWN: dict[str, str] = {}
