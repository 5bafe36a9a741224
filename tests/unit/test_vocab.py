"""Vocabularies: countries, regions, languages, currencies, media and work types."""

from __future__ import annotations

import csv
import json
import re

import pytest

from schemas.errors import VocabularyError
from schemas.vocab import (
    COUNTRY_ALIASES,
    MEDIA,
    MEDIA_ALIASES,
    REGIONS,
    WORK_TYPE_ALIASES,
    WORK_TYPES,
    country_code,
    country_name,
    expand_territories,
    is_country,
    is_unspecified_ancine_segment,
    language_from_name,
    media_from_ancine_segment,
    media_from_avails,
    normalize_currency,
    normalize_language,
    region_name,
    strict_country_code,
    territory_expression,
    vocabulary_tables,
    work_type_from_avails,
)
from tests.conftest import reference_file

ANCINE_COUNTRY_COLUMNS = [
    ("paises-de-origem-das-obras-nao-publicitarias-brasileiras.csv", "PAIS_ORIGEM"),
    ("crt-obras-nao-publicitarias-2023.csv", "PAIS"),
    ("lancamentos-comerciais-por-distribuidoras.csv", "PAIS_OBRA"),
]
FLAGGED_VALUE = re.compile(
    r"(<!--\s*ERROR[^>]*-->\s*)?<(?:avails|md):(AllowedLanguage|AssetLanguage|country)>([^<]*)<"
)


def distinct_column(relative: str, column: str) -> set[str]:
    """Return the distinct values of a column of a ';'-delimited UTF-8 CSV file."""
    with reference_file(relative).open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle, delimiter=";")}


# --- countries ----------------------------------------------------------------------------


