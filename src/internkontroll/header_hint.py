"""Why a mapped column is not in an export's header row, as far as the header itself tells.

A column that "does not exist" is most often a wrong ``encoding`` (the header reads
"VerkstÃ¤llighetsdatum" or holds U+FFFD) or a wrong ``delimiter`` (the whole header is one
column): the message lists the headers that were found and says which setting to look at.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from internkontroll.privacy import excerpt
from internkontroll.readers import DELIMITERS, sniff_delimiter

SHOWN = 12
"""Headers listed at most; a wide export's header row would otherwise fill the screen."""

# UTF-8 read as Windows-1252 ("Ã¤" for ä, "Ã¥" for å, "Ã¶" for ö, "Ã„" for Ä ...).
_MOJIBAKE = ("Ã", "Â")


def _names(column: str) -> str:
    return repr(excerpt(column, 40))


def _listed(header: Sequence[str]) -> str:
    shown = ", ".join(_names(cell) for cell in header[:SHOWN])
    more = f" och {len(header) - SHOWN} till" if len(header) > SHOWN else ""
    count = "1 kolumn" if len(header) == 1 else f"{len(header)} kolumner"
    return f"rubrikraden har {count}: {shown}{more}"


def garbled(header: Sequence[str]) -> bool:
    """Headers read in the wrong encoding: replacement characters or UTF-8 read as 1252."""
    text = "".join(header)
    return "\ufffd" in text or any(sign in text for sign in _MOJIBAKE)


def _setting(
    header: Sequence[str], dataset: str, encoding: str | None, delimiter: str | None
) -> str:
    """Which of encoding and delimiter the header points at, or both in a general word."""
    table = f"[datasets.{dataset}]"
    if header and header[0].strip().casefold().startswith("sep="):
        return (
            "första raden börjar med 'sep=' (Excels rad som anger avgränsaren) och är inte "
            "rubrikraden; ta bort den raden ur filen, så att rubrikerna står först"
        )
    if garbled(header):
        fix = (
            f"planen anger encoding = {encoding!r} under {table}: ta bort den (då läses "
            "UTF-8 och Windows-1252) eller ange rätt teckenkodning"
            if encoding
            else f'ange teckenkodningen med encoding under {table}, t.ex. encoding = "cp1252"'
        )
        return f"tecknen i rubrikerna ser fel ut; {fix}"
    if len(header) == 1 and any(d in header[0] for d in DELIMITERS):
        found = sniff_delimiter(header[0])
        given = f"planen anger delimiter = {delimiter!r}, men " if delimiter else ""
        return (
            f"hela rubrikraden blev en kolumn: {given}rubrikerna verkar skilda av "
            f"{found!r}; kontrollera avgränsaren (delimiter under {table})"
        )
    return (
        f"kontrollera stavningen under [datasets.{dataset}.columns], och encoding och "
        f"delimiter under {table} om rubrikerna ovan ser fel ut"
    )


def absent_columns(
    absent: Sequence[str],
    header: Sequence[str],
    file: str,
    dataset: str,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> str:
    """One message for the mapped columns ``absent`` from ``header``: what was found and what
    to check; a column spelled almost like a header gets a suggestion."""
    close = {
        column: match[0]
        for column in absent
        if not garbled(header)  # a garbled header is no spelling to suggest
        and (match := difflib.get_close_matches(column, list(header), n=1, cutoff=0.75))
    }
    suggested = ""
    if len(absent) == 1 and close:
        suggested = f" (menade du {_names(close[absent[0]])}?)"
    elif close:
        pairs = ", ".join(f"{_names(match)} för {_names(c)}" for c, match in close.items())
        suggested = f" (menade du {pairs}?)"
    what = "kolumnen" if len(absent) == 1 else "kolumnerna"
    return (
        f"{what} {', '.join(_names(column) for column in absent)} finns inte i rubrikraden i "
        f"{file}{suggested}; {_listed(header)}; "
        f"{_setting(header, dataset, encoding, delimiter)}"
    )
