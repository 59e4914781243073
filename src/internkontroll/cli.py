"""The command line: validate a plan, run it, render its report, list the checks."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

if TYPE_CHECKING:  # imported where used: the commands start fast
    from internkontroll.document import Document
    from internkontroll.errors import PlanProblem
    from internkontroll.hookspecs import Format
    from internkontroll.models import Plan
    from internkontroll.plugins import PluginHost
    from internkontroll.sample_size import Model

import click

from internkontroll import click_swedish

click_swedish.install()  # before the options below are made: their words are translated then

# Exit codes, as README "Slutkoder" and ``--help`` give them.
EXIT_OK = 0
EXIT_INPUT = 1  # the plan, a file or the command line is wrong
EXIT_NOT_DONE = 3  # the run finished, but at least one control is ej_genomford
EXIT_INTERNAL = 4  # a fault in the program: a report is welcome
EXIT_INTERRUPTED = 130  # the user's Ctrl-C, as a shell reports a job stopped by SIGINT


class UserError(click.ClickException):
    """An input problem: shown as a Swedish message, never as a traceback."""

    exit_code = EXIT_INPUT

    def show(self, file: object = None) -> None:
        from internkontroll.privacy import redact

        click.echo(f"fel: {redact(self.message)}", err=True)


class InternalError(UserError):
    """A fault in the program itself, told apart from bad input by its exit code."""

    exit_code = EXIT_INTERNAL


class _Command(click.Command):
    """A command whose usage line is Swedish too: ``[FLAGGOR]``, not ``[OPTIONS]``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[FLAGGOR]")
        super().__init__(*args, **kwargs)


class _Group(_Command, click.Group):
    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENT]...")
        super().__init__(*args, **kwargs)


_Group.group_class = _Group


class _Main(_Group):
    """Never a traceback for a user: input problems are UserErrors, the rest a short message.

    Every command runs with its output masked for personnummer and with a SIGINT handler that
    tells the user's Ctrl-C from a plugin raising KeyboardInterrupt; click's usage errors (its
    exit code 2) leave with code 1 like every other input problem.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from internkontroll import interrupts, process_gc
        from internkontroll.terminal import redacted_output

        if _is_the_program(args, kwargs):
            process_gc.own_process()
        interrupts.install()
        try:
            with redacted_output():
                return super().main(*args, **kwargs)
        except SystemExit as exc:
            if exc.code == 2:
                raise SystemExit(EXIT_INPUT) from None
            raise
        finally:
            interrupts.uninstall()
            process_gc.leaving()

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt as exc:
            from internkontroll.interrupts import user_interrupted

            if not user_interrupted(exc):
                raise
            # Not click's "Avbrutet." with code 1: a script must tell a stopped run from a
            # wrong plan.
            click.echo("Avbrutet.", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except OSError as exc:
            if ctx.meta.get("debug"):
                _show_traceback(exc, EXIT_INPUT)
            from internkontroll.result_folder import os_error_text

            raise UserError(os_error_text(exc)) from None
        except Exception as exc:
            if ctx.meta.get("debug"):
                _show_traceback(exc, EXIT_INTERNAL)
            raise InternalError(
                f"internt fel ({type(exc).__name__}); kör igen med internkontroll --debug ... "
                "och rapportera felet"
            ) from None


def _show_traceback(exc: BaseException, exit_code: int) -> NoReturn:
    """``--debug``'s whole traceback, masked as one text before it is printed: the exception's
    message (and those of the exceptions it came from) may repeat a value from an export, and
    Python's own printing of an uncaught exception would pass the mask."""
    import traceback

    from internkontroll.privacy import redact

    click.echo(redact("".join(traceback.format_exception(exc))), err=True, nl=False)
    raise click.exceptions.Exit(exit_code) from None


