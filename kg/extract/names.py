"""Candidate names of initiatives in a report's text, before they are grouped and resolved.

Each block (paragraph, bullet, heading) is read as a passage: its text without
link markup, each character mapped to its offset in the file. The patterns
here find names in one passage; kg.extract.initiatives groups them into
initiatives and reads what the text says about each. See that module for the
rules; ``ontology/initiatives.ttl`` holds the nationally known names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SKOS

from kg import paths, vocab
from kg.model import Block, Document, Span
from kg.read.blocks import sentence_spans

#: Nouns that end (or, capitalised, start) a name, and the kind of initiative they make.
HEAD_NOUNS: dict[str, str] = {
    "operation": "operation",
    "project": "project",
    "programme": "programme",
    "program": "programme",
    "scheme": "scheme",
    "unit": "unit",
    "team": "team",
    "hub": "hub",
    "initiative": "initiative",
    "campaign": "campaign",
    "partnership": "partnership",
    "app": "software",
    "application": "software",
    "pledge": "scheme",
    "protocol": "scheme",
}
#: Nouns that say what a cue names ('a platform called X'), by priority, and their kind.
CUE_NOUNS: list[tuple[str, str]] = [
    ("partnership", "partnership"),
    ("collaboration", "partnership"),
    ("campaign", "campaign"),
    ("scheme", "scheme"),
    ("programme", "programme"),
    ("project", "project"),
    ("operation", "operation"),
    ("initiative", "initiative"),
    ("platform", "software"),
    ("system", "software"),
    ("software", "software"),
    ("tool", "software"),
    ("app", "software"),
    ("application", "software"),
    ("unit", "unit"),
    ("team", "team"),
    ("hub", "hub"),
]
#: Lowercase nouns that may follow a capitalised name ('the Qlik app', 'the X initiative').
_TRAILING = (
    "programme|project|scheme|initiative|campaign|app|application|platform|software|system|pledge"
)
#: Lowercase nouns that may end a name whose acronym the text defines.
_ACRONYM_HEADS = (
    "unit|project|programme|scheme|initiative|campaign|system|app|application|tool|platform"
)
_SMALL = {"of", "and", "for", "the", "on", "in", "to", "&", "a", "an", "with", "at", "by"}
#: Capitalised words that open a sentence or a clause, never a name.
OPENERS = {
    "the", "a", "an", "this", "that", "these", "those", "its", "it", "our", "their", "his",
    "her", "in", "on", "at", "as", "by", "for", "from", "with", "through", "during", "since",
    "when", "while", "following", "under", "and", "but", "also", "however", "both", "each",
    "every", "all", "some", "many", "where", "we", "they", "officers", "police", "force",
}  # fmt: skip
#: Endings of organisation names, not initiatives, before a lowercase kind noun.
_ORGANISATION = re.compile(
    r"(?:Police|Constabulary|Office|Council|Service|Trust|Commissioner|University|College|"
    r"Agency|Authority|Department|NHS|England|Wales)$"
)
_GRADES = {"outstanding", "good", "adequate", "requires improvement", "inadequate"}

_CAP = r"[A-Z][A-Za-z0-9]*(?:[-'’][A-Za-z0-9]+)*"
CAPSEQ = rf"{_CAP}(?:\s+(?:(?:of|for|the|on|in|&)\s+)*{_CAP})*"
_PREFIX = re.compile(
    rf"\b(?P<p>Operation|Op|Project|Programme)\s+(?P<n>{_CAP}(?:\s+{_CAP}){{0,2}})"
)
_PREFIX_STOP = {"board", "team", "manager", "lead", "office", "director", "group", "management"}
_HEAD = "|".join(n.capitalize() for n in HEAD_NOUNS if n != "operation")
_SUFFIX = re.compile(
    rf"(?P<n>(?:{_CAP}\s+(?:(?:of|and|for|the|on|in|&)\s+)*)+?(?:{_HEAD}))\b"
    rf"|(?P<law>{_CAP}['’]s\s+Law)\b"
)
_LOWER_HEAD = re.compile(rf"(?P<n>{CAPSEQ})\s+(?P<k>{_TRAILING}|arrangement)\b")
_QUOTE = r"(?:(?<=^)|(?<=[\s(\[]))[‘'\"“](?P<q>[^'’\"”\n]{2,60}?)[’'\"”](?![A-Za-z])"
_QUOTED = re.compile(_QUOTE)
_CUE = re.compile(
    r"(?<![\w-])(?:called|named|known as|entitled|branded(?: as)?)\s+(?:the\s+)?"
    rf"(?:{_QUOTE}|(?P<acr_n>(?:[a-z][\w-]*\s+){{1,6}})\((?P<acr>[A-Z]{{2,8}})s?\)|(?P<c>{CAPSEQ}))"
)
_SUCH_AS = re.compile(
    r"\b(?:channels?|platforms?|apps?|applications?|tools?|software|systems?)\s+such as\s+"
    rf"(?P<c>{CAPSEQ})"
)
_ACRONYM = re.compile(
    rf"(?P<w>(?:[a-z][\w-]*\s+){{0,6}}(?:{_ACRONYM_HEADS}))\s+\((?P<acr>[A-Z]{{2,8}})s?\)"
)
_AFTER_ACRONYM = re.compile(r"\s*\((?P<acr>[A-Z]{2,8})s?\)")
_QUOTE_KIND = re.compile(rf"^\s+(?:[a-z][\w-]*\s+){{0,3}}?(?P<k>{'|'.join(HEAD_NOUNS)})\b")
_PAREN_QUOTE = re.compile(r"\(\s*$")
#: A coined name (a lowercase prefix on an acronym: 're-THRIVE') and the noun after it.
_COINED = re.compile(
    r"(?<![\w-])(?P<n>[a-z]+-[A-Z]{3,}[A-Za-z]*|[a-z][A-Z]{3,}[A-Za-z]*)\s+"
    r"(?P<k>process|model|approach|framework|tool|app|system|scheme|programme|project|initiative)\b"
)
#: Last words of a quoted name that make it a role ('persistent caller officer').
_ROLES = {"officer", "worker", "lead", "coordinator", "co-ordinator", "champion", "advocate"}
_AWARD = re.compile(r"\b(?:Award|Awards|of the Year|Medal|Prize)\b")
_SCANNED = {"paragraph", "bullet", "heading"}
#: A part every match of a pattern contains: a text without it is not scanned for the pattern
#: (it cannot match; scanning costs, most of all _ACRONYM's, which tries at every word).
_PARTS: dict[re.Pattern[str], re.Pattern[str]] = {
    _PREFIX: re.compile(r"Op|Pro"),
    _SUFFIX: re.compile(rf"{_HEAD}|Law"),
    _CUE: re.compile(r"called|named|known as|entitled|branded"),
    _SUCH_AS: re.compile(r"such as"),
    _ACRONYM: re.compile(r"\([A-Z]{2,8}s?\)"),
    _COINED: re.compile(r"[A-Z]{3}"),
    _QUOTED: re.compile(r"[‘'\"“]"),
}


# Detection strength: a named pattern beats a quoted phrase, which beats a later occurrence.
CURATED, PATTERN, WEAK, SWEEP = 0, 1, 2, 3


@dataclass(frozen=True)
class Known:
    """One entry of the curated list: its name, aliases and kind."""

    label: str
    aliases: tuple[str, ...]
    kind: str


@dataclass
class Passage:
    """The readable text of one block with the file offset of each character."""

    block: Block
    text: str
    offsets: list[int]

    def span(self, doc: Document, start: int, end: int) -> Span:
        """The file span of ``text[start:end]``."""
        return doc.span(self.offsets[start], self.offsets[end - 1] + 1)

    def sentence(self, at: int) -> tuple[int, int]:
        """The sentence of the text around position ``at``."""
        spans = sentence_spans(self.text) or [(0, len(self.text))]
        return next((s for s in reversed(spans) if s[0] <= at), spans[0])


@dataclass
class Candidate:
    """A candidate mention: a range of one block's text and what was found there."""

    passage: Passage
    start: int
    end: int
    name: str  # as written (quotes off)
    strength: int
    kind: str | None = None  # the kind a cue or the name itself gives
    alias: str | None = None  # an acronym the text defines for it


