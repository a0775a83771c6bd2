"""Run the paper's evaluation (Section 5) with the alternatives a user would pick instead.

For each dataset: a Bayesian LeNet-5 (or the improved BNN) is trained once and
frozen; GWINs are trained around it for several seeds (and ablations); a second
net of the same kind gets the GWIN's training time; every method is scored on
the same rejected test rows. With several classifier seeds, all of this is done
around each classifier and the verdicts are pooled across them (``across.py``).
Every fitted model is saved under ``work_dir``, so that a rerun resumes.
"""

import hashlib
import json
import platform
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_memory

from .. import __version__
from .._augmentation_choice import choose_augmentation
from .._device import resolve_device
from .._fitting import certainty_pass
from .._gwin import GWINClassifier
from .._labelling import pooled_label_and_certainty
from ..bnn import BayesianLeNet5, ImprovedBNN
from ..datasets import get_data_home
from .alternatives import bnn_outputs, equal_compute_epochs, tta_proba
from .data import PAPER_DATASETS, load_benchmark_data, load_validation_data
from .paper_results import paper_row
from .presets import CLASSIFIER_NAMES, resolve_preset
from .scoring import compare, score_methods
from .store import ModelStore

FRESH_DRAWS = "BNN, fresh MC draws"
NETS = {"lenet5": BayesianLeNet5, "improved": ImprovedBNN}
# prefixes of the saved models; the LeNet-5's are those of the first runs, so they still resume
MODEL_TAGS = {"lenet5": ("bnn_lenet5", "bnn", "second_lenet5"), "improved": ("bnn_ibnn", "ibnn", "second_ibnn")}
ORDER = (FRESH_DRAWS, "TTA", "second model", "base + second model")


def _ordered(predictions, variants):
    """Methods in table order: GWIN variants, alternatives, GWIN + alternative."""
    names = [*variants, *ORDER]
    names += [n for n in predictions if n not in names]
    return {n: predictions[n] for n in names if n in predictions}


def _settings_key(params):
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


def machine(device="cpu"):
    """The machine a result was measured on, in words: its GPU too when ``device`` is CUDA."""
    text = (
        f"{platform.machine()}, {torch.get_num_threads()} torch threads, torch {torch.__version__}, "
        f"sklearn-gwin {__version__}"
    )
    device = torch.device(device)
    if device.type == "cuda":
        text += f", {torch.cuda.get_device_name(device)}"
    return text


def write_result(path, started, command, **fields):
    """Write a benchmark's ``fields`` to the JSON file ``path`` with the machine, date, seconds and command.

    ``started`` is the run's ``time.perf_counter()`` at its start. Returns the
    record written.
    """
    record = dict(fields, machine=machine(), date=time.strftime("%Y-%m-%d"),
                  seconds=round(time.perf_counter() - started), command=command)
    Path(path).write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {path} ({record['seconds']} s)")
    return record


def fit_classifier(classifier, data, max_epochs, seed, device="cpu", verbose=0):
    """A Bayesian net of kind ``classifier`` ("lenet5" or "improved") fitted on ``data``'s training rows."""
    net = NETS[classifier](
        image_shape=data.image_shape, max_epochs=max_epochs, random_state=seed, device=str(device), verbose=verbose
    )
    return net.fit(data.X_train, data.y_train)


def saved_classifier(store, data, classifier="lenet5", max_epochs=30, seed=0, device="cpu", verbose=0):
    """The benchmark's classifier C from ``store``, fitted and saved there first if missing.

    Returns
    -------
    net : fitted Bayesian net
    seconds : float
        Wall time of its fit.
    """
    name = f"{MODEL_TAGS[classifier][0]}_{max_epochs}ep_seed{seed}"
    return store.get(name, lambda: fit_classifier(classifier, data, max_epochs, seed, device, verbose))


