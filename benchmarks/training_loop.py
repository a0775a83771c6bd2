"""The generator's training loop inside GWINClassifier.fit, against a bare PyTorch loop.

    python benchmarks/abstention.py --data-home ../shared/data --datasets mnist   # once: fits and saves the classifier
    python benchmarks/training_loop.py --data-home ../shared/data --work-dir <that --work-dir>   # about 5 minutes

For each setting, ``GWINClassifier.fit`` runs as usual, and the call to its
training loop (``train_wgwin_gp``, Algorithm 1) is timed. Its arguments are
kept: the untrained generator and critic (copied before the call), the
classifier's differentiable log-probabilities, the training rows in unit
space. Then, in the same process, the loop runs five ways from those copies,
in ``--repeats`` rounds (default 16) of ``--round-fraction`` of the fit's
iterations each, at least one (default a quarter: 50 of the default's 200,
1 of ``PAPER_SETTINGS``' 5, whose iterations take seconds each), each round
running every way once, back to back, every other round in the reverse order:

* *library*: ``train_wgwin_gp`` itself (what fit runs, with its history,
  progress and Ctrl-C handling), in float32 whatever precision the fit chose;
* *bare*: the loop a PyTorch user would write for the same modules, batch
  size, losses and Adam optimisers: draw a batch, forward, backward, step;
  no history, no ``.item()``, no checks;
* *library, bf16*: ``train_wgwin_gp`` with ``autocast_dtype=torch.bfloat16``
  (what ``precision="bfloat16"`` runs: forward passes under autocast);
* *bare, bf16*: the bare loop with its forward passes under
  ``torch.autocast("cpu", dtype=torch.bfloat16)``, entered each step (this CPU
  has AVX-512 BF16): issue 23's "bf16 >= 1.5x fp32" goal, speed only;
* *bare, bf16, channels_last*: the same with the generator's and the
  classifier's convolution weights and the image batches in
  ``torch.channels_last`` memory format, which oneDNN's convolutions may
  prefer: whether it pays on this CPU.

Each library loop is compared with the bare one in its own precision. Every
ratio is taken within a pair of rounds (one forward, one reversed: each
side's seconds summed over the two) and reported as the median over the
pairs (``ratios_per_pair`` keeps them all): on this shared 2-core machine the
speed drifts by up to a quarter within a minute, far more than a loop's own
overhead, so timings from different moments are never divided, and a way
timed early in one round is timed late in the other.

The ratio library ÷ bare iterations per second is issue 23's "≥ 0.95" goal.
Achieved GFLOP/s is the bare loop's floating-point work per iteration
(``torch.utils.flop_counter``: matrix products and convolutions, forward and
backward) times its iterations per second. Settings:

* ``lenet5-default``: the library's default GWIN (no critic) around the
  Bayesian LeNet-5 (5 epochs, seed 0) that benchmarks/abstention.py saved in
  ``--work-dir`` (a trusted folder: loaded only when its manifest vouches),
  on the paper's 50,000 MNIST training rows; the gradient path. With
  ``augmentation="affine"``, which ``"auto"`` chose for every default fit on
  MNIST's held-out rows that ``benchmarks/perf.py`` timed: the loop the
  default fit runs there, warps included (runs before 2026-12-01 trained on
  the rows as they are, what ``"auto"`` does without held-out rows).
* ``lenet5-paper``: ``PAPER_SETTINGS`` around it (critic, 5 critic steps with
  the gradient penalty per generator step, the convolutional nets), on the
  first 10,000 of those rows.
* ``logistic-digits``: the default GWIN around a logistic regression on
  scikit-learn's digits; the surrogate path.

Writes benchmarks/results/training_loop.json.
"""

import argparse
import contextlib
import copy
import json
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from torch.nn import functional as F
from torch.utils.flop_counter import FlopCounterMode

from sklearn_gwin import PAPER_SETTINGS, GWINClassifier
from sklearn_gwin import _generator_training as training_module
from sklearn_gwin.benchmark.data import load_benchmark_data
from sklearn_gwin.benchmark.runner import machine
from sklearn_gwin.benchmark.store import ModelStore
from sklearn_gwin.wgan.trainer import gradient_penalty, make_optimizers, train_wgwin_gp

