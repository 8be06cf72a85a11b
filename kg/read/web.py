"""Reader for HMIC's PEEL web pages (2014 and 2015–17): sections dated 'Last updated'.

A page holds pillar or question sections. Each starts at a heading and
carries a 'Last updated dd/mm/yyyy' line; a 2016 page closes each pillar's
section with a link line such as 'View the three questions for legitimacy'.
Web clutter ('Skip to content', 'Read more about …') is kept as blocks and
simply never matches anything. Blocks that belong to another year (a 'Key
facts – 2019/20' panel) are cut off: nothing after such a heading is read.
"""

from __future__ import annotations

import re

from kg.model import Block, Document, Section
from kg.read.blocks import split_blocks

_UPDATED = re.compile(r"^Last updated (\d{1,2})/(\d{1,2})/(\d{4})$", re.I)
_VIEW = re.compile(r"^View the \w+ questions? for (?P<pillar>[\w ]+)$", re.I)
_OTHER_YEAR = re.compile(r"^Key facts\b.*\b(\d{4})(?:/(\d{2,4}))?$", re.I)


def updated_date(block: Block) -> str | None:
    """'Last updated 02/03/2017' -> '2017-03-02'; None if the block is not such a line."""
    m = _UPDATED.match(block.text)
    if not m:
        return None
    day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year}-{month:02d}-{day:02d}"


def view_pillar(block: Block) -> str | None:
    """The pillar a 'View the three questions for legitimacy' line names, or None."""
    m = _VIEW.match(block.text)
    return m.group("pillar").strip() if m else None


def read_web_page(text: str, years: tuple[int, int]) -> Document:
    """Read a web page into blocks and dated sections, dropping panels of years outside
    ``years`` (the cycle's first and last year).

    A section runs from a 'Last updated' line to the next one (or to a 'View
    the … questions for …' line, which it includes); its heading is the
    nearest heading before the date line.
    """
    blocks = split_blocks(text)
    kept: list[Block] = []
    for b in blocks:
        m = _OTHER_YEAR.match(b.text)
        if m and b.kind == "heading" and not years[0] <= int(m.group(1)) <= years[1]:
            break
        kept.append(b)
    sections: list[Section] = []
    dates = [i for i, b in enumerate(kept) if updated_date(b)]
    for n, i in enumerate(dates):
        end = dates[n + 1] if n + 1 < len(dates) else len(kept)
        for j in range(i + 1, end):
            if view_pillar(kept[j]):
                end = j + 1
                break
        heading = next(
            (kept[k] for k in range(i - 1, -1, -1) if kept[k].kind == "heading"), kept[i]
        )
        body = kept[i:end]
        sections.append(
            Section(
                heading=heading,
                blocks=body,
                preamble=body,
                subsections=[],
                grade_lines=[b for b in body if b.kind == "grade"],
            )
        )
    return Document(text=text, blocks=kept, sections=sections)
