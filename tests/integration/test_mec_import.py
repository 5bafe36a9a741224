"""Import Common Metadata files through the pipeline into a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from registry.errors import ImportFailed
from registry.models import (
    Identifier,
    ImportFinding,
    Party,
    Rejection,
    SourceRecord,
    Title,
    Work,
)
from registry.services.imports import run_import
from tests.conftest import TEST_DATA, reference_file

COMMON = "mddf/common/"
EXPECTED_COUNTS = {
    "CM_base.xml": {"read": 1, "created": 1, "rejected": 0},
    "CM_withErrors.xml": {"read": 1, "created": 1, "rejected": 0},
    "ManifestCore_Example1_MEC_movie.xml": {"read": 1, "created": 1, "rejected": 0},
    "VEEP_Season5_E4_mec.xml": {"read": 1, "created": 1, "rejected": 0},
}


def _work_by_identifier(session, scheme: str, value: str) -> Work:
    """Return the work holding an identifier."""
    work_id = session.scalars(
        select(Identifier.work_id).where(Identifier.scheme == scheme, Identifier.value == value)
    ).first()
    return session.get(Work, work_id)


@pytest.mark.parametrize("name", sorted(EXPECTED_COUNTS))
def test_every_reference_file_imports_and_reimports_unchanged(registry, name):
    path = reference_file(COMMON + name)
    report = run_import(registry, path)
    assert report.source_format == "mec-xml" and report.agency == "ZZ-AVAILS"
    assert report.reconciles()
    assert {k: report.counts[k] for k in EXPECTED_COUNTS[name]} == EXPECTED_COUNTS[name]
    again = run_import(registry, path)
    assert again.counts["unchanged"] == EXPECTED_COUNTS[name]["created"]
    assert again.counts["created"] == again.counts["updated"] == 0


def test_veep_episode_hangs_under_its_season(registry):
    run_import(registry, reference_file(COMMON + "VEEP_Season5_E4_mec.xml"))
    with registry.sessions() as s:
        episode = _work_by_identifier(s, "eidr", "10.5240/FBEB-FA47-487D-420A-8E31-I")
        assert episode.work_type == "episode" and episode.sequence == 4
        assert episode.year == 2016 and not episode.incomplete
        parent = s.get(Work, episode.parent_id)
        assert parent.incomplete
        assert [(i.scheme, i.value) for i in parent.identifiers] == [
            ("eidr", "10.5240/2D99-3C1C-9F31-3E10-3411-1")
        ]
        roles = {(c.party.name, c.role) for c in episode.contributions}
        assert ("Chris Addison", "director") in roles
        assert ("Georgia Pritchett", "screenwriter") in roles
        assert ("HBO", "distributor") in roles


def test_errors_file_stores_the_record_with_a_warning_per_refused_value(registry):
    report = run_import(registry, reference_file(COMMON + "CM_withErrors.xml"))
    assert report.warnings == {"value-refused": 6, "vocabulary-case": 1}
    with registry.sessions() as s:
        assert not s.scalars(select(Rejection).where(Rejection.batch_id == report.batch_id)).all()
        findings = s.scalars(
            select(ImportFinding)
            .where(ImportFinding.batch_id == report.batch_id)
            .order_by(ImportFinding.id)
        ).all()
        assert len(findings) == 7
        work_type = next(f for f in findings if f.field.startswith("WorkType"))
        assert work_type.severity == "warning" and "case-sensitive" in work_type.message
        assert work_type.source_key == "md:cid:eidr-s:E6CA-AB58-E298-7BA0-E574-V"
        assert work_type.locator.startswith("/MediaManifest/Inventory[1]/Metadata[1]")
        work = _work_by_identifier(s, "eidr", "10.5240/E6CA-AB58-E298-7BA0-E574-V")
        assert work.work_type == "movie" and work.year == 2008
        assert [t.text for t in work.titles] == ["Big Buck Bunny"]


def test_counselor_titles_and_distributor(registry):
    run_import(registry, reference_file(COMMON + "ManifestCore_Example1_MEC_movie.xml"))
    with registry.sessions() as s:
        work = _work_by_identifier(s, "eidr", "10.5240/AD07-310C-C59D-6785-C63A-G")
        assert work.year == 2013 and work.runtime_minutes == 117.0
        titles = {(t.text, t.language, t.kind, t.territory) for t in work.titles}
        assert ("The Counselor", "en", "original", None) in titles
        assert ("O Conselheiro Do Crime", "pt-BR", "local", "BR") in titles
        assert ("Cartel", "fr", "translated", None) in titles
        assert len(titles) == 10
        [distributor] = [c.party for c in work.contributions if c.role == "distributor"]
        assert distributor.name == "20th Century Fox Distribution"
        assert [(i.scheme, i.value) for i in distributor.identifiers] == [
            ("eidr_party", "10.5237/6AED-87CB")
        ]


def test_manifest_base_and_errors_file_share_one_source_record(registry):
    run_import(registry, reference_file(COMMON + "CM_base.xml"))
    report = run_import(registry, reference_file(COMMON + "CM_withErrors.xml"))
    assert report.counts["updated"] == 1
    with registry.sessions() as s:
        assert s.scalar(select(func.count()).select_from(SourceRecord)) == 1
        [record] = s.scalars(select(SourceRecord)).all()
        assert record.source_key == "md:cid:eidr-s:E6CA-AB58-E298-7BA0-E574-V"
        assert record.normalized["work_type"] == "movie"
        assert "<md:Summary190/>" in record.payload


def test_hand_made_list_links_a_season_to_a_series_stub(registry):
    report = run_import(registry, TEST_DATA / "mec" / "core-metadata-list.xml")
    assert report.counts == {
        "read": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "rejected": 0,
    }
    assert report.warnings == {"identifier-unverified": 2, "value-refused": 3}
    with registry.sessions() as s:
        season = _work_by_identifier(s, "isan", "0000-0001-63AD-0000-0")
        series = s.get(Work, season.parent_id)
        assert [(i.scheme, i.value) for i in series.identifiers] == [
            ("proprietary:example.org", "series")
        ]
        # the season's four titles and the title of the record kept with an unverified EIDR
        assert s.scalar(select(func.count()).select_from(Title)) == 5


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("manifest-without-metadata.xml", "no inline BasicMetadata"),
        ("localized-info-delivery.xml", "LocalizedInfoDelivery"),
    ],
)
def test_unimportable_files_are_refused(registry, name, reason):
    with pytest.raises(ImportFailed, match=reason):
        run_import(registry, TEST_DATA / "mec" / name)


def test_hostile_file_is_refused_without_reading_the_entity(registry):
    path = TEST_DATA / "mec" / "hostile-entities.xml"
    with pytest.raises(ImportFailed, match="declares entities|cannot recognise"):
        run_import(registry, path)
    with pytest.raises(ImportFailed, match="declares entities"):
        run_import(registry, path, "mec-xml")
    with registry.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Party)) == 0
