"""ANCINE theatrical releases by distributor: a cinema licence in Brazil with its results."""

from __future__ import annotations

from typing import Any, ClassVar

from importers.ancine.common import PLACEHOLDER_ROE, AncineCsvImporter, RowFields
from importers.ancine.parties import registered_party
from importers.ancine.text import fold
from importers.ancine.titles import work_titles
from importers.registry import register

RELEASES_HEADER = (
    "DATA_LANCAMENTO_OBRA", "TITULO_ORIGINAL", "CPB_ROE", "TIPO_OBRA", "PAIS_OBRA",
    "PUBLICO_TOTAL", "RENDA_TOTAL", "RAZAO_SOCIAL_DISTRIBUIDORA", "REGISTRO_DISTRIBUIDORA",
    "CNPJ_DISTRIBUIDORA",
)  # fmt: skip
CURRENCY = "BRL"


def release_key(fields: RowFields, work_id: dict[str, str] | None, date: str | None) -> str:
    """Return CPB_ROE:date:distributor registration, plus the title for the placeholder ROE."""
    value = work_id["value"] if work_id else fields.text("CPB_ROE")
    parts = [
        value,
        date or fields.text("DATA_LANCAMENTO_OBRA"),
        fields.text("REGISTRO_DISTRIBUIDORA"),
    ]
    if value == PLACEHOLDER_ROE:
        parts.append(fold(fields.text("TITULO_ORIGINAL")))
    return ":".join(part or "" for part in parts)


def release_terms(fields: RowFields) -> dict[str, Any]:
    """Return admissions and box office of the release."""
    terms: dict[str, Any] = {}
    admissions = fields.integer("PUBLICO_TOTAL")
    if admissions is not None:
        terms["admissions"] = admissions
    amount = fields.decimal("RENDA_TOTAL")
    if amount is not None:
        terms["box_office"] = {"amount": amount, "currency": CURRENCY}
    return terms


@register
class AncineReleasesImporter(AncineCsvImporter):
    """Commercial releases (lancamentos-comerciais-por-distribuidoras.csv)."""

    name = "ancine-releases"
    description = "ANCINE theatrical releases by distributor (dados abertos CSV)"
    header: ClassVar[tuple[str, ...]] = RELEASES_HEADER
    authoritative: ClassVar[bool] = False

    def transform(self, fields: RowFields) -> tuple[str | None, dict[str, Any]]:
        """Refer to the work and state the distributor's theatrical licence in Brazil."""
        work_id = fields.work_identifier("CPB_ROE")
        released = fields.date("DATA_LANCAMENTO_OBRA")
        if fields.text("DATA_LANCAMENTO_OBRA") is None:
            fields.error("DATA_LANCAMENTO_OBRA", "missing: expected the release date")
        brazilian = bool(work_id) and work_id["scheme"] == "br_cpb"
        country = fields.text("PAIS_OBRA")
        tipo = fields.text("TIPO_OBRA")
        licence = {
            "licensor": None,
            "licensee": registered_party(
                fields, "RAZAO_SOCIAL_DISTRIBUIDORA", "CNPJ_DISTRIBUIDORA", "REGISTRO_DISTRIBUIDORA"
            ),
            "media": ["theatrical"],
            "territories": ["BR"],
            "exclusive": None,
            "start": released,
            "end": None,
            "status": "active",
            "external_id": None,
            "terms": release_terms(fields),
        }
        data = {
            "titles": work_titles(fields.text("TITULO_ORIGINAL"), None, brazilian),
            "identifiers": [work_id] if work_id else [],
            "countries_of_origin": [country] if country else [],
            "licenses": [licence],
            "attributes": {"tipo_obra": tipo} if tipo else {},
        }
        return release_key(fields, work_id, released), data
