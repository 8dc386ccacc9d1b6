"""The documentation site: it builds with warnings as errors, every public name has an
API page, every schedule has a gallery page with its plot, and every code cell of the
guides runs.

The build is the README's docs command (``sphinx-build -W -b html docs ...``) with one
difference: the guides' code cells are not executed by myst-nb in a Jupyter kernel per
page (a kernel and its imports are most of a page's cost) but by
``test_guide_cells_run`` below, in this process, in the same order and namespace. The
gallery's scripts are executed by the build itself (sphinx-gallery), so every image
checked here was drawn by ``jaxsched.plot`` during this test.
"""

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("myst_nb")
pytest.importorskip("sphinx_gallery")

from helpers import check_printed, instrument

import jaxsched
import jaxsched.recipes

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
import jaxsched_docs  # noqa: E402
from gallery_calls import CALLS, NOT_DRAWN  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built from a fresh copy of docs/ (no gallery, API pages or images
    left from an earlier build: everything checked here is made by this build)."""
    work = tmp_path_factory.mktemp("site")
    source, out = work / "docs", work / "html"
    generated = ("_build", "gallery", "_generated", "api", "frameworks")
    shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns(*generated))
    shutil.copy(ROOT / "README.md", work / "README.md")  # included by a page
    env = dict(os.environ, JAXSCHED_DOCS_EXECUTE="off", JAX_PLATFORMS="cpu")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            str(source),
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-8000:]
    return out


def test_every_public_name_has_an_api_page(site):
    names = jaxsched_docs.public_names()
    assert len(names["jaxsched"]) == len(jaxsched.__all__)
    missing = [
        f"{module}.{name}"
        for module, public in names.items()
        for name in public
        if not (site / "api" / f"{module}.{name}.html").exists()
    ]
    assert not missing, missing


def _gallery_page(site: Path, group: str, page: str) -> Path:
    return site / "gallery" / group / f"plot_{page.replace('.', '_')}.html"


def _assert_drawn(site: Path, group: str, pages: list[str]) -> None:
    missing, undrawn = [], []
    for page in pages:
        html = _gallery_page(site, group, page)
        if not html.exists():
            missing.append(page)
            continue
        images = re.findall(r'<img[^>]+src="([^"]+\.png)"', html.read_text())
        drawn = [i for i in images if "sphx_glr_plot_" in i]
        if not drawn or not all((html.parent / i).exists() for i in drawn):
            undrawn.append(page)
    assert not missing and not undrawn, (missing, undrawn)


def test_every_registered_class_has_a_gallery_page_with_its_plot(site):
    classes = [
        name
        for name, cls in jaxsched.registry().items()
        if cls.__module__.startswith("jaxsched.")
    ]
    _assert_drawn(site, "classes", classes)


def test_every_factory_mirror_and_recipe_has_a_gallery_page_with_its_plot(site):
    import jaxsched.schedules._optax as optax_factories

    factories = [f"jaxsched.{n}" for n in optax_factories.__all__]
    assert sorted(CALLS["optax"]) == sorted(factories)
    _assert_drawn(site, "optax", factories)
    recipes = [f"jaxsched.recipes.{name}" for name in jaxsched.recipes.registry()]
    _assert_drawn(site, "recipes", recipes)
    mirrors = [
        f"{module}.{name}"
        for module in jaxsched_docs.framework_modules()
        for name in importlib.import_module(module).__all__
    ]
    drawn = {*CALLS["frameworks"], *recipes}
    public = mirrors + [f"jaxsched.recipes.{n}" for n in jaxsched.recipes.__all__]
    unlisted = [p for p in public if p not in drawn and p not in NOT_DRAWN]
    assert not unlisted, f"no gallery call in docs/_ext/gallery_calls.py: {unlisted}"
    _assert_drawn(site, "frameworks", [p for p in mirrors if p in drawn])


# ------------------------------------------------------------ the guides' code cells

PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)
# Executed cells ({code-cell}) and the plain Python blocks of every page (the front
# page's example, the migration pages' side-by-side code, the recipes page).
CELL = re.compile(r"^```(?:\{code-cell\}[^\n]*|python)\n(.*?)^```", re.S | re.M)
EXECUTED = [p for p in PAGES if CELL.search(p.read_text())]


def _strip_cell_options(cell: str) -> str:
    lines = cell.split("\n")
    while lines and lines[0].startswith(":"):
        lines.pop(0)
    return "\n".join(lines)


def test_the_guides_have_cells():
    assert len(EXECUTED) >= 12


@pytest.mark.parametrize("page", EXECUTED, ids=lambda p: str(p.relative_to(DOCS)))
def test_guide_cells_run(page, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # cells that write files write them here
    namespace = {"check_printed": check_printed, "__name__": "__main__"}
    for index, cell in enumerate(CELL.findall(page.read_text())):
        source = instrument(_strip_cell_options(cell))
        exec(compile(source, f"{page.name} cell {index}", "exec"), namespace)
    capsys.readouterr()
    import matplotlib.pyplot as plt

    plt.close("all")
