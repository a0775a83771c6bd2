"""What a seed does and does not fix: torch's thread count, and the batch a row comes in.

    python benchmarks/determinism.py      # under a minute on 2 cores

On scikit-learn's 8x8 digits (1,000 rows to fit, 797 to predict), with
``random_state=0`` throughout:

- *threads*: a GWIN around a logistic regression, and one around the
  Bayesian LeNet-5 (60 epochs), each fitted with 1 and with 2 torch threads;
  how many predicted labels differ, and how many generator weights.
- *batch*: each of those GWINs predicts the 797 rows in one call, then
  row by row (the first 200) and in reversed order; how many labels differ
  from the one-call labels.

Writes benchmarks/results/determinism.json.
"""

import json
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from sklearn_gwin import GWINClassifier
from sklearn_gwin.benchmark.runner import machine
from sklearn_gwin.bnn import BayesianLeNet5

RESULTS = Path(__file__).parent / "results"


def _data():
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    return (X[:1000], y[:1000]), (X[1000:], y[1000:])


def _gwin(kind):
    common = dict(n_iter=300, random_state=0, device="cpu")
    if kind == "logistic regression":
        return GWINClassifier(LogisticRegression(max_iter=500), tau=0.9, **common)
    net = BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=60, random_state=0, verbose=0)
    return GWINClassifier(net, tau=0.9, image_shape=(1, 8, 8), augmentation=None, **common)


def _fitted(kind, threads, X, y):
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        return _gwin(kind).fit(X, y)
    finally:
        torch.set_num_threads(before)


def main():
    started = time.perf_counter()
    (X, y), (X_test, _) = _data()
    entries = []
    for kind in ("logistic regression", "Bayesian LeNet-5"):
        one, two = (_fitted(kind, threads, X, y) for threads in (1, 2))
        labels_one, labels_two = one.predict(X_test), two.predict(X_test)
        weights = [(a != b).sum().item() for a, b in zip(one.generator_.state_dict().values(),
                                                           two.generator_.state_dict().values())]
        alone = np.concatenate([two.predict(X_test[i : i + 1]) for i in range(200)])
        reversed_order = two.predict(X_test[::-1])[::-1]
        entry = dict(
            classifier=kind,
            n_test=len(X_test),
            rejected=int(two.reject(X_test).sum()),
            labels_differing_1_vs_2_threads=int((labels_one != labels_two).sum()),
            generator_weights_differing_1_vs_2_threads=int(sum(weights)),
            labels_differing_alone_vs_batch_of_200=int((alone != labels_two[:200]).sum()),
            labels_differing_reversed_order=int((reversed_order != labels_two).sum()),
        )
        print(entry, flush=True)
        entries.append(entry)
    result = dict(entries=entries, machine=machine(), wall_seconds=time.perf_counter() - started)
    out = RESULTS / "determinism.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out} ({result['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
