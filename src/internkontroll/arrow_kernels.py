"""The pyarrow compute kernels the columns use, called by name without ``pyarrow.compute``.

Importing ``pyarrow.compute`` makes a Python wrapper, with a signature and a docstring, for
each of pyarrow's six hundred kernels: some 50 ms of CPU time on every run, a tenth of a
10 000-row run, for the dozen kernels read here. Each function below calls its kernel as that
wrapper would (``call_function`` with the same options), so every result is pyarrow's own.

The array methods ``take``, ``filter``, ``is_null``, ``is_valid`` and ``fill_null`` (and
``cast``, ``unique``, ``dictionary_encode``) import ``pyarrow.compute`` the first time they
are called: the batch path calls the functions here instead (a test holds a run to that).

A numpy array given to a kernel (indices, a mask) is laid over as an arrow array
(``from_numpy``): pyarrow's own conversion asks whether it is a masked array, and numpy
imports ``numpy.ma`` to answer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from pyarrow._compute import (
    CastOptions,
    DictionaryEncodeOptions,
    FilterOptions,
    MatchSubstringOptions,
    NullOptions,
    ReplaceSubstringOptions,
    SetLookupOptions,
    TakeOptions,
    TrimOptions,
)
from pyarrow._compute import call_function as _call_function

_TAKE = TakeOptions(boundscheck=True)
_DROP = FilterOptions(null_selection_behavior="drop")
_NULL = NullOptions(nan_is_null=False)


def from_numpy(values: Any) -> Any:
    """A one-dimensional numpy array of integers or booleans as the arrow array ``pa.array``
    makes of it (no nulls), over the same bytes for integers; other arrays as ``pa.array``
    makes them."""
    if values.dtype == np.bool_:
        packed = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(packed)])
    if values.dtype.kind in "iu" and values.dtype.isnative:
        data = np.ascontiguousarray(values)
        kind = pa.from_numpy_dtype(data.dtype)
        return pa.Array.from_buffers(kind, len(data), [None, pa.py_buffer(data)])
    return pa.array(values)


def call_function(name: str, args: list[Any], options: Any = None) -> Any:
    """pyarrow's ``call_function``, with numpy arguments laid over as arrow arrays."""
    arrow = [from_numpy(a) if isinstance(a, np.ndarray) else a for a in args]
    return _call_function(name, arrow, options)


def take(data: Any, indices: Any) -> Any:
    """``data.take(indices)``."""
    return call_function("take", [data, indices], _TAKE)


def filter(data: Any, mask: Any) -> Any:
    """``data.filter(mask)``: the rows where ``mask`` is true (null counts as false)."""
    return call_function("filter", [data, mask], _DROP)


def is_null(data: Any) -> Any:
    """``data.is_null()``."""
    return call_function("is_null", [data], _NULL)


def is_valid(data: Any) -> Any:
    """``data.is_valid()``."""
    return call_function("is_valid", [data])


def fill_null(values: Any, fill_value: Any) -> Any:
    """``values.fill_null(fill_value)``, a scalar of another type read as ``values``'s type."""
    if not isinstance(fill_value, (pa.Array, pa.ChunkedArray, pa.Scalar)):
        fill_value = pa.scalar(fill_value, type=values.type)
    elif values.type != fill_value.type:
        fill_value = pa.scalar(fill_value.as_py(), type=values.type)
    return call_function("coalesce", [values, fill_value])


def cast(data: Any, target_type: Any) -> Any:
    """``pc.cast(data, target_type)``: safe, refusing what would overflow or lose digits."""
    return call_function("cast", [data], CastOptions.safe(target_type))


def equal(left: Any, right: Any) -> Any:
    return call_function("equal", [left, right])


def if_else(condition: Any, then: Any, otherwise: Any) -> Any:
    return call_function("if_else", [condition, then, otherwise])


def and_(left: Any, right: Any) -> Any:
    return call_function("and", [left, right])


def and_not(left: Any, right: Any) -> Any:
    return call_function("and_not", [left, right])


def any(data: Any) -> Any:
    """``pc.any(data)`` with its defaults: nulls skipped, false for no values."""
    return call_function("any", [data])


def unique(data: Any) -> Any:
    return call_function("unique", [data])


def utf8_trim(strings: Any, characters: str) -> Any:
    return call_function("utf8_trim", [strings], TrimOptions(characters))


def dictionary_encode(data: Any, null_encoding: str = "mask") -> Any:
    return call_function("dictionary_encode", [data], DictionaryEncodeOptions(null_encoding))


def index_in(data: Any, value_set: Any) -> Any:
    """Each value's index in ``value_set``, null where it is not there (nulls not skipped)."""
    return call_function("index_in", [data], SetLookupOptions(value_set))


def find_substring(strings: Any, pattern: str) -> Any:
    return call_function("find_substring", [strings], MatchSubstringOptions(pattern))


def match_substring_regex(strings: Any, pattern: str) -> Any:
    return call_function("match_substring_regex", [strings], MatchSubstringOptions(pattern))


def replace_substring(strings: Any, pattern: str, replacement: str) -> Any:
    return call_function(
        "replace_substring", [strings], ReplaceSubstringOptions(pattern, replacement)
    )
