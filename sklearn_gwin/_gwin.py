"""GWINClassifier: reject what the classifier is unsure of, regenerate it, relabel it."""

import copy
import os
import warnings
from numbers import Integral, Real

import numpy as np
import skorch
import torch
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context
from sklearn.pipeline import Pipeline
from sklearn.utils import Bunch, gen_batches, get_tags
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    check_memory,
    column_or_1d,
    validate_data,
)

from ._cache_key import cached_call
from ._differentiable import unwrap_frozen
from .bnn.classifier import BayesianNeuralNetClassifier
from ._fitting import augmenter, class_indices, fit_components, warps_in_float32_only
from ._generator_training import Checkpoints, resumable_copy, train_generator, warn_nothing_to_do
from ._input_view import InputView, as_input, take
from ._interrupts import InterruptWatch
from ._labelling import answers_on, pooled_label_and_certainty
from ._seeding import derive_seed, row_noise, torch_seeded
from .certainty import threshold_rejection

_MNIST_FEATURES = 28 * 28
_INFERENCE_BATCH = 1024
# parameters that do not change what fit learns, kept out of the cache key
_NOT_IN_CACHE_KEY = ("tau", "tau_abstain", "rejection", "n_regen", "pool_input", "memory", "verbose",
                     "warm_start", "checkpoint", "checkpoint_every")
# inference-only parameters that change what predict does: checked at every call
_CHECKED_AT_INFERENCE = ("tau", "tau_abstain", "rejection", "certainty", "n_regen", "pool_input")
# what fit sets, besides scikit-learn's n_features_in_ and feature_names_in_
_FITTED = ("estimator_", "classes_", "image_shape_", "generator_", "critic_", "scaler_", "device_", "precision_",
           "n_confident_",
           "decides_by_argmax_", "augmentation_", "augmentation_choice_", "surrogate_agreement_",
           "history_", "_input_view", "_training_state")
# real-valued parameters, where True and False are mistakes rather than 1 and 0
_NOT_BOOLEAN = ("tau", "tau_abstain", "tau_star", "n_regen", "n_iter", "batch_size", "n_critic", "lambda_gp",
                "lambda_loss", "lr", "latent_dim", "checkpoint_every")


def _declared_image_shape(estimator):
    """The ``image_shape`` of the library's own Bayesian net inside ``estimator``, else None.

    Looks inside a ``FrozenEstimator`` and at a Pipeline's last step. Only the
    library's nets count: another estimator's ``image_shape`` parameter may
    order its values otherwise (height, width, channels).
    """
    estimator = unwrap_frozen(estimator)
    if isinstance(estimator, Pipeline):
        return _declared_image_shape(estimator.steps[-1][1])
    if isinstance(estimator, BayesianNeuralNetClassifier):
        return tuple(int(s) for s in estimator.image_shape)
    return None


def _image_shape_fitted_before_it_was_kept(state):
    """The images a GWIN pickled without ``image_shape_`` read its rows as, from what it fitted.

    Its image generator knows its shape; a table's scaler has one range per
    feature; an image read with ``architecture="mlp"`` shares one range, and
    its shape was then given, taken from 4-D rows or, for flat rows, 28 x 28
    (the rule then: 784 features were MNIST, around any classifier).
    """
    shape = getattr(state.get("generator_"), "image_shape", None)
    if shape is not None:
        return tuple(shape)
    if getattr(state.get("scaler_"), "per_feature", True):
        return None
    given, row_shape = state.get("image_shape"), tuple(state["_input_view"].row_shape_)
    if given is not None:
        return tuple(int(s) for s in given)
    return row_shape if len(row_shape) == 3 else (1, 28, 28)


def _warn_if_channels_last(shape):
    """Warn when 4-D X looks like (n, height, width, channels), not (n, channels, height, width)."""
    channels, height, width = shape
    if width in (1, 3, 4) and min(channels, height) > 4:
        warnings.warn(
            f"X holds images of shape {tuple(shape)} read as (channels, height, width): {channels} "
            f"channels of {height} x {width} pixels. If X is channels-last, (n, height, width, "
            "channels), pass X.transpose(0, 3, 1, 2); pass image_shape= to silence this warning.",
            UserWarning,
            stacklevel=5,
        )


class GWINClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Generative Well-intentioned Network around a certainty-based classifier.

    A GWIN (Cosentino & Zhu) keeps a fixed classifier C, rejects the inputs it
    labels with certainty below ``tau`` (eq. 5), translates each rejected input
    x into x' = G(x, z) with a conditional generator trained to produce inputs
    that C labels correctly with high certainty, and relabels x'. The generator
    sees every training row, conditioned on the row itself, and pays the
    transformation penalty ``lambda_loss * CE(C(G(x, z)), y)``. With a critic
    (``n_critic > 0``) it is the paper's conditional WGAN-GP (WGWIN-GP,
    Algorithm 1), whose critic sees only the confident set Pc (training rows C
    labels correctly with certainty >= ``tau_star``), conditioned on the
    one-hot label; the default trains no critic, on the penalty alone.

    By default the generator starts as the identity and trains on the
    transformation penalty alone (``n_critic=0``) at a learning rate of 1e-3;
    for images it warps the image before correcting its pixels
    (``architecture="warp"``) and trains on randomly warped images when small
    shifts and rotations label the classifier's doubtful held-out rows better
    (``augmentation="auto"`` with ``fit(X, y, X_val=..., y_val=...)``). At
    inference three noise draws are pooled per rejected row with the row
    itself (``n_regen=3, pool_input=True``). Why these defaults, with their
    measurements: the user guide, "The defaults, and why".
    ``GWINClassifier(estimator, **PAPER_SETTINGS)`` runs Algorithm 1 as
    published: critic, random start, 200,000 iterations.

    Parameters
    ----------
    estimator : classifier with ``fit`` and ``predict_proba``, default=None
        The classifier C, cloned and fitted in ``fit``. Wrap an already fitted
        one in :class:`~sklearn.frozen.FrozenEstimator` to keep it as it is.
        None uses :class:`~sklearn_gwin.bnn.BayesianLeNet5` (image input only).
    tau : float in [0, 1], default=0.8
        Rejection threshold, used only at inference: changing it needs no refit.
    tau_abstain : float in [0, 1] or None, default=None
        Abstention threshold on a rejected row's certainty after
        regeneration, used only at inference: a rejected row whose
        certainty is still below it is abstained on
        (:meth:`predict_or_abstain`, ``predict_details().abstained``).
        ``predict`` answers every row whatever it is. None: no abstention.
        :class:`~sklearn_gwin.risk_control.AbstentionController` chooses it,
        with ``tau``, for a guaranteed error rate.
    tau_star : float in [0, 1], default=0.95
        Certainty a correctly labelled training row needs to enter Pc.
    rejection : callable or None, default=None
        None is the tau-threshold of eq. 5. A callable is called as
        ``rejection(certainty, labels)`` and returns a boolean mask of the rows
        to reject (``tau`` is then unused); any other return value raises a
        ValueError.
    certainty : "auto" or callable, default="auto"
        "auto": the estimator's ``predict_with_certainty`` or
        ``predict_certainty`` if it has one (the Bayesian nets: S4's median of
        Monte Carlo draws), else the probability ``predict_proba`` gives the
        label ``predict`` chose (the max of ``predict_proba`` for an argmax
        classifier). A callable is called as ``certainty(estimator, X)`` and
        returns one value per row, higher meaning surer: in [0, 1] for
        ``tau`` and ``tau_abstain`` to keep their meaning, on any scale for
        a ``rejection`` of your own.
    n_regen : int, default=3
        Noise draws per rejected row, used only at inference. With more than
        one, the classifier's answers on the versions ``G(x, z_k)`` are pooled:
        a Bayesian net's Monte Carlo draws over all versions (S4 on the pool);
        for any other classifier, the mean ``predict_proba`` and the label of
        the classifier's own rule (docs/supported.md). ``regenerate`` and
        ``X_regenerated`` give the first version. 1 is the paper's single x'.
        The classifier's work on the rejected rows grows in proportion to the
        number of versions. Why this default: the user guide, "The defaults,
        and why".
    pool_input : bool, default=True
        Pool the classifier's answers on the rejected row itself with those
        on its ``n_regen`` regenerated versions, as one more version (for a
        Bayesian net, the Monte Carlo draws that rejected it, not drawn
        again). Used only at
        inference: changing it needs no refit. False pools the regenerated
        versions only. Why this default: the user guide, "The defaults, and
        why".
    n_iter : int, default=2000
        Generator iterations (the paper: 200,000 on a GPU). With
        ``warm_start=True``, the total to train up to: ``fit`` raises a
        ValueError when it is below the iterations already done.
    batch_size : int, default=128
        Rows drawn for each step of the generator's (and the critic's)
        training.
    n_critic : int, default=0
        Critic steps per generator step. 5 is Algorithm 1's WGWIN-GP; 0 trains
        the generator with the transformation penalty alone (no critic).
        ``GWINClassifier(**PAPER_SETTINGS)`` gives the paper's recipe. Why
        this default: the user guide, "The defaults, and why".
    lambda_gp : float, default=10
        Weight of the critic's gradient penalty (WGAN-GP); used only with a
        critic (``n_critic > 0``).
    lambda_loss : float, default=10
        Weight of the transformation penalty; 0 turns it off.
    lr : float, default=1e-3
        Adam's learning rate for critic and generator (the paper's: 1e-4).
        Why this default: the user guide, "The defaults, and why".
    betas : tuple of float, default=(0.5, 0.9)
        Adam's betas for critic and generator: two floats in [0, 1), else
        ``fit`` raises a ValueError.
    latent_dim : int, default=100
        Length of the noise vector z the generator reads with each row.
    architecture : {"auto", "warp", "mlp", "paper"}, default="auto"
        "warp" (images): a spatial transformer that reads ``[x, z]`` and
        applies an affine warp (slant, size, position) to the image, followed
        by a fully connected correction of its pixels. "mlp": the fully
        connected correction alone. "paper": the convolutional critic and
        generator of Tables 4-5 (any image size). "auto": "warp" for image
        input, "mlp" for tabular input. Every generator but "paper" uses a
        fully connected critic. "warp" and "paper" on tabular input raise a
        ValueError in ``fit``. Why this default: the user guide, "The
        defaults, and why".
    generator_sampling : {"uniform", "uncertain"}, default="uniform"
        How the generator's training batches draw rows. "uniform": every
        training row alike (the paper). "uncertain": half of each batch in
        proportion to the classifier's doubt (``1 - certainty``, 1 when it is
        wrong), since the generator is only ever applied to rejected inputs.
    augmentation : "auto", "affine", callable or None, default="auto"
        Distortion of the generator's training rows. "affine" (images): every
        row is randomly rotated (up to 15 degrees), sheared (10 degrees),
        zoomed (0.9 to 1.1) and shifted (10% of the image), see
        :class:`~sklearn_gwin.wgan.RandomAffine`; on tabular input ``fit``
        raises a ValueError. "auto" chooses between "affine" and None on
        held-out rows passed to ``fit`` as ``X_val, y_val``, before training:
        "affine" if the classifier, its answers averaged over one-pixel shifts
        and 10-degree rotations, labels its doubtful held-out rows (certainty
        below ``tau_star``, at most 5,000) more often right than the rows
        alone, else None; without held-out rows, None. See
        ``augmentation_choice_`` and
        :func:`~sklearn_gwin.choose_augmentation`. It costs the classifier's
        certainty pass over ``X_val`` and one pass over seven views of the
        doubtful rows. A callable takes a torch batch of flattened rows
        scaled to [0, 1] and returns
        one of the same shape, drawing from torch's generator (seeded by
        ``random_state``). None trains on the rows as they are (the paper,
        and "auto" for tabular input). The critic always sees ``Pc`` as it is.
        Why this default: the user guide, "The defaults, and why".
    identity_start : bool, default=True
        Start the generator at ``G(x, z) = x`` (zero-initialised correction on
        the logit scale). False is the paper's randomly initialised generator.
        Why this default: the user guide, "The defaults, and why".
    image_shape : tuple of int or None, default=None
        ``(channels, height, width)``. None: taken from 4-D X, else from the
        classifier's own ``image_shape`` (the library's Bayesian nets, also
        inside a ``FrozenEstimator`` or at the end of a Pipeline) when one row
        holds that many values, else ``(1, 28, 28)`` for 784 features around
        the default classifier; otherwise the input is tabular (around any
        other classifier 784 columns stay a table, with a warning around a
        skorch net). ``image_shape_`` says what was used. A shape that is not
        three values, or not as many values as one row of X, raises a
        ValueError in ``fit``.
    device : {"auto", "cpu", "cuda"} or str, default="auto"
        Where the GAN trains and runs; "auto" takes CUDA when torch finds it.
    precision : {"auto", "float32", "bfloat16"}, default="auto"
        Arithmetic of the generator's training. "bfloat16" runs its forward
        passes (generator, critic, the classifier's differentiable pass or
        surrogate) under ``torch.autocast`` in bfloat16, on the CPU or on
        CUDA; the weights, the optimiser's state and inference stay float32.
        "auto" is "bfloat16" when the generator learns through a torch net's
        own gradients on a CPU with bfloat16 instructions (AVX-512 BF16 or
        AMX), "float32" otherwise (surrogates, other CPUs, CUDA, and the warp
        generator on images 1 pixel high or wide, where torch has no bfloat16
        gradient: "bfloat16" raises a ValueError there); ``precision_`` says
        which. What it gains and costs: the user guide, "What it costs".
    memory : str, joblib.Memory or None, default=None
        Caches what ``fit`` learns, keyed on the data and every parameter but
        ``tau``, ``tau_abstain``, ``rejection``, ``n_regen``, ``pool_input``,
        ``verbose`` and the
        checkpoint parameters (a warm start's continued training is not
        cached): a
        grid search over ``tau`` trains once per fold. Functions and classes
        among the parameters are keyed by their code, so a function redefined
        under the same name is not served a stale fit; a parameter that
        cannot be pickled raises a TypeError. The classifier's certainty pass
        over the training rows is cached on its own too, so GWINs with
        different GAN settings around the same frozen classifier compute it
        once. ``random_state=None`` is a parameter like any other: a second
        unseeded fit with the same data is served the first one's model, as
        a Pipeline's ``memory`` serves a transformer (seed each fit, or use
        no ``memory``, for fresh draws).
    warm_start : bool, default=False
        When True and the GWIN is fitted, ``fit`` continues the generator's
        training where it stopped (an interrupted fit, a loaded
        ``checkpoint``) up to ``n_iter`` iterations in all, keeping the fitted
        classifier: raise ``n_iter`` to train longer. X and y must be the
        rows of the first fit, and no parameter but ``n_iter`` (and those
        used only at inference) may change, else ``fit`` raises a ValueError,
        as it does for a GWIN fitted with neither ``warm_start`` nor
        ``checkpoint``. With a seed, training resumed
        this way ends exactly as one uninterrupted fit. The GWIN keeps what
        resuming needs (the optimisers' state, the critic, the classifier's
        differentiable map): its pickle is larger.
    checkpoint : str, path or None, default=None
        File to which ``fit`` saves the GWIN (with ``joblib.dump``) every
        ``checkpoint_every`` generator iterations and when training ends or
        is interrupted: ``joblib.load`` it and call
        ``fit(X, y)`` with ``warm_start=True`` to resume a crashed fit. The
        file is replaced whole (written aside, then renamed).
    checkpoint_every : int, default=500
        Generator iterations between checkpoints.
    random_state : int, RandomState instance or None, default=None
        Seeds the classifier (when it is the default one) and the GAN's
        training; torch's global generators are left untouched. With a seed,
        the noise z that regenerates a row depends only on the row and the
        seed, so a row gets the same x' in any batch, order or subset. On
        CUDA a seeded fit runs torch's deterministic kernels (warn-only; it
        sets ``CUBLAS_WORKSPACE_CONFIG=:4096:8`` unless set), so that it
        repeats there too; ``None`` leaves torch's fastest kernels on.
    verbose : int, default=0
        Shows a progress bar with running losses while training.

    Attributes
    ----------
    estimator_ : classifier
        The fitted classifier C.
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X had feature names.
    n_confident_ : int or None
        Size of the confident set Pc; only a critic (``n_critic > 0``) needs
        it to be non-empty. None where ``fit`` did not ask the classifier
        about its training rows: a Bayesian net (Monte Carlo certainty)
        with no critic and ``generator_sampling="uniform"`` needs none of
        those answers, so ``fit`` skips that pass.
    decides_by_argmax_ : bool or None
        Whether the classifier's ``predict`` was the argmax of its
        ``predict_proba`` on every training row. A rejected row's versions
        (``n_regen``, ``pool_input``) are then labelled by the argmax of
        their mean probabilities; otherwise (a threshold, an SVC) by a vote
        of the classifier's ``predict`` on each. None for a Bayesian net
        that skipped the pass (see ``n_confident_``): it pools its Monte
        Carlo draws instead.
    augmentation_ : "affine", callable or None
        The augmentation the generator was trained with (what "auto" chose).
    augmentation_choice_ : dict or None
        With ``augmentation="auto"``, the measurement behind the choice: its
        ``reason`` in words, ``n_validation`` held-out rows, ``n_doubtful`` of
        them, ``n_scored``, the classifier's ``accuracy_as_is`` and
        ``accuracy_moved`` on those (percent) and the ``seconds`` it took;
        None otherwise.
    image_shape_ : tuple of int or None
        ``(channels, height, width)`` the rows were read as (see
        ``image_shape``); None: a table.
    generator_ : torch.nn.Module
    critic_ : torch.nn.Module or None
        The critic of Algorithm 1; None when none trained (``n_critic=0``).
    precision_ : {"float32", "bfloat16"}
        The arithmetic the generator trained in: ``precision``, with "auto"
        resolved.
    surrogate_agreement_ : float or None
        For classifiers without gradients, the share of fresh points near the
        training data on which the differentiable surrogate used for the
        transformation penalty agrees with the classifier; None for torch nets.
    history_ : dict
        Per-iteration ``critic_loss``, ``gradient_penalty``, ``wasserstein``,
        ``generator_loss``, ``transformation_loss``; ``n_iter`` done and
        ``interrupted`` (True after Ctrl-C).

    See Also
    --------
    sklearn.model_selection.FixedThresholdClassifier : a threshold on one
        classifier's scores, without regeneration.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_gwin import GWINClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> gwin = GWINClassifier(LogisticRegression(max_iter=500), tau=0.7,
    ...                       tau_star=0.9, n_iter=20, random_state=0).fit(X, y)
    >>> gwin.predict(X[:3])
    array([0, 0, 0])
    >>> details = gwin.predict_details(X)
    >>> bool(details.rejected.mean() < 0.5)
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "tau": [Interval(Real, 0, 1, closed="both")],
        "tau_abstain": [Interval(Real, 0, 1, closed="both"), None],
        "tau_star": [Interval(Real, 0, 1, closed="both")],
        "rejection": [callable, None],
        "certainty": [StrOptions({"auto"}), callable],
        "n_regen": [Interval(Integral, 1, None, closed="left")],
        "pool_input": ["boolean"],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "n_critic": [Interval(Integral, 0, None, closed="left")],
        "lambda_gp": [Interval(Real, 0, None, closed="left")],
        "lambda_loss": [Interval(Real, 0, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "betas": [tuple, list],
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "architecture": [StrOptions({"auto", "paper", "mlp", "warp"})],
        "generator_sampling": [StrOptions({"uniform", "uncertain"})],
        "augmentation": [StrOptions({"auto", "affine"}), callable, None],
        "identity_start": ["boolean"],
        "image_shape": [tuple, list, None],
        "device": [str, torch.device],
        "precision": [StrOptions({"auto", "float32", "bfloat16"})],
        "memory": [None, str, HasMethods(["cache"])],
        "warm_start": ["boolean"],
        "checkpoint": [None, str, os.PathLike],
        "checkpoint_every": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        tau=0.8,
        tau_abstain=None,
        tau_star=0.95,
        rejection=None,
        certainty="auto",
        n_regen=3,
        pool_input=True,
        n_iter=2000,
        batch_size=128,
        n_critic=0,
        lambda_gp=10.0,
        lambda_loss=10.0,
        lr=1e-3,
        betas=(0.5, 0.9),
        latent_dim=100,
        architecture="auto",
        generator_sampling="uniform",
        augmentation="auto",
        identity_start=True,
        image_shape=None,
        device="auto",
        precision="auto",
        memory=None,
        warm_start=False,
        checkpoint=None,
        checkpoint_every=500,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.tau = tau
        self.tau_abstain = tau_abstain
        self.tau_star = tau_star
        self.rejection = rejection
        self.certainty = certainty
        self.n_regen = n_regen
        self.pool_input = pool_input
        self.n_iter = n_iter
        self.batch_size = batch_size
        self.n_critic = n_critic
        self.lambda_gp = lambda_gp
        self.lambda_loss = lambda_loss
        self.lr = lr
        self.betas = betas
        self.latent_dim = latent_dim
        self.architecture = architecture
        self.generator_sampling = generator_sampling
        self.augmentation = augmentation
        self.identity_start = identity_start
        self.image_shape = image_shape
        self.device = device
        self.precision = precision
        self.memory = memory
        self.warm_start = warm_start
        self.checkpoint = checkpoint
        self.checkpoint_every = checkpoint_every
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ fit
    def _resolve_image_shape(self, row_shape):
        if self.image_shape is not None:
            shape = tuple(int(s) for s in self.image_shape)
            if len(shape) != 3 or int(np.prod(shape)) != int(np.prod(row_shape)):
                raise ValueError(
                    f"image_shape={self.image_shape} must be (channels, height, width) "
                    f"with as many values as one row of X ({int(np.prod(row_shape))})."
                )
            return shape
        if len(row_shape) == 3:
            return tuple(row_shape)
        declared = _declared_image_shape(self.estimator)
        if declared is not None and int(np.prod(declared)) == int(np.prod(row_shape)):
            return declared
        # Only the default classifier, the paper's LeNet-5, reads flat MNIST rows as images
        # without being told: around any other classifier, 784 columns may be a table, and
        # reading a table as one image (one range for every column, warps) moves it wrongly.
        if self.estimator is None and row_shape == (_MNIST_FEATURES,):
            return (1, 28, 28)
        return None

    def _fit_config(self, image_shape):
        config = {k: v for k, v in self.get_params(deep=False).items() if k not in _NOT_IN_CACHE_KEY}
        config.pop("estimator")
        config["image_shape"] = image_shape
        # a model that can resume its training keeps more: a cached one must have kept it too
        config["keep_training_state"] = bool(self.warm_start or self.checkpoint is not None)
        images = image_shape is not None
        if self.architecture == "auto":
            config["architecture"] = "warp" if images else "mlp"
        elif self.architecture in ("paper", "warp") and not images:
            raise ValueError(
                f"architecture={self.architecture!r} works on images and needs image input: "
                "pass image_shape, 4-D X, or use architecture='mlp'."
            )
        if self.precision == "bfloat16" and warps_in_float32_only(config["architecture"], image_shape):
            raise ValueError(
                f"precision='bfloat16' cannot train the warp generator on images of shape {image_shape}: "
                "torch's affine_grid has no bfloat16 gradient for an image 1 pixel high or wide. Use "
                "precision='float32' or 'auto' (float32 there), or architecture='mlp'."
            )
        if isinstance(self.augmentation, str) and self.augmentation == "affine" and not images:
            raise ValueError(
                "augmentation='affine' warps images and needs image input: pass image_shape, "
                "4-D X, or a callable of your own for tabular data."
            )
        if len(self.betas) != 2 or not all(0 <= b < 1 for b in self.betas):
            raise ValueError(f"betas must be two floats in [0, 1), got {self.betas!r}.")
        return config

    def _check_not_boolean(self, names):
        for name in names:
            value = getattr(self, name)
            if isinstance(value, (bool, np.bool_)):
                raise ValueError(
                    f"The {name!r} parameter of {type(self).__name__} must be a number, "
                    f"got the boolean {value!r}."
                )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, *, X_val=None, y_val=None):
        """Fit the classifier and train the generator (with a critic: the WGWIN-GP).

        A fit that fails or is interrupted (Ctrl-C) before the generator
        trains leaves the estimator exactly as it was (fitted or not) and
        re-raises, also where the classifier's own training loop catches
        Ctrl-C (skorch's does). Ctrl-C while the generator trains finishes the
        current step and keeps the model as it is then, usable and flagged
        (``history_["interrupted"]``, a RuntimeWarning); with ``warm_start``
        or a ``checkpoint``, a later ``fit`` resumes it. docs/guarantees.md
        lists what each phase promises.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Passed to the classifier as it is (a DataFrame keeps its columns
            and dtypes); the generator moves its numeric values. Missing
            values (NaN) are allowed where the classifier allows them.
        y : array-like of shape (n_samples,)
        X_val : array-like or DataFrame shaped like rows of X, default=None
            Held-out rows the classifier was not trained on (as in
            :meth:`~sklearn.ensemble.HistGradientBoostingClassifier.fit`).
            Used only by ``augmentation="auto"``, which without them trains
            on the rows as they are. In a :class:`~sklearn.pipeline.Pipeline`,
            name it in ``transform_input`` so that it goes through the steps
            before this one.
        y_val : array-like of shape (n_val,), default=None
            Their labels; required with ``X_val``.

        Returns
        -------
        self : GWINClassifier

        Raises
        ------
        ValueError
            For input the classifier or the generator cannot take, a
            classifier whose answers are malformed (the message names it), or
            an empty confident set when a critic trains (``n_critic > 0``).
        """
        previous = dict(vars(self))
        try:
            with InterruptWatch() as interrupts:
                self._fit(X, y, X_val, y_val, interrupts)
        except BaseException:
            vars(self).clear()
            vars(self).update(previous)
            raise
        return self

    def _fit(self, X, y, X_val, y_val, interrupts):
        self._check_not_boolean(_NOT_BOOLEAN)
        if self.warm_start and self.__sklearn_is_fitted__():
            return self._continue_training(X, y)
        X = as_input(X, allow_nan=get_tags(self).input_tags.allow_nan)
        if len(X) < 2:
            raise ValueError(f"Found {len(X)} sample(s) in X, while a minimum of 2 is required.")
        validate_data(self, X, skip_check_array=True)
        y = column_or_1d(y, warn=True)
        check_consistent_length(X, y)
        check_classification_targets(y)
        view = InputView().fit(X)
        X_val, y_val = self._validate_held_out(view, X_val, y_val)
        image_shape = self._resolve_image_shape(view.row_shape_)
        config = self._fit_config(image_shape)
        if self.image_shape is None and len(view.row_shape_) == 3:
            _warn_if_channels_last(view.row_shape_)
        if image_shape is None and view.row_shape_ == (_MNIST_FEATURES,) and isinstance(unwrap_frozen(self.estimator), skorch.NeuralNet):
            warnings.warn(
                "X has 784 features, read as a table (one range per feature, the fully connected "
                "generator) around this skorch net. If they are 28 x 28 images, pass "
                "image_shape=(1, 28, 28): the warp generator and one range for the image.",
                UserWarning,
                stacklevel=4,
            )
        memory = check_memory(self.memory)
        fitted = cached_call(
            memory,
            fit_components,
            keyed=dict(estimator=self.estimator, config=config),
            unkeyed=dict(view=view, verbose=self.verbose, memory=memory, interrupts=interrupts,
                         checkpoints=self._checkpoints()),
            X=X, y=y, X_val=X_val, y_val=y_val,
        )
        vars(self).pop("_training_state", None)  # an earlier fit's, when this one keeps none
        for name, value in fitted.items():
            setattr(self, name, value)

    def _checkpoints(self):
        return None if self.checkpoint is None else Checkpoints(self, self.checkpoint, self.checkpoint_every)

    def _continue_training(self, X, y):
        """A warm start: train the fitted generator on from where it stopped, up to ``n_iter``."""
        training = getattr(self, "_training_state", None)
        if training is None:
            raise ValueError(
                "warm_start=True continues the generator's training, but this GWIN was fitted "
                "without keeping what that needs: fit it with warm_start=True (or a checkpoint) "
                "from the start, or set warm_start=False to refit."
            )
        X = self._checked_rows(X)
        y = column_or_1d(y, warn=True)
        check_consistent_length(X, y)
        # the shape the model was fitted with, not the rule's answer today: a warm start
        # continues that model
        config = self._fit_config(self.image_shape_)
        refusal = training.refusal(X, y, self.estimator, config)
        if refusal is not None:
            raise ValueError(refusal)
        done = self.history_["n_iter"]
        if self.n_iter < done:
            raise ValueError(
                f"n_iter={self.n_iter} must be at least the {done} iterations already done when "
                "warm_start=True."
            )
        if self.n_iter == done:
            warn_nothing_to_do(done)
            return
        fitted = resumable_copy({name: getattr(self, name) for name in _FITTED})
        X_unit = self.scaler_.to_unit(self._input_view.numbers(X).reshape(len(X), -1))
        seed = derive_seed(self.random_state)
        with torch_seeded(seed, self.device_):
            if seed is not None:  # the random state where training stopped, not the seed's start
                fitted["_training_state"].restore_random_states(self.device_)
            fitted = train_generator(
                fitted, fitted["_training_state"], X_unit, class_indices(y, self.classes_), config,
                verbose=self.verbose, checkpoints=self._checkpoints(), keep_state=True,
                augment=augmenter(self.augmentation_, config["image_shape"]),
            )
        for name, value in fitted.items():
            setattr(self, name, value)

    def _validate_held_out(self, view, X_val, y_val):
        if X_val is None and y_val is None:
            return None, None
        if X_val is None or y_val is None:
            raise ValueError("X_val and y_val go together: pass both or neither.")
        rows = as_input(X_val, input_name="X_val", allow_nan=get_tags(self).input_tags.allow_nan)
        view.check(rows, input_name="X_val")
        X_val = view.as_fitted_dtype(rows, X_val)
        y_val = column_or_1d(y_val, warn=True)
        check_consistent_length(X_val, y_val)
        return X_val, y_val

    def __sklearn_is_fitted__(self):
        return hasattr(self, "generator_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.estimator is not None:
            inner = get_tags(self.estimator).input_tags
            tags.input_tags.allow_nan = inner.allow_nan
            tags.input_tags.string = inner.string
            tags.input_tags.categorical = inner.categorical
        return tags

    # ------------------------------------------------------------ inference
    def _validate(self, X):
        self._check_inference_params()
        return self._checked_rows(X)

    def _check_inference_params(self):
        check_is_fitted(self)
        self._check_not_boolean(set(_NOT_BOOLEAN) & set(_CHECKED_AT_INFERENCE))
        # inference-only parameters may have changed since fit (set_params)
        validate_parameter_constraints(
            {name: self._parameter_constraints[name] for name in _CHECKED_AT_INFERENCE},
            {name: getattr(self, name) for name in _CHECKED_AT_INFERENCE},
            caller_name=type(self).__name__,
        )

    def _checked_rows(self, X):
        """X as the fitted GWIN takes it: its form, its number of features, the columns it moves."""
        rows = as_input(X, allow_nan=get_tags(self).input_tags.allow_nan)
        images = len(self._input_view.row_shape_) > 1
        if images:
            # the row shape first: after a 4-D fit n_features_in_ counts channels, and its
            # message ("X has 64 features, but ... is expecting 1") would not say what is wrong
            self._input_view.check(rows)
        validate_data(self, rows, skip_check_array=True, reset=False)
        if not images:
            self._input_view.check(rows)
        return self._input_view.as_fitted_dtype(rows, X)

    def _regenerate(self, X, draw=0):
        """``G(x, z)`` for the rows of X, in X's own form (array or DataFrame)."""
        if len(X) == 0:
            return X.copy()
        numbers = self._input_view.numbers(X)
        unit = self.scaler_.to_unit(numbers.reshape(len(X), -1))
        seed = derive_seed(self.random_state)
        latent_dim = self.generator_.latent_dim
        out = []
        with torch.no_grad():
            for rows in np.array_split(unit, max(1, int(np.ceil(len(unit) / _INFERENCE_BATCH)))):
                if seed is None:
                    z = torch.randn(len(rows), latent_dim, device=self.device_)
                else:
                    z = torch.as_tensor(row_noise(rows, latent_dim, seed, draw), device=self.device_)
                x = torch.as_tensor(rows, device=self.device_)
                out.append(self.generator_(x, z).cpu().numpy())
        regenerated = self.scaler_.from_unit(np.concatenate(out))
        if not np.all(np.isfinite(regenerated)):
            # a diverged generator is stopped in fit; this guards models loaded from elsewhere
            raise FloatingPointError("The generator returned NaN or infinite values; refit the GWIN.")
        return self._input_view.rebuild(X, regenerated.reshape(numbers.shape), numbers)

    def _reject(self, certainty, labels):
        if self.rejection is None:
            return threshold_rejection(certainty, labels, self.tau)
        mask = np.asarray(self.rejection(certainty, labels))
        if mask.shape != certainty.shape or mask.dtype != bool:
            raise ValueError(
                f"rejection must return a boolean mask of shape {certainty.shape}, got "
                f"{mask.dtype} of shape {mask.shape}."
            )
        return mask

    def _decide(self, X, with_proba=False):
        """The classifier's answers on X (:class:`~._labelling.Answers`) and the rows rejected."""
        answers = answers_on(self.estimator_, X, self.certainty, with_proba=with_proba)
        return answers, self._reject(answers.certainty, answers.labels)

    def _chunks(self, X):
        """X in consecutive chunks of rows, so that the work on each stays within a memory bound.

        A chunk holds as many rows as fit scikit-learn's ``working_memory``
        (:func:`sklearn.set_config`, 1024 MB by default) by an estimate of what
        one row costs: its numbers, their regenerated versions and the
        classifier's answers on each. X itself when it fits in one. A
        generator: a DataFrame's chunk is a copy, made only when its turn
        comes.
        """
        versions = self.n_regen + 1 + int(self.pool_input)
        row_bytes = 8 * (int(np.prod(self._input_view.row_shape_)) * (versions + 2)
                         + len(self.classes_) * (versions + 2))
        # scikit-learn's own knob for chunked work (pairwise distances, neighbours), in MiB
        chunk_rows = max(1, int(get_config()["working_memory"] * 2**20 // row_bytes))
        if len(X) <= chunk_rows:
            yield X
            return
        for rows in gen_batches(len(X), chunk_rows):
            yield take(X, rows)

    def _details(self, X, with_proba=False, keep=None):
        """The whole decision for X, chunk by chunk (:meth:`_chunks`).

        ``keep`` names the only answer the caller wants (say ``"labels"``),
        returned alone, or a tuple of those it wants, returned as a Bunch:
        the others are dropped chunk by chunk.
        """
        chunks = []
        for rows in self._chunks(X):
            details = self._details_of_chunk(rows, with_proba)
            if isinstance(keep, str):
                details = details[keep]
            elif keep is not None:
                details = Bunch(**{name: details[name] for name in keep})
            chunks.append(details)
        if isinstance(keep, str):
            return chunks[0] if len(chunks) == 1 else np.concatenate(chunks)
        return chunks[0] if len(chunks) == 1 else _concatenate_details(chunks)

    def _details_of_chunk(self, X, with_proba=False):
        answers, rejected = self._decide(X, with_proba)
        labels, certainty, proba = answers
        details = Bunch(
            labels_before=labels,
            certainty_before=certainty,
            rejected=rejected,
            labels=labels.copy(),
            certainty=certainty.copy(),
        )
        rejected_rows = np.flatnonzero(rejected)
        # only the rejected rows' answers are kept (a Bayesian net's draws on every row would weigh)
        first = answers.take(rejected_rows) if self.pool_input else None
        del answers
        X_rejected = take(X, rejected_rows)
        versions = [self._regenerate(X_rejected, draw) for draw in range(self.n_regen)]
        details.X_regenerated = versions[0]
        if with_proba:
            details.proba_before = proba
            details.proba = proba.copy()
        if not rejected.any():
            return _with_abstention(details, self.tau_abstain)
        new_labels, new_certainty, new_proba = self._answers_on_versions(X_rejected, versions, first, with_proba)
        details.labels[rejected] = new_labels
        details.certainty[rejected] = new_certainty
        if with_proba:
            details.proba[rejected] = new_proba
        return _with_abstention(details, self.tau_abstain)

    def _answers_on_versions(self, X, versions, first, with_proba):
        """The classifier's answers on the regenerated ``versions`` of X, pooled (with X too, by ``pool_input``).

        ``first`` holds the classifier's answers on X itself when ``pool_input``.
        """
        if self.pool_input:
            versions = [X, *versions]
        if len(versions) == 1:
            return answers_on(self.estimator_, versions[0], self.certainty, with_proba=with_proba)
        # the rows' own answers (a Bayesian net's draws) are pooled as the first pass gave them
        return pooled_label_and_certainty(
            self.estimator_, versions, self.certainty, by_argmax=self.decides_by_argmax_, first=first,
        )

    def _answers_after_regeneration(self, X):
        """Labels, certainty and probabilities of every row of X as if all were rejected.

        For :class:`GWINClassifierCV`, whose fold GWINs relabel the rows the
        refitted classifier rejects: they regenerate whatever their own
        classifier thinks of the row. X is validated by the caller.
        """
        parts = []
        for rows in self._chunks(X):
            first = answers_on(self.estimator_, rows, self.certainty) if self.pool_input else None
            versions = [self._regenerate(rows, draw) for draw in range(self.n_regen)]
            parts.append(tuple(self._answers_on_versions(rows, versions, first, with_proba=True)))
        return tuple(np.concatenate(column) for column in zip(*parts))

    def reject(self, X):
        """Boolean mask of the rows the rejection function rejects (eq. 5).

        With ``rejection=None``, the rows whose certainty is below ``tau``;
        otherwise the mask the ``rejection`` callable returns.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took, as in :meth:`predict`.

        Returns
        -------
        rejected : ndarray of bool, shape (n_samples,)
            True for the rows that would be regenerated.

        Raises
        ------
        sklearn.exceptions.NotFittedError, ValueError
            As :meth:`predict`.
        """
        return np.concatenate([self._decide(rows)[1] for rows in self._chunks(self._validate(X))])

    def regenerate(self, X, draw=0):
        """``G(x, z)`` for every row, in X's own form and scale.

        Every row of X is regenerated, rejected or not.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took, as in :meth:`predict`.
        draw : int, default=0
            Which noise draw: ``predict`` pools draws ``0 .. n_regen - 1``.
            With a ``random_state``, a row's draw ``k`` is the same in any
            call; without one, each call draws new noise.

        Returns
        -------
        X_regenerated : ndarray or DataFrame, shaped like X
            One regenerated row per row of X, in order. An array keeps X's
            shape and dtype; a DataFrame keeps its index, columns and
            dtypes; columns that are not numeric, and missing values, are
            as in X; integer columns are rounded.

        Raises
        ------
        sklearn.exceptions.NotFittedError, ValueError
            As :meth:`predict`.
        FloatingPointError
            When the generator returns NaN or infinite values.
        """
        versions = [self._regenerate(rows, int(draw)) for rows in self._chunks(self._validate(X))]
        return versions[0] if len(versions) == 1 else _concatenated(versions)

    def predict(self, X):
        """The classifier's own labels; rejected rows relabelled after regeneration.

        A row that is not rejected gets exactly ``estimator_.predict``'s
        label. A rejected row gets the classifier's own decision on its
        versions: its ``n_regen`` regenerations and, with ``pool_input``
        (the default), the row itself; with several, pooled by the rule in
        ``decides_by_argmax_`` (docs/supported.md).

        X is decided in chunks of rows sized to scikit-learn's
        ``working_memory`` (in MiB; ``sklearn.config_context(working_memory=128)``
        lowers it), so that memory does not grow with the number of rows
        beyond the answers themselves; so are X's rows in ``predict_proba``,
        ``predict_certainty``, ``predict_details``, ``reject`` and
        ``regenerate``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took: an array with rows of the shape
            of the training rows (flat or images), or a DataFrame with the
            columns the GWIN was fitted on. Passed to the
            classifier as it is; NaN is allowed where the classifier allows
            it.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            One label per row of X, elements of ``classes_`` (its dtype).

        Raises
        ------
        sklearn.exceptions.NotFittedError
            When the GWIN is not fitted.
        ValueError
            For rows of another shape or columns than in ``fit``, infinite
            or non-numeric array values, an inference parameter (``tau``,
            ``tau_abstain``, ``n_regen``, ...) set to an invalid value, or a
            classifier (or ``rejection``, ``certainty`` callable) whose
            answers are malformed.
        """
        return self._details(self._validate(X), keep="labels")

    def predict_or_abstain(self, X):
        """Labels for every row, and which rows are answered (``tau_abstain``).

        A row is answered when it is not rejected, or when its certainty
        after regeneration reaches ``tau_abstain``; with ``tau_abstain=None``
        every row is.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took, as in :meth:`predict`.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            As :meth:`predict`, for every row, answered or not.
        answered : ndarray of bool, shape (n_samples,)
            False for the rows abstained on (rejected, and still below
            ``tau_abstain`` after regeneration).

        Raises
        ------
        sklearn.exceptions.NotFittedError, ValueError
            As :meth:`predict`.
        """
        details = self._details(self._validate(X), keep=("labels", "answered"))
        return details.labels, details.answered

    def predict_proba(self, X):
        """The classifier's own probabilities; rejected rows' after regeneration.

        A row that is not rejected gets exactly ``estimator_.predict_proba``'s
        row; a rejected row the mean over its regenerated versions, and over
        the row itself with ``pool_input`` (for a Bayesian net, the mean of
        the softmax over all their Monte Carlo draws).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took, as in :meth:`predict`.

        Returns
        -------
        proba : ndarray of float, shape (n_samples, n_classes)
            One row per row of X, columns in the order of ``classes_``,
            in the classifier's dtype (float32 for the Bayesian nets).

        Raises
        ------
        sklearn.exceptions.NotFittedError, ValueError
            As :meth:`predict`.
        """
        return self._details(self._validate(X), with_proba=True, keep="proba")

    def predict_certainty(self, X):
        """Certainty of the final label (after regeneration for rejected rows).

        A row that is not rejected gets the classifier's certainty of its
        label (see ``certainty``); a rejected row the certainty of its label
        after regeneration, pooled over its versions.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took, as in :meth:`predict`.

        Returns
        -------
        certainty : ndarray of float64, shape (n_samples,)
            One value per row of X, the certainty of the label
            :meth:`predict` gives it.

        Raises
        ------
        sklearn.exceptions.NotFittedError, ValueError
            As :meth:`predict`.
        """
        return self._details(self._validate(X), keep="certainty")

    def predict_details(self, X):
        """Everything about each decision, for analysis.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W), or DataFrame
            Rows in the form ``fit`` took, as in :meth:`predict`.

        Returns
        -------
        details : sklearn.utils.Bunch
            Every entry but ``X_regenerated`` has one entry per row of X, in
            X's order:

            - ``labels_before`` (n_samples,), ``certainty_before``
              (n_samples,) float64, ``proba_before`` (n_samples, n_classes):
              the classifier alone;
            - ``rejected`` (n_samples,) bool: the rows regenerated;
            - ``labels`` (n_samples,), ``certainty`` (n_samples,) float64,
              ``proba`` (n_samples, n_classes): the GWIN's final answer
              (those of :meth:`predict`, :meth:`predict_certainty` and
              :meth:`predict_proba`), equal to the ``*_before`` ones on the
              rows not rejected;
            - three bool masks of shape (n_samples,) that split the rows
              (``tau_abstain``): ``answered`` (not rejected, or
              ``repaired``), ``repaired`` (rejected, then certain enough
              after regeneration) and ``abstained`` (rejected and still
              doubtful).

            ``X_regenerated`` holds only the rejected rows, regenerated
            (the first noise draw), in their order in X: it is shaped like
            X with ``n_rejected = rejected.sum()`` rows (zero when none is
            rejected), in X's form and scale (a DataFrame keeps the index of
            the rejected rows). Its ``i``-th row is the version of row
            ``np.flatnonzero(rejected)[i]`` of X.

        Raises
        ------
        sklearn.exceptions.NotFittedError, ValueError
            As :meth:`predict`.
        """
        return self._details(self._validate(X), with_proba=True)

    # ---------------------------------------------------------- pickling
    def __getstate__(self):
        # scikit-learn's own state stamps its version (_sklearn_version). A copy: for a class
        # outside sklearn it is the live __dict__, and the changes below would move this very
        # model's generator to the CPU
        state = dict(super().__getstate__())
        state["_library_versions"] = _library_versions()
        for name in ("generator_", "critic_"):
            if state.get(name) is not None:
                # stored on CPU, so that a model trained on CUDA loads anywhere
                state[name] = copy.deepcopy(state[name]).cpu()
        return state

    def __setstate__(self, state):
        saved = state.pop("_library_versions", {})
        # warns (InconsistentVersionWarning) when scikit-learn's version differs
        super().__setstate__(state)
        changed = [
            f"{name} {saved.get(name, 'unrecorded')} -> {version}"
            for name, version in _library_versions().items()
            if saved.get(name) != version
        ]
        if changed:
            warnings.warn(
                f"This GWINClassifier was pickled under other library versions ({', '.join(changed)}); "
                "it may not load or predict as it did. Refit it with the versions installed here.",
                UserWarning,
                stacklevel=2,
            )
        if "precision" not in state:  # pickled before the parameter existed, when every fit was float32
            self.precision = "float32"
        device = state.get("device_")
        if device is None:
            return
        if "image_shape_" not in state:
            self.image_shape_ = _image_shape_fitted_before_it_was_kept(state)
        if "precision_" not in state:  # fitted before precision="auto": it trained as its parameter said
            self.precision_ = "bfloat16" if state.get("precision") == "bfloat16" else "float32"
        if device.type == "cuda" and not torch.cuda.is_available():
            warnings.warn(
                "This GWINClassifier was trained on CUDA, which is not available here; "
                "it runs on the CPU.",
                stacklevel=2,
            )
            self.device_ = torch.device("cpu")
        for module in (self.generator_, self.critic_):
            if module is not None:
                module.to(self.device_)
        if getattr(self, "_training_state", None) is not None:
            self._training_state.to(self.device_)


def _with_abstention(details, tau_abstain):
    """``answered``, ``repaired`` and ``abstained`` masks, from the certainty after regeneration."""
    rejected = details.rejected
    still_doubtful = np.zeros_like(rejected) if tau_abstain is None else details.certainty < tau_abstain
    details.abstained = rejected & still_doubtful
    details.answered = ~details.abstained
    details.repaired = rejected & ~still_doubtful
    return details


def _concatenated(parts):
    """Consecutive chunks of rows joined: arrays, or DataFrames (regenerated rows)."""
    if isinstance(parts[0], np.ndarray):
        return np.concatenate(parts)
    import pandas as pd

    return pd.concat(parts)


def _concatenate_details(chunks):
    """One ``predict_details`` Bunch from those of consecutive chunks of rows."""
    return Bunch(**{name: _concatenated([chunk[name] for chunk in chunks]) for name in chunks[0]})


def _library_versions():
    """The versions that a pickled GWIN depends on, besides scikit-learn's (stamped by it)."""
    from . import __version__

    return {"sklearn-gwin": __version__, "torch": torch.__version__, "skorch": skorch.__version__}
