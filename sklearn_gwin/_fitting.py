"""Everything ``GWINClassifier.fit`` learns, as one cacheable function.

``fit_components`` takes the data and every parameter that shapes the fitted
model, and none that only matter at inference (``tau``, ``rejection``) or for
display (``verbose``). Cached with ``joblib.Memory``, a search over ``tau``
therefore fits the classifier and the GAN once per fold.
"""

import numpy as np
import torch
from sklearn.base import clone
from sklearn.utils import check_random_state

from ._augmentation_choice import choose_augmentation
from ._cache_key import cached_call
from ._device import resolve_device, resolve_precision
from ._differentiable import (
    ClassifierInputMap,
    SampledNetLogProba,
    is_torch_classifier,
    unwrap_frozen,
)
from ._generator_training import TrainingState, data_hash, settings_fingerprint, train_generator
from ._input_view import take
from ._interrupts import NoWatch
from ._labelling import checked_proba, classifier_errors_named, decides_by_argmax, draws_by_monte_carlo, label_certainty_and_proba
from ._scaling import UnitScaler
from ._seeding import derive_seed, torch_seeded
from .surrogate import fit_surrogate
from .wgan.augment import RandomAffine
from .wgan.modules import ConvCritic, ConvGenerator, MLPCritic, MLPGenerator, WarpGenerator


def default_estimator(image_shape, random_state, verbose, device="cpu"):
    """The paper's Bayesian LeNet-5 for ``image_shape`` images, on ``device``."""
    from .bnn import BayesianLeNet5

    if image_shape is None:
        raise ValueError(
            "estimator=None uses the Bayesian LeNet-5, which needs image input: "
            "pass image_shape=(channels, height, width), 4-D X, or an estimator "
            "of your own for tabular data."
        )
    return BayesianLeNet5(
        image_shape=image_shape,
        random_state=random_state,
        device=str(device),
        verbose=int(verbose > 1),
    )


def class_indices(y, classes, name="y"):
    """Index of each label of ``y`` in ``classes``; unseen labels are an error naming ``name``."""
    position = {label: i for i, label in enumerate(classes.tolist())}
    unseen = sorted({label for label in y.tolist() if label not in position}, key=str)
    if unseen:
        raise ValueError(
            f"{name} has labels the classifier does not know: {unseen[:10]}; its classes_ "
            f"are {classes.tolist()[:20]}."
        )
    return np.array([position[label] for label in y.tolist()], dtype=np.int64)


def check_classifier_takes(estimator, X, n_rows=2, input_name="X"):
    """Raise a ValueError naming the problem unless the fitted classifier answers a few rows of X.

    A ``FrozenEstimator`` never sees X at fit, and a default fit may skip the
    classifier's pass over the training rows: without this probe, rows it
    cannot take (another image size, number of features or dtype) would first
    meet it deep in the generator's training, as a torch error about matrix
    shapes. The classifier's own ValueError or TypeError, which names the
    problem, passes unchanged; a torch error is wrapped in one that says
    where it came from.
    """
    rows = take(X, np.arange(min(n_rows, len(X))))
    with classifier_errors_named(estimator, len(rows), input_name):
        estimator.predict_proba(rows)  # its answers are checked where they are used


def warps_in_float32_only(architecture, image_shape):
    """Whether the warp generator would meet images 1 pixel high or wide: torch's
    ``affine_grid`` has no bfloat16 gradient there, so it trains in float32."""
    return architecture == "warp" and image_shape is not None and min(image_shape[1:]) == 1


def _build_modules(architecture, image_shape, n_features, n_classes, config):
    if architecture == "paper":
        generator = ConvGenerator(image_shape, config["latent_dim"], config["identity_start"])
        return generator, ConvCritic(image_shape, n_classes)
    if architecture == "warp":
        generator = WarpGenerator(image_shape, config["latent_dim"], identity_start=config["identity_start"])
        return generator, MLPCritic(n_features, n_classes)
    generator = MLPGenerator(n_features, config["latent_dim"], identity_start=config["identity_start"])
    return generator, MLPCritic(n_features, n_classes)


def learns_through_the_net(estimator, view):
    """Whether the generator learns through the classifier's own gradients (else through a surrogate)."""
    return is_torch_classifier(estimator) and not view.dataframe_


