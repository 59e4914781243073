"""The results folder: exact keys, findings as CSV, and reruns that lose nothing."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan
from internkontroll.report import bilaga1_table, load_results
from internkontroll.results import write_results

CONTROL_KEYS = [
    "id",
    "risk",
    "check",
    "assessment",
    "reason",
    "detail",
    "metrics",
    "result_text",
    "sample_text",
    "population",
    "sample",
    "inputs",
    "metric_labels",
    "status",
    "awaiting_assessment",
]


def run_into(plan_dir: Path, out: Path) -> dict:  # type: ignore[type-arg]
    plan, host = load_plan(plan_dir / "plan.toml")
    write_results(plan, run_plan(plan, host), out)
    return json.loads((out / "resultat.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_resultat_json_has_exactly_the_design_keys(plan_dir: Path, tmp_path: Path) -> None:
    document = run_into(plan_dir, tmp_path / "ut")
    assert list(document) == ["plan", "tool", "generated_at", "as_of", "controls", "manifest"]
    assert document["as_of"] == "2024-12-31"  # no period in the plan: the end of its year
    plan = document["plan"]
    assert {k: plan[k] for k in ("title", "organisation", "year")} == {
        "title": "Internkontrollplan 2024",
        "organisation": "Testnämnden",
        "year": 2024,
    }
    # Evidence: which plan, byte for byte, and which tool and check versions.
    raw = (plan_dir / "plan.toml").read_bytes()
    assert plan["sha256"] == hashlib.sha256(raw).hexdigest()
    assert plan["path"] == str((plan_dir / "plan.toml").resolve())
    assert document["tool"]["plugins"] == {"verkstallighetstid": "0.2.0"}
    [control] = document["controls"]
    assert list(control) == CONTROL_KEYS
    [source] = control["inputs"]
    assert list(source) == ["dataset", "path", "sha256", "rows"]
    assert source["rows"] == 6 and len(source["sha256"]) == 64


def test_findings_csv_opens_in_swedish_excel(plan_dir: Path, tmp_path: Path) -> None:
    export = plan_dir / "beslut.csv"
    export.write_text(export.read_text() + "B9;19121212-1212;SoL;2024-02-30;\n", encoding="utf-8")
    run_into(plan_dir, tmp_path / "ut")
    raw = (tmp_path / "ut" / "avvikelser" / "K1.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "kontroll;referens;rad;typ;beskrivning;belopp"
    assert any(line.startswith("K1;B9;8;datakvalitet;") for line in lines[1:])


def test_rerun_keeps_peoples_text_and_earlier_results(plan_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    first = run_into(plan_dir, out)
    skeleton = (out / "bedomning.toml").read_text(encoding="utf-8")
    assert tomllib.loads(skeleton)["controls"]["K1"]["motivation"] == ""
    written = skeleton.replace(
        'motivation = ""', 'motivation = """Väntetiden för LSS\när godtagbar."""  # egen kommentar'
    ).replace('assessment = ""', 'assessment = "utan_anmarkning"')
    (out / "bedomning.toml").write_text(written, encoding="utf-8")

    second = run_into(plan_dir, out)
    assert (out / "bedomning.toml").read_text(encoding="utf-8") == written
    [archived] = list((out / "historik").iterdir())
    kept = json.loads((archived / "resultat.json").read_text(encoding="utf-8"))
    assert kept["generated_at"] == first["generated_at"]
    assert kept["controls"] == second["controls"]
    [row] = bilaga1_table(load_results(out)).rows
    assert row[3] == "Utan anmärkning"
    assert "Väntetiden för LSS\när godtagbar." in row[4]


def test_new_control_is_appended_to_bedomning(plan_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    run_into(plan_dir, out)
    before = (out / "bedomning.toml").read_text(encoding="utf-8")
    plan_text = (plan_dir / "plan.toml").read_text(encoding="utf-8")
    control = plan_text[plan_text.index("[[control]]") :]
    (plan_dir / "plan.toml").write_text(plan_text + control.replace('"K1"', '"K2"'))
    run_into(plan_dir, out)
    after = (out / "bedomning.toml").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert set(tomllib.loads(after)["controls"]) == {"K1", "K2"}


def test_broken_bedomning_is_left_alone(plan_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    run_into(plan_dir, out)
    (out / "bedomning.toml").write_text("[controls.K1\nmotivation = 'halv", encoding="utf-8")
    plan, host = load_plan(plan_dir / "plan.toml")
    warnings = write_results(plan, run_plan(plan, host), out)
    assert "bedomning.toml:1: TOML-syntaxfel" in warnings[0]
    assert "lämnas orörd" in warnings[0]
    assert (out / "bedomning.toml").read_text() == "[controls.K1\nmotivation = 'halv"