def _is_the_program(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """``cli()`` as the console script calls it: the process's own command line (no arguments
    given) and leaving through ``sys.exit`` (standalone mode). Tests pass their arguments."""
    arguments = args[0] if args else kwargs.get("args")
    standalone = args[3] if len(args) > 3 else kwargs.get("standalone_mode", True)
    return arguments is None and bool(standalone)


def _debug(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    ctx.meta["debug"] = value


def _version(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    """``click.version_option``'s line, with the version read only when it is asked for."""
    if not value or ctx.resilient_parsing:
        return
    import internkontroll

    click.echo(f"internkontroll, version {internkontroll.__version__}", color=ctx.color)
    ctx.exit()


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Visa versionen och avsluta.",
)
@click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_debug,
    help="Visa hela felutskriften (traceback) vid fel.",
)
def cli() -> None:
    """Internkontroll: kör internkontrollplanen och skriv Bilaga 1 till årsredovisningen.

    \b
    Slutkoder:
      0  klart; alla kontroller bedömda
      1  fel i planen, i en fil eller på kommandoraden
      3  körningen klar, men minst en kontroll är ej genomförd
      4  internt fel i programmet (rapportera det)
    130  avbrutet med Ctrl-C; inget skrevs
    """


def _load(
    plan_path: Path, check_files: bool = True, unreadable: list[PlanProblem] | None = None
) -> tuple[Plan, PluginHost]:
    """The plan, or every problem printed and exit 1; with ``unreadable`` (see ``load_plan``)
    exports that cannot be read are put there instead."""
    from internkontroll.errors import PlanError
    from internkontroll.planfile import load_plan
    from internkontroll.problem_count import problems_line

    try:
        plan, host = load_plan(plan_path, check_files=check_files, unreadable=unreadable)
    except PlanError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise UserError(problems_line(exc.problems, plan_path)) from None
    _warn_failures(host)
    return plan, host


def _check_people(folder: Path, control_ids: list[str] | None) -> int:
    """Validate the folder's bedomning.toml, printing every problem; returns its entry count.

    With ``control_ids``, entries for controls outside the plan are named in a warning."""
    from internkontroll import human_assessment

    try:
        entries = human_assessment.read(folder)
    except human_assessment.HumanAssessmentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        raise UserError(
            f"{count} fel i {exc.path}" if count != 1 else f"1 fel i {exc.path}"
        ) from None
    path = folder / human_assessment.FILENAME
    for warning in human_assessment.unknown_controls(
        path, entries, list(entries) if control_ids is None else control_ids
    ):
        click.echo(f"varning: {warning}", err=True)
    return len(entries)


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
def validate(plan_path: Path) -> None:
    """Kontrollera planen, eller en resultatmapps bedomning.toml; alla fel visas med fil och rad."""
    from internkontroll import human_assessment

    if plan_path.is_dir() or plan_path.name == human_assessment.FILENAME:
        _validate_people(plan_path if plan_path.is_dir() else plan_path.parent)
        return
    from internkontroll.problem_count import problems_line
    from internkontroll.risk_handling import handling_warnings
    from internkontroll.swedish import count_word

    unreadable: list[PlanProblem] = []
    plan, _ = _load(plan_path, unreadable=unreadable)
    for problem in unreadable:
        click.echo(str(problem), err=True)
    if unreadable:
        raise UserError(problems_line(unreadable, plan_path))
    for warning in handling_warnings(plan):
        click.echo(f"varning: {warning}", err=True)
    click.echo(
        f"{plan_path}: planen är giltig: {count_word(len(plan.risks), 'risk', 'risker')}, "
        f"{count_word(len(plan.controls), 'kontroll', 'kontroller')}, "
        f"{count_word(len(plan.datasets), 'datamängd', 'datamängder')}."
    )


def _validate_people(folder: Path) -> None:
    import tomllib

    from internkontroll import human_assessment
    from internkontroll.results import PLAN_SNAPSHOT

    path = folder / human_assessment.FILENAME
    if not path.is_file():
        raise UserError(f"{path} finns inte; ange en planfil, en resultatmapp eller bedomning.toml")
    control_ids: list[str] | None = None  # without the plan snapshot ids cannot be checked
    try:
        snapshot = tomllib.loads((folder / PLAN_SNAPSHOT).read_text(encoding="utf-8"))
        control_ids = [str(c.get("id")) for c in snapshot.get("control", [])]
    except (OSError, ValueError, AttributeError):
        pass
    count = _check_people(folder, control_ids)
    click.echo(f"{path}: filen är giltig: {count} kontroller.")


def _known_controls(plan: Plan, ids: list[str]) -> None:
    """Refuse ``--control`` ids the plan does not have, naming those it has."""
    unknown = sorted(set(ids) - {c.id for c in plan.controls})
    if unknown:
        raise UserError(
            f"kontrollen {', '.join(unknown)} finns inte i planen {plan.source}; "
            f"kända: {', '.join(c.id for c in plan.controls)}"
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
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATUM",
    help="Uppföljningen per detta datum (delår): varje kontrollperiod slutar där. "
    "Standard: planperiodens slut.",
)
def run(plan_path: Path, out: Path, only: tuple[str, ...], as_of: datetime | None) -> None:
    """Kör planens kontroller och skriv resultatmappen.

    Slutkod 0 när alla kontroller är bedömda eller väntar på en persons bedömning
    (manuella kontroller, kontroller utan kriterier), 3 när minst en är ej genomförd.
    """
    from internkontroll import process_gc

    process_gc.loading()
    if process_gc.owned():
        from internkontroll.allocator import one_arena

        one_arena()  # before the reading threads start
    from internkontroll.accounting import run_lines
    from internkontroll.allocator import give_back
    from internkontroll.document import Document
    from internkontroll.engine import run_plan
    from internkontroll.formats.text import PlainText
    from internkontroll.manual import hints, not_carried_out
    from internkontroll.privacy import PersonnummerLeak
    from internkontroll.progress import run_progress
    from internkontroll.report import bilaga1_table, load_results
    from internkontroll.result_folder import ResultFolderError, check_out, locked
    from internkontroll.results import write_results

    # An export that cannot be read fails the controls that read it, with the reason; the
    # others run.
    plan, host = _load(plan_path, unreadable=[])
    process_gc.settled()
    _known_controls(plan, list(only))
    if as_of is not None:
        from internkontroll.as_of import unknown_events

        problems = unknown_events(plan, host.checks(), set(only) if only else None)
        if problems:
            raise UserError("\n".join(problems))
    out = Path(os.path.abspath(out))  # the folder is replaced: "." would name the old one
    try:
        check_out(out)  # before anything runs: refused folders cost no time
        # A second run into the same folder is refused now, not after it has read everything
        # (the later of two runs would otherwise replace the earlier's folder, both exiting 0).
        with locked(out):
            # Before anything runs or is written; unknown controls are named with the
            # report's warnings.
            _check_people(out, None)
            plan.as_of = as_of.date() if as_of is not None else None
            if only:
                _refuse_mixed_moments(plan, out)
            with run_progress(plan) as progress:
                results = run_plan(plan, host, set(only) if only else None, progress)
            warnings = write_results(plan, results, out, partial=bool(only))
            give_back()  # before the folder is read back for the table
    except (PersonnummerLeak, ResultFolderError) as exc:
        raise UserError(str(exc)) from None
    for warning in warnings:
        click.echo(f"varning: {warning}", err=True)
    folder = load_results(out)
    table = bilaga1_table(folder)
    click.echo(PlainText().render(Document(title="", tables=[table])).decode("utf-8"))
    for result in results:
        if result.control.manual:  # no export read: nothing to account for
            continue
        if result.failure:  # its figures were never made: the rows it read prove nothing
            click.echo(f"{result.control.id}: ej genomförd: {result.failure}")
            continue
        rows_read = {source.dataset: source.rows for source in result.inputs}
        for line in run_lines(result.control.id, rows_read, result.tallies, result.outcome.metrics):
            click.echo(line)
        if result.detail:  # the metric names behind Bilaga 1's plain reason
            click.echo(f"{result.control.id}: {result.detail}")
    for warning in folder.warnings:
        click.echo(f"varning: {warning}", err=True)
    failed, waiting = not_carried_out(folder, {r.control.id for r in results})
    ran = "kontroll körd" if len(results) == 1 else "kontroller körda"
    summary = f"{len(results)} {ran}; resultat i {out}"
    if waiting:
        summary += f"; väntar på bedömning i bedomning.toml: {', '.join(waiting)}"
        for hint in hints(plan):
            click.echo(hint)
    if failed:
        summary += f"; ej genomförda: {', '.join(failed)}"
    click.echo(summary)
    if failed:
        raise click.exceptions.Exit(EXIT_NOT_DONE)


def _refuse_mixed_moments(plan: Plan, out: Path) -> None:
    from internkontroll.as_of import refuse_mixed
    from internkontroll.errors import DatasetError
    from internkontroll.results import RESULTS, read_results_file

    try:
        earlier = read_results_file(out) if (out / RESULTS).is_file() else None
        refuse_mixed(earlier, plan.as_of or plan.period_end(), plan.period_end())
    except DatasetError as exc:
        raise UserError(str(exc)) from None


TABLES = (
    "bilaga1",
    "risker",
    "atgarder",
    "utforare",
    "jamforelse",
    "plan",
    "sammanstallning",
    "trend",
    "all",
)
MANY_FOLDERS = ("sammanstallning", "trend")


def _plan_file_document(plan_path: Path, table: str) -> Document:
    """Before any run only the plan document can be made, from the plan itself."""
    from internkontroll.plan_document import plan_document

    if table != "plan":
        raise UserError(
            f"{plan_path} är en plan; tabellen {table} kommer ur en resultatmapp från "
            "internkontroll run. Ur planen själv: --table plan"
        )
    plan, _ = _load(plan_path, check_files=False)
    return plan_document(
        plan.header, plan.risk_scale, plan.risks, plan.controls, wording=plan.report
    )


def _plugins_dir_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--plugins-dir",
        type=click.Path(path_type=Path, file_okay=False),
        metavar="MAPP",
        help="Mapp med egna plugins (en .py-fil per plugin), utöver de installerade.",
    )(command)


