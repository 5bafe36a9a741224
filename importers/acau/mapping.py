"""Map one ACAU support-award row onto a work aggregate with the award as a fact."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from importers.acau.parties import RutReading, applicant, company, present, read_rut
from schemas.parsing import parse_date, parse_decimal, parse_year
from schemas.text import fold

WORK_TYPES_BY_FORMAT: dict[str, str | None] = {
    "largometraje": "movie",
    "cortometraje": "short",
    "serie": "series",
    "publicidad": "other",
    "formato televisivo": "other",
    "formatos no tradicionales": "other",
    "otros": None,
}
NOT_A_WORK_FORMATS = frozenset({"n/a"})
COPRODUCTION_ROLES: dict[str, str | None] = {
    "produccion uruguaya": "sole",
    "mayoritaria": "majority",
    "minoritaria": "minority",
    "servicio de produccion": "service",
    "n/a": None,
    "sin registro de cn": None,
}
URUGUAYAN_ROLES = frozenset({"sole", "majority", "minority"})
CURRENCY = "UYU"
_ID_TITULO = re.compile(r"^T\d+$")
_SHORT_YEAR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$")


class RowErrors(dict[str, list[str]]):
    """Reasons to refuse a row, by column."""

    def add(self, column: str, message: str) -> None:
        """Record one reason against a column."""
        self.setdefault(column, []).append(message)


def _amount(row: dict[str, str], column: str, errors: RowErrors, required: bool) -> str | None:
    """Return an amount as a decimal string; '-' means none."""
    text = present(row[column])
    if text is None:
        if required:
            errors.add(column, "missing: expected an amount such as '16000,0'")
        return None
    try:
        return str(parse_decimal(text, decimal_separator=","))
    except ValueError as exc:
        errors.add(column, str(exc))
        return None


def resolution_date(text: str, award_year: int | None) -> tuple[date, bool]:
    """Parse d/m/yyyy; a two-digit year is read as 20yy only when it fits the award year.

    Return the date and whether it was written with a two-digit year.
    """
    short = _SHORT_YEAR_DATE.match(text.strip())
    if not short:
        return parse_date(text), False
    year = 2000 + int(short.group(3))
    if award_year is None or year not in (award_year, award_year + 1):
        raise ValueError(
            f"{text!r} has a two-digit year that does not match año_instrumento {award_year}"
        )
    return parse_date(f"{short.group(1)}/{short.group(2)}/{year}"), True


def _award(row: dict[str, str], errors: RowErrors) -> dict[str, Any]:
    """Return the support award a row describes."""
    year = None
    try:
        year = parse_year(row["año_instrumento"])
    except ValueError as exc:
        errors.add("año_instrumento", str(exc))
    award: dict[str, Any] = {
        "instrument": present(row["instrumento"]),
        "year": year,
        "fund": present(row["fondo"]),
        "purpose": present(row["destino_del_fondo"]),
        "modality": present(row["modalidad"]),
        "festival_category": present(row["categoria_festival"]),
        "amount_awarded": _amount(row, "monto_adjudicado_corriente", errors, True),
        "amount_awarded_constant": _amount(row, "monto_adjudicado_constante", errors, False),
        "amount_executed": _amount(row, "monto_ejecutado_corriente", errors, False),
        "currency": CURRENCY,
        "resolution_date": None,
        "status": present(row["estado"]),
    }
    text = present(row["fecha_de_resolución"])
    if text:
        try:
            parsed, short_year = resolution_date(text, year)
            award["resolution_date"] = parsed.isoformat()
            if short_year:
                award["resolution_date_as_written"] = text
        except ValueError as exc:
            errors.add("fecha_de_resolución", str(exc))
    return award


def _lookup(table: dict[str, Any], row: dict[str, str], column: str, errors: RowErrors) -> Any:
    """Return the mapping of a coded column, refusing a value the table does not list."""
    value = row[column].strip()
    key = fold(value)
    if key not in table:
        errors.add(column, f"unknown value {value!r}: expected one of {', '.join(table)}")
        return None
    return table[key]


def row_aggregate(row: dict[str, str]) -> tuple[dict[str, Any] | None, RowErrors]:
    """Return the aggregate of one award row and the reasons to refuse it."""
    errors = RowErrors()
    id_titulo = row["id_titulo"].strip()
    if not _ID_TITULO.match(id_titulo):
        errors.add("id_titulo", f"{id_titulo!r} is not an ACAU project id (T and digits)")
    title = present(row["titulo"])
    if title is None:
        errors.add("titulo", "missing: expected the project's title")
    work_type = None
    if fold(row["formato"]) in NOT_A_WORK_FORMATS:
        errors.add(
            "formato",
            f"{row['formato']!r} ({row['tipo_de_proyecto']}): the project is "
            "not an audiovisual work (an institutional action); it is not imported",
        )
    else:
        work_type = _lookup(WORK_TYPES_BY_FORMAT, row, "formato", errors)
    role = _lookup(COPRODUCTION_ROLES, row, "tipo_de_produccion", errors)
    award = _award(row, errors)
    if errors:
        return None, errors
    reading = read_rut(row["rut"])
    trade_name = present(row["empresa_nombre_fantasia"])
    beneficiary = company(present(row["razon_social"]), reading)
    applying = applicant(present(row["postulante"]), beneficiary, trade_name)
    award["beneficiary"] = beneficiary["name"] if beneficiary else None
    award["applicant"] = applying["name"] if applying else None
    foreign_or_ad = role == "service" or fold(row["formato"]) == "publicidad"
    data: dict[str, Any] = {
        "work_type": work_type,
        "titles": [
            {
                "text": title,
                "language": None if foreign_or_ad else "es",
                "kind": "original",
                "territory": None,
            }
        ],
        "identifiers": [{"scheme": "uy_acau", "value": id_titulo}],
        "countries_of_origin": ["UY"] if role in URUGUAYAN_ROLES else [],
        "contributions": _contributions(beneficiary, applying),
        "coproductions": (
            [{"country": "UY", "party": beneficiary, "share_pct": None, "role": role}]
            if role
            else []
        ),
        "attributes": _attributes(row, award, reading, beneficiary, trade_name),
    }
    return data, errors


def _contributions(
    beneficiary: dict[str, Any] | None, applying: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Return the beneficiary as production company (producer if a person) and the applicant."""
    found = []
    if beneficiary:
        role = "production_company" if beneficiary["kind"] == "organization" else "producer"
        found.append({"party": beneficiary, "role": role, "credit_order": None})
    if applying:
        found.append({"party": applying, "role": "applicant", "credit_order": None})
    return found


