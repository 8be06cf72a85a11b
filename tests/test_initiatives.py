"""Named initiatives: detection, resolution across cycles, what the text says of them, queries.

On the shipped corpus (the session's ``built`` graph and ``store``), on small
reports for a made-up force (general patterns only), and against the
hand-checked gold annotations of tests/gold/initiatives.yaml.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg import vocab as v
from kg.errors import QueryError
from kg.export import union
from kg.extract.facts import MentionFact, SourceFacts
from kg.extract.initiatives import initiative_key, known_initiatives, national_keys, normalise
from kg.extract.report import extract_report
from kg.paths import DEFAULT_MANIFEST, ONTOLOGY_DIR, ROOT
from kg.pipeline import BuildResult, build_dataset, extract_source
from kg.queries import get_query, run_query
from kg.read.report import read_report
from kg.reference import load_reference
from kg.sources import load_manifest
from kg.store import Store
from tests.conftest import REPORT_2023, REPORT_2025
from tests.reportgen import FORCE, write_corpus

GOLD = ROOT / "tests" / "gold" / "initiatives.yaml"
#: The sections the gold file covers (tests/gold/README.md), by file.
GOLD_SECTIONS = {
    REPORT_2025: ["Investigating crime", "Responding to the public"],
    REPORT_2023: ["Police powers and treating the public fairly and respectfully"],
}


def rows(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    """A canned query's results as dicts of text (unbound cells left out)."""
    doc = json.loads(run_query(store, name, params, "json"))
    return [{k: b[k]["value"] for k in b} for b in doc["results"]["bindings"]]


@pytest.fixture(scope="module")
def graph(built: BuildResult) -> Graph:
    """The union of every named graph of the built corpus."""
    return union(built.dataset)


@pytest.fixture(scope="module")
def corpus_facts() -> dict[str, SourceFacts]:
    """The facts of each shipped full report, by its path."""
    ref = load_reference()
    out = {}
    for source in load_manifest(DEFAULT_MANIFEST):
        if source.kind == "inspection-report":
            out[source.relpath] = extract_source(source, ref)[1]
    return out


def initiative(name: str, force: str = "Northamptonshire Police") -> URIRef:
    """The node of an initiative: one for every force when national, else the force's own."""
    key = initiative_key(name)
    return v.mint("initiative", key) if key in national_keys() else v.mint("initiative", force, key)


# --- the shipped corpus ------------------------------------------------------


def test_operation_alloy_is_one_node_mentioned_in_both_cycles(
    graph: Graph, store: Store, texts: dict[str, str]
) -> None:
    assert "Operation Alloy" in texts[REPORT_2023] and "Operation Alloy" in texts[REPORT_2025]
    alloy = initiative("Operation Alloy")
    assert alloy == v.ID["initiative/northamptonshire-police/operation-alloy"]
    assert (alloy, RDF.type, v.Initiative) in graph
    inspections = {graph.value(m, v.inspection) for m in graph.objects(alloy, v.mention)}
    assert inspections == {
        v.mint("inspection", "Northamptonshire Police", "2023-25"),
        v.mint("inspection", "Northamptonshire Police", "2025-27"),
    }
    (row,) = [r for r in rows(store, "initiatives") if r["initiative"] == "Operation Alloy"]
    assert row == {
        "initiative": "Operation Alloy",
        "kind": "operation",
        "assessments": "2023–25, 2025–27",
        "innovative": "false",
        "force": "Northamptonshire Police",
    }
    mentions = rows(store, "initiative-mentions", initiative="Operation Alloy")
    assert [(r["assessment"], r["area"], r["quote"]) for r in mentions] == [
        ("2023–25", "Protecting vulnerable people", "Operation Alloy"),
        ("2025–27", "Responding to the public", "Operation Alloy"),
    ]


