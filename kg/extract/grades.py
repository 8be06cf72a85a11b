"""Grades stated in sentences, and the areas they name: shared by every layout family.

A family's ``grade-sentence`` patterns (ontology/wording/) find a statement in a
sentence; ``grade-clause`` patterns read the rest of a list ('good at A, good at B
and outstanding at C'). A sentence that a family's ``other-assessment`` or
``not-a-grade`` patterns match is about another assessment or gives no grade, and
is skipped whole. What a statement names is looked up among the areas of the
framework (:func:`resolve_area`): by label, never by a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.model import Document, Span
from kg.read.blocks import sentence_spans
from kg.reference import AreaConcept, best_word_match, normalise_label
from kg.wording import Family, Pattern, Subject

_CUT = re.compile(r",\s+|\s+(?:and|at|with|in|of|for)\s+")
_QUOTE_MARKS = "‘’'\"“”"


@dataclass(frozen=True)
class Stated:
    """One statement of a grade (or of 'not graded') found in a sentence."""

    pattern: Pattern
    span: Span  # the sentence that states it
    clause: Span  # the statement itself: from its subject (or area) to what it grades
    area: str | None  # the area as written; None when the statement names none
    grade: str | None  # the grade words as written
    status: str | None  # the status words as written ('not yet graded')


def sentences(doc: Document, start: int, end: int) -> list[Span]:
    """The sentences of ``doc.text[start:end]`` as spans."""
    base = doc.text[start:end]
    return [doc.span(start + a, start + b) for a, b in sentence_spans(base)]


def skipped(family: Family, sentence: str) -> bool:
    """True when the sentence is about another assessment or gives no grade."""
    return any(
        family.first(kind, sentence) is not None for kind in ("other-assessment", "not-a-grade")
    )


def statements(
    family: Family, doc: Document, sentence: Span, subject: Subject, kind: str = "grade-sentence"
) -> list[Stated]:
    """Every grade statement in one sentence, in text order; overlapping matches of later
    patterns give way to earlier ones."""
    text = sentence.quote
    if skipped(family, text):
        return []
    taken: list[tuple[int, int]] = []
    found: list[Stated] = []
    for pattern, m in family.search(kind, text, subject):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        chain = [(pattern, m)]
        if "area" in m.groupdict():
            chain += _continue(family, text, m.end(), subject)
        grade = m.groupdict().get("grade")
        for p, cm in chain:
            groups = cm.groupdict()
            grade = groups.get("grade") or grade
            taken.append((cm.start(), cm.end()))
            found.append(
                Stated(
                    pattern=p,
                    span=sentence,
                    clause=doc.span(sentence.start + cm.start(), sentence.start + cm.end()),
                    area=groups.get("area"),
                    grade=grade,
                    status=groups.get("status"),
                )
            )
    found.sort(key=lambda s: s.clause.start)
    return found


def _continue(
    family: Family, text: str, pos: int, subject: Subject
) -> list[tuple[Pattern, re.Match[str]]]:
    """The further items of a list of grades, each matched where the previous one ends."""
    out: list[tuple[Pattern, re.Match[str]]] = []
    while True:
        for pattern in family.of_kind("grade-clause"):
            m = family.compile(pattern, subject).match(text, pos)
            if m and m.end() > pos:
                out.append((pattern, m))
                pos = m.end()
                break
        else:
            return out


def resolve_area(
    text: str, areas: Sequence[AreaConcept], prefixes: Iterable[str] = (), cut: bool = True
) -> AreaConcept | None:
    """The area ``text`` names, by the framework's labels: the whole text, else the text
    without leading words such as 'its' (``prefixes``, one after another), else (with
    ``cut``) its longest beginning that ends before ', ', ' and ', ' at ', ' with ', ' in ',
    ' of ' or ' for ' and is a label ('effectiveness at keeping people safe' names
    effectiveness). None if no label fits."""
    by_label = {label: area for area in areas for label in area.labels}
    candidates = [normalise_label(text.strip(_QUOTE_MARKS + " .,;"))]
    for candidate in candidates:  # 'its management of X' -> 'management of X' -> 'X'
        candidates += [
            candidate[len(p) + 1 :]
            for p in prefixes
            if candidate.startswith(p + " ") and candidate[len(p) + 1 :] not in candidates
        ]
    for candidate in candidates:
        if candidate in by_label:
            return by_label[candidate]
    if not cut:
        return None
    for candidate in candidates:
        cuts = [m.start() for m in _CUT.finditer(candidate)]
        for end in reversed(cuts):
            if candidate[:end] in by_label:
                return by_label[candidate[:end]]
    return None


_LIST_SEPARATORS = (re.compile(r"\s*;\s*(?:and\s+)?"), re.compile(r",\s*(?:and\s+)?"))
_AND = re.compile(r"\s+(?:and|&)\s+")


def resolve_areas(
    text: str, areas: Sequence[AreaConcept], prefixes: Iterable[str] = (), loose: bool = False
) -> list[AreaConcept]:
    """The areas a phrase names: the one its whole names; else those of a list ('A; B; and
    C', 'A, B and C', 'A and B', where an item may itself hold 'and': 'investigating crime
    and tackling serious and organised crime') whose every item names one; else the one
    its longest labelled beginning names (:func:`resolve_area`). With ``loose``, an item
    also names the area whose labels share most of its words (best_word_match), as
    secondary sources paraphrase area names."""
    pre = tuple(prefixes)
    whole = _item(text, areas, pre, False)
    if whole is not None:
        return [whole]
    listed = _list(text, 0, areas, pre, loose)
    if listed:
        return listed
    whole = _item(text, areas, pre, loose) if loose else None
    if whole is not None:
        return [whole]
    one = resolve_area(text, areas, pre)
    return [one] if one is not None else []


def _item(
    text: str, areas: Sequence[AreaConcept], prefixes: tuple[str, ...], loose: bool
) -> AreaConcept | None:
    """The area one item names: by label, else (loose) by shared words."""
    found = resolve_area(text, areas, prefixes, cut=False)
    if found is None and loose:
        found = best_word_match(text, ((a, a.labels) for a in areas))
    return found


def _list(
    text: str, level: int, areas: Sequence[AreaConcept], prefixes: tuple[str, ...], loose: bool
) -> list[AreaConcept]:
    """The areas of a list whose every item names one, splitting at ';', then ',', then at
    one 'and' (tried at each 'and' in turn); [] when some item names none ('good in most
    areas, with leaps in preventing crime' is not a list of areas)."""
    if level == len(_LIST_SEPARATORS):
        return _pair(text, areas, prefixes, loose)
    parts = [p for p in _LIST_SEPARATORS[level].split(text) if p.strip()]
    if len(parts) < 2:
        return _list(text, level + 1, areas, prefixes, loose)
    found: list[AreaConcept] = []
    for part in parts:
        one = _item(part, areas, prefixes, loose)
        items = [one] if one is not None else _list(part, level + 1, areas, prefixes, loose)
        if not items:
            return []
        found += [c for c in items if c not in found]
    return found


def _pair(
    text: str, areas: Sequence[AreaConcept], prefixes: tuple[str, ...], loose: bool
) -> list[AreaConcept]:
    """'A and B': the first cut at an 'and' where both sides name areas (B may be a pair)."""
    for m in _AND.finditer(text):
        left = _item(text[: m.start()], areas, prefixes, loose)
        if left is None:
            continue
        right_text = text[m.end() :]
        right = _item(right_text, areas, prefixes, loose)
        rest = [right] if right is not None else _pair(right_text, areas, prefixes, loose)
        if rest:
            return [left, *[c for c in rest if c != left]]
    return []


__all__ = ["Stated", "resolve_area", "resolve_areas", "sentences", "skipped", "statements"]
