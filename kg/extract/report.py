"""Extract the inspection, its judgments and its findings from a full PEEL report.

Every grade a report states is kept as a claim with its span: the grade line,
the judgment sentence, the judgments table. Claims that disagree are reported
as issues and left in the graph for validation to flag; they are never
silently resolved. A report whose judgments table was lost in text extraction
is read from its grade lines and sentences; where the text states fewer grades
than it says it makes ('We make graded judgments in nine of these ten'), or none
at all, the findings are still read and every graded area without a grade is
reported. How a report words things is data (ontology/wording/report.yaml).
"""

from __future__ import annotations

import re

from kg.errors import LayoutError
from kg.extract.facts import (
    AreaFact,
    Extraction,
    GradeClaim,
    Issue,
    Person,
    Revision,
    SourceFacts,
)
from kg.extract.figures import extract_figures
from kg.extract.findings import read_findings
from kg.extract.initiatives import extract_initiatives
from kg.model import Block, Document, Span
from kg.read.report import is_grade_sentence
from kg.reference import AssessmentInfo, Reference, best_word_match, normalise_label
from kg.wording import grade_notation

_POST_NOMINALS = r"(?:\s+(?:[A-Z]{2,6}|KC|QC))+$"


class _Report(Extraction):
    """One report being extracted."""

    def __init__(
        self, doc: Document, file: str, force: str, assessment: AssessmentInfo, ref: Reference
    ) -> None:
        super().__init__(doc, file, force, assessment, ref, "report")


def extract_report(
    doc: Document, file: str, force: str, assessment: AssessmentInfo, ref: Reference
) -> SourceFacts:
    """Extract the facts of one full report that has been read into ``doc``."""
    r = _Report(doc, file, force, assessment, ref)
    facts, cycle = r.facts, assessment.cycle
    if not doc.sections:
        if r.words.first("mark", doc.text) is None:
            raise LayoutError(
                f"{file}: no assessment area section found (an area heading followed by its "
                "grade or a sentence such as '<force> is good at …') and none of a report's "
                "marks ('PEEL 2023–2025', 'An inspection of …', 'Overall summary'); is this a "
                "full PEEL report of the layout the manifest names?"
            )
        facts.partial = True
        facts.cut_short = "no assessment area section in the text"
        r.issue(
            0,
            "no assessment area section in the text (a report's first pages, or a partial "
            "copy): only what the text states about the inspection is read",
        )
    _assessment_statement(r)
    _issued(r)
    facts.inspector = _inspector(r)
    first: dict[str, Block] = {}  # the heading of each area's section, by the area's key
    for section in doc.sections:
        area = AreaFact(
            label=section.heading.text,
            concept=cycle.area_by_label(section.heading.text),
            heading=section.heading.span,
        )
        _one_section(r, first, area, section.heading)
        if area.concept is None:
            r.issue(
                section.heading.span.start,
                f"area heading {section.heading.text!r} names no area of "
                f"the {cycle.label} framework; kept under its own name",
            )
        stated = section.preamble + [g for g in section.grade_lines if g not in section.preamble]
        _grades(r, stated, area)
        if section.not_a_grade is not None:
            after_heading = section.not_a_grade.line == section.blocks[0].line
            place = (
                "the line after its heading"
                if after_heading
                else "the line that closes its section"
            )
            r.refuse_not_a_grade(section.not_a_grade, area, place)
        read_findings(doc, section.subsections, area)
        facts.areas.append(area)
    _table(doc, file, facts)
    r.report_disagreements()
    _missing_grades(r)
    facts.initiatives = extract_initiatives(doc, facts)
    facts.observations = extract_figures(doc, facts, file=file)
    return facts


