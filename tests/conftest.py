import os
import shutil
import tempfile

# Keras is a test oracle on its JAX backend; the backend is fixed at its first import.
os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")

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