@lru_cache(maxsize=4)
def known_initiatives(path: Path | None = None) -> tuple[Known, ...]:
    """The curated list of nationally known names (``ontology/initiatives.ttl``)."""
    graph = Graph().parse(path or paths.ONTOLOGY_DIR / "initiatives.ttl", format="turtle")
    out = []
    for node in sorted(graph.subjects(SKOS.prefLabel, None), key=str):
        if (node, SKOS.inScheme, None) not in graph:
            continue
        out.append(
            Known(
                label=str(graph.value(node, SKOS.prefLabel)),
                aliases=tuple(sorted(str(a) for a in graph.objects(node, SKOS.altLabel))),
                kind=str(graph.value(node, vocab.initiativeKind) or "initiative"),
            )
        )
    return tuple(out)


def normalise(name: str) -> str:
    """A name with case, spacing, quotes, hyphens and punctuation normalised.

    A leading 'the' goes, and 'Op' reads 'Operation': 'Op Alloy', 'operation  alloy' ->
    'operation alloy'.
    """
    text = unicodedata.normalize("NFKC", name).lower().replace("&", " and ")
    text = re.sub(r"['’‘`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"^op\s+", "operation ", text)


@lru_cache(maxsize=4)
def curated_keys(known: tuple[Known, ...]) -> dict[str, Known]:
    """Every normalised name and alias of the curated list -> its entry."""
    table: dict[str, Known] = {}
    for entry in known:
        for name in (entry.label, *entry.aliases):
            table.setdefault(normalise(name), entry)
    return table


# --- reading the text ------------------------------------------------------------


def passages(doc: Document) -> list[Passage]:
    """The blocks of a report that can name an initiative, each read as a passage."""
    return [_readable(b) for b in doc.blocks if b.kind in _SCANNED]


_MARKUP = re.compile(r"\[(?P<term>[^\]]*)\]\([^)]*\)|</?u>")


def _readable(block: Block) -> Passage:
    """A block's text without link markup, mapped character by character to the file."""
    raw, base = block.span.quote, block.span.start
    chars: list[str] = []
    offsets: list[int] = []

    def copy(start: int, end: int) -> None:
        if "\\" not in raw[start:end]:  # no escape: what the loop below gives, in one step
            chars.append(raw[start:end].replace("\u00a0", " "))
            offsets.extend(range(base + start, base + end))
            return
        i = start
        while i < end:
            if raw[i] == "\\" and i + 1 < end and raw[i + 1] in "()[]":
                i += 1
            chars.append(" " if raw[i] == "\u00a0" else raw[i])
            offsets.append(base + i)
            i += 1

    pos = 0
    for m in _MARKUP.finditer(raw):
        copy(pos, m.start())
        if m.group("term") is not None:
            copy(m.start("term"), m.end("term"))
        pos = m.end()
    copy(pos, len(raw))
    return Passage(block, "".join(chars), offsets)


# --- detection -----------------------------------------------------------------


def detect(t: Passage, known: tuple[Known, ...], presenting: bool) -> list[Candidate]:
    """Every candidate name of one block; ``presenting``: an innovative practice headline."""
    text, out = t.text, []
    for m in _curated_pattern(known).finditer(text):
        entry = curated_keys(known)[normalise(m.group())]
        out.append(Candidate(t, m.start(), m.end(), m.group(), CURATED, entry.kind))
    for m in _scan(_PREFIX, text):
        first = m.group("n").split()[0].lower()
        if first in HEAD_NOUNS or first in _PREFIX_STOP or first in OPENERS:
            continue
        kind = HEAD_NOUNS[m.group("p").lower()] if m.group("p") != "Op" else "operation"
        out.append(_with_acronym(Candidate(t, m.start(), m.end(), m.group(), PATTERN, kind)))
    for m in _scan(_SUFFIX, text):
        group = "n" if m.group("n") else "law"
        trimmed = _trim(text, m.start(group), m.end(group))
        if trimmed is None:
            continue
        start, end = trimmed
        if end - start < 4 or _AWARD.search(text[start:end]):
            continue
        words = text[start:end].split()
        if group == "n" and len(words) < 2 and words[0].lower() in HEAD_NOUNS:
            continue
        kind = "scheme" if group == "law" else HEAD_NOUNS[words[-1].lower()]
        out.append(_with_acronym(Candidate(t, start, end, text[start:end], PATTERN, kind)))
    for m in _LOWER_HEAD.finditer(text):
        trimmed = _trim(text, m.start("n"), m.end("n"))
        if trimmed is None:
            continue
        start, end = trimmed
        noun = m.group("k")
        if noun != "arrangement" and _ORGANISATION.search(text[start:end]):
            continue
        kind = "partnership" if noun == "arrangement" else HEAD_NOUNS.get(noun, "software")
        out.append(Candidate(t, start, end, text[start:end], PATTERN, kind))
    for m in _scan(_CUE, text):
        out += _cue_target(t, m)
    for m in _scan(_SUCH_AS, text):
        trimmed = _trim(text, m.start("c"), m.end("c"))
        if trimmed is not None:
            out.append(Candidate(t, *trimmed, text[slice(*trimmed)], WEAK, "software"))
    for m in _scan(_ACRONYM, text):
        words = m.group("w").split()
        expansion = _initials_suffix(words, m.group("acr"))
        if expansion is None:
            continue
        end = m.start("w") + len(m.group("w"))
        start = end - len(expansion)
        kind = HEAD_NOUNS.get(words[-1].lower(), "software")
        out.append(Candidate(t, start, end, expansion, PATTERN, kind, m.group("acr")))
    for m in _scan(_COINED, text):
        kind = HEAD_NOUNS.get(m.group("k"), "scheme")
        out.append(Candidate(t, m.start("n"), m.end("n"), m.group("n"), PATTERN, kind))
    for m in _scan(_QUOTED, text):
        found = _quoted(t, m, presenting)
        if found:
            out.append(found)
    return out


def _scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``text``; none, without a scan, when ``text`` lacks the
    part every match contains (:data:`_PARTS`)."""
    part = _PARTS.get(pattern)
    return pattern.finditer(text) if part is None or part.search(text) else iter(())


def _loose(names: list[str], case: bool) -> re.Pattern[str]:
    """A pattern for any of ``names`` as a whole phrase: spaces, hyphens, commas, quotes loose."""
    bodies = []
    for name in sorted(names, key=lambda n: (-len(n), n)):
        parts = [re.escape(w) for w in re.split(r"[\s,\-]+", name.replace("’", "'")) if w]
        bodies.append(r"[\s,\-]+".join(parts).replace("'", "['’]"))
    return re.compile(rf"(?<![\w-])(?:{'|'.join(bodies)})(?![\w-])", 0 if case else re.I)


@lru_cache(maxsize=4)
def _curated_pattern(known: tuple[Known, ...]) -> re.Pattern[str]:
    """Every name and alias of the curated list, as written (case-sensitive)."""
    return _loose([n for entry in known for n in (entry.label, *entry.aliases)], case=True)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop opening words ('The', 'As', 'During') and a possessive ('Kent's') from a name's front.

    A possessive stays when it makes the name: 'Clare's Law'.
    """
    while start < end:
        m = re.match(r"(?P<w>\S+)(?P<gap>\s+|$)", text[start:end])
        if m is None:
            break
        word, rest = m.group("w"), text[start + m.end() : end]
        possessive = word.endswith(("'s", "’s")) and rest != "Law"
        if word.lower() not in OPENERS and not possessive:
            return start, end
        if not m.group("gap"):
            break
        start += m.end()
    return None


def _with_acronym(found: Candidate) -> Candidate:
    """Record 'X Unit (XU)': an acronym in brackets right after a name, if its initials fit."""
    m = _AFTER_ACRONYM.match(found.passage.text, found.end)
    if m and _initials_suffix(found.name.split(), m.group("acr")) == found.name:
        found.alias = m.group("acr")
    return found


def _initials(words: list[str]) -> str:
    letters = [p[0] for w in words for p in re.split(r"[-/]", w) if p and w.lower() not in _SMALL]
    return "".join(letters).upper()


def _initials_suffix(words: list[str], acronym: str) -> str | None:
    """The shortest run of the last words whose initials spell ``acronym``, as text."""
    for n in range(1, len(words) + 1):
        tail = words[-n:]
        if tail[0].lower() in _SMALL:
            continue
        if _initials(tail) == acronym.upper():
            return " ".join(tail)
    return None


def _cue_kind(text: str, at: int) -> str | None:
    """The kind the words before a cue give ('an online platform called …' -> software)."""
    before = text[max(0, at - 60) : at].lower()
    words = re.findall(r"[a-z]+", before)[-5:]
    for noun, kind in CUE_NOUNS:
        if noun in words or noun + "s" in words:
            return kind
    return None


@lru_cache(maxsize=1)
def _and_places() -> re.Pattern[str]:
    """Place names of ontology/forces.ttl written with 'and' ('Avon and Somerset', 'Hampshire
    and Isle of Wight'), so that a name such as 'Avon and Somerset Talking' is not cut at
    'and' (a capitalised run stops there: 'Operation Alloy and Operation Motto' are two)."""
    from kg.reference import load_reference

    names = {
        n.removesuffix(" Police").removesuffix(" Constabulary")
        for force in load_reference().forces.values()
        for n in force.names
        if " and " in n
    }
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:{alternation or '(?!)'})(?:\s+{CAPSEQ})?")


