"""The periods figures are stated for: 'in the year ending 31 March 2025' and the like.

:func:`find_periods` finds every period phrase of a sentence, each as a
:class:`PeriodMatch` with its offsets. The kinds (``PeriodFact.kind``):

- ``year-ending``: 'in the year ending 31 March 2025' (end 2025-03-31, length P1Y);
  a month without a day ends on the month's last day;
- ``as-at``: 'as at 31 December 2025', 'on 5 June 2024', 'by March 2024';
- ``calendar-year``: 'in 2020'; ``financial-year``: '2022/23' (1 April to 31 March);
- ``range``: 'between November 2023 and November 2025', 'from 1 January to
  31 December 2022', a month ('in January 2026'), a quarter, 'the three-month
  period ending 30 September 2025';
- ``unstated``: no period (see kg.extract.figures), or a phrase whose date is no date
  (below).

Some phrases name no date themselves: 'in the same period', 'during this
period', 'based on this sample', 'the records we reviewed' (``relative="same"``)
take the period the text last gave a figure; 'at that time', 'in that review'
(``relative="that"``) the period the text last named, even as a comparison's
base; and 'the previous year' (``relative="previous-year"``) the year before.
A phrase that is a comparison's base ('compared to the year ending 31 March
2021', 'from 4 March 2024', 'since 2020') is marked ``base``: it is the period
of the figures that follow it, never of one before it.

A phrase whose date the calendar does not have ('the year ending 31 September
2025', 'as at 29 February 2023') is still a period phrase, but not a period: its
period is ``unstated`` (with the words as written, no start or end) and
:attr:`PeriodMatch.unreadable` says why. Reading it as the month's last day, or
the next month's first, would be a guess at what the text meant. So would letting
the figures it governs take another phrase's period: they are unstated, and so
are the phrases that refer back to it ('in the same period', 'at that time', 'the
previous year'). A financial year whose years do not follow ('2022/24') is unstated too.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace

from kg.extract.facts import PeriodFact

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_M = "(?-i:" + "|".join(MONTHS) + ")"
_Y = r"(?:19|20)\d{2}"
#: A day of a month: 1 to 31, not '0' or the '5' of '105' (a day past a month's end, such
#: as '31 September', is matched, and its phrase read as unreadable: see _date).
_D = r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])"
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "nine": 9, "twelve": 12}
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}

_ENDING = re.compile(
    rf"(?P<prep>\b(?:in|for|during|over|of|from|to|since|by)\s+)?(?:the\s+|a\s+)?"
    rf"(?:(?P<n>\d+|one|two|three|four|six|nine|twelve)[- ]months?\s+period|(?P<year>year)"
    rf"|12\s+months)\s+(?:ending|to)\s+(?:(?P<d>{_D})\s+)?(?P<m>{_M})\s+(?P<y>{_Y})",
    re.I,
)
_RANGE = re.compile(
    rf"(?P<prep>\b(?:in\s+)?(?:the\s+(?:year|period)\s+)?(?:between|from)\s+)"
    rf"(?:(?P<d1>{_D})\s+)?(?P<m1>{_M})(?:\s+(?P<y1>{_Y}))?\s+(?:and|to|until|[–-])\s+"
    rf"(?:(?P<d2>{_D})\s+)?(?P<m2>{_M})\s+(?P<y2>{_Y})",
    re.I,
)
_QUARTER = re.compile(
    rf"(?P<prep>\b(?:in|during)\s+)?the\s+(?P<q>first|second|third|fourth)\s+quarter\s+of\s+"
    rf"(?P<y>{_Y})",
    re.I,
)
_DATE = re.compile(
    rf"(?P<prep>\b(?:as\s+(?:at|of)|on|at|by|from|since|until|to)\s+)?"
    rf"(?P<d>{_D})\s+(?P<m>{_M})\s+(?P<y>{_Y})",
    re.I,
)
_MONTH_YEAR = re.compile(
    rf"(?P<prep>\b(?:in|during|for|by|until|since|from|as\s+(?:at|of))\s+)?(?P<m>{_M})\s+(?P<y>{_Y})",
    re.I,
)
_FINANCIAL = re.compile(
    rf"(?P<prep>\b(?:in|for|during|by|from)\s+)?(?P<y>{_Y})/(?P<y2>\d{{2}})\b", re.I
)
_CALENDAR = re.compile(
    rf"(?P<prep>\b(?:in|during|for|since|from|by|of)\s+(?:our\s+|the\s+)?)(?P<y>{_Y})\b"
    r"(?!\s*Census)(?!/)",
    re.I,
)
_SAME = re.compile(
    r"\b(?:(?:in|for|during|over)\s+(?:the|this)\s+(?:same\s+)?period|based\s+on\s+this\s+sample"
    r"|the\s+(?:records|cases|files|incidents)\s+we\s+(?:reviewed|examined|audited))\b",
    re.I,
)
_THAT = re.compile(r"\b(?:at\s+that\s+time|in\s+that\s+(?:review|period|inspection|year))\b", re.I)
_PREVIOUS = re.compile(r"\bthe\s+previous\s+year\b", re.I)
_BASE_BEFORE = re.compile(
    r"\b(?:compared\s+(?:to|with)|than|relative\s+to)\b[^,;\d]*$|\bfrom\s+[\d,.]+\s+(?:in|on|at)\s+$",
    re.I,
)


@dataclass(frozen=True)
class PeriodMatch:
    """A period phrase in a text: offsets, the period, and how figures may use it."""

    start: int
    end: int
    period: PeriodFact | None  # None for a relative phrase
    base: bool = False  # a comparison's base: no period of a figure before it
    relative: str | None = None  # "same" | "that" | "previous-year"
    #: Why the phrase's date is no date ("'31 September 2025' is not a date (September has
    #: 30 days)"); its period is then unstated. Empty for a readable phrase.
    unreadable: str = ""


class _NoSuchDate(ValueError):
    """A day the text gives that its month does not have."""

    def __init__(self, year: int, month: int, day: int) -> None:
        super().__init__(year, month, day)
        self.year, self.month, self.day = year, month, day

    def reason(self, words: str) -> str:
        """Why the date of ``words``, the phrase that gives it, is no date."""
        name = MONTHS[self.month - 1]
        written = re.search(rf"(?<!\d)0*{self.day}\s+{name}(?:\s+{self.year})?", words)
        days = _last_day(self.year, self.month)
        month = f"{name} {self.year}" if self.month == 2 else name
        said = " ".join(written.group().split()) if written else f"{self.day} {name} {self.year}"
        return f"{said!r} is not a date ({month} has {days} days)"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _date(year: int, month: int, day: int | None = None, first: bool = False) -> str:
    """An ISO date; a missing day is the month's first or last; _NoSuchDate for a day past
    the month's end (the '31 September' a report may print): which day it meant is unknown."""
    last = _last_day(year, month)
    if day is None:
        day = 1 if first else last
    if day > last:
        raise _NoSuchDate(year, month, day)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month(name: str) -> int:
    return [m.lower() for m in MONTHS].index(name.lower()) + 1


