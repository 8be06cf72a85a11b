"""SECURITY.md says what the server exposes and names each of its real defaults, read from
kg.server's code here rather than typed in (issue 12, item 9)."""

from __future__ import annotations

import dataclasses

import click
import pytest

from kg.cli import cli
from kg.deadline import DEFAULT_TIMEOUT
from kg.paths import ROOT
from kg.server import Limits
from kg.server.app import SECURITY_HEADERS

SECURITY = ROOT / "SECURITY.md"


def _serve_defaults() -> dict[str, object]:
    """The defaults of `peel-kg serve`'s options, by option name."""
    serve = cli.commands["serve"]
    assert isinstance(serve, click.Command)
    return {p.opts[0]: p.default for p in serve.params if p.opts[0].startswith("--")}


def _limit(name: str) -> object:
    (field,) = [f for f in dataclasses.fields(Limits) if f.name == name]
    return field.default


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@pytest.fixture(scope="module")
def text() -> str:
    return SECURITY.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "option", ["--host", "--port", "--timeout", "--max-rows", "--workers", "--cache-mb"]
)
def test_security_md_names_each_option_default_the_server_uses(text: str, option: str) -> None:
    assert f"| `{option}` | `{_shown(_serve_defaults()[option])}` |" in text


@pytest.mark.parametrize(
    ("row", "field"),
    [("query length", "max_query_length"), ("request body", "max_body"),
     ("query threads", "workers")],
)  # fmt: skip
def test_security_md_names_each_limit_the_server_uses(text: str, row: str, field: str) -> None:
    assert f"| {row} | `{_limit(field)}` |" in text
    assert _limit("timeout") == _serve_defaults()["--timeout"]  # the CLI passes its own


def test_security_md_says_what_is_exposed_and_what_is_not(text: str) -> None:
    for header in SECURITY_HEADERS:
        assert header.lower() in text.lower()
    for path in ("/sparql", "/editor", "/queries", "/id/", "/brief", "/related", "/passage"):
        assert f"`{path}" in text
    for said in ("read-only", "abandoned", "No authentication", "No TLS", "Answers are kept"):
        assert said in text
    assert f"default {DEFAULT_TIMEOUT:g} s" in text  # the command line's query limit
    for proxy in ("```nginx", "auth_basic_user_file", "ssl_certificate", "```caddy",
                  "basic_auth", "reverse_proxy 127.0.0.1:8000"):  # fmt: skip
        assert proxy in text
    assert "## Reporting a vulnerability" in text


def test_the_readme_links_security_md() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(SECURITY.md)" in readme
