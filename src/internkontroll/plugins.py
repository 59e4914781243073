"""Finding checks and formats: entry points of the group ``internkontroll`` and plugins folders.

As in sqlfluff, a plugin that fails to import or to register (an error, an object of the wrong
shape, a name already taken) is recorded by name with its error, and every other plugin keeps
working. Checks and formats are treated alike. Built-in ones come through the same entry-point
group a third party would use, so they get no privileges.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import Distribution, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from pydantic import BaseModel

from internkontroll import hookspecs
from internkontroll.checks import Check
from internkontroll.hookspecs import Format
from internkontroll.interrupts import describe, user_interrupted

ENTRY_POINT_GROUP = "internkontroll"


@dataclass(frozen=True)
class PluginFailure:
    plugin: str
    error: str

    def __str__(self) -> str:
        return f"pluginen {self.plugin} kunde inte laddas: {self.error}"


class PluginHost:
    """A plugin manager and the checks and formats its plugins registered."""

    def __init__(self, *, entry_points: bool = True, plugins_dir: Path | None = None) -> None:
        self.pm = pluggy.PluginManager("internkontroll")
        self.pm.add_hookspecs(hookspecs)
        self.failures: list[PluginFailure] = []
        self._checks: dict[str, type[Check[Any]]] | None = None
        self._formats: dict[str, Format] | None = None
        self._origin: dict[str, str] = {}
        self._format_origin: dict[str, str] = {}
        self._distributions: dict[str, Distribution] = {}
        self._labels: dict[int, str] = {}
        if entry_points:
            self._load_entry_points()
        if plugins_dir is not None:
            self.load_directory(plugins_dir)

    def register(self, plugin: object, name: str | None = None) -> None:
        try:
            self.pm.register(plugin, name=name)
        except pluggy.PluginValidationError:
            raise PluginShapeError(_hook_mismatch(self.pm, plugin)) from None
        self._checks = None
        self._formats = None

    def _load_entry_points(self) -> None:
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            if entry_point.dist is not None:
                self._distributions[entry_point.name] = entry_point.dist
            try:
                self.register(entry_point.load(), name=entry_point.name)
            except BaseException as exc:  # sys.exit() in a plugin too
                if user_interrupted(exc):
                    raise
                label = entry_point.name
                if entry_point.name in self._distributions:
                    label += f" ({self.distribution(entry_point.name)})"
                self.failures.append(PluginFailure(label, _describe(exc)))

    def load_directory(self, folder: Path) -> None:
        """Import each ``*.py`` in a plugins folder (a plan's or ``--plugins-dir``) as a plugin."""
        if not folder.is_dir():
            self.failures.append(PluginFailure(str(folder), "mappen finns inte"))
            return
        for file in sorted(folder.glob("*.py")):
            name = f"internkontroll_local_{file.stem}"
            try:
                module = _import_file(name, file)
                self.register(module, name=f"{folder.name}/{file.name}")
            except BaseException as exc:  # sys.exit() in a plugin too
                if user_interrupted(exc):
                    raise
                self.failures.append(PluginFailure(file.name, _describe(exc)))

    def checks(self) -> dict[str, type[Check[Any]]]:
        """Every registered check by name, collected plugin by plugin so one bad one is alone."""
        if self._checks is None:
            found: dict[str, type[Check[Any]]] = {}
            self._collect(
                "register_checks", found, self._origin, _check_class_problem, "kontrolltypen"
            )
            self._checks = dict(sorted(found.items()))
        return self._checks

    def formats(self) -> dict[str, Format]:
        """Every registered output format by name (md, docx ...), collected as checks are."""
        if self._formats is None:
            found: dict[str, Format] = {}
            self._collect(
                "register_formats", found, self._format_origin, _format_problem, "formatet"
            )
            self._formats = found
        return self._formats

    def _collect(
        self,
        hook: str,
        found: dict[str, Any],
        origin: dict[str, str],
        problem: Callable[[Any], str | None],
        noun: str,
    ) -> None:
        """Call each plugin's implementation of ``hook`` on its own, passing only the arguments
        it names (as pluggy does), and keep what it registered only if the whole call succeeded:
        a plugin that raises, registers a bad object or a taken name adds nothing and is listed
        in ``failures``; the others are unaffected."""
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            mine: dict[str, Any] = {}

            def register(
                item: Any, mine: dict[str, Any] = mine, plugin: str = impl.plugin_name
            ) -> None:
                wrong = problem(item)
                if wrong:
                    raise TypeError(wrong)
                if item.name in found or item.name in mine:
                    by = origin.get(item.name, plugin)
                    raise ValueError(f"{noun} {item.name!r} finns redan (från {by})")
                mine[item.name] = item

            try:
                if impl.wrapper or impl.hookwrapper:
                    raise TypeError(
                        f"{hook} kan inte vara en wrapper: varje plugin anropas för sig"
                    )
                arguments = {"register": register}
                impl.function(*[arguments[name] for name in impl.argnames])
            except BaseException as exc:  # sys.exit() in a plugin too
                if user_interrupted(exc):
                    raise
                self.failures.append(PluginFailure(impl.plugin_name, _describe(exc)))
                continue
            found.update(mine)
            origin.update(dict.fromkeys(mine, impl.plugin_name))

    def origin(self, check_name: str) -> str:
        """The plugin that registered a check."""
        self.checks()
        return self._origin.get(check_name, "")

    def format_origin(self, format_name: str) -> str:
        """The plugin that registered a format."""
        self.formats()
        return self._format_origin.get(format_name, "")

    def distribution(self, plugin_name: str) -> str:
        """The installed package and version that provided a plugin ("" for a plugins folder).

        Read when asked, once per package: each read parses the package's whole metadata (for
        internkontroll the README too), which a run that lists no plugin never needs."""
        dist = self._distributions.get(plugin_name)
        if dist is None:
            return ""
        label = self._labels.get(id(dist))
        if label is None:
            label = self._labels[id(dist)] = f"{dist.name} {dist.version}"
        return label


class PluginShapeError(Exception):
    """A plugin whose hook implementations do not fit the hook specifications."""


def _hook_mismatch(pm: pluggy.PluginManager, plugin: object) -> str:
    """Pluggy's refusal of a plugin, in Swedish: the hook and the arguments it cannot be given."""
    for attribute in dir(plugin):
        if pm.parse_hookimpl_opts(plugin, attribute) is None:
            continue
        caller = getattr(pm.hook, attribute, None)
        spec = getattr(caller, "spec", None)
        if spec is None:
            continue
        try:
            wanted = list(inspect.signature(getattr(plugin, attribute)).parameters)
        except (TypeError, ValueError):
            continue
        extra = [name for name in wanted if name not in spec.argnames]
        if extra:
            return (
                f"{attribute} tar argument{'et' if len(extra) == 1 else 'en'} "
                f"{', '.join(extra)}, som hooken inte ger (den ger: {', '.join(spec.argnames)})"
            )
    return "pluginens hookar passar inte internkontrolls hookspecifikationer"


def _check_class_problem(cls: object) -> str | None:
    if not isinstance(cls, type) or not issubclass(cls, Check):
        return f"{cls!r} är ingen underklass till internkontroll.checks.Check"
    for attribute in ("name", "title"):
        value = getattr(cls, attribute, None)
        if not isinstance(value, str) or not value.strip():
            return f"{cls.__name__} saknar {attribute}"
    if not (isinstance(cls.Params, type) and issubclass(cls.Params, BaseModel)):
        return f"{cls.__name__}.Params är ingen pydantic-modell"
    return None


def _format_problem(fmt: object) -> str | None:
    if isinstance(fmt, type):
        return f"{fmt.__name__} är en klass; registrera en instans: register({fmt.__name__}())"
    name = getattr(fmt, "name", None)
    if not isinstance(name, str) or not name or name.split() != [name]:
        return f"formatet {fmt!r} saknar name (ett ord, det --format tar emot)"
    suffix = getattr(fmt, "suffix", None)
    if not isinstance(suffix, str) or not suffix.startswith("."):
        return f'formatet {name} saknar suffix (filändelsen, t.ex. ".pdf")'
    if not isinstance(getattr(fmt, "binary", None), bool):
        return f"formatet {name} saknar binary (True eller False)"
    if not callable(getattr(fmt, "render", None)):
        return f"formatet {name} saknar render(document) -> bytes"
    return None


def _import_file(name: str, file: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise ImportError(f"{file} kan inte importeras")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _describe(exc: BaseException) -> str:
    if isinstance(exc, PluginShapeError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if isinstance(exc, Exception) else describe(exc)
