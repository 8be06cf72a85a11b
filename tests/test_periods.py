"""A period phrase whose date the calendar does not have ('the year ending 31 September
2025') gives no period: the figures it governs are unstated, never given its month's last
day or another phrase's period, and the build reports it (kg.extract.periods)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract.facts import SourceFacts
from kg.extract.periods import MONTHS, find_periods, previous_year
from kg.extract.report import extract_report
from kg.read.report import read_report
from kg.reference import load_reference

FORCE = "Northamptonshire Police"
FILE = "synthetic.txt"
HEAD = (
    "PEEL 2025–27\n\nResponding to the public\n\nGood\n\n"
    f"{FORCE} is good at responding to the public.\n\nMain findings\n\n"
    "The force answers calls quickly\n\n"
)


def extracted(body: str) -> SourceFacts:
    """The facts of a one-area 2025–27 report whose only finding holds ``body``."""
    ref = load_reference()
    assessment = ref.assessment("2025-27")
    doc = read_report(HEAD + body + "\n", FORCE, assessment.cycle)
    return extract_report(doc, FILE, FORCE, assessment, ref)


def periods_of(facts: SourceFacts) -> dict[str, tuple[str, str | None, str | None, str]]:
    """Each figure (as written) with its period's kind, start, end and words."""
    return {
        o.number.quote: (o.period.kind, o.period.start, o.period.end, o.period.text)
        for o in facts.observations
    }


def period_issues(facts: SourceFacts) -> list[str]:
    return [str(i) for i in facts.issues if "is not a date" in i.message]


# --- the phrases ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said", "days"),
    [
        ("in the year ending 31 September 2025", "'31 September 2025'", "September has 30 days"),
        ("as at 29 February 2023", "'29 February 2023'", "February 2023 has 28 days"),
        ("on 30 February 2024", "'30 February 2024'", "February 2024 has 29 days"),
        (
            "between 1 November 2023 and 31 November 2025",
            "'31 November 2025'",
            "November has 30 days",
        ),
        ("from 31 April to 30 June 2024", "'31 April'", "April has 30 days"),
        ("in the three-month period ending 31 June 2025", "'31 June 2025'", "June has 30 days"),
    ],
)
def test_a_day_past_its_months_end_is_a_phrase_with_no_period(
    text: str, said: str, days: str
) -> None:
    (found,) = find_periods(text)
    assert (found.start, found.end) == (0, len(text))  # still one whole period phrase
    assert found.period is not None
    assert (found.period.kind, found.period.start, found.period.end) == ("unstated", None, None)
    assert found.period.length is None
    assert found.period.text == text
    assert found.unreadable == f"{said} is not a date ({days})"


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("as at 29 February 2024", "as-at", None, "2024-02-29"),
        ("in the year ending 30 September 2025", "year-ending", None, "2025-09-30"),
        ("between 1 November 2023 and 30 November 2025", "range", "2023-11-01", "2025-11-30"),
        ("in the year ending September 2025", "year-ending", None, "2025-09-30"),
    ],
)
def test_a_day_the_calendar_has_is_read_as_written(
    text: str, kind: str, start: str | None, end: str
) -> None:
    (found,) = find_periods(text)
    assert found.period is not None and found.unreadable == ""
    assert (found.period.kind, found.period.start, found.period.end) == (kind, start, end)


@pytest.mark.parametrize("year", [2023, 2024, 2000, 1900])
def test_every_day_of_a_year_is_read_only_if_the_calendar_has_it(year: int) -> None:
    """The calendar of the standard library is the judge: 'as at 29 February 1900' is no
    date (1900 was no leap year), 'as at 29 February 2000' is."""
    for month, name in enumerate(MONTHS, 1):
        for day in range(1, 32):
            (found,) = find_periods(f"as at {day} {name} {year}")
            assert found.period is not None
            try:
                real = date(year, month, day).isoformat()
            except ValueError:
                assert (found.period.kind, found.period.end) == ("unstated", None)
                assert found.unreadable.startswith(f"'{day} {name} {year}' is not a date")
            else:
                assert (found.period.kind, found.period.end) == ("as-at", real)
                assert found.unreadable == ""


def test_the_year_before_a_leap_day_ends_on_the_28th() -> None:
    """'The previous year' of the year ending 29 February 2024 is computed, not read: it
    ends on 28 February 2023."""
    (found,) = find_periods("in the year ending 29 February 2024")
    before = previous_year(found.period, "the previous year")
    assert before is not None
    assert (before.kind, before.end, before.length) == ("year-ending", "2023-02-28", "P1Y")


def test_the_year_before_an_unreadable_period_is_unstated() -> None:
    (found,) = find_periods("in the year ending 31 September 2025")
    before = previous_year(found.period, "the previous year")
    assert before is not None
    assert (before.kind, before.end, before.text) == ("unstated", None, "the previous year")


