"""Selective-classification metrics for GWINs, in numpy.

The paper's Tables 1-2 report, for each tau: accuracy of the classifier on the
rejected rows ("BNN Acc."), accuracy after regeneration on the same rows
("BNN+GWIN Acc."), the change in overall accuracy and the percent change in
error rate. "BNN w/ Reject" is the accuracy on the rows that are kept.
"""

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.utils.validation import check_consistent_length, column_or_1d

__all__ = [
    "accepted_accuracy",
    "rejected_accuracy",
    "overall_accuracy_delta",
    "error_rate_change",
    "risk_coverage_curve",
    "aurc",
    "augrc",
    "coverage_at_risk",
    "make_gwin_scorer",
]


def _one_value_per_row(*columns):
    # as scikit-learn's metrics take them: a column vector flattened (with its warning), lengths
    # checked; compared unflattened, an (n, 1) y_true against (n,) labels broadcasts to n x n
    columns = [column_or_1d(column, warn=True) for column in columns]
    check_consistent_length(*columns)
    return columns


def _masked_accuracy(y_true, y_pred, mask):
    y_true, y_pred, mask = _one_value_per_row(y_true, y_pred, mask)
    mask = mask.astype(bool)
    if not mask.any():
        return np.nan
    return float(np.mean(y_true[mask] == y_pred[mask]))


def accepted_accuracy(y_true, y_pred, rejected):
    """Accuracy on the rows that are not rejected (NaN when every row is).

    Pass the classifier's own labels for the paper's "BNN w/ Reject": its
    accuracy on the rows it keeps.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    rejected : array-like of bool, shape (n_samples,)
        True for the rows that are rejected (left out of the score).

    Returns
    -------
    accuracy : float
        Share of the kept rows whose label is right, in [0, 1]; NaN when
        every row is rejected.

    Raises
    ------
    ValueError
        If the arrays differ in length or hold more than one value per row
        (a column vector is flattened, with a ``DataConversionWarning``).

    See Also
    --------
    rejected_accuracy : Accuracy on the rejected rows.
    sklearn_gwin.GWINClassifier.predict_details : ``labels_before`` and ``rejected``.

    Examples
    --------
    >>> from sklearn_gwin.metrics import accepted_accuracy
    >>> accepted_accuracy([0, 1, 1], [0, 0, 1], rejected=[False, True, False])
    1.0
    >>> accepted_accuracy([0, 1], [0, 0], rejected=[True, True])
    nan
    """
    return _masked_accuracy(y_true, y_pred, ~np.asarray(rejected, dtype=bool))


def rejected_accuracy(y_true, y_pred, rejected):
    """Accuracy on the rejected rows (NaN when none is).

    Pass the classifier's own labels for the paper's "BNN Acc.", the GWIN's
    labels for "BNN+GWIN Acc.".

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    rejected : array-like of bool, shape (n_samples,)
        True for the rows that are rejected (the only ones scored).

    Returns
    -------
    accuracy : float
        Share of the rejected rows whose label is right, in [0, 1]; NaN
        when no row is rejected.

    Raises
    ------
    ValueError
        If the arrays differ in length or hold more than one value per row
        (a column vector is flattened, with a ``DataConversionWarning``).

    See Also
    --------
    accepted_accuracy : Accuracy on the rows that are kept.

    Examples
    --------
    >>> from sklearn_gwin.metrics import rejected_accuracy
    >>> y_true, rejected = [0, 1, 1], [False, True, False]
    >>> rejected_accuracy(y_true, [0, 0, 1], rejected)  # the classifier's labels
    0.0
    >>> rejected_accuracy(y_true, [0, 1, 1], rejected)  # after regeneration
    1.0
    """
    return _masked_accuracy(y_true, y_pred, rejected)


def overall_accuracy_delta(y_true, y_pred_before, y_pred_after):
    """Change in accuracy over all rows, in percentage points (the paper's Overall Acc. Δ).

    ``100 * (accuracy_after - accuracy_before)``; positive is better.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred_before : array-like of shape (n_samples,)
        Labels before regeneration (the classifier alone).
    y_pred_after : array-like of shape (n_samples,)
        Labels after regeneration (the GWIN).

    Returns
    -------
    delta : float
        The change, in percentage points (between -100 and 100).

    See Also
    --------
    error_rate_change : The same change, relative to the error rate.

    Examples
    --------
    >>> from sklearn_gwin.metrics import overall_accuracy_delta
    >>> overall_accuracy_delta([0, 1, 1, 1], [0, 0, 1, 1], [0, 1, 1, 1])
    25.0
    """
    return 100 * (accuracy_score(y_true, y_pred_after) - accuracy_score(y_true, y_pred_before))


