"""Find the named initiatives a full report mentions: operations, projects, units, schemes…

Detection is general; nothing here names a force's own initiatives:

- prefixes and head nouns: 'Operation X', 'Op X', 'Project X', 'X Project',
  'X Programme', 'X Scheme', 'X Unit', 'X's Law', 'X app' (every word of X
  capitalised);
- cue phrases: 'called X', 'known as X', 'named X'; 'platforms such as X';
  a quoted name given to a description ("function ('the observatory')");
  quoted names followed by their kind ("the 'blue star' reward scheme") or
  written as a title ('Super-Wednesdays');
- an acronym defined in brackets after a lowercase name ending in a kind noun
  ('youth violence intervention unit (YVIU)'; not 'hub' or 'team': 'the
  multi-agency safeguarding hub (MASH)' is a generic arrangement);
- a coined name before a noun such as 'process' ('a re-THRIVE process'); a
  quoted phrase in an innovative practice headline (the practice presented);
- the nationally known names of ``ontology/initiatives.ttl`` (data);
- every further occurrence of a name (or alias) found, anywhere in the text.

An initiative is resolved by its key: the name with case, spacing, hyphens,
quotes and punctuation normalised, a leading 'the' dropped, 'Op' read as
'Operation' and aliases (the curated list's, acronyms defined in the text)
mapped to their name, so the same initiative in two cycles is one node.

What the text says about it: the sentence of its first mention (description);
partners named by 'in partnership with X', 'partners with X', 'the force and
X developed …', 'the police and X work together'; 'developed into', 'evolved
into', 'replaced by', 'became' between two initiatives of one paragraph (a
pronoun subject, 'this has developed into Y', refers to the first initiative
the paragraph names before that sentence: its topic); innovative when it is
the initiative an innovative practice finding presents (the first it names).

The patterns that find names are in kg.extract.names; this module groups the
names found into initiatives and reads what the text says about each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.facts import AreaFact, FindingFact, MentionFact, SourceFacts
from kg.extract.names import (
    CAPSEQ,
    HEAD_NOUNS,
    OPENERS,
    SWEEP,
    Candidate,
    Known,
    Passage,
    curated_keys,
    detect,
    known_initiatives,
    normalise,
    passages,
    resolve,
    sweep,
)
from kg.model import Document

_DEVELOPED = re.compile(
    r"\b(?:(?:has|have|had)\s+)?(?:developed|evolved|grown|grew|turned)\s+into\b"
    r"|\b(?:was|were|has been|had been|is being)\s+replaced\s+by\b"
    r"|\b(?:became|become|becomes)\b(?:\s+established\s+as)?"
    r"|\b(?:was|has been|had been)\s+(?:renamed|rebranded)(?:\s+as)?\b"
)
_PRONOUN = re.compile(r"\b(?:this|it|these|that|they)\b\s*(?:\w+\s+){0,3}$", re.I)
_ORG_NAME = (
    r"(?:the\s+)?office of the police,?\s+(?:fire and\s+)?crime commissioner"
    r"|(?:the\s+)?police(?:,\s+fire)? and crime commissioner"
    rf"|(?:the\s+)?{CAPSEQ}"
)
_PARTNER = [
    re.compile(rf"\bin (?:partnership|collaboration) with\s+(?P<o>{_ORG_NAME})"),
    re.compile(rf"\bpartners? with\s+(?P<o>{_ORG_NAME})"),
    re.compile(rf"\bjointly with\s+(?P<o>{_ORG_NAME})"),
    re.compile(
        rf"\b(?:[Tt]he force|[Tt]he police)\s+and\s+(?P<o>{_ORG_NAME})\s+"
        r"(?:developed|work together|worked together|set up|launched|created|run|runs|jointly)"
    ),
]


@dataclass
class _Initiative:
    """What one source says about one initiative."""

    key: str
    name: str
    kind: str
    mentions: list[Candidate] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    partners: list[str] = field(default_factory=list)
    innovative: bool = False
    presented_in: list[FindingFact] = field(default_factory=list)  # innovative practice
    developed_into: str | None = None


def national_keys(known: tuple[Known, ...] | None = None) -> frozenset[str]:
    """The keys of the curated initiatives (ontology/initiatives.ttl): national or regional
    schemes and products many forces use, one node across forces. Every other initiative
    is its force's own: two forces' 'Operation Alloy' are two initiatives."""
    return frozenset(normalise(e.label) for e in (known or known_initiatives()))


def initiative_key(name: str, known: tuple[Known, ...] | None = None) -> str:
    """The key an initiative is resolved by: its normalised name, curated aliases applied."""
    key = normalise(name)
    entry = curated_keys(known or known_initiatives()).get(key)
    return normalise(entry.label) if entry else key


def extract_initiatives(doc: Document, facts: SourceFacts) -> list[MentionFact]:
    """Every mention of a named initiative in a full report, in text order.

    ``doc`` is the report as read; ``facts`` its extracted areas and findings,
    which place each mention (the area section and the finding it sits in).
    """
    known = known_initiatives()
    texts = passages(doc)
    presenting = {
        f.span.start for a in facts.areas for f in a.findings if f.type == "innovative-practice"
    }
    found: list[Candidate] = []
    for t in texts:
        found += detect(t, known, t.block.span.start in presenting)
    chosen = resolve(found)
    chosen = resolve(chosen + sweep(texts, chosen))
    initiatives = _group(chosen, known)
    places = _places(doc, facts)
    _innovative(initiatives, places)
    _partners(initiatives)
    _developments(initiatives, texts)
    return _mentions(doc, initiatives, places)


# --- one initiative per key ----------------------------------------------------


def _group(chosen: list[Candidate], known: tuple[Known, ...]) -> dict[str, _Initiative]:
    """The mentions grouped by initiative, each initiative named and given a kind."""
    curated = curated_keys(known)
    aliases = {normalise(f.alias): normalise(f.name) for f in chosen if f.alias}
    by_key: dict[str, _Initiative] = {}
    defining = sorted(chosen, key=lambda f: (f.strength, f.passage.offsets[f.start]))
    for f in defining:
        key = normalise(f.name)
        if not key:
            continue
        key = aliases.get(key, key)
        entry = curated.get(key)
        if entry:
            key = normalise(entry.label)
        if f.strength == SWEEP and key not in by_key:
            continue
        initiative = by_key.get(key)
        if initiative is None:
            name = entry.label if entry else _display(f.name)
            kind = entry.kind if entry else (_name_kind(name) or f.kind or "initiative")
            initiative = by_key[key] = _Initiative(key, name, kind)
        initiative.mentions.append(f)
        written = _display(f.name)
        for alias in (f.alias, written):
            if alias and _plain(alias) != _plain(initiative.name):
                initiative.aliases.add(alias)
    for initiative in by_key.values():
        initiative.mentions.sort(key=lambda f: f.passage.offsets[f.start])
    return by_key


def _display(name: str) -> str:
    """A name as written, tidied: quotes and a lowercase leading 'the' off, 'Op' spelt out."""
    text = re.sub(r"\s+", " ", name.strip(" '‘’\"“”"))
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"^Op\.?\s+", "Operation ", text)


def _plain(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip().removeprefix("the ")


def _name_kind(name: str) -> str | None:
    """The kind a name itself states: 'Operation X', 'X Project', 'X's Law'."""
    words = name.split()
    if words[0].lower() in ("operation", "project", "programme"):
        return HEAD_NOUNS[words[0].lower()]
    if re.search(r"['’]s\s+Law$", name):
        return "scheme"
    return HEAD_NOUNS.get(words[-1].lower()) if len(words) > 1 else None


