"""The whole job: sources -> read -> extract -> build -> parts (link, validate) -> write.

Each source is read, extracted and built on its own (kg.process: a pure function of
its bytes, its manifest entry and the reference data), in parallel and cached by
content hash. Each force's sources are then linked, validated and written as one part
of the graph, and what forces share as one shared part (kg.parts), again in parallel
and cached; the outputs are the parts' chunks joined, written into a folder of their own
and swapped in as one set (kg.outputs). No rdflib graph of the whole is made.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from rdflib import Dataset

from kg import outputs, process, vocab
from kg.assemble import catalogue_nquads, merge, reference_nquads, settle_initiatives
from kg.errors import UsageError
from kg.export import (
    load_context,
    read_chunk,
    turtle_head,
    write_chunks,
)
from kg.extract.facts import Issue
from kg.jsonld import JSONLD_TAIL, jsonld_head
from kg.parts import (
    COUNTED,
    KNOWN_ONLY,
    Part,
    PartCache,
    Shared,
    add_tallies,
    make_all,
    plan,
    shared_part,
)
from kg.paths import DEFAULT_MANIFEST, DEFAULT_OUT
from kg.process import (
    Cache,
    Processed,
    default_jobs,
    extract_source,
    process_all,
    process_source,
    prune,
    write_whole,
)
from kg.progress import Clock
from kg.reference import Reference, load_reference
from kg.sources import UTF8, Source, load_manifest
from kg.store import Store
from kg.validate import ValidationResult, combine, format_problems

OUTPUTS = {"turtle": "peel.ttl", "jsonld": "peel.jsonld", "nq": "peel.nq"}
REPORT = "validation.txt"
#: Where a build keeps each source's processed result and each force's part, inside its
#: output folder.
CACHE_DIR = ".cache"


@dataclass
class BuildResult:
    """What a build produced: the graph in parts (kg.parts), as one N-Quads text, an rdflib
    Dataset or a store when asked for, with its counts."""

    sources: list[Source]
    skipped: list[Source]
    validation: ValidationResult
    tally: dict[str, int]  # instances of each counted class, known-only findings, triples
    issues: list[Issue] = field(default_factory=list)
    detected: list[Source] = field(default_factory=list)  # sources whose layout was detected
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage
    cached: int = 0  # sources taken from the cache
    forces: int = 0  # forces (parts of the graph)
    forces_cached: int = 0  # forces whose part was taken from the cache
    parts: list[Shared | Part] = field(default_factory=list)  # the shared part, then each force's
    replaced: bool = True  # its outputs were swapped in (kg.outputs), not kept aside

    @cached_property
    def nquads(self) -> bytes:
        """The graph as N-Quads: the shared part's lines, then each force's part's, each
        part's sorted, every quad once (made on first use from the parts, or from the
        written peel.nq)."""
        written = self.outputs.get("nq")
        if written is not None:
            return written.read_bytes()
        return b"".join(read_chunk(p.nquads) for p in self.parts)

    @property
    def conforms(self) -> bool:
        """True when the graph conforms to every shape."""
        return self.validation.conforms

    @cached_property
    def dataset(self) -> Dataset:
        """The graph as an rdflib Dataset, every named graph kept (made on first use; slow
        at national scale, so the build itself never makes it)."""
        ds = Dataset()
        for prefix, ns in vocab.PREFIXES.items():
            ds.bind(prefix, ns)
        ds.parse(data=self.nquads, format="nquads")
        return ds

    @cached_property
    def store(self) -> Store:
        """The graph in an Oxigraph store, for SPARQL (made on first use)."""
        return Store.from_nquads(self.nquads)

    def counts(self) -> dict[str, int]:
        """Number of instances of each counted class."""
        return {str(c).split("#")[-1]: self.tally[str(c)] for c in COUNTED}

    def known_only_through_later(self) -> int:
        """How many findings are known only through a later report's back-reference."""
        return self.tally[KNOWN_ONLY]

    def triples(self) -> int:
        """Distinct triples of the union of every named graph."""
        return self.tally["triples"]

    def summary(self) -> str:
        """A few readable lines: sources, facts by type, issues, conformance, outputs."""
        reused = f" ({self.cached} unchanged, from the cache)" if self.cached else ""
        parts = f" ({self.forces_cached} unchanged)" if self.forces_cached else ""
        lines = [
            f"Built {len(self.sources)} source(s){reused} of {self.forces} force(s){parts} "
            f"in {self.seconds:.2f} s:"
        ]
        lines += [
            f"  {s.relpath}  ({s.layout}{' (detected)' if s in self.detected else ''}, "
            f"{s.assessment}{f', read as {s.encoding}' if s.encoding != UTF8 else ''})"
            for s in self.sources
        ]
        if self.skipped:
            lines.append(
                f"Listed but not built ({len(self.skipped)}): "
                + ", ".join(s.path.name for s in self.skipped)
            )
        lines.append("Facts:")
        lines += [f"  {name:<20} {n}" for name, n in self.counts().items()]
        lines.append(
            f"  findings known only through a later report: {self.known_only_through_later()}"
        )
        lines.append(f"  {'triples':<20} {self.triples()}")
        if self.issues:
            lines.append(f"Reader issues ({len(self.issues)}):")
            lines += [f"  {i}" for i in self.issues]
        warnings = sum(1 for p in self.validation.problems if p.severity == "Warning")
        verdict = (
            f"conforms{f' ({warnings} warning(s): see validation.txt)' if warnings else ''}"
            if self.conforms
            else (f"DOES NOT CONFORM ({len(self.validation.problems)} problem(s))")
        )
        lines.append(f"SHACL validation: {verdict}")
        if not self.replaced:
            lines.append(
                "  kept the previous outputs, which conform; this build's are beside them "
                "(build with --force to replace them)"
            )
        for name, path in self.outputs.items():
            lines.append(f"  wrote {name}: {path}")
        return "\n".join(lines)


