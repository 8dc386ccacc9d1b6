import os

# Keras is a test oracle on its JAX backend; the backend is fixed at its first import.
os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
