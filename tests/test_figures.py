"""Figures as observations: units, periods, comparators, intervals, samples, metrics, queries.

Expected values are read off the two full reports (data/000_… is PEEL 2023–25,
data/001_… PEEL 2025–27); forms the corpus lacks are checked on small
synthetic reports.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg import vocab
from kg.errors import QueryError
from kg.extract.facts import ObservationFact
from kg.extract.figures import extract_figures
from kg.extract.metrics import MetricDef, metric_definitions
from kg.extract.report import extract_report
from kg.paths import ONTOLOGY_DIR
from kg.pipeline import BuildResult
from kg.queries import bind_parameters, bound_text, get_query, run_query
from kg.read.report import read_report
from kg.reference import load_reference
from kg.store import Store

from .conftest import REPORT_2023, REPORT_2025

FORCE = "Northamptonshire Police"
PREFIXES = """
PREFIX peel: <https://w3id.org/peel-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX qb: <http://purl.org/linked-data/cube#>
"""
OBSERVATIONS = (
    PREFIXES
    + """
SELECT ?obs ?file ?start ?end ?quote ?value ?unit ?mult ?metric ?text ?kind ?pstart ?pend
       ?length ?ptext ?ci ?ciunit ?num ?den ?counted ?area ?finding ?cycle ?dataset
WHERE {
  ?obs a peel:Observation ;
       peel:value ?value ;
       peel:unit/skos:notation ?unit ;
       peel:metric/skos:notation ?metric ;
       peel:metricText ?text ;
       peel:periodKind ?kind ;
       peel:area ?area ;
       peel:inspection/peel:assessment/skos:notation ?cycle ;
       qb:dataSet ?dataset ;
       peel:span ?span .
  ?span oa:hasSource/peel:path ?file ;
        oa:hasSelector ?position, ?quoted .
  ?position oa:start ?start ; oa:end ?end .
  ?quoted oa:exact ?quote .
  OPTIONAL { ?obs peel:unitMultiplier ?mult }
  OPTIONAL { ?obs peel:periodStart ?pstart }
  OPTIONAL { ?obs peel:periodEnd ?pend }
  OPTIONAL { ?obs peel:periodLength ?length }
  OPTIONAL { ?obs peel:periodText ?ptext }
  OPTIONAL { ?obs peel:confidenceInterval ?ci ; peel:confidenceUnit/skos:notation ?ciunit }
  OPTIONAL { ?obs peel:numerator ?num }
  OPTIONAL { ?obs peel:denominator ?den }
  OPTIONAL { ?obs peel:counted ?counted }
  OPTIONAL { ?obs peel:finding ?finding }
}"""
)
COMPARATORS = (
    PREFIXES
    + """
