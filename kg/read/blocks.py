"""Split a plain-text source into classified blocks, one per non-blank line.

A heading is a line with no final full stop (or other closing punctuation);
a grade line is a line that is only a grade word, possibly split over two
lines ('Requires' / 'improvement'); a status line says an area is not graded
('To be graded', 'Ungraded'). Link markup such as ``[term](#)`` and
``<u>term</u>`` is removed from the clean text, never from the span.
"""

from __future__ import annotations

import re

from kg.model import Block, Span
from kg.wording import grade_notation, load_common, status_notation

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAGS = re.compile(r"</?u>")
_ESCAPE = re.compile(r"\\([()\[\]])")
_CONTENTS = re.compile(r"^[^\t]+\t\s*\d+\s*$")
_BULLET = re.compile(r"^(?:[-•*\u2022\u2013]\s+|[·►]\s*|\d+\.\s+)")
_FIGURE = re.compile(
    r"^(?:Figure \d+|Table \d+|Source|Sources|Chart description|Note|Notes):|"
    r"^The accessible data table",
    re.I,
)
_FOOTER = re.compile(
    r"^(?:(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{4} \| ©|\S+\.gov\.uk$|©)"
)
_DIGIT = re.compile(r"\d")
_CLOSED = re.compile(r"[.:;?!][\"'’”)\]]*$")
# A sentence ends at . ! or ? (and closing quotes) before whitespace and a capital, digit,
# opening quote or bracket: '11.2 percent' and '3.6 times' stay whole.
_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*\s+(?=[A-Z0-9‘'\"“(£\[])")


def clean(raw: str) -> str:
    """The readable text of a raw line: link markup and underline tags removed."""
    text = _TAGS.sub("", _LINK.sub(r"\1", raw))
    return _ESCAPE.sub(r"\1", text).replace("\u00a0", " ").strip()


def classify(raw: str, text: str) -> str:
    """The kind of one non-blank line."""
    if _CONTENTS.match(raw) and not raw.startswith("\t"):
        return "contents"
    if "\t" in raw:
        return "table"
    if _BULLET.match(text):
        return "bullet"
    if _FIGURE.match(text):
        return "figure"
    if _FOOTER.match(text):
        return "footer"
    if grade_notation(text):
        return "grade"
    if status_notation(text):
        return "status"
    if not _CLOSED.search(text):
        return "heading"
    return "paragraph"


def stands_alone(block: Block) -> bool:
    """True for a heading of one to three words without digits that opens no list of
    findings: what stands in a grade line's place ('Good', 'Requires improvement', or a
    word that replaced one), where a page number ('12') or 'Main findings' is not."""
    return (
        block.kind == "heading"
        and len(block.text.split()) <= 3
        and not _DIGIT.search(block.text)
        and load_common().finding_type(block.text) is None
    )


def joined(text: str, first: Block, last: Block, kind: str) -> Block:
    """One block of kind ``kind`` from ``first`` to ``last`` (lines of ``text``): their
    texts joined by a space, the span over both, at ``first``'s line."""
    s, e = first.span.start, last.span.end
    return Block(kind, f"{first.text} {last.text}", Span(s, e, text[s:e]), first.line)


def unbulleted(b: Block) -> Block:
    """``b`` with its bullet marker ('- ', '• ', '1. ') left out of its text and its span;
    ``b`` itself when it starts with none."""
    lead = _BULLET.match(b.span.quote)
    if lead is None:
        return b
    start = b.span.start + lead.end()
    span = Span(start, b.span.end, b.span.quote[lead.end() :])
    return Block(b.kind, _BULLET.sub("", b.text).strip(), span, b.line)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a text, as (start, end) offsets, whitespace trimmed."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + len(m.group().rstrip())
        out.append((start, end))
        start = m.end()
    if start < len(text.rstrip()):
        out.append((start, len(text.rstrip())))
    return [(a, b) for a, b in out if text[a:b].strip()]


def split_blocks(text: str) -> list[Block]:
    """Every non-blank line of ``text`` as a Block; split grade lines are joined."""
    blocks: list[Block] = []
    pos = 0
    for number, line in enumerate(text.split("\n"), 1):
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        s, e = start + lead, start + lead + len(stripped)
        clean_text = clean(stripped)
        if not clean_text:
            continue
        kind = classify(line, clean_text)
        blocks.append(Block(kind, clean_text, Span(s, e, text[s:e]), number))
    return _join_split_grades(text, blocks)


_SENTENCE_CLOSED = re.compile(r"[.!?:;][\"'’”)\]]*$")
_CONTINUES = re.compile(r"^(?:[a-z0-9]|[‘'\"“(][a-z])")
_SPLIT_GRADE = re.compile(r"\brequir(?:es|e|ing|ed)$", re.I)
_JOINABLE = {"heading", "paragraph", "bullet"}


def join_wrapped(text: str, blocks: list[Block]) -> list[Block]:
    """Join lines a text was hard-wrapped at (a press release copied at 60 characters a
    line): a line that does not end a sentence and the next line, when that one starts
    in lower case ('‘inadequate’' / 'in three areas') or ends a grade split in two
    ('requires' / 'Improvement'). Bullets start new blocks; a blank line always ends one."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind in _JOINABLE
            and b.kind in _JOINABLE - {"bullet"}
            and b.line == prev.line + prev.span.quote.count("\n") + 1
            and not _SENTENCE_CLOSED.search(prev.text)
            and (
                _CONTINUES.match(b.text)
                or (_SPLIT_GRADE.search(prev.text) and b.text.lower().startswith("improvement"))
            )
        ):
            both = f"{prev.text} {b.text}"
            kind = prev.kind if prev.kind == "bullet" else classify(both, both)
            out[-1] = joined(text, prev, b, kind)
            continue
        out.append(b)
    return out


def _join_split_grades(text: str, blocks: list[Block]) -> list[Block]:
    """Join a heading and the next line that together are one grade ('Requires' 'improvement')."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "heading" and i + 1 < len(blocks) and " " not in b.text:
            nxt = blocks[i + 1]
            if nxt.kind == "heading" and grade_notation(f"{b.text} {nxt.text}"):
                out.append(joined(text, b, nxt, "grade"))
                i += 2
                continue
        out.append(b)
        i += 1
    return out
