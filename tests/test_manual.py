"""Manual controls and controls awaiting a person: validated, run, "ej bedömd" until assessed,
and the checklist worksheet's round trip."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.errors import PlanError
from internkontroll.planfile import load_plan

from .conftest import PLAN, write

ITEMS = [
    "Bilaga J är ifylld.",
    "Antal timmar i bilaga J stämmer med schemat.",
    "Bilaga J är signerad av enhetschef.",
]

MANUAL = """
[[risk]]
id = "R2"
title = "Scheman ligger utanför beslut."
likelihood = 3
impact = 3
handling = "kontroll"

[[control]]
id = "K7"
risk = "R2"
title = "Bilaga J"
method = "Stickprov"
owner = "Enhetschef"
frequency = "Kvartalsvis"
report_at = ["delår", "helår"]
items = ["Bilaga J är ifylld.", "Antal timmar i bilaga J stämmer med schemat.", \
"Bilaga J är signerad av enhetschef."]
worksheet = "granskning/K7.xlsx"

[[control]]
id = "K8"
risk = "R2"
title = "APT minst sex gånger per år"
frequency = "årligen"
"""


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def mixed(plan_dir: Path) -> Path:
    """The one-control data plan with a checklist control and a plain manual control added."""
    return write(plan_dir / "plan.toml", PLAN + MANUAL)


def results(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    return {c["id"]: c for c in document["controls"]}


def bilaga1(out: Path) -> dict[str, str]:
    """Bedömning per control title, from the report's CSV."""
    code, text = invoke("report", str(out), "--table", "bilaga1", "--format", "csv")
    assert code == 0, text
    lines = [line.split(";") for line in text.lstrip("\ufeff").splitlines()[1:]]
    return {cells[2].strip('"').split("\n")[0]: cells[3] for cells in lines if len(cells) > 3}


def fill(path: Path, answers: list[str | None], comments: list[str] | None = None) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    for row, answer in enumerate(answers, start=2):
        sheet.cell(row=row, column=3).value = answer
        if comments:
            sheet.cell(row=row, column=4).value = comments[row - 2]
    book.save(path)


def test_mixed_plan_validates_and_warns_nothing(mixed: Path) -> None:
    plan, _ = load_plan(mixed)
    assert [c.manual for c in plan.controls] == [False, True, True]
    assert plan.controls[1].frequency == "kvartalsvis"  # written with a capital, kept as the key
    code, output = invoke("validate", str(mixed))
    assert code == 0 and "varning" not in output


def test_manual_controls_are_ej_bedomd_until_a_person_assesses(mixed: Path) -> None:
    out = mixed.parent / "resultat"
    code, output = invoke("run", str(mixed), "--out", str(out))
    # Waiting for people is not a failed run: exit 0, and the run says who is waiting.
    assert code == 0, output
    assert "väntar på bedömning i bedomning.toml: K7, K8" in output
    # Paths as the user can type them from where they stand, the worksheet beside the plan.
    hint = "internkontroll checklist {} --control K7 --out {}".format(
        os.path.relpath(mixed), os.path.relpath(mixed.parent / "granskning" / "K7.xlsx")
    )
    assert hint in output
    stored = results(out)
    assert stored["K8"]["assessment"] == "ej_genomford"
    assert stored["K8"]["awaiting_assessment"] is True and stored["K8"]["status"] == "planerad"
    assert stored["K8"]["check"] is None and stored["K8"]["inputs"] == []
    shown = bilaga1(out)
    assert shown["APT minst sex gånger per år"] == "Ej bedömd"
    assert shown["Bilaga J"] == "Ej bedömd"
    code, summary = invoke("summary", str(out))
    assert "bilaga J och APT minst sex gånger per år har ännu inte bedömts" in summary, summary

    bedomning = out / "bedomning.toml"
    text = bedomning.read_text(encoding="utf-8")
    text = text[: text.index("[controls.K8]")] + (
        '[controls.K8]\ntitle = "APT minst sex gånger per år"\nassessment = "utan_anmarkning"\n'
        'motivation = "Sju APT hölls under året, enligt protokollen."\n'
    )
    bedomning.write_text(text, encoding="utf-8")
    code, md = invoke("report", str(out), "--table", "bilaga1", "--format", "md")
    assert code == 0, md
    row = next(line for line in md.splitlines() if "APT minst sex" in line)
    assert "Utan anmärkning" in row and "Sju APT hölls under året, enligt protokollen." in row
    assert "Manuell kontroll som bedöms av ansvarig" not in row
    assert bilaga1(out)["Bilaga J"] == "Ej bedömd"
    code, plan_md = invoke("report", str(out), "--table", "plan", "--format", "md")
    statuses = {
        line.split("|")[1].strip().split("<br>")[0]: line.split("|")[-2].strip()
        for line in plan_md.splitlines()
        if line.startswith("| ") and ("Bilaga J" in line or "APT" in line or "Verkst" in line)
    }
    assert statuses == {
        "Verkställighetstid": "Genomförd",
        "Bilaga J": "Planerad",
        "APT minst sex gånger per år": "Genomförd",
    }


