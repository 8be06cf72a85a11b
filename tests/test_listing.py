"""The canned queries listed by tag (kg.listing, `peel-kg query list`) and the README's
catalogue, which must stay in step with queries/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import paths
from kg.cli import cli
from kg.errors import QueryError, UsageError
from kg.listing import (
    README_END,
    README_START,
    UNTAGGED,
    by_tag,
    listing_markdown,
    main,
    query_listing,
    readme_block,
    readme_catalogue,
    update_readme,
)
from kg.queries import list_queries
from kg.results import format_table

QUERIES = sorted(list_queries(), key=lambda q: q.name)
TAGS = sorted({t for q in QUERIES for t in q.tags})
#: Wide enough that no cell of the listing wraps.
WIDE = 1000
REGENERATE = "python -m kg.listing README.md"


def cli_run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["query", "list", *args])
    return result.exit_code, result.stdout, result.stderr


def sections(table: str) -> dict[str, str]:
    """The sections of a text listing, by the tag of their first line 'TAG (N queries)'."""
    found = {}
    for block in table.strip("\n").split("\n\n"):
        head = re.fullmatch(r"(\S+) \((\d+) quer(?:y|ies)\)", block.splitlines()[0])
        assert head, f"a section starts with 'TAG (N queries)': {block.splitlines()[0]!r}"
        found[head[1]] = block
        assert len(listed(block)) == int(head[2])
    return found


def listed(section: str) -> list[str]:
    """The query names of one section of a text listing: its rows' first cells."""
    rows = section.splitlines()[3:]  # the tag line, the headings, the rule
    return [line.split()[0] for line in rows if line and not line[0].isspace()]


def row_of(section: str, name: str) -> str:
    """The lines of one query's row in a section of a text listing."""
    lines = section.splitlines()[3:]  # the tag line, the headings, the rule
    (first,) = [i for i, line in enumerate(lines) if line.split()[:1] == [name]]
    end = next((i for i in range(first + 1, len(lines)) if not lines[i][0].isspace()), None)
    return "\n".join(lines[first:end])


def markdown_rows(text: str) -> dict[str, list[list[str]]]:
    """The rows of the Markdown listing by section, each split into its cells at '|'s
    that are not escaped."""
    found: dict[str, list[list[str]]] = {}
    section = ""
    for line in text.splitlines():
        if head := re.fullmatch(r"\*\*(.+)\*\*", line):
            section = head[1]
            found[section] = []
        elif line.startswith("| `"):
            cells = re.split(r"(?<!\\)\|", line)
            assert cells[0] == "" and cells[-1] == "", line
            found[section].append([c.strip() for c in cells[1:-1]])
    return found


def write_query(folder: Path, name: str, header: str) -> None:
    """A query file: ``header`` (its '#+' lines), then a query with one VALUES block per
    parameter the tests give (x, n)."""
    body = "SELECT ?x ?n WHERE { VALUES ?x { UNDEF } VALUES ?n { UNDEF } }\n"
    (folder / f"{name}.rq").write_text(header + body, encoding="utf-8")


# --- the text listing ---------------------------------------------------------


def test_each_query_is_listed_once_under_its_first_tag_with_its_parameters() -> None:
    code, stdout, _ = cli_run()
    assert code == 0
    found = sections(query_listing("table", width=WIDE))
    assert sections(stdout).keys() == found.keys()
    assert sorted(found) == sorted({q.tags[0] for q in QUERIES})
    assert sorted(n for s in found.values() for n in listed(s)) == [q.name for q in QUERIES]
    for q in QUERIES:
        row = row_of(found[q.tags[0]], q.name)
        assert q.summary in row
        if q.tags[1:]:
            assert f"also tagged: {', '.join(q.tags[1:])}" in row
        for p in q.parameters:
            use = "required" if p.required else "optional"
            words = f"• {p.name} ({p.type}, {use}{', repeatable' if p.repeat else ''}"
            assert words in row, f"{q.name}: {words}"
            shown = ", ".join(p.values) if p.values else p.example or p.default
            assert shown is not None and shown in row, f"{q.name}: {p.name} shows a value"
    # the documented ones, as the files declare them
    assert "• start (area, required, e.g. Investigating crime)" in row_of(
        found["grades"], "area-history"
    )
    assert "• latest (string, optional, default yes unless from or to is given)" in row_of(
        found["grades"], "what-changed"
    )


