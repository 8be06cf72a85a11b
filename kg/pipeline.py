"""The whole job: sources -> read -> extract -> build -> validate -> write.

Each source is read and extracted on its own (a pure function of its bytes
and the reference data), so sources can be cached by content hash and run in
parallel; the graph is assembled only at the end.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from kg import vocab
from kg.build import dataset, dataset_add, reference_graph, settle_initiatives, source_graph
from kg.errors import LayoutError
from kg.export import serialise, union, write_atomic
from kg.extract.facts import Issue, SourceFacts
from kg.layouts import LAYOUTS, Job, check_fit, layout
from kg.link import link_graph
from kg.paths import DEFAULT_MANIFEST
from kg.read.detect import detect_layout, marks_found
from kg.reference import Reference, load_reference
from kg.sources import Source, load_manifest, read_source
from kg.validate import ValidationResult, format_problems, validate

OUTPUTS = {"turtle": "peel.ttl", "jsonld": "peel.jsonld", "nq": "peel.nq"}
REPORT = "validation.txt"

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
    """What a build produced."""

    sources: list[Source]
    skipped: list[Source]
    dataset: Dataset
    validation: ValidationResult
    issues: list[Issue] = field(default_factory=list)
    detected: list[Source] = field(default_factory=list)  # sources whose layout was detected
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def conforms(self) -> bool:
        """True when the graph conforms to every shape."""
        return self.validation.conforms

    def counts(self) -> dict[str, int]:
        """Number of instances of each counted class."""
        g = self.dataset
        types = Counter(o for _, _, o, _ in g.quads((None, RDF.type, None, None)))
        return {str(c).split("#")[-1]: types.get(c, 0) for c in COUNTED}

    def known_only_through_later(self) -> int:
        """How many findings are known only through a later report's back-reference."""
        types, g = set(vocab.FINDING_TYPES.values()), self.dataset
        known = {s for s, _, _, _ in g.quads((None, vocab.knownOnlyThrough, None, None))}
        return sum(
            1 for s in known if any(o in types for _, _, o, _ in g.quads((s, RDF.type, None, None)))
        )

    def summary(self) -> str:
        """A few readable lines: sources, facts by type, issues, conformance, outputs."""
        lines = [f"Built {len(self.sources)} source(s) in {self.seconds:.2f} s:"]
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
        lines.append(f"  {'triples':<20} {len(self.dataset)}")
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


def extract_source(source: Source, ref: Reference) -> tuple[Source, SourceFacts]:
    """Read and extract one source: the source (its layout filled in when the manifest
    leaves it to be detected) and the facts read from it."""
    text = read_source(source)
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
    known = ref.force(source.force)
    return source, lay.process(Job(text, known.label if known else source.force, assessment, ref))


def process_source(source: Source, ref: Reference) -> tuple[Source, Graph, Graph, list[Issue]]:
    """Read, extract and build one source: the source (its layout filled in when detected),
    its named graph, its entity triples, its issues."""
    source, facts = extract_source(source, ref)
    graph, entities = source_graph(source, facts)
    return source, graph, entities, facts.issues


def assemble(ref: Reference, processed: list[tuple[Source, Graph, Graph]]) -> Dataset:
    """One Dataset from the processed sources (source, its graph, its entity triples).

    What sources word differently about a shared initiative is settled first:
    the earliest published source's wording stands.
    """
    ordered = sorted(processed, key=lambda p: (p[0].published, p[0].relpath))
    settle_initiatives([entities for _, _, entities in ordered])
    graphs = [reference_graph(ref)]
    for _, graph, entities in processed:
        graphs += [graph, entities]
    return dataset(graphs)


#: Told of each step of a build: (what is being done, steps done, steps in all).
Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    """The default progress: say nothing."""


def build_dataset(manifest: Path = DEFAULT_MANIFEST, progress: Progress = _quiet) -> BuildResult:
    """Build and validate the graph of every source the manifest marks for building;
    ``progress`` is told of each step (a source read, linking, validation)."""
    started = time.perf_counter()
    ref = load_reference()
    sources = load_manifest(manifest)
    chosen = [s for s in sources if s.build]
    steps = len(chosen) + 2
    processed, issues, built, detected = [], [], [], []
    for n, listed in enumerate(chosen):
        progress(f"reading {listed.relpath}", n, steps)
        source, graph, entities, found = process_source(listed, ref)
        processed.append((source, graph, entities))
        built.append(source)
        issues.extend(found)
        if not listed.layout:
            detected.append(source)
    progress("linking findings across assessments, tagging themes", len(chosen), steps)
    ds = assemble(ref, processed)
    data = union(ds)
    links = link_graph(data, ref)
    dataset_add(ds, links)
    data += links
    progress("validating against shapes/", len(chosen) + 1, steps)
    result = BuildResult(
        sources=built,
        skipped=[s for s in sources if not s.build],
        dataset=ds,
        validation=validate(data),
        issues=issues,
        detected=detected,
    )
    progress("validated", steps, steps)
    result.seconds = time.perf_counter() - started
    return result


def build(
    manifest: Path = DEFAULT_MANIFEST, out: Path = Path("out"), progress: Progress = _quiet
) -> BuildResult:
    """Build, validate, and write peel.ttl, peel.jsonld, peel.nq and validation.txt to ``out``.

    Each file is written to a temporary file first and renamed into place, so a
    failed build leaves the previous outputs whole.
    """
    result = build_dataset(manifest, progress)
    texts = {}
    for n, fmt in enumerate(OUTPUTS):
        progress(f"writing {OUTPUTS[fmt]}", n, len(OUTPUTS))
        texts[fmt] = serialise(result.dataset, fmt)
    progress("written", len(OUTPUTS), len(OUTPUTS))
    report = validation_report(result.validation)
    for fmt, name in OUTPUTS.items():
        write_atomic(out / name, texts[fmt])
        result.outputs[fmt] = out / name
    write_atomic(out / REPORT, report)
    result.outputs["validation"] = out / REPORT
    return result


def validation_report(result: ValidationResult) -> str:
    """The validation report written beside the graph: warnings are listed even when the
    graph conforms."""
    if result.conforms and not result.problems:
        return "Conforms: the graph satisfies every shape in shapes/.\n"
    if result.conforms:
        return "Conforms, with warnings.\n\n" + format_problems(result) + "\n"
    return "Does not conform.\n\n" + format_problems(result) + "\n"
