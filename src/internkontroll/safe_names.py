"""Names that become file names: control ids, risk ids, dataset and table names.

A control id ends up as ``avvikelser/<id>.csv``; ``id = "../../data/beslut"`` would write over an
export. Every such name is a letter or digit followed by letters, digits, ``_``, ``-`` or single
dots, at most 64 characters, so that no name can leave its folder or hide as a dot file.
"""

from __future__ import annotations

import re

SAFE_NAME = re.compile(r"[A-Za-z0-9ÅÄÖåäöÉé][A-Za-z0-9ÅÄÖåäöÉé_-]*(?:\.[A-Za-z0-9ÅÄÖåäöÉé_-]+)*")
MAX_LENGTH = 64


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be used in a file name, in Swedish, or None when it can."""
    if len(name) > MAX_LENGTH:
        return f"{name[:20]!r}... är för långt (högst {MAX_LENGTH} tecken)"
    if not SAFE_NAME.fullmatch(name):
        return (
            f"{name!r} kan inte användas i ett filnamn; använd bokstäver, siffror, _ och - "
            "(t.ex. K1 eller IK-2024-3)"
        )
    return None


def check_name(name: str) -> str:
    """``name`` unchanged, or ValueError with the Swedish reason (for pydantic validators)."""
    problem = name_problem(name)
    if problem is not None:
        raise ValueError(problem)
    return name
