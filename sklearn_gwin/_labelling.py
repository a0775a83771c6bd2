"""Labels and certainties from a classifier, whatever interface it offers."""

import numpy as np

from .certainty import max_proba_certainty


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
    values = np.asarray(values, dtype=float)
    if values.shape != (len(labels),):
        raise ValueError(
            f"certainty must give one value per row: expected shape ({len(labels)},), "
            f"got {values.shape}."
        )
    if np.isnan(values).any():
        raise ValueError("certainty returned NaN for some rows.")
    return np.asarray(labels), values
