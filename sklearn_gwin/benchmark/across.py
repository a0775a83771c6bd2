"""Verdicts across several fitted classifiers: is a GWIN's win the recipe's, or one classifier's?

Two classifiers trained alike (same data, epochs and settings, another seed)
reject different test rows and differ on them by more than a GWIN's effect. A
benchmark around one classifier says whether the GWIN wins around *that*
classifier. This module pools the benchmark's results around several: per τ
and alternative, the mean over classifiers of the GWIN's advantage on each
classifier's rejected rows, a 95% interval that resamples each classifier's
rows on its own, and each classifier's own verdict beside it.

Everything here is numpy on the ``per_row`` record of each result, so results
saved by separate runs (``gwin benchmark --bnn-seeds``) can be pooled later.
"""

import json
import math

import numpy as np

from .scoring import compare_rows, stratified_bootstrap_interval, verdict

# C's labels on the unchanged rows: GWIN minus this is Tables 1-2's "Rejected Acc. Δ"
OWN_LABELS = "BNN, its own labels"


def _decoded(bits):
    return np.frombuffer(bits.encode(), dtype=np.uint8) == ord("1")


def _seed_mean_correct(result, method, rejected):
    """Per rejected row, the fraction of seeds on which ``method`` is right."""
    per_row = result["per_row"]
    if method == OWN_LABELS:
        return _decoded(per_row["base_correct"])[rejected].astype(float)
    if method not in per_row["correct"]:
        raise ValueError(f"{method!r} is not among the methods {sorted(per_row['correct'])}.")
    return np.mean([_decoded(bits)[rejected] for bits in per_row["correct"][method]], axis=0)


def _check_poolable(results):
    if len(results) < 2:
        raise ValueError(f"Pooling needs results around at least two classifiers, got {len(results)}.")
    missing = [i for i, r in enumerate(results) if "per_row" not in r]
    if missing:
        raise ValueError(
            f"Results {missing} have no per_row record (saved before sklearn-gwin recorded it); rerun them."
        )
    # the GWIN's settings too: two runs may call different GWINs by the same name
    keys = {
        (r["dataset"], r.get("classifier", "lenet5"), r["main_variant"], r.get("pooled_variant"),
         json.dumps(r["variants"][r["main_variant"]], sort_keys=True, default=str))
        for r in results
    }
    if len(keys) > 1:
        raise ValueError(f"These results are not of one dataset, classifier kind and GWIN: {sorted(keys, key=str)}.")
    seeds = [r.get("bnn_seed") for r in results]
    if len(set(seeds)) < len(seeds):
        raise ValueError(f"Two results are around the same classifier seed: {seeds}.")
    taus = {tuple(row["tau"] for row in r["rows"]) for r in results}
    if len(taus) > 1:
        raise ValueError("These results were scored at different taus.")


def pooled_comparison(results, first, second, tau, random_state=0):
    """Method ``first`` minus method ``second`` on the rows rejected at ``tau``, over ``results``.

    Returns
    -------
    comparison : dict
        ``difference`` (mean over classifiers of the mean per-row difference,
        in points), ``ci`` (95%, each classifier's rows resampled on their
        own), ``verdict``, and ``per_classifier``: each classifier's
        difference, interval and verdict, as its own benchmark result gives them.
    """
    return _pooled([(result, first, result, second) for result in results], tau, random_state)


def _pooled(pairs, tau, random_state):
    """:func:`pooled_comparison` of ``(result, method, other_result, other_method)`` per classifier.

    Both results of a pair are around the same classifier, so its certainty
    picks the same rejected rows in each.
    """
    differences = []
    for result, method, other_result, other_method in pairs:
        rows = np.asarray(result["per_row"]["certainty"]) < tau
        differences.append(
            _seed_mean_correct(result, method, rows) - _seed_mean_correct(other_result, other_method, rows)
        )
    low, high = stratified_bootstrap_interval(differences, np.random.RandomState(random_state))
    empty = any(len(values) == 0 for values in differences)
    return dict(
        difference=math.nan if empty else float(100 * np.mean([values.mean() for values in differences])),
        ci=(100 * low, 100 * high),
        verdict=verdict(low, high),
        # each classifier's comparison exactly as its own benchmark result gives it
        per_classifier=[compare_rows(values, random_state) for values in differences],
    )


