"""The bad-input corpus (tests/bad_inputs/cases.toml): each input gives its Swedish message.

Every case is run as a user would, through the command line: ``validate``, then ``run`` when the
plan is valid. The expected words must appear in what the user sees (the output, or the
control's reason and findings), and never a traceback.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.datasets import Dataset
from internkontroll.models import DatasetSpec

from .results_cases import run_command_case

CORPUS = Path(__file__).parent / "bad_inputs"
# Every *cases.toml in the corpus: cases.toml (inputs), results_cases.toml (commands).
CASES = [
    case
    for path in sorted(CORPUS.glob("*cases.toml"))
    for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]
]
HEADER = ["Beslut-ID", "Lag", "Beslutsdatum", "Verkställighetsdatum"]


def _xlsx(path: Path, rows: list[list[object]], title: str = "Beslut") -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return book


def generate(kind: str, folder: Path) -> None:
    """Binary and large inputs, made here rather than kept in the repository."""
    plan = folder / "plan.toml"
    xlsx_plan = plan.read_text(encoding="utf-8").replace(
        'path = "beslut.csv"', 'path = "beslut.xlsx"\nsheet = "Beslut"'
    )
    good = [HEADER, ["B1", "SoL", "2024-01-10", "2024-01-15"]]
    if kind == "huge_field":
        (folder / "beslut.csv").write_text(
            ";".join(HEADER) + '\nB1;SoL;2024-01-10;"' + "x" * 10_000_000 + '"\n', encoding="utf-8"
        )
    elif kind == "binary_csv":
        (folder / "beslut.csv").write_bytes(
            ";".join(HEADER).encode() + b"\n\x00\x01\x02PK\x03\x04" * 50
        )
    elif kind.startswith("xlsx"):
        plan.write_text(xlsx_plan, encoding="utf-8")
        target = folder / "beslut.xlsx"
        if kind == "xlsx_empty_sheet":
            _xlsx(target, [])
        elif kind == "xlsx_missing_sheet":
            _xlsx(target, good, title="Blad1")
        elif kind == "xlsx_merged_cells":
            book = _xlsx(
                target,
                [
                    *good,
                    ["B2", "LSS", "2024-02-01", "2024-03-01"],
                    ["B3", None, "2024-02-02", "2024-03-02"],
                ],
            )
            sheet = book.active
            assert sheet is not None
            sheet.merge_cells("B3:B4")
            book.save(target)
        elif kind == "xlsx_garbage":
            target.write_bytes(b"PK\x03\x04 inte en riktig zip" * 10)
    else:  # pragma: no cover - a typo in cases.toml
        raise ValueError(kind)


def what_the_user_sees(folder: Path, plan: Path) -> str:
    runner = CliRunner()
    seen = []
    validated = runner.invoke(cli, ["validate", str(plan)])
    seen.append(validated.output)
    if validated.exit_code == 0:
        out = folder / "resultat"
        ran = runner.invoke(cli, ["run", str(plan), "--out", str(out)])
        seen.append(ran.output)
        document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
        failed = any(c["assessment"] == "ej_genomford" for c in document["controls"])
        assert ran.exit_code == (3 if failed else 0), ran.output
        seen += [c["reason"] + "\n" + c["result_text"] for c in document["controls"]]
        # The exact figures, which a reason or text may mask for a small group.
        seen += [json.dumps(c["metrics"], ensure_ascii=False) for c in document["controls"]]
        seen += [p.read_text(encoding="utf-8-sig") for p in (out / "avvikelser").glob("*.csv")]
    else:
        assert validated.exit_code == 1
    text = "\n".join(seen)
    assert "Traceback" not in text
    return text


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input_gives_its_message(case: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    folder = tmp_path / "fall"
    shutil.copytree(CORPUS, folder)
    if "args" in case:  # a command case: tests/results_cases.py
        run_command_case(case, folder)
        return
    plan = folder / case.get("plan", "plan.toml")
    if "export" in case:
        shutil.copy(folder / case["export"], folder / "beslut.csv")
    if "generated" in case:
        generate(case["generated"], folder)
    seen = what_the_user_sees(folder, plan)
    for expected in case["expect"]:
        assert expected in seen


def test_swedish_and_english_amounts() -> None:
    spec = DatasetSpec(path="export_amounts.csv", columns={"id": "Id", "amount": "Belopp"})
    rows = list(
        Dataset("kassa", spec, CORPUS / "export_amounts.csv").rows(
            {"id": "text", "amount": "decimal"}
        )
    )
    assert [r["amount"] for r in rows[:3]] == [
        Decimal("1234.50"),
        Decimal("12345.00"),
        Decimal("1234.50"),
    ]
    assert "rad 5, kolumn 'Belopp': '12,3,4' går inte att läsa" in rows[3].errors["amount"]
