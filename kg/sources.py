"""Sources: the manifest of documents and their verified text.

A manifest (TOML) lists one ``[[document]]`` per file. Loading it checks
every field; reading a source checks the file's sha256 against the manifest,
because the character offsets stored in the graph depend on the exact bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import tomli_w

from kg.errors import InputError, ManifestError, SourceHashError, UsageError
from kg.paths import PACKAGE, ROOT
from kg.reference import load_reference
from kg.vocab import SOURCE_KINDS

REQUIRED = (
    "file",
    "force",
    "assessment",
    "kind",
    "published",
    "source",
    "licence",
    "rights",
    "sha256",
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Source:
    """One manifest entry: a document and what is known about it."""

    path: Path
    force: str
    assessment: str  # notation of ontology/assessments.ttl, e.g. "2016", "2023-25"
    layout: str  # "" when the manifest leaves it to be detected
    kind: str
    published: str
    description: str
    licence: str
    rights: str
    third_party: bool
    sha256: str
    build: bool = True
    publisher: str = ""
    partial: bool = False  # the manifest says the text is an incomplete copy
    encoding: str = ""  # the encoding the text was read in (kg.sources.decode), once read

    @property
    def stem(self) -> str:
        """The file name without extension: names the source's IRI and named graph."""
        return self.path.stem

    @property
    def relpath(self) -> str:
        """The path as recorded in the graph: relative to kg.paths.ROOT (the repository, or
        its copy in the installed package) when inside it."""
        try:
            return self.path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            return self.path.as_posix()


@dataclass(frozen=True)
class SourceText:
    """A source whose bytes matched the manifest, with its text as :func:`decode` reads
    it (the source's ``encoding`` filled in)."""

    source: Source
    text: str
    sha256: str


def load_manifest(path: Path) -> list[Source]:
    """Read and check a manifest; return its entries in file order.

    Raises ManifestError naming the manifest, the entry and the field at fault.
    """
    if path.is_dir():
        raise ManifestError(
            f"{path}: is a folder, not a manifest; give the manifest file "
            f"(such as {path / 'manifest.toml'})"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"{path}: manifest not found") from exc
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read the manifest: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ManifestError(
            f"{path}: byte {exc.start} is not valid UTF-8: a manifest is TOML text in UTF-8"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}; correct it there") from exc
    entries = data.get("document")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: no [[document]] entries")
    sources = [_entry(path, i, e) for i, e in enumerate(entries, 1)]
    stems = [s.stem for s in sources]
    for stem in dict.fromkeys(s for s in stems if stems.count(s) > 1):
        numbers = [str(i) for i, s in enumerate(stems, 1) if s == stem]
        raise ManifestError(
            f"{path}: the same file name appears twice: {stem} (documents "
            f"{' and '.join(numbers)}); keep one entry per file"
        )
    return sources


def _entry(manifest: Path, index: int, entry: object) -> Source:
    where = f"{manifest}: document {index}"
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: expected a table of fields")
    if "cycle" in entry and "assessment" not in entry:
        entry = {**entry, "assessment": entry["cycle"]}  # the field's name in earlier manifests
    if isinstance(entry.get("file"), str):
        where = f"{where} ({entry['file']})"
    missing = [k for k in REQUIRED if not str(entry.get(k, "")).strip()]
    if missing:
        raise ManifestError(f"{where}: missing field(s) {', '.join(missing)}")
    for key in (*REQUIRED, "layout", "publisher"):
        if key in entry and not isinstance(entry[key], str):
            raise ManifestError(
                f"{where}: {key} = {entry[key]} is not text; write it in quotes, "
                f'such as {key} = "{entry[key]}"'
            )
    where = f"{manifest}: document {index} ({entry['file']})"
    if entry["kind"] not in SOURCE_KINDS:
        raise ManifestError(f"{where}: kind {entry['kind']!r} is not one of {sorted(SOURCE_KINDS)}")
    if not _is_date(entry["published"]):
        raise ManifestError(
            f"{where}: published {entry['published']!r} is not a date of the calendar as "
            "YYYY, YYYY-MM or YYYY-MM-DD"
        )
    if not _SHA.match(str(entry["sha256"])):
        raise ManifestError(f"{where}: sha256 must be 64 lower-case hex digits")
    for flag in ("third_party", "build", "partial"):
        if flag in entry and not isinstance(entry[flag], bool):
            raise ManifestError(f"{where}: {flag} must be true or false")
    try:
        assessment = load_reference().assessment(str(entry["assessment"])).notation
    except InputError as exc:
        raise ManifestError(f"{where}: assessment: {exc}") from None
    return Source(
        path=(manifest.parent / str(entry["file"])).resolve(),
        force=str(entry["force"]).strip(),
        assessment=assessment,
        layout=str(entry.get("layout", "")).strip(),
        kind=str(entry["kind"]),
        published=str(entry["published"]),
        description=str(entry["source"]).strip(),
        licence=str(entry["licence"]).strip(),
        rights=str(entry["rights"]).strip(),
        third_party=bool(entry.get("third_party", False)),
        sha256=str(entry["sha256"]),
        build=bool(entry.get("build", True)),
        publisher=str(entry.get("publisher", "")).strip(),
        partial=bool(entry.get("partial", False)),
    )


