"""Parts: the graph linked, validated and written force by force, then joined.

Each force's sources make one *part*. What several forces share makes the *shared
part*: the reference data, the entities graph (kg.build: initiatives, people,
organisations, inspections) and the theme tags of the initiatives that several forces'
sources name. A node is shared when the reference data describes it, or the entity
triples of more than one force do; any other node belongs to the one part whose triples
describe it (this is checked: a node that two parts describe is made shared, and those
parts are done again).

- A part is linked (kg.link) from its own sources' facts, with the reference data and
  its sources' entity triples beside them, and validated on the same data; its results
  count for its own nodes only. Its chunk of the graph is its sources' named graphs and
  its links, and its Turtle and JSON-LD chunks are written from that chunk.
- The shared part is validated once, for the shared nodes, with every triple any part
  states about them and the types of what those point to. The initiatives several
  forces name are tagged with themes from all their mentions.

So every node is validated once, with every triple about it, as one validation of the
whole graph would validate it (tests/test_parts.py compares the two), and a part is a
pure function of its inputs: it is cached under their digest, so a rebuild after one
document changes redoes that document's force and joins the chunks.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg import process, vocab
from kg.assemble import link_input, merge, merge_sorted, nquads
from kg.build import Triple
from kg.export import load_context, read_chunk, turtle_body
from kg.jsonld import jsonld_graphs
from kg.link import link_graph
from kg.link.themes import theme_tags
from kg.process import fork_pool, prune, write_whole
from kg.progress import Clock
from kg.reference import Reference, load_reference
from kg.store import Store, from_ox
from kg.validate import Problem, ValidationResult, validate

#: Bump when the cached form of a part changes.
PART_FORMAT = 1

#: Classes counted in the build summary, in the order shown.
COUNTED = [
    vocab.Inspection,
    vocab.Judgment,
    vocab.GradeStatement,
    vocab.AreaForImprovement,
    vocab.CauseOfConcern,
    vocab.Recommendation,
    vocab.InnovativePractice,
    vocab.MainFinding,
    vocab.GradeClaim,
    vocab.GradeCount,
    vocab.Observation,
    vocab.Initiative,
    vocab.FollowUp,
    vocab.ThemeTag,
    vocab.Inspector,
    vocab.Person,
    vocab.SourceDocument,
]
KNOWN_ONLY = "known only through a later report"

_TYPE = ox.NamedNode(str(RDF.type))
_MENTION = ox.NamedNode(str(vocab.mention))
_SPAN = ox.NamedNode(str(vocab.span))
_SELECTOR = ox.NamedNode(str(vocab.OA.hasSelector))
_EXACT = ox.NamedNode(str(vocab.OA.exact))


@dataclass(frozen=True)
class PartJob:
    """What one part is made from."""

    force: str
    graphs: list[bytes | Path]  # its sources' named graphs, as N-Quads (or their files)
    entities: bytes  # its sources' entity triples (settled: kg.assemble), as N-Quads
    reference: bytes  # the reference data, as N-Quads
    shared: frozenset[str]  # the shared nodes it may describe (IRIs, blank node labels)
    validator: str = "turbo"  # the SHACL engine (kg.validate)
    sources: tuple[str, ...] = ()  # the sources' cache keys, which stand for their graphs

    def key(self) -> str:
        """The digest of everything the part is made from, and of the code that makes it."""
        graphs = [k.encode() for k in self.sources] or [read_chunk(g) for g in self.graphs]
        texts = [self.force.encode(), *graphs, self.entities, self.reference]
        return _digest("part", self.validator, texts, self.shared)


def _digest(kind: str, validator: str, texts: Iterable[bytes], shared: AbstractSet[str]) -> str:
    """A cache key: of ``texts`` (each length-prefixed, so no two lists give one stream),
    the shared nodes, the validator and the code (kg.process.code_fingerprint)."""
    head = f"{kind} {PART_FORMAT} {validator} {process.code_fingerprint()}"
    digest = hashlib.sha256(head.encode())
    for data in texts:
        digest.update(len(data).to_bytes(8, "big") + data)
    digest.update("\n".join(sorted(shared)).encode())
    return digest.hexdigest()


@dataclass
class Part:
    """One force's part, made: its chunk of the graph in three formats, what it says
    about the shared nodes, its own nodes, its counts and its validation."""

    force: str
    # the chunks, in memory or (cached) as files:
    nquads: bytes | Path  # its sources' named graphs and its links, sorted, every quad once
    turtle: bytes | Path  # their union as Turtle, without prefix lines (kg.export.turtle_body)
    jsonld: bytes | Path  # its named graphs as JSON-LD graph objects (kg.jsonld.jsonld_graphs)
    border: bytes  # N-Quads: the chunk's quads about shared nodes
    pointed: bytes  # N-Quads: the types of what those quads point to
    quotes: bytes  # N-Quads: the spans and quotes of the shared initiatives' mentions
    subjects: list[str]  # its own nodes
    tally: dict[str, int]  # its own nodes by counted class; KNOWN_ONLY; "triples"
    conforms: bool
    problems: list[Problem]
    report: bytes  # its validation report, as N-Triples
    seconds: dict[str, float] = field(default_factory=dict)  # by step, when it was made
    cached: bool = False

    def validation(self) -> ValidationResult:
        """Its validation, as :func:`kg.validate.validate` gives it."""
        return _restored(self.conforms, self.problems, self.report)


def _restored(conforms: bool, problems: list[Problem], report: bytes) -> ValidationResult:
    """A validation result as a part or the shared part keeps it: its report as N-Triples."""
    return ValidationResult(conforms, Graph().parse(data=report, format="nt"), "", problems)


def plan(
    reference: bytes,
    forces: dict[str, tuple[list[bytes | Path], bytes, tuple[str, ...]]],
    validator: str = "turbo",
) -> tuple[list[PartJob], set[str]]:
    """One job per force, in name order, and the shared nodes: those the reference data
    describes and those the entity triples of more than one force describe.

    :param forces: each force's sources' named graphs (or their files), entity triples
        (N-Quads) and cache keys (none when not cached).
    """
    base = {_subject(line) for line in _lines(reference)}
    subjects = {f: {_subject(line) for line in _lines(e)} for f, (_, e, _) in forces.items()}
    seen = Counter(s for found in subjects.values() for s in found)
    multi = {s for s, n in seen.items() if n > 1}
    jobs = [
        PartJob(
            f, graphs, entities, reference, frozenset(base | (multi & subjects[f])), validator, keys
        )
        for f, (graphs, entities, keys) in sorted(forces.items())
    ]
    return jobs, base | multi


def make_part(job: PartJob, ref: Reference) -> Part:
    """Link, validate and write one force's part (see the module docstring)."""
    clock = Clock()
    data = merge(read_chunk(g) for g in job.graphs)
    store = Store.from_nquads(job.reference)
    store.load_nquads(job.entities)
    store.load_nquads(data)
    skip = {URIRef(s) for s in job.shared}
    links = nquads(link_graph(link_input(store), ref, skip), vocab.LINKS_GRAPH)
    store.load_nquads(links)
    chunk = merge_sorted(data, merge([links]))
    clock.lap("link")
    own = [line for line in _lines(job.entities, chunk) if _subject(line) not in job.shared]
    border = [line for line in _lines(chunk) if _subject(line) in job.shared]
    about = _quads(b"\n".join(border))
    with ThreadPoolExecutor(max_workers=1) as pool:  # pyshacl-turbo runs without the GIL
        checking = pool.submit(
            _timed,
            validate,
            merge_sorted(chunk, merge([job.reference, job.entities])),
            validator=job.validator,
            spans=store,
            keep=lambda focus: focus not in job.shared,
        )
        clock.lap("count")
        turtle = turtle_body(chunk)
        clock.lap("turtle")
        jsonld = _jsonld(chunk)
        clock.lap("jsonld")
        checked, clock.stages["validate"] = checking.result()
    return Part(
        force=job.force,
        nquads=chunk,
        turtle=turtle,
        jsonld=jsonld,
        border=b"".join(line + b"\n" for line in border),
        pointed=_serialise(_types_of(store, about)),
        quotes=_serialise(_mention_quotes(store, about)),
        subjects=sorted({_subject(line) for line in own}),
        tally=_tally(own),
        conforms=checked.conforms,
        problems=checked.problems,
        report=checked.report_graph.serialize(format="nt", encoding="utf-8"),
        seconds=clock.stages,
    )