@pytest.mark.parametrize(("relative", "column"), ANCINE_COUNTRY_COLUMNS)
def test_every_country_name_in_ancine_files_resolves(relative: str, column: str) -> None:
    names = distinct_column(f"ancine/{relative}", column) - {""}
    assert names
    unresolved = []
    for name in sorted(names):
        try:
            assert is_country(country_code(name))
        except VocabularyError:
            unresolved.append(name)
    assert unresolved == []


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("ALEMANHA", "DE"),
        ("ESPANHA", "ES"),
        ("ESTADOS UNIDOS", "US"),
        ("REINO UNIDO", "GB"),
        ("COREIA DO SUL", "KR"),
        ("CORÉIA DO SUL", "KR"),
        ("Estados Unidos de América", "US"),
        ("United States", "US"),
        ("Alemania", "DE"),
        ("Uruguai", "UY"),
        ("PAISES BAIXOS (HOLANDA)", "NL"),
        ("FORMOSA (TAIWAN)", "TW"),
        ("CHINA, REPUBLICA POPULAR", "CN"),
        ("TERRITÓRIOS PALESTINOS OCUPADOS", "PS"),
        ("br", "BR"),
        ("BRA", "BR"),
        ("ury", "UY"),
        ("UK", "GB"),
        ("URSS", "SU"),
        ("TCHECOSLOVÁQUIA", "CS"),
        ("IUGOSLÁVIA", "YU"),
        ("ALEMANHA OCIDENTAL", "DE"),
        ("ALEMANHA ORIENTAL", "DD"),
        ("SUN", "SU"),
    ],
)
def test_country_code(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize("value", ["JJ", "XY", "", "Atlantis", "ZZZ"])
def test_unknown_countries_are_rejected(value: str) -> None:
    with pytest.raises(VocabularyError, match="unknown country"):
        country_code(value)


def test_strict_country_code_accepts_only_alpha_2() -> None:
    assert strict_country_code("us") == "US"
    for value in ("USA", "Brasil", "JJ"):
        with pytest.raises(VocabularyError, match="alpha-2"):
            strict_country_code(value)


def test_is_country_and_names() -> None:
    assert is_country("BR") and is_country("SU") and not is_country("JJ")
    assert not is_country("br")
    assert country_name("DE", "pt") == "Alemanha"
    assert country_name("DE", "es") == "Alemania"
    assert country_name("US") == "United States"
    assert "Soviet" in country_name("SU", "pt")
    with pytest.raises(VocabularyError):
        country_name("JJ")
    with pytest.raises(VocabularyError, match="language"):
        country_name("BR", "zz-notalocale")


# --- regions ------------------------------------------------------------------------------


def test_region_contents() -> None:
    assert REGIONS["MERCOSUR"] == ("AR", "BO", "BR", "PY", "UY")
    assert REGIONS["ANDEAN"] == ("BO", "CO", "EC", "PE")
    assert len(REGIONS["EU"]) == 27 and "GB" not in REGIONS["EU"]
    assert set(REGIONS["EEA"]) == set(REGIONS["EU"]) | {"IS", "LI", "NO"}
    assert set(REGIONS["IBEROAMERICA"]) == set(REGIONS["LATAM"]) | {"ES", "PT", "AD"}
    assert set(REGIONS["CARIBBEAN"]) <= set(REGIONS["LATAM"])
    assert {"AR", "BR", "MX", "CU", "JM"} <= set(REGIONS["LATAM"])
    assert REGIONS["DACH"] == ("AT", "CH", "DE")
    assert {"US", "CA"} <= set(REGIONS["NORTH_AMERICA"]) and "MX" not in REGIONS["NORTH_AMERICA"]
    assert len(REGIONS["WORLD"]) >= 249 and "SU" not in REGIONS["WORLD"]
    for name, members in REGIONS.items():
        assert set(members) <= set(REGIONS["WORLD"]), name


def test_expand_territories() -> None:
    world_minus = expand_territories(["WORLD"], ["US", "CA"])
    assert "US" not in world_minus and "CA" not in world_minus and "BR" in world_minus
    assert len(world_minus) == len(REGIONS["WORLD"]) - 2
    assert world_minus == sorted(world_minus)
    assert expand_territories(["mercosul", "Chile"]) == ["AR", "BO", "BR", "CL", "PY", "UY"]
    assert expand_territories(["latam"], ["MERCOSUR", "México"]) == sorted(
        set(REGIONS["LATAM"]) - set(REGIONS["MERCOSUR"]) - {"MX"}
    )
    assert expand_territories(["BR", "bra", "BRASIL"]) == ["BR"]
    assert expand_territories(["Central America"]) == list(REGIONS["CENTRAL_AMERICA"])
    assert expand_territories([]) == []


@pytest.mark.parametrize(
    ("included", "excluded", "reason"),
    [
        (["JJ"], [], "unknown territory 'JJ'"),
        (["WORLD"], ["JJ"], "unknown territory 'JJ'"),
        (["ATLANTIS"], [], "unknown territory"),
        ([], ["US"], "need included"),
        (["US"], ["USA"], "remove every included territory"),
    ],
)
def test_expand_territories_rejects(included: list[str], excluded: list[str], reason: str) -> None:
    with pytest.raises(VocabularyError, match=reason):
        expand_territories(included, excluded)


def test_territory_expression_and_region_names() -> None:
    assert territory_expression(["world"], ["usa", "Canadá"]) == "WORLD except US, CA"
    assert territory_expression(["Mercosul", "CL"]) == "MERCOSUR, CL"
    assert region_name("latin america") == "LATAM"
    assert region_name("Brasil") is None


# --- languages and currencies ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "standard"),
    [
        ("en-us", "en-US"),
        ("pt-br", "pt-BR"),
        ("pt_BR", "pt-BR"),
        ("EN", "en"),
        ("es-419", "es-419"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("cmn-Hans-CN", "cmn-Hans-CN"),
        ("sr-Latn-RS", "sr-Latn-RS"),
        ("iw", "he"),
        ("und", "und"),
    ],
)
def test_normalize_language(tag: str, standard: str) -> None:
    assert normalize_language(tag) == standard


@pytest.mark.parametrize(
    ("tag", "reason"),
    [
        ("XYZ", "'XYZ' is not a known language"),
        ("xyz", "not a known language"),
        ("ENg", "two-letter code 'en'"),
        ("fr-xx", "private use"),
        ("en-USA", "region subtags are two letters"),
        ("es-999", "not a known region"),
        ("sr-Latin-RS", "not a well-formed"),
        ("canuk", "not a well-formed"),
        ("english", "not a well-formed"),
        ("", "empty"),
    ],
)
def test_normalize_language_rejects(tag: str, reason: str) -> None:
    with pytest.raises(VocabularyError, match=reason):
        normalize_language(tag)


def test_language_values_flagged_in_avails_samples() -> None:
    folder = reference_file("mddf/avails")
    checked = 0
    for path in sorted(folder.glob("*.xml")):
        for flagged, kind, value in FLAGGED_VALUE.findall(path.read_text(encoding="utf-8")):
            check = strict_country_code if kind == "country" else normalize_language
            if flagged:
                with pytest.raises(VocabularyError):
                    check(value)
            else:
                check(value)
            checked += 1
    assert checked > 50


def test_language_from_name() -> None:
    assert language_from_name("PORTUGUÊS") == "pt"
    assert language_from_name("Español") == "es"
    assert language_from_name("inglês") == "en"
    assert language_from_name("francés") == "fr"
    with pytest.raises(VocabularyError, match="unknown language name"):
        language_from_name("klingonês")


def test_normalize_currency() -> None:
    assert normalize_currency(" brl ") == "BRL"
    assert normalize_currency("UYU") == "UYU"
    for bad in ("R$", "XXXX", ""):
        with pytest.raises(VocabularyError, match="ISO 4217"):
            normalize_currency(bad)


# --- media and work types -------------------------------------------------------------------


def test_media_from_avails() -> None:
    assert media_from_avails("EST") == "est"
    assert media_from_avails("VOD") == "tvod"
    assert media_from_avails("POEST") == "tvod"
    assert media_from_avails("svod") == "svod"
    assert media_from_avails("TV") == "free_tv"
    assert media_from_avails("FreeTV") == "free_tv"
    assert media_from_avails("PayTV") == "pay_tv"
    with pytest.raises(VocabularyError, match="not a medium"):
        media_from_avails("Pre-Release")
    with pytest.raises(VocabularyError, match="unknown Avails LicenseType 'Cable'"):
        media_from_avails("Cable")


def test_license_types_in_avails_samples_all_map() -> None:
    folder = reference_file("mddf/avails")
    values = set()
    for path in folder.glob("*.xml"):
        values.update(
            re.findall(r"<(?:\w+:)?LicenseType>([^<]+)<", path.read_text(encoding="utf-8"))
        )
    assert values >= {"EST", "SVOD", "VOD"}
    assert all(media_from_avails(value) in MEDIA for value in values)


def test_ancine_segments_in_files_all_map() -> None:
    values = distinct_column("ancine/crt-obras-nao-publicitarias-2023.csv", "SEGMENTO")
    values |= distinct_column(
        "ancine/obras-nao-pub-brasileiras-2023.csv", "SEGMENTO_DESTINACAO_INICIAL"
    )
    for value in values:
        if is_unspecified_ancine_segment(value):
            with pytest.raises(VocabularyError, match="no segment"):
                media_from_ancine_segment(value)
        else:
            assert media_from_ancine_segment(value) in MEDIA


@pytest.mark.parametrize(
    ("segment", "medium"),
    [
        ("SALAS DE EXIBIÇÃO", "theatrical"),
        ("salas de exibicao", "theatrical"),
        ("RADIODIFUSÃO DE SONS E IMAGENS (TV ABERTA)", "free_tv"),
        ("COMUNICAÇÃO ELETRÔNICA DE MASSA POR ASSINATURA (TV PAGA)", "pay_tv"),
        ("tv paga", "pay_tv"),
        ("VIDEO DOMÉSTICO", "home_video"),
        ("OUTROS MERCADOS", "other"),
    ],
)
def test_media_from_ancine_segment(segment: str, medium: str) -> None:
    assert media_from_ancine_segment(segment) == medium


def test_alias_tables_point_at_known_values() -> None:
    assert {row["media"] for row in MEDIA_ALIASES} <= set(MEDIA)
    assert {row["source"] for row in MEDIA_ALIASES} <= {"avails", "ancine"}
    assert all(is_country(row["code"]) for row in COUNTRY_ALIASES)
    assert all(country_code(row["name"]) == row["code"] for row in COUNTRY_ALIASES)


def test_unknown_ancine_segment_is_not_coerced_to_other() -> None:
    with pytest.raises(VocabularyError, match="unknown ANCINE SEGMENTO"):
        media_from_ancine_segment("CINEMA AO AR LIVRE")


def test_work_types_in_mddf_samples_all_map() -> None:
    folder = reference_file("mddf")
    values = set()
    for path in folder.rglob("*.xml"):
        values.update(re.findall(r"<(?:\w+:)?WorkType>([^<]+)<", path.read_text(encoding="utf-8")))
    assert {"Movie", "Episode", "Season", "Volume", "Collection"} <= values
    assert all(work_type_from_avails(value) in WORK_TYPES for value in values)


def test_work_type_from_avails() -> None:
    assert work_type_from_avails("Movie") == "movie"
    assert work_type_from_avails("movie") == "movie"
    assert work_type_from_avails("miniseries") == "miniseries"
    assert work_type_from_avails("Promotion") == "other"
    assert work_type_from_avails("tv_movie") == "tv_movie"
    assert set(WORK_TYPE_ALIASES.values()) <= set(WORK_TYPES)
    with pytest.raises(VocabularyError, match="unknown Avails WorkType 'Podcast'"):
        work_type_from_avails("Podcast")


# --- tables ---------------------------------------------------------------------------------


def test_vocabulary_tables_are_plain_data() -> None:
    tables = vocabulary_tables()
    json.dumps(tables)
    assert [row["value"] for row in tables["work_types"]] == list(WORK_TYPES)
    assert [row["value"] for row in tables["media"]] == list(MEDIA)
    assert len(tables["media_aliases"]) == len(MEDIA_ALIASES)
    assert {row["name"] for row in tables["regions"]} == set(REGIONS)
    assert any(row["code"] == "BR" and row["name_pt"] == "Brasil" for row in tables["countries"])
    for key in ("roles", "right_types", "title_kinds", "license_statuses", "country_aliases"):
        assert tables[key]


def test_license_and_work_types_in_avails_spreadsheets_all_map() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    folder = reference_file("mddf/avails-xlsx")
    seen = {"LicenseType": set(), "WorkType": set()}
    for path in sorted(folder.glob("*.xlsx")):
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(row for row in rows if row and "LicenseType" in row)
        columns = {name: header.index(name) for name in seen}
        for row in rows:
            for name, index in columns.items():
                value = row[index] if index < len(row) else None
                if isinstance(value, str) and not value.startswith("//"):
                    seen[name].add(value)
    assert seen["LicenseType"] >= {"EST", "VOD", "POEST"}
    assert {media_from_avails(value) for value in seen["LicenseType"]} <= set(MEDIA)
    assert {work_type_from_avails(value) for value in seen["WorkType"]} <= set(WORK_TYPES)
