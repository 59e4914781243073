"""Time and size internkontroll against a pandas script and DuckDB SQL on the same exports.

    python benchmarks/run.py                                  # 10 000 and 100 000 rows, 3 rounds
    python benchmarks/run.py --sizes 10000 100000 1000000 3000000 --repeats 3 \\
        --results benchmarks/RESULTS.md --json /tmp/bench.json

For each size it generates the exports (benchmarks/generate.py; into benchmarks/data/, which git
ignores) and runs the benchmark plan (benchmarks/plan_template.toml: three controls on the
decisions, handkassa on the ledger) with ``internkontroll run``, and the same figures with
benchmarks/pandas_figures.py and benchmarks/duckdb_figures.py. Each run is a process of its own,
measured whole (benchmarks/measure.py: wall time, peak RSS, and the load average just before).
The tools take turns within each round, in an order that rotates from round to round, so that
the machine's load falls on all of them alike.

Every run's figures are compared: ours against pandas' and DuckDB's, and every round against
the first. Any difference, or a run that fails, is printed loudly and makes the exit status 1.
The medians, ratios (ours / theirs) and the issue's targets go to stdout, and with ``--results``
into that Markdown file between the markers ``<!-- run.py -->`` and ``<!-- /run.py -->`` (the
text around them is left as it is). Needs benchmarks/requirements.txt for pandas and DuckDB.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from measure import Measurement  # noqa: E402

OURS = "internkontroll"
OURS_XLSX = "internkontroll (XLSX)"
THEIRS = ("pandas", "duckdb")
TOOLS = (OURS, *THEIRS)
START_MARK, END_MARK = "<!-- run.py -->", "<!-- /run.py -->"

Figures = dict[str, float]


def plan_for(folder: Path, size: int, suffix: str = "csv") -> Path:
    text = (HERE / "plan_template.toml").read_text(encoding="utf-8")
    plan = folder / f"plan-{size}-{suffix}.toml"
    plan.write_text(text.replace("{size}", str(size)).replace("{suffix}", suffix), encoding="utf-8")
    return plan


def our_figures(results: Path) -> Figures:
    """Our resultat.json as the flat names the pandas and DuckDB scripts use (K1.SoL.n ...)."""
    document = json.loads(results.read_text(encoding="utf-8"))
    return {
        f"{c['id']}.{name}": float(value)
        for c in document["controls"]
        for name, value in c["metrics"].items()
    }


def read_figures(tool: str, output: Path) -> Figures:
    """What a tool computed, as flat names and numbers."""
    if tool.startswith(OURS):
        return our_figures(output / "resultat.json")
    figures: Figures = json.loads(output.read_text(encoding="utf-8"))
    return figures


def disagreements(ours: Figures, theirs: Figures, who: str = "annat verktyg") -> list[str]:
    """Every figure of ``theirs`` that ours lacks or has otherwise."""
    problems = []
    for name, value in theirs.items():
        mine = ours.get(name)
        if mine is None or not math.isclose(mine, value, rel_tol=1e-9, abs_tol=1e-9):
            problems.append(f"{name}: internkontroll {mine}, {who} {value}")
    return problems


def measure(command: list[str]) -> Measurement:
    """Measure ``command`` from a small process of its own (benchmarks/measure.py): Linux
    counts the peak RSS of the process that starts a command into the command's own, so the
    starter must be smaller than anything it measures."""
    shown = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), *command],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return Measurement(**json.loads(shown))


def cli_path() -> str:
    """The ``internkontroll`` command of the Python running this script."""
    found = Path(sys.executable).parent / "internkontroll"
    if not found.exists():
        raise SystemExit(f"Hittar inte {found}: installera paketet (pip install -e .) först.")
    return str(found)


def command_for(tool: str, data: Path, size: int, output: Path) -> list[str]:
    """The command that makes ``tool`` compute the plan's figures into ``output``."""
    if tool == OURS:
        return [cli_path(), "run", str(plan_for(data, size)), "--out", str(output)]
    if tool == OURS_XLSX:
        return [cli_path(), "run", str(plan_for(data, size, "xlsx")), "--out", str(output)]
    script = HERE / f"{tool}_figures.py"
    return [sys.executable, str(script), str(data), str(size), str(output)]


