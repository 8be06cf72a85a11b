"""Reader for news articles reporting an inspection.

An article is read into blocks only: its facts sit in a bulleted list of
areas and grades and in sentences, wherever they are. Web clutter ('Hide
Ad', video promotions, repeated picture captions) stays as blocks that
match no pattern, so it is tolerated without a list of known clutter. A copy
hard-wrapped in mid-sentence has its lines joined (kg.read.blocks.join_wrapped).
"""

from __future__ import annotations

from kg.model import Document
from kg.read.blocks import join_wrapped, split_blocks


def read_article(text: str) -> Document:
    """Read an article's text into blocks, joining the lines a copy was hard-wrapped at."""
    return Document(text=text, blocks=join_wrapped(text, split_blocks(text)), sections=[])
