"""Where a step of the default GWIN's training goes, in float32 and in bfloat16: torch.profiler's top operators.

    python benchmarks/abstention.py --data-home ../shared/data --datasets mnist   # once: fits and saves the classifier
    python benchmarks/step_profile.py --data-home ../shared/data --work-dir <that --work-dir>   # under a minute

The default GWIN around the saved Bayesian LeNet-5 (5 epochs, seed 0) on the
paper's 50,000 MNIST training rows, with the affine warps that
``augmentation="auto"`` chooses on MNIST: ``benchmarks/training_loop.py``'s
``lenet5-default`` setting. Its training loop's arguments are captured from a
short fit; then the bare loop (the same modules, batches, losses and Adam)
runs ``--steps`` steps under ``torch.profiler`` in each precision, after
untimed warm-up steps. For each precision: milliseconds per step in the
profiled run, all operators' own (self) CPU time per step, and each
operator's own CPU time per step, largest first,
with the input shapes of the largest calls. What it is for: finding the costs
bfloat16 does not shrink (issue 23's "bf16 >= 1.5x fp32" goal). Times under
the profiler run slower than without it.

Writes benchmarks/results/step_profile.json.
"""

import argparse
import json
import time
from pathlib import Path

import torch
from torch.profiler import ProfilerActivity, profile

import training_loop
from sklearn_gwin.benchmark.data import load_benchmark_data
from sklearn_gwin.benchmark.runner import machine

RESULTS = Path(__file__).parent / "results"
PRECISIONS = {"float32": None, "bfloat16": torch.bfloat16}


def profiled(captured, autocast_dtype, steps, top):
    """Milliseconds per step and the ``top`` operators by self CPU time per step, by name and by input shapes."""
    training_loop.bare_loop(captured, n_iter=10, autocast_dtype=autocast_dtype)  # warm-up
    started = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        training_loop.bare_loop(captured, n_iter=steps, autocast_dtype=autocast_dtype)
    ms_per_step = (time.perf_counter() - started) * 1000 / steps

    def rows(averages):
        ranked = sorted(averages, key=lambda event: -event.self_cpu_time_total)[:top]
        return [dict(op=event.key, ms_per_step=event.self_cpu_time_total / 1000 / steps,
                     calls_per_step=event.count / steps, input_shapes=str(event.input_shapes or ""))
                for event in ranked]

    averages = prof.key_averages()
    own_cpu_ms = sum(event.self_cpu_time_total for event in averages) / 1000
    return dict(ms_per_step=ms_per_step, self_cpu_ms_per_step=own_cpu_ms / steps,
                by_operator=rows(averages),
                by_operator_and_shape=rows(prof.key_averages(group_by_input_shape=True)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", required=True)
    parser.add_argument("--work-dir", required=True, help="benchmarks/abstention.py's --work-dir (trusted)")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    started = time.perf_counter()
    data = load_benchmark_data("mnist", args.data_home)
    net = training_loop.saved_lenet5(parser, args.work_dir)
    name, gwin, X, y = training_loop.loop_settings(net, data)[0]
    captured = training_loop.captured_fit(gwin.set_params(n_iter=20), X, y)
    profiles = {}
    for precision, dtype in PRECISIONS.items():
        profiles[precision] = profiled(captured, dtype, args.steps, args.top)
        print(f"[{precision}] {profiles[precision]['ms_per_step']:.1f} ms per step under the profiler, "
              f"{profiles[precision]['self_cpu_ms_per_step']:.1f} ms of operators' own CPU time")
        for row in profiles[precision]["by_operator"]:
            print(f"    {row['op']:45s} {row['ms_per_step']:6.2f} ms  {row['calls_per_step']:5.1f} calls")
    output = dict(setting=name, steps=args.steps, profiles=profiles, torch_threads=torch.get_num_threads(),
                  machine=machine(), date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                  seconds=round(time.perf_counter() - started),
                  command="python benchmarks/step_profile.py --data-home ../shared/data --work-dir <abstention.py's>")
    (RESULTS / "step_profile.json").write_text(json.dumps(output, indent=1) + "\n")
    print(f"wrote {RESULTS / 'step_profile.json'} ({output['seconds']} s)")


if __name__ == "__main__":
    main()
