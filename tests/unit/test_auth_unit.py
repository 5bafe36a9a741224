"""Pure parts of tokens, roles, authority, the agency policy and version preconditions."""

from __future__ import annotations

import json

import pytest

from importers.base import ParsedRecord
from registry.auth.principal import Principal
from registry.auth.tokens import TOKEN_PREFIX, hash_token, new_token_secret
from registry.errors import StaleVersion
from registry.services.authority import (
    authority_countries,
    hide_licence_terms,
    is_authoritative,
    may_see_private,
    parse_authority,
)
from registry.services.policy import screen
from registry.services.record_sync import check_precondition


def test_a_token_carries_256_random_bits_and_is_stored_as_sha256():
    secrets = {new_token_secret() for _ in range(100)}
    assert len(secrets) == 100
    token = secrets.pop()
    assert token.startswith(TOKEN_PREFIX) and len(token) == len(TOKEN_PREFIX) + 43
    digest = hash_token(token)
    assert len(digest) == 64 and token not in digest and digest == hash_token(token)


def test_admins_hold_every_role_and_act_for_every_agency():
    admin, reviewer = Principal("AR-INCAA", "admin", "a"), Principal("AR-INCAA", "reviewer", "r")
    assert admin.has_role("submitter") and admin.may_act_for("UY-ACAU")
    assert reviewer.has_role("reviewer") and not reviewer.has_role("submitter")
    assert reviewer.may_act_for("AR-INCAA") and not reviewer.may_act_for("UY-ACAU")


def test_authority_comes_from_the_agency_country_unless_configured():
    argentine = {"countries_of_origin": ["AR", "UY"]}
    brazilian = {"countries_of_origin": ["BR"]}
    assert is_authoritative("AR-INCAA", argentine) and not is_authoritative("AR-INCAA", brazilian)
    assert not is_authoritative("ZZ-EXCHANGE", argentine)
    assert is_authoritative("ZZ-EXCHANGE", brazilian, "ZZ-EXCHANGE=*")
    assert not is_authoritative("AR-INCAA", argentine, "AR-INCAA=CL")
    assert authority_countries("XX-NEW", "", {"XX-NEW": "PE"}) == {"PE"}
    assert parse_authority("a=BR, uy ; b=*") == {"A": {"BR", "UY"}, "B": {"*"}}
    with pytest.raises(ValueError):
        parse_authority("nonsense")


def test_the_authoritative_flag_in_the_data_is_ignored():
    stated = {"countries_of_origin": ["BR"], "authoritative": True}
    assert not is_authoritative("AR-INCAA", stated)


def test_licence_terms_are_hidden_from_other_agencies():
    licences = [
        {"terms": {"wsp": "10 USD"}, "source": {"agency": "AR-INCAA"}},
        {"terms": {"wsp": "12 USD"}, "source": {"agency": "UY-ACAU"}},
        {"terms": {}, "source": {"agency": "UY-ACAU"}},
    ]
    hide_licence_terms(licences, Principal("AR-INCAA", "submitter", "t"))
    assert [item["terms"] for item in licences] == [{"wsp": "10 USD"}, None, {}]
    assert not may_see_private(None, "AR-INCAA")
    assert may_see_private(Principal("UY-ACAU", "admin", "t"), "AR-INCAA")


def _line(key: str, agency: str | None) -> ParsedRecord:
    envelope = {"format": "av-registry-exchange/1", "key": key}
    if agency:
        envelope["origin"] = {"agency": agency}
    return ParsedRecord("line 1", json.dumps(envelope), key=key)


def test_records_claiming_another_agency_are_rejected_one_by_one():
    records = [_line("a", "AR-INCAA"), _line("b", "UY-ACAU"), _line("c", None)]
    screened = list(screen(records, "exchange-jsonl", "AR-INCAA"))
    assert [bool(r.errors) for r in screened] == [False, True, False]
    assert "UY-ACAU" in screened[1].errors["origin.agency"][0]
    unchecked = list(screen([_line("d", "UY-ACAU")], "exchange-jsonl", None))
    assert not unchecked[0].errors


def test_if_match_must_name_the_current_version():
    check_precondition("abc", None)
    check_precondition("abc", ["abc"])
    check_precondition("abc", ["*"])
    for current, match in (("abc", ["old"]), (None, ["abc"]), (None, ["*"])):
        with pytest.raises(StaleVersion):
            check_precondition(current, match)
