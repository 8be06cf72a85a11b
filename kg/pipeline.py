"""The whole job: sources -> read -> extract -> build -> assemble -> link -> validate -> write.

Each source is read, extracted and built on its own (kg.process: a pure function of
its bytes, its manifest entry and the reference data), in parallel and cached by
content hash; the graph is assembled at the end, once, as a sorted N-Quads text and
an Oxigraph store (kg.assemble), never as rdflib graphs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from rdflib import Dataset

from kg import vocab
from kg.assemble import (
    link_input,
    merge,
    merge_sorted,
    nquads,
    reference_nquads,
    settle_initiatives,
)
from kg.export import pending, write_atomic, write_nquads_as
from kg.extract.facts import Issue
from kg.link import link_graph
from kg.paths import DEFAULT_MANIFEST
from kg.process import Cache, default_jobs, extract_source, process_all, process_source
from kg.reference import load_reference
from kg.sources import Source, load_manifest
from kg.store import Store
from kg.validate import ValidationResult, format_problems, validate

OUTPUTS = {"turtle": "peel.ttl", "jsonld": "peel.jsonld", "nq": "peel.nq"}
REPORT = "validation.txt"
T = TypeVar("T")
#: Where a build keeps each source's processed result, inside its output folder.
CACHE_DIR = ".cache/sources"

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


@dataclass
class BuildResult:
    """What a build produced: the graph as a sorted N-Quads text (and as a store, made when
    asked for), with its counts."""

    sources: list[Source]
    skipped: list[Source]
    nquads: bytes
    validation: ValidationResult
    tally: dict[str, int]  # instances of each counted class, known-only findings, triples
    issues: list[Issue] = field(default_factory=list)
    detected: list[Source] = field(default_factory=list)  # sources whose layout was detected
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage
    cached: int = 0  # sources taken from the cache

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
        return self.tally["known only through a later report"]

    def triples(self) -> int:
        """Distinct triples of the union of every named graph."""
        return self.tally["triples"]

    def summary(self) -> str:
        """A few readable lines: sources, facts by type, issues, conformance, outputs."""
        reused = f" ({self.cached} unchanged, from the cache)" if self.cached else ""
        lines = [f"Built {len(self.sources)} source(s){reused} in {self.seconds:.2f} s:"]
        lines += [
            f"  {s.relpath}  ({s.layout}{' (detected)' if s in self.detected else ''}, "
            f"{s.assessment})"
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
        for name, path in self.outputs.items():
            lines.append(f"  wrote {name}: {path}")
        return "\n".join(lines)


#: Told of each step of a build: (what is being done, steps done, steps in all).
Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    """The default progress: say nothing."""


def _tally(store: Store) -> dict[str, int]:
    """The counts a build summary gives: instances of each counted class (by IRI), findings
    known only through a later report, distinct triples."""
    classes = " ".join(f"<{c}>" for c in COUNTED)
    rows = store.rows(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}"
        " GROUP BY ?c"
    )
    tally = {str(c): 0 for c in COUNTED}
    tally.update({str(r["c"]): int(str(r["n"])) for r in rows})
    types = " ".join(f"<{c}>" for c in vocab.FINDING_TYPES.values())
    (known,) = store.rows(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {types} }} "
        f"?s <{vocab.knownOnlyThrough}> ?doc ; a ?c }}"
    )
    (triples,) = store.rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    tally["known only through a later report"] = int(str(known["n"]))
    tally["triples"] = int(str(triples["n"]))
    return tally


def _timed(fn: Callable[..., T], *args: object) -> tuple[T, float]:
    """``fn(*args)`` and the seconds it took."""
    started = time.perf_counter()
    return fn(*args), time.perf_counter() - started


class _Clock:
    """Times the stages of a build."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self._last = now


