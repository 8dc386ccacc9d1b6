"""jaxsched: learning-rate schedules for JAX that are pytrees.

``lr = schedule(step)``; every schedule is a frozen dataclass whose numeric
hyperparameters are pytree leaves: jit it, vmap it over a sweep, differentiate it, pass
it to optax, and save it as JSON with ``to_dict()`` / ``from_dict()``.
"""

from ._basic import Constant as Constant
from ._basic import Linear as Linear
from ._batch import batch_size as batch_size
from ._batch import in_axes as in_axes
from ._batch import stack as stack
from ._batch import unstack as unstack
from ._core import Schedule as Schedule
from ._core import register as register
from ._core import registry as registry
from ._join import Join as Join
from ._keras import ExponentialDecay as ExponentialDecay
from ._keras import InverseTimeDecay as InverseTimeDecay
from ._serialization import MAX_DEPTH as MAX_DEPTH
from ._serialization import deserialize as deserialize
from ._serialization import from_dict as from_dict
from ._serialization import serialize as serialize
from ._sweep import as_arrays as as_arrays
from ._sweep import fixed as fixed
from ._sweep import grid as grid
from ._sweep import grid_points as grid_points
from ._validation import no_validation as no_validation

__version__ = "0.1.0"

__all__ = [
    "MAX_DEPTH",
    "Constant",
    "ExponentialDecay",
    "InverseTimeDecay",
    "Join",
    "Linear",
    "Schedule",
    "as_arrays",
    "batch_size",
    "deserialize",
    "fixed",
    "from_dict",
    "grid",
    "grid_points",
    "in_axes",
    "no_validation",
    "register",
    "registry",
    "serialize",
    "stack",
    "unstack",
]