def head_to_head(first_results, second_results, first_method, second_method, tau, random_state=0):
    """``first_method`` of one benchmark run minus ``second_method`` of another, around the same classifiers.

    Two presets (two GWINs, say the default and ``augmentation="affine"``)
    benchmarked around the same fitted classifiers score the same rejected
    rows, so their methods can be compared row by row, as
    :func:`pooled_comparison` compares the methods of one run.

    Parameters
    ----------
    first_results, second_results : list of dict
        Benchmark results, one per classifier, in the same order of classifier seeds.
    first_method, second_method : str
        A method of the first and of the second results (or :data:`OWN_LABELS`).
    tau : float
    random_state : int, default=0

    Returns
    -------
    comparison : dict
        As :func:`pooled_comparison` returns it.
    """
    if len(first_results) != len(second_results):
        raise ValueError(f"{len(first_results)} results against {len(second_results)}: pair them by classifier.")
    for first, second in zip(first_results, second_results):
        same = (first["dataset"], first.get("classifier", "lenet5"), first.get("bnn_seed")) == (
            second["dataset"], second.get("classifier", "lenet5"), second.get("bnn_seed"))
        # the same classifier rejects the same rows with the same certainty in both runs
        if not same or first["per_row"]["certainty"] != second["per_row"]["certainty"]:
            raise ValueError(
                f"Results around classifier seed {first.get('bnn_seed')} ({first['dataset']}) and "
                f"{second.get('bnn_seed')} ({second['dataset']}) do not score the same rejected rows."
            )
    pairs = [(first, first_method, second, second_method) for first, second in zip(first_results, second_results)]
    return _pooled(pairs, tau, random_state)


def _on_top_pairs(main):
    """(GWIN on top of an alternative, that alternative alone), as the benchmark names them."""
    return [(f"{main} + TTA", "TTA"), (f"{main} + second model", "base + second model")]


def across_classifiers(results, random_state=0):
    """The GWIN against each alternative, pooled over benchmark results around several classifiers.

    Parameters
    ----------
    results : list of dict
        Results of :func:`~sklearn_gwin.benchmark.runner.run_dataset` (or their
        saved JSON) for one dataset, classifier kind and GWIN, each around a
        classifier C of another seed.
    random_state : int, default=0
        Seed of the bootstraps.

    Returns
    -------
    summary : dict
        JSON-ready. ``rows``, one per τ, with ``n_rejected`` (per classifier)
        and ``versus`` (the main GWIN) and, when the results pooled noise
        draws, ``versus_pooled`` (that GWIN) and ``versus_pooled_input`` (that
        GWIN with the rejected row pooled in, ``pool_input=True``): per
        alternative, ``difference`` (mean over classifiers of the mean per-row
        difference, in points),
        ``ci`` (95%, each classifier's rows resampled on their own),
        ``verdict`` and ``per_classifier`` (difference, interval and verdict around each),
        as :func:`pooled_comparison` gives them. Only methods that every
        result scored are compared, and the classifier's own labels
        (:data:`OWN_LABELS`) as one more. ``on_top``: the GWIN on top of TTA
        against TTA alone, and on top of the second model against the
        classifier and the second model without the GWIN.
    """
    _check_poolable(results)
    first = results[0]
    common = [m for m in first["per_row"]["correct"] if all(m in r["per_row"]["correct"] for r in results)]
    gwins = {"versus": first["main_variant"]}
    if first.get("pooled_variant"):
        gwins["versus_pooled"] = first["pooled_variant"]
        # GWINClassifier(pool_input=True): the rejected row pooled with its regenerations
        if f"{first['pooled_variant']} + input" in common:
            gwins["versus_pooled_input"] = f"{first['pooled_variant']} + input"
    rows = []
    for i, tau in enumerate(row["tau"] for row in first["rows"]):
        row = dict(tau=tau, n_rejected=[r["rows"][i]["n_rejected"] for r in results])
        for key, gwin in gwins.items():
            # the main GWIN against every other method; the pooled ones against the alternatives
            # to a GWIN, GWIN + alternative and each other, as in the benchmark's own tables
            others = [OWN_LABELS] + [
                m for m in common if m != gwin and (key == "versus" or m not in first["variants"])
            ]
            row[key] = {other: pooled_comparison(results, gwin, other, tau, random_state) for other in others}
        # the paper calls the framework additive: does the GWIN add to each alternative?
        row["on_top"] = {
            f"{on_top} against {alone}": pooled_comparison(results, on_top, alone, tau, random_state)
            for on_top, alone in _on_top_pairs(first["main_variant"])
            if on_top in common and alone in common
        }
        rows.append(row)
    return dict(
        dataset=first["dataset"],
        classifier=first.get("classifier", "lenet5"),
        preset=first.get("preset"),
        bnn_seeds=[r.get("bnn_seed") for r in results],
        base_accuracy=[r["base_accuracy"] for r in results],
        main_variant=first["main_variant"],
        pooled_variant=first.get("pooled_variant"),
        rows=rows,
    )


def main(argv=None):
    """Pool saved results: ``python -m sklearn_gwin.benchmark.across FILE FILE... [--out SUMMARY.json]``."""
    import argparse
    from pathlib import Path

    from .report import format_across

    parser = argparse.ArgumentParser(prog="python -m sklearn_gwin.benchmark.across", description=main.__doc__)
    parser.add_argument("results", nargs="+", help="paper_tables_*.json of one dataset, one per classifier seed")
    parser.add_argument("--out", help="where to write the summary's JSON")
    args = parser.parse_args(argv)
    try:
        summary = across_classifiers([json.loads(Path(path).read_text()) for path in args.results])
    except (ValueError, OSError, KeyError) as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    if args.out:
        Path(args.out).write_text(json.dumps(summary, indent=1, default=float))
    print(format_across(summary))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
