"""A differentiable stand-in for classifiers that give no gradients.

Random forests, boosted trees, SVMs or nearest neighbours have a
``predict_proba`` but no gradient with respect to their input, which the
transformation penalty needs. A small network is distilled from the real
classifier: it learns to reproduce ``predict_proba`` on the training rows and
on points around and between them (labelled by the real classifier too), so
that it also answers sensibly where the generator moves inputs. It only shapes
the generator's training; the real classifier always makes the final labels.
"""

import numpy as np
import torch
from sklearn.utils import gen_batches
from torch import nn
from torch.nn import functional as F

from .wgan.trainer import fused_adam


class SurrogateNet(nn.Module):
    """MLP from unit-space input to log-probabilities.

    Parameters
    ----------
    n_features, n_classes : int
    hidden : tuple of int, default=(256, 256)
    """

    def __init__(self, n_features, n_classes, hidden=(256, 256)):
        super().__init__()
        sizes = [n_features, *hidden]
        layers = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            layers += [nn.Linear(n_in, n_out), nn.ReLU()]
        self.net = nn.Sequential(*layers, nn.Linear(sizes[-1], n_classes))

    def forward(self, x):
        return F.log_softmax(self.net(x), dim=1)


# rows per step when making and labelling the surrogate's points: bounds the float64
# temporaries to a few MB whatever the size of the training set
_CHUNK = 8192
# Gradient steps of the distillation, at most. 30 epochs over the surrogate's points
# (three per training row) reach it at about 8,500 training rows; above that training
# stops there, the last pass over the points cut short, so that the surrogate's cost
# stops growing with the table (benchmarks/surrogate_cost.py measures both). None: no cap.
_MAX_STEPS = 3000


def augment_rows(X_unit, rng, noise=0.05):
    """Training rows, noisy copies, and random mixtures of pairs, in [0, 1].

    Built chunk by chunk into one float32 array, so that fit holds no float64
    copy of the three sets at once; the random draws are those of whole-array
    draws (noise, then pairs, then weights).

    Returns
    -------
    rows : ndarray of shape (3 * n_samples, n_features), float32
    source : ndarray of shape (3 * n_samples,)
        The training row each point was made from (the first of a pair), whose
        columns outside unit space the classifier is asked with.
    """
    n = len(X_unit)
    rows = np.empty((3 * n, *X_unit.shape[1:]), dtype=np.float32)
    rows[:n] = X_unit
    for chunk in gen_batches(n, _CHUNK):
        noisy = X_unit[chunk] + noise * rng.standard_normal(X_unit[chunk].shape)
        rows[n + chunk.start : n + chunk.stop] = np.clip(noisy, 0, 1)
    pairs = rng.randint(n, size=(n, 2))
    weight = rng.uniform(size=(n, 1))
    for chunk in gen_batches(n, _CHUNK):
        first, second = X_unit[pairs[chunk, 0]], X_unit[pairs[chunk, 1]]
        mixed = weight[chunk] * first + (1 - weight[chunk]) * second
        rows[2 * n + chunk.start : 2 * n + chunk.stop] = np.clip(mixed, 0, 1)
    return rows, np.concatenate([np.arange(n), np.arange(n), pairs[:, 0]])


def _in_chunks(predict_proba_unit, rows, source, dtype=None):
    """The classifier's probabilities on ``rows``, asked ``_CHUNK`` rows at a time."""
    return np.concatenate([
        np.asarray(predict_proba_unit(rows[chunk], source[chunk]), dtype=dtype)
        for chunk in gen_batches(len(rows), _CHUNK)
    ])


def _capped_batches(n, n_epochs, batch_size, device, max_steps):
    """Index batches of ``n_epochs`` shuffled passes over ``n`` points, ``max_steps`` of them at most."""
    steps = 0
    for _ in range(n_epochs):
        for rows in torch.randperm(n, device=device).split(batch_size):
            if max_steps is not None and steps == max_steps:
                return
            steps += 1
            yield rows


def fit_surrogate(predict_proba_unit, X_unit, rng, *, device, n_epochs=30, batch_size=256, lr=1e-3):
    """Distil ``predict_proba_unit`` into a :class:`SurrogateNet`.

    Parameters
    ----------
    predict_proba_unit : callable
        Real classifier's probabilities (columns in the GWIN's class order) for
        rows in unit space, called as ``predict_proba_unit(rows, source)`` with
        the index of the training row each was made from.
    X_unit : ndarray of shape (n_samples, n_features)
        Training rows in unit space.
    rng : numpy RandomState
    device : torch.device
    n_epochs : int, default=30
        Passes over the surrogate's points; training stops earlier, mid-pass,
        after ``_MAX_STEPS`` gradient steps (large tables).

    Returns
    -------
    surrogate : SurrogateNet
        In evaluation mode, on ``device``.
    agreement : float
        Fraction of fresh points (noisy copies of the training rows and mixtures
        of pairs of them, not used in training) on which the surrogate's argmax
        equals the real classifier's.
    """
    X_train, source = augment_rows(X_unit, rng)
    target = _in_chunks(predict_proba_unit, X_train, source, dtype=np.float32)
    X_t = torch.as_tensor(X_train, device=device)
    target_t = torch.as_tensor(target, device=device)
    surrogate = SurrogateNet(X_unit.shape[1], target.shape[1]).to(device)
    optimizer = fused_adam(surrogate.parameters(), lr=lr)
    n = len(X_t)
    for rows in _capped_batches(n, n_epochs, batch_size, device, _MAX_STEPS):
        # soft-label cross-entropy: the surrogate imitates the whole distribution
        loss = -(target_t[rows] * surrogate(X_t[rows])).sum(dim=1).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    surrogate.eval()
    surrogate.requires_grad_(False)
    # agreement on fresh points near the data, which the surrogate has not seen
    X_check, source = augment_rows(X_unit, rng)
    X_check, source = X_check[len(X_unit) :], source[len(X_unit) :]
    real = _in_chunks(predict_proba_unit, X_check, source).argmax(axis=1)
    with torch.no_grad():
        # in chunks: the hidden layers of all the fresh points at once took 8 KB per training row
        imitated = np.concatenate([
            surrogate(torch.as_tensor(X_check[rows], device=device)).argmax(dim=1).cpu().numpy()
            for rows in gen_batches(len(X_check), _CHUNK)
        ])
    return surrogate, float(np.mean(imitated == real))
