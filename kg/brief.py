"""The briefing: what changed for one force since its previous inspection, from the graph alone.

Every statement comes from a canned query (``what-changed``, ``persisting-findings``,
``figures``, ``initiatives``) and every statement that rests on a passage of a source
names it: the file and the character range, linked. Grades of different frameworks are
compared only through a crosswalk mapping, whose relation is shown; without one, the
briefing says the grades are not compared.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from kg.errors import QueryError
from kg.queries import bound_text, get_query
from kg.read.blocks import clean
from kg.store import GraphStore

FORMATS = ("md", "html")
#: How many figures the briefing shows under 'Figures that moved most'.
TOP_FIGURES = 5


@dataclass(frozen=True)
class Source:
    """A passage of a source: file and character range."""

    file: str
    start: int
    end: int

    def label(self) -> str:
        return f"{self.file}, characters {self.start}–{self.end}"


@dataclass
class Line:
    """One statement of the briefing, and the passages it rests on."""

    text: str
    sources: list[Source] = field(default_factory=list)


@dataclass
class Briefing:
    """The briefing's content, before it is written as Markdown or HTML."""

    force: str
    earlier: str
    later: str
    grades: list[Line]
    still_open: list[Line]
    escalated: list[Line]
    figures: list[Line]
    initiatives: list[Line]


def _rows(store: GraphStore, name: str, params: dict[str, str]) -> list[dict[str, str]]:
    text = bound_text(get_query(name), params, store=store)
    return [{k: str(v) for k, v in row.items()} for row in store.rows(text)]


def _source(row: dict[str, str]) -> list[Source]:
    if "file" in row and "start" in row:
        return [Source(row["file"], int(row["start"]), int(row["end"]))]
    return []


def build_briefing(store: GraphStore, force: str, assessment: str | None = None) -> Briefing:
    """The briefing of ``force`` for ``assessment`` (default: its latest assessment in the
    graph) against the force's previous assessment with judgments in the graph."""
    params = {"force": force, **({"to": assessment} if assessment else {})}
    changed = _rows(store, "what-changed", params)
    if not changed:
        raise QueryError(
            f"no two assessments of {force!r} with judgments in the graph"
            + (f" ending with {assessment}" if assessment else "")
            + "; see `peel-kg query run inspections` for the forces and assessments built"
        )
    earlier, later = changed[0]["from"], changed[0]["to"]
    return Briefing(
        changed[0].get("force") or force,  # its name in the graph: 'Northants' names it too
        earlier,
        later,
        _grades(changed),
        *_follow_ups(store, force, earlier, later),
        _figures(store, force, earlier, later),
        _initiatives(store, force, earlier, later),
    )


def _grades(rows: list[dict[str, str]]) -> list[Line]:
    """One line per area: the grade then and now, and the crosswalk relation between them."""
    out = []
    for r in rows:
        then, now, rel = r.get("gradeThen", ""), r["gradeNow"], r.get("relation", "")
        area = r["area"]
        if not then:
            text = f"{area}: {now} (no earlier grade that the crosswalk maps to this area)"
        elif " | " in then:
            text = f"{area}: {now}; then, on the areas the crosswalk maps to it ({rel}): {then}"
        else:
            grade, _, where = then.partition(" (")
            on = f" on {where.rstrip(')')}" if where else ""
            verb = f"stays {now}" if grade == now else f"moved from {grade} to {now}"
            text = f"{area}: {verb} (then{on}; crosswalk: {rel})"
        out.append(Line(text, _source(r)))
    return out


def _follow_ups(
    store: GraphStore, force: str, earlier: str, later: str
) -> tuple[list[Line], list[Line]]:
    still: list[Line] = []
    escalated: list[Line] = []
    for r in _rows(store, "persisting-findings", {"force": force}):
        if r["laterAssessment"] != later or r["earlierAssessment"] != earlier:
            continue
        head = r.get("later") or r["earlier"]
        if r["method"] == "explicit":
            text = f"{r['area']}: {head} ({r['status']}; the report: “{clean(r['evidence'])}”)"
        else:
            text = f"{r['area']}: {head} ({r['status']}; {r['evidence']})"
        line = Line(text, _source(r))
        (escalated if r["status"] == "escalated" else still).append(line)
    return still, escalated


