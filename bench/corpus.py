"""Write a synthetic national corpus of PEEL texts, for benchmarks at national scale.

For the first N forces of ontology/forces.ttl (sorted by name) and every assessment of
ontology/assessments.ttl: an HMIC web page (``hmic-web``) for 2014 to 2018/19, a full
report (``peel-report``) for 2021/22, 2023–25 and 2025–27, and for some forces and
assessments a press release (``press-release``) and a news item (``news-article``), with
a ``manifest.toml`` naming them (the format of data/manifest.toml). The texts are made
from the templates of bench/corpus-templates.yaml and a random generator seeded per
force and assessment, so the same seed gives the same bytes; no real report text is
used beyond the fixed headings a layout needs. Grades, findings, figures, initiatives
and back-references to the previous assessment's findings vary by force.

    python bench/corpus.py --forces 1|10|43 --out DIR [--seed 1]

Prints the number of documents written. The corpus is for a temporary folder: never
commit it.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef
from rdflib.namespace import SKOS

from kg import vocab
from kg.reference import AreaConcept, AssessmentInfo, Reference, load_reference, normalise_label
from kg.wording import load_common

TEMPLATES = Path(__file__).with_name("corpus-templates.yaml")

#: When each assessment's texts are dated (the manifest's ``published``) and the
#: year its figures end in.
PUBLISHED = {
    "2014": "2014-11",
    "2015": "2016-02",
    "2016": "2017-03",
    "2017": "2018-03",
    "2018-19": "2019-09",
    "2021-22": "2022-06",
    "2023-25": "2024-06",
    "2025-27": "2026-06",
}
#: How each report states its assessment ('PEEL 2023–2025').
REPORT_TITLE = {"2021-22": "PEEL 2021/22", "2023-25": "PEEL 2023–2025", "2025-27": "PEEL 2025–27"}
#: Report areas in the order a report gives them, by framework (graded areas only).
REPORT_AREAS = {
    "2021-22": [
        "treatment-of-the-public", "preventing-crime", "responding-to-the-public",
        "investigating-crime", "protecting-vulnerable-people", "managing-offenders",
        "serious-organised-crime", "developing-workforce", "good-use-of-resources",
        "recording-data-about-crime",
    ],
    "2023-25": [
        "police-powers", "preventing-crime", "responding-to-the-public", "investigating-crime",
        "protecting-vulnerable-people", "managing-offenders", "developing-workforce",
        "leadership", "recording-data-about-crime",
    ],
    "2025-27": [
        "leadership", "workforce", "police-powers", "preventing-crime",
        "responding-to-the-public", "investigating-crime", "safeguarding", "managing-fraud",
        "custody",
    ],
}  # fmt: skip
#: The 2016 and 2017 pages ask the same questions.
_QUESTIONS_2016_17 = {
    "effectiveness": ["preventing-crime", "investigating-crime",
                      "protecting-vulnerable-people", "serious-organised-crime",
                      "specialist-capabilities"],
    "efficiency": ["understanding-demand", "use-of-resources", "planning-for-the-future"],
    "legitimacy": ["treatment-of-the-public", "ethical-workforce",
                   "treatment-of-the-workforce"],
}  # fmt: skip
#: Web pages: each pillar and its questions, by assessment ('!' marks a question whose
#: judgment a 2018/19 page may carry over from an earlier assessment).
WEB_AREAS = {
    "2014": {
        "effectiveness": ["reducing-crime", "investigating-offending", "tackling-asb",
                          "protecting-vulnerable", "serious-organised-crime",
                          "strategic-policing-requirement"],
        "efficiency": ["force-efficiency", "financial-position", "affordable-policing"],
        "legitimacy": ["workforce-integrity"],
    },
    "2015": {
        "effectiveness": ["preventing-crime", "investigating-crime",
                          "protecting-vulnerable-people", "serious-organised-crime"],
        "efficiency": ["understanding-demand", "use-of-resources", "workforce-model",
                       "financial-position"],
        "legitimacy": ["engaging-with-the-public", "ethical-workforce",
                       "treatment-of-the-workforce"],
    },
    "2016": _QUESTIONS_2016_17,
    "2017": _QUESTIONS_2016_17,
    "2018-19": {
        "effectiveness": ["!preventing-crime", "investigating-crime",
                          "protecting-vulnerable-people", "!serious-organised-crime",
                          "specialist-capabilities"],
        "efficiency": ["use-of-resources", "planning-for-the-future"],
        "legitimacy": ["treatment-of-the-public", "ethical-workforce",
                       "treatment-of-the-workforce"],
    },
}  # fmt: skip
#: A later framework's area and the earlier one whose findings it follows up.
EARLIER_AREA = {"workforce": "developing-workforce", "safeguarding": "protecting-vulnerable-people"}


def _grade_words() -> dict[str, str]:
    """Grade words as the five-point scale writes them (ontology/grades.ttl), best first."""
    ref = load_reference()
    ranked = sorted(
        ref.assessment("2025-27").cycle.grades.items(),
        key=lambda kv: int(str(ref.graph.value(kv[1], vocab.rank))),
    )
    return {notation: str(ref.graph.value(iri, SKOS.prefLabel)) for notation, iri in ranked}


GRADE_WORDS = _grade_words()
#: Grade weights: a force's grades lean on its strength (0 weak … 2 strong).
WEIGHTS_5 = {
    0: [1, 12, 30, 40, 17],
    1: [4, 30, 40, 22, 4],
    2: [12, 48, 30, 9, 1],
}
WEIGHTS_4 = {0: [1, 35, 52, 12], 1: [5, 60, 32, 3], 2: [14, 70, 15, 1]}
#: Words for numbers, ordinals and months, as ontology/wording/common.yaml lists them.
ORDINAL = {n: word for word, n in load_common().ordinals.items()}
NUMBER_WORDS = ["no"] + [
    word for word, _ in sorted(load_common().numbers.items(), key=lambda kv: kv[1])
]
MONTHS = [month.capitalize() for month in load_common().months]


@dataclass
class Doc:
    """One generated document and its manifest fields."""

    name: str
    text: str
    force: str
    assessment: str
    layout: str
    kind: str
    published: str
    description: str
    publisher: str
    third_party: bool = False


@dataclass
class ForceState:
    """What one force's earlier texts said, for the later ones to refer back to."""

    label: str
    index: int
    strength: int
    initiatives: list[str]
    grades: dict[str, dict[str, str]] = field(default_factory=dict)  # assessment -> area -> grade
    afis: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict
    )  # assessment -> (area, words)


