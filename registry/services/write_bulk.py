"""Insert many rows and learn their new ids in order, in as few statements as possible."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    any_,
    bindparam,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY

from registry.services.write_raw import insert_rows, plain_value

_SEQUENCES: dict[str, str] = {}


def insert_ids(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows into a table with an integer id and return the new ids in row order.

    PostgreSQL: INSERT ... RETURNING, batched by SQLAlchemy's insertmanyvalues. SQLite runs
    RETURNING one row per statement, so there: one executemany, then the ids above the largest
    id before it. That holds because the chunk transaction holds SQLite's write lock (see
    write_locks.lock_writers) and SQLite gives each new row the largest rowid plus one.
    """
    if not rows:
        return []
    ids_column = table.c.id
    if connection.dialect.name != "sqlite":
        statement = insert(table).returning(ids_column, sort_by_parameter_order=True)
        return list(connection.execute(statement, rows).scalars())
    largest = connection.execute(select(func.max(ids_column))).scalar() or 0
    connection.execute(insert(table), rows)
    statement = select(ids_column).where(ids_column > largest).order_by(ids_column)
    ids = list(connection.execute(statement).scalars())
    if len(ids) != len(rows):
        raise RuntimeError(f"{table.name}: inserted {len(rows)} rows, found {len(ids)} new ids")
    return ids


def insert_tuples_ids(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> list[int]:
    """Insert rows given as tuples in the order of columns; return their new ids in order.

    SQLite: the tuples go straight to the driver's executemany (see write_raw); PostgreSQL:
    ids taken from the table's sequence first, then the rows sent with COPY; elsewhere as
    insert_ids does.
    """
    if not rows:
        return []
    if connection.dialect.name == "postgresql":
        ids = reserve_ids(connection, table, len(rows))
        with_ids = [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)]
        insert_rows(connection, table, ("id", *columns), with_ids)
        return ids
    if connection.dialect.name != "sqlite":
        return insert_ids(
            connection,
            table,
            [{name: plain_value(v) for name, v in zip(columns, row, strict=True)} for row in rows],
        )
    ids_column = table.c.id
    largest = connection.execute(select(func.max(ids_column))).scalar() or 0
    insert_rows(connection, table, columns, rows)
    statement = select(ids_column).where(ids_column > largest).order_by(ids_column)
    ids = list(connection.execute(statement).scalars())
    if len(ids) != len(rows):
        raise RuntimeError(f"{table.name}: inserted {len(rows)} rows, found {len(ids)} new ids")
    return ids


def reserve_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """Take count new ids from the sequence of a PostgreSQL table's id column."""
    sequence = _SEQUENCES.get(table.name)
    if sequence is None:
        statement = text("SELECT pg_get_serial_sequence(:table, 'id')")
        found = connection.execute(statement, {"table": table.name}).scalar_one()
        sequence = _SEQUENCES[table.name] = found
    statement = text("SELECT nextval(CAST(:sequence AS regclass)) FROM generate_series(1, :count)")
    return list(connection.execute(statement, {"sequence": sequence, "count": count}).scalars())


def one_of(column: ColumnElement[Any], values: list[Any], dialect: str) -> ColumnElement[bool]:
    """Return column IN values; on PostgreSQL as = ANY(array), a single parameter.

    SQLAlchemy sends an IN list as one parameter per value for PostgreSQL to parse and plan
    (500 source keys through psycopg: 14 ms as a list, 4 ms as one array). Elsewhere one
    expanding parameter, so that the statement is compiled once, not per list of values.
    """
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(bindparam(None, list(values), expanding=True))
