"""Canned SPARQL queries: self-describing ``queries/*.rq`` files run with typed parameters.

Each file is valid SPARQL starting with ``#+`` lines of YAML (grlc's convention):
``summary`` (required), ``description``, ``tags`` (the first is the main one, under which
kg.listing lists the query), ``parameters`` (name -> ``{type, description, required,
default, example, values, unless, variable, repeat}``). Bad metadata is a QueryError
naming the file. ``example`` is a value to show and try (it must fit the type); ``values``
lists the only values allowed, where they are few. A parameter with ``repeat: true`` may
be given several values; a row then matches any of them.

A parameter binds a query variable (``?name``, or the one its ``variable`` key names)
through the query text, so any SPARQL 1.1 engine understands it: the query writes
``VALUES ?var { UNDEF }`` where the value is best applied (inside the sub-SELECT that
should start from it: Oxigraph plans each sub-SELECT on its own), and binding replaces
``UNDEF`` with the value, serialised as an RDF term. Left unbound, ``UNDEF`` constrains
nothing. Values are typed: an ``assessment`` in any spelling ("2016", "2025-27",
"2025–2027") binds its rdfs:label ("2025–27"; a cycle of several assessments, "2015-17",
is refused with a hint), a ``finding-type`` its peel:typeCode, a ``decimal`` an
xsd:decimal. A ``force``, ``area``, ``metric`` or ``theme`` (ontology/) binds the IRI of
the one thing its name names, an ``initiative`` (of the graph the query runs on) a name
the query compares with the initiative's names: kg.resolve matches names, aliases,
abbreviations, parts and close spellings, and refuses a name that fits several things or
none with a hint. An optional parameter not given stays unbound.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rapidfuzz import process
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg import paths, vocab
from kg.errors import QueryError
from kg.resolve import IRI as _IRI
from kg.resolve import to_area, to_assessment, to_force, to_initiative, to_metric, to_theme
from kg.results import render_select, results_format
from kg.store import GraphStore

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
    "initiative",
)
OUTPUT_FORMATS = ("table", "csv", "json", "tsv", "jsonl", "markdown")

_META_KEYS = ("summary", "description", "tags", "parameters")
_PARAM_KEYS = (
    "type",
    "description",
    "required",
    "default",
    "example",
    "values",
    "unless",
    "variable",
    "repeat",
)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
#: The name of a canned query: its file's stem, never a path.
_QUERY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
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
    example: str | None = None  # a value to show in the catalogue and to try
    values: tuple[str, ...] = ()  # the only values allowed, where they are few

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
    """Load the query called ``name`` (the stem of its file in ``directory``, default
    queries/). A name is a name, never a path: letters, digits, '-' and '_' only, so
    ``../x``, ``/etc/passwd`` or ``grades.rq`` are refused, never looked for. QueryError
    names the closest queries and lists the known ones."""
    folder = directory or paths.QUERIES_DIR
    known = sorted(p.stem for p in folder.glob("*.rq") if _QUERY_NAME.fullmatch(p.stem))
    path = folder / f"{name}.rq"
    if _QUERY_NAME.fullmatch(name) and name in known and path.is_file():
        return load_query(path)
    close = [f"'{n}'" for n, _, _ in process.extract(name, known, limit=3, score_cutoff=60)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    what = (
        f"no query named {name!r} in {folder}"
        if _QUERY_NAME.fullmatch(name)
        else f"{name!r} is not a query name (letters, digits, '-' and '_': a name, not a path "
        "or a file name)"
    )
    raise QueryError(f"{what}{hint} (known queries: {', '.join(known) or 'none'})")


def bind_parameters(
    query: CannedQuery, params: Mapping[str, str], *, store: GraphStore | None = None
) -> dict[str, Node]:
    """Convert parameter values (text, as typed on a command line) to typed RDF terms.

    Returns parameter name -> term (see :func:`bound_text`). ``store`` is the graph the
    query will run on: a force may be one of its forces, and an initiative must be one of
    its initiatives (without it, an initiative parameter is a QueryError). An unknown name,
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
            bindings[p.name] = _convert(p, str(value), f"query '{query.name}'", store)
        elif p.required:
            raise QueryError(f"query '{query.name}' needs the parameter '{p.name}' ({p.type})")
    return bindings


