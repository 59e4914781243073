"""Peak memory when reading hostile XLSX files: a 1 GB cell and 20 million shared strings.

    python benchmarks/hostile_xlsx.py [--cell-mb 1024] [--strings 20000000]

Both files are made in a temporary folder (they compress to a few MB and tens of MB) and read
through the program's XLSX reader in a child process measured by ``measure.py``. Before the
limits in ``internkontroll.xlsx_guard`` the process grew with the file (13 GB RSS for 20 M
strings); now each is refused with a Swedish message and the peak stays near the interpreter's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
READ = (
    "import sys; from pathlib import Path; from internkontroll.readers import XlsxReader; "
    "from internkontroll.errors import DatasetError\n"
    "try:\n    print(sum(1 for _ in XlsxReader(Path(sys.argv[1])).records()))\n"
    "except DatasetError as exc:\n    print(exc, file=sys.stderr); sys.exit(1)"
)


def _skeleton(archive: zipfile.ZipFile, shared: bool) -> None:
    shared_type = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/>'
        if shared
        else ""
    )
    archive.writestr(
        "[Content_Types].xml",
        f'<?xml version="1.0"?><Types xmlns="{PACKAGE}/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
        '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        f'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{shared_type}</Types>',
    )
    archive.writestr(
        "_rels/.rels",
        f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}/relationships"><Relationship '
        f'Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    archive.writestr(
        "xl/workbook.xml",
        f'<?xml version="1.0"?><workbook {MAIN} xmlns:r="{REL}"><sheets><sheet name="Beslut" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
    )
    shared_rel = (
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared
        else ""
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}/relationships"><Relationship '
        f'Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>{shared_rel}'
        "</Relationships>",
    )


def huge_cell(path: Path, megabytes: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _skeleton(archive, shared=False)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<?xml version="1.0"?><worksheet {MAIN}><sheetData><row r="1"><c r="A1" '
                't="inlineStr"><is><t>Id</t></is></c></row><row r="2"><c r="A2" '
                't="inlineStr"><is><t>'.encode()
            )
            block = b"x" * (1 << 20)
            for _ in range(megabytes):
                sheet.write(block)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")


def many_strings(path: Path, count: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _skeleton(archive, shared=True)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet {MAIN}><sheetData><row r="1"><c r="A1" t="s">'
            "<v>0</v></c></row></sheetData></worksheet>",
        )
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(f'<?xml version="1.0"?><sst {MAIN}>'.encode())
            step = 100_000
            for start in range(0, count, step):
                items = (f"<si><t>s{n}</t></si>" for n in range(start, min(start + step, count)))
                strings.write("".join(items).encode())
            strings.write(b"</sst>")


def measure(path: Path) -> dict[str, object]:
    measure_py = str(Path(__file__).with_name("measure.py"))
    measured = subprocess.run(
        [sys.executable, measure_py, sys.executable, "-c", READ, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(measured.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell-mb", type=int, default=1024)
    parser.add_argument("--strings", type=int, default=20_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cell = Path(folder) / "cell.xlsx"
        huge_cell(cell, args.cell_mb)
        strings = Path(folder) / "strings.xlsx"
        many_strings(strings, args.strings)
        for name, path in ((f"{args.cell_mb} MB cell", cell), (f"{args.strings} strings", strings)):
            result = measure(path)
            size = path.stat().st_size / 1e6
            print(
                f"{name} ({size:.0f} MB file): {result['rss_mb']:.0f} MB peak RSS, "
                f"{result['wall_s']:.1f} s, exit {result['returncode']}: "
                f"{str(result['stderr']).strip()[-160:]}"
            )


if __name__ == "__main__":
    main()
