"""Findings kept and written in chunks give what one Finding at a time gave: the same findings
back, the same CSV bytes, and a personnummer in any field or cell still stops the control (with
the same words) or the file, wherever it falls: first or last in a chunk, on a boundary between
two, or in a chunk that was spilled to disk.

The expected answers come from plain reference code: a list of ``Finding``, a CSV written row by
row with ``csv_row``, and a search of every field or cell by itself.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.findings_csv import FINDING_COLUMNS, csv_texts, write_findings, write_table
from internkontroll.outcome import Finding, FindingLog, Outcome, ReportTable
from internkontroll.privacy import (
    LeakScanner,
    PersonnummerLeak,
    contains_personnummer,
    leak_in,
    scan,
)
from internkontroll.spill import CHUNK, SpillList

PERSONNUMMER = "19121212-1212"  # Luhn-valid; so are the other forms below
FORMS = ["19121212-1212", "121212-1212", "191212121212", "1212121212", "121212\u20131212"]
# Where a finding may fall: first, in the middle, last of the first chunk, first of the second
# (the boundary), and in a chunk pickled to disk.
PLACES = [0, 7, CHUNK - 1, CHUNK, 2 * CHUNK + 5]

texts = st.text(
    alphabet=st.sampled_from([*list("ab;\"' \n\r\t=+-@0123456789åÄ,."), "–", "１"]),
    max_size=20,
)
findings = st.builds(
    Finding,
    reference=texts,
    description=texts,
    row=st.one_of(st.none(), st.integers(min_value=0, max_value=10**7)),
    kind=st.sampled_from(["avvikelse", "datakvalitet"]),
    amount=st.one_of(
        st.none(),
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
        st.just(Decimal("-1E+3")),
    ),
)


def reference_findings_csv(control_id: str, found: list[Finding]) -> bytes:
    """avvikelser/ as it was written before chunks: one ``csv_row`` per finding."""
    from internkontroll.cell_safety import csv_row

    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_row(FINDING_COLUMNS))
    for f in found:
        # In plain digits: "-1E+3" is written -1000, as a spreadsheet reads a number.
        amount = "" if f.amount is None else format(f.amount, "f").replace(".", ",")
        writer.writerow(
            csv_row([control_id, f.reference, f.row or "", f.kind, f.description, amount])
        )
    return b"\xef\xbb\xbf" + text.getvalue().encode("utf-8")


def reference_leak(found: list[Finding]) -> str | None:
    for f in found:
        for field, text in (("referens", f.reference), ("beskrivning", f.description)):
            if contains_personnummer(text):
                place = f"avvikelsen på rad {f.row}" if f.row else "en avvikelse"
                return f"{place}, fältet {field}"
    return None


def plain(count: int) -> list[Finding]:
    return [
        Finding(reference=f"B{n:06d}", description=f"sent {n} dagar", row=n + 2)
        for n in range(count)
    ]


@settings(max_examples=40, deadline=None)
@given(st.lists(findings, max_size=30), st.integers(min_value=0, max_value=2 * CHUNK + 40))
def test_a_log_gives_back_what_was_added_and_writes_what_rows_would(
    tmp_path_factory: pytest.TempPathFactory, extra: list[Finding], filler: int
) -> None:
    found = plain(filler) + extra if filler % 2 else extra + plain(filler)
    log = FindingLog(found)
    assert len(log) == len(found)
    assert list(log) == found
    assert list(log) == found  # iterating twice, a spilled chunk read back twice
    path = tmp_path_factory.mktemp("csv") / "K1.csv"
    if reference_leak(found) is None and not any(
        contains_personnummer(str(f.amount)) or contains_personnummer(str(f.row)) for f in found
    ):
        write_findings(path, path, "K1", log)
        assert path.read_bytes() == reference_findings_csv("K1", found)
    assert leak_in(Outcome(findings=log)) == reference_leak(found)


@pytest.mark.parametrize("at", PLACES)
@pytest.mark.parametrize("field", ["reference", "description"])
def test_a_personnummer_in_a_finding_stops_the_control_wherever_it_falls(
    at: int, field: str
) -> None:
    found = plain(3 * CHUNK)
    found[at] = found[at].model_copy(update={field: f"x {PERSONNUMMER} y"})
    found[at + 3] = found[at + 3].model_copy(update={"reference": PERSONNUMMER})  # a later one
    expected = f"avvikelsen på rad {at + 2}, fältet {'referens' if field == 'reference' else 'beskrivning'}"
    assert reference_leak(found) == expected
    assert leak_in(Outcome(findings=FindingLog(found))) == expected
    held = FindingLog()
    held.hold()
    for finding in reversed(found):  # made in another order, put in row order when released
        held.position = finding.row or 0
        held.append(finding)
    assert leak_in(Outcome(findings=held)) == expected


@pytest.mark.parametrize("at", PLACES)
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("field", ["reference", "description", "amount", "row"])
def test_no_finding_with_a_personnummer_reaches_the_file(
    tmp_path: Path, at: int, form: str, field: str
) -> None:
    found = plain(3 * CHUNK)
    value: object = {
        "amount": Decimal(form.replace("-", "").replace("\u2013", "")),
        "row": int(form.replace("-", "").replace("\u2013", "")),
    }.get(field, form)
    found[at] = found[at].model_copy(update={field: value})
    path = tmp_path / "staging" / "K1.csv"
    with pytest.raises(PersonnummerLeak) as caught:
        write_findings(path, tmp_path / "ut" / "K1.csv", "K1", FindingLog(found))
    assert str(tmp_path / "ut" / "K1.csv") in str(caught.value)
    assert form not in path.read_text(encoding="utf-8-sig")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert not any(
            contains_personnummer(c) for row in csv.reader(handle, delimiter=";") for c in row
        )


def test_cells_that_only_look_like_one_together_are_written(tmp_path: Path) -> None:
    """'B000962' on row 1004: six digits, a space and four would be a samordningsnummer if the
    cells were read as one text; each cell alone holds none, so the finding is written."""
    assert contains_personnummer("B000962 1004")
    found = [Finding(reference="B000962", description="sent", row=1004)]
    path = tmp_path / "K1.csv"
    write_findings(path, path, "K1", FindingLog(found))
    assert path.read_bytes() == reference_findings_csv("K1", found)


def reference_table_csv(table: ReportTable) -> bytes:
    from internkontroll.cell_safety import csv_row

    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_row(table.columns))
    for row in table.rows:
        writer.writerow(csv_row(["" if cell is None else cell for cell in row]))
    return b"\xef\xbb\xbf" + text.getvalue().encode("utf-8")


cells = st.one_of(st.none(), st.integers(min_value=-(10**6), max_value=10**6), texts)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(cells, min_size=0, max_size=4), max_size=20), st.booleans())
def test_a_table_is_written_as_row_by_row(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[object]], spilled: bool
) -> None:
    filler: list[list[object]] = [["2024 Q1", f"B{n}", None, n] for n in range(CHUNK + 3)]
    kept: list[list[object]] | SpillList[list[object]] = filler + rows
    if spilled:
        kept = SpillList(filler + rows, keep=10)
    table = ReportTable(title="t", columns=["Kvartal", "Ärende-id", "Insats", "Dagar"], rows=kept)
    path = tmp_path_factory.mktemp("t") / "K2_t.csv"
    if any(contains_personnummer(str(cell)) for row in filler + rows for cell in row):
        with pytest.raises(PersonnummerLeak):
            write_table(path, path, table)
        return
    write_table(path, path, table)
    assert path.read_bytes() == reference_table_csv(table)


@pytest.mark.parametrize("at", [0, CHUNK - 1, CHUNK, 5000 + CHUNK + 2])
@pytest.mark.parametrize("column", [0, 1, 3])
def test_a_personnummer_in_a_table_cell_stops_the_control_and_the_file(
    tmp_path: Path, at: int, column: int
) -> None:
    columns = ["Kvartal", "Ärende-id", "Insats", "Dagar"]
    rows: SpillList[list[object]] = SpillList(
        [["2024 Q1", f"B{n}", "Hemtjänst", n] for n in range(2 * CHUNK + 5000)]
    )
    spoilt: list[list[object]] = []
    for index, row in enumerate(rows):
        if index == at:
            row = list(row)
            row[column] = PERSONNUMMER if column != 3 else 1212121212
        spoilt.append(row)
    table = ReportTable(title="t", columns=columns, rows=SpillList(spoilt))
    outcome = Outcome(findings=FindingLog(plain(10)), tables={"ivo": table})
    assert leak_in(outcome) == f"underlaget ivo, kolumnen {columns[column]}"
    with pytest.raises(PersonnummerLeak):
        write_table(tmp_path / "x.csv", tmp_path / "x.csv", table)
    assert PERSONNUMMER not in (tmp_path / "x.csv").read_text(encoding="utf-8-sig")


def test_a_cell_beyond_the_columns_is_not_named_but_is_never_written(tmp_path: Path) -> None:
    table = ReportTable(title="t", columns=["Ärende-id"], rows=[["B1", PERSONNUMMER]])
    assert leak_in(Outcome(tables={"ivo": table})) is None  # as before: only named columns
    with pytest.raises(PersonnummerLeak):
        write_table(tmp_path / "x.csv", tmp_path / "x.csv", table)


digits = st.text(alphabet="0123456789", min_size=0, max_size=14)
noise = st.text(
    alphabet=st.sampled_from([*list('0123456789abcdefx ;-+\n"'), "–", "\xa0", "１", "－"]),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(noise, digits, st.sampled_from([*FORMS, "b" * 40 + "1212121212"])), max_size=12
    ),
    st.integers(0, 3000),
)
def test_the_quick_search_finds_what_the_expression_finds(parts: list[str], padding: int) -> None:
    text = "".join(parts) + "\n" + "Enhet 237 2024-11-09: kvitto saknas;363,58\n" * (padding // 40)
    text = text + "".join(reversed(parts))
    assert scan(text) == contains_personnummer(text)


@pytest.mark.parametrize("form", FORMS)
def test_a_personnummer_split_between_two_pieces_is_found(form: str) -> None:
    line = f"K1;B1;2;avvikelse;hittade {form} här;\r\n"
    text = "kontroll;referens\r\n" + "K1;B0;1;avvikelse;ok;\r\n" * 3000 + line + "K1;B2;3;x;y;\r\n"
    start = text.index(form)
    for cut in range(start - 1, start + len(form) + 2):
        scanner = LeakScanner("ut/K1.csv")
        let_out = scanner.feed(text[:cut])
        assert form not in let_out
        with pytest.raises(PersonnummerLeak, match=r"ut/K1\.csv"):
            scanner.feed(text[cut:])
            scanner.close()


def test_a_clean_text_comes_out_whole_in_pieces() -> None:
    text = "a;b\r\n" + "K1;B0;1;avvikelse;sent 12 dagar;\r\n" * 500 + "sista utan radslut"
    scanner = LeakScanner("x")
    pieces = [scanner.feed(text[start : start + 97]) for start in range(0, len(text), 97)]
    assert "".join(pieces) + scanner.close() == text


def test_add_is_append_of_a_finding() -> None:
    made, added = FindingLog(), FindingLog()
    cases = [
        ("B1", "sent", 5, "avvikelse", Decimal("12.50")),
        ("B2", "saknas", None, "datakvalitet", None),
        ("B3", "x", True, "avvikelse", Decimal("1E+3")),  # a bool row: converted as before
        ("B4", "y", 7, "avvikelse", 3),  # an int amount: converted as before
    ]
    for reference, description, row, kind, amount in cases:
        made.append(
            Finding(reference=reference, description=description, row=row, kind=kind, amount=amount)
        )
        added.add(reference, description, row, kind, amount)  # type: ignore[arg-type]
    assert list(added) == list(made)
    with pytest.raises(ValueError):
        added.add("B5", "z", 1, "annat")  # type: ignore[arg-type]
    other = FindingLog(plain(CHUNK + 3))
    added.extend(other)
    assert list(added)[len(cases) :] == plain(CHUNK + 3)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=2, max_size=6), st.lists(texts, min_size=2, max_size=6))
def test_cells_are_quoted_as_the_csv_module_quotes_them(
    anything: list[str], likely: list[str]
) -> None:
    for cells in (anything, likely):
        text = io.StringIO()
        csv.writer(text, delimiter=";", lineterminator="\r\n").writerow(cells)
        assert ";".join(csv_texts(cells)) + "\r\n" == text.getvalue()
