"""The user guide's code blocks run as written."""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"
# what each page's blocks print, when they ran as they should
PRINTS = {
    "abstention.md": ["abstention alone: threshold", "GWIN: repair, then abstain: threshold"],
    "getting_started.md": [
        "of 450 test images rejected at tau=0.9",
        "of 143 test rows rejected at tau=0.8",
        "the GWIN holds your classifier: True",
    ],
    "guide.md": ["gwinclassifier__tau", "rows rejected by the custom rule: ", "decision: "],
}


@pytest.mark.parametrize("page", sorted(PRINTS))
def test_every_python_block_of_the_guide_runs(page, tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / page).read_text(), flags=re.S)
    assert blocks, f"docs/{page} has no python block to run"
    monkeypatch.chdir(tmp_path)  # caches (memory="gwin-cache") land here
    for block in blocks:
        exec(compile(block, f"docs/{page}", "exec"), {})
    printed = capsys.readouterr().out
    for expected in PRINTS[page]:
        assert expected in printed
