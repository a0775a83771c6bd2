"""Training loop of the WGWIN-GP: the paper's Algorithm 1."""

import contextlib
import warnings

import numpy as np
import torch
from torch.nn import functional as F

from .._interrupts import ctrl_c_at_the_end_of_a_step

HISTORY_KEYS = (
    "critic_loss",
    "gradient_penalty",
    "wasserstein",
    "generator_loss",
    "transformation_loss",
)


def gradient_penalty(critic, x_real, x_fake, y_onehot):
    """WGAN-GP penalty ``E[(||grad D(x_hat, y)||_2 - 1)^2]`` on random interpolates.

    Each ``x_hat`` lies on the segment between a real row and the fake row
    in the same position, at a point drawn uniformly with torch's current
    generator (Gulrajani et al., 2017).

    Parameters
    ----------
    critic : torch.nn.Module
        Called as ``critic(x, y_onehot)``, returning one score per row.
    x_real : torch.Tensor of shape (n_samples, n_features)
        Real rows.
    x_fake : torch.Tensor of shape (n_samples, n_features)
        Generated rows, on the same device.
    y_onehot : torch.Tensor of shape (n_samples, n_classes)
        One-hot labels the critic is conditioned on.

    Returns
    -------
    penalty : torch.Tensor of shape ()
        The mean squared distance of the gradient norms from 1, with a
        graph so that it can be backpropagated into the critic.

    See Also
    --------
    train_wgwin_gp : Adds ``lambda_gp`` times it to the critic's loss.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.wgan import MLPCritic, gradient_penalty
    >>> critic = MLPCritic(5, n_classes=3, hidden=(16,))
    >>> y_onehot = torch.nn.functional.one_hot(torch.tensor([0, 2, 1]), 3).float()
    >>> penalty = gradient_penalty(critic, torch.rand(3, 5), torch.rand(3, 5), y_onehot)
    >>> penalty.shape, bool(penalty >= 0), penalty.requires_grad
    (torch.Size([]), True, True)
    """
    eps = torch.rand(x_real.shape[0], 1, device=x_real.device)
    x_hat = (eps * x_real + (1 - eps) * x_fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat, y_onehot).sum(), x_hat, create_graph=True)
    return ((grad.norm(2, dim=1) - 1) ** 2).mean()


