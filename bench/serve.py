"""The throughput of ``peel-kg serve`` (issue 11, item 6): 8 clients on loopback asking a
canned query of the national graph; requests a second and latency beside the target.

    python bench/serve.py [--data FILE | --store oxigraph:PATH [--data FILE]]
                          [--workers N] [--cache-mb MB] [--duration 20] [--warmup 5]
                          [--clients 8] [--json bench/last-serve.json]

Without ``--data`` or ``--store`` it writes the synthetic national corpus (bench/corpus.py,
``--forces 43``) into a temporary folder and builds it. ``--store oxigraph:PATH`` serves an
on-disk store, filled from ``--data`` first when PATH holds none.

It starts ``peel-kg serve`` on a free port of 127.0.0.1, waits until it answers, asks every
force's grades once (the cold answers), runs the load for ``--warmup`` seconds unmeasured
(each worker's cache fills, as in a server that has run a while), then the measured
load: ``--clients`` connections for ``--duration`` seconds, each request the gallery's
JSON download of ``grades`` for the next force of the graph
(``/queries/grades/results.json?force=NAME``, so the force's name is resolved, the query
bound and run, and its results written, as a user's download is).
The load tool is ``wrk`` (Debian package ``wrk``) when it is installed, else a bounded
Python loop of ``--clients`` threads with keep-alive connections, to 127.0.0.1 only. It
prints requests a second, p50, p95 and p99 latency and errors (any answer but 200, and
socket errors), the target's pass or fail and the machine's load, and writes the figures
to ``--json``. It asserts nothing and is not part of the tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import machine  # noqa: E402 - bench/ is not a package

#: The target of issue 11, item 6 (8 clients, loopback, the national graph).
TARGET_RPS = 200.0
TARGET_P99_MS = 250.0
HOST = "127.0.0.1"
QUERY = "grades"
_FORCES = (
    "SELECT DISTINCT ?label WHERE { ?i a peel:Inspection ; peel:force ?f . "
    "?f rdfs:label ?label } ORDER BY ?label"
)
#: wrk's script: the paths in turn, and the figures as one JSON line when done.
_WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def free_port() -> int:
    """A TCP port of 127.0.0.1 free now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def build_national(work: Path, forces: int) -> Path:
    """Write the synthetic corpus of ``forces`` forces into ``work`` and build it; the graph."""
    corpus = work / "corpus"
    print(f"writing and building the synthetic corpus of {forces} forces …", flush=True)
    subprocess.run(
        [sys.executable, str(HERE / "corpus.py"), "--forces", str(forces), "--out", str(corpus)],
        check=True,
    )
    out = corpus / "out"
    subprocess.run(
        [sys.executable, "-m", "kg", "build", "--manifest", str(corpus / "manifest.toml"),
         "--out", str(out)],
        check=True, cwd=ROOT,
    )  # fmt: skip
    return out / "peel.nq"


def fill_store(path: Path, data: Path) -> None:
    """Fill the on-disk store at ``path`` from ``data`` unless it holds a store already."""
    if (path / "CURRENT").is_file():
        return
    print(f"filling {path} from {data} …", flush=True)
    subprocess.run(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from kg.store import Store; "
         "Store.fill_disk(Path(sys.argv[1]), Path(sys.argv[2]))", str(path), str(data)],
        check=True, cwd=ROOT,
    )  # fmt: skip


def start_server(
    spec: str, port: int, workers: int, cache_mb: float, log: Path
) -> subprocess.Popen[bytes]:
    """``peel-kg serve`` on 127.0.0.1:``port``, in its own process group."""
    command = [sys.executable, "-m", "kg", "serve", "--store", spec, "--host", HOST,
               "--port", str(port), "--workers", str(workers),
               "--cache-mb", str(cache_mb)]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers (its process group)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wait_until_up(port: int, server: subprocess.Popen[bytes], limit: float = 600.0) -> float:
    """Seconds until the server answers (it loads the graph first); SystemExit if it stops."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}); see its log")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/prefixes.json", timeout=5):
                return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer within {limit:g} s")


def forces(port: int) -> list[str]:
    """The labels of the forces inspected in the graph the server serves."""
    url = f"http://{HOST}:{port}/sparql?" + urllib.parse.urlencode({"query": _FORCES})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        doc = json.load(answer)
    return [b["label"]["value"] for b in doc["results"]["bindings"]]


def paths_for(names: list[str]) -> list[str]:
    """The canned query's download for each force."""
    return [
        f"/queries/{QUERY}/results.json?" + urllib.parse.urlencode({"force": name})
        for name in names
    ]


def cold_answers(port: int, paths: list[str]) -> dict[str, float]:
    """Each path asked once, one after the other: p50 and max in ms, and the rows of the
    first."""
    times = []
    for path in paths:
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=60) as answer:
            body = answer.read()
        times.append(1000 * (time.perf_counter() - started))
        if len(times) == 1:
            rows = len(json.loads(body)["results"]["bindings"])
    return {"p50_ms": statistics.median(times), "max_ms": max(times), "first_rows": rows}


