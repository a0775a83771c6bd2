"""A GWIN's fit on a quiet machine and beside competing jobs, with torch's default threads and with one.

    python benchmarks/threads_under_load.py --repeats 3   # about 5 minutes on 2 cores

Issue 23 saw the README's snippet take 224 s instead of 12 s on a 2-core
machine where other jobs ran. This script reproduces that side by side. The
work is a default GWIN around a logistic regression on scikit-learn's digits
(``--n-iter`` generator iterations, the surrogate path), fitted in a fresh
process per condition, so that each process sets its threads and OpenMP's
environment before torch starts:

* ``quiet``: nothing else runs;
* ``loaded``: ``--load`` busy processes (pure Python loops, one core each)
  run beside the fit, as other users' jobs would;

each with torch's default intra-op threads (one per core), with one thread
(``OMP_NUM_THREADS=1`` before Python starts, or ``torch.set_num_threads(1)``
in the script), and with the default threads under ``OMP_WAIT_POLICY=PASSIVE``
(OpenMP threads sleep at a barrier instead of spinning). Reported: each fit's wall time (median of ``--repeats``) and its
ratio to the quiet, default-thread fit. Writes
benchmarks/results/threads_under_load.json.
"""

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"
SETTINGS = {
    "default threads": {},
    "one thread (OMP_NUM_THREADS=1)": {"OMP_NUM_THREADS": "1"},
    "default threads, OMP_WAIT_POLICY=PASSIVE": {"OMP_WAIT_POLICY": "PASSIVE"},
    "torch.set_num_threads(1) in the script": {"_SET_NUM_THREADS": "1"},
}
FIT = """
import time
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
import os
import torch
from sklearn_gwin import GWINClassifier
if os.environ.get("_SET_NUM_THREADS"):
    torch.set_num_threads(int(os.environ["_SET_NUM_THREADS"]))
X, y = load_digits(return_X_y=True)
start = time.perf_counter()
GWINClassifier(LogisticRegression(max_iter=1000), n_iter={n_iter}, random_state=0).fit(X / 16, y)
print(time.perf_counter() - start, torch.get_num_threads())
"""


def _spin(stop):
    while not stop.is_set():
        pass


def timed_fit(env_changes, n_iter):
    env = {**os.environ, **env_changes}
    out = subprocess.run([sys.executable, "-c", FIT.format(n_iter=n_iter)], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), int(out[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-iter", type=int, default=300)
    parser.add_argument("--load", type=int, default=os.cpu_count(), help="busy processes beside the fit")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = []
    for load in (0, args.load):
        stop = multiprocessing.Event()
        spinners = [multiprocessing.Process(target=_spin, args=(stop,)) for _ in range(load)]
        for spinner in spinners:
            spinner.start()
        try:
            for name, env in SETTINGS.items():
                runs = [timed_fit(env, args.n_iter) for _ in range(args.repeats)]
                seconds = float(np.median([s for s, _ in runs]))
                rows.append(dict(condition="loaded" if load else "quiet", busy_processes=load, threads=name,
                                 torch_threads=runs[0][1], seconds=seconds, runs=[s for s, _ in runs]))
                print(f"{rows[-1]['condition']:>6} ({load} busy), {name}: {seconds:.1f} s", flush=True)
        finally:
            stop.set()
            for spinner in spinners:
                spinner.join()
    baseline = rows[0]["seconds"]
    for row in rows:
        row["ratio_to_quiet_default"] = row["seconds"] / baseline
    from sklearn_gwin.benchmark.runner import machine

    output = dict(rows=rows, n_iter=args.n_iter, repeats=args.repeats, cpu_count=os.cpu_count(), machine=machine(),
                  date=time.strftime("%Y-%m-%d"), seconds=round(time.perf_counter() - started),
                  command="python benchmarks/threads_under_load.py --repeats " + str(args.repeats))
    (RESULTS / "threads_under_load.json").write_text(json.dumps(output, indent=1) + "\n")
    print(f"wrote {RESULTS / 'threads_under_load.json'} ({output['seconds']} s)")


if __name__ == "__main__":
    main()