RESULTS = Path(__file__).parent / "results"
# rounds of a quarter of the fit's iterations, 16 of them: 8 pairs, the two sides of each ratio seconds apart
ROUND_FRACTION = 0.25
REPEATS = 16


def captured_fit(gwin, X, y):
    """Fit ``gwin``; return the arguments its training loop got (modules copied before training) and its seconds."""
    captured = {}

    def timed_loop(generator, critic, *args, **kwargs):
        captured.update(generator=copy.deepcopy(generator), critic=copy.deepcopy(critic), args=args, kwargs=kwargs)
        start = time.perf_counter()
        try:
            return train_wgwin_gp(generator, critic, *args, **kwargs)
        finally:
            captured["seconds_in_fit"] = time.perf_counter() - start

    training_module.train_wgwin_gp = timed_loop
    try:
        gwin.fit(X, y)
    finally:
        training_module.train_wgwin_gp = train_wgwin_gp
    return captured


def library_loop(captured, autocast_dtype=None):
    """``train_wgwin_gp`` on the captured arguments, in float32 or under autocast to ``autocast_dtype``.

    The precision is set here, not taken from the fit: ``precision="auto"``
    may have trained in bfloat16, and each loop is compared with a bare one
    in the same precision.
    """
    generator, critic = copy.deepcopy(captured["generator"]), copy.deepcopy(captured["critic"])
    kwargs = dict(captured["kwargs"], optimizers=None, verbose=0, checkpoint_every=None, on_checkpoint=None, start=0,
                  autocast_dtype=autocast_dtype)
    train_wgwin_gp(generator, critic, *captured["args"], **kwargs)


def library_bf16_loop(captured):
    library_loop(captured, torch.bfloat16)


def bare_loop(captured, n_iter=None, count_flops=False, autocast_dtype=None, channels_last=False):
    """Algorithm 1 as a PyTorch user would write it, for the captured modules and rows.

    With ``autocast_dtype``, each forward pass and loss runs under
    ``torch.autocast``, entered anew every step as torch's mixed-precision
    recipe does (one context around the whole loop would keep serving the
    first step's casts of the weights after the optimiser has changed them).
    """
    generator, critic = copy.deepcopy(captured["generator"]), copy.deepcopy(captured["critic"])
    log_proba, X, y, confident = captured["args"]
    if channels_last:
        generator, critic = (m.to(memory_format=torch.channels_last) for m in (generator, critic))
        log_proba = copy.deepcopy(log_proba).to(memory_format=torch.channels_last)
    k = captured["kwargs"]
    n_critic, batch_size, latent_dim, n_classes = k["n_critic"], k["batch_size"], k["latent_dim"], k["n_classes"]
    opt_g, opt_c = make_optimizers(generator, critic, n_critic > 0, k["lr"], k["betas"])
    generator.train()
    critic.train()

    weights, augment = k.get("generator_weights"), k.get("augment")

    def batch(pool, weights=None):
        if weights is None:
            rows = pool[torch.randint(len(pool), (batch_size,))]
        else:
            rows = pool[torch.multinomial(weights, batch_size, replacement=True)]
        x = X[rows]
        if channels_last and x.dim() == 4:
            x = x.contiguous(memory_format=torch.channels_last)
        return x, y[rows], F.one_hot(y[rows], n_classes).float(), torch.randn(batch_size, latent_dim)

    def precision():
        if autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast("cpu", dtype=autocast_dtype)

    counter = FlopCounterMode(display=False) if count_flops else None
    with counter if counter is not None else contextlib.nullcontext():
        for _ in range(n_iter or k["n_iter"]):
            for _ in range(n_critic):
                x, _, onehot, z = batch(confident)
                with precision():
                    with torch.no_grad():
                        x_fake = generator(x, z)
                    penalty = gradient_penalty(critic, x, x_fake, onehot)
                    critic_loss = critic(x_fake, onehot).mean() - critic(x, onehot).mean() + k["lambda_gp"] * penalty
                opt_c.zero_grad(set_to_none=True)
                critic_loss.backward()
                opt_c.step()
            x, y_batch, onehot, z = batch(torch.arange(len(X)), weights)
            if augment is not None:
                x = augment(x)
            with precision():
                x_fake = generator(x, z)
                loss = k["lambda_loss"] * F.nll_loss(log_proba(x_fake), y_batch)
                if n_critic > 0:
                    loss = loss - critic(x_fake, onehot).mean()
            opt_g.zero_grad(set_to_none=True)
            loss.backward()
            opt_g.step()
    return None if counter is None else counter.get_total_flops()


