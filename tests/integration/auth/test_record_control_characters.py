"""Keys with control characters are refused or not found, never a failure of the database."""

from __future__ import annotations

import json

from tests.integration.auth.conftest import Clients, exchange_line


def test_a_key_with_a_control_character_is_refused_or_not_found(clients: Clients) -> None:
    headers = clients.headers("AR-INCAA", "submitter")
    url = "/api/v1/records/AR-INCAA/INCAA%00X"
    body = json.loads(exchange_line("INCAA\x00X", "Título"))
    put = clients.client.put(url, json=body, headers=headers)
    assert put.status_code == 422, put.get_data(as_text=True)
    assert put.get_json()["errors"] == {"key": ["contains the control character U+0000"]}
    assert clients.client.get(url, headers=headers).status_code == 404
    assert clients.client.delete(url, headers=headers).status_code == 404
