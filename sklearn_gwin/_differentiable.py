"""A differentiable view of the fixed classifier, for the transformation penalty."""

import copy

import torch
from sklearn.frozen import FrozenEstimator
from skorch import NeuralNetBinaryClassifier
from torch import nn
from torch.nn import functional as F

from .bnn.flipout import freeze_posterior_scale, use_local_reparameterization


def unwrap_frozen(estimator):
    """The estimator inside a ``FrozenEstimator``, or the estimator itself."""
    while isinstance(estimator, FrozenEstimator):
        estimator = estimator.estimator
    return estimator


def is_torch_classifier(estimator):
    """Whether ``estimator`` is a fitted skorch net whose module gives gradients."""
    return isinstance(getattr(unwrap_frozen(estimator), "module_", None), nn.Module)


class SampledNetLogProba(nn.Module):
    """Log-probabilities of a skorch net's module, with its stochastic layers sampled.

    The module is copied, so that the classifier itself is never touched: its
    parameters are frozen in the copy, dropout runs in training mode (sampled,
    as during the classifier's training), batch norm in evaluation mode (its
    running statistics must not move), and Flipout layers sample on every pass,
    the fully connected ones by the local reparameterization trick (see
    :func:`~sklearn_gwin.bnn.flipout.use_local_reparameterization`).

    The module's output becomes probabilities by skorch's own rule, the net's
    ``predict_nonlinearity`` ("auto": softmax after ``CrossEntropyLoss``,
    sigmoid and two columns after ``BCEWithLogitsLoss``, the output as it is
    otherwise, e.g. after ``NLLLoss`` on probabilities); a tuple output
    contributes its first element, and a binary net's ``(n, 1)`` output is
    read as ``(n,)``, as skorch does. For the two "auto" cases the log is
    taken on the logits (``log_softmax``, ``logsigmoid``), which keeps its
    gradient where a probability rounds to zero.

    Parameters
    ----------
    net : fitted skorch ``NeuralNet``
    input_shape : tuple of int
        Shape of one row as the net takes it, e.g. ``(784,)`` or ``(1, 28, 28)``.
    """

    def __init__(self, net, input_shape):
        super().__init__()
        self.module = copy.deepcopy(net.module_)
        self.module.requires_grad_(False)
        # this copy is never trained: its Flipout layers may keep their posterior scale
        freeze_posterior_scale(self.module)
        # its dense layers sample their outputs, not their weights: per example the same law,
        # without drawing the LeNet-5's 84 x 5,880 weight noise at every training step
        use_local_reparameterization(self.module)
        self.input_shape = tuple(input_shape)
        self.binary = isinstance(net, NeuralNetBinaryClassifier)
        self.to_proba = net._get_predict_nonlinearity()
        self.log_space = None
        if net.predict_nonlinearity == "auto" and len(net._criteria) == 1:
            criterion = getattr(net, net._criteria[0] + "_", None)
            criterion = getattr(criterion, "_orig_mod", criterion)  # torch.compile's wrapper, as skorch unwraps it
            if isinstance(criterion, nn.CrossEntropyLoss):
                self.log_space = "log_softmax"
            elif isinstance(criterion, nn.BCEWithLogitsLoss):
                self.log_space = "logsigmoid"

    def train(self, mode=True):
        super().train(mode)
        for layer in self.module.modules():
            if isinstance(layer, nn.modules.batchnorm._BatchNorm):
                layer.eval()
            elif isinstance(layer, nn.modules.dropout._DropoutNd):
                layer.train()
        return self

    def forward(self, x):
        parameter = next(self.module.parameters(), None)
        if parameter is not None:
            x = x.to(parameter.dtype)
        out = self.module(x.reshape(-1, *self.input_shape))
        if isinstance(out, tuple):
            out = out[0]
        if self.binary:
            out = out.reshape(-1)
        if self.log_space == "log_softmax":
            return F.log_softmax(out, dim=1)
        if self.log_space == "logsigmoid":
            return torch.stack([F.logsigmoid(-out), F.logsigmoid(out)], dim=1)
        proba = self.to_proba(out)
        return torch.log(proba.clamp_min(torch.finfo(proba.dtype).tiny))


class ClassifierInputMap(nn.Module):
    """Composes the unit-space -> classifier-space scaling with a log-proba module."""

    def __init__(self, log_proba, offset, scale):
        super().__init__()
        self.log_proba = log_proba
        self.register_buffer("offset", torch.as_tensor(offset, dtype=torch.float32))
        self.register_buffer("scale", torch.as_tensor(scale, dtype=torch.float32))

    def forward(self, x_unit):
        return self.log_proba(x_unit * self.scale + self.offset)
