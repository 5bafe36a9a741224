"""ANCINE CRT title registrations: who may exploit a work in one Brazilian market segment."""

from __future__ import annotations

from typing import Any, ClassVar

from importers.ancine.common import AncineCsvImporter, RowFields
from importers.ancine.parties import registered_party
from importers.ancine.text import fold
from importers.ancine.titles import work_titles
from importers.ancine.works import work_facts
from importers.registry import register
from schemas.vocab import media_from_ancine_segment

CRT_HEADER = (
    "TITULO_ORIGINAL", "TITULO_BRASIL", "CRT", "DATA_REQUERIMENTO_CRT", "DATA_EMISSAO_CRT",
    "SITUACAO_CRT", "CPB_ROE", "TIPO_OBRA", "SUBTIPO_OBRA", "CLASSIFICACAO", "PAIS",
    "ORGANIZACAO_TEMPORAL", "DURACAO_TOTAL_MINUTOS", "ANO_PRODUCAO_INICIAL",
    "ANO_PRODUCAO_FINAL", "SEGMENTO", "REDUCAO_ISENCAO", "REQUERENTE",
    "REGISTRO_ANCINE_REQUERENTE", "CNPJ_REQUERENTE", "UF_REQUERENTE", "MUNICIPIO_REQUERENTE",
)  # fmt: skip
STATUS_BY_SITUATION = {"registrado": "active", "expirado": "expired", "cancelado": "cancelled"}


def license_status(fields: RowFields) -> str | None:
    """Return the licence status for SITUACAO_CRT, recording unknown situations."""
    situation = fields.text("SITUACAO_CRT")
    status = STATUS_BY_SITUATION.get(fold(situation))
    if status is None:
        fields.error("SITUACAO_CRT", f"{situation!r} is not one of REGISTRADO, EXPIRADO, CANCELADO")
    return status


def segment_medium(fields: RowFields) -> str | None:
    """Return the registry medium of the row's SEGMENTO, recording unknown segments."""
    return fields.parse("SEGMENTO", media_from_ancine_segment)


def crt_terms(fields: RowFields) -> dict[str, Any]:
    """Return the facts of the registration that are not part of the licence model."""
    terms: dict[str, Any] = {
        "request_date": fields.date("DATA_REQUERIMENTO_CRT"),
        "segment": fields.text("SEGMENTO"),
        "reducao_isencao": fields.text("REDUCAO_ISENCAO"),
        "registro_ancine_requerente": fields.text("REGISTRO_ANCINE_REQUERENTE"),
        "uf_requerente": fields.text("UF_REQUERENTE"),
        "municipio_requerente": fields.text("MUNICIPIO_REQUERENTE"),
    }
    return {name: value for name, value in terms.items() if value is not None}


@register
class AncineCrtImporter(AncineCsvImporter):
    """CRT registrations (crt-obras-nao-publicitarias-*.csv): one licence per row."""

    name = "ancine-crt"
    description = "ANCINE CRT title registrations per market segment (dados abertos CSV)"
    header: ClassVar[tuple[str, ...]] = CRT_HEADER
    authoritative: ClassVar[bool] = False

    def transform(self, fields: RowFields) -> tuple[str | None, dict[str, Any]]:
        """Refer to the work by CPB/ROE and state the segment licence of the applicant."""
        crt = fields.identifier("CRT", "br_crt")
        work_id = fields.work_identifier("CPB_ROE")
        brazilian = bool(work_id) and work_id["scheme"] == "br_cpb"
        data = work_facts(fields, "CLASSIFICACAO")
        country = fields.text("PAIS")
        medium = segment_medium(fields)
        licence = {
            "licensor": None,
            "licensee": registered_party(
                fields, "REQUERENTE", "CNPJ_REQUERENTE", "REGISTRO_ANCINE_REQUERENTE"
            ),
            "media": [medium] if medium else [],
            "territories": ["BR"],
            "exclusive": None,
            "start": fields.date("DATA_EMISSAO_CRT"),
            "end": None,
            "status": license_status(fields),
            "external_id": crt,
            "terms": crt_terms(fields),
        }
        data.update(
            titles=work_titles(
                fields.text("TITULO_ORIGINAL"), fields.text("TITULO_BRASIL"), brazilian
            ),
            identifiers=[work_id] if work_id else [],
            countries_of_origin=[country] if country else [],
            licenses=[licence],
        )
        return crt, data
