"""tomllib's syntax errors in Swedish, with a line also when the error is at the end of the file.

The person who edits plan.toml or bedomning.toml reads Swedish; "Expected newline or end of
document after a statement" does not tell them that a value needs quotes, and "(at end of
document)" gives no line at all. A message tomllib adds later is shown as it wrote it.
"""

from __future__ import annotations

import re
import tomllib

_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")

_SWEDISH: tuple[tuple[str, str], ...] = (
    (
        r"Expected newline or end of document after a statement",
        "väntade radslut efter värdet (ett värde per rad; text inom citattecken, datum som "
        "2024-01-31)",
    ),
    (
        r"Invalid value",
        "ogiltigt värde (text inom citattecken, datum som 2024-01-31, tal och true/false utan "
        "citattecken)",
    ),
    (r"Cannot overwrite a value", "nyckeln har redan ett värde (samma nyckel två gånger?)"),
    (r"Cannot declare \((.*)\) twice", "tabellen [{0}] finns redan"),
    (
        r"Cannot mutate immutable namespace \((.*)\)",
        "{0} är skriven inom {{ }} och kan inte utökas",
    ),
    (r"Cannot redefine namespace \((.*)\)", "{0} finns redan"),
    (r"Expected '\]' at the end of a table declaration", "väntade ] efter tabellens namn"),
    (r"Expected '\]\]' at the end of an array declaration", "väntade ]] efter tabellens namn"),
    (r"Expected '=' after a key in a key/value pair", "väntade = efter nyckeln"),
    (r"Invalid initial character for a key part", "ogiltigt första tecken i en nyckel"),
    (r"Invalid statement", "raden är varken nyckel = värde eller [tabell]"),
    (r"Unclosed array", "listan saknar sin avslutande ]"),
    (r"Unclosed inline table", "tabellen inom {{ }} saknar sin avslutande }}"),
    (r"Unterminated string", "texten saknar sitt avslutande citattecken"),
    (r"Unescaped '\\' in a string", 'ensamt \\ i text inom "..."; skriv \\\\ eller använd \'...\''),
    (r"Escaped character is not a Unicode scalar value", "\\u-koden är inget tecken"),
    (r"Duplicate inline table key (.*)", "nyckeln {0} finns två gånger inom {{ }}"),
    (
        r"Illegal character '\\n'",
        'texten saknar sitt avslutande citattecken på raden (text över flera rader skrivs '
        'inom """...""")',
    ),
    (r"Illegal character (.*)", "otillåtet tecken {0}"),
    (r"Found invalid character (.*)", "otillåtet tecken {0}"),
    (r"Invalid date or datetime", "ogiltigt datum eller klockslag"),
    (r"Invalid hex value", "ogiltigt hexadecimalt värde"),
    (r"Expected (.*)", "väntade {0}"),
)


def _key(words: str) -> str:
    """``('control', 'params')`` as tomllib shows a key, written the TOML way: control.params."""
    return ".".join(re.findall(r"'([^']*)'", words)) or words


def toml_error(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int | None, int | None, str]:
    """Line, column and the Swedish message of ``exc``, raised on parsing ``text``."""
    message = str(exc)
    position = _POSITION.search(message)
    line = column = None
    if position is not None:
        message = message[: position.start()]
        if position[1]:
            line, column = int(position[1]), int(position[2])
        else:
            line = max(1, len(text.rstrip("\n").split("\n")))
    for pattern, swedish in _SWEDISH:
        found = re.fullmatch(pattern, message)
        if found is not None:
            message = swedish.format(*(_key(part) for part in found.groups()))
            break
    return line, column, message
