"""The demo's Bilaga 1 against the annual report it imitates, sentence by sentence.

``tests/seed/bilaga1_2024.toml`` holds the published text of Bilaga 1 for K1–K4. The demo is run
from its export, the people's words from ``controls/exempel/bedomning.toml`` are put in the
results folder, and ``report --table bilaga1 --format md`` is read back. Every sentence must be
the annual report's, except the differences listed in ``DIFFERENCES``, each with its reason. The
figures in those sentences come from the export through the checks; none is written in the plan.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "controls" / "exempel"
SEED = tomllib.loads((Path(__file__).parent / "seed" / "bilaga1_2024.toml").read_text("utf-8"))

OWNER_TYPO = (
    "the annual report writes '1: socialsekreterare' for '1:e socialsekreterare'; the plan names "
    "the owner once, spelled right"
)
OMFATTADE_TYPO = "the annual report writes 'omfattande' for 'omfattade'"
# (control, the annual report's sentence, the demo's sentence, why they differ)
DIFFERENCES = [
    (
        "K1",
        "Granskningen genomfördes av 1: socialsekreterare SoL och 1:e socialsekreterare LSS.",
        "Granskningen genomfördes av 1:e socialsekreterare SoL och 1:e socialsekreterare LSS.",
        OWNER_TYPO,
    ),
    (
        "K2",
        "Granskningen genomfördes av 1: socialsekreterare SoL och 1:e socialsekreterare LSS.",
        "Granskningen genomfördes av 1:e socialsekreterare SoL och 1:e socialsekreterare LSS.",
        OWNER_TYPO,
    ),
    (
        "K3",
        "Granskningen har genomförts av 1: socialsekreterare SoL och 1:e socialsekreterare LSS "
        "genom journalgranskning med stickprov.",
        "Granskningen har genomförts av 1:e socialsekreterare SoL och 1:e socialsekreterare LSS "
        "genom journalgranskning med stickprov.",
        OWNER_TYPO,
    ),
    (
        "K3",
        "Granskningen omfattande besluttyperna hemtjänst, korttidsboende och LSS beslut.",
        "Granskningen omfattade besluttyperna hemtjänst, korttidsboende och LSS beslut.",
        OMFATTADE_TYPO,
    ),
    (
        "K3",
        "Urval: 15 procent SoL beslut, hemtjänst och korttidsboende 25 procent LSS beslut",
        "Urval: 15 procent SoL och 25 procent LSS.",
        "the sample is stated from the plan's fractions; the annual report's sentence is garbled "
        "and lacks its full stop",
    ),
    (
        "K4",
        "Granskningen har genomförts av 1: socialsekreterare SoL och 1:e socialsekreterare LSS "
        "genom journalgranskning med stickprov.",
        "Granskningen har genomförts av 1:e socialsekreterare SoL och 1:e socialsekreterare LSS "
        "genom journalgranskning med stickprov.",
        OWNER_TYPO,
    ),
    (
        "K4",
        "Granskningen omfattande besluttyperna särskilt boende enligt socialtjänstlagen, bostad "
        "med särskild service enligt LSS och daglig verksamhet enligt LSS.",
        "Granskningen omfattade besluttyperna särskilt boende enligt socialtjänstlagen, bostad "
        "med särskild service enligt LSS och daglig verksamhet enligt LSS.",
        OMFATTADE_TYPO,
    ),
    (
        "K4",
        "Urval:10 procent särskilt boende, 25 procent bostad med särskild service och 25 procent "
        "daglig verksamhet enligt LSS.",
        "Urval: 10 procent särskilt boende, 25 procent bostad med särskild service och 25 procent "
        "daglig verksamhet enligt LSS.",
        "a space after the colon, which the annual report lacks",
    ),
]
# Sentences the demo adds, as (control, pattern, why); they stand right after the figures.
ADDED = [
    (
        control,
        r"\d+ rader? i underlaget ingår inte i siffrorna \(.+\); de listas i avvikelser/\.",
        "the demo's export carries deliberate faults (impossible dates, a swapped pair, repeated "
        "rows) and Bilaga 1 says how many rows were left out; the annual report's export had none",
    )
    for control in ("K1", "K2", "K3", "K4")
]
RISK_DESCRIPTION = (
    "Brister i rättssäkerheten riskerar att leda till att den enskilde inte får den hjälp och "
    "stöd den har rätt till, samt att nämndens resurser inte används på ett effektivt sätt."
)  # the annual report's 'riskera' and 'nämnden resurser' corrected in the plan
SUMMARY_TAIL = " Uppföljning av internkontrollplan."  # a heading fragment caught in the text


def sentences(text: str) -> list[str]:
    """Paragraphs, then sentences; whitespace (no-break spaces too) made single."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n|<br><br>", text):
        flat = " ".join(paragraph.replace("<br>", " ").split())
        out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])", flat) if s]
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    out = tmp_path_factory.mktemp("seed") / "resultat"
    runner = CliRunner()
    ran = runner.invoke(cli, ["run", str(DEMO / "plan.toml"), "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    shutil.copy(DEMO / "bedomning.toml", out / "bedomning.toml")
    report = runner.invoke(cli, ["report", str(out), "--table", "bilaga1", "--format", "md"])
    assert report.exit_code == 0, report.output
    summary = runner.invoke(cli, ["summary", str(out)])
    assert summary.exit_code == 0, summary.output
    lines = [line for line in report.output.splitlines() if line.startswith("| ")]
    rows = [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines[1:]]
    by_id = dict(zip(["K1", "K2", "K3", "K4"], rows, strict=True))
    return {**by_id, "summary": [summary.output.strip()]}


def expected(control: str) -> list[str]:
    documented = {seed: ours for cid, seed, ours, _ in DIFFERENCES if cid == control}
    return [documented.get(s, s) for s in sentences(SEED["controls"][control]["result"])]


@pytest.mark.parametrize("control", ["K1", "K2", "K3", "K4"])
def test_resultat_is_the_annual_reports_sentence_by_sentence(
    demo: dict[str, list[str]], control: str
) -> None:
    ours = sentences(demo[control][4])
    for cid, pattern, _ in ADDED:
        if cid == control:
            ours = [s for s in ours if not re.fullmatch(pattern, s)]
    theirs = expected(control)
    for number, (mine, wanted) in enumerate(zip(ours, theirs, strict=False), start=1):
        assert mine == wanted, f"{control}, mening {number}"
    assert len(ours) == len(theirs), (control, ours[len(theirs) :], theirs[len(ours) :])


def test_every_documented_difference_is_still_needed() -> None:
    for control, seed, ours, why in DIFFERENCES:
        assert seed in sentences(SEED["controls"][control]["result"]), (control, seed)
        assert seed != ours and why


@pytest.mark.parametrize("control", ["K1", "K2", "K3", "K4"])
def test_atgard_is_what_people_wrote(demo: dict[str, list[str]], control: str) -> None:
    assert sentences(demo[control][5]) == sentences(SEED["controls"][control]["actions"])


def test_risk_cells_and_assessments(demo: dict[str, list[str]]) -> None:
    assert demo["K1"][0] == SEED["risk"]["title"]
    assert demo["K1"][1] == RISK_DESCRIPTION
    assert sentences(SEED["risk"]["description"]) != sentences(RISK_DESCRIPTION)
    assert [demo[c][0] for c in ("K2", "K3", "K4")] == ["", "", ""]  # one risk over four controls
    assert [demo[c][3] for c in ("K1", "K2", "K3", "K4")] == [
        "Utan anmärkning",
        "Utan anmärkning",
        "Utan anmärkning/försumbar anmärkning",
        "Med anmärkning",
    ]


def test_summary_is_the_annual_reports(demo: dict[str, list[str]]) -> None:
    text = SEED["summary"]["text"]
    assert text.endswith(SUMMARY_TAIL)
    assert sentences(demo["summary"][0]) == sentences(text.removesuffix(SUMMARY_TAIL))
