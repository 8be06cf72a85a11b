"""The related-findings page: one self-contained HTML file that works offline.

The layout is computed here (:mod:`kg.viz.layout`); nodes, links, the legend and,
per node, an excerpt of the source text around its quote are inlined as JSON; the
vendored graphology and sigma builds and the page's own script and style
(``assets/``) are inlined too. The page makes no network request: its
Content-Security-Policy forbids any, and no ``src`` or ``href`` points outside it but
the relative links to the source texts.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

import networkx as nx

from kg.paths import ROOT
from kg.viz import style
from kg.viz.layout import layout

ASSETS = Path(__file__).parent / "assets"
CONTEXT_CHARS = 400
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
#: Attributes copied from graph nodes into the page's data, when set.
_NODE_FIELDS = (
    "kind", "type", "assessment", "force", "area", "grade", "status", "outcome", "headline",
    "quote", "source", "start", "end", "themes", "grade_then", "grade_now", "now_assessment",
    "now_area", "now_unmapped", "known_only_through",
)  # fmt: skip


@dataclass
class _Sources:
    """Source texts read once, for the excerpts around quotes."""

    root: Path
    out_dir: Path
    texts: dict[str, str | None] = field(default_factory=dict)

    def path(self, source: str) -> Path:
        p = Path(source)
        return p if p.is_absolute() else self.root / p

    def text(self, source: str) -> str | None:
        if source not in self.texts:
            try:
                self.texts[source] = self.path(source).read_text(encoding="utf-8")
            except OSError:
                self.texts[source] = None
        return self.texts[source]

    def href(self, source: str) -> str | None:
        """A link to the source text relative to the page, if the file is there."""
        p = self.path(source)
        if not p.exists():
            return None
        return url_quote(Path(os.path.relpath(p.resolve(), self.out_dir.resolve())).as_posix())

    def place(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The excerpt around a node's quote (``before``, ``after``) and the link to its source."""
        source, start, end = attrs.get("source"), attrs.get("start"), attrs.get("end")
        if not source or start is None or end is None:
            return {}
        out: dict[str, Any] = {}
        href = self.href(source)
        if href:
            out["href"] = href
        text = self.text(source)
        if text is not None and text[start:end] == attrs.get("quote"):
            out["before"] = text[max(0, start - CONTEXT_CHARS) : start]
            out["after"] = text[end : end + CONTEXT_CHARS]
        return out


