import numpy as np
import pytest
from conftest import FAST_GAN
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from sklearn_gwin import GWINClassifier
from sklearn_gwin.metrics import (
    accepted_accuracy,
    aurc,
    error_rate_change,
    make_gwin_scorer,
    overall_accuracy_delta,
    rejected_accuracy,
    risk_coverage_curve,
)


def test_paper_table_columns():
    y = np.array([0, 1, 1, 0, 1])
    before = np.array([0, 0, 1, 1, 1])
    after = np.array([0, 1, 1, 1, 1])
    rejected = np.array([False, True, False, True, False])
    assert rejected_accuracy(y, before, rejected) == 0.0
    assert rejected_accuracy(y, after, rejected) == 0.5
    assert accepted_accuracy(y, before, rejected) == 1.0
    assert overall_accuracy_delta(y, before, after) == pytest.approx(20.0)
    assert error_rate_change(y, before, after) == pytest.approx(-50.0)
    assert np.isnan(rejected_accuracy(y, before, np.zeros(5, bool)))
    assert np.isnan(error_rate_change(y, y, after))


def test_risk_coverage_curve_and_aurc():
    y = np.array([0, 0, 0, 0])
    pred = np.array([0, 1, 0, 1])
    certainty = np.array([0.9, 0.2, 0.8, 0.5])
    coverage, risk, thresholds = risk_coverage_curve(y, pred, certainty)
    np.testing.assert_allclose(coverage, [0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(risk, [0, 0, 1 / 3, 0.5])
    np.testing.assert_allclose(thresholds, [0.9, 0.8, 0.5, 0.2])
    assert aurc(y, pred, certainty) == pytest.approx(np.mean(risk))
    # a perfect ranking (errors least certain) beats a reversed one
    assert aurc(y, pred, certainty) < aurc(y, pred, 1 - certainty)


def test_risk_coverage_groups_ties():
    coverage, risk, _ = risk_coverage_curve([0, 0, 0], [0, 1, 0], [0.5, 0.5, 0.1])
    np.testing.assert_allclose(coverage, [2 / 3, 1.0])
    np.testing.assert_allclose(risk, [0.5, 1 / 3])


def test_scorers_in_grid_search_and_on_a_pipeline(iris):
    X, y = iris
    pipe = make_pipeline(MinMaxScaler(), GWINClassifier(LogisticRegression(), tau_star=0.8, **FAST_GAN))
    scoring = {
        "accuracy": make_gwin_scorer(),
        "priced": make_gwin_scorer(rejection_cost=0.5),
        "rejected": make_gwin_scorer("rejected_accuracy"),
    }
    search = GridSearchCV(pipe, {"gwinclassifier__tau": [0.0, 1.0]}, scoring=scoring, refit="priced", cv=2)
    search.fit(X, y)
    results = search.cv_results_
    # at tau=1 every row is regenerated and pays the full price
    np.testing.assert_allclose(results["mean_test_priced"][1], results["mean_test_accuracy"][1] - 0.5)
    np.testing.assert_allclose(results["mean_test_priced"][0], results["mean_test_accuracy"][0])
    assert np.isnan(results["mean_test_rejected"][0])
    assert search.best_params_ == {"gwinclassifier__tau": 0.0}


def test_unknown_metric():
    with pytest.raises(ValueError, match="metric must be one of"):
        make_gwin_scorer("f1")


def test_target_risk_with_a_metric_that_ignores_it_is_an_error():
    with pytest.raises(ValueError, match="target_risk is read by .*coverage_at_risk.* only"):
        make_gwin_scorer("neg_aurc", target_risk=0.1)


def test_a_column_vector_y_true_is_read_as_its_labels_not_broadcast():
    from sklearn.exceptions import DataConversionWarning

    from sklearn_gwin.metrics import rejected_accuracy, risk_coverage_curve

    y_true, y_pred = np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])
    rejected, certainty = np.array([True, True, True, False]), np.array([0.9, 0.8, 0.2, 0.6])
    with pytest.warns(DataConversionWarning):
        assert rejected_accuracy(y_true[:, None], y_pred, rejected) == pytest.approx(2 / 3)
    with pytest.warns(DataConversionWarning):
        column = risk_coverage_curve(y_true[:, None], y_pred, certainty)
    for got, expected in zip(column, risk_coverage_curve(y_true, y_pred, certainty)):
        np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        rejected_accuracy(y_true[:3], y_pred, rejected)
