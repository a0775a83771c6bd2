"""The paper-reproduction benchmark: scoring, baselines, presets, and a run end to end on digits."""

import json
import os

import numpy as np
import pytest

from sklearn_gwin.benchmark import PRESETS, run_benchmark
from sklearn_gwin.benchmark.alternatives import augmented_views, equal_compute_epochs
from sklearn_gwin.benchmark.data import load_benchmark_data
from sklearn_gwin.benchmark.paper_results import paper_row
from sklearn_gwin.benchmark.presets import resolve_preset
from sklearn_gwin.benchmark.scoring import bootstrap_interval, compare, score_methods
from sklearn_gwin.bnn import BayesianLeNet5
from sklearn_gwin.cli import main

from conftest import DEVICE

# 10 test rows: the classifier is right on rows 0-5 and wrong on 6-9
Y = np.zeros(10, dtype=int)
BASE = np.array([0] * 6 + [1] * 4)
CERTAINTY = np.array([0.99, 0.99, 0.99, 0.99, 0.6, 0.6, 0.2, 0.2, 0.6, 0.99])
CANDIDATES = np.flatnonzero(CERTAINTY < 0.9)  # rows 4, 5, 6, 7, 8


def test_scores_match_a_hand_count():
    # seed 0 fixes rows 6 and 7; seed 1 fixes row 6 and breaks row 4
    predictions = {"fix": [np.array([0, 0, 0, 0, 1]), np.array([1, 0, 0, 1, 1])]}
    low, high = score_methods(Y, BASE, CERTAINTY, CANDIDATES, predictions, taus=(0.5, 0.9))
    assert low["n_rejected"] == 2 and low["percent_rejected"] == 20.0
    assert low["base_accuracy"] == 0.0
    assert low["accepted_accuracy"] == pytest.approx(100 * 6 / 8)
    fix = low["methods"]["fix"]
    assert fix["accuracy"] == (75.0, 25.0)  # 100% and 50% of the two rejected rows
    assert fix["overall_delta"] == (15.0, 5.0)  # +2 and +1 rows of 10
    assert fix["error_change"] == pytest.approx((-37.5, 12.5))  # 4 errors -> 2 and 3
    assert high["n_rejected"] == 5 and high["base_accuracy"] == 40.0
    assert high["methods"]["fix"]["accuracy"] == pytest.approx((60.0, 20.0))  # 4 and 2 of 5
    assert high["methods"]["fix"]["rejected_delta"] == pytest.approx((20.0, 20.0))


def test_bootstrap_interval_brackets_the_mean_and_is_zero_width_for_constants():
    rng = np.random.RandomState(0)
    differences = rng.choice([0.0, 1.0], size=200)
    low, high = bootstrap_interval(differences, rng)
    assert low < differences.mean() < high
    assert bootstrap_interval(np.ones(30), rng) == (1.0, 1.0)
    assert np.isnan(bootstrap_interval([], rng)[0])


def test_compare_gives_a_verdict_only_when_the_interval_excludes_zero():
    y = np.zeros(60, dtype=int)
    certainty = np.zeros(60)
    candidates = np.arange(60)
    right, wrong = [np.zeros(60, dtype=int)], [np.ones(60, dtype=int)]
    assert compare(y, certainty, candidates, right, wrong, 0.5)["verdict"] == "wins"
    assert compare(y, certainty, candidates, wrong, right, 0.5)["verdict"] == "loses"
    assert compare(y, certainty, candidates, right, right, 0.5)["verdict"] == "tie"


def test_augmented_views_keep_shape_and_move_pixels():
    X = np.zeros((2, 64), dtype=np.float32)
    X[:, 3 * 8 + 3] = 1.0
    views = augmented_views(X, (1, 8, 8))
    assert len(views) == 7 and views[0] is X
    assert all(v.shape == X.shape and v.dtype == X.dtype for v in views)
    # a one-pixel shift moves the lit pixel without losing it
    assert views[1][0].sum() == 1.0 and views[1][0, 3 * 8 + 4] == 1.0