def _joined_place_end(text: str, start: int, end: int) -> int:
    """Where a capitalised name that starts at ``start`` ends: after a place written with
    'and' (and the capitalised words after it) when it opens with one, else at ``end``."""
    m = _and_places().match(text, start)
    return max(end, m.end()) if m else end


def _cue_target(t: Passage, m: re.Match[str]) -> list[Candidate]:
    """The name a cue ('called', 'known as') introduces."""
    kind = _cue_kind(t.text, m.start())
    if m.group("q"):
        q = m.group("q").strip()
        if q.lower() in _GRADES:
            return []
        return [Candidate(t, m.start("q"), m.start("q") + len(q), q, PATTERN, kind)]
    if m.group("acr"):
        words = m.group("acr_n").split()
        name = " ".join(words)
        start = m.start("acr_n")
        head = HEAD_NOUNS.get(words[-1].lower()) or ("software" if words[-1] == "system" else kind)
        return [Candidate(t, start, start + len(name), name, PATTERN, head, m.group("acr"))]
    start, end = m.start("c"), _joined_place_end(t.text, m.start("c"), m.end("c"))
    name = t.text[start:end]
    if _ORGANISATION.search(name):
        return []  # 'the report named Kent Police': an organisation, not an initiative
    return [_with_acronym(Candidate(t, start, end, name, PATTERN, kind))]


