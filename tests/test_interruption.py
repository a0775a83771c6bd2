"""Ctrl-C at every phase of fit: the estimator as it was, or a usable model flagged as interrupted.

The interrupts here are real SIGINTs sent to this process, as a terminal's
Ctrl-C is, so that code which catches KeyboardInterrupt on its own (skorch's
training loop) is exercised as it is.
"""

import os
import signal

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNetClassifier
from skorch.callbacks import Callback
from torch import nn

from sklearn_gwin import GWINClassifier
from sklearn_gwin import _fitting

from conftest import DEVICE

SHORT = dict(tau=0.9, n_iter=30, batch_size=32, device=DEVICE, random_state=0)


def _ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)


class _CtrlCAtEpoch(Callback):
    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            _ctrl_c()


def _skorch_net(callbacks=()):
    module = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    return NeuralNetClassifier(
        module, criterion=nn.CrossEntropyLoss, max_epochs=20, lr=0.05, train_split=None,
        callbacks=list(callbacks), verbose=0,
    )


@pytest.fixture
def iris_float32(iris):
    X, y = iris
    return X.astype(np.float32), y


def test_skorch_swallows_ctrl_c_on_its_own(iris_float32):
    # the premise of the next test: a skorch net alone stops early and returns normally
    X, y = iris_float32
    net = _skorch_net([_CtrlCAtEpoch(2)]).fit(X, y)
    assert len(net.history) == 2


def test_ctrl_c_while_a_skorch_classifier_trains_stops_the_fit_and_keeps_the_estimator(iris_float32):
    X, y = iris_float32
    gwin = GWINClassifier(_skorch_net([_CtrlCAtEpoch(2)]), **SHORT)
    with pytest.raises(KeyboardInterrupt, match="while the classifier trained"):
        gwin.fit(X, y)
    with pytest.raises(NotFittedError):
        check_is_fitted(gwin)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler given back


def test_ctrl_c_while_the_surrogate_is_distilled_keeps_the_previous_model(iris, monkeypatch):
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), **SHORT).fit(X, y)
    before, generator = gwin.predict_proba(X), gwin.generator_
    distil = _fitting.fit_surrogate

    def interrupted_and_swallowed(*args, **kwargs):
        try:
            _ctrl_c()
            for _ in range(10**6):  # Python raises the signal's KeyboardInterrupt at a bytecode boundary
                pass
        except KeyboardInterrupt:
            pass  # as a library that stops early on Ctrl-C would
        return distil(*args, **kwargs)

    monkeypatch.setattr(_fitting, "fit_surrogate", interrupted_and_swallowed)
    with pytest.raises(KeyboardInterrupt, match="surrogate"):
        gwin.set_params(random_state=1).fit(X, y)
    assert gwin.random_state == 1 and gwin.generator_ is generator
    # the seed also draws the regeneration noise: the model as before answers as before with it
    np.testing.assert_array_equal(gwin.set_params(random_state=0).predict_proba(X), before)


class CtrlCAtStep:
    """An augmentation (called once per generator step) that presses Ctrl-C at step ``step``."""

    def __init__(self, step):
        self.step, self.calls = step, 0

    def __call__(self, x):
        self.calls += 1
        if self.calls == self.step:
            _ctrl_c()
        return x


def test_ctrl_c_while_the_generator_trains_keeps_a_usable_flagged_model(iris):
    X, y = iris
    with pytest.warns(RuntimeWarning, match="interrupted after 5 of 30"):
        gwin = GWINClassifier(LogisticRegression(max_iter=500), augmentation=CtrlCAtStep(5), **SHORT).fit(X, y)
    # the step under way when Ctrl-C came is finished, then training stops
    assert gwin.history_["interrupted"] is True and gwin.history_["n_iter"] == 5
    assert len(gwin.history_["generator_loss"]) == 5
    assert gwin.predict(X).shape == y.shape
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_users_own_sigint_handler_is_left_alone(iris):
    X, y = iris
    seen = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: seen.append(signum))
    try:
        gwin = GWINClassifier(LogisticRegression(max_iter=500), **SHORT)
        gwin.fit(X, y)
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
        _ctrl_c()
        assert seen == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, previous)
