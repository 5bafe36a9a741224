"""Search text is bounded after folding: a short q cannot become hundreds of clauses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from registry.search.queries import (
    MAX_QUERY_LENGTH,
    MAX_QUERY_WORDS,
    build_party_fuzzy,
    build_work_search,
    folded_words,
    text_query,
)

# One character that NFKD folding turns into four words: 256 of them made 769 words.
EXPANDING = "\ufdfa" * 256


def test_expanding_characters_are_capped_in_words_and_length():
    folded = folded_words(EXPANDING)
    assert len(folded.split()) <= MAX_QUERY_WORDS
    assert len(folded) <= MAX_QUERY_LENGTH


def texts_searched(body: object) -> list[str]:
    """Return every match text in a query body."""
    if isinstance(body, dict):
        own = [body["query"]] if isinstance(body.get("query"), str) else []
        return own + [t for value in body.values() for t in texts_searched(value)]
    if isinstance(body, list):
        return [t for value in body for t in texts_searched(value)]
    return []


def test_every_text_clause_searches_the_capped_words():
    texts = texts_searched(text_query(EXPANDING))
    assert len(texts) == 5 and set(texts) == {folded_words(EXPANDING)}


def test_party_names_in_filters_and_party_search_are_capped():
    bodies = [
        build_work_search({"party": EXPANDING, "holder": EXPANDING, "size": 20}),
        build_party_fuzzy(EXPANDING, 10),
    ]
    for body in bodies:
        texts = texts_searched(body)
        assert texts and all(len(t.split()) <= MAX_QUERY_WORDS for t in texts)


def test_ordinary_text_is_folded_and_kept_whole():
    assert folded_words("  El Secreto de sus OJOS ") == "el secreto de sus ojos"


@given(st.text(max_size=MAX_QUERY_LENGTH))
def test_any_text_stays_within_the_caps(text):
    folded = folded_words(text)
    assert len(folded.split()) <= MAX_QUERY_WORDS and len(folded) <= MAX_QUERY_LENGTH
