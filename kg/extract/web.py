"""Extract an inspection's judgments from a PEEL web page (2014 to 2018/19).

Where a page states a grade, by the patterns of ontology/wording/web.yaml:

- the summary at the top ('The extent to which the force is effective at …
  is good.'; 2014: 'the force is good at A, good at B and outstanding at C')
  and the HMI's observations: statements that name their area
  (``summary-sentence``);
- an area section: its grade line ('Good' under 'Last updated'; ``grade-line``),
  and sentences in its paragraphs, which grade the areas they name or, when they
  name none ('HMIC judges the force to be good.'), the section's own area
  (``sentence``).

A status line ('To be graded', 'Ungraded') or a summary sentence ending 'is not
yet graded' leaves the area without a judgment. A question 'not subject to
detailed inspection', its judgment carried over from an earlier assessment,
becomes a link to that earlier judgment (:class:`CarryOverFact`), never a new
judgment. A sentence about another year is not read for grades. What a
statement names but the framework does not know, a grade off the assessment's
scale, and statements that disagree are reported as issues.
"""

from __future__ import annotations

import re
from datetime import date

from kg.errors import LayoutError
from kg.extract.facts import (
    AreaFact,
    CarryOverFact,
    Extraction,
    GradeClaim,
    Person,
    SourceFacts,
)
from kg.extract.findings import read_findings
from kg.extract.grades import Stated, resolve_areas, sentences, statements
from kg.model import Block, Span
from kg.read.web import PageSection, WebPage
from kg.reference import AreaConcept, AssessmentInfo, Reference


class _Page(Extraction):
    """One page being extracted."""

    def __init__(
        self, page: WebPage, file: str, force: str, assessment: AssessmentInfo, ref: Reference
    ) -> None:
        super().__init__(page.doc, file, force, assessment, ref, "web")
        self.page = page

    def claim(self, stated: Stated, form: str, section: PageSection | None) -> list[AreaFact]:
        """Record one stated grade for every area it names, else for ``section``'s area;
        return the areas it was recorded for."""
        if stated.area is not None:
            concepts = resolve_areas(
                stated.area, self.facts.cycle.areas, self.words.common.area_prefixes
            )
            if not concepts:
                if not self._in_observations(stated):
                    self.issue(
                        stated.span.start,
                        f"a grade statement names {stated.area.strip()!r}, which is no area of "
                        f"the {self.facts.cycle.label} framework; not recorded",
                    )
                return []
        elif section is not None:
            concepts = [section.area]
        else:
            return []
        recorded = []
        for concept in concepts:
            if self._claim_for(concept, stated, form, section):
                recorded.append(self.facts.area_for(concept, stated.span))
        return recorded

    def _claim_for(
        self, concept: AreaConcept, stated: Stated, form: str, section: PageSection | None
    ) -> bool:
        heading = section.heading.span if section and section.area == concept else stated.span
        area = self.facts.area_for(concept, heading)
        if section is not None and section.updated is not None and area.updated is None:
            # a grade stated in a dated section was last updated with it
            own = self.facts.area_for(section.area, section.heading.span)
            area.updated, area.updated_span = own.updated, own.updated_span
        if stated.status is not None:
            area.status = self.words.common.status(stated.status)
            return True
        grade = self.words.common.grade(stated.grade or "")
        if grade is None:
            return False
        claim = GradeClaim(form, grade, stated.span)
        return self.facts.add_claim(area, claim, self.file, self.line_of(stated.span.start))

    def _in_observations(self, stated: Stated) -> bool:
        return any(b.span.start <= stated.span.start < b.span.end for b in self.page.observations)


def extract_web(
    page: WebPage, file: str, force: str, assessment: AssessmentInfo, ref: Reference
) -> SourceFacts:
    """The inspection, judgments, carried-over judgments, findings and inspector a page states."""
    p = _Page(page, file, force, assessment, ref)
    if not page.sections and p.words.first("mark", p.doc.text) is None:
        raise LayoutError(
            f"{file}: no title such as 'Borsetshire 2016', no 'Last updated' section and no "
            "area heading of the framework; is this an HMIC PEEL web page?"
        )
    _assessment(p)
    _inspector(p)
    for block in page.summary + page.observations:
        if block.kind in ("paragraph", "heading", "bullet"):
            _not_graded(p, block)
            for sentence in sentences(p.doc, block.span.start, block.span.end):
                for stated in statements(p.words, p.doc, sentence, p.subject):
                    p.claim(stated, "summary-sentence", None)
    for section in page.sections:
        _section(p, section)
    p.report_disagreements()
    return p.facts


def _not_graded(p: _Page, block: Block) -> None:
    """'… we have assessed leadership across the force. The assessment has led to a
    narrative rather than graded judgment': the area is covered and not graded."""
    for _, m in p.words.search("not-graded-note", block.span.quote):
        concept = p.facts.cycle.area_by_label(m.group("area"))
        if concept is not None:
            start = block.span.start + m.start()
            area = p.facts.area_for(concept, p.doc.span(start, block.span.start + m.end()))
            area.status = "ungraded"


