"""The related-findings page and image (kg.viz): written, self-contained, complete."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.export import union
from kg.pipeline import BuildResult
from kg.related import related_graph
from kg.viz import write_viz
from kg.viz.page import page_data, render_page

EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


class _Refs(HTMLParser):
    """Every src and href of a page, and the text of its JSON data script."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.data = ""
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.refs.append((tag, name, value))
        self._in_data = tag == "script" and ("id", "peel-data") in attrs

    def handle_endtag(self, tag: str) -> None:
        self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data += data


@pytest.fixture(scope="module")
def written(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> tuple[nx.MultiDiGraph, Path, tuple[Path, ...]]:
    graph = related_graph(union(built.dataset))
    out = tmp_path_factory.mktemp("viz") / "related.html"
    result = write_viz(graph, out)
    return graph, result.page, result.images


def test_page_is_self_contained(written: tuple[nx.MultiDiGraph, Path, tuple[Path, ...]]) -> None:
    _, page, _ = written
    text = page.read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(text)
    assert not [r for r in parser.refs if r[0] in ("script", "link", "img", "iframe")]
    assert not [r for r in parser.refs if EXTERNAL.match(r[2])]
    assert "sourceMappingURL" not in text
    assert "default-src 'none'" in text  # the page's CSP forbids any fetch
    assert text.count("<script") == text.count("</script>") == 4


def test_page_data_parses_and_matches_the_graph(
    written: tuple[nx.MultiDiGraph, Path, tuple[Path, ...]],
) -> None:
    graph, page, _ = written
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    data = json.loads(parser.data)
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()
    ids = {n["id"] for n in data["nodes"]}
    assert ids == set(graph)
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    findings = [n for n in data["nodes"] if n["kind"] == "finding"]
    assert all(-1.0 <= n["x"] <= 1.0 and -1.0 <= n["y"] <= 1.0 for n in data["nodes"])
    assert all(
        n["shape"] in {"circle", "diamond", "triangle", "square", "hexagon"} for n in findings
    )
    placed = [n for n in findings if "before" in n]
    assert placed and all(
        n["href"].startswith("../") or not n["href"].startswith("/") for n in placed
    )
    assert {a for a, _ in data["legend"]["assessments"]} >= {n["assessment"] for n in findings}


def test_context_excerpt_and_link(tmp_path: Path) -> None:
    source = tmp_path / "data" / "report.txt"
    source.parent.mkdir()
    text = "x" * 500 + "The force should do better." + "y" * 500
    source.write_text(text, encoding="utf-8")
    g = nx.MultiDiGraph()
    g.add_node("f", kind="finding", type="cause-of-concern", label="do better",
               source="data/report.txt", start=500, end=527,
               quote="The force should do better.", assessment="2025–27", year=2025)  # fmt: skip
    g.add_node("g", kind="finding", type="recommendation", label="moved",
               source="data/report.txt", start=0, end=5, quote="not there")  # fmt: skip
    data = page_data(g, out_dir=tmp_path / "out" / "viz", source_root=tmp_path)
    f, other = sorted(data["nodes"], key=lambda n: n["id"])
    assert f["before"] == "x" * 400 and f["after"] == "y" * 400
    assert f["href"] == "../../data/report.txt"
    assert "before" not in other  # the offsets no longer hold the quote: no excerpt
    assert f["shape"] == "triangle" and f["color"] != other["color"]


def test_data_cannot_close_its_script() -> None:
    g = nx.MultiDiGraph()
    g.add_node("x", kind="theme", label="</script><script>alert(1)</script>")
    html = render_page(page_data(g, out_dir=Path("/tmp")), title="<b>t</b>")
    assert html.count("</script>") == 4 and "&lt;b&gt;t&lt;/b&gt;" in html


def test_image_written(written: tuple[nx.MultiDiGraph, Path, tuple[Path, ...]]) -> None:
    _, page, images = written
    assert [p.suffix for p in images] == [".png", ".svg"]
    assert all(p.parent == page.parent and p.stem == page.stem for p in images)
    png, svg = images
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert "<svg" in svg.read_text(encoding="utf-8")[:2000]
