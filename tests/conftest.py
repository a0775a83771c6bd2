import os
import signal

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_iris


@pytest.fixture(autouse=True)
def ctrl_c_as_in_a_terminal():
    """Python's own SIGINT handler during each test, as in a terminal.

    A process started in the background by a non-interactive shell inherits
    SIGINT ignored, and Python then installs no handler: the suite's real
    Ctrl-Cs (test_interruption.py, test_warm_start.py) would never arrive.
    """
    inherited = signal.getsignal(signal.SIGINT)
    if inherited is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    if inherited is signal.SIG_IGN:
        signal.signal(signal.SIGINT, inherited)


@pytest.fixture(scope="session")
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture(scope="session")
def digits_images():
    """Digits as float32 (n, 1, 8, 8) images in [0, 1]."""
    X, y = load_digits(return_X_y=True)
    return (X / 16.0).astype(np.float32).reshape(-1, 1, 8, 8), y


# The device the suite fits its GANs and nets on: "cpu" in CI; on a machine
# with a GPU, SKLEARN_GWIN_TEST_DEVICE=cuda runs the same tests through the
# CUDA paths (docs/testing.md).
DEVICE = os.environ.get("SKLEARN_GWIN_TEST_DEVICE", "cpu")

FAST_GAN = dict(n_iter=5, batch_size=16, n_critic=1, latent_dim=4, device=DEVICE, random_state=0)
