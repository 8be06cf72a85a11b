"""Linking: what is derived across the facts of sources: theme tags and follow-up links.

Runs on one force's sources at a time (kg.parts), once they are built; what it derives
goes into one named graph (kg.vocab.LINKS_GRAPH), every fact pointing at the source
spans it rests on.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from itertools import chain

from rdflib import Graph, URIRef

from kg.build import Triple
from kg.link.continuity import follow_up_graph
from kg.link.themes import theme_tags
from kg.reference import Reference


def link_graph(
    data: Graph, ref: Reference, skip: AbstractSet[URIRef] = frozenset()
) -> Iterator[Triple]:
    """The follow-up links and theme tags of ``data`` (the facts the link stage reads of
    one force's sources: kg.assemble.link_input), triple by triple (a triple may come
    twice). Things in ``skip`` are not tagged (initiatives several forces mention: kg.parts
    tags them from all their mentions)."""
    follow_ups = follow_up_graph(data, ref)
    # the earlier findings known only through a later report are in ``follow_ups``: tag
    # them too
    return chain(follow_ups, theme_tags(follow_ups, ref.graph), theme_tags(data, ref.graph, skip))  # type: ignore[arg-type]


__all__ = ["link_graph"]
