"""What GWINClassifier.predict costs over the classifier's own predict_proba, at about 5% rejected.

    python benchmarks/abstention.py --data-home ../shared/data --datasets mnist   # once: fits and saves the models
    python benchmarks/predict_overhead.py --data-home ../shared/data --work-dir <that --work-dir>

Around the Bayesian LeNet-5 (5 epochs, seed 0) and the default GWIN that
benchmarks/abstention.py saved in ``--work-dir`` (a trusted folder: the models
are pickles, loaded only when its manifest vouches for them), on the 10,000
MNIST test rows, in one process: the classifier's ``predict_proba`` (its 10
Monte Carlo draws, averaged), and the GWIN's ``predict`` with tau set to the
certainty quantile that rejects 5% of the rows (a timing setting, not an
accuracy one). Each is timed ``--repeats`` times, the median kept. Also the
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
from sklearn_gwin.benchmark.runner import machine
from sklearn_gwin.benchmark.store import ModelStore

RESULTS = Path(__file__).parent / "results"
REJECTED_SHARE = 0.05


def _median_seconds(call, repeats):
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    return float(np.median(seconds)), seconds


def overhead(net, gwin, X, repeats=3):
    """``gwin.predict`` against ``net.predict_proba`` on ``X``, at the tau that rejects 5% of its rows."""
    _, certainty = net.predict_with_certainty(X)
    tau = float(np.quantile(certainty, REJECTED_SHARE))
    gwin = copy.copy(gwin).set_params(tau=tau)
    n_rejected = int(gwin.reject(X).sum())
    alone, alone_runs = _median_seconds(lambda: net.predict_proba(X), repeats)
    with_gwin, gwin_runs = _median_seconds(lambda: gwin.predict(X), repeats)
    return dict(
        n_rows=len(X), tau=tau, n_rejected=n_rejected, classifier_predict_proba_seconds=alone,
        gwin_predict_seconds=with_gwin, ratio=with_gwin / alone,
        seconds_per_regenerated_row=(with_gwin - alone) / max(n_rejected, 1),
        runs=dict(classifier=alone_runs, gwin=gwin_runs), n_regen=gwin.n_regen, pool_input=gwin.pool_input,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", required=True)
    parser.add_argument("--work-dir", required=True, help="benchmarks/abstention.py's --work-dir (trusted)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = load_benchmark_data("mnist", args.data_home)
    store = ModelStore(Path(args.work_dir) / "mnist")
    loaded = [store.load(name) for name in ("lenet5_5ep_seed0", "gwin_default_around_lenet5_5ep_seed0_choosing_on_val_half")]
    if any(entry is None for entry in loaded):
        parser.error("the models are not in --work-dir: run benchmarks/abstention.py --datasets mnist first")
    (net, _), (gwin, _) = loaded
    result = dict(overhead(net, gwin, data.X_test, args.repeats), machine=machine(), date=time.strftime("%Y-%m-%d"))
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=1))
    (RESULTS / "predict_overhead.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
