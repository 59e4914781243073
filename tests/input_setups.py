"""Setups for the input cases of the bad-input corpus (tests/bad_inputs/input_cases.toml).

Inputs too large or too binary to keep in the repository, and bedomning.toml files written by
a person after a first run. Each takes the case's folder, a copy of tests/bad_inputs.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from internkontroll.cli import cli

HEADER = "Beslut-ID;Lag;Beslutsdatum;Verkställighetsdatum"


def _run(folder: Path) -> None:
    result = CliRunner().invoke(
        cli, ["run", str(folder / "plan.toml"), "--out", str(folder / "ut")]
    )
    assert result.exit_code == 0, result.output


def _export(folder: Path, body: bytes) -> None:
    (folder / "beslut.csv").write_bytes(HEADER.encode() + b"\n" + body)


def _overlong_line(folder: Path) -> None:
    _export(
        folder,
        b"B1;SoL;2024-01-10;2024-01-15\nB2;"
        + b"x" * 1_100_000
        + b"\nB3;LSS;2024-02-01;2024-03-01\n",
    )


def _long_quoted_field(folder: Path) -> None:
    _export(
        folder,
        b'B1;"' + b"x" * 200_000 + b'";2024-01-10;2024-01-15\nB2;LSS;2024-02-01;2024-03-01\n',
    )


def _mac_line_ends(folder: Path) -> None:
    (folder / "beslut.csv").write_bytes(
        HEADER.encode() + b"\rB1;SoL;2024-01-10;2024-01-15\rB2;LSS;2024-02-01;2024-03-01\r"
    )


def _xlsx_plan(folder: Path) -> Path:
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('path = "beslut.csv"', 'path = "beslut.xlsx"'), encoding="utf-8")
    return folder / "beslut.xlsx"


def _xlsx(path: Path, rows: int) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    for n in range(1, rows + 1):
        sheet.append(
            [f"B{n}", "SoL" if n % 2 else "LSS", f"2024-03-{n % 28 + 1:02d}", "2024-04-01"]
        )
    book.save(path)


def _rewrite_sheet(path: Path, change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _xlsx_stale_dimension(folder: Path) -> None:
    path = _xlsx_plan(folder)
    _xlsx(path, 40)
    _rewrite_sheet(
        path, lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:K10"', xml)
    )


def _xlsx_huge_cell(folder: Path) -> None:
    path = _xlsx_plan(folder)
    _xlsx(path, 3)
    huge = b"x" * (3 * 1024 * 1024)
    _rewrite_sheet(path, lambda xml: xml.replace(b"<t>B2</t>", b"<t>" + huge + b"</t>", 1))


def _people(text: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        _run(folder)
        (folder / "ut" / "bedomning.toml").write_text(text, encoding="utf-8")

    return setup


def _inline_people_and_new_control(folder: Path) -> None:
    _people('controls = { K1 = { assessment = "med_anmarkning" } }\n')(folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    control = text[text.index("[[control]]") :]
    plan.write_text(text + "\n" + control.replace('"K1"', '"K2"'), encoding="utf-8")


def _people_not_utf8(folder: Path) -> None:
    _run(folder)
    (folder / "ut" / "bedomning.toml").write_bytes(
        '[controls.K1]\nresult = "Bra gjort"\nmotivation = "Bedömt av enhetschefen på Älvgården"\n'.encode(
            "cp1252"
        )
    )


INPUT_SETUPS: dict[str, Callable[[Path], None]] = {
    "overlong_line": _overlong_line,
    "long_quoted_field": _long_quoted_field,
    "mac_line_ends": _mac_line_ends,
    "xlsx_stale_dimension": _xlsx_stale_dimension,
    "xlsx_huge_cell": _xlsx_huge_cell,
    "people_unknown_assessment": _people(
        '[controls.K1]\ntitle = "Verkställighetstid"\nassessment = "godkänd"\n'
    ),
    "people_misspelled_key": _people(
        '[controls.K1]\ntitle = "Verkställighetstid"\n\nasessment = "med_anmarkning"\n'
    ),
    "people_top_level_control": _people('[K1]\nassessment = "med_anmarkning"\n'),
    "people_array": _people('[[controls]]\nid = "K1"\nassessment = "med_anmarkning"\n'),
    "people_wrong_type": _people("[controls.K1]\nmotivation = 3\n"),
    "people_words": _people('[controls.K1]\nassessment = "Med anmärkning"\n'),
    "people_unknown_control": _people('[controls.k1]\nassessment = "med_anmarkning"\n'),
    "people_inline_new_control": _inline_people_and_new_control,
    "people_not_utf8": _people_not_utf8,
}
