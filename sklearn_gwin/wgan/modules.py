"""Conditional critic and generator modules of the WGWIN-GP.

Every module works on flat ``(n, n_features)`` tensors in [0, 1] (the GWIN's
"unit space"); the convolutional ones reshape to ``image_shape`` inside.

Generators can start at the identity: ``x' = sigmoid(logit(x) + delta(x, z))``
with the last layer of ``delta`` zero-initialised, so that training begins from
``G(x, z) = x`` and only has to learn a correction. With
``identity_start=False`` the output is ``sigmoid(delta(x, z))``, as in the paper.
"""

import math

import torch
from torch import nn

_LOGIT_EPS = 1e-3


def _same_stride2(size):
    return math.ceil(size / 2)


def _relu_layers(sizes):
    """Linear layers from ``sizes[0]`` through each of ``sizes[1:]``, each followed by a ReLU."""
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    return layers


def _unit_logit(x):
    x = x.clamp(_LOGIT_EPS, 1 - _LOGIT_EPS)
    return torch.log(x) - torch.log1p(-x)


class _Generator(nn.Module):
    """Shared forward: conditioning by concatenation, then the output map."""

    def __init__(self, latent_dim, identity_start):
        super().__init__()
        self.latent_dim = latent_dim
        self.identity_start = identity_start

    def _zero_last_layer(self, layer):
        nn.init.zeros_(layer.weight)
        nn.init.zeros_(layer.bias)

    def forward(self, x, z):
        delta = self.delta(torch.cat([x, z], dim=1)).reshape(x.shape)
        if self.identity_start:
            return torch.sigmoid(_unit_logit(x) + delta)
        return torch.sigmoid(delta)


class ConvGenerator(_Generator):
    """Generator of the paper's Table 5, for any image size.

    ``[x, z]`` -> Dense(4096 for 28x28) -> reshape -> three 5x5 stride-2
    transposed convolutions (128, 64, channels) with a crop after each to the
    size the next stage needs; ReLU inside, sigmoid at the output. On 28x28
    input the shapes are exactly the table's: 4x4x256, 8x8x128 cropped to
    7x7x128, 14x14x64, 28x28x1.

    Called as ``generator(x, z)`` with ``x`` of shape ``(n, C*H*W)`` (rows
    in [0, 1]) and noise ``z`` of shape ``(n, latent_dim)``, it returns
    ``x'`` of the shape of ``x``, with values in (0, 1).

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)`` of one row.
    latent_dim : int, default=100
        Length of the noise vector ``z``.
    identity_start : bool, default=True
        Start at ``G(x, z) = x``: the output is
        ``sigmoid(logit(x) + delta(x, z))`` with the last layer of ``delta``
        zero-initialised. False: ``sigmoid(delta(x, z))`` with random
        weights, as in the paper.

    Attributes
    ----------
    image_shape : tuple of int
        As given.
    latent_dim : int
        As given.

    See Also
    --------
    ConvCritic : The critic of the paper's Table 4.
    WarpGenerator : A generator that warps the image first.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.wgan import ConvGenerator
    >>> generator = ConvGenerator((1, 8, 8), latent_dim=4)
    >>> x, z = torch.rand(3, 64), torch.randn(3, 4)
    >>> generator(x, z).shape
    torch.Size([3, 64])
    >>> torch.allclose(generator(x, z), x.clamp(1e-3, 1 - 1e-3), atol=1e-5)  # identity start
    True
    """

    def __init__(self, image_shape, latent_dim=100, identity_start=True):
        super().__init__(latent_dim, identity_start)
        channels, height, width = image_shape
        self.image_shape = tuple(image_shape)
        # spatial sizes at each stage, from the output back to the dense layer
        self._sizes = [(height, width)]
        for _ in range(3):
            h, w = self._sizes[-1]
            self._sizes.append((_same_stride2(h), _same_stride2(w)))
        h0, w0 = self._sizes[-1]
        n_features = channels * height * width
        self.dense = nn.Sequential(nn.Linear(n_features + latent_dim, 256 * h0 * w0), nn.ReLU())
        self.up = nn.ModuleList(
            [
                nn.ConvTranspose2d(256, 128, 5, stride=2, padding=2, output_padding=1),
                nn.ConvTranspose2d(128, 64, 5, stride=2, padding=2, output_padding=1),
                nn.ConvTranspose2d(64, channels, 5, stride=2, padding=2, output_padding=1),
            ]
        )
        if identity_start:
            self._zero_last_layer(self.up[-1])

    def delta(self, xz):
        h0, w0 = self._sizes[-1]
        out = self.dense(xz).reshape(-1, 256, h0, w0)
        for stage, layer in enumerate(self.up):
            h, w = self._sizes[-2 - stage]
            out = layer(out)[:, :, :h, :w]
            if stage < len(self.up) - 1:
                out = torch.relu(out)
        return out


