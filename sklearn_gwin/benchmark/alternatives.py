"""What a user could do instead of a GWIN with rejected inputs: TTA and a second model."""

import numpy as np
from scipy import ndimage

from ..bnn.classifier import _softmax
from ..certainty import monte_carlo_certainty

# one-pixel shifts and +-10 degree rotations: the usual small, label-preserving moves
SHIFTS = ((0, 1), (0, -1), (1, 0), (-1, 0))
ROTATIONS = (-10.0, 10.0)


def augmented_views(X, image_shape):
    """The rows of ``X`` as they are, shifted by one pixel and rotated by +-10 degrees.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    image_shape : tuple of int
        ``(channels, height, width)``.

    Returns
    -------
    views : list of ndarray, each shaped like ``X``
        The identity first.
    """
    images = X.reshape(len(X), *image_shape)
    views = [X]
    for dy, dx in SHIFTS:
        # zero fill, not wrap-around: a digit must not reappear on the other side
        shifted = ndimage.shift(images, (0, 0, dy, dx), order=0, mode="constant")
        views.append(shifted.reshape(X.shape))
    for angle in ROTATIONS:
        rotated = ndimage.rotate(images, angle, axes=(2, 3), reshape=False, order=1, mode="constant")
        views.append(np.clip(rotated, X.min(), X.max()).reshape(X.shape).astype(X.dtype))
    return views


def tta_proba(estimator, X, image_shape):
    """Mean of ``estimator.predict_proba`` over :func:`augmented_views` of ``X``."""
    return np.mean([estimator.predict_proba(view) for view in augmented_views(X, image_shape)], axis=0)


def bnn_outputs(net, X, y_index):
    """Everything the tables and figures need from one set of Monte Carlo draws.

    Parameters
    ----------
    net : fitted BayesianNeuralNetClassifier
    X : ndarray
    y_index : ndarray of int
        Index of each row's true class in ``net.classes_``.

    Returns
    -------
    outputs : dict of ndarray
        ``label`` (class index, argmax of the mean logits), ``certainty`` (S4),
        ``proba`` (mean softmax) and ``true_certainty`` (median over draws of
        the true class's probability, the quantity of the paper's Figure 5).
    """
    logits = net.sample_logits(X)
    draws = _softmax(logits)
    label, certainty = monte_carlo_certainty(draws, logits)
    return dict(
        label=label,
        certainty=certainty,
        proba=draws.mean(axis=0),
        true_certainty=np.median(draws[:, np.arange(len(X)), y_index], axis=0),
    )


def equal_compute_epochs(seconds, epoch_seconds):
    """Epochs of a second classifier that cost about ``seconds`` (at least one)."""
    return max(1, int(round(seconds / epoch_seconds)))
