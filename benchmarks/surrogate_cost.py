"""What the distilled surrogate costs in a GWIN's fit, against the classifier's own fit, as tables grow.

    python benchmarks/surrogate_cost.py   # about 6 minutes on 2 cores

Around classifiers without gradients the GWIN first distils a small network
from the classifier's ``predict_proba`` (``sklearn_gwin.surrogate``), then
trains the generator through it. For tables of growing size
(``make_classification``, 20 features, 5 classes, 2,000 to ``--max-rows``
rows, 70% to fit on and 30% held out) and two classifiers (logistic
regression and a 100-tree random forest, fitted once), a default GWIN
(``--n-iter`` generator iterations) is fitted twice around the same frozen
classifier: with the distillation's steps capped (``surrogate._MAX_STEPS``,
the library's default) and uncapped (30 epochs whatever the size, the
library until 2026-11-30). Each fit is timed by phase: the surrogate (asking
the classifier about its points, and training the net), the generator's
training, and the rest; beside them the classifier's own fit. Also
``surrogate_agreement_``, and the accuracy on the held-out rows the
classifier rejects at tau 0.8, alone and with each GWIN, with the capped
minus uncapped difference and its 95% paired bootstrap interval. Writes
benchmarks/results/surrogate_cost.json.
"""

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from phase_timing import timed_phases
from sklearn_gwin import GWINClassifier, _fitting
from sklearn_gwin import _generator_training as training
from sklearn_gwin import surrogate
from sklearn_gwin.benchmark.scoring import compare_rows

RESULTS = Path(__file__).parent / "results"
ASKING = "surrogate: the classifier's predict_proba"
CLASSIFIERS = {
    "logistic regression": lambda: LogisticRegression(max_iter=1000),
    "random forest (100 trees)": lambda: RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=0),
}


def fit_by_phase(fitted, X, y, n_iter, max_steps):
    phases = {}
    targets = [
        (_fitting, "fit_surrogate", "surrogate"),
        (surrogate, "_in_chunks", ASKING),
        (training, "train_wgwin_gp", "generator training"),
    ]
    library_cap = surrogate._MAX_STEPS
    surrogate._MAX_STEPS = max_steps
    try:
        with timed_phases(phases, *targets):
            start = time.perf_counter()
            gwin = GWINClassifier(FrozenEstimator(fitted), n_iter=n_iter, random_state=0).fit(X, y)
            phases["GWIN fit"] = time.perf_counter() - start
    finally:
        surrogate._MAX_STEPS = library_cap
    # making the points, training the net, and checking its agreement
    phases["surrogate: the rest"] = phases["surrogate"] - phases[ASKING]
    phases["rest"] = phases["GWIN fit"] - phases["surrogate"] - phases["generator training"]
    return phases, gwin


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-rows", type=int, default=50_000)
    parser.add_argument("--n-iter", type=int, default=2000)
    args = parser.parse_args()
    started = time.perf_counter()
    sizes = [n for n in (2_000, 10_000, 50_000, 200_000) if n <= args.max_rows]
    rows = []
    for n_rows in sizes:
        X, y = make_classification(n_samples=n_rows, n_features=20, n_informative=10, n_classes=5, random_state=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
        for name, make in CLASSIFIERS.items():
            start = time.perf_counter()
            fitted = make().fit(X_train, y_train)
            classifier_seconds = time.perf_counter() - start
            labels = {}
            for mode, max_steps in (("capped", surrogate._MAX_STEPS), ("uncapped", None)):
                phases, gwin = fit_by_phase(fitted, X_train, y_train, args.n_iter, max_steps)
                details = gwin.set_params(tau=0.8).predict_details(X_test)
                rejected = details.rejected
                row = dict(
                    n_rows=n_rows, n_train=len(y_train), classifier=name, mode=mode, max_steps=max_steps,
                    classifier_fit_seconds=classifier_seconds, seconds=phases,
                    surrogate_over_classifier_fit=phases["surrogate"] / classifier_seconds,
                    surrogate_agreement=gwin.surrogate_agreement_, n_rejected=int(rejected.sum()),
                    rejected_accuracy_alone=float(np.mean(details.labels_before[rejected] == y_test[rejected])),
                    rejected_accuracy_gwin=float(np.mean(details.labels[rejected] == y_test[rejected])),
                )
                rows.append(row)
                labels[mode] = details.labels[rejected]
                print(f"{n_rows:>7} rows, {name}, {mode}: classifier fit {classifier_seconds:.1f} s, surrogate "
                      f"{phases['surrogate']:.1f} s ({phases[ASKING]:.1f} s of it asking the classifier), generator "
                      f"{phases['generator training']:.1f} s, agreement {row['surrogate_agreement']:.3f}, rejected "
                      f"rows {row['n_rejected']}: {row['rejected_accuracy_alone']:.3f} -> "
                      f"{row['rejected_accuracy_gwin']:.3f}", flush=True)
            truth = y_test[rejected]
            # points, with the 95% paired bootstrap interval of the benchmark package
            difference = compare_rows((labels["capped"] == truth).astype(float) - (labels["uncapped"] == truth))
            rows[-2]["rejected_accuracy_capped_minus_uncapped"] = difference
            print(f"    capped - uncapped on the rejected rows: {difference['difference']:+.2f} "
                  f"[{difference['ci'][0]:+.2f}, {difference['ci'][1]:+.2f}] points", flush=True)
    from sklearn_gwin.benchmark.runner import write_result

    write_result(RESULTS / "surrogate_cost.json", started, "python benchmarks/surrogate_cost.py",
                 rows=rows, n_iter=args.n_iter)


if __name__ == "__main__":
    main()
