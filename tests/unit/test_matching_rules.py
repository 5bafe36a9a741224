"""Hard rules, features, outcomes and clusters of record linkage, without a database."""

from __future__ import annotations

import json

import pytest

from registry.matching.decide import APART, LINKED, REVIEW, Edge, clusters, outcomes
from registry.matching.features import (
    Unit,
    name_key,
    registration_year,
    title_numbers,
    to_arrow,
    unit_from_aggregate,
)
from registry.matching.model import Model, ModelUnavailable, load_model
from registry.matching.rules import conflicts, usable
from registry.matching.scoring import Scored, _labels, score

MODEL = Model("test", {}, auto_link=-3.0, review=-8.0, margin=1.0)


def _scored(a: int, b: int, weight: float, *agreeing: str) -> Scored:
    """Return a scored pair whose title agrees, plus the comparisons named."""
    parts = [{"comparison": "title", "level": "a title in common", "weight": 18.0}]
    parts += [{"comparison": name, "level": "agrees", "weight": 1.0} for name in agreeing]
    return Scored(a, b, 0.5, weight, parts)


def test_placeholders_and_unverified_identifiers_are_never_evidence():
    assert not usable("br_roe", "E1300000100000")
    assert not usable("br_roe", "E1500044700000", verified=False)
    assert usable("br_roe", "E1500044700000")


def test_two_values_of_an_exclusive_scheme_conflict_and_other_schemes_do_not():
    assert conflicts({("br_cpb", "B1")}, {("br_cpb", "B2")})
    assert conflicts({("uy_acau", "T0098")}, {("uy_acau", "T1793")})
    assert not conflicts({("br_cpb", "B1")}, {("br_cpb", "B1")})
    assert not conflicts({("br_crt", "1")}, {("br_crt", "2")})
    assert not conflicts({("br_cpb", "B1")}, {("uy_acau", "T0232")})


def test_names_compare_with_their_words_in_any_order():
    assert name_key("REBELLA JUAN PABLO") == name_key("Juan Pablo Rebella")
    assert name_key("Rebella, Juan") == "juan rebella"


def test_titles_carry_their_numbers_as_sequels_do():
    assert title_numbers(["scary movie 3"]) == ["3"]
    assert title_numbers(["the president's man ii"]) == ["2"]
    assert title_numbers(["naruto - vol. 33", "naruto 33"]) == ["33"]
    assert title_numbers(["arena"]) == []


def test_a_record_without_title_is_not_linkable_and_placeholders_are_dropped():
    aggregate = {
        "titles": [],
        "identifiers": [{"scheme": "br_roe", "value": "E1300000100000"}],
        "contributions": [
            {"role": "director", "party": {"name": "JONAH LOOP"}},
            {"role": "director", "party": {"name": "***********"}},
        ],
        "countries_of_origin": ["US"],
    }
    unit = unit_from_aggregate(1, 1, aggregate)
    assert not unit.linkable()
    assert unit.identifiers == set() and unit.directors == {"jonah loop"}
    assert to_arrow([unit]).num_rows == 0


def test_the_table_holds_one_row_per_linkable_unit_with_single_exclusive_values():
    unit = Unit(7, 7, "movie", 2015, 90.0, {"boi neon"}, set(), {"BR", "UY"})
    unit.identifiers = {("br_cpb", "B1500798600000"), ("isan", "A"), ("isan", "B")}
    row = to_arrow([unit]).to_pylist()[0]
    assert row["unique_id"] == 7 and row["type_family"] == "film"
    assert row["id_br_cpb"] == "B1500798600000" and row["id_isan"] is None


def test_a_unique_corroborated_pair_links_and_a_tie_goes_to_review():
    pairs = [_scored(1, 2, 2.0, "year"), _scored(3, 4, 2.0, "year"), _scored(3, 5, 1.5, "year")]
    decided = outcomes(MODEL, pairs)
    assert decided[(1, 2)] == LINKED
    assert decided[(3, 4)] == REVIEW and decided[(3, 5)] == REVIEW


