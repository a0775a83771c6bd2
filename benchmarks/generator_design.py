"""Which generator to use? Chosen on held-out validation rows, never on the test rows.

    python benchmarks/generator_design.py --dataset mnist --seeds 0 1 2 --data-home ../shared/data --work-dir <dir>
    python benchmarks/generator_design.py --dataset mnist --summary

Uses the Bayesian LeNet-5 of ``gwin benchmark`` saved under ``--work-dir``
(trained there first if missing) and trains GWINs around it for 2,000
iterations (penalty only, lr 1e-3) with each generator design: the pixel-wise
fully connected generator ("mlp") or the warp-then-correct one ("warp"), on
the training rows as they are or randomly warped (``augmentation``). Each is
scored on the 10,000 validation images of the paper's split (which neither
the classifier nor the generator trained on), on the rows the classifier
rejects, with one noise draw and with 3 and 5 draws pooled (``n_regen``),
beside the classifier alone, the classifier with fresh Monte Carlo draws and
TTA. The test rows are left for ``gwin benchmark``, which scores the design
chosen here. Writes benchmarks/results/generator_design_<dataset>_seed<seed>.json
(a later run with other ``--variants`` adds to a seed's file).
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_memory

from sklearn_gwin import GWINClassifier
from sklearn_gwin._labelling import pooled_label_and_certainty
from sklearn_gwin.benchmark.alternatives import bnn_outputs, tta_proba
from sklearn_gwin.benchmark.data import PAPER_DATASETS
from sklearn_gwin.benchmark.runner import saved_cpu_lenet5
from sklearn_gwin.wgan import RandomAffine

TAUS = (0.5, 0.7, 0.9, 0.99)
N_REGEN = (1, 3, 5)
RESULTS = Path(__file__).parent / "results"
GWIN = dict(tau_star=0.95, n_iter=2000, batch_size=128, n_critic=0, lr=1e-3)
IMAGE = (1, 28, 28)
VARIANTS = {
    "mlp (previous default)": dict(architecture="mlp", augmentation=None),
    "mlp + affine": dict(architecture="mlp", augmentation="affine"),
    "warp (default)": dict(architecture="warp", augmentation=None),
    "warp + affine, half the rows": dict(architecture="warp", augmentation=RandomAffine(IMAGE, proportion=0.5)),
    "warp + affine": dict(architecture="warp", augmentation="affine"),
    # milder geometry: does the generator keep MNIST's gain from warped rows
    # without learning to distort garments on Fashion-MNIST?
    "warp + shifts": dict(
        architecture="warp", augmentation=RandomAffine(IMAGE, rotation=0.0, scale=(1.0, 1.0), shear=0.0)
    ),
    "warp + mild affine": dict(
        architecture="warp",
        augmentation=RandomAffine(IMAGE, rotation=5.0, translation=0.05, scale=(0.95, 1.05), shear=5.0),
    ),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="mnist", choices=PAPER_DATASETS)
    parser.add_argument("--data-home")
    parser.add_argument("--work-dir")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--variants", nargs="+", choices=sorted(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--summary", action="store_true", help="only summarise the saved seeds")
    args = parser.parse_args()
    if args.summary:
        return summarise(args.dataset)
    if not args.work_dir:
        parser.error("--work-dir is required unless --summary")
    data, (X_val, y_val), bnn = saved_cpu_lenet5(args.dataset, args.data_home, args.work_dir)
    y_index = np.searchsorted(bnn.classes_, y_val)
    base = bnn_outputs(bnn, X_val, y_index)
    candidates = np.flatnonzero(base["certainty"] < max(TAUS))
    X_rejected, y_rejected = X_val[candidates], y_index[candidates]
    labels = {
        "BNN": base["label"][candidates],
        "BNN, fresh MC draws": bnn_outputs(bnn, X_rejected, y_rejected)["label"],
        "TTA": tta_proba(bnn, X_rejected, IMAGE).argmax(axis=1),
    }
    memory = check_memory(str(Path(args.work_dir) / args.dataset / "cache"))
    for seed in args.seeds:
        run_seed(seed, args, bnn, data, memory, dict(labels), base["certainty"][candidates], X_rejected, y_rejected)
    summarise(args.dataset)


def run_seed(seed, args, bnn, data, memory, labels, certainty, X_rejected, y_rejected):
    """Fit every variant for one seed, score it, and add it to the seed's JSON."""
    seconds = {}
    for name in args.variants:
        gwin = GWINClassifier(
            FrozenEstimator(bnn), image_shape=IMAGE, random_state=seed, memory=memory, **GWIN, **VARIANTS[name]
        )
        start = time.perf_counter()
        # the certainty pass over the training rows is cached (memory=) after the first fit
        gwin.fit(data.X_train, data.y_train)
        seconds[name] = time.perf_counter() - start
        versions = [gwin.regenerate(X_rejected, draw=k) for k in range(max(N_REGEN))]
        for n_regen in N_REGEN:
            pooled = pooled_label_and_certainty(bnn, versions[:n_regen])[0]
            labels[f"{name}, n_regen={n_regen}"] = np.searchsorted(bnn.classes_, pooled)
        # the rejected row itself pooled with three regenerations (GWINClassifier(pool_input=True))
        pooled = pooled_label_and_certainty(bnn, [X_rejected, *versions[:3]])[0]
        labels[f"{name}, n_regen=3 + input"] = np.searchsorted(bnn.classes_, pooled)
    counts = {tau: int((certainty < tau).sum()) for tau in TAUS}
    table = {
        name: {tau: float(100 * np.mean(predicted[certainty < tau] == y_rejected[certainty < tau])) for tau in TAUS}
        for name, predicted in labels.items()
    }
    path = RESULTS / f"generator_design_{args.dataset}_seed{seed}.json"
    if path.exists():
        # several invocations may add variants to one seed's file
        saved = json.loads(path.read_text())
        table = {**saved["accuracy"], **{k: {str(t): v for t, v in row.items()} for k, row in table.items()}}
        seconds = {**saved["fit_seconds"], **seconds}
    path.write_text(json.dumps(
        dict(seed=seed, counts=counts, accuracy=table, fit_seconds=seconds, gwin=GWIN), indent=1, default=str
    ))
    print(f"wrote {path}", flush=True)


def summarise(dataset):
    runs = [json.loads(p.read_text()) for p in sorted(RESULTS.glob(f"generator_design_{dataset}_seed*.json"))]
    print(f"{dataset}: accuracy (%) on the rejected validation rows, mean ± std over seeds {[r['seed'] for r in runs]}")
    print("| variant | seeds | " + " | ".join(f"τ={t} ({runs[0]['counts'][str(t)]} rows)" for t in TAUS) + " |")
    print("|---|---|" + "---|" * len(TAUS))
    names = list(dict.fromkeys(name for run in runs for name in run["accuracy"]))
    for name in names:
        values = np.array([[r["accuracy"][name][str(t)] for t in TAUS] for r in runs if name in r["accuracy"]])
        cells = [f"{m:.1f} ± {s:.1f}" for m, s in zip(values.mean(axis=0), values.std(axis=0))]
        print(f"| {name} | {len(values)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
