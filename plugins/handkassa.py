"""Handkassa: every deviation in a petty-cash ledger and its cash counts.

Two datasets: the ledger (``ledger``: one row per transaction) and the cash counts (``counts``).
Rules, each switchable in the plan: a purchase above the maximum amount; no receipt; not attested,
or attested by the person who paid; no purpose, or no reference to a genomförandeplan activity
where the unit requires one; a purchase in a blocked category (the municipality has agreements
for it); a count whose counted balance differs from the book balance by more than the tolerance;
a handkassa not counted for longer than the required interval; one not used for longer than a
given interval.

The book balance at a count is the opening balance plus refills minus purchases and returns
dated on or before the count's date (a count is taken at the end of its day). Amounts are
Decimal, read with their sign ignored: the kind says which way the money went.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from internkontroll import hookimpl
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.hookspecs import RegisterCheck
from internkontroll.metrics import Metric, Unit
from internkontroll.outcome import Finding, Outcome
from internkontroll.row_filters import RowSelection
from internkontroll.swedish import count_word, number, percent
from internkontroll.values import FieldType

from .handkassa_rules import counters, months_without_count, split_groups

RULES = {
    "over_limit": "inköp över maxbeloppet",
    "missing_receipt": "kvitto saknas",
    "missing_attest": "inte attesterat",
    "self_attested": "attesterat av den som betalade",
    "missing_purpose": "syfte saknas",
    "missing_activity": "koppling till aktivitet i genomförandeplanen saknas",
    "blocked_category": "inköp av något kommunen har avtal för",
    "reconciliation_differences": "kassaräkningen stämmer inte med kassaboken",
    "missing_counts": "ingen kassaräkning inom föreskriven tid",
    "missing_month_counts": "ingen kassaräkning under en kalendermånad",
    "single_counter": "kassaräkning med bara en räknare",
    "split_purchases": "uppdelade inköp som tillsammans överstiger maxbeloppet",
    "unused_periods": "handkassan har inte använts",
}
# Rules about counts or about several purchases: not a deviation of one purchase.
BOOK_RULES = (
    "reconciliation_differences",
    "missing_counts",
    "missing_month_counts",
    "single_counter",
    "split_purchases",
    "unused_periods",
)
YES = {"ja", "j", "x", "1", "true", "yes"}
NO = {"nej", "n", "0", "false", "no", ""}
_FIGURES: tuple[tuple[str, str, Unit], ...] = (
    ("transactions", "transaktioner", "antal"),
    ("purchases", "inköp", "antal"),
    ("deviations", "inköp med avvikelser", "antal"),
    ("deviation_rate", "andel inköp med avvikelser", "andel"),
    ("deviation_amount", "belopp i inköp med avvikelser", "kronor"),
    *((rule, text, "antal") for rule, text in RULES.items()),
)
METRICS = (
    *(
        Metric(f"{prefix}{name}", f"{who}{label}", unit)
        for prefix, who in (("", ""), ("{cashbox}.", "{cashbox}: "))
        for name, label, unit in _FIGURES
    ),
    Metric("excluded", "inköp som undantagits", "antal"),
)


class HandkassaParams(RowSelection, BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_amount: Decimal | None = Decimal(2000)
    """Purchases above this many kronor are deviations; none switches the rule off."""
    require_receipt: bool = True
    require_attest: bool = True
    """Not attested, and attested by the one who paid (no separation of duties)."""
    require_purpose: bool = True
    activity_required_for: list[str] = []
    """Handkassor whose purchases must reference a genomförandeplan activity; "*" for all."""
    blocked_categories: list[str] = []
    """Categories the municipality has agreements for (read from the ``category`` field)."""
    tolerance: Decimal = Field(default=Decimal(0), ge=0)
    """Kronor a count may differ from the book balance."""
    count_interval_days: int | None = Field(default=31, ge=1)
    """Longest time without a cash count, from the period's start to its end; off by default
    when ``count_every`` is given."""
    count_every: Literal["månad"] | None = None
    """"månad": at least one count in every calendar month of the period."""
    split_days: int | None = Field(default=None, ge=0)
    """Purchases by one person in one handkassa at most this many days apart, each under
    ``max_amount`` but together above it, are split purchases; none: off."""
    require_two_counters: bool = False
    """A count needs two different people in ``counted_by`` ("A. Berg / O. Said")."""
    max_idle_days: int | None = Field(default=None, ge=1)
    """Longest time a handkassa may go unused (the rule for card-based kassor); none: off."""
    opening_balance: dict[str, Decimal] = {}
    """Per handkassa, the balance before the ledger's first row (or use an opening row)."""
    kinds: dict[str, list[str]] = {
        "purchase": ["inköp", "utgift", "köp"],
        "refill": ["påfyllning", "insättning"],
        "return": ["återlämning", "retur", "uttag"],
        "opening": ["ingående saldo", "ingående balans"],
    }
    """The words the ledger uses for each kind of transaction."""


