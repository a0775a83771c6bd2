"""GWINClassifierCV: cross-validated choice of tau from one fit per fold."""

import copy
import inspect
import warnings
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.model_selection import check_cv, train_test_split
from sklearn.utils._param_validation import (
    HasMethods, Interval, InvalidParameterError, StrOptions, validate_parameter_constraints,
)
from sklearn.utils import _safe_indexing
from sklearn.utils import check_random_state
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted, column_or_1d, indexable

from ._cross_fitting import cross_fitted_details
from ._gwin import GWINClassifier
from ._input_view import as_input
from ._labelling import answers_on
from ._seeding import derive_seed
from ._tau_choice import choose_tau, regeneration_evidence
from .certainty import threshold_rejection
from .exceptions import NoRegenerationWarning

_METRICS = {"accuracy": accuracy_score, "balanced_accuracy": balanced_accuracy_score}
DEFAULT_TAUS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def _tau_decisions(gwin, X_valid):
    """Labels before and after regeneration for every row, and the certainties.

    One classifier pass and one regeneration of every row are enough to know
    the GWIN's answer at any tau: a row rejected at tau takes its "after"
    label. ``gwin`` is the fold's own clone, so setting its tau is harmless.
    """
    details = gwin.set_params(tau=1.0).predict_details(X_valid)
    return details.labels_before, details.labels, details.certainty_before


def _rows_kept(train, y, n_drop, seed):
    """``train`` less ``n_drop`` of its rows, stratified by class; no class loses its last row.

    Where stratifying cannot (a class with a single row, fewer dropped rows
    than classes), the rows dropped are drawn among those of classes that
    keep at least one; ``n_drop`` is then capped at what they can spare.
    """
    try:
        kept, _ = train_test_split(train, test_size=n_drop, stratify=y[train], random_state=seed)
        return np.sort(kept)
    except ValueError:
        pass
    order = check_random_state(seed).permutation(len(train))
    # a row may go if an earlier row of its class (in the random order) stays: each class keeps its first
    first_of_class = np.zeros(len(train), dtype=bool)
    first_of_class[np.unique(y[train][order], return_index=True)[1]] = True
    may_go = order[~first_of_class]
    return np.sort(np.setdiff1d(train, train[may_go[:n_drop]]))


