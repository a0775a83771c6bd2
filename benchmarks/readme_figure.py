"""The README's picture: the least certain MNIST test images beside their regenerations.

    python benchmarks/abstention.py --data-home ../shared/data --datasets mnist   # once: fits and saves the models
    python benchmarks/readme_figure.py --data-home ../shared/data --work-dir <that --work-dir>

Around the Bayesian LeNet-5 (5 epochs, seed 0) and the library's default GWIN
that benchmarks/abstention.py saved in ``--work-dir`` (a trusted folder: the
models are pickles, loaded only when its manifest vouches for them). The eight
MNIST test images the classifier is least certain of, its label and certainty
on each, then the GWIN's first regenerated version with the classifier's label
and certainty on it (the paper's Figure 2), drawn by the benchmark's own
figure code. The label and certainty after are the GWIN's answer: the
classifier on its three regenerated versions pooled with the row itself (the
defaults ``n_regen=3``, ``pool_input=True``); the image is the first version. Writes benchmarks/results/figures/readme_mnist_figure2.png.
"""

import argparse
from pathlib import Path

import numpy as np

from sklearn_gwin.benchmark.data import load_benchmark_data
from sklearn_gwin.benchmark.figures import N_EXAMPLES, _pyplot, regenerated_examples
from sklearn_gwin.benchmark.store import ModelStore

FIGURE = Path(__file__).parent / "results" / "figures" / "readme_mnist_figure2.png"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", required=True)
    parser.add_argument("--work-dir", required=True, help="benchmarks/abstention.py's --work-dir (trusted)")
    args = parser.parse_args()
    data = load_benchmark_data("mnist", args.data_home)
    store = ModelStore(Path(args.work_dir) / "mnist")
    loaded = store.load("gwin_default_around_lenet5_5ep_seed0_choosing_on_val_half")
    if loaded is None:
        parser.error("the GWIN is not in --work-dir: run benchmarks/abstention.py --datasets mnist first")
    gwin, _ = loaded
    # one pass over every test row: a Bayesian net's Monte Carlo draws depend on
    # the batch, so the rows shown are ranked by the certainty the GWIN acted on
    details = gwin.predict_details(data.X_test)
    least_certain = np.argsort(details.certainty_before, kind="stable")[:N_EXAMPLES]
    if not details.rejected[least_certain].all():
        parser.error("fewer than eight rows are rejected at the GWIN's tau")
    # X_regenerated holds the rejected rows only, in their order
    position_among_rejected = np.cumsum(details.rejected) - 1
    n_pixels = int(np.prod(data.X_test.shape[1:]))
    shown = np.arange(N_EXAMPLES)
    arrays = dict(
        candidates=shown,
        X_rejected=data.X_test[least_certain].reshape(N_EXAMPLES, n_pixels),
        base=dict(label=details.labels_before[least_certain], certainty=details.certainty_before[least_certain]),
        examples={
            "GWIN": dict(
                X_regenerated=np.asarray(details.X_regenerated)[position_among_rejected[least_certain]].reshape(
                    N_EXAMPLES, n_pixels
                ),
                after=dict(label=details.labels[least_certain], certainty=details.certainty[least_certain]),
            )
        },
        classes=gwin.classes_,
        y=data.y_test[least_certain],
    )
    FIGURE.parent.mkdir(parents=True, exist_ok=True)
    regenerated_examples(dict(dataset="MNIST, Bayesian LeNet-5"), arrays, FIGURE, _pyplot())
    right_before = details.labels_before == data.y_test
    right_after = details.labels == data.y_test
    rejected = details.rejected
    print(
        f"wrote {FIGURE}; tau {gwin.tau:g}: {rejected.sum()} of {len(rejected)} test rows rejected, "
        f"{(rejected & ~right_before & right_after).sum()} labels fixed, "
        f"{(rejected & right_before & ~right_after).sum()} broken"
    )


if __name__ == "__main__":
    main()
