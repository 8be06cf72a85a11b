"""The readers skip a costly pattern on a text that lacks a word or a part every match of
the pattern holds (kg.extract.names, periods, comparators). A guard that no longer fits its
pattern would lose matches in silence; these tests find every match of each guarded pattern
in the shipped documents and the layout fixtures, and check that the guard is in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.extract import comparators, names, periods

ROOT = Path(__file__).parent.parent
TEXTS = [
    *sorted((ROOT / "data").glob("*.txt")),
    *sorted((ROOT / "tests" / "layouts" / "fixtures").rglob("*.txt")),
]
LINES = [line for p in TEXTS for line in p.read_text(encoding="utf-8").splitlines() if line]


def matches(pattern: re.Pattern[str]) -> list[str]:
    return [m.group() for line in LINES for m in pattern.finditer(line)]


def test_there_are_texts_to_check() -> None:
    assert len(TEXTS) > 10 and len(LINES) > 1000


@pytest.mark.parametrize("pattern", list(names._PARTS), ids=lambda p: p.pattern[:30])
def test_each_name_pattern_match_holds_its_part(pattern: re.Pattern[str]) -> None:
    part = names._PARTS[pattern]
    for text in matches(pattern):
        assert part.search(text), f"{text!r} has no {part.pattern!r}"


@pytest.mark.parametrize("pattern, kind, words", periods._RELATIVES, ids=lambda x: str(x)[:20])
def test_each_relative_period_match_holds_one_of_its_words(
    pattern: re.Pattern[str], kind: str, words: tuple[str, ...]
) -> None:
    for text in matches(pattern):
        assert any(w in text.lower() for w in words), f"{text!r} has none of {words}"


def test_each_dated_period_match_holds_a_year() -> None:
    found = 0
    for pattern, _ in periods._KINDS:
        for text in matches(pattern):
            found += 1
            assert periods._YEAR.search(text), text
    assert found


@pytest.mark.parametrize("pattern, kind, word", comparators._VALUE_FREE, ids=lambda x: str(x)[:20])
def test_each_value_free_comparator_match_holds_its_word(
    pattern: re.Pattern[str], kind: str, word: str
) -> None:
    for text in matches(pattern):
        assert word in text.lower(), f"{text!r} has no {word!r}"
