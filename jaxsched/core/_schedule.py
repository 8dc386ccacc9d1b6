"""The schedule contract: a frozen dataclass that is a JAX pytree and knows its config.

Every schedule subclasses :class:`Schedule`. Subclassing does the rest: the class
becomes a frozen dataclass, is registered as a pytree (numeric hyperparameters are
leaves, structure-changing options are static), and enters the registry that
:func:`jaxsched.from_dict` reads, under its class name.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar, cast, overload

import jax
import jax.core
import numpy as np

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
elif TYPE_CHECKING:  # one definition for type checkers (a fallback's signature
    # would make the decorated class unknown, and every class keyword an error)
    from typing_extensions import dataclass_transform
else:  # Python 3.10: the decorator only informs type checkers
    try:
        from typing_extensions import dataclass_transform
    except ImportError:

        def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
            return lambda cls: cls


from jaxsched.core import _validation
from jaxsched.core._fields import (
    Numeric,
    child,
    children,
    kind,
    leaf,
    static,
    type_name,
)
from jaxsched.core._validation import check_number, concrete, invalid

__all__ = [
    "Schedule",
    "provide",
    "register",
    "registry",
    "require_children",
]

_REGISTRY: dict[str, type[Schedule]] = {}

S = TypeVar("S", bound="type[Schedule]")


# ------------------------------------------------------------------------ the seam
#
# The base class defines what every schedule can do; four of those abilities are
# implemented by modules that build on this one (they import ``Schedule``), so they
# cannot be imported here without a circle. Each of those modules hands its part to
# the base class at import time with :func:`provide` (``import jaxsched`` imports
# them all):
#
# ====================  =====================================  ======================
# ability               provided by                            used by
# ====================  =====================================  ======================
# ``"operators"``       ``jaxsched.schedules._arithmetic``     ``s + t``, ``2 * s``...
# ``"text"``            ``jaxsched.core._printing``            ``str(schedule)``
# ``"from_config"``     ``jaxsched.core._serialization``       ``Cls.from_config``
# ``"key_steps"``       ``jaxsched.core._key_steps``           ``schedule.key_steps()``
# ====================  =====================================  ======================
#
# This is the only place where the contract reaches upward, and it does so by name.

_PROVIDED: dict[str, Any] = {}
_PROVIDERS = {
    "operators": "jaxsched.schedules._arithmetic",
    "text": "jaxsched.core._printing",
    "from_config": "jaxsched.core._serialization",
    "key_steps": "jaxsched.core._key_steps",
}


def provide(ability: str, implementation: Any) -> None:
    """Hand one of the base class's abilities (see the table above) to it."""
    if ability not in _PROVIDERS:
        raise ValueError(f"provide: unknown ability {ability!r}")
    _PROVIDED[ability] = implementation


def _provided(ability: str) -> Any:
    try:
        return _PROVIDED[ability]
    except KeyError:
        raise RuntimeError(
            f"jaxsched: {ability!r} is provided by {_PROVIDERS[ability]}, which has "
            "not been imported; import jaxsched"
        ) from None


_Operator: TypeAlias = Callable[["Schedule", "Schedule | Numeric"], "Schedule"]


def _operators(name: str) -> tuple[_Operator, _Operator]:
    """``self <op> other`` and the reflected ``other <op> self``, both built by the
    operator ``name`` that ``jaxsched.schedules._arithmetic`` provides."""

    def forward(self: Schedule, other: Schedule | Numeric) -> Schedule:
        return _provided("operators")[name](self, other)

    def reflected(self: Schedule, other: Schedule | Numeric) -> Schedule:
        return _provided("operators")[name](other, self)

    return forward, reflected


