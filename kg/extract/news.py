"""Extract what a news item or press release says about an inspection: grades, counts, people.

Everything here is a claim attributed to the source, never the inspectorate's
judgment. By the patterns of ontology/wording/news.yaml:

- a line or bullet naming an area and its grade ('Preventing crime – adequate',
  'Treating the public fairly: Good', '… (Outstanding)', 'is ‘good’ at …'; two
  in one bullet are read one by one) gives one claim per area (``list-item``);
- a sentence grading the areas it names ('rated the force ‘outstanding’ at A; B;
  and C', '‘inadequate’ in one area – responding to the public') gives a claim
  per area it names by the framework's labels (``sentence``);
- counts ('adequate in four areas and requires improvement in six'), for the
  source's own assessment or an earlier one named by year ('In 2021, …'), are
  kept as counts, never turned into per-area grades; grade words the
  assessment's scale lacks are kept as words, with an issue;
- named people with the role the source gives them; the HM Inspector (never the
  Chief Inspector) is the inspection's inspector.

A sentence about an earlier inspection gives no claim; a count in one whose year
the text does not give is reported, not recorded.
"""

from __future__ import annotations

import re

from kg.extract.facts import (
    Extraction,
    GradeClaim,
    GradeCountFact,
    Person,
    SourceFacts,
)
from kg.extract.grades import resolve_areas, sentences, statements
from kg.model import Block, Document, Span
from kg.reference import AssessmentInfo, Reference

_BULLET = re.compile(r"^\s*(?:[-•*·►\u2022\u2013]\s*)+")


class _Item(Extraction):
    """One news item being extracted."""

    def __init__(
        self, doc: Document, file: str, force: str, assessment: AssessmentInfo, ref: Reference
    ) -> None:
        super().__init__(doc, file, force, assessment, ref, "news")
        self.earlier = False  # the last sentence read spoke of an earlier inspection

    def claim(
        self,
        form: str,
        area_text: str,
        grade_words: str,
        span: Span,
        report_unknown: bool,
    ) -> bool:
        """A claim for every area ``area_text`` names (none when ``grade_words`` is no grade);
        True if it names one. One that names none is reported when ``report_unknown``."""
        grade = self.words.common.grade(grade_words)
        areas = resolve_areas(
            area_text, self.facts.cycle.areas, self.words.common.area_prefixes, loose=True
        )
        if not areas:
            if report_unknown:
                self.issue(
                    span.start,
                    f"the source grades {area_text.strip()!r}, which names no area of the "
                    f"{self.facts.cycle.label} framework; not recorded",
                )
            return False
        if grade is None:
            return True
        for concept in areas:
            area = self.facts.area_for(concept, span)
            claim = GradeClaim(form, grade, span)
            self.facts.add_claim(area, claim, self.file, self.line_of(span.start), secondary=True)
        return True


def extract_article(
    doc: Document, file: str, force: str, assessment: AssessmentInfo, ref: Reference
) -> SourceFacts:
    """Claims, counts and people of a news item or press release about ``force``'s
    ``assessment``."""
    item = _Item(doc, file, force, assessment, ref)
    for b in doc.blocks:
        if b.kind in ("bullet", "heading", "paragraph", "grade"):
            listed = _list_items(item, b)
            if not listed and b.kind != "grade":
                _sentences(item, b)
        _people(item, b)
    roles = item.words.of_kind("inspector-role")
    inspectors = [
        p for p in item.facts.people if any(item.words.compile(r).match(p.role) for r in roles)
    ]
    item.facts.inspector = inspectors[0] if inspectors else None
    return item.facts


def _list_items(item: _Item, b: Block) -> bool:
    """Claims from a line or bullet that names areas and grades; True if it was one."""
    raw = b.span.quote
    lead = _BULLET.match(raw)
    start = b.span.start + (lead.end() if lead else 0)
    if start >= b.span.end:
        return False  # a bullet marker alone ('-'): no item
    whole = item.doc.span(start, b.span.end)
    hit = item.words.first("list-item", whole.quote, item.subject)
    if hit is not None and item.claim(
        "list-item", hit[1].group("area"), hit[1].group("grade"), whole, report_unknown=False
    ):
        return True
    found = False
    for sentence in sentences(item.doc, start, b.span.end):
        hit = item.words.first("list-item", sentence.quote, item.subject)
        if hit is not None:
            m = hit[1]
            item.claim("list-item", m.group("area"), m.group("grade"), sentence, True)
            found = True
    return found


def _sentences(item: _Item, b: Block) -> None:
    """Counts and grade sentences of one paragraph. A sentence that carries on about the
    earlier inspection the sentence before it spoke of ('It was also found …': kind
    ``continues``) is about that inspection too: no claim, and its counts are reported."""
    for sentence in sentences(item.doc, b.span.start, b.span.end):
        text = sentence.quote.strip()
        if item.words.first("other-assessment", text):
            item.earlier = True
        elif item.earlier and item.words.first("continues", text):
            _counts(item, sentence, earlier=True)
            continue
        else:
            item.earlier = False
        _counts(item, sentence)
        for stated in statements(item.words, item.doc, sentence, item.subject):
            if stated.area and stated.grade:
                item.claim("sentence", stated.area, stated.grade, stated.span, False)


def _counts(item: _Item, sentence: Span, earlier: bool = False) -> None:
    """The counts of grades of one sentence ('adequate in four areas')."""
    words, facts = item.words, item.facts
    text = sentence.quote
    year = words.first("year-lead", text.strip())
    assessment: AssessmentInfo | None = facts.assessment
    if year is not None:
        assessment = item.ref.assessment_of_year(int(year[1].group("year")[:4]))
    hits: list[re.Match[str]] = []
    for _, m in words.search("count", text):
        if not any(m.start() < h.end() and h.start() < m.end() for h in hits):
            hits.append(m)
    if not hits:
        return
    if assessment is None or (year is None and (earlier or words.first("other-assessment", text))):
        item.issue(
            sentence.start,
            "counts of grades for an earlier inspection whose assessment the text does not "
            "settle; not recorded",
        )
        return
    cycle = assessment.cycle
    for m in sorted(hits, key=lambda h: h.start()):
        said = m.group("grades")
        n = m.group("count").lower()
        count = int(n) if n.isdigit() else words.common.numbers[n]
        named = words.common.grades_in(said)
        grades = tuple(g for g in named if g and g in cycle.grades)
        span = item.doc.span(sentence.start + m.start(), sentence.start + m.end())
        plain = re.sub(r"[‘’'\"“”]", "", said)
        if len(grades) != len(named) or not named:
            item.issue(
                span.start,
                f"{plain!r} names a grade the {assessment.label} scale does not have; the count "
                "keeps the words only",
            )
            grades = ()
        facts.counts.append(GradeCountFact(assessment, grades, plain, count, span))


def _people(item: _Item, b: Block) -> None:
    seen = {p.name for p in item.facts.people}
    for _, m in item.words.search("person", b.span.quote):
        name = m.group("name")
        if name in seen:
            continue
        seen.add(name)
        start = b.span.start + m.start("name")
        item.facts.people.append(
            Person(name, "", Span(start, start + len(name), name), role=m.group("role"))
        )


__all__ = ["extract_article"]
