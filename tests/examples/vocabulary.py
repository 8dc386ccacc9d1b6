"""Examples of the field's vocabulary: warmup-hold-decay, power laws, cycles, noise
and clocks (jaxsched/schedules/_shapes, _power_law, _cycles, _noise, _clock).

Each distinct structure costs compiles in every registry-wide test, so the examples
cover the options with few structures; tests/schedules/test_{shapes,cycles,noise,
clock,power_law}.py check the frameworks' configurations.
"""

import jaxsched as js

_COSINE = js.Cosine(1.0, 20, alpha=0.1)

# One call a line or two: the options are the point (fields of one structure read
# side by side).
# fmt: off
_WARMUP_HOLD_DECAY = [
    # Megatron WSD minus_sqrt: the hold is the rest of the run, a floor after.
    js.WarmupHoldDecay(js.Constant(1.0), warmup=10, decay=20, total_steps=100,
                       end_value=0.1, decay_shape="power", decay_power=0.5),
    # fractions of a run length that is a leaf; floor-rounded; ease-in warmup
    js.WarmupHoldDecay(js.Constant(0.5), warmup=0.1, hold=0.2, decay=None,
                       total_steps=150, init_value=0.05, warmup_shape="power",
                       warmup_power=2.0, decay_shape="cosine", unit="fraction",
                       rounding="floor"),
    # timm's warmup_prefix=False in front of a decaying schedule (forever)
    js.WarmupHoldDecay(_COSINE, warmup=5, handover="jump", init_value=0.01),
    # the warmup ramps to s(W) (TF's LinearWarmup); float lengths; MaxText's
    # inclusive end; a polynomial decay
    js.WarmupHoldDecay(_COSINE, warmup=6.0, hold=4.0, decay=10.0, end_value=0.05,
                       warmup_shape="cosine", decay_shape="polynomial",
                       decay_power=2.0, handover="continuous", inclusive_end=True),
    # fairseq tri_stage's geometric decay, after DeepSpeed's log warmup
    js.WarmupHoldDecay(js.Constant(1.0), warmup=8, hold=6, decay=10, init_value=0.01,
                       end_value=0.01, warmup_shape="log",
                       decay_shape="exponential", decay_rate=0.01),
    # big_vision's multiplicative cooldown: extrapolated below 0 after the end
    js.WarmupHoldDecay(js.PowerLaw(1.0, -0.5, 10.0), warmup=0.05, decay=0.1,
                       total_steps=200, decay_shape="linear",
                       after_end="extrapolate", unit="fraction", rounding="round"),
    # timm's tanh, an exponential warmup, a zero-length hold
    js.WarmupHoldDecay(js.Constant(1.0), warmup=3, hold=0, decay=20, init_value=0.1,
                       warmup_shape="exponential", decay_shape="tanh"),
]
# fmt: on

EXAMPLES = {
    js.WarmupHoldDecay: _WARMUP_HOLD_DECAY,
    js.PowerLaw: [
        js.PowerLaw(1.0, -0.5, 100.0),
        js.PowerLaw(0.1, -0.3, 1.0, offset=0.0, min_step=1),
        js.PowerLaw(2.0, 0.5, 50.0, offset=2.0, min_step=10),
    ],
    js.Noam: [js.Noam(512, 40), js.Noam(64, 0, scale=2.0)],
    js.Cycles: [
        js.Cycles(_COSINE, 20, period_factor=2.0, decay=0.5, floor=0.1, limit=3),
        js.Cycles(js.Linear(1.0, 0.0, 10), 10, period_factor=3.0, decay=0.8),
        # fractional factors: the same structure as the first (whole factors are
        # exact beyond 2**24, fractional ones below it: test_giant_steps checks the
        # first of each structure)
        js.Cycles(_COSINE, 12, period_factor=0.5, decay=0.9, floor=0.05, limit=9),
        js.Cycles(_COSINE, 10, period_factor=1.5, decay=0.8, floor=0.0, limit=6),
        # timm's cycle_decay: the peak decays, the floor (lr_min) stays
        js.Cycles(_COSINE, 20, decay=0.5, floor=0.1, peak=1.0, limit=4),
    ],
    js.MultiplicativeNoise: [
        js.MultiplicativeNoise(_COSINE, seed=42, begin=5, end=30),
        js.MultiplicativeNoise(
            js.Constant(0.5), seed=7, pct=0.2, distribution="uniform"
        ),
    ],
    js.Clock: [
        js.Clock(js.Linear(0.0, 1.0, 10), js.StretchClock(3.0)),
        js.Clock(_COSINE, js.PowerClock(2.0, 20)),
        js.Clock(
            js.Join([js.Constant(1.0), js.Constant(0.5)], [2000.0]),
            js.TokenClock(4, 12, 10, sequence_length=16),
        ),
    ],
    js.StretchClock: [js.StretchClock(4.0), js.StretchClock(0.5)],
    js.PowerClock: [js.PowerClock(2.0, 100), js.PowerClock(0.5, 30)],
    js.TokenClock: [
        js.TokenClock(2, 6, 4, sequence_length=10),
        js.TokenClock(3, 15, 4.5e4, sequence_length=8, ramp_unit="tokens"),
        js.TokenClock(8, 8, 0),
    ],
}
