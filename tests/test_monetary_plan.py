"""Monetary-unit sampling in a plan: draw the handkassa's purchases by amount, fill in the audited
amounts, run, and get the misstatement figures the criteria judge."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.engine import run_plan
from internkontroll.errors import PlanError
from internkontroll.gamma import poisson_factor
from internkontroll.monetary import monetary_size
from internkontroll.planfile import load_plan

from .conftest import write

PLAN = """\
[plan]
title = "Internkontrollplan 2025"
year = 2025
period = { start = 2025-01-01, end = 2025-03-31 }

[[risk]]
id = "R1"
title = "Oegentligheter i handkassor"
likelihood = 3
impact = 3

[datasets.kassabok]
path = "kassabok.csv"
[datasets.kassabok.columns]
transaction_id = "Ver"
cashbox = "Kassa"
date = "Datum"
amount = "Belopp"
kind = "Typ"
receipt = "Kvitto"
paid_by = "Betalt av"
attested_by = "Attest"
purpose = "Syfte"

[datasets.rakningar]
path = "rakningar.csv"
[datasets.rakningar.columns]
cashbox = "Kassa"
date = "Datum"
counted = "Räknat"

[[control]]
id = "H2"
risk = "R1"
title = "Handkassor, beloppsurval"
check = "handkassa"
dataset = { ledger = "kassabok", counts = "rakningar" }
[control.params]
max_amount = 20000
count_interval_days = 100
[control.sample]
method = "monetary"
seed = 2025
tolerable_misstatement = "5 %"
expected_misstatement = 0
worksheet = "granskning.csv"
[control.criteria]
metric = "sample.upper_misstatement"
better = "lower"
utan_anmarkning = 6000
forsumbar_anmarkning = 9000
"""

HEADER = "Ver;Kassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attest;Syfte"
BIG = ("V999", Decimal("9000.00"))


def ledger_rows() -> list[tuple[str, Decimal]]:
    rng = random.Random(11)
    rows = [(f"V{i:03d}", Decimal(rng.randint(2000, 150000)) / 100) for i in range(1, 241)]
    return [*rows, BIG]


def ledger_text(rows: list[tuple[str, Decimal]]) -> str:
    lines = [HEADER]
    for number, (ver, amount) in enumerate(rows):
        day = f"2025-{1 + number % 3:02d}-{1 + number % 28:02d}"
        text = f"{amount:.2f}".replace(".", ",")
        lines.append(f"{ver};Solgläntan;{day};{text};inköp;ja;Anna;Bo;Fika")
    return "\n".join(lines) + "\n"


COUNTS = "Kassa;Datum;Räknat\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path / "plan.toml", PLAN)
    write(tmp_path / "kassabok.csv", ledger_text(ledger_rows()))
    write(tmp_path / "rakningar.csv", COUNTS)
    return tmp_path


def draw(folder: Path, out: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(
        cli, ["sample", str(folder / "plan.toml"), "--control", "H2", "--out", str(folder / out)]
    )
    assert result.exit_code == 0, result.output
    assert "intervall" in result.output
    text = (folder / out).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def fill(folder: Path, rows: list[dict[str, str]], audited: dict[str, str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    for row in rows:
        unit = row["Ärende-id"]
        writer.writerow(
            {**row, "kvitto": "ja", "granskat_belopp": audited.get(unit, row["Belopp"])}
        )
    (folder / "granskning.csv").write_text(buffer.getvalue(), encoding="utf-8")


def test_draw_fill_and_run_give_the_misstatement(folder: Path) -> None:
    rows = draw(folder, "granskning.csv")
    book = sum((amount for _, amount in ledger_rows()), Decimal(0))
    size = monetary_size(0.95, 0.05)  # 60: AICPA C-1, 5 % risk, nothing expected
    interval = book / size
    assert list(rows[0])[-2:] == ["granskat_belopp", "kommentar"]
    assert "Belopp" in rows[0]
    whole = [row["Ärende-id"] for row in rows if row["Stratum"] == "hela beloppet"]
    assert whole == ["V999"]  # 9 000 kr is above the interval
    sampled = [row for row in rows if row["Stratum"] == "urval"]
    assert len(rows) <= size
    first, second = sampled[0], sampled[1]
    book_first = Decimal(first["Belopp"].replace(",", "."))
    book_second = Decimal(second["Belopp"].replace(",", "."))
    audited = {
        first["Ärende-id"]: "0",  # taint 1
        second["Ärende-id"]: f"{book_second / 2:.2f}".replace(".", ","),  # taint about 0,5
        "V999": "8 700,00",  # 300 kr known misstatement
    }
    fill(folder, rows, audited)
    [result] = run_plan(*load_plan(folder / "plan.toml"))
    assert result.assessment.value != "ej_genomford", result.reason
    m = result.outcome.metrics
    taint_second = float((book_second - Decimal(f"{book_second / 2:.2f}")) / book_second)
    j = float(interval)
    assert m["sample.book_value"] == pytest.approx(float(book))
    assert m["sample.points"] == size
    assert m["sample.interval"] == pytest.approx(j)
    assert m["sample.misstatements"] == 3
    assert m["sample.misstatement"] == pytest.approx(j * (1 + taint_second) + 300)
    factors = [poisson_factor(i, 0.95) for i in range(3)]
    upper = j * (factors[0] + (factors[1] - factors[0]) + (factors[2] - factors[1]) * taint_second)
    assert m["sample.upper_misstatement"] == pytest.approx(upper + 300)
    assert book_first > 0
    text = result.outcome.result_text
    assert f"Urvalet om {len(rows)} inköp (beloppsurval med intervallet" in text
    assert "1 inköp över intervallet granskades i sin helhet" in text
    assert "innehöll 3 felaktiga belopp" in text
    assert "säkerhet är det övre felbeloppet" in text
    misstated = {f.reference for f in result.outcome.findings if "granskat" in f.description}
    assert misstated == set(audited)
    # The criteria judge the upper misstatement in kronor.
    assert "sample.upper_misstatement" in result.reason


def test_selection_does_not_follow_the_row_order(folder: Path, tmp_path: Path) -> None:
    rows = draw(folder, "granskning.csv")
    shuffled = ledger_rows()
    random.Random(3).shuffle(shuffled)
    write(folder / "kassabok.csv", ledger_text(shuffled))
    again = draw(folder, "igen.csv")
    assert [r["Ärende-id"] for r in again] == [r["Ärende-id"] for r in rows]


def test_a_bad_or_missing_amount_is_named(folder: Path) -> None:
    rows = draw(folder, "granskning.csv")
    unit = rows[0]["Ärende-id"]
    fill(folder, rows, {unit: "tolv kronor"})
    [result] = run_plan(*load_plan(folder / "plan.toml"))
    assert result.assessment.value == "ej_genomford"
    assert "rad 2, kolumn granskat_belopp: 'tolv kronor'; väntade ett belopp" in result.reason
    fill(folder, rows, {unit: ""})
    [result] = run_plan(*load_plan(folder / "plan.toml"))
    assert "granskningen är ofullständig" in result.reason


def test_without_a_worksheet_the_control_says_what_is_missing(folder: Path) -> None:
    write(folder / "plan.toml", PLAN.replace('worksheet = "granskning.csv"\n', ""))
    [result] = run_plan(*load_plan(folder / "plan.toml"))
    assert result.assessment.value == "ej_genomford"
    assert "granskat_belopp" in result.reason


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('tolerable_misstatement = "5 %"\n', "", "kräver tolerable_misstatement"),
        ("seed = 2025\n", "seed = 2025\ncount = 10\n", "ta bort count"),
        ("expected_misstatement = 0", 'expected_misstatement = "6 %"', "mindre än tolerable"),
    ],
)
def test_monetary_keys_are_checked(folder: Path, old: str, new: str, message: str) -> None:
    write(folder / "plan.toml", PLAN.replace(old, new))
    with pytest.raises(PlanError, match=message):
        load_plan(folder / "plan.toml")


def test_misstatement_keys_need_the_monetary_method(folder: Path) -> None:
    plan = PLAN.replace('method = "monetary"', 'method = "random"\ncount = 5')
    write(folder / "plan.toml", plan)
    with pytest.raises(PlanError, match='kräver method = "monetary"'):
        load_plan(folder / "plan.toml")
    share = PLAN.replace('"5 %"', '"fem procent"')
    write(folder / "plan.toml", share)
    with pytest.raises(PlanError, match="varken ett belopp i kronor"):
        load_plan(folder / "plan.toml")


def test_poisson_bound_understatement_and_zero_amounts(folder: Path) -> None:
    rows = ledger_rows()
    text = ledger_text(rows) + "V000;Solgläntan;2025-01-02;0,00;inköp;ja;Anna;Bo;Fika\n"
    write(folder / "kassabok.csv", text)
    write(folder / "plan.toml", PLAN.replace("seed = 2025\n", 'seed = 2025\nbound = "poisson"\n'))
    drawn = draw(folder, "granskning.csv")
    sampled = [row for row in drawn if row["Stratum"] == "urval"]
    over, under = sampled[0], sampled[1]
    book_over = Decimal(over["Belopp"].replace(",", "."))
    book_under = Decimal(under["Belopp"].replace(",", "."))
    fill(
        folder,
        drawn,
        {
            over["Ärende-id"]: f"{book_over * Decimal('0.8'):.2f}".replace(".", ","),
            under["Ärende-id"]: f"{book_under + 100:.2f}".replace(".", ","),
        },
    )
    [result] = run_plan(*load_plan(folder / "plan.toml"))
    assert result.assessment.value != "ej_genomford", result.reason
    m = result.outcome.metrics
    j = m["sample.interval"]
    taint = float((book_over - Decimal(f"{book_over * Decimal('0.8'):.2f}")) / book_over)
    assert m["sample.upper_misstatement"] == pytest.approx(j * poisson_factor(taint, 0.95))
    assert m["sample.misstatement"] == pytest.approx(j * taint)
    assert m["sample.understatement"] == pytest.approx(100)
    assert m["sample.population"] == 242  # the 0 kr purchase belongs to the population
    text = result.outcome.result_text
    assert "var för lågt bokförda med sammanlagt 100 kr" in text
    assert "1 inköp utan belopp kunde inte väljas" in text
