"""A build reads sources in worker processes and keeps each source's result in a cache:
a rebuild reads again only what changed, and gives the bytes a fresh build gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import process
from kg.assemble import reference_nquads
from kg.pipeline import build
from kg.reference import load_reference
from tests.reportgen import REPORT_2023, REPORT_2025, write_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    docs = {
        "a.txt": (REPORT_2023, "2023-25", "peel-report"),
        "b.txt": (REPORT_2025, "2025-27", "peel-report"),
    }
    return write_corpus(tmp_path, docs)


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_rebuild_takes_unchanged_sources_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(corpus, out)
    assert first.cached == 0
    written = outputs(out)
    again = build(corpus, out)
    assert again.cached == 2
    assert again.parts[0].cached and not first.parts[0].cached  # the shared part
    assert outputs(out) == written
    assert "2 unchanged, from the cache" in again.summary()
    assert len(list((out / ".cache" / "shared").glob("*.json"))) == 1
    # the reference data's N-Quads, kept under the code's fingerprint
    (kept,) = (out / ".cache" / "reference").iterdir()
    assert kept.name == f"{process.code_fingerprint()}.nq"
    assert kept.read_bytes() == reference_nquads(load_reference())


def test_a_changed_source_is_read_again_and_only_it(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    changed = REPORT_2025.replace("Borsetshire", "Borsetshire ", 1)
    docs = {
        "a.txt": (REPORT_2023, "2023-25", "peel-report"),
        "b.txt": (changed, "2025-27", "peel-report"),
    }
    manifest = write_corpus(corpus.parent, docs)
    again = build(manifest, out)
    assert again.cached == 1
    fresh = build(manifest, tmp_path / "fresh", cache=False)
    assert fresh.cached == 0
    assert again.nquads == fresh.nquads
    # the cache keeps only what the last build used
    keys = {p.name.split(".")[0] for p in (out / ".cache" / "sources").iterdir()}
    assert len(keys) == 2


def test_changed_code_or_reference_data_reads_every_source_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    monkeypatch.setattr(process, "code_fingerprint", lambda: "another version of the code")
    assert build(corpus, out).cached == 0
    (kept,) = (out / ".cache" / "reference").iterdir()  # made again, the old one gone
    assert kept.name == "another version of the code.nq"


def test_a_damaged_cache_entry_is_read_again_not_trusted(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(corpus, out)
    for entry in (out / ".cache").glob("*/*.json"):  # sources, parts, the shared part
        entry.write_text("{not json", encoding="utf-8")
    again = build(corpus, out)
    assert (again.cached, again.forces_cached, again.parts[0].cached) == (0, 0, False)
    assert again.nquads == first.nquads


def test_worker_processes_give_the_bytes_one_process_gives(corpus: Path, tmp_path: Path) -> None:
    one = build(corpus, tmp_path / "one", cache=False, jobs=1)
    two = build(corpus, tmp_path / "two", cache=False, jobs=2)
    assert one.nquads == two.nquads
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_the_build_times_its_stages(corpus: Path, tmp_path: Path) -> None:
    result = build(corpus, tmp_path / "out")
    assert {
        "read, extract and build sources",
        "link, validate and write each force",
        "the shared part",
        "write peel.nq",
    } <= set(result.stages)
    assert all(seconds >= 0 for seconds in result.stages.values())


def test_a_changed_source_remakes_its_force_only(tmp_path: Path) -> None:
    other = "Wessex Constabulary"
    docs = {
        "a.txt": (REPORT_2023, "2023-25", "peel-report"),
        "b.txt": (REPORT_2025, "2025-27", "peel-report"),
        "w.txt": (REPORT_2025.replace("Borsetshire Constabulary", other), "2025-27", "peel-report"),
    }
    manifest = write_corpus(tmp_path, docs, {"w.txt": other})
    out = tmp_path / "out"
    first = build(manifest, out)
    assert (first.forces, first.forces_cached) == (2, 0)
    docs["w.txt"] = (docs["w.txt"][0].replace("Wessex", "Wessex ", 1), "2025-27", "peel-report")
    again = build(write_corpus(tmp_path, docs, {"w.txt": other}), out)
    assert (again.cached, again.forces_cached) == (2, 1)
    assert "2 unchanged, from the cache) of 2 force(s) (1 unchanged)" in again.summary()
    build(write_corpus(tmp_path, docs, {"w.txt": other}), tmp_path / "fresh", cache=False)
    assert outputs(out) == outputs(tmp_path / "fresh")
    assert len(list((out / ".cache" / "parts").glob("*.json"))) == 2


def test_old_builds_and_what_a_killed_build_left_are_removed(corpus: Path, tmp_path: Path) -> None:
    """A rebuild keeps the current set and the one before it; every other build folder,
    a staging folder and the temporary files a killed build left are removed (in the
    background), and the outputs are a fresh build's."""
    import time

    out = tmp_path / "out"
    build(corpus, out)
    first = (out / "current").resolve()
    (out / "builds" / ".staging-left-by-a-killed-build").mkdir()
    (out / ".peel.nq.old-1").write_bytes(b"left by a build of the earlier layout")
    (out / ".current.0badf00d.tmp").symlink_to("builds/nowhere")
    build(corpus, out)
    second = (out / "current").resolve()
    assert (out / "previous").resolve() == first
    build(corpus, out)
    fresh = build(corpus, tmp_path / "fresh", cache=False)
    assert outputs(out) == outputs(tmp_path / "fresh") and fresh.conforms
    assert (out / "previous").resolve() == second
    for _ in range(50):
        left = sorted(p.name for p in (out / "builds").iterdir())
        if len(left) == 2:
            break
        time.sleep(0.1)
    assert left == sorted([second.name, (out / "current").resolve().name])
    assert [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".cache"] == [
        ".lock"
    ]
