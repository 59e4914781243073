"""Time and size internkontroll against a pandas script and DuckDB SQL on the same exports.

    python benchmarks/run.py                      # 10 000, 100 000 and 1 000 000 rows, 3 runs
    python benchmarks/run.py --sizes 10000 --repeats 5

For each size it generates the exports (benchmarks/generate.py), runs the benchmark plan with
``internkontroll run`` and the same figures with benchmarks/pandas_figures.py and
benchmarks/duckdb_figures.py, each as a separate process measured by benchmarks/measure.py
(wall time and peak RSS of the whole process), checks that the three agree, and writes the
medians and ratios to benchmarks/RESULTS.md. Needs benchmarks/requirements.txt installed.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def plan_for(folder: Path, size: int, suffix: str = "csv") -> Path:
    text = (HERE / "plan_template.toml").read_text(encoding="utf-8")
    plan = folder / f"plan-{size}-{suffix}.toml"
    plan.write_text(text.replace("{size}", str(size)).replace("{suffix}", suffix), encoding="utf-8")
    return plan


def our_figures(results: Path) -> dict[str, float]:
    """Our resultat.json as the flat names the pandas and DuckDB scripts use (K1.SoL.n ...)."""
    document = json.loads(results.read_text(encoding="utf-8"))
    return {
        f"{c['id']}.{name}": float(value)
        for c in document["controls"]
        for name, value in c["metrics"].items()
    }


def disagreements(ours: dict[str, float], theirs: dict[str, float]) -> list[str]:
    problems = []
    for name, value in theirs.items():
        mine = ours.get(name)
        if mine is None or not math.isclose(mine, value, rel_tol=1e-9, abs_tol=1e-9):
            problems.append(f"{name}: internkontroll {mine}, annat verktyg {value}")
    return problems


def measure(command: list[str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), *command],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(output)
    if result["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result['stderr']}")
    return result


def tool_commands(
    data: Path, size: int, plan: Path, work: Path
) -> dict[str, tuple[list[str], Path]]:
    internkontroll = str(Path(sys.executable).parent / "internkontroll")
    return {
        "internkontroll": (
            [internkontroll, "run", str(plan), "--out", str(work / "ut")],
            work / "ut" / "resultat.json",
        ),
        "pandas": (
            [
                sys.executable,
                str(HERE / "pandas_figures.py"),
                str(data),
                str(size),
                str(work / "pandas.json"),
            ],
            work / "pandas.json",
        ),
        "duckdb": (
            [
                sys.executable,
                str(HERE / "duckdb_figures.py"),
                str(data),
                str(size),
                str(work / "duckdb.json"),
            ],
            work / "duckdb.json",
        ),
    }


def bench_size(data: Path, size: int, repeats: int, xlsx: bool) -> dict[str, Any]:
    paths = generate(size, data, xlsx=xlsx)
    rows = {"decisions": size, "ledger": size}
    plan = plan_for(data, size)
    timings: dict[str, list[dict[str, Any]]] = {}
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for tool, (command, output) in tool_commands(data, size, plan, work).items():
            timings[tool] = [measure(command) for _ in range(repeats)]
            figures[tool] = (
                our_figures(output)
                if tool == "internkontroll"
                else json.loads(output.read_text(encoding="utf-8"))
            )
        if xlsx and "beslut_xlsx" in paths:
            xlsx_plan = plan_for(data, size, "xlsx")
            out = work / "ut-xlsx"
            timings["internkontroll (XLSX)"] = [
                measure(
                    [
                        str(Path(sys.executable).parent / "internkontroll"),
                        "run",
                        str(xlsx_plan),
                        "--out",
                        str(out),
                    ]
                )
                for _ in range(repeats)
            ]
            figures["internkontroll (XLSX)"] = our_figures(out / "resultat.json")
    problems = disagreements(figures["internkontroll"], figures["pandas"])
    problems += disagreements(figures["internkontroll"], figures["duckdb"])
    if "internkontroll (XLSX)" in figures:
        problems += disagreements(figures["internkontroll (XLSX)"], figures["pandas"])
    return {
        "size": size,
        "rows": rows,
        "timings": timings,
        "problems": problems,
        "compared": len(figures["pandas"]),
    }


def startup(repeats: int) -> dict[str, float]:
    internkontroll = str(Path(sys.executable).parent / "internkontroll")
    demo = str(ROOT / "controls" / "exempel" / "plan.toml")
    return {
        "internkontroll --help": statistics.median(
            measure([internkontroll, "--help"])["wall_s"] for _ in range(repeats)
        ),
        "internkontroll validate (demo)": statistics.median(
            measure([internkontroll, "validate", demo])["wall_s"] for _ in range(repeats)
        ),
    }


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import os

    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} kärnor; "
        f"Python {platform.python_version()}, pandas {version('pandas')}, "
        f"DuckDB {version('duckdb')}"
    )


def table(result: dict[str, Any]) -> str:
    medians = {
        tool: (
            statistics.median(r["wall_s"] for r in runs),
            statistics.median(r["rss_mb"] for r in runs),
        )
        for tool, runs in result["timings"].items()
    }
    ours_time, ours_mem = medians["internkontroll"]
    lines = [
        "| verktyg | tid (s), median | minne (MB), median | vår tid / deras | vårt minne / deras |",
        "|---|---:|---:|---:|---:|",
    ]
    for tool, (wall, rss) in medians.items():
        ratio_t = "" if tool.startswith("internkontroll") else f"{ours_time / wall:.2f}"
        ratio_m = "" if tool.startswith("internkontroll") else f"{ours_mem / rss:.2f}"
        lines.append(f"| {tool} | {wall:.2f} | {rss:.0f} | {ratio_t} | {ratio_m} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--xlsx-sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    sections = []
    for size in args.sizes:
        print(f"{size} rader ...", flush=True)
        result = bench_size(args.data, size, args.repeats, size in args.xlsx_sizes)
        agreement = (
            f"Alla {result['compared']} jämförda siffror stämmer med pandas och DuckDB."
            if not result["problems"]
            else "SIFFRORNA SKILJER SIG:\n\n" + "\n".join(f"- {p}" for p in result["problems"])
        )
        sections.append(
            f"### {size:,} beslut och {size:,} kassaboksrader\n\n".replace(",", " ")
            + table(result)
            + f"\n\n{agreement}\n"
        )
        print(table(result), flush=True)
    starts = startup(args.repeats)
    start_lines = "\n".join(f"| `{name}` | {wall:.3f} |" for name, wall in starts.items())
    command = "python benchmarks/run.py " + " ".join(sys.argv[1:])
    args.results.write_text(
        RESULTS_HEAD.format(machine=machine(), command=command.strip(), repeats=args.repeats)
        + "\n".join(sections)
        + f"\n## Uppstart\n\n| kommando | tid (s), median |\n|---|---:|\n{start_lines}\n"
        + RESULTS_NOTES,
        encoding="utf-8",
    )
    print(f"Skrev {args.results}")


RESULTS_HEAD = """# Benchmarks

