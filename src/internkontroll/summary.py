"""The annual report's Internkontroll paragraph, in its words and with Swedish grammar.

"Uppföljningen vid årsbokslutet visar att tre av fyra kontrollpunkter i internkontrollplan 2024
har genomförts utan anmärkning eller med försumbar anmärkning, medan en kontrollpunkt har
genomförts med anmärkning. Anmärkningen avser kontrollpunkten ..."
"""

from __future__ import annotations

import re

from internkontroll import manual
from internkontroll.as_of import moment_words
from internkontroll.assessment import Assessment
from internkontroll.report import ResultsFolder, effective_assessment
from internkontroll.swedish import join, lower_first

WORDS = [
    "noll",
    "en",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
]


def in_words(count: int) -> str:
    """Numbers up to twelve in words (common gender: "en kontrollpunkt"), larger as digits."""
    return WORDS[count] if 0 <= count < len(WORDS) else str(count)


def points(count: int) -> str:
    return f"{in_words(count)} kontrollpunkt{'' if count == 1 else 'er'}"


def _share(part: int, total: int) -> str:
    if part == total:
        return "kontrollpunkten" if total == 1 else f"samtliga {points(total)}"
    return f"{in_words(part)} av {points(total)}"


PURPOSE = re.compile(r"^kontroll av att (?P<what>.+?)\.?$", re.IGNORECASE | re.DOTALL)


def what_it_checks(folder: ResultsFolder, control_id: str) -> str:
    """A control named by what it checks, as the annual report does: "för att säkerställa att
    icke tidsbegränsade beslut följs upp årligen" (from ``purpose`` in ``[report]`` or from a
    description "Kontroll av att ..."), otherwise by its title."""
    control = folder.controls.get(control_id)
    if control is None:
        return control_id
    wording = folder.report.for_control(control_id, control.check)
    if wording.purpose:
        return wording.purpose.strip().rstrip(".")
    match = PURPOSE.match(" ".join(control.description.split()))
    if match:
        return f"för att säkerställa att {match['what']}"
    return lower_first(control.title, wording.keep_case)


def _names(names: list[str]) -> str:
    return join(names)


MOMENTS = {
    "delår": "delårsbokslutet",
    "helår": "årsbokslutet",
    "delårsbokslutet": "delårsbokslutet",
    "årsbokslutet": "årsbokslutet",
}
"""What ``summary --moment`` takes (the plan's ``report_at`` words and the accounts they
follow), and the accounts the paragraph then names: "vid delårsbokslutet"."""


def summary_paragraph(folder: ResultsFolder, moment: str | None = None) -> str:
    """The paragraph; ``moment`` names it ("delårsbokslutet" gives "vid delårsbokslutet"),
    otherwise the results' ``as_of`` does ("per den 31 augusti 2024", or "vid årsbokslutet")."""
    judged = [
        (
            what_it_checks(folder, r["id"]),
            effective_assessment(r, folder.people.get(r["id"], {})),
        )
        for r in folder.results
    ]
    # Not carried out either way, but a control waiting for a person is named as such.
    waiting = {
        what_it_checks(folder, r["id"])
        for r in folder.results
        if manual.awaiting(r, folder.people.get(r["id"], {}))
    }
    plan = lower_first(folder.header.title, folder.report.keep_case)
    total = len(judged)
    if total == 0:
        return f"{folder.header.title} innehåller inga kontrollpunkter som har följts upp."
    utan = [t for t, a in judged if a is Assessment.UTAN_ANMARKNING]
    forsumbar = [t for t, a in judged if a is Assessment.FORSUMBAR_ANMARKNING]
    med = [t for t, a in judged if a is Assessment.MED_ANMARKNING]
    not_done = [t for t, a in judged if a is Assessment.EJ_GENOMFORD]
    good = len(utan) + len(forsumbar)
    how = (
        "utan anmärkning eller med försumbar anmärkning"
        if utan and forsumbar
        else "utan anmärkning"
        if utan
        else "med försumbar anmärkning"
    )
    when = f"vid {moment}" if moment else moment_words(folder.looks_from(), folder.period_end())
    opening = f"Uppföljningen {when} visar att"
    if good:
        text = f"{opening} {_share(good, total)} i {plan} har genomförts {how}"
        if med:
            text += f", medan {points(len(med))} har genomförts med anmärkning"
        text += "."
    elif med:
        text = f"{opening} {_share(len(med), total)} i {plan} har genomförts med anmärkning."
    elif total == 1:
        text = f"{opening} kontrollpunkten i {plan} inte har genomförts."
    else:
        text = f"{opening} ingen av de {in_words(total)} kontrollpunkterna i {plan} har genomförts."
    sentences = [text]
    failed = [t for t in not_done if t not in waiting]
    unassessed = [t for t in not_done if t in waiting]
    for group, words in ((failed, "har inte genomförts"), (unassessed, "har ännu inte bedömts")):
        if group and (good or med):
            which = "Kontrollpunkten" if len(group) == 1 else "Kontrollpunkterna"
            sentences.append(f"{which} {_names(group)} {words}.")
    if med:
        if len(med) == 1:
            sentences.append(f"Anmärkningen avser kontrollpunkten {_names(med)}.")
        else:
            sentences.append(f"Anmärkningarna avser kontrollpunkterna {_names(med)}.")
    sentences.append("En redogörelse av de genomförda kontrollerna redovisas i bilaga 1.")
    return " ".join(sentences)
