"""Handkassa: every deviation in a petty-cash ledger and its cash counts.

Two datasets: the ledger (``ledger``: one row per transaction) and the cash counts (``counts``).
Rules, each switchable in the plan: a purchase above the maximum amount; no receipt; not attested,
or attested by the person who paid; no purpose, or no reference to a genomförandeplan activity
where the unit requires one; a purchase in a blocked category (the municipality has agreements
for it); a count whose counted balance differs from the book balance by more than the tolerance;
a handkassa not counted for longer than the required interval; one not used for longer than a
given interval; purchases by one person, each within the maximum, that look split to stay under
it. A purchase breaking any purchase rule, or part of a split purchase, is one deviating
purchase (``deviations``), counted once; the count rules are the handkassa's, not a purchase's.

The book balance at a count is the opening balance plus refills minus purchases and returns
dated from the opening balance's day up to the count's (a count is taken at the end of its day;
an opening balance holds at the start of its day: the ledger's opening row's, or the plan's at
the period's start). A ledger row left out of the book as unreadable makes the balance unknown
from its day on: a count then has no difference (``unreconciled_counts``), and the figure
``reconciliation_differences`` is missing, so that a criterion on it is not judged on a guess.
Amounts are Decimal, and the kind says which way the money went. The plan says how the export
signs them (``amount_signs``): all without a minus ("positiva", the default), or by direction,
money out negative ("med_tecken"). A row whose sign contradicts its kind under that convention
is never guessed at (a minus on a purchase may be a correction the other way): it is a
data-quality error, kept out of the book, the purchases and the counts.

A handkassa is known by its name trimmed and without case ("solgläntan" in the counts is the
ledger's "Solgläntan"); figures and findings about a handkassa use the ledger's spelling (its
first row naming it), and a finding about one row quotes that row.
"""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from internkontroll import hookimpl
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.hookspecs import RegisterCheck
from internkontroll.metrics import Metric, Unit
from internkontroll.outcome import Finding, Outcome
from internkontroll.row_filters import RowSelection, admitted
from internkontroll.swedish import count_word, given_number, number, percent
from internkontroll.values import FieldType

from .handkassa_rules import counters, months_without_count, split_groups
from .row_bits import RowBits

if TYPE_CHECKING:
    from internkontroll.batch import Batch, Mask

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
    ("split_parts", "inköp som ingår i uppdelade inköp", "antal"),
    ("unreconciled_counts", "kassaräkningar som inte kunde stämmas av", "antal"),
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


MISSING = "datum, belopp eller handkassa saknas"

# A row's kind as the batch folds compare it: a number per kind, one for a word the plan does
# not know and one for a kind of the plan's own beyond these.
UNKNOWN_KIND, PURCHASE, REFILL, RETURN, OPENING, OTHER_KIND = range(6)
KIND_NUMBERS = {None: UNKNOWN_KIND, "purchase": PURCHASE, "refill": REFILL, "return": RETURN}
KIND_NUMBERS["opening"] = OPENING


def _too_fine(row: Row) -> str:
    return f"beloppet {given_number(row['amount'])} har mer än två decimaler (hela ören)"


# The sign each moving kind's amount has, per convention: +1 none below zero, -1 none above.
SIGNS: dict[str, dict[int, int]] = {
    "positiva": {PURCHASE: 1, REFILL: 1, RETURN: 1},
    "med_tecken": {PURCHASE: -1, REFILL: 1, RETURN: -1},
}
KIND_WORDS = {PURCHASE: "ett inköp", REFILL: "en påfyllning", RETURN: "en återlämning"}


def _bad_receipt(row: Row) -> str:
    return f"kvitto {row['receipt']!r}; väntade ja eller nej"


def _amounts(batch: Batch) -> tuple[Any, Mask]:
    """Each row's amount in öre (int64), and which rows have one below ``_SAFE_ORE``: not a
    blank, an amount in parts of öre, or one too large for sums in 64 bits."""
    import numpy as np

    ore, exact = batch.hundredths("amount")
    exact &= np.abs(ore) < _SAFE_ORE
    return ore, exact


def _indices(mask: Mask) -> list[int]:
    import numpy as np

    indices: list[int] = np.flatnonzero(mask).tolist()
    return indices


def _blank(text: Any) -> bool:
    return not str(text or "").strip()


def _count(counter: Counter[str], keys: list[str], codes: Any) -> None:
    """Add to ``counter`` how many of ``codes`` point at each of ``keys``."""
    import numpy as np

    for code, count in enumerate(np.bincount(codes, minlength=len(keys)).tolist()):
        if count:
            counter[keys[code]] += count


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
    """Per handkassa, the balance at the start of the period, when the ledger has no opening
    row (movements dated before the period are then not in the balance)."""
    amount_signs: Literal["positiva", "med_tecken"] = "positiva"
    """How the ledger signs amounts: "positiva", every amount without a minus (the kind gives
    the direction); "med_tecken", money out (purchases, returns) negative, refills positive.
    A row whose sign contradicts its kind is a data-quality error, never turned around."""
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


def _key(name: Any) -> str:
    """What identifies a handkassa (or a person): the name trimmed, without case."""
    return str(name or "").strip().casefold()


def _role(batch: Batch) -> str:
    """The role of a batch's rows: a batch holds rows of one dataset, so of one role."""
    return batch.role or (batch.row(0).role if len(batch) else "")


