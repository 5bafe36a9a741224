"""Export real imports, import the export into a fresh registry, and compare the two."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from importers.registry import importers
from registry.context import Registry
from registry.migrate import upgrade
from registry.models import SourceRecord, Work
from registry.services.export import exchange_key, export
from registry.services.imports import run_import
from registry.services.read import work_detail
from tests.conftest import TEST_DATA

# Real agency and MovieLabs files (cuts under tests/data, see the README in each folder),
# imported in an order where later files refer to works of earlier ones.
INPUTS = (
    ("ancine-crt", "ancine/crt-2023.csv"),
    ("ancine-cpb", "ancine/cpb-2023.csv"),
    ("ancine-roe", "ancine/roe-2023.csv"),
    ("ancine-countries", "ancine/countries.csv"),
    ("ancine-directors", "ancine/directors.csv"),
    ("ancine-releases", "ancine/releases.csv"),
    ("acau-csv", "acau/acau-awards-sample.csv"),
    ("avails-xml", "avails/Avails_noErrors_v2.4_cut.xml"),
    ("avails-xml", "avails/Avails_Volume_error_v2.4.xml"),
    ("mec-xml", "mec/VEEP_Season5_E4_mec.xml"),
)
FACT_LISTS = (
    "titles",
    "identifiers",
    "countries",
    "contributions",
    "rights",
    "licenses",
    "coproductions",
    "attributes",
)
PARTY_FIELDS = ("party", "holder", "licensor", "licensee")
SCALARS = (
    "display_title",
    "work_type",
    "year",
    "year_end",
    "runtime_minutes",
    "episode_count",
    "original_languages",
    "countries_of_origin",
    "sequence",
    "incomplete",
    "deleted",
)


def fresh_registry(folder: Path) -> Registry:
    """Return a second registry on its own new, migrated SQLite database."""
    folder.mkdir(parents=True, exist_ok=True)
    registry = Registry.from_settings(
        {
            "instance_path": folder,
            "database_url": f"sqlite:///{folder / 'registry.sqlite3'}",
            "testing": True,
        }
    )
    upgrade(registry)
    return registry


@pytest.fixture
def second_registry(tmp_path: Path) -> Iterator[Registry]:
    """Return a fresh registry that has never seen the source files."""
    registry = fresh_registry(tmp_path / "second")
    yield registry
    registry.close()


@pytest.fixture
def loaded_registry(registry: Registry) -> Registry:
    """Return the per-test registry after importing every available reference cut."""
    available = importers()
    imported = 0
    for source_format, relative in INPUTS:
        if source_format in available and (TEST_DATA / relative).exists():
            report = run_import(registry, TEST_DATA / relative, source_format)
            assert report.reconciles()
            imported += 1
    if imported < 3:
        pytest.skip("fewer than three reference importers are available")
    return registry


def export_to(registry: Registry, path: Path, export_format: str, **filters: Any) -> Path:
    """Export a registry to path and return the path."""
    with path.open("w", encoding="utf-8", newline="") as out:
        export(registry, out, export_format, **filters)
    return path


def exported_works(registry: Registry, tmp_path: Path, name: str) -> dict[str, dict]:
    """Return the JSONL export of a registry as {key: envelope}."""
    path = export_to(registry, tmp_path / f"{name}.jsonl", "jsonl")
    lines = path.read_text("utf-8").splitlines()
    return {envelope["key"]: envelope for envelope in map(json.loads, lines)}


def record_count(registry: Registry) -> int:
    """Return how many source records the registry holds."""
    with registry.sessions() as session:
        return session.scalar(select(func.count()).select_from(SourceRecord))


def origin_key(source: dict[str, Any]) -> str | None:
    """Return the exchange key of the record behind a fact, the same in both registries."""
    if source.get("format") is None:
        return None
    if source["format"].startswith("exchange-"):
        return source["key"]
    return exchange_key(source["agency"], source["format"], source["key"])


def canonical(value: Any) -> Any:
    """Return value with every list sorted, so that row order does not matter."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def merged_views(registry: Registry) -> dict[tuple, dict[str, Any]]:
    """Return each work's merged view without database ids, keyed by its sources' exchange keys."""
    with registry.sessions() as session:
        details = [work_detail(session, wid) for wid in session.scalars(select(Work.id))]
    identity = {d["id"]: tuple(sorted(origin_key(s) for s in d["sources"])) for d in details}
    views = {}
    for detail in details:
        view = {name: detail[name] for name in SCALARS}
        if view["display_title"] == f"work {detail['id']}":
            view["display_title"] = "work without a title"
        view["parent"] = identity.get(detail["parent_id"]) if detail["parent_id"] else None
        for name in FACT_LISTS:
            view[name] = [_fact(item) for item in detail[name]]
        by_record = {s["record_id"]: origin_key(s) for s in detail["sources"]}
        view["conflicts"] = [
            {"field": c["field"], "claims": [_claim(claim, by_record) for claim in c["claims"]]}
            for c in detail["conflicts"]
        ]
        key = identity[detail["id"]] or ("no sources", json.dumps(view["identifiers"]))
        assert key not in views
        views[key] = canonical(view)
    return views


