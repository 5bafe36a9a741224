"""Identifier schemes: formats, check characters and canonical forms."""

from __future__ import annotations

import csv
import re

import pytest

from schemas.checksums import mod11_2, mod37_36
from schemas.errors import IdentifierError
from schemas.identifiers import (
    SCHEMES,
    is_cnpj_like,
    normalize_identifier,
    normalize_scheme,
)
from tests.conftest import reference_file

EIDR_IN_TEXT = re.compile(r"urn:eidr:10\.5240:[0-9A-Za-z-]+|10\.5240/[0-9A-Za-z-]+")


# --- ISAN ---------------------------------------------------------------------------------

# Published ISAN examples whose check characters were verified by hand.
PUBLISHED_ISANS = [
    "0000-0000-D07A-0090-Q-0000-0000-X",
    "0000-0000-3A8D-0000-Z-0000-0000-6",
]


def build_isan(root_episode: str, version: str) -> str:
    """Return a hyphenated ISAN with both check characters computed."""
    first = mod37_36(root_episode)
    second = mod37_36(root_episode + version)
    groups = "-".join(root_episode[i : i + 4] for i in range(0, 16, 4))
    return f"{groups}-{first}-{version[:4]}-{version[4:]}-{second}"


@pytest.mark.parametrize("isan", PUBLISHED_ISANS)
def test_published_isans_are_valid(isan: str) -> None:
    assert normalize_identifier("isan", isan) == isan


def test_isan_forms_share_one_canonical_value() -> None:
    canonical = build_isan("0000000A1B2C0003", "00FF00AA")
    compact = canonical.replace("-", "")
    for form in (
        canonical,
        canonical.lower(),
        compact,
        f"ISAN {canonical}",
        f"URN:ISAN:{canonical}",
        f"urn:isan:{compact.lower()}",
    ):
        assert normalize_identifier("isan", form) == canonical


def test_short_isan_without_version() -> None:
    assert normalize_identifier("isan", "ISAN 0000-0000-D07A-0090-Q") == "0000-0000-D07A-0090-Q"
    assert normalize_identifier("isan", "00000000d07a0090q") == "0000-0000-D07A-0090-Q"


def test_isan_wrong_first_check_reports_expected_character() -> None:
    with pytest.raises(IdentifierError, match=r"'A' but .* require 'Q'"):
        normalize_identifier("isan", "0000-0000-D07A-0090-A-0000-0000-X")


def test_isan_wrong_second_check_is_rejected() -> None:
    with pytest.raises(IdentifierError, match="second check character is 'Y'"):
        normalize_identifier("isan", "0000-0000-D07A-0090-Q-0000-0000-Y")


@pytest.mark.parametrize(
    "value",
    ["", "0000-0000-D07A-0090", "0000-0000-G07A-0090-Q-0000-0000-X", "ISAN 1234"],
)
def test_malformed_isans_are_rejected(value: str) -> None:
    with pytest.raises(IdentifierError):
        normalize_identifier("isan", value)


# --- EIDR ---------------------------------------------------------------------------------

# Content ids found in shared/data/mddf (Avails and Common Metadata samples).
VALID_EIDRS_IN_MDDF = [
    "10.5240/03E7-AD56-0F60-2392-A1FF-K",
    "10.5240/0728-15BC-4706-83CB-7D55-W",
    "10.5240/0C5B-71BC-CFBF-4B09-2D29-7",
    "10.5240/0C6B-73A7-3D92-3950-76BD-Q",
    "10.5240/2156-FA16-777A-20BF-AF2B-C",
    "10.5240/2327-7906-3CEE-8AC4-5486-A",
    "10.5240/25B6-6070-47EA-716F-B03D-Y",
    "10.5240/2BC3-32F8-A5E2-969E-0368-2",
    "10.5240/6FE7-5382-637F-2E34-7518-O",
    "10.5240/77C5-ED35-8FC2-7D9D-9531-1",
    "10.5240/7D50-589D-587B-7FDA-EEBC-H",
    "10.5240/83F7-2FA8-E20F-1E67-0505-J",
    "10.5240/8FF3-1C20-84F5-F247-8BCD-E",
    "10.5240/AB00-7928-1A3D-3923-B063-Q",
    "10.5240/B34C-BCDB-481A-52A5-290C-W",
    "10.5240/F8D9-519E-6883-AEF4-706A-W",
    "10.5240/F926-336C-2666-0201-54E9-I",
]
# Placeholders in Avails_Volume_error_v2.4.xml: the all-zero suffix requires check 'X'.
INVALID_EIDRS_IN_MDDF = [
    "urn:eidr:10.5240:0000-0000-0000-0000-0000-1",
    "urn:eidr:10.5240:0000-0000-0000-0000-0000-2",
]


