"""warm_start and checkpoints: a generator's training that stops (Ctrl-C, a crash) resumes exactly."""

import os
import signal

import joblib
import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression

from sklearn_gwin import GWINClassifier

from conftest import DEVICE

SHORT = dict(tau=0.9, tau_star=0.6, batch_size=32, device=DEVICE, random_state=0)


def _gwin(n_iter, n_critic=0, **params):
    return GWINClassifier(LogisticRegression(max_iter=500), n_iter=n_iter, n_critic=n_critic, **SHORT, **params)


def _assert_same_training(resumed, uninterrupted, X):
    for name, tensor in uninterrupted.generator_.state_dict().items():
        torch.testing.assert_close(resumed.generator_.state_dict()[name], tensor, rtol=0, atol=0)
    for key in ("generator_loss", "transformation_loss", "critic_loss"):
        np.testing.assert_array_equal(resumed.history_[key], uninterrupted.history_[key])
    assert resumed.history_["n_iter"] == uninterrupted.history_["n_iter"]
    assert resumed.history_["interrupted"] is False
    np.testing.assert_array_equal(resumed.predict_proba(X), uninterrupted.predict_proba(X))


@pytest.mark.parametrize("n_critic", [0, 2], ids=["no critic", "critic"])
def test_a_warm_start_continues_to_where_one_fit_would_have_ended(iris, n_critic):
    X, y = iris
    uninterrupted = _gwin(24, n_critic).fit(X, y)
    resumed = _gwin(10, n_critic, warm_start=True).fit(X, y)
    classifier = resumed.estimator_
    resumed.set_params(n_iter=24).fit(X, y)
    assert resumed.estimator_ is classifier  # the classifier is not refitted
    _assert_same_training(resumed, uninterrupted, X)


# What the augmentation below does at which generator step. Kept outside the callable: a warm
# start refuses parameters that changed since the fit, and a callable's own attributes are part
# of it.
FAULT = {"at": None, "calls": 0, "fault": None}


def at_step(step, fault):
    FAULT.update(at=step, calls=0, fault=fault)


def ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)


def crash():
    raise MemoryError("the machine ran out of memory")


def faulty(x):
    """An identity augmentation (called once per generator step) that faults at step ``FAULT["at"]``."""
    FAULT["calls"] += 1
    if FAULT["calls"] == FAULT["at"]:
        FAULT["fault"]()
    return x


@pytest.fixture(autouse=True)
def _no_fault():
    at_step(None, None)
    yield
    at_step(None, None)


def test_a_checkpoint_of_an_interrupted_fit_resumes_exactly(iris, tmp_path):
    X, y = iris
    path = tmp_path / "gwin.joblib"
    uninterrupted = _gwin(30, augmentation=faulty).fit(X, y)
    at_step(17, ctrl_c)
    with pytest.warns(RuntimeWarning, match="interrupted after 17 of 30"):
        _gwin(30, augmentation=faulty, checkpoint=path, checkpoint_every=5).fit(X, y)
    saved = joblib.load(path)  # written at the interruption
    assert saved.history_["n_iter"] == 17 and saved.history_["interrupted"] is True
    resumed = saved.set_params(warm_start=True).fit(X, y)
    _assert_same_training(resumed, uninterrupted, X)
    assert joblib.load(path).history_["n_iter"] == 30


def test_checkpoints_are_written_every_so_many_iterations(iris, tmp_path, monkeypatch):
    X, y = iris
    path = tmp_path / "gwin.joblib"
    saved_at = []
    dump = joblib.dump
    monkeypatch.setattr(joblib, "dump", lambda model, target: saved_at.append(model.history_["n_iter"])
                        or dump(model, target))
    _gwin(12, checkpoint=str(path), checkpoint_every=5).fit(X, y)
    assert saved_at == [5, 10, 12]
    assert sorted(os.listdir(tmp_path)) == ["gwin.joblib"]  # no partial file left behind
    assert joblib.load(path).history_["n_iter"] == 12


def test_a_crashed_fit_resumes_from_its_last_checkpoint(iris, tmp_path):
    X, y = iris
    path = tmp_path / "gwin.joblib"
    uninterrupted = _gwin(20, augmentation=faulty).fit(X, y)
    at_step(13, crash)
    with pytest.raises(MemoryError):
        _gwin(20, augmentation=faulty, checkpoint=path, checkpoint_every=5).fit(X, y)
    saved = joblib.load(path)
    assert saved.history_["n_iter"] == 10 and saved.history_["interrupted"] is False
    _assert_same_training(saved.set_params(warm_start=True).fit(X, y), uninterrupted, X)


