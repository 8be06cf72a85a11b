"""`peel-kg serve` in a real browser: uvicorn serves the app on a free port of 127.0.0.1,
and headless Debian chromium (Playwright) runs a canned query with a parameter from the
gallery, a query in the editor (YASGUI), opens a finding's page to see its quote, and
draws the related-findings graph, from which it opens a finding's page; no request leaves
127.0.0.1, and no error or refusal by the Content-Security-Policy shows in a page.

Skipped when /usr/bin/chromium (or Playwright) is missing, unless
PEEL_KG_REQUIRE_BROWSER=1, as in CI, where it fails instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from kg.export import union
from kg.pipeline import BuildResult
from kg.queries import run_query
from kg.related import related_graph
from kg.server import create_app
from kg.server.resource import local_link
from kg.sparql import PREFIXES
from kg.store import Store
from tests.servers import serving
from tests.test_browser import CHROMIUM, FLAGS, _unavailable

EDITOR_QUERY = (
    "SELECT DISTINCT ?inspection WHERE { ?inspection a peel:Inspection } ORDER BY ?inspection"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def base_url(store: Store) -> Iterator[str]:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread."""
    with serving(create_app(store)) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture()
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A new page whose requests may only go to the server; the others are kept in
    ``page.outside`` and refused."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    tab = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith((f"{base_url}/", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield tab
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert errors == [], f"errors in the page (or refused by its CSP): {errors}"


def test_gallery_runs_a_query_with_a_parameter(page: Any, base_url: str, store: Store) -> None:
    params = {"force": "Northamptonshire Police", "assessment": "2025-27"}
    expected = json.loads(run_query(store, "grades", params, fmt="json"))["results"]["bindings"]
    page.goto(f"{base_url}/queries")
    page.click("a[href='/queries/grades']")
    page.fill("input[name=force]", params["force"])
    page.fill("input[name=assessment]", params["assessment"])
    page.click("button[name=run]")
    page.wait_for_selector("table.results tbody tr", timeout=15_000)
    assert page.locator("table.results tbody tr").count() == len(expected) >= 5
    grades = {b["grade"]["value"] for b in expected if "grade" in b}
    assert grades <= set(page.locator("table.results tbody td").all_inner_texts())


def test_editor_runs_a_query(page: Any, base_url: str, store: Store) -> None:
    expected = store.rows(
        "".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items()) + EDITOR_QUERY
    )
    page.goto(f"{base_url}/editor")
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)
    page.evaluate("query => window.peelYasgui.getTab().setQuery(query)", EDITOR_QUERY)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr", timeout=15_000)
    page.wait_for_function(
        f"document.querySelectorAll('.yasr table tbody tr').length == {len(expected)}",
        timeout=15_000,
    )
    shown = page.locator(".yasr table tbody").inner_text()
    assert str(expected[0]["inspection"]).rsplit("/", 1)[-1] in shown


def test_a_finding_page_shows_its_quote(page: Any, base_url: str, store: Store) -> None:
    row = store.rows(
        "PREFIX peel: <https://w3id.org/peel-kg/ontology#>\n"
        "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
        "SELECT ?finding ?exact ?headline WHERE { ?finding a peel:AreaForImprovement ; "
        "peel:headline ?headline ; peel:span ?s . "
        "?s oa:hasSelector/oa:exact ?exact } ORDER BY ?finding LIMIT 1"
    )[0]
    page.goto(base_url + (local_link(str(row["finding"])) or ""))
    marks = page.locator("figure.quote mark").all_inner_texts()
    assert str(row["exact"]) in marks
    assert page.locator("h1").inner_text() == str(row["headline"])


def test_the_related_graph_renders_and_opens_a_findings_page(
    page: Any, base_url: str, built: BuildResult
) -> None:
    force = "Northamptonshire Police"
    graph = related_graph(union(built.dataset), force=force)
    target = min(n for n, a in graph.nodes(data=True) if a.get("type") == "area-for-improvement")
    page.goto(f"{base_url}/related?force={force}")
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)
    assert page.locator("#graph canvas").count() >= 2  # sigma drew it
    assert page.evaluate("window.peelViz.nodeCount") == graph.number_of_nodes()
    assert page.evaluate("(id) => window.peelViz.select(id)", target) == target
    assert page.inner_text("#details blockquote") == graph.nodes[target]["quote"]
    page.click("#details a.page")
    page.wait_for_url(f"{base_url}{local_link(target)}")
    assert page.locator("h1").inner_text() == graph.nodes[target]["headline"]
