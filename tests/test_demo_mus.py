"""The 2025 demo's handkassa control by monetary-unit sampling (H2): drawn, reviewed and run."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import random
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.engine import draw_sample
from internkontroll.planfile import load_plan

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "controls" / "exempel"
WORKSHEET = DEMO / "granskning" / "H2-beloppsurval.csv"


def reviewer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("granska_2025", DEMO / "granska_2025.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def worksheet_ids(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return [row["Ärende-id"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    copy = tmp_path / "exempel"
    shutil.copytree(DEMO, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_h2_is_judged_on_the_upper_misstatement(tmp_path: Path) -> None:
    out = tmp_path / "resultat"
    result = CliRunner().invoke(cli, ["run", str(DEMO / "plan-2025.toml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    h2 = next(c for c in document["controls"] if c["id"] == "H2")
    assert h2["sample"]["method"] == "monetary"
    metrics = h2["metrics"]
    assert metrics["sample.points"] == 93  # AICPA C-1: 5 % risk, 5 % tolerable, ratio 0,2
    assert metrics["sample.misstatement"] < metrics["sample.upper_misstatement"]
    assert "sample.upper_misstatement" in h2["reason"]
    assert "det övre felbeloppet" in h2["result_text"]
    assert [i["dataset"] for i in h2["inputs"]][-1] == "arbetsblad"
    # The README's worked example ("Exempel: handkassorna 2025") quotes these figures.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sentence = h2["result_text"][h2["result_text"].index("Urvalet om") :]
    assert " ".join(sentence.split()) in " ".join(readme.replace('"', " ").split())


def test_the_committed_worksheet_is_the_one_the_ledger_gives(demo: Path) -> None:
    """If this fails after the ledger changed: run ``python controls/exempel/generate_2025.py``."""
    (demo / "granskning" / "H2-beloppsurval.csv").unlink()
    reviewer().main(demo)
    assert (demo / "granskning" / "H2-beloppsurval.csv").read_bytes() == WORKSHEET.read_bytes()


def test_shuffled_ledger_rows_draw_the_same_items(demo: Path) -> None:
    ledger = demo / "data" / "kassabok.csv"
    header, *rows = ledger.read_text(encoding="utf-8").splitlines()
    random.Random(5).shuffle(rows)
    ledger.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    _, drawn = draw_sample(*load_plan(demo / "plan-2025.toml"), "H2")
    assert sorted(drawn.strata) == sorted(worksheet_ids(WORKSHEET))
