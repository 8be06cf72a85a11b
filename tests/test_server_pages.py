"""`peel-kg serve`'s pages: the canned query gallery, the page of each node (its facts,
links and quotes in their paragraphs, or its triples for RDF clients), escaping, static
files and the absence of any external URL (kg.server.pages, kg.server.resource)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from rdflib import RDF, Graph, Literal, URIRef
from starlette.testclient import TestClient

from kg import vocab
from kg.brief import build_briefing
from kg.brief import sections as briefing_sections
from kg.brief import title as briefing_title
from kg.errors import QueryError
from kg.paths import ROOT
from kg.queries import get_query, list_queries, run_query
from kg.server import Limits, create_app
from kg.server.app import STATIC
from kg.server.resource import curie, local_link
from kg.sparql import PREFIXES
from kg.store import Store

HEAD = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
GRADES = {"force": "Northamptonshire Police", "assessment": "2025-27"}
#: One node of each kind with a page: the first IRI under the kind's folder of /id/ of
#: the class given.
KINDS = {
    "force": "peel:Force",
    "judgment": "peel:Judgment",
    "finding": "peel:AreaForImprovement",
    "initiative": "skos:Concept",
    "area": "peel:Area",
}
QUOTED = (
    HEAD
    + """SELECT ?node ?exact ?start ?end ?path WHERE {
  ?node a peel:AreaForImprovement ; peel:bodySpan ?span .
  ?span oa:hasSelector ?q, ?p ; oa:hasSource/peel:path ?path .
  ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
} ORDER BY ?node LIMIT 1"""
)


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as test_client:
        yield test_client


class _Page(HTMLParser):
    """The links, sources and table cells of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in ("href", "src", "action")]
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _node(store: Store, kind: str) -> str:
    """The first node of ``kind`` (of its class) that another node links to."""
    query = f"""{HEAD}SELECT (MIN(STR(?x)) AS ?iri) WHERE {{
      ?x a {KINDS[kind]} . ?y ?q ?x . FILTER(isIRI(?y) && !CONTAINS(STR(?x), "#"))
      FILTER(STRSTARTS(STR(?x), "{vocab.ID}{kind}/"))
    }}"""
    return str(store.rows(query)[0]["iri"])


def _html(response: object) -> str:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    return str(response.text)  # type: ignore[attr-defined]


def test_gallery_lists_every_query(client: TestClient) -> None:
    page = _html(client.get("/queries"))
    for query in list_queries():
        assert f'href="/queries/{query.name}"' in page
        assert escape(query.summary) in page


def test_query_form_shows_each_parameter(client: TestClient) -> None:
    query = get_query("grades")
    page = _html(client.get("/queries/grades"))
    for p in query.parameters:
        assert f'name="{p.name}"' in page
    assert "<table" not in page  # nothing run until asked


def test_gallery_runs_a_query_with_parameters(client: TestClient, store: Store) -> None:
    expected = json.loads(run_query(store, "grades", GRADES, fmt="json"))
    columns = expected["head"]["vars"]
    rows = [
        [curie(b[c]["value"]) if b.get(c, {}).get("type") == "uri"
         else b.get(c, {}).get("value", "") for c in columns]
        for b in expected["results"]["bindings"]
    ]  # fmt: skip
    page = _Page(_html(client.get("/queries/grades", params={**GRADES, "run": "1"})))
    header, *shown = [r for r in page.rows if r]
    assert header == columns
    assert shown == rows and len(rows) >= 5
    assert f"{len(rows)} rows" in client.get("/queries/grades", params=GRADES).text


def test_gallery_downloads_csv_and_json(client: TestClient, store: Store) -> None:
    csv_file = client.get("/queries/grades/results.csv", params=GRADES)
    assert csv_file.headers["content-type"].startswith("text/csv")
    assert 'filename="grades.csv"' in csv_file.headers["content-disposition"]
    expected = list(csv.reader(io.StringIO(run_query(store, "grades", GRADES, fmt="csv"))))
    assert list(csv.reader(io.StringIO(csv_file.text))) == expected
    json_file = client.get("/queries/grades/results.json", params=GRADES)
    expected_json = json.loads(run_query(store, "grades", GRADES, fmt="json"))
    assert json_file.json()["results"] == expected_json["results"]
    links = _Page(client.get("/queries/grades", params=GRADES).text).urls
    assert any(u.startswith("/queries/grades/results.csv?") and "force=" in u for u in links)