def _months_before(end: str, months: int) -> str:
    """The first day of the period of ``months`` whole months that ends on ``end``."""
    year, month = int(end[:4]), int(end[5:7])
    month -= months - 1
    while month < 1:
        month, year = month + 12, year - 1
    return _date(year, month, 1)


def _day(value: str | None) -> int | None:
    return int(value) if value else None


def _ending(m: re.Match[str], text: str) -> PeriodFact:
    end = _date(int(m["y"]), _month(m["m"]), _day(m["d"]))
    if m["year"] or not m["n"]:
        return PeriodFact("year-ending", text, None, end, "P1Y")
    months = int(m["n"]) if m["n"].isdigit() else _WORD_NUMBERS[m["n"].lower()]
    return PeriodFact("range", text, _months_before(end, months), end, f"P{months}M")


def _range(m: re.Match[str], text: str) -> PeriodFact:
    y2, m2 = int(m["y2"]), _month(m["m2"])
    m1 = _month(m["m1"])
    y1 = int(m["y1"]) if m["y1"] else (y2 if m1 <= m2 else y2 - 1)
    return PeriodFact(
        "range", text, _date(y1, m1, _day(m["d1"]), first=True), _date(y2, m2, _day(m["d2"]))
    )


def _quarter(m: re.Match[str], text: str) -> PeriodFact:
    year, q = int(m["y"]), _QUARTERS[m["q"].lower()]
    return PeriodFact("range", text, _date(year, 3 * q - 2, 1), _date(year, 3 * q), "P3M")


