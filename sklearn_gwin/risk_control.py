"""Abstention with a finite-sample risk guarantee, by Learn-Then-Test on calibration rows.

A classifier with a reject option answers the rows it is sure enough of and
abstains on the rest. :class:`AbstentionController` chooses how sure is sure
enough: the lowest certainty threshold at which, on held-out calibration
rows, a binomial test rejects "the error rate on the answered rows exceeds
``target_risk``" (Learn-Then-Test, Angelopoulos et al. 2021), the
thresholds tested in a fixed order from the most cautious down (fixed-sequence
testing), so that with probability at least ``confidence_level`` over the
calibration rows the chosen threshold's error rate on answered rows is at most
``target_risk``. Around a :class:`~sklearn_gwin.GWINClassifier` the rows below
the threshold are regenerated first, and only those whose certainty after
regeneration is still below it are abstained on: the GWIN answers more rows
at the same guaranteed risk where regeneration makes rows certain and right.
"""

import copy
import warnings
from numbers import Real

import numpy as np
from scipy.stats import binom
from sklearn.base import BaseEstimator, MetaEstimatorMixin
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ._differentiable import unwrap_frozen
from ._fitting import class_indices
from ._labelling import label_and_certainty

__all__ = ["AbstentionController", "answered_and_errors", "learn_then_test"]


def default_thresholds():
    """The thresholds tested, most cautious first: 0.01 steps, and finer steps near 1.

    Fixed before any data is seen, as fixed-sequence testing requires; the
    fine steps near 1 are where the certainty of a good neural net lies.
    """
    steps = np.concatenate([np.linspace(0.0, 1.0, 101), 1.0 - np.logspace(-4, -2, 21)])
    return np.unique(np.round(steps, 6))[::-1]


def learn_then_test(answered, errors, target_risk, confidence_level):
    """Learn-Then-Test with fixed-sequence testing over thresholds in a fixed order.

    Parameters
    ----------
    answered : ndarray of bool, shape (n_thresholds, n_samples)
        Which calibration rows each threshold answers, most cautious first.
    errors : ndarray of bool, shape (n_thresholds, n_samples)
        Which answered rows are answered wrongly.
    target_risk : float in (0, 1)
        The error rate on answered rows not to exceed (alpha).
    confidence_level : float in (0, 1)
        1 - delta: the probability, over the calibration rows, that the
        chosen threshold keeps the target.

    Returns
    -------
    p_values : ndarray of shape (n_thresholds,)
        ``P(Binomial(n_answered, target_risk) <= n_errors)``: how likely so few
        errors would be were the error rate ``target_risk``; NaN where too
        few calibration rows are answered to test (see Notes).
    valid : ndarray of bool, shape (n_thresholds,)
        The thresholds certified: those testable, before the first whose
        p-value exceeds ``1 - confidence_level``.

    See Also
    --------
    answered_and_errors : Builds ``answered`` and ``errors``.
    AbstentionController : Chooses a threshold with this test.

    Notes
    -----
    Conditional on the number of answered rows, their errors are binomial
    when the calibration rows are exchangeable with each other (i.i.d.), so
    each p-value is valid; testing in a fixed order and stopping at the
    first failure keeps the family-wise error at ``1 - confidence_level``
    without a correction for the number of thresholds. The most cautious
    thresholds answer few calibration rows (few are that certain): a test
    on them has little power, and one failure there would end the sequence
    before the thresholds that matter. So the sequence starts at the first
    threshold that answers at least twice the rows an error-free answer
    needs to pass (``(1 - target_risk) ** n <= 1 - confidence_level``); the
    ones before are neither certified nor failed. Answered sets are nested,
    so the start depends on the certainties alone, not on the errors;
    tests/test_risk_control.py checks by simulation that the error rate is
    kept in all but ``1 - confidence_level`` of calibration draws.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_gwin.risk_control import learn_then_test
    >>> rng = np.random.RandomState(0)
    >>> certainty = rng.rand(200)
    >>> correct = rng.rand(200) < 0.5 + 0.5 * certainty
    >>> thresholds = np.array([0.9, 0.8, 0.5, 0.2, 0.0])
    >>> answered = certainty[None, :] >= thresholds[:, None]
    >>> errors = answered & ~correct[None, :]
    >>> p_values, valid = learn_then_test(answered, errors, target_risk=0.2,
    ...                                   confidence_level=0.9)
    >>> p_values.round(3)  # the first answers too few rows to be tested
    array([  nan, 0.003, 0.006, 0.406, 0.984])
    >>> valid
    array([False,  True,  True, False, False])
    """
    n_answered = answered.sum(axis=1)
    n_errors = (errors & answered).sum(axis=1)
    fewest_passing = int(np.ceil(np.log(1.0 - confidence_level) / np.log1p(-target_risk)))
    testable = n_answered >= 2 * max(fewest_passing, 1)
    p_values = np.where(testable, binom.cdf(n_errors, np.maximum(n_answered, 1), target_risk), np.nan)
    failed = testable & (p_values > 1.0 - confidence_level)
    # fixed sequence: everything after the first failure is untested
    first_failure = int(np.argmax(failed)) if failed.any() else len(failed)
    valid = np.zeros(len(failed), dtype=bool)
    valid[:first_failure] = True
    return p_values, valid & testable