def test_a_warm_start_refuses_other_rows_other_parameters_and_fewer_iterations(iris):
    X, y = iris
    gwin = _gwin(6, warm_start=True).fit(X, y)
    generator = {k: v.clone() for k, v in gwin.generator_.state_dict().items()}
    with pytest.raises(ValueError, match="not the rows the GWIN was first fitted on"):
        gwin.set_params(n_iter=12).fit(X[::-1], y[::-1])
    with pytest.raises(ValueError, match="lr changed"):
        gwin.set_params(lr=0.1).fit(X, y)
    with pytest.raises(ValueError, match="n_iter=3 must be at least the 6 iterations"):
        gwin.set_params(lr=1e-3, n_iter=3).fit(X, y)
    with pytest.warns(UserWarning, match="without increasing n_iter"):
        gwin.set_params(n_iter=6).fit(X, y)
    for name, tensor in gwin.generator_.state_dict().items():  # none of these trained
        torch.testing.assert_close(tensor, generator[name], rtol=0, atol=0)


def test_a_warm_start_needs_a_model_that_kept_its_training_state(iris):
    X, y = iris
    gwin = _gwin(6).fit(X, y)
    assert not hasattr(gwin, "_training_state")  # nothing kept by default: pickles stay small
    with pytest.raises(ValueError, match="fitted without keeping what that needs"):
        gwin.set_params(warm_start=True, n_iter=12).fit(X, y)
    # a cold refit of a model that kept its state does not carry a stale one over
    gwin = _gwin(6, warm_start=True).fit(X, y)
    gwin.set_params(warm_start=False).fit(X, y)
    assert not hasattr(gwin, "_training_state")


def test_a_failed_warm_start_leaves_the_model_as_it_was(iris):
    X, y = iris
    gwin = _gwin(6, warm_start=True, augmentation=faulty).fit(X, y)
    before = gwin.predict_proba(X)
    generator = {k: v.clone() for k, v in gwin.generator_.state_dict().items()}
    at_step(3, crash)
    with pytest.raises(MemoryError):
        gwin.set_params(n_iter=12).fit(X, y)
    assert gwin.history_["n_iter"] == 6
    for name, tensor in gwin.generator_.state_dict().items():
        torch.testing.assert_close(tensor, generator[name], rtol=0, atol=0)
    np.testing.assert_array_equal(gwin.predict_proba(X), before)
    at_step(None, None)
    assert gwin.fit(X, y).history_["n_iter"] == 12  # and it can still continue


def test_a_torch_classifier_resumes_exactly_too(iris):
    # the generator learns through the net's own gradients here, not a surrogate
    from skorch import NeuralNetClassifier
    from torch import nn

    X, y = iris
    X = X.astype(np.float32)

    def gwin(n_iter, **params):
        torch.manual_seed(0)
        net = NeuralNetClassifier(nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3)),
                                  criterion=nn.CrossEntropyLoss, max_epochs=30, lr=0.1, train_split=None,
                                  verbose=0)
        return GWINClassifier(net, n_iter=n_iter, **SHORT, **params)

    uninterrupted = gwin(16).fit(X, y)
    resumed = gwin(7, warm_start=True).fit(X, y)
    assert resumed.surrogate_agreement_ is None
    _assert_same_training(resumed.set_params(n_iter=16).fit(X, y), uninterrupted, X)


def test_a_model_pickled_before_image_shape_was_kept_resumes_with_the_shape_it_was_fitted_with(iris):
    # A GWIN fitted when 784 flat features were MNIST around any classifier read its rows as
    # images without image_shape=. Its warm start must continue that model, not the rule's
    # answer today. Here: rows read as 1 x 2 x 2 images, pickled as such a model would be.
    X, y = iris
    gwin = _gwin(10, warm_start=True, image_shape=(1, 2, 2)).fit(X, y)
    state = gwin.__getstate__()
    del state["image_shape_"]
    vars(state["_input_view"]).pop("dtype_")
    state["image_shape"] = None  # resolved by the rule of its day, not given
    old = GWINClassifier.__new__(GWINClassifier)
    old.__setstate__(state)
    assert old.image_shape_ == (1, 2, 2)
    old.set_params(n_iter=20).fit(X, y)
    assert old.history_["n_iter"] == 20
    np.testing.assert_array_equal(old.predict(X[:5].tolist()), old.predict(X[:5]))
