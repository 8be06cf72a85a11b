"""Reader for news articles reporting an inspection.

An article is read into blocks only: its facts sit in a bulleted list of
areas and grades and in sentences, wherever they are. Web clutter ('Hide
Ad', video promotions, repeated picture captions) stays as blocks that
match no pattern, so it is tolerated without a list of known clutter.
"""

from __future__ import annotations

from kg.model import Document
from kg.read.blocks import split_blocks


def read_article(text: str) -> Document:
    """Read an article's text into blocks."""
    return Document(text=text, blocks=split_blocks(text), sections=[])