def _attributes(
    row: dict[str, str],
    award: dict[str, Any],
    reading: RutReading,
    beneficiary: dict[str, Any] | None,
    trade_name: str | None,
) -> dict[str, Any]:
    """Return the project facts and the award, leaving out missing values."""
    facts: dict[str, Any] = {
        "project_type": present(row["tipo_de_proyecto"]),
        "format": present(row["formato"]),
        "narrative_type": present(row["tipo_narrativo"]),
        "genre": present(row["genero"]),
        "production_type": present(row["tipo_de_produccion"]),
        "project_status": present(row["estado_del_proyecto"]),
        "awards": [{k: v for k, v in award.items() if v is not None}],
    }
    if beneficiary and trade_name and fold(trade_name) != fold(beneficiary["name"]):
        facts["trade_name"] = trade_name
    if reading.note:
        facts["rut_note"] = reading.note
    elif reading.rut and beneficiary is None:
        facts["rut_note"] = f"rut {reading.rut} is given without a company name"
    return {k: v for k, v in facts.items() if v is not None}


def award_identity(row: dict[str, str]) -> tuple[str, ...]:
    """Return the columns that identify an award across editions of the file, folded.

    Amounts, states and companies are left out so that corrections update the award.
    """
    year_text = row["año_instrumento"].strip()
    text = row["fecha_de_resolución"].strip()
    try:
        when = resolution_date(text, int(year_text) if year_text.isdigit() else None)[0]
        text = when.isoformat()
    except ValueError:
        pass
    columns = (
        "id_titulo",
        "instrumento",
        "año_instrumento",
        "fondo",
        "destino_del_fondo",
        "modalidad",
    )
    return (*(fold(row[c]) for c in columns), text)
