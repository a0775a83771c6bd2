"""Flipout layers: mean-field Gaussian weights with decorrelated per-example noise.

Follows Wen et al. (2018), "Flipout: Efficient Pseudo-Independent Weight
Perturbations on Mini-Batches", and the defaults of TensorFlow Probability's
``DenseFlipout`` / ``Conv2DFlipout`` that the GWIN paper used:

* kernel posterior ``N(mu, softplus(rho)^2)`` with ``mu ~ N(0, 0.1)`` and
  ``rho ~ N(-3, 0.1)`` at initialisation (so the initial scale is about 0.05);
* a standard normal prior on the kernel, KL computed in closed form;
* a deterministic (point-estimate) bias, as TFP's default bias posterior.

One weight perturbation ``dW = sigma * eps`` is drawn per forward pass and
decorrelated across the examples of a batch by random sign vectors::

    y = x @ mu + ((x * s_in) @ dW) * s_out

Noise is drawn on every forward pass, in training and evaluation mode alike,
because the Monte Carlo draws of the predictive distribution need it.

A fully connected layer may instead sample its outputs directly, by the local
reparameterization trick (Kingma, Salimans and Welling, 2015), see
:func:`use_local_reparameterization`::

    y = x @ mu + b + sqrt(x**2 @ sigma**2) * eps,   eps ~ N(0, 1) per example and output
"""

import math

import torch
from torch import nn
from torch.nn import functional as F


# TFP's default posterior: softplus of an untransformed scale initialised at -3
TFP_POSTERIOR_SCALE_INIT = math.log1p(math.exp(-3.0))


