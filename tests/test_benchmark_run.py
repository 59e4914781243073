"""benchmarks/run.py still runs end to end, and says so loudly when figures differ.

Nothing here is timed: a tiny export goes through the same machinery as the real benchmark
(generate, the CLI, the pandas and DuckDB scripts where installed, the comparison, the report),
so that the script cannot rot between measurements.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import run
from benchmarks.measure import Measurement

SIZE = 300


def available() -> list[str]:
    return [tool for tool in run.THEIRS if importlib.util.find_spec(tool) is not None]


def test_a_tiny_run_measures_compares_and_reports(tmp_path: Path) -> None:
    results, raw = tmp_path / "RESULTS.md", tmp_path / "bench.json"
    results.write_text(
        f"# Benchmarks\n\nFöre.\n\n{run.START_MARK}\ngammal mätning\n{run.END_MARK}\n\nEfter.\n",
        encoding="utf-8",
    )
    arguments = ["--sizes", str(SIZE), "--repeats", "2", "--xlsx-sizes", str(SIZE)]
    arguments += ["--tools", run.OURS, *available(), "--startup-repeats", "1"]
    arguments += ["--data", str(tmp_path / "data"), "--results", str(results)]
    assert run.main([*arguments, "--json", str(raw)]) == 0

    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nFöre.\n\n<!-- run.py -->")
    assert text.endswith("<!-- /run.py -->\n\nEfter.\n")
    assert "gammal mätning" not in text
    assert f"### {SIZE} beslut och {SIZE} kassaboksrader" in text
    assert "| internkontroll (XLSX) |" in text
    assert "`internkontroll --help`" in text
    assert "SKILJER SIG" not in text
    if available():
        assert "siffror som" in text and "stämmer med internkontrolls, i varje omgång (2)" in text

    runs = json.loads(raw.read_text(encoding="utf-8"))["sizes"][str(SIZE)]["runs"]
    tools = [run.OURS, *available(), run.OURS_XLSX]
    assert sorted(r["tool"] for r in runs) == sorted(tools * 2)
    assert all(r["returncode"] == 0 and r["wall_s"] > 0 and r["rss_mb"] > 5 for r in runs)
    assert all(r["cpu_s"] > 0 for r in runs)
    # The turns rotate: the first tool of round one is not the first of round two.
    first = [next(r["tool"] for r in runs if r["round"] == n) for n in (0, 1)]
    assert first[0] != first[1]
    # Only the exports and plans are left behind (the result folders are removed), and the
    # default place for them is one git ignores.
    assert {path.name for path in (tmp_path / "data").iterdir()} == {
        f"{name}-{SIZE}.csv" for name in ("beslut", "kassabok", "kassarakningar")
    } | {f"beslut-{SIZE}.xlsx", f"plan-{SIZE}-csv.toml", f"plan-{SIZE}-xlsx.toml"}
    ignored = (Path(__file__).parents[1] / ".gitignore").read_text(encoding="utf-8")
    assert "benchmarks/data/" in ignored.split()


def test_a_differing_figure_fails_the_run_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    honest = run.read_figures
    calls = {"n": 0}

    def doctored(tool: str, output: Path) -> dict[str, float]:
        figures = honest(tool, output)
        calls["n"] += 1
        if calls["n"] == 2:  # the second round's figures of our CLI
            figures["K2.LSS.n"] += 1
        return figures

    monkeypatch.setattr(run, "read_figures", doctored)
    results = tmp_path / "RESULTS.md"
    arguments = ["--sizes", str(SIZE), "--repeats", "2", "--tools", run.OURS, "--xlsx-sizes"]
    arguments += ["--startup-repeats", "0", "--data", str(tmp_path / "data")]
    code = run.main([*arguments, "--results", str(results)])
    assert code == 1
    assert "SIFFRORNA SKILJER SIG" in results.read_text(encoding="utf-8")
    assert "internkontroll gav andra siffror i omgång 2" in capsys.readouterr().err


def sized(runs: dict[str, dict[str, float]]) -> run.SizeResult:
    taken = Measurement(wall_s=1.0, cpu_s=0.9, rss_mb=50.0, load=0.0, returncode=0, stderr="")
    result = run.SizeResult(SIZE)
    result.runs = [run.Run(tool, 0, taken, figures) for tool, figures in runs.items()]
    return result


def test_every_figure_the_other_tools_compute_is_compared() -> None:
    ours = {"K1.SoL.n": 10.0, "K1.SoL.mean_days": 4.5, "H1.purchases": 3.0}
    agreeing = {"K1.SoL.n": 10.0, "K1.SoL.mean_days": 4.5}
    assert run.compare(sized({run.OURS: ours, "pandas": agreeing, "duckdb": agreeing})) == []

    off = sized({run.OURS: ours, "pandas": {**agreeing, "K1.SoL.mean_days": 4.51}})
    assert run.compare(off) == ["K1.SoL.mean_days: internkontroll 4.5, pandas 4.51"]

    missing = sized({run.OURS: ours, "duckdb": {**agreeing, "K9.x.n": 1.0}})
    assert run.compare(missing) == ["K9.x.n: internkontroll None, duckdb 1.0"]

    apart = sized({run.OURS: ours, "pandas": agreeing, "duckdb": {"K1.SoL.n": 10.0}})
    assert run.compare(apart) == [
        "pandas och DuckDB räknar inte samma siffror (namnen skiljer sig)"
    ]
    assert run.compare(sized({run.OURS: ours, "pandas": {}})) == ["pandas räknade inga siffror"]


def test_the_targets_are_judged_on_the_medians() -> None:
    def result(size: int, ours: tuple[float, float], duckdb: tuple[float, float]) -> Any:
        out = run.SizeResult(size)
        for tool, (wall, rss) in ((run.OURS, ours), ("duckdb", duckdb)):
            out.runs.append(run.Run(tool, 0, Measurement(wall, wall / 2, rss, 0.0, 0, ""), {}))
        return out

    results = {
        10_000: result(10_000, (0.4, 40.0), (0.2, 90.0)),
        1_000_000: result(1_000_000, (3.0, 150.0), (2.0, 320.0)),
        3_000_000: result(3_000_000, (9.0, 190.0), (6.0, 900.0)),
    }
    helps = [Measurement(0.31, 0.1, 20.0, 0.0, 0, "")]
    judged = {
        t.text: (t.measured, t.met) for t in run.targets(results, {"internkontroll --help": helps})
    }
    assert judged["1 M rader, hela planen: tid ≤ 1,0 × DuckDB"] == (
        "1.50 × (3.00 s mot 2.00 s; CPU-tid 1.50 ×)",
        False,
    )
    assert judged["1 M rader: högsta RSS ≤ 0,5 × DuckDB"][1] is True  # 150 / 320 = 0.47
    assert judged["3 M rader: högsta RSS inom 20 % av 1 M"][1] is False  # 190 / 150 = 1.27
    assert judged["10 k rader: hela processen < 0,5 s"] == ("0.40 s (CPU-tid 0.20 s)", True)
    assert judged["`internkontroll --help` < 0,3 s"] == ("0.310 s (CPU-tid 0.100 s)", False)


def test_measure_gives_the_commands_own_peak_memory_and_exit_code() -> None:
    import sys

    measure = run.measure
    grow = "x = bytearray(200 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"
    big = measure([sys.executable, "-c", grow])
    small = measure([sys.executable, "-c", "pass"])
    assert big.returncode == small.returncode == 0
    assert big.rss_mb > small.rss_mb + 150
    assert small.rss_mb < 40  # not this test process's memory
    failed = measure([sys.executable, "-c", "import sys; sys.stderr.write('nej'); sys.exit(3)"])
    assert (failed.returncode, failed.stderr) == (3, "nej")
