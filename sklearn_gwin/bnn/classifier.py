"""skorch classifiers for the paper's Bayesian networks, with S4's Monte Carlo certainty."""

import re
import sys

import numpy as np
import torch
from skorch import NeuralNetClassifier
from skorch.callbacks import PrintLog
from sklearn.preprocessing import LabelEncoder

from .._seeding import derive_seed, torch_seeded
from ..certainty import monte_carlo_certainty
from .flipout import kl_divergence
from .modules import ImprovedBNNModule, LeNet5Flipout


class BayesianNeuralNetClassifier(NeuralNetClassifier):
    """A skorch classifier trained by the ELBO, predicting by Monte Carlo draws.

    The loss is cross-entropy plus the KL divergence of the Flipout layers
    divided by the number of training rows (the negative ELBO per example, as in
    TensorFlow Probability's Bayesian network examples). At inference the network
    is run ``n_mc_samples`` times; following the paper's Section S4:

    * ``predict`` is the argmax of the mean logits,
    * ``predict_proba`` is the mean of the softmax draws,
    * ``predict_certainty`` is the median over draws of the probability of the
      predicted class.

    Labels of any type are accepted; they are encoded internally.

    Parameters
    ----------
    module : torch module class
        Built with ``image_shape``, ``n_classes`` and ``prior_scale`` (and any
        ``module__*`` parameter); must return logits.
    *args
        Passed on to skorch's ``NeuralNetClassifier`` after ``module``.
    image_shape : tuple of int, default=(1, 28, 28)
        ``(channels, height, width)``; flat input is reshaped to it.
    n_mc_samples : int, default=10
        Monte Carlo draws at inference.
    prior_scale : float, default=1.0
        Standard deviation of the Gaussian weight prior.
    kl_weight : float or "auto", default="auto"
        Multiplier of the KL term; "auto" is one over the number of training rows.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, batch order and the Monte Carlo draws, so
        that fitting and predicting repeat exactly, on CUDA too, where a seed
        also turns on torch's deterministic kernels while the net fits and
        predicts. The global torch generator is left as it was.
    criterion : torch loss class, default=torch.nn.CrossEntropyLoss
        The data term of the loss, applied to the logits.
    optimizer : torch optimizer class, default=torch.optim.Adam
        Optimiser of the posterior parameters.
    lr : float, default=0.001
        The optimiser's learning rate.
    max_epochs : int, default=30
        Passes over the training rows.
    batch_size : int, default=128
        Rows per training batch and per inference batch.
    train_split : callable or None, default=None
        skorch's validation split; None trains on every row.
    **kwargs
        Any other skorch ``NeuralNetClassifier`` parameter, e.g.
        ``device="cuda"`` (default "cpu"), ``verbose=0`` or ``module__*``
        arguments of the module.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, sorted; ``predict`` returns these.
    module_ : torch.nn.Module
        The fitted network.
    history_ : skorch.History
        Loss and duration of each epoch.
    n_train_samples_ : int
        Training rows, which the "auto" ``kl_weight`` divides by.

    See Also
    --------
    BayesianLeNet5 : With the paper's Bayesian LeNet-5 (Table 3).
    ImprovedBNN : With the paper's improved Bayesian network (Table 6).
    sklearn_gwin.certainty.monte_carlo_certainty : The certainty of S4.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_gwin.bnn import BayesianNeuralNetClassifier, LeNet5Flipout
    >>> rng = np.random.RandomState(0)
    >>> X = rng.rand(20, 64).astype(np.float32)  # flat 8x8 images
    >>> y = np.array([3, 7] * 10)
    >>> net = BayesianNeuralNetClassifier(LeNet5Flipout, image_shape=(1, 8, 8),
    ...                                   n_mc_samples=4, max_epochs=1, verbose=0,
    ...                                   random_state=0).fit(X, y)
    >>> net.classes_
    array([3, 7])
    >>> net.sample_logits(X).shape  # (n_mc_samples, n_samples, n_classes)
    (4, 20, 2)
    >>> net.predict_proba(X).shape
    (20, 2)
    >>> certainty = net.predict_certainty(X)  # a probability: the median draw's, not their mean's
    >>> certainty.shape, bool(np.all((certainty >= 0) & (certainty <= 1)))
    ((20,), True)
    """

    def __init__(
        self,
        module,
        *args,
        image_shape=(1, 28, 28),
        n_mc_samples=10,
        prior_scale=1.0,
        kl_weight="auto",
        random_state=None,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=0.001,
        max_epochs=30,
        batch_size=128,
        train_split=None,
        **kwargs,
    ):
        super().__init__(
            module,
            *args,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            **kwargs,
        )
        self.image_shape = image_shape
        self.n_mc_samples = n_mc_samples
        self.prior_scale = prior_scale
        self.kl_weight = kl_weight
        self.random_state = random_state

    @property
    def _default_callbacks(self):
        # skorch's own hook for its defaults, so that get_params and set_params see this one
        return [
            (name, _PrintLogColouredOnTerminalsOnly() if name == "print_log" else callback)
            for name, callback in super()._default_callbacks
        ]

    def initialize_module(self):
        kwargs = self.get_params_for("module")
        kwargs.setdefault("image_shape", tuple(self.image_shape))
        kwargs.setdefault("prior_scale", self.prior_scale)
        if getattr(self, "classes_inferred_", None) is not None:
            kwargs.setdefault("n_classes", len(self.classes_inferred_))
        self.module_ = self.initialized_instance(self.module, kwargs)
        return self

    def fit(self, X, y, **fit_params):
        """Encode the labels, then train with the ELBO (seeded by ``random_state``)."""
        X = self._checked_images(X)
        y = np.asarray(y)
        encoder = LabelEncoder().fit(y)
        self.classes_inferred_ = encoder.classes_
        with torch_seeded(derive_seed(self.random_state), self.device):
            return super().fit(X, encoder.transform(y).astype(np.int64), **fit_params)

    def _checked_images(self, X):
        """Array input as float32 images of ``image_shape`` (flat rows allowed).

        Raises
        ------
        ValueError
            When the rows do not hold one image of ``image_shape`` each.
        """
        if not isinstance(X, (np.ndarray, list)):
            return X  # skorch Datasets, tensors and dicts are the user's own business
        X = np.asarray(X, dtype=np.float32)
        shape = tuple(self.image_shape)
        row = X.shape[1:]
        if X.ndim not in (2, 4) or int(np.prod(row)) != int(np.prod(shape)) or (X.ndim == 4 and row != shape):
            raise ValueError(
                f"{type(self).__name__} takes images of shape {shape} (its image_shape parameter: "
                f"{int(np.prod(shape))} values per row, flat or not); X has rows of shape {row}."
            )
        return X

    def check_data(self, X, y):
        # skorch would overwrite the classes with the encoded 0..k-1 codes
        classes = getattr(self, "classes_inferred_", None)
        super().check_data(X, y)
        if classes is not None:
            self.classes_inferred_ = classes

    def get_split_datasets(self, X, y=None, **fit_params):
        dataset_train, dataset_valid = super().get_split_datasets(X, y, **fit_params)
        self.n_train_samples_ = len(dataset_train)
        return dataset_train, dataset_valid

    def get_iterator(self, dataset, training=False):
        """skorch's iterator; in training, a last batch of a single row is dropped.

        Batch norm cannot normalise one row in training mode (the improved
        BNN of Table 6 has it), and 129 rows in batches of 128 would leave
        one. Rows are shuffled each epoch, so a different row sits out each
        time; a user's own ``iterator_train__drop_last`` is left as it is.
        """
        kwargs = self.get_params_for("iterator_train")
        batch_size = kwargs.pop("batch_size", self.batch_size)
        lone_last_row = batch_size > 1 and len(dataset) > 1 and len(dataset) % batch_size == 1
        if training and lone_last_row and "drop_last" not in kwargs:
            return self.iterator_train(dataset, batch_size=batch_size, drop_last=True, **kwargs)
        return super().get_iterator(dataset, training=training)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        loss = super().get_loss(y_pred, y_true, X=X, training=training)
        if not training:
            return loss
        weight = 1.0 / self.n_train_samples_ if self.kl_weight == "auto" else self.kl_weight
        return loss + weight * kl_divergence(self.module_)

    def _inference_seed(self):
        seed = derive_seed(self.random_state)
        # distinct from the training seed so that prediction draws are new ones
        return None if seed is None else seed + 1

    def sample_logits(self, X):
        """Logits of each Monte Carlo draw, shape ``(n_mc_samples, n, n_classes)``.

        Each draw is one pass over ``X`` in batches (new Flipout weights per
        batch), with dropout and batch norm in evaluation mode.
        """
        self.check_is_fitted()
        X = self._checked_images(X)
        draws = []
        with torch_seeded(self._inference_seed(), self.device), torch.no_grad():
            for _ in range(self.n_mc_samples):
                draws.append(torch.cat(list(self.forward_iter(X, training=False))))
        return torch.stack(draws).float().numpy()

    def sample_proba(self, X):
        """Softmax probabilities of each draw, shape ``(n_mc_samples, n, n_classes)``."""
        return _softmax(self.sample_logits(X))

    def predict_with_certainty(self, X):
        """Labels and certainties from one set of draws (S4).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            ``classes_`` at the argmax of the mean logits.
        certainty : ndarray of shape (n_samples,)
            Median over draws of the predicted class's probability.
        """
        logits = self.sample_logits(X)
        label_index, certainty = monte_carlo_certainty(_softmax(logits), logits)
        return self.classes_[label_index], certainty

    def predict_certainty(self, X):
        """Median over Monte Carlo draws of the predicted class's probability."""
        return self.predict_with_certainty(X)[1]

    def predict(self, X):
        """Class at the argmax of the mean logits over the Monte Carlo draws."""
        return self.predict_with_certainty(X)[0]

    def predict_proba(self, X):
        """Mean of the softmax draws, shape ``(n_samples, n_classes)``."""
        return self.sample_proba(X).mean(axis=0)