Maskin: {machine}.

Återskapa med `pip install -r benchmarks/requirements.txt` och `{command}`. Varje siffra är
medianen av {repeats} körningar; tid är väggklocka för hela processen och minne dess högsta RSS,
tolk och importer inräknade. Planen (benchmarks/plan_template.toml) har tre kontroller på
beslutsexporten (utredningstid, verkställighetstid, beslutsuppföljning) och en på kassaboken med
kassaräkningar (handkassa). pandas-skriptet och DuckDB-frågorna räknar samma siffror på samma
filer; körningen avbryts inte men rapporterar varje siffra som skiljer sig.

"""

RESULTS_NOTES = """
## Tolkning

**Minne.** Målet nås: under 100 MB vid en miljon beslut och en miljon kassaboksrader, och minnet
växer långt mindre än linjärt med antalet rader (tabellerna ovan: tio gånger fler rader ger en
bråkdel mer minne), medan pandas och DuckDB växer med exporten. Motorn håller aldrig exporten:
kontrollerna är folds som behåller histogram över dagar och räknare, id-tabellen för dubbletter
tar omkring 16 byte per rad, och avvikelser, IVO-listan och andra långa underlag läggs på disk efter
5 000 poster och skrivs strömmande till resultatmappen.

**Tid.** Målen (snabbare än pandas, inom två gånger DuckDB) nås inte. Det som står i vägen är att
varje rad passerar Python-kod: CSV-tolkningen, typningen av varje fält och, för varje kontroll,
datakvalitet, population och foldens eget steg. pandas och DuckDB gör samma arbete kolumnvis i C.
Skillnaden växer med storleken eftersom deras fasta uppstartskostnad (import, läsning av
metadata) slås ut över fler rader.

Det som prövats, mätt med `python benchmarks/run.py --sizes 100000 1000000 --repeats 1` före och
efter: raderna är dict (ett uppslag i C per fält i stället för ett metodanrop); datum tolkas via
en cache (en export har några tusen olika datum på en miljon rader); dubbletter hittas en gång per
export i en kompakt hashtabell i stället för en dict per kontroll (minnet vid en miljon rader från
595 MB till 155 MB); avvikelser och IVO-listan läggs på disk och skrivs strömmande (till 72 MB);
motorn hoppar över de anrop en kontroll inte använder och textfält tolkas utan funktionsanrop.
Tiden vid 100 000 rader gick från 3,6 s till 2,4 s.

Vägen vidare, om regioner eller leverantörer behöver det: kontrollernas tillstånd går att slå
samman (histogram och räknare adderas), så en export kan delas i delar som körs i var sin process
och slås samman, ungefär en halvering på två kärnor; eller en kolumnvis läsare (t.ex. pyarrow) som
valfritt tillägg för den som har råd med minnet.

**Uppstart.** `internkontroll --help` och `validate` på demoplanen startar under 0,3 s:
openpyxl och python-docx importeras först när en XLSX- eller DOCX-fil läses eller skrivs.

**En läsning per export.** Motorn tolkar varje export en gång per körning, hur många kontroller
som än läser den (tests/test_engine.py prövar det). sha256 för spårbarheten läser filens byte en
gång till, utan att tolka dem.
"""


if __name__ == "__main__":
    main()
