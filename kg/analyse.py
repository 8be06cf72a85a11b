"""Analyses of the related-findings graph (:mod:`kg.related`): the most connected
problems, clusters of related findings, and one finding's follow-up chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.errors import InputError
from kg.related import PROBLEM_TYPES

#: Edge weights for clustering: a follow-up ties two findings closer than a shared area.
_WEIGHTS = {"follows-up": 3.0, "shares-theme": 1.0, "mentions-initiative": 1.0, "in-area": 1.0}
SEED = 42


@dataclass(frozen=True)
class Ranked:
    """A problem finding with its centrality in the related graph."""

    node: str
    centrality: float
    degree: int
    attrs: dict[str, Any]


@dataclass(frozen=True)
class Cluster:
    """A community of the related graph: its nodes and what they have most in common."""

    nodes: frozenset[str]
    findings: int
    areas: tuple[str, ...]
    themes: tuple[str, ...]
    initiatives: tuple[str, ...]


def simple(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph underneath: one weighted edge per pair of linked nodes."""
    out = nx.Graph()
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, kind in graph.edges(data="kind"):
        if u == v:
            continue
        weight = _WEIGHTS.get(kind, 1.0)
        if out.has_edge(u, v):
            out[u][v]["weight"] += weight
        else:
            out.add_edge(u, v, weight=weight)
    return out


def most_connected(graph: nx.MultiDiGraph, n: int = 10) -> list[Ranked]:
    """The ``n`` problem findings (areas for improvement, causes of concern,
    recommendations) of highest degree centrality in the undirected simple graph: the
    findings linked to the most other things (areas, themes, initiatives, earlier and
    later findings). Ties are broken by PageRank, then by IRI, so the order is stable."""
    g = simple(graph)
    if g.number_of_nodes() == 0:
        return []
    centrality = nx.degree_centrality(g)
    rank = nx.pagerank(g, weight="weight") if g.number_of_edges() else {}
    problems = [
        node
        for node, attrs in g.nodes(data=True)
        if attrs.get("kind") == "finding" and attrs.get("type") in PROBLEM_TYPES
    ]
    problems.sort(key=lambda x: (-centrality[x], -rank.get(x, 0.0), x))
    return [Ranked(x, centrality[x], g.degree(x), dict(g.nodes[x])) for x in problems[:n]]


def clusters(graph: nx.MultiDiGraph, *, seed: int = SEED) -> list[Cluster]:
    """Communities of related findings (Louvain, weighted, with a fixed seed so a graph
    always gives the same clusters), largest first; clusters without a finding are left out.
    """
    g = simple(graph)
    if g.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    out = []
    for community in found:
        kinds: dict[str, list[str]] = {"finding": [], "area": [], "theme": [], "initiative": []}
        for node in community:
            attrs = g.nodes[node]
            kinds.setdefault(attrs["kind"], []).append(attrs.get("label", node))
        if kinds["finding"]:
            out.append(
                Cluster(
                    nodes=frozenset(community),
                    findings=len(kinds["finding"]),
                    areas=tuple(sorted(kinds["area"])),
                    themes=tuple(sorted(kinds["theme"])),
                    initiatives=tuple(sorted(kinds["initiative"])),
                )
            )
    out.sort(key=lambda c: (-c.findings, -len(c.nodes), min(c.nodes)))
    return out


def chain(graph: nx.MultiDiGraph, finding: str) -> list[str]:
    """The follow-up chain of ``finding`` (a node id): every finding linked to it by
    follow-up links, either way and transitively, ordered earliest assessment first."""
    if finding not in graph:
        raise InputError(f"no finding {finding!r} in the graph")
    follows = nx.Graph()
    follows.add_node(finding)
    follows.add_edges_from(
        (u, v) for u, v, kind in graph.edges(data="kind") if kind == "follows-up"
    )
    members = nx.node_connected_component(follows, finding)

    def key(node: str) -> tuple[int, str, str]:
        attrs = graph.nodes[node]
        return (attrs.get("year", 0), attrs.get("assessment", ""), node)

    return sorted(members, key=key)


def find_finding(graph: nx.MultiDiGraph, text: str) -> str:
    """The finding ``text`` names: its IRI, or words of its headline (case ignored).

    :raises InputError: when no finding, or more than one, matches.
    """
    if text in graph and graph.nodes[text].get("kind") == "finding":
        return text
    words = text.casefold().split()
    found = sorted(
        node
        for node, attrs in graph.nodes(data=True)
        if attrs.get("kind") == "finding"
        and words
        and all(w in attrs.get("headline", "").casefold() for w in words)
    )
    if not found:
        raise InputError(f"no finding's headline contains {text!r}; give more words or an IRI")
    exact = [n for n in found if graph.nodes[n].get("headline", "").casefold() == text.casefold()]
    if len(exact) == 1:
        return exact[0]
    if len(found) > 1:
        shown = "\n  ".join(f"{n}  {graph.nodes[n].get('headline', '')[:70]}" for n in found[:10])
        raise InputError(
            f"{len(found)} findings match {text!r}; give more words or an IRI:\n  {shown}"
        )
    return found[0]
