"""Which generator settings help on the demo's data: several seeds, same frozen BNN per seed.

    python benchmarks/generator_settings.py [--seeds 0 1 2] [--n-iter 1500]

For each seed: a Bayesian LeNet-5 (30 epochs) is trained on 70% of scikit-learn's
8x8 digits and frozen; then GWINs with different generator settings are trained
around it, and the accuracy on the rejected test rows is measured before and
after regeneration at several tau. Writes benchmarks/results/generator_settings.json
and prints a table of means and standard deviations over seeds.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split

from sklearn_gwin import GWINClassifier
from sklearn_gwin.bnn import BayesianLeNet5
from sklearn_gwin.metrics import rejected_accuracy

TAUS = (0.5, 0.7, 0.9)
# n_critic=5, n_regen=1 and no augmentation were the library's defaults when these were
# measured (2026-11-24)
VARIANTS = {
    "paper lr=1e-4, random start": dict(lr=1e-4, identity_start=False, n_critic=5, n_regen=1),
    "lr=1e-4, identity start (library default then)": dict(lr=1e-4, n_critic=5, n_regen=1),
    "lr=1e-3, identity start (demo)": dict(lr=1e-3, n_critic=5, n_regen=1),
    "lr=1e-3, identity start, no critic": dict(lr=1e-3, n_critic=0, n_regen=1),
}


def run_seed(seed, n_iter):
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)
    bnn = BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=30, random_state=seed, verbose=0)
    bnn.fit(X_train, y_train)
    rows = {}
    for name, params in VARIANTS.items():
        gwin = GWINClassifier(
            FrozenEstimator(bnn), architecture="mlp", augmentation=None, tau_star=0.9, n_iter=n_iter,
            random_state=seed, **params
        )
        start = time.perf_counter()
        gwin.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        per_tau = {}
        for tau in TAUS:
            details = gwin.set_params(tau=tau).predict_details(X_test)
            per_tau[tau] = dict(
                n_rejected=int(details.rejected.sum()),
                before=rejected_accuracy(y_test, details.labels_before, details.rejected),
                after=rejected_accuracy(y_test, details.labels, details.rejected),
            )
        rows[name] = dict(seconds=seconds, taus=per_tau)
        print(f"seed {seed} {name:45s} {seconds:5.0f} s  " + "  ".join(
            f"{t}: {100 * v['before']:.1f}->{100 * v['after']:.1f}" for t, v in per_tau.items()), flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--n-iter", type=int, default=1500)
    args = parser.parse_args()
    runs = {seed: run_seed(seed, args.n_iter) for seed in args.seeds}
    print(f"\nmean ± std over seeds {args.seeds} of rejected-subset accuracy (%), before -> after")
    for name in VARIANTS:
        cells = []
        for tau in TAUS:
            before = np.array([100 * runs[s][name]["taus"][tau]["before"] for s in args.seeds])
            after = np.array([100 * runs[s][name]["taus"][tau]["after"] for s in args.seeds])
            cells.append(f"τ={tau}: {np.nanmean(before):.1f} -> {np.nanmean(after):.1f} ± {np.nanstd(after):.1f}")
        print(f"{name:45s} " + "   ".join(cells))
    out = dict(
        runs=runs, seeds=args.seeds, n_iter=args.n_iter,
        machine=f"{platform.machine()}, {torch.get_num_threads()} torch threads, torch {torch.__version__}",
    )
    path = Path(__file__).parent / "results" / "generator_settings.json"
    path.write_text(json.dumps(out, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
