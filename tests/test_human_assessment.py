"""bedomning.toml is validated like the plan: every key a person writes is understood or refused."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll import human_assessment
from internkontroll.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def results(plan_dir: Path) -> Path:
    """A results folder from one run of the test plan (control K1)."""
    out = plan_dir / "resultat"
    code, _, err = run("run", str(plan_dir / "plan.toml"), "--out", str(out))
    assert code == 0, err
    return out


def problems_in(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / human_assessment.FILENAME
    with pytest.raises(human_assessment.HumanAssessmentError) as caught:
        human_assessment.check_text(path, text)
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


def test_the_skeleton_is_valid_and_has_every_key_of_the_model(tmp_path: Path) -> None:
    assert human_assessment.ensure_sections(tmp_path, [("K1", "Verkställighetstid")]) == ["K1"]
    text = (tmp_path / human_assessment.FILENAME).read_text(encoding="utf-8")
    entries = human_assessment.check_text(tmp_path / human_assessment.FILENAME, text)
    # [[controls.K1.action]] tables are only named in the header: an empty "action = []" in
    # the skeleton would make the person's first [[controls.K1.action]] a TOML error.
    assert set(entries["K1"]) == set(human_assessment.ControlEntry.model_fields) - {"action"}


def test_unknown_assessment_is_refused_with_its_line(tmp_path: Path) -> None:
    text = '[controls.K1]\ntitle = "T"\nassessment = "godkänd"\n'
    [problem] = problems_in(text, tmp_path)
    assert problem.startswith("3: kontroll K1: assessment: okänd bedömning 'godkänd'; väntade ")
    assert "utan_anmarkning, forsumbar_anmarkning, med_anmarkning, ej_genomford" in problem


@pytest.mark.parametrize("written", ["med_anmarkning", "Med anmärkning", "  UTAN ANMÄRKNING ", ""])
def test_known_assessments_in_key_or_words_are_accepted(written: str, tmp_path: Path) -> None:
    text = f'[controls.K1]\nassessment = "{written}"\n'
    assert human_assessment.check_text(tmp_path / "b.toml", text)["K1"]["assessment"] == written


def test_misspelled_key_gets_a_suggestion(tmp_path: Path) -> None:
    text = '[controls.K1]\ntitle = "T"\n\nasessment = "med_anmarkning"\n'
    assert problems_in(text, tmp_path) == [
        "4: kontroll K1: okänd nyckel 'asessment' (menade du 'assessment'?)"
    ]


def test_control_written_at_top_level_is_pointed_to_controls(tmp_path: Path) -> None:
    text = '[K1]\nassessment = "med_anmarkning"\n'
    assert problems_in(text, tmp_path) == [
        "1: okänd nyckel 'K1' (menade du [controls.K1]?); filen har bara [controls.ID]"
    ]


def test_wrong_shapes_are_refused(tmp_path: Path) -> None:
    assert problems_in('[[controls]]\nid = "K1"\n', tmp_path) == [
        "1: controls ska vara en tabell per kontroll: [controls.K1]"
    ]
    assert problems_in('[controls]\nK1 = "med_anmarkning"\n', tmp_path) == [
        "2: kontroll K1: ska vara en tabell [controls.K1] med nycklarna "
        "title, assessment, assessment_label, preface, result, motivation, analysis, verdict, "
        "actions, action"
    ]
    assert problems_in("[controls.K1]\nmotivation = 3\n", tmp_path) == [
        "2: kontroll K1: motivation ska vara text inom citattecken"
    ]


def test_every_problem_is_reported_in_one_pass(tmp_path: Path) -> None:
    text = (
        '[controls.K1]\nassessment = "bra"\n\n[controls.K2]\nresultat = "x"\n'
        '\n[controls.K3]\nanalysis = ["a"]\n'
    )
    assert [p.split(":")[0] for p in problems_in(text, tmp_path)] == ["2", "5", "8"]


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    [problem] = problems_in('[controls.K1]\nmotivation = "halv\n', tmp_path)
    assert problem.startswith("2: TOML-syntaxfel")


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    (tmp_path / human_assessment.FILENAME).write_bytes(
        '[controls.K1]\nresult = "å"\n'.encode("cp1252")
    )
    with pytest.raises(human_assessment.HumanAssessmentError, match="filen är inte UTF-8"):
        human_assessment.read(tmp_path)


def test_inline_controls_are_not_extended_and_the_file_stays_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / human_assessment.FILENAME
    written = 'controls = { K1 = { assessment = "med_anmarkning" } }\n'
    path.write_text(written, encoding="utf-8")
    with pytest.raises(human_assessment.HumanAssessmentError) as caught:
        human_assessment.ensure_sections(tmp_path, [("K1", "Ett"), ("K2", "Två")])
    assert "avsnitt för K2 kan inte läggas till" in str(caught.value)
    assert "[controls.K1]" in str(caught.value)
    assert path.read_text(encoding="utf-8") == written
    assert human_assessment.read(tmp_path) == {"K1": {"assessment": "med_anmarkning"}}


def test_sections_are_added_after_the_persons_text_with_bom_kept(tmp_path: Path) -> None:
    path = tmp_path / human_assessment.FILENAME
    written = '\ufeff# mitt\n[controls.K1]\nmotivation = """Rad\när kvar."""  # egen'
    path.write_bytes(written.encode("utf-8"))
    assert human_assessment.ensure_sections(tmp_path, [("K1", "Ett"), ("K2", "Två")]) == ["K2"]
    after = path.read_bytes().decode("utf-8")
    assert after.startswith(written + "\n")
    assert set(tomllib.loads(after.removeprefix("\ufeff"))["controls"]) == {"K1", "K2"}


def test_run_refuses_before_writing_anything_when_bedomning_is_invalid(
    results: Path, plan_dir: Path
) -> None:
    people = results / human_assessment.FILENAME
    people.write_text('[controls.K1]\nasessment = "godkänd"\n', encoding="utf-8")
    before = {p: p.read_bytes() for p in results.rglob("*") if p.is_file()}
    code, printed, err = run("run", str(plan_dir / "plan.toml"), "--out", str(results))
    assert code == 1
    assert f"{people}:2: kontroll K1: okänd nyckel 'asessment' (menade du 'assessment'?)" in err
    assert err.strip().endswith(f"fel: 1 fel i {people}")
    assert printed == ""
    assert {p: p.read_bytes() for p in results.rglob("*") if p.is_file()} == before


def test_report_and_validate_name_file_and_line(results: Path) -> None:
    people = results / human_assessment.FILENAME
    text = people.read_text(encoding="utf-8").replace('assessment = ""', 'assessment = "godkänd"')
    people.write_text(text, encoding="utf-8")
    line = text.splitlines().index('assessment = "godkänd"') + 1
    expected = f"{people}:{line}: kontroll K1: assessment: okänd bedömning 'godkänd'"
    code, _, err = run("report", str(results))
    assert code == 1
    assert expected in err and "Traceback" not in err
    for target in (results, people):
        code, _, err = run("validate", str(target))
        assert code == 1
        assert expected in err
    code, _, err = run("summary", str(results))
    assert code == 1 and expected in err


def test_validate_accepts_a_good_file_and_warns_of_unknown_controls(results: Path) -> None:
    people = results / human_assessment.FILENAME
    with people.open("a", encoding="utf-8") as handle:
        handle.write('\n[controls.k1]\nassessment = "med_anmarkning"\n')
    code, out, err = run("validate", str(results))
    assert code == 0
    assert out.strip() == f"{people}: filen är giltig: 2 kontroller."
    assert f"varning: {people}: kontrollen 'k1' finns inte i planen (menade du 'K1'?)" in err


def test_a_persons_assessment_reaches_the_report(results: Path) -> None:
    people = results / human_assessment.FILENAME
    text = people.read_text(encoding="utf-8").replace(
        'assessment = ""', 'assessment = "Med anmärkning"'
    )
    people.write_text(text, encoding="utf-8")
    code, out, _ = run("report", str(results), "--format", "csv")
    assert code == 0
    assert "Med anmärkning" in out


def test_a_personnummer_a_person_wrote_is_refused_at_its_line(tmp_path: Path) -> None:
    """Hand-written text reaches Bilaga 1 and the register: a personnummer in it is named by
    file and line (never shown), where the report would only have named a table cell."""
    text = (
        '[controls.K1]\ntitle = "T"\nmotivation = "Se ärendet för 19121212-1212."\n'
        '[[controls.K1.action]]\naction = "Följ upp 191212121212"\n'
        'owner = "Enhetschef"\n'
    )
    found = problems_in(text, tmp_path)
    assert found == [
        "3: kontroll K1: motivation innehåller ett personnummer; skriv ärendets id i stället "
        "(texten når rapporten och registret)",
        "5: kontroll K1: action.0.action innehåller ett personnummer; skriv ärendets id i "
        "stället (texten når rapporten och registret)",
    ]
    assert "1212" not in " ".join(found)