def error_rate_change(y_true, y_pred_before, y_pred_after):
    """Percent change of the error rate over all rows (the paper's % Error Δ).

    ``100 * (error_after - error_before) / error_before``; negative is better.
    NaN when the classifier alone makes no error.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred_before : array-like of shape (n_samples,)
        Labels before regeneration (the classifier alone).
    y_pred_after : array-like of shape (n_samples,)
        Labels after regeneration (the GWIN).

    Returns
    -------
    change : float
        The relative change of the error rate, in percent (-100 when every
        error is fixed); NaN when ``y_pred_before`` has no error.

    See Also
    --------
    overall_accuracy_delta : The same change, in accuracy points.

    Examples
    --------
    >>> from sklearn_gwin.metrics import error_rate_change
    >>> error_rate_change([0, 1, 1, 1], [0, 0, 0, 1], [0, 1, 0, 1])
    -50.0
    >>> error_rate_change([0, 1], [0, 1], [1, 1])  # no error before
    nan
    """
    before = 1 - accuracy_score(y_true, y_pred_before)
    after = 1 - accuracy_score(y_true, y_pred_after)
    return np.nan if before == 0 else 100 * (after - before) / before


def risk_coverage_curve(y_true, y_pred, certainty):
    """Risk (error rate) of the most certain rows at each coverage.

    Rows are sorted by decreasing certainty; at coverage ``k / n`` the ``k``
    most certain rows are kept and the risk is their error rate. Ties in
    certainty are kept together: the curve only has points where the
    threshold can separate rows.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    certainty : array-like of float, shape (n_samples,)
        Certainty of each predicted label (higher: kept first), e.g.
        ``predict_details(X).certainty`` of a GWIN.

    Returns
    -------
    coverage : ndarray of float64, shape (n_points,)
        Share of rows kept, increasing, ending at 1; one point per distinct
        certainty value.
    risk : ndarray of float64, shape (n_points,)
        Error rate among the kept rows.
    thresholds : ndarray of shape (n_points,)
        Certainty of the last kept row (decreasing): keeping rows with
        certainty >= the threshold gives that coverage.

    Raises
    ------
    ValueError
        If the arrays differ in length or hold more than one value per row
        (a column vector is flattened, with a ``DataConversionWarning``).

    See Also
    --------
    aurc : Area under this curve.
    augrc : Area under the generalized risk-coverage curve.
    coverage_at_risk : Largest coverage at a given risk.

    Examples
    --------
    >>> from sklearn_gwin.metrics import risk_coverage_curve
    >>> coverage, risk, thresholds = risk_coverage_curve(
    ...     [0, 1, 1, 0], [0, 1, 0, 0], certainty=[0.9, 0.8, 0.8, 0.2])
    >>> coverage
    array([0.25, 0.75, 1.  ])
    >>> risk.round(3)
    array([0.   , 0.333, 0.25 ])
    >>> thresholds
    array([0.9, 0.8, 0.2])
    """
    y_true, y_pred, certainty = _one_value_per_row(y_true, y_pred, certainty)
    order = np.argsort(-certainty, kind="stable")
    errors = np.cumsum(y_true[order] != y_pred[order])
    sorted_certainty = certainty[order]
    # last index of each run of equal certainty
    ends = np.flatnonzero(np.r_[sorted_certainty[1:] != sorted_certainty[:-1], True])
    kept = ends + 1
    return kept / len(y_true), errors[ends] / kept, sorted_certainty[ends]


