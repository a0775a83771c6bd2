import warnings

import numpy as np
import pytest
from conftest import FAST_GAN
from sklearn.base import clone
from sklearn.datasets import make_moons
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from sklearn_gwin import GWINClassifier, GWINClassifierCV
from sklearn_gwin.exceptions import NoRegenerationWarning


def test_chooses_tau_with_one_fit_per_fold(iris, monkeypatch):
    X, y = iris
    fits = []
    original_fit = GWINClassifier.fit

    def counting_fit(self, X, y):
        fits.append(len(X))
        return original_fit(self, X, y)

    monkeypatch.setattr(GWINClassifier, "fit", counting_fit)
    taus = [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN)
    search = GWINClassifierCV(gwin, taus=taus, cv=3, alpha=None).fit(X, y)
    # three folds and one refit, for eight taus
    assert fits == [100, 100, 100, 150]
    assert search.best_tau_ in taus
    assert search.best_estimator_.tau == search.best_tau_
    assert search.cv_results_["mean_test_score"].shape == (8,)
    rejected = search.cv_results_["mean_rejected_fraction"]
    assert rejected[0] == 0 and rejected[-1] == 1 and np.all(np.diff(rejected) >= 0)
    # rows the refit does not reject keep its classifier's labels
    kept = ~search.best_estimator_.reject(X)
    np.testing.assert_array_equal(search.predict(X)[kept], search.best_estimator_.estimator_.predict(X[kept]))


def test_scores_match_a_gwin_at_each_tau(iris):
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN)
    folds = list(StratifiedKFold(2).split(X, y))
    search = GWINClassifierCV(gwin, taus=[0.5, 0.9], cv=folds, alpha=None, refit=False).fit(X, y)
    # tau = 0, the classifier alone, is always a candidate
    np.testing.assert_array_equal(search.cv_results_["tau"], [0.0, 0.5, 0.9])
    for k, (train, valid) in enumerate(folds):
        fitted = clone(gwin).fit(X[train], y[train])
        for i, tau in enumerate([0.0, 0.5, 0.9]):
            expected = fitted.set_params(tau=tau).score(X[valid], y[valid])
            assert search.cv_results_[f"split{k}_test_score"][i] == pytest.approx(expected)
    with pytest.raises(AttributeError, match="refit=False"):
        search.predict(X)


def test_rejection_cost_prices_regenerated_rows(iris):
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN)
    search = GWINClassifierCV(gwin, taus=[0.0, 1.0], cv=2, rejection_cost=2.0, alpha=None, refit=False).fit(X, y)
    assert search.best_tau_ == 0.0


def test_custom_rejection_is_refused(iris):
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(), rejection=lambda c, labels: c < 0.5, **FAST_GAN)
    with pytest.raises(ValueError, match="rejection must be None"):
        GWINClassifierCV(gwin).fit(X, y)


def test_fit_params_reach_every_fit(digits_images, monkeypatch):
    # augmentation="auto" needs held-out rows in each fold's fit and in the refit
    X, y = digits_images
    X = X.reshape(len(X), -1)
    seen = []
    original_fit = GWINClassifier.fit

    def recording_fit(self, X, y, **params):
        seen.append(len(params["X_val"]))
        return original_fit(self, X, y, **params)

    monkeypatch.setattr(GWINClassifier, "fit", recording_fit)
    gwin = GWINClassifier(LogisticRegression(max_iter=300), tau_star=0.5, image_shape=(1, 8, 8), **FAST_GAN)
    search = GWINClassifierCV(gwin, taus=[0.5, 0.9], cv=2, alpha=None).fit(X[:200], y[:200], X_val=X[200:260], y_val=y[200:260])
    assert seen == [60, 60, 60]
    assert search.best_estimator_.augmentation_choice_["n_validation"] == 60