def train_wgwin_gp(
    generator,
    critic,
    classifier_log_proba,
    X,
    y,
    confident,
    *,
    n_classes,
    n_iter,
    batch_size,
    n_critic,
    lambda_gp,
    lambda_loss,
    lr,
    betas,
    latent_dim,
    generator_weights=None,
    augment=None,
    autocast_dtype=None,
    verbose=0,
    start=0,
    optimizers=None,
    checkpoint_every=None,
    on_checkpoint=None,
):
    """Train ``generator`` and ``critic`` in place with Algorithm 1.

    The critic sees only confident rows (``Pc``), conditioned on their one-hot
    label; the generator is trained on all rows (``Pr``) with the loss
    ``-D(G(x, z), y) + lambda_loss * CE(C(G(x, z)), y)`` (eq. 6).
    ``n_critic=0`` trains without critic and adversarial term (transformation
    penalty only), ``lambda_loss=0`` without transformation penalty.

    Parameters
    ----------
    generator : torch.nn.Module
        Called as ``generator(x, z)``, returning rows shaped like ``x``
        (e.g. :class:`~sklearn_gwin.wgan.MLPGenerator`); trained in place.
    critic : torch.nn.Module
        Called as ``critic(x, y_onehot)``, returning one score per row
        (e.g. :class:`~sklearn_gwin.wgan.MLPCritic`); trained in place, unused with
        ``n_critic=0``.
    classifier_log_proba : callable
        Maps a batch of generated rows to log-probabilities over the classes;
        differentiable, and never updated here.
    X : torch.Tensor of shape (n_samples, n_features)
        Training rows in unit space, on the training device.
    y : torch.Tensor of shape (n_samples,)
        Class indices (int64).
    confident : torch.Tensor of shape (n_confident,)
        Indices of the rows in ``Pc``; must not be empty when
        ``n_critic > 0``.
    n_classes : int
        Number of classes: length of the one-hot labels.
    n_iter : int
        Generator iterations to train up to (counting ``start``).
    batch_size : int
        Rows drawn, with replacement, for each critic and generator step.
    n_critic : int
        Critic steps per generator step; 0 trains no critic and drops the
        adversarial term.
    lambda_gp : float
        Weight of the critic's gradient penalty.
    lambda_loss : float
        Weight of the transformation penalty; 0 drops it.
    lr : float
        Adam's learning rate, for fresh optimisers (``optimizers=None``).
    betas : tuple of (float, float)
        Adam's betas, for fresh optimisers.
    latent_dim : int
        Length of the noise vector ``z`` drawn for each row (the
        generator's ``latent_dim``).
    generator_weights : torch.Tensor of shape (n_samples,) or None, default=None
        Probabilities with which the generator's batches draw each row; None
        draws uniformly from ``Pr``, as the paper does.
    augment : callable or None, default=None
        Applied to each generator batch before the generator sees it (e.g.
        :class:`~sklearn_gwin.wgan.augment.RandomAffine`); the critic's rows
        from ``Pc`` are never changed.
    autocast_dtype : torch.dtype or None, default=None
        Runs the forward passes (and the losses) under ``torch.autocast``
        with this dtype, e.g. ``torch.bfloat16``; the backward passes and the
        optimiser steps stay outside it. None: full precision.
    verbose : int, default=0
        Shows a progress bar with running losses when positive.
    start : int, default=0
        Iterations already done: training resumes there and runs up to
        ``n_iter`` (a warm start).
    optimizers : tuple of (torch.optim.Optimizer, torch.optim.Optimizer or None), default=None
        The generator's and the critic's optimisers (the critic's None
        without critic), say with the state where an earlier run stopped;
        None makes fresh Adam optimisers with ``lr`` and ``betas``.
    checkpoint_every : int or None, default=None
        Calls ``on_checkpoint`` after every this many iterations (not after
        the last: the caller has the result then).
    on_checkpoint : callable or None, default=None
        Called as ``on_checkpoint(history)`` with the history so far (as
        returned below); the generator is in eval mode during the call.

    Returns
    -------
    history : dict
        One array per entry of ``HISTORY_KEYS`` for iterations ``start`` to
        ``n_iter`` (NaN where a term is off), plus ``n_iter`` (iterations
        done in all) and ``interrupted`` (stopped by Ctrl-C).

    Raises
    ------
    FloatingPointError
        When the generator's loss stops being finite (training diverged).

    Warns
    -----
    RuntimeWarning
        When Ctrl-C interrupts training (see Notes).

    See Also
    --------
    gradient_penalty : The critic's penalty.
    sklearn_gwin.GWINClassifier.fit : Builds the modules and calls this.

    Notes
    -----
    Ctrl-C stops training at the end of the current iteration (a second
    Ctrl-C at once) with a RuntimeWarning; the history then says
    ``interrupted``, and the modules and optimisers are as after the last
    whole iteration, so that training resumed from them (``start``) repeats
    an uninterrupted run. Batches and noise are drawn from torch's current
    generators: seed them (``torch.manual_seed``) for a repeatable run.
    Both modules are left in eval mode.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.wgan import MLPCritic, MLPGenerator, train_wgwin_gp
    >>> _ = torch.manual_seed(0)
    >>> classifier = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.LogSoftmax(dim=1))
    >>> X, y = torch.rand(30, 4), torch.randint(0, 3, (30,))
    >>> generator = MLPGenerator(4, latent_dim=2, hidden=(8,))
    >>> critic = MLPCritic(4, n_classes=3, hidden=(8,))
    >>> history = train_wgwin_gp(
    ...     generator, critic, classifier.requires_grad_(False), X, y, torch.arange(10),
    ...     n_classes=3, n_iter=3, batch_size=8, n_critic=1, lambda_gp=10.0,
    ...     lambda_loss=1.0, lr=1e-3, betas=(0.5, 0.9), latent_dim=2)
    >>> history["generator_loss"].shape, history["n_iter"], history["interrupted"]
    ((3,), 3, False)
    >>> sorted(history)
    ['critic_loss', 'generator_loss', 'gradient_penalty', 'interrupted', 'n_iter', 'transformation_loss', 'wasserstein']
    """
    device = X.device
    adversarial = n_critic > 0
    if optimizers is None:
        optimizers = make_optimizers(generator, critic, adversarial, lr, betas)
    opt_g, opt_c = optimizers
    log = {key: np.full(n_iter - start, np.nan) for key in HISTORY_KEYS}
    done, interrupted = start, False

    def history():
        kept = {key: values[: done - start].copy() for key, values in log.items()}
        return {**kept, "n_iter": done, "interrupted": interrupted}

    def batch(pool, weights=None):
        if weights is None:
            rows = pool[torch.randint(len(pool), (batch_size,), device=device)]
        else:
            rows = pool[torch.multinomial(weights, batch_size, replacement=True)]
        z = torch.randn(batch_size, latent_dim, device=device)
        return X[rows], y[rows], F.one_hot(y[rows], n_classes).float(), z

    all_rows = torch.arange(len(X), device=device)

    def reduced_precision():
        if autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device.type, dtype=autocast_dtype)

    progress = _progress(start, n_iter, verbose)
    generator.train()
    critic.train()
    try:
        with ctrl_c_at_the_end_of_a_step() as stop_requested:
            for it in progress:
                for _ in range(n_critic):
                    x, _, onehot, z = batch(confident)
                    with reduced_precision():
                        with torch.no_grad():
                            x_fake = generator(x, z)
                        d_real, d_fake = critic(x, onehot).mean(), critic(x_fake, onehot).mean()
                        penalty = gradient_penalty(critic, x, x_fake, onehot)
                        critic_loss = d_fake - d_real + lambda_gp * penalty
                    opt_c.zero_grad(set_to_none=True)
                    critic_loss.backward()
                    opt_c.step()
                row = it - start
                if adversarial:
                    log["critic_loss"][row] = critic_loss.item()
                    log["gradient_penalty"][row] = penalty.item()
                    log["wasserstein"][row] = (d_real - d_fake).item()

                x, y_batch, onehot, z = batch(all_rows, generator_weights)
                if augment is not None:
                    x = augment(x)
                with reduced_precision():
                    x_fake = generator(x, z)
                    loss = torch.zeros((), device=device)
                    if adversarial:
                        loss = loss - critic(x_fake, onehot).mean()
                    if lambda_loss > 0:
                        transformation = F.nll_loss(classifier_log_proba(x_fake), y_batch)
                        loss = loss + lambda_loss * transformation
                if lambda_loss > 0:
                    log["transformation_loss"][row] = transformation.item()
                opt_g.zero_grad(set_to_none=True)
                loss.backward()
                opt_g.step()
                log["generator_loss"][row] = loss.item()
                if not np.isfinite(log["generator_loss"][row]):
                    raise FloatingPointError(
                        f"WGWIN-GP training diverged at iteration {it + 1}: the generator's loss is "
                        f"{log['generator_loss'][row]}. Lower lr, or check the classifier's answers."
                    )
                done = it + 1
                if verbose and (it % 10 == 0 or done == n_iter):
                    progress.set_postfix(_running(log, row), refresh=False)
                due = checkpoint_every and done % checkpoint_every == 0 and done < n_iter
                if on_checkpoint is not None and due:
                    generator.eval()  # saved as it predicts
                    on_checkpoint(history())
                    generator.train()
                if stop_requested:
                    raise KeyboardInterrupt
    except KeyboardInterrupt:
        interrupted = True
        warnings.warn(
            f"WGWIN-GP training interrupted after {done} of {n_iter} iterations; "
            "the generator is kept as it was at that point.",
            RuntimeWarning,
            stacklevel=3,
        )
    finally:
        progress.close()
        generator.eval()
        critic.eval()
    return history()


