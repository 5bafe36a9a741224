"""Unit tests of ANCINE titles, work types, parties, keys and vocabulary checks."""

from __future__ import annotations

import pytest

from importers.ancine.common import RowFields
from importers.ancine.crt import license_status, segment_medium
from importers.ancine.parties import registered_party
from importers.ancine.titles import article_first, guess_portuguese, work_titles
from importers.ancine.works import roe_key
from importers.ancine.worktypes import length_class, work_type


@pytest.mark.parametrize(
    ("stated", "moved"),
    [
        ("VESTIDO, O", "O VESTIDO"),
        ("ADULTS, THE", "THE ADULTS"),
        ("INCRÍVEL SENHOR BLUNDEN, O", "O INCRÍVEL SENHOR BLUNDEN"),
        ("MELHORES ANOS DE NOSSAS VIDAS, OS", "OS MELHORES ANOS DE NOSSAS VIDAS"),
        ("BEST YEARS OF OUR LIVES, THE (1946)", "THE BEST YEARS OF OUR LIVES (1946)"),
        ("PRINCESS DIARIES 2, THE: ROYAL ENGAGEMENT", "THE PRINCESS DIARIES 2: ROYAL ENGAGEMENT"),
        ("TROIS MOUSQUETAIRES: D'ARTAGNAN, LES", "LES TROIS MOUSQUETAIRES: D'ARTAGNAN"),
        ("COMUNIDAD, LA", "LA COMUNIDAD"),
        ("CLAN, EL", "EL CLAN"),
        ("ÁRVORE DOS SEXOS, A", "A ÁRVORE DOS SEXOS"),
        ("AMERICAN WEREWOLF IN LONDON, AN", "AN AMERICAN WEREWOLF IN LONDON"),
        ("NOITE, UMA", "UMA NOITE"),
    ],
)
def test_article_last_titles_get_the_article_in_front(stated: str, moved: str) -> None:
    """Move a trailing article to the front, before any subtitle."""
    assert article_first(stated) == moved


@pytest.mark.parametrize(
    "title",
    [
        "SAMSARA, A JORNADA DA ALMA",
        "LEONORA, ADEUS",
        "RABIN, THE LAST DAY",
        "10 ANOS DE CAJU, VOL. 1",
    ],
)
def test_commas_that_are_not_article_last_are_left_alone(title: str) -> None:
    """Leave titles whose comma is followed by ordinary words."""
    assert article_first(title) is None


def test_article_last_title_keeps_the_stated_text_and_adds_an_alternative() -> None:
    """Keep 'VESTIDO, O' as the original title and add 'O VESTIDO' as an alternative."""
    titles = work_titles("VESTIDO, O", None, brazilian_work=True)
    assert titles == [
        {"text": "VESTIDO, O", "language": "pt", "kind": "original", "territory": None},
        {"text": "O VESTIDO", "language": "pt", "kind": "alternative", "territory": None},
    ]


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("ORIENTAÇÕES PARA OS PACIENTES SUBMETIDOS À CIRURGIA METABÓLICA", "pt"),
        ("A BELA AMÉRICA", "pt"),
        ("1968 UM ANO NA VIDA", "pt"),
        ("5 CASAS", "pt"),
        ("AVISA LÁ QUE EU VOU - 2ª TEMPORADA", "pt"),
        ("LOS DELINCUENTES", None),
        ("ONCE UPON A TIME IN VENEZUELA", None),
        ("COME WITH ME NOW", None),
    ],
)
def test_brazilian_titles_are_portuguese_unless_plainly_not(
    title: str, language: str | None
) -> None:
    """Guess pt for Brazilian titles and leave the language open for foreign-looking ones."""
    assert guess_portuguese(title) == language


def test_brazilian_title_of_a_foreign_work_is_local_portuguese_for_brazil() -> None:
    """State TITULO_BRASIL as a local pt title for BR; the foreign original has no language."""
    titles = work_titles("ANATOMY OF A FALL", "ANATOMIA DE UMA QUEDA", brazilian_work=False)
    assert titles == [
        {"text": "ANATOMY OF A FALL", "language": None, "kind": "original", "territory": None},
        {"text": "ANATOMIA DE UMA QUEDA", "language": "pt", "kind": "local", "territory": "BR"},
    ]


def test_brazilian_title_equal_to_the_original_takes_the_original_language() -> None:
    """Do not call 'BARBIE' Portuguese because Brazil kept the original title."""
    titles = work_titles("BARBIE", "BARBIE", brazilian_work=False)
    assert titles[1] == {"text": "BARBIE", "language": None, "kind": "local", "territory": "BR"}


