"""Properties of the GWIN's decisions that hold for any rows and thresholds (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from sklearn_gwin import GWINClassifier

from conftest import DEVICE

X, y = load_iris(return_X_y=True)
rows = st.lists(st.integers(0, len(X) - 1), min_size=1, max_size=40)
taus = st.floats(0, 1)
FEW = settings(max_examples=25, deadline=None)


@pytest.fixture(scope="module")
def gwin():
    return GWINClassifier(
        LogisticRegression(max_iter=500), tau_star=0.5, n_iter=20, batch_size=32, device=DEVICE, random_state=0
    ).fit(X, y)


@FEW
@given(first=taus, second=taus, index=rows)
def test_a_higher_tau_rejects_a_superset(gwin, first, second, index):
    low, high = sorted([first, second])
    rejected_low = gwin.set_params(tau=low).reject(X[index])
    rejected_high = gwin.set_params(tau=high).reject(X[index])
    assert not np.any(rejected_low & ~rejected_high)


@FEW
@given(index=rows)
def test_tau_zero_is_the_classifier(gwin, index):
    gwin.set_params(tau=0.0)
    np.testing.assert_array_equal(gwin.predict(X[index]), gwin.estimator_.predict(X[index]))
    np.testing.assert_array_equal(gwin.predict_proba(X[index]), gwin.estimator_.predict_proba(X[index]))


@FEW
@given(tau=taus, index=rows)
def test_answers_are_labels_of_classes_and_distributions(gwin, tau, index):
    gwin.set_params(tau=tau)
    assert set(gwin.predict(X[index])) <= set(gwin.classes_)
    proba = gwin.predict_proba(X[index])
    assert proba.shape == (len(index), len(gwin.classes_))
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-6)


@FEW
@given(tau=taus, index=rows)
def test_a_rows_label_does_not_depend_on_its_batch(gwin, tau, index):
    gwin.set_params(tau=tau)
    alone = [gwin.predict(X[[i]])[0] for i in index]
    np.testing.assert_array_equal(gwin.predict(X[index]), alone)