def aurc(y_true, y_pred, certainty):
    """Area under the risk-coverage curve (lower is better).

    Convention (Geifman et al., 2019): the mean, over every coverage ``k / n``
    for ``k = 1..n``, of the error rate of the ``k`` most certain rows, with
    tied certainties averaged as one group; equivalently the area under the
    step curve of :func:`risk_coverage_curve`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    certainty : array-like of float, shape (n_samples,)
        Certainty of each predicted label (higher: kept first).

    Returns
    -------
    aurc : float
        The area, in [0, 1].

    See Also
    --------
    risk_coverage_curve : The curve itself.
    augrc : Area under the generalized risk-coverage curve.

    Examples
    --------
    >>> from sklearn_gwin.metrics import aurc
    >>> round(aurc([0, 1, 1], [0, 1, 0], certainty=[0.9, 0.8, 0.1]), 4)
    0.1111
    """
    coverage, risk, _ = risk_coverage_curve(y_true, y_pred, certainty)
    widths = np.diff(np.r_[0.0, coverage])
    return float(np.sum(widths * risk))


def augrc(y_true, y_pred, certainty):
    """Area under the generalized risk-coverage curve (lower is better).

    The generalized risk at coverage ``k / n`` is the share of *all* rows
    that are kept and wrong: the ``k`` most certain rows' errors over ``n``
    (Traub et al., 2024). Unlike :func:`aurc`, which weighs the few most
    certain rows' error rate as much as the whole set's, it counts each
    wrongly kept row once, so that a classifier that is right on more rows
    or ranks its errors last scores better. Ties in certainty are kept
    together, as in :func:`risk_coverage_curve`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    certainty : array-like of float, shape (n_samples,)
        Certainty of each predicted label (higher: kept first).

    Returns
    -------
    augrc : float
        The area, in [0, 1].

    See Also
    --------
    risk_coverage_curve : The (non-generalized) curve.
    aurc : Area under the risk-coverage curve.

    Examples
    --------
    >>> from sklearn_gwin.metrics import aurc, augrc
    >>> round(augrc([0, 1, 1], [1, 1, 1], certainty=[0.9, 0.8, 0.1]), 4)  # wrong where most certain
    0.3333
    >>> round(aurc([0, 1, 1], [1, 1, 1], certainty=[0.9, 0.8, 0.1]), 4)
    0.6111
    """
    coverage, risk, _ = risk_coverage_curve(y_true, y_pred, certainty)
    widths = np.diff(np.r_[0.0, coverage])
    return float(np.sum(widths * risk * coverage))


def coverage_at_risk(y_true, y_pred, certainty, target_risk):
    """Largest share of rows that can be kept, most certain first, at an error rate <= ``target_risk``.

    Measured on the rows given (no guarantee on new rows; for that see
    :class:`~sklearn_gwin.risk_control.AbstentionController`). 0 when even
    the most certain rows err more often.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    certainty : array-like of float, shape (n_samples,)
        Certainty of each predicted label (higher: kept first).
    target_risk : float
        The error rate among the kept rows not to exceed, in [0, 1].

    Returns
    -------
    coverage : float
        Share of rows kept, in [0, 1]; rows of equal certainty are kept or
        left out together.

    See Also
    --------
    risk_coverage_curve : Risk at every coverage.

    Examples
    --------
    >>> from sklearn_gwin.metrics import coverage_at_risk
    >>> coverage_at_risk([0, 1, 1, 0], [0, 1, 0, 0], certainty=[0.9, 0.8, 0.3, 0.2], target_risk=0.0)
    0.5
    """
    coverage, risk, _ = risk_coverage_curve(y_true, y_pred, certainty)
    within = risk <= target_risk
    return float(coverage[within].max()) if within.any() else 0.0


def _gwin_details(estimator, X):
    """``predict_details`` of a GWIN, also when it ends a Pipeline."""
    if hasattr(estimator, "predict_details"):
        return estimator.predict_details(X)
    if hasattr(estimator, "steps") and hasattr(estimator[-1], "predict_details"):
        return estimator[-1].predict_details(estimator[:-1].transform(X))
    raise TypeError(
        f"A GWIN scorer needs a GWINClassifier, or a Pipeline ending in one; got "
        f"{type(estimator).__name__}."
    )


