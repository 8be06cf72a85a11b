"""The shipped corpus's graph is unchanged by work that should not change it.

tests/golden/shipped.nq.gz is the sorted N-Quads of `peel-kg build` on data/ as it was
when the build was made fast (issue 9), checked then to hold the same quads as the
rdflib-based build before it. A build writes its N-Quads part by part (kg.parts), so
the lines are compared sorted. A change to the readers or the ontology that is meant to
change the graph regenerates it, and says so in its issue note:

    peel-kg build --out /tmp/peel
    LC_ALL=C sort /tmp/peel/peel.nq | gzip -9n > tests/golden/shipped.nq.gz
"""

from __future__ import annotations

import difflib
import gzip
from pathlib import Path

from kg.pipeline import BuildResult

GOLDEN = Path(__file__).parent / "golden" / "shipped.nq.gz"


def test_the_shipped_graph_is_the_golden_one(built: BuildResult) -> None:
    want = gzip.decompress(GOLDEN.read_bytes()).decode("utf-8").splitlines()
    got = sorted(built.nquads.decode("utf-8").splitlines())
    diff = list(difflib.unified_diff(want, got, "golden", "built", lineterm="", n=0))
    shown = "\n".join(line[:200] for line in diff[:40])
    assert not diff, f"{len(want)} quads expected, {len(got)} built; first differences:\n{shown}"
