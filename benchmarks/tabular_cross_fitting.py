"""Who relabels the rows the safe mode rejects: the fold GWINs or the refit? On validation rows only.

    python benchmarks/tabular_cross_fitting.py            # seeds 0 and 1, about 30 minutes on 2 cores

``GWINClassifierCV`` decides on its folds whether regenerating beats the
classifier, with the GWINs fitted on the folds. The GWIN refitted on all rows
then has a generator of its own that no test has seen (in benchmarks/tabular.py
churn x random forest, seed 1, it broke 11 test rows and fixed 1 after the
folds had favoured it). This script compares, on rows neither has seen, the
two ways to relabel the rejected rows: ``ensemble=True`` (the fold GWINs, the
models the test judged, together) and ``ensemble=False`` (the refitted GWIN).

For each table and classifier of benchmarks/tabular.py, the same stratified
70/30 split as there; the 30% test rows are set aside untouched. The 70%
training rows are split again, 75/25 (stratified, same seed): the safe mode,
``GWINClassifierCV(GWINClassifier(classifier, random_state=seed), cv=3)``, is
fitted on the 75%, and both ways predict the 25% validation rows. One fit
serves both (``ensemble`` is read at predict time). Per (cell, seed): the
decision, and the validation rows fixed (classifier wrong, safe mode right) and
broken by each way.

The rule, fixed before the run: cross-fitting becomes the default if, summed
over the pairs where the safe mode regenerates, it fixes at least as many rows
net (fixed - broken) as the refit, and it loses rows net in no more pairs.

Writes benchmarks/results/tabular_cross_fitting.json.
"""

import argparse
import functools
import os
import time
import warnings
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"


def validation_split(X, y, seed):
    """``X_fit, X_val, y_fit, y_val``: the cell's training rows (its test rows set aside) split 75/25, stratified."""
    from sklearn.model_selection import train_test_split

    from tabular import train_test

    X_train, _, y_train, _ = train_test(X, y, seed)
    return train_test_split(X_train, y_train, test_size=0.25, stratify=y_train, random_state=seed)


def every_validation_pair(run_cell, script, description, with_cv=False):
    """Parse ``--seeds`` and ``--n-jobs``, then ``run_cell`` on every pair of benchmarks/tabular.py.

    With ``with_cv``, a ``--cv`` option too (default 3), passed to
    ``run_cell`` as ``cv=``. Returns the arguments, the start time
    (``time.perf_counter``), the rows of :func:`tabular.every_pair` and the
    command that reproduces the run, as the validation scripts write it into
    their JSON.
    """
    from tabular import every_pair

    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--n-jobs", type=int, default=2)
    if with_cv:
        parser.add_argument("--cv", type=int, default=3, help="folds of the safe mode's search (the library's is 5)")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = every_pair(functools.partial(run_cell, cv=args.cv) if with_cv else run_cell, args.seeds, args.n_jobs)
    command = f"python benchmarks/{script} " + " ".join(
        ["--seeds", *map(str, args.seeds), "--n-jobs", str(args.n_jobs)] + (["--cv", str(args.cv)] if with_cv else []))
    return args, started, rows, command


def fixed_and_broken(labels, baseline, y, rows):
    """Rows among ``rows`` (a boolean mask) that ``labels`` get right and ``baseline`` wrong, and the reverse."""
    return (int(np.sum(rows & (labels == y) & (baseline != y))),
            int(np.sum(rows & (labels != y) & (baseline == y))))


def run_cell(X, y, classifier_name, seed):
    import torch

    from sklearn_gwin import GWINClassifier, GWINClassifierCV
    from tabular import classifiers

    torch.set_num_threads(1)
    X_fit, X_val, y_fit, y_val = validation_split(X, y, seed)
    started = time.perf_counter()
    gwin = GWINClassifier(classifiers()[classifier_name](seed), random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the decision is recorded below
        safe = GWINClassifierCV(gwin, cv=3).fit(X_fit, y_fit)
    alone = safe.best_estimator_.estimator_.predict(X_val)
    out = dict(decision=safe.decision_, best_tau=safe.best_tau_, p_value=safe.pvalue_, n_val=len(y_val))
    for name, ensemble in (("folds", True), ("refit", False)):
        labels = safe.set_params(ensemble=ensemble).predict(X_val)
        out[name] = dict(zip(("fixed", "broken"), fixed_and_broken(labels, alone, y_val, np.ones(len(y_val), bool))))
    out["seconds"] = time.perf_counter() - started
    return out


def main():
    from sklearn_gwin.benchmark.runner import write_result

    args, started, rows, command = every_validation_pair(run_cell, "tabular_cross_fitting.py", __doc__)
    regenerating = [row for row in rows if row["decision"] == "regenerate"]
    totals = {}
    for name in ("folds", "refit"):
        net = np.array([row[name]["fixed"] - row[name]["broken"] for row in regenerating])
        totals[name] = dict(fixed=int(sum(row[name]["fixed"] for row in regenerating)),
                            broken=int(sum(row[name]["broken"] for row in regenerating)),
                            net=int(net.sum()), pairs_net_positive=int((net > 0).sum()),
                            pairs_net_negative=int((net < 0).sum()))
        print(f"{name:6s} {totals[name]}", flush=True)
    folds, refit = totals["folds"], totals["refit"]
    chosen = "folds" if folds["net"] >= refit["net"] and folds["pairs_net_negative"] <= refit["pairs_net_negative"] \
        else "refit"
    print(f"{len(regenerating)} of {len(rows)} pairs regenerate; the rule chooses: {chosen}")
    write_result(RESULTS / "tabular_cross_fitting.json", started, command, rows=rows, totals=totals,
                 n_pairs=len(rows), n_regenerating=len(regenerating), chosen=chosen, seeds=args.seeds,
                 cores=os.cpu_count(), n_jobs=args.n_jobs)


if __name__ == "__main__":
    main()
