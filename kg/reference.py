"""Reference data: the ontology, grade scales, cycles and area schemes under ontology/.

Loaded from Turtle files at run time (data, not code) into one graph, and
indexed for the readers: which cycle a notation names, which grade a word
names on that cycle's scale, which area concept a heading names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg import vocab
from kg.errors import InputError
from kg.paths import ONTOLOGY_DIR

T = TypeVar("T")
_DASHES = re.compile(r"[\u2010-\u2015\-]")
_SPACE = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Compare labels loosely: case, dashes, curly quotes and spacing do not matter."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _DASHES.sub("-", text)
    return _SPACE.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class AreaConcept:
    """One assessment area of a framework."""

    iri: URIRef
    notation: str
    label: str
    labels: frozenset[str]  # normalised prefLabel and altLabels
    graded: bool


@dataclass(frozen=True)
class CycleInfo:
    """One PEEL cycle with its grade scale and area framework."""

    iri: URIRef
    notation: str
    label: str
    scale: URIRef
    framework: URIRef
    grades: dict[str, URIRef]  # grade notation -> grade concept
    areas: tuple[AreaConcept, ...]

    @property
    def years(self) -> tuple[int, int]:
        """The first and last year: '2015-17' -> (2015, 2017); '2014' -> (2014, 2014)."""
        start, _, end = self.notation.partition("-")
        return int(start), int(start[:2] + end) if end else int(start)

    def area_by_label(self, text: str) -> AreaConcept | None:
        """The area whose preferred or alternative label is ``text`` (loosely compared)."""
        key = normalise_label(text)
        for area in self.areas:
            if key in area.labels:
                return area
        return None


class Reference:
    """The reference graph and its indexes."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.cycles: dict[str, CycleInfo] = {}
        for cyc in graph.subjects(RDF.type, vocab.Cycle):
            info = self._cycle(URIRef(str(cyc)))
            self.cycles[info.notation] = info

    def _cycle(self, iri: URIRef) -> CycleInfo:
        g = self.graph
        scale = URIRef(str(g.value(iri, vocab.gradeScale)))
        framework = URIRef(str(g.value(iri, vocab.framework)))
        grades = {
            str(g.value(c, SKOS.notation)): URIRef(str(c)) for c in g.subjects(SKOS.inScheme, scale)
        }
        areas = []
        for concept in sorted(g.subjects(SKOS.inScheme, framework), key=str):
            labels = {
                normalise_label(str(lab))
                for p in (SKOS.prefLabel, SKOS.altLabel)
                for lab in g.objects(concept, p)
            }
            graded = g.value(concept, vocab.graded)
            areas.append(
                AreaConcept(
                    iri=URIRef(str(concept)),
                    notation=str(g.value(concept, SKOS.notation)),
                    label=str(g.value(concept, SKOS.prefLabel)),
                    labels=frozenset(labels),
                    graded=graded is None or str(graded) in ("true", "1"),
                )
            )
        return CycleInfo(
            iri=iri,
            notation=str(g.value(iri, SKOS.notation)),
            label=str(g.value(iri, RDFS.label)),
            scale=scale,
            framework=framework,
            grades=grades,
            areas=tuple(areas),
        )

    def cycle(self, name: str) -> CycleInfo:
        """The cycle a manifest, a text or a user names, in any spelling: '2023-25',
        '2023–25', '2023 – 2025', '2018/19', or an alias such as '2016'."""
        key = re.sub(r"\s*([-/])\s*", r"\1", normalise_label(name))
        m = re.fullmatch(r"(\d{4})[-/](\d{2}|\d{4})", key)
        if m:
            start, end = m.groups()
            if len(end) == 4 and end[:2] == start[:2]:
                end = end[2:]
            key = f"{start}-{end}"
        if key in self.cycles:
            return self.cycles[key]
        for info in self.cycles.values():
            alts = {normalise_label(str(a)) for a in self.graph.objects(info.iri, SKOS.altLabel)}
            if key in alts or key == normalise_label(info.label):
                return info
        raise InputError(f"unknown cycle {name!r}; known cycles: {', '.join(sorted(self.cycles))}")


def reference_files(folder: Path = ONTOLOGY_DIR) -> list[Path]:
    """Every Turtle file of the reference data, in a stable order."""
    return sorted(folder.rglob("*.ttl"))


_WORDS = re.compile(r"[a-z]+")
_STOP_WORDS = frozenset(
    {"and", "the", "of", "a", "an", "to", "in", "at", "for", "with", "its", "their", "on"}
)


def best_word_match(text: str, candidates: Iterable[tuple[T, Iterable[str]]]) -> T | None:
    """The candidate whose labels share most of ``text``'s words, if clearly one.

    A label's score is the share of ``text``'s words (stop words aside) it
    contains. The best candidate must score at least 0.6 and beat every other.
    """
    words = set(_WORDS.findall(normalise_label(text))) - _STOP_WORDS
    scored: list[tuple[float, T]] = []
    for item, labels in candidates:
        score = max(
            (
                len(words & set(_WORDS.findall(normalise_label(lab)))) / max(1, len(words))
                for lab in labels
            ),
            default=0.0,
        )
        scored.append((score, item))
    scored.sort(key=lambda s: -s[0])
    if scored and scored[0][0] >= 0.6 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


@lru_cache(maxsize=4)
def load_reference(folder: Path = ONTOLOGY_DIR) -> Reference:
    """Parse every ontology/**/*.ttl file into the reference graph."""
    graph = Graph()
    for path in reference_files(folder):
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise InputError(f"{path}: not valid Turtle: {exc}") from exc
    return Reference(graph)


def grade_notation(word: str) -> str | None:
    """'Requires improvement' -> 'requires-improvement'; None if not a grade word."""
    key = normalise_label(word).strip(" '\"‘’“”:")
    key = re.sub(r"^requires? improvement$", "requires improvement", key)
    return {
        "outstanding": "outstanding",
        "good": "good",
        "adequate": "adequate",
        "requires improvement": "requires-improvement",
        "inadequate": "inadequate",
    }.get(key)


__all__ = [
    "AreaConcept",
    "CycleInfo",
    "Reference",
    "grade_notation",
    "load_reference",
    "normalise_label",
    "reference_files",
]
