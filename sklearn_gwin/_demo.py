"""The demo: a GWIN around a Bayesian LeNet-5 on scikit-learn's bundled digits."""

import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from ._gwin import GWINClassifier
from .bnn import BayesianLeNet5

DEMO_TAUS = (0.5, 0.7, 0.8, 0.9, 0.95)


def run_demo(
    *, n_iter=1500, max_epochs=30, tau_star=0.9, taus=DEMO_TAUS, random_state=0, verbose=1, out=print
):
    """Fit a GWIN on 8x8 digits and print what it does to rejected test rows.

    Parameters
    ----------
    n_iter : int, default=1500
        Generator iterations.
    max_epochs : int, default=30
        Epochs of the Bayesian LeNet-5.
    tau_star : float, default=0.9
        Certainty threshold of the confident set.
    taus : sequence of float
    random_state : int, default=0
    verbose : int, default=1
    out : callable, default=print

    Returns
    -------
    rows : list of dict
        One per tau: ``tau``, ``rejected`` (share), and on the rejected test
        rows (NaN when none is rejected) ``acc_before``, ``acc_redrawn`` (the
        classifier again on the same rows: fresh Monte Carlo draws, no
        regeneration) and ``acc_after``.
    """
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=random_state
    )
    bnn = BayesianLeNet5(
        image_shape=(1, 8, 8), max_epochs=max_epochs, random_state=random_state, verbose=0
    )
    # the library's defaults: for images, a warp-then-correct generator
    # trained with the transformation penalty alone (docs/lab/results.md)
    gwin = GWINClassifier(
        bnn,
        n_iter=n_iter,
        tau_star=tau_star,
        random_state=random_state,
        verbose=verbose,
    )
    start = time.perf_counter()
    gwin.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    out(
        f"digits: {len(X_train)} training / {len(X_test)} test images (8x8); "
        f"Bayesian LeNet-5, {max_epochs} epochs; warp generator, {n_iter} iterations; "
        f"fit in {fit_seconds:.0f} s"
    )
    base = gwin.estimator_.predict(X_test)
    out(f"base accuracy (BNN alone): {np.mean(base == y_test):.4f}")
    out(
        f"{'tau':>5} {'% rejected':>11} {'rejected acc. before':>21} {'fresh draws':>12} "
        f"{'after GWIN':>11} {'overall after':>14}"
    )
    rows = []
    for tau in taus:
        details = gwin.set_params(tau=tau).predict_details(X_test)
        rejected = details.rejected
        before = np.mean(details.labels_before[rejected] == y_test[rejected]) if rejected.any() else np.nan
        after = np.mean(details.labels[rejected] == y_test[rejected]) if rejected.any() else np.nan
        # the classifier asked again, on the unchanged rejected rows: new Monte
        # Carlo draws alone fix some of them, and GWIN's gain includes that
        redrawn = (
            np.mean(gwin.estimator_.predict(X_test[rejected]) == y_test[rejected]) if rejected.any() else np.nan
        )
        overall = np.mean(details.labels == y_test)
        rows.append(
            dict(tau=tau, rejected=rejected.mean(), acc_before=before, acc_redrawn=redrawn, acc_after=after)
        )
        out(
            f"{tau:5.2f} {100 * rejected.mean():10.2f}% {100 * before:20.2f}% {100 * redrawn:11.2f}% "
            f"{100 * after:10.2f}% {100 * overall:13.2f}%"
        )
    return rows
