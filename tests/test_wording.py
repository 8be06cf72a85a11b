"""The wording data (ontology/wording/*.yaml): every pattern compiles and reads its example."""

from __future__ import annotations

import pytest

from kg.wording import FAMILIES, Pattern, Subject, grade_notation, load_family, status_notation

EXAMPLE_FORCE = Subject.of("Borsetshire Constabulary", ["Borsetshire Police", "Wessex Police"])
PATTERNS = [p for family in FAMILIES for p in load_family(family).patterns if p.family == family]
COMMON = [p for p in load_family("web").patterns if p.family == "common"]


@pytest.mark.parametrize("pattern", PATTERNS + COMMON, ids=lambda p: f"{p.family}-{p.name}")
def test_pattern_reads_its_example(pattern: Pattern) -> None:
    family = load_family("web" if pattern.family == "common" else pattern.family)
    m = family.compile(pattern, EXAMPLE_FORCE).search(pattern.example)
    assert m is not None, f"{pattern.name} does not match its example {pattern.example!r}"
    for group, value in pattern.expect.items():
        assert m.group(group) == value, (pattern.name, group)


@pytest.mark.parametrize("pattern", PATTERNS + COMMON, ids=lambda p: f"{p.family}-{p.name}")
def test_pattern_says_where_it_was_seen(pattern: Pattern) -> None:
    assert pattern.seen.strip(), f"{pattern.name}: say where the wording was seen"


def test_pattern_names_are_unique_within_a_family() -> None:
    for family in FAMILIES:
        names = [p.name for p in load_family(family).patterns]
        assert len(names) == len(set(names)), family


@pytest.mark.parametrize(
    ("words", "notation"),
    [
        ("Good", "good"),
        ("‘requires improvement’", "requires-improvement"),
        ("Requires Improvement.", "requires-improvement"),
        ("requiring improvement", "requires-improvement"),
        ("INADEQUATE", "inadequate"),
        ("adequate", "adequate"),
        ("good use of resources", None),
        ("excellent", None),
    ],
)
def test_grade_words(words: str, notation: str | None) -> None:
    assert grade_notation(words) == notation


@pytest.mark.parametrize(
    ("words", "notation"),
    [
        ("To be graded", "not-yet-graded"),
        ("not yet graded", "not-yet-graded"),
        ("Ungraded", "ungraded"),
        ("Not being graded", "ungraded"),
        ("Good", None),
    ],
)
def test_status_words(words: str, notation: str | None) -> None:
    assert status_notation(words) == notation


def test_a_force_is_named_by_its_place_name_too() -> None:
    subject = Subject.of("Thames Valley Police", ["Thames Valley"])
    assert "Thames Valley" in subject.names and "Thames Valley Police" in subject.names
    assert subject.names[0] == "Thames Valley Police", "longest first"
