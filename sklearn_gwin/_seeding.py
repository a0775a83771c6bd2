"""Local, repeatable torch randomness that leaves the global generators alone."""

import contextlib
import hashlib
import os

import numpy as np
import torch
from sklearn.utils import check_random_state


def derive_seed(random_state):
    """An int seed drawn from ``random_state``, or None when it is None."""
    if random_state is None:
        return None
    if isinstance(random_state, (int, np.integer)):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


@contextlib.contextmanager
def torch_seeded(seed, device="cpu"):
    """Run the block with torch's generators seeded by ``seed``, then restore them.

    With ``seed=None`` the block runs on the global generators untouched, so that
    ``random_state=None`` keeps its usual meaning: fresh randomness each call.
    On a CUDA device a seeded block also runs torch's deterministic kernels
    (:func:`deterministic_cuda`): without them, two fits with the same seed
    differ on a GPU (measured: benchmarks/device_check.py).
    """
    if seed is None:
        yield
        return
    cuda = str(device).startswith("cuda") and torch.cuda.is_available()
    devices = [torch.device(device).index or 0] if cuda else []
    with torch.random.fork_rng(devices=devices), deterministic_cuda(cuda):
        torch.manual_seed(seed)
        yield


@contextlib.contextmanager
def deterministic_cuda(enabled=True):
    """Run the block with ``torch.use_deterministic_algorithms(True, warn_only=True)``.

    cuDNN's fastest convolution kernels and some others add in a different
    order on every run, so a seeded fit on CUDA does not repeat without this.
    ``warn_only`` because some operations (the warp generator's
    ``grid_sample`` backward) have no deterministic CUDA version: torch warns
    and runs them. ``CUBLAS_WORKSPACE_CONFIG``, which cuBLAS needs to repeat
    its sums, is set to PyTorch's recommended ``:4096:8`` unless the user set
    it. The previous global settings are restored afterwards; a user who
    already turned deterministic algorithms on keeps their setting.
    """
    if not enabled or torch.are_deterministic_algorithms_enabled():
        # a user's own deterministic setting (strict, perhaps) stays as it is
        yield
        return
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    benchmark = torch.backends.cudnn.benchmark
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cudnn.benchmark = False
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(False)
        torch.backends.cudnn.benchmark = benchmark


def row_noise(rows, latent_dim, seed, draw=0):
    """Standard normal noise, one vector per row, that depends only on the row and seed.

    Each row's vector is drawn from a generator seeded by ``seed`` and a hash of
    the row's bytes, so that a row is regenerated the same way whatever batch,
    order or subset it comes in.

    Parameters
    ----------
    rows : ndarray of shape (n_samples, n_features)
    latent_dim : int
    seed : int
    draw : int, default=0
        Which of several independent draws for the same row (``n_regen``).

    Returns
    -------
    noise : ndarray of shape (n_samples, latent_dim), float32
    """
    rows = np.ascontiguousarray(rows)
    noise = np.empty((len(rows), latent_dim), dtype=np.float32)
    for i, row in enumerate(rows):
        digest = hashlib.blake2b(row.tobytes(), digest_size=8).digest()
        row_seed = int.from_bytes(digest, "little")
        # draw 0 keeps the two-part key, so single-draw noise is what it always was
        key = [seed, row_seed] if draw == 0 else [seed, row_seed, draw]
        noise[i] = np.random.default_rng(key).standard_normal(latent_dim)
    return noise
