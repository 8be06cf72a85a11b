"""Reader for the full PEEL report layouts (2021/22 onwards).

Two variants are read by the same rules, detected per area section:

- grade AFTER the section (PEEL 2023–25 text): the area heading, a sentence
  such as '<force> is adequate at …', the subsections, then a line holding
  only the grade word, which closes the section;
- grade BEFORE the section (PEEL 2025–27 text): the area heading, the grade
  line (possibly split 'Requires' / 'improvement'), the sentence, the
  subsections; the section runs to the next area heading or the footer.

An area heading is a heading line that names an area of the cycle's framework,
or one followed (within three blocks) by a grade line or a grade sentence.

A line of one to three words that stands where a grade line goes but holds no
grade word (between an area heading and its grade sentence, or closing a section
of a report whose other sections close with their grades) is kept as the
section's ``not_a_grade``: it is neither an area heading nor a finding, and the
extractor refuses the report naming it.

Nothing here depends on a particular force or on the wording of findings; how
grade sentences, finding headings and back matter are worded is data
(ontology/wording/report.yaml and common.yaml).
"""

from __future__ import annotations

import re

from kg.model import Block, Document, Item, Section, Subsection
from kg.read.blocks import joined, split_blocks, stands_alone
from kg.reference import CycleInfo, load_reference
from kg.wording import Family, Subject, load_family

_BODY_KINDS = {"paragraph", "bullet"}
_SENTENCE_BREAK = re.compile(r"[.!?]\s")


def is_grade_sentence(block: Block, subject: Subject, words: Family) -> bool:
    """A one-sentence paragraph that opens with the force (its name, 'The force', 'The
    constabulary' …) and states a grade (report.yaml, kind ``grade-sentence``)."""
    if block.kind != "paragraph" or _SENTENCE_BREAK.search(block.text):
        return False
    return words.first("grade-sentence", block.text, subject) is not None


def marker_type(block: Block, words: Family) -> str | None:
    """The finding type a subsection heading opens ('Areas for improvement'), or None."""
    if block.kind != "heading":
        return None
    return words.common.finding_type(block.text)


def read_report(text: str, force: str | Subject, cycle: CycleInfo) -> Document:
    """Read a full PEEL report about ``force`` (its name, or every name a text may use for
    it) into blocks and area sections."""
    words = load_family("report")
    subject = force if isinstance(force, Subject) else load_reference().subject(force)
    blocks = split_blocks(text)
    starts: list[int] = []
    in_grade_place: dict[int, Block] = {}  # an area heading's index -> the line after it
    stop = len(blocks)
    for i, b in enumerate(blocks):
        if starts and b.kind == "heading" and words.first("back-matter", b.text):
            stop = i
            break
        if placed := _in_grade_place(text, blocks, i, subject, cycle, words):
            at, in_grade_place[at] = placed
            starts = [s for s in starts if s < at] + [at]
        elif _is_area_heading(blocks, i, subject, cycle, words):
            starts.append(i)
    sections = []
    for n, i in enumerate(starts):
        limit = starts[n + 1] if n + 1 < len(starts) else stop
        section = _section(blocks, i, limit, words)
        section.not_a_grade = in_grade_place.get(i)
        sections.append(section)
    _closing_lines(sections, cycle)
    return Document(text=text, blocks=blocks, sections=sections)


def _no_grade_alone(block: Block, cycle: CycleInfo) -> bool:
    """A line of one to three words (:func:`stands_alone`: no grade, status or finding-type
    heading) that names no area of the framework: what a grade line holds when its word
    was replaced ('Splendid')."""
    return stands_alone(block) and cycle.area_by_label(block.text) is None


