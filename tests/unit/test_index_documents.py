"""Index documents from rows, bulk pairs, refusals and the mapping's keyword guards."""

from __future__ import annotations

import gc
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.search import management
from registry.search.builders import Outcome, action_meta, bulk_pairs, fewer_collections
from registry.search.dead_letters import refusal_from_item
from registry.search.document_queries import FACT_KINDS
from registry.search.documents import WorkEntry, build_document, choose_title, is_gone
from registry.search.rebuild_lock import lock_key
from tests.document_reference import reference_document

MAPPINGS = Path(__file__).resolve().parents[2] / "registry" / "search" / "mappings"


def _work(**changes: Any) -> SimpleNamespace:
    """Return a work row with defaults."""
    row = dict(
        id=7, version=3, work_type="movie", year=1987, year_end=None, runtime_minutes=90.0,
        episode_count=None, incomplete=False, deleted=False, parent_id=None, sequence=None,
        updated_at=datetime(2026, 1, 2, 3, 4, 5), original_languages=["pt"], primary_source_id=2,
        merged_into=None,
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
    return {k: [] for k in FACT_KINDS} | rows


def _row(item: Any) -> Any:
    """Return a row as the chunk queries give it: a tuple in the queries' column order."""
    return tuple(vars(item).values()) if isinstance(item, SimpleNamespace) else item


def _build(work: SimpleNamespace, facts: dict[str, list]) -> dict[str, Any]:
    """Build a document with the fast builder from namespace rows."""
    return build_document(_row(work), *[[_row(r) for r in facts[k]] for k in FACT_KINDS])


def _both(work: SimpleNamespace, facts: dict[str, list]) -> dict[str, Any]:
    """Build a document with the fast builder and check it against the plain reading."""
    document = _build(work, facts)
    assert orjson.dumps(document) == orjson.dumps(reference_document(work, facts))
    return document


def test_display_title_prefers_the_primary_sources_original():
    titles = [_title("Other", "translated", 1), _title("Outro", "original", 1),
              _title("Principal", "original", 2)]  # fmt: skip
    assert choose_title(titles, 2).text == "Principal"
    assert choose_title(titles, 9).text == "Outro"
    assert choose_title(titles[:1], 2).text == "Other"
    assert choose_title([], 2) is None


def test_document_without_titles_names_the_work():
    doc = _both(_work(), _facts())
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
    doc = _both(_work(), facts)
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
        b'{"index":{"_index":"idx","_id":"1","version":4,"version_type":"external_gte"}}',
        b'{"work_id":1}',
    )
    assert pairs[1] == (
        b'{"delete":{"_index":"idx","_id":"2","version":5,"version_type":"external_gte"}}',
        None,
    )
    assert pairs[2] == (b'{"delete":{"_index":"idx","_id":"3"}}', None)
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
    doc = _both(_work(), _facts(titles=[_title("Ação", "original", 2)]))
    assert orjson.loads(orjson.dumps(doc))["display_title"] == "Ação"


def test_actions_are_the_bytes_orjson_gives():
    index = 'p-works-v2-"odd"\\name'
    entries = [WorkEntry(12, 3, {}), WorkEntry(13, None, {}), WorkEntry(14, 2, None)]
    actions = [action for action, _body in bulk_pairs(entries, index, Outcome())]
    versioned = {"version": 3, "version_type": "external_gte"}
    assert actions == [
        orjson.dumps({"index": {"_index": index, "_id": "12"} | versioned}),
        orjson.dumps({"index": {"_index": index, "_id": "13"}}),
        orjson.dumps({"delete": {"_index": index, "_id": "14"} | versioned | {"version": 2}}),
    ]
    assert action_meta(actions[0]) == {"_index": index, "_id": "12"} | versioned
    assert action_meta({"delete": {"_id": "4"}}) == {"_id": "4"}


NAMES = st.sampled_from(["Ana", "Ána", "ana", "Bruno", "Zé", "Ølga"])
CODES = st.sampled_from(["BR", "AR", "UY", "PT"])
SOME_DATE = st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2040, 1, 1)))


