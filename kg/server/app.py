"""The web app: a Starlette (ASGI) app object built from a store, served by uvicorn.

Routes::

    /                       home: the forces inspected, the pages below
    /sparql                 the SPARQL 1.1 Protocol endpoint, read-only (kg.server.protocol)
    /editor                 a query editor (YASGUI, a local asset) on /sparql
    /queries                the canned query gallery; /queries/NAME its form and results,
                            /queries/NAME/results.csv|json its download
    /id/…                   the page of a node of the graph (HTML, Turtle, JSON-LD)
    /brief?force=F          a force's briefing: what changed since its previous inspection
    /passage?file=…         characters start to end of a source text, in their paragraph
    /static/…               the pages' CSS and JavaScript, files of static/

Every error is answered as ``{"error": {"status": …, "message": …}}`` (an HTML page with
the same status and message for a browser asking for a page). Every answer carries a
Content-Security-Policy allowing nothing but this server, and X-Content-Type-Options.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg import paths
from kg.errors import KgError
from kg.queries import list_queries
from kg.server import pages, protocol
from kg.server.http import RequestError, error_body, wants_html
from kg.server.runner import Limits, Runner
from kg.store import GraphStore

STATIC = Path(__file__).parent / "static"
#: Headers on every answer: nothing loads from anywhere but this server.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
#: The editor's policy: YASGUI's tables set inline styles.
EDITOR_CSP = SECURITY_HEADERS["content-security-policy"].replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
_log = logging.getLogger(__name__)


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every answer (the editor's
    page with :data:`EDITOR_CSP`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        added = dict(SECURITY_HEADERS)
        if scope["path"] == "/editor":
            added["content-security-policy"] = EDITOR_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower()
                           not in added]  # fmt: skip
                headers += [(k.encode(), v.encode()) for k, v in added.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def error_response(request: Request, status: int, message: str) -> Response:
    """The one shape of every error: JSON, or an HTML page for a browser."""
    if wants_html(request):
        return pages.render(request, "error.html", status, status=status, message=message)
    return JSONResponse(error_body(status, message), status_code=status)


async def _request_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestError)
    return error_response(request, exc.status, exc.message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = {
        404: f"nothing at {request.url.path}; / shows what this server serves",
        405: f"{request.method} is not allowed on {request.url.path}",
    }.get(exc.status_code, str(exc.detail))
    response = error_response(request, exc.status_code, message)
    response.headers.update(exc.headers or {})
    return response


async def _kg_error(request: Request, exc: Exception) -> Response:
    return error_response(request, 400, str(exc))


async def _internal_error(request: Request, exc: Exception) -> Response:
    _log.exception("internal error on %s", request.url.path, exc_info=exc)
    return error_response(request, 500, "internal error (a bug in peel-kg); see the server's log")


def create_app(
    store: GraphStore, limits: Limits | None = None, root: Path | None = None
) -> Starlette:
    """The web app serving ``store``.

    :param store: the graph: any kg.store.GraphStore (built files, on-disk or remote).
    :param limits: what one request may cost (timeout, row cap, sizes); kg.server.Limits'
        defaults where not given.
    :param root: the folder the graph's source paths (``data/….txt``) are relative to,
        for the quotes' paragraphs; default the project's (kg.paths.ROOT).
    """
    runner = Runner(limits or Limits())
    site = pages.Site(store, runner, tuple(list_queries()), root or paths.ROOT)

    def page(handler: Callable[..., Awaitable[Response]]) -> Callable[[Request], Any]:
        return partial(handler, site=site)

    routes = [
        Route("/", page(pages.home)),
        Route(
            "/sparql",
            partial(protocol.endpoint, store=store, runner=runner),
            methods=["GET", "POST"],
        ),  # fmt: skip
        Route("/editor", page(pages.editor)),
        Route("/prefixes.json", pages.prefixes),
        Route("/queries", page(pages.gallery)),
        Route("/queries/{name}", page(pages.canned)),
        Route("/queries/{name}/results.{fmt}", page(pages.download)),
        Route("/id/{path:path}", page(pages.node)),
        Route("/brief", page(pages.brief)),
        Route("/passage", page(pages.source_passage)),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        RequestError: _request_error,
        KgError: _kg_error,
        HTTPException: _http_error,
        Exception: _internal_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.add_middleware(SecurityHeaders)
    return app


def serve(
    store: GraphStore, host: str = "127.0.0.1", port: int = 8000, limits: Limits | None = None
) -> None:
    """Serve ``store`` with uvicorn on ``host``:``port`` until interrupted."""
    import uvicorn

    uvicorn.run(create_app(store, limits), host=host, port=port, log_level="info")


def start_message(host: str, port: int) -> str:
    """What ``peel-kg serve`` says on start: where, and who can reach it."""
    shown = f"[{host}]" if ":" in host else host
    reach = (
        "only this machine can reach it; --host 0.0.0.0 shares it with the network"
        if host in ("127.0.0.1", "localhost", "::1")
        else "other machines can reach it: it has no authentication (see README)"
    )
    return f"serving http://{shown}:{port}/ ({reach}); Ctrl-C stops it"
