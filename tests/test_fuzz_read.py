"""Fuzzing every layout's reader and extractor (issue 12, item 8).

Random text and real documents mutated at random (a slice deleted or duplicated, two
lines swapped, characters or a grade word inserted, a grade word replaced, the text cut
short, other line endings, another encoding) are read as the build reads a source
(kg.process.extract_source, then kg.build.source_graph) under the layout, force and
assessment of the document they came from. Each either raises the project's own error
(a KgError: the CLI exits 2) or gives facts of which every span's quote is the text
between its offsets, every grade is on its assessment's scale and every issue points
into the text. Any other exception is a bug (the CLI would exit 3).

The seed documents are the shipped corpus (data/), the synthetic reports of
tests/reportgen.py and the layout fixtures (tests/layouts/fixtures/): every layout of
kg/layouts.py has some. The number of examples is bounded (tests/conftest.py: fuzz).
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kg import vocab
from kg.assemble import nquads
from kg.build import source_graph
from kg.errors import KgError, LayoutError
from kg.extract.facts import GradeClaim, SourceFacts
from kg.layouts import LAYOUTS, check_fit
from kg.layouts import layout as layout_of
from kg.model import Span
from kg.paths import DEFAULT_MANIFEST
from kg.process import extract_source
from kg.reference import load_reference
from kg.sources import Source, load_manifest, new_entry, read_source
from kg.store import Store

from .conftest import fuzz
from .reportgen import FORCE, REPORT_2023, REPORT_2025

FIXTURES = Path(__file__).parent / "layouts" / "fixtures"
T = TypeVar("T")


@dataclass(frozen=True)
class Seed:
    """A document to mutate, with the manifest entry it is read under."""

    name: str
    text: str
    layout: str
    force: str
    assessment: str
    partial: bool = False


def _seeds() -> list[Seed]:
    """Every seed document, the small ones first (Hypothesis shrinks towards them)."""
    seeds = [
        Seed("reportgen-2023", REPORT_2023, "peel-report", FORCE, "2023-25"),
        Seed("reportgen-2025", REPORT_2025, "peel-report", FORCE, "2025-27"),
    ]
    for path in sorted(FIXTURES.rglob("*.txt")):
        want = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
        seeds.append(
            Seed(
                path.stem,
                path.read_text(encoding="utf-8"),
                want["layout"],
                want["force"],
                str(want["assessment"]),
                bool(want.get("partial", False)),
            )
        )
    for source in load_manifest(DEFAULT_MANIFEST):
        text = source.path.read_text(encoding="utf-8")
        seeds.append(Seed(source.path.name, text, source.layout, source.force, source.assessment))
    return sorted(seeds, key=lambda s: len(s.text))


SEEDS = _seeds()
BY_LAYOUT = {name: [s for s in SEEDS if s.layout == name] for name in LAYOUTS}

#: Words a report states grades with, in the spellings the readers meet.
GRADES = (
    "Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate", "good",
    "adequate", "requires improvement", "inadequate", "outstanding", "Requires\nimprovement",
    "‘adequate’", "'inadequate'", "Not yet graded", "To be graded", "Ungraded",
)  # fmt: skip
#: Characters of report text, and some that no report holds.
ALPHABET = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \n\n\t.,;:!?'\"()[]#*-•%£/"
    "‘’“”–—…\u00a0\u200b\ufeffé\\<>{}|_&\x0c\x85\u2028"
)
#: Pieces of report text: headings, grade and finding markers, figures.
PIECES = (
    *GRADES, FORCE, "Northamptonshire Police", "Ambridge Police", "Wessex Constabulary",
    "The force", "is good at responding to the public.", " is inadequate at investigating crime.",
    "Responding to the public", "Investigating crime", "Preventing crime",
    "Protecting vulnerable people", "Managing fraud", "Recording data about crime",
    "Area for improvement", "Areas for improvement", "Cause of concern", "Recommendations",
    "Main findings", "Innovative practice", "Our judgments", "PEEL 2023–2025", "PEEL 2025–27",
    "PEEL 2021/22", "Northamptonshire 2016", "Last updated 12/11/2014", "Last updated 31/02/2016",
    "How well the force tackles crime", "Effectiveness", "Efficiency", "Legitimacy",
    "in 41 of 56 cases", "91.2 percent", "£183 million", "year ending 31 March 2025",
    "the England and Wales average", "within six months", "- ", "* ", "• ", "# ", "\t",
    "An inspection of ", "HM Inspector of Constabulary", "March 2027 | © HMICFRS 2027",
    "Contents", "About the data", "[a link](#)", "carried over", "2017", "(Ungraded)",
)  # fmt: skip
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252")


@st.composite
def noise(draw: st.DrawFn, max_size: int = 12) -> str:
    """A short run of random characters or a piece of report text."""
    return draw(st.one_of(st.text(ALPHABET, max_size=max_size), st.sampled_from(PIECES)))


@st.composite
def random_text(draw: st.DrawFn, force: str) -> str:
    """Random text made of report pieces, random characters and line breaks, naming
    ``force`` somewhere (a text that never does is refused at once)."""
    parts = draw(
        st.lists(st.one_of(noise(), st.just("\n"), st.just("\n\n")), min_size=1, max_size=60)
    )
    parts.insert(draw(st.integers(0, len(parts))), force)
    return "".join(parts)


def _at(draw: st.DrawFn, text: str) -> int:
    return draw(st.integers(0, len(text)))


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` after one to four random edits."""
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(
            st.sampled_from(
                ("delete", "duplicate", "swap", "insert", "grade", "regrade", "truncate", "eol")
            )
        )
        if edit in ("delete", "duplicate"):
            a, b = sorted((_at(draw, text), _at(draw, text)))
            text = text[:a] + text[b:] if edit == "delete" else text[:b] + text[a:b] + text[b:]
        elif edit == "swap":
            lines = text.splitlines(keepends=True)
            if len(lines) > 1:
                i = draw(st.integers(0, len(lines) - 1))
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
                text = "".join(lines)
        elif edit == "insert":
            at = _at(draw, text)
            text = text[:at] + draw(noise()) + text[at:]
        elif edit == "grade":  # a grade word on a line of its own, or within a line
            at = _at(draw, text)
            word = draw(st.sampled_from(GRADES))
            text = text[:at] + draw(st.sampled_from((f"\n{word}\n", word))) + text[at:]
        elif edit == "regrade":  # a grade word replaced by another
            found = [g for g in GRADES if g in text]
            if found:
                old, new = draw(st.sampled_from(found)), draw(st.sampled_from(GRADES))
                text = text.replace(old, new, draw(st.integers(1, 3)))
        elif edit == "truncate":
            text = text[: _at(draw, text)]
        else:
            text = text.replace("\n", draw(st.sampled_from(("\r\n", "\r", "\n\n"))))
    return text


