"""Local, repeatable torch randomness that leaves the global generators alone."""

import contextlib
import hashlib

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
    """
    if seed is None:
        yield
        return
    devices = []
    if str(device).startswith("cuda") and torch.cuda.is_available():
        devices = [torch.device(device).index or 0]
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


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
