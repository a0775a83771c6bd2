"""Rows answered at a guaranteed error rate: abstention alone, repair then abstain, and MAPIE.

    python benchmarks/abstention.py --data-home ../shared/data            # about 30 minutes on 2 cores
    python benchmarks/abstention.py --data-home ../shared/data --epochs 2 --datasets mnist   # a quick look
    python benchmarks/abstention.py --datasets --tables churn spam7    # two tables, a few minutes

For MNIST and Fashion-MNIST: a Bayesian LeNet-5 (``--epochs`` epochs, seed
0) trained on the paper's 50,000 training rows, and the library's default
GWIN around it (``FrozenEstimator``, ``random_state=0``, ``augmentation="auto"``
choosing on the second half of the paper's validation rows). Neither saw the
other 15,000 rows: the first 5,000 validation rows and the 10,000 test rows.
The answers on those are computed once: the classifier's labels and
certainty (S4), and the GWIN's labels and certainty after regenerating every
row (``tau=1``). Then, over ``--splits`` random splits of the 15,000 rows into
5,000 calibration and 10,000 evaluation rows, at each target error rate alpha
with delta = 0.05:

(a) the classifier with abstention alone, (b) the GWIN, repair then abstain,
both by :class:`sklearn_gwin.risk_control.AbstentionController`'s
Learn-Then-Test (fixed sequence over the same thresholds), and (c) MAPIE's
``MultiClassificationLTTController`` (accuracy on answered rows >= 1 - alpha,
Bonferroni-Holm, over the same thresholds below 1) on the classifier's
``predict_proba``, when MAPIE is installed (``pip install mapie``), with the
error rate on answered rows as its risk (MAPIE's own ``accuracy`` counts
abstentions as errors) and the certified threshold that abstains least.

Reported per method: the share of evaluation rows answered and the realised
error on them (mean and 2.5-97.5 percentiles over the splits), and for the
GWIN how many more rows it answers than (a) and (c) on the same split
(paired); in how many
splits the realised error exceeded alpha, and in how many it did so beyond
the evaluation rows' own sampling noise (the one-sided 95% Clopper-Pearson
lower bound of the error above alpha). The guarantee bounds the expected
error; the evaluation rows are a finite sample of 10,000 that shares its
pool with the calibration rows, so the first count can exceed delta
where the second does not. Models are saved under
``--work-dir`` (a trusted folder: see ModelStore). Writes
benchmarks/results/abstention.json.

With ``--tables`` (names from benchmarks/tabular_data.py, whole tables, not
subsampled; needs ``pip install -e ".[benchmark]"``): histogram gradient
boosting (seed 0) and the default GWIN around it (``random_state=0``) fitted
on a stratified half of the rows; the other half is split, over ``--splits``
random splits, into calibration and evaluation halves. Writes
benchmarks/results/abstention_tables.json.
"""

import argparse
import copy
import json
import time
from pathlib import Path

import numpy as np
from scipy.stats import beta
from sklearn.frozen import FrozenEstimator

from sklearn_gwin import GWINClassifier
from sklearn_gwin.benchmark.data import load_benchmark_data, load_validation_data
from sklearn_gwin.benchmark.runner import machine
from sklearn_gwin.benchmark.store import ModelStore
from sklearn_gwin.bnn import BayesianLeNet5
from sklearn_gwin.risk_control import answered_and_errors, default_thresholds, learn_then_test

RESULTS = Path(__file__).parent / "results"
ALPHAS = (0.005, 0.01, 0.02, 0.05)
DELTA = 0.05


def answers(dataset, data_home, work_dir, epochs):
    """The classifier's and the GWIN's answers on the test rows, and the seconds each model took."""
    data = load_benchmark_data(dataset, data_home)
    X_val, y_val = load_validation_data(dataset, data_home)
    store = ModelStore(Path(work_dir) / dataset)
    net, net_seconds = store.get(
        f"lenet5_{epochs}ep_seed0",
        lambda: BayesianLeNet5(image_shape=data.image_shape, max_epochs=epochs, random_state=0,
                               verbose=0).fit(data.X_train, data.y_train),
    )
    # augmentation="auto" chooses on the second half of the validation rows; the first half is
    # left, unseen, for calibration
    gwin, gwin_seconds = store.get(
        f"gwin_default_around_lenet5_{epochs}ep_seed0_choosing_on_val_half",
        lambda: GWINClassifier(FrozenEstimator(net), random_state=0).fit(
            data.X_train, data.y_train, X_val=X_val[5000:], y_val=y_val[5000:]
        ),
    )
    X_unseen = np.concatenate([X_val[:5000], data.X_test])
    y_unseen = np.concatenate([y_val[:5000], data.y_test])
    start = time.perf_counter()
    details = copy.copy(gwin).set_params(tau=1.0).predict_details(X_unseen)
    proba = net.predict_proba(X_unseen)
    return dict(
        y=y_unseen, labels_before=details.labels_before, certainty_before=details.certainty_before,
        labels_after=details.labels, certainty_after=details.certainty, proba=proba,
        seconds=dict(classifier=net_seconds, gwin=gwin_seconds, answers=time.perf_counter() - start),
        augmentation=repr(gwin.augmentation_),
    )


