"""`peel-kg serve`: the SPARQL 1.1 Protocol endpoint and its limits, driven with
Starlette's test client on the shipped corpus (kg.server)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic
from starlette.testclient import TestClient

from kg import vocab
from kg.cli import cli
from kg.paths import ROOT
from kg.server import Limits, create_app
from kg.server.app import SECURITY_HEADERS, start_message
from kg.server.http import RequestError, negotiate
from kg.server.protocol import is_federated, is_update
from kg.server.runner import Runner
from kg.sparql import PREFIXES, to_graph
from kg.store import Store

FORCES = (
    "SELECT DISTINCT ?force ?label WHERE { ?force a peel:Force ; rdfs:label ?label } "
    "ORDER BY ?label"
)
SRX = "{http://www.w3.org/2005/sparql-results#}"
#: A query counting millions of solutions: about a second on the shipped corpus.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?t . ?b a peel:Judgment . ?c a peel:Judgment }"


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as test_client:
        yield test_client


def _forces(store: Store) -> list[tuple[str, str]]:
    return [(str(r["force"]), str(r["label"])) for r in store.rows(_prefixed(FORCES))]


def _prefixed(text: str) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + text


def _bindings(body: bytes) -> list[tuple[str, str]]:
    doc = json.loads(body)
    return [(b["force"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"]]


def _error(response: object, status: int) -> str:
    """The message of an error answer, checking its one shape and status."""
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert body["error"]["message"]
    return str(body["error"]["message"])


def test_get_answers_what_the_store_answers(client: TestClient, store: Store) -> None:
    expected = _forces(store)
    response = client.get("/sparql", params={"query": FORCES})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert _bindings(response.content) == expected
    assert len(expected) > 40  # the reference data's forces, the prefixes predeclared


def test_post_form_and_post_body(client: TestClient, store: Store) -> None:
    expected = _forces(store)
    form = client.post("/sparql", data={"query": FORCES})
    body = client.post(
        "/sparql", content=FORCES, headers={"content-type": "application/sparql-query"}
    )
    assert _bindings(form.content) == expected
    assert _bindings(body.content) == expected


def _rows_of(media: str, body: bytes) -> list[tuple[str, str]]:
    text = body.decode("utf-8")
    if media.endswith("xml"):
        results = ET.fromstring(body).iter(f"{SRX}result")
        return [
            tuple(b.findtext("*") or "" for b in r.iter(f"{SRX}binding"))  # type: ignore[misc]
            for r in results
        ]
    if media == "text/csv":
        return [(r[0], r[1]) for r in list(csv.reader(io.StringIO(text)))[1:]]
    if media == "text/tab-separated-values":  # terms in N-Triples syntax
        lines = text.rstrip("\n").split("\n")[1:]
        return [(f.strip("<>"), lab.strip('"')) for f, lab in (li.split("\t") for li in lines)]
    return _bindings(body)


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "text/csv;q=0.5, application/sparql-results+xml",
        "*/*",
    ],
)
def test_select_content_negotiation(client: TestClient, store: Store, accept: str) -> None:
    response = client.get("/sparql", params={"query": FORCES}, headers={"accept": accept})
    assert response.status_code == 200
    media = response.headers["content-type"].split(";")[0]
    assert media == negotiate(accept, ["application/sparql-results+json",
                                       "application/sparql-results+xml", "text/csv",
                                       "text/tab-separated-values"])  # fmt: skip
    assert _rows_of(media, response.content) == _forces(store)


def test_ask_answers_json_and_xml(client: TestClient) -> None:
    ask = "ASK { ?j a peel:Judgment }"
    assert client.get("/sparql", params={"query": ask}).json() == {"head": {}, "boolean": True}
    xml = client.get(
        "/sparql", params={"query": ask}, headers={"accept": "application/sparql-results+xml"}
    )
    assert ET.fromstring(xml.content).findtext(f"{SRX}boolean") == "true"


@pytest.mark.parametrize(
    ("accept", "parser"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
     ("application/n-triples", "nt"), (None, "turtle")],
)  # fmt: skip
def test_construct_content_negotiation(
    client: TestClient, store: Store, accept: str | None, parser: str
) -> None:
    query = (
        "CONSTRUCT { ?f a peel:Force ; rdfs:label ?l } WHERE { ?f a peel:Force ; rdfs:label ?l }"
    )
    headers = {"accept": accept} if accept else {}
    response = client.post("/sparql", data={"query": query}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == (accept or "text/turtle")
    got = Graph().parse(data=response.text, format=parser)
    expected = to_graph(store.run(query, PREFIXES))
    assert len(got) == len(expected) > 80 and isomorphic(got, expected)


def test_unsupported_accept_is_406(client: TestClient) -> None:
    message = _error(
        client.get("/sparql", params={"query": FORCES}, headers={"accept": "image/png"}), 406
    )
    assert "text/csv" in message
    construct = "CONSTRUCT WHERE { ?f a peel:Force }"
    graph = client.get("/sparql", params={"query": construct}, headers={"accept": "text/csv"})
    assert "text/turtle" in _error(graph, 406)


@pytest.mark.parametrize(
    "request_args",
    [
        {"method": "GET", "params": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": {"update": "DROP ALL"}},
        {"method": "POST", "content": "CLEAR DEFAULT",
         "headers": {"content-type": "application/sparql-update"}},
        {"method": "GET", "params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"method": "POST",
         "data": {"query": "PREFIX x: <urn:x#>\n# a comment\nDELETE WHERE { ?s ?p ?o }"}},
        {"method": "POST", "content": "LOAD <file:///etc/passwd>",
         "headers": {"content-type": "application/sparql-query"}},
        {"method": "GET", "params": {"query": "  create graph <urn:g>"}},
    ],
)  # fmt: skip
def test_updates_are_refused(client: TestClient, store: Store, request_args: dict) -> None:
    size = len(store)
    method = request_args.pop("method")
    response = client.request(method, "/sparql", **request_args)
    assert "read-only" in _error(response, 403)
    assert len(store) == size


GRAPH_STORE_PATHS = [
    "/sparql",
    "/sparql?graph=urn:x:g",
    "/sparql?default",
    "/id/force/northamptonshire-police",
    "/id/force/northamptonshire-police?graph=urn:x:g",
    "/?default",
    "/queries/grades?graph=urn:x:g",
    "/static/style.css?default",
]


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", GRAPH_STORE_PATHS)
def test_graph_store_writes_are_refused(
    client: TestClient, store: Store, method: str, path: str
) -> None:
    """A SPARQL 1.1 Graph Store Protocol write, on any path: 405 (no such method there),
    or 403 for a POST of RDF to the endpoint."""
    size = len(store)
    triple = "<urn:x:s> <urn:x:p> <urn:x:o> ."
    response = client.request(method, path, content=triple,
                              headers={"content-type": "text/turtle"})  # fmt: skip
    if method == "POST" and path.startswith("/sparql"):
        assert _error(response, 403) == (
            "this server is read-only: Graph Store Protocol writes are refused"
        )
    else:
        assert _error(response, 405) == f"{method} is not allowed on {path.partition('?')[0]}"
    assert len(store) == size
    assert not store.ask("ASK { GRAPH ?g { <urn:x:s> ?p ?o } }")


@pytest.mark.parametrize(
    "name",
    ["grades.rq", "grades%2Erq", "..%2F..%2Fpyproject", "%2Fetc%2Fpasswd", "..%2Fqueries%2Fgrades"],
)
def test_the_gallery_takes_a_query_name_never_a_path(client: TestClient, name: str) -> None:
    response = client.get(f"/queries/{name}")
    message = _error(response, 404)
    assert "summary:" not in response.text and "[project]" not in response.text
    if "%2F" not in name:  # one segment: a name that is no query's
        assert "did you mean 'grades'" in message and "/queries lists them all" in message


def test_update_words_inside_a_query_are_not_an_update() -> None:
    assert not is_update('PREFIX p: <urn:insert#>\nSELECT ("DELETE" AS ?x) WHERE {}')
    assert is_update("BASE <urn:b>\nPREFIX a: <urn:a#> # INSERT? no\nWITH <urn:g> DELETE {}")


def test_federated_queries_are_refused(client: TestClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:8799/sparql> { ?s ?p ?o } }"
    assert "SERVICE" in _error(client.get("/sparql", params={"query": query}), 403)
    assert is_federated("SELECT * { ?s ?p ?o . service silent <urn:x> { } }")


def test_the_word_service_elsewhere_is_not_a_federated_query(client: TestClient) -> None:
    query = """SELECT DISTINCT ?service WHERE {  # a SERVICE in a comment
      ?service a peel:Force ; rdfs:label ?label .
      FILTER(CONTAINS(?label, "Police Service") || ?service = <urn:SERVICE>
             || ?label = '''SERVICE''' || ?label = 'a \\' SERVICE')
    }"""
    assert not is_federated(query)
    response = client.get("/sparql", params={"query": query})
    bindings = response.json()["results"]["bindings"]
    assert {b["service"]["value"] for b in bindings} == {
        f"{vocab.ID}force/metropolitan-police-service"
    }


def test_row_cap_is_reported(store: Store) -> None:
    cap = len(_forces(store)) - 1
    with TestClient(create_app(store, Limits(max_rows=cap))) as capped:
        message = _error(capped.get("/sparql", params={"query": FORCES}), 422)
        assert f"more than {cap} rows" in message and f"LIMIT {cap}" in message
        limited = capped.get("/sparql", params={"query": f"{FORCES} LIMIT {cap}"})
        assert len(_bindings(limited.content)) == cap


def test_timeout_is_reported(store: Store) -> None:
    started = time.monotonic()
    with TestClient(create_app(store, Limits(timeout=0.05))) as hurried:
        message = _error(hurried.get("/sparql", params={"query": SLOW}), 503)
    assert "timeout of 0.05 s" in message
    assert time.monotonic() - started < 0.8  # answered at the timeout, not when done


def test_runner_refuses_when_every_slot_is_held() -> None:
    runner = Runner(Limits(timeout=0.2, workers=1))

    async def both() -> list[BaseException | None]:
        results = await asyncio.gather(
            runner.call(lambda: time.sleep(0.6)),
            runner.call(lambda: "second"),
            return_exceptions=True,
        )
        return [r if isinstance(r, BaseException) else None for r in results]

    first, second = asyncio.run(both())
    assert isinstance(first, RequestError) and "ran longer" in first.message
    assert isinstance(second, RequestError) and "busy" in second.message
    assert first.status == second.status == 503


def test_query_and_body_limits(store: Store) -> None:
    limits = Limits(max_query_length=200, max_body=300)
    with TestClient(create_app(store, limits)) as small:
        long_query = FORCES + " #" + "x" * 200
        assert "limit of 200" in _error(small.get("/sparql", params={"query": long_query}), 413)
        body = "query=" + "y" * 400
        response = small.post(
            "/sparql", content=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert "300 bytes" in _error(response, 413)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/sparql", {}, 400),
        ("GET", "/sparql", {"params": {"query": "SELECT ?x WHERE { ?x a peel:Force"}}, 400),
        ("GET", "/sparql", {"params": {"query": FORCES, "default-graph-uri": "urn:g"}}, 400),
        ("POST", "/sparql", {"content": FORCES, "headers": {"content-type": "text/plain"}}, 415),
        ("PUT", "/sparql", {"content": "x"}, 405),
        ("GET", "/no/such/page", {}, 404),
    ],
)
def test_errors_share_one_shape(
    client: TestClient, method: str, path: str, kwargs: dict, status: int
) -> None:
    response = client.request(method, path, **kwargs)
    _error(response, status)
    for header, value in SECURITY_HEADERS.items():
        assert response.headers[header] == value


def test_syntax_error_names_line_and_column(client: TestClient) -> None:
    query = "SELECT ?x WHERE {\n  ?x a peel:Force"
    assert "line 2" in _error(client.get("/sparql", params={"query": query}), 400)


def test_start_message_says_who_can_reach_it() -> None:
    assert "only this machine" in start_message("127.0.0.1", 8000)
    assert "no authentication" in start_message("0.0.0.0", 8000)


def test_cli_serve_starts_the_app_with_its_limits(
    built: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "peel.nq"
    data.write_bytes(built.dataset.serialize(format="nquads", encoding="utf-8"))  # type: ignore[attr-defined]
    started: list[tuple[Store, str, int, Limits, float]] = []
    monkeypatch.setattr("kg.server.serve", lambda *args: started.append(args))
    result = CliRunner().invoke(
        cli, ["serve", "--data", str(data), "--port", "8123", "--timeout", "3", "--max-rows", "7"]
    )
    assert result.exit_code == 0, result.output
    ((store, host, port, limits, cache_mb),) = started
    assert (host, port, limits.timeout, limits.max_rows) == ("127.0.0.1", 8123, 3.0, 7)
    assert cache_mb == 64.0
    assert len(store) == len(Store.from_file(data))
    assert "only this machine" in result.output
    missing = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path / "none.nq")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_cli_serve_with_workers_leaves_the_store_to_them(
    built: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "peel.nq"
    data.write_bytes(built.dataset.serialize(format="nquads", encoding="utf-8"))  # type: ignore[attr-defined]
    disk = tmp_path / "store"
    Store.fill_disk(disk, data)  # closed at once: nothing holds it
    started: list[tuple[object, ...]] = []
    monkeypatch.setattr("kg.server.app.serve_workers", lambda *args: started.append(args))
    for store in (f"oxigraph:{disk}", str(data)):
        args = ["serve", "--store", store, "--workers", "3", "--cache-mb", "0"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    assert [(str(a[0]), a[1], a[5]) for a in started] == [
        (f"oxigraph:{disk}", 3, 0.0),
        (str(data), 3, 0.0),
    ]
    for missing in (str(tmp_path / "none.nq"), f"oxigraph:{tmp_path / 'none'}"):
        result = CliRunner().invoke(cli, ["serve", "--store", missing, "--workers", "2"])
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert len(started) == 2


def test_serve_has_help_and_is_in_the_readme() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    usage = (
        r"peel-kg serve [--data FILE \| --store SPEC] [--host 127.0.0.1] [--port 8000] "
        "[--timeout S] [--max-rows N] [--workers N] [--cache-mb MB]"
    )
    assert usage in readme
    options = ("--data", "--store", "--host", "--port", "--timeout", "--max-rows", "--workers")
    for option in (*options, "--cache-mb"):
        assert option in result.output
