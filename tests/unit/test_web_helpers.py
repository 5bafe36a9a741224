"""Pure helpers of the pages: the licence timeline, link building and form reading."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from registry.web.forms import WORK_SEARCH_FORM, FormErrors, form_values
from registry.web.i18n import normalise_language, region_expression
from registry.web.links import language_query, next_page_query, query_with
from registry.web.timeline import build_timeline


def licence(lid: int, media: list[str], start: str | None, end: str | None, **extra) -> dict:
    """Return a licence as the API shapes it."""
    return {
        "id": lid,
        "media": media,
        "territories": extra.get("territories", ["AR"]),
        "territory_expression": extra.get("expression"),
        "start": start,
        "end": end,
        "exclusive": extra.get("exclusive"),
        "licensee": {"id": 1, "name": "Plataforma Sur"},
    }


def test_timeline_groups_by_territory_and_medium_on_whole_years():
    tl = build_timeline(
        [
            licence(1, ["svod", "tvod"], "2026-01-01", "2026-12-31", exclusive=True),
            licence(2, ["svod"], "2020-07-01", None),
            licence(3, ["theatrical"], "2019-01-01", "2019-06-30", territories=["BR", "PT"]),
        ],
        conflicting={1},
        today=date(2026, 6, 1),
    )
    assert (tl.first, tl.last) == (date(2019, 1, 1), date(2028, 12, 31))
    assert [(r.territories, r.medium) for r in tl.rows] == [
        (["AR"], "svod"),
        (["AR"], "tvod"),
        (["BR", "PT"], "theatrical"),
    ]
    svod = tl.rows[0].bars
    assert [b.license_id for b in svod] == [1, 2]
    assert svod[0].conflict and not svod[1].conflict
    assert svod[1].left_pct + svod[1].width_pct == pytest.approx(100.0)  # open end runs on
    assert tl.ticks[0] == (2019, 0.0) and len(tl.ticks) == 10


def test_timeline_of_nothing_is_none():
    assert build_timeline([], set(), date(2026, 1, 1)) is None


def test_timeline_keeps_tiny_windows_visible():
    tl = build_timeline(
        [
            licence(1, ["est"], "2000-01-01", "2000-01-01"),
            licence(2, ["est"], "1990-01-01", "2030-01-01"),
        ],
        set(),
        date(2026, 1, 1),
    )
    assert min(b.width_pct for b in tl.rows[0].bars) == 0.5


def test_links_add_remove_and_page():
    args = MultiDict(
        [("q", "ojos"), ("country", "AR"), ("country", ""), ("cursor", "x"), ("page", "2")]
    )
    assert query_with(args, add=[("country", "UY")]) == "?q=ojos&country=AR&country=UY"
    assert query_with(args, remove=[("country", "AR")]) == "?q=ojos"
    assert next_page_query(args, "abc", 2) == "?q=ojos&country=AR&cursor=abc&page=3"
    assert language_query(MultiDict([("q", "a b"), ("lang", "en")]), "es") == "?q=a+b&lang=es"


def test_form_values_drop_empty_fields_and_keep_lists():
    args = MultiDict(
        [("q", " "), ("country", "AR"), ("country", "BR"), ("year_from", "2000"), ("lang", "es")]
    )
    assert form_values(WORK_SEARCH_FORM, args) == {"country": ["AR", "BR"], "year_from": "2000"}


def test_unknown_fields_are_reported():
    from registry.web.forms import parse

    with pytest.raises(FormErrors) as caught:
        parse(WORK_SEARCH_FORM, MultiDict([("bogus", "1"), ("year_from", "x")]))
    assert set(caught.value.errors) == {"bogus", "year_from"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("es", "es"),
        ("pt", "pt_BR"),
        ("pt-BR", "pt_BR"),
        ("PT_br", "pt_BR"),
        ("fr", None),
        ("", None),
    ],
)
def test_language_names(value, expected):
    assert normalise_language(value) == expected


def test_region_expressions_are_shown_but_country_lists_are_not():
    assert region_expression("LATAM") == "LATAM"
    assert region_expression("WORLD except US") == "WORLD except US"
    assert region_expression("BR") is None and region_expression("BR, PT") is None


def test_a_fact_stated_by_many_records_is_shown_once_with_its_sources():
    from registry.web.grouping import group_facts, title_key

    def title(record: int, batch: int) -> dict:
        return {
            "text": "Trocando Ideia",
            "language": "pt",
            "kind": "original",
            "territory": None,
            "source": {"record_id": record, "agency": "BR-ANCINE", "import_batch": batch},
        }

    files = {1: {"file": "crt.csv"}, 2: {"file": "crt.csv"}, 3: {"file": "paises.csv"}}
    other = {**title(4, 1), "language": "es"}
    facts = group_facts([title(1, 1), title(2, 1), title(3, 6), other], title_key, files)
    assert len(facts) == 2
    assert [(s.file, s.import_batch, s.records) for s in facts[0].statements] == [
        ("crt.csv", 1, 2),
        ("paises.csv", 6, 1),
    ]
    assert facts[1].value["language"] == "es" and facts[1].statements[0].file is None
