"""The safe mode's test judges regeneration against fold classifiers; it predicts beside the refit. On validation rows.

    python benchmarks/tabular_refit_gap.py            # seeds 0 and 1, about 30 minutes on 2 cores

``GWINClassifierCV`` decides on held-out folds whether regenerating fixes more
of the classifier's labels than it breaks. The labels it compares with are the
fold classifiers', each fitted on (k-1)/k of the rows. What it then predicts
beside is the classifier refitted on all of them, which may be right on more
of the hard rows. Where it is, the fold test overstates what regeneration
gains (in benchmarks/tabular.py, churn x random forest, seed 1, the folds
favoured regenerating and the test rows then lost). This script measures that
gap, per classifier family, on rows no model has seen.

For each table and classifier of benchmarks/tabular.py, the same splits as
benchmarks/tabular_cross_fitting.py: the 30% test rows set aside untouched,
the 70% training rows split 75/25 (stratified, same seed); the safe mode
(``cv=3``) is fitted on the 75%. On the 25% validation rows, at tau = 0.8 for
every pair (the GWIN's default, whatever the safe mode decided), on the rows
the refitted classifier rejects:

* how often the refitted classifier is right there, and how often the fold
  classifiers are (their mean);
* the rows the fold GWINs' joint labels (what ``ensemble=True`` predicts) fix
  and break against the refitted classifier's labels (what a user gets) and
  against each fold classifier's labels (what the test measured, summed over
  the folds and divided by their number);
* the fold test's own held-out counts at tau = 0.8 (``cv_results_``).

Writes benchmarks/results/tabular_refit_gap.json.
"""

import copy
import os
import warnings
from pathlib import Path

import numpy as np

from tabular_cross_fitting import every_validation_pair, fixed_and_broken, validation_split

RESULTS = Path(__file__).parent / "results"
TAU = 0.8


def run_cell(X, y, classifier_name, seed, gwin_params=None):
    import torch

    from sklearn_gwin import GWINClassifier, GWINClassifierCV
    from tabular import classifiers

    torch.set_num_threads(1)
    X_fit, X_val, y_fit, y_val = validation_split(X, y, seed)
    gwin = GWINClassifier(classifiers()[classifier_name](seed), **{"random_state": seed, **(gwin_params or {})})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the decision is recorded below
        safe = GWINClassifierCV(gwin, cv=3).fit(X_fit, y_fit)
    # the safe mode as it would predict at tau = 0.8: a copy, the search itself left as it was
    at_tau = copy.copy(safe)
    at_tau.best_estimator_ = copy.copy(safe.best_estimator_).set_params(tau=TAU)
    details = at_tau.best_estimator_.predict_details(X_val)
    rejected, refit_labels = details.rejected, details.labels_before
    joint = at_tau.predict(X_val)
    fold_labels = [fold.estimator_.predict(X_val) for fold in safe.estimators_]
    against_folds = np.sum([fixed_and_broken(joint, labels, y_val, rejected) for labels in fold_labels], axis=0)
    results = safe.cv_results_
    at = int(np.flatnonzero(np.isclose(results["tau"], TAU))[0])
    return dict(
        decision=safe.decision_, n_val=len(y_val), n_rejected=int(rejected.sum()),
        refit_right=int(np.sum(rejected & (refit_labels == y_val))),
        folds_right=float(np.mean([np.sum(rejected & (labels == y_val)) for labels in fold_labels])),
        against_refit=dict(zip(("fixed", "broken"), fixed_and_broken(joint, refit_labels, y_val, rejected))),
        against_folds=dict(fixed=float(against_folds[0] / len(fold_labels)),
                           broken=float(against_folds[1] / len(fold_labels))),
        fold_test=dict(fixed=int(results["n_fixed"][at]), broken=int(results["n_broken"][at])),
    )


def family_totals(rows):
    totals = {}
    for row in rows:
        total = totals.setdefault(row["classifier"], dict(pairs=0, n_rejected=0, refit_right=0, folds_right=0.0,
                                                          net_against_refit=0, net_against_folds=0.0,
                                                          net_fold_test=0))
        total["pairs"] += 1
        for key in ("n_rejected", "refit_right", "folds_right"):
            total[key] += row[key]
        total["net_against_refit"] += row["against_refit"]["fixed"] - row["against_refit"]["broken"]
        total["net_against_folds"] += row["against_folds"]["fixed"] - row["against_folds"]["broken"]
        total["net_fold_test"] += row["fold_test"]["fixed"] - row["fold_test"]["broken"]
    return totals


def main():
    from sklearn_gwin.benchmark.runner import write_result

    args, started, rows, command = every_validation_pair(run_cell, "tabular_refit_gap.py", __doc__)
    totals = family_totals(rows)
    for family, total in totals.items():
        print(f"{family:26s} rejected {total['n_rejected']:5d}: right refit {total['refit_right']:5d}, folds "
              f"{total['folds_right']:7.1f}; net against refit {total['net_against_refit']:+5d}, against folds "
              f"{total['net_against_folds']:+7.1f}, fold test {total['net_fold_test']:+5d}", flush=True)
    write_result(RESULTS / "tabular_refit_gap.json", started, command, tau=TAU, rows=rows, totals=totals,
                 seeds=args.seeds, cores=os.cpu_count(), n_jobs=args.n_jobs)


if __name__ == "__main__":
    main()
