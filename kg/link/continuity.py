"""Continuity: link each finding to the earlier findings it follows up.

Three ways, each recorded on the peel:FollowUp with its method:

- ``explicit``: the later report says so (kg.extract.followups wrote the follow-up into
  its source graph with the evidence span, the status and the earlier finding as the
  text describes it). Here it is linked to the earlier report's own finding of the
  stated kind, in a crosswalked area, whose text is closest to that description; when
  the earlier report is not in the graph, or has no such finding, the earlier finding
  is created from the back-reference: marked peel:knownOnlyThrough the later source,
  pinned to the back-reference's span.
- ``similarity``: findings of a force's consecutive assessments (the later one's
  previous PEEL assessment, not merely the previous one in the graph) in crosswalked
  areas whose texts are close (kg.link.similarity). The status follows from the two
  finding types where they settle it (an area for improvement again: remains; now a
  cause of concern: escalated); otherwise the link has no status.
- ``absence``: a later area for improvement or cause of concern that follows up nothing
  is new, stated only where the previous assessment's own report gave findings of those
  kinds (a text that lost its lists cannot show that a finding is new).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg import vocab as v
from kg.link.similarity import EXPLICIT_MATCH_THRESHOLD, SIMILARITY_THRESHOLD, TextIndex
from kg.reference import AssessmentInfo, Reference

#: The finding types whose follow-ups carry a status; the status two types settle.
PROBLEMS = ("area-for-improvement", "cause-of-concern")
STATUS_BY_TYPES: dict[tuple[str, str], str] = {
    ("area-for-improvement", "area-for-improvement"): "remains",
    ("cause-of-concern", "cause-of-concern"): "remains",
    ("area-for-improvement", "cause-of-concern"): "escalated",
    ("cause-of-concern", "area-for-improvement"): "partly-addressed",
}
_MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
_TYPE_OF = {cls: code for code, cls in v.FINDING_TYPES.items()}


@dataclass(frozen=True)
class FindingRow:
    """One finding of the graph, as the linking needs it."""

    iri: URIRef
    type: str  # a finding type code
    force: URIRef
    assessment: URIRef
    area: URIRef | None
    text: str  # headline and body
    own: bool  # read from its own report (not known only through a later one)


@dataclass
class Candidate:
    """A follow-up to write: a later finding and an earlier one, how found and how close."""

    later: FindingRow
    earlier: FindingRow
    score: float


class Continuity:
    """Follow-up links over one graph (``data``); ``out`` collects what is derived."""

    def __init__(self, data: Graph, ref: Reference, out: Graph) -> None:
        self.data, self.ref, self.out = data, ref, out
        self.order = {a.iri: a for a in sorted(ref.assessments.values(), key=lambda a: a.years)}
        self.previous = _previous(list(self.order.values()))
        self.areas = {a.iri: a for c in ref.cycles.values() for a in c.areas}
        self.neighbours = _crosswalk(ref.graph)
        self.findings = list(_findings(data))
        self.index = TextIndex([f.text for f in self.findings])
        self.position = {f.iri: i for i, f in enumerate(self.findings)}
        self.by_inspection: dict[tuple[URIRef, URIRef], list[FindingRow]] = defaultdict(list)
        for f in self.findings:
            if f.own:
                self.by_inspection[(f.force, f.assessment)].append(f)
        self.followed: set[URIRef] = set()  # later findings that follow something up
        self.linked: set[tuple[URIRef, URIRef]] = set()

    # --- explicit -------------------------------------------------------------------
    def explicit(self) -> None:
        """Settle the earlier finding of every explicit follow-up a source states."""
        for node in sorted(self.data.subjects(RDF.type, v.FollowUp), key=str):
            if self.data.value(node, v.linkMethod) != Literal(v.EXPLICIT):
                continue
            later = self.data.value(node, v.later)
            earlier = self._earlier_of(_iri(node))
            self.out.add((node, v.earlier, earlier))
            if isinstance(later, URIRef):
                self.followed.add(later)
                self.linked.add((later, earlier))

    def _earlier_of(self, node: URIRef) -> URIRef:
        force = _iri(self.data.value(node, v.force))
        assessment = _iri(self.data.value(node, v.fromAssessment))
        kind = _TYPE_OF.get(_iri(self.data.value(node, v.earlierType)))
        area = self.data.value(node, v.area)
        text = str(self.data.value(node, v.earlierText) or "")
        pool = [
            f
            for f in self.by_inspection.get((force, assessment), [])
            if f.type == kind and (area is None or self.crosswalked(f.area, area))
        ]
        scores = self.index.scores_of(text, [self.position[f.iri] for f in pool])
        if scores and max(scores) >= EXPLICIT_MATCH_THRESHOLD:
            return pool[scores.index(max(scores))].iri
        return self._known_only(node, force, assessment, kind, area)

    def _known_only(
        self, node: URIRef, force: object, assessment: object, kind: str | None, area: object
    ) -> URIRef:
        """The earlier finding as the later source describes it, pinned to that passage."""
        info = self.order[URIRef(str(assessment))]
        doc = _iri(self.data.value(node, PROV.wasDerivedFrom))
        finding = URIRef(f"{node}/earlier-finding")
        insp = self._inspection(_iri(force), info, doc, _iri(self.data.value(node, v.span)))
        out = self.out
        out.add((finding, RDF.type, v.FINDING_TYPES[kind or "area-for-improvement"]))
        out.add((finding, v.force, URIRef(str(force))))
        out.add((finding, v.inspection, insp))
        out.add((finding, v.headline, Literal(str(self.data.value(node, v.earlierText)))))
        out.add((finding, v.span, _iri(self.data.value(node, v.earlierSpan))))
        out.add((finding, PROV.wasDerivedFrom, doc))
        out.add((finding, v.knownOnlyThrough, doc))
        concept = self.areas.get(URIRef(str(area))) if area is not None else None
        counterpart = self.ref.counterpart(concept, info.cycle) if concept else None
        if counterpart is not None:
            out.add((finding, v.area, counterpart.iri))
        return finding

    def _inspection(self, force: URIRef, info: AssessmentInfo, doc: URIRef, span: URIRef) -> URIRef:
        """The earlier inspection: the graph's own, else one known only through ``doc``."""
        # a force has one inspection per assessment, so look among the assessment's few
        # (not among every fact about the force)
        for insp in self.data.subjects(v.assessment, info.iri):
            if (insp, RDF.type, v.Inspection) in self.data and (insp, v.force, force) in self.data:
                return URIRef(str(insp))
        label = self.data.value(force, RDFS.label)
        insp = v.mint("inspection", str(label), info.notation)
        self.out.add((insp, RDF.type, v.Inspection))
        self.out.add((insp, RDFS.label, Literal(f"PEEL {info.label} inspection of {label}")))
        self.out.add((insp, v.force, force))
        self.out.add((insp, v.assessment, info.iri))
        self.out.add((insp, v.knownOnlyThrough, doc))
        self.out.add((insp, PROV.wasDerivedFrom, doc))
        self.out.add((insp, v.span, span))  # the back-reference naming it
        return insp

    # --- similarity and absence -------------------------------------------------------
    def similar(self) -> list[Candidate]:
        """Pairs of findings of consecutive assessments, crosswalked areas, close texts."""
        found = []
        for (force, assessment), later_ones in sorted(self.by_inspection.items()):
            before = self.previous.get(assessment)
            earlier_ones = self.by_inspection.get((force, before), []) if before else []
            for later in later_ones:
                pool = [e for e in earlier_ones if self.crosswalked(e.area, later.area)]
                positions = [self.position[e.iri] for e in pool]
                for e, score in zip(
                    pool, self.index.scores(self.position[later.iri], positions), strict=True
                ):
                    if score >= SIMILARITY_THRESHOLD and (later.iri, e.iri) not in self.linked:
                        found.append(Candidate(later, e, score))
        return found

    def write_similar(self, candidates: Iterable[Candidate]) -> None:
        """One follow-up per similar pair, with its score and, where types settle it, status."""
        for c in candidates:
            node = v.mint("follow-up", "similarity", _digest(c.later.iri, c.earlier.iri))
            self._follow_up(node, c.later, v.SIMILARITY)
            self.out.add((node, v.earlier, c.earlier.iri))
            self.out.add((node, v.score, Literal(f"{c.score:.3f}", datatype=XSD.decimal)))
            self.out.add((node, PROV.wasDerivedFrom, c.earlier.iri))
            status = STATUS_BY_TYPES.get((c.earlier.type, c.later.type))
            if status:
                self.out.add((node, v.followUpStatus, v.FOLLOW_UP_STATUSES[status]))
            self.followed.add(c.later.iri)

    def new(self) -> None:
        """Later problems that follow nothing up, where the previous report's are known."""
        for (force, assessment), later_ones in sorted(self.by_inspection.items()):
            before = self.previous.get(assessment)
            earlier = self.by_inspection.get((force, before), []) if before else []
            if not any(e.type in PROBLEMS for e in earlier):
                continue
            for later in later_ones:
                if later.type in PROBLEMS and later.iri not in self.followed:
                    node = v.mint("follow-up", "new", _digest(later.iri))
                    self._follow_up(node, later, v.ABSENCE)
                    self.out.add((node, v.followUpStatus, v.New))

    def _follow_up(self, node: URIRef, later: FindingRow, method: str) -> None:
        out = self.out
        out.add((node, RDF.type, v.FollowUp))
        out.add((node, v.later, later.iri))
        out.add((node, v.force, later.force))
        out.add((node, v.inspection, _iri(self.data.value(later.iri, v.inspection))))
        out.add((node, v.linkMethod, Literal(method)))
        out.add((node, PROV.wasDerivedFrom, later.iri))

    def crosswalked(self, a: object, b: object) -> bool:
        """True when two areas are the same or the crosswalk maps one to the other."""
        if a is None or b is None:
            return False
        return a == b or URIRef(str(a)) in self.neighbours.get(URIRef(str(b)), set())