def _claim(claim: dict[str, Any], by_record: dict[int, str | None]) -> dict[str, Any]:
    """Return one conflicting claim with its sources given by exchange key."""
    return {
        "value": claim["value"],
        "sources": sorted(by_record[i] for i in claim["source_records"]),
    }


def _fact(item: dict[str, Any]) -> dict[str, Any]:
    """Return one fact without ids, its source given by exchange key."""
    fact = {k: v for k, v in item.items() if k != "id"}
    fact["source"] = origin_key(item["source"])
    for name in PARTY_FIELDS:
        if isinstance(fact.get(name), dict):
            fact[name] = {k: v for k, v in fact[name].items() if k != "id"}
    return fact


def test_a_jsonl_export_rebuilds_the_same_registry(loaded_registry, second_registry, tmp_path):
    original = exported_works(loaded_registry, tmp_path, "first")
    assert len(original) == record_count(loaded_registry) > 100
    path = tmp_path / "first.jsonl"

    report = run_import(second_registry, path)
    assert (report.source_format, report.agency) == ("exchange-jsonl", "ZZ-EXCHANGE")
    assert report.counts["created"] == len(original)
    assert report.counts["rejected"] == 0 and report.reconciles()

    again = exported_works(second_registry, tmp_path, "second")
    prefix = "ZZ-EXCHANGE:exchange-jsonl:"
    assert {key.removeprefix(prefix) for key in again} == set(original)
    for key, envelope in again.items():
        source = original[key.removeprefix(prefix)]
        assert envelope["work"] == source["work"]
        assert envelope["authoritative"] == source["authoritative"]
    assert merged_views(second_registry) == merged_views(loaded_registry)


def test_importing_the_same_export_again_changes_nothing(
    loaded_registry, second_registry, tmp_path
):
    path = export_to(loaded_registry, tmp_path / "first.jsonl", "jsonl")
    first = run_import(second_registry, path)
    second = run_import(second_registry, path)
    assert second.counts["unchanged"] == first.counts["read"] == first.counts["created"]
    assert second.counts["read"] == second.counts["unchanged"]


def test_a_csv_export_rebuilds_the_same_registry(loaded_registry, second_registry, tmp_path):
    original = exported_works(loaded_registry, tmp_path, "first")
    path = export_to(loaded_registry, tmp_path / "first.csv", "csv")

    report = run_import(second_registry, path)
    assert report.source_format == "exchange-csv"
    assert report.counts["created"] == len(original)
    assert report.counts["rejected"] == 0 and report.reconciles()

    again = exported_works(second_registry, tmp_path, "second")
    prefix = "ZZ-EXCHANGE:exchange-csv:"
    for key, envelope in again.items():
        source = original[key.removeprefix(prefix)]
        assert canonical(envelope["work"]) == canonical(source["work"])
        assert envelope["authoritative"] == source["authoritative"]
    assert merged_views(second_registry) == merged_views(loaded_registry)
    assert run_import(second_registry, path).counts["unchanged"] == len(original)


def test_an_export_of_the_copy_keeps_the_original_provenance_in_origin(
    loaded_registry, second_registry, tmp_path
):
    run_import(second_registry, export_to(loaded_registry, tmp_path / "a.jsonl", "jsonl"))
    copy = exported_works(second_registry, tmp_path, "b")
    key = next(k for k in copy if ":ancine-cpb:" in k)
    origin = copy[key]["origin"]
    assert origin["agency"] == "ZZ-EXCHANGE" and origin["format"] == "exchange-jsonl"
    assert origin["key"].startswith("BR-ANCINE:ancine-cpb:B")
