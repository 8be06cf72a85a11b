"""Follow-ups: where a report or page says what became of a finding of the force's
previous inspection ('In our last PEEL inspection, we identified … Based on our latest
inspection findings, we have concluded this remains an area for improvement').

One paragraph at a time: a follow-up needs a sentence naming the earlier inspection
(wording kind ``earlier``), then, in that sentence or a later one of the paragraph, a
status (``escalated``, ``remains``, ``partly-addressed``, ``addressed``), and the kind of
finding it was (``earlier-type``). What the earlier finding was is quoted, never
paraphrased: the sentences from the one naming the earlier inspection up to the status.
'We identified this area for improvement in our last PEEL inspection' under a finding's
headline names that finding, listed again: it remains (or, under a cause of concern, is
escalated). A paragraph that names the earlier inspection and states no status is no
follow-up. The wording is data: ontology/wording/followup.yaml.
"""

from __future__ import annotations

from kg.extract.facts import AreaFact, FindingFact, FollowUpFact, Issue, SourceFacts
from kg.model import Block, Span
from kg.read.blocks import clean, sentence_spans
from kg.reference import AssessmentInfo, Reference
from kg.wording import Family, load_family

#: Status kinds, tried in this order on each sentence after the one naming the earlier
#: inspection: a negated 'not been addressed' is found as 'remains' before 'addressed'.
STATUSES = ("escalated", "remains", "partly-addressed", "addressed")
#: Finding types whose later finding an earlier area for improvement can be escalated to.
_CONCERN = "cause-of-concern"
_AFI = "area-for-improvement"


def read_follow_ups(blocks: list[Block], facts: SourceFacts, ref: Reference, file: str) -> None:
    """Add to ``facts`` every follow-up stated in the paragraphs of ``blocks`` of ``file``."""
    words = load_family("followup")
    earlier_ones = _earlier_assessments(facts.assessment, ref)
    if not earlier_ones:
        return
    for b in blocks:
        if b.kind != "paragraph":
            continue
        found = _follow_up(words, b, facts, ref, earlier_ones, file)
        if found:
            facts.follow_ups.append(found)


def _follow_up(
    words: Family,
    b: Block,
    facts: SourceFacts,
    ref: Reference,
    earlier_ones: list[AssessmentInfo],
    file: str,
) -> FollowUpFact | None:
    """The follow-up paragraph ``b`` states, if any (see the module docstring)."""
    raw = b.span.quote
    spans = [Span(b.span.start + a, b.span.start + z, raw[a:z]) for a, z in sentence_spans(raw)]
    texts = [clean(s.quote) for s in spans]
    anchor = next((i for i, t in enumerate(texts) if words.first("earlier", t)), None)
    if anchor is None:
        return None
    later, area = _finding_at(facts, b.span.start)
    status, at = _status(words, texts, anchor)
    this = words.first("this-finding", texts[anchor]) is not None
    kind = _kind(words, texts[anchor]) or (_kind(words, texts[at]) if at is not None else None)
    if status is None or at is None:
        if not (this and later and kind == later.type):
            return None  # names the earlier inspection, states no status
        status, at = "remains", anchor  # listed again under the same kind of headline
    if kind is None:
        return None
    earlier = _which(words, texts[anchor], earlier_ones, ref)
    if earlier is None:
        facts.issues.append(
            Issue(
                file,
                b.line,
                b.span.start,
                f"a back-reference states what became of a finding of an earlier inspection "
                f"that is not one earlier PEEL assessment; no follow-up read: "
                f"{texts[anchor][:80]!r}",
            )
        )
        return None
    if status == "remains" and kind == _AFI and later and later.type == _CONCERN:
        status = "escalated"
    evidence = _joined(b, spans[anchor], spans[at])
    if this and later:
        described = later.span
    else:
        described = _joined(b, spans[anchor], spans[at - 1 if at > anchor else anchor])
    text = later.headline if this and later else clean(described.quote)
    return FollowUpFact(status, earlier, kind, evidence, described, text, later, area)


def _joined(b: Block, first: Span, last: Span) -> Span:
    """The span of block ``b`` from sentence ``first`` to sentence ``last``."""
    base = b.span.start
    return Span(first.start, last.end, b.span.quote[first.start - base : last.end - base])


def _status(words: Family, texts: list[str], anchor: int) -> tuple[str | None, int | None]:
    """The first status stated from the anchor sentence on, and the sentence stating it."""
    for i in range(anchor, len(texts)):
        for status in STATUSES:
            if words.first(status, texts[i]):
                return status, i
    return None, None


def _kind(words: Family, text: str) -> str | None:
    """The finding type a sentence names first ('areas for improvement' …), if any."""
    hits = [(m.start(), p.name) for p, m in words.search("earlier-type", text)]
    return min(hits)[1] if hits else None


def _which(
    words: Family, text: str, earlier_ones: list[AssessmentInfo], ref: Reference
) -> AssessmentInfo | None:
    """The assessment the anchor sentence names: the previous one, or the one of its year."""
    found = words.first("earlier", text)
    year = found[1].groupdict().get("year") if found else None
    if not year:
        return earlier_ones[-1]
    named = ref.named_assessment(year) or ref.assessment_of_year(int(year[:4]))
    return named if named in earlier_ones else None


def _earlier_assessments(current: AssessmentInfo, ref: Reference) -> list[AssessmentInfo]:
    """The assessments before ``current``, oldest first."""
    ordered = sorted(ref.assessments.values(), key=lambda a: a.years)
    return [a for a in ordered if a.years < current.years]


def _finding_at(facts: SourceFacts, offset: int) -> tuple[FindingFact | None, AreaFact | None]:
    """The finding whose body holds ``offset``, and the area section it stands in."""
    best: AreaFact | None = None
    for area in facts.areas:
        for f in area.findings:
            if f.body_span and f.body_span.start <= offset < f.body_span.end:
                return f, area
        if area.heading.start <= offset and (
            best is None or area.heading.start > best.heading.start
        ):
            best = area
    return None, best


__all__ = ["STATUSES", "read_follow_ups"]
