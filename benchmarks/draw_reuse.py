"""Pooling a rejected row's own first-pass draws against drawing on it again: accuracy on held-out rows.

    python benchmarks/abstention.py --data-home ../shared/data   # once: fits and saves the models
    python benchmarks/draw_reuse.py --data-home ../shared/data --work-dir <that --work-dir>   # about 3 minutes

With ``pool_input=True`` (the default), a rejected row is labelled by S4 on
the Bayesian net's Monte Carlo draws pooled over the row itself and its
regenerated versions. ``GWINClassifier.predict`` pools the draws the first
pass already made on the row (the pass that rejected it) instead of drawing
there again, which saves about a quarter of the second pass (issue 23). The
two differ in which draws vote: the reused ones are those whose certainty
fell below tau. This script measures what that does to accuracy.

Around the Bayesian LeNet-5 (5 epochs, seed 0) and the default GWIN that
benchmarks/abstention.py saved per dataset in ``--work-dir`` (a trusted
folder: loaded only when its manifest vouches for them), on the first half of
the paper's validation rows, which neither the classifier nor the GWIN (nor
its ``augmentation="auto"`` choice) saw: the rows rejected at the GWIN's tau
are labelled both ways, with the same regenerated versions, over
``--seeds`` seeds of the classifier's draws. Reported per dataset: accuracy
on the rejected rows, alone and both ways (mean over the seeds), and reused
minus fresh in points with its 95% paired bootstrap interval over the rows
rejected under any seed (each row's difference averaged over the seeds that
reject it). Writes benchmarks/results/draw_reuse.json.
"""

import argparse
import copy
import time
from pathlib import Path

import numpy as np

from sklearn_gwin._labelling import pooled_label_and_certainty
from sklearn_gwin.benchmark.data import load_validation_data
from sklearn_gwin.benchmark.runner import write_result
from sklearn_gwin.benchmark.scoring import compare_rows
from sklearn_gwin.benchmark.store import ModelStore

RESULTS = Path(__file__).parent / "results"
GWIN = "gwin_default_around_lenet5_5ep_seed0_choosing_on_val_half"
UNSEEN = slice(0, 5000)  # abstention.py's augmentation choice saw the second half


def with_draw_seed(gwin, seed):
    """A copy of ``gwin`` whose classifier draws from ``seed`` (the LeNet-5 seeds its inference)."""
    gwin = copy.deepcopy(gwin)
    gwin.estimator_.estimator.random_state = seed
    return gwin


def both_ways(gwin, X):
    """Labels on the rows ``gwin`` rejects: pooling the first pass's draws (predict) and drawing anew."""
    details = gwin.predict_details(X)
    X_rejected = X[details.rejected]
    versions = [gwin.regenerate(X_rejected, draw) for draw in range(gwin.n_regen)]
    fresh = pooled_label_and_certainty(gwin.estimator_, [X_rejected, *versions], gwin.certainty)[0]
    return details.rejected, details.labels_before, details.labels[details.rejected], fresh


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", required=True)
    parser.add_argument("--work-dir", required=True, help="benchmarks/abstention.py's --work-dir (trusted)")
    parser.add_argument("--datasets", nargs="+", default=["mnist", "fashion-mnist"])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = []
    for dataset in args.datasets:
        X_val, y_val = load_validation_data(dataset, args.data_home)
        X, y = X_val[UNSEEN], y_val[UNSEEN]
        loaded = ModelStore(Path(args.work_dir) / dataset).load(GWIN)
        if loaded is None:
            parser.error(f"no GWIN for {dataset} in --work-dir: run benchmarks/abstention.py first")
        gwin, _ = loaded
        runs = [both_ways(with_draw_seed(gwin, seed), X) for seed in range(args.seeds)]
        # a row is rejected on its first-pass draws, which change with the seed: each row's difference is
        # averaged over the seeds that reject it, and the rows rejected under any seed are compared
        differences, times_rejected = np.zeros(len(X)), np.zeros(len(X))
        accuracy = {"alone": [], "reused": [], "fresh": []}
        for rejected, before, reused, fresh in runs:
            truth = y[rejected]
            differences[rejected] += (reused == truth).astype(float) - (fresh == truth)
            times_rejected += rejected
            for way, labels in (("alone", before[rejected]), ("reused", reused), ("fresh", fresh)):
                accuracy[way].append(float(np.mean(labels == truth)))
        ever = times_rejected > 0
        row = dict(
            dataset=dataset, tau=gwin.tau, n_rows=len(X), n_rejected_per_seed=[int(r.sum()) for r, *_ in runs],
            n_rejected_under_any_seed=int(ever.sum()),
            # mean over the seeds of the accuracy on the rows each rejects
            rejected_accuracy={way: float(np.mean(values)) for way, values in accuracy.items()},
            reused_minus_fresh=compare_rows(differences[ever] / times_rejected[ever]),
        )
        difference = row["reused_minus_fresh"]
        print(f"[{dataset}] {row['n_rejected_under_any_seed']} rows rejected under some of {args.seeds} seeds: "
              + ", ".join(f"{way} {value:.4f}" for way, value in row["rejected_accuracy"].items())
              + f"; reused - fresh {difference['difference']:+.2f} "
              f"[{difference['ci'][0]:+.2f}, {difference['ci'][1]:+.2f}] points", flush=True)
        rows.append(row)
    write_result(RESULTS / "draw_reuse.json", started, rows=rows, seeds=args.seeds,
                 command="python benchmarks/draw_reuse.py --data-home ../shared/data --work-dir <abstention.py's>")


if __name__ == "__main__":
    main()