# --- what the text says about each initiative ---------------------------------


@dataclass
class _Place:
    """Where a range of the file sits: its area section and finding."""

    start: int
    end: int
    area: AreaFact
    finding: FindingFact | None = None


def _places(doc: Document, facts: SourceFacts) -> list[_Place]:
    """The file ranges of every area section and of every finding (headline and body)."""
    places = []
    for section, area in zip(doc.sections, facts.areas, strict=False):
        end = section.blocks[-1].span.end if section.blocks else section.heading.span.end
        places.append(_Place(section.heading.span.start, end, area))
        for f in area.findings:
            places.append(_Place(f.span.start, f.span.end, area, f))
            if f.body_span:
                places.append(_Place(f.body_span.start, f.body_span.end, area, f))
    return places


def _place(places: list[_Place], at: int) -> tuple[AreaFact | None, FindingFact | None]:
    """The area section and the finding that file offset ``at`` sits in."""
    area, finding = None, None
    for p in places:
        if p.start <= at < p.end:
            area = p.area
            finding = p.finding or finding
    return area, finding


def _innovative(initiatives: dict[str, _Initiative], places: list[_Place]) -> None:
    """An innovative practice finding presents the first initiative it names."""
    first: dict[int, tuple[int, FindingFact, _Initiative]] = {}
    for initiative in initiatives.values():
        for f in initiative.mentions:
            at = f.passage.offsets[f.start]
            _, finding = _place(places, at)
            if finding is None or finding.type != "innovative-practice":
                continue
            if id(finding) not in first or at < first[id(finding)][0]:
                first[id(finding)] = (at, finding, initiative)
    for _, finding, initiative in sorted(first.values(), key=lambda seen: seen[0]):
        initiative.innovative = True
        initiative.presented_in.append(finding)


