"""The fields of the works a chunk touches: loaded in one query, merged, stored at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from registry.matching.assign import first_holders
from registry.models import Identifier, Work
from registry.models.base import utcnow
from registry.services.write_bulk import one_of
from registry.services.write_raw import update_rows
from registry.services.write_rows import FactRows, identifier_row

if TYPE_CHECKING:
    from registry.services.works import WorkWriter

WORKS = Work.__table__
IDENTIFIERS = Identifier.__table__
SCALARS = ("work_type", "year", "year_end", "runtime_minutes", "episode_count", "sequence")
STATE = (
    "version",
    "primary_source_id",
    "incomplete",
    "deleted",
    "parent_id",
    "original_languages",
    *SCALARS,
)
LOOKUP_BATCH = 500


def empty_state(version: int) -> dict[str, Any]:
    """Return the fields of a work WorkWriter.new_works inserted, in the order of STATE."""
    state: dict[str, Any] = dict.fromkeys(STATE)
    state.update(version=version, incomplete=True, deleted=False, original_languages=[])
    return state


class WorkStates:
    """The stored fields of a chunk's works, changed in memory and written back in one go."""

    def __init__(
        self, writer: WorkWriter, work_ids: set[int], created: dict[int, int] | None = None
    ) -> None:
        """Load the works' fields; created maps works inserted empty just now to their version."""
        self.writer = writer
        self.connection = writer.session.connection()
        self.state: dict[int, dict[str, Any]] = {}
        self.stubs: list[int] = []
        for work_id, version in (created or {}).items():
            if work_id in work_ids:
                self.state[work_id] = empty_state(version)
        ids = sorted(work_ids - set(self.state))
        columns = [WORKS.c.id, *(WORKS.c[name] for name in STATE)]
        for start in range(0, len(ids), LOOKUP_BATCH):
            part = ids[start : start + LOOKUP_BATCH]
            statement = select(*columns).where(one_of(WORKS.c.id, part, writer.dialect))
            for row in self.connection.execute(statement):
                self.state[row[0]] = dict(zip(STATE, row[1:], strict=True))

    def merge(
        self, work_id: int, record_id: int, authoritative: bool, aggregate: dict[str, Any]
    ) -> None:
        """Let the work's primary source set its fields; other sources only fill gaps."""
        work = self.state[work_id]
        owns = authoritative and work["primary_source_id"] in (None, record_id)
        if owns:
            work["primary_source_id"] = record_id
            work["incomplete"] = False
            work["deleted"] = False
        for name in SCALARS:
            value = aggregate.get(name)
            if owns or (value is not None and work[name] is None):
                work[name] = value
        languages = aggregate["original_languages"]
        if languages and (owns or not work["original_languages"]):
            work["original_languages"] = list(languages)
        work["version"] = (work["version"] or 0) + 1

    def set_parent(self, work_id: int, parent_id: int) -> None:
        """Make the work an episode (or part) of the parent."""
        self.state[work_id]["parent_id"] = parent_id

    def parents(
        self,
        refs: list[tuple[dict[str, Any] | None, int]],
        in_chunk: dict[tuple[str, str], int],
        rows: FactRows,
    ) -> list[int | None]:
        """Return each (parent reference, record id)'s parent work, creating stubs as needed.

        A parent is the chunk's own work holding the identifier, else the first stored work
        holding it, else a new incomplete work that carries the identifier (stated by the
        first child's record).
        """
        wanted = {(r["scheme"], r["value"]) for r, _ in refs if r} - set(in_chunk)
        found = dict(in_chunk)
        if wanted:
            found.update(first_holders(self.connection, wanted))
        missing: dict[tuple[str, str], int] = {}
        for ref, record_id in refs:
            if ref and (ref["scheme"], ref["value"]) not in found:
                missing.setdefault((ref["scheme"], ref["value"]), record_id)
        stubs = self.writer.new_works(len(missing), version=1)
        for (scheme, value), stub in zip(missing, stubs, strict=True):
            found[(scheme, value)] = stub
            record_id = missing[(scheme, value)]
            rows[Identifier].append(identifier_row(stub, record_id, scheme, value, True))
        self.stubs = stubs
        return [found[(r["scheme"], r["value"])] if r else None for r, _ in refs]

    def store(self) -> None:
        """Write every changed work back with one executemany update."""
        if not self.state:
            return
        now = utcnow()
        rows = [(*work.values(), now, wid) for wid, work in self.state.items()]
        update_rows(self.connection, WORKS, (*STATE, "updated_at"), ("id",), rows)
