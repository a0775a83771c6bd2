"""Whether ``torch.compile`` pays for the default GWIN's generator training around the LeNet-5.

    python benchmarks/abstention.py --data-home ../shared/data --datasets mnist   # once: fits and saves the classifier
    python benchmarks/torch_compile.py --data-home ../shared/data --work-dir <that --work-dir>   # about 3 minutes

Issue 23 asks for ``torch.compile`` where it pays. The default GWIN's
training step (no critic) is: draw a batch, ``x' = G(x, z)``, the classifier's
differentiable log-probabilities of ``x'``, the loss, backward, Adam. Here the
same step runs in one process four ways, each from the same untrained
generator copied from a default fit: eager and compiled (``torch.compile`` of
the generator and of the classifier's map, default mode), each in float32 and
under bfloat16 autocast. For each: the seconds of the first steps (where
compilation happens; the float32 compile starts from an empty compile cache,
and the bfloat16 one after it in the same process), the median step after ``--warmup`` steps, and the steps
after which compiling would have paid for itself (never, when a compiled
step is not faster). The classifier is the Bayesian LeNet-5 (5 epochs, seed 0)
that benchmarks/abstention.py saved in ``--work-dir`` (a trusted folder); the
rows are the first 5,000 MNIST training rows (the step's cost does not depend
on their number).

Writes benchmarks/results/torch_compile.json.
"""

import argparse
import contextlib
import copy
import os
import tempfile
import time
from pathlib import Path

# a cold compile cache, as a user's first fit has: a warm one from an earlier run
# cut the first steps from about 30 s to 3 s here (set before torch reads it)
os.environ["TORCHINDUCTOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="gwin-inductor-")

import numpy as np
import torch
from torch.nn import functional as F

from sklearn_gwin.benchmark.data import load_benchmark_data
from sklearn_gwin.benchmark.runner import write_result
from sklearn_gwin.wgan.trainer import make_optimizers
from training_loop import captured_fit, loop_settings, saved_lenet5

RESULTS = Path(__file__).parent / "results"


def step_seconds(captured, n_steps, compiled, dtype):
    """Seconds of each of ``n_steps`` default training steps, eager or compiled, in float32 or under autocast."""
    log_proba, X, y, _ = captured["args"]
    k = captured["kwargs"]
    generator = copy.deepcopy(captured["generator"])
    classifier_map = copy.deepcopy(log_proba)
    optimizer, _ = make_optimizers(generator, captured["critic"], False, k["lr"], k["betas"])
    if compiled:
        generator_call, classifier_call = torch.compile(generator), torch.compile(classifier_map)
    else:
        generator_call, classifier_call = generator, classifier_map
    seconds = []
    for _ in range(n_steps):
        started = time.perf_counter()
        rows = torch.randint(len(X), (k["batch_size"],))
        x, labels, z = X[rows], y[rows], torch.randn(k["batch_size"], k["latent_dim"])
        precision = contextlib.nullcontext() if dtype is None else torch.autocast("cpu", dtype=dtype)
        with precision:
            loss = k["lambda_loss"] * F.nll_loss(classifier_call(generator_call(x, z)), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        seconds.append(time.perf_counter() - started)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", required=True)
    parser.add_argument("--work-dir", required=True, help="benchmarks/abstention.py's --work-dir (trusted)")
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--warmup", type=int, default=50, help="steps left out of the median")
    args = parser.parse_args()
    started = time.perf_counter()
    data = load_benchmark_data("mnist", args.data_home)
    net = saved_lenet5(parser, args.work_dir)
    _, gwin, X, y = loop_settings(net, data)[0]
    gwin.set_params(n_iter=5, augmentation=None)
    captured = captured_fit(gwin, X[:5000], y[:5000])
    runs = []
    for dtype in (None, torch.bfloat16):
        eager = None
        for compiled in (False, True):
            seconds = step_seconds(captured, args.steps, compiled, dtype)
            median = float(np.median(seconds[args.warmup:]))
            run = dict(precision="float32" if dtype is None else "bfloat16", compiled=compiled,
                       first_steps_seconds=float(sum(seconds[:5])), median_step_ms=1e3 * median)
            if compiled:
                # after n steps, 5 + n: compiled first + n * median = eager first + n * eager median
                saved = eager["median_step_ms"] / 1e3 - median
                extra = run["first_steps_seconds"] - eager["first_steps_seconds"]
                run["steps_to_pay_back"] = 5 + extra / saved if saved > 0 else None
            else:
                eager = run
            print(f"{run['precision']}, {'compiled' if compiled else 'eager'}: first 5 steps "
                  f"{run['first_steps_seconds']:.1f} s, then {run['median_step_ms']:.1f} ms per step", flush=True)
            runs.append(run)
    write_result(RESULTS / "torch_compile.json", started,
                 "python benchmarks/torch_compile.py --data-home ../shared/data --work-dir <abstention.py's work dir>",
                 runs=runs, steps=args.steps, warmup=args.warmup, torch_threads=torch.get_num_threads())


if __name__ == "__main__":
    main()
