"""Wording patterns: how each layout family words grades, titles, headings and bullets.

The readers say how a page is structured; the files under ``ontology/wording/``
say how it is worded. Each family (``web``, ``report``, ``news``) has a YAML
file of named patterns, each with a ``kind`` (what it reads), a ``regex`` with
placeholders (``{GRADE}``, ``{FORCE}``, ``{AREA}`` … defined in
``common.yaml``), an ``example`` it must match, the groups it must read from
the example (``expect``) and where the wording was seen (``seen``). A new
variant is one entry and one test (tests/test_wording.py checks every entry
against its example). ``followup.yaml`` words references to earlier findings,
``sample.yaml`` which way an audit sample is better.

Named groups a pattern may read: ``area`` (an area as written), ``grade`` (a
grade word), ``status`` (not graded, not yet graded), ``force`` (the force as
written), ``year``, ``ordinal``, ``name``, ``role``, ``place``, ``count``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError
from kg.paths import ONTOLOGY_DIR

WORDING_DIR = ONTOLOGY_DIR / "wording"
FAMILIES = ("web", "report", "news", "followup", "sample")
_KEYS = {"name", "kind", "regex", "example", "expect", "seen", "ignore_case", "note"}
_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z_]*)\}")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


@dataclass(frozen=True)
class Pattern:
    """One named wording pattern of a layout family."""

    family: str
    name: str
    kind: str
    regex: str
    example: str
    expect: dict[str, str]
    seen: str
    ignore_case: bool = False


@dataclass(frozen=True)
class Common:
    """The shared words of common.yaml."""

    grades: dict[str, tuple[str, ...]]  # notation -> words
    statuses: dict[str, tuple[str, ...]]  # notation -> words
    force_words: tuple[str, ...]
    ordinals: dict[str, int]
    numbers: dict[str, int]
    months: tuple[str, ...]
    placeholders: dict[str, str]
    finding_headings: dict[str, tuple[str, ...]]  # finding type code -> headings
    area_prefixes: tuple[str, ...]

    def finding_type(self, heading: str) -> str | None:
        """The finding type a heading such as 'Areas for improvement' opens, or None."""
        return _lookup(self.finding_headings, heading)

    def grade(self, words: str) -> str | None:
        """The grade notation ``words`` name ('Requires improvement' -> 'requires-improvement'),
        or None. Case, quotes, spacing and a final full stop do not matter."""
        return _lookup(self.grades, words)

    def grades_in(self, text: str) -> list[str]:
        """The notations of the grade words in ``text``, in order ('adequate or better')."""
        words = [w for forms in self.grades.values() for w in forms]
        found = re.findall(rf"(?i)\b(?:{_alternation(words)})\b", text.translate(_QUOTES))
        return [g for g in map(self.grade, found) if g]

    def status(self, words: str) -> str | None:
        """'not-yet-graded' or 'ungraded' for words such as 'To be graded', else None."""
        return _lookup(self.statuses, words)


def _lookup(table: dict[str, tuple[str, ...]], words: str) -> str | None:
    """The key of ``table`` whose words include ``words`` (loosely compared), or None."""
    key = _plain(words)
    return next((k for k, forms in table.items() if key in forms), None)


def _plain(words: str) -> str:
    """Words as compared: quotes straightened, spacing collapsed, case and edge
    punctuation ignored."""
    # split() splits at the whitespace \s matches; the spaces it drops at the ends are stripped
    return " ".join(words.translate(_QUOTES).split()).strip(" \t'\".,;:()").casefold()


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in parts)


_FORCE_SUFFIX = re.compile(r"\s+(?:Police(?:\s+Service)?|Constabulary)$")


@dataclass(frozen=True)
class Subject:
    """How a text may name the force a document is about (besides the force words)."""

    names: tuple[str, ...]  # longest first

    @classmethod
    def of(cls, force: str, other_names: Iterable[str] = ()) -> Subject:
        """``force``, its other names (ontology/forces.ttl), and each name's place name
        (the name without 'Police' or 'Constabulary': 'Cheshire 2016')."""
        names = {force, *other_names}
        names |= {_FORCE_SUFFIX.sub("", n).strip() for n in names} - {""}
        return cls(tuple(sorted(names, key=lambda n: (-len(n), n))))


@dataclass
class Family:
    """The patterns of one layout family, compiled on demand for a document's force."""

    name: str
    common: Common
    patterns: tuple[Pattern, ...]
    placeholders: dict[str, str] = field(default_factory=dict)
    _compiled: dict[tuple[str, Subject | None], re.Pattern[str]] = field(default_factory=dict)
    _kinds: dict[str, tuple[Pattern, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def of_kind(self, kind: str) -> tuple[Pattern, ...]:
        """Every pattern of ``kind``, in file order."""
        if kind not in self._kinds:
            self._kinds[kind] = tuple(p for p in self.patterns if p.kind == kind)
        return self._kinds[kind]

    def get(self, name: str) -> Pattern:
        """The pattern called ``name``."""
        for p in self.patterns:
            if p.name == name:
                return p
        raise KeyError(f"{self.name}: no wording pattern {name!r}")

    def compile(self, pattern: Pattern, subject: Subject | None = None) -> re.Pattern[str]:
        """The compiled regex of ``pattern``, its {FORCE} standing for ``subject``."""
        key = (pattern.name, subject)
        compiled = self._compiled.get(key)
        if compiled is None:
            source = expand(pattern.regex, self.common, subject, self.placeholders)
            flags = re.IGNORECASE if pattern.ignore_case else 0
            try:
                compiled = self._compiled[key] = re.compile(source, flags)
            except re.error as exc:
                raise InputError(
                    f"{WORDING_DIR / (self.name + '.yaml')}: pattern {pattern.name!r} is not a "
                    f"valid regular expression: {exc}"
                ) from exc
        return compiled

    def search(
        self, kind: str, text: str, subject: Subject | None = None
    ) -> Iterator[tuple[Pattern, re.Match[str]]]:
        """Every (pattern, match) of ``kind`` found in ``text``, pattern by pattern."""
        for pattern in self.of_kind(kind):
            for m in self.compile(pattern, subject).finditer(text):
                yield pattern, m

    def first(
        self, kind: str, text: str, subject: Subject | None = None
    ) -> tuple[Pattern, re.Match[str]] | None:
        """The first pattern of ``kind`` that matches ``text`` (searching), and its match."""
        for pattern in self.of_kind(kind):
            m = self.compile(pattern, subject).search(text)
            if m:
                return pattern, m
        return None


def expand(
    regex: str,
    common: Common,
    subject: Subject | None = None,
    own: dict[str, str] | None = None,
) -> str:
    """Replace the {PLACEHOLDERS} of ``regex`` (recursively) by their regex text: those
    built from common.yaml's lists, then a family's ``own``, then common.yaml's."""
    local = {**common.placeholders, **(own or {})}
    grades = [w for forms in common.grades.values() for w in forms]
    statuses = [w for forms in common.statuses.values() for w in forms]
    names = subject.names if subject else ()
    built = {
        "G": f"(?i:{_alternation(grades)})",
        "GRADE": f"(?P<grade>(?i:{_alternation(grades)}))",
        "STATUS": f"(?P<status>(?i:{_alternation(statuses)}))",
        "FORCE": f"(?P<force>(?i:{_alternation([*names, *common.force_words])}))",
        "FORCENAME": f"(?P<force>{_alternation(names) or '(?!)'})",
        "ORDINAL": f"(?P<ordinal>(?i:{_alternation(common.ordinals)}))",
        "NUMBER": f"(?P<count>\\d+|(?i:{_alternation(common.numbers)}))",
        "MONTH": f"(?P<month>(?i:{_alternation(common.months)}))",
    }

    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in built:
            return built[key]
        if key in local:
            return _PLACEHOLDER.sub(one, local[key])
        raise InputError(f"{WORDING_DIR}: unknown placeholder {{{key}}} in pattern {regex!r}")

    return _PLACEHOLDER.sub(one, regex)


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read the wording data: {exc}") from exc


@lru_cache(maxsize=2)
def load_common(folder: Path = WORDING_DIR) -> Common:
    """The shared words of ``common.yaml``."""
    data = _load_yaml(folder / "common.yaml")

    def words(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {k: tuple(_plain(w) for w in v) for k, v in table.items()}

    return Common(
        grades=words(data["grades"]),
        statuses=words(data["statuses"]),
        force_words=tuple(data["force_words"]),
        ordinals={str(k): int(v) for k, v in data["ordinals"].items()},
        numbers={str(k): int(v) for k, v in data["numbers"].items()},
        months=tuple(data["months"]),
        placeholders={str(k): str(v) for k, v in data["placeholders"].items()},
        finding_headings=words(data["finding_headings"]),
        area_prefixes=tuple(_plain(w) for w in data["area_prefixes"]),
    )


def _patterns(path: Path, family: str, data: Any) -> list[Pattern]:
    """The ``patterns:`` list of one wording file, checked."""
    entries = data.get("patterns", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"{path}: expected a 'patterns:' list")
    patterns = []
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not {"name", "kind", "regex", "example"} <= set(entry):
            raise InputError(f"{path}: pattern {i} needs name, kind, regex and example")
        if unknown := set(entry) - _KEYS:
            raise InputError(f"{path}: pattern {entry['name']!r}: unknown key(s) {sorted(unknown)}")
        patterns.append(
            Pattern(
                family=family,
                name=str(entry["name"]),
                kind=str(entry["kind"]),
                regex=str(entry["regex"]),
                example=str(entry["example"]),
                expect={str(k): str(v) for k, v in (entry.get("expect") or {}).items()},
                seen=str(entry.get("seen", "")),
                ignore_case=bool(entry.get("ignore_case", False)),
            )
        )
    return patterns


@lru_cache(maxsize=8)
def load_family(name: str, folder: Path = WORDING_DIR) -> Family:
    """The patterns of one family (``web``, ``report`` or ``news``), followed by the
    patterns every family shares (those of common.yaml)."""
    path = folder / f"{name}.yaml"
    common_path = folder / "common.yaml"
    data = _load_yaml(path)
    patterns = _patterns(path, name, data)
    patterns += _patterns(common_path, "common", _load_yaml(common_path))
    own = data.get("placeholders") or {} if isinstance(data, dict) else {}
    names = [p.name for p in patterns]
    if dupes := sorted({n for n in names if names.count(n) > 1}):
        raise InputError(f"{path}: pattern names used twice: {', '.join(dupes)}")
    return Family(
        name, load_common(folder), tuple(patterns), {str(k): str(v) for k, v in own.items()}
    )


def grade_notation(words: str) -> str | None:
    """'Requires improvement' -> 'requires-improvement'; None if not a grade word."""
    return load_common().grade(words)


def inspectorate_role(role: str) -> bool:
    """True when ``role`` is one of the inspectorate's ('HM Inspector of Constabulary'):
    its holder is the same person for every force (common.yaml, ``inspectorate-role``)."""
    return load_family("report").first("inspectorate-role", role) is not None


def status_notation(words: str) -> str | None:
    """'To be graded' -> 'not-yet-graded', 'Ungraded' -> 'ungraded'; else None."""
    return load_common().status(words)


__all__ = [
    "inspectorate_role",
    "Common",
    "Family",
    "Pattern",
    "Subject",
    "expand",
    "grade_notation",
    "load_common",
    "load_family",
    "status_notation",
]
