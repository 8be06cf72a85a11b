"""Extract what a news article says about an inspection: grades, counts, people.

- A bulleted list of areas and grades ('Preventing crime - adequate') gives
  one claim per area, attributed to the article: it never overwrites the
  inspectorate's judgment.
- Counts ('adequate in four areas and requires improvement in six'), for
  the article's own cycle or an earlier one named by year ('In 2021, …'),
  are kept as counts; they are never turned into per-area grades. Grade words
  that the cycle's scale lacks are kept as words, with an issue.
- Named people with the role the article gives them.
"""

from __future__ import annotations

import re

from kg.extract.facts import (
    AreaFact,
    GradeClaim,
    GradeCountFact,
    Issue,
    Person,
    SourceFacts,
    force_mention,
)
from kg.model import Block, Document, Span
from kg.read.blocks import sentence_spans
from kg.reference import CycleInfo, Reference, best_word_match, grade_notation

_G = r"(?:outstanding|good|adequate|requires improvement|inadequate)"
_Q = r"[‘'\"“]?"
_Z = r"[’'\"”]?"
_ITEM = re.compile(rf"^(?P<area>.+?)(?:\s+[-–—]|\s*:)\s+{_Q}(?P<grade>{_G}){_Z}\.?$", re.I)
_NUMBERS = {
    w: n
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]  # fmt: skip
    )
}
_COUNT = re.compile(
    rf"(?P<grades>{_Q}{_G}{_Z}(?:\s+or\s+(?:{_Q}{_G}{_Z}|better|worse))?)\s+in\s+(?:just\s+|only\s+)?"
    rf"(?P<n>\d+|{'|'.join(_NUMBERS)})\b(?:\s+(?:areas?|categories|category))?",
    re.I,
)
_YEAR = re.compile(r"^In (?P<year>(?:19|20)\d{2}),")
_ROLE = (
    r"(?:(?:Acting|Deputy|Assistant|Temporary|Interim)\s+)?(?:Chief Constable|Police,? Fire and "
    r"Crime Commissioner|Police and Crime Commissioner|Commissioner|(?:His|Her) Majesty['’]s "
    r"(?:Chief )?Inspector of Constabulary|HM (?:Chief )?Inspector of Constabulary)"
)
_PERSON = re.compile(rf"(?P<role>{_ROLE})\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){{1,2}})")


def extract_article(
    doc: Document, file: str, force: str, cycle: CycleInfo, ref: Reference
) -> SourceFacts:
    """Claims, counts and people of a news article about ``force``'s ``cycle`` inspection."""
    facts = SourceFacts(force=force, force_span=force_mention(doc, file, force), cycle=cycle)
    for b in doc.blocks:
        if b.kind == "bullet":
            _list_item(doc, file, facts, b)
        elif b.kind in ("paragraph", "heading"):
            _counts(doc, file, facts, ref, b)
        _people(doc, facts, b)
    inspectors = [p for p in facts.people if "Inspector" in p.role]
    facts.inspector = inspectors[0] if inspectors else None
    return facts


def _list_item(doc: Document, file: str, facts: SourceFacts, b: Block) -> None:
    text = b.text.lstrip("•*-– ").strip()
    m = _ITEM.match(text)
    if not m:
        return
    offset = b.span.quote.find(text)
    area_text = m.group("area")
    concept = facts.cycle.area_by_label(area_text) or best_word_match(
        area_text, ((a, a.labels) for a in facts.cycle.areas)
    )
    if concept is None:
        facts.issues.append(
            Issue(
                file,
                b.line,
                b.span.start,
                f"the article grades {area_text!r}, which names no area of the "
                f"{facts.cycle.label} framework; not recorded",
            )
        )
        return
    grade = grade_notation(m.group("grade"))
    item = doc.span(b.span.start + offset, b.span.start + offset + len(text))
    area = next((a for a in facts.areas if a.concept == concept), None)
    if area is None:
        area = AreaFact(label=concept.label, concept=concept, heading=item)
        facts.areas.append(area)
    area.claims.append(GradeClaim("list-item", grade or "", item))


def _counts(doc: Document, file: str, facts: SourceFacts, ref: Reference, b: Block) -> None:
    for s_start, s_end in sentence_spans(b.span.quote):
        sentence = b.span.quote[s_start:s_end]
        year = _YEAR.match(sentence.strip())
        cycle = _cycle_of_year(ref, int(year.group("year"))) if year else facts.cycle
        if cycle is None:
            continue
        for m in _COUNT.finditer(sentence):
            words = m.group("grades")
            n = m.group("n").lower()
            count = int(n) if n.isdigit() else _NUMBERS[n]
            named = [grade_notation(w) for w in re.findall(_G, words, re.I)]
            grades = tuple(g for g in named if g and g in cycle.grades)
            start = b.span.start + s_start + m.start()
            span = doc.span(start, b.span.start + s_start + m.end())
            text = re.sub(r"[‘’'\"“”]", "", words)
            if len(grades) != len(named):
                facts.issues.append(
                    Issue(
                        file,
                        b.line,
                        start,
                        f"{text!r} names a grade the {cycle.label} scale does "
                        "not have; the count keeps the words only",
                    )
                )
                grades = ()
            facts.counts.append(GradeCountFact(cycle, grades, text, count, span))


def _cycle_of_year(ref: Reference, year: int) -> CycleInfo | None:
    for info in ref.cycles.values():
        if info.years[0] <= year <= info.years[1]:
            return info
    return None


def _people(doc: Document, facts: SourceFacts, b: Block) -> None:
    seen = {p.name for p in facts.people}
    for m in _PERSON.finditer(b.span.quote):
        name = m.group("name")
        if name in seen:
            continue
        seen.add(name)
        start = b.span.start + m.start("name")
        facts.people.append(
            Person(name, "", Span(start, start + len(name), name), role=m.group("role"))
        )