def _one_section(r: _Report, first: dict[str, Block], area: AreaFact, heading: Block) -> None:
    """LayoutError naming both lines when ``area`` has a section already: its findings and
    grades would be two facts of one name (a page copied twice, two areas of one name)."""
    key = area.concept.notation if area.concept else area.label
    if key in first:
        raise LayoutError(
            f"{r.file}:{heading.line}: a second section of the area {area.label!r} (the first "
            f"is at line {first[key].line}); a report has one section for each area: remove "
            "the repeated text, or correct the heading"
        )
    first[key] = heading


def _assessment_statement(r: _Report) -> None:
    """Check the 'PEEL 2023–2025' heading against the manifest's assessment."""
    facts = r.facts
    for b in r.doc.blocks:
        found = r.words.first("assessment", b.text) if b.kind == "heading" else None
        if not found:
            continue
        stated = r.ref.named_assessment(found[1].group("year"))
        if stated is None:  # a year that names no assessment: keep looking
            continue
        if stated != facts.assessment:
            raise LayoutError(
                f"{r.file}:{b.line}: the text says {b.text!r} (assessment {stated.label}) but "
                f"the manifest says {facts.assessment.label}; correct the manifest"
            )
        facts.assessment_span = b.span
        return
    r.issue(
        0,
        "no 'PEEL <years>' heading states the assessment; the manifest's "
        f"({facts.assessment.label}) is used",
    )


def _issued(r: _Report) -> None:
    for b in r.doc.blocks:
        found = r.words.first("issued", b.text) if b.kind == "footer" else None
        if found:
            m = found[1]
            month = r.words.common.months.index(m.group("month").lower()) + 1
            r.facts.issued = f"{m.group('year')}-{month:02d}"
            r.facts.issued_span = r.doc.span(b.span.start, b.span.start + m.end("year"))
            return


def _inspector(r: _Report) -> Person | None:
    """The HM Inspector: the name line above a line such as 'HM Inspector of Constabulary'."""
    for prev, b in zip(r.doc.blocks, r.doc.blocks[1:], strict=False):
        if prev.kind == "heading" and r.words.first("inspector-role", b.text):
            raw = prev.span.quote
            post = re.search(_POST_NOMINALS, raw)
            name = raw[: post.start()] if post else raw
            return Person(
                name=name.strip(),
                post_nominals=post.group().strip() if post else "",
                span=r.doc.span(prev.span.start, prev.span.start + len(name.rstrip())),
                role=b.text.strip(),
            )
    return None


def _grades(r: _Report, blocks: list[Block], area: AreaFact) -> None:
    facts = r.facts
    for b in blocks:
        if b.kind == "grade" and (g := grade_notation(b.text)):
            facts.add_claim(area, GradeClaim("grade-line", g, b.span), r.file, b.line)
        elif is_grade_sentence(b, r.subject, r.words) and not any(
            c.form == "sentence" for c in area.claims
        ):
            found = r.words.first("grade-sentence", b.text, r.subject)
            grade = grade_notation(found[1].group("grade")) if found else None
            if grade:
                facts.add_claim(area, GradeClaim("sentence", grade, b.span), r.file, b.line)
        elif b.kind == "paragraph" and (found := r.words.first("revision", b.span.quote)):
            area.revision = _revision(r, b, found[1], area)


def _revision(r: _Report, b: Block, m: re.Match[str], area: AreaFact) -> Revision | None:
    facts = r.facts
    old, new = grade_notation(m.group("old")), grade_notation(m.group("new"))
    if not old or not new or old not in facts.cycle.grades or new not in facts.cycle.grades:
        r.issue(
            b.span.start,
            "a grade revision notice names a grade it cannot read on this assessment's scale; "
            "the revision is not recorded",
        )
        return None
    if normalise_label(m.group("area")) != normalise_label(area.label) and (
        facts.cycle.area_by_label(m.group("area")) != area.concept
    ):
        r.issue(
            b.span.start,
            f"a grade revision notice names {m.group('area')!r} inside the section {area.label!r}",
        )
    month = r.words.common.months.index(m.group("month").lower()) + 1

    def sub(group: str) -> Span:
        return r.doc.span(b.span.start + m.start(group), b.span.start + m.end(group))

    return Revision(
        date=f"{m.group('year')}-{month:02d}",
        old=GradeClaim("revision-notice", old, sub("old")),
        new=GradeClaim("revision-notice", new, sub("new")),
        reason=m.group("reason").strip(),
        span=b.span,
    )