def make_gwin_scorer(metric="accuracy", *, rejection_cost=0.0, target_risk=None, regenerated=True):
    """A scorer ``scorer(estimator, X, y)`` for a fitted ``GWINClassifier``.

    Parameters
    ----------
    metric : str or callable, default="accuracy"
        "accuracy": over all rows, with rejected rows relabelled;
        "rejected_accuracy": on the rejected rows after regeneration;
        "accepted_accuracy": the classifier's accuracy on the kept rows (the
        paper's "w/ Reject"); "neg_aurc", "neg_augrc": minus :func:`aurc`,
        :func:`augrc` of the labels ranked by their certainty;
        "coverage_at_risk": :func:`coverage_at_risk` at ``target_risk``. A
        callable is called as ``metric(y_true, y_pred, rejected)``.
    rejection_cost : float, default=0.0
        Subtracted once per rejected (regenerated) row, as a share of rows:
        the score is ``metric - rejection_cost * rejected.mean()``.
    target_risk : float in (0, 1) or None, default=None
        Required by "coverage_at_risk".
    regenerated : bool, default=True
        For "neg_aurc", "neg_augrc" and "coverage_at_risk": rank the GWIN's
        final labels by their final certainty (after regeneration for the
        rejected rows); False ranks the classifier's own labels by its own
        certainty, the curve without regeneration.

    Returns
    -------
    scorer : callable
        Called as ``scorer(estimator, X, y)`` with a fitted
        ``GWINClassifier`` (or a Pipeline ending in one), it returns a
        float; usable as ``scoring=`` in ``GridSearchCV`` and
        ``cross_validate`` (greater is better). It raises a TypeError for
        any other estimator.

    Raises
    ------
    ValueError
        For an unknown metric, "coverage_at_risk" without ``target_risk``, or
        ``target_risk`` with another metric.

    See Also
    --------
    sklearn_gwin.GWINClassifier.predict_details : What the scorer reads.
    sklearn_gwin.GWINClassifierCV : Chooses ``tau`` by cross-validation.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_gwin import GWINClassifier
    >>> from sklearn_gwin.metrics import make_gwin_scorer
    >>> X, y = load_iris(return_X_y=True)
    >>> X_train, y_train, X_test, y_test = X[::3], y[::3], X[1::3], y[1::3]
    >>> gwin = GWINClassifier(LogisticRegression(max_iter=500), tau=0.7, n_iter=5,
    ...                       random_state=0).fit(X_train, y_train)
    >>> scorer = make_gwin_scorer("accepted_accuracy")
    >>> round(scorer(gwin, X_test, y_test), 3)
    0.976
    >>> costly = make_gwin_scorer("accuracy", rejection_cost=0.1)
    >>> bool(costly(gwin, X_test, y_test) < make_gwin_scorer("accuracy")(gwin, X_test, y_test))
    True
    >>> make_gwin_scorer("coverage_at_risk")
    Traceback (most recent call last):
    ...
    ValueError: metric="coverage_at_risk" needs target_risk, the error rate not to exceed.
    """
    if metric == "coverage_at_risk" and target_risk is None:
        raise ValueError('metric="coverage_at_risk" needs target_risk, the error rate not to exceed.')

    def ranked(y, d):
        return (y, d.labels, d.certainty) if regenerated else (y, d.labels_before, d.certainty_before)

    functions = {
        "accuracy": lambda y, d: float(np.mean(y == d.labels)),
        "rejected_accuracy": lambda y, d: rejected_accuracy(y, d.labels, d.rejected),
        "accepted_accuracy": lambda y, d: accepted_accuracy(y, d.labels_before, d.rejected),
        "neg_aurc": lambda y, d: -aurc(*ranked(y, d)),
        "neg_augrc": lambda y, d: -augrc(*ranked(y, d)),
        "coverage_at_risk": lambda y, d: coverage_at_risk(*ranked(y, d), target_risk),
    }
    if callable(metric):
        function = lambda y, d: metric(y, d.labels, d.rejected)  # noqa: E731
    elif metric in functions:
        function = functions[metric]
    else:
        raise ValueError(f"metric must be one of {sorted(functions)} or a callable, got {metric!r}.")
    if metric != "coverage_at_risk" and target_risk is not None:
        raise ValueError(f'target_risk is read by metric="coverage_at_risk" only; metric={metric!r} ignores it.')

    def scorer(estimator, X, y):
        details = _gwin_details(estimator, X)
        score = function(column_or_1d(y, warn=True), details)
        return score - rejection_cost * float(np.mean(details.rejected))

    return scorer