def _quoted(t: Passage, m: re.Match[str], presenting: bool) -> Candidate | None:
    """A quoted phrase that names an initiative, or None.

    It does when it sits in brackets after a description ("function ('the
    observatory')"), when its kind follows it or ends it ('turnaround project',
    'blue star' reward and recognition scheme), when it is written as a title
    ('Super-Wednesdays', 'super Wednesdays': a capitalised word after the first),
    or when an innovative practice headline quotes it: the practice presented
    ("A 'persistent caller officer' identifies repeat callers").
    """
    q = m.group("q").strip()
    words = q.split()
    if not words or len(words) > 6 or q.lower() in _GRADES or q.endswith(".") or _AWARD.search(q):
        return None
    start = m.start("q") + (len(m.group("q")) - len(m.group("q").lstrip()))
    found = Candidate(t, start, start + len(q), q, WEAK)
    after = t.text[m.end() :]
    if presenting:
        last = words[-1].lower()
        found.kind = "role" if last in _ROLES else HEAD_NOUNS.get(last, "initiative")
        return found
    if _PAREN_QUOTE.search(t.text[: m.start()]) and after.startswith(")"):
        found.kind = _cue_kind(t.text, m.start()) or "initiative"
        return found
    if words[-1].lower() in HEAD_NOUNS:
        found.kind = HEAD_NOUNS[words[-1].lower()]
        return found
    follow = _QUOTE_KIND.match(after)
    if follow:
        found.kind = HEAD_NOUNS[follow.group("k")]
        return found
    later = [w for w in re.split(r"[\s-]+", q)[1:] if w]
    if any(w[0].isupper() for w in later) or (
        len(words) == 1 and q[0].isupper() and re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)+", q)
    ):
        found.kind = "initiative"
        return found
    return None