def _timed(
    fn: Callable[..., ValidationResult], *args: Any, **kwargs: Any
) -> tuple[ValidationResult, float]:
    started = time.perf_counter()
    return fn(*args, **kwargs), time.perf_counter() - started


def _lines(*texts: bytes) -> Iterator[bytes]:
    """The lines of N-Quads texts."""
    for text in texts:
        yield from text.splitlines()


def _subject(line: bytes) -> str:
    """The subject of an N-Quads line: an IRI, or a blank node's label."""
    token = line[: line.index(b" ")]
    return token[1:-1].decode() if token.startswith(b"<") else token[2:].decode()


def _quads(data: bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS, rename_blank_nodes=False))


def _serialise(quads: Iterable[ox.Quad]) -> bytes:
    return merge([ox.serialize(set(quads), format=ox.RdfFormat.N_QUADS) or b""])


def _jsonld(chunk: bytes) -> bytes:
    out = io.BytesIO()
    jsonld_graphs(chunk, load_context(), out)
    return out.getvalue()


def _types_of(store: Store, quads: list[ox.Quad]) -> Iterator[ox.Quad]:
    """The types of the nodes ``quads`` point to."""
    for node in {q.object for q in quads if isinstance(q.object, ox.NamedNode | ox.BlankNode)}:
        yield from store.oxigraph.quads_for_pattern(node, _TYPE, None)


