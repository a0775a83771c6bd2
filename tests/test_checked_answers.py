"""Nothing silently wrong: malformed classifier answers, bad parameters, failed fits, stale caches."""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

import sklearn_gwin
from sklearn_gwin import GWINClassifier
from sklearn_gwin._cache_key import fingerprint
from sklearn_gwin._labelling import pooled_label_and_certainty

from conftest import DEVICE

SHORT = dict(n_iter=10, batch_size=32, tau_star=0.5, device=DEVICE, random_state=0)


class _Bent(LogisticRegression):
    """A logistic regression whose answers are bent by ``fault`` (a class attribute per subclass)."""

    def fit(self, X, y):
        super().fit(X, y)
        self.seen_max_ = X[:, 0].max()
        return self


class _ExtraColumn(_Bent):
    def predict_proba(self, X):
        proba = super().predict_proba(X)
        return np.column_stack([proba * 0.9, np.full(len(X), 0.1)])


class _OneDimensional(_Bent):
    def predict_proba(self, X):
        return super().predict_proba(X)[:, 0]


class _NaNOffTraining(_Bent):
    def predict_proba(self, X):
        proba = super().predict_proba(X)
        proba[X[:, 0] > self.seen_max_] = np.nan
        return proba


class _UnknownLabel(_Bent):
    def predict(self, X):
        return np.full(len(X), 99)


@pytest.mark.parametrize(
    "classifier, message",
    [
        (_ExtraColumn(), r"_ExtraColumn.predict_proba must return one column per class.*\(150, 3\), got \(150, 4\)"),
        (_OneDimensional(), r"_OneDimensional.predict_proba must return one column per class"),
        (_UnknownLabel(), r"_UnknownLabel.predict returned labels that are not in its classes_: \[99\]"),
    ],
)
def test_malformed_answers_are_an_error_naming_the_classifier(iris, classifier, message):
    X, y = iris
    with pytest.raises(ValueError, match=message):
        GWINClassifier(classifier, **SHORT).fit(X, y)


def test_nan_probabilities_on_new_rows_are_an_error_at_predict(iris):
    X, y = iris
    gwin = GWINClassifier(_NaNOffTraining(max_iter=500), **SHORT).fit(X, y)
    with pytest.raises(ValueError, match=r"_NaNOffTraining.predict_proba returned NaN .* on 1 of 2 rows"):
        gwin.predict(np.vstack([X[:1], X[:1] + 100]))


def test_pooled_label_follows_the_classifiers_own_rule():
    class Answers(ClassifierMixin, BaseEstimator):
        """Gives each version (told apart by its first value) fixed answers."""

        classes_ = np.array(["a", "b"])

        def __init__(self, proba, labels):
            self.proba, self.labels = proba, labels

        def predict_proba(self, X):
            return np.array([self.proba[int(v)] for v in X[:, 0]])

        def predict(self, X):
            return np.array([self.labels[int(v)] for v in X[:, 0]])

    versions = [np.array([[k]]) for k in range(3)]
    # by argmax: two of three versions say "b", but the mean probability says "a"
    by_argmax = Answers([[0.9, 0.1], [0.4, 0.6], [0.45, 0.55]], ["a", "b", "b"])
    labels, certainty, mean = pooled_label_and_certainty(by_argmax, versions, by_argmax=True)
    assert labels.tolist() == ["a"] and certainty[0] == pytest.approx(0.7 / 1.2, abs=1e-6)
    np.testing.assert_allclose(mean, [[1.75 / 3, 1.25 / 3]])
    # by a threshold ("b" from 0.3 on), even where each version looks like an argmax: its votes
    thresholded = Answers([[0.9, 0.1], [0.45, 0.55], [0.45, 0.55]], ["a", "b", "b"])
    labels, certainty, _ = pooled_label_and_certainty(thresholded, versions, by_argmax=False)
    assert labels.tolist() == ["b"] and certainty[0] == pytest.approx(1.2 / 3)
    # a tie of votes goes to the label with the higher mean probability
    assert pooled_label_and_certainty(thresholded, versions[:2], by_argmax=False)[0].tolist() == ["a"]


