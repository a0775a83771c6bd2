"""Does counting the refit's gain keep the safe mode from losing rows? On validation rows only.

    python benchmarks/tabular_refit_correction.py      # seeds 0 and 1, about 35 minutes on 2 cores
    python benchmarks/tabular_refit_correction.py --cv 5   # the library's default folds; its own JSON

benchmarks/tabular_refit_gap.py found that ``GWINClassifierCV``'s test judged
regeneration against fold classifiers that are right on fewer of the rejected
rows than the classifier refitted on all rows, beside which the safe mode
predicts. ``correct_for_refit=True`` estimates that gain per fold (the fold's
classifier refitted on fewer rows still, what that costs it scaled to the
gap) and subtracts it in the test. This script compares the two tests from one
fit per pair: the library's (with the gain) and the plain McNemar test on the
same held-out rows, recorded by wrapping the function that computes the
evidence.

The splits of benchmarks/tabular_cross_fitting.py: each table's 30% test rows
set aside untouched, the 70% training rows split 75/25 (stratified, same
seed); ``GWINClassifierCV(GWINClassifier(classifier, random_state=seed), cv=3)``
(``--cv``) is fitted on the 75%. On the 25% validation rows, for each test's decision:
the rows the safe mode fixes and breaks against the refitted classifier alone
(what a user gets against what they had).

The rule, fixed before the run: the correction stays the default if, over
every pair, it loses validation rows net in no more pairs than the plain test
does, and its total net over all pairs is not negative.

Writes benchmarks/results/tabular_refit_correction.json (with ``--cv`` other than 3,
tabular_refit_correction_cv<N>.json).
"""

import copy
import os
import time
import warnings
from pathlib import Path

import numpy as np

from tabular_cross_fitting import every_validation_pair, fixed_and_broken, validation_split

RESULTS = Path(__file__).parent / "results"
ALPHA = 0.05


def run_cell(X, y, classifier_name, seed, gwin_params=None, cv=3):
    import torch

    import sklearn_gwin._cv as cv_module
    from sklearn_gwin import GWINClassifier, GWINClassifierCV
    from sklearn_gwin._tau_choice import choose_tau
    from tabular import classifiers

    torch.set_num_threads(1)
    X_fit, X_val, y_fit, y_val = validation_split(X, y, seed)
    plain = {}
    evidence = cv_module.regeneration_evidence

    def recording(y_true, before, after, certainty, taus, **gap):
        plain["evidence"] = evidence(y_true, before, after, certainty, taus)  # the same rows without the gain
        return evidence(y_true, before, after, certainty, taus, **gap)

    started = time.perf_counter()
    gwin = GWINClassifier(classifiers()[classifier_name](seed), **{"random_state": seed, **(gwin_params or {})})
    cv_module.regeneration_evidence = recording
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the decision is recorded below
            safe = GWINClassifierCV(gwin, cv=cv, alpha=ALPHA).fit(X_fit, y_fit)
    finally:
        cv_module.regeneration_evidence = evidence
    results = safe.cv_results_
    _, _, p_plain, changed_plain, _ = plain["evidence"]
    best_plain, _ = choose_tau(results["tau"], results["mean_test_score"], p_plain, changed_plain, ALPHA)
    tau_plain = float(results["tau"][best_plain])
    alone = safe.best_estimator_.estimator_.predict(X_val)
    every_row = np.ones(len(y_val), dtype=bool)
    out = dict(n_val=len(y_val), corrected=dict(tau=safe.best_tau_, p_value=safe.pvalue_),
               plain=dict(tau=tau_plain))
    for name, tau in (("corrected", safe.best_tau_), ("plain", tau_plain)):
        # a copy at this tau, the search itself left as it was
        at_tau = copy.copy(safe)
        at_tau.best_estimator_ = copy.copy(safe.best_estimator_).set_params(tau=tau)
        labels = at_tau.predict(X_val)
        out[name].update(zip(("fixed", "broken"), fixed_and_broken(labels, alone, y_val, every_row)))
    chosen = results["tau"] == safe.best_tau_ if safe.best_tau_ > 0 else results["tau"] == tau_plain
    out.update(n_fixed=int(results["n_fixed"][chosen][0]), n_broken=int(results["n_broken"][chosen][0]),
               n_refit_gain=int(results["n_refit_gain"][chosen][0]), seconds=time.perf_counter() - started)
    return out


def family_totals(rows):
    totals = {}
    for row in rows:
        total = totals.setdefault(row["classifier"], {name: dict(regenerate=0, net=0, losing_pairs=0)
                                                      for name in ("corrected", "plain")})
        for name in ("corrected", "plain"):
            net = row[name]["fixed"] - row[name]["broken"]
            total[name]["regenerate"] += row[name]["tau"] > 0
            total[name]["net"] += net
            total[name]["losing_pairs"] += net < 0
    return totals


def main():
    from sklearn_gwin.benchmark.runner import write_result

    args, started, rows, command = every_validation_pair(run_cell, "tabular_refit_correction.py", __doc__, with_cv=True)
    totals = family_totals(rows)
    for family, total in totals.items():
        print(f"{family:26s} " + "; ".join(
            f"{name}: regenerates in {t['regenerate']:2d} pairs, net {t['net']:+4d}, losing in {t['losing_pairs']}"
            for name, t in total.items()), flush=True)
    overall = {name: {key: sum(t[name][key] for t in totals.values()) for key in ("regenerate", "net", "losing_pairs")}
               for name in ("corrected", "plain")}
    keep = (overall["corrected"]["losing_pairs"] <= overall["plain"]["losing_pairs"]
            and overall["corrected"]["net"] >= 0)
    print(f"all pairs: {overall}; the rule keeps the correction: {keep}")
    name = "tabular_refit_correction.json" if args.cv == 3 else f"tabular_refit_correction_cv{args.cv}.json"
    write_result(RESULTS / name, started, command, alpha=ALPHA, cv=args.cv, rows=rows,
                 totals=totals, overall=overall, rule_keeps_the_correction=keep, seeds=args.seeds,
                 cores=os.cpu_count(), n_jobs=args.n_jobs)


if __name__ == "__main__":
    main()
