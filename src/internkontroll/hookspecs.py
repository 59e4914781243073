"""The hooks a plugin may implement. Each is documented in README.md ("Skriva en plugin")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("internkontroll")


@hookspec
def register_checks(register: Callable[[type[Any]], None]) -> None:
    """Register check classes by calling ``register(CheckClass)`` once for each."""


@hookspec
def register_formats(register: Callable[[Any], None]) -> None:
    """Register output formats by calling ``register(format)`` once for each."""
