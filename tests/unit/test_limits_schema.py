"""Lengths, list sizes, depths and ranges of the shared schema: refused with the reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from marshmallow import ValidationError

from schemas.aggregate import WORK_AGGREGATE, flatten_errors
from schemas.fields import (
    MAX_FREE_FORM_BYTES,
    MAX_FREE_FORM_DEPTH,
    MAX_FREE_FORM_KEY_LENGTH,
    MAX_IDENTIFIER_LENGTH,
    MAX_LIST_ITEMS,
    MAX_NAME_LENGTH,
    MAX_SCHEME_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
    check_free_form,
)


def _errors(data: dict[str, Any]) -> dict[str, list[str]]:
    """Return the flattened reasons loading data is refused."""
    with pytest.raises(ValidationError) as info:
        WORK_AGGREGATE.load(data)
    return flatten_errors(info.value.messages)


def _work(**extra: Any) -> dict[str, Any]:
    """Return a minimal valid aggregate with extra fields."""
    return {"titles": [{"text": "Relatos salvajes"}], **extra}


def _nested(levels: int) -> Any:
    """Return a value of objects nested levels deep, built without recursion."""
    value: Any = "leaf"
    for _ in range(levels):
        value = {"a": value}
    return value


def _party(name: str) -> dict[str, Any]:
    """Return a contribution naming one person."""
    return {"party": {"kind": "person", "name": name}, "role": "director"}


def test_title_at_the_limit_loads_and_one_more_character_is_refused() -> None:
    assert WORK_AGGREGATE.load({"titles": [{"text": "T" * MAX_TITLE_LENGTH}]})
    errors = _errors({"titles": [{"text": "T" * 40_000}]})
    assert errors == {"titles.0.text": [f"longer than {MAX_TITLE_LENGTH} characters (40000 given)"]}


@pytest.mark.parametrize(
    ("data", "path", "limit"),
    [
        (
            _work(contributions=[_party("N" * (MAX_NAME_LENGTH + 1))]),
            "contributions.0.party.name",
            MAX_NAME_LENGTH,
        ),
        (
            _work(identifiers=[{"scheme": "s" * (MAX_SCHEME_LENGTH + 1), "value": "1"}]),
            "identifiers.0.scheme",
            MAX_SCHEME_LENGTH,
        ),
        (
            _work(identifiers=[{"scheme": "isan", "value": "0" * (MAX_IDENTIFIER_LENGTH + 1)}]),
            "identifiers.0.value",
            MAX_IDENTIFIER_LENGTH,
        ),
        (
            _work(
                licenses=[{"media": ["free_tv"], "external_id": "x" * (MAX_IDENTIFIER_LENGTH + 1)}]
            ),
            "licenses.0.external_id",
            MAX_IDENTIFIER_LENGTH,
        ),
        (
            _work(
                licenses=[
                    {"media": ["free_tv"], "territory_expression": "e" * (MAX_TEXT_LENGTH + 1)}
                ]
            ),
            "licenses.0.territory_expression",
            MAX_TEXT_LENGTH,
        ),
    ],
)
def test_every_text_field_has_a_length_limit(data: dict, path: str, limit: int) -> None:
    errors = _errors(data)
    assert errors[path] == [f"longer than {limit} characters ({limit + 1} given)"]


def test_vocabulary_errors_quote_only_a_preview_of_long_input() -> None:
    reason = _errors(_work(work_type="w" * 99))["work_type"][0]
    assert "w" * 80 + "…" in reason
    assert "w" * 81 not in reason


def test_list_with_too_many_items_is_refused_before_its_items_are_read() -> None:
    errors = _errors(_work(countries_of_origin=["not a country"] * (MAX_LIST_ITEMS + 1)))
    assert errors == {
        "countries_of_origin": [f"more than {MAX_LIST_ITEMS} items ({MAX_LIST_ITEMS + 1} given)"]
    }


def test_generated_territory_expression_longer_than_its_column_is_refused() -> None:
    import pycountry

    countries = [country.alpha_2 for country in pycountry.countries][:200]
    errors = _errors(_work(licenses=[{"media": ["free_tv"], "territories": countries}]))
    assert errors["licenses.0.territory_expression"][0].startswith(
        f"longer than {MAX_TEXT_LENGTH} characters"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("year_end", 99_999), ("episode_count", -1), ("sequence", 2**40), ("runtime_minutes", 1e12)],
)
def test_numbers_outside_what_the_database_holds_are_refused(field: str, value: float) -> None:
    assert field in _errors(_work(**{field: value}))


def test_attributes_at_the_depth_limit_load_and_deeper_are_refused() -> None:
    assert WORK_AGGREGATE.load(_work(attributes=_nested(MAX_FREE_FORM_DEPTH)))
    errors = _errors(_work(attributes=_nested(MAX_FREE_FORM_DEPTH + 1)))
    assert errors == {
        "attributes": [f"nested deeper than {MAX_FREE_FORM_DEPTH} levels of objects and lists"]
    }


def test_licence_terms_nested_far_beyond_the_call_stack_are_refused_not_crashed() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    errors = _errors(_work(licenses=[{"media": ["free_tv"], "terms": {"t": deep}}]))
    assert errors["licenses.0.terms"] == [
        f"nested deeper than {MAX_FREE_FORM_DEPTH} levels of objects and lists"
    ]


def test_free_form_size_and_key_length_are_limited() -> None:
    big = {"notes": "x" * MAX_FREE_FORM_BYTES}
    assert _errors(_work(attributes=big))["attributes"][0].startswith(
        f"larger than {MAX_FREE_FORM_BYTES // 1024} KiB as JSON"
    )
    long_key = {"k" * (MAX_FREE_FORM_KEY_LENGTH + 1): 1}
    assert _errors(_work(attributes=long_key)) == {
        "attributes": [f"a key is longer than {MAX_FREE_FORM_KEY_LENGTH} characters"]
    }


def test_free_form_within_limits_passes_unchanged() -> None:
    value = {"segment": "TV PAGA", "windows": [{"days": 30, "tags": ["a", "b"]}]}
    check_free_form(value)
    loaded = WORK_AGGREGATE.load(_work(attributes=value))
    assert json.dumps(loaded["attributes"], sort_keys=True) == json.dumps(value, sort_keys=True)


def test_openapi_components_publish_the_limits() -> None:
    from schemas.openapi import aggregate_components

    components = aggregate_components()
    title = components["Title"]["properties"]["text"]
    assert title["maxLength"] == MAX_TITLE_LENGTH
    assert components["WorkAggregate"]["properties"]["titles"]["maxItems"] == MAX_LIST_ITEMS


def test_a_party_name_that_folds_longer_than_its_column_is_refused() -> None:
    assert WORK_AGGREGATE.load(_work(contributions=[_party("ß" * (MAX_NAME_LENGTH // 2))]))
    errors = _errors(_work(contributions=[_party("ß" * MAX_NAME_LENGTH)]))
    assert errors == {
        "contributions.0.party.name": [
            f"longer than {MAX_NAME_LENGTH} characters once folded for search "
            f"({2 * MAX_NAME_LENGTH})"
        ]
    }


def test_a_language_tag_longer_than_its_column_is_refused() -> None:
    from schemas.fields import MAX_LANGUAGE_TAG_LENGTH

    tag = "en-US-x-" + "abcdefgh-" * 8 + "a"
    errors = _errors({"titles": [{"text": "x", "language": tag}]})
    assert errors == {
        "titles.0.language": [f"longer than {MAX_LANGUAGE_TAG_LENGTH} characters as a language tag"]
    }
    assert WORK_AGGREGATE.load({"titles": [{"text": "x", "language": "es-419"}]})