def saved_cpu_lenet5(dataset, data_home, work_dir):
    """The ``cpu`` preset's Bayesian LeNet-5, its data and the validation rows.

    For the scripts in ``benchmarks/`` that train GWINs around the same frozen
    classifier as ``gwin benchmark``: the net is loaded from
    ``work_dir/dataset``, fitted and saved there first if missing.

    Returns
    -------
    data : Bunch
        As :func:`~sklearn_gwin.benchmark.data.load_benchmark_data` returns it.
    validation : tuple of ndarray
        ``(X_val, y_val)``, the paper's 10,000 validation rows.
    net : fitted BayesianLeNet5
    """
    preset = resolve_preset("cpu")[1]
    data = load_benchmark_data(dataset, data_home)
    store = ModelStore(Path(work_dir) / dataset)
    net, _ = saved_classifier(store, data, "lenet5", preset["bnn_epochs"], preset["bnn_seed"])
    return data, load_validation_data(dataset, data_home), net


def classifier_tag(classifier, max_epochs, seed):
    """How the saved models around one classifier C name it, e.g. "bnn30ep0"."""
    return f"{MODEL_TAGS[classifier][1]}{max_epochs}ep{seed}"


def shared_certainty_pass(store, frozen, X_train, tag):
    """The classifier's certainty pass over the training rows, cached for every GWIN.

    The pass that builds Pc is most of a short GWIN fit. It is cached (the
    GWIN's ``memory=``) and shared by every GWIN around this classifier, and
    timed once, so that each GWIN can still be charged for it when a second
    model gets "the same compute".

    Returns
    -------
    memory : joblib.Memory
        To pass as the GWINs' ``memory``.
    seconds : float
        Wall time of the pass when it was first run.
    """
    memory = check_memory(str(store.root / "cache"))
    _, seconds = store.get(f"train_certainty_{tag}", lambda: certainty_pass(memory, frozen, X_train, "auto"))
    # the cache is dropped when the pass's code changes; fill it again here,
    # so that no GWIN's fit time includes the pass twice
    certainty_pass(memory, frozen, X_train, "auto")
    return memory, seconds


def saved_gwin(store, frozen, data, params, seed, tag, *, memory=None, device="cpu", verbose=0):
    """A GWIN with ``params`` around ``frozen``, from ``store`` (fitted and saved first if missing).

    Models are named by their settings, the classifier's ``tag`` (see
    :func:`classifier_tag`) and the seed, so that every script that asks for
    the same GWIN gets the benchmark's.

    Returns
    -------
    gwin : fitted GWINClassifier
    seconds : float
        Wall time of its fit (without the shared certainty pass, when cached).
    """
    return store.get(
        f"gwin_{_settings_key(params)}_{tag}_seed{seed}",
        lambda: GWINClassifier(
            frozen, image_shape=data.image_shape, device=device, random_state=seed, memory=memory,
            verbose=verbose, **params
        ).fit(data.X_train, data.y_train),
    )


def resolved_augmentation(store, frozen, validation, params, seed, tag, image_shape):
    """``params`` with ``augmentation="auto"`` replaced by what the GWIN's fit would choose.

    The choice is :func:`~sklearn_gwin.choose_augmentation`, which
    ``GWINClassifier.fit(X, y, X_val=..., y_val=...)`` calls, on the paper's
    validation rows (``validation``: ``(X_val, y_val)`` or None) and the same
    seed; it leaves the GAN's training that of the fixed choice
    (tests/test_augment.py), so the GWIN is the saved one of the chosen
    augmentation.

    Returns
    -------
    params : dict
    choice : dict or None
        ``augmentation`` chosen and the evidence of the choice; None when
        ``params`` did not ask for "auto".
    seconds : float
        What the choice cost, to charge to the GWIN's fit.
    """
    if params.get("augmentation") != "auto":
        return params, None, 0.0
    X_val, y_val = validation if validation is not None else (None, None)
    (augmentation, evidence), seconds = store.get(
        f"augmentation_choice_{tag}_seed{seed}",
        lambda: choose_augmentation(
            frozen, X_val, y_val, image_shape, tau_star=params.get("tau_star", GWINClassifier().tau_star), seed=seed
        ),
    )
    return {**params, "augmentation": augmentation}, dict(augmentation=augmentation, **evidence), seconds


