"""jaxsched: learning-rate schedules for JAX that are pytrees.

``lr = schedule(step)``; every schedule is a frozen dataclass whose numeric
hyperparameters are pytree leaves: jit it, vmap it over a sweep, differentiate it, pass
it to optax, and save it as JSON with ``to_dict()`` / ``from_dict()``.
"""

# Modules that hand their part to the Schedule base class when imported (the seam
# documented in jaxsched.core._schedule): printing, key steps, serialization, operators.
from jaxsched.core import _key_steps as _key_steps
from jaxsched.core import _printing as _printing
from jaxsched.core._batch import batch_size as batch_size
from jaxsched.core._batch import in_axes as in_axes
from jaxsched.core._batch import stack as stack
from jaxsched.core._batch import unstack as unstack
from jaxsched.core._schedule import Schedule as Schedule
from jaxsched.core._schedule import register as register
from jaxsched.core._schedule import registry as registry
from jaxsched.core._serialization import MAX_DEPTH as MAX_DEPTH
from jaxsched.core._serialization import deserialize as deserialize
from jaxsched.core._serialization import from_dict as from_dict
from jaxsched.core._serialization import serialize as serialize
from jaxsched.core._validation import no_validation as no_validation
from jaxsched.schedules._arithmetic import Clip as Clip
from jaxsched.schedules._arithmetic import Difference as Difference
from jaxsched.schedules._arithmetic import Maximum as Maximum
from jaxsched.schedules._arithmetic import Minimum as Minimum
from jaxsched.schedules._arithmetic import Offset as Offset
from jaxsched.schedules._arithmetic import Product as Product
from jaxsched.schedules._arithmetic import Quotient as Quotient
from jaxsched.schedules._arithmetic import Scale as Scale
from jaxsched.schedules._arithmetic import Sum as Sum
from jaxsched.schedules._clock import Clock as Clock
from jaxsched.schedules._clock import PowerClock as PowerClock
from jaxsched.schedules._clock import StretchClock as StretchClock
from jaxsched.schedules._clock import TokenClock as TokenClock
from jaxsched.schedules._combinators import Lambda as Lambda
from jaxsched.schedules._combinators import Repeat as Repeat
from jaxsched.schedules._combinators import Shift as Shift
from jaxsched.schedules._combinators import Warmup as Warmup
from jaxsched.schedules._cycles import Cycles as Cycles
from jaxsched.schedules._epochs import PerEpoch as PerEpoch
from jaxsched.schedules._hf_names import CosineWarmupWithMinLR as CosineWarmupWithMinLR
from jaxsched.schedules._hf_names import get_scheduler as get_scheduler
from jaxsched.schedules._join import Join as Join
from jaxsched.schedules._keras import CosineDecay as CosineDecay
from jaxsched.schedules._keras import CosineDecayRestarts as CosineDecayRestarts
from jaxsched.schedules._keras import ExponentialDecay as ExponentialDecay
from jaxsched.schedules._keras import InverseTimeDecay as InverseTimeDecay
from jaxsched.schedules._keras import PiecewiseConstantDecay as PiecewiseConstantDecay
from jaxsched.schedules._keras import PolynomialDecay as PolynomialDecay
from jaxsched.schedules._noise import MultiplicativeNoise as MultiplicativeNoise
from jaxsched.schedules._optax import constant_schedule as constant_schedule
from jaxsched.schedules._optax import cosine_decay_schedule as cosine_decay_schedule
from jaxsched.schedules._optax import (
    cosine_onecycle_schedule as cosine_onecycle_schedule,
)
from jaxsched.schedules._optax import exponential_decay as exponential_decay
from jaxsched.schedules._optax import join_schedules as join_schedules
from jaxsched.schedules._optax import (
    linear_onecycle_schedule as linear_onecycle_schedule,
)
from jaxsched.schedules._optax import linear_schedule as linear_schedule
from jaxsched.schedules._optax import (
    piecewise_constant_schedule as piecewise_constant_schedule,
)
from jaxsched.schedules._optax import (
    piecewise_interpolate_schedule as piecewise_interpolate_schedule,
)
from jaxsched.schedules._optax import polynomial_schedule as polynomial_schedule
from jaxsched.schedules._optax import sgdr_schedule as sgdr_schedule
from jaxsched.schedules._optax import (
    warmup_constant_schedule as warmup_constant_schedule,
)
from jaxsched.schedules._optax import (
    warmup_cosine_decay_schedule as warmup_cosine_decay_schedule,
)
from jaxsched.schedules._optax import (
    warmup_exponential_decay_schedule as warmup_exponential_decay_schedule,
)
from jaxsched.schedules._power_law import Noam as Noam
from jaxsched.schedules._power_law import PowerLaw as PowerLaw
from jaxsched.schedules._primitives import Constant as Constant
from jaxsched.schedules._primitives import Cosine as Cosine
from jaxsched.schedules._primitives import Exponential as Exponential
from jaxsched.schedules._primitives import Linear as Linear
from jaxsched.schedules._primitives import PiecewiseConstant as PiecewiseConstant
from jaxsched.schedules._primitives import PiecewiseInterpolate as PiecewiseInterpolate
from jaxsched.schedules._primitives import Polynomial as Polynomial
from jaxsched.schedules._shapes import WarmupHoldDecay as WarmupHoldDecay
from jaxsched.schedules._torch import ConstantLR as ConstantLR
from jaxsched.schedules._torch import CosineAnnealingLR as CosineAnnealingLR
from jaxsched.schedules._torch import (
    CosineAnnealingWarmRestarts as CosineAnnealingWarmRestarts,
)
from jaxsched.schedules._torch import CyclicLR as CyclicLR
from jaxsched.schedules._torch import ExponentialLR as ExponentialLR
from jaxsched.schedules._torch import LinearLR as LinearLR
from jaxsched.schedules._torch import MultiStepLR as MultiStepLR
from jaxsched.schedules._torch import OneCycleLR as OneCycleLR
from jaxsched.schedules._torch import PolynomialLR as PolynomialLR
from jaxsched.schedules._torch import StepLR as StepLR
from jaxsched.schedules._transformers import ConstantWithWarmup as ConstantWithWarmup
from jaxsched.schedules._transformers import (
    CosineWithHardRestarts as CosineWithHardRestarts,
)
from jaxsched.schedules._transformers import CosineWithMinLR as CosineWithMinLR
from jaxsched.schedules._transformers import CosineWithWarmup as CosineWithWarmup
from jaxsched.schedules._transformers import InverseSqrt as InverseSqrt
from jaxsched.schedules._transformers import LinearWithWarmup as LinearWithWarmup
from jaxsched.schedules._transformers import (
    PolynomialWithWarmup as PolynomialWithWarmup,
)
from jaxsched.schedules._transformers import RsqrtDecay as RsqrtDecay
from jaxsched.schedules._transformers import WarmupStableDecay as WarmupStableDecay
from jaxsched.sweeps._devices import shard as shard
from jaxsched.sweeps._grid import as_arrays as as_arrays
from jaxsched.sweeps._grid import fixed as fixed
from jaxsched.sweeps._grid import grid as grid
from jaxsched.sweeps._grid import grid_points as grid_points
from jaxsched.sweeps._search import choice as choice
from jaxsched.sweeps._search import int_uniform as int_uniform
from jaxsched.sweeps._search import log_uniform as log_uniform
from jaxsched.sweeps._search import sample as sample
from jaxsched.sweeps._search import sample_points as sample_points
from jaxsched.sweeps._search import uniform as uniform
from jaxsched.tools._plot import plot as plot

