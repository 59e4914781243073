"""The id hash alone (row path) and in bulk from arrow's bytes (batch path) are one function."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.batch import Batch
from internkontroll.columnar import Column, ObjectColumn, TextColumn, objects
from internkontroll.id_hash import LONGEST, MODULUS, PRIMES, id_hash, text_hashes

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=LONGEST + 10
)


def reference(text: str) -> int:
    """The text's UTF-8 bytes and a 1 byte, as one little-endian number, modulo the primes'
    product: written out byte by byte."""
    number = 0
    for place, byte in enumerate([*text.encode("utf-8"), 1]):
        number += byte * 256**place
    return number % (PRIMES[0] * PRIMES[1])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), texts), max_size=40), st.integers(0, 40), st.booleans())
def test_texts_hashed_in_bulk_are_hashed_as_one_by_one(
    values: list[str | None], cut: int, large: bool
) -> None:
    array = pa.array(values, type=pa.large_string() if large else pa.string())
    array = array.slice(min(cut, len(values)))  # a batch is often a slice of a larger array
    found = text_hashes(array).tolist()
    assert found == [id_hash(value) for value in array.to_pylist()]
    for value, hashed in zip(array.to_pylist(), found, strict=True):
        if value is not None:
            assert hashed == reference(value)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 30), st.lists(st.integers(0, 10**12), min_size=1, max_size=60))
def test_ids_of_one_length_side_by_side_are_hashed_as_one_by_one(
    width: int, numbers: list[int]
) -> None:
    """Ids of one length one after the other (an export's usual ids) take the short way."""
    values = [str(number).zfill(width)[-width:] for number in numbers]
    assert text_hashes(pa.array(values)).tolist() == [reference(value) for value in values]


def test_hashes_stay_below_the_modulus_and_tell_near_ids_apart() -> None:
    values = [f"B{number:08d}" for number in range(20_000)] + ["", "a", "a\x00", "é", "e"]
    found = text_hashes(pa.array(values)).tolist()
    assert all(0 < hashed < MODULUS for hashed in found)
    assert len(set(found)) == len(values)


def test_a_batch_hashes_text_in_bulk_and_other_values_one_by_one() -> None:
    store: dict[str, Column] = {
        "id": TextColumn(pa.array(["B1", None, "B2", "B1"])),
        "number": ObjectColumn(objects([7, None, -1, -2])),
    }
    batch = Batch.columnar(np.arange(2, 6), store, {})
    assert batch.hashes("id").tolist() == [id_hash(key) for key in ["B1", None, "B2", "B1"]]
    # an integer id keeps Python's hash, as before (hash(-1) == hash(-2))
    assert batch.hashes("number").tolist() == [hash(key) for key in [7, None, -1, -2]]