def answered_and_errors(thresholds, y, labels_before, certainty_before, labels_after=None, certainty_after=None):
    """Which rows each threshold answers, and which of those it answers wrongly.

    A row is answered as it is when its certainty reaches the threshold;
    with answers after regeneration (a GWIN), a row below it is regenerated
    and answered when its certainty after regeneration reaches it.

    Parameters
    ----------
    thresholds : array-like of float, shape (n_thresholds,)
        Certainty thresholds, in [0, 1].
    y : ndarray of shape (n_samples,)
        True labels.
    labels_before : ndarray of shape (n_samples,)
        The classifier's labels.
    certainty_before : ndarray of float, shape (n_samples,)
        Their certainty.
    labels_after : ndarray of shape (n_samples,) or None, default=None
        Labels after regeneration (a GWIN's ``predict_details(X).labels``
        with every row regenerated); None: no regeneration, rows below a
        threshold are not answered.
    certainty_after : ndarray of float, shape (n_samples,) or None, default=None
        Their certainty; required with ``labels_after``.

    Returns
    -------
    answered : ndarray of bool, shape (n_thresholds, n_samples)
        Whether each threshold (row) answers each sample (column).
    errors : ndarray of bool, shape (n_thresholds, n_samples)
        Whether it answers it wrongly; False where it does not answer.

    See Also
    --------
    learn_then_test : Tests each threshold on these masks.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_gwin.risk_control import answered_and_errors
    >>> y = np.array([0, 1, 1, 0])
    >>> labels, certainty = np.array([0, 1, 0, 0]), np.array([0.9, 0.8, 0.6, 0.3])
    >>> answered, errors = answered_and_errors([0.85, 0.5], y, labels, certainty)
    >>> answered
    array([[ True, False, False, False],
           [ True,  True,  True, False]])
    >>> errors
    array([[False, False, False, False],
           [False, False,  True, False]])

    With answers after regeneration, a row below a threshold is answered
    when its regenerated version reaches it:

    >>> answered, errors = answered_and_errors(
    ...     [0.85, 0.5], y, labels, certainty,
    ...     labels_after=np.array([0, 1, 1, 1]), certainty_after=np.array([0.9, 0.8, 0.95, 0.4]))
    >>> answered
    array([[ True, False,  True, False],
           [ True,  True,  True, False]])
    """
    grid = np.asarray(thresholds, dtype=float)[:, None]
    kept = certainty_before[None, :] >= grid
    if labels_after is not None:
        # around a GWIN, kept as they are: the rows its own rule (tau = the threshold) does not
        # reject, so that calibration and prediction answer the same rows (tau = 1 rejects all)
        kept &= grid < 1
    answered = kept.copy()
    errors = kept & (labels_before != y)[None, :]
    if labels_after is not None:
        repaired = ~kept & (certainty_after[None, :] >= grid)
        answered |= repaired
        errors |= repaired & (labels_after != y)[None, :]
    return answered, errors


