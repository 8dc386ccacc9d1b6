import os

import pytest

# Keras is a test oracle on its JAX backend; the backend is fixed at its first import.
os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
# The pytest-xdist workers fill the cores (one each): XLA's own intra-op threads
# only add spinning and switching. One thread per worker runs the same programs
# (about 7 % less CPU time measured on test_demo and test_giant_steps).
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false")

#: Modules that evaluate the same schedules through the same programs: every example
#: through ``helpers.values`` (and its x64 twin) and ``helpers.group_sweeps``, and
#: eagerly at the one padded length ``helpers.PADDED`` (each eager primitive
#: compiles once per shape and dtype). One worker runs them all, so each program is
#: compiled once and served from that process's caches: measured together, the
#: eight modules after test_properties.py took 77 CPU-s where they took 102 on the
#: other worker; the two workers stay about even (a persistent XLA cache shared by
#: the workers was tried: it had no hits, and writing every executable cost about
#: 30 CPU-s). Every other module is a unit of its own, so its module-scoped fixtures
#: (the demo's full run, the command line's subprocesses) are built once, on one
#: worker.
_SHARED_PROGRAM_MODULES = {
    "test_contract.py",
    "test_key_steps.py",
    "test_giant_steps.py",
    "test_properties.py",
    "test_golden.py",
    "test_parity_keras.py",
    "test_parity_optax.py",
    "test_keras.py",
    "test_combinators.py",
    "test_primitives.py",
    "test_join.py",
    "test_torch.py",
    "test_transformers.py",
}


def _work_unit(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    name = module.rsplit("/", 1)[-1]
    return "shared programs" if name in _SHARED_PROGRAM_MODULES else module


@pytest.hookimpl(optionalhook=True)  # also without pytest-xdist (-p no:xdist)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist hands out whole modules (the shared-program modules as one unit).

    Not ``--dist loadgroup`` with ``xdist_group`` marks: pytest-xdist 3.8 tags the
    group onto ``item._nodeid``, which pytest 9.2 no longer reads, so every test
    became its own unit and module-scoped fixtures ran on both workers.
    """
    from xdist.scheduler import LoadScopeScheduling

    class ModuleUnits(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _work_unit(nodeid)

    return ModuleUnits(config, log)
