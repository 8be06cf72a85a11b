"""What every route of the web server shares: its error (one JSON shape everywhere),
content negotiation on ``Accept``, and a body read within a size limit.

An error is answered as ``{"error": {"status": 404, "message": "…"}}``; a page asked for
by a browser (Accept: text/html, outside /sparql) gets the same status and message in an
HTML page.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request

from kg.errors import UsageError


class RequestError(UsageError):
    """A request the server refuses, with the HTTP ``status`` to answer it with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_body(status: int, message: str) -> dict[str, dict[str, int | str]]:
    """The one JSON shape of every error the server answers."""
    return {"error": {"status": status, "message": message}}


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The media type of ``offered`` that ``accept`` (an HTTP Accept header) prefers; the
    first offered where any will do (no header, ``*/*``); None where none is acceptable.

    Highest q-value wins, then the more specific range, then the order of ``offered``
    (RFC 9110, section 12.5.1).
    """
    if not accept or not accept.strip():
        return offered[0]
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media.lower(), q))
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, media in enumerate(offered):
        kind = media.split("/")[0]
        # the most specific range that matches the type gives its q
        matches = [
            (2 if pattern == media else 1 if pattern == f"{kind}/*" else 0, q)
            for pattern, q in ranges
            if pattern in (media, f"{kind}/*", "*/*")
        ]
        if not matches:
            continue
        specificity, q = max(matches, key=lambda m: m[0])
        if q > 0 and (best is None or (q, specificity, -index) > best):
            best, chosen = (q, specificity, -index), media
    return chosen


def wants_html(request: Request) -> bool:
    """Whether the client is a browser asking for a page (not the SPARQL endpoint)."""
    if request.url.path.startswith("/sparql"):
        return False
    return "text/html" in request.headers.get("accept", "")


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body, refused (413) beyond ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _too_large(limit)
    return bytes(body)


def _too_large(limit: int) -> RequestError:
    return RequestError(413, f"the request body is longer than the server's limit of {limit} bytes")
