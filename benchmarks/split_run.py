"""Would two processes bring the benchmark plan to DuckDB's time within half its memory?

    python benchmarks/split_run.py 1000000 --repeats 2

The plan's controls fall into two parts that read no dataset in common: K1–K3 on the decisions
and H1 on the ledger and the cash counts. This runs the plan whole, then the two parts as two
``internkontroll run --control ...`` processes at the same time, and prints each run's wall time
and its peak memory summed over its processes, both as RSS and as PSS (proportional set size:
a page two processes share counts half in each, so the sum counts it once). run.py's single
``ru_maxrss`` would count only the larger process of a pair, so a pair is measured here.

The data and plan are the ones ``benchmarks/run.py`` generates into benchmarks/data/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = (("K1", "K2", "K3"), ("H1",))
SAMPLE_EVERY_S = 0.05


@dataclass(frozen=True)
class PeakMemory:
    wall_s: float
    rss_mb: float
    pss_mb: float


def memory_kb(pid: int) -> tuple[int, int]:
    """RSS and PSS of one process in kB, or zeros once it has ended."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                name, _, rest = line.partition(":")
                if name == "Rss":
                    rss = int(rest.split()[0])
                elif name == "Pss":
                    pss = int(rest.split()[0])
    except OSError:
        pass
    return rss, pss


def run_together(commands: list[list[str]]) -> PeakMemory:
    """Start ``commands`` at once and sample their summed memory until the last one ends."""
    started = time.perf_counter()
    running = [subprocess.Popen(c, stdout=subprocess.DEVNULL) for c in commands]
    peak_rss = peak_pss = 0
    while any(process.poll() is None for process in running):
        sums = [memory_kb(p.pid) for p in running if p.poll() is None]
        peak_rss = max(peak_rss, sum(rss for rss, _ in sums))
        peak_pss = max(peak_pss, sum(pss for _, pss in sums))
        time.sleep(SAMPLE_EVERY_S)
    wall = time.perf_counter() - started
    failed = [c for c, p in zip(commands, running, strict=True) if p.returncode != 0]
    if failed:
        raise SystemExit(f"Körningen misslyckades: {' '.join(failed[0])}")
    return PeakMemory(wall, peak_rss / 1024, peak_pss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="antal rader, som i run.py")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    cli = str(Path(sys.executable).parent / "internkontroll")
    plan = HERE / "data" / f"plan-{args.size}-csv.toml"
    if not plan.exists():
        raise SystemExit(f"Hittar inte {plan}: kör benchmarks/run.py --sizes {args.size} först.")
    with tempfile.TemporaryDirectory() as out:
        whole = [[cli, "run", str(plan), "--out", f"{out}/hela"]]
        split = [
            [cli, "run", str(plan), "--out", f"{out}/del{n}"]
            + [a for control in part for a in ("--control", control)]
            for n, part in enumerate(PARTS)
        ]
        for _ in range(args.repeats):
            for name, commands in (("hela planen", whole), ("två processer", split)):
                peak = run_together(commands)
                print(json.dumps({"run": name, **peak.__dict__}, ensure_ascii=False))


if __name__ == "__main__":
    main()
