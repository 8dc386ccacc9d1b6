"""jaxsched: learning-rate schedules for JAX that are pytrees.

``lr = schedule(step)``; every schedule is a frozen dataclass whose numeric
hyperparameters are pytree leaves: jit it, vmap it over a sweep, differentiate it, pass
it to optax, and save it as JSON with ``to_dict()`` / ``from_dict()``.
"""

from ._arithmetic import Clip as Clip
from ._arithmetic import Difference as Difference
from ._arithmetic import Maximum as Maximum
from ._arithmetic import Minimum as Minimum
from ._arithmetic import Offset as Offset
from ._arithmetic import Product as Product
from ._arithmetic import Quotient as Quotient
from ._arithmetic import Scale as Scale
from ._arithmetic import Sum as Sum
from ._basic import Constant as Constant
from ._basic import Cosine as Cosine
from ._basic import Exponential as Exponential
from ._basic import Linear as Linear
from ._basic import PiecewiseConstant as PiecewiseConstant
from ._basic import PiecewiseInterpolate as PiecewiseInterpolate
from ._basic import Polynomial as Polynomial
from ._batch import batch_size as batch_size
from ._batch import in_axes as in_axes
from ._batch import stack as stack
from ._batch import unstack as unstack
from ._combinators import Lambda as Lambda
from ._combinators import Repeat as Repeat
from ._combinators import Shift as Shift
from ._combinators import Warmup as Warmup
from ._core import Schedule as Schedule
from ._core import register as register
from ._core import registry as registry
from ._devices import shard as shard
from ._epochs import PerEpoch as PerEpoch
from ._hf_names import CosineWarmupWithMinLR as CosineWarmupWithMinLR
from ._hf_names import get_scheduler as get_scheduler
from ._join import Join as Join
from ._keras import CosineDecay as CosineDecay
from ._keras import CosineDecayRestarts as CosineDecayRestarts
from ._keras import ExponentialDecay as ExponentialDecay
from ._keras import InverseTimeDecay as InverseTimeDecay
from ._keras import PiecewiseConstantDecay as PiecewiseConstantDecay
from ._keras import PolynomialDecay as PolynomialDecay
from ._optax import constant_schedule as constant_schedule
from ._optax import cosine_decay_schedule as cosine_decay_schedule
from ._optax import cosine_onecycle_schedule as cosine_onecycle_schedule
from ._optax import exponential_decay as exponential_decay
from ._optax import join_schedules as join_schedules
from ._optax import linear_onecycle_schedule as linear_onecycle_schedule
from ._optax import linear_schedule as linear_schedule
from ._optax import piecewise_constant_schedule as piecewise_constant_schedule
from ._optax import piecewise_interpolate_schedule as piecewise_interpolate_schedule
from ._optax import polynomial_schedule as polynomial_schedule
from ._optax import sgdr_schedule as sgdr_schedule
from ._optax import warmup_constant_schedule as warmup_constant_schedule
from ._optax import warmup_cosine_decay_schedule as warmup_cosine_decay_schedule
from ._optax import (
    warmup_exponential_decay_schedule as warmup_exponential_decay_schedule,
)
from ._plot import plot as plot
from ._search import choice as choice
from ._search import int_uniform as int_uniform
from ._search import log_uniform as log_uniform
from ._search import sample as sample
from ._search import sample_points as sample_points
from ._search import uniform as uniform
from ._serialization import MAX_DEPTH as MAX_DEPTH
from ._serialization import deserialize as deserialize
from ._serialization import from_dict as from_dict
from ._serialization import serialize as serialize
from ._sweep import as_arrays as as_arrays
from ._sweep import fixed as fixed
from ._sweep import grid as grid
from ._sweep import grid_points as grid_points
from ._torch import ConstantLR as ConstantLR
from ._torch import CosineAnnealingLR as CosineAnnealingLR
from ._torch import CosineAnnealingWarmRestarts as CosineAnnealingWarmRestarts
from ._torch import CyclicLR as CyclicLR
from ._torch import ExponentialLR as ExponentialLR
from ._torch import LinearLR as LinearLR
from ._torch import MultiStepLR as MultiStepLR
from ._torch import OneCycleLR as OneCycleLR
from ._torch import PolynomialLR as PolynomialLR
from ._torch import StepLR as StepLR
from ._transformers import ConstantWithWarmup as ConstantWithWarmup
from ._transformers import CosineWithHardRestarts as CosineWithHardRestarts
from ._transformers import CosineWithMinLR as CosineWithMinLR
from ._transformers import CosineWithWarmup as CosineWithWarmup
from ._transformers import InverseSqrt as InverseSqrt
from ._transformers import LinearWithWarmup as LinearWithWarmup
from ._transformers import PolynomialWithWarmup as PolynomialWithWarmup
from ._transformers import RsqrtDecay as RsqrtDecay
from ._transformers import WarmupStableDecay as WarmupStableDecay
from ._validation import no_validation as no_validation

__version__ = "0.1.0"

__all__ = [
    "MAX_DEPTH",
    "Clip",
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
    "Product",
    "Quotient",
    "Repeat",
    "RsqrtDecay",
    "Scale",
    "Schedule",
    "Shift",
    "StepLR",
    "Sum",
    "Warmup",
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