def test_a_candidate_strongly_matching_the_partner_is_a_twin_not_a_rival():
    pairs = [_scored(1, 2, 2.0, "year"), _scored(1, 3, 2.0, "year"), _scored(2, 3, 5.0, "year")]
    assert set(outcomes(MODEL, pairs).values()) == {LINKED}


def test_a_title_alone_links_only_when_neither_side_has_a_close_rival():
    assert outcomes(MODEL, [_scored(1, 2, -1.0)])[(1, 2)] == LINKED
    distant = [_scored(1, 2, -1.0), _scored(2, 3, -6.0)]
    assert outcomes(MODEL, distant)[(1, 2)] == LINKED
    close = [_scored(1, 2, -1.0), _scored(2, 3, -1.5)]
    assert outcomes(MODEL, close)[(1, 2)] == REVIEW
    assert outcomes(MODEL, [_scored(1, 2, -9.0, "year")])[(1, 2)] == APART


def test_across_agencies_a_title_alone_goes_to_review():
    alone = Scored(1, 2, 0.5, -1.0, _scored(1, 2, -1.0).explanation, cross_agency=True)
    assert outcomes(MODEL, [alone])[(1, 2)] == REVIEW
    backed = _scored(1, 2, -1.0, "countries")
    backed = Scored(1, 2, 0.5, -1.0, backed.explanation, cross_agency=True)
    assert outcomes(MODEL, [backed])[(1, 2)] == LINKED


def test_a_title_with_disagreeing_directors_goes_to_review():
    parts = _scored(1, 2, -1.0).explanation + [
        {"comparison": "directors", "level": "different directors", "weight": -1.3}
    ]
    assert outcomes(MODEL, [Scored(1, 2, 0.5, -1.0, parts)])[(1, 2)] == REVIEW
    parts.append({"comparison": "year", "level": "same year", "weight": 1.2})
    assert outcomes(MODEL, [Scored(1, 2, 0.5, -1.0, parts)])[(1, 2)] == LINKED


def test_a_pair_of_units_with_no_agency_in_common_is_marked_cross_agency():
    ancine = Unit(1, 1, titles={"rec"}, agencies={"BR-ANCINE"})
    acau = Unit(2, 2, titles={"rec"}, agencies={"UY-ACAU"})
    both = Unit(3, 3, titles={"rec"}, agencies={"UY-ACAU", "BR-ANCINE"})
    pairs = {(p.work_a, p.work_b): p for p in score(load_model(), [ancine, acau, both])}
    assert pairs[(1, 2)].cross_agency
    assert not pairs[(1, 3)].cross_agency and not pairs[(2, 3)].cross_agency


def test_rivals_count_only_on_the_side_in_focus():
    pairs = [_scored(1, 10, 2.0, "year"), _scored(2, 10, 2.0, "year")]
    assert outcomes(MODEL, pairs, focus={1, 2}) == {(1, 10): LINKED, (2, 10): LINKED}
    assert outcomes(MODEL, pairs, focus={10}) == {(1, 10): REVIEW, (2, 10): REVIEW}


def test_a_candidate_already_in_the_partners_work_is_no_rival():
    pairs = [_scored(1, 10, 2.0, "year"), _scored(1, 11, 2.0, "year")]
    assert outcomes(MODEL, pairs, focus={1}) == {(1, 10): REVIEW, (1, 11): REVIEW}
    twins = outcomes(MODEL, pairs, focus={1}, homes={10: 10, 11: 10, 1: 1})
    assert twins == {(1, 10): LINKED, (1, 11): LINKED}
    apart = outcomes(MODEL, pairs, focus={1}, homes={10: 10, 11: 11, 1: 1})
    assert set(apart.values()) == {REVIEW}


def test_the_year_of_registration_comes_from_ancine_numbers_only():
    assert registration_year({("br_cpb", "B1500798600000"), ("br_roe", "E0900100100000")}) == 2009
    assert registration_year({("uy_acau", "T0232"), ("br_cpb", "B15")}) is None
    assert registration_year(set()) is None


