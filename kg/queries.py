"""Canned SPARQL queries: self-describing ``queries/*.rq`` files run with typed parameters.

Each file is valid SPARQL starting with ``#+`` lines of YAML (grlc's convention):
``summary`` (required), ``description``, ``tags``, ``parameters`` (name -> ``{type,
description, required, default, unless, variable, repeat}``). Bad metadata is a
QueryError naming the file. A parameter with ``repeat: true`` may be given several values;
a row then matches any of them.

A parameter binds a query variable (``?name``, or the one its ``variable`` key names)
through the query text, so any SPARQL 1.1 engine understands it: the query writes
``VALUES ?var { UNDEF }`` where the value is best applied (inside the sub-SELECT that
should start from it: Oxigraph plans each sub-SELECT on its own), and binding replaces
``UNDEF`` with the value, serialised as an RDF term. Left unbound, ``UNDEF`` constrains
nothing. Values are typed: an ``assessment`` in any spelling ("2016", "2025-27",
"2025–2027") binds its rdfs:label ("2025–27"; a cycle of several assessments, "2015-17",
is refused with a hint), a ``finding-type`` its peel:typeCode. A ``force`` (any name of
a force in ontology/forces.ttl, loosely compared, or an IRI) binds the force's IRI; a name
the reference data does not know binds the IRI the build mints for it. An ``area`` (any
skos:prefLabel or skos:altLabel of an assessment area, loosely compared, or an area's IRI)
binds the area concept's IRI; a label several frameworks use names the area of the latest
cycle. A ``metric`` (a metric's skos:prefLabel, skos:altLabel or notation, loosely
compared, or its IRI; ontology/metrics.ttl) binds the metric's IRI; a ``theme`` (a theme's
skos:prefLabel or one of its skos:hiddenLabel terms, loosely compared, or its IRI;
ontology/themes.ttl) binds the theme's IRI; a ``decimal`` is an xsd:decimal. An optional
parameter not given stays unbound.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SKOS, XSD
from rdflib.term import Node

from kg import paths, vocab
from kg.errors import InputError, QueryError
from kg.reference import load_reference, normalise_label
from kg.results import render_select, results_format
from kg.store import Store

PARAM_TYPES = (
    "string",
    "iri",
    "integer",
    "decimal",
    "assessment",
    "finding-type",
    "force",
    "area",
    "metric",
    "theme",
)
OUTPUT_FORMATS = ("table", "csv", "json", "tsv", "jsonl", "markdown")

_META_KEYS = ("summary", "description", "tags", "parameters")
_PARAM_KEYS = ("type", "description", "required", "default", "unless", "variable", "repeat")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+\Z")
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*\Z")
_DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*\Z")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a canned query; it binds ``?variable`` (by default
    ``?name``) in the query's ``VALUES ?variable { UNDEF }`` blocks."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    default: str | None = None
    unless: tuple[str, ...] = ()  # parameters whose presence sets the default aside
    variable: str = ""
    repeat: bool = False  # may be given several values (any of them matches)

    @property
    def binds(self) -> str:
        """The query variable this parameter binds."""
        return self.variable or self.name


@dataclass(frozen=True)
class CannedQuery:
    """A query file and its metadata; ``variables`` are its result variables, in order."""

    name: str
    path: Path
    summary: str
    text: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    variables: tuple[str, ...] = ()


def load_query(path: Path) -> CannedQuery:
    """Read one ``.rq`` file and check its metadata and SPARQL, else raise QueryError."""
    text = path.read_text(encoding="utf-8")
    meta = _metadata(path, text)
    if unknown := sorted(set(meta) - set(_META_KEYS)):
        raise QueryError(f"{path}: unknown metadata key(s) {unknown}; use {list(_META_KEYS)}")
    summary, description = meta.get("summary"), meta.get("description") or ""
    tags, declared = meta.get("tags") or [], meta.get("parameters") or {}
    if not isinstance(summary, str) or not summary.strip():
        raise QueryError(f"{path}: no summary; add a line '#+ summary: <what it returns>'")
    if not isinstance(description, str):
        raise QueryError(f"{path}: 'description' must be text")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise QueryError(f"{path}: 'tags' must be a list of words, e.g. '#+ tags: [grades]'")
    if not isinstance(declared, dict):
        raise QueryError(f"{path}: 'parameters' must map each name to its type and description")
    params = tuple(_parameter(path, str(name), spec) for name, spec in declared.items())
    variables = _result_variables(path, text)
    for p in params:
        if not _placeholder(p.binds).search(text):
            raise QueryError(
                f"{path}: parameter '{p.name}' has no 'VALUES ?{p.binds} {{ UNDEF }}' block; "
                "write one where the query should start from the value"
            )
    return CannedQuery(
        path.stem, path, summary.strip(), text, description.strip(), tuple(tags), params, variables
    )


def list_queries(directory: Path | None = None) -> list[CannedQuery]:
    """Load every ``*.rq`` file of ``directory`` (default: the project's queries/), by name."""
    folder = directory or paths.QUERIES_DIR
    if not folder.is_dir():
        raise QueryError(f"{folder}: no such query folder")
    return [load_query(p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, directory: Path | None = None) -> CannedQuery:
    """Load the query called ``name`` (its file stem); QueryError lists the known names."""
    folder = directory or paths.QUERIES_DIR
    path = folder / f"{name.removesuffix('.rq')}.rq"
    if not re.fullmatch(r"[\w-]+", path.stem) or not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.rq"))) or "none"
        raise QueryError(f"no query named {name!r} in {folder}; known queries: {known}")
    return load_query(path)


def bind_parameters(query: CannedQuery, params: Mapping[str, str]) -> dict[str, Node]:
    """Convert parameter values (text, as typed on a command line) to typed RDF terms.

    Returns parameter name -> term (see :func:`bound_text`). An unknown name,
    a missing required parameter or a value that does not fit its type raises
    QueryError. Defaults fill absent parameters (a default with `unless` only when none of
    the parameters it lists is given); other absent ones stay unbound.
    """
    declared = {p.name: p for p in query.parameters}
    if unknown := sorted(set(params) - set(declared)):
        raise QueryError(
            f"query '{query.name}' has no parameter {', '.join(unknown)}; "
            f"its parameters: {', '.join(declared) or 'none'}"
        )
    bindings: dict[str, Node] = {}
    for p in query.parameters:
        default = None if any(name in params for name in p.unless) else p.default
        value = params.get(p.name, default)
        if value is not None:
            bindings[p.name] = _convert(p, str(value), f"query '{query.name}'")
        elif p.required:
            raise QueryError(f"query '{query.name}' needs the parameter '{p.name}' ({p.type})")
    return bindings


#: A parameter's value as given: one text, or several for a parameter that may repeat.
Values = str | Sequence[str]


def bound_text(query: CannedQuery, params: Mapping[str, Values]) -> str:
    """The query's text with its parameters bound: in each ``VALUES ?var { UNDEF }`` block
    of a given parameter, UNDEF is replaced by the value's RDF term (N-Triples syntax, so
    quotes and backslashes in a value are escaped), or by the terms of several values
    where the parameter may repeat (a row matches any of them). Errors as
    :func:`bind_parameters`; several values for a parameter that may not repeat, or none,
    raise QueryError."""
    declared = {p.name: p for p in query.parameters}
    given = {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}
    for name, values in given.items():
        if not values:
            raise QueryError(f"query '{query.name}': parameter '{name}' is given no value")
        if len(values) > 1 and name in declared and not declared[name].repeat:
            raise QueryError(
                f"query '{query.name}': parameter '{name}' takes one value; "
                f"{len(values)} were given ({', '.join(map(repr, values))})"
            )
    bindings = bind_parameters(query, {k: v[0] for k, v in given.items()})
    text = query.text
    for p in query.parameters:
        if p.name in bindings:
            more = [_convert(p, v, f"query '{query.name}'") for v in given.get(p.name, [])[1:]]
            terms = " ".join(dict.fromkeys(t.n3() for t in [bindings[p.name], *more]))
            block = f"VALUES ?{p.binds} {{ {terms} }}"
            text = _placeholder(p.binds).sub(lambda _: block, text)  # noqa: B023 - used at once
    return text


def _placeholder(variable: str) -> re.Pattern[str]:
    """The ``VALUES ?variable { UNDEF }`` blocks of a query text."""
    return re.compile(rf"\bVALUES\s+\?{re.escape(variable)}\s*\{{\s*UNDEF\s*\}}", re.IGNORECASE)


def run_query(
    store: Store,
    name: str | CannedQuery,
    params: Mapping[str, Values] | None = None,
    fmt: str = "table",
    directory: Path | None = None,
    width: int | None = None,
) -> str:
    """Run a canned query; return its results in one of OUTPUT_FORMATS.

    json, csv and tsv are the standard SPARQL 1.1 results formats exactly as the store
    writes them; ``table`` is a text table fitting ``width`` (default: the terminal's,
    kg.results.output_width) ending with "(N rows)"; ``jsonl`` and ``markdown`` are
    kg.results'.
    """
    if fmt not in OUTPUT_FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}")
    query = name if isinstance(name, CannedQuery) else get_query(name, directory)
    data = store.select(bound_text(query, params or {}), None, results_format(fmt))
    return render_select(data, fmt, width)


def _metadata(path: Path, text: str) -> dict[str, Any]:
    """Parse the leading ``#+`` lines of a query file as a YAML mapping."""
    header: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines()):
        if line.startswith("#+"):
            first = first if header else number
            header.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif header or line.strip():
            break
    if not header:
        raise QueryError(f"{path}: no '#+' metadata; start the file with '#+ summary: <text>'")
    try:
        meta = yaml.safe_load("\n".join(header))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {first + mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise QueryError(f"{path}: the '#+' metadata is not valid YAML{where}: {problem}") from exc
    if not isinstance(meta, dict):
        raise QueryError(f"{path}: the '#+' metadata must be 'key: value' lines")
    return meta


def _parameter(path: Path, name: str, spec: Any) -> Parameter:
    """Check one parameter's metadata; a default must fit the type."""
    where = f"{path}: parameter '{name}'"
    if not _NAME.match(name):
        raise QueryError(f"{where}: the name must be a SPARQL variable name (letters, digits, _)")
    if not isinstance(spec, dict):
        raise QueryError(f"{where}: give it a mapping with at least 'type'")
    if unknown := sorted(set(spec) - set(_PARAM_KEYS)):
        raise QueryError(f"{where}: unknown key(s) {unknown}; use {list(_PARAM_KEYS)}")
    if spec.get("type") not in PARAM_TYPES:
        raise QueryError(f"{where}: type {spec.get('type')!r} is not one of {list(PARAM_TYPES)}")
    required, default = spec.get("required", False), spec.get("default")
    if not isinstance(required, bool):
        raise QueryError(f"{where}: 'required' must be true or false")
    if required and default is not None:
        raise QueryError(f"{where}: a required parameter cannot have a default")
    default = None if default is None else str(default)
    unless = spec.get("unless") or []
    if not isinstance(unless, list) or (unless and default is None):
        raise QueryError(f"{where}: 'unless' must list parameter names, beside a default")
    variable = str(spec.get("variable") or "")
    if variable and not _NAME.match(variable):
        raise QueryError(f"{where}: 'variable' must be a SPARQL variable name, without '?'")
    repeat = spec.get("repeat", False)
    if not isinstance(repeat, bool):
        raise QueryError(f"{where}: 'repeat' must be true or false")
    param = Parameter(
        name,
        spec["type"],
        str(spec.get("description") or ""),
        required,
        default,
        tuple(str(u) for u in unless),
        variable,
        repeat,
    )
    if default is not None:
        _convert(param, default, str(path))
    return param


def _result_variables(path: Path, text: str) -> tuple[str, ...]:
    """Parse the query with Oxigraph (on an empty store); return its result variables."""
    try:
        results = ox.Store().query(text)
    except SyntaxError as exc:
        raise QueryError(f"{path}: not valid SPARQL 1.1: {exc}") from exc
    if not isinstance(results, ox.QuerySolutions):
        raise QueryError(f"{path}: a canned query must be a SELECT query")
    return tuple(v.value for v in results.variables)


def _convert(param: Parameter, value: str, where: str) -> Node:
    """Convert one parameter value to its RDF term, or raise QueryError."""
    try:
        return _CONVERTERS[param.type](value)
    except ValueError as exc:
        raise QueryError(f"{where}: parameter '{param.name}' ({param.type}): {exc}") from exc


def _to_iri(value: str) -> URIRef:
    """An absolute IRI."""
    if not _IRI.match(value):
        raise ValueError(f"{value!r} is not an absolute IRI such as https://w3id.org/peel-kg/id/…")
    return URIRef(value)


def _to_integer(value: str) -> Literal:
    """An xsd:integer."""
    if not _INTEGER.match(value):
        raise ValueError(f"{value!r} is not a whole number")
    return Literal(str(int(value)), datatype=XSD.integer)


def _to_decimal(value: str) -> Literal:
    """An xsd:decimal."""
    if not _DECIMAL.match(value):
        raise ValueError(f"{value!r} is not a decimal number such as 0.5")
    return Literal(value.strip(), datatype=XSD.decimal)


def _to_assessment(value: str) -> Literal:
    """A PEEL assessment in any spelling (kg.reference.Reference.assessment), as its
    rdfs:label: '2016', '2018-19' -> '2018/19', '2023-2025' -> '2023–25'."""
    try:
        return Literal(load_reference().assessment(value).label)
    except InputError as exc:
        raise ValueError(str(exc)) from None


def _to_finding_type(value: str) -> Literal:
    """A finding type code (the peel:typeCode of a finding class), as a plain literal."""
    code = vocab.slug(value)
    if code not in vocab.FINDING_TYPES:
        raise ValueError(f"{value!r} is not a finding type; use one of {list(vocab.FINDING_TYPES)}")
    return Literal(code)


@dataclass(frozen=True)
class _AreaIndex:
    """The assessment areas of the reference data, for the ``area`` parameter type."""

    areas: frozenset[URIRef]
    by_label: dict[str, URIRef]  # normalised label -> the area of the latest cycle
    shown: dict[str, str]  # normalised label -> the label as written


@lru_cache(maxsize=4)
def _area_index(folder: Path) -> _AreaIndex:
    """Index every peel:Area of the reference data by its normalised labels.

    A label used by several frameworks ('Investigating crime') names the area of
    the cycle that started last; ties go to the first IRI in order.
    """
    try:
        graph = load_reference(folder).graph
    except InputError as exc:
        raise QueryError(f"cannot read the reference data for an area parameter: {exc}") from exc
    started = {
        graph.value(cycle, vocab.framework): int(str(graph.value(cycle, vocab.startYear)))
        for cycle in graph.subjects(RDF.type, vocab.Cycle)
    }
    areas = sorted({URIRef(str(a)) for a in graph.subjects(RDF.type, vocab.Area)}, key=str)
    by_label: dict[str, URIRef] = {}
    shown: dict[str, str] = {}
    year: dict[str, int] = {}
    for area in areas:
        start = max((started.get(s, 0) for s in graph.objects(area, SKOS.inScheme)), default=0)
        labels = [*graph.objects(area, SKOS.prefLabel), *graph.objects(area, SKOS.altLabel)]
        for label in labels:
            key = normalise_label(str(label))
            if key not in shown or shown[key][:1].islower() and str(label)[:1].isupper():
                shown[key] = str(label)  # 'Investigating crime' rather than 'investigating crime'
            if key not in by_label or start > year[key]:
                by_label[key], year[key] = area, start
    return _AreaIndex(frozenset(areas), by_label, shown)


def _close_names(key: str, shown: dict[str, str], *, either_way: bool = False) -> str:
    """Up to eight names close to ``key`` (a normalised label), as ``shown`` writes them:
    the closest by difflib, then those that contain it (or, ``either_way``, that it
    contains); '' when none is."""
    labels = sorted(shown)
    close = difflib.get_close_matches(key, labels, n=6, cutoff=0.5)
    near = [k for k in labels if key and (key in k or (either_way and k in key)) and k not in close]
    return "; ".join(repr(shown[k]) for k in [*close, *near][:8])


def _to_area(value: str) -> URIRef:
    """An assessment area by any of its labels (loosely compared) or its IRI."""
    index = _area_index(paths.ONTOLOGY_DIR)
    text = value.strip()
    if _IRI.match(text):
        if URIRef(text) in index.areas:
            return URIRef(text)
        raise ValueError(f"{text!r} is not the IRI of an assessment area of the reference data")
    key = normalise_label(text)
    if key in index.by_label:
        return index.by_label[key]
    suggestions = _close_names(key, index.shown)
    if not suggestions:
        suggestions = "none; give an area's name, e.g. 'Investigating crime', or its IRI"
    raise ValueError(f"{value!r} names no assessment area; close labels: {suggestions}")


@lru_cache(maxsize=4)
def _metric_index(folder: Path) -> dict[str, URIRef]:
    """Every peel:Metric of the reference data by its normalised labels and notation."""
    try:
        graph = load_reference(folder).graph
    except InputError as exc:
        raise QueryError(f"cannot read the reference data for a metric parameter: {exc}") from exc
    index: dict[str, URIRef] = {}
    for metric in sorted(graph.subjects(RDF.type, vocab.Metric), key=str):
        names = [SKOS.prefLabel, SKOS.altLabel, SKOS.notation]
        for label in (lab for p in names for lab in graph.objects(metric, p)):
            index.setdefault(normalise_label(str(label)), URIRef(str(metric)))
        index.setdefault(str(metric), URIRef(str(metric)))
    return index


def _to_metric(value: str) -> URIRef:
    """A metric of ontology/metrics.ttl by its label or notation (loosely compared) or its IRI."""
    index = _metric_index(paths.ONTOLOGY_DIR)
    text = value.strip()
    found = index.get(text) if _IRI.match(text) else index.get(normalise_label(text))
    if found is not None:
        return found
    labels = sorted(k for k in index if not _IRI.match(k))
    close = difflib.get_close_matches(normalise_label(text), labels, n=6, cutoff=0.4)
    hint = "; ".join(repr(k) for k in close) or "see ontology/metrics.ttl"
    raise ValueError(f"{value!r} names no metric; close names: {hint}")


@dataclass(frozen=True)
class _ThemeIndex:
    """The themes of the reference data, for the ``theme`` parameter type."""

    themes: frozenset[URIRef]
    by_name: dict[str, URIRef]  # normalised prefLabel or term -> theme
    names: tuple[str, ...]  # every theme's prefLabel, as written, in order


@lru_cache(maxsize=4)
def _theme_index(folder: Path) -> _ThemeIndex:
    """Index every peel:Theme of the reference data by its normalised name and terms.

    A name wins over a term, so a theme's own name always names it.
    """
    try:
        graph = load_reference(folder).graph
    except InputError as exc:
        raise QueryError(f"cannot read the reference data for a theme parameter: {exc}") from exc
    themes = sorted({URIRef(str(t)) for t in graph.subjects(RDF.type, vocab.Theme)}, key=str)
    by_name: dict[str, URIRef] = {}
    for prop in (SKOS.prefLabel, SKOS.hiddenLabel):
        for theme in themes:
            for label in sorted(str(lab) for lab in graph.objects(theme, prop)):
                by_name.setdefault(normalise_label(label), theme)
    names = sorted(str(lab) for t in themes for lab in graph.objects(t, SKOS.prefLabel))
    return _ThemeIndex(frozenset(themes), by_name, tuple(names))


def _to_theme(value: str) -> URIRef:
    """A theme of ontology/themes.ttl by its name or one of its terms (loosely compared), or
    its IRI."""
    index = _theme_index(paths.ONTOLOGY_DIR)
    text = value.strip()
    if _IRI.match(text):
        if URIRef(text) in index.themes:
            return URIRef(text)
        raise ValueError(f"{text!r} is not the IRI of a theme of ontology/themes.ttl")
    key = normalise_label(text)
    if key in index.by_name:
        return index.by_name[key]
    hint = _close_names(key, {normalise_label(n): n for n in index.names}, either_way=True)
    if not hint:
        hint = "none; the themes are " + ", ".join(repr(n) for n in index.names)
    raise ValueError(f"{value!r} names no theme; close names: {hint}")


def _to_force(value: str) -> URIRef:
    """A force by any of its names in ontology/forces.ttl (loosely compared) or its IRI; a
    name the reference data does not know, by the IRI the build mints for that name."""
    text = value.strip()
    if _IRI.match(text):
        return URIRef(text)
    if not text:
        raise ValueError("give a force's name, e.g. 'Northamptonshire Police'")
    try:
        known = load_reference().force(text)
    except InputError as exc:
        raise ValueError(str(exc)) from None
    return known.iri if known else vocab.mint("force", text)


_CONVERTERS: dict[str, Callable[[str], Node]] = {
    "string": Literal,
    "iri": _to_iri,
    "integer": _to_integer,
    "decimal": _to_decimal,
    "assessment": _to_assessment,
    "finding-type": _to_finding_type,
    "force": _to_force,
    "area": _to_area,
    "metric": _to_metric,
    "theme": _to_theme,
}
