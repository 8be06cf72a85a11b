"""A build's outputs are replaced as one set (kg.outputs): a killed build leaves the
previous set whole and agreeing, readers see one build's graph while builds swap, two
builds never write one folder, and a graph that does not conform does not replace one
that does."""

from __future__ import annotations

import errno
import os
import select
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pytest
from click.testing import CliRunner

import kg
from kg import outputs, pipeline
from kg.api import Rows
from kg.cli import cli
from kg.errors import UsageError
from kg.outputs import lock
from kg.pipeline import build
from kg.store import Store
from tests.reportgen import REPORT_2023, REPORT_2025, write_corpus

WRITTEN = ("peel.ttl", "peel.jsonld", "peel.nq", "validation.txt")


@pytest.fixture(scope="module")
def manifests(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three corpora: a (one report), b (two), and bad (b with a grade table that
    disagrees with the text: it does not conform)."""
    wrong = REPORT_2025.replace("\tCustody\tResponding", "\tResponding to the public\tCustody")
    tmp_path, found = tmp_path_factory.mktemp("corpora"), {}
    for name, docs in {
        "a": {"a.txt": (REPORT_2023, "2023-25", "peel-report")},
        "b": {
            "a.txt": (REPORT_2023, "2023-25", "peel-report"),
            "b.txt": (REPORT_2025, "2025-27", "peel-report"),
        },
        "bad": {
            "a.txt": (REPORT_2023, "2023-25", "peel-report"),
            "b.txt": (wrong, "2025-27", "peel-report-2025"),
        },
    }.items():
        (tmp_path / name).mkdir()
        found[name] = write_corpus(tmp_path / name, docs)
    return found


@pytest.fixture(scope="module")
def alone(manifests: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each corpus built into a folder of its own."""
    tmp_path = tmp_path_factory.mktemp("alone")
    for name, manifest in manifests.items():
        build(manifest, tmp_path / name, jobs=1)
    return {name: tmp_path / name for name in manifests}


@pytest.fixture(scope="module")
def sets(alone: dict[str, Path]) -> dict[str, dict[str, bytes]]:
    """The four files each corpus builds (builds are byte-identical:
    tests/test_determinism.py)."""
    return {name: the_set(folder) for name, folder in alone.items()}


def the_set(out: Path) -> dict[str, bytes]:
    """The four outputs a reader finds in ``out``, checked to be one build's set: all
    four through the same build folder, the Turtle's triples the N-Quads' distinct
    triples."""
    assert len({(out / name).resolve().parent for name in WRITTEN}) == 1
    files = {name: (out / name).read_bytes() for name in WRITTEN}
    nquads, turtle = Store.from_file(out / "peel.nq"), Store.from_file(out / "peel.ttl")
    triples = {(q.subject, q.predicate, q.object) for q in nquads.oxigraph}
    assert len(turtle) == len(triples)
    return files


def built_a(alone: dict[str, Path], tmp_path: Path) -> Path:
    """An output folder holding corpus a's build: a copy of one (its links relative)."""
    return Path(shutil.copytree(alone["a"], tmp_path / "out", symlinks=True))


def builds(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "builds").iterdir())


def paused(point: str, manifest: Path, out: Path) -> int:
    """A build of ``manifest`` into ``out`` in a forked process of its own, stopped at
    ``point`` (made: the graph made, nothing written; writing: peel.jsonld half written;
    written: the four files whole, not yet swapped in; swapped: the current link renamed,
    nothing after); returns its pid."""
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the build: says where it stopped, then sleeps until it is killed
        try:
            os.close(readable)
            _stop_at(point, writable)
            build(manifest, out, jobs=1)
            os.write(writable, b"ended\n")
        except BaseException as exc:
            os.write(writable, f"{type(exc).__name__}: {exc}\n".encode())
        finally:
            os._exit(0)
    os.close(writable)
    with os.fdopen(readable) as said:
        stopped = said.readline().strip() if select.select([said], [], [], 60)[0] else ""
    if stopped != point:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail(f"the build did not stop at {point}: it said {stopped!r}")
    return pid


