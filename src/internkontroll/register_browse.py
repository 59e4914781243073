"""Browsing the register with Datasette: Swedish titles, facets, canned queries and colours.

Datasette is an optional extra (``pip install 'internkontroll[browse]'``); it is imported only
here. The server listens on 127.0.0.1 only: the register holds a whole organisation's findings.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from internkontroll.assessment import Assessment

PLUGINS_DIR = Path(__file__).parent / "datasette_plugins"

QUERIES: dict[str, dict[str, str]] = {
    "med_anmarkning": {
        "title": "Kontroller med anmärkning per nämnd och år",
        "sql": "SELECT * FROM kontroller_med_anmarkning",
    },
    "risker_som_stigit": {
        "title": "Risker vars riskvärde har stigit sedan året före",
        "sql": "SELECT * FROM risker_som_stigit",
    },
    "oppna_atgarder": {
        "title": "Öppna och försenade åtgärder per resultatens datum",
        "sql": "SELECT * FROM atgarder_oppna",
    },
    "matt_over_aren": {
        "title": "Ett mått över åren för en kontroll",
        "sql": "SELECT organisation, år, värde, beskrivning, enhet FROM matt_over_aren "
        "WHERE kontroll = :kontroll AND mått = :matt ORDER BY organisation, år",
    },
}

TABLES: dict[str, dict[str, Any]] = {
    "plans": {"title": "Planer", "description": "En rad per nämnd och år.",
              "facets": ["organisation", "year"]},
    "risks": {"title": "Risker", "description": "Riskanalysen per år: sannolikhet × konsekvens.",
              "facets": ["organisation", "year", "level", "handling"]},
    "controls": {"title": "Kontroller", "description": "Kontrollmomenten per år.",
                 "facets": ["organisation", "year", "check"]},
    "results": {"title": "Resultat", "description": "Bedömning och resultattext per kontroll.",
                "facets": ["organisation", "year", "assessment"]},
    "metrics": {"title": "Mått", "description": "Kontrollernas siffror med etikett och enhet.",
                "facets": ["organisation", "year", "control"]},
    "findings": {"title": "Avvikelser", "description": "Per ärende-id och rad.",
                 "facets": ["organisation", "year", "kind"]},
    "actions": {"title": "Åtgärder", "description": "Åtgärdsplanen med senaste återrapportering.",
                "facets": ["organisation", "year", "status"]},
    "action_log": {"title": "Återrapporteringar", "description": "Åtgärdernas logg."},
    "inputs": {"title": "Indata", "description": "Exporterna som kördes, med sha256 och radantal."},
}  # fmt: skip

COLUMNS = {
    "organisation": "Nämnd eller annan organisation",
    "year": "Planens år",
    "assessment": "Bedömning som i rapporten: personens om en sådan finns, annars den beräknade; "
    "ej_bedomd för en kontroll som väntar på en person",
    "computed_assessment": "Den beräknade bedömningen",
    "human_assessment": "Bedömningen en person skrev i bedomning.toml",
    "score": "Riskvärde = sannolikhet × konsekvens",
}


def metadata(db_path: Path) -> dict[str, Any]:
    """Datasette's metadata for the register: titles, descriptions, facets, canned queries."""
    with sqlite3.connect(db_path) as connection:
        present = {
            name: {row[1] for row in connection.execute(f"PRAGMA table_info({name})")}
            for name in TABLES
        }
    tables = {
        name: {**table, "columns": {k: v for k, v in COLUMNS.items() if k in present[name]}}
        for name, table in TABLES.items()
    }
    return {
        "title": "Internkontroll – registret",
        "description": "Alla nämnders och års internkontroll: risker, kontroller, bedömningar, "
        "åtgärder.",
        "databases": {db_path.stem: {"tables": tables, "queries": QUERIES}},
    }


COLOURS = {
    Assessment.UTAN_ANMARKNING.value: "#c6efce",
    Assessment.FORSUMBAR_ANMARKNING.value: "#ffeb9c",
    Assessment.MED_ANMARKNING.value: "#ffc7ce",
    Assessment.EJ_GENOMFORD.value: "#d9d9d9",
    "ej_bedomd": "#eeeeee",
}


def serve(db_path: Path, port: int) -> None:
    """Run ``datasette serve`` on 127.0.0.1 until the user stops it."""
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path} finns inte; skapa registret med internkontroll publish")
    try:
        import datasette  # noqa: F401
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "Datasette saknas; installera med pip install 'internkontroll[browse]'"
        ) from None
    with tempfile.TemporaryDirectory() as folder:
        meta = Path(folder) / "metadata.json"
        meta.write_text(json.dumps(metadata(db_path), ensure_ascii=False), encoding="utf-8")
        command = [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata",
                   str(meta), "--plugins-dir", str(PLUGINS_DIR), "--host", "127.0.0.1",
                   "--port", str(port)]  # fmt: skip
        subprocess.run(command, check=False)