def _ltt(thresholds, y, alpha, *answers_of_rows):
    answered, errors = answered_and_errors(thresholds, y, *answers_of_rows)
    _, valid = learn_then_test(answered, errors, alpha, 1 - DELTA)
    return thresholds[np.flatnonzero(valid)[-1]] if valid.any() else np.inf


def _evaluate(answered, wrong):
    """Coverage, realised error, and the one-sided 95% Clopper-Pearson lower bound of the error."""
    coverage = float(answered.mean())
    n, k = int(answered.sum()), int(wrong[answered].sum())
    error = k / n if n else 0.0
    lower = float(beta.ppf(0.05, k, n - k + 1)) if k > 0 else 0.0
    return coverage, error, lower


def _mapie(proba, y, calibration, evaluation, alpha, thresholds):
    import mapie.risk_control as rc

    # the error rate on answered rows: MAPIE's own accuracy counts abstentions (NaN) as errors
    accuracy_on_answered = rc.BinaryRisk(
        risk_occurrence=lambda y_true, y_pred: y_pred == y_true,
        risk_condition=lambda y_true, y_pred: ~np.isnan(y_pred),
        higher_is_better=True,
    )
    controller = rc.MultiClassificationLTTController(
        predict_function=lambda rows: proba[np.asarray(rows).ravel().astype(int)],
        risks=[accuracy_on_answered], target_level=[1 - alpha], confidence_level=1 - DELTA,
        # among the certified thresholds, the one that abstains least (its "auto" would take the
        # most accurate, which answers fewest)
        best_predict_param_choice=rc.abstention_rate,
        list_predict_params=np.sort(thresholds[thresholds < 1]), classes=np.arange(proba.shape[1]),
    )
    controller.calibrate(calibration[:, None], y[calibration])
    try:
        predicted = controller.predict(evaluation[:, None])
    except ValueError:  # no threshold certified: it abstains on every row
        return 0.0, 0.0, 0.0
    answered = ~np.isnan(predicted)
    return _evaluate(answered, predicted != y[evaluation])


def table_answers(name):
    """Like :func:`answers`, for a table: the classifier and GWIN fitted on half of its rows."""
    import sys

    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    sys.path.insert(0, str(Path(__file__).parent))
    from tabular_data import real_tables

    X, y = next((X, y) for table, X, y in real_tables(max_rows=np.inf) if table == name)
    X_fit, X_unseen, y_fit, y_unseen = train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)
    start = time.perf_counter()
    gwin = GWINClassifier(HistGradientBoostingClassifier(random_state=0), random_state=0).fit(X_fit, y_fit)
    gwin_seconds = time.perf_counter() - start
    start = time.perf_counter()
    details = gwin.set_params(tau=1.0).predict_details(X_unseen)
    return dict(
        y=np.searchsorted(gwin.classes_, y_unseen), labels_before=np.searchsorted(gwin.classes_, details.labels_before),
        certainty_before=details.certainty_before, labels_after=np.searchsorted(gwin.classes_, details.labels),
        certainty_after=details.certainty, proba=gwin.estimator_.predict_proba(X_unseen),
        seconds=dict(gwin=gwin_seconds, answers=time.perf_counter() - start), augmentation=repr(gwin.augmentation_),
    )


