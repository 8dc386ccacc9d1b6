"""Every docstring example in the package runs and prints what it says.

The modules are found by walking the package, so a new module's examples are
collected without a list to update (a module without examples has no test here).
"""

import doctest
import importlib
import pkgutil

import pytest

import jaxsched

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, name)
    # Names re-exported from another module are tested where they are defined.
    return [t for t in tests if t.examples and _defined_in(t, name)]


def _defined_in(test: doctest.DocTest, name: str) -> bool:
    return (
        test.filename is None
        or test.filename.endswith(name.replace(".", "/") + ".py")
        or test.filename.endswith(name.replace(".", "/") + "/__init__.py")
    )


EXAMPLES = {
    info.name: found
    for info in pkgutil.walk_packages(jaxsched.__path__, prefix="jaxsched.")
    if info.name != "jaxsched.__main__" and (found := _examples(info.name))
}


def test_the_examples_are_found():
    found = sum(len(t.examples) for tests in EXAMPLES.values() for t in tests)
    assert found >= 226  # the package's examples when this test was written


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_docstring_examples_run(name):
    tests = EXAMPLES[name]
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"