def test_equal_compute_epochs_is_at_least_one():
    assert equal_compute_epochs(100, 20) == 5
    assert equal_compute_epochs(1, 20) == 1


def test_paper_rows_are_those_of_tables_1_2_7_and_8():
    assert paper_row("mnist", 0.9)["rejected_delta"] == (18.16, 2.55)
    assert paper_row("fashion-mnist", 0.5)["percent_rejected"] == 4.18
    assert paper_row("mnist", 0.1) is None and paper_row("digits", 0.9) is None
    # Tables 7-8, the improved BNN
    assert paper_row("mnist", 0.9, "improved")["rejected_delta"] == (8.36, 8.58)
    assert paper_row("fashion-mnist", 0.5, "improved")["percent_rejected"] == 0.19
    assert paper_row("mnist", 0.5, "improved") is None


def test_presets_resolve_and_bad_ones_are_named():
    name, settings = resolve_preset("cpu", datasets=["mnist"], seeds=[4, 5])
    assert name == "cpu" and settings["datasets"] == ("mnist",)
    assert settings["seeds"] == (4, 5) and settings["ablation_seeds"] == (4,)
    assert PRESETS["cpu"]["seeds"] == (0, 1, 2)  # the override copied, not mutated
    with pytest.raises(ValueError, match="Unknown preset 'gpu'"):
        resolve_preset("gpu")
    with pytest.raises(ValueError, match="main_variant"):
        resolve_preset({**PRESETS["smoke"], "main_variant": "nope"})
    with pytest.raises(ValueError, match="classifier 'resnet'"):
        resolve_preset({**PRESETS["smoke"], "classifier": "resnet"})
    assert resolve_preset("cpu-improved")[1]["classifier"] == "improved"
    assert resolve_preset("cpu")[1]["classifier"] == "lenet5"


def test_iteration_preset_measures_the_default_and_reuses_the_cpu_gwins():
    from sklearn_gwin import GWINClassifier

    _, settings = resolve_preset("cpu-iterations")
    assert settings["gwin"]["n_iter"] == GWINClassifier().n_iter
    short = {**settings["gwin"], **settings["variants"]["GWIN, 400 iterations"]}
    # the same settings as the cpu preset's GWIN, so its saved models load
    assert short == PRESETS["cpu"]["gwin"]
    assert settings["ablation_seeds"] == settings["seeds"]


def test_auto_preset_measures_the_library_defaults_on_images():
    from sklearn_gwin import GWINClassifier

    preset = PRESETS["cpu-auto"]
    defaults = GWINClassifier().get_params()
    for key in ("tau_star", "n_iter", "batch_size", "n_critic", "lr", "augmentation"):
        assert preset["gwin"][key] == defaults[key]
    resolved = GWINClassifier()._fit_config((1, 28, 28))
    assert preset["gwin"]["architecture"] == resolved["architecture"]
    assert preset["n_regen"] == defaults["n_regen"]
    # the default pools the row in: the benchmark scores it as "GWIN, n_regen=3 + input"
    assert defaults["pool_input"]
    # cpu-warp, the previous default, differs from it in the training rows only
    assert {**PRESETS["cpu-warp"]["gwin"], "augmentation": "auto"} == preset["gwin"]
    assert resolve_preset("cpu-auto-improved")[1]["classifier"] == "improved"
    assert resolve_preset("cpu-warp-improved")[1]["classifier"] == "improved"


TINY = {
    **PRESETS["smoke"],
    "name": "tiny",
    "seeds": (0, 1),
    "gwin": dict(tau_star=0.9, n_iter=10, batch_size=32, n_critic=0, lr=1e-3, architecture="mlp"),
}


