"""Torch modules of the paper's Bayesian classifiers (Tables 3 and 6).

Both take flat ``(n, C*H*W)`` or image ``(n, C, H, W)`` float input and return
logits; the stochasticity lives in their Flipout layers.
"""

import math

from torch import nn

from .flipout import Conv2dFlipout, LinearFlipout


def _same_pool_size(size):
    return math.ceil(size / 2)


class _ImageInput(nn.Module):
    """Views flat input as images of ``image_shape`` and casts it to float32."""

    def __init__(self, image_shape):
        super().__init__()
        self.image_shape = tuple(image_shape)

    def forward(self, x):
        return x.float().reshape(-1, *self.image_shape)


class LeNet5Flipout(nn.Module):
    """Bayesian LeNet-5 of the paper's Table 3.

    Three 5x5 'same' Flipout convolutions (6, 16, 120 filters) with 2x2 max
    pooling after the first two, a Flipout dense layer of 84 units and a Flipout
    output layer; ReLU throughout. On 28x28 input the flattened size is
    7*7*120 = 5880, as in the table.

    The forward pass takes a float tensor of shape ``(n, C*H*W)`` or
    ``(n, C, H, W)`` and returns logits of shape ``(n, n_classes)``; it
    draws new weight noise at every call.

    Parameters
    ----------
    image_shape : tuple of int, default=(1, 28, 28)
        ``(channels, height, width)`` of the input.
    n_classes : int, default=10
        Number of classes: width of the output layer.
    prior_scale : float, default=1.0
        Standard deviation of the Gaussian prior of every Flipout layer.

    Attributes
    ----------
    net : torch.nn.Sequential
        The layers, from the reshaping of flat input to the logits.

    See Also
    --------
    sklearn_gwin.bnn.BayesianLeNet5 : This module as a scikit-learn classifier.
    sklearn_gwin.bnn.kl_divergence : The KL term of its Flipout layers.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.bnn import LeNet5Flipout
    >>> module = LeNet5Flipout(image_shape=(1, 8, 8), n_classes=3)
    >>> module(torch.rand(5, 64)).shape
    torch.Size([5, 3])
    >>> module(torch.rand(5, 1, 8, 8)).shape
    torch.Size([5, 3])
    """

    def __init__(self, image_shape=(1, 28, 28), n_classes=10, prior_scale=1.0):
        super().__init__()
        channels, height, width = image_shape
        flat = 120 * _same_pool_size(_same_pool_size(height)) * _same_pool_size(
            _same_pool_size(width)
        )
        layer = dict(prior_scale=prior_scale)
        self.net = nn.Sequential(
            _ImageInput(image_shape),
            Conv2dFlipout(channels, 6, 5, padding=2, **layer),
            nn.ReLU(),
            nn.MaxPool2d(2, ceil_mode=True),
            Conv2dFlipout(6, 16, 5, padding=2, **layer),
            nn.ReLU(),
            nn.MaxPool2d(2, ceil_mode=True),
            Conv2dFlipout(16, 120, 5, padding=2, **layer),
            nn.ReLU(),
            nn.Flatten(),
            LinearFlipout(flat, 84, **layer),
            nn.ReLU(),
            LinearFlipout(84, n_classes, **layer),
        )

    def forward(self, x):
        return self.net(x)


class ImprovedBNNModule(nn.Module):
    """Improved Bayesian network of the paper's Table 6.

    Six Flipout convolutions (3x3 valid, 3x3 valid, 5x5 stride-2 same; twice,
    with 32 then 64 filters), a Flipout dense layer of 128 units and a Flipout
    output layer. Batch norm follows every hidden layer; dropout 0.4 follows the
    two strided convolutions and the dense layer. On 28x28 input the flattened
    size is 4*4*64 = 1024, as in the table.

    The forward pass takes a float tensor of shape ``(n, C*H*W)`` or
    ``(n, C, H, W)`` and returns logits of shape ``(n, n_classes)``. Each
    block shrinks a side ``s`` to ``ceil((s - 4) / 2)``, so images must be
    at least 16x16; batch norm needs more than one row per batch in
    training mode.

    Parameters
    ----------
    image_shape : tuple of int, default=(1, 28, 28)
        ``(channels, height, width)`` of the input.
    n_classes : int, default=10
        Number of classes: width of the output layer.
    prior_scale : float, default=1.0
        Standard deviation of the Gaussian prior of every Flipout layer.
    dropout : float, default=0.4
        Dropout probability after the strided convolutions and the dense
        layer (active in training mode only).

    Attributes
    ----------
    net : torch.nn.Sequential
        The layers, from the reshaping of flat input to the logits.

    See Also
    --------
    sklearn_gwin.bnn.ImprovedBNN : This module as a scikit-learn classifier.
    LeNet5Flipout : The paper's smaller network (Table 3).

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.bnn import ImprovedBNNModule
    >>> module = ImprovedBNNModule(image_shape=(1, 16, 16), n_classes=4).eval()
    >>> module(torch.rand(3, 1, 16, 16)).shape
    torch.Size([3, 4])
    """

    def __init__(self, image_shape=(1, 28, 28), n_classes=10, prior_scale=1.0, dropout=0.4):
        super().__init__()
        channels, height, width = image_shape
        layer = dict(prior_scale=prior_scale)

        def block(in_channels, out_channels):
            # valid 3x3, valid 3x3, then a 'same' strided 5x5 that halves the size
            return [
                Conv2dFlipout(in_channels, out_channels, 3, **layer),
                nn.ReLU(),
                nn.BatchNorm2d(out_channels),
                Conv2dFlipout(out_channels, out_channels, 3, **layer),
                nn.ReLU(),
                nn.BatchNorm2d(out_channels),
                Conv2dFlipout(out_channels, out_channels, 5, stride=2, padding=2, **layer),
                nn.ReLU(),
                nn.BatchNorm2d(out_channels),
                nn.Dropout(dropout),
            ]

        def spatial(size):
            return math.ceil((size - 4) / 2)

        flat = 64 * spatial(spatial(height)) * spatial(spatial(width))
        self.net = nn.Sequential(
            _ImageInput(image_shape),
            *block(channels, 32),
            *block(32, 64),
            nn.Flatten(),
            LinearFlipout(flat, 128, **layer),
            nn.ReLU(),
            nn.BatchNorm1d(128),
            nn.Dropout(dropout),
            LinearFlipout(128, n_classes, **layer),
        )

    def forward(self, x):
        return self.net(x)
