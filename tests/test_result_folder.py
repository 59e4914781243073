"""The results folder survives whatever happens: refused folders, a second run, failures and
kill -9 at each step, planted symlinks; verify checks every file against the manifest."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from internkontroll import findings_csv, json_pieces, result_folder, results
from internkontroll.cli import cli

from .conftest import write


def run(plan_dir: Path, out: Path, *extra: str) -> Any:
    return CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out), *extra])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*") if not p.name.endswith(".lock"))


def changed_export(plan_dir: Path) -> None:
    export = plan_dir / "beslut.csv"
    export.write_text(
        export.read_text(encoding="utf-8") + "B7;x;SoL;2024-05-01;2024-05-02\n", encoding="utf-8"
    )


@pytest.fixture
def earlier(plan_dir: Path) -> tuple[Path, dict[str, bytes]]:
    """A results folder from a first run, with a person's words in bedomning.toml."""
    out = plan_dir / "ut"
    assert run(plan_dir, out).exit_code == 0
    people = out / "bedomning.toml"
    people.write_text(
        people.read_text(encoding="utf-8").replace('motivation = ""', 'motivation = "Mänskligt."'),
        encoding="utf-8",
    )
    changed_export(plan_dir)
    return out, snapshot(out)


def test_out_in_a_plan_folder_is_refused(plan_dir: Path) -> None:
    before = snapshot(plan_dir)
    result = CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(plan_dir)])
    assert result.exit_code == 1
    assert (
        f"fel: {plan_dir} är inte tom och är ingen resultatmapp "
        "(filen .internkontroll-resultatmapp saknas); inget skrevs." in result.output
    )
    assert snapshot(plan_dir) == before


def test_a_folder_of_ones_own_files_is_refused(plan_dir: Path) -> None:
    own = plan_dir / "mina"
    write(own / "underlag" / "budget.csv", "konto;belopp\n1;2\n")
    write(own / "plan.toml", "# min egen plan\n")
    before = snapshot(own)
    assert run(plan_dir, own).exit_code == 1
    assert snapshot(own) == before


def test_a_file_as_out_is_refused(plan_dir: Path) -> None:
    result = run(plan_dir, plan_dir / "beslut.csv")
    assert result.exit_code == 1
    assert "beslut.csv är en fil, inte en mapp; välj en ny eller tom mapp" in result.output


def test_an_empty_folder_and_an_earlier_results_folder_are_accepted(plan_dir: Path) -> None:
    (plan_dir / "tom").mkdir()
    assert run(plan_dir, plan_dir / "tom").exit_code == 0
    assert run(plan_dir, plan_dir / "tom").exit_code == 0
    assert (plan_dir / "tom" / ".internkontroll-resultatmapp").is_file()


def test_a_folder_from_before_the_marker_is_an_earlier_results_folder(plan_dir: Path) -> None:
    out = plan_dir / "ut"
    assert run(plan_dir, out).exit_code == 0
    (out / ".internkontroll-resultatmapp").unlink()
    assert run(plan_dir, out).exit_code == 0


