"""Extract the inspection, its judgments and its findings from a full PEEL report.

Every grade a report states is kept as a claim with its span: the grade line,
the judgment sentence, the judgments table. Claims that disagree are reported
as issues and left in the graph for validation to flag; they are never
silently resolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.errors import LayoutError
from kg.extract.facts import (
    AreaFact,
    FindingFact,
    GradeClaim,
    Issue,
    Person,
    Revision,
    SourceFacts,
    force_mention,
)
from kg.extract.figures import extract_figures
from kg.extract.initiatives import extract_initiatives
from kg.model import Block, Document, Span, Subsection
from kg.read.report import grade_in_sentence, is_grade_sentence
from kg.reference import CycleInfo, best_word_match, grade_notation, normalise_label

_CYCLE = re.compile(r"^PEEL (\d{4})\s*[\u2013\u2014-]\s*(\d{2}|\d{4})$")
_ROLE = re.compile(r"^(?:HM|His Majesty['’]s|Her Majesty['’]s) (?:Chief )?Inspector of ", re.I)
_POST_NOMINALS = re.compile(r"(?:\s+(?:[A-Z]{2,6}|KC|QC))+$")
_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_ISSUED = re.compile(r"^(?P<m>[A-Z][a-z]+) (?P<y>\d{4}) \| ©")
_QUOTED = r"[‘'\"“](?P<{0}>[^’'\"”]+)[’'\"”]"
_REVISION = re.compile(
    r"^In (?P<month>[A-Z][a-z]+) (?P<year>\d{4}), the grade for "
    + _QUOTED.format("area")
    + r" was changed from "
    + _QUOTED.format("old")
    + r" to "
    + _QUOTED.format("new")
    + r"\.\s*(?P<reason>.*)$"
)
_LEAD_IN = re.compile(
    r"^(?P<deadline>(?:Within|By|Immediately|Over|In)\b[^,]*),\s+.+?\s+"
    r"(?:should|must)\b[^:]*:$"
)
_BULLET = re.compile(r"^\s*(?:[-•*\u2022\u2013]|\d+\.)\s+")
_TRAIL = re.compile(r"(?:;\s*(?:and|or)|[;,.])\s*$")


def extract_report(doc: Document, file: str, force: str, cycle: CycleInfo) -> SourceFacts:
    """Extract the facts of one full report that has been read into ``doc``."""
    facts = SourceFacts(force=force, force_span=force_mention(doc, file, force), cycle=cycle)
    if not doc.sections:
        raise LayoutError(
            f"{file}: no assessment area section found (an area heading followed by its grade "
            "or a sentence such as '<force> is good at …'); is this a full PEEL report of the "
            "layout the manifest names?"
        )
    _cycle_statement(doc, file, facts)
    _issued(doc, facts)
    facts.inspector = _inspector(doc)
    for section in doc.sections:
        area = AreaFact(
            label=section.heading.text,
            concept=cycle.area_by_label(section.heading.text),
            heading=section.heading.span,
        )
        if area.concept is None:
            facts.issues.append(
                _issue(
                    file,
                    section.heading,
                    f"area heading {section.heading.text!r} names no area of "
                    f"the {cycle.label} framework; kept under its own name",
                )
            )
        stated = section.preamble + [g for g in section.grade_lines if g not in section.preamble]
        _grades(doc, file, stated, force, area, facts)
        _findings(doc, section.subsections, area)
        facts.areas.append(area)
    _table(doc, file, facts)
    for area in facts.areas:
        grades = {c.grade for c in area.claims}
        if len(grades) > 1:
            said = "; ".join(
                f"{c.form} says {c.grade} ({c.span.start}-{c.span.end})" for c in area.claims
            )
            facts.issues.append(
                Issue(
                    file,
                    _line(doc, area.heading.start),
                    area.heading.start,
                    f"the grade of {area.label!r} is stated differently: {said}",
                )
            )
    facts.initiatives = extract_initiatives(doc, facts)
    facts.observations = extract_figures(doc, facts)
    return facts


def _line(doc: Document, offset: int) -> int:
    return doc.text.count("\n", 0, offset) + 1


def _issue(file: str, block: Block, message: str) -> Issue:
    return Issue(file, block.line, block.span.start, message)


def _sub(doc: Document, block: Block, start: int, end: int) -> Span:
    """A span inside a block's raw text, by offsets relative to the block."""
    return doc.span(block.span.start + start, block.span.start + end)


def _cycle_statement(doc: Document, file: str, facts: SourceFacts) -> None:
    for b in doc.blocks:
        m = _CYCLE.match(b.text) if b.kind == "heading" else None
        if not m:
            continue
        end = m.group(2)[-2:]
        stated = f"{m.group(1)}-{end}"
        if stated != facts.cycle.notation:
            raise LayoutError(
                f"{file}:{b.line}: the text says {b.text!r} but the manifest says "
                f"cycle {facts.cycle.notation}; correct the manifest"
            )
        facts.cycle_span = b.span
        return
    facts.issues.append(
        Issue(
            file, 1, 0, "no 'PEEL <years>' heading states the cycle; the manifest's cycle is used"
        )
    )


