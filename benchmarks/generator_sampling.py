"""Which rows should the generator train on? Uniform, uncertainty-weighted, or held-out.

    python benchmarks/generator_sampling.py --data-home ../shared/data --work-dir <benchmark work dir>

Uses the Bayesian LeNet-5 that ``gwin benchmark --preset cpu`` saved under
``--work-dir`` (trained there first if missing), and trains the preset's GWIN
(penalty only, lr 1e-3, 400 iterations) with ``generator_sampling`` "uniform"
and "uncertain", on the 50,000 training rows or on the 10,000 held-out
validation rows (the paper's split), whose certainty is not inflated by
training. Accuracy on the rejected test rows, beside the BNN and the BNN with
fresh Monte Carlo draws. Writes benchmarks/results/generator_sampling_<dataset>_seed<seed>.json;
``--summary`` prints the mean and std over the seeds saved so far.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.frozen import FrozenEstimator

from sklearn_gwin import GWINClassifier
from sklearn_gwin.benchmark.alternatives import bnn_outputs
from sklearn_gwin.benchmark.data import PAPER_DATASETS
from sklearn_gwin.benchmark.presets import PRESETS
from sklearn_gwin.benchmark.runner import saved_cpu_lenet5

TAUS = (0.5, 0.7, 0.9, 0.99)
RESULTS = Path(__file__).parent / "results"
VARIANTS = {
    "uniform, training rows (the paper)": ("uniform", "train"),
    "uncertain, training rows": ("uncertain", "train"),
    "uniform, validation rows": ("uniform", "validation"),
    "uncertain, validation rows": ("uncertain", "validation"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="mnist", choices=PAPER_DATASETS)
    parser.add_argument("--data-home")
    parser.add_argument("--work-dir")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--summary", action="store_true", help="only summarise the saved seeds")
    args = parser.parse_args()
    if args.summary:
        return summarise(args.dataset)
    if not args.work_dir:
        parser.error("--work-dir is required unless --summary")
    preset = PRESETS["cpu"]
    data, (X_val, y_val), bnn = saved_cpu_lenet5(args.dataset, args.data_home, args.work_dir)
    y_test = data.y_test
    base = bnn_outputs(bnn, data.X_test, y_test)
    candidates = np.flatnonzero(base["certainty"] < max(TAUS))
    labels = {"BNN": base["label"][candidates]}
    labels["BNN, fresh MC draws"] = bnn_outputs(bnn, data.X_test[candidates], y_test[candidates])["label"]
    seconds = {}
    for name, (sampling, rows) in VARIANTS.items():
        X, y = (data.X_train, data.y_train) if rows == "train" else (X_val, y_val)
        gwin = GWINClassifier(
            FrozenEstimator(bnn), generator_sampling=sampling, random_state=args.seed, **preset["gwin"]
        )
        start = time.perf_counter()
        gwin.fit(X, y)
        seconds[name] = time.perf_counter() - start
        regenerated = gwin.regenerate(data.X_test[candidates])
        labels[name] = bnn_outputs(bnn, regenerated, y_test[candidates])["label"]
    table = {}
    for name, predicted in labels.items():
        table[name] = {}
        for tau in TAUS:
            rejected = base["certainty"][candidates] < tau
            table[name][tau] = float(100 * np.mean(predicted[rejected] == y_test[candidates][rejected]))
    counts = {tau: int((base["certainty"] < tau).sum()) for tau in TAUS}
    print(f"{args.dataset}, seed {args.seed}: accuracy (%) on the rejected test rows")
    print("| variant | fit (s) | " + " | ".join(f"τ={t} ({counts[t]} rows)" for t in TAUS) + " |")
    print("|---|---|" + "---|" * len(TAUS))
    for name, row in table.items():
        fit = f"{seconds[name]:.0f}" if name in seconds else "—"
        print(f"| {name} | {fit} | " + " | ".join(f"{row[t]:.1f}" for t in TAUS) + " |")
    path = RESULTS / f"generator_sampling_{args.dataset}_seed{args.seed}.json"
    path.write_text(json.dumps(dict(seed=args.seed, counts=counts, accuracy=table, fit_seconds=seconds), indent=1))
    print(f"wrote {path}")


def summarise(dataset):
    runs = [json.loads(p.read_text()) for p in sorted(RESULTS.glob(f"generator_sampling_{dataset}_seed*.json"))]
    print(f"{dataset}: accuracy (%) on the rejected test rows, mean ± std over seeds {[r['seed'] for r in runs]}")
    print("| variant | " + " | ".join(f"τ={t} ({runs[0]['counts'][str(t)]} rows)" for t in TAUS) + " |")
    print("|---|" + "---|" * len(TAUS))
    for name in runs[0]["accuracy"]:
        cells = []
        for tau in TAUS:
            values = np.array([r["accuracy"][name][str(tau)] for r in runs])
            cells.append(f"{values.mean():.1f} ± {values.std():.1f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
