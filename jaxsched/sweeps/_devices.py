"""Sweeps across devices: the member axis of a stacked schedule on a mesh axis."""

from __future__ import annotations

from typing import Any, TypeVar

import jax
import jax.core
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from jaxsched.core._validation import no_validation

__all__ = ["shard"]

T = TypeVar("T")


def shard(sweep: T, mesh: Mesh, axis: str | None = None) -> T:
    """Places the member axis (the leading axis) of every leaf on a mesh axis.

    With ``K`` members on a mesh axis of ``D`` devices, each device holds ``K / D``
    members; ``jax.jit(jax.vmap(train))(shard(sweep, mesh))`` then trains every device's
    members on that device, and the results come back sharded the same way. Works for
    a stacked schedule (:func:`jaxsched.grid`, :func:`jaxsched.sample`,
    :func:`jaxsched.stack`) and for any pytree whose leaves share a leading member
    axis (per-member parameters, a train state). With several processes
    (``jax.distributed``), every process passes the same whole ``sweep`` and keeps the
    members of its own devices.

    Inside ``jax.jit`` (traced leaves) it adds a sharding constraint instead.

    Args:
      sweep: a pytree whose every leaf has the member axis first.
      mesh: a ``jax.sharding.Mesh``.
      axis: the mesh axis name to put members on; default: the mesh's first axis.
        Other mesh axes hold copies (replicated).

    Returns:
      The same pytree with every leaf a ``jax.Array`` sharded as
      ``NamedSharding(mesh, PartitionSpec(axis))``.

    Raises:
      ValueError: ``axis`` is not an axis of ``mesh``; a leaf without a leading axis;
        leaves of different leading sizes; or a member count not divisible by the
        number of devices on ``axis``.
      TypeError: ``mesh`` is not a Mesh.

    Example:
      >>> import jax, numpy as np, jaxsched
      >>> from jax.sharding import Mesh
      >>> mesh = Mesh(np.array(jax.devices()), ("members",))
      >>> sweep = jaxsched.grid(jaxsched.Constant, value=[0.1, 0.2] * len(mesh.devices))
      >>> placed = jaxsched.shard(sweep, mesh)
      >>> placed.value.sharding.spec == jax.sharding.PartitionSpec("members")
      True
      >>> placed.value.shape == (2 * len(mesh.devices),)
      True
    """
    if not isinstance(mesh, Mesh):
        raise TypeError(
            "shard: `mesh` must be a jax.sharding.Mesh. "
            f"Received: {type(mesh).__name__}"
        )
    names = tuple(mesh.axis_names)
    if axis is None:
        axis = names[0]
    if axis not in names:
        raise ValueError(
            f"shard: `axis` must be one of the mesh's axes {names}. Received: {axis!r}"
        )
    leaves = jax.tree.leaves(sweep)
    if not leaves:
        raise ValueError("shard: `sweep` has no leaves (nothing to place)")
    sizes = {int(np.shape(x)[0]) if np.ndim(x) else -1 for x in leaves}
    if -1 in sizes or len(sizes) != 1:
        shapes = [np.shape(x) for x in leaves]
        raise ValueError(
            "shard: expected every leaf to have the same leading (member) axis, "
            f"e.g. a stacked schedule. Received leaves of shapes {shapes}"
        )
    members = sizes.pop()
    devices = int(mesh.shape[axis])
    if members % devices:
        raise ValueError(
            f"shard: {members} members cannot be split evenly over the {devices} "
            f"devices of mesh axis {axis!r}; use a multiple of {devices} members "
            f"(e.g. {-(-members // devices) * devices})"
        )
    sharding = NamedSharding(mesh, PartitionSpec(axis))

    def place(leaf: Any) -> Any:
        if isinstance(leaf, jax.core.Tracer):
            return jax.lax.with_sharding_constraint(leaf, sharding)
        if isinstance(leaf, jax.Array) and not leaf.is_fully_addressable:
            return jax.device_put(leaf, sharding)  # already global: reshard
        array = np.asarray(leaf)
        array = array.astype(jax.dtypes.canonicalize_dtype(array.dtype), copy=False)
        return jax.make_array_from_callback(
            array.shape, sharding, lambda index: array[index]
        )

    with no_validation():
        return jax.tree.map(place, sweep)
