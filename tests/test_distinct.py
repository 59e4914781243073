"""``distinct`` gives what ``np.unique`` gives for integers, without importing ``numpy.ma``."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from internkontroll.distinct import distinct


@given(
    st.lists(st.integers(-(2**63), 2**63 - 1), max_size=40),
    st.sampled_from([np.int64, np.int32, np.intp]),
)
def test_distinct_is_unique_for_integers(values: list[int], kind: type) -> None:
    info = np.iinfo(kind)
    array = np.array([min(max(v, info.min), info.max) for v in values], dtype=kind)
    found = distinct(array)
    expected = np.unique(array)
    assert found.dtype == expected.dtype
    assert found.tolist() == expected.tolist()


def test_distinct_imports_no_masked_arrays() -> None:
    script = (
        "import sys, numpy as np\n"
        "from internkontroll.distinct import distinct\n"
        "assert distinct(np.array([3, 1, 3, 2])).tolist() == [1, 2, 3]\n"
        "print('numpy.ma' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