def test_the_listing_fits_the_width_with_whole_names_and_a_parameter_a_line() -> None:
    table = query_listing("table", width=80)
    assert max(len(line) for line in table.splitlines()) <= 80
    names = [n for s in sections(table).values() for n in listed(s)]
    assert sorted(names) == [q.name for q in QUERIES]  # none folded
    found = sections(query_listing("table", width=WIDE))
    for q in QUERIES:
        lines = row_of(found[q.tags[0]], q.name).splitlines()
        params = [line.split("• ", 1)[1] for line in lines if "• " in line]
        assert [p.split(" (")[0] for p in params] == [p.name for p in q.parameters]


@pytest.mark.parametrize("tag", TAGS)
def test_a_tag_lists_every_query_that_has_it_first_or_not(tag: str) -> None:
    code, stdout, _ = cli_run("--tag", tag)
    assert code == 0
    found = sections(query_listing("table", tag, width=WIDE))
    assert list(found) == [tag]
    assert listed(found[tag]) == [q.name for q in QUERIES if tag in q.tags]
    assert sections(stdout).keys() == {tag}


def test_a_tag_other_than_the_first_lists_the_query_there_too() -> None:
    later = {t for q in QUERIES for t in q.tags[1:]}
    tag = sorted(later)[0]
    query = next(q for q in QUERIES if q.tags[0] != tag and tag in q.tags)
    assert query.name in listed(sections(query_listing("table", tag, width=WIDE))[tag])
    assert query.name in listed(sections(query_listing("table", width=WIDE))[query.tags[0]])


def test_an_unknown_tag_exits_2_naming_the_tags() -> None:
    code, stdout, stderr = cli_run("--tag", "nope")
    assert code == 2 and stdout == ""
    assert "'nope'" in stderr and "Traceback" not in stderr
    assert ", ".join(TAGS) in stderr
    with pytest.raises(QueryError, match="the tags: "):
        by_tag(QUERIES, "")


def test_a_tag_in_another_case_is_the_tag() -> None:
    tag = TAGS[0]
    assert by_tag(QUERIES, tag.upper()) == by_tag(QUERIES, tag)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(QueryError, match="use one of table, markdown, json"):
        query_listing("csv")
    assert cli_run("--format", "csv")[0] == 2


# --- JSON and Markdown --------------------------------------------------------


def test_json_gives_each_query_with_its_columns_and_parameters() -> None:
    code, stdout, _ = cli_run("--format", "json")
    assert code == 0
    items = json.loads(stdout)
    assert [i["name"] for i in items] == [q.name for q in QUERIES]
    for item, q in zip(items, QUERIES, strict=True):
        assert item["summary"] == q.summary and item["description"] == q.description
        assert item["tags"] == list(q.tags)
        assert item["columns"] == list(q.variables) and item["columns"]
        assert [p["name"] for p in item["parameters"]] == [p.name for p in q.parameters]
        for got, p in zip(item["parameters"], q.parameters, strict=True):
            assert (got["type"], got["required"], got["repeat"]) == (p.type, p.required, p.repeat)
            assert (got["default"], got["example"]) == (p.default, p.example)
            assert got["values"] == list(p.values)
    tag = TAGS[-1]
    code, stdout, _ = cli_run("--format", "json", "--tag", tag)
    assert [i["name"] for i in json.loads(stdout)] == [q.name for q in QUERIES if tag in q.tags]


def test_markdown_gives_each_query_a_row_under_its_first_tag() -> None:
    code, stdout, _ = cli_run("--format", "markdown")
    assert code == 0
    found = markdown_rows(stdout)
    assert sorted(found) == sorted({q.tags[0] for q in QUERIES})
    rows = {row[0]: (tag, row) for tag, group in found.items() for row in group}
    assert sorted(rows) == [f"`{q.name}`" for q in QUERIES]
    for q in QUERIES:
        tag, (_, summary, columns, params, others) = rows[f"`{q.name}`"]
        assert tag == q.tags[0] and summary == q.summary
        assert columns == "`" + " ".join(f"?{v}" for v in q.variables) + "`"
        assert others == ", ".join(q.tags[1:])
        assert params.count("; ") == max(len(q.parameters) - 1, 0)
        for p in q.parameters:
            assert f"`{p.name}` ({p.type}, {'required' if p.required else 'optional'}" in params
            for value in p.values:
                assert f"`{value}`" in params


