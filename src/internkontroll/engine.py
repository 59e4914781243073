"""The engine: each dataset streamed once, in batches, every control on it fed, then judged.

Ten controls on one export cost one pass. A check with ``feed_batch`` folds each batch whole
(``observe_batch``, ``population_where``, ``feed_batch``) with its findings held and put back
in row order; any other check is offered the batch's rows one by one, as the row path
(``batch_rows=0``, the reference the tests compare with) offers every row. A control whose
check raises, returns nonsense or cannot read its data becomes ``ej_genomford`` with the
reason, and the others go on. A control with a sample collects its population during the
pass, draws, and only then feeds the check the sampled rows, with the reviewer's answers when
a filled worksheet is named.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from internkontroll.accounting import Tally
from internkontroll.allocator import give_back
from internkontroll.assessment import Assessment
from internkontroll.checks import Check, ControlContext, control_fields, dataset_places
from internkontroll.criteria import judge, missing_detail
from internkontroll.datasets import Dataset, Row
from internkontroll.errors import DatasetError
from internkontroll.interrupts import describe, user_interrupted
from internkontroll.metrics import declared, labels_for, undeclared
from internkontroll.models import Control, Plan, dataset_roles
from internkontroll.outcome import Outcome
from internkontroll.planfile import describe_validation_error
from internkontroll.plugins import PluginHost
from internkontroll.privacy import PersonnummerLeak, contains_personnummer, leak_in, redact
from internkontroll.read_ahead import Background, read_ahead
from internkontroll.repeats import RepeatedIds
from internkontroll.seen import SeenIds
from internkontroll.values import FieldType
from internkontroll.worksheets import WorksheetError, read_answers

if TYPE_CHECKING:
    from internkontroll.batch import Batch
    from internkontroll.control_sample import DrawnSample, Sampler
    from internkontroll.monetary_sample import MonetarySampler
    from internkontroll.repeats import Numbers

Progress = Callable[[int], None]
PROGRESS_STEP = 8192
BATCH_ROWS = 8192
"""Rows read at once: what a check with ``feed_batch`` folds in one call."""


@dataclass
class InputRecord:
    dataset: str
    path: str
    sha256: str
    rows: int


@dataclass
class ControlResult:
    control: Control
    assessment: Assessment
    reason: str
    outcome: Outcome = field(default_factory=Outcome)
    inputs: list[InputRecord] = field(default_factory=list)
    check_version: str = ""
    # Rows of the primary dataset that reached the check (or its sampler): the rest of the rows
    # read were invalid, duplicates or outside the check's population.
    rows_in_population: int = 0
    rows_refused: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    """Per dataset read (the population's first), where its rows went: ``accounting``."""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each figure's Swedish label and unit, as the check declared them."""
    awaiting: bool = False
    """No criteria judged it: a person assesses it in bedomning.toml (manual.py)."""
    status: str = ""
    """planerad, pagar or genomford; empty means worked out from the assessment."""
    failure: str = ""
    """Why the control could not be carried out (its data unreadable, its check broken ...);
    empty when it ran."""
    detail: str = ""
    """What a controller needs beside ``reason`` (the metric names the criteria asked for and
    the ones there were); kept out of reports, which show ``reason``."""

    def __post_init__(self) -> None:
        if not self.status:
            failed = self.assessment is Assessment.EJ_GENOMFORD
            self.status = "pagar" if failed else "genomford"


class _ControlRun:
    """One control being fed: data quality first, then population, sample and the check's fold."""

    def __init__(
        self,
        control: Control,
        check: Check[Any],
        needed: dict[str, dict[str, FieldType]],
        datasets: dict[str, str],
    ):
        self.control = control
        self.check = check
        self.needed = needed  # role -> fields
        self.datasets = datasets  # dataset name -> role
        self.primary = check.roles[0]
        self.error: str | None = None
        self.sampler: Sampler | MonetarySampler | None = None
        self.review_columns = dict(check.review_columns)  # a sample by amount adds its own
        self.extra_inputs: list[InputRecord] = []
        self.tallies = {role: Tally() for role in check.roles}
        self.counted = self.tallies[self.primary]
        # Skip the calls a check does not override: they run once per row.
        kind = type(check)
        self._observes = kind.observe is not Check.observe
        self._filters = kind.in_population is not Check.in_population
        # A check without feed_batch is offered rows one by one even when the engine reads
        # batches: its observe and in_population may depend on each other row by row.
        self.folds_batches = kind.feed_batch is not Check.feed_batch
        self._observes_batches = self._observes or kind.observe_batch is not Check.observe_batch
        self._filters_batches = self._filters or kind.population_where is not Check.population_where
        if control.sample is not None:
            if check.key_field is None:
                raise ValueError(
                    f"kontrolltypen {control.check} har inget ärende-id att dra urval på"
                )
            # Imported only for a control with a sample (two dozen classes a run would make).
            from internkontroll.control_sample import Sampler
            from internkontroll.monetary_sample import MonetarySampler, review_columns

            self.review_columns = review_columns(control.sample, check.review_columns)
            sampler = MonetarySampler if control.sample.method == "monetary" else Sampler
            self.sampler = sampler(control.sample, check.key_field)
        # Per role, the text fields whose values the results show: a personnummer in one
        # refuses its row (the sample's strata are shown too).
        shown = {role: set(names) for role, names in kind.label_fields(check.params).items()}
        if control.sample is not None and control.sample.stratify_by:
            shown.setdefault(self.primary, set()).add(control.sample.stratify_by)
        self.labels = {
            role: sorted(name for name in names if needed.get(role, {}).get(name) == "text")
            for role, names in shown.items()
        }

    def offer(self, row: Row, role: str) -> None:
        """Called for every row of every dataset the control reads: kept lean on purpose."""
        row.role = role
        check = self.check
        if row.errors:
            needed = self.needed.get(role, {})
            # A line that gave no record has the same message for every field: say it once.
            bad = list(dict.fromkeys(m for name, m in row.errors.items() if name in needed))
            if bad:
                self.tallies[role].refused += 1
                check.reject(row, "; ".join(bad))
                return
        labels = self.labels.get(role)
        if labels:
            hidden = _personnummer_field(row, labels)
            if hidden is not None:
                self.tallies[role].refused += 1
                check.reject(row, _hidden_reason(check, row, hidden))
                return
        if row.duplicate_of and role == self.primary and check.key_field in row.duplicate_of:
            check.note_duplicate(row, row.duplicate_of[check.key_field])
            return
        if self._observes:
            check.observe(row)
        if role != self.primary:
            invalid, outside = check.invalid_rows, check.outside_rows
            check.feed(row)
            self.tallies[role].rejected += check.invalid_rows - invalid
            self.tallies[role].outside += check.outside_rows - outside
            return
        if self._filters:
            invalid, excluded = check.invalid_rows, check.excluded
            used = check.used_outside_population
            if not check.in_population(row):
                self._left_before(invalid, excluded, used)
                return
        self.counted.population += 1
        if self.sampler is not None:
            self.sampler.add(row)
        else:
            outside = check.outside_rows
            check.feed(row)
            self.counted.outside += check.outside_rows - outside

    def _left_before(self, invalid: int, excluded: int, used: int) -> None:
        """Count the rows the check rejected, excluded or used outside its population since
        it had ``invalid``, ``excluded`` and ``used``, while it decided what belongs to it."""
        before = self.counted.before_population
        before["invalid"] += self.check.invalid_rows - invalid
        before["excluded"] += self.check.excluded - excluded
        before["used"] += self.check.used_outside_population - used

    def fold(self, batch: Batch, role: str, repeats: dict[str, Numbers]) -> None:
        """``offer`` for a batch of rows as read, for a check with ``feed_batch``: the engine's
        findings for unreadable and repeated rows, then the check's phases on the rest. The
        findings are held and let out in row order, so they come as the row path's do."""
        check = self.check
        log = check.findings
        log.hold()
        try:
            batch = batch.with_role(role)
            batch.log = log
            self._fold(batch, role, repeats)
        finally:
            log.release()

    def _fold(self, batch: Batch, role: str, repeats: dict[str, Numbers]) -> None:
        check = self.check
        primary = role == self.primary
        needed = self.needed.get(role, {})
        bad = batch.errors_in(needed)
        left_out = bad
        cases: list[tuple[Any, Callable[[Row], None]]] = [
            (bad, lambda row: check.reject(row, _unreadable(row, needed)))
        ]
        labels = self.labels.get(role)
        if labels:
            numbers = _personnummer_rows(batch, labels) & ~bad
            if numbers.any():
                cases.append(
                    (
                        numbers,
                        lambda row: check.reject(
                            row, _hidden_reason(check, row, _personnummer_field(row, labels))
                        ),
                    )
                )
                bad = bad | numbers
                left_out = bad
        first = repeats.get(check.key_field or "") if primary else None
        if first is not None:
            repeated = (first > 0) & ~bad
            if repeated.any():
                numbers = batch.numbers
                earlier = {
                    numbers[index]: int(first[index]) for index in repeated.nonzero()[0].tolist()
                }
                cases.append((repeated, lambda row: check.note_duplicate(row, earlier[row.number])))
                left_out = bad | repeated
        self.tallies[role].refused += int(bad.sum())
        if left_out.any():
            batch.each_where(*cases)
            batch = batch.take(~left_out)
        if not len(batch):
            return
        if self._observes_batches:
            check.observe_batch(batch)
        if not primary:
            invalid, outside = check.invalid_rows, check.outside_rows
            check.feed_batch(batch)
            self.tallies[role].rejected += check.invalid_rows - invalid
            self.tallies[role].outside += check.outside_rows - outside
            return
        if self._filters_batches:
            invalid, excluded = check.invalid_rows, check.excluded
            used = check.used_outside_population
            belongs = check.population_where(batch)
            self._left_before(invalid, excluded, used)
            self.counted.population += int(belongs.sum())
            if not belongs.all():
                batch = batch.take(belongs)
        else:
            self.counted.population += len(batch)
        if not len(batch):
            return
        if self.sampler is not None:
            batch.each_row(self.sampler.add)
        else:
            outside = check.outside_rows
            check.feed_batch(batch)
            self.counted.outside += check.outside_rows - outside

    def fail(self, exc: BaseException) -> None:
        self.error = _describe(exc)


def _holds_personnummer(value: object) -> bool:
    return isinstance(value, str) and contains_personnummer(value)


def _personnummer_field(row: Row, labels: list[str]) -> str | None:
    """The first of ``labels`` whose value in ``row`` holds a personnummer, or None."""
    return next((name for name in labels if _holds_personnummer(row[name])), None)


def _personnummer_rows(batch: Batch, labels: list[str]) -> Any:
    """``_personnummer_field`` for many rows: the rows with one, asked once per value."""
    mask = batch.where(labels[0], _holds_personnummer)
    for name in labels[1:]:
        mask |= batch.where(name, _holds_personnummer)
    return mask


def _hidden_reason(check: Check[Any], row: Row, name: str | None) -> str:
    """A personnummer where the check shows the value: where, never the value itself."""
    where = check.context.cell(row, name or "")
    return (
        f"{where}: värdet är ett personnummer och visas inte; kolumnen ska ha ett värde som "
        "kontrollen kan visa i sina siffror och texter (t.ex. en insats, en lag eller ett "
        "namn på en enhet), så raden räknas inte"
    )


def _unreadable(row: Row, needed: dict[str, FieldType]) -> str:
    """Why a row is refused: the messages of the needed fields that did not parse, each once (a
    line that gave no record has the same message for every field)."""
    return "; ".join(dict.fromkeys(m for name, m in row.errors.items() if name in needed))


def _describe(exc: BaseException) -> str:
    if not isinstance(exc, Exception):
        return redact(describe(exc))
    if isinstance(exc, ValidationError):
        # A check built an Outcome (or other model) of the wrong shape: pydantic's English
        # would reach Bilaga 1 as the reason.
        what = "kontrolltypens resultat (Outcome)" if exc.title == "Outcome" else exc.title
        return redact(f"{what} är ogiltigt: {describe_validation_error(exc)}")
    text = str(exc) or type(exc).__name__
    plain = isinstance(exc, DatasetError | WorksheetError | PersonnummerLeak)
    return redact(text if plain else f"{type(exc).__name__}: {text}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _failed(control: Control, why: str, inputs: list[InputRecord] | None = None) -> ControlResult:
    return ControlResult(
        control,
        Assessment.EJ_GENOMFORD,
        f"Kontrollen kunde inte genomföras: {why}",
        inputs=inputs or [],
        failure=why,
    )


def _prepare(
    plan: Plan, host: PluginHost, only: set[str] | None
) -> tuple[dict[str, ControlResult], list[_ControlRun]]:
    """Instantiate each control's check; failures and manual controls become results at once."""
    checks = host.checks()
    failed: dict[str, ControlResult] = {}
    runs: list[_ControlRun] = []
    for control in plan.controls:
        if only is not None and control.id not in only:
            continue
        if control.check is None:
            from internkontroll.manual import manual_result

            failed[control.id] = manual_result(plan, control)
            continue
        check_class = checks.get(control.check)
        if check_class is None:
            failed[control.id] = _failed(control, f"kontrolltypen {control.check!r} finns inte")
            continue
        full = plan.full_period(control)
        if plan.as_of is not None and plan.as_of < full.start:
            failed[control.id] = _failed(
                control, f"kontrollens period börjar {full.start}, efter {plan.as_of}"
            )
            continue
        try:
            params = check_class.Params.model_validate(control.params)
            roles = dataset_roles(control)
            context = ControlContext(
                control_id=control.id,
                period=plan.control_period(control),
                min_group_size=plan.header.min_group_size,
                date_style=plan.report.for_control(control.id, control.check).date_style,
                places=dataset_places(plan, roles),
            )
            if set(roles) != set(check_class.roles):
                raise ValueError(
                    f"kontrolltypen {control.check} läser datamängderna "
                    f"{', '.join(check_class.roles) or 'en'}, planen anger {', '.join(roles)}"
                )
            primary = plan.datasets.get(roles[check_class.roles[0]])
            needed = control_fields(
                check_class, params, control, primary.columns if primary else {}
            )
            datasets = {name: role for role, name in roles.items()}
            runs.append(_ControlRun(control, check_class(params, context), needed, datasets))
        except BaseException as exc:  # a plugin's sys.exit() fails its control only
            if user_interrupted(exc):
                raise
            failed[control.id] = _failed(control, _describe(exc))
    return failed, runs


def _stream(
    plan: Plan,
    name: str,
    runs: list[_ControlRun],
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> InputRecord:
    """One pass over a dataset feeding every run; raises ``DatasetError`` if it cannot be read."""
    spec = plan.datasets.get(name)
    if spec is None:
        raise DatasetError(f"datamängden {name!r} finns inte")
    # Run --as-of a day, a date that records an event (executed ...) after it reads as blank.
    events = frozenset(spec.events or ()).union(*(run.check.event_fields or () for run in runs))
    dataset = Dataset(name, spec, plan.resolve(spec.path), events, plan.as_of)
    fields: dict[str, FieldType] = {}
    for run in runs:
        for field_name, kind in run.needed.get(run.datasets[name], {}).items():
            if fields.setdefault(field_name, kind) != kind:
                run.error = (
                    f"fältet {field_name} läses som {fields[field_name]} av en annan kontroll "
                    f"men som {kind} av denna"
                )
    active = [(run, run.datasets[name]) for run in runs if run.error is None]
    # Repeated ids are found once per dataset, for every control that reads it.
    id_fields = {
        run.check.key_field for run, role in active if role == run.primary and run.check.key_field
    }
    if batch_rows:
        # The file's sha256 is taken in a thread while it is read and folded: both let go of
        # the interpreter's lock for most of their work.
        digest = Background(lambda: file_sha256(dataset.path))
        _stream_batches(dataset, fields, active, id_fields, batch_rows, progress)
        _count_blank(dataset, active)
        return InputRecord(
            dataset=name, path=spec.path, sha256=digest.result(), rows=dataset.rows_read
        )
    # A CSV row of a case export is seldom under 64 bytes: about as many ids as to expect.
    expected = dataset.path.stat().st_size // 64 if dataset.path.suffix.lower() == ".csv" else 0
    seen = {field_name: SeenIds(expected) for field_name in id_fields if field_name}
    for row in dataset.rows(fields):
        if progress is not None and not dataset.rows_read % PROGRESS_STEP:
            progress(PROGRESS_STEP)
        for field_name, ids in seen.items():
            key = row[field_name]
            if key is not None:
                first = ids.first_row(key, row.number)
                if first is not None:
                    row.duplicate_of = {**(row.duplicate_of or {}), field_name: first}
        for run, role in active:
            if run.error is not None:
                continue
            try:
                run.offer(row, role)
            except BaseException as exc:
                if user_interrupted(exc):
                    raise
                run.fail(exc)
    _count_blank(dataset, active)
    return InputRecord(
        dataset=name, path=spec.path, sha256=file_sha256(dataset.path), rows=dataset.rows_read
    )


def _count_blank(dataset: Dataset, active: list[tuple[_ControlRun, str]]) -> None:
    """Tell each control that read ``dataset`` how many of its export's lines were blank."""
    for run, role in active:
        run.tallies[role].blank = dataset.count.blank


def _stream_batches(
    dataset: Dataset,
    fields: dict[str, FieldType],
    active: list[tuple[_ControlRun, str]],
    id_fields: set[str],
    batch_rows: int,
    progress: Progress | None,
) -> None:
    """``_stream``'s pass a batch at a time: repeated ids found per batch for every control,
    then each control given the batch whole (``fold``) or row by row (``offer``)."""
    repeats = {field_name: RepeatedIds() for field_name in id_fields}
    for batch in read_ahead(dataset.batches(fields, batch_rows)):
        if progress is not None:
            progress(len(batch))
        first = {
            field_name: ids.first_rows(
                batch.hashes(field_name), batch.blank(field_name), batch.row_numbers
            )
            for field_name, ids in repeats.items()
        }
        rows: list[Row] | None = None
        for run, role in active:
            if run.error is not None:
                continue
            try:
                if run.folds_batches:
                    run.fold(batch, role, first)
                    continue
                if rows is None:  # built once for every control offered rows one by one
                    rows = list(batch.rows)
                    _mark_repeats(rows, first)
                for row in rows:
                    run.offer(row, role)
            except BaseException as exc:
                if user_interrupted(exc):
                    raise
                run.fail(exc)


def _mark_repeats(rows: list[Row], first: dict[str, Numbers]) -> None:
    """``row.duplicate_of`` for the repeated rows, as the row path sets it for ``offer``."""
    for field_name, earlier in first.items():
        for index in earlier.nonzero()[0].tolist():
            row = rows[index]
            row.duplicate_of = {**(row.duplicate_of or {}), field_name: int(earlier[index])}


def _stream_all(
    plan: Plan,
    runs: list[_ControlRun],
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> tuple[dict[str, list[InputRecord]], dict[str, str]]:
    """Every dataset once, in plan order; per control its inputs, or the error that stopped it."""
    names = list(dict.fromkeys(name for run in runs for name in run.datasets))
    inputs: dict[str, list[InputRecord]] = {run.control.id: [] for run in runs}
    broken: dict[str, str] = {}
    for name in names:
        readers = [run for run in runs if name in run.datasets]
        try:
            source = _stream(plan, name, readers, progress, batch_rows)
        except DatasetError as exc:
            why = _as_in_plan(plan, name, _describe(exc))
            for run in readers:
                broken.setdefault(run.control.id, why)
            continue
        for run in readers:
            inputs[run.control.id].append(source)
        give_back()  # the pass's freed memory, before the next pass or the judging
    return inputs, broken


def _as_in_plan(plan: Plan, name: str, message: str) -> str:
    """The export named as the plan names it (data/beslut.csv), not by its absolute path: the
    reason reaches Bilaga 1, where a path on the controller's computer means nothing."""
    spec = plan.datasets.get(name)
    if spec is None:
        return message
    return message.replace(str(plan.resolve(spec.path)), Path(spec.path).as_posix())


def run_plan(
    plan: Plan,
    host: PluginHost,
    only: set[str] | None = None,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> list[ControlResult]:
    """Run the plan's controls (or those in ``only``) and return their results in plan order;
    ``progress`` is told of the rows read as they are read. The exports are read
    ``batch_rows`` rows at a time; 0 reads and feeds row by row, the reference path that the
    tests hold the batch path to, figure for figure and byte for byte."""
    results, runs = _prepare(plan, host, only)
    inputs, broken = _stream_all(plan, runs, progress, batch_rows)
    for run in runs:
        cid = run.control.id
        if cid in broken:
            results[cid] = _failed(run.control, broken[cid], inputs[cid])
        else:
            results[cid] = _finish(plan, run, inputs[cid])
    give_back()
    return [results[c.id] for c in plan.controls if c.id in results]


def draw_sample(plan: Plan, host: PluginHost, control_id: str) -> tuple[_ControlRun, DrawnSample]:
    """The sample a control would review, drawn from its dataset as ``run`` would draw it."""
    control = next((c for c in plan.controls if c.id == control_id), None)
    if control is not None and control.manual:
        raise DatasetError(
            f"kontrollen {control_id} är manuell och har inget urval; skriv dess checklista med "
            f"internkontroll checklist {plan.source.name} --control {control_id} --out FIL.xlsx"
        )
    failed, runs = _prepare(plan, host, {control_id})
    if control_id in failed:
        raise DatasetError(failed[control_id].reason)
    [run] = runs
    if run.sampler is None:
        raise DatasetError(f"kontrollen {control_id} har inget [control.sample] i planen")
    _, broken = _stream_all(plan, [run])
    if control_id in broken or run.error is not None:
        raise DatasetError(f"kontrollen {control_id}: {broken.get(control_id) or run.error}")
    return run, run.sampler.draw()


def _feed_sample(plan: Plan, run: _ControlRun) -> DrawnSample:
    assert run.sampler is not None and run.control.sample is not None
    drawn = run.sampler.draw()
    worksheet = run.control.sample.worksheet
    if worksheet is not None:
        path = plan.resolve(worksheet)
        if not path.is_file():
            raise WorksheetError(
                f"arbetsbladet {worksheet} finns inte ännu; skapa det med "
                f"internkontroll sample {plan.source.name} --control {run.control.id} "
                f"--out {worksheet}, låt granskaren fylla i det och kör igen"
            )
        answers = read_answers(path, run.review_columns, drawn.strata)
        run.extra_inputs.append(
            InputRecord(
                dataset="arbetsblad", path=worksheet, sha256=file_sha256(path), rows=len(answers)
            )
        )
        for row in drawn.rows:
            row.review = answers[str(row[run.check.key_field or ""])]
    for row in drawn.rows:
        run.check.feed(row)
    return drawn


def _without_data(run: _ControlRun, sources: list[InputRecord]) -> str | None:
    """Why a control whose population's export has no data rows is not carried out: figures
    of nothing would read as a clean result."""
    for source in sources:
        if run.datasets.get(source.dataset) == run.primary and not source.rows:
            return (
                f"exporten {source.path} (datamängden {source.dataset}) har inga datarader, "
                "bara rubrikraden; kontrollera att exporten är hel och gjord för rätt period"
            )
    return None


def _finish(plan: Plan, run: _ControlRun, sources: list[InputRecord]) -> ControlResult:
    result = _judge(plan, run, sources)
    result.check_version = run.check.version
    if run.error is None:  # a fold stopped mid-read has no count the two read paths share
        result.rows_in_population = run.counted.population
        result.rows_refused = run.counted.refused
        result.tallies = {
            name: run.tallies[role]
            for role in run.check.roles
            for name, read_as in run.datasets.items()
            if read_as == role
        }
    result.inputs = [*result.inputs, *run.extra_inputs]
    return result


def _missing_figure(check: Check[Any], name: str) -> str | None:
    """The check's plain words for a figure it did not give; a plugin that fails to say gets
    the general words instead of failing a run that is done."""
    try:
        said = check.missing_figure(name)
    except Exception:
        return None
    return said if isinstance(said, str) and said.strip() else None


def _judge(plan: Plan, run: _ControlRun, sources: list[InputRecord]) -> ControlResult:
    if run.error is not None:
        return _failed(run.control, run.error, sources)
    check = run.check
    try:
        drawn = _feed_sample(plan, run) if run.sampler is not None else None
        outcome = check.outcome()
        if not isinstance(outcome, Outcome):
            raise TypeError(f"kontrollen gav {type(outcome).__name__}, inte ett Outcome")
        metrics = dict(outcome.metrics)
        metrics["invalid_rows"] = check.invalid_rows
        if check.key_field is not None:
            metrics["duplicate_rows"] = check.duplicate_rows
        findings = check.findings
        if outcome.findings is not findings:  # a check that kept its own list: add it after
            findings.extend(outcome.findings)
        update: dict[str, Any] = {"findings": findings}
        if drawn is not None:
            from internkontroll.control_sample import sample_figures
            from internkontroll.monetary_sample import MonetaryDrawn, monetary_figures

            spec, smallest = run.control.sample, check.context.min_group_size
            assert spec is not None
            if isinstance(drawn, MonetaryDrawn):
                key = check.key_field or ""
                sample_metrics, sentence, misstated = monetary_figures(
                    spec, drawn, key, check.unit_words, smallest
                )
                findings.extend(misstated)
            else:
                sample_metrics, sentence = sample_figures(spec, drawn, outcome, smallest)
            metrics.update(sample_metrics)
            update["result_text"] = f"{outcome.result_text} {sentence}".strip()
            update["sample_text"] = sentence
            update["sample"] = drawn.info
            update["population"] = drawn.population
        update["metrics"] = metrics
        promised = declared(type(check))
        strays = undeclared(promised, metrics)
        if strays:
            raise ValueError(
                f"kontrolltypen {run.control.check} gav mått den inte deklarerat: "
                f"{', '.join(strays)}"
            )
        outcome = outcome.model_copy(update=update)
        leak = leak_in(outcome)
        if leak is not None:
            from internkontroll.leak_origin import origin  # the export read again, to name

            where = origin(  # the row and the column
                plan, run.datasets, run.needed, outcome, check.key_field, "referens" in leak
            )
            raise PersonnummerLeak(f"kontroll {run.control.id}: {leak}{where}")
    except BaseException as exc:
        if user_interrupted(exc):
            raise
        return _failed(run.control, _describe(exc), sources)
    criteria = run.control.criteria
    labels = labels_for(declared(type(check)), outcome.metrics)
    # The labels of the names the criteria ask for, produced or not (a pattern has none).
    names = [m for m in (criteria.metrics if criteria else []) if not set(m) & set("*?[")]
    asked = labels_for(declared(type(check)), names)
    empty = _without_data(run, sources)
    if empty is not None:  # the check's figures of nothing are shown, but not judged
        failed = _failed(run.control, empty, sources)
        failed.outcome, failed.labels = outcome, labels
        return failed
    if criteria is None:
        return ControlResult(
            run.control,
            Assessment.EJ_GENOMFORD,
            "Planen anger inga kriterier: siffrorna visas och ansvarig bedömer kontrollen i "
            "bedomning.toml.",
            outcome,
            sources,
            awaiting=True,
            labels=labels,
        )
    assessment, reason = judge(
        criteria,
        outcome.metrics,
        {name: info["label"] for name, info in {**asked, **labels}.items()},
        plan.header.min_group_size,
        lambda name: _missing_figure(check, name),
    )
    detail = missing_detail(criteria, outcome.metrics)
    return ControlResult(
        run.control, assessment, reason, outcome, sources, labels=labels, detail=detail
    )
