"""The benchmark plan's figures in DuckDB SQL, on the same CSV files.

python benchmarks/duckdb_figures.py DATA_DIR SIZE OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

BESLUT = """
create view beslut as
select * from (
  select *, row_number() over (partition by "Beslut-ID" order by rowid) as seen
  from (select *, row_number() over () as rowid from read_csv(?, delim=';', header=true,
        all_varchar=true))
) where seen = 1
"""


def figures(folder: Path, size: int) -> dict[str, float]:
    con = duckdb.connect()
    con.execute(BESLUT.replace("?", f"'{folder / f'beslut-{size}.csv'}'"))
    con.execute("""
      create view d as select "Lag" as law, "Insats" as service,
        try_cast(nullif("Ansökningsdatum", '') as date) as applied,
        try_cast(nullif("Beslutsdatum", '') as date) as decided,
        try_cast(nullif("Verkställighetsdatum", '') as date) as executed,
        try_cast(nullif("Giltig till", '') as date) as valid_to,
        try_cast(nullif("Uppföljningsdatum", '') as date) as followed_up
      from beslut""")
    out: dict[str, float] = {}
    period = "decided between date '2024-01-01' and date '2024-12-31'"
    for law, mean, median, n, h1 in con.execute(f"""
        select law, avg(decided - applied), median(decided - applied), count(*),
               avg(decided - applied) filter (where decided <= date '2024-06-30')
        from d where {period} group by law""").fetchall():
        out |= {
            f"K1.{law}.mean_days": mean,
            f"K1.{law}.median_days": median,
            f"K1.{law}.n": n,
            f"K1.{law}.H1.mean_days": h1,
        }
    for law, mean, median, n, late in con.execute(f"""
        select law, avg(executed - decided), median(executed - decided),
               count(executed),
               count(*) filter (where executed > decided + interval 3 month
                                or (executed is null and date '2024-12-31' >
                                    decided + interval 3 month))
        from d where {period} group by law""").fetchall():
        out |= {
            f"K2.{law}.mean_days": mean,
            f"K2.{law}.median_days": median,
            f"K2.{law}.n": n,
            f"K2.{law}.over_3_months": late,
        }
    for service, rate, n in con.execute("""
        select service, avg(case when followed_up <= valid_to then 1.0 else 0.0 end), count(*)
        from d where valid_to between date '2024-01-01' and date '2024-12-31'
        group by service""").fetchall():
        out |= {f"K3.{service}.rate": rate, f"K3.{service}.n": n}

    ledger = folder / f"kassabok-{size}.csv"
    con.execute(f"""
      create view l as select "Handkassa" as box, cast("Datum" as date) as day,
        cast(replace("Belopp", ',', '.') as decimal(18, 2)) as amount, "Typ" as kind,
        lower("Kvitto") as receipt, lower(coalesce(trim("Betalt av"), '')) as paid_by,
        lower(coalesce(trim("Attesterat av"), '')) as attested,
        coalesce(trim("Syfte"), '') as purpose
      from read_csv('{ledger}', delim=';', header=true, all_varchar=true)""")
    row = con.execute("""
      select count(*), count(*) filter (where amount > 2000),
             count(*) filter (where receipt <> 'ja'),
             count(*) filter (where attested = ''),
             count(*) filter (where attested <> '' and attested = paid_by),
             count(*) filter (where purpose = '')
      from l where kind = 'inköp' and day between date '2024-01-01' and date '2024-12-31'
    """).fetchone()
    assert row is not None
    names = [
        "purchases",
        "over_limit",
        "missing_receipt",
        "missing_attest",
        "self_attested",
        "missing_purpose",
    ]
    out |= {f"H1.{name}": value for name, value in zip(names, row, strict=True)}
    counts = folder / f"kassarakningar-{size}.csv"
    differences = con.execute(f"""
      with c as (select "Handkassa" as box, cast("Datum" as date) as day,
                   cast(replace("Räknat saldo", ',', '.') as decimal(18, 2)) as counted
                 from read_csv('{counts}', delim=';', header=true, all_varchar=true)),
           b as (select c.box, c.day, c.counted,
                   coalesce(sum(case when l.kind = 'påfyllning' then l.amount
                                     else -l.amount end), 0) as balance
                 from c left join l on l.box = c.box and l.day <= c.day
                 group by c.box, c.day, c.counted)
      select count(*) filter (where abs(counted - balance) > 0) from b
    """).fetchone()
    assert differences is not None
    out["H1.reconciliation_differences"] = differences[0]
    return {k: float(v) for k, v in out.items()}


def main() -> None:
    folder, size, target = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    target.write_text(json.dumps(figures(folder, size), indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
