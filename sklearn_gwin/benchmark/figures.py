"""The paper's Figures 2-5 for one dataset's benchmark result (matplotlib)."""

from pathlib import Path

import numpy as np

N_EXAMPLES = 8


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(
            "The figures need matplotlib: pip install 'sklearn-gwin[plot]', or skip them "
            "(gwin benchmark --no-figures; run_benchmark(..., figures=False))."
        ) from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def regenerated_examples(result, arrays, path, plt):
    """Figure 2: the least certain test images, then each variant's regeneration (first seed).

    One row per GWIN variant, so that what the critic or another architecture
    does to an image can be seen beside what it does to the accuracy.
    """
    examples, base, classes = arrays["examples"], arrays["base"], arrays["classes"]
    shown = np.argsort(base["certainty"][arrays["candidates"]], kind="stable")[:N_EXAMPLES]
    rows = arrays["candidates"][shown]
    side = int(round(np.sqrt(arrays["X_rejected"].shape[1])))
    n_cols = max(len(shown), 1)
    # constrained layout keeps each row's titles clear of the row above (tight_layout
    # with a suptitle let them slide under the images)
    fig, axes = plt.subplots(
        1 + len(examples), n_cols, figsize=(1.4 * n_cols + 1.6, 1.8 * (1 + len(examples)) + 0.6), squeeze=False,
        layout="constrained",
    )
    grid = [("rejected x", arrays["X_rejected"][shown], base["label"][rows], base["certainty"][rows])]
    for variant, example in examples.items():
        after = example["after"]
        grid.append((variant, example["X_regenerated"][shown], after["label"][shown], after["certainty"][shown]))
    for r, (name, images, labels, certainties) in enumerate(grid):
        for col in range(len(shown)):
            ax = axes[r, col]
            ax.imshow(images[col].reshape(side, side), cmap="gray", vmin=0, vmax=1)
            ax.set_title(f"{classes[labels[col]]} ({certainties[col]:.2f})", fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[r, 0].set_ylabel(_wrapped(name), fontsize=7)
    for col in range(len(shown)):
        axes[-1, col].set_xlabel(f"true: {classes[arrays['y'][rows[col]]]}", fontsize=8)
    fig.suptitle(
        f"{result['dataset']}: the least certain test images, label (certainty) before and after regeneration",
        fontsize=9,
    )
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _wrapped(name, width=18):
    words, lines = name.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return "\n".join(lines)


def _line_style(name, result):
    """Solid for GWINs, dashed for the alternatives, dotted for GWIN + an alternative."""
    main = result["main_variant"]
    if name.startswith(f"{main} + ") and name not in result.get("variants", {}):
        return ":"
    return "-" if "GWIN" in name or "critic" in name else "--"


def accuracy_curves(result, path, plt):
    """Figures 3-4: accuracy on the rejected subset (a) and overall (b) against tau."""
    taus = [row["tau"] for row in result["rows"]]
    names = list(result["rows"][0]["methods"])
    fig, (rejected_ax, overall_ax) = plt.subplots(1, 2, figsize=(13, 4))
    base = [row["base_accuracy"] for row in result["rows"]]
    rejected_ax.plot(taus, base, "k-o", label="BNN", markersize=3)
    overall_ax.plot(taus, [result["base_accuracy"]] * len(taus), "k-o", label="BNN", markersize=3)
    colors = plt.get_cmap("tab20").colors
    for index, name in enumerate(names):
        style = dict(color=colors[index % len(colors)], linestyle=_line_style(name, result), marker="o",
                     markersize=3, capsize=2, label=name)
        means = np.array([row["methods"][name]["accuracy"][0] for row in result["rows"]], dtype=float)
        stds = np.array([row["methods"][name]["accuracy"][1] for row in result["rows"]], dtype=float)
        overall = np.array([row["methods"][name]["overall_delta"][0] for row in result["rows"]], dtype=float)
        overall_std = np.array([row["methods"][name]["overall_delta"][1] for row in result["rows"]], dtype=float)
        rejected_ax.errorbar(taus, means, yerr=stds, **style)
        overall_ax.errorbar(taus, result["base_accuracy"] + overall, yerr=overall_std, **style)
    rejected_ax.set(xlabel="τ", ylabel="accuracy on the rejected rows (%)", title="(a) rejected subset")
    overall_ax.set(xlabel="τ", ylabel="accuracy on the test set (%)", title="(b) overall")
    # beside the plots, not over them: a dozen methods would hide the curves
    overall_ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle(f"{result['dataset']}: mean ± std over seeds", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def certainty_change(result, arrays, path, plt):
    """Figure 5: change in the certainty of the true label, per tau (box plots)."""
    main = result["main_variant"]
    before = arrays["base"]["true_certainty"][arrays["candidates"]]
    after = np.mean(arrays["true_certainty"][main], axis=0)
    certainty = arrays["base"]["certainty"][arrays["candidates"]]
    taus = [row["tau"] for row in result["rows"]]
    changes = [(after - before)[certainty < tau] for tau in taus]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.boxplot(changes, flierprops=dict(marker="D", markersize=3))
    ax.set_xticks(range(1, len(taus) + 1), [f"{t:.2f}" for t in taus])
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set(xlabel="τ", ylabel="certainty of the true label: after − before",
           title=f"{result['dataset']}: {main}, rejected rows (mean over seeds)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw_figures(result, arrays, prefix):
    """Write Figures 2-5 as ``<prefix>_figure{2,3-4,5}.png``; return the paths."""
    plt = _pyplot()
    prefix = Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    paths = [Path(f"{prefix}_figure{n}.png") for n in ("2", "3-4", "5")]
    if arrays["examples"] and len(arrays["candidates"]):
        regenerated_examples(result, arrays, paths[0], plt)
    accuracy_curves(result, paths[1], plt)
    if len(arrays["candidates"]):
        certainty_change(result, arrays, paths[2], plt)
    return [p for p in paths if p.exists()]
