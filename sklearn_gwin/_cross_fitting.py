"""Cross-fitted regeneration: the fold GWINs that passed the test relabel the rows.

GWINClassifierCV tests regeneration on held-out rows with the GWINs fitted on
the other folds. A GWIN refitted on all rows has a generator of its own that
no test has seen, and on a table it can break rows its fold twins fixed. With
cross-fitting, the refitted classifier keeps its own decisions and decides
which rows are rejected; the rejected rows are relabelled by the fold GWINs
themselves, the models the test judged, and their answers are combined as
:func:`~._labelling.pooled_label_and_certainty` combines versions of a row
(the same idea as ``CalibratedClassifierCV(ensemble=True)``).
"""

import numpy as np
from sklearn.utils import Bunch

from ._gwin import _concatenate_details, _with_abstention
from ._input_view import take


def _aligned(proba, fold_classes, classes):
    """Probabilities over ``fold_classes`` as columns of ``classes`` (a fold may lack a rare class)."""
    if len(fold_classes) == len(classes) and np.array_equal(fold_classes, classes):
        return proba
    out = np.zeros((len(proba), len(classes)), dtype=proba.dtype)
    out[:, np.searchsorted(classes, fold_classes)] = proba
    return out


def committee_answers(fold_gwins, X, classes, by_argmax):
    """Labels, certainty and probabilities the fold GWINs give the rows of X after regeneration.

    Each fold GWIN regenerates every row and pools its classifier's answers
    on the versions; the probabilities are their mean over the folds. The
    label is the argmax of that mean for a classifier that decides by
    argmax (``by_argmax``), otherwise the label most folds give, a tie going
    to the higher mean probability. The certainty is the mean over the folds
    of each fold's certainty, counted as 0 where the fold gives another
    label: folds that disagree make the answer less certain.
    """
    labels, certainties, probas = [], [], []
    for gwin in fold_gwins:
        fold_labels, fold_certainty, fold_proba = gwin._answers_after_regeneration(X)
        labels.append(np.asarray(fold_labels))
        certainties.append(np.asarray(fold_certainty, dtype=float))
        probas.append(_aligned(np.asarray(fold_proba), np.asarray(gwin.classes_), classes))
    proba = np.mean(probas, axis=0).astype(probas[0].dtype, copy=False)
    if by_argmax:
        label_index = proba.argmax(axis=1)
    else:
        votes = np.zeros(proba.shape)
        for fold_labels in labels:
            votes[np.arange(len(proba)), np.searchsorted(classes, fold_labels)] += 1
        # mean probabilities are below 1, so they only break ties between vote counts
        label_index = np.argmax(votes + proba / 2, axis=1)
    label = classes[label_index]
    certainty = np.mean([np.where(fold_labels == label, values, 0.0)
                         for fold_labels, values in zip(labels, certainties)], axis=0)
    return label, certainty, proba


def cross_fitted_details(refit, fold_gwins, X):
    """``predict_details`` with the refitted classifier's rejection and the fold GWINs' relabelling.

    ``refit`` is a fitted GWINClassifier (its classifier decides and rejects,
    by its ``tau``); rows it does not reject keep the classifier's own
    answers exactly. Chunked as ``refit`` chunks its own work.
    """
    X = refit._validate(X)
    classes = np.asarray(refit.classes_)
    chunks = []
    for rows in refit._chunks(X):
        answers, rejected = refit._decide(rows, with_proba=True)
        labels, certainty, proba = answers
        details = Bunch(
            labels_before=labels, certainty_before=certainty, proba_before=proba, rejected=rejected,
            labels=labels.copy(), certainty=certainty.copy(), proba=proba.copy(),
        )
        if rejected.any():
            new_labels, new_certainty, new_proba = committee_answers(
                fold_gwins, take(rows, np.flatnonzero(rejected)), classes,
                # None (a Bayesian net, labelled by the argmax of its mean logits, not of its probabilities)
                # votes, as a classifier with a rule of its own does
                by_argmax=bool(refit.decides_by_argmax_),
            )
            details.labels[rejected] = new_labels
            details.certainty[rejected] = new_certainty
            details.proba[rejected] = new_proba
        chunks.append(_with_abstention(details, refit.tau_abstain))
    return chunks[0] if len(chunks) == 1 else _concatenate_details(chunks)