@pytest.mark.parametrize("eidr", VALID_EIDRS_IN_MDDF)
def test_eidrs_from_mddf_samples_are_valid_in_every_form(eidr: str) -> None:
    suffix = eidr.split("/", 1)[1]
    assert normalize_identifier("eidr", eidr) == eidr
    assert normalize_identifier("eidr", f"urn:eidr:10.5240:{suffix}") == eidr
    assert normalize_identifier("eidr", eidr.lower()) == eidr
    assert normalize_identifier("eidr", f"10.5240/{suffix.replace('-', '')}") == eidr


@pytest.mark.parametrize("eidr", INVALID_EIDRS_IN_MDDF)
def test_placeholder_eidrs_in_error_sample_are_rejected(eidr: str) -> None:
    with pytest.raises(IdentifierError, match=r"check character is '[12]' .* require 'X'"):
        normalize_identifier("eidr", eidr)


def test_every_eidr_in_the_mddf_files_is_classified() -> None:
    folder = reference_file("mddf")
    found = set()
    for path in folder.rglob("*.xml"):
        found.update(EIDR_IN_TEXT.findall(path.read_text(encoding="utf-8")))
    canonical_valid = set(VALID_EIDRS_IN_MDDF)
    for value in found:
        if value in INVALID_EIDRS_IN_MDDF:
            continue
        assert normalize_identifier("eidr", value) in canonical_valid


# Content ids written as MovieLabs content ids (md:cid:eidr-s:<suffix>) in the MEC samples.
EIDR_CONTENT_IDS_IN_MDDF = [
    "md:cid:eidr-s:2D99-3C1C-9F31-3E10-3411-1",
    "md:cid:eidr-s:AD07-310C-C59D-6785-C63A-G",
    "md:cid:eidr-s:E6CA-AB58-E298-7BA0-E574-V",
    "md:cid:eidr-s:FBEB-FA47-487D-420A-8E31-I",
]


@pytest.mark.parametrize("content_id", EIDR_CONTENT_IDS_IN_MDDF)
def test_movielabs_content_ids_carrying_an_eidr(content_id: str) -> None:
    suffix = content_id.rsplit(":", 1)[1]
    assert normalize_identifier("eidr", content_id) == f"10.5240/{suffix}"


def test_eidr_check_and_prefix_errors() -> None:
    with pytest.raises(IdentifierError, match="require 'C'"):
        normalize_identifier("eidr", "10.5240/2156-FA16-777A-20BF-AF2B-D")
    with pytest.raises(IdentifierError, match="prefix 10.5240"):
        normalize_identifier("eidr", "10.5237/6AED-87CB")
    with pytest.raises(IdentifierError, match="20 hex digits"):
        normalize_identifier("eidr", "10.5240/2156-FA16-777A-20BF-C")
    with pytest.raises(IdentifierError, match="not an EIDR"):
        normalize_identifier("eidr", "2156-FA16-777A-20BF-AF2B-C")


def test_eidr_party_ids_as_found_in_mec_samples() -> None:
    assert normalize_identifier("eidr_party", "10.5237/6AED-87CB") == "10.5237/6AED-87CB"
    assert normalize_identifier("eidr_party", "urn:eidr:10.5237:6aed87cb") == "10.5237/6AED-87CB"
    assert normalize_identifier("eidr_party", "10.5239/8BE5-E3F6") == "10.5239/8BE5-E3F6"
    with pytest.raises(IdentifierError, match="prefix 10.5237"):
        normalize_identifier("eidr_party", "10.5240/6AED-87CB")
    with pytest.raises(IdentifierError, match="8 hex digits"):
        normalize_identifier("eidr_party", "10.5237/6AED-87C")


# --- Brazil -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("11.222.333/0001-81", "11.222.333/0001-81"),
        ("00.146.442/0001-40", "00.146.442/0001-40"),
        ("00146442000140", "00.146.442/0001-40"),
        (" 11222333000181 ", "11.222.333/0001-81"),
    ],
)
def test_valid_cnpjs(value: str, canonical: str) -> None:
    assert normalize_identifier("br_cnpj", value) == canonical


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11.222.333/0001-82", "check digits are '82' but .* require '81'"),
        ("11.222.333/0001-18", "require '81'"),
        ("00.146.442/0001-04", "require '40'"),
        ("11.111.111/1111-11", "all digits are the same"),
        ("00000000000000", "all digits are the same"),
        ("1122233300018", "not a CNPJ"),
        ("11.222.333.0001-81", "not a CNPJ"),
        ("PESSOA FÍSICA", "not a CNPJ"),
        ("123.456.789-09", "not a CNPJ"),
    ],
)
def test_invalid_cnpjs(value: str, reason: str) -> None:
    with pytest.raises(IdentifierError, match=reason):
        normalize_identifier("br_cnpj", value)


