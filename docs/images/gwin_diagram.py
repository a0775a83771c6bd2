"""Draw docs/images/gwin_diagram.png, the user guide's picture of how a GWIN labels a row.

    python docs/images/gwin_diagram.py

Our own drawing of the idea of the paper's Figure 1 (matplotlib only).
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Polygon  # noqa: E402

OUT = Path(__file__).with_suffix(".png")
BLUE, GREEN, ORANGE, PURPLE = ("#e8f0fb", "#2f5d9e"), ("#eef7ee", "#3a7d44"), ("#fff4e0", "#b7791f"), ("#f3eafb", "#6b3fa0")


def box(ax, x, y, w, h, colours, title, line):
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=8", fc=colours[0], ec=colours[1], lw=1.5))
    ax.text(x + w / 2, y + h * 0.36, title, ha="center", va="center", weight="bold")
    ax.text(x + w / 2, y + h * 0.70, line, ha="center", va="center", fontsize=9)


def arrow(ax, start, end):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, lw=1.5, color="#333"))


def main():
    fig, ax = plt.subplots(figsize=(7.6, 3.0), dpi=130)
    ax.set_xlim(0, 760)
    ax.set_ylim(300, 0)  # y grows downwards, as on a page
    ax.axis("off")
    ax.text(22, 80, "row x", va="center", style="italic", fontsize=12)
    box(ax, 128, 50, 150, 60, BLUE, "classifier C", "its label, certainty c(x)")
    ax.add_patch(Polygon([(390, 46), (466, 80), (390, 114), (314, 80)], fc=ORANGE[0], ec=ORANGE[1], lw=1.5))
    ax.text(390, 76, "c(x) < τ ?", ha="center", va="center")
    ax.text(390, 95, "(eq. 5)", ha="center", va="center", fontsize=8)
    box(ax, 550, 55, 200, 50, GREEN, "C's own label", "exactly as without a GWIN")
    box(ax, 318, 182, 144, 56, PURPLE, "generator G", "x' = G(x, z)")
    box(ax, 530, 182, 142, 56, BLUE, "the same C", "labels x'")
    arrow(ax, (82, 80), (128, 80))
    arrow(ax, (278, 80), (314, 80))
    arrow(ax, (466, 80), (550, 80))
    ax.text(506, 72, "no", ha="center", fontsize=10)
    arrow(ax, (390, 114), (390, 182))
    ax.text(400, 150, "yes: rejected", fontsize=10, va="center")
    arrow(ax, (462, 210), (530, 210))
    arrow(ax, (672, 210), (700, 210))
    ax.text(704, 210, "its label", fontsize=10, va="center")
    arrow(ax, (300, 270), (345, 238))
    ax.text(290, 280, "noise z", ha="center", fontsize=10)
    ax.text(
        20, 150,
        "fit trains G so that C labels\nG(x, z) as x's true label with\nhigh certainty (the transformation\n"
        "penalty, eq. 6), optionally with a\ncritic on the confident rows Pc\n(WGWIN-GP, Algorithm 1).\n"
        "C itself never changes.",
        fontsize=9, color="#444", va="top", linespacing=1.35,
    )
    fig.tight_layout(pad=0.2)
    fig.savefig(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
