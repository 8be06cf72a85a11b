"""The layouts peel-kg can read: each names a reader and an extractor.

A manifest entry's ``layout`` picks one. Adding a layout means adding a
reader under kg/read/ and an extractor under kg/extract/, and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.errors import LayoutError
from kg.extract.facts import SourceFacts
from kg.extract.news import extract_article
from kg.extract.report import extract_report
from kg.extract.web import extract_web_2014, extract_web_2016
from kg.read.news import read_article
from kg.read.report import read_report
from kg.read.web import read_web_page
from kg.reference import Reference
from kg.sources import SourceText


@dataclass(frozen=True)
class Layout:
    """How to turn one source of a layout into facts."""

    name: str
    description: str
    process: Callable[[SourceText, Reference], SourceFacts]


def _full_report(st: SourceText, ref: Reference) -> SourceFacts:
    cycle = ref.cycle(st.source.cycle)
    doc = read_report(st.text, st.source.force, cycle)
    return extract_report(doc, st.source.relpath, st.source.force, cycle)


def _web_2014(st: SourceText, ref: Reference) -> SourceFacts:
    cycle = ref.cycle(st.source.cycle)
    doc = read_web_page(st.text, cycle.years)
    return extract_web_2014(doc, st.source.relpath, st.source.force, cycle)


def _web_2016(st: SourceText, ref: Reference) -> SourceFacts:
    cycle = ref.cycle(st.source.cycle)
    doc = read_web_page(st.text, cycle.years)
    return extract_web_2016(doc, st.source.relpath, st.source.force, cycle)


def _news(st: SourceText, ref: Reference) -> SourceFacts:
    cycle = ref.cycle(st.source.cycle)
    return extract_article(read_article(st.text), st.source.relpath, st.source.force, cycle, ref)


LAYOUTS: dict[str, Layout] = {
    "peel-report-2023": Layout(
        "peel-report-2023",
        "PEEL full report text, 2021/22 to 2023–25: one paragraph a line, each area's grade "
        "word on its own line at the end of its section",
        _full_report,
    ),
    "peel-report-2025": Layout(
        "peel-report-2025",
        "PEEL full report text, 2025–27 onwards: blank lines, a contents list, a judgments "
        "table, each area's grade before its section",
        _full_report,
    ),
    "hmic-web-2014": Layout(
        "hmic-web-2014",
        "HMIC PEEL 2014 web page: judgments in sentences ('is good at …') under a pillar heading "
        "dated 'Last updated', question headings below",
        _web_2014,
    ),
    "hmic-web-2016": Layout(
        "hmic-web-2016",
        "HMIC PEEL 2015–17 web summary: pillar judgments stated at the top and in each dated "
        "pillar section, an ungraded leadership section",
        _web_2016,
    ),
    "news-article": Layout(
        "news-article",
        "A news article on an inspection: a bulleted list of areas and grades, counts of grades "
        "for earlier cycles, named people; its grades become claims attributed to the article",
        _news,
    ),
}


def layout(name: str, where: str) -> Layout:
    """The layout called ``name``; LayoutError naming ``where`` if there is none."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise LayoutError(
            f"{where}: no reader for layout {name!r}; known layouts: {', '.join(sorted(LAYOUTS))}"
        ) from None
