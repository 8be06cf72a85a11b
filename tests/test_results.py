"""Results for people and tools: JSON Lines with plain values, and Markdown tables."""

from __future__ import annotations

import json

from kg.results import render_jsonl, render_markdown

XSD = "http://www.w3.org/2001/XMLSchema#"
RESULTS = json.dumps(
    {
        "head": {"vars": ["name", "n", "ratio", "flag", "note"]},
        "results": {
            "bindings": [
                {
                    "name": {"type": "uri", "value": "https://w3id.org/peel-kg/id/force/x"},
                    "n": {"type": "literal", "value": "41", "datatype": f"{XSD}integer"},
                    "ratio": {"type": "literal", "value": "0.73", "datatype": f"{XSD}decimal"},
                    "flag": {"type": "literal", "value": "true", "datatype": f"{XSD}boolean"},
                    "note": {"type": "literal", "value": "a | b\nc", "xml:lang": "en"},
                },
                {"name": {"type": "literal", "value": "2025–27"}},
            ]
        },
    }
)


def test_jsonl_is_a_plain_object_per_row_with_every_variable() -> None:
    first, second = (json.loads(line) for line in render_jsonl(RESULTS).splitlines())
    assert first == {
        "name": "https://w3id.org/peel-kg/id/force/x",
        "n": 41,
        "ratio": 0.73,
        "flag": True,
        "note": "a | b\nc",
    }
    assert second == {"name": "2025–27", "n": None, "ratio": None, "flag": None, "note": None}
    assert "2025–27" in render_jsonl(RESULTS)  # not escaped to \\u2013


def test_markdown_escapes_pipes_and_keeps_each_row_on_one_line() -> None:
    lines = render_markdown(RESULTS).splitlines()
    assert lines[:2] == ["| name | n | ratio | flag | note |", "|---|---|---|---|---|"]
    assert lines[2].endswith("| 41 | 0.73 | true | a \\| b c |")
    assert lines[3] == "| 2025–27 |  |  |  |  |"
    assert len(lines) == 4