def build_dataset(
    manifest: Path = DEFAULT_MANIFEST,
    progress: Progress = _quiet,
    *,
    cache: Path | None = None,
    jobs: int | None = None,
    validator: str = "turbo",
    alongside: Callable[[bytes], None] | None = None,
) -> BuildResult:
    """Build and validate the graph of every source the manifest marks for building.

    :param progress: told of each step (a source read, linking, validation).
    :param cache: a folder to keep each source's processed result in, reused while the
        source, its manifest entry, the code and the reference data are unchanged.
    :param jobs: worker processes for the sources (default: one per core).
    :param validator: the SHACL engine, ``turbo`` or ``pyshacl`` (kg.validate).
    :param alongside: work to do with the graph's N-Quads text while it is validated
        (pyshacl-turbo runs without the GIL, so on a second core).
    """
    started, clock = time.perf_counter(), _Clock()
    ref = load_reference()
    sources = load_manifest(manifest)
    chosen = [s for s in sources if s.build]
    steps = len(chosen) + 2
    clock.lap("load reference and manifest")

    def done(path: str, n: int, total: int) -> None:
        progress(f"read {path}", n, steps)

    processed = process_all(
        chosen, ref, Cache(cache) if cache else None, jobs or default_jobs(), done
    )
    clock.lap("read, extract and build sources")
    ordered = sorted(processed, key=lambda p: (p.source.published, p.source.relpath))
    entities = settle_initiatives([p.entities for p in ordered])
    data = merge([reference_nquads(ref), *(p.graph for p in processed), *entities])
    del entities
    processed = [replace(p, graph=b"", entities=b"") for p in processed]  # merged: let go
    store = Store.from_nquads(data)
    clock.lap("assemble")
    progress("linking findings across assessments, tagging themes", len(chosen), steps)
    links = nquads(link_graph(link_input(store), ref), vocab.LINKS_GRAPH)
    store.load_nquads(links)
    tally = _tally(store)
    data = merge_sorted(data, merge([links]))
    clock.lap("link")
    progress("validating against shapes/", len(chosen) + 1, steps)
    with ThreadPoolExecutor(max_workers=1) as pool:
        del store  # memory for the validator; the problems' spans come from the text
        checking = pool.submit(_timed, validate, data, None, validator)
        if alongside is not None:
            alongside(data)
        checked, seconds = checking.result()
    clock.lap("validate, and write alongside")
    clock.stages[f"validate ({validator})"] = seconds
    progress("validated", steps, steps)
    result = BuildResult(
        sources=[p.source for p in processed],
        skipped=[s for s in sources if not s.build],
        nquads=data,
        tally=tally,
        validation=checked,
        issues=[i for p in processed for i in p.issues],
        detected=[p.source for p, s in zip(processed, chosen, strict=True) if not s.layout],
        stages=clock.stages,
        cached=sum(1 for p in processed if p.cached),
    )
    result.seconds = time.perf_counter() - started
    return result


def build(
    manifest: Path = DEFAULT_MANIFEST,
    out: Path = Path("out"),
    progress: Progress = _quiet,
    *,
    cache: bool = True,
    jobs: int | None = None,
    validator: str = "turbo",
) -> BuildResult:
    """Build, validate, and write peel.ttl, peel.jsonld, peel.nq and validation.txt to ``out``.

    Each source's processed result is kept in ``out/.cache/sources`` (unless ``cache`` is
    False), so a rebuild reads again only the sources that changed. Each file is written
    to a temporary file first and renamed into place, so a failed build leaves the
    previous outputs whole.
    """
    folder = out / CACHE_DIR if cache else None
    written: dict[str, float] = {}
    with ExitStack() as files:
        ready: dict[str, Path] = {}

        def write_all(data: bytes) -> None:
            """Write each output to a temporary file while the graph is validated."""
            for n, (fmt, name) in enumerate(OUTPUTS.items()):
                progress(f"writing {name} while validating", n, len(OUTPUTS))
                fh, ready[fmt] = files.enter_context(pending(out / name))
                written[f"serialise {fmt}"] = _timed(write_nquads_as, data, fmt, fh)[1]
                fh.close()

        result = build_dataset(
            manifest, progress, cache=folder, jobs=jobs, validator=validator, alongside=write_all
        )
        clock = _Clock()
        write_atomic(out / REPORT, validation_report(result.validation))
        for fmt, tmp in ready.items():
            os.replace(tmp, out / OUTPUTS[fmt])
            result.outputs[fmt] = out / OUTPUTS[fmt]
        result.outputs["validation"] = out / REPORT
    progress("written", len(OUTPUTS), len(OUTPUTS))
    clock.lap("write files")
    result.stages.update(written)
    result.stages.update(clock.stages)
    result.seconds += sum(clock.stages.values())
    return result


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
