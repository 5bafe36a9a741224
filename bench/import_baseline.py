"""The physical limit of an import: parse a file, write its rows with plain DBAPI executemany.

No validation, no lookups, no merging, no provenance checks: every record becomes a work, a
source record and its fact rows (one party per reference), with ids counted in Python, in one
transaction per file. It is what the registry's tables can take from this process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table

from importers.registry import get_importer
from registry.models import (
    Contribution,
    CoProduction,
    Identifier,
    IndexOutbox,
    License,
    Party,
    RightsHolding,
    SourceRecord,
    Title,
    Work,
    WorkCountry,
)

BATCH = 500
PARTY_LISTS = (
    ("contributions", "party", Contribution, "party_id"),
    ("rights", "holder", RightsHolding, "holder_party_id"),
    ("coproductions", "party", CoProduction, "party_id"),
)


class BaselineWriter:
    """Write parsed records straight into the registry's tables."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.marker = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self.as_json = _json_adapter(engine.dialect.name)
        self.next_id: dict[str, int] = {}
        self.agency_format: set[tuple[str, str]] = set()

    def write(self, path: Path, format_name: str) -> int:
        """Parse the file and write its rows; return how many records were written."""
        importer = get_importer(format_name)()
        now = datetime.now(UTC)
        written = 0
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            if self.engine.dialect.name == "sqlite":
                cursor.execute("BEGIN")  # pysqlite under SQLAlchemy leaves transactions to us
            self._agency(cursor, importer.agency)
            rows: dict[Table, list[tuple[Any, ...]]] = {}
            seen: set[str] = set()
            for record in importer.records(path):
                if record.data is None or record.errors or not record.key or record.key in seen:
                    continue
                seen.add(record.key)
                self._record(rows, importer.agency, format_name, record, now)
                written += 1
                if written % BATCH == 0:
                    self._flush(cursor, rows)
            self._flush(cursor, rows)
            connection.commit()
        finally:
            connection.close()
        return written

    def _agency(self, cursor: Any, code: str) -> None:
        """Create the agency row the source records refer to."""
        sql = f"SELECT code FROM agency WHERE code = {self.marker}"
        cursor.execute(sql, (code,))
        if cursor.fetchone() is None:
            cursor.execute(
                f"INSERT INTO agency (code, country, name) VALUES ({', '.join([self.marker] * 3)})",
                (code, "BR", code),
            )

    def _id(self, table: str) -> int:
        """Return the next id of a table (the database starts empty)."""
        self.next_id[table] = self.next_id.get(table, 0) + 1
        return self.next_id[table]

    def _record(
        self, rows: dict, agency: str, source_format: str, record: Any, now: datetime
    ) -> None:
        """Append the rows of one record."""
        data = record.data
        work_id, record_id = self._id("work"), self._id("source_record")
        add = rows.setdefault
        add(Work.__table__, []).append(
            (
                work_id,
                1,
                data.get("work_type"),
                data.get("year"),
                self.as_json([]),
                False,
                False,
                now,
                now,
            )
        )
        add(SourceRecord.__table__, []).append(
            (record_id, agency, source_format, record.key, work_id, record.authoritative,
             record.locator, record.raw, self.as_json(data), "", now, now)
        )  # fmt: skip
        for t in data.get("titles") or []:
            add(Title.__table__, []).append(
                (work_id, record_id, t["text"], t["text"].casefold(), t.get("language"),
                 t.get("kind") or "original", t.get("territory"))
            )  # fmt: skip
        for i in data.get("identifiers") or []:
            add(Identifier.__table__, []).append((work_id, record_id, i["scheme"], i["value"]))
        for country in data.get("countries_of_origin") or []:
            add(WorkCountry.__table__, []).append((work_id, record_id, country[:2]))
        for list_name, ref_name, model, _ in PARTY_LISTS:
            for fact in data.get(list_name) or []:
                party = self._party(rows, fact.get(ref_name), now)
                add(model.__table__, []).append(_fact(model, work_id, record_id, party, fact))
        for lic in data.get("licenses") or []:
            licensee = self._party(rows, lic.get("licensee"), now)
            add(License.__table__, []).append(
                (work_id, record_id, licensee, self.as_json(lic.get("media") or []),
                 self.as_json([]), self.as_json([]), lic.get("status") or "active",
                 self.as_json(_plain(lic.get("terms") or {})))
            )  # fmt: skip
        add(IndexOutbox.__table__, []).append((work_id, now))

    def _party(self, rows: dict, ref: dict | None, now: datetime) -> int | None:
        """Append a party row for a reference and return its id."""
        if not ref:
            return None
        party_id = self._id("party")
        rows.setdefault(Party.__table__, []).append(
            (party_id, 1, ref.get("kind") or "organization", ref["name"][:500],
             ref["name"].casefold()[:500], None, now, now)
        )  # fmt: skip
        return party_id

    def _flush(self, cursor: Any, rows: dict[Table, list[tuple[Any, ...]]]) -> None:
        """Write the collected rows, parents before children."""
        for table in ORDER:
            batch = rows.pop(table, None)
            if batch:
                columns = COLUMNS[table]
                marks = ", ".join([self.marker] * len(columns))
                sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
                cursor.executemany(sql, batch)


