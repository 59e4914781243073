"""The IVO lines kept on disk give back, in order, what was added one by one, a batch at a time
and from another part; the worksheet shows them, chunk by chunk, as a plain list would."""

from __future__ import annotations

from internkontroll_checks.ivo_lines import QuarterLines, ShownLines

from internkontroll.spill import CHUNK


def line(number: int) -> list[str | int | None]:
    return ["2024-Q1", f"B{number}", number]


def test_lines_added_every_way_come_back_in_order_a_chunk_at_most_held() -> None:
    lines, other, expected = QuarterLines(), QuarterLines(), []
    for number in range(CHUNK + 10):  # the row path: one at a time
        lines.append(line(number))
        expected.append(line(number))
    batch = [line(number) for number in range(CHUNK + 10, 3 * CHUNK + 7)]
    lines.extend(batch)  # a batch's lines
    expected.extend(batch)
    other.extend([line(-1)])
    other.extend([line(number) for number in range(-2, -CHUNK - 900, -1)])
    lines.extend(other)  # another part's, merged
    expected.extend(other)
    assert list(lines) == expected
    assert len(lines) == len(expected) == 4 * CHUNK + 906
    assert all(len(chunk) <= CHUNK for chunk in lines.chunks())
    assert lines.held() < CHUNK  # the rest is on disk
    assert list(lines) == expected  # read again, the same


def test_shown_lines_are_each_quarters_lines_shown_in_turn() -> None:
    first, second = QuarterLines(), QuarterLines()
    first.extend([line(number) for number in range(CHUNK + 3)])
    second.append(line(-5))
    shown = ShownLines([first, second], lambda columns: list(columns[1]))
    assert len(shown) == CHUNK + 4
    assert list(shown) == [f"B{number}" for number in range(CHUNK + 3)] + ["B-5"]
    assert list(shown) == list(shown)