def second_model_seed(bnn_seed, seed):
    """Seed of the equal-compute second model beside GWIN ``seed`` around classifier ``bnn_seed``.

    Around classifier seed 0 it is ``1000 + seed``, the seed of the first runs,
    so that their saved second models still load; every other classifier seed
    gets second models of its own, so that verdicts across classifiers do not
    all lean on the same second nets.
    """
    return 1000 * (bnn_seed + 1) + seed


def _bits(correct):
    """Per-row correctness as a string of 0s and 1s: compact in the JSON, one character a row."""
    return "".join("1" if c else "0" for c in correct)


def run_dataset(dataset, preset, store, data_home, device, log, verbose, bnn_seed=None):
    """Fit (or load) every model of one dataset and score every method.

    Parameters
    ----------
    bnn_seed : int, default=None
        Seed of the classifier C; None: the preset's ``bnn_seed``. The
        ablations (variants other than the main one) are fitted around the
        preset's classifier only.
    device : torch.device
        As resolved by ``run_benchmark``.
    log : callable
        Takes one line of progress.
    verbose : int
        Passed to the nets and GWINs (epoch tables, progress bars).

    Returns
    -------
    result : dict
        JSON-ready tables, comparisons and timings.
    arrays : dict
        The predictions behind them (for the figures).
    """
    started = time.perf_counter()
    # the store is shared by the classifier seeds of one dataset: count only this run's loads
    loaded_before = store.loaded_seconds
    data = load_benchmark_data(dataset, data_home)
    shape = data.image_shape
    taus = preset["taus"]
    bnn_seed = preset["bnn_seed"] if bnn_seed is None else bnn_seed
    variants = tuple(preset["variants"]) if bnn_seed == preset["bnn_seed"] else (preset["main_variant"],)
    epochs = preset["bnn_epochs"]
    classifier = preset.get("classifier", "lenet5")
    second_tag = MODEL_TAGS[classifier][2]

    log(f"[{dataset}] {CLASSIFIER_NAMES[classifier]}, {epochs} epochs, seed {bnn_seed}")
    bnn, bnn_seconds = saved_classifier(store, data, classifier, epochs, bnn_seed, device, verbose)
    epoch_seconds = bnn_seconds / len(bnn.history)
    y_test = np.searchsorted(bnn.classes_, data.y_test)
    base = bnn_outputs(bnn, data.X_test, y_test)
    log(f"[{dataset}] test accuracy {100 * np.mean(base['label'] == y_test):.2f}%")
    candidates = np.flatnonzero(base["certainty"] < max(taus))
    X_rejected = data.X_test[candidates]

    frozen = FrozenEstimator(bnn)
    tag = classifier_tag(classifier, epochs, bnn_seed)
    # held-out rows for augmentation="auto" (none for digits, which has no validation split)
    wants_auto = any({**preset["gwin"], **preset["variants"][v]}.get("augmentation") == "auto" for v in variants)
    validation = load_validation_data(dataset, data_home) if wants_auto and dataset in PAPER_DATASETS else None
    memory, pass_seconds = shared_certainty_pass(store, frozen, data.X_train, tag)
    n_regen = preset.get("n_regen", 1)
    pooled_name = f"{preset['main_variant']}, n_regen={n_regen}" if n_regen > 1 else None

    predictions, seconds, true_certainty, examples, chosen = {}, {}, {}, {}, {}
    main = preset["main_variant"]
    for variant in variants:
        params = {**preset["gwin"], **preset["variants"][variant]}
        seeds = preset["seeds"] if variant == main else preset["ablation_seeds"]
        for seed in seeds:
            log(f"[{dataset}] GWIN '{variant}', seed {seed}: {params}")
            fit_params, choice, choice_seconds = resolved_augmentation(
                store, frozen, validation, params, seed, tag, shape
            )
            if choice is not None:
                log(f"[{dataset}] augmentation='auto' chose {choice}")
                chosen.setdefault(variant, []).append(choice)
            gwin, fit_seconds = saved_gwin(
                store, frozen, data, fit_params, seed, tag, memory=memory, device=device, verbose=verbose
            )
            fit_seconds += pass_seconds + choice_seconds
            regenerated = gwin.regenerate(X_rejected)
            after = bnn_outputs(bnn, regenerated, y_test[candidates])
            predictions.setdefault(variant, []).append(after["label"])
            seconds.setdefault(variant, []).append(fit_seconds)
            true_certainty.setdefault(variant, []).append(after["true_certainty"])
            # Figure 2 shows every variant's first seed
            examples.setdefault(variant, dict(X_regenerated=regenerated, after=after))
            if variant != main:
                continue
            if n_regen > 1:
                versions = [regenerated] + [gwin.regenerate(X_rejected, draw=k) for k in range(1, n_regen)]
                pooled = pooled_label_and_certainty(bnn, versions)[0]
                predictions.setdefault(pooled_name, []).append(np.searchsorted(bnn.classes_, pooled))
                # the unchanged row as one more version: GWIN on top of fresh draws
                with_input = pooled_label_and_certainty(bnn, [X_rejected, *versions])[0]
                predictions.setdefault(f"{pooled_name} + input", []).append(
                    np.searchsorted(bnn.classes_, with_input)
                )
            predictions.setdefault(f"{main} + TTA", []).append(tta_proba(bnn, regenerated, shape).argmax(axis=1))
            gwin_proba = after["proba"]
            second_epochs = equal_compute_epochs(fit_seconds, epoch_seconds)
            log(f"[{dataset}] second {CLASSIFIER_NAMES[classifier]} for the same compute: {second_epochs} epochs, "
                f"seed {seed}")
            second_seed = second_model_seed(bnn_seed, seed)
            second, second_seconds = store.get(
                f"{second_tag}_{second_epochs}ep_seed{second_seed}",
                lambda: fit_classifier(classifier, data, second_epochs, second_seed, device, verbose),
            )
            second_proba = second.predict_proba(X_rejected)
            predictions.setdefault("second model", []).append(second_proba.argmax(axis=1))
            seconds.setdefault("second model", []).append(second_seconds)
            predictions.setdefault("base + second model", []).append(
                (base["proba"][candidates] + second_proba).argmax(axis=1)
            )
            predictions.setdefault(f"{main} + second model", []).append((gwin_proba + second_proba).argmax(axis=1))
    # the identity generator: the same rows, new Monte Carlo draws. Rows are
    # rejected for low certainty in one set of draws; fresh draws alone move
    # some of them to the right label (regression to the mean), and every
    # method here benefits from that, so it is the baseline a GWIN must beat.
    predictions[FRESH_DRAWS] = [bnn_outputs(bnn, X_rejected, y_test[candidates])["label"]]
    predictions["TTA"] = [tta_proba(bnn, X_rejected, shape).argmax(axis=1)]
    predictions = _ordered(predictions, variants)

    rows = score_methods(y_test, base["label"], base["certainty"], candidates, predictions, taus)
    for row in rows:
        row["paper"] = paper_row(dataset, row["tau"], classifier)
        row["versus"] = {
            other: compare(y_test, base["certainty"], candidates, predictions[main], predictions[other], row["tau"])
            for other in predictions
            if other != main
        }
        if pooled_name:
            # the same question for the pooled GWIN, against what a user would pick instead
            row["versus_pooled"] = {
                other: compare(y_test, base["certainty"], candidates, predictions[pooled_name], predictions[other],
                               row["tau"])
                for other in predictions
                if other not in variants and other != pooled_name
            }
    result = dict(
        dataset=dataset,
        classifier=classifier,
        bnn_seed=bnn_seed,
        n_train=len(data.X_train),
        n_test=len(data.X_test),
        base_accuracy=float(100 * np.mean(base["label"] == y_test)),
        bnn_epochs=epochs,
        bnn_fit_seconds=bnn_seconds,
        certainty_pass_seconds=pass_seconds,
        main_variant=main,
        pooled_variant=pooled_name,
        variants={name: {**preset["gwin"], **preset["variants"][name]} for name in variants},
        fit_seconds={name: [float(s) for s in values] for name, values in seconds.items()},
        # per variant with augmentation="auto", per seed: what it chose and why
        augmentation_chosen=chosen,
        rows=rows,
        # what verdicts across classifiers need (sklearn_gwin.benchmark.across): per
        # rejected row, C's certainty and whether C and each method (per seed) label it right
        per_row=dict(
            certainty=[float(c) for c in base["certainty"][candidates]],
            base_correct=_bits(base["label"][candidates] == y_test[candidates]),
            correct={
                name: [_bits(p == y_test[candidates]) for p in values] for name, values in predictions.items()
            },
        ),
        wall_seconds=time.perf_counter() - started,
        resumed_fit_seconds=store.loaded_seconds - loaded_before,
    )
    arrays = dict(
        y=y_test, base=base, candidates=candidates, predictions=predictions,
        true_certainty=true_certainty, X_rejected=X_rejected, examples=examples, classes=bnn.classes_,
    )
    return result, arrays


