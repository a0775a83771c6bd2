"""How many noise draws per rejected row? A GWIN's pooled draws against as many fresh Monte Carlo draws, and TTA.

    python benchmarks/n_regen.py --preset cpu-warp --dataset mnist --data-home ../shared/data --work-dir <work dir>
    python benchmarks/n_regen.py --preset cpu-warp --dataset mnist --summary
    python benchmarks/n_regen.py --preset cpu-warp-improved --dataset mnist --device cuda --data-home ... --work-dir ...

Uses the classifier and the main GWINs (one per seed) that ``gwin benchmark
--preset <preset>`` saved under ``--work-dir`` (fitted and saved there first
when missing, under the same names). On the rejected test rows, each GWIN
pools the classifier's Monte Carlo draws over ``k`` regenerated versions of
each row (``n_regen=k``), for several ``k``.

More draws are more classifier passes, and more Monte Carlo draws alone also
move labels; so each ``k`` is matched by the classifier asked ``k`` times as
often on the unchanged rows ("BNN, k x MC draws"), the same number of
classifier passes. TTA (7 views) is the alternative that pools the most passes
in the main benchmark. Writes benchmarks/results/n_regen_<preset>_<dataset>.json
(``..._cuda.json`` for a run on a GPU, whose models and scores differ from a
CPU run's); ``--summary`` prints its tables.
"""

import argparse
import copy
import json
import time
from pathlib import Path

import numpy as np
from sklearn.frozen import FrozenEstimator

from sklearn_gwin.bnn.classifier import _softmax
from sklearn_gwin.certainty import monte_carlo_certainty
from sklearn_gwin.benchmark.alternatives import augmented_views, bnn_outputs, tta_proba
from sklearn_gwin.benchmark.data import DATASETS, load_benchmark_data
from sklearn_gwin.benchmark.presets import PRESETS, resolve_preset
from sklearn_gwin._device import resolve_device
from sklearn_gwin.benchmark.runner import classifier_tag, machine, saved_classifier, saved_gwin, shared_certainty_pass
from sklearn_gwin.benchmark.scoring import compare, score_methods
from sklearn_gwin.benchmark.store import ModelStore

DRAWS = (1, 3, 7, 15)
RESULTS = Path(__file__).parent / "results"


def gwin_name(k):
    return f"GWIN, n_regen={k}"


def fresh_name(k):
    return f"BNN, {k} x MC draws"


def run(preset, dataset, data_home, work_dir, draws=DRAWS, device="cpu", bnn_seed=None):
    """Score every ``k`` of ``draws`` on the rejected test rows.

    Parameters
    ----------
    preset : str or dict
        A benchmark preset (its classifier, GWIN settings, seeds and taus).
    dataset : str
    data_home, work_dir : str or Path
        As for ``gwin benchmark``; its saved models are reused.
    draws : tuple of int, ascending
    device : str, default="cpu"
        Where the classifier and the GWINs are fitted and run ("cpu", "cuda", "auto").
    bnn_seed : int, default=None
        Seed of the classifier; None: the preset's. Another seed fits (and
        saves) another classifier and GWINs around it.

    Returns
    -------
    result : dict
        JSON-ready: per tau, every method's scores and the verdicts of each
        ``n_regen=k`` against k times the Monte Carlo draws, TTA and one draw.
    """
    started = time.perf_counter()
    device = resolve_device(device)
    preset_name, preset = resolve_preset(preset, datasets=[dataset])
    taus = [t for t in preset["taus"] if t >= 0.5]
    classifier = preset.get("classifier", "lenet5")
    epochs = preset["bnn_epochs"]
    bnn_seed = preset["bnn_seed"] if bnn_seed is None else bnn_seed
    data = load_benchmark_data(dataset, data_home)
    store = ModelStore(Path(work_dir) / dataset)
    bnn, _ = saved_classifier(store, data, classifier, epochs, bnn_seed, device)
    y_test = np.searchsorted(bnn.classes_, data.y_test)
    base = bnn_outputs(bnn, data.X_test, y_test)
    candidates = np.flatnonzero(base["certainty"] < max(taus))
    X_rejected = data.X_test[candidates]
    print(f"[{dataset}] {len(candidates)} test rows below tau {max(taus)}", flush=True)

    frozen = FrozenEstimator(bnn)
    tag = classifier_tag(classifier, epochs, bnn_seed)
    memory, _ = shared_certainty_pass(store, frozen, data.X_train, tag)
    params = {**preset["gwin"], **preset["variants"][preset["main_variant"]]}

    predictions, seconds = {}, {}
    for k in draws:
        # the same classifier, k times as many Monte Carlo draws per row
        more_draws = copy.copy(bnn)
        more_draws.n_mc_samples = k * bnn.n_mc_samples
        start = time.perf_counter()
        predictions[fresh_name(k)] = [bnn_outputs(more_draws, X_rejected, y_test[candidates])["label"]]
        seconds[fresh_name(k)] = time.perf_counter() - start
    start = time.perf_counter()
    predictions["TTA"] = [tta_proba(bnn, X_rejected, data.image_shape).argmax(axis=1)]
    seconds["TTA"] = time.perf_counter() - start

    for seed in preset["seeds"]:
        print(f"[{dataset}] GWIN seed {seed}: {params}", flush=True)
        gwin, _ = saved_gwin(store, frozen, data, params, seed, tag, memory=memory, device=device)
        # each version is regenerated and passed through the classifier once;
        # n_regen=k pools the first k, as GWINClassifier.predict does
        logits, version_seconds = [], []
        for i in range(max(draws)):
            start = time.perf_counter()
            logits.append(bnn.sample_logits(gwin.regenerate(X_rejected, draw=i)))
            version_seconds.append(time.perf_counter() - start)
        for k in draws:
            pooled = np.concatenate(logits[:k])
            label_index, _ = monte_carlo_certainty(_softmax(pooled), pooled)
            predictions.setdefault(gwin_name(k), []).append(label_index)
            # inference cost of k draws: their regeneration and the classifier's passes over them
            seconds.setdefault(gwin_name(k), []).append(sum(version_seconds[:k]))

    rows = score_methods(y_test, base["label"], base["certainty"], candidates, predictions, taus)
    for row in rows:
        tau = row["tau"]
        row["versus"] = {}
        for k in draws:
            for other in (fresh_name(k), "TTA", gwin_name(draws[0])):
                if other != gwin_name(k):
                    row["versus"][f"{gwin_name(k)} vs {other}"] = compare(
                        y_test, base["certainty"], candidates, predictions[gwin_name(k)], predictions[other], tau
                    )
    return dict(
        preset=preset_name,
        dataset=dataset,
        classifier=classifier,
        gwin=params,
        bnn_seed=bnn_seed,
        seeds=list(preset["seeds"]),
        draws=list(draws),
        n_mc_samples=bnn.n_mc_samples,
        tta_views=len(augmented_views(X_rejected[:1], data.image_shape)),
        n_candidates=len(candidates),
        # per method, seconds on the rejected rows (GWIN: mean over seeds)
        inference_seconds={name: float(np.mean(v)) for name, v in seconds.items()},
        rows=rows,
        device=str(device),
        machine=machine(device),
        wall_seconds=time.perf_counter() - started,
    )


