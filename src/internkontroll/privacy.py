"""Keep personnummer out of everything the program writes or prints.

Exports hold personnummer and samordningsnummer; a value echoed in an error message, or a case
reference that happens to be one, must not reach a file or a terminal. ``redact`` is applied to
every text a user reads that could carry an export's values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from internkontroll.outcome import Outcome

# Digits as people and systems write them, ASCII or full-width (U+FF10-U+FF19); between the date
# and the last four any dash (hyphen, non-breaking hyphen, en and em dash, minus), plus or space
# may stand, or nothing.
_DIGIT = r"[0-9\uff10-\uff19]"
_SEPARATOR = r"[-+\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0b\uff0d \u00a0\u2009\u202f]"
PERSONNUMMER = re.compile(
    rf"(?<![0-9\uff10-\uff19])(?:{_DIGIT}{{8}}|{_DIGIT}{{6}}){_SEPARATOR}?{_DIGIT}{{4}}"
    r"(?![0-9\uff10-\uff19])"
)
MASK = "[personnummer]"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _digits(text: str) -> str:
    """The digits of a candidate, full-width ones as ASCII, separators dropped."""
    return "".join(c for c in text.translate(_FULL_WIDTH) if c in "0123456789")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_personnummer(text: str) -> bool:
    """A valid personnummer or samordningsnummer (day + 60), 10 or 12 digits, any separator."""
    stripped = text.strip()
    if not PERSONNUMMER.fullmatch(stripped):
        return False
    digits = _digits(stripped)
    if len(digits) == 12:
        if digits[:2] not in ("18", "19", "20"):
            return False
        digits = digits[2:]
    if len(digits) != 10:
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    if day > 60:
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31 and _luhn_ok(digits)


_HEX = frozenset("0123456789abcdefABCDEF")
HASH_LENGTH = 32
"""A run of this many hex characters with a letter in it is a checksum (sha256 is 64), never a
personnummer: without this, ten digits inside a file's sha256 could pass the Luhn check by chance
and fail a run at random."""


def _in_checksum(text: str, match: re.Match[str]) -> bool:
    start, end = match.start(), match.end()
    while start > 0 and text[start - 1] in _HEX:
        start -= 1
    while end < len(text) and text[end] in _HEX:
        end += 1
    run = text[start:end]
    return len(run) >= HASH_LENGTH and not run.isdigit()


def _is_match(text: str, match: re.Match[str]) -> bool:
    return is_personnummer(match.group(0)) and not _in_checksum(text, match)


def redact(text: str) -> str:
    """Replace every valid personnummer in ``text`` with a mask."""
    return PERSONNUMMER.sub(lambda m: MASK if _is_match(text, m) else m.group(0), text)


def excerpt(text: str, limit: int = 60) -> str:
    """At most ``limit`` characters of ``text`` for a message, masked first: cutting first could
    leave nine digits of a personnummer that the mask no longer recognises."""
    return redact(text)[:limit]


def sex_from_personnummer(text: str) -> str | None:
    """'K' or 'M' from the ninth digit (odd: man), or None when it is no personnummer."""
    if not is_personnummer(text):
        return None
    digits = _digits(text)[-4:]
    return "M" if int(digits[2]) % 2 else "K"


class PersonnummerLeak(Exception):
    """Something about to be written holds a personnummer; says where, never the number."""

    def __init__(self, where: str) -> None:
        self.where = where
        super().__init__(
            f"{where} skulle ha innehållit ett personnummer; inget skrevs. Kontrollera att "
            "ärende-id och grupperingsfält i planens kolumnmappning inte är personnummer."
        )


def contains_personnummer(text: str) -> bool:
    return any(_is_match(text, match) for match in PERSONNUMMER.finditer(text))


def guard(text: str, where: str) -> str:
    """``text`` unchanged, or ``PersonnummerLeak`` naming ``where`` if it holds a personnummer."""
    if contains_personnummer(text):
        raise PersonnummerLeak(where)
    return text


def _places(outcome: Outcome) -> Iterator[tuple[object, str]]:
    """Every text of an outcome that would reach the results folder, with a key to where it is;
    the words for where are made only for a hit, not for each of perhaps a million findings."""
    yield "resultattexten", outcome.result_text
    for name in outcome.metrics:
        yield f"måttet {name!r}", name
    for finding in outcome.findings:
        yield (finding.row, "referens"), finding.reference
        yield (finding.row, "beskrivning"), finding.description
    for name, table in outcome.tables.items():
        for row in table.rows:
            for column, cell in zip(table.columns, row, strict=False):
                yield f"underlaget {name}, kolumnen {column}", str(cell)
    if outcome.sample is not None:
        yield "urvalets strata", " ".join(outcome.sample.strata)


def leak_in(outcome: Outcome) -> str | None:
    """Where in an outcome a personnummer would reach the results folder, or None."""
    for where, text in _places(outcome):
        if contains_personnummer(text):
            if isinstance(where, tuple):
                row, field = where
                place = f"avvikelsen på rad {row}" if row else "en avvikelse"
                return f"{place}, fältet {field}"
            return str(where)
    return None
