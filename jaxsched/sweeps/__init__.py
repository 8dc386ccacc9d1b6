"""Sweeps: many configurations of one schedule as one batched schedule.

- ``_grid``: cartesian grids (``grid``, ``grid_points``, ``fixed``, ``as_arrays``).
- ``_search``: random search (``sample``, ``sample_points``, the distributions).
- ``_devices``: the member axis on a device mesh (``shard``).

Where ``jax.vmap`` over the members pays: a schedule is a pytree, so one compiled
training function takes any member as an argument, and a sweep compiles once whether
it runs vmapped or as a loop calling that one program per member (against one compile
per member for optax closures: that is most of the measured speedup). On a CPU the loop
runs at 0.8x-1.7x the vmapped program's speed per member-step on a small MLP and at
2x-5x on a 1M-parameter one (XLA:CPU runs vmap's batched matrix products far slower
than single ones, and transposes the stacked weights for the backward pass). vmap
should pay on accelerators, where one small model leaves the device idle
(``benchmarks/gpu.py`` measures it; not yet run on a GPU), and where one program should
hold every member (``shard`` over devices). ``jax.lax.map(..., batch_size=B)`` runs
chunks of B members at a chunk's memory. ``benchmarks/README.md`` has the numbers.

Stacking itself (``stack``, ``unstack``, ``batch_size``) is part of the contract
(:mod:`jaxsched.core._batch`): serialization and key steps read stacked schedules.
Import the public names from :mod:`jaxsched`; these modules are private.
"""
