"""The CLI, run in-process, with its documented exit codes: 0 ok, 1 not conforming, 2 bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.paths import ROOT
from kg.vocab import ID, PEEL
from tests.test_results import squeezed, table_columns

#: The columns of the findings query: the finding, then its text and where it stands.
FINDINGS_COLUMNS = [
    "force", "assessment", "area", "type", "headline",
    "body", "quote", "file", "start", "end", "finding",
]  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["build", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_writes_every_output_and_prints_a_summary(out: Path) -> None:
    for name in ("peel.ttl", "peel.jsonld", "peel.nq", "validation.txt"):
        assert (out / name).stat().st_size > 0
    assert (out / "validation.txt").read_text().startswith("Conforms")
    assert not list(out.glob(".*.tmp")), "temporary files must be renamed into place"
    code, stdout, _ = run("build", "--out", str(out))
    assert code == 0
    assert re.search(r"Judgment\s+28", stdout)
    # 14 read from the reports, 6 known only through a later report's back-reference
    assert re.search(r"AreaForImprovement\s+20", stdout)
    assert "findings known only through a later report: 6" in stdout
    assert re.search(r"FollowUp\s+\d+", stdout)
    assert "SHACL validation: conforms" in stdout


def _without_grade(graph: Path, judgment: str, into: Path) -> Path:
    """``graph`` without the grade of ``judgment`` (an IRI), written to ``into``: a graph
    that no longer conforms."""
    lines = graph.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(f"<{judgment}> <{PEEL.grade}>")]
    assert len(kept) == len(lines) - 1
    into.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return into


def test_validate_exit_codes(out: Path, tmp_path: Path) -> None:
    assert run("validate", str(out / "peel.nq"))[0] == 0
    judgment = f"{ID}judgment/northamptonshire-police/2025-27/managing-fraud"
    broken = _without_grade(out / "peel.nq", judgment, tmp_path / "broken.nq")
    code, stdout, _ = run("validate", str(broken))
    assert code == 1
    assert "managing-fraud" in stdout
    assert "data/001_440047dec6ca2f53.txt" in stdout  # the report names the source span
    assert run("validate", str(tmp_path / "missing.nq"))[0] == 2
    garbled = tmp_path / "garbled.nq"
    garbled.write_text("<a> <b> .\n", encoding="utf-8")
    code, stdout, stderr = run("validate", str(garbled))
    assert code == 2 and "garbled.nq" in stderr and "Traceback" not in stderr + stdout


def test_pyshacl_reports_a_fault_in_the_same_words(tmp_path: Path) -> None:
    """``validate --validator pyshacl`` says what the default engine says, word for word,
    on a graph with the grade of one judgment dropped: the graph of a one-report corpus
    (pySHACL takes most of a minute on the shipped graph; the default engine's report on
    that is test_validate_exit_codes')."""
    from tests.reportgen import REPORT_2025, write_corpus

    manifest = write_corpus(tmp_path, {"b.txt": (REPORT_2025, "2025-27", "peel-report")})
    assert run("build", "--manifest", str(manifest), "--out", str(tmp_path / "o"))[0] == 0
    judgment = f"{ID}judgment/borsetshire-constabulary/2025-27/managing-fraud"
    broken = _without_grade(tmp_path / "o" / "peel.nq", judgment, tmp_path / "broken.nq")
    code, stdout, _ = run("validate", str(broken))
    assert code == 1
    assert "managing-fraud" in stdout
    quote = "“Borsetshire Constabulary is inadequate at managing fraud.”"
    assert re.search(rf"span: +\S*b\.txt \d+-\d+: {quote}", stdout)  # the source span
    assert run("validate", "--validator", "pyshacl", str(broken)) == (code, stdout, "")


def test_export_formats(out: Path, tmp_path: Path) -> None:
    code, stdout, _ = run("export", "--format", "jsonld", "--input", str(out / "peel.nq"))
    assert code == 0
    doc = json.loads(stdout)
    ctx = doc["@context"]
    assert ctx["peel"] == "https://w3id.org/peel-kg/ontology#"
    assert "schema" not in ctx and "brick" not in ctx, "only the project's prefixes are bound"
    target = tmp_path / "g.ttl"
    assert (
        run("export", "--format", "turtle", "--input", str(out / "peel.nq"), "--out", str(target))[
            0
        ]
        == 0
    )
    assert "@prefix peel:" in target.read_text(encoding="utf-8")
    code, stdout, _ = run("export", "--format", "nt", "--input", str(out / "peel.nq"))
    assert code == 0 and stdout.splitlines() == sorted(stdout.splitlines())
    assert run("export", "--format", "rdfxml", "--input", str(out / "peel.nq"))[0] == 2


def test_query_list_and_show() -> None:
    code, stdout, _ = run("query", "list")
    assert code == 0
    names = {line.split()[0] for line in stdout.splitlines() if line.strip()}
    assert {"grades", "findings", "provenance"} <= names
    code, stdout, _ = run("query", "show", "grades")
    assert code == 0 and "SELECT ?force ?assessment ?area ?grade ?status" in stdout
    assert run("query", "show", "nope")[0] == 2


def test_query_run_formats(out: Path) -> None:
    data = ["--data", str(out / "peel.nq")]
    code, stdout, _ = run("query", "run", "grades", "--format", "csv", *data)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert list(rows[0]) == ["force", "assessment", "area", "grade", "status"]
    assert {
        "force": "Northamptonshire Police",
        "assessment": "2025–27",
        "area": "Investigating crime",
        "grade": "Inadequate",
        "status": "current",
    } in rows
    assert {
        "force": "Northamptonshire Police",
        "assessment": "2023–25",
        "area": "Responding to the public",
        "grade": "Adequate",
        "status": "superseded",
    } in rows
    code, stdout, _ = run(
        "query",
        "run",
        "findings",
        "--param",
        "assessment=2025-27",
        "--param",
        "type=cause-of-concern",
        "--format",
        "json",
        *data,
    )
    assert code == 0
    doc = json.loads(stdout)
    assert doc["head"]["vars"] == FINDINGS_COLUMNS
    assert [b["headline"]["value"] for b in doc["results"]["bindings"]] == [
        "The force isn't always achieving appropriate outcomes for victims of crime"
    ]
    code, stdout, _ = run("query", "run", "grades", *data)
    assert code == 0 and stdout.rstrip().endswith("(28 rows)")
    # a parameter given twice, where the query allows it: any value matches
    types_given = ["--param", "type=cause-of-concern", "--param", "type=area-for-improvement"]
    code, stdout, _ = run(
        "query", "run", "findings", *types_given, "--param", "assessment=2025-27",
        "--format", "json", *data,
    )  # fmt: skip
    assert code == 0
    types = {b["type"]["value"] for b in json.loads(stdout)["results"]["bindings"]}
    assert types == {"cause-of-concern", "area-for-improvement"}


def test_query_run_writes_jsonl_markdown_excel_csv_and_files(out: Path, tmp_path: Path) -> None:
    data = ["--data", str(out / "peel.nq")]
    params = ["--param", "area=Responding to the public", *data]
    code, stdout, _ = run("query", "run", "audit-samples", "--format", "jsonl", *params)
    rows = [json.loads(line) for line in stdout.splitlines()]
    assert (
        code == 0
        and {"numerator": 41, "denominator": 56}.items()
        <= next(r for r in rows if r["numerator"] == 41).items()
    )
    code, stdout, _ = run("query", "run", "grades", "--format", "markdown", *data)
    assert code == 0 and stdout.startswith("| force | assessment | area | grade | status |\n")
    target = tmp_path / "sub" / "grades.csv"
    code, stdout, _ = run(
        "query", "run", "grades", "--format", "csv", "--excel", "-o", str(target), *data
    )
    assert code == 0 and stdout == ""
    written = target.read_bytes()
    assert written.startswith("\ufeffforce,assessment".encode())
    assert "2025–27".encode() in written
    assert not list(target.parent.glob(".*.tmp"))
    code, _, stderr = run("query", "run", "grades", "--format", "json", "--excel", *data)
    assert code == 2 and "--excel goes with --format csv" in stderr


def test_outputs_are_made_with_the_users_permissions(tmp_path: Path) -> None:
    """Every file a command writes beside its target and renames into place is made as
    open() makes one: 0644 under a 022 umask, not a temporary file's 0600."""
    old = os.umask(0o022)
    try:
        out, target = tmp_path / "o", tmp_path / "grades.csv"
        assert run("build", "--out", str(out))[0] == 0
        data = ["--data", str(out / "peel.nq")]
        assert run("query", "run", "grades", "-o", str(target), *data)[0] == 0
    finally:
        os.umask(old)
    written = [p for p in out.rglob("*") if p.is_file()] + [target]
    names = {p.name for p in written}
    assert {"peel.ttl", "peel.jsonld", "peel.nq", "validation.txt", "grades.csv"} <= names
    assert any(".cache" in p.parts for p in written)
    modes = {p.relative_to(tmp_path).as_posix(): oct(p.stat().st_mode & 0o777) for p in written}
    assert {name: mode for name, mode in modes.items() if mode != oct(0o644)} == {}


@pytest.mark.parametrize("width", [60, 80, 200])
def test_query_run_table_fits_columns_and_writes_the_same_to_a_file(
    out: Path, tmp_path: Path, width: int
) -> None:
    # a few rows (tests/test_results.py fits every finding's text at these widths)
    args = ["query", "run", "findings", "--param", "type=innovative-practice"]
    args += ["--data", str(out / "peel.nq")]
    result = CliRunner().invoke(cli, args, env={"COLUMNS": str(width)})
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and max(len(line) for line in lines) <= width
    headings = [squeezed(h) for h in table_columns(result.stdout)[0]]
    assert headings == FINDINGS_COLUMNS
    assert re.fullmatch(r"\(\d+ rows\)", lines[-1]) and len(lines) > 20  # the text wraps
    target = tmp_path / "findings.txt"
    written = CliRunner().invoke(cli, [*args, "-o", str(target)], env={"COLUMNS": str(width)})
    assert written.exit_code == 0 and target.read_text(encoding="utf-8") == result.stdout


def test_query_run_writes_an_xlsx_workbook_to_a_file(out: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook  # the xlsx extra, in the test extra

    data = ["--data", str(out / "peel.nq")]
    params = ["--param", "area=Responding to the public", *data]
    target = tmp_path / "samples.xlsx"
    code, _, _ = run(
        "query", "run", "audit-samples", "--format", "xlsx", "-o", str(target), *params
    )
    assert code == 0
    sheet = load_workbook(target).active
    assert sheet is not None
    header, *rows = sheet.iter_rows(values_only=True)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    jsonl = run("query", "run", "audit-samples", "--format", "jsonl", *params)[1]
    assert records == [json.loads(line) for line in jsonl.splitlines()]
    assert any(r["numerator"] == 41 and r["denominator"] == 56 for r in records)
    code, _, stderr = run("query", "run", "audit-samples", "--format", "xlsx", *params)
    assert code == 2 and "give -o FILE.xlsx" in stderr


def test_query_run_bad_input(out: Path, tmp_path: Path) -> None:
    data = ["--data", str(out / "peel.nq")]
    assert run("query", "run", "grades", "--param", "nonsense", *data)[0] == 2
    assert run("query", "run", "grades", "--param", "colour=blue", *data)[0] == 2
    assert run("query", "run", "findings", "--param", "type=opinion", *data)[0] == 2
    twice = ["--param", "start=Investigating crime", "--param", "start=Effectiveness"]
    code, _, stderr = run("query", "run", "area-history", *twice, *data)
    assert code == 2 and "'start' takes one value" in stderr
    assert run("query", "run", "nope", *data)[0] == 2
    code, _, stderr = run("query", "run", "grades", "--data", str(tmp_path / "none.nq"))
    assert code == 2 and "peel-kg build" in stderr


def test_build_refuses_a_changed_file_and_keeps_earlier_outputs(
    corpus_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run("build", "--manifest", str(corpus_copy), "--out", str(out))[0] == 0
    before = (out / "peel.nq").read_bytes()
    report = corpus_copy.parent / "001_440047dec6ca2f53.txt"
    report.write_bytes(report.read_bytes().replace(b"Inadequate", b"Good", 1))
    code, _, stderr = run("build", "--manifest", str(corpus_copy), "--out", str(out))
    assert code == 2
    assert "001_440047dec6ca2f53.txt" in stderr and "sha256" in stderr
    assert (out / "peel.nq").read_bytes() == before


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda m: m.replace('layout = "peel-report"', 'layout = "pdf-scan"'),
            "no reader for layout",
        ),
        (
            lambda m: m.replace('assessment = "2025-27"', 'assessment = "2031-33"'),
            "unknown PEEL assessment",
        ),
        (
            lambda m: m.replace('assessment = "2016"', 'assessment = "2015-17"'),
            "name the assessment year instead: 2015, 2016, 2017",
        ),
        (
            lambda m: m.replace('assessment = "2025-27"', 'assessment = "2023-25"', 1),
            "the text says",
        ),
        (
            lambda m: m.replace('assessment = "2016"', 'assessment = "2017"', 1),
            "the page is titled",
        ),
        (
            lambda m: m.replace('force = "Northamptonshire Police"', 'force = "Nowhere Police"', 1),
            "never mentions",
        ),
        (lambda m: m.replace('sha256 = "b6', 'sha = "b6'), "missing field"),
        (lambda m: m + "\n[[document\n", "not valid TOML"),
    ],
)
def test_build_bad_manifest_exits_2(corpus_copy: Path, tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    text = corpus_copy.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    corpus_copy.write_text(changed, encoding="utf-8")
    code, _, stderr = run("build", "--manifest", str(corpus_copy), "--out", str(tmp_path / "o"))
    assert code == 2
    assert message in stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [
        ["build"],
        ["validate"],
        ["export"],
        ["query", "list"],
        ["query", "show"],
        ["query", "run"],
    ]
    for words in commands:
        code, stdout, _ = run(*words, "--help")
        assert code == 0 and "Usage:" in stdout
        assert f"peel-kg {' '.join(words)}" in readme


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)
    assert "peel-kg build" in blocks[0] and "peel-kg query run" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].split("&&")[-1].strip().replace(".venv/bin/python", "") in ci.replace(
        ".venv/bin/python", ""
    )


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("peel-report", "no assessment area section"),
        ("peel-report-2023", "no assessment area section"),
        ("hmic-web", "is this an HMIC PEEL web page"),
        ("hmic-web-2016", "is this an HMIC PEEL web page"),
    ],
)
def test_a_file_that_does_not_fit_its_layout_exits_2(
    tmp_path: Path, layout: str, message: str
) -> None:
    """A text that shows none of its layout's marks is refused, naming the file."""
    from tests.reportgen import FORCE, write_corpus

    text = f"Charity news\n\n{FORCE} held a charity fun run.\n"
    manifest = write_corpus(
        tmp_path, {"odd.txt": (text, "2016" if "web" in layout else "2025-27", layout)}
    )
    code, _, stderr = run("build", "--manifest", str(manifest), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "odd.txt" in stderr and message in stderr


def test_build_tells_its_progress_and_is_quiet_off_a_terminal(tmp_path: Path) -> None:
    from kg.pipeline import build
    from tests.reportgen import REPORT_2025, write_corpus

    manifest = write_corpus(tmp_path, {"b.txt": (REPORT_2025, "2025-27", "peel-report")})
    steps: list[tuple[str, int, int]] = []
    build(manifest, tmp_path / "out", lambda step, done, total: steps.append((step, done, total)))
    # a source is told once read (in a worker, or taken from the cache)
    assert steps[0][0].startswith("read ") and steps[0][0].endswith("b.txt")
    assert steps[0][1:] == (1, 3)
    assert ("linked and validated Borsetshire Constabulary", 2, 3) in steps
    assert ("validated", 3, 3) in steps
    assert steps[-1] == ("written", 3, 3)
    code, stdout, stderr = run("build", "--manifest", str(manifest), "--out", str(tmp_path / "o"))
    assert code == 0 and stdout.startswith("Built 1 source(s)") and stderr == ""
