"""Verdicts pooled across several fitted classifiers (``gwin benchmark --bnn-seeds``)."""

import json

import numpy as np
import pytest

from sklearn_gwin.benchmark import run_benchmark
from sklearn_gwin.benchmark.across import OWN_LABELS, across_classifiers, head_to_head
from sklearn_gwin.benchmark.across import main as across_main
from sklearn_gwin.benchmark.presets import resolve_preset
from sklearn_gwin.benchmark.report import format_across, main as report_main
from sklearn_gwin.benchmark.scoring import stratified_bootstrap_interval
from sklearn_gwin.cli import main

from conftest import DEVICE
from test_benchmark import TINY


def test_stratified_interval_weighs_groups_equally_whatever_their_size():
    rng = np.random.RandomState(0)
    # 10 rows all +1 around one classifier, 1,000 rows all 0 around another: the mean of means is 0.5
    assert stratified_bootstrap_interval([np.ones(10), np.zeros(1000)], rng) == (0.5, 0.5)
    low, high = stratified_bootstrap_interval([rng.choice([0.0, 1.0], 50), rng.choice([0.0, 1.0], 80)], rng)
    assert 0 < low < high < 1
    assert np.isnan(stratified_bootstrap_interval([np.ones(3), []], rng)[0])



def test_pooled_interval_weighs_groups_by_their_size():
    rng = np.random.RandomState(0)
    # three rows of +1 in one seed, one row of 0 in another: 0.75 over the rows, 0.5 as a mean of means
    assert stratified_bootstrap_interval([np.ones(3), np.zeros(1)], rng, pooled=True) == (0.75, 0.75)
    assert stratified_bootstrap_interval([np.ones(10), np.zeros(1000)], rng, pooled=True) == (10 / 1010, 10 / 1010)
    # the pooled row mean lies inside its own interval, however unequal the groups
    groups = [rng.choice([0.0, 1.0], 5, p=[0.2, 0.8]), rng.choice([0.0, 1.0], 200, p=[0.8, 0.2])]
    low, high = stratified_bootstrap_interval(groups, rng, pooled=True)
    assert low < np.concatenate(groups).mean() < high < np.mean([g.mean() for g in groups])

def test_presets_take_classifier_seeds_and_can_drop_ablations():
    assert resolve_preset("cpu-warp")[1]["bnn_seeds"] == (0,)
    _, settings = resolve_preset("cpu-warp", bnn_seeds=[2, 0], ablations=False)
    assert settings["bnn_seeds"] == (2, 0) and list(settings["variants"]) == ["GWIN"]
    with pytest.raises(ValueError, match="distinct classifier seeds"):
        resolve_preset("cpu-warp", bnn_seeds=[1, 1])


def _result(seed, certainty, base, gwin, other):
    """A benchmark result with only what pooling reads: one tau, per-row records."""
    return dict(
        dataset="mnist", classifier="lenet5", bnn_seed=seed, base_accuracy=99.0, main_variant="GWIN",
        pooled_variant=None, variants={"GWIN": {}},
        rows=[dict(tau=0.9, n_rejected=len(certainty))],
        per_row=dict(certainty=certainty, base_correct=base, correct={"GWIN": gwin, "TTA": other}),
    )


def test_pooled_difference_is_the_mean_over_classifiers_with_their_own_verdicts():
    # classifier 0: 40 rejected rows, GWIN right on all, TTA on none (+100 points, a win);
    # classifier 1: 4 rejected rows (and one accepted), GWIN and TTA right on the same two (0 points, a tie)
    first = _result(0, [0.5] * 40, "0" * 40, ["1" * 40, "1" * 40], ["0" * 40])
    second = _result(1, [0.5, 0.5, 0.5, 0.5, 0.99], "11000", ["11000", "11001"], ["11001"])
    summary = across_classifiers([first, second])
    tta = summary["rows"][0]["versus"]["TTA"]
    assert tta["difference"] == pytest.approx(50.0)  # not 40/44 of 100: classifiers weigh the same
    assert [c["verdict"] for c in tta["per_classifier"]] == ["wins", "tie"]
    assert [c["difference"] for c in tta["per_classifier"]] == [100.0, 0.0]
    assert tta["verdict"] == "wins" and tta["ci"] == (50.0, 50.0)
    own = summary["rows"][0]["versus"][OWN_LABELS]
    assert own["difference"] == pytest.approx((100 + 0) / 2)
    assert summary["bnn_seeds"] == [0, 1] and summary["rows"][0]["n_rejected"] == [40, 5]
    assert "| TTA | **+50.0 [+50.0, +50.0] wins** (1/1/0) |" in format_across(summary)


def test_pooling_refuses_what_cannot_be_pooled():
    one = _result(0, [0.5], "1", ["1"], ["1"])
    with pytest.raises(ValueError, match="at least two classifiers"):
        across_classifiers([one])
    with pytest.raises(ValueError, match="same classifier seed"):
        across_classifiers([one, _result(0, [0.5], "1", ["1"], ["1"])])
    with pytest.raises(ValueError, match="not of one dataset"):
        across_classifiers([one, {**_result(1, [0.5], "1", ["1"], ["1"]), "dataset": "fashion-mnist"}])
    other_gwin = {**_result(1, [0.5], "1", ["1"], ["1"]), "variants": {"GWIN": {"n_iter": 10}}}
    with pytest.raises(ValueError, match="not of one dataset, classifier kind and GWIN"):
        across_classifiers([one, other_gwin])
    old = {k: v for k, v in _result(1, [0.5], "1", ["1"], ["1"]).items() if k != "per_row"}
    with pytest.raises(ValueError, match="no per_row record"):
        across_classifiers([one, old])