def run_benchmark(
    preset="cpu-warp", *, datasets=None, seeds=None, bnn_seeds=None, ablations=True, data_home=None, work_dir=None,
    out_dir="gwin-benchmark-results", device="auto", figures=True, log=print,
):
    """Run the benchmark, write its JSON (and figures) to ``out_dir``, return the results.

    Parameters
    ----------
    preset : str or dict, default="cpu-warp"
        A name of :data:`~sklearn_gwin.benchmark.presets.PRESETS` or a preset dict.
    datasets : sequence of str, default=None
        Overrides the preset's datasets.
    seeds : sequence of int, default=None
        Overrides the preset's GWIN seeds.
    bnn_seeds : sequence of int, default=None
        Seeds of the classifiers C to run everything around (default: the
        preset's ``bnn_seed``). With several, the verdicts are also pooled
        across them (:func:`~sklearn_gwin.benchmark.across.across_classifiers`).
    ablations : bool, default=True
        False fits the main GWIN variant only.
    data_home : str, default=None
        Where the IDX files are (see :func:`~sklearn_gwin.datasets.fetch_mnist`).
    work_dir : str, default=None
        Where fitted models are saved; default ``<data_home>/benchmark``.
    out_dir : str, default="gwin-benchmark-results"
        Where the JSON results and figures are written.
    device : str, default="auto"
    figures : bool, default=True
        Draw Figures 2-5 (needs matplotlib) around the first classifier.
    log : callable or None, default=print
        None runs silently.

    Returns
    -------
    results : dict
        Keyed as the files written, ``paper_tables_<preset>_<key>.json``: the
        dataset for the preset's classifier seed, ``<dataset>_bnn-seed<k>``
        for any other, and ``<dataset>_across-classifiers`` for the summary
        across several.
    """
    from .across import across_classifiers
    from .report import format_across, format_tables

    name, settings = resolve_preset(preset, datasets=datasets, seeds=seeds, bnn_seeds=bnn_seeds, ablations=ablations)
    device = resolve_device(device)
    say = log or (lambda *a, **k: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work_dir = Path(work_dir) if work_dir else Path(get_data_home(data_home)) / "benchmark"
    say(f"models are saved in {work_dir.resolve()} (a rerun resumes from them), results in {out_dir.resolve()}")
    results = {}

    def write(key, result):
        path = out_dir / f"paper_tables_{name}_{key}.json"
        path.write_text(json.dumps(result, indent=1, default=float))
        results[key] = result
        return path

    for dataset in settings["datasets"]:
        store = ModelStore(work_dir / dataset, log=say)
        around = []
        for bnn_seed in settings["bnn_seeds"]:
            result, arrays = run_dataset(
                dataset, settings, store, data_home, device, say, int(log is not None), bnn_seed=bnn_seed
            )
            result.update(preset=name, machine=machine(device), settings=settings)
            key = dataset if bnn_seed == settings["bnn_seed"] else f"{dataset}_bnn-seed{bnn_seed}"
            path = write(key, result)
            say(format_tables(result))
            say(f"[{dataset}] wrote {path} ({result['wall_seconds'] / 60:.1f} min)")
            if figures and not around:
                from .figures import draw_figures

                for figure in draw_figures(result, arrays, out_dir / "figures" / f"{name}_{key}"):
                    say(f"[{dataset}] wrote {figure}")
            around.append(result)
        if len(around) > 1:
            summary = across_classifiers(around)
            path = write(f"{dataset}_across-classifiers", summary)
            say(format_across(summary))
            say(f"[{dataset}] wrote {path}")
    return results
