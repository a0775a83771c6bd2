"""The README's scikit-learn example runs as written."""

import re
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"


def test_readme_pipeline_and_grid_search_example(tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    example = next(block for block in blocks if "GridSearchCV" in block)
    monkeypatch.chdir(tmp_path)  # its memory="gwin-cache" lands here
    exec(compile(example, "README.md", "exec"), {})
    assert "gwinclassifier__tau" in capsys.readouterr().out
    cached = [p for p in (tmp_path / "gwin-cache").rglob("output.pkl") if "fit_components" in str(p)]
    # three folds and the refit: four GAN trainings for eight values of tau
    assert len(cached) == 4
