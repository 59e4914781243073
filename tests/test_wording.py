"""The plan's [report] table: templates, date styles, verdicts, people's words, and its mistakes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.errors import PlanError
from internkontroll.models import Period, SampleSpec
from internkontroll.planfile import load_plan
from internkontroll.report import bilaga1_table, load_results
from internkontroll.result_wording import period_change, sample_fractions
from internkontroll.swedish import NBSP, count_word, lower_first, number, span_text
from internkontroll.wording import ReportSettings, blanks, fill

from .conftest import PLAN, write

YEAR = Period(start=date(2024, 1, 1), end=date(2024, 12, 31))


def test_templates_fill_text_and_format_metrics() -> None:
    metrics = {"SoL.mean_days": 7.5, "rate": 0.954, "n": 1402.0, "kr": 1234.5, "h": 1.2}
    text = fill(
        "{title} {SoL.mean_days:dagar}, {rate:procent}, {n:heltal} beslut, {kr:kr}, "
        "{h:timmar}, {{ordagrant}}",
        {"title": "utredningstid"},
        metrics,
    )
    assert (
        text
        == f"utredningstid 8 dagar, 95 procent, 1{NBSP}402 beslut, 1{NBSP}235 kr, 1 timme, {{ordagrant}}"
    )


def test_blank_fields_leave_no_double_spaces_and_paragraphs_stay() -> None:
    assert fill("A {x} .  B\n\nC {x}", {"x": ""}) == "A. B\n\nC"


def test_a_blank_without_a_value_is_named() -> None:
    with pytest.raises(KeyError, match=re.escape("LSS.mean_days")):
        fill("{LSS.mean_days:dagar}", {}, {"SoL.mean_days": 3})


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{n:veckor}", "okänt format 'veckor'"),
        ("en { ensam", "klammerparentes står ensam"),
        ("{}", "tomt fält"),
    ],
)
def test_bad_templates_are_refused(template: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        blanks(template)


def test_the_most_specific_setting_wins() -> None:
    settings = ReportSettings.model_validate(
        {
            "date_style": "iso",
            "verdict_phrase": "Bedömningen är att kontrollen är genomförd {assessment}.",
            "checks": {"utredningstid": {"date_style": "lång", "source_system": "Combine"}},
            "controls": {"K1": {"date_style": "kompakt"}},
        }
    )
    k1 = settings.for_control("K1", "utredningstid")
    assert (k1.date_style, k1.source_system) == ("kompakt", "Combine")
    assert k1.verdict_phrase.startswith("Bedömningen är att kontrollen")
    assert settings.for_control("K2", "utredningstid").date_style == "lång"
    assert settings.for_control("K3", "handkassa").date_style == "iso"
    default = ReportSettings().for_control("K1", None)
    assert default.date_style == "kompakt"
    assert default.verdict_phrase.startswith("Verksamhetens bedömning är att kontrollpunkten")


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("kompakt", "240101–240630"),
        ("lång", "1 januari 2024 till 30 juni 2024"),
        ("iso", "2024-01-01–2024-06-30"),
    ],
)
def test_date_styles(style: str, expected: str) -> None:
    assert span_text(date(2024, 1, 1), date(2024, 6, 30), style) == expected  # type: ignore[arg-type]


def test_period_change_in_the_annual_reports_words() -> None:
    reason = "för att möjliggöra en kontroll innan årsskiftet"
    halves = [
        Period(start=date(2024, 1, 1), end=date(2024, 6, 30)),
        Period(start=date(2024, 7, 1), end=date(2024, 11, 30)),
    ]
    end_moved = Period(start=date(2024, 1, 1), end=date(2024, 11, 30))
    assert period_change(YEAR, end_moved, halves, reason, "kompakt") == (
        "Slutdatumet för den andra granskningsperioden har ändrats från den 31 december till "
        "den 30 november för att möjliggöra en kontroll innan årsskiftet."
    )
    assert period_change(YEAR, end_moved, [], reason, "iso") == (
        "Slutdatumet för granskningsperioden har ändrats från 2024-12-31 till 2024-11-30 "
        "för att möjliggöra en kontroll innan årsskiftet."
    )
    both = Period(start=date(2023, 12, 1), end=date(2024, 11, 30))
    assert period_change(YEAR, both, [], reason, "lång") == (
        "Granskningsperioden har ändrats från 1 januari 2024 till 31 december 2024, till att "
        "istället omfatta 1 december 2023 till 30 november 2024, för att möjliggöra en kontroll "
        "innan årsskiftet."
    )
    start_moved = Period(start=date(2023, 12, 1), end=date(2024, 12, 31))
    assert period_change(YEAR, start_moved, [], reason + ".", "lång") == (
        "Startdatumet för granskningsperioden har ändrats från den 1 januari 2024 till den "
        "1 december 2023 för att möjliggöra en kontroll innan årsskiftet."
    )
    assert period_change(YEAR, YEAR, [], reason, "lång") == ""
    assert period_change(YEAR, both, [], "", "lång") == ""


def test_sample_fractions_as_the_report_states_them() -> None:
    by_law = SampleSpec(
        method="stratified", stratify_by="law", fraction={"SoL": 0.15, "LSS": 0.25}, seed=1
    )
    assert sample_fractions(by_law, ()) == "15 procent SoL och 25 procent LSS"
    by_service = SampleSpec(
        method="stratified",
        stratify_by="service",
        fraction={"Särskilt boende": 0.1, "Daglig verksamhet": 0.25},
        seed=1,
    )
    assert (
        sample_fractions(by_service, ())
        == "10 procent särskilt boende och 25 procent daglig verksamhet"
    )
    assert sample_fractions(SampleSpec(fraction=0.2, seed=1), ()) == "20 procent av besluten"
    assert sample_fractions(SampleSpec(count=30, seed=1), ()) == "30 beslut"
    assert sample_fractions(SampleSpec(tolerable=0.05, seed=1), ()) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hemtjänst", "hemtjänst"),
        ("LSS", "LSS"),
        ("SoL-beslut", "SoL-beslut"),
        ("IVO-anmälan", "IVO-anmälan"),
        ("Solrosen handkassa", "Solrosen handkassa"),
        ("Handkassa Solrosen", "handkassa Solrosen"),
        ("Enhetschefer personlig assistans", "enhetschefer personlig assistans"),
    ],
)
def test_names_and_acronyms_keep_their_case(text: str, expected: str) -> None:
    assert lower_first(text, keep=["Solrosen"]) == expected


def test_numbers_hold_together_and_counts_agree() -> None:
    assert number(1402) == f"1{NBSP}402"
    assert count_word(1, "kontroll", "kontroller") == "1 kontroll"
    assert count_word(2, "risk", "risker") == "2 risker"
    assert count_word(1402, "timme", "timmar") == f"1{NBSP}402 timmar"


REPORT = """
[report]
date_style = "lång"
source_system = "verksamhetssystemet Combine"
period_reason = "för att hinna kontrollera före årsskiftet"

