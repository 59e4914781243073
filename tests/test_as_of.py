"""The as-of date: a delår cuts every control's period, and reports judge against the results'
date, never the clock, so a report remade a year later is the same, byte for byte."""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
import types
from pathlib import Path

import docx.opc.parts.coreprops
import openpyxl.packaging.core
import openpyxl.writer.excel
import pytest
from click.testing import CliRunner

import internkontroll.report
from internkontroll.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "controls" / "exempel"


def invoke(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


def reference_mean_days(law: str, start: dt.date, end: dt.date) -> tuple[float, int]:
    """Utredningstid by hand from the demo export: first occurrence of each id, parseable
    dates, decided within [start, end], decision not before application."""
    path = DEMO / "data" / "beslut.csv"
    waited: list[int] = []
    seen: set[str] = set()
    with path.open(encoding="cp1252", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["Beslut-ID"] in seen:
                continue
            seen.add(row["Beslut-ID"])
            try:
                applied = dt.date.fromisoformat(row["Ansökningsdatum"])
                decided = dt.date.fromisoformat(row["Beslutsdatum"])
            except ValueError:
                continue
            if row["Lag"] == law and start <= decided <= end and decided >= applied:
                waited.append((decided - applied).days)
    return sum(waited) / len(waited), len(waited)


@pytest.fixture(scope="module")
def delar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("delar") / "resultat"
    invoke("run", str(DEMO / "plan.toml"), "--out", str(out), "--as-of", "2024-08-31")
    return out


@pytest.fixture(scope="module")
def helar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("helar") / "resultat"
    invoke("run", str(DEMO / "plan.toml"), "--out", str(out))
    return out


def k1(folder: Path) -> dict[str, float]:
    document = json.loads((folder / "resultat.json").read_text(encoding="utf-8"))
    metrics: dict[str, float] = document["controls"][0]["metrics"]
    return metrics


def test_delar_and_year_end_give_different_correct_figures(delar: Path, helar: Path) -> None:
    start = dt.date(2024, 1, 1)
    for folder, end in ((delar, dt.date(2024, 8, 31)), (helar, dt.date(2024, 11, 30))):
        for law in ("SoL", "LSS"):
            mean, n = reference_mean_days(law, start, end)
            assert k1(folder)[f"{law}.n"] == n
            assert k1(folder)[f"{law}.mean_days"] == pytest.approx(mean)
    assert k1(delar)["SoL.n"] < k1(helar)["SoL.n"]


def test_as_of_is_recorded_with_the_period_end_as_default(delar: Path, helar: Path) -> None:
    read = [json.loads((f / "resultat.json").read_text(encoding="utf-8")) for f in (delar, helar)]
    assert [d["as_of"] for d in read] == ["2024-08-31", "2024-12-31"]


def test_summary_names_the_moment(delar: Path, helar: Path) -> None:
    assert invoke("summary", str(delar)).startswith("Uppföljningen per den 31 augusti 2024 visar")
    assert invoke("summary", str(helar)).startswith("Uppföljningen vid årsbokslutet visar")
    chosen = invoke("summary", str(delar), "--moment", "delårsbokslutet")
    assert chosen.startswith("Uppföljningen vid delårsbokslutet visar")


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("delår", "vid delårsbokslutet"),
        ("Delår", "vid delårsbokslutet"),
        ("helår", "vid årsbokslutet"),
        ("årsbokslutet", "vid årsbokslutet"),
    ],
)
def test_summary_moment_takes_the_plan_words_and_the_accounts(
    delar: Path, given: str, words: str
) -> None:
    assert invoke("summary", str(delar), "--moment", given).startswith(f"Uppföljningen {words} ")


def test_summary_refuses_an_unknown_moment_and_lists_the_allowed(delar: Path) -> None:
    """Any text used to go into the paragraph: "Uppföljningen vid julafton visar att ..."."""
    out = invoke("summary", str(delar), "--moment", "julafton", code=1)
    assert (
        "Ogiltigt värde för '--moment': 'julafton' är inte en av 'delår', 'helår', "
        "'delårsbokslutet', 'årsbokslutet'." in out
    )
    assert "Uppföljningen" not in out


def test_bilaga1_states_the_cut_period(delar: Path) -> None:
    text = invoke("report", str(delar), "--format", "md")
    assert "under perioderna 240101–240630 och 240701–240831" in text  # K1, by half-year
    assert "under perioden 1 december 2023 till 31 augusti 2024" in text  # K2
    assert "30 november" not in text and "241130" not in text