_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;]*m")


class _PrintLogColouredOnTerminalsOnly(PrintLog):
    """skorch's epoch table, with its colour codes only where they show as colours.

    skorch colours the best epoch's numbers even when the log goes to a file or
    a logger. Here they stay where the table is printed to a terminal or a
    Jupyter notebook, and are dropped anywhere else (a redirected standard
    output, any other ``sink``). Only the table's text changes: printing, and
    ``verbose``, stay skorch's.
    """

    def table(self, row):
        text = super().table(row)
        return text if self._shows_colour() else _TERMINAL_CODES.sub("", text)

    def _shows_colour(self):
        if self.sink is not print:
            return False
        stream = sys.stdout
        if hasattr(stream, "isatty") and stream.isatty():
            return True
        return "ipykernel" in sys.modules  # a notebook renders the codes


def _softmax(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


class BayesianLeNet5(BayesianNeuralNetClassifier):
    """The paper's Bayesian LeNet-5 (Table 3) as a skorch classifier.

    Parameters are those of :class:`BayesianNeuralNetClassifier`, with the
    module set to :class:`~sklearn_gwin.bnn.LeNet5Flipout`.

    Parameters
    ----------
    *args
        Passed on to :class:`BayesianNeuralNetClassifier` after ``module``.
    module : torch module class, default=LeNet5Flipout
        The network; :class:`~sklearn_gwin.bnn.LeNet5Flipout` is Table 3's.
    **kwargs
        Any parameter of :class:`BayesianNeuralNetClassifier` (``image_shape``,
        ``n_mc_samples``, ``max_epochs``, ``random_state``, ...).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, sorted.
    module_ : LeNet5Flipout
        The fitted network.

    See Also
    --------
    BayesianNeuralNetClassifier : The parameters, and how it predicts.
    ImprovedBNN : The paper's improved network (Table 6).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_gwin.bnn import BayesianLeNet5
    >>> rng = np.random.RandomState(0)
    >>> X = rng.rand(20, 1, 8, 8).astype(np.float32)
    >>> y = np.array(["odd", "even"] * 10)
    >>> net = BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=1, verbose=0,
    ...                      random_state=0).fit(X, y)
    >>> net.sample_proba(X).shape
    (10, 20, 2)
    >>> sorted(set(net.predict(X)) - {"odd", "even"})
    []
    """

    def __init__(self, *args, module=LeNet5Flipout, **kwargs):
        super().__init__(module, *args, **kwargs)


class ImprovedBNN(BayesianNeuralNetClassifier):
    """The paper's improved Bayesian network (Table 6) as a skorch classifier.

    Parameters are those of :class:`BayesianNeuralNetClassifier`, with the
    module set to :class:`~sklearn_gwin.bnn.ImprovedBNNModule` (batch norm
    and dropout 0.4 where Table 6 marks them). Its two blocks of
    convolutions shrink each side from ``s`` to ``ceil((s - 4) / 2)``
    twice: images must be at least 16x16.

    Parameters
    ----------
    *args
        Passed on to :class:`BayesianNeuralNetClassifier` after ``module``.
    module : torch module class, default=ImprovedBNNModule
        The network; :class:`~sklearn_gwin.bnn.ImprovedBNNModule` is Table 6's.
    **kwargs
        Any parameter of :class:`BayesianNeuralNetClassifier` (``image_shape``,
        ``n_mc_samples``, ``max_epochs``, ``random_state``, ...), and
        ``module__dropout`` (default 0.4).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, sorted.
    module_ : ImprovedBNNModule
        The fitted network.

    See Also
    --------
    BayesianNeuralNetClassifier : The parameters, and how it predicts.
    BayesianLeNet5 : The paper's Bayesian LeNet-5 (Table 3).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_gwin.bnn import ImprovedBNN
    >>> rng = np.random.RandomState(0)
    >>> X = rng.rand(20, 1, 16, 16).astype(np.float32)
    >>> y = np.array(["cat", "dog"] * 10)
    >>> net = ImprovedBNN(image_shape=(1, 16, 16), n_mc_samples=3, max_epochs=1,
    ...                   batch_size=10, verbose=0, random_state=0).fit(X, y)
    >>> net.predict_proba(X).shape
    (20, 2)
    >>> set(net.predict(X)) <= {"cat", "dog"}
    True
    """

    def __init__(self, *args, module=ImprovedBNNModule, **kwargs):
        super().__init__(module, *args, **kwargs)