[report.controls.K1]
figures = "Granskningen visade att verkställighetstiden SoL är {SoL.mean_days:dagar}."
verdict_phrase = "Den samlade bedömningen är att kontrollen är genomförd {assessment}."
"""


def _run(plan_dir: Path, report: str, people: str = "") -> Path:
    plan = PLAN.replace(
        "year = 2024\n", "year = 2024\nperiod = { start = 2024-01-01, end = 2024-12-31 }\n"
    )
    plan = plan.replace(
        'dataset = "beslut"\n',
        'dataset = "beslut"\nmethod = "Statistik"\nowner = "Enhetschefer SoL"\n'
        "period = { start = 2024-01-01, end = 2024-11-30 }\n",
    )
    write(plan_dir / "plan.toml", plan + report)
    out = plan_dir / "resultat"
    result = CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    if people:
        (out / "bedomning.toml").write_text(people, encoding="utf-8")
    return out


def _cell(out: Path) -> tuple[str, str]:
    [row] = bilaga1_table(load_results(out)).rows
    return row[3], row[4]


def test_the_plans_wording_reaches_bilaga1(plan_dir: Path) -> None:
    label, text = _cell(_run(plan_dir, REPORT))
    assert label == "Försumbar anmärkning"  # LSS: B3 waited 60 days
    assert text.split("\n\n") == [
        "Risken har hanterats genom kontroll av verkställighetstid under perioden 1 januari "
        "2024 till 30 november 2024. Kontrollen baseras på statistik från verksamhetssystemet "
        "Combine. Granskningen genomfördes av enhetschefer SoL. Slutdatumet för "
        "granskningsperioden har ändrats från den 31 december till den 30 november för att "
        "hinna kontrollera före årsskiftet.",
        # B1 5 days, B2 10 days, B6 1 day: mean 5.33 → 5 dagar, from the export.
        "Granskningen visade att verkställighetstiden SoL är 5 dagar.",
        "Den samlade bedömningen är att kontrollen är genomförd med försumbar anmärkning.",
    ]


def test_a_figure_the_check_did_not_give_falls_back_with_a_warning(plan_dir: Path) -> None:
    out = _run(plan_dir, REPORT.replace("SoL.mean_days", "SFB.mean_days"))
    folder = load_results(out)
    [row] = bilaga1_table(folder).rows
    assert (
        "Granskningen visade att den genomsnittliga verkställighetstiden LSS redovisas inte "
        "eftersom den bygger på färre än 3 beslut" in row[4]
    )
    assert "60 dagar" not in row[4]
    assert folder.warnings == [
        "kontroll K1: mallen figures nämner 'SFB.mean_days', som kontrollen inte gav; "
        "kontrollens egen mening används"
    ]
    result = CliRunner().invoke(cli, ["report", str(out)])
    assert "varning: kontroll K1: mallen figures nämner 'SFB.mean_days'" in result.output


def test_a_persons_result_replaces_the_whole_text(plan_dir: Path) -> None:
    people = '[controls.K1]\nresult = "Egen text. Verksamhetens bedömning är att allt är bra."\n'
    _, text = _cell(_run(plan_dir, REPORT, people))
    assert text == "Egen text. Verksamhetens bedömning är att allt är bra."
    assert text.count("bedömning") == 1


def test_a_persons_label_verdict_and_preface(plan_dir: Path) -> None:
    people = """[controls.K1]
