"""Actions with a life: owner, due date, status and log, from the plan and from bedomning.toml;
shown in Bilaga 1's Åtgärd cell in every format and in the action plan with the newest entry."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document as WordDocument

from internkontroll.cli import cli

ROOT = Path(__file__).resolve().parents[1]
K4_ACTION = "Ta fram en rutin för uppföljning av icke tidsbegränsade tillsvidarebeslut."
K4_DETAILS = "Ansvarig: Myndighetsenheten. Klart senast: 30 juni 2025. Status: Pågår."

LOG = """
[[action.log]]
date = 2024-06-10
text = "Ett utkast till rutin är skrivet."

[[action.log]]
date = 2025-02-03
text = "Rutinen är remitterad till enheterna."
"""

PERSON_ACTION = """
[[controls.K1.action]]
action = "Se över bemanningen i LSS-gruppen."
owner = "Enhetschef LSS"
due = 2024-10-31
status = "Pågår"

[[controls.K1.action.log]]
date = 2024-09-15
text = "Två tjänster är tillsatta."
"""


def invoke(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plan with a log on its first action (linked to K4)."""
    folder = tmp_path_factory.mktemp("demo") / "exempel"
    shutil.copytree(ROOT / "controls" / "exempel", folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    first = text.index('control = "K4"') + len('control = "K4"\n')
    plan.write_text(text[:first] + LOG + text[first:], encoding="utf-8")
    return plan


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def run_at(plan: Path, out: Path, as_of: str) -> Path:
    invoke("run", str(plan), "--out", str(out), "--as-of", as_of)
    return out


def test_plan_action_linked_to_k4_is_in_its_cell_in_every_format(
    demo: Path, tmp_path: Path
) -> None:
    out = run_at(demo, tmp_path / "resultat", "2024-12-31")
    files = {}
    for fmt in ("docx", "xlsx", "html", "md"):
        files[fmt] = tmp_path / f"bilaga1.{fmt}"
        invoke("report", str(out), "--format", fmt, "--output", str(files[fmt]))
    [table] = WordDocument(str(files["docx"])).tables
    k4_docx = table.rows[4].cells[5].text
    sheet = openpyxl.load_workbook(files["xlsx"]).worksheets[0]
    k4_xlsx = str(sheet.cell(row=5, column=6).value)
    assert sheet.cell(row=5, column=3).value.startswith("Uppföljning av tillsvidarebeslut")
    for cell in (k4_docx, k4_xlsx):
        assert cell.startswith(f"{K4_ACTION}\n{K4_DETAILS}")
    html = files["html"].read_text(encoding="utf-8")
    assert K4_ACTION in html and K4_DETAILS in html
    md = files["md"].read_text(encoding="utf-8")
    k4_row = next(line for line in md.splitlines() if "Uppföljning av tillsvidarebeslut" in line)
    assert f"{K4_ACTION}<br>{K4_DETAILS}" in k4_row
    # K1 has no linked action: its cell stays empty.
    assert table.rows[1].cells[5].text == ""


def test_action_plan_shows_the_newest_log_entry_at_as_of(demo: Path, tmp_path: Path) -> None:
    at_year_end = run_at(demo, tmp_path / "helar", "2024-12-31")
    text = invoke("report", str(at_year_end), "--table", "atgarder", "--format", "csv")
    row = next(r for r in csv_rows(text) if r[1] == K4_ACTION)
    # The entry of 2025-02-03 is after the results' date: the newest at 2024-12-31 is June's.
    assert row[4].endswith("Senast 10 juni 2024: Ett utkast till rutin är skrivet.")
    assert "remitterad" not in text
    later = run_at(demo, tmp_path / "senare", "2025-03-01")
    text = invoke("report", str(later), "--table", "atgarder", "--format", "csv")
    assert "Senast 3 februari 2025: Rutinen är remitterad till enheterna." in text


def test_bedomning_actions_take_the_same_fields(demo: Path, tmp_path: Path) -> None:
    out = run_at(demo, tmp_path / "resultat", "2024-12-31")
    with (out / "bedomning.toml").open("a", encoding="utf-8") as handle:
        handle.write(PERSON_ACTION)
    bilaga = csv_rows(invoke("report", str(out), "--format", "csv"))
    k1 = next(r for r in bilaga if r[2].startswith("Utredningstid"))
    assert k1[5] == (
        "Se över bemanningen i LSS-gruppen.\n"
        "Ansvarig: Enhetschef LSS. Klart senast: 31 oktober 2024. Status: Pågår – FÖRSENAD."
    )
    plan = csv_rows(invoke("report", str(out), "--table", "atgarder", "--format", "csv"))
    row = next(r for r in plan if "bemanningen" in r[1])
    assert row[0] == "Utredningstid"  # no activity given: the control's title
    assert row[2] == "Pågår – FÖRSENAD" and row[3] == "Enhetschef LSS"
    assert row[4] == (
        "Klar senast 31 oktober 2024\n\nSenast 15 september 2024: Två tjänster är tillsatta."
        "\n\nFrån bedömningen"
    )


def test_written_actions_text_stands_instead_of_the_plans_list(
    demo: Path, tmp_path: Path
) -> None:
    out = run_at(demo, tmp_path / "resultat", "2024-12-31")
    text = (out / "bedomning.toml").read_text(encoding="utf-8")
    k4 = text.index("[controls.K4]")
    text = text[:k4] + text[k4:].replace('actions = ""', 'actions = "Rutinen klar 2025."', 1)
    (out / "bedomning.toml").write_text(text + PERSON_ACTION, encoding="utf-8")
    rows = csv_rows(invoke("report", str(out), "--format", "csv"))
    k4_row = next(r for r in rows if r[2].startswith("Uppföljning av tillsvidarebeslut"))
    assert k4_row[5] == "Rutinen klar 2025."
    k1_row = next(r for r in rows if r[2].startswith("Utredningstid"))
    assert k1_row[5].startswith("Se över bemanningen i LSS-gruppen.")  # a person's own action


def test_a_misspelt_action_key_is_refused_with_its_line(demo: Path, tmp_path: Path) -> None:
    out = run_at(demo, tmp_path / "resultat", "2024-12-31")
    text = (out / "bedomning.toml").read_text(encoding="utf-8")
    broken = PERSON_ACTION.replace("owner =", "ownr =")
    (out / "bedomning.toml").write_text(text + broken, encoding="utf-8")
    line = (text + broken).splitlines().index('ownr = "Enhetschef LSS"') + 1
    message = invoke("report", str(out), "--format", "md", code=1)
    assert f"bedomning.toml:{line}: kontroll K1:" in message
    assert "okänd nyckel 'action.0.ownr'" in message


def test_an_action_plan_without_actions_says_so(plan_dir: Path) -> None:
    """A plan with no actions gives a sentence above the empty table, not a bare header."""
    out = plan_dir / "ut"
    invoke("run", str(plan_dir / "plan.toml"), "--out", str(out))
    text = invoke("report", str(out), "--table", "atgarder", "--format", "md")
    assert "Inga åtgärder är beslutade: planen har ingen [[action]] och bedomning.toml" in text