class Writer:
    """Fills templates with a seeded random generator."""

    def __init__(self, t: dict[str, Any], rng: random.Random, force: ForceState) -> None:
        self.t, self.rng, self.force = t, rng, force

    def pick(self, options: list[Any]) -> Any:
        return options[self.rng.randrange(len(options))]

    def topics(self, area: str) -> list[str]:
        return self.t["topics"].get(area) or self.t["topics"]["general"]

    def fill(self, template: str, **values: Any) -> str:
        values.setdefault("force", self.force.label)
        values.setdefault(
            "the_force",
            self.pick(["the force", "the force", "the constabulary"])
            if "Constabulary" in self.force.label
            else "the force",
        )
        values.setdefault("topic_noun", values.get("topic", ""))
        return template.format(**values)

    def paragraph(self, kind: str, topic: str, **values: Any) -> str:
        return self.fill(self.pick(self.t["paragraphs"][kind]), topic=topic, **values)


def _grade(rng: random.Random, strength: int, five: bool) -> str:
    if five:
        grades = ["outstanding", "good", "adequate", "requires-improvement", "inadequate"]
        return rng.choices(grades, WEIGHTS_5[strength])[0]
    grades = ["outstanding", "good", "requires-improvement", "inadequate"]
    return rng.choices(grades, WEIGHTS_4[strength])[0]


def _lc(text: str) -> str:
    return text[0].lower() + text[1:] if text else text


def _initiative(t: dict[str, Any], rng: random.Random) -> str:
    form = rng.choice(t["initiative_forms"])
    return form.format(
        bird=rng.choice(t["birds"]),
        place=rng.choice(t["places"]),
        word=rng.choice(t["scheme_words"]),
        unit=rng.choice(t["unit_words"]),
    )


def _person(t: dict[str, Any], rng: random.Random) -> str:
    return f"{rng.choice(t['first_names'])} {rng.choice(t['last_names'])}"


# --- full reports ---------------------------------------------------------------------