def test_benchmark_runs_end_to_end_and_resumes(tmp_path):
    lines = []
    settings = dict(work_dir=tmp_path / "work", out_dir=tmp_path / "out", device=DEVICE)
    results = run_benchmark(TINY, **settings, log=lines.append)
    result = json.loads((tmp_path / "out" / "paper_tables_tiny_digits.json").read_text())
    assert result["rows"][0]["tau"] == 0.1 and len(result["rows"]) == 8
    methods = result["rows"][-1]["methods"]
    assert list(methods)[:2] == ["GWIN", "GWIN + critic (WGWIN-GP)"]
    for name in ("BNN, fresh MC draws", "TTA", "second model", "base + second model", "GWIN + TTA",
                 "GWIN, n_regen=3", "GWIN, n_regen=3 + input"):
        assert name in methods and name in result["rows"][-1]["versus"]
    assert len(result["fit_seconds"]["GWIN"]) == 2
    assert result["pooled_variant"] == "GWIN, n_regen=3"
    assert set(result["rows"][-1]["versus_pooled"]) == {
        "BNN, fresh MC draws", "TTA", "second model", "base + second model", "GWIN + TTA", "GWIN + second model",
        "GWIN, n_regen=3 + input",
    }
    # the certainty pass is computed once (every GWIN fit finds it in the cache)
    # and charged to every GWIN
    cache = tmp_path / "work" / "digits" / "cache"
    assert len([d for d, _, files in os.walk(cache) if "output.pkl" in files and "label_certainty_and_proba" in d]) == 1
    assert min(min(v) for k, v in result["fit_seconds"].items() if "GWIN" in k) > result["certainty_pass_seconds"]
    for figure in ("figure2", "figure3-4", "figure5"):
        assert (tmp_path / "out" / "figures" / f"tiny_digits_{figure}.png").exists()
    assert any("Rejected Acc. Δ" in line for line in lines)
    # where the models and the results go is said, not left for the user to find
    assert str((tmp_path / "work").resolve()) in lines[0] and str((tmp_path / "out").resolve()) in lines[0]

    # a second run loads every model instead of fitting it, and scores the same
    lines.clear()
    again = run_benchmark(TINY, **settings, figures=False, log=lines.append)
    assert sum(line.lstrip().startswith("loaded") for line in lines) == 7  # BNN, its certainty pass, 3 GWINs, 2 second models
    assert json.dumps(again["digits"]["rows"]) == json.dumps(results["digits"]["rows"])


def test_auto_augmentation_is_resolved_charged_and_shares_the_fixed_choices_gwin(tmp_path, monkeypatch):
    from sklearn_gwin.benchmark import runner

    # digits has no validation split: lend it one, as MNIST's paper split would be
    held_out = load_benchmark_data("digits").X_test[:60], load_benchmark_data("digits").y_test[:60]
    monkeypatch.setattr(runner, "PAPER_DATASETS", ("digits",))
    monkeypatch.setattr(runner, "load_validation_data", lambda dataset, data_home: held_out)
    settings = dict(work_dir=tmp_path / "work", out_dir=tmp_path / "out", device=DEVICE, figures=False)
    auto = {**TINY, "name": "auto", "seeds": (0,), "variants": {"GWIN": {}},
            "gwin": {**TINY["gwin"], "augmentation": "auto"}}
    result = run_benchmark(auto, **settings, log=lambda line: None)["digits"]
    (choice,) = result["augmentation_chosen"]["GWIN"]
    assert choice["n_validation"] == 60 and choice["augmentation"] in (None, "affine")
    assert result["variants"]["GWIN"]["augmentation"] == "auto"

    # the fixed choice's run loads the very GWIN "auto" fitted, and is charged less for it
    lines = []
    fixed = {**auto, "name": "fixed", "gwin": {**TINY["gwin"], "augmentation": choice["augmentation"]}}
    again = run_benchmark(fixed, **settings, log=lines.append)["digits"]
    assert any(line.lstrip().startswith("loaded") and "gwin_" in line for line in lines)
    assert again["rows"][-1]["methods"]["GWIN"] == result["rows"][-1]["methods"]["GWIN"]
    assert result["fit_seconds"]["GWIN"][0] > again["fit_seconds"]["GWIN"][0]