def _fact(model: type, work_id: int, record_id: int, party: int | None, fact: dict) -> tuple:
    """Return the row of a contribution, holding or co-production."""
    if model is Contribution:
        return (work_id, record_id, party, fact.get("role") or "other", fact.get("credit_order"))
    if model is RightsHolding:
        territories = json.dumps(fact.get("territories") or [])
        return (work_id, record_id, party, fact.get("right_type") or "other", territories)
    return (work_id, record_id, party, (fact.get("country") or "XX")[:2])


def _plain(value: Any) -> Any:
    """Return value with dates and decimals as text, ready for JSON."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def _json_adapter(dialect: str) -> Any:
    """Return how JSON values are passed to the driver."""
    if dialect == "postgresql":
        from psycopg.types.json import Jsonb

        return lambda value: Jsonb(_plain(value))
    return lambda value: json.dumps(_plain(value), ensure_ascii=False)


def _columns(table: Table, names: Iterable[str]) -> list[str]:
    """Check that the named columns exist and return them."""
    names = list(names)
    missing = [n for n in names if n not in table.c]
    if missing:
        raise KeyError(f"{table.name} has no column {missing}")
    return names


PARTY_TABLE = Party.__table__
ORDER = (
    Work.__table__,
    SourceRecord.__table__,
    PARTY_TABLE,
    Title.__table__,
    Identifier.__table__,
    WorkCountry.__table__,
    Contribution.__table__,
    RightsHolding.__table__,
    CoProduction.__table__,
    License.__table__,
    IndexOutbox.__table__,
)
COLUMNS = {
    Work.__table__: _columns(
        Work.__table__,
        (
            "id",
            "version",
            "work_type",
            "year",
            "original_languages",
            "incomplete",
            "deleted",
            "created_at",
            "updated_at",
        ),
    ),  # fmt: skip
    SourceRecord.__table__: _columns(
        SourceRecord.__table__,
        (
            "id",
            "agency_code",
            "source_format",
            "source_key",
            "work_id",
            "authoritative",
            "locator",
            "payload",
            "normalized",
            "sha256",
            "created_at",
            "updated_at",
        ),
    ),  # fmt: skip
    PARTY_TABLE: _columns(
        PARTY_TABLE,
        ("id", "version", "kind", "name", "name_folded", "country", "created_at", "updated_at"),
    ),
    Title.__table__: _columns(
        Title.__table__,
        ("work_id", "source_record_id", "text", "text_folded", "language", "kind", "territory"),
    ),
    Identifier.__table__: _columns(
        Identifier.__table__, ("work_id", "source_record_id", "scheme", "value")
    ),
    WorkCountry.__table__: _columns(
        WorkCountry.__table__, ("work_id", "source_record_id", "country")
    ),
    Contribution.__table__: _columns(
        Contribution.__table__, ("work_id", "source_record_id", "party_id", "role", "credit_order")
    ),
    RightsHolding.__table__: _columns(
        RightsHolding.__table__,
        ("work_id", "source_record_id", "holder_party_id", "right_type", "territories"),
    ),
    CoProduction.__table__: _columns(
        CoProduction.__table__, ("work_id", "source_record_id", "party_id", "country")
    ),
    License.__table__: _columns(
        License.__table__,
        (
            "work_id",
            "source_record_id",
            "licensee_party_id",
            "media",
            "territories",
            "languages",
            "status",
            "terms",
        ),
    ),  # fmt: skip
    IndexOutbox.__table__: _columns(IndexOutbox.__table__, ("work_id", "created_at")),
}