def _figure(w: Writer, area: str, year: int) -> str | None:
    """One figure sentence of a metric that belongs to ``area``, or None."""
    fits = [f for f in w.t["figures"] if area in f["areas"]]
    if not fits:
        return None
    f = w.pick(fits)
    month = w.pick(["31 March", "30 June", "30 September", "31 December"])
    values: dict[str, Any] = {"period": f"the year ending {month} {year}", "year": year}
    for key in ("pct", "r", "x"):
        if key in f:
            lo, hi = f[key]
            values[key] = f"{w.rng.uniform(lo, hi):.1f}"
    for key in ("n", "m"):
        if key in f:
            lo, hi = f[key]
            values[key] = f"{w.rng.randint(lo, hi):,}"
    return w.fill(f["text"], **values)


def _audit(w: Writer, area: str) -> str:
    done = w.t["audit_done"].get(area) or w.t["audit_done"]["general"]
    b = w.rng.randint(12, 90)
    a = w.rng.randint(b // 2, b)
    return w.fill(w.pick(w.t["paragraphs"]["audit"]), topic_done=w.pick(done), a=a, b=b)


def _body(
    w: Writer, area: str, topic: str, tone: str, n: int, year: int, figures: list[int]
) -> list[str]:
    """``n`` body paragraphs of a finding: templates of its tone, figures and initiatives."""
    out = []
    for i in range(n):
        roll = w.rng.random()
        if i == 0:
            para = w.paragraph(tone, topic)
        elif roll < 0.30:
            fig = _figure(w, area, year)
            para = f"{fig} {w.paragraph('neutral', topic)}" if fig else _audit(w, area)
            figures[0] += 1
        elif roll < 0.45:
            para = _audit(w, area)
            figures[0] += 1
        elif roll < 0.60:
            para = w.paragraph("initiative", topic, initiative=w.pick(w.force.initiatives))
        else:
            para = w.paragraph(w.pick(["positive", "negative", "neutral", tone]), topic)
        if w.rng.random() < 0.6:
            para = f"{para} {w.paragraph(w.pick(['positive', 'negative', tone]), topic)}"
        out.append(para)
    return out


def _headline(w: Writer, kind: str, topic: str, **values: Any) -> str:
    return w.fill(w.pick(w.t["headlines"][kind]), topic=topic, **values)


def _sentence(w: Writer, area: AreaConcept, grade: str) -> str:
    """The section's grade sentence."""
    subject = w.pick([w.force.label, w.force.label, "The force"])
    phrase = _lc(area.label)
    if grade == "requires-improvement":
        return f"{subject} requires improvement at {phrase}."
    if w.rng.random() < 0.3:
        return f"{w.force.label}’s {phrase} is {grade}."
    return f"{subject} is {grade} at {phrase}."


def _report(w: Writer, ref: Reference, a: AssessmentInfo) -> str:
    """A full PEEL report: title, contents, judgments table, summary, one section per area."""
    t, rng, force = w.t, w.rng, w.force
    areas = {c.notation: c for c in a.cycle.areas}
    order = [areas[n] for n in REPORT_AREAS[a.notation]]
    grade_first = a.notation == "2025-27"
    year = int(PUBLISHED[a.notation][:4]) - 1
    published = PUBLISHED[a.notation]
    grades = {c.notation: _grade(rng, force.strength, True) for c in order}
    force.grades[a.notation] = grades
    previous = _previous_afis(force, ref, a)
    afis: list[tuple[str, str]] = []
    figures = [0]
    lines: list[str] = [
        REPORT_TITLE[a.notation],
        "Police effectiveness, efficiency and legitimacy",
        f"An inspection of {force.label}",
        "Contents",
    ]
    lines += [f"Overall summary\t{1}", f"HM Inspector’s summary\t{2}"]
    lines += [f"{c.label}\t{4 + 6 * i}" for i, c in enumerate(order)]
    n = len(order)
    lines += [
        "Overall summary",
        "Our judgments",
        f"Our inspection assessed how good {force.label} is in {NUMBER_WORDS[n]} areas of "
        f"policing. We make graded judgments in {NUMBER_WORDS[n]} of these {NUMBER_WORDS[n]} "
        "as follows:",
    ]
    lines += _table(order, grades)
    lines.append(
        "We set out our detailed findings about things the force is doing well and where it "
        "should improve in the rest of this report."
    )
    lines.append(
        "HM Inspector’s observations" if a.notation == "2021-22" else "HM Inspector’s summary"
    )
    for _ in range(rng.randint(5, 9)):
        c = rng.choice(order)
        lines.append(
            w.paragraph(rng.choice(["positive", "negative"]), rng.choice(w.topics(c.notation)))
        )
    lines += [
        _person(t, rng) + rng.choice(t["post_nominals"]),
        rng.choice(["His Majesty’s Inspector of Constabulary", "HM Inspector of Constabulary"]),
    ]
    for c in order:
        grade = grades[c.notation]
        lines += _section(w, c, grade, grade_first, year, previous, afis, figures)
    lines += [
        "About the data",
        "The figures in this report come from the force, the Home Office and our own "
        "surveys. They are synthetic: this report was written by a benchmark generator.",
    ]
    month, yr = published.split("-")[1], published[:4]
    lines.append(f"{MONTHS[int(month) - 1]} {yr} | © HMICFRS {yr}")
    force.afis[a.notation] = afis
    return "\n\n".join(lines) + "\n"


def _table(order: list[AreaConcept], grades: dict[str, str]) -> list[str]:
    """The judgments table: grade words, then rows naming each area under its grade."""
    cols = list(GRADE_WORDS)
    by_col: dict[str, list[str]] = {g: [] for g in cols}
    for c in order:
        by_col[grades[c.notation]].append(c.label)
    rows = ["\t".join(GRADE_WORDS[g] for g in cols)]
    for i in range(max(len(v) for v in by_col.values())):
        rows.append("\t".join(by_col[g][i] if i < len(by_col[g]) else "" for g in cols))
    return rows


def _previous_afis(force: ForceState, ref: Reference, a: AssessmentInfo) -> dict[str, list[str]]:
    """The previous assessment's areas for improvement, by the area of this framework."""
    order = list(ref.assessments)
    before = order[order.index(a.notation) - 1]
    out: dict[str, list[str]] = {}
    for area, words in force.afis.get(before, []):
        out.setdefault(area, []).append(words)
    for later, earlier in EARLIER_AREA.items():
        if earlier in out and later not in out:
            out[later] = out[earlier]
    return out


def _section(
    w: Writer,
    c: AreaConcept,
    grade: str,
    grade_first: bool,
    year: int,
    previous: dict[str, list[str]],
    afis: list[tuple[str, str]],
    figures: list[int],
) -> list[str]:
    """One area section of a report."""
    rng, area = w.rng, c.notation
    topics = list(w.topics(area))
    rng.shuffle(topics)
    earlier = list(previous.get(area, []))
    lines = [c.label]
    if grade_first:
        lines.append(GRADE_WORDS[grade])
    lines.append(_sentence(w, c, grade))
    weak = grade in ("requires-improvement", "inadequate")
    if grade == "inadequate":
        lines.append("Cause of concern" if rng.random() < 0.7 else "Causes of concern")
        topic = topics.pop() if topics else rng.choice(w.topics(area))
        lines.append(_headline(w, "cause-of-concern", topic))
        body = _body(w, area, topic, "negative", rng.randint(3, 6), year, figures)
        if earlier:
            body.insert(
                0, w.fill(w.pick(w.t["followups"]["escalated"]), previous_lc=_lc(earlier.pop(0)))
            )
        lines += body
        lines.append("Recommendations")
        lines.append(
            w.pick(
                [
                    f"Within six months, {w.force.label} should:",
                    f"Within three months, {w.force.label} should:",
                ]
            )
        )
        recs = rng.sample(w.t["headlines"]["recommendation"], rng.randint(2, 4))
        for i, r in enumerate(recs):
            tail = "." if i == len(recs) - 1 else ("; and" if i == len(recs) - 2 else ";")
            lines.append(f"- {w.fill(r, topic=rng.choice(w.topics(area)))}{tail}")
    n_afi = rng.randint(1, 3) if weak else rng.choice([0, 0, 1, 1, 2])
    if n_afi:
        lines.append("Areas for improvement" if n_afi > 1 else "Area for improvement")
        for _ in range(n_afi):
            topic = topics.pop() if topics else rng.choice(w.topics(area))
            head = _headline(w, "area-for-improvement", topic)
            lines.append(head)
            afis.append((area, head))
            body = _body(w, area, topic, "negative", rng.randint(3, 5), year, figures)
            if earlier and rng.random() < 0.8:
                body.insert(
                    1, w.fill(w.pick(w.t["followups"]["remains"]), previous_lc=_lc(earlier.pop(0)))
                )
            lines += body
    if grade in ("outstanding", "good") and rng.random() < 0.6 or rng.random() < 0.15:
        lines.append("Innovative practice")
        topic = rng.choice(w.topics(area))
        initiative = rng.choice(w.force.initiatives)
        lines.append(_headline(w, "innovative-practice", topic, initiative=initiative))
        lines += [
            w.fill(p, initiative=initiative, topic=topic) for p in w.t["paragraphs"]["innovative"]
        ]
    lines.append("Main findings")
    lines.append(
        f"In this section, we set out our main findings that relate to how good the force is "
        f"at {_lc(c.label)}."
    )
    for _ in range(rng.randint(4, 8)):
        topic = topics.pop() if topics else rng.choice(w.topics(area))
        good = rng.random() < (0.35 if weak else 0.75)
        lines.append(_headline(w, "main-finding-good" if good else "main-finding-mixed", topic))
        body = _body(
            w, area, topic, "positive" if good else "negative", rng.randint(3, 6), year, figures
        )
        if earlier and good:
            status = rng.choice(["addressed", "partly"])
            body.insert(
                1, w.fill(w.pick(w.t["followups"][status]), previous_lc=_lc(earlier.pop(0)))
            )
        lines += body
    if not grade_first:
        lines.append(GRADE_WORDS[grade])
    return lines


# --- web pages, 2014 to 2018/19 ----------------------------------------------------------


def _web(w: Writer, ref: Reference, a: AssessmentInfo) -> str:
    """An HMIC PEEL web page: title, overview, observations, a section per pillar with
    its questions."""
    t, rng, force = w.t, w.rng, w.force
    areas = {c.notation: c for c in a.cycle.areas}
    plan = WEB_AREAS[a.notation]
    grades: dict[str, str] = {}
    earlier_grades = _earlier_web_grades(force, ref, a)
    published = PUBLISHED[a.notation]
    yr = int(published[:4])
    title_year = {"2018-19": "2018/19"}.get(a.notation, a.notation)
    whose = "HMICFRS’" if a.notation == "2018-19" else "HMIC’s"
    lines = [
        "Skip to content",
        f"{force.label} PEEL {title_year}",
        t["web"]["intro"].format(whose=whose, ordinal=ORDINAL[a.ordinal or 1], force=force.label),
    ]
    # grades first, so the overview can state the pillars'
    carried: dict[str, tuple[str, str]] = {}
    for pillar, questions in plan.items():
        qgrades = []
        for q in questions:
            name = q.lstrip("!")
            if not areas[name].graded:
                continue
            if q.startswith("!") and name in earlier_grades and rng.random() < 0.5:
                carried[name] = earlier_grades[name]
                continue
            grades[name] = _grade(rng, force.strength, False)
            qgrades.append(grades[name])
        if areas[pillar].graded:
            # the commonest question grade; a tie goes to the first question's (a set's
            # order would depend on string hashing, so the bytes would change per process)
            grades[pillar] = max(qgrades, key=qgrades.count) if qgrades else "good"
    force.grades[a.notation] = {**grades, **{k: v[1] for k, v in carried.items()}}
    if a.notation != "2014":
        for pillar, adjective in (
            ("effectiveness", "effective"),
            ("efficiency", "efficient"),
            ("legitimacy", "legitimate"),
        ):
            g = grades.get(pillar)
            if g:
                verb = "requires improvement" if g == "requires-improvement" else f"is {g}"
                lines.append(
                    f"The extent to which the force is {adjective} at keeping people "
                    f"safe and reducing crime {verb}."
                )
    inspector = _person(t, rng)
    lines += [
        f"{inspector}, Her Majesty’s Inspector of Constabulary",
        f"Contact {inspector}",
        "HMI's observations",
    ]
    obs = t["web"]["observations"]
    lines += [w.fill(o, topic=rng.choice(w.topics("general"))) for o in obs]
    lines.append(w.fill(t["web"]["context"], people=f"{rng.uniform(0.4, 3.0):.1f}"))
    afis: list[tuple[str, str]] = []
    day = 1
    for pillar, questions in plan.items():
        lines.append(areas[pillar].label)
        day = day % 27 + 1 + rng.randint(0, 2)
        month = rng.randint(1, 12) if a.notation != "2014" else rng.randint(9, 11)
        lines.append(f"Last updated {day:02d}/{month:02d}/{yr if a.notation != '2014' else 2014}")
        if pillar in grades:
            lines.append(GRADE_WORDS[grades[pillar]])
        if grades.get(pillar) == "inadequate":
            lines.append("Cause of concern")
            lines.append(w.fill(t["web"]["concern"], topic=rng.choice(w.topics("general"))))
        for _ in range(rng.randint(2, 4)):
            lines.append(
                w.fill(rng.choice(t["web"]["section"]), topic=rng.choice(w.topics("general")))
            )
        lines.append(f"Questions for {areas[pillar].label}")
        for i, q in enumerate(questions, 1):
            name = q.lstrip("!")
            c = areas[name]
            lines += [str(i), c.label]
            if name in carried:
                source, g = carried[name]
                lines.append(GRADE_WORDS[g])
                lines.append(
                    f"This question was not subject to detailed inspection in 2018/19, "
                    f"and our judgment from the {source} {pillar} inspection has been "
                    "carried over."
                )
                continue
            if name in grades:
                lines.append(GRADE_WORDS[grades[name]])
            topics = w.topics(_topic_key(name))
            for _ in range(rng.randint(2, 4)):
                lines.append(w.fill(rng.choice(t["web"]["section"]), topic=rng.choice(topics)))
            if name in grades and (
                grades[name] in ("requires-improvement", "inadequate") or rng.random() < 0.4
            ):
                lines.append("Areas for improvement")
                for topic in rng.sample(topics, min(len(topics), rng.randint(1, 3))):
                    bullet = w.fill(t["web"]["afi"], topic=topic)
                    lines.append(f"  • {bullet}")
                    afis.append((name, bullet.rstrip(".")))
            if grades.get(name) == "inadequate":
                lines.append("Cause of concern")
                lines.append(w.fill(t["web"]["concern"], topic=rng.choice(topics)))
    force.afis[a.notation] = afis
    return "\n\n".join(lines) + "\n"


def _topic_key(question: str) -> str:
    """The topics key of a 2014–2018/19 question."""
    return {
        "reducing-crime": "preventing-crime",
        "tackling-asb": "preventing-crime",
        "investigating-offending": "investigating-crime",
        "protecting-vulnerable": "protecting-vulnerable-people",
        "treatment-of-the-workforce": "developing-workforce",
        "ethical-workforce": "developing-workforce",
        "engaging-with-the-public": "treatment-of-the-public",
        "use-of-resources": "good-use-of-resources",
        "planning-for-the-future": "good-use-of-resources",
        "financial-position": "good-use-of-resources",
    }.get(question, question)


def _earlier_web_grades(
    force: ForceState, ref: Reference, a: AssessmentInfo
) -> dict[str, tuple[str, str]]:
    """For a 2018/19 page: each question's last grade and the assessment that gave it."""
    out: dict[str, tuple[str, str]] = {}
    if a.notation != "2018-19":
        return out
    for earlier in ("2016", "2017"):
        for area, g in force.grades.get(earlier, {}).items():
            out[area] = (earlier, g)
    return out


# --- press releases and news items -------------------------------------------------------


def _counts(grades: dict[str, str]) -> str:
    parts = []
    for g in GRADE_WORDS:
        k = sum(1 for v in grades.values() if v == g)
        if k:
            word = GRADE_WORDS[g].lower()
            parts.append(f"{word} in {NUMBER_WORDS[k]} area{'s' if k > 1 else ''}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _press(w: Writer, a: AssessmentInfo) -> str:
    t, rng, force = w.t, w.rng, w.force
    grades = force.grades[a.notation]
    weak = [n for n, g in grades.items() if g in ("requires-improvement", "inadequate")]
    topic = rng.choice(w.topics(rng.choice(weak) if weak else "general"))
    verdict = "has made progress" if len(weak) < 4 else "has work to do"
    title = f"{REPORT_TITLE[a.notation]}: An inspection of {force.label}"
    lead = t["press"]["lead"].format(force=force.label, verdict_long=verdict, topic=topic)
    lines = [
        t["press"]["headline"].format(force=force.label, verdict=verdict, topic=topic),
        lead,
        "Get the report",
        title,
        lead,
        f"His Majesty’s Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS) "
        f"has graded {force.label}’s performance across {NUMBER_WORDS[len(grades)]} areas. "
        f"It found the service was {_counts(grades)}.",
    ]
    lines += t["press"]["body"]
    lines.append(t["press"]["chief"].format(chief=_person(t, rng)))
    lines += [q.format(force=force.label) for q in t["press"]["quote"]]
    lines.append("Notes to editors")
    lines.append(
        "This press release was written by a benchmark generator; the force's grades are synthetic."
    )
    return "\n\n".join(lines) + "\n"


def _news(w: Writer, a: AssessmentInfo, cycle_areas: dict[str, AreaConcept]) -> str:
    t, rng, force = w.t, w.rng, w.force
    grades = force.grades[a.notation]
    names = {n: _short(t, cycle_areas[n]) for n in grades}
    order = ["outstanding", "good", "adequate", "requires-improvement", "inadequate"]
    best = min(grades, key=lambda n: order.index(grades[n]))
    n = t["news"]
    lines = [
        "Skip to content",
        "Sign up to our daily newsletter",
        n["headline"].format(
            force=force.label, best=GRADE_WORDS[grades[best]].lower(), best_area=_lc(names[best])
        ),
        n["standfirst"],
        "By Newsroom Reporter",
        f"Published {rng.randint(1, 28)}th {MONTHS[int(PUBLISHED[a.notation][5:]) - 1][:3]} "
        f"{PUBLISHED[a.notation][:4]}, 06:00 GMT",
        n["lead"].format(force=force.label),
        n["intro"].format(count=NUMBER_WORDS[len(grades)]),
        "Hide Ad",
        n["list_lead"],
    ]
    for area, g in grades.items():
        lines.append(f"  • {names[area]} - {GRADE_WORDS[g].lower()}")
    lines += [
        "Hide Ad",
        f"His Majesty’s Inspector of Constabulary {_person(t, rng)} said: “I am pleased with "
        f"the progress {force.label} has made, and I thank its officers and staff for their "
        "hard work.”",
        n["chief_quote"].format(chief=_person(t, rng)),
        n["commissioner_quote"].format(pcc=_person(t, rng)),
        "Hide Ad",
    ]
    return "\n\n".join(lines) + "\n"


def _short(t: dict[str, Any], c: AreaConcept) -> str:
    """A news item's name for an area: a short altLabel where the framework knows it."""
    short = t["short_names"].get(c.label)
    if short and normalise_label(short) in c.labels:
        return str(short)
    return c.label


# --- the corpus --------------------------------------------------------------------------


#: How many of the nationally known initiatives (ontology/initiatives.ttl) the corpus
#: uses, and how many of them each force names: so forces share initiatives, as they do.
NATIONAL_USED, NATIONAL_EACH = 4, 2


def _national(ref: Reference) -> list[str]:
    """The names of the first nationally known initiatives, by IRI."""
    known = URIRef(vocab.BASE + "id/scheme/known-initiatives")
    found = sorted(ref.graph.subjects(SKOS.inScheme, known), key=str)[:NATIONAL_USED]
    return [str(ref.graph.value(i, SKOS.prefLabel)) for i in found]


def _forces(ref: Reference, n: int) -> list[str]:
    return sorted({f.label for f in ref.forces.values()})[:n]


def national_corpus(forces: int, seed: int = 1) -> list[Doc]:
    """The documents of a corpus of the first ``forces`` forces, made with ``seed``."""
    ref = load_reference()
    t = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))
    docs: list[Doc] = []
    national = _national(ref)
    for index, label in enumerate(_forces(ref, forces)):
        base = random.Random(f"{seed}:{label}")
        strength = base.choice([0, 1, 1, 2])
        own = sorted({_initiative(t, base) for _ in range(12)})
        # the national ones first, so that the earlier reports name them
        named = base.sample(national, NATIONAL_EACH) + own
        state = ForceState(label=label, index=index, strength=strength, initiatives=named)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        for ai, (notation, a) in enumerate(ref.assessments.items()):
            rng = random.Random(f"{seed}:{label}:{notation}")
            # each report names a window of the force's initiatives: some continue, some are new
            at = max(0, ai - 5) * 3
            w = Writer(t, rng, replace(state, initiatives=state.initiatives[at : at + 5]))
            published = PUBLISHED[notation]
            if notation in REPORT_TITLE:
                text = _report(w, ref, a)
                docs.append(
                    Doc(
                        f"{slug}_{notation}_report.txt",
                        text,
                        label,
                        notation,
                        "peel-report",
                        "inspection-report",
                        published,
                        f"Synthetic {REPORT_TITLE[notation]} report about {label} "
                        f"(bench/corpus.py, seed {seed})",
                        "HMICFRS",
                    )
                )
                areas = {c.notation: c for c in a.cycle.areas}
                if (index + ai) % 3 == 0:
                    docs.append(
                        Doc(
                            f"{slug}_{notation}_press.txt",
                            _press(w, a),
                            label,
                            notation,
                            "press-release",
                            "press-release",
                            published,
                            f"Synthetic HMICFRS press release about the {REPORT_TITLE[notation]} "
                            f"report on {label} (bench/corpus.py, seed {seed})",
                            "HMICFRS",
                        )
                    )
                elif (index + ai) % 3 == 1:
                    paper = f"The {rng.choice(t['places'])} Gazette"
                    docs.append(
                        Doc(
                            f"{slug}_{notation}_news.txt",
                            _news(w, a, areas),
                            label,
                            notation,
                            "news-article",
                            "news-article",
                            published,
                            f"Synthetic news item of {paper} about the {REPORT_TITLE[notation]} "
                            f"report on {label} (bench/corpus.py, seed {seed})",
                            paper,
                            True,
                        )
                    )
            else:
                text = _web(w, ref, a)
                docs.append(
                    Doc(
                        f"{slug}_{notation}_web.txt",
                        text,
                        label,
                        notation,
                        "hmic-web",
                        "web-summary",
                        published,
                        f"Synthetic HMIC PEEL {a.label} web page about {label} "
                        f"(bench/corpus.py, seed {seed})",
                        "HMIC",
                    )
                )
    return docs


