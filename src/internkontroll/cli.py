"""The command line: validate a plan, run it, render its report, list the checks."""

from __future__ import annotations

from pathlib import Path

import click

from internkontroll import __version__

BILAGA1_TITLE = "Bilaga 1 – Uppföljning av internkontroll"


class UserError(click.ClickException):
    """An input problem: shown as a Swedish message, never as a traceback."""

    def show(self, file: object = None) -> None:
        click.echo(f"fel: {self.message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="internkontroll")
def cli() -> None:
    """Internkontroll: kör internkontrollplanen och skriv Bilaga 1 till årsredovisningen."""


def _load(plan_path: Path):  # type: ignore[no-untyped-def]
    from internkontroll.errors import PlanError
    from internkontroll.planfile import load_plan

    try:
        plan, host = load_plan(plan_path)
    except PlanError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        raise UserError(
            f"{count} fel i planen {plan_path}" if count != 1 else f"1 fel i planen {plan_path}"
        ) from None
    for failure in host.failures:
        click.echo(f"varning: {failure}", err=True)
    return plan, host


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
def validate(plan_path: Path) -> None:
    """Kontrollera planen; alla fel visas med fil och rad."""
    plan, _ = _load(plan_path)
    click.echo(
        f"{plan_path}: planen är giltig: {len(plan.risks)} risker, {len(plan.controls)} "
        f"kontroller, {len(plan.datasets)} datamängder."
    )


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Resultatmappen (skapas vid behov; tidigare resultat sparas i historik/).",
)
@click.option(
    "--control", "only", multiple=True, metavar="ID", help="Kör bara denna kontroll (kan upprepas)."
)
def run(plan_path: Path, out: Path, only: tuple[str, ...]) -> None:
    """Kör planens kontroller och skriv resultatmappen."""
    from internkontroll.engine import run_plan
    from internkontroll.formats import plain_text
    from internkontroll.report import BILAGA1_COLUMNS, bilaga1_rows, load_results
    from internkontroll.results import write_results

    plan, host = _load(plan_path)
    unknown = sorted(set(only) - {c.id for c in plan.controls})
    if unknown:
        raise UserError(
            f"kontrollen {', '.join(unknown)} finns inte i planen; "
            f"kända: {', '.join(c.id for c in plan.controls)}"
        )
    results = run_plan(plan, host, set(only) if only else None)
    for warning in write_results(plan, results, out, partial=bool(only)):
        click.echo(f"varning: {warning}", err=True)
    rows = bilaga1_rows(load_results(out))
    click.echo(plain_text(BILAGA1_TITLE, (BILAGA1_COLUMNS, [r.cells() for r in rows])))
    failed = [r.control.id for r in results if r.assessment.value == "ej_genomford"]
    summary = f"{len(results)} kontroller körda; resultat i {out}"
    if failed:
        summary += f"; ej genomförda: {', '.join(failed)}"
    click.echo(summary)


@cli.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "txt", "csv", "html"]),
    default="md",
    show_default=True,
    help="Utdataformat.",
)
@click.option("--output", type=click.Path(path_type=Path), help="Fil att skriva (annars skärmen).")
def report(folder: Path, fmt: str, output: Path | None) -> None:
    """Skriv Bilaga 1 från en resultatmapp."""
    from internkontroll.errors import DatasetError
    from internkontroll.formats import RENDERERS
    from internkontroll.report import BILAGA1_COLUMNS, bilaga1_rows, load_results
    from internkontroll.results import write_atomic

    try:
        rows = bilaga1_rows(load_results(folder))
    except DatasetError as exc:
        raise UserError(str(exc)) from None
    text = RENDERERS[fmt](BILAGA1_TITLE, (BILAGA1_COLUMNS, [r.cells() for r in rows]))
    if output is None:
        click.echo(text.removeprefix("\ufeff"), nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"Skrev {output}", err=True)


@cli.command()
def plugins() -> None:
    """Lista kontrolltyperna (checks) och de fält de behöver."""
    from tabulate import tabulate

    from internkontroll.plugins import PluginHost

    host = PluginHost()
    rows = []
    for name, check in host.checks().items():
        rows.append([name, check.version, check.title, ", ".join(check.fields), host.origin(name)])
    click.echo(tabulate(rows, headers=["Namn", "Version", "Titel", "Fält", "Plugin"]))
    for failure in host.failures:
        click.echo(f"varning: {failure}", err=True)


if __name__ == "__main__":  # pragma: no cover
    cli(prog_name="internkontroll")
