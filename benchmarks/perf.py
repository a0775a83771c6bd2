"""What a default fit costs around a fitted Bayesian LeNet-5, with and without the training-row pass.

    python benchmarks/perf.py --data-home ../shared/data --work-dir <trusted work dir>   # about 10 minutes

The library's default GWIN is fitted twice in one process, around the same
frozen Bayesian LeNet-5 on the paper's 50,000 MNIST training rows, with
``augmentation="auto"`` choosing on the second half of the validation rows:

* *with the pass* (the library until 2026-11-30): the classifier answers every
  training row first (Monte Carlo certainty, S4), although without a critic
  and with uniform sampling nothing uses the answers;
* *without* (now): that pass is skipped.

Reported: each fit's wall time and its phases (the pass, the augmentation
choice, the generator's training), and whether the two fitted generators
are identical. The classifier (5 epochs, seed 0) is loaded from
``--work-dir`` (``benchmarks/abstention.py`` saves it there) or trained
(about 2.5 minutes). Writes benchmarks/results/perf.json.

Only the fit breakdown of the planned performance page is measured here
so far; the training loop's efficiency, inference overhead and large
inputs are not.
"""

import argparse
import json
import time
from pathlib import Path

import torch
from sklearn.frozen import FrozenEstimator

from phase_timing import timed_phases
from sklearn_gwin import GWINClassifier, _fitting
from sklearn_gwin import _generator_training as training
from sklearn_gwin.benchmark.data import load_benchmark_data, load_validation_data
from sklearn_gwin.benchmark.runner import machine
from sklearn_gwin.benchmark.store import ModelStore
from sklearn_gwin.bnn import BayesianLeNet5

RESULTS = Path(__file__).parent / "results"


def fit_with_phases(net, data, X_val, y_val, force_pass):
    phases = {}
    targets = [
        (_fitting, "certainty_pass", "training-row pass"),
        (_fitting, "choose_augmentation", "augmentation choice"),
        (training, "train_wgwin_gp", "generator training"),
    ]
    monte_carlo = _fitting.draws_by_monte_carlo
    if force_pass:
        _fitting.draws_by_monte_carlo = lambda *args: False
    try:
        with timed_phases(phases, *targets):
            start = time.perf_counter()
            gwin = GWINClassifier(FrozenEstimator(net), random_state=0).fit(
                data.X_train, data.y_train, X_val=X_val, y_val=y_val
            )
            seconds = time.perf_counter() - start
    finally:
        _fitting.draws_by_monte_carlo = monte_carlo
    phases["everything else"] = seconds - sum(phases.values())
    return gwin, dict(seconds=seconds, phases=phases)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", required=True)
    parser.add_argument("--work-dir", default=str(Path.home() / "sklearn_gwin_work" / "abstention"),
                        help="where the classifier is saved and resumed from; must be trusted (pickles)")
    args = parser.parse_args()
    started = time.perf_counter()
    data = load_benchmark_data("mnist", args.data_home)
    X_val, y_val = load_validation_data("mnist", args.data_home)
    store = ModelStore(Path(args.work_dir) / "mnist")
    net, _ = store.get("lenet5_5ep_seed0", lambda: BayesianLeNet5(
        image_shape=data.image_shape, max_epochs=5, random_state=0, verbose=0).fit(data.X_train, data.y_train))
    runs = {}
    generators = {}
    for name, force in (("with the pass (before)", True), ("without (now)", False)):
        gwin, runs[name] = fit_with_phases(net, data, X_val[5000:], y_val[5000:], force)
        generators[name] = gwin.generator_.state_dict()
        print(f"{name}: {runs[name]['seconds']:.0f} s; " + ", ".join(
            f"{phase} {seconds:.0f} s" for phase, seconds in runs[name]["phases"].items()), flush=True)
    before, now = generators.values()
    identical = all(torch.equal(before[key], now[key]) for key in before)
    ratio = runs["without (now)"]["seconds"] / runs["with the pass (before)"]["seconds"]
    print(f"now / before: {ratio:.2f}; generators identical: {identical}")
    result = dict(runs=runs, ratio=ratio, generators_identical=identical, machine=machine(),
                  wall_seconds=time.perf_counter() - started)
    out = RESULTS / "perf.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out} ({result['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
