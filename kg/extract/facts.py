"""The facts extraction yields from one source, before they become RDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import Span
from kg.reference import AreaConcept, CycleInfo


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
