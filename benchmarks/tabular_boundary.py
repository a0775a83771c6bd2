"""The surrogate also distilled on points near the decision boundary, on validation rows only (never the test rows).

    python benchmarks/tabular_boundary.py --seeds 0 1     # about 5 minutes per seed on 2 cores

Around a classifier without gradients the GWIN distils a surrogate network
from its ``predict_proba`` (sklearn_gwin/surrogate.py), on the training rows,
noisy copies of them and mixtures of pairs. Issue 24 asked whether points
near the classifier's decision boundary would make it a better guide for the
generator. The variant adds as many such points as training rows: for a pair
of training rows the classifier labels differently (the first drawn
uniformly, the second uniformly among the rows of other labels), the segment
between them halved 8 times towards where the label changes, plus Gaussian
noise of sd 0.02 in unit space. The agreement check's fresh points stay as
they are.

For each table and classifier of benchmarks/tabular.py and each seed, the
split of benchmarks/tabular_settings.py (the test rows set aside untouched;
the classifier fitted on 75% of the training rows, scored on the other 25%),
and two GWINs around it, all else at the defaults: the library's surrogate
(``default``) and the variant. Counted on the validation rows the classifier
rejects at tau = 0.8: rows fixed (wrong -> right) and broken (right -> wrong)
by regeneration. The rule for a new default, fixed before the first run: over
all seeds, the variant nets more fixed than broken rows and beats the default
in more cells than it loses to it.

Writes benchmarks/results/tabular_boundary.json.
"""

import argparse
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"
TAU = 0.8
BISECTION_STEPS, NOISE = 8, 0.02
DEFAULT, VARIANT = "default", "with boundary points"


def boundary_rows(predict_proba_unit, X_unit, labels, rng):
    """As many points near the classifier's decision boundary as rows, and the row each started from."""
    from sklearn.utils import gen_batches

    from sklearn_gwin.surrogate import _CHUNK, _in_chunks

    n = len(X_unit)
    if len(np.unique(labels)) < 2:
        return np.empty((0, *X_unit.shape[1:]), dtype=np.float32), np.empty(0, dtype=int)
    first = rng.randint(n, size=n)
    # the partner: rows sorted by label, a uniform draw among the positions outside the first row's label
    order = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[order], labels[first], side="left")
    sizes = np.searchsorted(labels[order], labels[first], side="right") - starts
    draw = np.floor(rng.uniform(size=n) * (n - sizes)).astype(int)
    second = order[np.where(draw < starts, draw, draw + sizes)]
    rows = np.empty(X_unit.shape, dtype=np.float32)
    for chunk in gen_batches(n, _CHUNK):  # bounded memory, as the library's own points
        a, b = X_unit[first[chunk]].astype(float), X_unit[second[chunk]].astype(float)
        low, high = np.zeros((len(a), 1)), np.ones((len(a), 1))
        for _ in range(BISECTION_STEPS):
            middle = (low + high) / 2
            point = ((1 - middle) * a + middle * b).astype(np.float32)
            same = (_in_chunks(predict_proba_unit, point, first[chunk]).argmax(axis=1) == labels[first[chunk]])
            low, high = np.where(same[:, None], middle, low), np.where(same[:, None], high, middle)
        middle = (low + high) / 2
        rows[chunk] = np.clip((1 - middle) * a + middle * b + NOISE * rng.standard_normal(a.shape), 0, 1)
    return rows, first


@contextmanager
def with_boundary_points():
    """The library's surrogate, its training points joined by :func:`boundary_rows`'s."""
    from sklearn_gwin import _fitting, surrogate

    original_fit, original_augment = _fitting.fit_surrogate, surrogate.augment_rows

    def fit_surrogate(predict_proba_unit, X_unit, rng, **kwargs):
        made = []

        def augment_rows(X, rng_, noise=0.05):
            rows, source = original_augment(X, rng_, noise)
            if made:  # the second call makes the agreement check's fresh points: left as they are
                return rows, source
            made.append(True)
            labels = surrogate._in_chunks(predict_proba_unit, X, np.arange(len(X))).argmax(axis=1)
            extra, extra_source = boundary_rows(predict_proba_unit, X, labels, rng_)
            return np.concatenate([rows, extra]), np.concatenate([source, extra_source])

        surrogate.augment_rows = augment_rows
        try:
            return original_fit(predict_proba_unit, X_unit, rng, **kwargs)
        finally:
            surrogate.augment_rows = original_augment

    _fitting.fit_surrogate = fit_surrogate
    try:
        yield
    finally:
        _fitting.fit_surrogate = original_fit


def run_cell(X, y, classifier_name, seed, gwin_params=None):
    import torch
    from sklearn.frozen import FrozenEstimator

    from sklearn_gwin import GWINClassifier
    from tabular_settings import rejected_counts, validation_split

    torch.set_num_threads(1)
    classifier, X_fit, y_fit, X_val, y_val = validation_split(X, y, classifier_name, seed)
    out = {}
    for name in (DEFAULT, VARIANT):
        started = time.perf_counter()
        gwin = GWINClassifier(FrozenEstimator(classifier), **{"tau": TAU, "random_state": seed, **(gwin_params or {})})
        if name == VARIANT:
            with with_boundary_points():
                gwin.fit(X_fit, y_fit)
        else:
            gwin.fit(X_fit, y_fit)
        out[name] = dict(rejected_counts(gwin, X_val, y_val), agreement=gwin.surrogate_agreement_,
                         seconds=time.perf_counter() - started)
    return out


def main():
    from joblib import Parallel, delayed

    from tabular import classifiers
    from tabular_data import tables
    from tabular_settings import variant_totals

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    jobs = [(t, X, y, c, s) for s in args.seeds for t, X, y in tables() for c in classifiers()]
    cells = Parallel(n_jobs=args.n_jobs, verbose=5)(delayed(run_cell)(X, y, c, s) for _, X, y, c, s in jobs)
    rows = [dict(table=t, classifier=c, seed=s, variants=cell) for (t, _, _, c, s), cell in zip(jobs, cells)]
    totals = {str(seed): variant_totals([r for r in rows if r["seed"] == seed], (DEFAULT, VARIANT))
              for seed in args.seeds}
    totals["all"] = variant_totals(rows, (DEFAULT, VARIANT))
    for seed, by_variant in totals.items():
        for name, t in by_variant.items():
            print(f"seed {seed}  {name:22s} {t}", flush=True)
    variant = totals["all"][VARIANT]
    out = dict(rows=rows, totals=totals, tau=TAU, seeds=args.seeds,
               adopted=variant["fixed"] > variant["broken"]
               and variant["cells_better_than_default"] > variant["cells_worse_than_default"],
               seconds=round(time.perf_counter() - started), date=time.strftime("%Y-%m-%d"), cores=os.cpu_count(),
               n_jobs=args.n_jobs, command="python benchmarks/tabular_boundary.py " + " ".join(os.sys.argv[1:]))
    (RESULTS / "tabular_boundary.json").write_text(json.dumps(out, indent=1))
    print(f"wrote {RESULTS / 'tabular_boundary.json'} in {out['seconds']} s")


if __name__ == "__main__":
    main()
