"""The user guide's code blocks run as written."""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"


@pytest.mark.parametrize("page", ["abstention.md"])
def test_every_python_block_of_the_guide_runs(page, capsys):
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / page).read_text(), flags=re.S)
    assert blocks, f"docs/{page} has no python block to run"
    for block in blocks:
        exec(compile(block, f"docs/{page}", "exec"), {})
    printed = capsys.readouterr().out
    assert "abstention alone: threshold" in printed and "GWIN: repair, then abstain: threshold" in printed
