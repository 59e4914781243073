"""The columns of a batch: one typed column per field, kept as arrays, turned into Python values
only when a check asks for them.

Text is a pyarrow string array (null where blank), a date a numpy ``datetime64[D]`` array (NaT
where blank), a decimal or an integer a numpy array of Python objects (``Decimal``, ``int``), so
that every value a check reads is the very value the row reader gives. Imported only when a run
makes batches: numpy and pyarrow stay out of ``--help``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from internkontroll import arrow_kernels as pc  # pyarrow.compute's kernels, without its import
from internkontroll.values import FieldType

if TYPE_CHECKING:
    import numpy.typing as npt

    Days = npt.NDArray[np.datetime64]
    Codes = npt.NDArray[np.intp]
    Indices = npt.NDArray[np.intp]


def _keep_pandas_out() -> None:
    """pyarrow imports pandas, if it is installed, the first time it converts a value (half a
    second and 50 MB); internkontroll never hands it a pandas object, so pyarrow's one look for
    pandas is answered "not here". pandas itself is untouched (``import pandas`` still works),
    and the columns below never ask pyarrow for numpy arrays or untyped scalars, the calls that
    would look again: ``ints`` and ``bools`` read the arrays' buffers instead."""
    if "pandas" in sys.modules:
        return

    class _NotHere:
        @staticmethod
        def find_spec(name: str, *_: object) -> None:
            if name == "pandas" or name.startswith("pandas."):
                raise ImportError("pandas is not used by internkontroll's columns")

    sys.meta_path.insert(0, _NotHere)
    try:
        pa.lib._pandas_api.have_pandas  # noqa: B018 - asks, and remembers the answer
    finally:
        sys.meta_path.remove(_NotHere)


_keep_pandas_out()

# A run's arrays are a block's few megabytes, made and freed again block after block: the
# system allocator gives the memory back, where pyarrow's default (mimalloc) keeps some 20 MB
# more resident for the whole run. A user's own choice (the environment variable) stands.
if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
    pa.set_memory_pool(pa.system_memory_pool())

EMPTY = pa.scalar("", pa.string())
NULL = pa.scalar(None, pa.string())


def ints(array: pa.Array) -> npt.NDArray[Any]:
    """An integer array without nulls as a numpy view of its buffer."""
    if not len(array):
        return np.zeros(0, dtype=np.int64)
    assert not array.null_count
    kind = "u" if pa.types.is_unsigned_integer(array.type) else "i"
    dtype = np.dtype(f"{kind}{array.type.bit_width // 8}")
    view: npt.NDArray[Any] = np.frombuffer(
        array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize
    )
    return view


def _bits(buffer: Any, offset: int, length: int) -> npt.NDArray[np.bool_]:
    bits = np.unpackbits(np.frombuffer(buffer, np.uint8), bitorder="little")
    flags: npt.NDArray[np.bool_] = bits[offset : offset + length].astype(np.bool_)
    return flags


def bools(array: pa.Array) -> npt.NDArray[np.bool_]:
    """A boolean array as numpy (null as False)."""
    if not len(array):
        return np.zeros(0, dtype=np.bool_)
    validity, data = array.buffers()
    flags = _bits(data, array.offset, len(array))
    if validity is not None and array.null_count:
        flags &= _bits(validity, array.offset, len(array))
    return flags


def index_array(indices: npt.NDArray[Any]) -> pa.Array:
    """``indices`` as an arrow int64 array (``pc.from_numpy``: no ``numpy.ma``)."""
    return pc.from_numpy(np.asarray(indices, dtype=np.int64))


# What ``str.strip()`` removes: a text cell is trimmed in arrow exactly as the row reader trims.
WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


