"""The sha256 manifest in resultat.json: every file the run wrote, checked by ``verify``.

It lists every file of the results folder except resultat.json itself (which cannot hold its own
hash) and bedomning.toml (people write there after the run). Emptying ``avvikelser/``, changing
a worksheet table or a file in ``historik/``, or adding one, is a difference.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from internkontroll.engine import file_sha256
from internkontroll.result_folder import ResultFolderError, inside

# Folders whose every file the run wrote: a file there that the manifest does not name is extra.
PROGRAM_FOLDERS = ("avvikelser", "underlag", "historik")


def _files_under(folder: Path, name: str) -> list[str]:
    found = []
    for here, dirs, files in os.walk(folder / name, followlinks=False):
        found += [(Path(here) / f).relative_to(folder).as_posix() for f in files]
        found += [
            (Path(here) / d).relative_to(folder).as_posix()
            for d in dirs
            if Path(here, d).is_symlink()
        ]
    return found


def manifest_differences(folder: Path, document: dict[str, Any]) -> list[str]:
    """What no longer matches the manifest, in Swedish; empty when every file is as written."""
    manifest = document.get("manifest")
    if not isinstance(manifest, dict) or not manifest:
        return [
            "resultat.json saknar manifest (skriven av en äldre version av programmet); "
            "filerna i mappen kan inte kontrolleras"
        ]
    differences = []
    for name, digest in sorted(manifest.items()):
        try:
            path = inside(folder, str(name))
        except ResultFolderError:
            differences.append(f"manifestet nämner {name!r}, som ligger utanför resultatmappen")
            continue
        if path.is_symlink() or not path.is_file():
            differences.append(f"{name} saknas i resultatmappen")
        elif file_sha256(path) != digest:
            differences.append(f"{name} har ändrats sedan körningen (sha256 skiljer sig)")
    for program_folder in PROGRAM_FOLDERS:
        for name in _files_under(folder, program_folder):
            if name not in manifest:
                differences.append(f"{name} finns i resultatmappen men inte i manifestet")
    return differences
