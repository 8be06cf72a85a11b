"""The related-findings graph: findings, judgments, areas, themes and initiatives as a
networkx graph, read from the RDF graph (never kept as a second store).

Nodes are keyed by IRI string and carry ``kind`` ("finding", "judgment", "area",
"theme", "initiative") and ``label``; findings and judgments add what the page and the
analyses need (assessment, force, type, area, grade, status, headline, quote, source,
start, end, themes, …). Edges carry ``kind``:

* ``follows-up``: a later finding -> the earlier finding it follows up (``peel:FollowUp``),
  with ``status``, ``method``, ``score`` and the evidence span;
* ``shares-theme``: a finding or initiative -> a theme it is about (``peel:theme``);
* ``mentions-initiative``: a finding -> an initiative a mention in it names;
* ``in-area``: a finding or judgment -> its assessment area.

The analyses (centrality, clusters, chains) are in :mod:`kg.analyse`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from kg import vocab
from kg.errors import InputError
from kg.reference import AreaConcept, CycleInfo, Reference, load_reference, normalise_label
from kg.resolve import resolve_force

NODE_KINDS = ("finding", "judgment", "area", "theme", "initiative")
EDGE_KINDS = ("follows-up", "shares-theme", "mentions-initiative", "in-area")
#: Finding types that name a problem (what centrality ranks).
PROBLEM_TYPES = frozenset({"area-for-improvement", "cause-of-concern", "recommendation"})
_STATUS_CODES = {iri: code for code, iri in vocab.FOLLOW_UP_STATUSES.items()}
_METHOD_RANK = {vocab.EXPLICIT: 0, vocab.SIMILARITY: 1, vocab.ABSENCE: 2}
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def related_graph(
    data: Graph,
    *,
    force: str | None = None,
    theme: str | None = None,
    area: str | None = None,
    initiative: str | None = None,
    assessment: str | None = None,
) -> nx.MultiDiGraph:
    """Build the related-findings graph from ``data`` (a union graph of a built corpus).

    With no filter, every finding, judgment, area, theme and initiative. Each filter
    selects the findings that match it (all given filters must match; judgments match
    force, area and assessment when no theme or initiative is asked for), and the graph
    keeps them, the follow-up chains they belong to, and the neighbours of both.

    :param force: a force's name (any name ``ontology/forces.ttl`` gives it) or IRI.
    :param theme: a theme's label or IRI (``peel:theme``).
    :param area: an assessment area's label (any framework's) or IRI.
    :param initiative: an initiative's name or alias; case, spaces and punctuation ignored.
    :param assessment: a PEEL assessment in any spelling: ``2016``, ``2023-25``, ``2023–2025``.
    :raises InputError: when a filter names nothing in the graph.
    """
    graph = _Reader(data).graph()
    wanted = {"force": force, "theme": theme, "area": area}
    wanted |= {"initiative": initiative, "assessment": assessment}
    if all(v is None for v in wanted.values()):
        return graph
    match = _Matcher(data, graph, **wanted)
    seeds = {n for n, attrs in graph.nodes(data=True) if match(n, attrs)}
    follows = nx.Graph((u, v) for u, v, k in graph.edges(data="kind") if k == "follows-up")
    core = set(seeds)
    for node in seeds & set(follows):
        core |= nx.node_connected_component(follows, node)
    keep = set(core)
    for node in core:
        keep.update(graph.successors(node), graph.predecessors(node))
    return graph.subgraph(keep).copy()


class _Reader:
    """Reads the nodes and edges of the related graph off one RDF graph."""

    def __init__(self, data: Graph) -> None:
        self.g = data
        self.assessments: dict[Node, tuple[str, int]] = {}
        for a in data.subjects(RDF.type, vocab.Assessment):
            year = data.value(a, vocab.startYear)
            self.assessments[a] = (self.label(a), int(str(year)) if year is not None else 0)
        self.insp_assessment: dict[Node, Node] = {
            i: a for i, a in data.subject_objects(vocab.assessment) if a in self.assessments
        }
        self.graph_ = nx.MultiDiGraph()

    def label(self, node: Node) -> str:
        """A node's skos:prefLabel or rdfs:label, else the end of its IRI."""
        for prop in (SKOS.prefLabel, RDFS.label):
            value = self.g.value(node, prop)
            if value is not None:
                return str(value)
        return str(node).rstrip("/").rsplit("/", 1)[-1]

    def span(self, span: Node | None) -> dict[str, Any]:
        """The quote, source path and offsets of a Web Annotation span (empty if none)."""
        if span is None:
            return {}
        out: dict[str, Any] = {}
        doc = self.g.value(span, vocab.OA.hasSource)
        if doc is not None and self.g.value(doc, vocab.path) is not None:
            out["source"] = str(self.g.value(doc, vocab.path))
        for sel in self.g.objects(span, vocab.OA.hasSelector):
            exact = self.g.value(sel, vocab.OA.exact)
            if exact is not None:
                out["quote"] = str(exact)
            start, end = self.g.value(sel, vocab.OA.start), self.g.value(sel, vocab.OA.end)
            if start is not None and end is not None:
                out["start"], out["end"] = int(str(start)), int(str(end))
        return out

    def placed(self, node: Node) -> dict[str, Any]:
        """Assessment, year, force and area of a finding or judgment."""
        out: dict[str, Any] = {}
        insp = self.g.value(node, vocab.inspection)
        a = self.insp_assessment.get(insp) if insp is not None else None
        if a is not None:
            out["assessment"], out["year"] = self.assessments[a]
        f = self.g.value(node, vocab.force)
        if f is not None:
            out["force"] = self.label(f)
        ar = self.g.value(node, vocab.area)
        if ar is not None:
            out["area"] = self.label(ar)
        return out

    def graph(self) -> nx.MultiDiGraph:
        self._findings()
        self._judgments()
        self._themes()
        self._initiatives()
        self._follow_ups()
        self._grades_then_and_now()
        return self.graph_

    def _add_area_edge(self, node: Node) -> None:
        area = self.g.value(node, vocab.area)
        if area is None:
            return
        key = str(area)
        if key not in self.graph_:
            self.graph_.add_node(key, kind="area", label=self.label(area))
        self.graph_.add_edge(str(node), key, kind="in-area")

    def _findings(self) -> None:
        for code, cls in vocab.FINDING_TYPES.items():
            for f in sorted(self.g.subjects(RDF.type, cls), key=str):
                headline = self.g.value(f, vocab.headline) or self.g.value(f, vocab.body) or ""
                attrs = {
                    "kind": "finding",
                    "type": code,
                    "label": str(headline),
                    "headline": str(headline),
                    "themes": [],
                    "known_only_through": self.g.value(f, vocab.knownOnlyThrough) is not None,
                    **self.placed(f),
                    **self.span(self.g.value(f, vocab.span)),
                }
                self.graph_.add_node(str(f), **attrs)
                self._add_area_edge(f)

    def _judgments(self) -> None:
        superseded = set(self.g.objects(None, vocab.supersedes))
        for j in sorted(self.g.subjects(RDF.type, vocab.Judgment), key=str):
            grade = self.g.value(j, vocab.grade)
            attrs: dict[str, Any] = {"kind": "judgment", **self.placed(j)}
            attrs["grade"] = self.label(grade) if grade is not None else None
            attrs["superseded"] = j in superseded
            attrs["label"] = f"{attrs.get('area', '?')}: {attrs['grade'] or 'not graded'}"
            attrs["label"] += f" ({attrs.get('assessment', '?')})"
            attrs.update(self.span(self.g.value(j, vocab.span)))
            self.graph_.add_node(str(j), **attrs)
            self._add_area_edge(j)

    def _themes(self) -> None:
        pairs = set(self.g.subject_objects(vocab.theme))
        for tag in self.g.subjects(RDF.type, vocab.ThemeTag):
            pairs |= {
                (t, th)
                for t in self.g.objects(tag, vocab.tagged)
                for th in self.g.objects(tag, vocab.theme)
            }
        for thing, theme in sorted(pairs, key=str):
            if (thing, RDF.type, vocab.ThemeTag) in self.g:
                continue
            key = str(theme)
            if key not in self.graph_:
                self.graph_.add_node(key, kind="theme", label=self.label(theme))
            if str(thing) not in self.graph_ and (thing, RDF.type, vocab.Initiative) in self.g:
                self._add_initiative(thing)
            if str(thing) in self.graph_:
                self.graph_.add_edge(str(thing), key, kind="shares-theme")
                self.graph_.nodes[str(thing)].setdefault("themes", []).append(self.label(theme))

    def _add_initiative(self, node: Node) -> None:
        aliases = sorted(str(a) for a in self.g.objects(node, SKOS.altLabel))
        self.graph_.add_node(
            str(node), kind="initiative", label=self.label(node), aliases=aliases, themes=[]
        )

    def _initiatives(self) -> None:
        for i in sorted(self.g.subjects(RDF.type, vocab.Initiative), key=str):
            if str(i) not in self.graph_:
                self._add_initiative(i)
            found = {self.g.value(m, vocab.finding) for m in self.g.objects(i, vocab.mention)}
            for f in sorted(str(f) for f in found if f is not None):
                if f in self.graph_:
                    self.graph_.add_edge(f, str(i), kind="mentions-initiative")

    def _follow_ups(self) -> None:
        best: dict[str, tuple[tuple[int, float], str]] = {}
        for fu in sorted(self.g.subjects(RDF.type, vocab.FollowUp), key=str):
            later, earlier = self.g.value(fu, vocab.later), self.g.value(fu, vocab.earlier)
            status = _STATUS_CODES.get(URIRef(str(self.g.value(fu, vocab.followUpStatus))))
            method = str(self.g.value(fu, vocab.linkMethod) or "")
            score = self.g.value(fu, vocab.score)
            rank = (_METHOD_RANK.get(method, 3), -float(str(score)) if score is not None else 0.0)
            known = later is not None and str(later) in self.graph_
            if known and (str(later) not in best or rank < best[str(later)][0]):
                best[str(later)] = (rank, status or "")
            if earlier is None:
                continue
            if str(earlier) not in self.graph_:
                self.graph_.add_node(str(earlier), kind="finding", label=str(earlier), themes=[])
            self.graph_.nodes[str(earlier)]["outcome"] = status
            if later is None or str(later) not in self.graph_:
                continue
            evidence = self.span(self.g.value(fu, vocab.span))
            self.graph_.add_edge(
                str(later),
                str(earlier),
                kind="follows-up",
                status=status,
                method=method,
                score=float(str(score)) if score is not None else None,
                **evidence,
            )
        for node, (_, status) in best.items():
            self.graph_.nodes[node]["status"] = status or None

    def _grades_then_and_now(self) -> None:
        """Give each finding the grade of its area in its own assessment (``grade_then``) and
        in the force's latest assessment (``grade_now``, ``now_assessment``): on the same
        area, or on the one area of the latest framework that the crosswalk maps to it (an
        exactMatch or closeMatch chain; ``now_area`` names it). No grade where no judgment,
        or no such area, exists."""
        ref = load_reference()
        concepts = {a.iri: a for c in ref.cycles.values() for a in c.areas}
        cycles = {a.iri: a.cycle for a in ref.assessments.values()}
        graded: dict[tuple[Node, Node, Node], str] = {}  # (force, assessment, area) -> grade
        superseded = set(self.g.objects(None, vocab.supersedes))
        latest: dict[Node, Node] = {}
        for j in self.g.subjects(RDF.type, vocab.Judgment):
            insp, area = self.g.value(j, vocab.inspection), self.g.value(j, vocab.area)
            a = self.insp_assessment.get(insp) if insp is not None else None
            force, grade = self.g.value(j, vocab.force), self.g.value(j, vocab.grade)
            if a is None or area is None or force is None or grade is None or j in superseded:
                continue
            graded[(force, a, area)] = self.label(grade)
            if force not in latest or self.assessments[a][1] > self.assessments[latest[force]][1]:
                latest[force] = a
        for node, attrs in self.graph_.nodes(data=True):
            if attrs["kind"] != "finding":
                continue
            f = URIRef(node)
            force, area = self.g.value(f, vocab.force), self.g.value(f, vocab.area)
            insp = self.g.value(f, vocab.inspection)
            a = self.insp_assessment.get(insp) if insp is not None else None
            if force is None or area is None or a is None:
                continue
            attrs["grade_then"] = graded.get((force, a, area))
            now = latest.get(force)
            concept = concepts.get(URIRef(str(area)))
            if now is None or concept is None:
                continue
            attrs["now_assessment"] = self.assessments[now][0]
            target = _successor(ref, concept, cycles[URIRef(str(a))], cycles[URIRef(str(now))])
            if target is None:
                attrs["now_unmapped"] = True  # no area of the latest framework is this one
                continue
            attrs["grade_now"] = graded.get((force, now, target.iri))
            if target.label != concept.label:
                attrs["now_area"] = target.label