def bf16_loop(captured):
    bare_loop(captured, autocast_dtype=torch.bfloat16)


def bf16_channels_last_loop(captured):
    bare_loop(captured, autocast_dtype=torch.bfloat16, channels_last=True)


def paired_ratios(numerator, denominator):
    """Per pair of rounds (forward, reversed), the numerator's seconds over the denominator's, each summed.

    In a pair, a way timed early in the first round is timed late in the
    second: under a drift that is steady over the pair, both sides of the
    ratio gain and lose alike. An odd last round is left out.
    """
    numerator, denominator = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    pairs = len(numerator) // 2
    return (numerator[: 2 * pairs].reshape(pairs, 2).sum(axis=1)
            / denominator[: 2 * pairs].reshape(pairs, 2).sum(axis=1))


def measure(name, gwin, X, y, repeats, round_fraction=ROUND_FRACTION):
    """Fit ``gwin``, then time its loop five ways in ``repeats`` rounds of ``round_fraction`` of its iterations."""
    print(f"[{name}] fitting ({gwin.n_iter} iterations) ...", flush=True)
    start = time.perf_counter()
    captured = captured_fit(gwin, X, y)
    fit_seconds = time.perf_counter() - start
    fit_n_iter = captured["kwargs"]["n_iter"]
    # short rounds: the two sides of a ratio run seconds apart, not a minute
    n_iter = captured["kwargs"]["n_iter"] = max(1, round(fit_n_iter * round_fraction))
    try:
        flops_per_iteration = bare_loop(captured, n_iter=1, count_flops=True)
    except RuntimeError:
        # torch's flop counter cannot follow the gradient penalty's autograd.grad
        flops_per_iteration = None
    loops = {"library": library_loop, "bare": bare_loop, "library, bf16": library_bf16_loop, "bare, bf16": bf16_loop,
             "bare, bf16, channels_last": bf16_channels_last_loop}
    seconds = {kind: [] for kind in loops}
    torch.manual_seed(0)
    for round_ in range(repeats):
        # this shared 2-core machine's speed drifts by a quarter over a minute: the loops run in rounds, each
        # way once per round, every other round in the reverse order, and each ratio is taken within a pair of
        # rounds (forward, then reversed), where a steady drift weighs on both sides alike
        for kind in (list(loops) if round_ % 2 == 0 else list(loops)[::-1]):
            started = time.perf_counter()
            loops[kind](captured)
            seconds[kind].append(time.perf_counter() - started)
    runs = {kind: np.asarray(values) for kind, values in seconds.items()}
    library, bare, library_bf16, bf16, bf16_channels_last = (float(np.median(runs[kind])) for kind in loops)
    per_pair = dict(
        ratio=paired_ratios(runs["bare"], runs["library"]),
        bf16_ratio=paired_ratios(runs["bare, bf16"], runs["library, bf16"]),
        bf16_over_fp32_speed=paired_ratios(runs["bare"], runs["bare, bf16"]),
        library_bf16_over_fp32_speed=paired_ratios(runs["library"], runs["library, bf16"]),
        bf16_channels_last_over_fp32_speed=paired_ratios(runs["bare"], runs["bare, bf16, channels_last"]),
    )
    result = dict(
        setting=name, augmentation=gwin.augmentation_, precision=gwin.precision_, n_iter=n_iter, fit_n_iter=fit_n_iter,
        repeats=repeats,
        n_critic=captured["kwargs"]["n_critic"],
        batch_size=captured["kwargs"]["batch_size"], fit_seconds=fit_seconds,
        loop_seconds_in_fit=captured["seconds_in_fit"], library_seconds=library, bare_seconds=bare,
        library_iterations_per_second=n_iter / library, bare_iterations_per_second=n_iter / bare,
        bf16_seconds=bf16, library_bf16_seconds=library_bf16, bf16_channels_last_seconds=bf16_channels_last,
        **{figure: float(np.median(ratios)) for figure, ratios in per_pair.items()},
        ratios_per_pair={figure: ratios.round(4).tolist() for figure, ratios in per_pair.items()},
        gflop_per_iteration=None if flops_per_iteration is None else flops_per_iteration / 1e9,
        bare_gflops=None if flops_per_iteration is None else flops_per_iteration * n_iter / bare / 1e9, runs=seconds,
    )
    flops = ("flops not counted" if flops_per_iteration is None
             else f"{flops_per_iteration / 1e9:.3f} GFLOP per iteration, {result['bare_gflops']:.1f} GFLOP/s")
    print(
        f"[{name}] medians over {repeats // 2} pairs of rounds: float32: library {n_iter / library:.1f} it/s, bare "
        f"{n_iter / bare:.1f} it/s: ratio {result['ratio']:.3f}; bfloat16: library {n_iter / library_bf16:.1f} it/s, "
        f"bare {n_iter / bf16:.1f} it/s ({result['bf16_over_fp32_speed']:.2f}x float32): ratio "
        f"{result['bf16_ratio']:.3f}; bare bf16 channels_last {n_iter / bf16_channels_last:.1f} it/s "
        f"({result['bf16_channels_last_over_fp32_speed']:.2f}x float32); {flops}",
        flush=True,
    )
    return result


