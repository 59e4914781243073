"""Errors a user can act on: each says where (file, row, column, id) and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from internkontroll.privacy import redact


@dataclass(frozen=True)
class PlanProblem:
    """One mistake in a plan file, as ``plan.toml:12: kontroll K2: ...``."""

    file: Path
    line: int | None
    where: str
    message: str
    export: bool = False
    """The plan is right but an export it names cannot be read: ``run`` goes on, and the
    controls reading that export are not carried out, with this as the reason."""

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else str(self.file)
        prefix = f"{self.where}: " if self.where else ""
        return redact(f"{place}: {prefix}{self.message}")


class PlanError(Exception):
    """A plan that cannot be run; holds every problem found in one pass."""

    def __init__(self, problems: list[PlanProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class DatasetError(Exception):
    """An export that cannot be read at all (missing file, no header, broken bytes)."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))
