"""Scores and verdicts of benchmarks/tabular.py, from each cell's saved test labels (numpy only)."""

from collections import defaultdict

import numpy as np

from sklearn_gwin.benchmark.scoring import stratified_bootstrap_interval


FAMILY_COMPARISONS = ("gwin_minus_alone", "safe_minus_alone", "gwin_minus_best_alternative",
                      "safe_minus_best_alternative", "overall_gwin_minus_alone", "overall_safe_minus_alone")


def verdict(interval):
    low, high = interval
    if np.isnan(low):
        return "none"
    return "win" if low > 0 else "loss" if high < 0 else "tie"


def _difference(seeds, first, second, rows_of):
    """Mean over the chosen rows of all seeds of ``first - second`` correctness, and its 95% interval.

    Each seed's rows are resampled on their own and then pooled, so the interval
    is for the same row mean as the point estimate (a seed weighs by its rows).
    """
    groups = []
    for cell in seeds:
        rows = rows_of(cell)
        groups.append((cell[first][rows] == cell["y"][rows]).astype(float)
                      - (cell[second][rows] == cell["y"][rows]).astype(float))
    groups = [g for g in groups if len(g)]
    if not groups:
        return dict(mean=np.nan, low=np.nan, high=np.nan, verdict="none")
    low, high = stratified_bootstrap_interval(groups, np.random.RandomState(0), pooled=True)
    mean = float(np.mean(np.concatenate(groups)))
    return dict(mean=mean, low=low, high=high, verdict=verdict((low, high)))


def _accuracy(seeds, method, rows_of):
    right = np.concatenate([cell[method][rows_of(cell)] == cell["y"][rows_of(cell)] for cell in seeds])
    return float(right.mean()) if len(right) else np.nan


def summarise_cell(seeds, taus, methods, alternatives):
    everything = lambda cell: np.ones(len(cell["y"]), dtype=bool)  # noqa: E731
    out = dict(
        n_test=int(sum(len(cell["y"]) for cell in seeds)),
        overall={m: _accuracy(seeds, m, everything) for m in ("alone", "safe")},
        overall_safe_minus_alone=_difference(seeds, "safe", "alone", everything),
        chosen_taus=[float(cell["best_tau"]) for cell in seeds],
        p_values=[float(cell["p_value"]) for cell in seeds],
        held_out_wins=[bool(cell["held_out_win"]) for cell in seeds],
        surrogate_agreement=float(np.nanmean([cell["surrogate_agreement"] for cell in seeds])),
        fit_seconds=float(np.mean([cell["fit_seconds"] for cell in seeds])),
        by_tau={},
    )
    if all("score_only" in cell for cell in seeds):  # cells cached before the alpha=None labels have none
        out["overall_score_only_minus_alone"] = _difference(seeds, "score_only", "alone", everything)
        out["score_only_taus"] = [float(cell["score_only_tau"]) for cell in seeds]
    for tau in taus:
        rejected = lambda cell, tau=tau: cell["certainty"] < tau  # noqa: E731
        gwin_at_tau = [dict(cell, gwin_overall=np.where(rejected(cell), cell["gwin"], cell["alone"])) for cell in seeds]
        accuracy = {m: _accuracy(seeds, m, rejected) for m in methods}
        best_alternative = max(alternatives, key=lambda m: -1 if np.isnan(accuracy[m]) else accuracy[m])
        out["by_tau"][str(tau)] = dict(
            n_rejected=int(sum(rejected(cell).sum() for cell in seeds)),
            rejected_accuracy=accuracy,
            best_alternative=best_alternative,
            gwin_minus_alone=_difference(seeds, "gwin", "alone", rejected),
            safe_minus_alone=_difference(seeds, "safe", "alone", rejected),
            gwin_minus_best_alternative=_difference(seeds, "gwin", best_alternative, rejected),
            safe_minus_best_alternative=_difference(seeds, "safe", best_alternative, rejected),
            # the best of three is picked on these same rows, which favours the alternatives;
            # each one on its own is the comparison a user could make in advance
            gwin_minus_each={m: _difference(seeds, "gwin", m, rejected) for m in alternatives},
            safe_minus_each={m: _difference(seeds, "safe", m, rejected) for m in alternatives},
            overall_gwin_minus_alone=_difference(gwin_at_tau, "gwin_overall", "alone", everything),
        )
    return out


