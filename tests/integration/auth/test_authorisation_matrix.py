"""Every endpoint x anonymous / submitter / reviewer / admin x own / other agency."""

from __future__ import annotations

import io

import pytest

from registry.auth.tokens import revoke_token
from registry.services.jobs import run_worker
from tests.integration.auth.conftest import SAMPLES, exchange_line

OWN, OTHER = "AR-INCAA", "UY-ACAU"
CALLERS = [
    ("anonymous", None, None),
    ("own submitter", OWN, "submitter"),
    ("own reviewer", OWN, "reviewer"),
    ("own admin", OWN, "admin"),
    ("other submitter", OTHER, "submitter"),
    ("other reviewer", OTHER, "reviewer"),
    ("other admin", OTHER, "admin"),
]
RECORD = {"work": {"work_type": "movie", "titles": [{"text": "Matriz", "language": "es"}]}}

# Expected status per endpoint, in the order of CALLERS.
MATRIX = {
    "submit own file": (401, 202, 403, 202, 202, 403, 202),
    "submit a file declaring UY-ACAU": (401, 403, 403, 202, 202, 403, 202),
    "read import report": (200, 200, 200, 200, 200, 200, 200),
    "put record": (401, 201, 403, 201, 403, 403, 201),
    "get record": (200, 200, 200, 200, 200, 200, 200),
    "delete record": (401, 200, 403, 200, 403, 403, 200),
    "read audit": (401, 200, 200, 200, 200, 200, 200),
    "read audit of another agency": (401, 403, 403, 200, 200, 200, 200),
    "changes": (200, 200, 200, 200, 200, 200, 200),
}


def _call(clients, endpoint: str, headers: dict[str, str], n: int):  # noqa: ANN202
    """Make the request of one matrix cell."""
    c = clients.client
    jsonl = (exchange_line(f"m{n}", "Matriz") + "\n").encode()
    if endpoint == "submit own file":
        return c.post("/api/v1/imports?file_name=a.jsonl", data=jsonl, headers=headers)
    if endpoint == "submit a file declaring UY-ACAU":
        acau = (SAMPLES.parent / "tests/data/acau/acau-awards-sample.csv").read_bytes()
        data = {"file": (io.BytesIO(acau), "acau.csv")}
        return c.post("/api/v1/imports", data=data, headers={**headers, "X-Cell": str(n)})
    if endpoint == "read import report":
        return c.get("/api/v1/imports/1", headers=headers)
    if endpoint == "put record":
        return c.put(f"/api/v1/records/{OWN}/p{n}", json=RECORD, headers=headers)
    if endpoint == "get record":
        return c.get(f"/api/v1/records/{OWN}/base", headers=headers)
    if endpoint == "delete record":
        c.put(f"/api/v1/records/{OWN}/d{n}", json=RECORD, headers=clients.headers(OWN, "admin"))
        return c.delete(f"/api/v1/records/{OWN}/d{n}", headers=headers)
    if endpoint == "read audit":
        return c.get("/api/v1/audit", headers=headers)
    if endpoint == "read audit of another agency":
        return c.get(f"/api/v1/audit?agency={OTHER}", headers=headers)
    if endpoint == "changes":
        return c.get("/api/v1/changes?since=2000-01-01T00:00:00Z", headers=headers)
    raise AssertionError(endpoint)


def test_every_endpoint_answers_each_caller_as_designed(clients):
    admin = clients.headers(OWN, "admin")
    assert (
        clients.client.put(f"/api/v1/records/{OWN}/base", json=RECORD, headers=admin).status_code
        == 201
    )
    assert (
        clients.client.post(
            "/api/v1/imports?file_name=first.jsonl",
            data=b"{broken\n" + exchange_line("x", "X").encode(),
            headers=clients.headers(OWN, "submitter"),
        ).status_code
        == 202
    )
    expected = {
        (endpoint, caller): status
        for endpoint, statuses in MATRIX.items()
        for (caller, _, _), status in zip(CALLERS, statuses, strict=True)
    }
    got, n = {}, 0
    for endpoint in MATRIX:
        for caller, agency, role in CALLERS:
            n += 1
            response = _call(clients, endpoint, clients.headers(agency, role), n)
            got[(endpoint, caller)] = response.status_code
            if response.status_code >= 400:
                assert set(response.get_json()) == {"code", "status", "message", "errors"}
            if response.status_code == 401:
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert {cell: code for cell, code in got.items() if code != expected[cell]} == {}


def test_rejected_rows_show_only_to_the_batch_agency_and_admins(clients):
    c = clients.client
    body = b"{not json\n" + exchange_line("ok", "Bien").encode() + b"\n"
    posted = c.post(
        "/api/v1/imports?file_name=x.jsonl", data=body, headers=clients.headers(OWN, "submitter")
    )
    batch = posted.get_json()["id"]
    run_worker(clients.registry, once=True)
    seen = {
        caller: c.get(f"/api/v1/imports/{batch}", headers=clients.headers(agency, role)).get_json()
        for caller, agency, role in CALLERS
    }
    assert seen["anonymous"]["status"] == "completed"
    assert seen["anonymous"]["counts"] == {
        "read": 2,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "rejected": 1,
    }
    for caller in ("anonymous", "other submitter", "other reviewer"):
        assert seen[caller]["rejections"] is None, caller
    for caller in ("own submitter", "own reviewer", "own admin", "other admin"):
        assert seen[caller]["rejections"][0]["raw"] == "{not json", caller


