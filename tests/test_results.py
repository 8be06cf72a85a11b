"""Results for people and tools: text tables that fit a width, JSON Lines with plain
values, Markdown tables and Excel workbooks."""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Callable
from datetime import date

import pytest

from kg.queries import run_query
from kg.results import (
    DEFAULT_WIDTH,
    format_table,
    output_width,
    render_jsonl,
    render_markdown,
    render_table,
    render_xlsx,
)
from kg.store import Store

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


def table_columns(table: str) -> tuple[list[str], list[str]]:
    """The text of each column of a ``format_table`` table, its lines run together: the
    headings, and the body; a column runs from the start of its line of '-' under the
    heading to the start of the next."""
    lines = table.splitlines()
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"-[- ]*", line))
    starts = [m.start() for m in re.finditer(r"-+", lines[rule])]
    spans = list(zip(starts, [*starts[1:], None], strict=True))
    head, body = lines[:rule], lines[rule + 1 : -1]
    return (
        ["".join(line[a:b] for line in head) for a, b in spans],
        ["".join(line[a:b] for line in body) for a, b in spans],
    )


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def table_of(store: Store) -> Callable[[str, int], str]:
    """The table of a canned query at a width, rendered once per module (a few seconds for
    every finding)."""
    return functools.cache(lambda name, width: run_query(store, name, {}, "table", width=width))


@pytest.mark.parametrize("width", [60, 80, 200])
@pytest.mark.parametrize("name", ["findings", "grades", "audit-samples"])
def test_a_table_fits_its_width_and_keeps_every_cell_s_text(
    store: Store, table_of: Callable[[str, int], str], name: str, width: int
) -> None:
    table = table_of(name, width)
    doc = json.loads(run_query(store, name, {}, "json"))
    names, rows = doc["head"]["vars"], doc["results"]["bindings"]
    lines = table.splitlines()
    assert max(len(line) for line in lines) <= width
    assert lines[-1] == f"({len(rows)} rows)" and len(rows) > 1
    head, body = table_columns(table)
    assert [squeezed(h) for h in head] == names
    for n, column in zip(names, body, strict=True):
        # every cell's text, in order, wrapped or folded but never cut, and nothing else
        assert squeezed(column) == "".join(squeezed(r[n]["value"]) for r in rows if n in r)


def test_short_columns_stay_whole_while_long_text_wraps(
    store: Store, table_of: Callable[[str, int], str]
) -> None:
    table = table_of("findings", 80)
    doc = json.loads(run_query(store, "findings", {}, "json"))
    rows = doc["results"]["bindings"]
    lines = table.splitlines()
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"-[- ]*", line))
    starts = [m.start() for m in re.finditer(r"-+", lines[rule])]
    # the assessment column: each value on one line, within its column
    a, b = starts[1], starts[2]
    shown = {line[a:b].strip() for line in lines[rule + 1 : -1]} - {""}
    assert shown == {r["assessment"]["value"] for r in rows}
    # a headline is longer than its column, so it takes several lines
    assert len(lines) > len(rows) + 3
    assert max(len(r["headline"]["value"]) for r in rows) > 80 - starts[4]


def test_numbers_are_aligned_right_and_unbound_cells_are_empty() -> None:
    results = {
        "head": {"vars": ["n", "note"]},
        "results": {
            "bindings": [
                {"n": {"type": "literal", "value": "5"}},
                {"n": {"type": "literal", "value": "120"}, "note": {"type": "literal",
                 "value": "two\nlines"}},
            ]
        },
    }  # fmt: skip
    assert render_table(json.dumps(results), 40) == (
        "  n  note\n---  ---------\n  5\n120  two lines\n(2 rows)\n"
    )
    assert format_table(["a", "b"], [], 40) == "a  b\n-  -\n(0 rows)\n"
    assert format_table(["a"], [["x"]], 40).endswith("\n(1 row)\n")
    assert format_table([], [[]], 40) == "(1 row)\n"  # SELECT * WHERE {}


def test_a_table_has_no_terminal_codes_and_treats_brackets_as_text() -> None:
    table = format_table(["cell"], [["[bold]not markup[/bold] :smile:"]], 20)
    assert "\x1b" not in table
    assert squeezed(table_columns(table)[1][0]) == squeezed("[bold]not markup[/bold] :smile:")


def test_the_width_is_columns_or_120_when_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdout", io.StringIO())  # not a terminal
    monkeypatch.setenv("COLUMNS", "77")
    assert output_width() == 77
    monkeypatch.setenv("COLUMNS", "wide")
    assert output_width() == DEFAULT_WIDTH == 120
    monkeypatch.delenv("COLUMNS")
    assert output_width() == 120


def test_xlsx_has_a_bold_header_numbers_as_numbers_and_text_as_text() -> None:
    from openpyxl import load_workbook  # the xlsx extra, in the test extra

    results = json.loads(RESULTS)
    results["head"]["vars"].append("day")
    bindings = results["results"]["bindings"]
    bindings[0]["day"] = {"type": "literal", "value": "2025-03-04", "datatype": f"{XSD}date"}
    bindings[1]["note"] = {"type": "literal", "value": "=1+1"}
    sheet = load_workbook(io.BytesIO(render_xlsx(json.dumps(results)))).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("name", "n", "ratio", "flag", "note", "day")
    assert values[1][1:4] == (41, 0.73, True) and values[1][4] == "a | b\nc"
    assert values[1][5].date() == date(2025, 3, 4)  # type: ignore[union-attr]
    assert values[2] == ("2025–27", None, None, None, "=1+1", None)  # text, not a formula
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len("https://w3id.org/peel-kg/id/force/x")
