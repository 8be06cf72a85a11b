"""Which way is better for an audit sample, as its sentence words it (kg/extract/direction.py,
ontology/wording/sample.yaml).

The sentences of the synthetic reports are written for these tests after the forms of the two
full reports (data/000_… PEEL 2023–25, data/001_… PEEL 2025–27): the count before or after
its verb, 'In N of M cases, …' opening the sentence, a survey percentage with its sample in
brackets, a sample counted from an earlier one. The last tests check the built corpus.
"""

from __future__ import annotations

import pytest

from kg.extract.direction import better_when
from kg.store import Store

from .test_figures import PREFIXES, synthetic


def sample(body: str, numerator: int) -> str | None:
    """The direction read for the one sample of ``body`` whose numerator is ``numerator``."""
    (o,) = [f for f in synthetic(body) if f.numerator == numerator and f.denominator]
    return o.better


@pytest.mark.parametrize(
    ("body", "numerator", "better"),
    [
        # things done right, the verb before the count
        ("Officers supervised investigations appropriately in 40 of 52 cases.", 40, "higher"),
        ("We found crimes were recorded correctly in 27 of 30 cases we audited.", 27, "higher"),
        ("The victim contract was adhered to in 33 of 35 relevant cases.", 33, "higher"),
        ("There was effective supervision in 21 of 29 cases.", 21, "higher"),
        ("A plan in line with national guidance (APP) was made in 18 of 20 cases.", 18, "higher"),
        # the count as subject, the verb after it
        ("We found that 38 of 41 crimes were classified accurately.", 38, "higher"),
        ("Of the records we checked, 25 of 28 had reasonable grounds recorded.", 25, "higher"),
        # 'In N of M cases, …': the verb in the clause after the comma
        ("In 15 of 22 cases, officers attended within the required time.", 15, "higher"),
        ("We found that, in 30 of 45 cases, the response was on target.", 30, "higher"),
        ("In only 9 of 16 relevant cases, the force made an effective referral.", 9, "higher"),
        ("In 7 of 9 cases where a child was present, officers spoke to the child appropriately.",
         7, "higher"),
        # a double negative that praises
        ("There were no undue delays in sending devices for examination in 17 of 19 cases.",
         17, "higher"),
        # failures
        ("In 12 of 40 cases there was no record of the victim's wishes.", 12, "lower"),
        ("31 of 64 respondents told us they hadn't been trained in this.", 31, "lower"),
        ("However, 18.5 percent of respondents (25 of 135) said they had never had a review.",
         25, "lower"),
        ("In 5 of 11 cases, officers didn't complete a risk assessment.", 5, "lower"),
        ("Officers failed to update the victim in 14 of 37 cases.", 14, "lower"),
        ("We found the decision wasn't appropriate in 6 of 25 cases.", 6, "lower"),
        ("Crimes were recorded incorrectly in 4 of 50 cases.", 4, "lower"),
        ("Officers missed chances to safeguard children in 8 of 19 cases.", 8, "lower"),
        ("In 9 of 15 cases there was no effective supervision.", 9, "lower"),
        ("In 12 of 40 cases, however, officers failed to record the crime.", 12, "lower"),
        # neither: nothing is recorded
        ("A victim personal statement was taken in 14 of 26 cases.", 14, None),
        ("In 11 of 13 missing person cases, the school was told.", 11, None),
        ("We found officers had told victims of delays in 19 of 23 cases.", 19, None),
        ("In our survey, 40 of 90 respondents said they worked overtime each week.", 40, None),
        # both kinds, or a double negation: nothing is recorded
        ("In 30 of 40 cases officers did not miss a chance to arrest.", 30, None),
        ("The force referred only two of nine relevant cases to the panel.", 2, None),
        ("In 8 of 20 cases officers recorded the crime correctly but didn't tell the victim.",
         8, None),
        # a negation in another clause, or in the clause that says which cases were counted
        ("Although the force had no policy, officers recorded crimes correctly in 20 of 24 cases.",
         20, "higher"),
        ("In 9 of 12 cases where the suspect wasn't arrested, a rationale was appropriately "
         "recorded.", 9, "higher"),
        ("Officers arrested the suspect in 6 of 10 cases where the victim did not support action.",
         6, None),
    ],
)  # fmt: skip
def test_direction_of_a_sample(body: str, numerator: int, better: str | None) -> None:
    assert sample(body, numerator) == better