def _plugin_host(plugins_dir: Path | None, *, warn: bool = True) -> PluginHost:
    """The installed plugins and those of ``--plugins-dir``; broken ones are warned about."""
    from internkontroll.plugins import PluginHost

    host = PluginHost(plugins_dir=plugins_dir)
    if warn:
        host.checks()
        host.formats()
        _warn_failures(host)
    return host


def _warn_failures(host: PluginHost) -> None:
    from internkontroll.privacy import redact

    for failure in host.failures:
        click.echo(f"varning: {redact(str(failure))}", err=True)


def _render(renderer: Format, document: Document, what: str) -> bytes:
    """A format's bytes; a plugin's error or wrong result is its own, named message."""
    from internkontroll.interrupts import describe, user_interrupted
    from internkontroll.privacy import redact
    from internkontroll.rendered import render_problem

    try:
        content = renderer.render(document)
    except BaseException as exc:  # sys.exit() in a format too
        if user_interrupted(exc):
            raise
        reason = f"{type(exc).__name__}: {exc}" if isinstance(exc, Exception) else describe(exc)
        raise UserError(redact(f"{what} kunde inte skriva rapporten: {reason}")) from None
    if not isinstance(content, bytes):
        raise UserError(f"{what} gav {type(content).__name__}, inte bytes")
    problem = render_problem(content, binary=renderer.binary)
    if problem:
        raise UserError(f"{what} {problem}")
    return content