def follow_up_graph(data: Graph, ref: Reference) -> Graph:
    """The follow-up links of ``data`` (a union graph of every source) as a new graph."""
    out = Graph(store="SimpleMemory", identifier=v.LINKS_GRAPH)  # cheap to fill
    c = Continuity(data, ref, out)
    c.explicit()
    c.write_similar(c.similar())
    c.new()
    return out


def _findings(data: Graph) -> Iterable[FindingRow]:
    for code, cls in v.FINDING_TYPES.items():
        for f in sorted(data.subjects(RDF.type, cls), key=str):
            insp = data.value(f, v.inspection)
            assessment = data.value(insp, v.assessment) if insp is not None else None
            force = data.value(f, v.force)
            if not isinstance(f, URIRef) or assessment is None or force is None:
                continue
            text = " ".join(str(t) for t in (data.value(f, v.headline), data.value(f, v.body)) if t)
            area = data.value(f, v.area)
            yield FindingRow(
                f,
                code,
                URIRef(str(force)),
                URIRef(str(assessment)),
                URIRef(str(area)) if area is not None else None,
                text,
                (f, v.knownOnlyThrough, None) not in data,
            )


def _previous(ordered: list[AssessmentInfo]) -> dict[URIRef, URIRef]:
    """Each assessment's previous PEEL assessment."""
    return {b.iri: a.iri for a, b in zip(ordered, ordered[1:], strict=False)}


def _crosswalk(g: Graph) -> dict[URIRef, set[URIRef]]:
    """Every area and the areas the crosswalk maps it to directly (either direction)."""
    direct: dict[URIRef, set[URIRef]] = defaultdict(set)
    for p in _MAPPINGS:
        for s, o in g.subject_objects(p):
            direct[URIRef(str(s))].add(URIRef(str(o)))
            direct[URIRef(str(o))].add(URIRef(str(s)))
    return direct


def _iri(node: object) -> URIRef:
    """``node`` as an IRI (the graph's IRIs, typed for the checker)."""
    return URIRef(str(node))


def _digest(*iris: URIRef) -> str:
    return hashlib.sha1("|".join(iris).encode()).hexdigest()[:16]


__all__ = ["STATUS_BY_TYPES", "Continuity", "FindingRow", "follow_up_graph"]
