"""Plugins: registered on a fresh manager, loaded from a plan's folder, broken ones isolated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from internkontroll import hookimpl
from internkontroll import plugins as plugins_module
from internkontroll.checks import Check, NoParams
from internkontroll.cli import cli
from internkontroll.datasets import Row
from internkontroll.document import Document
from internkontroll.hookspecs import RegisterCheck, RegisterFormat
from internkontroll.outcome import Outcome
from internkontroll.plugins import PluginHost, _format_problem

from .conftest import write

ROOT = Path(__file__).resolve().parents[1]


class CountRows(Check[NoParams]):
    name = "count_rows"
    title = "Antal rader"
    fields = {"decision_id": "text"}

    def __init__(self, params: NoParams, context: Any) -> None:
        super().__init__(params, context)
        self.rows = 0

    def feed(self, row: Row) -> None:
        self.rows += 1

    def outcome(self) -> Outcome:
        return Outcome(metrics={"rows": self.rows})


class CountRowsPlugin:
    @hookimpl
    def register_checks(self, register: RegisterCheck) -> None:
        register(CountRows)


class Upper:
    """A format that writes the title in capitals: enough to see which format ran."""

    name, suffix, binary = "versaler", ".txt", False

    def render(self, document: Document) -> bytes:
        return document.title.upper().encode("utf-8")


class UpperPlugin:
    @hookimpl
    def register_formats(self, register: RegisterFormat) -> None:
        register(Upper())


def test_hook_register_checks() -> None:
    host = PluginHost(entry_points=False)
    host.register(CountRowsPlugin(), name="count-rows")
    assert host.checks() == {"count_rows": CountRows} and host.failures == []


def test_hook_register_formats() -> None:
    host = PluginHost(entry_points=False)
    host.register(UpperPlugin(), name="upper")
    [(name, fmt)] = host.formats().items()
    assert name == "versaler" and host.format_origin("versaler") == "upper"
    assert fmt.render(Document(title="Bilaga 1", tables=[])) == b"BILAGA 1"


def test_an_implementation_may_take_fewer_arguments_than_the_spec() -> None:
    """As pluggy calls it: only the arguments the implementation names are passed."""
    calls: list[str] = []

    class NoArguments:
        @hookimpl
        def register_checks(self) -> None:
            calls.append("checks")

        @hookimpl
        def register_formats(self) -> None:
            calls.append("formats")

    host = PluginHost(entry_points=False)
    host.register(NoArguments(), name="tyst")
    assert host.checks() == {} and host.formats() == {} and host.failures == []
    assert calls == ["checks", "formats"]


def test_a_wrapper_is_reported_not_ignored() -> None:
    class Wrapper:
        @hookimpl(wrapper=True)
        def register_formats(self, register: RegisterFormat) -> Any:
            return (yield)

    host = PluginHost(entry_points=False)
    host.register(UpperPlugin(), name="upper")
    host.register(Wrapper(), name="omslag")
    assert list(host.formats()) == ["versaler"]
    [failure] = host.failures
    assert failure.plugin == "omslag" and "wrapper" in failure.error


def test_builtin_formats_come_through_the_entry_point_group() -> None:
    host = PluginHost()
    assert {"md", "txt", "csv", "html", "xlsx", "docx"} <= set(host.formats())
    assert host.format_origin("docx") == "formats"
    assert host.distribution("formats").startswith("internkontroll ")


def test_broken_duplicate_and_misshapen_formats_are_reported_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "lokala"
    write(folder / "trasig.py", "import finns_inte_alls\n")
    write(
        folder / "dubblett.py",
        """\
        from internkontroll import hookimpl

        class Md:
            name, suffix, binary = "md", ".md", False
            def render(self, document): return b"fel"

        @hookimpl
        def register_formats(register):
            register(Md())
        """,
    )
    write(
        folder / "utan_binary.py",
        """\
        from internkontroll import hookimpl

        class Pdf:
            name, suffix = "pdf", ".pdf"
            def render(self, document): return b""

        @hookimpl
        def register_formats(register):
            register(Pdf())
        """,
    )
    write(
        folder / "halvfardig.py",
        """\
        from internkontroll import hookimpl

        class Bra:
            name, suffix, binary = "bra", ".txt", False
            def render(self, document): return b"bra"

        @hookimpl
        def register_formats(register):
            register(Bra())
            raise RuntimeError("trasig efter första")
        """,
    )
    host = PluginHost(plugins_dir=folder)
    formats = host.formats()
    failed = {f.plugin: f.error for f in host.failures}
    assert "finns_inte_alls" in failed["trasig.py"]
    assert "'md' finns redan (från formats)" in failed["lokala/dubblett.py"]
    assert "saknar binary" in failed["lokala/utan_binary.py"]
    assert "trasig efter första" in failed["lokala/halvfardig.py"]
    # Everything else works, the built-in md is not replaced, and a failing plugin adds nothing.
    assert formats["md"].render(Document(title="T", tables=[])) != b"fel"
    assert {"pdf", "bra"}.isdisjoint(formats) and {"md", "docx"} <= set(formats)
    assert "verkstallighetstid" in host.checks()


def test_format_shape_problems() -> None:
    class Good:
        name, suffix, binary = "bra", ".txt", False

        def render(self, document: Document) -> bytes:
            return b""

    def variant(**changes: Any) -> Any:
        return type("Variant", (Good,), changes)()

    assert _format_problem(Good()) is None
    assert "registrera en instans" in (_format_problem(Good) or "")
    assert "saknar name" in (_format_problem(variant(name="två ord")) or "")
    assert "saknar suffix" in (_format_problem(variant(suffix="pdf")) or "")
    assert "saknar binary" in (_format_problem(variant(binary="nej")) or "")
    assert "saknar render" in (_format_problem(variant(render=None)) or "")


def test_plugin_registered_on_a_fresh_manager() -> None:
    host = PluginHost(entry_points=False)
    assert host.checks() == {}
    host.register(CountRowsPlugin(), name="count-rows")
    assert host.checks() == {"count_rows": CountRows}
    assert host.origin("count_rows") == "count-rows"


def test_builtin_checks_come_through_the_entry_point_group() -> None:
    host = PluginHost()
    assert "verkstallighetstid" in host.checks()
    assert host.origin("verkstallighetstid") == "verkstallighetstid"


def test_plugins_folder_broken_plugin_reported_others_work(tmp_path: Path) -> None:
    write(
        tmp_path / "lokala" / "bra.py",
        """\
        from internkontroll import hookimpl
        from internkontroll.checks import Check
        from internkontroll.outcome import Outcome

        class Bra(Check):
            name = "bra"
            title = "Bra kontroll"
            def feed(self, row): pass
            def outcome(self): return Outcome()

        @hookimpl
        def register_checks(register):
            register(Bra)
        """,
    )
    write(tmp_path / "lokala" / "trasig.py", "import finns_inte_alls\n")
    write(
        tmp_path / "lokala" / "fel_klass.py",
        """\
        from internkontroll import hookimpl

        @hookimpl
        def register_checks(register):
            register(object)
        """,
    )
    host = PluginHost(entry_points=False, plugins_dir=tmp_path / "lokala")
    assert list(host.checks()) == ["bra"]
    failed = {f.plugin: f.error for f in host.failures}
    assert "finns_inte_alls" in failed["trasig.py"]
    assert "ingen underklass" in failed["lokala/fel_klass.py"]


def test_same_check_name_twice_is_a_failure_not_a_crash() -> None:
    host = PluginHost(entry_points=False)
    host.register(CountRowsPlugin(), name="a")
    host.register(CountRowsPlugin(), name="b")
    assert list(host.checks()) == ["count_rows"]
    assert "finns redan" in host.failures[0].error


LOCAL_FORMAT = """\
from internkontroll import hookimpl

