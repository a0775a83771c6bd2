"""The benchmark's datasets: MNIST and Fashion-MNIST as in the paper, digits for smoke runs."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch

from ..datasets import fetch_fashion_mnist, fetch_mnist

_FETCH = {"mnist": fetch_mnist, "fashion-mnist": fetch_fashion_mnist}
#: the datasets of the paper, with its training / validation split
PAPER_DATASETS = tuple(_FETCH)
DATASETS = (*PAPER_DATASETS, "digits")


def load_benchmark_data(name, data_home=None):
    """Training and test images of ``name``, flat, float32 in [0, 1].

    MNIST and Fashion-MNIST follow the paper: the first 50,000 training images
    train, the 10,000 test images test. "digits" is scikit-learn's bundled
    8x8 digits (70/30 stratified split), for runs that need no download.

    Returns
    -------
    data : Bunch
        ``X_train``, ``y_train``, ``X_test``, ``y_test``, ``image_shape``.
    """
    if name == "digits":
        X, y = load_digits(return_X_y=True)
        X = (X / 16.0).astype(np.float32)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=0
        )
        return Bunch(X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test, image_shape=(1, 8, 8))
    if name not in _FETCH:
        raise ValueError(f"Unknown dataset {name!r}; choose from {DATASETS}.")
    fetch = _FETCH[name]
    X_train, y_train = fetch(subset="paper_train", data_home=data_home, return_X_y=True)
    X_test, y_test = fetch(subset="test", data_home=data_home, return_X_y=True)
    return Bunch(X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test, image_shape=(1, 28, 28))


def load_validation_data(name, data_home=None):
    """The paper's 10,000 held-out validation images of ``name`` and their labels.

    Neither the benchmark's classifier nor its GWINs train on them, so
    settings can be chosen on them without touching the test rows.
    """
    if name not in _FETCH:
        raise ValueError(f"{name!r} has no validation split; choose from {PAPER_DATASETS}.")
    return _FETCH[name](subset="paper_validation", data_home=data_home, return_X_y=True)
