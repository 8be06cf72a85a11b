"""Extract judgments from HMIC's PEEL web pages of 2014 and 2015–17.

2014: judgments are sentences under the pillar heading ('<force> is good at
reducing crime and preventing offending. The force requires improvement at
investigating offending.'); each names a question of the 2014 framework.

2016: each pillar is judged three times over: a summary sentence at the top
('The extent to which the force is effective at … requires improvement.'),
the grade line of its section and the section's first sentence. The
leadership section is reported but not graded; a pillar 'not yet graded'
gets no judgment. What a sentence names but the framework does not know is
reported as an issue, never guessed.
"""

from __future__ import annotations

import re

from kg.errors import LayoutError
from kg.extract.facts import AreaFact, GradeClaim, Issue, Person, SourceFacts, force_mention
from kg.model import Block, Document, Span
from kg.read.blocks import sentence_spans
from kg.read.web import updated_date, view_pillar
from kg.reference import AreaConcept, CycleInfo, grade_notation

_GRADE = (
    r"(?:is:?\s+[‘'\"“]?(?P<g>outstanding|good|adequate|inadequate)[’'\"”]?|"
    r"[‘'\"“]?(?P<ri>requires?\s+improvement)[’'\"”]?)"
)
_AT = re.compile(r"^(?P<subject>.+?)\s+" + _GRADE + r"\s+at\s+(?P<what>.+?)\.$", re.I)
_EXTENT = re.compile(
    r"^The extent to which the force is (?P<adj>\w+) at .+?\s+(?:"
    + _GRADE
    + r"|(?P<ny>(?:is|has)\s+not\s+(?:yet\s+)?(?:been\s+)?graded))\.$",
    re.I,
)
_IN_RESPECT = re.compile(
    r"\b(?:as|is|be)\s+(?P<g>outstanding|good|adequate|inadequate)\s+in respect of|"
    r"\b(?P<ri>requires?\s+improvement)\s+in respect of|"
    r"(?P<ny>not\s+(?:yet\s+)?(?:been\s+)?graded)",
    re.I,
)
_INSPECTOR = re.compile(r"^(?P<name>[^,]+),\s+(?:Her|His) Majesty['’]s (?:Chief )?Inspector of ")
_TITLE_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d{2})$")


def _grade(m: re.Match[str]) -> str | None:
    word = m.group("g") or m.group("ri")
    return grade_notation(word) if word else None


def _sentences(doc: Document, block: Block) -> list[Span]:
    """The sentences of a paragraph, as spans."""
    base = block.span.start
    return [doc.span(base + a, base + b) for a, b in sentence_spans(block.span.quote)]


def _start(doc: Document, file: str, force: str, cycle: CycleInfo) -> tuple[SourceFacts, int]:
    """The facts every page has: the force, and the page's year checked against the cycle."""
    facts = SourceFacts(force=force, force_span=force_mention(doc, file, force), cycle=cycle)
    for b in doc.blocks[:5]:
        m = _TITLE_YEAR.search(b.text) if b.kind == "heading" else None
        if m:
            year = int(m.group("year"))
            first, last = cycle.years
            if not first <= year <= last:
                raise LayoutError(
                    f"{file}:{b.line}: the page is titled {b.text!r} but the manifest "
                    f"says cycle {cycle.notation}; correct the manifest"
                )
            facts.cycle_span = b.span
            return facts, year
    raise LayoutError(
        f"{file}: no title line ending in a year (such as 'Northamptonshire PEEL "
        "2014') among the first lines; is this an HMIC PEEL web page?"
    )


def _require_sections(doc: Document, file: str) -> None:
    """A page without a single 'Last updated dd/mm/yyyy' section is not of this layout."""
    if not doc.sections:
        raise LayoutError(
            f"{file}: no section dated 'Last updated dd/mm/yyyy' found; is this an "
            "HMIC PEEL web page of the layout the manifest names?"
        )


def _area(facts: SourceFacts, concept: AreaConcept, heading: Span) -> AreaFact:
    for area in facts.areas:
        if area.concept == concept:
            return area
    area = AreaFact(label=concept.label, concept=concept, heading=heading)
    facts.areas.append(area)
    return area


