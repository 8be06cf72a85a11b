"""The names a user may give a query: forces, areas, metrics, assessments and themes (the
reference data, ontology/), and the initiatives of a built graph. ``peel-kg list KIND``
shows them, so that nobody guesses a spelling.
"""

from __future__ import annotations

from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from kg import vocab
from kg.errors import UsageError
from kg.reference import Reference, load_reference
from kg.store import GraphStore

KINDS = ("forces", "areas", "metrics", "assessments", "themes", "initiatives")

#: The columns of each kind's table.
COLUMNS = {
    "forces": ("force", "also named", "notation"),
    "areas": ("area", "also named", "cycle", "graded"),
    "metrics": ("metric", "also named", "notation"),
    "assessments": ("assessment", "cycle", "years"),
    "themes": ("theme", "terms"),
    "initiatives": ("initiative", "kind", "forces"),
}

_INITIATIVES = """
PREFIX peel: <https://w3id.org/peel-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?initiative (SAMPLE(?k) AS ?kind) (COUNT(DISTINCT ?f) AS ?forces)
WHERE {
  { SELECT DISTINCT ?i ?initiative WHERE { ?i a peel:Initiative ; rdfs:label ?initiative } }
  OPTIONAL { ?i peel:initiativeKind ?k }
  OPTIONAL { ?i peel:mention/peel:inspection/peel:force ?f }
}
GROUP BY ?i ?initiative
ORDER BY LCASE(?initiative) ?initiative
"""


def list_names(kind: str, store: GraphStore | None = None) -> list[tuple[str, ...]]:
    """The rows of ``kind`` (one of KINDS), in COLUMNS' order; initiatives need ``store``.

    :raises UsageError: an unknown kind, or initiatives without a store.
    """
    if kind not in KINDS:
        raise UsageError(f"cannot list {kind!r}; use one of {', '.join(KINDS)}")
    if kind == "initiatives":
        if store is None:
            raise UsageError("the initiatives are those of a built graph: give one")
        return [
            (str(r["initiative"]), str(r.get("kind", "")), str(r["forces"]))
            for r in store.rows(_INITIATIVES)
        ]
    ref = load_reference()
    return {
        "forces": _forces,
        "areas": _areas,
        "metrics": _metrics,
        "assessments": _assessments,
        "themes": _themes,
    }[kind](ref)


def _others(ref: Reference, iri: URIRef, shown: str) -> str:
    """The other names of ``iri`` (its skos:altLabels), sorted, joined by '; '."""
    alts = {str(a) for a in ref.graph.objects(iri, SKOS.altLabel)} - {shown}
    return "; ".join(sorted(alts, key=str.lower))


def _forces(ref: Reference) -> list[tuple[str, ...]]:
    found = {f.iri: f for f in ref.forces.values()}.values()
    return [
        (f.label, _others(ref, f.iri, f.label), f.notation)
        for f in sorted(found, key=lambda f: f.label)
    ]


def _areas(ref: Reference) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    cycles = sorted(ref.cycles.values(), key=lambda c: c.notation)
    for cycle in cycles:
        for area in cycle.areas:
            graded = "yes" if area.graded else "no"
            rows.append((area.label, _others(ref, area.iri, area.label), cycle.label, graded))
    return rows


def _metrics(ref: Reference) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for metric in ref.graph.subjects(RDF.type, vocab.Metric):
        label = str(ref.graph.value(metric, SKOS.prefLabel))
        notation = str(ref.graph.value(metric, SKOS.notation) or "")
        rows.append((label, _others(ref, URIRef(str(metric)), label), notation))
    return sorted(rows, key=lambda r: r[0].lower())


def _assessments(ref: Reference) -> list[tuple[str, ...]]:
    return [
        (
            a.label,
            a.cycle.label,
            f"{a.years[0]}–{a.years[1]}" if a.years[1] != a.years[0] else str(a.years[0]),
        )
        for a in ref.assessments.values()
    ]


def _themes(ref: Reference) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for theme in ref.graph.subjects(RDF.type, vocab.Theme):
        label = str(ref.graph.value(theme, SKOS.prefLabel))
        terms = sorted({str(t) for t in ref.graph.objects(theme, SKOS.hiddenLabel)})
        rows.append((label, "; ".join(terms)))
    return sorted(rows, key=lambda r: r[0].lower())


__all__ = ["COLUMNS", "KINDS", "list_names"]
