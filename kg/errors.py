"""Errors raised by peel-kg, all rooted at :class:`KgError`.

::

    KgError                      every error peel-kg raises on purpose
    ├── InputError               bad input: the CLI exits 2
    │   ├── ManifestError        the manifest is missing, malformed or incomplete
    │   ├── SourceHashError      a source file's sha256 no longer matches the manifest
    │   ├── LayoutError          no reader for a layout, or a file that does not fit it
    │   └── QueryError           an unknown query, bad metadata, a bad parameter, bad SPARQL
    ├── UsageError               a command used wrongly: the CLI exits 2
    ├── StoreError               a store cannot be opened or written, an endpoint does not
    │                            answer (or not in SPARQL 1.1), a push does not verify: exit 2
    ├── QueryTimeout             a query ran longer than its time limit (--timeout): exit 2
    └── MissingExtraError        an optional extra is not installed (also an ImportError)

Data that does not conform to the shapes is a result, not an error: see
:mod:`kg.validate`. Messages name the file, the line or field, and what to do.
Any other exception is a bug: the CLI exits 3, with its traceback only under
``peel-kg --debug``.
"""

from __future__ import annotations


class KgError(Exception):
    """Base of every error peel-kg raises on purpose."""

    exit_code = 2


class InputError(KgError):
    """Bad input: a file, a manifest entry, a query or a parameter."""


class ManifestError(InputError):
    """The manifest is missing, malformed or lacks a required field."""


class SourceHashError(InputError):
    """A source file's bytes no longer match the sha256 in the manifest."""


class LayoutError(InputError):
    """No reader exists for a layout, or a file does not fit its layout."""


class QueryError(InputError):
    """An unknown query, bad query metadata, a bad parameter or bad SPARQL."""


class UsageError(KgError):
    """A command was used wrongly."""


class StoreError(KgError):
    """A store cannot be opened or written; a SPARQL endpoint or graph store is
    unreachable, refuses a request or answers with something else than SPARQL 1.1 results;
    a pushed graph's triple count on the server differs from the file's."""


class QueryTimeout(KgError):
    """A query ran longer than its time limit (``--timeout``, ``$PEEL_KG_TIMEOUT``); it
    was abandoned, not finished (see kg.deadline)."""


class MissingExtraError(KgError, ImportError):
    """A feature needs an optional extra that is not installed (``pip install
    'peel-kg[pandas]'``); an ImportError too, for code that catches those."""
