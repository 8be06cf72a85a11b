"""`peel-kg serve --workers 2` on an on-disk store: two worker processes start, each opens
the store (one beside the other, read-only), and each answers on its own (the other
stopped with SIGSTOP), with the same rows as the store.

Worker processes need a real server process, so this test runs the command as one (the
only one of the server's tests that does), on a free port of 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.pipeline import BuildResult
from kg.server.app import _TcpConfig
from kg.store import Store
from tests.benches import load_bench
from tests.servers import free_port

QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _ask(port: int) -> int:
    """The count the server answers QUERY with, on a new connection."""
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": QUERY})
    with urllib.request.urlopen(url, timeout=10) as answer:
        doc = json.load(answer)
    return int(doc["results"]["bindings"][0]["n"]["value"])


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.fixture()
def served(built: BuildResult, tmp_path: Path) -> Iterator[tuple[int, Path, Store, int]]:
    """The server's port, its log, the store it serves and its process id."""
    data = tmp_path / "peel.nq"
    data.write_bytes(built.dataset.serialize(format="nquads", encoding="utf-8"))
    disk = tmp_path / "store"
    Store.fill_disk(disk, data)  # dropped at once: the workers open it
    port = free_port()
    log = tmp_path / "serve.log"
    bench = load_bench("serve")  # starts and stops `peel-kg serve` as the benchmark does
    server = bench.start_server(f"oxigraph:{disk}", port, workers=2, cache_mb=64.0, log=log)
    try:
        deadline = time.monotonic() + 60
        while log.read_text().count("Application startup complete") < 2:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield port, log, Store.from_file(data), server.pid
    finally:
        bench.stop_server(server)


def test_two_workers_each_answer_from_the_store(served: tuple[int, Path, Store, int]) -> None:
    port, log, store, pid = served
    workers = sorted(
        {int(p) for p in re.findall(r"Started server process \[(\d+)\]", log.read_text())}
    )
    assert len(workers) == 2 and all(_parent(w) == pid for w in workers)
    expected = int(str(store.rows(QUERY)[0]["n"]))
    assert expected > 0
    for stopped in workers:
        os.kill(stopped, signal.SIGSTOP)
        try:
            assert _ask(port) == expected  # the other worker took the connection
        finally:
            os.kill(stopped, signal.SIGCONT)
    assert _ask(port) == expected


def test_worker_connections_keep_tcp_nodelay_uvicorn_3149() -> None:
    """uvicorn's shared socket had proto 0, so asyncio left Nagle's algorithm on for every
    connection of a worker, and each answer on a kept-alive connection waited ~40 ms."""
    config = _TcpConfig("kg.server.app:worker_app", factory=True, host="127.0.0.1", port=0)
    listening = config.bind_socket()
    assert listening.proto == socket.IPPROTO_TCP
    found: list[int] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            found.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def connect_once() -> None:
        listening.listen()
        server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        port = listening.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        while not found:
            await asyncio.sleep(0.01)
        writer.close()
        server.close()

    asyncio.run(asyncio.wait_for(connect_once(), 10))
    assert found == [1]
