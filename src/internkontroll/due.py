"""What is due when: each control's dates in the year, as a list and as a calendar file.

Owners live in Outlook, not in TOML. The dates follow from the plan alone (``timing.py``), and the
calendar file is the same every time it is written from the same plan: stable event ids and a
stamp taken from the plan, never the clock, so re-importing it updates events instead of doubling
them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from internkontroll.models import Plan
from internkontroll.timing import Occasion, execution_dates, report_dates

WHAT_LABELS = {"utförs": "Utförs", "rapporteras": "Rapporteras"}


def occasions(plan: Plan) -> list[Occasion]:
    """Every date in the plan, sorted by day and then by the plan's order of controls."""
    found: list[tuple[date, int, Occasion]] = []
    for order, control in enumerate(plan.controls):
        period = plan.control_period(control)
        for day, label in execution_dates(control.frequency, period.start, period.end):
            occasion = Occasion(day, control.id, control.title, control.owner, "utförs", label)
            found.append((day, order, occasion))
        for day, label in report_dates(control.report_at, plan.header.year, period.end):
            occasion = Occasion(day, control.id, control.title, control.owner, "rapporteras", label)
            found.append((day, order, occasion))
    # On one day a control is carried out before its result is reported.
    found.sort(key=lambda item: (item[0], item[1], item[2].what == "rapporteras"))
    return [occasion for _, _, occasion in found]


def in_month(items: list[Occasion], year: int, month: int) -> list[Occasion]:
    return [o for o in items if (o.day.year, o.day.month) == (year, month)]


def rows(items: list[Occasion]) -> list[list[str]]:
    return [
        [o.day.isoformat(), o.control_id, o.title, f"{WHAT_LABELS[o.what]} ({o.label})", o.owner]
        for o in items
    ]


COLUMNS = ["Datum", "Kontroll", "Kontrollmoment", "Vad", "Ansvarig"]


def calendar_bytes(plan: Plan, items: list[Occasion]) -> bytes:
    """An iCalendar file with one all-day event per date."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//internkontroll//internkontrollplan//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", plan.header.title)
    stamp = datetime(plan.header.year, 1, 1, tzinfo=UTC)
    organisation = "".join(ch for ch in plan.header.organisation if ch.isalnum()) or "plan"
    for occasion in items:
        event = Event()
        verb = "utförs" if occasion.what == "utförs" else "rapporteras"
        event.add("summary", f"{occasion.control_id} {occasion.title}: {verb} ({occasion.label})")
        event.add("dtstart", occasion.day)
        event.add("dtend", occasion.day + timedelta(days=1))
        event.add("dtstamp", stamp)
        described = [f"{plan.header.title}, {plan.header.organisation}".strip(", ")]
        if occasion.owner:
            described.append(f"Ansvarig: {occasion.owner}")
        event.add("description", "\n".join(described))
        event.add(
            "uid",
            f"{plan.header.year}-{organisation}-{occasion.control_id}-{occasion.what}-"
            f"{occasion.day.isoformat()}@internkontroll",
        )
        calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content
