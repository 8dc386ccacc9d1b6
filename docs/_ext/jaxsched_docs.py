"""Sphinx extension: the pages generated from the package at build time.

- ``api/``: one page per public name (``jaxsched.__all__``, ``jaxsched.keras``, each
  ``jaxsched.frameworks`` module's and ``jaxsched.recipes``'s ``__all__``), from its
  docstring, and an index grouped by where the name lives.
- ``_generated/gallery_src/``: one sphinx-gallery script per registered schedule
  class (drawn from its first example instance in ``tests/examples``), per optax
  factory, framework mirror and recipe (drawn from the call in ``gallery_calls.py``).
  sphinx-gallery runs them: every curve is drawn by ``jaxsched.plot`` from the object
  itself, with its key steps marked, and with the peer's curve (optax, Keras) on the
  same axes where the peer has the same name.

Both are written when the configuration is read, before sphinx-gallery looks for
scripts, and are not kept in git (``.gitignore``).
"""

from __future__ import annotations

import dataclasses
import gc
import importlib
import inspect
import json
import pkgutil
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

import jaxsched

DOCS = Path(__file__).resolve().parents[1]
ROOT = Path(jaxsched.__file__).resolve().parents[1]  # the clone (tests/examples)
API = DOCS / "api"
GALLERY_SRC = DOCS / "_generated" / "gallery_src"


# --------------------------------------------------------------------- public names


def framework_modules() -> list[str]:
    import jaxsched.frameworks as frameworks

    return sorted(
        f"jaxsched.frameworks.{m.name}"
        for m in pkgutil.iter_modules(frameworks.__path__)
        if not m.name.startswith("_")
    )


def public_names() -> dict[str, list[str]]:
    """Module -> its public names (``__all__``), the package first."""
    modules = ["jaxsched", "jaxsched.keras", "jaxsched.recipes", *framework_modules()]
    out = {}
    for name in modules:
        module = importlib.import_module(name)
        names = list(getattr(module, "__all__", []))
        if names:
            out[name] = names
    return out


def _api_page(module: str, name: str) -> str:
    obj = getattr(importlib.import_module(module), name)
    if inspect.isclass(obj):
        directive = "autoclass"
    elif callable(obj):
        directive = "autofunction"
    else:
        directive = "autodata"
    title = f"{module}.{name}"
    return (
        f"# `{title}`\n\n```{{eval-rst}}\n.. {directive}:: {title}\n"
        + ("   :no-value:\n" if directive == "autodata" else "")
        + "```\n"
    )


def write_api() -> None:
    if API.exists():
        shutil.rmtree(API)
    API.mkdir()
    sections = []
    for module, names in public_names().items():
        pages = []
        for name in sorted(names, key=str.lower):
            page = f"{module}.{name}"
            (API / f"{page}.md").write_text(_api_page(module, name))
            pages.append(page)
        toctree = "\n".join(pages)
        sections.append(
            f"## `{module}`\n\n"
            + _module_summary(module)
            + f"```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n"
        )
    (API / "index.md").write_text(
        "# API reference\n\nOne page per public name, from its docstring (formula, "
        "arguments, errors, an example that runs in the test suite).\n\n"
        + "\n".join(sections)
    )


def _module_summary(module: str) -> str:
    doc = inspect.getdoc(importlib.import_module(module)) or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ")
    return f"{first}\n\n" if first else ""


# ---------------------------------------------------------------------- frameworks

FRAMEWORKS = DOCS / "frameworks"


def write_frameworks() -> None:
    """A page per framework (``docs/frameworks.md`` lists them): its module docstring
    (what maps to what, and the documented differences), its names with their API
    pages and gallery pages."""
    if FRAMEWORKS.exists():
        shutil.rmtree(FRAMEWORKS)
    FRAMEWORKS.mkdir()
    pages = []
    for module in framework_modules():
        short = module.rsplit(".", 1)[1]
        names = importlib.import_module(module).__all__
        rows = "\n".join(
            f"- [`{name}`](../api/{module}.{name}.md)" for name in sorted(names)
        )
        (FRAMEWORKS / f"{short}.md").write_text(
            f"# {short}\n\n```{{eval-rst}}\n.. automodule:: {module}\n"
            f"   :no-members:\n```\n\n## Names\n\n{rows}\n\n"
            f"Their curves: the [gallery](../gallery/frameworks/index).\n"
        )
        pages.append(short)


# ------------------------------------------------------------------------- gallery


def to_code(config: Any) -> str:
    """Python source that builds the schedule of a ``to_dict()`` config."""
    if isinstance(config, dict) and "class_name" in config:
        args = ", ".join(f"{k}={to_code(v)}" for k, v in config["config"].items())
        return f"jaxsched.{config['class_name']}({args})"
    if isinstance(config, list):
        return "[" + ", ".join(to_code(v) for v in config) + "]"
    return repr(config)


def _formula(obj: Any) -> str:
    """The docstring up to its ``Args:`` (the summary and the formula)."""
    doc = inspect.getdoc(obj) or ""
    head = doc.split("\nArgs:")[0].split("\nExample")[0].strip()
    return head


@dataclasses.dataclass(frozen=True)
class Page:
    """One gallery page: how it is titled, linked, built and drawn."""

    title: str
    link: str
    formula: str
    build: str  # Python source of the schedule drawn
    peer: str = ""  # source that draws the peer's curve on ``ax`` at ``drawn``
    module: str = ""  # a module to import for ``build``
    end: str = ""  # source of the last step drawn (default: from the key steps)


