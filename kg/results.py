"""How a query's results are written for people and tools: the standard SPARQL 1.1
results formats as the store writes them (csv, tsv, json, xml) and, read from the SPARQL
JSON results, a text table that fits a width, JSON Lines (one plain object per row, for
pandas and jq) and a Markdown table, or an Excel workbook (openpyxl, the ``xlsx`` extra).
``results_format`` and ``render_select`` are the one place where both ``peel-kg query
run`` and ``peel-kg sparql`` write a SELECT query's results.

The text table (``format_table``, on rich) fits a width: the terminal's when standard
output is one, else $COLUMNS, else 120 characters (``output_width``). A column whose
text fits keeps it on one line; long text (a headline, a quotation) wraps at spaces, and
a word longer than its column (an IRI) is folded onto the next line, never cut.
:func:`plain_value` turns one term of the JSON results into a Python value (kg.api's rows
hold them; JSON Lines writes them).
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kg.errors import QueryError, UsageError
from kg.store import RESULT_FORMATS

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


#: The width of a table not written to a terminal when $COLUMNS is not set.
DEFAULT_WIDTH = 120
#: A column this wide or narrower keeps its text on one line while the long ones wrap,
#: where the width allows (or wider, when the width shared out by column gives more).
_SHORT = 24
#: A word longer than this may be folded so that the columns beside it keep their room.
_LONG_WORD = 20
#: Between two columns.
_GAP = 2
#: Plain ASCII: a line of "-" under each column heading, columns parted by spaces, no edges.
_BOX = box.Box("    \n    \n -  \n    \n    \n -  \n    \n    \n", ascii=True)
_RULE = re.compile(r"-[- ]*\Z")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


def output_width(file: bool = False) -> int:
    """The width a table should fit: the terminal's when standard output is a terminal
    (and ``file`` is false: the table is not written to a file), else $COLUMNS when it is
    a positive number, else DEFAULT_WIDTH."""
    if not file:
        try:
            if sys.stdout.isatty():
                return os.get_terminal_size(sys.stdout.fileno()).columns
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            pass
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else DEFAULT_WIDTH


def format_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int | None = None,
    *,
    keep_lines: bool = False,
    row_count: bool = True,
) -> str:
    """A plain-text table of ``rows`` under ``header`` that fits ``width`` (default:
    ``output_width()``), ending with a line "(N rows)" (unless ``row_count`` is false).

    A cell's line breaks become spaces, or with ``keep_lines`` start a new line of the cell
    (each line wrapped on its own). Where the natural widths do not fit, the short
    columns (up to 24 characters) keep theirs and the long ones share the rest in
    proportion to their text, wrapping at spaces; when that does not fit, every column
    gets at least its longest word (up to 20 characters); when even that does not fit,
    each column keeps its heading's words where it can, the narrowest columns keep their
    words, the others share the rest equally and words longer than their column are
    folded. Columns of numbers are aligned right. No colour or other terminal codes.
    """
    width = output_width() if width is None else width
    cells = [[_cell_text(str(c), keep_lines) for c in row] for row in rows]
    columns = list(zip(*cells, strict=True)) if cells else [() for _ in header]
    natural, least, heading = [], [], []
    for name, col in zip(header, columns, strict=True):
        natural.append(max([cell_len(name), *(_widest_line(c) for c in col)]))
        heading.append(_longest_word(name))
        words = min(_LONG_WORD, max((_longest_word(c) for c in col), default=0))
        least.append(max(heading[-1], words))
    room = max(width - _GAP * (len(header) - 1), len(header))
    widths = _widths(natural, least, heading, room)
    table = Table(
        box=_BOX,
        show_edge=False,
        pad_edge=False,
        padding=(0, _GAP - 1, 0, 0),
        header_style=None,
        highlight=False,
    )
    for name, col, w in zip(header, columns, widths, strict=True):
        numbers = any(col) and all(_NUMBER.match(c) for c in col if c)
        table.add_column(
            Text(name), width=w, overflow="fold", justify="right" if numbers else "left"
        )
    for row in cells:
        table.add_row(*(Text(c) for c in row))
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
    )
    console.print(table)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()] if header else []
    # the line under the headings: each run of '-' as wide as its column, not its gap
    for i, line in enumerate(lines):
        if _RULE.match(line):
            lines[i] = line.replace("- ", "  ")
            break
    count = f"({len(cells)} row{'' if len(cells) == 1 else 's'})"
    return "\n".join([*lines, count] if row_count else lines) + "\n"


def _cell_text(text: str, keep_lines: bool) -> str:
    """A cell's text, its runs of white space as one space (but its line breaks kept,
    with ``keep_lines``)."""
    parts = text.splitlines() if keep_lines else [text]
    return "\n".join(" ".join(part.split()) for part in parts)


def _widest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in text.split()), default=0)


def _widths(natural: list[int], least: list[int], heading: list[int], room: int) -> list[int]:
    """Each column's width, within ``room`` where its ``least`` widths allow."""
    if sum(natural) <= room:
        return natural
    short = max(_SHORT, room // len(natural))
    kept = [n if n <= short else m for n, m in zip(natural, least, strict=True)]
    for floor in (kept, least):
        if sum(floor) <= room:
            return _share(floor, natural, room)
    return _fair(least, heading if sum(heading) <= room else [1] * len(least), room)


def _fair(least: list[int], floor: list[int], room: int) -> list[int]:
    """When not every column's longest word fits: each column its ``floor`` (its
    heading's longest word), then an equal share of the rest up to its ``least``, so
    that narrow columns keep their words."""
    widths = list(floor)
    need = [m - f for m, f in zip(least, floor, strict=True)]
    wanting = sorted((i for i in range(len(need)) if need[i] > 0), key=lambda i: need[i])
    left = room - sum(floor)
    while wanting and need[wanting[0]] <= left // len(wanting):
        i = wanting.pop(0)
        widths[i], left = least[i], left - need[i]
    for k, i in enumerate(wanting):
        widths[i] += left // len(wanting) + (1 if k < left % len(wanting) else 0)
    return widths


def _share(floor: list[int], natural: list[int], room: int) -> list[int]:
    """``floor`` plus the rest of ``room``, shared in proportion to what each column
    still wants (its natural width less its floor), no column past its natural width."""
    wants = [n - f for n, f in zip(natural, floor, strict=True)]
    spare, wanted = room - sum(floor), sum(wants)
    if wanted <= spare:
        return natural
    given = [spare * w // wanted for w in wants]
    order = sorted(range(len(wants)), key=lambda i: (spare * wants[i]) % wanted, reverse=True)
    for i in order[: spare - sum(given)]:
        given[i] += 1
    return [f + g for f, g in zip(floor, given, strict=True)]


def render_table(results_json: bytes | str, width: int | None = None) -> str:
    """SPARQL JSON results as a ``format_table`` text table fitting ``width`` (default:
    ``output_width()``); unbound cells are empty."""
    doc = json.loads(results_json)
    names: list[str] = doc["head"]["vars"]
    rows = [[b[n]["value"] if n in b else "" for n in names] for b in doc["results"]["bindings"]]
    return format_table(names, rows, width)


def render_xlsx(results_json: bytes | str) -> bytes:
    """SPARQL JSON results of a SELECT query as an Excel workbook (openpyxl, the ``xlsx``
    extra): a bold, frozen header row with a filter, then a row per solution; numbers,
    booleans and xsd:date values as such, anything else as text (never a formula), unbound
    cells empty; each column as wide as its text, up to 80 characters.

    :raises UsageError: openpyxl is not installed, or the results are not a SELECT's.
    """
    try:
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError as exc:
        raise UsageError(
            "xlsx output needs openpyxl: pip install 'peel-kg[xlsx]' (or openpyxl)"
        ) from exc
    doc = json.loads(results_json)
    if "results" not in doc:
        raise UsageError("only a SELECT query's results can be written as xlsx")
    names: list[str] = doc["head"]["vars"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "results"
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(n) for n in names]
    for r, binding in enumerate(doc["results"]["bindings"], start=2):
        for c, name in enumerate(names, start=1):
            value = _cell(binding.get(name))
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)[:_XLSX_CELL]
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text that starts with '=' stays text
            widths[c - 1] = max(widths[c - 1], len(str(value or "")))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(width, 80) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


#: The most characters an Excel cell holds.
_XLSX_CELL = 32767


def _cell(term: dict[str, str] | None) -> Any:
    """A spreadsheet cell's value: ``_plain``'s, and an xsd:date as a date."""
    if term is not None and term.get("datatype") == f"{_XSD}date":
        try:
            return date.fromisoformat(term["value"])
        except ValueError:
            return term["value"]
    return _plain(term)


#: A SELECT query's output formats: the standard SPARQL 1.1 results formats the store
#: writes, then those written here from its JSON results.
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "jsonl", "markdown")
_RENDERERS: dict[str, Callable[[bytes], str]] = {
    "jsonl": render_jsonl,
    "markdown": render_markdown,
}


def results_format(fmt: str) -> str:
    """The standard SPARQL 1.1 results format (json, csv, tsv or xml) from which a SELECT
    query's results are written in ``fmt``, one of SELECT_FORMATS.

    :raises QueryError: ``fmt`` is not one of SELECT_FORMATS.
    """
    if fmt not in SELECT_FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(SELECT_FORMATS)}")
    return fmt if fmt in RESULT_FORMATS else "json"


def render_select(data: bytes, fmt: str, width: int | None = None) -> str:
    """A SELECT query's results, ``data`` in ``results_format(fmt)``, as text in ``fmt``:
    the standard formats as they are, the others rendered here; ``width`` is the table's
    (default: ``output_width()``)."""
    if fmt == "table":
        return render_table(data, width)
    if fmt in _RENDERERS:
        return _RENDERERS[fmt](data)
    return data.decode("utf-8")


__all__ = [
    "DEFAULT_WIDTH",
    "SELECT_FORMATS",
    "format_table",
    "output_width",
    "plain_value",
    "render_jsonl",
    "render_markdown",
    "render_select",
    "render_table",
    "render_xlsx",
    "results_format",
]