def test_regenerates_where_it_helps():
    # two moons and a heavily regularised linear model: most rows are uncertain, and
    # the generator learns the moons' shape that the linear boundary cannot draw
    X, y = make_moons(600, noise=0.2, random_state=0)
    gwin = GWINClassifier(LogisticRegression(C=0.05), tau_star=0.8, n_iter=300, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoRegenerationWarning)
        search = GWINClassifierCV(gwin, cv=3, refit=False).fit(X, y)
    assert search.decision_ == "regenerate"
    results = search.cv_results_
    chosen = results["tau"] == search.best_tau_
    assert search.best_tau_ > 0 and search.pvalue_ == results["pvalue_adjusted"][chosen][0] <= 0.05
    assert results["n_fixed"][chosen] > results["n_broken"][chosen]
    assert search.best_score_ > results["mean_test_score"][results["tau"] == 0]

    # the same evidence, but each regenerated row priced above what it gains: never, and the warning says why
    with pytest.warns(NoRegenerationWarning, match="no better than the classifier alone"):
        priced = GWINClassifierCV(gwin, cv=3, rejection_cost=1.0, refit=False).fit(X, y)
    assert priced.decision_ == "never" and priced.pvalue_ <= 0.05


def test_a_refit_estimated_to_gain_more_than_regeneration_means_never(monkeypatch):
    # the moons of the test above, where regeneration wins against the fold classifiers; now the
    # classifiers fitted on fewer rows are wrong everywhere, so the refit is estimated to get right
    # every held-out row its fold classifier gets right, and regeneration beats none of that
    import sklearn_gwin._cv as cv_module

    def wrong_everywhere(gwin, X, y, train, X_valid, seed):
        return np.full(len(X_valid), -1), 1

    monkeypatch.setattr(cv_module, "_labels_with_fewer_rows", wrong_everywhere)
    X, y = make_moons(600, noise=0.2, random_state=0)
    gwin = GWINClassifier(LogisticRegression(C=0.05), tau_star=0.8, n_iter=300, random_state=0)
    with pytest.warns(NoRegenerationWarning, match=r"plus what the refitted classifier .* refit gain"):
        search = GWINClassifierCV(gwin, cv=3, refit=False).fit(X, y)
    assert search.decision_ == "never"
    results = search.cv_results_
    assert np.all(results["n_refit_gain"] >= results["n_fixed"] - results["n_broken"])
    assert np.nanmin(results["pvalue_adjusted"]) > 0.05
    # the same fit without the correction regenerates: the fold classifiers' labels alone are beaten
    plain = GWINClassifierCV(gwin, cv=3, refit=False, correct_for_refit=False).fit(X, y)
    assert plain.decision_ == "regenerate"
    np.testing.assert_array_equal(plain.cv_results_["n_refit_gain"], 0)


class _CountingLogisticRegression(LogisticRegression):
    fitted_rows = []

    def fit(self, X, y):
        type(self).fitted_rows.append(len(X))
        return super().fit(X, y)


@pytest.mark.parametrize("cv, expected", [
    # three folds: each fold's classifier misses 50 rows of the refit's 150; its clone drops 50 more
    (3, [100, 50] * 3 + [150]),
    # two folds: 75 missing, but a clone keeps at least half of the 75, so it drops 38 and what they
    # cost counts twice
    (2, [75, 37] * 2 + [150]),
])
def test_the_refit_gain_costs_one_classifier_fit_per_fold(iris, cv, expected, monkeypatch):
    X, y = iris
    monkeypatch.setattr(_CountingLogisticRegression, "fitted_rows", [])
    gwin = GWINClassifier(_CountingLogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN)
    search = GWINClassifierCV(gwin, taus=[0.5, 0.9], cv=cv, alpha=0.05).fit(X, y)
    assert _CountingLogisticRegression.fitted_rows == expected
    assert search.cv_results_["n_refit_gain"].shape == (3,)


def test_a_frozen_classifier_has_no_refit_gain_and_no_extra_fit(iris, monkeypatch):
    from sklearn.frozen import FrozenEstimator

    X, y = iris
    monkeypatch.setattr(_CountingLogisticRegression, "fitted_rows", [])
    frozen = FrozenEstimator(_CountingLogisticRegression(max_iter=500).fit(X, y))
    gwin = GWINClassifier(frozen, tau_star=0.9, **FAST_GAN)
    search = GWINClassifierCV(gwin, taus=[0.5, 0.9], cv=3).fit(X, y)
    assert _CountingLogisticRegression.fitted_rows == [150]
    np.testing.assert_array_equal(search.cv_results_["n_refit_gain"], 0)


