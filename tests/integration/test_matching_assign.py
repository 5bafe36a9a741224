"""Hard-rule placement of a chunk's records, against works stored in a real database."""

from __future__ import annotations

from registry.matching import Claim, assign_works
from registry.models import Identifier, SourceRecord, Work
from registry.services.agencies import ensure_agency


def _stored_work(session, *identifiers: tuple[str, str], verified: bool = True) -> int:
    """Store a work with one source record stating the identifiers; return its id."""
    ensure_agency(session, "BR-ANCINE")
    work = Work()
    session.add(work)
    session.flush()
    record = SourceRecord(
        agency_code="BR-ANCINE",
        source_format="test",
        source_key=f"k{work.id}",
        work_id=work.id,
        payload="",
        normalized={},
        sha256="0" * 64,
    )
    session.add(record)
    session.flush()
    for scheme, value in identifiers:
        session.add(
            Identifier(
                work_id=work.id,
                source_record_id=record.id,
                scheme=scheme,
                value=value,
                verified=verified,
            )
        )
    session.flush()
    return work.id


def _claim(*identifiers: tuple[str, str]) -> Claim:
    """Return a claim with the identifiers and no titles."""
    return Claim(tuple(identifiers), frozenset())


def test_a_shared_identifier_places_and_an_exclusive_conflict_refuses(registry):
    with registry.sessions() as session:
        stored = _stored_work(session, ("br_cpb", "B1500798600000"), ("isan", "I-1"))
        out = assign_works(
            session,
            [
                _claim(("br_cpb", "B1500798600000")),
                _claim(("br_cpb", "B1500798600000"), ("isan", "I-2")),
                _claim(("br_roe", "E1300000100000")),
                _claim(("br_roe", "E1300000100000")),
            ],
        )
    assert out[0].work_id == stored
    assert out[1].work_id is None, "a different ISAN never joins the stored work"
    assert out[2].work_id is None and out[3].work_id is None
    assert out[2].group != out[3].group, "a placeholder never groups new records"


def test_new_records_group_unless_their_exclusive_values_differ(registry):
    with registry.sessions() as session:
        out = assign_works(
            session,
            [
                _claim(("br_crt", "C1"), ("br_cpb", "B1")),
                _claim(("br_crt", "C1"), ("br_cpb", "B1")),
                _claim(("br_crt", "C1"), ("br_cpb", "B2")),
            ],
        )
    assert out[0].group == out[1].group
    assert out[2].group != out[0].group


def test_an_unverified_stored_identifier_is_never_evidence(registry):
    with registry.sessions() as session:
        _stored_work(session, ("isan", "I-9"), verified=False)
        out = assign_works(session, [_claim(("isan", "I-9"))])
    assert out[0].work_id is None


def test_first_holders_names_the_earliest_row_of_each_identifier(registry):
    from registry.matching.assign import first_holders

    with registry.sessions() as session:
        unverified = _stored_work(session, ("proprietary:x", "A"), verified=False)
        first = _stored_work(session, ("proprietary:x", "A"), ("proprietary:x", "B"))
        later = _stored_work(session, ("proprietary:x", "A"), ("proprietary:y", "B"))
        connection = session.connection()
        wanted = {("proprietary:x", "A"), ("proprietary:x", "B"), ("proprietary:y", "B")}
        assert first_holders(connection, wanted | {("proprietary:x", "Z")}) == {
            ("proprietary:x", "A"): unverified,
            ("proprietary:x", "B"): first,
            ("proprietary:y", "B"): later,
        }
        assert first_holders(connection, wanted, verified_only=True)[("proprietary:x", "A")] == (
            first
        )


def test_first_holders_answers_more_identifiers_than_one_statement_takes(registry):
    from registry.matching.assign import BATCH, first_holders

    with registry.sessions() as session:
        held = [("proprietary:x", f"V{n:04d}") for n in range(BATCH + 40)]
        works = [_stored_work(session, pair) for pair in held[:: BATCH // 3]]
        found = first_holders(session.connection(), held)
    assert found == dict(zip(held[:: BATCH // 3], works, strict=True))