def _mention_quotes(store: Store, quads: list[ox.Quad]) -> Iterator[ox.Quad]:
    """For each mention of a shared node in ``quads``: its spans, their selectors and
    quotes (what kg.link.themes tags an initiative by)."""
    find = store.oxigraph.quads_for_pattern
    for mention in {q.object for q in quads if q.predicate == _MENTION}:
        for span in find(_node(mention), _SPAN, None):
            yield span
            for selector in find(_node(span.object), _SELECTOR, None):
                yield selector
                yield from find(_node(selector.object), _EXACT, None)


def _node(term: object) -> ox.NamedNode | ox.BlankNode | None:
    """``term`` where it is a node (None, matching nothing, where it is a literal)."""
    return term if isinstance(term, ox.NamedNode | ox.BlankNode) else None


_COUNTED = {f"<{c}>".encode(): str(c) for c in COUNTED}
_TYPE_LINE = f"<{RDF.type}>".encode()
_KNOWN_LINE = f"<{vocab.knownOnlyThrough}>".encode()
_FINDING_LINES = {f"<{c}>".encode() for c in vocab.FINDING_TYPES.values()}


def _tally(lines: Iterable[bytes]) -> dict[str, int]:
    """Distinct triples of N-Quads ``lines``, the instances of each counted class among
    their subjects, and the findings known only through a later report."""
    instances: dict[str, set[bytes]] = defaultdict(set)
    triples, known, findings = set(), set(), set()
    for line in lines:
        triple = line.rsplit(b" ", 2)[0]  # '<s> <p> <o>' of '<s> <p> <o> <g> .'
        triples.add(triple)
        subject, predicate, value = triple.split(b" ", 2)
        if predicate == _TYPE_LINE and value in _COUNTED:
            instances[_COUNTED[value]].add(subject)
        if predicate == _TYPE_LINE and value in _FINDING_LINES:
            findings.add(subject)
        elif predicate == _KNOWN_LINE:
            known.add(subject)
    tally = {str(c): len(instances[str(c)]) for c in COUNTED}
    tally[KNOWN_ONLY] = len(known & findings)
    tally["triples"] = len(triples)
    return tally


# --- the shared part -----------------------------------------------------------------


@dataclass
class Shared:
    """The shared part, made: its chunk (the reference data, the entities graph and the
    shared initiatives' theme tags) in three formats, its counts and its validation."""

    nquads: bytes
    turtle: bytes
    jsonld: bytes
    tally: dict[str, int]
    validation: ValidationResult
    cached: bool = False