def test_a_unit_keeps_the_year_of_its_earliest_licence():
    aggregate = {
        "titles": [{"text": "Sorry, Baby"}],
        "licenses": [{"start": "2026-12-11"}, {"start": "2025-03-01"}, {"start": None}],
    }
    unit = unit_from_aggregate(1, 1, aggregate)
    assert unit.first_use == 2025
    row = to_arrow([unit]).to_pylist()[0]
    assert row["first_use"] == 2025 and row["registered"] is None


def test_a_release_soon_after_registration_outweighs_a_namesake_registered_long_before():
    shipped = load_model()
    release = Unit(1, 1, titles={"transe"}, countries={"BR"}, first_use=2025)
    recent = Unit(2, 2, titles={"transe"}, countries={"BR"})
    recent.identifiers = {("br_cpb", "B2400145900000")}
    older = Unit(3, 3, titles={"transe"}, countries={"BR"})
    older.identifiers = {("br_cpb", "B1500209700000")}
    pairs = score(shipped, [release, recent, older], focus={1})
    weight = {(p.work_a, p.work_b): p.match_weight for p in pairs}
    assert weight[(1, 2)] > weight[(1, 3)] + shipped.margin
    decided = outcomes(shipped, pairs, focus={1})
    assert decided[(1, 2)] == LINKED and decided[(1, 3)] != LINKED


def test_a_licence_before_registration_says_nothing():
    shipped = load_model()
    release = Unit(1, 1, titles={"le havre"}, countries={"FR"}, first_use=2012)
    registered = Unit(2, 2, titles={"le havre"}, directors={"aki kaurismaki"})
    registered.identifiers = {("br_roe", "E1500340500000")}
    (pair,) = score(shipped, [release, registered])
    dates = next(e for e in pair.explanation if e["comparison"] == "dates")
    assert dates["weight"] in (0, None) and dates["level"].startswith("missing")


def test_clusters_obey_people_and_exclusive_identifiers():
    units = {
        1: Unit(1, 1, identifiers={("br_roe", "E1")}),
        2: Unit(2, 2),
        3: Unit(3, 3, identifiers={("br_roe", "E2")}),
        4: Unit(4, 4),
    }
    links = [Edge(1, 2, 5.0, False), Edge(2, 3, 4.0, False), Edge(3, 4, 1.0, False)]
    assert clusters(links, [], units) == {1: 1, 2: 1, 3: 3, 4: 3}
    assert clusters(links, [(1, 2)], units) == {2: 2, 3: 2, 4: 2}
    person = [Edge(1, 4, 0.0, True), *links]
    assert clusters(person, [], units)[4] == 1


def test_level_labels_follow_splink_gamma_values():
    settings = {
        "comparisons": [
            {
                "output_column_name": "year",
                "comparison_levels": [
                    {"label_for_charts": "missing", "is_null_level": True},
                    {"label_for_charts": "same year"},
                    {"label_for_charts": "further apart"},
                ],
            }
        ]
    }
    assert _labels(settings) == {"year": {-1: "missing", 1: "same year", 0: "further apart"}}


def test_the_shipped_model_loads_with_its_thresholds():
    shipped = load_model()
    assert shipped.review < shipped.auto_link and shipped.margin > 0
    names = [c["output_column_name"] for c in shipped.settings["comparisons"]]
    assert names == [
        "title",
        "year",
        "directors",
        "countries",
        "work_type",
        "runtime",
        "dates",
        "identifiers",
    ]


@pytest.mark.parametrize(
    "text", ["{not json", json.dumps({"format": 99}), json.dumps({"format": 1, "version": "x"})]
)
def test_a_model_file_that_does_not_load_says_why_in_one_line(tmp_path, text):
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelUnavailable) as caught:
        load_model(path)
    assert str(path) in caught.value.message and "\n" not in caught.value.message