class Column:
    """A field's values for the rows of a batch, in row order."""

    def __len__(self) -> int:
        raise NotImplementedError

    def value(self, index: int) -> Any:
        raise NotImplementedError

    def values(self) -> list[Any]:
        raise NotImplementedError

    def take(self, indices: Indices) -> Column:
        raise NotImplementedError

    def slice(self, start: int, stop: int) -> Column:
        raise NotImplementedError

    def days(self) -> Days:
        return np.array(self.values(), dtype="datetime64[D]")

    def codes(self) -> tuple[list[Any], Codes]:
        """Distinct values, first seen first, and each row's index into them."""
        index: dict[Any, int] = {}
        codes = [index.setdefault(value, len(index)) for value in self.values()]
        return list(index), np.array(codes, dtype=np.intp)

    def blank(self) -> npt.NDArray[np.bool_]:
        """Rows whose value is None (blank, or a cell in error)."""
        return np.array([value is None for value in self.values()], dtype=np.bool_)

    def arrow(self) -> pa.Array:
        return pa.array(self.values())

    def hundredths(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """Each value in whole hundredths (öre), and whether it has them: None, or a value with
        more than two decimals that are not zeros, has not."""
        exact = np.zeros(len(self), dtype=np.bool_)
        amounts = np.zeros(len(self), dtype=np.int64)
        for index, value in enumerate(self.values()):
            _hundredths(value, index, amounts, exact)
        return amounts, exact


# Bytes a text may begin or end with when it has whitespace to trim: ASCII whitespace, the lead
# bytes of the UTF-8 whitespace characters, and every continuation byte (a character's last).
_EDGE = np.zeros(256, dtype=np.bool_)
_EDGE[[ord(c) for c in WHITESPACE if ord(c) < 128]] = True
_EDGE[[0xC2, 0xE1, 0xE2, 0xE3]] = True
_EDGE[0x80:0xC0] = True


def _layout(array: pa.Array) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8] | None]:
    """A string array's offsets and bytes, as numpy views of its buffers."""
    _, offsets, data = array.buffers()
    starts = np.frombuffer(offsets, np.int32, count=len(array) + 1, offset=array.offset * 4)
    return starts, None if data is None else np.frombuffer(data, np.uint8)


def _nulled(array: pa.Array) -> pa.Array:
    """``array`` with its empty strings null."""
    return pc.if_else(pc.equal(array, EMPTY), NULL, array)


class TextColumn(Column):
    """Text as a pyarrow string array, null where the cell is blank."""

    def __init__(self, array: pa.Array) -> None:
        self.array = array

    @classmethod
    def from_raw(cls, raw: pa.Array) -> TextColumn:
        """Cells as read: trimmed as ``str.strip`` trims, and blank cells null. Most cells need
        neither, which their first and last bytes show: only then does arrow do the work."""
        if raw.type != pa.string() or raw.null_count:
            return cls(_nulled(pc.utf8_trim(raw, characters=WHITESPACE)))
        offsets, data = _layout(raw)
        lengths = np.diff(offsets)
        if data is None or not len(raw):
            return cls(_nulled(raw))
        filled = lengths > 0
        first = data[offsets[:-1][filled]]
        last = data[offsets[1:][filled] - 1]
        if _EDGE[first].any() or _EDGE[last].any():
            return cls(_nulled(pc.utf8_trim(raw, characters=WHITESPACE)))
        return cls(raw if filled.all() else _nulled(raw))

    def __len__(self) -> int:
        return len(self.array)

    def value(self, index: int) -> Any:
        return self.array[index].as_py()

    def values(self) -> list[Any]:
        values: list[Any] = self.array.to_pylist()
        return values

    def take(self, indices: Indices) -> Column:
        return TextColumn(pc.take(self.array, index_array(indices)))

    def slice(self, start: int, stop: int) -> Column:
        return TextColumn(self.array.slice(start, stop - start))

    def codes(self) -> tuple[list[Any], Codes]:
        encoded = pc.dictionary_encode(self.array, null_encoding="encode")
        if isinstance(encoded, pa.ChunkedArray):  # pragma: no cover - a plain array gives one
            encoded = encoded.combine_chunks()
        uniques: list[Any] = encoded.dictionary.to_pylist()
        codes = ints(encoded.indices).astype(np.intp)
        return uniques, codes

    def blank(self) -> npt.NDArray[np.bool_]:
        return bools(pc.is_null(self.array))

    def arrow(self) -> pa.Array:
        return self.array