def test_a_second_run_while_one_holds_the_lock_is_refused(
    earlier: tuple[Path, dict[str, bytes]],
) -> None:
    out, before = earlier
    handle = os.open(out.parent / ".ut.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = run(out.parent, out)
    finally:
        os.close(handle)
    assert result.exit_code == 1
    assert f"fel: en annan körning skriver redan till {out}; vänta tills den är klar" in (
        result.output
    )
    assert snapshot(out) == before


def _fail_on(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, exc: BaseException, at: int = 1
) -> None:
    real: Callable[..., Any] = getattr(module, name)
    calls = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == at:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


DISK_FULL = OSError(errno.ENOSPC, "No space left on device", "ut/avvikelser/K1.csv")
DENIED = PermissionError(errno.EACCES, "Permission denied", "ut")

STEPS = [
    (results, "write_findings", DISK_FULL, 1),
    (findings_csv, "_write_csv", DISK_FULL, 1),
    (results, "write_atomic_bytes", DISK_FULL, 1),
    (results, "write_json", DISK_FULL, 1),  # resultat.json, the last file
    (results, "link_or_copy", DISK_FULL, 1),
    (results, "link_or_copy", DENIED, 3),
    (results, "link_tree", DENIED, 1),
    (results, "file_sha256", DISK_FULL, 2),
    (results, "swap_into_place", DENIED, 1),
    (result_folder, "_exchange", DENIED, 1),
    (results, "_build", KeyboardInterrupt(), 1),
]


@pytest.mark.parametrize(
    ("module", "name", "exc", "at"),
    STEPS,
    ids=[f"{name}-{at}-{type(exc).__name__}" for _, name, exc, at in STEPS],
)
def test_a_failure_at_any_step_leaves_the_earlier_folder(
    earlier: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    name: str,
    exc: BaseException,
    at: int,
) -> None:
    out, before = earlier
    _fail_on(monkeypatch, module, name, exc, at)
    result = run(out.parent, out)
    assert snapshot(out) == before
    assert leftovers(out) == []
    if isinstance(exc, KeyboardInterrupt):
        assert "Avbrutet." in result.output
        return
    assert result.exit_code == 1
    assert "den tidigare är orörd" in result.output
    words = "disken är full" if exc is DISK_FULL else "åtkomst nekad"
    assert f"({words}: " in result.output
    assert "[" not in result.output.split("fel:")[-1]  # never a Python list
    monkeypatch.undo()
    assert run(out.parent, out).exit_code == 0
    assert "Mänskligt." in (out / "bedomning.toml").read_text(encoding="utf-8")


def test_a_disk_full_halfway_through_resultat_json_leaves_the_earlier_folder(
    earlier: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """resultat.json is written a piece at a time: a failure after some pieces leaves no
    half-written file, in the folder or beside it."""
    out, before = earlier
    def half(handle: Any, document: Any, where: str) -> None:
        pieces = json_pieces.json_text_pieces(document)
        handle.write(next(pieces).encode("utf-8"))
        handle.write(next(pieces).encode("utf-8"))
        raise DISK_FULL

    monkeypatch.setattr(json_pieces, "PIECE_CHARACTERS", 64)
    monkeypatch.setattr(results, "write_json", half)
    result = run(out.parent, out)
    assert result.exit_code == 1
    assert "den tidigare är orörd" in result.output
    assert snapshot(out) == before
    assert leftovers(out) == []


KILLER = """
import os, signal, sys
from pathlib import Path
from internkontroll import results, result_folder, human_assessment
from internkontroll.cli import cli

module, name, at = {module}, "{name}", {at}
real, calls = getattr(module, name), []

def killing(*args, **kwargs):
    calls.append(1)
    if len(calls) == at:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)

setattr(module, name, killing)
cli(["run", sys.argv[1], "--out", sys.argv[2]])
"""

KILL_STEPS = [
    ("results", "write_findings", 1),
    ("results", "link_or_copy", 2),
    ("results", "write_atomic_bytes", 2),
    ("results", "write_json", 1),
    ("result_folder", "_exchange", 1),
    ("result_folder", "remove_tree", 1),  # after the swap, before the old folder is gone
]


@pytest.mark.parametrize(("module", "name", "at"), KILL_STEPS)
def test_kill_9_at_any_step_leaves_one_whole_folder(
    earlier: tuple[Path, dict[str, bytes]], module: str, name: str, at: int
) -> None:
    out, before = earlier
    script = KILLER.format(module=module, name=name, at=at)
    killed = subprocess.run(
        [sys.executable, "-c", script, str(out.parent / "plan.toml"), str(out)],
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr
    after = snapshot(out)
    if name == "remove_tree":
        assert after != before  # the new folder is in place and whole
        assert CliRunner().invoke(cli, ["verify", str(out)]).exit_code == 0
    else:
        assert after == before
    assert run(out.parent, out).exit_code == 0
    assert leftovers(out) == []
    assert "Mänskligt." in (out / "bedomning.toml").read_text(encoding="utf-8")


def test_a_planted_symlink_as_staging_is_not_followed(
    earlier: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    out, _ = earlier
    elsewhere = tmp_path / "annanstans"
    write(elsewhere / "viktig.txt", "rör inte")
    (out.parent / ".ut.ny-planter1").symlink_to(elsewhere, target_is_directory=True)
    (out / ".pagaende-korning").symlink_to(elsewhere, target_is_directory=True)
    assert run(out.parent, out).exit_code == 0
    assert (elsewhere / "viktig.txt").read_text(encoding="utf-8") == "rör inte"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["viktig.txt"]
    assert not (out.parent / ".ut.ny-planter1").exists()


def test_history_is_complete_and_in_the_manifest(
    earlier: tuple[Path, dict[str, bytes]],
) -> None:
    out, before = earlier
    assert run(out.parent, out).exit_code == 0
    [archive] = (out / "historik").iterdir()
    kept = snapshot(archive)
    for name in ("resultat.json", "plan.toml", "avvikelser/K1.csv"):
        assert kept[name] == before[name]
    manifest = json.loads((out / "resultat.json").read_text(encoding="utf-8"))["manifest"]
    listed = {n for n in manifest if n.startswith("historik/")}
    assert listed == {f"historik/{archive.name}/{n}" for n in kept}
    assert run(out.parent, out).exit_code == 0
    assert len(list((out / "historik").iterdir())) == 2


def test_ids_and_paths_stay_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ut"
    folder.mkdir()
    assert result_folder.inside(folder, "avvikelser/K1.csv") == folder / "avvikelser" / "K1.csv"
    for bad in ("../beslut.csv", "avvikelser/../../x", "/etc/passwd", "."):
        with pytest.raises(result_folder.ResultFolderError, match="utanför resultatmappen"):
            result_folder.inside(folder, bad)


def test_os_errors_are_swedish() -> None:
    assert result_folder.os_error_text(DISK_FULL) == "disken är full: ut/avvikelser/K1.csv"
    assert result_folder.os_error_text(OSError(errno.EXDEV, "x", "a", None, "b")) == (
        "ligger på ett annat filsystem: a → b"
    )


# verify


def test_verify_catches_emptied_and_changed_files(earlier: tuple[Path, dict[str, bytes]]) -> None:
    out, _ = earlier
    runner = CliRunner()
    assert run(out.parent, out).exit_code == 0
    assert runner.invoke(cli, ["verify", str(out)]).exit_code == 0
    for path in (out / "avvikelser").iterdir():
        path.unlink()
    (out / "underlag" / "extra.csv").parent.mkdir(exist_ok=True)
    (out / "underlag" / "extra.csv").write_text("x", encoding="utf-8")
    [archive] = (out / "historik").iterdir()
    (archive / "plan.toml").write_text("ändrad", encoding="utf-8")
    result = runner.invoke(cli, ["verify", str(out)])
    assert result.exit_code == 1
    assert "avvikelser/K1.csv saknas i resultatmappen" in result.output
    assert "underlag/extra.csv finns i resultatmappen men inte i manifestet" in result.output
    assert f"historik/{archive.name}/plan.toml har ändrats sedan körningen" in result.output


def test_verify_writes_nothing_and_runs_no_plugin_without_leave(plan_dir: Path) -> None:
    marker = plan_dir / "kordes.txt"
    write(
        plan_dir / "lokala" / "spion.py",
        f"""\
        from pathlib import Path
        Path({str(marker)!r}).write_text("kördes", encoding="utf-8")
        """,
    )
    plan = plan_dir / "plan.toml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "year = 2024\n", 'year = 2024\nplugins_dir = "lokala"\n', 1
        ),
        encoding="utf-8",
    )
    out = plan_dir / "ut"
    assert run(plan_dir, out).exit_code == 0
    marker.unlink()
    before = snapshot(out)
    os.chmod(out, 0o555)
    try:
        result = CliRunner().invoke(cli, ["verify", str(out)])
    finally:
        os.chmod(out, 0o755)
    assert result.exit_code == 1
    assert "laddar egna plugins (lokala); de körs inte utan verify --plugins" in result.output
    assert not marker.exists()
    assert snapshot(out) == before
    allowed = CliRunner().invoke(cli, ["verify", str(out), "--plugins"])
    assert allowed.exit_code == 0, allowed.output
    assert marker.exists()


def test_verify_names_a_folder_without_a_manifest(earlier: tuple[Path, dict[str, bytes]]) -> None:
    out, _ = earlier
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    del document["manifest"]
    (out / "resultat.json").write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(out)])
    assert "resultat.json saknar manifest" in result.output and result.exit_code == 1


