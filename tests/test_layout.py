"""The package's floors: no module imports a module above its own floor.

``core`` (the contract) is the ground; the catalogue (``schedules``) stands on it;
sweeps, the framework mirrors and the Keras bridge on the catalogue; recipes on the
mirrors; the tools (command line, plots, demo) on everything. The one way the
contract reaches upward is the seam of ``jaxsched.core._schedule`` (``provide``),
which names the modules by string and imports none of them.
"""

import ast
import sys
from pathlib import Path

import pytest

import jaxsched

PACKAGE = Path(jaxsched.__file__).parent
FLOORS = {
    "core": 0,
    "schedules": 1,
    "sweeps": 2,
    "frameworks": 2,
    "keras": 2,
    "recipes": 3,
    "tools": 4,
}


def _floor(module: str) -> int:
    """The floor of ``jaxsched.<part>...`` (the package itself is the roof)."""
    parts = module.split(".")
    return FLOORS.get(parts[1], 5) if len(parts) > 1 else 5


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path.name}: relative import {node.module}")
            if node.module == "jaxsched":  # from jaxsched import x: x is a module?
                found += [f"jaxsched.{alias.name}" for alias in node.names]
            elif node.module.startswith("jaxsched."):
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("jaxsched.")]
    return found


MODULES = sorted(
    p for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")
)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_one_above_its_floor(path):
    name = "jaxsched." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    above = [m for m in _imports(path) if _floor(m) > _floor(name)]
    # ``from jaxsched import __version__`` reads the package's version, no module
    above = [m for m in above if m != "jaxsched.__version__"]
    assert not above, f"{name} (floor {_floor(name)}) imports {above}"


def test_every_folder_says_what_it_holds():
    for folder in [p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()]:
        text = (folder / "__init__.py").read_text()
        assert text.lstrip().startswith('"""'), f"{folder.name}/__init__.py"
    for path in MODULES:
        assert ast.get_docstring(ast.parse(path.read_text())), path


def test_the_contract_reaches_upward_only_through_the_seam():
    from jaxsched.core import _schedule

    assert set(_schedule._PROVIDED) == set(_schedule._PROVIDERS)
    for ability, module in _schedule._PROVIDERS.items():
        assert module in sys.modules, (ability, module)