def test_checklist_round_trip(mixed: Path) -> None:
    sheet = mixed.parent / "granskning" / "K7.xlsx"
    code, output = invoke("checklist", str(mixed), "--control", "K7", "--out", str(sheet))
    assert code == 0, output
    book = openpyxl.load_workbook(sheet)
    rows = [[c.value for c in row] for row in book.active.iter_rows()]  # type: ignore[union-attr]
    assert rows[0] == ["Nr", "Kontrollpunkt", "svar", "kommentar"]
    assert [r[1] for r in rows[1:]] == ITEMS
    # Never over a file that exists (it may be filled in).
    code, output = invoke("checklist", str(mixed), "--control", "K7", "--out", str(sheet))
    assert code == 1 and "skrivs inte över" in output

    out = mixed.parent / "resultat"
    fill(sheet, ["ja", None, "nej"])  # a blank: incomplete, still waiting, in progress
    code, output = invoke("run", str(mixed), "--out", str(out))
    assert code == 0, output
    k7 = results(out)["K7"]
    assert k7["awaiting_assessment"] and k7["status"] == "pagar"
    assert "1 av 3 punkter" in k7["reason"] and "rad 3" in k7["reason"]

    fill(sheet, ["ja", "kanske", "Nej"])  # an answer outside the three: a row error, exit 3
    code, output = invoke("run", str(mixed), "--out", str(out))
    assert code == 3, output
    k7 = results(out)["K7"]
    assert not k7["awaiting_assessment"] and k7["assessment"] == "ej_genomford"
    assert "rad 3: 'kanske'; väntade ja, nej, ej tillämpligt" in k7["reason"]
    code, summary = invoke("summary", str(out))
    assert "Kontrollpunkten bilaga J har inte genomförts." in summary, summary
    assert "Kontrollpunkten APT minst sex gånger per år har ännu inte bedömts." in summary

    fill(sheet, ["Ja", "ej tillämpligt", "nej"], ["", "", "Saknar signatur i två fall."])
    code, output = invoke("run", str(mixed), "--out", str(out))
    assert code == 0, output
    k7 = results(out)["K7"]
    assert k7["metrics"] == {"items": 3, "ja": 1, "nej": 1, "ej_tillampligt": 1, "rate": 0.5}
    assert k7["awaiting_assessment"] and k7["status"] == "pagar"  # no criteria: a person judges
    assert k7["inputs"][0]["dataset"] == "checklista" and k7["inputs"][0]["rows"] == 3
    findings = (out / "avvikelser" / "K7.csv").read_text(encoding="utf-8-sig")
    assert "punkt 3" in findings
    assert "Bilaga J är signerad av enhetschef (Saknar signatur i två fall)" in findings

    # A changed list of points is refused with the difference.
    changed = mixed.read_text(encoding="utf-8").replace(
        '"Bilaga J är signerad av enhetschef."', '"Bilaga J är arkiverad."'
    )
    mixed.write_text(changed, encoding="utf-8")
    code, output = invoke("run", str(mixed), "--out", str(out))
    assert code == 3
    reason = results(out)["K7"]["reason"]
    assert "punkter som inte finns i planen: Bilaga J är signerad av enhetschef." in reason
    assert "punkter i planen som saknas i arbetsbladet: Bilaga J är arkiverad." in reason


