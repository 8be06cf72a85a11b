"""Tell a text's layout, force, assessment and publication date from the text alone.

Each layout family's wording file lists its ``mark`` patterns: signs that a
text is of that family (a 'Last updated' line, 'An inspection of …', 'Hide Ad').
The family with the most distinct marks wins, if it has at least two and more
than any other; a news text with a ``press-mark`` ('Get the report', 'Notes to
editors') is the inspectorate's press release. The force is the one a title or
first sentence names (ontology/forces.ttl, else the name as written); the
assessment is the one a title, a 'PEEL 2023–2025' line or an assessment number
names. What cannot be told is None, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kg.reference import AssessmentInfo, Reference
from kg.wording import load_family

#: The layout each family's text is read with.
FAMILY_LAYOUTS = {"web": "hmic-web", "report": "peel-report", "news": "news-article"}
_FAMILY_OF = {layout: family for family, layout in FAMILY_LAYOUTS.items()}
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ISO = re.compile(r"\b(20\d{2})-(\d{2})-(\d{2})\b")
#: A name no force of ontology/forces.ttl has is taken only if it reads like a force's.
_FORCE_LIKE = re.compile(r"\b(?:Police(?: Service)?|Constabulary)$")


@dataclass(frozen=True)
class Detected:
    """What a text says about itself; None where it does not say."""

    layout: str | None
    marks: dict[str, int]  # family -> number of distinct marks found
    force: str | None
    assessment: AssessmentInfo | None
    published: str | None  # YYYY, YYYY-MM or YYYY-MM-DD

    def why(self) -> str:
        """The marks counted, for messages: 'web 5, report 0, news 1'."""
        return marks_found(self.marks)


def marks_found(counts: dict[str, int]) -> str:
    """Counts of marks (:func:`marks`) as said in messages: 'web 5, report 0, news 1'."""
    return ", ".join(f"{family} {n}" for family, n in counts.items())


def marks(text: str) -> dict[str, int]:
    """How many distinct ``mark`` patterns of each family ``text`` shows."""
    counts = {}
    for family in FAMILY_LAYOUTS:
        words = load_family(family)
        counts[family] = sum(1 for p in words.of_kind("mark") if words.compile(p).search(text))
    return counts


def detect_layout(text: str) -> tuple[str | None, dict[str, int]]:
    """The layout ``text`` shows the marks of, or None when no family clearly leads."""
    counts = marks(text)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, n), (_, runner_up) = ranked[0], ranked[1]
    if n < 2 or n == runner_up:
        return None, counts
    layout = FAMILY_LAYOUTS[best]
    if best == "news":
        words = load_family("news")
        if any(words.compile(p).search(text) for p in words.of_kind("press-mark")):
            layout = "press-release"
    return layout, counts


def detect(text: str, ref: Reference, family: str | None = None) -> Detected:
    """The layout, force, assessment and publication date ``text`` states. The force,
    assessment and date are read by the wording of the layout's family: the one detected,
    or ``family`` when the caller knows it; with neither, they are not told."""
    layout, counts = detect_layout(text)
    if family is None and layout is not None:
        family = "news" if layout == "press-release" else _FAMILY_OF[layout]
    if family is None:
        return Detected(layout, counts, None, None, None)
    return Detected(
        layout=layout,
        marks=counts,
        force=_force(text, family, ref),
        assessment=_assessment(text, family, ref),
        published=_published(text, family),
    )


def _lines(text: str) -> list[str]:
    """The text's non-blank lines, stripped: patterns of a line are anchored to it."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _force(text: str, family: str, ref: Reference) -> str | None:
    """The force the text is about: the one its subject lines name ('An inspection of X',
    'assessment of X'), else its title ('X 2016'); by its name in ontology/forces.ttl
    when known, else only a name that reads like a force's ('… Police', '…
    Constabulary'). None when they name several, or none."""
    named: dict[str, list[str]] = {"subject": [], "title": []}
    words = load_family(family)
    for line in _lines(text):
        for kind, names in named.items():
            for _, m in words.search(kind, line):
                names.append(m.group("name" if kind == "subject" else "place").strip())
    for names in (named["subject"], named["title"]):
        found = {_canonical(ref, n) for n in names}
        if len(found) == 1:
            name = found.pop()
            return name if ref.force(name) or _FORCE_LIKE.search(name) else None
        if found:
            return None
    return None


def _canonical(ref: Reference, name: str) -> str:
    """A force's name in ontology/forces.ttl, else the name as written."""
    known = ref.force(name)
    return known.label if known else name


def _assessment(text: str, family: str, ref: Reference) -> AssessmentInfo | None:
    """The assessment a title, a 'PEEL <years>' line or an assessment number names."""
    stated: set[str] = set()
    words = load_family(family)
    for line in _lines(text):
        for kind in ("title", "assessment"):
            for _, m in words.search(kind, line):
                named = ref.named_assessment(m.group("year"))
                if named is not None:
                    stated.add(named.notation)
    for _, m in words.search("number", text):
        number = words.common.ordinals.get(m.group("ordinal").lower())
        stated |= {a.notation for a in ref.assessments.values() if a.ordinal == number}
    if len(stated) == 1:
        return ref.assessments[stated.pop()]
    return None


def _published(text: str, family: str) -> str | None:
    """The publication date a text gives: a report's footer month, a page's latest 'Last
    updated' date, a dated line of a news item."""
    if family == "report":
        words = load_family("report")
        for line in _lines(text):
            found = words.first("issued", line)
            if found:
                m = found[1]
                month = words.common.months.index(m.group("month").lower()) + 1
                return f"{m.group('year')}-{month:02d}"
        return None
    if family == "web":
        dates = [_day(y, mo, d) for d, mo, y in _DATE.findall(text)]
        return max(filter(None, dates), default=None)
    dated = _ISO.search(text)
    return _day(*dated.groups()) if dated else None


def _day(year: str, month: str, day: str) -> str | None:
    """The ISO date of a year, month and day, or None when the calendar has no such day."""
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


__all__ = ["FAMILY_LAYOUTS", "Detected", "detect", "detect_layout", "marks", "marks_found"]