class Versaler:
    name, suffix, binary = "versaler", ".txt", False

    def render(self, document):
        return "\\n".join(t.title.upper() for t in document.tables).encode("utf-8")

class Trasig:
    name, suffix, binary = "trasig", ".txt", False

    def render(self, document):
        raise KeyError("kolumnen finns inte")

@hookimpl
def register_formats(register):
    register(Versaler())
    register(Trasig())
"""


def test_plugins_dir_on_report_and_plugins(plan_dir: Path, tmp_path: Path) -> None:
    folder = write(tmp_path / "egna" / "versaler.py", LOCAL_FORMAT).parent
    write(folder / "trasig_import.py", "import finns_inte_alls\n")
    runner = CliRunner()
    listed = runner.invoke(cli, ["plugins", "--plugins-dir", str(folder)])
    assert listed.exit_code == 0
    row = next(line for line in listed.stdout.splitlines() if line.startswith("versaler "))
    assert row.split() == ["versaler", ".txt", "nej", "egna/versaler.py"]
    assert re.search(r"^docx +\.docx +ja +formats +internkontroll \S+$", listed.stdout, re.M)
    assert "varning: pluginen trasig_import.py kunde inte laddas" in listed.stderr

    out = tmp_path / "ut"
    assert (
        runner.invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out)]).exit_code == 0
    )
    without = runner.invoke(cli, ["report", str(out), "--format", "versaler"])
    assert without.exit_code == 1 and "okänt format 'versaler'" in without.stderr
    report = runner.invoke(
        cli, ["report", str(out), "--format", "versaler", "--plugins-dir", str(folder)]
    )
    assert report.exit_code == 0, report.stderr
    assert report.stdout == "BILAGA 1 – UPPFÖLJNING AV INTERNKONTROLL"
    assert "trasig_import.py" in report.stderr
    broken = runner.invoke(
        cli, ["report", str(out), "--format", "trasig", "--plugins-dir", str(folder)]
    )
    assert broken.exit_code == 1
    assert broken.stderr.strip().splitlines()[-1] == (
        "fel: formatet trasig (plugin egna/versaler.py) kunde inte skriva rapporten: "
        "KeyError: 'kolumnen finns inte'"
    )


class FakeDistribution:
    name, version = "kommunens-format", "2.1.0"


class FakeEntryPoint:
    """As sqlfluff's MockEntryPoint: an installed plugin whose import raises."""

    name, dist = "kommunformat", FakeDistribution()

    def load(self) -> object:
        raise ImportError("No module named 'reportlab'")


def test_an_installed_plugin_that_fails_to_import_is_named_with_its_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = plugins_module.entry_points

    def with_a_broken_one(group: str) -> list[Any]:
        return [*real(group=group), FakeEntryPoint()]

    monkeypatch.setattr(plugins_module, "entry_points", with_a_broken_one)
    host = PluginHost()
    assert {"md", "docx"} <= set(host.formats()) and "verkstallighetstid" in host.checks()
    [failure] = host.failures
    assert str(failure) == (
        "pluginen kommunformat (kommunens-format 2.1.0) kunde inte laddas: "
        "ImportError: No module named 'reportlab'"
    )
