"""`peel-kg serve`'s related-findings page (/related, kg.server.related) and its answer
cache (kg.server.cache): the page answers under the server's policy with no inline script
and no external URL, links its nodes to their pages, and a filter narrows it."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from kg import vocab
from kg.errors import InputError
from kg.export import union
from kg.paths import ROOT
from kg.pipeline import BuildResult
from kg.related import related_graph
from kg.resolve import to_force
from kg.server import Limits, create_app
from kg.server.app import SECURITY_HEADERS
from kg.server.cache import AnswerCache
from kg.server.http import RequestError
from kg.server.related import VIZ_ASSETS, RelatedPages
from kg.server.runner import Runner
from kg.store import Store
from kg.viz.page import SCRIPTS, STYLE

FORCE = "Northamptonshire Police"


class _Page(HTMLParser):
    """A page's src and href attributes, its inline scripts and styles, and its data."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self.data = ""
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v is not None]
        if "style" in found:
            self.inline.append(f"style attribute on <{tag}>")
        self._in = None
        if tag == "script" and found.get("type") == "application/json":
            self._in = "data"
        elif tag == "script" and "src" not in found or tag == "style":
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "data":
            self.data += data
        elif self._in and data.strip():
            self.inline.append(f"<{self._in}>")


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as test_client:
        yield test_client


def _related(client: TestClient, query: str = "") -> _Page:
    response = client.get(f"/related{query}", headers={"accept": "text/html"})
    assert response.status_code == 200, response.text[:300]
    assert (
        response.headers["content-security-policy"] == (SECURITY_HEADERS["content-security-policy"])
    )
    return _Page(response.text)


def test_the_page_draws_the_graph_of_the_store(client: TestClient, built: BuildResult) -> None:
    page = _related(client)
    data = json.loads(page.data)
    graph = related_graph(union(built.dataset))
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    assert len(data["edges"]) == graph.number_of_edges()


def test_the_page_runs_under_the_servers_policy(client: TestClient) -> None:
    page = _related(client)
    assert page.inline == []  # no inline script or style: the policy forbids them
    assert all(u.startswith("/") and not u.startswith("//") for u in page.urls), page.urls
    wanted = [f"/static/viz/{name}" for name in (STYLE, *SCRIPTS)]
    assert [u for u in page.urls if u.startswith("/static/")] == wanted
    for name in (STYLE, *SCRIPTS):
        served = client.get(f"/static/viz/{name}")
        assert served.status_code == 200
        assert served.text == (VIZ_ASSETS / name).read_text(encoding="utf-8")


def test_every_finding_links_to_its_page_and_its_passage(
    client: TestClient, built: BuildResult
) -> None:
    data = json.loads(_related(client, f"?force={FORCE}").data)
    expected = related_graph(union(built.dataset), force=FORCE)
    assert {n["id"] for n in data["nodes"]} == set(expected.nodes)
    findings = [n for n in data["nodes"] if n["kind"] == "finding"]
    assert findings
    for node in findings:
        assert node["page"] == "/id/" + node["id"].removeprefix(str(vocab.ID))
    quoted = next(n for n in findings if "href" in n)
    assert quoted["href"].startswith("/passage?file=")
    finding = client.get(quoted["page"], headers={"accept": "text/html"})
    assert finding.status_code == 200 and quoted["headline"] in finding.text
    passage = client.get(quoted["href"], headers={"accept": "text/html"})
    assert passage.status_code == 200 and "<mark" in passage.text


def test_a_filter_narrows_the_page(client: TestClient, built: BuildResult) -> None:
    whole = json.loads(_related(client).data)
    page = _related(client, f"?force={FORCE}&assessment=2025-27")
    narrowed = json.loads(page.data)
    expected = related_graph(union(built.dataset), force=FORCE, assessment="2025-27")
    assert {n["id"] for n in narrowed["nodes"]} == set(expected.nodes)
    assert 0 < len(narrowed["nodes"]) < len(whole["nodes"])


def test_a_filter_that_names_nothing_is_a_400(client: TestClient) -> None:
    response = client.get("/related?force=Atlantis+Constabulary")
    assert response.status_code == 400
    assert "Atlantis" in response.json()["error"]["message"]


def test_a_filter_from_the_request_is_escaped(client: TestClient) -> None:
    response = client.get("/related?theme=<script>x</script>", headers={"accept": "text/html"})
    assert response.status_code == 400
    assert "<script>x" not in response.text and "&lt;script&gt;x" in response.text


