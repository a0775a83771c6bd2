"""The classifier's own answers (labels, certainty, probabilities), checked once.

A GWIN never replaces the classifier's decision rule with one of its own:
labels come from the classifier's ``predict`` (a threshold classifier keeps
its threshold, an SVC its decision function), probabilities from its
``predict_proba``, and the certainty of a label is the probability the
classifier gives that label, unless the classifier or the user says
otherwise. Every answer is checked here, so that a classifier that returns
the wrong shape, NaN or labels outside ``classes_`` is named in a clear error
instead of giving silently wrong output.
"""

import contextlib
import re

import numpy as np
from sklearn.utils.validation import _num_samples

from .bnn.classifier import _softmax
from .certainty import monte_carlo_certainty


def _name(estimator):
    return type(estimator).__name__


# what torch says when a net is given rows of another shape or dtype than it was built for
_ROWS_IT_CANNOT_TAKE = re.compile(r"shape|dtype|scalar type|input type|size of tensor|expected .*input",
                                  re.IGNORECASE)


@contextlib.contextmanager
def classifier_errors_named(estimator, n_rows, input_name="X"):
    """Re-raise torch's shape or dtype error from the classifier's own methods as a ValueError.

    A skorch net given rows it cannot take (another number of features,
    float64 for a float32 net) fails inside torch with a plain RuntimeError
    about matrix shapes or dtypes; the ValueError says which classifier
    failed on which rows. Other errors (out of memory, a device mismatch,
    RuntimeError's subclasses) pass unchanged.
    """
    try:
        yield
    except RuntimeError as error:
        message = str(error)
        if type(error) is not RuntimeError or "allocate" in message or not _ROWS_IT_CANNOT_TAKE.search(message):
            raise
        raise ValueError(
            f"The classifier cannot take {input_name}: {_name(estimator)} failed on {n_rows} rows of it "
            f"with RuntimeError: {message}. Pass rows of the shape and dtype it was fitted on (a skorch "
            "net usually takes float32)."
        ) from error


def _checked_labels(estimator, labels, n_rows):
    labels = np.asarray(labels)
    if labels.shape != (n_rows,):
        raise ValueError(
            f"{_name(estimator)}.predict must return one label per row: expected shape "
            f"({n_rows},), got {labels.shape}."
        )
    unknown = np.setdiff1d(np.unique(labels), np.asarray(estimator.classes_))
    if len(unknown):
        raise ValueError(
            f"{_name(estimator)}.predict returned labels that are not in its classes_: "
            f"{unknown[:10].tolist()}."
        )
    # as elements of classes_ (its dtype), so that a longer label fits beside them
    return np.asarray(estimator.classes_)[_column_of(estimator, labels)]


def checked_proba(estimator, proba, n_rows):
    proba = np.asarray(proba)
    n_classes = len(estimator.classes_)
    if proba.shape != (n_rows, n_classes):
        raise ValueError(
            f"{_name(estimator)}.predict_proba must return one column per class of classes_: "
            f"expected shape ({n_rows}, {n_classes}), got {proba.shape}."
        )
    if not np.all(np.isfinite(proba)):
        raise ValueError(
            f"{_name(estimator)}.predict_proba returned NaN or infinite values on "
            f"{int(np.sum(~np.isfinite(proba).all(axis=1)))} of {n_rows} rows."
        )
    # float32 nets sum to 1 within ~1e-6; anything further off is not a distribution
    if np.any(proba < -1e-6) or np.any(np.abs(proba.sum(axis=1) - 1) > 1e-3):
        raise ValueError(
            f"{_name(estimator)}.predict_proba must return probabilities (non-negative, each "
            "row summing to 1)."
        )
    return proba


def _checked_certainty(values, n_rows):
    values = np.asarray(values, dtype=float)
    if values.shape != (n_rows,):
        raise ValueError(
            f"certainty must give one value per row: expected shape ({n_rows},), got {values.shape}."
        )
    if np.isnan(values).any():
        raise ValueError("certainty returned NaN for some rows.")
    return values


def label_columns(classes, labels):
    """Column of each label in ``classes``, which need not be sorted (a custom classifier's may not be)."""
    classes = np.asarray(classes)
    order = np.argsort(classes, kind="stable")
    return order[np.searchsorted(classes, labels, sorter=order)]


def _column_of(estimator, labels):
    """Column of ``predict_proba`` that holds each label's probability (labels checked)."""
    return label_columns(estimator.classes_, labels)


