"""The benchmark: build, rebuild, export and query at each size; figures beside the targets.

    python bench/run.py [--sizes shipped,1,10,43] [--json bench/last-run.json]

For each size (the shipped corpus, or N forces of the synthetic national corpus that
bench/corpus.py writes into a temporary folder) it measures, each in a fresh process:
a cold build (wall time and peak memory, and each stage's time), a rebuild after one
document changes (one sentence added; the manifest's sha256 updated), and every canned
query's p50 and p95 on Oxigraph and on rdflib's SPARQL engine over the same graph (a
query that takes a force or a file asked about the manifest's first force or that force's
first full report, and timed on Oxigraph over every force too, without a target, unless
it requires one; a required parameter asked with its example, see NATIONAL_PARAMS)
(rdflib capped at --rdflib-cap seconds a query, reported as '>60 s', and not run again on
a larger graph; nor is one whose time on a smaller graph, scaled by the number of quads,
passes the cap: rdflib's joins grow faster than the graph, so such a run would pass it
too, and it is reported as '>60 s (projected …)'; a query rdflib's engine cannot run is
reported with its error). It records the
machine (cores, memory, load) and prints the issue 9 targets with pass or fail. It
asserts nothing and is not part of the unit tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.queries import CannedQuery

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: A canned query is asked with the example of each of its required parameters (its
#: metadata's ``example``; kg.queries.Parameter) but where the synthetic national corpus
#: needs another value: there, the initiative is the first national one that
#: bench/corpus.py names (found in every number of forces), not one of the shipped corpus.
NATIONAL_PARAMS = {"initiative-mentions": {"initiative": "Ask for Angela"}}
#: Optional parameters asked with their example too: a listing a user reads one at a time.
OPTIONAL_ASKED = {"theme-findings": ("theme",)}
#: The parameters that scope a listing to one force or one file: a query that has them is
#: asked as a user follows a force, about the corpus's first force (and its first full
#: report), and measured over the whole graph too, without a target.
SCOPES = ("force", "file")

#: The targets of issue 9 (2 cores, 24 GiB).
SHIPPED_BUILD_S = 5.0
NATIONAL_BUILD_S = 90.0
NATIONAL_PEAK_GIB = 3.0
REBUILD_S = 5.0
QUERY_P50_MS = 50.0
QUERY_P95_MS = 250.0
RATIO_EACH = 10.0
RATIO_MEDIAN = 30.0
EXPORT_S = 15.0


# --- children: each measurement in a fresh process --------------------------------------


def child_build(manifest: Path, out: Path) -> dict[str, object]:
    """Build ``manifest`` into ``out``; the figures as JSON-able data."""
    from kg.pipeline import build

    started = time.perf_counter()
    result = build(manifest, out)
    wall = time.perf_counter() - started
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    workers = len(os.sched_getaffinity(0))  # the build's default: one per core
    return {
        "wall_s": wall,
        "stages_s": result.stages,
        "peak_rss_gib": _peak_gib(),
        "peak_worker_rss_gib": worker,
        # at most: the main process's peak and every worker's at once
        "peak_together_gib": _peak_gib() + workers * worker,
        "sources": len(result.sources),
        "cached_sources": result.cached,
        "forces": result.forces,
        "cached_forces": result.forces_cached,
        "quads": result.nquads.count(b"\n"),
        "conforms": result.conforms,
    }


def child_export(graph: Path) -> dict[str, float]:
    """Seconds to export a built graph's N-Quads text, read into memory first, as Turtle
    and as JSON-LD (kg.export.write_nquads_as, what ``peel-kg export`` runs once it has
    read and checked the file), and seconds to read it."""
    from kg.export import write_nquads_as

    started = time.perf_counter()
    data = graph.read_bytes()
    seconds = {"read": time.perf_counter() - started}
    for fmt in ("turtle", "jsonld"):
        started = time.perf_counter()
        with (graph.parent / f"export.{fmt}").open("wb") as out:
            write_nquads_as(data, fmt, out)
        seconds[fmt] = time.perf_counter() - started
        (graph.parent / f"export.{fmt}").unlink()
    return seconds


def child_queries(
    graph: Path, repeat: int, cap: float, scope_json: str, skip: str = ""
) -> dict[str, object]:
    """Every canned query on Oxigraph (``repeat`` runs) and on rdflib (capped), but for the
    queries named in ``skip`` (comma-separated), which passed the cap on a smaller graph.
    ``scope_json``: the force and the file (a manifest file name) of :func:`_scope`, and
    whether the graph is of the synthetic national corpus ("national")."""
    from rdflib import Dataset

    from kg.queries import bound_text, list_queries
    from kg.store import Store

    started = time.perf_counter()
    store = Store.from_file(graph)
    load_ox = time.perf_counter() - started
    scope = json.loads(scope_json)
    paths = store.rows(
        "SELECT DISTINCT ?p WHERE { ?s <https://w3id.org/peel-kg/ontology#path> ?p }"
    )
    scope["file"] = next(
        str(r["p"])
        for r in paths
        if str(r["p"]).endswith("/" + scope["file"]) or str(r["p"]) == scope["file"]
    )
    asked: dict[str, dict[str, str]] = {}
    figures: dict[str, dict[str, object]] = {}
    for q in list_queries():
        params = example_params(q, scope["national"])
        scoped = {p.name: scope[p.name] for p in q.parameters if p.name in SCOPES}
        asked[q.name] = {**params, **scoped}
        runs, rows = _oxigraph_runs(store, q, asked[q.name], repeat)
        figures[q.name] = {"oxigraph_ms": _percentiles(runs), "rows": rows, "asked": asked[q.name]}
        if scoped and not any(p.required for p in q.parameters if p.name in SCOPES):
            # the whole graph's listing too, fewer runs, no target
            runs, rows = _oxigraph_runs(store, q, params, 5)
            figures[q.name]["whole"] = {"oxigraph_ms": _percentiles(runs), "rows": rows}
    started = time.perf_counter()
    global _DATASET
    _DATASET = Dataset(default_union=True)
    _DATASET.parse(graph, format="nquads")
    load_rdflib = time.perf_counter() - started
    # the queries share the loaded graph through fork, two at a time (one per core)
    skipped = set(filter(None, skip.split(",")))
    for name in skipped:
        figures[name].update(rdflib_ms=None, rdflib_rows=None, rdflib_failed=f">{cap:g} s")
    # bound here, where the graph is: an initiative is resolved against it
    jobs = [
        (q.name, bound_text(q, asked[q.name], store=store), cap)
        for q in list_queries()
        if q.name not in skipped
    ]
    with multiprocessing.get_context("fork").Pool(len(os.sched_getaffinity(0))) as pool:
        for name, runs, rows, failed in pool.imap_unordered(_rdflib_query, jobs):
            figures[name]["rdflib_ms"] = _percentiles(runs) if runs else None
            figures[name]["rdflib_rows"] = rows
            figures[name]["rdflib_failed"] = failed
    return {"load_oxigraph_s": load_ox, "load_rdflib_s": load_rdflib, "queries": figures}


def example_params(query: CannedQuery, national: bool) -> dict[str, str]:
    """The values a canned query is asked with, but for the scopes (SCOPES): each required
    parameter's example (on the ``national`` corpus its NATIONAL_PARAMS value, if any), and
    the OPTIONAL_ASKED ones'."""
    override = NATIONAL_PARAMS.get(query.name, {}) if national else {}
    params: dict[str, str] = {}
    for p in query.parameters:
        if p.name in SCOPES or not (p.required or p.name in OPTIONAL_ASKED.get(query.name, ())):
            continue
        value = override.get(p.name, p.example)
        if value is None:
            raise SystemExit(
                f"query '{query.name}': parameter '{p.name}' has no example to ask it with; "
                f"add 'example:' to its '#+' metadata ({query.path})"
            )
        params[p.name] = value
    return params