def _successor(
    ref: Reference, concept: AreaConcept, own: CycleInfo, later: CycleInfo
) -> AreaConcept | None:
    """The one area of ``later``'s framework that the crosswalk says is ``concept`` (of
    ``own``'s framework), or ``concept`` itself when the framework is the same."""
    if concept in later.areas:
        return concept
    found = [b for b in later.areas if ref.counterpart(b, own) == concept]
    return found[0] if len(found) == 1 else None


class _Matcher:
    """Decides whether a node of the related graph matches the filters given."""

    def __init__(
        self,
        data: Graph,
        graph: nx.MultiDiGraph,
        *,
        force: str | None,
        theme: str | None,
        area: str | None,
        initiative: str | None,
        assessment: str | None,
    ) -> None:
        self.forces = _resolve_force(data, force) if force is not None else None
        self.assessment = load_reference().assessment(assessment).label if assessment else None
        self.areas = _resolve_labels(graph, "area", area) if area is not None else None
        self.themes = _resolve_labels(graph, "theme", theme) if theme is not None else None
        self.initiatives = (
            _resolve_initiative(graph, initiative) if initiative is not None else None
        )
        self.graph = graph
        self.findings_only = theme is not None or initiative is not None

    def __call__(self, node: str, attrs: dict[str, Any]) -> bool:
        kind = attrs["kind"]
        if kind not in ("finding", "judgment") or (kind == "judgment" and self.findings_only):
            return False
        if self.forces is not None and attrs.get("force") not in self.forces:
            return False
        if self.assessment is not None and attrs.get("assessment") != self.assessment:
            return False
        if self.areas is not None and normalise_label(attrs.get("area", "")) not in self.areas:
            return False
        if self.themes is not None and not self.themes & {
            normalise_label(t) for t in attrs.get("themes", [])
        }:
            return False
        return self.initiatives is None or bool(self.initiatives & self.mentions(node))

    def mentions(self, node: str) -> set[str]:
        """The initiatives a finding mentions."""
        edges = self.graph.out_edges(node, data="kind")
        return {v for _, v, k in edges if k == "mentions-initiative"}


