"""Times of day are not personnummer: the folder names in historik/ and the timestamps in
resultat.json hold "HHMMSS" after a date's "T", and with an underscore as a separator about one
name in a hundred ("2026-11-29T071212_0000") looked like "071212_0000" and stopped the run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from internkontroll.privacy import contains_personnummer, redact
from internkontroll.results import _history_name


def test_no_history_name_of_a_day_reads_as_a_personnummer(tmp_path: Path) -> None:
    start = datetime(2026, 11, 29, tzinfo=UTC)
    flagged = []
    for second in range(24 * 60 * 60):
        stamp = (start + timedelta(seconds=second)).isoformat()
        name = _history_name({"generated_at": stamp}, tmp_path)
        if contains_personnummer(f"historik/{name}/resultat.json") or contains_personnummer(stamp):
            flagged.append(name)
    assert flagged == []


def test_a_history_name_from_the_files_time_has_no_fraction_of_a_second(tmp_path: Path) -> None:
    (tmp_path / "resultat.json").write_text("{}", encoding="utf-8")
    name = _history_name(None, tmp_path)
    assert "." not in name
    assert name.endswith("_0000")


def test_a_personnummer_beside_a_letter_is_still_found() -> None:
    """Only a date's "T" right before the digits makes them a time: other letters, and a "T"
    after a space, still leave a personnummer a personnummer."""
    for text in ("Brukare121212_1212", "T 121212-1212", "pnr121212-1212", "AT19121212-1212"):
        assert contains_personnummer(text), text
        assert "1212" not in redact(text).replace("[personnummer]", ""), text
