"""The tutorial notebook runs top to bottom, in a kernel of this very interpreter."""

import json
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
TOUR = NOTEBOOKS / "tour.ipynb"


def kernel_manager(tmp_path: Path) -> AsyncKernelManager:
    """A ``python3`` kernel of ``sys.executable``, whatever kernelspecs are installed.

    The kernelspec is written to a temporary folder and looked up only there, so a
    user-wide ``python3`` kernel of another environment cannot be picked up.
    """
    folder = tmp_path / "kernels" / "python3"
    folder.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (jaxsched tests)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    assert specs.get_kernel_spec("python3").argv[0] == sys.executable
    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=specs)


def test_tour_is_committed_without_outputs():
    notebook = nbformat.read(TOUR, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], cell.source[:60]
        assert cell.execution_count is None
    first = code[0].source
    # Keras reads its backend once, when imported: set it first, in the first cell.
    backend = first.index('os.environ["KERAS_BACKEND"] = "jax"')
    assert backend < first.index("import jax")
    assert not any("KERAS_BACKEND" in cell.source for cell in code[1:])


def test_tour_runs_top_to_bottom(tmp_path, monkeypatch):
    notebook = nbformat.read(TOUR, as_version=4)
    monkeypatch.setenv("JAX_PLATFORMS", "cpu")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend
    monkeypatch.delenv("KERAS_BACKEND", raising=False)  # the notebook sets it
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    client = nbclient.NotebookClient(
        notebook,
        km=kernel_manager(tmp_path),
        timeout=120,  # per cell
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    start = time.perf_counter()
    # Raises CellExecutionError on the first failing cell; shuts the kernel down.
    client.execute(cleanup_kc=True)
    elapsed = time.perf_counter() - start
    nbformat.write(notebook, tmp_path / "tour.executed.ipynb")  # to inspect
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "compilations: 1" in text
    assert "members: 9" in text
    assert '"class_name": "Warmup"' in text  # saved to JSON and read back
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3  # the seed schedules, the sweep, the compositions
    print(f"tour.ipynb ran in {elapsed:.1f} s")
