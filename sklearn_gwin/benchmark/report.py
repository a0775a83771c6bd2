"""Markdown tables of a benchmark result, beside the paper's numbers, and of a summary across classifiers."""

import math

from .paper_results import paper_base_accuracy
from .presets import CLASSIFIER_NAMES


def _pm(value, digits=2):
    mean, std = value
    if mean is None or math.isnan(mean):
        return "—"
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def _num(value, digits=2):
    return "—" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _paper(row, key):
    paper = row.get("paper")
    if not paper:
        return "—"
    value = paper[key]
    return f"{value:.2f}" if isinstance(value, float) else f"{value[0]:.2f} ± {value[1]:.2f}"


def paper_table(result):
    """Tables 1-2's columns for the main GWIN, ours / the paper's."""
    main = result["main_variant"]
    lines = [
        "| τ | % Reject | BNN Acc. | BNN+GWIN Acc. | Rejected Acc. Δ [95% CI] | Overall Acc. Δ | % Error Δ | BNN w/ Reject |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        m = row["methods"][main]
        low, high = m["rejected_delta_ci"]
        ci = "" if math.isnan(low) else f" [{low:.1f}, {high:.1f}]"
        lines.append(
            f"| {row['tau']:.2f} "
            f"| {row['percent_rejected']:.2f} / {_paper(row, 'percent_rejected')} "
            f"| {_num(row['base_accuracy'])} / {_paper(row, 'base_accuracy')} "
            f"| {_pm(m['accuracy'])} / {_paper(row, 'gwin_accuracy')} "
            f"| {_pm(m['rejected_delta'])}{ci} / {_paper(row, 'rejected_delta')} "
            f"| {_pm(m['overall_delta'])} / {_paper(row, 'overall_delta')} "
            f"| {_pm(m['error_change'])} / {_paper(row, 'error_change')} "
            f"| {_num(row['accepted_accuracy'])} |"
        )
    return "\n".join(lines)


def methods_table(result):
    """Accuracy on the rejected rows of every method, mean ± std over seeds."""
    names = list(result["rows"][0]["methods"])
    lines = [
        "| τ | rejected rows | BNN | " + " | ".join(names) + " |",
        "|---|---|---|" + "---|" * len(names),
    ]
    for row in result["rows"]:
        cells = [_pm(row["methods"][name]["accuracy"], 1) for name in names]
        lines.append(f"| {row['tau']:.2f} | {row['n_rejected']} | {_num(row['base_accuracy'], 1)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict_table(result):
    """The main GWIN minus each other method on the rejected rows, with a 95% CI."""
    others = list(result["rows"][0]["versus"])
    lines = [
        "| τ | " + " | ".join(f"{result['main_variant']} − {name}" for name in others) + " |",
        "|---|" + "---|" * len(others),
    ]
    for row in result["rows"]:
        cells = []
        for name in others:
            v = row["versus"][name]
            if math.isnan(v["difference"]):
                cells.append("—")
            else:
                cells.append(f"{v['difference']:+.1f} [{v['ci'][0]:+.1f}, {v['ci'][1]:+.1f}] {v['verdict']}")
        lines.append(f"| {row['tau']:.2f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict_summary(result, min_tau=0.5, versus="versus"):
    """One row per alternative, one column per tau >= ``min_tau``: does the GWIN win?

    Each cell is the difference in points and "wins", "loses" or "tie" by the
    95% bootstrap interval of :func:`verdict_table`, wins and losses in bold.
    ``versus="versus_pooled"`` asks it of the GWIN with ``n_regen`` draws pooled.
    """
    name = result["main_variant"] if versus == "versus" else result["pooled_variant"]

    def cell(v):
        text = f"{v['difference']:+.1f} {v['verdict']}"
        return text if v["verdict"] == "tie" else f"**{text}**"

    return _comparison_table(f"{name} against", result["rows"], versus, min_tau, cell)


def _comparison_table(header, rows, versus, min_tau, cell):
    """Markdown: one row per comparison in ``row[versus]``, one column per tau >= ``min_tau``.

    ``cell`` writes one comparison's dict; a NaN difference (nothing rejected) is "—".
    """
    shown = [row for row in rows if row["tau"] >= min_tau]
    lines = [
        f"| {header} | " + " | ".join(f"τ {row['tau']:.2f}" for row in shown) + " |",
        "|---|" + "---|" * len(shown),
    ]
    for name in rows[0][versus]:
        cells = ["—" if math.isnan(row[versus][name]["difference"]) else cell(row[versus][name]) for row in shown]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _classifier_name(result):
    return CLASSIFIER_NAMES[result.get("classifier", "lenet5")]


def timing_lines(result):
    """Fit times: the BNN, each GWIN variant, the second model."""
    lines = [
        f"- wall time of this run: {result['wall_seconds'] / 60:.1f} min"
        + (f", plus {result['resumed_fit_seconds'] / 60:.1f} min of fits loaded from saved models"
           if result.get("resumed_fit_seconds") else "")
    ]
    lines += [f"- {_classifier_name(result)}, {result['bnn_epochs']} epochs: {result['bnn_fit_seconds']:.0f} s"]
    if "certainty_pass_seconds" in result:
        lines.append(
            f"- its certainty pass over the training rows (Pc): {result['certainty_pass_seconds']:.0f} s, "
            "computed once and included in every GWIN's time below"
        )
    for name, values in result["fit_seconds"].items():
        mean = sum(values) / len(values)
        lines.append(f"- {name}: {mean:.0f} s per fit ({len(values)} fit{'s' * (len(values) > 1)})")
    return "\n".join(lines)


def _paper_accuracy_note(result):
    """The note " (the paper's: 98.0%)", or nothing where the paper has no such classifier (digits)."""
    accuracy = paper_base_accuracy(result["dataset"], result.get("classifier", "lenet5"))
    return "" if math.isnan(accuracy) else f" (the paper's: {accuracy:.1f}%)"


def format_tables(result):
    """All tables of one dataset's result, as markdown."""
    return "\n\n".join(
        [
            f"### {result['dataset']}: {_classifier_name(result)} at {result['base_accuracy']:.2f}% test accuracy"
            f"{_paper_accuracy_note(result)}, {result['n_test']} test images",
            "Tables 1-2's columns, ours / the paper's (mean ± std over seeds):",
            paper_table(result),
            "Accuracy (%) on the rejected rows, every method on the same rows:",
            methods_table(result),
            f"{result['main_variant']} minus each alternative, points of accuracy on the rejected rows "
            "[95% bootstrap CI over rows]:",
            verdict_table(result),
            "In short, from τ = 0.5 (bold: the 95% interval excludes zero):",
            verdict_summary(result),
            *(
                [f"The same for {result['pooled_variant']} (the library's default inference):",
                 verdict_summary(result, versus="versus_pooled")]
                if result.get("pooled_variant") else []
            ),
            "Fit times:",
            timing_lines(result),
        ]
    )


def across_table(summary, min_tau=0.5, versus="versus"):
    """One row per alternative, one column per tau >= ``min_tau``, pooled over classifiers.

    Each cell: the mean over classifiers of the GWIN's advantage (points), the
    pooled verdict by its 95% interval (bold when it excludes zero), and how
    many classifiers' own verdicts were wins, ties and losses.
    """
    header = {"versus": f"{summary['main_variant']} against", "versus_pooled": f"{summary['pooled_variant']} against",
              "versus_pooled_input": f"{summary['pooled_variant']} + input against",
              "on_top": "the GWIN on top of an alternative"}[versus]

    def cell(v):
        text = f"{v['difference']:+.1f} [{v['ci'][0]:+.1f}, {v['ci'][1]:+.1f}] {v['verdict']}"
        counts = [sum(c["verdict"] == word for c in v["per_classifier"]) for word in ("wins", "tie", "loses")]
        text = text if v["verdict"] == "tie" else f"**{text}**"
        return f"{text} ({counts[0]}/{counts[1]}/{counts[2]})"

    return _comparison_table(header, summary["rows"], versus, min_tau, cell)


def format_across(summary):
    """The tables of :func:`~sklearn_gwin.benchmark.across.across_classifiers`, as markdown."""
    n = len(summary["bnn_seeds"])
    accuracies = ", ".join(f"{a:.2f}%" for a in summary["base_accuracy"])
    rows = [row for row in summary["rows"] if row["tau"] >= 0.5]
    return "\n\n".join(
        [
            f"### {summary['dataset']}: across {n} {CLASSIFIER_NAMES[summary['classifier']]}s "
            f"(seeds {summary['bnn_seeds']}; test accuracy {accuracies})",
            "Rejected rows per classifier: "
            + "; ".join(f"τ {row['tau']:.2f}: {', '.join(map(str, row['n_rejected']))}" for row in rows),
            f"{summary['main_variant']} minus each alternative, points on the rejected rows, mean over the "
            "classifiers [95% bootstrap CI, each classifier's rows resampled on their own] and pooled verdict "
            "(bold when the interval excludes zero); in brackets, how many classifiers' own verdicts are "
            "wins/ties/losses:",
            across_table(summary),
            *(
                [f"The same for {summary['pooled_variant']}:", across_table(summary, versus="versus_pooled")]
                if summary.get("pooled_variant") else []
            ),
            *(
                [f"The same for {summary['pooled_variant']} + input (the rejected row pooled in):",
                 across_table(summary, versus="versus_pooled_input")]
                if summary["rows"][0].get("versus_pooled_input") else []
            ),
            *(
                ["Does the GWIN add to an alternative? The GWIN on top of it minus the alternative alone:",
                 across_table(summary, versus="on_top")]
                if summary["rows"][0].get("on_top") else []
            ),
        ]
    )


def main(paths):
    """Print the tables of saved results: ``python -m sklearn_gwin.benchmark.report FILE...``."""
    import json
    from pathlib import Path

    for path in paths:
        result = json.loads(Path(path).read_text())
        # a summary across classifiers has their seeds and no tables of its own
        print(format_across(result) if "bnn_seeds" in result else format_tables(result), end="\n\n")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
