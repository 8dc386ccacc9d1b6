"""Other frameworks' schedules under their own names: one public module each.

``jaxsched.frameworks.<framework>`` offers that framework's schedule classes and
functions with its argument names and defaults, returning ordinary jaxsched
schedules (they jit, sweep, differentiate, print and serialize like every other).
No framework is ever imported.

The JAX trainers: ``big_vision`` (``create_learning_rate_schedule``), ``maxtext``
(``create_learning_rate_schedule(config)``), ``levanter``
(``OptimizerConfig(...).lr_scheduler(num_train_steps)``), ``praxis`` (every class of
``praxis/schedules.py``, as multipliers) and ``t5x``
(``create_learning_rate_scheduler``). The PyTorch and TensorFlow frameworks:
``composer``, ``deepspeed``, ``fairseq``, ``megatron``, ``nemo``, ``tf_models``,
``torch`` (and ``timm``). Each module's docstring maps the framework's names to
jaxsched expressions and lists where the framework differs from its own formula.
"""

from jaxsched.frameworks import big_vision as big_vision
from jaxsched.frameworks import composer as composer
from jaxsched.frameworks import deepspeed as deepspeed
from jaxsched.frameworks import fairseq as fairseq
from jaxsched.frameworks import levanter as levanter
from jaxsched.frameworks import maxtext as maxtext
from jaxsched.frameworks import megatron as megatron
from jaxsched.frameworks import nemo as nemo
from jaxsched.frameworks import praxis as praxis
from jaxsched.frameworks import t5x as t5x
from jaxsched.frameworks import tf_models as tf_models
from jaxsched.frameworks import timm as timm
from jaxsched.frameworks import torch as torch
