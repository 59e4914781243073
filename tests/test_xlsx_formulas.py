"""An XLSX formula cell without a saved value is a cell error naming file, sheet, row and
column, on both read paths, never a blank; a text over Excel's 32 767 characters is refused
whether the sheet holds it inline or in the shared strings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from internkontroll import xlsx_formulas
from internkontroll.cli import cli
from internkontroll.datasets import Dataset
from internkontroll.errors import DatasetError
from internkontroll.models import DatasetSpec
from internkontroll.readers import XlsxReader

from .test_xlsx_limits import HEADER, rewrite, shared_book

FIELDS = {"decision_id": "text", "law": "text", "decided": "date"}
SPEC = DatasetSpec(
    path="beslut.xlsx",
    columns={"decision_id": "Beslut-ID", "law": "Lag", "decided": "Beslutsdatum"},
)


def _book(path: Path) -> Path:
    """Four decisions: B2's date a formula openpyxl writes without a value, B3's a formula
    with its value saved as Excel saves it, B4's law a formula whose value is the empty text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Beslut 2024"
    sheet.append(["Beslut-ID", "Lag", "Beslutsdatum"])
    sheet.append(["B1", "SoL", "2024-03-01"])
    sheet.append(["B2", "LSS", "=DATE(2024,3,2)"])
    sheet.append(["B3", "SoL", "=DATE(2024,3,3)"])
    sheet.append(["B4", '=IF(1,"","x")', "2024-03-04"])
    workbook.save(path)
    rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b'<c r="C4"><f>DATE(2024,3,3)</f><v></v>',
            b'<c r="C4" t="str"><f>DATE(2024,3,3)</f><v>2024-03-03</v>',
        ).replace(b'<c r="B5"><f>', b'<c r="B5" t="str"><f>'),
    )
    return path


def test_a_formula_without_a_saved_value_is_a_cell_error_on_both_paths(tmp_path: Path) -> None:
    dataset = Dataset("beslut", SPEC, _book(tmp_path / "beslut.xlsx"))
    expected = (
        "beslut (beslut.xlsx) rad 3, kolumn 'Beslutsdatum': cellen C3 på bladet 'Beslut 2024' "
        "är en formel utan sparat värde: öppna och spara filen i Excel, så att formelns värde "
        "sparas, och kör igen"
    )
    by_row = list(dataset.rows(FIELDS))
    by_batch = [row for batch in dataset.batches(FIELDS, 2) for row in batch.rows]
    for rows in (by_row, by_batch):
        assert [row.number for row in rows] == [2, 3, 4, 5]
        assert [row.errors for row in rows] == [{}, {"decided": expected}, {}, {}]
        assert rows[2]["decided"] is not None  # the saved value is read
        assert rows[3]["law"] is None  # a formula whose saved value is the empty text


def test_run_lists_the_formula_cell(tmp_path: Path) -> None:
    _book(tmp_path / "beslut.xlsx")
    (tmp_path / "plan.toml").write_text(
        """\
[plan]
title = "Test"
year = 2024

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.beslut]
path = "beslut.xlsx"
[datasets.beslut.columns]
decision_id = "Beslut-ID"
law = "Lag"
decided = "Beslutsdatum"
executed = "Beslutsdatum"

[[control]]
id = "K1"
risk = "R1"
title = "Verkställighetstid"
check = "verkstallighetstid"
dataset = "beslut"
""",
        encoding="utf-8",
    )
    ran = CliRunner().invoke(
        cli, ["run", str(tmp_path / "plan.toml"), "--out", str(tmp_path / "ut")]
    )
    assert ran.exit_code == 0, ran.output
    assert "K1: 4 rader lästa: 3 använda, 1 ogiltig" in ran.stdout
    [control] = json.loads((tmp_path / "ut" / "resultat.json").read_text("utf-8"))["controls"]
    assert control["metrics"]["invalid_rows"] == 1
    findings = (tmp_path / "ut" / "avvikelser" / "K1.csv").read_text("utf-8-sig")
    assert "cellen C3 på bladet 'Beslut 2024' är en formel utan sparat värde" in findings


def test_formula_cells_are_found_across_chunks() -> None:
    cells = b"".join(
        b'<c r="%s%d"><f>A%d*2</f>%s</c>' % (column, row, row, saved)
        for row in range(1, 400)
        for column, saved in ((b"A", b"<v>1</v>"), (b"AB", b""), (b"C", b"<v></v>"))
    )
    xml = b"<sheetData>" + cells + b"</sheetData>"
    for size in (7, 100, 1 << 20):
        scan = xlsx_formulas.FormulaScan("x.xlsx", lambda: "Blad1")
        for low in range(0, len(xml), size):
            scan.feed(xml[low : low + size])
        assert scan.cells == {row: {27, 2} for row in range(1, 400)}, size
        assert scan.count == 2 * 399


def test_too_many_unsaved_formulas_refuse_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_formulas, "MAX_UNCACHED", 0)
    with pytest.raises(
        DatasetError, match="bladet 'Beslut 2024' har fler än 0 formler utan sparat"
    ):
        list(XlsxReader(_book(tmp_path / "beslut.xlsx")).records())


@pytest.mark.parametrize("inline", [True, False])
def test_a_text_one_over_excels_limit_is_refused(tmp_path: Path, inline: bool) -> None:
    path = shared_book(tmp_path / "x.xlsx", [HEADER, ["B1", "SoL", "1"], ["B2", "PLATS", "2"]])
    text = b"y" * 32_768
    if inline:
        rewrite(
            path,
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(
                rb'<c r="B3" t="s"><v>[^<]*</v></c>',
                b'<c r="B3" t="inlineStr"><is><t>' + text + b"</t></is></c>",
                xml,
            ),
        )
    else:
        rewrite(path, "xl/sharedStrings.xml", lambda xml: xml.replace(b"PLATS", text))
    expected = "cellen B3 på bladet 'Beslut' är längre än Excel tillåter (32 767 tecken)"
    with pytest.raises(DatasetError, match=re.escape(expected)):
        list(XlsxReader(path).records())
