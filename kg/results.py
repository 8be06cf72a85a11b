"""How a query's results are written for people and tools, beside the standard SPARQL
results formats: JSON Lines (one plain object per row, for pandas and jq) and a Markdown
table. Both read the SPARQL 1.1 JSON results, as does :func:`plain_value`, which turns one
term into a Python value (kg.api's rows hold them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = [
    "integer",
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
]
#: How a literal of each XML Schema datatype becomes a Python value.
_VALUES: dict[str, Callable[[str], Any]] = (
    {f"{_XSD}{t}": int for t in _INTEGERS}
    | {f"{_XSD}decimal": Decimal, f"{_XSD}double": float, f"{_XSD}float": float}
    | {f"{_XSD}date": date.fromisoformat, f"{_XSD}dateTime": datetime.fromisoformat}
    | {f"{_XSD}boolean": lambda text: text.strip() in ("true", "1")}
)


def render_jsonl(results_json: bytes | str) -> str:
    """One JSON object per row, every variable a key (null where unbound): numbers as
    numbers (xsd:integer, decimal, double), booleans as booleans, anything else as its
    text (an IRI's, a literal's value)."""
    doc = json.loads(results_json)
    names: list[str] = doc["head"]["vars"]
    lines = [
        json.dumps({n: _plain(b.get(n)) for n in names}, ensure_ascii=False)
        for b in doc["results"]["bindings"]
    ]
    return "".join(line + "\n" for line in lines)


def plain_value(term: dict[str, str] | None) -> Any:
    """One term of SPARQL 1.1 JSON results as a Python value: None where unbound; an int
    for xsd:integer and the other integer types, a Decimal for xsd:decimal, a float for
    xsd:double and xsd:float, a bool for xsd:boolean, a datetime.date for xsd:date and a
    datetime.datetime for xsd:dateTime; anything else (an IRI, a blank node, a plain or
    language-tagged literal, a literal of another datatype, or one whose text does not fit
    its datatype) as its text."""
    if term is None:
        return None
    convert = _VALUES.get(term.get("datatype", ""))
    if convert is None:
        return term["value"]
    try:
        return convert(term["value"])
    except (ValueError, InvalidOperation):
        return term["value"]


def _plain(term: dict[str, str] | None) -> Any:
    """A term as a JSON value: plain_value's, but a decimal as a number and a date as its
    text."""
    value = plain_value(term)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and term is not None:  # a datetime too
        return term["value"]
    return value


def render_markdown(results_json: bytes | str) -> str:
    """A Markdown (GitHub) table: a row per solution, '|' escaped and line breaks as
    spaces; unbound cells are empty."""
    doc = json.loads(results_json)
    names: list[str] = doc["head"]["vars"]

    def cell(text: str) -> str:
        return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")

    rows = [
        [cell(b[n]["value"]) if n in b else "" for n in names] for b in doc["results"]["bindings"]
    ]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


__all__ = ["plain_value", "render_jsonl", "render_markdown"]