@pytest.mark.parametrize("shape", [(4, 3), (2, 4, 2), (2, 3, 3)])
def test_monte_carlo_draws_of_the_wrong_shape_are_named(shape):
    from sklearn_gwin._labelling import label_certainty_and_proba

    class Drawing:
        classes_ = np.array([0, 1, 2])

        def sample_logits(self, X):
            return np.zeros(shape)

    # 4 rows, 3 classes: one draw set is (n_draws, 4, 3)
    with pytest.raises(ValueError, match=r"Drawing.sample_logits must return shape \(n_draws, 4, 3\)"):
        label_certainty_and_proba(Drawing(), np.zeros((4, 2)))


def test_labels_longer_than_the_classifiers_first_answers_are_not_cut():
    class Words(ClassifierMixin, BaseEstimator):
        classes_ = np.array(["cat", "horse"])

        def predict_proba(self, X):
            return np.column_stack([1 - X[:, 0], X[:, 0]])

        def predict(self, X):
            return [self.classes_[int(v > 0.5)] for v in X[:, 0]]  # a list: numpy picks <U3 for cats

    from sklearn_gwin._labelling import label_and_certainty

    labels, _ = label_and_certainty(Words(), np.array([[0.1], [0.2]]))
    labels[0] = "horse"
    assert labels[0] == "horse"


@pytest.mark.parametrize("name, value", [("tau", True), ("tau_star", False), ("n_iter", True)])
def test_booleans_are_not_numbers(iris, name, value):
    X, y = iris
    with pytest.raises(ValueError, match=f"'{name}' parameter .* got the boolean"):
        GWINClassifier(LogisticRegression(), **{**SHORT, name: value}).fit(X, y)


@pytest.mark.parametrize(
    "params, message",
    [({"tau": 2.0}, "'tau' parameter"), ({"tau": "0.5"}, "'tau' parameter"),
     ({"tau": True}, "got the boolean"), ({"n_regen": 0}, "'n_regen' parameter"),
     ({"pool_input": "yes"}, "'pool_input' parameter"), ({"certainty": "max"}, "'certainty' parameter")],
)
def test_inference_parameters_set_after_fit_are_checked_at_predict(iris, params, message):
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), **SHORT).fit(X, y)
    gwin.set_params(**params)
    with pytest.raises(ValueError, match=message):
        gwin.predict(X)


class _Breaks(LogisticRegression):
    def __init__(self, error=RuntimeError, **kwargs):
        super().__init__(**kwargs)
        self.error = error

    def fit(self, X, y):
        raise self.error("broken on purpose")


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failed_fit_leaves_an_unfitted_estimator_unfitted(iris, error):
    X, y = iris
    gwin = GWINClassifier(_Breaks(error=error), **SHORT)
    with pytest.raises(error, match="broken on purpose"):
        gwin.fit(X, y)
    with pytest.raises(NotFittedError):
        check_is_fitted(gwin)
    assert not hasattr(gwin, "n_features_in_")


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failed_refit_keeps_the_previous_model_whole(iris, error):
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau=0.9, **SHORT).fit(X, y)
    before, classifier = gwin.predict_proba(X), gwin.estimator_
    gwin.set_params(estimator=_Breaks(error=error))
    with pytest.raises(error):
        gwin.fit(X[:, :3], y)  # other features too: n_features_in_ must not move either
    assert gwin.estimator_ is classifier and gwin.n_features_in_ == 4
    np.testing.assert_array_equal(gwin.set_params(estimator=LogisticRegression()).predict_proba(X), before)


def test_a_redefined_certainty_function_is_not_served_from_the_cache(iris, tmp_path):
    X, y = iris

    def fitted(certainty, memory=None):
        return GWINClassifier(
            LogisticRegression(max_iter=500), certainty=certainty, memory=memory, **{**SHORT, "tau_star": 0.45}
        ).fit(X, y)

    def cert(estimator, X):
        return estimator.predict_proba(X).max(axis=1)

    first = fitted(cert, str(tmp_path)).n_confident_

    def cert(estimator, X):  # noqa: F811 -- redefined, as in a notebook
        return 0.5 * estimator.predict_proba(X).max(axis=1)

    cached, fresh = fitted(cert, str(tmp_path)).n_confident_, fitted(cert).n_confident_
    assert cached == fresh != first  # half as sure: fewer rows reach tau_star
    # a lambda works with memory= too, and is served from the cache the second time
    first = fitted(lambda est, X: est.predict_proba(X).max(axis=1), str(tmp_path))
    again = fitted(lambda est, X: est.predict_proba(X).max(axis=1), str(tmp_path))
    np.testing.assert_array_equal(first.regenerate(X), again.regenerate(X))


