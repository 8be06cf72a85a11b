"""Reader for HMIC and HMICFRS PEEL web pages, 2014 to 2018/19: one layout family.

A page is a title ('Cheshire 2016', 'Cheshire PEEL 2017', 'Cheshire 2018/19'), a
summary (the overview's first sentences, the inspector's signature, the HMI's
observations) and area sections. An area section opens at a line that names an
area of the framework exactly (a pillar such as 'How well the force tackles
crime' or 'Effectiveness', a question ending in '?', optionally numbered), or at
a 'Last updated' line under another heading when the section closes with 'View
the three questions for leadership' or 'Questions for Leadership', which name
its area. It holds, each optional: a 'Last updated dd/mm/yyyy' line, a grade or
status line ('Good', 'Requires' / 'improvement', 'To be graded', 'Ungraded'; one to
three other words there, such as 'Fair', are kept as ``not_a_grade`` and refused),
paragraphs, and findings under headings such as 'Areas for improvement': the bullets that
follow, or the one paragraph that follows when there is no bullet. A
section ends at the next area line, at 'Questions for …', at 'View the five
questions for …', or at the HMI's observations.

Pages come whole or partial, spaced (blank lines) or compact (one line a
block); web clutter ('Skip to content', banners, 'Contact …') stays as blocks
that match nothing. A panel about another year ('Key facts – 2019/20') and all
after it is cut off. How things are worded is data (ontology/wording/web.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.model import Block, Document, Item, Subsection
from kg.read.blocks import split_blocks, stands_alone, unbulleted
from kg.reference import AreaConcept, CycleInfo
from kg.wording import Family, load_family

_NUMBER = re.compile(r"^\d{1,2}$")
_NUMBERED = re.compile(r"^\d{1,2}\s+(?=\S)")
_UNGRADED_TAIL = re.compile(r"\s*\((?:Ungraded|Not graded)\)\s*$", re.I)


@dataclass
class PageSection:
    """The section of one area on a web page."""

    area: AreaConcept
    heading: Block
    body: list[Block] = field(default_factory=list)
    updated: Block | None = None
    grade_line: Block | None = None  # a line holding only a grade word
    status_line: Block | None = None  # 'To be graded', 'Ungraded', 'Not being graded'
    not_a_grade: Block | None = None  # in the grade line's place, no grade or status ('Fair')
    findings: list[Subsection] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Block]:
        """The body's paragraphs (and headings that read as sentences), in order."""
        return [b for b in self.body if b.kind in ("paragraph", "heading")]


@dataclass
class WebPage:
    """A web page read into its title, summary, observations and area sections."""

    doc: Document
    title: Block | None
    summary: list[Block]  # blocks before the first section, outside the observations
    observations: list[Block]  # the HMI's observations
    sections: list[PageSection]


def area_of_line(block: Block, cycle: CycleInfo) -> AreaConcept | None:
    """The area a line names exactly ('2 How effective is the force at …?'), or None."""
    if block.kind not in ("heading", "paragraph"):
        return None
    text = _UNGRADED_TAIL.sub("", _NUMBERED.sub("", block.text))
    return cycle.area_by_label(text)


