"""``peel-kg serve``: the built graph on the web, read-only.

:func:`create_app` builds the ASGI app (Starlette) from a store; :func:`serve` runs it
with uvicorn. See kg.server.app for its routes, kg.server.protocol for the SPARQL
endpoint and kg.server.runner for the limits on a query.
"""

from kg.server.app import create_app, serve
from kg.server.runner import Limits

__all__ = ["Limits", "create_app", "serve"]