_DATASET = None  # the graph in rdflib, loaded before the query processes fork


def _oxigraph_runs(store, query, params: dict[str, str], repeat: int) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    """``repeat`` runs of a canned query (or fewer, at least 5, once they have taken 5 s in
    all), each writing its SPARQL JSON results; the times (ms) and the rows."""
    from kg.queries import run_query

    runs: list[float] = []
    while len(runs) < repeat and (len(runs) < 5 or sum(runs) < 5_000):
        t = time.perf_counter()
        text = run_query(store, query, params, "json")
        runs.append(1000 * (time.perf_counter() - t))
    return runs, len(json.loads(text)["results"]["bindings"])


def _rdflib_query(
    job: tuple[str, str, float],
) -> tuple[str, list[float], int | None, str | None]:
    """One canned query on rdflib, its text bound with the parameters Oxigraph was given:
    up to 3 runs while they take under a sixth of the cap; no runs, and why, when one
    passes the cap or rdflib fails."""
    name, text, cap = job
    runs: list[float] = []
    rows = None

    def run() -> int:
        return len(list(_DATASET.query(text)))  # type: ignore[union-attr]

    while len(runs) < 3 and sum(runs) < 1000 * cap / 6:
        t = time.perf_counter()
        try:
            rows = _capped(cap, run)
        except TimeoutError:
            return name, [], None, f">{cap:g} s"
        except Exception as exc:  # rdflib's engine fails on some valid queries
            return name, [], None, f"rdflib fails: {type(exc).__name__}: {exc}"[:200]
        runs.append(1000 * (time.perf_counter() - t))
    return name, runs, rows, None


