"""The results folder as a whole: which folders may be written, one run at a time, one rename.

- ``--out`` must be absent, empty, or a results folder written earlier (it holds ``MARKER``);
  anything else, say a plan folder or a folder of someone's own files, is refused.
- A lock file beside the folder lets one run at a time write it; a second is refused at once.
- The new folder is built whole in a fresh staging folder beside the old one and then swapped
  into place with one rename (Linux ``renameat2(RENAME_EXCHANGE)``, macOS ``renamex_np``). An
  interruption at any moment, kill -9 included, leaves the previous folder complete; a failure
  removes the staging folder. Staging folders get fresh random names, so a planted symlink is
  never followed, and what an earlier crash left behind is removed on the next run.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ctypes

MARKER = ".internkontroll-resultatmapp"
MARKER_TEXT = (
    "Den här mappen är en resultatmapp från internkontroll run.\n"
    "Programmet ersätter den vid nästa körning; tidigare resultat sparas i historik/.\n"
    "Lägg inte andra filer här.\n"
)
RESULTS = "resultat.json"

_OS_WORDS = {
    errno.EACCES: "åtkomst nekad",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOENT: "finns inte",
    errno.ENOTDIR: "är ingen mapp",
    errno.EISDIR: "är en mapp",
    errno.EEXIST: "finns redan",
    errno.ENOTEMPTY: "mappen är inte tom",
    errno.EXDEV: "ligger på ett annat filsystem",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EIO: "in- eller utmatningsfel",
    errno.ELOOP: "för många symboliska länkar",
    errno.EFBIG: "filen blir större än systemet tillåter (filstorleksgränsen)",
}


class ResultFolderError(Exception):
    """The results folder cannot be written; the message is Swedish and the old folder intact."""


def os_error_text(exc: OSError) -> str:
    """An OSError in Swedish: what went wrong and with which file, never a Python list."""
    words = _OS_WORDS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    files = [str(f) for f in (exc.filename, exc.filename2) if f]
    return f"{words}: {' → '.join(files)}" if files else words


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.ny-"


def _aside_prefix(out: Path) -> str:
    return f".{out.name}.gammal-"


def is_results_folder(folder: Path) -> bool:
    """Holds the marker, or a resultat.json an earlier version of the program wrote."""
    if (folder / MARKER).is_file():
        return True
    try:
        document = json.loads((folder / RESULTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and (document.get("tool") or {}).get("name") == (
        "internkontroll"
    )


def check_out(out: Path) -> None:
    """Refuse an ``--out`` that is neither absent, empty nor an earlier results folder."""
    if out.is_symlink():
        raise ResultFolderError(
            f"{out} är en symbolisk länk; ange den riktiga mappen ({out.resolve()})"
        )
    if not out.exists():
        return
    if not out.is_dir():
        raise ResultFolderError(f"{out} är en fil, inte en mapp; välj en ny eller tom mapp")
    if not any(out.iterdir()) or is_results_folder(out):
        return
    raise ResultFolderError(
        f"{out} är inte tom och är ingen resultatmapp (filen {MARKER} saknas); "
        "inget skrevs. Välj en ny eller tom mapp, t.ex. --out resultat"
    )


_HELD: set[Path] = set()
"""Folders this process holds the lock of: ``run`` takes it before reading any data, and
writing the folder inside that run must not ask for it again (flock would refuse it)."""


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the run's lock on ``out``: a file beside it, locked with flock, so a run killed
    with kill -9 releases it without leaving anything to clean up by hand. Taken again by the
    process that holds it, it is already held."""
    import fcntl

    out = Path(os.path.abspath(out))
    if out in _HELD:
        yield
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    try:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise ResultFolderError(
            f"låset {lock_path} kan inte skapas: {os_error_text(exc)}"
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ResultFolderError(
                f"en annan körning skriver redan till {out}; vänta tills den är klar och "
                f"försök igen (låset {lock_path})"
            ) from None
        _recover(out)
        _HELD.add(out)
        try:
            yield
        finally:
            _HELD.discard(out)
    finally:
        os.close(handle)


def _recover(out: Path) -> None:
    """Undo what an interrupted run left: an old folder set aside, staging folders."""
    parent = out.parent
    # Exactly the random parts mkdtemp (8) and token_hex(6) (12) give: ".ut.ny-x.ny-abcdefgh",
    # the staging folder of a results folder named "ut.ny-x", is not "ut"'s to remove.
    asides = sorted(parent.glob(_aside_prefix(out) + "?" * 12))
    if not out.exists() and asides:
        os.rename(asides[-1], out)  # the swap was cut between its two renames
        asides = asides[:-1]
    for leftover in [*asides, *parent.glob(_staging_prefix(out) + "?" * 8)]:
        remove_tree(leftover)


def remove_tree(path: Path) -> None:
    """Remove a folder we made; a symlink in its place is removed as a link, never followed."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return
    shutil.rmtree(path)


@contextlib.contextmanager
def staging_for(out: Path) -> Iterator[Path]:
    """A new, empty folder beside ``out`` (random name, made with mode 0700 by mkdtemp, so no
    one else's symlink can stand in for it); removed unless it was swapped into place."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out), dir=out.parent))
    except OSError as exc:
        raise ResultFolderError(
            f"arbetsmappen bredvid {out} kan inte skapas: {os_error_text(exc)}"
        ) from None
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would become the results folder's
        yield staging
    finally:
        if staging.exists() or staging.is_symlink():
            remove_tree(staging)


def inside(folder: Path, relative: str) -> Path:
    """``folder / relative``, refused unless it stays inside ``folder``."""
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder.resolve()) or target == folder.resolve():
        raise ResultFolderError(f"{relative!r} skulle hamna utanför resultatmappen; inget skrevs")
    return folder / relative


def _c_library(call: str) -> ctypes.CDLL | None:
    """The C library, for ``call``: the interpreter's own symbols hold it wherever Python is
    linked against it (``dlopen(NULL)``); only elsewhere is it looked up by name, which runs
    ``ldconfig`` or a compiler (some 10 ms). None if it cannot be loaded."""
    import ctypes

    try:
        own = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):  # TypeError: Windows has no dlopen(NULL)
        own = None
    if own is not None and hasattr(own, call):
        return own
    import ctypes.util  # imports subprocess: only where the name has to be looked up

    try:
        return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    except OSError:
        return None


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False where the system offers no such call."""
    import ctypes

    libc = _c_library("renameat2" if sys.platform.startswith("linux") else "renamex_np")
    if libc is None:
        return False
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        result = libc.renameat2(
            at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange
        )
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 2
        result = libc.renamex_np(os.fsencode(first), os.fsencode(second), rename_swap)
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an older kernel or a file system without it
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def swap_into_place(staging: Path, out: Path) -> None:
    """Make ``staging`` the folder ``out`` in one rename; the old folder is then removed.

    Where no atomic exchange exists the old folder is renamed aside first; between the two
    renames ``out`` is missing but the old folder is whole, and the next run puts it back.
    """
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        remove_tree(staging)  # now the old folder
        return
    aside = out.parent / f"{_aside_prefix(out)}{secrets.token_hex(6)}"
    os.rename(out, aside)
    os.rename(staging, out)
    remove_tree(aside)


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (history costs no space), else a copy; a symlink
    is copied as a link. Results files are only ever replaced, never changed in place, so a
    shared inode cannot change under the history."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def link_tree(source: Path, target: Path) -> Iterator[tuple[Path, Path]]:
    """Every file under ``source`` linked under ``target``; yields (source, target) per file.

    Errors are raised one at a time as OSError (never shutil's list of errors)."""
    for folder, dirs, files in os.walk(source, followlinks=False):
        here = Path(folder)
        for name in sorted(files) + sorted(d for d in dirs if (here / d).is_symlink()):
            origin = here / name
            destination = target / origin.relative_to(source)
            link_or_copy(origin, destination)
            yield origin, destination
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
