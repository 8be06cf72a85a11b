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


def test_findings_query_gives_each_finding_its_body_quote_and_place(
    store: Store, texts: dict[str, str]
) -> None:
    """Each row of the findings query: the quote is the file's text between the offsets
    and the headline as the report writes it (link markup and line breaks kept); the
    body is left empty only for the earlier findings known through a later report."""
    import json
    import re

    from kg.queries import run_query

    doc = json.loads(run_query(store, "findings", {}, "json"))
    rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
    assert len({r["finding"] for r in rows}) == len(rows) == 126
    for r in rows:
        start, end = int(r["start"]), int(r["end"])
        assert texts[r["file"]][start:end] == r["quote"], r["finding"]
        unlinked = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", r["quote"])
        assert " ".join(unlinked.split()) == r["headline"], r["finding"]
    known_later = store.rows("""
        PREFIX peel: <https://w3id.org/peel-kg/ontology#>
        SELECT ?f WHERE { ?f peel:headline ?h ; peel:knownOnlyThrough ?source }""")
    assert {r["finding"] for r in rows if "body" not in r} == {str(r["f"]) for r in known_later}


def test_theme_findings_and_causes_of_concern_give_where_each_headline_stands(
    store: Store, texts: dict[str, str]
) -> None:
    """The file and offsets of theme-findings and causes-of-concern delimit the headline
    (its link markup and line breaks aside) in the file, on every row."""
    import json
    import re

    from kg.queries import run_query

    for name, headline in [("theme-findings", "headline"), ("causes-of-concern", "cause")]:
        doc = json.loads(run_query(store, name, {}, "json"))
        rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
        assert rows, name
        for r in rows:
            quote = texts[r["file"]][int(r["start"]) : int(r["end"])]
            unlinked = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", quote)
            assert " ".join(unlinked.split()) == r[headline], (name, r)