def test_operation_satin_is_innovative_practice_with_its_span(
    graph: Graph, texts: dict[str, str]
) -> None:
    satin = initiative("Operation Satin")
    assert graph.value(satin, v.innovative) == Literal(True)
    in_practice = []
    for mention in graph.objects(satin, v.mention):
        finding = graph.value(mention, v.finding)
        if finding is not None and (finding, RDF.type, v.InnovativePractice) in graph:
            in_practice.append(mention)
    assert in_practice, "no mention of Operation Satin inside its innovative practice finding"
    for mention in in_practice:
        span = graph.value(mention, v.span)
        selectors = list(graph.objects(span, v.OA.hasSelector))
        start = next(
            int(graph.value(s, v.OA.start)) for s in selectors if graph.value(s, v.OA.start)
        )
        end = next(int(graph.value(s, v.OA.end)) for s in selectors if graph.value(s, v.OA.end))
        quote = next(
            str(graph.value(s, v.OA.exact)) for s in selectors if graph.value(s, v.OA.exact)
        )
        assert texts[REPORT_2025][start:end] == quote == "Operation Satin"
        assert graph.value(span, v.OA.hasSource) == v.mint("source", Path(REPORT_2025).stem)
        assert graph.value(mention, v.area) == v.ID["area/peel-2025-27/safeguarding"]


def test_only_the_initiative_a_practice_presents_is_innovative(store: Store) -> None:
    innovative = {r["initiative"] for r in rows(store, "initiatives") if r["innovative"] == "true"}
    # the youth violence intervention unit is named inside the Prison Intervention Project's
    # innovative practice finding, but that finding presents the project
    assert innovative == {
        "Operation Satin",
        "Prison Intervention Project",
        "persistent caller officer",
    }


def test_yviu_is_an_alias_of_the_youth_violence_intervention_unit(
    graph: Graph, store: Store
) -> None:
    yviu = initiative("youth violence intervention unit")
    assert Literal("YVIU") in set(graph.objects(yviu, SKOS.altLabel))
    quotes = [r["quote"] for r in rows(store, "initiative-mentions", initiative="YVIU")]
    assert quotes.count("YVIU") == 5
    assert "youth violence intervention unit" in quotes


def test_partners_are_the_organisations_the_text_names(graph: Graph) -> None:
    office = Literal("office of the police, fire and crime commissioner")
    for name in ("Operation Satin", "Prison Intervention Project"):
        assert set(graph.objects(initiative(name), v.partner)) == {office}, name
    # the grab bags Amazon gives are an unnamed practice: no initiative, so no partner
    assert not set(graph.subjects(v.partner, Literal("Amazon")))


def test_super_wednesdays_developed_into_operation_prudent(graph: Graph, store: Store) -> None:
    """'… supported investigators with 'super Wednesdays'. … Since then, this has developed
    into Operation Prudent': the pronoun is the paragraph's topic, not the 'PIP 1' it names
    last (a regression)."""
    super_wednesdays = initiative("Super-Wednesdays")
    assert super_wednesdays == initiative("super Wednesdays")
    targets = set(graph.objects(None, v.developedInto))
    assert set(graph.objects(super_wednesdays, v.developedInto)) == {
        initiative("Operation Prudent")
    }
    assert targets == {initiative("Operation Prudent")}
    quotes = [r["quote"] for r in rows(store, "initiative-mentions", initiative="super wednesdays")]
    assert quotes == ["Super-Wednesdays", "super Wednesdays"]


def test_each_initiative_has_one_label_kind_and_description(graph: Graph) -> None:
    """Sources word one initiative differently; the earliest source's wording is kept."""
    for node in graph.subjects(RDF.type, v.Initiative):
        assert len(set(graph.objects(node, RDFS.label))) == 1, node
        assert len(set(graph.objects(node, v.initiativeKind))) == 1, node
        assert len(set(graph.objects(node, DCTERMS.description))) <= 1, node
    observatory = initiative("the observatory")
    assert graph.value(observatory, RDFS.label) == Literal("The Observatory")
    assert str(graph.value(initiative("Poliscope"), DCTERMS.description)) == (
        "The force uses predictive software called Poliscope."
    )


