"""precision="bfloat16" against float32: fit time and accuracy on the rejected rows, MNIST and Fashion-MNIST.

    python benchmarks/abstention.py --data-home ../shared/data   # once: fits and saves the classifiers
    python benchmarks/bf16_accuracy.py --data-home ../shared/data --work-dir <that --work-dir>   # about 10 minutes

Around the Bayesian LeNet-5 (5 epochs, seed 0) that benchmarks/abstention.py
saved for each dataset in ``--work-dir`` (a trusted folder: loaded only when
its manifest vouches for them), the library's default GWIN is fitted twice on
the paper's 50,000 training rows, with the same seed: ``precision="float32"``
and ``precision="bfloat16"``. No held-out rows are passed, so
``augmentation="auto"`` trains on the rows as they are in both. Reported per
dataset: each fit's wall time, and the accuracy on the rows the classifier
rejects at tau 0.8, alone and with each GWIN, with the bfloat16 minus float32
difference and its 95% paired bootstrap interval: on the paper's 10,000
validation rows, which no fit saw and which decide the default (issue 23:
bfloat16 may become the default only where this stays within noise), and on
the 10,000 test rows, reported beside them. Writes
benchmarks/results/bf16_accuracy.json.
"""

import argparse
import time
from pathlib import Path

from sklearn.frozen import FrozenEstimator

from rejected_rows import compared_on_rejected_rows
from training_loop import saved_lenet5
from sklearn_gwin import GWINClassifier
from sklearn_gwin.benchmark.data import load_benchmark_data, load_validation_data
from sklearn_gwin.benchmark.runner import write_result

RESULTS = Path(__file__).parent / "results"
TAU = 0.8


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
        seconds, gwins = {}, {}
        for precision in ("float32", "bfloat16"):
            start = time.perf_counter()
            gwins[precision] = GWINClassifier(FrozenEstimator(net), precision=precision, random_state=0).fit(
                data.X_train, data.y_train)
            seconds[precision] = time.perf_counter() - start
            print(f"[{dataset}] {precision}: fit {seconds[precision]:.0f} s", flush=True)
        row = dict(dataset=dataset, tau=TAU, fit_seconds=seconds, fit_speedup=seconds["float32"] / seconds["bfloat16"])
        for rows_name, (X, y) in (("validation", (X_val, y_val)), ("test", (data.X_test, data.y_test))):
            row[rows_name] = score = compared_on_rejected_rows(
                gwins, X, y, TAU, "bfloat16", "float32", difference_key="bf16_minus_fp32")
            difference = score["bf16_minus_fp32"]
            print(f"[{dataset}] {rows_name} rows: {score['n_rejected']} rejected at tau {TAU}: alone "
                  f"{score['rejected_accuracy_alone']:.4f}, float32 {score['rejected_accuracy']['float32']:.4f}, "
                  f"bfloat16 {score['rejected_accuracy']['bfloat16']:.4f}; bfloat16 - float32 "
                  f"{difference['difference']:+.2f} [{difference['ci'][0]:+.2f}, {difference['ci'][1]:+.2f}] points",
                  flush=True)
        print(f"[{dataset}] fit {row['fit_speedup']:.2f}x faster in bfloat16", flush=True)
        rows.append(row)
    write_result(RESULTS / "bf16_accuracy.json", started, rows=rows,
                 command="python benchmarks/bf16_accuracy.py --data-home ../shared/data --work-dir <abstention.py's>")


if __name__ == "__main__":
    main()