@cli.command()
@click.argument(
    "folders", metavar="DIR|PLAN", nargs=-1, type=click.Path(path_type=Path)
)
@click.option(
    "--table",
    "table",
    type=click.Choice(TABLES),
    default="bilaga1",
    show_default=True,
    help="Tabellen: bilaga1, risker, atgarder, utforare, jamforelse, plan, all, eller "
    "sammanstallning över flera nämnders resultatmappar (DIR1 DIR2 ...), trend (riskerna "
    "över åren, ur flera års mappar eller registret).",
)
@click.option(
    "--format",
    "fmt",
    default=None,
    metavar="FORMAT",
    help="md, txt, csv, html, xlsx, docx eller ett format från en plugin; standard: "
    "filändelsen i --output, annars md.",
)
@click.option("--output", type=click.Path(path_type=Path), help="Fil att skriva (annars skärmen).")
@click.option(
    "--compare",
    type=click.Path(path_type=Path),
    metavar="MAPP",
    help="Förra årets resultatmapp: dess utfall visas bredvid årets.",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    help="Registret (från publish) i stället för resultatmappar: sammanstallning och trend.",
)
@click.option("--year", type=int, help="Året ur registret (sammanstallning; trend: till och med).")
@_plugins_dir_option
def report(
    folders: tuple[Path, ...],
    table: str,
    fmt: str | None,
    output: Path | None,
    compare: Path | None,
    db_path: Path | None,
    year: int | None,
    plugins_dir: Path | None,
) -> None:
    """Skriv rapportens tabeller från en resultatmapp, eller planen från PLAN.toml.

    \b
    internkontroll report resultat --table bilaga1 --format docx --output bilaga1.docx
    internkontroll report plan.toml --table plan --format docx --output plan.docx
    internkontroll report von-2024 sn-2024 --table sammanstallning --output ks.docx
    internkontroll report --db register.db --year 2025 --table trend --output trend.xlsx
    """
    from internkontroll.document import guard_document
    from internkontroll.errors import DatasetError
    from internkontroll.privacy import PersonnummerLeak
    from internkontroll.report import report_document
    from internkontroll.results import write_atomic_bytes

    host = _plugin_host(plugins_dir)
    formats = host.formats()
    fmt = _format_for(fmt, output, formats)
    if fmt not in formats:
        raise UserError(f"okänt format {fmt!r}; kända: {', '.join(formats)}")
    renderer = formats[fmt]
    _writable(output, renderer.suffix)
    if fmt == "csv" and table == "all":
        raise UserError(
            "CSV rymmer en tabell per fil; välj en med --table (t.ex. --table bilaga1), eller "
            "skriv alla tabeller i en fil med --format xlsx, docx, html, md eller txt"
        )
    if db_path is not None:
        if folders or table not in MANY_FOLDERS:
            raise UserError("--db går med --table sammanstallning eller trend, utan resultatmappar")
        if table == "sammanstallning" and year is None:
            raise UserError("ange --year, t.ex. --year 2025, för sammanställningen ur registret")
    elif not folders:
        raise UserError("ange en resultatmapp, en plan eller --db REGISTER")
    elif table not in MANY_FOLDERS and len(folders) != 1:
        raise UserError(
            "ange en resultatmapp; flera mappar går bara med --table sammanstallning eller trend"
        )
    try:
        if db_path is not None:
            document = _from_register(db_path, table, year, one_table=fmt == "csv")
        elif table == "sammanstallning":
            document = _overview(folders, one_table=fmt == "csv")
        elif table == "trend":
            document = _trend(folders)
        elif folders[0].is_file():
            document = _plan_file_document(folders[0], table)
        else:
            document = report_document(folders[0], table, compare)
        guard_document(document)
    except (DatasetError, ValueError, PersonnummerLeak) as exc:
        raise UserError(str(exc)) from None
    content = _render(renderer, document, f"formatet {fmt} (plugin {host.format_origin(fmt)})")
    for warning in document.warnings:
        click.echo(f"varning: {warning}", err=True)
    if output is None:
        if renderer.binary:
            raise UserError(f"formatet {fmt} är binärt; ange --output FIL{renderer.suffix}")
        click.echo(content.decode("utf-8-sig"), nl=False)
    else:
        write_atomic_bytes(output, content)
        click.echo(f"Skrev {output}", err=True)


def _writable(output: Path | None, suffix: str) -> None:
    """Refuse an --output inside a results folder or over a file of another kind."""
    from internkontroll.output_target import output_problem

    problem = output_problem(output, suffix) if output is not None else None
    if problem is not None:
        raise UserError(problem)


def _named_as(output: Path | None, suffix: str) -> None:
    """Refuse a file of one kind under another's name: an SVG called .png opens as a broken
    picture, and a calendar file without .ics is not offered to Outlook."""
    if output is not None and output.suffix.casefold() != suffix:
        raise UserError(
            f"{output}: filen skrivs som {suffix[1:].upper()}; ge den ändelsen {suffix}, "
            f"t.ex. {output.with_suffix(suffix).name}"
        )


