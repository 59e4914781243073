"""What a command imports before it does anything: ``--help`` and ``--version`` stay fast.

Each check runs in a fresh interpreter, for this one has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pluggy
import pytest
from click.testing import CliRunner

import internkontroll
from benchmarks.generate import generate
from benchmarks.run import plan_for
from internkontroll.cli import cli

HEAVY = ["numpy", "pyarrow", "pydantic", "pluggy", "importlib.metadata", "email"]


def imported_by(arguments: list[str]) -> list[str]:
    """The modules of ``HEAVY`` that the command line imports for ``arguments``."""
    script = (
        "import sys\n"
        "from internkontroll.cli import cli\n"
        f"try: cli({arguments!r})\n"
        "except SystemExit: pass\n"
        "import json\n"
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    found: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize(
    ("arguments", "needed"),
    [
        (["--help"], []),
        (["run", "--help"], []),
        (["--version"], ["importlib.metadata", "email"]),  # the version is read from there
    ],
)
def test_help_and_version_import_neither_the_columns_nor_the_models_nor_the_plugins(
    arguments: list[str], needed: list[str]
) -> None:
    assert imported_by(arguments) == needed


def test_the_version_is_the_installed_distributions() -> None:
    assert internkontroll.__version__ == version("internkontroll")
    shown = CliRunner().invoke(cli, ["--version"])
    assert shown.exit_code == 0
    assert shown.output == f"internkontroll, version {version('internkontroll')}\n"


def test_hookimpl_is_one_marker_for_the_project() -> None:
    marker = internkontroll.hookimpl
    assert isinstance(marker, pluggy.HookimplMarker)
    assert marker.project_name == "internkontroll"
    assert internkontroll.hookimpl is marker
    with pytest.raises(AttributeError, match="no_such_name"):
        internkontroll.no_such_name  # noqa: B018 - the lookup is what is tested


def test_a_run_without_samples_imports_no_sampling(tmp_path: Path) -> None:
    """Sampling's two dozen classes are made only for a plan that draws a sample; numpy's
    masked arrays (``np.unique`` imports them) are never made at all."""
    generate(300, tmp_path)
    plan = plan_for(tmp_path, 300)
    sampling = ["internkontroll.control_sample", "internkontroll.monetary_sample", "numpy.ma"]
    script = (
        "import sys; from internkontroll.cli import cli\n"
        f"try: cli(['run', {str(plan)!r}, '--out', {str(tmp_path / 'ut')!r}])\n"
        "except SystemExit as exit: assert exit.code == 0, exit.code\n"
        f"print([name for name in {sampling!r} if name in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"