def _in_grade_place(
    text: str, blocks: list[Block], i: int, subject: Subject, cycle: CycleInfo, words: Family
) -> tuple[int, Block] | None:
    """When ``blocks[i]`` ends what stands in the grade line's place of a grade-before
    section (one line, or two as in 'Requires' / 'improvement', each :func:`_no_grade_alone`),
    with a heading (not a finding-type heading) before it and the grade sentence after it
    (or a finding-type heading, when that heading names an area of the framework): the
    index of that heading (the area heading) and the line (two lines joined). Else None."""
    if i == 0 or i + 1 >= len(blocks) or not _no_grade_alone(blocks[i], cycle):
        return None
    sentence = is_grade_sentence(blocks[i + 1], subject, words)
    if not sentence and marker_type(blocks[i + 1], words) is None:
        return None
    first = i - 1 if i >= 2 and _no_grade_alone(blocks[i - 1], cycle) else i
    if first < i and not _plain_heading(blocks[first - 1], words):
        first = i
    heading = blocks[first - 1]
    if not _plain_heading(heading, words) or not (sentence or cycle.area_by_label(heading.text)):
        return None
    line = joined(text, blocks[first], blocks[i], "heading") if first < i else blocks[i]
    return first - 1, line


def _plain_heading(block: Block, words: Family) -> bool:
    return block.kind == "heading" and marker_type(block, words) is None


def _closing_lines(sections: list[Section], cycle: CycleInfo) -> None:
    """In a report whose sections close with their grade lines (grade after the section),
    mark the last line of a section that has no grade line when it stands in the grade's
    place (:func:`_no_grade_alone`)."""
    if not any(s.grade_lines and s.blocks[-1] is s.grade_lines[-1] for s in sections):
        return
    for s in sections:
        if s.grade_lines or s.not_a_grade is not None or not s.blocks:
            continue
        if _no_grade_alone(s.blocks[-1], cycle):
            s.not_a_grade = s.blocks[-1]


def _is_area_heading(
    blocks: list[Block], i: int, subject: Subject, cycle: CycleInfo, words: Family
) -> bool:
    block = blocks[i]
    if block.kind != "heading" or marker_type(block, words):
        return False
    if cycle.area_by_label(block.text):
        return True
    nxt2 = blocks[i + 1 : i + 3]
    if len(nxt2) == 2 and nxt2[0].kind == "grade":
        # grade before the section: the grade line, then the sentence or a subsection
        return is_grade_sentence(nxt2[1], subject, words) or marker_type(nxt2[1], words) is not None
    # grade after the section: the sentence first, or second after one notice paragraph
    for nxt in blocks[i + 1 : i + 3]:
        if is_grade_sentence(nxt, subject, words):
            return True
        if nxt.kind != "paragraph":
            return False
    return False


def _section(blocks: list[Block], start: int, limit: int, words: Family) -> Section:
    """The area section opened by ``blocks[start]``, ending before ``limit`` at the latest."""
    heading = blocks[start]
    grade_first = any(b.kind == "grade" for b in blocks[start + 1 : min(start + 3, limit)])
    end = limit
    for j in range(start + 1, limit):
        kind = blocks[j].kind
        if kind == "footer" or (kind == "grade" and not grade_first):
            end = j + 1 if kind == "grade" else j
            break
    body = blocks[start + 1 : end]
    grade_lines = [b for b in body if b.kind == "grade"]
    preamble: list[Block] = []
    subsections: list[Subsection] = []
    current: Subsection | None = None
    for b in body:
        opened = marker_type(b, words)
        if opened:
            current = Subsection(kind=opened, marker=b)
            subsections.append(current)
        elif current is None:
            preamble.append(b)
        else:
            _add(current, b)
    if not subsections:
        # An area without finding-type headings (e.g. an ungraded assessment):
        # its headings are its main findings, after the introduction.
        implicit = Subsection(kind="main-finding", marker=None)
        rest = []
        for b in preamble:
            if implicit.items or b.kind == "heading":
                _add(implicit, b)
            else:
                rest.append(b)
        if implicit.items:
            preamble, subsections = rest, [implicit]
    return Section(
        heading=heading,
        blocks=body,
        preamble=preamble,
        subsections=subsections,
        grade_lines=grade_lines,
    )


def _add(sub: Subsection, block: Block) -> None:
    """Add one block to a subsection: a heading opens an item, body blocks follow it; a
    line holding only a number is a page number of a printed copy, and is left out."""
    if block.kind == "heading" and block.text.isdigit():
        return
    if block.kind == "heading":
        sub.items.append(Item(head=block))
    elif block.kind in _BODY_KINDS:
        if sub.items:
            sub.items[-1].body.append(block)
        else:
            sub.intro.append(block)


__all__ = ["is_grade_sentence", "marker_type", "read_report"]
