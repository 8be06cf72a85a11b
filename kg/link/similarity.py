"""Text similarity of findings: TF-IDF cosine (scikit-learn), fitted on every finding text
of the graph, so the same graph always gives the same scores.

Headline and body, single words, sublinear term frequency, English stop words: of the
settings tried on the labelled pairs of ``tests/continuity/labelled-pairs.yaml`` (headline
alone or with the body; words or words and word pairs; raw or sublinear counts), this one
separates related from unrelated pairs best. The threshold 0.27 maximised F0.5 there
(precision counts double: a wrong link is worse than a missing one): precision 0.83,
recall 0.56. ``tests/test_continuity.py`` measures both at the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer

#: Findings of consecutive assessments in crosswalked areas whose cosine reaches this are
#: linked as follow-ups (method 'similarity').
SIMILARITY_THRESHOLD = 0.27
#: An explicit back-reference is linked to the earlier report's own finding when their
#: cosine reaches this; otherwise the earlier finding is created from the back-reference.
EXPLICIT_MATCH_THRESHOLD = 0.27


class TextIndex:
    """TF-IDF vectors of a fixed list of texts; cosine between any two, or against a new text.

    The vectoriser scales every vector to length 1, so a cosine is a dot product: one
    sparse matrix product, without the input checks of sklearn's ``cosine_similarity``
    (which took most of the link stage's time at national scale).
    """

    matrix: Any

    def __init__(self, texts: Sequence[str]) -> None:
        self.vectorizer = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, ngram_range=(1, 1)
        )
        try:
            self.matrix = self.vectorizer.fit_transform(list(texts))
        except ValueError:  # no texts, or only stop words: nothing is similar to anything
            self.matrix = None

    def scores(self, i: int, others: Sequence[int]) -> list[float]:
        """Cosine of text ``i`` with each of ``others``."""
        if self.matrix is None:
            return [0.0] * len(others)
        if not others:
            return []
        return _dots(self.matrix[list(others)], self.matrix[i])

    def scores_of(self, text: str, others: Sequence[int]) -> list[float]:
        """Cosine of a text not in the index with each of ``others``."""
        if self.matrix is None:
            return [0.0] * len(others)
        if not others:
            return []
        return _dots(self.matrix[list(others)], self.vectorizer.transform([text]))


def _dots(rows: Any, vector: Any) -> list[float]:
    """The dot product of each of ``rows`` with ``vector`` (sparse, unit length)."""
    return [float(x) for x in (rows @ vector.T).toarray().ravel()]


__all__ = ["EXPLICIT_MATCH_THRESHOLD", "SIMILARITY_THRESHOLD", "TextIndex"]
