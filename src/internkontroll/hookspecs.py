"""The hooks a plugin may implement, with their types. Each is documented in README.md ("Skriva
en plugin"), with the signature a test reads from here.

A plugin annotates its implementation with the aliases below, so that mypy checks what it
registers::

    @hookimpl
    def register_checks(register: RegisterCheck) -> None:
        register(MyCheck)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import pluggy

from internkontroll.checks import Check
from internkontroll.document import Document

hookspec = pluggy.HookspecMarker("internkontroll")


@runtime_checkable
class Format(Protocol):
    """An output format: ``name`` is what ``--format`` takes, ``suffix`` the file ending, and
    ``binary`` says the bytes cannot be shown on a terminal (so ``--output`` is required)."""

    name: str
    suffix: str
    binary: bool

    def render(self, document: Document) -> bytes: ...


RegisterCheck = Callable[[type[Check[Any]]], None]
RegisterFormat = Callable[[Format], None]


@hookspec
def register_checks(register: RegisterCheck) -> None:
    """Register check classes by calling ``register(CheckClass)`` once for each."""


@hookspec
def register_formats(register: RegisterFormat) -> None:
    """Register output formats by calling ``register(format)`` once for each."""
