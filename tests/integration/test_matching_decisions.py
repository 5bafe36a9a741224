"""People's decisions, rebuilds, the matches API and the match commands on a real database."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from registry.app import create_app
from registry.auth.tokens import create_token
from registry.cli import main
from registry.context import Registry
from registry.matching import decisions, model
from registry.matching.pipeline import link_after_import, link_pending, pending_units, rebuild
from registry.models import AuditEntry, Identifier, MatchDecision, SourceRecord, Work
from registry.services.agencies import ensure_agency
from registry.services.imports import run_import
from tests.conftest import TEST_DATA

DATA = TEST_DATA / "matching"
FILES = (
    "ancine-directors-cross-agency.csv",
    "ancine-countries-cross-agency.csv",
    "acau-cross-agency.csv",
)


def _work(session, scheme: str, value: str) -> int:
    """Return the current work holding an identifier."""
    stmt = select(Identifier.work_id).where(Identifier.scheme == scheme, Identifier.value == value)
    return session.scalars(stmt).first()


def _director_work(session, director: str) -> int:
    """Return the work of the ANCINE directors record of a director of an Arena."""
    for work_id, normalized in session.execute(
        select(SourceRecord.work_id, SourceRecord.normalized).where(
            SourceRecord.source_format == "ancine-directors"
        )
    ):
        names = [c["party"]["name"] for c in normalized["contributions"]]
        if director in names and normalized["titles"][0]["text"] == "ARENA":
            return work_id
    raise AssertionError(director)


@pytest.fixture
def linked(registry: Registry) -> Registry:
    """Import the cut reference files and link them."""
    for name in FILES:
        run_import(registry, DATA / name)
    link_pending(registry)
    return registry


def test_people_decide_and_rebuilds_keep_their_word(linked):
    with linked.sessions() as session:
        baxley, loop = (
            _director_work(session, "CRAIG R. BAXLEY"),
            _director_work(session, "JONAH LOOP"),
        )
        assert baxley != loop
        survivor = decisions.link(session, baxley, loop, "test")
    assert survivor == min(baxley, loop)
    rebuild(linked)
    with linked.sessions() as session:
        assert _director_work(session, "CRAIG R. BAXLEY") == _director_work(session, "JONAH LOOP")
        absorbed = session.get(Work, max(baxley, loop))
        assert absorbed.merged_into == survivor
        works = decisions.split(session, survivor, "test")
        assert len(works) >= 2
    rebuild(linked)
    with linked.sessions() as session:
        assert _director_work(session, "CRAIG R. BAXLEY") != _director_work(session, "JONAH LOOP")
        assert session.get(Work, max(baxley, loop)).merged_into is None
        assert session.scalar(select(func.count()).select_from(MatchDecision)) == 2
        assert session.scalar(select(func.count()).select_from(AuditEntry)) >= 2


def test_split_of_one_record_returns_it_to_the_work_it_was_born_in(linked):
    with linked.sessions() as session:
        acau = _work(session, "uy_acau", "T0232")
        ancine = _work(session, "br_cpb", "B1500798600000")
        if acau != ancine:
            decisions.link(session, acau, ancine, "test")
        survivor = _work(session, "uy_acau", "T0232")
        key = session.scalars(
            select(SourceRecord.source_key).where(
                SourceRecord.work_id == survivor, SourceRecord.agency_code == "UY-ACAU"
            )
        ).first()
        decisions.split(session, survivor, "test", record_key=key)
        assert _work(session, "uy_acau", "T0232") != _work(session, "br_cpb", "B1500798600000")


def test_a_decision_on_an_unknown_work_is_a_clear_error(linked, monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", linked.settings.database_url)
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(linked.settings.instance_path))
    result = CliRunner().invoke(main, ["match", "link", "999999", "1"])
    assert result.exit_code == 2
    assert "no work with id 999999" in result.output
    review = CliRunner().invoke(main, ["match", "review", "--json"])
    assert review.exit_code == 0
    assert all(row["status"] == "review" for row in json.loads(review.stdout))


def test_linked_work_answers_for_every_identifier_over_http(linked):
    reg = Registry(replace(linked.settings, rate_limit_enabled=False))
    with reg.sessions() as session:
        ensure_agency(session, "UY-ACAU")
        reviewer = create_token(session, "UY-ACAU", "reviewer").secret
        submitter = create_token(session, "UY-ACAU", "submitter").secret
        session.commit()
        acau = _work(session, "uy_acau", "T0232")
        ancine = _work(session, "br_cpb", "B1500798600000")
    client = create_app(registry=reg).test_client()
    body = {"other_work_id": ancine}
    assert client.post(f"/api/v1/works/{acau}/matches/link", json=body).status_code == 401
    forbidden = client.post(
        f"/api/v1/works/{acau}/matches/link",
        json=body,
        headers={"Authorization": f"Bearer {submitter}"},
    )
    assert forbidden.status_code == 403
    if acau != ancine:
        done = client.post(
            f"/api/v1/works/{acau}/matches/link",
            json=body,
            headers={"Authorization": f"Bearer {reviewer}"},
        )
        assert done.status_code == 200, done.get_json()
    first = client.get("/api/v1/works/by-identifier/uy_acau/T0232").get_json()
    second = client.get("/api/v1/works/by-identifier/br_cpb/B1500798600000").get_json()
    assert first["id"] == second["id"]
    matches = client.get(f"/api/v1/works/{first['id']}/matches").get_json()
    agencies = {a for m in matches["members"] for a in m["agencies"]}
    assert agencies == {"UY-ACAU", "BR-ANCINE"}
    absorbed = max(acau, ancine)
    if absorbed != first["id"]:
        detail = client.get(f"/api/v1/works/{absorbed}").get_json()
        assert detail["merged_into"] == first["id"]
    for url in ("/api/v1/works/999999/matches", "/api/v1/works/9999999999/matches"):
        missing = client.get(url)
        assert missing.status_code == 404 and missing.get_json()["code"] == "not_found"
    beyond = client.post(
        f"/api/v1/works/{acau}/matches/link",
        json={"other_work_id": 2**31},
        headers={"Authorization": f"Bearer {reviewer}"},
    )
    assert beyond.status_code == 422 and beyond.get_json()["errors"]
    reg.close()


def test_a_model_that_does_not_load_stops_linkage_and_the_import_stands(registry, monkeypatch):
    broken = registry.settings.instance_path / "model.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(model, "MODEL_PATH", broken)
    report = run_import(registry, DATA / "acau-cross-agency.csv")
    message = link_after_import(registry)
    assert message.startswith("linkage skipped: linkage model") and "\n" not in message
    with registry.sessions() as session:
        stored = session.scalar(select(func.count()).select_from(SourceRecord))
        assert stored == report.counts["created"] > 0
        assert pending_units(session)


def test_incremental_linkage_leaves_nothing_pending_and_joins_later_files(registry):
    run_import(registry, DATA / "acau-cross-agency.csv")
    link_pending(registry)
    with registry.sessions() as session:
        assert not pending_units(session)
    run_import(registry, DATA / "ancine-countries-cross-agency.csv")
    with registry.sessions() as session:
        assert pending_units(session)
    link_pending(registry)
    with registry.sessions() as session:
        assert not pending_units(session)
        assert _work(session, "uy_acau", "T0232") == _work(session, "br_cpb", "B1500798600000")