__version__ = "0.1.0"

# The framework mirrors and the published recipes, reachable after `import jaxsched`:
# jaxsched.recipes.llama(...), jaxsched.frameworks.timm.CosineLRScheduler(...).
from jaxsched import frameworks as frameworks
from jaxsched import recipes as recipes

__all__ = [
    "MAX_DEPTH",
    "Clip",
    "Clock",
    "Constant",
    "ConstantLR",
    "ConstantWithWarmup",
    "Cosine",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CosineDecay",
    "CosineDecayRestarts",
    "CosineWarmupWithMinLR",
    "CosineWithHardRestarts",
    "CosineWithMinLR",
    "CosineWithWarmup",
    "Cycles",
    "CyclicLR",
    "Difference",
    "Exponential",
    "ExponentialDecay",
    "ExponentialLR",
    "InverseSqrt",
    "InverseTimeDecay",
    "Join",
    "Lambda",
    "Linear",
    "LinearLR",
    "LinearWithWarmup",
    "Maximum",
    "Minimum",
    "MultiStepLR",
    "MultiplicativeNoise",
    "Noam",
    "Offset",
    "OneCycleLR",
    "PerEpoch",
    "PiecewiseConstant",
    "PiecewiseConstantDecay",
    "PiecewiseInterpolate",
    "Polynomial",
    "PolynomialDecay",
    "PolynomialLR",
    "PolynomialWithWarmup",
    "PowerClock",
    "PowerLaw",
    "Product",
    "Quotient",
    "Repeat",
    "RsqrtDecay",
    "Scale",
    "Schedule",
    "Shift",
    "StepLR",
    "StretchClock",
    "Sum",
    "TokenClock",
    "Warmup",
    "WarmupHoldDecay",
    "WarmupStableDecay",
    "as_arrays",
    "batch_size",
    "choice",
    "constant_schedule",
    "cosine_decay_schedule",
    "cosine_onecycle_schedule",
    "deserialize",
    "exponential_decay",
    "fixed",
    "from_dict",
    "get_scheduler",
    "grid",
    "grid_points",
    "in_axes",
    "int_uniform",
    "join_schedules",
    "linear_onecycle_schedule",
    "linear_schedule",
    "log_uniform",
    "no_validation",
    "piecewise_constant_schedule",
    "piecewise_interpolate_schedule",
    "plot",
    "polynomial_schedule",
    "register",
    "registry",
    "sample",
    "sample_points",
    "serialize",
    "sgdr_schedule",
    "shard",
    "stack",
    "uniform",
    "unstack",
    "warmup_constant_schedule",
    "warmup_cosine_decay_schedule",
    "warmup_exponential_decay_schedule",
]
