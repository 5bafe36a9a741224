"""Validate and write one chunk of parsed records in one transaction, keeping rejections."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from importers.base import ParsedRecord
from registry.context import Registry
from registry.models import Rejection
from registry.services.records import SourceInfo, canonical_json, fingerprint
from registry.services.works import WorkWriter, Written
from registry.services.write_locks import checkpoint_less_often, lock_writers, refresh_statistics
from schemas.aggregate import flatten_errors
from schemas.fast import load_aggregate
from schemas.text import storable

if TYPE_CHECKING:
    from registry.services.imports import BatchReport

AfterCommit = Callable[[set[int]], tuple[int, int]]


@dataclass
class Prepared:
    """A record after validation: what to write, or why it is refused."""

    record: ParsedRecord
    source: SourceInfo | None = None
    aggregate: dict[str, Any] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    action: str = "rejected"
    # The aggregate's fingerprint and canonical dump as JSON text, made where it was validated.
    digest: str = ""
    normalized: str | None = None

    def again(self) -> Prepared:
        """Return the item as validation left it, for a second attempt at writing it."""
        aggregate = copy.deepcopy(self.aggregate)
        return Prepared(self.record, self.source, aggregate, dict(self.errors), "rejected",
                        self.digest, self.normalized)  # fmt: skip

    @property
    def written(self) -> Written:
        """Return what the writer takes of the item."""
        return Written(self.source, self.aggregate, self.record.raw, self.digest, self.normalized)


def prepare(agency: str, source_format: str, record: ParsedRecord) -> Prepared:
    """Validate one record against the shared schema."""
    item = Prepared(record, errors=dict(record.errors))
    if not item.errors and record.action == "upsert":
        try:
            item.aggregate = load_aggregate(record.data or {})
        except ValidationError as exc:
            item.errors = flatten_errors(exc.messages)
    if not item.errors and not record.key:
        item.errors = {"_key": ["the record has no source key"]}
    if not item.errors:
        item.source = SourceInfo(
            agency, source_format, record.key or "", record.authoritative, record.locator
        )
        if item.aggregate is not None:
            item.digest = fingerprint(item.aggregate, record.authoritative)
            item.normalized = canonical_json(item.aggregate)
    return item


def prepare_chunk(agency: str, source_format: str, chunk: list[ParsedRecord]) -> list[Prepared]:
    """Validate every record of a chunk."""
    return [prepare(agency, source_format, record) for record in chunk]


def _write_all(writer: WorkWriter, items: list[Prepared]) -> None:
    """Write valid items: runs of upserts in bulk, deletes one by one, in file order."""
    run: list[Prepared] = []

    def flush_run() -> None:
        outcomes = writer.write_many([i.written for i in run])
        for item, outcome in zip(run, outcomes, strict=True):
            item.action = outcome.action
        run.clear()

    for item in items:
        if item.errors:
            continue
        if item.record.action == "delete":
            if run:
                flush_run()
            item.action = writer.delete(item.source).action
        else:
            run.append(item)
    if run:
        flush_run()


def _write_one_by_one(writer: WorkWriter, items: list[Prepared]) -> None:
    """Write valid items one at a time so that one failing record cannot sink the others."""
    for item in items:
        if item.errors:
            continue
        touched = set(writer.touched)
        try:
            with writer.session.begin_nested():
                if item.record.action == "delete":
                    item.action = writer.delete(item.source).action
                else:
                    item.action = writer.write_many([item.written])[0].action
        except SQLAlchemyError as exc:
            writer.forget(touched)
            item.errors = {
                "_store": [
                    f"could not be stored: {exc.__class__.__name__}: "
                    f"{str(exc).splitlines()[0][:300]}"
                ]
            }
            item.action = "rejected"


def write_chunk(
    registry: Registry,
    report: BatchReport,
    chunk: list[ParsedRecord],
    dry_run: bool,
    after_commit: AfterCommit | None,
    precondition: Callable[[Session], None] | None = None,
    prepared: list[Prepared] | None = None,
) -> None:
    """Validate and write one batch of records in one transaction.

    precondition runs inside the transaction once the writers' lock is held, so a check it
    makes (a record's version for If-Match) still holds when the chunk is written; prepared
    holds the chunk's records already validated (by the reading process).
    """
    if prepared is None:
        prepared = prepare_chunk(report.agency, report.source_format, chunk)
    items = prepared
    with registry.sessions() as session:
        lock_writers(session)
        if precondition is not None:
            precondition(session)
        refresh_statistics(session)
        checkpoint_less_often(session)
        writer = WorkWriter(session, report.batch_id)
        try:
            _write_all(writer, items)
        except SQLAlchemyError:
            session.rollback()
            items = [item.again() for item in prepared]
            lock_writers(session)
            writer = WorkWriter(session, report.batch_id)
            _write_one_by_one(writer, items)
        rejected: list[Rejection] = []
        for item in items:
            report.counts["read"] += 1
            report.counts[item.action] += 1
            if item.errors:
                _reject(report, item.record, item.errors, rejected)
        session.add_all(rejected)
        if dry_run:
            session.rollback()
            return
        session.commit()
    if after_commit and writer.touched:
        indexed, pending = after_commit(writer.touched)
        report.indexed += indexed
        report.index_pending = pending


def _reject(
    report: BatchReport,
    record: ParsedRecord,
    errors: dict[str, list[str]],
    rejected: list[Rejection],
) -> None:
    """Keep a refused record with its locator, raw text and reasons."""
    report.rejections.append({"locator": record.locator, "raw": record.raw, "errors": errors})
    rejected.append(
        Rejection(
            batch_id=report.batch_id,
            locator=record.locator,
            raw_text=storable(record.raw),
            errors=errors,
        )
    )
