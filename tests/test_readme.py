"""The README's Python examples run as written (so the front page cannot drift)."""

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_readme_has_examples():
    assert len(BLOCKS) >= 2


# The convention: a top-level ``print(...)`` whose line ends in ``# -> TEXT`` (or is
# followed by a line ``# -> TEXT``) must print exactly TEXT.
CHECKED = re.compile(r"^print\((.*)\)(?:[ \t]+|\n)# -> (.*)$", flags=re.MULTILINE)


def _instrument(block: str) -> str:
    return CHECKED.sub(lambda m: f"_check({m.group(2).strip()!r}, {m.group(1)})", block)


def _check(expected, *args):
    printed = " ".join(map(str, args))
    assert printed == expected, f"README says {expected!r}, prints {printed!r}"


def test_readme_checks_printed_output():
    checked = sum(len(CHECKED.findall(block)) for block in BLOCKS)
    assert checked >= 3
    text = README.read_text()
    assert text.count("# -> ") == checked  # no marker outside the convention


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index, capsys):
    source = _instrument(BLOCKS[index])
    exec(compile(source, f"README.md block {index}", "exec"), {"_check": _check})
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
