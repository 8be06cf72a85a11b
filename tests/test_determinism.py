"""The same corpus gives the same graph: byte-identical sorted N-Triples and N-Quads, and
every file a build writes byte-identical."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg.export import serialise_nquads
from kg.paths import DEFAULT_MANIFEST, ROOT
from kg.pipeline import BuildResult, build, build_dataset
from kg.vocab import ID, mint, slug


def test_two_builds_give_identical_sorted_ntriples_and_nquads(built: BuildResult) -> None:
    again = build_dataset(DEFAULT_MANIFEST)
    for fmt in ("nt", "nq"):
        first, second = serialise_nquads(built.nquads, fmt), serialise_nquads(again.nquads, fmt)
        assert first == second
        assert first.splitlines() == sorted(first.splitlines())


#: Every file a build writes.
WRITTEN = ("peel.ttl", "peel.jsonld", "peel.nq", "validation.txt")


def test_every_output_is_byte_identical_across_processes_and_the_cache(tmp_path: Path) -> None:
    """Each file of two builds of the same input has the same bytes, JSON-LD included:
    in separate processes (hash seeds, object ids), with and without the cache, and on a
    rebuild that takes every source and part from the cache."""
    for seed, name, flags in (("1", "cached", []), ("2", "fresh", ["--no-cache"])):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "kg", "build", "--out", str(tmp_path / name), *flags],
            capture_output=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
    again = build(DEFAULT_MANIFEST, tmp_path / "cached")  # this time from its cache
    assert again.cached == len(again.sources) and again.forces_cached == again.forces
    first = {n: (tmp_path / "cached" / n).read_bytes() for n in WRITTEN}
    second = {n: (tmp_path / "fresh" / n).read_bytes() for n in WRITTEN}
    for n in WRITTEN:
        assert first[n] == second[n], f"{n} differs between two builds of the same input"
        assert first[n] == again.outputs[_FORMAT.get(n, "validation")].read_bytes(), n
    nquads = first["peel.nq"].decode("utf-8")
    assert "_:" not in "".join(
        line for line in nquads.splitlines() if "/graph/reference>" not in line
    )


_FORMAT = {"peel.ttl": "turtle", "peel.jsonld": "jsonld", "peel.nq": "nq"}


def test_one_named_graph_per_source_plus_shared_ones(built: BuildResult) -> None:
    names = {
        str(g.identifier).rsplit("/", 1)[-1]
        for g in built.dataset.graphs()
        if len(g) and str(g.identifier).startswith("https://w3id.org/peel-kg/graph/")
    }
    assert names == {
        "reference",
        "entities",
        "links",
        "queries",
        "000-82645b4a8ccb79df",
        "001-440047dec6ca2f53",
        "002-a421d2335a84c635",
        "003-1a42217144e4e44b",
        "004-39e47f380a8d2144",
    }


def test_mint_is_deterministic_and_slugged() -> None:
    iri = mint("judgment", "Northamptonshire Police", "2023-25", "Responding to the public")
    assert iri == ID["judgment/northamptonshire-police/2023-25/responding-to-the-public"]
    assert mint("person", "Zoë Billingham") == ID["person/zoe-billingham"]
    assert slug("HM Inspector’s summary") == "hm-inspectors-summary"