def shared_part(
    reference: bytes,
    entities: bytes,
    parts: list[Part],
    shared: set[str],
    ref: Reference,
    validator: str = "turbo",
    cache: Path | None = None,
) -> Shared:
    """:func:`make_shared`, kept in the folder ``cache`` under the digest of everything it
    is made from (a rebuild whose changed document says nothing new about a shared node
    reads it back). A damaged entry is made again."""
    if cache is None:
        return make_shared(reference, entities, parts, shared, ref, validator)
    said = (x for p in parts for x in (p.border, p.pointed, p.quotes))
    key = _digest("shared", validator, [reference, entities, *said], shared)
    base = cache / key
    names = ("nquads", "turtle", "jsonld", "report")
    try:
        meta = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        texts = {name: base.with_suffix(f".{name}").read_bytes() for name in names}
        problems = [Problem(**p) for p in meta["problems"]]
        checked = _restored(meta["conforms"], problems, texts.pop("report"))
        return Shared(**texts, tally=meta["tally"], validation=checked, cached=True)
    except (OSError, ValueError, KeyError, TypeError, SyntaxError):
        pass
    made = make_shared(reference, entities, parts, shared, ref, validator)
    cache.mkdir(parents=True, exist_ok=True)
    prune(cache, {key})
    report_text = made.validation.report_graph.serialize(format="nt", encoding="utf-8")
    for name, data in zip(names, (made.nquads, made.turtle, made.jsonld, report_text), strict=True):
        write_whole(base.with_suffix(f".{name}"), data)
    meta = {
        "tally": made.tally,
        "conforms": made.validation.conforms,
        "problems": [asdict(p) for p in made.validation.problems],
    }
    write_whole(base.with_suffix(".json"), json.dumps(meta).encode())  # last: marks it whole
    return made


def make_shared(
    reference: bytes,
    entities: bytes,
    parts: list[Part],
    shared: set[str],
    ref: Reference,
    validator: str = "turbo",
) -> Shared:
    """The shared part of ``parts`` (see the module docstring)."""
    about = merge([p.border for p in parts])
    theirs = [line for line in _lines(entities) if _subject(line) in shared]
    tags = nquads(_shared_tags(theirs, about, parts, ref), vocab.LINKS_GRAPH)
    chunk = merge([reference, entities, tags])
    counted = [*_lines(reference, tags, about), *theirs]
    mine = shared | {_subject(line) for line in _lines(tags)}  # and the tags
    checked = validate(
        merge([chunk, about, *(p.pointed for p in parts)]),
        validator=validator,
        keep=lambda focus: focus in mine,
        # as IRIs: the reference data's blank nodes (lists, class unions) are no target
        focus=sorted(s for s in mine if "://" in s),
    )
    return Shared(chunk, turtle_body(chunk), _jsonld(chunk), _tally(counted), checked)


def _shared_tags(
    entities: list[bytes], about: bytes, parts: list[Part], ref: Reference
) -> Iterator[Triple]:
    """The theme tags of the shared nodes (the initiatives among them), from their names
    and descriptions (``entities``: their entity triples) and the quotes of all their
    mentions."""
    g = Graph(store="SimpleMemory")
    for q in _quads(merge([b"\n".join(entities), about, *(p.quotes for p in parts)])):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))  # type: ignore[arg-type]
    return iter(theme_tags(g, ref.graph))


# --- making the parts, cached and in parallel --------------------------------------


