"""The synthetic national corpus of bench/corpus.py: seeded, and of the layouts it says.

Building it is a benchmark (bench/README.md), too slow for a test; here only the
one-force corpus is written, twice.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from kg.paths import ROOT
from kg.read.detect import detect_layout
from tests.benches import load_bench


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    """bench/corpus.py, loaded from its file (bench/ is not a package)."""
    return load_bench("corpus")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(corpus: ModuleType, tmp_path: Path) -> None:
    first = corpus.write_national_corpus(tmp_path / "a", 1, seed=1)
    second = corpus.write_national_corpus(tmp_path / "b", 1, seed=1)
    assert _files(first.parent) == _files(second.parent)
    other = corpus.write_national_corpus(tmp_path / "c", 1, seed=2)
    assert _files(other.parent) != _files(first.parent)


def test_every_layout_is_detected_as_the_manifest_says(corpus: ModuleType, tmp_path: Path) -> None:
    manifest = corpus.write_national_corpus(tmp_path, 1)
    entries = tomllib.loads(manifest.read_text(encoding="utf-8"))["document"]
    layouts = {e["layout"] for e in entries}
    assert layouts == {"hmic-web", "peel-report", "press-release", "news-article"}
    for entry in entries:
        text = (tmp_path / entry["file"]).read_text(encoding="utf-8")
        found, marks = detect_layout(text)
        assert found == entry["layout"], (entry["file"], marks)


def test_same_seed_same_bytes_in_another_process(tmp_path: Path) -> None:
    """Nothing the generator does may depend on Python's per-process string hashing."""
    import os
    import subprocess

    for n, hash_seed in enumerate(("1", "2")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "corpus.py"), "--forces", "3",
             "--out", str(tmp_path / str(n))],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
    assert _files(tmp_path / "0") == _files(tmp_path / "1")
