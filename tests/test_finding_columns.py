"""Findings added a column at a time (``FindingLog.add_columns``) are the findings ``add`` makes
one at a time: the same ``Finding`` objects back, in the same order when the log is held (by
position, then in the order made), and the same bytes in avvikelser/. A chunk kept as its CSV
lines gives back exactly what was added, whatever its cells hold.

The expected order comes from a plain reference: the findings sorted by position, stably.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.findings_csv import write_findings
from internkontroll.outcome import Finding, FindingLog
from internkontroll.privacy import contains_personnummer
from internkontroll.spill import CHUNK, TextSpill

texts = st.text(
    alphabet=st.sampled_from([*list("ab;\"' \n\r\t=+-@0123456789åÄ,."), "–", "１", "\u2028"]),
    max_size=12,
)
amounts = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.just(Decimal("-1E+3")),
)
entries = st.tuples(
    texts,
    texts,
    st.one_of(st.none(), st.integers(min_value=0, max_value=10**7)),
    st.integers(min_value=0, max_value=6),  # the position the finding is made at
    amounts,
)
groups = st.lists(
    st.tuples(st.sampled_from(["avvikelse", "datakvalitet"]), st.lists(entries, max_size=8)),
    max_size=6,
)


def filler(count: int) -> list[Finding]:
    return [
        Finding(reference=f"B{n:06d}", description=f"sent {n} dagar", row=n + 2)
        for n in range(count)
    ]


def as_finding(entry: tuple[str, str, int | None, int, Decimal | None], kind: str) -> Finding:
    reference, description, row, _, amount = entry
    return Finding(reference=reference, description=description, row=row, kind=kind, amount=amount)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(groups, st.integers(min_value=0, max_value=CHUNK + 30), st.booleans())
def test_columns_give_what_findings_one_at_a_time_give(
    tmp_path_factory: pytest.TempPathFactory,
    made: list[tuple[str, list[tuple[str, str, int | None, int, Decimal | None]]]],
    before: int,
    held: bool,
) -> None:
    one, columns = FindingLog(filler(before)), FindingLog(filler(before))
    expected: list[tuple[int, int, Finding]] = []
    if held:
        one.hold()
        columns.hold()
    for kind, entries_ in made:
        for entry in entries_:
            one.position = entry[3]
            one.add(entry[0], entry[1], entry[2], kind, entry[4])  # type: ignore[arg-type]
            expected.append((entry[3], len(expected), as_finding(entry, kind)))
        columns.add_columns(
            [e[0] for e in entries_],
            [e[1] for e in entries_],
            [e[2] for e in entries_],
            kind,  # type: ignore[arg-type]
            [e[4] for e in entries_],
            [e[3] for e in entries_],
        )
    if held:
        expected.sort(key=lambda item: item[0])  # stable: the order made within a position
    found = filler(before) + [finding for _, _, finding in expected]
    assert len(columns) == len(found)
    assert list(columns) == found
    assert list(one) == found
    if not any(contains_personnummer(str(v)) for f in found for v in f.model_dump().values()):
        folder = tmp_path_factory.mktemp("k")
        write_findings(folder / "a.csv", folder / "a.csv", "K1", one)
        write_findings(folder / "b.csv", folder / "b.csv", "K1", columns)
        assert (folder / "a.csv").read_bytes() == (folder / "b.csv").read_bytes()


def test_without_positions_a_held_log_puts_them_all_at_the_current_one() -> None:
    log = FindingLog()
    log.hold()
    log.position = 9
    log.add_columns(["B9", "B9"], ["a", "b"], [9, 9])
    log.position = 5
    log.add("B5", "c", 5)
    log.release()
    assert [f.description for f in log] == ["c", "a", "b"]


def test_columns_are_refused_or_converted_as_findings_are() -> None:
    log = FindingLog()
    with pytest.raises(ValueError):
        log.add_columns(["B1"], ["a", "b"], [1, 2])
    with pytest.raises(ValueError):
        log.add_columns(["B1"], ["a"], [1], "annat")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        log.add_columns(["B1"], ["a"], [1], "avvikelse", [Decimal("NaN")])
    log.add_columns(["B1", "B2"], ["a", "b"], [True, 3], "avvikelse", [3, Decimal("1.50")])  # type: ignore[list-item]
    assert list(log) == [
        Finding(reference="B1", description="a", row=1, amount=Decimal(3)),
        Finding(reference="B2", description="b", row=3, amount=Decimal("1.50")),
    ]


@pytest.mark.parametrize(
    "odd",
    [
        "x" * 200_000,  # beyond the csv module's limit on one field
        'rad ett\r\nrad "två"; tre\n',
        "\r",
        "'=1+1",
        "",
        "\ud800 ensamt surrogat",
    ],
)
def test_a_kept_chunk_gives_back_exactly_what_was_added(odd: str) -> None:
    found = filler(2 * CHUNK + 3)
    found[5] = Finding(reference=odd, description=odd, row=0, amount=Decimal("-0.50"))
    found[CHUNK + 1] = Finding(reference="B", description=odd, row=None, kind="datakvalitet")
    log = FindingLog(found)
    assert list(log) == found
    again = FindingLog()
    again.extend(log)
    assert list(again) == found


def test_a_text_spill_keeps_texts_in_order() -> None:
    spill = TextSpill()
    texts_ = ["första", "\ud800x", "", "å" * 10_000]
    for text in texts_:
        spill.append(text)
    assert len(spill) == len(texts_)
    assert list(spill) == texts_
    assert list(spill) == texts_


def test_a_chunk_with_a_line_break_in_a_cell_is_written_as_rows_would_be(tmp_path: Path) -> None:
    from tests.test_finding_chunks import reference_findings_csv

    found = filler(CHUNK + 2)
    found[3] = Finding(reference="B\r\n3", description='två\nrader; "citat"', row=4)
    found[CHUNK] = Finding(reference="=B", description="\r", row=0)
    write_findings(tmp_path / "K.csv", tmp_path / "K.csv", "K 1;x", FindingLog(found))
    assert (tmp_path / "K.csv").read_bytes() == reference_findings_csv("K 1;x", found)


def test_a_log_with_chunks_on_disk_can_be_sent_with_pickle() -> None:
    import pickle

    found = filler(3 * CHUNK + 5)
    found[CHUNK + 2] = Finding(reference="B", description='två\r\nrader; "x"', row=0)
    log = FindingLog(found)
    log.hold()
    log.position = 1
    log.add("A", "hållen", 1)
    sent = pickle.loads(pickle.dumps(log))
    assert list(sent) == [*found, Finding(reference="A", description="hållen", row=1)]
    assert list(log) == list(sent)
