"""Every example script runs (with few GAN iterations)."""

import runpy
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(script, monkeypatch, capsys):
    monkeypatch.setenv("SKLEARN_GWIN_EXAMPLE_N_ITER", "10")
    monkeypatch.setenv("SKLEARN_GWIN_EXAMPLE_EPOCHS", "3")
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()


def test_there_are_examples():
    assert len(EXAMPLES) >= 4
