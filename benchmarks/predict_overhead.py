"""What GWINClassifier.predict costs over the classifier's own predict_proba, at about 5% rejected.

    python benchmarks/abstention.py --data-home ../shared/data --datasets mnist   # once: fits and saves the models
    python benchmarks/predict_overhead.py --data-home ../shared/data --work-dir <that --work-dir>

Around the Bayesian LeNet-5 (5 epochs, seed 0) and the default GWIN that
benchmarks/abstention.py saved in ``--work-dir`` (a trusted folder: the models
are pickles, loaded only when its manifest vouches for them), on the 10,000
MNIST test rows, in one process: the classifier's ``predict_proba`` (its 10
Monte Carlo draws, averaged), and the GWIN's ``predict`` with tau set to the
certainty quantile that rejects 5% of the rows (a timing setting, not an
accuracy one). The two alternate, ``--repeats`` times each, which goes first
alternating too; the ratio is the
median of each pair's ratio, the seconds each call's median. Beside it, the
rows the GWIN passes through the classifier's Monte Carlo draws over the rows
its ``predict_proba`` does: the work behind the ratio, which the machine's
speed does not move. Also the
latency per regenerated row: the GWIN's extra time over the classifier,
divided by the rows it regenerated. Issue 23's goal is a ratio of at most
1.20. Writes benchmarks/results/predict_overhead.json.
"""

import argparse
import copy
import json
import time
from pathlib import Path

import numpy as np

from sklearn_gwin.benchmark.data import load_benchmark_data
from sklearn_gwin.benchmark.runner import write_result
from sklearn_gwin.benchmark.store import ModelStore

RESULTS = Path(__file__).parent / "results"
REJECTED_SHARE = 0.05


def _seconds(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def rows_drawn_on(net, call):
    """Rows ``call()`` passes through ``net``'s Monte Carlo draws (``sample_logits``), counted."""
    counted, original = [], type(net).sample_logits

    def counting(self, X):
        counted.append(len(X))
        return original(self, X)

    type(net).sample_logits = counting
    try:
        call()
    finally:
        type(net).sample_logits = original
    return sum(counted)


def overhead(net, gwin, X, repeats=3):
    """``gwin.predict`` against ``net.predict_proba`` on ``X``, at the tau that rejects 5% of its rows.

    The two calls alternate, ``repeats`` times each, the classifier first in
    even pairs and the GWIN first in odd ones, so that a machine that speeds
    up or slows down during the run (this one's speed drifted by a fifth
    within minutes) weighs on both alike; the ratio is the median of the
    pairs' ratios.
    """
    _, certainty = net.predict_with_certainty(X)
    tau = float(np.quantile(certainty, REJECTED_SHARE))
    gwin = copy.copy(gwin).set_params(tau=tau)
    n_rejected = int(gwin.reject(X).sum())
    # the work behind the ratio, free of the machine's noise: rows through the classifier's draws
    rows_drawn = rows_drawn_on(net, lambda: gwin.predict(X)) / rows_drawn_on(net, lambda: net.predict_proba(X))
    alone_runs, gwin_runs = [], []
    for pair in range(repeats):
        # which call goes first alternates too, so that neither always runs on the warmer machine
        calls = [(alone_runs, lambda: net.predict_proba(X)), (gwin_runs, lambda: gwin.predict(X))]
        for runs, call in calls[:: 1 if pair % 2 == 0 else -1]:
            runs.append(_seconds(call))
    alone, with_gwin = float(np.median(alone_runs)), float(np.median(gwin_runs))
    return dict(
        n_rows=len(X), tau=tau, n_rejected=n_rejected, classifier_predict_proba_seconds=alone,
        gwin_predict_seconds=with_gwin, ratio=float(np.median(np.divide(gwin_runs, alone_runs))),
        rows_drawn_ratio=rows_drawn,
        seconds_per_regenerated_row=(with_gwin - alone) / max(n_rejected, 1),
        runs=dict(classifier=alone_runs, gwin=gwin_runs), n_regen=gwin.n_regen, pool_input=gwin.pool_input,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", required=True)
    parser.add_argument("--work-dir", required=True, help="benchmarks/abstention.py's --work-dir (trusted)")
    parser.add_argument("--repeats", type=int, default=5, help="alternating pairs (perf.py runs 5)")
    args = parser.parse_args()
    started = time.perf_counter()
    data = load_benchmark_data("mnist", args.data_home)
    store = ModelStore(Path(args.work_dir) / "mnist")
    loaded = [store.load(name) for name in ("lenet5_5ep_seed0", "gwin_default_around_lenet5_5ep_seed0_choosing_on_val_half")]
    if any(entry is None for entry in loaded):
        parser.error("the models are not in --work-dir: run benchmarks/abstention.py --datasets mnist first")
    (net, _), (gwin, _) = loaded
    result = overhead(net, gwin, data.X_test, args.repeats)
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=1))
    write_result(RESULTS / "predict_overhead.json", started,
                 "python benchmarks/predict_overhead.py --data-home ../shared/data --work-dir <abstention.py's work dir>",
                 **result)


if __name__ == "__main__":
    main()
