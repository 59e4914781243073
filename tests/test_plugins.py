"""Plugins: registered on a fresh manager, loaded from a plan's folder, broken ones isolated."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from internkontroll import hookimpl, hookspecs
from internkontroll.checks import Check, NoParams
from internkontroll.datasets import Row
from internkontroll.outcome import Outcome
from internkontroll.plugins import PluginHost

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
    def register_checks(self, register: Callable[[type[Any]], None]) -> None:
        register(CountRows)


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


def test_every_hook_is_documented_in_the_readme() -> None:
    """As datasette's test_docs: a hook without its own README section fails."""
    tree = ast.parse((ROOT / "src/internkontroll/hookspecs.py").read_text(encoding="utf-8"))
    hooks = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert hooks, "hookspecs.py declares no hooks"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#### `(\w+)\(", readme, flags=re.MULTILINE))
    for hook in hooks:
        assert getattr(hookspecs, hook).__doc__, f"{hook} has no docstring"
        assert hook in documented, f"the hook {hook} has no section in README.md"