def _is_date(value: str) -> bool:
    """True for a date of the calendar written YYYY, YYYY-MM or YYYY-MM-DD."""
    if not _DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        date(*parts, *[1] * (3 - len(parts)))
    except ValueError:
        return False
    return True


def read_source(source: Source) -> SourceText:
    """Read a source's bytes, check them against the manifest's sha256, and decode them
    (:func:`decode`)."""
    try:
        raw = source.path.read_bytes()
    except FileNotFoundError as exc:
        raise ManifestError(f"{source.path}: file named in the manifest does not exist") from exc
    except IsADirectoryError as exc:
        raise ManifestError(
            f"{source.path}: the manifest names a folder, not a file; name the document's text file"
        ) from exc
    except OSError as exc:
        raise InputError(f"{source.path}: cannot read: {exc.strerror or exc}") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if digest != source.sha256:
        raise SourceHashError(
            f"{source.path}: sha256 is {digest} but the manifest says {source.sha256}. "
            "The file changed since it was registered; character offsets would no longer match. "
            "Restore the original file, or register the new one with its new sha256."
        )
    text, encoding = decode(source.path, raw)
    return SourceText(source=replace(source, encoding=encoding), text=text, sha256=digest)


#: The encodings :func:`decode` reads, as said in the build summary and recorded in the graph.
UTF8, UTF8_BOM, UTF16, CP1252 = "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252"
#: Each encoding's IANA charset name, for the graph (dcterms:format); a BOM is not text.
CHARSETS = {UTF8: "UTF-8", UTF8_BOM: "UTF-8", UTF16: "UTF-16", CP1252: "windows-1252"}
#: A byte sequence only UTF-8 makes: in a file not valid UTF-8, a sign of mixed encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_NUL = b"\x00"
#: Control characters no text document holds (tab, line breaks and form feed allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The text of a source's bytes, and the encoding it was read in.

    UTF-8, without its byte order mark when it has one; UTF-16 when it begins with a
    UTF-16 byte order mark; Windows-1252 (which includes Latin-1's letters) only when the
    bytes are not valid UTF-8 and hold no UTF-8 sequence. Line endings are kept as they
    are. Character offsets in the graph count characters of this text.

    Raises InputError naming ``path`` for an empty file, a binary one, and bytes none of
    these encodings reads.
    """
    if not raw.strip():
        raise InputError(
            f"{path}: the file is empty; give the document's text, or remove its entry "
            "from the manifest"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _decoded(path, raw, "utf-16", UTF16)
    elif raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = _decoded(path, raw, "utf-8-sig", UTF8_BOM)
    elif _NUL in raw:
        raise InputError(
            f"{path}: byte {raw.index(_NUL)} is a NUL: the file is binary (a PDF, a word "
            "processor's file) or UTF-16 without a byte order mark; give its text, saved "
            "as UTF-8"
        )
    else:
        try:
            text, encoding = raw.decode("utf-8"), UTF8
        except UnicodeDecodeError as exc:
            mixed = _UTF8_SEQUENCE.search(raw)
            if mixed:
                raise InputError(
                    f"{path}: byte {exc.start} is not valid UTF-8, but byte {mixed.start()} "
                    "begins a UTF-8 character: the file mixes encodings; save it as UTF-8"
                ) from exc
            text, encoding = _decoded(path, raw, "cp1252", CP1252)
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise InputError(
            f"{path}:{line}: character {control.start()} (read as {encoding}) is the control "
            f"character {control.group()!r}, which no text holds: the file is binary or "
            "damaged; remove it, or give the document's text saved as UTF-8"
        )
    return text, encoding


def _decoded(path: Path, raw: bytes, codec: str, name: str) -> tuple[str, str]:
    """``raw`` decoded with ``codec``; InputError naming ``path`` and the encoding if not."""
    try:
        return raw.decode(codec), name
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: byte {exc.start} is not valid {name}, nor UTF-8; save the file as UTF-8"
        ) from exc


#: Who published a layout's documents, when the text does not say: HMIC until July 2017,
#: HMICFRS after. News items and commissioners' pages name no publisher the reader can trust.
_INSPECTORATE_RENAMED = 2017
#: The licence of Crown copyright texts, and of a third party's quoted for research.
_OGL = "Open Government Licence v3.0"
_THIRD_PARTY_LICENCE = (
    "Third-party copyright: all rights reserved by the publisher; quoted for research and "
    "attribution, not under the Open Government Licence"
)


@dataclass(frozen=True)
class Entry:
    """A manifest entry to add for one file, each field with how it was settled."""

    fields: dict[str, str | bool]
    how: dict[str, str]  # field -> "detected", "given" or "derived"

    def toml(self) -> str:
        """The entry as a ``[[document]]`` table, in the manifest's field order."""
        order = [
            "file", "force", "assessment", "layout", "kind", "published", "source", "publisher",
            "licence", "rights", "third_party", "sha256",
        ]  # fmt: skip
        keys = sorted(self.fields, key=lambda k: order.index(k) if k in order else len(order))
        return "[[document]]\n" + tomli_w.dumps({k: self.fields[k] for k in keys})


def new_entry(file: Path, manifest: Path, given: dict[str, str]) -> Entry:
    """The manifest entry for ``file``: every field the flags in ``given`` do not set is
    detected from the text (layout, force, assessment, publication date), derived from
    those (kind, publisher, source, licence, rights) or computed (sha256).

    Raises InputError naming the file and the flag to pass for what cannot be told.
    """
    from kg.layouts import layout as layout_of
    from kg.read.detect import detect

    if not file.is_file():
        raise InputError(f"{file}: no such file")
    raw = file.read_bytes()
    text, _ = decode(file, raw)
    ref = load_reference()
    family = layout_of(given["layout"], str(file)).family if given.get("layout") else None
    found = detect(text, ref, family)
    fields: dict[str, str | bool] = {}
    how: dict[str, str] = {}

    def settle(key: str, value: str | None, flag: str, why: str = "detected") -> str:
        if given.get(key):
            fields[key], how[key] = given[key], "given"
        elif value:
            fields[key], how[key] = value, why
        else:
            raise InputError(
                f"{file}: cannot tell the {key.replace('_', ' ')} from the text; pass {flag}"
            )
        return str(fields[key])

    lay = layout_of(settle("layout", found.layout, "--layout"), str(file))
    force = settle("force", found.force, "--force")
    known = ref.force(force)
    fields["force"] = known.label if known else force
    assessment = ref.assessment(
        settle(
            "assessment", found.assessment.notation if found.assessment else None, "--assessment"
        )
    )
    fields["assessment"] = assessment.notation
    settle("published", found.published, "--published")
    kind = settle("kind", lay.kinds[0], "--kind", "derived")
    secondary = kind == "news-article"
    inspectorate = "HMIC" if assessment.years[0] < _INSPECTORATE_RENAMED else "HMICFRS"
    publisher = settle("publisher", None if secondary else inspectorate, "--publisher", "derived")
    what = {
        "inspection-report": f"PEEL {assessment.label} full report text: an inspection of {force}",
        "web-summary": f"PEEL {assessment.label} web page for {force}",
        "press-release": f"press release on the PEEL {assessment.label} inspection of {force}",
        "news-article": f"news item on the PEEL {assessment.label} inspection of {force} "
        "(secondary source)",
    }[kind]
    settle("source", f"{publisher}, {what}", "--source", "derived")
    settle("licence", _THIRD_PARTY_LICENCE if secondary else _OGL, "--licence", "derived")
    rights = f"{publisher} (third party)" if secondary else "Crown copyright"
    settle("rights", rights, "--rights", "derived")
    fields["third_party"], how["third_party"] = secondary, "derived"
    fields["file"] = os.path.relpath(file.resolve(), manifest.resolve().parent)
    fields["sha256"], how["sha256"] = hashlib.sha256(raw).hexdigest(), "computed"
    return Entry(fields, how)


def add_document(file: Path, manifest: Path, given: dict[str, str], write: bool = True) -> Entry:
    """Add ``file`` to ``manifest`` (see :func:`new_entry`): the new entry is appended and
    the manifest checked whole before it replaces the old one, atomically. A file the
    manifest already lists is refused (ManifestError), and so is the manifest shipped
    inside the installed package (UsageError): a user's documents go in a manifest of
    their own."""
    from kg.export import write_atomic

    if manifest.resolve().is_relative_to(PACKAGE):
        raise UsageError(
            f"{manifest}: this manifest is part of the installed peel-kg package; "
            "pass --manifest with a manifest of your own (made if it does not exist)"
        )
    entry = new_entry(file, manifest, given)
    old = manifest.read_text(encoding="utf-8") if manifest.exists() else ""
    listed = {s.path for s in load_manifest(manifest)} if old.strip() else set()
    if file.resolve() in listed:
        raise ManifestError(f"{manifest}: already lists {file}; edit its entry instead")
    new = old.rstrip("\n") + ("\n\n" if old.strip() else "") + entry.toml()
    fd, tmp = tempfile.mkstemp(dir=manifest.resolve().parent, suffix=".toml")
    os.close(fd)
    try:
        Path(tmp).write_text(new, encoding="utf-8")
        load_manifest(Path(tmp))  # the whole manifest, new entry included, must load
    finally:
        Path(tmp).unlink(missing_ok=True)
    if write:
        write_atomic(manifest, new)
    return entry
