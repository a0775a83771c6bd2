"""Peak memory that ``fit`` adds per training row, around a frozen classifier.

    python benchmarks/fit_memory.py                 # 160,000 and 40,000 x 64 rows, about 3 minutes on 2 cores
    PYTHONPATH=<checkout of another commit> python benchmarks/fit_memory.py --out /tmp/x.json

A logistic regression is fitted once on 20,000 synthetic rows
(``make_classification``, 64 features, 10 classes) and frozen
(``FrozenEstimator``), so that what is measured is the GWIN's own work: the
certainty pass, the unit-space copy of the rows, the surrogate's points and
their labels, and 100 generator iterations. ``fit`` runs in a fresh process
on ``--n-rows`` rows and on a quarter of them; memory is the process's peak
resident set during fit minus the resident set before it (Linux ``VmHWM``,
reset through ``/proc/self/clear_refs``). What fit holds per row is the
slope between the two sizes (torch's own start-up, a fixed cost, cancels),
beside the 512 bytes of one float64 row. Writes
benchmarks/results/fit_memory.json.
"""

import argparse
import json
import multiprocessing
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def _resident_kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _fit(n_rows, queue):
    from sklearn.datasets import make_classification
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LogisticRegression

    import sklearn_gwin
    from sklearn_gwin import GWINClassifier

    X, y = make_classification(n_samples=20_000 + n_rows, n_features=64, n_informative=20, n_classes=10,
                               class_sep=4.0, random_state=0)
    classifier = FrozenEstimator(LogisticRegression(max_iter=300).fit(X[:20_000], y[:20_000]))
    X, y = X[20_000:], y[20_000:]
    gwin = GWINClassifier(classifier, n_iter=100, random_state=0)
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    before = _resident_kib("VmRSS")
    start = time.perf_counter()
    gwin.fit(X, y)
    seconds = time.perf_counter() - start
    added = (_resident_kib("VmHWM") - before) * 1024
    queue.put(dict(seconds=seconds, peak_added_mib=added / 2**20, library=sklearn_gwin.__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rows", type=int, default=160_000)
    parser.add_argument("--out", default=str(RESULTS / "fit_memory.json"))
    args = parser.parse_args()
    from sklearn_gwin.benchmark.runner import machine

    context = multiprocessing.get_context("spawn")
    runs = []
    for n_rows in (args.n_rows // 4, args.n_rows):
        queue = context.Queue()
        process = context.Process(target=_fit, args=(n_rows, queue))
        process.start()
        runs.append(dict(n_rows=n_rows, **queue.get()))
        process.join()
        print(f"fit on {n_rows} x 64 rows: +{runs[-1]['peak_added_mib']:.0f} MiB peak, "
              f"{runs[-1]['seconds']:.0f} s ({runs[-1]['library']})", flush=True)
    small, large = runs
    slope = (large["peak_added_mib"] - small["peak_added_mib"]) * 2**20 / (large["n_rows"] - small["n_rows"])
    result = dict(n_features=64, runs=runs, bytes_per_row=slope, machine=machine())
    print(f"fit holds {slope:.0f} bytes per training row (a float64 row: 512)")
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