@dataclass
class Run:
    """One run of one tool: its measurement and, when it succeeded, its figures."""

    tool: str
    round: int
    measurement: Measurement
    figures: Figures | None


@dataclass
class SizeResult:
    size: int
    runs: list[Run] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    compared: int = 0
    """How many figures pandas and DuckDB compute that ours were compared with."""

    def of(self, tool: str) -> list[Run]:
        return [run for run in self.runs if run.tool == tool]

    def tools(self) -> list[str]:
        return list(dict.fromkeys(run.tool for run in self.runs))

    def median(self, tool: str, what: str) -> float:
        return statistics.median(getattr(run.measurement, what) for run in self.of(tool))

    def ratio(self, tool: str, what: str) -> float:
        """Ours / theirs, medians of the whole run."""
        return self.median(OURS, what) / self.median(tool, what)

    def paired(self, tool: str, what: str) -> list[float]:
        """Ours / theirs within each round: the two ran minutes apart, under the same load."""
        theirs = {run.round: getattr(run.measurement, what) for run in self.of(tool)}
        return [
            getattr(run.measurement, what) / theirs[run.round]
            for run in self.of(OURS)
            if run.round in theirs and theirs[run.round] > 0
        ]


def bench_size(
    data: Path,
    size: int,
    repeats: int,
    tools: Sequence[str],
    xlsx: bool = False,
    say: Callable[[str], None] = print,
) -> SizeResult:
    """Run every tool ``repeats`` times on exports of ``size`` rows, taking turns."""
    generate(size, data, xlsx=xlsx)
    names = [*tools, OURS_XLSX] if xlsx else list(tools)
    result = SizeResult(size)
    with tempfile.TemporaryDirectory(prefix="ik-bench-") as folder:
        for round_ in range(repeats):
            turn = round_ % len(names)
            for tool in names[turn:] + names[:turn]:
                output = Path(folder) / f"{tool.replace(' ', '_')}-{round_}"
                if tool in THEIRS:
                    output = output.with_suffix(".json")
                taken = measure(command_for(tool, data, size, output))
                figures = None
                if taken.returncode == 0:
                    figures = read_figures(tool, output)
                else:
                    result.problems.append(
                        f"{tool} avslutades med kod {taken.returncode} (omgång {round_ + 1}): "
                        f"{taken.stderr.strip()[-600:]}"
                    )
                shutil.rmtree(output, ignore_errors=True)
                output.unlink(missing_ok=True)
                result.runs.append(Run(tool, round_, taken, figures))
                say(
                    f"  {size:>9} rader  {tool:<22} {taken.wall_s:7.2f} s {taken.rss_mb:7.0f} MB"
                    f"  belastning {taken.load:.2f}"
                )
    result.problems += compare(result)
    return result


def compare(result: SizeResult) -> list[str]:
    """Every way the runs' figures differ: between tools, and between rounds of one tool."""
    problems = []
    first: dict[str, Figures] = {}
    for run in result.runs:
        if run.figures is None:
            continue
        seen = first.setdefault(run.tool, run.figures)
        if run.figures != seen:
            problems.append(f"{run.tool} gav andra siffror i omgång {run.round + 1} än i första")
    ours = first.get(OURS)
    if ours is None:
        return problems
    theirs = {tool: first[tool] for tool in THEIRS if tool in first}
    for tool, figures in theirs.items():
        if not figures:
            problems.append(f"{tool} räknade inga siffror")
        problems += disagreements(ours, figures, tool)
    if len(theirs) == 2 and set(theirs["pandas"]) != set(theirs["duckdb"]):
        problems.append("pandas och DuckDB räknar inte samma siffror (namnen skiljer sig)")
    result.compared = max((len(figures) for figures in theirs.values()), default=0)
    if OURS_XLSX in first and first[OURS_XLSX] != ours:
        problems += [f"XLSX: {p}" for p in disagreements(first[OURS_XLSX], ours, "CSV")] or [
            "XLSX-körningen gav andra siffror än CSV-körningen"
        ]
    return problems


