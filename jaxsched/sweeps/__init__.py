"""Sweeps: many configurations of one schedule as one batched schedule.

- ``_grid``: cartesian grids (``grid``, ``grid_points``, ``fixed``, ``as_arrays``).
- ``_search``: random search (``sample``, ``sample_points``, the distributions).
- ``_devices``: the member axis on a device mesh (``shard``).

Stacking itself (``stack``, ``unstack``, ``batch_size``) is part of the contract
(:mod:`jaxsched.core._batch`): serialization and key steps read stacked schedules.
Import the public names from :mod:`jaxsched`; these modules are private.
"""
