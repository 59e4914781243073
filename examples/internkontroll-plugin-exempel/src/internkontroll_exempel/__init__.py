"""Pluginpaketets ingång: entry pointen pekar hit, och hookarna registrerar det paketet har."""

from __future__ import annotations

from internkontroll import hookimpl
from internkontroll.hookspecs import RegisterCheck, RegisterFormat
from internkontroll_exempel.beslut_per_handlaggare import BeslutPerHandlaggare
from internkontroll_exempel.intranat import Intranat


@hookimpl
def register_checks(register: RegisterCheck) -> None:
    register(BeslutPerHandlaggare)


@hookimpl
def register_formats(register: RegisterFormat) -> None:
    register(Intranat())