class ConvCritic(nn.Module):
    """Critic of the paper's Table 4, for any image size.

    The one-hot label is concatenated depth-wise to the input and to each hidden
    feature map; three 5x5 stride-2 'same' convolutions (64, 128, 256) with
    leaky ReLU, then a dense output. On 28x28 input: 28x28x11, 14x14x74,
    7x7x138, 4x4x266, 4256 -> 1, as in the table.

    Called as ``critic(x, y_onehot)`` with ``x`` of shape ``(n, C*H*W)`` and
    one-hot labels of shape ``(n, n_classes)``, it returns one score per
    row, shape ``(n,)`` (higher: more like a confident real row).

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)`` of one row.
    n_classes : int
        Length of the one-hot label.

    Attributes
    ----------
    image_shape : tuple of int
        As given.

    See Also
    --------
    ConvGenerator : The generator of the paper's Table 5.
    MLPCritic : The fully connected critic.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.wgan import ConvCritic
    >>> critic = ConvCritic((1, 8, 8), n_classes=3)
    >>> y_onehot = torch.nn.functional.one_hot(torch.tensor([0, 2, 1]), 3).float()
    >>> critic(torch.rand(3, 64), y_onehot).shape
    torch.Size([3])
    """

    def __init__(self, image_shape, n_classes):
        super().__init__()
        channels, height, width = image_shape
        self.image_shape = tuple(image_shape)
        widths = [channels, 64, 128, 256]
        self.convs = nn.ModuleList(
            nn.Conv2d(widths[i] + n_classes, widths[i + 1], 5, stride=2, padding=2)
            for i in range(3)
        )
        h, w = height, width
        for _ in range(3):
            h, w = _same_stride2(h), _same_stride2(w)
        self.out = nn.Linear((256 + n_classes) * h * w, 1)

    @staticmethod
    def _with_label(features, y_onehot):
        label_map = y_onehot[:, :, None, None].expand(-1, -1, *features.shape[2:])
        return torch.cat([features, label_map], dim=1)

    def forward(self, x, y_onehot):
        out = x.reshape(-1, *self.image_shape)
        for conv in self.convs:
            out = nn.functional.leaky_relu(conv(self._with_label(out, y_onehot)), 0.2)
        return self.out(self._with_label(out, y_onehot).flatten(1)).squeeze(1)


class MLPGenerator(_Generator):
    """Fully connected generator for tabular input: ``[x, z]`` -> hidden -> x'.

    Called as ``generator(x, z)`` with ``x`` of shape ``(n, n_features)``
    (rows in [0, 1]) and noise ``z`` of shape ``(n, latent_dim)``, it
    returns ``x'`` of the shape of ``x``, with values in (0, 1).

    Parameters
    ----------
    n_features : int
        Length of one row.
    latent_dim : int, default=100
        Length of the noise vector ``z``.
    hidden : tuple of int, default=(256, 256)
        Widths of the hidden layers (ReLU), in order; at least one.
    identity_start : bool, default=True
        Start at ``G(x, z) = x`` (zero-initialised last layer, on the logit
        scale); False: ``sigmoid(delta(x, z))`` with random weights.

    Attributes
    ----------
    latent_dim : int
        As given.
    delta : torch.nn.Sequential
        The network from ``[x, z]`` to the correction.

    See Also
    --------
    MLPCritic : The fully connected critic.
    WarpGenerator : For images: a warp, then this generator.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.wgan import MLPGenerator
    >>> generator = MLPGenerator(5, latent_dim=2, hidden=(16,))
    >>> x = torch.rand(3, 5)
    >>> generator(x, torch.randn(3, 2)).shape
    torch.Size([3, 5])
    """

    def __init__(self, n_features, latent_dim=100, hidden=(256, 256), identity_start=True):
        super().__init__(latent_dim, identity_start)
        # hidden layers before the last one: the order in which seeded weights are drawn
        layers = _relu_layers([n_features + latent_dim, *hidden])
        last = nn.Linear(hidden[-1], n_features)
        if identity_start:
            self._zero_last_layer(last)
        self.delta = nn.Sequential(*layers, last)