class TimeoutError(Exception):  # noqa: A001 - raised by the alarm, inside this module only
    """A query ran past its cap."""


def _capped(seconds: float, fn):  # type: ignore[no-untyped-def]
    def alarm(signum, frame):  # type: ignore[no-untyped-def]
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _percentiles(runs: list[float]) -> dict[str, float]:
    ordered = sorted(runs)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95, "runs": len(ordered)}


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


# --- the parent ------------------------------------------------------------------------


def _child(*args: str) -> dict[str, object]:
    """Run this script as a child with ``args``; its JSON answer."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _change_one_document(manifest: Path) -> str:
    """Add one sentence to the end of the first full report listed (or the first document)
    and update its sha256 in the manifest; the file's name."""
    text = manifest.read_text(encoding="utf-8")
    entries = tomllib.loads(text)["document"]
    chosen = next((e for e in entries if e.get("kind") == "inspection-report"), entries[0])
    doc = manifest.parent / chosen["file"]
    old = hashlib.sha256(doc.read_bytes()).hexdigest()
    body = doc.read_text(encoding="utf-8").rstrip("\n")
    doc.write_text(body + " This sentence was added by the benchmark.\n", encoding="utf-8")
    new = hashlib.sha256(doc.read_bytes()).hexdigest()
    manifest.write_text(text.replace(old, new), encoding="utf-8")
    return str(chosen["file"])


def _scope(manifest: Path) -> dict[str, str]:
    """The force of the manifest's first document, and that force's first full report (or
    its first document): what the listing queries are asked about."""
    entries = tomllib.loads(manifest.read_text(encoding="utf-8"))["document"]
    force = entries[0]["force"]
    own = [e for e in entries if e["force"] == force]
    chosen = next((e for e in own if e.get("kind") == "inspection-report"), own[0])
    return {"force": force, "file": chosen["file"]}


def machine() -> dict[str, object]:
    """Cores, memory and load of this machine now."""
    mem = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return {
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "memory_gib": round(mem, 1),
        "load_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def measure(
    size: str,
    work: Path,
    repeat: int,
    cap: float,
    capped: dict[str, int],
    seen: dict[str, tuple[float, int]],
) -> dict[str, object]:
    """Every figure for one size. ``capped``: the queries rdflib did not finish within the
    cap, and the quads of the graph where it did not; ``seen``: rdflib's p50 (ms) of each
    query on the last graph it ran on, and that graph's quads."""
    if size == "shipped":
        manifest = work / "shipped" / "manifest.toml"
        src = ROOT / "data"
        folder = manifest.parent
        folder.mkdir(parents=True)
        for f in src.iterdir():
            if f.is_file():
                (folder / f.name).write_bytes(f.read_bytes())
    else:
        folder = work / f"forces-{size}"
        subprocess.run(
            [sys.executable, str(HERE / "corpus.py"), "--forces", size, "--out", str(folder)],
            check=True, capture_output=True,
        )  # fmt: skip
        manifest = folder / "manifest.toml"
    out = folder / "out"
    print(f"[{size}] cold build …", flush=True)
    cold = _child("build", str(manifest), str(out))
    changed = _change_one_document(manifest)
    print(f"[{size}] rebuild after changing {changed} …", flush=True)
    again = _child("build", str(manifest), str(out))
    print(f"[{size}] export …", flush=True)
    export = _child("export", str(out / "peel.nq"))
    print(f"[{size}] queries …", flush=True)
    # a query rdflib could not finish within the cap on a smaller graph is not run again,
    # nor one whose time there, scaled by the quads, passes the cap
    quads: int = cold["quads"]  # type: ignore[assignment]
    projected = {
        name: f">{cap:g} s (projected: {ms / 1000:.1f} s at {at:,} quads)"
        for name, (ms, at) in seen.items()
        if ms * quads / at > 1000 * cap
    }
    skip = {name for name, at in capped.items() if at <= quads} | set(projected)
    scope = json.dumps({**_scope(manifest), "national": size != "shipped"})
    queries = _child("queries", str(out / "peel.nq"), str(repeat), str(cap), scope, ",".join(skip))
    for name, q in queries["queries"].items():  # type: ignore[attr-defined]
        if name in projected and name not in capped:
            q["rdflib_failed"] = projected[name]
        if str(q.get("rdflib_failed") or "").startswith(">"):
            capped.setdefault(name, quads)
            seen.pop(name, None)
        elif q.get("rdflib_ms"):
            seen[name] = (q["rdflib_ms"]["p50"], quads)
    return {
        "size": size,
        "build": cold,
        "rebuild": again,
        "changed": changed,
        "export_s": export,
        **queries,
    }