def summarise(cells, taus, methods, alternatives, min_rejected=30):
    """Per table x classifier scores, then counts of wins, ties and losses per classifier family."""
    grouped = defaultdict(list)
    for table, classifier, seed, cell in cells:
        grouped[(table, classifier)].append(cell)
    rows = [dict(table=t, classifier=c, **summarise_cell(seeds, taus, methods, alternatives))
            for (t, c), seeds in grouped.items()]
    regenerations = [regeneration_counts(f"{table} × {classifier}, seed {seed}", cell)
                     for table, classifier, seed, cell in cells if float(cell["best_tau"]) > 0]
    counts = {}
    for tau in taus:
        def difference(row, comparison, tau=tau):  # the safe mode's overall change does not depend on tau
            return row[comparison] if comparison == "overall_safe_minus_alone" else row["by_tau"][str(tau)][comparison]

        big = [row for row in rows if row["by_tau"][str(tau)]["n_rejected"] >= min_rejected]
        counts[str(tau)] = dict(
            per_family={family: {comparison: _verdict_counts(difference(r, comparison) for r in rows
                                                             if r["classifier"] == family)
                                 for comparison in FAMILY_COMPARISONS}
                        for family in dict.fromkeys(r["classifier"] for r in rows)},
            cells_with_enough_rejected=len(big),
            safe_beats_best_alternative=sum(r["by_tau"][str(tau)]["safe_minus_best_alternative"]["verdict"] == "win"
                                            for r in big),
            gwin_beats_best_alternative=sum(r["by_tau"][str(tau)]["gwin_minus_best_alternative"]["verdict"] == "win"
                                            for r in big),
            against_each={who: {m: _verdict_counts(r["by_tau"][str(tau)][f"{who}_minus_each"][m] for r in big)
                                for m in alternatives}
                          for who in ("gwin", "safe")},
        )
    return dict(rows=rows, counts=counts, min_rejected=min_rejected,
                safe_worse_overall=[(r["table"], r["classifier"]) for r in rows
                                    if r["overall_safe_minus_alone"]["verdict"] == "loss"],
                score_only=_score_only_counts(rows), regenerations=regenerations)


def _verdict_counts(differences):
    counts = dict(win=0, tie=0, loss=0, none=0)
    for difference in differences:
        counts[difference["verdict"]] += 1
    return counts


def regeneration_counts(name, cell):
    """What the safe mode did on one cell's test rows where it chose a tau > 0.

    Returns
    -------
    row : dict
        ``cell`` (``name``), ``tau`` and ``p_value`` from the folds, ``n_test``,
        and the test rows ``fixed`` (the classifier alone wrong, the safe mode
        right) and ``broken`` (the other way) with the fold GWINs relabelling
        (``ensemble=True``), then ``refit_fixed`` and ``refit_broken`` with the
        refitted GWIN (``ensemble=False``).
    """
    right_alone = cell["alone"] == cell["y"]
    counts = {}
    for prefix, labels in (("", "safe"), ("refit_", "safe_refit")):
        right = cell[labels] == cell["y"]
        counts[prefix + "fixed"] = int(np.sum(right & ~right_alone))
        counts[prefix + "broken"] = int(np.sum(right_alone & ~right))
    return dict(cell=name, tau=float(cell["best_tau"]), p_value=float(cell["p_value"]), n_test=len(cell["y"]),
                **counts)


def _score_only_counts(rows):
    """The search with ``alpha=None`` (best held-out score, no test): where it regenerated, helped and hurt."""
    rows = [r for r in rows if "overall_score_only_minus_alone" in r]
    cells = lambda verdict: [(r["table"], r["classifier"]) for r in rows  # noqa: E731
                             if r["overall_score_only_minus_alone"]["verdict"] == verdict]
    taus = [tau for r in rows for tau in r["score_only_taus"]]
    return dict(cells=len(rows), pairs=len(taus), regenerated=sum(tau > 0 for tau in taus),
                worse_overall=cells("loss"), better_overall=cells("win"))
