"""``augmentation="auto"``: warp the generator's training rows only where small moves undo doubt.

Training the generator on randomly warped rows (``augmentation="affine"``)
helped on MNIST, where a rejected digit is mostly a slanted, shifted or
oddly sized one, and hurt on Fashion-MNIST, where a rejected garment is one
that looks like another class (docs/lab/results.md). Which case a dataset is
shows in the classifier itself, before any generator is trained: if
averaging its answers over a row shifted by one pixel and rotated by 10
degrees labels its doubtful held-out rows better than the row alone, its
doubt has a geometric part that warped rows teach the generator to undo.
Held-out rows, because the generator works on inputs the classifier was not
trained on, and its doubt on its own training rows is about the odd or
mislabelled rows it has half memorised.
"""

import time

import numpy as np
from scipy import ndimage

from ._labelling import label_and_certainty

# one-pixel shifts and +-10 degree rotations: the usual small, label-preserving moves
SHIFTS = ((0, 1), (0, -1), (1, 0), (-1, 0))
ROTATIONS = (-10.0, 10.0)
# enough rows to tell a point apart (Fashion-MNIST's 10,000 validation rows
# have about 3,600 doubtful ones), few enough to cost a fraction of the GAN
MAX_ROWS = 5000


def augmented_views(X, image_shape):
    """The rows of ``X`` as they are, shifted by one pixel and rotated by +-10 degrees.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features) or (n_samples, C, H, W)
    image_shape : tuple of int
        ``(channels, height, width)``.

    Returns
    -------
    views : list of ndarray, each shaped like ``X``
        The identity first.
    """
    images = X.reshape(len(X), *image_shape)
    views = [X]
    for dy, dx in SHIFTS:
        # zero fill, not wrap-around: a digit must not reappear on the other side
        shifted = ndimage.shift(images, (0, 0, dy, dx), order=0, mode="constant")
        views.append(shifted.reshape(X.shape))
    for angle in ROTATIONS:
        rotated = ndimage.rotate(images, angle, axes=(2, 3), reshape=False, order=1, mode="constant")
        views.append(np.clip(rotated, X.min(), X.max()).reshape(X.shape).astype(X.dtype))
    return views


def choose_augmentation(estimator, X_val, y_val, image_shape, *, certainty="auto", tau_star=0.95, seed=None):
    """The augmentation ``"auto"`` stands for, and the measurement behind the choice.

    "affine" when the classifier, its answers averaged over
    :func:`augmented_views`, labels its doubtful held-out rows (certainty
    below ``tau_star``: rows that would not enter Pc; at most 5,000, drawn at
    random) more often right than its answers on the rows alone, from the
    same pass; otherwise None, the rows as they are. None also without
    held-out rows, for tabular input and when no held-out row is doubtful.

    Parameters
    ----------
    estimator : fitted classifier with ``predict_proba`` and ``classes_``
        The classifier C; it is only asked, never refitted.
    X_val : ndarray of shape (n_val, n_features) or (n_val, C, H, W), or None
        Rows the classifier was not trained on, as the classifier takes
        them; flat rows hold ``prod(image_shape)`` values each.
    y_val : ndarray of shape (n_val,) or None
        Their labels; required with ``X_val``.
    image_shape : tuple of int or None
        ``(channels, height, width)`` of one row; None for tabular input,
        which is never warped.
    certainty : "auto" or callable, default="auto"
        As in ``GWINClassifier``: picks the doubtful rows.
    tau_star : float in [0, 1], default=0.95
        A held-out row is doubtful when its certainty is below it.
    seed : int or None, default=None
        Draws the rows scored when more than 5,000 are doubtful, from a
        generator of its own.

    Returns
    -------
    augmentation : "affine" or None
        What ``augmentation="auto"`` stands for.
    evidence : dict
        ``reason`` (why, in words), ``n_validation``, ``n_doubtful``,
        ``n_scored``, ``accuracy_as_is`` and ``accuracy_moved`` (percent, on
        the rows scored; None when no row is scored) and ``seconds`` (the
        time the choice took).

    See Also
    --------
    sklearn_gwin.GWINClassifier : ``augmentation="auto"`` and its
        ``augmentation_choice_``.
    sklearn_gwin.wgan.RandomAffine : The "affine" augmentation.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_gwin import choose_augmentation
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X / 16
    >>> classifier = LogisticRegression(max_iter=1000).fit(X[:500], y[:500])
    >>> augmentation, evidence = choose_augmentation(
    ...     classifier, X[500:900], y[500:900], image_shape=(1, 8, 8), seed=0)
    >>> augmentation in ("affine", None)
    True
    >>> evidence["n_validation"], evidence["n_scored"] == evidence["n_doubtful"]
    (400, True)

    Tabular input is never warped:

    >>> choose_augmentation(classifier, X[500:900], y[500:900], image_shape=None)[0] is None
    True
    """
    started = time.perf_counter()
    evidence = dict(
        reason="", n_validation=0 if X_val is None else int(len(X_val)), n_doubtful=0, n_scored=0,
        accuracy_as_is=None, accuracy_moved=None,
    )

    def decided(augmentation, reason):
        evidence.update(reason=reason, seconds=time.perf_counter() - started)
        return augmentation, evidence

    if image_shape is None:
        return decided(None, "tabular input: nothing to warp")
    if X_val is None:
        return decided(None, "no held-out rows (fit's X_val): the rows as they are")
    # the labels come from the pass below, whose own view is judged like the moved ones
    _, values = label_and_certainty(estimator, X_val, certainty)
    doubtful = np.flatnonzero(values < tau_star)
    evidence["n_doubtful"] = int(len(doubtful))
    if len(doubtful) == 0:
        return decided(None, f"no held-out row has certainty below tau_star={tau_star}")
    if len(doubtful) > MAX_ROWS:
        doubtful = np.sort(np.random.RandomState(seed).choice(doubtful, MAX_ROWS, replace=False))
    rows, truth = X_val[doubtful], y_val[doubtful]
    classes = np.asarray(estimator.classes_)
    # one pass over all views: the row's own view comes from the same kind of
    # draws as the moved ones, so a Bayesian net's fresh draws favour neither
    probas = [estimator.predict_proba(view) for view in augmented_views(rows, image_shape)]
    as_is = 100 * float(np.mean(classes[probas[0].argmax(axis=1)] == truth))
    moved = 100 * float(np.mean(classes[np.mean(probas, axis=0).argmax(axis=1)] == truth))
    evidence.update(n_scored=int(len(doubtful)), accuracy_as_is=as_is, accuracy_moved=moved)
    if moved > as_is:
        return decided("affine", "small moves label the doubtful held-out rows better: doubt is geometric")
    return decided(None, "small moves do not label the doubtful held-out rows better")