class _Counting:
    """A store that counts the queries it runs."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.runs = 0

    def run(self, *args: Any, **kwargs: Any) -> Any:
        self.runs += 1
        return self.inner.run(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.parametrize("cache_mb", [64.0, 0.0])
def test_an_answer_is_kept_for_the_next_request_that_asks_the_same(
    store: Store, cache_mb: float
) -> None:
    counting = _Counting(store)
    with TestClient(create_app(counting, cache_mb=cache_mb)) as test_client:  # type: ignore[arg-type]
        path = f"/queries/grades/results.json?force={FORCE}"
        answers = [test_client.get(path) for _ in range(3)]
        sparql = [test_client.get("/sparql?query=ASK {}") for _ in range(2)]
        other = test_client.get(f"/queries/grades/results.csv?force={FORCE}")
    assert all(a.status_code == 200 and a.content == answers[0].content for a in answers)
    assert json.loads(answers[0].content)["results"]["bindings"]
    assert all(s.json() == {"head": {}, "boolean": True} for s in sparql)
    assert other.status_code == 200 and other.text.startswith("force,")
    # kept: one run each for the JSON, the ASK and the CSV; else one a request
    assert counting.runs == (3 if cache_mb else 6)


def test_the_cache_drops_the_least_recently_used_and_keeps_no_large_answer() -> None:
    cache = AnswerCache(400)
    cache.put("a", b"1", 100)
    cache.put("b", b"2", 100)
    assert cache.get("a") == b"1"  # now b is the least recently used
    cache.put("c", b"3", 100)
    cache.put("d", b"4", 100)
    cache.put("e", b"5", 100)
    assert cache.get("b") is None and cache.get("a") == b"1" and cache.get("e") == b"5"
    cache.put("big", b"x", 101)  # over a quarter of the cache
    assert cache.get("big") is None
    nothing = AnswerCache(0)
    nothing.put("a", b"1", 1)
    assert nothing.get("a") is None and len(nothing) == 0


def test_a_forces_page_reads_that_forces_part_of_the_store(built: BuildResult) -> None:
    store = Store.from_nquads(built.dataset.serialize(format="nquads", encoding="utf-8"))
    northants, kent = to_force("Northamptonshire Police"), to_force("Kent Police")
    force = ox.NamedNode(str(vocab.force))
    # a copy of one report's graph, said to be Kent's: another force's part
    source = next(
        q.graph_name for q in store._store.quads_for_pattern(None, force, None) if
        q.graph_name.value.removeprefix(str(vocab.GRAPH)) not in ("links", "entities")
    )  # fmt: skip
    copy = ox.NamedNode(source.value + "-kent")
    for q in list(store._store.quads_for_pattern(None, None, None, source)):
        obj = ox.NamedNode(str(kent)) if q.predicate == force else q.object
        store._store.add(ox.Quad(q.subject, q.predicate, obj, copy))
    pages = RelatedPages(store, Runner(Limits()), ROOT)
    own, iri = pages.force_union("Northamptonshire")
    other, other_iri = pages.force_union("Kent")
    assert (iri, other_iri) == (str(northants), str(kent))
    assert (None, vocab.force, kent) not in own and (None, vocab.force, northants) in own
    assert (None, vocab.force, kent) in other
    assert len(other) < len(pages.union())
    with pytest.raises(InputError, match="Atlantis"):
        pages.force_union("Atlantis Constabulary")


def test_an_answer_that_comes_after_the_timeout_is_kept_for_the_next_request() -> None:
    runner = Runner(Limits(timeout=0.1), AnswerCache(1000))

    def slow() -> bytes:
        time.sleep(0.4)
        return b"late"

    async def ask_twice() -> bytes:
        with pytest.raises(RequestError) as refused:
            await runner.cached("key", slow, len)
        assert refused.value.status == 503
        deadline = time.monotonic() + 10
        while runner.cache.get("key") is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return await runner.cached("key", lambda: b"asked again", len)

    assert asyncio.run(ask_twice()) == b"late"


def test_requests_asking_the_same_at_once_share_one_run() -> None:
    runner = Runner(Limits(timeout=10), AnswerCache(1000))
    runs: list[int] = []

    def slow() -> bytes:
        runs.append(1)
        time.sleep(0.3)
        return b"answer"

    def failing() -> bytes:
        runs.append(1)
        time.sleep(0.3)
        raise RequestError(422, "too many rows")

    async def ask(work: Any, times: int) -> list[Any]:
        asked = [runner.cached(("k", work.__name__), work, len) for _ in range(times)]
        return await asyncio.gather(*asked, return_exceptions=True)

    assert asyncio.run(ask(slow, 5)) == [b"answer"] * 5 and len(runs) == 1
    errors = asyncio.run(ask(failing, 3))
    assert [e.status for e in errors] == [422] * 3 and len(runs) == 2  # not kept
    assert asyncio.run(ask(failing, 1))[0].status == 422 and len(runs) == 3