def _classifier_log_proba(estimator, X, view, X_unit, scaler, rng, device):
    """Differentiable map from unit-space rows to log-probabilities over ``classes_``.

    Column ``k`` is ``estimator.classes_[k]``, which is the GWIN's ``classes_``.
    A skorch net fitted on an array gives its own gradients; any other
    classifier (a DataFrame pipeline, a forest, a skorch net fitted on a
    DataFrame) is imitated by a distilled surrogate, which asks the classifier
    about rows in the form it was fitted on. Returns the module and the
    surrogate's agreement (None for a torch net).
    """
    if learns_through_the_net(estimator, view):
        net = SampledNetLogProba(unwrap_frozen(estimator), view.row_shape_)
        return ClassifierInputMap(net, scaler.offset_, scaler.scale_).to(device), None

    def proba_unit(rows, source):
        numbers = scaler.from_unit(rows).reshape(-1, *view.row_shape_)
        # the rows the points were made from lend them every column the generator does not move
        asked = view.rebuild(take(X, source), numbers)
        return checked_proba(estimator, estimator.predict_proba(asked), len(rows))

    # the surrogate already works in unit space
    return fit_surrogate(proba_unit, X_unit, rng, device=device)


def certainty_pass(memory, estimator, X, certainty):
    """The classifier's labels, certainty and probabilities on ``X``, cached by ``memory``.

    Keyed on the classifier's fitted state and the code of ``certainty``, so
    that GWINs with other GAN settings around the same frozen classifier
    share the pass, and a redefined certainty function does not.
    """
    return cached_call(
        memory, label_certainty_and_proba, keyed=dict(estimator=estimator, certainty=certainty), X=X
    )


def augmenter(augmentation, image_shape):
    """The callable that distorts the generator's training rows, or None."""
    if augmentation is None or callable(augmentation):
        return augmentation
    return RandomAffine(image_shape)


def generator_row_weights(sampling, labels, y, certainty):
    """Probabilities with which the generator's batches draw the training rows.

    "uniform" is the paper's choice: every row of ``Pr`` alike. "uncertain"
    draws half of each batch uniformly and half in proportion to the doubt of
    the classifier, ``1 - certainty`` on rows it labels correctly and 1 on the
    rows it gets wrong: at inference the generator only sees rejected inputs,
    and on the confident rows the transformation penalty has no gradient.

    Returns
    -------
    weights : ndarray of shape (n_samples,) or None
        None for "uniform".
    """
    if sampling == "uniform":
        return None
    doubt = np.where(labels == y, 1.0 - certainty, 1.0)
    uniform = np.full(len(y), 1.0 / len(y))
    if doubt.sum() <= 0:
        return uniform
    return 0.5 * uniform + 0.5 * doubt / doubt.sum()


