"""Bad input to the build (issue 12, item 1): each case exits 2 with a message naming the
file and the line or field and what to do, and leaves the previous outputs as they were;
text in another encoding, with a byte order mark or CRLF line endings is read honestly."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.paths import ROOT
from kg.pipeline import OUTPUTS, REPORT

REPORT_2023 = "000_82645b4a8ccb79df.txt"
REPORT_2025 = "001_440047dec6ca2f53.txt"
WEB_2016 = "002_a421d2335a84c635.txt"
WEB_2014 = "004_39e47f380a8d2144.txt"
OUTPUT_FILES = [*OUTPUTS.values(), REPORT]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


def copy_corpus(folder: Path) -> Path:
    """The shipped manifest and sources, copied into ``folder``; returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    for p in (ROOT / "data").iterdir():
        if p.is_file():
            (folder / p.name).write_bytes(p.read_bytes())
    return folder / "manifest.toml"


def put(manifest: Path, name: str, data: bytes) -> None:
    """Replace a source's bytes and register them (its sha256 in the manifest)."""
    path = manifest.parent / name
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes(data)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8")


def put_line(manifest: Path, name: str, number: int, line: str) -> None:
    """Replace line ``number`` (1-based) of a source with ``line``, and register it."""
    lines = text_of(manifest, name).split("\n")
    lines[number - 1] = line
    put(manifest, name, "\n".join(lines).encode())


def text_of(manifest: Path, name: str) -> str:
    return (manifest.parent / name).read_text(encoding="utf-8")


def edit(manifest: Path, old: str, new: str) -> None:
    """Replace the first ``old`` of the manifest with ``new``."""
    text = manifest.read_text(encoding="utf-8")
    assert old in text, old
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")


def cut(manifest: Path, name: str, share: float) -> None:
    """Keep the first ``share`` of a source, to the end of a line."""
    raw = (manifest.parent / name).read_bytes()
    put(manifest, name, raw[: int(len(raw) * share)].rsplit(b"\n", 1)[0] + b"\n")


def mentions_btp(m: Path) -> None:
    """A report of Northamptonshire Police that mentions British Transport Police, assigned
    to British Transport Police."""
    text = text_of(m, REPORT_2025)
    put(
        m, REPORT_2025, text.replace("\n\n", "\n\nWe met British Transport Police.\n\n", 1).encode()
    )
    section = m.read_text(encoding="utf-8").split(f'file = "{REPORT_2025}"')
    section[1] = section[1].replace("Northamptonshire Police", "British Transport Police", 1)
    m.write_text(f'file = "{REPORT_2025}"'.join(section), encoding="utf-8")


def named_twice(m: Path) -> None:
    text = m.read_text(encoding="utf-8")
    first = text.index("\n[[document]]")
    m.write_text(text + text[first : text.index("\n[[document]]", first + 1)], encoding="utf-8")


def folder_source(m: Path) -> None:
    (m.parent / WEB_2016).unlink()
    (m.parent / WEB_2016).mkdir()


