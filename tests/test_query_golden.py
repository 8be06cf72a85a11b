"""Golden tests of every canned query: rows a person checked against the documents.

Each query has ``tests/golden/queries/NAME.yaml``: a list of cases, each with the
parameters to run it with, the rows that must be among its results (``include``: each
a mapping of some columns to their text), rows that must not be (``exclude``), the exact
number of rows where it is known (``count``), and ``checked``: where in the documents a
person read each expected row. The graph is the shipped corpus plus the made-up
Borsetshire reports of tests/reportgen.py (a second force, for the queries that compare
forces) and a third force's copy of the Borsetshire 2025–27 report without its cause of
concern (for the consistency checks). A file is named ``data/NAME`` as in the shipped
manifest; the test maps it to the folder the graph is built from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg import paths
from kg.pipeline import build_dataset
from kg.queries import list_queries, run_query
from kg.store import Store
from tests.reportgen import FORCE, REPORT_2023, REPORT_2025, write_corpus

# rdflib's N-Quads parser and writer use its own deprecated names.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

GOLDEN = Path(__file__).parent / "golden" / "queries"
NAMES = [q.name for q in list_queries()]
CASE_KEYS = {"params", "include", "exclude", "count", "checked"}
#: The third force: an inadequate grade with no cause of concern.
WESSEX = "Wessex Constabulary"
CAUSE = REPORT_2025[REPORT_2025.index("Cause of concern") : REPORT_2025.index("Providing a safe")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    """The shipped corpus and the made-up reports, built into one graph; and its folder."""
    folder = tmp_path_factory.mktemp("golden")
    wessex = REPORT_2025.replace(CAUSE, "").replace(FORCE, WESSEX)
    other = write_corpus(
        folder,
        {
            "borsetshire-2025.txt": (REPORT_2025, "2025-27", "peel-report-2025"),
            "borsetshire-2023.txt": (REPORT_2023, "2023-25", "peel-report-2023"),
            "wessex-2025.txt": (wessex, "2025-27", "peel-report-2025"),
        },
        {"wessex-2025.txt": WESSEX},
    ).read_text(encoding="utf-8")
    for source in paths.DATA_DIR.glob("*.txt"):
        (folder / source.name).write_bytes(source.read_bytes())
    shipped = paths.DEFAULT_MANIFEST.read_text(encoding="utf-8")
    manifest = folder / "manifest.toml"
    manifest.write_text(shipped + "\n" + other, encoding="utf-8")
    return Store.from_dataset(build_dataset(manifest).dataset), folder


def cases(name: str) -> list[dict[str, Any]]:
    """The golden cases of one query."""
    loaded = yaml.safe_load((GOLDEN / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, list) and loaded, f"{name}.yaml: a list of cases"
    return loaded


def test_every_query_has_golden_cases_and_every_golden_file_a_query() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.yaml")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_golden_cases_are_well_formed(name: str) -> None:
    for case in cases(name):
        assert set(case) <= CASE_KEYS, set(case) - CASE_KEYS
        assert str(case.get("checked", "")).strip(), "say where the rows were checked"
        assert case.get("include") or "count" in case, "a case must expect something"


@pytest.mark.parametrize("name", NAMES)
def test_query_gives_the_rows_checked_against_the_documents(
    built: tuple[Store, Path], name: str
) -> None:
    graph, folder = built

    def text(value: Any) -> str:
        """A value as the results write it, a shipped file's name mapped to the build's."""
        value = str(value)
        return f"{folder}/{value[5:]}" if value.startswith("data/") else value

    def matches(row: dict[str, str], want: dict[str, Any]) -> bool:
        return all(row.get(k) == text(v) for k, v in want.items())

    for case in cases(name):
        given = (case.get("params") or {}).items()
        params = {k: [text(x) for x in v] if isinstance(v, list) else text(v) for k, v in given}
        doc = json.loads(run_query(graph, name, params, "json"))
        got = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
        for want in case.get("include") or []:
            assert any(matches(row, want) for row in got), f"{name} {params}: no row {want}"
        for unwanted in case.get("exclude") or []:
            assert not any(matches(row, unwanted) for row in got), f"{name} {params}: {unwanted}"
        if "count" in case:
            assert len(got) == case["count"], f"{name} {params}: {len(got)} rows"