def test_rows_held_out_twice_are_refused_by_the_test(iris):
    from sklearn.model_selection import RepeatedStratifiedKFold

    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), **FAST_GAN)
    repeated = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0)
    with pytest.raises(ValueError, match="rows out more than once"):
        GWINClassifierCV(gwin, cv=repeated).fit(X, y)
    # without the test the mean score over repeated folds is fine
    search = GWINClassifierCV(gwin, taus=[0.5], cv=repeated, alpha=None, refit=False).fit(X, y)
    assert len([k for k in search.cv_results_ if k.startswith("split")]) == 6


def test_never_regenerates_on_labels_that_are_noise():
    # Labels drawn independently of X: no relabelling can gain on fresh rows. The seed
    # is one where the GWINs fitted on the folds happen to score above the classifier
    # alone there, so "never" below is the significance test's doing, not the scores'.
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(300, 5)), rng.integers(0, 2, 300)
    gwin = GWINClassifier(LogisticRegression(), tau_star=0.6, n_iter=200, random_state=0)
    with pytest.warns(NoRegenerationWarning, match=r"never to regenerate.*fixed, .* broken"):
        search = GWINClassifierCV(gwin, cv=3).fit(X, y)
    assert (search.decision_, search.best_tau_) == ("never", 0.0)
    assert search.best_estimator_.tau == 0.0
    results = search.cv_results_
    regenerating = results["tau"] > 0
    assert results["mean_test_score"][regenerating].max() > results["mean_test_score"][0]
    assert (results["n_fixed"][regenerating] > results["n_broken"][regenerating]).any()
    assert np.nanmin(results["pvalue_adjusted"]) > search.alpha
    # without the test the same folds choose to regenerate
    untested = GWINClassifierCV(gwin, cv=3, alpha=None).fit(X, y)
    assert untested.decision_ == "regenerate" and untested.best_tau_ > 0
    # "never" keeps the classifier's own decisions
    alone = clone(gwin.estimator).fit(X, y)
    np.testing.assert_array_equal(search.predict(X), alone.predict(X))


def test_the_warning_names_a_tau_that_changed_rows_where_no_p_value_stands_out():
    search = GWINClassifierCV(GWINClassifier(LogisticRegression()))
    taus = np.array([0.0, 0.1, 0.5, 0.7, 0.9])
    # nothing rejected at 0.1; every adjusted p-value 1, as where regeneration only breaks rows
    n_fixed, n_broken = np.array([0, 0, 2, 6, 6]), np.array([0, 0, 2, 9, 12])
    adjusted = np.array([np.nan, 1.0, 1.0, 1.0, 1.0])
    scores = np.array([0.96, 0.96, 0.96, 0.955, 0.95])
    with pytest.warns(NoRegenerationWarning, match=r"tau=0\.5: 2 fixed, 2 broken"):
        search._warn_never(taus, scores, n_fixed, n_broken, None, adjusted)
    # a smaller p-value still comes first
    with pytest.warns(NoRegenerationWarning, match=r"tau=0\.9: 6 fixed, 12 broken"):
        search._warn_never(taus, scores, n_fixed, n_broken, None, np.array([np.nan, 1.0, 1.0, 1.0, 0.5]))


def test_a_bad_row_is_refused_before_any_fold_trains(iris, monkeypatch):
    X, y = iris
    X = X.copy()
    X[-1, 0] = np.nan  # held out by the last fold: a fold fit would not see it
    fits = []
    monkeypatch.setattr(GWINClassifier, "fit", lambda self, *a, **k: fits.append(1) or self)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        GWINClassifierCV(GWINClassifier(LogisticRegression()), cv=3).fit(X, y)
    assert fits == []


def test_a_bare_classifier_is_refused_with_how_to_wrap_it(iris):
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"Wrap it: GWINClassifierCV\(GWINClassifier\(LogisticRegression"):
        GWINClassifierCV(LogisticRegression(), cv=3).fit(*iris)


