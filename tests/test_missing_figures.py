"""A criterion on a figure the period gave no cases for (no LSS decisions): the control is
not judged, Bilaga 1 says why in plain Swedish, and the metric names stay with the controller
(resultat.json's ``detail`` and the terminal)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import cli

from .batch_folds import run_sizes
from .conftest import PLAN, write
from .test_utredningstid_split import EXPORT
from .test_utredningstid_split import PLAN as SPLIT_PLAN

NO_LSS = "Det fanns inga verkställda beslut med lag LSS att räkna under perioden 240101–241231"


def test_bilaga_1_says_in_plain_words_that_a_group_had_no_decisions(plan_dir: Path) -> None:
    text = PLAN.replace('metric = "*.mean_days"', 'metric = ["SoL.mean_days", "LSS.mean_days"]')
    write(plan_dir / "plan.toml", text)
    export = (plan_dir / "beslut.csv").read_text(encoding="utf-8").splitlines()
    only_sol = [line for line in export if ";LSS;" not in line]
    (plan_dir / "beslut.csv").write_text("\n".join(only_sol) + "\n", encoding="utf-8")
    out = plan_dir / "ut"
    ran = CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out)])
    assert ran.exit_code == 3, ran.output  # not judged: not "utan anmärkning"
    technical = "Måttet LSS.mean_days finns inte i kontrollens resultat (kontrollen gav: "
    assert f"K1: {technical}" in ran.stdout  # the controller sees the names

    [control] = json.loads((out / "resultat.json").read_text(encoding="utf-8"))["controls"]
    assert control["assessment"] == "ej_genomford"
    assert control["reason"] == f"{NO_LSS}, så måttet ”LSS: genomsnitt” kunde inte beräknas."
    assert control["detail"].startswith(technical)

    shown = CliRunner().invoke(cli, ["report", str(out), "--format", "md"])
    assert shown.exit_code == 0, shown.output
    bilaga = " ".join(shown.stdout.split())  # the table's cell as one line
    assert f"{NO_LSS}, så måttet ”LSS: genomsnitt” kunde inte beräknas." in bilaga
    for technical_word in ("LSS.mean_days", "kontrollen gav", "duplicate_rows"):
        assert technical_word not in shown.stdout
    assert "Utan anmärkning" not in shown.stdout


def test_an_empty_half_year_is_named_by_its_dates() -> None:
    # Only decisions of the first half of 2024 (U1, U2, U3, U10, U11 in H1).
    first_half = "\n".join(
        line for line in EXPORT.splitlines() if not line.startswith(("U4;", "U5;", "U6;"))
    )
    plan = SPLIT_PLAN.format(
        params='split = "halvår"\nexclude = { law = ["SFB"] }',
        metric='["H1.mean_days", "H2.mean_days", "H2.p90_days"]',
    )
    rows, batches = (
        out["controls"][0] for out in run_sizes({"beslut.csv": first_half + "\n"}, plan, [0, 2])
    )
    assert rows == batches
    assert rows["assessment"] == "ej_genomford"
    assert rows["reason"] == (
        "Det fanns inga beslut att räkna under perioden 240701–241231, så måtten "
        "”H2: genomsnitt” och ”H2: 90:e percentilen” kunde inte beräknas."
    )
    assert rows["detail"].startswith("Måtten H2.mean_days, H2.p90_days finns inte")
