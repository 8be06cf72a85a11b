"""The facts extraction yields from one source, before they become RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kg.errors import LayoutError
from kg.model import Document, Span
from kg.reference import AreaConcept, CycleInfo


def force_mention(doc: Document, file: str, force: str) -> Span:
    """The first mention of the manifest's force in ``doc``; LayoutError if there is none."""
    span = doc.first_mention(force)
    if span is None:
        raise LayoutError(
            f"{file}: the manifest names the force {force!r}, but the text never "
            "mentions it; check the manifest's force field"
        )
    return span


@dataclass(frozen=True)
class Issue:
    """Something a reader could not read, or two statements that disagree."""

    file: str
    line: int
    offset: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} (offset {self.offset}): {self.message}"


@dataclass(frozen=True)
class GradeClaim:
    """One statement of an area's grade: a grade line, a sentence, a table cell, a notice."""

    form: str  # grade-line | sentence | table | revision-notice
    grade: str  # grade notation, e.g. "requires-improvement"
    span: Span


@dataclass(frozen=True)
class Revision:
    """A dated notice that an area's grade was changed after publication."""

    date: str  # YYYY-MM
    old: GradeClaim
    new: GradeClaim
    reason: str
    span: Span


@dataclass
class FindingFact:
    """One finding: its type, headline, body and spans."""

    type: str  # a key of kg.vocab.FINDING_TYPES
    ordinal: int  # 1-based, within its area and type
    headline: str
    span: Span
    body: str = ""
    body_span: Span | None = None
    deadline: str | None = None
    addresses: int | None = None  # ordinal of the cause of concern a recommendation answers


@dataclass
class AreaFact:
    """One assessed area: its section heading, every grade statement, its findings."""

    label: str
    concept: AreaConcept | None
    heading: Span
    claims: list[GradeClaim] = field(default_factory=list)
    revision: Revision | None = None
    findings: list[FindingFact] = field(default_factory=list)
    updated: str | None = None  # YYYY-MM-DD: a web page's 'Last updated' date for this area
    updated_span: Span | None = None

    @property
    def graded(self) -> bool:
        """True when the report states a grade for this area."""
        return bool(self.claims)

    def primary(self) -> GradeClaim | None:
        """The statement a judgment rests on: the sentence, else the grade line, else the table."""
        for form in ("sentence", "grade-line", "summary-sentence", "table", "list-item"):
            for claim in self.claims:
                if claim.form == form:
                    return claim
        return None


@dataclass(frozen=True)
class Person:
    """A named person, e.g. the HM Inspector who signed a report, with the role a source gives."""

    name: str
    post_nominals: str
    span: Span
    role: str = ""


@dataclass(frozen=True)
class GradeCountFact:
    """'adequate in four areas': how many areas a source says got a grade in a cycle."""

    cycle: CycleInfo
    grades: tuple[str, ...]  # grade notations on the cycle's scale; empty if none fits
    text: str  # the grade words as stated, e.g. "adequate or better"
    count: int
    span: Span


@dataclass
class MentionFact:
    """One place a source names an initiative, with what the source says about the initiative.

    The initiative's own fields (``name`` to ``developed_into``) are the same for every
    mention of it in one source; ``key`` is the same in every source that names it
    (see kg.extract.initiatives).
    """

    name: str  # the canonical name: the initiative's label
    key: str  # the normalised name the initiative is resolved by, across sources and cycles
    kind: str  # operation, project, programme, unit, team, hub, scheme, campaign, software …
    span: Span  # the name as written at this mention
    aliases: tuple[str, ...] = ()
    description: str = ""  # the sentence of its first mention in the source
    partners: tuple[str, ...] = ()
    innovative: bool = False  # named by an innovative practice finding
    developed_into: str | None = None  # the key of the initiative this one developed into
    area: AreaFact | None = None
    finding: FindingFact | None = None


@dataclass
class SourceFacts:
    """Everything extracted from one source document."""

    force: str
    force_span: Span
    cycle: CycleInfo
    cycle_span: Span | None = None
    issued: str | None = None
    issued_span: Span | None = None
    inspector: Person | None = None
    areas: list[AreaFact] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    counts: list[GradeCountFact] = field(default_factory=list)
    updated: str | None = None  # YYYY-MM-DD: the latest 'Last updated' date of a web page
    initiatives: list[MentionFact] = field(default_factory=list)  # in text order
    observations: list[ObservationFact] = field(default_factory=list)  # in text order


@dataclass(frozen=True)
class PeriodFact:
    """The period a figure is stated for (kinds: see kg.extract.periods)."""

    kind: str  # year-ending | as-at | calendar-year | financial-year | range | unstated
    text: str = ""  # the words that give it, as written
    start: str | None = None  # YYYY-MM-DD
    end: str | None = None  # YYYY-MM-DD: the last day, or the date of a point in time
    length: str | None = None  # ISO 8601 duration, e.g. P1Y


@dataclass(frozen=True)
class ComparatorFact:
    """A value the text compares a figure with: an England and Wales median, a standard…"""

    kind: str  # england-and-wales-average | england-and-wales-median | national-standard | …
    comparison: str | None = None  # above | below | within | in-line-with, as the text says
    value: Decimal | None = None
    low: Decimal | None = None  # a range's ends
    high: Decimal | None = None
    unit: str | None = None  # unit notation


@dataclass(frozen=True)
class ObservationFact:
    """One figure of a report: its number, unit, period, metric, comparators and spans."""

    area: AreaFact
    finding: FindingFact | None
    span: Span  # the sentence, or the table row
    number: Span  # the number as written, e.g. '1,423' or '£183 million'
    value: Decimal  # as written, before any multiplier
    unit: str  # unit notation, e.g. "percent"
    multiplier: int | None
    metric: str  # metric notation, or "unclassified"
    metric_text: str
    period: PeriodFact
    comparators: tuple[ComparatorFact, ...] = ()
    ci: Decimal | None = None  # half-width of a confidence interval
    ci_unit: str | None = None
    numerator: int | None = None
    denominator: int | None = None
    counted: str | None = None  # what an audit sample counted, e.g. "cases"