@pytest.mark.parametrize("form", ["array", "dataframe"])
def test_a_column_vector_y_is_read_as_its_labels_not_broadcast(iris, form):
    import pandas as pd
    from sklearn.exceptions import DataConversionWarning

    X, y = iris
    column_y = y[:, None] if form == "array" else pd.DataFrame({"t": y})
    gwin = GWINClassifier(LogisticRegression(max_iter=500), **FAST_GAN)
    flat = GWINClassifierCV(gwin, taus=[0.5, 0.9], cv=3, refit=False).fit(X, y)
    with pytest.warns(DataConversionWarning):
        column = GWINClassifierCV(gwin, taus=[0.5, 0.9], cv=3, refit=False).fit(X, column_y)
    # before, (n, 1) labels against (n,) broadcast: more rows "fixed" than rows held out
    assert column.cv_results_["n_fixed"].max() + column.cv_results_["n_broken"].max() <= len(y)
    for key in ("n_fixed", "n_broken", "n_refit_gain", "pvalue_adjusted", "mean_test_score"):
        np.testing.assert_array_equal(column.cv_results_[key], flat.cv_results_[key])
    assert column.decision_ == flat.decision_


def test_boolean_masks_as_cv_pairs_are_the_same_split_as_indices(iris):
    X, y = iris
    valid = np.zeros(len(y), dtype=bool)
    valid[1::2] = True
    gwin = GWINClassifier(LogisticRegression(max_iter=500), **FAST_GAN)
    masks = GWINClassifierCV(gwin, taus=[0.9], cv=[(~valid, valid)], refit=False).fit(X, y)
    indices = GWINClassifierCV(gwin, taus=[0.9], cv=[(np.flatnonzero(~valid), np.flatnonzero(valid))],
                               refit=False).fit(X, y)
    for key in ("n_fixed", "n_broken", "n_refit_gain", "pvalue"):
        np.testing.assert_array_equal(masks.cv_results_[key], indices.cv_results_[key])


def test_a_smaller_classifier_that_cannot_label_the_held_out_rows_counts_no_gain():
    import pandas as pd
    from sklearn.compose import make_column_transformer
    from sklearn.datasets import make_classification
    from sklearn.model_selection import KFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    X, y = make_classification(150, 4, random_state=0)
    frame = pd.DataFrame(X, columns=list("abcd"))
    frame["cat"] = np.where(np.arange(150) % 2 == 0, "x", "y")
    # a category on 2 rows of the first fold's training part: the classifier fitted on fewer
    # rows may miss it (with this seed it does) and then cannot encode held-out rows that have it
    frame.loc[[0, 1, 60, 61, 62, 63], "cat"] = "rare"
    pipe = make_pipeline(make_column_transformer((OneHotEncoder(), ["cat"]), remainder="passthrough"),
                         LogisticRegression())
    gwin = GWINClassifier(pipe, **FAST_GAN)
    with pytest.warns(UserWarning, match="label the held-out rows with it.*counts no refit gain"):
        search = GWINClassifierCV(gwin, taus=[0.9], cv=KFold(3), refit=False).fit(frame, y)
    assert search.cv_results_["n_refit_gain"].shape == (2,)


def test_one_held_out_set_instead_of_folds(iris):
    X, y = iris
    train, valid = np.arange(0, 150, 2), np.arange(1, 150, 2)
    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN)
    search = GWINClassifierCV(gwin, taus=[0.5, 0.9], cv=[(train, valid)], alpha=None, refit=False).fit(X, y)
    expected = clone(gwin).fit(X[train], y[train]).set_params(tau=0.9).score(X[valid], y[valid])
    assert search.cv_results_["split0_test_score"][2] == pytest.approx(expected)
    assert search.cv_results_["n_fixed"].shape == (3,)


