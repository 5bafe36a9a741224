"""Append to and read the audit log: every write, with who did it and how it ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.auth.principal import Principal, command_line_principal, current_principal
from registry.context import Registry
from registry.models import AuditEntry
from registry.models.base import as_utc


def record(
    session: Session,
    action: str,
    target: str,
    result: str = "ok",
    actor: Principal | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit row to the session's transaction; the caller commits with its write.

    The actor defaults to the caller of the current request, else the command-line operator.
    """
    actor = actor or current_principal() or command_line_principal()
    entry = AuditEntry(
        actor=actor.token_name,
        agency_code=actor.agency or None,
        role=actor.role,
        action=action,
        target=target[:500],
        result=result,
        details=details or {},
    )
    session.add(entry)
    return entry


def record_now(
    registry: Registry, action: str, target: str, result: str = "ok", **kwargs: Any
) -> None:
    """Append an audit row in a transaction of its own (refusals, failures)."""
    with registry.sessions() as session:
        record(session, action, target, result, **kwargs)
        session.commit()


def list_entries(
    session: Session,
    agency: str | None = None,
    since: datetime | None = None,
    after_id: int | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Return audit rows oldest first, optionally of one agency, after a time or an id."""
    stmt = select(AuditEntry).order_by(AuditEntry.id).limit(limit)
    if agency:
        stmt = stmt.where(AuditEntry.agency_code == agency)
    if since:
        stmt = stmt.where(AuditEntry.at >= as_utc(since))
    if after_id:
        stmt = stmt.where(AuditEntry.id > after_id)
    return list(session.scalars(stmt))


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    """Return an audit row as plain data."""
    return {
        "id": entry.id,
        "at": as_utc(entry.at),
        "actor": entry.actor,
        "agency": entry.agency_code,
        "role": entry.role,
        "action": entry.action,
        "target": entry.target,
        "result": entry.result,
        "details": entry.details,
    }
