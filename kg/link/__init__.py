"""Linking: what is derived across the facts of all sources: theme tags and follow-up links.

Runs on the union of every source graph once they are built; what it derives goes into
one named graph (kg.vocab.LINKS_GRAPH), every fact pointing at the source spans it rests on.
"""

from __future__ import annotations

from rdflib import Graph

from kg.link.continuity import follow_up_graph
from kg.link.themes import theme_tags
from kg.reference import Reference


def link_graph(data: Graph, ref: Reference) -> Graph:
    """The follow-up links and theme tags of ``data`` (a union graph of every source)."""
    links = follow_up_graph(data, ref)
    # the earlier findings known only through a later report are in ``links``: tag them too
    links += theme_tags(links, ref.graph)
    links += theme_tags(data, ref.graph)
    return links


__all__ = ["link_graph"]
