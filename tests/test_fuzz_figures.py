"""Fuzzing the figure readers: numbers, periods, sample directions and whole figures
(kg/extract/numbers.py, periods.py, direction.py, figures.py; issue 12, item 8).

Random sentences made of the pieces figures are written with (counts, percentages,
money, samples 'in 41 of 56 cases', dates and periods, comparators, number words) and
random characters never make a reader raise; every number and period found lies in the
text where it says, every date is a real date, and every figure of a report quotes its
text.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from kg.errors import KgError
from kg.extract.direction import better_when
from kg.extract.facts import PeriodFact
from kg.extract.numbers import clean_map, find_numbers, word_value
from kg.extract.periods import MONTHS, find_periods
from kg.extract.report import extract_report
from kg.read.report import read_report
from kg.reference import load_reference

from .conftest import fuzz
from .test_fuzz_read import spans

FORCE = "Northamptonshire Police"
WORDS = (
    "cases", "of", "in", "the", "force", "recorded", "correctly", "did not", "were", "was",
    "victims", "percent", "per cent", "%", "times more", "per 1,000 population",
    "per 100 employees", "hours", "days", "weeks", "months", "years", "within", "more than",
    "the last", "England and Wales average", "median", "national standard", "typical range",
    "compared with", "than", "above", "below", "in line with", "confidence interval", "±",
    "year ending", "as at", "between", "and", "to", "from", "since", "quarter", "period",
    "same period", "the previous year", "at that time", "based on this sample", "million",
    "m", "bn", "k", "£", "999 calls", "101", "aged", "figure", "table", "these", "one",
    "seventy-five", "twelve", "twenty-one", "three-tiered", "24-hour", "one-to-one",
    "however,", "which", "where", "appropriately", "failed to", "no undue delay", "answered",
    "[link](#)", "<u>under</u>", "\\(", "\u00a0",
)  # fmt: skip
MONTH = st.sampled_from([*MONTHS, "march", "Febuary", "Sept"])


INT = st.one_of(st.integers(0, 2_000_000), st.sampled_from((0, 1, 10, 100, 1000, 1_000_000)))
#: Days of a month, and numbers no month has.
DAY = st.one_of(st.sampled_from((0, 1, 28, 29, 30, 31, 32, 99)), st.integers(0, 40))
YEAR = st.one_of(st.integers(1890, 2110), st.sampled_from((1900, 2000, 2024, 2025, 2099)))
#: A number as a report may write it, or nearly: counts, decimals, money, percentages,
#: samples, dates, financial years.
NUMBER = st.one_of(
    INT.map(str),
    INT.map("{:,}".format),
    st.builds("{}.{}".format, INT, st.integers(0, 99)),
    INT.map("£{:,}".format),
    INT.map("£{} million".format),
    INT.map("{}%".format),
    st.builds("{} of {}".format, INT, INT),
    st.builds("{} {} {}".format, DAY, MONTH, YEAR),
    st.builds("{}/{:02d}".format, YEAR, st.integers(0, 99)),
    st.integers(-5, 99).map(str),
)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """Words, numbers, dates and random characters, spaced, ending in a full stop or not."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(WORDS),
                NUMBER,
                MONTH,
                st.text(st.sampled_from("0123456789 ,.-–()/£%'’abc"), max_size=6),
            ),
            min_size=1,
            max_size=25,
        )
    )
    return " ".join(parts) + draw(st.sampled_from(("", ".", ". ", "?")))


def check_period(period: PeriodFact | None) -> None:
    """A period's dates are real dates, the start not after the end."""
    if period is None:
        return
    days = [date.fromisoformat(d) for d in (period.start, period.end) if d is not None]
    assert len(days) < 2 or days[0] <= days[1], period


@fuzz(300)
@given(sentence())
@example(
    "The force answered 999 calls in 41 of 56 cases (73.2 percent) in the year ending 0 March 2025."
)
def test_numbers_and_periods_are_where_they_say(text: str) -> None:
    clean, index = clean_map(text)
    assert len(clean) == len(index) and index == sorted(set(index))
    for i, c in enumerate(clean):
        assert text[index[i]] == c or (text[index[i]] == "\u00a0" and c == " ")
    last = 0
    for n in find_numbers(clean):
        assert last <= n.start < n.end <= n.unit_end <= len(clean), n
        assert clean[n.start : n.end] == n.text
        digits = re.search(r"\d[\d,]*(?:\.\d+)?", n.text)
        want = Decimal(digits.group().replace(",", "")) if digits else word_value(n.text)
        assert n.value == want, n
        last = n.end
    last = 0
    for p in find_periods(clean):
        assert last <= p.start < p.end <= len(clean), p
        check_period(p.period)
        last = p.end


@fuzz(300)
@given(sentence(), st.data())
def test_sample_direction_is_higher_lower_or_none(text: str, data: st.DataObject) -> None:
    cut = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=4, max_size=4)))
    lo, start, end, hi = cut
    counted = data.draw(st.one_of(st.none(), st.sampled_from(("cases", "victims", "crimes"))))
    assert better_when(text, start, end, counted, lo, hi) in ("higher", "lower", None)


@fuzz(150)
@given(st.lists(sentence(), min_size=1, max_size=4))
def test_figures_of_a_report_quote_its_text(body: list[str]) -> None:
    """A one-area 2025–27 report whose one finding holds the random sentences."""
    text = (
        "PEEL 2025–27\n\nResponding to the public\n\nGood\n\n"
        f"{FORCE} is good at responding to the public.\n\nMain findings\n\n"
        "The force answers calls quickly\n\n" + " ".join(body) + "\n"
    )
    ref = load_reference()
    assessment = ref.assessment("2025-27")
    try:
        doc = read_report(text, FORCE, assessment.cycle)
        facts = extract_report(doc, "fuzz.txt", FORCE, assessment, ref)
    except KgError:
        return
    for span in spans(facts):
        assert text[span.start : span.end] == span.quote, span
    for o in facts.observations:
        assert o.span.start <= o.number.start < o.number.end <= o.span.end, o
        check_period(o.period)
        if o.numerator is not None and o.denominator is not None:
            assert o.numerator >= 0 and o.denominator >= 0, o


def test_a_day_no_month_has_is_no_date() -> None:
    """Regression: '0 January 1900' was read as the date 1900-01-00 (and '100 March 2025'
    as 2025-03-00): a day no calendar has, in the graph. Now no day is read there."""
    for text in ("as at 0 January 1900", "in the year ending 00 March 2025", "on 100 March 2025"):
        (found,) = find_periods(text)
        assert found.period is not None and found.period.kind == "range", text
        assert found.period.text.split()[0] in MONTHS, text  # the month, without the day
        check_period(found.period)
