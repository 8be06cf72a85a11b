"""peel-kg: a knowledge graph of HMICFRS PEEL inspection results.

The pipeline, one module or subpackage per stage::

    sources (manifest + files) -> read -> extract -> build -> validate -> store -> query / export

The Python API (:mod:`kg.api`): ``kg.open(path)`` gives a graph with ``.query(name,
**params)``, ``.sparql(text)`` and ``.queries()``; rows have ``.to_pandas()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg.api import PeelGraph, Rows, open

#: What ``import kg`` offers, from kg.api, imported on first use (so that the CLI, which
#: imports kg for its version, starts without pyoxigraph and rdflib).
_API = ("PeelGraph", "Rows", "open")


def __getattr__(name: str) -> Any:
    if name in _API:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


__all__ = ["PeelGraph", "Rows", "__version__", "open"]