def _ore(amount: Decimal) -> int | None:
    """Whole öre, or None for an amount with more than two decimals."""
    ore = amount * 100
    return int(ore) if ore == ore.to_integral_value() else None


class _Book:
    """One handkassa's net change per day of the period, in öre, in a flat array: a year of a
    thousand handkassor costs a few megabytes, however many rows the ledger has."""

    def __init__(self, start: date, end: date) -> None:
        self.start = start.toordinal()
        self.before = 0  # net change of everything dated before the period
        self.days = array("q", [0]) * ((end - start).days + 1)
        self.used = bytearray(len(self.days))

    def add(self, day: date, ore: int) -> None:
        index = day.toordinal() - self.start
        if index < 0:
            self.before += ore
        elif index < len(self.days):
            self.days[index] += ore
            self.used[index] = 1

    def balance_at(self, day: date) -> int:
        """Net change in öre up to and including ``day``."""
        index = day.toordinal() - self.start
        return self.before + sum(self.days[: index + 1])

    def used_days(self) -> list[date]:
        return [date.fromordinal(self.start + i) for i, flag in enumerate(self.used) if flag]


class Handkassa(Check[HandkassaParams]):
    name = "handkassa"
    title = "Handkassor"
    version = "0.1.0"
    Params = HandkassaParams
    roles = ("ledger", "counts")
    fields: ClassVar[dict[str, FieldType]] = {
        "transaction_id": "text",
        "cashbox": "text",
        "date": "date",
        "amount": "decimal",
        "kind": "text",
        "receipt": "text",
        "paid_by": "text",
        "attested_by": "text",
        "purpose": "text",
    }
    key_field = "transaction_id"
    metrics: ClassVar[tuple[Metric, ...]] = METRICS
    review_columns: ClassVar[dict[str, str]] = {"kvitto": "ja/nej"}
    unit_words = ("inköp", "inköp")

    @classmethod
    def role_fields(cls, params: Any) -> dict[str, dict[str, FieldType]]:
        ledger = dict(cls.fields)
        if params.activity_required_for:
            ledger["activity_ref"] = "text"
        if params.blocked_categories:
            ledger["category"] = "text"
        for name in params.selection_fields():
            ledger.setdefault(name, "text")
        counts: dict[str, FieldType] = {"cashbox": "text", "date": "date", "counted": "decimal"}
        if params.require_two_counters:
            counts["counted_by"] = "text"
        return {"ledger": ledger, "counts": counts}

    @classmethod
    def worksheet_fields(cls, params: Any) -> list[str]:
        return ["cashbox", "date", "amount", "purpose", "receipt"]  # no names

    def __init__(self, params: HandkassaParams, context: ControlContext) -> None:
        super().__init__(params, context)
        self.kind_of = {w.casefold(): k for k, words in params.kinds.items() for w in words}
        self.books: dict[str, _Book] = {}
        self.opening: dict[str, Decimal] = dict(params.opening_balance)
        self.counts: list[tuple[str, date, Decimal, int]] = []
        self.purchases: Counter[str] = Counter()
        self.transactions: Counter[str] = Counter()
        self.deviating: Counter[str] = Counter()
        self.deviating_amount: dict[str, Decimal] = defaultdict(Decimal)
        self.rule_counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.by_payer: dict[tuple[str, str], list[tuple[date, Decimal]]] = defaultdict(list)
        self.excluded = 0

    def _kind(self, row: Row) -> str | None:
        return self.kind_of.get(str(row["kind"] or "").strip().casefold())

    def _book(self, cashbox: str) -> _Book:
        book = self.books.get(cashbox)
        if book is None:
            book = self.books[cashbox] = _Book(self.context.period.start, self.context.period.end)
        return book

    def observe(self, row: Row) -> None:
        """Every ledger row, sampled or not, moves the book balance."""
        if row.role != "ledger" or row["date"] is None or row["amount"] is None:
            return
        kind = self._kind(row)
        cashbox = str(row["cashbox"] or "")
        ore = _ore(row["amount"])
        if kind == "opening":
            self.opening[cashbox] = row["amount"]
        elif kind in ("purchase", "return", "refill") and ore is not None:
            self._book(cashbox).add(row["date"], ore if kind == "refill" else -abs(ore))
            if self.context.period.contains(row["date"]):
                self.transactions[cashbox] += 1
                if kind == "purchase" and self.params.split_days is not None:
                    payer = str(row["paid_by"] or "").strip().casefold()
                    self.by_payer[(cashbox, payer)].append((row["date"], abs(row["amount"])))

    def in_population(self, row: Row) -> bool:
        """Purchases in the period; other rows count only for the balance."""
        kind = self._kind(row)
        if kind is None:
            known = ", ".join(w for words in self.params.kinds.values() for w in words)
            self.reject(row, f"okänd transaktionstyp {row['kind']!r}; väntade {known}")
            return False
        if row["date"] is None or row["amount"] is None or not row["cashbox"]:
            self.reject(row, "datum, belopp eller handkassa saknas")
            return False
        if _ore(row["amount"]) is None:
            self.reject(row, f"beloppet {row['amount']} har mer än två decimaler (hela ören)")
            return False
        if str(row["receipt"] or "").strip().casefold() not in YES | NO:
            self.reject(row, f"kvitto {row['receipt']!r}; väntade ja eller nej")
            return False
        if kind != "purchase" or not self.context.period.contains(row["date"]):
            return False
        if not self.params.admits(row):
            self.excluded += 1
            return False
        return True

    def feed(self, row: Row) -> None:
        if row.role == "counts":
            if row["cashbox"] and row["date"] and row["counted"] is not None:
                if self.context.period.contains(row["date"]):
                    self.counts.append(
                        (str(row["cashbox"]), row["date"], row["counted"], row.number)
                    )
                    if self.params.require_two_counters:
                        self._check_counters(row)
            else:
                self.reject(row, "kassaräkningen saknar handkassa, datum eller räknat belopp")
            return
        self._judge_purchase(row)

    def _check_counters(self, row: Row) -> None:
        """Two different names in "räknat av"; the names themselves are never shown."""
        found = len(counters(str(row["counted_by"] or "")))
        if found < 2:
            cashbox, day = str(row["cashbox"]), row["date"]
            self.rule_counts["single_counter"][cashbox] += 1
            who = "ingen räknare angiven" if not found else "bara en räknare"
            self.findings.append(
                Finding(
                    reference=f"{cashbox} {day}",
                    row=row.number,
                    description=f"{cashbox} {day}: kassaräkning med {who}; två krävs",
                )
            )

    def _split_purchases(self) -> None:
        limit, days_apart = self.params.max_amount, self.params.split_days
        if limit is None or days_apart is None:
            return
        for (cashbox, _), purchases in sorted(self.by_payer.items()):
            for group in split_groups(purchases, days_apart, limit):
                dates = [purchases[i][0] for i in group]
                total = sum((purchases[i][1] for i in group), Decimal(0))
                self.rule_counts["split_purchases"][cashbox] += 1
                self.findings.append(
                    Finding(
                        reference=f"{cashbox} {dates[0]}–{dates[-1]}",
                        amount=total,
                        description=(
                            f"{cashbox}: {len(group)} inköp av samma person {dates[0]}–"
                            f"{dates[-1]}, vart och ett högst {number(limit, 0)} kr men "
                            f"sammanlagt {number(total)} kr"
                        ),
                    )
                )

    def _missing_months(self, cashbox: str, days: list[date]) -> None:
        period = self.context.period
        for first, last in months_without_count(period.start, period.end, days):
            self.rule_counts["missing_month_counts"][cashbox] += 1
            self.findings.append(
                Finding(
                    reference=f"{cashbox} {first:%Y-%m}",
                    description=f"{cashbox}: ingen kassaräkning {first} – {last}",
                )
            )

    def _breaches(self, row: Row) -> list[str]:
        p = self.params
        amount: Decimal = abs(row["amount"])
        cashbox = str(row["cashbox"])
        found = []
        if p.max_amount is not None and amount > p.max_amount:
            found.append("over_limit")
        if p.require_receipt:
            if row.review is not None:
                has_receipt = bool(row.review["kvitto"])
            else:
                has_receipt = str(row["receipt"] or "").strip().casefold() in YES
            if not has_receipt:
                found.append("missing_receipt")
        if p.require_attest:
            attested = str(row["attested_by"] or "").strip().casefold()
            if not attested:
                found.append("missing_attest")
            elif attested == str(row["paid_by"] or "").strip().casefold():
                found.append("self_attested")
        if p.require_purpose and not str(row["purpose"] or "").strip():
            found.append("missing_purpose")
        required = {name.strip().casefold() for name in p.activity_required_for}
        named = "*" in required or cashbox.strip().casefold() in required
        if named and not str(row["activity_ref"] or "").strip():
            found.append("missing_activity")
        blocked = {c.casefold() for c in p.blocked_categories}
        if blocked and str(row["category"] or "").strip().casefold() in blocked:
            found.append("blocked_category")
        return found

    def _judge_purchase(self, row: Row) -> None:
        cashbox = str(row["cashbox"])
        amount: Decimal = abs(row["amount"])
        self.purchases[cashbox] += 1
        breaches = self._breaches(row)
        for rule in breaches:
            self.rule_counts[rule][cashbox] += 1
            self.findings.append(
                Finding(
                    reference=self.reference(row),
                    row=row.number,
                    amount=amount,
                    description=f"{cashbox} {row['date']}: {RULES[rule]}",
                )
            )
        if breaches:
            self.deviating[cashbox] += 1
            self.deviating_amount[cashbox] += amount

    def _reconcile(self) -> None:
        tolerance = self.params.tolerance
        by_box: dict[str, list[tuple[date, Decimal, int]]] = defaultdict(list)
        for cashbox, day, counted, row in self.counts:
            by_box[cashbox].append((day, counted, row))
        for cashbox, counts in by_box.items():
            book = self.books.get(cashbox) or _Book(
                self.context.period.start, self.context.period.end
            )
            opening = Decimal(self.opening.get(cashbox, Decimal(0)))
            for day, counted, row in sorted(counts):
                balance = opening + Decimal(book.balance_at(day)) / 100
                difference = counted - balance
                if abs(difference) > tolerance:
                    self.rule_counts["reconciliation_differences"][cashbox] += 1
                    self.findings.append(
                        Finding(
                            reference=f"{cashbox} {day}",
                            row=row,
                            amount=difference,
                            description=(
                                f"{cashbox} {day}: räknat {number(counted)} kr, enligt "
                                f"kassaboken {number(balance)} kr "
                                f"(skillnad {number(difference)} kr)"
                            ),
                        )
                    )

    def _gaps(self, rule: str, cashbox: str, days: list[date], limit: int | None) -> None:
        if limit is None:
            return
        period = self.context.period
        edges = [date.fromordinal(period.start.toordinal() - 1), *sorted(set(days)), period.end]
        for before, after in pairwise(edges):
            if (after - before).days > limit:
                self.rule_counts[rule][cashbox] += 1
                what = "ingen kassaräkning" if rule == "missing_counts" else "inte använd"
                since = max(before, period.start)
                self.findings.append(
                    Finding(
                        reference=f"{cashbox} {since}–{after}",
                        description=f"{cashbox}: {what} på {(after - before).days} dagar "
                        f"({since} – {after}); högst {limit} dagar",
                    )
                )

    def outcome(self) -> Outcome:
        self._reconcile()
        self._split_purchases()
        counted_days: dict[str, list[date]] = defaultdict(list)
        for cashbox, day, _, _ in self.counts:
            counted_days[cashbox].append(day)
        boxes = sorted(set(self.books) | set(counted_days) | set(self.opening))
        p = self.params
        explicit = p.count_every is None or "count_interval_days" in p.model_fields_set
        for cashbox in boxes:
            self._gaps(
                "missing_counts",
                cashbox,
                counted_days.get(cashbox, []),
                p.count_interval_days if explicit else None,
            )
            if p.count_every == "månad":
                self._missing_months(cashbox, counted_days.get(cashbox, []))
            self._gaps(
                "unused_periods",
                cashbox,
                self._book(cashbox).used_days(),
                self.params.max_idle_days,
            )
        metrics: dict[str, float | int] = {"excluded": self.excluded}
        for prefix, pick in [("", None), *((f"{b}.", b) for b in boxes)]:

            def total(counter: Counter[str], pick: str | None = pick) -> int:
                return counter[pick] if pick is not None else sum(counter.values())

            purchases = total(self.purchases)
            metrics[f"{prefix}transactions"] = total(self.transactions)
            metrics[f"{prefix}purchases"] = purchases
            metrics[f"{prefix}deviations"] = total(self.deviating)
            if purchases:
                metrics[f"{prefix}deviation_rate"] = total(self.deviating) / purchases
            amount = (
                self.deviating_amount[pick]
                if pick is not None
                else sum(self.deviating_amount.values(), Decimal(0))
            )
            metrics[f"{prefix}deviation_amount"] = float(amount)
            for rule in RULES:
                metrics[f"{prefix}{rule}"] = total(self.rule_counts[rule])
        return Outcome(
            metrics=metrics,
            findings=self.findings,
            result_text=self._sentence(metrics, len(boxes)),
            population=int(metrics["purchases"]),
        )

    def _sentence(self, metrics: dict[str, float | int], boxes: int) -> str:
        purchases = int(metrics["purchases"])
        if not purchases and not self.counts:
            return "Det fanns inga inköp eller kassaräkningar att granska under perioden."
        deviations = int(metrics["deviations"])
        text = (
            f"Granskningen av {count_word(purchases, 'inköp', 'inköp')} i "
            f"{count_word(boxes, 'handkassa', 'handkassor')} visade "
        )
        if deviations:
            rate = percent(deviations / purchases, 1) if purchases else ""
            text += (
                f"{count_word(deviations, 'inköp', 'inköp')} med avvikelser ({rate}) om "
                f"sammanlagt {number(metrics['deviation_amount'], 0)} kr"
            )
            parts = [
                f"{RULES[r]} {int(metrics[r])}" for r in RULES if metrics[r] and r not in BOOK_RULES
            ]
            text += f" ({', '.join(parts)})."
        else:
            text += "inga avvikelser i inköpen."
        counts = int(metrics["reconciliation_differences"])
        text += (
            f" {count_word(counts, 'kassaräkning', 'kassaräkningar')} stämde inte med kassaboken."
            if counts
            else " Alla kassaräkningar stämde med kassaboken."
        )
        missing = int(metrics["missing_counts"])
        if missing:
            when = count_word(missing, "tillfälle", "tillfällen")
            text += f" Det saknades kassaräkning inom föreskriven tid vid {when}."
        months = int(metrics["missing_month_counts"])
        if months:
            text += (
                " Det saknades kassaräkning under "
                f"{count_word(months, 'kalendermånad', 'kalendermånader')}."
            )
        single = int(metrics["single_counter"])
        if single:
            text += (
                f" Det fanns {count_word(single, 'kassaräkning', 'kassaräkningar')} "
                "med bara en räknare."
            )
        split = int(metrics["split_purchases"])
        if split:
            text += (
                f" Inköpen såg uppdelade ut för att hålla sig under maxbeloppet vid "
                f"{count_word(split, 'tillfälle', 'tillfällen')}."
            )
        unused = int(metrics["unused_periods"])
        if unused:
            text += (
                f" En handkassa var oanvänd längre än {self.params.max_idle_days} dagar vid "
                f"{count_word(unused, 'tillfälle', 'tillfällen')}."
            )
        return text


@hookimpl
def register_checks(register: RegisterCheck) -> None:
    register(Handkassa)