def voted_column(label_sets, proba, classes):
    """Per row, the column of the label most of ``label_sets`` give, a tie going to the higher ``proba``.

    ``label_sets`` holds several answers' labels for the same rows; ``proba``
    (n_rows, n_classes) their mean probabilities, columns in ``classes``' order.
    """
    votes = np.zeros(proba.shape)
    for labels in label_sets:
        votes[np.arange(len(proba)), label_columns(classes, labels)] += 1
    # mean probabilities are below 1, so they only break ties between vote counts
    return np.argmax(votes + proba / 2, axis=1)


class Answers:
    """The classifier's answers on some rows: labels, certainty and probabilities.

    Kept after the first pass so that the rejected rows' own answers are
    pooled with those on their regenerated versions instead of being asked
    for again. ``logits`` are the Monte Carlo draws behind them (Bayesian
    nets, S4), ``proba`` is None where the classifier was not asked for it.
    """

    def __init__(self, labels, certainty, proba, logits=None):
        self.labels, self.certainty, self.proba, self.logits = labels, certainty, proba, logits

    def __iter__(self):
        return iter((self.labels, self.certainty, self.proba))

    def take(self, rows):
        """The answers on ``rows`` (integer indices) alone."""
        return Answers(
            self.labels[rows], self.certainty[rows],
            None if self.proba is None else self.proba[rows],
            None if self.logits is None else self.logits[:, rows],
        )


def _sampled_logits(estimator, X):
    """The estimator's Monte Carlo logits on X, checked: shape (n_draws, n_rows, n_classes)."""
    logits = np.asarray(estimator.sample_logits(X))
    if logits.ndim != 3 or logits.shape[1:] != (len(X), len(estimator.classes_)):
        raise ValueError(
            f"{_name(estimator)}.sample_logits must return shape (n_draws, {len(X)}, "
            f"{len(estimator.classes_)}), got {logits.shape[1:] if logits.ndim == 3 else logits.shape}"
            " per draw."
        )
    return logits


def _monte_carlo(estimator, versions, drawn=None):
    """S4 on a Bayesian net's draws over all ``versions``: its ``predict`` on the pool.

    ``drawn`` holds draws already made on ``versions[0]``, which are pooled
    instead of drawing there again.
    """
    logits = [drawn] if drawn is not None else []
    logits = np.concatenate(logits + [_sampled_logits(estimator, X) for X in versions[len(logits):]])
    n_rows = len(versions[0])
    draws = _softmax(logits)
    label_index, values = monte_carlo_certainty(draws, logits)
    proba = checked_proba(estimator, draws.mean(axis=0), n_rows)
    # the draws are kept for one version only: those of a pool are never pooled again
    return Answers(np.asarray(estimator.classes_)[label_index], _checked_certainty(values, n_rows), proba,
                   logits=logits if len(versions) == 1 else None)


def draws_by_monte_carlo(estimator, certainty):
    """Whether the certainty comes from the estimator's Monte Carlo draws (the Bayesian nets, S4)."""
    return certainty == "auto" and hasattr(estimator, "sample_logits")


def label_and_certainty(estimator, X, certainty="auto"):
    """The classifier's labels on X and their certainty.

    Parameters
    ----------
    estimator : fitted classifier
    X : array-like or DataFrame, as the classifier takes it
    certainty : "auto" or callable
        "auto" takes, in this order, the estimator's ``predict_with_certainty``
        (labels and certainty from the same Monte Carlo draws),
        ``predict_certainty`` with ``predict``, or ``predict`` with the
        probability ``predict_proba`` gives the predicted label. A callable is
        called as ``certainty(estimator, X)`` and must return one value per
        row; labels then come from ``predict``.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
        ``estimator.predict(X)``, or what ``predict_with_certainty`` returns.
    certainty : ndarray of shape (n_samples,)
    """
    return label_certainty_and_proba(estimator, X, certainty, with_proba=False)[:2]


def label_certainty_and_proba(estimator, X, certainty="auto", with_proba=True):
    """:func:`label_and_certainty` and ``predict_proba``, from one pass where possible.

    A Bayesian net (``sample_logits``) with ``certainty="auto"`` gives all three
    from the same Monte Carlo draws (its ``predict`` and ``predict_proba``),
    instead of drawing twice.

    Returns
    -------
    labels, certainty : ndarray of shape (n_samples,)
    proba : ndarray of shape (n_samples, n_classes), or None without ``with_proba``
    """
    return tuple(answers_on(estimator, X, certainty, with_proba))