def test_every_mention_quotes_the_name_as_written(
    corpus_facts: dict[str, SourceFacts], texts: dict[str, str]
) -> None:
    for path, facts in corpus_facts.items():
        assert facts.initiatives, path
        for m in facts.initiatives:
            assert texts[path][m.span.start : m.span.end] == m.span.quote
            names = {normalise(n) for n in (m.name, *m.aliases)}
            assert initiative_key(m.span.quote) == m.key or normalise(m.span.quote) in names, m


def test_generic_descriptions_are_not_initiatives(graph: Graph) -> None:
    labels = {normalise(str(o)) for s in graph.subjects(RDF.type, v.Initiative)
              for o in graph.objects(s, RDFS.label)}  # fmt: skip
    for generic in (
        "multi agency safeguarding hub",
        "dedicated antisocial behaviour order team",
        "force control room",
        "integrated offender management",
        "structural equality board",
        "Multi-agency safeguarding hubs",
    ):
        assert normalise(generic) not in labels


def test_the_curated_list_is_data_with_the_initiative_iris(graph: Graph) -> None:
    curated = Graph().parse(ONTOLOGY_DIR / "initiatives.ttl", format="turtle")
    entries = list(curated.subjects(SKOS.inScheme, None))
    assert len(entries) == len(known_initiatives()) >= 10
    for entry in entries:
        label = str(curated.value(entry, SKOS.prefLabel))
        assert entry == initiative(label), label
        assert curated.value(entry, v.initiativeKind) is not None, label
    assert initiative_key("Clare's Law") == initiative_key("Domestic Violence Disclosure Scheme")
    assert initiative("Right Care Right Person") == initiative("Right Care, Right Person")


def test_initiative_queries_return_their_documented_columns(store: Store) -> None:
    assert get_query("initiatives").variables == (
        "initiative",
        "kind",
        "assessments",
        "innovative",
        "force",
    )
    assert get_query("initiative-mentions").variables == (
        "initiative",
        "assessment",
        "area",
        "quote",
        "file",
        "start",
        "end",
    )
    everything = rows(store, "initiatives")
    assert len({r["initiative"] for r in everything}) == len(everything)
    assert rows(store, "initiatives", force="Northamptonshire Police") == everything
    assert rows(store, "initiatives", force="Kent Police") == []
    loose = rows(store, "initiative-mentions", initiative="right care right person")
    assert [r["quote"] for r in loose] == ["Right Care, Right Person", "Right Care Right Person"]
    with pytest.raises(QueryError, match="'Operation Nothing' names no initiative; did you mean"):
        rows(store, "initiative-mentions", initiative="Operation Nothing")


# --- a made-up force: general patterns only -----------------------------------

#: A 2025-27 report of a made-up force, one paragraph a line as in the shipped layout.
SYNTHETIC_2025 = "\n\n".join(
    [
        "\n\nPEEL 2025–27",
        f"An inspection of {FORCE}",
        "Responding to the public",
        "Adequate",
        f"{FORCE} is adequate at responding to the public.",
        "Area for improvement",
        "The force should evaluate Operation Kestrel",
        "The force runs Operation Kestrel with the county ambulance service. "
        "Op Kestrel places paramedics in the control room.",
        "Innovative practice",
        "The force partners with Acme Housing to keep tenants safe",
        "Officers visit tenants who report abuse. This partnership is called the Safe Doors "
        "Scheme. The Safe Doors Scheme is run in partnership with Acme Housing.",
        "Main findings",
        "The force diverts young people from crime",
        "Its youth diversion programme (YDP) started in 2025. The YDP works with schools. "
        "Officers use an app called Beacon to record visits. The force also makes disclosures "
        "under Clare's Law.",
        "During our last inspection, the force ran Project Lantern. Since then, this has "
        "developed into the Borsetshire Community Safety Hub.",
        "Operation Heron was replaced by Operation Osprey in 2025.",
        "The force has a multi-agency safeguarding hub (MASH). A dedicated antisocial behaviour "
        "team works with partners. The force's problem-solving plans are inconsistent. The "
        "force works with a third party to provide grab bags. A national review named "
        f"{FORCE} as improving.",
        "Managing fraud",
        "Good",
        f"{FORCE} is good at managing fraud.",
        "Main findings",
        "The force runs a campaign known as 'Stop and Think'",
        "The campaign reached most residents.",
        "March 2027 | © HMICFRS 2027\n",
    ]
)