def make_optimizers(generator, critic, adversarial, lr, betas):
    """Adam for the generator, and for the critic when it trains (else None)."""
    opt_g = fused_adam(generator.parameters(), lr=lr, betas=betas)
    opt_c = fused_adam(critic.parameters(), lr=lr, betas=betas) if adversarial else None
    return opt_g, opt_c


def fused_adam(parameters, **hyperparameters):
    """``torch.optim.Adam``, fused into one kernel where torch has one for the parameters' device.

    The same update as the per-tensor loop, in one kernel over all the
    tensors (on the CPU from torch 2.4; older torch gets the loop).
    """
    parameters = list(parameters)
    if parameters and all(p.device.type in ("cpu", "cuda") for p in parameters):
        try:
            return torch.optim.Adam(parameters, fused=True, **hyperparameters)
        except RuntimeError:  # torch < 2.4 has no fused Adam on the CPU
            pass
    return torch.optim.Adam(parameters, **hyperparameters)


def _running(log, it, window=50):
    start = max(0, it + 1 - window)
    means = {}
    for key, short in (("critic_loss", "D"), ("generator_loss", "G"), ("transformation_loss", "CE"), ("wasserstein", "W")):
        values = log[key][start : it + 1]
        if not np.all(np.isnan(values)):
            means[short] = f"{np.nanmean(values):.3f}"
    return means


def _progress(start, n_iter, verbose):
    from tqdm.auto import tqdm

    return tqdm(range(start, n_iter), desc="WGWIN-GP", initial=start, total=n_iter, disable=not verbose,
                leave=verbose > 1)