def _random_signs(shape, like):
    # Uniform +-1 signs from random bytes, eight signs per byte. Torch's CPU
    # generator makes one draw per element whatever its dtype, so a draw per
    # sign cost 2 ms per 128 x 5,880 layer input, a twentieth of a bfloat16
    # LeNet-5 training step; a draw per byte and its bits unpacked cost a
    # third of that. (bernoulli_, before randint, was slower still.) Returned
    # as int8 so that ``x * signs`` keeps x's dtype.
    n = math.prod(shape)
    packed = torch.randint(0, 256, ((n + 7) // 8, 1), dtype=torch.uint8, device=like.device)
    bits = packed.bitwise_right_shift(torch.arange(8, dtype=torch.uint8, device=like.device)).bitwise_and_(1)
    return bits.view(-1)[:n].view(torch.int8).mul_(-2).add_(1).view(shape)


class _FlipoutMixin:
    """Posterior parameters, their KL to the prior and their initialisation."""

    def _init_posterior(self, weight_shape, prior_scale, posterior_scale_init):
        self.prior_scale = prior_scale
        self.weight_mu = nn.Parameter(torch.empty(weight_shape))
        self.weight_rho = nn.Parameter(torch.empty(weight_shape))
        self._posterior_rho_init = math.log(math.expm1(posterior_scale_init))

    def reset_parameters(self):
        nn.init.normal_(self.weight_mu, 0.0, 0.1)
        nn.init.normal_(self.weight_rho, self._posterior_rho_init, 0.1)
        if self.bias is not None:
            nn.init.zeros_(self.bias)

    # Set by the library on its own frozen copy of a classifier (see
    # freeze_posterior_scale); a user's layer always computes its scale anew.
    _posterior_scale_frozen = False

    @property
    def weight_sigma(self):
        rho = self.weight_rho
        if (not self._posterior_scale_frozen or (rho.requires_grad and torch.is_grad_enabled())
                or torch.is_inference_mode_enabled()):
            # (a scale cached under inference mode could not be saved for a later backward pass)
            return F.softplus(rho)
        # softplus of the LeNet-5's 84 x 5,880 dense kernel on every pass cost
        # about a third of drawing its noise. The key still guards against the
        # changes autograd sees (in-place ops move rho's version counter,
        # .to() gives new storage, which the cached view keeps from being
        # reused at the same address); writes it cannot see (fused optimiser
        # steps, .data) are why the cache is only for a copy nobody trains.
        try:
            key = (rho.data_ptr(), rho._version, rho.dtype, rho.device, rho.shape, rho.stride())
        except RuntimeError:  # no storage or no version counter (torch.func's wrappers, inference tensors)
            return F.softplus(rho)
        cached = self.__dict__.get("_frozen_sigma")
        if cached is None or cached[0] != key:
            cached = (key, F.softplus(rho.detach()), rho.detach())
            self.__dict__["_frozen_sigma"] = cached
        return cached[1]

    def _kernel_variance(self):
        # sigma ** 2, kept beside a frozen copy's cached sigma
        sigma = self.weight_sigma
        cached = self.__dict__.get("_frozen_sigma")
        if cached is None or cached[1] is not sigma:
            return sigma.square()
        if len(cached) == 3:
            cached = self.__dict__["_frozen_sigma"] = (*cached, sigma.square())
        return cached[3]

    def __getstate__(self):
        # the cache is derived from rho: not pickled, nor deep-copied
        state = super().__getstate__()  # nn.Module's: a copy of __dict__
        state.pop("_frozen_sigma", None)
        return state

    def kl_divergence(self):
        """KL(q(w) || p(w)) summed over the kernel, for the ELBO."""
        sigma = self.weight_sigma
        ratio = sigma / self.prior_scale
        return 0.5 * torch.sum(
            ratio**2 + (self.weight_mu / self.prior_scale) ** 2 - 1 - 2 * torch.log(ratio)
        )

    def _weight_perturbation(self):
        return self.weight_sigma * torch.randn_like(self.weight_mu)


class LinearFlipout(_FlipoutMixin, nn.Module):
    """Fully connected layer with a Flipout-estimated Gaussian weight posterior.

    The forward pass maps a tensor of shape ``(n, in_features)`` to one of
    shape ``(n, out_features)``, with new weight noise at every call, in
    training and evaluation mode alike (or, after
    :func:`use_local_reparameterization`, new output noise per example).

    Parameters
    ----------
    in_features : int
        Size of each input row.
    out_features : int
        Size of each output row.
    bias : bool, default=True
        Adds a deterministic bias.
    prior_scale : float, default=1.0
        Standard deviation of the zero-mean Gaussian prior on the weights.
    posterior_scale_init : float, default=softplus(-3)
        Initial posterior standard deviation (about 0.049).

    Attributes
    ----------
    weight_mu : torch.nn.Parameter of shape (out_features, in_features)
        Posterior mean of the weights.
    weight_rho : torch.nn.Parameter of shape (out_features, in_features)
        Posterior scale before softplus: ``weight_sigma = softplus(weight_rho)``.
    bias : torch.nn.Parameter of shape (out_features,) or None
        The deterministic bias.

    See Also
    --------
    Conv2dFlipout : The convolutional layer.
    kl_divergence : Sum of the KL terms of a module's Flipout layers.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.bnn import LinearFlipout
    >>> layer = LinearFlipout(4, 3)
    >>> layer(torch.ones(2, 4)).shape
    torch.Size([2, 3])
    >>> bool(layer.kl_divergence() > 0)
    True
    """

    def __init__(
        self,
        in_features,
        out_features,
        bias=True,
        prior_scale=1.0,
        posterior_scale_init=TFP_POSTERIOR_SCALE_INIT,
    ):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self._init_posterior((out_features, in_features), prior_scale, posterior_scale_init)
        self.bias = nn.Parameter(torch.empty(out_features)) if bias else None
        self.reset_parameters()

    # set by use_local_reparameterization
    _local_reparameterization = False

    def forward(self, x):
        mean = F.linear(x, self.weight_mu, self.bias)
        if self._local_reparameterization and x.dim() == 2 and x.dtype != torch.float16:
            # for one example, the law of x @ W with W ~ N(mu, sigma^2) elementwise,
            # independent across outputs: Gaussian, mean x @ mu, variance x^2 @ sigma^2.
            # The floor keeps sqrt's gradient finite where a row is all zeros. Rows of
            # positions (x of 3 or more dims) share one weight draw under Flipout, and
            # float16 overflows x^2: both keep Flipout.
            variance = F.linear(x.square(), self._kernel_variance())
            std = variance.clamp_min(torch.finfo(variance.dtype).tiny).sqrt()
            return mean + std * torch.randn_like(std)
        sign_in = _random_signs(x.shape, x)
        sign_out = _random_signs(mean.shape, x)
        return mean + F.linear(x * sign_in, self._weight_perturbation()) * sign_out


class Conv2dFlipout(_FlipoutMixin, nn.Module):
    """2-D convolution with a Flipout-estimated Gaussian kernel posterior.

    Signs are drawn per example and channel and shared over spatial positions,
    as in TFP's ``Conv2DFlipout``.

    The forward pass maps a tensor of shape ``(n, in_channels, H, W)`` to
    one of shape ``(n, out_channels, H', W')`` as ``torch.nn.functional.conv2d``
    does, with new kernel noise at every call.

    Parameters
    ----------
    in_channels : int
        Channels of the input.
    out_channels : int
        Channels of the output (number of filters).
    kernel_size : int
        Side of the square kernel.
    stride : int, default=1
        Stride of the convolution.
    padding : int or {"same", "valid"}, default=0
        Zero padding on each side, as in ``torch.nn.functional.conv2d``.
    bias : bool, default=True
        Adds a deterministic bias.
    prior_scale : float, default=1.0
        Standard deviation of the zero-mean Gaussian prior on the kernel.
    posterior_scale_init : float, default=softplus(-3)
        Initial posterior standard deviation (about 0.049).

    Attributes
    ----------
    weight_mu : torch.nn.Parameter of shape (out_channels, in_channels, kernel_size, kernel_size)
        Posterior mean of the kernel.
    weight_rho : torch.nn.Parameter, shaped like ``weight_mu``
        Posterior scale before softplus: ``weight_sigma = softplus(weight_rho)``.
    bias : torch.nn.Parameter of shape (out_channels,) or None
        The deterministic bias.

    See Also
    --------
    LinearFlipout : The fully connected layer.
    kl_divergence : Sum of the KL terms of a module's Flipout layers.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.bnn import Conv2dFlipout
    >>> layer = Conv2dFlipout(1, 6, kernel_size=5, padding="same")
    >>> layer(torch.ones(2, 1, 28, 28)).shape
    torch.Size([2, 6, 28, 28])
    """

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        bias=True,
        prior_scale=1.0,
        posterior_scale_init=TFP_POSTERIOR_SCALE_INIT,
    ):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self._init_posterior(
            (out_channels, in_channels, kernel_size, kernel_size),
            prior_scale,
            posterior_scale_init,
        )
        self.bias = nn.Parameter(torch.empty(out_channels)) if bias else None
        self.reset_parameters()

    def _conv(self, x, weight, bias=None):
        return F.conv2d(x, weight, bias, stride=self.stride, padding=self.padding)

    def forward(self, x):
        if self.in_channels == 1:
            return self._forward_one_channel(x)
        mean = self._conv(x, self.weight_mu, self.bias)
        sign_in = _random_signs((x.shape[0], x.shape[1], 1, 1), x)
        sign_out = _random_signs((mean.shape[0], mean.shape[1], 1, 1), x)
        return mean + self._conv(x * sign_in, self._weight_perturbation()) * sign_out

    def _forward_one_channel(self, x):
        # With one input channel, s_in is one sign per row and, the convolution
        # being linear, moves into s_out: conv(x * s_in, dW) * s_out equals
        # conv(x, dW) * (s_in * s_out), and s_in * s_out is again uniform random
        # signs. So the mean and the perturbation share one convolution of x,
        # with both kernels stacked: half the passes over the image.
        kernels = torch.cat([self.weight_mu, self._weight_perturbation()])
        # the bias inside the convolution, as in the two-pass path, so that
        # autocast gives the output the same dtype
        bias = None if self.bias is None else torch.cat([self.bias, self.bias.new_zeros(self.out_channels)])
        both = self._conv(x, kernels, bias)
        mean, perturbation = both[:, : self.out_channels], both[:, self.out_channels :]
        sign_out = _random_signs((x.shape[0], self.out_channels, 1, 1), x)
        return mean + perturbation * sign_out


def freeze_posterior_scale(module):
    """Compute each Flipout layer's ``softplus(rho)`` once, for a copy of a net that is never trained.

    For the library's own frozen copy of a classifier, sampled at every step
    of the generator's training: every Flipout layer inside ``module`` then
    keeps its posterior scale until rho visibly changes (new storage, dtype,
    device, or an in-place change autograd records). Writes autograd does not
    record (fused optimiser steps, ``.data``) are not seen, so never call it
    on a net that is still trained.

    Parameters
    ----------
    module : torch.nn.Module
        Its Flipout layers, at any depth, are marked.

    Returns
    -------
    module : torch.nn.Module
        The same module.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.bnn import LinearFlipout
    >>> from sklearn_gwin.bnn.flipout import freeze_posterior_scale
    >>> layer = freeze_posterior_scale(LinearFlipout(4, 3).requires_grad_(False))
    >>> layer.weight_sigma is layer.weight_sigma
    True
    >>> with torch.no_grad():
    ...     _ = layer.weight_rho.add_(1.0)  # an in-place change is seen
    >>> torch.equal(layer.weight_sigma, torch.nn.functional.softplus(layer.weight_rho))
    True
    """
    for layer in module.modules():
        if isinstance(layer, _FlipoutMixin):
            layer._posterior_scale_frozen = True
    return module


def use_local_reparameterization(module):
    """Sample each fully connected Flipout layer's outputs instead of its weights.

    Every :class:`LinearFlipout` inside ``module`` then draws its output by
    the local reparameterization trick (Kingma, Salimans and Welling, 2015,
    "Variational Dropout and the Local Reparameterization Trick"):
    ``x @ mu + b + sqrt(x**2 @ sigma**2) * eps`` with one standard normal
    ``eps`` per example and output, instead of one weight draw per pass
    decorrelated by Flipout's signs. For each example the output has the same
    law as under Flipout (that of ``x @ W + b`` with ``W`` drawn from the
    posterior), so a loss summed over examples keeps its expectation and its
    gradient's; the examples' noise becomes independent, and the layer draws
    one normal per output element (``n x out_features``) instead of
    ``out_features x in_features``. Only 2-D input of a dtype other than
    float16 is sampled this way: the positions of a 3-D input share one
    weight draw under Flipout, which per-position noise would not
    reproduce, and float16 overflows ``x**2``; those keep Flipout.
    The library calls it on its own frozen copy of a Bayesian classifier,
    whose gradients train the generator; the classifier's own predictions
    keep Flipout. Convolutions keep Flipout: their outputs outnumber their
    kernels.

    Parameters
    ----------
    module : torch.nn.Module
        Its :class:`LinearFlipout` layers, at any depth, are switched.

    Returns
    -------
    module : torch.nn.Module
        The same module.

    See Also
    --------
    freeze_posterior_scale : The other setting of the library's frozen copy.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.bnn import LinearFlipout
    >>> from sklearn_gwin.bnn.flipout import use_local_reparameterization
    >>> layer = use_local_reparameterization(LinearFlipout(4, 3, posterior_scale_init=0.5))
    >>> out = layer(torch.ones(100_000, 4))
    >>> expected_std = layer.weight_sigma.square().sum(dim=1).sqrt()
    >>> bool(torch.allclose(out.std(dim=0), expected_std, rtol=0.02))
    True
    """
    for layer in module.modules():
        if isinstance(layer, LinearFlipout):
            layer._local_reparameterization = True
    return module


def kl_divergence(module):
    """Sum of the KL terms of every Flipout layer inside ``module``.

    Each term is ``KL(q(w) || p(w))`` of one layer's weights, in closed form;
    :class:`~sklearn_gwin.bnn.BayesianNeuralNetClassifier` adds the sum,
    scaled by ``kl_weight``, to the training loss (the negative ELBO).

    Parameters
    ----------
    module : torch.nn.Module
        Any module; its :class:`LinearFlipout` and :class:`Conv2dFlipout`
        layers, at any depth, are summed.

    Returns
    -------
    kl : torch.Tensor of shape ()
        The sum, differentiable with respect to the posterior parameters;
        a zero tensor when ``module`` has no Flipout layer.

    See Also
    --------
    LinearFlipout.kl_divergence : One layer's term.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.bnn import LinearFlipout, kl_divergence
    >>> layer = LinearFlipout(4, 3)
    >>> model = torch.nn.Sequential(layer, torch.nn.ReLU(), torch.nn.Linear(3, 2))
    >>> bool(torch.isclose(kl_divergence(model), layer.kl_divergence()))
    True
    >>> kl_divergence(torch.nn.Linear(4, 3))
    tensor(0.)
    """
    terms = [m.kl_divergence() for m in module.modules() if isinstance(m, _FlipoutMixin)]
    if not terms:
        return torch.zeros(())
    return torch.stack(terms).sum()
