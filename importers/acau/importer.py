"""Import Uruguay's ACAU (formerly ICAU) support-awards file: one record per award row."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

from importers.acau.mapping import award_identity, row_aggregate
from importers.acau.parties import read_rut
from importers.base import Importer, ParsedRecord
from importers.csvsource import CsvRow, header_of, iter_rows
from importers.registry import register
from schemas.fields import MAX_KEY_LENGTH

HEADER = [
    "id_titulo",
    "titulo",
    "instrumento",
    "año_instrumento",
    "tipo_de_proyecto",
    "fondo",
    "formato",
    "tipo_narrativo",
    "genero",
    "destino_del_fondo",
    "categoria_festival",
    "estado_del_proyecto",
    "modalidad",
    "tipo_de_produccion",
    "monto_adjudicado_corriente",
    "monto_adjudicado_constante",
    "monto_ejecutado_corriente",
    "estado",
    "rut",
    "postulante",
    "empresa_nombre_fantasia",
    "razon_social",
    "responsable_legal",
    "fecha_de_resolución",
]
RUT_COLUMN = HEADER.index("rut")
WITHHELD = "[withheld]"
_SIGNATURE = {"id_titulo", "tipo_de_produccion", "razon_social", "monto_adjudicado_corriente"}


def award_key(row: dict[str, str], seen: dict[str, int]) -> str:
    """Return a stable key for an award row: project id, award year and a digest.

    Rows of one project are not adjacent in the file, so each award is its own record. The
    digest covers the columns that identify an award, not amounts or states, so a corrected
    amount updates the same record; identical awards are numbered in file order.
    """
    identity = award_identity(row)
    digest = hashlib.sha256("\x1f".join(identity).encode("utf-8")).hexdigest()[:12]
    base = f"{row['id_titulo'].strip()}/{row['año_instrumento'].strip()}/{digest}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def redact_personal_number(raw: str, cells: list[str]) -> str:
    """Return the raw row with a natural person's identity number replaced."""
    number = cells[RUT_COLUMN]
    marked = f",{number},"
    if raw.count(marked) == 1:
        return raw.replace(marked, f",{WITHHELD},")
    redacted = list(cells)
    redacted[RUT_COLUMN] = WITHHELD
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(redacted)
    return buffer.getvalue()


@register
class AcauCsvImporter(Importer):
    """ACAU support awards (fondos de fomento, PUA) with project, company and amounts."""

    name = "acau-csv"
    agency = "UY-ACAU"
    description = (
        "ACAU (Uruguay) support awards 2013-2024: one row per award to a project id_titulo; "
        "each award row is a record keyed by id_titulo, award year and award digest"
    )

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> bool:
        """Recognise the ACAU header by its distinctive column names."""
        return set(header_of(head, ",")) >= _SIGNATURE

    def records(self, path: Path) -> Iterator[ParsedRecord]:
        """Yield one record per award row, with format errors per column."""
        seen: dict[str, int] = {}
        for row in iter_rows(path, ",", expected_header=HEADER):
            yield _record(row, seen)


def _record(row: CsvRow, seen: dict[str, int]) -> ParsedRecord:
    """Turn one CSV row into a parsed record."""
    locator = f"line {row.line}"
    if row.error:
        return ParsedRecord(locator, row.raw).reject("_row", row.error)
    if len(row.cells) != len(HEADER):
        return ParsedRecord(locator, row.raw).reject(
            "_row", f"expected {len(HEADER)} cells, found {len(row.cells)}"
        )
    fields = dict(zip(HEADER, row.cells, strict=True))
    raw = row.raw
    if read_rut(fields["rut"]).personal_number:
        raw = redact_personal_number(raw, row.cells)
    data, errors = row_aggregate(fields)
    record = ParsedRecord(locator, raw, key=award_key(fields, seen), data=data)
    for column, reasons in errors.items():
        for reason in reasons:
            record.reject(column, reason)
    if record.key and len(record.key) > MAX_KEY_LENGTH:
        record.key = None
        record.reject("id_titulo", f"the record's key is longer than {MAX_KEY_LENGTH} characters")
    return record
