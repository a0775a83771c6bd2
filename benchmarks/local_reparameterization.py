"""The frozen copy's dense layers by the local reparameterization trick against Flipout: fit time and accuracy.

    python benchmarks/abstention.py --data-home ../shared/data   # once: fits and saves the classifiers
    python benchmarks/local_reparameterization.py --data-home ../shared/data --work-dir <that --work-dir>   # ~10 min

Since commit db23400 the GWIN's frozen, differentiable copy of a Bayesian
classifier samples its fully connected Flipout layers' outputs
(``sklearn_gwin.bnn.flipout.use_local_reparameterization``) instead of one
weight draw per pass shared by the batch: per row the same law, fewer random
draws. Around the Bayesian LeNet-5 (5 epochs, seed 0) that
benchmarks/abstention.py saved for each dataset in ``--work-dir`` (a trusted
folder: loaded only when its manifest vouches for them), the library's
default GWIN is fitted twice on the paper's 50,000 training rows with the
same seed, ``augmentation="auto"`` choosing on the first 5,000 validation
rows: *flipout*, the frozen copy as it was before that commit, and *local*,
the library as it is. Reported per dataset: each fit's wall time and the
seconds in its training loop (every call, the augmentation choice's short
fits included), and the accuracy on the rows the classifier rejects at
tau 0.8, alone and with each GWIN, with the local minus flipout difference
and its 95% paired bootstrap interval: on the other 5,000 validation rows,
which no fit saw and which judge the default, and on the 10,000 test rows,
reported beside them. Writes benchmarks/results/local_reparameterization.json.
"""

import argparse
import contextlib
import time
from pathlib import Path

from sklearn.frozen import FrozenEstimator

from phase_timing import timed_phases
from rejected_rows import compared_on_rejected_rows
from training_loop import saved_lenet5
from sklearn_gwin import GWINClassifier, _differentiable
from sklearn_gwin import _generator_training as training
from sklearn_gwin.benchmark.data import load_benchmark_data, load_validation_data
from sklearn_gwin.benchmark.runner import write_result

RESULTS = Path(__file__).parent / "results"
TAU = 0.8


@contextlib.contextmanager
def flipout_copy():
    """Within the block the frozen copy's dense layers draw their weights, as before commit db23400."""
    saved = _differentiable.use_local_reparameterization
    _differentiable.use_local_reparameterization = lambda module: module
    try:
        yield
    finally:
        _differentiable.use_local_reparameterization = saved


WAYS = {"flipout": flipout_copy, "local": contextlib.nullcontext}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", required=True)
    parser.add_argument("--work-dir", required=True, help="benchmarks/abstention.py's --work-dir (trusted)")
    parser.add_argument("--datasets", nargs="+", default=["mnist", "fashion-mnist"])
    args = parser.parse_args()
    started = time.perf_counter()
    rows = []
    for dataset in args.datasets:
        data = load_benchmark_data(dataset, args.data_home)
        X_val, y_val = load_validation_data(dataset, args.data_home)
        net = saved_lenet5(parser, args.work_dir, dataset)
        seconds, training_seconds, gwins, chosen = {}, {}, {}, {}
        for way, library in WAYS.items():
            phases = {}
            with library(), timed_phases(phases, (training, "train_wgwin_gp", "generator training")):
                start = time.perf_counter()
                gwins[way] = GWINClassifier(FrozenEstimator(net), random_state=0).fit(
                    data.X_train, data.y_train, X_val=X_val[:5000], y_val=y_val[:5000])
                seconds[way] = time.perf_counter() - start
            training_seconds[way] = phases["generator training"]
            chosen[way] = dict(precision=gwins[way].precision_, augmentation=gwins[way].augmentation_)
            print(f"[{dataset}] {way}: fit {seconds[way]:.0f} s, generator training {training_seconds[way]:.0f} s "
                  f"({chosen[way]})", flush=True)
        row = dict(dataset=dataset, tau=TAU, fit_seconds=seconds, generator_training_seconds=training_seconds,
                   chosen=chosen, training_speedup=training_seconds["flipout"] / training_seconds["local"])
        for rows_name, (X, y) in (("validation", (X_val[5000:], y_val[5000:])), ("test", (data.X_test, data.y_test))):
            row[rows_name] = score = compared_on_rejected_rows(
                gwins, X, y, TAU, "local", "flipout", difference_key="local_minus_flipout")
            difference = score["local_minus_flipout"]
            print(f"[{dataset}] {rows_name} rows: {score['n_rejected']} rejected at tau {TAU}: alone "
                  f"{score['rejected_accuracy_alone']:.4f}, flipout {score['rejected_accuracy']['flipout']:.4f}, "
                  f"local {score['rejected_accuracy']['local']:.4f}; local - flipout "
                  f"{difference['difference']:+.2f} [{difference['ci'][0]:+.2f}, {difference['ci'][1]:+.2f}] points",
                  flush=True)
        print(f"[{dataset}] generator training {row['training_speedup']:.2f}x faster with the local trick", flush=True)
        rows.append(row)
    write_result(RESULTS / "local_reparameterization.json", started, rows=rows,
                 command="python benchmarks/local_reparameterization.py --data-home ../shared/data "
                         "--work-dir <abstention.py's>")


if __name__ == "__main__":
    main()