def test_markdown_escapes_pipes_and_lists_a_query_without_tags(tmp_path: Path) -> None:
    write_query(
        tmp_path,
        "piped",
        "#+ summary: Rows where a | b, or *both*\n"
        "#+ tags: [odd]\n"
        "#+ parameters:\n"
        "#+   x: {type: string, example: 'a|b'}\n"
        "#+   n: {type: integer, required: true}\n",
    )
    write_query(tmp_path, "bare", "#+ summary: No tags at all\n")
    text = listing_markdown(list_queries(tmp_path))
    found = markdown_rows(text)
    assert sorted(found) == ["odd", UNTAGGED]
    ((name, summary, columns, params, others),) = found["odd"]
    assert (name, columns, others) == ("`piped`", "`?x ?n`", "")
    assert summary == r"Rows where a \| b, or \*both\*"
    assert params == r"`x` (string, optional, e.g. `a\|b`); `n` (integer, required)"
    assert [row[0] for row in found[UNTAGGED]] == ["`bare`"]
    assert sections(query_listing("table", directory=tmp_path, width=WIDE)).keys() == {
        "odd",
        UNTAGGED,
    }


def test_a_query_folder_with_bad_metadata_is_refused(tmp_path: Path) -> None:
    write_query(tmp_path, "broken", "#+ summary: x\n#+ tags: grades\n")
    with pytest.raises(QueryError, match="broken.rq: 'tags' must be a list"):
        query_listing("table", directory=tmp_path)


# --- the README's catalogue ---------------------------------------------------


def test_the_readme_catalogue_is_in_step_with_the_queries() -> None:
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_catalogue(readme) == readme_block(QUERIES), (
        f"README.md's catalogue of queries is out of step with queries/: run {REGENERATE}"
    )
    assert f"There are {len(list(paths.QUERIES_DIR.glob('*.rq')))} canned queries." in readme
    listed_names = re.findall(r"^\| `([\w-]+)` \|", readme_catalogue(readme), flags=re.M)
    assert sorted(listed_names) == sorted(p.stem for p in paths.QUERIES_DIR.glob("*.rq"))
    assert REGENERATE in readme


def test_update_readme_rewrites_only_between_the_markers(tmp_path: Path) -> None:
    write_query(tmp_path, "one", "#+ summary: The first\n#+ tags: [a]\n")
    readme = tmp_path / "README.md"
    before, after = "# Title\n\nText before.\n", "\nText after.\n"
    readme.write_text(f"{before}{README_START}\nstale\n{README_END}{after}", encoding="utf-8")
    assert update_readme(readme, tmp_path) is True
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(before + README_START + "\n") and text.endswith(README_END + after)
    assert "stale" not in text and "There are 1 canned queries." in text
    assert readme_catalogue(text) == readme_block(list_queries(tmp_path))
    assert update_readme(readme, tmp_path) is False
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_readme_without_markers_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n", encoding="utf-8")
    with pytest.raises(UsageError, match="catalogue:start"):
        update_readme(readme)
    assert main([str(readme)]) == 2
    assert "error: " in capsys.readouterr().err
    assert readme.read_text(encoding="utf-8") == "# Title\n"
    readme.write_text(f"{README_END}\n{README_START}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="comes before"):
        readme_catalogue(readme.read_text(encoding="utf-8"))
    assert main([str(tmp_path / "missing.md")]) == 2


# --- kg.results.format_table, as the listing uses it ---------------------------


def test_format_table_keeps_line_breaks_when_asked() -> None:
    rows = [["a", "one\ntwo  words"], ["b", "three"]]
    kept = format_table(["k", "v"], rows, 80, keep_lines=True, row_count=False)
    assert kept.splitlines() == ["k  v", "-  ---------", "a  one", "   two words", "b  three"]
    joined = format_table(["k", "v"], rows, 80)
    assert joined.splitlines()[2:] == ["a  one two words", "b  three", "(2 rows)"]
