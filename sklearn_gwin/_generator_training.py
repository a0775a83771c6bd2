"""The generator's training as a phase that can stop, be saved, and resume exactly.

``fit`` trains the generator last, after the classifier and (for classifiers
without gradients) the surrogate. What that phase needs besides the fitted
model (the classifier's differentiable map, the critic, the confident set,
the optimisers' state and torch's random state) is a :class:`TrainingState`.
A GWIN keeps it when fitted with ``warm_start=True`` or a ``checkpoint``, so
that a later ``fit`` continues where training stopped; with a seed, a
resumed training ends exactly where one uninterrupted run would.
"""

import copy
import os
import warnings
from pathlib import Path

import joblib
import numpy as np
import torch

from ._cache_key import fingerprint
from .wgan.trainer import make_optimizers, train_wgwin_gp

# parameters that may change between a fit and its warm start: n_iter is the
# training's new length, random_state is replaced by the saved random state
_MAY_CHANGE_ON_WARM_START = ("n_iter", "random_state")


class TrainingState:
    """What continuing the generator's training needs, besides the fitted GWIN.

    Parameters
    ----------
    log_proba : torch.nn.Module
        The classifier's differentiable map (the net itself, or the surrogate).
    critic : torch.nn.Module
    confident : ndarray of int64
        Indices of the confident set Pc in the training rows.
    weights : ndarray of float or None
        The generator's row weights (``generator_sampling``).
    data_hash : str
        joblib's hash of the training rows and labels, to refuse other data.
    settings : dict
        A fingerprint per parameter the fit learned from, to refuse changed ones.
    """

    def __init__(self, log_proba, critic, confident, weights, data_hash, settings):
        self.log_proba = log_proba
        self.critic = critic
        self.confident = confident
        self.weights = weights
        self.data_hash = data_hash
        self.settings = settings
        self.optimizer_states = None
        self.random_states = None

    def __getstate__(self):
        state = dict(vars(self))
        # stored on CPU, so that a checkpoint made on CUDA loads anywhere
        state["critic"] = _on_cpu(self.critic)
        state["log_proba"] = _on_cpu(self.log_proba)
        # Adam's moments too (a fused Adam keeps even its step count on the device);
        # load_state_dict moves them back to the parameters' device
        state["optimizer_states"] = _tensors_on_cpu(self.optimizer_states)
        return state

    def to(self, device):
        self.critic.to(device)
        self.log_proba.to(device)
        return self

    def record_random_states(self, device):
        cuda = torch.device(device).type == "cuda"
        self.random_states = (torch.get_rng_state(), torch.cuda.get_rng_state(device) if cuda else None)

    def restore_random_states(self, device):
        cpu, cuda = self.random_states
        torch.set_rng_state(cpu)
        if cuda is not None and torch.device(device).type == "cuda":
            torch.cuda.set_rng_state(cuda, device)

    def refusal(self, X, y, estimator, config):
        """Why a warm start on these data and parameters cannot continue this training, or None."""
        if data_hash(X, y) != self.data_hash:
            return (
                "X and y are not the rows the GWIN was first fitted on; a warm start continues "
                "that training. Refit with warm_start=False to train on other rows."
            )
        changed = sorted(
            name for name, value in settings_fingerprint(estimator, config).items()
            if value != self.settings.get(name)
        )
        if changed:
            return (
                f"{', '.join(changed)} changed since the GWIN was fitted; a warm start continues "
                f"that training and only n_iter may change. Refit with warm_start=False."
            )
        return None


def _on_cpu(module):
    if all(tensor.device.type == "cpu" for tensor in [*module.parameters(), *module.buffers()]):
        return module  # shared with the classifier in the same pickle, when it is the net itself
    return copy.deepcopy(module).cpu()