@cli.command("carry-over")
@click.argument("folder", metavar="RESULTAT", type=click.Path(path_type=Path))
@click.option("--year", type=int, required=True, help="Året planen gäller, t.ex. 2026.")
@click.option(
    "--plan",
    "next_plan",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Nästa års plan: risker och datamängder den redan har upprepas inte.",
)
@click.option(
    "--output", type=click.Path(path_type=Path), help="Ny fil att skriva (annars skärmen)."
)
def carry_over_command(
    folder: Path, year: int, next_plan: Path | None, output: Path | None
) -> None:
    """Öppna åtgärder och kontroller med anmärkning, som TOML till nästa års plan."""
    from internkontroll.carry_over import carry_over
    from internkontroll.errors import DatasetError
    from internkontroll.privacy import guard
    from internkontroll.report import load_results
    from internkontroll.results import write_atomic

    if output is not None and output.exists():
        raise UserError(f"{output} finns redan; carry-over skriver bara en ny fil")
    try:
        text = guard(carry_over(folder, load_results(folder), year, next_plan), "carry-over")
    except DatasetError as exc:
        raise UserError(str(exc)) from None
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"Skrev {output}", err=True)


def _overview(folders: tuple[Path, ...], *, one_table: bool) -> Document:
    from internkontroll.overview import from_folder
    from internkontroll.report import load_results

    return _overview_of([from_folder(load_results(folder)) for folder in folders], one_table)


def _trend(folders: tuple[Path, ...]) -> Document:
    from internkontroll.overview import BodyResults, refuse_duplicates
    from internkontroll.report import load_results
    from internkontroll.trend import from_results_folder, trend_document

    loaded = [load_results(folder) for folder in folders]
    # Only the nämnd and year matter here; the rows are built once, by from_results_folder.
    refuse_duplicates([BodyResults(f.header.organisation, f.header.year, []) for f in loaded])
    return trend_document([row for folder in loaded for row in from_results_folder(folder)])


def _from_register(db_path: Path, table: str, year: int | None, one_table: bool) -> Document:
    from internkontroll.register import bodies, risk_years
    from internkontroll.trend import trend_document

    if table == "trend":
        return trend_document(risk_years(db_path, year))
    assert year is not None
    return _overview_of(bodies(db_path, year), one_table)


def _overview_of(bodies: list[Any], one_table: bool) -> Document:
    from internkontroll.overview import overview_document

    document = overview_document(bodies)
    if one_table:  # CSV holds one table per file: the counts, and a word about the rest
        document.tables = document.tables[:1]
        document.warnings.append(
            "CSV rymmer en tabell: filen har antalen per nämnd; kontrollpunkterna med "
            "anmärkning och sammanfattningen finns i md, txt, html, xlsx och docx"
        )
    return document


def _format_for(fmt: str | None, output: Path | None, formats: dict[str, Any]) -> str:
    """--format, else the format whose suffix --output has (x.docx → docx), else md."""
    suffix = output.suffix.lower() if output is not None else ""
    by_suffix = [name for name, f in formats.items() if getattr(f, "suffix", "") == suffix]
    if fmt is None:
        if output is not None and not by_suffix:
            known = ", ".join(sorted({str(getattr(f, "suffix", "")) for f in formats.values()}))
            raise UserError(
                f"{output}: filändelsen {suffix or '(ingen)'} hör inte till något format; "
                f"ange --format eller en fil som slutar på {known}"
            )
        return by_suffix[0] if by_suffix else "md"
    if by_suffix and fmt not in by_suffix and fmt in formats:
        raise UserError(
            f"--format {fmt} skriver {formats[fmt].suffix}, men --output {output} slutar på "
            f"{suffix}; ändra det ena"
        )
    return fmt


@cli.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--moment",
    default=None,
    type=click.Choice(["delår", "helår", "delårsbokslutet", "årsbokslutet"], case_sensitive=False),
    help='delår eller delårsbokslutet ger "vid delårsbokslutet", helår eller årsbokslutet "vid '
    'årsbokslutet". Standard: resultatens datum, "vid årsbokslutet" eller "per den 31 augusti '
    '2024".',
)
def summary(folder: Path, moment: str | None) -> None:
    """Skriv årsredovisningens stycke om internkontrollen."""
    from internkontroll.errors import DatasetError
    from internkontroll.report import load_results
    from internkontroll.summary import MOMENTS, summary_paragraph

    try:
        click.echo(summary_paragraph(load_results(folder), MOMENTS[moment] if moment else None))
    except DatasetError as exc:
        raise UserError(str(exc)) from None


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path("riskmatris.svg"),
    show_default=True,
    help="SVG-filen att skriva.",
)
def matrix(plan_path: Path, output: Path) -> None:
    """Rita riskmatrisen (SVG) för planens risker."""
    from internkontroll.matrix import risk_matrix_svg
    from internkontroll.results import write_atomic

    _named_as(output, ".svg")
    _writable(output, ".svg")
    plan, _ = _load(plan_path)
    write_atomic(output, risk_matrix_svg(plan.risks, plan.risk_scale))
    click.echo(f"Skrev {output}")


