"""Run one command and print its wall time and peak memory (RSS) as JSON.

    python benchmarks/measure.py COMMAND ...

This process has exactly one child, so the peak RSS the kernel reports for its children is that
command's own, whole process, interpreter and imports included.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> None:
    started = time.perf_counter()
    completed = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "wall_s": wall,
                "rss_mb": peak_kb / 1024,
                "returncode": completed.returncode,
                "stderr": completed.stderr.decode("utf-8", "replace")[-500:],
            }
        )
    )


if __name__ == "__main__":
    main()
