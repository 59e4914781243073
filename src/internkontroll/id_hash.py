"""One number per id, the same whether an id is hashed alone or a batch of ids at once.

Repeated ids are found by their hashes: row by row (``seen.SeenIds``) and a batch at a time
(``repeats.RepeatedIds``). Both must take the very same two ids for one, so they hash alike.
Python's ``hash`` of a text cannot be computed in bulk from an arrow array's bytes, so a text's
hash here is its UTF-8 bytes, a 1 byte after them, read as one little-endian number, modulo the
product of two primes below 2**31 (``MODULUS``, 62 bits). Alone that is two C calls
(``int.from_bytes`` and ``%``); in bulk (``text_hashes``) it is the number's remainder by each
prime, four bytes at a time in numpy, put back together by the Chinese remainder theorem.

Two ids get one hash only where ``MODULUS`` divides the difference of their numbers: both
primes are safe primes of which 256 has a large order, so ids that differ in a few bytes do not
(for a million ids the chance is about one in ten million, as with Python's own hash). Values
that are not text (an integer or a date as id) keep Python's ``hash``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Hashes = npt.NDArray[np.int64]

PRIMES = (2083059059, 1954209659)
"""Two safe primes below 2**31: a remainder shifted by 32 bits plus four bytes fits in 64."""
MODULUS = PRIMES[0] * PRIMES[1]
LONGEST = 64
"""Texts longer than this (in bytes) are hashed one by one, so that the bytes of a batch laid
out side by side stay a few hundred kilobytes whatever one cell holds."""


def id_hash(value: object) -> int:
    """The hash of one id: of a text, its bytes' number modulo ``MODULUS``; else ``hash``."""
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass") + b"\x01"
        return int.from_bytes(data, "little") % MODULUS
    return hash(value)


def text_hashes(array: Any) -> Hashes:
    """``id_hash`` of each value of a pyarrow string array (a text or None), from its
    buffers."""
    import numpy as np
    import pyarrow as pa

    if pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    if not pa.types.is_string(array.type):
        return np.fromiter(map(id_hash, array.to_pylist()), dtype=np.int64, count=len(array))
    count = len(array)
    hashes = np.zeros(count, dtype=np.int64)
    if not count:
        return hashes
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(
        offsets_buffer, np.int32, count=count + 1, offset=array.offset * 4
    ).astype(np.int64)
    lengths = np.diff(offsets)
    long = lengths > LONGEST
    if long.any():
        chosen = np.flatnonzero(long)
        texts = array.take(pa.array(chosen)).to_pylist()
        hashes[chosen] = [id_hash(text) for text in texts]
        lengths = np.where(long, 0, lengths)
    data = np.zeros(0, np.uint8) if data_buffer is None else np.frombuffer(data_buffer, np.uint8)
    if long.any():
        short = np.flatnonzero(~long)
        hashes[short] = _hashed(_laid_out(data, offsets[:-1][short], lengths[short], False))
    else:
        hashes = _hashed(_laid_out(data, offsets[:-1], lengths, True))
    if array.null_count:
        from internkontroll.columnar import bools

        hashes[bools(array.is_null())] = id_hash(None)
    return hashes


def _laid_out(data: npt.NDArray[np.uint8], starts: Hashes, lengths: Hashes, adjoining: bool) -> Any:
    """Each text's bytes and a 1 after them in a row of zeros, as little-endian 32-bit words
    (``adjoining``: each text starts where the one before ends)."""
    import numpy as np

    count = len(starts)
    width = -(-(int(lengths.max(initial=0)) + 1) // 4) * 4
    laid = np.zeros((count, width), dtype=np.uint8)
    if count and adjoining and (lengths == lengths[0]).all():
        size = int(lengths[0])  # one length, one after the other: the bytes as they lie
        start = int(starts[0])
        laid[:, :size] = data[start : start + count * size].reshape(count, size)
    else:
        total = int(lengths.sum())
        owner = np.repeat(np.arange(count), lengths)
        place = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        laid[owner, place] = data[np.repeat(starts, lengths) + place]
    laid[np.arange(count), lengths] = 1
    return laid.view("<u4")


def _hashed(words: Any) -> Hashes:
    """The number each row of ``words`` spells (the first word the lowest), modulo ``MODULUS``:
    its remainder by each prime by Horner's rule, then the one number with both remainders."""
    import numpy as np

    first, second = (np.uint64(prime) for prime in PRIMES)
    shift = np.uint64(32)
    # the highest word is below 2**32 already: shifted by 32 bits it still fits in 64
    low = high = words[:, -1].astype(np.uint64)
    for column in range(words.shape[1] - 2, -1, -1):
        word = words[:, column].astype(np.uint64)
        low = ((low << shift) + word) % first
        high = ((high << shift) + word) % second
    if words.shape[1] == 1:
        low, high = low % first, high % second
    inverse = np.uint64(pow(PRIMES[0], -1, PRIMES[1]))
    steps = (high + second - low % second) % second * inverse % second
    result: Hashes = (low + first * steps).view(np.int64)
    return result
