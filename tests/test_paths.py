"""Installs anywhere: kg.paths finds ontology/, queries/, shapes/ and data/ in the folder
PEEL_KG_HOME names, in the repository, or in the copy an installed wheel carries, and
a source's path in the graph is the same from each.

Each case imports kg afresh in a child process (kg.paths settles its folder on import),
from a folder that is not the repository. CI (.ci/run) builds the real wheel, installs
it in a fresh virtual environment and runs peel-kg build and a query from elsewhere.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import paths
from kg.sources import load_manifest

REPO = Path(__file__).resolve().parent.parent
SHOW = (
    "import json; from kg import paths; from kg.sources import load_manifest; "
    "print(json.dumps({'root': str(paths.ROOT), 'queries': str(paths.QUERIES_DIR), "
    "'files': [s.relpath for s in load_manifest(paths.DEFAULT_MANIFEST)]}))"
)


def where(cwd: Path, pythonpath: Path, home: Path | None = None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "PEEL_KG_HOME"}
    env["PYTHONPATH"] = str(pythonpath)
    if home is not None:
        env["PEEL_KG_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


@pytest.fixture()
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def shipped_relpaths() -> list[str]:
    return [s.relpath for s in load_manifest(REPO / "data" / "manifest.toml")]


def test_an_installed_package_reads_the_copy_it_carries(tmp_path: Path, elsewhere: Path) -> None:
    """The layout a wheel installs: kg/ with the four folders in kg/_files/, no repository."""
    site = tmp_path / "site-packages"
    shutil.copytree(REPO / "kg", site / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    for folder in paths.FOLDERS:
        shutil.copytree(REPO / folder, site / "kg" / paths.PACKAGED / folder)
    found = where(elsewhere, site)
    assert found["root"] == str((site / "kg" / paths.PACKAGED).resolve())
    assert found["queries"] == str((site / "kg" / paths.PACKAGED / "queries").resolve())
    relpaths = shipped_relpaths()
    assert found["files"] == relpaths and all(f.startswith("data/") for f in relpaths)


def test_a_checkout_reads_its_own_folders(elsewhere: Path) -> None:
    found = where(elsewhere, REPO)
    assert found["root"] == str(REPO) and found["files"] == shipped_relpaths()


def test_peel_kg_home_names_another_folder(tmp_path: Path, elsewhere: Path) -> None:
    home = tmp_path / "home"
    for folder in paths.FOLDERS:
        shutil.copytree(REPO / folder, home / folder)
    found = where(elsewhere, REPO, home=home)
    assert found["root"] == str(home.resolve()) and found["files"] == shipped_relpaths()


def test_the_wheel_and_the_sdist_carry_the_folders_kg_paths_reads() -> None:
    """setup.py copies FOLDERS into kg/_files/ of the wheel; MANIFEST.in grafts them into
    the sdist the wheel can be built from."""
    tree = ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))
    values = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert ast.literal_eval(values["FOLDERS"]) == paths.FOLDERS
    packaged = values["PACKAGED"]
    assert isinstance(packaged, ast.Call)
    assert [ast.literal_eval(a) for a in packaged.args] == ["kg", paths.PACKAGED]
    manifest_in = (REPO / "MANIFEST.in").read_text(encoding="utf-8")
    assert tuple(re.findall(r"^graft (\S+)$", manifest_in, flags=re.M)) == paths.FOLDERS
