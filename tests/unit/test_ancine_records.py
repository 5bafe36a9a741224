"""Unit tests of the ANCINE transformers on real rows of the committed cuts."""

from __future__ import annotations

from pathlib import Path

from importers.ancine.countries import AncineCountriesImporter
from importers.ancine.crt import AncineCrtImporter
from importers.ancine.directors import AncineDirectorsImporter
from importers.ancine.releases import AncineReleasesImporter
from importers.ancine.works import AncineCpbImporter, AncineRoeImporter
from importers.base import ParsedRecord
from schemas.aggregate import WORK_AGGREGATE

DATA = Path(__file__).resolve().parents[1] / "data" / "ancine"


def by_key(records: list[ParsedRecord]) -> dict[str | None, ParsedRecord]:
    """Index records by key."""
    return {record.key: record for record in records}


def test_cpb_row_with_doubled_quotes_decimal_comma_and_natural_person() -> None:
    """Read the AGENDA - CONDOR row: quoted title, 4,3 minutes, applicant PESSOA FÍSICA."""
    record = by_key(list(AncineCpbImporter().records(DATA / "cpb-2023.csv")))["B2300453700000"]
    assert record.authoritative and not record.errors
    assert record.locator == "line 3"
    assert record.raw.startswith('"""AGENDA - CONDOR"" - AUDIO VISUAL')
    data = WORK_AGGREGATE.load(record.data)
    assert data["titles"][0]["text"] == '"AGENDA - CONDOR" - AUDIO VISUAL - PRETTOS NO PAGODE'
    assert data["work_type"] == "music_video"
    assert data["runtime_minutes"] == 4.3
    assert data["year"] == 2023
    assert data["countries_of_origin"] == ["BR"]
    assert data["identifiers"] == [{"scheme": "br_cpb", "value": "B2300453700000"}]
    applicant = {
        "kind": "person",
        "name": "MAGNO DE OLIVEIRA SOUZA",
        "country": "BR",
        "identifiers": [],
    }
    assert data["contributions"] == [
        {"party": applicant, "role": "applicant", "credit_order": None}
    ]
    holding = data["rights"][0]
    assert (holding["holder"], holding["right_type"], holding["share_pct"]) == (
        applicant,
        "economic",
        None,
    )
    assert holding["territories"] == []
    assert data["attributes"]["data_emissao_cpb"] == "2023-10-16"
    assert data["attributes"]["coproducao_internacional"] is False
    assert data["attributes"]["subtipo_obra"] == "Registro de Eventos"


def test_cpb_series_keeps_total_duration_as_an_attribute() -> None:
    """Read #DEIXAELA: a single-season series of 5 episodes, 137,9 minutes in total."""
    record = by_key(list(AncineCpbImporter().records(DATA / "cpb-2023.csv")))["B2300211800000"]
    data = WORK_AGGREGATE.load(record.data)
    assert (data["work_type"], data["episode_count"], data["year_end"]) == ("series", 5, 2023)
    assert data["runtime_minutes"] is None
    assert data["attributes"]["duracao_total_minutos"] == 137.9
    holder = data["rights"][0]["holder"]
    assert holder["kind"] == "organization"
    assert holder["identifiers"] == [{"scheme": "br_cnpj", "value": "34.878.582/0001-25"}]


def test_cpb_coproduction_flag_and_length_class() -> None:
    """Read LOS DELINCUENTES: an international co-production, a feature film."""
    record = by_key(list(AncineCpbImporter().records(DATA / "cpb-2023.csv")))["B2300373000000"]
    data = WORK_AGGREGATE.load(record.data)
    assert data["attributes"]["coproducao_internacional"] is True
    assert data["work_type"] == "movie"
    assert data["attributes"]["metragem"] == "longa-metragem"
    assert data["titles"][0]["language"] is None


def test_roe_row_with_article_last_titles() -> None:
    """Read THE AMAZING MR BLUNDEN: both titles are article-last and get alternatives."""
    record = by_key(list(AncineRoeImporter().records(DATA / "roe-2023.csv")))["E2300068200000"]
    data = WORK_AGGREGATE.load(record.data)
    titles = [(t["text"], t["kind"], t["language"], t["territory"]) for t in data["titles"]]
    assert titles == [
        ("AMAZING MR BLUNDEN, THE", "original", None, None),
        ("THE AMAZING MR BLUNDEN", "alternative", None, None),
        ("INCRÍVEL SENHOR BLUNDEN, O", "local", "pt", "BR"),
        ("O INCRÍVEL SENHOR BLUNDEN", "alternative", "pt", "BR"),
    ]
    assert data["identifiers"] == [{"scheme": "br_roe", "value": "E2300068200000"}]
    contribution = data["contributions"][0]
    assert contribution["role"] == "applicant"
    assert contribution["party"]["name"] == "TELECINE PROGRAMACAO DE FILMES LTDA"
    assert contribution["party"]["identifiers"] == [
        {"scheme": "br_cnpj", "value": "00.252.848/0001-08"}
    ]
    assert data["rights"] == []
    assert (data["work_type"], data["runtime_minutes"], data["year"]) == ("movie", 90.0, 2021)


