"""Choosing tau on held-out rows, with "never regenerate" always a candidate.

Numpy and scipy only: the rule that keeps a GWIN from making its classifier
worse, apart from any estimator. A tau is eligible only when, on the held-out
rows it rejects, regeneration fixed significantly more labels than it broke
(a one-sided exact McNemar test) and its cross-validated score beats the
classifier's own labels (tau = 0).

The Bonferroni correction counts distinct tests, not taus. Rejection is nested
(a higher tau rejects a superset), so two taus whose rejected rows hold the
same rows with a changed label test the very same hypothesis. On one held-out
set, which rows change label depends on the held-out X and on a model fitted
on other rows, not on the held-out labels, so the family-wise error is at most
alpha. Pooled over K folds, each fold's model saw the other folds' held-out
labels, and the test is approximate, as every paired test on cross-validated
predictions is (Dietterich, 1998); it also judges the fold models, not the
final refit. Each row must be held out at most once.
"""

import numpy as np
from scipy.stats import binomtest

from .certainty import threshold_rejection


def regeneration_evidence(y_true, labels_before, labels_after, certainty, taus):
    """Rows fixed and broken by regeneration at each tau, and the test's p-value.

    Parameters
    ----------
    y_true, labels_before, labels_after : array-like of shape (n_samples,)
        True labels of held-out rows, the classifier's labels, and the labels
        after regenerating every row.
    certainty : array-like of shape (n_samples,)
        The classifier's certainty for each row.
    taus : array-like of shape (n_taus,)

    Returns
    -------
    n_fixed, n_broken : ndarray of int, shape (n_taus,)
        Rejected rows whose label went from wrong to right, and from right to wrong.
    p_value : ndarray of float, shape (n_taus,)
        One-sided exact McNemar p-value of "regeneration fixes more than it
        breaks": under the null, each changed row is a fair coin. 1.0 where no
        rejected row changed correctness.
    n_changed : ndarray of int, shape (n_taus,)
        Rejected rows whose label regeneration changed; equal counts mean the
        same rows (rejection is nested), hence the same test.
    """
    y_true = np.asarray(y_true)
    right_before = np.asarray(labels_before) == y_true
    right_after = np.asarray(labels_after) == y_true
    label_changed = np.asarray(labels_before) != np.asarray(labels_after)
    n_fixed, n_broken, p_value, n_changed = [], [], [], []
    for tau in np.asarray(taus, dtype=float):
        rejected = threshold_rejection(certainty, labels_before, tau)
        n_changed.append(int(np.sum(rejected & label_changed)))
        fixed = int(np.sum(rejected & right_after & ~right_before))
        broken = int(np.sum(rejected & right_before & ~right_after))
        n_fixed.append(fixed)
        n_broken.append(broken)
        changed = fixed + broken
        p_value.append(binomtest(fixed, changed, 0.5, alternative="greater").pvalue if changed else 1.0)
    return np.asarray(n_fixed), np.asarray(n_broken), np.asarray(p_value), np.asarray(n_changed)


def choose_tau(taus, mean_scores, p_values, n_changed, alpha):
    """The best-scoring eligible tau, or 0.0 ("never regenerate") when none is.

    Parameters
    ----------
    taus, mean_scores, p_values, n_changed : array-like of shape (n_taus,)
        Candidate taus, their mean held-out scores, and the raw p-values and
        changed-row counts from :func:`regeneration_evidence`. Must contain
        tau = 0.
    alpha : float in (0, 1) or None
        Family-wise significance level. None: the tau of the best mean score,
        without a test.

    Returns
    -------
    index : int
        Position of the chosen tau in ``taus``.
    adjusted_p_values : ndarray of shape (n_taus,)
        Bonferroni-adjusted p-values, multiplied by the number of distinct
        tests (nan at tau = 0, which needs no test).
    """
    taus = np.asarray(taus, dtype=float)
    mean_scores = np.asarray(mean_scores, dtype=float)
    never = int(np.flatnonzero(taus == 0)[0])
    tested = taus > 0
    n_changed = np.asarray(n_changed)
    n_tests = max(1, len(np.unique(n_changed[tested & (n_changed > 0)])))
    adjusted = np.where(tested, np.minimum(1.0, np.asarray(p_values) * n_tests), np.nan)
    if alpha is None:
        return int(np.argmax(mean_scores)), adjusted
    eligible = tested & (adjusted <= alpha) & (mean_scores > mean_scores[never])
    if not eligible.any():
        return never, adjusted
    return int(np.flatnonzero(eligible)[np.argmax(mean_scores[eligible])]), adjusted
