"""Sphinx configuration of jaxsched's documentation site.

Built offline, warnings as errors (``sphinx-build -W``): ``pip install ".[docs]"``,
then ``sphinx-build -W -b html docs docs/_build/html``. The API pages and the
gallery's scripts are generated from the package at build time by
``docs/_ext/jaxsched_docs.py``; the guides are executed by myst-nb; the gallery's
scripts are run by sphinx-gallery, and each draws its schedule with ``jaxsched.plot``.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))
os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("MPLBACKEND", "Agg")

import jax  # noqa: E402

import jaxsched  # noqa: E402

# The gallery's scripts run in this process, one after another, each drawing a
# different schedule at the same 400 steps: op by op, every primitive is compiled
# once for the whole gallery (at that shape) instead of one program per schedule.
# The values are the same; the build takes a fraction of the time.
jax.config.update("jax_disable_jit", True)

project = "jaxsched"
author = "the jaxsched developers"
copyright = "2026, the jaxsched developers"  # noqa: A001
release = version = jaxsched.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinx_gallery.gen_gallery",
    "jaxsched_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
# sphinx-gallery also writes a notebook beside each page: not a source here.
exclude_patterns = ["_build", "_generated", "gallery/**.ipynb", "**.ipynb_checkpoints"]
root_doc = "index"

# The look of the JAX libraries (optax, flax, chex): the book theme.
html_theme = "sphinx_book_theme"
html_title = "jaxsched"
html_theme_options = {
    "show_toc_level": 2,
    # The sidebar is the site's toctree, rendered on every page: with a page per
    # public name and per schedule, two levels (collapsed) keep it readable and the
    # build quick (resolving the whole tree on each of 350 pages was half the build).
    "max_navbar_depth": 2,
    "collapse_navbar": True,
    "navigation_with_keys": False,
    "use_download_button": False,
    "use_fullscreen_button": False,
}
html_static_path = ["_static"]
html_css_files = ["custom.css"]

# No external resources: no MathJax (formulas are written as plain text, as in the
# docstrings, which the API pages show).

# API pages: Google-style docstrings, signatures as written, members in source order.
napoleon_google_docstring = True
napoleon_numpy_docstring = False
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": False}
add_module_names = False

# The one-name API pages and the gallery's pages (two thirds of the site) show the
# page and its own table of contents, not the site's navigation: rendering the whole
# navigation into each of them was most of the build's time. Their index pages, and
# every other page, have it.
html_sidebars = {"api/jaxsched*": [], "gallery/*/plot_*": []}

# Executed pages: every code cell of the guides runs at build time in a kernel of
# this interpreter; an error fails the build.
myst_enable_extensions = ["colon_fence"]
# The test suite builds with JAXSCHED_DOCS_EXECUTE=off and runs the same cells in its
# own process (tests/test_docs.py): a kernel per page is most of a page's cost.
nb_execution_mode = os.environ.get("JAXSCHED_DOCS_EXECUTE", "force")
nb_execution_raise_on_error = True
nb_execution_timeout = 120
nb_kernel_rgx_aliases = {".*": "python3"}
nb_merge_streams = True

sphinx_gallery_conf = {
    "examples_dirs": ["_generated/gallery_src"],
    "gallery_dirs": ["gallery"],
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "notebook_extensions": set(),  # no notebook per gallery page: the script is it
    "remove_config_comments": True,
    "plot_gallery": "True",
    "show_signature": False,
    "show_memory": False,
    "min_reported_time": 10**9,  # timings differ from run to run: not shown
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "reset_modules": ("matplotlib",),
    "within_subsection_order": "FileNameSortKey",
    "write_computation_times": False,
}
suppress_warnings = ["config.cache"]
# Gallery images: small PNGs, quick to write and to load.
import matplotlib  # noqa: E402

matplotlib.rcParams.update({"savefig.dpi": 80, "figure.dpi": 80})
