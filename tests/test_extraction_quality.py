"""Figure extraction against the hand-checked gold figures of tests/gold/figures.yaml.

For the sections tests/gold/README.md lists, an extracted observation matches a
gold figure when it is in the same file, the gold number's offset lies inside
the observation's span, and value, unit, period kind and period end are equal,
and so is the comparator's value when the gold figure gives one. Each gold
figure matches one observation at most (the one whose own number starts at
the gold offset first). Precision is the share of the sections' observations
that match a gold figure, recall the share of gold figures matched; both must
be at least 0.95. ``pytest -s`` prints the figures and every miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.extract.facts import ObservationFact
from kg.extract.report import extract_report
from kg.paths import ROOT
from kg.read.report import read_report
from kg.reference import load_reference

GOLD = Path(__file__).parent / "gold" / "figures.yaml"
FORCE = "Northamptonshire Police"
CYCLES = {"data/000_82645b4a8ccb79df.txt": "2023-25", "data/001_440047dec6ca2f53.txt": "2025-27"}
#: The sections the gold covers (tests/gold/README.md), by file and area heading.
SECTIONS = {
    ("data/001_440047dec6ca2f53.txt", "Investigating crime"),
    ("data/001_440047dec6ca2f53.txt", "Responding to the public"),
    (
        "data/000_82645b4a8ccb79df.txt",
        "Police powers and treating the public fairly and respectfully",
    ),
}
THRESHOLD = 0.95


@dataclass(frozen=True)
class Gold:
    """One gold figure, with the offset of its number in the file."""

    file: str
    offset: int
    number: str
    value: Decimal
    unit: str
    kind: str
    end: str | None
    comparator: Decimal | None
    at: str


def _text(file: str) -> str:
    return (ROOT / file).read_text(encoding="utf-8")


def load_gold() -> list[Gold]:
    """The gold figures, each located in its file through its unique ``at`` text."""
    entries: list[dict[str, Any]] = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["figures"]
    out = []
    for e in entries:
        text = _text(e["file"])
        at = text.find(e["at"])
        assert at >= 0 and text.find(e["at"], at + 1) < 0, f"'at' not unique in {e['file']}: {e}"
        inner = re.search(rf"(?<![\d.,]){re.escape(str(e['number']))}(?![\d])", e["at"])
        assert inner, f"the number {e['number']!r} is not in {e['at']!r}"
        period = e.get("period") or {"kind": "unstated"}
        comparator = (e.get("comparator") or {}).get("value")
        out.append(
            Gold(
                file=e["file"],
                offset=at + inner.start(),
                number=str(e["number"]),
                value=Decimal(str(e["value"])),
                unit=e["unit"],
                kind=period["kind"],
                end=str(period["end"]) if period.get("end") else None,
                comparator=None if comparator is None else Decimal(str(comparator)),
                at=e["at"],
            )
        )
    return out


@lru_cache(maxsize=1)
def extracted() -> dict[str, list[ObservationFact]]:
    """The observations of the gold sections, by file."""
    ref = load_reference()
    out: dict[str, list[ObservationFact]] = {}
    for file, cycle_name in CYCLES.items():
        assessment = ref.assessment(cycle_name)
        doc = read_report(_text(file), FORCE, assessment.cycle)
        facts = extract_report(doc, file, FORCE, assessment, ref)
        out[file] = [o for o in facts.observations if (file, o.area.label) in SECTIONS]
    return out


def matches(gold: Gold, obs: ObservationFact) -> bool:
    """True when ``obs`` is the figure ``gold`` describes."""
    if not obs.span.start <= gold.offset < obs.span.end:
        return False
    period = obs.period
    same = (
        obs.value == gold.value
        and obs.unit == gold.unit
        and period.kind == gold.kind
        and period.end == gold.end
    )
    if not same:
        return False
    return gold.comparator is None or any(c.value == gold.comparator for c in obs.comparators)


def evaluate() -> tuple[list[tuple[Gold, ObservationFact]], list[Gold], list[ObservationFact]]:
    """Pair gold figures with observations: (matched pairs, missed gold, unmatched observations)."""
    found = extracted()
    free = {file: list(obs) for file, obs in found.items()}
    pairs, missed = [], []
    for g in load_gold():
        candidates = [o for o in free.get(g.file, []) if matches(g, o)]
        candidates.sort(key=lambda o: (o.number.start != g.offset, o.number.start))
        if candidates:
            pairs.append((g, candidates[0]))
            free[g.file].remove(candidates[0])
        else:
            missed.append(g)
    extra = [o for obs in free.values() for o in obs]
    return pairs, missed, extra


def describe(o: ObservationFact) -> str:
    """One line for an observation: where, what, how it was read."""
    p = o.period
    comparators = ", ".join(f"{c.kind} {c.value}" for c in o.comparators)
    return (
        f"{o.number.start} {o.number.quote!r} = {o.value} {o.unit}, {p.kind} {p.end or ''}"
        f"{', vs ' + comparators if comparators else ''}"
    )


def test_gold_sections_exist() -> None:
    found = extracted()
    for file, label in SECTIONS:
        assert any(o.area.label == label for o in found[file]), f"no figures in {label!r}"


def test_precision_and_recall_against_gold() -> None:
    pairs, missed, extra = evaluate()
    gold_count = len(pairs) + len(missed)
    extracted_count = len(pairs) + len(extra)
    precision = len(pairs) / extracted_count if extracted_count else 0.0
    recall = len(pairs) / gold_count if gold_count else 0.0
    print(
        f"\nFigures: {gold_count} gold, {extracted_count} extracted, {len(pairs)} matched: "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    for g in missed:
        print(
            f"  missed    {g.file} {g.offset} {g.number!r} ({g.at!r}): {g.value} {g.unit}, "
            f"{g.kind} {g.end or ''}{', vs ' + str(g.comparator) if g.comparator else ''}"
        )
    for o in extra:
        print(f"  unmatched {describe(o)}")
    assert precision >= THRESHOLD, f"precision {precision:.3f} < {THRESHOLD}"
    assert recall >= THRESHOLD, f"recall {recall:.3f} < {THRESHOLD}"


@pytest.mark.parametrize("file", sorted(CYCLES))
def test_every_observation_quotes_its_file(file: str) -> None:
    text = _text(file)
    for o in extracted()[file]:
        assert text[o.span.start : o.span.end] == o.span.quote
        assert text[o.number.start : o.number.end] == o.number.quote
        assert o.span.start <= o.number.start < o.number.end <= o.span.end