def load_wrk(port: int, paths: list[str], clients: int, duration: float) -> dict[str, float]:
    """The load through wrk: ``clients`` connections on two threads for ``duration`` s
    (whole seconds, at least one: wrk takes no fraction)."""
    listed = ", ".join(json.dumps(p) for p in paths)
    length = f"{max(1, round(duration))}s"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % listed)
    try:
        done = subprocess.run(
            ["wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", length,
             "--timeout", "10s", "-s", script.name, f"http://{HOST}:{port}/"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    seconds = figures["duration_us"] / 1e6
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "tool": "wrk",
        "requests": figures["requests"],
        "seconds": seconds,
        "rps": figures["requests"] / seconds,
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "max_ms": figures["max_us"] / 1000,
        "errors": errors,
    }


def load_python(port: int, paths: list[str], clients: int, duration: float) -> dict[str, float]:
    """The load through ``clients`` threads, each with one keep-alive connection to
    127.0.0.1, asking the paths in turn until ``duration`` s have passed."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    refused = [0] * clients  # answers but 200
    failed = [0] * clients  # no answer: a socket error or a timeout
    stop = time.perf_counter() + duration

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        n = index
        while time.perf_counter() < stop:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                answer = connection.getresponse()
                answer.read()
            except (OSError, http.client.HTTPException):
                failed[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
                continue
            latencies[index].append(1000 * (time.perf_counter() - started))
            if answer.status != 200:
                refused[index] += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    every = sorted(x for each in latencies for x in each)

    def percentile(p: float) -> float:
        return every[min(len(every) - 1, round(p / 100 * (len(every) - 1)))] if every else 0.0

    requests = len(every) + sum(failed)
    return {
        "tool": "python",
        "requests": requests,
        "seconds": seconds,
        "rps": requests / seconds,
        "p50_ms": percentile(50),
        "p95_ms": percentile(95),
        "p99_ms": percentile(99),
        "max_ms": every[-1] if every else 0.0,
        "errors": sum(refused) + sum(failed),
    }


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` and its children (the workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pending.extend(int(c) for c in children)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a built graph (.nq) to serve or fill from")
    parser.add_argument("--store", help="oxigraph:PATH: serve an on-disk store")
    parser.add_argument("--forces", type=int, default=43, help="forces of the corpus to build")
    parser.add_argument("--workers", type=int, default=1, help="serve --workers")
    parser.add_argument("--cache-mb", type=float, default=64.0, help="serve --cache-mb")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="seconds of the same load before, not measured"
    )
    parser.add_argument("--python-load", action="store_true", help="the Python loop, not wrk")
    parser.add_argument("--json", type=Path, default=HERE / "last-serve.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peel-serve-") as tmp:
        work = Path(tmp)
        data = args.data
        if args.store is None or not args.store.startswith("oxigraph:"):
            if args.store is not None:
                raise SystemExit("--store takes oxigraph:PATH (or give --data FILE)")
            data = data or build_national(work, args.forces)
            spec = str(data)
        else:
            path = Path(args.store.removeprefix("oxigraph:"))
            if not (path / "CURRENT").is_file():
                fill_store(path, data or build_national(work, args.forces))
            spec = args.store
        serve_and_load(args, spec, work)


def serve_and_load(args: argparse.Namespace, spec: str, work: Path) -> None:
    """Serve ``spec``, load it, print and write the figures."""
    port = free_port()
    log = work / "server.log"
    before = machine()
    print(f"serving {spec} on {HOST}:{port} with {args.workers} worker(s) …", flush=True)
    server = start_server(spec, port, args.workers, args.cache_mb, log)
    try:
        up = wait_until_up(port, server)
        names = forces(port)
        paths = paths_for(names)
        cold = cold_answers(port, paths)
        use_wrk = shutil.which("wrk") is not None and not args.python_load
        tool = load_wrk if use_wrk else load_python
        if args.warmup > 0:
            tool(port, paths, args.clients, args.warmup)
        cpu_before = cpu_seconds(server.pid)
        load = tool(port, paths, args.clients, args.duration)
        load["server_cpu_s"] = cpu_seconds(server.pid) - cpu_before
    except BaseException:
        sys.stderr.write(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        stop_server(server)
    after = machine()
    passed = load["rps"] >= TARGET_RPS and load["p99_ms"] < TARGET_P99_MS and not load["errors"]
    record = {
        "store": spec,
        "workers": args.workers,
        "cache_mb": args.cache_mb,
        "clients": args.clients,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "request": f"GET /queries/{QUERY}/results.json?force=… ({len(names)} forces in turn)",
        "up_s": up,
        "cold": cold,
        "load": load,
        "target": {"rps": TARGET_RPS, "p99_ms": TARGET_P99_MS, "pass": passed},
        "machine_before": before,
        "machine_after": after,
    }
    args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"server answering after {up:.1f} s; {len(names)} forces")
    print(
        f"cold (each force's {QUERY} once, in turn): p50 {cold['p50_ms']:.1f} ms, "
        f"max {cold['max_ms']:.1f} ms ({cold['first_rows']} rows for {names[0]})"
    )
    print(
        f"load ({load['tool']}, {args.clients} clients, {load['seconds']:.1f} s): "
        f"{load['requests']} requests, {load['rps']:.1f} requests/s, "
        f"p50 {load['p50_ms']:.1f} ms, p95 {load['p95_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms, "
        f"max {load['max_ms']:.1f} ms, {load['errors']} errors; "
        f"server CPU {load['server_cpu_s']:.1f} s"
    )
    print(f"load average before {before['load_1_5_15']}, after {after['load_1_5_15']}")
    verdict = "pass" if passed else "FAIL"
    print(
        f"target: >= {TARGET_RPS:g} requests/s with p99 < {TARGET_P99_MS:g} ms and no error: "
        f"{verdict}; figures: {args.json}"
    )


if __name__ == "__main__":
    main()