def test_crt_row_is_a_segment_licence_for_the_applicant() -> None:
    """Read the CRT of 5 CASAS: pay TV licence in Brazil for LANCA, expired."""
    record = by_key(list(AncineCrtImporter().records(DATA / "crt-2023.csv")))["2023010475000005"]
    assert not record.authoritative and not record.errors
    data = WORK_AGGREGATE.load(record.data)
    assert data["identifiers"] == [{"scheme": "br_cpb", "value": "B2000263300000"}]
    assert data["countries_of_origin"] == ["DE"]
    assert (data["work_type"], data["runtime_minutes"], data["year"]) == ("movie", 85.4, 2020)
    licence = data["licenses"][0]
    assert licence["licensee"]["name"] == "LANCA DISTRIBUIDORA DE FILMES LTDA"
    assert licence["licensee"]["identifiers"] == [
        {"scheme": "br_cnpj", "value": "18.384.267/0001-95"},
        {"scheme": "ancine_agent", "value": "25115"},
    ]
    assert licence["media"] == ["pay_tv"]
    assert licence["territories"] == ["BR"]
    assert str(licence["start"]) == "2023-04-04"
    assert (licence["end"], licence["exclusive"], licence["status"]) == (None, None, "expired")
    assert licence["external_id"] == "2023010475000005"
    assert licence["terms"]["request_date"] == "2023-04-03"
    assert licence["terms"]["registro_ancine_requerente"] == "25115"
    assert licence["terms"]["municipio_requerente"] == "PORTO ALEGRE"


def test_crt_of_a_natural_person_has_only_the_agent_registration() -> None:
    """Read a CRT whose applicant is a natural person: no tax number, ANCINE registration kept."""
    record = by_key(list(AncineCrtImporter().records(DATA / "crt-2023.csv")))["2023044701000000"]
    licensee = WORK_AGGREGATE.load(record.data)["licenses"][0]["licensee"]
    assert licensee["kind"] == "person"
    assert licensee["identifiers"] == [{"scheme": "ancine_agent", "value": "35533"}]


def test_countries_rows_are_separate_records_with_coproductions() -> None:
    """Give each (CPB, country) row its own key; several countries make a co-production."""
    records = by_key(list(AncineCountriesImporter().records(DATA / "countries.csv")))
    germany, brazil = records["B2000263300000:DE"], records["B2000263300000:BR"]
    assert (germany.locator, brazil.locator) == ("line 2", "line 36")
    for record, code in ((germany, "DE"), (brazil, "BR")):
        data = WORK_AGGREGATE.load(record.data)
        assert data["countries_of_origin"] == [code]
        assert [c["country"] for c in data["coproductions"]] == [code]
        assert data["coproductions"][0]["role"] is None
        assert data["titles"][0]["text"] == "5 CASAS"
    single = [r for r in records.values() if r.key and r.key.startswith("B2300198200000:")]
    assert [WORK_AGGREGATE.load(r.data)["coproductions"] for r in single] == [[]]


def test_countries_malformed_cpb_is_refused_by_the_identifier_rules() -> None:
    """Refuse the real row whose CPB has 12 digits."""
    bad = [r for r in AncineCountriesImporter().records(DATA / "countries.csv") if r.errors]
    assert len(bad) == 1
    assert "B600566000000" in bad[0].raw
    assert "'B' and 13 digits" in bad[0].errors["CPB"][0]


def test_directors_masked_split_and_folded_duplicates() -> None:
    """Withhold masked names, split listed directors, repeat the first of folded duplicates."""
    records = list(AncineDirectorsImporter().records(DATA / "directors.csv"))
    masked = records[0]
    assert masked.key == "E1300000100000:confluences emerillon of french guiana:***********"
    assert masked.data["contributions"] == []
    assert masked.data["attributes"] == {"director_withheld": True}
    leading_comma = WORK_AGGREGATE.load(records[2].data)
    assert [c["party"]["name"] for c in leading_comma["contributions"]] == ["HIROTOSHI RISSEN"]
    gigante = [r for r in records if r.key == "E1300000100000:gigante:adrian biniez"]
    assert len(gigante) == 2 and gigante[0].raw != gigante[1].raw
    assert gigante[0].data == gigante[1].data
    listed = next(r for r in records if r.raw.startswith("AARON SPRINGER, SHERM COHEN"))
    contributions = WORK_AGGREGATE.load(listed.data)["contributions"]
    assert [c["party"]["name"] for c in contributions][:2] == ["AARON SPRINGER", "SHERM COHEN"]
    assert [c["credit_order"] for c in contributions][:2] == [1, 2]
    assert {c["party"]["kind"] for c in contributions} == {"person"}


def test_release_row_is_a_theatrical_licence_with_box_office() -> None:
    """Read the 5 CASAS release: 918 admissions, R$ 9.867,32, distributor LANCA."""
    records = list(AncineReleasesImporter().records(DATA / "releases.csv"))
    record = by_key(records)["B2000263300000:2022-09-08:25115"]
    data = WORK_AGGREGATE.load(record.data)
    licence = data["licenses"][0]
    assert licence["media"] == ["theatrical"] and licence["territories"] == ["BR"]
    assert str(licence["start"]) == "2022-09-08"
    assert licence["terms"] == {
        "admissions": 918,
        "box_office": {"amount": "9867.32", "currency": "BRL"},
    }
    assert licence["licensee"]["identifiers"][1] == {"scheme": "ancine_agent", "value": "25115"}
    assert data["countries_of_origin"] == ["DE"]


def test_same_day_releases_by_two_distributors_have_distinct_keys() -> None:
    """Key releases by work, date and distributor registration."""
    keys = [r.key for r in AncineReleasesImporter().records(DATA / "releases.csv")]
    assert "B2500365100000:2026-02-05:84" in keys and "B2500365100000:2026-02-05:5672" in keys
    assert len(keys) == len(set(keys))


def test_release_by_a_natural_person_distributor() -> None:
    """Read RED TREES: the distributor is a natural person without a tax number."""
    record = by_key(list(AncineReleasesImporter().records(DATA / "releases.csv")))[
        "E1800095300000:2018-03-29:17028"
    ]
    licensee = record.data["licenses"][0]["licensee"]
    assert licensee["kind"] == "person"
    assert licensee["identifiers"] == [{"scheme": "ancine_agent", "value": "17028"}]