class DayColumn(Column):
    """Dates as ``datetime64[D]``, NaT where blank; read back as ``date`` objects or None."""

    def __init__(self, days: Days) -> None:
        self.array = days

    def __len__(self) -> int:
        return len(self.array)

    def value(self, index: int) -> Any:
        return self.array[index].item()

    def values(self) -> list[Any]:
        values: list[Any] = self.array.astype(object).tolist()
        return values

    def take(self, indices: Indices) -> Column:
        return DayColumn(self.array[indices])

    def slice(self, start: int, stop: int) -> Column:
        return DayColumn(self.array[start:stop])

    def days(self) -> Days:
        return self.array

    def codes(self) -> tuple[list[Any], Codes]:
        if not len(self.array):
            return [], np.zeros(0, dtype=np.intp)
        distinct, first, inverse = np.unique(
            self.array.view(np.int64), return_index=True, return_inverse=True
        )
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        uniques: list[Any] = distinct[order].view("datetime64[D]").astype(object).tolist()
        return uniques, rank[inverse.reshape(-1)].astype(np.intp)

    def blank(self) -> npt.NDArray[np.bool_]:
        mask: npt.NDArray[np.bool_] = np.isnat(self.array)
        return mask

    def arrow(self) -> pa.Array:
        return pa.array(self.array, type=pa.date32())


class ObjectColumn(Column):
    """Decimals and integers as the Python objects the parsers give, None where blank."""

    def __init__(self, objects: npt.NDArray[np.object_]) -> None:
        self.array = objects

    def __len__(self) -> int:
        return len(self.array)

    def value(self, index: int) -> Any:
        return self.array[index]

    def values(self) -> list[Any]:
        values: list[Any] = self.array.tolist()
        return values

    def take(self, indices: Indices) -> Column:
        return ObjectColumn(self.array[indices])

    def slice(self, start: int, stop: int) -> Column:
        return ObjectColumn(self.array[start:stop])


def _hundredths(
    value: Any, index: int, amounts: npt.NDArray[np.int64], exact: npt.NDArray[np.bool_]
) -> None:
    if value is not None:
        scaled = value * 100
        if scaled == scaled.to_integral_value() and abs(scaled) < 1 << 62:
            amounts[index], exact[index] = int(scaled), True