def _stop_at(point: str, said: int) -> None:
    """In the forked build: stop at ``point`` (kg.outputs and kg.pipeline patched)."""

    def stop(name: str) -> None:
        if name == point:
            os.write(said, f"{name}\n".encode())
            time.sleep(120)

    staging, write_chunks = outputs.staging, pipeline.write_chunks
    commit, point_at = outputs._commit, outputs._point

    @contextmanager
    def staged(out: Path) -> Iterator[Path]:
        stop("made")
        with staging(out) as stage:
            yield stage

    def writing(fh: BinaryIO, chunks: list[bytes | Path]) -> None:
        if fh.name.endswith("peel.jsonld"):  # type: ignore[attr-defined]
            write_chunks(fh, chunks[:1])
            fh.flush()
            stop("writing")
            chunks = chunks[1:]
        write_chunks(fh, chunks)

    def committing(stage: Path) -> str:
        stop("written")
        return commit(stage)

    def pointing(link: Path, target: str) -> None:
        point_at(link, target)
        if link.name == "current":
            stop("swapped")

    outputs.staging, pipeline.write_chunks = staged, writing  # type: ignore[assignment]
    outputs._commit, outputs._point = committing, pointing


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


@pytest.mark.parametrize(
    ("point", "seen"), [("made", "a"), ("writing", "a"), ("written", "a"), ("swapped", "b")]
)
def test_a_build_killed_at_any_point_leaves_one_whole_set(
    point: str,
    seen: str,
    manifests: dict[str, Path],
    alone: dict[str, Path],
    sets: dict[str, dict[str, bytes]],
    tmp_path: Path,
) -> None:
    """Killed before its set is swapped in, the build leaves the previous set as it was;
    killed just after, the new one. Either way the four files are one build's and the
    next build succeeds and removes what the killed one left."""
    out = built_a(alone, tmp_path)
    child = paused(point, manifests["b"], out)
    staged = [n for n in builds(out) if n.startswith(".staging-")]
    if point == "writing":
        (stage,) = staged
        written = (out / "builds" / stage / "peel.jsonld").stat().st_size
        assert 0 < written < len(sets["b"]["peel.jsonld"])
    if point == "written":
        (stage,) = staged
        assert {p.name for p in (out / "builds" / stage).iterdir()} == set(WRITTEN)
    kill(child)
    assert the_set(out) == sets[seen]
    result = build(manifests["b"], out, jobs=1)
    assert result.replaced and result.conforms
    assert the_set(out) == sets["b"]
    assert not [n for n in builds(out) if n.startswith(".staging-")]