SYNTHETIC_2023 = f"""Overall summary
PEEL 2023–2025
HM Inspector’s summary
The force has improved.
Alex Sample
HM Inspector of Constabulary
Responding to the public
{FORCE} is good at responding to the public.
Main findings
The force has started Operation Kestrel
Paramedics joined the control room through Operation Kestrel in 2023.
Good
"""


@dataclass
class Seen:
    """What the extractor says about one initiative of a synthetic report."""

    name: str
    kind: str
    quotes: list[str]
    facts: MentionFact


def extracted(text: str, cycle: str) -> dict[str, Seen]:
    """Read and extract a synthetic report; its initiatives by key."""
    ref = load_reference()
    assessment = ref.assessment(cycle)
    doc = read_report(text, FORCE, assessment.cycle)
    facts = extract_report(doc, "synthetic.txt", FORCE, assessment, ref)
    out: dict[str, Seen] = {}
    for m in facts.initiatives:
        assert text[m.span.start : m.span.end] == m.span.quote
        seen = out.setdefault(m.key, Seen(m.name, m.kind, [], m))
        seen.quotes.append(m.span.quote)
    return out


def test_general_patterns_find_a_made_up_forces_initiatives() -> None:
    found = extracted(SYNTHETIC_2025, "2025-27")
    kinds = {s.name: s.kind for s in found.values()}
    assert kinds == {
        "Operation Kestrel": "operation",
        "Safe Doors Scheme": "scheme",
        "youth diversion programme": "programme",
        "Beacon": "software",
        "Domestic Violence Disclosure Scheme": "scheme",
        "Project Lantern": "project",
        "Borsetshire Community Safety Hub": "hub",
        "Operation Heron": "operation",
        "Operation Osprey": "operation",
        "Stop and Think": "campaign",
    }
    kestrel = found[initiative_key("Operation Kestrel")]
    assert kestrel.quotes == ["Operation Kestrel", "Operation Kestrel", "Op Kestrel"]
    ydp = found[initiative_key("youth diversion programme")]
    assert ydp.quotes == ["youth diversion programme", "YDP", "YDP"]
    assert ydp.facts.aliases == ("YDP",)
    assert found[initiative_key("Clare's Law")].facts.aliases == ("Clare's Law",)


def test_made_up_innovative_practice_partner_and_evolution() -> None:
    found = extracted(SYNTHETIC_2025, "2025-27")
    doors = found[initiative_key("Safe Doors Scheme")].facts
    assert doors.innovative and doors.partners == ("Acme Housing",)
    assert doors.finding is not None and doors.finding.type == "innovative-practice"
    assert [s.name for s in found.values() if s.facts.innovative] == ["Safe Doors Scheme"]
    assert all(not s.facts.partners for s in found.values() if s.name != "Safe Doors Scheme")
    into = {s.name: s.facts.developed_into for s in found.values() if s.facts.developed_into}
    assert into == {
        "Project Lantern": initiative_key("Borsetshire Community Safety Hub"),
        "Operation Heron": initiative_key("Operation Osprey"),
    }
    lantern = found[initiative_key("Project Lantern")].facts
    assert lantern.description == "During our last inspection, the force ran Project Lantern."


