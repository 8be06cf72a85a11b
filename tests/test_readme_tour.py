"""The README's tour: every command it gives answers on the shipped corpus."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.paths import ROOT
from kg.pipeline import BuildResult
from kg.queries import get_query

#: The commands that read a built graph, and so take --data.
READS_GRAPH = {("query", "run"), ("brief",), ("sparql",)}


def tour() -> list[tuple[str, list[str]]]:
    """The tour's questions (its comment lines) and the command under each."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A tour", 1)[1].split("\n## ", 1)[0]
    steps = []
    for block in re.findall(r"```bash\n(.*?)\n```", section, flags=re.S):
        lines = block.splitlines()
        for question, command in zip(lines[::2], lines[1::2], strict=True):
            assert question.startswith("# ") and command.startswith("peel-kg "), block
            steps.append((question[2:], shlex.split(command)[1:]))
    return steps


STEPS = tour()


def test_the_tour_asks_five_questions_for_each_kind_of_user() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A tour", 1)[1].split("\n## ", 1)[0]
    kinds = re.findall(r"^\*\*(.+?)\*\*", section, flags=re.M)
    assert len(kinds) == 5
    assert len(STEPS) == 5 * len(kinds)
    assert [q.split(".")[0] for q, _ in STEPS] == [str(n) for _ in kinds for n in range(1, 6)]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    path = tmp_path_factory.mktemp("tour") / "peel.nq"
    path.write_bytes(built.nquads)
    return path


def _with_data(args: list[str], graph_file: Path) -> list[str]:
    reads = tuple(args[:2]) in READS_GRAPH or tuple(args[:1]) in READS_GRAPH
    return [*args, "--data", str(graph_file)] if reads else args


def _without_output_options(args: list[str]) -> list[str]:
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("--format", "-o", "--out"):
            skip = True
        else:
            kept.append(arg)
    return kept


@pytest.mark.parametrize(("question", "args"), STEPS, ids=[q for q, _ in STEPS])
def test_every_tour_command_answers(
    question: str,
    args: list[str],
    graph_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # where -o writes
    result = CliRunner().invoke(cli, _with_data(args, graph_file))
    assert result.exit_code == 0, result.output
    written = [tmp_path / args[i + 1] for i, a in enumerate(args) if a in ("-o", "--out")]
    assert result.stdout.strip() or all(p.stat().st_size for p in written)
    if args[:2] != ["query", "run"]:
        return
    # The rows themselves, as JSON lines: a question with no answer is a tour that lies,
    # except a consistency check's, whose empty answer is the check passed.
    plain = _without_output_options(args)
    rows = CliRunner().invoke(cli, [*_with_data(plain, graph_file), "--format", "jsonl"])
    assert rows.exit_code == 0, rows.output
    found = [json.loads(line) for line in rows.stdout.splitlines()]
    if "checks" in get_query(args[2]).tags:
        assert ("no rows" in question) == (not found), question
    else:
        assert found, question