def test_a_failed_write_leaves_the_previous_set_and_no_temporary_file(
    manifests: dict[str, Path],
    alone: dict[str, Path],
    sets: dict[str, dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = built_a(alone, tmp_path)
    before = builds(out)
    write_chunks = pipeline.write_chunks

    def full(fh: BinaryIO, chunks: list[bytes | Path]) -> None:
        if fh.name.endswith("peel.jsonld"):  # type: ignore[attr-defined]
            raise OSError(errno.ENOSPC, "No space left on device")
        write_chunks(fh, chunks)

    monkeypatch.setattr(pipeline, "write_chunks", full)
    with pytest.raises(OSError, match="No space left"):
        build(manifests["b"], out, jobs=1)
    assert the_set(out) == sets["a"]
    assert builds(out) == before
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_a_second_build_into_a_folder_stops_at_once_naming_the_first(
    manifests: dict[str, Path],
    alone: dict[str, Path],
    sets: dict[str, dict[str, bytes]],
    tmp_path: Path,
) -> None:
    out = built_a(alone, tmp_path)
    child = paused("made", manifests["b"], out)
    try:
        started = time.monotonic()
        got = CliRunner().invoke(
            cli, ["build", "--manifest", str(manifests["b"]), "--out", str(out)]
        )
        assert got.exit_code == 2
        assert f"another build is writing {out} (pid {child})" in got.stderr
        assert time.monotonic() - started < 5  # at once: it does not wait, nor build
        assert the_set(out) == sets["a"]
    finally:
        kill(child)
    with lock(out), pytest.raises(UsageError, match="another build is writing"):
        build(manifests["b"], out)  # this process, already writing there
    assert build(manifests["b"], out, jobs=1).replaced
    assert the_set(out) == sets["b"]


def answer(out: Path) -> str:
    """What a reader asks of the graph in ``out``: quads, quads in named graphs, named
    graphs and the rows of the canned query grades."""
    g = kg.open(out)
    rows = g.sparql(
        "SELECT (COUNT(*) AS ?quads) (COUNT(DISTINCT ?g) AS ?graphs) "
        "WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert isinstance(rows, Rows)
    (row,) = rows
    return f"{len(g)} {row['quads']} {row['graphs']} {len(g.query('grades'))}"


def reading(out: Path, stop: Path) -> tuple[int, int]:
    """A forked reader asking :func:`answer` of ``out`` again and again until ``stop``
    exists, a line per answer (or error) on the pipe it returns with its pid."""
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(readable)
            os.write(writable, b"ready\n")
            while not stop.exists():
                try:
                    said = answer(out)
                except Exception as exc:
                    said = f"error {type(exc).__name__}: {exc}"
                os.write(writable, f"{said}\n".encode())
        finally:
            os._exit(0)
    os.close(writable)
    return pid, readable


def test_queries_during_rebuilds_see_the_old_graph_or_the_new(
    manifests: dict[str, Path],
    alone: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reader opening the output folder again and again while builds of two corpora
    swap their sets in: every query it runs answers from one of the two graphs, whole.
    The builds write slowly, a chunk at a time, so the reader reads while they write."""
    write_chunks = pipeline.write_chunks

    def slowly(fh: BinaryIO, chunks: list[bytes | Path]) -> None:
        for chunk in chunks:
            write_chunks(fh, [chunk])
            fh.flush()
            time.sleep(0.05)

    monkeypatch.setattr(pipeline, "write_chunks", slowly)
    out, stop = built_a(alone, tmp_path), tmp_path / "stop"
    answers = {name: answer(alone[name]) for name in ("a", "b")}
    assert answers["a"] != answers["b"]
    pid, pipe = reading(out, stop)
    with os.fdopen(pipe) as lines:
        assert lines.readline().strip() == "ready"
        try:
            for name in "bab":
                build(manifests[name], out, jobs=1)
        finally:
            stop.touch()
            said = lines.read().splitlines()
            os.waitpid(pid, 0)
    assert [line for line in said if line not in answers.values()] == []
    assert set(said) == set(answers.values())  # it read while each was current
    assert len(said) > 10


def test_a_graph_that_does_not_conform_does_not_replace_one_that_does(
    manifests: dict[str, Path],
    alone: dict[str, Path],
    sets: dict[str, dict[str, bytes]],
    tmp_path: Path,
) -> None:
    out, run = built_a(alone, tmp_path), CliRunner().invoke
    got = run(cli, ["build", "--manifest", str(manifests["bad"]), "--out", str(out)])
    assert got.exit_code == 1
    assert "kept the previous outputs, which conform" in got.stdout
    assert f"See {out / 'rejected' / 'validation.txt'} for every problem." in got.stderr
    assert the_set(out) == sets["a"]
    assert the_set(out / "rejected") == sets["bad"]
    assert (out / "rejected" / "validation.txt").read_text().startswith("Does not conform.")
    # --force replaces them; a set that does not conform is then replaced by the next
    forced = ["--manifest", str(manifests["bad"]), "--out", str(out), "--force"]
    got = run(cli, ["build", *forced])
    assert got.exit_code == 1 and "kept the previous" not in got.stdout
    assert the_set(out) == sets["bad"] and not (out / "rejected").exists()
    assert build(manifests["bad"], out).replaced
    assert build(manifests["b"], out).replaced
    assert the_set(out) == sets["b"]


def test_a_first_build_that_does_not_conform_is_written(
    manifests: dict[str, Path], sets: dict[str, dict[str, bytes]], tmp_path: Path
) -> None:
    got = CliRunner().invoke(
        cli, ["build", "--manifest", str(manifests["bad"]), "--out", str(tmp_path / "o")]
    )
    assert got.exit_code == 1
    assert the_set(tmp_path / "o") == sets["bad"]


def test_outputs_of_the_earlier_layout_are_taken_over_whole(
    manifests: dict[str, Path], sets: dict[str, dict[str, bytes]], tmp_path: Path
) -> None:
    """An output folder of four plain files (written before builds/ and current) becomes
    the current set, then the previous one; a non-conforming build keeps it."""
    out = tmp_path / "out"
    out.mkdir()
    for name, data in sets["a"].items():
        (out / name).write_bytes(data)
    assert not build(manifests["bad"], out).replaced
    assert all((out / name).is_symlink() for name in WRITTEN)
    assert the_set(out) == sets["a"]
    assert build(manifests["b"], out).replaced
    assert the_set(out) == sets["b"] and the_set(out / "previous") == sets["a"]


@pytest.mark.parametrize("in_the_way", ["peel.nq", "current"])
def test_a_folder_in_the_way_is_refused_before_any_work(
    in_the_way: str, manifests: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / in_the_way).mkdir(parents=True)
    got = CliRunner().invoke(cli, ["build", "--manifest", str(manifests["a"]), "--out", str(out)])
    assert got.exit_code == 2
    assert f"{out / in_the_way}: a folder is in the way" in got.stderr
    assert not (out / ".cache").exists()  # nothing was built


def test_an_out_that_is_a_file_is_refused(manifests: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "o").write_text("not a folder")
    got = CliRunner().invoke(
        cli, ["build", "--manifest", str(manifests["a"]), "--out", str(tmp_path / "o")]
    )
    assert got.exit_code == 2 and f"--out {tmp_path / 'o'}: is a file, not a folder" in got.stderr
