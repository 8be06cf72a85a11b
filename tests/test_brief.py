"""The briefing and the what-changed query, checked against the graph and the texts."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from kg.brief import build_briefing, render
from kg.cli import cli
from kg.queries import run_query
from kg.store import Store

FORCE = "Northamptonshire Police"


def rows(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    doc = json.loads(run_query(store, name, params, "json"))
    return [{k: b[k]["value"] for k in b} for b in doc["results"]["bindings"]]


def test_what_changed_defaults_to_the_last_two_assessments(store: Store) -> None:
    found = rows(store, "what-changed", force=FORCE)
    assert {(r["from"], r["to"], r["latest"]) for r in found} == {("2023–25", "2025–27", "yes")}
    by_area = {r["area"]: r for r in found}
    crime = by_area["Investigating crime"]
    assert (crime["gradeThen"], crime["gradeNow"], crime["relation"]) == (
        "Requires improvement (Investigating crime)",
        "Inadequate",
        "exactMatch",
    )
    assert crime["escalated"] == (
        "The force isn't always achieving appropriate outcomes for victims of crime"
    )
    # Managing fraud had no area the crosswalk maps to it: no grade then, no relation
    assert (
        "gradeThen" not in by_area["Managing fraud"] or not by_area["Managing fraud"]["gradeThen"]
    )


def test_what_changed_for_another_pair(store: Store) -> None:
    found = rows(store, "what-changed", force=FORCE, to="2016")
    assert {(r["from"], r["to"], r["latest"]) for r in found} == {("2014", "2016", "no")}


def test_briefing_names_the_grade_change_and_the_open_areas(
    store: Store, texts: dict[str, str]
) -> None:
    b = build_briefing(store, FORCE)
    md = render(b, "md")
    assert "Investigating crime: moved from Requires improvement to Inadequate" in md
    open_now = {
        r["later"]
        for r in rows(store, "persisting-findings", force=FORCE)
        if r["status"] == "remains" and r["laterAssessment"] == "2025–27"
    }
    assert len(open_now) == 4
    for headline in open_now:
        assert headline in md
    assert "escalated" in md.split("## Escalated to a cause of concern")[1].split("##")[0]
    assert "999 calls answered within 10 seconds: 78.5 percent" in md
    # every source it names is a real range of a shipped file
    refs = re.findall(r"\[(data/[^,]+), characters (\d+)–(\d+)\]", md)
    assert len(refs) > 20
    for file, start, end in refs:
        assert 0 <= int(start) < int(end) <= len(texts[file])
    for line in b.grades + b.still_open + b.escalated + b.figures + b.initiatives:
        assert line.sources, line.text


def test_brief_command_writes_markdown_and_html(tmp_path, built) -> None:  # type: ignore[no-untyped-def]
    from kg.export import serialise

    data = tmp_path / "peel.nq"
    data.write_text(serialise(built.dataset, "nq"), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["brief", "--force", FORCE, "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"# What changed for {FORCE}: PEEL 2023–25 to 2025–27")
    out = tmp_path / "brief.html"
    result = runner.invoke(
        cli, ["brief", "--force", FORCE, "--format", "html", "--out", str(out), "--data", str(data)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<h2>Areas for improvement still open</h2>" in page and "data-start=" in page
    result = runner.invoke(cli, ["brief", "--force", "Borsetshire Police", "--data", str(data)])
    assert result.exit_code == 2
    assert "'Borsetshire Police' names no force; did you mean" in result.output
    result = runner.invoke(cli, ["brief", "--force", "Kent", "--data", str(data)])
    assert result.exit_code == 2
    assert "no two assessments of 'Kent'" in result.output
    result = runner.invoke(cli, ["brief", "--force", "Northants", "--data", str(data)])
    assert result.exit_code == 0 and result.output.startswith(f"# What changed for {FORCE}:")


def test_what_changed_within_one_framework_is_self() -> None:
    """2015 and 2016 share the 2015–17 framework: the same area, relation 'self'."""
    from rdflib import Dataset, Literal
    from rdflib.namespace import RDF, RDFS

    from kg import vocab as v
    from kg.assemble import reference_nquads
    from kg.reference import load_reference

    ref = load_reference()
    ds = Dataset()
    g = ds.graph(v.GRAPH["made-up"])
    force = v.mint("force", "Borsetshire Constabulary")
    g.add((force, RDF.type, v.Force))
    g.add((force, RDFS.label, Literal("Borsetshire Constabulary")))
    area = ref.assessment("2016").cycle.areas[0]
    for year, grade in (("2015", "good"), ("2016", "requires-improvement")):
        info = ref.assessment(year)
        insp = v.mint("inspection", "Borsetshire Constabulary", year)
        g.add((insp, RDF.type, v.Inspection))
        g.add((insp, v.force, force))
        g.add((insp, v.assessment, info.iri))
        j = v.mint("judgment", "Borsetshire Constabulary", year, area.notation)
        g.add((j, RDF.type, v.Judgment))
        g.add((j, v.inspection, insp))
        g.add((j, v.force, force))
        g.add((j, v.area, area.iri))
        g.add((j, v.grade, info.cycle.grades[grade]))
    ds.parse(data=reference_nquads(ref), format="nquads")
    (row,) = rows(Store.from_dataset(ds), "what-changed")
    assert (row["from"], row["to"], row["area"]) == ("2015", "2016", area.label)
    assert (row["gradeThen"], row["gradeNow"], row["relation"]) == (
        "Good",
        "Requires improvement",
        "self",
    )