def test_made_up_initiative_is_one_node_across_cycles(tmp_path: Path) -> None:
    manifest = write_corpus(
        tmp_path,
        {
            "borsetshire-2025.txt": (SYNTHETIC_2025, "2025-27", "peel-report-2025"),
            "borsetshire-2023.txt": (SYNTHETIC_2023, "2023-25", "peel-report-2023"),
        },
    )
    result = build_dataset(manifest)
    assert result.conforms, result.validation.report_text
    store = Store.from_dataset(result.dataset)
    table = {r["initiative"]: r for r in rows(store, "initiatives")}
    assert table["Operation Kestrel"]["assessments"] == "2023–25, 2025–27"
    assert table["Safe Doors Scheme"]["innovative"] == "true"
    graph = union(result.dataset)
    heron = initiative("Operation Heron", FORCE)
    assert graph.value(heron, v.developedInto) == initiative("Operation Osprey", FORCE)


# --- precision and recall against the gold annotations -------------------------

#: Kind words a gold name may carry that the extracted name leaves out ('Qlik app').
_TRAILING = r"\s+(?:app|application|initiative|programme|process|scheme|technology|tool)$"


def name_forms(name: str) -> set[str]:
    """A name normalised, without a bracketed acronym, with and without a trailing kind word."""
    key = normalise(re.sub(r"\s*\([^)]*\)\s*$", "", name))
    return {key, re.sub(_TRAILING, "", key)}


def gold_sections(facts: SourceFacts, text: str, headings: list[str]) -> dict[str, range]:
    """The file range of each covered section: from its heading to the next area heading."""
    starts = [a.heading.start for a in facts.areas]
    labels = [a.label for a in facts.areas]
    out = {}
    for heading in headings:
        i = labels.index(heading)
        out[heading] = range(starts[i], starts[i + 1] if i + 1 < len(starts) else len(text))
    return out


def test_initiatives_precision_and_recall_against_gold(
    corpus_facts: dict[str, SourceFacts], texts: dict[str, str]
) -> None:
    """The gold lists one entry per initiative per covered section, at one of its mentions.

    So an extracted item is an initiative in a section (all its mentions there). A gold
    entry and an item match when the gold ``at`` range overlaps one of the item's mention
    spans and their names agree after normalisation (case, spaces, punctuation, a
    leading 'the', a bracketed acronym and a trailing kind word such as 'app' aside;
    aliases count). Precision: matched items / items; recall: matched entries / entries.
    """
    gold: list[dict[str, Any]] = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["initiatives"]
    items: dict[tuple[str, str, str], list[MentionFact]] = {}
    entries: list[tuple[str, str, int, int, dict[str, Any]]] = []
    for path, headings in GOLD_SECTIONS.items():
        text, facts = texts[path], corpus_facts[path]
        for heading, where in gold_sections(facts, text, headings).items():
            for m in facts.initiatives:
                if m.span.start in where:
                    items.setdefault((path, heading, m.key), []).append(m)
            for entry in gold:
                at = text.find(entry["at"]) if entry["file"] == path else -1
                assert entry["file"] != path or at >= 0, f"gold 'at' not in {path}: {entry}"
                assert text.find(entry["at"], at + 1) < 0, f"gold 'at' not unique: {entry}"
                if at in where:
                    entries.append((path, heading, at, at + len(entry["at"]), entry))
    assert len(entries) == len(gold), "a gold entry lies outside the covered sections"
    matched_items, matched_entries = set(), set()
    for n, (path, heading, start, end, entry) in enumerate(entries):
        for item, mentions in items.items():
            names = set().union(
                *(name_forms(x) for m in mentions for x in (m.name, *m.aliases, m.span.quote))
            )
            overlaps = any(m.span.start < end and start < m.span.end for m in mentions)
            if item[:2] == (path, heading) and overlaps and name_forms(entry["name"]) & names:
                matched_items.add(item)
                matched_entries.add(n)
    precision = len(matched_items) / len(items)
    recall = len(matched_entries) / len(entries)
    print(
        f"\ninitiatives against gold: precision {precision:.3f} ({len(matched_items)}/"
        f"{len(items)}), recall {recall:.3f} ({len(matched_entries)}/{len(entries)})"
    )
    missed = [e["name"] for n, (*_, e) in enumerate(entries) if n not in matched_entries]
    extra = [(i[1], items[i][0].name) for i in items if i not in matched_items]
    assert precision >= 0.95, f"not in the gold: {extra}"
    assert recall >= 0.95, f"not found: {missed}"


