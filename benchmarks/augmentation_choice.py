"""What ``augmentation="auto"`` chooses around each saved classifier, and what the choice costs.

    python benchmarks/augmentation_choice.py --data-home ../shared/data --work-dir <work dir>
    python benchmarks/augmentation_choice.py --summary

For every classifier C that ``gwin benchmark`` saved under ``--work-dir``
(MNIST: Bayesian LeNet-5 seeds 0-4, improved BNN seeds 0-1; Fashion-MNIST:
LeNet-5 seeds 0-2, improved BNN seed 0; missing ones are skipped, never
fitted), calls :func:`sklearn_gwin.choose_augmentation` as
``GWINClassifier(FrozenEstimator(C)).fit(X, y, X_val=..., y_val=...)`` does,
on the paper's 10,000 validation rows and with the benchmark's settings
(``tau_star=0.95``, GWIN seed 0), and times it. Writes
benchmarks/results/augmentation_choice.json; ``--summary`` prints it as a table.
"""

import argparse
import json
import time
from pathlib import Path

from sklearn.frozen import FrozenEstimator

from sklearn_gwin import choose_augmentation
from sklearn_gwin.benchmark.data import load_validation_data
from sklearn_gwin.benchmark.runner import MODEL_TAGS, machine
from sklearn_gwin.benchmark.store import ModelStore

RESULTS = Path(__file__).parent / "results"
CLASSIFIERS = {
    "mnist": [("lenet5", seed) for seed in range(5)] + [("improved", seed) for seed in range(2)],
    "fashion-mnist": [("lenet5", seed) for seed in range(3)] + [("improved", 0)],
}
NAMES = {"lenet5": "Bayesian LeNet-5", "improved": "improved BNN"}


def run(data_home, work_dir, epochs=30, tau_star=0.95, seed=0):
    """The choice and its evidence around every saved classifier found."""
    started = time.perf_counter()
    entries = []
    for dataset, classifiers in CLASSIFIERS.items():
        X_val, y_val = load_validation_data(dataset, data_home)
        for classifier, bnn_seed in classifiers:
            store = ModelStore(Path(work_dir) / dataset)
            name = f"{MODEL_TAGS[classifier][0]}_{epochs}ep_seed{bnn_seed}"
            # only a model the benchmark's own store saved (its manifest vouches for the file)
            saved = store.load(name)
            if saved is None:
                print(f"[{dataset}] {store.path(name)} is missing or not the store's: skipped", flush=True)
                continue
            net, _ = saved
            augmentation, evidence = choose_augmentation(
                FrozenEstimator(net), X_val, y_val, (1, 28, 28), tau_star=tau_star, seed=seed
            )
            entry = dict(dataset=dataset, classifier=classifier, bnn_seed=bnn_seed, augmentation=augmentation,
                         **evidence)
            print(f"[{dataset}] {NAMES[classifier]} seed {bnn_seed}: {augmentation!r} "
                  f"({evidence['accuracy_as_is']:.1f}% -> {evidence['accuracy_moved']:.1f}% on "
                  f"{evidence['n_scored']} rows, {evidence['seconds']:.0f} s)", flush=True)
            entries.append(entry)
    return dict(rows="validation", tau_star=tau_star, seed=seed, entries=entries, machine=machine("cpu"),
                wall_seconds=time.perf_counter() - started)


def summarise(result):
    """A markdown table, one line per classifier."""
    lines = [
        f"augmentation='auto' on the {result['rows']} rows (tau_star={result['tau_star']}); "
        f"{result['machine']}",
        "",
        "| dataset | classifier C | seed | doubtful rows | C on them | averaged over small moves | choice | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for e in result["entries"]:
        lines.append(
            f"| {e['dataset']} | {NAMES[e['classifier']]} | {e['bnn_seed']} | {e['n_scored']} of "
            f"{e['n_validation']} | {e['accuracy_as_is']:.1f}% | {e['accuracy_moved']:.1f}% | "
            f"{e['augmentation'] or 'None'} | {e['seconds']:.0f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-home")
    parser.add_argument("--work-dir")
    parser.add_argument("--summary", action="store_true", help="only print the saved result's table")
    args = parser.parse_args()
    out = RESULTS / "augmentation_choice.json"
    if not args.summary:
        if args.work_dir is None:
            parser.error("--work-dir is required to run (the benchmark's saved classifiers)")
        out.write_text(json.dumps(run(args.data_home, args.work_dir), indent=1) + "\n")
    print(summarise(json.loads(out.read_text())))


if __name__ == "__main__":
    main()
