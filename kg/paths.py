"""Where the project's data files live: ontology/, queries/, shapes/, data/.

They are files, not code, loaded at run time. The root is the repository
(the parent of the ``kg`` package, as with an editable install) unless the
``PEEL_KG_HOME`` environment variable names another folder of the same layout.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Return the folder that holds ontology/, queries/, shapes/ and data/."""
    env = os.environ.get("PEEL_KG_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parent.parent


ROOT = project_root()
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
SHAPES_DIR = ROOT / "shapes"
DATA_DIR = ROOT / "data"
DEFAULT_MANIFEST = DATA_DIR / "manifest.toml"
JSONLD_CONTEXT = ONTOLOGY_DIR / "context.jsonld"