@dataclass_transform(
    frozen_default=True,
    field_specifiers=(dataclasses.field, leaf, static, child, children),
)
class Schedule:
    """Base class of every schedule: ``value = schedule(step)``.

    ``schedule(step)`` is an array shaped like ``step`` (an integer or float number
    or array, traced or not), of the dtype of the schedule's float hyperparameters
    (float32 by default; a combinator: the promoted dtype of its parts and
    numbers). Constructing one raises a TypeError for a hyperparameter that is not
    a number and a ValueError for one that is not finite (while validation is on,
    see :func:`jaxsched.no_validation`). Each class's docstring gives its formula,
    arguments, further errors and an example.

    Subclasses declare their hyperparameters as dataclass fields with :func:`leaf`
    (numbers: pytree leaves), :func:`static` (options, ``metadata={"static": True}``:
    pytree metadata), :func:`child` or :func:`children` (nested schedules), and
    implement ``__call__``. Subclassing makes the class a frozen dataclass, registers
    it as a pytree and enters it in the serialization registry under its class name
    (or ``registered_name=`` given as a class keyword).

    Validation runs in ``__post_init__``, on concrete values only: a schedule built
    inside ``jit`` from traced values is accepted as it is. Trees that JAX rebuilds
    (tracers, axis specs, gradients) do not go through ``__init__`` at all.
    Subclasses add cross-field checks in ``_check(self)``.
    """

    registered_name: ClassVar[str] = ""

    def __init_subclass__(
        cls,
        *,
        registered_name: str | None = None,
        abstract: bool = False,
        **kwargs: Any,
    ):
        super().__init_subclass__(**kwargs)
        if "__call__" in cls.__dict__:
            cls.__call__ = _sweep_aware(cls.__dict__["__call__"])
        if "key_steps" in cls.__dict__:
            cls.key_steps = _whole_key_steps(cls.__dict__["key_steps"])
        if abstract:  # a shared base (fields, __call__): neither a pytree nor saved
            dataclasses.dataclass(frozen=True, eq=False)(cls)
            return
        name = registered_name or cls.__name__
        _check_name_free(cls, name)
        dataclasses.dataclass(frozen=True, eq=False)(cls)
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        data = [f.name for f in fields if not f.metadata.get("static", False)]
        meta = [f.name for f in fields if f.metadata.get("static", False)]
        _register_pytree(cls, data, meta)
        _enter(cls, name)

    # ---------------------------------------------------------------- validation

    def __post_init__(self) -> None:
        if not _validation.validation_enabled():
            return
        owner = type(self).__name__
        for field in dataclasses.fields(cast(Any, self)):
            value = getattr(self, field.name)
            field_kind = kind(field)
            if field_kind == "leaf":
                self._check_leaf(owner, field, value)
            elif field_kind == "static":
                _check_static(owner, field, value)
            elif field_kind == "schedule":
                _check_child(owner, field.name, value)
            elif field_kind == "schedules":
                self._check_children(owner, field.name, value)
        self._check()

    def _check_leaf(self, owner: str, field: dataclasses.Field, value: Any) -> None:
        if isinstance(value, (list, tuple)):
            array = concrete(value)
            if array is None:
                if _holds_non_number(value):
                    raise invalid(
                        owner, field.name, value, "a sequence of numbers", TypeError
                    )
                return
            if array.dtype.kind in "iuf":  # store sequences of numbers as one leaf
                object.__setattr__(self, field.name, array)
        else:
            array = concrete(value)
            if array is None:
                if isinstance(value, (str, bytes, dict)) or callable(value):
                    raise invalid(owner, field.name, value, "a number", TypeError)
                return
        check_number(owner, field.name, value, array)
        extra = field.metadata.get("check")
        if extra is not None:
            extra(owner, field.name, value, array)

    def _check_children(self, owner: str, name: str, value: Any) -> None:
        if isinstance(value, list):
            value = tuple(value)
            object.__setattr__(self, name, value)
        if not isinstance(value, tuple):
            if value is None or isinstance(value, jax.core.Tracer):
                return
            raise invalid(owner, name, value, "a sequence of schedules", TypeError)
        for index, item in enumerate(value):
            _check_child(owner, f"{name}[{index}]", item)

    # NumPy must hand ``np.float32(2) * schedule`` to the schedule, not broadcast it.
    __array_ufunc__ = None

    def __eq__(self, other: object) -> bool:
        """Same class, same static options, same numbers (arrays compare by value)."""
        if type(other) is not type(self):
            return NotImplemented
        return _identity(self) == _identity(other)

    def __hash__(self) -> int:
        """Consistent with ``==``, so ``jax.jit(schedule)`` works with array leaves."""
        return hash(_identity(self))

    def _check(self) -> None:
        """Cross-field checks of a subclass; use :meth:`_concrete` to read fields."""

    def _concrete(self, name: str) -> np.ndarray | None:
        """A field's concrete value as a NumPy array, or None for placeholders."""
        return concrete(getattr(self, name))

    def _invalid(self, name: str, expected: str, detail: str = "") -> Exception:
        """The ValueError of :func:`invalid` for this class and its field ``name``."""
        return invalid(
            type(self).__name__, name, getattr(self, name), expected, detail=detail
        )

    # ---------------------------------------------------------------- evaluation

    def __call__(self, step: Any) -> jax.Array:
        """The schedule's value at ``step`` (any shape, integer or float dtype): an
        array shaped like ``step``, of the dtype of the float hyperparameters
        (float32 by default)."""
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def key_steps(self) -> Any:
        """The steps where the schedule's phases begin and end, sorted.

        Computed in Python from the concrete hyperparameters: the ends of warmups,
        decays and ramps, stair and milestone steps, boundaries, restarts. Periodic
        schedules (stairs, cycles, restarts, :class:`Repeat`) list their first 3
        cycles only. Composites give their parts' key steps where the parts act:
        :class:`Join` its boundaries and each part's steps shifted to its boundary
        (inside its interval), :class:`Warmup` 0, the warmup's end and the inner
        steps shifted by it, :class:`Shift` the inner steps moved, :class:`Repeat`
        the inner steps of the first cycles, arithmetic (``s1 + s2``, ``min``,
        ``Clip``, ...) the union of its children (where ``Minimum``/``Maximum``
        cross is not listed). A stacked schedule (leaves with a leading member axis,
        from :func:`jaxsched.stack`) gives the union over its members.

        Whole numbers are Python ints, others Python floats (e.g. ``OneCycleLR``'s
        ``pct_start * total_steps - 1``); steps that the schedule does not reach
        (infinite) are left out. A custom schedule without its own ``key_steps``
        gives the union of its child schedules' key steps (``()`` without children).

        Each class defines ``key_steps(self)`` next to its ``__call__``, returning the
        steps of one (unstacked) member in any order (an iterable of numbers); the
        base class wraps it (as every class in jaxsched does, and so does a class of
        yours): tracer check, the union over a stacked schedule's members, sorting,
        infinite steps left out, whole numbers as ints.

        Returns:
          A sorted tuple of distinct Python ints/floats.

        Raises:
          TypeError: a hyperparameter is a tracer (inside ``jit``/``vmap``/``grad``).

        Example:
          >>> import jaxsched
          >>> jaxsched.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100).key_steps()
          (0, 10, 100)
        """
        return _provided("key_steps")(self, _children_steps)

    # ------------------------------------------------------------- serialization

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments as JSON-ready data (Keras's ``get_config``)."""
        return {
            field.name: _config_value(self, field)
            for field in dataclasses.fields(cast(Any, self))
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Schedule:
        """Rebuild from :meth:`get_config` output (Keras's ``from_config``)."""
        return _provided("from_config")(cls, config)

    def to_dict(self) -> dict[str, Any]:
        """``{"module": "jaxsched", "class_name": ..., "config": {...}}``, JSON-ready.

        Keras's ``keras.optimizers.schedules.deserialize`` reads this for the classes
        that Keras also has; :func:`jaxsched.from_dict` reads it back. A sweep made
        by :func:`jaxsched.grid` or :func:`jaxsched.sample` also writes ``"swept"``:
        each member's swept arguments (``[{"peak_value": 0.001, ...}, ...]``), which
        label its curves and rows once read back.
        """
        name = type(self).registered_name
        if _REGISTRY.get(name) is not type(self):
            raise TypeError(
                f"{type(self).__name__} cannot be serialized: the registry name "
                f"{name!r} now belongs to another class"
            )
        data = {"module": "jaxsched", "class_name": name, "config": self.get_config()}
        points = self.__dict__.get("_points")  # a grid's or sample's swept values
        if points is not None:
            data["swept"] = [dict(point) for point in points]
        return data

    def __str__(self) -> str:
        """A readable tree (``repr`` is the complete dataclass form)."""
        return _provided("text")(self)

    # ----------------------------------------------------------------- algebra

    # s + 1, 2 * s, s - t, s / 2: the classes of _arithmetic (Sum, Offset, Scale, ...).
    __add__, __radd__ = _operators("add")
    __sub__, __rsub__ = _operators("subtract")
    __mul__, __rmul__ = _operators("multiply")
    __truediv__ = _operators("divide")[0]

    def __neg__(self) -> Schedule:
        return _provided("operators")["multiply"](-1.0, self)


def _identity(schedule: Schedule) -> tuple[Any, ...]:
    """What ``==`` compares: the treedef (static fields included) and leaf values.

    Numbers compare by value whatever their dtype (``1000 == jnp.int32(1000)``, a
    float32 leaf equals the float64 it was serialized as), except that bfloat16 and
    float16 leaves (which make the output half precision) differ from wider ones;
    tracers by identity.
    """
    leaves, treedef = jax.tree.flatten(schedule)
    key = []
    for x in leaves:
        a = concrete(x)
        if a is None or (a.dtype.kind not in "biuf" and a.dtype.name != "bfloat16"):
            key.append(("id", id(x)))
        else:
            # A half-precision leaf makes a half-precision schedule: not equal
            # (nor one jit cache entry) to the float32 one of the same value.
            floating = np.issubdtype(a.dtype, np.floating) or a.dtype.name == "bfloat16"
            narrow = floating and a.dtype.itemsize < 4
            key.append((a.shape, a.astype(np.float64).tobytes(), narrow and a.dtype))
    return treedef, tuple(key)


def _register_pytree(cls: type, data: list[str], meta: list[str]) -> None:
    """Register ``cls`` as a pytree: ``data`` fields are children, ``meta`` is static.

    This is what ``jax.tree_util.register_dataclass(cls, data, meta)`` does, except
    that unflattening does not call ``__init__`` (as in equinox): the trees JAX
    rebuilds (tracers, vmap axis specs, ``tree_map`` results, and *gradients*, whose
    leaves are cotangents such as a negative ``d loss / d decay_steps``) are not
    hyperparameters and must not be validated.
    """
    keys = [jax.tree_util.GetAttrKey(name) for name in data]

    def flatten_with_keys(obj: Any) -> tuple[list[tuple[Any, Any]], tuple[Any, ...]]:
        children = [(key, getattr(obj, key.name)) for key in keys]
        return children, tuple(getattr(obj, name) for name in meta)

    def flatten(obj: Any) -> tuple[list[Any], tuple[Any, ...]]:
        children = [getattr(obj, name) for name in data]
        return children, tuple(getattr(obj, name) for name in meta)

    def unflatten(aux: tuple[Any, ...], children: Any) -> Any:
        obj = object.__new__(cls)
        for name, value in zip(data, children):
            object.__setattr__(obj, name, value)
        for name, value in zip(meta, aux):
            object.__setattr__(obj, name, value)
        return obj

    jax.tree_util.register_pytree_with_keys(cls, flatten_with_keys, unflatten, flatten)


def _holds_non_number(value: Any) -> bool:
    """Whether a (nested) list or tuple holds a string, dict or callable."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, (str, bytes, dict)) or callable(item):
            return True
    return False


def _check_static(owner: str, field: dataclasses.Field, value: Any) -> None:
    expected = field.metadata.get("type", object)
    if expected is not object:
        wrong = not isinstance(value, expected)
        if expected is not bool and isinstance(value, bool):
            wrong = not (isinstance(expected, tuple) and bool in expected)
        if expected in (int, float) and isinstance(value, np.integer):
            wrong = False
        if wrong:
            raise invalid(
                owner, field.name, value, f"a {type_name(expected)}", TypeError
            )
    choices = field.metadata.get("choices")
    if choices is not None and value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise invalid(owner, field.name, value, f"one of {options}")


def _sweep_aware(call: Callable[[Any, Any], jax.Array]) -> Any:
    """``__call__`` that gives every member's value when called on a stacked sweep.

    ``jaxsched.stack`` (and ``grid``, ``sample``) mark the sweep they return with its
    number of members; calling it gives shape ``(members,) + step.shape`` for every
    class, through ``jax.vmap`` over the members. The mark is not part of the pytree:
    a sweep rebuilt by JAX (passed into ``jit``, ``tree_map``) is called as one
    schedule, so there map over the members yourself with ``jax.vmap``.
    """

    members_call = jax.jit(jax.vmap(call, in_axes=(0, None)))

    @functools.wraps(call)
    def __call__(self: Any, step: Any) -> jax.Array:
        if self.__dict__.get("_members") is None:
            return call(self, step)
        return members_call(self, step)

    return __call__


def _children_steps(schedule: Schedule) -> list[float]:
    """The key steps of a class without its own: the union of its children's."""
    out: list[float] = []
    for field in dataclasses.fields(cast(Any, schedule)):
        value = getattr(schedule, field.name)
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            out += member_key_steps(item)
    return out


def member_key_steps(schedule: Any) -> list[float]:
    """One member's key steps as a class's own method gives them (unsorted): what a
    composite gathers from its parts. A number (in an arithmetic node) has none."""
    if not isinstance(schedule, Schedule):
        return []
    own = getattr(type(schedule).key_steps, "member_steps", _children_steps)
    return [float(x) for x in own(schedule)]


def _whole_key_steps(member_steps: Callable[[Any], Any]) -> Any:
    """A class's ``key_steps`` (one member, any order) made whole: see
    :meth:`Schedule.key_steps` (the driver is the ``"key_steps"`` ability)."""

    @functools.wraps(member_steps)
    def key_steps(self: Any) -> tuple[int | float, ...]:
        return _provided("key_steps")(self, member_steps)

    key_steps.member_steps = member_steps  # type: ignore[attr-defined]
    if member_steps.__doc__ is None:  # one docstring for every class's method
        key_steps.__doc__ = Schedule.key_steps.__doc__
    return key_steps


def require_children(self: Schedule) -> None:
    """The ``_check`` of the combinators: every nested schedule is present.

    The core accepts ``None`` for a nested schedule (a placeholder); a combinator
    built for use needs all of them, so ``None`` is refused there.
    """
    for field in dataclasses.fields(cast(Any, self)):
        if kind(field) == "schedule" and getattr(self, field.name) is None:
            raise invalid(
                type(self).__name__,
                field.name,
                None,
                "a jaxsched Schedule",
                TypeError,
            )


def _check_child(owner: str, name: str, value: Any) -> None:
    if isinstance(value, Schedule) or value is None:
        return
    if isinstance(value, jax.core.Tracer):
        return
    hint = ""
    if callable(value):
        hint = "wrap a plain function in jaxsched.Lambda (it cannot be serialized)"
    raise invalid(owner, name, value, "a jaxsched Schedule", TypeError, detail=hint)


def _config_value(schedule: Schedule, field: dataclasses.Field) -> Any:
    value = getattr(schedule, field.name)
    field_kind = kind(field)
    if field_kind == "static":
        return value
    if field_kind == "schedule":
        return value.to_dict()
    if field_kind == "schedules":
        return [item.to_dict() for item in value]
    if value is None and field.metadata.get("optional", False):
        return None
    return _json_number(type(schedule).__name__, field.name, value)


def _json_number(owner: str, name: str, value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    array = concrete(value)
    if array is None:
        raise TypeError(
            f"{owner}: field `{name}` holds {type(value).__name__}, not a concrete "
            "number; a traced or placeholder schedule cannot be serialized"
        )
    if array.dtype.kind == "f" or array.dtype.name == "bfloat16":
        array = array.astype(np.float64)
    return array.tolist()


def _enter(cls: type[Schedule], name: str) -> None:
    _check_name_free(cls, name)
    cls.registered_name = name
    _REGISTRY[name] = cls


def _check_name_free(cls: type, name: str) -> None:
    existing = _REGISTRY.get(name)
    if existing is not None and (existing.__module__, existing.__qualname__) != (
        cls.__module__,
        cls.__qualname__,
    ):
        raise TypeError(
            f"schedule name {name!r} is already registered by "
            f"{existing.__module__}.{existing.__qualname__}; give "
            f"{cls.__module__}.{cls.__qualname__} another name with "
            f"`class {cls.__name__}(Schedule, registered_name='...')` or "
            "`@jaxsched.register('...')`"
        )


@overload
def register(name_or_cls: S) -> S: ...
@overload
def register(name_or_cls: str) -> Callable[[S], S]: ...
def register(name_or_cls: Any) -> Any:
    """Register a user-defined schedule for serialization, optionally under a name.

    Subclassing :class:`Schedule` already registers a class under its class name;
    ``@register("myproject.Warmup")`` moves it to another name (to avoid a clash, or to
    keep configs stable across a rename). ``@register`` with no name is accepted too.
    """
    if isinstance(name_or_cls, str):
        name = name_or_cls
        if not name or name.startswith("_"):
            raise ValueError(f"register: a name must not be empty or private: {name!r}")

        def decorate(cls: S) -> S:
            _require_schedule_class(cls)
            if _REGISTRY.get(cls.registered_name) is cls:
                del _REGISTRY[cls.registered_name]
            _enter(cls, name)
            return cls

        return decorate
    _require_schedule_class(name_or_cls)
    return name_or_cls


def _require_schedule_class(cls: Any) -> None:
    if not (
        isinstance(cls, type) and issubclass(cls, Schedule) and cls is not Schedule
    ):
        raise TypeError(
            f"register: expected a subclass of jaxsched.Schedule. Received: {cls!r}"
        )


def registry() -> dict[str, type[Schedule]]:
    """A copy of the registry: serialized name -> schedule class."""
    return dict(_REGISTRY)
