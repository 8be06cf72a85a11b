"""Fuzzing the binding of canned queries' parameters (kg.queries.bound_text; issue 12,
item 8).

For every parameter of every canned query, a random value (quotes, backslashes, braces,
'#', '>', '<', line breaks, any Unicode; or a value of the parameter's type with such
characters added) is either refused with the project's own error (a KgError) or bound
as exactly one RDF term: the bound query is the canned query with the parameter's
``VALUES ?var { UNDEF }`` blocks holding that term and nothing else, it still parses
(Oxigraph) with the same result variables, and the term written there reads back as the
term the value was converted to; a ``string`` is that very text. So no value can change
a query's structure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.term import Node

from kg.errors import KgError, QueryError
from kg.paths import DEFAULT_MANIFEST
from kg.process import process_source
from kg.queries import (
    PARAM_TYPES,
    CannedQuery,
    Parameter,
    bind_parameters,
    bound_text,
    list_queries,
)
from kg.reference import load_reference
from kg.sources import load_manifest
from kg.store import Store, from_ox

from .conftest import fuzz

QUERIES = {q.name: q for q in list_queries()}
#: (query name, parameter name) of every parameter of every canned query.
CASES = [(q.name, p.name) for q in QUERIES.values() for p in q.parameters]
#: Characters that could end a literal or an IRI, start a comment or a new line.
BREAKERS = "\"'\\{}<>#\n\r\t ?$.;,()[]^`|@:/_-"
#: Text that tries to break out of a literal or an IRI.
ESCAPES = (
    '"',
    "'",
    '" } } SELECT * WHERE { ?s ?p ?o } #',
    "> } ?s ?p ?o . #",
    '\\" ) } #',
    '"""',
    "'''",
    "\\u0022",
    "\\",
    "\n# ",
    "}",
    "@en",
    "^^<http://www.w3.org/2001/XMLSchema#integer>",
    "\u2028",
    "\x00",
    "\ud800",
)


@pytest.fixture(scope="module")
def store() -> Store:
    """A small graph with initiatives: the 2025–27 report alone (the initiative parameters
    are resolved against the graph a query runs on)."""
    ref = load_reference()
    (report,) = [s for s in load_manifest(DEFAULT_MANIFEST) if s.assessment == "2025-27"]
    done = process_source(report, ref)
    assert isinstance(done.graph, bytes)
    return Store.from_nquads(done.graph + done.entities)


def likely(p: Parameter) -> list[str]:
    """Values of ``p``'s type: its example, default and allowed values."""
    return [v for v in (p.example, p.default, *p.values) if v is not None] or ["x"]


@st.composite
def value_for(draw: st.DrawFn, p: Parameter) -> str:
    """A random value, or one of ``p``'s type with breakers added or characters changed."""
    base = draw(st.sampled_from(likely(p)))
    noise = st.one_of(st.text(st.sampled_from(BREAKERS), max_size=6), st.sampled_from(ESCAPES))
    return draw(
        st.one_of(
            st.text(max_size=30),
            st.text(st.sampled_from(BREAKERS + "abc019 "), max_size=30),
            st.sampled_from(ESCAPES),
            st.tuples(noise, st.just(base), noise).map("".join),
            st.integers(0, len(base)).flatmap(
                lambda at: noise.map(lambda n: base[:at] + n + base[at:])
            ),
        )
    )


def read_back(terms: Sequence[Node]) -> list[Node | None]:
    """The terms as written in a VALUES block, read back by Oxigraph."""
    text = "SELECT ?v WHERE { VALUES ?v { " + " ".join(t.n3() for t in terms) + " } }"
    return [from_ox(row["v"]) for row in ox.Store().query(text)]  # type: ignore[union-attr]


