"""`peel-kg add FILE`: a document's manifest entry, detected from its text, appended atomically."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.paths import PACKAGE, PACKAGED
from kg.pipeline import build_dataset
from kg.sources import add_document
from tests.test_cli import run

FIXTURES = Path(__file__).parent / "layouts" / "fixtures"
WEB = FIXTURES / "web" / "web-2016-overview-interim.txt"
REPORT = FIXTURES / "report" / "report-2025-grade-before.txt"


def entries(manifest: Path) -> list[dict[str, object]]:
    return list(tomllib.loads(manifest.read_text(encoding="utf-8"))["document"])


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    for source in (WEB, REPORT):
        shutil.copy(source, tmp_path / source.name)
    return tmp_path


def test_add_detects_every_field_and_the_manifest_builds(folder: Path) -> None:
    manifest = folder / "manifest.toml"
    for name in (WEB.name, REPORT.name):
        code, stdout, stderr = run("add", str(folder / name), "--manifest", str(manifest))
        assert code == 0, stderr
        assert "[[document]]" in stdout and "(detected)" in stderr
    web, report = entries(manifest)
    assert web == {
        "file": WEB.name,
        "force": "Wessex Constabulary",
        "assessment": "2016",
        "layout": "hmic-web",
        "kind": "web-summary",
        "published": "2016-11-03",  # the latest 'Last updated' date on the page
        "source": "HMIC, PEEL 2016 web page for Wessex Constabulary",
        "publisher": "HMIC",
        "licence": "Open Government Licence v3.0",
        "rights": "Crown copyright",
        "third_party": False,
        "sha256": hashlib.sha256(WEB.read_bytes()).hexdigest(),
    }
    assert (report["force"], report["assessment"], report["layout"]) == (
        "Loamshire Police",
        "2025-27",
        "peel-report",
    )
    assert (report["kind"], report["published"], report["publisher"]) == (
        "inspection-report",
        "2027-05",  # the footer 'May 2027 | © HMICFRS 2027'
        "HMICFRS",
    )
    result = build_dataset(manifest)
    assert result.conforms and len(result.sources) == 2


def test_flags_override_what_is_detected(folder: Path) -> None:
    manifest = folder / "manifest.toml"
    code, _, stderr = run(
        "add", str(folder / WEB.name), "--manifest", str(manifest), "--published", "2017-03"
    )
    assert code == 0, stderr
    assert "published    2017-03" in stderr and "(given)" in stderr
    assert entries(manifest)[0]["published"] == "2017-03"


def test_a_file_listed_twice_is_refused_and_the_manifest_kept(folder: Path) -> None:
    manifest = folder / "manifest.toml"
    assert run("add", str(folder / WEB.name), "--manifest", str(manifest))[0] == 0
    before = manifest.read_bytes()
    code, _, stderr = run("add", str(folder / WEB.name), "--manifest", str(manifest))
    assert code == 2 and "already lists" in stderr
    assert manifest.read_bytes() == before


def test_dry_run_writes_nothing(folder: Path) -> None:
    manifest = folder / "manifest.toml"
    code, stdout, stderr = run(
        "add", str(folder / WEB.name), "--manifest", str(manifest), "--dry-run"
    )
    assert code == 0 and "would add" in stderr and "[[document]]" in stdout
    assert not manifest.exists()


def test_what_cannot_be_told_is_refused_naming_the_flag(folder: Path) -> None:
    odd = folder / "notes.txt"
    odd.write_text("Notes from a meeting about the force's budget.\n", encoding="utf-8")
    code, _, stderr = run("add", str(odd), "--manifest", str(folder / "manifest.toml"))
    assert code == 2 and "notes.txt" in stderr and "pass --layout" in stderr
    news = folder / "news.txt"
    news.write_text(
        "Wessex Police rated 'good' at investigating crime\n\nHide Ad\n\n"
        "The report says:\n\n  • Investigating crime - good\n"
        "  • Responding to the public - adequate\n\n"
        "Chief Constable Sam Sample said: “We are pleased.”\n",
        encoding="utf-8",
    )
    flags = ["--force", "Wessex Police", "--assessment", "2023-25", "--published", "2024-03-01"]
    add_news = ["add", str(news), "--manifest", str(folder / "manifest.toml"), *flags]
    code, _, stderr = run(*add_news)
    assert code == 2 and "pass --publisher" in stderr
    code, _, stderr = run(*add_news, "--publisher", "Wessex Echo")
    assert code == 0, stderr
    (entry,) = entries(folder / "manifest.toml")
    assert entry["layout"] == "news-article" and entry["third_party"] is True
    assert entry["rights"] == "Wessex Echo (third party)"


def test_a_file_in_no_encoding_the_build_reads_is_refused(folder: Path) -> None:
    """A file neither UTF-8 nor Windows-1252 (0x81 is neither) is refused; a Latin-1 one
    is read, as the build reads it (kg.sources.decode), and here found no layout in."""
    odd = folder / "odd.txt"
    odd.write_bytes("Wessex 2016: café \x81".encode("latin-1"))
    code, _, stderr = run("add", str(odd), "--manifest", str(folder / "manifest.toml"))
    assert code == 2
    assert "odd.txt: byte 18 is not valid Windows-1252, nor UTF-8; save the file as UTF-8" in stderr
    latin = folder / "latin.txt"
    latin.write_bytes("Wessex 2016: café".encode("latin-1"))
    code, _, stderr = run("add", str(latin), "--manifest", str(folder / "manifest.toml"))
    assert code == 2 and "latin.txt: cannot tell the layout from the text" in stderr


def test_the_manifest_inside_the_installed_package_is_not_written(folder: Path) -> None:
    """An installed wheel's default manifest is kg/_files/data/manifest.toml: add refuses
    it, dry run or not, and names the flag to pass."""
    shipped = PACKAGE / PACKAGED / "data" / "manifest.toml"
    for write in (True, False):
        with pytest.raises(UsageError, match="pass --manifest"):
            add_document(folder / WEB.name, shipped, {}, write=write)
    assert not (PACKAGE / PACKAGED).exists()
