"""Cross-fitted regeneration: the fold GWINs that were tested relabel the rows.

GWINClassifierCV tests regeneration on held-out rows with the GWINs fitted on
the other folds. A GWIN refitted on all rows has a generator of its own that
no test has seen, and on a table it can break rows its fold twins fixed. With
cross-fitting, the refitted classifier keeps its own decisions and decides
which rows are rejected; the rejected rows are relabelled by the fold GWINs
together. Each fold GWIN was tested alone, on the rows its own classifier
rejected; their combined answer on the rows the refit rejects is the closest
the final model can stay to what was tested.
"""

import numpy as np
from sklearn.utils import Bunch

from ._gwin import _concatenate_details, _with_abstention
from ._input_view import take
from ._labelling import draws_by_monte_carlo, label_columns, voted_column


def _aligned(proba, fold_classes, classes):
    """Probabilities over ``fold_classes`` as columns of ``classes`` (a fold may lack a rare class)."""
    if len(fold_classes) == len(classes) and np.array_equal(fold_classes, classes):
        return proba
    out = np.zeros((len(proba), len(classes)), dtype=proba.dtype)
    out[:, label_columns(classes, fold_classes)] = proba
    return out


def _decides_by_argmax(gwin):
    # a Bayesian net labels by the argmax of its mean logits, not of its mean probabilities
    return gwin.decides_by_argmax_ is True and not draws_by_monte_carlo(gwin.estimator_, gwin.certainty)


def committee_answers(fold_gwins, X, classes, by_argmax):
    """Labels, certainty and probabilities the fold GWINs give the rows of X after regeneration.

    Each fold GWIN regenerates every row and pools its classifier's answers
    on the versions, by its own settings; the probabilities are their mean
    over the folds (columns in the order of ``classes``). The label is the
    argmax of that mean where every classifier decides by argmax
    (``by_argmax``), otherwise the label most folds give, a tie going to the
    higher mean probability. The certainty is the mean over the folds of
    each fold's certainty, counted as 0 where the fold gives another label:
    folds that disagree make the answer less certain.
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
        label_index = voted_column(labels, proba, classes)
    label = classes[label_index]
    certainty = np.mean([np.where(fold_labels == label, values, 0.0)
                         for fold_labels, values in zip(labels, certainties)], axis=0)
    return label, certainty, proba


def cross_fitted_details(refit, fold_gwins, X, with_proba=True):
    """``predict_details`` with the refitted classifier's rejection and the fold GWINs' relabelling.

    ``refit`` is a fitted GWINClassifier: its classifier labels every row and
    its rejection (its ``tau``) picks the rows to relabel; rows it does not
    reject keep the classifier's own answers exactly. Chunked as ``refit``
    chunks its own work. Without ``with_proba`` the Bunch has no ``proba``
    nor ``proba_before`` (the refit's classifier is not asked for them).
    """
    X = refit._validate(X)
    for gwin in fold_gwins:
        gwin._check_inference_params()
    classes = np.asarray(refit.classes_)
    by_argmax = all(_decides_by_argmax(gwin) for gwin in (refit, *fold_gwins))
    chunks = []
    for rows in refit._chunks(X):
        answers, rejected = refit._decide(rows, with_proba=with_proba)
        labels, certainty, proba = answers
        del answers  # a Bayesian net's draws on every row would weigh while the folds work
        details = Bunch(labels_before=labels, certainty_before=certainty, rejected=rejected,
                        labels=labels.copy(), certainty=certainty.copy())
        if with_proba:
            details.proba_before, details.proba = proba, proba.copy()
        if rejected.any():
            new_labels, new_certainty, new_proba = committee_answers(
                fold_gwins, take(rows, np.flatnonzero(rejected)), classes, by_argmax
            )
            details.labels[rejected] = new_labels
            details.certainty[rejected] = new_certainty
            if with_proba:
                details.proba[rejected] = new_proba
        chunks.append(_with_abstention(details, refit.tau_abstain))
    return chunks[0] if len(chunks) == 1 else _concatenate_details(chunks)