#: Told of each step of a build: (what is being done, steps done, steps in all).
Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    """The default progress: say nothing."""


def build_dataset(
    manifest: Path = DEFAULT_MANIFEST,
    progress: Progress = _quiet,
    *,
    cache: Path | None = None,
    jobs: int | None = None,
    validator: str = "turbo",
) -> BuildResult:
    """Build and validate the graph of every source the manifest marks for building.

    :param progress: told of each step (a source read, a force's part made).
    :param cache: a folder to keep each source's processed result and each force's part
        in (``sources/``, ``parts/``), reused while what they are made from is unchanged.
    :param jobs: worker processes (default: one per core).
    :param validator: the SHACL engine, ``turbo`` or ``pyshacl`` (kg.validate).
    """
    started, clock = time.perf_counter(), Clock()
    ref = load_reference()
    sources = load_manifest(manifest)
    chosen = [s for s in sources if s.build]
    forces = {_force(s, ref) for s in chosen}
    steps, workers = len(chosen) + len(forces) + 1, jobs or default_jobs()
    clock.lap("load reference and manifest")
    count = itertools.count(1)  # a force made again (kg.parts.make_all) counts again
    processed = process_all(
        chosen,
        ref,
        Cache(cache / "sources") if cache else None,
        workers,
        lambda path, n, total: progress(f"read {path}", min(next(count), steps), steps),
    )
    clock.lap("read, extract and build sources")
    ordered = sorted(processed, key=lambda p: (p.source.published, p.source.relpath))
    settled = settle_initiatives([p.entities for p in ordered])
    groups: dict[str, list[tuple[Processed, bytes]]] = defaultdict(list)
    for p, entities in zip(ordered, settled, strict=True):
        groups[_force(p.source, ref)].append((p, entities))
    reference = _reference(ref, cache / "reference" if cache else None)
    todo, shared = plan(reference, {f: _inputs(g) for f, g in groups.items()}, validator)
    del groups
    processed = [replace(p, graph=b"", entities=b"") for p in processed]  # planned: let go
    clock.lap("assemble")
    parts, shared = make_all(
        todo,
        shared,
        ref,
        PartCache(cache / "parts") if cache else None,
        workers,
        lambda force: progress(f"linked and validated {force}", min(next(count), steps), steps),
    )
    del todo
    clock.lap("link, validate and write each force")
    for step in ("link", "validate", "turtle", "jsonld"):  # in the workers, added up
        made = [p.seconds.get(step, 0.0) for p in parts if not p.cached]
        clock.stages[f"  {step} (seconds in the workers, all forces made)"] = sum(made)
    common = shared_part(
        merge([reference, catalogue_nquads()]),
        merge(settled),
        parts,
        shared,
        ref,
        validator,
        cache / "shared" if cache else None,
    )
    progress("validated", steps, steps)
    clock.lap("the shared part")
    result = BuildResult(
        sources=[p.source for p in processed],
        skipped=[s for s in sources if not s.build],
        tally=add_tallies([common.tally, *(p.tally for p in parts)]),
        validation=combine([common.validation, *(p.validation() for p in parts)]),
        issues=[i for p in processed for i in p.issues],
        detected=[p.source for p, s in zip(processed, chosen, strict=True) if not s.layout],
        stages=clock.stages,
        cached=sum(1 for p in processed if p.cached),
        forces=len(parts),
        forces_cached=sum(1 for p in parts if p.cached),
        parts=[common, *parts],
    )
    result.seconds = time.perf_counter() - started
    return result


def _reference(ref: Reference, folder: Path | None) -> bytes:
    """The reference data's N-Quads (kg.assemble.reference_nquads), kept in ``folder``
    under the code's fingerprint (which covers ontology/): made again only when they
    change."""
    if folder is None:
        return reference_nquads(ref)
    key = process.code_fingerprint()
    path = folder / f"{key}.nq"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = reference_nquads(ref)
    folder.mkdir(parents=True, exist_ok=True)
    write_whole(path, data)
    prune(folder, {key})
    return data


