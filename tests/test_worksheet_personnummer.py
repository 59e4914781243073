"""A personnummer a reviewer writes in a worksheet is refused at its cell: the message names the
worksheet, the row and the column, never the number, and nothing of it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll import worksheets
from internkontroll.privacy import contains_personnummer

from .test_manual import fill, invoke, mixed, results  # noqa: F401 (mixed is a fixture)


@pytest.mark.parametrize("number", ["19121212-1212", "121212 – 1212", "12 12 12-1212"])
def test_a_checklist_comment_names_worksheet_row_and_column(mixed: Path, number: str) -> None:  # noqa: F811
    sheet = mixed.parent / "granskning" / "K7.xlsx"
    code, output = invoke("checklist", str(mixed), "--control", "K7", "--out", str(sheet))
    assert code == 0, output
    fill(sheet, ["ja", "nej", "ja"], ["", f"Gäller {number}.", ""])
    out = mixed.parent / "resultat"
    code, output = invoke("run", str(mixed), "--out", str(out))
    assert code == 3, output
    k7 = results(out)["K7"]
    assert k7["assessment"] == "ej_genomford"
    assert "K7.xlsx: rad 3, kolumnen kommentar: innehåller ett personnummer" in k7["reason"]
    for path in [p for p in out.rglob("*") if p.is_file()]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not contains_personnummer(text) and "1212" not in text, path
    assert "1212" not in output


def test_a_sample_worksheet_comment_names_row_and_column(tmp_path: Path) -> None:
    ids = ["B1", "B2"]
    rows = [{"decision_id": unit, "law": "SoL"} for unit in ids]
    header, body = worksheets.build(
        rows, {unit: "S" for unit in ids}, "decision_id", ["law"], {"uppfoljd": "ja/nej"}
    )
    for row in body:
        row[-2] = "ja"
    body[1][-1] = "KOMMENTAR"
    path = tmp_path / "granskning.csv"
    worksheets.write(path, header, body, {"uppfoljd": "ja/nej"})  # refuses a personnummer
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("KOMMENTAR", "brukaren 19121212 - 1212"), encoding="utf-8")
    with pytest.raises(worksheets.WorksheetError) as caught:
        worksheets.read_answers(path, {"uppfoljd": "ja/nej"}, {u: "S" for u in ids})
    message = str(caught.value)
    assert "granskning.csv: rad 3, kolumnen kommentar: innehåller ett personnummer" in message
    assert "1212" not in message