def read_web_page(text: str, cycle: CycleInfo, family: Family | None = None) -> WebPage:
    """Read a PEEL web page of ``cycle``'s framework (see the module docstring)."""
    words = family or load_family("web")
    blocks = _cut_other_years(split_blocks(text), words)
    doc = Document(text=text, blocks=blocks, sections=[])
    title = next(
        (b for b in blocks[:12] if b.kind == "heading" and words.first("title", b.text)), None
    )
    summary: list[Block] = []
    observations: list[Block] = []
    sections: list[PageSection] = []
    current: PageSection | None = None
    unnamed: list[Block] = []  # a dated section under a heading that names no area
    in_observations = False
    for i, b in enumerate(blocks):
        area = area_of_line(b, cycle)
        if area is not None:
            if current is not None and current.area == area and not current.body:
                continue  # 'Effectiveness' then 'How well the force tackles crime': one section
            current, unnamed = PageSection(area=area, heading=b), []
            sections.append(current)
            in_observations = False
            continue
        if words.first("observations", b.text):
            current, unnamed, in_observations = None, [], True
            continue
        if asked := words.first("questions", b.text):
            named = cycle.area_by_label(asked[1].group("area"))
            if current is None and unnamed and named is not None:
                # a leadership page: 'Last updated' … 'Questions for Leadership'
                sections.append(PageSection(named, _heading_before(blocks, i), unnamed))
            current, unnamed = None, []
            continue
        if current is None and words.first("updated", b.text):
            # 'Other inspections' … 'Last updated' … 'View the three questions for leadership'
            unnamed = [b]
            continue
        if current is None and unnamed:
            unnamed.append(b)
            ended = words.first("section-end", b.text)
            named = cycle.area_by_label(ended[1].group("area")) if ended else None
            if named is not None:
                sections.append(PageSection(named, _heading_before(blocks, i), unnamed))
                unnamed = []
            continue
        if current is None:
            (observations if in_observations else summary).append(b)
            continue
        current.body.append(b)
        if words.first("section-end", b.text):
            current = None
    summary += unnamed  # a dated section that never named its area is read as summary
    for section in sections:
        _furnish(section, words, cycle)
    return WebPage(doc, title, summary, observations, sections)


def _heading_before(blocks: list[Block], i: int) -> Block:
    """The nearest heading before ``blocks[i]`` (the page's name for a section that is
    named only at its end), else ``blocks[i]`` itself."""
    return next((h for h in reversed(blocks[:i]) if h.kind == "heading"), blocks[i])


def _cut_other_years(blocks: list[Block], words: Family) -> list[Block]:
    """Blocks up to a panel about another year ('Key facts – 2019/20'), which is left out."""
    for i, b in enumerate(blocks):
        if b.kind == "heading" and words.first("other-year", b.text):
            return blocks[:i]
    return blocks


def _grade_place(section: PageSection, words: Family) -> Block | None:
    """The line where a section's grade line goes: the one under 'Last updated', else the
    first line of a section opened by a question ('To what extent …?' / 'Good')."""
    body = section.body
    for n, b in enumerate(body[:4]):
        if words.first("updated", b.text):
            return body[n + 1] if n + 1 < len(body) else None
    return body[0] if body and section.heading.text.rstrip().endswith("?") else None


def _furnish(section: PageSection, words: Family, cycle: CycleInfo) -> None:
    """Find a section's date, grade or status line and its lists of findings. A line of
    one to three words in the grade line's place (:func:`_grade_place`) that is neither a
    grade nor a status, nor an area or a finding-type heading (:func:`stands_alone`), is
    kept as ``not_a_grade``."""
    place = _grade_place(section, words)
    if place is not None and stands_alone(place) and area_of_line(place, cycle) is None:
        section.not_a_grade = place
    for b in section.body[:4]:
        if words.first("updated", b.text) and section.updated is None:
            section.updated = b
        elif b.kind == "grade" and section.grade_line is None and section.status_line is None:
            section.grade_line = b
        elif b.kind == "status" and section.status_line is None and section.grade_line is None:
            section.status_line = b
        elif not _NUMBER.match(b.text):
            break
    current: Subsection | None = None
    for b in section.body:
        opened = words.common.finding_type(b.text) if b.kind == "heading" else None
        if opened:
            current = Subsection(kind=opened, marker=b)
            section.findings.append(current)
        elif current is not None and b.kind == "bullet":
            current.items.append(Item(head=unbulleted(b)))
        elif current is not None and b.kind == "paragraph" and not current.items:
            if b.text.rstrip().endswith(":"):
                continue  # 'The force should:' introduces the bullets that follow
            # a cause of concern written as one paragraph under its heading
            current.items.append(Item(head=b))
            current = None
        elif current is not None and current.items:
            current = None


__all__ = ["PageSection", "WebPage", "area_of_line", "read_web_page"]