def _issued(doc: Document, facts: SourceFacts) -> None:
    for b in doc.blocks:
        m = _ISSUED.match(b.text) if b.kind == "footer" else None
        if m and m.group("m").lower() in _MONTHS:
            month = _MONTHS.index(m.group("m").lower()) + 1
            facts.issued = f"{m.group('y')}-{month:02d}"
            facts.issued_span = _sub(doc, b, 0, len(m.group("m")) + 5)
            return


def _inspector(doc: Document) -> Person | None:
    for prev, b in zip(doc.blocks, doc.blocks[1:], strict=False):
        if prev.kind == "heading" and _ROLE.match(b.text):
            raw = prev.span.quote
            post = _POST_NOMINALS.search(raw)
            name = raw[: post.start()] if post else raw
            return Person(
                name=name.strip(),
                post_nominals=post.group().strip() if post else "",
                span=doc.span(prev.span.start, prev.span.start + len(name.rstrip())),
            )
    return None


def _grades(
    doc: Document, file: str, blocks: list[Block], force: str, area: AreaFact, facts: SourceFacts
) -> None:
    for b in blocks:
        if b.kind == "grade" and (g := grade_notation(b.text)):
            area.claims.append(GradeClaim("grade-line", g, b.span))
        elif is_grade_sentence(b, force) and not any(c.form == "sentence" for c in area.claims):
            word = grade_in_sentence(b.text)
            area.claims.append(GradeClaim("sentence", grade_notation(word or "") or "", b.span))
        elif b.kind == "paragraph" and (m := _REVISION.match(b.span.quote)):
            area.revision = _revision(doc, file, b, m, area, facts)


def _revision(
    doc: Document, file: str, b: Block, m: re.Match[str], area: AreaFact, facts: SourceFacts
) -> Revision | None:
    old, new = grade_notation(m.group("old")), grade_notation(m.group("new"))
    month = m.group("month").lower()
    if not old or not new or month not in _MONTHS:
        facts.issues.append(
            _issue(
                file,
                b,
                "a grade revision notice names a grade or month it "
                "cannot read; the revision is not recorded",
            )
        )
        return None
    if normalise_label(m.group("area")) != normalise_label(area.label) and (
        facts.cycle.area_by_label(m.group("area")) != area.concept
    ):
        facts.issues.append(
            _issue(
                file,
                b,
                f"a grade revision notice names {m.group('area')!r} "
                f"inside the section {area.label!r}",
            )
        )
    return Revision(
        date=f"{m.group('year')}-{_MONTHS.index(month) + 1:02d}",
        old=GradeClaim("revision-notice", old, _sub(doc, b, m.start("old"), m.end("old"))),
        new=GradeClaim("revision-notice", new, _sub(doc, b, m.start("new"), m.end("new"))),
        reason=m.group("reason").strip(),
        span=b.span,
    )


def _findings(doc: Document, subsections: list[Subsection], area: AreaFact) -> None:
    counts: dict[str, int] = {}
    last_concern: int | None = None

    def add(
        kind: str,
        head: Block,
        body: list[Block],
        deadline: str | None = None,
        addresses: int | None = None,
    ) -> FindingFact:
        counts[kind] = counts.get(kind, 0) + 1
        finding = FindingFact(
            type=kind,
            ordinal=counts[kind],
            headline=head.text,
            span=head.span,
            deadline=deadline,
            addresses=addresses,
        )
        if body:
            finding.body = "\n".join(b.text for b in body)
            finding.body_span = doc.span(body[0].span.start, body[-1].span.end)
        area.findings.append(finding)
        return finding

    for sub in subsections:
        if sub.kind == "recommendation":
            _recommendations(doc, sub, add, last_concern)
            continue
        for item in sub.items:
            add(sub.kind, item.head, item.body)
            if sub.kind == "cause-of-concern":
                last_concern = counts[sub.kind]


def _recommendations(
    doc: Document, sub: Subsection, add: Callable[..., FindingFact], concern: int | None
) -> None:
    """Each bullet of a recommendations list is one recommendation with the list's deadline."""
    deadline: str | None = None
    lead: list[Block] = []
    for b in sub.intro + [item.head for item in sub.items]:
        m = _LEAD_IN.match(b.text)
        if b.kind == "paragraph" and m:
            deadline, lead = m.group("deadline"), [b]
        elif b.kind in ("bullet", "heading"):
            raw = b.span.quote
            start = _BULLET.match(raw).end() if _BULLET.match(raw) else 0  # type: ignore[union-attr]
            trail = _TRAIL.search(raw)
            end = trail.start() if trail else len(raw)
            head = Block(
                b.kind,
                _TRAIL.sub("", _BULLET.sub("", b.text)).strip(),
                _sub(doc, b, start, end),
                b.line,
            )
            add("recommendation", head, lead, deadline=deadline, addresses=concern)


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
            area.claims.append(GradeClaim("table", grade, _sub(doc, b, start, end)))


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
