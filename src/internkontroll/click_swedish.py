"""click's own words (Usage, Options, Error, ...) in Swedish.

click marks its messages for gettext (``from gettext import gettext as _``) but ships no
translations. Rather than a compiled catalogue, the command line replaces the two gettext
functions in click's modules with lookups in the table below; an English message not in the
table is shown as click wrote it.
"""

from __future__ import annotations

import importlib

SWEDISH = {
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Fel: {message}",
    "Aborted!": "Avbrutet.",
    "Try '{command} {option}' for help.": "Se '{command} {option}' för hjälp.",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing command.": "Kommando saknas.",
    "Missing {param_type}": "{param_type} saknas",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "argument": "argument",
    "option": "flagga",
    "parameter": "parameter",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "env var: {var}": "miljövariabel: {var}",
    "deprecated": "utfasad",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva till.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "Could not open file {filename!r}: {message}": "Kan inte öppna filen {filename!r}: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} är inget giltigt {number_type}.",
    "integer": "heltal",
    "float": "decimaltal",
    "{value} is not in the range {range}.": "{value} ligger inte i intervallet {range}.",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "Value must be an iterable.": "Värdet ska vara en följd.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} är inget giltigt ja/nej-värde. Giltiga värden: {states}"
    ),
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Invalid start character for option ({option})": "Ogiltigt första tecken i flaggan ({option})",
    "unknown error": "okänt fel",
}

SWEDISH_PLURAL = {
    "Got unexpected extra argument ({args})": (
        "Oväntat extra argument ({args})",
        "Oväntade extra argument ({args})",
    ),
    "Did you mean {possibility}?": (
        "Menade du {possibility}?",
        "(Menade du något av: {possibilities}?)",
    ),
    "Option {name!r} requires an argument.": (
        "Flaggan {name!r} behöver ett värde.",
        "Flaggan {name!r} behöver {nargs} värden.",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} är inte {choice}.",
        "{value!r} är inte en av {choices}.",
    ),
    # click.DateTime is only used for dates (--as-of): say so, not '%Y-%m-%d'
    "{value!r} does not match the format {format}.": (
        "{value!r} är inget datum; väntade ÅÅÅÅ-MM-DD, t.ex. 2024-08-31.",
        "{value!r} är inget datum; väntade ÅÅÅÅ-MM-DD, t.ex. 2024-08-31.",
    ),
}

_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
)


def gettext(message: str) -> str:
    return SWEDISH.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    if singular in SWEDISH_PLURAL:
        one, many = SWEDISH_PLURAL[singular]
        return one if count == 1 else many
    return singular if count == 1 else plural


def decimal_number(value: object) -> float:
    """A decimal number as a Swede writes it too: 0,95 as well as 0.95."""
    if isinstance(value, str):
        text = value.strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        return float(text)
    return float(value)  # type: ignore[arg-type]


def _swedish_number_types() -> None:
    """Type names click shows in help (FLOAT, INTEGER RANGE) and in "'x' is not a valid float"."""
    from click import types

    for kind, word in (
        (types.IntParamType, "heltal"),
        (types.IntRange, "heltal"),
        (types.FloatParamType, "decimaltal"),
        (types.FloatRange, "decimaltal"),
    ):
        kind.name = word
    types.FloatParamType._number_class = staticmethod(decimal_number)  # type: ignore[assignment]


def install() -> None:
    """Make click speak Swedish; idempotent."""
    _swedish_number_types()
    for name in _MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
