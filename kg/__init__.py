"""peel-kg: a knowledge graph of HMICFRS PEEL inspection results.

The pipeline, one module or subpackage per stage::

    sources (manifest + files) -> read -> extract -> build -> validate -> store -> query / export
"""

__version__ = "0.1.0"
