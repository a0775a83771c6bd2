"""Any classifier with predict_proba, any input a scikit-learn user passes.

Where the GWIN does not act (tau=0, or a row that is not rejected), the
classifier's own ``predict`` and ``predict_proba`` come out unchanged, for
every kind of classifier; where it acts, the label is the classifier's own
decision on the regenerated row.
"""

import numpy as np
import pandas as pd
import pytest
import sklearn
import torch
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import FixedThresholdClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier
from skorch import NeuralNetBinaryClassifier, NeuralNetClassifier
from torch import nn

from sklearn_gwin import GWINClassifier
from sklearn_gwin._differentiable import SampledNetLogProba

from conftest import DEVICE

SHORT = dict(n_iter=10, batch_size=32, device=DEVICE, random_state=0)


def _iris():
    return load_iris(return_X_y=True)


def _breast_cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X).astype(np.float32), y


def _breast_cancer_float_labels():
    """For skorch's binary net, whose BCE loss takes float targets."""
    X, y = _breast_cancer()
    return X, y.astype(np.float32)


def _iris_frame():
    """iris as a DataFrame with a string, a boolean and an integer column beside the measurements."""
    frame = load_iris(as_frame=True).frame
    X = frame.drop(columns="target")
    X["colour"] = np.where(X["sepal width (cm)"] > 3.0, "blue", "white")
    X["flag"] = X["petal length (cm)"] > 4.0
    X["count"] = (X["sepal length (cm)"] * 10).astype(np.int64)
    X.index = X.index + 1000  # an index of its own, to be kept
    return X, frame["target"].to_numpy()


class OneLogit(nn.Module):
    def __init__(self, n_features=30):
        super().__init__()
        self.linear = nn.Linear(n_features, 1)

    def forward(self, X):
        return self.linear(X)  # (n, 1): skorch reads it as (n,)


class SoftmaxOut(nn.Module):
    def __init__(self, n_features=4, n_classes=3):
        super().__init__()
        self.linear = nn.Linear(n_features, n_classes)

    def forward(self, X):
        return torch.softmax(self.linear(X), dim=-1)


class LogitsOut(SoftmaxOut):
    def forward(self, X):
        return self.linear(X)


