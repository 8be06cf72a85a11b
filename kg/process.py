"""Process every source: read, extract and build each one on its own, in parallel, cached.

A source's result (its named graph and entity triples as N-Quads, the layout it was
read with and the reader's issues) depends only on its bytes, its manifest entry, and
the code and reference data that read it. So each result is cached under a key made of
all three, and a rebuild after one document changes reads that one document again.
Sources not cached are shared among worker processes, one per core.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from kg import vocab
from kg.assemble import nquads
from kg.build import source_graph
from kg.errors import LayoutError
from kg.export import pending
from kg.extract.facts import Issue, SourceFacts
from kg.layouts import LAYOUTS, Job, Layout, check_fit, layout
from kg.paths import ONTOLOGY_DIR
from kg.read.detect import detect, detect_layout, marks_found
from kg.reference import Reference, load_reference
from kg.sources import Source, read_source

#: Bump when the cached form changes.
CACHE_FORMAT = 1


@dataclass(frozen=True)
class Processed:
    """One source, read and built: the source (its layout filled in when detected), its
    named graph and its entity triples as N-Quads, and what the reader could not read."""

    source: Source
    graph: bytes | Path  # a Path: in the cache, read when needed
    entities: bytes
    issues: list[Issue]
    cached: bool = False
    key: str | None = None  # its cache key (kg.process.cache_key), when cached


def extract_source(source: Source, ref: Reference) -> tuple[Source, SourceFacts]:
    """Read and extract one source: the source (its layout filled in when the manifest
    leaves it to be detected) and the facts read from it."""
    text = read_source(source)
    source = text.source  # its encoding filled in
    if not source.layout:
        found, counts = detect_layout(text.text)
        if found is None:
            raise LayoutError(
                f"{source.path}: the manifest gives no layout and the text does not show "
                f"one clearly (marks found: {marks_found(counts)}); add a layout field "
                f"({', '.join(sorted(LAYOUTS))})"
            )
        source = replace(source, layout=found)
    lay = layout(source.layout, f"{source.path}: layout")
    assessment = ref.assessment(source.assessment)
    check_fit(lay, assessment, source.kind, str(source.path))
    check_text(source, text.text, lay, ref)
    known = ref.force(source.force)
    facts = lay.process(Job(text, known.label if known else source.force, assessment, ref))
    facts.partial = facts.partial or source.partial  # the manifest says the copy is incomplete
    return source, facts


def check_text(source: Source, text: str, lay: Layout, ref: Reference) -> None:
    """LayoutError naming the source when its text contradicts the manifest: it shows the
    marks of another layout family than the manifest's layout (a full report declared as
    a news item), or its title or subject line ('An inspection of …') names another force
    than the manifest's. What the text does not tell is not checked here."""
    found, counts = detect_layout(text)
    family = _FAMILY.get(found or "")
    if family is not None and family != lay.family:
        raise LayoutError(
            f"{source.path}: the manifest gives the layout {source.layout!r}, but the text "
            f"shows the marks of the layout {found!r} (marks found: {marks_found(counts)}); "
            "correct the manifest's layout and kind"
        )
    names = ref.subject(_label(ref, source.force)).names
    if not any(n and n in text for n in names):
        return  # the reader refuses it: the text never mentions the force (facts.force_span)
    named = detect(text, ref, lay.family).force
    if named is not None and _label(ref, named) != _label(ref, source.force):
        raise LayoutError(
            f"{source.path}: the manifest gives the force {source.force!r}, but the text's "
            f"title or subject line names {named!r}; correct the manifest's force field"
        )


#: The layout family each detected layout belongs to.
_FAMILY = {name: lay.family for name, lay in LAYOUTS.items()}


def _label(ref: Reference, force: str) -> str:
    """A force's name in ontology/forces.ttl, else the name as written (spaces squeezed)."""
    known = ref.force(force)
    return known.label if known else " ".join(force.split())


def process_source(source: Source, ref: Reference) -> Processed:
    """Read, extract and build one source."""
    source, facts = extract_source(source, ref)
    graph, entities = source_graph(source, facts)
    return Processed(
        source,
        nquads(graph, vocab.graph_for(source.stem)),
        nquads(entities, vocab.ENTITY_GRAPH),
        facts.issues,
    )


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of everything a source's result depends on besides the source: the
    package's code and data files and the reference data (ontology/)."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    package = Path(__file__).parent
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += [p for p in ONTOLOGY_DIR.rglob("*") if p.is_file()]
    for path in sorted(files):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(source: Source) -> str | None:
    """The key of a source's cached result: its bytes, its manifest entry, the code and
    reference data. None when the file cannot be read or does not match its sha256
    (processing it then reports why)."""
    try:
        raw = source.path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(raw).hexdigest() != source.sha256:
        return None
    entry = {k: str(v) for k, v in asdict(source).items() if k != "path"}
    entry["relpath"] = source.relpath
    text = json.dumps(entry, sort_keys=True) + code_fingerprint()
    return hashlib.sha256(text.encode()).hexdigest()


