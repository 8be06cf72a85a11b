"""Visualising the related-findings graph (:mod:`kg.related`): a self-contained HTML
page (:mod:`kg.viz.page`, sigma.js on WebGL, every asset inlined) and a static image of
the same graph (:mod:`kg.viz.image`), both drawn from one precomputed layout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.paths import DEFAULT_PAGE, ROOT


@dataclass(frozen=True)
class VizOutputs:
    """What :func:`write_viz` wrote."""

    page: Path
    images: tuple[Path, ...]
    nodes: int
    edges: int


def write_viz(
    graph: nx.MultiDiGraph,
    out: Path = DEFAULT_PAGE,
    *,
    title: str = "PEEL related findings",
    source_root: Path = ROOT,
    image_formats: tuple[str, ...] = ("png", "svg"),
) -> VizOutputs:
    """Write the page to ``out`` and the image beside it (same stem, ``.png``, ``.svg``).

    :param source_root: the folder the sources' paths in the graph are relative to
        (the repository root for the shipped corpus).
    """
    from kg.viz.image import write_image
    from kg.viz.layout import layout
    from kg.viz.page import write_page

    positions = layout(graph)
    page = write_page(graph, out, title=title, source_root=source_root, positions=positions)
    images = write_image(graph, out, title=title, positions=positions, formats=image_formats)
    return VizOutputs(page, tuple(images), graph.number_of_nodes(), graph.number_of_edges())


__all__ = ["DEFAULT_PAGE", "VizOutputs", "write_viz"]