def _entry(doc: Doc, raw: bytes) -> str:
    rights = f"© {doc.publisher}" if doc.third_party else "Crown copyright"
    licence = "All rights reserved" if doc.third_party else "Open Government Licence v3.0"
    return (
        "[[document]]\n"
        f'file = "{doc.name}"\n'
        f'force = "{doc.force}"\n'
        f'assessment = "{doc.assessment}"\n'
        f'layout = "{doc.layout}"\n'
        f'kind = "{doc.kind}"\n'
        f'published = "{doc.published}"\n'
        f'source = "{doc.description}"\n'
        f'publisher = "{doc.publisher}"\n'
        f'licence = "{licence}"\n'
        f'rights = "{rights}"\n'
        f"third_party = {'true' if doc.third_party else 'false'}\n"
        f'sha256 = "{hashlib.sha256(raw).hexdigest()}"\n'
    )


def write_national_corpus(out: Path, forces: int, seed: int = 1) -> Path:
    """Write the corpus of the first ``forces`` forces (made with ``seed``) and its
    manifest into ``out``; return the manifest's path. The same seed gives the same bytes."""
    out.mkdir(parents=True, exist_ok=True)
    entries = [
        "# A synthetic national PEEL corpus written by bench/corpus.py "
        f"(forces {forces}, seed {seed}). Not for committing.\n"
    ]
    for doc in national_corpus(forces, seed):
        raw = doc.text.encode("utf-8")
        (out / doc.name).write_bytes(raw)
        entries.append(_entry(doc, raw))
    manifest = out / "manifest.toml"
    manifest.write_text("\n".join(entries), encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forces", type=int, default=1, help="how many forces (1 to 43)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not 1 <= args.forces <= 43:
        parser.error("--forces must be between 1 and 43")
    manifest = write_national_corpus(args.out, args.forces, args.seed)
    names = re.findall(r'^file = "([^"]+)"$', manifest.read_text(encoding="utf-8"), re.M)
    size = sum((args.out / name).stat().st_size for name in names)
    print(f"{len(names)} documents, {size:,} bytes; manifest {manifest}")


if __name__ == "__main__":
    main()