def test_gallery_refuses_a_bad_name_with_the_did_you_mean_of_kg_resolve(
    client: TestClient, store: Store
) -> None:
    with pytest.raises(QueryError) as raised:
        run_query(store, "grades", {"force": "Atlantis Constabulary"}, fmt="json")
    response = client.get("/queries/grades", params={"force": "Atlantis Constabulary"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == str(raised.value)
    assert "did you mean" in str(raised.value)
    in_html = client.get(
        "/queries/grades",
        params={"force": "Atlantis Constabulary"},
        headers={"accept": "text/html"},
    )
    assert in_html.status_code == 400 and escape(str(raised.value)) in in_html.text


def test_an_unknown_query_is_404_with_close_names(client: TestClient) -> None:
    response = client.get("/queries/grade")
    assert response.status_code == 404
    message = response.json()["error"]["message"]
    assert "'grades'" in message and str(ROOT) not in message


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_per_node_with_its_facts_and_links(
    client: TestClient, store: Store, kind: str
) -> None:
    iri = _node(store, kind)
    page = _html(client.get(local_link(iri) or ""))
    assert f"<code>{iri}</code>" in page
    facts = store.rows(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    for fact in facts[:20]:
        if isinstance(fact["o"], Literal):
            assert escape(str(fact["o"])) in page
        elif (link := local_link(str(fact["o"]))) is not None:
            assert f'href="{escape(link)}"' in page
    links = [u for u in _Page(page).urls if u.startswith("/id/")]
    assert links
    for link in links[:3]:
        assert client.get(link).status_code == 200


def test_a_finding_page_shows_its_quote_in_its_paragraph(
    client: TestClient, store: Store, texts: dict[str, str]
) -> None:
    row = store.rows(QUOTED)[0]
    start, end = int(str(row["start"])), int(str(row["end"]))
    text = texts[str(row["path"])]
    assert text[start:end] == str(row["exact"])
    page = _html(client.get(local_link(str(row["node"])) or ""))
    assert f"<mark>{escape(str(row['exact']))}</mark>" in page
    # the force's page shows each mention inside the sentence around it
    force = _html(client.get("/id/force/northamptonshire-police"))
    quotes = re.findall(r"<blockquote>(.*?)<mark>(.*?)</mark>(.*?)</blockquote>", force, re.S)
    assert quotes and any(before.strip() or after.strip() for before, _, after in quotes)
    for before, exact, after in quotes:
        shown = unescape(before + exact + after)
        assert any(shown in t for t in texts.values())


@pytest.mark.parametrize(
    ("accept", "parser"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
     ("application/n-triples", "nt")],
)  # fmt: skip
def test_iris_resolve_to_rdf_for_rdf_clients(
    client: TestClient, store: Store, accept: str, parser: str
) -> None:
    iri = str(store.rows(QUOTED)[0]["node"])
    response = client.get(local_link(iri) or "", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.text, format=parser)
    facts = store.rows(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    assert len(graph) == len(facts) > 5
    assert set(graph.subjects()) == {URIRef(iri)}
    assert (URIRef(iri), RDF.type, vocab.PEEL.AreaForImprovement) in graph


def test_an_iri_the_graph_does_not_know_is_404(client: TestClient) -> None:
    for accept in ("text/html", "text/turtle"):
        response = client.get("/id/force/atlantis-police", headers={"accept": accept})
        assert response.status_code == 404 and "atlantis-police" in response.text
    assert client.get("/id/force/x", headers={"accept": "image/png"}).status_code == 406


def _crafted(root: Path) -> Store:
    """A graph of two findings: one whose text holds a <script>, its source under
    ``root``; one whose source path leads out of ``root``."""
    text = "Before <b>this</b>.\n\n<script>alert(1)</script> & after.\n\nNext."
    (root / "data").mkdir(parents=True)
    (root / "data" / "evil.txt").write_text(text, encoding="utf-8")
    (root.parent / "secret.txt").write_text("classified context TOPSECRET more", "utf-8")
    quote = "<script>alert(1)</script>"
    start = text.index(quote)

    def finding(name: str, exact: str, start: int, path: str) -> str:
        node = f"<{vocab.ID}finding/test/{name}>"
        span, q, p = (f"<{vocab.ID}finding/test/{name}#{s}>" for s in ("span", "q", "p"))
        source = f"<{vocab.ID}source/{name}>"
        return f"""{node} a <{vocab.PEEL}AreaForImprovement> ;
            <{vocab.PEEL}headline> {Literal(exact + " headline").n3()} ; <{vocab.PEEL}span> {span} .
          {span} <{vocab.OA}hasSource> {source} ; <{vocab.OA}hasSelector> {q}, {p} .
          {q} <{vocab.OA}exact> {Literal(exact).n3()} .
          {p} <{vocab.OA}start> {start} ; <{vocab.OA}end> {start + len(exact)} .
          {source} <{vocab.PEEL}path> "{path}" .
        """

    turtle = finding("evil", quote, start, "data/evil.txt") + finding(
        "outside", "TOPSECRET", 19, "../secret.txt"
    )
    graph = Graph().parse(data=turtle, format="turtle")
    return Store.from_nquads(graph.serialize(format="nt", encoding="utf-8"))


def test_report_text_is_escaped_and_sources_stay_in_their_folder(tmp_path: Path) -> None:
    root = tmp_path / "root"
    with TestClient(create_app(_crafted(root), root=root)) as crafted:
        page = _html(crafted.get("/id/finding/test/evil"))
        assert "<script>alert" not in page and "<b>this" not in page
        assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark> &amp; after." in page
        assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; headline</h1>" in page
        outside = _html(crafted.get("/id/finding/test/outside"))
        assert "<mark>TOPSECRET</mark>" in outside and "classified" not in outside
        assert "not at hand" in outside


@pytest.mark.parametrize(
    "path",
    [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/%2e%2e%2f%2e%2e%2fpaths.py",
        "/static/yasgui/%2e%2e/%2e%2e/pages.py",
        "/static//etc/passwd",
    ],
)
def test_no_file_outside_the_static_folder(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    assert "import" not in response.text and "root:" not in response.text


def test_static_files_are_served(client: TestClient) -> None:
    css = client.get("/static/site.css")
    assert css.status_code == 200 and css.text == (STATIC / "site.css").read_text("utf-8")
    assert client.get("/static/yasgui/LICENSE.txt").text.startswith("The MIT License")


def test_no_page_or_asset_names_an_external_url(client: TestClient, store: Store) -> None:
    pages = [
        "/", "/queries", "/editor", "/queries/grades?force=Northamptonshire&run=1",
        local_link(_node(store, "finding")) or "", "/queries/nosuch", "/brief",
        "/brief?force=Northamptonshire+Police",
        "/passage?file=data/000_82645b4a8ccb79df.txt&start=20&end=40",
        "/related?force=Northamptonshire+Police",
    ]  # fmt: skip
    for path in pages:
        response = client.get(path, headers={"accept": "text/html"})
        urls = _Page(response.text).urls
        assert urls, path
        assert all(u.startswith(("/", "#")) and not u.startswith("//") for u in urls), path
    for asset in ("site.css", "editor.js", "yasgui/yasgui.min.css"):
        text = (STATIC / asset).read_text("utf-8")
        assert all(u.startswith("data:") for u in re.findall(r"url\(\"?([^\")]*)", text))
    assert not re.search(r"https?://(?!w3id\.org/peel-kg/|www\.w3\.org/)", (
        STATIC / "editor.js").read_text("utf-8"))  # fmt: skip


def test_prefixes_for_the_editor(client: TestClient) -> None:
    assert client.get("/prefixes.json").json() == PREFIXES


def test_home_lists_every_force_inspected(client: TestClient, store: Store) -> None:
    forces = store.rows(
        HEAD + "SELECT DISTINCT ?force WHERE { ?i a peel:Inspection ; peel:force ?force }"
    )
    links = _Page(_html(client.get("/"))).urls
    assert forces
    assert {local_link(str(r["force"])) for r in forces} <= set(links)


class _Broken(Store):
    """A store whose every SELECT fails as a bug would."""

    def rows(self, query: str, bindings: object = None) -> list:  # type: ignore[override]
        raise RuntimeError("a bug, /secret/path in its traceback")


def test_a_bug_is_a_500_in_the_one_shape_without_its_traceback() -> None:
    with TestClient(create_app(_Broken()), raise_server_exceptions=False) as broken:
        response = broken.get("/")
    assert response.status_code == 500
    assert response.json()["error"]["status"] == 500
    assert "secret" not in response.text and "Traceback" not in response.text


def test_the_briefing_page_states_every_line_and_links_its_passages(
    client: TestClient, store: Store, texts: dict[str, str]
) -> None:
    made = build_briefing(store, "Northamptonshire Police")
    page = _html(client.get("/brief", params={"force": "Northants"}))
    assert f"<h1>{escape(briefing_title(made))}</h1>" in page
    lines = [line for _, section, _ in briefing_sections(made) for line in section]
    assert len(lines) > 10
    for line in lines:
        assert escape(line.text) in page
    passages = {s for line in lines for s in line.sources}
    shown = {u for u in _Page(page).urls if u.startswith("/passage?")}
    assert len(shown) == len(passages)
    for source in passages:
        params = {"file": source.file, "start": source.start, "end": source.end}
        marked = _html(client.get("/passage", params=params))
        exact = texts[source.file][source.start : source.end]
        assert f"<mark>{escape(exact)}</mark>" in marked


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"file": "../README.md", "start": "0", "end": "5"}, 404),
        ({"file": "data/manifest.toml", "start": "0", "end": "5"}, 404),
        ({"file": "/etc/passwd", "start": "0", "end": "5"}, 404),
        ({"file": "data/000_82645b4a8ccb79df.txt", "start": "5", "end": "99999999"}, 404),
        ({"file": "data/000_82645b4a8ccb79df.txt", "start": "x", "end": "5"}, 400),
    ],
)
def test_a_passage_is_one_of_a_source_of_the_graph(
    client: TestClient, params: dict[str, str], status: int
) -> None:
    response = client.get("/passage", params=params)
    assert response.status_code == status
    assert response.json()["error"]["status"] == status


def test_a_force_page_links_its_briefing(client: TestClient) -> None:
    page = _html(client.get("/id/force/northamptonshire-police"))
    assert 'href="/brief?force=Northamptonshire+Police"' in page


def test_the_gallery_reports_the_row_cap(store: Store) -> None:
    with TestClient(create_app(store, Limits(max_rows=3))) as capped:
        response = capped.get("/queries/grades", params=GRADES)
        download = capped.get("/queries/grades/results.csv", params=GRADES)
    for refused in (response, download):
        assert refused.status_code == 422
        message = refused.json()["error"]["message"]
        assert "more than 3 rows" in message and "peel-kg query run grades" in message
