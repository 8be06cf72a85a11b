"""Figures in tables: a header row, then rows of a label, the force's value and a comparison
group's value (tests/gold/README.md: the force's value is the figure, the other its comparator).

The force's column is the one whose header names the force ('Northamptonshire
percentage [%]'), else the second; a column whose header names England and
Wales (or all forces, or the nation) holds the comparator, a median when its
header says so, else an average. The unit is percent when the force's header
says 'percent' or '%', else a count; the period is the last one the table's
caption ('Figure 6: … in the year ending 30 September 2025') gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.extract.comparators import GROUP
from kg.extract.facts import ComparatorFact, PeriodFact
from kg.extract.numbers import clean_map, parse_value
from kg.extract.periods import find_periods
from kg.model import Block

Cell = tuple[str, int, int]  # clean text, start and end offsets in the row's raw text

_VALUE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_PERCENT = re.compile(r"percent|%", re.I)
_KIND = re.compile(r"median|average", re.I)


@dataclass(frozen=True)
class RowFigure:
    """The figure of one table row."""

    label: str  # the row's label (its first cell)
    header: str  # the header of the force's column
    value: Decimal
    start: int  # offsets of the value in the row's raw text
    end: int
    unit: str
    comparators: tuple[ComparatorFact, ...]
    period: PeriodFact | None  # None when the caption gives none


def cells(block: Block) -> list[Cell]:
    """The tab-separated cells of a table row: clean text, offsets in the row's raw text."""
    out, pos = [], 0
    for part in block.span.quote.split("\t"):
        clean, index = clean_map(part)
        text = clean.strip()
        if text:
            lead = len(clean) - len(clean.lstrip())
            out.append((text, pos + index[lead], pos + index[lead + len(text) - 1] + 1))
        else:
            out.append(("", pos, pos))
        pos += len(part) + 1
    return out


def read_row(row: list[Cell], header: list[Cell], force: str, caption: str) -> RowFigure | None:
    """The figure of a table row under ``header``, or None when the force's cell has no number.

    :param force: the force's name; its first word finds the force's column.
    :param caption: the table's caption text ('' if none), for the period.
    """
    heads = [h for h, _, _ in header]
    short = force.split()[0].lower()
    mine = next((i for i, h in enumerate(heads) if short in h.lower()), 1)
    if len(row) <= mine or not _VALUE.fullmatch(row[mine][0]):
        return None
    unit = "percent" if _PERCENT.search(heads[mine]) else "count"
    comparators = []
    for i, head in enumerate(heads):
        if i in (0, mine) or not GROUP.search(head) or i >= len(row):
            continue
        if _VALUE.fullmatch(row[i][0]):
            m = _KIND.search(head)
            kind = f"england-and-wales-{m.group().lower() if m else 'average'}"
            comparators.append(ComparatorFact(kind, None, parse_value(row[i][0]), unit=unit))
    periods = [p.period for p in find_periods(caption) if p.period is not None]
    text, start, end = row[mine]
    return RowFigure(
        label=row[0][0],
        header=heads[mine],
        value=parse_value(text),
        start=start,
        end=end,
        unit=unit,
        comparators=tuple(comparators),
        period=periods[-1] if periods else None,
    )


__all__ = ["Cell", "RowFigure", "cells", "read_row"]
