"""resultat.json written a piece at a time: the text ``json.dumps`` would give, never whole.

A handkassa control over a thousand units gives some 20 000 figures, each with a label: at
three million rows resultat.json is 5 MB. ``json.dumps`` with an indent builds it from a list
of all its small pieces (some 700 000 strings, tens of megabytes) before joining them, then
the guard and the encoding each copy the whole text once more: the run's largest moment of
memory. Here the same encoder's pieces are joined a few hundred kilobytes at a time, searched
for personnummer (``LeakScanner``, which holds back an unfinished line) and written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from internkontroll.privacy import LeakScanner

PIECE_CHARACTERS = 1 << 18
"""Characters joined, searched and written at a time."""


def json_text_pieces(document: Any) -> Iterator[str]:
    """The text of ``json.dumps(document, ensure_ascii=False, indent=2) + "\\n"``, in pieces
    of about ``PIECE_CHARACTERS`` each (the same encoder, its pieces joined a few at a time)."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    pieces: list[str] = []
    size = 0
    for piece in encoder.iterencode(document):
        pieces.append(piece)
        size += len(piece)
        if size >= PIECE_CHARACTERS:
            yield "".join(pieces)
            pieces, size = [], 0
    pieces.append("\n")
    yield "".join(pieces)


def write_json(handle: BinaryIO, document: Any, where: str) -> None:
    """``document`` as indented JSON in UTF-8 to ``handle``; ``PersonnummerLeak`` naming
    ``where`` before any piece that holds a personnummer is written."""
    scanner = LeakScanner(where)
    for piece in json_text_pieces(document):
        handle.write(scanner.feed(piece).encode("utf-8"))
    handle.write(scanner.close().encode("utf-8"))
