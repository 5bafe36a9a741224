"""Single records for systems that sync continuously: read, state or withdraw one key."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.exchange.envelope import FORMAT, parse_line
from registry.auth.principal import Principal
from registry.context import Registry
from registry.errors import NotFound, StaleVersion, ValidationFailed
from registry.models import Rejection, SourceRecord
from registry.services import audit
from registry.services.authority import may_see_private
from registry.services.imports import run_import
from schemas.text import control_problem, has_controls

RECORD_FORMAT = "exchange-jsonl"
MAX_RECORD_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class RecordState:
    """What a key states now: the envelope, its version tag and its work."""

    envelope: dict[str, Any]
    etag: str
    work_id: int


def _stored(session: Session, agency: str, key: str) -> SourceRecord | None:
    """Return the live record of an agency under a key, the exchange format's first."""
    rows = session.scalars(
        select(SourceRecord).where(
            SourceRecord.agency_code == agency, SourceRecord.source_key == key
        )
    ).all()
    rows.sort(key=lambda r: r.source_format != RECORD_FORMAT)
    return rows[0] if rows else None


def etag_of(row: SourceRecord) -> str:
    """Return the version tag of a stored record: its statement's fingerprint."""
    return row.sha256[:32]


def read_record(
    registry: Registry, agency: str, key: str, principal: Principal | None
) -> RecordState:
    """Return what a key states; licence money terms only to its agency and admins."""
    if has_controls(agency) or has_controls(key):  # no key holds one: nothing to look up
        raise NotFound(f"{agency!r} states nothing under {key!r}")
    with registry.sessions() as session:
        row = _stored(session, agency, key)
        if row is None:
            raise NotFound(f"{agency} states nothing under {key!r}")
        work = json.loads(json.dumps(row.normalized))
        if not may_see_private(principal, agency):
            for licence in work.get("licenses") or []:
                licence.pop("terms", None)  # a valid record still, without the money terms
        envelope = {
            "format": FORMAT,
            "key": key,
            "action": "upsert",
            "authoritative": row.authoritative,
            "work": work,
        }
        return RecordState(envelope, etag_of(row), row.work_id)


def current_etag(registry: Registry, agency: str, key: str) -> str | None:
    """Return the version tag of the exchange record under a key, or None when absent."""
    with registry.sessions() as session:
        row = _stored(session, agency, key)
        return etag_of(row) if row is not None and row.source_format == RECORD_FORMAT else None


def check_precondition(current: str | None, if_match: list[str] | None) -> None:
    """Refuse a write whose If-Match names another version (412)."""
    if if_match is None:
        return
    if "*" in if_match and current is not None:
        return
    if current is None or current not in if_match:
        raise StaleVersion(
            "the record changed since it was read", {"etag": [current or "no record"]}
        )


def _still_matches(agency: str, key: str, if_match: list[str] | None) -> Any:
    """Return the If-Match check to repeat inside the write's transaction, under its lock."""
    if if_match is None:
        return None

    def check(session: Session) -> None:
        row = _stored(session, agency, key)
        current = etag_of(row) if row is not None and row.source_format == RECORD_FORMAT else None
        check_precondition(current, if_match)

    return check


def write_record(
    registry: Registry,
    principal: Principal,
    agency: str,
    key: str,
    body: dict[str, Any] | None,
    if_match: list[str] | None,
    after_commit: Any = None,
) -> tuple[str, str | None]:
    """State (body) or withdraw (None) one record; return the action and the new version tag."""
    problem = control_problem(key)
    if problem is not None and body is None:  # no key holds one: there is nothing to withdraw
        raise NotFound(f"{agency} states nothing under {key!r}")
    if problem is not None:
        raise ValidationFailed(f"the key {problem}", {"key": [problem]})
    check_precondition(current_etag(registry, agency, key), if_match)
    if body is None:
        if current_etag(registry, agency, key) is None:
            raise NotFound(f"{agency} states nothing under {key!r} in the exchange format")
        envelope = {"format": FORMAT, "key": key, "action": "delete"}
    else:
        envelope = {"format": FORMAT, **body}
        envelope.setdefault("key", key)
        if envelope["key"] != key or envelope.get("action", "upsert") != "upsert":
            raise ValidationFailed(
                "the body must state the key of the URL", {"key": [f"must be {key!r}"]}
            )
        record = parse_line(json.dumps(envelope, ensure_ascii=False), 1)
        if record.errors:
            raise ValidationFailed("the record is not valid", record.errors)
    line = json.dumps(envelope, ensure_ascii=False)
    with tempfile.TemporaryDirectory(prefix="record-") as folder:
        path = Path(folder) / "record.jsonl"
        path.write_text(line + "\n", encoding="utf-8")
        report = run_import(
            registry,
            path,
            RECORD_FORMAT,
            agency,
            after_commit=after_commit,
            claimant=agency,
            precondition=_still_matches(agency, key, if_match),
        )
    action = next(
        a for a in ("created", "updated", "unchanged", "deleted", "rejected") if report.counts[a]
    )
    audit.record_now(
        registry,
        "record.delete" if body is None else "record.put",
        f"{agency}/{key}",
        action,
        actor=principal,
        details={"batch_id": report.batch_id},
    )
    if action == "rejected":
        with registry.sessions() as session:
            errors = session.scalar(
                select(Rejection.errors).where(Rejection.batch_id == report.batch_id).limit(1)
            )
        raise ValidationFailed("the record is not valid", errors or {})
    return action, current_etag(registry, agency, key)