class FirstOfTuple(nn.Module):
    """Wraps a fitted module so that it returns a tuple: skorch predicts from its first element."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, X):
        return self.module(X), X.sum()


def _with_tuple_output(net):
    net.module_ = FirstOfTuple(net.module_)
    return net


def _skorch(cls, module, **kwargs):
    return cls(module, max_epochs=5, lr=0.1, train_split=None, verbose=0, **kwargs)


def _float32(loader):
    def load():
        X, y = loader()
        return X.astype(np.float32), y

    return load


def _mixed_frame_pipeline():
    X, y = _iris_frame()
    numeric = ["sepal length (cm)", "petal width (cm)", "count"]
    columns = ColumnTransformer(
        [("num", StandardScaler(), numeric), ("cat", OneHotEncoder(), ["colour"])], remainder="drop"
    )
    return make_pipeline(columns, LogisticRegression(max_iter=1000)), X, y


# name -> () -> (estimator, X, y)
CLASSIFIERS = {
    "logistic regression": lambda: (LogisticRegression(max_iter=1000), *_iris()),
    "SVC with probabilities": lambda: (SVC(probability=True, random_state=0), *_iris()),
    "decision tree": lambda: (DecisionTreeClassifier(max_depth=3, random_state=0), *_iris()),
    "random forest": lambda: (RandomForestClassifier(n_estimators=20, random_state=0), *_iris()),
    "gradient boosting": lambda: (HistGradientBoostingClassifier(max_iter=20, random_state=0), *_iris()),
    "k-NN": lambda: (KNeighborsClassifier(), *_iris()),
    "naive Bayes": lambda: (GaussianNB(), *_iris()),
    "MLP": lambda: (MLPClassifier(max_iter=300, random_state=0), *_iris()),
    "calibrated linear SVC": lambda: (CalibratedClassifierCV(LinearSVC()), *_iris()),
    "threshold classifier": lambda: (
        FixedThresholdClassifier(LogisticRegression(), threshold=0.9), *_breast_cancer()
    ),
    "pipeline with a ColumnTransformer on a DataFrame": _mixed_frame_pipeline,
    "skorch binary net": lambda: (
        _skorch(NeuralNetBinaryClassifier, OneLogit), *_breast_cancer_float_labels()
    ),
    "skorch net ending in softmax": lambda: (
        _skorch(NeuralNetClassifier, SoftmaxOut), *_float32(_iris)()
    ),
    "skorch net with logits and cross-entropy": lambda: (
        _skorch(NeuralNetClassifier, LogitsOut, criterion=nn.CrossEntropyLoss), *_float32(_iris)()
    ),
}


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_tau_zero_is_the_classifier_and_rejected_rows_get_its_own_decision(name):
    estimator, X, y = CLASSIFIERS[name]()
    gwin = GWINClassifier(estimator, tau=0.0, tau_star=0.5, **SHORT).fit(X, y)
    classifier = gwin.estimator_
    np.testing.assert_array_equal(gwin.predict(X), classifier.predict(X))
    np.testing.assert_array_equal(gwin.predict_proba(X), classifier.predict_proba(X))

    gwin.set_params(tau=1.0)
    labels, proba = gwin.predict(X), gwin.predict_proba(X)
    assert set(np.unique(labels)) <= set(gwin.classes_)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-5)
    # with one version and no pooling, a rejected row's label is predict on its regeneration
    gwin.set_params(n_regen=1, pool_input=False)
    regenerated = gwin.regenerate(X)
    assert type(regenerated) is type(X)
    np.testing.assert_array_equal(gwin.predict(X), classifier.predict(regenerated))


def test_an_svc_keeps_its_own_decision_where_it_is_not_the_argmax_of_its_probabilities():
    X, y = load_iris(return_X_y=True)
    X = X + np.random.RandomState(0).normal(scale=0.8, size=X.shape)
    gwin = GWINClassifier(SVC(probability=True, random_state=0), tau=0.0, **SHORT).fit(X, y)
    own = gwin.estimator_.predict(X)
    argmax = gwin.classes_[gwin.estimator_.predict_proba(X).argmax(axis=1)]
    assert np.any(own != argmax)  # the rows this test is about exist
    np.testing.assert_array_equal(gwin.predict(X), own)
    assert not gwin.decides_by_argmax_  # so rejected rows' versions vote with its predict


def test_a_threshold_classifier_keeps_its_threshold():
    X, y = load_breast_cancer(return_X_y=True)
    strict = FixedThresholdClassifier(make_pipeline(StandardScaler(), LogisticRegression()), threshold=0.95)
    gwin = GWINClassifier(strict, tau=0.0, **SHORT).fit(X, y)
    at_threshold = (gwin.estimator_.predict_proba(X)[:, 1] >= 0.95).sum()
    at_argmax = (gwin.estimator_.predict_proba(X)[:, 1] > 0.5).sum()
    assert at_threshold < at_argmax
    assert gwin.predict(X).sum() == at_threshold
    assert not gwin.decides_by_argmax_
    assert GWINClassifier(LogisticRegression(max_iter=5000), **SHORT).fit(X, y).decides_by_argmax_


def test_boolean_arrays_and_all_missing_features_are_regenerated_as_what_they_are():
    X, y = load_iris(return_X_y=True)
    flags = np.column_stack([X[:, 2] > 4, X[:, 3] > 1.5])
    gwin = GWINClassifier(LogisticRegression(), tau=1.0, **SHORT).fit(flags, y)
    regenerated = gwin.regenerate(flags)
    assert regenerated.dtype == bool and regenerated.mean() < 0.9  # rounded, not all True
    from sklearn_gwin._scaling import UnitScaler

    # a feature missing everywhere gets the neutral range, not an overflow error
    scaler = UnitScaler(per_feature=True).fit(np.column_stack([X[:, 0], np.full(len(X), np.nan)]))
    assert scaler.scale_[1] == 1.0 and np.all(scaler.to_unit(np.array([[5.0, np.nan]]))[:, 1] == 0.5)


def test_duplicate_column_names_are_a_clear_error():
    X, y = _iris_frame()
    X = X[["sepal length (cm)", "petal width (cm)"]].set_axis(["a", "a"], axis=1)
    # scikit-learn's own check, before the classifier is fitted
    with pytest.raises(ValueError, match=r"unique column names, got:\n- 'a' 2 times"):
        GWINClassifier(make_pipeline(StandardScaler(), LogisticRegression()), **SHORT).fit(X, y)


@pytest.mark.parametrize(
    "net, X_y",
    [
        (lambda: _skorch(NeuralNetBinaryClassifier, OneLogit), _breast_cancer_float_labels),
        (lambda: _skorch(NeuralNetClassifier, SoftmaxOut), _float32(_iris)),
        (lambda: _skorch(NeuralNetClassifier, LogitsOut, criterion=nn.CrossEntropyLoss), _float32(_iris)),
        (
            lambda: _skorch(
                NeuralNetClassifier, LogitsOut, criterion=nn.CrossEntropyLoss,
                predict_nonlinearity=lambda out: torch.softmax(2 * out, dim=-1),
            ),
            _float32(_iris),
        ),
    ],
    ids=["binary, one logit", "softmax output", "logits", "own predict_nonlinearity"],
)
@pytest.mark.parametrize("tuple_output", [False, True])
def test_the_differentiable_view_of_a_skorch_net_gives_its_predict_proba(net, X_y, tuple_output):
    X, y = X_y()
    net = net().fit(X, y)
    if tuple_output:
        net = _with_tuple_output(net)
    view = SampledNetLogProba(net, X.shape[1:]).eval()
    with torch.no_grad():
        proba = view(torch.as_tensor(X)).exp().numpy()
    np.testing.assert_allclose(proba, net.predict_proba(X), atol=1e-5)


def test_a_dataframe_reaches_the_classifier_as_passed_and_comes_back_as_one():
    estimator, X, y = _mixed_frame_pipeline()
    gwin = GWINClassifier(estimator, tau=1.0, **SHORT).fit(X, y)
    assert list(gwin.feature_names_in_) == list(X.columns)
    regenerated = gwin.regenerate(X)
    assert isinstance(regenerated, pd.DataFrame)
    assert list(regenerated.columns) == list(X.columns)
    assert (regenerated.dtypes == X.dtypes).all()
    assert (regenerated.index == X.index).all()
    # what the generator cannot move is carried through; integers stay integers
    pd.testing.assert_series_equal(regenerated["colour"], X["colour"])
    pd.testing.assert_series_equal(regenerated["flag"], X["flag"])
    assert regenerated["sepal length (cm)"].ne(X["sepal length (cm)"]).any()
    details = gwin.predict_details(X)
    assert isinstance(details.X_regenerated, pd.DataFrame) and len(details.X_regenerated) == len(X)


def test_missing_values_stay_missing_for_a_classifier_that_takes_them():
    X, y = load_iris(return_X_y=True)
    X = X.copy()
    X[::7, 2] = np.nan
    gwin = GWINClassifier(HistGradientBoostingClassifier(max_iter=20, random_state=0), tau=0.0, **SHORT)
    gwin.fit(X, y)
    np.testing.assert_array_equal(gwin.predict(X), gwin.estimator_.predict(X))
    regenerated = gwin.regenerate(X)
    np.testing.assert_array_equal(np.isnan(regenerated), np.isnan(X))


def test_missing_values_are_a_clear_error_for_a_classifier_that_refuses_them():
    X, y = load_iris(return_X_y=True)
    X = X.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        GWINClassifier(LogisticRegression(), **SHORT).fit(X, y)


def test_features_far_from_zero_are_regenerated_as_well_as_near_it():
    X, y = load_iris(return_X_y=True)

    def accuracy(X):
        clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
        gwin = GWINClassifier(clf, tau=0.9, tau_star=0.6, n_iter=30, random_state=0).fit(X, y)
        return (gwin.predict(X) == y).mean(), gwin

    near, _ = accuracy(X)
    far, gwin = accuracy(X + 1.7e9)
    assert abs(far - near) <= 0.02
    # the root: offset and range are kept in float64, so unit space keeps the spread
    round_trip = gwin.scaler_.from_unit(gwin.scaler_.to_unit(X + 1.7e9))
    np.testing.assert_allclose(round_trip - 1.7e9, X, atol=1e-6)


def test_a_modest_classifier_fits_with_the_defaults_and_a_critic_says_why_it_cannot():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    modest = LogisticRegression(C=1e-4, max_iter=200)
    gwin = GWINClassifier(modest, **SHORT).fit(X, y)
    assert gwin.n_confident_ == 0  # nothing at tau_star=0.95, and nothing needed without a critic
    with pytest.raises(ValueError, match=r"confident set is empty.*n_critic=1"):
        GWINClassifier(modest, n_critic=1, **SHORT).fit(X, y)


@pytest.mark.parametrize("frame", [False, True], ids=["array", "DataFrame"])
def test_a_decision_in_chunks_is_the_decision_in_one_piece(frame):
    # predict works through X in chunks sized by scikit-learn's working_memory, so that memory
    # stays bounded on a million rows; a tiny working_memory forces a few rows per chunk
    estimator, X, y = _mixed_frame_pipeline() if frame else (LogisticRegression(max_iter=500), *_iris())
    gwin = GWINClassifier(estimator, tau=0.9, tau_star=0.5, **SHORT).fit(X, y)
    whole, regenerated = gwin.predict_details(X), gwin.regenerate(X)
    assert 0 < whole.rejected.sum() < len(y)
    chunk_sizes = []
    decide_chunk = gwin._details_of_chunk
    gwin._details_of_chunk = lambda rows, *args: chunk_sizes.append(len(rows)) or decide_chunk(rows, *args)
    with sklearn.config_context(working_memory=0.002):
        chunked = gwin.predict_details(X)
    assert len(chunk_sizes) > 10 and max(chunk_sizes) < 10 and sum(chunk_sizes) == len(y)
    del gwin._details_of_chunk
    with sklearn.config_context(working_memory=0.002):
        np.testing.assert_array_equal(gwin.predict(X), whole.labels)
        np.testing.assert_allclose(gwin.predict_proba(X), whole.proba, rtol=1e-6)
        np.testing.assert_allclose(gwin.predict_certainty(X), whole.certainty, rtol=1e-6)
        np.testing.assert_array_equal(gwin.reject(X), whole.rejected)
        if frame:
            pd.testing.assert_frame_equal(gwin.regenerate(X), regenerated)
        else:
            np.testing.assert_allclose(gwin.regenerate(X), regenerated, rtol=1e-6)
    assert set(chunked) == set(whole)
    for name in whole:
        if name == "X_regenerated" and frame:
            pd.testing.assert_frame_equal(chunked[name], whole[name])
        else:
            np.testing.assert_allclose(chunked[name], whole[name], rtol=1e-6)
