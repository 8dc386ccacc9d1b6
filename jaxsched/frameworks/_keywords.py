"""Keyword blocks that several functions of one framework module share.

A framework's functions often repeat one block of keywords (timm's warmup and
noise, Composer's trainer state, NeMo's hold policy). Here such a block is one
``TypedDict``, taken as ``**options: Unpack[Block]``: a type checker reads the
names and types from it (a misspelt keyword is flagged), and :func:`checked`
refuses at run time what the ``TypedDict`` does not name, with Python's own
``TypeError`` wording and the public function's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def checked(owner: str, block: Any, given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` as a dict, once every key is one of ``block``'s (a ``TypedDict``)
    and its required keys are all there; else a ``TypeError`` naming ``owner``."""
    required = block.__required_keys__
    for name in given:
        if name not in required and name not in block.__optional_keys__:
            raise TypeError(f"{owner}() got an unexpected keyword argument {name!r}")
    missing = sorted(set(required) - set(given))
    if missing:
        names = ", ".join(repr(name) for name in missing)
        raise TypeError(f"{owner}() missing required keyword argument(s): {names}")
    return dict(given)
