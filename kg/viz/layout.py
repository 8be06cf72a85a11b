"""Node positions for the page and the image, computed once in Python, the same every run.

igraph's Fruchterman–Reingold layout (its grid variant for large graphs, in C): a few
thousand nodes in well under a second, where networkx's pure-Python layouts take tens of
seconds. igraph draws its random numbers from a generator seeded here, so a graph always
gets the same positions.
"""

from __future__ import annotations

import random

import igraph as ig
import networkx as nx

SEED = 42
ITERATIONS = 500


def layout(graph: nx.Graph, *, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]² for every node of ``graph`` (directions and parallel links ignored)."""
    nodes = sorted(graph)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    edges = sorted({tuple(sorted((index[u], index[v]))) for u, v in graph.edges() if u != v})
    g = ig.Graph(n=len(nodes), edges=edges)
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(niter=ITERATIONS, grid="auto").coords
    finally:
        ig.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    scale = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    return {n: ((xs[i] - cx) / scale, (ys[i] - cy) / scale) for n, i in index.items()}


__all__ = ["layout"]