@cli.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--plugins",
    "allow_plugins",
    is_flag=True,
    help="Kör planens egna plugins (plugins_dir) vid omräkningen; bara för mappar du litar på.",
)
def verify(folder: Path, allow_plugins: bool) -> None:
    """Kontrollera att resultaten fortfarande följer av sina indata: hashar och siffror.

    Läser bara: varje fil i mappen jämförs med manifestet i resultat.json, indata och plan med
    sina sha256, och planen körs om. Planens egna plugins körs bara med --plugins.
    """
    from internkontroll.errors import DatasetError
    from internkontroll.verify import verify as verify_folder

    try:
        found = verify_folder(folder, allow_plugins=allow_plugins)
    except DatasetError as exc:
        raise UserError(str(exc)) from None
    if found.confirmed:
        click.echo(
            f"{folder}: bekräftat. Varje fil stämmer med manifestet, samma indata (sha256) och "
            "plan, och en ny körning ger samma siffror, bedömningar och urval."
        )
        return
    for line in found.differences:
        click.echo(line)
    count = len(found.differences)
    words = "skillnad" if count == 1 else "skillnader"
    raise UserError(f"{count} {words} mot resultaten i {folder}")


class _SampleGroup(_Group):
    """``sample PLAN ...`` draws; ``sample size`` and ``sample evaluate`` are subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["draw", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_SampleGroup)
def sample() -> None:
    """Stickprov: dra ett urval till ett arbetsblad, eller räkna urvalsstorlek och övre gräns.

    \b
    internkontroll sample PLAN --control ID --out granskning.xlsx
    internkontroll sample size --confidence 0.95 --tolerable 0.05
    internkontroll sample evaluate --size 59 --deviations 0 --confidence 0.95
    """


@sample.command("draw")
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.option("--control", "control_id", required=True, metavar="ID", help="Kontrollens id.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Arbetsbladet att skriva (.xlsx eller .csv); en befintlig fil skrivs inte över.",
)
def sample_draw(plan_path: Path, control_id: str, out: Path) -> None:
    """Dra kontrollens urval och skriv arbetsbladet för granskaren."""
    from internkontroll import worksheets
    from internkontroll.engine import draw_sample
    from internkontroll.errors import DatasetError
    from internkontroll.models import dataset_roles
    from internkontroll.monetary_sample import MonetaryDrawn, worksheet_fields
    from internkontroll.privacy import PersonnummerLeak
    from internkontroll.sample_size import SamplingError
    from internkontroll.swedish import number

    plan, host = _load(plan_path)
    _known_controls(plan, [control_id])
    try:
        run, drawn = draw_sample(plan, host, control_id)
        check = run.check
        population = plan.datasets.get(dataset_roles(run.control).get(check.roles[0], ""))
        header, body = worksheets.build(
            drawn.rows,
            drawn.strata,
            check.key_field or "",
            worksheet_fields(run.control.sample, check.worksheet_fields(check.params)),
            run.review_columns,
            population.columns if population is not None else None,
        )
        day = plan.control_period(run.control).end
        worksheets.write(out, header, body, run.review_columns, day=day)
    except (DatasetError, worksheets.WorksheetError, PersonnummerLeak, SamplingError) as exc:
        raise UserError(str(exc)) from None
    info = drawn.info
    strata = ", ".join(
        f"{name} {n} av {drawn.population_by_stratum[name]}" for name, n in info.strata.items()
    )
    click.echo(
        f"Skrev {out}: {info.size} av {drawn.population} ärenden "
        f"({info.method}, frö {info.seed}{'; ' + strata if strata else ''})."
    )
    if isinstance(drawn, MonetaryDrawn) and drawn.plan is not None:
        click.echo(
            f"Beloppsurval: bokfört värde {number(drawn.plan.book_value)} kr, "
            f"{drawn.plan.size} urvalspunkter, intervall {number(drawn.plan.interval)} kr."
        )
    answers = ", ".join(f"{c} ({kind})" for c, kind in run.review_columns.items())
    if answers:
        click.echo(f"Granskaren fyller i {answers} och kommentar.")


def _model_options(command: Callable[..., None]) -> Callable[..., None]:
    """--population, --model and --json: shared by ``sample size`` and ``sample evaluate``."""
    command = click.option("--json", "as_json", is_flag=True, help="Skriv ett JSON-objekt.")(
        command
    )
    command = click.option(
        "--model",
        type=click.Choice(["binomial", "poisson", "hypergeometric"]),
        default=None,
        help="Standard: hypergeometric med --population, annars binomial.",
    )(command)
    return click.option("--population", type=click.IntRange(min=1), help="Populationens storlek.")(
        command
    )


def _chosen_model(model: str | None, population: int | None) -> Model:
    return cast("Model", model or ("hypergeometric" if population else "binomial"))


_EXAMPLES = {"--confidence": "0.95", "--tolerable": "0.05"}


def _probability(value: float, option: str) -> float:
    if not 0 < value < 1:
        example = _EXAMPLES.get(option, "0.95")
        raise click.BadParameter(
            f"ska ligga mellan 0 och 1 (inte 0 eller 1), t.ex. {example}",
            param_hint=f"'{option}'",
        )
    return value


@sample.command("size")
@click.option("--confidence", type=float, required=True, help="Säkerhet, t.ex. 0.95.")
@click.option(
    "--tolerable", type=float, required=True, help="Tolerabel avvikelsefrekvens, t.ex. 0.05."
)
@click.option(
    "--expected",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Förväntat antal avvikelser.",
)
@click.option(
    "--expected-rate",
    type=click.FloatRange(min=0, max=1, max_open=True),
    default=None,
    help="Förväntad avvikelsefrekvens i urvalet, t.ex. 0.01 (i stället för --expected).",
)
@_model_options
def sample_size(
    confidence: float,
    tolerable: float,
    expected: int,
    expected_rate: float | None,
    population: int | None,
    model: str | None,
    as_json: bool,
) -> None:
    """Urvalsstorlek för attributurval."""
    import json

    from internkontroll.sample_size import SamplingError, plan_size
    from internkontroll.swedish import given_percent, number

    chosen = _chosen_model(model, population)
    if expected and expected_rate is not None:
        raise UserError("ange antingen --expected (antal) eller --expected-rate (andel), inte båda")
    try:
        plan = plan_size(
            _probability(confidence, "--confidence"),
            _probability(tolerable, "--tolerable"),
            expected,
            population,
            chosen,
            expected_rate,
        )
    except SamplingError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        click.echo(
            json.dumps(
                {
                    "size": plan.size,
                    "confidence": confidence,
                    "tolerable": tolerable,
                    "expected": plan.expected,
                    "expected_rate": expected_rate,
                    "population": population,
                    "model": chosen,
                }
            )
        )
        return
    allowed = number(plan.expected, 2)
    if expected_rate is not None:
        allowed += f" (förväntad avvikelsefrekvens {given_percent(expected_rate)} procent)"
    click.echo(
        f"Urvalet behöver {plan.size} beslut för att med {given_percent(confidence)} procents "
        f"säkerhet visa att avvikelsefrekvensen är under {given_percent(tolerable)} procent, "
        f"om högst {allowed} {'avvikelse' if plan.expected == 1 else 'avvikelser'} hittas "
        f"({chosen})."
    )


@sample.command("evaluate")
@click.option("--size", type=click.IntRange(min=1), required=True, help="Urvalets storlek.")
@click.option("--deviations", type=click.IntRange(min=0), required=True, help="Funna avvikelser.")
@click.option("--confidence", type=float, default=0.95, show_default=True, help="Säkerhet.")
@_model_options
def sample_evaluate(
    size: int,
    deviations: int,
    confidence: float,
    population: int | None,
    model: str | None,
    as_json: bool,
) -> None:
    """Övre gräns för avvikelsefrekvensen i ett granskat urval."""
    import json

    from internkontroll.sample_size import SamplingError, upper_limit
    from internkontroll.swedish import count_word, number

    chosen = _chosen_model(model, population)
    try:
        sure = _probability(confidence, "--confidence")
        limit = upper_limit(size, deviations, sure, population, chosen)
    except SamplingError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        click.echo(
            json.dumps(
                {
                    "upper_limit": round(limit, 6),
                    "size": size,
                    "deviations": deviations,
                    "confidence": confidence,
                    "population": population,
                    "model": chosen,
                }
            )
        )
        return
    found = (
        "inga avvikelser" if deviations == 0 else count_word(deviations, "avvikelse", "avvikelser")
    )
    click.echo(
        f"Urvalet om {count_word(size, 'beslut', 'beslut')} innehöll {found}; med "
        f"{number(confidence * 100, 1)} procents säkerhet är avvikelsefrekvensen högst "
        f"{number(limit * 100, 1)} procent ({chosen})."
    )


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.option("--control", "control_id", required=True, metavar="ID", help="Kontrollens id.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Arbetsbladet att skriva (.xlsx eller .csv); en befintlig fil skrivs inte över.",
)
def checklist(plan_path: Path, control_id: str, out: Path) -> None:
    """Skriv checklistan för en manuell kontroll: en rad per punkt, svar ja/nej/ej tillämpligt."""
    import os

    from internkontroll.checklist import write_checklist
    from internkontroll.privacy import PersonnummerLeak
    from internkontroll.swedish import count_word
    from internkontroll.worksheets import WorksheetError

    plan, _ = _load(plan_path)
    _known_controls(plan, [control_id])
    control = next(c for c in plan.controls if c.id == control_id)
    if not control.items:
        raise UserError(
            f"kontrollen {control_id} har ingen checklista; lägg till "
            'items = ["punkt 1", "punkt 2"] under dess [[control]] i planen'
        )
    try:
        write_checklist(out, control.items)
    except (WorksheetError, PersonnummerLeak) as exc:
        raise UserError(str(exc)) from None
    items = count_word(len(control.items), "punkt", "punkter")
    click.echo(f"Skrev {out}: {items} för {control.id} {control.title}.")
    if control.worksheet is None:
        relative = Path(os.path.relpath(out.resolve(), plan.source.parent)).as_posix()
        click.echo(f'Ange worksheet = "{relative}" under kontrollen {control.id} i planen.')
    click.echo(
        "Fyll i svar (ja, nej eller ej tillämpligt) och kommentar, och kör internkontroll run."
    )


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.option("--month", metavar="ÅÅÅÅ-MM", help="Bara denna månad, t.ex. 2025-03.")
@click.option(
    "--ics",
    type=click.Path(path_type=Path),
    metavar="FIL",
    help="Skriv datumen som kalenderfil (.ics) att öppna i Outlook.",
)
def due(plan_path: Path, month: str | None, ics: Path | None) -> None:
    """Visa när kontrollerna ska utföras och rapporteras, enligt frequency och report_at."""
    import re

    from tabulate import tabulate

    from internkontroll import due as schedule
    from internkontroll.results import write_atomic_bytes

    _named_as(ics, ".ics")
    _writable(ics, ".ics")
    plan, _ = _load(plan_path, check_files=False)
    items = schedule.occasions(plan)
    if month is not None:
        match = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
        if match is None or not 1 <= int(match[2]) <= 12:
            raise UserError(f"--month {month}: väntade år och månad, t.ex. 2025-03")
        items = schedule.in_month(items, int(match[1]), int(match[2]))
    if ics is not None:
        write_atomic_bytes(ics, schedule.calendar_bytes(plan, items))
        click.echo(f"Skrev {ics}: {len(items)} datum.", err=True)
    undated = [c.id for c in plan.controls if not c.frequency and not c.report_at]
    if items:
        click.echo(tabulate(schedule.rows(items), headers=schedule.COLUMNS))
    else:
        click.echo("Inget att utföra eller rapportera" + (f" i {month}." if month else "."))
    if undated:
        click.echo(f"Utan frequency och report_at (inga datum): {', '.join(undated)}", err=True)


@cli.command()
@click.argument(
    "folders", metavar="DIR...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--db", "db_path", required=True, type=click.Path(path_type=Path), help="Registrets databas."
)
def publish(folders: tuple[Path, ...], db_path: Path) -> None:
    """Lägg resultatmappar i registret (SQLite); samma mapp två gånger ändrar inget."""
    from internkontroll.errors import DatasetError
    from internkontroll.register import publish as publish_folder

    for folder in folders:
        try:
            done = publish_folder(folder, db_path)
        except DatasetError as exc:
            raise UserError(str(exc)) from None
        counts = ", ".join(f"{table} {n}" for table, n in done.rows.items())
        verb = "Publicerade" if done.changed else "Oförändrat i registret:"
        click.echo(f"{verb} {done.plan} ({counts})")


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
def browse(db_path: Path, port: int) -> None:
    """Öppna registret i webbläsaren med Datasette (bara på den här datorn, 127.0.0.1)."""
    from internkontroll.register_browse import serve

    try:
        serve(db_path, port)
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise UserError(str(exc)) from None


@cli.command()
@click.argument("folder", metavar="MAPP", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Skapa en startplan med exempeldata i MAPP; befintliga filer skrivs aldrig över."""
    from internkontroll.starter import write_starter

    try:
        written = write_starter(folder)
    except FileExistsError as exc:
        raise UserError(str(exc)) from None
    for path in written:
        click.echo(f"Skrev {path}")
    plan = folder / "plan.toml"
    click.echo(
        f"Nästa steg: internkontroll validate {plan} och "
        f"internkontroll run {plan} --out {folder / 'resultat'}"
    )