def test_licence_terms_of_a_record_show_only_to_its_agency(clients):
    c = clients.client
    record = {
        "work": {
            "work_type": "movie",
            "titles": [{"text": "Con precio", "language": "es"}],
            "licenses": [
                {"media": ["svod"], "territories": ["AR"], "terms": {"license_fee": "1000 USD"}}
            ],
        }
    }
    assert (
        c.put(
            f"/api/v1/records/{OWN}/fee", json=record, headers=clients.headers(OWN, "submitter")
        ).status_code
        == 201
    )
    terms = {
        caller: c.get(f"/api/v1/records/{OWN}/fee", headers=clients.headers(agency, role))
        .get_json()["work"]["licenses"][0]
        .get("terms")
        for caller, agency, role in CALLERS
    }
    assert terms["own submitter"] == {"license_fee": "1000 USD"}
    assert terms["other admin"] == {"license_fee": "1000 USD"}
    assert terms["anonymous"] is None and terms["other submitter"] is None


@pytest.mark.parametrize("method", ["post", "put", "delete", "audit"])
def test_a_revoked_token_is_refused(clients, method):
    headers = clients.headers(OWN, "admin")
    with clients.registry.sessions() as session:
        from sqlalchemy import select

        from registry.models import ApiToken

        name = session.scalars(
            select(ApiToken.name).where(ApiToken.agency_code == OWN, ApiToken.role == "admin")
        ).one()
        revoke_token(session, name)
        session.commit()
    c = clients.client
    response = {
        "post": lambda: c.post("/api/v1/imports", data=b"x", headers=headers),
        "put": lambda: c.put(f"/api/v1/records/{OWN}/r", json=RECORD, headers=headers),
        "delete": lambda: c.delete(f"/api/v1/records/{OWN}/r", headers=headers),
        "audit": lambda: c.get("/api/v1/audit", headers=headers),
    }[method]()
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


def test_a_malformed_authorization_header_is_refused(clients):
    for value in ("Basic abc", "Bearer", "Bearer avr_unknown", "token"):
        response = clients.client.get(
            "/api/v1/changes?since=2000-01-01T00:00:00Z", headers={"Authorization": value}
        )
        assert response.status_code == 401, value


def test_licence_terms_in_work_answers_show_only_to_their_agency(clients):
    from sqlalchemy import select

    from registry.models import SourceRecord

    c = clients.client
    record = {
        "work": {
            "work_type": "movie",
            "titles": [{"text": "Con tarifa", "language": "es"}],
            "licenses": [{"media": ["svod"], "territories": ["AR"], "terms": {"wsp": "9 USD"}}],
        }
    }
    owner = clients.headers(OWN, "submitter")
    assert c.put(f"/api/v1/records/{OWN}/wsp", json=record, headers=owner).status_code == 201
    with clients.registry.sessions() as session:
        work_id = session.scalar(
            select(SourceRecord.work_id).where(SourceRecord.source_key == "wsp")
        )
    paths = {
        "detail": (f"/api/v1/works/{work_id}", lambda body: body["licenses"][0]["terms"]),
        "page": (f"/api/v1/works/{work_id}/licenses", lambda body: body["items"][0]["terms"]),
        "availability": (
            f"/api/v1/works/{work_id}/availability?territory=AR&media=svod",
            lambda body: body["licenses"][0]["terms"],
        ),
    }
    for name, (path, terms_of) in paths.items():
        seen = {
            caller: terms_of(c.get(path, headers=clients.headers(agency, role)).get_json())
            for caller, agency, role in CALLERS
        }
        for caller in ("own submitter", "own reviewer", "own admin", "other admin"):
            assert seen[caller] == {"wsp": "9 USD"}, (name, caller)
        for caller in ("anonymous", "other submitter", "other reviewer"):
            assert not seen[caller], (name, caller)


def test_the_submitting_token_is_named_only_to_the_batch_agency(clients):
    c = clients.client
    body = exchange_line("t1", "Quién").encode() + b"\n"
    posted = c.post(
        "/api/v1/imports?file_name=t.jsonl", data=body, headers=clients.headers(OWN, "submitter")
    )
    url = posted.headers["Location"]
    assert c.get(url).get_json()["submitted_by"] is None
    assert (
        c.get(url, headers=clients.headers(OTHER, "submitter")).get_json()["submitted_by"] is None
    )
    named = c.get(url, headers=clients.headers(OWN, "reviewer")).get_json()["submitted_by"]
    assert named and named.startswith("ar-incaa-submitter")


def test_a_record_body_over_16_mib_is_refused_with_413(clients):
    big = b'{"work": {"titles": [{"text": "' + b"x" * (17 << 20) + b'"}]}}'
    response = clients.client.put(
        f"/api/v1/records/{OWN}/big",
        data=big,
        content_type="application/json",
        headers=clients.headers(OWN, "submitter"),
    )
    assert response.status_code == 413
    assert response.get_json()["code"] == "request_entity_too_large"
