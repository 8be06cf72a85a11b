"""Shared fixtures: the graph built once from the shipped corpus; the fuzz tests' settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from kg.paths import DEFAULT_MANIFEST, ROOT
from kg.pipeline import BuildResult, build_dataset
from kg.store import Store

REPORT_2023 = "data/000_82645b4a8ccb79df.txt"
REPORT_2025 = "data/001_440047dec6ca2f53.txt"

#: A table's width is each test's choice ($COLUMNS given to the command it runs), not the
#: environment's: pytest-xdist's worker processes start with COLUMNS=80 and LINES=24.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)

#: The fuzz tests (tests/test_fuzz*.py) run a bounded, derandomised number of examples, the
#: same on every run ("ci"). PEEL_KG_FUZZ_EXAMPLES=N runs N examples of each, with a fresh
#: random seed every run ("explore"), to search further by hand.
FUZZ_EXAMPLES = int(os.environ.get("PEEL_KG_FUZZ_EXAMPLES") or 0)
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "explore",
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("explore" if FUZZ_EXAMPLES else "ci")


def fuzz(examples: int) -> settings:
    """The settings of one fuzz test: ``examples`` examples in CI, PEEL_KG_FUZZ_EXAMPLES
    when set."""
    return settings(max_examples=FUZZ_EXAMPLES or examples)


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