def test_fold_gwins_relabel_the_rows_the_refitted_classifier_rejects():
    X, y = make_moons(300, noise=0.3, random_state=0)
    gwin = GWINClassifier(LogisticRegression(C=0.05), tau_star=0.8, n_iter=30, random_state=0)
    search = GWINClassifierCV(gwin, taus=[0.9], cv=3, alpha=None).fit(X, y)
    assert search.best_tau_ == 0.9 and len(search.estimators_) == 3
    refit = search.best_estimator_
    rejected = refit.reject(X)
    assert 0 < rejected.sum() < len(X)
    details = search.predict_details(X)
    np.testing.assert_array_equal(details.rejected, rejected)
    # rows not rejected: exactly the refitted classifier's answers
    alone = refit.estimator_
    np.testing.assert_array_equal(search.predict(X)[~rejected], alone.predict(X[~rejected]))
    np.testing.assert_array_equal(search.predict_proba(X)[~rejected], alone.predict_proba(X[~rejected]))
    # rejected rows: the mean of what each fold's GWIN says after regenerating them
    folds = np.mean([fold.predict_proba(X[rejected]) for fold in search.estimators_], axis=0)
    np.testing.assert_allclose(search.predict_proba(X)[rejected], folds)
    np.testing.assert_array_equal(search.predict(X)[rejected], search.classes_[folds.argmax(axis=1)])
    # in chunks (a small working_memory) the same answers
    from sklearn import config_context

    with config_context(working_memory=0.001):
        np.testing.assert_allclose(search.predict_proba(X), details.proba)
    # a pickled search predicts the same
    import pickle

    np.testing.assert_array_equal(pickle.loads(pickle.dumps(search)).predict(X), details.labels)
    # ensemble=False: the refitted GWIN's own generator relabels them, which is another answer
    search.set_params(ensemble=False)
    assert not np.allclose(search.predict_proba(X)[rejected], folds)
    with pytest.raises(ValueError, match="ensemble"):
        search.set_params(ensemble="no").predict(X)


def test_never_leaves_the_fold_gwins_unasked(iris, monkeypatch):
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), **FAST_GAN)
    with pytest.warns(NoRegenerationWarning):
        search = GWINClassifierCV(gwin, taus=[0.5], cv=3).fit(X, y)
    assert search.decision_ == "never"

    def fail(self, X):
        raise AssertionError("a fold GWIN was asked about a row nothing rejected")

    monkeypatch.setattr(GWINClassifier, "_answers_after_regeneration", fail)
    np.testing.assert_array_equal(search.predict(X), search.best_estimator_.estimator_.predict(X))
    # refit=False keeps no fold GWINs either
    assert not hasattr(GWINClassifierCV(gwin, taus=[0.5], cv=3, refit=False).fit(X, y), "estimators_")


class _FoldAnswers:
    """Stands in for a fold GWIN: fixed answers after regeneration."""

    def __init__(self, classes, labels, certainty, proba):
        self.classes_ = np.asarray(classes)
        self._answers = (np.asarray(labels), np.asarray(certainty, dtype=float), np.asarray(proba, dtype=float))

    def _answers_after_regeneration(self, X):
        return self._answers


def test_committee_counts_disagreeing_folds_as_uncertain_and_aligns_missing_classes():
    from sklearn_gwin._cross_fitting import committee_answers

    classes = np.array([0, 1, 2])
    folds = [
        _FoldAnswers(classes, [1, 0], [0.8, 0.6], [[0.1, 0.8, 0.1], [0.6, 0.3, 0.1]]),
        _FoldAnswers(classes, [1, 2], [0.6, 0.5], [[0.2, 0.6, 0.2], [0.2, 0.3, 0.5]]),
        # a fold whose training part held no row of class 2
        _FoldAnswers([0, 1], [1, 1], [0.7, 0.9], [[0.3, 0.7], [0.1, 0.9]]),
    ]
    labels, certainty, proba = committee_answers(folds, np.zeros((2, 4)), classes, by_argmax=True)
    np.testing.assert_allclose(proba, [[0.2, 0.7, 0.1], [0.3, 0.5, 0.2]])
    np.testing.assert_array_equal(labels, [1, 1])
    # row 0: all three folds say 1; row 1: one fold of three says 1, with certainty 0.9
    np.testing.assert_allclose(certainty, [0.7, 0.3])
    # a classifier that does not decide by argmax: the folds' majority, a tie to the higher mean probability
    labels, _, _ = committee_answers(folds[:2], np.zeros((2, 4)), classes, by_argmax=False)
    np.testing.assert_array_equal(labels, [1, 0])