def _resolve_force(data: Graph, name: str) -> set[str]:
    """The labels of the force ``name`` names (any of its names, loosely, or its IRI;
    kg.resolve), if the graph has it."""
    forces = {
        (URIRef(str(f)), str(label))
        for f in data.subjects(RDF.type, vocab.Force)
        for label in data.objects(f, RDFS.label)
    }
    iri = resolve_force(name, forces)
    found = {label for f, label in forces if f == iri}
    if not found:
        known = ", ".join(sorted({label for _, label in forces})) or "none"
        raise InputError(f"{name!r} names {iri}, a force the graph has not; its forces: {known}")
    return found


def _resolve_labels(graph: nx.MultiDiGraph, kind: str, name: str) -> set[str]:
    """The normalised labels of the ``kind`` nodes ``name`` names (a label or an IRI)."""
    nodes = {n: a["label"] for n, a in graph.nodes(data=True) if a["kind"] == kind}
    if name in nodes:
        return {normalise_label(nodes[name])}
    found = {normalise_label(label) for label in nodes.values()} & {normalise_label(name)}
    if not found:
        known = ", ".join(sorted(set(nodes.values()))) or f"none (the graph has no {kind}s)"
        raise InputError(f"no {kind} named {name!r} in the graph; known: {known}")
    return found


def _squash(text: str) -> str:
    return _NON_ALNUM.sub("", text.casefold())


def _resolve_initiative(graph: nx.MultiDiGraph, name: str) -> set[str]:
    """The IRIs of the initiatives ``name`` names, by name or alias, loosely."""
    key = _squash(name)
    found = {
        n
        for n, a in graph.nodes(data=True)
        if a["kind"] == "initiative"
        and (n == name or key in {_squash(x) for x in [a["label"], *a.get("aliases", [])]})
    }
    if not found:
        raise InputError(
            f"no initiative named {name!r} in the graph; see `peel-kg query run initiatives`"
        )
    return found


def nodes_of(graph: nx.MultiDiGraph, kind: str) -> Iterable[tuple[str, dict[str, Any]]]:
    """The (id, attributes) of the nodes of one kind, in id order."""
    return sorted((n, a) for n, a in graph.nodes(data=True) if a["kind"] == kind)


__all__ = ["EDGE_KINDS", "NODE_KINDS", "PROBLEM_TYPES", "nodes_of", "related_graph"]