_DOUBLED = []


def _double(X):  # module level: joblib caches only functions whose source it can read
    _DOUBLED.append(len(X))
    return 2 * X


def test_a_pass_cached_by_other_library_code_is_not_served(tmp_path, monkeypatch):
    # a cached function's key sees its own code, not its helpers': the library's sources are in it too
    import joblib

    from sklearn_gwin import _cache_key

    memory, X = joblib.Memory(str(tmp_path), verbose=0), np.arange(3)
    _DOUBLED.clear()
    _cache_key.cached_call(memory, _double, keyed={}, X=X)
    _cache_key.cached_call(memory, _double, keyed={}, X=X)
    assert len(_DOUBLED) == 1
    monkeypatch.setattr(_cache_key, "library_code_digest", lambda: "other library code")
    np.testing.assert_array_equal(_cache_key.cached_call(memory, _double, keyed={}, X=X), 2 * X)
    assert len(_DOUBLED) == 2


def test_fingerprints_follow_code_not_names():
    class Module:
        def forward(self, x):
            return 2 * x

    before = fingerprint(Module)

    class Module:  # noqa: F811 -- the same name, the same code: the same key
        def forward(self, x):
            return 2 * x

    assert fingerprint(Module) == before

    class Module:  # noqa: F811 -- edited in place, as in a notebook
        def forward(self, x):
            return 3 * x

    assert fingerprint(Module) != before
    assert fingerprint(lambda x: x + 1) != fingerprint(lambda x: x + 2)


def test_memory_says_when_it_cannot_hash_a_parameter(iris, tmp_path):
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(), certainty=_WithLock(), memory=str(tmp_path), **SHORT)
    with pytest.raises(TypeError, match="memory= cannot hash .*lock"):
        gwin.fit(X, y)


class _WithLock:
    """A certainty callable that holds a lock, which nothing can pickle."""

    def __init__(self):
        import threading

        self.lock = threading.Lock()

    def __call__(self, estimator, X):
        return estimator.predict_proba(X).max(axis=1)


def test_a_pickle_records_the_library_versions_and_warns_when_they_differ(iris):
    import pickle

    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), **SHORT).fit(X, y)
    assert gwin.critic_ is None  # no critic trained (n_critic=0): none stored
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # same versions: a silent round trip
        restored = pickle.loads(pickle.dumps(gwin))
    np.testing.assert_array_equal(restored.predict_proba(X), gwin.predict_proba(X))
    state = gwin.__getstate__()
    assert state["_library_versions"]["sklearn-gwin"] == sklearn_gwin.__version__
    state["_library_versions"] = dict(state["_library_versions"], torch="1.0.0")
    with pytest.warns(UserWarning, match=r"other library versions \(torch 1.0.0 -> "):
        GWINClassifier.__new__(GWINClassifier).__setstate__(state)


def _float32_skorch_net(X, y):
    import torch
    from skorch import NeuralNetClassifier

    net = NeuralNetClassifier(torch.nn.Linear, module__in_features=X.shape[1], module__out_features=3,
                              criterion=torch.nn.CrossEntropyLoss, max_epochs=2, lr=0.1, train_split=None,
                              verbose=0, device=DEVICE)
    return net.fit(X.astype(np.float32), y)


def test_rows_a_frozen_net_cannot_take_are_a_clear_error_at_fit(iris):
    # a FrozenEstimator never sees X at fit: a probe asks it before the generator trains,
    # so that torch's "mat1 and mat2 shapes cannot be multiplied" never reaches the user raw
    from sklearn.frozen import FrozenEstimator

    X, y = iris
    frozen = FrozenEstimator(_float32_skorch_net(X, y))
    for rows, problem in ((X[:, :3].astype(np.float32), "shapes"), (X.astype(np.float64), "dtype")):
        with pytest.raises(ValueError, match=rf"cannot take X: FrozenEstimator failed .*{problem}") as error:
            GWINClassifier(frozen, n_iter=2, device=DEVICE, random_state=0).fit(rows, y)
        assert type(error.value.__cause__) is RuntimeError