def compare(a, n_splits, seed=0, n_calibration=5000):
    """Coverage and realised error per method, alpha and split."""
    try:
        import mapie  # noqa: F401

        with_mapie = True
    except ImportError:
        with_mapie = False
    rng = np.random.default_rng(seed)
    thresholds = default_thresholds()
    y, n = a["y"], len(a["y"])
    runs = {name: {alpha: [] for alpha in ALPHAS} for name in ("alone", "gwin", "mapie")}
    for _ in range(n_splits):
        order = rng.permutation(n)
        calibration, evaluation = order[:n_calibration], order[n_calibration:]

        def rows(part, *keys):
            return [a[key][part] for key in keys]

        for alpha in ALPHAS:
            t = _ltt(thresholds, y[calibration], alpha, *rows(calibration, "labels_before", "certainty_before"))
            l0, c0 = rows(evaluation, "labels_before", "certainty_before")
            runs["alone"][alpha].append(_evaluate(c0 >= t, l0 != y[evaluation]))
            t = _ltt(thresholds, y[calibration], alpha,
                     *rows(calibration, "labels_before", "certainty_before", "labels_after", "certainty_after"))
            l1, c1 = rows(evaluation, "labels_after", "certainty_after")
            kept, repaired = c0 >= t, (c0 < t) & (c1 >= t)
            wrong = np.where(kept, l0 != y[evaluation], l1 != y[evaluation])
            runs["gwin"][alpha].append(_evaluate(kept | repaired, wrong))
            if with_mapie:
                runs["mapie"][alpha].append(_mapie(a["proba"], y, calibration, evaluation, alpha, thresholds))
    table = []
    for name, by_alpha in runs.items():
        for alpha, results in by_alpha.items():
            if not results:
                continue
            coverage, error, lower = np.array(results).T
            row = dict(
                method=name, alpha=alpha,
                coverage_mean=float(coverage.mean()), coverage_interval=np.percentile(coverage, [2.5, 97.5]).tolist(),
                error_mean=float(error.mean()), error_interval=np.percentile(error, [2.5, 97.5]).tolist(),
                splits_over_alpha=int((error > alpha).sum()),
                splits_significantly_over_alpha=int((lower > alpha).sum()), n_splits=n_splits,
                coverage_per_split=coverage.tolist(),
            )
            if name == "gwin":
                # paired over the same splits: how many more rows the GWIN answers than each alternative
                for other in ("alone", "mapie"):
                    if runs[other][alpha]:
                        gain = coverage - np.array(runs[other][alpha])[:, 0]
                        row[f"coverage_gain_over_{other}"] = dict(
                            mean=float(gain.mean()), interval=np.percentile(gain, [2.5, 97.5]).tolist(),
                            splits_ahead=int((gain > 0).sum()), splits_behind=int((gain < 0).sum()),
                        )
            table.append(row)
    return table, with_mapie


def report(name, table):
    for row in table:
        print(f"[{name}] {row['method']:>5} alpha {row['alpha']:.3f}: answered {100 * row['coverage_mean']:.1f}% "
              f"[{100 * row['coverage_interval'][0]:.1f}, {100 * row['coverage_interval'][1]:.1f}], error "
              f"{100 * row['error_mean']:.2f}%, over alpha in {row['splits_over_alpha']}/{row['n_splits']} "
              f"({row['splits_significantly_over_alpha']} beyond sampling noise)",
              flush=True)
        for other in ("alone", "mapie"):
            gain = row.get(f"coverage_gain_over_{other}")
            if gain:
                print(f"    more answered than {other}: {100 * gain['mean']:+.1f} points "
                      f"[{100 * gain['interval'][0]:+.1f}, {100 * gain['interval'][1]:+.1f}], ahead in "
                      f"{gain['splits_ahead']}, behind in {gain['splits_behind']} of {row['n_splits']}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", help="where the MNIST / Fashion-MNIST IDX files are (for --datasets)")
    parser.add_argument("--work-dir", default=str(Path.home() / "sklearn_gwin_work" / "abstention"),
                        help="where models are saved and resumed from; must be trusted (pickles)")
    parser.add_argument("--datasets", nargs="*", default=["mnist", "fashion-mnist"])
    parser.add_argument("--tables", nargs="*", default=[], help="tables of benchmarks/tabular_data.py")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--splits", type=int, default=50)
    args = parser.parse_args()
    if args.datasets and not args.data_home:
        parser.error("--datasets needs --data-home (or pass --datasets with no name to run only --tables)")
    for names, answer, out in (
        (args.datasets, lambda name: answers(name, args.data_home, args.work_dir, args.epochs), "abstention.json"),
        (args.tables, table_answers, "abstention_tables.json"),
    ):
        if not names:
            continue
        started = time.perf_counter()
        result = dict(delta=DELTA, alphas=ALPHAS, epochs=args.epochs, splits=args.splits, datasets={})
        for name in names:
            a = answer(name)
            # the tables are smaller than MNIST's 15,000 unseen rows: half calibrates, half evaluates
            table, with_mapie = compare(a, args.splits, n_calibration=min(5000, len(a["y"]) // 2))
            result["datasets"][name] = dict(table=table, seconds=a["seconds"], augmentation=a["augmentation"],
                                            classifier_accuracy=float(np.mean(a["labels_before"] == a["y"])),
                                            n_unseen=len(a["y"]))
            result["mapie"] = with_mapie
            report(name, table)
        result.update(machine=machine(), wall_seconds=time.perf_counter() - started)
        path = RESULTS / out
        path.write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {path} ({result['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