def _tensors_on_cpu(value):
    if isinstance(value, torch.Tensor):
        return value.cpu()
    if isinstance(value, dict):
        return {key: _tensors_on_cpu(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_tensors_on_cpu(item) for item in value)
    return value


def data_hash(X, y):
    return joblib.hash((X, np.asarray(y)))


def settings_fingerprint(estimator, config):
    """A fingerprint per parameter that shapes the fitted model, bar those a warm start may change."""
    settings = {"estimator": estimator, **config}
    fingerprints = {}
    for name, value in settings.items():
        if name in _MAY_CHANGE_ON_WARM_START:
            continue
        try:
            fingerprints[name] = fingerprint(value)
        except TypeError:  # unpicklable: not comparable, and not compared
            fingerprints[name] = None
    return fingerprints


class Checkpoints:
    """Saves the GWIN being fitted, as it stands, to one file every ``every`` iterations.

    Written to a temporary file then renamed, so that a crash while saving
    leaves the previous checkpoint whole.
    """

    def __init__(self, gwin, path, every):
        self.gwin = gwin
        self.path = Path(path)
        self.every = every

    def save(self, fitted):
        model = copy.copy(self.gwin)
        vars(model).update(fitted)
        partial = self.path.with_name(self.path.name + ".partial")
        joblib.dump(model, partial)
        os.replace(partial, self.path)


def _joined_history(previous, new):
    if previous is None:
        return new
    joined = {key: np.concatenate([previous[key], values]) for key, values in new.items()
              if isinstance(values, np.ndarray)}
    return {**joined, "n_iter": new["n_iter"], "interrupted": new["interrupted"]}


def train_generator(fitted, training, X_unit, y_index, config, *, verbose=0, checkpoints=None,
                    keep_state=False, augment=None):
    """Train the generator of ``fitted`` from ``fitted["history_"]["n_iter"]`` (0 if none) to ``n_iter``.

    Runs inside the caller's random context (seeded or not); the optimisers
    continue from ``training.optimizer_states`` when there are some.

    Returns
    -------
    fitted : dict
        ``fitted`` with the trained generator, the critic (None without one),
        the joined history and, with ``keep_state``, ``_training_state``.
    """
    device = fitted["device_"]
    generator, critic = fitted["generator_"], training.critic
    previous = fitted.get("history_")
    adversarial = config["n_critic"] > 0
    optimizers = make_optimizers(generator, critic, adversarial, config["lr"], tuple(config["betas"]))
    if training.optimizer_states is not None:
        for optimizer, state in zip(optimizers, training.optimizer_states):
            if optimizer is not None:
                optimizer.load_state_dict(state)

    def as_fitted(history):
        result = dict(fitted, history_=_joined_history(previous, history),
                      # an unused critic would only weigh down every pickle
                      critic_=critic if adversarial else None)
        if keep_state:
            training.optimizer_states = [None if o is None else o.state_dict() for o in optimizers]
            training.record_random_states(device)
            result["_training_state"] = training
        return result

    training.log_proba.train()
    history = train_wgwin_gp(
        generator,
        critic,
        training.log_proba,
        torch.as_tensor(X_unit, device=device),
        torch.as_tensor(y_index, device=device),
        torch.as_tensor(training.confident, device=device),
        n_classes=len(fitted["classes_"]),
        n_iter=config["n_iter"],
        batch_size=config["batch_size"],
        n_critic=config["n_critic"],
        lambda_gp=config["lambda_gp"],
        lambda_loss=config["lambda_loss"],
        lr=config["lr"],
        betas=tuple(config["betas"]),
        latent_dim=config["latent_dim"],
        generator_weights=None if training.weights is None else torch.as_tensor(training.weights, device=device),
        augment=augment,
        autocast_dtype=torch.bfloat16 if fitted["precision_"] == "bfloat16" else None,
        verbose=verbose,
        start=0 if previous is None else previous["n_iter"],
        optimizers=optimizers,
        checkpoint_every=None if checkpoints is None else checkpoints.every,
        on_checkpoint=None if checkpoints is None else (lambda so_far: checkpoints.save(as_fitted(so_far))),
    )
    result = as_fitted(history)
    if checkpoints is not None:
        checkpoints.save(result)
    return result


def resumable_copy(fitted):
    """``fitted`` with its own copies of what training changes, so that a failed warm start leaves it whole."""
    training = copy.copy(fitted["_training_state"])
    training.critic = copy.deepcopy(training.critic)
    training.optimizer_states = copy.deepcopy(training.optimizer_states)
    return dict(fitted, generator_=copy.deepcopy(fitted["generator_"]), _training_state=training)


def warn_nothing_to_do(n_iter):
    warnings.warn(
        f"Warm-start fitting without increasing n_iter ({n_iter} iterations already done) trains "
        "nothing; raise n_iter to train the generator longer.",
        UserWarning,
        stacklevel=4,
    )
