"""The same corpus gives the same graph: byte-identical sorted N-Triples and N-Quads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg.export import serialise_nquads
from kg.paths import DEFAULT_MANIFEST, ROOT
from kg.pipeline import BuildResult, build_dataset
from kg.vocab import ID, mint, slug


def test_two_builds_give_identical_sorted_ntriples_and_nquads(built: BuildResult) -> None:
    again = build_dataset(DEFAULT_MANIFEST)
    for fmt in ("nt", "nq"):
        first, second = serialise_nquads(built.nquads, fmt), serialise_nquads(again.nquads, fmt)
        assert first == second
        assert first.splitlines() == sorted(first.splitlines())


def test_separate_processes_write_the_same_bytes(tmp_path: Path) -> None:
    """Blank node labels and IRIs do not depend on the process (hash seeds, object ids)."""
    script = (
        "from kg.pipeline import build_dataset; "
        "import sys; sys.stdout.buffer.write(build_dataset().nquads)"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert "_:" not in "".join(
        line for line in outputs[0].splitlines() if "/graph/reference>" not in line
    )


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
