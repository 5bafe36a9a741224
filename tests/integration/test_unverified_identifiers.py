"""Identifiers failing their check are stored, shown as unverified and never join works."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.context import Registry
from registry.errors import ValidationFailed
from registry.models import Identifier
from registry.services.imports import run_import
from registry.services.read import find_work_id, work_detail
from tests.conftest import TEST_DATA

# The hand-made list's second record: an EIDR ContentID whose check character is wrong.
BAD_EIDR = "10.5240/2D99-3C1C-9F31-3E10-3411-X"


def test_the_work_detail_shows_an_unverified_identifier_as_such(registry: Registry) -> None:
    run_import(registry, TEST_DATA / "mec" / "core-metadata-list.xml")
    with registry.sessions() as session:
        work_id = find_work_id(session, "eidr", BAD_EIDR)
        shown = work_detail(session, work_id)["identifiers"]
        season = find_work_id(session, "isan", "0000-0001-63AD-0000-0")
        season_ids = work_detail(session, season)["identifiers"]
    assert [(i["scheme"], i["value"], i["verified"]) for i in shown] == [("eidr", BAD_EIDR, False)]
    flags = {(i["scheme"], i["value"]): i["verified"] for i in season_ids}
    assert flags[("isan", "0000-0001-63AD-0000-0")] is True
    assert flags[("isan", "0000-0000-163A-D000-7")] is False


def test_a_value_failing_its_check_names_no_work_unless_a_source_gave_it(
    registry: Registry,
) -> None:
    with registry.sessions() as session, pytest.raises(ValidationFailed, match="check character"):
        find_work_id(session, "eidr", BAD_EIDR)


def test_two_records_sharing_only_an_unverified_identifier_stay_apart(registry: Registry) -> None:
    path = TEST_DATA / "mec" / "core-metadata-list.xml"
    run_import(registry, path)
    run_import(registry, path, agency="ZZ-EXCHANGE")
    with registry.sessions() as session:
        rows = session.execute(
            select(Identifier.work_id, Identifier.verified).where(Identifier.value == BAD_EIDR)
        ).all()
    assert len(rows) == 2
    assert {verified for _, verified in rows} == {False}
    assert len({work_id for work_id, _ in rows}) == 2


def test_an_unverified_identifier_is_found_in_another_accepted_spelling(
    registry: Registry,
) -> None:
    run_import(registry, TEST_DATA / "mec" / "core-metadata-list.xml")
    with registry.sessions() as session:
        by_doi = find_work_id(session, "eidr", BAD_EIDR)
        by_urn = find_work_id(session, "eidr", "urn:eidr:10.5240:2d99-3c1c-9f31-3e10-3411-x")
    assert by_doi == by_urn