class DecimalColumn(Column):
    """Decimals: a cell in plain form (digits, maybe a decimal mark and digits) kept as its text
    with the mark as '.', made a ``Decimal`` only when a value is asked for (a ledger's amounts
    are nearly all distinct, so parsing them in Python would cost a call per row); any other
    cell's value as the parser gave it (None where blank)."""

    def __init__(self, plain: pa.Array, other: npt.NDArray[np.object_]) -> None:
        self.plain = plain  # null where the cell is not plain
        self.other = other  # None where the cell is plain

    def __len__(self) -> int:
        return len(self.other)

    def value(self, index: int) -> Any:
        text = self.plain[index].as_py()
        return self.other[index] if text is None else Decimal(text)

    def values(self) -> list[Any]:
        return [
            other if text is None else Decimal(text)
            for text, other in zip(self.plain.to_pylist(), self.other.tolist(), strict=True)
        ]

    def take(self, indices: Indices) -> Column:
        return DecimalColumn(pc.take(self.plain, index_array(indices)), self.other[indices])

    def slice(self, start: int, stop: int) -> Column:
        return DecimalColumn(self.plain.slice(start, stop - start), self.other[start:stop])

    def blank(self) -> npt.NDArray[np.bool_]:
        mask: npt.NDArray[np.bool_] = bools(pc.is_null(self.plain)) & (
            self.other == None  # noqa: E711 - elementwise on an object array
        )
        return mask

    def hundredths(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """The plain cells with at most two decimals in one cast to ``decimal128`` with two
        decimals, whose 128-bit integers are the öre (a plain cell's value is below a trillion,
        so the low 64 bits hold it, sign and all); any other cell as ``Column.hundredths``
        reads it, from its ``Decimal``."""
        amounts = np.zeros(len(self), dtype=np.int64)
        exact = np.zeros(len(self), dtype=np.bool_)
        short = _short_plain(self.plain)
        if short is not None:
            chosen = self.plain if short.all() else pc.if_else(short, self.plain, NULL)
            try:
                cast = pc.cast(chosen, _CENTS)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass  # not plain after all: each cell is read from its Decimal below
            else:
                amounts = np.where(short, _low_words(cast), 0)
                exact = short
        rest = np.flatnonzero(~exact)
        if len(rest):
            texts, others = pc.take(self.plain, index_array(rest)).to_pylist(), self.other[rest]
            for index, text, other in zip(rest.tolist(), texts, others.tolist(), strict=True):
                _hundredths(other if text is None else Decimal(text), index, amounts, exact)
        return amounts, exact


_CENTS = pa.decimal128(18, 2)


def _short_plain(plain: pa.Array) -> npt.NDArray[np.bool_] | None:
    """The plain cells with at most two decimals, which a cast to ``_CENTS`` reads exactly;
    None where there are none (or where the machine is big-endian: see ``_low_words``)."""
    if plain.type != pa.string() or plain.null_count == len(plain) or sys.byteorder != "little":
        return None
    found = pc.find_substring(plain, ".")  # the mark's byte, -1 without one
    dots = np.frombuffer(found.buffers()[1], np.int32, count=len(found), offset=found.offset * 4)
    offsets, _ = _layout(plain)
    mask = bools(pc.is_valid(plain)) & ((dots < 0) | (np.diff(offsets) - dots <= 3))
    return mask if mask.any() else None


def _low_words(cast: pa.Array) -> npt.NDArray[np.int64]:
    """A ``decimal128`` array's integers as int64: the low half of each (little-endian)
    128-bit integer, which is the whole value, sign and all, for a value below 2**63 in size;
    whatever a null slot holds."""
    words = np.frombuffer(cast.buffers()[1], np.int64, count=2 * len(cast), offset=cast.offset * 16)
    return words[::2]


def objects(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    """A 1-d object array of ``values`` (never a 2-d one, whatever the values are)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def column_of(kind: FieldType, values: Sequence[Any]) -> Column:
    """A column of typed values as the row reader gives them (None where blank)."""
    if kind == "text":
        return TextColumn(pa.array(values, type=pa.string()))
    if kind == "date":
        return DayColumn(np.array(values, dtype="datetime64[D]"))
    return ObjectColumn(objects(values))


def concat(columns: Sequence[Column]) -> Column:
    """The columns one after another (all of one kind)."""
    first = columns[0]
    if len(columns) == 1:
        return first
    if isinstance(first, TextColumn):
        return TextColumn(pa.concat_arrays([c.array for c in columns]))  # type: ignore[attr-defined]
    if isinstance(first, DayColumn):
        return DayColumn(np.concatenate([c.array for c in columns]))  # type: ignore[attr-defined]
    if isinstance(first, DecimalColumn) or any(isinstance(c, DecimalColumn) for c in columns):
        parts = [_as_decimals(c) for c in columns]
        return DecimalColumn(
            pa.concat_arrays([c.plain for c in parts]), np.concatenate([c.other for c in parts])
        )
    return ObjectColumn(np.concatenate([c.array for c in columns]))  # type: ignore[attr-defined]


def _as_decimals(column: Column) -> DecimalColumn:
    if isinstance(column, DecimalColumn):
        return column
    assert isinstance(column, ObjectColumn)
    return DecimalColumn(pa.nulls(len(column), pa.string()), column.array)
