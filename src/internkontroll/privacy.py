"""Keep personnummer out of everything the program writes or prints.

Exports hold personnummer and samordningsnummer; a value echoed in an error message, or a case
reference that happens to be one, must not reach a file or a terminal. ``redact`` is applied to
every text a user reads that could carry an export's values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from internkontroll.spill import chunks_of

if TYPE_CHECKING:
    from internkontroll.outcome import Outcome, ReportTable

# Digits as people and systems write them, ASCII or full-width (U+FF10-U+FF19). Between the
# digit groups people put a space of any width (or an invisible one), a dash of any kind, a
# slash, a dot, an underscore or a plus, alone or with a space on either side ("121212 – 1212"),
# or nothing. Where they may stand follows how a date is written, so that amounts ("1 234 567"),
# phone numbers ("070-123 45 67") and ISO dates keep out of the net: after the date (YYMMDD or
# YYYYMMDD, written whole or as "1912-12-12", "12 12 12", "19 12 12 12"), and once in the last
# four as a space ("12 12").
_DIGIT = r"[0-9\uff10-\uff19]"
_SPACES = (
    " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad"
)
_MARKS = (
    "-+/._\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\u2044\u2215\u2024\u2027"
    "\u00b7\u2e3a\u2e3b\ufe58\ufe62\ufe63\uff0b\uff0d\uff0e\uff0f\uff3f"
)
_SEPARATORS = _SPACES + _MARKS
_SPACE = "[" + "".join(re.escape(char) for char in _SPACES) + "]"
_MARK = "[" + "".join(re.escape(char) for char in _MARKS) + "]"
_SEPARATOR = rf"(?:{_SPACE}{_MARK}{{0,2}}{_SPACE}?|{_MARK}{{1,2}}{_SPACE}?)"
_PAIR = rf"{_DIGIT}{{2}}"
_LAST_FOUR = rf"{_PAIR}{_SPACE}?{_PAIR}(?!{_DIGIT})"
_WHOLE_DATE = rf"(?:{_PAIR})?{_DIGIT}{{6}}{_SEPARATOR}?{_LAST_FOUR}"
_SPLIT_DATE = (
    rf"(?:{_PAIR}{_SEPARATOR}?)?{_PAIR}{_SEPARATOR}{_PAIR}{_SEPARATOR}{_PAIR}{_SEPARATOR}?"
    rf"{_LAST_FOUR}(?!{_SEPARATOR}{_PAIR}{_SEPARATOR}{_PAIR}(?!{_DIGIT}))"
)
"""A date written "2024-01-10" whose last four are followed by "-02-10" is the start of a date
range ("2024-01-10–2024-02-10"), not a personnummer."""
PERSONNUMMER = re.compile(rf"(?<!{_DIGIT})(?<!{_DIGIT}T)(?:{_WHOLE_DATE}|{_SPLIT_DATE})")
"""Digits just after a date's "T" are a time of day ("2026-11-29T071552_0000", the name of a
folder in historik/), not a personnummer: with an underscore as a separator, one such name in a
hundred would otherwise read as one and stop the run."""
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
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month] and _luhn_ok(digits)


_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""February has 29: a ten-digit number does not say its century."""


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


# The fast search. The regular expression above walks every character of a text in Python's
# regex engine; a million findings are tens of megabytes. So a long text is first classified
# byte by byte in C (its UTF-8: an ASCII digit is "1", a byte of any separator "0", anything else
# "2"), and only lines where the classes show a possible personnummer (five or six pairs of
# digits with at most a few separator bytes between pairs) or that hold full-width forms (U+FF..)
# are searched with the regular expression. A match never spans a line break (it is no digit,
# separator or hex character), so searching those lines finds exactly what searching the whole
# text finds.
_SEPARATOR_BYTES = frozenset(_SEPARATORS.encode("utf-8"))
_CLASSES = bytes(
    ord("1") if byte in b"0123456789" else ord("0") if byte in _SEPARATOR_BYTES else ord("2")
    for byte in range(256)
)
_POSSIBLE = (
    re.compile(b"1111110{0,12}+110{0,3}+11"),
    re.compile(b"0110{1,12}+110{0,12}+110{0,3}+11"),
)
"""In the classes, every way ``PERSONNUMMER`` lets a number be written: six digits in a row (the
date written whole), or a separator and a pair (the month of a date written "12-12-12"), then
pairs with at most twelve separator bytes (four characters) between them, ten digits in all.
Two searches, each led by a literal the regex engine finds quickly, not one alternation."""
_FULL_WIDTH_FORMS = "\uff00".encode()[:2]  # the lead bytes of U+FF00-U+FF3F: digits, + and -
_SHORT = 2000
"""Below this many characters the regular expression is as quick as the classification."""


