"""Where the project's files live, and where commands write.

ontology/, queries/, shapes/ and data/ (the shipped corpus) are files, not code,
loaded at run time from one folder, the first of:

1. the folder the ``PEEL_KG_HOME`` environment variable names (of the same layout);
2. the repository, when the ``kg`` package sits in a checkout of it (an editable
   install, or ``PYTHONPATH``);
3. the copy inside the installed package, ``kg/_files/`` (setup.py puts the four
   folders there when a wheel is built).

Paths recorded in the graph (a source's ``data/….txt``) are relative to that folder,
so a checkout and an installed wheel give the same graph.

Outputs go to ``out/`` in the current folder unless a command is told otherwise.
"""

from __future__ import annotations

import atexit
import os
from contextlib import ExitStack
from importlib.resources import as_file, files
from pathlib import Path

#: The folders of the project's files, at the top of the repository and in the package.
FOLDERS = ("ontology", "queries", "shapes", "data")
#: Where the wheel carries them, inside the ``kg`` package.
PACKAGED = "_files"
#: The installed ``kg`` package: nothing a command writes belongs in it.
PACKAGE = Path(__file__).resolve().parent

_kept = ExitStack()
atexit.register(_kept.close)


def project_root() -> Path:
    """Return the folder that holds ontology/, queries/, shapes/ and data/."""
    env = os.environ.get("PEEL_KG_HOME")
    if env:
        return Path(env).resolve()
    checkout = PACKAGE.parent
    if all((checkout / folder).is_dir() for folder in FOLDERS):
        return checkout
    # A real folder in an installed wheel (as_file gives the path itself); extracted to a
    # temporary folder, removed at exit, where the package is imported from a zip file.
    return _kept.enter_context(as_file(files("kg").joinpath(PACKAGED))).resolve()


ROOT = project_root()
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
SHAPES_DIR = ROOT / "shapes"
DATA_DIR = ROOT / "data"
DEFAULT_MANIFEST = DATA_DIR / "manifest.toml"
JSONLD_CONTEXT = ONTOLOGY_DIR / "context.jsonld"

#: The folder every command writes its outputs to, and reads the built graph from,
#: unless given ``--out`` / ``--data``: ``out/`` in the current folder.
DEFAULT_OUT = Path("out")
DEFAULT_GRAPH = DEFAULT_OUT / "peel.nq"
DEFAULT_PAGE = DEFAULT_OUT / "viz" / "related.html"
