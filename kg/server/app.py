"""The web app: a Starlette (ASGI) app object built from a store, served by uvicorn.

Routes::

    /                       home: the forces inspected, the pages below
    /sparql                 the SPARQL 1.1 Protocol endpoint, read-only (kg.server.protocol)
    /editor                 a query editor (YASGUI, a local asset) on /sparql
    /queries                the canned query gallery; /queries/NAME its form and results,
                            /queries/NAME/results.csv|json its download
    /id/…                   the page of a node of the graph (HTML, Turtle, JSON-LD)
    /brief?force=F          a force's briefing: what changed since its previous inspection
    /related?force=F        the related-findings graph (kg.server.related), filtered as
                            `peel-kg viz` filters it
    /passage?file=…         characters start to end of a source text, in their paragraph
    /static/…               the pages' CSS and JavaScript, files of static/ (and of
                            kg/viz/assets/ under /static/viz/)

Every error is answered as ``{"error": {"status": …, "message": …}}`` (an HTML page with
the same status and message for a browser asking for a page). Every answer carries a
Content-Security-Policy allowing nothing but this server, and X-Content-Type-Options.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
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
from kg.server.cache import AnswerCache
from kg.server.http import RequestError, error_body, wants_html
from kg.server.related import ASSETS_URL, VIZ_ASSETS, RelatedPages
from kg.server.runner import Limits, Runner
from kg.store import GraphStore

if TYPE_CHECKING:
    from kg.stores import StoreSpec

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
#: Megabytes of answers a server keeps by default (kg.server.cache).
DEFAULT_CACHE_MB = 64.0
#: How serve_workers tells its worker processes what to open (JSON).
WORKER_CONFIG_ENV = "PEEL_KG_SERVE_WORKER"
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
    store: GraphStore,
    limits: Limits | None = None,
    root: Path | None = None,
    cache_mb: float = DEFAULT_CACHE_MB,
) -> Starlette:
    """The web app serving ``store``.

    :param store: the graph: any kg.store.GraphStore (built files, on-disk or remote).
    :param limits: what one request may cost (timeout, row cap, sizes); kg.server.Limits'
        defaults where not given.
    :param root: the folder the graph's source paths (``data/….txt``) are relative to,
        for the quotes' paragraphs; default the project's (kg.paths.ROOT).
    :param cache_mb: megabytes of answers kept for the next request that asks the same
        (kg.server.cache); 0 keeps none.
    """
    runner = Runner(limits or Limits(), AnswerCache(int(cache_mb * 1024 * 1024)))
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
        Route("/related", RelatedPages(store, runner, site.root).page),
        Route("/passage", page(pages.source_passage)),
        Mount(ASSETS_URL, StaticFiles(directory=VIZ_ASSETS), name="viz"),
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
    store: GraphStore,
    host: str = "127.0.0.1",
    port: int = 8000,
    limits: Limits | None = None,
    cache_mb: float = DEFAULT_CACHE_MB,
) -> None:
    """Serve ``store`` with uvicorn on ``host``:``port`` until interrupted, in this
    process."""
    app = create_app(store, limits, cache_mb=cache_mb)
    uvicorn.run(app, host=host, port=port, log_level="info")


def serve_workers(
    spec: StoreSpec,
    workers: int,
    host: str = "127.0.0.1",
    port: int = 8000,
    limits: Limits | None = None,
    cache_mb: float = DEFAULT_CACHE_MB,
) -> None:
    """Serve the store ``spec`` names with ``workers`` uvicorn worker processes sharing
    ``host``:``port``, until interrupted. Each worker opens the store itself
    (:func:`worker_app`): an on-disk store at once (read-only beside the worker holding
    it), the built files loaded once per worker (time and memory times ``workers``)."""
    from uvicorn.supervisors import Multiprocess

    config = {"spec": str(spec), "limits": asdict(limits or Limits()), "cache_mb": cache_mb}
    os.environ[WORKER_CONFIG_ENV] = json.dumps(config)
    workers_config = _TcpConfig(
        "kg.server.app:worker_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
    )
    # what uvicorn.run does for workers > 1, with the listening socket of _TcpConfig
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(workers_config, sockets=[workers_config.bind_socket()]).run()


class _TcpConfig(uvicorn.Config):
    """uvicorn's Config, its listening socket marked as TCP.

    uvicorn binds the socket its worker processes share with ``proto`` 0; accepted
    connections inherit it, and asyncio turns TCP_NODELAY on only where it reads
    IPPROTO_TCP, so each answer on a kept-alive connection waited some 40 ms for the
    client's delayed ACK (Nagle's algorithm): 170 requests a second where one process
    gave 2,000. https://github.com/Kludex/uvicorn/issues/3149
    """

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return sock
        tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        tcp.set_inheritable(True)
        return tcp


def worker_app() -> Starlette:
    """The app of one worker process of :func:`serve_workers`: the store, limits and cache
    of ``$PEEL_KG_SERVE_WORKER`` (JSON), opened in this process."""
    from kg.stores import open_spec, parse_spec

    config = json.loads(os.environ[WORKER_CONFIG_ENV])
    store = open_spec(parse_spec(config["spec"]))
    return create_app(store, Limits(**config["limits"]), cache_mb=config["cache_mb"])


def start_message(host: str, port: int) -> str:
    """What ``peel-kg serve`` says on start: where, and who can reach it."""
    shown = f"[{host}]" if ":" in host else host
    reach = (
        "only this machine can reach it; --host 0.0.0.0 shares it with the network"
        if host in ("127.0.0.1", "localhost", "::1")
        else "other machines can reach it: it has no authentication (see README)"
    )
    return f"serving http://{shown}:{port}/ ({reach}); Ctrl-C stops it"
