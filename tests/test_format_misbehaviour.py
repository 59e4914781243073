"""A format plugin that misbehaves in render (exits, writes a personnummer, returns bytes that are
not text) gets a Swedish error naming it, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli

from .conftest import write

FORMATS = """
from internkontroll import hookimpl


class Avslutar:
    name, suffix, binary = "avslutar", ".txt", False

    def render(self, document):
        import sys
        sys.exit(0)


class Lacker:
    name, suffix, binary = "lacker", ".txt", False

    def render(self, document):
        return ("19121212-1212 " + document.title).encode("utf-8")


class LackerBinart:
    name, suffix, binary = "lackerbin", ".bin", True

    def render(self, document):
        return b"PK\\x03\\x04 19121212-1212"


class InteUtf8:
    name, suffix, binary = "inteutf8", ".txt", False

    def render(self, document):
        return b"\\xff\\xfe abc"


@hookimpl
def register_formats(register):
    register(Avslutar())
    register(Lacker())
    register(LackerBinart())
    register(InteUtf8())
"""


@pytest.fixture
def results(plan_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "ut"
    ran = CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out)])
    assert ran.exit_code == 0, ran.stderr
    return out


@pytest.mark.parametrize("output", [False, True])
@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "avslutar",
            "fel: formatet avslutar (plugin egna/formats.py) kunde inte skriva rapporten: "
            "pluginen försökte avsluta programmet (SystemExit: 0)",
        ),
        (
            "lacker",
            "fel: formatet lacker (plugin egna/formats.py) skrev ett personnummer; inget skrevs",
        ),
        (
            "lackerbin",
            "fel: formatet lackerbin (plugin egna/formats.py) skrev ett personnummer; inget skrevs",
        ),
        (
            "inteutf8",
            "fel: formatet inteutf8 (plugin egna/formats.py) gav bytes som inte är UTF-8-text, "
            "fast formatet inte är binärt",
        ),
    ],
)
def test_a_misbehaving_render_is_a_named_swedish_error(
    results: Path, tmp_path: Path, fmt: str, expected: str, output: bool
) -> None:
    folder = write(tmp_path / "egna" / "formats.py", FORMATS).parent
    target = tmp_path / ("rapport.bin" if fmt == "lackerbin" else "rapport.txt")
    args = ["report", str(results), "--format", fmt, "--plugins-dir", str(folder)]
    if output or fmt == "lackerbin":
        args += ["--output", str(target)]
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 1, (done.stdout, done.stderr)
    assert done.stderr.strip().splitlines()[-1] == expected
    assert "19121212" not in done.stdout + done.stderr
    assert not target.exists()


def test_a_hook_with_an_argument_the_spec_lacks_is_reported_in_swedish(tmp_path: Path) -> None:
    plugin = (
        "from internkontroll import hookimpl\n\n\n"
        "@hookimpl\ndef register_formats(register, extra):\n    pass\n"
    )
    folder = write(tmp_path / "egna" / "extra.py", plugin).parent
    listed = CliRunner().invoke(cli, ["plugins", "--plugins-dir", str(folder)])
    assert listed.exit_code == 0
    assert listed.stderr.strip() == (
        "varning: pluginen extra.py kunde inte laddas: register_formats tar argumentet extra, "
        "som hooken inte ger (den ger: register)"
    )