def test_the_swap_works_without_an_atomic_exchange(
    earlier: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = earlier
    monkeypatch.setattr(result_folder, "_exchange", lambda a, b: False)
    assert run(out.parent, out).exit_code == 0
    assert leftovers(out) == []
    # Cut between the two renames: the old folder is aside; the next run puts it back first.
    os.rename(out, out.parent / ".ut.gammal-abcdef012345")
    with result_folder.locked(out):
        pass
    assert (out / "resultat.json").is_file() and leftovers(out) == []


def test_another_folders_staging_is_left_alone(earlier: tuple[Path, dict[str, bytes]]) -> None:
    out, _ = earlier
    theirs = out.parent / ".ut.ny-x.ny-abcdefgh"  # staging of a results folder named "ut.ny-x"
    theirs.mkdir()
    ours = out.parent / ".ut.ny-abcdefgh"  # what a killed run into "ut" left
    ours.mkdir()
    assert run(out.parent, out).exit_code == 0
    assert theirs.is_dir() and not ours.exists()


def test_a_second_run_into_a_busy_folder_is_refused_before_it_reads_anything(
    earlier: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs started together: the second stops at once, with exit 1 and the folder as it
    was, instead of reading the exports and then replacing the first run's folder."""
    out, before = earlier
    from internkontroll import engine

    def must_not_run(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the export was read although another run holds the folder")

    monkeypatch.setattr(engine, "run_plan", must_not_run)
    handle = os.open(out.parent / f".{out.name}.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = run(out.parent, out)
    finally:
        os.close(handle)
    assert result.exit_code == 1, result.output
    assert f"en annan körning skriver redan till {out}" in result.output
    assert snapshot(out) == before


def test_the_lock_is_held_through_the_whole_run(
    earlier: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = earlier
    from internkontroll import engine

    real = engine.run_plan
    seen: list[bool] = []

    def probe(*args: Any, **kwargs: Any) -> Any:
        handle = os.open(out.parent / f".{out.name}.lock", os.O_RDWR)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append(False)  # another process could have taken it
        except BlockingIOError:
            seen.append(True)
        finally:
            os.close(handle)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "run_plan", probe)
    assert run(out.parent, out).exit_code == 0
    assert seen == [True]
