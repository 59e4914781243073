"""Text encodings an export may be read in, and how a UTF-16 export is recognised.

Exports are read line by line as bytes, split at the byte ``\\n``; the batch reader hands the
same bytes to pyarrow. That holds for UTF-8, Windows-1252 and every other encoding where ASCII
is ASCII, and for no UTF-16 or UTF-32 ("Unicode-text" in Excel): such an export is refused with
a message that says how to save it as UTF-8, in the plan (``encoding = "utf-16"``) and in the
file (its byte order mark or the NUL bytes between its letters).
"""

from __future__ import annotations

import codecs

SAVE_AS_UTF8 = (
    'spara exporten som "CSV UTF-8 (kommaavgränsad)" i Excel, eller välj UTF-8 i '
    "verksamhetssystemets export, och kör igen"
)
_PROBE = "Beslut-ID;Lag\r\n"


def refuse_encoding(value: str | None) -> str | None:
    """``value`` if exports in it can be read line by line; a Swedish ``ValueError`` if not."""
    if value is None:
        return None
    try:
        codec = codecs.lookup(value)
    except LookupError:
        raise ValueError(
            f"okänd teckenkodning {value!r}; väntade t.ex. utf-8 eller cp1252 (eller ingen "
            "encoding: då läses UTF-8 och Windows-1252)"
        ) from None
    try:
        ascii_compatible = _PROBE.encode(codec.name) == _PROBE.encode("ascii")
    except (UnicodeError, LookupError, TypeError):
        ascii_compatible = False
    if not ascii_compatible:
        raise ValueError(
            f"teckenkodningen {value!r} kan inte läsas (bara teckenkodningar där en vanlig "
            f"bokstav är en byte, som UTF-8 och Windows-1252); ta bort encoding och {SAVE_AS_UTF8}"
        )
    return value


def utf16_like(first_line: bytes) -> bool:
    """A first line saved as UTF-16 or UTF-32: a byte order mark, or NUL bytes between the
    letters of an ASCII header."""
    if first_line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True  # the UTF-32 marks begin with these too
    sample = first_line[:200]
    return len(sample) >= 4 and sample.count(0) * 3 >= len(sample)
