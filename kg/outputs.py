"""The output folder of a build (``peel-kg build --out DIR``): each build's files are
written into a folder of their own and swapped in as one set, under a lock.

::

    DIR/
    ├── peel.nq -> current/peel.nq      what readers open, a link through current (so are
    │                                   peel.ttl, peel.jsonld and validation.txt)
    ├── current -> builds/<id>          the set readers see: one build's four files
    ├── previous -> builds/<id>         the set before it, kept for readers still on it
    ├── rejected -> builds/<id>         a build that did not conform, not swapped in
    ├── builds/<id>/                    one build's peel.ttl, peel.jsonld, peel.nq and
    │                                   validation.txt, never changed once there
    ├── builds/.staging-<id>/           a build's files while they are written
    ├── .lock                           locked by the build writing DIR; its pid
    └── .cache/                         kg.process, kg.parts

A build locks ``.lock`` first: a second build into DIR stops at once (exit 2) naming
the first one's pid. It writes its files into ``builds/.staging-<id>``, renames that to
``builds/<id>`` once they are whole, and swaps the set in with one rename(2): a new link
renamed onto ``current``. Opening ``DIR/peel.nq`` (or any of the four) follows
``current`` once, so a reader gets one build's file, whole; a reader that wants two of
the files of one build opens them in ``os.path.realpath(DIR / "current")``. A build
that fails removes its staging folder; one that is killed leaves ``current`` as it was,
and the next build removes what it left (any folder in ``builds/`` that no link names).
A build whose graph does not conform is not swapped in over one that conforms unless
forced: ``rejected`` points at it, ``rejected/validation.txt`` says why.

An output folder written before this layout (four plain files) is taken over on the next
build: its files are hard-linked into ``builds/`` as the current set, then each is
replaced by its link, so readers see the old set throughout. Links are relative: a copy
of DIR (``cp -r``) keeps working, and ``cp DIR/peel.nq`` copies the file.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import UsageError

BUILDS = "builds"
CURRENT, PREVIOUS, REJECTED = "current", "previous", "rejected"
LOCK = ".lock"
STAGING = ".staging-"
_TRASH = ".trash-"
_HELD: set[str] = set()  # output folders this process holds the lock of


@contextmanager
def lock(out: Path) -> Iterator[None]:
    """Hold the lock of the output folder ``out`` (made if missing) for the block.

    A POSIX record lock (fcntl.lockf) on ``out/.lock``: it ends when this process ends,
    however it ends, and worker processes forked meanwhile do not hold it.

    :raises UsageError: when another build holds it (naming its pid), or ``out`` is not
        a folder that can be written.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except (FileExistsError, NotADirectoryError) as exc:
        raise UsageError(f"{out}: not a folder; give --out a folder, or a new name") from exc
    except OSError as exc:
        raise UsageError(
            f"{out}: cannot write here ({exc.strerror or exc}); give --out a folder you can write"
        ) from exc
    key = os.path.realpath(out)
    try:
        try:
            if key in _HELD:
                raise BlockingIOError
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:  # EAGAIN or EACCES: held
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise UsageError(
                f"another build is writing {out} (pid {pid}); wait for it to end, "
                "or build into another folder with --out"
            ) from exc
        _HELD.add(key)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            yield
        finally:
            os.ftruncate(fd, 0)
            _HELD.discard(key)
    finally:
        os.close(fd)  # ends the lock


