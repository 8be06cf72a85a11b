"""How bench/serve.py loads a server: the paths it asks, and its two load tools (wrk, when
installed, and the bounded Python loop) counting requests, errors and latency against
the app served on a free port of 127.0.0.1. The benchmark itself is too slow for a test."""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from types import ModuleType

import pytest

from kg.queries import run_query
from kg.server import create_app
from kg.store import Store
from tests.benches import load_bench
from tests.servers import serving

FORCE = "Northamptonshire Police"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("serve")


@pytest.fixture(scope="module")
def port(store: Store) -> Iterator[int]:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread."""
    with serving(create_app(store)) as port:
        yield port


def test_the_paths_ask_each_forces_grades(bench: ModuleType, port: int, store: Store) -> None:
    names = bench.forces(port)
    assert FORCE in names
    (path,) = bench.paths_for([FORCE])
    assert path == "/queries/grades/results.json?force=Northamptonshire+Police"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as answer:
        served = json.load(answer)
    assert served == json.loads(run_query(store, "grades", {"force": FORCE}, "json"))


@pytest.mark.parametrize("tool", ["python", "wrk"])
def test_a_load_tool_counts_requests_errors_and_latency(
    bench: ModuleType, port: int, tool: str
) -> None:
    if tool == "wrk" and shutil.which("wrk") is None:
        pytest.skip("wrk is not installed: apt-get install -y wrk")
    load = bench.load_python if tool == "python" else bench.load_wrk
    good = load(port, bench.paths_for([FORCE]), 2, 1.0)
    assert good["tool"] == tool and good["requests"] > 0 and good["errors"] == 0
    assert 0 < good["p50_ms"] <= good["p95_ms"] <= good["p99_ms"] <= good["max_ms"]
    assert good["rps"] == pytest.approx(good["requests"] / good["seconds"])
    bad = load(port, ["/queries/nosuch/results.json"], 2, 1.0)  # every answer a 404
    assert bad["requests"] > 0 and bad["errors"] == bad["requests"]
