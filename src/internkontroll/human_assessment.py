"""bedomning.toml: where people write their own assessment, motivation, analysis and actions.

The program writes a skeleton once and afterwards only appends sections for new controls, as
text at the end of the file. It never rewrites what is there, so comments and wording survive.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from internkontroll.assessment import Assessment, parse_assessment

FILENAME = "bedomning.toml"
PERSON_KEYS = ("assessment", "result", "motivation", "analysis", "actions")

HEADER = """\
# Bedömning per kontroll. Fyll i det som ska stå i rapporten; programmet skriver aldrig över det.
#   assessment: utan_anmarkning, forsumbar_anmarkning, med_anmarkning eller ej_genomford
#               (tomt = den beräknade bedömningen används)
#   result:     ersätter den beräknade resultattexten (tomt = den beräknade används)
#   motivation, analysis: läggs till efter resultattexten
#   actions:    åtgärder, visas i kolumnen Åtgärd
# Flerradig text skrivs mellan tre citattecken: \"\"\"...\"\"\"

"""


def _section(control_id: str, title: str) -> str:
    body: dict[str, Any] = {
        "controls": {control_id: {"title": title} | dict.fromkeys(PERSON_KEYS, "")}
    }
    return tomli_w.dumps(body)


def read(folder: Path) -> dict[str, dict[str, Any]]:
    """People's entries by control id; raises ``tomllib.TOMLDecodeError`` if the file is broken."""
    path = folder / FILENAME
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    controls = data.get("controls", {})
    return {k: v for k, v in controls.items() if isinstance(v, dict)}


def person_assessment(entry: dict[str, Any]) -> Assessment | None:
    value = entry.get("assessment")
    return parse_assessment(value) if isinstance(value, str) and value.strip() else None


def ensure_sections(folder: Path, controls: list[tuple[str, str]]) -> list[str]:
    """Create the file or append sections for controls it lacks; returns the ids added.

    A file that is not valid TOML is left untouched and ``tomllib.TOMLDecodeError`` is raised.
    """
    path = folder / FILENAME
    existing = read(folder) if path.is_file() else None
    missing = [(cid, title) for cid, title in controls if existing is None or cid not in existing]
    if not missing:
        return []
    text = "".join(_section(cid, title) + "\n" for cid, title in missing)
    if existing is None:
        path.write_text(HEADER + text, encoding="utf-8")
    else:
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    return [cid for cid, _ in missing]
