"""XLSX: every row whatever the dimension tag says; oversized cells and string tables refused."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from internkontroll import xlsx_guard
from internkontroll.errors import DatasetError
from internkontroll.readers import XlsxReader

HEADER = ["Beslut-ID", "Lag", "Belopp"]


def book(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Beslut"
    for row in [HEADER, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def shared_book(path: Path, rows: list[list[str]], dimension: str = "") -> Path:
    """An XLSX with text in a shared-strings table, as Excel writes it (openpyxl writes inline)."""
    strings = list(dict.fromkeys(cell for row in rows for cell in row))
    cells = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{chr(65 + c)}{r}" t="s"><v>{strings.index(value)}</v></c>'
            for c, value in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application'
            '/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            f'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook {main} xmlns:r="{rel}"><sheets><sheet name="Beslut" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings"'
            ' Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0"?><worksheet {main}>'
            + (f'<dimension ref="{dimension}"/>' if dimension else "")
            + f"<sheetData>{cells}</sheetData></worksheet>"
        ),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0"?><sst {main} count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
            + "</sst>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def rewrite(path: Path, member: str, change: object) -> None:
    """Rewrite one XML part of an XLSX, as another program might have written it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[member] = change(parts[member])  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("shared", [True, False])
def test_a_stale_dimension_tag_does_not_hide_rows_or_columns(tmp_path: Path, shared: bool) -> None:
    rows = [[f"B{i}", "SoL", str(i)] for i in range(1, 41)]
    path = tmp_path / "x.xlsx"
    if shared:
        shared_book(path, [HEADER, *rows], dimension="A1:B10")
    else:
        book(path, rows)
        rewrite(
            path,
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B10"', xml),
        )
    with zipfile.ZipFile(path) as archive:
        assert b'<dimension ref="A1:B10"' in archive.read("xl/worksheets/sheet1.xml")
    records = list(XlsxReader(path).records())
    assert len(records) == 40
    assert records[-1] == (41, ["B40", "SoL", "40"])
    assert XlsxReader(path).header() == HEADER


def test_a_cell_as_long_as_excel_allows_is_read(tmp_path: Path) -> None:
    longest = "&" * 32_767  # written as &amp;: five bytes of XML per character
    path = book(tmp_path / "x.xlsx", [["B1", longest, 1]])
    [(_, cells)] = list(XlsxReader(path).records())
    assert cells == ["B1", longest, 1]


@pytest.mark.parametrize("inline", [True, False])
def test_an_overlong_cell_is_refused_before_openpyxl_holds_it(tmp_path: Path, inline: bool) -> None:
    path = shared_book(tmp_path / "x.xlsx", [HEADER, ["B1", "SoL", "1"], ["B2", "PLATS", "2"]])
    huge = b"x" * (5 * 1024 * 1024)
    if inline:
        rewrite(
            path,
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(
                rb'<c r="B3" t="s"><v>[^<]*</v></c>',
                b'<c r="B3" t="inlineStr"><is><t>' + huge + b"</t></is></c>",
                xml,
            ),
        )
        expected = "cellen B3 på bladet 'Beslut' är längre än Excel tillåter (32 767 tecken)"
    else:
        rewrite(path, "xl/sharedStrings.xml", lambda xml: xml.replace(b"PLATS", huge))
        expected = "en text i filen är längre än Excel tillåter i en cell (32 767 tecken)"
    with pytest.raises(DatasetError, match=re.escape(expected)):
        list(XlsxReader(path).records())


def test_too_many_shared_strings_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [[f"B{i}", f"text {i}", "1"] for i in range(20)]
    path = shared_book(tmp_path / "x.xlsx", [HEADER, *rows])  # 44 different strings
    monkeypatch.setattr(xlsx_guard, "MAX_SHARED_STRINGS", 43)
    with pytest.raises(DatasetError, match="fler än 43 olika textvärden"):
        XlsxReader(path).header()
    monkeypatch.setattr(xlsx_guard, "MAX_SHARED_STRINGS", 44)
    assert len(list(XlsxReader(path).records())) == 20


@pytest.mark.parametrize("chunk", [7, 1000, 1 << 20])
def test_text_runs_are_found_across_chunks(chunk: int) -> None:
    window = xlsx_guard.TEXT_WINDOW
    for run, found in [(window - 100, False), (2 * window, True), (window * 3, True)]:
        xml = b"<a><b>" + b"y" * 100 + b"</b><c>" + b"x" * run + b"</c></a>"
        runs = xlsx_guard._TextRuns()
        hits = [runs.too_long_at(xml[i : i + chunk]) for i in range(0, len(xml), chunk)]
        assert any(hit is not None for hit in hits) == found, (run, chunk)
