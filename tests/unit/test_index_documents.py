"""Index documents from rows, bulk pairs, refusals and the mapping's keyword guards."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from registry.search import management
from registry.search.builders import Outcome, bulk_pairs
from registry.search.dead_letters import refusal_from_item
from registry.search.documents import WorkEntry, build_document, choose_title, is_gone
from registry.search.rebuild_lock import lock_key

MAPPINGS = Path(__file__).resolve().parents[2] / "registry" / "search" / "mappings"


def _work(**changes: Any) -> SimpleNamespace:
    """Return a work row with defaults."""
    row = dict(
        id=7, version=3, work_type="movie", year=1987, year_end=None, runtime_minutes=90.0,
        episode_count=None, incomplete=False, deleted=False, parent_id=None, sequence=None,
        updated_at=datetime(2026, 1, 2, 3, 4, 5), original_languages=["pt"], primary_source_id=2,
    )  # fmt: skip
    return SimpleNamespace(**(row | changes))


def _title(text: str, kind: str, source: int, language: str = "pt") -> SimpleNamespace:
    """Return a title row."""
    return SimpleNamespace(
        work_id=7, text=text, text_folded=text.lower(), language=language, kind=kind,
        territory=None, source_record_id=source,
    )  # fmt: skip


def _facts(**rows: list) -> dict[str, list]:
    """Return fact rows grouped by kind, empty by default."""
    kinds = ("titles", "identifiers", "countries", "agencies", "contributions", "rights")
    return {k: [] for k in (*kinds, "licenses", "coproductions")} | rows


def test_display_title_prefers_the_primary_sources_original():
    titles = [_title("Other", "translated", 1), _title("Outro", "original", 1),
              _title("Principal", "original", 2)]  # fmt: skip
    assert choose_title(titles, 2).text == "Principal"
    assert choose_title(titles, 9).text == "Outro"
    assert choose_title(titles[:1], 2).text == "Other"
    assert choose_title([], 2) is None


def test_document_without_titles_names_the_work():
    doc = build_document(_work(), _facts())
    assert doc["display_title"] == "work 7" and doc["title_sort"] == "work 7"
    assert doc["updated_at"] == "2026-01-02T03:04:05+00:00" and doc["decade"] == 1980


def test_document_from_fact_rows():
    ident = (7, "br_cpb", "B1")
    contribution = (7, 11, "director", "Ana Núñez", "ana nunez")
    holding = (7, 12, "Filmes SA", "filmes sa", "economic", 50.0, ["BR"], date(2020, 1, 1), None)
    licence = (7, 99, 12, "Filmes SA", "filmes sa", 13, "Canal", "canal", ["svod", "tvod"],
               ["BR"], ["pt"], date(2026, 1, 1), None, True, "active")  # fmt: skip
    facts = _facts(
        titles=[_title("Água", "original", 2), _title("Água", "original", 3),
                _title("Water", "translated", 2, "en")],
        identifiers=[ident],
        countries=[(7, "BR"), (7, "BR")],
        agencies=[(7, "BR-ANCINE")],
        contributions=[contribution, contribution],
        rights=[holding],
        licenses=[licence],
        coproductions=[(7, None, "AR", None, None)],
    )  # fmt: skip
    doc = build_document(_work(), facts)
    assert doc["display_title"] == "Água" and doc["title_sort"] == "água"
    assert [t["text"] for t in doc["titles"]] == ["Água", "Water"]
    assert doc["identifiers"] == ["br_cpb:B1"] and doc["identifier_values"] == ["B1"]
    assert doc["countries_of_origin"] == ["BR"] and doc["is_coproduction"]
    assert doc["coproduction_countries"] == ["AR"]
    assert doc["people_folded"] == ["ana nunez", "canal", "filmes sa"]
    assert doc["party_ids"] == [11, 12, 13] and doc["media"] == ["svod", "tvod"]
    assert doc["contributors"] == [
        {"party_id": 11, "name": "Ana Núñez", "name_folded": "ana nunez", "role": "director"}
    ]
    assert doc["rights"][0]["valid_from"] == "2020-01-01" and doc["rights"][0]["valid_to"] is None
    assert doc["licenses"][0]["licensee_name"] == "Canal" and doc["licenses"][0]["exclusive"]


def test_merged_and_deleted_works_leave_the_index():
    assert is_gone(_work(deleted=True))
    assert is_gone(_work(merged_into=3))
    assert not is_gone(_work(merged_into=None))


def test_bulk_pairs_version_deletes_and_refuse_what_cannot_be_serialised():
    outcome = Outcome()
    entries = [
        WorkEntry(1, 4, {"work_id": 1}),
        WorkEntry(2, 5, None),
        WorkEntry(3, None, None),
        WorkEntry(4, 1, {"work_id": 2**70}),
    ]
    pairs = list(bulk_pairs(entries, "idx", outcome))
    assert pairs[0] == (
        {"index": {"_index": "idx", "_id": "1", "version": 4, "version_type": "external_gte"}},
        b'{"work_id":1}',
    )
    assert pairs[1] == (
        {"delete": {"_index": "idx", "_id": "2", "version": 5, "version_type": "external_gte"}},
        None,
    )
    assert pairs[2] == ({"delete": {"_index": "idx", "_id": "3"}}, None)
    assert len(pairs) == 3
    assert [(r.work_id, r.status, r.error_type) for r in outcome.refused] == [
        (4, 0, "serialisation")
    ]


def test_refusal_keeps_the_nodes_reason():
    item = {
        "_id": "5",
        "status": 400,
        "error": {
            "type": "document_parsing_exception",
            "reason": "failed to parse field [display_title]",
            "caused_by": {"type": "illegal_argument_exception", "reason": "immense term"},
        },
    }
    refusal = refusal_from_item(5, 2, item)
    assert (refusal.work_id, refusal.version, refusal.status) == (5, 2, 400)
    assert refusal.error_type == "document_parsing_exception"
    assert refusal.reason.endswith("caused by illegal_argument_exception: immense term")
    assert len(refusal_from_item(5, 2, {"status": 400, "error": "x" * 9000}).reason) == 2000


def _keywords(props: dict, path: str = "") -> list[tuple[str, dict]]:
    """Return every keyword field of a mapping, sub-fields included."""
    found = []
    for name, spec in props.items():
        here = f"{path}{name}"
        if spec.get("type") == "keyword":
            found.append((here, spec))
        found += _keywords(spec.get("properties", {}), here + ".")
        found += _keywords(spec.get("fields", {}), here + ".")
    return found


def test_every_keyword_field_of_the_current_mapping_is_guarded():
    mapping = json.loads((MAPPINGS / f"works-{management.MAPPING_VERSION}.json").read_text())
    fields = _keywords(mapping["mappings"]["properties"])
    assert len(fields) > 20
    unguarded = [name for name, spec in fields if not 0 < spec.get("ignore_above", 0) <= 8191]
    assert unguarded == []


@pytest.mark.parametrize(
    ("index", "version"),
    [("p-works-v2-20260101000000-abc123", "v2"), ("p-works-v1-initial", "v1"), ("other", None)],
)
def test_mapping_version_is_read_from_the_index_name(index, version):
    assert management.mapping_version("p-", index) == version


def test_rebuild_lock_keys_differ_by_alias():
    assert lock_key("a-") == lock_key("a-") != lock_key("b-")
    assert 0 <= lock_key("a-") < 2**32


def test_documents_serialise_with_orjson():
    doc = build_document(_work(), _facts(titles=[_title("Ação", "original", 2)]))
    assert orjson.loads(orjson.dumps(doc))["display_title"] == "Ação"
