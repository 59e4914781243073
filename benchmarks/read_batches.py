"""Time and size of reading the benchmark exports: ``Dataset.rows`` against ``Dataset.batches``.

    python benchmarks/read_batches.py 1000000
    python benchmarks/read_batches.py 100000 --batch-rows 8192 --block-bytes 1048576

Each reading runs as a process of its own, measured by benchmarks/measure.py (wall time, CPU
time and peak RSS of the whole process, interpreter and imports included), over the exports
benchmarks/generate.py writes (into benchmarks/data/, generated when missing). Only the reading
is measured: every row typed (rows) or every batch made (batches), with no check fed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import measure  # noqa: E402

# The benchmark plan's mappings (plan_template.toml): every column a check reads.
DATASETS = {
    "beslut": {
        "decision_id": ("Beslut-ID", "text"),
        "law": ("Lag", "text"),
        "service": ("Insats", "text"),
        "applied": ("Ansökningsdatum", "date"),
        "decided": ("Beslutsdatum", "date"),
        "executed": ("Verkställighetsdatum", "date"),
        "valid_to": ("Giltig till", "date"),
        "followed_up": ("Uppföljningsdatum", "date"),
    },
    "kassabok": {
        "transaction_id": ("Verifikation", "text"),
        "cashbox": ("Handkassa", "text"),
        "date": ("Datum", "date"),
        "amount": ("Belopp", "decimal"),
        "kind": ("Typ", "text"),
        "receipt": ("Kvitto", "text"),
        "paid_by": ("Betalt av", "text"),
        "attested_by": ("Attesterat av", "text"),
        "purpose": ("Syfte", "text"),
    },
}


def read(mode: str, name: str, path: Path, batch_rows: int, block_bytes: int) -> int:
    """Read the export once; the number of rows read."""
    from internkontroll.datasets import Dataset
    from internkontroll.models import DatasetSpec

    mapping = DATASETS[name]
    spec = DatasetSpec(path=path.name, columns={f: column for f, (column, _) in mapping.items()})
    fields = {f: kind for f, (_, kind) in mapping.items()}
    dataset = Dataset(name, spec, path)
    if mode == "rows":
        return sum(1 for _ in dataset.rows(fields))  # type: ignore[arg-type]
    return sum(len(b) for b in dataset.batches(fields, batch_rows, block_bytes))  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--batch-rows", type=int, default=8192)
    parser.add_argument("--block-bytes", type=int, default=1 << 20)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "DATASET", "PATH"))
    args = parser.parse_args()
    if args.child:
        mode, name, path = args.child
        print(read(mode, name, Path(path), args.batch_rows, args.block_bytes))
        return
    paths = generate(args.size, HERE / "data")
    print(f"{'export':<10} {'read':<8} {'wall s':>7} {'cpu s':>7} {'RSS MB':>7} {'load':>5}")
    for name in DATASETS:
        for mode in ("rows", "batches"):
            child = [sys.executable, __file__, str(args.size), "--child", mode, name]
            child += [str(paths[name]), f"--batch-rows={args.batch_rows}"]
            child += [f"--block-bytes={args.block_bytes}"]
            m = measure(child)
            if m.returncode:
                raise SystemExit(f"{name} {mode}: {m.stderr}")
            print(
                f"{name:<10} {mode:<8} {m.wall_s:>7.2f} {m.cpu_s:>7.2f} "
                f"{m.rss_mb:>7.0f} {m.load:>5.1f}"
            )


if __name__ == "__main__":
    main()
