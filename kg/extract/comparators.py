"""Comparators: the values a report compares a figure with, read from the words before a number.

A number is a comparator, not a figure, when the words between the figure
before it and the number say so (tests/gold/README.md):

- ``england-and-wales-average`` / ``-median``: '… below the average for England
  and Wales of 29.2 percent', 'compared to 4.8 times more likely across England
  and Wales', 'The England and Wales average is 3.7.';
- ``national-standard``: 'the standard expected of forces in England and Wales
  of answering 90.0 percent …';
- ``typical-range``: 'the typical range … is between 7.0 and 22.4'; or, without
  values, 'within the typical range for forces in England and Wales';
- ``previous-value``: 'from 8 to 11' (8 is the earlier value of 11), 'a decrease
  from 80', 'higher than the 24.8 percent recorded in the year ending …'.

'in line with other forces in England and Wales' is an England and Wales
average without a value. ``comparison`` is how the text places the figure:
above, below, within, in-line-with.
"""

from __future__ import annotations

import re

from kg.extract.facts import ComparatorFact
from kg.extract.numbers import NUMBER, Number, parse_value

_AVERAGE = re.compile(r"\b(?P<k>average|median)\b[^.;]{0,100}?\b(?:of|is|was|at)\s+$", re.I)
_STANDARD = re.compile(r"\b(?:standard|target)\b[^.;]{0,100}?\b(?:of|is|was|at)(?:\s+\w+ing)?\s+$")
_THAN = re.compile(r"\b(?P<w>than|compared\s+(?:to|with))\s+(?:the\s+)?$", re.I)
_FROM = re.compile(r"\bfrom\s+$", re.I)
_FROM_TO = re.compile(rf"\s*(?:\w+\s+){{0,4}}?to\s+(?:between\s+)?(?:£\s?)?(?:{NUMBER})\b", re.I)
_EARLIER = re.compile(
    r"\b(?:previous|last|earlier|before)\b|\b(?:in|for|during)\s+(?:the\s+)?(?:year|\d{4})\b", re.I
)
_RANGE_LOW = re.compile(r"\btypical\s+range\b[^.;]{0,60}\bbetween\s+$", re.I)
_RANGE_HIGH = re.compile(rf"\s+and\s+(?P<n>{NUMBER})", re.I)
#: Words that name the comparison group: England and Wales, all forces, the national standard.
GROUP = re.compile(r"England\s+and\s+Wales|\bnational\b|\ball\s+forces\b|\bexpected\b", re.I)
#: A sentence giving a comparator of the one before: 'The England and Wales average is 3.7.'
GROUP_SENTENCE = re.compile(
    r"^(?:The\s+)?(?:England\s+and\s+Wales|national)\s+(?:average|median|standard)\b", re.I
)
#: A figure about the comparison group, not the force: '… decreased by 25.9 percent across
#: England and Wales'.
GROUP_FIGURE = re.compile(
    r"\bacross\s+(?:all\s+forces\s+in\s+)?England\s+and\s+Wales\b"
    r"|\bforces\s+in\s+England\s+and\s+Wales\s+(?:recorded|had|were|made)\b",
    re.I,
)
#: Comparators without a value, each with a word every match of it holds.
_VALUE_FREE = [
    (
        re.compile(
            r"\b(?P<c>within|higher\s+than|lower\s+than|above|below|in\s+line\s+with)\s+"
            r"the\s+typical\s+range\b",
            re.I,
        ),
        "typical-range",
        "typical",
    ),
    (
        re.compile(
            r"\b(?P<c>in\s+line\s+with|higher\s+than|lower\s+than|above|below)\s+(?:the\s+rate\s+"
            r"(?:across|for|of)\s+)?(?:other|all)\s+forces\s+in\s+England\s+and\s+Wales\b",
            re.I,
        ),
        "england-and-wales-average",
        "forces",
    ),
]
_COMPARISONS = [
    (re.compile(r"higher than|above|more than|greater than|exceed", re.I), "above"),
    (re.compile(r"lower than|below|less than|fewer than", re.I), "below"),
    (re.compile(r"in line with|similar to|the same as", re.I), "in-line-with"),
    (re.compile(r"\bwithin\b", re.I), "within"),
]


def read_comparator(text: str, n: Number, lead: str) -> tuple[ComparatorFact, int | None] | None:
    """The comparator ``n`` is, from ``lead`` (the words since the figure before), or None.

    Returns the comparator (its unit is ``n``'s, or None for a bare number, which
    takes the unit of the figure it belongs to) and, for a range, the offset of
    its high end's number. 'from 8 to 11' is not read here (see :func:`starts_from_to`).
    """
    after = text[n.unit_end : n.unit_end + 60]
    kind = None
    if m := _AVERAGE.search(lead):
        if GROUP.search(lead) or GROUP.search(after):
            kind = f"england-and-wales-{m['k'].lower()}"
    elif _STANDARD.search(lead) and GROUP.search(lead):
        kind = "national-standard"
    elif _RANGE_LOW.search(lead):
        kind = "typical-range"
    elif m := _THAN.search(lead):
        if GROUP.search(after[:40]):
            kind = "england-and-wales-average"
        elif m["w"].lower() == "than" and _EARLIER.search(after):
            kind = "previous-value"
    elif _FROM.search(lead):
        kind = "previous-value"
    if kind is None:
        return None
    unit = None if n.unit == "count" and not n.word else n.unit
    if kind == "typical-range":
        high = _RANGE_HIGH.match(text, n.unit_end)
        if high is None:
            return None
        low, top = n.value, parse_value(high["n"])
        return ComparatorFact(kind, comparison(lead), None, low, top, unit), high.start("n")
    return ComparatorFact(kind, comparison(lead), n.value, unit=unit), None


def starts_from_to(text: str, n: Number, lead: str) -> bool:
    """True for the 8 of 'from 8 to 11': the earlier value of the figure that follows."""
    return bool(_FROM.search(lead) and _FROM_TO.match(text, n.unit_end))


def value_free(text: str) -> list[tuple[int, ComparatorFact]]:
    """Comparators a sentence gives without a value, with their offsets: 'within the typical
    range for forces in England and Wales' (unit left to the figure they belong to)."""
    low = text.lower() if text.isascii() else None  # re.I compares ASCII as lower() does
    return [
        (m.start(), ComparatorFact(kind, comparison(m["c"])))
        for pattern, kind, word in _VALUE_FREE
        if low is None or word in low  # no match without its word
        for m in pattern.finditer(text)
    ]


def add_comparator(comparators: list[ComparatorFact], new: ComparatorFact) -> None:
    """Add ``new`` unless it is there already; one with values replaces one of its kind without."""
    for i, c in enumerate(comparators):
        if c.kind != new.kind:
            continue
        if (c.value, c.low, c.high) == (new.value, new.low, new.high):
            return
        if c.value is None and c.low is None:
            comparators[i] = new
            return
    comparators.append(new)


def comparison(lead: str) -> str | None:
    """How the words place a figure against its comparator: above, below, within, in-line-with."""
    for pattern, word in _COMPARISONS:
        if pattern.search(lead):
            return word
    return None


__all__ = [
    "GROUP",
    "GROUP_FIGURE",
    "GROUP_SENTENCE",
    "add_comparator",
    "comparison",
    "read_comparator",
    "starts_from_to",
    "value_free",
]
