"""Type checking as a user sees it: pyright over tests/typing (one subprocess).

``user_code.py`` makes documented calls of every public class and factory and must
check clean; every line of ``mistakes.py`` marked ``# error`` must get an error, and
no other line may.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jaxsched
from jaxsched.schedules import _optax

HERE = Path(__file__).parent / "typing"
USER_CODE = HERE / "user_code.py"
MISTAKES = HERE / "mistakes.py"


def _pyright() -> str:
    beside = Path(sys.executable).parent / "pyright"
    found = str(beside) if beside.exists() else shutil.which("pyright")
    if found is None:
        pytest.skip("pyright is not installed (pip install '.[dev]')")
    return found


def _errors() -> dict[str, set[int]]:
    result = subprocess.run(
        [
            _pyright(),
            "--outputjson",
            "--pythonpath",
            sys.executable,
            "--project",
            str(HERE / "pyrightconfig.json"),
            str(USER_CODE),
            str(MISTAKES),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    errors: dict[str, set[int]] = {USER_CODE.name: set(), MISTAKES.name: set()}
    for item in report["generalDiagnostics"]:
        if item["severity"] == "error":
            name = Path(item["file"]).name
            errors.setdefault(name, set()).add(item["range"]["start"]["line"] + 1)
    assert report["summary"]["filesAnalyzed"] == 2, result.stdout[-2000:]
    return errors


def test_user_code_clean_and_every_mistake_flagged():
    errors = _errors()
    assert errors[USER_CODE.name] == set(), "errors in documented calls"
    lines = MISTAKES.read_text().splitlines()
    marked = {
        i
        for i, line in enumerate(lines, 1)
        if line.split("#")[-1].strip().startswith("error")
    }
    assert len(marked) >= 20
    assert sorted(marked - errors[MISTAKES.name]) == [], "mistakes not flagged"
    assert sorted(errors[MISTAKES.name] - marked) == [], "errors on unmarked lines"


def test_user_code_calls_every_public_constructor_and_factory():
    called = set(re.findall(r"\bjs\.(\w+)\(", USER_CODE.read_text()))
    classes = {
        name
        for name in jaxsched.__all__
        if isinstance(getattr(jaxsched, name), type)
        and issubclass(getattr(jaxsched, name), jaxsched.Schedule)
        and name != "Schedule"
    }
    factories = {name for name in _optax.__all__ if name in jaxsched.__all__}
    others = {"grid", "grid_points", "stack", "unstack", "from_dict", "sample"}
    assert factories and classes
    assert sorted((classes | factories | others) - called) == []
