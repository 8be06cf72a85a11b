"""Exports hold the same graph as the build: Turtle, JSON-LD and N-Quads read back equal."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.errors import InputError
from kg.export import serialise, union, write_atomic
from kg.pipeline import BuildResult
from kg.process import write_whole


@pytest.fixture(scope="module")
def whole(built: BuildResult) -> Graph:
    """The built graph's named graphs as one (the exports are compared with it)."""
    return union(built.dataset)


def test_turtle_is_the_union_of_all_graphs(built: BuildResult, whole: Graph) -> None:
    text = serialise(built.dataset, "turtle")
    assert "@prefix peel: <https://w3id.org/peel-kg/ontology#>" in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), whole)


def test_jsonld_uses_the_shipped_context_and_reads_back(built: BuildResult, whole: Graph) -> None:
    text = serialise(built.dataset, "jsonld")
    doc = json.loads(text)
    assert set(doc["@context"]) >= {"peel", "oa", "prov", "headline", "span"}
    again = Dataset()
    again.parse(data=text, format="json-ld")
    assert isomorphic(union(again), whole)


def test_nquads_keep_every_named_graph(built: BuildResult, whole: Graph) -> None:
    again = Dataset()
    again.parse(data=serialise(built.dataset, "nq"), format="nquads")
    names = {str(g.identifier) for g in again.graphs() if len(g)}
    assert names == {str(g.identifier) for g in built.dataset.graphs() if len(g)}
    assert isomorphic(union(again), whole)


def test_jsonld_on_several_processes_is_the_same_bytes(built: BuildResult) -> None:
    """A large graph's JSON-LD is written by one process per core, graph by graph; the
    bytes are those one process writes."""
    from kg.assemble import merge
    from kg.export import load_context
    from kg.jsonld import write_jsonld

    data, outputs = merge([built.nquads]), []
    for workers in (1, 2, 3):
        out = io.BytesIO()
        write_jsonld(data, load_context(), out, workers)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])["@graph"]


def test_jsonld_of_an_unsorted_text_with_repeats_is_the_merged_texts(built: BuildResult) -> None:
    """Export sorts each graph's lines in its workers, rather than the whole text first:
    the bytes are those of the text merged (sorted, every line once) first."""
    from kg.assemble import merge
    from kg.export import load_context, write_nquads_as
    from kg.jsonld import write_jsonld

    lines = merge([built.nquads]).splitlines(keepends=True)
    shuffled = b"".join(reversed(lines)) + b"".join(lines[::7])  # out of order, repeats
    expected = io.BytesIO()
    write_jsonld(merge([built.nquads]), load_context(), expected)
    for workers in (1, 2):
        out = io.BytesIO()
        write_jsonld(shuffled, load_context(), out, workers, merged=False)
        assert out.getvalue() == expected.getvalue()
    out = io.BytesIO()
    write_nquads_as(shuffled, "jsonld", out)
    assert out.getvalue() == expected.getvalue()


def test_export_of_a_built_file_reads_back(
    built: BuildResult, whole: Graph, tmp_path: Path
) -> None:
    """peel-kg export reads a build's N-Quads as text: its Turtle is the build's union."""
    from kg.export import export_file

    source = tmp_path / "peel.nq"
    source.write_bytes(built.nquads)
    out = io.BytesIO()
    export_file(source, "turtle", out)
    assert isomorphic(Graph().parse(data=out.getvalue(), format="turtle"), whole)
    source.write_bytes(built.nquads[:-40])  # cut in the middle of a line
    with pytest.raises(InputError, match="peel.nq"):
        export_file(source, "nq", io.BytesIO())


def test_jsonld_reads_escapes_json_has_not() -> None:
    """N-Quads from other tools may hold a raw tab, or \\U and \\' escapes: the JSON-LD
    still reads back as the same values."""
    from kg.export import load_context
    from kg.jsonld import write_jsonld

    text = (
        b'<urn:s> <urn:p> "a\tb" <urn:g> .\n'
        b"<urn:s> <urn:q> \"smile \\U0001F600 and \\'quote\\'\" <urn:g> .\n"
    )
    out = io.BytesIO()
    write_jsonld(text, load_context(), out)
    doc = json.loads(out.getvalue())
    (node,) = doc["@graph"][0]["@graph"]
    assert node["urn:p"] == "a\tb"
    assert node["urn:q"] == "smile \U0001f600 and 'quote'"


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    """Outputs and cache entries get 0666 less the umask, whatever the umask."""
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new" / "page.html", "<p>")
        (tmp_path / "new" / "cache").mkdir()
        write_whole(tmp_path / "new" / "cache" / "key.nq", b"")
    finally:
        os.umask(old)
    written = [p for p in (tmp_path / "new").rglob("*") if p.is_file()]
    assert sorted(p.name for p in written) == ["key.nq", "page.html"]
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {oct(0o640)}