def extract_web_2014(doc: Document, file: str, force: str, cycle: CycleInfo) -> SourceFacts:
    """Judgments of a 2014 page: one sentence per graded question."""
    facts, _ = _start(doc, file, force, cycle)
    _require_sections(doc, file)
    for section in doc.sections:
        pillar = cycle.area_by_label(section.heading.text)
        if pillar is None:
            continue
        area = _area(facts, pillar, section.heading.span)
        date = updated_date(section.blocks[0])
        area.updated, area.updated_span = date, section.blocks[0].span
        facts.updated = max(filter(None, [facts.updated, date]), default=None)
        for b in section.blocks[1:]:
            if b.kind != "paragraph":
                break
            for sentence in _sentences(doc, b):
                _question_sentence(doc, file, facts, b, sentence, section.heading.span)
        for judged in facts.areas:
            if judged.claims and judged.updated is None:
                judged.updated, judged.updated_span = date, section.blocks[0].span
    for b in doc.blocks:
        # question headings end with '?', so they read as paragraphs
        concept = cycle.area_by_label(b.text) if b.kind in ("heading", "paragraph") else None
        if concept is not None:
            _area(facts, concept, b.span)
    return facts


def _question_sentence(
    doc: Document, file: str, facts: SourceFacts, block: Block, sentence: Span, heading: Span
) -> None:
    m = _AT.match(sentence.quote)
    if not m:
        return
    grade = _grade(m)
    concept = facts.cycle.area_by_label(m.group("what"))
    if concept is None or grade is None:
        facts.issues.append(
            Issue(
                file,
                block.line,
                sentence.start,
                f"a judgment sentence names {m.group('what')!r}, which is no "
                f"question of the {facts.cycle.label} framework; not recorded",
            )
        )
        return
    _area(facts, concept, heading).claims.append(GradeClaim("sentence", grade, sentence))


def extract_web_2016(doc: Document, file: str, force: str, cycle: CycleInfo) -> SourceFacts:
    """Pillar judgments of a 2015–17 page, each stated up to three times, and the inspector."""
    facts, _ = _start(doc, file, force, cycle)
    _require_sections(doc, file)
    for b in doc.blocks:
        m = _INSPECTOR.match(b.text) if b.kind == "heading" else None
        if m and facts.inspector is None:
            name = m.group("name").strip()
            facts.inspector = Person(
                name,
                "",
                doc.span(b.span.start, b.span.start + len(name)),
                role=b.text[len(m.group("name")) + 1 :].strip(),
            )
    first_section = doc.sections[0].blocks[0].span.start if doc.sections else len(doc.text)
    for b in doc.blocks:
        if b.kind == "paragraph" and b.span.start < first_section:
            _summary_sentence(doc, file, facts, b)
    for section in doc.sections:
        _pillar_section(doc, file, facts, section.heading, section.blocks)
    return facts


def _pillar(facts: SourceFacts, word: str) -> AreaConcept | None:
    return facts.cycle.area_by_label(word)


def _summary_sentence(doc: Document, file: str, facts: SourceFacts, b: Block) -> None:
    m = _EXTENT.match(b.span.quote)
    if not m:
        return
    concept = _pillar(facts, m.group("adj"))
    if concept is None:
        facts.issues.append(
            Issue(
                file,
                b.line,
                b.span.start,
                f"a summary sentence names the pillar {m.group('adj')!r}, "
                f"unknown to the {facts.cycle.label} framework",
            )
        )
        return
    area = _area(facts, concept, b.span)
    grade = _grade(m)
    if grade:
        area.claims.append(GradeClaim("summary-sentence", grade, b.span))


def _pillar_section(
    doc: Document, file: str, facts: SourceFacts, heading: Block, blocks: list[Block]
) -> None:
    named = view_pillar(blocks[-1]) if blocks else None
    concept = _pillar(facts, named) if named else facts.cycle.area_by_label(heading.text)
    if concept is None:
        return
    area = _area(facts, concept, heading.span)
    area.updated, area.updated_span = updated_date(blocks[0]), blocks[0].span
    facts.updated = max(filter(None, [facts.updated, area.updated]), default=None)
    for b in blocks[1:]:
        if b.kind == "grade" and (g := grade_notation(b.text)):
            area.claims.append(GradeClaim("grade-line", g, b.span))
        elif b.kind == "paragraph":
            first = _sentences(doc, b)[0] if _sentences(doc, b) else b.span
            m = _IN_RESPECT.search(first.quote)
            if m and (g := _grade(m)):
                area.claims.append(GradeClaim("sentence", g, first))
            break
