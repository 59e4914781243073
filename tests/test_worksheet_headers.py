"""A reviewer's worksheet is headed in words the reviewer knows, never a plan's field name.

K3 of the demo plan selects on ``include = { outcome = [...] }``; its worksheet once had the
column ``outcome`` between Lag and uppfoljd. A field without a Swedish label is now headed as
the export heads it (the plan's ``[datasets.beslut.columns]``: ``outcome = "Utfall"``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "controls" / "exempel" / "plan.toml"


def test_every_column_of_the_worksheet_is_a_word_for_the_reviewer(tmp_path: Path) -> None:
    out = tmp_path / "K3.csv"
    result = CliRunner().invoke(cli, ["sample", str(PLAN), "--control", "K3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    fields = tomllib.loads(PLAN.read_text(encoding="utf-8"))["datasets"]["beslut"]["columns"]
    assert "Utfall" in header
    assert not set(header) & set(fields), header
