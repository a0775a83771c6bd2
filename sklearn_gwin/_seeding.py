"""Local, repeatable torch randomness that leaves the global generators alone."""

import contextlib
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


# splitmix64's constants (Steele, Lea & Flood 2014): a 64-bit mix that turns
# consecutive counters into independent-looking words, vectorised over rows
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def _mix(words):
    """splitmix64's finaliser, in place on a uint64 array (wrapping arithmetic); returns it."""
    words ^= words >> np.uint64(30)
    words *= _MIX_1
    words ^= words >> np.uint64(27)
    words *= _MIX_2
    words ^= words >> np.uint64(31)
    return words


def row_hashes(rows):
    """One 64-bit hash per row of its bytes, computed column-word by column-word for all rows at once."""
    rows = np.ascontiguousarray(rows).reshape(len(rows), -1)
    raw = rows.view(np.uint8).reshape(len(rows), -1)
    width = raw.shape[1]
    if width % 8:
        raw = np.pad(raw, ((0, 0), (0, 8 - width % 8)))
    words = np.ascontiguousarray(raw).view(np.uint64)
    hashes = np.full(len(rows), width, dtype=np.uint64)
    for column in words.T:
        hashes = _mix((hashes + _GOLDEN) ^ column)  # a new array: _mix works in place
    return hashes


def row_noise(rows, latent_dim, seed, draw=0):
    """Standard normal noise, one vector per row, that depends only on the row and seed.

    Each row's vector is a function of ``seed``, ``draw`` and a hash of the
    row's bytes, so that a row is regenerated the same way whatever batch,
    order or subset it comes in. The words come from splitmix64 on a counter
    keyed by that hash, the normals from them by the Box-Muller transform: all
    rows at once, with no per-row generator.

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
    with np.errstate(over="ignore"):
        key = _mix(_mix(np.array([seed % 2**64], dtype=np.uint64)) + np.uint64(draw) * _GOLDEN)
        row_keys = _mix(row_hashes(rows) ^ key)
        n_pairs = (latent_dim + 1) // 2
        counters = np.arange(1, 2 * n_pairs + 1, dtype=np.uint64) * _GOLDEN
        words = _mix(row_keys[:, None] + counters[None, :])
    # 53 random bits each, uniform in [0, 1); log1p(-u) is then finite
    uniform = (words >> np.uint64(11)).astype(np.float64) * 2.0**-53
    radius = np.sqrt(-2.0 * np.log1p(-uniform[:, :n_pairs])).astype(np.float32)
    # the noise is float32: so is the angle, and its sine and cosine are several times faster
    angle = (2.0 * np.pi * uniform[:, n_pairs:]).astype(np.float32)
    noise = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return np.ascontiguousarray(noise[:, :latent_dim])