def test_cli_benchmark_runs_quietly_and_reports_bad_presets(tmp_path, capsys):
    args = ["benchmark", "--preset", "smoke", "--device", DEVICE]
    args += ["--work-dir", str(tmp_path), "--out", str(tmp_path)]
    assert main([*args, "--seeds", "0", "--no-figures", "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert (tmp_path / "paper_tables_smoke_digits.json").exists()
    with pytest.raises(SystemExit) as exit_info:
        main(["benchmark", "--preset", "gpu", "--quiet"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("gwin: error: Unknown preset 'gpu'")


class StandIn(BayesianLeNet5):
    """Stands in for the improved BNN, which needs 28x28 images, on 8x8 digits."""


def test_benchmark_trains_the_classifier_the_preset_names(tmp_path, monkeypatch):
    import joblib

    from sklearn_gwin.benchmark import runner

    monkeypatch.setitem(runner.NETS, "improved", StandIn)
    preset = {**TINY, "classifier": "improved", "seeds": (0,), "variants": {"GWIN": {}}}
    results = run_benchmark(
        preset, work_dir=tmp_path, out_dir=tmp_path / "out", figures=False, log=None, device=DEVICE
    )
    assert results["digits"]["classifier"] == "improved"
    names = sorted(path.name for path in (tmp_path / "digits").glob("*.joblib"))
    assert [name.split("_")[0] for name in names] == ["bnn", "gwin", "second", "train"]
    assert all("ibnn" in name for name in names)
    nets = [joblib.load(tmp_path / "digits" / name)[0] for name in (names[0], names[2])]
    assert all(isinstance(net, StandIn) for net in nets)


def _benchmark_script(name):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_n_regen_script_matches_draws_and_reuses_the_benchmark_gwins(tmp_path):
    n_regen = _benchmark_script("n_regen")
    preset = {**TINY, "seeds": (0,), "variants": {"GWIN": {}}}
    result = n_regen.run(preset, "digits", None, tmp_path, draws=(1, 2), device=DEVICE)
    assert [row["tau"] for row in result["rows"]] == [0.5, 0.7, 0.8, 0.9, 0.95, 0.99]
    methods = result["rows"][-1]["methods"]
    assert set(methods) == {"TTA", "BNN, 1 x MC draws", "BNN, 2 x MC draws", "GWIN, n_regen=1", "GWIN, n_regen=2"}
    assert set(result["rows"][-1]["versus"]) == {
        "GWIN, n_regen=1 vs BNN, 1 x MC draws", "GWIN, n_regen=1 vs TTA",
        "GWIN, n_regen=2 vs BNN, 2 x MC draws", "GWIN, n_regen=2 vs TTA", "GWIN, n_regen=2 vs GWIN, n_regen=1",
    }
    assert result["tta_views"] == 7 and result["n_candidates"] >= methods["TTA"]["n_rejected"] > 0
    summary = n_regen.summarise(json.loads(json.dumps(result, default=float)))
    assert "| GWIN, n_regen=2 | 20 |" in summary  # 2 versions x 10 Monte Carlo draws

    # the benchmark finds the script's classifier, certainty pass and GWIN, and fits only its second model
    lines = []
    run_benchmark(
        preset, work_dir=tmp_path, out_dir=tmp_path / "out", figures=False, log=lines.append, device=DEVICE
    )
    loaded = [line for line in lines if line.lstrip().startswith("loaded")]
    assert len(loaded) == 3 and any("gwin_" in line for line in loaded)

    # another classifier seed fits another classifier, and the GWIN around it
    other = n_regen.run(preset, "digits", None, tmp_path, draws=(1,), device=DEVICE, bnn_seed=5)
    assert other["bnn_seed"] == 5
    assert len(list((tmp_path / "digits").glob("bnn_*seed5.joblib"))) == 1
    assert len(list((tmp_path / "digits").glob("gwin_*5_seed0.joblib"))) == 1


def test_a_result_is_written_with_its_machine_date_time_and_command(tmp_path):
    import time

    from sklearn_gwin.benchmark.runner import write_result

    started = time.perf_counter() - 2.4
    record = write_result(tmp_path / "result.json", started, "python benchmarks/x.py", rows=[1, 2])
    assert json.loads((tmp_path / "result.json").read_text()) == record
    assert record["rows"] == [1, 2] and record["seconds"] == 2 and record["command"] == "python benchmarks/x.py"
    assert "torch" in record["machine"] and record["date"] == time.strftime("%Y-%m-%d")
