"""The package as a municipality installs it: found through its entry point, counted right,
rendered by its own format."""

from __future__ import annotations

import json
import random
import re
import textwrap
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner
from internkontroll_exempel.beslut_per_handlaggare import BeslutPerHandlaggare
from internkontroll_exempel.intranat import Intranat

from internkontroll.cli import cli
from internkontroll.document import Document, Table
from internkontroll.plugins import PluginHost

PLAN = """\
[plan]
title = "Internkontrollplan 2024"
organisation = "Socialnämnden"
year = 2024

[[risk]]
id = "R1"
title = "Ojämn arbetsbelastning bland handläggarna."
likelihood = 3
impact = 3

[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
decision_id = "Beslut-ID"
officer = "Handläggare"
decided = "Beslutsdatum"

[[control]]
id = "K1"
risk = "R1"
title = "Beslut per handläggare"
check = "beslut_per_handlaggare"
dataset = "beslut"
[control.params]
max_beslut = 2
[control.criteria]
metric = "over_grans"
better = "lower"
utan_anmarkning = 0
forsumbar_anmarkning = 1
"""


def run(folder: Path, csv: str) -> dict[str, object]:
    (folder / "plan.toml").write_text(PLAN, encoding="utf-8")
    (folder / "beslut.csv").write_text(textwrap.dedent(csv), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["run", str(folder / "plan.toml"), "--out", str(folder / "ut")]
    )
    assert result.exit_code == 0, result.output
    document = json.loads((folder / "ut" / "resultat.json").read_text(encoding="utf-8"))
    [control] = document["controls"]
    return control  # type: ignore[no-any-return]


def test_the_entry_point_brings_the_check_and_the_format() -> None:
    host = PluginHost()
    assert host.checks()["beslut_per_handlaggare"] is BeslutPerHandlaggare
    assert isinstance(host.formats()["intranat"], Intranat)
    assert host.origin("beslut_per_handlaggare") == "exempel"
    assert host.format_origin("intranat") == "exempel"
    assert host.distribution("exempel") == "internkontroll-plugin-exempel 0.1.0"
    assert host.failures == []


def test_plugins_lists_them_with_the_package() -> None:
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0 and "varning" not in result.output
    assert re.search(
        r"^beslut_per_handlaggare +0\.1\.0 +Antal beslut per handläggare .* exempel +"
        r"internkontroll-plugin-exempel 0\.1\.0$",
        result.stdout,
        re.MULTILINE,
    )
    assert re.search(
        r"^intranat +\.html +nej +exempel +internkontroll-plugin-exempel 0\.1\.0$",
        result.stdout,
        re.MULTILINE,
    )


def test_counts_worked_by_hand(tmp_path: Path) -> None:
    control = run(
        tmp_path,
        """\
        Beslut-ID;Handläggare;Beslutsdatum
        B1;Anna;2024-01-10
        B2;Anna;2024-02-10
        B3;Anna;2024-03-10
        B4;Bo;2024-04-10
        B5;Bo;2023-12-31
        B6;;2024-05-01
        B7;Cecilia;
        """,
    )
    # Anna 3 (over the limit of 2), Bo 1 (B5 is 2023); B6 and B7 are listed, not counted.
    metrics = control["metrics"]
    assert isinstance(metrics, dict)
    assert (metrics["beslut"], metrics["handlaggare"]) == (4, 2)
    assert (metrics["max_per_handlaggare"], metrics["over_grans"]) == (3, 1)
    assert control["assessment"] == "forsumbar_anmarkning"
    findings = (tmp_path / "ut" / "avvikelser" / "K1.csv").read_text(encoding="utf-8-sig")
    assert "Anna" in findings and "3 beslut, fler än gränsen 2" in findings
    assert "handläggare saknas" in findings and "beslutsdatum saknas" in findings


def test_counts_agree_with_a_plain_count(tmp_path: Path) -> None:
    rng = random.Random(2024)
    officers = ["Anna", "Bo", "Cecilia", "David", "Eva"]
    rows, expected = [], Counter[str]()
    for number in range(1, 501):
        officer = rng.choice(officers)
        day = date(2023, 11, 1) + timedelta(days=rng.randrange(500))
        rows.append(f"B{number};{officer};{day.isoformat()}")
        if day.year == 2024:
            expected[officer] += 1
    control = run(tmp_path, "Beslut-ID;Handläggare;Beslutsdatum\n" + "\n".join(rows) + "\n")
    metrics = control["metrics"]
    assert isinstance(metrics, dict)
    assert metrics["beslut"] == sum(expected.values())
    assert metrics["max_per_handlaggare"] == max(expected.values())
    assert metrics["over_grans"] == sum(1 for n in expected.values() if n > 2)
    table = (tmp_path / "ut" / "underlag").glob("*.csv")
    text = "".join(p.read_text(encoding="utf-8-sig") for p in table)
    for officer, n in expected.items():
        assert f"{officer};{n}" in text or f"{officer},{n}" in text


def test_the_intranat_format_escapes_and_keeps_every_cell() -> None:
    document = Document(
        title="Bilaga 1 <utkast>",
        summary="Tre av fyra & en till.",
        tables=[
            Table(
                name="t",
                title="Tabell",
                columns=["A", "B"],
                rows=[["1", "<b>"], ["två\nrader", ""]],
            )
        ],
    )
    html = Intranat().render(document).decode("utf-8")
    assert "<h2>Bilaga 1 &lt;utkast&gt;</h2>" in html
    assert "<p>Tre av fyra &amp; en till.</p>" in html
    assert "<tr><td>1</td><td>&lt;b&gt;</td></tr>" in html
    assert "<tr><td>två<br>rader</td><td></td></tr>" in html


def test_report_in_the_intranat_format(tmp_path: Path) -> None:
    run(tmp_path, "Beslut-ID;Handläggare;Beslutsdatum\nB1;Anna;2024-01-10\n")
    out = tmp_path / "bilaga1.html"
    result = CliRunner().invoke(
        cli, ["report", str(tmp_path / "ut"), "--format", "intranat", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith('<section class="internkontroll">')
    assert "<td>Beslut per handläggare</td>" in html