def _script(page: Page) -> str:
    formula = page.formula
    quoted = textwrap.indent(formula, "    ") if formula else "    (see the API page)"
    end = page.end or "max(schedule.key_steps() or [0]) * 1.25 + 10"
    lines = [
        '"""',
        page.title,
        "=" * len(page.title),
        "",
        page.link,
        "",
        "From its docstring:",
        "",
        ".. code-block:: text",
        "",
        quoted,
        "",
        "The curve is drawn by ``jaxsched.plot`` from the schedule below; dotted lines "
        "mark its key steps (``schedule.key_steps()``)."
        + (" The peer's curve is drawn on the same axes." if page.peer else ""),
        '"""',
        "",
        "import jaxsched",
        *([f"import {page.module}"] if page.module not in ("", "jaxsched") else []),
        "import matplotlib.pyplot as plt",
        "import numpy as np",
        "",
        f"schedule = {page.build}",
        f"end = np.clip({end}, 100, 2**31 - 1)",
        "drawn = np.linspace(0, end, 400).round().astype(np.int32)",
        "fig, ax = plt.subplots(figsize=(6.4, 3.2))",
        "fig.subplots_adjust(left=0.15, right=0.97, bottom=0.15, top=0.95)",
        "jaxsched.plot(schedule, drawn, ax=ax, labels=['jaxsched'], "
        "mark_key_steps=True)",
    ]
    if page.peer:
        lines += ["", "# the peer, on the same axes", page.peer, "ax.legend()"]
    lines += ["print(schedule)", "plt.show()", ""]
    return "\n".join(lines)


def _peer(label: str, build: str) -> str:
    """Source that draws a peer's schedule (``build``, from module ``label.lower()``)
    on the same axes, at the same steps, evaluated with ``jax.vmap``."""
    return (
        f"import jax\nimport {label.lower()}\n"
        f"peer = {build}\n"
        f"ax.plot(drawn, np.asarray(jax.vmap(peer)(drawn)), '--', label={label!r})"
    )


_KERAS_PEER = "keras.optimizers.schedules.deserialize(schedule.to_dict())"


def _examples() -> dict[type, list[Any]]:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from examples import EXAMPLES
    finally:
        sys.path.pop(0)
    return EXAMPLES


def gallery_entries() -> dict[str, dict[str, Page]]:
    """Group -> page name -> the page."""
    from gallery_calls import CALLS

    keras_names = set(importlib.import_module("jaxsched.schedules._keras").__all__)
    groups: dict[str, dict[str, Page]] = {}
    classes = groups.setdefault("classes", {})
    examples = _examples()
    for name, cls in sorted(jaxsched.registry().items()):
        if not cls.__module__.startswith("jaxsched.") or cls not in examples:
            continue  # (tests/test_docs.py fails for a class without a page)
        instance = examples[cls][0]
        classes[name] = Page(
            title=name,
            link=f":class:`jaxsched.{name}`",
            formula=_formula(cls),
            build=to_code(json.loads(json.dumps(instance.to_dict()))),
            peer=_peer("Keras", _KERAS_PEER) if name in keras_names else "",
        )
    for group, calls in CALLS.items():
        pages = groups.setdefault(group, {})
        for qualified, (arguments, peer_call, *attribute) in calls.items():
            module, _, name = qualified.rpartition(".")
            obj = getattr(importlib.import_module(module), name)
            role = "class" if inspect.isclass(obj) else "func"
            part = f".{attribute[0]}" if attribute else ""
            pages[qualified] = Page(
                title=qualified.removeprefix("jaxsched."),
                link=f":{role}:`{qualified}`",
                formula=_formula(obj),
                build=f"{qualified}({arguments}){part}",
                peer=_peer("optax", f"optax.{peer_call}") if peer_call else "",
                module=module,
            )
    recipes = importlib.import_module("jaxsched.recipes")
    pages = groups.setdefault("recipes", {})
    for name, recipe in recipes.registry().items():
        qualified = f"jaxsched.recipes.{name}"
        pages[qualified] = Page(
            title=f"recipes.{name}",
            link=f":func:`{qualified}` ({recipe.source})",
            formula=_formula(recipe.function),
            build=f"{qualified}()",
            module="jaxsched.recipes",
            end=f"jaxsched.recipes.build({name!r})[1]",
        )
    return groups


GROUP_TITLES = {
    "classes": "Schedule classes",
    "optax": "optax factories",
    "frameworks": "Framework mirrors",
    "recipes": "Published recipes",
}


def write_gallery() -> None:
    if GALLERY_SRC.exists():
        shutil.rmtree(GALLERY_SRC)
    GALLERY_SRC.mkdir(parents=True)
    (GALLERY_SRC / "GALLERY_HEADER.rst").write_text(
        "Gallery\n=======\n\nOne page per schedule class, optax factory, framework "
        "mirror and recipe: its curve drawn by ``jaxsched.plot`` when these pages "
        "were built, its key steps marked, and its formula.\n"
    )
    for group, pages in gallery_entries().items():
        folder = GALLERY_SRC / group
        folder.mkdir()
        title = GROUP_TITLES.get(group, group)
        (folder / "GALLERY_HEADER.rst").write_text(f"{title}\n{'-' * len(title)}\n")
        for name, page in pages.items():
            slug = name.replace(".", "_")
            (folder / f"plot_{slug}.py").write_text(_script(page))


def write_recipes_figure() -> None:
    """Every recipe side by side (``python -m jaxsched.recipes``), drawn now."""
    from jaxsched.recipes.__main__ import draw

    draw(str(DOCS / "_generated" / "recipes.png"))


def generate(app: Any = None, config: Any = None) -> None:
    write_api()
    write_frameworks()
    write_gallery()
    write_recipes_figure()
    # sphinx-gallery collects garbage before each script: with JAX and the package
    # loaded that walk took half a second a page. What exists now lives for the
    # whole build; frozen, the collector does not walk it again.
    gc.collect()
    gc.freeze()


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
