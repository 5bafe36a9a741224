"""Cross-agency pairs verified by hand from the reference data, linked on a real database."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import select

from registry.matching.decide import LINKED, REVIEW
from registry.matching.model import load_model
from registry.matching.pipeline import link_pending
from registry.models import Identifier, MatchPair, SourceRecord, Title
from registry.services.imports import run_import
from tests.conftest import TEST_DATA

DATA = TEST_DATA / "matching"
FILES = (
    "ancine-directors-cross-agency.csv",
    "ancine-countries-cross-agency.csv",
    "acau-cross-agency.csv",
)


def _pairs() -> list[dict[str, str]]:
    """Return the labelled pairs."""
    with (DATA / "labelled-pairs.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _origin(session, scheme: str, value: str) -> int:
    """Return the unit (origin work) of the records holding an identifier."""
    stmt = (
        select(SourceRecord.origin_work_id, SourceRecord.work_id)
        .join(Identifier, Identifier.source_record_id == SourceRecord.id)
        .where(Identifier.scheme == scheme, Identifier.value == value)
    )
    origin, work = session.execute(stmt).first()
    return origin or work


def _work(session, scheme: str, value: str) -> int:
    """Return the current work holding an identifier."""
    stmt = select(Identifier.work_id).where(Identifier.scheme == scheme, Identifier.value == value)
    return session.scalars(stmt).first()


@pytest.fixture
def linked(registry):
    """Import the cut reference files and link them."""
    for name in FILES:
        report = run_import(registry, DATA / name)
        assert report.counts["rejected"] == 0
    link_pending(registry)
    return registry


@pytest.mark.parametrize("pair", _pairs(), ids=lambda p: p["why"][:40])
def test_labelled_pair(linked, pair):
    with linked.sessions() as session:
        a = _origin(session, pair["scheme_a"], pair["value_a"])
        b = _origin(session, pair["scheme_b"], pair["value_b"])
        same_work = _work(session, pair["scheme_a"], pair["value_a"]) == _work(
            session, pair["scheme_b"], pair["value_b"]
        )
        stored = session.scalars(
            select(MatchPair).where(MatchPair.work_a == min(a, b), MatchPair.work_b == max(a, b))
        ).first()
    status = stored.status if stored else None
    if pair["same"] == "yes":
        assert same_work or status in (LINKED, REVIEW), pair["why"]
    else:
        assert not same_work and status != LINKED, pair["why"]


def test_placeholder_arenas_by_different_directors_stay_apart(linked):
    with linked.sessions() as session:
        rows = session.execute(
            select(SourceRecord.work_id, SourceRecord.normalized)
            .join(Title, Title.source_record_id == SourceRecord.id)
            .where(Title.text_folded == "arena", SourceRecord.agency_code == "BR-ANCINE")
        ).all()
    work_of = {r.normalized["contributions"][0]["party"]["name"]: r.work_id for r in rows}
    assert work_of["CRAIG R. BAXLEY"] != work_of["JONAH LOOP"]
    jonah = {
        r.work_id for r in rows if r.normalized["contributions"][0]["party"]["name"] == "JONAH LOOP"
    }
    assert len(jonah) == 1, "the placeholder record and the real ROE record are one film"


def test_each_linked_pair_explains_every_comparison(linked):
    with linked.sessions() as session:
        pairs = session.scalars(select(MatchPair).where(MatchPair.status == LINKED)).all()
    assert pairs
    compared = [c["output_column_name"] for c in load_model().settings["comparisons"]]
    for pair in pairs:
        names = [part["comparison"] for part in pair.explanation]
        assert names == compared, "every comparison of the shipped model explains the pair"
        assert pair.probability is not None and pair.model_version
