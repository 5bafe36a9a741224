"""The audit log only grows: the database refuses changes and deletions; the API pages it."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from registry.auth.principal import Principal
from registry.models import AuditEntry
from registry.services import audit


def _entries(registry, count: int) -> None:  # noqa: ANN001
    with registry.sessions() as session:
        for n in range(count):
            agency = "AR-INCAA" if n % 2 else "UY-ACAU"
            actor = Principal(agency, "submitter", f"{agency}-system")
            audit.record(session, "record.put", f"{agency}/k{n}", "created", actor=actor)
        session.commit()


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_database_refuses_to_change_or_delete_audit_rows(registry, change):
    _entries(registry, 1)
    statement = (
        update(AuditEntry).values(result="forged") if change == "update" else delete(AuditEntry)
    )
    with registry.sessions() as session, pytest.raises(DBAPIError, match="append-only"):
        session.execute(statement)
        session.commit()
    with registry.sessions() as session:
        assert session.query(AuditEntry).one().result == "created"


def test_the_api_pages_an_agency_through_its_own_entries(clients):
    _entries(clients.registry, 7)
    headers = clients.headers("AR-INCAA", "reviewer")
    first = clients.client.get("/api/v1/audit?size=2", headers=headers).get_json()
    assert [item["target"] for item in first["items"]] == ["AR-INCAA/k1", "AR-INCAA/k3"]
    rest = clients.client.get(
        f"/api/v1/audit?size=2&after={first['next_after']}", headers=headers
    ).get_json()
    assert [item["target"] for item in rest["items"]] == ["AR-INCAA/k5"]
    assert rest["next_after"] is None
    everything = clients.client.get("/api/v1/audit", headers=clients.headers("UY-ACAU", "admin"))
    assert len(everything.get_json()["items"]) == 7
