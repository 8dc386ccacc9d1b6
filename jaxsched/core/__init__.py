"""The contract every schedule keeps (the ground floor; imports nothing above it).

- ``_fields``: the field specifiers (``leaf``, ``static``, ``child``, ``children``).
- ``_schedule``: the ``Schedule`` base class (frozen dataclass pytree, validation on
  concrete values, equality, config, operators), the registry, and the *seam*: the
  table of abilities that modules above provide to the base class.
- ``_validation``: the one error formatter and the checks on concrete values.
- ``_math``: step casting, dtypes, exact integer floor division.
- ``_batch``: stacked schedules (``stack``, ``unstack``, ``batch_size``, labels).
- ``_serialization``: ``from_dict`` / ``serialize`` / ``deserialize``.
- ``_printing``: ``str(schedule)``.
- ``_key_steps``: ``key_steps()``'s driver and the helpers each class's method uses.

Import the public names from :mod:`jaxsched`; these modules are private.
"""
