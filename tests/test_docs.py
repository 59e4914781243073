"""The README cannot drift from the code: hooks, the plugin example and the command table.

As datasette's ``tests/test_docs.py`` and llm's cog-checked ``docs/help.md``: each test reads the
truth from the code (pluggy's hook specs, ``cli.commands``) and says exactly what to write in
README.md when something new lacks documentation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pluggy
import pytest
from click.testing import CliRunner

from internkontroll import hookspecs
from internkontroll.cli import cli

from .conftest import write

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = ROOT / "docs" / "examples"


def hook_argnames() -> dict[str, tuple[str, ...]]:
    """Every hook and its arguments, as pluggy reads them from hookspecs.py."""
    pm = pluggy.PluginManager("internkontroll")
    pm.add_hookspecs(hookspecs)
    found = {}
    for name, caller in vars(pm.hook).items():
        spec = getattr(caller, "spec", None)
        if spec is not None:
            found[name] = tuple(spec.argnames)
    return found


def test_hooks_are_found() -> None:
    assert set(hook_argnames()) >= {"register_checks", "register_formats"}


@pytest.mark.parametrize("hook", sorted(hook_argnames()))
def test_every_hook_is_documented_with_its_signature(hook: str) -> None:
    heading = f"#### `{hook}({', '.join(hook_argnames()[hook])})`"
    assert getattr(hookspecs, hook).__doc__, f"the hook {hook} has no docstring in hookspecs.py"
    assert re.search(rf"^{re.escape(heading)}$", README, flags=re.MULTILINE), (
        f"README.md lacks the section for the hook {hook}: add the heading\n{heading}\n"
        'under "### Hooks" in "## Skriva en plugin", with what it is for and how to call it'
    )


@pytest.mark.parametrize("hook", sorted(hook_argnames()))
def test_every_hook_has_a_test(hook: str) -> None:
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert re.search(rf"^def test_hook_{hook}\(", tests, flags=re.MULTILINE), (
        f"the hook {hook} has no test: write def test_hook_{hook}() in tests/test_plugins.py"
    )


# --- the plugin example ------------------------------------------------------------------


def test_readme_shows_the_example_file_as_it_is() -> None:
    source = (EXAMPLES / "antal_beslut.py").read_text(encoding="utf-8")
    assert f"```python\n{source}```" in README, (
        "README.md's plugin example differs from docs/examples/antal_beslut.py: copy the file "
        'into the ```python block under "## Skriva en plugin"'
    )


EXAMPLE_PLAN = """\
[plan]
title = "Internkontrollplan 2024"
organisation = "Testnämnden"
year = 2024
plugins_dir = "{plugins}"

[[risk]]
id = "R1"
title = "Brister i rättssäkerhet."
likelihood = 3
impact = 4

[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
decision_id = "Beslut-ID"
law = "Lag"
decided = "Beslutsdatum"

[[control]]
id = "K1"
risk = "R1"
title = "Antal beslut enligt SoL"
check = "antal_beslut"
dataset = "beslut"
[control.criteria]
metric = "n"
better = "higher"
utan_anmarkning = 1

[[control]]
id = "K2"
risk = "R1"
title = "Antal beslut enligt LSS"
check = "antal_beslut"
dataset = "beslut"
[control.params]
lag = "LSS"
[control.criteria]
metric = "n"
better = "higher"
utan_anmarkning = 1
"""


def test_the_readme_example_runs(tmp_path: Path) -> None:
    """The example as a user runs it: from the plan's plugins_dir, through ``run``."""
    write(tmp_path / "plan.toml", EXAMPLE_PLAN.format(plugins=EXAMPLES.as_posix()))
    write(
        tmp_path / "beslut.csv",
        """\
        Beslut-ID;Lag;Beslutsdatum
        B1;SoL;2024-01-10
        B2;SoL;2024-12-31
        B3;LSS;2024-03-01
        B4;SoL;2023-12-31
        B5;SoL;
        """,
    )
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "plan.toml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in document["controls"]}
    # By hand: SoL in 2024 is B1 and B2 (B4 is 2023; B5 has no date), LSS in 2024 is B3.
    assert by_id["K1"]["metrics"]["n"] == 2
    assert by_id["K1"]["result_text"].startswith("2 beslut enligt SoL.")
    assert by_id["K2"]["metrics"]["n"] == 1


# --- the command table -------------------------------------------------------------------

# ``internkontroll sample PLAN ...`` is ``sample draw`` (cli._SampleGroup adds the name).
DEFAULT_SUBCOMMANDS = {("sample",): "draw"}


def commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> dict[tuple[str, ...], click.Command]:
    """Every command a user can run, by its words after ``internkontroll``."""
    found: dict[tuple[str, ...], click.Command] = {}
    for name, command in group.commands.items():
        if getattr(command, "hidden", False):
            continue
        if isinstance(command, click.Group):
            found.update(commands(command, (*path, name)))
        else:
            found[(*path, name)] = command
    return found


def readme_rows() -> list[str]:
    """The code of each row of README's "## Kommandon" table (its first column)."""
    section = README.split("\n## Kommandon\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(internkontroll [^`]*)`", section, flags=re.MULTILINE)


def command_of(
    words: list[str], known: dict[tuple[str, ...], click.Command]
) -> tuple[str, ...] | None:
    """The command that a command line (the words after ``internkontroll``) runs."""
    for length in range(len(words), 0, -1):
        path = tuple(words[:length])
        if path in known:
            return path
        if path in DEFAULT_SUBCOMMANDS:
            return (*path, DEFAULT_SUBCOMMANDS[path])
    return None


def long_options(command: click.Command) -> set[str]:
    return {
        opt
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
        for opt in param.opts
        if opt.startswith("--")
    }


def usage(path: tuple[str, ...], command: click.Command) -> str:
    """A README row for a command that has none, built from its parameters."""
    parts = ["internkontroll", *path]
    for param in command.params:
        if isinstance(param, click.Argument):
            parts.append(param.human_readable_name)
        elif isinstance(param, click.Option) and not param.hidden:
            opt = max(param.opts, key=len)
            shown = opt if param.is_flag else f"{opt} {param.metavar or param.name.upper()}"
            parts.append(shown if param.required else f"[{shown}]")
    return f"| `{' '.join(parts)}` | {(command.help or '').splitlines()[0]} |"


def test_every_command_and_option_is_in_the_readme_table() -> None:
    known = commands(cli)
    rows = readme_rows()
    assert rows, 'README.md has no "## Kommandon" table'
    documented: dict[tuple[str, ...], set[str]] = {}
    for row in rows:
        path = command_of(row.split()[1:], known)
        assert path is not None, (
            f"README.md's command table has `{row}`, but internkontroll has no such command: "
            "remove the row or correct its name"
        )
        flags = set(re.findall(r"--[\w-]+", row))
        unknown = flags - long_options(known[path])
        assert not unknown, (
            f"README.md's row `{row}` names {', '.join(sorted(unknown))}, which "
            f"`internkontroll {' '.join(path)}` does not take: remove or correct it"
        )
        documented.setdefault(path, set()).update(flags)
    for path, command in known.items():
        assert path in documented, (
            f"`internkontroll {' '.join(path)}` is missing from README.md's command table "
            f'("## Kommandon"): add a row such as\n{usage(path, command)}'
        )
        missing = long_options(command) - documented[path] - {"--help"}
        assert not missing, (
            f"README.md's command table does not mention {', '.join(sorted(missing))} of "
            f"`internkontroll {' '.join(path)}`: add them to its row, e.g. "
            f"{usage(path, command)}"
        )