def startup(repeats: int) -> dict[str, list[Measurement]]:
    demo = str(ROOT / "controls" / "exempel" / "plan.toml")
    commands = {
        "internkontroll --help": [cli_path(), "--help"],
        "internkontroll validate (demoplanen)": [cli_path(), "validate", demo],
    }
    return {name: [measure(command) for _ in range(repeats)] for name, command in commands.items()}


# The report -------------------------------------------------------------------------------------


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "saknas"


def commit() -> str:
    try:
        described = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h, %cs"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "okänd"
    return f"{described}{', med ändringar som inte är incheckade' if dirty else ''}"


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next(
        (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
        platform.processor() or "okänd processor",
    )
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} kärnor"


def versions() -> str:
    names = ("internkontroll", "pyarrow", "numpy", "pandas", "duckdb")
    listed = ", ".join(f"{name} {package_version(name)}" for name in names)
    return f"Python {platform.python_version()}, {listed}"


def spread(values: Sequence[float], digits: int) -> str:
    """The median, and the range when there is more than one value."""
    middle = f"{statistics.median(values):.{digits}f}"
    if len(values) < 2:
        return middle
    return f"{middle} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def size_table(result: SizeResult) -> str:
    lines = [
        "| verktyg | tid (s) | CPU-tid (s) | minne (MB) | vår tid / deras | vår CPU-tid / deras "
        "| vårt minne / deras | belastning |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for tool in result.tools():
        runs = result.of(tool)
        walls = [run.measurement.wall_s for run in runs]
        cpus = [run.measurement.cpu_s for run in runs]
        rss = [run.measurement.rss_mb for run in runs]
        loads = [run.measurement.load for run in runs]
        time_ratio = cpu_ratio = memory_ratio = ""
        if tool in THEIRS and result.of(OURS):
            time_ratio = f"{result.ratio(tool, 'wall_s'):.2f}"
            cpu_ratio = f"{result.ratio(tool, 'cpu_s'):.2f}"
            memory_ratio = f"{result.ratio(tool, 'rss_mb'):.2f}"
            paired = result.paired(tool, "wall_s")
            if len(paired) > 1:
                time_ratio += f" ({min(paired):.2f}–{max(paired):.2f})"
        load = f"{min(loads):.1f}–{max(loads):.1f}" if len(loads) > 1 else f"{loads[0]:.1f}"
        lines.append(
            f"| {tool} | {spread(walls, 2)} | {spread(cpus, 2)} | {spread(rss, 0)} | {time_ratio} "
            f"| {cpu_ratio} | {memory_ratio} | {load} |"
        )
    return "\n".join(lines)


def agreement(result: SizeResult) -> str:
    if result.problems:
        listed = "\n".join(f"- {problem}" for problem in result.problems)
        return f"**SIFFRORNA SKILJER SIG ELLER EN KÖRNING MISSLYCKADES:**\n\n{listed}"
    rounds = len(result.of(OURS))
    if not result.compared:
        return f"Inget annat verktyg kördes; internkontrolls siffror var lika i {rounds} omgångar."
    others = " och ".join("DuckDB" if t == "duckdb" else t for t in THEIRS if result.of(t))
    return (
        f"Alla {result.compared} siffror som {others} räknar stämmer med internkontrolls, "
        f"i varje omgång ({rounds})."
    )


@dataclass(frozen=True)
class Target:
    text: str
    measured: str
    met: bool | None  # None: not measured in this run


def targets(results: dict[int, SizeResult], starts: dict[str, list[Measurement]]) -> list[Target]:
    """The issue's four targets, judged on this run's medians."""
    out = []
    million = results.get(1_000_000)
    if million and million.of(OURS) and million.of("duckdb"):
        wall, rss = million.ratio("duckdb", "wall_s"), million.ratio("duckdb", "rss_mb")
        out.append(
            Target(
                "1 M rader, hela planen: tid ≤ 1,0 × DuckDB",
                f"{wall:.2f} × ({million.median(OURS, 'wall_s'):.2f} s mot "
                f"{million.median('duckdb', 'wall_s'):.2f} s; CPU-tid "
                f"{million.ratio('duckdb', 'cpu_s'):.2f} ×)",
                wall <= 1.0,
            )
        )
        out.append(
            Target(
                "1 M rader: högsta RSS ≤ 0,5 × DuckDB",
                f"{rss:.2f} × ({million.median(OURS, 'rss_mb'):.0f} MB mot "
                f"{million.median('duckdb', 'rss_mb'):.0f} MB)",
                rss <= 0.5,
            )
        )
    else:
        out.append(Target("1 M rader: tid ≤ 1,0 × och minne ≤ 0,5 × DuckDB", "inte mätt", None))
    three = results.get(3_000_000)
    if million and three and million.of(OURS) and three.of(OURS):
        growth = three.median(OURS, "rss_mb") / million.median(OURS, "rss_mb")
        out.append(
            Target(
                "3 M rader: högsta RSS inom 20 % av 1 M",
                f"{growth:.2f} × ({three.median(OURS, 'rss_mb'):.0f} MB mot "
                f"{million.median(OURS, 'rss_mb'):.0f} MB)",
                growth <= 1.2,
            )
        )
    else:
        out.append(Target("3 M rader: högsta RSS inom 20 % av 1 M", "inte mätt", None))
    small = results.get(10_000)
    if small and small.of(OURS):
        wall, cpu = small.median(OURS, "wall_s"), small.median(OURS, "cpu_s")
        out.append(
            Target(
                "10 k rader: hela processen < 0,5 s",
                f"{wall:.2f} s (CPU-tid {cpu:.2f} s)",
                wall < 0.5,
            )
        )
    else:
        out.append(Target("10 k rader: hela processen < 0,5 s", "inte mätt", None))
    helps = starts.get("internkontroll --help")
    if helps:
        wall = statistics.median(m.wall_s for m in helps)
        cpu = statistics.median(m.cpu_s for m in helps)
        out.append(
            Target(
                "`internkontroll --help` < 0,3 s",
                f"{wall:.3f} s (CPU-tid {cpu:.3f} s)",
                wall < 0.3,
            )
        )
    return out


def report(
    command: str,
    repeats: int,
    results: dict[int, SizeResult],
    starts: dict[str, list[Measurement]],
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()
    parts = [
        START_MARK,
        "## Mätning",
        "",
        f"`{command}`, {now}, {repeats} omgångar. Commit: {commit()}.",
        f"Maskin: {machine()}; {versions()}. Belastning vid slutet: "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1, 5, 15 min).",
        "",
        "Tid är väggklocka för hela processen, CPU-tid processens användar- och systemtid, "
        "minne dess högsta RSS, tolk och importer inräknade; median (lägsta–högsta). Kvoterna "
        "är vår median delad med deras; inom parentes tidskvotens spann omgång för omgång. "
        "Belastning är 1-minutersmedel före varje körning (maskinen har "
        f"{os.cpu_count()} kärnor); när den är högre än antalet kärnor väntar processerna på "
        "en kärna, och väggklockan blir längre än CPU-tiden.",
        "",
        "### Mål",
        "",
        "| mål | mätt | uppfyllt |",
        "|---|---|---|",
    ]
    for target in targets(results, starts):
        met = {True: "ja", False: "**nej**", None: "–"}[target.met]
        parts.append(f"| {target.text} | {target.measured} | {met} |")
    for size, result in results.items():
        rows = f"{size:,}".replace(",", " ")
        parts += [
            "",
            f"### {rows} beslut och {rows} kassaboksrader",
            "",
            size_table(result),
            "",
            agreement(result),
        ]
    if starts:
        parts += ["", "### Uppstart", "", "| kommando | tid (s) | CPU-tid (s) | minne (MB) |"]
        parts.append("|---|---:|---:|---:|")
        for name, taken in starts.items():
            walls, cpus = [m.wall_s for m in taken], [m.cpu_s for m in taken]
            rss = [m.rss_mb for m in taken]
            parts.append(
                f"| `{name}` | {spread(walls, 3)} | {spread(cpus, 3)} | {spread(rss, 0)} |"
            )
    parts.append(END_MARK)
    return "\n".join(parts) + "\n"


def write_report(path: Path, text: str) -> None:
    """Put ``text`` between the markers in ``path``, or at its end when it has none."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = old.find(START_MARK), old.find(END_MARK)
    if start >= 0 and end > start:
        rest = old[end + len(END_MARK) :].lstrip("\n")
        new = old[:start] + text + ("\n" + rest if rest else "")
    else:
        new = (old.rstrip("\n") + "\n\n" if old else "") + text
    path.write_text(new, encoding="utf-8")


def as_json(results: dict[int, SizeResult], starts: dict[str, list[Measurement]]) -> str:
    return json.dumps(
        {
            "machine": machine(),
            "versions": versions(),
            "commit": commit(),
            "sizes": {
                str(size): {
                    "problems": result.problems,
                    "runs": [
                        {"tool": r.tool, "round": r.round, **asdict(r.measurement)}
                        for r in result.runs
                    ],
                }
                for size, result in results.items()
            },
            "startup": {name: [asdict(m) for m in taken] for name, taken in starts.items()},
        },
        indent=1,
        ensure_ascii=False,
    )


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3, help="omgångar per storlek")
    parser.add_argument(
        "--tools", nargs="+", choices=TOOLS, default=list(TOOLS), help="internkontroll körs alltid"
    )
    parser.add_argument(
        "--xlsx-sizes",
        type=int,
        nargs="*",
        default=[10_000],
        help="storlekar där internkontroll också läser beslutsexporten som XLSX",
    )
    parser.add_argument(
        "--startup-repeats", type=int, default=5, help="körningar av --help och validate; 0: inga"
    )
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--results", type=Path, help="Markdown-fil att skriva mätningen i")
    parser.add_argument("--json", type=Path, help="varje körnings mätning som JSON")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats måste vara minst 1")
    args.tools = [OURS, *(tool for tool in THEIRS if tool in args.tools)]
    return args


def compile_sources() -> None:
    """Write the bytecode cache of our sources, as an installed package has one: an editable
    install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module anew in
    every measured run (pandas', DuckDB's and our libraries' caches come with their install)."""
    import compileall

    for folder in ("src", "plugins"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    compile_sources()
    shown = " ".join(sys.argv[1:] if argv is None else argv)
    command = f"python benchmarks/run.py {shown}".strip()
    results: dict[int, SizeResult] = {}
    for size in args.sizes:
        print(f"{size} rader ...", flush=True)
        results[size] = bench_size(
            args.data, size, args.repeats, args.tools, size in args.xlsx_sizes
        )
    starts = startup(args.startup_repeats) if args.startup_repeats > 0 else {}
    text = report(command, args.repeats, results, starts)
    print(text)
    if args.results:
        write_report(args.results, text)
        print(f"Skrev {args.results}")
    if args.json:
        args.json.write_text(as_json(results, starts), encoding="utf-8")
    problems = [(size, p) for size, result in results.items() for p in result.problems]
    if problems:
        print("\nFEL: siffrorna skiljer sig eller en körning misslyckades:", file=sys.stderr)
        for size, problem in problems:
            print(f"  {size} rader: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
