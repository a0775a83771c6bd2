"""Certainty and rejection rules of a GWIN, in plain numpy.

These functions hold the paper's decision rules (Section 4.2 and S4) apart from
any model, so that they can be read, tested and swapped on their own.
"""

import numpy as np

__all__ = ["max_proba_certainty", "monte_carlo_certainty", "threshold_rejection"]


def max_proba_certainty(proba):
    """Label index and certainty from one probability matrix.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_classes)
        Class probabilities, e.g. from ``predict_proba``.

    Returns
    -------
    label_index : ndarray of shape (n_samples,)
        Column of the most probable class.
    certainty : ndarray of shape (n_samples,)
        Probability of that class.

    See Also
    --------
    monte_carlo_certainty : The certainty of a Bayesian net's draws.
    threshold_rejection : Rejects the rows of low certainty.

    Examples
    --------
    >>> import numpy as np
    >>> max_proba_certainty(np.array([[0.2, 0.8], [0.6, 0.4]]))
    (array([1, 0]), array([0.8, 0.6]))
    """
    proba = np.asarray(proba)
    label_index = proba.argmax(axis=1)
    return label_index, proba[np.arange(len(proba)), label_index]


def monte_carlo_certainty(proba_draws, logit_draws=None):
    """Label index and certainty from Monte Carlo draws, as in the paper's S4.

    The predicted class is the argmax of the mean logits over the draws (of the
    mean probabilities when no logits are given); the certainty is the median,
    over the draws, of that class's probability.

    Parameters
    ----------
    proba_draws : ndarray of shape (n_draws, n_samples, n_classes)
        Softmax probabilities of each draw.
    logit_draws : ndarray of shape (n_draws, n_samples, n_classes), default=None
        Logits of each draw; None ranks the classes by their mean
        probability instead.

    Returns
    -------
    label_index : ndarray of int, shape (n_samples,)
        Column of the predicted class.
    certainty : ndarray of shape (n_samples,)
        Median over the draws of that class's probability, in the dtype of
        ``proba_draws``.

    Raises
    ------
    ValueError
        When ``proba_draws`` is not 3-D, or ``logit_draws`` is not shaped
        like it.

    See Also
    --------
    max_proba_certainty : The certainty of a single probability matrix.
    sklearn_gwin.bnn.BayesianNeuralNetClassifier.predict_with_certainty : Uses it.

    Examples
    --------
    >>> import numpy as np
    >>> draws = np.array([[[0.9, 0.1]], [[0.6, 0.4]], [[0.2, 0.8]]])
    >>> monte_carlo_certainty(draws)
    (array([0]), array([0.6]))
    """
    proba_draws = np.asarray(proba_draws)
    if proba_draws.ndim != 3:
        raise ValueError(
            "proba_draws must have shape (n_draws, n_samples, n_classes), got "
            f"{proba_draws.shape}."
        )
    scores = proba_draws if logit_draws is None else np.asarray(logit_draws)
    if scores.shape != proba_draws.shape:
        # a mismatch would otherwise label rows with another draw set's classes, or fail deep in numpy
        raise ValueError(
            f"logit_draws must have the shape of proba_draws {proba_draws.shape}, got {scores.shape}."
        )
    label_index = scores.mean(axis=0).argmax(axis=1)
    rows = np.arange(proba_draws.shape[1])
    certainty = np.median(proba_draws[:, rows, label_index], axis=0)
    return label_index, certainty


def threshold_rejection(certainty, labels, tau):
    """The paper's tau-threshold rejection rule (eq. 5).

    A row is rejected when its certainty is strictly below ``tau``. As in the
    paper, ``tau=0`` rejects nothing (even a row of negative certainty, from
    a ``certainty`` callable on another scale) and ``tau=1`` rejects every
    row, even one whose certainty rounds to exactly 1 in floating point.

    Parameters
    ----------
    certainty : array-like of float, shape (n_samples,)
        Certainty of each row's predicted label.
    labels : array-like of shape (n_samples,)
        Predicted labels; the threshold rule does not use them, a custom rule may.
    tau : float in [0, 1]
        The threshold: rows of certainty below it are rejected.

    Returns
    -------
    rejected : ndarray of bool, shape (n_samples,)
        True for the rows rejected.

    See Also
    --------
    sklearn_gwin.GWINClassifier : Its ``rejection=None`` is this rule.

    Examples
    --------
    >>> threshold_rejection([0.3, 0.9], ["a", "b"], tau=0.5)
    array([ True, False])
    >>> threshold_rejection([0.3, 1.0], ["a", "b"], tau=1.0)
    array([ True,  True])
    """
    certainty = np.asarray(certainty)
    if tau >= 1:
        return np.ones(certainty.shape, dtype=bool)
    if tau <= 0:  # the classifier alone, whatever the scale of a custom certainty
        return np.zeros(certainty.shape, dtype=bool)
    return certainty < tau