def fit_components(
    estimator, X, y, config, view, verbose=0, memory=None, X_val=None, y_val=None, interrupts=None,
    checkpoints=None,
):
    """Fit the classifier, build the confident set and train the WGWIN-GP.

    Parameters
    ----------
    estimator : classifier or None
        Cloned and fitted; a ``FrozenEstimator`` is kept as it is.
    X : ndarray (2-D or 4-D) or DataFrame
        The training rows as the user passed them: the classifier gets them
        so.
    y : ndarray of shape (n_samples,)
    config : dict
        ``image_shape``, ``architecture``, ``tau_star``, ``certainty``,
        ``device`` and the GAN's hyper-parameters, as in ``GWINClassifier``.
    view : InputView
        Fitted on ``X``: what the generator moves.
    verbose : int
    memory : joblib.Memory or None
        Also caches the classifier's certainty pass over ``X`` on its own
        (:func:`certainty_pass`).
    X_val, y_val : ndarray, DataFrame or None
        Held-out rows, validated, for ``augmentation="auto"``.
    interrupts : InterruptWatch or None
        Checked between phases, so that a Ctrl-C a phase swallowed (skorch's
        training loop does) still stops the fit before the generator trains.
    checkpoints : Checkpoints or None
        Saves the GWIN as it stands every so many generator iterations.

    Returns
    -------
    fitted : dict
        The fitted attributes of ``GWINClassifier``.

    Raises
    ------
    ValueError
        When a critic trains (``n_critic > 0``) and no training row enters
        the confident set.
    """
    seed = derive_seed(config["random_state"])
    rng = check_random_state(seed)
    device = resolve_device(config["device"])
    image_shape = config["image_shape"]
    if estimator is None:
        estimator = default_estimator(image_shape, seed, verbose, device)
    interrupts = NoWatch() if interrupts is None else interrupts
    estimator_ = clone(estimator).fit(X, y)
    interrupts.check("while the classifier trained")
    check_classifier_takes(estimator_, X)
    if X_val is not None:
        check_classifier_takes(estimator_, X_val, input_name="X_val")
    classes = np.asarray(estimator_.classes_)
    y_index = class_indices(y, classes)

    # The classifier's answers on the training rows feed the confident set (the critic's rows),
    # the generator's row weights ("uncertain") and, for a classifier without Monte Carlo draws,
    # the rule that pools a rejected row's versions. A Bayesian net with neither critic nor
    # "uncertain" sampling needs none of them: its pass over every training row, most of a
    # short fit's time, is skipped.
    needs_pass = (
        config["n_critic"] > 0
        or config["generator_sampling"] == "uncertain"
        or not draws_by_monte_carlo(estimator_, config["certainty"])
    )
    labels = certainty = proba = None
    confident = np.empty(0, dtype=np.int64)
    if needs_pass:
        labels, certainty, proba = certainty_pass(memory, estimator_, X, config["certainty"])
        interrupts.check("while the classifier labelled the training rows")
        confident = np.flatnonzero((labels == y) & (certainty >= config["tau_star"]))
        if len(confident) == 0 and config["n_critic"] > 0:
            raise ValueError(
                f"The confident set is empty: no training row is labelled correctly "
                f"with certainty >= tau_star={config['tau_star']} (median certainty "
                f"{np.median(certainty):.3f}, training accuracy {np.mean(labels == y):.3f}), "
                f"and the critic (n_critic={config['n_critic']}) learns from those rows. "
                "Lower tau_star, or train without a critic (n_critic=0, the default)."
            )

    augmentation, augmentation_choice = config["augmentation"], None
    if isinstance(augmentation, str) and augmentation == "auto":
        if y_val is not None:
            class_indices(y_val, classes, name="y_val")
        augmentation, augmentation_choice = choose_augmentation(
            estimator_, None if view.dataframe_ else X_val, y_val, image_shape,
            certainty=config["certainty"], tau_star=config["tau_star"], seed=seed,
        )
        if verbose:
            print(f"augmentation='auto' chose {augmentation!r}: {augmentation_choice['reason']}")
        interrupts.check("while augmentation='auto' chose")

    weights = generator_row_weights(config["generator_sampling"], labels, y, certainty)
    X_flat = view.numbers(X).reshape(len(X), -1)
    scaler = UnitScaler(per_feature=image_shape is None).fit(X_flat)
    X_unit = scaler.to_unit(X_flat)
    del X_flat
    with torch_seeded(seed, device):
        log_proba, agreement = _classifier_log_proba(estimator_, X, view, X_unit, scaler, rng, device)
        interrupts.check("while the surrogate was distilled")
        generator, critic = _build_modules(
            config["architecture"], image_shape, X_unit.shape[1], len(classes), config
        )
        fitted = dict(
            estimator_=estimator_,
            classes_=classes,
            image_shape_=image_shape,
            generator_=generator.to(device),
            scaler_=scaler,
            device_=device,
            precision_=("float32" if warps_in_float32_only(config["architecture"], image_shape) else
                        resolve_precision(config["precision"], learns_through_the_net(estimator_, view), device)),
            n_confident_=len(confident) if needs_pass else None,
            decides_by_argmax_=decides_by_argmax(estimator_, labels, proba) if needs_pass else None,
            augmentation_=augmentation,
            augmentation_choice_=augmentation_choice,
            surrogate_agreement_=agreement,
            history_=None,
            _input_view=view,
        )
        keep_state = config["keep_training_state"]
        training = TrainingState(
            log_proba, critic.to(device), confident, weights,
            data_hash=data_hash(X, y) if keep_state else None,
            settings=settings_fingerprint(estimator, config) if keep_state else None,
        )
        return train_generator(
            fitted, training, X_unit, y_index, config, verbose=verbose, checkpoints=checkpoints,
            keep_state=keep_state, augment=augmenter(augmentation, image_shape),
        )