def test_a_control_whose_period_has_not_begun_is_not_done(tmp_path: Path) -> None:
    out = tmp_path / "resultat"
    invoke("run", str(DEMO / "plan.toml"), "--out", str(out), "--as-of", "2023-12-15", code=3)
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in document["controls"]}
    assert by_id["K1"]["assessment"] == "ej_genomford"
    assert "börjar 2024-01-01, efter 2023-12-15" in by_id["K1"]["reason"]
    assert by_id["K2"]["assessment"] != "ej_genomford"  # its period began 2023-12-01


def test_a_partial_run_at_another_date_is_refused(delar: Path, tmp_path: Path) -> None:
    out = tmp_path / "resultat"
    invoke("run", str(DEMO / "plan.toml"), "--out", str(out), "--as-of", "2024-08-31")
    before = (out / "resultat.json").read_bytes()
    message = invoke("run", str(DEMO / "plan.toml"), "--out", str(out), "--control", "K1", code=1)
    assert "gäller per 2024-08-31, körningen per 2024-12-31" in message
    assert (out / "resultat.json").read_bytes() == before


def test_verify_reruns_at_the_recorded_date(delar: Path) -> None:
    assert "bekräftat" in invoke("verify", str(delar))


def _set_clock(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    """Every clock the report could read, set to ``moment``: time.time (zip entries), and
    datetime in openpyxl, python-docx and the report module."""
    stamp = moment.timestamp()

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Later:
            return cls.fromtimestamp(stamp, tz)

        @classmethod
        def utcnow(cls) -> Later:
            return cls.fromtimestamp(stamp, dt.UTC).replace(tzinfo=None)

    class LaterDate(dt.date):
        @classmethod
        def today(cls) -> LaterDate:
            return cls.fromtimestamp(stamp)

    fake = types.SimpleNamespace(**{**vars(dt), "datetime": Later, "date": LaterDate})
    monkeypatch.setattr(time, "time", lambda: stamp)
    for module in (openpyxl.writer.excel, openpyxl.packaging.core):
        monkeypatch.setattr(module, "datetime", fake)
    monkeypatch.setattr(docx.opc.parts.coreprops, "dt", fake)
    monkeypatch.setattr(internkontroll.report, "date", LaterDate)


def _reports(folder: Path, target: Path) -> dict[str, bytes]:
    target.mkdir()
    made = {}
    for table, fmt in [
        ("all", "docx"),
        ("all", "xlsx"),
        ("all", "html"),
        ("all", "md"),
        ("atgarder", "txt"),
        ("atgarder", "csv"),
        ("bilaga1", "docx"),
    ]:
        path = target / f"{table}.{fmt}"
        invoke("report", str(folder), "--table", table, "--format", fmt, "--output", str(path))
        made[path.name] = path.read_bytes()
    made["summary"] = invoke("summary", str(folder)).encode()
    return made


def test_a_report_remade_a_year_later_is_byte_identical(
    helar: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Early 2025 nothing is late; in 2026 the action due 2025-06-30 would be, by the clock.
    The results speak of 2024-12-31, so both give the same bytes and no "FÖRSENAD"."""
    _set_clock(monkeypatch, dt.datetime(2025, 1, 15, 9, 30, tzinfo=dt.UTC))
    first = _reports(helar, tmp_path / "2025")
    _set_clock(monkeypatch, dt.datetime(2026, 3, 2, 14, 5, tzinfo=dt.UTC))
    later = _reports(helar, tmp_path / "2026")
    assert first.keys() == later.keys()
    for name in first:
        assert first[name] == later[name], name
    assert b"F\xc3\x96RSENAD" not in first["atgarder.txt"]


def test_lateness_is_judged_at_as_of(tmp_path: Path) -> None:
    """The action due 2024-10-31 that is not done is late at the year's end, not at 31 August."""
    demo = tmp_path / "exempel"
    (demo / "data").mkdir(parents=True)
    (demo / "data" / "beslut.csv").write_bytes((DEMO / "data" / "beslut.csv").read_bytes())
    text = (DEMO / "plan.toml").read_text(encoding="utf-8")
    (demo / "plan.toml").write_text(
        text.replace(
            'status = "Klar"\nowner = "1:e socialsekreterare LSS"',
            'status = "Pågår"\nowner = "1:e socialsekreterare LSS"',
        ),
        encoding="utf-8",
    )
    for as_of, late in (("2024-08-31", False), ("2024-12-31", True)):
        out = tmp_path / as_of
        invoke("run", str(demo / "plan.toml"), "--out", str(out), "--as-of", as_of)
        table = invoke("report", str(out), "--table", "atgarder", "--format", "csv")
        assert ("Pågår – FÖRSENAD" in table) is late, as_of
