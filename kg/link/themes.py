"""Theme tags: which themes of ontology/themes.ttl each finding, figure and initiative is about.

The method is term lookup, kept as data: every theme of the SKOS scheme lists its
terms as ``skos:hiddenLabel`` literals, and a thing gets the theme when its text
contains one of them, case-insensitively and on word boundaries (``use of force``
is not found in ``use of forces``). Curly quotes are read as straight ones, any
dash as ``-`` and any run of white space as one space; there is no stemming, so
plurals and variants are terms of their own. The text of a thing is:

- a finding (any class of :data:`kg.vocab.FINDING_TYPES`): its headline (its body names
  many subjects in passing, and a tag from a passing mention would mislead);
- a figure (``peel:Observation``): the quote of its span (the sentence or table
  row stating it), then the words naming its measure (``peel:metricText``);
- an initiative: its names (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``),
  the sentence describing it (``dcterms:description``), then the quote of each
  mention's span.

Each (thing, theme) gives ``thing peel:theme theme`` and a ``peel:ThemeTag`` node
(``<thing>#theme-<slug>``) naming the thing, the theme and the matched term: the
first occurrence in the text, as the scheme writes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg import vocab
from kg.vocab import OA

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Theme:
    """One theme of the scheme: its IRI, slug, label and terms (as the scheme writes them)."""

    iri: URIRef
    slug: str
    label: str
    terms: tuple[str, ...]  # longest first


def normalise(text: str) -> str:
    """Read curly quotes as straight ones, any dash as '-', any run of white space as one
    space: the only normalisation the matching does besides ignoring case."""
    return _SPACE.sub(" ", _DASHES.sub("-", text.translate(_QUOTES))).strip()


class TermIndex:
    """The terms of some themes, indexed by their first word for one pass over a text.

    Finding a term on word boundaries is finding it where a word starts, and where no
    word character follows it; so the text is read once, word by word, and only the
    terms that start with the word at hand are compared. This gives what a
    case-insensitive pattern ``(?<!\\w)(?:term|term…)(?!\\w)`` per theme would find
    (leftmost match, longest term first) in a fraction of the time.
    """

    def __init__(self, themes: list[Theme]) -> None:
        self.themes = themes
        #: first word of a term (lower case) -> (term in lower case, term as written,
        #: index of its theme), longest term first.
        self.by_first_word: dict[str, list[tuple[str, str, int]]] = {}
        for i, theme in enumerate(themes):
            for term in theme.terms:
                key = normalise(term).lower()
                first = _WORD.match(key)
                if first is None:
                    raise ValueError(f"theme {theme.label!r}: term {term!r} must start with a word")
                self.by_first_word.setdefault(first.group(), []).append((key, term, i))
        for entries in self.by_first_word.values():
            entries.sort(key=lambda e: (-len(e[0]), e[0]))

    def first_terms(self, texts: list[str]) -> dict[Theme, str]:
        """Each theme whose terms occur in ``texts`` (normalised, see :func:`normalise`),
        with the term found first: in the first text that has one, at the leftmost place,
        the longest term starting there; as the scheme writes it."""
        found: dict[int, str] = {}
        for text in texts:
            low = text.lower()
            for word in _WORD.finditer(low):
                entries = self.by_first_word.get(word.group())
                if not entries:
                    continue
                start = word.start()
                for key, term, i in entries:
                    if i in found or not low.startswith(key, start):
                        continue
                    if _WORD_CHAR.match(low, start + len(key)) is None:
                        found[i] = term
        return {self.themes[i]: term for i, term in sorted(found.items())}


def load_themes(reference: Graph) -> list[Theme]:
    """Every ``peel:Theme`` of ``reference`` with its terms, in IRI order.

    The slug is the last segment of the theme's IRI (``id/theme/domestic-abuse``).
    A theme without terms is left out (the shapes report it).
    """
    themes = []
    for iri in sorted({URIRef(str(t)) for t in reference.subjects(RDF.type, vocab.Theme)}):
        written = {str(t) for t in reference.objects(iri, SKOS.hiddenLabel)}
        if not written:
            continue
        label = reference.value(iri, SKOS.prefLabel)
        themes.append(
            Theme(
                iri=iri,
                slug=str(iri).rstrip("/").rsplit("/", 1)[-1],
                label=str(label) if label is not None else str(iri),
                terms=tuple(sorted(written, key=lambda t: (-len(t), t.casefold()))),
            )
        )
    return themes


def _quotes(data: Graph, node: URIRef) -> list[str]:
    """The exact quotes of the spans of ``node``, in span IRI order."""
    return [
        str(exact)
        for span in sorted(data.objects(node, vocab.span), key=str)
        for selector in sorted(data.objects(span, OA.hasSelector), key=str)
        for exact in data.objects(selector, OA.exact)
    ]


def _values(data: Graph, node: URIRef, *props: URIRef) -> list[str]:
    """The literal values of ``props`` on ``node``: by property, each sorted."""
    return [str(v) for p in props for v in sorted(data.objects(node, p), key=str)]


def texts(
    data: Graph, skip: AbstractSet[URIRef] = frozenset()
) -> Iterator[tuple[URIRef, list[str]]]:
    """Every finding, figure and initiative of ``data`` but those in ``skip``, with the
    texts it is tagged by (see the module docstring), normalised; in IRI order."""
    found: dict[URIRef, list[str]] = {}
    for cls in vocab.FINDING_TYPES.values():
        for node in data.subjects(RDF.type, cls):
            thing = URIRef(str(node))
            found[thing] = _values(data, thing, vocab.headline)
    for node in data.subjects(RDF.type, vocab.Observation):
        thing = URIRef(str(node))
        found[thing] = _quotes(data, thing) + _values(data, thing, vocab.metricText)
    for node in data.subjects(RDF.type, vocab.Initiative):
        thing = URIRef(str(node))
        names = _values(data, thing, RDFS.label, SKOS.prefLabel, SKOS.altLabel)
        described = _values(data, thing, DCTERMS.description)
        said = sorted(URIRef(str(m)) for m in data.objects(thing, vocab.mention))
        mentions = [quote for mention in said for quote in _quotes(data, mention)]
        found[thing] = names + described + mentions
    for thing in sorted(found):
        if thing in skip:
            continue
        yield thing, [normalise(t) for t in found[thing]]


def theme_tags(data: Graph, reference: Graph, skip: AbstractSet[URIRef] = frozenset()) -> Graph:
    """Tag every finding, figure and initiative of ``data`` with the themes its text names.

    :param data: the facts: one graph holding every source's triples (a union graph,
        :func:`kg.export.union`).
    :param reference: a graph holding the theme scheme (ontology/themes.ttl), such as
        the reference graph of :func:`kg.reference.load_reference`.
    :param skip: things not to tag here (initiatives several forces mention, tagged
        once from all their mentions: kg.parts).
    :returns: a new graph named :data:`kg.vocab.LINKS_GRAPH` with, per thing and theme,
        ``thing peel:theme theme`` and a ``peel:ThemeTag`` node ``<thing>#theme-<slug>``
        (``peel:tagged`` the thing, ``peel:theme``, ``peel:matchedTerm`` the first term
        found as the scheme writes it, ``prov:wasDerivedFrom`` the thing). The same
        inputs always give the same triples.
    """
    index = TermIndex(load_themes(reference))
    links = Graph(store="SimpleMemory", identifier=vocab.LINKS_GRAPH)  # cheap to fill
    for prefix in ("peel", "prov", "xsd"):
        links.bind(prefix, vocab.PREFIXES[prefix])
    for thing, text in texts(data, skip):
        for theme, term in index.first_terms(text).items():
            tag = vocab.fragment(thing, "theme-" + theme.slug)
            links.add((thing, vocab.theme, theme.iri))
            links.add((tag, RDF.type, vocab.ThemeTag))
            links.add((tag, vocab.tagged, thing))
            links.add((tag, vocab.theme, theme.iri))
            links.add((tag, vocab.matchedTerm, Literal(term)))
            links.add((tag, PROV.wasDerivedFrom, thing))
    return links


__all__ = ["Theme", "TermIndex", "load_themes", "normalise", "texts", "theme_tags"]
