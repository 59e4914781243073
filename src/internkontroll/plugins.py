"""Finding checks: entry points of the group ``internkontroll`` and a plan's own plugins folder.

As in sqlfluff, a plugin that fails to import or to register is recorded by name with its error,
and every other plugin keeps working. Built-in checks come through the same entry-point group a
third party would use, so they get no privileges.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from pydantic import BaseModel

from internkontroll import hookspecs
from internkontroll.checks import Check
from internkontroll.interrupts import describe, user_interrupted

ENTRY_POINT_GROUP = "internkontroll"


@dataclass(frozen=True)
class PluginFailure:
    plugin: str
    error: str

    def __str__(self) -> str:
        return f"pluginen {self.plugin} kunde inte laddas: {self.error}"


class PluginHost:
    """A plugin manager and the checks its plugins registered."""

    def __init__(self, *, entry_points: bool = True, plugins_dir: Path | None = None) -> None:
        self.pm = pluggy.PluginManager("internkontroll")
        self.pm.add_hookspecs(hookspecs)
        self.failures: list[PluginFailure] = []
        self._checks: dict[str, type[Check[Any]]] | None = None
        self._formats: dict[str, Any] | None = None
        self._origin: dict[str, str] = {}
        if entry_points:
            self._load_entry_points()
        if plugins_dir is not None:
            self.load_directory(plugins_dir)

    def register(self, plugin: object, name: str | None = None) -> None:
        self.pm.register(plugin, name=name)
        self._checks = None
        self._formats = None

    def _load_entry_points(self) -> None:
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                self.register(entry_point.load(), name=entry_point.name)
            except BaseException as exc:  # sys.exit() in a plugin too
                if user_interrupted(exc):
                    raise
                self.failures.append(PluginFailure(entry_point.name, _describe(exc)))

    def load_directory(self, folder: Path) -> None:
        """Import each ``*.py`` in a plan's plugins folder as a plugin."""
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
            for impl in self.pm.hook.register_checks.get_hookimpls():
                plugin_name = impl.plugin_name

                def register(cls: type[Any], plugin_name: str = plugin_name) -> None:
                    problem = _check_class_problem(cls)
                    if problem:
                        raise TypeError(problem)
                    if cls.name in found:
                        raise ValueError(
                            f"kontrolltypen {cls.name!r} finns redan (från "
                            f"{self._origin[cls.name]})"
                        )
                    found[cls.name] = cls
                    self._origin[cls.name] = plugin_name

                try:
                    impl.function(register=register)
                except BaseException as exc:
                    if user_interrupted(exc):
                        raise
                    self.failures.append(PluginFailure(plugin_name, _describe(exc)))
            self._checks = dict(sorted(found.items()))
        return self._checks

    def formats(self) -> dict[str, Any]:
        """Every registered output format by name (md, docx ...); a broken plugin is reported."""
        if self._formats is None:
            found: dict[str, Any] = {}
            for impl in self.pm.hook.register_formats.get_hookimpls():

                def register(fmt: Any) -> None:
                    for attribute in ("name", "suffix", "render"):
                        if not hasattr(fmt, attribute):
                            raise TypeError(f"formatet {fmt!r} saknar {attribute}")
                    found[fmt.name] = fmt

                try:
                    impl.function(register=register)
                except BaseException as exc:
                    if user_interrupted(exc):
                        raise
                    self.failures.append(PluginFailure(impl.plugin_name, _describe(exc)))
            self._formats = found
        return self._formats

    def origin(self, check_name: str) -> str:
        self.checks()
        return self._origin.get(check_name, "")


def _check_class_problem(cls: object) -> str | None:
    if not isinstance(cls, type) or not issubclass(cls, Check):
        return f"{cls!r} är ingen underklass till internkontroll.checks.Check"
    for attribute in ("name", "title"):
        if not isinstance(getattr(cls, attribute, None), str):
            return f"{cls.__name__} saknar {attribute}"
    if not (isinstance(cls.Params, type) and issubclass(cls.Params, BaseModel)):
        return f"{cls.__name__}.Params är ingen pydantic-modell"
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
    return f"{type(exc).__name__}: {exc}" if isinstance(exc, Exception) else describe(exc)
