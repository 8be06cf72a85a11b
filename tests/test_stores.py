"""The three stores behind one interface: the built files, an on-disk Oxigraph store
(``oxigraph:PATH``, filled by ``build --store``) and a real Oxigraph server (``sparql:URL``,
loaded by ``push``) give every canned query the same rows; push checks what the server
holds; credentials come from the environment; an endpoint that fails is exit 2.

The server is the ``oxigraph`` command of the PyPI package ``oxigraph`` (the test extra),
started WITHOUT ``--union-default-graph``: its default graph is the unnamed graph alone,
empty here (checked below), so the rows agree only because kg.remote states the dataset.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import URIRef

from kg.cli import cli
from kg.errors import StoreError, UsageError
from kg.paths import ROOT
from kg.push import PushResult, graph_store_url, push
from kg.queries import CannedQuery, list_queries, run_query
from kg.remote import PASSWORD_ENV, USER_ENV, SparqlStore, put_graph
from kg.store import GraphStore, Store
from kg.stores import STORE_ENV, fill, open_graph, parse_spec
from tests.servers import free_port

# rdflib's N-Quads parser uses its own deprecated names.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
_oxigraph = str(OXIGRAPH) if OXIGRAPH.exists() else shutil.which("oxigraph")


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """An Oxigraph server on a free port of 127.0.0.1 storing in ``location``, without a
    union default graph; yields its query endpoint; always stopped after."""
    if _oxigraph is None:  # the test extra installs it; CI must run these tests
        missing = "the oxigraph server is not installed: pip install oxigraph"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    port = free_port()
    process = subprocess.Popen(
        [_oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/query"
        ask = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        for _ in range(200):
            try:
                with urllib.request.urlopen(ask, timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"the oxigraph server stopped at once (exit {process.returncode})")
                time.sleep(0.05)
        else:
            pytest.fail("the oxigraph server did not answer within 10 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped corpus built once with ``build --store oxigraph:PATH``: the output
    folder (the built files) and the on-disk store."""
    root = tmp_path_factory.mktemp("stores")
    folder, disk = root / "out", root / "oxigraph"
    args = ["build", "--out", str(folder), "--store", f"oxigraph:{disk}"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    quads = len(Store.from_file(folder / "peel.nq"))
    assert f"loaded {quads} quads into oxigraph:{disk}" in result.output
    return folder, disk


@pytest.fixture(scope="module")
def server(out: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server, loaded with the built corpus by ``peel-kg push``."""
    with oxigraph_server(tmp_path_factory.mktemp("server")) as url:
        result = CliRunner().invoke(cli, ["push", "--endpoint", url, "--data", str(out[0])])
        assert result.exit_code == 0, result.output
        yield url


@pytest.fixture(scope="module")
def backends(out: tuple[Path, Path], server: str) -> dict[str, GraphStore]:
    """The three stores, opened as the commands open them."""
    folder, disk = out
    return {
        "files": open_graph(data=folder / "peel.nq"),
        "oxigraph": open_graph(f"oxigraph:{disk}"),
        "sparql": open_graph(f"sparql:{server}"),
    }


def _asked(query: CannedQuery) -> list[tuple[str, dict[str, str]]]:
    """How a query is asked: with its parameters' examples (as
    test_query_catalogue.test_every_query_answers_its_examples_on_the_shipped_corpus asks
    them) and, where no parameter is required, with none (the defaults)."""
    examples = {p.name: p.example for p in query.parameters if p.example is not None}
    asked = [("examples", examples)]
    if not any(p.required for p in query.parameters) and examples:
        asked.append(("defaults", {}))
    return asked


CASES = [(q, how, params) for q in list_queries() for how, params in _asked(q)]


_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\(.*?;\s*separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)', re.I | re.S
)
_ORDER = re.compile(r"^ORDER BY (.+)$", re.M)


def _rows(store: GraphStore, query: CannedQuery, params: dict[str, str]) -> list[tuple[Any, ...]]:
    """The rows of a canned query as tuples of plain values: a blank node's label dropped
    (each store names blank nodes its own way), and the parts of a GROUP_CONCAT sorted
    (their order is unspecified, SPARQL 1.1 §18.5.1.7: Oxigraph's in memory and on disk
    differ)."""
    doc = json.loads(run_query(store, query, params, "json"))
    names = doc["head"]["vars"]
    concat = {var: sep for sep, var in _CONCAT.findall(query.text)}

    def plain(name: str, term: dict[str, str] | None) -> tuple[str, ...] | None:
        if term is None:
            return None
        value = "_:" if term["type"] == "bnode" else term["value"]
        if concat.get(name):
            value = concat[name].join(sorted(value.split(concat[name])))
        return (value, term.get("datatype", ""), term.get("xml:lang", ""))

    return [tuple(plain(n, b.get(n)) for n in names) for b in doc["results"]["bindings"]]


def _order_keys(query: CannedQuery) -> list[int] | None:
    """The columns of the query's final ORDER BY when every key is a result variable (ASC
    or DESC): rows tied on every key may come in any order. None when a key is not a
    result variable (the rows must then come in the same order, ties and all)."""
    found = _ORDER.findall(query.text)
    keys: list[int] = []
    for key in found[-1].split() if found else []:
        name = re.fullmatch(r"(?:(?:ASC|DESC)\()?\?(\w+)\)?", key, re.I)
        if not name or name.group(1) not in query.variables:
            return None
        keys.append(query.variables.index(name.group(1)))
    return keys


@pytest.mark.parametrize(
    ("query", "how", "params"), CASES, ids=[f"{q.name}-{how}" for q, how, _ in CASES]
)
def test_every_canned_query_gives_the_same_rows_on_every_store(
    backends: dict[str, GraphStore], query: CannedQuery, how: str, params: dict[str, str]
) -> None:
    found = {name: _rows(store, query, params) for name, store in backends.items()}
    files = found.pop("files")
    assert files or "checks" in query.tags, f"no rows for {params}: nothing is compared"
    keys = _order_keys(query)
    for name, rows in found.items():
        assert sorted(rows, key=repr) == sorted(files, key=repr), f"{name} differs"
        if keys is None:
            assert rows == files, f"{name} orders the rows otherwise"
        else:
            ordered = [[r[k] for k in keys] for r in rows]
            assert ordered == [[r[k] for k in keys] for r in files], f"{name} orders otherwise"


def test_no_canned_query_depends_on_a_merged_default_graph(
    backends: dict[str, GraphStore],
) -> None:
    """A server that merges the dataset's graphs (a triple stated in two graphs once, as
    RDF merge makes it) gives every canned query the same rows as Oxigraph's union (the
    triple twice): simulated with every triple in one graph."""
    files = backends["files"]
    assert isinstance(files, Store)
    merged, one = Store(), ox.NamedNode("https://example.org/merged")
    merged.oxigraph.extend(ox.Quad(q.subject, q.predicate, q.object, one) for q in files.oxigraph)
    assert len(merged) < len(files)  # some triples are stated in two graphs
    for query, _, params in CASES:
        expected = sorted(_rows(files, query, params), key=repr)
        assert sorted(_rows(merged, query, params), key=repr) == expected, query.name


def test_the_server_s_default_graph_is_not_the_union(server: str) -> None:
    """Without the dataset kg.remote states, the server's default graph is empty: the
    equality above owes nothing to a union default graph."""
    body = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    request = urllib.request.Request(server, data=body.encode(), method="POST")
    request.add_header("Accept", "application/sparql-results+json")
    with urllib.request.urlopen(request) as response:
        doc = json.loads(response.read())
    assert doc["results"]["bindings"][0]["n"]["value"] == "0"
    assert len(SparqlStore(server)) > 0


def test_every_store_holds_the_same_quads_and_graphs(backends: dict[str, GraphStore]) -> None:
    files = backends["files"]
    assert len(files) > 0 and files.graph_names()
    for store in backends.values():
        assert len(store) == len(files)
        assert store.graph_names() == files.graph_names()


def test_ask_and_construct_agree_on_every_store(backends: dict[str, GraphStore]) -> None:
    ask = "ASK { ?f a <https://w3id.org/peel-kg/ontology#Force> }"
    construct = "CONSTRUCT WHERE { ?f a <https://w3id.org/peel-kg/ontology#Force> }"
    forces = {str(t) for t in backends["files"].construct(construct)}
    assert forces
    bound = "SELECT ?f ?class WHERE { ?f a ?class }"
    kind = {"class": URIRef("https://w3id.org/peel-kg/ontology#Force")}
    found = sorted(str(r["f"]) for r in backends["files"].rows(bound, kind))
    # a force typed in two graphs comes twice from the union, on every store alike
    assert len(found) > len(set(found))
    assert sorted(set(found)) == sorted(
        {t.subject.value for t in backends["files"].construct(construct)}
    )
    for store in backends.values():
        assert store.ask(ask) is True
        assert {str(t) for t in store.construct(construct)} == forces
        assert sorted(str(r["f"]) for r in store.rows(bound, kind)) == found


@pytest.mark.parametrize("kind", ["oxigraph", "sparql"])
def test_commands_read_the_store_given_by_store_or_the_environment(
    out: tuple[Path, Path], server: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, disk = out
    spec = f"oxigraph:{disk}" if kind == "oxigraph" else f"sparql:{server}"
    runner = CliRunner()
    args = ["query", "run", "grades", "--param", "force=Northants", "--format", "csv"]
    expected = runner.invoke(cli, [*args, "--data", str(folder)])
    assert expected.exit_code == 0 and "Northamptonshire Police" in expected.output
    assert runner.invoke(cli, [*args, "--store", spec]).output == expected.output
    monkeypatch.setenv(STORE_ENV, spec)
    assert runner.invoke(cli, args).output == expected.output
    if kind == "sparql":  # the related graph, asked of the server, is the file's
        central = ["related", "central", "--n", "3"]
        found = runner.invoke(cli, [*central, "--store", spec])
        assert found.exit_code == 0 and "centrality" in found.output
        assert found.output == runner.invoke(cli, [*central, "--data", str(folder)]).output
        # with a force, its part of the store (kg.related_source.force_part), asked of it
        central += ["--force", "Northants"]
        part = runner.invoke(cli, [*central, "--store", spec])
        assert part.exit_code == 0 and part.output.endswith("(3 rows)\n"), part.output
        assert part.output == runner.invoke(cli, [*central, "--data", str(folder)]).output


def test_store_and_data_together_are_a_usage_error(out: tuple[Path, Path]) -> None:
    folder, disk = out
    args = ["query", "run", "grades", "--store", f"oxigraph:{disk}", "--data", str(folder)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "give --store or --data, not both" in result.output


def test_a_folder_that_is_no_oxigraph_store_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "run", "grades", "--store", f"oxigraph:{tmp_path}"])
    assert result.exit_code == 2
    assert f"{tmp_path}: no Oxigraph store here" in result.output
    with pytest.raises(UsageError, match="not an Oxigraph store"):
        fill(f"oxigraph:{tmp_path}", tmp_path / "notes.txt")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_store_held_by_a_writer_is_opened_read_only(
    out: tuple[Path, Path], backends: dict[str, GraphStore]
) -> None:
    held = backends["oxigraph"]  # opened first: it holds the write lock, as `serve` would
    reader = Store.open_disk(out[1])
    assert len(reader) == len(held) > 0
    with pytest.raises(StoreError, match="another process has it open"):
        Store.fill_disk(out[1], out[0] / "peel.nq")
    assert len(reader) == len(held)


def test_build_refuses_to_fill_the_built_files_before_building(tmp_path: Path) -> None:
    args = ["build", "--out", str(tmp_path / "out"), "--store", str(tmp_path / "peel.nq")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "the built files are written by every build" in result.output
    assert not (tmp_path / "out").exists()


def test_parse_spec() -> None:
    assert parse_spec("out/peel.nq").kind == "files"
    assert parse_spec("oxigraph:/data/kg").target == "/data/kg"
    assert parse_spec("sparql:http://h:7878/query").target == "http://h:7878/query"
    with pytest.raises(UsageError, match="names no URL"):
        parse_spec("sparql:")


# --- push --------------------------------------------------------------------


class Recorder(BaseHTTPRequestHandler):
    """A tiny HTTP server's handler: records each request (method, path, headers, body)
    and answers with the class's ``answer`` (status, content type, body)."""

    seen: list[dict[str, Any]]
    answer: tuple[int, str, bytes] = (204, "text/plain", b"")

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.seen.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers),
                "body": self.rfile.read(length),
            }
        )
        status, media, body = self.answer
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _record

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@contextlib.contextmanager
def recorder(answer: tuple[int, str, bytes]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A Recorder on a free port of 127.0.0.1; yields its URL and what it records."""
    seen: list[dict[str, Any]] = []
    handler = type("Handler", (Recorder,), {"seen": seen, "answer": answer})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


G = "https://example.org/graph/one"


def _graph_file(folder: Path, triples: int) -> Path:
    path = folder / f"g{triples}.nq"
    lines = [
        f'<https://example.org/s{i}> <https://example.org/p> "{i}" <{G}> .\n'
        for i in range(triples)
    ]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_push_fails_when_a_graph_s_count_on_the_server_differs(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "db") as endpoint:
        assert push(_graph_file(tmp_path, 3), endpoint).counts == {G: 3}
        # a graph store that accepts a graph of four and keeps nothing: the server still
        # holds the three triples pushed before
        with recorder((204, "text/plain", b"")) as (store, seen):
            result = CliRunner().invoke(
                cli,
                ["push", "--endpoint", endpoint, "--graph-store", store + "/store",
                 "--data", str(_graph_file(tmp_path, 4))],
            )  # fmt: skip
    assert [r["method"] for r in seen] == ["PUT"]
    assert seen[0]["path"] == "/store?" + urllib.parse.urlencode({"graph": G})
    assert seen[0]["body"].count(b"\n") == 4
    assert result.exit_code == 2
    assert f"<{G}>: 4 triples in the file, 3 on the server" in result.output


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, "analyst")
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    basic = "Basic " + base64.b64encode(b"analyst:s3cret").decode()
    results = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": [
        {"g": {"type": "uri", "value": G}}]}}).encode()  # fmt: skip
    with recorder((200, "application/sparql-results+json", results)) as (url, seen):
        assert SparqlStore(url + "/query").graph_names() == [G]
        SparqlStore(url + "/query").rows("SELECT ?g WHERE { ?s ?p ?g }")
        put_graph(url + "/store", G, b"")
    assert [r["headers"].get("Authorization") for r in seen] == [basic] * len(seen)
    assert {r["method"] for r in seen} == {"POST", "PUT"}
    asked = urllib.parse.parse_qs(seen[2]["body"].decode())  # the second store's query
    assert asked["default-graph-uri"] == asked["named-graph-uri"] == [G]
    assert "format" not in asked and "output" not in asked  # content negotiation only
    assert seen[2]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


def test_an_unreachable_endpoint_is_exit_2_naming_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(cli, ["query", "run", "grades", "--store", f"sparql:{url}"])
    assert result.exit_code == 2
    assert f"error: {url}: cannot reach the server" in result.output
    result = CliRunner().invoke(cli, ["push", "--endpoint", url, "--data", "/nonexistent.nq"])
    assert result.exit_code == 2


def test_an_endpoint_answering_html_is_exit_2_naming_the_url_and_type() -> None:
    with recorder((200, "text/html", b"<html>a login page</html>")) as (url, seen):
        result = CliRunner().invoke(cli, ["sparql", "--store", f"sparql:{url}", "ASK {}"])
    assert result.exit_code == 2
    assert f"{url} answered with text/html, not SPARQL results" in result.output
    assert seen and seen[0]["method"] == "POST"


def test_the_graph_store_is_the_endpoint_s_store_or_must_be_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PEEL_KG_GRAPH_STORE", raising=False)
    assert graph_store_url("http://h:7878/query") == "http://h:7878/store"
    assert graph_store_url("http://h/ds/sparql", "http://h/ds/data") == "http://h/ds/data"
    with pytest.raises(UsageError, match="give --graph-store URL"):
        graph_store_url("http://h/ds/sparql")
    monkeypatch.setenv("PEEL_KG_GRAPH_STORE", "http://h/ds/data")
    assert graph_store_url("http://h/ds/sparql") == "http://h/ds/data"


def test_push_counts_are_the_file_s(out: tuple[Path, Path], server: str) -> None:
    """Pushing again (as build --store sparql:URL does) replaces each graph: the counts
    stay the file's."""
    result = fill(f"sparql:{server}", out[0] / "peel.nq")
    assert isinstance(result, PushResult)
    local = Store.from_file(out[0] / "peel.nq").oxigraph
    expected = {
        g.value: len(list(local.quads_for_pattern(None, None, None, g)))
        for g in local.named_graphs()
        if isinstance(g, ox.NamedNode)
    }
    assert result.counts == expected
    assert len(SparqlStore(server)) == sum(expected.values())


def test_push_and_store_are_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["push", "--help"])
    assert result.exit_code == 0 and "--graph-store" in result.output
    assert "peel-kg push --endpoint URL" in readme
    assert "## Stores and servers" in readme
    for words in (["query", "run"], ["sparql"], ["list"], ["brief"], ["viz"], ["build"]):
        assert "--store SPEC" in CliRunner().invoke(cli, [*words, "--help"]).output


def test_the_web_server_answers_the_same_from_every_store(
    backends: dict[str, GraphStore],
) -> None:
    """`peel-kg serve --store …`: the app's SPARQL endpoint and gallery give the same
    answers whichever store it reads."""
    from starlette.testclient import TestClient

    from kg.server import create_app

    query = "SELECT DISTINCT ?force WHERE { ?f a peel:Force ; rdfs:label ?force } ORDER BY ?force"
    answers = {}
    for name, store in backends.items():
        with TestClient(create_app(store)) as client:
            sparql = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
            assert sparql.status_code == 200, (name, sparql.text)
            gallery = client.get(
                "/queries/grades/results.csv",
                params={"force": "Northants", "assessment": "2025-27"},
            )
            answers[name] = (sparql.text, gallery.status_code, gallery.text)
    assert "Northamptonshire Police" in answers["files"][0]
    assert answers["files"][1] == 200 and "Investigating crime" in answers["files"][2]
    assert answers["oxigraph"] == answers["files"] == answers["sparql"]