def test_head_to_head_compares_two_runs_row_by_row_around_the_same_classifiers():
    # run A's GWIN and run B's GWIN around the same two classifiers (same rejected rows)
    run_a = [_result(0, [0.5] * 4, "0000", ["1100"], ["0000"]), _result(1, [0.5, 0.5], "00", ["11"], ["00"])]
    run_b = [_result(0, [0.5] * 4, "0000", ["1000"], ["0000"]), _result(1, [0.5, 0.5], "00", ["11"], ["00"])]
    # +25 points around classifier 0, 0 around classifier 1: the mean over classifiers
    assert head_to_head(run_a, run_b, "GWIN", "GWIN", 0.9)["difference"] == pytest.approx(12.5)
    assert head_to_head(run_b, run_a, "GWIN", "GWIN", 0.9)["difference"] == pytest.approx(-12.5)
    assert head_to_head(run_a, run_b, "GWIN", OWN_LABELS, 0.9)["difference"] == pytest.approx(75.0)
    with pytest.raises(ValueError, match="do not score the same rejected rows"):
        head_to_head(run_a, run_b[::-1], "GWIN", "GWIN", 0.9)
    with pytest.raises(ValueError, match="pair them by classifier"):
        head_to_head(run_a, run_b[:1], "GWIN", "GWIN", 0.9)
    with pytest.raises(ValueError, match="'GWIN, n_regen=3' is not among the methods"):
        head_to_head(run_a, run_b, "GWIN, n_regen=3", "GWIN", 0.9)


def test_benchmark_around_two_classifiers_pools_their_verdicts(tmp_path, capsys):
    out = tmp_path / "out"
    results = run_benchmark(
        {**TINY, "seeds": (0,)}, bnn_seeds=(0, 3), work_dir=tmp_path / "work", out_dir=out, device=DEVICE,
        figures=False, log=None,
    )
    assert list(results) == ["digits", "digits_bnn-seed3", "digits_across-classifiers"]
    for key in results:
        assert (out / f"paper_tables_tiny_{key}.json").exists()
    first, other, summary = results.values()
    assert (first["bnn_seed"], other["bnn_seed"]) == (0, 3)
    # the ablation is fitted around the preset's classifier only, and every classifier gets its own second model
    assert "GWIN + critic (WGWIN-GP)" in first["variants"] and list(other["variants"]) == ["GWIN"]
    # the epochs in a second model's name follow wall time, so only the seed part is compared
    names = (tmp_path / "work" / "digits").glob("second_*")
    assert sorted(p.name.rsplit("_seed", 1)[1] for p in names) == ["1000.joblib", "4000.joblib"]
    # each classifier's verdict in the summary is the one its own result gives
    for i, row in enumerate(summary["rows"]):
        assert OWN_LABELS in row["versus"] and "GWIN + critic (WGWIN-GP)" not in row["versus"]
        for name, pooled in row["versus"].items():
            if name != OWN_LABELS:
                assert [c["verdict"] for c in pooled["per_classifier"]] == [
                    first["rows"][i]["versus"][name]["verdict"], other["rows"][i]["versus"][name]["verdict"]
                ]
    assert set(summary["rows"][-1]["on_top"]) == {"GWIN + TTA against TTA",
                                                 "GWIN + second model against base + second model"}
    # saved results pool the same as the run's, and the report prints the summary
    saved = [str(out / f"paper_tables_tiny_{key}.json") for key in ("digits", "digits_bnn-seed3")]
    assert across_main([*saved, "--out", str(tmp_path / "pooled.json")]) == 0
    assert (tmp_path / "pooled.json").read_text() == json.dumps(summary, indent=1, default=float)
    report_main([str(out / "paper_tables_tiny_digits_across-classifiers.json")])
    printed = capsys.readouterr().out
    assert printed.count("across 2 Bayesian LeNet-5s (seeds [0, 3]") == 2
    assert "| GWIN + second model against base + second model |" in printed
    # a rerun loads every model, and each result counts only its own classifier's loads
    again = run_benchmark(
        {**TINY, "seeds": (0,)}, bnn_seeds=(0, 3), work_dir=tmp_path / "work", out_dir=tmp_path / "again",
        device=DEVICE, figures=False, log=None,
    )["digits_bnn-seed3"]
    pass_seconds = other["certainty_pass_seconds"]
    own = other["bnn_fit_seconds"] + pass_seconds + sum(s - pass_seconds for s in other["fit_seconds"]["GWIN"])
    assert again["resumed_fit_seconds"] == pytest.approx(own + sum(other["fit_seconds"]["second model"]))
    with pytest.raises(SystemExit) as exit_info:
        across_main(saved[:1])
    assert exit_info.value.code == 2 and "at least two classifiers" in capsys.readouterr().err


def test_cli_takes_classifier_seeds_and_drops_ablations(tmp_path):
    args = ["benchmark", "--preset", "smoke", "--device", DEVICE, "--seeds", "0", "--bnn-seeds", "4"]
    assert main([*args, "--no-ablations", "--work-dir", str(tmp_path), "--out", str(tmp_path), "--no-figures",
                 "--quiet"]) == 0
    result = json.loads((tmp_path / "paper_tables_smoke_digits_bnn-seed4.json").read_text())
    assert result["bnn_seed"] == 4 and list(result["variants"]) == ["GWIN"]
    assert not (tmp_path / "paper_tables_smoke_digits_across-classifiers.json").exists()