# --- the figures they govern ---------------------------------------------------


def test_a_figure_of_an_impossible_year_end_has_no_period_and_it_is_reported() -> None:
    facts = extracted(
        "In the year ending 31 September 2025, the force answered 85.2 percent of 999 calls "
        "within 10 seconds."
    )
    assert periods_of(facts) == {
        "85.2": ("unstated", None, None, "In the year ending 31 September 2025")
    }
    line = (HEAD + "In the year").count("\n") + 1
    assert period_issues(facts) == [
        f"{FILE}:{line} (offset {len(HEAD)}): '31 September 2025' is not a date (September "
        "has 30 days), so 'In the year ending 31 September 2025' gives no period: the figures "
        "it governs are recorded without one"
    ]


def test_a_figure_does_not_take_the_period_of_the_sentence_before() -> None:
    """'This was …' takes the period of the sentence before, unless its own phrase gives
    one: an unreadable phrase gives none, not the one before."""
    facts = extracted(
        "In the year ending 31 March 2025, the force answered 90.1 percent of 999 calls within "
        "10 seconds. This was 85.2 percent in the year ending 31 September 2025."
    )
    assert periods_of(facts) == {
        "90.1": ("year-ending", None, "2025-03-31", "In the year ending 31 March 2025"),
        "85.2": ("unstated", None, None, "in the year ending 31 September 2025"),
    }
    assert len(period_issues(facts)) == 1


def test_a_figure_does_not_take_an_earlier_phrase_of_its_sentence() -> None:
    facts = extracted(
        "The force answered 90.1 percent of 999 calls within 10 seconds in the year ending 31 "
        "March 2025, and between 1 November 2023 and 31 November 2025 it answered 1,107 calls "
        "from young people."
    )
    assert periods_of(facts)["1,107"] == (
        "unstated",
        None,
        None,
        "between 1 November 2023 and 31 November 2025",
    )
    assert periods_of(facts)["90.1"][2] == "2025-03-31"


@pytest.mark.parametrize(
    "reference", ["In the same period", "At that time", "For the previous year"]
)
def test_a_later_reference_to_an_unreadable_period_takes_no_older_one(reference: str) -> None:
    """'In the same period' after the unreadable phrase refers to it: no period either,
    not the year ending 31 March 2025 stated before it."""
    facts = extracted(
        "In the year ending 31 March 2025, the force answered 90.1 percent of 999 calls within "
        "10 seconds. As at 31 September 2025, it had 1,250 officers. "
        f"{reference}, it answered 70.3 percent of 101 calls within three minutes."
    )
    periods = periods_of(facts)
    assert periods["90.1"][:3] == ("year-ending", None, "2025-03-31")
    assert periods["1,250"][:3] == ("unstated", None, None)
    assert periods["70.3"][:3] == ("unstated", None, None)
    assert len(period_issues(facts)) == 1


def test_an_unreadable_as_at_date_in_a_sentence_of_its_own_is_reported() -> None:
    facts = extracted(
        "The force answered 90.1 percent of 999 calls within 10 seconds.\n\n"
        "As at 29 February 2023, the force had 1,250 officers."
    )
    assert periods_of(facts)["1,250"][:3] == ("unstated", None, None)
    (issue,) = period_issues(facts)
    line = (HEAD + "The force answered …\n\n").count("\n") + 1
    assert issue.startswith(f"{FILE}:{line} (offset ")
    assert "'29 February 2023' is not a date (February 2023 has 28 days)" in issue


def test_a_leap_day_period_is_read() -> None:
    facts = extracted(
        "In the year ending 29 February 2024, the force answered 85.2 percent of 999 calls "
        "within 10 seconds."
    )
    assert periods_of(facts)["85.2"][:3] == ("year-ending", None, "2024-02-29")
    assert period_issues(facts) == []


def test_a_table_under_an_unreadable_caption_period_has_none() -> None:
    caption = (
        "Figure 1: Percentage of 999 calls that Northamptonshire Police answered within 10 "
        "seconds in the year ending 31 September 2025"
    )
    facts = extracted(
        f"{caption}\n\nMeasure\tNorthamptonshire percentage [%]\tMedian percentage [%] for "
        "forces in England and Wales\n999 calls answered within 10 seconds\t85.2\t80.1\n"
    )
    assert periods_of(facts) == {
        "85.2": ("unstated", None, None, "in the year ending 31 September 2025")
    }
    at = len(HEAD) + caption.index("in the year ending")
    (issue,) = period_issues(facts)
    assert issue.startswith(f"{FILE}:{HEAD.count(chr(10)) + 1} (offset {at}): '31 September")
