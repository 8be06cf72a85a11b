"""Names a user gives for a force, an area, a metric, a theme, an assessment or an
initiative, resolved to the one thing they name, or refused with a hint.

Every kind goes down one ladder (:meth:`Names.resolve`), and stops at the first step
that names exactly one thing:

1. exact: one of its names (skos:prefLabel, altLabel, notation, hiddenLabel, as the kind
   has them), loosely compared (:func:`kg.reference.normalise_label`); then the same with
   punctuation, '&' for 'and', a leading 'the' and, for forces, the words 'Police',
   'Constabulary', 'Service' and 'Force' left aside ('Durham', 'Kent Constabulary');
2. part: the words given are whole words of the names of one thing only ('Manchester');
3. close spelling: a name whose rapidfuzz ratio to the one given (punctuation kept, so
   that a value with stray quotes and braces is close to nothing) is at least
   :data:`CUTOFF`, and :data:`MARGIN` points above every name of anything else
   ('Northamptonshre', 'Investigatng crime'); two things about as close are refused.

Words that fit several things are refused with the list of them ("'West' could name
several forces: …; give one of them"); words close to nothing with the closest few
("'Atlantis' names no force; did you mean …?"). A wrong match is worse than a refusal.
An IRI is taken only if it is one of the things of that kind.

The aliases are data: ontology/forces.ttl, areas/, metrics.ttl and themes.ttl. The
initiatives are those of a built graph (a :class:`kg.store.GraphStore`), not reference data.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from kg import paths, vocab
from kg.errors import InputError, QueryError
from kg.reference import AssessmentInfo, Reference, load_reference, normalise_label
from kg.store import GraphStore

K = TypeVar("K", bound=Hashable)

#: An absolute IRI, as a parameter may give one.
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+\Z")
#: The least rapidfuzz ratio (0-100) at which a name close in spelling is taken.
CUTOFF = 85.0
#: How many points the closest thing must beat every other thing by to be taken.
MARGIN = 5.0
#: How many names a refusal lists, at most.
SHOWN = 8

_NOT_WORD = re.compile(r"[^\w]+")
_FORCE_WORDS = frozenset({"police", "constabulary", "service", "force"})


def _plain(text: str) -> str:
    """'The Avon & Somerset Constabulary.' -> 'avon and somerset constabulary'."""
    words = _NOT_WORD.sub(" ", normalise_label(text).replace("&", " and ")).split()
    return " ".join(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


def _core(name: str, noise: frozenset[str]) -> str:
    """A name without a leading 'the' and the kind's generic words ('police')."""
    words = name.split()
    words = words[1:] if words[:1] == ["the"] else words
    return " ".join(w for w in words if w not in noise)


def _squash(text: str) -> str:
    """Lower-case letters and digits only, as queries/initiative-mentions.rq compares."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _quoted(names: Iterable[str]) -> list[str]:
    return [f"'{n}'" for n in names]


def _either(names: list[str]) -> str:
    """'A', 'A or B', 'A, B or C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


