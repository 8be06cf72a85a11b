"""Every layout variant of tests/layouts/README.md is read right from its fixture.

Each fixture is a text written for this project (a made-up force, the structure and
wording pattern of a real page) beside a YAML file of what must be read from it:

    layout: hmic-web            # the layout the manifest would name
    force: Borsetshire Constabulary
    assessment: "2016"
    variant: web-2016-overview  # its row in tests/layouts/README.md
    detect: true                # the layout, force and assessment can be told from the text
    judgments: {effectiveness: good}     # every grade read (area notation: grade), no other
    claims: {investigating-crime: good}  # for secondary sources: every claim, no other
    not_graded: [efficiency]             # areas the text says are not (yet) graded
    carried: {treatment-of-the-public: "2017"}  # areas carried over, from which assessment
    counts: [[2021-22, [adequate], 4]]   # counts of grades: assessment, grades, count
    findings: {efficiency: {area-for-improvement: 2}}
    inspector: Jane Example
    people: {Sam Example: Chief Constable}
    issues: ["not on the grade scale"]   # every issue reported, by a piece of its message
    refused: "no title"                  # instead: the text is refused, with this message
    partial: true                        # the manifest marks the text an incomplete copy

A grade the text does not state is a failure: the lists are exact.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.errors import LayoutError
from kg.extract.facts import SourceFacts
from kg.layouts import Job, layout
from kg.read.detect import detect
from kg.reference import load_reference
from kg.sources import Source, SourceText

LAYOUTS_DIR = Path(__file__).parent / "layouts"
FIXTURES = sorted((LAYOUTS_DIR / "fixtures").rglob("*.txt"))
KEYS = {
    "layout", "force", "assessment", "variant", "detect", "judgments", "claims", "not_graded",
    "carried", "counts", "findings", "inspector", "people", "issues", "refused", "note",
    "partial",
}  # fmt: skip


def expected(fixture: Path) -> dict[str, Any]:
    """The fixture's YAML sidecar, checked for unknown keys."""
    data = yaml.safe_load(fixture.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), fixture
    assert not set(data) - KEYS, f"{fixture}: unknown keys {set(data) - KEYS}"
    return data


def read(fixture: Path, want: dict[str, Any]) -> SourceFacts:
    """Read and extract one fixture as the pipeline would, without building RDF."""
    ref = load_reference()
    lay = layout(want["layout"], str(fixture))
    assessment = ref.assessment(str(want["assessment"]))
    known = ref.force(want["force"])
    force = known.label if known else want["force"]
    text = fixture.read_text(encoding="utf-8")
    source = Source(
        path=fixture,
        force=want["force"],
        assessment=assessment.notation,
        layout=lay.name,
        kind=lay.kinds[0],
        published="2020",
        description="fixture",
        licence="test",
        rights="test",
        third_party=False,
        sha256="0" * 64,
        partial=bool(want.get("partial", False)),
    )
    return lay.process(Job(SourceText(source, text, "0" * 64), force, assessment, ref))


def grades(facts: SourceFacts) -> dict[str, str]:
    """area notation -> the grade of its primary statement, for every area with one."""
    out = {}
    for area in facts.areas:
        primary = area.primary()
        if primary is not None and area.carried is None:
            out[area.concept.notation if area.concept else area.label] = primary.grade
    return out


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_is_read_right(fixture: Path) -> None:
    want = expected(fixture)
    if "refused" in want:
        with pytest.raises(LayoutError, match=re.escape(want["refused"])):
            read(fixture, want)
        return
    facts = read(fixture, want)
    secondary = "claims" in want
    assert grades(facts) == (want.get("claims") if secondary else want.get("judgments", {}))
    statuses = {a.concept.notation for a in facts.areas if a.status and a.concept}
    assert statuses == set(want.get("not_graded", []))
    carried = {
        a.concept.notation: a.carried.earlier.notation
        for a in facts.areas
        if a.carried and a.concept
    }
    assert carried == {k: str(v) for k, v in want.get("carried", {}).items()}
    counts = [[c.assessment.notation, list(c.grades), c.count] for c in facts.counts]
    assert counts == [[str(a), g, n] for a, g, n in want.get("counts", [])]
    findings = {
        a.concept.notation if a.concept else a.label: {
            t: sum(1 for f in a.findings if f.type == t) for t in {f.type for f in a.findings}
        }
        for a in facts.areas
        if a.findings
    }
    assert findings == want.get("findings", {})
    inspector = facts.inspector.name if facts.inspector else None
    assert inspector == want.get("inspector")
    people = {p.name: p.role for p in facts.people}
    assert people == want.get("people", {})
    messages = [i.message for i in facts.issues]
    for piece in want.get("issues", []):
        assert any(piece in m for m in messages), f"no issue says {piece!r}: {messages}"
    unexpected = [m for m in messages if not any(p in m for p in want.get("issues", []))]
    assert not unexpected, f"issues the fixture does not expect: {unexpected}"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_every_span_quotes_its_fixture(fixture: Path) -> None:
    want = expected(fixture)
    if "refused" in want:
        return
    facts = read(fixture, want)
    text = fixture.read_text(encoding="utf-8")
    spans = [c.span for a in facts.areas for c in a.claims] + [c.span for c in facts.counts]
    spans += [p.span for p in facts.people] + [a.carried.span for a in facts.areas if a.carried]
    for span in spans:
        assert text[span.start : span.end] == span.quote


@pytest.mark.parametrize(
    "fixture", [f for f in FIXTURES if expected(f).get("detect")], ids=lambda p: p.stem
)
def test_layout_force_and_assessment_are_detected(fixture: Path) -> None:
    want = expected(fixture)
    found = detect(fixture.read_text(encoding="utf-8"), load_reference())
    assert found.layout == layout(want["layout"], "test").name, found.why()
    assert found.force == _label(want["force"])
    assessment = load_reference().assessment(str(want["assessment"]))
    assert found.assessment == assessment


def _label(force: str) -> str:
    known = load_reference().force(force)
    return known.label if known else force


def test_every_variant_has_a_fixture_and_every_fixture_a_variant() -> None:
    readme = (LAYOUTS_DIR / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", readme, flags=re.M))
    used = {expected(f)["variant"] for f in FIXTURES}
    assert listed == used, f"in README only: {listed - used}; in fixtures only: {used - listed}"