@st.composite
def _rows(draw: st.DrawFn) -> tuple[SimpleNamespace, dict[str, list]]:
    """Draw a work row and fact rows in the shapes the chunk queries give."""
    moment = draw(st.datetimes(datetime(2000, 1, 1), datetime(2030, 1, 1)))
    aware = draw(st.booleans())
    work = _work(
        year=draw(st.one_of(st.none(), st.integers(0, 2030))),
        runtime_minutes=draw(st.one_of(st.none(), st.integers(1, 900), st.floats(0, 9999.99))),
        updated_at=moment.replace(tzinfo=UTC) if aware else moment,
        primary_source_id=draw(st.integers(1, 3)),
        original_languages=draw(st.sampled_from(['["pt"]', "[]", ["es"], None])),
    )
    party = st.tuples(st.integers(1, 6), NAMES).map(lambda p: (p[0], p[1], p[1].lower()))
    titles = st.builds(
        lambda text, kind, source, lang: _title(text, kind, source, lang),
        NAMES, st.sampled_from(["original", "translated", "working"]), st.integers(1, 3),
        st.sampled_from(["pt", "es", None]),
    )  # fmt: skip
    contribution = st.builds(
        lambda p, role: (7, p[0], role, p[1], p[2]), party, st.sampled_from(["director", "cast"])
    )
    holding = st.builds(
        lambda p, share, start: (7, p[0], p[1], p[2], "economic", share, '["BR"]', start, None),
        party, st.one_of(st.none(), st.floats(0, 100)), SOME_DATE,
    )  # fmt: skip
    licence = st.builds(
        lambda i, a, b, media, start, end, exclusive: (
            7, i, a[0] if a else None, a[1] if a else None, a[2] if a else None,
            b[0] if b else None, b[1] if b else None, b[2] if b else None,
            media, '["BR","AR"]', "[]", start, end, exclusive, "active",
        ),
        st.integers(1, 99), st.one_of(st.none(), party), st.one_of(st.none(), party),
        st.sampled_from(['["svod"]', '["tvod","svod"]', "[]"]), SOME_DATE, SOME_DATE,
        st.one_of(st.none(), st.booleans()),
    )  # fmt: skip
    copro = st.builds(
        lambda p, country: (7, p[0] if p else None, country, p[1] if p else None,
                            p[2] if p else None),
        st.one_of(st.none(), party), CODES,
    )  # fmt: skip
    facts = _facts(
        titles=draw(st.lists(titles, max_size=4)),
        identifiers=draw(st.lists(st.tuples(st.just(7), st.sampled_from(["cpb", "eidr"]),
                                            st.sampled_from(["B1", "B2"])), max_size=3)),
        countries=draw(st.lists(st.tuples(st.just(7), CODES), max_size=3)),
        agencies=draw(st.lists(st.tuples(st.just(7), st.sampled_from(["BR-ANCINE", "UY-ACAU"])),
                               max_size=2, unique=True)),
        contributions=draw(st.lists(contribution, max_size=4)),
        rights=draw(st.lists(holding, max_size=2)),
        licenses=draw(st.lists(licence, max_size=3)),
        coproductions=draw(st.lists(copro, max_size=3)),
    )  # fmt: skip
    return work, facts


@given(_rows())
@settings(max_examples=300, deadline=None)
def test_fast_builder_gives_the_bytes_of_the_plain_reading(rows):
    work, facts = rows
    document = _both(work, facts)
    stored = [[_as_stored(kind, _row(r)) for r in facts[kind]] for kind in FACT_KINDS]
    from_text = build_document(_as_stored("work", _row(work)), *stored)
    assert orjson.dumps(from_text) == orjson.dumps(document)
    decimals = [[_as_decimals(kind, _row(r)) for r in facts[kind]] for kind in FACT_KINDS]
    from_decimals = build_document(_as_decimals("work", _row(work)), *decimals)
    assert orjson.dumps(from_decimals) == orjson.dumps(document)


def _as_decimals(kind: str, row: tuple) -> tuple:
    """Return a row as PostgreSQL's driver gives it: numeric columns as Decimal."""
    values = list(row)
    at = {"work": 5, "rights": 5}.get(kind)
    if at is not None and isinstance(values[at], float):
        values[at] = Decimal(repr(values[at]))
    return tuple(values)


def _as_stored(kind: str, row: tuple) -> tuple:
    """Return a row as SQLite's driver gives it: flags 0/1, times and dates as stored text."""
    values = list(row)
    positions = {"work": (7, 8, 11), "rights": (7, 8), "licenses": (11, 12, 13)}
    for at in positions.get(kind, ()):
        value = values[at]
        if isinstance(value, bool):
            values[at] = int(value)
        elif isinstance(value, datetime):
            naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
            values[at] = naive.strftime("%Y-%m-%d %H:%M:%S.%f")
        elif isinstance(value, date):
            values[at] = value.isoformat()
    return tuple(values)


def test_fewer_collections_raises_the_first_threshold_and_restores_it():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections(before[0] + 5000):
        assert gc.get_threshold() == (before[0] + 5000, *before[1:])
        raise RuntimeError("the block fails")
    assert gc.get_threshold() == before
    with fewer_collections(1):
        assert gc.get_threshold() == before


def test_overlapping_blocks_restore_the_threshold_the_first_found():
    before = gc.get_threshold()
    first, second = fewer_collections(before[0] + 5000), fewer_collections(before[0] + 9000)
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # threads may leave in any order
    assert gc.get_threshold()[0] == before[0] + 5000
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before
