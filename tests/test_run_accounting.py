"""The end of ``run``: where every row went, the exit code, and the words around the commands."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.accounting import RowAccount, account, control_line, left_out_sentence
from internkontroll.cli import cli

from .conftest import BESLUT_HEADER, write

ROOT = Path(__file__).resolve().parents[1]


def test_each_control_says_where_its_rows_went(plan_dir: Path) -> None:
    # Hand-worked: 8 rows; B2 twice (the second a duplicate), B9 with an unreadable date, the
    # other 6 reach the check (B5, decided before the period, still counts for the IVO list).
    plan = plan_dir / "plan.toml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "year = 2024\n", "year = 2024\nperiod = { start = 2024-01-01, end = 2024-12-31 }\n", 1
        ),
        encoding="utf-8",
    )
    write(
        plan_dir / "beslut.csv",
        f"""\
        {BESLUT_HEADER}
        B1;x;SoL;2024-01-10;2024-01-15
        B2;x;SoL;2024-02-01;2024-02-11
        B2;x;SoL;2024-02-01;2024-02-11
        B3;x;LSS;2024-03-01;2024-04-30
        B4;x;LSS;2024-03-05;
        B5;x;LSS;2023-12-31;2024-01-02
        B6;x;SoL;20240601;20240602
        B9;x;SoL;2024-99-01;2024-06-02
        """,
    )
    result = CliRunner().invoke(
        cli, ["run", str(plan_dir / "plan.toml"), "--out", str(plan_dir / "ut")]
    )
    assert result.exit_code == 0, result.output
    assert "K1: 8 rader lästa: 6 använda, 1 ogiltig, 1 dubblett, 0 undantagna\n" in result.stdout
    assert (
        "2 rader i underlaget ingår inte i siffrorna (1 ogiltig, 1 dubblett); de listas i avvikelser/."
        in (result.stdout.replace("\n", " ").replace("|", "").replace("  ", " ") or result.stdout)
        or _in_bilaga(plan_dir)
    )


def _in_bilaga(plan_dir: Path) -> bool:
    report = CliRunner().invoke(cli, ["report", str(plan_dir / "ut"), "--format", "txt"])
    flat = re.sub(r"[\s|]+", " ", report.output)
    return (
        "2 rader i underlaget ingår inte i siffrorna (1 ogiltig, 1 dubblett); "
        "de listas i avvikelser/." in flat
    )


def test_the_parts_add_up_to_the_rows_read() -> None:
    # 100 read: 3 unreadable before the check, 2 duplicates, 80 reached the check, which
    # rejected 4 more (invalid 7 in all) and excluded 6; 15 were outside its population.
    counts = account(100, 80, 3, {"invalid_rows": 7, "duplicate_rows": 2, "excluded": 6})
    assert counts == RowAccount(100, 70, 7, 2, 6, 15)
    assert (
        counts.used
        + counts.invalid
        + counts.duplicates
        + counts.excluded
        + (counts.outside_population)
        == counts.read
    )
    assert control_line("K3", counts) == (
        "K3: 100 rader lästa: 70 använda, 7 ogiltiga, 2 dubbletter, 6 undantagna, "
        "15 utanför perioden eller populationen"
    )


def test_a_control_not_carried_out_still_counts_its_unreadable_rows() -> None:
    # A check that failed (e.g. its sample worksheet no longer matches) has no metrics; the 2 rows
    # with an unreadable amount must still be told as invalid, not vanish from the sum.
    counts = account(862, 791, 2, {})
    assert counts == RowAccount(862, 791, 2, 0, 0, 69)
    assert sum(
        (counts.used, counts.invalid, counts.duplicates, counts.excluded, counts.outside_population)
    ) == counts.read


def test_bilaga_sentence_only_when_rows_were_left_out() -> None:
    assert left_out_sentence({"invalid_rows": 0, "duplicate_rows": 0, "mean_days": 3}) == ""
    assert left_out_sentence({"invalid_rows": 1}) == (
        "1 rad i underlaget ingår inte i siffrorna (1 ogiltig); de listas i avvikelser/."
    )
    assert left_out_sentence({"invalid_rows": 1200, "duplicate_rows": 3}).startswith(
        "1\u00a0203 rader i underlaget"
    )


def test_sample_with_an_unknown_control_is_a_swedish_error(plan_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["sample", str(plan_dir / "plan.toml"), "--control", "K99", "--out", "x.xlsx"]
    )
    assert result.exit_code == 1
    assert f"fel: kontrollen K99 finns inte i planen {plan_dir / 'plan.toml'}; kända: K1" in (
        result.output
    )
    assert "internt fel" not in result.output


def test_report_takes_its_format_from_the_file_name(plan_dir: Path) -> None:
    runner = CliRunner()
    out = plan_dir / "ut"
    assert (
        runner.invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out)]).exit_code == 0
    )
    for suffix, magic in ((".docx", b"PK"), (".xlsx", b"PK"), (".html", b"<!DOCTYPE")):
        target = plan_dir / f"bilaga{suffix}"
        assert runner.invoke(cli, ["report", str(out), "--output", str(target)]).exit_code == 0
        assert target.read_bytes().startswith(magic)
    mismatch = runner.invoke(
        cli, ["report", str(out), "--format", "md", "--output", str(plan_dir / "a.docx")]
    )
    assert mismatch.exit_code == 1
    assert "--format md skriver .md, men --output" in mismatch.output
    unknown = runner.invoke(cli, ["report", str(out), "--output", str(plan_dir / "a.pdf")])
    assert unknown.exit_code == 1 and "filändelsen .pdf hör inte till något format" in (
        unknown.output
    )


def test_click_speaks_swedish_and_help_lists_the_exit_codes() -> None:
    runner = CliRunner()
    top = runner.invoke(cli, ["--help"], prog_name="internkontroll")
    assert "Användning: internkontroll [FLAGGOR] KOMMANDO [ARGUMENT]..." in top.output
    assert "Flaggor:" in top.output and "Kommandon:" in top.output
    for code in ("0  klart", "1  fel i planen", "3  körningen klar", "4  internt fel"):
        assert code in top.output
    missing = runner.invoke(cli, ["run"], prog_name="internkontroll")
    assert missing.exit_code == 1
    assert "Fel: Argument saknas 'PLAN'." in missing.output
    assert "Se 'internkontroll run --help' för hjälp." in missing.output
    wrong = runner.invoke(cli, ["nope"])
    assert wrong.exit_code == 1 and "Kommandot 'nope' finns inte." in wrong.output
    for english in ("Usage", "Options", "Error", "Missing", "Show this"):
        assert english not in top.output + missing.output + wrong.output


def test_the_progress_bar_shows_on_a_terminal_only(plan_dir: Path) -> None:
    script = (
        "import internkontroll.progress as p, sys; p.LONG_RUN_ROWS = 1\n"
        "from internkontroll.cli import cli\n"
        "cli(sys.argv[1:])\n"
    )
    args = [sys.executable, "-c", script, "run", str(plan_dir / "plan.toml"), "--out"]
    piped = subprocess.run([*args, str(plan_dir / "a")], capture_output=True, check=False)
    assert piped.returncode == 0 and b"L\xc3\xa4ser exporterna" not in piped.stderr + piped.stdout
    master, slave = pty.openpty()
    try:
        shown = subprocess.run(
            [*args, str(plan_dir / "b")], stdout=subprocess.PIPE, stderr=slave, check=False
        )
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert shown.returncode == 0
    assert "Läser exporterna" in seen.decode("utf-8", "replace")
    assert b"L\xc3\xa4ser exporterna" not in shown.stdout


def test_an_internal_error_has_its_own_exit_code(
    plan_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from internkontroll import engine

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("ett fel i programmet")

    monkeypatch.setattr(engine, "run_plan", broken)
    result = CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", "ut"])
    assert result.exit_code == 4
    assert "fel: internt fel (RuntimeError); kör igen med internkontroll --debug" in result.output


def test_out_dot_in_an_empty_folder(
    tmp_path: Path, plan_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "tom"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", "."])
    assert result.exit_code == 0, result.output
    assert (empty / "resultat.json").is_file()
    assert sorted(p.name for p in tmp_path.glob(".tom.*")) == [".tom.lock"]
