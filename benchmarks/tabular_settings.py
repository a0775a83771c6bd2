"""Generator settings for tables, compared on validation rows only (never the test rows).

    python benchmarks/tabular_settings.py            # seed 0, about 20 minutes on 2 cores

For each table and classifier of benchmarks/tabular.py, the same stratified
70/30 split (seed 0) as there; the 30% test rows are set aside untouched. The
70% training rows are split again, 75/25 (stratified, seed 0): the classifier
and each GWIN variant are fitted on the 75%, and scored on the 25% validation
rows the classifier rejects at tau = 0.8: rows fixed (wrong -> right) and
broken (right -> wrong) by regeneration. Variants, all else at the defaults:

- default: ``GWINClassifier(classifier, random_state=0)``
- uncertain sampling: ``generator_sampling="uncertain"`` (half of each batch
  drawn in proportion to the classifier's doubt on the training rows)
- jittered rows: ``augmentation`` adds Gaussian noise (sd 0.05 of each
  feature's range) to the generator's training rows, the tabular analogue of
  the affine warps that help on MNIST: doubtful rows with known labels
- both

Writes benchmarks/results/tabular_settings.json.
"""

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"
TAU = 0.8
JITTER = 0.05


def jitter(batch):
    """Gaussian noise on rows scaled to [0, 1], from torch's seeded generator."""
    import torch

    return (batch + JITTER * torch.randn_like(batch)).clamp(0, 1)


VARIANTS = {
    "default": {},
    "uncertain sampling": {"generator_sampling": "uncertain"},
    "jittered rows": {"augmentation": jitter},
    "both": {"generator_sampling": "uncertain", "augmentation": jitter},
}


def validation_split(X, y, classifier_name, seed):
    """tabular.py's training rows split 75/25: the classifier fitted on the 75%, and the 25% to score on."""
    from sklearn.model_selection import train_test_split

    from tabular import classifiers, train_test

    X_train, _, y_train, _ = train_test(X, y, seed)
    X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.25, stratify=y_train,
                                                  random_state=seed)
    return classifiers()[classifier_name](seed).fit(X_fit, y_fit), X_fit, y_fit, X_val, y_val


def rejected_counts(gwin, X_val, y_val):
    """Validation rows the GWIN rejects, and of those the rows regeneration fixed and broke."""
    details = gwin.predict_details(X_val)
    r = details.rejected
    right_before = details.labels_before[r] == y_val[r]
    right_after = details.labels[r] == y_val[r]
    return dict(n_rejected=int(r.sum()), fixed=int(np.sum(right_after & ~right_before)),
                broken=int(np.sum(right_before & ~right_after)))


def run_cell(X, y, classifier_name, seed=0):
    import torch
    from sklearn.frozen import FrozenEstimator

    from sklearn_gwin import GWINClassifier

    torch.set_num_threads(1)
    classifier, X_fit, y_fit, X_val, y_val = validation_split(X, y, classifier_name, seed)
    out = {}
    for name, params in VARIANTS.items():
        started = time.perf_counter()
        gwin = GWINClassifier(FrozenEstimator(classifier), tau=TAU, random_state=seed, **params).fit(X_fit, y_fit)
        out[name] = dict(rejected_counts(gwin, X_val, y_val), seconds=time.perf_counter() - started)
    return out


def variant_totals(rows, names, baseline="default"):
    """Per variant: validation rows fixed and broken, and cells with a net gain or loss, and better or worse
    than ``baseline`` (the ``*_than_default`` keys, named for this script's baseline)."""
    totals = {}
    for name in names:
        net = np.array([row["variants"][name]["fixed"] - row["variants"][name]["broken"] for row in rows])
        base = np.array([row["variants"][baseline]["fixed"] - row["variants"][baseline]["broken"] for row in rows])
        totals[name] = dict(
            fixed=int(sum(row["variants"][name]["fixed"] for row in rows)),
            broken=int(sum(row["variants"][name]["broken"] for row in rows)),
            cells_net_positive=int((net > 0).sum()), cells_net_negative=int((net < 0).sum()),
            cells_better_than_default=int((net > base).sum()), cells_worse_than_default=int((net < base).sum()),
            mean_seconds=float(np.mean([row["variants"][name]["seconds"] for row in rows])),
        )
    return totals


def main():
    from joblib import Parallel, delayed

    from tabular import classifiers
    from tabular_data import tables

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    jobs = [(t, X, y, c) for t, X, y in tables() for c in classifiers()]
    cells = Parallel(n_jobs=args.n_jobs, verbose=5)(delayed(run_cell)(X, y, c) for _, X, y, c in jobs)
    rows = [dict(table=t, classifier=c, variants=cell) for (t, _, _, c), cell in zip(jobs, cells)]
    totals = variant_totals(rows, VARIANTS)
    for name in VARIANTS:
        print(f"{name:20s} {totals[name]}", flush=True)
    out = dict(rows=rows, totals=totals, tau=TAU, jitter=JITTER, seconds=round(time.perf_counter() - started),
               date=time.strftime("%Y-%m-%d"), cores=os.cpu_count(), n_jobs=args.n_jobs)
    (RESULTS / "tabular_settings.json").write_text(json.dumps(out, indent=1))
    print(f"wrote {RESULTS / 'tabular_settings.json'} in {out['seconds']} s")


if __name__ == "__main__":
    main()