def encoded(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding``, in UTF-8 where that cannot hold it."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


# --- the properties -------------------------------------------------------------


def reachable(obj: object, cls: type[T], seen: set[int] | None = None) -> Iterator[T]:
    """Every instance of ``cls`` reachable from ``obj`` through dataclass fields, lists,
    tuples and dicts (each object visited once)."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, cls):
        yield obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from reachable(getattr(obj, f.name), cls, seen)
    elif isinstance(obj, list | tuple | dict):
        for item in obj.values() if isinstance(obj, dict) else obj:
            yield from reachable(item, cls, seen)


def spans(obj: object) -> Iterator[Span]:
    """Every Span reachable from ``obj`` (the facts of a source)."""
    return reachable(obj, Span)


def check_facts(facts: SourceFacts, text: str) -> None:
    """Every quote equals the text between its offsets; every grade is on its scale; every
    date is a day (or month) of the calendar; every issue points into the text, at the line
    of its offset."""
    for span in spans(facts):
        assert 0 <= span.start < span.end <= len(text), span
        assert text[span.start : span.end] == span.quote, span
    scale = facts.cycle.grades
    for claim in reachable(facts, GradeClaim):
        assert claim.grade in scale, claim
    for count in facts.counts:
        assert set(count.grades) <= set(count.assessment.cycle.grades), count
    for day in (facts.updated, *(a.updated for a in facts.areas)):
        assert day is None or date.fromisoformat(day), day
    months = [facts.issued, *(a.revision.date for a in facts.areas if a.revision)]
    for month in months:
        assert month is None or date.fromisoformat(f"{month}-01"), month
    for issue in facts.issues:
        assert 0 <= issue.offset <= len(text), issue
        assert issue.line == text.count("\n", 0, issue.offset) + 1, issue


#: Every selector of the graph: its offsets and its quote (as tests/test_provenance.py).
SELECTORS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?start ?end ?quote WHERE {
  ?span oa:hasSelector ?pos, ?q . ?pos oa:start ?start ; oa:end ?end . ?q oa:exact ?quote .
}"""


def check_graph(data: bytes, text: str) -> None:
    """In the source's named graph as the build writes it (N-Quads), read back, every
    quote equals the text between its offsets."""
    store = Store.from_nquads(data)
    for row in store.rows(SELECTORS):
        start, end = int(row["start"]), int(row["end"])
        assert 0 <= start < end <= len(text) and text[start:end] == str(row["quote"]), row


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    """A folder for the fuzzed files (one a test at a time)."""
    with tempfile.TemporaryDirectory(prefix="peel-kg-fuzz-") as name:
        yield Path(name)


def read_as(
    folder: Path, seed: Seed, raw: bytes, partial: bool = False, raise_refusal: bool = False
) -> SourceFacts | None:
    """Read ``raw`` as the build reads a source of ``seed``'s manifest entry (marked
    ``partial`` when told: a text cut short is then read, not refused); check the
    properties; return the facts. A KgError is a refusal, and passes: None (unless
    ``raise_refusal``)."""
    path = folder / "fuzz.txt"
    path.write_bytes(raw)
    source = Source(
        path=path,
        force=seed.force,
        assessment=seed.assessment,
        layout=seed.layout,
        kind=layout_of(seed.layout, "fuzz").kinds[0],
        published="2020",
        description="fuzzed",
        licence="test",
        rights="test",
        third_party=False,
        sha256=hashlib.sha256(raw).hexdigest(),
        partial=seed.partial or partial,
    )
    try:
        read, facts = extract_source(source, load_reference())
        graph, _ = source_graph(read, facts)
    except KgError:
        if raise_refusal:
            raise
        return None
    text = read_source(source).text
    check_facts(facts, text)
    check_graph(nquads(graph, vocab.graph_for(read.stem)), text)
    return facts


def test_every_layout_has_seeds() -> None:
    assert all(BY_LAYOUT.values()), {k for k, v in BY_LAYOUT.items() if not v}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_mutated_documents_are_read_or_refused(layout: str, folder: Path) -> None:
    @fuzz(60)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        seed = data.draw(st.sampled_from(BY_LAYOUT[layout]), label="seed")
        text = data.draw(mutated(seed.text), label="text")
        encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")
        read_as(folder, seed, encoded(text, encoding), data.draw(st.booleans(), label="partial"))

    run()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_random_text_is_read_or_refused(layout: str, folder: Path) -> None:
    @fuzz(60)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        seed = data.draw(st.sampled_from(BY_LAYOUT[layout]), label="seed")
        text = data.draw(random_text(seed.force), label="text")
        read_as(folder, seed, text.encode("utf-8"), data.draw(st.booleans(), label="partial"))

    run()


def test_a_bullet_marker_alone_on_its_line_is_no_list_item(folder: Path) -> None:
    """Regression: a news line holding only a bullet marker ('-') made an empty span
    (ValueError: bad span 17-17) instead of no list item."""
    seed = Seed("news", "", "news-article", "Ambridge Police", "2023-25")
    facts = read_as(folder, seed, b"Ambridge Police\n-")
    assert facts is not None and not facts.areas


def test_an_area_with_two_sections_is_refused(folder: Path) -> None:
    """Regression: a report whose first lines were repeated down to an area heading had two
    sections of 'Investigating crime'; their findings got one IRI each pair, and the graph
    mixed their offsets and quotes ('Overall summary' quoted at the offsets of 'The force
    supervises investigations well')."""
    text = REPORT_2023[: REPORT_2023.index(f"{FORCE} is good")] + REPORT_2023
    seed = Seed("reportgen-2023", REPORT_2023, "peel-report", FORCE, "2023-25")
    with pytest.raises(LayoutError, match=r":14: a second section of the area 'Investigating"):
        read_as(folder, seed, text.encode(), raise_refusal=True)


def test_findings_of_an_area_with_two_sections_on_a_page_are_numbered_on(folder: Path) -> None:
    """Regression: a web page holding one question's section twice (here, with its areas for
    improvement) numbered the findings of each section from 1, so two findings got one
    IRI and the graph mixed their offsets and quotes."""
    (seed,) = [s for s in SEEDS if s.name == "web-2018-pillar-detailed"]
    lines = seed.text.splitlines(keepends=True)
    section = "".join(lines[31:40])  # 'How effective is the force at investigating crime …?'
    assert section.startswith("How effective is the force at investigating crime")
    text = seed.text + "\n" + section
    facts = read_as(folder, seed, text.encode(), raise_refusal=True)
    assert facts is not None
    (area,) = [a for a in facts.areas if a.label.startswith("How effective is the force at inv")]
    assert [(f.type, f.ordinal) for f in area.findings] == [
        ("area-for-improvement", n) for n in (1, 2, 3, 4)
    ]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_what_add_detects_is_a_manifest_entry_or_refused(layout: str, folder: Path) -> None:
    """`peel-kg add` on a mutated document: refused with a KgError, or an entry the
    manifest loader takes (a known layout, force and assessment, a date of the calendar)
    whose layout fits its assessment and kind."""

    @fuzz(40)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        seed = data.draw(st.sampled_from(BY_LAYOUT[layout]), label="seed")
        text = data.draw(st.one_of(mutated(seed.text), random_text(seed.force)), label="text")
        path = folder / "added.txt"
        path.write_bytes(text.encode("utf-8"))
        manifest = folder / "manifest.toml"
        try:
            entry = new_entry(path, manifest, {})
        except KgError:
            return
        manifest.write_text(entry.toml(), encoding="utf-8")
        (source,) = load_manifest(manifest)
        ref = load_reference()
        check_fit(
            layout_of(source.layout, "added"),
            ref.assessment(source.assessment),
            source.kind,
            "added",
        )

    run()
