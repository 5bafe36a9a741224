"""A small catalogue of works with rights, licences and a conflict, written through the services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from registry.context import Registry
from registry.search import indexer, management
from registry.services.imports import run_import
from tests.helpers import write_aggregates

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
ACCENTED_TITLE = "O Ano em Que Meus Pais Saíram de Férias"
TYPED_TITLE = "o ano em que meus pais sairam de ferais"  # no accents, one typo
DISTRIBUTOR = {"kind": "organization", "name": "Distribuidora Andina SA", "country": "AR"}
PLATFORM = {"kind": "organization", "name": "Plataforma Sur SRL", "country": "AR"}
PRODUCER = {"kind": "organization", "name": "Gullane Filmes", "country": "BR"}

WORKS = [
    (
        "ano",
        {
            "titles": [
                {"text": ACCENTED_TITLE, "language": "pt", "kind": "original"},
                {
                    "text": "El año en que mis padres se fueron de vacaciones",
                    "language": "es",
                    "kind": "translated",
                    "territory": "AR",
                },
            ],
            "identifiers": [{"scheme": "br_cpb", "value": "B0600412700000"}],
            "work_type": "movie",
            "year": 2006,
            "runtime_minutes": 110,
            "original_languages": ["pt"],
            "countries_of_origin": ["BR"],
            "contributions": [
                {"party": {"kind": "person", "name": "Cao Hamburger"}, "role": "director"},
                {"party": PRODUCER, "role": "production_company"},
            ],
            "rights": [
                {
                    "holder": PRODUCER,
                    "right_type": "economic",
                    "share_pct": 70,
                    "territories": ["BR"],
                },
                {
                    "holder": DISTRIBUTOR,
                    "right_type": "economic",
                    "share_pct": 40,
                    "territories": ["BR"],
                },
            ],
            "licenses": [
                {
                    "licensor": PRODUCER,
                    "licensee": PLATFORM,
                    "media": ["svod"],
                    "territories": ["LATAM"],
                    "exclusive": True,
                    "start": "2026-01-01",
                    "end": "2026-12-31",
                },
                {
                    "licensor": PRODUCER,
                    "licensee": DISTRIBUTOR,
                    "media": ["svod", "tvod"],
                    "territories": ["AR"],
                    "exclusive": True,
                    "start": "2026-06-01",
                    "end": None,
                },
                {
                    "licensor": PRODUCER,
                    "licensee": DISTRIBUTOR,
                    "media": ["theatrical"],
                    "territories": ["BR", "PT"],
                    "exclusive": False,
                    "start": "2006-11-03",
                    "end": "2008-11-02",
                },
            ],
        },
    ),
    (
        "whisky",
        {
            "titles": [{"text": "Whisky", "language": "es"}],
            "work_type": "movie",
            "year": 2004,
            "countries_of_origin": ["UY", "AR"],
        },
    ),
]


@dataclass
class Sample:
    """The ids a test needs to open the sample's pages."""

    work_ids: list[int]
    batch_id: int


def load_sample(registry: Registry) -> Sample:
    """Write the sample works, import a file with rejections and index everything."""
    work_ids = write_aggregates(registry, WORKS)
    report = run_import(registry, TEST_DATA / "ancine" / "broken-cpb.csv", agency="BR-ANCINE")
    indexer.index_works(registry, work_ids)
    indexer.sync(registry)
    management.refresh(registry.search, registry.index_prefix)
    return Sample(work_ids=work_ids, batch_id=report.batch_id)
