"""Labels and certainties from a classifier, whatever interface it offers."""

import numpy as np

from .bnn.classifier import _softmax
from .certainty import max_proba_certainty, monte_carlo_certainty


def label_and_certainty(estimator, X, certainty="auto"):
    """Predicted labels and their certainty.

    Parameters
    ----------
    estimator : fitted classifier
    X : array-like
    certainty : "auto" or callable
        "auto" takes, in this order, the estimator's ``predict_with_certainty``
        (labels and certainty from the same Monte Carlo draws),
        ``predict_certainty`` with ``predict``, or the argmax and max of
        ``predict_proba``. A callable is called as ``certainty(estimator, X)``
        and must return one value per row; labels then come from ``predict``.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
    certainty : ndarray of shape (n_samples,)
    """
    if callable(certainty):
        labels, values = estimator.predict(X), certainty(estimator, X)
    elif hasattr(estimator, "predict_with_certainty"):
        labels, values = estimator.predict_with_certainty(X)
    elif hasattr(estimator, "predict_certainty"):
        labels, values = estimator.predict(X), estimator.predict_certainty(X)
    else:
        label_index, values = max_proba_certainty(estimator.predict_proba(X))
        labels = np.asarray(estimator.classes_)[label_index]
    return np.asarray(labels), _checked_certainty(values, len(labels))


def _checked_certainty(values, n_rows):
    values = np.asarray(values, dtype=float)
    if values.shape != (n_rows,):
        raise ValueError(
            f"certainty must give one value per row: expected shape ({n_rows},), got {values.shape}."
        )
    if np.isnan(values).any():
        raise ValueError("certainty returned NaN for some rows.")
    return values


def label_certainty_and_proba(estimator, X, certainty="auto"):
    """:func:`label_and_certainty` and ``predict_proba``, from one pass where possible.

    A Bayesian net (``sample_logits``) with ``certainty="auto"`` gives all three
    from the same Monte Carlo draws, instead of drawing twice; so does a plain
    classifier whose certainty is the max of ``predict_proba``.

    Returns
    -------
    labels, certainty : ndarray of shape (n_samples,)
    proba : ndarray of shape (n_samples, n_classes)
    """
    if certainty == "auto" and hasattr(estimator, "sample_logits"):
        return pooled_label_and_certainty(estimator, [X], certainty)
    auto_from_proba = certainty == "auto" and not (
        hasattr(estimator, "predict_with_certainty") or hasattr(estimator, "predict_certainty")
    )
    if auto_from_proba:
        proba = np.asarray(estimator.predict_proba(X))
        label_index, values = max_proba_certainty(proba)
        return np.asarray(estimator.classes_)[label_index], _checked_certainty(values, len(proba)), proba
    labels, values = label_and_certainty(estimator, X, certainty)
    return labels, values, estimator.predict_proba(X)


def pooled_label_and_certainty(estimator, X_draws, certainty="auto"):
    """Labels, certainties and probabilities from several versions of the same rows.

    Used with ``n_regen > 1``: each row was regenerated with several noise draws,
    and the classifier's answers are pooled. A classifier with ``sample_logits``
    (the Bayesian nets) pools its Monte Carlo draws over all versions and applies
    S4 to them, as if it had drawn ``n_regen`` times as often. Any other
    classifier is labelled by the mean of ``predict_proba``; the certainty is
    that mean's value at the label ("auto") or the mean of the ``certainty``
    callable over the versions.

    Parameters
    ----------
    estimator : fitted classifier
    X_draws : list of ndarray
        The versions, each shaped like the others.
    certainty : "auto" or callable

    Returns
    -------
    labels, certainty : ndarray of shape (n_samples,)
    proba : ndarray of shape (n_samples, n_classes)
        Mean of ``predict_proba`` over the versions.
    """
    classes = np.asarray(estimator.classes_)
    if certainty == "auto" and hasattr(estimator, "sample_logits"):
        logits = np.concatenate([estimator.sample_logits(X) for X in X_draws])
        draws = _softmax(logits)
        label_index, values = monte_carlo_certainty(draws, logits)
        return classes[label_index], values, draws.mean(axis=0)
    proba = np.mean([estimator.predict_proba(X) for X in X_draws], axis=0)
    label_index, values = max_proba_certainty(proba)
    if callable(certainty):
        values = np.mean([np.asarray(certainty(estimator, X), dtype=float) for X in X_draws], axis=0)
    return classes[label_index], values, proba
