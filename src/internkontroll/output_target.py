"""Where a report, calendar or risk matrix may be written: never over a person's plan or text.

``report res --output res/bedomning.toml`` once replaced what people had written with Markdown,
``--output plan.toml`` the plan and ``--output res/resultat.json`` the results, each with exit 0.
A generated file may replace an earlier one of its kind (bilaga1.docx made again), but not a
file of another kind, and nothing is written into a results folder: its files are compared with
the manifest by ``verify`` and ``publish``, and bedomning.toml is people's.
"""

from __future__ import annotations

from pathlib import Path

from internkontroll.result_folder import MARKER


def output_problem(path: Path, suffix: str) -> str | None:
    """Why the generated ``suffix`` file may not be written at ``path``; None if it may."""
    target = path.resolve()
    for folder in target.parents:
        if (folder / MARKER).is_file():
            return (
                f"{path} ligger i resultatmappen {folder}; skriv filen utanför den (mappens "
                "filer jämförs med manifestet av verify och publish, och bedomning.toml är "
                "människornas)"
            )
    if target.is_dir():
        return f"{path} är en mapp; ange en fil, t.ex. {path / ('rapport' + suffix)}"
    if target.exists() and target.suffix.casefold() != suffix.casefold():
        return (
            f"{path} finns redan och är ingen {suffix}-fil; den skrivs inte över (välj ett namn "
            f"som slutar på {suffix})"
        )
    return None