def test_two_samples_of_one_sentence_keep_their_own_words() -> None:
    body = "A victim needs assessment was made in 40 of 48 cases and was adhered to in 35 of 40."
    figures = {f.numerator: f.better for f in synthetic(body) if f.denominator}
    assert figures == {40: None, 35: "higher"}


def test_two_survey_samples_of_one_sentence_keep_their_own_words() -> None:
    body = (
        "28.6 percent of respondents (40 of 140) said they didn't feel valued, and 60.0 percent "
        "(84 of 140) said they were supported appropriately."
    )
    figures = {f.numerator: f.better for f in synthetic(body) if f.denominator}
    assert figures == {40: "lower", 84: "higher"}


def test_not_only_is_no_negation() -> None:
    body = "Officers were not only polite but acted appropriately in 20 of 22 cases."
    assert sample(body, 20) == "higher"


def test_a_sample_counted_from_an_earlier_one_reads_its_own_clause() -> None:
    body = (
        "In the 20 cases where a suspect was not arrested, an appropriate rationale was "
        "recorded in 15 cases."
    )
    assert sample(body, 15) == "higher"


def test_better_when_on_a_sentence() -> None:
    text = "In 12 of 40 cases, officers didn't record the victim's views."
    assert better_when(text, 3, 11, counted="cases") == "lower"
    assert better_when("It was reviewed in 3 of 4 cases.", 17, 23, counted="cases") is None


# --- the built corpus ---------------------------------------------------------------------

DIRECTIONS = (
    PREFIXES
    + """
SELECT ?num ?den ?better ?quote WHERE {
  ?obs peel:numerator ?num ; peel:denominator ?den ; peel:span/oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?obs peel:betterWhen ?better }
}"""
)


@pytest.mark.parametrize(
    ("words", "numerator", "better"),
    [
        ("in 41 of 56 cases, the time to respond to the incident was on target", 41, "higher"),
        ("investigations were appropriately supervised in 62 of 78 cases", 62, "higher"),
        ("the contract was adhered to in 51 of 57 cases", 51, "higher"),
        ("the contract was adhered to in 51 of 57 cases", 57, None),  # 'was recorded'
        ("there were no significant delays", 11, "higher"),
        ("an appropriate rationale was documented for non-arrest in 12 cases", 12, "higher"),
        ("in line with [authorised professional practice](#) in 56 of 59 cases", 56, "higher"),
        ("in line with authorised professional practice (APP) guidance in 45 of 47", 45, "higher"),
        ("we found 18 of 19 had reasonable grounds", 18, "higher"),
        ("49 of 70 respondents involved in fraud reported they hadn't received", 49, "lower"),
        ("(32 of 119) stated they had never received feedback", 32, "lower"),
        ("the force and its partners couldn't create a multi-agency plan", 6, "lower"),
        ("had updated [victims](#) of delays and of downgrading", 15, None),
        ("a victim personal statement was considered in 9 of 21 cases", 9, None),
        ("In 12 of 15 missing [child](#) cases, social care was notified", 12, None),
    ],
)
def test_direction_in_the_corpus(
    store: Store, words: str, numerator: int, better: str | None
) -> None:
    rows = [r for r in store.rows(DIRECTIONS) if words in str(r["quote"])]
    (row,) = [r for r in rows if int(r["num"]) == numerator]
    assert (str(row["better"]) if row.get("better") is not None else None) == better


def test_every_direction_in_the_corpus_is_higher_or_lower(store: Store) -> None:
    found = [str(r["better"]) for r in store.rows(DIRECTIONS) if r.get("better") is not None]
    assert set(found) == {"higher", "lower"} and found.count("lower") == 3