@dataclass(frozen=True)
class Names(Generic[K]):
    """The things of one kind and the names each goes by, for :meth:`resolve`.

    :param kind: what one thing is called in messages ('force').
    :param plural: what several are called ('forces').
    :param listing: the ``peel-kg list`` kind that shows them all ('forces').
    :param exact: every normalised name -> the thing it names (one per name, chosen by
        the kind: a theme's own name before another theme's term).
    :param shown: each thing -> the name messages give it.
    :param noise: words of a name that do not tell things apart ('police').
    """

    kind: str
    plural: str
    listing: str
    exact: Mapping[str, K]
    shown: Mapping[K, str]
    noise: frozenset[str] = frozenset()
    plain: dict[str, set[K]] = field(init=False, repr=False, compare=False)
    core: dict[str, set[K]] = field(init=False, repr=False, compare=False)
    spelt: dict[str, set[K]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plain: dict[str, set[K]] = {}
        core: dict[str, set[K]] = {}
        spelt: dict[str, set[K]] = {}
        for name, thing in self.exact.items():
            key = _plain(name)
            plain.setdefault(key, set()).add(thing)
            if stripped := _core(key, self.noise):
                core.setdefault(stripped, set()).add(thing)
            for written in {name, _core(name, self.noise)} - {""}:
                spelt.setdefault(written, set()).add(thing)
        object.__setattr__(self, "plain", plain)
        object.__setattr__(self, "core", core)
        object.__setattr__(self, "spelt", spelt)

    def named(self: Names[URIRef], value: str, source: str) -> URIRef:
        """The thing ``value`` names (:meth:`resolve`), or whose IRI it is: an IRI must be
        one of these things' ('is not the IRI of a <kind> of <source>' otherwise)."""
        text = value.strip()
        if IRI.match(text):
            if URIRef(text) in self.shown:
                return URIRef(text)
            raise ValueError(f"{text!r} is not the IRI of {_article(self.kind)} of {source}")
        return self.resolve(text)

    def resolve(self, text: str) -> K:
        """The one thing ``text`` names (see the module's ladder), or ValueError saying
        which things it could name or which names are close."""
        key = normalise_label(text)
        if not key:
            raise ValueError(f"give a {self.kind}'s name; `peel-kg list {self.listing}` shows them")
        if key in self.exact:
            return self.exact[key]
        plain = _plain(key)
        core = _core(plain, self.noise)
        for table, wanted in ((self.plain, plain), (self.core, core)):
            if wanted and (found := table.get(wanted)):
                return self._one(text, found)
        if plain:
            part = re.compile(rf"(?<!\w){re.escape(plain)}(?!\w)")
            found = {t for name, things in self.plain.items() if part.search(name) for t in things}
            if found:
                return self._one(text, found)
            ranked = self._ranked(key)
            if ranked and ranked[0][1] >= CUTOFF:
                best, score = ranked[0]
                if len(ranked) == 1 or score - ranked[1][1] >= MARGIN:
                    return best
                return self._one(text, {t for t, s in ranked if s > score - MARGIN})
        raise ValueError(self._unknown(text, plain))

    def _one(self, text: str, found: set[K]) -> K:
        """The one thing of ``found``, or ValueError listing them."""
        if len(found) == 1:
            return next(iter(found))
        names = sorted({self.shown[t] for t in found}, key=str.casefold)
        listed = ", ".join(_quoted(names[:SHOWN]))
        if len(names) > SHOWN:
            listed += f" … ({len(names)} in all: `peel-kg list {self.listing}`)"
        raise ValueError(f"{text!r} could name several {self.plural}: {listed}; give one of them")

    def _ranked(self, key: str) -> list[tuple[K, float]]:
        """Every thing with a name close in spelling to ``key`` (a normalised name; with and
        without a leading 'the' and the kind's generic words, punctuation kept), closest
        first."""
        best: dict[K, float] = {}
        choices = list(self.spelt)
        for wanted in {key, _core(key, self.noise)} - {""}:
            for name, score, _ in process.extract(
                wanted, choices, scorer=fuzz.ratio, limit=None, score_cutoff=50
            ):
                for thing in self.spelt[name]:
                    best[thing] = max(best.get(thing, 0.0), score)
        return sorted(best.items(), key=lambda s: (-s[1], self.shown[s[0]]))

    def _unknown(self, text: str, plain: str) -> str:
        """'X names no force; did you mean A, B or C?'."""
        close: list[str] = []
        if plain:
            for name, _, _ in process.extract(
                plain, list(self.plain), scorer=fuzz.WRatio, limit=20
            ):
                for shown in sorted(self.shown[t] for t in self.plain[name]):
                    if shown not in close:
                        close.append(shown)
        hint = f"; did you mean {_either(_quoted(close[:3]))}?" if close else ""
        return f"{text!r} names no {self.kind}{hint} (`peel-kg list {self.listing}` shows them all)"


def _reference(folder: Path) -> Reference:
    """The reference data of ``folder``; unreadable files are a QueryError."""
    try:
        return load_reference(folder)
    except InputError as exc:
        raise QueryError(f"cannot read the reference data: {exc}") from exc


# --- forces -----------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _reference_forces(folder: Path) -> tuple[tuple[URIRef, str, tuple[str, ...]], ...]:
    """Each force of the reference data: its IRI, label and every name (notation too)."""
    found = {f.iri: f for f in _reference(folder).forces.values()}
    return tuple(
        (f.iri, f.label, (*f.names, f.notation))
        for f in sorted(found.values(), key=lambda f: str(f.iri))
    )


def force_names(graph_forces: Iterable[tuple[URIRef, str]] = ()) -> Names[URIRef]:
    """The forces of ontology/forces.ttl by every name, and the forces of a graph
    (``graph_forces``: IRI and rdfs:label) that the reference data does not know."""
    exact: dict[str, URIRef] = {}
    shown: dict[URIRef, str] = {}
    for iri, label, names in _reference_forces(paths.ONTOLOGY_DIR):
        shown[iri] = label
        for name in names:
            exact.setdefault(normalise_label(name), iri)
    for iri, label in sorted(graph_forces):
        if iri not in shown:
            shown[iri] = label
            exact.setdefault(normalise_label(label), iri)
    return Names("force", "forces", "forces", exact, shown, _FORCE_WORDS)


def store_forces(store: GraphStore) -> list[tuple[URIRef, str]]:
    """The forces of a built graph: IRI and rdfs:label."""
    query = f"SELECT ?f ?label WHERE {{ ?f a <{vocab.Force}> ; <{RDFS.label}> ?label }}"
    return [(URIRef(str(r["f"])), str(r["label"])) for r in store.rows(query)]


def to_force(value: str, store: GraphStore | None = None) -> URIRef:
    """A force by any of its names (ontology/forces.ttl, or the forces of ``store``'s graph)
    or its IRI; a name that names no force, or several, is a ValueError with a hint."""
    return to_force_in(value, store_forces(store) if store is not None else ())


def to_force_in(value: str, graph_forces: Iterable[tuple[URIRef, str]]) -> URIRef:
    """:func:`to_force` with the forces of a graph given as (IRI, label) pairs."""
    return force_names(graph_forces).named(value, "ontology/forces.ttl or the graph")


def resolve_force(name: str, graph_forces: Iterable[tuple[URIRef, str]] = ()) -> URIRef:
    """The force ``name`` names among the reference forces and ``graph_forces`` (IRI and
    label), or an InputError with a hint."""
    try:
        return to_force_in(name, graph_forces)
    except ValueError as exc:
        raise InputError(str(exc)) from None


# --- areas, metrics, themes -------------------------------------------------------------


@lru_cache(maxsize=4)
def area_names(folder: Path) -> Names[URIRef]:
    """Every peel:Area of the reference data by its normalised labels.

    A label used by several frameworks ('Investigating crime') names the area of the cycle
    that started last; ties go to the first IRI in order. An area shown by a label other
    areas share is shown with its cycle ('Effectiveness (2015–17)').
    """
    graph = _reference(folder).graph
    cycles = {graph.value(c, vocab.framework): c for c in graph.subjects(RDF.type, vocab.Cycle)}
    started = {f: int(str(graph.value(c, vocab.startYear))) for f, c in cycles.items()}
    areas = sorted({URIRef(str(a)) for a in graph.subjects(RDF.type, vocab.Area)}, key=str)
    exact: dict[str, URIRef] = {}
    year: dict[str, int] = {}
    label: dict[URIRef, str] = {}
    cycle: dict[URIRef, str] = {}
    for area in areas:
        schemes = list(graph.objects(area, SKOS.inScheme))
        start = max((started.get(s, 0) for s in schemes), default=0)
        label[area] = str(graph.value(area, SKOS.prefLabel))
        cycle[area] = ", ".join(
            sorted(str(graph.value(cycles.get(s), RDFS.label)) for s in schemes)
        )
        for name in [*graph.objects(area, SKOS.prefLabel), *graph.objects(area, SKOS.altLabel)]:
            key = normalise_label(str(name))
            if key not in exact or start > year[key]:
                exact[key], year[key] = area, start
    shared = {n for n in label.values() if list(label.values()).count(n) > 1}
    shown = {a: f"{n} ({cycle[a]})" if n in shared else n for a, n in label.items()}
    return Names("assessment area", "assessment areas", "areas", exact, shown)


def to_area(value: str) -> URIRef:
    """An assessment area by any of its labels or its IRI."""
    return area_names(paths.ONTOLOGY_DIR).named(value, "the reference data")


@lru_cache(maxsize=4)
def metric_names(folder: Path) -> Names[URIRef]:
    """Every peel:Metric of the reference data by its labels and notation."""
    graph = _reference(folder).graph
    exact: dict[str, URIRef] = {}
    shown: dict[URIRef, str] = {}
    for metric in sorted(graph.subjects(RDF.type, vocab.Metric), key=str):
        iri = URIRef(str(metric))
        shown[iri] = str(graph.value(metric, SKOS.prefLabel) or graph.value(metric, SKOS.notation))
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
            for name in graph.objects(metric, prop):
                exact.setdefault(normalise_label(str(name)), iri)
    return Names("metric", "metrics", "metrics", exact, shown)


def to_metric(value: str) -> URIRef:
    """A metric of ontology/metrics.ttl by its label or notation, or its IRI."""
    return metric_names(paths.ONTOLOGY_DIR).named(value, "ontology/metrics.ttl")


@lru_cache(maxsize=4)
def theme_names(folder: Path) -> Names[URIRef]:
    """Every peel:Theme of the reference data by its name and terms (skos:hiddenLabel).
    A name wins over a term, so a theme's own name always names it."""
    graph = _reference(folder).graph
    themes = sorted({URIRef(str(t)) for t in graph.subjects(RDF.type, vocab.Theme)}, key=str)
    exact: dict[str, URIRef] = {}
    for prop in (SKOS.prefLabel, SKOS.hiddenLabel):
        for theme in themes:
            for name in sorted(str(n) for n in graph.objects(theme, prop)):
                exact.setdefault(normalise_label(name), theme)
    shown = {t: str(graph.value(t, SKOS.prefLabel)) for t in themes}
    return Names("theme", "themes", "themes", exact, shown)


def to_theme(value: str) -> URIRef:
    """A theme of ontology/themes.ttl by its name or one of its terms, or its IRI."""
    return theme_names(paths.ONTOLOGY_DIR).named(value, "ontology/themes.ttl")


def _article(noun: str) -> str:
    """``noun`` with 'a' or 'an' before it."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


# --- assessments ------------------------------------------------------------------------


def assessment(value: str) -> AssessmentInfo:
    """The assessment ``value`` names in any spelling ('2016', '2018-19', '2023–2025',
    'PEEL 2025-27'; :meth:`kg.reference.Reference.assessment`), or ValueError.

    Years are not guessed at: '2024' is refused, with the assessments whose years include
    it as the hint; a cycle of several assessments ('2015-17') names them.
    """
    ref = _reference(paths.ONTOLOGY_DIR)
    try:
        return ref.assessment(value)
    except InputError as exc:
        refused = ValueError(str(exc))
    years = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", value)]
    near = [
        a.label
        for a in ref.assessments.values()
        if any(a.years[0] <= y <= a.years[1] for y in years)
    ]
    if not near or _is_cycle(value):
        raise refused
    raise ValueError(
        f"unknown PEEL assessment {value!r} (did you mean {_either(near)}?); "
        f"known assessments: {', '.join(ref.assessments)}"
    )


def _is_cycle(value: str) -> bool:
    """Whether ``value`` names a PEEL cycle ('2015-17')."""
    try:
        _reference(paths.ONTOLOGY_DIR).cycle(value)
    except InputError:
        return False
    return True


def to_assessment(value: str) -> Literal:
    """A PEEL assessment in any spelling, as its rdfs:label: '2018-19' -> '2018/19'."""
    return Literal(assessment(value).label)


# --- initiatives (of a built graph) -----------------------------------------------------


def initiative_names(store: GraphStore) -> tuple[Names[str], frozenset[str]]:
    """The initiatives of ``store``'s graph by name and alias: the things are their names
    (an initiative of each of two forces with one name is one name), and the squashed
    form of every name and alias (see queries/initiative-mentions.rq)."""
    query = (
        f"SELECT ?label ?name WHERE {{ ?i a <{vocab.Initiative}> ; <{RDFS.label}> ?label . "
        f"{{ ?i <{RDFS.label}> ?name }} UNION {{ ?i <{SKOS.altLabel}> ?name }} }}"
    )
    exact: dict[str, str] = {}
    shown: dict[str, str] = {}
    squashed: set[str] = set()
    rows = sorted((str(r["label"]), str(r["name"])) for r in store.rows(query))
    for label, name in rows:
        thing = _squash(label)
        shown.setdefault(thing, label)
        exact.setdefault(normalise_label(name), thing)
        squashed.add(_squash(name))
    return Names("initiative", "initiatives", "initiatives", exact, shown), frozenset(squashed)


def to_initiative(value: str, store: GraphStore | None = None) -> Literal:
    """An initiative of the built graph, as a name the query compares with its names: the
    name as given when it is one of an initiative's names or aliases (letters and digits
    compared, as the query does: 'right care right person'), else the name of the one
    initiative it names ('Operation Aloy' -> 'Operation Alloy'); else ValueError."""
    if store is None:
        raise ValueError(
            "an initiative is one of a built graph's: it is resolved against the graph the "
            "query runs on (give the store, as run_query does)"
        )
    names, squashed = initiative_names(store)
    text = value.strip()
    if text and _squash(text) in squashed:
        return Literal(text)
    return Literal(names.shown[names.resolve(text)])


__all__ = [
    "CUTOFF",
    "IRI",
    "MARGIN",
    "Names",
    "area_names",
    "assessment",
    "force_names",
    "initiative_names",
    "metric_names",
    "resolve_force",
    "store_forces",
    "theme_names",
    "to_area",
    "to_assessment",
    "to_force",
    "to_force_in",
    "to_initiative",
    "to_metric",
    "to_theme",
]
