"""Figures: every quantitative statement of a full report's area sections, as ObservationFacts.

What is a figure follows tests/gold/README.md. The body text of each area
section is read (paragraphs, bullets, table rows; never headings, captions,
chart descriptions, notes or sources), split into sentences, and each number
is given a role:

- a **figure** (one per stated quantity), with its unit (kg.extract.numbers),
  its period (kg.extract.periods: a period phrase right after it, else the
  nearest before it, else the period an anaphoric sentence or 'in the same
  period' refers back to, else unstated; a period phrase whose date is no date,
  '31 September 2025', is reported, and the figures it governs are unstated,
  never given another phrase's period), its metric (kg.extract.metrics), a
  confidence interval '(+/- 2.4 percentage points)' and an audit sample: 'in
  41 of 56 cases' is one figure (41, numerator 41, denominator 56), so is
  '23.9 percent of respondents (98 of 409)', and 'In the 17 cases where …, …
  in 12 cases' is 12 of 17; 'we reviewed 68 records' has denominator 68. Which
  ratio of a sample is better is recorded only where its words say so
  (kg.extract.direction);
  '1 percent lower' than a percentage is in percentage points;
- a **comparator** of a figure (kg.extract.comparators): an England and
  Wales average or median, a national standard, a typical range, an earlier
  value ('from 8 to 11': 8 is the earlier value of 11); in a sentence of its
  own only when that sentence refers back ('This was higher than the standard
  … of 90.0 percent', 'The England and Wales average is 3.7.'). A chart
  description gives no figures, but the comparators it states for a figure of
  the text ('11.2 percent …, compared to the median of 12.2 percent') are
  added to that figure;
- **not a figure**: part of a sample, an interval or a rate ('per 1,000'), a
  restatement of a sample ('which equates to 94.9 per 1,000 arrests'), a
  duration that qualifies another figure ('within 10 seconds', 'in the last 12
  months'), and what kg.extract.numbers excludes (years, names, codes…).

A table gives a figure per row (kg.extract.tables) with the row as its span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from kg.extract.comparators import (
    GROUP_FIGURE,
    GROUP_SENTENCE,
    add_comparator,
    read_comparator,
    starts_from_to,
    value_free,
)
from kg.extract.direction import better_when
from kg.extract.facts import (
    AreaFact,
    ComparatorFact,
    FindingFact,
    Issue,
    ObservationFact,
    PeriodFact,
    SourceFacts,
)
from kg.extract.metrics import UNCLASSIFIED, MetricDef, classify, metric_definitions
from kg.extract.numbers import (
    NUMBER,
    Number,
    clean_map,
    counted,
    find_numbers,
    parse_value,
    qualifies,
)
from kg.extract.periods import PeriodMatch, find_periods, previous_year
from kg.extract.tables import Cell, read_row
from kg.extract.tables import cells as table_cells
from kg.model import Block, Document, Span
from kg.read.blocks import sentence_spans
from kg.reference import load_reference

_DEADLINE = re.compile(r"^(?:Within|By|Over|In)\b[^,]*,\s+.+?\s+(?:should|must)\b[^:]*:$")
_ANAPHORIC = re.compile(
    r"^(?:(?:However|By comparison|In comparison|Overall),?\s+)?"
    r"(?i:this|that|it|these|which|such)\b"
)
_UNSTATED = PeriodFact("unstated")
_CI = re.compile(
    r"\s*\((?:with\s+a\s+confidence\s+interval\s+of\s+)?\+/-\s*(?P<ci>\d+(?:\.\d+)?)\s*"
    r"(?P<u>percentage\s+points?|percent|%)?\)",
    re.I,
)
_PAREN_SAMPLE = re.compile(
    rf"(?P<words>[^().;\d]{{0,30}}?)\s*\((?P<a>{NUMBER})\s+(?:out\s+)?of\s+(?P<b>{NUMBER})\)",
    re.I,
)
_SAMPLE = re.compile(
    rf"\s+(?:times\s+)?(?:out\s+)?of\s+(?:the\s+)?(?P<b>{NUMBER})\b(?P<rest>[^.;:()\d]*)", re.I
)
_OF_THESE = re.compile(r"\s+of\s+(?:these|them|those)\b", re.I)
_REVIEWED = re.compile(
    r"\b(?:reviewed|audited|examined|sampled|dip[- ]sampled?|selected|surveyed)\s+"
    r"(?:a\s+(?:sample|selection|total)\s+of\s+)?$",
    re.I,
)
_AND_NUMBER = re.compile(rf"\s+and\s+(?:{NUMBER})\b", re.I)
_DIFFERENCE = re.compile(
    r"\s+(?:lower|higher)\b(?!\s+than\s+(?:the\s+)?(?:England|average|median))", re.I
)
_BASE = re.compile(r"(?:^|,\s*)(?:in|of)\s+the\s+$", re.I)
_BASE_AFTER = re.compile(
    r"\s+[a-z][\w\s-]{0,40}?(?:\bwhere\b|\bin\s+which\b|\bthat\b|\bwho\b|,)", re.I
)
_RESTATES = re.compile(
    r"\b(?:which|this|that)\s+(?:equates|is\s+equivalent|amounts)\s+to\s+$", re.I
)
_FIGURE_CAPTION = re.compile(r"^(?:Figure|Table)\s+\d+\s*:", re.I)
_CHART = re.compile(r"^Chart description\s*:", re.I)
_REFERS_BACK = re.compile(
    r"^(?:[^,]*,\s+)?(?:this|that|it|which)\s+(?:is|was|equals|equated\s+to|represents|means"
    r"|is\s+equivalent\s+to)\s+(?:around\s+|about\s+|an?\s+)?$",
    re.I,
)


@dataclass
class _Figure:
    """A figure of one sentence while it is being read (offsets in the clean sentence)."""

    number: Number
    comparators: list[ComparatorFact] = field(default_factory=list)
    ci: tuple[str, str | None] | None = None
    numerator: int | None = None
    denominator: int | None = None
    counted: str | None = None
    sample: tuple[int, int] | None = None  # where the sample is written ('41 of 56')
    period: PeriodFact = _UNSTATED


@dataclass
class _Sentence:
    """Where a sentence sits: its block, its clean text and offsets back to the file."""

    block: Block
    text: str
    start: int  # offset of the sentence in the block's clean text
    index: list[int]  # clean offset -> raw offset in the block

    def span(self, doc: Document, start: int, end: int) -> Span:
        """The file span of ``text[start:end]``."""
        base = self.block.span.start
        return doc.span(
            base + self.index[self.start + start], base + self.index[self.start + end - 1] + 1
        )


def extract_figures(
    doc: Document,
    facts: SourceFacts,
    metrics: tuple[MetricDef, ...] | None = None,
    *,
    file: str,
) -> list[ObservationFact]:
    """Every figure of the area sections of ``doc``, in text order.

    :param doc: the report as read by kg.read.report; ``facts`` its extracted facts
        (the areas, in the order of ``doc.sections``, with their findings). A period
        phrase that cannot be read is added to ``facts.issues``.
    :param metrics: the metric definitions (default: those of ontology/metrics.ttl).
    :param file: the report's path, as issues name it.
    """
    defs = metrics if metrics is not None else metric_definitions(load_reference().graph)
    out: list[ObservationFact] = []
    for section, area in zip(doc.sections, facts.areas, strict=False):
        reader = _Reader(doc, facts.force, area, defs, file, facts.issues)
        out.extend(reader.section(section.blocks))
    return sorted(out, key=lambda o: o.number.start)


class _Reader:
    """Reads the figures of one area section, keeping the periods the text last gave."""

    def __init__(
        self,
        doc: Document,
        force: str,
        area: AreaFact,
        metrics: tuple[MetricDef, ...],
        file: str,
        issues: list[Issue],
    ):
        self.doc, self.force, self.area, self.metrics = doc, force, area, metrics
        self.file, self.issues = file, issues  # where an unreadable period phrase is reported
        self.last: PeriodFact | None = None  # the period the text last gave, for 'same period'
        self.previous: PeriodFact | None = None  # the period of the sentence before
        self.named: PeriodFact | None = None  # the period the text last named, for 'that review'
        self.before: list[_Figure] = []  # the figures of the sentence before
        self.prior = ""  # the sentence before, for the metric of one that refers back to it
        self.out: list[ObservationFact] = []
        # Figures wait here until the section ends: a later sentence may add a comparator.
        self.pending: list[tuple[dict[str, Any], _Figure]] = []

    def section(self, blocks: list[Block]) -> list[ObservationFact]:
        """The figures of the section's blocks; a heading ends what sentences refer back to."""
        caption: Block | None = None
        header: list[Cell] | None = None
        for block in blocks:
            if block.kind == "table":
                cells = table_cells(block)
                if header is None:
                    header = cells
                else:
                    self._row(block, cells, header, caption)
                continue
            header = None
            if block.kind == "figure" and _FIGURE_CAPTION.match(block.text):
                caption = block
                clean, index = clean_map(block.span.quote)
                self._unreadable(_Sentence(block, clean, 0, index), find_periods(clean))
            elif block.kind == "figure" and _CHART.match(block.text):
                self._chart(block)
            elif block.kind == "heading":
                self.last = self.previous = self.named = None
                self.before, self.prior = [], ""
            elif block.kind in ("paragraph", "bullet"):
                clean, index = clean_map(block.span.quote)
                for start, end in sentence_spans(clean):
                    self._sentence(_Sentence(block, clean[start:end], start, index))
        for fields, f in self.pending:
            self.out.append(ObservationFact(**fields, comparators=tuple(f.comparators)))
        return self.out

    # --- sentences ---------------------------------------------------------------

    def _sentence(self, s: _Sentence) -> None:
        """Give each number of a sentence its role; make its figures observations."""
        text = s.text
        anaphoric = bool(_ANAPHORIC.match(text))
        if _DEADLINE.match(text):
            return
        periods = find_periods(text)
        self._unreadable(s, periods)
        numbers = _numbers(text, periods)
        figures: list[_Figure] = []
        taken: set[int] = set()  # start offsets of numbers given a role other than figure
        earlier: list[Number] = []  # 'from 8 to 11': 8 is the earlier value of what follows
        base: Number | None = None  # 'In the 17 cases where …, … in 12 cases': the sample
        covered = 0  # the end of the words of the last number read ('… per 1,000 population')
        for n in numbers:
            if n.start in taken or n.start < covered:
                continue
            covered = n.unit_end
            lead = text[figures[-1].number.unit_end if figures else 0 : n.start]
            if qualifies(text, n, numbers) or self._restates(text, n, figures):
                continue
            if starts_from_to(text, n, lead):
                earlier.append(n)
                continue
            if (
                n.unit == "count"
                and _BASE.search(text[: n.start])
                and _BASE_AFTER.match(text, n.unit_end)
            ):
                base = n
                continue
            back = self.before if anaphoric or GROUP_SENTENCE.match(text) else []
            if self._comparator(text, n, lead, figures or back, taken):
                continue
            figure = _Figure(n)
            self._qualify(text, figure, numbers, figures, taken)
            if n.unit == "percent" and _DIFFERENCE.match(text, n.unit_end):
                previous = figures or (self.before if anaphoric else [])
                if previous and previous[-1].number.unit in ("percent", "percentage-points"):
                    n.unit = "percentage-points"  # '1 percent lower' than a percentage
            if earlier:
                e = earlier[-1]
                unit = e.unit if e.unit != "count" else n.unit
                figure.comparators.append(
                    ComparatorFact("previous-value", None, e.value, unit=unit)
                )
                if not _AND_NUMBER.match(text, n.unit_end):
                    earlier = []
            if base is not None and n.unit == "count" and figure.denominator is None:
                figure.numerator, figure.denominator = int(n.value), int(base.value)
                figure.counted = counted(text[base.unit_end :])
                figure.sample = (n.start, n.unit_end)
                base = None
            figures.append(figure)
        self._value_free_comparators(text, figures, anaphoric)
        resolved = self._periods(text, periods, figures, anaphoric)
        for i, f in enumerate(figures):
            self._observe(s, f, figures, i)
        named = [period for p, period in resolved if p.relative is None]
        if named:
            self.named = named[-1]
        own = [(p, period) for p, period in resolved if not p.base]
        if own:
            self.previous = own[-1][1]
            concrete = [period for p, period in own if p.relative is None]
            if concrete:
                self.last = concrete[-1]
        elif not anaphoric:
            self.previous = None
        if figures:
            self.before = figures
        self.prior = text

    def _unreadable(self, s: _Sentence, periods: list[PeriodMatch]) -> None:
        """Report each period phrase whose date is no date: its figures have no period."""
        for p in periods:
            if p.unreadable and p.period is not None:
                at = s.span(self.doc, p.start, p.end).start
                message = (
                    f"{p.unreadable}, so {p.period.text!r} gives no period: the figures it "
                    "governs are recorded without one"
                )
                self.issues.append(Issue(self.file, self.doc.line_of(at), at, message))

    def _chart(self, block: Block) -> None:
        """A chart description restates figures of the text; the comparators it gives them (the
        England and Wales median, a typical range) are added to those figures, and nothing in
        it is a figure of its own."""
        clean, _ = clean_map(block.span.quote)
        last: list[_Figure] = []
        for start, end in sentence_spans(clean):
            text = clean[start:end]
            numbers = _numbers(text, find_periods(text))
            shown: list[_Figure] = []  # each tied to the figure of the text it restates
            taken: set[int] = set()
            for n in numbers:
                if n.start in taken:
                    continue
                lead = text[shown[-1].number.unit_end if shown else 0 : n.start]
                if self._comparator(text, n, lead, shown or last, taken):
                    continue
                known = next(
                    (
                        f
                        for _, f in reversed(self.pending)
                        if (f.number.value, f.number.unit) == (n.value, n.unit)
                    ),
                    None,
                )
                if known is not None:
                    shown.append(_Figure(n, comparators=known.comparators))
            last = shown or last

    def _restates(self, text: str, n: Number, figures: list[_Figure]) -> bool:
        """True for a number that restates the sample just given: '1,423 times out of 14,999
        arrests, which equates to 94.9 times per 1,000 arrests'; '279 … (94 percent)'."""
        if not figures or figures[-1].denominator is None or figures[-1].numerator is None:
            return False
        between = text[figures[-1].number.unit_end : n.start]
        return bool(_RESTATES.search(between)) or bool(re.fullmatch(r"[^()]{0,30}\(\s*", between))

    def _comparator(
        self, text: str, n: Number, lead: str, targets: list[_Figure], taken: set[int]
    ) -> bool:
        """Record ``n`` as a comparator of an earlier figure when the words before it say so."""
        read = read_comparator(text, n, lead)
        target = _target(targets, n) if read else None
        if read is None or target is None:
            return False
        comparator, high = read
        if high is not None:
            taken.add(high)
        if comparator.unit is None:
            comparator = replace(comparator, unit=target.number.unit)
        add_comparator(target.comparators, comparator)
        return True

    def _qualify(
        self, text: str, f: _Figure, numbers: list[Number], figures: list[_Figure], taken: set[int]
    ) -> None:
        """A figure's confidence interval and audit sample, from the words around it."""
        n = f.number
        if m := _CI.match(text, n.unit_end):
            unit = m["u"] or ""
            f.ci = (
                m["ci"],
                "percentage-points" if "point" in unit else "percent" if unit else None,
            )
            taken.add(m.start("ci"))
        starts = {x.start for x in numbers}
        if n.unit == "count" and (m := _SAMPLE.match(text, n.unit_end)) and m.start("b") in starts:
            f.numerator, f.denominator = int(n.value), int(parse_value(m["b"]))
            f.counted = counted(m["rest"])
            f.sample = (n.start, m.end("b"))
            taken.add(m.start("b"))
        elif m := _PAREN_SAMPLE.match(text, n.unit_end):
            f.numerator, f.denominator = int(parse_value(m["a"])), int(parse_value(m["b"]))
            f.counted = counted(m["words"]) if m["words"].strip() else None
            f.sample = (n.start, m.end())
            taken.update((m.start("a"), m.start("b")))
        elif (m := _OF_THESE.match(text, n.unit_end)) and n.unit == "count":
            earlier = [g for g in figures if g.numerator is not None]
            f.sample = (n.start, m.end())
            f.numerator = int(n.value)
            f.denominator = earlier[-1].numerator if earlier else None
        elif _REVIEWED.search(text[: n.start]) and n.unit == "count":
            f.denominator = int(n.value)
            f.counted = counted(text[n.unit_end :])

    def _value_free_comparators(self, text: str, figures: list[_Figure], anaphoric: bool) -> None:
        """A comparator the text gives without a value goes to the figure before it."""
        for start, comparator in value_free(text):
            earlier = [f for f in figures if f.number.end <= start]
            back = self.before if anaphoric else []
            target = earlier[-1] if earlier else back[-1] if back else None
            if target is not None:
                unit = target.number.unit
                add_comparator(target.comparators, replace(comparator, unit=unit))

    def _periods(
        self, text: str, periods: list[PeriodMatch], figures: list[_Figure], anaphoric: bool
    ) -> list[tuple[PeriodMatch, PeriodFact]]:
        """Give each figure its period; return the sentence's period phrases, resolved."""
        context = self.previous if anaphoric else None
        resolved: list[tuple[PeriodMatch, PeriodFact]] = []
        for p in periods:
            if p.relative == "that":
                period = self.named or context
            elif p.relative == "same":
                period = self.last or context
            elif p.relative == "previous-year":
                period = previous_year(context or self.last, text[p.start : p.end])
            else:
                period = p.period
            if period is not None:
                resolved.append((p, period))
        starts = [f.number.start for f in figures]
        for f in figures:
            n = f.number
            after = [
                (p, period)
                for p, period in resolved
                if p.start >= n.unit_end
                and not p.base
                and not any(n.start < s < p.start for s in starts)
            ]
            before = [(p, period) for p, period in resolved if p.end <= n.start]
            if after and after[0][0].start - n.unit_end <= 40:
                f.period = after[0][1]
            elif before:
                f.period = before[-1][1]
            elif after:
                f.period = after[0][1]
            elif context is not None:
                f.period = context
        return resolved

    # --- observations ------------------------------------------------------------

    def _observe(self, s: _Sentence, f: _Figure, figures: list[_Figure], i: int) -> None:
        """Make the figure an observation (pending: a later sentence may add a comparator)."""
        n = f.number
        lo = n.start if i else 0
        hi = figures[i + 1].number.start if i + 1 < len(figures) else len(s.text)
        others = [(g.number.start, g.number.end) for g in figures if g is not f]
        refers = bool(_REFERS_BACK.search(s.text[: n.start]))
        metric = classify(
            self.metrics,
            n.unit,
            s.text,
            (n.start, n.end),
            (lo, hi),
            others,
            self.prior if refers else "",
            (figures[i - 1].number.unit_end, figures[i - 1].number.unit) if i else None,
        )
        if not f.comparators and (
            GROUP_FIGURE.search(s.text[lo:hi]) or GROUP_SENTENCE.match(s.text)
        ):
            metric = UNCLASSIFIED  # a figure about England and Wales, not the force
        number_span = s.span(self.doc, n.start, n.end)
        fields = dict(
            area=self.area,
            finding=self._finding(number_span.start),
            span=s.span(self.doc, 0, len(s.text)),
            number=number_span,
            value=n.value,
            unit=n.unit,
            multiplier=n.multiplier,
            metric=metric,
            metric_text=s.text[lo:hi].strip(" ,;:.–-") or s.text,
            period=f.period,
            ci=parse_value(f.ci[0]) if f.ci else None,
            ci_unit=f.ci[1] if f.ci else None,
            numerator=f.numerator,
            denominator=f.denominator,
            counted=f.counted,
            better=_better(s.text, f, figures, i),
        )
        self.pending.append((fields, f))

    def _finding(self, offset: int) -> FindingFact | None:
        """The finding whose headline-to-body stretch holds ``offset``; the narrowest wins."""
        best: tuple[int, FindingFact] | None = None
        for finding in self.area.findings:
            spans = [finding.span] + ([finding.body_span] if finding.body_span else [])
            start, end = min(sp.start for sp in spans), max(sp.end for sp in spans)
            if start <= offset < end and (best is None or end - start < best[0]):
                best = (end - start, finding)
        return best[1] if best else None

    # --- tables ------------------------------------------------------------------

    def _row(
        self, block: Block, row: list[Cell], header: list[Cell], caption: Block | None
    ) -> None:
        """One table row: the force's value is the figure, a comparison group's its comparator."""
        cap = caption.text if caption else ""
        r = read_row(row, header, self.force, cap)
        if r is None:
            return
        context = f"{r.label} — {cap}"
        metric = classify(self.metrics, r.unit, context, (0, 0), (0, len(r.label)))
        number = self.doc.span(block.span.start + r.start, block.span.start + r.end)
        self.out.append(
            ObservationFact(
                area=self.area,
                finding=self._finding(number.start),
                span=block.span,
                number=number,
                value=r.value,
                unit=r.unit,
                multiplier=None,
                metric=metric,
                metric_text=f"{r.label} ({r.header})",
                period=r.period or _UNSTATED,
                comparators=r.comparators,
            )
        )


def _numbers(text: str, periods: list[PeriodMatch]) -> list[Number]:
    """The numbers of a sentence outside its period phrases."""
    return [n for n in find_numbers(text) if not any(p.start <= n.start < p.end for p in periods)]


def _better(text: str, f: _Figure, figures: list[_Figure], i: int) -> str | None:
    """Which way is better for the figure's sample, if it states one and its words say so."""
    if f.sample is None or f.numerator is None or not f.denominator:
        return None
    before = figures[i - 1] if i else None
    lo = (before.sample or (0, before.number.unit_end))[1] if before else 0
    hi = figures[i + 1].number.start if i + 1 < len(figures) else len(text)
    return better_when(text, *f.sample, counted=f.counted, lo=lo, hi=hi)


def _target(figures: list[_Figure], n: Number) -> _Figure | None:
    """The figure a comparator number belongs to: the nearest earlier one of its unit, else the
    nearest earlier one."""
    same = [f for f in figures if f.number.unit == n.unit]
    return same[-1] if same else figures[-1] if figures else None


__all__ = ["extract_figures"]