def _ratio(q: dict[str, object]) -> tuple[float | None, str]:
    """rdflib's p50 over Oxigraph's, and how to show it: a lower bound ('>900×') when rdflib
    passed the cap, none when rdflib failed."""
    ox, rd, failed = q["oxigraph_ms"]["p50"], q.get("rdflib_ms"), q.get("rdflib_failed")  # type: ignore[index]
    if rd:
        ratio = rd["p50"] / max(ox, 1e-6)  # type: ignore[index]
        return ratio, f"{ratio:.0f}×"
    if failed and failed.startswith(">"):  # type: ignore[union-attr]
        cap = float(failed[1:].split()[0]) * 1000  # type: ignore[index]
        return cap / max(ox, 1e-6), f">{cap / max(ox, 1e-6):.0f}× (rdflib {failed})"
    return None, str(failed or "not run")


def targets(results: list[dict[str, object]]) -> list[tuple[str, str, str, bool]]:
    """(what, target, figure, pass) for each target, on the shipped and largest sizes."""
    rows = []
    by = {r["size"]: r for r in results}
    if "shipped" in by:
        wall = by["shipped"]["build"]["wall_s"]
        rows.append(
            (
                "shipped corpus, build",
                f"< {SHIPPED_BUILD_S:g} s",
                f"{wall:.1f} s",
                wall < SHIPPED_BUILD_S,
            )
        )
    national = [r for r in results if r["size"] != "shipped"]
    if not national:
        return rows
    big = max(national, key=lambda r: r["build"]["quads"])
    b = big["build"]
    label = f"{big['size']} forces ({b['sources']} documents, {b['quads']:,} quads)"
    if b["sources"] < 200 or b["quads"] < 1_000_000:
        label += " [smaller than national: ≥200 documents, ≥1M quads]"
    rows.append(
        (
            f"{label}: build",
            f"< {NATIONAL_BUILD_S:g} s",
            f"{b['wall_s']:.1f} s",
            b["wall_s"] < NATIONAL_BUILD_S,
        )
    )
    rows.append(
        (
            f"{label}: peak memory (main process and workers together, at most)",
            f"< {NATIONAL_PEAK_GIB:g} GiB",
            f"{b['peak_together_gib']:.2f} GiB",
            b["peak_together_gib"] < NATIONAL_PEAK_GIB,
        )
    )
    r = big["rebuild"]["wall_s"]
    rows.append(
        ("rebuild after one document changes", f"< {REBUILD_S:g} s", f"{r:.1f} s", r < REBUILD_S)
    )
    ratios = []
    for name, q in sorted(big["queries"].items()):
        ox = q["oxigraph_ms"]
        asked = ", ".join(f"{k}={v}" for k, v in q.get("asked", {}).items() if k in SCOPES)
        rows.append(
            (
                f"query {name} p50 / p95" + (f" (one {asked.split('=')[0]})" if asked else ""),
                f"< {QUERY_P50_MS:g} / {QUERY_P95_MS:g} ms",
                f"{ox['p50']:.1f} / {ox['p95']:.1f} ms",
                ox["p50"] < QUERY_P50_MS and ox["p95"] < QUERY_P95_MS,
            )
        )
        ratio, shown = _ratio(q)
        if ratio is not None:
            ratios.append(ratio)
        ok = None if ratio is None else ratio >= RATIO_EACH
        rows.append((f"query {name}: Oxigraph vs rdflib", f"≥ {RATIO_EACH:g}×", shown, ok))
    med = statistics.median(ratios)
    rows.append(
        ("Oxigraph vs rdflib, median", f"≥ {RATIO_MEDIAN:g}×", f"{med:.0f}×", med >= RATIO_MEDIAN)
    )
    for fmt in ("turtle", "jsonld"):
        s = big["export_s"][fmt]
        rows.append((f"{fmt} export", f"< {EXPORT_S:g} s", f"{s:.1f} s", s < EXPORT_S))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="shipped,1,10,43", help="comma-separated: shipped or a number of forces"
    )
    parser.add_argument(
        "--json", type=Path, default=HERE / "last-run.json", help="where to write the figures"
    )
    parser.add_argument(
        "--repeat", type=int, default=20, help="Oxigraph runs of each query (at least 5)"
    )
    parser.add_argument(
        "--rdflib-cap", type=float, default=60.0, help="seconds an rdflib query may take"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "build":
            answer = child_build(Path(rest[0]), Path(rest[1]))
        elif kind == "export":
            answer = child_export(Path(rest[0]))
        else:
            answer = child_queries(Path(rest[0]), int(rest[1]), float(rest[2]), *rest[3:])
        print(json.dumps(answer))
        return
    started = time.perf_counter()
    record: dict[str, object] = {"machine_before": machine(), "sizes": []}
    capped: dict[str, int] = {}  # queries rdflib did not finish in time, and at what size
    seen: dict[str, tuple[float, int]] = {}  # rdflib's last p50 of each query, and where
    with tempfile.TemporaryDirectory(prefix="peel-bench-") as tmp:
        for size in args.sizes.split(","):
            result = measure(size.strip(), Path(tmp), args.repeat, args.rdflib_cap, capped, seen)
            record["sizes"].append(result)  # type: ignore[attr-defined]
            report_size(result)
    record["machine_after"] = machine()
    record["seconds"] = time.perf_counter() - started
    rows = targets(record["sizes"])  # type: ignore[arg-type]
    record["targets"] = [
        dict(zip(("what", "target", "figure", "pass"), r, strict=True)) for r in rows
    ]
    args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    after = record["machine_after"]["load_1_5_15"]  # type: ignore[index]
    print(f"\nMachine: {record['machine_before']}  load after: {after}")
    print(f"{'target':<64} {'wanted':>18} {'measured':>18}")
    for what, want, got, ok in rows:
        verdict = "n/a" if ok is None else "pass" if ok else "FAIL"
        print(f"{what:<64} {want:>18} {got[:40]:>18}  {verdict}")
    passed = sum(1 for r in rows if r[3])
    print(
        f"\n{passed} of {len(rows)} targets pass in {record['seconds']:.0f} s; figures: {args.json}"
    )


def report_size(r: dict[str, object]) -> None:
    """Print one size's figures."""
    b, again = r["build"], r["rebuild"]
    print(f"\n== {r['size']}: {b['sources']} documents, {b['quads']:,} quads")
    print(f"conforms: {b['conforms']}")
    print(
        f"build {b['wall_s']:.1f} s wall, peak memory {b['peak_rss_gib']:.2f} GiB"
        f" (each worker process at most {b['peak_worker_rss_gib']:.2f} GiB; together at most"
        f" {b['peak_together_gib']:.2f} GiB); stages:"
    )
    for stage, s in b["stages_s"].items():
        print(f"  {stage:<40} {s:8.2f} s")
    print(f"rebuild after changing {r['changed']}: {again['wall_s']:.1f} s")
    print(
        f"  ({again['cached_sources']} of {again['sources']} sources and"
        f" {again['cached_forces']} of {again['forces']} forces from the cache)"
    )
    e = r["export_s"]
    print(
        f"export of the graph's text: Turtle {e['turtle']:.1f} s, JSON-LD {e['jsonld']:.1f} s"
        f" (reading peel.nq first: {e['read']:.1f} s)"
    )
    print(f"graph load: Oxigraph {r['load_oxigraph_s']:.1f} s, rdflib {r['load_rdflib_s']:.1f} s")
    print(
        "queries: one force (or one file) where a query takes one; 'whole graph' is the same"
        " listing over every force (no target)"
    )
    print(
        f"{'query':<24} {'ox p50':>9} {'ox p95':>9} {'rdflib p50':>11} {'rows':>6}  "
        f"{'whole graph p50':>15} {'rows':>6}  ratio"
    )
    for name, q in sorted(r["queries"].items()):
        ox, rd, whole = q["oxigraph_ms"], q["rdflib_ms"], q.get("whole")
        rdp = f"{rd['p50']:.0f}" if rd else "-"
        wp = f"{whole['oxigraph_ms']['p50']:.1f}" if whole else "-"
        wr = f"{whole['rows']}" if whole else "-"
        shown = _ratio(q)[1]
        print(
            f"{name:<24} {ox['p50']:9.2f} {ox['p95']:9.2f} {rdp:>11} {q['rows']:>6}  "
            f"{wp:>15} {wr:>6}  {shown}"
        )


if __name__ == "__main__":
    main()