#: (case, how to spoil the corpus copy, pieces of the message). The manifest's path is
#: "MANIFEST" in the pieces.
CASES: list[tuple[str, Callable[[Path], object], list[str]]] = [
    ("missing file", lambda m: (m.parent / WEB_2016).unlink(),
     [f"{WEB_2016}: file named in the manifest does not exist"]),
    ("empty file", lambda m: put(m, WEB_2016, b""),
     [f"{WEB_2016}: the file is empty; give the document's text, or remove its entry"]),
    ("blank file", lambda m: put(m, WEB_2016, b"\n  \r\n"), [f"{WEB_2016}: the file is empty"]),
    ("binary file", lambda m: put(m, WEB_2016, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n\x00\x01\x02"),
     [f"{WEB_2016}: byte 15 is a NUL: the file is binary", "give its text, saved as UTF-8"]),
    ("control characters", lambda m: put(m, WEB_2016, b"Northamptonshire\x1b[0m Police\n"),
     [f"{WEB_2016}:1: character 16 (read as UTF-8) is the control character '\\x1b'"]),
    ("UTF-16 without a BOM", lambda m: put(m, WEB_2016, text_of(m, WEB_2016).encode("utf-16-le")),
     [f"{WEB_2016}: byte 1 is a NUL", "UTF-16 without a byte order mark"]),
    ("mixed encodings",
     lambda m: put(m, WEB_2016, text_of(m, WEB_2016).encode() + "\nfin – \n".encode("cp1252")),
     [f"{WEB_2016}: byte", "is not valid UTF-8, but byte", "mixes encodings; save it as UTF-8"]),
    ("neither UTF-8 nor Windows-1252", lambda m: put(m, WEB_2016, b"Police \x81\n"),
     [f"{WEB_2016}: byte 7 is not valid Windows-1252, nor UTF-8; save the file as UTF-8"]),
    ("report cut to 30%", lambda m: cut(m, REPORT_2023, 0.3),
     [f"{REPORT_2023}: the text looks cut short (it says it makes 9 graded judgments, and "
      "has sections for 3 graded area(s)): it has no section for Building, supporting and "
      "protecting the workforce; Investigating crime; Leadership and force management; "
      "Managing offenders and suspects; Protecting vulnerable people; Responding to the "
      "public of the 2023–25 framework", "add 'partial = true' to its manifest entry"]),
    ("report cut to 60%", lambda m: cut(m, REPORT_2025, 0.6),
     [f"{REPORT_2025}: the text looks cut short (its judgments table grades 'Providing a "
      "safe custody environment', which has no section)", "Managing fraud"]),
    ("report declared a news item",
     lambda m: edit(m, 'layout = "peel-report"\nkind = "inspection-report"',
                    'layout = "news-article"\nkind = "news-article"'),
     [f"{REPORT_2023}: the manifest gives the layout 'news-article', but the text shows the "
      "marks of the layout 'peel-report'", "correct the manifest's layout and kind"]),
    ("unknown layout", lambda m: edit(m, 'layout = "hmic-web"', 'layout = "hmic-pdf"'),
     [f"{WEB_2016}: layout: no reader for layout 'hmic-pdf'; known layouts: hmic-web"]),
    ("'adequate' on a 2014 page",
     lambda m: put(m, WEB_2014, text_of(m, WEB_2014).replace("is good at reducing",
                                                             "is adequate at reducing").encode()),
     [f"{WEB_2014}:8: the grade 'adequate' is not on the grade scale of 2014 (outstanding, "
      "good, requires improvement, inadequate)"]),
    ("'adequate' on a 2016 grade line",
     lambda m: put(m, WEB_2016, text_of(m, WEB_2016).replace("\nRequires improvement\n",
                                                             "\nAdequate\n", 1).encode()),
     [f"{WEB_2016}:84: the grade 'adequate' is not on the grade scale of 2016"]),
    ("a closing grade line that is no grade", lambda m: put_line(m, REPORT_2023, 164, "Splendid"),
     [f"{REPORT_2023}:164: 'Splendid' stands where the grade of 'Responding to the public' is "
      "written (the line that closes its section), but it is no grade of the 2023–25 scale",
      "the sentence at line 139 says 'requires improvement'; correct the line"]),
    ("a grade line under a heading that is no grade",
     lambda m: put_line(m, REPORT_2025, 209, "Splendid"),
     [f"{REPORT_2025}:209: 'Splendid' stands where the grade of 'Attracting, developing and "
      "retaining the workforce and creating a diverse and inclusive workplace' is written (the "
      "line after its heading)"]),
    ("a grade line under 'Last updated' that is no grade",
     lambda m: put_line(m, WEB_2016, 84, "Splendid"),
     [f"{WEB_2016}:84: 'Splendid' stands where the grade of 'Effectiveness' is written (the "
      "line under 'Last updated 02/03/2017'), but it is no grade of the 2016 scale"]),
    ("a file named twice", named_twice,
     ["MANIFEST: the same file name appears twice: 000_82645b4a8ccb79df (documents 1 and 6)"]),
    ("stale sha256", lambda m: (m.parent / WEB_2016).write_text("changed\n"),
     [f"{WEB_2016}: sha256 is", "Restore the original file, or register the new one"]),
    ("not TOML", lambda m: m.write_text(m.read_text() + "\n[[document\n"),
     ["MANIFEST: not valid TOML: Expected ']]' at the end of an array declaration (at line",
      "column 11); correct it there"]),
    ("a missing field", lambda m: edit(m, 'licence = "Open Government Licence v3.0"\n', ""),
     [f"MANIFEST: document 1 ({REPORT_2023}): missing field(s) licence"]),
    ("a number for text", lambda m: edit(m, 'force = "Northamptonshire Police"', "force = 42"),
     [f"MANIFEST: document 1 ({REPORT_2023}): force = 42 is not text; write it in quotes"]),
    ("a date for text", lambda m: edit(m, 'published = "2024-02"', "published = 2024-02-01"),
     ["MANIFEST: document 1", "published = 2024-02-01 is not text"]),
    ("a day the calendar lacks",
     lambda m: edit(m, 'published = "2024-02"', 'published = "2023-02-29"'),
     [f"MANIFEST: document 1 ({REPORT_2023}): published '2023-02-29' is not a date of the "
      "calendar"]),
    ("text for a flag", lambda m: edit(m, "third_party = false", 'third_party = "no"'),
     [f"MANIFEST: document 1 ({REPORT_2023}): third_party must be true or false"]),
    ("a force the text only mentions", mentions_btp,
     [f"{REPORT_2025}: the manifest gives the force 'British Transport Police', but the "
      "text's title or subject line names 'Northamptonshire Police'"]),
    ("a source that is a folder", folder_source,
     [f"{WEB_2016}: the manifest names a folder, not a file"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """The shipped corpus copied and built once: (manifest, output folder, the outputs)."""
    manifest = copy_corpus(tmp_path_factory.mktemp("corpus"))
    out = manifest.parent / "out"
    assert run("build", "--manifest", str(manifest), "--out", str(out), "--jobs", "1")[0] == 0
    return manifest, out, {name: (out / name).read_bytes() for name in OUTPUT_FILES}


@pytest.fixture()
def spoiled(corpus: tuple[Path, Path, dict[str, bytes]]) -> Iterator[Path]:
    """The corpus copy, put back as it was after each test."""
    manifest = corpus[0]
    kept = {p.name: p.read_bytes() for p in manifest.parent.iterdir() if p.is_file()}
    yield manifest
    for p in manifest.parent.iterdir():
        if p.name not in kept and p.name != "out":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        elif p.is_dir() and p.name in kept:
            p.rmdir()
    for name, data in kept.items():
        (manifest.parent / name).write_bytes(data)


@pytest.mark.parametrize(("case", "spoil", "pieces"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_and_keeps_the_previous_outputs(
    corpus: tuple[Path, Path, dict[str, bytes]],
    spoiled: Path,
    case: str,
    spoil: Callable[[Path], object],
    pieces: list[str],
) -> None:
    _, out, before = corpus
    spoil(spoiled)
    code, stderr = run("build", "--manifest", str(spoiled), "--out", str(out), "--jobs", "1")
    assert code == 2, stderr
    for piece in pieces:
        assert piece.replace("MANIFEST", str(spoiled)) in stderr
    assert "Traceback" not in stderr
    assert {name: (out / name).read_bytes() for name in OUTPUT_FILES} == before


def test_a_report_the_manifest_marks_partial_is_built_as_partial(
    corpus: tuple[Path, Path, dict[str, bytes]], spoiled: Path, tmp_path: Path
) -> None:
    cut(spoiled, REPORT_2023, 0.3)
    edit(spoiled, "third_party = false", "third_party = false\npartial = true")
    from kg.pipeline import build_dataset

    result = build_dataset(spoiled, jobs=1)
    partial = result.store.rows(
        "PREFIX peel: <https://w3id.org/peel-kg/ontology#> "
        "SELECT ?doc WHERE { ?doc peel:partial true }"
    )
    assert [str(r["doc"]).rsplit("/", 1)[-1] for r in partial] == ["000-82645b4a8ccb79df"]


def test_a_manifest_that_is_a_folder_exits_2(tmp_path: Path) -> None:
    code, stderr = run("build", "--manifest", str(tmp_path), "--out", str(tmp_path / "o"))
    assert code == 2
    assert f"{tmp_path}: is a folder, not a manifest; give the manifest file" in stderr


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("file", "is a file, not a folder; give a folder for the outputs"),
        ("file/out", "cannot write there (Not a directory); give a folder you can write to"),
    ],
)
def test_an_out_that_cannot_be_written_is_refused_before_any_work(
    tmp_path: Path, where: str, message: str
) -> None:
    """--out is checked first: the manifest (here none) is not even read."""
    (tmp_path / "file").write_text("not a folder\n")
    out = tmp_path / where
    code, stderr = run("build", "--manifest", str(tmp_path / "none.toml"), "--out", str(out))
    assert code == 2
    assert f"--out {out}: {message}" in stderr
    assert "manifest" not in stderr


def plain(text: str) -> str:
    """``text`` with its curly quotes, dashes and bullets made ASCII: Latin-1 has none."""
    return text.translate(str.maketrans("‘’“”–—•", "''\"\"--*"))


#: How to write a text in each encoding the build reads, and what it says it read:
#: (the text the copy holds, its bytes, the encoding said in the summary, the charset
#: recorded in the graph).
ENCODINGS: dict[str, tuple[Callable[[str], str], Callable[[str], bytes], str, str | None]] = {
    "UTF-8 with BOM": (str, lambda t: b"\xef\xbb\xbf" + t.encode(), "UTF-8 with BOM", "UTF-8"),
    "CRLF": (str, lambda t: t.replace("\n", "\r\n").encode(), "UTF-8", None),
    "Windows-1252": (str, lambda t: t.encode("cp1252"), "Windows-1252", "windows-1252"),
    "Latin-1": (plain, lambda t: t.encode("latin-1"), "Windows-1252", "windows-1252"),
    "UTF-16": (str, lambda t: t.encode("utf-16"), "UTF-16", "UTF-16"),
}


def read_facts(manifest: Path, name: str) -> tuple[list[list[Any]], str, bytes]:
    """What a source yields, its line breaks made LF (offsets aside): areas with their
    grade claims and findings, counts of figures, initiatives and issues; with the
    encoding it was read in and its named graph."""
    from kg import vocab
    from kg.assemble import nquads
    from kg.build import source_graph
    from kg.process import extract_source
    from kg.reference import load_reference
    from kg.sources import load_manifest

    ref = load_reference()
    (source,) = [s for s in load_manifest(manifest) if s.path.name == name]
    read, facts = extract_source(source, ref)

    def lf(text: str) -> str:
        return text.replace("\r\n", "\n")

    areas = [
        (a.label, [(c.form, c.grade, lf(c.span.quote)) for c in a.claims],
         [(f.type, lf(f.headline), lf(f.body)) for f in a.findings])
        for a in facts.areas
    ]  # fmt: skip
    counts = [len(facts.observations), len(facts.initiatives), len(facts.issues)]
    graph = nquads(source_graph(read, facts)[0], vocab.graph_for(read.stem))
    return [areas, counts], read.encoding, graph


@pytest.mark.parametrize(
    ("name", "encoding"),
    [(WEB_2016, e) for e in ENCODINGS] + [(REPORT_2023, "CRLF"), (REPORT_2023, "Windows-1252")],
)
def test_other_encodings_and_line_endings_read_the_same_facts_with_honest_offsets(
    tmp_path: Path, encoding: str, name: str
) -> None:
    from kg.sources import decode
    from kg.store import Store
    from tests.test_provenance import SPANS

    prepare, write, said, charset = ENCODINGS[encoding]
    manifest = copy_corpus(tmp_path / "utf8")
    text = prepare(text_of(manifest, name))
    put(manifest, name, text.encode("utf-8"))
    other = copy_corpus(tmp_path / "other")
    put(other, name, write(text))
    utf8_facts, utf8, _ = read_facts(manifest, name)
    facts, read_as, graph = read_facts(other, name)
    assert (utf8, read_as) == ("UTF-8", said)
    assert facts == utf8_facts
    assert facts[0], "the document's areas are read"
    path = other.parent / name
    decoded, _ = decode(path, path.read_bytes())
    store = Store.from_nquads(graph)
    spans = store.rows(SPANS)
    assert len(spans) > 20
    for r in spans:
        start, end = int(str(r["start"])), int(str(r["end"]))
        assert decoded[start:end] == str(r["quote"])
    formats = store.rows("SELECT ?f WHERE { ?d <http://purl.org/dc/terms/format> ?f }")
    assert [str(r["f"]) for r in formats] == ([f"text/plain; charset={charset}"] if charset else [])


def test_the_summary_says_which_encoding_a_source_was_read_in(tmp_path: Path) -> None:
    from kg.pipeline import build_dataset

    folder = tmp_path / "corpus"
    manifest = copy_corpus(folder)
    put(manifest, WEB_2016, text_of(manifest, WEB_2016).encode("cp1252"))
    entries = manifest.read_text(encoding="utf-8").split("\n[[document]]")
    kept = [e for e in entries[1:] if f'file = "{WEB_2016}"' in e]
    manifest.write_text("[[document]]" + kept[0], encoding="utf-8")
    summary = build_dataset(manifest, jobs=1).summary()
    assert f"{WEB_2016}  (hmic-web, 2016, read as Windows-1252)" in summary


def test_an_invalid_date_is_reported_and_left_out(tmp_path: Path) -> None:
    """'Last updated 31/02/2016' names no day: the reader reports it and records no date
    (it once reached the graph as "2016-02-31"^^xsd:date and passed SHACL)."""
    from kg.process import extract_source
    from kg.reference import load_reference
    from kg.sources import load_manifest

    manifest = copy_corpus(tmp_path)
    text = text_of(manifest, WEB_2016).replace("Last updated 03/11/2016", "Last updated 31/02/2016")
    put(manifest, WEB_2016, text.encode())
    (source,) = [s for s in load_manifest(manifest) if s.path.name == WEB_2016]
    _, facts = extract_source(source, load_reference())
    dated = {a.label: a.updated for a in facts.areas if a.updated}
    # the efficiency section and its two questions were dated 03/11/2016: now none is
    assert dated == {
        "Effectiveness": "2017-03-02",
        "Legitimacy": "2016-12-08",
        "Leadership": "2016-12-08",
    }
    issues = [str(i) for i in facts.issues]
    assert f"{source.relpath}:111 (offset" in "".join(issues)
    assert any("'Last updated 31/02/2016' gives no date of the calendar" in i for i in issues)


def test_a_web_page_under_an_earlier_layout_name_reads_every_judgment(tmp_path: Path) -> None:
    """The 2016 page declared 'hmic-web-2014' (an alias of hmic-web) once lost three
    judgments; it reads the same facts as under its own layout."""
    manifest = copy_corpus(tmp_path / "own")
    aliased = copy_corpus(tmp_path / "alias")
    edit(
        aliased,
        'assessment = "2016"\nlayout = "hmic-web"',
        'assessment = "2016"\nlayout = "hmic-web-2014"',
    )
    facts, _, _ = read_facts(manifest, WEB_2016)
    assert read_facts(aliased, WEB_2016)[0] == facts
    graded = {label: claims[0][1] for label, claims, _ in facts[0] if claims}
    assert (graded["Effectiveness"], graded["Efficiency"], graded["Legitimacy"]) == (
        "requires-improvement",
        "good",
        "good",
    )
    assert len(graded) == 6


def test_partial_in_the_manifest_marks_a_web_page_partial(tmp_path: Path) -> None:
    from kg.process import extract_source
    from kg.reference import load_reference
    from kg.sources import load_manifest

    manifest = copy_corpus(tmp_path)
    edit(manifest, 'layout = "hmic-web"', 'layout = "hmic-web"\npartial = true')
    sources = {s.path.name: s for s in load_manifest(manifest)}
    assert sources[WEB_2016].partial and not sources[WEB_2014].partial
    assert extract_source(sources[WEB_2016], load_reference())[1].partial
    assert not extract_source(sources[WEB_2014], load_reference())[1].partial


def test_a_manifest_that_is_not_toml_names_the_line_and_column(tmp_path: Path) -> None:
    manifest = copy_corpus(tmp_path)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + "[[document\n", encoding="utf-8")
    code, stderr = run("build", "--manifest", str(manifest), "--out", str(tmp_path / "o"))
    assert code == 2
    line = text.count("\n") + 1
    assert f"{manifest}: not valid TOML:" in stderr and f"(at line {line}, column 11)" in stderr