def page_data(
    graph: nx.MultiDiGraph,
    *,
    out_dir: Path,
    source_root: Path = ROOT,
    positions: dict[str, tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """The JSON the page is built from: nodes with positions, colours, shapes and details;
    links with colours and line styles; and the legend.

    :param out_dir: the folder the page goes in (links to the sources are relative to it).
    :param source_root: the folder the sources' ``peel:path`` is relative to.
    :param positions: precomputed positions; computed with :func:`kg.viz.layout.layout` if None.
    """
    pos = positions if positions is not None else layout(graph)
    years = {
        a["assessment"]: a.get("year", 0) for _, a in graph.nodes(data=True) if a.get("assessment")
    }
    colours = style.assessment_colours(years)
    sources = _Sources(source_root, out_dir)
    degree = dict(graph.degree())
    nodes = []
    for node, attrs in sorted(graph.nodes(data=True)):
        x, y = pos.get(node, (0.0, 0.0))
        shape = style.TYPE_SHAPES.get(style.shape_key(attrs), ("", "circle", "o"))[1]
        base = {"area": 6.0, "theme": 5.0, "initiative": 4.0}.get(attrs["kind"], 4.0)
        item = {
            "id": node,
            "label": attrs.get("label") or node,
            "x": round(x, 5),
            "y": round(y, 5),
            "size": round(base + 1.5 * math.sqrt(degree.get(node, 0)), 2),
            "color": style.node_colour(attrs, colours),
            "shape": shape,
        }
        item |= {k: attrs[k] for k in _NODE_FIELDS if attrs.get(k) not in (None, "", [], False)}
        item |= sources.place(attrs)
        nodes.append(item)
    edges = []
    for u, v, attrs in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"])):
        kind = attrs["kind"]
        s = style.EDGE_STYLES.get(kind, style.EDGE_STYLES["in-area"])
        edge = {
            "source": u,
            "target": v,
            "kind": kind,
            "color": style.edge_colour(kind, attrs.get("status")),
            "size": s["width"],
            "style": "dashed" if s["dashed"] else "solid",
            "arrow": s["arrow"],
        }
        for key in ("status", "method", "score", "quote", "start", "end"):
            if attrs.get(key) is not None:
                edge[key] = attrs[key]
        if attrs.get("source"):
            edge["file"] = attrs["source"]  # the evidence's file ("source" is the from-node)
        edges.append(edge)
    themes = sorted({t for _, a in graph.nodes(data=True) for t in a.get("themes", [])})
    legend = {
        "assessments": list(colours.items()),
        "shapes": [[name, shape, "#555555"] for name, shape, _ in style.TYPE_SHAPES.values()]
        + [[kind, "circle", colour] for kind, colour in style.KIND_COLOURS.items()],
        "typeNames": {code: name for code, (name, _, _) in style.TYPE_SHAPES.items()},
        "edges": [
            [s["name"], s["colour"], s["dashed"], s["width"]] for s in style.EDGE_STYLES.values()
        ],
        "edgeTitles": {kind: list(s["titles"]) for kind, s in style.EDGE_STYLES.items()},
        "statuses": list(style.STATUS_COLOURS.items()),
        "themes": themes,
    }
    return {"nodes": nodes, "edges": edges, "legend": legend}


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """Text that cannot end the <script> element it is inlined in."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


#: The offline page's policy: its inlined scripts and style, and nothing fetched.
_OFFLINE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:"
)
#: The page's scripts, in the order they run, and its style: files of ``assets/``.
SCRIPTS = ("graphology.umd.min.js", "sigma.min.js", "page.js")
STYLE = "page.css"


def render_page(data: dict[str, Any], *, title: str, assets: str | None = None) -> str:
    """The HTML page for ``data`` (from :func:`page_data`).

    :param assets: None for the offline page, every asset inlined (and a
        Content-Security-Policy forbidding any fetch); else the URL path the assets
        (:data:`SCRIPTS`, :data:`STYLE`) are served from, linked from the page, which then
        has no inline script or style (for a server whose policy forbids them,
        kg.server).
    """
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if assets is None:
        csp = f'<meta http-equiv="Content-Security-Policy" content="{_OFFLINE_CSP}">'
        head = f"{csp}\n<title>{html.escape(title)}</title>\n<style>\n{_asset(STYLE)}\n</style>"
        scripts = "\n".join(
            f"<script>\n{_script_safe(_SOURCE_MAP.sub('', _asset(name)))}\n</script>"
            for name in SCRIPTS
        )
    else:
        base = html.escape(assets.rstrip("/"))
        head = f'<title>{html.escape(title)}</title>\n<link rel="stylesheet" href="{base}/{STYLE}">'
        scripts = "\n".join(f'<script src="{base}/{name}"></script>' for name in SCRIPTS)
    parts = {
        "{{HEAD}}": head,
        "{{SCRIPTS}}": scripts,
        "{{DATA}}": _script_safe(payload),
        "{{TITLE}}": html.escape(title),
    }
    pattern = re.compile("|".join(re.escape(k) for k in parts))
    return pattern.sub(lambda m: parts[m.group(0)], _asset("page.html"))


def write_page(
    graph: nx.MultiDiGraph,
    out: Path,
    *,
    title: str = "PEEL related findings",
    source_root: Path = ROOT,
    positions: dict[str, tuple[float, float]] | None = None,
) -> Path:
    """Write the page for ``graph`` to ``out`` (atomically) and return ``out``."""
    from kg.export import write_atomic

    out.parent.mkdir(parents=True, exist_ok=True)
    data = page_data(graph, out_dir=out.parent, source_root=source_root, positions=positions)
    write_atomic(out, render_page(data, title=title))
    return out
