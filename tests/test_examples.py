"""Every example script runs (with few GAN iterations)."""

import runpy
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.py"))


# examples that need an optional extra, and the module that extra installs
NEEDS = {"dask_grid_search": "dask.distributed"}


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(script, monkeypatch, capsys):
    if script.stem in NEEDS:
        pytest.importorskip(NEEDS[script.stem], reason=f"the {script.stem} example needs the 'distributed' extra")
    monkeypatch.setenv("SKLEARN_GWIN_EXAMPLE_N_ITER", "10")
    monkeypatch.setenv("SKLEARN_GWIN_EXAMPLE_EPOCHS", "3")
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()


def test_there_are_examples():
    assert len(EXAMPLES) >= 4
