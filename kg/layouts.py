"""The layouts peel-kg can read: each names a reader, an extractor and the assessments it fits.

A manifest entry's ``layout`` picks one; without it the layout is detected from
the text (:func:`kg.read.detect.detect_layout`). The layouts are families, not
years: the wording of each year and force is data (ontology/wording/). Adding a
layout means adding a reader under kg/read/, an extractor under kg/extract/, a
wording file, and one entry here. The names earlier manifests used
(``hmic-web-2014``, ``hmic-web-2016``, ``peel-report-2023``, ``peel-report-2025``)
are kept as aliases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.errors import LayoutError
from kg.extract.facts import SourceFacts
from kg.extract.followups import read_follow_ups
from kg.extract.news import extract_article
from kg.extract.report import extract_report
from kg.extract.web import extract_web
from kg.read.news import read_article
from kg.read.report import read_report
from kg.read.web import read_web_page
from kg.reference import AssessmentInfo, Reference
from kg.sources import SourceText


@dataclass(frozen=True)
class Job:
    """One source to read: its text, the force (its name in ontology/forces.ttl when
    known) and the assessment."""

    text: SourceText
    force: str
    assessment: AssessmentInfo
    ref: Reference

    @property
    def file(self) -> str:
        """The source's path as recorded in the graph."""
        return self.text.source.relpath


@dataclass(frozen=True)
class Layout:
    """How to turn one source of a layout family into facts."""

    name: str
    family: str  # the wording file: ontology/wording/<family>.yaml
    description: str
    example: str  # how the layout words a grade
    assessments: tuple[str, ...]  # notations of the assessments it fits; () for any
    kinds: tuple[str, ...]  # the manifest kinds it fits
    process: Callable[[Job], SourceFacts]


def _web(job: Job) -> SourceFacts:
    page = read_web_page(job.text.text, job.assessment.cycle)
    facts = extract_web(page, job.file, job.force, job.assessment, job.ref)
    read_follow_ups(page.doc.blocks, facts, job.ref, job.file)
    return facts


def _report(job: Job) -> SourceFacts:
    doc = read_report(job.text.text, job.ref.subject(job.force), job.assessment.cycle)
    facts = extract_report(doc, job.file, job.force, job.assessment, job.ref)
    _check_whole(job, facts)
    read_follow_ups(doc.blocks, facts, job.ref, job.file)
    return facts


def _check_whole(job: Job, facts: SourceFacts) -> None:
    """A report that looks cut short (no area section, fewer sections of graded areas than
    it says it grades, a judgments table grading an area with no section) is refused,
    naming the graded areas of its framework it has no section for, unless the manifest
    marks it ``partial`` (then it is recorded as peel:partial: kg.process)."""
    if job.text.source.partial or not facts.cut_short:
        return
    found = {a.concept for a in facts.areas if a.concept is not None}
    lacking = [a.label for a in job.assessment.cycle.areas if a.graded and a not in found]
    raise LayoutError(
        f"{job.text.source.path}: the text looks cut short ({facts.cut_short}): it has no "
        f"section for {'; '.join(lacking) or 'some areas'} of the "
        f"{job.assessment.cycle.label} framework. Give the whole report, or add "
        "'partial = true' to its manifest entry to build what the text holds"
    )


def _news(job: Job) -> SourceFacts:
    return extract_article(
        read_article(job.text.text), job.file, job.force, job.assessment, job.ref
    )


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout(
            "hmic-web",
            "web",
            "HMIC and HMICFRS PEEL web pages, 2014 to 2018/19: a force's overview page and its "
            "pillar pages, with 'Last updated' sections, pillar and question headings, grade "
            "lines, grade sentences, areas for improvement and carried-over judgments",
            "The extent to which the constabulary is effective at keeping people safe and "
            "reducing crime is good.",
            ("2014", "2015", "2016", "2017", "2018-19"),
            ("web-summary",),
            _web,
        ),
        Layout(
            "peel-report",
            "report",
            "HMICFRS full PEEL report text, 2021/22, 2023–25 and 2025–27: area sections with "
            "their grade line (before or after the section), grade sentence, findings and "
            "figures; a judgments table when the text kept it",
            "Borsetshire Constabulary is adequate at responding to the public.",
            ("2021-22", "2023-25", "2025-27"),
            ("inspection-report",),
            _report,
        ),
        Layout(
            "news-article",
            "news",
            "A news item or a police and crime commissioner's page on an inspection: lists "
            "of areas and grades, grade sentences, counts of grades, named people",
            "Preventing crime – adequate",
            (),
            ("news-article",),
            _news,
        ),
        Layout(
            "press-release",
            "news",
            "An HMICFRS press release on a force's inspection: counts of grades, the areas "
            "named with them, graded bullets, the HM Inspector quoted",
            "found the force was ‘good’ in two areas and ‘inadequate’ in one area – "
            "responding to the public",
            (),
            ("press-release",),
            _news,
        ),
    )
}

#: Layout names of earlier manifests, read by the family that replaced them.
ALIASES = {
    "hmic-web-2014": "hmic-web",
    "hmic-web-2016": "hmic-web",
    "peel-report-2023": "peel-report",
    "peel-report-2025": "peel-report",
}


def layout(name: str, where: str) -> Layout:
    """The layout called ``name`` (or an alias); LayoutError naming ``where`` if none."""
    try:
        return LAYOUTS[ALIASES.get(name, name)]
    except KeyError:
        raise LayoutError(
            f"{where}: no reader for layout {name!r}; known layouts: {', '.join(sorted(LAYOUTS))}"
        ) from None


def check_fit(lay: Layout, assessment: AssessmentInfo, kind: str, where: str) -> None:
    """LayoutError naming ``where`` if ``lay`` cannot be of ``assessment`` or ``kind``."""
    if lay.assessments and assessment.notation not in lay.assessments:
        raise LayoutError(
            f"{where}: the layout {lay.name!r} is used for the assessments "
            f"{', '.join(lay.assessments)}, not {assessment.label}; check the manifest's "
            "layout and assessment"
        )
    if kind not in lay.kinds:
        raise LayoutError(
            f"{where}: the layout {lay.name!r} is for documents of kind "
            f"{' or '.join(lay.kinds)}, not {kind!r}; check the manifest's layout and kind"
        )


__all__ = ["ALIASES", "LAYOUTS", "Job", "Layout", "check_fit", "layout"]
