"""Shared fixtures: the graph built once from the shipped corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.paths import DEFAULT_MANIFEST, ROOT
from kg.pipeline import BuildResult, build_dataset
from kg.store import Store

REPORT_2023 = "data/000_82645b4a8ccb79df.txt"
REPORT_2025 = "data/001_440047dec6ca2f53.txt"


@pytest.fixture(scope="session")
def built() -> BuildResult:
    """The shipped corpus, read, extracted, built and validated once per test session."""
    return build_dataset(DEFAULT_MANIFEST)


@pytest.fixture(scope="session")
def store(built: BuildResult) -> Store:
    """The built graph in the query store."""
    return Store.from_dataset(built.dataset)


@pytest.fixture(scope="session")
def texts() -> dict[str, str]:
    """The text of every shipped source, by its path relative to the repository root."""
    return {
        p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "data").glob("*.txt"))
    }


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A copy of the shipped manifest and sources in a temporary folder; returns the manifest."""
    for p in (ROOT / "data").iterdir():
        if p.is_file():
            (tmp_path / p.name).write_bytes(p.read_bytes())
    return tmp_path / DEFAULT_MANIFEST.name