def _figures(store: GraphStore, force: str, earlier: str, later: str) -> list[Line]:
    """The metrics whose figures changed most (relative change) between the earliest and
    the latest period the two assessments' reports state, in the same unit."""
    series: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for r in _rows(store, "figures", {"force": force}):
        if r["assessment"] in (earlier, later) and r.get("periodEnd"):
            series[(r["metric"], r["unit"])].append(r)
    moved = []
    for (metric, unit), rows in series.items():
        rows.sort(key=lambda r: (r["periodEnd"], int(r["start"])))
        first, last = rows[0], rows[-1]
        try:
            a, b = Decimal(first["value"]), Decimal(last["value"])
        except InvalidOperation:
            continue
        if first["periodEnd"] == last["periodEnd"] or a == b:
            continue
        change = abs(b - a) / abs(a) if a else Decimal("Infinity")
        text = (
            f"{metric}: {first['value']} {unit} (period ending {first['periodEnd']}) → "
            f"{last['value']} {unit} (period ending {last['periodEnd']})"
        )
        moved.append((change, metric, Line(text, _source(first) + _source(last))))
    moved.sort(key=lambda m: (-m[0], m[1]))
    return [line for _, _, line in moved[:TOP_FIGURES]]


def _initiatives(store: GraphStore, force: str, earlier: str, later: str) -> list[Line]:
    """Initiatives the later report names: continuing when the earlier report named them too,
    else first named in the later one; each with its first mention in the later report."""
    continuing, first = [], []
    for r in _rows(store, "initiatives", {"force": force}):
        named = [a.strip() for a in r.get("assessments", "").split(",")]
        if later not in named:
            continue
        mentions = _rows(store, "initiative-mentions", {"initiative": r["initiative"]})
        at = [m for m in mentions if m["assessment"] == later][:1]
        innovative = ", innovative practice" if r.get("innovative") == "true" else ""
        head = f"{r['initiative']} ({r.get('kind', '')}{innovative})"
        if earlier in named:
            continuing.append(Line(f"{head}: continuing, also named in {earlier}", _sources(at)))
        else:
            first.append(Line(f"{head}: first named in {later}", _sources(at)))
    return continuing + first


def _sources(rows: list[dict[str, str]]) -> list[Source]:
    return [s for r in rows for s in _source(r)]


def sections(b: Briefing) -> list[tuple[str, list[Line], str]]:
    """The briefing's sections: heading, lines, and what to say when there are none."""
    return [
        ("Grades then and now", b.grades, "No graded areas."),
        ("Areas for improvement still open", b.still_open, "None that the graph links."),
        ("Escalated to a cause of concern", b.escalated, "None that the graph links."),
        ("Figures that moved most", b.figures, "No figure is stated for both periods."),
        ("Initiatives, new and continuing", b.initiatives, "No initiative is named."),
    ]


def title(b: Briefing) -> str:
    """The briefing's title."""
    return f"What changed for {b.force}: PEEL {b.earlier} to {b.later}"


def render(b: Briefing, fmt: str = "md") -> str:
    """The briefing as Markdown or as a self-contained HTML page."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown briefing format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "md":
        return _markdown(title(b), sections(b))
    return _html(title(b), sections(b))


def _markdown(title: str, sections: list[tuple[str, list[Line], str]]) -> str:
    out = [f"# {title}", ""]
    for heading, lines, empty in sections:
        out += [f"## {heading}", ""]
        out += [f"- {_md_line(line)}" for line in lines] or [f"{empty}"]
        out.append("")
    out.append("Generated by peel-kg from the graph alone; each source is a file and a range.")
    return "\n".join(out) + "\n"


def _md_line(line: Line) -> str:
    refs = " ".join(f"([{s.label()}]({s.file}))" for s in line.sources)
    return f"{line.text} {refs}".rstrip()


def _html(title: str, sections: list[tuple[str, list[Line], str]]) -> str:
    e = html.escape
    body = [f"<h1>{e(title)}</h1>"]
    for heading, lines, empty in sections:
        body.append(f"<h2>{e(heading)}</h2>")
        if not lines:
            body.append(f"<p>{e(empty)}</p>")
            continue
        items = []
        for line in lines:
            refs = " ".join(
                f'(<a href="{e(s.file)}" data-start="{s.start}" data-end="{s.end}">'
                f"{e(s.label())}</a>)"
                for s in line.sources
            )
            items.append(f"<li>{e(line.text)} {refs}</li>")
        body.append("<ul>" + "".join(items) + "</ul>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title></head><body>" + "".join(body) + "</body></html>\n"
    )


__all__ = ["FORMATS", "Briefing", "Line", "Source", "build_briefing", "render", "sections", "title"]
