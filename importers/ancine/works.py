"""ANCINE work registrations: Brazilian works (CPB) and foreign works registered in Brazil (ROE)."""

from __future__ import annotations

from typing import Any, ClassVar

from importers.ancine.common import PLACEHOLDER_ROE, AncineCsvImporter, RowFields
from importers.ancine.parties import registered_party
from importers.ancine.text import fold
from importers.ancine.titles import work_titles
from importers.ancine.worktypes import is_serial, length_class, work_type
from importers.registry import register
from schemas.parsing import parse_bool

CPB_HEADER = (
    "TITULO_ORIGINAL", "CPB", "DATA_EMISSAO_CPB", "SITUACAO_OBRA", "TIPO_OBRA", "SUBTIPO_OBRA",
    "CLASSIFICACAO_OBRA", "ORGANIZACAO_TEMPORAL", "DURACAO_TOTAL_MINUTOS",
    "QUANTIDADE_EPISODIOS", "ANO_PRODUCAO_INICIAL", "ANO_PRODUCAO_FINAL",
    "SEGMENTO_DESTINACAO_INICIAL", "COPRODUCAO_INTERNACIONAL", "REQUERENTE", "CNPJ_REQUERENTE",
    "UF_REQUERENTE", "MUNICIPIO_REQUERENTE",
)  # fmt: skip
ROE_HEADER = (
    "TITULO_ORIGINAL", "TITULO_BRASIL", "ROE", "DATA_EMISSAO_ROE", "SITUACAO_OBRA", "TIPO_OBRA",
    "SUBTIPO_OBRA", "CLASSIFICACAO_OBRA", "ORGANIZACAO_TEMPORAL", "DURACAO_TOTAL_MINUTOS",
    "QUANTIDADE_EPISODIOS", "ANO_PRODUCAO_INICIAL", "ANO_PRODUCAO_FINAL", "REQUERENTE",
    "CNPJ_REQUERENTE",
)  # fmt: skip
DESCRIPTIVE_COLUMNS = (
    "SITUACAO_OBRA", "TIPO_OBRA", "SUBTIPO_OBRA", "CLASSIFICACAO_OBRA", "ORGANIZACAO_TEMPORAL",
    "SEGMENTO_DESTINACAO_INICIAL", "UF_REQUERENTE", "MUNICIPIO_REQUERENTE",
)  # fmt: skip


def work_facts(fields: RowFields, classification_column: str) -> dict[str, Any]:
    """Return the type, years, runtime and episodes ANCINE states for a work."""
    organization = fields.text("ORGANIZACAO_TEMPORAL")
    minutes = fields.minutes("DURACAO_TOTAL_MINUTOS")
    serial = is_serial(organization)
    facts: dict[str, Any] = {
        "work_type": work_type(fields.text("TIPO_OBRA"), organization, minutes),
        "year": fields.year("ANO_PRODUCAO_INICIAL"),
        "year_end": fields.year("ANO_PRODUCAO_FINAL"),
        "runtime_minutes": None if serial else minutes,
        "attributes": fields.attributes((*DESCRIPTIVE_COLUMNS, classification_column)),
    }
    if "QUANTIDADE_EPISODIOS" in fields.values:
        facts["episode_count"] = fields.integer("QUANTIDADE_EPISODIOS")
    if serial and minutes is not None:
        facts["attributes"]["duracao_total_minutos"] = minutes
    if organization and not serial and facts["work_type"] in ("movie", "short"):
        facts["attributes"]["metragem"] = length_class(minutes)
    return facts


def roe_key(roe: str | None, title: str | None) -> str | None:
    """Return the ROE, joined with the folded title when it is the shared placeholder."""
    if roe == PLACEHOLDER_ROE:
        return f"{roe}:{fold(title)}"
    return roe


@register
class AncineCpbImporter(AncineCsvImporter):
    """Brazilian works with their CPB certificate (obras-nao-pub-brasileiras-*.csv)."""

    name = "ancine-cpb"
    description = "ANCINE Brazilian non-advertising works with CPB (dados abertos CSV)"
    header: ClassVar[tuple[str, ...]] = CPB_HEADER

    def transform(self, fields: RowFields) -> tuple[str | None, dict[str, Any]]:
        """Describe the work, its applicant and the applicant's economic rights."""
        cpb = fields.identifier("CPB", "br_cpb")
        data = work_facts(fields, "CLASSIFICACAO_OBRA")
        attributes = data["attributes"]
        if issued := fields.date("DATA_EMISSAO_CPB"):
            attributes["data_emissao_cpb"] = issued
        coproduction = fields.parse("COPRODUCAO_INTERNACIONAL", parse_bool)
        if coproduction is not None:
            attributes["coproducao_internacional"] = coproduction
        applicant = registered_party(fields, "REQUERENTE", "CNPJ_REQUERENTE")
        data.update(
            titles=work_titles(fields.text("TITULO_ORIGINAL"), None, brazilian_work=True),
            identifiers=[{"scheme": "br_cpb", "value": cpb}] if cpb else [],
            countries_of_origin=["BR"],
        )
        if applicant:
            data["contributions"] = [{"party": applicant, "role": "applicant"}]
            holding = {"holder": applicant, "right_type": "economic", "territories": []}
            data["rights"] = [{**holding, "share_pct": None}]
        return cpb, data


@register
class AncineRoeImporter(AncineCsvImporter):
    """Foreign works registered in Brazil with a ROE (obras-nao-pub-estrangeiras-*.csv)."""

    name = "ancine-roe"
    description = "ANCINE foreign non-advertising works with ROE (dados abertos CSV)"
    header: ClassVar[tuple[str, ...]] = ROE_HEADER

    def transform(self, fields: RowFields) -> tuple[str | None, dict[str, Any]]:
        """Describe the work with its Brazilian title and the company that registered it."""
        roe = fields.identifier("ROE", "br_roe")
        original = fields.text("TITULO_ORIGINAL")
        data = work_facts(fields, "CLASSIFICACAO_OBRA")
        if issued := fields.date("DATA_EMISSAO_ROE"):
            data["attributes"]["data_emissao_roe"] = issued
        applicant = registered_party(fields, "REQUERENTE", "CNPJ_REQUERENTE")
        data.update(
            titles=work_titles(original, fields.text("TITULO_BRASIL"), brazilian_work=False),
            identifiers=[{"scheme": "br_roe", "value": roe}] if roe else [],
        )
        if applicant:
            data["contributions"] = [{"party": applicant, "role": "applicant"}]
        return roe_key(roe, original), data