def summarise(result):
    """Markdown tables: accuracy on the rejected rows, then the verdicts."""
    draws = result["draws"]
    passes = result["n_mc_samples"]
    lines = [
        # results saved before the classifier's seed was recorded all used the presets' seed 0
        f"{result['dataset']}, {result['classifier']} (seed {result.get('bnn_seed', 0)}), preset {result['preset']}, "
        f"seeds {result['seeds']}: "
        "accuracy (%) on the rejected test rows (GWIN: mean ± std over seeds)"
        # results saved before the device was recorded were all measured on CPU
        + f"; run on {result.get('device', 'cpu')} ({result.get('machine', 'not recorded')})",
        "",
        "| method | classifier passes per row | inference (s) | "
        + " | ".join(f"τ={r['tau']} ({r['n_rejected']})" for r in result["rows"]) + " |",
        "|---|---|---|" + "---|" * len(result["rows"]),
    ]
    passes_of = {"TTA": result["tta_views"] * passes}
    passes_of.update({fresh_name(k): k * passes for k in draws})
    passes_of.update({gwin_name(k): k * passes for k in draws})
    for name in ["TTA", *[fresh_name(k) for k in draws], *[gwin_name(k) for k in draws]]:
        cells = []
        for row in result["rows"]:
            mean, std = row["methods"][name]["accuracy"]
            cells.append(f"{mean:.1f}" + (f" ± {std:.1f}" if name.startswith("GWIN") else ""))
        timing = f"{result['inference_seconds'][name]:.1f}"
        lines.append(f"| {name} | {passes_of[name]} | {timing} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "GWIN minus the other on the same rows (points) with its 95% bootstrap interval: "
        "**wins** or loses where the interval excludes 0",
        "",
    ]
    lines.append("| comparison | " + " | ".join(f"τ={r['tau']}" for r in result["rows"]) + " |")
    lines.append("|---|" + "---|" * len(result["rows"]))
    for key in result["rows"][0]["versus"]:
        cells = []
        for row in result["rows"]:
            v = row["versus"][key]
            text = f"{v['difference']:+.1f} [{v['ci'][0]:+.1f}, {v['ci'][1]:+.1f}]"
            verdict = {"wins": f"**{text}**", "loses": f"loses {text}"}
            cells.append(verdict.get(v["verdict"], text))
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="cpu-warp", choices=sorted(PRESETS))
    parser.add_argument("--dataset", default="mnist", choices=DATASETS)
    parser.add_argument("--data-home")
    parser.add_argument("--work-dir")
    parser.add_argument("--draws", type=int, nargs="+", default=DRAWS, help="values of n_regen, ascending")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"],
                        help="where to fit and run; a CUDA run is saved beside the CPU one, as ..._cuda.json")
    parser.add_argument("--bnn-seed", type=int,
                        help="the classifier's seed, if not the preset's; saved as ..._bnn-seed<k>.json")
    parser.add_argument("--summary", action="store_true", help="only print the saved result's tables")
    args = parser.parse_args()
    suffix = ("_cuda" if args.device == "cuda" else "") + (
        "" if args.bnn_seed is None else f"_bnn-seed{args.bnn_seed}"
    )
    path = RESULTS / f"n_regen_{args.preset}_{args.dataset}{suffix}.json"
    if not args.summary:
        if not args.work_dir:
            parser.error("--work-dir is required unless --summary")
        draws = sorted(set(args.draws))
        if draws[0] < 1:
            parser.error("--draws must be positive")
        result = run(args.preset, args.dataset, args.data_home, args.work_dir, tuple(draws), args.device,
                     args.bnn_seed)
        path.write_text(json.dumps(result, indent=1, default=float))
        print(f"wrote {path} ({result['wall_seconds'] / 60:.1f} min)")
    print(summarise(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
