"""The facts extraction yields from one source, before they become RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NoReturn

from kg.errors import LayoutError
from kg.model import Block, Document, Span
from kg.reference import AreaConcept, AssessmentInfo, CycleInfo, Reference
from kg.wording import Family, Subject, load_family


def force_span(doc: Document, file: str, subject: Subject) -> Span:
    """The first place ``doc`` names the force by one of ``subject``'s names; LayoutError
    naming ``file`` if it never does."""
    found = [(doc.text.find(n), n) for n in subject.names if n and n in doc.text]
    if not found:
        raise LayoutError(
            f"{file}: the manifest names the force {subject.names[0]!r}, but the text never "
            "mentions it; check the manifest's force field"
        )
    at, name = min(found, key=lambda f: (f[0], -len(f[1])))
    return doc.span(at, at + len(name))


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


@dataclass(frozen=True)
class CarryOverFact:
    """'This question was not subject to detailed inspection in 2018/19, and our judgment
    from the 2017 legitimacy inspection has been carried over': a link to an earlier
    judgment, not a new one."""

    earlier: AssessmentInfo
    earlier_area: AreaConcept  # the area of the earlier assessment's framework
    span: Span


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
    status: str | None = None  # 'not-yet-graded' or 'ungraded', when the text says so
    carried: CarryOverFact | None = None

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
    """'adequate in four areas': how many areas a source says got a grade in an assessment."""

    assessment: AssessmentInfo
    grades: tuple[str, ...]  # grade notations on the assessment's scale; empty if none fits
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


@dataclass(frozen=True)
class FollowUpFact:
    """One explicit back-reference: what became of an earlier finding, as the text says."""

    status: str  # a key of kg.vocab.FOLLOW_UP_STATUSES
    earlier: AssessmentInfo
    earlier_type: str  # a finding type code
    evidence: Span  # from the sentence naming the earlier inspection to the status
    described: Span  # what the earlier finding was, as the text describes it
    described_text: str  # the same as plain text (link markup removed)
    later: FindingFact | None  # the finding under whose headline it stands
    area: AreaFact | None  # the area section it stands in


@dataclass
class SourceFacts:
    """Everything extracted from one source document."""

    force: str
    force_span: Span
    assessment: AssessmentInfo
    assessment_span: Span | None = None
    issued: str | None = None
    issued_span: Span | None = None
    inspector: Person | None = None
    areas: list[AreaFact] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    counts: list[GradeCountFact] = field(default_factory=list)
    updated: str | None = None  # YYYY-MM-DD: the latest 'Last updated' date of a web page
    partial: bool = False  # the reader found the text incomplete (see peel:partial)
    cut_short: str = ""  # why the text looks cut short (a report lacking area sections)
    initiatives: list[MentionFact] = field(default_factory=list)  # in text order
    observations: list[ObservationFact] = field(default_factory=list)  # in text order
    follow_ups: list[FollowUpFact] = field(default_factory=list)  # in text order

    @property
    def cycle(self) -> CycleInfo:
        """The cycle the assessment was judged under: its framework and grade scale."""
        return self.assessment.cycle

    def area_for(self, concept: AreaConcept, heading: Span) -> AreaFact:
        """The fact of ``concept``'s area, made (with ``heading``) on first use."""
        for area in self.areas:
            if area.concept == concept:
                return area
        area = AreaFact(label=concept.label, concept=concept, heading=heading)
        self.areas.append(area)
        return area

    def add_claim(
        self, area: AreaFact, claim: GradeClaim, file: str, line: int, *, secondary: bool = False
    ) -> bool:
        """Record ``claim`` for ``area`` if the assessment's scale has its grade and the
        framework grades the area; otherwise report why, and record nothing. A grade off
        the scale in the inspectorate's own text is refused (LayoutError naming ``file``,
        ``line``, the grade and the scale): the text or the manifest's assessment is wrong.
        In a ``secondary`` source (a news item) it is reported."""
        scale = self.cycle.grades
        if claim.grade not in scale and not secondary:
            raise LayoutError(
                f"{file}:{line}: the grade {claim.grade.replace('-', ' ')!r} is not on the "
                f"grade scale of {self.assessment.label} "
                f"({', '.join(g.replace('-', ' ') for g in scale)}); correct the text, or the "
                "manifest's assessment if the document is of another"
            )
        if claim.grade not in scale:
            problem = (
                f"the grade {claim.grade!r} stated here is not on the grade scale of "
                f"{self.assessment.label}"
            )
        elif area.concept is not None and not area.concept.graded:
            problem = f"the {self.cycle.label} framework does not grade {area.label!r}"
        else:
            area.claims.append(claim)
            return True
        self.issues.append(
            Issue(file, line, claim.span.start, f"{problem}; the grade is not recorded")
        )
        return False


class Extraction:
    """One source being extracted: its text and file, the reference data, the wording of
    its layout family, the names its force goes by, and the facts read so far."""

    def __init__(
        self,
        doc: Document,
        file: str,
        force: str,
        assessment: AssessmentInfo,
        ref: Reference,
        family: str,
    ) -> None:
        self.doc, self.file, self.ref = doc, file, ref
        self.words: Family = load_family(family)
        self.subject: Subject = ref.subject(force)
        self.facts = SourceFacts(
            force=force, force_span=force_span(doc, file, self.subject), assessment=assessment
        )

    def line_of(self, offset: int) -> int:
        """The 1-based line of a character offset of the text."""
        return self.doc.line_of(offset)

    def issue(self, offset: int, message: str) -> None:
        """Report something the text says that cannot be read or recorded, at ``offset``."""
        self.facts.issues.append(Issue(self.file, self.line_of(offset), offset, message))

    def refuse_not_a_grade(self, line: Block, area: AreaFact, place: str) -> NoReturn:
        """LayoutError naming ``line``, which stands where ``area``'s grade line goes
        (``place``) but holds no grade word: the text was changed or garbled, and which
        grade it held is not guessed, even where a sentence states one."""
        scale = ", ".join(g.replace("-", " ") for g in self.facts.cycle.grades)
        stated = area.primary()
        said = (
            f"; the {stated.form.replace('-', ' ')} at line {self.line_of(stated.span.start)} "
            f"says {stated.grade.replace('-', ' ')!r}"
            if stated
            else ""
        )
        raise LayoutError(
            f"{self.file}:{line.line}: {line.text!r} stands where the grade of {area.label!r} "
            f"is written ({place}), but it is no grade of the {self.facts.assessment.label} "
            f"scale ({scale}){said}; correct the line to the grade the document gives"
        )

    def report_disagreements(self) -> None:
        """Report every area whose statements in this source give different grades."""
        for area in self.facts.areas:
            if len({c.grade for c in area.claims}) > 1:
                said = "; ".join(
                    f"{c.form} says {c.grade} ({c.span.start}-{c.span.end})" for c in area.claims
                )
                self.issue(
                    area.heading.start, f"the grade of {area.label!r} is stated differently: {said}"
                )


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
    better: str | None = None  # "higher" or "lower": the better ratio, where the text says