@pytest.mark.parametrize(
    ("kind", "organization", "minutes", "expected"),
    [
        ("FICÇÃO", "NÃO SERIADA", 15.0, "short"),
        ("FICÇÃO", "NÃO SERIADA", 15.1, "movie"),
        ("DOCUMENTÁRIO", "NÃO SERIADA", 70.0, "movie"),
        ("ANIMAÇÃO", "NÃO SERIADA", 3.9, "short"),
        ("DOCUMENTÁRIO", "SERIADA EM TEMPORADA ÚNICA", 137.9, "series"),
        ("VARIEDADES", "SERIADA EM MÚLTIPLAS TEMPORADAS", 376.1, "series"),
        ("FICÇÃO", "SERIADA", 40.0, "series"),
        ("VÍDEOMUSICAL", "NÃO SERIADA", 4.3, "music_video"),
        ("VARIEDADES", "NÃO SERIADA", 11.6, "other"),
        ("REALITY-SHOW", "NÃO SERIADA", 50.0, "other"),
        ("FICÇÃO", None, None, None),
        ("NÃO CLASSIFICADA", "NÃO SERIADA", 90.0, None),
    ],
)
def test_work_types_follow_ancine_categories(
    kind: str, organization: str | None, minutes: float | None, expected: str | None
) -> None:
    """Map type, temporal organisation and duration with the 15-minute short limit."""
    assert work_type(kind, organization, minutes) == expected


def test_length_classes_follow_ancine_limits() -> None:
    """Curta up to 15 minutes, média up to 70, longa above."""
    assert [length_class(m) for m in (15.0, 15.5, 70.0, 70.1)] == [
        "curta-metragem",
        "média-metragem",
        "média-metragem",
        "longa-metragem",
    ]


def test_natural_person_applicant_has_no_tax_identifier() -> None:
    """Turn 'PESSOA FÍSICA' into a person party without any tax number."""
    fields = RowFields(("REQUERENTE", "CNPJ"), ["MAGNO DE OLIVEIRA SOUZA", "PESSOA FÍSICA"])
    party = registered_party(fields, "REQUERENTE", "CNPJ")
    assert party == {
        "kind": "person",
        "name": "MAGNO DE OLIVEIRA SOUZA",
        "country": "BR",
        "identifiers": [],
    }


def test_company_applicant_has_its_checked_cnpj_and_agent_registration() -> None:
    """Keep the CNPJ and ANCINE registration of an organisation."""
    header = ("REQUERENTE", "REG", "CNPJ")
    fields = RowFields(
        header, ["LANCA DISTRIBUIDORA DE FILMES LTDA", "25115", "18.384.267/0001-95"]
    )
    party = registered_party(fields, "REQUERENTE", "CNPJ", "REG")
    assert party["kind"] == "organization"
    assert party["identifiers"] == [
        {"scheme": "br_cnpj", "value": "18.384.267/0001-95"},
        {"scheme": "ancine_agent", "value": "25115"},
    ]
    assert fields.errors == {}


def test_cnpj_with_wrong_check_digits_is_reported_under_its_column() -> None:
    """Refuse a CNPJ whose check digits do not match."""
    fields = RowFields(("REQUERENTE", "CNPJ"), ["LANCA DISTRIBUIDORA", "18.384.267/0001-96"])
    registered_party(fields, "REQUERENTE", "CNPJ")
    assert "check digits" in fields.errors["CNPJ"][0]


def test_placeholder_roe_keys_include_the_folded_title() -> None:
    """Key works under the shared placeholder ROE by ROE and folded title."""
    assert roe_key("E2300181900000", "OPPENHEIMER") == "E2300181900000"
    assert roe_key("E1300000100000", "Gigante ") == "E1300000100000:gigante"


def test_crt_segment_and_situation_outside_the_vocabulary_are_reported() -> None:
    """Refuse a CRT whose SEGMENTO states no medium or whose SITUACAO_CRT is unknown."""
    fields = RowFields(("SEGMENTO", "SITUACAO_CRT"), ["NENHUMA DAS OPÇÕES", "SUSPENSO"])
    assert segment_medium(fields) is None
    assert license_status(fields) is None
    assert "states no segment" in fields.errors["SEGMENTO"][0]
    assert "'SUSPENSO' is not one of" in fields.errors["SITUACAO_CRT"][0]