# --- initiatives across forces ---------------------------------------------------


def test_two_forces_operations_of_one_name_are_two_initiatives(tmp_path: Path) -> None:
    """Two forces call two different things 'Operation Lantern': two initiatives, each its
    force's own; a national scheme both name (Operation Encompass) is one node."""
    from tests.reportgen import REPORT_2025

    said = {
        FORCE: "Through Operation Lantern, the force patrols rural roads at night.",
        "Wessex Police": "Operation Lantern is the force's review of unsolved burglaries.",
    }
    docs = {}
    for n, (force, sentence) in enumerate(said.items()):
        text = REPORT_2025.replace(FORCE, force).replace(
            "It answered 91.2 percent of 999 calls within 10 seconds.",
            f"It answered 91.2 percent of 999 calls within 10 seconds. {sentence} "
            "Through Operation Encompass, it tells schools about children affected.",
        )
        docs[f"force-{n}.txt"] = (text, "2025-27", "peel-report")
    manifest = write_corpus(tmp_path, docs)
    text = manifest.read_text(encoding="utf-8").replace(
        'file = "force-1.txt"\nforce = "Borsetshire Constabulary"',
        'file = "force-1.txt"\nforce = "Wessex Police"',
    )
    manifest.write_text(text, encoding="utf-8")
    g = union(build_dataset(manifest).dataset)
    lanterns = sorted(
        i
        for i in g.subjects(RDF.type, v.Initiative)
        if str(g.value(i, RDFS.label)) == "Operation Lantern"
    )
    assert lanterns == sorted(v.mint("initiative", force, "operation lantern") for force in said)
    descriptions = {str(g.value(i, DCTERMS.description)) for i in lanterns}
    assert any("rural roads" in d for d in descriptions)
    assert any("unsolved burglaries" in d for d in descriptions)
    encompass = [
        i for i in g.subjects(RDF.type, v.Initiative) if "Encompass" in str(g.value(i, RDFS.label))
    ]
    assert encompass == [v.mint("initiative", "operation encompass")]
    assert len(set(g.objects(encompass[0], v.mention))) == 2


def test_place_names_with_and_survive_in_an_initiative_name(tmp_path: Path) -> None:
    from tests.reportgen import REPORT_2025

    force = "Avon and Somerset Constabulary"
    text = REPORT_2025.replace(FORCE, force).replace(
        "It answered 91.2 percent of 999 calls within 10 seconds.",
        "It answered 91.2 percent of 999 calls within 10 seconds. The force listens to "
        "residents through a platform called Avon and Somerset Talking. It ran Operation "
        "Alloy and Operation Motto last winter.",
    )
    manifest = write_corpus(tmp_path, {"avon.txt": (text, "2025-27", "peel-report")})
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(f'force = "{FORCE}"', f'force = "{force}"'),
        encoding="utf-8",
    )
    g = union(build_dataset(manifest).dataset)
    names = {str(g.value(i, RDFS.label)) for i in g.subjects(RDF.type, v.Initiative)}
    assert names == {"Avon and Somerset Talking", "Operation Alloy", "Operation Motto"}


def test_a_quoted_blank_names_nothing() -> None:
    """Quotation marks around nothing but spaces ('  ') are no name (they once crashed the
    reader)."""
    text = SYNTHETIC_2025.replace("Operation Kestrel", "Operation Kestrel (the '  ' team)", 1)
    assert text != SYNTHETIC_2025
    found = extracted(text, "2025-27")
    assert initiative_key("Operation Kestrel") in found
    assert all(s.name.strip() for s in found.values())