def _partners(initiatives: dict[str, _Initiative]) -> None:
    """Organisations the sentences naming an initiative say it works in partnership with."""
    for initiative in initiatives.values():
        sentences: list[str] = []
        for f in initiative.mentions:
            s, e = f.passage.sentence(f.start)
            if f.passage.text[s:e] not in sentences:
                sentences.append(f.passage.text[s:e])
        # the headline of an innovative practice finding speaks of the initiative it presents
        sentences += [finding.headline for finding in initiative.presented_in]
        for sentence in sentences:
            for pattern in _PARTNER:
                for m in pattern.finditer(sentence):
                    partner = _organisation(m.group("o"))
                    if partner and partner not in initiative.partners:
                        initiative.partners.append(partner)


def _organisation(text: str) -> str | None:
    """A partner's name as written, or None for a generic one ('a third party')."""
    name = re.sub(r"^the\s+", "", text.strip(" ,;"))
    name = re.sub(r"\s+(?:and|to|which|who|that)$", "", name)
    if not name or name.lower() in OPENERS:
        return None
    if not (name[0].isupper() or "commissioner" in name):
        return None
    return name


def _developments(initiatives: dict[str, _Initiative], texts: list[Passage]) -> None:
    """'X developed into Y', 'X was replaced by Y', 'this became Y', within one paragraph."""
    owner: dict[int, _Initiative] = {}
    for initiative in initiatives.values():
        for f in initiative.mentions:
            owner[id(f)] = initiative
    by_text: dict[int, list[Candidate]] = {}
    for initiative in initiatives.values():
        for f in initiative.mentions:
            by_text.setdefault(id(f.passage), []).append(f)
    for t in texts:
        mentions = sorted(by_text.get(id(t), []), key=lambda f: f.start)
        if not mentions:
            continue  # no mention to link: every match below would find none after it
        for m in _DEVELOPED.finditer(t.text):
            s, e = t.sentence(m.start())
            after = [f for f in mentions if m.end() <= f.start < e]
            before = [f for f in mentions if f.end <= m.start() and f.start >= s]
            if after and not before and _PRONOUN.search(t.text[s : m.start()]):
                # 'this has developed into Y': the paragraph's topic, the first it names
                before = [f for f in mentions if f.end <= s][:1]
            if not after or not before:
                continue
            target, source = owner[id(after[0])], owner[id(before[-1])]
            if source is not target and source.developed_into is None:
                source.developed_into = target.key


def _description(f: Candidate) -> str:
    """The sentence of a mention, trimmed to a short description."""
    s, e = f.passage.sentence(f.start)
    sentence = f.passage.text[s:e].strip()
    if len(sentence) > 400:
        sentence = sentence[:400].rsplit(" ", 1)[0] + "…"
    return sentence


def _mentions(
    doc: Document, initiatives: dict[str, _Initiative], places: list[_Place]
) -> list[MentionFact]:
    """One MentionFact per mention, in text order."""
    out = []
    for initiative in initiatives.values():
        description = _description(initiative.mentions[0])
        aliases = tuple(sorted(initiative.aliases))
        for f in initiative.mentions:
            span = f.passage.span(doc, f.start, f.end)
            area, finding = _place(places, span.start)
            out.append(
                MentionFact(
                    name=initiative.name,
                    key=initiative.key,
                    kind=initiative.kind,
                    span=span,
                    aliases=aliases,
                    description=description,
                    partners=tuple(initiative.partners),
                    innovative=initiative.innovative,
                    developed_into=initiative.developed_into,
                    area=area,
                    finding=finding,
                )
            )
    out.sort(key=lambda m: (m.span.start, m.span.end))
    return out


__all__ = [
    "extract_initiatives",
    "initiative_key",
    "known_initiatives",
    "national_keys",
    "normalise",
]
