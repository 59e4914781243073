"""The benchmark plan's figures the way a controller would compute them with pandas.

    python benchmarks/pandas_figures.py DATA_DIR SIZE OUT.json

Reads the whole exports into memory, as such a script does. Written from the same rules as the
checks (period, three-month rule, follow-up in time, the handkassa rules), without their data-
quality handling: the benchmark data are clean.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

START, END, MID = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"), pd.Timestamp("2024-06-30")


def dates(frame: pd.DataFrame, *columns: str) -> None:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")


def figures(folder: Path, size: int) -> dict[str, float]:
    out: dict[str, float] = {}
    beslut = pd.read_csv(
        folder / f"beslut-{size}.csv",
        sep=";",
        dtype=str,
        keep_default_na=False,
        usecols=[
            "Beslut-ID",
            "Lag",
            "Insats",
            "Ansökningsdatum",
            "Beslutsdatum",
            "Verkställighetsdatum",
            "Giltig till",
            "Uppföljningsdatum",
        ],
    )
    dates(
        beslut,
        "Ansökningsdatum",
        "Beslutsdatum",
        "Verkställighetsdatum",
        "Giltig till",
        "Uppföljningsdatum",
    )
    beslut = beslut.drop_duplicates("Beslut-ID", keep="first")
    decided = beslut["Beslutsdatum"]
    period = beslut[(decided >= START) & (decided <= END)]

    waited = (period["Beslutsdatum"] - period["Ansökningsdatum"]).dt.days
    for law, days in waited.groupby(period["Lag"]):
        out[f"K1.{law}.mean_days"] = days.mean()
        out[f"K1.{law}.median_days"] = days.median()
        out[f"K1.{law}.n"] = len(days)
        first = days[period.loc[days.index, "Beslutsdatum"] <= MID]
        out[f"K1.{law}.H1.mean_days"] = first.mean()

    done = period["Verkställighetsdatum"]
    deadline = period["Beslutsdatum"] + pd.DateOffset(months=3)
    late = (done > deadline) | (done.isna() & (deadline < END))
    execution = (done - period["Beslutsdatum"]).dt.days
    for law, group in period.groupby("Lag"):
        days = execution[group.index].dropna()
        out[f"K2.{law}.mean_days"] = days.mean()
        out[f"K2.{law}.median_days"] = days.median()
        out[f"K2.{law}.n"] = len(days)
        out[f"K2.{law}.over_3_months"] = int(late[group.index].sum())

    limited = beslut[(beslut["Giltig till"] >= START) & (beslut["Giltig till"] <= END)]
    in_time = limited["Uppföljningsdatum"].notna() & (
        limited["Uppföljningsdatum"] <= limited["Giltig till"]
    )
    for service, ok in in_time.groupby(limited["Insats"]):
        out[f"K3.{service}.rate"] = ok.mean()
        out[f"K3.{service}.n"] = len(ok)

    ledger = pd.read_csv(folder / f"kassabok-{size}.csv", sep=";", dtype=str, keep_default_na=False)
    dates(ledger, "Datum")
    ledger["Belopp"] = ledger["Belopp"].str.replace(",", ".").astype(float)
    ledger = ledger.drop_duplicates("Verifikation", keep="first")
    purchases = ledger[
        (ledger["Typ"] == "inköp") & (ledger["Datum"] >= START) & (ledger["Datum"] <= END)
    ]
    attest = purchases["Attesterat av"].str.strip().str.casefold()
    out["H1.purchases"] = len(purchases)
    out["H1.over_limit"] = int((purchases["Belopp"] > 2000).sum())
    out["H1.missing_receipt"] = int((purchases["Kvitto"].str.casefold() != "ja").sum())
    out["H1.missing_attest"] = int((attest == "").sum())
    out["H1.self_attested"] = int(
        ((attest != "") & (attest == purchases["Betalt av"].str.strip().str.casefold())).sum()
    )
    out["H1.missing_purpose"] = int((purchases["Syfte"].str.strip() == "").sum())

    signed = ledger.assign(
        change=ledger["Belopp"].where(ledger["Typ"] == "påfyllning", -ledger["Belopp"])
    )
    daily = signed.groupby(["Handkassa", "Datum"])["change"].sum().groupby(level=0).cumsum()
    daily = daily.reset_index().sort_values("Datum")
    counts = pd.read_csv(folder / f"kassarakningar-{size}.csv", sep=";", dtype=str)
    dates(counts, "Datum")
    counts["Räknat saldo"] = counts["Räknat saldo"].str.replace(",", ".").astype(float)
    joined = pd.merge_asof(counts.sort_values("Datum"), daily, on="Datum", by="Handkassa")
    balance = joined["change"].fillna(0)
    out["H1.reconciliation_differences"] = int(
        ((joined["Räknat saldo"] - balance).abs() > 0.005).sum()
    )
    return {k: float(v) for k, v in out.items()}


def main() -> None:
    folder, size, target = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    target.write_text(json.dumps(figures(folder, size), indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