@cli.command()
@_plugins_dir_option
def plugins(plugins_dir: Path | None) -> None:
    """Lista kontrolltyperna och utdataformaten, med plugin och paket de kommer från."""
    from tabulate import tabulate

    host = _plugin_host(plugins_dir, warn=False)
    rows = []
    for name, check in host.checks().items():
        try:
            by_role = check.role_fields(check.Params())
        except Exception:  # params without defaults: show the fields every control needs
            by_role = {check.roles[0]: dict(check.fields)}
        fields = "; ".join(
            f"{role}: {', '.join(names)}" if role else ", ".join(names)
            for role, names in by_role.items()
        )
        plugin = host.origin(name)
        rows.append([name, check.version, check.title, fields, plugin, host.distribution(plugin)])
    click.echo("Kontrolltyper\n")
    click.echo(tabulate(rows, headers=["Namn", "Version", "Titel", "Fält", "Plugin", "Paket"]))
    rows = []
    for name, fmt in host.formats().items():
        plugin = host.format_origin(name)
        binary = "ja" if fmt.binary else "nej"
        rows.append([name, fmt.suffix, binary, plugin, host.distribution(plugin)])
    click.echo("\nUtdataformat\n")
    click.echo(tabulate(rows, headers=["Namn", "Filändelse", "Binärt", "Plugin", "Paket"]))
    _warn_failures(host)


if __name__ == "__main__":  # pragma: no cover
    cli(prog_name="internkontroll")