assessment = "forsumbar_anmarkning"
assessment_label = "utan anmärkning/försumbar anmärkning"
preface = "Perioden ändrades efter datamigreringen."
analysis = "Tiderna är korta."
"""
    out = _run(plan_dir, REPORT, people)
    table = bilaga1_table(load_results(out))
    [row] = table.rows
    assert row[3] == "Utan anmärkning/försumbar anmärkning"
    assert table.marks == ["forsumbar_anmarkning"]  # the key colours, the label reads
    paragraphs = row[4].split("\n\n")
    assert paragraphs[0] == "Perioden ändrades efter datamigreringen."
    assert paragraphs[-2:] == [
        "Tiderna är korta.",
        "Den samlade bedömningen är att kontrollen är genomförd utan anmärkning/försumbar "
        "anmärkning.",
    ]
    with_verdict = people + 'verdict = "Verksamhetens bedömning är att tiderna är godtagbara."\n'
    (out / "bedomning.toml").write_text(with_verdict, encoding="utf-8")
    [row] = bilaga1_table(load_results(out)).rows
    assert row[4].endswith(
        "Tiderna är korta.\n\nVerksamhetens bedömning är att tiderna är godtagbara."
    )
    assert "samlade bedömningen" not in row[4]


def _problems(plan_dir: Path, report: str) -> list[str]:
    text = PLAN + report
    path = write(plan_dir / "plan.toml", text)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    return [f"{p.line}: {p.where}: {p.message}" for p in caught.value.problems]


def test_every_report_key_is_checked_with_its_line(plan_dir: Path) -> None:
    report = """
