"""Cells of the exchange CSV: lists, scheme:value pairs, parties, numbers and flags."""

from __future__ import annotations

import pytest

from importers.exchange import cells


def test_lists_split_on_bars_and_keep_escaped_bars():
    assert cells.split_list(" AR | ES |") == ["AR", "ES"]
    assert cells.split_list(r"Tom \| Jerry|Other") == ["Tom | Jerry", "Other"]
    assert cells.split_list("") == []


def test_a_backslash_before_an_ordinary_character_is_kept():
    assert cells.split_list(r"AC\DC|x") == [r"AC\DC", "x"]


@pytest.mark.parametrize("items", [["a|b", "c\\d", "[x]; y"], ["Relatos salvajes"], []])
def test_joined_lists_split_back_to_the_same_items(items):
    assert cells.split_list(cells.join_list(items)) == items


def test_pairs_split_at_the_first_colon_so_values_may_hold_colons():
    assert cells.split_pair("alid: md:cid:org:example.com:1 ") == (
        "alid",
        "md:cid:org:example.com:1",
    )
    assert cells.split_pair("EIDR:10.5240/7791-8534-2C23-9030-8610-5") == (
        "eidr",
        "10.5240/7791-8534-2C23-9030-8610-5",
    )


def test_proprietary_namespaces_end_at_their_first_unescaped_colon():
    assert cells.split_pair("proprietary:acme.com:A:1") == ("proprietary:acme.com", "A:1")
    assert cells.split_pair(r"proprietary:org\:mddf:AltID:1") == ("proprietary:org:mddf", "AltID:1")
    written = cells.format_pair("proprietary:org:mddf", "AltID:1")
    assert written == r"proprietary:org\:mddf:AltID:1"
    assert cells.split_pair(written) == ("proprietary:org:mddf", "AltID:1")


@pytest.mark.parametrize("text", ["B2000263300000", "br_cpb:", ":B2000263300000", "proprietary::x"])
def test_incomplete_pairs_are_refused(text):
    with pytest.raises(ValueError, match="scheme:value"):
        cells.split_pair(text)


def test_identifier_lists_round_trip_with_separators_inside_values():
    identifiers = [
        {"scheme": "br_cpb", "value": "B2000263300000"},
        {"scheme": "proprietary:org:mddf", "value": "AltID:1|2;3"},
    ]
    assert cells.parse_identifiers(cells.format_identifiers(identifiers)) == identifiers


def test_a_plain_name_takes_the_kind_of_its_column():
    party, order = cells.parse_party("Damián Szifron", "person")
    assert party == {"kind": "person", "name": "Damián Szifron", "identifiers": []}
    assert order is None


def test_bracketed_attributes_give_kind_country_identifiers_and_order():
    party, order = cells.parse_party(
        "Produtora Exemplo Ltda [country:BR; br_cnpj:11.222.333/0001-81; KIND:Organization; "
        "order:2]",
        "person",
        with_order=True,
    )
    assert party == {
        "kind": "organization",
        "name": "Produtora Exemplo Ltda",
        "country": "BR",
        "identifiers": [{"scheme": "br_cnpj", "value": "11.222.333/0001-81"}],
    }
    assert order == 2


def test_a_credit_order_outside_a_contribution_is_refused():
    with pytest.raises(ValueError, match="credit order"):
        cells.parse_party("Canal Ejemplo [order:1]", "organization")


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("Foo ]", "closes no"), ("[country:AR]", "no name"), ("Foo [country]", "scheme:value")],
)
def test_malformed_parties_are_refused(cell, reason):
    with pytest.raises(ValueError, match=reason):
        cells.parse_party(cell, "organization")


def test_parties_with_special_characters_round_trip_inside_a_list():
    party = {
        "kind": "person",
        "name": "A [b] | c; d",
        "country": "AR",
        "identifiers": [{"scheme": "proprietary:x:y", "value": "1;2]"}],
    }
    text = cells.format_party(party, "organization", 3)
    pieces = cells.split_parties(f"{text}|Otra Persona")
    assert len(pieces) == 2
    assert cells.parse_party(pieces[0], "organization", with_order=True) == (party, 3)
    assert cells.parse_party(pieces[1], "person")[0]["name"] == "Otra Persona"


def test_formatting_leaves_out_the_kind_the_column_implies():
    party = {"kind": "organization", "name": "Canal Ejemplo", "country": None, "identifiers": []}
    assert cells.format_party(party, "organization") == "Canal Ejemplo"
    assert cells.format_party(party, "person") == "Canal Ejemplo [kind:organization]"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("97", 97.0), ("97.25", 97.25), ("97,5", 97.5), ("1:37:30", 97.5), ("PT1H37M", 97.0)],
)
def test_runtimes_accept_minutes_clock_times_and_iso_durations(text, minutes):
    assert cells.parse_runtime(text) == minutes


def test_numbers_are_written_without_a_needless_fraction():
    assert cells.format_number(97.0) == "97"
    assert cells.format_number(60.5) == "60.5"
    assert cells.format_number(2014) == "2014"
    assert cells.format_number(None) == ""
    assert cells.parse_number(cells.format_number(1 / 3)) == 1 / 3


def test_flags_dates_and_json_objects():
    assert cells.parse_yes_no("Sí") is True
    assert cells.parse_yes_no("no") is False
    assert cells.format_yes_no(None) == ""
    assert cells.parse_iso_date("31/12/2027") == "2027-12-31"
    assert cells.parse_json_object('{"segment": "TV PAGA"}') == {"segment": "TV PAGA"}
    with pytest.raises(ValueError, match="JSON object"):
        cells.parse_json_object("[1, 2]")
    with pytest.raises(ValueError, match="not valid JSON"):
        cells.parse_json_object("{segment}")
    with pytest.raises(ValueError, match="nested too deeply"):
        cells.parse_json_object('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
