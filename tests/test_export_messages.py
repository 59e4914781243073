"""What a user is told about an export that is empty, in the wrong encoding or with the wrong
delimiter, and about a personnummer in a grouping field: the place (file, line, row, column)
and what to do, in both read paths, and never the number itself.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.engine import run_plan
from internkontroll.errors import PlanError
from internkontroll.planfile import load_plan

from .conftest import BESLUT_HEADER, PLAN, write

PATHS = [0, 8192, 2]
"""The row path (the reference) and the batch path, in one batch and in many."""

PNR_DIGITS = ("19121212", "121212-1212", "1212121212")


def _results(plan_path: Path, batch_rows: int) -> dict[str, object]:
    plan, host = load_plan(plan_path)
    return {result.control.id: result for result in run_plan(plan, host, batch_rows=batch_rows)}


def _no_personnummer(*texts: str) -> None:
    for text in texts:
        assert not any(digits in text for digits in PNR_DIGITS)


def _folder_text(out: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in sorted(out.rglob("*")) if p.is_file()
    )


# A header and no data rows -------------------------------------------------------------------


@pytest.mark.parametrize("batch_rows", PATHS)
@pytest.mark.parametrize("body", ["", "\n\n;;;;\n"])
def test_an_export_with_only_its_header_is_not_carried_out(
    plan_dir: Path, batch_rows: int, body: str
) -> None:
    write(plan_dir / "beslut.csv", BESLUT_HEADER + "\n" + body)
    result = _results(plan_dir / "plan.toml", batch_rows)["K1"]
    assert result.assessment.value == "ej_genomford"  # type: ignore[attr-defined]
    assert result.failure == (  # type: ignore[attr-defined]
        "exporten beslut.csv (datamängden beslut) har inga datarader, bara rubrikraden; "
        "kontrollera att exporten är hel och gjord för rätt period"
    )


def test_a_sheet_with_only_its_header_says_so_in_run(plan_dir: Path) -> None:
    plan = plan_dir / "plan.toml"
    plan.write_text(PLAN.replace('path = "beslut.csv"', 'path = "beslut.xlsx"'), encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(BESLUT_HEADER.split(";"))
    book.save(plan_dir / "beslut.xlsx")
    ran = CliRunner().invoke(cli, ["run", str(plan), "--out", str(plan_dir / "ut")])
    assert ran.exit_code == 3, ran.output
    assert "K1: ej genomförd: exporten beslut.xlsx (datamängden beslut) har inga datarader" in (
        ran.stdout
    )
    assert "finns inte i kontrollens resultat" not in ran.output


def test_one_data_row_is_enough_to_be_judged(plan_dir: Path) -> None:
    write(plan_dir / "beslut.csv", BESLUT_HEADER + "\nB1;;SoL;2024-01-10;2024-01-15\n")
    for batch_rows in PATHS:
        result = _results(plan_dir / "plan.toml", batch_rows)["K1"]
        assert result.failure == ""  # type: ignore[attr-defined]
        assert result.outcome.metrics["SoL.mean_days"] == 5  # type: ignore[attr-defined]


# Encoding and delimiter ----------------------------------------------------------------------


def _problems(plan_dir: Path, plan_text: str) -> list[str]:
    path = write(plan_dir / "plan.toml", plan_text)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    return [str(problem) for problem in caught.value.problems]


def _with(setting: str) -> str:
    return PLAN.replace('path = "beslut.csv"\n', f'path = "beslut.csv"\n{setting}\n')


def test_a_wrong_encoding_lists_the_headers_and_names_the_setting(plan_dir: Path) -> None:
    (plan_dir / "beslut.csv").write_bytes(
        f"{BESLUT_HEADER}\nB1;;SoL;2024-01-10;2024-01-15\n".encode("cp1252")
    )
    [problem] = _problems(plan_dir, _with('encoding = "utf-8"'))
    assert "kolumnen 'Verkställighetsdatum' finns inte i rubrikraden i beslut.csv" in problem
    assert "rubrikraden har 5 kolumner: 'Beslut-ID', 'Personnummer', 'Lag'" in problem
    assert "tecknen i rubrikerna ser fel ut; planen anger encoding = 'utf-8'" in problem
    assert "menade du" not in problem  # a garbled header is no spelling to suggest


def test_utf8_read_as_windows_1252_is_seen_as_a_wrong_encoding(plan_dir: Path) -> None:
    [problem] = _problems(plan_dir, _with('encoding = "cp1252"'))
    assert "'VerkstÃ¤llighetsdatum'" in problem
    assert "planen anger encoding = 'cp1252' under [datasets.beslut]: ta bort den" in problem


def test_a_wrong_delimiter_says_which_one_the_header_has(plan_dir: Path) -> None:
    [problem] = _problems(plan_dir, _with('delimiter = ","'))
    assert problem.startswith(f"{plan_dir / 'plan.toml'}:")
    assert "kolumnerna 'Beslut-ID', " in problem and "finns inte i rubrikraden" in problem
    assert "rubrikraden har 1 kolumn" in problem
    assert "planen anger delimiter = ',', men rubrikerna verkar skilda av ';'" in problem


def test_a_misspelt_column_gets_a_suggestion(plan_dir: Path) -> None:
    [problem] = _problems(plan_dir, PLAN.replace('"Beslutsdatum"', '"Beslutdatum"'))
    assert (
        "kolumnen 'Beslutdatum' finns inte i rubrikraden i beslut.csv (menade du 'Beslutsdatum'?)"
        in (problem)
    )
    assert "kontrollera stavningen under [datasets.beslut.columns]" in problem


def test_a_header_cell_holding_a_personnummer_is_masked(plan_dir: Path) -> None:
    write(plan_dir / "beslut.csv", "Beslut-ID;19121212-1212;Beslutsdatum;Verkställighetsdatum\n")
    [problem] = _problems(plan_dir, PLAN)
    assert "'[personnummer]'" in problem
    _no_personnummer(problem)


@pytest.mark.parametrize("encoding", ["utf-16", "UTF-16LE", "utf_32", "cp037"])
def test_an_encoding_read_not_line_by_line_is_refused_in_the_plan(
    plan_dir: Path, encoding: str
) -> None:
    text = _with(f'encoding = "{encoding}"')
    [problem] = _problems(plan_dir, text)
    line = text.splitlines().index(f'encoding = "{encoding}"') + 1
    assert problem.startswith(f"{plan_dir / 'plan.toml'}:{line}: datamängd beslut: encoding: ")
    assert 'spara exporten som "CSV UTF-8 (kommaavgränsad)"' in problem


def test_an_unknown_encoding_is_refused_in_the_plan(plan_dir: Path) -> None:
    [problem] = _problems(plan_dir, _with('encoding = "latin-9x"'))
    assert "okänd teckenkodning 'latin-9x'; väntade t.ex. utf-8 eller cp1252" in problem


@pytest.mark.parametrize("delimiter", ["\\n", "\\r", '\\"'])
def test_a_line_end_or_quote_is_no_delimiter(plan_dir: Path, delimiter: str) -> None:
    text = _with(f'delimiter = "{delimiter}"')
    [problem] = _problems(plan_dir, text)
    line = text.splitlines().index(f'delimiter = "{delimiter}"') + 1
    assert problem.startswith(f"{plan_dir / 'plan.toml'}:{line}: datamängd beslut: delimiter: ")
    assert "kan inte vara avgränsare" in problem


@pytest.mark.parametrize("batch_rows", PATHS)
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_a_utf16_export_is_refused_with_how_to_save_it(
    plan_dir: Path, batch_rows: int, codec: str
) -> None:
    text = f"{BESLUT_HEADER}\nB1;;SoL;2024-01-10;2024-01-15\n"
    (plan_dir / "beslut.csv").write_bytes(text.encode(codec))
    plan_path = plan_dir / "plan.toml"
    with pytest.raises(PlanError) as caught:
        load_plan(plan_path)
    assert "filen är sparad som UTF-16 (Unicode-text)" in str(caught.value)
    plan, host = load_plan(plan_path, unreadable=[])
    [result] = run_plan(plan, host, batch_rows=batch_rows)
    assert result.failure.endswith(
        'beslut.csv: filen är sparad som UTF-16 (Unicode-text); spara exporten som "CSV UTF-8 '
        '(kommaavgränsad)" i Excel, eller välj UTF-8 i verksamhetssystemets export, och kör igen'
    )


def test_a_binary_file_is_still_no_text_file(plan_dir: Path) -> None:
    (plan_dir / "beslut.csv").write_bytes(BESLUT_HEADER.encode() + b"\n\x00\x01\x02PK\x03\x04\n")
    plan, host = load_plan(plan_dir / "plan.toml", unreadable=[])
    [result] = run_plan(plan, host, batch_rows=0)
    assert "rad 2: filen innehåller NUL-tecken; det är ingen textfil (CSV)" in result.failure


# A personnummer where a group or a case id is read -------------------------------------------

ROWS = """\
B1;19121212-1212;SoL;2024-01-10;2024-01-15
B2;19121212-1212;LSS;2024-02-01;2024-02-11
B3;19121212-1212;{law};2024-03-01;2024-03-30
B4;19121212-1212;SoL;2024-03-05;2024-03-08
"""


@pytest.mark.parametrize("batch_rows", PATHS)
@pytest.mark.parametrize("law", ["19121212-1212", "191212121212", "121212-1212"])
def test_a_personnummer_as_a_group_is_a_listed_row_naming_its_column(
    plan_dir: Path, batch_rows: int, law: str
) -> None:
    """The group column's value is shown: the row with a personnummer there is a data-quality
    error with file, row and column, and the control runs on the other rows."""
    write(plan_dir / "beslut.csv", BESLUT_HEADER + "\n" + ROWS.format(law=law))
    plan_path = plan_dir / "plan.toml"
    plan_path.write_text(
        PLAN.replace('law = "Lag"', 'law = "Lag"\nperson_id = "Personnummer"'), encoding="utf-8"
    )
    result = _results(plan_path, batch_rows)["K1"]
    assert result.failure == ""  # type: ignore[attr-defined]
    outcome = result.outcome  # type: ignore[attr-defined]
    assert outcome.metrics["invalid_rows"] == 1 and outcome.metrics["n"] == 3
    [finding] = [f for f in outcome.findings if f.kind == "datakvalitet"]
    assert (finding.reference, finding.row) == ("B3", 4)
    assert finding.description.startswith(
        "beslut (beslut.csv) rad 4, kolumn 'Lag': värdet är ett personnummer och visas inte"
    )


def test_run_lists_the_row_of_a_personnummer_group_and_writes_no_number(plan_dir: Path) -> None:
    write(plan_dir / "beslut.csv", BESLUT_HEADER + "\n" + ROWS.format(law="19121212-1212"))
    out = plan_dir / "ut"
    ran = CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    assert "K1: 4 rader lästa: 3 använda, 1 ogiltig, 0 dubbletter" in ran.stdout
    _no_personnummer(ran.output, _folder_text(out))


@pytest.mark.parametrize("batch_rows", PATHS)
def test_a_personnummer_as_case_id_names_the_id_column(plan_dir: Path, batch_rows: int) -> None:
    # B3's id is a personnummer and B3 is a finding (not verkställd within three months).
    rows = ROWS.format(law="LSS").replace("B3;", "19121212-1212;").replace("2024-03-30", "")
    write(plan_dir / "beslut.csv", BESLUT_HEADER + "\n" + rows)
    result = _results(plan_dir / "plan.toml", batch_rows)["K1"]
    assert result.failure.startswith(  # type: ignore[attr-defined]
        "kontroll K1: avvikelsen på rad 4, fältet referens, med värdet i beslut.csv rad 4, "
        "kolumn 'Beslut-ID', skulle ha innehållit ett personnummer"
    )