def _assessment(p: _Page) -> None:
    """Check the page's title year and assessment number against the manifest's assessment."""
    facts, words = p.facts, p.words
    title = p.page.title
    if title is not None:
        found = words.first("title", title.text)
        year = found[1].group("year") if found else ""
        stated = p.ref.named_assessment(year)
        if stated is not None and stated != facts.assessment:
            raise LayoutError(
                f"{p.file}:{title.line}: the page is titled {title.text!r} (assessment "
                f"{stated.label}) but the manifest says {facts.assessment.label}; correct the "
                "manifest"
            )
        facts.assessment_span = title.span
    for block in p.page.summary[:12]:
        found = words.first("number", block.text)
        if not found:
            continue
        number = words.common.ordinals.get(found[1].group("ordinal").lower())
        if facts.assessment.ordinal is not None and number != facts.assessment.ordinal:
            raise LayoutError(
                f"{p.file}:{block.line}: the page says this is the {found[1].group('ordinal')} "
                f"PEEL assessment, which is not {facts.assessment.label} (the manifest's); "
                "correct the manifest"
            )
        if facts.assessment_span is None:
            start = block.span.start + found[1].start()
            facts.assessment_span = p.doc.span(start, block.span.start + found[1].end())
        break
    if facts.assessment_span is None:
        p.issue(
            0,
            "no title ('Borsetshire 2016') or assessment number states the assessment; "
            f"the manifest's ({facts.assessment.label}) is used",
        )


def _inspector(p: _Page) -> None:
    for block in p.page.summary + p.page.observations:
        found = (
            p.words.first("inspector", block.text)
            if block.kind in ("heading", "paragraph")
            else None
        )
        if found is None:
            continue
        m = found[1]
        name = m.group("name")
        start = block.span.start + block.span.quote.find(name)
        p.facts.inspector = Person(
            name, "", p.doc.span(start, start + len(name)), role=m.group("role")
        )
        return


def _section(p: _Page, section: PageSection) -> None:
    facts, words = p.facts, p.words
    area = facts.area_for(section.area, section.heading.span)
    if section.updated is not None:
        dated = words.first("updated", section.updated.text)
        if dated:
            d = dated[1]
            day, month = int(d.group("day")), int(d.group("month"))
            try:
                updated = date(int(d.group("year")), month, day).isoformat()
            except ValueError:
                p.issue(
                    section.updated.span.start,
                    f"{section.updated.text!r} gives no date of the calendar; the date is not "
                    "recorded",
                )
            else:
                area.updated, area.updated_span = updated, section.updated.span
                facts.updated = max(filter(None, [facts.updated, area.updated]), default=None)
    if section.status_line is not None:
        area.status = words.common.status(section.status_line.text)
    if section.grade_line is not None:
        grade = words.common.grade(section.grade_line.text)
        if grade:
            facts.add_claim(
                area,
                GradeClaim("grade-line", grade, section.grade_line.span),
                p.file,
                section.grade_line.line,
            )
    previous: list[AreaFact] = []  # the areas the previous sentence graded
    for block in section.paragraphs:
        for sentence in sentences(p.doc, block.span.start, block.span.end):
            carried = p.words.first("carry-over", sentence.quote)
            if carried is not None:
                # a question's own section carries it; a pillar's summary carries the
                # questions the sentence before graded ('These questions were not …')
                targets = [area] if section.area.pillar is not None else previous
                _carry_over(p, targets, sentence, carried[1])
                previous = []
                continue
            previous = []
            for stated in statements(words, p.doc, sentence, p.subject):
                previous += p.claim(stated, "sentence", section)
    if section.not_a_grade is not None:
        line = section.updated
        place = f"the line under {line.text!r}" if line else "the line under its heading"
        p.refuse_not_a_grade(section.not_a_grade, area, place)
    read_findings(p.doc, section.findings, area)


def _carry_over(p: _Page, targets: list[AreaFact], sentence: Span, m: re.Match[str]) -> None:
    """Link each area of ``targets`` to the judgment an earlier assessment made of it."""
    earlier = _earlier(p, m)
    span = p.doc.span(sentence.start + m.start(), sentence.start + m.end())
    for area in targets:
        concept = (
            p.ref.counterpart(area.concept, earlier.cycle)
            if earlier is not None and area.concept is not None and area.concept.pillar
            else None
        )
        if earlier is None or concept is None:
            p.issue(
                span.start,
                f"{area.label!r} is carried over from an earlier assessment, but which one, or "
                "which of its areas, the page does not settle; not linked",
            )
            continue
        area.carried = CarryOverFact(earlier, concept, span)
    if not targets:
        p.issue(span.start, "a judgment is carried over, but the page does not say of which area")


def _earlier(p: _Page, m: re.Match[str]) -> AssessmentInfo | None:
    """The assessment a carry-over sentence names ('from the 2017 … inspection', 'our last
    inspection in 2017/18'), or the one before this page's ('last year’s inspection')."""
    groups = m.groupdict()
    if groups.get("last"):
        order = list(p.ref.assessments.values())
        at = order.index(p.facts.assessment)
        return order[at - 1] if at > 0 else None
    year = groups.get("year") or ""
    found = p.ref.named_assessment(year) or (
        p.ref.assessment_of_year(int(year[:4])) if year[:4].isdigit() else None
    )
    return found if found != p.facts.assessment else None


__all__ = ["extract_web"]
