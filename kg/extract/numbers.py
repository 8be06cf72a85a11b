"""Numbers in a sentence and the units they are stated in; which numbers are not figures.

Works on the clean text of a sentence (link markup removed; see
:func:`clean_map`). Following tests/gold/README.md, a number is not a figure
when it is a year or a day of a date, a figure, table, outcome, level, grade or
section number, part of a name ('999 calls', '101 calls', 'PIP 2'), an age,
part of a hyphenated word ('one-to-one'; but '24-hour', 'two-monthly' and
'three-tiered' are quantities), part of '24 hours a day, 7 days a week', a
number of things already counted ('these two tiers'), or the word 'one' used
as a pronoun or article ('in one example', 'one of the', 'One was').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")
_DROP = re.compile(r"</?u>|\\(?=[()\[\]])")

_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD = (
    rf"(?:(?:{'|'.join(_TENS)})(?:-(?:{'|'.join(_ONES)}))?|{'|'.join(_TEENS)}|{'|'.join(_ONES)})"
)
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + _WORD
_NUM = re.compile(
    r"(?<![\w.,/£\-–])(?P<pound>£\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<mult>\s?(?:million|billion|bn|m|k)\b)?(?P<pct>%)?(?![\w/–]|[.,]\d)"
    rf"|(?<![\w\-])(?P<word>{_WORD})\b(?!-(?:{'|'.join(_ONES)})\b)",
    re.I,
)
#: '24-hour window', 'two-monthly meetings', 'a six-month period': a duration; 'three-tiered': a
#: count; any other word after a hyphen ('one-to-one') makes the number part of a word.
_COMPOUND = re.compile(
    r"-(?:(?P<u>day|hour|week|month|year|minute|second)(?:s|ly)?|(?P<count>tiered|stage|step|part"
    r"|point|level|strong|person|member))\b",
    re.I,
)
_MULTIPLIERS = {"m": 1_000_000, "million": 1_000_000, "bn": 10**9, "billion": 10**9, "k": 1000}

DURATIONS = {
    "day": "days", "hour": "hours", "month": "months", "minute": "minutes",
    "second": "seconds", "week": "weeks", "year": "years",
}  # fmt: skip
DURATION_UNITS = frozenset(DURATIONS.values())
_DURATION = re.compile(r"\s*(?P<u>days?|hours?|months?|minutes?|seconds?|weeks?|years?)\b", re.I)
_PARTNER_DURATION = re.compile(
    rf"\s*(?:and|to|or|[–-])\s+(?:{NUMBER})\s+(?P<u>days?|hours?|months?|minutes?|weeks?|years?)\b",
    re.I,
)
_PERCENT = re.compile(r"\s*(?:per\s?cent|percent)(?!age)\b", re.I)
_POINTS = re.compile(r"\s*percentage\s+points?\b", re.I)
_RATIO = re.compile(r"\s*times\s+(?:more|less|higher|lower|greater|as)\b", re.I)
_RATE_OTHER = re.compile(r"\s*times\s+per\s+[\d,]+\s+\w+", re.I)
_PER_POPULATION = re.compile(
    r"(?:\s+(?:[A-Za-z'’()-]+|999|101)){0,7}?\s+per\s+1,000\s+(?:population|people|residents)\b"
)
_PER_EMPLOYEES = re.compile(
    r"(?:\s+[A-Za-z'’()-]+){0,6}?\s+per\s+100\s+(?:employees|staff|workers)\b"
)

_YEAR = re.compile(r"(?:19|20)\d{2}")
_MONTH_AFTER = re.compile(
    r"\s+(?-i:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
)
_LABEL_BEFORE = re.compile(
    r"\b(?:outcomes?|codes?|figures?|tables?|levels?|grades?|tiers?|sections?|annex|chapters?"
    r"|pages?|phases?|steps?|stages?|PIP\)?)\s+(?:\d+(?:[–-]\d+)?(?:,\s*|\s+and\s+|\s+or\s+))*$",
    re.I,
)
_NAME_AFTER = re.compile(r"\s*(?:calls?\b|call-|facility\b|service\b|number\b|line\b)", re.I)
_AGE_BEFORE = re.compile(r"\b(?:age|ages|aged)\b[^.;]{0,20}$", re.I)
_IDIOM_AFTER = re.compile(r"\s*(?:hours\s+a\s+day|days\s+a\s+week)\b", re.I)
_ONE_SAMPLE = re.compile(rf"^\s+(?:out\s+)?of\s+(?:{NUMBER})\b", re.I)
_OF_ONE = re.compile(rf"\b(?:{NUMBER})\s+(?:out\s+)?of\s+$", re.I)
#: 'one' is the pronoun or article, not a count: 'in one example', 'the one', 'one of the',
#: 'more than one', 'One was …'.
_ONE_BEFORE = re.compile(r"\b(?:in|the|heard|than|grade|at\s+least)\s+$", re.I)
_ONE_AFTER = re.compile(
    r"\s+(?:of|example|examples|case|cases|meeting|instance|way|another|or|was|is|could|would)\b",
    re.I,
)
_ANAPHORIC_BEFORE = re.compile(r"\b(?:these|those)\s+$", re.I)
_STRONG_QUALIFIER = re.compile(
    r"\b(?:in|over|during|within|beyond|for)?\s*the\s+(?:last|previous|past|next|same)\s+$", re.I
)
_WEAK_QUALIFIER = re.compile(r"\b(?:within|more\s+than|over|beyond|after|up\s+to)\s+$", re.I)
_COUNTED = re.compile(r"(?P<words>(?:[a-z][\w'-]*\s+){0,4}?[a-z][\w'-]*s)\b")
_COUNTED_STOP = {"we", "were", "was", "had", "has", "have", "in", "that", "where", "which", "is"}


@dataclass
class Number:
    """A number of a sentence: offsets in the clean text, the value, its unit."""

    start: int
    end: int  # end of the number as written (with '£', 'm', '%')
    text: str
    value: Decimal
    word: bool
    unit: str = "count"
    multiplier: int | None = None
    unit_end: int = 0  # end of the words that state the unit


def clean_map(raw: str) -> tuple[str, list[int]]:
    """The readable text of a raw line and, for each of its characters, its offset in ``raw``.

    Removes what kg.read.blocks.clean removes (link markup, underline tags,
    escapes), so ``raw[index[i]] == clean[i]`` except for non-breaking spaces.
    """
    drop: set[int] = set()
    for m in _LINK.finditer(raw):
        drop.add(m.start())
        drop.update(range(m.end("text"), m.end()))
    for m in _DROP.finditer(raw):
        drop.update(range(m.start(), m.end()))
    if not drop:  # nothing removed: every character stays where it is
        return raw.replace("\u00a0", " "), list(range(len(raw)))
    index = [i for i in range(len(raw)) if i not in drop]
    return "".join(raw[i] for i in index).replace("\u00a0", " "), index


def word_value(word: str) -> int:
    """The value of a number word: 'seventy-five' -> 75."""
    parts = word.lower().split("-")
    total = 0
    for part in parts:
        total += _ONES.get(part) or _TEENS.get(part) or _TENS.get(part, 0)
    return total


def parse_value(text: str) -> Decimal:
    """A number as written ('1,423', '11.2', 'ten') as a Decimal."""
    if text[:1].isdigit():
        return Decimal(text.replace(",", ""))
    return Decimal(word_value(text))


def find_numbers(text: str) -> list[Number]:
    """Every number of ``text`` that may be a figure, with its unit, in text order."""
    found = []
    for m in _NUM.finditer(text):
        word = m.group("word") is not None
        digits = m.group("word") or m.group("num")
        if _not_a_figure(text, m, digits, word):
            continue
        n = Number(m.start(), m.end(), m.group(), parse_value(digits), word, unit_end=m.end())
        n.multiplier = _MULTIPLIERS.get((m.group("mult") or "").strip().lower())
        if m.group("pound"):
            n.unit = "gbp"
            if rate := _PER_POPULATION.match(text, m.end()):  # pounds per 1,000 people
                n.unit, n.unit_end = "rate-per-1000-population", rate.end()
        elif m.group("pct"):
            n.unit = "percent"
        else:
            _unit(text, n)
        found.append(n)
    return found


def _not_a_figure(text: str, m: re.Match[str], digits: str, word: bool) -> bool:
    before, after = text[: m.start()], text[m.end() :]
    if not word and not m.group("pound") and _YEAR.fullmatch(digits):
        return True
    if _MONTH_AFTER.match(after) or _LABEL_BEFORE.search(before) or _AGE_BEFORE.search(before):
        return True
    if digits in ("999", "101") and (
        _NAME_AFTER.match(after) or re.search(r"emergency\s+$", before, re.I)
    ):
        return True
    if _IDIOM_AFTER.match(after):
        return True
    if _ANAPHORIC_BEFORE.search(before):
        return True  # 'these two tiers': things already counted
    if after.startswith("-") and not _COMPOUND.match(after):
        return True
    if word and digits.lower() == "one":
        if _ONE_SAMPLE.match(after) or _OF_ONE.search(before):
            return False
        return bool(_ONE_BEFORE.search(before) or _ONE_AFTER.match(after) or not after.strip())
    return False


def _unit(text: str, n: Number) -> None:
    """Set the unit a number is stated in from the words after it."""
    after = text[n.end :]
    if compound := _COMPOUND.match(after):
        n.unit = DURATIONS[compound["u"].lower()] if compound["u"] else "count"
        n.unit_end = n.end + compound.end()
        return
    for pattern, unit in (
        (_POINTS, "percentage-points"),
        (_PERCENT, "percent"),
        (_RATIO, "ratio"),
        (_RATE_OTHER, "ratio"),
        (_PER_POPULATION, "rate-per-1000-population"),
        (_PER_EMPLOYEES, "per-100-employees"),
    ):
        m = pattern.match(after)
        if m:
            n.unit, n.unit_end = unit, n.end + m.end()
            return
    m = _DURATION.match(after) or _PARTNER_DURATION.match(after)
    if m:
        n.unit = DURATIONS[m.group("u").lower().rstrip("s")]
        if m.re is _DURATION:
            n.unit_end = n.end + m.end()


def qualifies(text: str, n: Number, numbers: list[Number]) -> bool:
    """True for a duration that qualifies another figure rather than stating one: 'in the
    last 12 months' (always), 'within 10 seconds', 'more than 6 months' (when the sentence
    has a number of another kind)."""
    if n.unit not in DURATION_UNITS:
        return False
    before = text[max(0, n.start - 40) : n.start]
    if _STRONG_QUALIFIER.search(before):
        return True
    others = any(m.unit not in DURATION_UNITS for m in numbers if m is not n)
    return bool(_WEAK_QUALIFIER.search(before)) and others


def counted(words: str) -> str | None:
    """What an audit sample counted: the first words up to a plural noun ('relevant cases')."""
    m = _COUNTED.match(re.sub(r"^of\s+", "", words.strip().lower()))
    if m is None:
        return None
    parts = m["words"].split()
    for i, w in enumerate(parts):
        if w in _COUNTED_STOP:
            parts = parts[:i]
            break
    return " ".join(parts) or None


__all__ = [
    "DURATION_UNITS",
    "NUMBER",
    "Number",
    "clean_map",
    "counted",
    "find_numbers",
    "parse_value",
    "qualifies",
    "word_value",
]
