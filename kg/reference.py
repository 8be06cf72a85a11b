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
from kg.wording import Subject

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
    pillar: URIRef | None = None  # the pillar (skos:broader) of a question; None for a pillar


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


@dataclass(frozen=True)
class AssessmentInfo:
    """One PEEL assessment (2016, 2018/19, 2023–25 …) and the cycle it was judged under."""

    iri: URIRef
    notation: str
    label: str
    cycle: CycleInfo
    years: tuple[int, int]  # first and last year
    ordinal: int | None  # 'the third PEEL assessment' -> 3, where the pages number it
    names: frozenset[str]  # normalised notation, label and altLabels


@dataclass(frozen=True)
class ForceInfo:
    """A police force of ontology/forces.ttl: its name and the other names texts use."""

    iri: URIRef
    label: str
    notation: str  # the slug of the inspectorate's web addresses
    names: tuple[str, ...]  # the label, then every altLabel, longest first


class Reference:
    """The reference graph and its indexes."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.cycles: dict[str, CycleInfo] = {}
        for cyc in graph.subjects(RDF.type, vocab.Cycle):
            info = self._cycle(URIRef(str(cyc)))
            self.cycles[info.notation] = info
        by_iri = {c.iri: c for c in self.cycles.values()}
        found = [
            self._assessment(URIRef(str(a)), by_iri)
            for a in graph.subjects(RDF.type, vocab.Assessment)
        ]
        #: Every assessment by notation, oldest first.
        self.assessments: dict[str, AssessmentInfo] = {
            a.notation: a for a in sorted(found, key=lambda a: a.years)
        }
        self.forces: dict[str, ForceInfo] = {}  # normalised name -> force
        for iri in sorted(graph.subjects(RDF.type, vocab.Force), key=str):
            label = str(graph.value(iri, RDFS.label))
            alts = sorted(
                (str(a) for a in graph.objects(iri, SKOS.altLabel)), key=len, reverse=True
            )
            force = ForceInfo(
                URIRef(str(iri)), label, str(graph.value(iri, SKOS.notation)), (label, *alts)
            )
            for name in force.names:
                self.forces.setdefault(normalise_label(name), force)

    def counterpart(self, concept: AreaConcept, earlier: CycleInfo) -> AreaConcept | None:
        """The area of ``earlier``'s framework that the crosswalk says is ``concept`` (an
        exactMatch or closeMatch chain from it, ontology/crosswalk.ttl), if exactly one."""
        if concept in earlier.areas:
            return concept
        reached = {concept.iri}
        for _ in range(len(self.cycles)):
            reached |= {
                URIRef(str(s))
                for o in list(reached)
                for p in (SKOS.exactMatch, SKOS.closeMatch)
                for s in self.graph.subjects(p, o)
            }
        found = [a for a in earlier.areas if a.iri in reached]
        return found[0] if len(found) == 1 else None

    def force(self, name: str) -> ForceInfo | None:
        """The force of ontology/forces.ttl that ``name`` names (any of its names, loosely
        compared), or None."""
        return self.forces.get(normalise_label(name))

    def subject(self, force: str) -> Subject:
        """Every name a text may use for ``force`` (see :meth:`kg.wording.Subject.of`)."""
        info = self.force(force)
        return Subject.of(force, info.names if info else ())

    def _assessment(self, iri: URIRef, cycles: dict[URIRef, CycleInfo]) -> AssessmentInfo:
        g = self.graph
        notation, label = str(g.value(iri, SKOS.notation)), str(g.value(iri, RDFS.label))
        ordinal = g.value(iri, vocab.ordinal)
        names = {notation, label, *(str(a) for a in g.objects(iri, SKOS.altLabel))}
        return AssessmentInfo(
            iri=iri,
            notation=notation,
            label=label,
            cycle=cycles[URIRef(str(g.value(iri, vocab.cycle)))],
            years=(int(str(g.value(iri, vocab.startYear))), int(str(g.value(iri, vocab.endYear)))),
            ordinal=int(str(ordinal)) if ordinal is not None else None,
            names=frozenset(_period_key(n) for n in names),
        )

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
                    pillar=_iri(g.value(concept, SKOS.broader)),
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

    def assessment(self, name: str) -> AssessmentInfo:
        """The assessment a manifest, a text or a user names, in any spelling: '2016',
        '2018/19', '2018-19', '2023–25', '2023 – 2025', 'PEEL 2025–27'.

        A cycle that held several assessments ('2015-17') names none of them: InputError
        with a hint naming its assessments.
        """
        info = self.named_assessment(name)
        if info is not None:
            return info
        key = _period_key(name)
        years = sorted(a.notation for a in self.assessments.values() if a.cycle.notation == key)
        if len(years) > 1:
            raise InputError(
                f"{name!r} is a PEEL cycle of {len(years)} assessments; name the assessment "
                f"year instead: {', '.join(years)} (the page's title says which)"
            )
        raise InputError(
            f"unknown PEEL assessment {name!r}; known assessments: {', '.join(self.assessments)}"
        )

    def named_assessment(self, name: str) -> AssessmentInfo | None:
        """The assessment ``name`` names in any spelling (see :meth:`assessment`), or None
        when it names none ('2017/18', '2015-17')."""
        key = _period_key(name)
        return next((a for a in self.assessments.values() if key in a.names), None)

    def assessment_of_year(self, year: int) -> AssessmentInfo | None:
        """The one assessment whose years include ``year``; None if none or several do
        (2025 ends the 2023–25 assessment and starts 2025–27)."""
        found = [a for a in self.assessments.values() if a.years[0] <= year <= a.years[1]]
        return found[0] if len(found) == 1 else None

    def cycle(self, name: str) -> CycleInfo:
        """The cycle a manifest, a text or a user names, in any spelling: '2023-25',
        '2023–25', '2023 – 2025', '2018/19'."""
        key = _period_key(name)
        if key in self.cycles:
            return self.cycles[key]
        for info in self.cycles.values():
            alts = {normalise_label(str(a)) for a in self.graph.objects(info.iri, SKOS.altLabel)}
            if key in alts or key == normalise_label(info.label):
                return info
        raise InputError(f"unknown cycle {name!r}; known cycles: {', '.join(sorted(self.cycles))}")


def _iri(node: object) -> URIRef | None:
    return URIRef(str(node)) if node is not None else None


def _period_key(name: str) -> str:
    """'2023–2025', '2023 - 25', 'PEEL 2023/25', '202325' -> '2023-25'; '2016' -> '2016'."""
    key = re.sub(r"\s*([-/])\s*", r"\1", normalise_label(name)).removeprefix("peel ")
    key = re.sub(r"^(20\d{2})(\d{2})$", r"\1-\2", key)  # '202325': a dash lost in extraction
    m = re.fullmatch(r"(\d{4})[-/](\d{2}|\d{4})", key)
    if m:
        start, end = m.groups()
        if len(end) == 4 and end[:2] == start[:2]:
            end = end[2:]
        key = f"{start}-{end}"
    return key


def reference_files(folder: Path = ONTOLOGY_DIR) -> list[Path]:
    """Every Turtle file of the reference data, in a stable order."""
    return sorted(folder.rglob("*.ttl"))


_WORDS = re.compile(r"[a-z]+")
_STOP_WORDS = frozenset(
    {
        "and",
        "the",
        "of",
        "a",
        "an",
        "to",
        "in",
        "at",
        "for",
        "with",
        "its",
        "their",
        "on",
        "how",
        "it",
        "way",
        "force",
        "constabulary",
        "ability",
        "approach",
    }
)


def _terms(text: str) -> set[str]:
    """The words of ``text`` that carry meaning, each cut to its first five letters, so
    that 'responds' and 'responding', 'manages' and 'managing' are one term."""
    return {w[:5] for w in _WORDS.findall(normalise_label(text)) if w not in _STOP_WORDS}


def best_word_match(text: str, candidates: Iterable[tuple[T, Iterable[str]]]) -> T | None:
    """The candidate whose labels share most of ``text``'s words, if clearly one.

    A label's score is the share of ``text``'s terms (stop words aside, words cut to
    their first five letters) it contains. The best candidate must score at least 0.6
    and beat every other.
    """
    words = _terms(text)
    scored: list[tuple[float, T]] = []
    for item, labels in candidates:
        score = max(
            (len(words & _terms(lab)) / max(1, len(words)) for lab in labels),
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


__all__ = [
    "AreaConcept",
    "AssessmentInfo",
    "ForceInfo",
    "CycleInfo",
    "Reference",
    "load_reference",
    "normalise_label",
    "reference_files",
]
