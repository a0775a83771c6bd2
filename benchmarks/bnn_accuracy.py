"""Train the paper's Bayesian nets on MNIST / Fashion-MNIST; report accuracy, speed, rejection.

Writes one JSON per (net, dataset) to benchmarks/results/ and the tables of
docs/lab/bnn.md beside the paper's numbers (Tables 1, 2, 7, 8 and Section S2).

    python benchmarks/bnn_accuracy.py --data-home ../shared/data            # all four runs
    python benchmarks/bnn_accuracy.py --nets lenet5 --datasets mnist        # one run
    python benchmarks/bnn_accuracy.py --report                              # tables only

Training follows the paper: the 50,000 first training images, Adam, lr 0.001,
batch 128, 30 epochs; certainty from 10 Monte Carlo draws (S4) on the 10,000
test images.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import torch

from sklearn_gwin.bnn import BayesianLeNet5, ImprovedBNN
from sklearn_gwin.datasets import fetch_fashion_mnist, fetch_mnist

RESULTS = Path(__file__).parent / "results"
DOC = Path(__file__).parents[1] / "docs" / "lab" / "bnn.md"
TAUS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
ANALYSIS_MARKER = "<!-- analysis: kept when the tables are regenerated -->"
NETS = {"lenet5": BayesianLeNet5, "ibnn": ImprovedBNN}
FETCH = {"mnist": fetch_mnist, "fashion-mnist": fetch_fashion_mnist}
# the paper's test accuracy and % rejected on the test set (Tables 1, 2, 7, 8)
PAPER = {
    ("lenet5", "mnist"): (98.0, {0.5: 0.39, 0.7: 1.83, 0.8: 2.74, 0.9: 4.39, 0.95: 6.04, 0.99: 11.00}),
    ("lenet5", "fashion-mnist"): (87.4, {0.5: 4.18, 0.7: 15.25, 0.8: 21.21, 0.9: 30.29, 0.95: 37.30, 0.99: 51.97}),
    ("ibnn", "mnist"): (99.1, {0.7: 0.25, 0.8: 0.39, 0.9: 0.59, 0.95: 0.79, 0.99: 1.24}),
    ("ibnn", "fashion-mnist"): (90.5, {0.5: 0.19, 0.7: 2.52, 0.8: 4.02, 0.9: 6.13, 0.95: 8.19, 0.99: 12.37}),
}


def run(net_name, dataset, data_home, epochs, seed):
    X_train, y_train = FETCH[dataset](subset="paper_train", data_home=data_home, return_X_y=True)
    X_test, y_test = FETCH[dataset](subset="test", data_home=data_home, return_X_y=True)
    net = NETS[net_name](max_epochs=epochs, random_state=seed, verbose=1)
    start = time.perf_counter()
    net.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    labels, certainty = net.predict_with_certainty(X_test)
    predict_seconds = time.perf_counter() - start
    return dict(
        net=net_name,
        dataset=dataset,
        epochs=epochs,
        seed=seed,
        n_train=len(X_train),
        n_test=len(X_test),
        test_accuracy=float(np.mean(labels == y_test)),
        seconds_fit_total=fit_seconds,
        # the median is robust to epochs slowed down by other work on the machine
        seconds_per_epoch_median=float(np.median(net.history[:, "dur"])),
        seconds_per_epoch=[float(v) for v in net.history[:, "dur"]],
        seconds_mc_predict_test=predict_seconds,
        train_loss_per_epoch=[float(v) for v in net.history[:, "train_loss"]],
        certainty_quantiles={q: float(np.quantile(certainty, q)) for q in (0.01, 0.05, 0.1, 0.25, 0.5)},
        percent_rejected={tau: float(100 * np.mean(certainty < tau)) for tau in TAUS},
        machine=f"{platform.machine()}, {torch.get_num_threads()} torch threads, torch {torch.__version__}",
    )


def _epoch_seconds(result):
    if "seconds_per_epoch_median" in result:
        return f"{result['seconds_per_epoch_median']:.1f} (median)"
    return f"{result['seconds_per_epoch']:.1f} (mean)"


def report():
    rows = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("bnn_*.json"))]
    lines = [
        "# The paper's Bayesian classifiers, measured",
        "",
        "Made by `python benchmarks/bnn_accuracy.py --data-home ../shared/data` (training on the",
        "paper's 50,000 training images, testing on the 10,000 test images, 10 Monte Carlo draws).",
        "Each row below is one run; `--report` rebuilds this page from `benchmarks/results/bnn_*.json`.",
        "",
        "| net | dataset | epochs | seed | test acc. (ours) | test acc. (paper) | s / epoch | machine |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        paper_acc = PAPER[(r["net"], r["dataset"])][0]
        lines.append(
            f"| {r['net']} | {r['dataset']} | {r['epochs']} | {r['seed']} | {100 * r['test_accuracy']:.2f}% "
            f"| {paper_acc}% | {_epoch_seconds(r)} | {r['machine']} |"
        )
    lines += ["", "## % of the test set rejected at each τ (ours / paper)", ""]
    lines.append("| net | dataset | " + " | ".join(f"τ={t}" for t in TAUS) + " |")
    lines.append("|---|---|" + "---|" * len(TAUS))
    for r in rows:
        paper = PAPER[(r["net"], r["dataset"])][1]
        cells = []
        for tau in TAUS:
            ours = r["percent_rejected"][str(tau)]
            cells.append(f"{ours:.2f} / {paper[tau]:.2f}" if tau in paper else f"{ours:.2f} / –")
        lines.append(f"| {r['net']} | {r['dataset']} | " + " | ".join(cells) + " |")
    # the written analysis below the marker survives regeneration of the tables
    kept = ""
    if DOC.exists() and ANALYSIS_MARKER in DOC.read_text():
        kept = DOC.read_text()[DOC.read_text().index(ANALYSIS_MARKER) :]
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text("\n".join(lines) + "\n\n" + (kept or ANALYSIS_MARKER + "\n"))
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nets", nargs="+", default=list(NETS), choices=list(NETS))
    parser.add_argument("--datasets", nargs="+", default=list(FETCH), choices=list(FETCH))
    parser.add_argument("--data-home", default=None, help="folder with mnist/ and fashion-mnist/")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--report", action="store_true", help="only rebuild docs/lab/bnn.md")
    args = parser.parse_args()
    if not args.report:
        RESULTS.mkdir(exist_ok=True)
        for net_name in args.nets:
            for dataset in args.datasets:
                result = run(net_name, dataset, args.data_home, args.epochs, args.seed)
                path = RESULTS / f"bnn_{net_name}_{dataset}_{args.epochs}epochs_seed{args.seed}.json"
                path.write_text(json.dumps(result, indent=2))
                print(f"wrote {path}", flush=True)
    report()


if __name__ == "__main__":
    main()