def test_committee_follows_classes_in_the_classifiers_order():
    from sklearn_gwin._cross_fitting import committee_answers

    # a custom classifier's classes_ need not be sorted
    classes = np.array(["c", "a", "b"])
    folds = [
        _FoldAnswers(classes, ["a", "b"], [0.6, 0.5], [[0.1, 0.6, 0.3], [0.2, 0.3, 0.5]]),
        _FoldAnswers(["c", "a"], ["a", "c"], [0.8, 0.7], [[0.2, 0.8], [0.7, 0.3]]),
    ]
    labels, certainty, proba = committee_answers(folds, np.zeros((2, 4)), classes, by_argmax=True)
    np.testing.assert_allclose(proba, [[0.15, 0.7, 0.15], [0.45, 0.3, 0.25]])
    np.testing.assert_array_equal(labels, ["a", "c"])
    np.testing.assert_allclose(certainty, [0.7, 0.35])
    # voting: row 0 both say "a"; row 1 one "b" and one "c", a tie to "c" (mean 0.45 against 0.25)
    labels, _, _ = committee_answers(folds, np.zeros((2, 4)), classes, by_argmax=False)
    np.testing.assert_array_equal(labels, ["a", "c"])


def test_the_users_random_state_is_left_as_it_was(iris):
    # the clones get copies; the seed of the refit-gain subsample must come from a copy too
    X, y = iris
    random_state = np.random.RandomState(0)
    before = random_state.get_state()[1].copy()
    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9,
                          **{**FAST_GAN, "random_state": random_state})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoRegenerationWarning)
        GWINClassifierCV(gwin, taus=[0.5], cv=3, refit=False).fit(X, y)
    np.testing.assert_array_equal(random_state.get_state()[1], before)


@pytest.mark.parametrize("params", [dict(alpha=None), dict(correct_for_refit=False)])
def test_no_extra_fit_where_no_gain_is_counted(iris, params, monkeypatch):
    X, y = iris
    monkeypatch.setattr(_CountingLogisticRegression, "fitted_rows", [])
    gwin = GWINClassifier(_CountingLogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoRegenerationWarning)
        search = GWINClassifierCV(gwin, taus=[0.5], cv=3, refit=False, **params).fit(X, y)
    assert _CountingLogisticRegression.fitted_rows == [100] * 3
    np.testing.assert_array_equal(search.cv_results_["n_refit_gain"], 0)


def test_rows_kept_are_stratified_and_no_class_loses_its_last_row():
    from sklearn_gwin._cv import _rows_kept

    y = np.repeat([0, 1, 2], [40, 20, 1])
    train = np.arange(61)
    # the single row of class 2 cannot be stratified: drawn among the others, it stays
    kept = _rows_kept(train, y, 30, seed=0)
    assert len(kept) == 31 and 60 in kept and set(y[kept]) == {0, 1, 2}
    # a row of each class for a single dropped row: every class keeps one
    assert set(y[_rows_kept(train, y, 60, seed=0)]) == {0, 1, 2}
    # stratified where it can be: classes 0 and 1 lose half their rows each
    y = np.repeat([0, 1], [40, 20])
    kept = _rows_kept(np.arange(60), y, 30, seed=0)
    assert np.bincount(y[kept]).tolist() == [20, 10]


def test_the_smaller_classifier_is_fitted_on_the_kept_rows(iris):
    from sklearn_gwin._cv import _labels_with_fewer_rows, _rows_kept

    X, y = iris
    train, valid = np.arange(0, 150, 3), np.setdiff1d(np.arange(150), np.arange(0, 150, 3))
    gwin = GWINClassifier(LogisticRegression(max_iter=500), **FAST_GAN).fit(X[train], y[train])
    labels, scale = _labels_with_fewer_rows(gwin, X, y, train, X[valid], seed=0)
    # 50 rows against the refit's 150: a clone keeps 25 of them (at least half), the cost counts 4 times
    assert scale == 4
    kept = _rows_kept(train, y, 25, seed=0)
    assert len(kept) == 25
    expected = LogisticRegression(max_iter=500).fit(X[kept], y[kept]).predict(X[valid])
    np.testing.assert_array_equal(labels, expected)