def test_is_cnpj_like_checks_shape_only() -> None:
    assert is_cnpj_like("11.222.333/0001-81")
    assert is_cnpj_like("11222333000182")
    assert not is_cnpj_like("PESSOA FÍSICA")
    assert not is_cnpj_like("123.456.789-09")


def test_ancine_registration_numbers() -> None:
    assert normalize_identifier("br_cpb", "b2300198200000") == "B2300198200000"
    assert normalize_identifier("br_roe", " E 2300199600000 ") == "E2300199600000"
    assert normalize_identifier("br_crt", "2023044701000000") == "2023044701000000"
    assert normalize_identifier("ancine_agent", " 35533 ") == "35533"
    for scheme, value in [
        ("br_cpb", "E2300199600000"),
        ("br_roe", "B2300198200000"),
        ("br_cpb", "B230019820000"),
        ("br_crt", "1823044701000000"),
        ("br_crt", "202304470100000"),
        ("ancine_agent", "35A33"),
    ]:
        with pytest.raises(IdentifierError, match="expected"):
            normalize_identifier(scheme, value)


# --- Uruguay ------------------------------------------------------------------------------


def test_rut_check_digit() -> None:
    assert normalize_identifier("uy_rut", "217926260011") == "217926260011"
    assert normalize_identifier("uy_rut", "21 792626 0011") == "217926260011"
    with pytest.raises(IdentifierError, match="check digit is '8' but .* require '2'"):
        normalize_identifier("uy_rut", "218679010018")
    with pytest.raises(IdentifierError, match="leading zero may have been lost"):
        normalize_identifier("uy_rut", "90162680010")
    with pytest.raises(IdentifierError, match="expected 12 digits, got 8"):
        normalize_identifier("uy_rut", "13692224")


def test_ruts_of_the_acau_file() -> None:
    path = reference_file("acau/acau-apoios-reembolsos-projetos-audiovisuais-2013-2024.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        values = [row["rut"] for row in csv.DictReader(handle)]
    twelve_digits = [value for value in values if re.fullmatch(r"\d{12}", value)]
    rejected = set()
    for value in twelve_digits:
        try:
            normalize_identifier("uy_rut", value)
        except IdentifierError:
            rejected.add(value)
    # 1,552 of 1,649 rows carry a 12-digit RUT; all but one pass the mod 11 check.
    assert rejected == {"218679010018"}
    assert len(twelve_digits) - 1 >= 0.99 * len(twelve_digits)
    # The other rows hold 8-digit personal ids, foreign tax ids or N/D: none is a RUT.
    for value in set(values) - set(twelve_digits):
        with pytest.raises(IdentifierError):
            normalize_identifier("uy_rut", value)


def test_acau_title_ids_are_trimmed_text() -> None:
    assert normalize_identifier("uy_acau", " T0389 ") == "T0389"
    with pytest.raises(IdentifierError, match="empty"):
        normalize_identifier("uy_acau", "  ")


# --- Other schemes ------------------------------------------------------------------------


def test_isni_check_character() -> None:
    assert mod11_2("000000012146438") == "X"
    assert normalize_identifier("isni", "0000 0001 2146 438X") == "000000012146438X"
    assert normalize_identifier("isni", "ISNI 0000000218250097") == "0000000218250097"
    with pytest.raises(IdentifierError, match="require 'X'"):
        normalize_identifier("isni", "0000 0001 2146 4381")
    with pytest.raises(IdentifierError, match="not an ISNI"):
        normalize_identifier("isni", "0000 0001 2146")


def test_imdb_and_alid() -> None:
    assert normalize_identifier("imdb", "TT0111161") == "tt0111161"
    assert normalize_identifier("imdb", "nm0000151") == "nm0000151"
    with pytest.raises(IdentifierError, match="'tt' or 'nm'"):
        normalize_identifier("imdb", "tt12345")
    assert normalize_identifier("alid", " md:alid:org:example:film-1 ") == (
        "md:alid:org:example:film-1"
    )


def test_schemes_and_proprietary_namespaces() -> None:
    assert "isan" in SCHEMES and "uy_rut" in SCHEMES and len(SCHEMES) == 13
    assert normalize_scheme("ISAN") == "isan"
    assert normalize_scheme("proprietary:Acme.com") == "proprietary:Acme.com"
    assert normalize_identifier("proprietary:acme", "  X-1 ") == "X-1"
    for scheme in ("proprietary:", "proprietary:two words", "proprietary:\tns"):
        with pytest.raises(IdentifierError, match="namespace"):
            normalize_identifier(scheme, "X-1")
    with pytest.raises(IdentifierError, match="unknown identifier scheme 'doi'"):
        normalize_identifier("doi", "10.1000/1")