# Öre a batch adds with numpy's 64-bit integers: beyond it (billions of kronor in one row, or
# a book near 2**62 öre) a batch takes the row path, which adds Python integers.
_SAFE_ORE = 2**40
_EPOCH = date(1970, 1, 1).toordinal()  # day 0 of numpy's datetime64[D]
_SAFE_BOOK = 2**62
# Handkassor a book grows by once it is this large: doubling 1 024 rows for the 1 025th
# handkassa would leave a third of a 1 500-handkassa matrix (2 MB) unused all run; a step
# copies the matrix, a few megabytes, a few dozen times at most.
_ROWS_AT_ONCE = 64


class _Books:
    """Every handkassa's net change per day of the period, in öre: one row per handkassa of an
    int64 matrix, so that a batch moves all its handkassor with one scatter-add. A year of a
    thousand handkassor costs a few megabytes, however many rows the ledger has.

    What lies before the period (by day) and the öre moved in all (no day can hold more) are
    Python integers; a day of the period is a 64-bit integer, and a sum beyond it is an
    ``OverflowError``, never a wrapped figure."""

    def __init__(self, start: date, end: date) -> None:
        import numpy as np

        self.start = start.toordinal()
        self.length = (end - start).days + 1
        self.rows: dict[str, int] = {}  # a handkassa's key: its row
        self.days = np.zeros((0, self.length), dtype=np.int64)
        self.used = np.zeros((0, self.length), dtype=np.bool_)
        # Per row, the net change per day (ordinal) before the period: an opening balance
        # dated before the period takes only what follows it.
        self.before: dict[int, Counter[int]] = defaultdict(Counter)
        self.moved = np.zeros(0, dtype=object)  # per row, the öre added or taken in all

    def __contains__(self, key: str) -> bool:
        return key in self.rows

    def keys(self) -> list[str]:
        return list(self.rows)

    def moved_by(self, key: str) -> int:
        row = self.rows.get(key)
        return 0 if row is None else int(self.moved[row])

    def most_moved(self) -> int:
        """The most öre any one handkassa has moved."""
        return int(max(self.moved[: len(self.rows)].tolist(), default=0))

    def row(self, key: str) -> int:
        """``key``'s row, a new one (nothing moved) the first time."""
        import numpy as np

        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = len(self.rows)
            if row == len(self.days):  # full: twice the rows, at most ``_ROWS_AT_ONCE`` more
                grown = row + min(max(row, 8), _ROWS_AT_ONCE)
                days = np.zeros((grown, self.length), dtype=np.int64)
                used = np.zeros((grown, self.length), dtype=np.bool_)
                moved = np.zeros(grown, dtype=object)
                days[:row], used[:row], moved[:row] = self.days, self.used, self.moved
                self.days, self.used, self.moved = days, used, moved
        return row

    def rows_of(self, keys: list[str]) -> list[int]:
        """``row`` of each of ``keys``."""
        known = self.rows
        return [known[key] if key in known else self.row(key) for key in keys]

    def add(self, key: str, day: date, ore: int) -> None:
        row, index = self.row(key), day.toordinal() - self.start
        self.moved[row] += abs(ore)
        if index < 0:
            self.before[row][day.toordinal()] += ore
        elif index < self.length:
            self.days[row, index] = int(self.days[row, index]) + ore  # OverflowError beyond
            self.used[row, index] = True

    def add_many(self, rows: Any, offsets: Any, ore: Any) -> None:
        """``add`` for many ledger rows at once: each one's book row, its day as days from
        the period's start and its öre. The caller has made sure that no book moves 2**62
        öre or more, so no day's sum leaves 64 bits."""
        import numpy as np

        moved = np.zeros(len(self.moved), dtype=np.int64)
        np.add.at(moved, rows, np.abs(ore))
        early = offsets < 0
        touched = np.flatnonzero(moved)
        self.moved[touched] += moved[touched].astype(object)  # as Python integers
        if early.any():  # summed per handkassa and day first: each pair is added once
            pairs, where = np.unique(
                np.stack([rows[early], offsets[early]]), axis=1, return_inverse=True
            )
            sums = np.zeros(pairs.shape[1], dtype=np.int64)
            np.add.at(sums, where.ravel(), ore[early])
            for row, offset, total in zip(*pairs.tolist(), sums.tolist(), strict=True):
                self.before[row][self.start + offset] += total
        inside = ~early & (offsets < self.length)
        rows, offsets = rows[inside], offsets[inside]
        np.add.at(self.days, (rows, offsets), ore[inside])
        self.used[rows, offsets] = True

    def merge(self, other: _Books) -> None:
        for key, theirs in other.rows.items():
            mine = self.row(key)
            if theirs in other.before:
                self.before[mine].update(other.before[theirs])  # adds day by day
            total = self.moved[mine] + other.moved[theirs]
            self.moved[mine] = total
            if total < 2**63:  # no day of either, nor their sum, leaves 64 bits
                self.days[mine] += other.days[theirs]
            else:
                for index, ore in enumerate(other.days[theirs].tolist()):  # as Python integers
                    self.days[mine, index] = int(self.days[mine, index]) + ore
            self.used[mine] |= other.used[theirs]

    def balances(self, key: str, since: date | None = None) -> list[int]:
        """The net change in öre from ``since`` (its day included; None: from the first row)
        up to and including each day of the period."""
        row = self.rows.get(key)
        if row is None:
            return [0] * self.length
        first = None if since is None else since.toordinal()
        early = self.before.get(row, Counter())
        before = sum(ore for day, ore in early.items() if first is None or day >= first)
        days: list[int] = self.days[row].tolist()
        if first is not None and first > self.start:
            cut = min(first - self.start, self.length)
            days[:cut] = [0] * cut
        return list(accumulate(days, initial=before))[1:]

    def used_days(self, key: str) -> list[date]:
        import numpy as np

        row = self.rows.get(key)
        if row is None:
            return []
        return [date.fromordinal(self.start + i) for i in np.flatnonzero(self.used[row]).tolist()]