class AbstentionController(MetaEstimatorMixin, BaseEstimator):
    """Answer the rows a fitted classifier (or GWIN) is sure of, at a guaranteed error rate.

    Fitted on held-out calibration rows (:meth:`fit` never refits the
    estimator), it chooses the lowest
    certainty threshold whose error rate on answered rows is at most
    ``target_risk`` with probability at least ``confidence_level``
    (Learn-Then-Test, see :func:`learn_then_test`). Around a plain
    classifier, a row is answered when its certainty (the probability the
    classifier gives its own label) reaches the threshold. Around a fitted
    :class:`~sklearn_gwin.GWINClassifier`, rows below the threshold are
    regenerated first (``tau`` = the threshold) and answered when their
    certainty after regeneration reaches it (``tau_abstain`` = the
    threshold); the rest are abstained on.

    The guarantee assumes that the calibration rows and the rows to answer
    are exchangeable (drawn from the same distribution, independently) and
    that the estimator was not fitted on the calibration rows. It is about
    the error rate over the rows answered, in expectation over new rows; it
    holds with probability ``confidence_level`` over the draw of the
    calibration rows. Bayesian nets draw fresh Monte Carlo samples at each
    call, which the guarantee treats as part of the rows' randomness.

    Parameters
    ----------
    estimator : fitted classifier with ``predict_proba``, or fitted GWINClassifier
        Never refitted.
    target_risk : float in (0, 1), default=0.01
        The error rate on answered rows not to exceed (alpha).
    confidence_level : float in (0, 1), default=0.95
        Probability, over the calibration rows, that the guarantee holds
        (1 - delta).
    thresholds : array-like of float in [0, 1] or None, default=None
        The thresholds tested, most cautious first (descending); None:
        0.01 steps from 1 to 0, with finer steps between 0.99 and 0.9999.
    abstain_label : object or None, default=None
        What :meth:`predict` returns for a row abstained on; None makes
        :meth:`predict` an error (use :meth:`predict_or_abstain`).

    Attributes
    ----------
    threshold_ : float
        The chosen threshold; ``inf`` (abstain on every row) when none is
        certified, with a warning.
    thresholds_ : ndarray
        The thresholds tested, in order.
    p_values_ : ndarray
        The binomial p-value of each threshold on the calibration rows.
    valid_ : ndarray of bool
        The thresholds certified.
    coverage_ : ndarray
        Share of calibration rows each threshold answers.
    risk_ : ndarray
        Error rate on the calibration rows each threshold answers (NaN
        where none).
    n_calibration_ : int

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_gwin.risk_control import AbstentionController
    >>> X, y = load_digits(return_X_y=True)
    >>> classifier = LogisticRegression(max_iter=2000).fit(X[:900], y[:900])
    >>> controller = AbstentionController(classifier, target_risk=0.05).fit(X[900:1400], y[900:1400])
    >>> labels, answered = controller.predict_or_abstain(X[1400:])
    >>> bool(answered.mean() > 0.5)
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["predict_proba"])],
        "target_risk": [Interval(Real, 0, 1, closed="neither")],
        "confidence_level": [Interval(Real, 0, 1, closed="neither")],
        "thresholds": ["array-like", None],
        "abstain_label": "no_validation",
    }

    def __init__(self, estimator, *, target_risk=0.01, confidence_level=0.95, thresholds=None,
                 abstain_label=None):
        self.estimator = estimator
        self.target_risk = target_risk
        self.confidence_level = confidence_level
        self.thresholds = thresholds
        self.abstain_label = abstain_label

    def _is_gwin(self):
        return hasattr(self.estimator, "predict_details") and hasattr(self.estimator, "tau_abstain")

    def _gwin_at(self, **params):
        # a copy with other inference parameters; a FrozenEstimator refuses set_params, its GWIN does not
        return copy.copy(unwrap_frozen(self.estimator)).set_params(**params)

    def _answers(self, X):
        """Labels and certainty before, and (for a GWIN) after regeneration of every row."""
        if self._is_gwin():
            gwin = self._gwin_at(tau=1.0, tau_abstain=None)
            details = gwin.predict_details(X)
            return details.labels_before, details.certainty_before, details.labels, details.certainty
        labels, certainty = label_and_certainty(self.estimator, X, "auto")
        return labels, certainty, None, None

    def fit(self, X, y):
        """Choose the threshold on calibration rows the estimator was not fitted on.

        The estimator is not refitted (as around a
        :class:`~sklearn.frozen.FrozenEstimator`): ``fit`` only calibrates.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, ...)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : AbstentionController

        Raises
        ------
        ValueError
            When ``thresholds`` is empty, leaves [0, 1] or rises,
            ``abstain_label`` is one of the estimator's ``classes_``, ``y``
            has labels outside them, or the GWIN has a custom ``rejection``.

        Warns
        -----
        UserWarning
            When no threshold is certified: ``threshold_`` is then ``inf``
            and every row is abstained on.
        """
        self._validate_params()
        check_is_fitted(self.estimator)
        self._check_abstain_label()
        if self._is_gwin() and unwrap_frozen(self.estimator).get_params().get("rejection") is not None:
            raise ValueError(
                "AbstentionController sets the GWIN's tau to the threshold it certifies, and a custom "
                "rejection ignores tau: the rows it answers would not be those it calibrated on. Use a "
                "GWIN with rejection=None."
            )
        if y is None:
            raise ValueError("AbstentionController.fit requires y, the calibration rows' labels.")
        y = column_or_1d(y)
        class_indices(y, np.asarray(unwrap_frozen(self.estimator).classes_), name="y")
        thresholds = default_thresholds() if self.thresholds is None else np.asarray(self.thresholds, float)
        if (thresholds.ndim != 1 or len(thresholds) == 0 or np.any(np.diff(thresholds) > 0)
                or not np.all((thresholds >= 0) & (thresholds <= 1))):
            raise ValueError("thresholds must be a non-empty 1-D sequence of values in [0, 1], most cautious "
                             "(highest) first.")
        labels_before, certainty_before, labels_after, certainty_after = self._answers(X)
        if len(y) != len(labels_before):
            raise ValueError(f"X has {len(labels_before)} rows and y has {len(y)}.")
        answered, errors = answered_and_errors(
            thresholds, y, labels_before, certainty_before, labels_after, certainty_after
        )
        p_values, valid = learn_then_test(answered, errors, self.target_risk, self.confidence_level)
        n_answered = answered.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.risk_ = np.where(n_answered > 0, errors.sum(axis=1) / n_answered, np.nan)
        self.coverage_ = n_answered / len(y)
        self.thresholds_, self.p_values_, self.valid_ = thresholds, p_values, valid
        self.n_calibration_ = len(y)
        if not valid.any():
            self.threshold_ = np.inf
            warnings.warn(
                f"No threshold answers any row at an error rate <= {self.target_risk} with confidence "
                f"{self.confidence_level} on these {len(y)} calibration rows: every row will be "
                "abstained on. More calibration rows or a larger target_risk can certify one.",
                UserWarning,
                stacklevel=2,
            )
        else:
            # the valid thresholds form a prefix of the sequence: its last is the lowest
            self.threshold_ = float(thresholds[np.flatnonzero(valid)[-1]])
        return self

    def predict_or_abstain(self, X):
        """Labels for every row, and which rows are answered.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            The classifier's (or GWIN's) label for every row, answered or not.
        answered : ndarray of bool, shape (n_samples,)
            False where the controller abstains.
        """
        check_is_fitted(self, "threshold_")
        if not self._is_gwin():
            labels, certainty = label_and_certainty(self.estimator, X, "auto")
            return labels, certainty >= self.threshold_
        if not np.isfinite(self.threshold_):  # none certified: abstain on every row
            labels = self._gwin_at(tau_abstain=None).predict(X)
            return labels, np.zeros(len(labels), dtype=bool)
        gwin = self._gwin_at(tau=self.threshold_, tau_abstain=self.threshold_)
        return gwin.predict_or_abstain(X)

    def _check_abstain_label(self):
        if any(_same_label(self.abstain_label, label) for label in self.estimator.classes_):
            raise ValueError(
                f"abstain_label={np.asarray(self.abstain_label).tolist()!r} is one of the classifier's "
                f"classes {np.asarray(self.estimator.classes_).tolist()[:20]}: an abstention could not be "
                "told from that label. Choose a value outside classes_ (a string such as 'abstain', or a "
                "number no class uses)."
            )

    def predict(self, X):
        """Labels, with ``abstain_label`` where the controller abstains.

        Raises
        ------
        ValueError
            When ``abstain_label`` is None or one of ``classes_``.
        """
        if self.abstain_label is None:
            raise ValueError(
                "predict needs an abstain_label to return for the rows abstained on; set one, "
                "or use predict_or_abstain, which returns the labels and a mask of answered rows."
            )
        self._check_abstain_label()
        labels, answered = self.predict_or_abstain(X)
        abstain = np.asarray([self.abstain_label])
        # a label of another kind than the classes (-1 among strings) makes an object array,
        # rather than numpy turning it into the string "-1"
        same_kind = abstain.dtype.kind == labels.dtype.kind or {abstain.dtype.kind, labels.dtype.kind} <= set("iu")
        out = labels.astype(np.result_type(labels, abstain) if same_kind else object)
        out[~answered] = self.abstain_label
        return out


def _same_label(a, b):
    # numpy scalars and Python values alike; a string never equals a number
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False
