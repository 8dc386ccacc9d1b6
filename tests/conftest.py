import os
import shutil
import tempfile

import pytest

# Keras is a test oracle on its JAX backend; the backend is fixed at its first import.
os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
# The pytest-xdist workers fill the cores (one each): XLA's own intra-op threads
# only add spinning and switching. One thread per worker runs the same programs
# (about 7 % less CPU time measured on test_demo and test_giant_steps).
os.environ.setdefault(
    "XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
)

# Most of the suite's time is XLA compiling small programs, and many are compiled
# more than once: by each pytest-xdist worker (the same eager primitives, the same
# schedule structure at the same step shape) and by tests that build the same
# program. One persistent compilation cache per test run, shared by the workers,
# compiles each once. It starts empty every run (a temporary directory, removed at
# the end), so every run still compiles everything it checks.
_CACHE = "JAXSCHED_TEST_COMPILATION_CACHE"


def pytest_configure(config):
    if not hasattr(config, "workerinput") and _CACHE not in os.environ:
        os.environ[_CACHE] = tempfile.mkdtemp(prefix="jaxsched-xla-cache-")
        config._jaxsched_cache = os.environ[_CACHE]
    import jax

    jax.config.update("jax_compilation_cache_dir", os.environ[_CACHE])
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)


def pytest_unconfigure(config):
    cache = getattr(config, "_jaxsched_cache", None)
    if cache:
        shutil.rmtree(cache, ignore_errors=True)
        os.environ.pop(_CACHE, None)


#: Modules that evaluate every example through the same jitted programs
#: (``helpers.values`` and its x64 twin): one worker runs them all, so each program
#: is compiled once, not by both workers at the same time. Every other module is a
#: unit of its own, so its module-scoped fixtures (the demo's full run, the command
#: line's subprocesses) are built once, on one worker.
_EXAMPLE_MODULES = {
    "test_contract.py",
    "test_key_steps.py",
    "test_giant_steps.py",
    "test_properties.py",
    "test_golden.py",
}


def _work_unit(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    return "examples" if module.rsplit("/", 1)[-1] in _EXAMPLE_MODULES else module


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist hands out whole modules (and the example modules as one unit).

    Not ``--dist loadgroup`` with ``xdist_group`` marks: pytest-xdist 3.8 tags the
    group onto ``item._nodeid``, which pytest 9.2 no longer reads, so every test
    became its own unit and module-scoped fixtures ran on both workers.
    """
    from xdist.scheduler import LoadScopeScheduling

    class ModuleUnits(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _work_unit(nodeid)

    return ModuleUnits(config, log)
