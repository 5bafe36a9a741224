"""Insert and update rows given as tuples through the driver's executemany (or COPY).

SQLAlchemy's executemany builds a parameter dict per row and runs every column's bind
processing per value; on a chunk of facts that cost more than the database's own work. Here
the statement is written once per table and column list, and only the columns whose type
needs converting (dates and times on SQLite, JSON) are converted, with SQLAlchemy's own bind
processors for the dialect, so the stored values are those an ORM or Core insert stores.
PostgreSQL takes inserts through COPY: psycopg's executemany parses, prepares and sends a
statement per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Connection, Dialect, Table
from sqlalchemy.exc import DBAPIError

Processor = Callable[[Any], Any]
_EMPTY = (list, dict)
_NOTHING = object()
_STATEMENTS: dict[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], str] = {}


def _marker(connection: Connection) -> str:
    """Return the driver's positional parameter marker."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


class JsonText(str):
    """A JSON column's value already serialised: written as it is."""


def plain_value(value: Any) -> Any:
    """Return the data behind a JsonText (for statements that serialise it themselves)."""
    return orjson.loads(str(value)) if value.__class__ is JsonText else value


def _processors(connection: Connection, table: Table, columns: Sequence[str]) -> list[Any]:
    """Return (position, processor) of the columns whose values the dialect converts."""
    dialect = connection.dialect
    found = []
    for position, name in enumerate(columns):
        column_type = table.c[name].type
        if isinstance(column_type, Boolean) and dialect.name == "sqlite":
            continue  # the driver stores True and False as 1 and 0, as the processor would
        processor = column_type._cached_bind_processor(dialect)
        if isinstance(column_type, JSON):
            processor = _json_processor(processor, dialect)
        if processor is not None:
            found.append((position, processor))
    return found


def _json_processor(processor: Processor | None, dialect: Dialect) -> Processor:
    """Pass a JsonText as it is: text where the column holds text, else for psycopg to send."""
    as_text = dialect.name == "sqlite"
    wrap = getattr(dialect, "_psycopg_Json", None)  # the class SQLAlchemy wraps JSON values in

    def process(value: Any) -> Any:
        """Convert one value of a JSON column."""
        if value.__class__ is JsonText:
            if as_text:
                return str(value)
            if wrap is not None:
                return wrap(str(value), dumps=str)
            value = orjson.loads(str(value))
        return processor(value) if processor is not None else value

    return process


def _copy(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Send rows to PostgreSQL with COPY: no statement per row to parse, plan and send."""
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    rows = _converted(rows, _processors(connection, table, columns))
    sql = f"COPY {quote(table.name)} ({names}) FROM STDIN"
    error_class = connection.dialect.loaded_dbapi.Error
    try:
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    except error_class as exc:  # raised as SQLAlchemy raises a driver's error, for the retry
        raise DBAPIError.instance(sql, None, exc, error_class, dialect=connection.dialect) from exc


def _converted(
    rows: list[tuple[Any, ...]], processors: list[tuple[int, Processor]]
) -> list[tuple[Any, ...]]:
    """Return the rows with the converting columns' values converted.

    A chunk repeats values (its one timestamp, empty lists): each column remembers its last
    value and converts again only when the next one differs.
    """
    if not processors:
        return rows
    slots = [[position, processor, _NOTHING, None] for position, processor in processors]
    converted = []
    for row in rows:
        values = list(row)
        for slot in slots:
            position, processor, last, done = slot
            value = values[position]
            if value is last or (value.__class__ in _EMPTY and not value and last == value):
                values[position] = done
            else:
                values[position] = slot[3] = processor(value)
                slot[2] = value
        converted.append(tuple(values))
    return converted


def insert_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert rows (tuples in the order of columns) with one executemany (PostgreSQL: COPY)."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _copy(connection, table, columns, rows)
        return
    key = (connection.dialect.name, "insert", table.name, tuple(columns), ())
    sql = _STATEMENTS.get(key)
    if sql is None:
        quote = connection.dialect.identifier_preparer.quote
        names = ", ".join(quote(name) for name in columns)
        marks = ", ".join([_marker(connection)] * len(columns))
        sql = _STATEMENTS[key] = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"
    rows = _converted(rows, _processors(connection, table, columns))
    connection.exec_driver_sql(sql, rows)


def update_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    keys: Sequence[str],
    rows: list[tuple[Any, ...]],
) -> None:
    """Update rows: each tuple holds the values of columns, then those of the key columns."""
    if not rows:
        return
    key = (connection.dialect.name, "update", table.name, tuple(columns), tuple(keys))
    sql = _STATEMENTS.get(key)
    if sql is None:
        quote, marker = connection.dialect.identifier_preparer.quote, _marker(connection)
        sets = ", ".join(f"{quote(name)} = {marker}" for name in columns)
        where = " AND ".join(f"{quote(name)} = {marker}" for name in keys)
        sql = _STATEMENTS[key] = f"UPDATE {quote(table.name)} SET {sets} WHERE {where}"
    rows = _converted(rows, _processors(connection, table, [*columns, *keys]))
    connection.exec_driver_sql(sql, rows)
