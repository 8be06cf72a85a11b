"""Classify a figure under a metric of ontology/metrics.ttl, by its patterns (data, not code).

Each peel:Metric has a unit and one or more peel:matchPattern regular
expressions. A figure is matched against its context text (its sentence, or a
table row's label and the table's caption), and only metrics of the figure's
own unit count. Of the matches, one in the figure's own stretch of the text
(from its number to the next figure's; the first figure's stretch starts with
the sentence) wins over one after it (a predicate coordinated figures share:
'90.0 percent of officers and 91.0 percent of staff had had a PDR'); words
before a figure are its own only when the figure before it is of another
unit; a match that holds another figure's number is that figure's. The
nearest to the number wins, then the longest. The fallback text (the sentence
an anaphoric sentence refers back to) is tried last; no match leaves the
figure unclassified. A decimal point inside a number reads as '·', so that a
pattern's ``[^.;]*`` stays inside one sentence yet can cross '3.6'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from kg import vocab
from kg.errors import InputError

UNCLASSIFIED = "unclassified"
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


@dataclass(frozen=True)
class MetricDef:
    """One metric: its notation, the notation of its unit, its compiled patterns."""

    notation: str
    unit: str | None
    patterns: tuple[re.Pattern[str], ...]


_CACHE: dict[int, tuple[Graph, tuple[MetricDef, ...]]] = {}


def metric_definitions(graph: Graph) -> tuple[MetricDef, ...]:
    """The metrics the reference ``graph`` defines, in notation order (parsed once per graph)."""
    cached = _CACHE.get(id(graph))
    if cached is not None and cached[0] is graph:
        return cached[1]
    metrics = []
    for metric in graph.subjects(RDF.type, vocab.Metric):
        notation = str(graph.value(metric, SKOS.notation) or "")
        unit = graph.value(metric, vocab.unit)
        unit_notation = str(graph.value(unit, SKOS.notation)) if unit is not None else None
        patterns = []
        for text in sorted(str(p) for p in graph.objects(metric, vocab.matchPattern)):
            try:
                patterns.append(re.compile(text, re.I))
            except re.error as exc:
                raise InputError(
                    f"ontology/metrics.ttl: metric {notation!r} has a matchPattern that is "
                    f"not a valid regular expression ({exc}): {text!r}"
                ) from exc
        metrics.append(MetricDef(notation, unit_notation, tuple(patterns)))
    result = tuple(sorted(metrics, key=lambda m: m.notation))
    _CACHE[id(graph)] = (graph, result)
    return result


def classify(
    metrics: tuple[MetricDef, ...],
    unit: str,
    text: str,
    number: tuple[int, int],
    own: tuple[int, int],
    others: list[tuple[int, int]] | None = None,
    fallback: str = "",
    before: tuple[int, str] | None = None,
) -> str:
    """The notation of the metric a figure measures, or ``"unclassified"``.

    :param unit: the figure's unit notation; only metrics of this unit are tried.
    :param text: the context text; ``number`` the number's offsets in it, ``own`` the
        stretch of it that belongs to this figure alone.
    :param others: the offsets of the other figures' numbers: a match that holds one of
        them belongs to that figure.
    :param fallback: more context (the sentence before an anaphoric one), tried last.
    :param before: the end and unit of the figure before this one: the words between the two
        are this figure's too when that figure's unit is not the metric's ('43 percent of its
        funding through precept, representing £69.5m').
    """
    text = _DECIMAL_POINT.sub("·", text)
    best: tuple[int, int, int, str] | None = None
    for metric in metrics:
        if metric.unit is not None and metric.unit != unit:
            continue
        for pattern in metric.patterns:
            for m in pattern.finditer(text):
                if any(m.start() <= a and b <= m.end() for a, b in others or ()):
                    continue  # the words of another figure
                if m.end() > own[0] and m.start() < own[1]:
                    tier = 0  # in this figure's own stretch
                elif m.start() >= number[1]:
                    tier = 1  # after it, past the next figure: a predicate they share
                elif before is not None and m.start() >= before[0] and metric.unit != before[1]:
                    tier = 2  # between the figure before (of another unit) and this one
                else:
                    continue
                distance = max(0, m.start() - number[1], number[0] - m.end())
                key = (tier, distance, -(m.end() - m.start()), metric.notation)
                if best is None or key < best:
                    best = key
    if best is not None:
        return best[3]
    if fallback:
        end = len(fallback)
        return classify(metrics, unit, fallback, (end, end), (0, end))
    return UNCLASSIFIED


__all__ = ["UNCLASSIFIED", "MetricDef", "classify", "metric_definitions"]
