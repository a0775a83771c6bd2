"""Local, repeatable torch randomness that leaves the global generators alone."""

import contextlib

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