def prepare(out: Path, names: tuple[str, ...]) -> None:
    """Make ``out`` ready for a build that writes ``names`` (the lock held): refuse a
    folder in the way of a link before any work, take over plain output files of the
    earlier layout, link each name through ``current``, and remove what a killed build
    left (staging folders, unnamed builds, temporary files)."""
    for name in (*names, CURRENT, PREVIOUS, REJECTED):
        path = out / name
        if path.is_dir() and not path.is_symlink():
            raise UsageError(
                f"{path}: a folder is in the way of the build's output; move it elsewhere"
            )
    builds = out / BUILDS
    if builds.exists() and not builds.is_dir():
        raise UsageError(f"{builds}: a file is in the way of the build's folders; move it")
    builds.mkdir(exist_ok=True)
    for name in (*names, CURRENT, PREVIOUS, REJECTED):
        for stale in (*out.glob(f".{name}.*.tmp"), *out.glob(f".{name}.old-*")):
            stale.unlink(missing_ok=True)  # ours, or left by the earlier layout's writer
    _prune(out)
    plain = [n for n in names if (out / n).is_file() and not (out / n).is_symlink()]
    if plain:
        with staging(out) as stage:
            for name in plain:
                try:
                    os.link(out / name, stage / name)
                except OSError:  # no hard links here: a copy
                    shutil.copy2(out / name, stage / name)
            _point(out / CURRENT, f"{BUILDS}/{_commit(stage)}")
    try:
        for name in names:
            if _target(out / name) != f"{CURRENT}/{name}":
                _point(out / name, f"{CURRENT}/{name}")
    except OSError as exc:
        raise UsageError(
            f"{out}: cannot make the links a build swaps its outputs with "
            f"({exc.strerror or exc}); give --out a folder on a file system that has "
            "symbolic links"
        ) from exc


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A new folder ``out/builds/.staging-<id>`` to write a build's files in, removed if
    the block fails or does not commit it (:func:`swap_in`, :func:`set_aside`)."""
    stage = out / BUILDS / f"{STAGING}{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"
    stage = stage.with_name(f"{stage.name}-{secrets.token_hex(3)}")
    stage.mkdir()
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)  # gone already once committed


def swap_in(out: Path, stage: Path) -> Path:
    """Make the files in ``stage`` the current set with one rename of the ``current``
    link; the set before becomes ``previous``, any ``rejected`` set is dropped, and every
    other build is removed. Returns the build's folder."""
    name = _commit(stage)
    before = _target(out / CURRENT)
    _point(out / CURRENT, f"{BUILDS}/{name}")  # the swap
    if before:
        _point(out / PREVIOUS, before)
    (out / REJECTED).unlink(missing_ok=True)
    _prune(out)
    return out / BUILDS / name


def set_aside(out: Path, stage: Path) -> Path:
    """Keep the files in ``stage`` beside the current set, as ``rejected``, without
    swapping them in; an earlier rejected set is removed. Returns the build's folder."""
    name = _commit(stage)
    _point(out / REJECTED, f"{BUILDS}/{name}")
    _prune(out)
    return out / BUILDS / name


def conforming(out: Path, report: str) -> bool:
    """True when ``out`` holds a current set whose validation report (``report``, as
    kg.pipeline.validation_report writes it) says the graph conforms."""
    try:
        with (out / report).open("rb") as fh:
            return fh.read(8) == b"Conforms"
    except OSError:
        return False


def _commit(stage: Path) -> str:
    """Rename a staging folder, its files whole, to its build's name; return that."""
    name = stage.name.removeprefix(STAGING)
    os.rename(stage, stage.with_name(name))
    return name


def _target(link: Path) -> str | None:
    """Where the link ``link`` points, or None when it is not a link."""
    try:
        return os.readlink(link)
    except OSError:
        return None


def _point(link: Path, target: str) -> None:
    """Make ``link`` a symbolic link to ``target`` with one rename(2) of a new link onto
    it: a reader following it finds the old target or the new one, never none."""
    tmp = link.with_name(f".{link.name}.{secrets.token_hex(4)}.tmp")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _prune(out: Path) -> None:
    """Remove every folder in ``out/builds`` that no link names (the lock held): renamed
    out of the way at once, removed by a background process (dropping a large file's
    last link takes time)."""
    builds = out / BUILDS
    named = (_target(out / n) for n in (CURRENT, PREVIOUS, REJECTED))
    kept = {Path(t).name for t in named if t}
    doomed = []
    for entry in builds.iterdir():
        if entry.name in kept:
            continue
        if not entry.name.startswith(_TRASH):
            trash = builds / f"{_TRASH}{entry.name}"
            os.rename(entry, trash)
            entry = trash
        doomed.append(entry)
    _remove_in_background(doomed)


def _remove_in_background(paths: list[Path]) -> None:
    """Remove the folders ``paths`` in a detached process (here, where processes cannot
    fork). One that is killed first leaves them to the next build's :func:`_prune`."""
    if not paths:
        return
    if not hasattr(os, "fork"):
        for path in paths:
            _remove(path)
        return
    child = os.fork()
    if child == 0:  # a child whose own child removes the folders; it exits at once
        try:
            if os.fork() == 0:
                os.setsid()
                for path in paths:
                    _remove(path)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _remove(path: Path) -> None:
    """Remove a folder and what it holds, or a file (whichever was left in builds/)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


__all__ = ["BUILDS", "CURRENT", "PREVIOUS", "REJECTED", "lock", "prepare", "set_aside", "swap_in"]
