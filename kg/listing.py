"""The canned queries listed for people, grouped by tag: ``peel-kg query list`` and the
README's catalogue.

Each query is listed once, under its first tag (its main one: the queries/ files give
it first), with its other tags beside it; a query without tags is under ``untagged``.
Tags are in alphabetical order, the queries of a tag by name. Asked for one tag, the
listing holds every query that has it, first or not. A query shows its summary and its
parameters (:func:`parameter_text`: type, required or optional, repeatable, default,
then the values it takes where they are few, else an example); the Markdown and JSON
listings add its result columns.

The README's catalogue is :func:`readme_block`'s text, between the lines README_START
and README_END: ``python -m kg.listing README.md`` writes it there, the one way it is
written, and a test checks that it is in step with queries/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.errors import KgError, QueryError, UsageError
from kg.queries import CannedQuery, Parameter, list_queries
from kg.results import format_table

LISTING_FORMATS = ("table", "markdown", "json")
#: The tag of a query that has none.
UNTAGGED = "untagged"
README_START = "<!-- catalogue:start: written by `python -m kg.listing README.md`, do not edit -->"
README_END = "<!-- catalogue:end -->"


def query_listing(
    fmt: str = "table",
    tag: str | None = None,
    directory: Path | None = None,
    width: int | None = None,
) -> str:
    """The queries of ``directory`` (default: the project's queries/) listed in ``fmt``,
    one of LISTING_FORMATS, grouped by tag, or those with ``tag`` only.

    ``table`` is a text table per tag fitting ``width`` (default: the terminal's,
    kg.results.output_width); ``markdown`` a Markdown table per tag (the README's
    catalogue); ``json`` a list of objects, by name: name, summary, description, tags,
    columns (the result variables) and parameters (each with name, type, description,
    required, repeat, default, unless, example and values).

    :raises QueryError: an unknown format, a tag no query has (naming the known tags), or
        bad query metadata.
    """
    if fmt not in LISTING_FORMATS:
        raise QueryError(f"unknown listing format {fmt!r}; use one of {', '.join(LISTING_FORMATS)}")
    queries = list_queries(directory)
    if fmt == "json":
        return listing_json(queries, tag)
    if fmt == "markdown":
        return listing_markdown(queries, tag)
    return listing_table(queries, tag, width)


def by_tag(
    queries: Sequence[CannedQuery], tag: str | None = None
) -> list[tuple[str, list[CannedQuery]]]:
    """The queries grouped by their first tag (tags in alphabetical order, queries by
    name), or, given ``tag``, every query that has it in one group.

    :raises QueryError: no query has ``tag``; the message lists the tags there are.
    """
    ordered = sorted(queries, key=lambda q: q.name)
    if tag is not None:
        known = sorted({t for q in queries for t in _tags(q)})
        wanted = next((t for t in known if t.casefold() == tag.strip().casefold()), None)
        if wanted is None:
            raise QueryError(f"no query has the tag {tag!r}; the tags: {', '.join(known)}")
        return [(wanted, [q for q in ordered if wanted in _tags(q)])]
    groups: dict[str, list[CannedQuery]] = {}
    for q in ordered:
        groups.setdefault(_tags(q)[0], []).append(q)
    return sorted(groups.items())


def parameter_text(param: Parameter, code: Callable[[str], str] = str) -> str:
    """One parameter in words: its name, then in brackets its type, whether it is
    required or optional and repeatable (may be given several values), its default, and
    the values it takes (where it declares them) or an example. ``code`` writes a name
    or value (as Markdown code, say)."""
    notes = [param.type, "required" if param.required else "optional"]
    if param.repeat:
        notes.append("repeatable")
    if param.default is not None:
        unless = " or ".join(code(u) for u in param.unless)
        notes.append(
            f"default {code(param.default)}" + (f" unless {unless} is given" if unless else "")
        )
    if param.values:
        notes.append("one of " + ", ".join(code(v) for v in param.values))
    elif param.example is not None:
        notes.append(f"e.g. {code(param.example)}")
    return f"{code(param.name)} ({', '.join(notes)})"


def listing_table(
    queries: Sequence[CannedQuery], tag: str | None = None, width: int | None = None
) -> str:
    """A text table per tag (:func:`by_tag`) under the line 'TAG (N queries)': each
    query's name beside its summary, its other tags ('also tagged: …') and its parameters,
    one a line after a '•'; each table fits ``width`` (kg.results.format_table)."""
    sections = []
    for name, group in by_tag(queries, tag):
        rows = []
        for q in group:
            lines = [q.summary]
            if others := [t for t in _tags(q) if t != name]:
                lines.append(f"also tagged: {', '.join(others)}")
            lines += [f"• {parameter_text(p)}" for p in q.parameters] or ["no parameters"]
            rows.append([q.name, "\n".join(lines)])
        header = f"{name} ({len(group)} {'query' if len(group) == 1 else 'queries'})\n"
        table = format_table(
            ["query", "summary, other tags, • parameters"],
            rows,
            width,
            keep_lines=True,
            row_count=False,
        )
        sections.append(header + table)
    return "\n".join(sections)


def listing_markdown(queries: Sequence[CannedQuery], tag: str | None = None) -> str:
    """A Markdown table per tag (:func:`by_tag`) under the line '**TAG**': each query's
    name, summary, result columns, parameters and other tags ('|' escaped)."""
    sections = []
    for name, group in by_tag(queries, tag):
        lines = [
            f"**{_md_text(name)}**",
            "",
            "| query | what it answers | result columns | parameters | also tagged |",
            "|---|---|---|---|---|",
        ]
        for q in group:
            cells = [
                _md_code(q.name),
                _md_text(q.summary),
                _md_code(" ".join(f"?{v}" for v in q.variables)),
                "; ".join(parameter_text(p, _md_code) for p in q.parameters) or "none",
                ", ".join(_md_text(t) for t in _tags(q) if t != name),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        sections.append("\n".join(lines) + "\n")
    return "\n".join(sections)


def listing_json(queries: Sequence[CannedQuery], tag: str | None = None) -> str:
    """The queries (those with ``tag``, if given) as a JSON list of objects, by name."""
    chosen = sorted({q.name: q for _, g in by_tag(queries, tag) for q in g}.values(), key=_name)
    items = [
        {
            "name": q.name,
            "summary": q.summary,
            "description": q.description,
            "tags": list(q.tags),
            "columns": list(q.variables),
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "description": p.description,
                    "required": p.required,
                    "repeat": p.repeat,
                    "default": p.default,
                    "unless": list(p.unless),
                    "example": p.example,
                    "values": list(p.values),
                }
                for p in q.parameters
            ],
        }
        for q in chosen
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def readme_block(queries: Sequence[CannedQuery]) -> str:
    """The README's catalogue: how many queries there are, then :func:`listing_markdown`."""
    intro = (
        f"There are {len(queries)} canned queries. Each is listed under its first tag (its "
        "main one), as `peel-kg query list` lists them, with its result columns and its "
        "parameters: the type, whether it is required, whether it is repeatable (may be "
        "given several values, a row matching any), its default and the values it takes "
        "or an example."
    )
    return (
        textwrap.fill(intro, 90, break_on_hyphens=False, break_long_words=False)
        + "\n\n"
        + listing_markdown(queries)
    )


def readme_catalogue(text: str, where: str = "README.md") -> str:
    """The text between README_START and README_END in ``text`` (a README's).

    :raises UsageError: the markers are not there, once each and in order."""
    if text.count(README_START) != 1 or text.count(README_END) != 1:
        raise UsageError(
            f"{where}: the catalogue needs the line {README_START!r} once, then the line "
            f"{README_END!r}; put them where the table of queries goes"
        )
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    if end < start:
        raise UsageError(f"{where}: {README_END!r} comes before {README_START!r}")
    return text[start:end].strip("\n") + "\n"


def update_readme(path: Path, directory: Path | None = None) -> bool:
    """Write :func:`readme_block` of the queries of ``directory`` (default: queries/)
    between the markers of the README at ``path`` (whole, then renamed into place);
    return whether the file changed.

    :raises UsageError: the markers are not there (see :func:`readme_catalogue`).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror})") from exc
    readme_catalogue(text, str(path))
    head, rest = text.split(README_START)
    tail = rest[rest.index(README_END) :]
    new = f"{head}{README_START}\n{readme_block(list_queries(directory))}{tail}"
    if new == text:
        return False
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(new, encoding="utf-8")
    os.replace(temporary, path)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kg.listing README.md``: rewrite the README's catalogue of queries."""
    parser = argparse.ArgumentParser(
        prog="python -m kg.listing",
        description="Write the catalogue of queries/ between the README's catalogue markers.",
    )
    parser.add_argument("readme", type=Path, help="the README to rewrite, e.g. README.md")
    args = parser.parse_args(argv)
    try:
        changed = update_readme(args.readme)
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"{args.readme}: catalogue {'rewritten' if changed else 'already in step'}")
    return 0


def _tags(query: CannedQuery) -> tuple[str, ...]:
    """A query's tags, or UNTAGGED alone."""
    return query.tags or (UNTAGGED,)


def _name(query: CannedQuery) -> str:
    return query.name


def _md_text(text: str) -> str:
    """Text in a Markdown table cell: on one line, Markdown's punctuation escaped."""
    text = " ".join(text.split())
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text


def _md_code(text: str) -> str:
    """Text as Markdown code in a table cell: on one line, '|' escaped."""
    text = " ".join(text.split()).replace("|", "\\|")
    if "`" in text:
        return f"`` {text} ``"
    return f"`{text}`"


if __name__ == "__main__":
    sys.exit(main())