SELECT ?obs ?kind ?value ?low ?high ?unit ?comparison WHERE {
  ?obs a peel:Observation ; peel:comparator ?c .
  ?c a peel:Comparator ; peel:comparatorKind ?kind ; peel:unit/skos:notation ?unit .
  OPTIONAL { ?c peel:value ?value }
  OPTIONAL { ?c peel:rangeLow ?low ; peel:rangeHigh ?high }
  OPTIONAL { ?c peel:comparison ?comparison }
}"""
)


def _python(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.toPython() if isinstance(v, Literal) else v) for k, v in row.items()}


@pytest.fixture(scope="module")
def observations(store: Store) -> list[dict[str, Any]]:
    """Every observation of the built corpus as plain Python values."""
    return [_python(r) for r in store.rows(OBSERVATIONS)]


@pytest.fixture(scope="module")
def comparators(store: Store) -> dict[URIRef, list[dict[str, Any]]]:
    out: dict[URIRef, list[dict[str, Any]]] = {}
    for row in store.rows(COMPARATORS):
        out.setdefault(row["obs"], []).append(_python(row))
    return out


def find(observations: list[dict[str, Any]], value: str, words: str) -> dict[str, Any]:
    """The one observation of ``value`` whose sentence (or table row) contains ``words``."""
    found = [o for o in observations if o["value"] == Decimal(value) and words in str(o["quote"])]
    assert len(found) == 1, f"{len(found)} observations of {value} in a span with {words!r}"
    return found[0]


def synthetic(body: str, metrics: tuple[MetricDef, ...] | None = None) -> list[ObservationFact]:
    """The figures of a one-area 2025–27 report whose only finding holds ``body``."""
    text = (
        "PEEL 2025–27\n\nResponding to the public\n\nGood\n\n"
        f"{FORCE} is good at responding to the public.\n\nMain findings\n\n"
        f"The force answers calls quickly\n\n{body}\n"
    )
    ref = load_reference()
    assessment = ref.assessment("2025-27")
    doc = read_report(text, FORCE, assessment.cycle)
    facts = extract_report(doc, "synthetic.txt", FORCE, assessment, ref)
    if metrics is None:
        return facts.observations
    return extract_figures(doc, facts, metrics, file="synthetic.txt")


# --- every observation ---------------------------------------------------------


def test_both_full_reports_have_figures(observations: list[dict[str, Any]]) -> None:
    files = {o["file"] for o in observations}
    assert files == {REPORT_2023, REPORT_2025}
    assert len(observations) > 300


def test_every_observation_quotes_its_file_and_is_in_the_dataset(
    observations: list[dict[str, Any]], texts: dict[str, str]
) -> None:
    dataset = vocab.mint("dataset", "peel-figures")
    for o in observations:
        assert texts[o["file"]][o["start"] : o["end"]] == o["quote"]
        assert o["dataset"] == dataset
        assert str(o["text"]).strip()


def test_observation_iris_are_numbered_in_text_order(observations: list[dict[str, Any]]) -> None:
    for file in (REPORT_2023, REPORT_2025):
        mine = [o for o in observations if o["file"] == file]
        by_n = sorted(mine, key=lambda o: int(str(o["obs"]).rsplit("/", 1)[1]))
        starts = [o["start"] for o in by_n]
        assert starts == sorted(starts)


# --- units ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words", "unit", "multiplier"),
    [
        ("92.9", "answered 92.9 percent", "percent", None),
        ("1", "1 percent lower when compared", "percentage-points", None),
        ("3663", "3,663 stop and searches", "count", None),
        ("183", "around £183 million in total funding", "gbp", Decimal(1000000)),
        ("4.5", "4.5 stop and searches per 1,000 population", "rate-per-1000-population", None),
        ("5.1", "referrals per 100 employees", "per-100-employees", None),
        ("3.6", "3.6 times more likely", "ratio", None),
        ("14", "14 days before a bail date", "days", None),
        ("12", "unresolved after 12 hours", "hours", None),
        ("18", "around 18 to 24 months", "months", None),
        ("15", "15 minutes for urban areas", "minutes", None),
    ],
)
def test_unit(
    observations: list[dict[str, Any]],
    value: str,
    words: str,
    unit: str,
    multiplier: Decimal | None,
) -> None:
    o = find(observations, value, words)
    assert o["unit"] == unit
    assert o.get("mult") == multiplier


def test_seconds_and_billions_in_synthetic_text() -> None:
    figures = synthetic(
        "On average, call handlers answered emergency calls in 7.5 seconds. "
        "In 2024/25, the force spent £1.2bn."
    )
    seconds, money = figures
    assert (seconds.value, seconds.unit) == (Decimal("7.5"), "seconds")
    assert (money.value, money.unit, money.multiplier) == (Decimal("1.2"), "gbp", 10**9)
    assert (money.period.kind, money.period.start, money.period.end) == (
        "financial-year",
        "2024-04-01",
        "2025-03-31",
    )


# --- periods -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words", "kind", "start", "end", "length"),
    [
        ("92.9", "answered 92.9 percent", "year-ending", None, "2026-01-31", "P1Y"),
        ("267", "267 full-time equivalent PIP 2", "as-at", None, "2025-12-31", None),
        ("94.2", "we found 94.2 percent", "calendar-year", "2020-01-01", "2020-12-31", "P1Y"),
        ("73", "73 PCSOs in 2022/23", "financial-year", "2022-04-01", "2023-03-31", "P1Y"),
        ("1107", "1,107 young people", "range", "2023-11-01", "2025-11-30", None),
        ("490", "490 devices", "range", "2026-01-01", "2026-01-31", "P1M"),
        ("41", "in 41 of 56 cases", "unstated", None, None, None),
        ("15.8", "in which 15.8 percent of outcomes", "unstated", None, None, None),
    ],
)
def test_period(
    observations: list[dict[str, Any]],
    value: str,
    words: str,
    kind: str,
    start: str | None,
    end: str | None,
    length: str | None,
) -> None:
    o = find(observations, value, words)
    assert o["kind"] == kind
    assert (str(o["pstart"]) if o.get("pstart") else None) == start
    assert (str(o["pend"]) if o.get("pend") else None) == end
    assert (str(o.get("length")) if o.get("length") else None) == (
        None if length is None else str(Literal(length, datatype=vocab.XSD.duration).toPython())
    )


def test_period_text_is_kept_as_written(observations: list[dict[str, Any]]) -> None:
    satin = find(observations, "1107", "1,107 young people")
    assert satin["ptext"] == "between November 2023 and November 2025"
    pip = find(observations, "267", "267 full-time equivalent PIP 2")
    assert pip["ptext"] == "As at 31 December 2025"


def test_an_impossible_period_date_is_reported_in_the_build_summary(
    built: BuildResult, observations: list[dict[str, Any]], texts: dict[str, str]
) -> None:
    """Regression: 'compared to the year ending 31 September 2023, in which 15.8 percent …'
    was read as ending on 30 September 2023, a guess. Now 15.8 has no period, the words
    are kept, and the build says why."""
    o = find(observations, "15.8", "in which 15.8 percent of outcomes")
    assert o["ptext"] == "to the year ending 31 September 2023"
    text = texts[REPORT_2025]
    at = text.index("to the year ending 31 September 2023")
    want = (
        f"{REPORT_2025}:{text.count(chr(10), 0, at) + 1} (offset {at}): '31 September 2023' is "
        "not a date (September has 30 days), so 'to the year ending 31 September 2023' gives "
        "no period: the figures it governs are recorded without one"
    )
    assert want in [str(i) for i in built.issues]
    assert f"  {want}" in built.summary().splitlines()
    assert built.conforms  # reported, not a violation: the build exits 0


def test_same_period_refers_back(observations: list[dict[str, Any]]) -> None:
    # 'For the same period, it answered …' after 'In the year ending 31 January 2026, …'
    o = find(observations, "92.9", "For the same period")
    assert o["ptext"] == "In the year ending 31 January 2026"


def test_as_at_and_point_in_time_in_synthetic_text() -> None:
    (figure,) = synthetic("As at 31 March 2024, the force had 1,250 officers.")
    assert (figure.period.kind, figure.period.end, figure.period.start) == (
        "as-at",
        "2024-03-31",
        None,
    )
    assert figure.value == Decimal(1250)


# --- comparators and confidence intervals --------------------------------------


def test_national_standard_is_a_comparator_not_a_figure(
    observations: list[dict[str, Any]], comparators: dict[URIRef, list[dict[str, Any]]]
) -> None:
    o = find(observations, "92.9", "answered 92.9 percent")
    (c,) = comparators[o["obs"]]
    assert (c["kind"], c["value"], c["unit"], c["comparison"]) == (
        "national-standard",
        Decimal("90.0"),
        "percent",
        "above",
    )
    assert not [
        x for x in observations if x["value"] == Decimal("90.0") and "standard" in x["quote"]
    ]


@pytest.mark.parametrize(
    ("value", "words", "kind", "compared"),
    [
        ("3.2", "3.2 times more likely", "england-and-wales-average", Decimal("4.8")),
        ("3.6", "3.6 times more likely", "england-and-wales-average", Decimal("3.7")),
        ("85.8", "85.8\t84.2", "england-and-wales-median", Decimal("84.2")),
        ("11.2", "were [positive outcomes]", "england-and-wales-median", Decimal("12.2")),
        ("34", "arrest rate of 34 percent", "england-and-wales-average", Decimal("33.6")),
        ("11", "from 8 to 11", "previous-value", Decimal("8")),
    ],
)
def test_comparator(
    observations: list[dict[str, Any]],
    comparators: dict[URIRef, list[dict[str, Any]]],
    value: str,
    words: str,
    kind: str,
    compared: Decimal,
) -> None:
    o = find(observations, value, words)
    assert (kind, compared) in {(c["kind"], c.get("value")) for c in comparators[o["obs"]]}


def test_typical_range_with_and_without_values(
    observations: list[dict[str, Any]], comparators: dict[URIRef, list[dict[str, Any]]]
) -> None:
    asb = find(observations, "16.4", "16.4 antisocial behaviour incidents")
    (c,) = comparators[asb["obs"]]  # the range comes from the chart description
    assert (c["kind"], c["low"], c["high"]) == ("typical-range", Decimal("7.0"), Decimal("22.4"))
    calls = find(observations, "178", "178 emergency 999 calls")
    (c,) = comparators[calls["obs"]]
    assert (c["kind"], c.get("value"), c["comparison"]) == ("typical-range", None, "within")


@pytest.mark.parametrize(
    ("value", "words", "ci", "unit"),
    [
        ("95.9", "recording 95.9 percent", Decimal("1.9"), "percent"),
        ("98.5", "we estimate 98.5 percent", Decimal("2.4"), "percentage-points"),
    ],
)
def test_confidence_interval(
    observations: list[dict[str, Any]], value: str, words: str, ci: Decimal, unit: str
) -> None:
    o = find(observations, value, words)
    assert (o["ci"], o["ciunit"]) == (ci, unit)
    assert not [x for x in observations if x["value"] == ci and words in x["quote"]]


def test_comparator_in_synthetic_text() -> None:
    (figure,) = synthetic(
        "In the year ending 31 March 2024, the force's arrest rate was 31.5 percent, which was "
        "lower than the England and Wales median of 33.0 percent."
    )
    (c,) = figure.comparators
    assert (c.kind, c.value, c.unit, c.comparison) == (
        "england-and-wales-median",
        Decimal("33.0"),
        "percent",
        "below",
    )
    assert figure.metric == "domestic-abuse-arrest-rate"


# --- audit samples -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words", "numerator", "denominator", "counted"),
    [
        ("41", "in 41 of 56 cases", 41, 56, "cases"),
        ("23.9", "23.9 percent of respondents (98 of 409)", 98, 409, "respondents"),
        ("68", "a sample of 68", None, 68, "stop and search records"),
        ("12", "for non-arrest in 12 cases", 12, 17, "cases"),
        ("1423", "1,423 times out of 14,999 arrests", 1423, 14999, "arrests"),
    ],
)
def test_audit_sample(
    observations: list[dict[str, Any]],
    value: str,
    words: str,
    numerator: int | None,
    denominator: int,
    counted: str,
) -> None:
    o = find(observations, value, words)
    assert (o.get("num"), o["den"], o["counted"]) == (numerator, denominator, counted)


def test_sample_sides_are_not_figures_of_their_own(observations: list[dict[str, Any]]) -> None:
    assert not [o for o in observations if o["value"] == 56 and "in 41 of 56 cases" in o["quote"]]
    assert not [o for o in observations if o["value"] == Decimal("94.9")]  # restates 1,423/14,999


# --- area, finding, metric -------------------------------------------------------


def test_observation_knows_its_area_and_finding(observations: list[dict[str, Any]]) -> None:
    o = find(observations, "92.9", "answered 92.9 percent")
    assert o["area"] == URIRef(
        "https://w3id.org/peel-kg/id/area/peel-2025-27/responding-to-the-public"
    )
    assert o["finding"] == vocab.mint(
        "finding", FORCE, "2025-27", "responding-to-the-public", "main-finding-1"
    )
    assert o["cycle"] == "2025-27"
    table = find(observations, "85.8", "85.8\t84.2")
    assert str(table["finding"]).endswith("/investigating-crime/cause-of-concern-1")


def test_recurring_metrics_are_classified(observations: list[dict[str, Any]]) -> None:
    metric = {
        ("92.9", "answered 92.9 percent"): "999-answered-within-10-seconds",
        ("12.9", "12.9 percent of calls"): "101-calls-abandoned",
        ("98.5", "we estimate 98.5 percent"): "stop-search-reasonable-grounds",
        ("3156", "3,156 stop and searches"): "stop-searches",
        ("4.0", "4.0 stop and searches per 1,000"): "stop-search-rate",
        ("32.2", "overall [find rate]"): "stop-search-find-rate",
        ("3.6", "3.6 times more likely"): "stop-search-disproportionality",
        ("3.2", "3.2 times more likely"): "stop-search-disproportionality",
        ("3.1", "3.1 times more likely"): "use-of-force-disproportionality",
        ("7880", "7,880 use of force incidents"): "use-of-force-incidents",
        ("267", "267 full-time equivalent PIP 2"): "pip2-investigators",
        ("63.7", "63.7 percent of PIP 2"): "pip2-posts-filled",
        ("34", "arrest rate of 34 percent"): "domestic-abuse-arrest-rate",
        ("20.1", "At that time, it was 20.1 percent"): "domestic-abuse-arrest-rate",
        ("11.2", "were [positive outcomes]"): "positive-outcomes-victim-based",
        ("183", "£183 million"): "total-funding",
        ("21", "total reserves of around £21 million"): "reserves",
        ("472", "We received 472 responses"): "workforce-survey-responses",
        ("91", "91 percent of the workforce had a completed PDR"): "pdr-completion",
    }
    for (value, words), notation in metric.items():
        assert find(observations, value, words)["metric"] == notation, (value, words)


def test_a_figure_no_metric_matches_is_kept_unclassified(
    observations: list[dict[str, Any]],
) -> None:
    o = find(observations, "730", "730 suspects")
    assert o["metric"] == "unclassified"
    assert "730 suspects listed on the PNC" in o["text"]


def test_metrics_are_data_not_code() -> None:
    widgets = MetricDef("widgets-made", "count", (re.compile(r"\bwidgets\b", re.I),))
    (figure,) = synthetic("The force made 12 widgets.", metrics=(widgets,))
    assert figure.metric == "widgets-made"
    (plain,) = synthetic("The force made 12 widgets.")
    assert plain.metric == "unclassified"


# --- ontology/metrics.ttl ----------------------------------------------------------

REQUIRED_METRICS = {
    "999-answered-within-10-seconds",
    "101-calls-abandoned",
    "stop-search-reasonable-grounds",
    "stop-searches",
    "stop-search-rate",
    "stop-search-find-rate",
    "stop-search-disproportionality",
    "use-of-force-disproportionality",
    "use-of-force-incidents",
    "pip2-investigators",
    "pip2-posts-filled",
    "domestic-abuse-arrest-rate",
    "positive-outcomes-victim-based",
    "total-funding",
    "reserves",
    "workforce-survey-responses",
    "pdr-completion",
    "unclassified",
}
UNITS = {
    "percent", "percentage-points", "count", "gbp", "rate-per-1000-population",
    "per-100-employees", "ratio", "days", "hours", "months", "minutes", "seconds",
}  # fmt: skip


@pytest.fixture(scope="module")
def metrics_ttl() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "metrics.ttl", format="turtle")


def test_metrics_ttl_defines_the_metrics_and_units(metrics_ttl: Graph) -> None:
    metrics = {
        str(metrics_ttl.value(m, SKOS.notation)): m
        for m in metrics_ttl.subjects(RDF.type, vocab.Metric)
    }
    units = {
        str(metrics_ttl.value(u, SKOS.notation)): u
        for u in metrics_ttl.subjects(RDF.type, vocab.Unit)
    }
    assert set(metrics) >= REQUIRED_METRICS
    assert set(units) >= UNITS
    for notation, metric in metrics.items():
        assert metric == vocab.mint("metric", notation)
        assert metrics_ttl.value(metric, SKOS.prefLabel) and metrics_ttl.value(
            metric, SKOS.definition
        )
        if notation == "unclassified":
            continue
        assert metrics_ttl.value(metric, vocab.unit) in units.values(), notation
        patterns = list(metrics_ttl.objects(metric, vocab.matchPattern))
        assert patterns, f"{notation} has no peel:matchPattern"
        for p in patterns:
            re.compile(str(p))
    for notation, unit in units.items():
        assert unit == vocab.mint("unit", notation)


def test_the_figures_dataset_has_its_structure(metrics_ttl: Graph) -> None:
    qb = vocab.QB
    dataset = vocab.mint("dataset", "peel-figures")
    structure = metrics_ttl.value(dataset, qb.structure)
    assert structure == vocab.mint("structure", "peel-figures")
    assert (structure, RDF.type, qb.DataStructureDefinition) in metrics_ttl
    parts = list(metrics_ttl.objects(structure, qb.component))
    dims = {metrics_ttl.value(p, qb.dimension) for p in parts} - {None}
    measures = {metrics_ttl.value(p, qb.measure) for p in parts} - {None}
    attrs = {metrics_ttl.value(p, qb.attribute) for p in parts} - {None}
    assert dims == {vocab.force, vocab.metric, vocab.periodEnd}
    assert measures == {vocab.value}
    assert attrs == {vocab.unit, vocab.unitMultiplier}


def test_metric_definitions_are_read_from_the_reference_graph() -> None:
    defs = {m.notation: m for m in metric_definitions(load_reference().graph)}
    assert set(defs) >= REQUIRED_METRICS
    assert defs["999-answered-within-10-seconds"].unit == "percent"


# --- canned queries ------------------------------------------------------------------


def test_metric_series_gives_both_999_figures_with_their_periods(store: Store) -> None:
    # The 2023–25 report does not state the 999 answering figure in its area
    # sections; the 2025–27 report states its own and restates the earlier one.
    rows = store.rows(
        bound_text(get_query("metric-series"), {"metric": "999 calls answered within 10 seconds"})
    )
    series = [(str(r["periodEnd"]), str(r["value"]), str(r["assessment"])) for r in rows]
    assert series == [("2023-06-30", "78.5", "2025–27"), ("2026-01-31", "92.9", "2025–27")]
    assert str(rows[1]["comparator"]) == "national-standard 90"
    assert {str(r["unit"]) for r in rows} == {"percent"}


def test_metric_series_spans_cycles_and_takes_any_name_of_a_metric(store: Store) -> None:
    query = get_query("metric-series")
    iri = str(vocab.mint("metric", "stop-search-reasonable-grounds"))
    results = []
    for name in (
        "Stop and searches with reasonable grounds recorded",
        "stop-search-reasonable-grounds",
        iri,
    ):
        rows = store.rows(bound_text(query, {"metric": name, "force": FORCE}))
        results.append([(str(r["periodEnd"]), str(r["value"]), str(r["assessment"])) for r in rows])
    assert results[0] == results[1] == results[2]
    assert {cycle for _, _, cycle in results[0]} == {"2023–25", "2025–27"}
    ends = [end for end, _, _ in results[0]]
    assert ends == sorted(ends)


def test_metric_parameter_rejects_an_unknown_metric() -> None:
    with pytest.raises(QueryError, match="names no metric"):
        bind_parameters(get_query("metric-series"), {"metric": "number of unicorns"})


def test_audit_samples_orders_by_ratio_and_filters(store: Store) -> None:
    query = get_query("audit-samples")
    every = store.rows(bound_text(query, {}))
    ratios = [Decimal(str(r["ratio"])) for r in every]
    assert ratios == sorted(ratios) and len(every) > 50
    low = store.rows(bound_text(query, {"maxRatio": "0.5"}))
    assert low and all(Decimal(str(r["ratio"])) <= Decimal("0.5") for r in low)
    assert len(low) < len(every)
    assert all(float(str(r["ratio"])) <= 0.5 for r in low)
    area = store.rows(bound_text(query, {"area": "Responding to the public", "maxRatio": "0.8"}))
    assert area and {str(r["area"]) for r in area} == {"Responding to the public"}
    assert ("41", "56") in {(str(r["numerator"]), str(r["denominator"])) for r in area}


def test_audit_samples_rejects_a_ratio_that_is_not_a_number() -> None:
    with pytest.raises(QueryError, match="not a decimal"):
        bind_parameters(get_query("audit-samples"), {"maxRatio": "most"})


def test_query_results_as_text(store: Store) -> None:
    table = run_query(store, "audit-samples", {"maxRatio": "0.2"})
    assert table.splitlines()[0].split()[:6] == [
        "assessment", "area", "numerator", "denominator", "ratio", "quote",
    ]  # fmt: skip
