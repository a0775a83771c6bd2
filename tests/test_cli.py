import inspect
import subprocess
import sys

import numpy as np
import pytest

from sklearn_gwin._demo import run_demo
from sklearn_gwin.cli import main


def test_demo_prints_the_table_at_small_size():
    lines = []
    rows = run_demo(
        n_iter=20, max_epochs=2, tau_star=0.0, taus=(0.5, 0.9), verbose=0, out=lines.append
    )
    assert lines[1].startswith("base accuracy")
    assert len(rows) == 2 and rows[0]["rejected"] <= rows[1]["rejected"]
    assert all(0 <= row["acc_after"] <= 1 for row in rows if not np.isnan(row["acc_after"]))


def test_cli_runs_the_demo(capsys):
    assert main(["demo", "--n-iter", "5", "--max-epochs", "1", "--tau-star", "0", "--quiet"]) == 0
    assert "rejected acc. before" in capsys.readouterr().out


def test_module_entry_point_shows_help():
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_gwin", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "demo" in result.stdout


def test_cli_reports_bad_settings_without_a_traceback(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--n-iter", "2", "--max-epochs", "1", "--tau-star", "1.5", "--quiet"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("gwin: error: The 'tau_star' parameter") and "Traceback" not in err


def test_version_and_the_benchmarks_duration_are_on_the_command_line(capsys):
    from sklearn_gwin import __version__

    with pytest.raises(SystemExit):
        main(["--version"])
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["benchmark", "--help"])
    help_text = capsys.readouterr().out.replace("\n", " ")
    assert "over an hour" in help_text


def test_the_benchmark_writes_outside_the_repositorys_records_by_default(monkeypatch):
    import sklearn_gwin.benchmark as benchmark

    called = {}
    monkeypatch.setattr(benchmark, "run_benchmark", lambda preset, **kwargs: called.update(kwargs))
    main(["benchmark", "--preset", "smoke", "--quiet"])
    assert called["out_dir"] == "gwin-benchmark-results"
    # and the Python function's own default (not the stand-in above) is the same folder
    from sklearn_gwin.benchmark.runner import run_benchmark

    assert inspect.signature(run_benchmark).parameters["out_dir"].default == "gwin-benchmark-results"


def test_a_dataset_the_paper_did_not_use_gets_no_nan_paper_accuracy():
    from sklearn_gwin.benchmark.report import _paper_accuracy_note

    assert _paper_accuracy_note(dict(dataset="digits")) == ""
    assert _paper_accuracy_note(dict(dataset="mnist")).startswith(" (the paper's: ")