def scan(text: str) -> bool:
    """``contains_personnummer(text)``, quick for a long text: a written chunk is searched once,
    as a whole, not cell by cell."""
    if len(text) < _SHORT:
        return contains_personnummer(text)
    raw = text.encode("utf-8", "surrogatepass")
    classes = raw.translate(_CLASSES)
    finders: list[Callable[[int], int]] = [
        *(_regex_finder(pattern, classes) for pattern in _POSSIBLE),
        partial(raw.find, _FULL_WIDTH_FORMS),
    ]
    # Each finder's next hit, searched again only once the lines before it are done: a finder
    # that has none left is not asked again for every line another one finds.
    hits = [find(0) for find in finders]
    while any(hit >= 0 for hit in hits):
        at = min(hit for hit in hits if hit >= 0)
        line_start = raw.rfind(b"\n", 0, at) + 1
        line_end = raw.find(b"\n", at)
        if line_end < 0:
            line_end = len(raw)
        if contains_personnummer(raw[line_start:line_end].decode("utf-8", "surrogatepass")):
            return True
        hits = [
            find(line_end + 1) if 0 <= hit <= line_end else hit
            for find, hit in zip(finders, hits, strict=True)
        ]
    return False


def _regex_finder(pattern: re.Pattern[bytes], classes: bytes) -> Callable[[int], int]:
    def find(start: int) -> int:
        found = pattern.search(classes, start)
        return -1 if found is None else found.start()

    return find


class LeakScanner:
    """``scan`` over a text written in pieces. Each piece's last, unfinished line is held back
    and searched with the next piece, so a personnummer split between two pieces is still found
    and nothing is let out before it has been searched whole."""

    def __init__(self, where: str) -> None:
        self.where = where
        self._unfinished = ""

    def feed(self, piece: str) -> str:
        """The finished lines so far, searched and safe to write; ``PersonnummerLeak`` naming
        ``where`` if they hold a personnummer."""
        text = self._unfinished + piece
        cut = text.rfind("\n") + 1
        finished, self._unfinished = text[:cut], text[cut:]
        if scan(finished):
            raise PersonnummerLeak(self.where)
        return finished

    def close(self) -> str:
        """The last line, now that the text has ended, searched and safe to write."""
        rest, self._unfinished = self._unfinished, ""
        if scan(rest):
            raise PersonnummerLeak(self.where)
        return rest


def guard(text: str, where: str) -> str:
    """``text`` unchanged, or ``PersonnummerLeak`` naming ``where`` if it holds a personnummer."""
    if scan(text):
        raise PersonnummerLeak(where)
    return text


def _places(outcome: Outcome) -> Iterator[tuple[str, str]]:
    """The outcome's single texts that reach the results folder, with where they are: the
    metric names (thousands, for a handkassa per unit) searched as one text first."""
    yield "resultattexten", outcome.result_text
    if scan("\n".join(outcome.metrics)):
        for name in outcome.metrics:
            yield f"måttet {name!r}", name


def _table_leak(name: str, table: ReportTable) -> str | None:
    """Where in a table's cells a personnummer is, or None: each chunk of the file's lines is
    searched once (``ReportTable.lines``), and only a chunk with a hit cell by cell, to name
    the column."""
    lines = table.lines()
    if all(lines.clean):
        return None
    for chunk, clean in zip(chunks_of(table.rows), lines.clean, strict=True):
        if clean:
            continue
        for row in chunk:
            for column, cell in zip(table.columns, row, strict=False):
                if contains_personnummer(str(cell)):
                    return f"underlaget {name}, kolumnen {column}"
    return None


def leak_in(outcome: Outcome) -> str | None:
    """Where in an outcome a personnummer would reach the results folder, or None: the first
    place in the order the result sentence, the metric names, the findings (each finding's
    reference, then its description), the tables and the sample's strata."""
    for place, text in _places(outcome):
        if contains_personnummer(text):
            return place
    found = outcome.findings.leak()
    if found is not None:
        row, field = found
        place = f"avvikelsen på rad {row}" if row else "en avvikelse"
        return f"{place}, fältet {field}"
    for name, table in outcome.tables.items():
        where = _table_leak(name, table)
        if where is not None:
            return where
    if outcome.sample is not None and contains_personnummer("\n".join(outcome.sample.strata)):
        return "urvalets strata"
    return None
