"""Tables 1-2's columns, with bootstrap confidence intervals over the rejected rows.

Everything here is numpy on saved predictions: the rows a classifier rejects
are found once from its certainty on the test set, and every method (GWIN,
TTA, a second model, ...) is scored on exactly those rows.
"""

import numpy as np

N_BOOTSTRAP = 2000


def bootstrap_interval(differences, rng, level=0.95):
    """Percentile bootstrap interval of the mean of per-row ``differences``."""
    return stratified_bootstrap_interval([differences], rng, level)


def stratified_bootstrap_interval(groups, rng, level=0.95, pooled=False):
    """Percentile bootstrap interval of the mean of the groups' means, or of all their rows.

    Each group (e.g. the rejected rows around one fitted classifier) is
    resampled on its own, keeping its size. The interval is for these groups:
    it says how sure the mean is over the rows, not how much it would move
    with other groups (other classifiers).

    Parameters
    ----------
    groups : sequence of array-like of float
        Per-row values, one array per group.
    rng : RandomState
    level : float, default=0.95
    pooled : bool, default=False
        False: the statistic is the mean of the groups' means, so every group
        weighs the same whatever its size. True: the mean over all rows of all
        groups, so a group weighs by its size (the point estimate to print
        beside it is then ``np.concatenate(groups).mean()``).

    Returns
    -------
    low, high : float
        NaN when any group is empty.
    """
    groups = [np.asarray(values, dtype=float) for values in groups]
    if not groups or any(len(values) == 0 for values in groups):
        return (np.nan, np.nan)
    resampled_means = np.array(
        [values[rng.randint(len(values), size=(N_BOOTSTRAP, len(values)))].mean(axis=1) for values in groups]
    )
    sizes = np.array([len(values) for values in groups], dtype=float)
    means = np.average(resampled_means, axis=0, weights=sizes if pooled else None)
    tail = 100 * (1 - level) / 2
    return tuple(float(v) for v in np.percentile(means, [tail, 100 - tail]))


def _mean_std(values):
    values = np.asarray(values, dtype=float)
    if values.size == 0 or np.all(np.isnan(values)):
        return (np.nan, np.nan)
    return (float(np.nanmean(values)), float(np.nanstd(values)))


def method_row(base_correct, certainty, candidate_correct, tau, rng, candidates):
    """One method's scores at one ``tau``.

    Parameters
    ----------
    base_correct : ndarray of bool, shape (n_test,)
        Whether the classifier alone labels each test row correctly.
    certainty : ndarray of shape (n_test,)
        The classifier's certainty; rows below ``tau`` are rejected.
    candidate_correct : list of ndarray of bool
        One array per seed: whether the method labels each row correctly, on
        the rows ``candidates`` (the same rows for every seed).
    tau : float
    rng : RandomState
        For the bootstrap.
    candidates : ndarray of int
        Test rows with certainty below the largest tau of the table.

    Returns
    -------
    row : dict
        ``accuracy`` (mean, std over seeds, in %), ``rejected_delta`` (points,
        mean and std over seeds) with ``rejected_delta_ci`` (95% bootstrap over
        rows of the seed-averaged gain), ``overall_delta`` (points) and
        ``error_change`` (% change of the test error rate), both mean and std.
    """
    rejected = certainty[candidates] < tau
    base = base_correct[candidates][rejected].astype(float)
    per_seed = [np.asarray(c, dtype=float)[rejected] for c in candidate_correct]
    n_test = len(base_correct)
    errors_before = n_test - base_correct.sum()
    accuracy, delta, overall, error_change = [], [], [], []
    for correct in per_seed:
        gained = correct.sum() - base.sum()
        accuracy.append(100 * correct.mean() if len(correct) else np.nan)
        delta.append(100 * (correct.mean() - base.mean()) if len(correct) else np.nan)
        overall.append(100 * gained / n_test)
        error_change.append(100 * -gained / errors_before if errors_before else np.nan)
    seed_mean = np.mean(per_seed, axis=0) if per_seed and len(base) else np.zeros(0)
    return dict(
        n_rejected=int(rejected.sum()),
        accuracy=_mean_std(accuracy),
        rejected_delta=_mean_std(delta),
        rejected_delta_ci=tuple(100 * v for v in bootstrap_interval(seed_mean - base, rng)),
        overall_delta=_mean_std(overall),
        error_change=_mean_std(error_change),
    )


def score_methods(y_true, base_label, certainty, candidates, methods, taus, random_state=0):
    """Tables 1-2's columns for the classifier and each method, at each tau.

    Parameters
    ----------
    y_true, base_label, certainty : ndarray of shape (n_test,)
        True class index, the classifier's label and certainty.
    candidates : ndarray of int
        The test rows with ``certainty < max(taus)``, on which ``methods``
        were evaluated.
    methods : dict of str -> list of ndarray
        Per method, one array of predicted class indices on ``candidates``
        per seed.
    taus : sequence of float

    Returns
    -------
    rows : list of dict
        One per tau: ``tau``, ``percent_rejected``, ``base_accuracy`` (on
        the rejected rows), ``accepted_accuracy`` ("BNN w/ Reject"), and
        ``methods``: name -> the dict of :func:`method_row`.
    """
    rng = np.random.RandomState(random_state)
    base_correct = base_label == y_true
    rows = []
    for tau in taus:
        rejected = certainty < tau
        accepted = ~rejected
        row = dict(
            tau=float(tau),
            n_rejected=int(rejected.sum()),
            percent_rejected=float(100 * rejected.mean()),
            base_accuracy=float(100 * base_correct[rejected].mean()) if rejected.any() else np.nan,
            accepted_accuracy=float(100 * base_correct[accepted].mean()) if accepted.any() else np.nan,
            methods={},
        )
        for name, predictions in methods.items():
            correct = [p == y_true[candidates] for p in predictions]
            row["methods"][name] = method_row(base_correct, certainty, correct, tau, rng, candidates)
        rows.append(row)
    return rows


def compare(y_true, certainty, candidates, first, second, tau, random_state=0):
    """Whether ``first`` beats ``second`` on the rows rejected at ``tau``.

    Both are lists of per-seed predictions on ``candidates``. The difference of
    their seed-averaged accuracies is bootstrapped over the rejected rows.

    Returns
    -------
    result : dict
        ``difference`` (points), ``ci`` (95%) and ``verdict``: "wins" when the
        whole interval is above zero, "loses" when below, else "tie".
    """
    rejected = certainty[candidates] < tau
    truth = y_true[candidates][rejected]
    first_correct = np.mean([p[rejected] == truth for p in first], axis=0)
    second_correct = np.mean([p[rejected] == truth for p in second], axis=0)
    return compare_rows(first_correct - second_correct, random_state)


def compare_rows(differences, random_state=0):
    """:func:`compare`'s result from the per-row ``differences`` of seed-averaged correctness."""
    differences = np.asarray(differences, dtype=float)
    low, high = bootstrap_interval(differences, np.random.RandomState(random_state))
    return dict(
        difference=float(100 * differences.mean()) if len(differences) else np.nan,
        ci=(100 * low, 100 * high),
        verdict=verdict(low, high),
    )


def verdict(low, high):
    """"wins" when the interval ``[low, high]`` is above zero, "loses" when below, else "tie"."""
    return "wins" if low > 0 else "loses" if high < 0 else "tie"
