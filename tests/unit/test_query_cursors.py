"""Cursors are signed: only positions this registry issued, for the same listing, are accepted."""

from __future__ import annotations

import pytest

from registry.search.queries import build_work_search, decode_cursor, encode_cursor

SECRET = b"a test secret"


def test_a_cursor_gives_back_its_position():
    cursor = encode_cursor([1.5, 42], SECRET, "works:relevance")
    assert decode_cursor(cursor, SECRET, "works:relevance") == [1.5, 42]


@pytest.mark.parametrize(
    "cursor",
    [
        "[" * 2000,
        "%%%",
        "",
        ".",
        "WyJhenVsIiwgMV0",  # unsigned base64 of ["azul", 1], as cursors were once made
        encode_cursor([1.5, 42], b"another registry", "works:relevance"),
        encode_cursor([1.5, 42], SECRET, "works:relevance")[:-2] + "AA",
        "é." + encode_cursor([1], SECRET, "changes").split(".")[1],
    ],
)
def test_forged_or_damaged_cursors_are_refused(cursor):
    with pytest.raises(ValueError, match="invalid cursor"):
        decode_cursor(cursor, SECRET, "works:relevance")


def test_a_cursor_of_another_sort_is_refused():
    cursor = encode_cursor([2001, 42], SECRET, "works:year")
    with pytest.raises(ValueError, match="another"):
        decode_cursor(cursor, SECRET, "works:title")


def test_a_position_of_the_wrong_length_is_refused_before_the_search():
    with pytest.raises(ValueError, match="another sort"):
        build_work_search({"q": "x", "size": 20}, search_after=[1, 2, 3])
    body = build_work_search({"q": "x", "size": 20}, search_after=[1.5, 42])
    assert body["search_after"] == [1.5, 42]