def answers_on(estimator, X, certainty="auto", with_proba=True):
    """:func:`label_certainty_and_proba` as :class:`Answers`, with the draws behind them."""
    n_rows = _num_samples(X)  # sparse rows too, which a plain classifier may take
    if draws_by_monte_carlo(estimator, certainty):
        return _monte_carlo(estimator, [X])
    proba = values = None
    # the classifier's own methods only: a user's certainty callable raises as it raises
    if callable(certainty):
        with classifier_errors_named(estimator, n_rows):
            labels = estimator.predict(X)
        values = certainty(estimator, X)
    else:
        with classifier_errors_named(estimator, n_rows):
            if hasattr(estimator, "predict_with_certainty"):
                labels, values = estimator.predict_with_certainty(X)
            elif hasattr(estimator, "predict_certainty"):
                labels, values = estimator.predict(X), estimator.predict_certainty(X)
            else:
                proba = checked_proba(estimator, estimator.predict_proba(X), n_rows)
                # a classifier that only gives probabilities decides by their argmax
                labels = estimator.predict(X) if hasattr(estimator, "predict") else (
                    np.asarray(estimator.classes_)[proba.argmax(axis=1)]
                )
    labels = _checked_labels(estimator, labels, n_rows)
    if values is None:
        # the certainty of the classifier's own label
        values = proba[np.arange(n_rows), _column_of(estimator, labels)]
    if with_proba and proba is None:
        with classifier_errors_named(estimator, n_rows):
            proba = checked_proba(estimator, estimator.predict_proba(X), n_rows)
    return Answers(labels, _checked_certainty(values, n_rows), proba)


def pooled_label_and_certainty(estimator, versions, certainty="auto", by_argmax=True, first=None):
    """The classifier's answer on several versions of the same rows, pooled.

    Used for rejected rows with ``n_regen > 1`` or ``pool_input=True``. A
    classifier with ``sample_logits`` (the Bayesian nets) pools its Monte Carlo
    draws over all versions and applies S4 to them, its own ``predict`` as if
    it had drawn ``len(versions)`` times as often. For any other classifier,
    the probabilities are the mean of ``predict_proba`` over the versions, and
    the label follows the classifier's own rule: for a classifier that
    decides by the argmax of its probabilities (``by_argmax``), the argmax of
    the mean, so that ``predict`` and ``predict_proba`` agree; for one that
    does not (a decision threshold, an SVC's decision function), the label
    most versions get from its ``predict``, a tie going to the tied label with
    the highest mean probability. The certainty is the mean probability of
    that label ("auto") or the mean of the ``certainty`` callable over the
    versions.

    Parameters
    ----------
    estimator : fitted classifier
    versions : list of array-like or DataFrame
        The versions, each with the same rows in the same order.
    certainty : "auto" or callable
    by_argmax : bool, default=True
        Whether the classifier's ``predict`` is the argmax of its
        ``predict_proba`` (``GWINClassifier`` checks it on the training rows).
    first : Answers, default=None
        The classifier's answers on ``versions[0]``, already asked for (the
        rejected rows themselves, from the pass that rejected them): pooled as
        they are instead of asking again. A Bayesian net's draws are then the
        ones that made the first decision.

    Returns
    -------
    labels, certainty : ndarray of shape (n_samples,)
    proba : ndarray of shape (n_samples, n_classes)
        Mean of ``predict_proba`` over the versions.
    """
    if draws_by_monte_carlo(estimator, certainty):
        return tuple(_monte_carlo(estimator, versions, None if first is None else first.logits))
    # answers without probabilities (a certainty callable's first pass) are asked for again
    reused = [first] if first is not None and first.proba is not None else []
    answers = reused + [answers_on(estimator, X, certainty) for X in versions[len(reused):]]
    n_rows, classes = len(versions[0]), np.asarray(estimator.classes_)
    proba = np.mean([proba for _, _, proba in answers], axis=0)
    if by_argmax:
        label_index = proba.argmax(axis=1)
    else:
        label_index = voted_column([labels for labels, _, _ in answers], proba, classes)
    if callable(certainty):
        values = np.mean([values for _, values, _ in answers], axis=0)
    else:
        values = proba[np.arange(n_rows), label_index]
    return classes[label_index], values, proba


def decides_by_argmax(estimator, labels, proba):
    """Whether ``labels`` (the classifier's ``predict``) are the argmax of ``proba`` on every row."""
    return bool(np.all(labels == np.asarray(estimator.classes_)[np.argmax(proba, axis=1)]))
