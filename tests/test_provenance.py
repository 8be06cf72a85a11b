"""Every fact is pinned to its source: the quote equals the file text between the offsets."""

from __future__ import annotations

from kg.store import Store

SPANS = """
PREFIX peel: <https://w3id.org/peel-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?fact ?file ?start ?end ?quote WHERE {
  ?fact ?prop ?span . VALUES ?prop { peel:span peel:bodySpan peel:revisionSpan }
  ?span oa:hasSource/peel:path ?file ; oa:hasSelector ?pos, ?q .
  ?pos oa:start ?start ; oa:end ?end . ?q oa:exact ?quote .
}"""


def test_every_quote_equals_the_file_text_between_its_offsets(
    store: Store, texts: dict[str, str]
) -> None:
    rows = store.rows(SPANS)
    assert len(rows) > 300
    bad = []
    for r in rows:
        text = texts[str(r["file"])]
        start, end = int(r["start"]), int(r["end"])
        if not (0 <= start < end <= len(text)) or text[start:end] != str(r["quote"]):
            bad.append((str(r["fact"]), start, end))
    assert bad == []


def test_every_judgment_and_finding_has_a_span(store: Store) -> None:
    rows = store.rows("""
        PREFIX peel: <https://w3id.org/peel-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?fact WHERE {
          ?fact a ?cls . ?cls rdfs:subClassOf* ?top .
          VALUES ?top { peel:Judgment peel:Finding peel:GradeStatement peel:Inspection }
          FILTER NOT EXISTS { ?fact peel:span ?s }
        }""")
    assert rows == []
    counted = store.rows("""
        PREFIX peel: <https://w3id.org/peel-kg/ontology#>
        SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f peel:span ?s ; peel:headline ?h }""")
    # 120 findings read from their reports, and 6 earlier findings known only through a
    # later report's back-reference (pinned to the passage describing them)
    assert int(counted[0]["n"]) == 126


def test_every_fact_names_its_source_document(store: Store) -> None:
    rows = store.rows("""
        PREFIX peel: <https://w3id.org/peel-kg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?fact WHERE { ?fact peel:span ?s . ?s <http://www.w3.org/ns/oa#hasSource> ?doc .
                             FILTER NOT EXISTS { ?fact prov:wasDerivedFrom ?doc } }""")
    assert rows == []


def test_provenance_query_lists_the_spans(store: Store, texts: dict[str, str]) -> None:
    import json

    from kg.queries import run_query

    doc = json.loads(
        run_query(store, "provenance", {"file": "data/001_440047dec6ca2f53.txt"}, "json")
    )
    assert doc["head"]["vars"] == ["fact", "kind", "file", "start", "end", "quote"]
    rows = doc["results"]["bindings"]
    kinds = {r["kind"]["value"] for r in rows}
    assert {"Judgment", "AreaForImprovement", "CauseOfConcern", "Recommendation"} <= kinds
    text = texts["data/001_440047dec6ca2f53.txt"]
    for r in rows:
        assert r["file"]["value"] == "data/001_440047dec6ca2f53.txt"
        start, end = int(r["start"]["value"]), int(r["end"]["value"])
        assert text[start:end] == r["quote"]["value"]
