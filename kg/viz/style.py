"""How the related graph is drawn, shared by the page and the image: colours by
assessment, shapes by finding type, line styles by link kind."""

from __future__ import annotations

from typing import Any

#: Colours of the eight PEEL assessments, by start year (ColorBrewer Dark2 and one more).
ASSESSMENT_COLOURS = {
    2014: "#a6761d",
    2015: "#e7298a",
    2016: "#7570b3",
    2017: "#66a61e",
    2018: "#e6ab02",
    2021: "#1f78b4",
    2023: "#d95f02",
    2025: "#1b9e77",
}
SPARE_COLOURS = ("#6a3d9a", "#b15928", "#fb9a99", "#33a02c")
UNKNOWN_COLOUR = "#888888"

#: Node colours of the kinds that belong to no assessment.
KIND_COLOURS = {"area": "#607d8b", "theme": "#b0b0b0", "initiative": "#263238"}

#: (name, page shape, matplotlib marker) by finding type; judgments are wide rectangles.
TYPE_SHAPES: dict[str, tuple[str, str, str]] = {
    "main-finding": ("main finding", "circle", "o"),
    "area-for-improvement": ("area for improvement", "diamond", "D"),
    "cause-of-concern": ("cause of concern", "triangle", "^"),
    "recommendation": ("recommendation", "square", "s"),
    "innovative-practice": ("innovative practice", "hexagon", "h"),
    "judgment": ("judgment (graded)", "rectangle", "rectangle"),
}

STATUS_COLOURS = {
    "remains": "#ef6c00",
    "partly-addressed": "#f9a825",
    "addressed": "#2e7d32",
    "escalated": "#c62828",
    "new": "#1565c0",
}
NO_STATUS_COLOUR = "#616161"

#: name, colour (follows-up: by status), dashed, width, arrow, (out title, in title).
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "follows-up": {
        "name": "follows up (later → earlier)",
        "colour": NO_STATUS_COLOUR,
        "dashed": False,
        "width": 2.5,
        "arrow": True,
        "titles": ("Follows up", "Followed up by"),
    },
    "shares-theme": {
        "name": "about a theme",
        "colour": "#9575cd",
        "dashed": True,
        "width": 1.0,
        "arrow": False,
        "titles": ("Themes", "Findings and initiatives about it"),
    },
    "mentions-initiative": {
        "name": "mentions an initiative",
        "colour": "#26a69a",
        "dashed": True,
        "width": 1.0,
        "arrow": False,
        "titles": ("Initiatives it mentions", "Findings that mention it"),
    },
    "in-area": {
        "name": "in an assessment area",
        "colour": "#c5ccd0",
        "dashed": False,
        "width": 0.6,
        "arrow": False,
        "titles": ("Area", "Findings and judgments in it"),
    },
}


def assessment_colours(years: dict[str, int]) -> dict[str, str]:
    """A colour for each assessment label, given the start year of each."""
    spare = iter(SPARE_COLOURS)
    out = {}
    for label, year in sorted(years.items(), key=lambda kv: (kv[1], kv[0])):
        out[label] = ASSESSMENT_COLOURS.get(year) or next(spare, UNKNOWN_COLOUR)
    return out


def node_colour(attrs: dict[str, Any], colours: dict[str, str]) -> str:
    """The colour of a node: its assessment's for findings and judgments."""
    if attrs.get("kind") in KIND_COLOURS:
        return KIND_COLOURS[attrs["kind"]]
    return colours.get(attrs.get("assessment", ""), UNKNOWN_COLOUR)


def shape_key(attrs: dict[str, Any]) -> str:
    """The key of TYPE_SHAPES for a finding or judgment; '' for other kinds (circles)."""
    if attrs.get("kind") == "judgment":
        return "judgment"
    return str(attrs.get("type", "")) if attrs.get("kind") == "finding" else ""


def edge_colour(kind: str, status: str | None) -> str:
    """The colour of a link: follow-ups by status, the rest by kind."""
    if kind == "follows-up":
        return STATUS_COLOURS.get(status or "", NO_STATUS_COLOUR)
    return str(EDGE_STYLES.get(kind, {}).get("colour", "#999999"))
