"""Each (cell, seed) of benchmarks/tabular.py where the safe mode regenerated: test rows it fixed and broke.

    python benchmarks/tabular.py --work-dir /tmp/tabular_work          # once: the cells' saved test labels
    python benchmarks/tabular_regenerations.py --work-dir /tmp/tabular_work

The safe mode (``GWINClassifierCV``) regenerates only where, on the training
rows' folds, the fold GWINs fixed significantly more held-out rows than they
broke. This lists, for every saved cell where it chose a tau > 0, what the
refitted GWIN then did on the test rows: rows it fixed (the classifier wrong,
the safe mode right) and broke (the other way), beside the tau and the
p-value the folds gave. Numpy only; reads the ``.npz`` files tabular.py saved.
"""

import argparse
from pathlib import Path

import numpy as np


def regenerations(work_dir):
    """``(cell, tau, p_value, fixed, broken, n_test)`` for each saved cell whose safe mode regenerated."""
    rows = []
    for path in sorted(Path(work_dir).glob("*.npz")):
        if path.name.endswith(".tmp.npz"):  # a write tabular.py did not finish
            continue
        with np.load(path, allow_pickle=False) as cell:
            if float(cell["best_tau"]) <= 0:
                continue
            right_alone, right_safe = cell["alone"] == cell["y"], cell["safe"] == cell["y"]
            rows.append((path.stem, float(cell["best_tau"]), float(cell["p_value"]),
                         int(np.sum(right_safe & ~right_alone)), int(np.sum(right_alone & ~right_safe)),
                         len(cell["y"])))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", required=True, help="benchmarks/tabular.py's --work-dir")
    args = parser.parse_args()
    rows = regenerations(args.work_dir)
    print("| cell (table, classifier, seed) | tau | p-value on the folds | test rows fixed | broken | test rows |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, tau, p_value, fixed, broken, n_test in rows:
        print(f"| {name} | {tau:g} | {p_value:.2g} | {fixed} | {broken} | {n_test} |")
    more = sum(fixed > broken for _, _, _, fixed, broken, _ in rows)
    fewer = sum(fixed < broken for _, _, _, fixed, broken, _ in rows)
    print(f"\n{len(rows)} regenerating (cell, seed) pairs: more test rows fixed than broken in {more}, fewer in {fewer}.")


if __name__ == "__main__":
    main()
