"""How bench/run.py asks the canned queries: each required parameter with the example of
the query's metadata (on the synthetic national corpus, the value NATIONAL_PARAMS gives),
a force or a file as a user follows one. The benchmark itself is too slow for a test."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

from kg.paths import ROOT
from kg.queries import CannedQuery, list_queries, run_query
from kg.store import Store
from tests.benches import load_bench


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("run")


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_query_is_asked_as_the_benchmark_asks_it_on_the_shipped_corpus(
    bench: ModuleType, store: Store, query: CannedQuery
) -> None:
    scope = bench._scope(ROOT / "data" / "manifest.toml")
    rows = store.rows("SELECT DISTINCT ?p { ?s <https://w3id.org/peel-kg/ontology#path> ?p }")
    paths = [str(r["p"]) for r in rows]
    scope["file"] = next(p for p in paths if p.endswith("/" + scope["file"]))
    asked = {
        **bench.example_params(query, national=False),
        **{p.name: scope[p.name] for p in query.parameters if p.name in bench.SCOPES},
    }
    assert {p.name for p in query.parameters if p.required} <= set(asked)
    # the values bind on the graph (a name that names nothing there is a QueryError)
    results = json.loads(run_query(store, query, asked, "json"))
    assert results["head"]["vars"] == list(query.variables)


def test_the_national_initiative_is_named_by_the_smallest_national_corpus(
    bench: ModuleType,
) -> None:
    corpus = load_bench("corpus")
    name = bench.NATIONAL_PARAMS["initiative-mentions"]["initiative"]
    assert any(name in doc.text for doc in corpus.national_corpus(1))
    shipped = bench.example_params(
        next(q for q in list_queries() if q.name == "initiative-mentions"), national=False
    )
    assert shipped["initiative"] != name  # the shipped corpus is asked its own example
