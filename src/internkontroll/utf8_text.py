"""Plan and bedomning.toml are TOML, which is UTF-8: a file saved as ANSI is refused by line.

Decoding with replacement would turn "Vård- och omsorgsnämnden" into "V\ufffdrd- och
omsorgsn\ufffdmnden" in the annual report without a word, and a keyword like "halvårsvis" into
an unknown word whose message hides the cause. The line of the first byte that is not UTF-8 and
how to save the file again are what a person needs.
"""

from __future__ import annotations


def utf8_problem(raw: bytes) -> tuple[int, str] | None:
    """None for UTF-8; else the line (from 1) of the first byte that is not, and the advice."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        try:
            raw.decode("cp1252")
        except UnicodeDecodeError:
            guess = ""
        else:
            guess = " utan troligen sparad som Windows-1252 (ANSI)"
        return line, (
            f"filen är inte UTF-8{guess}, så å, ä och ö kan inte läsas; spara den som UTF-8 "
            "(i Anteckningar: Spara som, Kodning UTF-8) och försök igen"
        )
    return None
