"""Abstention with a guaranteed error rate: the guarantee by simulation, the API on real classifiers."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate

from sklearn_gwin import GWINClassifier
from sklearn_gwin.metrics import augrc, aurc, coverage_at_risk, make_gwin_scorer
from sklearn_gwin.risk_control import (
    AbstentionController,
    answered_and_errors,
    default_thresholds,
    learn_then_test,
)

from conftest import DEVICE


def _calibrated_rows(rng, n):
    """Certainty with density 4 c**3 on [0, 1] (most rows near 1), right with probability equal to it."""
    certainty = rng.uniform(size=n) ** 0.25
    correct = rng.uniform(size=n) < certainty
    return certainty, correct


def _true_risk(threshold):
    """The error rate above ``threshold`` of the rows above: 1 - E[c | c >= threshold]."""
    return 1 - 0.8 * (1 - threshold**5) / (1 - threshold**4)


@pytest.mark.parametrize(("target_risk", "n_rows"), [(0.05, 2000), (0.02, 10000)])
def test_the_chosen_threshold_keeps_the_target_in_all_but_delta_of_calibration_draws(target_risk, n_rows):
    # the guarantee, by simulation: over many calibration sets the true error rate on answered rows
    # at the chosen threshold exceeds the target at most about delta of the time
    rng = np.random.default_rng(0)
    delta, n_draws, thresholds = 0.1, 300, default_thresholds()
    thresholds = thresholds[thresholds < 1]  # the true risk is defined below 1
    violations, chosen = 0, []
    for _ in range(n_draws):
        certainty, correct = _calibrated_rows(rng, n_rows)
        y, labels = np.zeros(n_rows), np.where(correct, 0, 1)
        answered, errors = answered_and_errors(thresholds, y, labels, certainty)
        _, valid = learn_then_test(answered, errors, target_risk, 1 - delta)
        if valid.any():
            threshold = thresholds[np.flatnonzero(valid)[-1]]
            chosen.append(threshold)
            violations += _true_risk(threshold) > target_risk
    bound = delta + 3 * np.sqrt(delta * (1 - delta) / n_draws)
    assert violations / n_draws <= bound
    # and it is not vacuous: a threshold is certified nearly always, not far above the exact one
    exact = thresholds[np.flatnonzero(_true_risk(thresholds) <= target_risk)[-1]]
    assert len(chosen) > 0.75 * n_draws
    assert np.median(chosen) <= exact + 0.03


def test_repairing_then_abstaining_answers_more_at_the_same_guarantee():
    # rows the classifier doubts are regenerated: where regeneration makes most of them right and
    # certain, more rows are answered under the same certified error rate
    rng = np.random.default_rng(1)
    certainty, correct = _calibrated_rows(rng, 4000)
    y, labels_before = np.zeros(4000), np.where(correct, 0, 1)
    certainty_after = np.where(certainty < 0.9, rng.uniform(0.5, 1.0, size=4000), certainty)
    labels_after = np.where(rng.uniform(size=4000) < certainty_after, 0, 1)
    thresholds = default_thresholds()
    alone = learn_then_test(*answered_and_errors(thresholds, y, labels_before, certainty), 0.05, 0.95)[1]
    answered, errors = answered_and_errors(thresholds, y, labels_before, certainty, labels_after, certainty_after)
    repaired = learn_then_test(answered, errors, 0.05, 0.95)[1]
    coverage = answered.mean(axis=1)
    plain_coverage = answered_and_errors(thresholds, y, labels_before, certainty)[0].mean(axis=1)
    assert coverage[repaired].max() > plain_coverage[alone].max() + 0.05


def test_fixed_sequence_stops_at_the_first_threshold_that_fails():
    answered = np.ones((4, 300), dtype=bool)
    errors = np.zeros((4, 300), dtype=bool)
    errors[1, :60] = True  # the second threshold errs on 20% of rows: it fails at a 5% target
    p_values, valid = learn_then_test(answered, errors, 0.05, 0.95)
    np.testing.assert_array_equal(valid, [True, False, False, False])  # later ones untested
    assert p_values[0] < 0.05 < p_values[1]
    # a threshold answering fewer rows than twice an error-free pass needs (2 x 59) is not tested
    answered[0, 100:] = False
    p_values, valid = learn_then_test(answered, np.zeros_like(errors), 0.05, 0.95)
    assert np.isnan(p_values[0]) and valid.tolist() == [False, True, True, True]


@pytest.fixture(scope="module")
def digits_split():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    return (X[:700], y[:700]), (X[700:1300], y[700:1300]), (X[1300:], y[1300:])


@pytest.fixture(scope="module")
def fitted_pair(digits_split):
    (X, y), _, _ = digits_split
    classifier = LogisticRegression(max_iter=2000, C=0.05).fit(X, y)
    gwin = GWINClassifier(LogisticRegression(max_iter=2000, C=0.05), tau=0.7, n_iter=60, batch_size=64,
                          device=DEVICE, random_state=0).fit(X, y)
    return classifier, gwin


def test_abstention_on_a_gwin_splits_the_rejected_rows(fitted_pair, digits_split):
    _, gwin = fitted_pair
    _, _, (X, _) = digits_split
    everything = gwin.predict_details(X)
    assert everything.answered.all() and not everything.abstained.any()
    np.testing.assert_array_equal(everything.repaired, everything.rejected)
    gwin = gwin.set_params(tau_abstain=0.6)
    details = gwin.predict_details(X)
    assert details.rejected.any() and details.abstained.any()
    np.testing.assert_array_equal(details.abstained, details.rejected & (details.certainty < 0.6))
    np.testing.assert_array_equal(details.repaired, details.rejected & (details.certainty >= 0.6))
    np.testing.assert_array_equal(details.answered, ~details.abstained)
    labels, answered = gwin.predict_or_abstain(X)
    np.testing.assert_array_equal(labels, gwin.predict(X))  # predict still answers every row
    np.testing.assert_array_equal(answered, details.answered)
    gwin.set_params(tau_abstain=None)


def test_the_controller_abstains_below_its_certified_threshold(fitted_pair, digits_split):
    classifier, _ = fitted_pair
    _, (X_cal, y_cal), (X_test, y_test) = digits_split
    controller = AbstentionController(classifier, target_risk=0.05).fit(X_cal, y_cal)
    assert controller.valid_.any() and controller.threshold_ in controller.thresholds_
    # the certified thresholds are one run of the sequence: those that answer some row, up to a failure
    certified = np.flatnonzero(controller.valid_)
    assert np.array_equal(certified, np.arange(certified[0], certified[-1] + 1))
    assert np.all(np.isnan(controller.p_values_[: certified[0]]))
    assert np.all(controller.p_values_[controller.valid_] <= 0.05)
    assert certified[-1] + 1 == len(controller.valid_) or controller.p_values_[certified[-1] + 1] > 0.05
    labels, answered = controller.predict_or_abstain(X_test)
    np.testing.assert_array_equal(labels, classifier.predict(X_test))
    certainty = classifier.predict_proba(X_test).max(axis=1)
    np.testing.assert_array_equal(answered, certainty >= controller.threshold_)
    with pytest.raises(ValueError, match="abstain_label"):
        controller.predict(X_test)
    predicted = controller.set_params(abstain_label=-1).predict(X_test)
    np.testing.assert_array_equal(predicted[~answered], -1)
    np.testing.assert_array_equal(predicted[answered], labels[answered])


def test_around_a_gwin_the_controller_repairs_before_it_abstains(fitted_pair, digits_split):
    classifier, gwin = fitted_pair
    _, (X_cal, y_cal), (X_test, _) = digits_split
    controller = AbstentionController(gwin, target_risk=0.05).fit(X_cal, y_cal)
    labels, answered = controller.predict_or_abstain(X_test)
    threshold = controller.threshold_
    details = gwin.set_params(tau=threshold, tau_abstain=threshold).predict_details(X_test)
    gwin.set_params(tau=0.7, tau_abstain=None)
    np.testing.assert_array_equal(answered, details.answered)
    np.testing.assert_array_equal(labels, details.labels)
    # the rows the GWIN's classifier is sure of are answered as they are; some doubtful ones are repaired
    assert answered[details.certainty_before >= threshold].all()
    assert gwin.tau == 0.7  # the controller works on a copy


def test_no_certified_threshold_is_a_warning_and_abstains_everywhere(fitted_pair, digits_split):
    classifier, _ = fitted_pair
    _, (X_cal, y_cal), (X_test, _) = digits_split
    with pytest.warns(UserWarning, match="No threshold answers any row"):
        controller = AbstentionController(classifier, target_risk=1e-4).fit(X_cal[:50], y_cal[:50])
    assert controller.threshold_ == np.inf
    assert not controller.predict_or_abstain(X_test)[1].any()


def test_thresholds_must_run_from_cautious_to_bold(fitted_pair, digits_split):
    classifier, _ = fitted_pair
    _, (X_cal, y_cal), _ = digits_split
    with pytest.raises(ValueError, match="most cautious"):
        AbstentionController(classifier, thresholds=[0.5, 0.9]).fit(X_cal, y_cal)


def test_selective_metrics_and_their_scorers(fitted_pair, digits_split):
    _, gwin = fitted_pair
    (X, y), _, _ = digits_split
    assert augrc([0, 1, 1], [1, 1, 1], [0.9, 0.8, 0.1]) == pytest.approx(1 / 3)
    assert aurc([0, 1, 1], [1, 1, 1], [0.9, 0.8, 0.1]) == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert coverage_at_risk([0, 0, 1], [0, 0, 0], [0.9, 0.8, 0.1], target_risk=0.0) == pytest.approx(2 / 3)
    assert coverage_at_risk([1, 0], [0, 0], [0.9, 0.8], target_risk=0.1) == 0.0
    scoring = {
        "neg_augrc": make_gwin_scorer("neg_augrc"),
        "neg_augrc_before": make_gwin_scorer("neg_augrc", regenerated=False),
        "coverage": make_gwin_scorer("coverage_at_risk", target_risk=0.05),
    }
    scores = cross_validate(gwin, X, y, cv=2, scoring=scoring)
    assert np.all(scores["test_neg_augrc"] <= 0) and np.all((scores["test_coverage"] >= 0) & (scores["test_coverage"] <= 1))
    with pytest.raises(ValueError, match="target_risk"):
        make_gwin_scorer("coverage_at_risk")


def test_no_thresholds_and_an_abstain_label_among_the_classes_are_errors(fitted_pair, digits_split):
    classifier, _ = fitted_pair
    _, (X_cal, y_cal), (X_test, _) = digits_split
    with pytest.raises(ValueError, match="non-empty"):
        AbstentionController(classifier, thresholds=[]).fit(X_cal, y_cal)
    label = classifier.classes_[3]
    with pytest.raises(ValueError, match=rf"abstain_label={int(label)} is one of the classifier's classes \[0, 1,"):
        AbstentionController(classifier, abstain_label=label).fit(X_cal, y_cal)
    # set after fit: refused where it is used
    controller = AbstentionController(classifier, abstain_label=-1).fit(X_cal, y_cal)
    with pytest.raises(ValueError, match="one of the classifier's classes"):
        controller.set_params(abstain_label=int(label)).predict(X_test)
    assert AbstentionController(classifier, abstain_label="3").fit(X_cal, y_cal).predict(X_test).dtype == object


def test_a_gwin_with_its_own_rejection_rule_is_refused(fitted_pair, digits_split):
    # the controller sets tau; a custom rejection ignores it, so the answered rows would not be
    # the calibrated ones (a newcomer's run answered every row at 11% error against a 5% target)
    _, gwin = fitted_pair
    _, (X_cal, y_cal), _ = digits_split
    custom = gwin.set_params(rejection=lambda certainty, labels: certainty < 0.5)
    try:
        with pytest.raises(ValueError, match="custom rejection ignores tau"):
            AbstentionController(custom, target_risk=0.05).fit(X_cal, y_cal)
    finally:
        gwin.set_params(rejection=None)


def test_a_frozen_gwin_is_controlled_like_the_gwin_itself(fitted_pair, digits_split):
    from sklearn.frozen import FrozenEstimator

    _, gwin = fitted_pair
    _, (X_cal, y_cal), (X_test, _) = digits_split
    plain = AbstentionController(gwin, target_risk=0.05).fit(X_cal, y_cal)
    frozen = AbstentionController(FrozenEstimator(gwin), target_risk=0.05).fit(X_cal, y_cal)
    assert frozen.threshold_ == plain.threshold_
    for ours, theirs in zip(frozen.predict_or_abstain(X_test), plain.predict_or_abstain(X_test)):
        np.testing.assert_array_equal(ours, theirs)


def test_calibration_labels_the_classifier_does_not_know_are_an_error(fitted_pair, digits_split):
    classifier, _ = fitted_pair
    _, (X_cal, y_cal), _ = digits_split
    with pytest.raises(ValueError, match="y has labels the classifier does not know"):
        AbstentionController(classifier, target_risk=0.05).fit(X_cal, y_cal.astype(str))


def test_around_a_gwin_a_threshold_of_1_answers_at_predict_the_rows_it_calibrated_on():
    # tau = 1 rejects every row, even one of certainty exactly 1: calibration must not count
    # such a row as answered as it is
    y = np.array([0, 1, 1, 0])
    labels, certainty = np.array([0, 1, 0, 0]), np.array([1.0, 1.0, 0.6, 0.3])
    answered, _ = answered_and_errors([1.0, 0.5], y, labels, certainty,
                                      labels_after=np.array([0, 1, 1, 0]),
                                      certainty_after=np.array([0.9, 1.0, 0.95, 0.4]))
    np.testing.assert_array_equal(answered, [[False, True, False, False], [True, True, True, False]])
    # a plain classifier keeps its rows of certainty 1 at a threshold of 1, as its predict does
    plain, _ = answered_and_errors([1.0], y, labels, certainty)
    np.testing.assert_array_equal(plain, [[True, True, False, False]])


def test_sparse_rows_work_around_a_classifier_that_takes_them(fitted_pair, digits_split):
    # text and a logistic regression: abstention needs nothing but the classifier's answers
    from scipy import sparse

    _, (X_cal, y_cal), (X_test, _) = digits_split
    classifier = LogisticRegression(max_iter=2000, C=0.05).fit(sparse.csr_matrix(X_cal), y_cal)
    dense = AbstentionController(classifier, target_risk=0.1).fit(X_cal, y_cal)
    on_sparse = AbstentionController(classifier, target_risk=0.1).fit(sparse.csr_matrix(X_cal), y_cal)
    assert on_sparse.threshold_ == dense.threshold_
    np.testing.assert_array_equal(on_sparse.predict_or_abstain(sparse.csr_matrix(X_test))[1],
                                  dense.predict_or_abstain(X_test)[1])