class MLPCritic(nn.Module):
    """Fully connected critic; the one-hot label joins the input and every hidden layer.

    Called as ``critic(x, y_onehot)`` with ``x`` of shape ``(n, n_features)``
    and one-hot labels of shape ``(n, n_classes)``, it returns one score per
    row, shape ``(n,)``. Leaky ReLU (slope 0.2) between layers.

    Parameters
    ----------
    n_features : int
        Length of one row.
    n_classes : int
        Length of the one-hot label.
    hidden : tuple of int, default=(256, 256)
        Widths of the hidden layers, in order.

    See Also
    --------
    MLPGenerator : The fully connected generator.
    ConvCritic : The critic of the paper's Table 4.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.wgan import MLPCritic
    >>> critic = MLPCritic(5, n_classes=3, hidden=(16,))
    >>> y_onehot = torch.nn.functional.one_hot(torch.tensor([0, 2]), 3).float()
    >>> critic(torch.rand(2, 5), y_onehot).shape
    torch.Size([2])
    """

    def __init__(self, n_features, n_classes, hidden=(256, 256)):
        super().__init__()
        sizes = [n_features, *hidden]
        self.hidden = nn.ModuleList(
            nn.Linear(n_in + n_classes, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:])
        )
        self.out = nn.Linear(sizes[-1] + n_classes, 1)

    def forward(self, x, y_onehot):
        out = x
        for layer in self.hidden:
            out = nn.functional.leaky_relu(layer(torch.cat([out, y_onehot], dim=1)), 0.2)
        return self.out(torch.cat([out, y_onehot], dim=1)).squeeze(1)


class WarpGenerator(nn.Module):
    """Generator that first moves the image, then corrects its pixels.

    A localisation network reads ``[x, z]`` and outputs an affine warp
    (rotation, scale, shear, shift) that is applied to the image, as in a
    spatial transformer; an :class:`MLPGenerator` then corrects the warped
    image's pixels. The warp starts at the identity (zero-initialised last
    layer), and so does the correction with ``identity_start``, so that
    training begins from ``G(x, z) = x``. A warp changes slant, size and
    position with six numbers, which a pixel-wise correction can only imitate
    with many.

    Called as ``generator(x, z)`` with ``x`` of shape ``(n, C*H*W)`` (rows
    in [0, 1]) and noise ``z`` of shape ``(n, latent_dim)``, it returns
    ``x'`` of the shape of ``x``, with values in (0, 1); pixels moved in
    from outside the image are 0.

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)``.
    latent_dim : int, default=100
        Length of the noise vector ``z``.
    hidden : tuple of int, default=(256, 256)
        Widths of the hidden layers (ReLU) of the localisation network and
        of the pixel correction.
    identity_start : bool, default=True
        Whether the pixel correction starts at the identity.

    Attributes
    ----------
    image_shape : tuple of int
        As given.
    latent_dim : int
        As given.
    localisation : torch.nn.Sequential
        Reads ``[x, z]``, outputs the 6 affine parameters' offsets from the
        identity.
    correction : MLPGenerator
        The pixel correction of the warped image.

    See Also
    --------
    MLPGenerator : The pixel correction alone.
    RandomAffine : Random warps of the training rows.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.wgan import WarpGenerator
    >>> generator = WarpGenerator((1, 8, 8), latent_dim=4, hidden=(16,))
    >>> x, z = torch.rand(3, 64), torch.randn(3, 4)
    >>> generator(x, z).shape
    torch.Size([3, 64])
    >>> torch.allclose(generator(x, z), x.clamp(1e-3, 1 - 1e-3), atol=1e-5)  # identity start
    True
    """

    def __init__(self, image_shape, latent_dim=100, hidden=(256, 256), identity_start=True):
        super().__init__()
        self.image_shape = tuple(image_shape)
        self.latent_dim = latent_dim
        n_features = math.prod(image_shape)
        layers = _relu_layers([n_features + latent_dim, *hidden])
        last = nn.Linear(hidden[-1], 6)
        nn.init.zeros_(last.weight)
        nn.init.zeros_(last.bias)
        self.localisation = nn.Sequential(*layers, last)
        self.register_buffer("identity", torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
        self.correction = MLPGenerator(n_features, latent_dim, hidden, identity_start=identity_start)

    def warp(self, x, z):
        theta = self.identity + self.localisation(torch.cat([x, z], dim=1)).reshape(-1, 2, 3)
        images = x.reshape(-1, *self.image_shape)
        grid = nn.functional.affine_grid(theta, images.shape, align_corners=False)
        warped = nn.functional.grid_sample(images, grid, padding_mode="zeros", align_corners=False)
        return warped.reshape(x.shape)

    def forward(self, x, z):
        return self.correction(self.warp(x, z), z)