class Handkassa(Check[HandkassaParams]):
    name = "handkassa"
    title = "Handkassor"
    version = "0.2.0"
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
    # No date of its is blank until an event: a run --as-of a day cuts only the period.
    event_fields: ClassVar[frozenset[str] | None] = frozenset()
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
    def label_fields(cls, params: Any) -> dict[str, set[str]]:
        """A handkassa's name heads figures and findings; kind and receipt are quoted when
        they are not words the check knows."""
        return {"ledger": {"cashbox", "kind", "receipt"}, "counts": {"cashbox"}}

    @classmethod
    def worksheet_fields(cls, params: Any) -> list[str]:
        return ["cashbox", "date", "amount", "purpose", "receipt"]  # no names

    def __init__(self, params: HandkassaParams, context: ControlContext) -> None:
        super().__init__(params, context)
        self.kind_of = {w.casefold(): k for k, words in params.kinds.items() for w in words}
        self.known_kinds = ", ".join(w for words in params.kinds.values() for w in words)
        # Everything by handkassa is kept by its key (``_key``); ``names`` holds the ledger's
        # spelling, ``other_names`` the plan's or the counts' for a handkassa the ledger lacks.
        self.names: dict[str, str] = {}
        self.other_names: dict[str, str] = {}
        self.books = _Books(context.period.start, context.period.end)
        self.opening: dict[str, Decimal] = {}
        for name, amount in params.opening_balance.items():
            self.opening[_key(name)] = amount
            self.other_names.setdefault(_key(name), name.strip())
        # Opening rows of the ledger (amount, date): the last one counts.
        self.opened: dict[str, tuple[Decimal, date]] = {}
        # Per handkassa ("": one the row does not name), the first day of a ledger row left
        # out of the book as unreadable (``date.min``: one without a date): from that day on
        # the book balance is not known. ``unread_rows`` counts such rows.
        self.unread: dict[str, date] = {}
        self.unread_rows = 0
        self.unread_counts = 0  # rows of the counts left out as unreadable
        self.refused_in_book = -1  # a row refused (bad receipt) that the book still holds
        self.unknown_counts: Counter[str] = Counter()
        self.counts: list[tuple[str, date, Decimal, int]] = []
        self.purchases: Counter[str] = Counter()
        self.transactions: Counter[str] = Counter()
        self.deviating: Counter[str] = Counter()
        self.deviating_amount: dict[str, Decimal] = defaultdict(Decimal)
        self.rule_counts: dict[str, Counter[str]] = defaultdict(Counter)
        # Each person's purchases of the period (date, amount, row), for split purchases; and
        # which of them were judged and which already broke a rule: a purchase in a split
        # purchase deviates, once, if it was judged (in the selection, or in the sample).
        self.by_payer: dict[tuple[str, str], list[tuple[date, Decimal, int]]] = defaultdict(list)
        self.splitting = params.split_days is not None and params.max_amount is not None
        self.judged, self.broke = RowBits(), RowBits()
        self.excluded = 0
        self.day_texts: dict[int, str] = {}  # by days since 1970-01-01
        self.required = {_key(name) for name in params.activity_required_for}
        self.blocked = {c.casefold() for c in params.blocked_categories}
        self.signs = SIGNS[params.amount_signs]

    def _kind(self, row: Row) -> str | None:
        return self._kind_of(row["kind"])

    def _kind_of(self, kind: Any) -> str | None:
        return self.kind_of.get(str(kind or "").strip().casefold())

    def _kinds(self, batch: Batch) -> Any:
        """Each row's kind as a number (``KIND_NUMBERS``), worked out once per distinct word."""
        import numpy as np

        return batch.mapped_array(
            "kind", lambda word: KIND_NUMBERS.get(self._kind_of(word), OTHER_KIND), np.int8
        )

    def _wrong_sign(self, kind: str | None, amount: Decimal) -> bool:
        """Whether ``amount`` has the sign the plan's convention forbids for ``kind``."""
        sign = self.signs.get(KIND_NUMBERS.get(kind, OTHER_KIND))
        return sign is not None and amount * sign < 0

    def _wrong_signs(self, batch: Batch, kinds: Any, ore: Any, exact: Mask) -> Mask:
        """``_wrong_sign`` for many rows: from the öre where they are exact, from the row's
        Decimal for whole öre beyond 64 bits; an amount in parts of öre is not judged."""
        import numpy as np

        wanted = np.zeros(len(batch), dtype=np.int64)
        for kind, sign in self.signs.items():
            wanted[kinds == kind] = sign
        wrong: Mask = exact & (wanted * np.sign(ore) < 0)
        for index in _indices(~exact & (wanted != 0) & ~batch.blank("amount")):
            amount = batch.row(index)["amount"]
            wrong[index] = _ore(amount) is not None and amount * int(wanted[index]) < 0
        return wrong

    def _wrong_sign_reason(self, row: Row) -> str:
        """The data-quality error of a row whose sign contradicts its kind: where, what it
        holds, what was expected, and the two ways to mend it."""
        kind = KIND_NUMBERS.get(self._kind(row), OTHER_KIND)
        if self.params.amount_signs == "positiva":
            expected = (
                'ett belopp utan minustecken (amount_signs = "positiva": typen säger åt vilket '
                "håll pengarna gick). Skriv en rättelse som en rad av den typ som går åt andra "
                'hållet, eller ange amount_signs = "med_tecken" om exporten har tecken efter '
                "riktning"
            )
        elif self.signs[kind] < 0:
            expected = 'ett belopp med minustecken (amount_signs = "med_tecken": pengar ut)'
        else:
            expected = 'ett belopp utan minustecken (amount_signs = "med_tecken": pengar in)'
        return (
            f"{self.context.cell(row, 'amount')}: beloppet {number(row['amount'])} kr för "
            f"{KIND_WORDS[kind]} har fel tecken; väntade {expected}. Raden räknas inte i saldot"
        )

    def _name(self, cashbox: str) -> str:
        """A handkassa as figures and findings name it: the ledger's spelling."""
        return self.names.get(cashbox) or self.other_names.get(cashbox) or cashbox

    def observe(self, row: Row) -> None:
        """Every ledger row, sampled or not, moves the book balance."""
        if row.role != "ledger":
            return
        cashbox = _key(row["cashbox"])
        if not cashbox:  # refused by in_population; no handkassa to move
            return
        self.names.setdefault(cashbox, str(row["cashbox"]).strip())
        if row["date"] is None or row["amount"] is None:
            return
        kind = self._kind(row)
        ore = _ore(row["amount"])
        if kind == "opening":
            if ore is not None:
                self.opened[cashbox] = (row["amount"], row["date"])
        elif (
            kind in ("purchase", "return", "refill")
            and ore is not None
            and not self._wrong_sign(kind, row["amount"])
        ):
            self.books.add(cashbox, row["date"], ore if kind == "refill" else -abs(ore))
            if self.context.period.contains(row["date"]):
                self.transactions[cashbox] += 1
                if kind == "purchase" and self.params.split_days is not None:
                    payer = _key(row["paid_by"])
                    entry = (row["date"], abs(row["amount"]), row.number)
                    self.by_payer[(cashbox, payer)].append(entry)

    def observe_batch(self, batch: Batch) -> None:
        """``observe`` for many rows: every handkassa's book moved at once, in öre."""
        import numpy as np

        if _role(batch) != "ledger" or not len(batch):
            return
        names, codes = batch.codes("cashbox")
        keys = [_key(name) for name in names]
        named = np.array([bool(key) for key in keys], dtype=np.bool_)[codes]
        days = batch.dates("date")
        has = named & ~np.isnat(days) & ~batch.blank("amount")
        kinds = self._kinds(batch)
        ore, exact = _amounts(batch)
        moving = has & (kinds >= PURCHASE) & (kinds <= RETURN)
        if (moving & ~exact).any():  # too fine, which stays out, or beyond 64 bits
            if any(_ore(batch.row(i)["amount"]) is not None for i in _indices(moving & ~exact)):
                batch.each_row(self.observe)  # kronor beyond what 64-bit sums hold
                return
            moving &= exact
        moving &= ~self._wrong_signs(batch, kinds, ore, exact)
        signed = np.where(kinds == REFILL, ore, -np.abs(ore))[moving]
        moved = np.zeros(len(keys), dtype=np.int64)
        np.add.at(moved, codes[moving], np.abs(signed))
        present = np.flatnonzero(np.bincount(codes[moving], minlength=len(keys)))
        if self.books.most_moved() + int(moved.max(initial=0)) >= _SAFE_BOOK and any(
            self.books.moved_by(keys[code]) + int(moved[code]) >= _SAFE_BOOK
            for code in present.tolist()
        ):
            batch.each_row(self.observe)
            return
        for key, name in zip(keys, names, strict=True):
            if key and key not in self.names:
                self.names[key] = str(name).strip()
        for index in _indices(has & (kinds == OPENING)):  # in row order: the last counts
            row = batch.row(index)
            if _ore(row["amount"]) is not None:
                self.opened[keys[codes[index]]] = (row["amount"], row["date"])
        book_rows = np.zeros(len(keys), dtype=np.intp)
        book_rows[present] = self.books.rows_of([keys[code] for code in present.tolist()])
        offsets = (days[moving] - np.datetime64(self.start, "D")).astype(np.int64)
        self.books.add_many(book_rows[codes[moving]], offsets, signed)
        in_period = moving & batch.between("date", self.start, self.end)
        _count(self.transactions, keys, codes[in_period])
        if self.params.split_days is not None:
            payers = batch.mapped("paid_by", _key)
            dates, amounts = batch.values("date"), batch.values("amount")
            numbers = batch.numbers
            for index in _indices(in_period & (kinds == PURCHASE)):
                entry = (dates[index], abs(amounts[index]), numbers[index])
                self.by_payer[(keys[codes[index]], payers[index])].append(entry)

    def in_population(self, row: Row) -> bool:
        """Purchases in the period; other rows count only for the balance."""
        kind = self._kind(row)
        if kind is None:
            self.reject(row, self._unknown_kind(row))
            return False
        if row["date"] is None or row["amount"] is None or not row["cashbox"]:
            self.reject(row, MISSING)
            return False
        if _ore(row["amount"]) is None:
            self.reject(row, _too_fine(row))
            return False
        if self._wrong_sign(kind, row["amount"]):
            self.reject(row, self._wrong_sign_reason(row))
            return False
        if _key(row["receipt"]) not in YES | NO:
            self.reject(row, self._bad_receipt(row))
            return False
        in_period = self.context.period.contains(row["date"])
        if kind != "purchase" or not in_period:
            # In the book, so used though no purchase: a refill or return of the period, an
            # opening row up to its end (the balance at its day, however early).
            if (kind in ("refill", "return") and in_period) or (
                kind == "opening" and row["date"] <= self.end
            ):
                self.used_outside_population += 1
            return False
        if not self.params.admits(row):
            self.excluded += 1
            return False
        return True

    def population_where(self, batch: Batch) -> Mask:
        """``in_population`` for many rows: the same refusals, in the same order."""
        import numpy as np

        kinds = self._kinds(batch)
        unknown = kinds == UNKNOWN_KIND
        missing = ~unknown & (
            np.isnat(batch.dates("date"))
            | batch.blank("amount")
            | batch.where("cashbox", lambda name: not name)
        )
        rest = ~unknown & ~missing
        ore, exact = _amounts(batch)
        too_fine = rest & ~exact
        for index in _indices(too_fine):  # or whole öre beyond 64 bits, which belong
            too_fine[index] = _ore(batch.row(index)["amount"]) is None
        rest &= ~too_fine
        wrong_sign = rest & self._wrong_signs(batch, kinds, ore, exact)
        rest &= ~wrong_sign
        bad_receipt = rest & batch.where("receipt", lambda text: _key(text) not in YES | NO)
        rest &= ~bad_receipt
        in_period = rest & batch.between("date", self.start, self.end)
        moving = in_period & ((kinds == REFILL) | (kinds == RETURN))
        opening = rest & (kinds == OPENING) & (batch.dates("date") <= np.datetime64(self.end, "D"))
        self.used_outside_population += int((moving | opening).sum())
        candidates = in_period & (kinds == PURCHASE)
        chosen = candidates & admitted(batch, self.params)
        self.excluded += int((candidates & ~chosen).sum())
        batch.reject_where(
            self,
            (unknown, self._unknown_kind),
            (missing, lambda row: MISSING),
            (too_fine, _too_fine),
            (wrong_sign, self._wrong_sign_reason),
            (bad_receipt, self._bad_receipt),
        )
        result: Mask = chosen
        return result

    def _bad_receipt(self, row: Row) -> str:
        """``_bad_receipt``'s reason for a row the book already holds (its amount was read)."""
        self.refused_in_book = row.number
        return _bad_receipt(row)

    def reject(self, row: Row, reason: str) -> None:
        """A ledger row left out of the book makes the balance unknown from its day on."""
        super().reject(row, reason)
        if row.role == "counts":
            self.unread_counts += 1
        if row.role != "ledger" or row.number == self.refused_in_book:
            return
        self.unread_rows += 1
        day = row["date"]
        if not isinstance(day, date) or "date" in row.errors:
            day = date.min
        key = "" if "cashbox" in row.errors else _key(row["cashbox"])
        self.unread[key] = min(self.unread.get(key, day), day)

    def _unknown_kind(self, row: Row) -> str:
        return f"okänd transaktionstyp {row['kind']!r}; väntade {self.known_kinds}"

    def feed(self, row: Row) -> None:
        if row.role == "counts":
            if row["cashbox"] and row["date"] and row["counted"] is not None:
                if self.context.period.contains(row["date"]):
                    cashbox = _key(row["cashbox"])
                    self.other_names.setdefault(cashbox, str(row["cashbox"]).strip())
                    self.counts.append((cashbox, row["date"], row["counted"], row.number))
                    if self.params.require_two_counters:
                        self._check_counters(row)
                else:
                    self.outside_rows += 1
            else:
                self.reject(row, "kassaräkningen saknar handkassa, datum eller räknat belopp")
            return
        self._judge_purchase(row)

    def feed_batch(self, batch: Batch) -> None:
        """``feed`` for many purchases: each rule a mask, the counters summed per handkassa,
        finding texts built only for purchases that break a rule. Cash counts, a few a month
        per handkassa, are fed row by row; so are sampled purchases (the engine feeds those
        with the reviewer's answers through ``feed``)."""
        import numpy as np

        if _role(batch) == "counts" or not len(batch):
            batch.each_row(self.feed)
            return
        ore, exact = _amounts(batch)
        if not exact.all():  # whole öre, but beyond what 64-bit sums hold
            batch.each_row(self.feed)
            return
        ore = np.abs(ore)
        names, codes = batch.codes("cashbox")
        keys = [_key(name) for name in names]
        cases = self._breach_masks(batch, ore, keys, codes)
        breaking = np.zeros(len(batch), dtype=np.bool_)
        for rule, mask in cases.items():
            breaking |= mask
            _count(self.rule_counts[rule], keys, codes[mask])
        _count(self.purchases, keys, codes)
        _count(self.deviating, keys, codes[breaking])
        if self.splitting:
            self.judged.add_many(batch.row_numbers)
            self.broke.add_many(batch.row_numbers[breaking])
        amounts = np.zeros(len(keys), dtype=np.int64)
        np.add.at(amounts, codes[breaking], ore[breaking])
        present = np.flatnonzero(np.bincount(codes[breaking], minlength=len(keys)))
        for code, amount in zip(present.tolist(), amounts[present].tolist(), strict=True):
            self.deviating_amount[keys[code]] += Decimal(amount).scaleb(-2)
        self._note_breaches_where(batch, breaking, cases, names, codes)

    def _note_breaches_where(
        self, batch: Batch, breaking: Mask, cases: dict[str, Mask], names: list[Any], codes: Any
    ) -> None:
        """``_note_breaches`` for every purchase that breaks a rule, in row order, each marked
        with its row: the texts made from the flagged rows' own values, a column at a time, and
        added to the log in one call, no ``Row`` built."""
        import numpy as np

        if not breaking.any():
            return
        rows = np.flatnonzero(breaking)
        # One finding per (row, rule) broken, in row order and then in the order _breaches
        # finds the rules: nonzero walks the rows' flags row by row.
        flags = np.stack([mask[rows] for mask in cases.values()], axis=1)
        row_of, rule_of = np.nonzero(flags)
        flagged = batch.take(breaking)
        lines: list[int] = flagged.numbers
        ids = flagged.values(self.key_field or "")
        days = self._day_texts(flagged.dates("date"))
        cashboxes = [names[code] for code in codes[rows].tolist()]
        heads = [f"{name} {day}: " for name, day in zip(cashboxes, days, strict=True)]
        if set(map(type, ids)) != {str} or "" in ids:  # a blank id, or one to make a text
            ids = [str(key) if key else f"rad {line}" for key, line in zip(ids, lines, strict=True)]
        amounts = list(map(abs, flagged.values("amount")))
        if len(row_of) > len(rows):  # a purchase breaking more than one rule: one row each
            picks: list[int] = row_of.tolist()
            heads, ids, amounts = ([column[i] for i in picks] for column in (heads, ids, amounts))
            lines = [lines[i] for i in picks]
        rules = [RULES[rule] for rule in cases]
        texts = list(map(operator.add, heads, [rules[rule] for rule in rule_of.tolist()]))
        self.findings.add_columns(ids, texts, lines, "avvikelse", amounts, lines)

    def _day_texts(self, days: Any) -> list[str]:
        """Each date as ``str(date)`` writes it, made once per distinct day of the run."""
        import numpy as np

        texts = self.day_texts
        ordinals: list[int] = days.astype(np.int64).tolist()
        for day in set(ordinals).difference(texts):
            texts[day] = str(date.fromordinal(_EPOCH + day))
        return [texts[day] for day in ordinals]

    def _breach_masks(self, batch: Batch, ore: Any, keys: list[str], codes: Any) -> dict[str, Mask]:
        """Per rule, the purchases that break it: ``_breaches`` as masks, asked once per
        distinct value of each field (``ore``: each purchase's amount in öre, without sign)."""
        import numpy as np

        p = self.params
        cases: dict[str, Mask] = {}
        if p.max_amount is not None:
            # Whole öre above the limit in öre, rounded down: the same as kronor above it.
            limit = int((p.max_amount * 100).to_integral_value(rounding=ROUND_FLOOR))
            cases["over_limit"] = ore > min(max(limit, -1), _SAFE_ORE)
        if p.require_receipt:
            cases["missing_receipt"] = batch.where("receipt", lambda text: _key(text) not in YES)
        if p.require_attest:
            people: dict[str, int] = {}

            def person(name: Any) -> int:
                return people.setdefault(_key(name), len(people))

            attested = batch.mapped_array("attested_by", person, np.intp)
            paid = batch.mapped_array("paid_by", person, np.intp)
            missing = attested == people.get("", -1)
            cases["missing_attest"] = missing
            cases["self_attested"] = ~missing & (attested == paid)
        if p.require_purpose:
            cases["missing_purpose"] = batch.where("purpose", _blank)
        if self.required:
            every = "*" in self.required
            named = np.array([every or key in self.required for key in keys], dtype=np.bool_)
            cases["missing_activity"] = named[codes] & batch.where("activity_ref", _blank)
        if self.blocked:
            blocked = self.blocked
            cases["blocked_category"] = batch.where("category", lambda text: _key(text) in blocked)
        return cases

    def _check_counters(self, row: Row) -> None:
        """Two different names in "räknat av"; the names themselves are never shown."""
        found = len(counters(str(row["counted_by"] or "")))
        if found < 2:
            cashbox, day = str(row["cashbox"]), row["date"]
            self.rule_counts["single_counter"][_key(cashbox)] += 1
            who = "ingen räknare angiven" if not found else "bara en räknare"
            self.findings.append(
                Finding(
                    reference=f"{cashbox} {day}",
                    row=row.number,
                    description=f"{cashbox} {day}: kassaräkning med {who}; två krävs",
                )
            )

    def _split_purchases(self) -> None:
        """Each split purchase is a finding; each judged purchase in one is a deviating
        purchase, unless it already was one for another rule."""
        limit, days_apart = self.params.max_amount, self.params.split_days
        if limit is None or days_apart is None:
            return
        payers = sorted(self.by_payer.items(), key=lambda item: (self._name(item[0][0]), item[0]))
        for (cashbox, _), purchases in payers:
            name = self._name(cashbox)
            dated = [(day, amount) for day, amount, _ in purchases]
            for group in split_groups(dated, days_apart, limit):
                dates = [purchases[i][0] for i in group]
                total = sum((purchases[i][1] for i in group), Decimal(0))
                self.rule_counts["split_purchases"][cashbox] += 1
                for _, amount, line in (purchases[i] for i in group):
                    if line not in self.judged:
                        continue
                    self.rule_counts["split_parts"][cashbox] += 1
                    if line not in self.broke:
                        self.broke.add(line)
                        self.deviating[cashbox] += 1
                        self.deviating_amount[cashbox] += amount
                self.findings.append(
                    Finding(
                        reference=f"{name} {dates[0]}–{dates[-1]}",
                        amount=total,
                        description=(
                            f"{name}: {len(group)} inköp av samma person {dates[0]}–"
                            f"{dates[-1]}, vart och ett högst {number(limit, 0)} kr men "
                            f"sammanlagt {number(total)} kr"
                        ),
                    )
                )

    def _missing_months(self, cashbox: str, days: list[date]) -> None:
        period, name = self.context.period, self._name(cashbox)
        for first, last in months_without_count(period.start, period.end, days):
            self.rule_counts["missing_month_counts"][cashbox] += 1
            self.findings.append(
                Finding(
                    reference=f"{name} {first:%Y-%m}",
                    description=f"{name}: ingen kassaräkning {first} – {last}",
                )
            )

    def _breaches(self, row: Row) -> list[str]:
        p = self.params
        amount: Decimal = abs(row["amount"])
        cashbox = _key(row["cashbox"])
        found = []
        if p.max_amount is not None and amount > p.max_amount:
            found.append("over_limit")
        if p.require_receipt:
            if row.review is not None:
                has_receipt = bool(row.review["kvitto"])
            else:
                has_receipt = _key(row["receipt"]) in YES
            if not has_receipt:
                found.append("missing_receipt")
        if p.require_attest:
            attested = _key(row["attested_by"])
            if not attested:
                found.append("missing_attest")
            elif attested == _key(row["paid_by"]):
                found.append("self_attested")
        if p.require_purpose and _blank(row["purpose"]):
            found.append("missing_purpose")
        named = "*" in self.required or cashbox in self.required
        if named and _blank(row["activity_ref"]):
            found.append("missing_activity")
        if self.blocked and _key(row["category"]) in self.blocked:
            found.append("blocked_category")
        return found

    def _judge_purchase(self, row: Row) -> None:
        cashbox = _key(row["cashbox"])
        amount: Decimal = abs(row["amount"])
        self.purchases[cashbox] += 1
        breaches = self._breaches(row)
        for rule in breaches:
            self.rule_counts[rule][cashbox] += 1
        self._note_breaches(row, breaches)
        if breaches:
            self.deviating[cashbox] += 1
            self.deviating_amount[cashbox] += amount
        if self.splitting:
            self.judged.add(row.number)
            if breaches:
                self.broke.add(row.number)

    def _note_breaches(self, row: Row, breaches: list[str]) -> None:
        """One finding per rule the purchase breaks; it names the handkassa as the row does."""
        for rule in breaches:
            self.findings.add(
                self.reference(row),
                f"{row['cashbox']} {row['date']}: {RULES[rule]}",
                row.number,
                "avvikelse",
                abs(row["amount"]),
            )

    def merge(self, other: Check[Any]) -> None:
        """Add the state of a check fed the rows that follow this one's. Exact: the books are
        net changes per day in öre (a sum, in any order); the ledger's last opening row is the
        other's when it has one; counts and each person's purchases keep their row order."""
        assert isinstance(other, Handkassa)
        self.merge_counts(other)
        for key, name in other.names.items():
            self.names.setdefault(key, name)
        for key, name in other.other_names.items():
            self.other_names.setdefault(key, name)
        self.books.merge(other.books)
        self.opened.update(other.opened)
        for key, day in other.unread.items():
            self.unread[key] = min(self.unread.get(key, day), day)
        self.unread_rows += other.unread_rows
        self.unread_counts += other.unread_counts
        self.used_outside_population += other.used_outside_population
        self.counts.extend(other.counts)
        for mine, theirs in (
            (self.purchases, other.purchases),
            (self.transactions, other.transactions),
            (self.deviating, other.deviating),
            *((self.rule_counts[rule], counts) for rule, counts in other.rule_counts.items()),
        ):
            mine.update(theirs)
        for key, amount in other.deviating_amount.items():
            self.deviating_amount[key] += amount
        for payer, purchases in other.by_payer.items():
            self.by_payer[payer].extend(purchases)
        self.judged.merge(other.judged)
        self.broke.merge(other.broke)
        self.excluded += other.excluded

    def _opening(self, cashbox: str) -> tuple[Decimal, date | None]:
        """The opening balance and the day it holds at (the start of): the ledger's last
        opening row, else the plan's at the period's start, else 0 before the first row."""
        found = self.opened.get(cashbox)
        if found is not None:
            return found
        if cashbox in self.opening:
            return self.opening[cashbox], self.context.period.start
        return Decimal(0), None

    def _known(self, cashbox: str, day: date, since: date | None) -> bool:
        """Whether the book balance at the end of ``day`` is known: the opening balance holds
        by then, and no row of this handkassa (or of none named) from the opening's day up to
        ``day`` was left out of the book as unreadable (a row without a date may be any day)."""
        if since is not None and day < since:
            return False
        for key in (cashbox, ""):
            first = self.unread.get(key)
            if first is None or first > day:
                continue
            if first == date.min or since is None or first >= since:
                return False
        return True

    def _reconcile(self) -> None:
        tolerance = self.params.tolerance
        by_box: dict[str, list[tuple[date, Decimal, int]]] = defaultdict(list)
        for cashbox, day, counted, row in self.counts:
            by_box[cashbox].append((day, counted, row))
        start = self.context.period.start.toordinal()
        for cashbox, counts in by_box.items():
            (opening, since), name = self._opening(cashbox), self._name(cashbox)
            balances = self.books.balances(cashbox, since)  # a count is dated in the period
            for day, counted, row in sorted(counts):
                if not self._known(cashbox, day, since):
                    self.unknown_counts[cashbox] += 1
                    continue
                balance = Decimal(opening) + Decimal(balances[day.toordinal() - start]) / 100
                difference = counted - balance
                if abs(difference) > tolerance:
                    self.rule_counts["reconciliation_differences"][cashbox] += 1
                    self.findings.add(
                        f"{name} {day}",
                        f"{name} {day}: räknat {number(counted)} kr, enligt kassaboken "
                        f"{number(balance)} kr (skillnad {number(difference)} kr)",
                        row,
                        "avvikelse",
                        difference,
                    )

    def _unknown_cause(self) -> str:
        """Why counts could not be reconciled, without a full stop (``missing_figure``)."""
        unknown = sum(self.unknown_counts.values())
        counts = count_word(unknown, "kassaräkning", "kassaräkningar")
        if not self.unread_rows:  # only counts dated before the ledger's opening row
            return (
                f"om {counts} stämde med kassaboken går inte att säga, eftersom de gjordes "
                "före kassabokens ingående saldo"
            )
        rows = count_word(self.unread_rows, "rad", "rader")
        return (
            f"om {counts} stämde med kassaboken går inte att säga, eftersom {rows} i "
            "kassaboken inte kunde läsas (se avvikelser/)"
        )

    def missing_figure(self, name: str) -> str | None:
        """A difference figure is missing only when a count's book balance was unknown."""
        if name.rpartition(".")[2] != "reconciliation_differences" or not self.unknown_counts:
            return None
        cause = self._unknown_cause()
        return f"{cause[0].upper()}{cause[1:]}"

    def _gaps(self, rule: str, cashbox: str, days: list[date], limit: int | None) -> None:
        if limit is None:
            return
        period, name = self.context.period, self._name(cashbox)
        edges = [date.fromordinal(period.start.toordinal() - 1), *sorted(set(days)), period.end]
        for before, after in pairwise(edges):
            if (after - before).days > limit:
                self.rule_counts[rule][cashbox] += 1
                what = "ingen kassaräkning" if rule == "missing_counts" else "inte använd"
                since = max(before, period.start)
                self.findings.append(
                    Finding(
                        reference=f"{name} {since}–{after}",
                        description=f"{name}: {what} på {(after - before).days} dagar "
                        f"({since} – {after}); högst {limit} dagar",
                    )
                )

    def outcome(self) -> Outcome:
        self._reconcile()
        self._split_purchases()
        counted_days: dict[str, list[date]] = defaultdict(list)
        for cashbox, day, _, _ in self.counts:
            counted_days[cashbox].append(day)
        keys = set(self.books.keys()) | set(counted_days) | set(self.opening) | set(self.opened)
        boxes = sorted(keys, key=self._name)
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
            if p.max_idle_days is not None:
                self._gaps(
                    "unused_periods", cashbox, self.books.used_days(cashbox), p.max_idle_days
                )
        metrics: dict[str, float | int] = {"excluded": self.excluded}
        for prefix, pick in [("", None), *((f"{self._name(b)}.", b) for b in boxes)]:

            def total(counter: Counter[str], pick: str | None = pick) -> int:
                return counter[pick] if pick is not None else sum(counter.values())

            purchases = total(self.purchases)
            metrics[f"{prefix}transactions"] = total(self.transactions)
            metrics[f"{prefix}purchases"] = purchases
            metrics[f"{prefix}deviations"] = total(self.deviating)
            metrics[f"{prefix}split_parts"] = total(self.rule_counts["split_parts"])
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
            unknown = total(self.unknown_counts)
            metrics[f"{prefix}unreconciled_counts"] = unknown
            if unknown:  # a count whose book balance is unknown has no difference to count
                del metrics[f"{prefix}reconciliation_differences"]
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
                f"{RULES[r]} {int(metrics[r])}" for r in RULES if r not in BOOK_RULES and metrics[r]
            ]
            if metrics["split_parts"]:
                parts.append(f"del av ett uppdelat inköp {int(metrics['split_parts'])}")
            text += f" ({', '.join(parts)})."
        else:
            text += "inga avvikelser i inköpen."
        counts = sum(self.rule_counts["reconciliation_differences"].values())
        unknown = int(metrics["unreconciled_counts"])
        if counts:
            text += (
                f" {count_word(counts, 'kassaräkning', 'kassaräkningar')} stämde inte med "
                "kassaboken."
            )
        if unknown:
            # The book lacks rows that could not be read: a count that seems to agree may not.
            cause = self._unknown_cause()
            text += f" {cause[0].upper()}{cause[1:]}."
        elif not counts:
            which = " som kunde läsas" if self.unread_counts else ""
            text += f" Alla kassaräkningar{which} stämde med kassaboken."
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
