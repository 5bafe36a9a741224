"""If-Match on a single record holds at the moment of writing, not only when first checked."""

from __future__ import annotations

import json

import pytest

from registry.services import record_sync
from tests.integration.auth.conftest import Clients, exchange_line

URL = "/api/v1/records/AR-INCAA/INCAA-1"


def _body(title: str) -> dict:
    """Return an exchange record stating one work under the URL's key."""
    return json.loads(exchange_line("INCAA-1", title))


def test_a_write_that_loses_the_race_is_412_and_changes_nothing(
    clients: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = clients.headers("AR-INCAA", "submitter")
    first = clients.client.put(URL, json=_body("Primera"), headers=headers)
    assert first.status_code in (200, 201)
    old_tag = first.headers["ETag"]
    second = clients.client.put(
        URL, json=_body("Segunda"), headers={**headers, "If-Match": old_tag}
    )
    assert second.status_code == 200
    # Another writer got in between this request's first check and its write: the early
    # check still sees the old version, the check under the writers' lock must not.
    monkeypatch.setattr(record_sync, "current_etag", lambda *_: old_tag.strip('"'))
    late = clients.client.put(URL, json=_body("Tercera"), headers={**headers, "If-Match": old_tag})
    assert late.status_code == 412
    assert late.get_json()["code"] == "stale_version"
    monkeypatch.undo()
    stated = clients.client.get(URL, headers=headers).get_json()
    assert stated["work"]["titles"][0]["text"] == "Segunda"
