"""The catalogue, by family (every class a registered, serializable pytree).

- ``_primitives``: the shapes behind optax's factories (Constant, Linear,
  Polynomial, Exponential, Cosine, PiecewiseConstant, PiecewiseInterpolate).
- ``_join``: ``Join`` (schedules one after another) and its step alignment.
- ``_keras``: the Keras-named classes; ``_optax``: optax-named factories.
- ``_torch``: PyTorch's ``lr_scheduler`` closed forms; ``_phases``: the phase
  arithmetic the PyTorch and Hugging Face families share.
- ``_transformers``: Hugging Face and T5; ``_hf_names``: ``get_scheduler`` by name.
- ``_combinators``: Warmup, Shift, Repeat, Lambda; ``_arithmetic``: ``s + t``,
  ``0.5 * s``, Minimum, Maximum, Clip; ``_epochs``: PerEpoch.

Import the public names from :mod:`jaxsched`; these modules are private.
"""
