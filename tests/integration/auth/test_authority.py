"""Authority comes from configuration: a line's own `authoritative` can lower it, never raise it."""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import select

from registry.context import Registry
from registry.models import SourceRecord, Work
from registry.services.imports import run_import


def _line(key: str, country: str) -> str:
    work = {
        "work_type": "movie",
        "countries_of_origin": [country],
        "titles": [{"text": f"Obra {key}", "language": "es", "kind": "original"}],
    }
    return json.dumps(
        {"format": "av-registry-exchange/1", "key": key, "authoritative": True, "work": work}
    )


def _stated(registry: Registry, path, agency: str) -> dict[str, tuple[bool, bool]]:  # noqa: ANN001
    run_import(registry, path, agency=agency)
    with registry.sessions() as session:
        rows = session.execute(
            select(SourceRecord.source_key, SourceRecord.authoritative, Work.incomplete).join(
                Work, Work.id == SourceRecord.work_id
            )
        ).all()
    return {key: (authoritative, incomplete) for key, authoritative, incomplete in rows}


def test_an_agency_is_authoritative_only_for_works_of_its_country(registry, tmp_path):
    path = tmp_path / "incaa.jsonl"
    path.write_text(_line("ar", "AR") + "\n" + _line("br", "BR") + "\n")
    assert _stated(registry, path, "AR-INCAA") == {"ar": (True, False), "br": (False, True)}


def test_configuration_extends_an_agency_authority(registry, tmp_path):
    reg = Registry(replace(registry.settings, authority_countries="AR-INCAA=AR,BR"))
    path = tmp_path / "incaa.jsonl"
    path.write_text(_line("br", "BR") + "\n")
    assert _stated(reg, path, "AR-INCAA") == {"br": (True, False)}
