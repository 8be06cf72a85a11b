"""Which way is better for an audit sample, as its sentence words it.

'In 41 of 56 cases, the time to respond was on target' counts things done
right: a higher ratio is better. '49 of 70 respondents reported they hadn't
received training' counts failures: a lower ratio is better. Most samples say
neither ('a victim personal statement was considered in 9 of 21 cases'), and
then nothing is recorded.

The cue words are data (ontology/wording/sample.yaml, kinds ``success`` and
``shortfall``); this module says where they are looked for: in the clause that
says what the N did or had, that is

- the words before the count, back to the start of its clause or to the sample
  before it in the sentence ('investigations were appropriately supervised in
  62 of 78 cases');
- the words after it, to the end of its clause, or to the conjunction before the
  next sample ('48 of 49 crimes were recorded correctly'), but not a relative clause
  right after what was counted, which only says which cases were counted ('in
  5 of 8 cases where the victim did not support …');
- when the count opens its clause ('In 10 of 14 cases, …', 'we found that, in
  only 13 of 17 relevant cases, …'), the clause after the comma too (after an
  aside such as ', however,').

A match inside a longer one is dropped ('no undue delay' is one success cue,
not a negation). Cues of both kinds, or two shortfall cues ('did not miss'),
record nothing.
"""

from __future__ import annotations

import re
from typing import Literal

from kg.wording import load_family

Better = Literal["higher", "lower"]

#: Where a clause ends: ; : ( ) a comma (not one inside '1,423'), a full stop, a dash.
_BOUNDARY = re.compile(r"[;:()]|,(?!\d)|\.(?=\s|$)|\s[–—-]\s")
#: A parenthesis without a number ('(APP)') is part of its clause, not a boundary.
_ASIDE = re.compile(r"\([^()\d]*\)")
#: Words that start the clause of the next sample ('recorded in 57 of 66 cases and the …').
_CONJUNCTION = re.compile(r"\b(?:and|but|while|whereas|although|though|because)\b", re.I)


def better_when(
    text: str,
    start: int,
    end: int,
    counted: str | None = None,
    lo: int = 0,
    hi: int | None = None,
) -> Better | None:
    """'higher' when the sentence words the sample as things done right, 'lower' when it
    words it as failures, else None.

    :param text: the clean sentence; ``text[start:end]`` the sample as written ('41 of
        56', '23.9 percent of respondents (98 of 409)', '12' of 'in 12 cases').
    :param counted: what was counted, as :func:`kg.extract.numbers.counted` read it; a
        relative clause right after it is not searched.
    :param lo: where the words of this sample may start (the end of the sample before it).
    :param hi: where they must end (the start of the figure after it).
    """
    words = load_family("sample")
    hi = len(text) if hi is None else hi
    scopes = _scopes(text, start, end, counted, lo, hi)
    cues: list[tuple[int, int, str]] = []
    for a, b in scopes:
        for kind in ("success", "shortfall"):
            for pattern, m in words.search(kind, text[a:b]):
                cues.append((a + m.start(), a + m.end(), pattern.kind))
    # a cue inside a longer one is part of it; two patterns matching the same words are one cue
    kept = {
        (s, e, k)
        for s, e, k in cues
        if not any(o[0] <= s and e <= o[1] and o[1] - o[0] > e - s for o in cues)
    }
    kinds = [k for _, _, k in kept]
    if kinds and set(kinds) == {"success"}:
        return "higher"
    return "lower" if kinds == ["shortfall"] else None


def _scopes(
    text: str, start: int, end: int, counted: str | None, lo: int, hi: int
) -> list[tuple[int, int]]:
    """The stretches of ``text`` that say what the sample's N did or had."""
    words = load_family("sample")
    plain = _ASIDE.sub(lambda m: " " * len(m.group()), text)  # same offsets, no asides
    b0 = lo
    for m in _BOUNDARY.finditer(plain, lo, start):
        b0 = m.end()
    before = text[b0:start]
    stop = _BOUNDARY.search(plain, end, hi)
    a1 = stop.start() if stop else hi
    if stop is None and hi < len(text):  # the next sample is in this clause: stop before its own
        conj = list(_CONJUNCTION.finditer(text, end, hi))
        a1 = conj[-1].start() if conj else a1
    a0 = end
    rest = text[end:a1]
    if counted and rest.lstrip().lower().startswith(counted):
        a0 = end + len(rest) - len(rest.lstrip()) + len(counted)
    if words.first("relative", text[a0:a1]):
        a1 = a0
    scopes = [(b0, start), (end, a1)]
    opens = words.first("opens", before) is not None
    while opens and stop is not None and stop.group() == ",":
        nxt = _BOUNDARY.search(plain, stop.end(), hi)
        clause = (stop.end(), nxt.start() if nxt else hi)
        if not words.first("aside", text[clause[0] : clause[1]]):
            scopes.append(clause)
            break
        stop = nxt  # 'In 12 of 40 cases, however, officers …': the clause after the aside
    return scopes


__all__ = ["Better", "better_when"]
