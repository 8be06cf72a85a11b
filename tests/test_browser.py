"""The related-findings page in a real browser: headless Debian chromium driven by
Playwright. The page loads with no request outside its own file, draws its nodes, the
search box finds a finding, and hovering and clicking work. Its screenshot is kept as
a CI artefact (.ci/artifacts/viz.png).

Skipped when /usr/bin/chromium (or Playwright) is missing, unless
PEEL_KG_REQUIRE_BROWSER=1, as in CI, where it fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kg.export import union
from kg.paths import ROOT
from kg.pipeline import BuildResult
from kg.related import related_graph
from kg.viz import write_viz

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACT = ROOT / ".ci" / "artifacts" / "viz.png"
REQUIRED = os.environ.get("PEEL_KG_REQUIRE_BROWSER") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (PEEL_KG_REQUIRE_BROWSER=1: the browser test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def sync_playwright() -> Any:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[test]'")
    return sync_playwright


def test_page_in_chromium(built: BuildResult, tmp_path: Path, sync_playwright: Any) -> None:
    graph = related_graph(union(built.dataset))
    out = write_viz(graph, tmp_path / "out" / "viz" / "related.html").page
    url = out.resolve().as_uri()
    target = "https://w3id.org/peel-kg/id/finding/northamptonshire-police/2025-27/custody/area-for-improvement-1"
    if target not in graph:  # the corpus changed: take the first area for improvement
        target = min(
            n for n, a in graph.nodes(data=True) if a.get("type") == "area-for-improvement"
        )
    finding = graph.nodes[target]

    outside: list[str] = []

    def guard(route: Any) -> None:
        request_url = route.request.url
        if request_url == url or request_url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(request_url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.route("**/*", guard)
            page.goto(url)
            page.wait_for_selector("body[data-ready=true]", timeout=15_000)

            # nodes rendered: sigma's canvases are there, with every node of the graph
            assert page.locator("#graph canvas").count() >= 2
            assert page.evaluate("window.peelViz.nodeCount") == graph.number_of_nodes()
            assert page.evaluate("window.peelViz.shownCount") == graph.number_of_nodes()

            # the search box finds the finding by words of its headline
            words = " ".join(finding["headline"].split()[3:9])
            page.fill("#search", words)
            assert page.locator("#results li").count() >= 1
            page.press("#search", "Enter")
            assert page.evaluate("window.peelViz.selected()") == target
            assert page.inner_text("#details blockquote") == finding["quote"]
            assert page.inner_text("#details .context mark") == finding["quote"]
            settled = "() => !window.peelViz.renderer.getCamera().isAnimated()"
            page.wait_for_function(settled, timeout=5_000)  # the camera moved to it

            # hovering it highlights it and its neighbours; clicking the stage clears
            box = page.locator("#graph").bounding_box()
            at = page.evaluate("(id) => window.peelViz.viewportOf(id)", target)
            x, y = box["x"] + at["x"], box["y"] + at["y"]
            page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)
            assert page.evaluate("window.peelViz.selected()") is None
            page.mouse.move(x, y)
            page.wait_for_function("() => window.peelViz.activeNodes().length > 0", timeout=5_000)
            expected = {target, *graph.successors(target), *graph.predecessors(target)}
            assert set(page.evaluate("window.peelViz.activeNodes()")) == expected

            # clicking it shows its headline, grades and quote in the side panel
            page.mouse.click(x, y)
            assert page.evaluate("window.peelViz.selected()") == target
            details = page.inner_text("#details")
            assert finding["headline"] in details and "Grade then" in details
            assert page.inner_text("#details blockquote") == finding["quote"]
            page.wait_for_function(settled, timeout=5_000)
            ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACT))
            assert not errors, errors
        finally:
            browser.close()
    assert outside == [], f"the page asked for something outside its file: {outside}"
