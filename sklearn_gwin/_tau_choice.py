"""Choosing tau on held-out rows, with "never regenerate" always a candidate.

Numpy and scipy only: the rule that keeps a GWIN from making its classifier
worse, apart from any estimator. A tau is eligible only when, on the held-out
rows it rejects, regeneration fixed significantly more labels than it broke
and its cross-validated score beats the classifier's own labels (tau = 0).

The held-out labels it is compared with come from classifiers fitted on the
other folds, fewer rows than the classifier refitted on all of them, which
may be right on more of the hard rows. Where the caller estimates that gain
(a classifier fitted on fewer rows still), each rejected row counts +1 fixed,
-1 broken, minus its share of the gain, and Fisher's sign-flip test judges
those differences. It is exact where each row's difference is as likely
negative as positive, and only approximate at the edge of the null, where
the differences are skewed. Its p-value is taken no smaller than the exact
one-sided McNemar test's (the test without a gain), so that an estimated
gain below zero, noise on rows picked for the fold classifier's doubt, never
makes the test looser than without it. One subsample and one fit per fold
give every row of the fold its gain: that shared noise is outside the
per-row null, another approximation of the kind below.

The Bonferroni correction counts distinct tests, not taus. Rejection is nested
(a higher tau rejects a superset), so two taus whose rejected rows hold the
same rows with a changed label test the very same hypothesis. On one held-out
set, which rows change label depends on the held-out X and on models fitted
on other rows, not on the held-out labels, so the family-wise error is at most
alpha. Pooled over K folds, each fold's model saw the other folds' held-out
labels, and the test is approximate, as every paired test on cross-validated
predictions is (Dietterich, 1998). Each row must be held out at most once.
"""

import numpy as np
from scipy.signal import fftconvolve
from scipy.stats import binom, binomtest

from .certainty import threshold_rejection

# above this product of lengths, the sign-flip law is convolved by FFT (exact to about 1e-13)
DIRECT_CONVOLUTION_LIMIT = 10**7


def sign_flip_pvalue(differences):
    """One-sided exact p-value of "the paired integer differences sum above 0" (Fisher's sign-flip test).

    Under the null each row's difference is as likely to be ``-d`` as ``d``;
    the p-value is the chance that random signs on the observed magnitudes
    sum to at least the observed sum. With differences in {-1, 0, 1} it is
    the exact one-sided McNemar (binomial) test.

    Parameters
    ----------
    differences : array-like of int, shape (n_rows,)

    Returns
    -------
    p_value : float
        1.0 when every difference is 0. Past ``DIRECT_CONVOLUTION_LIMIT``
        (a few thousand rows) the law is convolved by FFT, and tails below
        about 1e-13 are rounding noise (possibly 0.0).
    """
    differences = np.asarray(differences, dtype=np.int64)
    differences = differences[differences != 0]
    if len(differences) == 0:
        return 1.0
    magnitudes, counts = np.unique(np.abs(differences), return_counts=True)
    if len(magnitudes) == 1 and magnitudes[0] == 1:
        return mcnemar_pvalue(int(np.sum(differences > 0)), int(np.sum(differences < 0)))
    # the sum is an integer in [-total, total]: convolve each magnitude's law a * (2 * Binomial(n, 1/2) - n)
    pmf, lowest = np.ones(1), 0
    for magnitude, count in zip(magnitudes, counts):
        spread = np.zeros(2 * magnitude * count + 1)
        spread[:: 2 * magnitude] = binom.pmf(np.arange(count + 1), count, 0.5)
        direct = len(pmf) * len(spread) <= DIRECT_CONVOLUTION_LIMIT
        pmf = np.convolve(pmf, spread) if direct else fftconvolve(pmf, spread)
        lowest -= magnitude * count
    return float(np.clip(np.sum(pmf[int(differences.sum()) - lowest:]), 0.0, 1.0))


def mcnemar_pvalue(n_fixed, n_broken):
    """One-sided exact McNemar p-value of "fixes more than it breaks": each changed row a fair coin; 1.0 for none."""
    changed = n_fixed + n_broken
    return binomtest(n_fixed, changed, 0.5, alternative="greater").pvalue if changed else 1.0


def regeneration_evidence(y_true, labels_before, labels_after, certainty, taus, labels_fewer_rows=None,
                          gap_scale=1):
    """Rows fixed and broken by regeneration at each tau, and the test's p-value.

    Parameters
    ----------
    y_true, labels_before, labels_after : array-like of shape (n_samples,)
        True labels of held-out rows, the classifier's labels, and the labels
        after regenerating every row.
    certainty : array-like of shape (n_samples,)
        The classifier's certainty for each row.
    taus : array-like of shape (n_taus,)
    labels_fewer_rows : array-like of shape (n_samples,) or None, default=None
        Labels of the classifier refitted on fewer training rows (see
        ``gap_scale``). None: the same as ``labels_before`` (no gap).
    gap_scale : int or array-like of int, shape (n_samples,), default=1
        Each row's multiplier of what the fewer rows cost: a row right with
        ``labels_before`` and wrong with ``labels_fewer_rows`` counts
        ``gap_scale`` rows of refit gain, the reverse minus as many.

    Returns
    -------
    n_fixed, n_broken : ndarray of int, shape (n_taus,)
        Rejected rows whose label went from wrong to right, and from right to wrong.
    p_value : ndarray of float, shape (n_taus,)
        One-sided p-value of "regeneration fixes more than it breaks, by
        more than the refit gain": :func:`sign_flip_pvalue` on each rejected
        row's fixed (+1) or broken (-1) minus its refit gain, and never less
        than :func:`mcnemar_pvalue` of the rows fixed and broken. Without
        ``labels_fewer_rows``, the exact McNemar test. 1.0 where no rejected
        row counts.
    n_changed : ndarray of int, shape (n_taus,)
        Rejected rows whose label regeneration or the fewer rows changed;
        equal counts mean the same rows (rejection is nested), hence the
        same test.
    refit_gain : ndarray of int, shape (n_taus,)
        Rejected rows the classifier fitted on more rows is estimated to get
        right beyond ``labels_before``, net (0 without ``labels_fewer_rows``).
    """
    y_true = np.asarray(y_true)
    labels_before = np.asarray(labels_before)
    labels_fewer_rows = labels_before if labels_fewer_rows is None else np.asarray(labels_fewer_rows)
    right_before = labels_before == y_true
    right_after = np.asarray(labels_after) == y_true
    changed = (labels_before != np.asarray(labels_after)) | (labels_before != labels_fewer_rows)
    # +1 fixed, -1 broken, minus the refit's estimated gain on the row
    gain = np.asarray(gap_scale, dtype=np.int64) * (right_before.astype(np.int64) - (labels_fewer_rows == y_true))
    differences = right_after.astype(np.int64) - right_before - gain
    n_fixed, n_broken, p_value, n_changed, refit_gain = [], [], [], [], []
    for tau in np.asarray(taus, dtype=float):
        rejected = threshold_rejection(certainty, labels_before, tau)
        n_changed.append(int(np.sum(rejected & changed)))
        n_fixed.append(int(np.sum(rejected & right_after & ~right_before)))
        n_broken.append(int(np.sum(rejected & right_before & ~right_after)))
        refit_gain.append(int(np.sum(np.where(rejected, gain, 0))))
        p_value.append(max(mcnemar_pvalue(n_fixed[-1], n_broken[-1]), sign_flip_pvalue(differences[rejected])))
    return (np.asarray(n_fixed), np.asarray(n_broken), np.asarray(p_value), np.asarray(n_changed),
            np.asarray(refit_gain))


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
