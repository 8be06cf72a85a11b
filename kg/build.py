"""Build: extracted facts -> RDF, one named graph per source document.

Every Judgment, GradeStatement, GradeClaim, GradeCount, Finding, Inspection,
and every mention of a force or a person gets a source span (Web Annotation
selectors): the document, the start and end offsets and the exact quote.
Things many sources mention (forces, people, inspections) are described once
in the entity graph; each source graph keeps its own mentions.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg import vocab as v
from kg.extract.facts import AreaFact, GradeClaim, GradeCountFact, SourceFacts
from kg.model import Span
from kg.reference import Reference
from kg.sources import Source


def _date(value: str) -> Literal:
    """YYYY, YYYY-MM or YYYY-MM-DD as a typed literal."""
    kind = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=kind)


class SourceGraph:
    """Writes the facts of one source into its named graph."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.doc = v.mint("source", source.stem)
        self.publisher = v.mint("agent", source.publisher or "unknown")
        self.secondary = source.kind in v.SECONDARY_KINDS
        self.g = Graph(identifier=v.graph_for(source.stem))
        self.entities = Graph(identifier=v.ENTITY_GRAPH)

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        """Add one triple; plain Python values become literals."""
        self.g.add((s, p, o if isinstance(o, URIRef | Literal) else Literal(o)))

    def shared(self, s: URIRef, p: URIRef, o: object) -> None:
        """Describe a thing many sources mention (a force, a person) in the entity graph.

        Kept apart so that the union of all graphs states it once; each source
        still records its own mention with a span.
        """
        self.entities.add((s, p, o if isinstance(o, URIRef | Literal) else Literal(o)))

    def span(self, fact: URIRef, span: Span, name: str = "main", prop: URIRef = v.span) -> None:
        """Pin ``fact`` to ``span`` of this source."""
        node = v.fragment(fact, f"span-{name}")
        pos, quote = (
            v.fragment(fact, f"span-{name}-position"),
            v.fragment(fact, f"span-{name}-quote"),
        )
        self.add(fact, prop, node)
        self.add(fact, PROV.wasDerivedFrom, self.doc)
        self.add(node, RDF.type, v.OA.SpecificResource)
        self.add(node, v.OA.hasSource, self.doc)
        self.add(node, v.OA.hasSelector, pos)
        self.add(node, v.OA.hasSelector, quote)
        self.add(pos, RDF.type, v.OA.TextPositionSelector)
        self.add(pos, v.OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger))
        self.add(pos, v.OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger))
        self.add(quote, RDF.type, v.OA.TextQuoteSelector)
        self.add(quote, v.OA.exact, Literal(span.quote))

    def document(self) -> None:
        """The source document's own description, from the manifest."""
        s, doc = self.source, self.doc
        self.add(doc, RDF.type, v.SourceDocument)
        self.add(doc, RDF.type, v.SOURCE_KINDS[s.kind])
        self.add(doc, DCTERMS.title, s.description)
        self.add(doc, v.path, s.relpath)
        self.add(doc, v.sha256, s.sha256)
        self.add(doc, v.layout, s.layout)
        self.add(doc, DCTERMS.issued, _date(s.published))
        self.add(doc, DCTERMS.license, v.OGL if not s.third_party else Literal(s.licence))
        self.add(doc, DCTERMS.rights, f"{s.rights}. {s.licence}")
        self.add(doc, v.thirdParty, Literal(s.third_party))
        if s.publisher:
            self.shared(self.publisher, RDF.type, PROV.Organization)
            self.shared(self.publisher, RDFS.label, s.publisher)
            self.add(doc, DCTERMS.publisher, self.publisher)

    def facts(self, facts: SourceFacts) -> None:
        """Everything read from the source: the inspection, its judgments or claims, findings,
        counts of grades and the people it names."""
        force = v.mint("force", facts.force)
        self.shared(force, RDF.type, v.Force)
        self.shared(force, RDFS.label, facts.force)
        self.span(force, facts.force_span, f"mention-{self.source.stem}")
        insp = v.mint("inspection", facts.force, facts.cycle.notation)
        self.shared(insp, RDF.type, v.Inspection)
        self.shared(insp, RDFS.label, f"PEEL {facts.cycle.label} inspection of {facts.force}")
        self.shared(insp, v.force, force)
        self.shared(insp, v.cycle, facts.cycle.iri)
        self.add(insp, v.sourceDocument, self.doc)
        if facts.cycle_span:
            self.span(insp, facts.cycle_span, f"statement-{self.source.stem}")
        if facts.issued and facts.issued_span:
            self.add(insp, DCTERMS.issued, _date(facts.issued))
        if facts.updated:
            self.add(insp, DCTERMS.modified, _date(facts.updated))
        self.people(facts, insp)
        for area in facts.areas:
            self.area(facts, insp, force, area)
        for n, count in enumerate(facts.counts, 1):
            self.grade_count(facts, force, n, count)

    def people(self, facts: SourceFacts, insp: URIRef) -> None:
        """The inspector and every other person the source names, with the role it gives."""
        people = {p.name: p for p in facts.people}
        if facts.inspector:
            people.setdefault(facts.inspector.name, facts.inspector)
        for name, p in sorted(people.items()):
            person = v.mint("person", name)
            inspector = facts.inspector is not None and name == facts.inspector.name
            self.shared(person, RDF.type, v.Inspector if inspector else v.Person)
            self.shared(person, RDFS.label, name)
            if p.post_nominals:
                self.shared(person, v.postNominals, p.post_nominals)
            if p.role:
                self.add(person, v.role, p.role)
            self.span(person, p.span, f"mention-{self.source.stem}")
            if inspector:
                self.shared(insp, v.inspector, person)

    def grade_count(self, facts: SourceFacts, force: URIRef, n: int, count: GradeCountFact) -> None:
        """'adequate in four areas': an attributed count, never per-area judgments."""
        node = v.mint("count", self.source.stem, n)
        self.add(node, RDF.type, v.GradeCount)
        self.add(node, v.force, force)
        self.add(node, v.cycle, count.cycle.iri)
        for grade in count.grades:
            self.add(node, v.grade, count.cycle.grades[grade])
        self.add(node, v.gradeText, count.text)
        self.add(node, v.count, Literal(count.count, datatype=XSD.nonNegativeInteger))
        self.attribute(node)
        self.span(node, count.span)

    def attribute(self, node: URIRef) -> None:
        """Attribute a secondary source's statement to the source's publisher (PROV-O)."""
        if self.source.publisher:
            self.add(node, PROV.wasAttributedTo, self.publisher)

    def _area_iri(self, facts: SourceFacts, area: AreaFact) -> URIRef:
        if area.concept:
            return area.concept.iri
        iri = v.mint("area", facts.cycle.framework.split("/")[-1], area.label)
        self.shared(iri, RDF.type, v.Area)
        self.shared(iri, v.SKOS.prefLabel, Literal(area.label, lang="en"))
        self.shared(iri, v.SKOS.inScheme, facts.cycle.framework)
        self.shared(iri, v.SKOS.notation, v.slug(area.label))
        return iri

    def area(self, facts: SourceFacts, insp: URIRef, force: URIRef, area: AreaFact) -> None:
        """One assessed area: its judgment(s) and findings."""
        area_iri = self._area_iri(facts, area)
        self.add(insp, v.coversArea, area_iri)
        key = area.concept.notation if area.concept else area.label
        primary = area.primary()
        if self.secondary:
            for claim in area.claims:
                self.grade_claim(facts, insp, force, area_iri, key, claim)
            return
        if primary is not None:
            judgment = v.mint("judgment", facts.force, facts.cycle.notation, key)
            self.judgment(facts, judgment, insp, force, area_iri, primary, area.claims)
            if area.updated:
                self.add(judgment, DCTERMS.modified, _date(area.updated))
            if area.revision:
                old = URIRef(f"{judgment}/superseded-1")
                rev = area.revision
                self.judgment(facts, old, insp, force, area_iri, rev.old, [rev.old])
                self.judgment_statement(facts, judgment, rev.new)
                self.add(judgment, v.supersedes, old)
                self.add(judgment, v.revisionDate, _date(rev.date))
                self.add(judgment, v.revisionReason, rev.reason)
                self.span(judgment, rev.span, "revision", v.revisionSpan)
        for f in area.findings:
            fid = v.mint("finding", facts.force, facts.cycle.notation, key, f"{f.type}-{f.ordinal}")
            self.add(fid, RDF.type, v.FINDING_TYPES[f.type])
            self.add(fid, v.inspection, insp)
            self.add(fid, v.force, force)
            self.add(fid, v.area, area_iri)
            self.add(fid, v.headline, f.headline)
            self.add(fid, v.ordinal, Literal(f.ordinal, datatype=XSD.positiveInteger))
            self.span(fid, f.span)
            if f.body and f.body_span:
                self.add(fid, v.body, f.body)
                self.span(fid, f.body_span, "body", v.bodySpan)
            if f.deadline:
                self.add(fid, v.deadline, f.deadline)
            if f.addresses:
                self.add(
                    fid,
                    v.addresses,
                    v.mint(
                        "finding",
                        facts.force,
                        facts.cycle.notation,
                        key,
                        f"cause-of-concern-{f.addresses}",
                    ),
                )

    def judgment(
        self,
        facts: SourceFacts,
        j: URIRef,
        insp: URIRef,
        force: URIRef,
        area: URIRef,
        primary: GradeClaim,
        claims: list[GradeClaim],
    ) -> None:
        """One Judgment with every statement of its grade."""
        self.add(j, RDF.type, v.Judgment)
        self.add(j, v.force, force)
        self.add(j, v.inspection, insp)
        self.add(j, v.area, area)
        self.add(j, v.grade, facts.cycle.grades[primary.grade])
        self.span(j, primary.span)
        for claim in claims:
            self.judgment_statement(facts, j, claim)

    def grade_claim(
        self,
        facts: SourceFacts,
        insp: URIRef,
        force: URIRef,
        area: URIRef,
        key: str,
        claim: GradeClaim,
    ) -> None:
        """A grade a secondary source states: attributed to it, beside the judgment."""
        node = v.mint("claim", self.source.stem, key)
        self.add(node, RDF.type, v.GradeClaim)
        self.add(node, v.force, force)
        self.add(node, v.inspection, insp)
        self.add(node, v.area, area)
        self.add(node, v.grade, facts.cycle.grades[claim.grade])
        self.attribute(node)
        self.span(node, claim.span)

    def judgment_statement(self, facts: SourceFacts, j: URIRef, claim: GradeClaim) -> None:
        """One GradeStatement of a judgment."""
        st = URIRef(f"{j}/statement/{claim.form}")
        self.add(j, v.gradeStatement, st)
        self.add(st, RDF.type, v.GradeStatement)
        self.add(st, v.grade, facts.cycle.grades[claim.grade])
        self.add(st, v.statementForm, claim.form)
        self.span(st, claim.span)


def source_graph(source: Source, facts: SourceFacts) -> tuple[Graph, Graph]:
    """The named graph of one source (its description and every fact read from it), and the
    triples describing the forces and people it mentions (for the entity graph)."""
    sg = SourceGraph(source)
    sg.document()
    sg.facts(facts)
    return sg.g, sg.entities


def reference_graph(ref: Reference) -> Graph:
    """The named graph of the reference data (ontology, scales, cycles, area schemes).

    Its blank nodes (RDF lists, OWL unions) get canonical labels, so every
    build writes the same bytes.
    """
    g = Graph(identifier=v.REFERENCE_GRAPH)
    for triple in to_canonical_graph(ref.graph):
        g.add(triple)
    return g


def dataset(graphs: list[Graph]) -> Dataset:
    """One Dataset holding each graph as a named graph; graphs of the same name are merged."""
    ds = Dataset()
    for prefix, ns in v.PREFIXES.items():
        ds.bind(prefix, ns)
    for g in graphs:
        target = ds.graph(g.identifier)
        for triple in g:
            target.add(triple)
    return ds


__all__ = ["SourceGraph", "dataset", "reference_graph", "source_graph"]