def sweep(texts: list[Passage], chosen: list[Candidate]) -> list[Candidate]:
    """Every further occurrence of a name or alias already found, anywhere in the text."""
    forms: set[str] = set()
    for f in chosen:
        forms.add(f.name)
        if f.alias:
            forms.add(f.alias)
        core = re.sub(r"^The\s+", "", f.name)
        if core != f.name and core[:1].isupper():
            forms.add(core)
    # a one-word capitalised name is matched as written ('Beacon', not 'beacon')
    exact = [f for f in forms if " " not in f and f[:1].isupper()]
    loose = [f for f in forms if f not in exact]
    patterns = [_loose(group, case) for group, case in ((exact, True), (loose, False)) if group]
    out = []
    for pattern in patterns:
        for t in texts:
            for m in pattern.finditer(t.text):
                out.append(Candidate(t, m.start(), m.end(), m.group(), SWEEP))
    return out


def resolve(found: list[Candidate]) -> list[Candidate]:
    """Leftmost-longest, then strongest: no two chosen mentions overlap."""
    ordered = sorted(
        found, key=lambda f: (f.passage.offsets[f.start], -(f.end - f.start), f.strength)
    )
    chosen: list[Candidate] = []
    last: dict[int, int] = {}
    for f in ordered:
        key = id(f.passage)
        if f.start < last.get(key, -1):
            continue
        chosen.append(f)
        last[key] = f.end
    return chosen