def _missing_grades(r: _Report) -> None:
    """Report the graded areas the text states no grade for, and a count that does not add up."""
    facts = r.facts
    graded = [a for a in facts.areas if a.claims]
    ungraded = [
        a.label for a in facts.areas if not a.claims and (a.concept is None or a.concept.graded)
    ]
    if not graded:
        r.issue(
            0,
            "the text states no grade for any area (its judgments table may have been lost "
            "in extraction); findings are read, grades are left out",
        )
    elif ungraded:
        r.issue(0, f"no grade is stated for: {', '.join(ungraded)}")
    for b in r.doc.blocks:
        found = r.words.first("graded-count", b.text)
        if not found:
            continue
        word = found[1].group("count").lower()
        count = int(word) if word.isdigit() else r.words.common.numbers.get(word)
        if count is not None and count > len(graded):
            facts.partial = True
        sections = [a for a in facts.areas if a.concept is None or a.concept.graded]
        if count is not None and count > len(sections) and not facts.cut_short:
            facts.cut_short = (
                f"it says it makes {count} graded judgments, and has sections for "
                f"{len(sections)} graded area(s)"
            )
        if count is not None and count != len(graded):
            r.issue(
                b.span.start,
                f"the report says it makes {count} graded judgments, but grades of "
                f"{len(graded)} area(s) are stated in the text",
            )
        return


def _table(doc: Document, file: str, facts: SourceFacts) -> None:
    """Read a judgments table: a header row of grade words, then rows of area names by column."""
    header: list[str | None] | None = None
    for b in doc.blocks:
        if b.kind != "table":
            header = None
            continue
        cells = _cells(doc, b)
        grades = [grade_notation(c) if c else None for c, _, _ in cells]
        if all(g for g in grades) and len(grades) >= 4:
            header = grades
            continue
        if header is None:
            continue
        for col, (cell, start, end) in enumerate(cells):
            if not cell:
                continue
            grade = header[col] if col < len(header) else None
            area = _match_area(cell, facts)
            if grade is not None and area is None and facts.cycle.area_by_label(cell):
                facts.cut_short = f"its judgments table grades {cell!r}, which has no section"
            if grade is None or area is None:
                facts.issues.append(
                    Issue(
                        file,
                        b.line,
                        b.span.start + start,
                        f"judgments table cell {cell!r} matches no area section"
                        if grade
                        else f"table cell {cell!r} is under no grade",
                    )
                )
                continue
            claim = GradeClaim("table", grade, doc.span(b.span.start + start, b.span.start + end))
            facts.add_claim(area, claim, file, b.line)


def _cells(doc: Document, b: Block) -> list[tuple[str, int, int]]:
    """The tab-separated cells of a table line (leading tabs count), block-relative offsets."""
    line_start = doc.text.rfind("\n", 0, b.span.start) + 1
    raw = doc.text[line_start : b.span.end]
    out, pos = [], line_start - b.span.start
    for part in raw.split("\t"):
        text = part.strip()
        lead = part.find(text) if text else 0
        out.append((text, pos + lead, pos + lead + len(text)))
        pos += len(part) + 1
    return out


def _match_area(label: str, facts: SourceFacts) -> AreaFact | None:
    """The area section a table label names: by the framework's labels, else by shared words."""
    concept = facts.cycle.area_by_label(label)
    if concept is not None:
        for area in facts.areas:
            if area.concept == concept:
                return area
    return best_word_match(label, ((area, [area.label]) for area in facts.areas))