def test_a_search_pickled_before_the_refit_gain_reads_as_without_it(iris):
    X, y = iris
    search = GWINClassifierCV(GWINClassifier(LogisticRegression(max_iter=500), **FAST_GAN))
    state = search.__getstate__()
    del state["correct_for_refit"]
    restored = GWINClassifierCV.__new__(GWINClassifierCV)
    restored.__setstate__(state)
    assert restored.correct_for_refit is False and restored.ensemble is True


@pytest.mark.parametrize("scorer", ["gwin", "sklearn", "metric of two arguments", "named model"])
def test_a_scorer_for_scoring_is_refused_before_any_fit(iris, scorer, monkeypatch):
    from sklearn.metrics import get_scorer

    from sklearn_gwin.metrics import make_gwin_scorer

    def no_fit(self, X, y, **kwargs):
        raise AssertionError("fitted before the scoring was checked")

    monkeypatch.setattr(GWINClassifier, "fit", no_fit)
    from sklearn.metrics import accuracy_score

    def by_model(model, X, y):
        return 0.0

    scoring = {"gwin": make_gwin_scorer("neg_aurc"), "sklearn": get_scorer("accuracy"),
               "metric of two arguments": accuracy_score, "named model": by_model}[scorer]
    search = GWINClassifierCV(GWINClassifier(LogisticRegression()), scoring=scoring, cv=2)
    with pytest.raises(TypeError, match=r"scoring=.*calls scoring\(y_true, y_pred, rejected\)"):
        search.fit(*iris)


def test_a_metric_of_the_rejected_rows_alone_is_refused_not_lost(iris):
    # rejected_accuracy is NaN at tau=0, where nothing is rejected: a NaN score would lose
    # every comparison and the search would say "never" for a reason it cannot see
    from sklearn_gwin.metrics import rejected_accuracy

    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN)
    search = GWINClassifierCV(gwin, taus=[0.9], scoring=rejected_accuracy, cv=2)
    with pytest.raises(ValueError, match=r"returned nan at tau=0, where 0 of 75 held-out rows are rejected"):
        search.fit(*iris)


def test_group_folds_take_groups(iris):
    from sklearn.model_selection import GroupKFold

    X, y = iris
    groups = np.arange(len(y)) % 5
    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN)
    search = GWINClassifierCV(gwin, taus=[0.9], cv=GroupKFold(3)).fit(X, y, groups=groups)
    assert len(search.estimators_) == 3


def test_predict_or_abstain_follows_the_fold_gwins_certainty_and_names_are_kept():
    pd = pytest.importorskip("pandas")
    X, y = make_moons(300, noise=0.3, random_state=0)
    X = pd.DataFrame(X, columns=["x0", "x1"])
    gwin = GWINClassifier(LogisticRegression(C=0.05), tau_star=0.8, n_iter=30, tau_abstain=0.9, random_state=0)
    search = GWINClassifierCV(gwin, taus=[0.9], cv=3, alpha=None).fit(X, y)
    assert list(search.feature_names_in_) == ["x0", "x1"] and search.n_features_in_ == 2
    labels, answered = search.predict_or_abstain(X)
    details = search.predict_details(X)
    np.testing.assert_array_equal(labels, search.predict(X))
    # abstained: rejected by the refitted classifier and still below tau_abstain by the fold GWINs' certainty
    np.testing.assert_array_equal(~answered, details.rejected & (details.certainty < 0.9))
    assert (~answered).any() and answered[~details.rejected].all()
    # ensemble=False: the refitted GWIN's own answer
    search.set_params(ensemble=False)
    refit_labels, refit_answered = search.best_estimator_.predict_or_abstain(X)
    labels, answered = search.predict_or_abstain(X)
    np.testing.assert_array_equal(labels, refit_labels)
    np.testing.assert_array_equal(answered, refit_answered)
