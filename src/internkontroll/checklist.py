"""Checklists for manual controls: the control's ``items`` as a worksheet, read back when filled.

A manual control such as "stickprov på att bilaga J är ifylld" is a list of points a person
answers ja, nej or ej tillämpligt, with a comment. The worksheet is written once from the plan and
read back by ``run``, as the sampling worksheets are: an answer outside those three is an error
with its row, a blank makes the checklist incomplete, and a list of points that no longer matches
the plan is refused with the difference. Nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from internkontroll.csv_records import BadLine
from internkontroll.errors import DatasetError
from internkontroll.outcome import Finding, Outcome
from internkontroll.readers import open_table
from internkontroll.swedish import count_word
from internkontroll.worksheets import COMMENT_COLUMN, WorksheetError, personnummer_in, write

NUMBER_COLUMN = "Nr"
ITEM_COLUMN = "Kontrollpunkt"
ANSWER_COLUMN = "svar"
YES, NO, NOT_APPLICABLE = "ja", "nej", "ej tillämpligt"
ANSWERS = (YES, NO, NOT_APPLICABLE)
METRICS = ("items", "ja", "nej", "ej_tillampligt", "rate")
"""What a filled checklist gives; ``rate`` is ja / (ja + nej), absent when every point is
ej tillämpligt."""


class ChecklistIncomplete(WorksheetError):
    """A checklist with points left blank: work in progress, not an error in the answers."""


def write_checklist(path: Path, items: list[str]) -> None:
    """A new worksheet with one row per point; an existing file is never replaced."""
    header = [NUMBER_COLUMN, ITEM_COLUMN, ANSWER_COLUMN, COMMENT_COLUMN]
    body = [[number, item, "", ""] for number, item in enumerate(items, start=1)]
    write(path, header, body, {ANSWER_COLUMN: "ja/nej/ej tillämpligt"}, choices=ANSWERS)


@dataclass
class Answer:
    row: int
    item: str
    answer: str
    comment: str


def read_checklist(path: Path, items: list[str]) -> list[Answer]:
    """The answers, in the plan's order; ``WorksheetError`` naming every problem."""
    try:
        table = open_table(path)
        header = [h.strip().casefold() for h in table.header()]
        records = list(table.records())
    except DatasetError as exc:
        raise WorksheetError(str(exc)) from None
    missing = [c for c in (ITEM_COLUMN, ANSWER_COLUMN) if c.casefold() not in header]
    if missing:
        raise WorksheetError(f"{path.name}: kolumnen {', '.join(missing)} saknas i rubrikraden")
    at = {
        c: header.index(c.casefold())
        for c in (ITEM_COLUMN, ANSWER_COLUMN, COMMENT_COLUMN)
        if c.casefold() in header
    }

    def value(cells: list[object], column: str) -> str:
        index = at.get(column)
        raw = cells[index] if index is not None and index < len(cells) else None
        return "" if raw is None else " ".join(str(raw).split())

    bad: list[str] = []
    answers: list[Answer] = []
    for number, cells in records:
        if isinstance(cells, BadLine):
            bad.append(f"rad {number}: {cells.message}")
        elif any(value(cells, c) for c in at):
            bad += personnummer_in(number, {column: value(cells, column) for column in at})
            answers.append(
                Answer(
                    number,
                    value(cells, ITEM_COLUMN),
                    value(cells, ANSWER_COLUMN).casefold(),
                    value(cells, COMMENT_COLUMN),
                )
            )
    if bad:
        raise WorksheetError(f"{path.name}: " + "; ".join(bad))
    _same_items(path, items, [a.item for a in answers])
    problems = [
        f"rad {a.row}: {a.answer!r}; väntade {', '.join(ANSWERS)}"
        for a in answers
        if a.answer and a.answer not in ANSWERS
    ]
    if problems:
        raise WorksheetError(f"{path.name}: " + "; ".join(problems))
    blank = [a.row for a in answers if not a.answer]
    if blank:
        raise ChecklistIncomplete(
            f"checklistan är ofullständig: {len(blank)} av {len(answers)} punkter i {path.name} "
            f"saknar svar (rad {', '.join(str(r) for r in blank)})"
        )
    return answers


def _same_items(path: Path, planned: list[str], found: list[str]) -> None:
    """Refuse a worksheet whose points differ from the plan's, listing the difference."""
    normal = [" ".join(item.split()) for item in planned]
    if normal == found:
        return
    lines = [f"{path.name} stämmer inte med kontrollens punkter (items) i planen:"]
    added = [item for item in found if item not in normal]
    removed = [item for item in normal if item not in found]
    if added:
        lines.append(f"  punkter som inte finns i planen: {'; '.join(added)}")
    if removed:
        lines.append(f"  punkter i planen som saknas i arbetsbladet: {'; '.join(removed)}")
    if not added and not removed:
        lines.append("  punkterna står i en annan ordning än i planen")
    raise WorksheetError("\n".join(lines))


def _unmet(answer: Answer) -> str:
    """"Punkten (kommentaren)", without the points' own full stops, for a sentence."""
    item = answer.item.rstrip(". ")
    comment = answer.comment.rstrip(". ")
    return f"{item} ({comment})" if comment else item


def checklist_outcome(answers: list[Answer]) -> Outcome:
    """Counts per answer and a finding for each ``nej``."""
    yes = sum(a.answer == YES for a in answers)
    no = sum(a.answer == NO for a in answers)
    na = sum(a.answer == NOT_APPLICABLE for a in answers)
    metrics: dict[str, float | int] = {
        "items": len(answers),
        "ja": yes,
        "nej": no,
        "ej_tillampligt": na,
    }
    if yes + no:
        metrics["rate"] = yes / (yes + no)
    findings = [
        Finding(
            reference=f"punkt {number}",
            description=_unmet(a),
            row=a.row,
        )
        for number, a in enumerate(answers, start=1)
        if a.answer == NO
    ]
    text = (
        f"Checklistan om {count_word(len(answers), 'punkt', 'punkter')}: {yes} ja, {no} nej"
        f"{f', {na} ej tillämpliga' if na else ''}."
    )
    if findings:
        text += " Ej uppfyllt: " + "; ".join(f.description for f in findings) + "."
    return Outcome(metrics=metrics, findings=findings, result_text=text, population=len(answers))
