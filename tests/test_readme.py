"""The README's Python examples run as written (so the front page cannot drift)."""

import pathlib
import re

import pytest
from helpers import PRINTED, check_printed, instrument

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_readme_has_examples():
    assert len(BLOCKS) >= 2


def test_readme_checks_printed_output():
    checked = sum(len(PRINTED.findall(block)) for block in BLOCKS)
    assert checked >= 3
    text = README.read_text()
    assert text.count("# -> ") == checked  # no marker outside the convention


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index, capsys):
    source = instrument(BLOCKS[index])
    namespace = {"check_printed": check_printed}
    exec(compile(source, f"README.md block {index}", "exec"), namespace)
    capsys.readouterr()


def test_readme_opens_with_the_two_commands():
    text = README.read_text()
    commands = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)[:2]
    assert "jaxsched demo" in commands[0]
    assert "pytest" in commands[1] and "[test]" in commands[1]
    ci = (README.parent / ".ci" / "run").read_text()
    assert commands[1].strip() in ci  # CI runs the README's test command verbatim


def test_readme_is_a_front_door():
    # the details live in docs/ (tests/test_docs.py); the README links to them
    text = README.read_text()
    assert len(text.splitlines()) <= 200
    for page in re.findall(r"\]\((docs/[^)]+\.md)\)", text):
        assert (README.parent / page).exists(), page