def check_binding(q: CannedQuery, p: Parameter, values: list[str], store: Store) -> None:
    """The property of the module docstring, for ``values`` of ``p`` in ``q``."""
    try:
        text = bound_text(q, {p.name: values if p.repeat else values[0]}, store=store)
    except KgError:
        if p.type == "string" and not p.values:
            # any text is a string: refused only when it cannot be written in SPARQL
            assert any("\ud800" <= c <= "\udfff" for v in values for c in v), values
        return
    if not p.repeat:
        values = values[:1]
    bindings = bind_parameters(q, {p.name: values[0]}, store=store)
    bound = {name: [t] for name, t in bindings.items()}
    terms = [bind_parameters(q, {p.name: v}, store=store)[p.name] for v in values]
    distinct = list(dict.fromkeys(terms))
    bound[p.name] = distinct
    expected = q.text  # each given or defaulted parameter's blocks hold its terms, no more
    for o in q.parameters:
        if o.name in bound:
            block = f"VALUES ?{o.binds} {{ {' '.join(t.n3() for t in bound[o.name])} }}"
            undef = re.compile(rf"\bVALUES\s+\?{re.escape(o.binds)}\s*\{{\s*UNDEF\s*\}}", re.I)
            expected = undef.sub(lambda _: block, expected)  # noqa: B023 - used at once
    assert text == expected
    results = ox.Store().query(text)
    assert isinstance(results, ox.QuerySolutions)
    assert tuple(v.value for v in results.variables) == q.variables
    assert read_back(distinct) == distinct
    if p.type == "string":
        assert [str(t) for t in terms] == values
        assert all(isinstance(t, Literal) and t.datatype is None for t in terms)


def parameter(query: str, name: str) -> tuple[CannedQuery, Parameter]:
    """The canned query called ``query`` and its parameter ``name``."""
    q = QUERIES[query]
    (p,) = [p for p in q.parameters if p.name == name]
    return q, p


def test_every_parameter_type_is_fuzzed() -> None:
    types = {parameter(*case)[1].type for case in CASES}
    assert types >= {"string", "force", "initiative", "decimal", "assessment", "area", "metric"}


@st.composite
def case_and_values(draw: st.DrawFn) -> tuple[tuple[str, str], list[str]]:
    """A parameter of a canned query (query and parameter names) and one to three values."""
    case = draw(st.sampled_from(CASES))
    return case, draw(st.lists(value_for(parameter(*case)[1]), min_size=1, max_size=3))


@fuzz(300)
@given(drawn=case_and_values())
@example(drawn=(("what-changed", "latest"), ["\ud800"])).via(
    "a lone surrogate: refused, not a crash"
)
def test_parameter_values_are_refused_or_bound_as_one_term(
    drawn: tuple[tuple[str, str], list[str]], store: Store
) -> None:
    (query, name), values = drawn
    check_binding(*parameter(query, name), values, store)


#: A value of each parameter type, for the types no canned query uses.
EXAMPLES = {"iri": "https://w3id.org/peel-kg/id/force/x", "integer": "12"}


def typed(kind: str) -> tuple[CannedQuery, Parameter]:
    """A one-line query whose one parameter, which may repeat, is of type ``kind``."""
    examples = [p.example for p in (parameter(*c)[1] for c in CASES) if p.type == kind]
    p = Parameter("v", kind, repeat=True, example=(examples or [EXAMPLES[kind]])[0])
    text = "SELECT ?v WHERE { VALUES ?v { UNDEF } }"
    return CannedQuery("fuzz", Path("fuzz.rq"), "fuzz", text, parameters=(p,), variables=("v",)), p


@fuzz(200)
@given(
    drawn=st.sampled_from(PARAM_TYPES).flatmap(
        lambda t: st.tuples(st.just(t), st.lists(value_for(typed(t)[1]), min_size=1, max_size=3))
    )
)
@example(drawn=("iri", ["http://example.org/a\x01b"])).via("a control character: not an IRI")
@example(drawn=("iri", ["http://example.org/\ud800"])).via("a lone surrogate: not an IRI")
def test_values_of_every_type_are_refused_or_bound_as_one_term(
    drawn: tuple[str, list[str]], store: Store
) -> None:
    kind, values = drawn
    check_binding(*typed(kind), values, store)


def test_an_iri_oxigraph_cannot_read_is_refused() -> None:
    r"""Regression: 'http://example.org/a\x01b' passed the IRI pattern (a control character
    is not white space), and the bound query was not valid SPARQL."""
    q, _ = typed("iri")
    with pytest.raises(QueryError, match="not an absolute IRI"):
        bound_text(q, {"v": "http://example.org/a\x01b"})


def test_a_value_that_is_not_unicode_text_is_refused() -> None:
    """Regression: a lone surrogate (what Python makes of bytes of another encoding on a
    command line) was bound, and running the query raised UnicodeEncodeError: exit 3."""
    q, _ = parameter("what-changed", "latest")
    with pytest.raises(QueryError, match="not valid text"):
        bound_text(q, {"latest": "ab\udcff"})
