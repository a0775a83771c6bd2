"""Does a seeded fit repeat on each device, and how long does it take there?

    python benchmarks/device_check.py --data-home ../shared/data    # CPU, and CUDA when present
    python benchmarks/device_check.py --data-home ../shared/data --devices cuda

On the first ``--n-train`` training rows of the benchmark's MNIST (its 8x8
digits without ``--data-home``): a Bayesian LeNet-5 fitted twice with the same
``random_state`` on each device, then the library's default GWIN (warp
generator) around it, also twice. Reports, per device, each fit's seconds and
what the second fit did not reproduce bit for bit (the classifier's
probabilities; the GWIN's training history, regenerated rows and labels on the
test rows), and the operations torch warned have no deterministic version
there. Seeded fits on CUDA run torch's deterministic kernels
(``sklearn_gwin._seeding.deterministic_cuda``); the results from before that
change are benchmarks/results/device_check*_before_fix.json. Writes
benchmarks/results/device_check_<devices>.json.
"""

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.frozen import FrozenEstimator

from sklearn_gwin import GWINClassifier
from sklearn_gwin.benchmark.data import load_benchmark_data
from sklearn_gwin.benchmark.runner import machine
from sklearn_gwin.bnn import BayesianLeNet5

RESULTS = Path(__file__).parent / "results"


def load(data_home, n_train, n_test=2000):
    """Images (n, 1, h, w) of the benchmark's MNIST when ``data_home`` is given, else of its digits."""
    name = "digits" if data_home is None else "mnist"
    data = load_benchmark_data(name, data_home)
    X, X_test = data.X_train.reshape(-1, *data.image_shape), data.X_test.reshape(-1, *data.image_shape)
    return name, X[:n_train], data.y_train[:n_train], X_test[:n_test], data.y_test[:n_test]


def fit_twice(fit):
    """Two fits with the same seed: their outputs and seconds."""
    runs = []
    for _ in range(2):
        start = time.perf_counter()
        outputs = fit()
        runs.append((outputs, time.perf_counter() - start))
    return runs


def differing(a, b):
    """Keys whose arrays differ in any bit between ``a`` and ``b`` (NaN equals NaN: a history without critic)."""
    keys = []
    for key in a:
        try:
            np.testing.assert_array_equal(a[key], b[key], strict=True)
        except AssertionError:
            keys.append(key)
    return keys


def check_device(device, data, bnn_epochs, gwin_iter):
    _, X, y, X_test, _ = data

    def fit_bnn():
        net = BayesianLeNet5(image_shape=X.shape[1:], max_epochs=bnn_epochs, random_state=0, device=device, verbose=0)
        net.fit(X, y)
        return {"proba": net.predict_proba(X_test)}, net

    bnn_runs = fit_twice(fit_bnn)
    net = bnn_runs[0][0][1]

    def fit_gwin():
        gwin = GWINClassifier(FrozenEstimator(net), n_iter=gwin_iter, tau=0.9, random_state=0, device=device)
        gwin.fit(X, y)
        history = {key: np.asarray(value) for key, value in gwin.history_.items()}
        return {**history, "regenerated": gwin.regenerate(X_test[:500]), "labels": gwin.predict(X_test)}

    gwin_runs = fit_twice(fit_gwin)
    return {
        "bnn_seconds": [seconds for _, seconds in bnn_runs],
        "bnn_differs": differing(bnn_runs[0][0][0], bnn_runs[1][0][0]),
        "gwin_seconds": [seconds for _, seconds in gwin_runs],
        # what the second fit did not reproduce: empty when it repeated the first exactly
        "gwin_differs": differing(gwin_runs[0][0], gwin_runs[1][0]),
        "machine": machine(device),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-home")
    parser.add_argument("--n-train", type=int, default=10000)
    parser.add_argument("--bnn-epochs", type=int, default=2)
    parser.add_argument("--gwin-iter", type=int, default=300)
    parser.add_argument("--devices", nargs="+", default=["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"])
    args = parser.parse_args()
    data = load(args.data_home, args.n_train)
    result = dict(dataset=data[0], n_train=len(data[1]), bnn_epochs=args.bnn_epochs, gwin_iter=args.gwin_iter,
                  devices={})
    for device in args.devices:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result["devices"][device] = check_device(device, data, args.bnn_epochs, args.gwin_iter)
        # the operations torch says it cannot run deterministically on this device
        result["devices"][device]["nondeterministic_warnings"] = sorted(
            {str(w.message).split(".")[0] for w in caught if "deterministic" in str(w.message)}
        )
        print(device, json.dumps(result["devices"][device]), flush=True)
    path = RESULTS / f"device_check_{'-'.join(args.devices)}.json"
    path.write_text(json.dumps(result, indent=1))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
