"""How a query's results are written for people and tools, beside the standard SPARQL
results formats: JSON Lines (one plain object per row, for pandas and jq) and a Markdown
table. Both read the SPARQL 1.1 JSON results.
"""

from __future__ import annotations

import json
from typing import Any

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {f"{_XSD}{t}": int for t in ("integer", "int", "long", "nonNegativeInteger")} | {
    f"{_XSD}{t}": float for t in ("decimal", "double", "float")
}


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


def _plain(term: dict[str, str] | None) -> Any:
    if term is None:
        return None
    datatype = term.get("datatype", "")
    if datatype in _NUMBERS:
        try:
            return _NUMBERS[datatype](term["value"])
        except ValueError:
            return term["value"]
    if datatype == f"{_XSD}boolean":
        return term["value"] in ("true", "1")
    return term["value"]


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


__all__ = ["render_jsonl", "render_markdown"]
