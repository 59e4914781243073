"""arrow_kernels gives what pyarrow.compute and the array methods give, and a run needs no more.

Each kernel is compared with ``pyarrow.compute``'s own wrapper (or the array method the batch
path used before) on generated text columns with blanks, padding, marks and nulls.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from benchmarks.run import plan_for
from internkontroll import arrow_kernels as kernels
from internkontroll.columnar import WHITESPACE
from internkontroll.values import AMBIGUOUS_DOT, PLAIN_DECIMAL

cells = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "1,5", "2.555", "3.000", "1 234,50", "-7", "\u00a0x ", "a.b"]),
    st.text(alphabet="0123456789,.- ab\u00a0", max_size=8),
)
columns = st.lists(cells, max_size=30).map(lambda values: pa.array(values, type=pa.string()))


def bools(n: int) -> st.SearchStrategy[list[bool | None]]:
    return st.lists(st.booleans() | st.none(), min_size=n, max_size=n)


@settings(max_examples=60, deadline=None)
@given(columns, st.data())
def test_each_kernel_gives_what_pyarrow_compute_gives(
    strings: pa.Array, data: st.DataObject
) -> None:
    n = len(strings)
    flags = pa.array(data.draw(bools(n)), type=pa.bool_())
    other = pa.array(data.draw(bools(n)), type=pa.bool_())
    indices = pa.array(
        data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=n if n else 0)),
        type=pa.int64(),
    )
    value_set = pa.array(data.draw(st.lists(cells, max_size=5)), type=pa.string())
    empty, null = pa.scalar("", pa.string()), pa.scalar(None, pa.string())

    assert kernels.take(strings, indices).equals(strings.take(indices))
    assert kernels.filter(strings, flags).equals(strings.filter(flags))
    assert kernels.is_null(strings).equals(strings.is_null())
    assert kernels.is_valid(strings).equals(strings.is_valid())
    assert kernels.fill_null(flags, pa.scalar(False)).equals(flags.fill_null(pa.scalar(False)))
    assert kernels.fill_null(flags, True).equals(flags.fill_null(True))
    assert kernels.equal(strings, empty).equals(pc.equal(strings, empty))
    assert kernels.if_else(flags, strings, null).equals(pc.if_else(flags, strings, null))
    assert kernels.and_(flags, other).equals(pc.and_(flags, other))
    assert kernels.and_not(flags, other).equals(pc.and_not(flags, other))
    assert kernels.any(flags).equals(pc.any(flags))
    assert kernels.unique(strings).equals(pc.unique(strings))
    trimmed = kernels.utf8_trim(strings, WHITESPACE)
    assert trimmed.equals(pc.utf8_trim(strings, characters=WHITESPACE))
    for encoding in ("encode", "mask"):
        assert kernels.dictionary_encode(strings, encoding).equals(
            pc.dictionary_encode(strings, null_encoding=encoding)
        )
    assert kernels.index_in(strings, value_set).equals(pc.index_in(strings, value_set=value_set))
    assert kernels.find_substring(strings, ".").equals(pc.find_substring(strings, "."))
    for pattern in (PLAIN_DECIMAL, AMBIGUOUS_DOT):
        assert kernels.match_substring_regex(strings, pattern).equals(
            pc.match_substring_regex(strings, pattern)
        )
    assert kernels.replace_substring(strings, ",", ".").equals(
        pc.replace_substring(strings, ",", ".")
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-(2**31), 2**31 - 1), max_size=20),
    st.sampled_from(["int64", "int32", "uint8", "bool"]),
    st.integers(1, 3),
)
def test_a_numpy_array_is_laid_over_as_pa_array_makes_it(
    values: list[int], dtype: str, step: int
) -> None:
    """Integers and booleans, contiguous or a strided view, as ``pa.array`` converts them;
    and a kernel given numpy indices or a numpy mask answers as with arrow ones."""
    import numpy as np

    array = np.array(values).astype(dtype)[::step]
    laid = kernels.from_numpy(array)
    assert laid.equals(pa.array(array))
    assert laid.null_count == 0
    if dtype == "bool":
        strings = pa.array([str(v) for v in range(len(array))], type=pa.string())
        assert kernels.filter(strings, array).equals(strings.filter(pa.array(array)))
    else:
        places = np.abs(array.astype(np.int64)) % 5
        strings = pa.array(list("abcde"), type=pa.string())
        assert kernels.take(strings, places).equals(strings.take(pa.array(places)))


def test_a_safe_cast_refuses_as_pyarrow_computes_cast_does() -> None:
    cents = pa.decimal128(18, 2)
    plain = pa.array(["1.5", None, "-12.25", "3"], type=pa.string())
    assert kernels.cast(plain, cents).equals(pc.cast(plain, cents))
    for text in ("1.555", "x"):
        refused = []
        for cast in (kernels.cast, pc.cast):
            try:
                cast(pa.array([text]), cents)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                refused.append(type(exc))
        assert len(refused) == 2 and refused[0] is refused[1]


def test_a_run_reads_its_exports_without_importing_pyarrow_compute(tmp_path: Path) -> None:
    """Importing pyarrow.compute costs a tenth of a 10 000-row run; the batch path, which has
    read the exports here (pyarrow is imported), calls its kernels through arrow_kernels."""
    generate(300, tmp_path)
    plan = plan_for(tmp_path, 300)
    script = (
        "import sys; from internkontroll.cli import cli\n"
        f"try: cli(['run', {str(plan)!r}, '--out', {str(tmp_path / 'ut')!r}])\n"
        "except SystemExit as exit: assert exit.code == 0, exit.code\n"
        "print('pyarrow' in sys.modules, 'pyarrow.compute' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "True False"
