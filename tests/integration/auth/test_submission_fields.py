"""Form fields of a submission and optional decision bodies are checked like query arguments."""

from __future__ import annotations

import io

from tests.integration.auth.conftest import Clients, exchange_line


def test_an_empty_form_field_is_a_422_naming_the_field(clients: Clients) -> None:
    data = {"file": (io.BytesIO(exchange_line("k1", "Uno").encode()), "d.jsonl"), "format": ""}
    answer = clients.client.post(
        "/api/v1/imports", data=data, headers=clients.headers("AR-INCAA", "submitter")
    )
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["code"] == "validation_error" and "format" in body["errors"]


def test_form_fields_override_only_what_they_name(clients: Clients) -> None:
    data = {"file": (io.BytesIO(exchange_line("k2", "Dos").encode()), "d.jsonl")}
    answer = clients.client.post(
        "/api/v1/imports?dry_run=true",
        data={**data, "format": "exchange-jsonl"},
        headers=clients.headers("AR-INCAA", "submitter"),
    )
    assert answer.status_code == 202
    assert answer.get_json()["dry_run"] is True


def test_a_split_without_a_body_splits_the_whole_work(clients: Clients) -> None:
    answer = clients.client.post(
        "/api/v1/works/999999/matches/split", headers=clients.headers("AR-INCAA", "reviewer")
    )
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "not_found"