class Cache:
    """Processed sources on disk: ``<key>.nq`` (graph), ``<key>.entities.nq`` and
    ``<key>.json`` (layout, issues). A damaged entry is a miss, never an error."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, source: Source, key: str) -> Processed | None:
        """The cached result of ``source`` under ``key``, or None."""
        base = self.folder / key
        try:
            meta = json.loads((base.with_suffix(".json")).read_text(encoding="utf-8"))
            graph = base.with_suffix(".nq")
            if not graph.is_file():
                return None
            entities = (self.folder / f"{key}.entities.nq").read_bytes()
            issues = [Issue(**i) for i in meta["issues"]]
            read = replace(source, layout=meta["layout"], encoding=meta["encoding"])
            return Processed(read, graph, entities, issues, True, key)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, done: Processed) -> None:
        """Store a processed source (each file written whole, then renamed into place)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "layout": done.source.layout,
            "encoding": done.source.encoding,
            "issues": [asdict(i) for i in done.issues],
        }
        assert isinstance(done.graph, bytes)
        files = {
            f"{key}.nq": done.graph,
            f"{key}.entities.nq": done.entities,
            f"{key}.json": json.dumps(meta).encode(),  # last: its presence marks a whole entry
        }
        for name, data in files.items():
            write_whole(self.folder / name, data)

    def prune(self, keep: set[str]) -> None:
        """Remove the entries of keys not in ``keep`` (sources changed or gone), so the
        cache holds what the last build used and no more."""
        prune(self.folder, keep)


def prune(folder: Path, keep: set[str]) -> None:
    """Remove the files of a cache folder (``<key>.<suffix>``) whose key is not in
    ``keep``; temporary files (named with a leading dot) are left to their writers."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name.split(".")[0] not in keep and not path.name.startswith("."):
            path.unlink(missing_ok=True)


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` (kg.export.pending), then rename
    it into place."""
    with pending(path) as (fh, tmp):
        fh.write(data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


#: Told of each source done: (its relative path, sources done, sources in all).
Done = Callable[[str, int, int], None]


def _work(source: Source) -> Processed:
    return process_source(source, load_reference())


def process_all(
    sources: list[Source], ref: Reference, cache: Cache | None, jobs: int, done: Done
) -> list[Processed]:
    """Every source processed, in the order given: from ``cache`` where it holds them,
    the others on ``jobs`` processes (in this process when one job or one source)."""
    results: list[Processed | None] = [None] * len(sources)
    keys = [cache_key(s) if cache else None for s in sources]
    todo, count = [], 0
    for i, (source, key) in enumerate(zip(sources, keys, strict=True)):
        results[i] = cache.get(source, key) if cache and key else None
        if results[i] is None:
            todo.append(i)
        else:
            count += 1
            done(source.relpath, count, len(sources))
    for i, result in _run(todo, sources, ref, jobs):
        results[i] = result
        if cache and keys[i]:
            cache.put(keys[i], result)  # type: ignore[arg-type]
            results[i] = replace(result, key=keys[i])
        count += 1
        done(sources[i].relpath, count, len(sources))
    if cache:
        cache.prune({k for k in keys if k})
    return [r for r in results if r is not None]


def _run(
    todo: list[int], sources: list[Source], ref: Reference, jobs: int
) -> Iterable[tuple[int, Processed]]:
    """Process the sources numbered ``todo``: (number, result) in the order given."""
    if jobs <= 1 or len(todo) <= 1:
        for i in todo:
            yield i, process_source(sources[i], ref)
        return
    with fork_pool(min(jobs, len(todo))) as pool:
        futures = [(i, pool.submit(_work, sources[i])) for i in todo]
        for i, future in futures:
            yield i, future.result()


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, forked where the platform can (so they start with
    the reference data this process has loaded)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def default_jobs() -> int:
    """One worker process per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


__all__ = [
    "Cache",
    "Processed",
    "cache_key",
    "code_fingerprint",
    "default_jobs",
    "extract_source",
    "fork_pool",
    "process_all",
    "process_source",
    "prune",
    "write_whole",
]
