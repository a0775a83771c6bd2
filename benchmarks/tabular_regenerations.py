"""Each (cell, seed) of benchmarks/tabular.py where the safe mode regenerated: test rows it fixed and broke.

    python benchmarks/tabular.py --work-dir /tmp/tabular_work          # once: the cells' saved test labels
    python benchmarks/tabular_regenerations.py --work-dir /tmp/tabular_work

The safe mode (``GWINClassifierCV``) regenerates only where, on the training
rows' folds, the fold GWINs fixed significantly more held-out rows than they
broke. This lists, for every saved cell where it chose a tau > 0, what the
safe mode then did on the test rows: rows it fixed (the classifier wrong,
the safe mode right) and broke (the other way), beside the tau and the
p-value the folds gave; with the fold GWINs relabelling the rejected rows
(``ensemble=True``, the default) and with the refitted GWIN
(``ensemble=False``). Numpy only; reads the ``.npz`` files tabular.py saved.
"""

import argparse
from pathlib import Path

import numpy as np


def regenerations(work_dir):
    """``(cell, tau, p_value, fixed, broken, refit_fixed, refit_broken, n_test)`` per regenerating cell.

    ``fixed`` and ``broken`` are the safe mode's (the fold GWINs relabelling),
    ``refit_*`` the refitted GWIN's. A cache from before cross-fitting has the
    refit's labels under "safe": they count as the refit's, the fold GWINs'
    are None.
    """
    rows = []
    for path in sorted(Path(work_dir).glob("*.npz")):
        if path.name.endswith(".tmp.npz"):  # a write tabular.py did not finish
            continue
        with np.load(path, allow_pickle=False) as cell:
            if float(cell["best_tau"]) <= 0:
                continue
            right_alone = cell["alone"] == cell["y"]
            counts = []
            names = ("safe", "safe_refit") if "safe_refit" in cell.files else (None, "safe")
            for name in names:
                right = None if name is None else cell[name] == cell["y"]
                counts += [None, None] if right is None else [int(np.sum(right & ~right_alone)),
                                                              int(np.sum(right_alone & ~right))]
            rows.append((path.stem, float(cell["best_tau"]), float(cell["p_value"]), *counts, len(cell["y"])))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", required=True, help="benchmarks/tabular.py's --work-dir")
    args = parser.parse_args()
    rows = regenerations(args.work_dir)
    print("| cell (table, classifier, seed) | tau | p-value on the folds | fixed (fold GWINs) | broken (fold GWINs) "
          "| fixed (refit) | broken (refit) | test rows |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, tau, p_value, fixed, broken, refit_fixed, refit_broken, n_test in rows:
        print(f"| {name} | {tau:g} | {p_value:.2g} | {fixed} | {broken} | {refit_fixed} | {refit_broken} | {n_test} |")
    for label, at in (("fold GWINs (ensemble=True)", 3), ("refit (ensemble=False)", 5)):
        counted = [row for row in rows if row[at] is not None]
        more = sum(row[at] > row[at + 1] for row in counted)
        fewer = sum(row[at] < row[at + 1] for row in counted)
        print(f"\n{label}: {len(counted)} regenerating (cell, seed) pairs, more test rows fixed than broken in "
              f"{more}, fewer in {fewer}; {sum(row[at] for row in counted)} fixed, "
              f"{sum(row[at + 1] for row in counted)} broken in all.")


if __name__ == "__main__":
    main()
