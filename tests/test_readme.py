"""The README's examples run as written."""

import re
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"


def _blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_image_example(capsys):
    example = next(block for block in _blocks() if "load_digits" in block)
    exec(compile(example, "README.md", "exec"), {})
    assert "rejected; accuracy on them" in capsys.readouterr().out


def test_readme_table_and_grid_search_example(tmp_path, monkeypatch, capsys):
    example = next(block for block in _blocks() if "GridSearchCV" in block)
    monkeypatch.chdir(tmp_path)  # its memory="gwin-cache" lands here
    exec(compile(example, "README.md", "exec"), {})
    assert "'tau'" in capsys.readouterr().out
    cached = [p for p in (tmp_path / "gwin-cache").rglob("output.pkl") if "fit_components" in str(p)]
    # three folds and the refit: four GAN trainings for six values of tau
    assert len(cached) == 4
