"""Example instances of every registered schedule class, one module per family.

Each module ``tests/examples/<family>.py`` defines ``EXAMPLES`` (class -> instances)
(at least one valid instance per class, covering static options such as ``staircase``).
The contract tests run over all of them, and fail when a registered jaxsched class has
no example.
"""

import importlib
import pkgutil

import jaxsched


def _collect():
    examples = {}
    for module in pkgutil.iter_modules(__path__):
        found = importlib.import_module(f"{__name__}.{module.name}").EXAMPLES
        for cls, items in found.items():
            examples.setdefault(cls, []).extend(items)
    return examples


EXAMPLES = _collect()

ALL = [
    pytest_param
    for cls, items in sorted(EXAMPLES.items(), key=lambda kv: kv[0].__name__)
    for pytest_param in ((f"{cls.__name__}-{i}", item) for i, item in enumerate(items))
]


def registered_classes():
    """jaxsched's own registered classes (not test-local ones)."""
    return {
        name: cls
        for name, cls in jaxsched.registry().items()
        if cls.__module__.startswith("jaxsched.")
    }