def _as_at(m: re.Match[str], text: str) -> PeriodFact:
    return PeriodFact("as-at", text, None, _date(int(m["y"]), _month(m["m"]), int(m["d"])))


def _month_year(m: re.Match[str], text: str) -> PeriodFact:
    year, month = int(m["y"]), _month(m["m"])
    prep = (m["prep"] or "").strip().lower()
    if prep in ("by", "until") or prep.startswith("as"):
        return PeriodFact("as-at", text, None, _date(year, month))
    return PeriodFact("range", text, _date(year, month, 1), _date(year, month), "P1M")


def _financial(m: re.Match[str], text: str) -> PeriodFact:
    year = int(m["y"])
    if (year + 1) % 100 != int(m["y2"]):
        return PeriodFact("unstated", text)
    return PeriodFact("financial-year", text, f"{year}-04-01", f"{year + 1}-03-31", "P1Y")


def _calendar(m: re.Match[str], text: str) -> PeriodFact:
    year = int(m["y"])
    return PeriodFact("calendar-year", text, f"{year}-01-01", f"{year}-12-31", "P1Y")


_KINDS = [
    (_ENDING, _ending),
    (_RANGE, _range),
    (_QUARTER, _quarter),
    (_DATE, _as_at),
    (_MONTH_YEAR, _month_year),
    (_FINANCIAL, _financial),
    (_CALENDAR, _calendar),
]
#: A year, which every pattern of _KINDS needs: a text without one is not scanned for them.
_YEAR = re.compile(_Y)
#: The relative phrases, each with words one of which every match of it holds.
_RELATIVES = [
    (_SAME, "same", ("period", "sample", "reviewed", "examined", "audited")),
    (_THAT, "that", ("that",)),
    (_PREVIOUS, "previous-year", ("previous",)),
]


def find_periods(text: str) -> list[PeriodMatch]:
    """Every period phrase of ``text``, in text order; longer, more specific forms win."""
    found: list[PeriodMatch] = []

    def free(start: int, end: int) -> bool:
        return all(end <= p.start or start >= p.end for p in found)

    for pattern, build in _KINDS if _YEAR.search(text) else ():
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            phrase, unreadable = m.group().strip(), ""
            try:
                period = build(m, phrase)
                ranged = period.kind == "range"
            except _NoSuchDate as e:
                period, unreadable = PeriodFact("unstated", phrase), e.reason(phrase)
                ranged = pattern is _RANGE or bool(m.groupdict().get("n"))  # as it would be
            prep = (m.groupdict().get("prep") or "").strip().lower()
            lead = text[max(0, m.start() - 80) : m.start()] + (m.groupdict().get("prep") or "")
            base = bool(_BASE_BEFORE.search(lead))
            base = base or (prep in ("from", "since") and not ranged)
            found.append(PeriodMatch(m.start(), m.end(), period, base, unreadable=unreadable))
    low = text.lower() if text.isascii() else None  # re.I compares ASCII as lower() does
    for pattern, relative, words in _RELATIVES:
        if low is not None and not any(w in low for w in words):
            continue  # no match without one of its words
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                base = bool(_BASE_BEFORE.search(text[max(0, m.start() - 80) : m.start()]))
                found.append(PeriodMatch(m.start(), m.end(), None, base, relative))
    return sorted(found, key=lambda p: p.start)


def previous_year(period: PeriodFact | None, text: str) -> PeriodFact | None:
    """The year before a year-long period ('the previous year'), or None; unstated when
    ``period`` is (the year before a period the text gives unreadably is unknown too)."""
    if period is not None and period.kind == "unstated":
        return PeriodFact("unstated", text)
    if period is None or period.length != "P1Y" or period.end is None:
        return None

    def back(day: str | None) -> str | None:
        """The same day a year earlier; 29 February's is 28 February (computed, not read)."""
        if day is None:
            return None
        year, month, dom = int(day[:4]) - 1, int(day[5:7]), int(day[8:10])
        return _date(year, month, min(dom, _last_day(year, month)))

    return replace(period, text=text, start=back(period.start), end=back(period.end))


__all__ = ["MONTHS", "PeriodMatch", "find_periods", "previous_year"]
