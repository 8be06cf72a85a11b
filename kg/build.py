"""Build: extracted facts -> RDF, one named graph per source document.

Every Judgment, GradeStatement, GradeClaim, GradeCount, Finding, Inspection,
and every mention of a force or a person gets a source span (Web Annotation
selectors): the document, the start and end offsets and the exact quote.
Things many sources mention (forces, people, inspections) are described once
in the entity graph; each source graph keeps its own mentions.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from kg import vocab as v
from kg.extract.facts import AreaFact, CarryOverFact, GradeClaim, GradeCountFact, SourceFacts
from kg.extract.initiatives import national_keys
from kg.model import Span
from kg.sources import CHARSETS, UTF8, Source
from kg.wording import inspectorate_role

#: One RDF triple of rdflib terms.
Triple = tuple[Node, Node, Node]


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
        # ordered sets of triples (dicts keep the first-added order; a triple added twice
        # is kept once), written out as N-Quads by kg.assemble
        self.g: dict[Triple, None] = {}
        self.entities: dict[Triple, None] = {}
        self._minted: dict[URIRef, int] = {}

    def numbered(self, iri: URIRef, separator: str) -> URIRef:
        """``iri`` the first time this source mints it, then ``iri-2``, ``iri-3`` …"""
        n = self._minted.get(iri, 0) + 1
        self._minted[iri] = n
        return iri if n == 1 else URIRef(f"{iri}{separator}{n}")

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        """Add one triple; plain Python values become literals."""
        self.g[(s, p, o if isinstance(o, URIRef | Literal) else Literal(o))] = None

    def shared(self, s: URIRef, p: URIRef, o: object) -> None:
        """Describe a thing many sources mention (a force, a person) in the entity graph.

        Kept apart so that the union of all graphs states it once; each source
        still records its own mention with a span.
        """
        self.entities[(s, p, o if isinstance(o, URIRef | Literal) else Literal(o))] = None

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
        if s.encoding not in ("", UTF8):  # offsets count characters of the text so decoded
            self.add(doc, DCTERMS.format, f"text/plain; charset={CHARSETS[s.encoding]}")
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
        if facts.partial:
            self.add(self.doc, v.partial, Literal(True))
        force = v.mint("force", facts.force)
        self.shared(force, RDF.type, v.Force)
        self.shared(force, RDFS.label, facts.force)
        self.span(force, facts.force_span, f"mention-{self.source.stem}")
        insp = v.mint("inspection", facts.force, facts.assessment.notation)
        self.shared(insp, RDF.type, v.Inspection)
        self.shared(insp, RDFS.label, f"PEEL {facts.assessment.label} inspection of {facts.force}")
        self.shared(insp, v.force, force)
        self.shared(insp, v.assessment, facts.assessment.iri)
        self.add(insp, v.sourceDocument, self.doc)
        if facts.assessment_span:
            self.span(insp, facts.assessment_span, f"statement-{self.source.stem}")
        if facts.issued and facts.issued_span:
            self.add(insp, DCTERMS.issued, _date(facts.issued))
        if facts.updated:
            self.add(insp, DCTERMS.modified, _date(facts.updated))
        self.people(facts, insp)
        for area in facts.areas:
            self.area(facts, insp, force, area)
        for n, count in enumerate(facts.counts, 1):
            self.grade_count(facts, force, n, count)
        self.initiatives(facts, insp)
        self.observations(facts, insp, force)
        self.follow_ups(facts, insp, force)

    def follow_ups(self, facts: SourceFacts, insp: URIRef, force: URIRef) -> None:
        """What the source says became of findings of an earlier inspection: one peel:FollowUp
        each, with its evidence span and the earlier finding as the source describes it (the
        link stage, kg.link.continuity, settles which earlier finding it is)."""
        for n, fu in enumerate(facts.follow_ups, 1):
            node = v.mint("follow-up", self.source.stem, n)
            self.add(node, RDF.type, v.FollowUp)
            self.add(node, v.force, force)
            self.add(node, v.inspection, insp)
            self.add(node, v.followUpStatus, v.FOLLOW_UP_STATUSES[fu.status])
            self.add(node, v.linkMethod, v.EXPLICIT)
            self.add(node, v.fromAssessment, fu.earlier.iri)
            self.add(node, v.earlierType, v.FINDING_TYPES[fu.earlier_type])
            self.span(node, fu.evidence)
            self.add(node, v.earlierText, fu.described_text)
            self.span(node, fu.described, "earlier", v.earlierSpan)
            if fu.area is not None:
                self.add(node, v.area, self._area_iri(facts, fu.area))
                if fu.later is not None:
                    later = f"{fu.later.type}-{fu.later.ordinal}"
                    self.add(node, v.later, _finding_iri(facts, fu.area, later))

    def people(self, facts: SourceFacts, insp: URIRef) -> None:
        """The inspector and every other person the source names, with the role it gives.

        The inspectorate's people (the inspector; a role such as 'HM Inspector of
        Constabulary') are ``id/person/<name>``, one node for every force; anyone else
        (a chief constable, a commissioner) is ``id/person/<force>/<name>``: two forces'
        people of one name are two people."""
        people = {p.name: p for p in facts.people}
        if facts.inspector:
            people.setdefault(facts.inspector.name, facts.inspector)
        for name, p in sorted(people.items()):
            inspector = facts.inspector is not None and name == facts.inspector.name
            national = inspector or inspectorate_role(p.role)
            person = v.mint("person", name) if national else v.mint("person", facts.force, name)
            self.shared(person, RDF.type, v.Inspector if inspector else v.Person)
            self.shared(person, RDFS.label, name)
            if p.post_nominals:
                self.shared(person, v.postNominals, p.post_nominals)
            if p.role:
                self.add(person, v.role, p.role)
            self.span(person, p.span, f"mention-{self.source.stem}")
            if inspector:
                self.shared(insp, v.inspector, person)

    def initiatives(self, facts: SourceFacts, insp: URIRef) -> None:
        """Each initiative the source names (entity graph) and each mention of it (this graph).

        A national initiative (curated in ontology/initiatives.ttl) is ``id/initiative/<key>``,
        one node for every force; any other is its force's own, ``id/initiative/<force>/<key>``,
        the same node in every source and cycle of that force. A mention is
        ``id/mention/<source>/<n>`` with its inspection, area, finding and the span of the
        name as written (ontology/README.md, 'Figures and initiatives').
        """
        national = national_keys()

        def iri(key: str) -> URIRef:
            return (
                v.mint("initiative", key)
                if key in national
                else v.mint("initiative", facts.force, key)
            )

        for n, m in enumerate(facts.initiatives, 1):
            node = iri(m.key)
            self.shared(node, RDF.type, v.Initiative)
            self.shared(node, RDFS.label, m.name)
            self.shared(node, v.initiativeKind, m.kind)
            if m.description:
                self.shared(node, DCTERMS.description, m.description)
            for alias in m.aliases:
                self.shared(node, v.SKOS.altLabel, alias)
            for partner in m.partners:
                self.shared(node, v.partner, partner)
            if m.innovative:
                self.shared(node, v.innovative, Literal(True))
            if m.developed_into:
                self.shared(node, v.developedInto, iri(m.developed_into))
            mention = v.mint("mention", self.source.stem, n)
            self.add(node, v.mention, mention)
            self.add(mention, RDF.type, v.Mention)
            self.add(mention, v.inspection, insp)
            if m.area is not None:
                self.add(mention, v.area, self._area_iri(facts, m.area))
                if m.finding is not None:
                    code = f"{m.finding.type}-{m.finding.ordinal}"
                    self.add(mention, v.finding, _finding_iri(facts, m.area, code))
            self.span(mention, m.span)

    def observations(self, facts: SourceFacts, insp: URIRef, force: URIRef) -> None:
        """Each figure as a peel:Observation (a qb:Observation of the figures dataset) with its
        comparators and the span of its sentence or table row (ontology/README.md, 'Figures
        and initiatives'). A secondary source's figures are not kept."""
        if self.secondary:
            return
        dataset = v.mint("dataset", "peel-figures")
        for n, o in enumerate(facts.observations, 1):
            obs = v.mint("observation", self.source.stem, n)
            self.add(obs, RDF.type, v.Observation)
            self.add(obs, RDF.type, v.QB.Observation)
            self.add(obs, v.QB.dataSet, dataset)
            self.add(obs, v.force, force)
            self.add(obs, v.inspection, insp)
            self.add(obs, v.area, self._area_iri(facts, o.area))
            if o.finding is not None:
                code = f"{o.finding.type}-{o.finding.ordinal}"
                self.add(obs, v.finding, _finding_iri(facts, o.area, code))
            self.add(obs, v.metric, v.mint("metric", o.metric))
            self.add(obs, v.metricText, o.metric_text)
            self.add(obs, v.value, Literal(str(o.value), datatype=XSD.decimal))
            self.add(obs, v.unit, v.mint("unit", o.unit))
            if o.multiplier:
                self.add(obs, v.unitMultiplier, Literal(str(o.multiplier), datatype=XSD.decimal))
            p = o.period
            self.add(obs, v.periodKind, p.kind)
            for prop, day in ((v.periodStart, p.start), (v.periodEnd, p.end)):
                if day:
                    self.add(obs, prop, Literal(day, datatype=XSD.date))
            if p.length:
                self.add(obs, v.periodLength, Literal(p.length, datatype=XSD.duration))
            if p.text:
                self.add(obs, v.periodText, p.text)
            if o.ci is not None:
                self.add(obs, v.confidenceInterval, Literal(str(o.ci), datatype=XSD.decimal))
                if o.ci_unit:
                    self.add(obs, v.confidenceUnit, v.mint("unit", o.ci_unit))
            for prop, count in ((v.numerator, o.numerator), (v.denominator, o.denominator)):
                if count is not None:
                    self.add(obs, prop, Literal(count, datatype=XSD.nonNegativeInteger))
            if o.counted:
                self.add(obs, v.counted, o.counted)
            if o.better:
                self.add(obs, v.betterWhen, o.better)
            for i, c in enumerate(o.comparators, 1):
                comp = URIRef(f"{obs}/comparator-{i}")
                self.add(obs, v.comparator, comp)
                self.add(comp, RDF.type, v.Comparator)
                self.add(comp, v.comparatorKind, c.kind)
                values = ((v.value, c.value), (v.rangeLow, c.low), (v.rangeHigh, c.high))
                for prop, number in values:
                    if number is not None:
                        self.add(comp, prop, Literal(str(number), datatype=XSD.decimal))
                if c.unit:
                    self.add(comp, v.unit, v.mint("unit", c.unit))
                if c.comparison:
                    self.add(comp, v.comparison, c.comparison)
            self.span(obs, o.span)

    def grade_count(self, facts: SourceFacts, force: URIRef, n: int, count: GradeCountFact) -> None:
        """'adequate in four areas': an attributed count, never per-area judgments."""
        node = v.mint("count", self.source.stem, n)
        self.add(node, RDF.type, v.GradeCount)
        self.add(node, v.force, force)
        self.add(node, v.assessment, count.assessment.iri)
        for grade in count.grades:
            self.add(node, v.grade, count.assessment.cycle.grades[grade])
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
        key = _area_key(area)
        primary = area.primary()
        if self.secondary:
            for claim in area.claims:
                self.grade_claim(facts, insp, force, area_iri, key, claim)
            return
        if area.carried is not None:
            self.carry_over(facts, insp, area_iri, key, area, area.carried)
        elif primary is not None:
            judgment = v.mint("judgment", facts.force, facts.assessment.notation, key)
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
            fid = _finding_iri(facts, area, f"{f.type}-{f.ordinal}")
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
                    fid, v.addresses, _finding_iri(facts, area, f"cause-of-concern-{f.addresses}")
                )

    def carry_over(
        self,
        facts: SourceFacts,
        insp: URIRef,
        area_iri: URIRef,
        key: str,
        area: AreaFact,
        carried: CarryOverFact,
    ) -> None:
        """A judgment carried over from an earlier assessment: a link to it, never a new
        judgment; a grade the page states for it becomes its statement."""
        node = v.mint("carryover", facts.force, facts.assessment.notation, key)
        earlier = v.mint(
            "judgment", facts.force, carried.earlier.notation, carried.earlier_area.notation
        )
        self.add(node, RDF.type, v.CarryOver)
        self.add(node, v.inspection, insp)
        self.add(node, v.area, area_iri)
        self.add(node, v.carriedFrom, earlier)
        self.add(node, v.fromAssessment, carried.earlier.iri)
        self.span(node, carried.span, self.source.stem)
        primary = area.primary()
        if primary is not None:
            self.add(node, v.grade, facts.cycle.grades[primary.grade])
            for claim in area.claims:
                self.judgment_statement(facts, node, claim)

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
        self.span(j, primary.span, self.source.stem)
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
        """A grade a secondary source states: attributed to it, beside the judgment.
        ``id/claim/<source>/<area>``, then ``…/<area>-2`` for a second claim about it."""
        node = self.numbered(v.mint("claim", self.source.stem, key), "-")
        self.add(node, RDF.type, v.GradeClaim)
        self.add(node, v.force, force)
        self.add(node, v.inspection, insp)
        self.add(node, v.area, area)
        self.add(node, v.grade, facts.cycle.grades[claim.grade])
        self.attribute(node)
        self.span(node, claim.span)

    def judgment_statement(self, facts: SourceFacts, j: URIRef, claim: GradeClaim) -> None:
        """One GradeStatement of a judgment: ``<judgment>/statement/<source>/<form>``, then
        ``…/<form>-2`` for a second statement of the same form in the same source."""
        st = self.numbered(URIRef(f"{j}/statement/{v.slug(self.source.stem)}/{claim.form}"), "-")
        self.add(j, v.gradeStatement, st)
        self.add(st, RDF.type, v.GradeStatement)
        self.add(st, v.grade, facts.cycle.grades[claim.grade])
        self.add(st, v.statementForm, claim.form)
        self.span(st, claim.span)


def _area_key(area: AreaFact) -> str:
    """What names an area in instance IRIs: its concept's notation, else its own label."""
    return area.concept.notation if area.concept else area.label


def _finding_iri(facts: SourceFacts, area: AreaFact, code: str) -> URIRef:
    """``id/finding/<force>/<assessment>/<area>/<type>-<n>``."""
    return v.mint("finding", facts.force, facts.assessment.notation, _area_key(area), code)


def source_graph(source: Source, facts: SourceFacts) -> tuple[list[Triple], list[Triple]]:
    """The triples of one source's named graph (its description and every fact read from
    it), and the triples describing the forces, people and initiatives it mentions (for
    the entity graph)."""
    sg = SourceGraph(source)
    sg.document()
    sg.facts(facts)
    return list(sg.g), list(sg.entities)


__all__ = ["SourceGraph", "Triple", "source_graph"]