def test_checklist_with_criteria_is_judged(mixed: Path) -> None:
    text = mixed.read_text(encoding="utf-8").replace(
        '[[control]]\nid = "K8"',
        '[control.criteria]\nmetric = "rate"\nbetter = "higher"\nutan_anmarkning = 1.0\n'
        'forsumbar_anmarkning = 0.6\n\n[[control]]\nid = "K8"',
    )
    mixed.write_text(text, encoding="utf-8")
    sheet = mixed.parent / "granskning" / "K7.xlsx"
    assert invoke("checklist", str(mixed), "--control", "K7", "--out", str(sheet))[0] == 0
    fill(sheet, ["ja", "ja", "nej"])  # 2 of 3: at least 0.6, below 1.0
    out = mixed.parent / "resultat"
    invoke("run", str(mixed), "--out", str(out))
    k7 = results(out)["K7"]
    assert k7["assessment"] == "forsumbar_anmarkning" and k7["status"] == "genomford"
    assert not k7["awaiting_assessment"]


def test_data_control_without_criteria_shows_figures_for_a_person(plan_dir: Path) -> None:
    plan = write(plan_dir / "plan.toml", PLAN[: PLAN.index("[control.criteria]")])
    out = plan_dir / "resultat"
    code, output = invoke("run", str(plan), "--out", str(out))
    assert code == 0, output
    k1 = results(out)["K1"]
    assert k1["awaiting_assessment"] and k1["metrics"]["SoL.n"] > 0
    assert bilaga1(out)["Verkställighetstid"] == "Ej bedömd"
    code, md = invoke("report", str(out), "--format", "md")
    assert k1["result_text"] in md.replace("<br>", " ")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('title = "Bilaga J"', 'title = "Bilaga J"\ndataset = "beslut"'), "dataset kräver en"),
        (('frequency = "årligen"', 'frequency = "arligen"'), "menade du 'årligen'"),
        (('report_at = ["delår", "helår"]', 'report_at = ["vår"]'), "väntade delår och/eller"),
        (('title = "Verkställighetstid"', 'title = "V"\nitems = ["a"]'), "items hör till"),
        (('frequency = "årligen"', 'frequency = "årligen"\nworksheet = "x.xlsx"'), "worksheet"),
    ],
)
def test_manual_mistakes_are_plan_errors(
    mixed: Path, change: tuple[str, str], expected: str
) -> None:
    text = mixed.read_text(encoding="utf-8").replace(*change, 1)
    mixed.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(mixed)
    messages = [str(p) for p in caught.value.problems]
    assert any(expected in m and "plan.toml:" in m for m in messages), messages


def test_validate_warns_when_a_controlled_risk_has_no_control(mixed: Path) -> None:
    text = mixed.read_text(encoding="utf-8").replace('risk = "R2"', 'risk = "R1"')
    mixed.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(mixed)])
    assert result.exit_code == 0
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t == 'handling = "kontroll"')
    assert f"varning: plan.toml:{line}: risk R2: hanteringen är kontroll" in result.stderr


def test_wrong_report_at_and_handling_are_named_once_with_a_suggestion(mixed: Path) -> None:
    text = mixed.read_text(encoding="utf-8")
    text = text.replace('report_at = ["delår", "helår"]', 'report_at = ["delar"]', 1)
    text = text.replace('handling = "kontroll"', 'handling = "kontrol"', 1)
    mixed.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(mixed)
    messages = [str(p) for p in caught.value.problems]
    [moment] = [m for m in messages if "'delar'" in m]
    assert moment.count("report_at:") == 1, moment
    assert "väntade delår och/eller helår" in moment
    [handling] = [m for m in messages if "handling" in m]
    assert "menade du 'kontroll'?" in handling, handling


def test_checklist_of_one_item_says_punkt(mixed: Path) -> None:
    text = mixed.read_text(encoding="utf-8")
    start = text.index("items = [")
    end = text.index("]", start) + 1
    mixed.write_text(text[:start] + 'items = ["Bilaga J är ifylld."]' + text[end:], "utf-8")
    sheet = mixed.parent / "granskning" / "K7.xlsx"
    code, output = invoke("checklist", str(mixed), "--control", "K7", "--out", str(sheet))
    assert code == 0, output
    assert ": 1 punkt för K7 Bilaga J." in output