def _labels_with_fewer_rows(gwin, X, y, train, X_valid, seed):
    """The held-out labels of the fold's classifier refitted on fewer rows, and how much to scale what they cost.

    The final refit trains on ``len(y)`` rows, the fold's classifier on
    ``len(train)``: ``n_extra`` fewer. A clone fitted on ``ceil(n_extra /
    scale)`` fewer rows still (``scale`` the smallest integer that leaves it
    at least half of ``train``) shows what rows are worth at this size.
    Learning curves flatten as rows are added, so ``scale`` times what the
    fewer rows lose over-estimates what the refit's extra rows gain: the
    test that subtracts it errs towards "never". ``(None, 1)`` when there is
    no gap: a ``FrozenEstimator`` (clone returns it as it is), or no extra
    rows; and, with a warning, when the classifier cannot be fitted on fewer
    rows.
    """
    classifier = gwin.estimator_
    unfitted = clone(classifier)
    n_extra = len(y) - len(train)
    if n_extra <= 0 or unfitted is classifier:
        return None, 1
    scale = -(-2 * n_extra // len(train))
    kept = _rows_kept(train, y, -(-n_extra // scale), seed)
    # the rows as the fold's classifier got them: the fitted GWIN's own input checks and conversion
    rows = gwin._validate(_safe_indexing(X, kept))
    try:
        smaller = unfitted.fit(rows, y[kept])
        # predicting can fail too where the fewer rows lack what held-out rows have (a category)
        return answers_on(smaller, gwin._validate(X_valid), gwin.certainty, with_proba=False).labels, scale
    except ValueError as error:
        warnings.warn(
            f"GWINClassifierCV could not fit the classifier on {len(kept)} of a fold's {len(train)} rows, or "
            f"label the held-out rows with it, to estimate what the refit gains ({error}); this fold's test "
            "counts no refit gain.",
            UserWarning, stacklevel=4,
        )
        return None, 1


def _as_indices(rows, n_samples):
    # cv pairs may be boolean masks, as _safe_indexing takes them; the counts below need indices
    rows = np.asarray(rows)
    return np.flatnonzero(rows) if rows.dtype == bool and len(rows) == n_samples else rows.astype(int)


def _check_each_row_held_out_once(splits, n_samples):
    # the paired test counts each held-out row once: a row validated twice (repeated or
    # shuffled splits) would count twice and make noise look significant
    times = np.bincount(np.concatenate([valid for _, valid in splits]), minlength=n_samples)
    if times.max() > 1:
        raise ValueError(
            "cv holds some rows out more than once (repeated or overlapping validation sets); the test behind "
            "alpha needs each row held out at most once. Use non-overlapping folds (KFold, StratifiedKFold, "
            "PredefinedSplit), or alpha=None to choose tau by the mean score alone."
        )


class GWINClassifierCV(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Choose tau on held-out rows, regenerating only where that is shown to help.

    In the spirit of scikit-learn's ``TunedThresholdClassifierCV``: each fold
    fits the GWIN on its training part, then scores every tau on its
    validation part from a single regeneration of the validation rows. tau = 0
    (the classifier's own labels, nothing regenerated) is always a candidate.
    With ``alpha`` set (the default), a tau > 0 is chosen only if, on the
    pooled held-out rows it rejects, regeneration fixed significantly more
    labels than it broke, beyond what the classifier refitted on all rows is
    estimated to get right that the fold classifiers did not
    (``correct_for_refit``), by a one-sided paired test Bonferroni-corrected
    over the distinct tests the taus make, and it scores above tau = 0;
    otherwise the decision is "never" and a :class:`NoRegenerationWarning`
    says so. The GWIN is finally
    refitted on all rows with the chosen tau. With ``ensemble=True`` (the
    default) its classifier decides and rejects, and the rows it rejects are
    relabelled by the fold GWINs the test judged (cross-fitting), not by the
    refitted generator, which no test has seen.

    Parameters
    ----------
    estimator : GWINClassifier, default=None
        The GWIN to tune (its ``tau`` is ignored, its ``rejection`` must be
        None). None: ``GWINClassifier()``.
    taus : array-like of float in [0, 1], default=(0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
        Candidate thresholds; 0.0 is added when missing.
    cv : int, cross-validation generator or iterable, default=5
        As in scikit-learn; an int gives stratified folds. For one held-out
        set, pass ``PredefinedSplit`` or ``[(train_indices, valid_indices)]``.
        With ``alpha`` set, no row may be held out twice (no repeated or
        shuffle splits).
    scoring : {"accuracy", "balanced_accuracy"} or callable, default="accuracy"
        A callable is called as ``scoring(y_true, y_pred, rejected)`` on every
        held-out row of a fold and must return a finite number: a metric of
        the rejected rows alone is undefined where none is, as at tau = 0.
    rejection_cost : float, default=0.0
        Price of one regenerated row, as a share of the score:
        ``score - rejection_cost * rejected.mean()``.
    alpha : float in (0, 1) or None, default=0.05
        Family-wise significance level of the test that must favour
        regenerating before any tau > 0 is chosen. The test is on per-row
        correctness (accuracy), whatever ``scoring`` and ``rejection_cost``;
        those only rank the taus that pass it. None: the tau with the best
        mean score, without a test (it may regenerate on noise).
    refit : bool, default=True
        Refit the GWIN on all rows with the chosen tau. Needed to predict:
        the refitted classifier labels the rows and its rejection (at
        ``best_estimator_.tau``, which fit sets to ``best_tau_``) picks those
        to relabel. False keeps neither it nor the fold GWINs.
    ensemble : bool, default=True
        True: a rejected row is regenerated by each fold's GWIN
        (``estimators_``, each by its own ``n_regen``, ``pool_input`` and
        ``certainty``), and its label is the one they give together: the
        argmax of their mean probability, or their majority for a
        classifier that does not decide by argmax (a decision threshold, a
        Bayesian net); its certainty is the folds' mean certainty, a fold
        that gives another label counting 0. Each rejected row is then
        regenerated once per fold. False: the refitted GWIN's own generator
        relabels it. Read at predict time, so it can be switched after fit.
        Rows not rejected keep the refitted classifier's answers either way.
    correct_for_refit : bool, default=True
        Count, in the test behind ``alpha``, the rows the refitted classifier
        is estimated to get right beyond each fold's classifier (it trains on
        ``n_samples`` rows, a fold's on fewer), so that regeneration must beat
        the classifier the model predicts beside, not a weaker one. Each
        fold's classifier is cloned and fitted once more, on its rows less as
        many as the refit has more (where that would leave it less than half
        of them, as with ``cv=2``, less a fraction 1/s of the refit's extra
        rows, the cost counted s times), and what that costs it on the
        rejected held-out rows is the estimate; learning curves flatten, so
        it errs high and the test towards "never". Costs one classifier fit
        per fold (none for a ``FrozenEstimator``, whose refit is the fold's
        classifier). The test is then Fisher's sign-flip test on each row's
        fixed (+1) or broken (-1) minus its estimated gain, its p-value
        never below the plain test's. False: the exact one-sided McNemar
        test against the fold classifiers' labels.
        Unused with ``alpha=None`` (no test).

    Attributes
    ----------
    best_tau_ : float
        The chosen tau; 0.0 when the decision is "never".
    best_score_ : float
        Mean validation score at ``best_tau_``.
    decision_ : {"regenerate", "never"}
        "regenerate" when a tau > 0 was chosen; "never" when the model keeps
        the classifier's own labels on every row.
    pvalue_ : float
        Bonferroni-adjusted p-value of the chosen tau; for "never", the
        smallest one among the taus > 0 (the strongest evidence found).
    cv_results_ : dict of ndarray of shape (n_taus,)
        One entry per candidate tau (``taus`` with 0.0 added, sorted, without
        duplicates): ``tau``, ``mean_test_score``, ``std_test_score``,
        ``mean_rejected_fraction``, ``n_fixed`` and ``n_broken`` (held-out
        rejected rows whose label regeneration made right, or wrong, against
        the fold classifiers), ``n_refit_gain`` (of those rows, how many more
        the refitted classifier is estimated to get right, net; negative where
        the classifier fitted on fewer rows happened to do better there; 0
        without ``correct_for_refit`` or ``alpha``, and around a
        ``FrozenEstimator``),
        ``pvalue`` (raw), ``pvalue_adjusted`` and ``split{k}_test_score``.
    best_estimator_ : GWINClassifier
        Refitted on all rows with ``tau=best_tau_``. Only with ``refit=True``.
    estimators_ : list of GWINClassifier
        The GWIN fitted on each fold's training part, in the order of the
        splits, kept to relabel rejected rows (``ensemble=True``): a fitted
        search holds ``n_splits + 1`` generators. Only with ``refit=True``.
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
        As the refitted GWIN's. Only with ``refit=True``.
    feature_names_in_ : ndarray of str
        As the refitted GWIN's, when ``X`` had string column names. Only
        with ``refit=True``.

    Warns
    -----
    NoRegenerationWarning
        At ``fit``, when the decision is "never" and some tau > 0 was a
        candidate: the model keeps the classifier's labels. The message says
        whether the test failed or the score did not beat tau = 0.

    See Also
    --------
    GWINClassifier : the GWIN at a fixed tau.
    sklearn.model_selection.TunedThresholdClassifierCV : the same idea for a
        binary decision threshold.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_gwin import GWINClassifier, GWINClassifierCV
    >>> X, y = load_iris(return_X_y=True)
    >>> gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9,
    ...                       n_iter=10, random_state=0)
    >>> search = GWINClassifierCV(gwin, taus=[0.5, 0.9], cv=3).fit(X, y)
    >>> search.cv_results_["tau"]
    array([0. , 0.5, 0.9])
    >>> search.decision_, search.best_tau_
    ('never', 0.0)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_details"]), None],
        "taus": ["array-like"],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(_METRICS)), callable],
        "rejection_cost": [Interval(Real, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="neither"), None],
        "refit": ["boolean"],
        "ensemble": ["boolean"],
        "correct_for_refit": ["boolean"],
    }

    def __init__(
        self, estimator=None, *, taus=DEFAULT_TAUS, cv=5, scoring="accuracy", rejection_cost=0.0, alpha=0.05,
        refit=True, ensemble=True, correct_for_refit=True,
    ):
        self.estimator = estimator
        self.taus = taus
        self.cv = cv
        self.scoring = scoring
        self.rejection_cost = rejection_cost
        self.alpha = alpha
        self.refit = refit
        self.ensemble = ensemble
        self.correct_for_refit = correct_for_refit

    def _score(self, y_true, y_pred, rejected, tau):
        if callable(self.scoring):
            score = self.scoring(y_true, y_pred, rejected)
        else:
            score = _METRICS[self.scoring](y_true, y_pred)
        if not np.isfinite(score):
            # a NaN would lose every comparison: tau=0 would win, or lose, silently
            raise ValueError(
                f"scoring={self.scoring!r} returned {score} at tau={tau:g}, where {int(np.sum(rejected))} of "
                f"{len(rejected)} held-out rows are rejected. Each tau is scored on every held-out row: a "
                "metric of the rejected rows alone (rejected_accuracy) is undefined where none is rejected, "
                "as at tau=0, and compares other rows at each tau. Score all rows, e.g. "
                "lambda y_true, y_pred, rejected: balanced_accuracy_score(y_true, y_pred)."
            )
        return score - self.rejection_cost * float(np.mean(rejected))

    def _check_scoring(self):
        # checked before the folds' fits, which a callable of the wrong kind would fail after
        if not callable(self.scoring):
            return
        try:
            signature = inspect.signature(self.scoring)
        except (TypeError, ValueError):  # no signature to read (some builtins)
            return
        first = next(iter(signature.parameters), None)
        try:
            signature.bind(None, None, None)
            takes_three = True
        except TypeError:
            takes_three = False
        if first in ("estimator", "model", "clf", "classifier") or not takes_three:
            kind = ("looks like a scorer, called as scorer(estimator, X, y) (make_scorer, make_gwin_scorer)"
                    if first in ("estimator", "model", "clf", "classifier") else
                    "cannot be called with three positional arguments")
            raise TypeError(
                f"scoring={self.scoring!r} {kind}; GWINClassifierCV scores each fold's labels at every "
                "tau from one regeneration, and calls scoring(y_true, y_pred, rejected), a metric of "
                "every held-out row (wrap a scikit-learn metric: lambda y_true, y_pred, rejected: "
                "balanced_accuracy_score(y_true, y_pred)). To rank fitted GWINs with a scorer, use "
                "GridSearchCV over tau with memory= instead."
            )

    def _candidate_taus(self):
        taus = np.asarray(self.taus, dtype=float)
        if taus.ndim != 1 or len(taus) == 0 or not np.all((taus >= 0) & (taus <= 1)):
            raise ValueError(f"taus must be a non-empty 1-D list of values in [0, 1], got {self.taus!r}.")
        return np.unique(np.append(taus, 0.0))

    def _validate_params(self):
        # a classifier passed where its GWIN belongs is the likely first try: say how to wrap it
        estimator = self.estimator
        if (estimator is not None and not hasattr(estimator, "predict_details")
                and hasattr(estimator, "predict_proba")):
            raise InvalidParameterError(
                f"The 'estimator' parameter of GWINClassifierCV must be a GWIN (an object implementing 'fit' "
                f"and 'predict_details') or None, got the classifier {estimator!r}. Wrap it: "
                f"GWINClassifierCV(GWINClassifier({type(estimator).__name__}(...)))."
            )
        super()._validate_params()

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, groups=None, **fit_params):
        """Score every tau on held-out rows, decide, then refit with the chosen tau.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W)
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,) or None, default=None
            Group labels for a group splitter (``GroupKFold``), as in
            scikit-learn's searches; passed to ``cv.split`` only.
        **fit_params : dict
            Passed to every fit of the GWIN, e.g. the held-out ``X_val`` and
            ``y_val`` of ``augmentation="auto"`` (the same rows for every fold).

        Returns
        -------
        self : GWINClassifierCV

        Raises
        ------
        ValueError
            If the GWIN has a custom ``rejection``, ``taus`` leaves [0, 1],
            ``y`` is None, or (with ``alpha`` set) ``cv`` holds a row out more
            than once.
        TypeError
            If ``scoring`` is a scorer, called as ``scorer(estimator, X, y)``,
            or cannot take three positional arguments, instead of a metric
            ``scoring(y_true, y_pred, rejected)``.
        """
        estimator = GWINClassifier() if self.estimator is None else self.estimator
        if estimator.get_params().get("rejection") is not None:
            raise ValueError("GWINClassifierCV tunes the tau-threshold: the GWIN's rejection must be None.")
        taus = self._candidate_taus()
        self._check_scoring()
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        # checked on all rows before any fold trains: a bad row held out by the last fold would
        # otherwise fail only at its predict, after every earlier fold's GAN was trained
        X = as_input(X, allow_nan=get_tags(estimator).input_tags.allow_nan)
        X, y = indexable(X, y)
        # a column vector as scikit-learn takes it: unflattened, comparing it with labels broadcasts
        y = column_or_1d(y, warn=True)
        splits = [(_as_indices(train, len(y)), _as_indices(valid, len(y)))
                  for train, valid in check_cv(self.cv, y, classifier=True).split(X, y, groups)]
        if self.alpha is not None:
            _check_each_row_held_out_once(splits, len(y))
        # a copy: drawing a seed from the user's RandomState would change what the fits after it draw
        seed = derive_seed(copy.deepcopy(estimator.get_params().get("random_state")))
        scores, rejected_share, held_out, fold_gwins, gain_counted = [], [], [], [], False
        for fold, (train, valid) in enumerate(splits):
            gwin = clone(estimator).fit(_safe_indexing(X, train), y[train], **fit_params)
            vars(gwin).pop("_training_state", None)  # a fold GWIN is never trained further
            fold_gwins.append(gwin)
            X_valid = _safe_indexing(X, valid)
            before, after, certainty = _tau_decisions(gwin, X_valid)
            fewer, scale = None, 1
            # the gain only feeds the test, and needs the GWIN's own classifier
            if self.correct_for_refit and self.alpha is not None and hasattr(gwin, "estimator_"):
                fewer, scale = _labels_with_fewer_rows(
                    gwin, X, y, train, X_valid, None if seed is None else (seed + fold) % 2**32
                )
            gain_counted = gain_counted or fewer is not None
            held_out.append((y[valid], before, after, certainty, before if fewer is None else fewer,
                             np.full(len(valid), scale)))
            fold_scores, fold_rejected = [], []
            for tau in taus:
                rejected = threshold_rejection(certainty, before, tau)
                predicted = np.where(rejected, after, before)
                fold_scores.append(self._score(y[valid], predicted, rejected, tau))
                fold_rejected.append(rejected.mean())
            scores.append(fold_scores)
            rejected_share.append(fold_rejected)
        scores, rejected_share = np.asarray(scores), np.asarray(rejected_share)
        y_pooled, before, after, certainty, fewer, scale = (np.concatenate(part) for part in zip(*held_out))
        n_fixed, n_broken, p_value, n_changed, refit_gain = regeneration_evidence(
            y_pooled, before, after, certainty, taus, labels_fewer_rows=fewer, gap_scale=scale
        )
        mean_scores = scores.mean(axis=0)
        best, adjusted = choose_tau(taus, mean_scores, p_value, n_changed, self.alpha)
        self.cv_results_ = {
            "tau": taus,
            "mean_test_score": mean_scores,
            "std_test_score": scores.std(axis=0),
            "mean_rejected_fraction": rejected_share.mean(axis=0),
            "n_fixed": n_fixed,
            "n_broken": n_broken,
            "n_refit_gain": refit_gain,
            "pvalue": p_value,
            "pvalue_adjusted": adjusted,
            **{f"split{k}_test_score": fold for k, fold in enumerate(scores)},
        }
        self.best_tau_ = float(taus[best])
        self.best_score_ = float(mean_scores[best])
        self.decision_ = "regenerate" if self.best_tau_ > 0 else "never"
        self.pvalue_ = float(adjusted[best]) if self.best_tau_ > 0 else float(np.nanmin(adjusted, initial=1.0))
        if self.decision_ == "never":
            self._warn_never(taus, mean_scores, n_fixed, n_broken, refit_gain if gain_counted else None, adjusted)
        vars(self).pop("estimators_", None)  # an earlier fit's
        if self.refit:
            self.best_estimator_ = clone(estimator).set_params(tau=self.best_tau_).fit(X, y, **fit_params)
            self.estimators_ = fold_gwins
            self.classes_ = self.best_estimator_.classes_
            for name in ("n_features_in_", "feature_names_in_"):  # as scikit-learn's searches expose them
                if hasattr(self.best_estimator_, name):
                    setattr(self, name, getattr(self.best_estimator_, name))
        else:
            self.classes_ = np.unique(y)
        return self

    def _warn_never(self, taus, mean_scores, n_fixed, n_broken, refit_gain, adjusted):
        tested = np.flatnonzero(taus > 0)
        if len(tested) == 0:
            return
        # the smallest adjusted p-value; among equal ones (all 1 where nothing comes close), the tau
        # with the most rows won net, then the most rows changed, not a tau that rejected nothing
        net = n_fixed - n_broken - (0 if refit_gain is None else refit_gain)
        p_order = np.where(np.isnan(adjusted), np.inf, adjusted)
        strongest = tested[np.lexsort((-(n_fixed + n_broken)[tested], -net[tested], p_order[tested]))[0]]
        if self.alpha is None:
            reason = "no tau scored above the classifier alone"
        elif adjusted[strongest] <= self.alpha:
            reason = (f"where regeneration fixed significantly more held-out rows than it broke (alpha={self.alpha}), "
                      "the score (with its rejection cost) was no better than the classifier alone")
        else:
            reason = (f"at no tau did regeneration fix significantly more held-out rows than it broke "
                      f"{'' if refit_gain is None else 'plus what the refitted classifier is estimated to gain '}"
                      f"(alpha={self.alpha})")
        warnings.warn(
            f"GWINClassifierCV decided never to regenerate: {reason}. Strongest evidence, tau={taus[strongest]:g}: "
            f"{n_fixed[strongest]} fixed, {n_broken[strongest]} broken, "
            f"{'' if refit_gain is None else f'refit gain {refit_gain[strongest]}, '}"
            f"adjusted p={adjusted[strongest]:.3g}, "
            f"score {mean_scores[strongest]:.4f} against {mean_scores[taus == 0][0]:.4f} for the classifier alone. "
            "The model predicts the classifier's own labels (best_tau_=0).",
            NoRegenerationWarning,
            stacklevel=4,
        )

    def __setstate__(self, state):
        super().__setstate__(state)
        if "ensemble" not in state:  # pickled before cross-fitting, when the refitted GWIN relabelled alone
            self.ensemble = False
        if "correct_for_refit" not in state:  # fitted before the test counted the refit's gain
            self.correct_for_refit = False

    def _check_refitted(self):
        check_is_fitted(self, "best_tau_")
        if not self.refit:
            raise AttributeError("refit=False: fit kept no estimator to predict with.")
        # read at predict time, so checked here too (set_params may have changed it since fit)
        validate_parameter_constraints({"ensemble": self._parameter_constraints["ensemble"]},
                                       {"ensemble": self.ensemble}, caller_name=type(self).__name__)

    def _answer(self, X, method, key=None):
        """The refitted GWIN's ``method`` on X, or (``ensemble=True``) the cross-fitted details' ``key``."""
        self._check_refitted()
        if not self.ensemble:
            return getattr(self.best_estimator_, method)(X)
        details = cross_fitted_details(self.best_estimator_, self.estimators_, X, with_proba=key != "labels")
        return details if key is None else details[key]

    def predict(self, X):
        """Labels: the refitted classifier's, and regenerated ones on the rows it rejects.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Rows not rejected (at ``best_estimator_.tau``, which fit sets to
            ``best_tau_``) get exactly the refitted classifier's label;
            rejected rows the fold GWINs' label (``ensemble=True``) or the
            refitted GWIN's (``ensemble=False``).

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before ``fit``.
        AttributeError
            With ``refit=False``.
        ValueError
            As :meth:`GWINClassifier.predict`, or when ``ensemble`` was set
            to something other than a bool.
        """
        return self._answer(X, "predict", "labels")

    def predict_or_abstain(self, X):
        """Labels for every row, and which rows are answered (``best_estimator_.tau_abstain``).

        As :meth:`GWINClassifier.predict_or_abstain`: a row is answered when
        it is not rejected, or when its certainty after regeneration reaches
        ``tau_abstain`` (with ``ensemble=True``, the fold GWINs' mean
        certainty, a fold that gives another label counting 0). With
        ``tau_abstain=None``, the default, every row is answered.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            As :meth:`predict`, for every row, answered or not.
        answered : ndarray of bool, shape (n_samples,)
            False for the rows abstained on.

        Raises
        ------
        sklearn.exceptions.NotFittedError, AttributeError, ValueError
            As :meth:`predict`.
        """
        self._check_refitted()
        if not self.ensemble:
            return self.best_estimator_.predict_or_abstain(X)
        details = cross_fitted_details(self.best_estimator_, self.estimators_, X, with_proba=False)
        return details.labels, details.answered

    def predict_proba(self, X):
        """Probabilities: the refitted classifier's own, and regenerated ones on the rows it rejects.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took.

        Returns
        -------
        proba : ndarray of float, shape (n_samples, n_classes)
            Columns in the order of ``classes_``. Rows not rejected get
            exactly the classifier's ``predict_proba`` row; rejected rows
            the mean over the fold GWINs of their probabilities after
            regeneration (``ensemble=True``), or the refitted GWIN's.

        Raises
        ------
        sklearn.exceptions.NotFittedError, AttributeError, ValueError
            As :meth:`predict`.
        """
        return self._answer(X, "predict_proba", "proba")

    def predict_details(self, X):
        """Everything about each decision, as :meth:`GWINClassifier.predict_details`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took.

        Returns
        -------
        details : sklearn.utils.Bunch
            The entries of :meth:`GWINClassifier.predict_details`. With
            ``ensemble=True``, a rejected row's ``certainty`` is the fold
            GWINs' mean certainty, a fold that gives another label counting
            0 (so ``tau_abstain`` abstains where they disagree), and there is
            no ``X_regenerated``: each fold GWIN regenerates the rejected rows
            its own way (``estimators_[k].regenerate``).

        Raises
        ------
        sklearn.exceptions.NotFittedError, AttributeError, ValueError
            As :meth:`predict`.
        """
        return self._answer(X, "predict_details")