[report]
date_styel = "lång"
sample_statement = "alla"

[report.controls.K9]
opening = "Kontroll av {titel}."

[report.checks.utredningstd]
verdict_phrase = "Bedömningen är {bedomning}."
"""
    lines = {n: line for n, line in enumerate((PLAN + report).splitlines(), 1)}
    found = _problems(plan_dir, report)
    by_text = {message.split(": ", 2)[2]: int(message.split(":")[0]) for message in found}
    expected = {
        "okänd nyckel 'date_styel' (menade du 'date_style'?)": "date_styel",
        "sample_statement har ett otillåtet värde; väntade 'fractions', 'statistical' eller "
        "'none'": "sample_statement",
        "controls.K9.opening: okänt fält {titel} i mallen; kända fält: {title}": "opening",
        "checks.utredningstd.verdict_phrase: okänt fält {bedomning} i mallen; kända fält: "
        "{assessment}": "verdict_phrase",
    }
    for message, key in expected.items():
        match = next((m for m in by_text if m.startswith(message)), None)
        assert match is not None, (message, found)
        assert key in lines[by_text[match]], (message, by_text[match])


def test_report_refers_only_to_what_the_plan_has(plan_dir: Path) -> None:
    report = """
[report.controls.K9]
date_style = "iso"

[report.checks.utredningstd]
date_style = "iso"

[report.controls.K1]
period_reason = "för att hinna före årsskiftet"
opening = "Kontroll av {title}."
"""
    found = _problems(plan_dir, report)
    assert any("[report]: kontrollen 'K9' finns inte" in p for p in found), found
    assert any(
        "kontrolltypen 'utredningstd' finns inte (menade du 'utredningstid'?)" in p for p in found
    )
    assert any(
        "period_reason är angivet men inledningen saknar {period_change}" in p for p in found
    )


def test_the_plan_document_writes_periods_in_the_plans_date_style(plan_dir: Path) -> None:
    plan = PLAN.replace(
        "year = 2024\n", "year = 2024\nperiod = { start = 2024-01-01, end = 2024-12-31 }\n"
    )
    write(plan_dir / "plan.toml", plan + '\n[report]\ndate_style = "lång"\n')
    args = ["report", str(plan_dir / "plan.toml"), "--table", "plan", "--format", "md"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "period 1 januari 2024 till 31 december 2024" in result.output
    assert "240101–241231" not in result.output


def test_a_control_assessed_not_carried_out_does_not_say_it_was_reviewed(plan_dir: Path) -> None:
    people = '[controls.K1]\nassessment = "ej_genomford"\n'
    label, text = _cell(_run(plan_dir, REPORT, people))
    assert label == "Ej genomförd"
    assert "Granskningen genomfördes" not in text
    assert "Risken har hanterats" not in text
    assert text.startswith("Risken skulle ha hanterats genom kontroll av verkställighetstid")
    assert text.endswith("Kontrollpunkten har inte genomförts.")


def test_report_names_an_assessment_for_a_control_not_in_the_plan(plan_dir: Path) -> None:
    people = '[controls.k1]\nassessment = "med_anmarkning"\n'
    out = _run(plan_dir, REPORT, people)
    expected = (
        f"{out / 'bedomning.toml'}: kontrollen 'k1' finns inte i planen (menade du 'K1'?); "
        "det som står där visas inte i rapporten"
    )
    assert load_results(out).warnings == [expected]
    result = CliRunner().invoke(cli, ["report", str(out)])
    assert result.exit_code == 0
    assert result.output.count(f"varning: {expected}") == 1
    plan = plan_dir / "plan.toml"
    again = CliRunner().invoke(cli, ["run", str(plan), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert again.output.count(f"varning: {expected}") == 1