def test_rows_a_net_cannot_take_are_a_clear_error_at_predict_and_lists_take_the_fitted_dtype(iris):
    X, y = iris
    X32 = X.astype(np.float32)
    gwin = GWINClassifier(_float32_skorch_net(X, y), n_iter=2, device=DEVICE, random_state=0).fit(X32, y)
    with pytest.raises(ValueError, match="cannot take X: .*dtype"):
        gwin.predict(X[:5])  # float64 for a float32 net, as plain skorch refuses it too
    # a list has no dtype of its own: it takes the training rows' float32, not float64
    np.testing.assert_array_equal(gwin.predict(X32[:5].tolist()), gwin.predict(X32[:5]))


def test_flat_rows_after_an_image_fit_are_named_by_their_shape(digits_images):
    X, y = digits_images
    gwin = GWINClassifier(LogisticRegressionOnImages(), tau_star=0.0, n_iter=2, device=DEVICE,
                          random_state=0).fit(X[:100], y[:100])
    with pytest.raises(ValueError, match=r"rows of shape \(64,\), but the GWIN was fitted on rows of shape \(1, 8, 8\)"):
        gwin.predict(X[:5].reshape(5, -1))


class LogisticRegressionOnImages(ClassifierMixin, BaseEstimator):
    """A logistic regression that takes (n, C, H, W) images."""

    def fit(self, X, y):
        self.model_ = LogisticRegression(max_iter=300).fit(np.reshape(X, (len(X), -1)), y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(np.reshape(X, (len(X), -1)))

    def predict_proba(self, X):
        return self.model_.predict_proba(np.reshape(X, (len(X), -1)))



class _FailingDevice(LogisticRegression):
    """A classifier whose predict_proba fails with a torch-like error that is not about the rows."""

    def predict_proba(self, X):
        if getattr(self, "fail_", False):
            raise RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 12 GB")
        return super().predict_proba(X)


def test_errors_not_about_the_rows_pass_unchanged(iris):
    X, y = iris
    gwin = GWINClassifier(_FailingDevice(max_iter=500), n_iter=2, device=DEVICE, random_state=0).fit(X, y)
    gwin.estimator_.fail_ = True
    with pytest.raises(RuntimeError, match="can't allocate memory"):
        gwin.predict(X)

    def certainty(estimator, rows):
        raise RuntimeError("the certainty service is down: shape of the queue")

    broken = GWINClassifier(LogisticRegression(max_iter=500), certainty=certainty, n_iter=2, device=DEVICE,
                            random_state=0)
    with pytest.raises(RuntimeError, match="certainty service is down"):
        broken.fit(X, y).predict(X)


def test_held_out_rows_a_net_cannot_take_are_named_and_a_list_takes_the_fitted_dtype(iris):
    from sklearn.frozen import FrozenEstimator

    X, y = iris
    X32 = X.astype(np.float32)
    frozen = FrozenEstimator(_float32_skorch_net(X, y))
    with pytest.raises(ValueError, match="cannot take X_val"):
        GWINClassifier(frozen, n_iter=2, device=DEVICE, random_state=0).fit(X32, y, X_val=X[:30], y_val=y[:30])
    GWINClassifier(frozen, n_iter=2, device=DEVICE, random_state=0).fit(X32, y, X_val=X32[:30].tolist(), y_val=y[:30])


@pytest.mark.parametrize("message", [
    "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x3)",
    "mat1 and mat2 must have the same dtype, but got Double and Float",
    "Input type (double) and bias type (float) should be the same",
])
def test_torchs_shape_and_dtype_messages_are_named(message):
    from sklearn_gwin._labelling import classifier_errors_named

    with pytest.raises(ValueError, match="The classifier cannot take X: LogisticRegression failed on 5 rows"):
        with classifier_errors_named(LogisticRegression(), 5):
            raise RuntimeError(message)
