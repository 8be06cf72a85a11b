"""The vocabulary, defined once: namespaces, every term IRI, and IRI minting.

No other module types an IRI string. Instance IRIs come from :func:`mint`, so
the same corpus always yields the same IRIs. Terms are documented in
``ontology/peel.ttl``; ``tests/test_ontology.py`` checks the two agree.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDFS, SKOS, XSD

BASE = "https://w3id.org/peel-kg/"
PEEL = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
QB = Namespace("http://purl.org/linked-data/cube#")
OGL = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")

#: Prefixes bound in every serialisation (and in the JSON-LD context).
PREFIXES: dict[str, Namespace] = {
    prefix: Namespace(str(ns))
    for prefix, ns in {
        "peel": PEEL,
        "id": ID,
        "org": ORG,
        "prov": PROV,
        "skos": SKOS,
        "dcterms": DCTERMS,
        "oa": OA,
        "qb": QB,
        "foaf": FOAF,
        "rdfs": RDFS,
        "xsd": XSD,
        "owl": OWL,
    }.items()
}

#: The named graph holding the ontology, scales, cycles and area schemes.
REFERENCE_GRAPH = GRAPH["reference"]
#: The named graph describing things many sources mention: forces, people.
ENTITY_GRAPH = GRAPH["entities"]
#: The named graph of the canned query catalogue (kg.catalogue), so it can be queried.
QUERIES_GRAPH = GRAPH["queries"]
#: SHACL (its SPARQL executables and parameters describe the canned queries) and schema.org.
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")

# --- classes -----------------------------------------------------------------
Force = PEEL.Force
Inspection = PEEL.Inspection
Cycle = PEEL.Cycle
Assessment = PEEL.Assessment
Area = PEEL.Area
AreaScheme = PEEL.AreaScheme
Judgment = PEEL.Judgment
GradeStatement = PEEL.GradeStatement
Grade = PEEL.Grade
GradeScale = PEEL.GradeScale
Finding = PEEL.Finding
AreaForImprovement = PEEL.AreaForImprovement
CauseOfConcern = PEEL.CauseOfConcern
Recommendation = PEEL.Recommendation
InnovativePractice = PEEL.InnovativePractice
MainFinding = PEEL.MainFinding
Metric = PEEL.Metric
Observation = PEEL.Observation
Initiative = PEEL.Initiative
SourceDocument = PEEL.SourceDocument
InspectionReport = PEEL.InspectionReport
WebSummary = PEEL.WebSummary
NewsArticle = PEEL.NewsArticle
PressRelease = PEEL.PressRelease
CarryOver = PEEL.CarryOver
Inspector = PEEL.Inspector
Person = PEEL.Person
GradeClaim = PEEL.GradeClaim
GradeCount = PEEL.GradeCount
Mapping = PEEL.Mapping
Unit = PEEL.Unit
Comparator = PEEL.Comparator
Mention = PEEL.Mention
FollowUp = PEEL.FollowUp
FollowUpStatus = PEEL.FollowUpStatus
Theme = PEEL.Theme
ThemeTag = PEEL.ThemeTag

# --- properties --------------------------------------------------------------
force = PEEL.force
inspection = PEEL.inspection
cycle = PEEL.cycle
assessment = PEEL.assessment
area = PEEL.area
carriedFrom = PEEL.carriedFrom
fromAssessment = PEEL.fromAssessment
grade = PEEL.grade
gradeStatement = PEEL.gradeStatement
statementForm = PEEL.statementForm
coversArea = PEEL.coversArea
graded = PEEL.graded
framework = PEEL.framework
gradeScale = PEEL.gradeScale
rank = PEEL.rank
startYear = PEEL.startYear
endYear = PEEL.endYear
inspector = PEEL.inspector
postNominals = PEEL.postNominals
sourceDocument = PEEL.sourceDocument
headline = PEEL.headline
body = PEEL.body
deadline = PEEL.deadline
addresses = PEEL.addresses
supersedes = PEEL.supersedes
revisionDate = PEEL.revisionDate
revisionReason = PEEL.revisionReason
revisionSpan = PEEL.revisionSpan
typeCode = PEEL.typeCode
span = PEEL.span
bodySpan = PEEL.bodySpan
path = PEEL.path
sha256 = PEEL.sha256
layout = PEEL.layout
thirdParty = PEEL.thirdParty
partial = PEEL.partial
ordinal = PEEL.ordinal
count = PEEL["count"]  # PEEL.count would be str.count
gradeText = PEEL.gradeText
role = PEEL.role
mapsFrom = PEEL.mapsFrom
mapsTo = PEEL.mapsTo
mappingRelation = PEEL.mappingRelation
metric = PEEL.metric
value = PEEL["value"]
unit = PEEL.unit
unitMultiplier = PEEL.unitMultiplier
metricText = PEEL.metricText
periodKind = PEEL.periodKind
periodStart = PEEL.periodStart
periodEnd = PEEL.periodEnd
periodLength = PEEL.periodLength
periodText = PEEL.periodText
comparator = PEEL.comparator
comparatorKind = PEEL.comparatorKind
comparison = PEEL.comparison
rangeLow = PEEL.rangeLow
rangeHigh = PEEL.rangeHigh
confidenceInterval = PEEL.confidenceInterval
confidenceUnit = PEEL.confidenceUnit
numerator = PEEL.numerator
denominator = PEEL.denominator
counted = PEEL.counted
betterWhen = PEEL.betterWhen
finding = PEEL.finding
mention = PEEL.mention
initiativeKind = PEEL.initiativeKind
partner = PEEL.partner
innovative = PEEL.innovative
developedInto = PEEL.developedInto
matchPattern = PEEL.matchPattern
earlier = PEEL.earlier
later = PEEL.later
followUpStatus = PEEL.followUpStatus
linkMethod = PEEL.linkMethod
score = PEEL.score
earlierType = PEEL.earlierType
knownOnlyThrough = PEEL.knownOnlyThrough
earlierText = PEEL.earlierText
earlierSpan = PEEL.earlierSpan
theme = PEEL.theme
tagged = PEEL.tagged
matchedTerm = PEEL.matchedTerm

#: Finding classes by the type code used in queries and on the CLI.
FINDING_TYPES: dict[str, URIRef] = {
    "area-for-improvement": AreaForImprovement,
    "cause-of-concern": CauseOfConcern,
    "recommendation": Recommendation,
    "innovative-practice": InnovativePractice,
    "main-finding": MainFinding,
}

#: Follow-up statuses by the code used in queries and on the CLI (ontology/peel.ttl).
Remains = PEEL.Remains
PartlyAddressed = PEEL.PartlyAddressed
Addressed = PEEL.Addressed
Escalated = PEEL.Escalated
New = PEEL.New
FOLLOW_UP_STATUSES: dict[str, URIRef] = {
    "remains": Remains,
    "partly-addressed": PartlyAddressed,
    "addressed": Addressed,
    "escalated": Escalated,
    "new": New,
}

#: How a follow-up link was found (the literal value of ``peel:linkMethod``).
EXPLICIT, SIMILARITY, ABSENCE = "explicit", "similarity", "absence"

#: The named graph of what is derived across sources: follow-up links, theme tags.
LINKS_GRAPH = GRAPH["links"]

#: Source document classes by the manifest's ``kind`` field.
SOURCE_KINDS: dict[str, URIRef] = {
    "inspection-report": InspectionReport,
    "web-summary": WebSummary,
    "news-article": NewsArticle,
    "press-release": PressRelease,
}

#: Source kinds whose statements are claims attributed to them, not the inspectorate's judgments.
SECONDARY_KINDS = frozenset({"news-article", "press-release"})

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case ASCII slug: 'Responding to the public' -> 'responding-to-the-public'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def mint(kind: str, *parts: str | int) -> URIRef:
    """Mint the IRI of an instance: ``mint("force", "Northamptonshire Police")``.

    Every part is slugged, so the IRI depends only on the names and numbers
    given: the same corpus always yields the same IRIs.
    """
    if not parts:
        raise ValueError("mint needs at least one part after the kind")
    segments = [slug(kind)] + [slug(str(p)) for p in parts]
    if any(not s for s in segments):
        raise ValueError(f"cannot mint an IRI from empty parts: {kind!r}, {parts!r}")
    return ID["/".join(segments)]


def fragment(resource: URIRef, name: str) -> URIRef:
    """An IRI for a node that belongs to ``resource`` (a span, a selector)."""
    return URIRef(f"{resource}#{slug(name)}")


def graph_for(source_stem: str) -> URIRef:
    """The named graph of one source document."""
    return GRAPH[slug(source_stem)]
