"""The plain document model every reader produces, and the facts extraction yields.

Offsets are Python ``str`` indices into the source text decoded as UTF-8,
end exclusive, so ``text[span.start:span.end] == span.quote`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A character range of a source text and the exact text in it."""

    start: int
    end: int
    quote: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span ``text[start:end]``."""
        if not 0 <= start < end <= len(text):
            raise ValueError(f"bad span {start}-{end} for a text of {len(text)} characters")
        return cls(start, end, text[start:end])


@dataclass(frozen=True)
class Block:
    """One line-level unit of a document: a heading, a paragraph, a bullet, a grade line…

    ``kind`` is one of: heading, paragraph, bullet, grade, status, table, figure,
    contents, footer. ``text`` is the clean text (link markup removed);
    ``span`` covers the raw text in the file.
    """

    kind: str
    text: str
    span: Span
    line: int  # 1-based line number of the block's first line


@dataclass
class Item:
    """A headline (a heading or a bullet) with the body blocks that follow it."""

    head: Block
    body: list[Block] = field(default_factory=list)


@dataclass
class Subsection:
    """A finding-type part of an area section: 'Main findings', 'Areas for improvement'…"""

    kind: str  # a finding type code, e.g. "area-for-improvement"
    marker: Block | None  # the heading that opened it (None when implicit)
    intro: list[Block] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


@dataclass
class Section:
    """The section of one assessment area, from its heading to its end."""

    heading: Block
    blocks: list[Block]
    preamble: list[Block]  # blocks before the first subsection
    subsections: list[Subsection]
    grade_lines: list[Block]
    # the line standing where the section's grade line goes, when it holds no grade word
    # ('Splendid' for 'Good'): reported by the extractor, never read as a heading
    not_a_grade: Block | None = None


@dataclass
class Document:
    """A source text read into blocks and area sections."""

    text: str
    blocks: list[Block]
    sections: list[Section]

    def span(self, start: int, end: int) -> Span:
        """The span ``text[start:end]``."""
        return Span.of(self.text, start, end)

    def line_of(self, offset: int) -> int:
        """The 1-based line of a character offset of the text."""
        return self.text.count("\n", 0, offset) + 1

    def first_mention(self, name: str) -> Span | None:
        """The span of the first place the text writes ``name``, or None."""
        at = self.text.find(name)
        return self.span(at, at + len(name)) if at >= 0 and name else None