class PartCache:
    """Made parts on disk, one file per key and FILES name (``<key>.nquads``, ``.turtle``,
    ``.jsonld``, ``.border`` …) and ``<key>.json`` (the rest), written last. A damaged
    entry is a miss, never an error."""

    FILES = ("nquads", "turtle", "jsonld", "border", "pointed", "quotes", "report")
    CHUNKS = ("nquads", "turtle", "jsonld")  # left in their files until written out

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def holds(self, key: str) -> bool:
        """True when an entry for ``key`` is here (it may still be damaged: see get)."""
        return (self.folder / f"{key}.json").is_file()

    def get(self, key: str) -> Part | None:
        """The part cached under ``key``, or None."""
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            texts: dict[str, Any] = {
                name: self._file(key, name, name not in self.CHUNKS) for name in self.FILES
            }
            problems = [Problem(**p) for p in meta.pop("problems")]
            return Part(**meta, **texts, problems=problems, cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _file(self, key: str, name: str, read: bool) -> bytes | Path:
        path = self.folder / f"{key}.{name}"
        if read:
            return path.read_bytes()
        if not path.is_file():
            raise OSError(f"{path}: missing")
        return path

    def put(self, key: str, part: Part) -> Part:
        """Store a made part (each file written whole, then renamed into place); the part
        with its chunks left in their files."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in self.FILES:
            write_whole(self.folder / f"{key}.{name}", read_chunk(getattr(part, name)))
        meta = {k: v for k, v in asdict(part).items() if k not in (*self.FILES, "cached")}
        write_whole(self.folder / f"{key}.json", json.dumps(meta).encode())  # last: marks it whole
        base = self.folder / key
        return replace(
            part,
            nquads=base.with_suffix(".nquads"),
            turtle=base.with_suffix(".turtle"),
            jsonld=base.with_suffix(".jsonld"),
        )

    def prune(self, keep: set[str]) -> None:
        """Remove the entries of keys not in ``keep``."""
        prune(self.folder, keep)


def _work(job: PartJob) -> Part:
    return make_part(job, load_reference())


def make_all(
    jobs: list[PartJob],
    shared: set[str],
    ref: Reference,
    cache: PartCache | None,
    workers: int,
    done: Callable[[str], None],
) -> tuple[list[Part], set[str]]:
    """Every part of ``jobs``, and the shared nodes: those of ``shared`` and any node that
    more than one part described as its own, or a part as its own though it is shared
    (those parts are then made again with it shared)."""
    parts = _make(jobs, ref, cache, workers, done)
    for _ in range(len(jobs) + 1):
        extra = _overlapping(parts) | {s for p in parts for s in p.subjects if s in shared}
        if not extra:
            break
        shared |= extra
        redo = [i for i, p in enumerate(parts) if extra.intersection(p.subjects)]
        for i in redo:
            mine = extra.intersection(parts[i].subjects)
            jobs[i] = replace(jobs[i], shared=jobs[i].shared | mine)
        again = _make([jobs[i] for i in redo], ref, cache, workers, done)
        for i, part in zip(redo, again, strict=True):
            parts[i] = part
    if cache:
        cache.prune({job.key() for job in jobs})
    return parts, shared


def _make(
    jobs: list[PartJob],
    ref: Reference,
    cache: PartCache | None,
    workers: int,
    done: Callable[[str], None],
) -> list[Part]:
    """Every part of ``jobs``, in their order: from ``cache`` where it holds them, the
    others on ``workers`` processes (while this one reads the cached ones)."""
    keys = [job.key() if cache else None for job in jobs]
    held = [bool(cache and k and cache.holds(k)) for k in keys]
    todo = [i for i, h in enumerate(held) if not h]
    parts: list[Part | None] = [None] * len(jobs)
    with ExitStack() as stack:
        futures = []
        if workers > 1 and todo and len(todo) + (len(todo) < len(jobs)) > 1:
            pool = stack.enter_context(fork_pool(min(workers, len(todo))))
            futures = [(i, pool.submit(_work, jobs[i])) for i in todo]
            todo = []
        for i, h in enumerate(held):
            if h and cache:
                parts[i] = cache.get(keys[i])  # type: ignore[arg-type]
                if parts[i] is None:  # damaged: made again
                    todo.append(i)
                else:
                    done(parts[i].force)  # type: ignore[union-attr]
        for i in todo:
            parts[i] = _keep(make_part(jobs[i], ref), cache, keys[i], done)
        for i, future in futures:
            parts[i] = _keep(future.result(), cache, keys[i], done)
    return [p for p in parts if p is not None]


def _keep(
    part: Part, cache: PartCache | None, key: str | None, done: Callable[[str], None]
) -> Part:
    if cache and key:
        part = cache.put(key, part)
    done(part.force)
    return part


def _overlapping(parts: list[Part]) -> set[str]:
    """Nodes that more than one part describes as its own."""
    seen = Counter(s for part in parts for s in part.subjects)
    return {s for s, n in seen.items() if n > 1}


def add_tallies(tallies: Iterable[dict[str, int]]) -> dict[str, int]:
    """The counts of the parts of a graph added up (their nodes and triples are distinct)."""
    total: dict[str, int] = defaultdict(int)
    for tally in tallies:
        for k, n in tally.items():
            total[k] += n
    return dict(total)


__all__ = [
    "COUNTED",
    "KNOWN_ONLY",
    "Part",
    "PartCache",
    "PartJob",
    "Shared",
    "add_tallies",
    "make_all",
    "make_part",
    "make_shared",
    "plan",
    "shared_part",
]
