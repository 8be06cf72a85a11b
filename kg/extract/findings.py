"""Findings: the items of a report's or a page's finding lists, as FindingFacts.

An item of an 'Areas for improvement', 'Cause of concern', 'Innovative practice' or
'Main findings' list is one finding: its heading or bullet is the headline, the
blocks under it its body. A recommendations list is read bullet by bullet, each
with the deadline of the list's lead-in ('Within six months, the force should:',
the common.yaml pattern ``recommendation-deadline``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.extract.facts import AreaFact, FindingFact
from kg.model import Block, Document, Subsection
from kg.read.blocks import unbulleted
from kg.wording import load_family

_TRAIL = re.compile(r"(?:;\s*(?:and|or)|[;,.])\s*$")


def read_findings(doc: Document, subsections: list[Subsection], area: AreaFact) -> None:
    """Add the findings of ``subsections`` to ``area``: one per item (its head the headline,
    its body the text), numbered by type after the area's findings so far (a page may
    have two sections of one area); a recommendation list gives one recommendation per
    bullet with the list's deadline, answering the cause of concern before it."""
    counts: dict[str, int] = {}
    for f in area.findings:
        counts[f.type] = max(counts.get(f.type, 0), f.ordinal)
    last_concern: int | None = None

    def add(
        kind: str,
        head: Block,
        body: list[Block],
        deadline: str | None = None,
        addresses: int | None = None,
    ) -> FindingFact:
        counts[kind] = counts.get(kind, 0) + 1
        finding = FindingFact(
            type=kind,
            ordinal=counts[kind],
            headline=head.text,
            span=head.span,
            deadline=deadline,
            addresses=addresses,
        )
        if body:
            finding.body = "\n".join(b.text for b in body)
            finding.body_span = doc.span(body[0].span.start, body[-1].span.end)
        area.findings.append(finding)
        return finding

    for sub in subsections:
        if sub.kind == "recommendation":
            recommendations(doc, sub, add, last_concern)
            continue
        for item in sub.items:
            add(sub.kind, item.head, item.body)
            if sub.kind == "cause-of-concern":
                last_concern = counts[sub.kind]


def recommendations(
    doc: Document, sub: Subsection, add: Callable[..., FindingFact], concern: int | None
) -> None:
    """Each bullet of a recommendations list is one recommendation with the list's deadline."""
    deadline: str | None = None
    lead: list[Block] = []
    for b in sub.intro + [item.head for item in sub.items]:
        found = load_family("report").first("recommendation-lead", b.text)
        m = found[1] if found else None
        if b.kind == "paragraph" and m:
            deadline, lead = m.group("deadline"), [b]
        elif b.kind in ("bullet", "heading"):
            item = unbulleted(b)
            trail = _TRAIL.search(item.span.quote)
            end = item.span.start + trail.start() if trail else item.span.end
            head = Block(
                b.kind, _TRAIL.sub("", item.text).strip(), doc.span(item.span.start, end), b.line
            )
            add("recommendation", head, lead, deadline=deadline, addresses=concern)


__all__ = ["read_findings", "recommendations"]
