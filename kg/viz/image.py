"""A static picture of the related graph (PNG and SVG, with matplotlib), drawn with the
page's positions, colours, shapes and line styles."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from kg.viz import style  # noqa: E402
from kg.viz.layout import layout  # noqa: E402

FORMATS = ("png", "svg")
#: Up to this many nodes, areas, themes and initiatives are labelled in the image.
LABELLED = 120
_RECTANGLE = MplPath([(-1, -0.55), (1, -0.55), (1, 0.55), (-1, 0.55), (-1, -0.55)], closed=True)


def _marker(key: str) -> str | MplPath:
    marker = style.TYPE_SHAPES.get(key, ("", "circle", "o"))[2]
    return _RECTANGLE if marker == "rectangle" else marker


def write_image(
    graph: nx.MultiDiGraph,
    out: Path,
    *,
    title: str = "PEEL related findings",
    positions: dict[str, tuple[float, float]] | None = None,
    formats: tuple[str, ...] = FORMATS,
) -> list[Path]:
    """Draw ``graph`` and save it as ``out`` with each suffix of ``formats``
    (``related.png``, ``related.svg``); return the paths written."""
    pos = positions if positions is not None else layout(graph)
    years = {
        a["assessment"]: a.get("year", 0) for _, a in graph.nodes(data=True) if a.get("assessment")
    }
    colours = style.assessment_colours(years)
    n = graph.number_of_nodes()
    side = min(24.0, 8.0 + math.sqrt(max(n, 1)) / 3)
    fig, ax = plt.subplots(figsize=(side + 3.5, side))
    ax.set_axis_off()
    ax.set_title(title, loc="left")
    node_scale = max(6.0, 60.0 / math.sqrt(max(n, 1)) * 4)

    for kind, s in style.EDGE_STYLES.items():
        segments, colours_ = [], []
        for u, v, attrs in graph.edges(data=True):
            if attrs["kind"] == kind and u in pos and v in pos:
                segments.append([pos[u], pos[v]])
                colours_.append(style.edge_colour(kind, attrs.get("status")))
        if segments:
            ax.add_collection(
                LineCollection(
                    segments,
                    colors=colours_,
                    linewidths=s["width"] * 0.6,
                    linestyles="dashed" if s["dashed"] else "solid",
                    alpha=0.8,
                    zorder=1 if kind == "in-area" else 2,
                )
            )

    groups: dict[tuple[str, str], list[str]] = {}
    for node, attrs in graph.nodes(data=True):
        groups.setdefault((style.shape_key(attrs), attrs["kind"]), []).append(node)
    for (key, _kind), members in sorted(groups.items()):
        members = [m for m in sorted(members) if m in pos]
        ax.scatter(
            [pos[m][0] for m in members],
            [pos[m][1] for m in members],
            s=node_scale * (2.0 if _kind == "area" else 1.0),
            c=[style.node_colour(graph.nodes[m], colours) for m in members],
            marker=_marker(key),
            edgecolors="white",
            linewidths=0.4,
            zorder=3,
        )

    if n <= LABELLED:
        for node, attrs in graph.nodes(data=True):
            if attrs["kind"] in style.KIND_COLOURS and node in pos:
                label = str(attrs.get("label", ""))
                ax.annotate(label[:40], pos[node], fontsize=7, color="#333333",
                            xytext=(4, 4), textcoords="offset points", zorder=4)  # fmt: skip

    handles = [Line2D([], [], ls="", marker="o", color=c, label=a) for a, c in colours.items()]
    handles += [
        Line2D([], [], ls="", marker=_marker(k), color="#555555", label=name)
        for k, (name, _, _) in style.TYPE_SHAPES.items()
    ]
    handles += [
        Line2D([], [], ls="", marker="o", color=c, label=kind)
        for kind, c in style.KIND_COLOURS.items()
    ]
    handles += [
        Line2D([], [], color=s["colour"], ls="--" if s["dashed"] else "-", label=s["name"])
        for s in style.EDGE_STYLES.values()
    ]
    handles += [
        Line2D([], [], color=c, lw=2, label=f"follow-up: {k}")
        for k, c in style.STATUS_COLOURS.items()
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
    )
    ax.autoscale()
    ax.set_aspect("equal")
    written = []
    out.parent.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        path = out.with_suffix(f".{fmt}")
        tmp = path.with_name(f".{path.name}.tmp")
        fig.savefig(tmp, format=fmt, dpi=120, bbox_inches="tight", metadata=_metadata(fmt))
        tmp.replace(path)
        written.append(path)
    plt.close(fig)
    return written


def _metadata(fmt: str) -> dict[str, str | None]:
    """No creation date or tool version in the file: the same graph gives the same bytes."""
    if fmt == "svg":
        return {"Date": None, "Creator": None}
    if fmt == "png":
        return {"Software": None}
    return {}