def _joined(chunks: list[bytes | Path], between: bytes) -> list[bytes | Path]:
    """``chunks`` with ``between`` between each two that are not empty."""
    kept = [c for c in chunks if (c.stat().st_size if isinstance(c, Path) else len(c))]
    return [x for n, c in enumerate(kept) for x in ((between, c) if n else (c,))]


def _inputs(
    sources: list[tuple[Processed, bytes]],
) -> tuple[list[bytes | Path], bytes, tuple[str, ...]]:
    """A force's sources (with their settled entity triples) as kg.parts.plan takes them:
    graphs, entity triples, and cache keys (none unless every source has one)."""
    keys = tuple(p.key for p, _ in sources if p.key)
    return (
        [p.graph for p, _ in sources],
        merge([e for _, e in sources]),
        keys if len(keys) == len(sources) else (),
    )


def _force(source: Source, ref: Reference) -> str:
    """The force a source is about, by its name in ontology/forces.ttl where it has one."""
    known = ref.force(source.force)
    return known.label if known else source.force


def build(
    manifest: Path = DEFAULT_MANIFEST,
    out: Path = DEFAULT_OUT,
    progress: Progress = _quiet,
    *,
    cache: bool = True,
    jobs: int | None = None,
    validator: str = "turbo",
    force: bool = False,
) -> BuildResult:
    """Build, validate, and write peel.ttl, peel.jsonld, peel.nq and validation.txt to ``out``.

    The four files are replaced as one set (kg.outputs): written into a folder of their
    own under ``out/builds``, then swapped in by one rename, so a failed or killed build
    leaves the previous set whole. A second build into ``out`` meanwhile stops at once.
    Each source's processed result and each force's part are kept in ``out/.cache``
    (unless ``cache`` is False), so a rebuild redoes only what changed.

    :param force: swap the new set in even when its graph does not conform and the
        previous one does; without it such a build is kept aside in ``out/rejected``
        (``result.replaced`` is False), the previous set staying in place.
    :raises UsageError: when another build is writing ``out``, or ``out`` cannot be
        written.
    """
    check_out(out)
    with outputs.lock(out):
        outputs.prepare(out, (*OUTPUTS.values(), REPORT))
        result = build_dataset(
            manifest,
            progress,
            cache=out / CACHE_DIR if cache else None,
            jobs=jobs,
            validator=validator,
        )
        _write(result, out, progress, force)
    return result


def _write(result: BuildResult, out: Path, progress: Progress, force: bool) -> None:
    """Write the outputs of ``result`` into a new build folder of ``out`` and swap them in
    (or, not conforming over a conforming set without ``force``, keep them aside)."""
    clock = Clock()
    chunks: dict[str, list[bytes | Path]] = {
        "turtle": [turtle_head(), *(p.turtle for p in result.parts)],
        "jsonld": [
            jsonld_head(load_context()),
            *_joined([p.jsonld for p in result.parts], b","),
            JSONLD_TAIL,
        ],
        "nq": [p.nquads for p in result.parts],
    }
    with outputs.staging(out) as stage:
        for n, (fmt, name) in enumerate(OUTPUTS.items()):
            progress(f"writing {name}", n, len(OUTPUTS))
            with (stage / name).open("wb") as fh:
                write_chunks(fh, chunks.pop(fmt))
            clock.lap(f"write {name}")
        (stage / REPORT).write_bytes(validation_report(result.validation).encode("utf-8"))
        result.replaced = result.conforms or force or not outputs.conforming(out, REPORT)
        if result.replaced:
            outputs.swap_in(out, stage)
            shown = out
        else:
            outputs.set_aside(out, stage)
            shown = out / outputs.REJECTED
    result.outputs.update({fmt: shown / name for fmt, name in OUTPUTS.items()})
    result.outputs["validation"] = shown / REPORT
    progress("written", len(OUTPUTS), len(OUTPUTS))
    clock.lap("write the validation report, swap the outputs in")
    result.stages.update(clock.stages)
    result.seconds += sum(clock.stages.values())


def check_out(out: Path) -> None:
    """Make sure a build can write in ``out`` (made if missing) before any work starts:
    UsageError naming it when it is a file or cannot be written."""
    if out.exists() and not out.is_dir():
        raise UsageError(
            f"--out {out}: is a file, not a folder; give a folder for the outputs (made if missing)"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise UsageError(
            f"--out {out}: cannot write there ({exc.strerror or exc}); give a folder you "
            "can write to"
        ) from exc


def validation_report(result: ValidationResult) -> str:
    """The validation report written beside the graph: warnings are listed even when the
    graph conforms."""
    if result.conforms and not result.problems:
        return "Conforms: the graph satisfies every shape in shapes/.\n"
    if result.conforms:
        return "Conforms, with warnings.\n\n" + format_problems(result) + "\n"
    return "Does not conform.\n\n" + format_problems(result) + "\n"


__all__ = [
    "OUTPUTS",
    "BuildResult",
    "Progress",
    "build",
    "build_dataset",
    "extract_source",
    "process_source",
    "validation_report",
]
