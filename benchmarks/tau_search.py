"""Wall time of a tau search over 8 values divided by a search over 1 value, same run.

    python benchmarks/tau_search.py

Compares, on scikit-learn's digits with a LogisticRegression inside the GWIN
and 3-fold cross-validation:

* GridSearchCV without memory (every candidate trains its own GAN),
* GridSearchCV with memory= (one GAN per fold, cache shared across tau),
* GWINClassifierCV (one fit per fold, one regeneration per validation fold).

Each search starts from an empty cache. Goal: 8-tau / 1-tau <= 1.3 (a naive
search is about 8). Results go to benchmarks/results/tau_search.json.
"""

import json
import platform
import tempfile
import time
from pathlib import Path

import torch
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from sklearn_gwin import GWINClassifier, GWINClassifierCV

TAUS_8 = [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]
TAUS_1 = [0.8]
N_ITER = 300


def _timed(make_search, X, y):
    with tempfile.TemporaryDirectory() as cache:
        search = make_search(cache)
        start = time.perf_counter()
        search.fit(X, y)
        return time.perf_counter() - start


def main():
    torch.set_num_threads(1)
    X, y = load_digits(return_X_y=True)
    X = X / 16.0

    def gwin(memory=None):
        return GWINClassifier(
            # n_critic=5, n_regen=1: the defaults when docs/lab/workflows.md was measured
            LogisticRegression(max_iter=1000), n_iter=N_ITER, n_critic=5, n_regen=1, lr=1e-3, memory=memory,
            random_state=0,
        )

    searches = {
        "GridSearchCV, no memory": lambda taus: lambda cache: GridSearchCV(gwin(), {"tau": taus}, cv=3),
        "GridSearchCV, memory=": lambda taus: lambda cache: GridSearchCV(gwin(cache), {"tau": taus}, cv=3),
        "GWINClassifierCV": lambda taus: lambda cache: GWINClassifierCV(gwin(), taus=taus, cv=3),
    }
    results = {}
    for name, factory in searches.items():
        one = _timed(factory(TAUS_1), X, y)
        eight = _timed(factory(TAUS_8), X, y)
        results[name] = dict(seconds_1_tau=one, seconds_8_taus=eight, ratio=eight / one)
        print(f"{name:26s} 1 tau {one:6.1f} s   8 taus {eight:6.1f} s   ratio {eight / one:.2f}", flush=True)
    out = dict(
        results=results,
        n_iter=N_ITER,
        cv=3,
        data="load_digits (1797 x 64)",
        machine=f"{platform.machine()}, torch threads 1, torch {torch.__version__}",
    )
    path = Path(__file__).parent / "results" / "tau_search.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
