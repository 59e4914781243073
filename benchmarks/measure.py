"""Run one command and give its wall time and peak memory (RSS), with the machine's load.

    python benchmarks/measure.py COMMAND ...

prints the measurement as JSON. The command runs as the only child of this small process and
is waited for with ``os.wait4``, so the peak RSS and the CPU time are the command's own, whole
process, interpreter and imports included; the wall time runs from its start to its end. The
load average is read just before the start: on a shared machine it says how far two wall times
can be compared (CPU time is far less swayed by it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Measurement:
    wall_s: float
    cpu_s: float
    """User and system CPU time: what the command itself used, far less swayed by load."""
    rss_mb: float
    load: float
    """The one-minute load average just before the command started."""
    returncode: int
    stderr: str
    """The end of what the command wrote to stderr, for a failure's message."""


def measure(command: list[str]) -> Measurement:
    """Run ``command`` to its end (stdout discarded) and measure it.

    Call it from a small process (this script's ``main``): on Linux the peak RSS reported for a
    child includes the peak of the process it was started from, up to the moment it started."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace")[-2000:]
    # ru_maxrss is in kilobytes on Linux.
    cpu = usage.ru_utime + usage.ru_stime
    return Measurement(wall, cpu, usage.ru_maxrss / 1024, load, child.returncode, text)


def main() -> None:
    print(json.dumps(asdict(measure(sys.argv[1:]))))


if __name__ == "__main__":
    main()