def loop_settings(net, data):
    """The three settings timed: ``(name, unfitted GWIN, X, y)``."""
    X_digits, y_digits = load_digits(return_X_y=True)
    return [
        ("lenet5-default", GWINClassifier(FrozenEstimator(net), n_iter=200, augmentation="affine", random_state=0),
         data.X_train, data.y_train),
        # 10,000 rows: the critic's confident set needs the classifier's pass over them first
        ("lenet5-paper", GWINClassifier(FrozenEstimator(net), **{**PAPER_SETTINGS, "n_iter": 5}, random_state=0),
         data.X_train[:10_000], data.y_train[:10_000]),
        ("logistic-digits", GWINClassifier(LogisticRegression(max_iter=1000), n_iter=500, random_state=0),
         X_digits / 16, y_digits),
    ]


def saved_lenet5(parser, work_dir, dataset="mnist"):
    """The Bayesian LeNet-5 (5 epochs, seed 0) benchmarks/abstention.py saved in ``work_dir``; else a usage error."""
    loaded = ModelStore(Path(work_dir) / dataset).load("lenet5_5ep_seed0")
    if loaded is None:
        parser.error(f"no classifier for {dataset} in --work-dir: "
                     f"run benchmarks/abstention.py --datasets {dataset} first")
    return loaded[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", required=True)
    parser.add_argument("--work-dir", required=True, help="benchmarks/abstention.py's --work-dir (trusted)")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="rounds, in pairs: an even number")
    parser.add_argument("--round-fraction", type=float, default=ROUND_FRACTION,
                        help="each round's share of the fit's iterations")
    args = parser.parse_args()
    if args.repeats < 2 or args.repeats % 2:
        parser.error(f"--repeats must be an even number of rounds, at least 2 (got {args.repeats})")
    if not 0 < args.round_fraction <= 1:
        parser.error(f"--round-fraction must be in (0, 1] (got {args.round_fraction})")
    started = time.perf_counter()
    data = load_benchmark_data("mnist", args.data_home)
    net = saved_lenet5(parser, args.work_dir)
    settings = loop_settings(net, data)
    results = [measure(name, gwin, X, y, args.repeats, args.round_fraction) for name, gwin, X, y in settings]
    output = dict(
        results=results, repeats=args.repeats, round_fraction=args.round_fraction,
        torch_threads=torch.get_num_threads(), machine=machine(),
        date=time.strftime("%Y-%m-%d"), seconds=round(time.perf_counter() - started),
        command="python benchmarks/training_loop.py --data-home ../shared/data --work-dir <abstention.py's work dir>",
    )
    (RESULTS / "training_loop.json").write_text(json.dumps(output, indent=1) + "\n")
    print(f"wrote {RESULTS / 'training_loop.json'} ({output['seconds']} s)")


if __name__ == "__main__":
    main()
