"""What a user could do instead of a GWIN with rejected inputs: TTA and a second model."""

import numpy as np

from .._augmentation_choice import augmented_views
from ..bnn.classifier import _softmax
from ..certainty import monte_carlo_certainty

# TTA averages over the same small moves that augmentation="auto" measures
__all__ = ["augmented_views", "bnn_outputs", "equal_compute_epochs", "tta_proba"]


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
