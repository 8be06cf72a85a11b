"""Benchmark: time each stage of a build of the shipped corpus and each canned query.

Prints its figures; asserts nothing. Targets (national scale, later issues):
build and validate 1–2 million triples in under 90 s on two cores, each canned
query under 50 ms.

    python bench/bench_build.py [--manifest PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from kg.build import dataset_add
from kg.export import serialise, union
from kg.link.continuity import follow_up_graph
from kg.link.themes import theme_tags
from kg.paths import DEFAULT_MANIFEST
from kg.pipeline import assemble, process_source
from kg.queries import list_queries, run_query
from kg.reference import load_reference
from kg.sources import load_manifest
from kg.store import Store
from kg.validate import validate

#: Values for the required parameters of canned queries.
EXAMPLE_PARAMS = {
    "area-history": {"start": "Investigating crime"},
    "initiative-mentions": {"initiative": "Operation Alloy"},
    "metric-series": {"metric": "999 calls answered within 10 seconds"},
    "theme-findings": {"theme": "domestic abuse"},
}


def timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
    """Run ``fn(*args)``, print how long it took, return its result."""
    start = time.perf_counter()
    value = fn(*args)
    print(f"{label:<34} {1000 * (time.perf_counter() - start):9.1f} ms")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query")
    args = parser.parse_args()

    total = time.perf_counter()
    ref = timed("load reference data", load_reference)
    processed = []
    for source in [s for s in load_manifest(args.manifest) if s.build]:
        built, graph, entities, _ = timed(
            f"read+extract+build {source.path.name[:14]}", process_source, source, ref
        )
        processed.append((built, graph, entities))
    ds = timed("assemble dataset", assemble, ref, processed)
    data = union(ds)
    links = timed("link: follow-ups", follow_up_graph, data, ref)
    links += timed("link: theme tags", theme_tags, data, ref.graph)
    dataset_add(ds, links)
    data += links
    result = timed("validate (pySHACL)", validate, data)
    for fmt in ("turtle", "jsonld", "nq"):
        timed(f"serialise {fmt}", serialise, ds, fmt)
    store = timed("load query store", Store.from_dataset, ds)
    print(f"{'total build':<34} {1000 * (time.perf_counter() - total):9.1f} ms")
    print(f"triples {len(data)}, conforms {result.conforms}")
    for q in list_queries():
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            run_query(store, q.name, EXAMPLE_PARAMS.get(q.name, {}), "json")
            runs.append(1000 * (time.perf_counter() - start))
        print(
            f"query {q.name:<28} median {statistics.median(runs):7.2f} ms  max {max(runs):7.2f} ms"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS)              {peak:9.1f} MiB")


if __name__ == "__main__":
    main()