#: A parameter's value as given: one text, or several for a parameter that may repeat.
Values = str | Sequence[str]


def bound_text(
    query: CannedQuery, params: Mapping[str, Values], *, store: GraphStore | None = None
) -> str:
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
    bindings = bind_parameters(query, {k: v[0] for k, v in given.items()}, store=store)
    text = query.text
    for p in query.parameters:
        if p.name in bindings:
            more = [
                _convert(p, v, f"query '{query.name}'", store) for v in given.get(p.name, [])[1:]
            ]
            terms = " ".join(dict.fromkeys(t.n3() for t in [bindings[p.name], *more]))
            block = f"VALUES ?{p.binds} {{ {terms} }}"
            text = _placeholder(p.binds).sub(lambda _: block, text)  # noqa: B023 - used at once
    return text


def _placeholder(variable: str) -> re.Pattern[str]:
    """The ``VALUES ?variable { UNDEF }`` blocks of a query text."""
    return re.compile(rf"\bVALUES\s+\?{re.escape(variable)}\s*\{{\s*UNDEF\s*\}}", re.IGNORECASE)


def run_query(
    store: GraphStore,
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
    data = store.select(bound_text(query, params or {}, store=store), None, results_format(fmt))
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
    example = spec.get("example")
    values = spec.get("values") or []
    if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
        raise QueryError(f"{where}: 'values' must list the values allowed")
    param = Parameter(
        name,
        spec["type"],
        str(spec.get("description") or ""),
        required,
        default,
        tuple(str(u) for u in unless),
        variable,
        repeat,
        None if example is None else str(example),
        tuple(str(v) for v in values),
    )
    if param.type != "initiative":  # initiatives are the built graph's: checked when run
        for value in (*param.values, default, param.example):
            if value is not None:
                _convert(param, value, str(path))  # each must fit the type (and the values)
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


def _convert(param: Parameter, value: str, where: str, store: GraphStore | None = None) -> Node:
    """Convert one parameter value to its RDF term (a force or an initiative among those of
    ``store`` too), or raise QueryError; a parameter with ``values`` takes one of them only."""

    def term_of(text: str) -> Node:
        if param.type in _GRAPH_CONVERTERS:
            return _GRAPH_CONVERTERS[param.type](text, store)
        return _CONVERTERS[param.type](text)

    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: bytes of another encoding (argv)
        raise QueryError(
            f"{where}: parameter '{param.name}' ({param.type}): {value!r} is not valid text "
            f"(character {exc.start + 1} is not Unicode); give the value in UTF-8"
        ) from None
    try:
        term = term_of(value)
    except ValueError as exc:
        raise QueryError(f"{where}: parameter '{param.name}' ({param.type}): {exc}") from exc
    if param.values and term not in {term_of(v) for v in param.values}:
        raise QueryError(
            f"{where}: parameter '{param.name}' takes one of {', '.join(param.values)}; "
            f"not {value!r}"
        )
    return term


def _to_iri(value: str) -> URIRef:
    """An absolute IRI (one Oxigraph reads too: no control character)."""
    try:
        ox.NamedNode(value)
    except ValueError:
        valid = False
    else:
        valid = bool(_IRI.match(value))
    if not valid:
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


def _to_finding_type(value: str) -> Literal:
    """A finding type code (the peel:typeCode of a finding class), as a plain literal."""
    code = vocab.slug(value)
    if code not in vocab.FINDING_TYPES:
        raise ValueError(f"{value!r} is not a finding type; use one of {list(vocab.FINDING_TYPES)}")
    return Literal(code)


_CONVERTERS: dict[str, Callable[[str], Node]] = {
    "string": Literal,
    "iri": _to_iri,
    "integer": _to_integer,
    "decimal": _to_decimal,
    "assessment": to_assessment,
    "finding-type": _to_finding_type,
    "area": to_area,
    "metric": to_metric,
    "theme": to_theme,
}

#: The types resolved against the graph the query runs on, beside the reference data.
_GRAPH_CONVERTERS: dict[str, Callable[[str, GraphStore | None], Node]] = {
    "force": to_force,
    "initiative": to_initiative,
}
